"""``MockSTS.evaluate`` decides as the request would: for AssumeRole and the actions it
brings on a role, the role's trust policy too; a role acting as itself has its tags."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_sts import Credentials, MockSTS, OIDCProvider
from tests.helpers import sts_client
from tests.helpers.assume_role import (
    ACCOUNT,
    ALICE_ACCOUNT,
    ALLOW_ASSUME,
    allow,
    assumed,
    create_role,
    document,
    role_arn,
    statement,
    tag_list,
    trust,
)
from tests.helpers.web_identity import GITHUB_HOST, GITHUB_SUB, web_identity_call, web_trust

ROLE = role_arn("deployer")
ALICE = f"arn:aws:iam::{ACCOUNT}:user/alice"
ACCOUNT_ROOT = f"arn:aws:iam::{ACCOUNT}:root"
TEAM_A = {"StringEquals": {"aws:PrincipalTag/team": "a"}}

# Each case makes a caller and a role (or not) and gives the caller's credentials.
Setup = Callable[[MockSTS], Credentials]


def _alice(sts_mock: MockSTS, **options: Any) -> Credentials:
    return sts_mock.create_user("alice", **options).credentials


def trusted_by_name(sts_mock: MockSTS) -> Credentials:
    credentials = _alice(sts_mock)
    create_role(sts_mock, "deployer", trust(ALICE))
    return credentials


def trusted_by_account_without_identity(sts_mock: MockSTS) -> Credentials:
    credentials = _alice(sts_mock)
    create_role(sts_mock, "deployer", trust(ACCOUNT_ROOT))
    return credentials


def trusted_by_account_with_identity(sts_mock: MockSTS) -> Credentials:
    credentials = _alice(sts_mock, policies={"assume": ALLOW_ASSUME})
    create_role(sts_mock, "deployer", trust(ACCOUNT_ROOT))
    return credentials


def trusting_someone_else(sts_mock: MockSTS) -> Credentials:
    credentials = _alice(sts_mock, policies={"assume": ALLOW_ASSUME})
    sts_mock.create_user("bob")
    create_role(sts_mock, "deployer", trust(f"arn:aws:iam::{ACCOUNT}:user/bob"))
    return credentials


def explicitly_denied(sts_mock: MockSTS) -> Credentials:
    deny = document(statement("sts:AssumeRole", effect="Deny"))
    credentials = _alice(sts_mock, policies={"deny": deny})
    create_role(sts_mock, "deployer", trust(ALICE))
    return credentials


def no_such_role(sts_mock: MockSTS) -> Credentials:
    return _alice(sts_mock, policies={"assume": ALLOW_ASSUME})


def cross_account(sts_mock: MockSTS) -> Credentials:
    carol = sts_mock.create_user(
        "carol", account_id=ALICE_ACCOUNT, policies={"assume": ALLOW_ASSUME}
    )
    create_role(sts_mock, "deployer", trust(f"arn:aws:iam::{ALICE_ACCOUNT}:root"))
    return carol.credentials


def tagged_for_the_condition(sts_mock: MockSTS) -> Credentials:
    credentials = _alice(sts_mock, tags={"team": "a"})
    create_role(sts_mock, "deployer", trust(ALICE, condition=TEAM_A))
    return credentials


def tagged_against_the_condition(sts_mock: MockSTS) -> Credentials:
    credentials = _alice(sts_mock, tags={"team": "b"})
    create_role(sts_mock, "deployer", trust(ALICE, condition=TEAM_A))
    return credentials


def the_root_user(sts_mock: MockSTS) -> Credentials:
    create_role(sts_mock, "deployer", trust(ACCOUNT_ROOT))
    return sts_mock.root_credentials()


def a_role_session_chaining(sts_mock: MockSTS) -> Credentials:
    alice = _alice(sts_mock)
    create_role(sts_mock, "runner", trust(ALICE), policies={"assume": ALLOW_ASSUME})
    create_role(sts_mock, "deployer", trust(role_arn("runner")))
    return assumed(alice, role_arn("runner"), "chain")


def a_session_carrying_tags(sts_mock: MockSTS) -> Credentials:
    """A chained session with transitive tags: the next AssumeRole also does TagSession."""
    alice = _alice(sts_mock, policies={"all": allow("sts:*")})
    both = ["sts:AssumeRole", "sts:TagSession"]
    create_role(sts_mock, "runner", trust(ALICE, actions=both), policies={"all": allow("sts:*")})
    runner = role_arn("runner")
    create_role(sts_mock, "deployer", trust(runner))
    return assumed(alice, runner, "chain", Tags=tag_list(team="a"), TransitiveTagKeys=["team"])


CASES: list[tuple[Setup, bool]] = [
    (trusted_by_name, True),
    (trusted_by_account_without_identity, False),
    (trusted_by_account_with_identity, True),
    (trusting_someone_else, False),
    (explicitly_denied, False),
    (no_such_role, False),
    (cross_account, True),
    (tagged_for_the_condition, True),
    (tagged_against_the_condition, False),
    (the_root_user, False),
    (a_role_session_chaining, True),
    (a_session_carrying_tags, False),
]


def assume_role_succeeds(credentials: Credentials, arn: str, **params: Any) -> bool:
    """Whether the real AssumeRole succeeds; a failure must be a refusal."""
    try:
        sts_client(credentials).assume_role(RoleArn=arn, RoleSessionName="probe", **params)
    except ClientError as error:
        code = error.response["Error"]["Code"]
    else:
        return True
    assert code == "AccessDenied"
    return False


@pytest.mark.parametrize(("setup", "allowed"), CASES, ids=[case.__name__ for case, _ in CASES])
def test_evaluate_agrees_with_assume_role(sts_mock: MockSTS, setup: Setup, allowed: bool) -> None:
    credentials = setup(sts_mock)

    decision = sts_mock.evaluate(credentials, "sts:AssumeRole", ROLE)

    assert decision.allowed is allowed
    assert assume_role_succeeds(credentials, ROLE) is allowed
    assert (decision.encoded_message is None) is allowed


def test_a_denial_says_why_as_the_call_does(sts_mock: MockSTS) -> None:
    credentials = trusting_someone_else(sts_mock)

    decision = sts_mock.evaluate(credentials, "sts:AssumeRole", ROLE)

    assert not assume_role_succeeds(credentials, ROLE)
    reason = "the trust policy of role deployer: no statement names user/alice"
    assert decision.reason == reason
    assert sts_mock.calls[-1].checks[0].reason == reason


@pytest.mark.parametrize(
    ("principal", "reason"),
    [
        ("root", "an account's root user may not assume roles"),
        ("missing", f"no role named deployer in {ACCOUNT}"),
    ],
)
def test_reasons_no_policy_gives(sts_mock: MockSTS, principal: str, reason: str) -> None:
    credentials = the_root_user(sts_mock) if principal == "root" else no_such_role(sts_mock)

    assert sts_mock.evaluate(credentials, "sts:assumerole", ROLE).reason == reason


def test_session_tags_and_source_identity_in_the_context(sts_mock: MockSTS) -> None:
    credentials = trusted_by_name(sts_mock)
    tags = {"aws:TagKeys": ["team"], "aws:RequestTag/team": "a"}

    for context, params in (
        (tags, {"Tags": tag_list(team="a")}),
        ({"sts:SourceIdentity": "me"}, {"SourceIdentity": "me"}),
    ):
        decision = sts_mock.evaluate(credentials, "sts:AssumeRole", ROLE, context)
        assert not decision.allowed
        assert not assume_role_succeeds(credentials, ROLE, **params)
    assert not sts_mock.evaluate(credentials, "sts:TagSession", ROLE).allowed
    assert sts_mock.evaluate(credentials, "sts:AssumeRole", ROLE).allowed


def test_companion_actions_the_trust_policy_allows(sts_mock: MockSTS) -> None:
    credentials = _alice(sts_mock)
    actions = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
    create_role(sts_mock, "deployer", trust(ALICE, actions=actions))
    context = {"aws:TagKeys": ["team"], "aws:RequestTag/team": "a", "sts:SourceIdentity": "me"}

    decision = sts_mock.evaluate(credentials, "sts:AssumeRole", ROLE, context)

    assert decision.allowed
    assert decision.reason == "allowed by the trust policy of role deployer"
    params = {"Tags": tag_list(team="a"), "SourceIdentity": "me"}
    assert assume_role_succeeds(credentials, ROLE, **params)


def test_other_resources_are_decided_by_the_identity_side_alone(sts_mock: MockSTS) -> None:
    credentials = _alice(sts_mock, policies={"assume": ALLOW_ASSUME})

    assert sts_mock.evaluate(credentials, "sts:AssumeRole", "*").allowed
    assert sts_mock.evaluate(credentials, "sts:AssumeRole", f"{ROLE}/").allowed


def test_a_role_itself_has_its_tags_as_principal_tags(sts_mock: MockSTS) -> None:
    alice = _alice(sts_mock)
    by_team = document(statement("s3:GetObject", condition=TEAM_A))
    role = sts_mock.create_role(
        "deployer", trust(ALICE), policies={"by-team": by_team}, tags={"team": "a"}
    )
    session = assumed(alice, role.arn)

    assert sts_mock.evaluate(session, "s3:GetObject", "*").allowed
    assert sts_mock.evaluate(role.arn, "s3:GetObject", "*").allowed
    # Tags given in the context stand for a request's own.
    assert not sts_mock.evaluate(
        role.arn, "s3:GetObject", "*", {"aws:PrincipalTag/team": "b"}
    ).allowed


@pytest.mark.parametrize(
    ("sub", "allowed"),
    [(GITHUB_SUB, True), ("repo:evil/app:ref:refs/heads/main", False)],
)
def test_evaluate_agrees_with_assume_role_with_web_identity(
    sts_mock: MockSTS, github: OIDCProvider, sub: str, allowed: bool
) -> None:
    condition = {"StringLike": {f"{GITHUB_HOST}:sub": "repo:octo/app:*"}}
    sts_mock.create_role("deployer", web_trust(github.arn, condition))
    context = {f"{GITHUB_HOST}:sub": sub, f"{GITHUB_HOST}:aud": "sts.amazonaws.com"}

    decision = sts_mock.evaluate(github.arn, "sts:AssumeRoleWithWebIdentity", ROLE, context)

    assert decision.allowed is allowed
    try:
        web_identity_call(ROLE, github.token(sub))()
    except ClientError:
        succeeded = False
    else:
        succeeded = True
    assert succeeded is allowed


def test_a_provider_for_a_missing_role(sts_mock: MockSTS, github: OIDCProvider) -> None:
    decision = sts_mock.evaluate(github.arn, "sts:AssumeRoleWithWebIdentity", ROLE)

    assert (decision.allowed, decision.reason) == (False, f"no role named deployer in {ACCOUNT}")


def test_a_built_in_provider_is_a_principal_too(sts_mock: MockSTS) -> None:
    sts_mock.create_role("deployer", web_trust("accounts.google.com"))

    decision = sts_mock.evaluate("accounts.google.com", "sts:AssumeRoleWithWebIdentity", ROLE, {})

    assert decision.allowed
