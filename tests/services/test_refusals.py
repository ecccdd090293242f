"""Each service refuses in its own words and wire format: a denial, an expired session and a
key AWS does not know raise the ClientError botocore raises against AWS (code, message,
HTTP status, and what botocore reads besides), for a service of every protocol."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError

from mock_sts import Credentials, MockSTS, mock_sts
from tests.helpers import aws_error, client, sts_client
from tests.helpers.assume_role import ACCOUNT, session_arn
from tests.helpers.services import denies, grants, limited_to, served_by_moto

WORKER = session_arn("worker", "job")
EXPIRED = "The security token included in the request is expired"
INVALID = "The security token included in the request is invalid."
UNKNOWN = Credentials("AKIAUNKNOWN000000000", "testing", None, None)


@dataclass(frozen=True)
class Case:
    """One service: a call a session with no permissions makes, and how it is refused."""

    service: str
    call: Callable[[Any], object]
    action: str  # as the service spells it in its denial
    resource: str | None  # as the denial names it; None: it names none
    denied: tuple[str, int]  # code and HTTP status
    expired: tuple[str, str, int]
    invalid: tuple[str, str, int]
    # The denial's message, when it is not IAM's "User: ... is not authorized ..." sentence.
    message: str | None = None

    def denial(self) -> tuple[str, str, int]:
        if self.message is not None:
            return self.denied[0], self.message, self.denied[1]
        on = f" on resource: {self.resource}" if self.resource is not None else ""
        text = (
            f"User: {WORKER} is not authorized to perform: {self.action}{on} "
            f"because no identity-based policy allows the {self.action} action"
        )
        return self.denied[0], text, self.denied[1]


JSON_EXPIRED = ("ExpiredTokenException", EXPIRED, 400)
JSON_INVALID = ("UnrecognizedClientException", INVALID, 400)
XML_EXPIRED = ("ExpiredToken", EXPIRED, 403)
XML_INVALID = ("InvalidClientTokenId", INVALID, 403)
JSON_DENIED = ("AccessDeniedException", 400)


def json_case(service: str, call: Callable[[Any], object], action: str, resource: str) -> Case:
    """A service of the JSON protocol, refusing as DynamoDB does."""
    return Case(service, call, action, resource, JSON_DENIED, JSON_EXPIRED, JSON_INVALID)


def arn(service: str, resource: str) -> str:
    return f"arn:aws:{service}:us-east-1:{ACCOUNT}:{resource}"


CASES = {
    # rest-xml
    "s3": Case(
        "s3",
        lambda s3: s3.list_objects_v2(Bucket="reports"),
        "s3:ListBucket",
        '"arn:aws:s3:::reports"',
        ("AccessDenied", 403),
        ("ExpiredToken", "The provided token has expired.", 400),
        (
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
            403,
        ),
    ),
    "route53": Case(
        "route53",
        lambda route53: route53.list_hosted_zones(),
        "route53:ListHostedZones",
        "*",
        ("AccessDenied", 403),
        XML_EXPIRED,
        XML_INVALID,
    ),
    "cloudfront": Case(
        "cloudfront",
        lambda cloudfront: cloudfront.list_distributions(),
        "cloudfront:ListDistributions",
        "*",
        ("AccessDenied", 403),
        XML_EXPIRED,
        XML_INVALID,
    ),
    # query
    "sns": Case(
        "sns",
        lambda sns: sns.publish(TopicArn=arn("sns", "alerts"), Message="m"),
        "SNS:Publish",
        arn("sns", "alerts"),
        ("AuthorizationError", 403),
        XML_EXPIRED,
        XML_INVALID,
    ),
    "cloudformation": Case(
        "cloudformation",
        lambda cloudformation: cloudformation.list_stacks(),
        "cloudformation:ListStacks",
        "*",
        ("AccessDenied", 403),
        XML_EXPIRED,
        XML_INVALID,
    ),
    # json, answering with their query codes
    "sqs": Case(
        "sqs",
        lambda sqs: sqs.list_queues(),
        "sqs:listqueues",
        "*",
        ("AccessDenied", 403),
        XML_EXPIRED,
        XML_INVALID,
    ),
    "cloudwatch": Case(
        "cloudwatch",
        lambda cloudwatch: cloudwatch.list_dashboards(),
        "cloudwatch:ListDashboards",
        None,
        ("AccessDenied", 403),
        XML_EXPIRED,
        XML_INVALID,
    ),
    # json
    "dynamodb": json_case(
        "dynamodb",
        lambda dynamodb: dynamodb.describe_table(TableName="jobs"),
        "dynamodb:DescribeTable",
        arn("dynamodb", "table/jobs"),
    ),
    "kms": json_case("kms", lambda kms: kms.list_keys(), "kms:ListKeys", "*"),
    "secretsmanager": json_case(
        "secretsmanager",
        lambda secrets: secrets.list_secrets(),
        "secretsmanager:ListSecrets",
        "*",
    ),
    "ssm": json_case("ssm", lambda ssm: ssm.describe_parameters(), "ssm:DescribeParameters", "*"),
    "logs": json_case(
        "logs", lambda logs: logs.describe_log_groups(), "logs:DescribeLogGroups", "*"
    ),
    "events": json_case("events", lambda events: events.list_rules(), "events:ListRules", "*"),
    "kinesis": json_case(
        "kinesis",
        lambda kinesis: kinesis.describe_stream(StreamName="clicks"),
        "kinesis:DescribeStream",
        arn("kinesis", "stream/clicks"),
    ),
    "stepfunctions": json_case(
        "stepfunctions",
        lambda states: states.list_state_machines(),
        "states:ListStateMachines",
        "*",
    ),
    "ecr": json_case(
        "ecr", lambda ecr: ecr.get_authorization_token(), "ecr:GetAuthorizationToken", "*"
    ),
    # rest-json
    "lambda": Case(
        "lambda",
        lambda awslambda: awslambda.get_function(FunctionName="resize"),
        "lambda:GetFunction",
        arn("lambda", "function:resize"),
        ("AccessDeniedException", 403),
        ("ExpiredTokenException", EXPIRED, 403),
        ("UnrecognizedClientException", INVALID, 403),
    ),
    # smithy-rpc-v2-cbor: the model's AccessDeniedException is a 403
    "eventbridgev2": Case(
        "eventbridgev2",
        lambda events: events.list_event_buses(),
        "events:ListEventBuses",
        "*",
        ("AccessDeniedException", 403),
        JSON_EXPIRED,
        JSON_INVALID,
    ),
    # ec2
    "ec2": Case(
        "ec2",
        lambda ec2: ec2.describe_instances(),
        "ec2:DescribeInstances",
        None,
        ("UnauthorizedOperation", 403),
        ("RequestExpired", "Request has expired.", 400),
        ("AuthFailure", "AWS was not able to validate the provided access credentials", 401),
        message="You are not authorized to perform this operation.",
    ),
}


@pytest.fixture
def aws() -> Iterator[MockSTS]:
    with served_by_moto(), mock_sts() as sts:
        yield sts


@pytest.fixture
def powerless(aws: MockSTS) -> Credentials:
    """A session that may do nothing at all."""
    return limited_to(aws)


@pytest.mark.parametrize("name", CASES)
def test_denials(aws: MockSTS, powerless: Credentials, name: str) -> None:
    case = CASES[name]
    assert aws_error(lambda: case.call(client(case.service, powerless))) == case.denial()
    assert aws.denials[-1].error_code == case.denied[0]


@pytest.mark.parametrize("name", CASES)
def test_expired_sessions(aws: MockSTS, powerless: Credentials, name: str) -> None:
    case = CASES[name]
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1, seconds=1)
    with time_machine.travel(later):
        assert aws_error(lambda: case.call(client(case.service, powerless))) == case.expired


@pytest.mark.parametrize("name", CASES)
def test_keys_aws_does_not_know(name: str) -> None:
    case = CASES[name]
    with served_by_moto(), mock_sts(strict=True):
        assert aws_error(lambda: case.call(client(case.service, UNKNOWN))) == case.invalid


def refusal(call: Callable[[], object]) -> dict[str, Any]:
    """What botocore parsed from a refusal: its Error and the answer's headers."""
    with pytest.raises(ClientError) as excinfo:
        call()
    response: dict[str, Any] = excinfo.value.response
    return {"Error": response["Error"], "headers": response["ResponseMetadata"]["HTTPHeaders"]}


