"""Malformed and unusual signatures: each gets AWS's error, never a traceback."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.session
import pytest
import requests
import time_machine

from mock_sts import MockSTS

URL = "https://sts.amazonaws.com/"
BODY = "Action=GetCallerIdentity&Version=2011-06-15"
T0 = dt.datetime(2025, 3, 14, 12, 0, 0, tzinfo=dt.timezone.utc)


def signed_headers(
    sts: MockSTS, body: str = BODY, extra: dict[str, str] | None = None
) -> dict[str, str]:
    admin = sts.admin_credentials()
    credentials = botocore.credentials.Credentials(admin.access_key_id, admin.secret_access_key)
    request = botocore.awsrequest.AWSRequest(
        method="POST",
        url=URL,
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            **(extra or {}),
        },
    )
    botocore.auth.SigV4Auth(credentials, "sts", "us-east-1").add_auth(request)
    return dict(request.headers)


def post(headers: dict[str, str], body: str = BODY, url: str = URL) -> tuple[int, str, str]:
    response = requests.post(url, data=body, headers=headers, timeout=5)
    text = response.text
    code = text.split("<Code>", 1)[1].split("</Code>", 1)[0] if "<Code>" in text else ""
    message = text.split("<Message>", 1)[1].split("</Message>", 1)[0] if "<Code>" in text else ""
    return response.status_code, code, message


def get(url: str) -> tuple[int, str, str]:
    response = requests.get(url, timeout=5)
    text = response.text
    code = text.split("<Code>", 1)[1].split("</Code>", 1)[0] if "<Code>" in text else ""
    message = text.split("<Message>", 1)[1].split("</Message>", 1)[0] if "<Code>" in text else ""
    return response.status_code, code, message


def test_unsupported_algorithm(sts_mock: MockSTS) -> None:
    headers = {"Authorization": "AWS3-HTTPS AWSAccessKeyId=AKIA,Signature=x"}
    assert post(headers) == (
        400,
        "IncompleteSignature",
        "Unsupported AWS 'algorithm': 'AWS3-HTTPS'. "
        "Authorization=AWS3-HTTPS AWSAccessKeyId=AKIA,Signature=x",
    )


def test_malformed_credential_scope(sts_mock: MockSTS) -> None:
    headers = signed_headers(sts_mock)
    key_id = sts_mock.admin_credentials().access_key_id
    headers["Authorization"] = headers["Authorization"].replace("/aws4_request", "/aws5_request")
    status, code, message = post(headers)
    assert (status, code) == (400, "IncompleteSignature")
    assert message.startswith(
        "Credential should be scoped to a valid region, service and terminated by "
        f"'aws4_request'. Credential={key_id}/"
    )


def test_malformed_date(sts_mock: MockSTS) -> None:
    headers = signed_headers(sts_mock)
    headers["X-Amz-Date"] = "2025-03-14 12:00"
    assert post(headers) == (
        400,
        "IncompleteSignature",
        "Date must be in ISO-8601 'basic format'. Got '2025-03-14 12:00'. "
        "See http://en.wikipedia.org/wiki/ISO_8601",
    )
    headers["X-Amz-Date"] = "20251399T990000Z"
    assert post(headers)[1] == "IncompleteSignature"


def test_scope_date_must_match_the_request_date(sts_mock: MockSTS) -> None:
    with time_machine.travel(T0, tick=False):
        headers = signed_headers(sts_mock)
        headers["X-Amz-Date"] = "20250315T000500Z"
        assert post(headers) == (
            403,
            "SignatureDoesNotMatch",
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date "
            "from HTTP: '20250314' != '20250315', from ISO-8601 date '20250315T000500Z'.",
        )


def test_a_signed_header_missing_from_the_request(sts_mock: MockSTS) -> None:
    headers = signed_headers(sts_mock, extra={"X-Custom": "1"})
    del headers["X-Custom"]
    assert post(headers)[1] == "SignatureDoesNotMatch"


def test_signed_payload_hash_header(sts_mock: MockSTS) -> None:
    digest = hashlib.sha256(BODY.encode()).hexdigest()
    headers = signed_headers(sts_mock, extra={"X-Amz-Content-SHA256": digest})
    assert post(headers)[0] == 200
    lying = signed_headers(sts_mock, extra={"X-Amz-Content-SHA256": "0" * 64})
    assert post(lying)[1] == "SignatureDoesNotMatch"
    unsigned = signed_headers(sts_mock, extra={"X-Amz-Content-SHA256": "UNSIGNED-PAYLOAD"})
    assert post(unsigned)[0] == 200


def test_default_port_in_the_url(sts_mock: MockSTS) -> None:
    headers = signed_headers(sts_mock)
    assert post(headers, url="https://sts.amazonaws.com:443/")[0] == 200


def test_incomplete_presigned_query(sts_mock: MockSTS) -> None:
    url = f"{URL}?{BODY}&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abc"
    assert get(url) == (
        400,
        "IncompleteSignature",
        "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', "
        "'X-Amz-Date', 'X-Amz-SignedHeaders', 'X-Amz-Signature'. "
        "Re-examine the query-string parameters.",
    )


def test_presigned_with_another_algorithm(sts_mock: MockSTS) -> None:
    url = (
        f"{URL}?{BODY}&X-Amz-Algorithm=AWS4-ECDSA-P256-SHA256&X-Amz-Credential=AKIA%2F20250314"
        "%2Fus-east-1%2Fsts%2Faws4_request&X-Amz-Date=20250314T120000Z"
        "&X-Amz-SignedHeaders=host&X-Amz-Signature=abc"
    )
    assert get(url) == (
        400,
        "IncompleteSignature",
        "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'.",
    )


def test_unknown_keys_when_the_admin_has_no_key_left(sts_mock: MockSTS) -> None:
    iam = boto3.client("iam")
    iam.delete_access_key(UserName="admin", AccessKeyId=sts_mock.admin_credentials().access_key_id)
    stranger = boto3.client(
        "sts",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with pytest.raises(botocore.exceptions.ClientError) as error:
        stranger.get_caller_identity()
    assert error.value.response["Error"]["Code"] == "InvalidClientTokenId"


def test_root_has_no_mfa_devices(sts_mock: MockSTS) -> None:
    root = boto3.client("sts", region_name="us-east-1", **sts_mock.root_credentials().as_boto3())
    with pytest.raises(botocore.exceptions.ClientError) as error:
        root.get_session_token(
            SerialNumber="arn:aws:iam::123456789012:mfa/root-account-mfa-device", TokenCode="123456"
        )
    assert error.value.response["Error"]["Message"].startswith(
        "MultiFactorAuthentication failed, unable to validate MFA code."
    )


def test_credentials_helpers_with_a_session_token() -> None:
    from mock_sts import Credentials

    when = dt.datetime(2030, 1, 1, tzinfo=dt.timezone.utc)
    creds = Credentials("ASIAEXAMPLE", "secret", "token", when)
    assert creds.as_boto3() == {
        "aws_access_key_id": "ASIAEXAMPLE",
        "aws_secret_access_key": "secret",
        "aws_session_token": "token",
    }
    assert creds.as_env() == {
        "AWS_ACCESS_KEY_ID": "ASIAEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "secret",
        "AWS_SESSION_TOKEN": "token",
    }
    assert "secret" not in repr(creds)
    assert "token" not in repr(creds)


def test_create_user_accepts_policy_json_text(sts_mock: MockSTS) -> None:
    document = (
        '{"Version": "2012-10-17", '
        '"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}}'
    )
    user = sts_mock.create_user("json", policies={"inline": document})
    iam = boto3.client("iam")
    assert iam.get_user_policy(UserName="json", PolicyName="inline")["PolicyDocument"] == (
        json.loads(document)
    )
    assert user.name == "json"
    with pytest.raises(
        ValueError, match="Policy 'inline' is not valid JSON: Expecting property name"
    ):
        sts_mock.create_user("broken", policies={"inline": "{not json"})
    assert [u["UserName"] for u in boto3.client("iam").list_users()["Users"]] == ["admin", "json"]


def test_serving_with_no_active_mock_answers_nothing() -> None:
    from mock_sts import _mock
    from mock_sts._http import ClientCall, HttpRequest

    request = HttpRequest("POST", URL, {}, b"")
    assert _mock._serve("sts", request) is None
    operation = (
        botocore.session.get_session().get_service_model("sts").operation_model("GetCallerIdentity")
    )
    assert _mock._answer(ClientCall("sts", "sts", operation, {}, request)) is None


def test_requests_callback_after_the_last_mock_stopped() -> None:
    from mock_sts import _intercept

    with MockSTS():  # the hooks are installed, and then no mock is active
        pass
    request = requests.Request("POST", URL, data=BODY).prepare()
    with pytest.raises(requests.ConnectionError, match="Connection refused by mock_sts"):
        _intercept._requests_callback(request)


@pytest.mark.parametrize("body", [None, BODY, BODY.encode()])
def test_botocore_bodies_of_every_type(body: Any) -> None:
    import io

    from mock_sts import _intercept

    expected = BODY.encode() if body else b""
    for payload in (body, io.BytesIO(expected)):
        request = botocore.awsrequest.AWSRequest(method="POST", url=URL, data=payload).prepare()
        assert _intercept._body(request, read_streams=True) == expected


def test_uploads_of_other_services_are_not_read() -> None:
    import io

    from mock_sts import _intercept

    upload = io.BytesIO(b"a large object")
    request = botocore.awsrequest.AWSRequest(method="PUT", url=URL, data=upload).prepare()
    assert _intercept._body(request, read_streams=False) == b""
    assert upload.tell() == 0
