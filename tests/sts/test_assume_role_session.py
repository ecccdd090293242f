"""AssumeRole sessions through real boto3 clients: what the response and the new session carry.

Expected values are AWS's (STS_REFERENCE.md §4.1, §5.3, §5.4, §9 with MFA, Appendix A.3).
Where AWS's text for an error is undocumented (§11.4) the tests pin mock_sts's wording, named
as such.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import TYPE_CHECKING, Any

import boto3
import pytest
import time_machine
from botocore.config import Config

from tests.helpers import aws_error, caller_identity, sts_client
from tests.helpers.assume_role import (
    ACCOUNT,
    ALICE_ACCOUNT,
    ALLOW_ASSUME,
    ALLOW_STS,
    CHAINED_DURATION,
    EXPIRED_TOKEN,
    MFA_BAD_CODE,
    MFA_UNKNOWN_DEVICE,
    ROLE_ACCOUNT,
    ROLE_DURATION,
    S3_ONLY,
    T0,
    allow,
    assume,
    assume_call,
    assumed,
    code_outside_window,
    conditional_role,
    create_policy,
    create_role,
    credentials_of,
    denied,
    document,
    iam_client,
    role_arn,
    session_arn,
    session_token_of,
    statement,
    tag_list,
    trust,
    with_mfa,
)

if TYPE_CHECKING:
    from mock_sts import Credentials, MockSTS, User

TAGGING = ["sts:AssumeRole", "sts:TagSession"]
SOURCE_IDENTITY = ["sts:AssumeRole", "sts:SetSourceIdentity"]
EVERYTHING = ["sts:AssumeRole", "sts:TagSession", "sts:SetSourceIdentity"]
# AWS's answer, recorded (§12.3), as the other two tag conflicts below.
DUPLICATE_TAGS = (
    "InvalidParameterValue",
    "Duplicate tag keys found. Please note that Tag keys are case insensitive.",
    400,
)


def later(seconds: int) -> dt.datetime:
    return T0 + dt.timedelta(seconds=seconds)


def principal_tag_role(sts_mock: MockSTS, name: str, principal: str, **tags: str | None) -> str:
    """A role whose trust requires the caller's principal tags to be ``tags`` (None: absent)."""
    condition: dict[str, Any] = {}
    for key, value in tags.items():
        if value is None:
            condition.setdefault("Null", {})[f"aws:PrincipalTag/{key}"] = "true"
        else:
            condition.setdefault("StringEquals", {})[f"aws:PrincipalTag/{key}"] = value
    create_role(sts_mock, name, trust(principal, actions=TAGGING, condition=condition))
    return role_arn(name)


# ---------------------------------------------------------------------------------------
# Appendix A.3: chaining with transitive tags

R1, R2, R3 = role_arn("r1"), role_arn("r2"), role_arn("r3")
S1 = session_arn("r1", "s1")
S2 = session_arn("r2", "s2")


def bob_session_s1(sts_mock: MockSTS, r1_policy: dict[str, Any] | None = None) -> Credentials:
    """Step 1: bob assumes r1 with team=red (transitive) and env=dev."""
    bob = sts_mock.create_user("bob")
    create_role(
        sts_mock,
        "r1",
        trust(bob.arn, actions=TAGGING),
        policies={"identity": r1_policy or ALLOW_STS},
        Tags=tag_list(owner="r1"),
    )
    response = assume(
        bob.credentials,
        R1,
        "s1",
        Tags=tag_list(team="red", env="dev"),
        TransitiveTagKeys=["team"],
    )
    return credentials_of(response)


def test_a3_r2_trust_without_tag_session_refuses_inherited_tags(sts_mock: MockSTS) -> None:
    s1 = bob_session_s1(sts_mock)
    create_role(sts_mock, "r2", trust(R1))

    assert aws_error(assume_call(s1, R2, "s2")) == denied(S1, R2, "sts:TagSession")


def test_a3_r2_trust_with_tag_session_accepts_inherited_tags(sts_mock: MockSTS) -> None:
    s1 = bob_session_s1(sts_mock)
    create_role(sts_mock, "r2", trust(R1, actions=TAGGING), Tags=tag_list(owner="r2"))
    # S2: team=red (transitive, inherited), r2's own tags; not env, not r1's tags.
    checks = principal_tag_role(sts_mock, "check", R2, team="red", owner="r2", env=None)

    response = assume(s1, R2, "s2")

    assert response["AssumedRoleUser"]["Arn"] == S2
    # Inherited tags were not passed: nothing was packed.
    assert "PackedPolicySize" not in response
    assert assume(credentials_of(response), checks)


def test_a3_duration_omitted_in_the_chain_is_an_hour(sts_mock: MockSTS) -> None:
    with time_machine.travel(T0, tick=False):
        s1 = bob_session_s1(sts_mock)
        create_role(sts_mock, "r2", trust(R1, actions=TAGGING), MaxSessionDuration=43200)
        response = assume(s1, R2, "s2")

    assert response["Credentials"]["Expiration"] == later(3600)


