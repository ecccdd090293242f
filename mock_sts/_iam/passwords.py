"""Console passwords: the account's password policy, users' login profiles, and
ChangePassword, by which a user changes their own."""

from __future__ import annotations

import string
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages, _messages
from mock_sts._iam._common import (
    account_of,
    invalid_input,
    no_such_entity,
    user_named,
    user_or_caller,
)
from mock_sts._passwords import LoginProfile, PasswordHash, PasswordPolicy
from mock_sts._state import Account, User, now, whole_seconds
from mock_sts._wire import AWSError, access_denied, validation_error

if TYPE_CHECKING:
    from mock_sts._operation import Context


# ---------------------------------------------------------------------------------------
# The account's password policy


def _no_password_policy(account: Account) -> AWSError:
    return no_such_entity(_iam_messages.NO_PASSWORD_POLICY.format(account.account_id))


def update_account_password_policy(ctx: Context) -> Mapping[str, Any]:
    params = ctx.params
    # No partial updates: what the request leaves out takes its default (IAM API Reference).
    account_of(ctx).password_policy = PasswordPolicy(
        minimum_length=params.get("MinimumPasswordLength", 6),
        require_symbols=params.get("RequireSymbols", False),
        require_numbers=params.get("RequireNumbers", False),
        require_uppercase=params.get("RequireUppercaseCharacters", False),
        require_lowercase=params.get("RequireLowercaseCharacters", False),
        allow_users_to_change=params.get("AllowUsersToChangePassword", False),
        max_age=params.get("MaxPasswordAge"),
        reuse_prevention=params.get("PasswordReusePrevention"),
        hard_expiry=params.get("HardExpiry"),
    )
    return {}


