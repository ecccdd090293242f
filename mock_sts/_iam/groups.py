"""IAM groups and their members."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages
from mock_sts._iam._common import (
    GROUPS_PER_USER,
    account_of,
    already_exists,
    check_no_policies,
    delete_conflict,
    group_named,
    page_of,
    quota_exceeded,
    rename,
    user_named,
    user_shape,
)
from mock_sts._state import Group

if TYPE_CHECKING:
    from mock_sts._operation import Context


def group_shape(group: Group) -> dict[str, Any]:
    return {
        "Path": group.path,
        "GroupName": group.name,
        "GroupId": group.group_id,
        "Arn": group.arn,
        "CreateDate": group.create_date,
    }


def _groups_page(ctx: Context, groups: Sequence[Group]) -> Mapping[str, Any]:
    ordered = sorted(groups, key=lambda g: g.name.lower())
    return page_of(ctx, [group_shape(g) for g in ordered], "Groups")


def create_group(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    name: str = ctx.params["GroupName"]
    if account.group(name) is not None:
        raise already_exists("Group", name)
    group = account.add_group(name, path=ctx.params.get("Path", "/"))
    return {"Group": group_shape(group)}


def get_group(ctx: Context) -> Mapping[str, Any]:
    group = group_named(ctx, ctx.params["GroupName"])
    users = page_of(ctx, [user_shape(u, detail=False) for u in group.users], "Users")
    return {"Group": group_shape(group), **users}


def delete_group(ctx: Context) -> Mapping[str, Any]:
    group = group_named(ctx, ctx.params["GroupName"])
    if group.users:
        raise delete_conflict(_iam_messages.GROUP_HAS_USERS)
    check_no_policies(group)
    del group.account.groups[group.name.lower()]
    return {}


def list_groups(ctx: Context) -> Mapping[str, Any]:
    prefix = ctx.params.get("PathPrefix", "/")
    return _groups_page(
        ctx, [g for g in account_of(ctx).groups.values() if g.path.startswith(prefix)]
    )


def update_group(ctx: Context) -> Mapping[str, Any]:
    """A new name or path: the group keeps its unique id, members and policies (IAM User
    Guide, Rename an IAM user group)."""
    group = group_named(ctx, ctx.params["GroupName"])
    name = ctx.params.get("NewGroupName", group.name)
    path = ctx.params.get("NewPath", group.path)
    rename(group.account.groups, group, name, path, partial(already_exists, "Group"))
    return {}


def add_user_to_group(ctx: Context) -> Mapping[str, Any]:
    group = group_named(ctx, ctx.params["GroupName"])
    user = user_named(ctx, ctx.params["UserName"])
    if user not in group.users:  # adding a member again changes nothing
        if len(user.groups) >= GROUPS_PER_USER:
            raise quota_exceeded("GroupsPerUser", GROUPS_PER_USER)
        group.users.append(user)
    return {}


def remove_user_from_group(ctx: Context) -> Mapping[str, Any]:
    # AWS reports an unknown user before an unknown group, and removing a user who is not a
    # member succeeds (STS_REFERENCE §13.2, §13.3).
    user = user_named(ctx, ctx.params["UserName"])
    group = group_named(ctx, ctx.params["GroupName"])
    if user in group.users:
        group.users.remove(user)
    return {}


def list_groups_for_user(ctx: Context) -> Mapping[str, Any]:
    return _groups_page(ctx, user_named(ctx, ctx.params["UserName"]).groups)
