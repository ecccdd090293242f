"""``required_policy``: the least-privilege identity policy of what a principal did, allowed
or refused, which IAM accepts and which lets the same requests through again."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_sts import Credentials, MockSTS, mock_sts
from mock_sts._access import parse
from tests.helpers import aws_error, client
from tests.helpers.assume_role import ACCOUNT, assumed, session_arn, session_token_of, trust
from tests.helpers.services import grants, limited_to, served_by_moto

WORKER = f"arn:aws:iam::{ACCOUNT}:role/worker"
TABLE = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/runs"


def job(credentials: Credentials) -> None:
    """A small job: exports a report to S3, records the run in DynamoDB, tells SQS."""
    s3 = client("s3", credentials)
    s3.create_bucket(Bucket="exports")
    s3.put_object(Bucket="exports", Key="2025/q1.csv", Body=b"a,b")
    s3.get_object(Bucket="exports", Key="2025/q1.csv")
    s3.list_objects_v2(Bucket="exports", Prefix="2025/")
    dynamodb = client("dynamodb", credentials)
    dynamodb.create_table(
        TableName="runs",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.put_item(TableName="runs", Item={"id": {"S": "q1"}})
    dynamodb.get_item(TableName="runs", Key={"id": {"S": "q1"}})
    sqs = client("sqs", credentials)
    url = sqs.create_queue(QueueName="done")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="q1")
    client("sts", credentials).get_caller_identity()


JOB_POLICY: dict[str, Any] = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": ["dynamodb:CreateTable", "dynamodb:GetItem", "dynamodb:PutItem"],
            "Resource": TABLE,
        },
        {
            "Effect": "Allow",
            "Action": ["s3:CreateBucket", "s3:ListBucket"],
            "Resource": "arn:aws:s3:::exports",
        },
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": "arn:aws:s3:::exports/2025/q1.csv",
        },
        {
            "Effect": "Allow",
            "Action": ["sqs:CreateQueue", "sqs:SendMessage"],
            "Resource": f"arn:aws:sqs:us-east-1:{ACCOUNT}:done",
        },
    ],
}


def test_a_job_runs_again_with_exactly_the_policy_it_needed() -> None:
    # First run: a role that may use S3 only, in soft mode: its other requests are
    # refused on the record but let through, so the job runs to its end.
    with served_by_moto(), mock_sts(enforce="soft") as sts:
        job(limited_to(sts, grants("s3:*")))
        assert {call.service for call in sts.denials} == {"dynamodb", "sqs"}
        policy = sts.required_policy(WORKER)
    assert policy == JOB_POLICY
    parse(json.dumps(policy))  # what IAM checks of a stored policy

    # Second run, enforced: a role with that policy only (stored through IAM) does it all.
    with served_by_moto(), mock_sts() as sts:
        job(limited_to(sts, *policy["Statement"]))
        assert sts.denials == ()
        assert sts.required_policy(WORKER) == JOB_POLICY


def test_less_than_the_policy_is_not_enough() -> None:
    narrower = [s for s in JOB_POLICY["Statement"] if s["Resource"] != TABLE]
    with served_by_moto(), mock_sts() as sts:
        with pytest.raises(ClientError, match="dynamodb:CreateTable"):
            job(limited_to(sts, *narrower))
        assert [call.action for call in sts.denials] == ["CreateTable"]


@pytest.fixture
def aws() -> Any:
    with served_by_moto(), mock_sts() as sts:
        client("s3").create_bucket(Bucket="exports")
        for key in ("k1", "k2", "a*b?$c"):
            client("s3").put_object(Bucket="exports", Key=key, Body=b"x")
        yield sts


def object_arn(key: str) -> str:
    return f"arn:aws:s3:::exports/{key}"


def test_resources_that_share_actions_make_one_statement(aws: MockSTS) -> None:
    s3 = client("s3", limited_to(aws, grants("s3:*")))
    s3.get_object(Bucket="exports", Key="k1")
    s3.get_object(Bucket="exports", Key="k2")
    s3.put_object(Bucket="exports", Key="k1", Body=b"y")
    s3.delete_object(Bucket="exports", Key="k2")

    # Per action it would take three statements; per resource, two.
    assert aws.required_policy(WORKER)["Statement"] == [
        {
            "Effect": "Allow",
            "Action": ["s3:DeleteObject", "s3:GetObject"],
            "Resource": object_arn("k2"),
        },
        {
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": object_arn("k1"),
        },
    ]


def test_an_action_needed_everywhere_needs_no_single_resources(aws: MockSTS) -> None:
    s3 = client("s3", limited_to(aws, grants("s3:*")))
    s3.get_object(Bucket="exports", Key="k1")
    s3.get_object(Bucket="exports", Key="k2")
    s3.list_buckets()

    assert aws.required_policy(WORKER)["Statement"] == [
        {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"},
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": [object_arn("k1"), object_arn("k2")],
        },
    ]


def test_wildcard_characters_of_a_resource_are_escaped(aws: MockSTS) -> None:
    client("s3", limited_to(aws, grants("s3:GetObject"))).get_object(Bucket="exports", Key="a*b?$c")
    policy = aws.required_policy(WORKER)
    assert policy["Statement"] == [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": object_arn("a${*}b${?}${$}c")}
    ]

    s3 = client("s3", limited_to(aws, *policy["Statement"], role="exact"))
    assert s3.get_object(Bucket="exports", Key="a*b?$c")["Body"].read() == b"x"
    assert aws_error(lambda: s3.get_object(Bucket="exports", Key="k1"))[0] == "AccessDenied"
    assert (
        aws.evaluate(
            f"arn:aws:iam::{ACCOUNT}:role/exact", "s3:GetObject", object_arn("aXb?$c")
        ).allowed
        is False
    )


# ---------------------------------------------------------------------------------------
# Principals


def test_a_role_covers_every_session_and_a_session_itself(aws: MockSTS) -> None:
    role = aws.create_role(
        "nightly",
        trust(f"arn:aws:iam::{ACCOUNT}:root"),
        path="/jobs/",
        policies={"all": {"Version": "2012-10-17", "Statement": [grants("s3:*")]}},
    )
    admin = aws.admin_credentials()
    first = assumed(admin, role.arn, "first")
    second = assumed(admin, role.arn, "second")
    client("s3", first).get_object(Bucket="exports", Key="k1")
    client("s3", second).get_object(Bucket="exports", Key="k2")

    assert role.arn == f"arn:aws:iam::{ACCOUNT}:role/jobs/nightly"
    everything = aws.required_policy(role.arn)["Statement"]
    assert everything == [
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": [object_arn("k1"), object_arn("k2")],
        }
    ]
    only_first = [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": object_arn("k1")}]
    assert aws.required_policy(first)["Statement"] == only_first
    assert aws.required_policy(first.access_key_id)["Statement"] == only_first
    assert aws.required_policy(session_arn("nightly", "first"))["Statement"] == only_first


def test_a_user_covers_its_own_calls_and_its_session_tokens(aws: MockSTS) -> None:
    user = aws.create_user(
        "ci", policies={"all": {"Version": "2012-10-17", "Statement": [grants("s3:*")]}}
    )
    client("s3", user.credentials).list_buckets()
    client("s3", session_token_of(user.credentials)).get_object(Bucket="exports", Key="k1")

    expected = [
        {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"},
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": object_arn("k1")},
    ]
    assert aws.required_policy(user.arn)["Statement"] == expected
    assert aws.required_policy(user.credentials)["Statement"] == expected


def test_calls_that_need_no_permission_need_a_policy_that_allows_nothing(aws: MockSTS) -> None:
    client("sts", limited_to(aws)).get_caller_identity()

    policy = aws.required_policy(WORKER)
    assert policy == {
        "Version": "2012-10-17",
        "Statement": [
            {"Sid": "NothingRequired", "Effect": "Allow", "NotAction": "*", "Resource": "*"}
        ],
    }
    parse(json.dumps(policy))
    with_nothing = limited_to(aws, *policy["Statement"], role="idle")
    assert aws_error(lambda: client("s3", with_nothing).list_buckets())[0] == "AccessDenied"


def test_keys_of_another_partition_are_found() -> None:
    with mock_sts() as sts:
        iam = client("iam", Credentials("testing", "testing", None, None), region="cn-north-1")
        iam.create_user(UserName="china")
        key = iam.create_access_key(UserName="china")["AccessKey"]
        client("sts", key, region="cn-north-1").get_caller_identity()

        policy = sts.required_policy(key["AccessKeyId"])
    assert policy["Statement"][0]["Sid"] == "NothingRequired"


def test_a_principal_without_calls_is_explained(aws: MockSTS) -> None:
    with pytest.raises(LookupError) as error:
        aws.required_policy(WORKER)
    assert str(error.value) == (
        f"No request of {WORKER} was recorded in this mock; the principals that made "
        f"requests: arn:aws:iam::{ACCOUNT}:user/admin."
    )


def test_a_mock_without_calls_says_so() -> None:
    with mock_sts() as sts, pytest.raises(LookupError) as error:
        sts.required_policy(WORKER)
    assert str(error.value) == f"No request of {WORKER} was recorded in this mock."


@pytest.mark.parametrize("principal", ["nonsense", "AKIAIOSFODNN7EXAMPLE"])
def test_what_is_neither_a_key_nor_an_arn_is_explained(aws: MockSTS, principal: str) -> None:
    with pytest.raises(LookupError) as error:
        aws.required_policy(principal)
    assert str(error.value) == (
        f"{principal!r} is neither credentials nor an access key id this mock issued, nor an "
        "ARN: pass Credentials, an access key id, or the ARN of a user, a role or a role "
        "session."
    )
