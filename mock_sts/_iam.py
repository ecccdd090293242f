"""IAM operations (the slice STS needs): one function per Action and the dispatch table."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol, TypeVar
from urllib.parse import urlsplit

from mock_sts import _access, _auth, _aws_policies, _ids
from mock_sts._access import parse
from mock_sts._policy import PolicyKind
from mock_sts._state import (
    TRADE_IN_TOKEN_LIFETIME,
    AccessKey,
    Account,
    Backend,
    DelegationRequest,
    Group,
    KeyStatus,
    ManagedPolicy,
    MFADevice,
    OIDCProvider,
    Organization,
    OutboundFederation,
    PolicyVersion,
    Role,
    Root,
    SAMLProvider,
    SessionKind,
    TradeInToken,
    TrustPolicy,
    User,
    aws_managed_policy,
    now,
    organization_of,
    whole_seconds,
)
from mock_sts._wire import AWSError, access_denied

if TYPE_CHECKING:
    from mock_sts._operation import Context, Operation

ACCESS_KEYS_PER_USER = 2
MFA_DEVICES_PER_USER = 8
TAGS_PER_ENTITY = 50
DEFAULT_MAX_ITEMS = 100
TRUST_POLICY_SIZE = 2048
# Aggregate size of an entity's inline policies.
INLINE_POLICY_SIZES = {"user": 2048, "role": 10240, "group": 5120}
MANAGED_POLICY_SIZE = 6144
MANAGED_POLICIES_PER_ENTITY = 10
GROUPS_PER_USER = 10
VERSIONS_PER_POLICY = 5

T = TypeVar("T")
PolicyHolder = User | Role | Group


def _no_such_entity(message: str) -> AWSError:
    return AWSError("NoSuchEntity", message, 404)


def _no_such_user(name: str) -> AWSError:
    return _no_such_entity(f"The user with name {name} cannot be found.")


def _delete_conflict(message: str) -> AWSError:
    return AWSError("DeleteConflict", message, 409)


def _limit_exceeded(message: str) -> AWSError:
    return AWSError("LimitExceeded", message, 409)


def _invalid_input(message: str) -> AWSError:
    return AWSError("InvalidInput", message, 400)


def _malformed(message: str) -> AWSError:
    return AWSError("MalformedPolicyDocument", message, 400)


def _no_such_policy(arn: str) -> AWSError:
    return _no_such_entity(f"Policy {arn} does not exist or is not attachable.")


# ---------------------------------------------------------------------------------------
# Shared pieces


def _account(ctx: Context) -> Account:
    return ctx.backend.account(ctx.signed_caller.account_id)


def _user(ctx: Context, name: str) -> User:
    user = _account(ctx).user(name)
    if user is None:
        raise _no_such_user(name)
    return user


def _subject(ctx: Context, name: str | None) -> User | Root:
    """The user an operation names, or the caller's own user (or root) when it names none."""
    if name is not None:
        return _user(ctx, name)
    principal = ctx.signed_caller.principal
    if isinstance(principal, Role):
        raise AWSError(
            "ValidationError", "Must specify userName when calling with non-User credentials", 400
        )
    return principal


def _tags(tags: Sequence[Mapping[str, str]] | None) -> dict[str, str]:
    result: dict[str, str] = {}
    seen: set[str] = set()
    for tag in tags or ():
        folded = tag["Key"].lower()
        if folded in seen:
            raise _invalid_input(
                "Duplicate tag keys found. Please note that Tag keys are case insensitive."
            )
        seen.add(folded)
        result[tag["Key"]] = tag["Value"]
    return result


def _tag_list(tags: Mapping[str, str]) -> list[dict[str, str]] | None:
    return [{"Key": k, "Value": v} for k, v in tags.items()] or None


def _merge_tags(current: dict[str, str], new: dict[str, str]) -> None:
    for key, value in new.items():
        for existing in [k for k in current if k.lower() == key.lower()]:
            del current[existing]
        current[key] = value
    if len(current) > TAGS_PER_ENTITY:
        raise _limit_exceeded("The number of tags has reached the maximum limit.")


class _Tagged(Protocol):
    tags: dict[str, str]


def _tag(ctx: Context, entity: _Tagged) -> Mapping[str, Any]:
    """Tag*: the request's Tags added to the entity's, replacing keys equal but for case."""
    merged = dict(entity.tags)
    _merge_tags(merged, _tags(ctx.params["Tags"]))
    entity.tags = merged
    return {}


def _untag(ctx: Context, entity: _Tagged) -> Mapping[str, Any]:
    """Untag*: the request's TagKeys removed, whatever their case."""
    removed = {k.lower() for k in ctx.params["TagKeys"]}
    entity.tags = {k: v for k, v in entity.tags.items() if k.lower() not in removed}
    return {}


def _listed_tags(ctx: Context, tags: Mapping[str, str]) -> Mapping[str, Any]:
    """List*Tags: one page of the tags."""
    return _page(ctx, _tag_list(tags) or [], "Tags")


def _page(ctx: Context, items: Sequence[T], key: str) -> dict[str, Any]:
    """One page of a listing, with IAM's IsTruncated/Marker protocol."""
    marker = ctx.params.get("Marker")
    start = 0
    if marker is not None:
        if not marker.isdecimal() or int(marker) > len(items):
            raise AWSError("ValidationError", f"Invalid Marker: {marker}", 400)
        start = int(marker)
    stop = start + ctx.params.get("MaxItems", DEFAULT_MAX_ITEMS)
    page: dict[str, Any] = {key: list(items[start:stop]), "IsTruncated": stop < len(items)}
    if stop < len(items):
        page["Marker"] = str(stop)
    return page


def _user_shape(user: User, *, detail: bool = True) -> dict[str, Any]:
    """A User structure; listings (``detail=False``) leave out the boundary and tags."""
    shape: dict[str, Any] = {
        "Path": user.path,
        "UserName": user.name,
        "UserId": user.user_id,
        "Arn": user.arn,
        "CreateDate": user.create_date,
    }
    if detail:
        shape["PermissionsBoundary"] = _boundary_shape(user.permissions_boundary)
        shape["Tags"] = _tag_list(user.tags)
    return shape


def _boundary_shape(arn: str | None) -> dict[str, str] | None:
    if arn is None:
        return None
    return {"PermissionsBoundaryType": "PermissionsBoundaryPolicy", "PermissionsBoundaryArn": arn}


def _root_shape(root: Root) -> dict[str, Any]:
    return {"UserId": root.user_id, "Arn": root.arn, "CreateDate": root.account.created}


# ---------------------------------------------------------------------------------------
# Policy documents


def _size(document: str) -> int:
    """A document's size as IAM's quotas count it: whitespace is free."""
    return len("".join(document.split()))


# An IAM user or role ARN in a trust policy: (account, user|role, name).
_ENTITY_ARN = re.compile(r"arn:[\w-]+:iam::(\d{12}):(user|role)/(?:.*/)?([^/]+)")


def _trust(ctx: Context, document: str) -> TrustPolicy:
    """A trust policy as IAM saves it, its user and role principals resolved to unique ids."""
    policy = parse(document, PolicyKind.TRUST)
    if _size(document) > TRUST_POLICY_SIZE:
        raise _limit_exceeded(f"Cannot exceed quota for ACLSizePerRole: {TRUST_POLICY_SIZE}")
    resolved: dict[str, str] = {}
    for kind, value in policy.principals():
        match = _ENTITY_ARN.fullmatch(value)
        if kind != "AWS" or match is None:
            continue  # accounts, roots, sessions, services and IdPs are not looked up
        unique_id = _unique_id_of(ctx.backend, value, *match.groups())
        if unique_id is None:
            raise _malformed(f'Invalid principal in policy: "AWS":"{value}"')
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
    """The trust policy as GetRole shows it: a principal whose entity is gone shows as the
    unique id IAM had resolved it to, even once a namesake exists again."""
    accounts = role.account.backend.accounts
    gone = {
        arn: unique_id
        for arn, unique_id in role.trust.resolved.items()
        if accounts[arn.split(":")[4]].entity_with_id(unique_id) is None
    }
    if not gone:
        return role.trust.text
    return parse(role.trust.text, PolicyKind.TRUST).with_principals(gone).text


# ---------------------------------------------------------------------------------------
# Users


def create_user(ctx: Context) -> Mapping[str, Any]:
    account = _account(ctx)
    name: str = ctx.params["UserName"]
    if account.user(name) is not None:
        raise AWSError("EntityAlreadyExists", f"User with name {name} already exists.", 409)
    tags = _tags(ctx.params.get("Tags"))
    user = account.add_user(
        name,
        path=ctx.params.get("Path", "/"),
        tags=tags,
        permissions_boundary=_boundary_param(ctx, ctx.params.get("PermissionsBoundary")),
    )
    return {"User": _user_shape(user)}


def get_user(ctx: Context) -> Mapping[str, Any]:
    subject = _subject(ctx, ctx.params.get("UserName"))
    if isinstance(subject, Root):
        return {"User": _root_shape(subject)}
    return {"User": _user_shape(subject)}


