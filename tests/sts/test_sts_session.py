"""GetCallerIdentity, GetAccessKeyInfo and GetSessionToken through real boto3 clients.

Expected values are AWS's (STS_REFERENCE.md §3, §4.6, §4.7, §4.10, §5.2, §5.4, §9.5).
"""

from __future__ import annotations

import datetime as dt
import functools
from typing import TYPE_CHECKING, Any

import botocore
import pytest
import time_machine
from botocore.config import Config
from botocore.exceptions import ParamValidationError

from mock_sts import Call, Check
from tests.helpers import aws_error, caller_identity, sts_client
from tests.helpers.assume_role import code_outside

if TYPE_CHECKING:
    from mock_sts import Credentials, MockSTS, User

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "111111111111"
UTC = dt.timezone.utc
# Mid-step for 30-second TOTP steps (12:00:15), so neighbouring steps are 15 s or more away.
T0 = dt.datetime(2025, 3, 14, 12, 0, 15, tzinfo=UTC)

MFA_UNKNOWN_DEVICE = (
    "MultiFactorAuthentication failed, unable to validate MFA code.  Please verify your MFA "
    "serial number is valid and associated with this user."
)
MFA_BAD_CODE = "MultiFactorAuthentication failed with invalid MFA one time pass code. "
SESSION_CANNOT_GET_SESSION = "Cannot call GetSessionToken with session credentials"


# ---------------------------------------------------------------------------------------
# Helpers


def access_key_info(client: Any, key_id: str) -> str:
    account: str = client.get_access_key_info(AccessKeyId=key_id)["Account"]
    return account


def get_session_token(credentials: Credentials, **params: Any) -> dict[str, Any]:
    session: dict[str, Any] = sts_client(credentials).get_session_token(**params)["Credentials"]
    return session


def lifetime(credentials: Credentials, **params: Any) -> int:
    """Seconds between issue and Expiration of a GetSessionToken call made at T0."""
    with time_machine.travel(T0, tick=False):
        session = get_session_token(credentials, **params)
    seconds = (session["Expiration"] - T0).total_seconds()
    assert seconds == int(seconds)
    return int(seconds)


def root_identity(account_id: str) -> dict[str, str]:
    return {"UserId": account_id, "Account": account_id, "Arn": f"arn:aws:iam::{account_id}:root"}


def user_identity(user: User, account_id: str = ACCOUNT) -> dict[str, str]:
    return {"UserId": user.user_id, "Account": account_id, "Arn": user.arn}


# ---------------------------------------------------------------------------------------
# GetCallerIdentity (§4.7, §5.4)


def test_caller_identity_of_root_keys(sts_mock: MockSTS) -> None:
    assert caller_identity(sts_client(sts_mock.root_credentials())) == {
        "UserId": ACCOUNT,
        "Account": ACCOUNT,
        "Arn": "arn:aws:iam::123456789012:root",
    }


def test_caller_identity_of_root_keys_of_another_account(sts_mock: MockSTS) -> None:
    root = sts_mock.root_credentials(account_id=OTHER_ACCOUNT)

    assert caller_identity(sts_client(root)) == root_identity(OTHER_ACCOUNT)


@pytest.mark.sts_mock(account_id="210987654321")
def test_caller_identity_of_root_keys_of_the_configured_account(sts_mock: MockSTS) -> None:
    assert caller_identity(sts_client(sts_mock.root_credentials())) == root_identity("210987654321")


