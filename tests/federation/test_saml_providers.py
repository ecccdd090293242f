"""IAM SAML providers through real boto3 clients: create, read, update, delete, tags, keys.

Expected values are AWS's (STS_REFERENCE.md §10.2, the IAM API reference).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import boto3
import pytest
import time_machine
from botocore.config import Config
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.helpers import aws_error
from tests.helpers.assume_role import iam_client
from tests.helpers.saml import (
    ACCOUNT,
    BAD_SIGNATURE,
    ENTITY_ID,
    PROVIDER_ARN,
    T0,
    UNKNOWN_PROVIDER,
    UTC,
    assertion,
    assume_with_saml,
    certificate_text,
    create_saml_role,
    encode,
    key_pair,
    metadata,
    register_user_idp,
    response,
    sign,
    signed_response,
)

if TYPE_CHECKING:
    from mock_sts import MockSTS

COULD_NOT_PARSE = ("InvalidInput", "Could not parse metadata", 400)
# A certificate with a 512-bit RSA key (made with openssl req -newkey rsa:512).
SMALL_KEY_CERTIFICATE = (
    "MIIBdzCCASGgAwIBAgIUcUc421pII4FHS+4EWeQu8y1cj0cwDQYJKoZIhvcNAQELBQAwEDEOMAwGA1UEAwwFc21h"
    "bGwwHhcNMjYxMTI4MDkzNzIwWhcNMjYxMTI5MDkzNzIwWjAQMQ4wDAYDVQQDDAVzbWFsbDBcMA0GCSqGSIb3DQEB"
    "AQUAA0sAMEgCQQDSTNvDsArsObOvLhuou1/2ihChVn8uHDIAUEF2aGSY/+UWsI8oZeODq6iUa/9Iq4UcTq8svWPD"
    "H1SQ3nxMTRO/AgMBAAGjUzBRMB0GA1UdDgQWBBRwzkev83wN5nP5oQ7m25cr0aEiDTAfBgNVHSMEGDAWgBRwzkev"
    "83wN5nP5oQ7m25cr0aEiDTAPBgNVHRMBAf8EBTADAQH/MA0GCSqGSIb3DQEBCwUAA0EAsbCQ9hhFvdhEO4TKCKXe"
    "zBHyVNXYP2KRTcikNEqIC9AuLSvypxtvjjqWWsJMdTRnQdcOL42bfe/lC1+TGjnX4w=="
)


def pad(text: str) -> str:
    """Documents shorter than the model's 1000 characters never leave botocore."""
    return text + "<!--" + "x" * 1000 + "-->" if text.startswith("<") else text + " " * 1000


def with_certificate(der_base64: str) -> str:
    return pad(metadata().replace(certificate_text("user"), der_base64))


def private_key_pem() -> str:
    key = key_pair("decryption")[0]
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def missing_arn(name: str = "Nope") -> str:
    return f"arn:aws:iam::{ACCOUNT}:saml-provider/{name}"


# ---------------------------------------------------------------------------------------
# The lifecycle


