"""IAM instance profiles: the holders of the one role an EC2 instance acts as.

What AWS answers is recorded in localstack's
tests/aws/services/iam/test_iam_instance_profiles.snapshot.json (real AWS, 2026-02): a
profile's roles show only the members every Role structure has (no MaxSessionDuration,
Description, boundary, tags or last use), as the IAM API Reference's sample response of
GetInstanceProfile does; GetInstanceProfile shows ``Tags: []`` when the profile has none,
CreateInstanceProfile shows ``Tags`` only when some were given, and listings never do.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages, _ids
from mock_sts._iam._common import (
    account_of,
    add_tags,
    delete_conflict,
    listed_tags,
    no_such_entity,
    page_of,
    quota_exceeded,
    remove_tags,
    role_named,
    tag_list,
    tags_param,
)
from mock_sts._iam.roles import role_summary
from mock_sts._state import InstanceProfile, Role, now, whole_seconds
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from mock_sts._operation import Context

# [D] IAM API Reference, AddRoleToInstanceProfile: "this quota cannot be increased".
ROLES_PER_INSTANCE_PROFILE = 1


def _instance_profile_named(ctx: Context) -> InstanceProfile:
    name: str = ctx.params["InstanceProfileName"]
    profile = account_of(ctx).instance_profile(name)
    if profile is None:
        raise no_such_entity(_iam_messages.NO_SUCH_INSTANCE_PROFILE.format(name))
    return profile


def profile_shape(profile: InstanceProfile) -> dict[str, Any]:
    """An InstanceProfile structure, as listings show it."""
    return {
        "Path": profile.path,
        "InstanceProfileName": profile.name,
        "InstanceProfileId": profile.instance_profile_id,
        "Arn": profile.arn,
        "CreateDate": profile.create_date,
        "Roles": [] if profile.role is None else [role_summary(profile.role)],
    }


def _sorted_shapes(profiles: list[InstanceProfile]) -> list[dict[str, Any]]:
    return [profile_shape(p) for p in sorted(profiles, key=lambda p: p.name.lower())]


def profiles_of(role: Role) -> list[dict[str, Any]]:
    """The InstanceProfile structures of the profiles that hold ``role``, by name."""
    return _sorted_shapes([p for p in role.account.instance_profiles.values() if p.role is role])


def create_instance_profile(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    name: str = ctx.params["InstanceProfileName"]
    if account.instance_profile(name) is not None:
        message = _iam_messages.INSTANCE_PROFILE_EXISTS.format(name)
        raise AWSError("EntityAlreadyExists", message, 409)
    tags = tags_param(ctx.params.get("Tags"))
    profile = InstanceProfile(
        account=account,
        name=name,
        path=ctx.params.get("Path", "/"),
        instance_profile_id=_ids.new_id("AIPA", account.account_id, 17),
        create_date=whole_seconds(now()),
        tags=tags,
    )
    account.instance_profiles[name.lower()] = profile
    return {"InstanceProfile": {**profile_shape(profile), "Tags": tag_list(tags)}}


def get_instance_profile(ctx: Context) -> Mapping[str, Any]:
    profile = _instance_profile_named(ctx)
    return {"InstanceProfile": {**profile_shape(profile), "Tags": tag_list(profile.tags) or []}}


def delete_instance_profile(ctx: Context) -> Mapping[str, Any]:
    profile = _instance_profile_named(ctx)
    if profile.role is not None:
        raise delete_conflict(_iam_messages.REMOVE_ROLES_FIRST)
    del profile.account.instance_profiles[profile.name.lower()]
    return {}


def list_instance_profiles(ctx: Context) -> Mapping[str, Any]:
    prefix = ctx.params.get("PathPrefix", "/")
    profiles = account_of(ctx).instance_profiles.values()
    shapes = _sorted_shapes([p for p in profiles if p.path.startswith(prefix)])
    return page_of(ctx, shapes, "InstanceProfiles")


def list_instance_profiles_for_role(ctx: Context) -> Mapping[str, Any]:
    role = role_named(ctx, ctx.params["RoleName"])
    return page_of(ctx, profiles_of(role), "InstanceProfiles")


def add_role_to_instance_profile(ctx: Context) -> Mapping[str, Any]:
    profile = _instance_profile_named(ctx)
    role = role_named(ctx, ctx.params["RoleName"])
    # The role it already holds too: tools that add a role again take this error for "done".
    if profile.role is not None:
        raise quota_exceeded("InstanceSessionsPerInstanceProfile", ROLES_PER_INSTANCE_PROFILE)
    profile.role = role
    return {}


def remove_role_from_instance_profile(ctx: Context) -> Mapping[str, Any]:
    profile = _instance_profile_named(ctx)
    role = role_named(ctx, ctx.params["RoleName"])
    if profile.role is not role:
        names = ctx.params["RoleName"], ctx.params["InstanceProfileName"]
        raise no_such_entity(_iam_messages.ROLE_NOT_IN_INSTANCE_PROFILE.format(*names))
    profile.role = None
    return {}


def tag_instance_profile(ctx: Context) -> Mapping[str, Any]:
    return add_tags(ctx, _instance_profile_named(ctx))


def untag_instance_profile(ctx: Context) -> Mapping[str, Any]:
    return remove_tags(ctx, _instance_profile_named(ctx))


def list_instance_profile_tags(ctx: Context) -> Mapping[str, Any]:
    return listed_tags(ctx, _instance_profile_named(ctx).tags)
