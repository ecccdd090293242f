"""AWS's IAM policy simulator: SimulatePrincipalPolicy, SimulateCustomPolicy, and the condition
keys policies read (GetContextKeysForPrincipalPolicy, GetContextKeysForCustomPolicy).

The simulator decides with the engine that decides every request (``_policy._decide.decide``),
over the policies a simulation names instead of a caller's: an entity's identity policies
(a user's with its groups'), those given in PolicyInputList, a permissions boundary, the SCPs of
the entity's organization, and a resource policy given as text. Only what ContextEntries
supply is in the request context: the simulator knows no request to read keys from (IAM User
Guide, "Testing IAM policies with the IAM policy simulator": context keys are values you
supply).

Answers as AWS gives them (IAM API Reference, SimulatePrincipalPolicy, SimulateCustomPolicy,
EvaluationResult, ResourceSpecificResult, as botocore's model documents them): one result per
action, whose decision is the most restrictive over the resources simulated, with each
resource's own in ResourceSpecificResults when ResourceArns name resources; MatchedStatements
lists the statements of identity and resource policies that apply to an allowed or explicitly
denied request, resource policy first [O]; statements are placed as ``_policy._simulation``
says. What AWS calls the sources [O] (outputs of AWS quoted in public issues and posts:
aws-containers/amazon-ecs-exec-checker#70, ScottLogic blog "Automated IAM policy simulator
testing"): "IAM Policy" for identity policies, named by a managed policy's name, an inline
policy's ``<user|group|role>_<entity>_<policy>``, or ``PolicyInputList.<n>``; "Resource
Policy" named ``ResourcePolicy``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages, _managed
from mock_sts._access import account_controls
from mock_sts._iam._common import account_of, invalid_input, no_such_entity, page_of
from mock_sts._policy import (
    ConditionValue,
    Policy,
    PolicyError,
    PolicyKind,
    Principal,
    Request,
    context_keys,
    parse_policy,
    statement_keys,
    statement_spans,
)
from mock_sts._policy._decide import SCP, Grant, Level, decide
from mock_sts._state import Group, ManagedPolicy, Role, User

if TYPE_CHECKING:
    from mock_sts._decision import Decision
    from mock_sts._operation import Context

IDENTITY_TYPE = "IAM Policy"
RESOURCE_TYPE = "Resource Policy"
RESOURCE_ID = "ResourcePolicy"

ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY = "allowed", "explicitDeny", "implicitDeny"
# The most restrictive decision wins the top-level result.
_SEVERITY = {ALLOWED: 0, IMPLICIT_DENY: 1, EXPLICIT_DENY: 2}

_ENTITY_ARN = re.compile(r"arn:[^:]+:iam::(\d{12}):(user|group|role)(/(?:[^/]+/)*)([^/]+)")
_ACCOUNT_ARN = re.compile(r"arn:[^:]+:iam::(\d{12}):root")
# One action of one service: the simulator takes no wildcard (IAM API Reference).
_ACTION = re.compile(r"[A-Za-z0-9-]+:[A-Za-z0-9_.-]+")


@dataclass(frozen=True)
class _Source:
    """A policy the simulation reads, with the names MatchedStatements gives it."""

    policy_id: str
    policy_type: str
    policy: Policy
    # What PolicyExclusionList may name it by: a managed policy's ARN (and whether AWS
    # manages it), an inline policy's (attachment type, entity name, policy name).
    arn: str | None = None
    aws_managed: bool = False
    inline: tuple[str, str, str] | None = None
    boundary: bool = False  # the entity's permissions boundary

    @property
    def exclusion_type(self) -> str:
        """The PolicyType that PolicyExclusionList excludes it by."""
        if self.inline is not None:
            return "inline"
        if self.boundary:
            return "permission-boundary"
        return "aws-managed" if self.aws_managed else "user-managed"


@dataclass(frozen=True)
class _Simulation:
    """What one simulation decides its requests with."""

    identity: tuple[_Source, ...]
    boundary: _Source | None
    resource: _Source | None
    controls: tuple[Level, ...]
    principal: Principal | None
    resource_owner: str | None  # ResourceOwner's account
    context: Mapping[str, ConditionValue]

    @property
    def grant(self) -> Grant:
        boundary = self.boundary
        return Grant(
            identity=tuple((s.policy_id, s.policy) for s in self.identity),
            boundary=None if boundary is None else (boundary.policy_id, boundary.policy),
            controls=self.controls,
        )


@dataclass(frozen=True)
class _Outcome:
    """The simulation of one action on one resource."""

    resource: str
    decision: str
    matched: tuple[dict[str, Any], ...]
    missing: tuple[str, ...]
    allowed_by_organizations: bool
    allowed_by_boundary: bool
    details: dict[str, str] | None  # per policy type, across accounts only


# ---------------------------------------------------------------------------------------
# Operations


def simulate_principal_policy(ctx: Context) -> Mapping[str, Any]:
    entity = _source_entity(ctx)
    given = _given_policies(ctx.params.get("PolicyInputList"), "PolicyInputList")
    caller = ctx.params.get("CallerArn")
    # A user is the caller of its own simulation; a group or role needs CallerArn for a
    # resource policy to name (IAM API Reference, SimulatePrincipalPolicy).
    principal = _principal(caller) if caller is not None else _user_principal(entity)
    excluded = _exclusions(ctx.params.get("PolicyExclusionList") or ())
    # SCPs bind every principal of a member account but service-linked roles
    # (Organizations UG, "Tasks and entities not restricted by SCPs").
    exempt = isinstance(entity, Role) and entity.path.startswith("/aws-service-role/")
    exempt = exempt or "scp" in excluded.types
    own_boundary = _entity_boundary(entity)
    if own_boundary is not None and excluded.excludes(own_boundary):
        own_boundary = None
    simulation = _simulation(
        ctx,
        identity=(*(s for s in _entity_sources(entity) if not excluded.excludes(s)), *given),
        boundary=_boundary(ctx) or own_boundary,
        controls=() if exempt else account_controls(ctx.backend, entity.account.account_id),
        principal=principal,
    )
    return _simulate(ctx, simulation)


def simulate_custom_policy(ctx: Context) -> Mapping[str, Any]:
    caller = ctx.params.get("CallerArn")
    levels = ctx.params.get("OrderedOrganizationPolicyInputList") or ()
    simulation = _simulation(
        ctx,
        identity=_given_policies(ctx.params["PolicyInputList"], "PolicyInputList"),
        boundary=_boundary(ctx),
        controls=tuple(_level(index, level) for index, level in enumerate(levels, 1)),
        principal=None if caller is None else _principal(caller),
    )
    return _simulate(ctx, simulation)


def get_context_keys_for_custom_policy(ctx: Context) -> Mapping[str, Any]:
    sources = _given_policies(ctx.params["PolicyInputList"], "PolicyInputList")
    return {"ContextKeyNames": list(context_keys(tuple(s.policy for s in sources)))}


def get_context_keys_for_principal_policy(ctx: Context) -> Mapping[str, Any]:
    entity = _source_entity(ctx)
    given = _given_policies(ctx.params.get("PolicyInputList"), "PolicyInputList")
    sources = (*_entity_sources(entity), *given)
    return {"ContextKeyNames": list(context_keys(tuple(s.policy for s in sources)))}


# ---------------------------------------------------------------------------------------
# What a simulation reads


def _source_entity(ctx: Context) -> User | Group | Role:
    """The user, group or role PolicySourceArn names, in the caller's account."""
    arn: str = ctx.params["PolicySourceArn"]
    match = _ENTITY_ARN.fullmatch(arn)
    if match is None:
        raise invalid_input(_iam_messages.SIMULATION_SOURCE_INVALID.format(arn))
    account_id, kind, _, name = match.groups()
    account = account_of(ctx)
    lookup = {"user": account.user, "group": account.group, "role": account.role}[kind]
    entity = lookup(name) if account_id == account.account_id else None
    if entity is None or entity.arn != arn:
        missing = {
            "user": _iam_messages.NO_SUCH_USER,
            "group": _iam_messages.NO_SUCH_GROUP,
            "role": _iam_messages.NO_SUCH_ROLE,
        }[kind]
        raise no_such_entity(missing.format(name))
    return entity


