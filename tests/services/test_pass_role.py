"""A request that hands a service a role to act as (a function's execution role, a state
machine's, an EventBridge target's) needs iam:PassRole on that role besides its own action,
with iam:PassedToService naming the service (IAM UG, "Grant a user permissions to pass a
role to an AWS service")."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from typing import Any

import pytest

from mock_sts import MockSTS, mock_sts
from tests.helpers import aws_error, client
from tests.helpers.assume_role import ACCOUNT, session_arn
from tests.helpers.services import IMAGE_ID, attempt, checks_of, grants, limited_to, served_by_moto

RUNNER = f"arn:aws:iam::{ACCOUNT}:role/runner"
FUNCTION = f"arn:aws:lambda:us-east-1:{ACCOUNT}:function:worker"
WORKER = session_arn("worker", "job")


@pytest.fixture
def aws() -> Iterator[MockSTS]:
    with served_by_moto(), mock_sts() as sts:
        yield sts


def _code() -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("handler.py", "def handle(event, context):\n    return event\n")
    return archive.getvalue()


def create_function(lambda_client: Any) -> object:
    return lambda_client.create_function(
        FunctionName="worker",
        Runtime="python3.12",
        Role=RUNNER,
        Handler="handler.handle",
        Code={"ZipFile": _code()},
    )


def passing_to(service: str) -> dict[str, Any]:
    allowed = grants("iam:PassRole", RUNNER)
    allowed["Condition"] = {"StringEquals": {"iam:PassedToService": service}}
    return allowed


def test_creating_a_function_passes_its_role_to_lambda(aws: MockSTS) -> None:
    worker = limited_to(
        aws, grants("lambda:CreateFunction", FUNCTION), passing_to("lambda.amazonaws.com")
    )

    attempt(lambda: create_function(client("lambda", worker)))

    call = aws.calls[-1]
    assert checks_of(call) == [("lambda:CreateFunction", FUNCTION), ("iam:PassRole", RUNNER)]
    assert call.allowed


def test_a_role_passed_to_another_service_only_is_refused_as_lambda_refuses(
    aws: MockSTS,
) -> None:
    worker = limited_to(
        aws, grants("lambda:CreateFunction", FUNCTION), passing_to("ec2.amazonaws.com")
    )

    refused = aws_error(lambda: create_function(client("lambda", worker)))

    assert refused == (
        "AccessDeniedException",
        f"User: {WORKER} is not authorized to perform: iam:PassRole on resource: {RUNNER} "
        "because no identity-based policy allows the iam:PassRole action",
        403,
    )
    assert client("lambda").list_functions()["Functions"] == []


def test_a_configuration_change_without_a_role_passes_none(aws: MockSTS) -> None:
    worker = limited_to(aws, grants("lambda:UpdateFunctionConfiguration", FUNCTION))

    attempt(
        lambda: client("lambda", worker).update_function_configuration(
            FunctionName="worker", Timeout=30
        )
    )

    assert checks_of(aws.calls[-1]) == [("lambda:UpdateFunctionConfiguration", FUNCTION)]


def test_a_role_given_by_name_is_left_to_the_service(aws: MockSTS) -> None:
    worker = limited_to(aws, grants("lambda:UpdateFunctionConfiguration", FUNCTION))

    attempt(
        lambda: client("lambda", worker).update_function_configuration(
            FunctionName="worker", Role="runner"
        )
    )

    assert checks_of(aws.calls[-1]) == [("lambda:UpdateFunctionConfiguration", FUNCTION)]


def test_the_policy_the_code_needed_passes_the_role(aws: MockSTS) -> None:
    worker = limited_to(aws)
    attempt(lambda: create_function(client("lambda", worker)))

    needed = aws.required_policy(session_arn("worker", "job"))

    assert {"Effect": "Allow", "Action": "iam:PassRole", "Resource": RUNNER} in needed["Statement"]


# EC2: an instance profile's role is passed to the instances started with it (the EC2 User
# Guide, "Grant permissions to attach an IAM role to an instance").

EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def runner_profile(aws: MockSTS, *, with_role: bool = True) -> str:
    role = aws.create_role("runner", EC2_TRUST)
    profile = aws.create_instance_profile("runner", role if with_role else None)
    return profile.arn


def run_instance(ec2: Any, **profile: str) -> object:
    return ec2.run_instances(ImageId=IMAGE_ID, MinCount=1, MaxCount=1, IamInstanceProfile=profile)


@pytest.mark.parametrize("by", ["Arn", "Name"])
def test_starting_an_instance_with_a_profile_passes_its_role_to_ec2(aws: MockSTS, by: str) -> None:
    arn = runner_profile(aws)
    worker = limited_to(aws, grants("ec2:RunInstances"), passing_to("ec2.amazonaws.com"))

    attempt(lambda: run_instance(client("ec2", worker), **{by: arn if by == "Arn" else "runner"}))

    call = aws.calls[-1]
    assert ("iam:PassRole", RUNNER) in checks_of(call)
    assert call.allowed


def test_an_instance_profile_whose_role_may_not_be_passed_is_refused(aws: MockSTS) -> None:
    runner_profile(aws)
    worker = limited_to(aws, grants("ec2:RunInstances"))

    code, message, _ = aws_error(lambda: run_instance(client("ec2", worker), Name="runner"))

    assert code == "UnauthorizedOperation"
    assert "iam:PassRole" in message
    assert client("ec2").describe_instances()["Reservations"] == []


def test_giving_an_instance_a_profile_passes_its_role(aws: MockSTS) -> None:
    runner_profile(aws)
    worker = limited_to(aws, grants("ec2:AssociateIamInstanceProfile"))

    code, message, _ = aws_error(
        lambda: client("ec2", worker).associate_iam_instance_profile(
            IamInstanceProfile={"Name": "runner"}, InstanceId="i-0123456789abcdef0"
        )
    )

    assert code == "UnauthorizedOperation"
    assert f"iam:PassRole on resource: {RUNNER}" in message


@pytest.mark.parametrize(
    "profile",
    [{"Name": "missing"}, {"Arn": f"arn:aws:iam::{ACCOUNT}:instance-profile/elsewhere/runner"}],
)
def test_a_profile_the_account_does_not_hold_is_left_to_ec2(
    aws: MockSTS, profile: dict[str, str]
) -> None:
    runner_profile(aws)
    worker = limited_to(aws, grants("ec2:RunInstances"))

    attempt(lambda: run_instance(client("ec2", worker), **profile))

    assert [action for action, _ in checks_of(aws.calls[-1])].count("iam:PassRole") == 0


def test_a_profile_without_a_role_passes_nothing(aws: MockSTS) -> None:
    runner_profile(aws, with_role=False)
    worker = limited_to(aws, grants("ec2:RunInstances"))

    attempt(lambda: run_instance(client("ec2", worker), Name="runner"))

    call = aws.calls[-1]
    assert "iam:PassRole" not in [action for action, _ in checks_of(call)]
    assert call.allowed
