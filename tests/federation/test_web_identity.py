"""AssumeRoleWithWebIdentity through unsigned boto3 clients: the token pipeline of
STS_REFERENCE §7.2, the response of §7.3, the provider condition keys of §6.4 and the
session attributes of §9 (tags and source identity from the token's claims).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import boto3
import jwt
import pytest
import time_machine
from botocore.exceptions import ClientError
from cryptography.hazmat.primitives.asymmetric import rsa

from mock_sts import Credentials, OIDCProvider
from tests.helpers import aws_error, caller_identity, session_client, unsigned_sts
from tests.helpers.web_identity import (
    ACCOUNT,
    ACTION,
    BAD_AUDIENCE,
    DENIED,
    EKS,
    EKS_HOST,
    EPOCH_T0,
    GITHUB,
    GITHUB_HOST,
    GITHUB_SUB,
    NO_KEY,
    POD_SUB,
    ROLE_DURATION,
    T0,
    OwnIssuer,
    assume_with_web_identity,
    expired,
    github_trust,
    no_provider,
    not_integer,
    web_identity_call,
    web_trust,
)

if TYPE_CHECKING:
    from mock_sts import MockSTS, Role

TAGS_CLAIM = "https://aws.amazon.com/tags"
SOURCE_IDENTITY_CLAIM = "https://aws.amazon.com/source_identity"
TAG_SESSION = [ACTION, "sts:TagSession"]


def role_last_used(role: Role) -> dict[str, Any]:
    used: dict[str, Any] = boto3.client("iam", region_name="us-east-1").get_role(
        RoleName=role.name
    )["Role"]["RoleLastUsed"]
    return used


# ---------------------------------------------------------------------------------------
# GitHub Actions: aud and a StringLike sub pattern (§6.4, §7.3)


def extra_claim(name: str, value: Any) -> dict[str, Any]:
    """``token``'s keyword arguments for a claim whose name is no identifier."""
    return {name: value}


def test_github_actions_token_assumes_the_role(github: OIDCProvider, gha_role: Role) -> None:
    with time_machine.travel(T0, tick=False):
        response = assume_with_web_identity(gha_role.arn, github.token(sub=GITHUB_SUB), "gha-build")

    assert response["SubjectFromWebIdentityToken"] == GITHUB_SUB
    assert response["Audience"] == "sts.amazonaws.com"
    assert response["Provider"] == f"arn:aws:iam::{ACCOUNT}:oidc-provider/{GITHUB_HOST}"
    assert response["AssumedRoleUser"] == {
        "AssumedRoleId": f"{gha_role.role_id}:gha-build",
        "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/gha-deploy/gha-build",
    }
    assert response["Credentials"]["Expiration"] == T0 + dt.timedelta(hours=1)
    assert response["Credentials"]["AccessKeyId"].startswith("ASIA")
    # Nothing was packed and no source identity was set: both are left out.
    assert "PackedPolicySize" not in response
    assert "SourceIdentity" not in response


def test_the_session_acts_as_the_role(github: OIDCProvider, gha_role: Role) -> None:
    response = assume_with_web_identity(gha_role.arn, github.token(sub=GITHUB_SUB), "gha-build")

    assert caller_identity(session_client(response)) == {
        "UserId": f"{gha_role.role_id}:gha-build",
        "Account": ACCOUNT,
        "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/gha-deploy/gha-build",
    }


def test_the_request_is_unsigned(sts_mock: MockSTS, github: OIDCProvider, gha_role: Role) -> None:
    assume_with_web_identity(gha_role.arn, github.token(sub=GITHUB_SUB))

    (call,) = [c for c in sts_mock.calls if c.action == "AssumeRoleWithWebIdentity"]
    assert call.caller_arn is None
    assert call.status == 200
    assert call.params["WebIdentityToken"] == "***"  # a secret: redacted


@pytest.mark.parametrize(
    "sub",
    [
        "repo:octo/app:ref:refs/heads/main",
        "repo:octo/app:ref:refs/heads/feature/x",
        "repo:octo/app:pull_request",
        "repo:octo/app:environment:prod",
    ],
)
def test_any_ref_of_the_repository_matches_the_pattern(
    github: OIDCProvider, gha_role: Role, sub: str
) -> None:
    assert (
        assume_with_web_identity(gha_role.arn, github.token(sub=sub))["SubjectFromWebIdentityToken"]
        == sub
    )


@pytest.mark.parametrize(
    "sub", ["repo:octo/other:ref:refs/heads/main", "repo:octo/app", "repo:OCTO/app:ref:x"]
)
def test_other_repositories_are_refused(github: OIDCProvider, gha_role: Role, sub: str) -> None:
    assert aws_error(web_identity_call(gha_role.arn, github.token(sub=sub))) == DENIED


def test_main_branch_only(sts_mock: MockSTS, github: OIDCProvider) -> None:
    role = sts_mock.create_role("main-only", github_trust(github.arn, GITHUB_SUB))

    assert (
        assume_with_web_identity(role.arn, github.token(sub=GITHUB_SUB))["Audience"]
        == "sts.amazonaws.com"
    )
    feature = github.token(sub="repo:octo/app:ref:refs/heads/feature")
    assert aws_error(web_identity_call(role.arn, feature)) == DENIED


def test_audience_condition_is_checked(sts_mock: MockSTS) -> None:
    provider = sts_mock.oidc_provider(GITHUB, client_ids=["sts.amazonaws.com", "other"])
    role = sts_mock.create_role("gha", github_trust(provider.arn))

    token = provider.token(sub=GITHUB_SUB, aud="other")
    assert aws_error(web_identity_call(role.arn, token)) == DENIED


def test_aud_array_matches_on_any_client_id(sts_mock: MockSTS, github: OIDCProvider) -> None:
    role = sts_mock.create_role("gha", github_trust(github.arn))

    token = github.token(sub=GITHUB_SUB, aud=["https://github.com/octo", "sts.amazonaws.com"])
    assert assume_with_web_identity(role.arn, token)["Audience"] == "sts.amazonaws.com"


def test_second_client_id_is_the_audience(sts_mock: MockSTS) -> None:
    provider = sts_mock.oidc_provider(GITHUB, client_ids=["first", "second"])
    role = sts_mock.create_role("any", web_trust(provider.arn))

    assert (
        assume_with_web_identity(role.arn, provider.token(sub=GITHUB_SUB, aud="second"))["Audience"]
        == "second"
    )


