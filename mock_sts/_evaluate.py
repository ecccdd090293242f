"""What a principal may do, decided as its request would be: the handle's question to the
policy engine (``MockSTS.evaluate``), with the principal told by its keys or its ARN."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mock_sts import _access, _assume, _state
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
    with backend.lock:
        extra = {k: v if isinstance(v, str) else tuple(v) for k, v in (context or {}).items()}
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


def _caller_for(backend: _state.Backend, principal: Credentials | str) -> _state.Caller:
    key_id = principal.access_key_id if isinstance(principal, Credentials) else principal
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