def test_a3_account_trust_needs_tag_session_in_s1s_identity_policy(sts_mock: MockSTS) -> None:
    s1 = bob_session_s1(sts_mock, r1_policy=ALLOW_ASSUME)
    create_role(sts_mock, "r2", trust(ACCOUNT, actions=TAGGING))

    assert aws_error(assume_call(s1, R2, "s2")) == denied(S1, R2, "sts:TagSession")
    iam_client(sts_mock).put_role_policy(
        RoleName="r1",
        PolicyName="identity",
        PolicyDocument=json.dumps(allow(["sts:AssumeRole", "sts:TagSession"], R2)),
    )
    assert assume(s1, R2, "s2")["AssumedRoleUser"]["Arn"] == S2


def test_a3_account_trust_needs_assume_role_in_s1s_identity_policy(sts_mock: MockSTS) -> None:
    s1 = bob_session_s1(sts_mock, r1_policy=allow("sts:TagSession"))
    create_role(sts_mock, "r2", trust(ACCOUNT, actions=TAGGING))

    assert aws_error(assume_call(s1, R2, "s2")) == denied(S1, R2)


def test_a3_7200_seconds_in_the_chain(sts_mock: MockSTS) -> None:
    s1 = bob_session_s1(sts_mock)
    create_role(sts_mock, "r2", trust(R1, actions=TAGGING), MaxSessionDuration=43200)

    assert aws_error(assume_call(s1, R2, "s2", DurationSeconds=7200)) == CHAINED_DURATION


def a3_session_s2(sts_mock: MockSTS) -> Credentials:
    s1 = bob_session_s1(sts_mock)
    create_role(sts_mock, "r2", trust(R1, actions=TAGGING), policies={"identity": ALLOW_STS})
    create_role(sts_mock, "r3", trust(R2, actions=TAGGING))
    return assumed(s1, R2, "s2")


INHERITED_KEY_PASSED = (
    "InvalidParameterValue",
    "One of the specified transitive tag keys can't be set because it conflicts with a "
    "transitive tag key from the calling session.",
    400,
)


@pytest.mark.parametrize("key", ["Team", "team", "TEAM"])
def test_a3_tag_colliding_with_an_inherited_transitive_key(sts_mock: MockSTS, key: str) -> None:
    s2 = a3_session_s2(sts_mock)

    call = assume_call(s2, R3, "s3", Tags=[{"Key": key, "Value": "blue"}])
    assert aws_error(call) == INHERITED_KEY_PASSED


def test_a3_other_tags_may_be_added_in_the_chain(sts_mock: MockSTS) -> None:
    s2 = a3_session_s2(sts_mock)

    s3 = assumed(s2, R3, "s3", Tags=tag_list(stage="three"))

    checks = principal_tag_role(sts_mock, "check", R3, team="red", stage="three")
    assert assume(s3, checks)


def test_a3_transitive_tags_reach_every_later_session(sts_mock: MockSTS) -> None:
    s2 = a3_session_s2(sts_mock)
    create_role(sts_mock, "r3b", trust(R2, actions=TAGGING), policies={"identity": ALLOW_STS})
    s3 = assumed(s2, role_arn("r3b"), "s3")

    checks = principal_tag_role(sts_mock, "check", role_arn("r3b"), team="red", env=None)
    assert assume(s3, checks)


def test_inherited_transitive_tag_replaces_the_roles_resource_tag(sts_mock: MockSTS) -> None:
    s1 = bob_session_s1(sts_mock)
    create_role(
        sts_mock,
        "r2",
        trust(R1, actions=TAGGING, condition={"StringEquals": {"aws:ResourceTag/team": "red"}}),
        Tags=tag_list(team="blue"),
    )

    assert assume(s1, R2, "s2")["AssumedRoleUser"]["Arn"] == S2


# ---------------------------------------------------------------------------------------
# The response (§4.1, §5.3)


def cross_account_deployer(sts_mock: MockSTS, **role: Any) -> tuple[User, dict[str, Any]]:
    alice = sts_mock.create_user("alice", account_id=ALICE_ACCOUNT, policies={"a": ALLOW_STS})
    created = create_role(
        sts_mock, "deployer", trust(alice.arn, actions=EVERYTHING), account_id=ROLE_ACCOUNT, **role
    )
    return alice, created


def test_assumed_role_user_of_a_role_with_a_path_in_another_account(sts_mock: MockSTS) -> None:
    alice, created = cross_account_deployer(sts_mock, Path="/team/deploy/")
    arn = "arn:aws:iam::222222222222:role/team/deploy/deployer"

    response = assume(alice.credentials, arn, "ci-run-42")

    assert created["RoleId"].startswith("AROA")
    assert response["AssumedRoleUser"] == {
        "AssumedRoleId": f"{created['RoleId']}:ci-run-42",
        "Arn": "arn:aws:sts::222222222222:assumed-role/deployer/ci-run-42",
    }
    assert caller_identity(sts_client(credentials_of(response))) == {
        "UserId": f"{created['RoleId']}:ci-run-42",
        "Account": ROLE_ACCOUNT,
        "Arn": "arn:aws:sts::222222222222:assumed-role/deployer/ci-run-42",
    }


