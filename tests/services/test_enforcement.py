"""Every other service's requests, signed with credentials the mock knows, are decided before
anything serves them: allowed ones reach moto untouched, refused ones never do; expired and
revoked credentials stop working everywhere; each decision is recorded with its reason."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from botocore import UNSIGNED
from botocore.config import Config

from mock_sts import Credentials, MockSTS, mock_sts
from mock_sts._services import _read_messaging
from tests.helpers import aws_error, client
from tests.helpers.assume_role import ACCOUNT, session_arn
from tests.helpers.services import denies, grants, limited_to, served_by_moto

BUCKET = "reports"
OBJECT = f"arn:aws:s3:::{BUCKET}/q1.csv"
TABLE = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/jobs"
READER = session_arn("worker", "job")


@pytest.fixture
def aws() -> Iterator[MockSTS]:
    """moto serving every service, and a mock deciding who may touch it."""
    with served_by_moto(), mock_sts() as sts:
        s3 = client("s3")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key="q1.csv", Body=b"v1")
        client("dynamodb").create_table(
            TableName="jobs",
            KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
            BillingMode="PAY_PER_REQUEST",
        )
        yield sts


@pytest.fixture
def reader(aws: MockSTS) -> Credentials:
    return limited_to(aws, grants("s3:GetObject", f"arn:aws:s3:::{BUCKET}/*"))


def not_authorized(action: str, resource: str) -> str:
    return (
        f"User: {READER} is not authorized to perform: {action} on resource: {resource} "
        f"because no identity-based policy allows the {action} action"
    )


def test_a_reader_reads_and_cannot_write(aws: MockSTS, reader: Credentials) -> None:
    s3 = client("s3", reader)
    assert s3.get_object(Bucket=BUCKET, Key="q1.csv")["Body"].read() == b"v1"

    refused = aws_error(lambda: s3.put_object(Bucket=BUCKET, Key="q1.csv", Body=b"v2"))

    # S3 quotes the resource.
    assert refused == ("AccessDenied", not_authorized("s3:PutObject", f'"{OBJECT}"'), 403)
    # The refused request never reached moto.
    assert client("s3").get_object(Bucket=BUCKET, Key="q1.csv")["Body"].read() == b"v1"


def test_json_services_refuse_in_json(aws: MockSTS, reader: Credentials) -> None:
    dynamodb = client("dynamodb", reader)

    refused = aws_error(lambda: dynamodb.put_item(TableName="jobs", Item={"id": {"S": "1"}}))

    assert refused == (
        "AccessDeniedException",
        not_authorized("dynamodb:PutItem", TABLE),
        400,
    )
    assert client("dynamodb").scan(TableName="jobs")["Count"] == 0


def test_explicit_deny_says_so(aws: MockSTS) -> None:
    limited = limited_to(aws, grants("s3:*"), denies("s3:DeleteObject"))

    refused = aws_error(lambda: client("s3", limited).delete_object(Bucket=BUCKET, Key="q1.csv"))

    assert refused[0] == "AccessDenied"
    assert refused[1] == (
        f'User: {READER} is not authorized to perform: s3:DeleteObject on resource: "{OBJECT}" '
        "with an explicit deny in an identity-based policy"
    )
    assert aws.denials[-1].reason == (
        f"s3:DeleteObject on {OBJECT}: explicitly denied by inline policy 'limits' of role "
        "worker (statement #1)"
    )


def test_calls_record_the_decision_and_the_answer(aws: MockSTS, reader: Credentials) -> None:
    s3 = client("s3", reader)
    s3.get_object(Bucket=BUCKET, Key="q1.csv")
    assert aws_error(lambda: s3.get_object(Bucket=BUCKET, Key="missing"))[0] == "NoSuchKey"
    aws_error(lambda: s3.put_object(Bucket=BUCKET, Key="q1.csv", Body=b"v2"))

    read, missing, write = aws.calls[-3:]
    assert (read.service, read.action, read.caller_arn) == ("s3", "GetObject", READER)
    assert (read.status, read.error_code, read.allowed, read.checked) == (200, None, True, True)
    assert read.actions == ("s3:GetObject",)
    assert read.resources == (OBJECT,)
    assert read.reason == "allowed by inline policy 'limits' of role worker"
    # What the service answered an allowed request is recorded too.
    assert (missing.status, missing.error_code) == (404, "NoSuchKey")
    assert (write.status, write.error_code, write.allowed) == (403, "AccessDenied", False)
    assert write.reason == f"s3:PutObject on {OBJECT}: no identity-based policy allows s3:PutObject"
    assert aws.denials == (write,)


def test_the_admin_may_do_anything(aws: MockSTS) -> None:
    client("s3").delete_object(Bucket=BUCKET, Key="q1.csv")
    call = aws.calls[-1]
    assert call.caller_arn == f"arn:aws:iam::{ACCOUNT}:user/admin"
    assert call.reason == (
        "allowed by policy arn:aws:iam::aws:policy/AdministratorAccess attached to user admin"
    )


def test_secrets_in_parameters_are_redacted(aws: MockSTS) -> None:
    client("secretsmanager").create_secret(Name="db", SecretString="hunter2")
    assert aws.calls[-1].params == {
        "Name": "db",
        "SecretString": "***",
        "ClientRequestToken": (aws.calls[-1].params["ClientRequestToken"]),
    }


# ---------------------------------------------------------------------------------------
# Credentials: expired, revoked, unknown


def test_expired_sessions_stop_working_everywhere(aws: MockSTS, reader: Credentials) -> None:
    with time_machine.travel(dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1, seconds=1)):
        assert aws_error(lambda: client("s3", reader).get_object(Bucket=BUCKET, Key="q1.csv")) == (
            "ExpiredToken",
            "The provided token has expired.",
            400,
        )
        assert aws_error(lambda: client("dynamodb", reader).scan(TableName="jobs")) == (
            "ExpiredTokenException",
            "The security token included in the request is expired",
            400,
        )
    assert aws.denials[-1].reason.startswith("the session expired at ")


def test_a_wrong_session_token_is_refused(aws: MockSTS, reader: Credentials) -> None:
    forged = Credentials(reader.access_key_id, reader.secret_access_key, "forged", None)
    assert aws_error(lambda: client("dynamodb", forged).scan(TableName="jobs")) == (
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
        400,
    )
    assert aws.denials[-1].reason == (
        "the session token is missing or is not the one issued with the key"
    )


def test_inactive_and_deleted_keys_are_refused(aws: MockSTS) -> None:
    user = aws.create_user(
        "ci", policies={"all": {"Version": "2012-10-17", "Statement": [grants("s3:*")]}}
    )
    iam = client("iam")
    iam.update_access_key(
        UserName="ci", AccessKeyId=user.credentials.access_key_id, Status="Inactive"
    )
    assert aws_error(lambda: client("s3", user.credentials).list_buckets()) == (
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
        403,
    )
    assert aws.denials[-1].reason == f"the access key {user.credentials.access_key_id} is inactive"
    iam.delete_access_key(UserName="ci", AccessKeyId=user.credentials.access_key_id)
    assert aws_error(lambda: client("s3", user.credentials).list_buckets())[0] == (
        "InvalidAccessKeyId"
    )


def test_keys_the_mock_does_not_know_are_not_its_to_decide(aws: MockSTS) -> None:
    testing = Credentials("testing", "testing", None, None)
    before = len(aws.calls)
    client("s3", testing).put_object(Bucket=BUCKET, Key="q1.csv", Body=b"v2")
    assert len(aws.calls) == before


def test_strict_refuses_keys_the_mock_does_not_know() -> None:
    testing = Credentials("AKIAUNKNOWN000000000", "testing", None, None)
    with served_by_moto(), mock_sts(strict=True) as sts:
        assert aws_error(lambda: client("sns", testing).list_topics()) == (
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
            403,
        )
        assert sts.denials[-1].reason == "the access key AKIAUNKNOWN000000000 does not exist"


# ---------------------------------------------------------------------------------------
# enforce=


def test_enforce_false_leaves_other_services_alone() -> None:
    with served_by_moto(), mock_sts(enforce=False) as sts:
        client("s3").create_bucket(Bucket=BUCKET)
        limited = limited_to(sts)
        client("s3", limited).put_object(Bucket=BUCKET, Key="q1.csv", Body=b"v2")
        assert [call.service for call in sts.calls] == ["sts"]


def test_soft_enforcement_records_what_it_would_refuse() -> None:
    with served_by_moto(), mock_sts(enforce="soft") as sts:
        client("s3").create_bucket(Bucket=BUCKET)
        limited = limited_to(sts)
        client("s3", limited).put_object(Bucket=BUCKET, Key="q1.csv", Body=b"v2")

        (denial,) = sts.denials
        assert (denial.action, denial.status, denial.error_code) == ("PutObject", 200, None)
        assert denial.reason == (
            f"s3:PutObject on {OBJECT}: no identity-based policy allows s3:PutObject"
        )
        assert client("s3").get_object(Bucket=BUCKET, Key="q1.csv")["Body"].read() == b"v2"


@pytest.mark.parametrize("enforce", ["hard", 1, None])
def test_enforce_takes_true_false_or_soft(enforce: object) -> None:
    with pytest.raises(TypeError, match="enforce must be True, False or 'soft', got "):
        MockSTS(enforce=enforce)  # type: ignore[arg-type]


@pytest.mark.sts_mock(enforce="soft")
def test_the_marker_sets_enforcement(sts_mock: MockSTS) -> None:
    assert sts_mock.enforce == "soft"


def test_unsigned_requests_are_not_the_mocks_to_decide(aws: MockSTS) -> None:
    anonymous = client("s3", config=Config(signature_version=UNSIGNED))
    before = len(aws.calls)
    # moto decides anonymous access by itself (here: the bucket is not public).
    assert aws_error(lambda: anonymous.get_object(Bucket=BUCKET, Key="q1.csv"))[2] == 403
    assert len(aws.calls) == before


def test_signatures_the_mock_cannot_read_are_the_services_to_refuse(aws: MockSTS) -> None:
    s3 = client("s3")

    def garble(request: Any, **kwargs: Any) -> None:
        request.headers["Authorization"] = "AWS4-HMAC-SHA256 nothing readable"

    # After the signer, which handles request-created for every operation.
    s3.meta.events.register_last("request-created", garble)
    before = len(aws.calls)
    # moto does not check signatures: it serves what AWS would refuse.
    assert s3.get_object(Bucket=BUCKET, Key="q1.csv")["Body"].read() == b"v1"
    assert len(aws.calls) == before


def test_a_url_that_names_no_queue_has_no_queue_arn() -> None:
    assert _read_messaging.queue_arn("https://sqs.us-east-1.amazonaws.com/") is None
    assert _read_messaging.queue_arn("https://queue.amazonaws.com/123456789012/jobs") == (
        "arn:aws:sqs:us-east-1:123456789012:jobs"
    )
