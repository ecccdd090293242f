"""Authorization decisions: how AWS combines the policies that apply to one request.

Pure functions over parsed policies, in AWS's order (STS_REFERENCE §6.3, §6.7): an
explicit Deny anywhere wins; a resource policy (such as a role's trust policy), when
there is one, must allow; the identity side must allow too unless the resource policy
names the caller itself in the caller's own account; permissions boundaries and session
policies then narrow what is left, except for what a resource policy grants the exact
principal directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mock_sts._decision import Decision
from mock_sts._policy import Evaluation, MatchClass, Policy, Request

# The kinds of policy, as AWS's denial messages name them.
RESOURCE = "resource-based policy"
IDENTITY = "identity-based policy"
BOUNDARY = "permissions boundary"
SESSION = "session policy"
SCP = "service control policy"
RCP = "resource control policy"

# A policy with the words that name it in a reason, e.g. "inline policy 'deploy' of user bob".
Labelled = tuple[str, Policy]


@dataclass(frozen=True)
class Level:
    """One level of an organization (its root, an OU, an account) and the SCPs or RCPs
    attached there: at every level some policy must allow and none may deny (Organizations
    UG, "SCP evaluation", "RCP evaluation")."""

    name: str  # e.g. "root r-ab12", "account 222222222222"
    policies: Sequence[Labelled]


@dataclass(frozen=True)
class Grant:
    """The policies that bind a principal.

    ``identity`` None stands for an account's root user, whom identity policies do not
    bind in its own account. ``session`` None means no session policies narrow the
    principal; a federated user's session passes the ones it has, possibly none, since
    without a session policy it has no permissions of its own.
    """

    identity: Sequence[Labelled] | None = ()
    boundary: Labelled | None = None
    session: Sequence[Labelled] | None = None
    # Policies that can only deny (a root session's task policy): their Deny statements
    # apply, and nothing needs their Allow.
    guardrails: Sequence[Labelled] = ()
    # Scope-down layers (GetScopedCredentials): each one must allow, whatever granted it.
    scopes: Sequence[Labelled] = ()
    # The SCPs of the principal's account, from the organization's root down (none outside
    # an organization, in its management account, or for a service-linked role).
    controls: Sequence[Level] = ()


def decide(
    request: Request,
    grant: Grant,
    *,
    resource_policy: Labelled | None = None,
    resource_account: str | None = None,
    either: bool = False,
    resource_controls: Sequence[Level] = (),
) -> Decision:
    """AWS's decision on ``request`` made by the principal that ``grant`` describes.

    ``resource_policy`` is the target's own policy; ``resource_account`` owns the target
    (None: the caller's own account); ``resource_controls`` are the RCPs that bind it. With
    ``either`` (bucket, queue, topic, function and secret policies), the resource policy need
    not allow in the caller's own account, where an identity-based Allow does as well; across
    accounts it must allow, and a resource without one grants nobody (IAM UG, "Cross-account
    policy evaluation logic"). Without it (trust and key policies), the resource policy must
    always allow.
    """
    # Every policy is evaluated once; its Deny counts first, its Allow afterwards.
    evaluated: dict[int, Evaluation] = {}
    # The organization's policies come first in AWS's order (IAM UG, "Policy evaluation
    # logic"): RCPs of the resource's account, then SCPs of the principal's.
    layers = [(RCP, level) for level in resource_controls]
    layers += [(SCP, level) for level in grant.controls]
    refusal = _organization_refusal(request, layers, evaluated, explicit=True)
    if refusal is not None:
        return refusal
    for kind, (label, policy) in _all_policies(grant, resource_policy):
        evaluation = evaluated[id(policy)] = policy.evaluate(request)
        if evaluation.denied:
            reason = f"explicitly denied by {label} ({_statements(evaluation.denying)})"
            return Decision(False, reason, explicit_deny=True, denied_by=kind)
    refusal = _organization_refusal(request, layers, evaluated, explicit=False)
    if refusal is not None:
        return refusal

    same_account = _same_account(request, resource_account)
    direct, exact = False, False
    if either and resource_policy is None and not same_account:
        reason = f"cross-account: no resource-based policy allows {request.action}"
        return Decision(False, reason, denied_by=RESOURCE)
    if resource_policy is not None:
        label, policy = resource_policy
        trust = evaluated[id(policy)]
        if either and same_account and not trust.allowed:
            # Only the identity side can allow now: as if the resource had no policy.
            resource_policy = None
        elif not trust.allowed:
            reason = f"{label}: {policy.explain(request)}"
            return Decision(False, reason, denied_by=RESOURCE)
        # Federated and service principals have no identity side at all; AWS principals
        # are granted by the resource policy alone only in their own account, and only
        # when it names them or their role rather than their whole account.
        direct = trust.match in (MatchClass.FEDERATED, MatchClass.SERVICE) or (
            same_account and trust.match in (MatchClass.DIRECT, MatchClass.ROLE)
        )
        exact = direct and trust.match is MatchClass.DIRECT

    identity_source = _allowing(evaluated, grant.identity)
    if not direct and grant.identity is not None and identity_source is None:
        scope = "" if same_account else "cross-account: "
        reason = f"{scope}no identity-based policy allows {request.action}"
        return Decision(False, reason + _near(grant.identity, request), denied_by=IDENTITY)

    if not exact:
        if grant.boundary is not None and not evaluated[id(grant.boundary[1])].allowed:
            return Decision(False, f"{grant.boundary[0]} does not allow it", denied_by=BOUNDARY)
        if grant.session is not None and _allowing(evaluated, grant.session) is None:
            reason = f"no session policy allows {request.action}"
            return Decision(False, reason, denied_by=SESSION)

    for layer_label, layer in grant.scopes:
        if not evaluated[id(layer)].allowed:
            return Decision(False, f"{layer_label} does not allow it", denied_by=SESSION)

    if direct and resource_policy is not None:
        return Decision(True, f"allowed by {resource_policy[0]}")
    if identity_source is None:
        return Decision(True, "allowed: the account's root user")
    if resource_policy is not None:
        return Decision(True, f"allowed by {identity_source} and by {resource_policy[0]}")
    return Decision(True, f"allowed by {identity_source}")


def _organization_refusal(
    request: Request,
    layers: Sequence[tuple[str, Level]],
    evaluated: dict[int, Evaluation],
    *,
    explicit: bool,
) -> Decision | None:
    """The refusal of an organization's policies: with ``explicit``, a Deny statement of
    any of them; otherwise a level where none allows."""
    for kind, level in layers:
        allowed = False
        for label, policy in level.policies:
            evaluation = evaluated.get(id(policy))
            if evaluation is None:
                evaluation = evaluated[id(policy)] = policy.evaluate(request)
            if explicit and evaluation.denied:
                reason = (
                    f"explicitly denied by {label} {_statements(evaluation.denying)} "
                    f"(attached to {level.name})"
                )
                return Decision(False, reason, explicit_deny=True, denied_by=kind)
            allowed = allowed or evaluation.allowed
        if not explicit and not allowed:
            reason = f"no {kind} attached to {level.name} allows {request.action}"
            return Decision(False, reason, denied_by=kind)
    return None


def _all_policies(grant: Grant, resource_policy: Labelled | None) -> list[tuple[str, Labelled]]:
    """Every policy that applies, with the kind AWS names it by in a denial."""
    policies = [(RESOURCE, resource_policy)] if resource_policy is not None else []
    policies += [(IDENTITY, labelled) for labelled in grant.identity or ()]
    if grant.boundary is not None:
        policies.append((BOUNDARY, grant.boundary))
    sessions = (*(grant.session or ()), *grant.guardrails, *grant.scopes)
    policies += [(SESSION, labelled) for labelled in sessions]
    return policies


def _allowing(
    evaluated: Mapping[int, Evaluation], policies: Sequence[Labelled] | None
) -> str | None:
    """The label of the first of ``policies`` whose evaluation allows the request, if any."""
    for label, policy in policies or ():
        if evaluated[id(policy)].allowed:
            return label
    return None


def _near(policies: Sequence[Labelled], request: Request) -> str:
    """Which condition stopped the first identity statement that came near, if one did."""
    for label, policy in policies:
        for failure in policy.failed_conditions(request):
            return f" ({label}: {failure})"
    return ""


def _same_account(request: Request, resource_account: str | None) -> bool:
    principal = request.principal
    return resource_account is None or (
        principal is not None and principal.account == resource_account
    )


def _statements(labels: Sequence[str]) -> str:
    return "statement " + ", ".join(labels)