def test_create_get_list_update_delete(sts_mock: MockSTS) -> None:
    iam = iam_client(sts_mock)
    document = metadata()
    with time_machine.travel(T0, tick=False):
        created = iam.create_saml_provider(
            Name="Corp",
            SAMLMetadataDocument=document,
            Tags=[{"Key": "team", "Value": "red"}, {"Key": "Env", "Value": "dev"}],
        )
    assert created["SAMLProviderArn"] == PROVIDER_ARN
    assert created["Tags"] == [{"Key": "team", "Value": "red"}, {"Key": "Env", "Value": "dev"}]
    got = iam.get_saml_provider(SAMLProviderArn=PROVIDER_ARN)
    assert re.fullmatch(r"[A-Z0-9]{22,64}", got["SAMLProviderUUID"])
    assert got["SAMLMetadataDocument"] == document
    assert got["CreateDate"] == T0
    assert got["AssertionEncryptionMode"] == "Allowed"
    assert got["Tags"] == [{"Key": "Env", "Value": "dev"}, {"Key": "team", "Value": "red"}]
    # Metadata without validUntil: a validity of mock_sts's choosing (STS_REFERENCE §13.1).
    assert got["ValidUntil"] == T0 + dt.timedelta(days=36500)
    assert got["PrivateKeyList"] == []

    iam.create_saml_provider(Name="Alpha", SAMLMetadataDocument=document)
    listed = iam.list_saml_providers()["SAMLProviderList"]
    assert [p["Arn"] for p in listed] == [missing_arn("Alpha"), PROVIDER_ARN]
    assert listed[1]["CreateDate"] == T0

    later = metadata().replace(
        "<md:EntityDescriptor ", '<md:EntityDescriptor validUntil="2030-01-01T00:00:00Z" '
    )
    updated = iam.update_saml_provider(SAMLProviderArn=PROVIDER_ARN, SAMLMetadataDocument=later)
    assert updated["SAMLProviderArn"] == PROVIDER_ARN
    got = iam.get_saml_provider(SAMLProviderArn=PROVIDER_ARN)
    assert got["SAMLMetadataDocument"] == later
    assert got["ValidUntil"] == dt.datetime(2030, 1, 1, tzinfo=UTC)
    assert iam.list_saml_providers()["SAMLProviderList"][1]["ValidUntil"] == got["ValidUntil"]
    assert (
        got["SAMLProviderUUID"]
        == iam.get_saml_provider(SAMLProviderArn=PROVIDER_ARN)["SAMLProviderUUID"]
    )

    iam.delete_saml_provider(SAMLProviderArn=PROVIDER_ARN)
    assert [p["Arn"] for p in iam.list_saml_providers()["SAMLProviderList"]] == [
        missing_arn("Alpha")
    ]
    assert aws_error(lambda: iam.get_saml_provider(SAMLProviderArn=PROVIDER_ARN)) == (
        "NoSuchEntity",
        f"Manifest not found for arn {PROVIDER_ARN}",
        404,
    )


