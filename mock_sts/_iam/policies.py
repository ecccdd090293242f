"""IAM policies: inline ones, customer managed ones and their versions, attachments, boundaries."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages, _managed, _messages
from mock_sts._access import not_authorized, parse
from mock_sts._iam._common import (
    INLINE_POLICY_SIZES,
    MANAGED_POLICIES_PER_ENTITY,
    MANAGED_POLICY_SIZE,
    VERSIONS_PER_POLICY,
    PolicyHolder,
    account_of,
    add_tags,
    all_tags,
    boundary_param,
    delete_conflict,
    document_size,
    group_named,
    grouped_page,
    invalid_input,
    limit_exceeded,
    listed_tags,
    no_such_entity,
    page_of,
    policy_arn_param,
    quota_exceeded,
    remove_tags,
    role_named,
    tag_list,
    tags_param,
    usable_policy,
    user_named,
)
from mock_sts._policy import PolicyKind
from mock_sts._state import (
    Account,
    Group,
    ManagedPolicy,
    PolicyVersion,
    Role,
    User,
    now,
    whole_seconds,
)
from mock_sts._wire import AWSError, access_denied

if TYPE_CHECKING:
    from mock_sts._operation import Context


# ---------------------------------------------------------------------------------------
# Inline policies of roles, users and groups


def _kind(holder: PolicyHolder) -> str:
    if isinstance(holder, User):
        return "user"
    return "role" if isinstance(holder, Role) else "group"


def _put_inline(holder: PolicyHolder, name: str, document: str) -> Mapping[str, Any]:
    parse(document)
    kind = _kind(holder)
    # Names are unique regardless of case: a policy of the same name is replaced.
    policies = {n: d for n, d in holder.inline_policies.items() if n.lower() != name.lower()}
    policies[name] = document
    quota = INLINE_POLICY_SIZES[kind]
    if sum(map(document_size, policies.values())) > quota:
        raise limit_exceeded(_iam_messages.INLINE_POLICY_SIZE.format(quota, kind, holder.name))
    holder.inline_policies = policies
    return {}


def _inline_name(holder: PolicyHolder, name: str) -> str:
    """The stored name of the inline policy ``name`` names, whatever its case."""
    for stored in holder.inline_policies:
        if stored.lower() == name.lower():
            return stored
    raise no_such_entity(_iam_messages.NO_SUCH_INLINE_POLICY.format(_kind(holder), name))


def inline_policy(holder: PolicyHolder, name: str) -> dict[str, Any]:
    """A policy's name and document as IAM shows them, whatever the case ``name`` has."""
    stored = _inline_name(holder, name)
    return {"PolicyName": stored, "PolicyDocument": holder.inline_policies[stored]}


def _delete_inline(holder: PolicyHolder, name: str) -> Mapping[str, Any]:
    del holder.inline_policies[_inline_name(holder, name)]
    return {}


def _list_inline(ctx: Context, holder: PolicyHolder) -> Mapping[str, Any]:
    return page_of(ctx, sorted(holder.inline_policies, key=str.lower), "PolicyNames")


def inline_policies(holder: PolicyHolder) -> list[dict[str, Any]]:
    """The PolicyDetail structures of ``holder``'s inline policies, by name."""
    return [inline_policy(holder, name) for name in sorted(holder.inline_policies, key=str.lower)]


def put_role_policy(ctx: Context) -> Mapping[str, Any]:
    role = role_named(ctx, ctx.params["RoleName"])
    return _put_inline(role, ctx.params["PolicyName"], ctx.params["PolicyDocument"])


def get_role_policy(ctx: Context) -> Mapping[str, Any]:
    role = role_named(ctx, ctx.params["RoleName"])
    return {"RoleName": role.name, **inline_policy(role, ctx.params["PolicyName"])}


def delete_role_policy(ctx: Context) -> Mapping[str, Any]:
    return _delete_inline(role_named(ctx, ctx.params["RoleName"]), ctx.params["PolicyName"])


def list_role_policies(ctx: Context) -> Mapping[str, Any]:
    return _list_inline(ctx, role_named(ctx, ctx.params["RoleName"]))


def put_user_policy(ctx: Context) -> Mapping[str, Any]:
    user = user_named(ctx, ctx.params["UserName"])
    return _put_inline(user, ctx.params["PolicyName"], ctx.params["PolicyDocument"])


def get_user_policy(ctx: Context) -> Mapping[str, Any]:
    user = user_named(ctx, ctx.params["UserName"])
    return {"UserName": user.name, **inline_policy(user, ctx.params["PolicyName"])}


