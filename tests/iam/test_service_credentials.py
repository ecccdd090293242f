"""Service-specific credentials (CodeCommit, Amazon Keyspaces, Bedrock API keys) through boto3."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import boto3
import pytest
import time_machine
from botocore.config import Config

from tests.helpers import aws_error, client
from tests.helpers.assume_role import allow
from tests.helpers.credentials import iam_with

if TYPE_CHECKING:
    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
CODECOMMIT = "codecommit.amazonaws.com"
KEYSPACES = "cassandra.amazonaws.com"
BEDROCK = "bedrock.amazonaws.com"
MOMENT = dt.datetime(2030, 1, 2, 3, 4, 5, tzinfo=dt.timezone.utc)
NOT_SUPPORTED = (
    "NotSupportedService",
    "The specified service does not support service-specific credentials.",
    404,
)
METADATA_KEYS = {
    "UserName",
    "Status",
    "ServiceUserName",
    "CreateDate",
    "ServiceSpecificCredentialId",
    "ServiceName",
}


def no_credential(credential_id: str) -> tuple[str, str, int]:
    return (
        "NoSuchEntity",
        f"The Service Specific Credential with id {credential_id} cannot be found.",
        404,
    )


def create(iam: Any, service: str = CODECOMMIT, user: str = "bob", **params: Any) -> Any:
    return iam.create_service_specific_credential(UserName=user, ServiceName=service, **params)[
        "ServiceSpecificCredential"
    ]


def test_a_git_credential_and_its_password(sts_mock: MockSTS) -> None:
    iam = iam_with("bob")
    created = create(iam)
    assert created["ServiceUserName"] == f"bob-at-{ACCOUNT_ID}"
    assert re.fullmatch(r"[A-Za-z0-9+/]{44}", created["ServicePassword"])
    assert re.fullmatch(r"ACCA[A-Z2-7]{17}", created["ServiceSpecificCredentialId"])
    assert created["Status"] == "Active"
    assert "ExpirationDate" not in created
    assert "ServiceCredentialSecret" not in created
    credential_id = created["ServiceSpecificCredentialId"]

    listed = iam.list_service_specific_credentials(UserName="bob")["ServiceSpecificCredentials"]
    assert [set(c) for c in listed] == [METADATA_KEYS]
    assert listed[0]["ServiceSpecificCredentialId"] == credential_id

    reset = iam.reset_service_specific_credential(
        UserName="bob", ServiceSpecificCredentialId=credential_id
    )["ServiceSpecificCredential"]
    assert reset["ServicePassword"] != created["ServicePassword"]
    assert reset["ServiceUserName"] == created["ServiceUserName"]

    iam.update_service_specific_credential(
        UserName="bob", ServiceSpecificCredentialId=credential_id, Status="Inactive"
    )
    listed = iam.list_service_specific_credentials(UserName="bob")["ServiceSpecificCredentials"]
    assert listed[0]["Status"] == "Inactive"
    iam.delete_service_specific_credential(
        UserName="bob", ServiceSpecificCredentialId=credential_id
    )
    assert iam.list_service_specific_credentials(UserName="bob")["ServiceSpecificCredentials"] == []
    assert aws_error(
        lambda: iam.reset_service_specific_credential(
            UserName="bob", ServiceSpecificCredentialId=credential_id
        )
    ) == no_credential(credential_id)


def test_a_bedrock_api_key_expires(sts_mock: MockSTS) -> None:
    iam = iam_with("bob")
    with time_machine.travel(MOMENT, tick=False):
        key = create(iam, BEDROCK, CredentialAgeDays=30)
        assert key["ExpirationDate"] == MOMENT + dt.timedelta(days=30)
        assert key["ServiceCredentialAlias"] == f"bob-at-{ACCOUNT_ID}+1-20300102030405"
        assert key["ServiceCredentialSecret"].startswith("ABSK")
        assert "ServicePassword" not in key
        listed = iam.list_service_specific_credentials(UserName="bob", ServiceName=BEDROCK)
        entry = listed["ServiceSpecificCredentials"][0]
        assert entry["Status"] == "Active"
        assert "ServiceCredentialSecret" not in entry
        assert entry["ServiceCredentialAlias"] == key["ServiceCredentialAlias"]
    with time_machine.travel(MOMENT + dt.timedelta(days=30), tick=False):
        listed = iam.list_service_specific_credentials(UserName="bob")
        assert listed["ServiceSpecificCredentials"][0]["Status"] == "Expired"


def test_services_and_ages_iam_refuses(sts_mock: MockSTS) -> None:
    iam = iam_with("bob")
    assert aws_error(lambda: create(iam, "s3.amazonaws.com")) == NOT_SUPPORTED
    assert (
        aws_error(lambda: iam.list_service_specific_credentials(UserName="bob", ServiceName="nope"))
        == NOT_SUPPORTED
    )
    assert aws_error(lambda: create(iam, KEYSPACES, CredentialAgeDays=1)) == (
        "InvalidInput",
        "CredentialAgeDays is only valid for services that support long-term API keys, not "
        "cassandra.amazonaws.com.",
        400,
    )
    assert iam.list_service_specific_credentials(UserName="bob")["ServiceSpecificCredentials"] == []


def test_two_per_user_per_service(sts_mock: MockSTS) -> None:
    iam = iam_with("bob")
    create(iam)
    create(iam)
    assert aws_error(lambda: create(iam)) == (
        "LimitExceeded",
        "Cannot exceed quota for ServiceSpecificCredentialsPerUserPerService: 2",
        409,
    )
    create(iam, KEYSPACES)
    listed = iam.list_service_specific_credentials(UserName="bob", ServiceName=KEYSPACES)
    assert [c["ServiceName"] for c in listed["ServiceSpecificCredentials"]] == [KEYSPACES]


def test_every_users_credentials(sts_mock: MockSTS) -> None:
    iam = iam_with("bob", "carol")
    create(iam, user="carol")
    create(iam, KEYSPACES, user="bob")
    listed = iam.list_service_specific_credentials(AllUsers=True)["ServiceSpecificCredentials"]
    assert [(c["UserName"], c["ServiceName"]) for c in listed] == [
        ("bob", KEYSPACES),
        ("carol", CODECOMMIT),
    ]
    page = iam.list_service_specific_credentials(AllUsers=True, MaxItems=1)
    assert page["IsTruncated"] is True
    assert aws_error(
        lambda: iam.list_service_specific_credentials(AllUsers=True, UserName="bob")
    ) == ("InvalidInput", "AllUsers cannot be specified together with UserName.", 400)


@pytest.mark.parametrize("operation", ["reset", "update", "delete"])
def test_another_users_credential_is_not_found(sts_mock: MockSTS, operation: str) -> None:
    iam = iam_with("bob", "carol")
    create(iam, user="carol")
    credential_id = create(iam)["ServiceSpecificCredentialId"]
    calls = {
        "reset": iam.reset_service_specific_credential,
        "update": lambda **p: iam.update_service_specific_credential(Status="Active", **p),
        "delete": iam.delete_service_specific_credential,
    }
    call = calls[operation]
    assert aws_error(
        lambda: call(UserName="carol", ServiceSpecificCredentialId=credential_id)
    ) == no_credential(credential_id)
    assert (
        len(iam.list_service_specific_credentials(UserName="bob")["ServiceSpecificCredentials"])
        == 1
    )


def test_statuses_and_unknown_users(sts_mock: MockSTS) -> None:
    iam = iam_with("bob")
    credential_id = create(iam)["ServiceSpecificCredentialId"]
    unvalidated = boto3.client("iam", config=Config(parameter_validation=False))
    assert aws_error(
        lambda: unvalidated.update_service_specific_credential(
            UserName="bob", ServiceSpecificCredentialId=credential_id, Status="Expired"
        )
    ) == (
        "InvalidInput",
        "Service-specific credentials can only be Active or Inactive, not Expired.",
        400,
    )
    assert aws_error(lambda: create(iam, user="nobody")) == (
        "NoSuchEntity",
        "The user with name nobody cannot be found.",
        404,
    )


def test_the_callers_own_credentials(sts_mock: MockSTS) -> None:
    user = sts_mock.create_user("dave", policies={"own": allow("iam:*ServiceSpecificCredential*")})
    own = client("iam", user.credentials)
    created = create(own, user="dave")
    credential_id = created["ServiceSpecificCredentialId"]
    listed = own.list_service_specific_credentials()["ServiceSpecificCredentials"]
    assert [c["ServiceSpecificCredentialId"] for c in listed] == [credential_id]
    reset = own.reset_service_specific_credential(ServiceSpecificCredentialId=credential_id)
    assert reset["ServiceSpecificCredential"]["ServicePassword"]
    own.update_service_specific_credential(
        ServiceSpecificCredentialId=credential_id, Status="Inactive"
    )
    own.delete_service_specific_credential(ServiceSpecificCredentialId=credential_id)
    assert own.list_service_specific_credentials()["ServiceSpecificCredentials"] == []


def test_listing_every_user_is_authorized_on_everything(sts_mock: MockSTS) -> None:
    dave_arn = f"arn:aws:iam::{ACCOUNT_ID}:user/dave"
    user = sts_mock.create_user("dave", policies={"own": allow("iam:*", dave_arn)})
    own = client("iam", user.credentials)
    assert own.list_service_specific_credentials()["ServiceSpecificCredentials"] == []
    error = aws_error(lambda: own.list_service_specific_credentials(AllUsers=True))
    assert error[0] == "AccessDenied"
    assert error[1].startswith(
        f"User: {dave_arn} is not authorized to perform: iam:ListServiceSpecificCredentials on "
        "resource: *"
    )