def test_providers_are_per_account(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    other = iam_client(sts_mock, "111111111111")
    assert other.list_saml_providers()["SAMLProviderList"] == []
    assert aws_error(lambda: other.get_saml_provider(SAMLProviderArn=PROVIDER_ARN))[0] == (
        "NoSuchEntity"
    )


def test_update_without_metadata_keeps_it(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    iam = iam_client(sts_mock)
    iam.update_saml_provider(SAMLProviderArn=PROVIDER_ARN, AssertionEncryptionMode="Required")
    got = iam.get_saml_provider(SAMLProviderArn=PROVIDER_ARN)
    assert got["SAMLMetadataDocument"] == metadata()
    assert got["AssertionEncryptionMode"] == "Required"


def test_create_with_an_encryption_mode(sts_mock: MockSTS) -> None:
    iam = iam_client(sts_mock)
    iam.create_saml_provider(
        Name="Corp", SAMLMetadataDocument=metadata(), AssertionEncryptionMode="Required"
    )
    mode = iam.get_saml_provider(SAMLProviderArn=PROVIDER_ARN)["AssertionEncryptionMode"]
    assert mode == "Required"


# ---------------------------------------------------------------------------------------
# Metadata IAM cannot use


@pytest.mark.parametrize(
    "document",
    [
        pad("this is not XML"),
        pad("<md:EntityDescriptor"),
        pad('<md:SPSSODescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"/>'),
        metadata().replace(f'entityID="{ENTITY_ID}"', ""),
        metadata().replace(f'entityID="{ENTITY_ID}"', 'entityID=""'),
        metadata(use="encryption"),
        metadata().replace("IDPSSODescriptor", "SPSSODescriptor"),
        with_certificate("not base64!"),
        with_certificate("bm90IGEgY2VydGlmaWNhdGU="),
        with_certificate(SMALL_KEY_CERTIFICATE),
        "\ufeff" + metadata(),
        metadata().replace("<md:EntityDescriptor ", '<md:EntityDescriptor validUntil="soon" '),
        metadata().replace(
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<!DOCTYPE md [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
        ),
    ],
    ids=[
        "not-xml",
        "not-well-formed",
        "not-an-entity-descriptor",
        "no-entity-id",
        "empty-entity-id",
        "encryption-key-only",
        "not-an-idp",
        "certificate-not-base64",
        "certificate-not-x509",
        "key-under-1024-bits",
        "byte-order-mark",
        "bad-valid-until",
        "doctype",
    ],
)
def test_metadata_iam_cannot_parse(sts_mock: MockSTS, document: str) -> None:
    iam = iam_client(sts_mock)
    assert aws_error(
        lambda: iam.create_saml_provider(Name="Corp", SAMLMetadataDocument=document)
    ) == (COULD_NOT_PARSE)
    assert iam.list_saml_providers()["SAMLProviderList"] == []


def test_an_elliptic_curve_signing_key(sts_mock: MockSTS) -> None:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ec idp")])
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(1)
        .not_valid_before(dt.datetime(2020, 1, 1, tzinfo=UTC))
        .not_valid_after(dt.datetime(2040, 1, 1, tzinfo=UTC))
        .sign(key, hashes.SHA256())
    )
    der = certificate.public_bytes(serialization.Encoding.DER)
    import base64

    iam_client(sts_mock).create_saml_provider(
        Name="Corp", SAMLMetadataDocument=with_certificate(base64.b64encode(der).decode())
    )
    create_saml_role(sts_mock)
    from lxml import etree
    from signxml.signer import XMLSigner

    element = assertion()
    element.insert(
        1,
        etree.Element(
            "{http://www.w3.org/2000/09/xmldsig#}Signature",
            nsmap={"ds": "http://www.w3.org/2000/09/xmldsig#"},
            Id="placeholder",
        ),
    )
    signed = XMLSigner(
        signature_algorithm="ecdsa-sha256",
        c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
    ).sign(element, key=key, cert=[certificate], reference_uri=f"#{element.get('ID')}")
    assert assume_with_saml(encode(response(signed)))["Subject"] == "jdoe"


def test_model_limits(sts_mock: MockSTS) -> None:
    credentials = sts_mock.admin_credentials()
    iam = boto3.client(
        "iam",
        region_name="us-east-1",
        config=Config(parameter_validation=False),
        **credentials.as_boto3(),
    )
    code, message, status = aws_error(
        lambda: iam.create_saml_provider(Name="Corp", SAMLMetadataDocument="<x/>")
    )
    assert (code, status) == ("ValidationError", 400)
    assert "greater than or equal to 1000" in message
    code, message, _ = aws_error(
        lambda: iam.create_saml_provider(Name="no spaces", SAMLMetadataDocument=metadata())
    )
    assert code == "ValidationError"
    assert "regular expression pattern: [\\w._-]+" in message
    code, message, _ = aws_error(
        lambda: iam.create_saml_provider(Name="n" * 129, SAMLMetadataDocument=metadata())
    )
    assert "less than or equal to 128" in message


def test_names_are_unique(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    iam = iam_client(sts_mock)
    assert aws_error(
        lambda: iam.create_saml_provider(Name="Corp", SAMLMetadataDocument=metadata())
    ) == (
        "EntityAlreadyExists",
        "SAMLProvider with name Corp already exists.",
        409,
    )


def test_a_hundred_providers_per_account(sts_mock: MockSTS) -> None:
    iam = iam_client(sts_mock)
    document = metadata()
    for index in range(100):
        iam.create_saml_provider(Name=f"p{index}", SAMLMetadataDocument=document)
    assert aws_error(
        lambda: iam.create_saml_provider(Name="p100", SAMLMetadataDocument=document)
    ) == (
        "LimitExceeded",
        "Cannot exceed quota for SAMLProvidersPerAccount: 100",
        409,
    )


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("get_saml_provider", {}),
        ("update_saml_provider", {"SAMLMetadataDocument": metadata()}),
        ("delete_saml_provider", {}),
        ("tag_saml_provider", {"Tags": [{"Key": "k", "Value": "v"}]}),
        ("untag_saml_provider", {"TagKeys": ["k"]}),
        ("list_saml_provider_tags", {}),
    ],
)
def test_an_unknown_provider(sts_mock: MockSTS, operation: str, params: dict[str, Any]) -> None:
    iam = iam_client(sts_mock)
    call = getattr(iam, operation)
    assert aws_error(lambda: call(SAMLProviderArn=missing_arn(), **params)) == (
        "NoSuchEntity",
        f"Manifest not found for arn {missing_arn()}",
        404,
    )


# ---------------------------------------------------------------------------------------
# Tags


def test_tags(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    iam = iam_client(sts_mock)
    iam.tag_saml_provider(
        SAMLProviderArn=PROVIDER_ARN,
        Tags=[{"Key": "team", "Value": "red"}, {"Key": "env", "Value": "dev"}],
    )
    iam.tag_saml_provider(SAMLProviderArn=PROVIDER_ARN, Tags=[{"Key": "Team", "Value": "blue"}])
    # A key tagged again keeps its place (STS_REFERENCE §13.1).
    first = iam.list_saml_provider_tags(SAMLProviderArn=PROVIDER_ARN, MaxItems=1)
    assert first["Tags"] == [{"Key": "Team", "Value": "blue"}]
    assert first["IsTruncated"] is True
    rest = iam.list_saml_provider_tags(SAMLProviderArn=PROVIDER_ARN, Marker=first["Marker"])
    assert rest["Tags"] == [{"Key": "env", "Value": "dev"}]
    assert rest["IsTruncated"] is False
    iam.untag_saml_provider(SAMLProviderArn=PROVIDER_ARN, TagKeys=["TEAM"])
    assert iam.list_saml_provider_tags(SAMLProviderArn=PROVIDER_ARN)["Tags"] == [
        {"Key": "env", "Value": "dev"}
    ]
    duplicate = [{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]
    assert aws_error(
        lambda: iam.tag_saml_provider(SAMLProviderArn=PROVIDER_ARN, Tags=duplicate)
    ) == (
        "InvalidInput",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        400,
    )
    many = [{"Key": f"k{i}", "Value": "v"} for i in range(50)]
    assert aws_error(lambda: iam.tag_saml_provider(SAMLProviderArn=PROVIDER_ARN, Tags=many)) == (
        "LimitExceeded",
        "The number of tags has reached the maximum limit.",
        409,
    )
    assert iam.list_saml_provider_tags(SAMLProviderArn=PROVIDER_ARN)["Tags"] == [
        {"Key": "env", "Value": "dev"}
    ]


# ---------------------------------------------------------------------------------------
# Private keys for encrypted assertions


def test_private_keys(sts_mock: MockSTS) -> None:
    iam = iam_client(sts_mock)
    with time_machine.travel(T0, tick=False):
        iam.create_saml_provider(
            Name="Corp", SAMLMetadataDocument=metadata(), AddPrivateKey=private_key_pem()
        )
    keys = iam.get_saml_provider(SAMLProviderArn=PROVIDER_ARN)["PrivateKeyList"]
    assert len(keys) == 1
    assert re.fullmatch(r"[A-Z0-9]{22,64}", keys[0]["KeyId"])
    assert keys[0]["Timestamp"] == T0
    iam.update_saml_provider(SAMLProviderArn=PROVIDER_ARN, AddPrivateKey=private_key_pem())
    keys = iam.get_saml_provider(SAMLProviderArn=PROVIDER_ARN)["PrivateKeyList"]
    assert len(keys) == 2
    assert aws_error(
        lambda: iam.update_saml_provider(
            SAMLProviderArn=PROVIDER_ARN, AddPrivateKey=private_key_pem()
        )
    ) == ("LimitExceeded", "Cannot exceed quota for PrivateKeysPerSAMLProvider: 2", 409)
    unknown = "A" * 26
    assert aws_error(
        lambda: iam.update_saml_provider(SAMLProviderArn=PROVIDER_ARN, RemovePrivateKey=unknown)
    ) == ("InvalidInput", f"The private key {unknown} does not exist.", 400)
    assert iam.get_saml_provider(SAMLProviderArn=PROVIDER_ARN)["PrivateKeyList"] == keys
    # Rotation in one call: one key out, another in.
    iam.update_saml_provider(
        SAMLProviderArn=PROVIDER_ARN,
        RemovePrivateKey=keys[0]["KeyId"],
        AddPrivateKey=private_key_pem(),
    )
    rotated = iam.get_saml_provider(SAMLProviderArn=PROVIDER_ARN)["PrivateKeyList"]
    assert rotated[0]["KeyId"] == keys[1]["KeyId"]
    assert len(rotated) == 2


@pytest.mark.parametrize(
    "pem",
    [
        "not a key",
        "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
    ],
)
def test_private_keys_iam_cannot_parse(sts_mock: MockSTS, pem: str) -> None:
    iam = iam_client(sts_mock)
    assert aws_error(
        lambda: iam.create_saml_provider(
            Name="Corp", SAMLMetadataDocument=metadata(), AddPrivateKey=pem
        )
    ) == ("InvalidInput", "Could not parse the private key.", 400)
    assert iam.list_saml_providers()["SAMLProviderList"] == []


def test_an_encrypted_private_key_is_refused(sts_mock: MockSTS) -> None:
    pem = (
        key_pair("decryption")[0]
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"secret"),
        )
        .decode()
    )
    iam = iam_client(sts_mock)
    assert aws_error(
        lambda: iam.create_saml_provider(
            Name="Corp", SAMLMetadataDocument=metadata(), AddPrivateKey=pem
        )
    ) == ("InvalidInput", "Could not parse the private key.", 400)


# ---------------------------------------------------------------------------------------
# What the provider's state means for AssumeRoleWithSAML


def test_updated_metadata_changes_the_trusted_keys(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    create_saml_role(sts_mock)
    iam = iam_client(sts_mock)
    assert assume_with_saml(signed_response())["Subject"] == "jdoe"
    iam.update_saml_provider(
        SAMLProviderArn=PROVIDER_ARN, SAMLMetadataDocument=metadata(ENTITY_ID, "new")
    )
    assert aws_error(lambda: assume_with_saml(signed_response())) == BAD_SIGNATURE
    assert assume_with_saml(encode(response(sign(assertion(), "new"))))["Subject"] == "jdoe"


def test_a_failed_update_changes_nothing(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    create_saml_role(sts_mock)
    iam = iam_client(sts_mock)
    assert (
        aws_error(
            lambda: iam.update_saml_provider(
                SAMLProviderArn=PROVIDER_ARN, SAMLMetadataDocument=pad("nope")
            )
        )
        == COULD_NOT_PARSE
    )
    assert (
        aws_error(
            lambda: iam.update_saml_provider(
                SAMLProviderArn=PROVIDER_ARN,
                SAMLMetadataDocument=metadata(ENTITY_ID, "new"),
                AddPrivateKey="not a key",
            )
        )[0]
        == "InvalidInput"
    )
    assert iam.get_saml_provider(SAMLProviderArn=PROVIDER_ARN)["SAMLMetadataDocument"] == (
        metadata()
    )
    assert assume_with_saml(signed_response())["Subject"] == "jdoe"


def test_a_deleted_provider_signs_in_no_one(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    create_saml_role(sts_mock)
    result = assume_with_saml(signed_response())
    iam_client(sts_mock).delete_saml_provider(SAMLProviderArn=PROVIDER_ARN)
    assert aws_error(lambda: assume_with_saml(signed_response())) == UNKNOWN_PROVIDER
    # Sessions already issued stay valid until they expire.
    c = result["Credentials"]
    sts = boto3.client(
        "sts",
        region_name="us-east-1",
        aws_access_key_id=c["AccessKeyId"],
        aws_secret_access_key=c["SecretAccessKey"],
        aws_session_token=c["SessionToken"],
    )
    assert sts.get_caller_identity()["Arn"].endswith("assumed-role/Dev/jdoe")


# ---------------------------------------------------------------------------------------
# IAM authorization: the provider ARN is the resource


def test_iam_authorizes_on_the_provider_arn(sts_mock: MockSTS) -> None:
    register_user_idp(sts_mock)
    register_user_idp(sts_mock, name="Other")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": ["iam:GetSAMLProvider", "iam:CreateSAMLProvider"],
                "Resource": [PROVIDER_ARN, missing_arn("New")],
            }
        ],
    }
    auditor = sts_mock.create_user("auditor", policies={"saml": policy})
    iam = boto3.client("iam", region_name="us-east-1", **auditor.credentials.as_boto3())
    assert iam.get_saml_provider(SAMLProviderArn=PROVIDER_ARN)["SAMLMetadataDocument"]
    code, message, status = aws_error(
        lambda: iam.get_saml_provider(SAMLProviderArn=missing_arn("Other"))
    )
    assert (code, status) == ("AccessDenied", 403)
    assert message.startswith(
        f"User: arn:aws:iam::{ACCOUNT}:user/auditor is not authorized to perform: "
        f"iam:GetSAMLProvider on resource: {missing_arn('Other')}"
    )
    iam.create_saml_provider(Name="New", SAMLMetadataDocument=metadata())
    code, message, _ = aws_error(
        lambda: iam.create_saml_provider(Name="Newer", SAMLMetadataDocument=metadata())
    )
    assert code == "AccessDenied"
    assert f"on resource: {missing_arn('Newer')}" in message