def delete_user_policy(ctx: Context) -> Mapping[str, Any]:
    return _delete_inline(user_named(ctx, ctx.params["UserName"]), ctx.params["PolicyName"])


def list_user_policies(ctx: Context) -> Mapping[str, Any]:
    return _list_inline(ctx, user_named(ctx, ctx.params["UserName"]))


def put_group_policy(ctx: Context) -> Mapping[str, Any]:
    group = group_named(ctx, ctx.params["GroupName"])
    return _put_inline(group, ctx.params["PolicyName"], ctx.params["PolicyDocument"])


def get_group_policy(ctx: Context) -> Mapping[str, Any]:
    group = group_named(ctx, ctx.params["GroupName"])
    return {"GroupName": group.name, **inline_policy(group, ctx.params["PolicyName"])}


def delete_group_policy(ctx: Context) -> Mapping[str, Any]:
    return _delete_inline(group_named(ctx, ctx.params["GroupName"]), ctx.params["PolicyName"])


def list_group_policies(ctx: Context) -> Mapping[str, Any]:
    return _list_inline(ctx, group_named(ctx, ctx.params["GroupName"]))


# ---------------------------------------------------------------------------------------
# Managed policies and their versions


# AWS's own refusals of changes to AWS managed policies (§13.2); a change without one is
# refused as any action the caller may not perform.
_AWS_POLICY_REFUSALS = {
    "DeletePolicy": _messages.AWS_POLICY_DELETE,
    "DeletePolicyVersion": _messages.AWS_POLICY_VERSION_DELETE,
    "SetDefaultPolicyVersion": _messages.AWS_POLICY_UPDATE,
}


def _found_policy(ctx: Context, arn: str, missing: str) -> ManagedPolicy:
    """The managed policy ``arn`` names for the caller's account, or NoSuchEntity with the
    operation's text for a missing one."""
    policy = _managed.managed_policy(ctx.backend, arn)
    if policy is None or policy.account not in (None, account_of(ctx)):
        raise no_such_entity(missing)
    return policy


def _customer_policy(ctx: Context, arn: str, missing: str | None = None) -> ManagedPolicy:
    """A managed policy the caller may change or delete: one of its account's."""
    policy = usable_policy(ctx, arn) if missing is None else _found_policy(ctx, arn, missing)
    if policy.account is None:
        # AWS managed policies belong to the "aws" account, which no caller acts for.
        refusal = _AWS_POLICY_REFUSALS.get(ctx.action)
        if refusal is not None:
            raise access_denied(refusal)
        raise not_authorized(
            ctx.signed_caller.arn, f"iam:{ctx.action}", _messages.AWS_POLICY_RESOURCE.format(arn)
        )
    return policy


def _check_managed_document(document: str) -> None:
    parse(document, PolicyKind.MANAGED)
    if document_size(document) > MANAGED_POLICY_SIZE:
        raise quota_exceeded("PolicySize", MANAGED_POLICY_SIZE)


def _usage(account: Account, arn: str) -> tuple[int, int]:
    """How many users, roles and groups of ``account`` attach the policy, and how many users
    and roles have it as their permissions boundary."""
    bounded: list[User | Role] = [*account.users.values(), *account.roles.values()]
    holders: list[PolicyHolder] = [*bounded, *account.groups.values()]
    return (
        sum(arn in holder.attached_policies for holder in holders),
        sum(entity.permissions_boundary == arn for entity in bounded),
    )


def policy_shape(policy: ManagedPolicy, account: Account, *, detail: bool = True) -> dict[str, Any]:
    """A Policy structure; listings (``detail=False``) leave out the description and tags."""
    attached, bounded = _usage(policy.account or account, policy.arn)
    shape: dict[str, Any] = {
        "PolicyName": policy.name,
        "PolicyId": policy.policy_id,
        "Arn": policy.arn,
        "Path": policy.path,
        "DefaultVersionId": policy.default_version_id,
        "AttachmentCount": attached,
        "PermissionsBoundaryUsageCount": bounded,
        "IsAttachable": True,
        "CreateDate": policy.create_date,
        "UpdateDate": policy.update_date,
    }
    if detail:
        shape["Description"] = policy.description
        shape["Tags"] = tag_list(policy.tags)
    return shape