def _entity_sources(entity: User | Group | Role) -> list[_Source]:
    """The identity policies of an entity, a user's groups' included: inline ones, then
    attached ones, the entity's before its groups'."""
    owners: list[User | Group | Role] = [entity]
    if isinstance(entity, User):
        owners += entity.groups
    sources = []
    for owner in owners:
        kind = "user" if isinstance(owner, User) else "role" if isinstance(owner, Role) else "group"
        for name, document in owner.inline_policies.items():
            policy = parse_policy(document, PolicyKind.IDENTITY)
            inline = (kind, owner.name, name)
            sources.append(
                _Source(f"{kind}_{owner.name}_{name}", IDENTITY_TYPE, policy, inline=inline)
            )
        backend = entity.account.backend
        attached = (_managed.managed_policy(backend, arn) for arn in owner.attached_policies)
        sources += [_managed_source(managed) for managed in attached if managed is not None]
    return sources


def _managed_source(managed: ManagedPolicy) -> _Source:
    policy = parse_policy(managed.document, PolicyKind.IDENTITY)
    aws = managed.account is None
    return _Source(managed.name, IDENTITY_TYPE, policy, arn=managed.arn, aws_managed=aws)


def _entity_boundary(entity: User | Group | Role) -> _Source | None:
    arn = None if isinstance(entity, Group) else entity.permissions_boundary
    managed = None if arn is None else _managed.managed_policy(entity.account.backend, arn)
    if managed is None:
        return None
    return dataclasses.replace(_managed_source(managed), boundary=True)


