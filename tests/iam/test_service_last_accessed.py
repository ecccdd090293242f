"""Service last accessed reports, driven through real boto3 clients: calls made with
credentials the mock issued, then GenerateServiceLastAccessedDetails and the reports read
from it (GetServiceLastAccessedDetails, GetServiceLastAccessedDetailsWithEntities)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

import boto3
import pytest
import time_machine
from botocore.config import Config
from botocore.exceptions import ClientError

from mock_sts import Credentials, MockSTS
from tests.helpers import aws_error, client
from tests.helpers.assume_role import allow, assumed, document, statement, trust
from tests.helpers.services import served_by_moto

ACCOUNT_ID = "123456789012"
MONDAY = dt.datetime(2030, 1, 7, 9, 0, 0, tzinfo=dt.timezone.utc)
TUESDAY = MONDAY + dt.timedelta(days=1)
# ListBucket only on another bucket than the one attempt_s3 lists.
S3_AND_SQS = document(
    statement(["s3:ListAllMyBuckets", "s3:GetObject", "sqs:*"]),
    statement("s3:ListBucket", "arn:aws:s3:::granted"),
)


def generate(iam: Any, arn: str, **params: Any) -> str:
    job: str = iam.generate_service_last_accessed_details(Arn=arn, **params)["JobId"]
    return job


def services(iam: Any, job: str, **params: Any) -> dict[str, dict[str, Any]]:
    """The report's services, by namespace."""
    report = iam.get_service_last_accessed_details(JobId=job, **params)
    return {row["ServiceNamespace"]: row for row in report["ServicesLastAccessed"]}


def attempt_s3(credentials: Credentials, region: str = "us-east-1") -> None:
    """An S3 request the mock refuses (ListBucket is not granted on this bucket): an
    authenticated attempt all the same."""
    s3 = client("s3", credentials, region=region)
    with pytest.raises(ClientError):
        s3.list_objects_v2(Bucket="not-granted")


def no_such_job(job: str) -> tuple[str, str, int]:
    return ("NoSuchEntity", f"The report job with ID {job} cannot be found.", 404)


# ---------------------------------------------------------------------------------------
# The record the reports read


def test_calls_record_when_where_and_by_whom(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"s3": S3_AND_SQS})
    with time_machine.travel(MONDAY, tick=False):
        attempt_s3(alice.credentials, "eu-west-1")

    call = sts_mock.calls[-1]
    assert (call.service, call.allowed) == ("s3", False)
    assert call.at == MONDAY
    assert call.region == "eu-west-1"
    assert call.principal_id == alice.user_id


# ---------------------------------------------------------------------------------------
# Users


def test_a_user_report_lists_the_services_its_policies_allow(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"s3": S3_AND_SQS})
    with time_machine.travel(MONDAY, tick=False):
        attempt_s3(alice.credentials, "eu-west-1")
    iam = boto3.client("iam")

    with time_machine.travel(TUESDAY, tick=False):
        job = generate(iam, alice.arn)
        report = iam.get_service_last_accessed_details(JobId=job)

    assert report["JobStatus"] == "COMPLETED"
    assert report["JobType"] == "SERVICE_LEVEL"
    assert report["JobCreationDate"] == report["JobCompletionDate"] == TUESDAY
    assert report["IsTruncated"] is False
    # A refused request counts: AWS reports every authenticated attempt.
    assert report["ServicesLastAccessed"] == [
        {
            "ServiceName": "Amazon S3",
            "ServiceNamespace": "s3",
            "LastAuthenticated": MONDAY,
            "LastAuthenticatedEntity": alice.arn,
            "LastAuthenticatedRegion": "eu-west-1",
            "TotalAuthenticatedEntities": 1,
        },
        {
            "ServiceName": "Amazon SQS",
            "ServiceNamespace": "sqs",
            "TotalAuthenticatedEntities": 0,
        },
    ]


def test_allowed_requests_count_and_the_latest_wins(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"s3": S3_AND_SQS})
    with served_by_moto():
        with time_machine.travel(MONDAY, tick=False):
            client("s3", alice.credentials).list_buckets()
        with time_machine.travel(TUESDAY, tick=False):
            client("sqs", alice.credentials, region="ap-south-1").list_queues()

    found = services(boto3.client("iam"), generate(boto3.client("iam"), alice.arn))

    assert (found["s3"]["LastAuthenticated"], found["s3"]["LastAuthenticatedRegion"]) == (
        MONDAY,
        "us-east-1",
    )
    assert (found["sqs"]["LastAuthenticated"], found["sqs"]["LastAuthenticatedRegion"]) == (
        TUESDAY,
        "ap-south-1",
    )


