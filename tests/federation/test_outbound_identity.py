"""GetWebIdentityToken and IAM's outbound identity federation switches (STS_REFERENCE §4.11):
AWS signs a JWT for the calling identity; the handle publishes the issuer's keys, so these
tests verify every token with pyjwt as an external service would.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import boto3
import jwt
import pytest
import time_machine

from tests.helpers import aws_error, client, sts_client
from tests.helpers.web_identity import web_identity_call, web_trust

if TYPE_CHECKING:
    from mock_sts import MockSTS, OutboundIssuer

ACCOUNT = "123456789012"
OTHER_ACCOUNT = "210987654321"
UTC = dt.timezone.utc
T0 = dt.datetime(2025, 3, 14, 12, 0, 0, tzinfo=UTC)
EPOCH_T0 = int(T0.timestamp())
ISSUER = re.compile(r"https://[0-9a-f-]{36}\.tokens\.sts\.global\.api\.aws")
ADMIN = f"arn:aws:iam::{ACCOUNT}:user/admin"
DISABLED = (
    "OutboundWebIdentityFederationDisabledException",
    "The outbound web identity federation feature is not enabled for this account.",
    403,
)


@pytest.fixture
def enabled(sts_mock: MockSTS) -> OutboundIssuer:
    client("iam").enable_outbound_web_identity_federation()
    return sts_mock.outbound_issuer()


def verify(issuer: OutboundIssuer, token: str, audience: str | list[str]) -> dict[str, Any]:
    """The token's claims, checked as a relying party checks them: signature, iss, aud."""
    header = jwt.get_unverified_header(token)
    (key,) = [k for k in issuer.jwks["keys"] if k["kid"] == header["kid"]]
    claims: dict[str, Any] = jwt.decode(
        token,
        jwt.PyJWK(key).key,
        [key["alg"]],
        audience=audience,
        issuer=issuer.url,
        options={"verify_exp": False, "verify_iat": False},
    )
    return claims


def token_of(client: Any, *audiences: str, **params: Any) -> dict[str, Any]:
    response: dict[str, Any] = client.get_web_identity_token(
        Audience=list(audiences or ["https://api.example.com"]),
        SigningAlgorithm=params.pop("SigningAlgorithm", "RS256"),
        **params,
    )
    return response


# ---------------------------------------------------------------------------------------
# The IAM switches


def test_disabled_until_enabled(sts_mock: MockSTS) -> None:
    assert aws_error(lambda: token_of(sts_client(region="eu-west-1"))) == DISABLED
    assert aws_error(client("iam").get_outbound_web_identity_federation_info) == (
        "FeatureDisabled",
        "Outbound identity federation has never been enabled for this account.",
        404,
    )
    with pytest.raises(LookupError, match="EnableOutboundWebIdentityFederation"):
        sts_mock.outbound_issuer()


def test_enable_disable_and_info(sts_mock: MockSTS) -> None:
    iam = client("iam")

    issuer = iam.enable_outbound_web_identity_federation()["IssuerIdentifier"]
    assert ISSUER.fullmatch(issuer)
    assert aws_error(iam.enable_outbound_web_identity_federation) == (
        "FeatureEnabled",
        "Outbound identity federation is already enabled for this account.",
        409,
    )
    info = iam.get_outbound_web_identity_federation_info()
    assert (info["IssuerIdentifier"], info["JwtVendingEnabled"]) == (issuer, True)

    iam.disable_outbound_web_identity_federation()
    info = iam.get_outbound_web_identity_federation_info()
    assert (info["IssuerIdentifier"], info["JwtVendingEnabled"]) == (issuer, False)
    assert aws_error(iam.disable_outbound_web_identity_federation) == (
        "FeatureDisabled",
        "Outbound identity federation is already disabled for this account.",
        404,
    )
    assert aws_error(lambda: token_of(sts_client(region="eu-west-1"))) == DISABLED
    # The issuer is the account's for good.
    assert iam.enable_outbound_web_identity_federation()["IssuerIdentifier"] == issuer
    assert sts_mock.outbound_issuer().url == issuer


def test_disable_before_enable(sts_mock: MockSTS) -> None:
    assert aws_error(client("iam").disable_outbound_web_identity_federation)[0] == "FeatureDisabled"