def test_a_role_that_trusts_another_provider_is_refused(
    sts_mock: MockSTS, github: OIDCProvider
) -> None:
    other = sts_mock.oidc_provider("https://gitlab.example.com")
    role = sts_mock.create_role("gitlab", web_trust(other.arn))

    assert aws_error(web_identity_call(role.arn, github.token(sub=GITHUB_SUB))) == DENIED


def test_a_role_that_trusts_only_aws_principals_is_refused(
    sts_mock: MockSTS, github: OIDCProvider
) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}
        ],
    }
    role = sts_mock.create_role("aws-only", trust)

    assert aws_error(web_identity_call(role.arn, github.token(sub=GITHUB_SUB))) == DENIED


def test_the_trust_must_allow_the_web_identity_action(
    sts_mock: MockSTS, github: OIDCProvider
) -> None:
    role = sts_mock.create_role("wrong-action", web_trust(github.arn, actions="sts:AssumeRole"))

    assert aws_error(web_identity_call(role.arn, github.token(sub=GITHUB_SUB))) == DENIED


def test_an_explicit_deny_wins(sts_mock: MockSTS, github: OIDCProvider) -> None:
    trust = github_trust(github.arn)
    trust["Statement"].append(
        {
            "Effect": "Deny",
            "Principal": {"Federated": github.arn},
            "Action": ACTION,
            "Condition": {"StringLike": {f"{GITHUB_HOST}:sub": "*:pull_request"}},
        }
    )
    role = sts_mock.create_role("no-prs", trust)

    assert (
        assume_with_web_identity(role.arn, github.token(sub=GITHUB_SUB))["Audience"]
        == "sts.amazonaws.com"
    )
    pull_request = github.token(sub="repo:octo/app:pull_request")
    assert aws_error(web_identity_call(role.arn, pull_request)) == DENIED


def test_a_missing_role_is_refused_as_access_denied(github: OIDCProvider) -> None:
    missing = f"arn:aws:iam::{ACCOUNT}:role/missing"

    assert aws_error(web_identity_call(missing, github.token(sub=GITHUB_SUB))) == DENIED


def test_a_role_arn_with_the_wrong_path_is_refused(sts_mock: MockSTS, github: OIDCProvider) -> None:
    sts_mock.create_role("deploy", github_trust(github.arn), path="/ci/")

    wrong = f"arn:aws:iam::{ACCOUNT}:role/deploy"
    assert aws_error(web_identity_call(wrong, github.token(sub=GITHUB_SUB))) == DENIED
    right = f"arn:aws:iam::{ACCOUNT}:role/ci/deploy"
    assert assume_with_web_identity(right, github.token(sub=GITHUB_SUB))["AssumedRoleUser"][
        "Arn"
    ] == (f"arn:aws:sts::{ACCOUNT}:assumed-role/deploy/web")


def test_an_arn_that_names_no_role_is_a_validation_error(github: OIDCProvider) -> None:
    token = github.token(sub=GITHUB_SUB)

    call = web_identity_call(f"arn:aws:iam::{ACCOUNT}:user/alice", token)
    assert aws_error(call) == ("ValidationError", "Request ARN is invalid", 400)


def test_a_role_arn_that_is_no_arn_is_echoed(github: OIDCProvider) -> None:
    call = web_identity_call("nothing-valid-in-here", github.token(sub=GITHUB_SUB))
    assert aws_error(call) == ("ValidationError", "nothing-valid-in-here is invalid", 400)


# ---------------------------------------------------------------------------------------
# EKS IRSA: a provider URL with a path, and the sub of a service account


def test_eks_provider_with_a_path(sts_mock: MockSTS) -> None:
    eks = sts_mock.oidc_provider(EKS)
    role = sts_mock.create_role(
        "payments-api",
        web_trust(
            eks.arn,
            {"StringEquals": {f"{EKS_HOST}:sub": POD_SUB, f"{EKS_HOST}:aud": "sts.amazonaws.com"}},
        ),
    )

    response = assume_with_web_identity(role.arn, eks.token(sub=POD_SUB), "botocore-session-1")
    assert response["Provider"] == f"arn:aws:iam::{ACCOUNT}:oidc-provider/{EKS_HOST}"
    assert response["SubjectFromWebIdentityToken"] == POD_SUB
    other_pod = eks.token(sub="system:serviceaccount:payments:worker")
    assert aws_error(web_identity_call(role.arn, other_pod)) == DENIED


def test_trailing_slash_is_part_of_the_provider(sts_mock: MockSTS) -> None:
    provider = sts_mock.oidc_provider("https://auth.example.com/")
    role = sts_mock.create_role(
        "slash", web_trust(provider.arn, {"StringEquals": {"auth.example.com/:sub": "u-1"}})
    )

    assert provider.arn == f"arn:aws:iam::{ACCOUNT}:oidc-provider/auth.example.com/"
    assert assume_with_web_identity(role.arn, provider.token(sub="u-1"))["Provider"] == provider.arn


def test_amr_and_azp_condition_keys(sts_mock: MockSTS) -> None:
    provider = sts_mock.oidc_provider("https://login.example.com", client_ids=["app"])
    condition = {
        "ForAnyValue:StringEquals": {"login.example.com:amr": "mfa"},
        "StringEquals": {"login.example.com:azp": "web-client"},
    }
    role = sts_mock.create_role("mfa-only", web_trust(provider.arn, condition))

    good = provider.token(sub="u-1", amr=["pwd", "mfa"], azp="web-client")
    assert assume_with_web_identity(role.arn, good)["Audience"] == "app"
    assert aws_error(web_identity_call(role.arn, provider.token(sub="u-1", amr="pwd"))) == DENIED
    no_azp = provider.token(sub="u-1", amr=["mfa"])
    assert aws_error(web_identity_call(role.arn, no_azp)) == DENIED


def test_one_issuer_serves_providers_of_several_accounts(sts_mock: MockSTS) -> None:
    ours = sts_mock.oidc_provider(GITHUB)
    theirs = sts_mock.oidc_provider(GITHUB, account_id="210987654321")
    role = sts_mock.create_role("gha", github_trust(theirs.arn), account_id="210987654321")

    assert ours.jwks == theirs.jwks
    response = assume_with_web_identity(role.arn, ours.token(sub=GITHUB_SUB))
    assert response["Provider"] == f"arn:aws:iam::210987654321:oidc-provider/{GITHUB_HOST}"