def test_action_level_reports_the_tracked_management_actions(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"s3": S3_AND_SQS})
    with time_machine.travel(MONDAY, tick=False):
        attempt_s3(alice.credentials)
    iam = boto3.client("iam")

    job = generate(iam, alice.arn, Granularity="ACTION_LEVEL")
    report = iam.get_service_last_accessed_details(JobId=job)
    found = {row["ServiceNamespace"]: row for row in report["ServicesLastAccessed"]}

    assert report["JobType"] == "ACTION_LEVEL"
    # S3's management actions are tracked, GetObject (an object's) is not; SQS's actions are
    # not tracked at all.
    assert found["s3"]["TrackedActionsLastAccessed"] == [
        {"ActionName": "ListAllMyBuckets"},
        {
            "ActionName": "ListBucket",
            "LastAccessedEntity": alice.arn,
            "LastAccessedTime": MONDAY,
            "LastAccessedRegion": "us-east-1",
        },
    ]
    assert "TrackedActionsLastAccessed" not in found["sqs"]


def test_iam_and_sts_calls_count_for_their_own_services(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"all": allow(["iam:*", "sts:*"])})
    iam_of_alice = client("iam", alice.credentials, config=Config(parameter_validation=False))
    with time_machine.travel(MONDAY, tick=False):
        iam_of_alice.get_user()
        # Refused for a parameter out of range, before any action is decided: an attempt.
        with pytest.raises(ClientError):
            iam_of_alice.list_users(MaxItems=0)
        client("sts", alice.credentials).get_caller_identity()
    iam = boto3.client("iam")

    job = generate(iam, alice.arn, Granularity="ACTION_LEVEL")
    found = services(iam, job)

    assert set(found) == {"iam", "sts"}
    assert found["sts"]["LastAuthenticated"] == MONDAY
    tracked = {row["ActionName"]: row for row in found["iam"]["TrackedActionsLastAccessed"]}
    assert tracked["GetUser"]["LastAccessedTime"] == MONDAY
    assert tracked["ListUsers"]["LastAccessedTime"] == MONDAY
    assert "LastAccessedTime" not in tracked["CreateUser"]


def test_unauthenticated_requests_do_not_count(sts_mock: MockSTS) -> None:
    role = sts_mock.create_role(
        "worker",
        trust(f"arn:aws:iam::{ACCOUNT_ID}:root"),
        policies={"both": allow(["s3:ListAllMyBuckets", "iam:GetRole"])},
    )
    with time_machine.travel(MONDAY, tick=False):
        session = assumed(sts_mock.admin_credentials(), role.arn, "job")
    forged = Credentials(session.access_key_id, "not-the-secret", session.session_token)
    forged_iam, expired_s3 = client("iam", forged), client("s3", session)
    with time_machine.travel(MONDAY, tick=False):
        # The mock checks the signatures of IAM's requests: this one does not verify.
        refused = aws_error(lambda: forged_iam.get_role(RoleName="worker"))
    with time_machine.travel(TUESDAY, tick=False):
        # The session expired an hour after Monday.
        expired = aws_error(lambda: expired_s3.list_objects_v2(Bucket="not-granted"))
    iam = boto3.client("iam")

    found = services(iam, generate(iam, role.arn))

    assert (refused[0], expired[0]) == ("SignatureDoesNotMatch", "ExpiredToken")
    assert set(found) == {"iam", "s3"}
    for row in found.values():
        assert "LastAuthenticated" not in row
        assert row["TotalAuthenticatedEntities"] == 0


def test_an_explicit_deny_of_a_whole_service_removes_it(sts_mock: MockSTS) -> None:
    policy = document(statement("*"), statement("s3:*", effect="Deny"))
    alice = sts_mock.create_user("alice", policies={"most": policy})
    iam = boto3.client("iam")

    found = services(iam, generate(iam, alice.arn), MaxItems=1000)

    assert "s3" not in found
    assert {"ec2", "iam", "sqs"} <= set(found)