@dataclass(frozen=True)
class _Exclusions:
    """PolicyExclusionList: the entity's policies a simulation leaves out, "to test what the
    simulation result would be if a policy were removed" (IAM API Reference,
    SimulatePrincipalPolicy, PolicyIdentifier). Identifiers that match nothing, and those of
    RCPs, are ignored; policies given with the request are never excluded."""

    types: frozenset[str]
    arns: tuple[re.Pattern[str], ...]
    inline: tuple[tuple[str, str, re.Pattern[str]], ...]  # policy name, type, entity names

    def excludes(self, source: _Source) -> bool:
        if source.exclusion_type in self.types:
            return True
        if source.inline is not None:
            kind, entity, name = source.inline
            return any((n, t) == (name, kind) and p.fullmatch(entity) for n, t, p in self.inline)
        return any(p.fullmatch(source.arn or "") for p in self.arns)


def _exclusions(identifiers: Iterable[Mapping[str, Any]]) -> _Exclusions:
    """The exclusions PolicyExclusionList names; each member sets one of its three forms
    (botocore refuses a union with more or none)."""
    types, arns, inline = set(), [], []
    for identifier in identifiers:
        if "PolicyType" in identifier:
            types.add(identifier["PolicyType"])
        if "PolicyArn" in identifier:
            arns.append(_arn_pattern(identifier["PolicyArn"]))
        if "InlinePolicyIdentifier" in identifier:
            named = identifier["InlinePolicyIdentifier"]
            # The API Reference allows wildcards in AttachmentName, but the model's pattern
            # for it ([\w+=,.@-]+), checked before any operation runs, admits none.
            pattern = _wildcards(named["AttachmentName"])
            inline.append((named["PolicyName"], named["AttachmentType"], pattern))
    return _Exclusions(frozenset(types), tuple(arns), tuple(inline))


