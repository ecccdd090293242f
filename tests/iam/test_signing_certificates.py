"""X.509 signing certificates of IAM users and of the account's root, through boto3."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.config import Config

from tests.helpers import aws_error, client
from tests.helpers.assume_role import allow, assumed, trust
from tests.helpers.credentials import DAY, certificate, iam_with

if TYPE_CHECKING:
    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
MALFORMED = (
    "MalformedCertificate",
    "Unable to parse certificate. Please ensure the certificate is in PEM format.",
    400,
)


def no_certificate(certificate_id: str) -> tuple[str, str, int]:
    return ("NoSuchEntity", f"The Certificate with id {certificate_id} cannot be found.", 404)


def upload(iam: Any, body: str, **params: Any) -> dict[str, Any]:
    answer: dict[str, dict[str, Any]] = iam.upload_signing_certificate(
        CertificateBody=body, **params
    )
    return answer["Certificate"]


def test_a_certificate_is_uploaded_listed_updated_and_deleted(sts_mock: MockSTS) -> None:
    iam = iam_with("bob")
    body = certificate("bob")
    uploaded = upload(iam, body, UserName="bob")
    assert re.fullmatch(r"[A-Z2-7]{32}", uploaded["CertificateId"])
    assert uploaded["CertificateBody"] == body
    assert uploaded["Status"] == "Active"
    assert uploaded["UserName"] == "bob"
    certificate_id = uploaded["CertificateId"]
    listed = iam.list_signing_certificates(UserName="bob")
    assert listed["Certificates"] == [uploaded]
    assert listed["IsTruncated"] is False

    iam.update_signing_certificate(UserName="bob", CertificateId=certificate_id, Status="Inactive")
    assert iam.list_signing_certificates(UserName="bob")["Certificates"][0]["Status"] == "Inactive"
    iam.delete_signing_certificate(UserName="bob", CertificateId=certificate_id)
    assert iam.list_signing_certificates(UserName="bob")["Certificates"] == []
    assert aws_error(
        lambda: iam.delete_signing_certificate(UserName="bob", CertificateId=certificate_id)
    ) == no_certificate(certificate_id)


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("not a certificate", id="text"),
        pytest.param("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----", id="bad-der"),
    ],
)
def test_what_is_no_certificate(sts_mock: MockSTS, body: str) -> None:
    iam = iam_with("bob")
    assert aws_error(lambda: upload(iam, body, UserName="bob")) == MALFORMED
    assert iam.list_signing_certificates(UserName="bob")["Certificates"] == []


def test_certificates_outside_their_validity(sts_mock: MockSTS) -> None:
    iam = iam_with("bob")
    start = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    expired = certificate("old", not_before=start, not_after=start + DAY)
    assert aws_error(lambda: upload(iam, expired, UserName="bob")) == (
        "MalformedCertificate",
        "The certificate expired on 2020-01-02T00:00:00+00:00.",
        400,
    )
    later = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) + 10 * DAY
    future = certificate("future", not_before=later)
    assert aws_error(lambda: upload(iam, future, UserName="bob")) == (
        "InvalidCertificate",
        f"The certificate is not valid before {later.isoformat()}.",
        400,
    )


def test_duplicates_across_the_account_and_the_quota_of_two(sts_mock: MockSTS) -> None:
    iam = iam_with("bob", "carol")
    body = certificate("c0")
    upload(iam, body, UserName="bob")
    duplicate = (
        "DuplicateCertificate",
        "The same certificate is already associated with an IAM user in the account.",
        409,
    )
    assert aws_error(lambda: upload(iam, body, UserName="carol")) == duplicate
    upload(iam, certificate("c1"), UserName="bob")
    assert aws_error(lambda: upload(iam, certificate("c2"), UserName="bob")) == (
        "LimitExceeded",
        "Cannot exceed quota for SigningCertificatesPerUser: 2",
        409,
    )
    summary = iam.get_account_summary()["SummaryMap"]
    assert summary["SigningCertificatesPerUserQuota"] == 2
    assert summary["AccountSigningCertificatesPresent"] == 0


def test_the_callers_own_certificates_and_the_roots(sts_mock: MockSTS) -> None:
    user = sts_mock.create_user("dave", policies={"own": allow("iam:*SigningCertificate*")})
    own = client("iam", user.credentials)
    mine = upload(own, certificate("dave"))
    assert mine["UserName"] == "dave"
    assert own.list_signing_certificates()["Certificates"] == [mine]

    root = client("iam", sts_mock.root_credentials())
    rooted = upload(root, certificate("root"))
    assert "UserName" not in rooted
    assert [c["CertificateId"] for c in root.list_signing_certificates()["Certificates"]] == [
        rooted["CertificateId"]
    ]
    summary = root.get_account_summary()["SummaryMap"]
    assert summary["AccountSigningCertificatesPresent"] == 1
    root.update_signing_certificate(CertificateId=rooted["CertificateId"], Status="Inactive")
    root.delete_signing_certificate(CertificateId=rooted["CertificateId"])
    assert root.list_signing_certificates()["Certificates"] == []


def test_unknown_ids_wrong_users_and_statuses(sts_mock: MockSTS) -> None:
    iam = iam_with("bob", "carol")
    upload(iam, certificate("c9"), UserName="carol")
    certificate_id = upload(iam, certificate("c0"), UserName="bob")["CertificateId"]
    assert aws_error(
        lambda: iam.update_signing_certificate(
            UserName="carol", CertificateId=certificate_id, Status="Active"
        )
    ) == no_certificate(certificate_id)
    assert aws_error(lambda: upload(iam, certificate("c1"), UserName="nobody")) == (
        "NoSuchEntity",
        "The user with name nobody cannot be found.",
        404,
    )
    unvalidated = boto3.client("iam", config=Config(parameter_validation=False))
    assert aws_error(
        lambda: unvalidated.update_signing_certificate(
            UserName="bob", CertificateId=certificate_id, Status="Expired"
        )
    ) == ("InvalidInput", "Signing certificates can only be Active or Inactive, not Expired.", 400)


def test_authorized_against_the_users_arn(sts_mock: MockSTS) -> None:
    bob_arn = f"arn:aws:iam::{ACCOUNT_ID}:user/bob"
    user = sts_mock.create_user("bob", policies={"own": allow("iam:*", bob_arn)})
    iam = client("iam", user.credentials)
    upload(iam, certificate("c0"))
    boto3.client("iam").create_user(UserName="carol")
    error = aws_error(lambda: iam.list_signing_certificates(UserName="carol"))
    assert error[0] == "AccessDenied"
    assert error[1].startswith(
        f"User: {bob_arn} is not authorized to perform: iam:ListSigningCertificates on "
        f"resource: arn:aws:iam::{ACCOUNT_ID}:user/carol"
    )


def test_a_role_session_must_name_a_user(sts_mock: MockSTS) -> None:
    role = sts_mock.create_role(
        "auditor",
        trust(f"arn:aws:iam::{ACCOUNT_ID}:root"),
        policies={"iam": allow("iam:*")},
    )
    session = client("iam", assumed(sts_mock.admin_credentials(), role.arn))
    assert aws_error(session.list_signing_certificates) == (
        "ValidationError",
        "Must specify userName when calling with non-User credentials",
        400,
    )