def test_the_provider_must_be_in_the_roles_account(sts_mock: MockSTS) -> None:
    github = sts_mock.oidc_provider(GITHUB)
    role = sts_mock.create_role(
        "gha", github_trust(github.arn.replace(ACCOUNT, "210987654321")), account_id="210987654321"
    )

    call = web_identity_call(role.arn, github.token(sub=GITHUB_SUB))
    assert aws_error(call) == no_provider(GITHUB)


def test_a_deleted_provider_no_longer_resolves(github: OIDCProvider, gha_role: Role) -> None:
    boto3.client("iam", region_name="us-east-1").delete_open_id_connect_provider(
        OpenIDConnectProviderArn=github.arn
    )

    assert aws_error(web_identity_call(gha_role.arn, github.token(sub=GITHUB_SUB))) == no_provider(
        GITHUB
    )


def test_a_removed_client_id_no_longer_matches(github: OIDCProvider, gha_role: Role) -> None:
    boto3.client("iam", region_name="us-east-1").remove_client_id_from_open_id_connect_provider(
        OpenIDConnectProviderArn=github.arn, ClientID="sts.amazonaws.com"
    )

    assert aws_error(web_identity_call(gha_role.arn, github.token(sub=GITHUB_SUB))) == BAD_AUDIENCE


def test_ec_signed_tokens(sts_mock: MockSTS) -> None:
    provider = sts_mock.oidc_provider("https://ec.example.com", algorithm="ES384")
    role = sts_mock.create_role("ec", web_trust(provider.arn))

    token = provider.token(sub="u-1")
    assert jwt.get_unverified_header(token)["alg"] == "ES384"
    assert provider.jwks["keys"][0]["crv"] == "P-384"
    assert assume_with_web_identity(role.arn, token)["SubjectFromWebIdentityToken"] == "u-1"


@pytest.mark.parametrize("algorithm", ["RS384", "RS512", "ES256", "ES512"])
def test_every_accepted_algorithm(sts_mock: MockSTS, algorithm: str) -> None:
    provider = sts_mock.oidc_provider("https://alg.example.com", algorithm=algorithm)
    role = sts_mock.create_role("alg", web_trust(provider.arn))

    assert (
        assume_with_web_identity(role.arn, provider.token(sub="u-1"))["SubjectFromWebIdentityToken"]
        == "u-1"
    )


# ---------------------------------------------------------------------------------------
# The pipeline's failures, in its order (§7.2)


def test_model_validation_comes_first(github: OIDCProvider, gha_role: Role) -> None:
    call = web_identity_call(gha_role.arn, github.token(sub=GITHUB_SUB), "bad name")

    assert aws_error(call) == (
        "ValidationError",
        "1 validation error detected: Value 'bad name' at 'roleSessionName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
        400,
    )


def test_duration_above_the_model_maximum(github: OIDCProvider, gha_role: Role) -> None:
    call = web_identity_call(gha_role.arn, github.token(sub=GITHUB_SUB), DurationSeconds=43201)

    assert aws_error(call) == (
        "ValidationError",
        "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy "
        "constraint: Member must have value less than or equal to 43200",
        400,
    )


def test_unknown_issuer(sts_mock: MockSTS, gha_role: Role) -> None:
    stranger = sts_mock.builtin_provider("accounts.google.com")
    token = stranger.token(sub="u-1", aud="x", iss="https://issuer.example.com")

    assert aws_error(web_identity_call(gha_role.arn, token)) == no_provider(
        "https://issuer.example.com"
    )


def test_issuer_must_match_exactly(github: OIDCProvider, gha_role: Role) -> None:
    for issuer in (f"{GITHUB}/", GITHUB_HOST, f"http://{GITHUB_HOST}", GITHUB.upper()):
        token = github.token(sub=GITHUB_SUB, iss=issuer)
        assert aws_error(web_identity_call(gha_role.arn, token)) == no_provider(issuer)


def test_token_without_issuer(github: OIDCProvider, gha_role: Role) -> None:
    token = github.token(sub=GITHUB_SUB, iss=None)

    call = web_identity_call(gha_role.arn, token)
    assert aws_error(call) == ("InvalidIdentityToken", "The ID Token has no iss claim.", 400)


@pytest.mark.parametrize("aud", ["sts.amazon.com", ["a", "b"], [], 42, [42]])
def test_incorrect_audience(github: OIDCProvider, gha_role: Role, aud: Any) -> None:
    assert aws_error(web_identity_call(gha_role.arn, github.token(sub=GITHUB_SUB, aud=aud))) == (
        BAD_AUDIENCE
    )


def test_provider_registered_without_keys(sts_mock: MockSTS) -> None:
    # An IAM provider whose issuer the mock does not run and whose keys no test added.
    iam = boto3.client("iam", region_name="us-east-1")
    arn = iam.create_open_id_connect_provider(
        Url="https://idp.example.com", ClientIDList=["sts.amazonaws.com"]
    )["OpenIDConnectProviderArn"]
    role = sts_mock.create_role("idp", web_trust(arn))
    impostor = sts_mock.oidc_provider("https://impostor.example.com")

    token = impostor.token(sub="u-1", iss="https://idp.example.com")
    assert aws_error(web_identity_call(role.arn, token)) == NO_KEY


@pytest.mark.parametrize(
    ("age", "outcome"),
    [(3600 + 299, "ok"), (3600 + 300, "ok"), (3600 + 301, "expired"), (7200, "expired")],
)
def test_expiry_with_five_minutes_of_skew(
    github: OIDCProvider, gha_role: Role, age: int, outcome: str
) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        token = github.token(sub=GITHUB_SUB)
        traveller.move_to(T0 + dt.timedelta(seconds=age))
        call = web_identity_call(gha_role.arn, token)
        if outcome == "ok":
            assert call()["SubjectFromWebIdentityToken"] == GITHUB_SUB
        else:
            assert aws_error(call) == expired(EPOCH_T0 + age, EPOCH_T0 + 3600)


def test_token_without_expiry(sts_mock: MockSTS) -> None:
    issuer = OwnIssuer(sts_mock)
    role = sts_mock.create_role("own", web_trust(issuer.arn))

    assert assume_with_web_identity(role.arn, issuer.token())["Provider"] == issuer.arn
    call = web_identity_call(role.arn, issuer.without("exp"))
    assert aws_error(call) == ("InvalidIdentityToken", "The ID Token has no exp claim.", 400)


