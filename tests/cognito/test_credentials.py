"""Credentials for identities (STS_REFERENCE §12.8): the enhanced flow (GetCredentialsForIdentity,
decided by the role's trust policy as STS decides it, guests scoped down), role-based access
control, the basic flow (GetOpenIdToken → AssumeRoleWithWebIdentity), principal tags, and
IAM's rule for roles that trust Cognito."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import boto3
import jwt
import pytest
import time_machine
from botocore.exceptions import ClientError

from mock_sts import IdentityPool, MockSTS, UserPool
from tests.helpers import unsigned_sts
from tests.helpers.cognito import client_of, cognito, pool_trust

ACCOUNT = "123456789012"
INVALID_CONFIGURATION = (
    "InvalidIdentityPoolConfigurationException",
    "Invalid identity pool configuration. Check assigned IAM roles for this pool.",
)
S3_ANYTHING = {"Effect": "Allow", "Action": ["s3:*", "ec2:*"], "Resource": "*"}


def document(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def error_of(raised: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = raised.value.response["Error"]
    return error["Code"], error["Message"]


@pytest.fixture
def users(sts_mock: MockSTS) -> UserPool:
    return sts_mock.user_pool("us-east-1_Users1234", client_ids=("appclient1",))


@pytest.fixture
def pool(sts_mock: MockSTS, users: UserPool) -> IdentityPool:
    return sts_mock.identity_pool(
        "app",
        user_pool=users,
        authenticated_policies={"all": document(S3_ANYTHING)},
        unauthenticated_policies={"all": document(S3_ANYTHING)},
    )


def signed_in(users: UserPool, username: str = "alice", **claims: Any) -> dict[str, str]:
    return {users.provider_name: users.id_token(username, **claims)}


def credentials_of(pool: IdentityPool, logins: dict[str, str] | None = None) -> dict[str, Any]:
    client = cognito()
    identity = client.get_id(IdentityPoolId=pool.pool_id, **({"Logins": logins} if logins else {}))
    extra = {"Logins": logins} if logins else {}
    answer: dict[str, Any] = client.get_credentials_for_identity(
        IdentityId=identity["IdentityId"], **extra
    )
    return answer


# ---------------------------------------------------------------------------------------
# The enhanced flow


def test_a_guest_gets_a_session_of_the_unauthenticated_role(
    sts_mock: MockSTS, pool: IdentityPool
) -> None:
    answer = credentials_of(pool)
    assert set(answer["Credentials"]) == {"AccessKeyId", "SecretKey", "SessionToken", "Expiration"}
    me = client_of("sts", answer).get_caller_identity()
    assert me["Arn"] == (
        f"arn:aws:sts::{ACCOUNT}:assumed-role/Cognito_appUnauth_Role/CognitoIdentityCredentials"
    )
    lifetime = answer["Credentials"]["Expiration"] - dt.datetime.now(dt.timezone.utc)
    assert dt.timedelta(minutes=59) < lifetime <= dt.timedelta(hours=1)


def test_a_guest_is_scoped_down_to_the_services_cognito_allows(
    sts_mock: MockSTS, pool: IdentityPool
) -> None:
    key = credentials_of(pool)["Credentials"]["AccessKeyId"]
    assert sts_mock.evaluate(key, "s3:GetObject", "arn:aws:s3:::photos/a.jpg").allowed
    assert sts_mock.evaluate(key, "rum:PutRumEvents", "*").allowed is False  # not the role's
    refused = sts_mock.evaluate(key, "ec2:RunInstances", "*")
    assert not refused.allowed
    assert "session polic" in refused.reason


def test_a_signed_in_user_gets_the_authenticated_role_unscoped(
    sts_mock: MockSTS, pool: IdentityPool, users: UserPool
) -> None:
    answer = credentials_of(pool, signed_in(users))
    me = client_of("sts", answer).get_caller_identity()
    assert me["Arn"].endswith(":assumed-role/Cognito_appAuth_Role/CognitoIdentityCredentials")
    assert sts_mock.evaluate(answer["Credentials"]["AccessKeyId"], "ec2:RunInstances", "*").allowed


def test_the_credentials_expire_as_sessions_do(sts_mock: MockSTS, pool: IdentityPool) -> None:
    answer = credentials_of(pool)
    client = client_of("sts", answer)
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1, seconds=1)
    with time_machine.travel(later), pytest.raises(ClientError) as raised:
        client.get_caller_identity()
    assert raised.value.response["Error"]["Code"] == "ExpiredToken"


def test_the_role_trust_decides(sts_mock: MockSTS, users: UserPool) -> None:
    pool = sts_mock.identity_pool("app", user_pool=users)
    other = sts_mock.identity_pool("other", user_pool=users)
    client = cognito()
    # The pool's guests get the role of another pool, which trusts that pool only.
    client.set_identity_pool_roles(
        IdentityPoolId=pool.pool_id,
        Roles={"unauthenticated": other.unauthenticated_role.arn},  # type: ignore[union-attr]
    )
    identity = client.get_id(IdentityPoolId=pool.pool_id)["IdentityId"]
    sessions = len(sts_mock.calls)
    with pytest.raises(ClientError) as raised:
        client.get_credentials_for_identity(IdentityId=identity)
    assert error_of(raised) == INVALID_CONFIGURATION
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
    call = sts_mock.calls[-1]
    assert len(sts_mock.calls) == sessions + 1
    assert (call.service, call.action, call.allowed) == (
        "cognito-identity",
        "GetCredentialsForIdentity",
        False,
    )
    assert "STS refused role" in call.reason
    assert call.checks[0].action == "sts:AssumeRoleWithWebIdentity"
    assert not call.checks[0].allowed


def test_an_authenticated_identity_in_a_guest_role_is_refused(
    sts_mock: MockSTS, users: UserPool
) -> None:
    pool = sts_mock.identity_pool("app", user_pool=users)
    client = cognito()
    client.set_identity_pool_roles(
        IdentityPoolId=pool.pool_id,
        Roles={"authenticated": pool.unauthenticated_role.arn},  # type: ignore[union-attr]
    )
    logins = signed_in(users)
    identity = client.get_id(IdentityPoolId=pool.pool_id, Logins=logins)["IdentityId"]
    with pytest.raises(ClientError) as raised:
        client.get_credentials_for_identity(IdentityId=identity, Logins=logins)
    assert error_of(raised) == INVALID_CONFIGURATION


@pytest.mark.parametrize("roles", [{}, {"authenticated": "x"}])
def test_without_a_role_for_the_identity(
    sts_mock: MockSTS, users: UserPool, roles: dict[str, str]
) -> None:
    client = cognito()
    pool_id = client.create_identity_pool(
        IdentityPoolName="bare", AllowUnauthenticatedIdentities=True
    )["IdentityPoolId"]
    if roles:
        role = sts_mock.identity_pool("roles", user_pool=users).authenticated_role.arn
        client.set_identity_pool_roles(IdentityPoolId=pool_id, Roles={"authenticated": role})
    identity = client.get_id(IdentityPoolId=pool_id)["IdentityId"]
    with pytest.raises(ClientError) as raised:
        client.get_credentials_for_identity(IdentityId=identity)
    assert error_of(raised) == INVALID_CONFIGURATION
    assert sts_mock.calls[-1].reason.endswith("has no unauthenticated role")


def test_a_role_arn_of_no_role(sts_mock: MockSTS, pool: IdentityPool) -> None:
    client = cognito()
    gone = f"arn:aws:iam::{ACCOUNT}:role/gone"
    sts_mock.create_role("gone", pool_trust(pool.pool_id, "unauthenticated", tag_session=True))
    client.set_identity_pool_roles(IdentityPoolId=pool.pool_id, Roles={"unauthenticated": gone})
    boto3.client("iam").delete_role(RoleName="gone")
    identity = client.get_id(IdentityPoolId=pool.pool_id)["IdentityId"]
    with pytest.raises(ClientError) as raised:
        client.get_credentials_for_identity(IdentityId=identity)
    assert error_of(raised) == INVALID_CONFIGURATION


def test_the_sub_of_the_identity_names_its_own_prefix(sts_mock: MockSTS, users: UserPool) -> None:
    own_prefix = {
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::uploads/${cognito-identity.amazonaws.com:sub}/*",
    }
    pool = sts_mock.identity_pool(
        "app", user_pool=users, authenticated_policies={"own": document(own_prefix)}
    )
    client = cognito()
    logins = signed_in(users)
    identity = client.get_id(IdentityPoolId=pool.pool_id, Logins=logins)["IdentityId"]
    answer = client.get_credentials_for_identity(IdentityId=identity, Logins=logins)
    key = answer["Credentials"]["AccessKeyId"]
    assert sts_mock.evaluate(key, "s3:GetObject", f"arn:aws:s3:::uploads/{identity}/a").allowed
    other = "us-east-1:00000000-0000-0000-0000-000000000000"
    assert not sts_mock.evaluate(key, "s3:GetObject", f"arn:aws:s3:::uploads/{other}/a").allowed


# ---------------------------------------------------------------------------------------
# Role-based access control


@pytest.fixture
def roles(sts_mock: MockSTS, pool: IdentityPool) -> dict[str, str]:
    """Two more roles the pool's signed-in identities may get."""
    trust = pool_trust(pool.pool_id, "authenticated", tag_session=True)
    return {name: sts_mock.create_role(name, trust).arn for name in ("admins", "readers")}