def test_each_account_has_its_own_issuer_and_keys(sts_mock: MockSTS) -> None:
    client("iam").enable_outbound_web_identity_federation()
    client(
        "iam", sts_mock.admin_credentials(OTHER_ACCOUNT)
    ).enable_outbound_web_identity_federation()

    ours, theirs = sts_mock.outbound_issuer(), sts_mock.outbound_issuer(OTHER_ACCOUNT)
    assert ours.url != theirs.url
    assert {k["kid"] for k in ours.jwks["keys"]}.isdisjoint(k["kid"] for k in theirs.jwks["keys"])
    token = token_of(sts_client(sts_mock.admin_credentials(OTHER_ACCOUNT), region="eu-west-1"))[
        "WebIdentityToken"
    ]
    with pytest.raises(ValueError):  # not one of our keys
        verify(ours, token, "https://api.example.com")
    assert verify(theirs, token, "https://api.example.com")["sub"] == (
        f"arn:aws:iam::{OTHER_ACCOUNT}:user/admin"
    )


def test_issuer_documents(enabled: OutboundIssuer) -> None:
    assert [(k["kty"], k["alg"], k["use"]) for k in enabled.jwks["keys"]] == [
        ("RSA", "RS256", "sig"),
        ("EC", "ES384", "sig"),
    ]
    assert enabled.jwks["keys"][1]["crv"] == "P-384"
    assert enabled.discovery_document == {
        "issuer": enabled.url,
        "jwks_uri": f"{enabled.url}/.well-known/jwks.json",
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256", "ES384"],
    }
    assert "jwks" not in repr(enabled)


# ---------------------------------------------------------------------------------------
# The token


def test_token_of_a_user(enabled: OutboundIssuer) -> None:
    with time_machine.travel(T0, tick=False):
        response = token_of(sts_client(region="eu-west-1"))

    assert response["Expiration"] == T0 + dt.timedelta(seconds=300)
    token = response["WebIdentityToken"]
    assert jwt.get_unverified_header(token) == {
        "alg": "RS256",
        "kid": enabled.jwks["keys"][0]["kid"],
        "typ": "JWT",
    }
    claims = verify(enabled, token, "https://api.example.com")
    assert re.fullmatch(r"[0-9a-f-]{36}", claims.pop("jti"))
    assert claims == {
        "iss": enabled.url,
        "sub": ADMIN,
        "aud": "https://api.example.com",
        "iat": EPOCH_T0,
        "exp": EPOCH_T0 + 300,
        "https://sts.amazonaws.com/": {"aws_account": ACCOUNT, "source_region": "eu-west-1"},
    }


def test_es384_tokens(enabled: OutboundIssuer) -> None:
    token = token_of(sts_client(region="eu-west-1"), SigningAlgorithm="ES384")["WebIdentityToken"]

    assert jwt.get_unverified_header(token)["alg"] == "ES384"
    assert verify(enabled, token, "https://api.example.com")["sub"] == ADMIN


def test_several_audiences_and_a_longer_duration(enabled: OutboundIssuer) -> None:
    with time_machine.travel(T0, tick=False):
        response = token_of(
            sts_client(region="eu-west-1"), "https://a.example.com", "b", DurationSeconds=3600
        )

    claims = verify(enabled, response["WebIdentityToken"], "b")
    assert claims["aud"] == ["https://a.example.com", "b"]
    assert claims["exp"] == EPOCH_T0 + 3600
    assert response["Expiration"] == T0 + dt.timedelta(hours=1)


def test_token_of_a_role_session(sts_mock: MockSTS, enabled: OutboundIssuer) -> None:
    user = sts_mock.create_user(
        "deployer",
        policies={
            "assume": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}],
            }
        },
    )
    role = sts_mock.create_role(
        "token-vendor",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": user.arn},
                    "Action": ["sts:AssumeRole", "sts:TagSession"],
                }
            ],
        },
        path="/svc/",
        tags={"team": "payments"},
        policies={
            "vend": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "sts:GetWebIdentityToken", "Resource": "*"}
                ],
            }
        },
    )
    assumed = sts_client(user.credentials, region="eu-west-1").assume_role(
        RoleArn=role.arn, RoleSessionName="s1", Tags=[{"Key": "env", "Value": "prod"}]
    )["Credentials"]
    session = boto3.client(
        "sts",
        region_name="eu-west-1",
        aws_access_key_id=assumed["AccessKeyId"],
        aws_secret_access_key=assumed["SecretAccessKey"],
        aws_session_token=assumed["SessionToken"],
    )

    token = token_of(session, Tags=[{"Key": "purpose", "Value": "ci"}])["WebIdentityToken"]
    claims = verify(enabled, token, "https://api.example.com")
    assert claims["sub"] == f"arn:aws:iam::{ACCOUNT}:role/svc/token-vendor"
    assert claims["https://sts.amazonaws.com/"] == {
        "aws_account": ACCOUNT,
        "source_region": "eu-west-1",
        "principal_tags": {"team": "payments", "env": "prod"},
        "request_tags": {"purpose": "ci"},
    }