def test_token_without_issuer_claim(sts_mock: MockSTS) -> None:
    issuer = OwnIssuer(sts_mock)
    role = sts_mock.create_role("own", web_trust(issuer.arn))

    call = web_identity_call(role.arn, issuer.without("iss"))
    assert aws_error(call) == ("InvalidIdentityToken", "The ID Token has no iss claim.", 400)


def test_iat_and_nbf_are_optional(sts_mock: MockSTS) -> None:
    issuer = OwnIssuer(sts_mock)
    role = sts_mock.create_role("own", web_trust(issuer.arn))

    assert (
        assume_with_web_identity(role.arn, issuer.without("iat"))["SubjectFromWebIdentityToken"]
        == "u-1"
    )


@pytest.mark.parametrize(("ahead", "outcome"), [(0, "ok"), (300, "ok"), (301, "refused")])
def test_not_before_with_five_minutes_of_skew(
    github: OIDCProvider, gha_role: Role, ahead: int, outcome: str
) -> None:
    with time_machine.travel(T0, tick=False):
        token = github.token(sub=GITHUB_SUB, nbf=EPOCH_T0 + ahead)
        call = web_identity_call(gha_role.arn, token)
        if outcome == "ok":
            assert call()["SubjectFromWebIdentityToken"] == GITHUB_SUB
        else:
            assert aws_error(call) == (
                "InvalidIdentityToken",
                f"Token not yet valid: current date/time {EPOCH_T0} must be after the "
                f"not-before date/time {EPOCH_T0 + ahead}",
                400,
            )


@pytest.mark.parametrize("claim", ["exp", "iat", "nbf"])
@pytest.mark.parametrize("value", [1.7e9, "1741953600", True, None, [1]])
def test_dates_must_be_integers(
    github: OIDCProvider, gha_role: Role, claim: str, value: Any
) -> None:
    # A null date is a present claim that is no integer either.
    token = github.token(sub=GITHUB_SUB, **{claim: value})

    assert aws_error(web_identity_call(gha_role.arn, token)) == not_integer(claim)


@pytest.mark.parametrize("sub", [None, "", 42, "x" * 256])
def test_subject_is_required(github: OIDCProvider, gha_role: Role, sub: Any) -> None:
    call = web_identity_call(gha_role.arn, github.token(sub=sub))

    assert aws_error(call) == (
        "InvalidIdentityToken",
        "The ID Token must have a sub claim of 1 to 255 characters.",
        400,
    )


def test_duration_within_the_roles_maximum(sts_mock: MockSTS, github: OIDCProvider) -> None:
    role = sts_mock.create_role("long", github_trust(github.arn), max_session_duration=7200)

    with time_machine.travel(T0, tick=False):
        response = assume_with_web_identity(
            role.arn, github.token(sub=GITHUB_SUB), DurationSeconds=7200
        )
        too_long = web_identity_call(role.arn, github.token(sub=GITHUB_SUB), DurationSeconds=7201)
        assert aws_error(too_long) == ROLE_DURATION

    assert response["Credentials"]["Expiration"] == T0 + dt.timedelta(seconds=7200)


def test_default_duration_above_a_short_role_maximum_is_not_possible(
    github: OIDCProvider, gha_role: Role
) -> None:
    with time_machine.travel(T0, tick=False):
        response = assume_with_web_identity(
            gha_role.arn, github.token(sub=GITHUB_SUB), DurationSeconds=900
        )

    assert response["Credentials"]["Expiration"] == T0 + dt.timedelta(seconds=900)
    assert (
        aws_error(
            web_identity_call(gha_role.arn, github.token(sub=GITHUB_SUB), DurationSeconds=3601)
        )
        == ROLE_DURATION
    )


def test_failures_change_nothing(sts_mock: MockSTS, github: OIDCProvider, gha_role: Role) -> None:
    calls = [
        web_identity_call(gha_role.arn, github.token(sub="repo:evil/app:ref:x")),
        web_identity_call(gha_role.arn, github.token(sub=GITHUB_SUB, aud="other")),
        web_identity_call(gha_role.arn, github.token(sub=GITHUB_SUB), DurationSeconds=7200),
        web_identity_call(gha_role.arn, github.token(sub=GITHUB_SUB), Policy="{"),
    ]
    for call in calls:
        with pytest.raises(ClientError):
            call()

    assert role_last_used(gha_role) == {}
    assert [c.status for c in sts_mock.calls if c.service == "sts"] == [403, 400, 400, 400]


def test_success_records_the_roles_last_use(github: OIDCProvider, gha_role: Role) -> None:
    with time_machine.travel(T0, tick=False):
        assume_with_web_identity(gha_role.arn, github.token(sub=GITHUB_SUB))

    assert role_last_used(gha_role) == {"LastUsedDate": T0, "Region": "us-east-1"}


# ---------------------------------------------------------------------------------------
# Session policies (§9.3)


def test_session_policy_narrows_the_session(sts_mock: MockSTS, github: OIDCProvider) -> None:
    role = sts_mock.create_role(
        "s3",
        github_trust(github.arn),
        policies={
            "s3": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
            }
        },
    )
    read_only = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
    }

    response = assume_with_web_identity(
        role.arn, github.token(sub=GITHUB_SUB), Policy=json.dumps(read_only)
    )
    credentials = _credentials(response)
    assert response["PackedPolicySize"] > 0
    assert sts_mock.evaluate(credentials, "s3:GetObject", "arn:aws:s3:::b/k").allowed
    assert not sts_mock.evaluate(credentials, "s3:PutObject", "arn:aws:s3:::b/k").allowed


def test_malformed_session_policy(github: OIDCProvider, gha_role: Role) -> None:
    call = web_identity_call(gha_role.arn, github.token(sub=GITHUB_SUB), Policy="{not json")

    # A session policy is an identity policy, read with IAM's texts (§6.1, §13.4).
    assert aws_error(call) == (
        "MalformedPolicyDocument",
        "Syntax errors in policy.",
        400,
    )


def test_session_policy_longer_than_2048(github: OIDCProvider, gha_role: Role) -> None:
    policy = json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
            "Id": "x" * 2048,
        }
    )

    code, message, status = aws_error(
        web_identity_call(gha_role.arn, github.token(sub=GITHUB_SUB), Policy=policy)
    )
    assert (code, status) == ("ValidationError", 400)
    assert message.endswith(
        "at 'policy' failed to satisfy constraint: Member must have length less than or "
        "equal to 2048"
    )