def map_roles(pool: IdentityPool, users: UserPool, mapping: dict[str, Any]) -> None:
    cognito().set_identity_pool_roles(
        IdentityPoolId=pool.pool_id,
        Roles={"authenticated": pool.authenticated_role.arn},
        RoleMappings={f"{users.provider_name}:{users.client_id}": mapping},
    )


def role_of(pool: IdentityPool, logins: dict[str, str], **extra: Any) -> str:
    answer = cognito().get_credentials_for_identity(
        IdentityId=cognito().get_id(IdentityPoolId=pool.pool_id, Logins=logins)["IdentityId"],
        Logins=logins,
        **extra,
    )
    arn: str = client_of("sts", answer).get_caller_identity()["Arn"]
    return arn.split("/")[1]


def test_token_mapping_takes_the_preferred_role(
    pool: IdentityPool, users: UserPool, roles: dict[str, str]
) -> None:
    map_roles(pool, users, {"Type": "Token", "AmbiguousRoleResolution": "Deny"})
    both = [roles["admins"], roles["readers"]]
    assert role_of(pool, signed_in(users, roles=both, preferred_role=roles["readers"])) == (
        "readers"
    )
    assert role_of(pool, signed_in(users, "bob", roles=[roles["admins"]])) == "admins"
    chosen = role_of(pool, signed_in(users, "carol", roles=both), CustomRoleArn=roles["admins"])
    assert chosen == "admins"
    # A comma-separated cognito:roles, as the Developer Guide describes it.
    listed = signed_in(users, "dave", **{"cognito:roles": ",".join(both)})
    assert role_of(pool, listed, CustomRoleArn=roles["readers"]) == "readers"