# ---------------------------------------------------------------------------------------
# What botocore reads besides the code and the message


def test_query_compatible_services_send_their_query_code(
    aws: MockSTS, powerless: Credentials
) -> None:
    refused = refusal(lambda: client("sqs", powerless).list_queues())

    # botocore raises the header's code and keeps the body's JSON one.
    assert refused["Error"] == {
        "Code": "AccessDenied",
        "QueryErrorCode": "AccessDeniedException",
        "Type": "Sender",
        "Message": CASES["sqs"].denial()[1],
    }
    assert refused["headers"]["x-amzn-query-error"] == "AccessDenied;Sender"
    assert refused["headers"]["content-type"] == "application/x-amz-json-1.0"


@pytest.mark.parametrize("name", ["cloudformation", "route53"])
def test_query_and_rest_xml_errors_are_sender_faults(
    aws: MockSTS, powerless: Credentials, name: str
) -> None:
    case = CASES[name]
    refused = refusal(lambda: case.call(client(case.service, powerless)))

    assert refused["Error"] == {
        "Type": "Sender",
        "Code": "AccessDenied",
        "Message": case.denial()[1],
    }
    assert refused["headers"]["content-type"] == "text/xml"


def test_rpc_v2_cbor_answers_in_cbor(aws: MockSTS, powerless: Credentials) -> None:
    refused = refusal(lambda: client("eventbridgev2", powerless).list_event_buses())

    assert refused["Error"] == {
        "Code": "AccessDeniedException",
        "Message": CASES["eventbridgev2"].denial()[1],
    }
    assert refused["headers"]["content-type"] == "application/cbor"
    assert refused["headers"]["smithy-protocol"] == "rpc-v2-cbor"


