"""Fixtures for code that picks an AWS profile whose ``role_arn`` chains through two roles.

``~/.aws/config`` (written to a temporary directory here): the ``dev`` profile has a
developer's long-term keys; ``hub`` assumes the hub account's jump role from ``dev``;
``prod`` assumes the production deploy role from ``hub``, a role chain.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mock_sts import MockSTS, Role

DEV, HUB, PROD = "111111111111", "222222222222", "333333333333"


def trusting(principal: str) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": principal}, "Action": "sts:AssumeRole"}
        ],
    }


def allowed_to_assume(role_arn: str) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}],
    }


@pytest.fixture
def jump_role(sts_mock: MockSTS) -> Role:
    """The hub's jump role: developers of the dev account may assume it."""
    return sts_mock.create_role(
        "jump",
        trusting(DEV),
        account_id=HUB,
        policies={"assume-deploy": allowed_to_assume(f"arn:aws:iam::{PROD}:role/deploy")},
    )


@pytest.fixture
def deploy_role(sts_mock: MockSTS, jump_role: Role) -> Role:
    """The production role; it trusts only the hub's jump role."""
    return sts_mock.create_role("deploy", trusting(jump_role.arn), account_id=PROD)


@pytest.fixture
def aws_config(
    sts_mock: MockSTS,
    jump_role: Role,
    deploy_role: Role,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """The developer's config and credentials files, as boto3 reads them."""
    developer = sts_mock.create_user(
        "dana", account_id=DEV, policies={"assume-jump": allowed_to_assume(jump_role.arn)}
    )
    credentials = tmp_path / "credentials"
    credentials.write_text(
        "[dev]\n"
        f"aws_access_key_id = {developer.credentials.access_key_id}\n"
        f"aws_secret_access_key = {developer.credentials.secret_access_key}\n"
    )
    config = tmp_path / "config"
    config.write_text(
        "[profile hub]\n"
        f"role_arn = {jump_role.arn}\nsource_profile = dev\nrole_session_name = dana\n"
        "[profile prod]\n"
        f"role_arn = {deploy_role.arn}\nsource_profile = hub\nrole_session_name = dana\n"
        "[profile prod-long]\n"
        f"role_arn = {deploy_role.arn}\nsource_profile = hub\nduration_seconds = 7200\n"
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(credentials))
    return config