def _credentials(response: dict[str, Any]) -> Credentials:
    c = response["Credentials"]
    return Credentials(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"], c["Expiration"])


# ---------------------------------------------------------------------------------------
# Session tags and source identity from the token (§9.1, §9.2)

PRINCIPAL_TAGS = {
    "principal_tags": {"Project": ["Automation"], "CostCenter": ["987654"]},
    "transitive_tag_keys": ["Project"],
}


def test_tags_need_tag_session(sts_mock: MockSTS, github: OIDCProvider) -> None:
    without = sts_mock.create_role("no-tags", web_trust(github.arn))
    token = github.token(sub=GITHUB_SUB, **extra_claim(TAGS_CLAIM, PRINCIPAL_TAGS))

    assert aws_error(web_identity_call(without.arn, token)) == DENIED


def test_tags_become_principal_tags(sts_mock: MockSTS, github: OIDCProvider) -> None:
    project_only = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": "s3:*",
                "Resource": "*",
                "Condition": {"StringEquals": {"aws:PrincipalTag/Project": "Automation"}},
            }
        ],
    }
    role = sts_mock.create_role(
        "tagged",
        web_trust(github.arn, actions=TAG_SESSION),
        policies={"project": project_only},
        tags={"Project": "Overridden", "Team": "ci"},
    )
    token = github.token(sub=GITHUB_SUB, **extra_claim(TAGS_CLAIM, PRINCIPAL_TAGS))

    response = assume_with_web_identity(role.arn, token)
    assert response["PackedPolicySize"] > 0
    assert sts_mock.evaluate(_credentials(response), "s3:GetObject", "*").allowed


def test_transitive_tags_follow_a_chain(sts_mock: MockSTS, github: OIDCProvider) -> None:
    first = sts_mock.create_role("first", web_trust(github.arn, actions=TAG_SESSION))
    second = sts_mock.create_role(
        "second",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": first.arn},
                    "Action": ["sts:AssumeRole", "sts:TagSession"],
                    "Condition": {"StringEquals": {"aws:RequestTag/Project": "Automation"}},
                }
            ],
        },
    )
    token = github.token(sub=GITHUB_SUB, **extra_claim(TAGS_CLAIM, PRINCIPAL_TAGS))
    session = session_client(assume_with_web_identity(first.arn, token))

    chained = session.assume_role(RoleArn=second.arn, RoleSessionName="hop")
    assert chained["AssumedRoleUser"]["Arn"].endswith(":assumed-role/second/hop")


def test_tag_conditions_in_the_trust(sts_mock: MockSTS, github: OIDCProvider) -> None:
    role = sts_mock.create_role(
        "cost-center",
        web_trust(
            github.arn,
            {"StringEquals": {"aws:RequestTag/CostCenter": "987654"}},
            actions=TAG_SESSION,
        ),
    )
    good = github.token(sub=GITHUB_SUB, **extra_claim(TAGS_CLAIM, PRINCIPAL_TAGS))
    bad = github.token(
        sub=GITHUB_SUB, **extra_claim(TAGS_CLAIM, {"principal_tags": {"CostCenter": ["1"]}})
    )

    assert assume_with_web_identity(role.arn, good)["SubjectFromWebIdentityToken"] == GITHUB_SUB
    assert aws_error(web_identity_call(role.arn, bad)) == DENIED


@pytest.mark.parametrize(
    "claim",
    [
        "Project=Automation",
        {"principal_tags": ["Project"]},
        {"principal_tags": {"Project": "Automation"}},
        {"principal_tags": {"Project": ["a", "b"]}},
        {"principal_tags": {"Project": [1]}},
        {"principal_tags": {}, "transitive_tag_keys": "Project"},
        {"principal_tags": {"Project": ["a"]}, "transitive_tag_keys": [1]},
    ],
)
def test_malformed_tags_claim(sts_mock: MockSTS, github: OIDCProvider, claim: Any) -> None:
    role = sts_mock.create_role("tags", web_trust(github.arn, actions=TAG_SESSION))
    token = github.token(sub=GITHUB_SUB, **extra_claim(TAGS_CLAIM, claim))

    assert aws_error(web_identity_call(role.arn, token)) == (
        "InvalidIdentityToken",
        f"The {TAGS_CLAIM} claim must hold principal_tags, an object of one-element string "
        "arrays, and transitive_tag_keys, an array of strings.",
        400,
    )


@pytest.mark.parametrize(
    ("key", "value"),
    [("aws:Project", "x"), ("Pro ject!", "x"), ("k" * 129, "x"), ("Project", "v" * 257)],
)
def test_invalid_session_tag(sts_mock: MockSTS, github: OIDCProvider, key: str, value: str) -> None:
    role = sts_mock.create_role("tags", web_trust(github.arn, actions=TAG_SESSION))
    token = github.token(
        sub=GITHUB_SUB, **extra_claim(TAGS_CLAIM, {"principal_tags": {key: [value]}})
    )

    assert aws_error(web_identity_call(role.arn, token)) == (
        "InvalidIdentityToken",
        f"Invalid session tag: {key}",
        400,
    )


def test_duplicate_session_tags(sts_mock: MockSTS, github: OIDCProvider) -> None:
    role = sts_mock.create_role("tags", web_trust(github.arn, actions=TAG_SESSION))
    claim = {"principal_tags": {"Project": ["a"], "project": ["b"]}}

    assert aws_error(
        web_identity_call(role.arn, github.token(sub="u-1", **extra_claim(TAGS_CLAIM, claim)))
    ) == (
        "InvalidIdentityToken",
        "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
        400,
    )


def test_too_many_session_tags(sts_mock: MockSTS, github: OIDCProvider) -> None:
    role = sts_mock.create_role("tags", web_trust(github.arn, actions=TAG_SESSION))
    claim = {"principal_tags": {f"k{i}": ["v"] for i in range(51)}}

    assert aws_error(
        web_identity_call(role.arn, github.token(sub="u-1", **extra_claim(TAGS_CLAIM, claim)))
    ) == (
        "InvalidIdentityToken",
        "A token may carry at most 50 session tags.",
        400,
    )


def test_transitive_key_that_is_no_tag(sts_mock: MockSTS, github: OIDCProvider) -> None:
    role = sts_mock.create_role("tags", web_trust(github.arn, actions=TAG_SESSION))
    claim = {"principal_tags": {"Project": ["a"]}, "transitive_tag_keys": ["Team"]}

    assert aws_error(
        web_identity_call(role.arn, github.token(sub="u-1", **extra_claim(TAGS_CLAIM, claim)))
    ) == (
        "InvalidIdentityToken",
        "Transitive tag keys must be keys of the session tags.",
        400,
    )