def _arn_pattern(arn: str) -> re.Pattern[str]:
    """A PolicyArn of PolicyExclusionList: wildcards only in the resource part."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or any(c in ":".join(parts[:5]) for c in "*?"):
        raise invalid_input(_iam_messages.SIMULATION_EXCLUSION_INVALID.format(arn))
    return _wildcards(arn)


def _wildcards(text: str) -> re.Pattern[str]:
    """``text`` with at most one ``*`` (any run of characters) and any ``?`` (one)."""
    if text.count("*") > 1:
        raise invalid_input(_iam_messages.SIMULATION_EXCLUSION_INVALID.format(text))
    pattern = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)
    return re.compile(pattern, re.DOTALL)


def _boundary(ctx: Context) -> _Source | None:
    """PermissionsBoundaryPolicyInputList's one policy, which replaces the entity's boundary."""
    given = _given_policies(
        ctx.params.get("PermissionsBoundaryPolicyInputList"), "PermissionsBoundaryPolicyInputList"
    )
    if len(given) > 1:
        raise invalid_input(_iam_messages.SIMULATION_ONE_BOUNDARY)
    return given[0] if given else None


def _given_policies(documents: Sequence[str] | None, parameter: str) -> list[_Source]:
    return [
        _Source(f"{parameter}.{index}", IDENTITY_TYPE, _parsed(document, f"{parameter}.{index}"))
        for index, document in enumerate(documents or (), 1)
    ]


def _parsed(document: str, where: str, kind: PolicyKind = PolicyKind.IDENTITY) -> Policy:
    try:
        return parse_policy(document, kind)
    except PolicyError as error:
        raise invalid_input(
            _iam_messages.SIMULATION_POLICY_INVALID.format(where, error.message)
        ) from None


def _level(index: int, level: Mapping[str, Any]) -> Level:
    """One level of OrderedOrganizationPolicyInputList: the SCPs of the root, an OU or the
    account, in that order."""
    where = f"OrderedOrganizationPolicyInputList.{index}.ServiceControlPolicyInputList"
    documents = level.get("ServiceControlPolicyInputList") or ()
    policies = tuple(
        (f"{where}.{number}", _parsed(document, f"{where}.{number}"))
        for number, document in enumerate(documents, 1)
    )
    return Level(f"level {index}", policies)


def _principal(arn: str) -> Principal:
    """The simulated caller CallerArn names: an IAM user, group or role."""
    match = _ENTITY_ARN.fullmatch(arn)
    if match is None:
        raise invalid_input(_iam_messages.SIMULATION_CALLER_INVALID.format(arn))
    account_id, kind = match.group(1), match.group(2)
    return Principal(account=account_id, arn=arn, role_arn=arn if kind == "role" else None)


def _user_principal(entity: User | Group | Role) -> Principal | None:
    if not isinstance(entity, User):
        return None
    return Principal(entity.account.account_id, entity.arn, user_id=entity.user_id)


def _simulation(
    ctx: Context,
    *,
    identity: Sequence[_Source],
    boundary: _Source | None,
    controls: tuple[Level, ...],
    principal: Principal | None,
) -> _Simulation:
    text = ctx.params.get("ResourcePolicy")
    resource = None
    if text is not None:
        if principal is None:
            raise invalid_input(_iam_messages.SIMULATION_CALLER_REQUIRED)
        policy = _parsed(text, RESOURCE_ID, PolicyKind.RESOURCE)
        resource = _Source(RESOURCE_ID, RESOURCE_TYPE, policy)
    owner = ctx.params.get("ResourceOwner")
    owner_match = None if owner is None else _ACCOUNT_ARN.fullmatch(owner)
    if owner is not None and owner_match is None:
        raise invalid_input(_iam_messages.SIMULATION_OWNER_INVALID.format(owner))
    for action in ctx.params["ActionNames"]:
        if _ACTION.fullmatch(action) is None:
            raise invalid_input(_iam_messages.SIMULATION_ACTION_INVALID.format(action))
    return _Simulation(
        identity=tuple(identity),
        boundary=boundary,
        resource=resource,
        controls=controls,
        principal=principal,
        resource_owner=None if owner_match is None else owner_match.group(1),
        context=_context(ctx.params.get("ContextEntries") or ()),
    )


def _context(entries: Iterable[Mapping[str, Any]]) -> dict[str, ConditionValue]:
    """The request context ContextEntries make: a list type's values are a multivalued key,
    any other type's first value a single-valued one."""
    context: dict[str, ConditionValue] = {}
    for entry in entries:
        name = entry.get("ContextKeyName")
        if name is None:
            raise invalid_input(_iam_messages.SIMULATION_CONTEXT_NAME)
        values = tuple(entry.get("ContextKeyValues") or ())
        if str(entry.get("ContextKeyType", "string")).endswith("List"):
            context[name] = values
        elif values:
            context[name] = values[0]
    return context


