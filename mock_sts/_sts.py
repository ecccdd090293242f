"""STS operations: one function per Action, and the table that dispatches to them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _ids
from mock_sts._state import AccessKey, MFADevice, Root, Session, SessionKind, User, now
from mock_sts._wire import AWSError, access_denied

if TYPE_CHECKING:
    from mock_sts._dispatch import Context, Operation

ROOT_SESSION_MAX = 3600
USER_SESSION_DEFAULT = 43200

_MFA_UNKNOWN_DEVICE = (
    "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA "
    "serial number is valid and associated with this user."
)
_MFA_BAD_CODE = "MultiFactorAuthentication failed with invalid MFA one time pass code. "


def credentials_of(session: Session) -> dict[str, Any]:
    return {
        "AccessKeyId": session.access_key_id,
        "SecretAccessKey": session.secret_access_key,
        "SessionToken": session.session_token,
        "Expiration": session.expiration,
    }


def not_authorized(ctx: Context) -> AWSError:
    caller = ctx.signed_caller
    return access_denied(f"User: {caller.arn} is not authorized to perform: sts:{ctx.action}")


def verify_mfa(
    principal: User | Root, serial_number: str | None, token_code: str | None
) -> dt.datetime | None:
    """The MFA authentication time, None without MFA data, or AWS's MFA AccessDenied."""
    if serial_number is None and token_code is None:
        return None
    device = _device_of(principal, serial_number)
    if device is None or token_code is None:
        raise access_denied(_MFA_UNKNOWN_DEVICE)
    if not device.accepts(token_code):
        raise access_denied(_MFA_BAD_CODE)
    return now()


def _device_of(principal: User | Root, serial_number: str | None) -> MFADevice | None:
    for device in principal.mfa_devices:
        if device.serial_number == serial_number:
            return device
    return None


def get_caller_identity(ctx: Context) -> Mapping[str, Any]:
    # No permission is needed: even an explicit Deny does not stop GetCallerIdentity.
    caller = ctx.signed_caller
    return {"UserId": caller.user_id, "Account": caller.account_id, "Arn": caller.arn}


def get_access_key_info(ctx: Context) -> Mapping[str, Any]:
    session = ctx.signed_caller.session
    if session is not None and session.kind is SessionKind.SESSION_TOKEN:
        # GetSessionToken credentials may call only AssumeRole and GetCallerIdentity.
        raise not_authorized(ctx)
    key_id: str = ctx.params["AccessKeyId"]
    account = _ids.account_from_key_id(key_id)
    if account is None:
        # Legacy ids (such as AWS's documentation samples) do not carry their account and
        # AWS resolves them from its own records; every key mock_sts issues carries one.
        raise AWSError(
            "ValidationError",
            f"The access key ID {key_id} does not encode an account, and no such key was "
            "issued by this mock.",
            400,
        )
    return {"Account": account}


def get_session_token(ctx: Context) -> Mapping[str, Any]:
    credential = ctx.signed_caller.credential
    if not isinstance(credential, AccessKey):
        raise access_denied("Cannot call GetSessionToken with session credentials")
    principal = credential.owner
    requested: int | None = ctx.params.get("DurationSeconds")
    if isinstance(principal, Root):
        # Root sessions last at most an hour; longer requests are shortened, not refused.
        duration = min(requested or ROOT_SESSION_MAX, ROOT_SESSION_MAX)
    else:
        duration = requested or USER_SESSION_DEFAULT
    mfa = verify_mfa(principal, ctx.params.get("SerialNumber"), ctx.params.get("TokenCode"))
    session = ctx.backend.add_session(
        SessionKind.SESSION_TOKEN, principal, duration, mfa_authenticated=mfa
    )
    return {"Credentials": credentials_of(session)}


OPERATIONS: Mapping[str, Operation] = {
    "GetAccessKeyInfo": get_access_key_info,
    "GetCallerIdentity": get_caller_identity,
    "GetSessionToken": get_session_token,
}
