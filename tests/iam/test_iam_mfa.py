"""Virtual MFA devices through IAM, and what MFA changes for GetSessionToken credentials."""

from __future__ import annotations

import base64
import datetime as dt
from typing import TYPE_CHECKING, Any

import boto3
import botocore.exceptions
import pytest
import time_machine
from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP

from tests.helpers import IAM_FULL_ACCESS, INVALID_TOKEN, aws_error

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
BAD_CODES = (
    "InvalidAuthenticationCode",
    "Authentication code for device is not valid.",
    403,
)
MFA_UNKNOWN_DEVICE = (
    "AccessDenied",
    "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA "
    "serial number is valid and associated with this user.",
    403,
)
MFA_BAD_CODE = (
    "AccessDenied",
    "MultiFactorAuthentication failed with invalid MFA one time pass code. ",
    403,
)
# Five seconds into a 30-second TOTP step, so codes of neighbouring steps are unambiguous.
NOW = dt.datetime(2030, 6, 1, 12, 0, 5, tzinfo=dt.timezone.utc)
STEP = dt.timedelta(seconds=30)


@pytest.fixture
def clock() -> Iterator[time_machine.Traveller]:
    """Time stands still at NOW (for the mock and for the codes the tests compute)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def serial(name: str, path: str = "/") -> str:
    return f"arn:aws:iam::{ACCOUNT_ID}:mfa{path}{name}"


def seed_of(created: dict[str, Any]) -> bytes:
    """The TOTP key of a device, from CreateVirtualMFADevice's Base32StringSeed."""
    return base64.b32decode(created["VirtualMFADevice"]["Base32StringSeed"])


def code_at(seed: bytes, moment: dt.datetime) -> str:
    """What an authenticator app shows at ``moment``: RFC 6238, SHA-1, 6 digits, 30 s."""
    return TOTP(seed, 6, SHA1(), 30).generate(moment.timestamp()).decode()


def consecutive_codes(seed: bytes, at: dt.datetime = NOW) -> tuple[str, str]:
    """The two codes a user types into EnableMFADevice: the previous step's, then the current."""
    return code_at(seed, at - STEP), code_at(seed, at)


def other_code(code: str) -> str:
    """A well-formed code that is certainly not ``code``."""
    return f"{(int(code) + 1) % 1_000_000:06d}"


def create_device(iam: Any, name: str, path: str = "/") -> tuple[str, bytes]:
    created = iam.create_virtual_mfa_device(VirtualMFADeviceName=name, Path=path)
    return created["VirtualMFADevice"]["SerialNumber"], seed_of(created)


def enable(iam: Any, user_name: str, serial_number: str, seed: bytes) -> None:
    first, second = consecutive_codes(seed)
    iam.enable_mfa_device(
        UserName=user_name,
        SerialNumber=serial_number,
        AuthenticationCode1=first,
        AuthenticationCode2=second,
    )


def virtual_serials(iam: Any, **kwargs: Any) -> list[str]:
    devices = iam.list_virtual_mfa_devices(**kwargs)["VirtualMFADevices"]
    return sorted(device["SerialNumber"] for device in devices)


def mfa_serials(iam: Any, **kwargs: Any) -> list[str]:
    return [device["SerialNumber"] for device in iam.list_mfa_devices(**kwargs)["MFADevices"]]


def session_clients(credentials: dict[str, Any]) -> tuple[Any, Any]:
    """IAM and STS clients signing with GetSessionToken's temporary credentials."""
    keys = {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }
    return boto3.client("iam", **keys), boto3.client("sts", **keys)


# ---------------------------------------------------------------------------------------
# CreateVirtualMFADevice


def test_create_virtual_mfa_device_returns_its_serial_and_base32_seed(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="alice-phone")["VirtualMFADevice"]

    assert device["SerialNumber"] == serial("alice-phone")
    seed_text = device["Base32StringSeed"]
    assert isinstance(seed_text, bytes)
    assert set(seed_text.decode()) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567=")
    seed = base64.b32decode(seed_text)
    assert len(seed) >= 16
    assert base64.b32encode(seed) == seed_text
    assert "User" not in device
    assert "EnableDate" not in device
    assert virtual_serials(iam, AssignmentStatus="Unassigned") == [serial("alice-phone")]


