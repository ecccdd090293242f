"""The account password policy, login profiles and ChangePassword, driven through real boto3
clients as AWS answers them."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import boto3
import pytest
import time_machine
from botocore.config import Config

from tests.helpers import aws_error, client
from tests.helpers.assume_role import allow

if TYPE_CHECKING:
    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
MOMENT = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
GOOD = "Correct-Horse-9"
VIOLATION = (
    "PasswordPolicyViolation",
    "Password does not conform to the account password policy.",
    400,
)
NO_POLICY = (
    "NoSuchEntity",
    f"The Password Policy with domain name {ACCOUNT_ID} cannot be found.",
    404,
)


def no_profile(user: str) -> tuple[str, str, int]:
    return ("NoSuchEntity", f"Login Profile for User {user} cannot be found.", 404)


def unvalidated_iam() -> Any:
    return boto3.client("iam", config=Config(parameter_validation=False))


def iam_with_user(name: str = "bob", password: str | None = GOOD) -> Any:
    iam = boto3.client("iam")
    iam.create_user(UserName=name)
    if password is not None:
        iam.create_login_profile(UserName=name, Password=password)
    return iam


# ---------------------------------------------------------------------------------------
# The account password policy


def test_no_policy_until_one_is_set(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    assert aws_error(iam.get_account_password_policy) == NO_POLICY
    assert aws_error(iam.delete_account_password_policy) == NO_POLICY


def test_a_policy_of_defaults(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.update_account_password_policy()
    assert iam.get_account_password_policy()["PasswordPolicy"] == {
        "MinimumPasswordLength": 6,
        "RequireSymbols": False,
        "RequireNumbers": False,
        "RequireUppercaseCharacters": False,
        "RequireLowercaseCharacters": False,
        "AllowUsersToChangePassword": False,
        "ExpirePasswords": False,
    }
    iam.delete_account_password_policy()
    assert aws_error(iam.get_account_password_policy) == NO_POLICY


def test_an_update_replaces_the_whole_policy(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.update_account_password_policy(
        MinimumPasswordLength=14,
        RequireSymbols=True,
        RequireNumbers=True,
        RequireUppercaseCharacters=True,
        RequireLowercaseCharacters=True,
        AllowUsersToChangePassword=True,
        MaxPasswordAge=90,
        PasswordReusePrevention=24,
        HardExpiry=True,
    )
    assert iam.get_account_password_policy()["PasswordPolicy"] == {
        "MinimumPasswordLength": 14,
        "RequireSymbols": True,
        "RequireNumbers": True,
        "RequireUppercaseCharacters": True,
        "RequireLowercaseCharacters": True,
        "AllowUsersToChangePassword": True,
        "ExpirePasswords": True,
        "MaxPasswordAge": 90,
        "PasswordReusePrevention": 24,
        "HardExpiry": True,
    }
    iam.update_account_password_policy(RequireNumbers=True)
    policy = iam.get_account_password_policy()["PasswordPolicy"]
    assert policy["MinimumPasswordLength"] == 6
    assert policy["RequireNumbers"] is True
    assert policy["RequireSymbols"] is False
    assert "MaxPasswordAge" not in policy
    assert "HardExpiry" not in policy


def test_the_policys_ranges(sts_mock: MockSTS) -> None:
    iam = unvalidated_iam()
    error = aws_error(
        lambda: iam.update_account_password_policy(
            MinimumPasswordLength=5, MaxPasswordAge=1096, PasswordReusePrevention=0
        )
    )
    assert error[0] == "ValidationError"
    assert error[2] == 400
    for item in (
        "Value at 'minimumPasswordLength' failed to satisfy constraint: Member must have "
        "value greater than or equal to 6",
        "Value at 'maxPasswordAge' failed to satisfy constraint: Member must have value less "
        "than or equal to 1095",
        "Value at 'passwordReusePrevention' failed to satisfy constraint: Member must have "
        "value greater than or equal to 1",
    ):
        assert item in error[1]
    assert aws_error(iam.get_account_password_policy) == NO_POLICY


# ---------------------------------------------------------------------------------------
# Login profiles


def test_create_and_get_a_login_profile(sts_mock: MockSTS) -> None:
    iam = iam_with_user(password=None)
    with time_machine.travel(MOMENT, tick=False):
        created = iam.create_login_profile(
            UserName="bob",
            Password=GOOD,
            PasswordResetRequired=True,
            MaxSigninSessionDuration=7200,
        )["LoginProfile"]
    assert created == {
        "UserName": "bob",
        "CreateDate": MOMENT,
        "PasswordResetRequired": True,
        "MaxSigninSessionDuration": 7200,
    }
    assert iam.get_login_profile(UserName="bob")["LoginProfile"] == created


def test_a_login_profile_without_options(sts_mock: MockSTS) -> None:
    iam = iam_with_user()
    profile = iam.get_login_profile(UserName="bob")["LoginProfile"]
    assert profile["PasswordResetRequired"] is False
    assert "MaxSigninSessionDuration" not in profile


def test_one_login_profile_per_user(sts_mock: MockSTS) -> None:
    iam = iam_with_user()
    assert aws_error(lambda: iam.create_login_profile(UserName="bob", Password=GOOD)) == (
        "EntityAlreadyExists",
        "Login Profile for user bob already exists.",
        409,
    )


def test_a_user_without_a_login_profile(sts_mock: MockSTS) -> None:
    iam = iam_with_user(password=None)
    assert aws_error(lambda: iam.get_login_profile(UserName="bob")) == no_profile("bob")
    assert aws_error(lambda: iam.delete_login_profile(UserName="bob")) == no_profile("bob")
    assert aws_error(lambda: iam.update_login_profile(UserName="bob")) == no_profile("bob")


def test_a_missing_user(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    missing = ("NoSuchEntity", "The user with name ghost cannot be found.", 404)
    assert aws_error(lambda: iam.create_login_profile(UserName="ghost", Password=GOOD)) == (missing)
    assert aws_error(lambda: iam.get_login_profile(UserName="ghost")) == missing


def test_a_user_needs_a_password(sts_mock: MockSTS) -> None:
    iam = iam_with_user(password=None)
    assert aws_error(lambda: iam.create_login_profile(UserName="bob")) == (
        "ValidationError",
        "1 validation error detected: Value at 'password' failed to satisfy constraint: "
        "Member must not be null",
        400,
    )


def test_the_callers_own_login_profile(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user("bob", policies={"self": allow("iam:*")})
    iam = client("iam", bob.credentials)
    iam.create_login_profile(Password=GOOD)
    assert iam.get_login_profile()["LoginProfile"]["UserName"] == "bob"
    iam.delete_login_profile()
    assert aws_error(iam.get_login_profile) == no_profile("bob")


def test_a_role_must_name_the_user(sts_mock: MockSTS) -> None:
    root = client("iam", sts_mock.root_credentials())
    assert aws_error(lambda: root.get_login_profile()) == (
        "ValidationError",
        "Must specify userName when calling with non-User credentials",
        400,
    )


def test_update_a_login_profile(sts_mock: MockSTS) -> None:
    iam = iam_with_user()
    iam.update_login_profile(UserName="bob", Password="Another-Pass-1", PasswordResetRequired=True)
    iam.update_login_profile(UserName="bob", MaxSigninSessionDuration=3600)
    profile = iam.get_login_profile(UserName="bob")["LoginProfile"]
    assert profile["PasswordResetRequired"] is True
    assert profile["MaxSigninSessionDuration"] == 3600

    iam.update_login_profile(UserName="bob", ResetMaxSigninSessionDuration=True)
    assert "MaxSigninSessionDuration" not in iam.get_login_profile(UserName="bob")["LoginProfile"]
    assert aws_error(
        lambda: iam.update_login_profile(
            UserName="bob", MaxSigninSessionDuration=3600, ResetMaxSigninSessionDuration=True
        )
    ) == (
        "InvalidInput",
        "MaxSigninSessionDuration and ResetMaxSigninSessionDuration cannot be given together.",
        400,
    )


def test_delete_user_refuses_while_the_user_has_a_password(sts_mock: MockSTS) -> None:
    iam = iam_with_user()
    assert aws_error(lambda: iam.delete_user(UserName="bob")) == (
        "DeleteConflict",
        "Cannot delete entity, must delete login profile first.",
        409,
    )
    iam.delete_login_profile(UserName="bob")
    iam.delete_user(UserName="bob")


# ---------------------------------------------------------------------------------------
# Passwords against the policy


@pytest.mark.parametrize("password", ["Short-1", "alllowercase", "lower-and-symbols"])
def test_the_default_policy_without_a_custom_one(sts_mock: MockSTS, password: str) -> None:
    iam = iam_with_user(password=None)
    assert aws_error(lambda: iam.create_login_profile(UserName="bob", Password=password)) == (
        VIOLATION
    )
    iam.create_login_profile(UserName="bob", Password="lower-and-9")


@pytest.mark.parametrize(
    ("rule", "breaking", "meeting"),
    [
        ({"MinimumPasswordLength": 10}, "abcdefghi", "abcdefghij"),
        ({"RequireSymbols": True}, "abcdefgh", "abcd'fgh"),
        ({"RequireNumbers": True}, "abcdefgh", "abcdefg7"),
        ({"RequireUppercaseCharacters": True}, "abcdefgh", "abcdefgH"),
        ({"RequireLowercaseCharacters": True}, "ABCDEFGH", "ABCDEFGh"),
    ],
)
def test_each_rule_of_the_policy(
    sts_mock: MockSTS, rule: dict[str, Any], breaking: str, meeting: str
) -> None:
    iam = iam_with_user(password=None)
    iam.update_account_password_policy(**rule)
    assert aws_error(lambda: iam.create_login_profile(UserName="bob", Password=breaking)) == (
        VIOLATION
    )
    iam.create_login_profile(UserName="bob", Password=meeting)
    assert aws_error(lambda: iam.update_login_profile(UserName="bob", Password=breaking)) == (
        VIOLATION
    )


def test_reuse_prevention_remembers_earlier_passwords(sts_mock: MockSTS) -> None:
    iam = iam_with_user(password=None)
    iam.update_account_password_policy(PasswordReusePrevention=2)
    iam.create_login_profile(UserName="bob", Password="first-pw")
    iam.update_login_profile(UserName="bob", Password="second-pw")

    def reuse(password: str) -> tuple[str, str, int]:
        return aws_error(lambda: iam.update_login_profile(UserName="bob", Password=password))

    assert reuse("first-pw") == VIOLATION
    assert reuse("second-pw") == VIOLATION
    iam.update_login_profile(UserName="bob", Password="third-pw")
    # Only the last two are remembered: the first may come back.
    iam.update_login_profile(UserName="bob", Password="first-pw")


def test_reuse_is_allowed_without_reuse_prevention(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.update_account_password_policy()
    iam.create_user(UserName="bob")
    iam.create_login_profile(UserName="bob", Password="same-one")
    iam.update_login_profile(UserName="bob", Password="same-one")


# ---------------------------------------------------------------------------------------
# ChangePassword


def bob_with_password(sts_mock: MockSTS, *, may_change: bool = True) -> Any:
    """bob's IAM client, bob having the console password GOOD."""
    policies = {"self": allow("iam:ChangePassword")} if may_change else None
    bob = sts_mock.create_user("bob", policies=policies)
    boto3.client("iam").create_login_profile(
        UserName="bob", Password=GOOD, PasswordResetRequired=True
    )
    return client("iam", bob.credentials)