def test_credentials_have_aws_shapes(sts_mock: MockSTS) -> None:
    alice, _ = cross_account_deployer(sts_mock)

    issued = assume(alice.credentials, role_arn("deployer", ROLE_ACCOUNT))["Credentials"]

    assert re.fullmatch(r"ASIA[A-Z2-7]{16}", issued["AccessKeyId"])
    assert re.fullmatch(r"[A-Za-z0-9+/]{40}", issued["SecretAccessKey"])
    assert issued["SessionToken"]
    # The key id encodes the role's account (§5.2).
    assert sts_client().get_access_key_info(AccessKeyId=issued["AccessKeyId"])["Account"] == (
        ROLE_ACCOUNT
    )


def test_each_assume_role_issues_new_credentials(sts_mock: MockSTS) -> None:
    alice, _ = cross_account_deployer(sts_mock)
    arn = role_arn("deployer", ROLE_ACCOUNT)

    first = assume(alice.credentials, arn, "same")["Credentials"]
    second = assume(alice.credentials, arn, "same")["Credentials"]

    assert first["AccessKeyId"] != second["AccessKeyId"]
    assert first["SessionToken"] != second["SessionToken"]


@pytest.mark.parametrize("seconds", [900, 3600, 3601, 7200, 43200])
def test_expiration_is_now_plus_the_duration(sts_mock: MockSTS, seconds: int) -> None:
    alice, _ = cross_account_deployer(sts_mock, MaxSessionDuration=43200)

    with time_machine.travel(T0, tick=False):
        response = assume(
            alice.credentials, role_arn("deployer", ROLE_ACCOUNT), DurationSeconds=seconds
        )

    assert response["Credentials"]["Expiration"] == later(seconds)


def test_default_duration_is_an_hour_even_for_longer_roles(sts_mock: MockSTS) -> None:
    alice, _ = cross_account_deployer(sts_mock, MaxSessionDuration=43200)

    with time_machine.travel(T0, tick=False):
        response = assume(alice.credentials, role_arn("deployer", ROLE_ACCOUNT))

    assert response["Credentials"]["Expiration"] == later(3600)


@pytest.mark.parametrize(("maximum", "requested"), [(3600, 3601), (7200, 7201), (3600, 43200)])
def test_duration_above_the_roles_maximum(sts_mock: MockSTS, maximum: int, requested: int) -> None:
    alice, _ = cross_account_deployer(sts_mock, MaxSessionDuration=maximum)

    call = assume_call(
        alice.credentials, role_arn("deployer", ROLE_ACCOUNT), DurationSeconds=requested
    )
    assert aws_error(call) == ROLE_DURATION


def test_duration_above_the_model_maximum(sts_mock: MockSTS) -> None:
    alice, _ = cross_account_deployer(sts_mock, MaxSessionDuration=43200)

    call = assume_call(alice.credentials, role_arn("deployer", ROLE_ACCOUNT), DurationSeconds=43201)
    assert aws_error(call) == (
        "ValidationError",
        "1 validation error detected: Value '43201' at 'durationSeconds' failed to satisfy "
        "constraint: Member must have value less than or equal to 43200",
        400,
    )


def test_duration_below_the_minimum_is_refused_by_the_server_too(sts_mock: MockSTS) -> None:
    alice, _ = cross_account_deployer(sts_mock)
    client = boto3.client(
        "sts",
        region_name="us-east-1",
        config=Config(parameter_validation=False),
        **alice.credentials.as_boto3(),
    )

    def call() -> Any:
        return client.assume_role(
            RoleArn=role_arn("deployer", ROLE_ACCOUNT), RoleSessionName="short", DurationSeconds=899
        )

    assert aws_error(call) == (
        "ValidationError",
        "1 validation error detected: Value '899' at 'durationSeconds' failed to satisfy "
        "constraint: Member must have value greater than or equal to 900",
        400,
    )


def test_role_session_name_pattern(sts_mock: MockSTS) -> None:
    alice, _ = cross_account_deployer(sts_mock)

    call = assume_call(alice.credentials, role_arn("deployer", ROLE_ACCOUNT), "dependabot[bot]")
    assert aws_error(call) == (
        "ValidationError",
        "1 validation error detected: Value 'dependabot[bot]' at 'roleSessionName' failed to "
        "satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
        400,
    )


def test_packed_policy_size_only_when_policies_or_tags_were_passed(sts_mock: MockSTS) -> None:
    alice, _ = cross_account_deployer(sts_mock)
    arn = role_arn("deployer", ROLE_ACCOUNT)
    s3_read = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"

    assert "PackedPolicySize" not in assume(alice.credentials, arn)
    assert "PackedPolicySize" not in assume(alice.credentials, arn, ExternalId="x-123")
    for params in (
        {"Policy": json.dumps(S3_ONLY)},
        {"PolicyArns": [{"arn": s3_read}]},
        {"Tags": tag_list(team="red")},
        {"Tags": tag_list(team="red"), "TransitiveTagKeys": ["team"]},
    ):
        size = assume(alice.credentials, arn, **params)["PackedPolicySize"]
        assert 1 <= size <= 100


def test_transitive_status_does_not_change_the_packed_size(sts_mock: MockSTS) -> None:
    alice, _ = cross_account_deployer(sts_mock)
    arn = role_arn("deployer", ROLE_ACCOUNT)
    tags = tag_list(team="red", project="pegasus-with-a-long-value", env="dev")

    plain = assume(alice.credentials, arn, Tags=tags)["PackedPolicySize"]
    transitive = assume(alice.credentials, arn, Tags=tags, TransitiveTagKeys=["team", "env"])

    assert transitive["PackedPolicySize"] == plain


