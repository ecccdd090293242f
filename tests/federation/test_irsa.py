"""Pods and CI runners as users run them: botocore's own AssumeRoleWithWebIdentityProvider,
fed by ``AWS_ROLE_ARN`` + ``AWS_WEB_IDENTITY_TOKEN_FILE`` (EKS IRSA) or by a profile with
``web_identity_token_file``, including token rotation and refresh across expiry.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import botocore.session
import pytest
import time_machine
from botocore.exceptions import ClientError

from tests.helpers import caller_identity
from tests.helpers.web_identity import (
    ACCOUNT,
    DENIED,
    EKS,
    EKS_HOST,
    EPOCH_T0,
    POD_SUB,
    T0,
    expired,
    web_trust,
)

if TYPE_CHECKING:
    from mock_sts import MockSTS, OIDCProvider, Role

HOUR = dt.timedelta(hours=1)
DEFAULT_SESSION_NAME = re.compile(r"botocore-session-\d+")


@pytest.fixture
def eks(sts_mock: MockSTS) -> OIDCProvider:
    return sts_mock.oidc_provider(EKS)


@pytest.fixture
def pod_role(sts_mock: MockSTS, eks: OIDCProvider) -> Role:
    return sts_mock.create_role(
        "payments-api",
        web_trust(
            eks.arn,
            {
                "StringEquals": {
                    f"{EKS_HOST}:sub": POD_SUB,
                    f"{EKS_HOST}:aud": "sts.amazonaws.com",
                }
            },
        ),
    )


def pod_identity(role: Role, session_name: str) -> dict[str, str]:
    return {
        "UserId": f"{role.role_id}:{session_name}",
        "Account": ACCOUNT,
        "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/{role.name}/{session_name}",
    }


def web_identity_calls(sts_mock: MockSTS) -> list[tuple[int, str | None]]:
    """(status, error code) of every AssumeRoleWithWebIdentity served, oldest first."""
    return [
        (call.status, call.error_code)
        for call in sts_mock.calls
        if call.action == "AssumeRoleWithWebIdentity"
    ]


# ---------------------------------------------------------------------------------------
# AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE, as the EKS pod identity webhook sets them


def test_pod_environment_assumes_the_role(
    sts_mock: MockSTS, eks: OIDCProvider, pod_role: Role
) -> None:
    with sts_mock.web_identity_env(pod_role.arn, eks.token(sub=POD_SUB), session_name="pod-1"):
        assert caller_identity(boto3.client("sts")) == pod_identity(pod_role, "pod-1")
        assert caller_identity(boto3.Session().client("sts")) == pod_identity(pod_role, "pod-1")

    assert web_identity_calls(sts_mock) == [(200, None), (200, None)]
    unsigned = [c for c in sts_mock.calls if c.action == "AssumeRoleWithWebIdentity"]
    assert all(call.caller_arn is None for call in unsigned)


def test_botocore_names_the_session_when_the_pod_does_not(
    sts_mock: MockSTS, eks: OIDCProvider, pod_role: Role
) -> None:
    with sts_mock.web_identity_env(pod_role.arn, eks.token(sub=POD_SUB)):
        assert "AWS_ROLE_SESSION_NAME" not in os.environ
        arn = boto3.client("sts").get_caller_identity()["Arn"]

    session_name = arn.rsplit("/", 1)[1]
    assert DEFAULT_SESSION_NAME.fullmatch(session_name)


def test_the_environment_is_a_pods_and_is_restored(
    sts_mock: MockSTS, eks: OIDCProvider, pod_role: Role, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_SESSION_TOKEN", "left-over")
    monkeypatch.setenv("AWS_ROLE_SESSION_NAME", "from-before")
    before = dict(os.environ)
    token = eks.token(sub=POD_SUB)

    with sts_mock.web_identity_env(pod_role.arn, token, session_name="pod-1") as token_file:
        assert os.environ["AWS_ROLE_ARN"] == pod_role.arn
        assert os.environ["AWS_WEB_IDENTITY_TOKEN_FILE"] == os.fspath(token_file)
        assert os.environ["AWS_ROLE_SESSION_NAME"] == "pod-1"
        assert token_file.read_text() == token
        for name in (
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_SESSION_TOKEN",
            "AWS_SECURITY_TOKEN",
        ):
            assert name not in os.environ

    assert dict(os.environ) == before
    assert not token_file.exists()


def test_boto3s_default_session_is_the_pods_only_inside(
    sts_mock: MockSTS, eks: OIDCProvider, pod_role: Role
) -> None:
    admin = f"arn:aws:iam::{ACCOUNT}:user/admin"
    assert caller_identity(boto3.client("sts"))["Arn"] == admin

    with sts_mock.web_identity_env(pod_role.arn, eks.token(sub=POD_SUB), session_name="pod"):
        assert caller_identity(boto3.client("sts")) == pod_identity(pod_role, "pod")

    assert caller_identity(boto3.client("sts"))["Arn"] == admin


def test_the_environment_is_restored_after_an_error(
    sts_mock: MockSTS, eks: OIDCProvider, pod_role: Role
) -> None:
    before = dict(os.environ)

    with (
        pytest.raises(RuntimeError, match="boom"),
        sts_mock.web_identity_env(pod_role.arn, eks.token(sub=POD_SUB)) as token_file,
    ):
        raise RuntimeError("boom")

    assert dict(os.environ) == before
    assert not token_file.exists()


def test_web_identity_env_without_boto3(
    sts_mock: MockSTS, eks: OIDCProvider, pod_role: Role, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Code under test may use botocore alone: boto3 need not be imported at all.
    monkeypatch.delitem(sys.modules, "boto3")

    with sts_mock.web_identity_env(pod_role.arn, eks.token(sub=POD_SUB), session_name="bc"):
        client = botocore.session.get_session().create_client("sts", region_name="us-east-1")
        assert caller_identity(client) == pod_identity(pod_role, "bc")
        assert "boto3" not in sys.modules


def test_web_identity_env_checks_its_arguments(sts_mock: MockSTS) -> None:
    with pytest.raises(TypeError, match="role_arn must be a string"):  # noqa: SIM117
        with sts_mock.web_identity_env(None, "token"):  # type: ignore[arg-type]
            pass
    with pytest.raises(TypeError, match="token must be a string"):  # noqa: SIM117
        with sts_mock.web_identity_env("arn:aws:iam::123456789012:role/r", b"t"):  # type: ignore[arg-type]
            pass


def test_a_pod_whose_service_account_is_not_trusted(
    sts_mock: MockSTS, eks: OIDCProvider, pod_role: Role
) -> None:
    other = eks.token(sub="system:serviceaccount:payments:worker")

    with sts_mock.web_identity_env(pod_role.arn, other), pytest.raises(ClientError) as error:
        boto3.client("sts").get_caller_identity()

    assert error.value.operation_name == "AssumeRoleWithWebIdentity"
    response = error.value.response
    assert (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    ) == DENIED


def test_a_token_of_an_issuer_the_account_does_not_trust(sts_mock: MockSTS, pod_role: Role) -> None:
    stranger = sts_mock.oidc_provider(EKS.replace("D43C", "FFFF"), account_id="210987654321")

    with (
        sts_mock.web_identity_env(pod_role.arn, stranger.token(sub=POD_SUB)),
        pytest.raises(ClientError) as error,
    ):
        boto3.client("sts").get_caller_identity()

    assert error.value.response["Error"]["Code"] == "InvalidIdentityToken"


def test_the_pods_session_uses_the_roles_permissions(sts_mock: MockSTS, eks: OIDCProvider) -> None:
    role = sts_mock.create_role(
        "iam-reader",
        web_trust(eks.arn),
        policies={
            "read": {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "iam:ListRoles", "Resource": "*"}],
            }
        },
    )

    with sts_mock.web_identity_env(role.arn, eks.token(sub=POD_SUB)):
        iam = boto3.client("iam")
        assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["iam-reader"]
        with pytest.raises(ClientError) as error:
            iam.list_users()

    assert error.value.response["Error"]["Code"] == "AccessDenied"


# ---------------------------------------------------------------------------------------
# Token rotation and refresh under time travel (the kubelet rewrites the token file)


def test_rotated_token_keeps_the_pod_working(
    sts_mock: MockSTS, eks: OIDCProvider, pod_role: Role
) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        token = eks.token(sub=POD_SUB)
        with sts_mock.web_identity_env(pod_role.arn, token, session_name="pod") as token_file:
            session = boto3.Session()
            client = session.client("sts")
            assert caller_identity(client) == pod_identity(pod_role, "pod")
            first_key = session.get_credentials().get_frozen_credentials().access_key

            # Half-way through the hour botocore keeps the credentials it has.
            traveller.move_to(T0 + HOUR / 2)
            assert caller_identity(client) == pod_identity(pod_role, "pod")
            assert len(web_identity_calls(sts_mock)) == 1

            # Two hours on, the first token is long expired; the kubelet has rotated it.
            traveller.move_to(T0 + 2 * HOUR)
            token_file.write_text(eks.token(sub=POD_SUB))
            assert caller_identity(client) == pod_identity(pod_role, "pod")
            second_key = session.get_credentials().get_frozen_credentials().access_key

    assert web_identity_calls(sts_mock) == [(200, None), (200, None)]
    assert second_key != first_key


def test_refresh_with_a_stale_token_fails_as_aws_fails_it(
    sts_mock: MockSTS, eks: OIDCProvider, pod_role: Role
) -> None:
    with time_machine.travel(T0, tick=False) as traveller:
        token = eks.token(sub=POD_SUB)
        with sts_mock.web_identity_env(pod_role.arn, token):
            client = boto3.Session().client("sts")
            assert caller_identity(client)["Account"] == ACCOUNT
            traveller.move_to(T0 + 2 * HOUR)
            with pytest.raises(ClientError) as error:
                client.get_caller_identity()

    assert error.value.operation_name == "AssumeRoleWithWebIdentity"
    response = error.value.response
    assert (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    ) == expired(EPOCH_T0 + 7200, EPOCH_T0 + 3600)


def test_refresh_ahead_of_expiry_reads_the_file_again(
    sts_mock: MockSTS, eks: OIDCProvider, plain_role: Role
) -> None:
    role = plain_role
    with time_machine.travel(T0, tick=False) as traveller:
        token = eks.token(sub=POD_SUB)
        with sts_mock.web_identity_env(role.arn, token) as token_file:
            client = boto3.Session().client("sts")
            assert caller_identity(client)["Account"] == ACCOUNT
            # Within botocore's mandatory refresh window (10 minutes before Expiration).
            traveller.move_to(T0 + HOUR - dt.timedelta(minutes=5))
            token_file.write_text("not-a-token")
            with pytest.raises(ClientError) as error:
                client.get_caller_identity()

    assert error.value.response["Error"]["Code"] == "InvalidIdentityToken"
    assert web_identity_calls(sts_mock) == [(200, None), (400, "InvalidIdentityToken")]


@pytest.fixture
def plain_role(sts_mock: MockSTS, eks: OIDCProvider) -> Role:
    return sts_mock.create_role("plain", web_trust(eks.arn))


# ---------------------------------------------------------------------------------------
# A profile with web_identity_token_file


@pytest.fixture
def config_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "config"
    monkeypatch.setenv("AWS_CONFIG_FILE", os.fspath(path))
    # A profile's web identity must win over the mock's static keys in the environment.
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY", raising=False)
    return path


def write_profile(config: Path, role: Role, token_file: Path, **settings: Any) -> None:
    lines = [
        "[profile pod]",
        f"role_arn = {role.arn}",
        f"web_identity_token_file = {token_file}",
        "region = eu-west-1",
        *(f"{key} = {value}" for key, value in settings.items()),
    ]
    config.write_text("\n".join(lines) + "\n")


def test_profile_with_web_identity_token_file(
    sts_mock: MockSTS, eks: OIDCProvider, pod_role: Role, config_file: Path, tmp_path: Path
) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(eks.token(sub=POD_SUB))
    write_profile(config_file, pod_role, token_file, role_session_name="from-profile")

    client = boto3.Session(profile_name="pod").client("sts")
    assert caller_identity(client) == pod_identity(pod_role, "from-profile")
    assert web_identity_calls(sts_mock) == [(200, None)]


def test_profile_refreshes_with_the_rotated_token(
    sts_mock: MockSTS, eks: OIDCProvider, pod_role: Role, config_file: Path, tmp_path: Path
) -> None:
    token_file = tmp_path / "token"
    write_profile(config_file, pod_role, token_file)

    with time_machine.travel(T0, tick=False) as traveller:
        token_file.write_text(eks.token(sub=POD_SUB))
        core = botocore.session.Session(profile="pod")
        client = boto3.Session(botocore_session=core).client("sts")
        first = caller_identity(client)
        traveller.move_to(T0 + 3 * HOUR)
        token_file.write_text(eks.token(sub=POD_SUB))
        second = caller_identity(client)

    assert first["Arn"] == second["Arn"]
    assert DEFAULT_SESSION_NAME.fullmatch(first["Arn"].rsplit("/", 1)[1])
    assert web_identity_calls(sts_mock) == [(200, None), (200, None)]


def test_profile_with_a_token_the_role_does_not_trust(
    sts_mock: MockSTS, eks: OIDCProvider, pod_role: Role, config_file: Path, tmp_path: Path
) -> None:
    token_file = tmp_path / "token"
    token_file.write_text(eks.token(sub="system:serviceaccount:other:app"))
    write_profile(config_file, pod_role, token_file)

    with pytest.raises(ClientError) as error:
        boto3.Session(profile_name="pod").client("sts").get_caller_identity()

    assert error.value.response["Error"]["Code"] == "AccessDenied"
    assert web_identity_calls(sts_mock) == [(403, "AccessDenied")]