def test_a_user_changes_their_own_password(sts_mock: MockSTS) -> None:
    bob = bob_with_password(sts_mock)
    bob.change_password(OldPassword=GOOD, NewPassword="Brand-New-2")
    admin = boto3.client("iam")
    assert admin.get_login_profile(UserName="bob")["LoginProfile"]["PasswordResetRequired"] is (
        False
    )
    # The old password no longer opens anything.
    assert aws_error(lambda: bob.change_password(OldPassword=GOOD, NewPassword="Other-New-3")) == (
        "AccessDenied",
        "The old password is not the user's current password.",
        403,
    )
    bob.change_password(OldPassword="Brand-New-2", NewPassword="Other-New-3")


def test_the_new_password_meets_the_policy(sts_mock: MockSTS) -> None:
    bob = bob_with_password(sts_mock)
    boto3.client("iam").update_account_password_policy(
        MinimumPasswordLength=12, PasswordReusePrevention=1
    )
    assert aws_error(lambda: bob.change_password(OldPassword=GOOD, NewPassword="Short-1")) == (
        VIOLATION
    )
    assert aws_error(lambda: bob.change_password(OldPassword=GOOD, NewPassword=GOOD)) == (VIOLATION)


def test_change_password_without_a_login_profile(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user("bob", policies={"self": allow("iam:ChangePassword")})
    iam = client("iam", bob.credentials)
    assert aws_error(lambda: iam.change_password(OldPassword="a", NewPassword=GOOD)) == (
        no_profile("bob")
    )


def test_only_iam_users_change_their_password(sts_mock: MockSTS) -> None:
    root = client("iam", sts_mock.root_credentials())
    assert aws_error(lambda: root.change_password(OldPassword="a", NewPassword=GOOD)) == (
        "InvalidUserType",
        "Only IAM users can change their password with ChangePassword.",
        400,
    )


def test_change_password_is_authorized_on_the_user(sts_mock: MockSTS) -> None:
    bob = bob_with_password(sts_mock, may_change=False)
    assert aws_error(lambda: bob.change_password(OldPassword=GOOD, NewPassword="Brand-New-2")) == (
        "AccessDenied",
        f"User: arn:aws:iam::{ACCOUNT_ID}:user/bob is not authorized to perform: "
        f"iam:ChangePassword on resource: arn:aws:iam::{ACCOUNT_ID}:user/bob because no "
        "identity-based policy allows the iam:ChangePassword action",
        403,
    )
    assert aws_error(bob.get_account_password_policy)[0] == "AccessDenied"


def test_the_policy_may_let_every_user_change_their_password(sts_mock: MockSTS) -> None:
    bob = bob_with_password(sts_mock, may_change=False)
    boto3.client("iam").update_account_password_policy(AllowUsersToChangePassword=True)
    assert bob.get_account_password_policy()["PasswordPolicy"]["AllowUsersToChangePassword"]
    bob.change_password(OldPassword=GOOD, NewPassword="Brand-New-2")
    # Nothing else comes with it.
    assert aws_error(lambda: bob.get_login_profile(UserName="bob"))[0] == "AccessDenied"


def test_an_explicit_deny_still_wins(sts_mock: MockSTS) -> None:
    deny = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Deny", "Action": "iam:ChangePassword", "Resource": "*"}],
    }
    bob = sts_mock.create_user("bob", policies={"deny": deny})
    admin = boto3.client("iam")
    admin.create_login_profile(UserName="bob", Password=GOOD)
    admin.update_account_password_policy(AllowUsersToChangePassword=True)
    iam = client("iam", bob.credentials)
    assert (
        aws_error(lambda: iam.change_password(OldPassword=GOOD, NewPassword="New-Pass-22"))[0]
        == "AccessDenied"
    )


def test_login_profiles_are_authorized_on_the_user(sts_mock: MockSTS) -> None:
    carol = sts_mock.create_user("carol", policies={"none": allow("iam:GetUser")})
    iam_with_user(password=None)
    iam = client("iam", carol.credentials)
    assert aws_error(lambda: iam.create_login_profile(UserName="bob", Password=GOOD)) == (
        "AccessDenied",
        f"User: arn:aws:iam::{ACCOUNT_ID}:user/carol is not authorized to perform: "
        f"iam:CreateLoginProfile on resource: arn:aws:iam::{ACCOUNT_ID}:user/bob because no "
        "identity-based policy allows the iam:CreateLoginProfile action",
        403,
    )
    assert aws_error(iam.update_account_password_policy)[1].endswith(
        "iam:UpdateAccountPasswordPolicy on resource: * because no identity-based policy "
        "allows the iam:UpdateAccountPasswordPolicy action"
    )
