"""Tokens of a user pool moto serves are logins of the mock's identity pools once the test
trusts moto's signing keys (``MockSTS.add_jwks``): moto signs every pool's tokens with the
key it ships in ``moto/cognitoidp/resources/jwks-public.json``."""

from __future__ import annotations

import gzip
import json
from importlib import resources

import boto3
import moto

from mock_sts import MockSTS
from tests.helpers.cognito import REGION, cognito


def motos_public_keys() -> dict[str, object]:
    """moto's public JWKS (compressed in its newer releases)."""
    folder = resources.files("moto.cognitoidp").joinpath("resources")
    packed = folder.joinpath("jwks-public.json.gz")
    if packed.is_file():
        keys: dict[str, object] = json.loads(gzip.decompress(packed.read_bytes()))
        return keys
    plain: dict[str, object] = json.loads(folder.joinpath("jwks-public.json").read_text())
    return plain


def test_an_id_token_of_motos_user_pool_is_a_login() -> None:
    with moto.mock_aws(), MockSTS() as sts:
        idp = boto3.client("cognito-idp", region_name=REGION)
        user_pool = idp.create_user_pool(PoolName="app")["UserPool"]["Id"]
        client_id = idp.create_user_pool_client(UserPoolId=user_pool, ClientName="web")[
            "UserPoolClient"
        ]["ClientId"]
        idp.admin_create_user(UserPoolId=user_pool, Username="alice", TemporaryPassword="P4ss!wrd")
        idp.admin_set_user_password(
            UserPoolId=user_pool, Username="alice", Password="P4ss!wrd", Permanent=True
        )
        tokens = idp.admin_initiate_auth(
            UserPoolId=user_pool,
            ClientId=client_id,
            AuthFlow="ADMIN_NO_SRP_AUTH",
            AuthParameters={"USERNAME": "alice", "PASSWORD": "P4ss!wrd"},
        )["AuthenticationResult"]
        provider = f"cognito-idp.{REGION}.amazonaws.com/{user_pool}"
        sts.add_jwks(f"https://{provider}", motos_public_keys())

        pool_id = cognito().create_identity_pool(
            IdentityPoolName="app",
            AllowUnauthenticatedIdentities=False,
            CognitoIdentityProviders=[{"ProviderName": provider, "ClientId": client_id}],
        )["IdentityPoolId"]
        logins = {provider: tokens["IdToken"]}
        first = cognito().get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"]
        assert cognito().get_id(IdentityPoolId=pool_id, Logins=logins)["IdentityId"] == first
        assert cognito().describe_identity(IdentityId=first)["Logins"] == [provider]
