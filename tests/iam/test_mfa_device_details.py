"""IAM GetMFADevice and ResyncMFADevice for the virtual MFA devices users enabled, through
real boto3 clients, with codes computed as an authenticator app computes them."""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING

import boto3
import pytest
import time_machine

from tests.helpers import aws_error, client, no_policy_allows
from tests.helpers.assume_role import allow

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
# Five seconds into a 30-second TOTP step, so codes of neighbouring steps are unambiguous.
NOW = dt.datetime(2030, 6, 1, 12, 0, 5, tzinfo=dt.timezone.utc)
STEP = dt.timedelta(seconds=30)
BAD_CODES = ("InvalidAuthenticationCode", "Authentication code for device is not valid.", 403)


@pytest.fixture(autouse=True)
def clock() -> Iterator[time_machine.Traveller]:
    """Time stands still at NOW, for the mock and for the codes the tests compute."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def serial(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT_ID}:mfa/{name}"


def no_device(serial_number: str) -> tuple[str, str, int]:
    return ("NoSuchEntity", f"MFA Device with serial number {serial_number} does not exist.", 404)


def not_the_users(serial_number: str) -> tuple[str, str, int]:
    return (
        "NoSuchEntity",
        f"MFA Device with serial number {serial_number} not found for the user.",
        404,
    )


# ---------------------------------------------------------------------------------------
# GetMFADevice


def test_a_users_device_as_the_admin_and_as_the_user_sees_it(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"mfa": allow("iam:GetMFADevice")})
    device = alice.enable_mfa()

    answer = boto3.client("iam").get_mfa_device(UserName="alice", SerialNumber=device.serial_number)

    assert {k: v for k, v in answer.items() if k != "ResponseMetadata"} == {
        "UserName": "alice",
        "SerialNumber": device.serial_number,
        "EnableDate": NOW.replace(microsecond=0),
    }
    own = client("iam", alice.credentials).get_mfa_device(SerialNumber=device.serial_number)
    assert (own["UserName"], own["SerialNumber"]) == ("alice", device.serial_number)
    assert "Certifications" not in own


def test_a_device_that_is_not_the_users(sts_mock: MockSTS) -> None:
    sts_mock.create_user("alice").enable_mfa()
    bob_device = sts_mock.create_user("bob").enable_mfa()
    iam = boto3.client("iam")
    spare = iam.create_virtual_mfa_device(VirtualMFADeviceName="spare")
    spare_serial = spare["VirtualMFADevice"]["SerialNumber"]

    for serial_number in (bob_device.serial_number, spare_serial):
        call = functools.partial(iam.get_mfa_device, UserName="alice", SerialNumber=serial_number)
        error = aws_error(call)
        assert error == not_the_users(serial_number)
    missing = serial("ghost-phone")
    assert aws_error(lambda: iam.get_mfa_device(UserName="alice", SerialNumber=missing)) == (
        no_device(missing)
    )
    assert aws_error(lambda: iam.get_mfa_device(UserName="ghost", SerialNumber=missing)) == (
        "NoSuchEntity",
        "The user with name ghost cannot be found.",
        404,
    )
    # The admin calling with no UserName asks about its own user, which has no device.
    assert aws_error(lambda: iam.get_mfa_device(SerialNumber=bob_device.serial_number)) == (
        not_the_users(bob_device.serial_number)
    )


def test_a_role_session_must_name_the_user(sts_mock: MockSTS) -> None:
    device = sts_mock.create_user("alice").enable_mfa()
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ACCOUNT_ID}, "Action": "sts:AssumeRole"}
        ],
    }
    role = sts_mock.create_role("reader", trust, policies={"mfa": allow("iam:GetMFADevice")})
    session = boto3.client("sts").assume_role(RoleArn=role.arn, RoleSessionName="audit")
    iam = client("iam", session["Credentials"])

    error = aws_error(lambda: iam.get_mfa_device(SerialNumber=device.serial_number))

    assert error == (
        "ValidationError",
        "Must specify userName when calling with non-User credentials",
        400,
    )
    assert iam.get_mfa_device(UserName="alice", SerialNumber=device.serial_number)["UserName"] == (
        "alice"
    )


def test_get_mfa_device_is_authorized_on_the_user(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user("bob")
    device = bob.enable_mfa()
    iam = client("iam", bob.credentials)

    error = aws_error(lambda: iam.get_mfa_device(SerialNumber=device.serial_number))

    assert error == no_policy_allows(bob.arn, "iam:GetMFADevice", bob.arn)
    error = aws_error(
        lambda: iam.get_mfa_device(UserName="carol", SerialNumber=device.serial_number)
    )
    assert error == no_policy_allows(
        bob.arn, "iam:GetMFADevice", f"arn:aws:iam::{ACCOUNT_ID}:user/carol"
    )


def test_a_serial_number_is_checked_against_the_model(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    error = aws_error(lambda: iam.get_mfa_device(UserName="admin", SerialNumber="my phone!"))

    assert error == (
        "ValidationError",
        "1 validation error detected: Value at 'serialNumber' failed to satisfy constraint: "
        "Member must satisfy regular expression pattern: [\\w+=/:,.@-]+",
        400,
    )


# ---------------------------------------------------------------------------------------
# ResyncMFADevice


def test_two_consecutive_codes_resync_a_device(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    iam = boto3.client("iam")

    answer = iam.resync_mfa_device(
        UserName="alice",
        SerialNumber=device.serial_number,
        AuthenticationCode1=device.code(NOW - STEP),
        AuthenticationCode2=device.code(NOW),
    )

    assert list(answer) == ["ResponseMetadata"]
    # The device still signs its user in.
    sts = client("sts", alice.credentials)
    session = sts.get_session_token(SerialNumber=device.serial_number, TokenCode=device.code())
    assert session["Credentials"]["AccessKeyId"].startswith("ASIA")
    # Codes of a minute before are consecutive too: an app that drifted a little resyncs.
    iam.resync_mfa_device(
        UserName="alice",
        SerialNumber=device.serial_number,
        AuthenticationCode1=device.code(NOW - 3 * STEP),
        AuthenticationCode2=device.code(NOW - 2 * STEP),
    )


@pytest.mark.parametrize(
    "codes",
    [
        pytest.param(("current", "previous"), id="reversed"),
        pytest.param(("current", "current"), id="the-same-twice"),
        pytest.param(("long-ago", "long-ago-next"), id="too-old"),
        pytest.param(("previous", "wrong"), id="one-wrong"),
    ],
)
def test_codes_that_are_not_two_consecutive_ones(sts_mock: MockSTS, codes: tuple[str, str]) -> None:
    device = sts_mock.create_user("alice").enable_mfa()
    current = device.code(NOW)
    wrong = f"{(int(current) + 1) % 1_000_000:06d}"
    known = {
        "current": current,
        "previous": device.code(NOW - STEP),
        "long-ago": device.code(NOW - 20 * STEP),
        "long-ago-next": device.code(NOW - 19 * STEP),
        "wrong": wrong,
    }
    iam = boto3.client("iam")

    error = aws_error(
        lambda: iam.resync_mfa_device(
            UserName="alice",
            SerialNumber=device.serial_number,
            AuthenticationCode1=known[codes[0]],
            AuthenticationCode2=known[codes[1]],
        )
    )

    assert error == BAD_CODES
    assert iam.list_mfa_devices(UserName="alice")["MFADevices"][0]["SerialNumber"] == (
        device.serial_number
    )


def test_resync_names_a_device_the_user_has(sts_mock: MockSTS) -> None:
    alice_device = sts_mock.create_user("alice").enable_mfa()
    sts_mock.create_user("bob")
    iam = boto3.client("iam")
    codes = {
        "AuthenticationCode1": alice_device.code(NOW - STEP),
        "AuthenticationCode2": alice_device.code(NOW),
    }

    error = aws_error(
        lambda: iam.resync_mfa_device(
            UserName="bob", SerialNumber=alice_device.serial_number, **codes
        )
    )

    assert error == not_the_users(alice_device.serial_number)
    missing = serial("ghost-phone")
    error = aws_error(
        lambda: iam.resync_mfa_device(UserName="alice", SerialNumber=missing, **codes)
    )
    assert error == no_device(missing)
    error = aws_error(
        lambda: iam.resync_mfa_device(
            UserName="ghost", SerialNumber=alice_device.serial_number, **codes
        )
    )
    assert error == ("NoSuchEntity", "The user with name ghost cannot be found.", 404)


def test_resync_checks_the_codes_against_the_model(sts_mock: MockSTS) -> None:
    device = sts_mock.create_user("alice").enable_mfa()
    iam = boto3.client("iam")

    error = aws_error(
        lambda: iam.resync_mfa_device(
            UserName="alice",
            SerialNumber=device.serial_number,
            AuthenticationCode1="12a456",
            AuthenticationCode2=device.code(NOW),
        )
    )

    assert error == (
        "ValidationError",
        "1 validation error detected: Value at 'authenticationCode1' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [\\d]+",
        400,
    )


def test_resync_is_authorized_on_the_user(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user("bob")
    device = bob.enable_mfa()
    iam = client("iam", bob.credentials)

    error = aws_error(
        lambda: iam.resync_mfa_device(
            UserName="bob",
            SerialNumber=device.serial_number,
            AuthenticationCode1=device.code(NOW - STEP),
            AuthenticationCode2=device.code(NOW),
        )
    )

    assert error == no_policy_allows(bob.arn, "iam:ResyncMFADevice", bob.arn)