def test_source_identity_claim(sts_mock: MockSTS, github: OIDCProvider) -> None:
    role = sts_mock.create_role(
        "audited",
        web_trust(
            github.arn,
            {"StringEquals": {"sts:SourceIdentity": "octocat"}},
            actions=[ACTION, "sts:SetSourceIdentity"],
        ),
    )
    token = github.token(sub=GITHUB_SUB, **extra_claim(SOURCE_IDENTITY_CLAIM, "octocat"))

    response = assume_with_web_identity(role.arn, token)
    assert response["SourceIdentity"] == "octocat"
    assert "PackedPolicySize" not in response


def test_source_identity_needs_set_source_identity(github: OIDCProvider, gha_role: Role) -> None:
    token = github.token(sub=GITHUB_SUB, **extra_claim(SOURCE_IDENTITY_CLAIM, "octocat"))

    assert aws_error(web_identity_call(gha_role.arn, token)) == DENIED


@pytest.mark.parametrize("value", ["a", "x" * 65, "aws:me", "has space", 42])
def test_invalid_source_identity(sts_mock: MockSTS, github: OIDCProvider, value: Any) -> None:
    role = sts_mock.create_role(
        "audited", web_trust(github.arn, actions=[ACTION, "sts:SetSourceIdentity"])
    )
    token = github.token(sub=GITHUB_SUB, **extra_claim(SOURCE_IDENTITY_CLAIM, value))

    assert aws_error(web_identity_call(role.arn, token)) == (
        "InvalidIdentityToken",
        'Source Identity must match [a-zA-Z_0-9+=,.@-]{2,64} and not begin with "aws:"',
        400,
    )


def test_the_session_keeps_the_provider_keys(sts_mock: MockSTS, github: OIDCProvider) -> None:
    # Later requests of the session carry <provider>:sub and aws:FederatedProvider [D].
    first = sts_mock.create_role("first", web_trust(github.arn))
    second = sts_mock.create_role(
        "second",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"AWS": first.arn},
                    "Action": "sts:AssumeRole",
                    "Condition": {
                        "StringLike": {f"{GITHUB_HOST}:sub": "repo:octo/app:*"},
                        "StringEquals": {"aws:FederatedProvider": github.arn},
                    },
                }
            ],
        },
    )

    octo = session_client(assume_with_web_identity(first.arn, github.token(sub=GITHUB_SUB)))
    assert octo.assume_role(RoleArn=second.arn, RoleSessionName="hop")["AssumedRoleUser"]
    evil = session_client(
        assume_with_web_identity(first.arn, github.token(sub="repo:evil/app:ref:x"))
    )
    with pytest.raises(ClientError) as refused:
        evil.assume_role(RoleArn=second.arn, RoleSessionName="hop")
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


# ---------------------------------------------------------------------------------------
# Built-in providers: Google, Cognito, Facebook, Login with Amazon (§6.4, §7.3)


def test_google_tokens_use_azp_as_the_audience(sts_mock: MockSTS) -> None:
    google = sts_mock.builtin_provider("accounts.google.com")
    role = sts_mock.create_role(
        "google",
        web_trust(
            "accounts.google.com",
            {
                "StringEquals": {
                    "accounts.google.com:aud": "web-client.apps.googleusercontent.com",
                    "accounts.google.com:oaud": "backend-client",
                    "accounts.google.com:sub": "110169484474386276334",
                }
            },
        ),
    )
    token = google.token(
        sub="110169484474386276334",
        aud="backend-client",
        azp="web-client.apps.googleusercontent.com",
    )

    response = assume_with_web_identity(role.arn, token)
    assert response["Provider"] == "accounts.google.com"
    assert response["Audience"] == "web-client.apps.googleusercontent.com"
    assert google.arn == "accounts.google.com"


def test_google_with_several_audiences(sts_mock: MockSTS) -> None:
    google = sts_mock.builtin_provider("accounts.google.com")
    condition = {
        "StringEquals": {
            "accounts.google.com:aud": "web-client",
            "accounts.google.com:oaud": "backend",
        }
    }
    role = sts_mock.create_role("google", web_trust("accounts.google.com", condition))

    token = google.token(sub="1", aud=["backend", "other"], azp="web-client")
    assert assume_with_web_identity(role.arn, token)["Audience"] == "web-client"


def test_google_without_azp(sts_mock: MockSTS) -> None:
    google = sts_mock.builtin_provider("accounts.google.com")
    role = sts_mock.create_role(
        "google",
        web_trust(
            "accounts.google.com",
            {
                "StringEquals": {
                    "accounts.google.com:aud": "client",
                    "accounts.google.com:oaud": "client",
                }
            },
        ),
    )

    assert (
        assume_with_web_identity(role.arn, google.token(sub="1", aud="client"))["Audience"]
        == "client"
    )
    # Google's tokens may name the issuer without its scheme.
    bare = google.token(sub="1", aud="client", iss="accounts.google.com")
    assert assume_with_web_identity(role.arn, bare)["Provider"] == "accounts.google.com"


def test_google_needs_an_audience(sts_mock: MockSTS) -> None:
    google = sts_mock.builtin_provider("accounts.google.com")
    role = sts_mock.create_role("google", web_trust("accounts.google.com"))

    with pytest.raises(ValueError, match="pass aud"):
        google.token(sub="1")
    assert aws_error(web_identity_call(role.arn, google.token(sub="1", aud=[]))) == BAD_AUDIENCE


def test_cognito_identity_pool_tokens(sts_mock: MockSTS) -> None:
    cognito = sts_mock.builtin_provider("cognito-identity.amazonaws.com")
    pool = "us-east-1:12345678-1234-1234-1234-123456789012"
    role = sts_mock.create_role(
        "cognito-authenticated",
        web_trust(
            "cognito-identity.amazonaws.com",
            {
                "StringEquals": {"cognito-identity.amazonaws.com:aud": pool},
                "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "authenticated"},
            },
        ),
    )
    identity_id = "us-east-1:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"

    signed_in = cognito.token(
        sub=identity_id, aud=pool, amr=["authenticated", "graph.facebook.com"]
    )
    response = assume_with_web_identity(role.arn, signed_in)
    assert response["Provider"] == "cognito-identity.amazonaws.com"
    assert response["Audience"] == pool
    assert response["SubjectFromWebIdentityToken"] == identity_id
    guest = cognito.token(sub=identity_id, aud=pool, amr=["unauthenticated"])
    assert aws_error(web_identity_call(role.arn, guest)) == DENIED


