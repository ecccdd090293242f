"""Temporary delegation: requests, their workflow and the trade-in tokens they end with."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages, _ids, _managed
from mock_sts._iam._common import invalid_input, no_such_entity, page_of
from mock_sts._state import (
    TRADE_IN_TOKEN_LIFETIME,
    DelegationRequest,
    TradeInToken,
    now,
    whole_seconds,
)
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from mock_sts._operation import Context


# Temporary delegation: a partner files a request, the account's owner associates, accepts
# (or rejects) it and sends the partner a trade-in token for GetDelegatedAccessToken.
# The mock resolves a request's PolicyTemplateArn as a managed policy ARN: partner templates
# are registered with AWS out of band.

_OPEN_STATES = ("ASSIGNED", "PENDING_APPROVAL")


def _delegation_request(ctx: Context, *, owned: bool = True) -> DelegationRequest:
    """The request, if the caller's account may see it (``owned``: as its owner account)."""
    request_id: str = ctx.params["DelegationRequestId"]
    request = ctx.backend.delegation_requests.get(request_id)
    account_id = ctx.signed_caller.account_id
    visible = request is not None and (
        request.owner_account_id in (None, account_id) or request.requestor_id == account_id
    )
    if owned and request is not None and request.owner_account_id != account_id:
        visible = False
    if request is None or not visible:
        raise no_such_entity(_iam_messages.DELEGATION_REQUEST_NOT_FOUND.format(request_id))
    if request.state != "FINALIZED" and now() >= request.expiration:
        request.state = "EXPIRED"
    return request


def _delegation_state(request: DelegationRequest, allowed: Sequence[str], code: str) -> None:
    if request.state not in allowed:
        status = 409 if code == "ConcurrentModification" else 400
        raise AWSError(
            code,
            _iam_messages.DELEGATION_REQUEST_STATE.format(
                request.request_id, request.state, " or ".join(allowed)
            ),
            status,
        )


def _delegation_shape(request: DelegationRequest) -> dict[str, Any]:
    return {
        "DelegationRequestId": request.request_id,
        "OwnerAccountId": request.owner_account_id,
        "Description": request.description,
        "RequestMessage": request.request_message,
        "Permissions": {
            "PolicyTemplateArn": request.template_arn,
            "Parameters": request.parameters or None,
        },
        "PermissionPolicy": request.policy,
        "OwnerId": request.owner_id,
        "ApproverId": request.approver.arn if request.approver is not None else None,
        "State": request.state,
        "ExpirationTime": request.expiration,
        "RequestorId": request.requestor_id,
        "CreateDate": request.create_date,
        "SessionDuration": request.session_duration,
        "RedirectUrl": request.redirect_url,
        "Notes": request.notes,
        "RejectionReason": request.rejection_reason,
        "OnlySendByOwner": request.only_send_by_owner,
        "UpdatedTime": request.updated,
    }


def _changed(request: DelegationRequest, state: str) -> Mapping[str, Any]:
    request.state = state
    request.updated = whole_seconds(now())
    return {}


def create_delegation_request(ctx: Context) -> Mapping[str, Any]:
    params = ctx.params
    permissions = params["Permissions"]
    template_arn = permissions.get("PolicyTemplateArn", "")
    template = _managed.managed_policy(ctx.backend, template_arn)
    if template is None:
        raise invalid_input(_iam_messages.POLICY_TEMPLATE_UNKNOWN.format(template_arn))
    request = DelegationRequest(
        request_id="dr-" + uuid.uuid4().hex,
        requestor_id=ctx.signed_caller.account_id,
        description=params["Description"],
        template_arn=template_arn,
        parameters=list(permissions.get("Parameters", ())),
        policy=template.document,
        workflow_id=params["RequestorWorkflowId"],
        notification_channel=params["NotificationChannel"],
        session_duration=params["SessionDuration"],
        create_date=whole_seconds(now()),
        owner_account_id=params.get("OwnerAccountId"),
        request_message=params.get("RequestMessage"),
        redirect_url=params.get("RedirectUrl"),
        only_send_by_owner=params.get("OnlySendByOwner", False),
    )
    ctx.backend.delegation_requests[request.request_id] = request
    return {
        "DelegationRequestId": request.request_id,
        # The console's address for the request: mock_sts's guess, AWS does not document it.
        "ConsoleDeepLink": "https://console.aws.amazon.com/iam/home#/delegation-requests/"
        + request.request_id,
    }


def get_delegation_request(ctx: Context) -> Mapping[str, Any]:
    return {"DelegationRequest": _delegation_shape(_delegation_request(ctx, owned=False))}


def list_delegation_requests(ctx: Context) -> Mapping[str, Any]:
    account_id = ctx.signed_caller.account_id
    owner_id = ctx.params.get("OwnerId")
    # Requests without an owner are not listed, even when assigned to the account.
    requests = [
        _delegation_shape(request)
        for request in ctx.backend.delegation_requests.values()
        if request.owner_id is not None
        and request.owner_account_id == account_id
        and owner_id in (None, request.owner_id)
    ]
    page = page_of(ctx, requests, "DelegationRequests")
    page["isTruncated"] = page.pop("IsTruncated")
    return page


def associate_delegation_request(ctx: Context) -> Mapping[str, Any]:
    request = _delegation_request(ctx, owned=False)
    caller = ctx.signed_caller
    if request.owner_account_id not in (None, caller.account_id):
        raise no_such_entity(_iam_messages.DELEGATION_REQUEST_NOT_FOUND.format(request.request_id))
    _delegation_state(request, ("UNASSIGNED",), "InvalidInput")
    request.owner_id = caller.arn
    request.owner_account_id = caller.account_id
    return _changed(request, "ASSIGNED")


def update_delegation_request(ctx: Context) -> Mapping[str, Any]:
    request = _delegation_request(ctx)
    _delegation_state(request, _OPEN_STATES, "InvalidInput")
    request.notes = ctx.params.get("Notes")
    return _changed(request, "PENDING_APPROVAL")


def accept_delegation_request(ctx: Context) -> Mapping[str, Any]:
    request = _delegation_request(ctx)
    _delegation_state(request, _OPEN_STATES, "ConcurrentModification")
    # The accepting identity is the one the partner's credentials will act as.
    request.approver = ctx.signed_caller
    return _changed(request, "ACCEPTED")


def reject_delegation_request(ctx: Context) -> Mapping[str, Any]:
    request = _delegation_request(ctx)
    _delegation_state(request, (*_OPEN_STATES, "ACCEPTED"), "InvalidInput")
    request.rejection_reason = ctx.params.get("Notes")
    return _changed(request, "REJECTED")


def send_delegation_token(ctx: Context) -> Mapping[str, Any]:
    request = _delegation_request(ctx)
    _delegation_state(request, ("ACCEPTED",), "InvalidInput")
    if request.only_send_by_owner and ctx.signed_caller.arn != request.owner_id:
        raise invalid_input(
            _iam_messages.DELEGATION_OWNER_ONLY.format(request.request_id, request.owner_id)
        )
    token = TradeInToken(
        token=_ids.new_session_token(),
        request=request,
        expiration=whole_seconds(now()) + TRADE_IN_TOKEN_LIFETIME,
    )
    ctx.backend.trade_in_tokens[token.token] = token
    return _changed(request, "FINALIZED")
