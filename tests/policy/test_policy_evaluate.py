"""Evaluating policies: action, resource and principal matching, every condition operator,
policy variables, and what an Evaluation reports."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from mock_sts._policy import Evaluation, MatchClass, Principal, Request
from mock_sts._policy._glob import compile_parts, literal, pattern
from tests.helpers.policy import (
    ACCOUNT,
    BUCKET,
    OTHER_ACCOUNT,
    ROLE_ARN,
    ROLE_ID,
    ROLE_SESSION,
    SESSION_ARN,
    USER,
    USER_ARN,
    USER_ID,
    holds,
    identity_policy,
    policy_statement,
    run,
    trust_policy,
    trust_statement,
)

ABSENT = object()  # the key is not in the request context

# ---------------------------------------------------------------------------------------
# Actions and resources


@pytest.mark.parametrize(
    ("policy_action", "action", "applies"),
    [
        ("*", "s3:GetObject", True),
        ("s3:GetObject", "s3:GetObject", True),
        ("S3:getobject", "s3:GetObject", True),
        ("s3:GetObject", "S3:GETOBJECT", True),
        ("s3:Get*", "s3:GetObject", True),
        ("s3:get*", "S3:GetObject", True),
        ("s3:*", "s3:GetObject", True),
        ("s3:Get?bject", "s3:GetObject", True),
        ("s3:Get?bject", "s3:GetObjectAcl", False),
        ("s3:*Object", "s3:PutObject", True),
        ("s3:List*", "s3:GetObject", False),
        ("s3:GetObject", "s3:GetObjectAcl", False),
        ("ec2:*", "s3:GetObject", False),
        ("s3:*", "s3-object-lambda:GetObject", False),
    ],
)
def test_actions_match_case_insensitively_with_wildcards(
    policy_action: str, action: str, applies: bool
) -> None:
    assert run(identity_policy(policy_statement(Action=policy_action)), action).allowed is applies
    not_action = identity_policy(policy_statement(Action=None, NotAction=policy_action))
    assert run(not_action, action).allowed is not applies


def test_a_list_of_actions_applies_when_any_matches() -> None:
    policy = identity_policy(policy_statement(Action=["iam:GetUser", "s3:Get*", "s3:PutObject"]))
    assert run(policy, "s3:GetBucketAcl").allowed
    assert run(policy, "s3:PUTOBJECT").allowed
    assert run(policy, "iam:getuser").allowed
    assert not run(policy, "s3:DeleteObject").allowed


@pytest.mark.parametrize(
    ("policy_resource", "resource", "applies"),
    [
        ("*", BUCKET, True),
        ("arn:aws:s3:::bucket/key", BUCKET, True),
        ("arn:aws:s3:::Bucket/key", BUCKET, False),
        ("arn:aws:s3:::bucket/*", BUCKET, True),
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket/", True),
        ("arn:aws:s3:::bucket/*", "arn:aws:s3:::bucket", False),
        ("arn:aws:s3:::bucket*", "arn:aws:s3:::bucket-2/a/b", True),
        ("arn:aws:s3:::*/key", BUCKET, True),
        ("arn:aws:s3:::b?cket/k?y", BUCKET, True),
        ("arn:aws:s3:::b?cket/k?y", "arn:aws:s3:::bcket/key", False),
        ("arn:aws:s3:*:*:*", BUCKET, True),
        ("arn:aws:iam::*:role/*", ROLE_ARN, True),
        ("arn:aws:iam::*:role/*", "arn:aws:iam::1:role:x", False),
        # Unlike ArnLike, a Resource glob is over the whole string: "*" spans colons.
        ("arn:*:iam::*:*", ROLE_ARN, True),
        ("arn:aws:logs:*:*:log-group:/aws/*", "arn:aws:logs:r:1:log-group:/aws/x:*", True),
    ],
)
def test_resources_match_case_sensitively_with_wildcards(
    policy_resource: str, resource: str, applies: bool
) -> None:
    assert (
        run(identity_policy(policy_statement(Resource=policy_resource)), resource=resource).allowed
        is applies
    )
    not_resource = identity_policy(policy_statement(Resource=None, NotResource=policy_resource))
    assert run(not_resource, resource=resource).allowed is not applies


def test_a_request_without_resource_matches_no_resource_element() -> None:
    policy = identity_policy(
        policy_statement(), policy_statement(Resource=None, NotResource="arn:aws:s3:::x")
    )
    assert run(policy, resource=None) == Evaluation(False, False, None, ())


# ---------------------------------------------------------------------------------------
# Evaluation results


def test_an_evaluation_lists_every_applying_statement_and_both_effects() -> None:
    policy = identity_policy(
        policy_statement(Sid="ReadAll", Action="s3:Get*"),
        policy_statement(Action="ec2:*"),
        policy_statement("Deny", Action="s3:GetObject", Resource="arn:aws:s3:::bucket/*"),
        policy_statement(Action="s3:*"),
    )
    assert run(policy) == Evaluation(True, True, None, ("ReadAll", "#2", "#3"), ("#2",))
    assert run(policy, "s3:PutObject") == Evaluation(True, False, None, ("#3",))
    assert run(policy, "iam:GetUser") == Evaluation(False, False, None, ())


def test_statement_conditions_and_together() -> None:
    policy = identity_policy(
        policy_statement(
            Condition={
                "StringEquals": {"aws:username": ["alice", "bob"], "aws:RequestedRegion": "eu-1"},
                "Bool": {"aws:SecureTransport": "true"},
            }
        )
    )
    good = {"aws:username": "bob", "aws:RequestedRegion": "eu-1", "aws:SecureTransport": "true"}
    assert run(policy, context=good).allowed
    for key, value in [
        ("aws:username", "carol"),
        ("aws:RequestedRegion", "us-1"),
        ("aws:SecureTransport", "false"),
    ]:
        assert not run(policy, context={**good, key: value}).allowed
    assert not run(policy, context={"aws:username": "bob", "aws:RequestedRegion": "eu-1"}).allowed


def test_condition_keys_are_looked_up_case_insensitively() -> None:
    assert holds("StringEquals", "AWS:UserName", "bob", {"aws:username": "bob"})
    assert holds("StringEquals", "aws:PrincipalTag/Team", "x", {"AWS:principaltag/TEAM": "x"})
    # Values are compared as the operator says: case-sensitively here.
    assert not holds("StringEquals", "aws:username", "bob", {"aws:username": "Bob"})


def test_a_request_can_be_evaluated_by_several_policies() -> None:
    request = Request("S3:GetObject", BUCKET, None, {"aws:username": "bob"})
    first = identity_policy(policy_statement(Condition={"StringEquals": {"aws:username": "bob"}}))
    second = identity_policy(policy_statement("Deny", Action="s3:getobject"))
    assert first.evaluate(request).allowed
    assert second.evaluate(request).denied
    assert first.evaluate(request) == first.evaluate(request)


# ---------------------------------------------------------------------------------------
# Condition operators: (operator, policy values, request value or ABSENT, holds)

STRING_CASES = [
    ("StringEquals", "bob", "bob", True),
    ("StringEquals", "bob", "Bob", False),
    ("StringEquals", "bob", "bobby", False),
    ("StringEquals", ["alice", "bob"], "bob", True),
    ("StringEquals", "b*", "bob", False),
    ("StringEquals", "", "", True),
    ("StringEquals", "bob", ABSENT, False),
    ("StringEquals", 10, "10", True),
    ("StringEquals", True, "true", True),
    ("StringNotEquals", "bob", "bob", False),
    ("StringNotEquals", "bob", "alice", True),
    ("StringNotEquals", ["alice", "bob"], "bob", False),
    ("StringNotEquals", ["alice", "carol"], "bob", True),
    ("StringNotEquals", "bob", ABSENT, True),
    ("StringEqualsIgnoreCase", "BOB", "bob", True),
    ("StringEqualsIgnoreCase", ["x", "Straße"], "STRASSE", True),
    ("StringEqualsIgnoreCase", "bob", "bo", False),
    ("StringEqualsIgnoreCase", "bob", ABSENT, False),
    ("StringNotEqualsIgnoreCase", "BOB", "bob", False),
    ("StringNotEqualsIgnoreCase", "BOB", "alice", True),
    ("StringNotEqualsIgnoreCase", "BOB", ABSENT, True),
    ("StringLike", "b*", "bob", True),
    ("StringLike", "b?b", "bob", True),
    ("StringLike", "b?b", "bb", False),
    ("StringLike", "*", "", True),
    ("StringLike", "?", "", False),
    ("StringLike", "a*b*c", "aXXbYYc", True),
    ("StringLike", "a*b*c", "acb", False),
    ("StringLike", "home/*/*", "home/a:b/c", True),
    ("StringLike", "bob", "bob", True),
    ("StringLike", ["alice", "c*"], "carol", True),
    ("StringLike", ["alice", "c*"], "bob", False),
    ("StringLike", "B*", "bob", False),
    ("StringLike", "a.c", "abc", False),
    ("StringLike", "b*", ABSENT, False),
    ("StringNotLike", "b*", "bob", False),
    ("StringNotLike", "a*", "bob", True),
    ("StringNotLike", ["a*", "b*"], "bob", False),
    ("StringNotLike", "a*", ABSENT, True),
    ("StringEqualsIfExists", "bob", ABSENT, True),
    ("StringEqualsIfExists", "bob", "alice", False),
    ("StringEqualsIfExists", "bob", "bob", True),
    ("StringNotLikeIfExists", "b*", ABSENT, True),
    ("StringNotLikeIfExists", "b*", "bob", False),
]

NUMERIC_CASES = [
    ("NumericEquals", "10", "10", True),
    ("NumericEquals", "10", "10.0", True),
    ("NumericEquals", "10", "+10", True),
    ("NumericEquals", 10, "010", True),
    ("NumericEquals", ".5", "0.5", True),
    ("NumericEquals", "-1.5", "-1.50", True),
    ("NumericEquals", "10", "11", False),
    ("NumericEquals", "10", "1e1", False),
    ("NumericEquals", "NaN", "NaN", False),
    ("NumericEquals", "10", "abc", False),
    ("NumericEquals", "abc", "10", False),
    ("NumericEquals", "10", "", False),
    ("NumericEquals", "10", ABSENT, False),
    ("NumericEquals", ["5", "10"], "10", True),
    ("NumericNotEquals", "10", "10", False),
    ("NumericNotEquals", "10", "11", True),
    ("NumericNotEquals", ["10", "11"], "11", False),
    ("NumericNotEquals", "10", "abc", True),
    ("NumericNotEquals", "10", ABSENT, True),
    ("NumericLessThan", "10", "9.5", True),
    ("NumericLessThan", "10", "10", False),
    ("NumericLessThan", "-1", "-2", True),
    ("NumericLessThan", ["5", "20"], "10", True),
    ("NumericLessThan", "10", ABSENT, False),
    ("NumericLessThanEquals", "10", "10", True),
    ("NumericLessThanEquals", "10", "10.01", False),
    ("NumericGreaterThan", "10", "11", True),
    ("NumericGreaterThan", "10", "10", False),
    ("NumericGreaterThanEquals", "10", "10", True),
    ("NumericGreaterThanEquals", "10", "9", False),
    ("NumericLessThanIfExists", "10", ABSENT, True),
    ("NumericLessThanIfExists", "10", "11", False),
]

MIDNIGHT = "2020-01-01T00:00:00Z"
DATE_CASES = [
    ("DateEquals", MIDNIGHT, MIDNIGHT, True),
    ("DateEquals", MIDNIGHT, "1577836800", True),
    ("DateEquals", "1577836800", MIDNIGHT, True),
    ("DateEquals", "2020-01-01", MIDNIGHT, True),
    ("DateEquals", "2020-01", MIDNIGHT, True),
    ("DateEquals", "2020-01-01T00:00Z", MIDNIGHT, True),
    ("DateEquals", "2020-01-01t00:00:00z", MIDNIGHT, True),
    ("DateEquals", "2020-01-01T00:00:00", MIDNIGHT, True),
    ("DateEquals", "2020-01-01T00:00:00.000Z", MIDNIGHT, True),
    ("DateEquals", "2020-01-01T01:00:00+01:00", MIDNIGHT, True),
    ("DateEquals", "2020-01-01T05:30:00+0530", MIDNIGHT, True),
    ("DateEquals", "2019-12-31T22:00:00-02", MIDNIGHT, True),
    ("DateEquals", "1577836800.5", "2020-01-01T00:00:00.5Z", True),
    ("DateEquals", "2020-01-01T00:00:00.123456789Z", "2020-01-01T00:00:00.123456Z", True),
    ("DateEquals", MIDNIGHT, "2020-01-01T00:00:01Z", False),
    # Dates IAM stores (§13.4) that name no moment: they match nothing.
    ("DateEquals", "2020-02-30", "2020-02-30", False),
    ("DateEquals", "01T", "01T", False),
    ("DateEquals", "2016-12-13t2:00:00.593194+23", "2016-12-13T02:00:00.593194+23:00", False),
    ("DateEquals", MIDNIGHT, "garbage", False),
    ("DateEquals", MIDNIGHT, ABSENT, False),
    ("DateNotEquals", MIDNIGHT, MIDNIGHT, False),
    ("DateNotEquals", MIDNIGHT, "2021-01-01T00:00:00Z", True),
    ("DateNotEquals", MIDNIGHT, ABSENT, True),
    ("DateLessThan", MIDNIGHT, "2019-12-31T23:59:59Z", True),
    ("DateLessThan", MIDNIGHT, MIDNIGHT, False),
    ("DateLessThan", MIDNIGHT, "-1", True),
    ("DateLessThanEquals", MIDNIGHT, MIDNIGHT, True),
    ("DateLessThanEquals", MIDNIGHT, "2020-01-01T00:00:00.000001Z", False),
    ("DateGreaterThan", MIDNIGHT, "2020-01-01T00:00:01Z", True),
    ("DateGreaterThan", MIDNIGHT, MIDNIGHT, False),
    ("DateGreaterThanEquals", MIDNIGHT, MIDNIGHT, True),
    ("DateGreaterThanEquals", MIDNIGHT, "1577836799", False),
    ("DateGreaterThanIfExists", MIDNIGHT, ABSENT, True),
]

OTHER_CASES = [
    ("Bool", "true", "true", True),
    ("Bool", "true", "TRUE", True),
    ("Bool", "TRUE", "true", True),
    ("Bool", True, "true", True),
    ("Bool", False, "false", True),
    ("Bool", "false", "true", False),
    ("Bool", "yes", "yes", False),
    ("Bool", ["true", "false"], "false", True),
    ("Bool", "true", ABSENT, False),
    ("BoolIfExists", "true", ABSENT, True),
    ("BoolIfExists", "true", "false", False),
    ("BinaryEquals", "QmluYXJ5", "QmluYXJ5", True),
    ("BinaryEquals", "QmluYXJ5", "T3RoZXI=", False),
    ("BinaryEquals", ["T3RoZXI=", "QmluYXJ5"], "QmluYXJ5", True),
    ("BinaryEquals", "QmluYXJ5", "!!!", False),
    ("BinaryEquals", "!!!", "!!!", False),
    ("BinaryEquals", "QmluYXJ5", ABSENT, False),
    ("BinaryEqualsIfExists", "QmluYXJ5", ABSENT, True),
    ("IpAddress", "10.0.0.0/8", "10.1.2.3", True),
    ("IpAddress", "10.0.0.0/8", "11.0.0.1", False),
    ("IpAddress", "203.0.113.5", "203.0.113.5", True),
    ("IpAddress", "203.0.113.5", "203.0.113.6", False),
    ("IpAddress", "10.0.0.1/8", "10.2.3.4", True),
    ("IpAddress", ["192.168.0.0/16", "10.0.0.0/8"], "10.2.3.4", True),
    ("IpAddress", "2001:db8::/32", "2001:db8::1", True),
    ("IpAddress", "2001:db8::1", "2001:db8::1", True),
    ("IpAddress", "2001:db8::1", "2001:db8::2", False),
    ("IpAddress", "2001:db8::/32", "10.0.0.1", False),
    ("IpAddress", "10.0.0.0/8", "2001:db8::1", False),
    ("IpAddress", "10.0.0.0/33", "10.0.0.1", False),
    ("IpAddress", "not-an-ip", "10.0.0.1", False),
    ("IpAddress", "10.0.0.0/8", "not-an-ip", False),
    ("IpAddress", "10.0.0.0/8", "10.0.0.0/8", False),
    ("IpAddress", "10.0.0.0/8", ABSENT, False),
    ("NotIpAddress", "10.0.0.0/8", "11.0.0.1", True),
    ("NotIpAddress", "10.0.0.0/8", "10.0.0.1", False),
    ("NotIpAddress", "10.0.0.0/8", ABSENT, True),
    ("IpAddressIfExists", "10.0.0.0/8", ABSENT, True),
    ("ArnLike", "arn:aws:iam::111111111111:role/*", ROLE_ARN, True),
    ("ArnLike", "arn:aws:iam::*:role/ops/deployer", ROLE_ARN, True),
    ("ArnLike", "arn:*:iam::111111111111:role/ops/*", ROLE_ARN, True),
    ("ArnLike", "arn:aws:iam::111111111111:role/ops/Deployer", ROLE_ARN, False),
    ("ArnLike", "arn:aws:iam::1*:role/ops/deployer", ROLE_ARN, True),
    ("ArnLike", "arn:aws:iam::2*:role/ops/deployer", ROLE_ARN, False),
    ("ArnLike", "arn:aws:iam::11111111111?:role/ops/deployer", ROLE_ARN, True),
    # A wildcard stays inside its component: it cannot swallow colons.
    ("ArnLike", "arn:aws:*:role/ops/deployer", ROLE_ARN, False),
    ("ArnLike", "arn:aws:iam::*", ROLE_ARN, False),
    ("ArnLike", "arn:aws:iam::111111111111:*", "arn:aws:iam::111111111111:role/a:b", True),
    ("ArnLike", "arn:aws:logs:*:*:log-group:*", "arn:aws:logs:r:1:log-group:/x:*", True),
    ("ArnLike", "arn:aws:iam::111111111111:role/*", "not-an-arn", False),
    ("ArnLike", ["arn:aws:s3:::b", "arn:aws:iam::*:role/*"], ROLE_ARN, True),
    ("ArnLike", "arn:aws:iam::*:role/*", ABSENT, False),
    ("ArnEquals", "arn:aws:iam::*:role/*", ROLE_ARN, True),
    ("ArnEquals", ROLE_ARN, ROLE_ARN, True),
    ("ArnNotLike", "arn:aws:iam::*:role/*", ROLE_ARN, False),
    ("ArnNotLike", "arn:aws:iam::*:user/*", ROLE_ARN, True),
    ("ArnNotLike", "arn:aws:iam::*:user/*", ABSENT, True),
    ("ArnNotEquals", ROLE_ARN, ROLE_ARN, False),
    ("ArnNotEquals", USER_ARN, ROLE_ARN, True),
    ("ArnLikeIfExists", USER_ARN, ABSENT, True),
    ("Null", "true", ABSENT, True),
    ("Null", "true", "x", False),
    ("Null", "true", "", False),
    ("Null", "false", ABSENT, False),
    ("Null", "false", "x", True),
    ("Null", True, ABSENT, True),
    ("Null", "TRUE", ABSENT, True),
    ("Null", ["true", "false"], ABSENT, True),
    ("Null", ["true", "false"], "x", True),
    ("Null", "maybe", ABSENT, False),
    ("Null", "maybe", "x", False),
    ("Null", "true", [], True),
    ("Null", "false", ["a"], True),
]


@pytest.mark.parametrize(
    ("operator", "values", "given", "expected"),
    STRING_CASES + NUMERIC_CASES + DATE_CASES + OTHER_CASES,
)
def test_condition_operators(operator: str, values: Any, given: Any, expected: bool) -> None:
    context = {} if given is ABSENT else {"aws:Key": given}
    assert holds(operator, "aws:Key", values, context) is expected


# Set qualifiers and multivalued keys: (operator, policy values, request values, holds).
SET_CASES = [
    ("ForAllValues:StringEquals", ["a", "b"], ["a"], True),
    ("ForAllValues:StringEquals", ["a", "b"], ["b", "a"], True),
    ("ForAllValues:StringEquals", ["a", "b"], ["a", "c"], False),
    ("ForAllValues:StringEquals", ["a", "b"], [], True),
    ("ForAllValues:StringEquals", ["a", "b"], ABSENT, True),
    ("ForAllValues:StringEquals", ["a", "b"], "a", True),
    ("ForAllValues:StringEquals", ["a", "b"], "c", False),
    ("ForAllValues:StringNotEquals", ["a", "b"], ["c", "d"], True),
    ("ForAllValues:StringNotEquals", ["a", "b"], ["a", "c"], False),
    ("ForAllValues:StringNotEquals", ["a", "b"], ABSENT, True),
    ("ForAllValues:StringLike", ["team*", "env"], ["team-a", "env"], True),
    ("ForAllValues:StringLike", ["team*", "env"], ["team-a", "cost"], False),
    ("ForAnyValue:StringEquals", ["a", "b"], ["c", "a"], True),
    ("ForAnyValue:StringEquals", ["a", "b"], ["c"], False),
    ("ForAnyValue:StringEquals", ["a", "b"], [], False),
    ("ForAnyValue:StringEquals", ["a", "b"], ABSENT, False),
    ("ForAnyValue:StringEquals", ["a", "b"], "b", True),
    ("ForAnyValue:StringNotEquals", ["a", "b"], ["a", "c"], True),
    ("ForAnyValue:StringNotEquals", ["a", "b"], ["a", "b"], False),
    ("ForAnyValue:StringNotEquals", ["a", "b"], ABSENT, False),
    ("ForAnyValue:StringEqualsIfExists", ["a"], ABSENT, True),
    ("ForAnyValue:StringEqualsIfExists", ["a"], ["b"], False),
    ("ForAllValues:NumericLessThan", "10", ["1", "2"], True),
    ("ForAllValues:NumericLessThan", "10", ["1", "20"], False),
    ("ForAnyValue:IpAddress", "10.0.0.0/8", ["1.1.1.1", "10.0.0.1"], True),
    # Without a qualifier a multivalued key behaves as ForAnyValue [U].
    ("StringEquals", "a", ["c", "a"], True),
    ("StringEquals", "a", ["c"], False),
    ("StringNotEquals", "a", ["a", "c"], True),
    ("StringNotEquals", "a", ["a"], False),
    # An empty multivalued key is an absent one.
    ("StringEquals", "a", [], False),
    ("StringNotEquals", "a", [], True),
    ("StringEqualsIfExists", "a", [], True),
]


@pytest.mark.parametrize(("operator", "values", "given", "expected"), SET_CASES)
def test_set_qualifiers_and_multivalued_keys(
    operator: str, values: Any, given: Any, expected: bool
) -> None:
    context = {} if given is ABSENT else {"aws:TagKeys": given}
    assert holds(operator, "aws:TagKeys", values, context) is expected
    if isinstance(given, list):  # a tuple is multivalued too
        assert holds(operator, "aws:TagKeys", values, {"aws:TagKeys": tuple(given)}) is expected


# ---------------------------------------------------------------------------------------
# Policy variables


def _resource_applies(
    policy_resource: str, resource: str, context: dict[str, Any], version: str | None
) -> bool:
    policy = identity_policy(policy_statement(Resource=policy_resource), version=version)
    return run(policy, resource=resource, context=context).allowed


BOB = {"aws:username": "bob"}


@pytest.mark.parametrize(
    ("policy_resource", "resource", "context", "applies"),
    [
        ("arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:s3:::bucket/bob/x", BOB, True),
        ("arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:s3:::bucket/alice/x", BOB, False),
        ("arn:aws:s3:::bucket/${aws:username}/*", "arn:aws:s3:::bucket/bob/x", {}, False),
        ("arn:aws:s3:::bucket/${AWS:UserName}", "arn:aws:s3:::bucket/bob", BOB, True),
        ("arn:aws:s3:::bucket/${ aws:username }", "arn:aws:s3:::bucket/bob", BOB, True),
        ("arn:aws:s3:::${aws:username}-${aws:username}", "arn:aws:s3:::bob-bob", BOB, True),
        (
            "arn:aws:s3:::bucket/${aws:PrincipalTag/team, 'shared'}/*",
            "arn:aws:s3:::bucket/shared/x",
            {},
            True,
        ),
        (
            "arn:aws:s3:::bucket/${aws:PrincipalTag/team,'shared'}/*",
            "arn:aws:s3:::bucket/blue/x",
            {"aws:PrincipalTag/team": "blue"},
            True,
        ),
        ("arn:aws:s3:::bucket/${aws:x, ''}x", "arn:aws:s3:::bucket/x", {}, True),
        # Substituted values are literal text, not wildcards.
        (
            "arn:aws:s3:::bucket/${aws:username}",
            "arn:aws:s3:::bucket/x",
            {"aws:username": "*"},
            False,
        ),
        (
            "arn:aws:s3:::bucket/${aws:username}",
            "arn:aws:s3:::bucket/*",
            {"aws:username": "*"},
            True,
        ),
        # Multivalued keys cannot be variables.
        ("arn:aws:s3:::b/${aws:TagKeys}", "arn:aws:s3:::b/a", {"aws:TagKeys": ["a"]}, False),
        ("arn:aws:s3:::b/${aws:TagKeys, 'd'}", "arn:aws:s3:::b/d", {"aws:TagKeys": ["a"]}, True),
        # Escapes stand for the literal character.
        ("arn:aws:s3:::bucket/${*}", "arn:aws:s3:::bucket/*", {}, True),
        ("arn:aws:s3:::bucket/${*}", "arn:aws:s3:::bucket/x", {}, False),
        ("arn:aws:s3:::bucket/${?}", "arn:aws:s3:::bucket/?", {}, True),
        ("arn:aws:s3:::bucket/${?}", "arn:aws:s3:::bucket/x", {}, False),
        ("arn:aws:s3:::bucket/${$}x*", "arn:aws:s3:::bucket/$xy", {}, True),
        # Not variables: stay literal.
        ("arn:aws:s3:::bucket/${}", "arn:aws:s3:::bucket/${}", {}, True),
        ("arn:aws:s3:::bucket/${a b}", "arn:aws:s3:::bucket/${a b}", {}, True),
        ("arn:aws:s3:::bucket/${aws:x, d}", "arn:aws:s3:::bucket/${aws:x, d}", {}, True),
        ("arn:aws:s3:::bucket/${aws:username", "arn:aws:s3:::bucket/${aws:username", BOB, True),
        ("arn:aws:s3:::bucket/$aws:username", "arn:aws:s3:::bucket/$aws:username", BOB, True),
        # Only the resource part (after the 5th colon) takes variables.
        (
            "arn:aws:iam::${aws:PrincipalAccount}:role/x",
            f"arn:aws:iam::{ACCOUNT}:role/x",
            {"aws:PrincipalAccount": ACCOUNT},
            False,
        ),
        (
            "arn:aws:iam::${aws:PrincipalAccount}:role/x",
            "arn:aws:iam::${aws:PrincipalAccount}:role/x",
            {"aws:PrincipalAccount": ACCOUNT},
            True,
        ),
        (
            "arn:aws:iam::*:role/${aws:username}",
            f"arn:aws:iam::{ACCOUNT}:role/bob",
            BOB,
            True,
        ),
    ],
)
def test_variables_in_resources(
    policy_resource: str, resource: str, context: dict[str, Any], applies: bool
) -> None:
    assert _resource_applies(policy_resource, resource, context, "2012-10-17") is applies


@pytest.mark.parametrize("version", [None, "2008-10-17"])
def test_old_versions_read_variables_as_text(version: str | None) -> None:
    written = "arn:aws:s3:::bucket/${aws:username}/*"
    assert not _resource_applies(written, "arn:aws:s3:::bucket/bob/x", BOB, version)
    assert _resource_applies(written, "arn:aws:s3:::bucket/${aws:username}/x", BOB, version)
    assert holds("StringEquals", "aws:x", "${*}", {"aws:x": "*"})  # substituted
    old = identity_policy(
        policy_statement(Condition={"StringEquals": {"aws:x": "${*}"}}), version=version
    )
    assert run(old, context={"aws:x": "${*}"}).allowed


def test_a_variable_without_value_makes_its_resource_entry_match_nothing() -> None:
    policy = identity_policy(
        policy_statement(Resource=["arn:aws:s3:::b/${aws:username}", "arn:aws:s3:::c"])
    )
    assert not run(policy, resource="arn:aws:s3:::b/", context={}).allowed
    assert run(policy, resource="arn:aws:s3:::c", context={}).allowed
    negated = identity_policy(
        policy_statement(Resource=None, NotResource="arn:aws:s3:::b/${aws:username}")
    )
    assert run(negated, resource="arn:aws:s3:::b/bob", context={}).allowed
    assert not run(negated, resource="arn:aws:s3:::b/bob", context=BOB).allowed
    assert run(negated, resource="arn:aws:s3:::b/alice", context=BOB).allowed


@pytest.mark.parametrize(
    ("operator", "values", "context", "expected"),
    [
        ("StringEquals", "home/${aws:username}", {"aws:Key": "home/bob", **BOB}, True),
        ("StringEquals", "home/${aws:username}", {"aws:Key": "home/alice", **BOB}, False),
        ("StringEquals", "home/${aws:username}", {"aws:Key": "home/"}, False),
        ("StringEquals", "home/${aws:username, 'x'}", {"aws:Key": "home/x"}, True),
        ("StringEquals", ["static", "${aws:username}"], {"aws:Key": "static"}, True),
        ("StringEquals", ["static", "${aws:username}"], {"aws:Key": "bob", **BOB}, True),
        ("StringEquals", "a${*}b", {"aws:Key": "a*b"}, True),
        ("StringNotEquals", "home/${aws:username}", {"aws:Key": "home/bob", **BOB}, False),
        ("StringNotEquals", "home/${aws:username}", {"aws:Key": "home/"}, True),
        ("StringEquals", "${aws:username}", BOB, False),
        ("StringNotEquals", "${aws:username}", {"aws:Key": [], **BOB}, True),
        ("StringEquals", "${aws:username}", {"aws:Key": ["x", "bob"], **BOB}, True),
        ("StringNotEquals", "${aws:username}", {"aws:Key": ["bob"], **BOB}, False),
        ("ForAllValues:StringLike", "${aws:username}*", {"aws:Key": ["bob1", "bob"], **BOB}, True),
        ("ForAllValues:StringLike", "${aws:username}*", {"aws:Key": ["bob1", "x"], **BOB}, False),
        ("StringEqualsIgnoreCase", "HOME/${aws:username}", {"aws:Key": "home/BOB", **BOB}, True),
        ("StringLike", "home/${aws:username}/*", {"aws:Key": "home/bob/x", **BOB}, True),
        ("StringLike", "home/${aws:username}/*", {"aws:Key": "home/bobby/x", **BOB}, False),
        ("StringLike", "a${*}*", {"aws:Key": "a*xyz"}, True),
        ("StringLike", "a${*}*", {"aws:Key": "abc"}, False),
        ("StringNotLike", "home/${aws:username}/*", {"aws:Key": "home/x/y"}, True),
        (
            "ArnLike",
            "arn:aws:iam::${aws:PrincipalAccount}:role/*",
            {"aws:Key": ROLE_ARN, "aws:PrincipalAccount": ACCOUNT},
            True,
        ),
        (
            "ArnLike",
            "arn:aws:iam::${aws:PrincipalAccount}:role/*",
            {"aws:Key": ROLE_ARN, "aws:PrincipalAccount": OTHER_ACCOUNT},
            False,
        ),
        # A value holding colons is cut into components like written text.
        ("ArnEquals", "${aws:SourceArn}", {"aws:Key": ROLE_ARN, "aws:SourceArn": ROLE_ARN}, True),
        ("ArnEquals", "${aws:SourceArn}", {"aws:Key": ROLE_ARN, "aws:SourceArn": "x:y"}, False),
        ("ArnNotLike", "arn:aws:iam::${aws:PrincipalAccount}:*", {"aws:Key": ROLE_ARN}, True),
        # Not substituted in other families.
        ("NumericEquals", "${aws:n}", {"aws:Key": "1", "aws:n": "1"}, False),
        ("Bool", "${aws:b}", {"aws:Key": "true", "aws:b": "true"}, False),
        ("IpAddress", "${aws:ip}", {"aws:Key": "10.0.0.1", "aws:ip": "10.0.0.1"}, False),
    ],
)
def test_variables_in_condition_values(
    operator: str, values: Any, context: dict[str, Any], expected: bool
) -> None:
    assert holds(operator, "aws:Key", values, context) is expected


# ---------------------------------------------------------------------------------------
# Principals in trust policies

FEDERATED_USER_ARN = f"arn:aws:sts::{ACCOUNT}:federated-user/fed"
ROOT = Principal(account=ACCOUNT, arn=f"arn:aws:iam::{ACCOUNT}:root")
OTHER_USER = Principal(
    account=OTHER_ACCOUNT,
    arn=f"arn:aws:iam::{OTHER_ACCOUNT}:user/bob",
    user_id="AIDAEXAMPLEUSER000009",
)
FEDERATED_USER = Principal(account=ACCOUNT, arn=FEDERATED_USER_ARN)
SAML = f"arn:aws:iam::{ACCOUNT}:saml-provider/Okta"
SAML_CALLER = Principal(account="", arn="", federated=SAML)
GOOGLE_CALLER = Principal(account="", arn="", federated="accounts.google.com")
EC2 = Principal(account="", arn="", service="ec2.amazonaws.com")
OTHER_SESSION = dataclasses.replace(
    ROLE_SESSION, arn=f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/other"
)


@pytest.mark.parametrize(
    ("principal", "caller", "match"),
    [
        ("*", USER, MatchClass.DIRECT),
        ("*", ROLE_SESSION, MatchClass.DIRECT),
        ("*", ROOT, MatchClass.DIRECT),
        ("*", OTHER_USER, MatchClass.DIRECT),
        ("*", SAML_CALLER, None),
        ("*", EC2, None),
        ({"AWS": "*"}, FEDERATED_USER, MatchClass.DIRECT),
        ({"AWS": ACCOUNT}, USER, MatchClass.ACCOUNT),
        ({"AWS": ACCOUNT}, ROLE_SESSION, MatchClass.ACCOUNT),
        ({"AWS": ACCOUNT}, ROOT, MatchClass.ACCOUNT),
        ({"AWS": ACCOUNT}, OTHER_USER, None),
        ({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, USER, MatchClass.ACCOUNT),
        ({"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, FEDERATED_USER, MatchClass.ACCOUNT),
        ({"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"}, USER, None),
        ({"AWS": USER_ARN}, USER, MatchClass.DIRECT),
        ({"AWS": f"arn:aws:iam::{ACCOUNT}:user/Bob"}, USER, None),
        ({"AWS": USER_ARN}, OTHER_USER, None),
        ({"AWS": USER_ARN}, ROOT, None),
        ({"AWS": USER_ID}, USER, MatchClass.DIRECT),
        ({"AWS": "AIDAEXAMPLEUSER000002"}, USER, None),
        ({"AWS": ROLE_ARN}, ROLE_SESSION, MatchClass.ROLE),
        ({"AWS": ROLE_ID}, ROLE_SESSION, MatchClass.ROLE),
        ({"AWS": ROLE_ARN}, USER, None),
        ({"AWS": f"arn:aws:iam::{ACCOUNT}:role/deployer"}, ROLE_SESSION, None),
        ({"AWS": SESSION_ARN}, ROLE_SESSION, MatchClass.DIRECT),
        ({"AWS": SESSION_ARN}, OTHER_SESSION, None),
        ({"AWS": FEDERATED_USER_ARN}, FEDERATED_USER, MatchClass.DIRECT),
        ({"AWS": [ACCOUNT, ROLE_ARN]}, ROLE_SESSION, MatchClass.ROLE),
        ({"AWS": [ACCOUNT, SESSION_ARN, ROLE_ARN]}, ROLE_SESSION, MatchClass.DIRECT),
        ({"Federated": SAML}, SAML_CALLER, MatchClass.FEDERATED),
        ({"Federated": SAML}, GOOGLE_CALLER, None),
        ({"Federated": "accounts.google.com"}, GOOGLE_CALLER, MatchClass.FEDERATED),
        ({"Federated": SAML}, USER, None),
        ({"Service": "ec2.amazonaws.com"}, EC2, MatchClass.SERVICE),
        ({"Service": "lambda.amazonaws.com"}, EC2, None),
        ({"Service": "ec2.amazonaws.com", "AWS": "*"}, USER, MatchClass.DIRECT),
        (
            {"CanonicalUser": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"},
            USER,
            None,
        ),
    ],
)
def test_principals_match_by_class(
    principal: Any, caller: Principal, match: MatchClass | None
) -> None:
    result = run(trust_policy(trust_statement(Principal=principal)), "sts:AssumeRole", None, caller)
    assert result.match is match
    assert result.allowed is (match is not None)


def test_the_strongest_allowing_match_is_reported() -> None:
    policy = trust_policy(
        trust_statement(Sid="Account", Principal={"AWS": ACCOUNT}),
        trust_statement(Sid="Role", Principal={"AWS": ROLE_ARN}),
        trust_statement(Sid="Account2", Principal={"AWS": f"arn:aws:iam::{ACCOUNT}:root"}),
        trust_statement("Deny", Sid="Direct", Principal={"AWS": SESSION_ARN}),
    )
    result = run(policy, "sts:AssumeRole", None, ROLE_SESSION)
    assert result == Evaluation(
        True, True, MatchClass.ROLE, ("Account", "Role", "Account2", "Direct"), ("Direct",)
    )
    only_denied = run(policy, "sts:AssumeRole", None, OTHER_SESSION)
    assert only_denied.match is MatchClass.ROLE
    assert run(trust_policy(trust_statement("Deny")), "sts:AssumeRole", None, USER) == Evaluation(
        False, True, None, ("#0",), ("#0",)
    )


def test_trust_statements_need_a_principal_and_a_matching_action() -> None:
    policy = trust_policy(trust_statement(Action=["sts:AssumeRole", "sts:TagSession"]))
    assert not run(policy, "sts:AssumeRole", None, None).allowed
    assert run(policy, "sts:tagsession", None, USER).allowed
    assert not run(policy, "sts:SetSourceIdentity", None, USER).allowed
    # A trust policy has no resource: one given in the request is ignored.
    assert run(policy, "sts:AssumeRole", ROLE_ARN, USER).allowed


def test_trust_conditions_read_the_request_context() -> None:
    policy = trust_policy(
        trust_statement(
            Principal={"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"},
            Condition={
                "StringEquals": {"sts:ExternalId": "ticket-42"},
                "Bool": {"aws:MultiFactorAuthPresent": True},
            },
        )
    )
    context = {"sts:ExternalId": "ticket-42", "aws:MultiFactorAuthPresent": "true"}
    assert run(policy, "sts:AssumeRole", None, OTHER_USER, context).match is MatchClass.ACCOUNT
    assert not run(policy, "sts:AssumeRole", None, OTHER_USER, {"sts:ExternalId": "x"}).allowed


# ---------------------------------------------------------------------------------------
# The wildcard matcher


@pytest.mark.parametrize(
    ("written", "text", "matches"),
    [
        ("", "", True),
        ("", "a", False),
        ("*", "", True),
        ("**", "anything", True),
        ("a", "a", True),
        ("a", "ab", False),
        ("a*", "abc", True),
        ("a*", "ba", False),
        ("*c", "abc", True),
        ("*c", "cb", False),
        ("a*c", "ac", True),
        ("a*c", "abbc", True),
        ("a*c", "a", False),
        ("ab*ba", "aba", False),
        ("a*b*c", "abc", True),
        ("a*b*c", "aXbXc", True),
        ("a*b*c", "acbc", True),
        ("a*b*c", "acb", False),
        ("a**b", "ab", True),
        ("*a*", "bab", True),
        ("*a*", "bbb", False),
        ("?", "a", True),
        ("?", "", False),
        ("?", "ab", False),
        ("a?c", "abc", True),
        ("???", "ab", False),
        ("*?*", "", False),
        ("*?*", "x", True),
        ("a*?", "a", False),
        ("a*?", "ab", True),
        ("*b?", "abc", True),
        ("*b?", "abcb", False),
        ("?*?*?", "abc", True),
        ("?*?*?", "ab", False),
        (".*", "abc", False),
        (".*", ".abc", True),
        ("a+b", "a+b", True),
        ("a+b", "aab", False),
        ("[ab]", "a", False),
        ("[ab]", "[ab]", True),
        ("a\\*", "a\\b", True),
        ("a*", "a\nb", True),
        ("*", "\n", True),
        ("a$", "a", False),
    ],
)
def test_wildcard_patterns(written: str, text: str, matches: bool) -> None:
    assert bool(compile_parts(pattern(written))(text)) is matches


def test_literal_pieces_take_wildcard_characters_literally() -> None:
    parts = (("a", True), ("*?", False), ("*", True))
    assert compile_parts(parts)("a*?")
    assert compile_parts(parts)("a*?xyz")
    assert not compile_parts(parts)("abcd")
    assert literal(parts) is None
    assert literal((("a", True), ("*", False))) == "a*"


def test_pathological_patterns_match_in_linear_time() -> None:
    # Backtracking over combinations of stars would not finish here.
    text = "a" * 20_000
    assert not compile_parts(pattern("*a" * 40 + "*b"))(text)
    assert not compile_parts(pattern("a*" * 40 + "?b"))(text)
    assert compile_parts(pattern("*a" * 40 + "*"))(text)
    policy = identity_policy(
        policy_statement(Condition={"StringLike": {"aws:Key": "*a" * 40 + "*b"}})
    )
    assert not run(policy, context={"aws:Key": text}).allowed