def test_user_tags_are_principal_tags(sts_mock: MockSTS, enabled: OutboundIssuer) -> None:
    user = sts_mock.create_user(
        "tagged",
        tags={"cost-center": "42"},
        policies={
            "vend": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "sts:GetWebIdentityToken", "Resource": "*"}
                ],
            }
        },
    )

    token = token_of(sts_client(user.credentials, region="eu-west-1"))["WebIdentityToken"]
    aws_claims = verify(enabled, token, "https://api.example.com")["https://sts.amazonaws.com/"]
    assert aws_claims["principal_tags"] == {"cost-center": "42"}


def test_root_may_get_a_token(sts_mock: MockSTS, enabled: OutboundIssuer) -> None:
    token = token_of(sts_client(sts_mock.root_credentials(), region="eu-west-1"))[
        "WebIdentityToken"
    ]

    assert verify(enabled, token, "https://api.example.com")["sub"] == (
        f"arn:aws:iam::{ACCOUNT}:root"
    )


def test_these_tokens_are_no_web_identity_for_aws(
    sts_mock: MockSTS, enabled: OutboundIssuer
) -> None:
    arn = client("iam").create_open_id_connect_provider(
        Url=enabled.url, ClientIDList=["https://api.example.com"]
    )["OpenIDConnectProviderArn"]
    role = sts_mock.create_role("loop", web_trust(arn))

    token = token_of(sts_client(region="eu-west-1"))["WebIdentityToken"]
    code, message, _ = aws_error(web_identity_call(role.arn, token))
    assert (code, message) == (
        "InvalidIdentityToken",
        "Couldn't retrieve verification key from your identity provider,  please reference "
        "AssumeRoleWithWebIdentity documentation for requirements",
    )


# ---------------------------------------------------------------------------------------
# Errors and authorization


def test_global_endpoint_is_refused(enabled: OutboundIssuer) -> None:
    client = sts_client(region="us-east-1", endpoint_url="https://sts.amazonaws.com")

    assert aws_error(lambda: token_of(client)) == (
        "ValidationError",
        "GetWebIdentityToken is not available on the STS global endpoint sts.amazonaws.com: "
        "use a regional endpoint such as sts.us-east-1.amazonaws.com.",
        400,
    )
    regional = sts_client(region="us-east-1")
    assert token_of(regional)["WebIdentityToken"]


def test_unsupported_signing_algorithm(enabled: OutboundIssuer) -> None:
    assert aws_error(
        lambda: token_of(sts_client(region="eu-west-1"), SigningAlgorithm="HS256")
    ) == (
        "ValidationError",
        "1 validation error detected: Value 'HS256' at 'signingAlgorithm' failed to satisfy "
        "constraint: Member must satisfy enum value set: [RS256, ES384]",
        400,
    )


def test_duration_outside_the_model_range(enabled: OutboundIssuer) -> None:
    code, message, _ = aws_error(
        lambda: token_of(sts_client(region="eu-west-1"), DurationSeconds=3601)
    )

    assert code == "ValidationError"
    assert message.endswith("Member must have value less than or equal to 3600")