def test_not_action_allows_every_other_service(sts_mock: MockSTS) -> None:
    policy = document({"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"})
    alice = sts_mock.create_user("alice", policies={"not-iam": policy})
    iam = boto3.client("iam")

    found = services(iam, generate(iam, alice.arn), MaxItems=1000)

    assert "iam" not in found
    assert {"s3", "sts"} <= set(found)


def test_a_user_without_policies_has_no_services(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.create_user(UserName="idle")

    report = iam.get_service_last_accessed_details(JobId=generate(iam, _user_arn("idle")))

    assert report["ServicesLastAccessed"] == []


def test_services_are_paged_in_namespace_order(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    job = generate(iam, _user_arn("admin"))  # AdministratorAccess: every service

    first = iam.get_service_last_accessed_details(JobId=job, MaxItems=50)
    every = [row["ServiceNamespace"] for row in first["ServicesLastAccessed"]]
    page = first
    while page["IsTruncated"]:
        page = iam.get_service_last_accessed_details(JobId=job, Marker=page["Marker"])
        every += [row["ServiceNamespace"] for row in page["ServicesLastAccessed"]]

    assert first["IsTruncated"] is True
    assert [row["ServiceNamespace"] for row in first["ServicesLastAccessed"]] == every[:50]
    assert every == sorted(every)
    assert len(every) == len(set(every)) > 300
    rest = iam.get_service_last_accessed_details(JobId=job, Marker=first["Marker"], MaxItems=50)
    assert rest["ServicesLastAccessed"][0]["ServiceNamespace"] == every[50]


# ---------------------------------------------------------------------------------------
# Roles, groups and policies


def test_a_role_report_names_the_role_whatever_session_called(sts_mock: MockSTS) -> None:
    role = sts_mock.create_role(
        "worker", trust(f"arn:aws:iam::{ACCOUNT_ID}:root"), policies={"s3": S3_AND_SQS}
    )
    with time_machine.travel(MONDAY, tick=False):
        session = assumed(sts_mock.admin_credentials(), role.arn, "job-1")
        attempt_s3(session, "eu-central-1")
    iam = boto3.client("iam")

    found = services(iam, generate(iam, role.arn))

    assert found["s3"]["LastAuthenticatedEntity"] == role.arn
    assert found["s3"]["LastAuthenticatedRegion"] == "eu-central-1"
    entities = iam.get_service_last_accessed_details_with_entities(
        JobId=generate(iam, role.arn), ServiceNamespace="s3"
    )["EntityDetailsList"]
    assert entities == [
        {
            "EntityInfo": {
                "Arn": role.arn,
                "Name": "worker",
                "Type": "ROLE",
                "Id": role.role_id,
                "Path": "/",
            },
            "LastAuthenticated": MONDAY,
        }
    ]


@pytest.fixture
def ops_group(sts_mock: MockSTS) -> dict[str, Any]:
    """A group allowing S3 and SQS with three members, two of which used S3 (bob last)."""
    iam = boto3.client("iam")
    iam.create_group(GroupName="ops")
    iam.put_group_policy(GroupName="ops", PolicyName="s3", PolicyDocument=json.dumps(S3_AND_SQS))
    users = {name: sts_mock.create_user(name) for name in ("alice", "bob", "carol")}
    for name in users:
        iam.add_user_to_group(GroupName="ops", UserName=name)
    with time_machine.travel(MONDAY, tick=False):
        attempt_s3(users["alice"].credentials)
    with time_machine.travel(TUESDAY, tick=False):
        attempt_s3(users["bob"].credentials, "us-west-2")
    return users


def test_a_group_report_counts_its_members(sts_mock: MockSTS, ops_group: dict[str, Any]) -> None:
    iam = boto3.client("iam")
    job = generate(iam, f"arn:aws:iam::{ACCOUNT_ID}:group/ops")

    found = services(iam, job)

    assert found["s3"]["TotalAuthenticatedEntities"] == 2
    assert found["s3"]["LastAuthenticatedEntity"] == ops_group["bob"].arn
    assert found["s3"]["LastAuthenticated"] == TUESDAY
    assert found["sqs"]["TotalAuthenticatedEntities"] == 0


def test_the_entities_of_a_group_report_come_most_recent_first(
    sts_mock: MockSTS, ops_group: dict[str, Any]
) -> None:
    iam = boto3.client("iam")
    job = generate(iam, f"arn:aws:iam::{ACCOUNT_ID}:group/ops")

    answer = iam.get_service_last_accessed_details_with_entities(JobId=job, ServiceNamespace="s3")

    assert answer["JobStatus"] == "COMPLETED"
    listed = [
        (row["EntityInfo"]["Name"], row["EntityInfo"]["Type"], row.get("LastAuthenticated"))
        for row in answer["EntityDetailsList"]
    ]
    assert listed == [("bob", "USER", TUESDAY), ("alice", "USER", MONDAY), ("carol", "USER", None)]
    assert answer["EntityDetailsList"][0]["EntityInfo"]["Id"] == ops_group["bob"].user_id
    first = iam.get_service_last_accessed_details_with_entities(
        JobId=job, ServiceNamespace="s3", MaxItems=1
    )
    assert (first["IsTruncated"], len(first["EntityDetailsList"])) == (True, 1)


def test_a_policy_report_counts_everyone_it_applies_to(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = iam.create_policy(PolicyName="s3", PolicyDocument=json.dumps(S3_AND_SQS))["Policy"]["Arn"]
    direct = sts_mock.create_user("direct", managed_policy_arns=[arn])
    member = sts_mock.create_user("member")
    sts_mock.create_user("stranger", policies={"s3": S3_AND_SQS})
    iam.create_group(GroupName="readers")
    iam.attach_group_policy(GroupName="readers", PolicyArn=arn)
    iam.add_user_to_group(GroupName="readers", UserName="member")
    role = sts_mock.create_role(
        "worker", trust(f"arn:aws:iam::{ACCOUNT_ID}:root"), managed_policy_arns=[arn]
    )
    for credentials in (direct.credentials, member.credentials):
        attempt_s3(credentials)
    attempt_s3(sts_mock.create_user("other", policies={"s3": S3_AND_SQS}).credentials)

    job = generate(iam, arn)
    found = services(iam, job)
    entities = iam.get_service_last_accessed_details_with_entities(
        JobId=job, ServiceNamespace="s3"
    )["EntityDetailsList"]

    # The stranger and other hold the same permissions, but not through this policy.
    assert found["s3"]["TotalAuthenticatedEntities"] == 2
    assert found["s3"]["LastAuthenticatedEntity"] == member.arn
    assert sorted(row["EntityInfo"]["Arn"] for row in entities) == sorted(
        [direct.arn, member.arn, role.arn]
    )


def test_an_aws_managed_policy_can_be_reported(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    reader = sts_mock.create_user("reader", managed_policy_arns=[arn])
    with time_machine.travel(MONDAY, tick=False), pytest.raises(ClientError):
        # Writing is not reading: refused, and an attempt all the same.
        client("s3", reader.credentials).create_bucket(Bucket="new")

    found = services(iam, generate(iam, arn))

    assert "s3" in found
    assert found["s3"]["LastAuthenticatedEntity"] == reader.arn


# ---------------------------------------------------------------------------------------
# Bad input


def _user_arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT_ID}:user/{name}"


@pytest.mark.parametrize(
    ("arn", "expected"),
    [
        (
            "not-an-arn-at-all-really",
            ("InvalidInput", "ARN not-an-arn-at-all-really is not valid.", 400),
        ),
        (
            f"arn:aws:iam::{ACCOUNT_ID}:instance-profile/web",
            (
                "InvalidInput",
                f"ARN arn:aws:iam::{ACCOUNT_ID}:instance-profile/web does not name a user, "
                "group, role or managed policy.",
                400,
            ),
        ),
        (
            f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/worker/job",
            (
                "InvalidInput",
                f"ARN arn:aws:sts::{ACCOUNT_ID}:assumed-role/worker/job does not name a user, "
                "group, role or managed policy.",
                400,
            ),
        ),
        (_user_arn("nobody"), ("NoSuchEntity", "The user with name nobody cannot be found.", 404)),
        (
            f"arn:aws:iam::{ACCOUNT_ID}:group/nobody",
            ("NoSuchEntity", "The group with name nobody cannot be found.", 404),
        ),
        (
            f"arn:aws:iam::{ACCOUNT_ID}:role/team/nobody",
            ("NoSuchEntity", "The role with name nobody cannot be found.", 404),
        ),
        (
            f"arn:aws:iam::{ACCOUNT_ID}:policy/nothing",
            (
                "NoSuchEntity",
                f"Policy arn:aws:iam::{ACCOUNT_ID}:policy/nothing does not exist or is not "
                "attachable.",
                404,
            ),
        ),
        # A user of that name exists, but not under that path.
        (
            f"arn:aws:iam::{ACCOUNT_ID}:user/elsewhere/admin",
            ("NoSuchEntity", "The user with name admin cannot be found.", 404),
        ),
    ],
)
def test_a_bad_subject_is_refused(
    sts_mock: MockSTS, arn: str, expected: tuple[str, str, int]
) -> None:
    assert aws_error(lambda: generate(boto3.client("iam"), arn)) == expected


def test_an_arn_of_another_account_names_no_entity_of_the_callers(sts_mock: MockSTS) -> None:
    other = client("iam", sts_mock.admin_credentials("111111111111"))
    other.create_user(UserName="bob")

    error = aws_error(lambda: generate(boto3.client("iam"), "arn:aws:iam::111111111111:user/bob"))

    assert error == ("NoSuchEntity", "The user with name bob cannot be found.", 404)


def test_a_bad_granularity_is_refused_by_the_model(sts_mock: MockSTS) -> None:
    code, message, status = aws_error(
        lambda: generate(boto3.client("iam"), _user_arn("admin"), Granularity="DAILY")
    )

    assert (code, status) == ("ValidationError", 400)
    assert "granularity" in message


def test_an_unknown_job_is_no_such_entity(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    job = str(uuid.uuid4())

    assert aws_error(lambda: iam.get_service_last_accessed_details(JobId=job)) == no_such_job(job)
    assert aws_error(
        lambda: iam.get_service_last_accessed_details_with_entities(
            JobId=job, ServiceNamespace="s3"
        )
    ) == no_such_job(job)


def test_a_job_id_of_the_wrong_length_is_refused_by_the_model(sts_mock: MockSTS) -> None:
    iam = client("iam", config=Config(parameter_validation=False))

    code, message, status = aws_error(lambda: iam.get_service_last_accessed_details(JobId="short"))

    assert (code, status) == ("ValidationError", 400)
    assert "jobId" in message


def test_another_accounts_job_is_not_found(sts_mock: MockSTS) -> None:
    job = generate(boto3.client("iam"), _user_arn("admin"))
    other = client("iam", sts_mock.admin_credentials("111111111111"))

    assert aws_error(lambda: other.get_service_last_accessed_details(JobId=job)) == no_such_job(job)


def test_a_bad_marker_is_refused(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    job = generate(iam, _user_arn("admin"))

    error = aws_error(lambda: iam.get_service_last_accessed_details(JobId=job, Marker="nope"))

    assert error == ("ValidationError", "Invalid Marker.", 400)


# ---------------------------------------------------------------------------------------
# Authorization


def test_generating_is_authorized_on_the_subject(sts_mock: MockSTS) -> None:
    sts_mock.create_user("alice")
    auditor = sts_mock.create_user(
        "auditor",
        policies={
            "audit": document(
                statement("iam:GenerateServiceLastAccessedDetails", _user_arn("alice")),
                statement("iam:GetServiceLastAccessedDetails"),
            )
        },
    )
    iam = client("iam", auditor.credentials)

    job = generate(iam, _user_arn("alice"))
    error = aws_error(lambda: generate(iam, _user_arn("admin")))

    assert iam.get_service_last_accessed_details(JobId=job)["JobStatus"] == "COMPLETED"
    assert error == (
        "AccessDenied",
        f"User: {auditor.arn} is not authorized to perform: "
        f"iam:GenerateServiceLastAccessedDetails on resource: {_user_arn('admin')} because no "
        "identity-based policy allows the iam:GenerateServiceLastAccessedDetails action",
        403,
    )
    denied = aws_error(
        lambda: iam.get_service_last_accessed_details_with_entities(
            JobId=job, ServiceNamespace="s3"
        )
    )
    assert denied[0] == "AccessDenied"
    assert "on resource: *" in denied[1]
