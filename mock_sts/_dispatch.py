"""One request through the pipeline: wire parsing → authentication → operation → rendering."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlsplit

from mock_sts import _answers, _cognito, _iam, _ids, _messages, _sts, _wire, _wire_json
from mock_sts._auth import Signature, authenticate, signature_of, why_refused
from mock_sts._calls import Call, Check
from mock_sts._http import SERVICES, HttpRequest, HttpResponse
from mock_sts._operation import Context, Operation, RequestInfo, explained
from mock_sts._state import AccessKey, Backend, Caller
from mock_sts._wire import AWSError

logger = logging.getLogger("mock_sts")


_OPERATIONS: dict[str, Mapping[str, Operation]] = {
    "sts": _sts.OPERATIONS,
    "iam": _iam.OPERATIONS,
    "cognito-identity": _cognito.OPERATIONS,
}


def invoke(
    backend: Backend, service: str, action: str, params: Mapping[str, Any], caller: Caller
) -> Mapping[str, Any]:
    """Run an operation for the handle, validated and served exactly as a request would be.

    Raises AWSError; no call is recorded, since no request was made.
    """
    operation = _wire.service_model(service).operation_model(action)
    try:
        decoded = _wire.decode_input(operation, _wire.flatten(operation, params))
        with backend.lock:
            context = Context(backend, action, decoded, caller, RequestInfo(backend.region))
            return _OPERATIONS[service][action](context)
    except AWSError as error:
        raise _wire_json.own_error(error) if service in _wire_json.SERVICES else error from None


def handle(
    backend: Backend, strict: bool, service: str | None, request: HttpRequest
) -> HttpResponse:
    """Answer one STS or IAM request as AWS would; never raises.

    ``service`` is "sts" or "iam" when the caller knows which endpoint was asked (botocore
    does); None routes the request by its signing scope, else by its Action. The answer is in
    the format its Accept header asks for, where the service has it (``_answers.answers_json``).
    """
    request_id = _ids.new_request_id()
    # Read before anything can fail, so that every error, even of a request that names no
    # operation, comes in the format asked for.
    accept = request.header("accept")
    action: str | None = None
    params: Mapping[str, Any] = {}
    caller: Caller | None = None
    region: str | None = None
    checks: list[Check] = []  # the authorizations decided while serving it
    failure: AWSError | None = None
    # STS and IAM share their error format: a request that cannot be read gets it either way.
    routed = service is None
    service = service or "sts"
    try:
        url = urlsplit(request.url)
        query = _wire.parse_form(url.query)
        if routed:
            service = _service_of(request, query)
        with _hold(backend, service):
            json_protocol = service in _wire_json.SERVICES
            if json_protocol:
                operation = _wire_json.operation_of(service, request)
                action = operation.name
            else:
                form = _wire.form_params(query, request.body)
                action = form.get("Action")
                operation = _wire.operation_for(service, form)
            endpoint = _ids.endpoint_of_host(request.header("host") or url.netloc)
            endpoint_region = endpoint[1] if endpoint else None
            region = endpoint_region or backend.region
            sig = None if operation.auth_type == "none" else signature_of(request, query)
            if sig is not None:
                try:
                    caller = authenticate(
                        backend, request, query, sig, service, endpoint_region, strict
                    )
                except AWSError as error:
                    raise explained(error, why_refused(backend, sig, error)) from None
                region = sig.region
                if isinstance(caller.credential, AccessKey):
                    backend.record_use(caller.credential, service, region)
            elif operation.auth_type != "none":
                raise AWSError(
                    "MissingAuthenticationToken",
                    _messages.MISSING_AUTHENTICATION_TOKEN,
                    403,
                    reason="the request is not signed",
                )
            decoded = (
                _wire_json.decode(operation, request.body)
                if json_protocol
                else _wire.decode_input(operation, form)
            )
            params = _wire.redact(operation, decoded)
            implementation = _OPERATIONS[service].get(operation.name)
            if implementation is None:
                raise AWSError(
                    "InvalidAction",
                    _messages.NOT_SERVED.format(service.upper(), operation.name),
                    400,
                )
            info = RequestInfo(
                region=region,
                secure=url.scheme == "https",
                user_agent=request.header("user-agent") or "",
                global_endpoint=_is_global(request.header("host") or url.netloc),
                checks=checks,
            )
            if service == "sts":
                _require_region_active(backend, caller, info)
            context = Context(backend, operation.name, decoded, caller, info)
            result = implementation(context)
            body = _answers.render_success(service, operation, result, request_id, accept)
            status, error_code = 200, None
    except AWSError as error:
        if service in _wire_json.SERVICES:
            error = _wire_json.own_error(error)
        status, error_code, failure = error.status, error.code, error
        body = _answers.render_error(service, error, request_id, accept)
    except Exception as error:  # the code under test must get an AWS answer, never a traceback
        logger.exception("mock_sts failed while serving %s %s", service, action)
        status, error_code = 500, "InternalFailure"
        failure = AWSError("InternalFailure", _messages.INTERNAL_FAILURE.format(error), 500)
        if service in _wire_json.SERVICES:
            failure = _wire_json.own_error(failure)
            status, error_code = failure.status, failure.code
        body = _answers.render_error(service, failure, request_id, accept)
    allowed, reason = _verdict(checks, failure)
    backend.calls.append(
        Call(
            service=service,
            action=action,
            params=params,
            caller_arn=caller.arn if caller else None,
            status=status,
            error_code=error_code,
            checks=tuple(checks),
            allowed=allowed,
            reason=reason,
            region=region if caller else None,
            principal_id=caller.principal_id if caller else None,
        )
    )
    return HttpResponse(
        status=status,
        body=body,
        headers={
            "x-amzn-RequestId": request_id,
            "Content-Type": _answers.content_type(service, accept),
            "Content-Length": str(len(body)),
            **(_answers.error_headers(service, failure) if failure is not None else {}),
        },
    )


def _hold(backend: Backend, service: str) -> AbstractContextManager[object]:
    """The state lock, as a request of ``service`` holds it.

    STS issues sessions and records their use, and changes nothing a decision is drawn from
    (entities, policies, tags, organizations): what the lock's memo keeps, each caller's
    standing above all, stays valid across its requests. IAM's and Cognito's may change
    anything.
    """
    return backend.lock.unchanged() if service == "sts" else backend.lock


def _verdict(checks: list[Check], failure: AWSError | None) -> tuple[bool, str]:
    """Whether a request was authorized and why, for its Call.

    Refused: when its error says why, when a check denied it, or when it was answered 403
    for a cause no check names (an MFA code that does not verify: AWS's message says it).
    A request that fails for another cause (a parameter out of range) was authorized.
    """
    if failure is not None and failure.reason:
        return False, failure.reason
    denied = next((check for check in checks if not check.allowed), None)
    if denied is not None:
        return False, f"{denied.action} on {denied.resource}: {denied.reason}"
    if failure is not None and failure.status == 403:
        return False, failure.message
    return True, "; ".join(check.reason for check in checks)


def partition_of(request: HttpRequest) -> str | None:
    """The partition whose endpoint a request asks: from its host, else (a local server) from
    the region it was signed for; None when neither tells."""
    url = urlsplit(request.url)
    endpoint = _ids.endpoint_of_host(request.header("host") or url.netloc)
    if endpoint is not None:
        return _ids.partition_name(endpoint[1])
    sig = _readable_signature(request, _wire.parse_form(url.query))
    partition = _ids.partition_of(sig.region) if sig is not None else None
    return partition.name if partition is not None else None


def _service_of(request: HttpRequest, query: Mapping[str, str]) -> str:
    """The service asked: from the signing scope, else from the operation the request names
    (unsigned calls: STS's by Action, Cognito Identity's by X-Amz-Target)."""
    sig = _readable_signature(request, query)
    if sig is not None and sig.service in SERVICES:
        return sig.service
    for service in _wire_json.SERVICES:
        if _wire_json.targets(service, request):
            return service
    action = _wire.form_params(query, request.body).get("Action")
    return "sts" if action in _wire.service_model("sts").operation_names else "iam"


def _readable_signature(request: HttpRequest, query: Mapping[str, str]) -> Signature | None:
    """The request's SigV4 fields where they can be read, to route it by; a malformed
    signature is refused later, by the checks of the service that serves it."""
    try:
        return signature_of(request, query)
    except AWSError:
        return None


def _is_global(host: str) -> bool:
    """Whether a request went to STS's global endpoint rather than a regional one."""
    return host.lower().split(":", 1)[0] == "sts.amazonaws.com"


def _require_region_active(backend: Backend, caller: Caller | None, info: RequestInfo) -> None:
    """RegionDisabledException for a regional STS endpoint the caller's account deactivated.

    The global endpoint is never refused; unsigned requests name no account to decide by.
    """
    if caller is None or info.global_endpoint:
        return
    account = backend.accounts.get(caller.account_id)
    if account is not None and info.region in account.sts_disabled_regions:
        raise AWSError(
            "RegionDisabledException",
            _messages.REGION_DISABLED.format(caller.account_id),
            403,
            reason=f"STS is deactivated in {info.region} for account {caller.account_id}",
        )