# ---------------------------------------------------------------------------------------
# Deciding


def _simulate(ctx: Context, simulation: _Simulation) -> Mapping[str, Any]:
    resources: list[str] = ctx.params.get("ResourceArns") or ["*"]
    specific = resources != ["*"]
    results = [
        _result(simulation, action, [_outcome(simulation, action, r) for r in resources], specific)
        for action in ctx.params["ActionNames"]
    ]
    return page_of(ctx, results, "EvaluationResults")


def _outcome(simulation: _Simulation, action: str, resource: str) -> _Outcome:
    request = Request(action, resource, simulation.principal, simulation.context)
    owner = _owner(simulation, resource)
    resource_policy = simulation.resource
    decision = decide(
        request,
        simulation.grant,
        resource_policy=None if resource_policy is None else (RESOURCE_ID, resource_policy.policy),
        resource_account=owner,
        either=True,
    )
    verdict = _decided(decision)
    by_organizations = decision.denied_by != SCP
    # A denial by the organization ends the simulation before any other policy is read.
    matched = (
        () if verdict == IMPLICIT_DENY or not by_organizations else _matched(simulation, request)
    )
    boundary = simulation.boundary
    within_boundary = boundary is None or _verdict(boundary.policy, request) == ALLOWED
    principal = simulation.principal
    across = owner is not None and principal is not None and owner != principal.account
    details = _details(simulation, request) if across else None
    return _Outcome(
        resource,
        verdict,
        matched,
        _missing(simulation, request),
        by_organizations,
        within_boundary,
        details,
    )


def _owner(simulation: _Simulation, resource: str) -> str | None:
    """The account that owns the resource, when a resource policy is simulated: the one its
    ARN names, else ResourceOwner's, else the caller's (IAM API Reference)."""
    if simulation.resource is None:
        return None
    parts = resource.split(":", 5)
    if len(parts) == 6 and parts[4].isdigit():
        return parts[4]
    if simulation.resource_owner is not None:
        return simulation.resource_owner
    assert simulation.principal is not None  # a resource policy needs a caller
    return simulation.principal.account


def _decided(decision: Decision) -> str:
    if decision.allowed:
        return ALLOWED
    return EXPLICIT_DENY if decision.explicit_deny else IMPLICIT_DENY


def _verdict(policy: Policy, request: Request) -> str:
    evaluation = policy.evaluate(request)
    return EXPLICIT_DENY if evaluation.denied else ALLOWED if evaluation.allowed else IMPLICIT_DENY


def _details(simulation: _Simulation, request: Request) -> dict[str, str]:
    """EvalDecisionDetails of a request across accounts: what each side decides [U for the
    names of the sides]."""
    identity = decide(request, simulation.grant)
    assert simulation.resource is not None
    return {
        IDENTITY_TYPE: _decided(identity),
        RESOURCE_TYPE: _verdict(simulation.resource.policy, request),
    }


def _sources(simulation: _Simulation) -> tuple[_Source, ...]:
    """The policies MatchedStatements and MissingContextValues speak of: the resource
    policy, then the identity policies (never a boundary nor an SCP, IAM API Reference)."""
    resource = simulation.resource
    return simulation.identity if resource is None else (resource, *simulation.identity)


