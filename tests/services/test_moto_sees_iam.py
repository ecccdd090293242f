"""One IAM state beside moto: the entities mock_sts holds, however they were made, exist for
moto's services that look IAM up (EC2 instance profiles, Lambda execution roles), with the
same names, ARNs and ids, for as long as they exist in mock_sts; refused writes leave no
trace in moto; and moto answers no IAM or STS request."""

from __future__ import annotations

import io
import json
import logging
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from typing import Any

import moto
import pytest
from moto.iam.models import iam_backends
from moto.sts.models import sts_backends

from mock_sts import mock_sts
from tests.helpers import aws_error, client
from tests.helpers.assume_role import (
    ACCOUNT,
    allow,
    assumed,
    document,
    statement,
    trust,
)
from tests.helpers.services import IMAGE_ID, ORDERS, beside_moto

EC2_TRUST = document(statement("sts:AssumeRole", principal={"Service": "ec2.amazonaws.com"}))
LAMBDA_TRUST = document(statement("sts:AssumeRole", principal={"Service": "lambda.amazonaws.com"}))
NO_ROLE = "The role defined for the function cannot be assumed by Lambda."


def moto_iam(account_id: str = ACCOUNT) -> Any:
    return iam_backends[account_id]["aws"]


def run_instance(**params: Any) -> dict[str, Any]:
    ec2 = client("ec2")
    reservation = ec2.run_instances(ImageId=IMAGE_ID, MinCount=1, MaxCount=1, **params)
    instance: dict[str, Any] = reservation["Instances"][0]
    return instance


def create_function(role_arn: str, name: str = "report") -> dict[str, Any]:
    code = io.BytesIO()
    with zipfile.ZipFile(code, "w") as archive:
        archive.writestr("app.py", "def handler(event, context):\n    return event\n")
    function: dict[str, Any] = client("lambda").create_function(
        FunctionName=name,
        Runtime="python3.12",
        Role=role_arn,
        Handler="app.handler",
        Code={"ZipFile": code.getvalue()},
    )
    return function