@pytest.mark.parametrize(
    ("resolution", "expected"), [("AuthenticatedRole", "Cognito_appAuth_Role"), ("Deny", None)]
)
def test_an_ambiguous_token_is_resolved_as_the_mapping_says(
    pool: IdentityPool,
    users: UserPool,
    roles: dict[str, str],
    resolution: str,
    expected: str | None,
) -> None:
    map_roles(pool, users, {"Type": "Token", "AmbiguousRoleResolution": resolution})
    logins = signed_in(users, roles=[roles["admins"], roles["readers"]])
    if expected is not None:
        assert role_of(pool, logins) == expected
        return
    with pytest.raises(ClientError) as raised:
        role_of(pool, logins)
    key = f"{users.provider_name}:{users.client_id}"
    assert error_of(raised) == (
        "NotAuthorizedException",
        f"The ambiguous role mapping rules for: {key} denied this request.",
    )


def test_a_token_without_roles_is_ambiguous(
    pool: IdentityPool, users: UserPool, roles: dict[str, str]
) -> None:
    map_roles(pool, users, {"Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"})
    assert role_of(pool, signed_in(users)) == "Cognito_appAuth_Role"
    assert role_of(pool, signed_in(users, "b", **{"cognito:roles": 7})) == "Cognito_appAuth_Role"


