"""IAM role templates through real boto3 clients: GetRoleTemplateVersion and AcquireRole with
the template AWS's API Reference shows, and AWS's answers for templates the mock does not
know or ARNs that name none."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from mock_sts import MockSTS
from tests.helpers import ROLE_SUMMARY_MEMBERS, aws_error, client
from tests.helpers.assume_role import ACCOUNT, allow, document, statement

EXAMPLE = "arn:aws:iam::aws:role-template/awsserviceprincipal/Example:1"
# A template AWS lists (IAM User Guide, Overview of role templates) without its contents.
POWER_USER = "arn:aws:iam::aws:role-template/iam.amazonaws.com/PowerUserRoleTemplate:1"
EC2_TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": ["ec2.amazonaws.com"]},
            "Action": ["sts:AssumeRole"],
        }
    ],
}


def department(value: str) -> dict[str, dict[str, list[str]]]:
    return {"Department": {"Values": [value]}}


def acquire(iam: Any, value: str) -> dict[str, Any]:
    """The role AcquireRole answers for the example template and this Department."""
    role: dict[str, Any] = iam.acquire_role(
        TemplateArn=EXAMPLE, ReplacementValues=department(value)
    )["Role"]
    return role


def test_the_template_version(sts_mock: MockSTS) -> None:
    iam = client("iam")
    response = iam.get_role_template_version(TemplateArn=EXAMPLE)
    assert response["RoleTemplateVersion"] == {
        "TemplateArn": EXAMPLE,
        "TemplateName": "Example",
        "MajorVersion": 1,
        "MinorVersion": 1,
        "DefaultMinorVersion": 1,
        "Enabled": True,
        "RoleNamePattern": "Example-@{Department}",
        "RolePathPattern": "/awsserviceprincipal/",
        "AssumeRolePolicyDocumentTemplate": EC2_TRUST,
        "CreateTimestamp": dt.datetime(2026, 6, 26, 20, 43, 32, tzinfo=dt.timezone.utc),
    }
    minor = iam.get_role_template_version(TemplateArn=EXAMPLE, MinorVersion=1)
    assert minor["RoleTemplateVersion"] == response["RoleTemplateVersion"]


def test_the_template_in_another_partition(sts_mock: MockSTS) -> None:
    iam = client("iam", sts_mock.admin_credentials(), region="cn-north-1")
    arn = EXAMPLE.replace("arn:aws:", "arn:aws-cn:")
    assert (
        iam.get_role_template_version(TemplateArn=arn)["RoleTemplateVersion"]["TemplateArn"] == arn
    )
    # An ARN of another partition names no template here.
    assert aws_error(lambda: iam.get_role_template_version(TemplateArn=EXAMPLE)) == (
        "NoSuchEntity",
        f"The role template {EXAMPLE} cannot be found.",
        404,
    )


@pytest.mark.parametrize(
    ("params", "error"),
    [
        (
            {"TemplateArn": POWER_USER},
            (
                "NoSuchEntity",
                "The role template arn:aws:iam::aws:role-template/iam.amazonaws.com/"
                "PowerUserRoleTemplate:1 cannot be found.",
                404,
            ),
        ),
        (
            {"TemplateArn": EXAMPLE.replace(":1", ":2")},
            (
                "NoSuchEntity",
                f"The role template {EXAMPLE.replace(':1', ':2')} cannot be found.",
                404,
            ),
        ),
        (
            {"TemplateArn": EXAMPLE, "MinorVersion": 7},
            ("NoSuchEntity", f"Minor version 7 of role template {EXAMPLE} cannot be found.", 404),
        ),
        (
            {"TemplateArn": f"arn:aws:iam::{ACCOUNT}:role-template/x/Example:1"},
            (
                "InvalidInput",
                f"TemplateArn arn:aws:iam::{ACCOUNT}:role-template/x/Example:1 is not valid: "
                "role template ARNs are arn:<partition>:iam::aws:role-template/<service "
                "principal>/<name>:<major version>.",
                400,
            ),
        ),
        (
            {"TemplateArn": "arn:aws:iam::aws:role-template/awsserviceprincipal/Example"},
            (
                "InvalidInput",
                "TemplateArn arn:aws:iam::aws:role-template/awsserviceprincipal/Example is not "
                "valid: role template ARNs are arn:<partition>:iam::aws:role-template/<service "
                "principal>/<name>:<major version>.",
                400,
            ),
        ),
    ],
)
def test_unknown_and_malformed_templates(
    sts_mock: MockSTS, params: dict[str, Any], error: tuple[str, str, int]
) -> None:
    iam = client("iam")
    assert aws_error(lambda: iam.get_role_template_version(**params)) == error
    acquire = {"TemplateArn": params["TemplateArn"], "ReplacementValues": department("Ops")}
    if "MinorVersion" in params:
        acquire["TemplateMinorVersion"] = params["MinorVersion"]
    assert aws_error(lambda: iam.acquire_role(**acquire)) == error
    assert iam.list_roles()["Roles"] == []


def test_reading_a_template_needs_the_action_on_it(sts_mock: MockSTS) -> None:
    bob = sts_mock.create_user(
        "bob", policies={"read": allow("iam:GetRoleTemplateVersion", EXAMPLE)}
    )
    iam = client("iam", bob.credentials)
    assert iam.get_role_template_version(TemplateArn=EXAMPLE)["RoleTemplateVersion"]["TemplateName"]
    other = POWER_USER
    assert aws_error(lambda: iam.get_role_template_version(TemplateArn=other)) == (
        "AccessDenied",
        f"User: {bob.arn} is not authorized to perform: iam:GetRoleTemplateVersion on "
        f"resource: {other} because no identity-based policy allows the "
        "iam:GetRoleTemplateVersion action",
        403,
    )
    malformed = aws_error(lambda: iam.get_role_template_version(TemplateArn="x" * 20))
    assert malformed[0] == "AccessDenied"
    assert "on resource: * because" in malformed[1]


def test_acquiring_makes_the_role_once(sts_mock: MockSTS) -> None:
    iam = client("iam")
    role = iam.acquire_role(
        TemplateArn=EXAMPLE, TemplateMinorVersion=1, ReplacementValues=department("Engineering")
    )["Role"]
    assert set(role) == ROLE_SUMMARY_MEMBERS
    assert role["RoleName"] == "Example-Engineering"
    assert role["Path"] == "/awsserviceprincipal/"
    assert role["Arn"] == f"arn:aws:iam::{ACCOUNT}:role/awsserviceprincipal/Example-Engineering"
    assert role["AssumeRolePolicyDocument"] == EC2_TRUST
    made = iam.get_role(RoleName="Example-Engineering")["Role"]
    assert made["SourceRoleTemplate"] == {"TemplateArn": EXAMPLE, "TemplateMinorVersion": 1}
    assert made["MaxSessionDuration"] == 3600
    # The same template and values: the role that matches, not another.
    assert acquire(iam, "Engineering")["RoleId"] == role["RoleId"]
    other = acquire(iam, "Sales")
    assert other["RoleName"] == "Example-Sales"
    names = [r["RoleName"] for r in iam.list_roles(PathPrefix="/awsserviceprincipal/")["Roles"]]
    assert names == ["Example-Engineering", "Example-Sales"]


def test_a_role_of_that_name_made_otherwise_conflicts(sts_mock: MockSTS) -> None:
    iam = client("iam")
    trust = document(statement("sts:AssumeRole", principal={"Service": "ec2.amazonaws.com"}))
    iam.create_role(RoleName="Example-Ops", AssumeRolePolicyDocument=json.dumps(trust))
    assert aws_error(lambda: acquire(iam, "Ops")) == (
        "NameConflict",
        f"A role named Example-Ops exists in this account and was not created from role "
        f"template {EXAMPLE}.",
        409,
    )
    assert "SourceRoleTemplate" not in iam.get_role(RoleName="Example-Ops")["Role"]


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "The role template requires a value for parameter Department."),
        (
            {**department("Ops"), "Team": {"Values": ["red"]}},
            "The role template defines no parameter Team.",
        ),
        (
            {"Department": {"Values": ["Ops", "Sales"]}},
            "The value of parameter Department is not a valid String.",
        ),
        (
            department("Ops and Sales"),
            "The ReplacementValues make the role's name 'Example-Ops and Sales', which is not "
            "valid.",
        ),
        (
            department("x" * 60),
            f"The ReplacementValues make the role's name 'Example-{'x' * 60}', which is not valid.",
        ),
    ],
)
def test_bad_replacement_values(sts_mock: MockSTS, values: dict[str, Any], message: str) -> None:
    iam = client("iam")
    assert aws_error(lambda: iam.acquire_role(TemplateArn=EXAMPLE, ReplacementValues=values)) == (
        "InvalidInput",
        message,
        400,
    )
    assert iam.list_roles(PathPrefix="/awsserviceprincipal/")["Roles"] == []


def test_acquiring_is_authorized_as_creating_or_reading_the_role(sts_mock: MockSTS) -> None:
    role = f"arn:aws:iam::{ACCOUNT}:role/awsserviceprincipal/Example-Ops"
    creator = sts_mock.create_user("creator", policies={"make": allow("iam:CreateRole", role)})
    reader = sts_mock.create_user("reader", policies={"read": allow("iam:GetRole", role)})
    iam = client("iam", reader.credentials)
    assert aws_error(lambda: acquire(iam, "Ops")) == (
        "AccessDenied",
        f"User: {reader.arn} is not authorized to perform: iam:CreateRole on resource: "
        f"{role} because no identity-based policy allows the iam:CreateRole action",
        403,
    )
    made = acquire(client("iam", creator.credentials), "Ops")
    assert made["Arn"] == role
    # The role exists now: acquiring it again reads it, which the creator may not.
    assert acquire(iam, "Ops")["RoleId"] == made["RoleId"]
    assert aws_error(lambda: acquire(client("iam", creator.credentials), "Ops")) == (
        "AccessDenied",
        f"User: {creator.arn} is not authorized to perform: iam:GetRole on resource: "
        f"{role} because no identity-based policy allows the iam:GetRole action",
        403,
    )
    # A request AcquireRole refuses anyway is not authorized first.
    assert aws_error(lambda: iam.acquire_role(TemplateArn=EXAMPLE))[0] == "InvalidInput"


def test_replacement_values_outside_the_model(sts_mock: MockSTS) -> None:
    iam = client("iam")
    values = {f"p{i}": {"Values": ["v"]} for i in range(31)}
    code, message, status = aws_error(
        lambda: iam.acquire_role(TemplateArn=EXAMPLE, ReplacementValues=values)
    )
    assert (code, status) == ("ValidationError", 400)
    assert message.startswith("1 validation error detected: Value at 'replacementValues'")
