"""IAM operations (the slice STS needs): one function per Action and the dispatch table."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from mock_sts import _auth
from mock_sts._state import (
    AccessKey,
    Account,
    KeyStatus,
    MFADevice,
    Role,
    Root,
    SessionKind,
    User,
    now,
    whole_seconds,
)
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from mock_sts._dispatch import Context, Operation

ACCESS_KEYS_PER_USER = 2
MFA_DEVICES_PER_USER = 8
TAGS_PER_ENTITY = 50
DEFAULT_MAX_ITEMS = 100

T = TypeVar("T")


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


def _page(ctx: Context, items: Sequence[T], key: str) -> dict[str, Any]:
    """One page of a listing, with IAM's IsTruncated/Marker protocol."""
    marker = ctx.params.get("Marker")
    start = 0
    if marker is not None:
        if not marker.isdigit() or int(marker) > len(items):
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
        if user.permissions_boundary is not None:
            shape["PermissionsBoundary"] = {
                "PermissionsBoundaryType": "PermissionsBoundaryPolicy",
                "PermissionsBoundaryArn": user.permissions_boundary,
            }
        shape["Tags"] = _tag_list(user.tags)
    return shape


def _root_shape(root: Root) -> dict[str, Any]:
    return {"UserId": root.user_id, "Arn": root.arn, "CreateDate": root.account.created}


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
        permissions_boundary=ctx.params.get("PermissionsBoundary"),
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
    if user.inline_policies:
        raise _delete_conflict("Cannot delete entity, must delete policies first.")
    if user.attached_policies:
        raise _delete_conflict("Cannot delete entity, must detach all policies first.")
    del user.account.users[user.name.lower()]
    return {}


def tag_user(ctx: Context) -> Mapping[str, Any]:
    user = _user(ctx, ctx.params["UserName"])
    merged = dict(user.tags)
    _merge_tags(merged, _tags(ctx.params["Tags"]))
    user.tags = merged
    return {}


def untag_user(ctx: Context) -> Mapping[str, Any]:
    user = _user(ctx, ctx.params["UserName"])
    removed = {k.lower() for k in ctx.params["TagKeys"]}
    user.tags = {k: v for k, v in user.tags.items() if k.lower() not in removed}
    return {}


def list_user_tags(ctx: Context) -> Mapping[str, Any]:
    user = _user(ctx, ctx.params["UserName"])
    return _page(ctx, _tag_list(user.tags) or [], "Tags")


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
# Dispatch


def _gated(operation: Operation) -> Operation:
    def serve(ctx: Context) -> Mapping[str, Any]:
        session = ctx.signed_caller.session
        # IAM refuses GetSessionToken credentials that carry no MFA context.
        if (
            session is not None
            and session.kind is SessionKind.SESSION_TOKEN
            and session.mfa_authenticated is None
        ):
            raise _auth.invalid_client_token()
        return operation(ctx)

    return serve


OPERATIONS: Mapping[str, Operation] = {
    name: _gated(operation)
    for name, operation in {
        "CreateAccessKey": create_access_key,
        "CreateUser": create_user,
        "CreateVirtualMFADevice": create_virtual_mfa_device,
        "DeactivateMFADevice": deactivate_mfa_device,
        "DeleteAccessKey": delete_access_key,
        "DeleteUser": delete_user,
        "DeleteVirtualMFADevice": delete_virtual_mfa_device,
        "EnableMFADevice": enable_mfa_device,
        "GetAccessKeyLastUsed": get_access_key_last_used,
        "GetUser": get_user,
        "ListAccessKeys": list_access_keys,
        "ListMFADevices": list_mfa_devices,
        "ListUserTags": list_user_tags,
        "ListUsers": list_users,
        "ListVirtualMFADevices": list_virtual_mfa_devices,
        "TagUser": tag_user,
        "UntagUser": untag_user,
        "UpdateAccessKey": update_access_key,
    }.items()
}