def _matched(simulation: _Simulation, request: Request) -> tuple[dict[str, Any], ...]:
    matched = []
    for source in _sources(simulation):
        policy = source.policy
        applying = set(policy.evaluate(request).statements)
        spans = statement_spans(policy.text)
        for index, statement in enumerate(policy.statements):
            if statement.label in applying:
                (start_line, start_column), (end_line, end_column) = spans[index]
                matched.append(
                    {
                        "SourcePolicyId": source.policy_id,
                        "SourcePolicyType": source.policy_type,
                        "StartPosition": {"Line": start_line, "Column": start_column},
                        "EndPosition": {"Line": end_line, "Column": end_column},
                    }
                )
    return tuple(matched)


def _missing(simulation: _Simulation, request: Request) -> tuple[str, ...]:
    """The condition keys of the statements that name the action and the resource, which
    the request context lacks."""
    missing: dict[str, str] = {}
    for source in _sources(simulation):
        for statement in source.policy.statements:
            if statement.reaches(request.action_key, request.resource, request.keys):
                for key in statement_keys(source.policy, statement):
                    if key.lower() not in request.keys:
                        missing.setdefault(key.lower(), key)
    return tuple(missing.values())


def _result(
    simulation: _Simulation, action: str, outcomes: Sequence[_Outcome], specific: bool
) -> dict[str, Any]:
    """An action's EvaluationResult: the most restrictive decision, every statement and
    missing key (once), and each resource's own result when resources were named."""
    result: dict[str, Any] = {
        "EvalActionName": action,
        "EvalResourceName": _resource_name(action, [o.resource for o in outcomes])
        if specific
        else "*",
        "EvalDecision": max((o.decision for o in outcomes), key=_SEVERITY.__getitem__),
        "MatchedStatements": _once(m for o in outcomes for m in o.matched),
        "MissingContextValues": _once(k for o in outcomes for k in o.missing),
    }
    if simulation.controls:
        allowed = all(o.allowed_by_organizations for o in outcomes)
        result["OrganizationsDecisionDetail"] = {"AllowedByOrganizations": allowed}
    if simulation.boundary is not None:
        allowed = all(o.allowed_by_boundary for o in outcomes)
        result["PermissionsBoundaryDecisionDetail"] = {"AllowedByPermissionsBoundary": allowed}
    if specific:
        result["EvalDecisionDetails"] = _most_restrictive([o.details or {} for o in outcomes])
        result["ResourceSpecificResults"] = [_specific(simulation, o) for o in outcomes]
    return result


def _specific(simulation: _Simulation, outcome: _Outcome) -> dict[str, Any]:
    specific: dict[str, Any] = {
        "EvalResourceName": outcome.resource,
        "EvalResourceDecision": outcome.decision,
        "MatchedStatements": list(outcome.matched),
        "MissingContextValues": list(outcome.missing),
    }
    if outcome.details is not None:
        specific["EvalDecisionDetails"] = outcome.details
    if simulation.boundary is not None:
        allowed = outcome.allowed_by_boundary
        specific["PermissionsBoundaryDecisionDetail"] = {"AllowedByPermissionsBoundary": allowed}
    return specific


def _resource_name(action: str, resources: Sequence[str]) -> str:
    """The top-level EvalResourceName: the ARN template of the resource type simulated
    (``arn:${Partition}:s3:::${BucketName}/${ObjectName}``), or "*" where the action has none
    (IAM API Reference, EvaluationResult)."""
    from mock_sts._services._catalogue import resource_template

    for resource in resources:
        template = resource_template(action, resource)
        if template is not None:
            return template
    return "*"


def _most_restrictive(details: Sequence[Mapping[str, str]]) -> dict[str, str]:
    """The most restrictive decision per policy type over the resources (IAM API Reference)."""
    merged: dict[str, str] = {}
    for detail in details:
        for kind, decision in detail.items():
            current = merged.get(kind, ALLOWED)
            merged[kind] = max(current, decision, key=_SEVERITY.__getitem__)
    return merged


def _once(items: Iterable[Any]) -> list[Any]:
    """Each item once, in the order first met (dicts compared by value)."""
    kept: list[Any] = []
    for item in items:
        if item not in kept:
            kept.append(item)
    return kept