def test_builtin_provider_is_not_trusted_without_its_keys(sts_mock: MockSTS) -> None:
    stranger = sts_mock.oidc_provider("https://stranger.example.com")
    role = sts_mock.create_role("google", web_trust("accounts.google.com"))

    token = stranger.token(sub="1", iss="https://accounts.google.com")
    assert aws_error(web_identity_call(role.arn, token)) == NO_KEY


@pytest.mark.parametrize(
    ("provider", "user_key"), [("graph.facebook.com", "id"), ("www.amazon.com", "user_id")]
)
def test_oauth_access_tokens_with_provider_id(
    sts_mock: MockSTS, provider: str, user_key: str
) -> None:
    role = sts_mock.create_role(
        "social",
        web_trust(
            provider,
            {"StringEquals": {f"{provider}:app_id": "app-1", f"{provider}:{user_key}": "user-1"}},
        ),
    )
    token = sts_mock.web_access_token(provider, user_id="user-1", app_id="app-1")

    response = assume_with_web_identity(role.arn, token, ProviderId=provider)
    assert response["Provider"] == provider
    assert response["Audience"] == "app-1"
    assert response["SubjectFromWebIdentityToken"] == "user-1"
    other_user = sts_mock.web_access_token(provider, user_id="user-2", app_id="app-1")
    assert aws_error(web_identity_call(role.arn, other_user, ProviderId=provider)) == DENIED


def idp_rejected(provider: str) -> tuple[str, str, int]:
    return (
        "IDPRejectedClaim",
        f"{provider}: {provider} responded with HTTP/1.1 400 Bad Request",
        403,
    )


def test_unknown_access_token_is_rejected_by_the_idp(sts_mock: MockSTS) -> None:
    role = sts_mock.create_role("fb", web_trust("graph.facebook.com"))

    call = web_identity_call(role.arn, "EAAGnot-a-real-token", ProviderId="graph.facebook.com")
    assert aws_error(call) == idp_rejected("graph.facebook.com")


def test_access_token_of_another_provider_is_rejected(sts_mock: MockSTS) -> None:
    role = sts_mock.create_role("amazon", web_trust("www.amazon.com"))
    token = sts_mock.web_access_token("graph.facebook.com", user_id="u", app_id="a")

    call = web_identity_call(role.arn, token, ProviderId="www.amazon.com")
    assert aws_error(call) == idp_rejected("www.amazon.com")


def test_expired_access_token_is_rejected(sts_mock: MockSTS) -> None:
    role = sts_mock.create_role("fb", web_trust("graph.facebook.com"))

    with time_machine.travel(T0, tick=False) as traveller:
        token = sts_mock.web_access_token("graph.facebook.com", user_id="u", app_id="a")
        traveller.move_to(T0 + dt.timedelta(hours=1))
        call = web_identity_call(role.arn, token, ProviderId="graph.facebook.com")
        assert aws_error(call) == idp_rejected("graph.facebook.com")


def test_provider_id_for_an_id_token(
    sts_mock: MockSTS, github: OIDCProvider, gha_role: Role
) -> None:
    call = web_identity_call(gha_role.arn, github.token(sub=GITHUB_SUB), ProviderId=GITHUB_HOST)

    assert aws_error(call) == (
        "InvalidIdentityToken",
        f"ProviderId {GITHUB_HOST} is not supported: only www.amazon.com and "
        "graph.facebook.com access tokens take a ProviderId.",
        400,
    )


# ---------------------------------------------------------------------------------------
# Issuers the test runs itself: add_jwks


def test_add_jwks_trusts_a_key_the_test_holds(sts_mock: MockSTS) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    iam = boto3.client("iam", region_name="us-east-1")
    arn = iam.create_open_id_connect_provider(
        Url="https://auth.mycorp.example", ClientIDList=["my-app"]
    )["OpenIDConnectProviderArn"]
    role = sts_mock.create_role("mycorp", web_trust(arn))
    claims = {
        "iss": "https://auth.mycorp.example",
        "aud": "my-app",
        "sub": "employee-7",
        "iat": int(dt.datetime.now(dt.timezone.utc).timestamp()),
        "exp": int(dt.datetime.now(dt.timezone.utc).timestamp()) + 600,
    }
    token = jwt.encode(claims, key, "RS256", {"kid": "k1"})

    assert aws_error(web_identity_call(role.arn, token)) == NO_KEY
    sts_mock.add_jwks("https://auth.mycorp.example", {"keys": [{**public, "kid": "k1"}]})
    assert assume_with_web_identity(role.arn, token)["Provider"] == arn
    # The document may come as JSON text, and a key of the same kid replaces the old one.
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rotated = jwt.algorithms.RSAAlgorithm.to_jwk(other.public_key(), as_dict=True)
    sts_mock.add_jwks(
        "https://auth.mycorp.example", json.dumps({"keys": [{**rotated, "kid": "k1"}]})
    )
    assert aws_error(web_identity_call(role.arn, token)) == (
        "InvalidIdentityToken",
        "The ID Token's signature could not be verified.",
        400,
    )
    assert assume_with_web_identity(role.arn, jwt.encode(claims, other, "RS256", {"kid": "k1"}))[
        "Audience"
    ] == ("my-app")


def test_add_jwks_without_kid_tries_every_key(sts_mock: MockSTS) -> None:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key(), as_dict=True)
    boto3.client("iam", region_name="us-east-1").create_open_id_connect_provider(
        Url="https://nokid.example", ClientIDList=["a"]
    )
    role = sts_mock.create_role(
        "nokid", web_trust(f"arn:aws:iam::{ACCOUNT}:oidc-provider/nokid.example")
    )
    moment = int(dt.datetime.now(dt.timezone.utc).timestamp())
    claims = {"iss": "https://nokid.example", "aud": "a", "sub": "u-1", "exp": moment + 60}
    sts_mock.add_jwks("https://nokid.example", {"keys": [public]})
    sts_mock.add_jwks("https://nokid.example", {"keys": [public]})

    assert assume_with_web_identity(role.arn, jwt.encode(claims, key, "RS256"))[
        "SubjectFromWebIdentityToken"
    ] == ("u-1")


