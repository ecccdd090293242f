"""Code under test: a CLI helper that opens an MFA-backed session, then checks who it is.

With moto, any code and any serial number "work". Here the code must be the device's
current TOTP, the serial must belong to the caller, and the session expires.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import boto3
import pytest
import time_machine
from botocore.exceptions import ClientError

from mock_sts import User


def open_session(keys: dict[str, str], serial: str, code: str, hours: int = 1) -> dict[str, Any]:
    """What the tool does: GetSessionToken with MFA, returning boto3 client kwargs."""
    sts = boto3.client("sts", region_name="eu-west-1", **keys)
    credentials = sts.get_session_token(
        DurationSeconds=hours * 3600, SerialNumber=serial, TokenCode=code
    )["Credentials"]
    return {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
        "aws_session_token": credentials["SessionToken"],
    }


def whoami(session_keys: dict[str, str]) -> str:
    arn: str = boto3.client("sts", region_name="eu-west-1", **session_keys).get_caller_identity()[
        "Arn"
    ]
    return arn


def test_session_acts_as_the_operator(operator: User) -> None:
    device = operator.enable_mfa()
    session = open_session(operator.credentials.as_boto3(), device.serial_number, device.code())
    assert whoami(session) == "arn:aws:iam::123456789012:user/humans/operator"


def test_a_wrong_code_is_refused_as_aws_refuses_it(operator: User) -> None:
    device = operator.enable_mfa()
    wrong = "000000" if device.code() != "000000" else "111111"
    with pytest.raises(ClientError) as error:
        open_session(operator.credentials.as_boto3(), device.serial_number, wrong)
    assert error.value.response["Error"]["Code"] == "AccessDenied"
    assert "invalid MFA one time pass code" in error.value.response["Error"]["Message"]


def test_someone_elses_device_is_refused(operator: User, sts_mock: Any) -> None:
    other = sts_mock.create_user("intruder")
    device = operator.enable_mfa()
    with pytest.raises(ClientError) as error:
        open_session(other.credentials.as_boto3(), device.serial_number, device.code())
    assert "associated with this user" in error.value.response["Error"]["Message"]


def test_the_session_expires(operator: User) -> None:
    device = operator.enable_mfa()
    with time_machine.travel(dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.timezone.utc), tick=False):
        session = open_session(operator.credentials.as_boto3(), device.serial_number, device.code())
    with time_machine.travel(dt.datetime(2030, 1, 1, 9, 59, tzinfo=dt.timezone.utc)):
        assert whoami(session).endswith("user/humans/operator")
    with (
        time_machine.travel(dt.datetime(2030, 1, 1, 10, 0, tzinfo=dt.timezone.utc)),
        pytest.raises(ClientError) as error,
    ):
        whoami(session)
    assert error.value.response["Error"]["Code"] == "ExpiredToken"
