"""AssumeRole authorization through real boto3 clients: who may assume a role, and when.

Expected values are AWS's (STS_REFERENCE.md §3, §4.1, §6.2 to §6.5, Appendix A.1, A.2).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import boto3
import botocore
import pytest
import time_machine
from botocore.config import Config

from tests.helpers import aws_error, caller_identity, sts_client
from tests.helpers.assume_role import (
    ACCOUNT,
    ALICE_ACCOUNT,
    ALLOW_ASSUME,
    ALLOW_STS,
    ROLE_ACCOUNT,
    ROLE_DURATION,
    ROOT_REFUSED,
    S3_ONLY,
    T0,
    UTC,
    allow,
    assume,
    assume_call,
    assumed,
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
    from mock_sts import MFADevice, MockSTS, User


# ---------------------------------------------------------------------------------------
# Appendix A.1: cross-account AssumeRole with ExternalId and MFA

AUDIT = role_arn("audit", ROLE_ACCOUNT)
ALICE = f"arn:aws:iam::{ALICE_ACCOUNT}:user/alice"
AUDIT_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ALICE_ACCOUNT}:root"},
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {"sts:ExternalId": "x-123"},
                "Bool": {"aws:MultiFactorAuthPresent": "true"},
            },
        }
    ],
}
ASSUME_AUDIT = allow("sts:AssumeRole", AUDIT)


def audit_scenario(
    sts_mock: MockSTS, alice_policies: dict[str, Any] | None = None
) -> tuple[User, MFADevice]:
    create_role(sts_mock, "audit", AUDIT_TRUST, account_id=ROLE_ACCOUNT, MaxSessionDuration=7200)
    policies = {"assume-audit": ASSUME_AUDIT} if alice_policies is None else alice_policies
    alice = sts_mock.create_user("alice", account_id=ALICE_ACCOUNT, policies=policies)
    return alice, alice.enable_mfa()


def test_a1_without_external_id_is_denied(sts_mock: MockSTS) -> None:
    alice, device = audit_scenario(sts_mock)

    assert aws_error(assume_call(alice.credentials, AUDIT, **with_mfa(device))) == denied(
        ALICE, AUDIT
    )


def test_a1_external_id_without_mfa_is_denied(sts_mock: MockSTS) -> None:
    alice, _ = audit_scenario(sts_mock)

    assert aws_error(assume_call(alice.credentials, AUDIT, ExternalId="x-123")) == denied(
        ALICE, AUDIT
    )


def test_a1_wrong_external_id_is_denied(sts_mock: MockSTS) -> None:
    alice, device = audit_scenario(sts_mock)

    call = assume_call(alice.credentials, AUDIT, **with_mfa(device, ExternalId="x-124"))
    assert aws_error(call) == denied(ALICE, AUDIT)


def test_a1_external_id_and_mfa_for_7200_seconds(sts_mock: MockSTS) -> None:
    alice, device = audit_scenario(sts_mock)

    with time_machine.travel(T0, tick=False):
        response = assume(
            alice.credentials,
            AUDIT,
            "audit-run",
            **with_mfa(device, ExternalId="x-123", DurationSeconds=7200),
        )

    assert response["Credentials"]["Expiration"] == T0 + dt.timedelta(seconds=7200)
    assert response["AssumedRoleUser"]["Arn"] == (
        "arn:aws:sts::222222222222:assumed-role/audit/audit-run"
    )


def test_a1_duration_above_the_roles_maximum(sts_mock: MockSTS) -> None:
    alice, device = audit_scenario(sts_mock)

    call = assume_call(
        alice.credentials, AUDIT, **with_mfa(device, ExternalId="x-123", DurationSeconds=10800)
    )
    assert aws_error(call) == ROLE_DURATION


def test_a1_without_alices_identity_allow_is_denied(sts_mock: MockSTS) -> None:
    alice, device = audit_scenario(sts_mock, alice_policies={})

    call = assume_call(alice.credentials, AUDIT, **with_mfa(device, ExternalId="x-123"))
    assert aws_error(call) == denied(ALICE, AUDIT)


def test_a1_alices_explicit_deny_wins(sts_mock: MockSTS) -> None:
    deny_all = document(statement("sts:AssumeRole", "*", effect="Deny"))
    alice, device = audit_scenario(
        sts_mock, alice_policies={"assume-audit": ASSUME_AUDIT, "deny": deny_all}
    )

    call = assume_call(alice.credentials, AUDIT, **with_mfa(device, ExternalId="x-123"))
    assert aws_error(call) == denied(ALICE, AUDIT)


# ---------------------------------------------------------------------------------------
# Appendix A.2: same-account trust variations (bob has no identity policy)

BOB = f"arn:aws:iam::{ALICE_ACCOUNT}:user/bob"
TARGET = role_arn("target", ALICE_ACCOUNT)


def bob_and_target(sts_mock: MockSTS, principal: str, **bob: Any) -> User:
    user = sts_mock.create_user("bob", account_id=ALICE_ACCOUNT, **bob)
    create_role(sts_mock, "target", trust(principal), account_id=ALICE_ACCOUNT)
    return user


def test_a2_account_principal_needs_an_identity_allow(sts_mock: MockSTS) -> None:
    bob = bob_and_target(sts_mock, ALICE_ACCOUNT)

    assert aws_error(assume_call(bob.credentials, TARGET)) == denied(BOB, TARGET)


def test_a2_account_principal_with_an_identity_allow(sts_mock: MockSTS) -> None:
    bob = bob_and_target(sts_mock, ALICE_ACCOUNT, policies={"assume": ALLOW_ASSUME})

    assert assume(bob.credentials, TARGET)["AssumedRoleUser"]["Arn"] == (
        "arn:aws:sts::111111111111:assumed-role/target/session"
    )


def test_a2_root_arn_principal_is_the_account_too(sts_mock: MockSTS) -> None:
    bob = bob_and_target(sts_mock, f"arn:aws:iam::{ALICE_ACCOUNT}:root")

    assert aws_error(assume_call(bob.credentials, TARGET)) == denied(BOB, TARGET)


def test_a2_user_principal_needs_no_identity_policy(sts_mock: MockSTS) -> None:
    bob = bob_and_target(sts_mock, BOB)

    assert assume(bob.credentials, TARGET)["AssumedRoleUser"]["Arn"] == (
        "arn:aws:sts::111111111111:assumed-role/target/session"
    )


def test_a2_boundary_does_not_limit_a_direct_user_grant(sts_mock: MockSTS) -> None:
    bob = bob_and_target(sts_mock, BOB)
    boundary = create_policy(sts_mock, "s3-only", S3_ONLY, ALICE_ACCOUNT)
    iam_client(sts_mock, ALICE_ACCOUNT).put_user_permissions_boundary(
        UserName="bob", PermissionsBoundary=boundary
    )

    assert assume(bob.credentials, TARGET)["AssumedRoleUser"]["Arn"] == (
        "arn:aws:sts::111111111111:assumed-role/target/session"
    )


def test_a2_boundary_limits_an_account_grant(sts_mock: MockSTS) -> None:
    bob = bob_and_target(sts_mock, ALICE_ACCOUNT, policies={"assume": ALLOW_ASSUME})
    boundary = create_policy(sts_mock, "s3-only", S3_ONLY, ALICE_ACCOUNT)
    iam_client(sts_mock, ALICE_ACCOUNT).put_user_permissions_boundary(
        UserName="bob", PermissionsBoundary=boundary
    )

    assert aws_error(assume_call(bob.credentials, TARGET)) == denied(BOB, TARGET)


def test_a2_deleted_and_recreated_user_is_not_trusted(sts_mock: MockSTS) -> None:
    old_bob = bob_and_target(sts_mock, BOB)
    assume(old_bob.credentials, TARGET)
    iam = iam_client(sts_mock, ALICE_ACCOUNT)
    iam.delete_access_key(UserName="bob", AccessKeyId=old_bob.credentials.access_key_id)
    iam.delete_user(UserName="bob")
    new_bob = sts_mock.create_user("bob", account_id=ALICE_ACCOUNT)

    assert new_bob.arn == BOB
    assert aws_error(assume_call(new_bob.credentials, TARGET)) == denied(BOB, TARGET)
    shown = iam.get_role(RoleName="target")["Role"]["AssumeRolePolicyDocument"]
    assert shown["Statement"][0]["Principal"] == {"AWS": old_bob.user_id}


# ---------------------------------------------------------------------------------------
# Caller gates (§3, §4.1)

DEPLOYER = role_arn("deployer")


def test_root_keys_cannot_assume_roles(sts_mock: MockSTS) -> None:
    create_role(sts_mock, "deployer", trust(ACCOUNT))

    assert aws_error(assume_call(sts_mock.root_credentials(), DEPLOYER)) == (
        "AccessDenied",
        ROOT_REFUSED,
        403,
    )


def test_root_keys_cannot_assume_a_role_trusting_the_root_arn(sts_mock: MockSTS) -> None:
    create_role(sts_mock, "deployer", trust(f"arn:aws:iam::{ACCOUNT}:root"))

    assert aws_error(assume_call(sts_mock.root_credentials(), DEPLOYER)) == (
        "AccessDenied",
        ROOT_REFUSED,
        403,
    )


def test_session_token_credentials_of_a_user_can_assume(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "deployer", trust(alice.arn))
    session = session_token_of(alice.credentials)

    response = assume(session, DEPLOYER, "from-gst")

    assert response["AssumedRoleUser"]["Arn"] == session_arn("deployer", "from-gst")
    assert caller_identity(sts_client(credentials_of(response))) == {
        "UserId": response["AssumedRoleUser"]["AssumedRoleId"],
        "Account": ACCOUNT,
        "Arn": session_arn("deployer", "from-gst"),
    }


def test_session_token_credentials_count_as_role_chaining(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "deployer", trust(alice.arn), MaxSessionDuration=43200)
    session = session_token_of(alice.credentials)

    assert aws_error(assume_call(session, DEPLOYER, DurationSeconds=3601)) == (
        "ValidationError",
        "The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by "
        "role chaining.",
        400,
    )
    with time_machine.travel(T0, tick=False):
        response = assume(session, DEPLOYER, DurationSeconds=3600)
    assert response["Credentials"]["Expiration"] == T0 + dt.timedelta(seconds=3600)


def test_long_term_keys_are_not_role_chaining(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "deployer", trust(alice.arn), MaxSessionDuration=43200)

    with time_machine.travel(T0, tick=False):
        response = assume(alice.credentials, DEPLOYER, DurationSeconds=43200)

    assert response["Credentials"]["Expiration"] == T0 + dt.timedelta(seconds=43200)


def test_denial_of_session_token_credentials_names_the_user(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "deployer", trust(ALICE_ACCOUNT))
    session = session_token_of(alice.credentials)

    assert aws_error(assume_call(session, DEPLOYER)) == denied(alice.arn, DEPLOYER)


def test_missing_role_is_denied_like_a_refused_one(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"assume": ALLOW_ASSUME})
    create_role(sts_mock, "deployer", trust(ALICE_ACCOUNT))
    missing = role_arn("ghost")
    other_account = role_arn("deployer", ROLE_ACCOUNT)

    assert aws_error(assume_call(alice.credentials, DEPLOYER)) == denied(alice.arn, DEPLOYER)
    assert aws_error(assume_call(alice.credentials, missing)) == denied(alice.arn, missing)
    assert aws_error(assume_call(alice.credentials, other_account)) == denied(
        alice.arn, other_account
    )


def test_role_arn_with_a_wrong_path_is_denied(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "deployer", trust(alice.arn), Path="/team/ci/")
    right = role_arn("deployer", path="/team/ci/")

    for wrong in (DEPLOYER, role_arn("deployer", path="/team/"), role_arn("deployer", path="/x/")):
        assert aws_error(assume_call(alice.credentials, wrong)) == denied(alice.arn, wrong)
    assert assume(alice.credentials, right)["AssumedRoleUser"]["Arn"] == (
        session_arn("deployer", "session")
    )


@pytest.mark.parametrize(
    "arn",
    [
        "arn:aws:iam::123456789012:user/alice",
        "arn:aws:iam::123456789012:policy/deployer",
        "arn:aws:sts::123456789012:assumed-role/deployer/session",
        "arn:aws:iam::123456789012:group/deployers",
    ],
)
def test_non_role_arn_is_a_validation_error(sts_mock: MockSTS, arn: str) -> None:
    alice = sts_mock.create_user("alice", policies={"assume": ALLOW_ASSUME})
    create_role(sts_mock, "deployer", trust(ACCOUNT))

    assert aws_error(assume_call(alice.credentials, arn)) == (
        "ValidationError",
        "Request ARN is invalid",
        400,
    )


# AWS's answers, recorded (STS_REFERENCE §12.3): a value that is not an ARN is echoed.
@pytest.mark.parametrize(
    "value",
    [
        "nothing-valid-in-here",
        "arn::b:::something/test-role",
        "arn:a::::something/test-role",
        "arn:a:::something/test-role",
        "arn:a:a::aaaaaaaaaa:",
    ],
)
def test_malformed_role_arn_is_echoed(sts_mock: MockSTS, value: str) -> None:
    alice = sts_mock.create_user("alice", policies={"assume": ALLOW_ASSUME})

    assert aws_error(assume_call(alice.credentials, value)) == (
        "ValidationError",
        f"{value} is invalid",
        400,
    )


def test_denial_of_a_role_session_names_the_session_arn(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "first", trust(alice.arn), Path="/ops/", policies={"sts": ALLOW_STS})
    create_role(sts_mock, "second", trust(alice.arn))
    first = assumed(alice.credentials, role_arn("first", path="/ops/"), "hop-1")

    assert aws_error(assume_call(first, role_arn("second"))) == denied(
        "arn:aws:sts::123456789012:assumed-role/first/hop-1", role_arn("second")
    )


def test_federated_user_sessions_cannot_assume_roles(sts_mock: MockSTS) -> None:
    everything = document(statement("*", "*"))
    bob = sts_mock.create_user("bob", policies={"all": everything})
    create_role(sts_mock, "deployer", trust("*"))
    federated = credentials_of(
        sts_client(bob.credentials).get_federation_token(
            Name="fed-bob", Policy=json.dumps(everything)
        )
    )

    assert aws_error(assume_call(federated, DEPLOYER)) == denied(
        "arn:aws:sts::123456789012:federated-user/fed-bob", DEPLOYER
    )


def test_unsigned_assume_role_is_missing_authentication(sts_mock: MockSTS) -> None:
    create_role(sts_mock, "deployer", trust("*"))
    client = boto3.client(
        "sts", region_name="us-east-1", config=Config(signature_version=botocore.UNSIGNED)
    )

    assert aws_error(lambda: client.assume_role(RoleArn=DEPLOYER, RoleSessionName="anon")) == (
        "MissingAuthenticationToken",
        "Request is missing Authentication Token",
        403,
    )


# ---------------------------------------------------------------------------------------
# Decision procedure (§6.3)


def test_explicit_deny_in_the_trust_policy_wins(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    policy = document(
        statement("sts:AssumeRole", principal={"AWS": alice.arn}),
        statement("sts:AssumeRole", principal={"AWS": ACCOUNT}, effect="Deny"),
    )
    create_role(sts_mock, "deployer", policy)

    assert aws_error(assume_call(alice.credentials, DEPLOYER)) == denied(alice.arn, DEPLOYER)


def test_explicit_deny_in_the_trust_policy_with_a_condition(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    policy = document(
        statement("sts:AssumeRole", principal={"AWS": alice.arn}),
        statement(
            "sts:AssumeRole",
            principal={"AWS": "*"},
            effect="Deny",
            condition={"StringLike": {"sts:RoleSessionName": "tmp-*"}},
        ),
    )
    create_role(sts_mock, "deployer", policy)

    assert aws_error(assume_call(alice.credentials, DEPLOYER, "tmp-1")) == denied(
        alice.arn, DEPLOYER
    )
    assert assume(alice.credentials, DEPLOYER, "kept-1")


def test_explicit_deny_in_an_identity_policy_wins_over_a_direct_trust(
    sts_mock: MockSTS,
) -> None:
    deny = document(statement("sts:AssumeRole", DEPLOYER, effect="Deny"))
    alice = sts_mock.create_user("alice", policies={"deny": deny})
    create_role(sts_mock, "deployer", trust(alice.arn))

    assert aws_error(assume_call(alice.credentials, DEPLOYER)) == denied(alice.arn, DEPLOYER)


def test_explicit_deny_in_a_group_policy_wins(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "deployer", trust(alice.arn))
    iam = iam_client(sts_mock)
    iam.create_group(GroupName="blocked")
    iam.add_user_to_group(GroupName="blocked", UserName="alice")
    iam.put_group_policy(
        GroupName="blocked",
        PolicyName="deny",
        PolicyDocument=json.dumps(document(statement("sts:*", "*", effect="Deny"))),
    )

    assert aws_error(assume_call(alice.credentials, DEPLOYER)) == denied(alice.arn, DEPLOYER)


def test_explicit_deny_in_a_permissions_boundary_wins(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "deployer", trust(alice.arn))
    boundary = create_policy(
        sts_mock,
        "no-assume",
        document(statement("*", "*"), statement("sts:AssumeRole", "*", effect="Deny")),
    )
    iam_client(sts_mock).put_user_permissions_boundary(
        UserName="alice", PermissionsBoundary=boundary
    )

    assert aws_error(assume_call(alice.credentials, DEPLOYER)) == denied(alice.arn, DEPLOYER)


def test_explicit_deny_in_a_session_policy_wins(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "first", trust(alice.arn), policies={"sts": ALLOW_STS})
    first_session = session_arn("first", "hop-1")
    create_role(sts_mock, "second", trust(first_session))
    session_policy = document(
        statement("*", "*"), statement("sts:AssumeRole", role_arn("second"), effect="Deny")
    )
    first = assumed(
        alice.credentials, role_arn("first"), "hop-1", Policy=json.dumps(session_policy)
    )

    assert aws_error(assume_call(first, role_arn("second"))) == denied(
        first_session, role_arn("second")
    )


def test_cross_account_needs_both_the_trust_and_the_identity_side(sts_mock: MockSTS) -> None:
    target = role_arn("target", ROLE_ACCOUNT)
    with_allow = sts_mock.create_user(
        "alice", account_id=ALICE_ACCOUNT, policies={"assume": allow("sts:AssumeRole", target)}
    )
    without = sts_mock.create_user("bob", account_id=ALICE_ACCOUNT)
    create_role(sts_mock, "target", trust(ALICE_ACCOUNT), account_id=ROLE_ACCOUNT)

    assert assume(with_allow.credentials, target)["AssumedRoleUser"]["Arn"] == (
        "arn:aws:sts::222222222222:assumed-role/target/session"
    )
    assert aws_error(assume_call(without.credentials, target)) == denied(without.arn, target)


def test_cross_account_direct_user_trust_still_needs_an_identity_allow(
    sts_mock: MockSTS,
) -> None:
    target = role_arn("target", ROLE_ACCOUNT)
    bob = sts_mock.create_user("bob", account_id=ALICE_ACCOUNT)
    create_role(sts_mock, "target", trust(bob.arn), account_id=ROLE_ACCOUNT)

    assert aws_error(assume_call(bob.credentials, target)) == denied(bob.arn, target)


def test_cross_account_identity_allow_without_trust_is_denied(sts_mock: MockSTS) -> None:
    target = role_arn("target", ROLE_ACCOUNT)
    alice = sts_mock.create_user(
        "alice", account_id=ALICE_ACCOUNT, policies={"assume": ALLOW_ASSUME}
    )
    create_role(sts_mock, "target", trust("333333333333"), account_id=ROLE_ACCOUNT)

    assert aws_error(assume_call(alice.credentials, target)) == denied(alice.arn, target)


def test_same_account_identity_allow_without_trust_is_denied(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"assume": ALLOW_ASSUME})
    other = sts_mock.create_user("bob")
    create_role(sts_mock, "deployer", trust(other.arn))

    assert aws_error(assume_call(alice.credentials, DEPLOYER)) == denied(alice.arn, DEPLOYER)


def test_cross_account_role_session_needs_its_roles_identity_allow(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", account_id=ALICE_ACCOUNT)
    create_role(sts_mock, "hop", trust(alice.arn), account_id=ALICE_ACCOUNT)
    hop_role = role_arn("hop", ALICE_ACCOUNT)
    target = role_arn("target", ROLE_ACCOUNT)
    create_role(sts_mock, "target", trust(hop_role), account_id=ROLE_ACCOUNT)
    hop = assumed(alice.credentials, hop_role, "hop-1")
    hop_session = session_arn("hop", "hop-1", ALICE_ACCOUNT)

    assert aws_error(assume_call(hop, target)) == denied(hop_session, target)
    iam_client(sts_mock, ALICE_ACCOUNT).put_role_policy(
        RoleName="hop", PolicyName="assume", PolicyDocument=json.dumps(allow("sts:AssumeRole"))
    )
    assert assume(hop, target)["AssumedRoleUser"]["Arn"] == session_arn(
        "target", "session", ROLE_ACCOUNT
    )


def test_role_principal_needs_no_identity_policy_in_the_same_account(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "first", trust(alice.arn))
    create_role(sts_mock, "second", trust(role_arn("first")))
    first = assumed(alice.credentials, role_arn("first"), "hop-1")

    assert assume(first, role_arn("second"))["AssumedRoleUser"]["Arn"] == (
        session_arn("second", "session")
    )


def test_role_principal_is_limited_by_the_roles_boundary(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    boundary = create_policy(sts_mock, "s3-only", S3_ONLY)
    create_role(sts_mock, "first", trust(alice.arn), boundary=boundary)
    create_role(sts_mock, "second", trust(role_arn("first")))
    first = assumed(alice.credentials, role_arn("first"), "hop-1")

    assert aws_error(assume_call(first, role_arn("second"))) == denied(
        session_arn("first", "hop-1"), role_arn("second")
    )


def test_session_principal_is_not_limited_by_the_roles_boundary(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    boundary = create_policy(sts_mock, "s3-only", S3_ONLY)
    create_role(sts_mock, "first", trust(alice.arn), boundary=boundary)
    create_role(sts_mock, "second", trust(session_arn("first", "hop-1")))
    first = assumed(alice.credentials, role_arn("first"), "hop-1")
    other = assumed(alice.credentials, role_arn("first"), "hop-2")

    assert assume(first, role_arn("second"))["AssumedRoleUser"]["Arn"] == (
        session_arn("second", "session")
    )
    assert aws_error(assume_call(other, role_arn("second"))) == denied(
        session_arn("first", "hop-2"), role_arn("second")
    )


def test_role_id_principal_matches_the_roles_sessions(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    first_id = create_role(sts_mock, "first", trust(alice.arn))["RoleId"]
    create_role(sts_mock, "second", trust(first_id))
    first = assumed(alice.credentials, role_arn("first"), "hop-1")

    assert assume(first, role_arn("second"))["AssumedRoleUser"]["Arn"] == (
        session_arn("second", "session")
    )


def test_any_principal_is_a_direct_grant_in_the_same_account(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    create_role(sts_mock, "deployer", trust("*"))
    create_role(sts_mock, "plain-star", document(statement("sts:AssumeRole", principal="*")))

    assert assume(alice.credentials, DEPLOYER)
    assert assume(alice.credentials, role_arn("plain-star"))


def test_any_principal_across_accounts_still_needs_an_identity_allow(sts_mock: MockSTS) -> None:
    target = role_arn("target", ROLE_ACCOUNT)
    alice = sts_mock.create_user("alice", account_id=ALICE_ACCOUNT, policies={"a": ALLOW_ASSUME})
    bob = sts_mock.create_user("bob", account_id=ALICE_ACCOUNT)
    create_role(sts_mock, "target", trust("*"), account_id=ROLE_ACCOUNT)

    assert assume(alice.credentials, target)
    assert aws_error(assume_call(bob.credentials, target)) == denied(bob.arn, target)


def test_user_unique_id_principal_is_a_direct_grant(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    bob = sts_mock.create_user("bob")
    create_role(sts_mock, "deployer", trust(alice.user_id))

    assert assume(alice.credentials, DEPLOYER)
    assert assume(session_token_of(alice.credentials), DEPLOYER)
    assert aws_error(assume_call(bob.credentials, DEPLOYER)) == denied(bob.arn, DEPLOYER)


def test_cross_account_source_identity_needs_both_sides(sts_mock: MockSTS) -> None:
    target = role_arn("target", ROLE_ACCOUNT)
    alice = sts_mock.create_user(
        "alice", account_id=ALICE_ACCOUNT, policies={"assume": allow("sts:AssumeRole", target)}
    )
    create_role(
        sts_mock,
        "target",
        trust(alice.arn, actions=["sts:AssumeRole", "sts:SetSourceIdentity"]),
        account_id=ROLE_ACCOUNT,
    )

    call = assume_call(alice.credentials, target, SourceIdentity="alice")
    assert aws_error(call) == denied(alice.arn, target, "sts:SetSourceIdentity")
    iam_client(sts_mock, ALICE_ACCOUNT).put_user_policy(
        UserName="alice",
        PolicyName="source",
        PolicyDocument=json.dumps(allow("sts:SetSourceIdentity", target)),
    )
    assert assume(alice.credentials, target, SourceIdentity="alice")["SourceIdentity"] == "alice"


# ---------------------------------------------------------------------------------------
# Condition operators and keys in trust policies (§6.4, §6.5)


def test_string_equals_on_external_id(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    arn = conditional_role(sts_mock, alice.arn, {"StringEquals": {"sts:ExternalId": "x-123"}})

    assert assume(alice.credentials, arn, ExternalId="x-123")
    assert aws_error(assume_call(alice.credentials, arn, ExternalId="X-123")) == denied(
        alice.arn, arn
    )
    assert aws_error(assume_call(alice.credentials, arn)) == denied(alice.arn, arn)


def test_string_like_on_role_session_name(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    arn = conditional_role(sts_mock, alice.arn, {"StringLike": {"sts:RoleSessionName": "ci-*"}})

    assert assume(alice.credentials, arn, "ci-42")
    assert assume(alice.credentials, arn, "ci-")
    assert aws_error(assume_call(alice.credentials, arn, "dev-42")) == denied(alice.arn, arn)
    assert aws_error(assume_call(alice.credentials, arn, "CI-42")) == denied(alice.arn, arn)


def test_bool_multi_factor_auth_present(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    arn = conditional_role(sts_mock, alice.arn, {"Bool": {"aws:MultiFactorAuthPresent": "true"}})

    assert assume(alice.credentials, arn, **with_mfa(device))
    assert aws_error(assume_call(alice.credentials, arn)) == denied(alice.arn, arn)


def test_bool_multi_factor_auth_present_of_session_token_credentials(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    arn = conditional_role(sts_mock, alice.arn, {"Bool": {"aws:MultiFactorAuthPresent": "true"}})
    plain = session_token_of(alice.credentials)
    with_code = session_token_of(alice.credentials, **with_mfa(device))

    assert assume(with_code, arn)
    assert aws_error(assume_call(plain, arn)) == denied(alice.arn, arn)


def test_bool_multi_factor_auth_present_false_needs_temporary_credentials(
    sts_mock: MockSTS,
) -> None:
    # The key is absent for long-term keys, "false" for sessions without MFA.
    alice = sts_mock.create_user("alice")
    arn = conditional_role(sts_mock, alice.arn, {"Bool": {"aws:MultiFactorAuthPresent": "false"}})

    assert assume(session_token_of(alice.credentials), arn)
    assert aws_error(assume_call(alice.credentials, arn)) == denied(alice.arn, arn)


def test_numeric_less_than_on_multi_factor_auth_age(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    arn = conditional_role(
        sts_mock, alice.arn, {"NumericLessThan": {"aws:MultiFactorAuthAge": "300"}}
    )
    with time_machine.travel(T0, tick=False):
        session = session_token_of(alice.credentials, **with_mfa(device))
    plain = session_token_of(alice.credentials)

    with time_machine.travel(T0 + dt.timedelta(seconds=299), tick=False):
        assert assume(session, arn)
    with time_machine.travel(T0 + dt.timedelta(seconds=300), tick=False):
        assert aws_error(assume_call(session, arn)) == denied(alice.arn, arn)
    assert aws_error(assume_call(plain, arn)) == denied(alice.arn, arn)


def test_multi_factor_auth_age_is_zero_with_mfa_in_the_request(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    device = alice.enable_mfa()
    arn = conditional_role(sts_mock, alice.arn, {"NumericEquals": {"aws:MultiFactorAuthAge": "0"}})

    assert assume(alice.credentials, arn, **with_mfa(device))
    assert aws_error(assume_call(alice.credentials, arn)) == denied(alice.arn, arn)


@pytest.mark.parametrize(
    ("operator", "cidr", "allowed"),
    [
        ("IpAddress", "127.0.0.1", True),
        ("IpAddress", "127.0.0.0/8", True),
        ("IpAddress", "10.0.0.0/8", False),
        ("IpAddress", "127.0.0.2", False),
        ("NotIpAddress", "10.0.0.0/8", True),
        ("NotIpAddress", "127.0.0.1/32", False),
    ],
)
def test_ip_address_on_source_ip(
    sts_mock: MockSTS, operator: str, cidr: str, allowed: bool
) -> None:
    alice = sts_mock.create_user("alice")
    arn = conditional_role(sts_mock, alice.arn, {operator: {"aws:SourceIp": cidr}})

    if allowed:
        assert assume(alice.credentials, arn)
    else:
        assert aws_error(assume_call(alice.credentials, arn)) == denied(alice.arn, arn)


def test_date_greater_than_on_current_time(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    arn = conditional_role(
        sts_mock, alice.arn, {"DateGreaterThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}
    )

    with time_machine.travel(dt.datetime(2029, 12, 31, 23, 59, 59, tzinfo=UTC), tick=False):
        assert aws_error(assume_call(alice.credentials, arn)) == denied(alice.arn, arn)
    with time_machine.travel(dt.datetime(2030, 1, 1, 0, 0, 0, tzinfo=UTC), tick=False):
        assert aws_error(assume_call(alice.credentials, arn)) == denied(alice.arn, arn)
    with time_machine.travel(dt.datetime(2030, 1, 1, 0, 0, 1, tzinfo=UTC), tick=False):
        assert assume(alice.credentials, arn)


def test_date_less_than_on_epoch_time(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    deadline = int(dt.datetime(2030, 1, 1, tzinfo=UTC).timestamp())
    arn = conditional_role(sts_mock, alice.arn, {"DateLessThan": {"aws:EpochTime": str(deadline)}})

    with time_machine.travel(dt.datetime(2029, 6, 1, tzinfo=UTC), tick=False):
        assert assume(alice.credentials, arn)
    with time_machine.travel(dt.datetime(2030, 6, 1, tzinfo=UTC), tick=False):
        assert aws_error(assume_call(alice.credentials, arn)) == denied(alice.arn, arn)


def test_principal_tag_of_the_calling_user(sts_mock: MockSTS) -> None:
    policies = {"assume": ALLOW_ASSUME}
    red = sts_mock.create_user("red", tags={"team": "red"}, policies=policies)
    blue = sts_mock.create_user("blue", tags={"team": "blue"}, policies=policies)
    untagged = sts_mock.create_user("untagged", policies=policies)
    arn = conditional_role(sts_mock, ACCOUNT, {"StringEquals": {"aws:PrincipalTag/team": "red"}})

    assert assume(red.credentials, arn)
    assert aws_error(assume_call(blue.credentials, arn)) == denied(blue.arn, arn)
    assert aws_error(assume_call(untagged.credentials, arn)) == denied(untagged.arn, arn)


def test_what_iam_changes_between_two_requests_decides_the_second(sts_mock: MockSTS) -> None:
    # Each request is decided on the state as it is then: a caller's tags and policies read
    # for one request are read again after IAM changed them, however many STS requests came
    # between.
    red = sts_mock.create_user("red", tags={"team": "red"}, policies={"assume": ALLOW_ASSUME})
    arn = conditional_role(sts_mock, ACCOUNT, {"StringEquals": {"aws:PrincipalTag/team": "red"}})
    iam = iam_client(sts_mock)
    assert assume(red.credentials, arn)
    assert caller_identity(sts_client(red.credentials))["Arn"] == red.arn

    iam.tag_user(UserName="red", Tags=[{"Key": "team", "Value": "blue"}])
    assert aws_error(assume_call(red.credentials, arn)) == denied(red.arn, arn)

    iam.tag_user(UserName="red", Tags=[{"Key": "team", "Value": "red"}])
    assert assume(red.credentials, arn)
    deny = document(statement("sts:*", effect="Deny"))
    iam.put_user_policy(UserName="red", PolicyName="no-sts", PolicyDocument=json.dumps(deny))
    assert aws_error(assume_call(red.credentials, arn)) == denied(red.arn, arn)


def test_principal_tag_key_is_case_insensitive(sts_mock: MockSTS) -> None:
    red = sts_mock.create_user("red", tags={"Team": "red"})
    arn = conditional_role(sts_mock, red.arn, {"StringEquals": {"aws:PrincipalTag/TEAM": "red"}})

    assert assume(red.credentials, arn)


def test_principal_tag_of_session_token_credentials_is_the_users(sts_mock: MockSTS) -> None:
    red = sts_mock.create_user("red", tags={"team": "red"})
    arn = conditional_role(sts_mock, red.arn, {"StringEquals": {"aws:PrincipalTag/team": "red"}})

    assert assume(session_token_of(red.credentials), arn)


def test_transitive_tag_keys_condition(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    policy = document(
        statement("sts:AssumeRole", principal={"AWS": alice.arn}),
        statement(
            "sts:TagSession",
            principal={"AWS": alice.arn},
            condition={"ForAllValues:StringEquals": {"sts:TransitiveTagKeys": ["team"]}},
        ),
    )
    create_role(sts_mock, "deployer", policy)
    tags = tag_list(team="red", env="dev")

    assert assume(alice.credentials, DEPLOYER, Tags=tags, TransitiveTagKeys=["team"])
    assert assume(alice.credentials, DEPLOYER, Tags=tags)
    call = assume_call(alice.credentials, DEPLOYER, Tags=tags, TransitiveTagKeys=["team", "env"])
    assert aws_error(call) == denied(alice.arn, DEPLOYER, "sts:TagSession")


def test_request_tag_and_tag_keys(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    policy = document(
        statement("sts:AssumeRole", principal={"AWS": alice.arn}),
        statement(
            "sts:TagSession",
            principal={"AWS": alice.arn},
            condition={
                "StringEquals": {"aws:RequestTag/project": "pegasus"},
                "ForAllValues:StringEquals": {"aws:TagKeys": ["project", "cost"]},
            },
        ),
    )
    create_role(sts_mock, "deployer", policy)

    assert assume(alice.credentials, DEPLOYER, Tags=tag_list(project="pegasus"))
    assert assume(alice.credentials, DEPLOYER, Tags=tag_list(project="pegasus", cost="42"))
    for tags in (
        tag_list(project="apollo"),
        tag_list(project="pegasus", owner="alice"),
        tag_list(cost="42"),
        # aws:RequestTag/<k> is looked up in any case, but aws:TagKeys values keep theirs.
        tag_list(Project="pegasus"),
    ):
        assert aws_error(assume_call(alice.credentials, DEPLOYER, Tags=tags)) == denied(
            alice.arn, DEPLOYER, "sts:TagSession"
        )


@pytest.mark.parametrize("key", ["aws:ResourceTag/env", "iam:ResourceTag/env"])
def test_resource_tag_of_the_role(sts_mock: MockSTS, key: str) -> None:
    alice = sts_mock.create_user("alice")
    arn = conditional_role(
        sts_mock, alice.arn, {"StringEquals": {key: "prod"}}, Tags=tag_list(env="prod")
    )

    assert assume(alice.credentials, arn)
    iam_client(sts_mock).tag_role(RoleName="deployer", Tags=tag_list(env="dev"))
    assert aws_error(assume_call(alice.credentials, arn)) == denied(alice.arn, arn)
    iam_client(sts_mock).untag_role(RoleName="deployer", TagKeys=["env"])
    assert aws_error(assume_call(alice.credentials, arn)) == denied(alice.arn, arn)


def test_source_identity_condition(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    policy = document(
        statement("sts:AssumeRole", principal={"AWS": alice.arn}),
        statement(
            "sts:SetSourceIdentity",
            principal={"AWS": alice.arn},
            condition={"StringLike": {"sts:SourceIdentity": "${aws:username}"}},
        ),
    )
    create_role(sts_mock, "deployer", policy)

    assert assume(alice.credentials, DEPLOYER, SourceIdentity="alice")["SourceIdentity"] == "alice"
    assert aws_error(assume_call(alice.credentials, DEPLOYER, SourceIdentity="mallory")) == denied(
        alice.arn, DEPLOYER, "sts:SetSourceIdentity"
    )


def test_source_identity_required_by_the_trust_policy(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    arn = conditional_role(
        sts_mock,
        alice.arn,
        {"StringEquals": {"sts:SourceIdentity": "alice"}},
        actions=["sts:AssumeRole", "sts:SetSourceIdentity"],
    )

    assert assume(alice.credentials, arn, SourceIdentity="alice")
    assert aws_error(assume_call(alice.credentials, arn)) == denied(alice.arn, arn)


def test_principal_arn_of_a_role_session_is_the_role_arn(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    ops_arn = role_arn("ops", path="/team/")
    create_role(sts_mock, "ops", trust(alice.arn), Path="/team/", policies={"assume": ALLOW_ASSUME})
    create_role(sts_mock, "other", trust(alice.arn), policies={"assume": ALLOW_ASSUME})
    by_role = conditional_role(
        sts_mock, ACCOUNT, {"ArnEquals": {"aws:PrincipalArn": ops_arn}}, name="by-role"
    )
    by_session = conditional_role(
        sts_mock,
        ACCOUNT,
        {"StringEquals": {"aws:PrincipalArn": session_arn("ops", "hop-1")}},
        name="by-session",
    )
    ops = assumed(alice.credentials, ops_arn, "hop-1")
    other = assumed(alice.credentials, role_arn("other"), "hop-1")

    assert assume(ops, by_role)
    assert aws_error(assume_call(other, by_role)) == denied(session_arn("other", "hop-1"), by_role)
    assert aws_error(assume_call(ops, by_session)) == denied(
        session_arn("ops", "hop-1"), by_session
    )


def test_principal_arn_of_a_user(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"assume": ALLOW_ASSUME})
    bob = sts_mock.create_user("bob", policies={"assume": ALLOW_ASSUME})
    arn = conditional_role(
        sts_mock, ACCOUNT, {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/ali*"}}
    )

    assert assume(alice.credentials, arn)
    assert aws_error(assume_call(bob.credentials, arn)) == denied(bob.arn, arn)


def test_userid_of_a_user(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"assume": ALLOW_ASSUME})
    bob = sts_mock.create_user("bob", policies={"assume": ALLOW_ASSUME})
    arn = conditional_role(sts_mock, ACCOUNT, {"StringEquals": {"aws:userid": alice.user_id}})

    assert assume(alice.credentials, arn)
    assert aws_error(assume_call(bob.credentials, arn)) == denied(bob.arn, arn)


def test_userid_of_a_role_session(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    ops_id = create_role(sts_mock, "ops", trust(alice.arn), policies={"assume": ALLOW_ASSUME})[
        "RoleId"
    ]
    arn = conditional_role(sts_mock, ACCOUNT, {"StringLike": {"aws:userid": f"{ops_id}:ci-*"}})

    assert assume(assumed(alice.credentials, role_arn("ops"), "ci-7"), arn)
    dev = assumed(alice.credentials, role_arn("ops"), "dev-7")
    assert aws_error(assume_call(dev, arn)) == denied(session_arn("ops", "dev-7"), arn)


def test_username_of_a_user(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"assume": ALLOW_ASSUME})
    bob = sts_mock.create_user("bob", policies={"assume": ALLOW_ASSUME})
    create_role(sts_mock, "ops", trust(alice.arn), policies={"assume": ALLOW_ASSUME})
    arn = conditional_role(sts_mock, ACCOUNT, {"StringEquals": {"aws:username": "alice"}})
    ops = assumed(alice.credentials, role_arn("ops"), "alice")

    assert assume(alice.credentials, arn)
    assert aws_error(assume_call(bob.credentials, arn)) == denied(bob.arn, arn)
    # Role sessions have no aws:username, whatever their session name.
    assert aws_error(assume_call(ops, arn)) == denied(session_arn("ops", "alice"), arn)


def test_principal_type(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"assume": ALLOW_ASSUME})
    create_role(sts_mock, "ops", trust(alice.arn), policies={"assume": ALLOW_ASSUME})
    arn = conditional_role(
        sts_mock, ACCOUNT, {"StringEquals": {"aws:PrincipalType": "AssumedRole"}}
    )
    ops = assumed(alice.credentials, role_arn("ops"), "hop-1")

    assert assume(ops, arn)
    assert aws_error(assume_call(alice.credentials, arn)) == denied(alice.arn, arn)
