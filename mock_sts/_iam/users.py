"""IAM users, their access keys and their virtual MFA devices."""

from __future__ import annotations

import io
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages
from mock_sts._iam._common import (
    ACCESS_KEYS_PER_USER,
    account_of,
    add_tags,
    already_exists,
    boundary_param,
    check_no_policies,
    delete_conflict,
    invalid_input,
    listed_tags,
    no_such_entity,
    page_of,
    quota_exceeded,
    remove_tags,
    rename,
    tag_list,
    tags_param,
    user_named,
    user_or_root,
    user_shape,
)
from mock_sts._state import AccessKey, KeyStatus, MFADevice, Root, User, now, whole_seconds
from mock_sts._wire import AWSError, access_denied

if TYPE_CHECKING:
    from mock_sts._operation import Context


# ---------------------------------------------------------------------------------------
# Users


def _root_shape(root: Root) -> dict[str, Any]:
    return {"UserId": root.user_id, "Arn": root.arn, "CreateDate": root.account.created}


def create_user(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    name: str = ctx.params["UserName"]
    if account.user(name) is not None:
        raise already_exists("User", name)
    tags = tags_param(ctx.params.get("Tags"))
    user = account.add_user(
        name,
        path=ctx.params.get("Path", "/"),
        tags=tags,
        permissions_boundary=boundary_param(ctx, ctx.params.get("PermissionsBoundary")),
    )
    return {"User": user_shape(user)}


def get_user(ctx: Context) -> Mapping[str, Any]:
    subject = user_or_root(ctx, ctx.params.get("UserName"))
    if isinstance(subject, Root):
        return {"User": _root_shape(subject)}
    return {"User": user_shape(subject)}


def list_users(ctx: Context) -> Mapping[str, Any]:
    prefix = ctx.params.get("PathPrefix", "/")
    users = sorted(
        (u for u in account_of(ctx).users.values() if u.path.startswith(prefix)),
        key=lambda u: u.name.lower(),
    )
    return page_of(ctx, [user_shape(u, detail=False) for u in users], "Users")


def delete_user(ctx: Context) -> Mapping[str, Any]:
    user = user_named(ctx, ctx.params["UserName"])
    # In the order the IAM API Reference lists what to remove first (DeleteUser).
    if user.login_profile is not None:
        raise delete_conflict(_iam_messages.DELETE_LOGIN_PROFILE_FIRST)
    if user.access_keys:
        raise delete_conflict(_iam_messages.DELETE_ACCESS_KEYS_FIRST)
    others = user.others
    if others.signing_certificates:
        raise delete_conflict(_iam_messages.DELETE_SIGNING_CERTIFICATES_FIRST)
    if others.ssh_public_keys:
        raise delete_conflict(_iam_messages.DELETE_SSH_PUBLIC_KEYS_FIRST)
    if others.service_credentials:
        raise delete_conflict(_iam_messages.DELETE_SERVICE_CREDENTIALS_FIRST)
    if user.mfa_devices:
        raise delete_conflict(_iam_messages.DELETE_MFA_DEVICE_FIRST)
    if user.groups:
        raise delete_conflict(_iam_messages.LEAVE_GROUPS_FIRST)
    check_no_policies(user)
    del user.account.users[user.name.lower()]
    return {}


def update_user(ctx: Context) -> Mapping[str, Any]:
    """A new name or path: the user keeps its unique id, keys, MFA devices, groups, policies,
    boundary and tags, which all hold the user itself rather than its name (IAM User Guide,
    Rename an IAM user)."""
    user = user_named(ctx, ctx.params["UserName"])
    name = ctx.params.get("NewUserName", user.name)
    path = ctx.params.get("NewPath", user.path)
    rename(user.account.users, user, name, path, partial(already_exists, "User"))
    return {}


def tag_user(ctx: Context) -> Mapping[str, Any]:
    return add_tags(ctx, user_named(ctx, ctx.params["UserName"]))


def untag_user(ctx: Context) -> Mapping[str, Any]:
    return remove_tags(ctx, user_named(ctx, ctx.params["UserName"]))


def list_user_tags(ctx: Context) -> Mapping[str, Any]:
    return listed_tags(ctx, user_named(ctx, ctx.params["UserName"]).tags)


# ---------------------------------------------------------------------------------------
# Access keys


def _key_of(owner: User | Root, key_id: str) -> AccessKey:
    key = owner.access_keys.get(key_id)
    if key is None:
        raise no_such_entity(_iam_messages.NO_SUCH_ACCESS_KEY.format(key_id))
    return key


def _owner_name(owner: User | Root) -> str | None:
    return owner.name if isinstance(owner, User) else None


def create_access_key(ctx: Context) -> Mapping[str, Any]:
    owner = user_or_root(ctx, ctx.params.get("UserName"))
    if len(owner.access_keys) >= ACCESS_KEYS_PER_USER:
        raise quota_exceeded("AccessKeysPerUser", ACCESS_KEYS_PER_USER)
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
    owner = user_or_root(ctx, ctx.params.get("UserName"))
    metadata = [
        {
            "UserName": _owner_name(owner),
            "AccessKeyId": key.access_key_id,
            "Status": key.status.value,
            "CreateDate": key.create_date,
        }
        for key in owner.access_keys.values()
    ]
    return page_of(ctx, metadata, "AccessKeyMetadata")


def update_access_key(ctx: Context) -> Mapping[str, Any]:
    owner = user_or_root(ctx, ctx.params.get("UserName"))
    key = _key_of(owner, ctx.params["AccessKeyId"])
    status: str = ctx.params["Status"]
    if status not in (KeyStatus.ACTIVE, KeyStatus.INACTIVE):
        # The model's enum also lists Expired, which applies to other credential types.
        raise invalid_input(_iam_messages.ACCESS_KEY_STATUS.format(status))
    key.status = KeyStatus(status)
    return {}


def delete_access_key(ctx: Context) -> Mapping[str, Any]:
    owner = user_or_root(ctx, ctx.params.get("UserName"))
    key = _key_of(owner, ctx.params["AccessKeyId"])
    ctx.backend.remove_access_key(key)
    return {}


def get_access_key_last_used(ctx: Context) -> Mapping[str, Any]:
    key_id: str = ctx.params["AccessKeyId"]
    credential = ctx.backend.access_keys.get(key_id)
    if credential is None or credential.owner.account_id != ctx.signed_caller.account_id:
        caller = ctx.signed_caller.arn
        raise access_denied(_iam_messages.NOT_AUTHORIZED_ACCESS_KEY.format(caller, key_id))
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

MFA_DEVICES_PER_USER = 8


def _device(ctx: Context, serial_number: str, missing: str) -> MFADevice:
    """The account's virtual MFA device, or NoSuchEntity with the operation's ``missing`` text."""
    device = account_of(ctx).mfa_devices.get(serial_number)
    if device is None:
        raise no_such_entity(missing.format(serial_number))
    return device


def _device_shape(device: MFADevice) -> dict[str, Any]:
    shape: dict[str, Any] = {"SerialNumber": device.serial_number}
    if device.user is not None:
        shape["User"] = user_shape(device.user, detail=False)
    shape["EnableDate"] = device.enable_date
    return shape


def create_virtual_mfa_device(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    name: str = ctx.params["VirtualMFADeviceName"]
    path: str = ctx.params.get("Path", "/")
    if account.arn(f"mfa{path}{name}") in account.mfa_devices:
        raise AWSError("EntityAlreadyExists", _iam_messages.MFA_DEVICE_EXISTS, 409)
    device = account.add_mfa_device(name, path=path, tags=tags_param(ctx.params.get("Tags")))
    shape = _device_shape(device)
    shape["Base32StringSeed"] = device.base32_seed.encode()
    shape["QRCodePNG"] = _qr_code_png(_otpauth_uri(device))
    shape["Tags"] = tag_list(device.tags)
    return {"VirtualMFADevice": shape}


def _otpauth_uri(device: MFADevice) -> str:
    """What a device's QR code encodes, as the IAM API reference words it (VirtualMFADevice):
    ``otpauth://totp/$virtualMFADeviceName@$AccountName?secret=$Base32String``, the account
    named by its id."""
    return f"otpauth://totp/{device.name}@{device.account.account_id}?secret={device.base32_seed}"


def _qr_code_png(text: str) -> bytes:
    """A PNG picture of the QR code of ``text``, as an authenticator app scans it."""
    import segno  # imported when a device is made, not with the package

    picture = io.BytesIO()
    segno.make_qr(text).save(picture, kind="png", scale=4)
    return picture.getvalue()


def enable_mfa_device(ctx: Context) -> Mapping[str, Any]:
    user = user_named(ctx, ctx.params["UserName"])
    device = _device(ctx, ctx.params["SerialNumber"], _iam_messages.NO_SUCH_VIRTUAL_MFA_DEVICE)
    if device.user is not None:
        raise AWSError("EntityAlreadyExists", _iam_messages.MFA_DEVICE_IN_USE, 409)
    if len(user.mfa_devices) >= MFA_DEVICES_PER_USER:
        raise quota_exceeded("MFADevicesPerUser", MFA_DEVICES_PER_USER)
    _check_consecutive(ctx, device)
    device.user = user
    device.enable_date = whole_seconds(now())
    return {}


def _check_consecutive(ctx: Context, device: MFADevice) -> None:
    """The request's AuthenticationCode1 and AuthenticationCode2 must be two consecutive codes
    of the device."""
    first: str = ctx.params["AuthenticationCode1"]
    if not device.accepts_consecutive(first, ctx.params["AuthenticationCode2"]):
        raise AWSError("InvalidAuthenticationCode", _iam_messages.MFA_CODES_INVALID, 403)


def list_mfa_devices(ctx: Context) -> Mapping[str, Any]:
    owner = user_or_root(ctx, ctx.params.get("UserName"))
    devices = [
        {
            "UserName": _owner_name(owner),
            "SerialNumber": device.serial_number,
            "EnableDate": device.enable_date,
        }
        for device in owner.mfa_devices
    ]
    return page_of(ctx, devices, "MFADevices")


def list_virtual_mfa_devices(ctx: Context) -> Mapping[str, Any]:
    status = ctx.params.get("AssignmentStatus", "Any")
    devices = [
        _device_shape(device)
        for device in account_of(ctx).mfa_devices.values()
        if status == "Any" or (device.user is not None) == (status == "Assigned")
    ]
    return page_of(ctx, devices, "VirtualMFADevices")


def _enabled_device(ctx: Context, owner: User | Root) -> MFADevice:
    """The device the request's SerialNumber names, enabled for ``owner``."""
    serial_number: str = ctx.params["SerialNumber"]
    device = _device(ctx, serial_number, _iam_messages.NO_SUCH_MFA_DEVICE)
    if device.user is not owner:
        raise no_such_entity(_iam_messages.MFA_DEVICE_NOT_FOUND.format(serial_number))
    return device


def get_mfa_device(ctx: Context) -> Mapping[str, Any]:
    """An MFA device enabled for the user the request names, or the caller's own. The
    model's Certifications are those of FIDO security keys (from the FIDO Alliance's metadata
    service); the virtual devices the mock holds have none, and the answer leaves it out."""
    owner = user_or_root(ctx, ctx.params.get("UserName"))
    device = _enabled_device(ctx, owner)
    return {
        "UserName": _owner_name(owner),
        "SerialNumber": device.serial_number,
        "EnableDate": device.enable_date,
    }


def resync_mfa_device(ctx: Context) -> Mapping[str, Any]:
    """Two consecutive codes of a device enabled for the user, as EnableMFADevice takes them.
    The mock's devices keep time exactly, so a resync has nothing to move: it proves the
    codes, or fails as AWS does."""
    device = _enabled_device(ctx, user_named(ctx, ctx.params["UserName"]))
    _check_consecutive(ctx, device)
    return {}


def deactivate_mfa_device(ctx: Context) -> Mapping[str, Any]:
    device = _enabled_device(ctx, user_or_root(ctx, ctx.params.get("UserName")))
    device.user = None
    device.enable_date = None
    return {}


def delete_virtual_mfa_device(ctx: Context) -> Mapping[str, Any]:
    device = _device(ctx, ctx.params["SerialNumber"], _iam_messages.NO_SUCH_MFA_DEVICE)
    if device.user is not None:
        raise delete_conflict(_iam_messages.MFA_DEVICE_STILL_IN_USE)
    del device.account.mfa_devices[device.serial_number]
    return {}


# Tags of a device, as of every IAM entity that has them. A device that is not there answers
# as DeleteVirtualMFADevice does (§13.3) [U: not recorded for these operations].


def tag_mfa_device(ctx: Context) -> Mapping[str, Any]:
    return add_tags(ctx, _device(ctx, ctx.params["SerialNumber"], _iam_messages.NO_SUCH_MFA_DEVICE))


def untag_mfa_device(ctx: Context) -> Mapping[str, Any]:
    device = _device(ctx, ctx.params["SerialNumber"], _iam_messages.NO_SUCH_MFA_DEVICE)
    return remove_tags(ctx, device)


def list_mfa_device_tags(ctx: Context) -> Mapping[str, Any]:
    device = _device(ctx, ctx.params["SerialNumber"], _iam_messages.NO_SUCH_MFA_DEVICE)
    return listed_tags(ctx, device.tags)