def list_users(ctx: Context) -> Mapping[str, Any]:
    prefix = ctx.params.get("PathPrefix", "/")
    users = sorted(
        (u for u in _account(ctx).users.values() if u.path.startswith(prefix)),
        key=lambda u: u.name.lower(),
    )
    return _page(ctx, [_user_shape(u, detail=False) for u in users], "Users")


def delete_user(ctx: Context) -> Mapping[str, Any]:
    user = _user(ctx, ctx.params["UserName"])
    if user.access_keys:
        raise _delete_conflict("Cannot delete entity, must delete access keys first.")
    if user.mfa_devices:
        raise _delete_conflict("Cannot delete entity, must delete MFA device first.")
    if user.groups:
        raise _delete_conflict("Cannot delete entity, must remove user from all groups first.")
    if user.inline_policies:
        raise _delete_conflict("Cannot delete entity, must delete policies first.")
    if user.attached_policies:
        raise _delete_conflict("Cannot delete entity, must detach all policies first.")
    del user.account.users[user.name.lower()]
    return {}


def tag_user(ctx: Context) -> Mapping[str, Any]:
    return _tag(ctx, _user(ctx, ctx.params["UserName"]))


def untag_user(ctx: Context) -> Mapping[str, Any]:
    return _untag(ctx, _user(ctx, ctx.params["UserName"]))


def list_user_tags(ctx: Context) -> Mapping[str, Any]:
    return _listed_tags(ctx, _user(ctx, ctx.params["UserName"]).tags)


# ---------------------------------------------------------------------------------------
# Access keys


def _key_of(owner: User | Root, key_id: str) -> AccessKey:
    key = owner.access_keys.get(key_id)
    if key is None:
        raise _no_such_entity(f"The Access Key with id {key_id} cannot be found.")
    return key


def _owner_name(owner: User | Root) -> str | None:
    return owner.name if isinstance(owner, User) else None


def create_access_key(ctx: Context) -> Mapping[str, Any]:
    owner = _subject(ctx, ctx.params.get("UserName"))
    if len(owner.access_keys) >= ACCESS_KEYS_PER_USER:
        raise _limit_exceeded(f"Cannot exceed quota for AccessKeysPerUser: {ACCESS_KEYS_PER_USER}")
    key = ctx.backend.add_access_key(owner)
    return {
        "AccessKey": {
            "UserName": _owner_name(owner),
            "AccessKeyId": key.access_key_id,
            "Status": key.status.value,
            "SecretAccessKey": key.secret_access_key,
            "CreateDate": key.create_date,
        }
    }


def list_access_keys(ctx: Context) -> Mapping[str, Any]:
    owner = _subject(ctx, ctx.params.get("UserName"))
    metadata = [
        {
            "UserName": _owner_name(owner),
            "AccessKeyId": key.access_key_id,
            "Status": key.status.value,
            "CreateDate": key.create_date,
        }
        for key in owner.access_keys.values()
    ]
    return _page(ctx, metadata, "AccessKeyMetadata")


def update_access_key(ctx: Context) -> Mapping[str, Any]:
    owner = _subject(ctx, ctx.params.get("UserName"))
    key = _key_of(owner, ctx.params["AccessKeyId"])
    status: str = ctx.params["Status"]
    if status not in (KeyStatus.ACTIVE, KeyStatus.INACTIVE):
        # The model's enum also lists Expired, which applies to other credential types.
        raise _invalid_input(f"Access keys can only be Active or Inactive, not {status}.")
    key.status = KeyStatus(status)
    return {}


def delete_access_key(ctx: Context) -> Mapping[str, Any]:
    owner = _subject(ctx, ctx.params.get("UserName"))
    key = _key_of(owner, ctx.params["AccessKeyId"])
    ctx.backend.remove_access_key(key)
    return {}


def get_access_key_last_used(ctx: Context) -> Mapping[str, Any]:
    key_id: str = ctx.params["AccessKeyId"]
    credential = ctx.backend.access_keys.get(key_id)
    if credential is None or credential.owner.account_id != ctx.signed_caller.account_id:
        raise AWSError("AccessDenied", f"Access key {key_id} is not in your account.", 403)
    used = credential.last_used
    return {
        "UserName": _owner_name(credential.owner),
        "AccessKeyLastUsed": {
            "LastUsedDate": used,
            "ServiceName": credential.last_used_service or "N/A",
            "Region": credential.last_used_region or "N/A",
        },
    }


# ---------------------------------------------------------------------------------------
# Virtual MFA devices


def _device(ctx: Context, serial_number: str) -> MFADevice:
    device = _account(ctx).mfa_devices.get(serial_number)
    if device is None:
        raise _no_such_entity(f"VirtualMFADevice with serial number {serial_number} doesn't exist.")
    return device


def _device_shape(device: MFADevice) -> dict[str, Any]:
    shape: dict[str, Any] = {"SerialNumber": device.serial_number}
    if device.user is not None:
        shape["User"] = _user_shape(device.user, detail=False)
    shape["EnableDate"] = device.enable_date
    return shape


def create_virtual_mfa_device(ctx: Context) -> Mapping[str, Any]:
    account = _account(ctx)
    name: str = ctx.params["VirtualMFADeviceName"]
    path: str = ctx.params.get("Path", "/")
    if account.arn(f"mfa{path}{name}") in account.mfa_devices:
        raise AWSError(
            "EntityAlreadyExists", "MFADevice entity at the same path and name already exists.", 409
        )
    device = account.add_mfa_device(name, path=path, tags=_tags(ctx.params.get("Tags")))
    shape = _device_shape(device)
    shape["Base32StringSeed"] = device.base32_seed.encode()
    shape["Tags"] = _tag_list(device.tags)
    return {"VirtualMFADevice": shape}


def enable_mfa_device(ctx: Context) -> Mapping[str, Any]:
    user = _user(ctx, ctx.params["UserName"])
    device = _device(ctx, ctx.params["SerialNumber"])
    if device.user is not None:
        raise AWSError("EntityAlreadyExists", "MFA Device is already in use.", 409)
    if len(user.mfa_devices) >= MFA_DEVICES_PER_USER:
        raise _limit_exceeded(f"Cannot exceed quota for MFADevicesPerUser: {MFA_DEVICES_PER_USER}")
    if not device.accepts_consecutive(
        ctx.params["AuthenticationCode1"], ctx.params["AuthenticationCode2"]
    ):
        raise AWSError(
            "InvalidAuthenticationCode", "Authentication code for device is not valid.", 403
        )
    device.user = user
    device.enable_date = whole_seconds(now())
    return {}


def list_mfa_devices(ctx: Context) -> Mapping[str, Any]:
    owner = _subject(ctx, ctx.params.get("UserName"))
    devices = [
        {
            "UserName": _owner_name(owner),
            "SerialNumber": device.serial_number,
            "EnableDate": device.enable_date,
        }
        for device in owner.mfa_devices
    ]
    return _page(ctx, devices, "MFADevices")


def list_virtual_mfa_devices(ctx: Context) -> Mapping[str, Any]:
    status = ctx.params.get("AssignmentStatus", "Any")
    devices = [
        _device_shape(device)
        for device in _account(ctx).mfa_devices.values()
        if status == "Any" or (device.user is not None) == (status == "Assigned")
    ]
    return _page(ctx, devices, "VirtualMFADevices")


def deactivate_mfa_device(ctx: Context) -> Mapping[str, Any]:
    owner = _subject(ctx, ctx.params.get("UserName"))
    serial_number: str = ctx.params["SerialNumber"]
    device = _account(ctx).mfa_devices.get(serial_number)
    if device is None or device.user is not owner:
        raise _no_such_entity(
            f"MFA Device with serial number {serial_number} not found for the user."
        )
    device.user = None
    device.enable_date = None
    return {}


def delete_virtual_mfa_device(ctx: Context) -> Mapping[str, Any]:
    device = _device(ctx, ctx.params["SerialNumber"])
    if device.user is not None:
        raise _delete_conflict("MFA Device is still in use.")
    del device.account.mfa_devices[device.serial_number]
    return {}


# ---------------------------------------------------------------------------------------
# Roles


def _role(ctx: Context, name: str) -> Role:
    role = _account(ctx).role(name)
    if role is None:
        raise _no_such_entity(f"The role with name {name} cannot be found.")
    return role


def _role_shape(role: Role, *, detail: bool = True) -> dict[str, Any]:
    """A Role structure; listings (``detail=False``) leave out the boundary, tags and last use."""
    shape: dict[str, Any] = {
        "Path": role.path,
        "RoleName": role.name,
        "RoleId": role.role_id,
        "Arn": role.arn,
        "CreateDate": role.create_date,
        "AssumeRolePolicyDocument": _shown_trust(role),
        "Description": role.description,
        "MaxSessionDuration": role.max_session_duration,
    }
    if detail:
        shape["PermissionsBoundary"] = _boundary_shape(role.permissions_boundary)
        shape["Tags"] = _tag_list(role.tags)
        shape["RoleLastUsed"] = {"LastUsedDate": role.last_used, "Region": role.last_used_region}
    return shape