def test_rest_json_names_the_error_in_a_header(aws: MockSTS, powerless: Credentials) -> None:
    refused = refusal(lambda: client("lambda", powerless).get_function(FunctionName="resize"))
    assert refused["headers"]["x-amzn-errortype"] == "AccessDeniedException"


# ---------------------------------------------------------------------------------------
# Service spellings


def test_explicit_denials_keep_the_service_spelling(aws: MockSTS) -> None:
    limited = limited_to(aws, grants("*"), denies(["sqs:ListQueues", "sns:Publish"]))

    assert aws_error(lambda: client("sqs", limited).list_queues())[1] == (
        f"User: {WORKER} is not authorized to perform: sqs:listqueues on resource: * "
        "with an explicit deny in an identity-based policy"
    )
    publish = aws_error(
        lambda: client("sns", limited).publish(TopicArn=arn("sns", "alerts"), Message="m")
    )
    assert publish[1] == (
        f"User: {WORKER} is not authorized to perform: SNS:Publish on resource: "
        f"{arn('sns', 'alerts')} with an explicit deny in an identity-based policy"
    )


def test_s3_names_no_resource_for_every_bucket(aws: MockSTS, powerless: Credentials) -> None:
    assert aws_error(lambda: client("s3", powerless).list_buckets()) == (
        "AccessDenied",
        f"User: {WORKER} is not authorized to perform: s3:ListAllMyBuckets because no "
        "identity-based policy allows the s3:ListAllMyBuckets action",
        403,
    )


# ---------------------------------------------------------------------------------------
# EC2's encoded authorization message


def test_ec2_attaches_a_message_sts_decodes(aws: MockSTS, powerless: Credentials) -> None:
    ec2 = client("ec2", powerless)

    code, message, status = aws_error(
        lambda: ec2.run_instances(ImageId="ami-12345678", MinCount=1, MaxCount=1)
    )

    # The first of RunInstances' checks: the instance it would make.
    instance = "arn:aws:ec2:us-east-1:123456789012:instance/*"
    sentence, _, encoded = message.partition(". Encoded authorization failure message: ")
    assert (code, status) == ("UnauthorizedOperation", 403)
    assert sentence == (
        f"You are not authorized to perform this operation. User: {WORKER} is not authorized "
        f"to perform: ec2:RunInstances on resource: {instance} because no identity-based policy "
        "allows the ec2:RunInstances action"
    )
    decoded = json.loads(
        sts_client().decode_authorization_message(EncodedMessage=encoded)["DecodedMessage"]
    )
    assert decoded["allowed"] is False
    assert decoded["explicitDeny"] is False
    assert decoded["context"]["action"] == "ec2:RunInstances"
    assert decoded["context"]["resource"] == instance
    assert decoded["context"]["principal"]["arn"] == WORKER


# ---------------------------------------------------------------------------------------
# Keys refused in each service's words


def test_inactive_keys_are_unknown_to_json_services(aws: MockSTS) -> None:
    user = aws.create_user("ci")
    client("iam").update_access_key(
        UserName="ci", AccessKeyId=user.credentials.access_key_id, Status="Inactive"
    )
    assert aws_error(lambda: client("kinesis", user.credentials).list_streams()) == JSON_INVALID
    assert aws_error(lambda: client("ec2", user.credentials).describe_vpcs()) == (
        CASES["ec2"].invalid
    )


def test_a_resource_named_with_characters_xml_cannot_hold_is_still_refused_in_xml(
    aws: MockSTS, powerless: Credentials
) -> None:
    """A denial quotes the resource, and an S3 key may hold control characters: the XML body
    carries them as U+FFFD, so that botocore still reads S3's code and message."""
    s3 = client("s3", powerless)

    code, message, status = aws_error(lambda: s3.get_object(Bucket="reports", Key="a\x01b"))

    assert (code, status) == ("AccessDenied", 403)
    assert '"arn:aws:s3:::reports/a\ufffdb"' in message
