"""The account's credential report: GenerateCredentialReport, GetCredentialReport and the CSV
they give, as the IAM User Guide describes it ("Getting credential reports for your AWS
account")."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import TYPE_CHECKING, Any

import boto3
import pytest
import time_machine
from botocore.exceptions import ClientError

from tests.helpers import client
from tests.helpers.credentials import certificate

if TYPE_CHECKING:
    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
MOMENT = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
STAMP = "2030-01-02T03:04:05+00:00"
COLUMNS = [
    "user",
    "arn",
    "user_creation_time",
    "password_enabled",
    "password_last_used",
    "password_last_changed",
    "password_next_rotation",
    "mfa_active",
    "access_key_1_active",
    "access_key_1_last_rotated",
    "access_key_1_last_used_date",
    "access_key_1_last_used_region",
    "access_key_1_last_used_service",
    "access_key_2_active",
    "access_key_2_last_rotated",
    "access_key_2_last_used_date",
    "access_key_2_last_used_region",
    "access_key_2_last_used_service",
    "cert_1_active",
    "cert_1_last_rotated",
    "cert_2_active",
    "cert_2_last_rotated",
]


def report_error(call: Any) -> tuple[str, int, bool]:
    """The code and status of a credential report error, and whether it had a message (AWS's
    have none: botocore shows "Unknown")."""
    with pytest.raises(ClientError) as excinfo:
        call()
    response = excinfo.value.response
    assert "Unknown" in str(excinfo.value)
    return (
        response["Error"]["Code"],
        response["ResponseMetadata"]["HTTPStatusCode"],
        "Message" in response["Error"],
    )


def rows(iam: Any) -> dict[str, dict[str, str]]:
    """The report's rows by user, once its header is AWS's."""
    answer = iam.get_credential_report()
    assert answer["ReportFormat"] == "text/csv"
    reader = csv.reader(io.StringIO(answer["Content"].decode()))
    header = next(reader)
    assert header == COLUMNS
    return {row[0]: dict(zip(header, row, strict=True)) for row in reader}


def generated(iam: Any) -> dict[str, dict[str, str]]:
    """A new report's rows, once generation has started and completed."""
    assert iam.generate_credential_report()["State"] == "STARTED"
    assert iam.generate_credential_report()["State"] == "COMPLETE"
    return rows(iam)