def test_caller_identity_of_iam_user_keys(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")

    result = caller_identity(sts_client(alice.credentials))

    assert result == {
        "UserId": alice.user_id,
        "Account": ACCOUNT,
        "Arn": "arn:aws:iam::123456789012:user/alice",
    }
    assert result["UserId"].startswith("AIDA")
    assert len(result["UserId"]) == 21


def test_caller_identity_of_a_user_with_a_path(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user("bob", path="/engineering/backend/")

    assert caller_identity(sts_client(bob.credentials)) == {
        "UserId": bob.user_id,
        "Account": ACCOUNT,
        "Arn": "arn:aws:iam::123456789012:user/engineering/backend/bob",
    }


def test_caller_identity_of_a_user_in_another_account(sts_mock: MockSTS) -> None:
    carol = sts_mock.create_user("carol", account_id=OTHER_ACCOUNT)

    assert caller_identity(sts_client(carol.credentials)) == {
        "UserId": carol.user_id,
        "Account": OTHER_ACCOUNT,
        "Arn": "arn:aws:iam::111111111111:user/carol",
    }


def test_caller_identity_of_the_default_admin(sts_mock: MockSTS) -> None:
    result = caller_identity(sts_client())

    assert result == caller_identity(sts_client(sts_mock.admin_credentials()))
    assert result["Arn"] == "arn:aws:iam::123456789012:user/admin"
    assert result["Account"] == ACCOUNT
    assert result["UserId"].startswith("AIDA")


def test_caller_identity_of_session_credentials_is_the_users(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    session = get_session_token(alice.credentials)

    assert caller_identity(sts_client(session)) == caller_identity(sts_client(alice.credentials))
    assert caller_identity(sts_client(session)) == user_identity(alice)


def test_caller_identity_of_root_session_credentials_is_the_roots(sts_mock: MockSTS) -> None:
    session = get_session_token(sts_mock.root_credentials())

    assert caller_identity(sts_client(session)) == root_identity(ACCOUNT)


def test_caller_identity_of_mfa_session_credentials_is_the_users(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    session = get_session_token(
        alice.credentials, SerialNumber=device.serial_number, TokenCode=device.code()
    )

    assert caller_identity(sts_client(session)) == user_identity(alice)


# ---------------------------------------------------------------------------------------
# GetAccessKeyInfo (§4.6, §5.2)


def test_access_key_info_of_keys_the_mock_issued(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    carol = sts_mock.create_user("carol", account_id=OTHER_ACCOUNT)
    session = get_session_token(alice.credentials)
    other_root = sts_mock.root_credentials(account_id="000000000042")
    client = sts_client()

    assert access_key_info(client, alice.credentials.access_key_id) == ACCOUNT
    assert access_key_info(client, carol.credentials.access_key_id) == OTHER_ACCOUNT
    assert access_key_info(client, session["AccessKeyId"]) == ACCOUNT
    assert access_key_info(client, sts_mock.root_credentials().access_key_id) == ACCOUNT
    assert access_key_info(client, other_root.access_key_id) == "000000000042"
    assert access_key_info(client, sts_mock.admin_credentials().access_key_id) == ACCOUNT


def test_issued_key_ids_have_aws_shapes(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    session = get_session_token(alice.credentials)

    assert alice.credentials.access_key_id.startswith("AKIA")
    assert len(alice.credentials.access_key_id) == 20
    assert session["AccessKeyId"].startswith("ASIA")
    assert len(session["AccessKeyId"]) == 20
    assert len(session["SecretAccessKey"]) == 40
    assert session["SessionToken"]


@pytest.mark.parametrize(
    ("key_id", "account"),
    [
        ("ASIAY34FZKBOKMUTVV7A", "609629065308"),
        ("AKIARZPUZDIKGB2VALC4", "123456789012"),
        ("ASIA2AVYNEVMQECFBHEU", "688655246681"),
        # No checksum and no existence check: trailing characters do not matter.
        ("AKIARZPUZDIKAAAAAAAA", "123456789012"),
        ("ASIARZPUZDIKCI2FM6EQ", "123456789012"),
    ],
)
def test_access_key_info_of_real_aws_key_ids(sts_mock: MockSTS, key_id: str, account: str) -> None:
    assert access_key_info(sts_client(), key_id) == account


def test_access_key_info_works_for_root_callers(sts_mock: MockSTS) -> None:
    client = sts_client(sts_mock.root_credentials())

    assert access_key_info(client, "ASIAY34FZKBOKMUTVV7A") == "609629065308"


def test_access_key_info_of_a_legacy_key_id_is_a_validation_error(sts_mock: MockSTS) -> None:
    client = sts_client()

    assert aws_error(lambda: client.get_access_key_info(AccessKeyId="AKIAIOSFODNN7EXAMPLE")) == (
        "ValidationError",
        "The access key ID AKIAIOSFODNN7EXAMPLE does not encode an account, and no such key "
        "was issued by this mock.",
        400,
    )


def test_access_key_info_with_session_token_credentials_is_denied(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    client = sts_client(get_session_token(alice.credentials))

    assert aws_error(
        lambda: client.get_access_key_info(AccessKeyId=alice.credentials.access_key_id)
    ) == (
        "AccessDenied",
        "User: arn:aws:iam::123456789012:user/alice is not authorized to perform: "
        "sts:GetAccessKeyInfo",
        403,
    )


def test_access_key_info_with_root_session_credentials_is_denied(sts_mock: MockSTS) -> None:
    client = sts_client(get_session_token(sts_mock.root_credentials()))

    assert aws_error(lambda: client.get_access_key_info(AccessKeyId="AKIARZPUZDIKGB2VALC4")) == (
        "AccessDenied",
        "User: arn:aws:iam::123456789012:root is not authorized to perform: sts:GetAccessKeyInfo",
        403,
    )


def test_access_key_info_id_too_short_is_a_validation_error(sts_mock: MockSTS) -> None:
    client = sts_client(config=Config(parameter_validation=False))

    assert aws_error(lambda: client.get_access_key_info(AccessKeyId="AKIA")) == (
        "ValidationError",
        "1 validation error detected: Value 'AKIA' at 'accessKeyId' failed to satisfy "
        "constraint: Member must have length greater than or equal to 16",
        400,
    )


# ---------------------------------------------------------------------------------------
# GetSessionToken durations (§4.10)


def test_user_session_lasts_43200_seconds_by_default(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")

    assert lifetime(alice.credentials) == 43200


@pytest.mark.parametrize("seconds", [900, 3600, 43200, 129599, 129600])
def test_user_session_lasts_the_requested_duration(sts_mock: MockSTS, seconds: int) -> None:
    alice = sts_mock.create_user("alice")

    assert lifetime(alice.credentials, DurationSeconds=seconds) == seconds


def test_expiration_is_exact_with_the_clock_frozen(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    with time_machine.travel(T0, tick=False):
        session = get_session_token(alice.credentials)

    assert session["Expiration"] == dt.datetime(2025, 3, 15, 0, 0, 15, tzinfo=UTC)


def test_user_session_longer_than_129600_is_a_validation_error(sts_mock: MockSTS) -> None:
    client = sts_client(sts_mock.create_user("alice").credentials)

    assert aws_error(lambda: client.get_session_token(DurationSeconds=129601)) == (
        "ValidationError",
        "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy "
        "constraint: Member must have value less than or equal to 129600",
        400,
    )


def test_session_shorter_than_900_is_refused(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")

    # botocore checks minimums itself ...
    with pytest.raises(ParamValidationError):
        sts_client(alice.credentials).get_session_token(DurationSeconds=899)
    # ... and the server does too when it is asked anyway.
    unvalidated = sts_client(alice.credentials, config=Config(parameter_validation=False))
    assert aws_error(lambda: unvalidated.get_session_token(DurationSeconds=899)) == (
        "ValidationError",
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy "
        "constraint: Member must have value greater than or equal to 900",
        400,
    )


def test_root_session_lasts_3600_seconds_by_default(sts_mock: MockSTS) -> None:
    assert lifetime(sts_mock.root_credentials()) == 3600


@pytest.mark.parametrize("requested", [3601, 7200, 43200, 129600])
def test_root_session_longer_than_an_hour_is_silently_reduced(
    sts_mock: MockSTS, requested: int
) -> None:
    assert lifetime(sts_mock.root_credentials(), DurationSeconds=requested) == 3600


@pytest.mark.parametrize("requested", [900, 1800, 3600])
def test_root_session_up_to_an_hour_lasts_the_requested_duration(
    sts_mock: MockSTS, requested: int
) -> None:
    assert lifetime(sts_mock.root_credentials(), DurationSeconds=requested) == requested


def test_root_session_above_the_model_maximum_is_still_a_validation_error(
    sts_mock: MockSTS,
) -> None:
    client = sts_client(sts_mock.root_credentials())

    assert aws_error(lambda: client.get_session_token(DurationSeconds=129601)) == (
        "ValidationError",
        "1 validation error detected: Value '129601' at 'durationSeconds' failed to satisfy "
        "constraint: Member must have value less than or equal to 129600",
        400,
    )


def test_session_credentials_cannot_call_get_session_token(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    client = sts_client(get_session_token(alice.credentials))

    assert aws_error(client.get_session_token) == ("AccessDenied", SESSION_CANNOT_GET_SESSION, 403)
    assert aws_error(lambda: client.get_session_token(DurationSeconds=900)) == (
        "AccessDenied",
        SESSION_CANNOT_GET_SESSION,
        403,
    )


def test_root_session_credentials_cannot_call_get_session_token(sts_mock: MockSTS) -> None:
    client = sts_client(get_session_token(sts_mock.root_credentials()))

    assert aws_error(client.get_session_token) == ("AccessDenied", SESSION_CANNOT_GET_SESSION, 403)


def test_each_get_session_token_call_issues_new_credentials(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    first = get_session_token(alice.credentials)
    second = get_session_token(alice.credentials)

    assert first["AccessKeyId"] != second["AccessKeyId"]
    assert first["SecretAccessKey"] != second["SecretAccessKey"]
    assert first["SessionToken"] != second["SessionToken"]
    assert caller_identity(sts_client(first)) == caller_identity(sts_client(second))


# ---------------------------------------------------------------------------------------
# MFA (§9.5)


def test_get_session_token_with_the_right_mfa_code(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    client = sts_client(alice.credentials)

    with time_machine.travel(T0, tick=False):
        response = client.get_session_token(
            SerialNumber=device.serial_number, TokenCode=device.code()
        )

    assert device.serial_number == "arn:aws:iam::123456789012:mfa/alice"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert response["Credentials"]["Expiration"] == T0 + dt.timedelta(seconds=43200)


def test_get_session_token_with_mfa_and_a_duration(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()

    with time_machine.travel(T0, tick=False):
        code = device.code()
    assert (
        lifetime(
            alice.credentials,
            DurationSeconds=7200,
            SerialNumber=device.serial_number,
            TokenCode=code,
        )
        == 7200
    )


def test_get_session_token_with_a_wrong_mfa_code(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    client = sts_client(alice.credentials)

    with time_machine.travel(T0, tick=False):
        step = dt.timedelta(seconds=30)
        wrong = code_outside(device, [T0, T0 - step, T0 + step])
        assert aws_error(
            lambda: client.get_session_token(SerialNumber=device.serial_number, TokenCode=wrong)
        ) == ("AccessDenied", MFA_BAD_CODE, 403)


def test_get_session_token_with_an_unknown_mfa_serial(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    client = sts_client(alice.credentials)

    for serial in ("arn:aws:iam::123456789012:mfa/ghost", "GAHT12345678"):
        assert aws_error(
            functools.partial(
                client.get_session_token, SerialNumber=serial, TokenCode=device.code()
            )
        ) == ("AccessDenied", MFA_UNKNOWN_DEVICE, 403)


def test_get_session_token_with_another_users_mfa_device(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    bob = sts_mock.create_user("bob")
    alice.enable_mfa()
    bobs_device = bob.enable_mfa()
    client = sts_client(alice.credentials)

    assert aws_error(
        lambda: client.get_session_token(
            SerialNumber=bobs_device.serial_number, TokenCode=bobs_device.code()
        )
    ) == ("AccessDenied", MFA_UNKNOWN_DEVICE, 403)


def test_root_with_a_users_mfa_device(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    client = sts_client(sts_mock.root_credentials())

    assert aws_error(
        lambda: client.get_session_token(SerialNumber=device.serial_number, TokenCode=device.code())
    ) == ("AccessDenied", MFA_UNKNOWN_DEVICE, 403)


def test_mfa_serial_without_a_code(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    client = sts_client(alice.credentials)

    assert aws_error(lambda: client.get_session_token(SerialNumber=device.serial_number)) == (
        "AccessDenied",
        MFA_UNKNOWN_DEVICE,
        403,
    )


def test_mfa_code_without_a_serial(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    client = sts_client(alice.credentials)

    assert aws_error(lambda: client.get_session_token(TokenCode=device.code())) == (
        "AccessDenied",
        MFA_UNKNOWN_DEVICE,
        403,
    )


@pytest.mark.parametrize("steps", [-1, 0, 1])
def test_mfa_codes_of_the_current_and_neighbouring_steps_are_accepted(
    sts_mock: MockSTS, steps: int
) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    code = device.code(at=T0 + dt.timedelta(seconds=30 * steps))

    with time_machine.travel(T0, tick=False):
        session = get_session_token(
            alice.credentials, SerialNumber=device.serial_number, TokenCode=code
        )
        assert caller_identity(sts_client(session)) == user_identity(alice)


@pytest.mark.parametrize("steps", [-2, 2, -10])
def test_mfa_codes_two_or_more_steps_off_are_refused(sts_mock: MockSTS, steps: int) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    accepted_at = [T0 + dt.timedelta(seconds=30 * shift) for shift in (-1, 0, 1)]
    # A six-digit code can repeat across steps (one chance in a million each); a fresh device
    # has a fresh seed, so pick one whose off-window code differs from the accepted ones.
    while device.code(at=T0 + dt.timedelta(seconds=30 * steps)) in {
        device.code(at=moment) for moment in accepted_at
    }:
        device = alice.enable_mfa()
    code = device.code(at=T0 + dt.timedelta(seconds=30 * steps))
    client = sts_client(alice.credentials)

    with time_machine.travel(T0, tick=False):
        assert aws_error(
            lambda: client.get_session_token(SerialNumber=device.serial_number, TokenCode=code)
        ) == ("AccessDenied", MFA_BAD_CODE, 403)


def test_mfa_code_defaults_to_the_travelled_time(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()

    with time_machine.travel(T0, tick=False):
        assert device.code() == device.code(at=T0)
        session = get_session_token(
            alice.credentials, SerialNumber=device.serial_number, TokenCode=device.code()
        )
    assert session["Expiration"] == T0 + dt.timedelta(seconds=43200)


def test_session_credentials_cannot_use_mfa_to_get_a_session(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    client = sts_client(get_session_token(alice.credentials))

    assert aws_error(
        lambda: client.get_session_token(SerialNumber=device.serial_number, TokenCode=device.code())
    ) == ("AccessDenied", SESSION_CANNOT_GET_SESSION, 403)


# ---------------------------------------------------------------------------------------
# The calls record


def test_calls_record_every_request_with_secrets_redacted(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    client = sts_client(alice.credentials)
    unsigned = sts_client(config=Config(signature_version=botocore.UNSIGNED))

    with time_machine.travel(T0, tick=False):
        good = device.code()
        wrong = code_outside(device, [T0 + dt.timedelta(seconds=30 * s) for s in (-1, 0, 1)])
        client.get_caller_identity()
        session = client.get_session_token(
            DurationSeconds=900, SerialNumber=device.serial_number, TokenCode=good
        )["Credentials"]
        aws_error(
            lambda: client.get_session_token(SerialNumber=device.serial_number, TokenCode=wrong)
        )
        aws_error(
            lambda: client.get_session_token(
                SerialNumber="arn:aws:iam::123456789012:mfa/ghost", TokenCode=good
            )
        )
        aws_error(unsigned.get_caller_identity)
        sts_client(session).get_caller_identity()
        aws_error(sts_client(session).get_session_token)
        sts_client().get_access_key_info(AccessKeyId="AKIARZPUZDIKGB2VALC4")

    admin_arn = "arn:aws:iam::123456789012:user/admin"
    key_info = Check(
        "sts:GetAccessKeyInfo",
        "*",
        True,
        "allowed by policy arn:aws:iam::aws:policy/AdministratorAccess attached to user admin",
    )
    assert list(sts_mock.calls) == [
        Call("sts", "GetCallerIdentity", {}, alice.arn, 200, None),
        Call(
            "sts",
            "GetSessionToken",
            {"DurationSeconds": 900, "SerialNumber": device.serial_number, "TokenCode": "***"},
            alice.arn,
            200,
            None,
        ),
        Call(
            "sts",
            "GetSessionToken",
            {"SerialNumber": device.serial_number, "TokenCode": "***"},
            alice.arn,
            403,
            "AccessDenied",
            allowed=False,
            reason=MFA_BAD_CODE,
        ),
        Call(
            "sts",
            "GetSessionToken",
            {"SerialNumber": "arn:aws:iam::123456789012:mfa/ghost", "TokenCode": "***"},
            alice.arn,
            403,
            "AccessDenied",
            allowed=False,
            reason=MFA_UNKNOWN_DEVICE,
        ),
        Call(
            "sts",
            "GetCallerIdentity",
            {},
            None,
            403,
            "MissingAuthenticationToken",
            allowed=False,
            reason="the request is not signed",
        ),
        Call("sts", "GetCallerIdentity", {}, alice.arn, 200, None),
        Call(
            "sts",
            "GetSessionToken",
            {},
            alice.arn,
            403,
            "AccessDenied",
            allowed=False,
            reason="GetSessionToken needs long-term keys, not temporary credentials",
        ),
        Call(
            "sts",
            "GetAccessKeyInfo",
            {"AccessKeyId": "AKIARZPUZDIKGB2VALC4"},
            admin_arn,
            200,
            None,
            checks=(key_info,),
            reason=key_info.reason,
        ),
    ]
    recorded = repr(sts_mock.calls)
    assert good not in recorded
    assert wrong not in recorded


def test_calls_start_empty_and_grow_oldest_first(sts_mock: MockSTS) -> None:
    assert tuple(sts_mock.calls) == ()
    client = sts_client()

    client.get_caller_identity()
    client.get_session_token(DurationSeconds=1800)

    assert [(call.service, call.action, call.status) for call in sts_mock.calls] == [
        ("sts", "GetCallerIdentity", 200),
        ("sts", "GetSessionToken", 200),
    ]
    assert sts_mock.calls[1].params == {"DurationSeconds": 1800}


def test_calls_record_validation_failures(sts_mock: MockSTS) -> None:
    client = sts_client()

    aws_error(lambda: client.get_session_token(DurationSeconds=129601))

    (call,) = sts_mock.calls
    assert (call.service, call.action, call.caller_arn, call.status, call.error_code) == (
        "sts",
        "GetSessionToken",
        "arn:aws:iam::123456789012:user/admin",
        400,
        "ValidationError",
    )
