"""Every STS and IAM call records the checks it was decided on and, when refused, why, in
words a person can act on; AWS's own error texts stay as AWS writes them."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mock_sts import Call, Check, MockSTS, OIDCProvider
from mock_sts._policy import PolicyKind, Principal, Request, parse_policy
from mock_sts._policy._decide import Grant, decide
from tests.helpers import aws_error, client, sts_client
from tests.helpers.assume_role import (
    ACCOUNT,
    ALLOW_ASSUME,
    allow,
    assume_call,
    assumed,
    create_role,
    denied,
    document,
    role_arn,
    session_token_of,
    statement,
    tag_list,
    trust,
)
from tests.helpers.web_identity import (
    BAD_AUDIENCE,
    BAD_SIGNATURE,
    DENIED,
    GITHUB,
    GITHUB_HOST,
    GITHUB_SUB,
    web_identity_call,
    web_trust,
)

ALICE = f"arn:aws:iam::{ACCOUNT}:user/alice"
ROLE = role_arn("deployer")
IDENTITY_GRANT = "allowed by inline policy 'assume' of user alice"
TRUST = "the trust policy of role deployer"


def last_call(sts_mock: MockSTS) -> Call:
    return sts_mock.calls[-1]


def alice_with_assume(sts_mock: MockSTS) -> Any:
    return sts_mock.create_user("alice", policies={"assume": ALLOW_ASSUME})


# ---------------------------------------------------------------------------------------
# AssumeRole


def test_an_allowed_assume_role_records_both_sides_of_its_decision(sts_mock: MockSTS) -> None:
    alice = alice_with_assume(sts_mock)
    create_role(sts_mock, "deployer", trust(f"arn:aws:iam::{ACCOUNT}:root"))

    assumed(alice.credentials, ROLE)

    reason = f"{IDENTITY_GRANT} and by {TRUST}"
    call = last_call(sts_mock)
    assert (call.checks, call.allowed, call.reason) == (
        (Check("sts:AssumeRole", ROLE, True, reason),),
        True,
        reason,
    )
    assert call.actions == ("sts:AssumeRole",)


def test_a_trust_policy_naming_the_user_grants_alone(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "deployer", trust(ALICE))

    assumed(alice.credentials, ROLE)

    assert last_call(sts_mock).reason == f"allowed by {TRUST}"


def test_a_missing_role_is_named_in_the_reason_not_in_the_error(sts_mock: MockSTS) -> None:
    alice = alice_with_assume(sts_mock)
    create_role(sts_mock, "deployer", trust(ALICE))
    missing = role_arn("deploye")

    assert aws_error(assume_call(alice.credentials, missing)) == denied(ALICE, missing)
    reason = f"no role named deploye in {ACCOUNT}"
    call = last_call(sts_mock)
    assert (call.checks, call.allowed, call.reason) == (
        (Check("sts:AssumeRole", missing, False, reason),),
        False,
        f"sts:AssumeRole on {missing}: {reason}",
    )
    assert sts_mock.denials[-1] == call


def test_a_role_arn_with_another_path_names_the_role_that_exists(sts_mock: MockSTS) -> None:
    alice = alice_with_assume(sts_mock)
    create_role(sts_mock, "deployer", trust(ALICE), Path="/ci/")

    assert aws_error(assume_call(alice.credentials, ROLE)) == denied(ALICE, ROLE)
    assert last_call(sts_mock).reason == (
        f"sts:AssumeRole on {ROLE}: no role {ROLE}: the role named deployer in {ACCOUNT} is "
        f"{role_arn('deployer', path='/ci/')}"
    )


def test_a_trust_policy_that_names_someone_else(sts_mock: MockSTS) -> None:
    sts_mock.create_user("admin2")
    alice = alice_with_assume(sts_mock)
    create_role(sts_mock, "deployer", trust(f"arn:aws:iam::{ACCOUNT}:user/admin2"))

    assert aws_error(assume_call(alice.credentials, ROLE)) == denied(ALICE, ROLE)
    reason = f"{TRUST}: no statement names user/alice"
    assert last_call(sts_mock).checks == (Check("sts:AssumeRole", ROLE, False, reason),)
    assert last_call(sts_mock).reason == f"sts:AssumeRole on {ROLE}: {reason}"


def test_a_caller_of_another_account_is_named_by_its_whole_arn(sts_mock: MockSTS) -> None:
    sts_mock.create_user("alice")
    other = sts_mock.create_user("carol", account_id="111111111111")
    create_role(sts_mock, "deployer", trust(ALICE))

    aws_error(assume_call(other.credentials, ROLE))

    assert last_call(sts_mock).checks[0].reason == (
        f"{TRUST}: no statement names arn:aws:iam::111111111111:user/carol"
    )


def test_a_trust_policy_that_allows_another_action(sts_mock: MockSTS) -> None:
    alice = alice_with_assume(sts_mock)
    create_role(sts_mock, "deployer", trust(ALICE, actions="sts:TagSession"))

    aws_error(assume_call(alice.credentials, ROLE))

    assert last_call(sts_mock).checks[0].reason == (
        f"{TRUST}: no statement allows sts:AssumeRole for {ALICE}"
    )


def test_a_failed_condition_says_what_was_expected_and_what_came(sts_mock: MockSTS) -> None:
    alice = alice_with_assume(sts_mock)
    condition = {"StringEquals": {"sts:ExternalId": "x-123"}}
    create_role(sts_mock, "deployer", trust(ALICE, condition=condition))

    aws_error(assume_call(alice.credentials, ROLE))
    aws_error(assume_call(alice.credentials, ROLE, ExternalId="y-456"))

    failed = "condition StringEquals sts:ExternalId failed: expected 'x-123'"
    reasons = [call.checks[0].reason for call in sts_mock.calls[-2:]]
    assert reasons == [f"{TRUST}: {failed}, got none", f"{TRUST}: {failed}, got 'y-456'"]


def test_a_condition_of_several_values_on_a_multivalued_key(sts_mock: MockSTS) -> None:
    alice = alice_with_assume(sts_mock)
    condition = {"ForAllValues:StringEquals": {"aws:TagKeys": ["team", "env"]}}
    create_role(
        sts_mock,
        "deployer",
        trust(ALICE, actions=["sts:AssumeRole", "sts:TagSession"], condition=condition),
    )

    aws_error(assume_call(alice.credentials, ROLE, Tags=tag_list(cost="1", owner="me")))

    assert last_call(sts_mock).checks[0].reason == (
        f"{TRUST}: condition ForAllValues:StringEquals aws:TagKeys failed: expected one of "
        "'team', 'env', got ['cost', 'owner']"
    )


def test_session_tags_are_a_check_of_their_own(sts_mock: MockSTS) -> None:
    alice = alice_with_assume(sts_mock)
    create_role(sts_mock, "deployer", trust(ALICE))

    assert aws_error(assume_call(alice.credentials, ROLE, Tags=tag_list(team="a"))) == denied(
        ALICE, ROLE, "sts:TagSession"
    )
    call = last_call(sts_mock)
    assert call.checks == (
        Check("sts:AssumeRole", ROLE, True, f"allowed by {TRUST}"),
        Check(
            "sts:TagSession",
            ROLE,
            False,
            f"{TRUST}: no statement allows sts:TagSession for {ALICE}",
        ),
    )
    assert call.reason == f"sts:TagSession on {ROLE}: {call.checks[1].reason}"


def test_an_explicit_deny_names_its_statement(sts_mock: MockSTS) -> None:
    stop = {**statement("sts:AssumeRole", effect="Deny"), "Sid": "Stop"}
    alice = sts_mock.create_user("alice", policies={"assume": ALLOW_ASSUME, "no": document(stop)})
    create_role(sts_mock, "deployer", trust(ALICE))

    aws_error(assume_call(alice.credentials, ROLE))

    assert last_call(sts_mock).checks[0].reason == (
        "explicitly denied by inline policy 'no' of user alice (statement Stop)"
    )


def test_the_identity_side_says_which_condition_stopped_it(sts_mock: MockSTS) -> None:
    guarded = statement(
        "sts:AssumeRole", condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}
    )
    alice = sts_mock.create_user(
        "alice", policies={"other": allow("s3:*"), "mfa": document(guarded)}
    )
    create_role(sts_mock, "deployer", trust(f"arn:aws:iam::{ACCOUNT}:root"))

    aws_error(assume_call(alice.credentials, ROLE))

    assert last_call(sts_mock).checks[0].reason == (
        "no identity-based policy allows sts:AssumeRole (inline policy 'mfa' of user alice: "
        "condition Bool aws:MultiFactorAuthPresent failed: expected 'true', got none)"
    )


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        ("root", "an account's root user may not assume roles"),
        ("federated", "federated users may not assume roles"),
    ],
)
def test_callers_no_role_admits(sts_mock: MockSTS, make: str, reason: str) -> None:
    alice = sts_mock.create_user("alice", policies={"all": allow("*")})
    if make == "root":
        credentials: Any = sts_mock.root_credentials()
    else:
        issued = sts_client(alice.credentials).get_federation_token(
            Name="fed", Policy=json.dumps(allow("*"))
        )
        credentials = issued["Credentials"]
    create_role(sts_mock, "deployer", trust(ALICE))

    aws_error(lambda: client("sts", credentials).assume_role(RoleArn=ROLE, RoleSessionName="ss"))

    call = last_call(sts_mock)
    assert (call.checks, call.allowed, call.reason) == ((), False, reason)


def test_a_failure_after_the_decision_is_still_an_authorized_call(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "deployer", trust(ALICE))

    aws_error(assume_call(alice.credentials, ROLE, DurationSeconds=7200))

    call = last_call(sts_mock)
    assert (call.error_code, call.allowed, call.reason) == (
        "ValidationError",
        True,
        f"allowed by {TRUST}",
    )


# ---------------------------------------------------------------------------------------
# Other STS operations


def test_session_credentials_where_long_term_keys_are_needed(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    session = session_token_of(alice.credentials)

    aws_error(lambda: sts_client(session).get_federation_token(Name="fed"))

    assert last_call(sts_mock).reason == (
        "GetFederationToken needs long-term keys, not temporary credentials"
    )


def test_get_session_token_credentials_in_sts(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"all": allow("*")})
    session = session_token_of(alice.credentials)
    sts = sts_client(session)

    aws_error(lambda: sts.get_access_key_info(AccessKeyId=alice.credentials.access_key_id))
    assert last_call(sts_mock).reason == (
        "GetSessionToken credentials may not call sts:GetAccessKeyInfo"
    )
    aws_error(lambda: sts.get_web_identity_token(Audience=["a"], SigningAlgorithm="RS256"))
    assert last_call(sts_mock).reason == (
        "GetSessionToken credentials may not call sts:GetWebIdentityToken"
    )


def test_a_fourth_scope_down_layer(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "deployer", trust(ALICE), policies={"all": allow("*")})
    credentials: Any = assumed(alice.credentials, ROLE)
    policy = json.dumps(allow("*"))
    for _ in range(3):
        credentials = sts_client(credentials).get_scoped_credentials(Policy=policy)["Credentials"]

    aws_error(lambda: sts_client(credentials).get_scoped_credentials(Policy=policy))

    assert last_call(sts_mock).reason == "a session has at most 3 scope-down policies"


# ---------------------------------------------------------------------------------------
# IAM


def test_iam_calls_record_the_gate_decision(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    iam = client("iam", alice.credentials)

    aws_error(lambda: iam.create_user(UserName="bob"))

    bob = f"arn:aws:iam::{ACCOUNT}:user/bob"
    reason = "no identity-based policy allows iam:CreateUser"
    call = last_call(sts_mock)
    assert (call.checks, call.allowed, call.reason) == (
        (Check("iam:CreateUser", bob, False, reason),),
        False,
        f"iam:CreateUser on {bob}: {reason}",
    )


def test_iam_refuses_federated_users_and_sessions_without_mfa(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"all": allow("*")})
    federated = sts_client(alice.credentials).get_federation_token(
        Name="fed", Policy=json.dumps(allow("*"))
    )
    session = session_token_of(alice.credentials)

    aws_error(client("iam", federated["Credentials"]).list_users)
    assert last_call(sts_mock).reason == (
        "federated users may not call IAM, whatever their policies allow"
    )
    aws_error(client("iam", session).list_users)
    assert last_call(sts_mock).reason == (
        "GetSessionToken credentials without MFA may not call IAM"
    )


# ---------------------------------------------------------------------------------------
# Credentials the request is signed with


def test_refused_credentials_say_why(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"all": allow("*")})
    keys = {
        "AccessKeyId": alice.credentials.access_key_id,
        "SecretAccessKey": alice.credentials.secret_access_key,
    }
    iam = client("iam", alice.credentials)
    inactive = iam.create_access_key()["AccessKey"]
    iam.update_access_key(AccessKeyId=inactive["AccessKeyId"], Status="Inactive")
    session = sts_client(alice.credentials).get_session_token()["Credentials"]
    iam.delete_access_key(AccessKeyId=inactive["AccessKeyId"])
    deleted = inactive["AccessKeyId"]
    inactive = iam.create_access_key()["AccessKey"]
    iam.update_access_key(AccessKeyId=inactive["AccessKeyId"], Status="Inactive")

    cases = [
        (inactive, f"the access key {inactive['AccessKeyId']} is inactive"),
        ({**keys, "AccessKeyId": deleted}, f"the access key {deleted} was deleted"),
        ({**keys, "SessionToken": "x"}, "a session token was sent with long-term keys"),
        (
            {**session, "SessionToken": "forged"},
            "the session token is missing or is not the one issued with the key",
        ),
        (
            {**keys, "SecretAccessKey": "wrong"},
            "the signature is refused: The request signature we calculated does not match the "
            "signature you provided. Check your AWS Secret Access Key and signing method. "
            "Consult the service documentation for details.",
        ),
    ]
    for credentials, reason in cases:
        aws_error(client("sts", credentials).get_caller_identity)
        call = last_call(sts_mock)
        assert (call.allowed, call.reason) == (False, reason)


def test_a_global_version_1_token_in_an_opt_in_region(
    sts_mock: MockSTS, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy")
    credentials = client("sts").get_session_token()["Credentials"]

    aws_error(client("sts", credentials, region="ap-east-1").get_caller_identity)

    assert last_call(sts_mock).reason == (
        "a version 1 token of the global endpoint is not valid in ap-east-1"
    )


def test_a_region_the_account_deactivated(sts_mock: MockSTS) -> None:
    sts_mock.deactivate_region("eu-west-1")

    aws_error(client("sts", region="eu-west-1").get_caller_identity)

    assert last_call(sts_mock).reason == f"STS is deactivated in eu-west-1 for account {ACCOUNT}"


# ---------------------------------------------------------------------------------------
# Web identity


@pytest.fixture
def pipeline(sts_mock: MockSTS, github: OIDCProvider) -> str:
    condition = {"StringLike": {f"{GITHUB_HOST}:sub": "repo:octo/app:*"}}
    sts_mock.create_role("deployer", web_trust(github.arn, condition))
    return ROLE


def test_an_allowed_web_identity_call(
    sts_mock: MockSTS, github: OIDCProvider, pipeline: str
) -> None:
    web_identity_call(pipeline, github.token(GITHUB_SUB))()

    reason = f"allowed by {TRUST}"
    call = last_call(sts_mock)
    assert (call.checks, call.allowed, call.reason) == (
        (Check("sts:AssumeRoleWithWebIdentity", ROLE, True, reason),),
        True,
        reason,
    )


def test_a_web_identity_the_trust_policy_refuses(
    sts_mock: MockSTS, github: OIDCProvider, pipeline: str
) -> None:
    assert aws_error(web_identity_call(pipeline, github.token("repo:evil/app:x"))) == DENIED

    assert last_call(sts_mock).reason == (
        f"sts:AssumeRoleWithWebIdentity on {ROLE}: {TRUST}: condition StringLike "
        f"{GITHUB_HOST}:sub failed: expected 'repo:octo/app:*', got 'repo:evil/app:x'"
    )


def test_a_web_identity_for_a_missing_role(sts_mock: MockSTS, github: OIDCProvider) -> None:
    assert aws_error(web_identity_call(ROLE, github.token(GITHUB_SUB))) == DENIED

    assert last_call(sts_mock).reason == (
        f"sts:AssumeRoleWithWebIdentity on {ROLE}: no role named deployer in {ACCOUNT}"
    )


def test_tokens_that_do_not_verify(sts_mock: MockSTS, github: OIDCProvider, pipeline: str) -> None:
    forged = github.token(GITHUB_SUB).rsplit(".", 1)[0] + ".c2lnbmF0dXJl"

    assert aws_error(web_identity_call(pipeline, forged)) == BAD_SIGNATURE
    assert last_call(sts_mock).reason == (
        f"the token's signature does not verify against the JWKS of {GITHUB}"
    )
    assert aws_error(web_identity_call(pipeline, github.token(GITHUB_SUB, aud="x"))) == (
        BAD_AUDIENCE
    )
    assert last_call(sts_mock).reason == "audience 'x' is not one of the provider's client ids"
    assert not last_call(sts_mock).allowed


# ---------------------------------------------------------------------------------------
# The policy engine's explanations


def policy(kind: PolicyKind, *statements: dict[str, Any]) -> Any:
    return parse_policy(json.dumps(document(*statements)), kind)


USER = Principal(account=ACCOUNT, arn=ALICE)


def test_explain_a_statement_with_a_resource_that_does_not_match() -> None:
    identity = policy(PolicyKind.IDENTITY, statement("s3:GetObject", "arn:aws:s3:::a/*"))

    assert identity.explain(Request("s3:GetObject", "arn:aws:s3:::b/k", USER)) == (
        "no statement allows s3:GetObject on arn:aws:s3:::b/k"
    )
    assert identity.explain(Request("s3:GetObject", None, USER)) == (
        "no statement allows s3:GetObject on no resource"
    )
    assert identity.explain(Request("s3:PutObject", "arn:aws:s3:::a/k", USER)) == (
        "no statement allows s3:PutObject"
    )


def test_explain_a_policy_without_allow_statements() -> None:
    only_deny = policy(PolicyKind.IDENTITY, statement("s3:PutObject", effect="Deny"))

    assert only_deny.explain(Request("s3:GetObject", "*", USER)) == (
        "no statement allows s3:GetObject"
    )
    assert only_deny.failed_conditions(Request("s3:GetObject", "*", USER)) == ()


def test_explain_trust_statements_to_callers_they_do_not_name() -> None:
    trusting = policy(
        PolicyKind.TRUST, statement("sts:AssumeRole", principal={"Service": "ec2.amazonaws.com"})
    )
    lambda_service = Principal(account="", arn="", service="lambda.amazonaws.com")

    assert trusting.explain(Request("sts:AssumeRole", ROLE, None)) == (
        "no statement names an anonymous caller"
    )
    assert trusting.explain(Request("sts:AssumeRole", ROLE, lambda_service)) == (
        "no statement names lambda.amazonaws.com"
    )
    web = policy(
        PolicyKind.TRUST,
        statement("sts:AssumeRoleWithWebIdentity", principal={"Service": "ec2.amazonaws.com"}),
    )
    ec2 = Principal(account="", arn="", service="ec2.amazonaws.com")
    assert web.explain(Request("sts:AssumeRole", ROLE, ec2)) == (
        "no statement allows sts:AssumeRole for ec2.amazonaws.com"
    )
    anyone = policy(PolicyKind.TRUST, statement("sts:TagSession", principal="*"))
    assert anyone.explain(Request("sts:AssumeRole", ROLE, None)) == (
        "no statement names an anonymous caller"
    )


def test_the_identity_side_looks_past_policies_with_no_near_miss() -> None:
    unrelated = ("unrelated", policy(PolicyKind.IDENTITY, statement("s3:*")))
    guarded = (
        "guarded",
        policy(
            PolicyKind.IDENTITY,
            statement("sts:AssumeRole", condition={"StringEquals": {"aws:username": "bob"}}),
        ),
    )
    request = Request("sts:AssumeRole", ROLE, USER, {"aws:username": "alice"})

    assert decide(request, Grant(identity=[unrelated, guarded])).reason == (
        "no identity-based policy allows sts:AssumeRole (guarded: condition StringEquals "
        "aws:username failed: expected 'bob', got 'alice')"
    )
    assert decide(request, Grant(identity=[unrelated])).reason == (
        "no identity-based policy allows sts:AssumeRole"
    )


def test_a_statement_that_applies_is_no_miss() -> None:
    granting = policy(PolicyKind.IDENTITY, statement("s3:GetObject"))

    assert granting.failed_conditions(Request("s3:GetObject", "*", USER)) == ()