def create_role(ctx: Context) -> Mapping[str, Any]:
    account = _account(ctx)
    name: str = ctx.params["RoleName"]
    if account.role(name) is not None:
        raise AWSError("EntityAlreadyExists", f"Role with name {name} already exists.", 409)
    trust = _trust(ctx, ctx.params["AssumeRolePolicyDocument"])
    tags = _tags(ctx.params.get("Tags"))
    role = account.add_role(
        name,
        trust,
        path=ctx.params.get("Path", "/"),
        description=ctx.params.get("Description"),
        max_session_duration=ctx.params.get("MaxSessionDuration", 3600),
        tags=tags,
        permissions_boundary=_boundary_param(ctx, ctx.params.get("PermissionsBoundary")),
    )
    shape = _role_shape(role)
    del shape["RoleLastUsed"]  # a new role has no last use to report
    return {"Role": shape}


def get_role(ctx: Context) -> Mapping[str, Any]:
    return {"Role": _role_shape(_role(ctx, ctx.params["RoleName"]))}


def list_roles(ctx: Context) -> Mapping[str, Any]:
    prefix = ctx.params.get("PathPrefix", "/")
    roles = sorted(
        (r for r in _account(ctx).roles.values() if r.path.startswith(prefix)),
        key=lambda r: r.name.lower(),
    )
    return _page(ctx, [_role_shape(r, detail=False) for r in roles], "Roles")


def delete_role(ctx: Context) -> Mapping[str, Any]:
    role = _role(ctx, ctx.params["RoleName"])
    _check_no_policies(role)
    del role.account.roles[role.name.lower()]
    return {}


def _check_no_policies(holder: PolicyHolder) -> None:
    if holder.inline_policies:
        raise _delete_conflict("Cannot delete entity, must delete policies first.")
    if holder.attached_policies:
        raise _delete_conflict("Cannot delete entity, must detach all policies first.")


def update_role(ctx: Context) -> Mapping[str, Any]:
    role = _role(ctx, ctx.params["RoleName"])
    role.description = ctx.params.get("Description", role.description)
    role.max_session_duration = ctx.params.get("MaxSessionDuration", role.max_session_duration)
    return {}


def update_role_description(ctx: Context) -> Mapping[str, Any]:
    role = _role(ctx, ctx.params["RoleName"])
    role.description = ctx.params["Description"]
    return {"Role": _role_shape(role)}


def update_assume_role_policy(ctx: Context) -> Mapping[str, Any]:
    role = _role(ctx, ctx.params["RoleName"])
    role.trust = _trust(ctx, ctx.params["PolicyDocument"])
    return {}


def tag_role(ctx: Context) -> Mapping[str, Any]:
    return _tag(ctx, _role(ctx, ctx.params["RoleName"]))


def untag_role(ctx: Context) -> Mapping[str, Any]:
    return _untag(ctx, _role(ctx, ctx.params["RoleName"]))


def list_role_tags(ctx: Context) -> Mapping[str, Any]:
    return _listed_tags(ctx, _role(ctx, ctx.params["RoleName"]).tags)


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
    if sum(map(_size, policies.values())) > quota:
        raise _limit_exceeded(
            f"Maximum policy size of {quota} bytes exceeded for {kind} {holder.name}"
        )
    holder.inline_policies = policies
    return {}


def _inline_name(holder: PolicyHolder, name: str) -> str:
    """The stored name of the inline policy ``name`` names, whatever its case."""
    for stored in holder.inline_policies:
        if stored.lower() == name.lower():
            return stored
    raise _no_such_entity(f"The {_kind(holder)} policy with name {name} cannot be found.")


def _get_inline(holder: PolicyHolder, name: str) -> dict[str, Any]:
    stored = _inline_name(holder, name)
    return {"PolicyName": stored, "PolicyDocument": holder.inline_policies[stored]}


def _delete_inline(holder: PolicyHolder, name: str) -> Mapping[str, Any]:
    del holder.inline_policies[_inline_name(holder, name)]
    return {}


def _list_inline(ctx: Context, holder: PolicyHolder) -> Mapping[str, Any]:
    return _page(ctx, sorted(holder.inline_policies, key=str.lower), "PolicyNames")


def put_role_policy(ctx: Context) -> Mapping[str, Any]:
    role = _role(ctx, ctx.params["RoleName"])
    return _put_inline(role, ctx.params["PolicyName"], ctx.params["PolicyDocument"])


def get_role_policy(ctx: Context) -> Mapping[str, Any]:
    role = _role(ctx, ctx.params["RoleName"])
    return {"RoleName": role.name, **_get_inline(role, ctx.params["PolicyName"])}


def delete_role_policy(ctx: Context) -> Mapping[str, Any]:
    return _delete_inline(_role(ctx, ctx.params["RoleName"]), ctx.params["PolicyName"])


def list_role_policies(ctx: Context) -> Mapping[str, Any]:
    return _list_inline(ctx, _role(ctx, ctx.params["RoleName"]))


def put_user_policy(ctx: Context) -> Mapping[str, Any]:
    user = _user(ctx, ctx.params["UserName"])
    return _put_inline(user, ctx.params["PolicyName"], ctx.params["PolicyDocument"])


def get_user_policy(ctx: Context) -> Mapping[str, Any]:
    user = _user(ctx, ctx.params["UserName"])
    return {"UserName": user.name, **_get_inline(user, ctx.params["PolicyName"])}


def delete_user_policy(ctx: Context) -> Mapping[str, Any]:
    return _delete_inline(_user(ctx, ctx.params["UserName"]), ctx.params["PolicyName"])


def list_user_policies(ctx: Context) -> Mapping[str, Any]:
    return _list_inline(ctx, _user(ctx, ctx.params["UserName"]))


def put_group_policy(ctx: Context) -> Mapping[str, Any]:
    group = _group(ctx, ctx.params["GroupName"])
    return _put_inline(group, ctx.params["PolicyName"], ctx.params["PolicyDocument"])


def get_group_policy(ctx: Context) -> Mapping[str, Any]:
    group = _group(ctx, ctx.params["GroupName"])
    return {"GroupName": group.name, **_get_inline(group, ctx.params["PolicyName"])}


def delete_group_policy(ctx: Context) -> Mapping[str, Any]:
    return _delete_inline(_group(ctx, ctx.params["GroupName"]), ctx.params["PolicyName"])


def list_group_policies(ctx: Context) -> Mapping[str, Any]:
    return _list_inline(ctx, _group(ctx, ctx.params["GroupName"]))


# ---------------------------------------------------------------------------------------
# Managed policies and their versions


def _policy(ctx: Context, arn: str) -> ManagedPolicy:
    """A managed policy the caller's account can use: its own, or an AWS managed one of the
    account's partition."""
    account = _account(ctx)
    policy = ctx.backend.managed_policy(arn)
    if policy is None or policy.account not in (None, account):
        raise _no_such_policy(arn)
    return policy


def _customer_policy(ctx: Context, arn: str) -> ManagedPolicy:
    """A managed policy the caller may change or delete: one of its account's."""
    policy = _policy(ctx, arn)
    if policy.account is None:
        # AWS managed policies belong to the "aws" account, which no caller acts for.
        # text unconfirmed
        raise access_denied(
            f"User: {ctx.signed_caller.arn} is not authorized to perform: iam:{ctx.action} "
            f"on resource: policy {arn}"
        )
    return policy


def _boundary_param(ctx: Context, arn: str | None) -> str | None:
    """A PermissionsBoundary parameter, once the policy it names is known to exist."""
    if arn is not None:
        _policy(ctx, arn)
    return arn


def _check_managed_document(document: str) -> None:
    parse(document)
    if _size(document) > MANAGED_POLICY_SIZE:
        raise _limit_exceeded(f"Cannot exceed quota for PolicySize: {MANAGED_POLICY_SIZE}")


def _usage(account: Account, arn: str) -> tuple[int, int]:
    """How many users, roles and groups of ``account`` attach the policy, and how many users
    and roles have it as their permissions boundary."""
    bounded: list[User | Role] = [*account.users.values(), *account.roles.values()]
    holders: list[PolicyHolder] = [*bounded, *account.groups.values()]
    return (
        sum(arn in holder.attached_policies for holder in holders),
        sum(entity.permissions_boundary == arn for entity in bounded),
    )


def _policy_shape(
    policy: ManagedPolicy, account: Account, *, detail: bool = True
) -> dict[str, Any]:
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
        shape["Tags"] = _tag_list(policy.tags)
    return shape


def create_policy(ctx: Context) -> Mapping[str, Any]:
    account = _account(ctx)
    name: str = ctx.params["PolicyName"]
    if name.lower() in account.policies:
        raise AWSError(
            "EntityAlreadyExists",
            f"A policy called {name} already exists. Duplicate names are not allowed.",
            409,
        )
    document: str = ctx.params["PolicyDocument"]
    _check_managed_document(document)
    policy = account.add_policy(
        name,
        document,
        path=ctx.params.get("Path", "/"),
        description=ctx.params.get("Description"),
        tags=_tags(ctx.params.get("Tags")),
    )
    return {"Policy": _policy_shape(policy, account)}


