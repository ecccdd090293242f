"""AWS's IAM policy simulator (SimulatePrincipalPolicy, SimulateCustomPolicy,
GetContextKeysForPrincipalPolicy, GetContextKeysForCustomPolicy), asked through boto3 as a
suite asks AWS, and answered by the engine that decides every request: its decisions are
those of MockSTS.evaluate and of the requests themselves."""

from __future__ import annotations

import functools
import json
from typing import Any

import pytest

from mock_sts import MockSTS
from tests.helpers import aws_error, client
from tests.helpers.assume_role import allow, document, statement, trust

ACCOUNT = "123456789012"
OTHER = "210987654321"
ALICE = f"arn:aws:iam::{ACCOUNT}:user/alice"
BUCKET = "arn:aws:s3:::reports"
OBJECT = f"{BUCKET}/2026/q1.csv"
OBJECT_TEMPLATE = "arn:${Partition}:s3:::${BucketName}/${ObjectName}"

# The AWS CLI's examples of simulate-custom-policy and get-context-keys-for-custom-policy.
AFTER_2018 = (
    '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*",'
    '"Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}'
)
PER_USER_TABLE = (
    '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*",'
    '"Resource":"arn:aws:dynamodb:us-west-2:123456789012:table/${aws:username}",'
    '"Condition":{"DateGreaterThan":{"aws:CurrentTime":"2015-08-16T12:00:00Z"}}}}'
)


def invalid_input(message: str) -> tuple[str, str, int]:
    return ("InvalidInput", message, 400)


def results(answer: dict[str, Any]) -> list[dict[str, Any]]:
    assert answer["IsTruncated"] is False
    found: list[dict[str, Any]] = answer["EvaluationResults"]
    return found


def decisions(answer: dict[str, Any]) -> dict[str, str]:
    return {r["EvalActionName"]: r["EvalDecision"] for r in results(answer)}


def at(line: int, column: int) -> dict[str, int]:
    return {"Line": line, "Column": column}


def matched(
    policy_id: str, start: tuple[int, int], end: tuple[int, int], kind: str = "IAM Policy"
) -> dict[str, Any]:
    return {
        "SourcePolicyId": policy_id,
        "SourcePolicyType": kind,
        "StartPosition": at(*start),
        "EndPosition": at(*end),
    }


def date_entry(value: str) -> dict[str, Any]:
    return {
        "ContextKeyName": "aws:CurrentTime",
        "ContextKeyValues": [value],
        "ContextKeyType": "date",
    }


# ---------------------------------------------------------------------------------------
# SimulateCustomPolicy and GetContextKeysForCustomPolicy: AWS's own examples


def test_a_custom_policy_is_answered_as_the_aws_cli_example(sts_mock: MockSTS) -> None:
    iam = client("iam")
    simulate = functools.partial(
        iam.simulate_custom_policy,
        PolicyInputList=[AFTER_2018],
        ActionNames=["dynamodb:CreateBackup"],
    )

    answer = simulate(ContextEntries=[date_entry("2019-04-25T11:00:00Z")])

    assert results(answer) == [
        {
            "EvalActionName": "dynamodb:CreateBackup",
            "EvalResourceName": "*",
            "EvalDecision": "allowed",
            "MatchedStatements": [matched("PolicyInputList.1", (1, 38), (1, 167))],
            "MissingContextValues": [],
        }
    ]
    before = results(simulate(ContextEntries=[date_entry("2018-04-25T11:00:00Z")]))[0]
    assert (before["EvalDecision"], before["MatchedStatements"]) == ("implicitDeny", [])
    # Without the date the statement cannot be decided: the key it needs is missing.
    unknown = results(simulate())[0]
    assert unknown["EvalDecision"] == "implicitDeny"
    assert unknown["MissingContextValues"] == ["aws:CurrentTime"]


def test_context_keys_of_custom_policies_as_aws_lists_them(sts_mock: MockSTS) -> None:
    iam = client("iam")
    tagged = document(
        statement(
            "s3:GetObject",
            "arn:aws:s3:::b/${aws:PrincipalTag/team}/${*}",
            condition={
                "StringEquals": {"AWS:CurrentTime": "x", "s3:prefix": "${aws:userid}/"},
                "NumericLessThan": {"aws:MultiFactorAuthAge": "300"},
            },
        ),
        {**statement("s3:PutObject"), "NotResource": "arn:aws:s3:::b/${aws:username}"},
    )
    del tagged["Statement"][1]["Resource"]
    # Without Version 2012-10-17, ${...} is text: it reads no key.
    legacy = {"Statement": [statement("s3:GetObject", "arn:aws:s3:::b/${aws:SourceIp}")]}

    keys = iam.get_context_keys_for_custom_policy(
        PolicyInputList=[PER_USER_TABLE, json.dumps(tagged), json.dumps(legacy)]
    )["ContextKeyNames"]

    assert keys == [
        "aws:username",
        "aws:CurrentTime",
        "aws:PrincipalTag/team",
        "s3:prefix",
        "aws:userid",
        "aws:MultiFactorAuthAge",
    ]