def test_a_custom_role_the_token_does_not_offer_is_refused(
    sts_mock: MockSTS, pool: IdentityPool, users: UserPool, roles: dict[str, str]
) -> None:
    map_roles(pool, users, {"Type": "Token", "AmbiguousRoleResolution": "AuthenticatedRole"})
    with pytest.raises(ClientError) as raised:
        role_of(pool, signed_in(users, roles=[roles["readers"]]), CustomRoleArn=roles["admins"])
    assert error_of(raised) == (
        "NotAuthorizedException",
        f"Role '{roles['admins']}' is not one of the roles this identity may assume.",
    )
    assert "does not offer" in sts_mock.calls[-1].reason


def rule(claim: str, match: str, value: str, role: str) -> dict[str, str]:
    return {"Claim": claim, "MatchType": match, "Value": value, "RoleARN": role}


def test_rules_are_matched_in_order(
    pool: IdentityPool, users: UserPool, roles: dict[str, str]
) -> None:
    rules = [
        rule("cognito:groups", "Contains", "admins", roles["admins"]),
        rule("email", "StartsWith", "reader", roles["readers"]),
        rule("email_verified", "Equals", "true", roles["admins"]),
        rule("custom:tier", "NotEqual", "free", roles["readers"]),
    ]
    mapping = {
        "Type": "Rules",
        "AmbiguousRoleResolution": "Deny",
        "RulesConfiguration": {"Rules": rules},
    }
    map_roles(pool, users, mapping)
    assert role_of(pool, signed_in(users, "a", groups=["staff", "admins"])) == "admins"
    assert role_of(pool, signed_in(users, "b", email="reader@example.com")) == "readers"
    assert role_of(pool, signed_in(users, "c", email="c@x.com", email_verified=True)) == "admins"
    assert role_of(pool, signed_in(users, "d", **{"custom:tier": "gold"})) == "readers"
    # NotEqual is not evaluated when the claim is missing; nothing else matches.
    with pytest.raises(ClientError) as raised:
        role_of(pool, signed_in(users, "e", **{"custom:tier": "free"}))
    assert error_of(raised)[0] == "NotAuthorizedException"
    with pytest.raises(ClientError):
        role_of(pool, signed_in(users, "f"))
    # CustomRoleArn picks among the roles of the rules that match.
    both = signed_in(users, "g", groups=["admins"], email="reader@x.com")
    assert role_of(pool, both, CustomRoleArn=roles["readers"]) == "readers"


def test_a_login_without_a_mapping_gets_the_authenticated_role(
    sts_mock: MockSTS, users: UserPool, roles: dict[str, str]
) -> None:
    google = sts_mock.builtin_provider("accounts.google.com")
    pool = sts_mock.identity_pool(
        "mixed", user_pool=users, login_providers={"accounts.google.com": "web-client"}
    )
    cognito().set_identity_pool_roles(
        IdentityPoolId=pool.pool_id,
        Roles={"authenticated": pool.authenticated_role.arn},
        RoleMappings={
            f"{users.provider_name}:{users.client_id}": {
                "Type": "Token",
                "AmbiguousRoleResolution": "Deny",
            }
        },
    )
    logins = {"accounts.google.com": google.token(sub="g-1", aud="web-client")}
    # With no role mapping there is no choice for CustomRoleArn to make.
    assert role_of(pool, logins, CustomRoleArn=roles["admins"]) == "Cognito_mixedAuth_Role"


