"""Code under test: a saml2aws-style helper that finds the roles in the IdP's SAMLResponse
and trades the assertion for credentials of one of them.

With moto, any base64 blob "signs in". Here the assertion must be signed by the provider's
key, name the role, satisfy the role's trust policy, and be redeemed within five minutes.
"""

from __future__ import annotations

import base64
import datetime as dt
import xml.etree.ElementTree as ET

import boto3
import pytest
import time_machine
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError

from mock_sts import Role, SAMLProvider

ROLE_ATTRIBUTE = "https://aws.amazon.com/SAML/Attributes/Role"
STAFF = "urn:oid:1.3.6.1.4.1.5923.1.1.1.1"  # eduPersonAffiliation: saml:edupersonaffiliation
SAML = "{urn:oasis:names:tc:SAML:2.0:assertion}"


def roles_in(saml_response: str) -> dict[str, str]:
    """What the helper offers the user: role ARN -> provider ARN, from the Role attribute."""
    root = ET.fromstring(base64.b64decode(saml_response))
    roles = {}
    for attribute in root.iter(f"{SAML}Attribute"):
        if attribute.get("Name") == ROLE_ATTRIBUTE:
            for value in attribute.iter(f"{SAML}AttributeValue"):
                role, provider = (value.text or "").split(",")
                roles[role] = provider
    return roles


def sign_in(saml_response: str, role_arn: str, hours: int = 1) -> boto3.Session:
    """What the helper does: AssumeRoleWithSAML (unsigned, as the CLI sends it)."""
    sts = boto3.client("sts", region_name="eu-west-1", config=Config(signature_version=UNSIGNED))
    credentials = sts.assume_role_with_saml(
        RoleArn=role_arn,
        PrincipalArn=roles_in(saml_response)[role_arn],
        SAMLAssertion=saml_response,
        DurationSeconds=hours * 3600,
    )["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name="eu-west-1",
    )


def test_staff_sign_in_as_developer(idp: SAMLProvider, developer: Role) -> None:
    saml_response = idp.response(
        developer.arn, subject="jdoe@example.test", attributes={STAFF: ["staff", "member"]}
    )
    assert list(roles_in(saml_response)) == [developer.arn]
    session = sign_in(saml_response, developer.arn, hours=4)
    identity = session.client("sts").get_caller_identity()
    assert identity["Arn"] == "arn:aws:sts::123456789012:assumed-role/developer/jdoe@example.test"


def test_students_are_refused(idp: SAMLProvider, developer: Role) -> None:
    saml_response = idp.response(developer.arn, subject="kid", attributes={STAFF: "student"})
    with pytest.raises(ClientError) as error:  # moto: succeeds
        sign_in(saml_response, developer.arn)
    assert error.value.response["Error"]["Code"] == "AccessDenied"
    assert error.value.response["Error"]["Message"] == (
        "Not authorized to perform sts:AssumeRoleWithSAML"
    )


def test_an_assertion_kept_too_long_is_refused(idp: SAMLProvider, developer: Role) -> None:
    start = dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.timezone.utc)
    with time_machine.travel(start, tick=False):
        saml_response = idp.response(
            developer.arn,
            subject="jdoe",
            attributes={STAFF: "staff"},
            not_on_or_after=start + dt.timedelta(hours=1),
        )
    with time_machine.travel(start + dt.timedelta(minutes=6)), pytest.raises(ClientError) as error:
        sign_in(saml_response, developer.arn)
    assert error.value.response["Error"]["Code"] == "ExpiredTokenException"
    assert "within 5 minutes of issuance" in error.value.response["Error"]["Message"]


def test_a_doctored_assertion_is_refused(idp: SAMLProvider, developer: Role) -> None:
    genuine = idp.response(developer.arn, subject="jdoe", attributes={STAFF: "student"})
    doctored = base64.b64encode(
        base64.b64decode(genuine).replace(b">student<", b">staff<")
    ).decode()
    with pytest.raises(ClientError) as error:  # moto: succeeds
        sign_in(doctored, developer.arn)
    assert error.value.response["Error"]["Code"] == "InvalidIdentityToken"
    assert error.value.response["Error"]["Message"] == "Response signature invalid"


def test_the_idp_can_shorten_the_session(idp: SAMLProvider, developer: Role) -> None:
    start = dt.datetime(2030, 1, 1, 9, 0, tzinfo=dt.timezone.utc)
    with time_machine.travel(start, tick=False):
        saml_response = idp.response(
            developer.arn, subject="jdoe", attributes={STAFF: "staff"}, duration=1800
        )
        session = sign_in(saml_response, developer.arn, hours=4)
    credentials = session.get_credentials()
    assert credentials is not None
    with time_machine.travel(start + dt.timedelta(minutes=31)), pytest.raises(ClientError) as error:
        session.client("sts").get_caller_identity()
    assert error.value.response["Error"]["Code"] == "ExpiredToken"
