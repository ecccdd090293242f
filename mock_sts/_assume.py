"""Who may assume a role: the checks an AssumeRole makes beyond its parameters (callers no
role admits, roles that do not exist, the trust policy with the caller's own policies), made
alike for the request and for ``MockSTS.evaluate``, which answers as the request would."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING

from mock_sts import _access
from mock_sts._access import role_of
from mock_sts._decision import Decision
from mock_sts._policy import Principal
from mock_sts._policy._match import BUILT_IN_PROVIDERS
from mock_sts._sessions import inherited_tags, overlay_tags
from mock_sts._state import Role, Root, Session, SessionKind

if TYPE_CHECKING:
    from mock_sts._operation import RequestInfo
    from mock_sts._policy import ConditionKeys, ConditionValue
    from mock_sts._state import Backend, Caller


# The actions decided on a role as AssumeRole decides them, trust policy included, by their
# lower-cased names (action names are case-insensitive).
_ON_A_ROLE = {
    action.lower(): action
    for action in (
        "sts:AssumeRole",
        "sts:AssumeRoleWithWebIdentity",
        "sts:AssumeRoleWithSAML",
        "sts:TagSession",
        "sts:SetSourceIdentity",
    )
}
# As _access.role_of reads role ARNs: one that matches names a role, or none, never an error.
_ROLE_ARN = re.compile(r"arn:[a-z0-9-]+:iam::\d{12}:role/(?:[^/]+/)*[^/]+")
_PROVIDER_ARN = re.compile(r"arn:[a-z0-9-]+:iam::\d{12}:(?:oidc-provider|saml-provider)/.+")


def on_a_role(action: str, resource: str) -> str | None:
    """The action (as STS names it) when ``action`` on ``resource`` is decided by a role's
    trust policy as an AssumeRole is; None for anything else."""
    return _ON_A_ROLE.get(action.lower()) if _ROLE_ARN.fullmatch(resource) else None


def is_provider(value: str) -> bool:
    """Whether ``value`` names an identity provider, as a federated principal: an IAM OIDC
    or SAML provider's ARN, or a provider IAM knows without one (accounts.google.com)."""
    return value in BUILT_IN_PROVIDERS or _PROVIDER_ARN.fullmatch(value) is not None


def barred(caller: Caller) -> str | None:
    """Why the caller may assume no role at all, whatever the policies say; None if it may."""
    calling = caller.session
    if calling is not None and calling.kind is SessionKind.FEDERATED:
        return "federated users may not assume roles"
    if isinstance(caller.principal, Root):
        return "an account's root user may not assume roles"
    return None


def missing_role(backend: Backend, role_arn: str) -> str:
    """Why a role ARN (a well-formed one) names no role: none of that name, or its path."""
    account_id = role_arn.split(":")[4]
    name = role_arn.rsplit("/", 1)[1]
    account = backend.accounts.get(account_id)
    role = account.role(name) if account is not None else None
    if role is None:
        return f"no role named {name} in {account_id}"
    return f"no role {role_arn}: the role named {name} in {account_id} is {role.arn}"


def assume_actions(
    action: str, calling: Session | None, *, tagged: bool, source_identity: bool
) -> list[str]:
    """The actions an AssumeRole checks: sts:TagSession when it tags the session (session
    tags passed or carried along a chain), sts:SetSourceIdentity when it sets one."""
    actions = [action]
    if tagged:
        actions.append("sts:TagSession")
    if source_identity or (calling is not None and calling.source_identity):
        # A source identity carried along a chain is set on the new session again.
        actions.append("sts:SetSourceIdentity")
    return actions


def trusted(
    caller: Caller, info: RequestInfo, role: Role, actions: list[str], context: ConditionKeys
) -> Iterator[Decision]:
    """The decision on each action of an AssumeRole: the role's trust policy and the
    caller's own policies, as AWS combines them."""
    return _access.decisions(
        caller,
        info,
        actions,
        role.arn,
        context=context,
        resource_policy=(f"the trust policy of role {role.name}", _access.trust_policy(role)),
        resource_account=role.account_id,
    )


def assume_role_decision(
    backend: Backend,
    caller: Caller,
    info: RequestInfo,
    action: str,
    role_arn: str,
    context: ConditionKeys,
) -> Decision:
    """What an AssumeRole of ``role_arn`` by ``caller`` would be decided on ``action`` (one
    of the actions an AssumeRole checks) with ``context`` added to the request's keys: the
    same checks, in the same order, as the request makes (MockSTS.evaluate)."""
    refusal = barred(caller)
    if refusal is not None:
        return Decision(False, refusal)
    role = role_of(backend, role_arn)
    if role is None:
        return Decision(False, missing_role(backend, role_arn))
    calling = caller.session
    inherited = inherited_tags(calling)
    actions = [action]
    if action == "sts:AssumeRole":
        tagged = bool(inherited) or any(_is_tag_key(key) for key in context)
        actions = assume_actions(
            action, calling, tagged=tagged, source_identity="sts:SourceIdentity" in context
        )
    keys = {**role_keys(role, inherited), **context}
    decisions = trusted(caller, info, role, actions, keys)
    asked = next(decisions)
    # The first refusal decides, as it refuses the request; else the asked action's grant.
    return next((decision for decision in decisions if not decision), asked) if asked else asked


def federated_decision(
    backend: Backend,
    provider: str,
    info: RequestInfo,
    action: str,
    role_arn: str,
    context: ConditionKeys,
) -> Decision:
    """What the role's trust policy decides on ``action`` for the bearer of a token or an
    assertion of ``provider`` (an IAM provider's ARN or a built-in provider's host)."""
    role = role_of(backend, role_arn)
    if role is None:
        return Decision(False, missing_role(backend, role_arn))
    principal = Principal(account="", arn="", federated=provider)
    trust = (f"the trust policy of role {role.name}", _access.trust_policy(role))
    keys = {**role_keys(role, {}), **context}
    return _access.authorize_federated(
        principal, info, action, role.arn, keys, trust, role.account_id
    )


def _is_tag_key(key: str) -> bool:
    lowered = key.lower()
    return lowered.startswith("aws:requesttag/") or lowered in (
        "aws:tagkeys",
        "sts:transitivetagkeys",
    )


def role_keys(role: Role, inherited: Mapping[str, str]) -> dict[str, ConditionValue]:
    """The role's tags as the condition keys of a request on it; during chaining, inherited
    transitive tags stand in for the role's own."""
    keys: dict[str, ConditionValue] = {}
    for key, value in overlay_tags(role.tags, inherited).items():
        keys[f"aws:ResourceTag/{key}"] = value
        keys[f"iam:ResourceTag/{key}"] = value
    return keys
