"""aiobotocore clients are served like botocore's, including aiobotocore's own credential
providers (assume-role profiles and web identity), which make their STS calls asynchronously."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from mock_sts import MockSTS
from tests.helpers.assume_role import ACCOUNT, ALLOW_ASSUME, denied, session_arn, trust

aiobotocore_session = pytest.importorskip("aiobotocore.session")


async def async_caller_arn(session: Any) -> str:
    async with session.create_client("sts", region_name="us-east-1") as sts:
        return str((await sts.get_caller_identity())["Arn"])


def test_calls_are_answered(sts_mock: MockSTS) -> None:
    async def scenario() -> dict[str, Any]:
        session = aiobotocore_session.get_session()
        async with session.create_client("iam", region_name="us-east-1") as iam:
            await iam.create_role(
                RoleName="deploy", AssumeRolePolicyDocument=json.dumps(trust(ACCOUNT))
            )
        async with session.create_client("sts", region_name="us-east-1") as sts:
            result: dict[str, Any] = await sts.assume_role(
                RoleArn=f"arn:aws:iam::{ACCOUNT}:role/deploy", RoleSessionName="async"
            )
            return result

    session = asyncio.run(scenario())

    assert session["AssumedRoleUser"]["Arn"] == session_arn("deploy", "async")
    assert [call.action for call in sts_mock.calls] == ["CreateRole", "AssumeRole"]


def test_errors_are_aws_errors(sts_mock: MockSTS) -> None:
    from botocore.exceptions import ClientError

    async def scenario() -> None:
        async with aiobotocore_session.get_session().create_client(
            "sts", region_name="us-east-1"
        ) as sts:
            await sts.assume_role(
                RoleArn=f"arn:aws:iam::{ACCOUNT}:role/missing", RoleSessionName="async"
            )

    with pytest.raises(ClientError) as excinfo:
        asyncio.run(scenario())

    response = excinfo.value.response
    assert (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    ) == denied(f"arn:aws:iam::{ACCOUNT}:user/admin", f"arn:aws:iam::{ACCOUNT}:role/missing")


def test_assume_role_profiles(
    sts_mock: MockSTS, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    role = sts_mock.create_role("deploy", trust(ACCOUNT))
    ci = sts_mock.create_user("ci", policies={"assume": ALLOW_ASSUME})
    keys = ci.credentials
    config = tmp_path / "config"
    config.write_text(
        f"[profile deploy]\nrole_arn = {role.arn}\nsource_profile = ci\n"
        "role_session_name = from-profile\n"
        f"[profile ci]\naws_access_key_id = {keys.access_key_id}\n"
        f"aws_secret_access_key = {keys.secret_access_key}\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))

    session = aiobotocore_session.AioSession(profile="deploy")

    assert asyncio.run(async_caller_arn(session)) == session_arn("deploy", "from-profile")
    assert [(call.action, call.caller_arn) for call in sts_mock.calls] == [
        ("AssumeRole", ci.arn),
        ("GetCallerIdentity", session_arn("deploy", "from-profile")),
    ]


def test_web_identity(sts_mock: MockSTS) -> None:
    issuer = sts_mock.oidc_provider("https://token.actions.githubusercontent.com")
    role = sts_mock.create_role(
        "ci",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": issuer.arn},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                }
            ],
        },
    )
    token = issuer.token(sub="repo:octo/app:ref:refs/heads/main")

    with sts_mock.web_identity_env(role.arn, token, session_name="run-42"):
        arn = asyncio.run(async_caller_arn(aiobotocore_session.AioSession()))

    assert arn == session_arn("ci", "run-42")
    assert sts_mock.calls[0].action == "AssumeRoleWithWebIdentity"


def test_other_services_are_authorized_as_for_botocore(sts_mock: MockSTS) -> None:
    from botocore.exceptions import ClientError

    from tests.helpers.services import limited_to

    limited = limited_to(sts_mock)

    async def scenario() -> None:
        async with aiobotocore_session.get_session().create_client(
            "dynamodb", region_name="us-east-1", **limited.as_boto3()
        ) as dynamodb:
            await dynamodb.put_item(TableName="jobs", Item={"id": {"S": "1"}})

    with pytest.raises(ClientError) as excinfo:
        asyncio.run(scenario())

    error = excinfo.value.response["Error"]
    assert error["Code"] == "AccessDeniedException"
    assert "dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:" in error["Message"]
    (denial,) = sts_mock.denials
    assert (denial.service, denial.action, denial.status) == ("dynamodb", "PutItem", 400)