def test_packed_policy_size_is_what_the_estimate_says(sts_mock: MockSTS) -> None:
    alice, _ = cross_account_deployer(sts_mock)
    seen: list[tuple[Any, ...]] = []

    def estimate(policy: str | None, arns: Any, tags: Any) -> int:
        seen.append((policy, list(arns), dict(tags)))
        return 8

    sts_mock.packed_policy_size = estimate
    text = json.dumps(S3_ONLY)
    s3_read = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    response = assume(
        alice.credentials,
        role_arn("deployer", ROLE_ACCOUNT),
        Policy=text,
        PolicyArns=[{"arn": s3_read}],
        Tags=tag_list(a="1", b="2", c="3"),
    )

    assert response["PackedPolicySize"] == 8
    assert seen == [(text, [s3_read], {"a": "1", "b": "2", "c": "3"})]


def test_source_identity_in_the_response_only_when_set(sts_mock: MockSTS) -> None:
    alice, _ = cross_account_deployer(sts_mock)
    arn = role_arn("deployer", ROLE_ACCOUNT)

    assert "SourceIdentity" not in assume(alice.credentials, arn)
    assert assume(alice.credentials, arn, SourceIdentity="alice")["SourceIdentity"] == "alice"


def test_role_last_used(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "deployer", trust(alice.arn))
    iam = iam_client(sts_mock)

    assert iam.get_role(RoleName="deployer")["Role"]["RoleLastUsed"] == {}
    aws_error(assume_call(alice.credentials, role_arn("deployer"), DurationSeconds=7200))
    assert iam.get_role(RoleName="deployer")["Role"]["RoleLastUsed"] == {}
    with time_machine.travel(T0, tick=False):
        sts_client(alice.credentials, region="eu-west-1").assume_role(
            RoleArn=role_arn("deployer"), RoleSessionName="used"
        )

    assert iam.get_role(RoleName="deployer")["Role"]["RoleLastUsed"] == {
        "LastUsedDate": T0,
        "Region": "eu-west-1",
    }


def test_role_last_used_is_not_set_by_a_refused_call(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "deployer", trust(ACCOUNT))

    aws_error(assume_call(alice.credentials, role_arn("deployer")))

    assert iam_client(sts_mock).get_role(RoleName="deployer")["Role"]["RoleLastUsed"] == {}


# ---------------------------------------------------------------------------------------
# Session tags and source identity (§9.1, §9.2)

DEPLOYER = role_arn("deployer")


def tagged_role(sts_mock: MockSTS, actions: Any = EVERYTHING, **role: Any) -> User:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "deployer", trust(alice.arn, actions=actions), **role)
    return alice


def test_tags_need_tag_session(sts_mock: MockSTS) -> None:
    alice = tagged_role(sts_mock, actions="sts:AssumeRole")

    assert aws_error(assume_call(alice.credentials, DEPLOYER, Tags=tag_list(a="1"))) == denied(
        alice.arn, DEPLOYER, "sts:TagSession"
    )


def test_transitive_tag_keys_need_tag_session(sts_mock: MockSTS) -> None:
    alice = tagged_role(sts_mock, actions=SOURCE_IDENTITY)

    call = assume_call(alice.credentials, DEPLOYER, Tags=tag_list(a="1"), TransitiveTagKeys=["a"])
    assert aws_error(call) == denied(alice.arn, DEPLOYER, "sts:TagSession")


def test_source_identity_needs_set_source_identity(sts_mock: MockSTS) -> None:
    alice = tagged_role(sts_mock, actions=TAGGING)

    assert aws_error(assume_call(alice.credentials, DEPLOYER, SourceIdentity="alice")) == denied(
        alice.arn, DEPLOYER, "sts:SetSourceIdentity"
    )


def test_cross_account_tags_need_tag_session_on_the_identity_side(sts_mock: MockSTS) -> None:
    target = role_arn("target", ROLE_ACCOUNT)
    alice = sts_mock.create_user(
        "alice", account_id=ALICE_ACCOUNT, policies={"assume": allow("sts:AssumeRole", target)}
    )
    create_role(sts_mock, "target", trust(alice.arn, actions=TAGGING), account_id=ROLE_ACCOUNT)

    assert assume(alice.credentials, target)
    call = assume_call(alice.credentials, target, Tags=tag_list(a="1"))
    assert aws_error(call) == denied(alice.arn, target, "sts:TagSession")


@pytest.mark.parametrize(
    "tags",
    [
        [{"Key": "team", "Value": "red"}, {"Key": "Team", "Value": "blue"}],
        [{"Key": "team", "Value": "red"}, {"Key": "team", "Value": "red"}],
    ],
)
def test_duplicate_tag_keys(sts_mock: MockSTS, tags: list[dict[str, str]]) -> None:
    alice = tagged_role(sts_mock)

    assert aws_error(assume_call(alice.credentials, DEPLOYER, Tags=tags)) == DUPLICATE_TAGS


