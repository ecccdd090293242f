"""The real AWS CLI against ``mock-sts serve``: a role is created and assumed, by command and
through a ``role_arn`` profile, and refusals are AWS's. Runs where ``awscli`` is installed
(CI gives it a venv of its own, as it pins botocore exactly)."""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import serve_process

pytest.importorskip("awscli")
# Every test runs the AWS CLI in a subprocess against a `mock-sts serve` subprocess.
pytestmark = pytest.mark.slow

ACCOUNT = "111111111111"
TRUST = json.dumps(
    {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}
        ],
    }
)


@pytest.fixture
def cli_endpoint() -> Iterator[str]:
    with serve_process("--account-id", ACCOUNT) as url:
        yield url


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "config"
    path.write_text("")
    return path


@pytest.fixture
def aws(cli_endpoint: str, config: Path, tmp_path: Path) -> Any:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("AWS_")
    } | {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-west-1",
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "credentials"),
        "AWS_ENDPOINT_URL": cli_endpoint,
        # The CLI caches assumed-role credentials under ~/.aws/cli/cache: one per test.
        "HOME": str(tmp_path),
    }

    def run(*arguments: str, **extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "awscli", *arguments, "--output", "json"],
            env=environment | extra,
            capture_output=True,
            text=True,
            timeout=60,
        )

    return run


def cli_create_role(aws: Any) -> str:
    created = aws(
        "iam", "create-role", "--role-name", "deploy", "--assume-role-policy-document", TRUST
    )
    assert created.returncode == 0, created.stderr
    return str(json.loads(created.stdout)["Role"]["Arn"])


def test_the_cli_creates_and_assumes_a_role(aws: Any) -> None:
    created = aws(
        "iam", "create-role", "--role-name", "deploy", "--assume-role-policy-document", TRUST
    )
    assert created.returncode == 0, created.stderr
    role_arn = json.loads(created.stdout)["Role"]["Arn"]

    assumed = aws("sts", "assume-role", "--role-arn", role_arn, "--role-session-name", "cli")
    assert assumed.returncode == 0, assumed.stderr
    credentials = json.loads(assumed.stdout)["Credentials"]
    whoami = aws(
        "sts",
        "get-caller-identity",
        AWS_ACCESS_KEY_ID=credentials["AccessKeyId"],
        AWS_SECRET_ACCESS_KEY=credentials["SecretAccessKey"],
        AWS_SESSION_TOKEN=credentials["SessionToken"],
    )

    assert json.loads(whoami.stdout)["Arn"] == f"arn:aws:sts::{ACCOUNT}:assumed-role/deploy/cli"


def test_a_role_arn_profile_assumes_the_role(aws: Any, config: Path, tmp_path: Path) -> None:
    role_arn = cli_create_role(aws)
    (tmp_path / "credentials").write_text(
        "[ci]\naws_access_key_id = testing\naws_secret_access_key = testing\n"
    )
    config.write_text(
        f"[profile deploy]\nrole_arn = {role_arn}\nsource_profile = ci\n"
        "role_session_name = from-profile\n"
    )

    # No keys in the environment: the profile's chain is the only way in.
    whoami = aws(
        "sts",
        "get-caller-identity",
        "--profile",
        "deploy",
        AWS_ACCESS_KEY_ID="",
        AWS_SECRET_ACCESS_KEY="",
    )

    assert whoami.returncode == 0, whoami.stderr
    assert json.loads(whoami.stdout)["Arn"] == (
        f"arn:aws:sts::{ACCOUNT}:assumed-role/deploy/from-profile"
    )


def test_refusals_are_awss(aws: Any) -> None:
    missing = f"arn:aws:iam::{ACCOUNT}:role/missing"

    refused = aws("sts", "assume-role", "--role-arn", missing, "--role-session-name", "cli")

    assert refused.returncode == 255  # the AWS CLI v1 (PyPI) exit code of a ClientError
    assert (
        "An error occurred (AccessDenied) when calling the AssumeRole operation: "
        f"User: arn:aws:iam::{ACCOUNT}:user/admin is not authorized to perform: "
        f"sts:AssumeRole on resource: {missing}"
    ) in refused.stderr


def documented_cli_example() -> str:
    """The documented AWS CLI example (docs/server.md): its shell block that calls ``aws sts``."""
    document = (Path(__file__).parents[2] / "docs" / "server.md").read_text()
    blocks = re.findall(r"```bash\n(.*?)```", document, re.DOTALL)
    (block,) = (block for block in blocks if "aws sts get-caller-identity" in block)
    return str(block)


def test_the_documented_example_works_in_a_clean_shell(tmp_path: Path) -> None:
    # No AWS variable, no ~/.aws, a PATH that finds `mock-sts` and `aws` where this Python
    # installed them: what the server prints is all the CLI gets.
    environment = {
        "PATH": os.pathsep.join((str(Path(sys.executable).parent), os.defpath)),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
    }
    # A session of its own: should the example hang, the server it started goes too.
    shell = subprocess.Popen(
        ["bash", "-c", documented_cli_example()],
        cwd=tmp_path,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = shell.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(shell.pid, signal.SIGKILL)
        shell.communicate()

    assert shell.returncode == 0, stderr
    url, identity = stdout.split("\n", 1)
    assert url == (tmp_path / "mock-sts.env").read_text().splitlines()[0]
    assert json.loads(identity)["Arn"] == "arn:aws:iam::123456789012:user/admin"