@time_machine.travel(MOMENT, tick=False)
def test_the_report_lifecycle(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    assert report_error(iam.get_credential_report) == ("ReportNotPresent", 410, False)
    started = iam.generate_credential_report()
    assert started["State"] == "STARTED"
    assert started["Description"] == "No report exists. Starting a new report generation task"
    # Still being generated for a request in the same second; a second look finds it done.
    assert report_error(iam.get_credential_report) == ("ReportInProgress", 404, False)
    assert iam.get_credential_report()["GeneratedTime"] == MOMENT
    again = iam.generate_credential_report()
    assert again["State"] == "COMPLETE"
    assert "Description" not in again


def test_a_report_completes_within_a_second_and_expires_after_four_hours(
    sts_mock: MockSTS,
) -> None:
    iam = boto3.client("iam")
    with time_machine.travel(MOMENT, tick=False):
        iam.generate_credential_report()
    with time_machine.travel(MOMENT + dt.timedelta(seconds=1), tick=False):
        assert iam.get_credential_report()["GeneratedTime"] == MOMENT
    with time_machine.travel(MOMENT + dt.timedelta(hours=3, minutes=59), tick=False):
        assert iam.generate_credential_report()["State"] == "COMPLETE"
        assert iam.get_credential_report()["GeneratedTime"] == MOMENT
    later = MOMENT + dt.timedelta(hours=4)
    with time_machine.travel(later, tick=False):
        assert report_error(iam.get_credential_report) == ("ReportExpired", 410, False)
        renewed = iam.generate_credential_report()
        assert renewed["State"] == "STARTED"
        assert "Description" not in renewed
        assert iam.generate_credential_report()["State"] == "COMPLETE"
        assert iam.get_credential_report()["GeneratedTime"] == later


@time_machine.travel(MOMENT, tick=False)
def test_root_and_users_without_credentials(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    report = generated(iam)
    assert list(report) == ["<root_account>", "admin", "bob"]
    # The account was made when the mock started, before the clock was moved.
    root = report["<root_account>"]
    assert dt.datetime.fromisoformat(root.pop("user_creation_time")).tzinfo == dt.timezone.utc
    assert root == {
        **{column: "N/A" for column in COLUMNS if column != "user_creation_time"},
        "user": "<root_account>",
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:root",
        "password_enabled": "not_supported",
        "password_last_used": "no_information",
        "password_last_changed": "not_supported",
        "password_next_rotation": "not_supported",
        "mfa_active": "false",
        "access_key_1_active": "false",
        "access_key_2_active": "false",
        "cert_1_active": "false",
        "cert_2_active": "false",
    }
    assert report["bob"] == {
        **dict.fromkeys(COLUMNS, "N/A"),
        "user": "bob",
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/bob",
        "user_creation_time": STAMP,
        "password_enabled": "false",
        "mfa_active": "false",
        "access_key_1_active": "false",
        "access_key_2_active": "false",
        "cert_1_active": "false",
        "cert_2_active": "false",
    }


def test_passwords_keys_mfa_and_certificates(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    with time_machine.travel(MOMENT, tick=False):
        user = sts_mock.create_user("bob", path="/staff/")
        user.enable_mfa()
        iam.create_login_profile(UserName="bob", Password="Correct-Horse-9")
        iam.update_account_password_policy(MaxPasswordAge=90)
        second = iam.create_access_key(UserName="bob")["AccessKey"]
        iam.update_access_key(UserName="bob", AccessKeyId=second["AccessKeyId"], Status="Inactive")
        iam.upload_signing_certificate(UserName="bob", CertificateBody=certificate("bob"))
        later = iam.upload_signing_certificate(UserName="bob", CertificateBody=certificate("b2"))
        iam.update_signing_certificate(
            UserName="bob", CertificateId=later["Certificate"]["CertificateId"], Status="Inactive"
        )
    with time_machine.travel(MOMENT + dt.timedelta(hours=1), tick=False):
        client("sts", user.credentials, region="eu-west-1").get_caller_identity()
    with time_machine.travel(MOMENT + dt.timedelta(hours=2), tick=False):
        iam.update_login_profile(UserName="bob", Password="Battery-Staple-7")
        bob = generated(iam)["bob"]
    assert bob == {
        "user": "bob",
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/staff/bob",
        "user_creation_time": STAMP,
        "password_enabled": "true",
        "password_last_used": "no_information",
        "password_last_changed": "2030-01-02T05:04:05+00:00",
        "password_next_rotation": "2030-04-02T05:04:05+00:00",
        "mfa_active": "true",
        "access_key_1_active": "true",
        "access_key_1_last_rotated": STAMP,
        "access_key_1_last_used_date": "2030-01-02T04:04:05+00:00",
        "access_key_1_last_used_region": "eu-west-1",
        "access_key_1_last_used_service": "sts",
        "access_key_2_active": "false",
        "access_key_2_last_rotated": "N/A",
        "access_key_2_last_used_date": "N/A",
        "access_key_2_last_used_region": "N/A",
        "access_key_2_last_used_service": "N/A",
        "cert_1_active": "true",
        "cert_1_last_rotated": STAMP,
        "cert_2_active": "false",
        "cert_2_last_rotated": "N/A",
    }


@time_machine.travel(MOMENT, tick=False)
def test_the_report_is_drawn_when_its_generation_starts(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.generate_credential_report()
    iam.create_user(UserName="late")
    assert iam.generate_credential_report()["State"] == "COMPLETE"
    assert "late" not in rows(iam)