def test_transitive_tag_keys_must_be_among_the_tags(sts_mock: MockSTS) -> None:
    alice = tagged_role(sts_mock)

    call = assume_call(
        alice.credentials, DEPLOYER, Tags=tag_list(team="red"), TransitiveTagKeys=["project"]
    )
    assert aws_error(call) == (
        "InvalidParameterValue",
        "The specified transitive tag key must be included in the requested tags.",
        400,
    )


def test_transitive_tag_keys_match_tags_in_any_case(sts_mock: MockSTS) -> None:
    alice = tagged_role(sts_mock)
    create_role(sts_mock, "next", trust(DEPLOYER, actions=TAGGING))
    iam_client(sts_mock).put_role_policy(
        RoleName="deployer", PolicyName="sts", PolicyDocument=json.dumps(ALLOW_STS)
    )
    first = assumed(
        alice.credentials, DEPLOYER, Tags=tag_list(Team="red"), TransitiveTagKeys=["TEAM"]
    )

    second = assumed(first, role_arn("next"))

    checks = principal_tag_role(sts_mock, "check", role_arn("next"), team="red")
    iam_client(sts_mock).put_role_policy(
        RoleName="next", PolicyName="sts", PolicyDocument=json.dumps(ALLOW_STS)
    )
    assert assume(second, checks)


@pytest.mark.parametrize("key", ["aws:team", "AWS:team"])
def test_session_tag_key_with_the_aws_prefix_is_refused(sts_mock: MockSTS, key: str) -> None:
    alice = tagged_role(sts_mock)

    code, message, status = aws_error(
        assume_call(alice.credentials, DEPLOYER, Tags=[{"Key": key, "Value": "red"}])
    )
    # The aws: prefix is reserved (§9.1); AWS's code and text for it are undocumented, so
    # this pins only what any wording must carry.
    assert (code, status) == ("ValidationError", 400)
    assert key in message


@pytest.mark.parametrize("value", ["aws:alice", "AWS:alice"])
def test_source_identity_with_the_aws_prefix_is_refused(sts_mock: MockSTS, value: str) -> None:
    alice = tagged_role(sts_mock)

    # The colon already fails the model pattern, which the front end checks first.
    assert aws_error(assume_call(alice.credentials, DEPLOYER, SourceIdentity=value)) == (
        "ValidationError",
        f"1 validation error detected: Value '{value}' at 'sourceIdentity' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
        400,
    )


def source_identity_chain(sts_mock: MockSTS, next_actions: Any = EVERYTHING) -> Credentials:
    """alice → deployer with SourceIdentity=alice; ``next`` trusts deployer."""
    alice = tagged_role(sts_mock, policies={"sts": ALLOW_STS})
    create_role(
        sts_mock, "next", trust(DEPLOYER, actions=next_actions), policies={"sts": ALLOW_STS}
    )
    return assumed(alice.credentials, DEPLOYER, "first", SourceIdentity="alice")


def test_source_identity_is_inherited_along_a_chain(sts_mock: MockSTS) -> None:
    first = source_identity_chain(sts_mock)

    response = assume(first, role_arn("next"), "second")

    assert response["SourceIdentity"] == "alice"
    # No source identity or policy was passed: nothing was packed.
    assert "PackedPolicySize" not in response
    # In the new session's requests the value is aws:SourceIdentity.
    checks = role_arn("check")
    create_role(
        sts_mock,
        "check",
        trust(
            role_arn("next"),
            actions=EVERYTHING,
            condition={"StringEquals": {"aws:SourceIdentity": "alice"}},
        ),
    )
    third = assume(credentials_of(response), checks, "third")
    assert third["SourceIdentity"] == "alice"


def test_inherited_source_identity_needs_set_source_identity(sts_mock: MockSTS) -> None:
    # AWS re-applies the source identity to the chained session, which takes
    # sts:SetSourceIdentity in the next role's trust (IAM User Guide, "Permissions required
    # to set source identity": role chaining; observed: "... is not authorized to perform:
    # sts:SetSourceIdentity on resource: ..." when chaining from such a session).
    first = source_identity_chain(sts_mock, next_actions="sts:AssumeRole")

    assert aws_error(assume_call(first, role_arn("next"), "second")) == denied(
        session_arn("deployer", "first"), role_arn("next"), "sts:SetSourceIdentity"
    )


def test_source_identity_cannot_change_along_a_chain(sts_mock: MockSTS) -> None:
    first = source_identity_chain(sts_mock)

    call = assume_call(first, role_arn("next"), "second", SourceIdentity="mallory")
    # mock_sts's wording: AWS's is undocumented (§9.2, §11.4).
    assert aws_error(call) == (
        "ValidationError",
        "The source identity cannot change: the calling session's is alice.",
        400,
    )


def test_source_identity_passed_again_unchanged(sts_mock: MockSTS) -> None:
    first = source_identity_chain(sts_mock)

    response = assume(first, role_arn("next"), "second", SourceIdentity="alice")

    assert response["SourceIdentity"] == "alice"


def test_session_tags_are_principal_tags_of_the_new_session(sts_mock: MockSTS) -> None:
    alice = tagged_role(sts_mock, policies={"sts": ALLOW_STS}, Tags=tag_list(dept="eng"))
    first = assumed(alice.credentials, DEPLOYER, Tags=tag_list(env="dev"))

    checks = principal_tag_role(sts_mock, "check", DEPLOYER, env="dev", dept="eng")
    assert assume(first, checks)


