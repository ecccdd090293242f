"""``mock-sts serve``: STS and IAM over HTTP for any client, on loopback."""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys
from collections.abc import Iterator
from urllib.parse import urlsplit

import boto3
import botocore.exceptions
import pytest
import requests

from mock_sts import server


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mock_sts.server",
            "serve",
            "--port",
            "0",
            "--account-id",
            "111111111111",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    try:
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        process.stdout.close()


def client(service: str, url: str, **kwargs: str) -> object:
    keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.client(service, endpoint_url=url, region_name="eu-west-1", **{**keys, **kwargs})


def test_first_line_is_the_endpoint(endpoint: str) -> None:
    assert endpoint.startswith("http://127.0.0.1:")
    assert int(endpoint.rsplit(":", 1)[1]) > 0


def test_sts_and_iam_share_one_state(endpoint: str) -> None:
    iam = client("iam", endpoint)
    user = iam.create_user(UserName="served")["User"]  # type: ignore[attr-defined]
    key = iam.create_access_key(UserName="served")["AccessKey"]  # type: ignore[attr-defined]
    sts = client(
        "sts",
        endpoint,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
    identity = sts.get_caller_identity()  # type: ignore[attr-defined]
    assert identity["Arn"] == user["Arn"] == "arn:aws:iam::111111111111:user/served"


def test_signatures_are_verified(endpoint: str) -> None:
    iam = client("iam", endpoint)
    key = iam.create_access_key(UserName="admin")["AccessKey"]  # type: ignore[attr-defined]
    sts = client(
        "sts", endpoint, aws_access_key_id=key["AccessKeyId"], aws_secret_access_key="wrong"
    )
    with pytest.raises(botocore.exceptions.ClientError) as error:
        sts.get_caller_identity()  # type: ignore[attr-defined]
    assert error.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


def test_unsigned_requests_are_routed_by_action(endpoint: str) -> None:
    response = requests.post(
        endpoint, data={"Action": "GetCallerIdentity", "Version": "2011-06-15"}, timeout=5
    )
    assert response.status_code == 403
    assert b"<Code>MissingAuthenticationToken</Code>" in response.content
    assert b"sts.amazonaws.com/doc/2011-06-15" in response.content
    iam = requests.post(endpoint, data={"Action": "ListUsers", "Version": "2010-05-08"}, timeout=5)
    assert b"iam.amazonaws.com/doc/2010-05-08" in iam.content


def test_oversized_bodies_are_refused(endpoint: str) -> None:
    connection = http.client.HTTPConnection(urlsplit(endpoint).netloc, timeout=5)
    connection.putrequest("POST", "/")
    connection.putheader("Content-Length", str(server.MAX_BODY + 1))
    connection.endheaders()
    try:
        assert connection.getresponse().status == 413
    finally:
        connection.close()


def test_bad_options_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        server.main(["serve", "--region", "nowhere"])
    assert exit_info.value.code == 2
    assert "region must be an AWS region name" in capsys.readouterr().err