def get_policy(ctx: Context) -> Mapping[str, Any]:
    return {"Policy": _policy_shape(_policy(ctx, ctx.params["PolicyArn"]), _account(ctx))}


def delete_policy(ctx: Context) -> Mapping[str, Any]:
    policy = _customer_policy(ctx, ctx.params["PolicyArn"])
    account = _account(ctx)
    if any(_usage(account, policy.arn)):
        raise _delete_conflict("Cannot delete a policy attached to entities.")
    if len(policy.versions) > 1:
        raise _delete_conflict(
            "This policy has more than one version. Before you delete a policy, you must "
            "delete the policy's versions. The default version is deleted with the policy."
        )
    del account.policies[policy.name.lower()]
    return {}


def list_policies(ctx: Context) -> Mapping[str, Any]:
    account = _account(ctx)
    scope = ctx.params.get("Scope", "All")
    candidates: list[ManagedPolicy] = []
    if scope != "Local":
        candidates += [
            policy
            for name in _aws_policies.AWS_MANAGED
            if (policy := aws_managed_policy(name, account.partition)) is not None
        ]
    if scope != "AWS":
        candidates += account.policies.values()
    prefix = ctx.params.get("PathPrefix", "/")
    usage = ctx.params.get("PolicyUsageFilter")
    only_attached = ctx.params.get("OnlyAttached", False)
    shapes = []
    for policy in sorted(candidates, key=lambda p: (p.name.lower(), p.arn)):
        shape = _policy_shape(policy, account, detail=False)
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
    return _page(ctx, shapes, "Policies")


def _version(policy: ManagedPolicy, version_id: str) -> PolicyVersion:
    version = policy.versions.get(version_id)
    if version is None:
        raise _no_such_entity(f"Policy {policy.arn} version {version_id} does not exist.")
    return version