def test_session_tags_override_the_roles_tags(sts_mock: MockSTS) -> None:
    alice = tagged_role(sts_mock, policies={"sts": ALLOW_STS}, Tags=tag_list(Team="blue"))
    first = assumed(alice.credentials, DEPLOYER, Tags=tag_list(team="red"))
    plain = assumed(alice.credentials, DEPLOYER)

    checks = principal_tag_role(sts_mock, "check", DEPLOYER, team="red")
    assert assume(first, checks)
    assert aws_error(assume_call(plain, checks)) == denied(
        session_arn("deployer", "session"), checks
    )


def test_non_transitive_tags_do_not_reach_the_next_session(sts_mock: MockSTS) -> None:
    alice = tagged_role(sts_mock, policies={"sts": ALLOW_STS})
    create_role(sts_mock, "next", trust(DEPLOYER, actions=TAGGING), policies={"sts": ALLOW_STS})
    first = assumed(alice.credentials, DEPLOYER, Tags=tag_list(env="dev"))
    second = assumed(first, role_arn("next"))

    checks = principal_tag_role(sts_mock, "check", role_arn("next"), env=None)
    assert assume(second, checks)


# ---------------------------------------------------------------------------------------
# Session policies (§9.3)


@pytest.mark.parametrize(
    ("policy", "message"),
    [
        # A session policy is an identity policy, read with IAM's texts (§6.1, §13.4).
        ("{not json", "Syntax errors in policy."),
        (
            json.dumps(document(statement("s3:GetObject", None))),
            "Policy statement must contain resources.",
        ),
        (
            json.dumps(document(statement("s3:GetObject", principal={"AWS": "*"}))),
            "Policy document should not specify a principal.",
        ),
        (
            json.dumps(document(statement("s3:GetObject", "bucket"))),
            'Resource bucket must be in ARN format or "*".',
        ),
        (
            json.dumps(document(statement("GetObject", "*"))),
            "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.",
        ),
    ],
)
def test_malformed_session_policy(sts_mock: MockSTS, policy: str, message: str) -> None:
    alice = tagged_role(sts_mock)

    assert aws_error(assume_call(alice.credentials, DEPLOYER, Policy=policy)) == (
        "MalformedPolicyDocument",
        message,
        400,
    )


# mock_sts's wording: AWS's for an unusable policy ARN is undocumented (§9.3, §11.4).
def unusable_policy(arn: str) -> tuple[str, str, int]:
    return ("ValidationError", f"Policy {arn} does not exist or is not attachable.", 400)


def test_policy_arns_must_exist(sts_mock: MockSTS) -> None:
    alice = tagged_role(sts_mock)
    missing = f"arn:aws:iam::{ACCOUNT}:policy/ghost"
    missing_aws = "arn:aws:iam::aws:policy/NoSuchManagedPolicy"

    assert aws_error(
        assume_call(alice.credentials, DEPLOYER, PolicyArns=[{"arn": missing}])
    ) == unusable_policy(missing)
    assert aws_error(
        assume_call(alice.credentials, DEPLOYER, PolicyArns=[{"arn": missing_aws}])
    ) == unusable_policy(missing_aws)


def test_policy_arns_of_aws_and_of_the_roles_account(sts_mock: MockSTS) -> None:
    alice = tagged_role(sts_mock)
    own = create_policy(sts_mock, "s3-only", S3_ONLY)
    aws_managed = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"

    response = assume(alice.credentials, DEPLOYER, PolicyArns=[{"arn": own}, {"arn": aws_managed}])

    assert 1 <= response["PackedPolicySize"] <= 100


def test_policy_arn_of_another_account_is_refused(sts_mock: MockSTS) -> None:
    alice = tagged_role(sts_mock)
    foreign = create_policy(sts_mock, "s3-only", S3_ONLY, ALICE_ACCOUNT)

    call = assume_call(alice.credentials, DEPLOYER, PolicyArns=[{"arn": foreign}])
    assert aws_error(call) == unusable_policy(foreign)


def test_policy_arn_of_the_callers_account_is_refused_across_accounts(sts_mock: MockSTS) -> None:
    alice, _ = cross_account_deployer(sts_mock)
    callers = create_policy(sts_mock, "s3-only", S3_ONLY, ALICE_ACCOUNT)

    call = assume_call(
        alice.credentials, role_arn("deployer", ROLE_ACCOUNT), PolicyArns=[{"arn": callers}]
    )
    assert aws_error(call) == unusable_policy(callers)


def test_packed_policy_too_large_for_a_huge_policy(sts_mock: MockSTS) -> None:
    alice = tagged_role(sts_mock)
    actions = [f"s3:{verb}Object{index}" for verb in ("Get", "Put") for index in range(40)]
    huge = json.dumps(document(statement(actions, "*")))

    code, message, status = aws_error(assume_call(alice.credentials, DEPLOYER, Policy=huge))

    match = re.fullmatch(r"Packed policy consumes (\d+)% of allotted space", message)
    assert (code, status) == ("PackedPolicyTooLarge", 400)
    assert match is not None
    assert int(match.group(1)) > 100