# ---------------------------------------------------------------------------------------
# The basic flow


def classic_pool(sts_mock: MockSTS, users: UserPool) -> IdentityPool:
    """A pool of ``users`` with the basic (classic) flow allowed, as UpdateIdentityPool sets it."""
    pool = sts_mock.identity_pool("classic", user_pool=users)
    cognito().update_identity_pool(
        IdentityPoolId=pool.pool_id,
        IdentityPoolName="classic",
        AllowUnauthenticatedIdentities=True,
        AllowClassicFlow=True,
        CognitoIdentityProviders=[{"ProviderName": users.provider_name, "ClientId": "appclient1"}],
    )
    return pool


def test_the_basic_flow_hands_the_token_to_sts(sts_mock: MockSTS, users: UserPool) -> None:
    pool = classic_pool(sts_mock, users)
    client = cognito()
    logins = signed_in(users)
    identity = client.get_id(IdentityPoolId=pool.pool_id, Logins=logins)["IdentityId"]
    token = client.get_open_id_token(IdentityId=identity, Logins=logins)
    assert token["IdentityId"] == identity
    claims = jwt.decode(token["Token"], options={"verify_signature": False})
    assert claims["iss"] == "https://cognito-identity.amazonaws.com"
    assert (claims["aud"], claims["sub"]) == (pool.pool_id, identity)
    assert claims["amr"][:2] == ["authenticated", users.provider_name]
    assert claims["amr"][2].startswith(f"{users.provider_name}:CognitoSignIn:")
    assert claims["exp"] - claims["iat"] == 600
    assert claims["https://cognito-identity.amazonaws.com/identity-pool-arn"] == pool.arn
    assert jwt.get_unverified_header(token["Token"])["alg"] == "RS512"
    answer = unsigned_sts().assume_role_with_web_identity(
        RoleArn=pool.authenticated_role.arn, RoleSessionName="mine", WebIdentityToken=token["Token"]
    )
    assert answer["Provider"] == "cognito-identity.amazonaws.com"
    assert answer["SubjectFromWebIdentityToken"] == identity
    assert answer["Audience"] == pool.pool_id
    assert answer["AssumedRoleUser"]["Arn"].endswith("/Cognito_classicAuth_Role/mine")
    # A guest's token does not satisfy the authenticated role's trust.
    guest = client.get_id(IdentityPoolId=pool.pool_id)["IdentityId"]
    guest_token = client.get_open_id_token(IdentityId=guest)["Token"]
    with pytest.raises(ClientError) as raised:
        unsigned_sts().assume_role_with_web_identity(
            RoleArn=pool.authenticated_role.arn,
            RoleSessionName="guest",
            WebIdentityToken=guest_token,
        )
    assert raised.value.response["Error"]["Code"] == "AccessDenied"


def test_the_basic_flow_needs_the_pool_to_allow_it(sts_mock: MockSTS, pool: IdentityPool) -> None:
    identity = cognito().get_id(IdentityPoolId=pool.pool_id)["IdentityId"]
    with pytest.raises(ClientError) as raised:
        cognito().get_open_id_token(IdentityId=identity)
    assert error_of(raised) == (
        "InvalidParameterException",
        "Basic (classic) flow is not enabled, please use enhanced flow.",
    )


# ---------------------------------------------------------------------------------------
# Principal tags (attributes for access control)