def get_account_password_policy(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    policy = account.password_policy
    if policy is None:
        raise _no_password_policy(account)
    # The members a policy of defaults has (aws/aws-cli issue 7265, as AWS answered it); the
    # age, the reuse prevention and the hard expiry only when they were set.
    return {
        "PasswordPolicy": {
            "MinimumPasswordLength": policy.minimum_length,
            "RequireSymbols": policy.require_symbols,
            "RequireNumbers": policy.require_numbers,
            "RequireUppercaseCharacters": policy.require_uppercase,
            "RequireLowercaseCharacters": policy.require_lowercase,
            "AllowUsersToChangePassword": policy.allow_users_to_change,
            "ExpirePasswords": policy.max_age is not None,
            "MaxPasswordAge": policy.max_age,
            "PasswordReusePrevention": policy.reuse_prevention,
            "HardExpiry": policy.hard_expiry,
        }
    }


def delete_account_password_policy(ctx: Context) -> Mapping[str, Any]:
    account = account_of(ctx)
    if account.password_policy is None:
        raise _no_password_policy(account)
    account.password_policy = None
    return {}


# The symbols a policy's RequireSymbols asks for (IAM API Reference,
# UpdateAccountPasswordPolicy, RequireSymbols).
_SYMBOLS = frozenset("!@#$%^&*()_+-=[]{}|'")
# AWS's default password policy, which holds while the account sets none (IAM User Guide,
# "Set an account password policy for IAM users": at least 8 characters, and three of
# uppercase letters, lowercase letters, digits and symbols).
_DEFAULT_MINIMUM_LENGTH = 8
_DEFAULT_CLASSES = 3


def _character_classes(password: str) -> list[bool]:
    return [
        any(c in string.ascii_uppercase for c in password),
        any(c in string.ascii_lowercase for c in password),
        any(c in string.digits for c in password),
        any(c in _SYMBOLS for c in password),
    ]


def _conforms(policy: PasswordPolicy | None, password: str) -> bool:
    upper, lower, digit, symbol = _character_classes(password)
    if policy is None:
        return len(password) >= _DEFAULT_MINIMUM_LENGTH and (
            sum((upper, lower, digit, symbol)) >= _DEFAULT_CLASSES
        )
    required = (
        (policy.require_uppercase, upper),
        (policy.require_lowercase, lower),
        (policy.require_numbers, digit),
        (policy.require_symbols, symbol),
    )
    return len(password) >= policy.minimum_length and all(
        present for wanted, present in required if wanted
    )


def _checked(user: User, password: str) -> PasswordHash:
    """``password`` as the user's new one, once it conforms to the account's policy and is
    none of the earlier passwords the policy's reuse prevention remembers."""
    policy = user.account.password_policy
    violation = AWSError("PasswordPolicyViolation", _iam_messages.PASSWORD_POLICY_VIOLATION, 400)
    if not _conforms(policy, password):
        raise violation
    profile = user.login_profile
    remembered = policy.reuse_prevention if policy is not None else None
    if profile is not None and remembered:
        recent = [*profile.previous, profile.password][-remembered:]
        if any(earlier.matches(password) for earlier in recent):
            raise violation
    return PasswordHash.of(password)


def _set_password(profile: LoginProfile, new: PasswordHash) -> None:
    # Reuse prevention remembers up to 24 passwords (the model's maximum).
    profile.previous = [*profile.previous, profile.password][-24:]
    profile.password = new
    profile.changed = whole_seconds(now())


# ---------------------------------------------------------------------------------------
# Login profiles


def _profile_of(user: User) -> LoginProfile:
    profile = user.login_profile
    if profile is None:
        raise no_such_entity(_iam_messages.NO_SUCH_LOGIN_PROFILE.format(user.name))
    return profile


def _profile_shape(user: User, profile: LoginProfile) -> dict[str, Any]:
    return {
        "UserName": user.name,
        "CreateDate": profile.create_date,
        "PasswordResetRequired": profile.reset_required,
        "MaxSigninSessionDuration": profile.max_signin_session_duration,
    }


def create_login_profile(ctx: Context) -> Mapping[str, Any]:
    user = user_or_caller(ctx)
    password: str | None = ctx.params.get("Password")
    if password is None:
        raise validation_error(
            _messages.VALIDATION_ERRORS.format(1, "error", _iam_messages.PASSWORD_MISSING)
        )
    if user.login_profile is not None:
        raise AWSError(
            "EntityAlreadyExists", _iam_messages.LOGIN_PROFILE_EXISTS.format(user.name), 409
        )
    created = whole_seconds(now())
    profile = LoginProfile(
        password=_checked(user, password),
        create_date=created,
        changed=created,
        reset_required=ctx.params.get("PasswordResetRequired", False),
        max_signin_session_duration=ctx.params.get("MaxSigninSessionDuration"),
    )
    user.login_profile = profile
    return {"LoginProfile": _profile_shape(user, profile)}


def get_login_profile(ctx: Context) -> Mapping[str, Any]:
    user = user_or_caller(ctx)
    return {"LoginProfile": _profile_shape(user, _profile_of(user))}


def update_login_profile(ctx: Context) -> Mapping[str, Any]:
    params = ctx.params
    user = user_named(ctx, params["UserName"])
    profile = _profile_of(user)
    duration: int | None = params.get("MaxSigninSessionDuration")
    reset_duration: bool = params.get("ResetMaxSigninSessionDuration", False)
    if duration is not None and reset_duration:
        raise invalid_input(_iam_messages.SIGNIN_DURATION_AND_RESET)
    if "Password" in params:
        _set_password(profile, _checked(user, params["Password"]))
    if "PasswordResetRequired" in params:
        profile.reset_required = params["PasswordResetRequired"]
    if duration is not None or reset_duration:
        profile.max_signin_session_duration = duration
    return {}


def delete_login_profile(ctx: Context) -> Mapping[str, Any]:
    user = user_or_caller(ctx)
    _profile_of(user)
    user.login_profile = None
    return {}


def change_password(ctx: Context) -> Mapping[str, Any]:
    principal = ctx.signed_caller.principal
    if not isinstance(principal, User):
        raise AWSError("InvalidUserType", _iam_messages.NOT_AN_IAM_USER, 400)
    profile = _profile_of(principal)
    if not profile.password.matches(ctx.params["OldPassword"]):
        raise access_denied(_iam_messages.WRONG_OLD_PASSWORD)
    _set_password(profile, _checked(principal, ctx.params["NewPassword"]))
    # The password the user chose ends the reset an administrator asked for.
    profile.reset_required = False
    return {}