def test_packed_policy_too_large_message(sts_mock: MockSTS) -> None:
    alice = tagged_role(sts_mock)
    sts_mock.packed_policy_size = lambda policy, arns, tags: 157

    call = assume_call(alice.credentials, DEPLOYER, Policy=json.dumps(S3_ONLY))
    assert aws_error(call) == (
        "PackedPolicyTooLarge",
        "Packed policy consumes 157% of allotted space",
        400,
    )


def test_packed_size_of_session_tags_too_large_message(sts_mock: MockSTS) -> None:
    alice = tagged_role(sts_mock)
    sts_mock.packed_policy_size = lambda policy, arns, tags: 112

    call = assume_call(alice.credentials, DEPLOYER, Tags=tag_list(team="red"))
    assert aws_error(call) == (
        "PackedPolicyTooLarge",
        "Packed size of session tags consumes 112% of allotted space.",
        400,
    )


def test_packed_size_of_exactly_100_is_accepted(sts_mock: MockSTS) -> None:
    alice = tagged_role(sts_mock)
    sts_mock.packed_policy_size = lambda policy, arns, tags: 100

    assert assume(alice.credentials, DEPLOYER, Tags=tag_list(a="1"))["PackedPolicySize"] == 100


def chain_with_session_policy(sts_mock: MockSTS, next_principal: str, **params: Any) -> Credentials:
    """alice → first (identity: sts:*) with the given session policy; ``second`` trusts
    ``next_principal``."""
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "first", trust(alice.arn), policies={"sts": ALLOW_STS})
    create_role(sts_mock, "second", trust(next_principal), policies={"sts": ALLOW_STS})
    return assumed(alice.credentials, role_arn("first"), "hop-1", **params)


def test_session_policy_narrows_what_the_session_may_assume(sts_mock: MockSTS) -> None:
    first = chain_with_session_policy(sts_mock, ACCOUNT, Policy=json.dumps(S3_ONLY))

    assert aws_error(assume_call(first, role_arn("second"))) == denied(
        session_arn("first", "hop-1"), role_arn("second")
    )


def test_session_without_session_policy_keeps_the_roles_permissions(sts_mock: MockSTS) -> None:
    first = chain_with_session_policy(sts_mock, ACCOUNT)

    assert assume(first, role_arn("second"))["AssumedRoleUser"]["Arn"] == (
        session_arn("second", "session")
    )


def test_session_policy_allowing_the_next_role(sts_mock: MockSTS) -> None:
    first = chain_with_session_policy(
        sts_mock, ACCOUNT, Policy=json.dumps(allow("sts:AssumeRole", role_arn("second")))
    )

    assert assume(first, role_arn("second"))["AssumedRoleUser"]["Arn"] == (
        session_arn("second", "session")
    )


def test_session_policy_cannot_widen_the_roles_permissions(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "first", trust(alice.arn), policies={"s3": S3_ONLY})
    create_role(sts_mock, "second", trust(ACCOUNT))
    first = assumed(alice.credentials, role_arn("first"), "hop-1", Policy=json.dumps(ALLOW_STS))

    assert aws_error(assume_call(first, role_arn("second"))) == denied(
        session_arn("first", "hop-1"), role_arn("second")
    )


