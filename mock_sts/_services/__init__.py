"""Authorization of every other AWS service: a request signed with credentials the mock
knows is decided before anything serves it, as AWS decides it, and recorded.

Allowed requests go on to whatever serves them (moto, a user's own mocks); refused ones get
the service's own error and reach nothing. Requests signed with keys the mock does not know
are not the mock's to decide (unless ``strict``), nor are unsigned ones.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mock_sts import _access, _ids, _protocols, _wire
from mock_sts._auth import (
    Signature,
    check_current,
    invalid_client_token,
    readable_signature,
    verified_secret,
    why_refused,
)
from mock_sts._calls import Call, Check
from mock_sts._decision import Decision
from mock_sts._http import ClientCall, HttpResponse, Served
from mock_sts._operation import RequestInfo
from mock_sts._services import _catalogue, _errors, _learned, _resource_policies, _verdicts
from mock_sts._services._read_common import Where
from mock_sts._services._verdicts import Verdict
from mock_sts._state import Backend, Caller
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from botocore.model import OperationModel


def authorize(
    partitions: Callable[[str | None], Backend], call: ClientCall, *, strict: bool, soft: bool
) -> HttpResponse | Served | None:
    """The service's refusal of ``call``; or, when it may go on, what records the service's
    answer to it; None when the mock has nothing to say about it. With ``soft``, refusals
    are recorded and nothing is refused. ``partitions`` gives the state of a partition
    (None: the mock's own), which the region the request is signed for tells."""
    request = call.request
    url = urlsplit(request.url)
    sig = readable_signature(request)
    if sig is None:
        return None
    partition = _ids.partition_of(sig.region)
    backend = partitions(partition.name if partition is not None else None)
    with backend.lock.unchanged():
        caller, refusal = _caller(backend, sig, strict)
        if caller is None:
            if refusal is None:
                return None
            return _refuse(backend, call, None, None, Verdict(), refusal, soft)
        info = RequestInfo(
            region=sig.region,
            secure=url.scheme == "https",
            user_agent=request.header("user-agent") or "",
        )
        where = Where(
            backend.partition,
            sig.region,
            caller.account_id,
            backend.facts,
            caller.principal.account,
        )
        kept = _verdicts.kept(backend.lock, sig.access_key_id, caller, call, info)
        verdict = kept.get() if kept is not None else None
        if verdict is not None:
            return _let_through(backend, call, caller, sig.region, verdict, where)
        verdict, denied = _decided(caller, call, info, where)
        if denied is None:
            if kept is not None:
                kept.keep(verdict)
            return _let_through(backend, call, caller, sig.region, verdict, where)
        target, decision = denied
        refusal = _errors.denial(backend, call.operation, caller, info, target, decision)
        return _refuse(backend, call, caller, sig.region, verdict, refusal, soft)


def _decided(
    caller: Caller, call: ClientCall, info: RequestInfo, where: Where
) -> tuple[Verdict, tuple[_catalogue.Target, Decision] | None]:
    """The verdict on a request; with the target refused and its decision, if one is."""
    catalogued = _catalogue.targets_of(call.signing_name, call.operation.name, call.params, where)
    if catalogued.unchecked is not None:
        reason = f"not checked: {catalogued.unchecked}"
        named = tuple(Check(t.action, t.resource, True, reason) for t in catalogued.targets)
        return Verdict(named, checked=False, reason=reason), None
    decided = [(target, _decide(caller, info, target, where)) for target in catalogued.targets]
    checks = tuple(
        Check(target.action, target.resource, decision.allowed, decision.reason)
        for target, decision in decided
    )
    denied = next(((t, d) for t, d in decided if not d.allowed), None)
    if denied is None:
        reason = "; ".join(check.reason for check in checks) or "nothing to check"
        return Verdict(checks, reason=reason), None
    target, decision = denied
    return Verdict(checks, allowed=False, reason=_reason(target, decision)), denied


def _decide(caller: Caller, info: RequestInfo, target: _catalogue.Target, where: Where) -> Decision:
    """AWS's decision on one target: the caller's policies, and the resource's own policy,
    account and tags as far as the mock knows them."""
    bound = _resource_policies.binding(where.facts, target.resource)
    return _access.authorize(
        caller,
        info,
        target.action,
        target.resource,
        context={**target.keys, **bound.keys},
        resource_policy=bound.policy,
        resource_account=target.account or bound.account,
        either=bound.either,
    )


def _reason(target: _catalogue.Target, decision: Decision) -> str:
    return f"{target.action} on {target.resource}: {decision.reason}"


def _caller(
    backend: Backend, sig: Signature, strict: bool
) -> tuple[Caller | None, _errors.Refusal | None]:
    """Who signed: a caller of the mock's, a refusal of the credentials, or neither (a key
    the mock does not know, which is not its to decide)."""
    credential = backend.credential(sig.access_key_id)
    if credential is None and not strict and sig.access_key_id not in backend.retired_keys:
        return None, None
    try:
        if credential is None:
            raise invalid_client_token()
        verified_secret(credential, sig)
        check_current(credential, sig)
    except AWSError as error:
        kind = "expired" if error.code == "ExpiredToken" else "invalid key"
        return None, _errors.Refusal(kind, why_refused(backend, sig, error))
    return Caller.signed_with(credential), None


def _refuse(
    backend: Backend,
    call: ClientCall,
    caller: Caller | None,
    region: str | None,
    record: Verdict,
    refusal: _errors.Refusal,
    soft: bool,
) -> HttpResponse | Served | None:
    error = _errors.error_of(call.operation, refusal)
    record = dataclasses.replace(record, allowed=False, reason=record.reason or refusal.message)
    if soft:
        return _let_through(backend, call, caller, region, record)
    _append(backend, call, caller, region, record, error.status, error.code)
    return _protocols.render(call.operation, error, _ids.new_request_id())


def _let_through(
    backend: Backend,
    call: ClientCall,
    caller: Caller | None,
    region: str | None,
    record: Verdict,
    where: Where | None = None,
) -> Served:
    """Record the call; the service's answer completes the record once it comes."""
    index = _append(backend, call, caller, region, record, 0, None)
    calls = backend.calls

    def served(status: int, error_code: str | None, answer: Mapping[str, Any]) -> None:
        with backend.lock.unchanged():
            calls[index] = dataclasses.replace(calls[index], status=status, error_code=error_code)
            if where is not None and 200 <= status < 300 and _learned.learn(call, where, answer):
                _verdicts.forget(backend.lock)

    return served


def _append(
    backend: Backend,
    call: ClientCall,
    caller: Caller | None,
    region: str | None,
    record: Verdict,
    status: int,
    error_code: str | None,
) -> int:
    backend.calls.append(
        Call(
            service=call.service,
            action=call.operation.name,
            params=_wire.redact(call.operation, call.params),
            caller_arn=caller.arn if caller is not None else None,
            status=status,
            error_code=error_code,
            checks=record.checks,
            checked=record.checked,
            allowed=record.allowed,
            reason=record.reason,
            region=region if caller is not None else None,
            principal_id=caller.principal_id if caller is not None else None,
        )
    )
    return len(backend.calls) - 1


def require_allowed(
    backend: Backend,
    caller: Caller,
    operation: OperationModel,
    params: Mapping[str, Any],
    info: RequestInfo,
) -> None:
    """Refuse, in the service's own words, a request to a service the mock serves itself
    (Cognito Identity) that ``caller`` may not make: each IAM action the catalogue names for
    it, decided as for every other service's requests (the checks go to ``info``)."""
    where = Where(
        backend.partition, info.region, caller.account_id, backend.facts, caller.principal.account
    )
    signing_name = operation.service_model.signing_name
    for target in _catalogue.targets_of(signing_name, operation.name, params, where).targets:
        decision = _decide(caller, info, target, where)
        if not decision.allowed:
            refusal = _errors.denial(backend, operation, caller, info, target, decision)
            error = _errors.error_of(operation, refusal)
            error.reason = _reason(target, decision)
            raise error
