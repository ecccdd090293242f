"""What AWS authorizes for the common calls of SSM Parameter Store, CloudWatch Logs,
EventBridge, Kinesis, Step Functions, ECR, EC2 and CloudWatch metrics: each call, made
through boto3 against moto, is checked on exactly the actions and resources AWS checks.

A session granted exactly those passes and reaches moto; one lacking the last of them is
refused with AWS's message naming that action and resource, and reaches nothing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import pytest

from mock_sts import MockSTS, mock_sts
from tests.helpers import aws_error, client
from tests.helpers.assume_role import ACCOUNT, session_arn, statement
from tests.helpers.services import grants, limited_to, served_by_moto

REGION = "us-east-1"
WORKER = session_arn("worker", "job")
ROLE = f"arn:aws:iam::{ACCOUNT}:role/service"
OTHER_ROLE = f"arn:aws:iam::{ACCOUNT}:role/service-runner"
PASS_ROLE = ("iam:PassRole", ROLE)
MACHINE = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:flow"
DEFINITION = json.dumps({"StartAt": "Done", "States": {"Done": {"Type": "Succeed"}}})


def arn(service: str, resource: str, *, account: str = ACCOUNT) -> str:
    return f"arn:aws:{service}:{REGION}:{account}:{resource}"


def _ssm() -> dict[str, str]:
    ssm = client("ssm")
    for name in ("/app/db", "/app/key"):
        ssm.put_parameter(Name=name, Value="v", Type="String")
    return {}


def _logs() -> dict[str, str]:
    logs = client("logs")
    logs.create_log_group(logGroupName="/app")
    logs.create_log_stream(logGroupName="/app", logStreamName="web")
    return {}


def _rule() -> dict[str, str]:
    events = client("events")
    events.create_event_bus(Name="orders")
    events.put_rule(Name="nightly", ScheduleExpression="rate(1 day)")
    events.put_rule(Name="paid", EventBusName="orders", EventPattern='{"source": ["shop"]}')
    return {}


def _stream() -> dict[str, str]:
    client("kinesis").create_stream(StreamName="clicks", ShardCount=1)
    return {}


def _machine() -> dict[str, str]:
    states = client("stepfunctions")
    states.create_state_machine(name="flow", definition=DEFINITION, roleArn=ROLE)
    execution = states.start_execution(stateMachineArn=MACHINE, name="run1")
    return {"execution": execution["executionArn"]}


def _repository() -> dict[str, str]:
    client("ecr").create_repository(repositoryName="app")
    return {}


def _instance() -> dict[str, str]:
    ec2 = client("ec2")
    image = ec2.register_image(Name="app", RootDeviceName="/dev/sda1")["ImageId"]
    instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]
    volume = ec2.create_volume(AvailabilityZone=f"{REGION}a", Size=1)["VolumeId"]
    group = ec2.create_security_group(GroupName="web", Description="web")["GroupId"]
    vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
    return {
        "image": image,
        "instance": instance["InstanceId"],
        "volume": volume,
        "group": group,
        "vpc": vpc,
    }


def _ec2(kind: str, key: str) -> Callable[[Mapping[str, str]], str]:
    return lambda made: arn("ec2", f"{kind}/{made[key]}")


def _ami(made: Mapping[str, str]) -> str:
    return f"arn:aws:ec2:{REGION}::image/{made['image']}"


def _now_ms() -> int:
    return int(time.time() * 1000)


def _parameter(name: str) -> str:
    return arn("ssm", f"parameter/{name}")


def _log_group(name: str) -> str:
    return arn("logs", f"log-group:{name}:log-stream:")


def _log_stream(group: str, stream: str) -> str:
    return arn("logs", f"log-group:{group}:log-stream:{stream}")


Resource = str | Callable[[Mapping[str, str]], str]
Made = Mapping[str, str]
# (test id, boto3 service, the call (a limited client, what setup made), the (action,
# resource) AWS checks in order, setup made as the admin).
Row = tuple[
    str, str, Callable[[Any, Made], object], Sequence[tuple[str, Resource]], Callable[[], Made]
]

ROWS: list[Row] = [
    # SSM Parameter Store
    (
        "ssm GetParameter",
        "ssm",
        lambda c, m: c.get_parameter(Name="/app/db"),
        [("ssm:GetParameter", _parameter("app/db"))],
        _ssm,
    ),
    (
        "ssm GetParameter by ARN",
        "ssm",
        lambda c, m: c.get_parameter(Name=_parameter("app/db")),
        [("ssm:GetParameter", _parameter("app/db"))],
        _ssm,
    ),
    (
        "ssm GetParameter of a version",
        "ssm",
        lambda c, m: c.get_parameter(Name="/app/db:1"),
        [("ssm:GetParameter", _parameter("app/db"))],
        _ssm,
    ),
    (
        "ssm GetParameters",
        "ssm",
        lambda c, m: c.get_parameters(Names=["/app/db", "/app/key"]),
        [("ssm:GetParameters", _parameter("app/db")), ("ssm:GetParameters", _parameter("app/key"))],
        _ssm,
    ),
    (
        "ssm GetParametersByPath",
        "ssm",
        lambda c, m: c.get_parameters_by_path(Path="/app", Recursive=True),
        [("ssm:GetParametersByPath", _parameter("app"))],
        _ssm,
    ),
    (
        "ssm PutParameter",
        "ssm",
        lambda c, m: c.put_parameter(Name="/app/new", Value="v", Type="String"),
        [("ssm:PutParameter", _parameter("app/new"))],
        _ssm,
    ),
    (
        "ssm DeleteParameter",
        "ssm",
        lambda c, m: c.delete_parameter(Name="/app/db"),
        [("ssm:DeleteParameter", _parameter("app/db"))],
        _ssm,
    ),
    (
        "ssm DeleteParameters",
        "ssm",
        lambda c, m: c.delete_parameters(Names=["/app/db", "/app/key"]),
        [
            ("ssm:DeleteParameters", _parameter("app/db")),
            ("ssm:DeleteParameters", _parameter("app/key")),
        ],
        _ssm,
    ),
    (
        "ssm DescribeParameters",
        "ssm",
        lambda c, m: c.describe_parameters(),
        [("ssm:DescribeParameters", "*")],
        _ssm,
    ),
    # CloudWatch Logs
    (
        "logs CreateLogGroup",
        "logs",
        lambda c, m: c.create_log_group(logGroupName="/new"),
        [("logs:CreateLogGroup", _log_group("/new"))],
        _logs,
    ),
    (
        "logs CreateLogStream",
        "logs",
        lambda c, m: c.create_log_stream(logGroupName="/app", logStreamName="api"),
        [("logs:CreateLogStream", _log_stream("/app", "api"))],
        _logs,
    ),
    (
        "logs PutLogEvents",
        "logs",
        lambda c, m: c.put_log_events(
            logGroupName="/app",
            logStreamName="web",
            logEvents=[{"timestamp": _now_ms(), "message": "up"}],
        ),
        [("logs:PutLogEvents", _log_stream("/app", "web"))],
        _logs,
    ),
    (
        "logs GetLogEvents",
        "logs",
        lambda c, m: c.get_log_events(logGroupName="/app", logStreamName="web"),
        [("logs:GetLogEvents", _log_stream("/app", "web"))],
        _logs,
    ),
    (
        "logs FilterLogEvents",
        "logs",
        lambda c, m: c.filter_log_events(logGroupName="/app"),
        [("logs:FilterLogEvents", _log_group("/app"))],
        _logs,
    ),
    (
        "logs DescribeLogStreams",
        "logs",
        lambda c, m: c.describe_log_streams(logGroupName="/app"),
        [("logs:DescribeLogStreams", _log_group("/app"))],
        _logs,
    ),
    (
        "logs DescribeLogGroups",
        "logs",
        lambda c, m: c.describe_log_groups(),
        [("logs:DescribeLogGroups", "*")],
        _logs,
    ),
    (
        "logs DeleteLogGroup",
        "logs",
        lambda c, m: c.delete_log_group(logGroupName="/app"),
        [("logs:DeleteLogGroup", _log_group("/app"))],
        _logs,
    ),
    # EventBridge
    (
        "events PutEvents",
        "events",
        lambda c, m: c.put_events(
            Entries=[
                {"Source": "shop", "DetailType": "paid", "Detail": "{}"},
                {"Source": "shop", "DetailType": "paid", "Detail": "{}", "EventBusName": "orders"},
            ]
        ),
        [
            ("events:PutEvents", arn("events", "event-bus/default")),
            ("events:PutEvents", arn("events", "event-bus/orders")),
        ],
        _rule,
    ),
    (
        "events PutRule",
        "events",
        lambda c, m: c.put_rule(Name="hourly", ScheduleExpression="rate(1 hour)"),
        [("events:PutRule", arn("events", "rule/hourly"))],
        _rule,
    ),
    (
        "events PutRule on a bus",
        "events",
        lambda c, m: c.put_rule(
            Name="refund", EventBusName="orders", EventPattern='{"source": ["shop"]}'
        ),
        [("events:PutRule", arn("events", "rule/orders/refund"))],
        _rule,
    ),
    (
        "events PutTargets",
        "events",
        lambda c, m: c.put_targets(
            Rule="nightly", Targets=[{"Id": "1", "Arn": arn("sqs", "jobs")}]
        ),
        [("events:PutTargets", arn("events", "rule/nightly"))],
        _rule,
    ),
    (
        "events PutTargets with roles",
        "events",
        lambda c, m: c.put_targets(
            Rule="nightly",
            Targets=[
                {"Id": "1", "Arn": arn("sqs", "jobs")},
                {"Id": "2", "Arn": arn("kinesis", "stream/clicks"), "RoleArn": ROLE},
                {"Id": "3", "Arn": arn("states", "stateMachine:flow"), "RoleArn": OTHER_ROLE},
            ],
        ),
        [
            ("events:PutTargets", arn("events", "rule/nightly")),
            ("iam:PassRole", ROLE),
            ("iam:PassRole", OTHER_ROLE),
        ],
        _rule,
    ),
    (
        "events DeleteRule on a bus",
        "events",
        lambda c, m: c.delete_rule(Name="paid", EventBusName=arn("events", "event-bus/orders")),
        [("events:DeleteRule", arn("events", "rule/orders/paid"))],
        _rule,
    ),
    (
        "events CreateEventBus",
        "events",
        lambda c, m: c.create_event_bus(Name="billing"),
        [("events:CreateEventBus", arn("events", "event-bus/billing"))],
        _rule,
    ),
    # Kinesis
    (
        "kinesis PutRecord",
        "kinesis",
        lambda c, m: c.put_record(StreamName="clicks", Data=b"x", PartitionKey="k"),
        [("kinesis:PutRecord", arn("kinesis", "stream/clicks"))],
        _stream,
    ),
    (
        "kinesis PutRecords by ARN",
        "kinesis",
        lambda c, m: c.put_records(
            StreamARN=arn("kinesis", "stream/clicks"), Records=[{"Data": b"x", "PartitionKey": "k"}]
        ),
        [("kinesis:PutRecords", arn("kinesis", "stream/clicks"))],
        _stream,
    ),
    (
        "kinesis GetShardIterator",
        "kinesis",
        lambda c, m: c.get_shard_iterator(
            StreamName="clicks", ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"
        ),
        [("kinesis:GetShardIterator", arn("kinesis", "stream/clicks"))],
        _stream,
    ),
    (
        "kinesis DescribeStreamSummary",
        "kinesis",
        lambda c, m: c.describe_stream_summary(StreamName="clicks"),
        [("kinesis:DescribeStreamSummary", arn("kinesis", "stream/clicks"))],
        _stream,
    ),
    (
        "kinesis ListStreams",
        "kinesis",
        lambda c, m: c.list_streams(),
        [("kinesis:ListStreams", "*")],
        _stream,
    ),
    # Step Functions
    (
        "states CreateStateMachine",
        "stepfunctions",
        lambda c, m: c.create_state_machine(name="audit", definition=DEFINITION, roleArn=ROLE),
        # The role the state machine runs as is passed to Step Functions.
        [("states:CreateStateMachine", arn("states", "stateMachine:audit")), PASS_ROLE],
        _machine,
    ),
    (
        "states UpdateStateMachine",
        "stepfunctions",
        lambda c, m: c.update_state_machine(stateMachineArn=MACHINE, roleArn=ROLE),
        [("states:UpdateStateMachine", MACHINE), PASS_ROLE],
        _machine,
    ),
    (
        "states StartExecution",
        "stepfunctions",
        lambda c, m: c.start_execution(stateMachineArn=MACHINE),
        [("states:StartExecution", MACHINE)],
        _machine,
    ),
    (
        "states DescribeExecution",
        "stepfunctions",
        lambda c, m: c.describe_execution(executionArn=m["execution"]),
        [("states:DescribeExecution", arn("states", "execution:flow:run1"))],
        _machine,
    ),
    (
        "states StopExecution",
        "stepfunctions",
        lambda c, m: c.stop_execution(executionArn=m["execution"]),
        [("states:StopExecution", arn("states", "execution:flow:run1"))],
        _machine,
    ),
    (
        "states ListStateMachines",
        "stepfunctions",
        lambda c, m: c.list_state_machines(),
        [("states:ListStateMachines", "*")],
        _machine,
    ),
    # ECR
    (
        "ecr GetAuthorizationToken",
        "ecr",
        lambda c, m: c.get_authorization_token(),
        [("ecr:GetAuthorizationToken", "*")],
        _repository,
    ),
    (
        "ecr DescribeRepositories",
        "ecr",
        lambda c, m: c.describe_repositories(),
        [("ecr:DescribeRepositories", "*")],
        _repository,
    ),
    (
        "ecr DescribeRepositories by name",
        "ecr",
        lambda c, m: c.describe_repositories(repositoryNames=["app"]),
        [("ecr:DescribeRepositories", arn("ecr", "repository/app"))],
        _repository,
    ),
    (
        "ecr DescribeImages",
        "ecr",
        lambda c, m: c.describe_images(repositoryName="app", registryId=ACCOUNT),
        [("ecr:DescribeImages", arn("ecr", "repository/app"))],
        _repository,
    ),
    (
        "ecr BatchGetImage",
        "ecr",
        lambda c, m: c.batch_get_image(repositoryName="app", imageIds=[{"imageTag": "v1"}]),
        [("ecr:BatchGetImage", arn("ecr", "repository/app"))],
        _repository,
    ),
    (
        "ecr PutImage",
        "ecr",
        lambda c, m: c.put_image(
            repositoryName="app",
            imageTag="v1",
            imageManifest=json.dumps(
                {
                    "schemaVersion": 2,
                    "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
                    "config": {"digest": "sha256:" + "0" * 64, "size": 1},
                    "layers": [],
                }
            ),
        ),
        [("ecr:PutImage", arn("ecr", "repository/app"))],
        _repository,
    ),
    # EC2
    (
        "ec2 DescribeInstances",
        "ec2",
        lambda c, m: c.describe_instances(),
        [("ec2:DescribeInstances", "*")],
        _instance,
    ),
    (
        "ec2 DescribeVpcs",
        "ec2",
        lambda c, m: c.describe_vpcs(),
        [("ec2:DescribeVpcs", "*")],
        _instance,
    ),
    (
        "ec2 RunInstances",
        "ec2",
        lambda c, m: c.run_instances(ImageId=m["image"], MinCount=1, MaxCount=1),
        [
            ("ec2:RunInstances", arn("ec2", "instance/*")),
            ("ec2:RunInstances", arn("ec2", "network-interface/*")),
            ("ec2:RunInstances", arn("ec2", "volume/*")),
            ("ec2:RunInstances", _ami),
        ],
        _instance,
    ),
    (
        "ec2 RunInstances in a group",
        "ec2",
        lambda c, m: c.run_instances(
            ImageId=m["image"], MinCount=1, MaxCount=1, SecurityGroupIds=[m["group"]]
        ),
        [
            ("ec2:RunInstances", arn("ec2", "instance/*")),
            ("ec2:RunInstances", arn("ec2", "network-interface/*")),
            ("ec2:RunInstances", arn("ec2", "volume/*")),
            ("ec2:RunInstances", _ami),
            ("ec2:RunInstances", _ec2("security-group", "group")),
        ],
        _instance,
    ),
    (
        "ec2 StopInstances",
        "ec2",
        lambda c, m: c.stop_instances(InstanceIds=[m["instance"]]),
        [("ec2:StopInstances", _ec2("instance", "instance"))],
        _instance,
    ),
    (
        "ec2 TerminateInstances",
        "ec2",
        lambda c, m: c.terminate_instances(InstanceIds=[m["instance"]]),
        [("ec2:TerminateInstances", _ec2("instance", "instance"))],
        _instance,
    ),
    (
        "ec2 CreateTags",
        "ec2",
        lambda c, m: c.create_tags(
            Resources=[m["instance"], m["volume"], m["image"]],
            Tags=[{"Key": "team", "Value": "web"}],
        ),
        [
            ("ec2:CreateTags", _ec2("instance", "instance")),
            ("ec2:CreateTags", _ec2("volume", "volume")),
            ("ec2:CreateTags", _ami),
        ],
        _instance,
    ),
    (
        "ec2 CreateSecurityGroup",
        "ec2",
        lambda c, m: c.create_security_group(GroupName="db", Description="db", VpcId=m["vpc"]),
        [
            ("ec2:CreateSecurityGroup", arn("ec2", "security-group/*")),
            ("ec2:CreateSecurityGroup", _ec2("vpc", "vpc")),
        ],
        _instance,
    ),
    (
        "ec2 AuthorizeSecurityGroupIngress",
        "ec2",
        lambda c, m: c.authorize_security_group_ingress(
            GroupId=m["group"], IpProtocol="tcp", FromPort=443, ToPort=443, CidrIp="10.0.0.0/8"
        ),
        [("ec2:AuthorizeSecurityGroupIngress", _ec2("security-group", "group"))],
        _instance,
    ),
    (
        "ec2 CreateVolume",
        "ec2",
        lambda c, m: c.create_volume(AvailabilityZone=f"{REGION}a", Size=1),
        [("ec2:CreateVolume", arn("ec2", "volume/*"))],
        _instance,
    ),
    (
        "ec2 AttachVolume",
        "ec2",
        lambda c, m: c.attach_volume(
            InstanceId=m["instance"], VolumeId=m["volume"], Device="/dev/sdf"
        ),
        [
            ("ec2:AttachVolume", _ec2("instance", "instance")),
            ("ec2:AttachVolume", _ec2("volume", "volume")),
        ],
        _instance,
    ),
    # CloudWatch metrics
    (
        "cloudwatch PutMetricData",
        "cloudwatch",
        lambda c, m: c.put_metric_data(
            Namespace="shop", MetricData=[{"MetricName": "orders", "Value": 1.0}]
        ),
        [("cloudwatch:PutMetricData", "*")],
        dict,
    ),
    (
        "cloudwatch PutMetricAlarm",
        "cloudwatch",
        lambda c, m: c.put_metric_alarm(
            AlarmName="slow",
            MetricName="latency",
            Namespace="shop",
            Statistic="Average",
            Period=60,
            EvaluationPeriods=1,
            Threshold=1.0,
            ComparisonOperator="GreaterThanThreshold",
        ),
        [("cloudwatch:PutMetricAlarm", arn("cloudwatch", "alarm:slow"))],
        dict,
    ),
]


# The refusal's code and HTTP status, by boto3 service (12.6: JSON services answer
# AccessDeniedException 400; EC2 UnauthorizedOperation 403). CloudWatch, which moved from
# the query protocol, names its query code (x-amzn-query-error), which botocore reads.
REFUSALS = {"ec2": ("UnauthorizedOperation", 403), "cloudwatch": ("AccessDenied", 403)}
JSON_REFUSAL = ("AccessDeniedException", 400)


@pytest.fixture
def aws() -> Iterator[MockSTS]:
    """moto serving every service, and a mock deciding who may touch it."""
    with served_by_moto(), mock_sts() as sts:
        yield sts


def not_authorized(action: str, resource: str, answered: str = "") -> str:
    """The service's denial text (docs/authorization.md): EC2 says its own sentence, with an
    encoded message (taken from ``answered``) for calls other than Describe*; CloudWatch
    and EC2 name no resource "*"."""
    service = action.partition(":")[0]
    if service == "ec2" and action.startswith("ec2:Describe"):
        return EC2_UNAUTHORIZED
    on = "" if resource == "*" and service in ("cloudwatch", "ec2") else f" on resource: {resource}"
    sentence = (
        f"User: {WORKER} is not authorized to perform: {action}{on} "
        f"because no identity-based policy allows the {action} action"
    )
    if service != "ec2":
        return sentence
    token = answered.rsplit(" ", 1)[-1]
    return f"{EC2_UNAUTHORIZED} {sentence}. Encoded authorization failure message: {token}"


EC2_UNAUTHORIZED = "You are not authorized to perform this operation."


def resolved(checks: Sequence[tuple[str, Resource]], made: Made) -> list[tuple[str, str]]:
    return [(action, r(made) if callable(r) else r) for action, r in checks]


PARAMS = [pytest.param(*row[1:], id=row[0]) for row in ROWS]


@pytest.mark.parametrize(("service", "call", "checks", "setup"), PARAMS)
def test_a_session_granted_what_aws_checks_reaches_the_service(
    aws: MockSTS,
    service: str,
    call: Callable[[Any, Made], object],
    checks: Sequence[tuple[str, Resource]],
    setup: Callable[[], Made],
) -> None:
    made = setup()
    expected = resolved(checks, made)
    limited = limited_to(aws, *(grants(action, resource) for action, resource in expected))

    call(client(service, limited), made)

    last = aws.calls[-1]
    assert [(check.action, check.resource, check.allowed) for check in last.checks] == [
        (action, resource, True) for action, resource in expected
    ]
    assert (last.checked, last.allowed, last.error_code) == (True, True, None)
    assert 200 <= last.status < 300


@pytest.mark.parametrize(("service", "call", "checks", "setup"), PARAMS)
def test_a_session_lacking_the_last_check_is_refused(
    aws: MockSTS,
    service: str,
    call: Callable[[Any, Made], object],
    checks: Sequence[tuple[str, Resource]],
    setup: Callable[[], Made],
) -> None:
    made = setup()
    *granted, (action, resource) = resolved(checks, made)
    limited = limited_to(aws, *(grants(a, r) for a, r in granted))

    refused = aws_error(lambda: call(client(service, limited), made))

    code, status = REFUSALS.get(service, JSON_REFUSAL)
    assert refused == (code, not_authorized(action, resource, refused[1]), status)
    last = aws.calls[-1]
    assert (last.allowed, last.status) == (False, status)
    assert last.reason.startswith(f"{action} on {resource}: ")


# ---------------------------------------------------------------------------------------
# Condition keys, and what the mock cannot tell


def test_put_events_carries_each_entrys_source(aws: MockSTS) -> None:
    only_shop = statement(
        "events:PutEvents",
        arn("events", "event-bus/default"),
        condition={"StringEquals": {"events:source": "shop"}},
    )
    events = client("events", limited_to(aws, only_shop))
    events.put_events(Entries=[{"Source": "shop", "DetailType": "paid", "Detail": "{}"}])

    refused = aws_error(
        lambda: events.put_events(
            Entries=[
                {"Source": "shop", "DetailType": "paid", "Detail": "{}"},
                {"Source": "bank", "DetailType": "paid", "Detail": "{}"},
            ]
        )
    )

    assert refused == (
        "AccessDeniedException",
        not_authorized("events:PutEvents", arn("events", "event-bus/default")),
        400,
    )


def test_get_parameters_by_path_carries_ssm_recursive(aws: MockSTS) -> None:
    _ssm()
    flat = statement(
        "ssm:GetParametersByPath",
        _parameter("app"),
        condition={"StringEquals": {"ssm:Recursive": "false"}},
    )
    ssm = client("ssm", limited_to(aws, flat))
    ssm.get_parameters_by_path(Path="/app", Recursive=False)

    assert aws_error(lambda: ssm.get_parameters_by_path(Path="/app", Recursive=True))[0] == (
        "AccessDeniedException"
    )


def test_put_metric_data_carries_the_namespace(aws: MockSTS) -> None:
    shop = statement(
        "cloudwatch:PutMetricData",
        "*",
        condition={"StringEquals": {"cloudwatch:namespace": "shop"}},
    )
    cloudwatch = client("cloudwatch", limited_to(aws, shop))
    cloudwatch.put_metric_data(Namespace="shop", MetricData=[{"MetricName": "m", "Value": 1.0}])

    assert aws_error(
        lambda: cloudwatch.put_metric_data(
            Namespace="bank", MetricData=[{"MetricName": "m", "Value": 1.0}]
        )
    )[0] == ("AccessDenied")


def test_run_instances_tags_are_request_tags_of_the_instance(aws: MockSTS) -> None:
    made = _instance()
    tagged = statement(
        "ec2:RunInstances",
        arn("ec2", "instance/*"),
        condition={"StringEquals": {"aws:RequestTag/team": "web"}},
    )
    others = grants(
        "ec2:RunInstances",
        [arn("ec2", "network-interface/*"), arn("ec2", "volume/*"), _ami(made)],
    )
    ec2 = client("ec2", limited_to(aws, tagged, others))
    web = [{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "web"}]}]
    ec2.run_instances(ImageId=made["image"], MinCount=1, MaxCount=1, TagSpecifications=web)

    refused = aws_error(lambda: ec2.run_instances(ImageId=made["image"], MinCount=1, MaxCount=1))

    assert refused == (
        "UnauthorizedOperation",
        not_authorized("ec2:RunInstances", arn("ec2", "instance/*"), refused[1]),
        403,
    )


def test_get_records_names_no_stream_and_is_not_checked(aws: MockSTS) -> None:
    _stream()
    iterator = client("kinesis").get_shard_iterator(
        StreamName="clicks", ShardId="shardId-000000000000", ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]

    client("kinesis", limited_to(aws)).get_records(ShardIterator=iterator)

    last = aws.calls[-1]
    assert (last.checked, last.allowed, last.error_code) == (False, True, None)
    assert last.reason == (
        "not checked: the resource of kinesis:GetRecords cannot be told from the request's "
        "parameters"
    )
    assert [(check.action, check.resource) for check in last.checks] == [
        ("kinesis:GetRecords", "*")
    ]


def test_another_accounts_registry_is_not_checked(aws: MockSTS) -> None:
    ecr = client("ecr", limited_to(aws))

    aws_error(lambda: ecr.describe_images(repositoryName="app", registryId="210987654321"))

    assert (aws.calls[-1].checked, aws.calls[-1].allowed) == (False, True)


def test_a_new_log_groups_tags_are_request_tags(aws: MockSTS) -> None:
    tagged = statement(
        "logs:CreateLogGroup",
        _log_group("/app"),
        condition={"StringEquals": {"aws:RequestTag/team": "web"}},
    )
    logs = client("logs", limited_to(aws, tagged))

    refused = aws_error(lambda: logs.create_log_group(logGroupName="/app", tags={"team": "db"}))
    logs.create_log_group(logGroupName="/app", tags={"team": "web"})

    assert refused[0] == "AccessDeniedException"
    assert aws.calls[-1].status == 200
