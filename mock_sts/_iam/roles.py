"""IAM roles and their trust policies."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages
from mock_sts._access import parse
from mock_sts._iam._common import (
    TRUST_POLICY_SIZE,
    account_of,
    add_tags,
    already_exists,
    boundary_param,
    boundary_shape,
    check_no_policies,
    delete_conflict,
    document_size,
    listed_tags,
    page_of,
    quota_exceeded,
    remove_tags,
    role_named,
    tag_list,
    tags_param,
)
from mock_sts._policy import PolicyKind
from mock_sts._policy._messages import INVALID_PRINCIPAL
from mock_sts._state import Backend, Role, TrustPolicy, User
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from mock_sts._operation import Context


# ---------------------------------------------------------------------------------------
# Trust policies


def _malformed(message: str) -> AWSError:
    return AWSError("MalformedPolicyDocument", message, 400)


# An IAM user or role ARN in a trust policy: (account, user|role, name).
_ENTITY_ARN = re.compile(r"arn:[\w-]+:iam::(\d{12}):(user|role)/(?:.*/)?([^/]+)")


def _trust(ctx: Context, document: str) -> TrustPolicy:
    """A trust policy as IAM saves it, its user and role principals resolved to unique ids."""
    policy = parse(document, PolicyKind.TRUST)
    if document_size(document) > TRUST_POLICY_SIZE:
        raise quota_exceeded("ACLSizePerRole", TRUST_POLICY_SIZE)
    resolved: dict[str, str] = {}
    for kind, value in policy.principals():
        match = _ENTITY_ARN.fullmatch(value)
        if kind != "AWS" or match is None:
            continue  # accounts, roots, sessions, services and IdPs are not looked up
        unique_id = _unique_id_of(ctx.backend, value, *match.groups())
        if unique_id is None:
            raise _malformed(INVALID_PRINCIPAL.format("AWS", value))
        resolved[value] = unique_id
    return TrustPolicy(document, resolved)


def _unique_id_of(backend: Backend, arn: str, account_id: str, kind: str, name: str) -> str | None:
    account = backend.accounts.get(account_id)
    if account is None:
        return None
    entity = account.user(name) if kind == "user" else account.role(name)
    if entity is None or entity.arn != arn:
        return None
    return entity.user_id if isinstance(entity, User) else entity.role_id


def _shown_trust(role: Role) -> str:
    """The trust policy as GetRole shows it, from the unique ids IAM resolved its principals
    to: a renamed user under its new name and path ("any policies that refer to the user as
    the principal ... are automatically updated to use the new name or path", IAM User Guide,
    Rename an IAM user); a principal whose entity is gone as that unique id, even once a
    namesake exists again."""
    accounts = role.account.backend.accounts
    shown: dict[str, str] = {}
    for arn, unique_id in role.trust.resolved.items():
        entity = accounts[arn.split(":")[4]].entity_with_id(unique_id)
        if entity is None:
            shown[arn] = unique_id
        elif entity.arn != arn:
            shown[arn] = entity.arn
    if not shown:
        return role.trust.text
    return parse(role.trust.text, PolicyKind.TRUST).with_principals(shown).text


# ---------------------------------------------------------------------------------------
# Roles


def role_summary(role: Role) -> dict[str, Any]:
    """The members of every Role structure, and all that an instance profile shows of its role
    (see ``instance_profiles``)."""
    return {
        "Path": role.path,
        "RoleName": role.name,
        "RoleId": role.role_id,
        "Arn": role.arn,
        "CreateDate": role.create_date,
        "AssumeRolePolicyDocument": _shown_trust(role),
    }


def role_shape(role: Role, *, detail: bool = True) -> dict[str, Any]:
    """A Role structure; listings (``detail=False``) leave out the boundary, tags and last use."""
    shape = role_summary(role)
    shape["Description"] = role.description
    shape["MaxSessionDuration"] = role.max_session_duration
    if detail:
        shape["PermissionsBoundary"] = boundary_shape(role.permissions_boundary)
        shape["Tags"] = tag_list(role.tags)
        shape["RoleLastUsed"] = {"LastUsedDate": role.last_used, "Region": role.last_used_region}
        if role.source_template is not None:
            arn, minor = role.source_template
            shape["SourceRoleTemplate"] = {"TemplateArn": arn, "TemplateMinorVersion": minor}
    return shape


def create_role(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    name: str = ctx.params["RoleName"]
    if account.role(name) is not None:
        raise already_exists("Role", name)
    trust = _trust(ctx, ctx.params["AssumeRolePolicyDocument"])
    tags = tags_param(ctx.params.get("Tags"))
    role = account.add_role(
        name,
        trust,
        path=ctx.params.get("Path", "/"),
        description=ctx.params.get("Description"),
        max_session_duration=ctx.params.get("MaxSessionDuration", 3600),
        tags=tags,
        permissions_boundary=boundary_param(ctx, ctx.params.get("PermissionsBoundary")),
    )
    # AWS's CreateRole answers with fewer members than GetRole: no MaxSessionDuration, no
    # Description even when one was given, no RoleLastUsed (STS_REFERENCE §13.1).
    shape = role_shape(role)
    for member in ("MaxSessionDuration", "Description", "RoleLastUsed"):
        del shape[member]
    return {"Role": shape}


def get_role(ctx: Context) -> Mapping[str, Any]:
    return {"Role": role_shape(role_named(ctx, ctx.params["RoleName"]))}


def list_roles(ctx: Context) -> Mapping[str, Any]:
    prefix = ctx.params.get("PathPrefix", "/")
    roles = sorted(
        (r for r in account_of(ctx).roles.values() if r.path.startswith(prefix)),
        key=lambda r: r.name.lower(),
    )
    return page_of(ctx, [role_shape(r, detail=False) for r in roles], "Roles")


def delete_role(ctx: Context) -> Mapping[str, Any]:
    role = role_named(ctx, ctx.params["RoleName"])
    # Which conflict AWS names first when there are several is not recorded [U].
    if any(profile.role is role for profile in role.account.instance_profiles.values()):
        raise delete_conflict(_iam_messages.REMOVE_ROLES_FIRST)
    check_no_policies(role)
    del role.account.roles[role.name.lower()]
    return {}


def update_role(ctx: Context) -> Mapping[str, Any]:
    role = role_named(ctx, ctx.params["RoleName"])
    role.description = ctx.params.get("Description", role.description)
    role.max_session_duration = ctx.params.get("MaxSessionDuration", role.max_session_duration)
    return {}


def update_role_description(ctx: Context) -> Mapping[str, Any]:
    role = role_named(ctx, ctx.params["RoleName"])
    role.description = ctx.params["Description"]
    # Without MaxSessionDuration and RoleLastUsed, as AWS answers (§13.1).
    shape = role_shape(role)
    for member in ("MaxSessionDuration", "RoleLastUsed"):
        del shape[member]
    return {"Role": shape}


def update_assume_role_policy(ctx: Context) -> Mapping[str, Any]:
    role = role_named(ctx, ctx.params["RoleName"])
    role.trust = _trust(ctx, ctx.params["PolicyDocument"])
    return {}


def tag_role(ctx: Context) -> Mapping[str, Any]:
    return add_tags(ctx, role_named(ctx, ctx.params["RoleName"]))


def untag_role(ctx: Context) -> Mapping[str, Any]:
    return remove_tags(ctx, role_named(ctx, ctx.params["RoleName"]))


def list_role_tags(ctx: Context) -> Mapping[str, Any]:
    return listed_tags(ctx, role_named(ctx, ctx.params["RoleName"]).tags)