@ORDERS
def test_ec2_starts_an_instance_with_a_profile_made_through_iam(order: str) -> None:
    with beside_moto(order):
        iam = client("iam")
        role = iam.create_role(RoleName="web", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
        profile = iam.create_instance_profile(InstanceProfileName="web", Path="/app/")
        iam.add_role_to_instance_profile(InstanceProfileName="web", RoleName="web")
        arn = profile["InstanceProfile"]["Arn"]

        instance = run_instance(IamInstanceProfile={"Arn": arn})
        assert instance["IamInstanceProfile"]["Arn"] == arn
        mirrored = moto_iam().get_instance_profile_by_arn(arn)
        assert mirrored.id == profile["InstanceProfile"]["InstanceProfileId"]
        assert [r.id for r in mirrored.roles] == [role["Role"]["RoleId"]]

        # Gone from mock_sts, gone for moto: EC2 no longer finds it.
        iam.remove_role_from_instance_profile(InstanceProfileName="web", RoleName="web")
        iam.delete_instance_profile(InstanceProfileName="web")
        error = aws_error(lambda: run_instance(IamInstanceProfile={"Name": "web"}))
        assert error[0] == "NoSuchEntity"


@ORDERS
def test_lambda_takes_a_role_the_handle_made_until_it_is_deleted(order: str) -> None:
    with beside_moto(order) as sts_mock:
        role = sts_mock.create_role("report-fn", LAMBDA_TRUST, path="/service/")
        assert create_function(role.arn)["Role"] == role.arn
        mirrored = moto_iam().get_role_by_arn(role.arn)
        assert (mirrored.id, mirrored.name, mirrored.path) == (
            role.role_id,
            "report-fn",
            "/service/",
        )
        assert json.loads(mirrored.assume_role_policy_document) == LAMBDA_TRUST

        client("iam").delete_role(RoleName="report-fn")
        error = aws_error(lambda: create_function(role.arn, name="other"))
        assert error[:2] == ("InvalidParameterValueException", NO_ROLE)


def test_a_refused_write_leaves_no_trace_in_moto() -> None:
    with beside_moto("moto first"):
        iam = client("iam")
        names_a_missing_user = trust(f"arn:aws:iam::{ACCOUNT}:user/nobody")
        error = aws_error(
            lambda: iam.create_role(
                RoleName="ghost", AssumeRolePolicyDocument=json.dumps(names_a_missing_user)
            )
        )
        assert error[0] == "MalformedPolicyDocument"
        assert [role.name for role in moto_iam().roles.values()] == []
        error = aws_error(lambda: create_function(f"arn:aws:iam::{ACCOUNT}:role/ghost"))
        assert error[1] == NO_ROLE


def test_moto_answers_no_iam_or_sts_request() -> None:
    with beside_moto("moto first") as sts_mock:
        role = sts_mock.create_role("deploy", trust(ACCOUNT), policies={"s3": allow("s3:*")})
        session = assumed(sts_mock.admin_credentials(), role.arn)
        assert client("sts", session).get_caller_identity()["Account"] == ACCOUNT
        client("iam").create_user(UserName="carol")
        # moto minted no session and keeps no IAM of its own: what it holds is the mirror.
        assert not any(backend.assumed_roles for backend in _sts_backends())
        assert sorted(moto_iam().users) == ["admin", "carol"]
        assert [role.name for role in moto_iam().roles.values()] == ["deploy"]


def _sts_backends() -> Iterator[Any]:
    for account in sts_backends.values():
        yield from account.values()


def test_users_groups_and_policies_follow_every_change() -> None:
    with beside_moto("moto first"):
        iam = client("iam")
        iam.create_user(UserName="dana", Path="/staff/")
        iam.create_group(GroupName="ops")
        iam.add_user_to_group(GroupName="ops", UserName="dana")
        policy = iam.create_policy(PolicyName="read", PolicyDocument=json.dumps(allow("s3:Get*")))
        arn = policy["Policy"]["Arn"]
        user_id = iam.get_user(UserName="dana")["User"]["UserId"]
        assert moto_iam().users["dana"].id == user_id
        assert [u.name for u in moto_iam().groups["ops"].users] == ["dana"]
        assert moto_iam().managed_policies[arn].id == policy["Policy"]["PolicyId"]

        iam.update_user(UserName="dana", NewUserName="dana.r")
        assert "dana" not in moto_iam().users
        assert moto_iam().users["dana.r"].id == user_id
        assert [u.name for u in moto_iam().groups["ops"].users] == ["dana.r"]

        iam.remove_user_from_group(GroupName="ops", UserName="dana.r")
        iam.delete_group(GroupName="ops")
        iam.delete_policy(PolicyArn=arn)
        assert "ops" not in moto_iam().groups
        assert arn not in moto_iam().managed_policies


def test_a_mock_withdraws_its_mirror_when_it_stops_or_resets() -> None:
    with moto.mock_aws():
        with mock_sts() as sts_mock:
            sts_mock.create_role("before-reset", EC2_TRUST)
            assert [r.name for r in moto_iam().roles.values()] == ["before-reset"]
            sts_mock.reset()
            client("iam").create_role(
                RoleName="after-reset", AssumeRolePolicyDocument=json.dumps(EC2_TRUST)
            )
            assert [r.name for r in moto_iam().roles.values()] == ["after-reset"]
        assert list(moto_iam().roles.values()) == []
        assert "admin" not in moto_iam().users


def test_moto_keeps_its_own_entities_and_names(caplog: pytest.LogCaptureFixture) -> None:
    with moto.mock_aws():
        iam = client("iam")
        iam.create_role(RoleName="legacy", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
        iam.create_role(RoleName="shared", AssumeRolePolicyDocument=json.dumps(EC2_TRUST))
        with mock_sts() as sts_mock, caplog.at_level(logging.DEBUG, logger="mock_sts"):
            # The mock has never heard of moto's roles; a namesake of its own stays the
            # mock's alone, and moto's stays moto's.
            assert aws_error(lambda: client("iam").get_role(RoleName="legacy"))[0] == (
                "NoSuchEntity"
            )
            ours = sts_mock.create_role("shared", LAMBDA_TRUST)
            names = sorted(r.name for r in moto_iam().roles.values())
            assert names == ["legacy", "shared"]
            assert moto_iam().get_role("shared").id != ours.role_id
            assert "moto cannot hold roles" in caplog.text
        assert sorted(r.name for r in moto_iam().roles.values()) == ["legacy", "shared"]


def test_without_moto_nothing_of_moto_is_imported() -> None:
    script = (
        "import sys, boto3\n"
        "from mock_sts import mock_sts\n"
        "with mock_sts() as m:\n"
        f"    m.create_role('r', {EC2_TRUST!r})\n"
        "    boto3.client('iam', region_name='us-east-1').list_roles()\n"
        "assert not [name for name in sys.modules if name.split('.')[0] == 'moto'], 'moto'\n"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_a_service_linked_role_is_moto_s_too() -> None:
    with beside_moto("moto first"):
        created = client("iam").create_service_linked_role(
            AWSServiceName="autoscaling.amazonaws.com"
        )["Role"]
        mirrored = moto_iam().get_role_by_arn(created["Arn"])
        assert (mirrored.id, mirrored.path) == (
            created["RoleId"],
            "/aws-service-role/autoscaling.amazonaws.com/",
        )