def test_statements_are_placed_as_aws_places_them(sts_mock: MockSTS) -> None:
    policy = document(
        statement(["s3:GetObject", "s3:DeleteObject"], f"{BUCKET}/*"),
        statement("s3:DeleteObject", f"{BUCKET}/2026/*", effect="Deny"),
    )
    text = json.dumps(policy, indent=2)

    answer = client("iam").simulate_custom_policy(
        PolicyInputList=[text],
        ActionNames=["s3:GetObject", "s3:DeleteObject", "s3:PutObject"],
        ResourceArns=[OBJECT],
    )

    first, second = ((3, 17), (11, 6)), ((11, 6), (16, 6))
    assert [r["MatchedStatements"] for r in results(answer)] == [
        [matched("PolicyInputList.1", *first)],
        # An explicit deny lists every statement that applies, the Allow too [O].
        [matched("PolicyInputList.1", *first), matched("PolicyInputList.1", *second)],
        [],
    ]
    assert decisions(answer) == {
        "s3:GetObject": "allowed",
        "s3:DeleteObject": "explicitDeny",
        "s3:PutObject": "implicitDeny",
    }


def test_context_entries_of_every_type(sts_mock: MockSTS) -> None:
    conditions = {
        "ForAnyValue:StringEquals": {"aws:TagKeys": "team"},
        "NumericLessThan": {"s3:max-keys": "10"},
        "Bool": {"aws:SecureTransport": "true"},
        "IpAddress": {"aws:SourceIp": "10.0.0.0/8"},
    }
    policy = json.dumps(document(statement("s3:ListBucket", BUCKET, condition=conditions)))
    entries = [
        {
            "ContextKeyName": "aws:TagKeys",
            "ContextKeyValues": ["cost", "team"],
            "ContextKeyType": "stringList",
        },
        {"ContextKeyName": "s3:max-keys", "ContextKeyValues": ["5"], "ContextKeyType": "numeric"},
        {
            "ContextKeyName": "aws:SecureTransport",
            "ContextKeyValues": ["true"],
            "ContextKeyType": "boolean",
        },
        {
            "ContextKeyName": "aws:SourceIp",
            "ContextKeyValues": ["10.1.2.3"],
            "ContextKeyType": "ip",
        },
        # A single-valued type given no value supplies nothing.
        {"ContextKeyName": "aws:username", "ContextKeyValues": [], "ContextKeyType": "string"},
    ]
    simulate = functools.partial(
        client("iam").simulate_custom_policy,
        PolicyInputList=[policy],
        ActionNames=["s3:ListBucket"],
        ResourceArns=[BUCKET],
    )

    assert results(simulate(ContextEntries=entries))[0]["EvalDecision"] == "allowed"
    outside = [*entries[:3], {**entries[3], "ContextKeyValues": ["192.0.2.1"]}]
    assert results(simulate(ContextEntries=outside))[0]["EvalDecision"] == "implicitDeny"
    partial = results(simulate(ContextEntries=entries[:2]))[0]
    assert partial["MissingContextValues"] == ["aws:SecureTransport", "aws:SourceIp"]


# ---------------------------------------------------------------------------------------
# SimulatePrincipalPolicy: the entity's own policies, decided as its requests are


def alice_in_a_group(sts_mock: MockSTS) -> Any:
    """alice, who may read one bucket's objects herself and list IAM users through her
    group's managed policy, but may not delete objects under 2026/."""
    iam = client("iam")
    user = sts_mock.create_user("alice", policies={"reports": allow("s3:GetObject", f"{BUCKET}/*")})
    iam.create_group(GroupName="auditors")
    iam.add_user_to_group(GroupName="auditors", UserName="alice")
    guard = json.dumps(document(statement("s3:*", f"{BUCKET}/2026/*", effect="Deny")))
    arn = iam.create_policy(PolicyName="no-2026", PolicyDocument=guard)["Policy"]["Arn"]
    iam.attach_group_policy(GroupName="auditors", PolicyArn=arn)
    iam.put_group_policy(
        GroupName="auditors", PolicyName="list", PolicyDocument=json.dumps(allow("iam:ListUsers"))
    )
    return user