def create_policy(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    name: str = ctx.params["PolicyName"]
    if name.lower() in account.policies:
        raise AWSError("EntityAlreadyExists", _iam_messages.POLICY_EXISTS.format(name), 409)
    document: str = ctx.params["PolicyDocument"]
    _check_managed_document(document)
    policy = account.add_policy(
        name,
        document,
        path=ctx.params.get("Path", "/"),
        description=ctx.params.get("Description"),
        tags=tags_param(ctx.params.get("Tags"), _iam_messages.DUPLICATE_POLICY_TAG_KEYS),
    )
    shape = policy_shape(policy, account)
    # AWS's CreatePolicy leaves the description out, even when one was given (§13.1).
    del shape["Description"]
    return {"Policy": shape}


def get_policy(ctx: Context) -> Mapping[str, Any]:
    policy = usable_policy(ctx, ctx.params["PolicyArn"])
    shape = policy_shape(policy, account_of(ctx))
    shape["Tags"] = all_tags(policy.tags)
    return {"Policy": shape}


def delete_policy(ctx: Context) -> Mapping[str, Any]:
    arn: str = ctx.params["PolicyArn"]
    policy = _customer_policy(ctx, arn, _iam_messages.POLICY_NOT_FOUND.format(arn))
    account = account_of(ctx)
    if any(_usage(account, policy.arn)):
        raise delete_conflict(_iam_messages.POLICY_IN_USE)
    if len(policy.versions) > 1:
        raise delete_conflict(_iam_messages.POLICY_HAS_VERSIONS)
    del account.policies[policy.name.lower()]
    return {}


def list_policies(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    scope = ctx.params.get("Scope", "All")
    candidates: list[ManagedPolicy] = []
    if scope != "Local":
        candidates += _managed.aws_managed_policies(ctx.backend)
    if scope != "AWS":
        candidates += account.policies.values()
    prefix = ctx.params.get("PathPrefix", "/")
    usage = ctx.params.get("PolicyUsageFilter")
    only_attached = ctx.params.get("OnlyAttached", False)
    shapes = []
    for policy in sorted(candidates, key=lambda p: (p.name.lower(), p.arn)):
        shape = policy_shape(policy, account, detail=False)
        as_policy = shape["AttachmentCount"] > 0
        as_boundary = shape["PermissionsBoundaryUsageCount"] > 0
        if (
            policy.path.startswith(prefix)
            and (as_policy or not only_attached)
            # The usage filter keeps the policies used that way.
            and (usage != "PermissionsPolicy" or as_policy)
            and (usage != "PermissionsBoundary" or as_boundary)
        ):
            shapes.append(shape)
    return page_of(ctx, shapes, "Policies")


def _version(policy: ManagedPolicy, version_id: str) -> PolicyVersion:
    version = policy.versions.get(version_id)
    if version is None:
        raise no_such_entity(_iam_messages.NO_SUCH_POLICY_VERSION.format(policy.arn, version_id))
    return version


def version_shape(
    policy: ManagedPolicy, version: PolicyVersion, *, document: bool = True
) -> dict[str, Any]:
    shape: dict[str, Any] = {
        "VersionId": version.version_id,
        "IsDefaultVersion": version.version_id == policy.default_version_id,
        "CreateDate": version.create_date,
    }
    if document:
        shape["Document"] = version.document
    return shape


def create_policy_version(ctx: Context) -> Mapping[str, Any]:
    policy = _customer_policy(ctx, ctx.params["PolicyArn"])
    document: str = ctx.params["PolicyDocument"]
    _check_managed_document(document)
    if len(policy.versions) >= VERSIONS_PER_POLICY:
        raise limit_exceeded(_iam_messages.POLICY_VERSIONS_LIMIT.format(VERSIONS_PER_POLICY))
    # Version numbers are never reused, even after a version was deleted.
    version = PolicyVersion(f"v{policy.next_version}", document, whole_seconds(now()))
    policy.versions[version.version_id] = version
    policy.next_version += 1
    if ctx.params.get("SetAsDefault", False):
        policy.default_version_id = version.version_id
        policy.update_date = version.create_date
    return {"PolicyVersion": version_shape(policy, version, document=False)}


def _missing_version(ctx: Context) -> str:
    """AWS's text for a version that is not there, whether its policy is (§13.3)."""
    return _iam_messages.NO_SUCH_POLICY_VERSION.format(
        ctx.params["PolicyArn"], ctx.params["VersionId"]
    )


def get_policy_version(ctx: Context) -> Mapping[str, Any]:
    policy = _found_policy(ctx, ctx.params["PolicyArn"], _missing_version(ctx))
    version = _version(policy, ctx.params["VersionId"])
    return {"PolicyVersion": version_shape(policy, version)}


def versions_of(policy: ManagedPolicy, *, documents: bool = True) -> list[dict[str, Any]]:
    """The PolicyVersion structures of a managed policy, newest first."""
    newest_first = sorted(policy.versions.values(), key=lambda v: -int(v.version_id[1:]))
    return [version_shape(policy, v, document=documents) for v in newest_first]


def list_policy_versions(ctx: Context) -> Mapping[str, Any]:
    policy = usable_policy(ctx, ctx.params["PolicyArn"])
    return page_of(ctx, versions_of(policy, documents=False), "Versions")


def set_default_policy_version(ctx: Context) -> Mapping[str, Any]:
    policy = _customer_policy(ctx, ctx.params["PolicyArn"], _missing_version(ctx))
    version = _version(policy, ctx.params["VersionId"])
    policy.default_version_id = version.version_id
    policy.update_date = whole_seconds(now())
    return {}


def delete_policy_version(ctx: Context) -> Mapping[str, Any]:
    policy = _customer_policy(ctx, ctx.params["PolicyArn"], _missing_version(ctx))
    version = _version(policy, ctx.params["VersionId"])
    if version.version_id == policy.default_version_id:
        raise delete_conflict(_iam_messages.DEFAULT_POLICY_VERSION)
    del policy.versions[version.version_id]
    return {}


# ---------------------------------------------------------------------------------------
# Tags of customer managed policies, and the entities that use a managed policy


def _tagged_policy(ctx: Context) -> ManagedPolicy:
    """The customer managed policy TagPolicy and UntagPolicy change: AWS managed policies
    carry no tags (§13.3 for a missing policy's text)."""
    arn: str = ctx.params["PolicyArn"]
    policy = _found_policy(ctx, arn, _iam_messages.POLICY_NOT_FOUND.format(arn))
    if policy.account is None:
        raise invalid_input(_iam_messages.AWS_POLICY_TAGS)
    return policy


def tag_policy(ctx: Context) -> Mapping[str, Any]:
    return add_tags(ctx, _tagged_policy(ctx), _iam_messages.DUPLICATE_POLICY_TAG_KEYS)


def untag_policy(ctx: Context) -> Mapping[str, Any]:
    return remove_tags(ctx, _tagged_policy(ctx))


def list_policy_tags(ctx: Context) -> Mapping[str, Any]:
    # An AWS managed policy has no tags to list [U: AWS's answer is not recorded].
    arn: str = ctx.params["PolicyArn"]
    return listed_tags(
        ctx, _found_policy(ctx, arn, _iam_messages.POLICY_NOT_FOUND.format(arn)).tags
    )


# ListEntitiesForPolicy's EntityFilter values that name an entity, and the members each
# entity is listed under.
_ENTITY_KINDS = {
    "Group": ("PolicyGroups", "GroupName", "GroupId"),
    "User": ("PolicyUsers", "UserName", "UserId"),
    "Role": ("PolicyRoles", "RoleName", "RoleId"),
}


def list_entities_for_policy(ctx: Context) -> Mapping[str, Any]:
    """The groups, users and roles of the caller's account that use a managed policy: attach
    it (PermissionsPolicy), have it as their permissions boundary (PermissionsBoundary), or
    either when no PolicyUsageFilter is given (IAM API Reference, ListEntitiesForPolicy)."""
    arn: str = ctx.params["PolicyArn"]
    policy = _found_policy(ctx, arn, _iam_messages.POLICY_NOT_FOUND.format(arn))
    account = account_of(ctx)
    usage = ctx.params.get("PolicyUsageFilter")
    prefix = ctx.params.get("PathPrefix", "/")
    # LocalManagedPolicy and AWSManagedPolicy name no entity: nothing is listed for them.
    wanted = ctx.params.get("EntityFilter")
    holders: dict[str, list[Group | User | Role]] = {
        "Group": list(account.groups.values()),
        "User": list(account.users.values()),
        "Role": list(account.roles.values()),
    }
    entries: list[tuple[str, dict[str, str]]] = []
    for kind, (key, name_key, id_key) in _ENTITY_KINDS.items():
        if wanted not in (None, kind):
            continue
        for holder in sorted(holders[kind], key=lambda h: h.name.lower()):
            attached = usage != "PermissionsBoundary" and policy.arn in holder.attached_policies
            bounded = (
                usage != "PermissionsPolicy"
                and not isinstance(holder, Group)
                and holder.permissions_boundary == policy.arn
            )
            if (attached or bounded) and holder.path.startswith(prefix):
                unique_id = _unique_id(holder)
                entries.append((key, {name_key: holder.name, id_key: unique_id}))
    keys = [key for key, _, _ in _ENTITY_KINDS.values()]
    return grouped_page(ctx, entries, keys, "PolicyEntities")


def _unique_id(holder: PolicyHolder) -> str:
    if isinstance(holder, User):
        return holder.user_id
    return holder.role_id if isinstance(holder, Role) else holder.group_id


# ---------------------------------------------------------------------------------------
# Attached managed policies and permissions boundaries


def _attach(ctx: Context, holder: PolicyHolder) -> Mapping[str, Any]:
    arn = policy_arn_param(ctx.params["PolicyArn"])
    usable_policy(ctx, arn)
    if arn not in holder.attached_policies:  # attaching again changes nothing
        if len(holder.attached_policies) >= MANAGED_POLICIES_PER_ENTITY:
            raise quota_exceeded(f"PoliciesPer{_kind(holder).title()}", MANAGED_POLICIES_PER_ENTITY)
        holder.attached_policies.append(arn)
    return {}


def _detach(ctx: Context, holder: PolicyHolder) -> Mapping[str, Any]:
    arn: str = ctx.params["PolicyArn"]
    if arn not in holder.attached_policies:
        raise no_such_entity(_iam_messages.POLICY_NOT_FOUND.format(arn))
    holder.attached_policies.remove(arn)
    return {}


def attached_policies(holder: PolicyHolder, prefix: str = "/") -> list[dict[str, str]]:
    """The AttachedPolicy structures of the managed policies ``holder`` attaches, in the order
    they were attached, of those whose path starts with ``prefix``."""
    attached = []
    for arn in holder.attached_policies:
        # policy<path><name>: the ARN alone tells both.
        resource = arn.split(":", 5)[5]
        name = resource.rsplit("/", 1)[1]
        if resource[len("policy") : -len(name)].startswith(prefix):
            attached.append({"PolicyName": name, "PolicyArn": arn})
    return attached


def _list_attached(ctx: Context, holder: PolicyHolder) -> Mapping[str, Any]:
    attached = attached_policies(holder, ctx.params.get("PathPrefix", "/"))
    return page_of(ctx, attached, "AttachedPolicies")


def attach_role_policy(ctx: Context) -> Mapping[str, Any]:
    return _attach(ctx, role_named(ctx, ctx.params["RoleName"]))


def detach_role_policy(ctx: Context) -> Mapping[str, Any]:
    return _detach(ctx, role_named(ctx, ctx.params["RoleName"]))


def list_attached_role_policies(ctx: Context) -> Mapping[str, Any]:
    return _list_attached(ctx, role_named(ctx, ctx.params["RoleName"]))


def attach_user_policy(ctx: Context) -> Mapping[str, Any]:
    return _attach(ctx, user_named(ctx, ctx.params["UserName"]))


def detach_user_policy(ctx: Context) -> Mapping[str, Any]:
    return _detach(ctx, user_named(ctx, ctx.params["UserName"]))


def list_attached_user_policies(ctx: Context) -> Mapping[str, Any]:
    return _list_attached(ctx, user_named(ctx, ctx.params["UserName"]))


def attach_group_policy(ctx: Context) -> Mapping[str, Any]:
    return _attach(ctx, group_named(ctx, ctx.params["GroupName"]))


def detach_group_policy(ctx: Context) -> Mapping[str, Any]:
    return _detach(ctx, group_named(ctx, ctx.params["GroupName"]))


def list_attached_group_policies(ctx: Context) -> Mapping[str, Any]:
    return _list_attached(ctx, group_named(ctx, ctx.params["GroupName"]))


def put_role_permissions_boundary(ctx: Context) -> Mapping[str, Any]:
    role = role_named(ctx, ctx.params["RoleName"])
    role.permissions_boundary = boundary_param(ctx, ctx.params["PermissionsBoundary"])
    return {}


def delete_role_permissions_boundary(ctx: Context) -> Mapping[str, Any]:
    role_named(ctx, ctx.params["RoleName"]).permissions_boundary = None
    return {}


def put_user_permissions_boundary(ctx: Context) -> Mapping[str, Any]:
    user = user_named(ctx, ctx.params["UserName"])
    user.permissions_boundary = boundary_param(ctx, ctx.params["PermissionsBoundary"])
    return {}


def delete_user_permissions_boundary(ctx: Context) -> Mapping[str, Any]:
    user_named(ctx, ctx.params["UserName"]).permissions_boundary = None
    return {}