def test_every_device_gets_its_own_seed(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    _, first = create_device(iam, "one")
    _, second = create_device(iam, "two")

    assert first != second


def test_a_device_path_is_part_of_its_serial_number(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    serial_number, _ = create_device(iam, "alice-phone", path="/team/red/")

    assert serial_number == serial("alice-phone", "/team/red/")
    assert virtual_serials(iam) == [serial_number]


def test_a_device_name_is_unique_at_its_path(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    iam = boto3.client("iam")
    sts_mock.create_user("alice")
    serial_number, seed = create_device(iam, "shared")

    assert aws_error(lambda: iam.create_virtual_mfa_device(VirtualMFADeviceName="shared")) == (
        "EntityAlreadyExists",
        "MFA device already exists.",
        409,
    )
    assert virtual_serials(iam) == [serial_number]
    # The first device, and its seed, are untouched: codes from that seed still enable it.
    enable(iam, "alice", serial_number, seed)
    assert mfa_serials(iam, UserName="alice") == [serial_number]


def test_device_names_are_checked_against_the_pattern(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    assert aws_error(lambda: iam.create_virtual_mfa_device(VirtualMFADeviceName="alice phone")) == (
        "ValidationError",
        "1 validation error detected: Value at 'virtualMFADeviceName' failed to "
        r"satisfy constraint: Member must satisfy regular expression pattern: [\w+=,.@-]+",
        400,
    )
    assert virtual_serials(iam) == []


# ---------------------------------------------------------------------------------------
# EnableMFADevice


def test_enable_mfa_device_with_two_consecutive_codes(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    alice = sts_mock.create_user("alice", path="/staff/")
    iam = boto3.client("iam")
    serial_number, seed = create_device(iam, "alice-phone")
    first, second = consecutive_codes(seed)

    iam.enable_mfa_device(
        UserName="alice",
        SerialNumber=serial_number,
        AuthenticationCode1=first,
        AuthenticationCode2=second,
    )

    assert iam.list_mfa_devices(UserName="alice")["MFADevices"] == [
        {"UserName": "alice", "SerialNumber": serial_number, "EnableDate": NOW}
    ]
    (assigned,) = iam.list_virtual_mfa_devices(AssignmentStatus="Assigned")["VirtualMFADevices"]
    assert assigned["SerialNumber"] == serial_number
    assert assigned["EnableDate"] == NOW
    assert assigned["User"]["UserName"] == "alice"
    assert assigned["User"]["UserId"] == alice.user_id
    assert assigned["User"]["Arn"] == alice.arn
    assert assigned["User"]["Path"] == "/staff/"
    assert "Base32StringSeed" not in assigned


def test_enable_mfa_device_accepts_codes_typed_a_step_late(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    sts_mock.create_user("alice")
    iam = boto3.client("iam")
    serial_number, seed = create_device(iam, "alice-phone")
    first, second = consecutive_codes(seed)
    clock.shift(STEP)

    iam.enable_mfa_device(
        UserName="alice",
        SerialNumber=serial_number,
        AuthenticationCode1=first,
        AuthenticationCode2=second,
    )

    assert mfa_serials(iam, UserName="alice") == [serial_number]


def _wrong_pairs(seed: bytes) -> dict[str, tuple[str, str]]:
    first, second = consecutive_codes(seed)
    stale_first, stale_second = consecutive_codes(seed, NOW - dt.timedelta(minutes=10))
    return {
        "first wrong": (other_code(first), second),
        "second wrong": (first, other_code(second)),
        "reversed": (second, first),
        "same code twice": (second, second),
        "ten minutes old": (stale_first, stale_second),
    }


@pytest.mark.parametrize(
    "case", ["first wrong", "second wrong", "reversed", "same code twice", "ten minutes old"]
)
def test_enable_mfa_device_rejects_a_wrong_pair_of_codes(
    sts_mock: MockSTS, clock: time_machine.Traveller, case: str
) -> None:
    sts_mock.create_user("alice")
    iam = boto3.client("iam")
    serial_number, seed = create_device(iam, "alice-phone")
    first, second = _wrong_pairs(seed)[case]

    assert (
        aws_error(
            lambda: iam.enable_mfa_device(
                UserName="alice",
                SerialNumber=serial_number,
                AuthenticationCode1=first,
                AuthenticationCode2=second,
            )
        )
        == BAD_CODES
    )
    assert mfa_serials(iam, UserName="alice") == []
    assert virtual_serials(iam, AssignmentStatus="Unassigned") == [serial_number]
    assert virtual_serials(iam, AssignmentStatus="Assigned") == []


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("12345a", r"satisfy regular expression pattern: [\d]+"),
        ("1234567", "have length less than or equal to 6"),
    ],
)
def test_authentication_codes_are_validated_by_the_server(
    sts_mock: MockSTS, clock: time_machine.Traveller, code: str, rule: str
) -> None:
    sts_mock.create_user("alice")
    iam = boto3.client("iam")
    serial_number, seed = create_device(iam, "alice-phone")
    _, second = consecutive_codes(seed)

    assert aws_error(
        lambda: iam.enable_mfa_device(
            UserName="alice",
            SerialNumber=serial_number,
            AuthenticationCode1=code,
            AuthenticationCode2=second,
        )
    ) == (
        "ValidationError",
        "1 validation error detected: Value at 'authenticationCode1' failed to "
        f"satisfy constraint: Member must {rule}",
        400,
    )
    assert mfa_serials(iam, UserName="alice") == []


def test_enable_mfa_device_for_an_unknown_user(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    iam = boto3.client("iam")
    serial_number, seed = create_device(iam, "phone")
    first, second = consecutive_codes(seed)

    assert aws_error(
        lambda: iam.enable_mfa_device(
            UserName="ghost",
            SerialNumber=serial_number,
            AuthenticationCode1=first,
            AuthenticationCode2=second,
        )
    ) == ("NoSuchEntity", "The user with name ghost cannot be found.", 404)
    assert virtual_serials(iam, AssignmentStatus="Unassigned") == [serial_number]


def test_enable_mfa_device_with_an_unknown_serial_number(sts_mock: MockSTS) -> None:
    sts_mock.create_user("alice")
    iam = boto3.client("iam")
    missing = serial("no-such-device")

    assert aws_error(
        lambda: iam.enable_mfa_device(
            UserName="alice",
            SerialNumber=missing,
            AuthenticationCode1="123456",
            AuthenticationCode2="654321",
        )
    ) == (
        "NoSuchEntity",
        f"VirtualMFADevice with serial number {missing} doesn't exist.",
        404,
    )
    assert mfa_serials(iam, UserName="alice") == []


def test_a_device_serves_one_user_at_a_time(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    sts_mock.create_user("alice")
    sts_mock.create_user("bob")
    iam = boto3.client("iam")
    serial_number, seed = create_device(iam, "shared-phone")
    enable(iam, "alice", serial_number, seed)
    clock.shift(STEP)
    first, second = consecutive_codes(seed, NOW + STEP)

    assert aws_error(
        lambda: iam.enable_mfa_device(
            UserName="bob",
            SerialNumber=serial_number,
            AuthenticationCode1=first,
            AuthenticationCode2=second,
        )
    ) == ("EntityAlreadyExists", "MFA Device is already in use.", 409)
    assert mfa_serials(iam, UserName="alice") == [serial_number]
    assert mfa_serials(iam, UserName="bob") == []


def test_a_user_has_at_most_8_mfa_devices(sts_mock: MockSTS, clock: time_machine.Traveller) -> None:
    sts_mock.create_user("alice")
    iam = boto3.client("iam")
    devices = [create_device(iam, f"device-{i}") for i in range(9)]
    for serial_number, seed in devices[:8]:
        enable(iam, "alice", serial_number, seed)
    ninth, ninth_seed = devices[8]
    first, second = consecutive_codes(ninth_seed)

    assert aws_error(
        lambda: iam.enable_mfa_device(
            UserName="alice",
            SerialNumber=ninth,
            AuthenticationCode1=first,
            AuthenticationCode2=second,
        )
    ) == (
        "LimitExceeded",
        "Cannot exceed quota for MFADevicesPerUser: 8",
        409,
    )
    assert len(mfa_serials(iam, UserName="alice")) == 8
    assert virtual_serials(iam, AssignmentStatus="Unassigned") == [ninth]


def test_mfa_codes_are_redacted_in_the_recorded_calls(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    sts_mock.create_user("alice")
    iam = boto3.client("iam")
    serial_number, seed = create_device(iam, "alice-phone")
    first, second = consecutive_codes(seed)

    with pytest.raises(botocore.exceptions.ClientError):
        iam.enable_mfa_device(
            UserName="alice",
            SerialNumber=serial_number,
            AuthenticationCode1=second,
            AuthenticationCode2=first,
        )
    enable(iam, "alice", serial_number, seed)

    refused, accepted = sts_mock.calls[-2:]
    for call in (refused, accepted):
        assert call.service == "iam"
        assert call.action == "EnableMFADevice"
        assert call.params == {
            "UserName": "alice",
            "SerialNumber": serial_number,
            "AuthenticationCode1": "***",
            "AuthenticationCode2": "***",
        }
    assert (refused.status, refused.error_code) == (403, "InvalidAuthenticationCode")
    assert (accepted.status, accepted.error_code) == (200, None)


# ---------------------------------------------------------------------------------------
# ListMFADevices / ListVirtualMFADevices


def test_list_mfa_devices_without_a_name_lists_the_callers_devices(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    alice = sts_mock.create_user("alice", policies={"iam": IAM_FULL_ACCESS})
    device = alice.enable_mfa()
    iam = boto3.client("iam", **alice.credentials.as_boto3())

    assert iam.list_mfa_devices()["MFADevices"] == [
        {"UserName": "alice", "SerialNumber": device.serial_number, "EnableDate": NOW}
    ]
    assert boto3.client("iam").list_mfa_devices()["MFADevices"] == []


def test_list_mfa_devices_of_a_user_without_devices_is_empty(sts_mock: MockSTS) -> None:
    sts_mock.create_user("alice")

    result = boto3.client("iam").list_mfa_devices(UserName="alice")

    assert result["MFADevices"] == []
    assert result["IsTruncated"] is False


def test_list_mfa_devices_paginates(sts_mock: MockSTS, clock: time_machine.Traveller) -> None:
    sts_mock.create_user("alice")
    iam = boto3.client("iam")
    for i in range(3):
        enable(iam, "alice", *create_device(iam, f"device-{i}"))

    first = iam.list_mfa_devices(UserName="alice", MaxItems=2)
    second = iam.list_mfa_devices(UserName="alice", MaxItems=2, Marker=first["Marker"])

    assert (first["IsTruncated"], second["IsTruncated"]) == (True, False)
    assert "Marker" not in second
    paged = [d["SerialNumber"] for d in first["MFADevices"] + second["MFADevices"]]
    assert sorted(paged) == [serial(f"device-{i}") for i in range(3)]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (None, ["assigned", "spare"]),
        ("Any", ["assigned", "spare"]),
        ("Assigned", ["assigned"]),
        ("Unassigned", ["spare"]),
    ],
)
def test_list_virtual_mfa_devices_filters_by_assignment_status(
    sts_mock: MockSTS, clock: time_machine.Traveller, status: str | None, expected: list[str]
) -> None:
    sts_mock.create_user("alice")
    iam = boto3.client("iam")
    enable(iam, "alice", *create_device(iam, "assigned"))
    create_device(iam, "spare")
    kwargs = {} if status is None else {"AssignmentStatus": status}

    assert virtual_serials(iam, **kwargs) == [serial(name) for name in expected]


def test_list_virtual_mfa_devices_omits_tags(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    tags = [{"Key": "owner", "Value": "alice"}]

    created = iam.create_virtual_mfa_device(VirtualMFADeviceName="tagged", Tags=tags)

    assert created["VirtualMFADevice"]["Tags"] == tags
    assert iam.list_virtual_mfa_devices()["VirtualMFADevices"] == [
        {"SerialNumber": serial("tagged")}
    ]


def test_list_virtual_mfa_devices_with_an_unknown_status_is_rejected(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")

    assert aws_error(lambda: iam.list_virtual_mfa_devices(AssignmentStatus="Enabled")) == (
        "ValidationError",
        "1 validation error detected: Value at 'assignmentStatus' failed to satisfy "
        "constraint: Member must satisfy enum value set: [Assigned, Unassigned, Any]",
        400,
    )


def test_list_virtual_mfa_devices_paginates(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    for i in range(5):
        create_device(iam, f"device-{i}")

    paginator = iam.get_paginator("list_virtual_mfa_devices")
    pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
    first = iam.list_virtual_mfa_devices(MaxItems=2)

    assert first["IsTruncated"] is True
    assert len(first["VirtualMFADevices"]) == 2
    assert [len(page["VirtualMFADevices"]) for page in pages] == [2, 2, 1]
    paged = sorted(d["SerialNumber"] for page in pages for d in page["VirtualMFADevices"])
    assert paged == [serial(f"device-{i}") for i in range(5)]


# ---------------------------------------------------------------------------------------
# DeactivateMFADevice / DeleteVirtualMFADevice


def test_deactivate_mfa_device_unassigns_it(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    alice = sts_mock.create_user("alice")
    iam = boto3.client("iam")
    serial_number, seed = create_device(iam, "alice-phone")
    enable(iam, "alice", serial_number, seed)

    iam.deactivate_mfa_device(UserName="alice", SerialNumber=serial_number)

    assert mfa_serials(iam, UserName="alice") == []
    (device,) = iam.list_virtual_mfa_devices(AssignmentStatus="Unassigned")["VirtualMFADevices"]
    assert device["SerialNumber"] == serial_number
    assert "User" not in device
    assert "EnableDate" not in device
    # Nothing holds the user any more.
    iam.delete_access_key(UserName="alice", AccessKeyId=alice.credentials.access_key_id)
    iam.delete_user(UserName="alice")
    # The device can be enabled again, for someone else.
    sts_mock.create_user("bob")
    clock.shift(STEP)
    first, second = consecutive_codes(seed, NOW + STEP)
    iam.enable_mfa_device(
        UserName="bob",
        SerialNumber=serial_number,
        AuthenticationCode1=first,
        AuthenticationCode2=second,
    )
    assert mfa_serials(iam, UserName="bob") == [serial_number]


def test_a_user_deactivates_its_own_device_without_naming_itself(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    alice = sts_mock.create_user("alice", policies={"iam": IAM_FULL_ACCESS})
    device = alice.enable_mfa()

    boto3.client("iam", **alice.credentials.as_boto3()).deactivate_mfa_device(
        SerialNumber=device.serial_number
    )

    assert mfa_serials(boto3.client("iam"), UserName="alice") == []


@pytest.mark.parametrize("case", ["another user's device", "unassigned device", "no device"])
def test_deactivate_mfa_device_not_enabled_for_the_user(
    sts_mock: MockSTS, clock: time_machine.Traveller, case: str
) -> None:
    sts_mock.create_user("alice")
    bob = sts_mock.create_user("bob")
    iam = boto3.client("iam")
    bobs = bob.enable_mfa().serial_number
    spare, _ = create_device(iam, "spare")
    serial_number = {
        "another user's device": bobs,
        "unassigned device": spare,
        "no device": serial("no-such-device"),
    }[case]

    # AWS's text for a serial number it knows nothing of (§13.3); mock_sts's own for a device
    # that is there but not the user's.
    message = (
        f"MFA Device with serial number {serial_number} does not exist."
        if case == "no device"
        else f"MFA Device with serial number {serial_number} not found for the user."
    )
    assert aws_error(
        lambda: iam.deactivate_mfa_device(UserName="alice", SerialNumber=serial_number)
    ) == ("NoSuchEntity", message, 404)
    assert mfa_serials(iam, UserName="bob") == [bobs]
    assert virtual_serials(iam, AssignmentStatus="Unassigned") == [spare]


def test_deactivate_mfa_device_of_an_unknown_user(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    spare, _ = create_device(iam, "spare")

    assert aws_error(lambda: iam.deactivate_mfa_device(UserName="ghost", SerialNumber=spare)) == (
        "NoSuchEntity",
        "The user with name ghost cannot be found.",
        404,
    )


def test_delete_virtual_mfa_device(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    serial_number, _ = create_device(iam, "spare")

    iam.delete_virtual_mfa_device(SerialNumber=serial_number)

    assert virtual_serials(iam) == []
    assert aws_error(lambda: iam.delete_virtual_mfa_device(SerialNumber=serial_number)) == (
        "NoSuchEntity",
        f"MFA Device with serial number {serial_number} does not exist.",
        404,
    )
    # The name is free again.
    assert create_device(iam, "spare")[0] == serial_number


def test_an_enabled_device_cannot_be_deleted(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    alice = sts_mock.create_user("alice")
    iam = boto3.client("iam")
    serial_number, seed = create_device(iam, "alice-phone")
    enable(iam, "alice", serial_number, seed)

    assert aws_error(lambda: iam.delete_virtual_mfa_device(SerialNumber=serial_number)) == (
        "DeleteConflict",
        "MFA Device is still in use.",
        409,
    )
    assert mfa_serials(iam, UserName="alice") == [serial_number]
    assert virtual_serials(iam, AssignmentStatus="Assigned") == [serial_number]
    # Still usable for MFA sessions.
    sts = boto3.client("sts", **alice.credentials.as_boto3())
    session = sts.get_session_token(SerialNumber=serial_number, TokenCode=code_at(seed, NOW))
    assert "SessionToken" in session["Credentials"]


def test_deactivate_then_delete_frees_the_user(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    iam = boto3.client("iam")
    iam.delete_access_key(UserName="alice", AccessKeyId=alice.credentials.access_key_id)

    iam.deactivate_mfa_device(UserName="alice", SerialNumber=device.serial_number)
    iam.delete_virtual_mfa_device(SerialNumber=device.serial_number)
    iam.delete_user(UserName="alice")

    assert virtual_serials(iam) == []
    assert [u["UserName"] for u in iam.list_users()["Users"]] == ["admin"]


# ---------------------------------------------------------------------------------------
# The user.enable_mfa() handle


def test_enable_mfa_handle_creates_an_enabled_device_named_after_the_user(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    alice = sts_mock.create_user("alice")
    iam = boto3.client("iam")

    first = alice.enable_mfa()
    second = alice.enable_mfa()

    assert first.serial_number == serial("alice")
    assert second.serial_number == serial("alice-2")
    listed = iam.list_mfa_devices(UserName="alice")["MFADevices"]
    assert sorted(listed, key=lambda d: d["SerialNumber"]) == [
        {"UserName": "alice", "SerialNumber": first.serial_number, "EnableDate": NOW},
        {"UserName": "alice", "SerialNumber": second.serial_number, "EnableDate": NOW},
    ]
    assert virtual_serials(iam, AssignmentStatus="Assigned") == [serial("alice"), serial("alice-2")]


def test_enable_mfa_handle_skips_names_taken_through_iam(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user("bob")
    iam = boto3.client("iam")
    create_device(iam, "bob")

    device = bob.enable_mfa()

    assert device.serial_number == serial("bob-2")
    assert mfa_serials(iam, UserName="bob") == [serial("bob-2")]
    assert virtual_serials(iam, AssignmentStatus="Unassigned") == [serial("bob")]


def test_enable_mfa_handle_codes_follow_the_clock(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()

    assert device.code() == device.code(at=NOW)
    assert device.code(at=NOW + dt.timedelta(seconds=20)) == device.code(at=NOW)
    assert len(device.code()) == 6
    assert device.code().isdigit()
    clock.shift(STEP)
    assert device.code() == device.code(at=NOW + STEP)


# ---------------------------------------------------------------------------------------
# GetSessionToken credentials and IAM


@pytest.mark.parametrize(
    ("operation", "kwargs"),
    [
        ("get_user", {}),
        ("get_user", {"UserName": "alice"}),
        ("list_users", {}),
        ("list_mfa_devices", {}),
        ("create_access_key", {}),
        ("create_user", {"UserName": "carol"}),
    ],
)
def test_session_credentials_without_mfa_are_refused_by_iam(
    sts_mock: MockSTS, operation: str, kwargs: dict[str, Any]
) -> None:
    alice = sts_mock.create_user("alice", policies={"iam": IAM_FULL_ACCESS})
    sts = boto3.client("sts", **alice.credentials.as_boto3())
    credentials = sts.get_session_token()["Credentials"]
    iam, session_sts = session_clients(credentials)

    assert aws_error(lambda: getattr(iam, operation)(**kwargs)) == INVALID_TOKEN
    # STS still knows the credentials; IAM just does not take them without MFA.
    assert session_sts.get_caller_identity()["Arn"] == alice.arn
    admin = boto3.client("iam")
    assert len(admin.list_access_keys(UserName="alice")["AccessKeyMetadata"]) == 1
    assert sorted(u["UserName"] for u in admin.list_users()["Users"]) == ["admin", "alice"]


def test_root_session_credentials_without_mfa_are_refused_by_iam(sts_mock: MockSTS) -> None:
    sts = boto3.client("sts", **sts_mock.root_credentials().as_boto3())
    iam, _ = session_clients(sts.get_session_token()["Credentials"])

    assert aws_error(lambda: iam.get_user()) == INVALID_TOKEN


def test_session_credentials_with_mfa_work_for_iam(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    alice = sts_mock.create_user("alice", policies={"iam": IAM_FULL_ACCESS})
    device = alice.enable_mfa()
    sts = boto3.client("sts", **alice.credentials.as_boto3())

    credentials = sts.get_session_token(SerialNumber=device.serial_number, TokenCode=device.code())[
        "Credentials"
    ]
    iam, session_sts = session_clients(credentials)

    assert credentials["AccessKeyId"].startswith("ASIA")
    user = iam.get_user()["User"]
    assert (user["UserName"], user["Arn"], user["UserId"]) == ("alice", alice.arn, alice.user_id)
    assert mfa_serials(iam) == [device.serial_number]
    assert sorted(u["UserName"] for u in iam.list_users()["Users"]) == ["admin", "alice"]
    assert session_sts.get_caller_identity()["Arn"] == alice.arn


def test_a_session_with_mfa_from_a_device_enabled_through_iam(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    alice = sts_mock.create_user("alice", policies={"iam": IAM_FULL_ACCESS})
    admin = boto3.client("iam")
    serial_number, seed = create_device(admin, "alice-phone")
    enable(admin, "alice", serial_number, seed)
    clock.shift(STEP)
    sts = boto3.client("sts", **alice.credentials.as_boto3())

    credentials = sts.get_session_token(
        SerialNumber=serial_number, TokenCode=code_at(seed, NOW + STEP)
    )["Credentials"]
    iam, _ = session_clients(credentials)

    assert iam.get_user()["User"]["UserName"] == "alice"
    created = iam.create_access_key(UserName="alice")["AccessKey"]
    assert created["UserName"] == "alice"
    assert len(admin.list_access_keys(UserName="alice")["AccessKeyMetadata"]) == 2


@pytest.mark.parametrize("offset", [dt.timedelta(0), -STEP, STEP], ids=["now", "-30s", "+30s"])
def test_session_token_accepts_the_current_code_and_its_neighbours(
    sts_mock: MockSTS, clock: time_machine.Traveller, offset: dt.timedelta
) -> None:
    alice = sts_mock.create_user("alice", policies={"iam": IAM_FULL_ACCESS})
    device = alice.enable_mfa()
    sts = boto3.client("sts", **alice.credentials.as_boto3())

    credentials = sts.get_session_token(
        SerialNumber=device.serial_number, TokenCode=device.code(at=NOW + offset)
    )["Credentials"]

    iam, _ = session_clients(credentials)
    assert iam.get_user()["User"]["Arn"] == alice.arn


@pytest.mark.parametrize("minutes", [-5, 5])
def test_session_token_refuses_a_code_minutes_away(
    sts_mock: MockSTS, clock: time_machine.Traveller, minutes: int
) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    sts = boto3.client("sts", **alice.credentials.as_boto3())
    code = device.code(at=NOW + dt.timedelta(minutes=minutes))

    assert (
        aws_error(lambda: sts.get_session_token(SerialNumber=device.serial_number, TokenCode=code))
        == MFA_BAD_CODE
    )


def test_session_token_with_a_wrong_code_is_denied(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    sts = boto3.client("sts", **alice.credentials.as_boto3())

    assert (
        aws_error(
            lambda: sts.get_session_token(
                SerialNumber=device.serial_number, TokenCode=other_code(device.code())
            )
        )
        == MFA_BAD_CODE
    )


@pytest.mark.parametrize("case", ["deactivated", "another user's", "unassigned", "unknown"])
def test_session_token_with_a_device_not_enabled_for_the_caller_is_denied(
    sts_mock: MockSTS, clock: time_machine.Traveller, case: str
) -> None:
    alice = sts_mock.create_user("alice")
    bob = sts_mock.create_user("bob")
    iam = boto3.client("iam")
    alices = alice.enable_mfa()
    bobs = bob.enable_mfa()
    spare, spare_seed = create_device(iam, "spare")
    if case == "deactivated":
        iam.deactivate_mfa_device(UserName="alice", SerialNumber=alices.serial_number)
    serial_number, code = {
        "deactivated": (alices.serial_number, alices.code()),
        "another user's": (bobs.serial_number, bobs.code()),
        "unassigned": (spare, code_at(spare_seed, NOW)),
        "unknown": (serial("no-such-device"), "123456"),
    }[case]
    sts = boto3.client("sts", **alice.credentials.as_boto3())

    assert (
        aws_error(lambda: sts.get_session_token(SerialNumber=serial_number, TokenCode=code))
        == MFA_UNKNOWN_DEVICE
    )


# ---------------------------------------------------------------------------------------
# The handle's codes for any device


def test_the_handle_shows_the_code_of_a_device_made_through_iam(
    sts_mock: MockSTS, clock: time_machine.Traveller
) -> None:
    iam = boto3.client("iam", region_name="us-east-1")
    serial_number, seed = create_device(iam, "made-by-iam")

    assert sts_mock.mfa_code(serial_number) == code_at(seed, NOW)
    assert sts_mock.mfa_code(serial_number, at=NOW + STEP) == code_at(seed, NOW + STEP)
    iam.create_user(UserName="alice")
    enable(iam, "alice", serial_number, seed)  # codes the handle computed are accepted too
    assert mfa_serials(iam, UserName="alice") == [serial_number]


def test_the_handle_refuses_a_code_for_an_unknown_device(sts_mock: MockSTS) -> None:
    with pytest.raises(
        LookupError, match="No virtual MFA device 'arn:aws:iam::123456789012:mfa/x'"
    ):
        sts_mock.mfa_code(serial("x"))


# ---------------------------------------------------------------------------------------
# Tags


def test_a_devices_tags_are_given_at_creation_changed_and_listed(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_virtual_mfa_device(
        VirtualMFADeviceName="alice-phone", Tags=[{"Key": "team", "Value": "ops"}]
    )
    device = serial("alice-phone")

    iam.tag_mfa_device(
        SerialNumber=device,
        Tags=[{"Key": "team", "Value": "sre"}, {"Key": "owner", "Value": "alice"}],
    )
    iam.untag_mfa_device(SerialNumber=device, TagKeys=["owner"])
    iam.tag_mfa_device(SerialNumber=device, Tags=[{"Key": "site", "Value": "dub"}])

    listed = iam.list_mfa_device_tags(SerialNumber=device, MaxItems=1)
    rest = iam.list_mfa_device_tags(SerialNumber=device, Marker=listed["Marker"])
    assert listed["Tags"] + rest["Tags"] == [
        {"Key": "team", "Value": "sre"},
        {"Key": "site", "Value": "dub"},
    ]
    assert (listed["IsTruncated"], rest["IsTruncated"]) == (True, False)


@pytest.mark.parametrize(
    "call",
    [
        lambda iam, device: iam.tag_mfa_device(
            SerialNumber=device, Tags=[{"Key": "k", "Value": "v"}]
        ),
        lambda iam, device: iam.untag_mfa_device(SerialNumber=device, TagKeys=["k"]),
        lambda iam, device: iam.list_mfa_device_tags(SerialNumber=device),
    ],
    ids=["TagMFADevice", "UntagMFADevice", "ListMFADeviceTags"],
)
def test_tags_of_a_device_that_is_not_there(sts_mock: MockSTS, call: Any) -> None:
    device = serial("nobody")

    assert aws_error(lambda: call(boto3.client("iam"), device)) == (
        "NoSuchEntity",
        f"MFA Device with serial number {device} does not exist.",
        404,
    )


def test_tagging_a_device_is_authorized_on_its_serial_number(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    create_device(iam, "alice-phone")
    device = serial("alice-phone")
    reader = sts_mock.create_user(
        "reader",
        policies={
            "read": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "iam:ListMFADeviceTags", "Resource": device}
                ],
            }
        },
    )
    limited = boto3.client(
        "iam",
        aws_access_key_id=reader.credentials.access_key_id,
        aws_secret_access_key=reader.credentials.secret_access_key,
    )

    assert limited.list_mfa_device_tags(SerialNumber=device)["Tags"] == []
    assert aws_error(
        lambda: limited.tag_mfa_device(SerialNumber=device, Tags=[{"Key": "k", "Value": "v"}])
    ) == (
        "AccessDenied",
        f"User: {reader.arn} is not authorized to perform: iam:TagMFADevice on resource: "
        f"{device} because no identity-based policy allows the iam:TagMFADevice action",
        403,
    )
