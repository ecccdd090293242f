"""IAM users' SSH public keys (CodeCommit), driven through real boto3 clients."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.config import Config

from tests.helpers import aws_error, client
from tests.helpers.assume_role import allow
from tests.helpers.credentials import ed25519_openssh, iam_with, md5_fingerprint, openssh, pem

if TYPE_CHECKING:
    from mock_sts import MockSTS

ACCOUNT_ID = "123456789012"
MALFORMED = (
    "InvalidPublicKey",
    "The request was rejected because the public key is malformed.",
    400,
)
UNSUPPORTED = (
    "UnrecognizedPublicKeyEncoding",
    "Only RSA public keys (ssh-rsa) are supported.",
    400,
)
UNRECOGNIZED = (
    "UnrecognizedPublicKeyEncoding",
    "The public key is neither an OpenSSH ssh-rsa key nor a PEM public key, the encodings IAM "
    "accepts.",
    400,
)


def no_key(key_id: str) -> tuple[str, str, int]:
    return ("NoSuchEntity", f"The Public Key with id {key_id} cannot be found.", 404)


def upload(iam: Any, body: str, user: str = "bob") -> dict[str, Any]:
    key: dict[str, Any] = iam.upload_ssh_public_key(UserName=user, SSHPublicKeyBody=body)[
        "SSHPublicKey"
    ]
    return key


def test_an_openssh_key_is_uploaded_got_listed_and_deleted(sts_mock: MockSTS) -> None:
    iam = iam_with("bob")
    body = openssh("alice") + " bob@laptop"
    key = upload(iam, body)
    assert re.fullmatch(r"APKA[A-Z2-7]{16}", key["SSHPublicKeyId"])
    assert key["Fingerprint"] == md5_fingerprint(body)
    assert key["SSHPublicKeyBody"] == body
    assert key["Status"] == "Active"
    assert key["UserName"] == "bob"
    key_id = key["SSHPublicKeyId"]

    got = iam.get_ssh_public_key(UserName="bob", SSHPublicKeyId=key_id, Encoding="SSH")
    assert got["SSHPublicKey"]["SSHPublicKeyBody"] == body
    as_pem = iam.get_ssh_public_key(UserName="bob", SSHPublicKeyId=key_id, Encoding="PEM")
    assert as_pem["SSHPublicKey"]["SSHPublicKeyBody"] == pem("alice")
    assert as_pem["SSHPublicKey"]["Fingerprint"] == key["Fingerprint"]

    listed = iam.list_ssh_public_keys(UserName="bob")
    assert listed["SSHPublicKeys"] == [
        {
            "UserName": "bob",
            "SSHPublicKeyId": key_id,
            "Status": "Active",
            "UploadDate": key["UploadDate"],
        }
    ]
    assert listed["IsTruncated"] is False

    iam.update_ssh_public_key(UserName="bob", SSHPublicKeyId=key_id, Status="Inactive")
    assert iam.list_ssh_public_keys(UserName="bob")["SSHPublicKeys"][0]["Status"] == "Inactive"
    iam.delete_ssh_public_key(UserName="bob", SSHPublicKeyId=key_id)
    assert iam.list_ssh_public_keys(UserName="bob")["SSHPublicKeys"] == []
    assert aws_error(
        lambda: iam.get_ssh_public_key(UserName="bob", SSHPublicKeyId=key_id, Encoding="SSH")
    ) == no_key(key_id)


def test_a_pem_key_is_answered_in_both_encodings(sts_mock: MockSTS) -> None:
    iam = iam_with("bob")
    key = upload(iam, pem("carol"))
    assert key["SSHPublicKeyBody"] == pem("carol")
    assert key["Fingerprint"] == md5_fingerprint(openssh("carol"))
    key_id = key["SSHPublicKeyId"]
    got = iam.get_ssh_public_key(UserName="bob", SSHPublicKeyId=key_id, Encoding="SSH")
    assert got["SSHPublicKey"]["SSHPublicKeyBody"] == openssh("carol")
    got = iam.get_ssh_public_key(UserName="bob", SSHPublicKeyId=key_id, Encoding="PEM")
    assert got["SSHPublicKey"]["SSHPublicKeyBody"] == pem("carol")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("ssh-rsa AAAA not-base64!", MALFORMED, id="ssh-rsa-garbage"),
        pytest.param("ssh-rsa", MALFORMED, id="ssh-rsa-alone"),
        pytest.param(
            "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----", MALFORMED, id="bad-pem"
        ),
        pytest.param("ssh-foo AAAAB3NzaC1yc2E=", UNSUPPORTED, id="unknown-ssh-type"),
        pytest.param("hello world", UNRECOGNIZED, id="not-a-key"),
        pytest.param(
            "---- BEGIN SSH2 PUBLIC KEY ----\nAAAA\n---- END SSH2 PUBLIC KEY ----",
            UNRECOGNIZED,
            id="rfc4716",
        ),
    ],
)
def test_keys_iam_cannot_read(sts_mock: MockSTS, body: str, expected: tuple[str, str, int]) -> None:
    iam = iam_with("bob")
    assert aws_error(lambda: upload(iam, body)) == expected
    assert iam.list_ssh_public_keys(UserName="bob")["SSHPublicKeys"] == []


def test_only_rsa_keys_of_2048_bits_or_more(sts_mock: MockSTS) -> None:
    iam = iam_with("bob")
    assert aws_error(lambda: upload(iam, ed25519_openssh())) == UNSUPPORTED
    assert aws_error(lambda: upload(iam, openssh("short", 1024))) == (
        "InvalidPublicKey",
        "The public key is 1024 bits long; the minimum bit-length is 2048 bits.",
        400,
    )
    assert upload(iam, openssh("long", 3072))["Status"] == "Active"


def test_a_key_twice_and_the_quota_of_five(sts_mock: MockSTS) -> None:
    iam = iam_with("bob", "carol")
    upload(iam, openssh("k0"))
    assert aws_error(lambda: upload(iam, pem("k0"))) == (
        "DuplicateSSHPublicKey",
        "The SSH public key is already associated with the specified IAM user.",
        400,
    )
    # Another user may hold the same key.
    assert upload(iam, openssh("k0"), user="carol")["UserName"] == "carol"
    for n in range(1, 5):
        upload(iam, openssh(f"k{n}"))
    assert aws_error(lambda: upload(iam, openssh("k5"))) == (
        "LimitExceeded",
        "Cannot exceed quota for SSHPublicKeysPerUser: 5",
        409,
    )
    assert len(iam.list_ssh_public_keys(UserName="bob")["SSHPublicKeys"]) == 5


def test_unknown_users_keys_and_statuses(sts_mock: MockSTS) -> None:
    iam = iam_with("bob", "carol")
    upload(iam, openssh("k9"), user="carol")
    key_id = upload(iam, openssh("k0"))["SSHPublicKeyId"]
    no_user = ("NoSuchEntity", "The user with name nobody cannot be found.", 404)
    assert aws_error(lambda: upload(iam, openssh("k0"), user="nobody")) == no_user
    assert aws_error(lambda: iam.list_ssh_public_keys(UserName="nobody")) == no_user
    # Another user's key is not found under this one.
    for call in (
        lambda: iam.get_ssh_public_key(UserName="carol", SSHPublicKeyId=key_id, Encoding="SSH"),
        lambda: iam.update_ssh_public_key(UserName="carol", SSHPublicKeyId=key_id, Status="Active"),
        lambda: iam.delete_ssh_public_key(UserName="carol", SSHPublicKeyId=key_id),
    ):
        assert aws_error(call) == no_key(key_id)
    unvalidated = boto3.client("iam", config=Config(parameter_validation=False))
    assert aws_error(
        lambda: unvalidated.update_ssh_public_key(
            UserName="bob", SSHPublicKeyId=key_id, Status="Expired"
        )
    ) == ("InvalidInput", "SSH public keys can only be Active or Inactive, not Expired.", 400)
    assert iam.list_ssh_public_keys(UserName="bob")["SSHPublicKeys"][0]["Status"] == "Active"


def test_listing_pages_and_the_callers_own_keys(sts_mock: MockSTS) -> None:
    iam = iam_with("bob")
    ids = [upload(iam, openssh(f"k{n}"))["SSHPublicKeyId"] for n in range(3)]
    first = iam.list_ssh_public_keys(UserName="bob", MaxItems=2)
    assert first["IsTruncated"] is True
    rest = iam.list_ssh_public_keys(UserName="bob", Marker=first["Marker"])
    listed = [k["SSHPublicKeyId"] for k in (*first["SSHPublicKeys"], *rest["SSHPublicKeys"])]
    assert listed == ids

    user = sts_mock.create_user("dave", policies={"ssh": allow("iam:*SSHPublicKey*")})
    own = client("iam", user.credentials)
    assert own.list_ssh_public_keys()["SSHPublicKeys"] == []
    iam.upload_ssh_public_key(UserName="dave", SSHPublicKeyBody=openssh("k0"))
    assert [k["UserName"] for k in own.list_ssh_public_keys()["SSHPublicKeys"]] == ["dave"]
    # The account's root holds no SSH keys: it must name a user.
    root = client("iam", sts_mock.root_credentials())
    assert aws_error(root.list_ssh_public_keys) == (
        "ValidationError",
        "Must specify userName when calling with non-User credentials",
        400,
    )


def test_authorized_against_the_users_arn(sts_mock: MockSTS) -> None:
    bob_arn = f"arn:aws:iam::{ACCOUNT_ID}:user/bob"
    user = sts_mock.create_user("bob", policies={"own": allow("iam:*", bob_arn)})
    iam = client("iam", user.credentials)
    iam.upload_ssh_public_key(UserName="bob", SSHPublicKeyBody=openssh("k0"))
    boto3.client("iam").create_user(UserName="carol")
    error = aws_error(
        lambda: iam.upload_ssh_public_key(UserName="carol", SSHPublicKeyBody=openssh("k1"))
    )
    assert error[0] == "AccessDenied"
    assert error[1].startswith(
        f"User: {bob_arn} is not authorized to perform: iam:UploadSSHPublicKey on resource: "
        f"arn:aws:iam::{ACCOUNT_ID}:user/carol"
    )