def _version_shape(
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
        raise _limit_exceeded(
            f"A managed policy can have up to {VERSIONS_PER_POLICY} versions. Before you "
            "create a new version, you must delete an existing version."
        )
    # Version numbers are never reused, even after a version was deleted.
    version = PolicyVersion(f"v{policy.next_version}", document, whole_seconds(now()))
    policy.versions[version.version_id] = version
    policy.next_version += 1
    if ctx.params.get("SetAsDefault", False):
        policy.default_version_id = version.version_id
        policy.update_date = version.create_date
    return {"PolicyVersion": _version_shape(policy, version, document=False)}


def get_policy_version(ctx: Context) -> Mapping[str, Any]:
    policy = _policy(ctx, ctx.params["PolicyArn"])
    version = _version(policy, ctx.params["VersionId"])
    return {"PolicyVersion": _version_shape(policy, version)}


def list_policy_versions(ctx: Context) -> Mapping[str, Any]:
    policy = _policy(ctx, ctx.params["PolicyArn"])
    newest_first = sorted(policy.versions.values(), key=lambda v: -int(v.version_id[1:]))
    shapes = [_version_shape(policy, v, document=False) for v in newest_first]
    return _page(ctx, shapes, "Versions")


def set_default_policy_version(ctx: Context) -> Mapping[str, Any]:
    policy = _customer_policy(ctx, ctx.params["PolicyArn"])
    version = _version(policy, ctx.params["VersionId"])
    policy.default_version_id = version.version_id
    policy.update_date = whole_seconds(now())
    return {}


def delete_policy_version(ctx: Context) -> Mapping[str, Any]:
    policy = _customer_policy(ctx, ctx.params["PolicyArn"])
    version = _version(policy, ctx.params["VersionId"])
    if version.version_id == policy.default_version_id:
        raise _delete_conflict("Cannot delete the default version of a policy.")
    del policy.versions[version.version_id]
    return {}


# ---------------------------------------------------------------------------------------
# Attached managed policies and permissions boundaries


def _attach(ctx: Context, holder: PolicyHolder) -> Mapping[str, Any]:
    arn: str = ctx.params["PolicyArn"]
    _policy(ctx, arn)
    if arn not in holder.attached_policies:  # attaching again changes nothing
        if len(holder.attached_policies) >= MANAGED_POLICIES_PER_ENTITY:
            raise _limit_exceeded(
                f"Cannot exceed quota for PoliciesPer{_kind(holder).title()}: "
                f"{MANAGED_POLICIES_PER_ENTITY}"
            )
        holder.attached_policies.append(arn)
    return {}


def _detach(ctx: Context, holder: PolicyHolder) -> Mapping[str, Any]:
    arn: str = ctx.params["PolicyArn"]
    if arn not in holder.attached_policies:
        raise _no_such_entity(f"Policy {arn} was not found.")
    holder.attached_policies.remove(arn)
    return {}


def _list_attached(ctx: Context, holder: PolicyHolder) -> Mapping[str, Any]:
    prefix = ctx.params.get("PathPrefix", "/")
    attached = []
    for arn in holder.attached_policies:
        # policy<path><name>: the ARN alone tells both.
        resource = arn.split(":", 5)[5]
        name = resource.rsplit("/", 1)[1]
        if resource[len("policy") : -len(name)].startswith(prefix):
            attached.append({"PolicyName": name, "PolicyArn": arn})
    return _page(ctx, attached, "AttachedPolicies")


def attach_role_policy(ctx: Context) -> Mapping[str, Any]:
    return _attach(ctx, _role(ctx, ctx.params["RoleName"]))


def detach_role_policy(ctx: Context) -> Mapping[str, Any]:
    return _detach(ctx, _role(ctx, ctx.params["RoleName"]))


def list_attached_role_policies(ctx: Context) -> Mapping[str, Any]:
    return _list_attached(ctx, _role(ctx, ctx.params["RoleName"]))


def attach_user_policy(ctx: Context) -> Mapping[str, Any]:
    return _attach(ctx, _user(ctx, ctx.params["UserName"]))


def detach_user_policy(ctx: Context) -> Mapping[str, Any]:
    return _detach(ctx, _user(ctx, ctx.params["UserName"]))


def list_attached_user_policies(ctx: Context) -> Mapping[str, Any]:
    return _list_attached(ctx, _user(ctx, ctx.params["UserName"]))


def attach_group_policy(ctx: Context) -> Mapping[str, Any]:
    return _attach(ctx, _group(ctx, ctx.params["GroupName"]))


def detach_group_policy(ctx: Context) -> Mapping[str, Any]:
    return _detach(ctx, _group(ctx, ctx.params["GroupName"]))


def list_attached_group_policies(ctx: Context) -> Mapping[str, Any]:
    return _list_attached(ctx, _group(ctx, ctx.params["GroupName"]))


def put_role_permissions_boundary(ctx: Context) -> Mapping[str, Any]:
    role = _role(ctx, ctx.params["RoleName"])
    role.permissions_boundary = _boundary_param(ctx, ctx.params["PermissionsBoundary"])
    return {}


def delete_role_permissions_boundary(ctx: Context) -> Mapping[str, Any]:
    _role(ctx, ctx.params["RoleName"]).permissions_boundary = None
    return {}


def put_user_permissions_boundary(ctx: Context) -> Mapping[str, Any]:
    user = _user(ctx, ctx.params["UserName"])
    user.permissions_boundary = _boundary_param(ctx, ctx.params["PermissionsBoundary"])
    return {}


def delete_user_permissions_boundary(ctx: Context) -> Mapping[str, Any]:
    _user(ctx, ctx.params["UserName"]).permissions_boundary = None
    return {}


# ---------------------------------------------------------------------------------------
# Groups


def _group(ctx: Context, name: str) -> Group:
    group = _account(ctx).group(name)
    if group is None:
        raise _no_such_entity(f"The group with name {name} cannot be found.")
    return group


def _group_shape(group: Group) -> dict[str, Any]:
    return {
        "Path": group.path,
        "GroupName": group.name,
        "GroupId": group.group_id,
        "Arn": group.arn,
        "CreateDate": group.create_date,
    }


def _groups_page(ctx: Context, groups: Sequence[Group]) -> Mapping[str, Any]:
    ordered = sorted(groups, key=lambda g: g.name.lower())
    return _page(ctx, [_group_shape(g) for g in ordered], "Groups")


def create_group(ctx: Context) -> Mapping[str, Any]:
    account = _account(ctx)
    name: str = ctx.params["GroupName"]
    if account.group(name) is not None:
        raise AWSError("EntityAlreadyExists", f"Group with name {name} already exists.", 409)
    group = account.add_group(name, path=ctx.params.get("Path", "/"))
    return {"Group": _group_shape(group)}


def get_group(ctx: Context) -> Mapping[str, Any]:
    group = _group(ctx, ctx.params["GroupName"])
    users = _page(ctx, [_user_shape(u, detail=False) for u in group.users], "Users")
    return {"Group": _group_shape(group), **users}


def delete_group(ctx: Context) -> Mapping[str, Any]:
    group = _group(ctx, ctx.params["GroupName"])
    if group.users:
        raise _delete_conflict("Cannot delete entity, must remove users from group first.")
    _check_no_policies(group)
    del group.account.groups[group.name.lower()]
    return {}


def list_groups(ctx: Context) -> Mapping[str, Any]:
    prefix = ctx.params.get("PathPrefix", "/")
    return _groups_page(
        ctx, [g for g in _account(ctx).groups.values() if g.path.startswith(prefix)]
    )


def add_user_to_group(ctx: Context) -> Mapping[str, Any]:
    group = _group(ctx, ctx.params["GroupName"])
    user = _user(ctx, ctx.params["UserName"])
    if user not in group.users:  # adding a member again changes nothing
        if len(user.groups) >= GROUPS_PER_USER:
            raise _limit_exceeded(f"Cannot exceed quota for GroupsPerUser: {GROUPS_PER_USER}")
        group.users.append(user)
    return {}


def remove_user_from_group(ctx: Context) -> Mapping[str, Any]:
    group = _group(ctx, ctx.params["GroupName"])
    user = _user(ctx, ctx.params["UserName"])
    if user not in group.users:
        # text unconfirmed
        raise _no_such_entity(f"User {user.name} is not in group {group.name}.")
    group.users.remove(user)
    return {}


def list_groups_for_user(ctx: Context) -> Mapping[str, Any]:
    return _groups_page(ctx, _user(ctx, ctx.params["UserName"]).groups)


# ---------------------------------------------------------------------------------------
# OpenID Connect providers and outbound identity federation

OIDC_PROVIDERS_PER_ACCOUNT = 100
CLIENT_IDS_PER_PROVIDER = 100
THUMBPRINTS_PER_PROVIDER = 5
_THUMBPRINT = re.compile(r"[0-9A-Fa-f]{40}")


def _oidc_provider(ctx: Context) -> OIDCProvider:
    arn: str = ctx.params["OpenIDConnectProviderArn"]
    provider = _oidc_providers_by_arn(ctx).get(arn)
    if provider is None:
        raise _no_such_entity(f"OpenIDConnect Provider not found for arn {arn}")  # text unconfirmed
    return provider


def _oidc_providers_by_arn(ctx: Context) -> dict[str, OIDCProvider]:
    return {provider.arn: provider for provider in _account(ctx).oidc_providers.values()}


def _check_provider_url(url: str) -> None:
    """IAM's rules for a provider URL: https://, a host, a path at most; no port, no query."""
    parts = urlsplit(url)
    if not url.startswith("https://") or not parts.netloc:
        # text unconfirmed
        raise AWSError("ValidationError", "Invalid Open ID Connect Provider URL", 400)
    if (
        parts.query
        or parts.fragment
        or "?" in url
        or "#" in url
        or ":" in parts.netloc
        or "@" in parts.netloc
        or any(char.isspace() for char in url)
    ):
        raise _invalid_input("Invalid Open ID Connect Provider URL.")  # text unconfirmed


def _thumbprints(thumbprints: Sequence[str]) -> list[str]:
    if len(thumbprints) > THUMBPRINTS_PER_PROVIDER:
        # text unconfirmed
        raise _invalid_input("Thumbprint list must contain fewer than 5 entries.")
    for thumbprint in thumbprints:
        if not _THUMBPRINT.fullmatch(thumbprint):
            raise _invalid_input(  # text unconfirmed
                f"Thumbprint {thumbprint} is not the 40 hexadecimal digits of a SHA-1 fingerprint."
            )
    return list(thumbprints)


def _client_ids_quota() -> AWSError:
    return _limit_exceeded(
        f"Cannot exceed quota for ClientIdsPerOpenIdConnectProvider: {CLIENT_IDS_PER_PROVIDER}"
    )


def create_open_id_connect_provider(ctx: Context) -> Mapping[str, Any]:
    account = _account(ctx)
    url: str = ctx.params["Url"]
    _check_provider_url(url)
    client_ids = list(dict.fromkeys(ctx.params.get("ClientIDList", ())))
    if len(client_ids) > CLIENT_IDS_PER_PROVIDER:
        raise _client_ids_quota()
    thumbprints = _thumbprints(ctx.params.get("ThumbprintList", ()))
    tags = _tags(ctx.params.get("Tags"))
    key = url.removeprefix("https://")
    if key in account.oidc_providers:
        # text unconfirmed
        raise AWSError("EntityAlreadyExists", f"Provider with url {url} already exists.", 409)
    if len(account.oidc_providers) >= OIDC_PROVIDERS_PER_ACCOUNT:
        raise _limit_exceeded(  # text unconfirmed
            f"Cannot exceed quota for OpenIdConnectProvidersPerAccount: "
            f"{OIDC_PROVIDERS_PER_ACCOUNT}"
        )
    provider = OIDCProvider(account, url, client_ids, thumbprints, whole_seconds(now()), tags)
    account.oidc_providers[key] = provider
    return {"OpenIDConnectProviderArn": provider.arn, "Tags": _tag_list(tags)}


def get_open_id_connect_provider(ctx: Context) -> Mapping[str, Any]:
    provider = _oidc_provider(ctx)
    return {
        # IAM shows the URL without its https:// scheme.
        "Url": provider.url.removeprefix("https://"),
        "ClientIDList": list(provider.client_ids),
        "ThumbprintList": list(provider.thumbprints),
        "CreateDate": provider.create_date,
        "Tags": _tag_list(provider.tags),
    }


def list_open_id_connect_providers(ctx: Context) -> Mapping[str, Any]:
    arns = sorted(_oidc_providers_by_arn(ctx))
    return {"OpenIDConnectProviderList": [{"Arn": arn} for arn in arns]}


def delete_open_id_connect_provider(ctx: Context) -> Mapping[str, Any]:
    # Idempotent: deleting a provider that does not exist succeeds [M].
    provider = _oidc_providers_by_arn(ctx).get(ctx.params["OpenIDConnectProviderArn"])
    if provider is not None:
        del provider.account.oidc_providers[provider.url.removeprefix("https://")]
    return {}


def add_client_id_to_open_id_connect_provider(ctx: Context) -> Mapping[str, Any]:
    provider = _oidc_provider(ctx)
    client_id: str = ctx.params["ClientID"]
    if client_id not in provider.client_ids:  # adding one again changes nothing [M]
        if len(provider.client_ids) >= CLIENT_IDS_PER_PROVIDER:
            raise _client_ids_quota()
        provider.client_ids.append(client_id)
    return {}


def remove_client_id_from_open_id_connect_provider(ctx: Context) -> Mapping[str, Any]:
    provider = _oidc_provider(ctx)
    client_id: str = ctx.params["ClientID"]
    if client_id in provider.client_ids:  # removing an absent one is no error [M]
        provider.client_ids.remove(client_id)
    return {}


def update_open_id_connect_provider_thumbprint(ctx: Context) -> Mapping[str, Any]:
    provider = _oidc_provider(ctx)
    provider.thumbprints = _thumbprints(ctx.params["ThumbprintList"])
    return {}


def tag_open_id_connect_provider(ctx: Context) -> Mapping[str, Any]:
    return _tag(ctx, _oidc_provider(ctx))


def untag_open_id_connect_provider(ctx: Context) -> Mapping[str, Any]:
    return _untag(ctx, _oidc_provider(ctx))


def list_open_id_connect_provider_tags(ctx: Context) -> Mapping[str, Any]:
    tags = _oidc_provider(ctx).tags
    return _listed_tags(ctx, dict(sorted(tags.items())))  # sorted by key [M]


def enable_outbound_web_identity_federation(ctx: Context) -> Mapping[str, Any]:
    account = _account(ctx)
    federation = account.outbound_federation
    if federation is not None and federation.enabled:
        raise AWSError(  # text unconfirmed
            "FeatureEnabled",
            "Outbound identity federation is already enabled for this account.",
            409,
        )
    if federation is None:
        # The issuer URL is the account's for good, across disabling and enabling again;
        # each account of the mock signs with keys of its own.
        in_use = [a for a in ctx.backend.accounts.values() if a.outbound_federation is not None]
        federation = OutboundFederation(
            issuer=f"https://{uuid.uuid4()}.tokens.sts.global.api.aws", key_index=len(in_use)
        )
        account.outbound_federation = federation
    federation.enabled = True
    return {"IssuerIdentifier": federation.issuer}


def disable_outbound_web_identity_federation(ctx: Context) -> Mapping[str, Any]:
    federation = _account(ctx).outbound_federation
    if federation is None or not federation.enabled:
        raise AWSError(  # text unconfirmed
            "FeatureDisabled",
            "Outbound identity federation is already disabled for this account.",
            404,
        )
    federation.enabled = False
    return {}


def get_outbound_web_identity_federation_info(ctx: Context) -> Mapping[str, Any]:
    federation = _account(ctx).outbound_federation
    if federation is None:
        raise AWSError(  # text unconfirmed
            "FeatureDisabled",
            "Outbound identity federation has never been enabled for this account.",
            404,
        )
    return {"IssuerIdentifier": federation.issuer, "JwtVendingEnabled": federation.enabled}


# ---------------------------------------------------------------------------------------
# SAML providers

SAML_PROVIDERS_PER_ACCOUNT = 100
SAML_PRIVATE_KEYS_PER_PROVIDER = 2


def _saml_provider(ctx: Context) -> SAMLProvider:
    arn: str = ctx.params["SAMLProviderArn"]
    for provider in _account(ctx).saml_providers.values():
        if provider.arn == arn:
            return provider
    raise _no_such_entity(f"Manifest not found for arn {arn}")


def _saml_metadata(document: str) -> Any:
    """The entity id and signing certificates of an IdP's metadata, or IAM's InvalidInput."""
    from mock_sts._federation import saml

    try:
        return saml.parse_metadata(document)
    except saml.MetadataError:
        raise _invalid_input("Could not parse metadata") from None


def _change_saml_private_keys(
    provider: SAMLProvider, added: str | None, removed: str | None
) -> None:
    """Add and remove assertion decryption keys; a refused change leaves the keys intact."""
    keys = dict(provider.private_keys)
    if removed is not None:
        if removed not in keys:
            raise _invalid_input(f"The private key {removed} does not exist.")  # text unconfirmed
        del keys[removed]
    if added is not None:
        from cryptography.exceptions import UnsupportedAlgorithm
        from cryptography.hazmat.primitives.serialization import load_pem_private_key

        try:
            load_pem_private_key(added.encode(), password=None)
        except (ValueError, TypeError, UnsupportedAlgorithm):
            raise _invalid_input("Could not parse the private key.") from None  # text unconfirmed
        if len(keys) >= SAML_PRIVATE_KEYS_PER_PROVIDER:
            raise _limit_exceeded(  # text unconfirmed
                f"Cannot exceed quota for PrivateKeysPerSAMLProvider: "
                f"{SAML_PRIVATE_KEYS_PER_PROVIDER}"
            )
        keys[_ids.new_id("", provider.account.account_id, 26)] = whole_seconds(now())
    provider.private_keys = keys


def create_saml_provider(ctx: Context) -> Mapping[str, Any]:
    account = _account(ctx)
    name: str = ctx.params["Name"]
    document: str = ctx.params["SAMLMetadataDocument"]
    metadata = _saml_metadata(document)
    tags = _tags(ctx.params.get("Tags"))
    if name in account.saml_providers:
        raise AWSError(  # text unconfirmed
            "EntityAlreadyExists", f"SAMLProvider with name {name} already exists.", 409
        )
    if len(account.saml_providers) >= SAML_PROVIDERS_PER_ACCOUNT:
        raise _limit_exceeded(  # text unconfirmed
            f"Cannot exceed quota for SAMLProvidersPerAccount: {SAML_PROVIDERS_PER_ACCOUNT}"
        )
    provider = SAMLProvider(
        account,
        name,
        document,
        whole_seconds(now()),
        metadata.valid_until,
        tags,
        assertion_encryption_mode=ctx.params.get("AssertionEncryptionMode", "Allowed"),
    )
    _change_saml_private_keys(provider, ctx.params.get("AddPrivateKey"), None)
    account.saml_providers[name] = provider
    return {"SAMLProviderArn": provider.arn, "Tags": _tag_list(tags)}


def get_saml_provider(ctx: Context) -> Mapping[str, Any]:
    provider = _saml_provider(ctx)
    keys = [{"KeyId": key, "Timestamp": added} for key, added in provider.private_keys.items()]
    return {
        "SAMLProviderUUID": provider.uuid,
        "SAMLMetadataDocument": provider.metadata,
        "CreateDate": provider.create_date,
        "ValidUntil": provider.valid_until,
        "Tags": _tag_list(dict(sorted(provider.tags.items()))),  # sorted by key [M]
        "AssertionEncryptionMode": provider.assertion_encryption_mode,
        "PrivateKeyList": keys or None,
    }


def update_saml_provider(ctx: Context) -> Mapping[str, Any]:
    provider = _saml_provider(ctx)
    document: str = ctx.params.get("SAMLMetadataDocument", provider.metadata)
    valid_until = _saml_metadata(document).valid_until
    _change_saml_private_keys(
        provider, ctx.params.get("AddPrivateKey"), ctx.params.get("RemovePrivateKey")
    )
    provider.metadata = document
    provider.valid_until = valid_until
    provider.assertion_encryption_mode = ctx.params.get(
        "AssertionEncryptionMode", provider.assertion_encryption_mode
    )
    return {"SAMLProviderArn": provider.arn}


def delete_saml_provider(ctx: Context) -> Mapping[str, Any]:
    # Roles that trust the provider keep their trust policies, and sessions stay valid.
    provider = _saml_provider(ctx)
    del provider.account.saml_providers[provider.name]
    return {}


def list_saml_providers(ctx: Context) -> Mapping[str, Any]:
    providers = sorted(_account(ctx).saml_providers.values(), key=lambda p: p.name)
    return {
        "SAMLProviderList": [
            {"Arn": p.arn, "ValidUntil": p.valid_until, "CreateDate": p.create_date}
            for p in providers
        ]
    }


def tag_saml_provider(ctx: Context) -> Mapping[str, Any]:
    return _tag(ctx, _saml_provider(ctx))


def untag_saml_provider(ctx: Context) -> Mapping[str, Any]:
    return _untag(ctx, _saml_provider(ctx))


def list_saml_provider_tags(ctx: Context) -> Mapping[str, Any]:
    return _listed_tags(ctx, _saml_provider(ctx).tags)


# ---------------------------------------------------------------------------------------
# Centralized root access (Organizations features)


def _organization(ctx: Context, *, enabling: bool = False) -> Organization:
    """The caller's organization, when the caller may manage its root access features."""
    account_id = ctx.signed_caller.account_id
    organization = organization_of(ctx.backend, account_id)
    if organization is None:
        raise AWSError(  # text unconfirmed: the model's description of the error
            "OrganizationNotFoundException",
            "The request was rejected because no organization is associated with your account.",
            400,
        )
    if not organization.iam_trusted_access:
        raise AWSError(  # text unconfirmed: the model's description of the error
            "ServiceAccessNotEnabledException",
            "The request was rejected because trusted access is not enabled for IAM in "
            "Organizations.",
            400,
        )
    managers = (organization.management_account_id, organization.iam_delegated_administrator)
    if account_id not in managers:
        raise AWSError(  # text unconfirmed: the model's description of the error
            "AccountNotManagementOrDelegatedAdministratorException",
            "The request was rejected because the account making the request is not the "
            "management account or delegated administrator account for centralized root "
            "access.",
            400,
        )
    if enabling and account_id != organization.management_account_id:
        raise AWSError(  # text unconfirmed: the model's description of the error
            "CallerIsNotManagementAccountException",
            "The request was rejected because the account making the request is not the "
            "management account for the organization.",
            400,
        )
    return organization


def _features(organization: Organization) -> Mapping[str, Any]:
    return {
        "OrganizationId": organization.organization_id,
        "EnabledFeatures": list(organization.features),
    }


def _set_feature(ctx: Context, feature: str, enabled: bool) -> Mapping[str, Any]:
    organization = _organization(ctx, enabling=enabled)
    if enabled and feature not in organization.features:
        organization.features.append(feature)
    if not enabled and feature in organization.features:
        organization.features.remove(feature)
    return _features(organization)


def enable_organizations_root_credentials_management(ctx: Context) -> Mapping[str, Any]:
    return _set_feature(ctx, "RootCredentialsManagement", True)


def enable_organizations_root_sessions(ctx: Context) -> Mapping[str, Any]:
    return _set_feature(ctx, "RootSessions", True)


def disable_organizations_root_credentials_management(ctx: Context) -> Mapping[str, Any]:
    return _set_feature(ctx, "RootCredentialsManagement", False)


def disable_organizations_root_sessions(ctx: Context) -> Mapping[str, Any]:
    return _set_feature(ctx, "RootSessions", False)


def list_organizations_features(ctx: Context) -> Mapping[str, Any]:
    return _features(_organization(ctx))


# ---------------------------------------------------------------------------------------
# Temporary delegation: a partner files a request, the account's owner associates, accepts
# (or rejects) it and sends the partner a trade-in token for GetDelegatedAccessToken.
# The mock resolves a request's PolicyTemplateArn as a managed policy ARN: partner templates
# are registered with AWS out of band.

_OPEN_STATES = ("ASSIGNED", "PENDING_APPROVAL")


def _delegation_request(ctx: Context, *, owned: bool = True) -> DelegationRequest:
    """The request, if the caller's account may see it (``owned``: as its owner account)."""
    request_id: str = ctx.params["DelegationRequestId"]
    request = ctx.backend.delegation_requests.get(request_id)
    account_id = ctx.signed_caller.account_id
    visible = request is not None and (
        request.owner_account_id in (None, account_id) or request.requestor_id == account_id
    )
    if owned and request is not None and request.owner_account_id != account_id:
        visible = False
    if request is None or not visible:
        raise _no_such_entity(  # text unconfirmed
            f"The delegation request with ID {request_id} cannot be found."
        )
    if request.state != "FINALIZED" and now() >= request.expiration:
        request.state = "EXPIRED"
    return request


def _delegation_state(request: DelegationRequest, allowed: Sequence[str], code: str) -> None:
    if request.state not in allowed:
        status = 409 if code == "ConcurrentModification" else 400
        raise AWSError(  # text unconfirmed
            code,
            f"The delegation request {request.request_id} is {request.state}; this operation "
            f"needs it {' or '.join(allowed)}.",
            status,
        )


def _delegation_shape(request: DelegationRequest) -> dict[str, Any]:
    return {
        "DelegationRequestId": request.request_id,
        "OwnerAccountId": request.owner_account_id,
        "Description": request.description,
        "RequestMessage": request.request_message,
        "Permissions": {
            "PolicyTemplateArn": request.template_arn,
            "Parameters": request.parameters or None,
        },
        "PermissionPolicy": request.policy,
        "OwnerId": request.owner_id,
        "ApproverId": request.approver.arn if request.approver is not None else None,
        "State": request.state,
        "ExpirationTime": request.expiration,
        "RequestorId": request.requestor_id,
        "CreateDate": request.create_date,
        "SessionDuration": request.session_duration,
        "RedirectUrl": request.redirect_url,
        "Notes": request.notes,
        "RejectionReason": request.rejection_reason,
        "OnlySendByOwner": request.only_send_by_owner,
        "UpdatedTime": request.updated,
    }


def _changed(request: DelegationRequest, state: str) -> Mapping[str, Any]:
    request.state = state
    request.updated = whole_seconds(now())
    return {}


def create_delegation_request(ctx: Context) -> Mapping[str, Any]:
    params = ctx.params
    permissions = params["Permissions"]
    template_arn = permissions.get("PolicyTemplateArn", "")
    template = ctx.backend.managed_policy(template_arn)
    if template is None:
        raise _invalid_input(  # text unconfirmed
            f"PolicyTemplateArn {template_arn!r} names no policy template."
        )
    request = DelegationRequest(
        request_id="dr-" + uuid.uuid4().hex,
        requestor_id=ctx.signed_caller.account_id,
        description=params["Description"],
        template_arn=template_arn,
        parameters=list(permissions.get("Parameters", ())),
        policy=template.document,
        workflow_id=params["RequestorWorkflowId"],
        notification_channel=params["NotificationChannel"],
        session_duration=params["SessionDuration"],
        create_date=whole_seconds(now()),
        owner_account_id=params.get("OwnerAccountId"),
        request_message=params.get("RequestMessage"),
        redirect_url=params.get("RedirectUrl"),
        only_send_by_owner=params.get("OnlySendByOwner", False),
    )
    ctx.backend.delegation_requests[request.request_id] = request
    return {
        "DelegationRequestId": request.request_id,
        # text unconfirmed: the console's address for the request
        "ConsoleDeepLink": "https://console.aws.amazon.com/iam/home#/delegation-requests/"
        + request.request_id,
    }


def get_delegation_request(ctx: Context) -> Mapping[str, Any]:
    return {"DelegationRequest": _delegation_shape(_delegation_request(ctx, owned=False))}


def list_delegation_requests(ctx: Context) -> Mapping[str, Any]:
    account_id = ctx.signed_caller.account_id
    owner_id = ctx.params.get("OwnerId")
    # Requests without an owner are not listed, even when assigned to the account.
    requests = [
        _delegation_shape(request)
        for request in ctx.backend.delegation_requests.values()
        if request.owner_id is not None
        and request.owner_account_id == account_id
        and owner_id in (None, request.owner_id)
    ]
    page = _page(ctx, requests, "DelegationRequests")
    page["isTruncated"] = page.pop("IsTruncated")
    return page


def associate_delegation_request(ctx: Context) -> Mapping[str, Any]:
    request = _delegation_request(ctx, owned=False)
    caller = ctx.signed_caller
    if request.owner_account_id not in (None, caller.account_id):
        raise _no_such_entity(  # text unconfirmed
            f"The delegation request with ID {request.request_id} cannot be found."
        )
    _delegation_state(request, ("UNASSIGNED",), "InvalidInput")
    request.owner_id = caller.arn
    request.owner_account_id = caller.account_id
    return _changed(request, "ASSIGNED")


def update_delegation_request(ctx: Context) -> Mapping[str, Any]:
    request = _delegation_request(ctx)
    _delegation_state(request, _OPEN_STATES, "InvalidInput")
    request.notes = ctx.params.get("Notes")
    return _changed(request, "PENDING_APPROVAL")


def accept_delegation_request(ctx: Context) -> Mapping[str, Any]:
    request = _delegation_request(ctx)
    _delegation_state(request, _OPEN_STATES, "ConcurrentModification")
    # The accepting identity is the one the partner's credentials will act as.
    request.approver = ctx.signed_caller
    return _changed(request, "ACCEPTED")


def reject_delegation_request(ctx: Context) -> Mapping[str, Any]:
    request = _delegation_request(ctx)
    _delegation_state(request, (*_OPEN_STATES, "ACCEPTED"), "InvalidInput")
    request.rejection_reason = ctx.params.get("Notes")
    return _changed(request, "REJECTED")


def send_delegation_token(ctx: Context) -> Mapping[str, Any]:
    request = _delegation_request(ctx)
    _delegation_state(request, ("ACCEPTED",), "InvalidInput")
    if request.only_send_by_owner and ctx.signed_caller.arn != request.owner_id:
        raise _invalid_input(  # text unconfirmed
            f"Only the owner of delegation request {request.request_id}, {request.owner_id}, "
            "may send its token."
        )
    token = TradeInToken(
        token=_ids.new_session_token(),
        request=request,
        expiration=whole_seconds(now()) + TRADE_IN_TOKEN_LIFETIME,
    )
    ctx.backend.trade_in_tokens[token.token] = token
    return _changed(request, "FINALIZED")


# ---------------------------------------------------------------------------------------
# Account settings: the global endpoint's token version, and the account summary


def set_security_token_service_preferences(ctx: Context) -> Mapping[str, Any]:
    _account(ctx).global_endpoint_token_version = ctx.params["GlobalEndpointTokenVersion"]
    return {}


# AWS's default IAM quotas; the mock never enforces those it does not list above.
_SUMMARY_QUOTAS = {
    "AccessKeysPerUserQuota": ACCESS_KEYS_PER_USER,
    "AssumeRolePolicySizeQuota": TRUST_POLICY_SIZE,
    "AttachedPoliciesPerGroupQuota": MANAGED_POLICIES_PER_ENTITY,
    "AttachedPoliciesPerRoleQuota": MANAGED_POLICIES_PER_ENTITY,
    "AttachedPoliciesPerUserQuota": MANAGED_POLICIES_PER_ENTITY,
    "GroupPolicySizeQuota": INLINE_POLICY_SIZES["group"],
    "GroupsPerUserQuota": GROUPS_PER_USER,
    "GroupsQuota": 300,
    "InstanceProfilesQuota": 1000,
    "PoliciesQuota": 1500,
    "PolicySizeQuota": MANAGED_POLICY_SIZE,
    "PolicyVersionsInUseQuota": 10000,
    "RolePolicySizeQuota": INLINE_POLICY_SIZES["role"],
    "RolesQuota": 1000,
    "ServerCertificatesQuota": 20,
    "SigningCertificatesPerUserQuota": 2,
    "UserPolicySizeQuota": INLINE_POLICY_SIZES["user"],
    "UsersQuota": 5000,
    "VersionsPerPolicyQuota": VERSIONS_PER_POLICY,
}


def get_account_summary(ctx: Context) -> Mapping[str, Any]:
    account = _account(ctx)
    holders: list[PolicyHolder] = [
        *account.users.values(),
        *account.roles.values(),
        *account.groups.values(),
    ]
    devices = account.mfa_devices.values()
    summary = {
        **_SUMMARY_QUOTAS,
        "AccountAccessKeysPresent": int(bool(account.root.access_keys)),
        # Root MFA is set up in the console, which the mock does not model.
        "AccountMFAEnabled": 0,
        "AccountSigningCertificatesPresent": 0,
        "GlobalEndpointTokenVersion": int(account.global_endpoint_token_version[1]),
        "Groups": len(account.groups),
        "InstanceProfiles": 0,
        "MFADevices": len(devices),
        "MFADevicesInUse": sum(device.user is not None for device in devices),
        "Policies": len(account.policies),
        "PolicyVersionsInUse": sum(len(holder.attached_policies) for holder in holders),
        "Providers": len(account.oidc_providers) + len(account.saml_providers),
        "Roles": len(account.roles),
        "ServerCertificates": 0,
        "Users": len(account.users),
    }
    return {"SummaryMap": summary}


# ---------------------------------------------------------------------------------------
# Dispatch


def _gated(operation: Operation) -> Operation:
    def serve(ctx: Context) -> Mapping[str, Any]:
        caller = ctx.signed_caller
        session = caller.session
        # IAM refuses GetSessionToken credentials that carry no MFA context.
        if (
            session is not None
            and session.kind is SessionKind.SESSION_TOKEN
            and session.mfa_authenticated is None
        ):
            raise _auth.invalid_client_token()
        action = f"iam:{ctx.action}"
        resource = _resource_of(ctx)
        # Federated users cannot call IAM at all, whatever their policies say.
        if session is not None and session.kind is SessionKind.FEDERATED:
            raise AWSError(
                "AccessDenied",
                f"User: {caller.arn} is not authorized to perform: {action} on resource: "
                f"{resource}",
                403,
            )
        decision = _access.authorize(caller, ctx.info, action, resource)
        if not decision:
            raise AWSError(
                "AccessDenied",
                f"User: {caller.arn} is not authorized to perform: {action} on resource: "
                f"{resource}{decision.denial_suffix(action)}",
                403,
            )
        return operation(ctx)

    return serve


def _resource_of(ctx: Context) -> str:
    """The ARN an IAM action is authorized against: the entity it acts on."""
    params = ctx.params
    account = _account(ctx)
    for kind, key, entities in (
        ("group", "GroupName", account.groups),
        ("role", "RoleName", account.roles),
        ("user", "UserName", account.users),
    ):
        if key in params:
            name: str = params[key]
            existing = entities.get(name.lower())
            path = existing.path if existing is not None else params.get("Path", "/")
            return account.arn(f"{kind}{path}{name}")
    if "PolicyArn" in params:
        arn: str = params["PolicyArn"]
        return arn
    if "PolicyName" in params:
        return account.arn(f"policy{params.get('Path', '/')}{params['PolicyName']}")
    if "SerialNumber" in params:
        serial: str = params["SerialNumber"]
        return serial
    if "VirtualMFADeviceName" in params:
        return account.arn(f"mfa{params.get('Path', '/')}{params['VirtualMFADeviceName']}")
    if "OpenIDConnectProviderArn" in params:
        provider_arn: str = params["OpenIDConnectProviderArn"]
        return provider_arn
    if ctx.action == "CreateOpenIDConnectProvider":
        return account.arn(f"oidc-provider/{params['Url'].removeprefix('https://')}")
    if "SAMLProviderArn" in params:
        saml_provider_arn: str = params["SAMLProviderArn"]
        return saml_provider_arn
    if ctx.action == "CreateSAMLProvider":
        return account.arn(f"saml-provider/{params['Name']}")
    if ctx.action in _ON_THE_CALLER:
        return ctx.signed_caller.principal.arn
    return "*"


# Actions that act on the caller's own user when they name none.
_ON_THE_CALLER = frozenset(
    {
        "CreateAccessKey",
        "DeleteAccessKey",
        "GetUser",
        "ListAccessKeys",
        "ListMFADevices",
        "UpdateAccessKey",
    }
)


OPERATIONS: Mapping[str, Operation] = {
    name: _gated(operation)
    for name, operation in {
        "AcceptDelegationRequest": accept_delegation_request,
        "AddClientIDToOpenIDConnectProvider": add_client_id_to_open_id_connect_provider,
        "AddUserToGroup": add_user_to_group,
        "AssociateDelegationRequest": associate_delegation_request,
        "AttachGroupPolicy": attach_group_policy,
        "AttachRolePolicy": attach_role_policy,
        "AttachUserPolicy": attach_user_policy,
        "CreateAccessKey": create_access_key,
        "CreateDelegationRequest": create_delegation_request,
        "CreateGroup": create_group,
        "CreateOpenIDConnectProvider": create_open_id_connect_provider,
        "CreatePolicy": create_policy,
        "CreatePolicyVersion": create_policy_version,
        "CreateRole": create_role,
        "CreateSAMLProvider": create_saml_provider,
        "CreateUser": create_user,
        "CreateVirtualMFADevice": create_virtual_mfa_device,
        "DeactivateMFADevice": deactivate_mfa_device,
        "DeleteAccessKey": delete_access_key,
        "DeleteGroup": delete_group,
        "DeleteGroupPolicy": delete_group_policy,
        "DeleteOpenIDConnectProvider": delete_open_id_connect_provider,
        "DeletePolicy": delete_policy,
        "DeletePolicyVersion": delete_policy_version,
        "DeleteRole": delete_role,
        "DeleteRolePermissionsBoundary": delete_role_permissions_boundary,
        "DeleteRolePolicy": delete_role_policy,
        "DeleteSAMLProvider": delete_saml_provider,
        "DeleteUser": delete_user,
        "DeleteUserPermissionsBoundary": delete_user_permissions_boundary,
        "DeleteUserPolicy": delete_user_policy,
        "DeleteVirtualMFADevice": delete_virtual_mfa_device,
        "DetachGroupPolicy": detach_group_policy,
        "DetachRolePolicy": detach_role_policy,
        "DetachUserPolicy": detach_user_policy,
        "DisableOrganizationsRootCredentialsManagement": (
            disable_organizations_root_credentials_management
        ),
        "DisableOrganizationsRootSessions": disable_organizations_root_sessions,
        "DisableOutboundWebIdentityFederation": disable_outbound_web_identity_federation,
        "EnableMFADevice": enable_mfa_device,
        "EnableOrganizationsRootCredentialsManagement": (
            enable_organizations_root_credentials_management
        ),
        "EnableOrganizationsRootSessions": enable_organizations_root_sessions,
        "EnableOutboundWebIdentityFederation": enable_outbound_web_identity_federation,
        "GetAccessKeyLastUsed": get_access_key_last_used,
        "GetAccountSummary": get_account_summary,
        "GetDelegationRequest": get_delegation_request,
        "GetGroup": get_group,
        "GetGroupPolicy": get_group_policy,
        "GetOpenIDConnectProvider": get_open_id_connect_provider,
        "GetOutboundWebIdentityFederationInfo": get_outbound_web_identity_federation_info,
        "GetPolicy": get_policy,
        "GetPolicyVersion": get_policy_version,
        "GetRole": get_role,
        "GetRolePolicy": get_role_policy,
        "GetSAMLProvider": get_saml_provider,
        "GetUser": get_user,
        "GetUserPolicy": get_user_policy,
        "ListAccessKeys": list_access_keys,
        "ListAttachedGroupPolicies": list_attached_group_policies,
        "ListAttachedRolePolicies": list_attached_role_policies,
        "ListAttachedUserPolicies": list_attached_user_policies,
        "ListDelegationRequests": list_delegation_requests,
        "ListGroupPolicies": list_group_policies,
        "ListGroups": list_groups,
        "ListGroupsForUser": list_groups_for_user,
        "ListMFADevices": list_mfa_devices,
        "ListOpenIDConnectProviderTags": list_open_id_connect_provider_tags,
        "ListOpenIDConnectProviders": list_open_id_connect_providers,
        "ListOrganizationsFeatures": list_organizations_features,
        "ListPolicies": list_policies,
        "ListPolicyVersions": list_policy_versions,
        "ListRolePolicies": list_role_policies,
        "ListRoleTags": list_role_tags,
        "ListRoles": list_roles,
        "ListSAMLProviderTags": list_saml_provider_tags,
        "ListSAMLProviders": list_saml_providers,
        "ListUserPolicies": list_user_policies,
        "ListUserTags": list_user_tags,
        "ListUsers": list_users,
        "ListVirtualMFADevices": list_virtual_mfa_devices,
        "PutGroupPolicy": put_group_policy,
        "PutRolePermissionsBoundary": put_role_permissions_boundary,
        "PutRolePolicy": put_role_policy,
        "PutUserPermissionsBoundary": put_user_permissions_boundary,
        "PutUserPolicy": put_user_policy,
        "RejectDelegationRequest": reject_delegation_request,
        "RemoveClientIDFromOpenIDConnectProvider": remove_client_id_from_open_id_connect_provider,
        "RemoveUserFromGroup": remove_user_from_group,
        "SendDelegationToken": send_delegation_token,
        "SetDefaultPolicyVersion": set_default_policy_version,
        "SetSecurityTokenServicePreferences": set_security_token_service_preferences,
        "TagOpenIDConnectProvider": tag_open_id_connect_provider,
        "TagRole": tag_role,
        "TagSAMLProvider": tag_saml_provider,
        "TagUser": tag_user,
        "UntagOpenIDConnectProvider": untag_open_id_connect_provider,
        "UntagRole": untag_role,
        "UntagSAMLProvider": untag_saml_provider,
        "UntagUser": untag_user,
        "UpdateAccessKey": update_access_key,
        "UpdateAssumeRolePolicy": update_assume_role_policy,
        "UpdateDelegationRequest": update_delegation_request,
        "UpdateOpenIDConnectProviderThumbprint": update_open_id_connect_provider_thumbprint,
        "UpdateRole": update_role,
        "UpdateRoleDescription": update_role_description,
        "UpdateSAMLProvider": update_saml_provider,
    }.items()
}