@pytest.mark.parametrize(
    ("url", "jwks", "message"),
    [
        ("auth.example.com", {"keys": []}, "issuer_url must be the issuer's https:// URL"),
        (None, {"keys": []}, "issuer_url must be the issuer's https:// URL"),
        ("https://a.example", "{not json", "jwks is not valid JSON"),
        ("https://a.example", {"key": []}, "jwks must be a JWKS document"),
        ("https://a.example", {"keys": ["x"]}, "jwks must be a JWKS document"),
        ("https://a.example", {"keys": [{"kty": "oct", "k": "c2VjcmV0"}]}, "cannot verify"),
        ("https://a.example", {"keys": [{"kty": "RSA", "alg": "HS256"}]}, "cannot verify"),
        ("https://a.example", {"keys": [{"kty": "RSA", "n": "AQAB"}]}, "pyjwt cannot read"),
    ],
)
def test_add_jwks_misuse(sts_mock: MockSTS, url: Any, jwks: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        sts_mock.add_jwks(url, jwks)


def test_add_jwks_refuses_weak_keys(sts_mock: MockSTS) -> None:
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    public = jwt.algorithms.RSAAlgorithm.to_jwk(weak.public_key(), as_dict=True)

    with pytest.raises(ValueError, match="too weak"):
        sts_mock.add_jwks("https://weak.example", {"keys": [public]})


# ---------------------------------------------------------------------------------------
# The fake issuers and the handle


def test_fake_issuer_documents(github: OIDCProvider) -> None:
    (key,) = github.jwks["keys"]
    assert key["kty"] == "RSA"
    assert key["alg"] == "RS256"
    assert key["use"] == "sig"
    assert github.discovery_document == {
        "issuer": GITHUB,
        "jwks_uri": f"{GITHUB}/.well-known/jwks",
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "claims_supported": ["aud", "exp", "iat", "iss", "sub"],
    }
    token = github.token(sub=GITHUB_SUB, repository="octo/app")
    verified = jwt.decode(
        token,
        jwt.PyJWK(key).key,
        ["RS256"],
        audience="sts.amazonaws.com",
        issuer=GITHUB,
    )
    assert verified["sub"] == GITHUB_SUB
    assert verified["repository"] == "octo/app"
    assert jwt.get_unverified_header(token)["kid"] == key["kid"]


def test_token_defaults(github: OIDCProvider) -> None:
    with time_machine.travel(T0, tick=False):
        token = github.token(sub="s", expires_in=60, nbf=T0)

    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims == {
        "iss": GITHUB,
        "sub": "s",
        "aud": "sts.amazonaws.com",
        "iat": EPOCH_T0,
        "exp": EPOCH_T0 + 60,
        "nbf": EPOCH_T0,
    }


def test_distinct_issuers_have_distinct_keys(sts_mock: MockSTS) -> None:
    first = sts_mock.oidc_provider("https://one.example.com")
    second = sts_mock.oidc_provider("https://two.example.com")
    google = sts_mock.builtin_provider("accounts.google.com")
    again = sts_mock.builtin_provider("accounts.google.com")

    kids = {p.jwks["keys"][0]["kid"] for p in (first, second, google)}
    assert len(kids) == 3
    assert again.jwks == google.jwks


def test_one_issuer_with_two_algorithms(sts_mock: MockSTS) -> None:
    rs256 = sts_mock.oidc_provider(GITHUB)
    rs512 = sts_mock.oidc_provider(GITHUB, account_id="210987654321", algorithm="RS512")
    again = sts_mock.oidc_provider(GITHUB, account_id="111111111111", algorithm="RS512")
    role = sts_mock.create_role("gha", github_trust(rs256.arn))

    assert rs256.jwks != rs512.jwks
    assert again.jwks == rs512.jwks
    for provider in (rs256, rs512):
        assert (
            assume_with_web_identity(role.arn, provider.token(sub=GITHUB_SUB))["Provider"]
            == rs256.arn
        )


def test_keys_are_reused_by_the_next_mock() -> None:
    from mock_sts import mock_sts

    with mock_sts() as first:
        kid = first.oidc_provider(GITHUB).jwks["keys"][0]["kid"]
    with mock_sts() as second:
        assert second.oidc_provider(GITHUB).jwks["keys"][0]["kid"] == kid


def test_same_url_twice_in_one_account(sts_mock: MockSTS, github: OIDCProvider) -> None:
    with pytest.raises(ClientError) as error:
        sts_mock.oidc_provider(GITHUB)

    assert error.value.response["Error"]["Code"] == "EntityAlreadyExists"


def test_handle_validates_its_arguments(sts_mock: MockSTS) -> None:
    with pytest.raises(TypeError, match="not a string"):
        sts_mock.oidc_provider(GITHUB, client_ids="sts.amazonaws.com")
    with pytest.raises(TypeError, match="url must be"):
        sts_mock.oidc_provider(b"https://x.example")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="algorithm must be one of"):
        sts_mock.oidc_provider(GITHUB, algorithm="HS256")
    with pytest.raises(ValueError, match="algorithm must be one of"):
        sts_mock.builtin_provider("accounts.google.com", algorithm="none")
    with pytest.raises(ValueError, match="web_access_token"):
        sts_mock.builtin_provider("graph.facebook.com")
    with pytest.raises(ValueError, match="provider_id must be one of"):
        sts_mock.web_access_token("accounts.google.com", user_id="u", app_id="a")
    with pytest.raises(ClientError):
        sts_mock.oidc_provider("http://insecure.example.com")
    provider = sts_mock.oidc_provider("https://noclients.example.com", client_ids=())
    with pytest.raises(ValueError, match="pass aud"):
        provider.token(sub="u")
    assert "_issuer" not in repr(provider)


def test_failed_provider_registration_trusts_no_key(sts_mock: MockSTS) -> None:
    with pytest.raises(ClientError):
        sts_mock.oidc_provider("https://bad.example.com:8443")

    iam = boto3.client("iam", region_name="us-east-1")
    assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []


def test_handle_needs_an_active_mock() -> None:
    from mock_sts import MockSTS

    inactive = MockSTS()
    with pytest.raises(RuntimeError, match="not active"):
        inactive.oidc_provider(GITHUB)


def test_unsigned_client_in_another_region(github: OIDCProvider, gha_role: Role) -> None:
    response = unsigned_sts("eu-west-1").assume_role_with_web_identity(
        RoleArn=gha_role.arn, RoleSessionName="eu", WebIdentityToken=github.token(sub=GITHUB_SUB)
    )

    assert response["AssumedRoleUser"]["Arn"].endswith("/eu")