def test_a_token_may_not_outlive_the_session(sts_mock: MockSTS, enabled: OutboundIssuer) -> None:
    role = sts_mock.create_role(
        "short",
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}
            ],
        },
        policies={
            "vend": {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": "sts:GetWebIdentityToken", "Resource": "*"}
                ],
            }
        },
    )
    with time_machine.travel(T0, tick=False) as traveller:
        assumed = sts_client(region="eu-west-1").assume_role(
            RoleArn=role.arn, RoleSessionName="s1", DurationSeconds=900
        )
        keys = assumed["Credentials"]
        session = boto3.client(
            "sts",
            region_name="eu-west-1",
            aws_access_key_id=keys["AccessKeyId"],
            aws_secret_access_key=keys["SecretAccessKey"],
            aws_session_token=keys["SessionToken"],
        )
        assert token_of(session, DurationSeconds=900)["Expiration"] == keys["Expiration"]
        traveller.move_to(T0 + dt.timedelta(minutes=10))
        assert aws_error(lambda: token_of(session, DurationSeconds=301)) == (
            "SessionDurationEscalationException",
            "The requested token duration would extend the session beyond its original "
            "expiration time.",
            403,
        )
        assert token_of(session, DurationSeconds=300)["Expiration"] == keys["Expiration"]


def test_payload_too_large(enabled: OutboundIssuer) -> None:
    tags = [{"Key": f"key-{i:03d}-" + "k" * 100, "Value": "v" * 256} for i in range(50)]

    assert aws_error(lambda: token_of(sts_client(region="eu-west-1"), Tags=tags)) == (
        "JWTPayloadSizeExceededException",
        "The requested token payload size exceeds the maximum allowed size.",
        400,
    )
    assert token_of(sts_client(region="eu-west-1"), Tags=tags[:10])["WebIdentityToken"]


def test_duplicate_tag_keys(enabled: OutboundIssuer) -> None:
    tags = [{"Key": "a", "Value": "1"}, {"Key": "A", "Value": "2"}]

    # STS's answer for AssumeRole's Tags (§12.3); its Tags parameters are checked alike.
    assert aws_error(lambda: token_of(sts_client(region="eu-west-1"), Tags=tags)) == (
        "InvalidParameterValue",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        400,
    )


def test_callers_need_permission(sts_mock: MockSTS, enabled: OutboundIssuer) -> None:
    nobody = sts_mock.create_user("nobody")

    assert aws_error(lambda: token_of(sts_client(nobody.credentials, region="eu-west-1"))) == (
        "AccessDenied",
        f"User: arn:aws:iam::{ACCOUNT}:user/nobody is not authorized to perform: "
        "sts:GetWebIdentityToken",
        403,
    )


def test_audience_and_duration_conditions(sts_mock: MockSTS, enabled: OutboundIssuer) -> None:
    user = sts_mock.create_user(
        "limited",
        policies={
            "vend": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:GetWebIdentityToken",
                        "Resource": "*",
                        "Condition": {
                            "ForAllValues:StringEquals": {
                                "sts:IdentityTokenAudience": "https://api.example.com"
                            },
                            "NumericLessThanEquals": {"sts:DurationSeconds": "600"},
                        },
                    }
                ],
            }
        },
    )
    client = sts_client(user.credentials, region="eu-west-1")

    assert token_of(client, DurationSeconds=600)["WebIdentityToken"]
    for call in (
        lambda: token_of(client, "https://api.example.com", "https://evil.example.com"),
        lambda: token_of(client, DurationSeconds=601),
    ):
        assert aws_error(call)[0] == "AccessDenied"


def test_session_token_credentials_may_not(sts_mock: MockSTS, enabled: OutboundIssuer) -> None:
    keys = sts_client(region="eu-west-1").get_session_token()["Credentials"]
    client = boto3.client(
        "sts",
        region_name="eu-west-1",
        aws_access_key_id=keys["AccessKeyId"],
        aws_secret_access_key=keys["SecretAccessKey"],
        aws_session_token=keys["SessionToken"],
    )

    assert aws_error(lambda: token_of(client)) == (
        "AccessDenied",
        f"User: {ADMIN} is not authorized to perform: sts:GetWebIdentityToken",
        403,
    )


def test_published_jwks_of_every_issuer_the_mock_knows(sts_mock: MockSTS) -> None:
    github = sts_mock.oidc_provider("https://token.actions.githubusercontent.com")
    assert sts_mock.published_jwks(github.url) == github.jwks
    assert sts_mock.published_jwks("https://unknown.example.com") is None

    iam = client("iam")
    published = sts_mock.published_jwks(
        iam.enable_outbound_web_identity_federation()["IssuerIdentifier"]
    )
    assert published == sts_mock.outbound_issuer().jwks
    # Published while enabled only, as the issuer's documents are.
    iam.disable_outbound_web_identity_federation()
    assert sts_mock.published_jwks(sts_mock.outbound_issuer().url) is None