def test_a_user_is_simulated_with_its_groups_policies(sts_mock: MockSTS) -> None:
    alice_in_a_group(sts_mock)
    simulate = functools.partial(client("iam").simulate_principal_policy, PolicySourceArn=ALICE)

    answer = simulate(ActionNames=["iam:ListUsers", "iam:DeleteUser"])
    elsewhere = simulate(ActionNames=["s3:GetObject"], ResourceArns=[f"{BUCKET}/2025/q4.csv"])

    assert decisions(answer) == {"iam:ListUsers": "allowed", "iam:DeleteUser": "implicitDeny"}
    sources = [[m["SourcePolicyId"] for m in r["MatchedStatements"]] for r in results(answer)]
    assert sources == [["group_auditors_list"], []]
    allowed = results(elsewhere)[0]
    assert allowed["EvalDecision"] == "allowed"
    assert [m["SourcePolicyId"] for m in allowed["MatchedStatements"]] == ["user_alice_reports"]
    denied = results(simulate(ActionNames=["s3:GetObject"], ResourceArns=[OBJECT]))[0]
    assert denied["EvalDecision"] == "explicitDeny"
    assert [m["SourcePolicyId"] for m in denied["MatchedStatements"]] == [
        "user_alice_reports",
        "no-2026",
    ]


@pytest.mark.parametrize(
    ("action", "resource"),
    [
        ("s3:GetObject", f"{BUCKET}/2025/q4.csv"),
        ("s3:GetObject", OBJECT),
        ("s3:PutObject", f"{BUCKET}/2025/q4.csv"),
        ("iam:ListUsers", "*"),
        ("iam:CreateUser", f"arn:aws:iam::{ACCOUNT}:user/mallory"),
    ],
)
def test_the_simulator_decides_as_mock_sts_evaluate(
    sts_mock: MockSTS, action: str, resource: str
) -> None:
    alice_in_a_group(sts_mock)
    verdict = sts_mock.evaluate(ALICE, action, resource)

    answer = client("iam").simulate_principal_policy(
        PolicySourceArn=ALICE, ActionNames=[action], ResourceArns=[resource]
    )

    expected = (
        "allowed"
        if verdict.allowed
        else "explicitDeny"
        if verdict.explicit_deny
        else "implicitDeny"
    )
    assert results(answer)[0]["EvalDecision"] == expected


def test_the_simulator_decides_as_requests_are_decided(sts_mock: MockSTS) -> None:
    user = alice_in_a_group(sts_mock)
    as_alice = client("iam", user.credentials)
    simulated = decisions(
        client("iam").simulate_principal_policy(
            PolicySourceArn=ALICE, ActionNames=["iam:ListUsers", "iam:ListRoles"]
        )
    )

    assert simulated == {"iam:ListUsers": "allowed", "iam:ListRoles": "implicitDeny"}
    assert as_alice.list_users()["Users"]
    code, _, status = aws_error(as_alice.list_roles)
    assert (code, status) == ("AccessDenied", 403)


def test_a_role_with_a_permissions_boundary(sts_mock: MockSTS) -> None:
    iam = client("iam")
    boundary = iam.create_policy(PolicyName="s3-only", PolicyDocument=json.dumps(allow("s3:*")))
    role = sts_mock.create_role(
        "deployer",
        trust(f"arn:aws:iam::{ACCOUNT}:root"),
        policies={"all": allow(["s3:GetObject", "ec2:RunInstances"])},
        permissions_boundary=boundary["Policy"]["Arn"],
    )
    simulate = functools.partial(
        iam.simulate_principal_policy,
        PolicySourceArn=role.arn,
        ActionNames=["s3:GetObject", "ec2:RunInstances"],
    )

    answer = results(simulate())

    assert [(r["EvalDecision"], r["PermissionsBoundaryDecisionDetail"]) for r in answer] == [
        ("allowed", {"AllowedByPermissionsBoundary": True}),
        ("implicitDeny", {"AllowedByPermissionsBoundary": False}),
    ]
    assert answer[0]["MatchedStatements"][0]["SourcePolicyId"] == "role_deployer_all"
    # A boundary given with the request replaces the role's own.
    ec2_only = json.dumps(allow("ec2:*"))
    replaced = decisions(simulate(PermissionsBoundaryPolicyInputList=[ec2_only]))
    assert replaced == {"s3:GetObject": "implicitDeny", "ec2:RunInstances": "allowed"}
    assert sts_mock.evaluate(role.arn, "ec2:RunInstances", "*").allowed is False
    bucket = results(simulate(ResourceArns=[BUCKET]))[0]["ResourceSpecificResults"]
    assert bucket[0]["PermissionsBoundaryDecisionDetail"] == {"AllowedByPermissionsBoundary": True}


