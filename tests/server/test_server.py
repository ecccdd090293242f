"""``mock-sts serve``: STS and IAM over HTTP for any client, on loopback."""

from __future__ import annotations

import http.client
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.exceptions
import pytest
import requests

from mock_sts import server
from tests.helpers import serve_process


@pytest.fixture(scope="module")
def serve_url() -> Iterator[str]:
    with serve_process("--account-id", "111111111111") as url:
        yield url


def served_client(service: str, url: str, **kwargs: str) -> object:
    keys = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
    return boto3.client(service, endpoint_url=url, region_name="eu-west-1", **{**keys, **kwargs})


@pytest.mark.slow
def test_first_line_is_the_endpoint(serve_url: str) -> None:
    assert serve_url.startswith("http://127.0.0.1:")
    assert int(serve_url.rsplit(":", 1)[1]) > 0


@pytest.mark.slow
def test_sts_and_iam_share_one_state(serve_url: str) -> None:
    iam = served_client("iam", serve_url)
    user = iam.create_user(UserName="served")["User"]  # type: ignore[attr-defined]
    key = iam.create_access_key(UserName="served")["AccessKey"]  # type: ignore[attr-defined]
    sts = served_client(
        "sts",
        serve_url,
        aws_access_key_id=key["AccessKeyId"],
        aws_secret_access_key=key["SecretAccessKey"],
    )
    identity = sts.get_caller_identity()  # type: ignore[attr-defined]
    assert identity["Arn"] == user["Arn"] == "arn:aws:iam::111111111111:user/served"


@pytest.mark.slow
def test_signatures_are_verified(serve_url: str) -> None:
    iam = served_client("iam", serve_url)
    key = iam.create_access_key(UserName="admin")["AccessKey"]  # type: ignore[attr-defined]
    sts = served_client(
        "sts", serve_url, aws_access_key_id=key["AccessKeyId"], aws_secret_access_key="wrong"
    )
    with pytest.raises(botocore.exceptions.ClientError) as error:
        sts.get_caller_identity()  # type: ignore[attr-defined]
    assert error.value.response["Error"]["Code"] == "SignatureDoesNotMatch"


@pytest.mark.slow
def test_unsigned_requests_are_routed_by_action(serve_url: str) -> None:
    response = requests.post(
        serve_url, data={"Action": "GetCallerIdentity", "Version": "2011-06-15"}, timeout=5
    )
    assert response.status_code == 403
    assert b"<Code>MissingAuthenticationToken</Code>" in response.content
    assert b"sts.amazonaws.com/doc/2011-06-15" in response.content
    iam = requests.post(serve_url, data={"Action": "ListUsers", "Version": "2010-05-08"}, timeout=5)
    assert b"iam.amazonaws.com/doc/2010-05-08" in iam.content


@pytest.mark.slow
def test_oversized_bodies_are_refused(serve_url: str) -> None:
    connection = http.client.HTTPConnection(urlsplit(serve_url).netloc, timeout=5)
    connection.putrequest("POST", "/")
    connection.putheader("Content-Length", str(server.MAX_BODY + 1))
    connection.endheaders()
    try:
        assert connection.getresponse().status == 413
    finally:
        connection.close()


def test_in_process_server_routes_by_scope_and_action() -> None:
    from mock_sts import MockSTS
    from tests.helpers import serving

    with MockSTS(set_env=False, account_id="222222222222") as mock, serving(mock) as httpd:
        url = f"http://127.0.0.1:{httpd.server_port}"
        # boto3 clients in this process are answered before they reach the socket, so
        # the server is driven with requests signed the way any other SDK signs them.
        admin = mock.admin_credentials()
        keys = botocore.credentials.Credentials(admin.access_key_id, admin.secret_access_key)
        for service, body, expected in (
            ("sts", "Action=GetCallerIdentity&Version=2011-06-15", b"222222222222"),
            ("iam", "Action=GetUser&Version=2010-05-08", b"<UserName>admin</UserName>"),
        ):
            request = botocore.awsrequest.AWSRequest(
                method="POST",
                url=url,
                data=body,
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
            botocore.auth.SigV4Auth(keys, service, "us-east-1").add_auth(request)
            response = requests.post(url, data=body, headers=dict(request.headers), timeout=5)
            assert response.status_code == 200
            assert expected in response.content
        bad = requests.post(
            url,
            data={"Action": "GetCallerIdentity", "Version": "2011-06-15"},
            headers={"Authorization": "AWS4-HMAC-SHA256 x"},
            timeout=5,
        )
        assert bad.status_code == 400
        assert b"<Code>IncompleteSignature</Code>" in bad.content
        connection = http.client.HTTPConnection(f"127.0.0.1:{httpd.server_port}", timeout=5)
        connection.putrequest("POST", "/")
        connection.putheader("Content-Length", str(server.MAX_BODY + 1))
        connection.endheaders()
        assert connection.getresponse().status == 413
        connection.close()


@pytest.mark.slow
def test_requests_signed_for_another_service_are_routed_by_action(serve_url: str) -> None:
    import botocore.auth
    import botocore.awsrequest
    import botocore.credentials

    body = "Action=GetCallerIdentity&Version=2011-06-15"
    request = botocore.awsrequest.AWSRequest(
        method="POST",
        url=serve_url,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    credentials = botocore.credentials.Credentials("testing", "testing")
    botocore.auth.SigV4Auth(credentials, "s3", "us-east-1").add_auth(request)
    response = requests.post(serve_url, data=body, headers=dict(request.headers), timeout=5)
    assert response.status_code == 403
    assert b"Credential should be scoped to correct service: 'sts'." in response.content


@pytest.mark.slow
def test_control_api_makes_an_oidc_flow_for_any_client(serve_url: str) -> None:
    import jwt
    from botocore import UNSIGNED
    from botocore.config import Config

    github = "https://token.actions.githubusercontent.com"
    sub = "repo:octo/served:ref:refs/heads/main"
    control = f"{serve_url}/_mock_sts"
    provider = requests.post(f"{control}/oidc-providers", json={"url": github}, timeout=5).json()
    trust: dict[str, Any] = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": provider["arn"]},
                "Action": "sts:AssumeRoleWithWebIdentity",
                "Condition": {"StringEquals": {"token.actions.githubusercontent.com:sub": sub}},
            }
        ],
    }
    role = requests.post(
        f"{control}/roles", json={"name": "served-ci", "trust_policy": trust}, timeout=5
    ).json()
    token = requests.post(
        f"{control}/oidc-tokens", json={"url": github, "sub": sub}, timeout=5
    ).json()["token"]
    discovery = requests.get(
        f"{serve_url}/oidc/token.actions.githubusercontent.com/.well-known/openid-configuration",
        timeout=5,
    ).json()
    key = jwt.PyJWKClient(discovery["jwks_uri"]).get_signing_key_from_jwt(token)
    assert jwt.decode(token, key.key, ["RS256"], audience="sts.amazonaws.com")["sub"] == sub
    sts = boto3.client(
        "sts",
        endpoint_url=serve_url,
        region_name="eu-west-1",
        config=Config(signature_version=UNSIGNED),
    )
    assumed = sts.assume_role_with_web_identity(
        RoleArn=role["arn"], RoleSessionName="ci", WebIdentityToken=token
    )
    assert assumed["AssumedRoleUser"]["Arn"] == (
        "arn:aws:sts::111111111111:assumed-role/served-ci/ci"
    )
    calls = requests.get(f"{control}/calls", timeout=5).json()["calls"]
    assert calls[-1]["action"] == "AssumeRoleWithWebIdentity"
    assert calls[-1]["params"]["WebIdentityToken"] != token
