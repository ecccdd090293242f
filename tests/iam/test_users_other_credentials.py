"""What a user's SSH keys, signing certificates and service-specific credentials do to
DeleteUser and UpdateUser, through boto3."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
import pytest

from tests.helpers import aws_error
from tests.helpers.credentials import certificate, openssh

if TYPE_CHECKING:
    from collections.abc import Callable

    from mock_sts import MockSTS


def with_certificate(iam: Any) -> Callable[[], None]:
    certificate_id = iam.upload_signing_certificate(
        UserName="bob", CertificateBody=certificate("bob")
    )["Certificate"]["CertificateId"]
    return lambda: iam.delete_signing_certificate(UserName="bob", CertificateId=certificate_id)


def with_ssh_key(iam: Any) -> Callable[[], None]:
    key_id = iam.upload_ssh_public_key(UserName="bob", SSHPublicKeyBody=openssh("bob"))[
        "SSHPublicKey"
    ]["SSHPublicKeyId"]
    return lambda: iam.delete_ssh_public_key(UserName="bob", SSHPublicKeyId=key_id)


def with_service_credential(iam: Any) -> Callable[[], None]:
    credential_id = iam.create_service_specific_credential(
        UserName="bob", ServiceName="codecommit.amazonaws.com"
    )["ServiceSpecificCredential"]["ServiceSpecificCredentialId"]
    return lambda: iam.delete_service_specific_credential(
        UserName="bob", ServiceSpecificCredentialId=credential_id
    )


@pytest.mark.parametrize(
    ("give", "what"),
    [
        (with_certificate, "signing certificates"),
        (with_ssh_key, "SSH public keys"),
        (with_service_credential, "service specific credentials"),
    ],
)
def test_a_user_with_credentials_is_not_deleted(
    sts_mock: MockSTS, give: Callable[[Any], Callable[[], None]], what: str
) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    remove = give(iam)
    assert aws_error(lambda: iam.delete_user(UserName="bob")) == (
        "DeleteConflict",
        f"Cannot delete entity, must delete {what} first.",
        409,
    )
    assert iam.get_user(UserName="bob")["User"]["UserName"] == "bob"
    remove()
    iam.delete_user(UserName="bob")


def test_a_renamed_user_keeps_them(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="bob")
    with_certificate(iam)
    with_ssh_key(iam)
    with_service_credential(iam)
    iam.update_user(UserName="bob", NewUserName="robert")
    certificates = iam.list_signing_certificates(UserName="robert")["Certificates"]
    assert [c["UserName"] for c in certificates] == ["robert"]
    keys = iam.list_ssh_public_keys(UserName="robert")["SSHPublicKeys"]
    assert [k["UserName"] for k in keys] == ["robert"]
    credentials = iam.list_service_specific_credentials(UserName="robert")
    assert [c["UserName"] for c in credentials["ServiceSpecificCredentials"]] == ["robert"]
    assert aws_error(lambda: iam.list_ssh_public_keys(UserName="bob")) == (
        "NoSuchEntity",
        "The user with name bob cannot be found.",
        404,
    )