def test_policies_given_with_a_principal_add_to_its_own(sts_mock: MockSTS) -> None:
    alice_in_a_group(sts_mock)
    extra = json.dumps(allow("sqs:SendMessage"))
    iam = client("iam")

    answer = iam.simulate_principal_policy(
        PolicySourceArn=ALICE, PolicyInputList=[extra], ActionNames=["sqs:SendMessage"]
    )
    keys = iam.get_context_keys_for_principal_policy(
        PolicySourceArn=ALICE, PolicyInputList=[AFTER_2018]
    )["ContextKeyNames"]

    assert results(answer)[0]["MatchedStatements"] == [
        matched("PolicyInputList.1", (1, 41), (1, 106))
    ]
    assert keys == ["aws:CurrentTime"]


def test_context_keys_of_a_principals_policies(sts_mock: MockSTS) -> None:
    iam = client("iam")
    sts_mock.create_user("bob", policies={"table": json.loads(PER_USER_TABLE)})
    iam.create_group(GroupName="mfa")
    iam.add_user_to_group(GroupName="mfa", UserName="bob")
    needs_mfa = document(statement("*", condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}}))
    iam.put_group_policy(GroupName="mfa", PolicyName="mfa", PolicyDocument=json.dumps(needs_mfa))
    get_keys = iam.get_context_keys_for_principal_policy

    user_keys = get_keys(PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:user/bob")["ContextKeyNames"]
    group_keys = get_keys(PolicySourceArn=f"arn:aws:iam::{ACCOUNT}:group/mfa")["ContextKeyNames"]

    assert user_keys == ["aws:username", "aws:CurrentTime", "aws:MultiFactorAuthPresent"]
    assert group_keys == ["aws:MultiFactorAuthPresent"]


def test_policies_excluded_from_a_principals_simulation(sts_mock: MockSTS) -> None:
    alice_in_a_group(sts_mock)
    org = sts_mock.organization("111111111111", [ACCOUNT])
    org.attach_scp(document(statement("iam:ListUsers", effect="Deny")), account_id=ACCOUNT)
    simulate = functools.partial(
        client("iam").simulate_principal_policy,
        PolicySourceArn=ALICE,
        ActionNames=["iam:ListUsers", "s3:GetObject"],
        ResourceArns=[OBJECT],
    )

    def without(*identifiers: dict[str, Any]) -> dict[str, str]:
        answer = results(simulate(PolicyExclusionList=list(identifiers)))
        return {r["EvalActionName"]: r["EvalDecision"] for r in answer}

    assert without() == {"iam:ListUsers": "explicitDeny", "s3:GetObject": "explicitDeny"}
    no_scp = {"PolicyType": "scp"}
    assert without(no_scp) == {"iam:ListUsers": "allowed", "s3:GetObject": "explicitDeny"}
    # The group's managed policy no-2026 denies the object; alice's own policy allows it.
    guard = {"PolicyArn": f"arn:aws:iam::{ACCOUNT}:policy/no-20??"}
    assert without(no_scp, guard)["s3:GetObject"] == "allowed"
    assert without(no_scp, {"PolicyType": "user-managed"})["s3:GetObject"] == "allowed"
    assert without(no_scp, guard, {"PolicyType": "inline"})["s3:GetObject"] == "implicitDeny"
    own = {"PolicyName": "reports", "AttachmentType": "user", "AttachmentName": "alice"}
    assert without(no_scp, guard, {"InlinePolicyIdentifier": own})["s3:GetObject"] == "implicitDeny"
    # Identifiers that match nothing are ignored.
    other = {"PolicyName": "reports", "AttachmentType": "group", "AttachmentName": "alice"}
    aws = {"PolicyType": "aws-managed"}
    assert (
        without(no_scp, guard, {"InlinePolicyIdentifier": other}, aws)["s3:GetObject"] == "allowed"
    )


def test_excluding_a_roles_boundary(sts_mock: MockSTS) -> None:
    iam = client("iam")
    boundary = iam.create_policy(PolicyName="s3-only", PolicyDocument=json.dumps(allow("s3:*")))
    role = sts_mock.create_role(
        "builder",
        trust(f"arn:aws:iam::{ACCOUNT}:root"),
        policies={"ec2": allow("ec2:RunInstances")},
        permissions_boundary=boundary["Policy"]["Arn"],
    )
    simulate = functools.partial(
        iam.simulate_principal_policy, PolicySourceArn=role.arn, ActionNames=["ec2:RunInstances"]
    )

    kept = results(simulate(PolicyExclusionList=[{"PolicyType": "aws-managed"}]))[0]
    removed = results(simulate(PolicyExclusionList=[{"PolicyType": "permission-boundary"}]))[0]

    assert kept["EvalDecision"] == "implicitDeny"
    assert removed["EvalDecision"] == "allowed"
    assert "PermissionsBoundaryDecisionDetail" not in removed
    bad = [
        f"arn:aws:iam::*:policy/{boundary['Policy']['PolicyName']}",
        "arn:aws:iam::123456789012:policy/*-*",
        "not-an-arn-at-all-but-long",
    ]
    for arn in bad:
        call = functools.partial(simulate, PolicyExclusionList=[{"PolicyArn": arn}])
        assert aws_error(call) == invalid_input(
            f"Invalid policy identifier in PolicyExclusionList: {arn}"
        )


# ---------------------------------------------------------------------------------------
# Resources, resource policies, organizations, paging


def bucket_policy(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def test_resource_specific_results(sts_mock: MockSTS) -> None:
    alice_in_a_group(sts_mock)
    elsewhere = f"{BUCKET}/2025/q4.csv"

    answer = client("iam").simulate_principal_policy(
        PolicySourceArn=ALICE,
        ActionNames=["s3:GetObject"],
        ResourceArns=[elsewhere, OBJECT],
    )

    result = results(answer)[0]
    assert result["EvalResourceName"] == OBJECT_TEMPLATE
    assert result["EvalDecision"] == "explicitDeny"
    assert result["EvalDecisionDetails"] == {}
    assert [
        (r["EvalResourceName"], r["EvalResourceDecision"])
        for r in result["ResourceSpecificResults"]
    ] == [
        (elsewhere, "allowed"),
        (OBJECT, "explicitDeny"),
    ]
    # The top-level statements are those of every resource, each once.
    assert result["MatchedStatements"] == result["ResourceSpecificResults"][1]["MatchedStatements"]


def test_an_action_without_a_resource_type_is_named_by_a_star(sts_mock: MockSTS) -> None:
    policy = json.dumps(allow("*"))
    simulate = functools.partial(client("iam").simulate_custom_policy, PolicyInputList=[policy])

    names = [
        results(simulate(ActionNames=[action], ResourceArns=[resource]))[0]["EvalResourceName"]
        for action, resource in (
            ("sts:GetCallerIdentity", "arn:aws:sts::123456789012:anything"),
            ("s3:GetObject", "arn:aws:dynamodb:us-east-1:123456789012:table/t"),
            ("s3:NoSuchAction", OBJECT),
            ("nosuchservice:Get", OBJECT),
        )
    ]

    assert names == ["*", "*", "*", "*"]


def test_a_resource_policy_names_the_caller(sts_mock: MockSTS) -> None:
    caller = f"arn:aws:iam::{ACCOUNT}:user/dummy"
    grant = {**statement("s3:GetObject", f"{BUCKET}/*"), "Principal": {"AWS": caller}}
    refuse = {
        **statement("s3:DeleteObject", f"{BUCKET}/*", effect="Deny"),
        "Principal": "*",
        "Condition": {"ArnLike": {"aws:PrincipalArn": f"arn:aws:iam::{ACCOUNT}:role/*"}},
    }
    resource_policy = bucket_policy(grant, refuse)
    identity = json.dumps(allow("s3:DeleteObject", f"{BUCKET}/*"))
    simulate = functools.partial(
        client("iam").simulate_custom_policy,
        PolicyInputList=[identity],
        ResourcePolicy=resource_policy,
        CallerArn=caller,
        ResourceArns=[OBJECT],
    )

    answer = simulate(
        ActionNames=["s3:GetObject", "s3:DeleteObject"],
        ContextEntries=[
            {
                "ContextKeyName": "aws:principalarn",
                "ContextKeyValues": [f"arn:aws:iam::{ACCOUNT}:role/tims-test-role"],
                "ContextKeyType": "string",
            }
        ],
    )

    get, delete = results(answer)
    assert (get["EvalDecision"], delete["EvalDecision"]) == ("allowed", "explicitDeny")
    assert get["MatchedStatements"] == [
        matched("ResourcePolicy", (1, 41), (1, 186), "Resource Policy")
    ]
    # The resource policy's statement first, then the identity policy's Allow [O].
    assert delete["MatchedStatements"] == [
        matched("ResourcePolicy", (1, 186), (1, 375), "Resource Policy"),
        matched("PolicyInputList.1", (1, 41), (1, 127)),
    ]


def test_a_resource_in_another_account(sts_mock: MockSTS) -> None:
    caller = f"arn:aws:iam::{ACCOUNT}:role/reader"
    grant = {**statement("sqs:ReceiveMessage", "*"), "Principal": {"AWS": caller}}
    queues = [f"arn:aws:sqs:us-east-1:{OTHER}:jobs", f"arn:aws:sqs:us-east-1:{OTHER}:audit"]
    iam = client("iam")
    simulate = functools.partial(
        iam.simulate_custom_policy,
        ActionNames=["sqs:ReceiveMessage"],
        ResourcePolicy=bucket_policy(grant),
        CallerArn=caller,
    )

    answer = results(simulate(PolicyInputList=[json.dumps(allow("sqs:*"))], ResourceArns=queues))[0]
    one_sided = results(
        simulate(PolicyInputList=[json.dumps(allow("s3:*"))], ResourceArns=queues[:1])
    )[0]

    assert answer["EvalDecision"] == "allowed"
    both = {"IAM Policy": "allowed", "Resource Policy": "allowed"}
    assert answer["EvalDecisionDetails"] == both
    assert [r["EvalDecisionDetails"] for r in answer["ResourceSpecificResults"]] == [both, both]
    # Across accounts both sides must allow.
    assert one_sided["EvalDecision"] == "implicitDeny"
    assert one_sided["EvalDecisionDetails"] == {
        "IAM Policy": "implicitDeny",
        "Resource Policy": "allowed",
    }
    # A bucket's ARN names no account: ResourceOwner does, or else the caller's account.
    owned = simulate(
        PolicyInputList=[json.dumps(allow("s3:*"))],
        ActionNames=["s3:GetObject"],
        ResourceArns=[OBJECT],
        ResourceOwner=f"arn:aws:iam::{OTHER}:root",
    )
    assert results(owned)[0]["EvalDecisionDetails"] == {
        "IAM Policy": "allowed",
        "Resource Policy": "implicitDeny",
    }
    same_account = simulate(
        PolicyInputList=[json.dumps(allow("s3:*"))],
        ActionNames=["s3:GetObject"],
        ResourceArns=[OBJECT],
    )
    assert results(same_account)[0]["EvalDecision"] == "allowed"


def test_a_user_is_the_caller_of_its_own_resource_policy_simulation(sts_mock: MockSTS) -> None:
    alice_in_a_group(sts_mock)
    deny_alice = {
        **statement("s3:GetObject", f"{BUCKET}/*", effect="Deny"),
        "Principal": {"AWS": ALICE},
    }

    answer = client("iam").simulate_principal_policy(
        PolicySourceArn=ALICE,
        ActionNames=["s3:GetObject"],
        ResourceArns=[f"{BUCKET}/2025/q4.csv"],
        ResourcePolicy=bucket_policy(deny_alice),
    )

    assert results(answer)[0]["EvalDecision"] == "explicitDeny"


def test_organizations_decide_first(sts_mock: MockSTS) -> None:
    org = sts_mock.organization("111111111111", [ACCOUNT])
    org.attach_scp(document(statement("ec2:*", effect="Deny")), account_id=ACCOUNT)
    alice_in_a_group(sts_mock)
    linked = sts_mock.create_role(
        "AWSServiceRoleForSupport",
        trust(f"arn:aws:iam::{ACCOUNT}:root"),
        path="/aws-service-role/support.amazonaws.com/",
        policies={"all": allow("*")},
    )
    simulate = client("iam").simulate_principal_policy

    answer = results(
        simulate(PolicySourceArn=ALICE, ActionNames=["iam:ListUsers", "ec2:RunInstances"])
    )
    exempt = results(simulate(PolicySourceArn=linked.arn, ActionNames=["ec2:RunInstances"]))[0]

    assert [(r["EvalDecision"], r["OrganizationsDecisionDetail"]) for r in answer] == [
        ("allowed", {"AllowedByOrganizations": True}),
        ("explicitDeny", {"AllowedByOrganizations": False}),
    ]
    # The simulation ends at the organization: no statement of the user's is listed.
    assert answer[1]["MatchedStatements"] == []
    assert exempt["EvalDecision"] == "allowed"
    assert "OrganizationsDecisionDetail" not in exempt


def test_a_custom_simulation_of_an_organizations_levels(sts_mock: MockSTS) -> None:
    everything = json.dumps(allow("*"))
    s3_only = json.dumps(allow("s3:*"))

    answer = client("iam").simulate_custom_policy(
        PolicyInputList=[everything],
        OrderedOrganizationPolicyInputList=[
            {"ServiceControlPolicyInputList": [everything]},
            {"ServiceControlPolicyInputList": [s3_only]},
        ],
        ActionNames=["s3:GetObject", "ec2:RunInstances"],
    )

    assert [(r["EvalDecision"], r["OrganizationsDecisionDetail"]) for r in results(answer)] == [
        ("allowed", {"AllowedByOrganizations": True}),
        ("implicitDeny", {"AllowedByOrganizations": False}),
    ]


def test_results_come_in_pages(sts_mock: MockSTS) -> None:
    iam = client("iam")
    simulate = functools.partial(
        iam.simulate_custom_policy,
        PolicyInputList=[json.dumps(allow("s3:*"))],
        ActionNames=["s3:GetObject", "s3:PutObject", "ec2:RunInstances"],
    )

    first = simulate(MaxItems=2)
    rest = simulate(MaxItems=2, Marker=first["Marker"])
    paged = iam.get_paginator("simulate_custom_policy").paginate(
        PolicyInputList=[json.dumps(allow("s3:*"))],
        ActionNames=["s3:GetObject", "s3:PutObject", "ec2:RunInstances"],
        PaginationConfig={"PageSize": 1},
    )

    assert first["IsTruncated"] is True
    assert [r["EvalActionName"] for r in first["EvaluationResults"]] == [
        "s3:GetObject",
        "s3:PutObject",
    ]
    assert [r["EvalActionName"] for r in results(rest)] == ["ec2:RunInstances"]
    assert len([page for page in paged]) == 3
    assert aws_error(functools.partial(simulate, Marker="not-a-marker")) == (
        "ValidationError",
        "Invalid Marker.",
        400,
    )


# ---------------------------------------------------------------------------------------
# Who may simulate


def test_simulating_a_principal_is_authorized_on_that_principal(sts_mock: MockSTS) -> None:
    alice_in_a_group(sts_mock)
    bob_arn = f"arn:aws:iam::{ACCOUNT}:user/bob"
    may_simulate_alice = allow(
        ["iam:SimulatePrincipalPolicy", "iam:GetContextKeysForPrincipalPolicy"], ALICE
    )
    bob = sts_mock.create_user("bob", policies={"sim": may_simulate_alice})
    iam = client("iam", bob.credentials)

    assert decisions(
        iam.simulate_principal_policy(PolicySourceArn=ALICE, ActionNames=["s3:GetObject"])
    )
    assert iam.get_context_keys_for_principal_policy(PolicySourceArn=ALICE)["ContextKeyNames"] == []
    refused = aws_error(
        functools.partial(
            iam.simulate_principal_policy, PolicySourceArn=bob_arn, ActionNames=["s3:GetObject"]
        )
    )
    assert refused == (
        "AccessDenied",
        f"User: {bob_arn} is not authorized to perform: iam:SimulatePrincipalPolicy on resource: "
        f"{bob_arn} because no identity-based policy allows the iam:SimulatePrincipalPolicy action",
        403,
    )
    custom = aws_error(
        functools.partial(
            iam.simulate_custom_policy, PolicyInputList=[AFTER_2018], ActionNames=["s3:GetObject"]
        )
    )
    assert custom[0] == "AccessDenied"
    assert sts_mock.calls[-1].checks[0].resource == "*"
    keys = aws_error(
        functools.partial(iam.get_context_keys_for_custom_policy, PolicyInputList=[AFTER_2018])
    )
    assert keys[0] == "AccessDenied"


# ---------------------------------------------------------------------------------------
# Bad input


def test_unknown_principals(sts_mock: MockSTS) -> None:
    iam = client("iam")
    sts_mock.create_user("carol", path="/staff/")
    cases = {
        f"arn:aws:iam::{ACCOUNT}:user/ghost": "The user with name ghost cannot be found.",
        f"arn:aws:iam::{ACCOUNT}:user/carol": "The user with name carol cannot be found.",
        f"arn:aws:iam::{ACCOUNT}:group/ghosts": "The group with name ghosts cannot be found.",
        f"arn:aws:iam::{ACCOUNT}:role/ghost": "The role with name ghost cannot be found.",
        f"arn:aws:iam::{OTHER}:user/admin": "The user with name admin cannot be found.",
    }

    for arn, message in cases.items():
        simulate = functools.partial(
            iam.simulate_principal_policy, PolicySourceArn=arn, ActionNames=["s3:GetObject"]
        )
        keys = functools.partial(iam.get_context_keys_for_principal_policy, PolicySourceArn=arn)
        assert aws_error(simulate) == aws_error(keys) == ("NoSuchEntity", message, 404)

    not_an_entity = f"arn:aws:iam::{ACCOUNT}:policy/p"
    assert aws_error(
        functools.partial(
            iam.simulate_principal_policy,
            PolicySourceArn=not_an_entity,
            ActionNames=["s3:GetObject"],
        )
    ) == invalid_input(
        f"Invalid PolicySourceArn {not_an_entity}: it must be the ARN of a user, group or role."
    )


def test_bad_simulation_requests(sts_mock: MockSTS) -> None:
    iam = client("iam")
    role = sts_mock.create_role("r", trust(f"arn:aws:iam::{ACCOUNT}:root"))
    policy = json.dumps(allow("s3:*"))
    custom = functools.partial(iam.simulate_custom_policy, PolicyInputList=[policy])
    resource_policy = bucket_policy({**statement("s3:*"), "Principal": "*"})
    session = f"arn:aws:sts::{ACCOUNT}:assumed-role/r/s"
    cases = [
        (
            functools.partial(
                iam.simulate_custom_policy, PolicyInputList=["{nope"], ActionNames=["s3:GetObject"]
            ),
            "Invalid policy document PolicyInputList.1: Syntax errors in policy.",
        ),
        (
            functools.partial(
                custom, ActionNames=["s3:GetObject"], ResourcePolicy='{"Statement": []}'
            ),
            "CallerArn is required when a ResourcePolicy is given.",
        ),
        (
            functools.partial(
                custom, ActionNames=["s3:GetObject"], ResourcePolicy=policy, CallerArn=ALICE
            ),
            "Invalid policy document ResourcePolicy: Missing required field Principal",
        ),
        (
            functools.partial(custom, ActionNames=["s3:Get*"]),
            "Invalid action name s3:Get*: it must be a single action, e.g. iam:GetUser.",
        ),
        (
            functools.partial(custom, ActionNames=["s3:GetObject"], CallerArn=session),
            f"Invalid CallerArn {session}: it must be the ARN of an IAM user, group or role.",
        ),
        (
            functools.partial(custom, ActionNames=["s3:GetObject"], ResourceOwner=OTHER),
            f"Invalid ResourceOwner {OTHER}: it must be an account's ARN.",
        ),
        (
            functools.partial(
                custom,
                ActionNames=["s3:GetObject"],
                PermissionsBoundaryPolicyInputList=[policy, policy],
            ),
            "Only one permissions boundary policy may be simulated.",
        ),
        (
            functools.partial(
                custom, ActionNames=["s3:GetObject"], ContextEntries=[{"ContextKeyValues": ["x"]}]
            ),
            "Every ContextEntries member must have a ContextKeyName.",
        ),
        (
            functools.partial(
                custom,
                ActionNames=["s3:GetObject"],
                OrderedOrganizationPolicyInputList=[{"ServiceControlPolicyInputList": ["[]"]}],
            ),
            "Invalid policy document OrderedOrganizationPolicyInputList.1"
            ".ServiceControlPolicyInputList.1: Syntax errors in policy.",
        ),
        (
            functools.partial(
                iam.simulate_principal_policy,
                PolicySourceArn=role.arn,
                ActionNames=["s3:GetObject"],
                ResourcePolicy=resource_policy,
            ),
            "CallerArn is required when a ResourcePolicy is given.",
        ),
        (
            functools.partial(
                iam.get_context_keys_for_custom_policy, PolicyInputList=[policy, "1"]
            ),
            "Invalid policy document PolicyInputList.2: Syntax errors in policy.",
        ),
    ]

    for call, message in cases:
        assert aws_error(call) == invalid_input(message)