def test_managed_session_policy_narrows_too(sts_mock: MockSTS) -> None:
    first = chain_with_session_policy(
        sts_mock,
        ACCOUNT,
        PolicyArns=[{"arn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}],
    )

    assert aws_error(assume_call(first, role_arn("second"))) == denied(
        session_arn("first", "hop-1"), role_arn("second")
    )


def test_session_policy_limits_a_role_principal(sts_mock: MockSTS) -> None:
    first = chain_with_session_policy(sts_mock, role_arn("first"), Policy=json.dumps(S3_ONLY))

    assert aws_error(assume_call(first, role_arn("second"))) == denied(
        session_arn("first", "hop-1"), role_arn("second")
    )


def test_session_policy_does_not_limit_a_direct_session_principal(sts_mock: MockSTS) -> None:
    first = chain_with_session_policy(
        sts_mock, session_arn("first", "hop-1"), Policy=json.dumps(S3_ONLY)
    )

    assert assume(first, role_arn("second"))["AssumedRoleUser"]["Arn"] == (
        session_arn("second", "session")
    )


def test_session_policies_do_not_reach_the_next_session(sts_mock: MockSTS) -> None:
    first = chain_with_session_policy(
        sts_mock, ACCOUNT, Policy=json.dumps(allow("sts:AssumeRole", role_arn("second")))
    )
    create_role(sts_mock, "third", trust(ACCOUNT))
    second = assumed(first, role_arn("second"), "hop-2")

    assert assume(second, role_arn("third"))["AssumedRoleUser"]["Arn"] == (
        session_arn("third", "session")
    )


# ---------------------------------------------------------------------------------------
# MFA in AssumeRole (§9.5)


def mfa_role(sts_mock: MockSTS, principal: str, name: str = "guarded") -> str:
    return conditional_role(
        sts_mock, principal, {"Bool": {"aws:MultiFactorAuthPresent": "true"}}, name=name
    )


def test_valid_mfa_code_satisfies_the_trust_policy(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    arn = mfa_role(sts_mock, alice.arn)

    with time_machine.travel(T0, tick=False):
        response = assume(alice.credentials, arn, **with_mfa(device))
    assert response["Credentials"]["Expiration"] == T0 + dt.timedelta(seconds=3600)


def test_wrong_mfa_code(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    arn = mfa_role(sts_mock, alice.arn)

    with time_machine.travel(T0, tick=False):
        call = assume_call(
            alice.credentials,
            arn,
            SerialNumber=device.serial_number,
            TokenCode=code_outside_window(device, T0),
        )
        assert aws_error(call) == ("AccessDenied", MFA_BAD_CODE, 403)


@pytest.mark.parametrize("serial", ["arn:aws:iam::123456789012:mfa/ghost", "GAHT12345678"])
def test_unknown_mfa_serial(sts_mock: MockSTS, serial: str) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    arn = mfa_role(sts_mock, alice.arn)

    call = assume_call(alice.credentials, arn, SerialNumber=serial, TokenCode=device.code())
    assert aws_error(call) == ("AccessDenied", MFA_UNKNOWN_DEVICE, 403)


def test_another_users_mfa_device(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    alice.enable_mfa()
    bobs = sts_mock.create_user("bob").enable_mfa()
    arn = mfa_role(sts_mock, alice.arn)

    call = assume_call(
        alice.credentials, arn, SerialNumber=bobs.serial_number, TokenCode=bobs.code()
    )
    assert aws_error(call) == ("AccessDenied", MFA_UNKNOWN_DEVICE, 403)


def test_mfa_code_without_a_serial(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    arn = mfa_role(sts_mock, alice.arn)

    call = assume_call(alice.credentials, arn, TokenCode=device.code())
    assert aws_error(call) == ("AccessDenied", MFA_UNKNOWN_DEVICE, 403)


def test_mfa_serial_without_a_code(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    arn = mfa_role(sts_mock, alice.arn)

    call = assume_call(alice.credentials, arn, SerialNumber=device.serial_number)
    assert aws_error(call) == ("AccessDenied", MFA_UNKNOWN_DEVICE, 403)


def test_role_session_keeps_its_mfa_context(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    create_role(sts_mock, "first", trust(alice.arn))
    arn = mfa_role(sts_mock, role_arn("first"))
    with_code = assumed(alice.credentials, role_arn("first"), "with-mfa", **with_mfa(device))
    without = assumed(alice.credentials, role_arn("first"), "without-mfa")

    assert assume(with_code, arn)["AssumedRoleUser"]["Arn"] == session_arn("guarded", "session")
    assert aws_error(assume_call(without, arn)) == denied(session_arn("first", "without-mfa"), arn)


def test_mfa_age_grows_along_a_chain(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    create_role(sts_mock, "first", trust(alice.arn))
    arn = conditional_role(
        sts_mock,
        role_arn("first"),
        {"NumericLessThanEquals": {"aws:MultiFactorAuthAge": "600"}},
        name="fresh",
    )
    with time_machine.travel(T0, tick=False):
        first = assumed(alice.credentials, role_arn("first"), "hop-1", **with_mfa(device))

    with time_machine.travel(T0 + dt.timedelta(seconds=600), tick=False):
        assert assume(first, arn)
    with time_machine.travel(T0 + dt.timedelta(seconds=601), tick=False):
        assert aws_error(assume_call(first, arn)) == denied(session_arn("first", "hop-1"), arn)


def test_session_token_mfa_context_reaches_the_role_session(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    create_role(sts_mock, "first", trust(alice.arn))
    arn = mfa_role(sts_mock, role_arn("first"))
    session = session_token_of(alice.credentials, **with_mfa(device))
    first = assumed(session, role_arn("first"), "hop-1")

    assert assume(first, arn)


# ---------------------------------------------------------------------------------------
# Expiry (§9.6)


def test_expired_session_fails_with_expired_token(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "first", trust(alice.arn), policies={"sts": ALLOW_STS})
    create_role(sts_mock, "second", trust(ACCOUNT))
    with time_machine.travel(T0, tick=False):
        first = assumed(alice.credentials, role_arn("first"), "hop-1", DurationSeconds=900)

    with time_machine.travel(later(899), tick=False):
        assert caller_identity(sts_client(first))["Arn"] == session_arn("first", "hop-1")
        assert assume(first, role_arn("second"))
    with time_machine.travel(later(900), tick=False):
        assert aws_error(sts_client(first).get_caller_identity) == EXPIRED_TOKEN
        assert aws_error(assume_call(first, role_arn("second"))) == EXPIRED_TOKEN
    with time_machine.travel(later(86400), tick=False):
        assert aws_error(assume_call(first, role_arn("second"))) == EXPIRED_TOKEN


def test_chained_session_is_not_clipped_to_the_callers_expiry(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "first", trust(alice.arn), policies={"sts": ALLOW_STS})
    create_role(sts_mock, "second", trust(ACCOUNT))
    with time_machine.travel(T0, tick=False):
        first = assumed(alice.credentials, role_arn("first"), "hop-1", DurationSeconds=900)

    with time_machine.travel(later(600), tick=False):
        second = assumed(first, role_arn("second"))
    assert second.expiration == later(600 + 3600)

    with time_machine.travel(later(1000), tick=False):
        assert aws_error(sts_client(first).get_caller_identity) == EXPIRED_TOKEN
        assert caller_identity(sts_client(second))["Arn"] == session_arn("second", "session")
