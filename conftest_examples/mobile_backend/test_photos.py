"""Code under test: the app's storage layer, which signs in through the identity pool as the
Amplify libraries do (GetId, then GetCredentialsForIdentity) and keeps each user's photos
under ``private/<identity id>/``.

The tests prove offline that a signed-in user reaches their own photos and nobody else's,
refused by S3 as AWS refuses it; that guests get only what the guest role and Cognito's
scope-down allow; and that the role policy asks for nothing the app does not use.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from mock_sts import IdentityPool, MockSTS, UserPool

REGION = "us-east-1"


@dataclass
class Storage:
    """The app's view of S3, with the credentials its identity was given."""

    identity_id: str
    s3: Any

    def upload(self, name: str, data: bytes) -> str:
        key = f"private/{self.identity_id}/{name}"
        self.s3.put_object(Bucket="photos", Key=key, Body=data)
        return key

    def photos(self) -> list[str]:
        listed = self.s3.list_objects_v2(Bucket="photos", Prefix=f"private/{self.identity_id}/")
        return [item["Key"] for item in listed.get("Contents", [])]

    def read(self, key: str) -> bytes:
        body: bytes = self.s3.get_object(Bucket="photos", Key=key)["Body"].read()
        return body


def sign_in(pool_id: str, logins: dict[str, str] | None = None) -> Storage:
    """What the app does with the ID token its user pool gave it (or none, for a guest)."""
    cognito = boto3.client("cognito-identity", region_name=REGION)
    extra = {"Logins": logins} if logins else {}
    identity_id = cognito.get_id(IdentityPoolId=pool_id, **extra)["IdentityId"]
    issued = cognito.get_credentials_for_identity(IdentityId=identity_id, **extra)["Credentials"]
    s3 = boto3.client(
        "s3",
        region_name=REGION,
        aws_access_key_id=issued["AccessKeyId"],
        aws_secret_access_key=issued["SecretKey"],
        aws_session_token=issued["SessionToken"],
    )
    return Storage(identity_id, s3)


def login(users: UserPool, username: str) -> dict[str, str]:
    return {users.provider_name: users.id_token(username)}


def test_a_user_keeps_their_photos(identity_pool: IdentityPool, users: UserPool) -> None:
    alice = sign_in(identity_pool.pool_id, login(users, "alice"))
    key = alice.upload("cat.jpg", b"meow")
    assert alice.photos() == [key]
    assert alice.read(key) == b"meow"
    # Signing in again, on another device, is the same identity.
    assert sign_in(identity_pool.pool_id, login(users, "alice")).photos() == [key]


def test_nobody_else_reaches_them(
    aws: MockSTS, identity_pool: IdentityPool, users: UserPool
) -> None:
    alice = sign_in(identity_pool.pool_id, login(users, "alice"))
    key = alice.upload("cat.jpg", b"meow")
    bob = sign_in(identity_pool.pool_id, login(users, "bob"))
    with pytest.raises(ClientError) as raised:
        bob.read(key)
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    with pytest.raises(ClientError):
        bob.s3.list_objects_v2(Bucket="photos", Prefix=f"private/{alice.identity_id}/")
    refused = aws.denials[-1]
    assert refused.service == "s3"
    assert "no identity-based policy allows" in refused.reason


def test_guests_only_read_public_photos(
    aws: MockSTS, identity_pool: IdentityPool, users: UserPool
) -> None:
    admin = boto3.client("s3", region_name=REGION, **aws.admin_credentials().as_boto3())
    admin.put_object(Bucket="photos", Key="public/welcome.jpg", Body=b"hello")
    guest = sign_in(identity_pool.pool_id)
    assert guest.read("public/welcome.jpg") == b"hello"
    with pytest.raises(ClientError) as raised:
        guest.upload("graffiti.jpg", b"!")
    assert raised.value.response["Error"]["Code"] == "AccessDenied"


def test_the_role_policy_asks_for_no_more_than_the_app_uses(
    aws: MockSTS, identity_pool: IdentityPool, users: UserPool
) -> None:
    alice = sign_in(identity_pool.pool_id, login(users, "alice"))
    key = alice.upload("cat.jpg", b"meow")
    alice.photos()
    alice.read(key)
    needed = aws.required_policy(identity_pool.authenticated_role.arn)
    actions = {action for s in needed["Statement"] for action in _listed(s["Action"])}
    assert actions == {"s3:PutObject", "s3:ListBucket", "s3:GetObject"}


def _listed(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value
