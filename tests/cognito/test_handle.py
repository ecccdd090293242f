"""The handle's Cognito helpers: fake user pools, and identity pools set up in one call."""

from __future__ import annotations

import jwt
import pytest
from botocore.exceptions import ClientError

from mock_sts import MockSTS
from tests.helpers.cognito import cognito


def test_a_user_pool_made_up_for_the_test(sts_mock: MockSTS) -> None:
    users = sts_mock.user_pool()
    region, _, suffix = users.pool_id.partition("_")
    assert (region, len(suffix)) == ("us-east-1", 9)
    assert users.provider_name == f"cognito-idp.us-east-1.amazonaws.com/{users.pool_id}"
    assert users.issuer == f"https://{users.provider_name}"
    assert len(users.client_id) == 26
    assert users.client_ids == (users.client_id,)
    key = users.jwks["keys"][0]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    claims = jwt.decode(
        users.id_token("alice", email="a@example.com"),
        jwt.PyJWK(key).key,
        algorithms=["RS256"],
        audience=users.client_id,
        issuer=users.issuer,
    )
    assert claims["token_use"] == "id"
    assert claims["cognito:username"] == "alice"
    assert claims["email"] == "a@example.com"
    # The user's sub is the same at every sign-in.
    again = jwt.decode(users.id_token("alice"), options={"verify_signature": False})
    assert again["sub"] == claims["sub"]


def test_an_access_token_is_not_a_login(sts_mock: MockSTS) -> None:
    users = sts_mock.user_pool("us-east-1_Pool", client_ids=("one", "two"))
    pool = sts_mock.identity_pool("app", user_pool=users)
    token = users.access_token("alice", client_id="two")
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["token_use"], claims["client_id"], "aud" in claims) == ("access", "two", False)
    with pytest.raises(ClientError) as raised:
        cognito().get_id(IdentityPoolId=pool.pool_id, Logins={users.provider_name: token})
    assert raised.value.response["Error"]["Message"] == (
        "Invalid login token. Missing a required claim: aud"
    )
    # Each of the pool's app clients is a provider of the identity pool.
    described = cognito().describe_identity_pool(IdentityPoolId=pool.pool_id)
    assert [p["ClientId"] for p in described["CognitoIdentityProviders"]] == ["one", "two"]
    login = {users.provider_name: users.id_token("alice", client_id="two")}
    assert cognito().get_id(IdentityPoolId=pool.pool_id, Logins=login)["IdentityId"]


def test_an_identity_pool_without_guests(sts_mock: MockSTS) -> None:
    pool = sts_mock.identity_pool(
        "members only",
        login_providers={"accounts.google.com": "web"},
        developer_provider="login.example",
        allow_unauthenticated=False,
    )
    assert pool.unauthenticated_role is None
    assert pool.authenticated_role.name == "Cognito_members_onlyAuth_Role"
    roles = cognito().get_identity_pool_roles(IdentityPoolId=pool.pool_id)["Roles"]
    assert roles == {"authenticated": pool.authenticated_role.arn}
    described = cognito().describe_identity_pool(IdentityPoolId=pool.pool_id)
    assert described["SupportedLoginProviders"] == {"accounts.google.com": "web"}
    assert described["DeveloperProviderName"] == "login.example"
    assert pool.arn == (
        f"arn:aws:cognito-identity:us-east-1:123456789012:identitypool/{pool.pool_id}"
    )


def test_a_pool_the_service_refuses(sts_mock: MockSTS) -> None:
    with pytest.raises(ClientError) as raised:
        sts_mock.identity_pool("no/slashes")
    error = raised.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert "'identityPoolName' failed to satisfy constraint" in error["Message"]
