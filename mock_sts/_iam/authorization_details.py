"""GetAccountAuthorizationDetails: the account's users, groups, roles and managed policies in
one snapshot, each with the policies it holds, as the family operations show them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _managed
from mock_sts._iam._common import account_of, boundary_shape, grouped_page, tag_list, user_shape
from mock_sts._iam.groups import group_shape
from mock_sts._iam.instance_profiles import profiles_of
from mock_sts._iam.policies import attached_policies, inline_policies, policy_shape, versions_of
from mock_sts._iam.roles import role_summary
from mock_sts._state import Account, Group, ManagedPolicy, Role, User

if TYPE_CHECKING:
    from mock_sts._operation import Context


# The Filter values, and the list each one's entities are listed in, in the order AWS lists
# (and pages) them (IAM API Reference, GetAccountAuthorizationDetails).
_LISTS = {
    "User": "UserDetailList",
    "Group": "GroupDetailList",
    "Role": "RoleDetailList",
    "LocalManagedPolicy": "Policies",
    "AWSManagedPolicy": "Policies",
}


def _by_name(entities: Mapping[str, Any]) -> list[Any]:
    return sorted(entities.values(), key=lambda entity: entity.name.lower())


def _user_detail(user: User) -> dict[str, Any]:
    return {
        **user_shape(user),
        "UserPolicyList": inline_policies(user),
        "GroupList": [group.name for group in user.groups],
        "AttachedManagedPolicies": attached_policies(user),
    }


def _group_detail(group: Group) -> dict[str, Any]:
    return {
        **group_shape(group),
        "GroupPolicyList": inline_policies(group),
        "AttachedManagedPolicies": attached_policies(group),
    }


def _role_detail(role: Role) -> dict[str, Any]:
    return {
        **role_summary(role),
        "InstanceProfileList": profiles_of(role),
        "RolePolicyList": inline_policies(role),
        "AttachedManagedPolicies": attached_policies(role),
        "PermissionsBoundary": boundary_shape(role.permissions_boundary),
        "Tags": tag_list(role.tags),
        "RoleLastUsed": {"LastUsedDate": role.last_used, "Region": role.last_used_region},
    }


def _policy_detail(policy: ManagedPolicy, account: Account) -> dict[str, Any]:
    shape = policy_shape(policy, account)
    del shape["Tags"]  # a ManagedPolicyDetail has none
    return {**shape, "PolicyVersionList": versions_of(policy)}


def _aws_policies_in_use(account: Account) -> list[ManagedPolicy]:
    """The AWS managed policies the account's users, groups and roles attach or have as their
    permissions boundary: the only AWS managed policies AWS lists [U for boundaries]."""
    bounded: list[User | Role] = [*account.users.values(), *account.roles.values()]
    holders: list[User | Role | Group] = [*bounded, *account.groups.values()]
    arns = {arn for holder in holders for arn in holder.attached_policies}
    arns |= {e.permissions_boundary for e in bounded if e.permissions_boundary is not None}
    found = (_managed.managed_policy(account.backend, arn) for arn in arns)
    return [policy for policy in found if policy is not None and policy.account is None]


def get_account_authorization_details(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    wanted = set(ctx.params.get("Filter") or _LISTS)
    entries: list[tuple[str, dict[str, Any]]] = []
    if "User" in wanted:
        entries += [("UserDetailList", _user_detail(u)) for u in _by_name(account.users)]
    if "Group" in wanted:
        entries += [("GroupDetailList", _group_detail(g)) for g in _by_name(account.groups)]
    if "Role" in wanted:
        entries += [("RoleDetailList", _role_detail(r)) for r in _by_name(account.roles)]
    policies: list[ManagedPolicy] = []
    if "LocalManagedPolicy" in wanted:
        policies += account.policies.values()
    if "AWSManagedPolicy" in wanted:
        policies += _aws_policies_in_use(account)
    # In ListPolicies' order: by name, then ARN.
    for policy in sorted(policies, key=lambda p: (p.name.lower(), p.arn)):
        entries.append(("Policies", _policy_detail(policy, account)))
    keys = list(dict.fromkeys(_LISTS.values()))
    return grouped_page(ctx, entries, keys, "AuthorizationDetails")
