"""What a principal may do, decided as its request would be: the handle's question to the
policy engine (``MockSTS.evaluate``), with the principal told by its keys or its ARN; and
what it needed for what it did (``MockSTS.required_policy``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from mock_sts import _access, _arguments, _assume, _state
from mock_sts._decision import Decision
from mock_sts._handles import Credentials
from mock_sts._operation import RequestInfo


def evaluate(
    backend: _state.Backend,
    region: str,
    principal: Credentials | str,
    action: str,
    resource: str,
    context: Mapping[str, str | Sequence[str]] | None,
) -> Decision:
    """``MockSTS.evaluate`` in ``backend``, for a request made in ``region``."""
    _principal(principal)
    _arguments.text("action", action)
    _arguments.text("resource", resource)
    context = _arguments.context(context)
    with backend.lock:
        extra = {k: v if isinstance(v, str) else tuple(v) for k, v in context.items()}
        info = RequestInfo(region)
        on_role = _assume.on_a_role(action, resource)
        if on_role is not None and isinstance(principal, str) and _assume.is_provider(principal):
            # A token's bearer has no identity in the mock to encode a denial for.
            return _assume.federated_decision(backend, principal, info, on_role, resource, extra)
        caller = _caller_for(backend, principal)
        entity = caller.principal
        if caller.session is None and isinstance(entity, _state.Role):
            # A role acting as itself has the tags a session of it has.
            tags = {f"aws:PrincipalTag/{key}": value for key, value in entity.tags.items()}
            extra = {**tags, **extra}
        if on_role is not None:
            decision = _assume.assume_role_decision(backend, caller, info, on_role, resource, extra)
        else:
            decision = _access.authorize(caller, info, action, resource, context=extra)
        if decision.allowed:
            return decision
        return _access.encode_denial(backend, caller, decision, action, resource, extra, info)


def required_policy(
    backend: _state.Backend, partitions: Iterable[_state.Backend], principal: Credentials | str
) -> dict[str, Any]:
    """``MockSTS.required_policy``: what ``principal`` needed for every request it made, in
    any of the mock's ``partitions`` (whose calls ``backend`` records)."""
    from mock_sts._services import _required

    key_id = _principal(principal)
    with backend.lock:
        # Keys of every partition the mock reached, whose calls share one record.
        found = (b.credential(key_id) for b in partitions)
        credential = next((c for c in found if c is not None), None)
        arn = key_id if credential is None else _state.Caller.signed_with(credential).arn
        return _required.required_policy(backend.calls, arn)


def _principal(principal: Credentials | str) -> str:
    """The access key id or ARN a principal is told by."""
    _arguments.of_type(
        "principal", principal, (Credentials, str), "Credentials, an access key id or an ARN"
    )
    return principal.access_key_id if isinstance(principal, Credentials) else principal


def _caller_for(backend: _state.Backend, principal: Credentials | str) -> _state.Caller:
    key_id = _principal(principal)
    credential = backend.credential(key_id)
    if credential is not None:
        return _state.Caller.signed_with(credential)
    return _state.Caller.itself(_entity_of(backend, key_id))


def _entity_of(backend: _state.Backend, arn: str) -> _state.User | _state.Role:
    parts = arn.split(":", 5)
    account = backend.accounts.get(parts[4]) if len(parts) == 6 and parts[2] == "iam" else None
    if account is not None:
        entities: list[_state.User | _state.Role] = [*account.users.values()]
        entities += account.roles.values()
        for entity in entities:
            if entity.arn == arn:
                return entity
    raise LookupError(
        f"No credentials, user or role {arn!r} in this mock: pass Credentials, an access "
        "key id it issued, or the ARN of an existing user or role."
    )