def test_claims_become_session_tags(sts_mock: MockSTS, pool: IdentityPool, users: UserPool) -> None:
    cognito().set_principal_tag_attribute_map(
        IdentityPoolId=pool.pool_id,
        IdentityProviderName=users.provider_name,
        UseDefaults=True,
        PrincipalTags={"dept": "custom:dept", "missing": "nickname", "flag": "email_verified"},
    )
    by_tags = document(
        {
            "Effect": "Allow",
            "Action": "dynamodb:GetItem",
            "Resource": "*",
            "Condition": {
                "StringEquals": {
                    "aws:PrincipalTag/dept": "sales",
                    "aws:PrincipalTag/client": users.client_id,
                    "aws:PrincipalTag/flag": "true",
                },
                "Null": {"aws:PrincipalTag/missing": "true"},
            },
        }
    )
    boto3.client("iam").put_role_policy(
        RoleName="Cognito_appAuth_Role", PolicyName="by-tags", PolicyDocument=json.dumps(by_tags)
    )
    sales = credentials_of(pool, signed_in(users, **{"custom:dept": "sales"}, email_verified=True))
    assert sts_mock.evaluate(sales["Credentials"]["AccessKeyId"], "dynamodb:GetItem", "*").allowed
    other = credentials_of(pool, signed_in(users, "bob", **{"custom:dept": "hr"}))
    assert not sts_mock.evaluate(
        other["Credentials"]["AccessKeyId"], "dynamodb:GetItem", "*"
    ).allowed


def test_a_custom_tag_map_without_the_defaults(
    sts_mock: MockSTS, pool: IdentityPool, users: UserPool
) -> None:
    cognito().set_principal_tag_attribute_map(
        IdentityPoolId=pool.pool_id,
        IdentityProviderName=users.provider_name,
        UseDefaults=False,
        PrincipalTags={"level": "custom:level"},
    )
    only_level = document(
        {
            "Effect": "Allow",
            "Action": "dynamodb:GetItem",
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:PrincipalTag/level": "3"},
                "Null": {"aws:PrincipalTag/client": "true"},
            },
        }
    )
    boto3.client("iam").put_role_policy(
        RoleName="Cognito_appAuth_Role", PolicyName="level", PolicyDocument=json.dumps(only_level)
    )
    level: dict[str, Any] = {"custom:level": 3}
    answer = credentials_of(pool, signed_in(users, "alice", **level))
    assert sts_mock.evaluate(answer["Credentials"]["AccessKeyId"], "dynamodb:GetItem", "*").allowed


def test_principal_tags_need_tag_session_in_the_trust(sts_mock: MockSTS, users: UserPool) -> None:
    pool = sts_mock.identity_pool("strict", user_pool=users)
    trust = pool_trust(pool.pool_id, "authenticated", tag_session=True)
    trust["Statement"][0]["Action"] = "sts:AssumeRoleWithWebIdentity"
    boto3.client("iam").update_assume_role_policy(
        RoleName="Cognito_strictAuth_Role", PolicyDocument=json.dumps(trust)
    )
    logins = signed_in(users)
    assert credentials_of(pool, logins)["Credentials"]  # no tags: no sts:TagSession needed
    cognito().set_principal_tag_attribute_map(
        IdentityPoolId=pool.pool_id, IdentityProviderName=users.provider_name, UseDefaults=True
    )
    with pytest.raises(ClientError) as raised:
        credentials_of(pool, logins)
    assert error_of(raised) == INVALID_CONFIGURATION


# ---------------------------------------------------------------------------------------
# IAM: roles that trust Cognito must name the pools they admit


def cognito_trust(condition: dict[str, Any] | None, effect: str = "Allow") -> str:
    statement: dict[str, Any] = {
        "Effect": effect,
        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
    }
    if condition is not None:
        statement["Condition"] = condition
    return json.dumps(document(statement))


AUD = "cognito-identity.amazonaws.com:aud"


