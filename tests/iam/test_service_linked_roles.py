"""IAM service-linked roles through real boto3 clients: made for a service with its name,
path, trust policy and AWS managed policy, protected from changes, and deleted by a task."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from mock_sts import MockSTS
from tests.helpers import aws_error, client
from tests.helpers.assume_role import ACCOUNT, allow, document, statement

PROTECTED = (
    "UnmodifiableEntity",
    "Cannot perform the operation on the protected role 'AWSServiceRoleForECS' - this role is "
    "only modifiable by AWS",
    400,
)
TASK_ID = re.compile(
    r"task/aws-service-role/ecs\.amazonaws\.com/AWSServiceRoleForECS/"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)


def ecs_role(iam: Any, **params: Any) -> dict[str, Any]:
    role: dict[str, Any] = iam.create_service_linked_role(
        AWSServiceName="ecs.amazonaws.com", **params
    )["Role"]
    return role


@pytest.mark.parametrize(
    ("service", "name", "policy"),
    [
        ("ecs.amazonaws.com", "AWSServiceRoleForECS", "AmazonECSServiceRolePolicy"),
        (
            "elasticloadbalancing.amazonaws.com",
            "AWSServiceRoleForElasticLoadBalancing",
            "AWSElasticLoadBalancingServiceRolePolicy",
        ),
        (
            "elasticbeanstalk.amazonaws.com",
            "AWSServiceRoleForElasticBeanstalk",
            "AWSElasticBeanstalkServiceRolePolicy",
        ),
        (
            "autoscaling.amazonaws.com",
            "AWSServiceRoleForAutoScaling",
            "AutoScalingServiceRolePolicy",
        ),
        ("rds.amazonaws.com", "AWSServiceRoleForRDS", "AmazonRDSServiceRolePolicy"),
        # A role no AWS policy names: named after its policy.
        (
            "guardduty.amazonaws.com",
            "AWSServiceRoleForAmazonGuardDuty",
            "AmazonGuardDutyServiceRolePolicy",
        ),
        (
            "es.amazonaws.com",
            "AWSServiceRoleForAmazonElasticsearchService",
            "AmazonElasticsearchServiceRolePolicy",
        ),
    ],
)
def test_the_role_is_the_services_own(
    sts_mock: MockSTS, service: str, name: str, policy: str
) -> None:
    iam = client("iam")
    role = iam.create_service_linked_role(AWSServiceName=service)["Role"]
    path = f"/aws-service-role/{service}/"
    assert role["RoleName"] == name
    assert role["Path"] == path
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role{path}{name}"
    assert role["RoleId"].startswith("AROA")
    assert role["AssumeRolePolicyDocument"] == document(
        statement("sts:AssumeRole", principal={"Service": service})
    )
    assert "Description" not in role
    assert iam.get_role(RoleName=name)["Role"]["Path"] == path
    attached = iam.list_attached_role_policies(RoleName=name)["AttachedPolicies"]
    arn = f"arn:aws:iam::aws:policy/aws-service-role/{policy}"
    assert attached == [{"PolicyName": policy, "PolicyArn": arn}]
    assert iam.get_policy(PolicyArn=arn)["Policy"]["Path"] == "/aws-service-role/"
    listed = iam.list_roles(PathPrefix="/aws-service-role/")["Roles"]
    assert [r["RoleName"] for r in listed] == [name]


def test_a_role_whose_policy_the_data_does_not_name_has_none(sts_mock: MockSTS) -> None:
    iam = client("iam")
    role = iam.create_service_linked_role(AWSServiceName="lightsail.amazonaws.com")["Role"]
    assert role["RoleName"] == "AWSServiceRoleForLightsail"
    assert (
        iam.list_attached_role_policies(RoleName="AWSServiceRoleForLightsail")["AttachedPolicies"]
        == []
    )


def test_a_description_is_kept(sts_mock: MockSTS) -> None:
    iam = client("iam")
    assert ecs_role(iam, Description="Runs our tasks")["Description"] == "Runs our tasks"
    assert iam.get_role(RoleName="AWSServiceRoleForECS")["Role"]["Description"] == "Runs our tasks"


def test_a_custom_suffix_names_another_role_of_the_service(sts_mock: MockSTS) -> None:
    iam = client("iam")
    iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")
    role = iam.create_service_linked_role(
        AWSServiceName="autoscaling.amazonaws.com", CustomSuffix="batch-1"
    )["Role"]
    assert role["RoleName"] == "AWSServiceRoleForAutoScaling_batch-1"
    assert role["Path"] == "/aws-service-role/autoscaling.amazonaws.com/"
    # A suffix AWS's policies show the service takes.
    connect = iam.create_service_linked_role(
        AWSServiceName="connect.amazonaws.com", CustomSuffix="instance"
    )["Role"]
    assert connect["RoleName"] == "AWSServiceRoleForAmazonConnect_instance"


def test_the_same_role_twice_is_refused(sts_mock: MockSTS) -> None:
    iam = client("iam")
    ecs_role(iam)
    assert aws_error(lambda: ecs_role(iam)) == (
        "InvalidInput",
        "Service role name AWSServiceRoleForECS has been taken in this account, please try a "
        "different suffix.",
        400,
    )
    iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com", CustomSuffix="a")
    taken = aws_error(
        lambda: iam.create_service_linked_role(
            AWSServiceName="autoscaling.amazonaws.com", CustomSuffix="a"
        )
    )
    assert taken[1].startswith("Service role name AWSServiceRoleForAutoScaling_a has been taken")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"AWSServiceName": "es.amazonaws.com", "CustomSuffix": "debug"},
            "Custom suffix is not allowed for es.amazonaws.com",
        ),
        (
            {"AWSServiceName": "ec2.amazonaws.com"},
            "The service ec2.amazonaws.com does not support service-linked roles: see the "
            "services with Yes in the Service-linked role column of AWS services that work "
            "with IAM.",
        ),
        # Service principals are case-sensitive.
        (
            {"AWSServiceName": "ECS.amazonaws.com"},
            "The service ECS.amazonaws.com does not support service-linked roles: see the "
            "services with Yes in the Service-linked role column of AWS services that work "
            "with IAM.",
        ),
        (
            {"AWSServiceName": "autoscaling.amazonaws.com", "CustomSuffix": "x" * 40},
            f"The role name AWSServiceRoleForAutoScaling_{'x' * 40} is longer than 64 characters.",
        ),
    ],
)
def test_a_role_the_service_does_not_link_is_refused(
    sts_mock: MockSTS, params: dict[str, str], message: str
) -> None:
    iam = client("iam")
    assert aws_error(lambda: iam.create_service_linked_role(**params)) == (
        "InvalidInput",
        message,
        400,
    )
    assert iam.list_roles(PathPrefix="/aws-service-role/")["Roles"] == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"AWSServiceName": "ecs amazonaws com"},
            "Value at 'aWSServiceName' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: [\\w+=,.@-]+",
        ),
        (
            {"AWSServiceName": "autoscaling.amazonaws.com", "CustomSuffix": "a/b"},
            "Value at 'customSuffix' failed to satisfy constraint: Member must satisfy "
            "regular expression pattern: [\\w+=,.@-]+",
        ),
    ],
)
def test_parameters_outside_the_model_are_refused(
    sts_mock: MockSTS, params: dict[str, str], message: str
) -> None:
    iam = client("iam")
    code, text, status = aws_error(lambda: iam.create_service_linked_role(**params))
    assert (code, status) == ("ValidationError", 400)
    assert text == f"1 validation error detected: {message}"


def test_creating_needs_the_action_for_that_service(sts_mock: MockSTS) -> None:
    only_ecs = document(
        statement(
            "iam:CreateServiceLinkedRole",
            "arn:aws:iam::*:role/aws-service-role/*",
            condition={"StringEquals": {"iam:AWSServiceName": "ecs.amazonaws.com"}},
        )
    )
    bob = sts_mock.create_user("bob", policies={"slr": only_ecs})
    iam = client("iam", bob.credentials)
    assert ecs_role(iam)["RoleName"] == "AWSServiceRoleForECS"
    resource = (
        f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/elasticloadbalancing.amazonaws.com/"
        "AWSServiceRoleForElasticLoadBalancing"
    )
    assert aws_error(
        lambda: iam.create_service_linked_role(AWSServiceName="elasticloadbalancing.amazonaws.com")
    ) == (
        "AccessDenied",
        f"User: {bob.arn} is not authorized to perform: iam:CreateServiceLinkedRole on "
        f"resource: {resource} because no identity-based policy allows the "
        "iam:CreateServiceLinkedRole action",
        403,
    )
    # A service that links no role is authorized on its role path alone.
    unknown = aws_error(lambda: iam.create_service_linked_role(AWSServiceName="nope.example.com"))
    assert unknown[2] == 403
    assert (
        f"resource: arn:aws:iam::{ACCOUNT}:role/aws-service-role/nope.example.com/ " in unknown[1]
    )


@pytest.mark.parametrize(
    "change",
    [
        lambda iam: iam.update_assume_role_policy(
            RoleName="AWSServiceRoleForECS", PolicyDocument=json.dumps(allow("sts:AssumeRole"))
        ),
        lambda iam: iam.put_role_policy(
            RoleName="AWSServiceRoleForECS",
            PolicyName="extra",
            PolicyDocument=json.dumps(allow("s3:*")),
        ),
        lambda iam: iam.delete_role_policy(RoleName="AWSServiceRoleForECS", PolicyName="extra"),
        lambda iam: iam.attach_role_policy(
            RoleName="AWSServiceRoleForECS",
            PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess",
        ),
        lambda iam: iam.detach_role_policy(
            RoleName="AWSServiceRoleForECS",
            PolicyArn="arn:aws:iam::aws:policy/aws-service-role/AmazonECSServiceRolePolicy",
        ),
        lambda iam: iam.put_role_permissions_boundary(
            RoleName="AWSServiceRoleForECS",
            PermissionsBoundary="arn:aws:iam::aws:policy/ReadOnlyAccess",
        ),
        lambda iam: iam.delete_role_permissions_boundary(RoleName="AWSServiceRoleForECS"),
        lambda iam: iam.delete_role(RoleName="AWSServiceRoleForECS"),
        lambda iam: iam.update_role(RoleName="AWSServiceRoleForECS", MaxSessionDuration=7200),
    ],
)
def test_only_aws_changes_the_role(sts_mock: MockSTS, change: Any) -> None:
    iam = client("iam")
    before = ecs_role(iam)
    assert aws_error(lambda: change(iam)) == PROTECTED
    after = iam.get_role(RoleName="AWSServiceRoleForECS")["Role"]
    assert after["AssumeRolePolicyDocument"] == before["AssumeRolePolicyDocument"]
    assert after["MaxSessionDuration"] == 3600
    assert "PermissionsBoundary" not in after
    assert iam.list_role_policies(RoleName="AWSServiceRoleForECS")["PolicyNames"] == []
    attached = iam.list_attached_role_policies(RoleName="AWSServiceRoleForECS")["AttachedPolicies"]
    assert [p["PolicyName"] for p in attached] == ["AmazonECSServiceRolePolicy"]


def test_a_change_is_authorized_before_the_role_is_protected(sts_mock: MockSTS) -> None:
    ecs_role(client("iam"))
    bob = sts_mock.create_user("bob")
    code, _, status = aws_error(
        lambda: client("iam", bob.credentials).delete_role(RoleName="AWSServiceRoleForECS")
    )
    assert (code, status) == ("AccessDenied", 403)


def test_the_description_and_tags_may_change(sts_mock: MockSTS) -> None:
    iam = client("iam")
    ecs_role(iam)
    iam.update_role(RoleName="AWSServiceRoleForECS", Description="first")
    assert iam.get_role(RoleName="AWSServiceRoleForECS")["Role"]["Description"] == "first"
    iam.update_role_description(RoleName="AWSServiceRoleForECS", Description="second")
    iam.tag_role(RoleName="AWSServiceRoleForECS", Tags=[{"Key": "team", "Value": "ops"}])
    role = iam.get_role(RoleName="AWSServiceRoleForECS")["Role"]
    assert role["Description"] == "second"
    assert role["Tags"] == [{"Key": "team", "Value": "ops"}]


def test_an_ordinary_role_is_not_protected(sts_mock: MockSTS) -> None:
    iam = client("iam")
    trust = document(statement("sts:AssumeRole", principal={"Service": "ecs.amazonaws.com"}))
    iam.create_role(RoleName="mine", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName="mine", PolicyName="p", PolicyDocument=json.dumps(allow("s3:*")))
    assert aws_error(lambda: iam.delete_service_linked_role(RoleName="mine")) == (
        "NoSuchEntity",
        "The role mine is not a service-linked role.",
        404,
    )
    assert iam.get_role(RoleName="mine")["Role"]["RoleName"] == "mine"


def test_deleting_gives_a_task_that_succeeded(sts_mock: MockSTS) -> None:
    iam = client("iam")
    ecs_role(iam)
    task_id = iam.delete_service_linked_role(RoleName="AWSServiceRoleForECS")["DeletionTaskId"]
    assert TASK_ID.fullmatch(task_id)
    status = iam.get_service_linked_role_deletion_status(DeletionTaskId=task_id)
    assert status["Status"] == "SUCCEEDED"
    assert "Reason" not in status
    assert aws_error(lambda: iam.get_role(RoleName="AWSServiceRoleForECS")) == (
        "NoSuchEntity",
        "The role with name AWSServiceRoleForECS cannot be found.",
        404,
    )
    # The service may link its role again.
    assert ecs_role(iam)["RoleName"] == "AWSServiceRoleForECS"


def test_a_role_an_instance_profile_holds_stays(sts_mock: MockSTS) -> None:
    iam = client("iam")
    ecs_role(iam)
    iam.create_instance_profile(InstanceProfileName="web")
    iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="AWSServiceRoleForECS")
    task_id = iam.delete_service_linked_role(RoleName="AWSServiceRoleForECS")["DeletionTaskId"]
    status = iam.get_service_linked_role_deletion_status(DeletionTaskId=task_id)
    assert status["Status"] == "FAILED"
    assert status["Reason"] == {
        "Reason": "The role is in use: remove it from the instance profiles "
        f"arn:aws:iam::{ACCOUNT}:instance-profile/web and submit the deletion request again."
    }
    assert iam.get_role(RoleName="AWSServiceRoleForECS")["Role"]["RoleName"]
    iam.remove_role_from_instance_profile(
        InstanceProfileName="web", RoleName="AWSServiceRoleForECS"
    )
    again = iam.delete_service_linked_role(RoleName="AWSServiceRoleForECS")["DeletionTaskId"]
    assert again != task_id
    assert (
        iam.get_service_linked_role_deletion_status(DeletionTaskId=again)["Status"] == "SUCCEEDED"
    )


def test_deleting_a_missing_role(sts_mock: MockSTS) -> None:
    iam = client("iam")
    assert aws_error(lambda: iam.delete_service_linked_role(RoleName="AWSServiceRoleForECS")) == (
        "NoSuchEntity",
        "The role with name AWSServiceRoleForECS cannot be found.",
        404,
    )


def test_a_task_is_its_accounts_own(sts_mock: MockSTS) -> None:
    iam = client("iam")
    ecs_role(iam)
    task_id = iam.delete_service_linked_role(RoleName="AWSServiceRoleForECS")["DeletionTaskId"]
    other = client("iam", sts_mock.admin_credentials("111111111111"))
    assert aws_error(
        lambda: other.get_service_linked_role_deletion_status(DeletionTaskId=task_id)
    ) == ("NoSuchEntity", f"The deletion task {task_id} cannot be found.", 404)


@pytest.mark.parametrize(
    ("task_id", "code", "message", "status"),
    [
        (
            "task/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS/"
            "00000000-0000-0000-0000-000000000000",
            "NoSuchEntity",
            "The deletion task {} cannot be found.",
            404,
        ),
        (
            "not-a-task",
            "InvalidInput",
            "DeletionTaskId {} is not of the form "
            "task/aws-service-role/<service-principal-name>/<role-name>/<task-uuid>.",
            400,
        ),
        (
            "task/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS/not-a-uuid",
            "InvalidInput",
            "DeletionTaskId {} is not of the form "
            "task/aws-service-role/<service-principal-name>/<role-name>/<task-uuid>.",
            400,
        ),
    ],
)
def test_an_unknown_or_malformed_task(
    sts_mock: MockSTS, task_id: str, code: str, message: str, status: int
) -> None:
    iam = client("iam")
    assert aws_error(
        lambda: iam.get_service_linked_role_deletion_status(DeletionTaskId=task_id)
    ) == (
        code,
        message.format(task_id),
        status,
    )


def test_the_status_is_authorized_on_the_tasks_role(sts_mock: MockSTS) -> None:
    iam = client("iam")
    ecs_role(iam)
    task_id = iam.delete_service_linked_role(RoleName="AWSServiceRoleForECS")["DeletionTaskId"]
    role = f"arn:aws:iam::{ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"
    bob = sts_mock.create_user(
        "bob", policies={"read": allow("iam:GetServiceLinkedRoleDeletionStatus", role)}
    )
    reader = client("iam", bob.credentials)
    assert reader.get_service_linked_role_deletion_status(DeletionTaskId=task_id)["Status"]
    # A malformed id names no role: it is authorized on any, which bob may not read.
    code, message, _ = aws_error(
        lambda: reader.get_service_linked_role_deletion_status(DeletionTaskId="x")
    )
    assert code == "AccessDenied"
    assert "on resource: * because" in message