@pytest.mark.parametrize(
    "condition",
    [
        None,
        {},
        {"ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"}},
        {"StringLike": {AUD: "*"}},
        {"StringNotEquals": {AUD: "us-east-1:1"}},
        {"StringEquals": {AUD: ""}},
    ],
)
def test_a_trust_that_admits_any_pool_is_refused(
    sts_mock: MockSTS, condition: dict[str, Any] | None
) -> None:
    iam = boto3.client("iam")
    with pytest.raises(ClientError) as raised:
        iam.create_role(RoleName="any", AssumeRolePolicyDocument=cognito_trust(condition))
    assert error_of(raised) == (
        "MalformedPolicyDocument",
        "A condition block must be present for the Cognito provider",
    )
    iam.create_role(
        RoleName="named",
        AssumeRolePolicyDocument=cognito_trust({"StringEquals": {AUD: "us-east-1:1"}}),
    )
    with pytest.raises(ClientError) as raised:
        iam.update_assume_role_policy(RoleName="named", PolicyDocument=cognito_trust(condition))
    assert raised.value.response["Error"]["Code"] == "MalformedPolicyDocument"


@pytest.mark.parametrize(
    "condition",
    [
        {"StringEquals": {AUD: "us-east-1:1"}},
        {"StringLike": {"Cognito-Identity.amazonaws.com:AUD": ["us-east-1:*"]}},
        {"ForAnyValue:StringEqualsIgnoreCase": {AUD: "US-EAST-1:1"}},
    ],
)
def test_a_trust_that_names_its_pools_is_taken(
    sts_mock: MockSTS, condition: dict[str, Any]
) -> None:
    boto3.client("iam").create_role(
        RoleName="named", AssumeRolePolicyDocument=cognito_trust(condition)
    )


def test_a_deny_needs_no_pool(sts_mock: MockSTS) -> None:
    boto3.client("iam").create_role(
        RoleName="deny", AssumeRolePolicyDocument=cognito_trust(None, effect="Deny")
    )


# ---------------------------------------------------------------------------------------
# Another account's roles


def test_a_cross_account_basic_flow_needs_both_conditions(
    sts_mock: MockSTS, users: UserPool
) -> None:
    pool = classic_pool(sts_mock, users)
    client = cognito()
    guest = client.get_id(IdentityPoolId=pool.pool_id)["IdentityId"]
    token = client.get_open_id_token(IdentityId=guest)["Token"]
    aud_only = pool_trust(pool.pool_id, "unauthenticated", tag_session=True)
    del aud_only["Statement"][0]["Condition"]["ForAnyValue:StringLike"]
    partner = "210987654321"
    sts_mock.create_role("aud-only", aud_only, account_id=partner)
    sts_mock.create_role(
        "both", pool_trust(pool.pool_id, "unauthenticated", tag_session=True), account_id=partner
    )
    sts_mock.create_role("same-account", aud_only)
    with pytest.raises(ClientError) as raised:
        unsigned_sts().assume_role_with_web_identity(
            RoleArn=f"arn:aws:iam::{partner}:role/aud-only",
            RoleSessionName="guest",
            WebIdentityToken=token,
        )
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    assert "must name both" in sts_mock.calls[-1].reason
    with pytest.raises(ClientError) as raised:
        unsigned_sts().assume_role_with_web_identity(
            RoleArn=f"arn:aws:iam::{partner}:role/none",
            RoleSessionName="guest",
            WebIdentityToken=token,
        )
    assert raised.value.response["Error"]["Code"] == "AccessDenied"
    for arn in (f"arn:aws:iam::{partner}:role/both", f"arn:aws:iam::{ACCOUNT}:role/same-account"):
        answer = unsigned_sts().assume_role_with_web_identity(
            RoleArn=arn, RoleSessionName="guest", WebIdentityToken=token
        )
        assert answer["SubjectFromWebIdentityToken"] == guest
