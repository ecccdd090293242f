"""SigV4 authentication as AWS STS performs it: signatures, keys, tokens, expiry and clock skew.

Everything goes through real botocore clients, botocore's own signers and ``requests``; the
expected codes, messages and statuses are AWS's (STS_REFERENCE.md §1.2, §2.1, §9.6).
"""

from __future__ import annotations

import datetime as dt
import re
import socket
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import TYPE_CHECKING, Any

import boto3
import botocore
import freezegun
import pytest
import requests
import responses
import time_machine
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials as SigningCredentials
from botocore.exceptions import EndpointConnectionError

from mock_sts import Call, MockSTS, mock_sts
from tests.helpers import NS, aws_error, caller_identity, http_error_of, signing, stamp, sts_client

if TYPE_CHECKING:
    from mock_sts import Credentials

ACCOUNT = "123456789012"
ADMIN_ARN = f"arn:aws:iam::{ACCOUNT}:user/admin"
STS_URL = "https://sts.amazonaws.com/"
GET_CALLER_IDENTITY = "Action=GetCallerIdentity&Version=2011-06-15"
FORM = "application/x-www-form-urlencoded; charset=utf-8"
UTC = dt.timezone.utc
# A fixed instant, well inside one UTC day, for tests that compare timestamps exactly.
T0 = dt.datetime(2025, 3, 14, 12, 0, 0, tzinfo=UTC)

BAD_SIGNATURE = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)
INVALID_TOKEN = "The security token included in the request is invalid."
EXPIRED_TOKEN = "The security token included in the request is expired"
MISSING_AUTH = "Request is missing Authentication Token"


# ---------------------------------------------------------------------------------------
# Helpers


def signed_post(
    credentials: Credentials,
    *,
    service: str = "sts",
    region: str = "us-east-1",
    url: str = STS_URL,
    body: str = GET_CALLER_IDENTITY,
) -> AWSRequest:
    """A header-signed query-protocol POST, signed at the current (possibly travelled) time."""
    request = AWSRequest(method="POST", url=url, data=body, headers={"Content-Type": FORM})
    SigV4Auth(signing(credentials), service, region).add_auth(request)
    return request


def forward(request: AWSRequest) -> requests.Response:
    """Send a signed request as-is with ``requests`` (what Vault and EKS authenticators do)."""
    return requests.post(request.url, data=request.body, headers=dict(request.headers), timeout=5)


def presigned_url(
    credentials: Credentials,
    *,
    expires: int = 60,
    service: str = "sts",
    headers: dict[str, str] | None = None,
) -> str:
    """A presigned GetCallerIdentity URL, as botocore's query signer makes it."""
    request = AWSRequest(method="GET", url=f"{STS_URL}?{GET_CALLER_IDENTITY}", headers=headers)
    SigV4QueryAuth(signing(credentials), service, "us-east-1", expires=expires).add_auth(request)
    url: str = request.url
    return url


def http_caller_identity(response: requests.Response) -> dict[str, str]:
    """The GetCallerIdentityResult of a successful raw response."""
    assert response.status_code == 200, response.text
    root = ET.fromstring(response.content)
    result = root.find("sts:GetCallerIdentityResult", NS)
    assert result is not None
    return {child.tag.split("}", 1)[1]: child.text or "" for child in result}


# ---------------------------------------------------------------------------------------
# Signatures and keys


def test_wrong_secret_is_signature_does_not_match(sts_mock: MockSTS) -> None:
    admin = sts_mock.admin_credentials()
    client = sts_client(
        aws_access_key_id=admin.access_key_id, aws_secret_access_key="not-the-secret"
    )

    assert aws_error(client.get_caller_identity) == ("SignatureDoesNotMatch", BAD_SIGNATURE, 403)


def test_wrong_secret_of_an_iam_user_is_signature_does_not_match(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    client = sts_client(
        aws_access_key_id=alice.credentials.access_key_id,
        aws_secret_access_key=sts_mock.admin_credentials().secret_access_key,
    )

    assert aws_error(client.get_session_token) == ("SignatureDoesNotMatch", BAD_SIGNATURE, 403)


def test_wrong_secret_of_session_credentials_is_signature_does_not_match(
    sts_mock: MockSTS,
) -> None:
    alice = sts_mock.create_user("alice")
    session = sts_client(alice.credentials).get_session_token()["Credentials"]
    client = sts_client(
        aws_access_key_id=session["AccessKeyId"],
        aws_secret_access_key=alice.credentials.secret_access_key,
        aws_session_token=session["SessionToken"],
    )

    assert aws_error(client.get_caller_identity) == ("SignatureDoesNotMatch", BAD_SIGNATURE, 403)


def test_issued_keys_sign_successfully(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")

    assert caller_identity(sts_client(alice.credentials)) == {
        "UserId": alice.user_id,
        "Account": ACCOUNT,
        "Arn": f"arn:aws:iam::{ACCOUNT}:user/alice",
    }


def test_unknown_key_acts_as_the_default_admin_when_not_strict(sts_mock: MockSTS) -> None:
    client = sts_client(aws_access_key_id="testing", aws_secret_access_key="testing")

    assert caller_identity(client) == caller_identity(sts_client(sts_mock.admin_credentials()))
    assert caller_identity(client)["Arn"] == ADMIN_ARN
    assert caller_identity(client)["Account"] == ACCOUNT


def test_unknown_key_signing_a_session_token_call_acts_as_the_admin(sts_mock: MockSTS) -> None:
    client = sts_client(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="x" * 40)
    session = client.get_session_token()["Credentials"]

    as_session = sts_client(
        aws_access_key_id=session["AccessKeyId"],
        aws_secret_access_key=session["SecretAccessKey"],
        aws_session_token=session["SessionToken"],
    )
    assert caller_identity(as_session)["Arn"] == ADMIN_ARN


@pytest.mark.sts_mock(strict=True)
def test_unknown_key_is_invalid_client_token_id_when_strict(sts_mock: MockSTS) -> None:
    client = sts_client(aws_access_key_id="testing", aws_secret_access_key="testing")

    assert aws_error(client.get_caller_identity) == ("InvalidClientTokenId", INVALID_TOKEN, 403)
    assert sts_mock.calls[-1] == Call(
        service="sts",
        action="GetCallerIdentity",
        params={},
        caller_arn=None,
        status=403,
        error_code="InvalidClientTokenId",
        allowed=False,
        reason="the access key testing does not exist",
    )


@pytest.mark.sts_mock(strict=True)
def test_strict_mode_still_accepts_issued_keys(sts_mock: MockSTS) -> None:
    assert caller_identity(sts_client(sts_mock.admin_credentials()))["Arn"] == ADMIN_ARN
    # The environment set by the mock carries the admin's keys, so a new session's client
    # works too.
    fresh = boto3.Session(region_name="us-east-1").client("sts")
    assert caller_identity(fresh)["Arn"] == ADMIN_ARN


def test_strict_mock_serves_boto3_default_clients_after_an_earlier_mock() -> None:
    # boto3.client() shares one default session, which resolves credentials from the
    # environment once and keeps them. A strict mock started later must still accept the
    # clients code under test makes in the usual way.
    with MockSTS():
        assert caller_identity(sts_client())["Arn"] == ADMIN_ARN
    with MockSTS(strict=True):
        assert caller_identity(sts_client())["Arn"] == ADMIN_ARN


@pytest.mark.sts_mock(strict=True)
def test_unknown_session_key_with_a_token_is_invalid_when_strict(sts_mock: MockSTS) -> None:
    client = sts_client(
        aws_access_key_id="ASIAY34FZKBOKMUTVV7A",
        aws_secret_access_key="x" * 40,
        aws_session_token="IQoJb3JpZ2luX2VjEMadeUp",
    )

    assert aws_error(client.get_caller_identity) == ("InvalidClientTokenId", INVALID_TOKEN, 403)


# ---------------------------------------------------------------------------------------
# Session tokens


def _session_of(sts_mock: MockSTS) -> tuple[dict[str, Any], Credentials]:
    alice = sts_mock.create_user("alice")
    return sts_client(alice.credentials).get_session_token()["Credentials"], alice.credentials


def test_session_credentials_with_their_token_work(sts_mock: MockSTS) -> None:
    session, _ = _session_of(sts_mock)
    client = sts_client(
        aws_access_key_id=session["AccessKeyId"],
        aws_secret_access_key=session["SecretAccessKey"],
        aws_session_token=session["SessionToken"],
    )

    assert caller_identity(client)["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/alice"


def test_session_credentials_without_their_token_are_invalid(sts_mock: MockSTS) -> None:
    session, _ = _session_of(sts_mock)
    client = sts_client(
        aws_access_key_id=session["AccessKeyId"],
        aws_secret_access_key=session["SecretAccessKey"],
    )

    assert aws_error(client.get_caller_identity) == ("InvalidClientTokenId", INVALID_TOKEN, 403)


@pytest.mark.parametrize("which", ["garbled", "another session's token", "truncated"])
def test_session_credentials_with_a_wrong_token_are_invalid(sts_mock: MockSTS, which: str) -> None:
    session, _ = _session_of(sts_mock)
    other = sts_client(sts_mock.admin_credentials()).get_session_token()["Credentials"]
    token = {
        "garbled": "IQoJb3JpZ2luX2VjEKr//////////wEaCXVzLWVhc3QtMSJGMEQCIFakeToken",
        "another session's token": other["SessionToken"],
        "truncated": session["SessionToken"][:-4],
    }[which]
    client = sts_client(
        aws_access_key_id=session["AccessKeyId"],
        aws_secret_access_key=session["SecretAccessKey"],
        aws_session_token=token,
    )

    assert aws_error(client.get_caller_identity) == ("InvalidClientTokenId", INVALID_TOKEN, 403)


def test_long_term_key_sent_with_a_session_token_is_invalid(sts_mock: MockSTS) -> None:
    session, long_term = _session_of(sts_mock)
    client = sts_client(
        aws_access_key_id=long_term.access_key_id,
        aws_secret_access_key=long_term.secret_access_key,
        aws_session_token=session["SessionToken"],
    )

    assert aws_error(client.get_caller_identity) == ("InvalidClientTokenId", INVALID_TOKEN, 403)


# ---------------------------------------------------------------------------------------
# Expiry of temporary credentials (§9.6)


def _session_client(session: dict[str, Any]) -> Any:
    return sts_client(
        aws_access_key_id=session["AccessKeyId"],
        aws_secret_access_key=session["SecretAccessKey"],
        aws_session_token=session["SessionToken"],
    )


def test_session_credentials_expire_with_time_machine(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    with time_machine.travel(T0, tick=False):
        session = sts_client(alice.credentials).get_session_token(DurationSeconds=900)[
            "Credentials"
        ]
    assert session["Expiration"] == T0 + dt.timedelta(seconds=900)
    client = _session_client(session)

    with time_machine.travel(T0 + dt.timedelta(seconds=899), tick=False):
        assert caller_identity(client)["Arn"] == alice.arn
    with time_machine.travel(T0 + dt.timedelta(seconds=900), tick=False):
        assert aws_error(client.get_caller_identity) == ("ExpiredToken", EXPIRED_TOKEN, 403)
    with time_machine.travel(T0 + dt.timedelta(days=3), tick=False):
        assert aws_error(client.get_caller_identity) == ("ExpiredToken", EXPIRED_TOKEN, 403)
    assert sts_mock.calls[-1] == Call(
        service="sts",
        action="GetCallerIdentity",
        params={},
        caller_arn=None,
        status=403,
        error_code="ExpiredToken",
        allowed=False,
        reason="the session expired at 2025-03-14T12:15:00Z",
    )


def test_session_credentials_expire_with_freezegun(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    with freezegun.freeze_time(T0):
        session = sts_client(alice.credentials).get_session_token(DurationSeconds=3600)[
            "Credentials"
        ]
    assert session["Expiration"] == T0 + dt.timedelta(seconds=3600)
    client = _session_client(session)

    with freezegun.freeze_time(T0 + dt.timedelta(seconds=3599)):
        assert caller_identity(client)["Arn"] == alice.arn
    with freezegun.freeze_time(T0 + dt.timedelta(seconds=3600)):
        assert aws_error(client.get_caller_identity) == ("ExpiredToken", EXPIRED_TOKEN, 403)
    with freezegun.freeze_time(T0 + dt.timedelta(hours=5)):
        assert aws_error(client.get_caller_identity) == ("ExpiredToken", EXPIRED_TOKEN, 403)


def test_default_user_session_is_valid_until_its_twelfth_hour(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    with time_machine.travel(T0, tick=False):
        session = sts_client(alice.credentials).get_session_token()["Credentials"]
    client = _session_client(session)

    with time_machine.travel(T0 + dt.timedelta(seconds=43199), tick=False):
        assert caller_identity(client)["Arn"] == alice.arn
    with time_machine.travel(T0 + dt.timedelta(seconds=43200), tick=False):
        assert aws_error(client.get_caller_identity) == ("ExpiredToken", EXPIRED_TOKEN, 403)


# ---------------------------------------------------------------------------------------
# Clock skew (§1.2): 15 minutes either way


_SIGNATURE_EXPIRED = re.compile(
    r"Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z "
    r"\(\d{8}T\d{6}Z - 15 min\.\)"
)
_NOT_YET_CURRENT = re.compile(
    r"Signature not yet current: \d{8}T\d{6}Z is still later than \d{8}T\d{6}Z "
    r"\(\d{8}T\d{6}Z \+ 15 min\.\)"
)


def test_request_signed_16_minutes_ago_has_an_expired_signature(sts_mock: MockSTS) -> None:
    signed_at = T0 - dt.timedelta(minutes=16)
    with time_machine.travel(signed_at, tick=False):
        request = signed_post(sts_mock.admin_credentials())
    with time_machine.travel(T0, tick=False):
        response = forward(request)

    code, message, status = http_error_of(response)
    assert (code, status) == ("SignatureDoesNotMatch", 403)
    assert _SIGNATURE_EXPIRED.fullmatch(message)
    assert message == (
        "Signature expired: 20250314T114400Z is now earlier than 20250314T114500Z "
        "(20250314T120000Z - 15 min.)"
    )


def test_request_signed_16_minutes_ahead_is_not_yet_current(sts_mock: MockSTS) -> None:
    signed_at = T0 + dt.timedelta(minutes=16)
    with time_machine.travel(signed_at, tick=False):
        request = signed_post(sts_mock.admin_credentials())
    with time_machine.travel(T0, tick=False):
        response = forward(request)

    code, message, status = http_error_of(response)
    assert (code, status) == ("SignatureDoesNotMatch", 403)
    assert _NOT_YET_CURRENT.fullmatch(message)
    assert message == (
        "Signature not yet current: 20250314T121600Z is still later than 20250314T121500Z "
        "(20250314T120000Z + 15 min.)"
    )


@pytest.mark.parametrize("offset_seconds", [-16 * 60 - 30, -3600, 16 * 60 + 7, 6 * 3600])
def test_skew_messages_quote_request_and_server_times(
    sts_mock: MockSTS, offset_seconds: int
) -> None:
    now = T0 + dt.timedelta(minutes=7, seconds=13)
    signed_at = now + dt.timedelta(seconds=offset_seconds)
    with time_machine.travel(signed_at, tick=False):
        request = signed_post(sts_mock.admin_credentials())
    with time_machine.travel(now, tick=False):
        response = forward(request)

    if offset_seconds < 0:
        expected = (
            f"Signature expired: {stamp(signed_at)} is now earlier than "
            f"{stamp(now - dt.timedelta(minutes=15))} ({stamp(now)} - 15 min.)"
        )
    else:
        expected = (
            f"Signature not yet current: {stamp(signed_at)} is still later than "
            f"{stamp(now + dt.timedelta(minutes=15))} ({stamp(now)} + 15 min.)"
        )
    assert http_error_of(response) == ("SignatureDoesNotMatch", expected, 403)


@pytest.mark.parametrize("offset_minutes", [-14, 14])
def test_skew_within_15_minutes_is_accepted(sts_mock: MockSTS, offset_minutes: int) -> None:
    with time_machine.travel(T0 + dt.timedelta(minutes=offset_minutes), tick=False):
        request = signed_post(sts_mock.admin_credentials())
    with time_machine.travel(T0, tick=False):
        response = forward(request)

    assert http_caller_identity(response)["Arn"] == ADMIN_ARN


# ---------------------------------------------------------------------------------------
# Unsigned requests


def test_unsigned_client_is_missing_authentication_token(sts_mock: MockSTS) -> None:
    client = sts_client(config=Config(signature_version=botocore.UNSIGNED))

    assert aws_error(client.get_caller_identity) == (
        "MissingAuthenticationToken",
        MISSING_AUTH,
        403,
    )
    assert aws_error(client.get_session_token) == ("MissingAuthenticationToken", MISSING_AUTH, 403)
    assert aws_error(lambda: client.get_access_key_info(AccessKeyId="AKIARZPUZDIKGB2VALC4")) == (
        "MissingAuthenticationToken",
        MISSING_AUTH,
        403,
    )
    assert [
        (call.action, call.caller_arn, call.status, call.error_code) for call in sts_mock.calls
    ] == [
        ("GetCallerIdentity", None, 403, "MissingAuthenticationToken"),
        ("GetSessionToken", None, 403, "MissingAuthenticationToken"),
        ("GetAccessKeyInfo", None, 403, "MissingAuthenticationToken"),
    ]


def test_unsigned_raw_get_is_missing_authentication_token(sts_mock: MockSTS) -> None:
    response = requests.get(f"{STS_URL}?{GET_CALLER_IDENTITY}", timeout=5)

    assert http_error_of(response) == ("MissingAuthenticationToken", MISSING_AUTH, 403)


def test_unsigned_raw_post_is_missing_authentication_token(sts_mock: MockSTS) -> None:
    response = requests.post(
        "https://sts.eu-west-1.amazonaws.com/",
        data=GET_CALLER_IDENTITY,
        headers={"Content-Type": FORM},
        timeout=5,
    )

    assert http_error_of(response) == ("MissingAuthenticationToken", MISSING_AUTH, 403)


def _post_with_authorization(authorization: str, **headers: str) -> requests.Response:
    return requests.post(
        STS_URL,
        data=GET_CALLER_IDENTITY,
        headers={"Content-Type": FORM, "Authorization": authorization, **headers},
        timeout=5,
    )


def test_authorization_header_without_any_parameter_is_incomplete(sts_mock: MockSTS) -> None:
    # AWS's SigV4 front end lists what is missing in this order: Credential, Signature,
    # SignedHeaders, then the date (the same text API Gateway and other AWS endpoints send).
    response = _post_with_authorization("AWS4-HMAC-SHA256")

    assert http_error_of(response) == (
        "IncompleteSignature",
        "Authorization header requires 'Credential' parameter. "
        "Authorization header requires 'Signature' parameter. "
        "Authorization header requires 'SignedHeaders' parameter. "
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
        "Authorization=AWS4-HMAC-SHA256",
        400,
    )


def test_authorization_header_without_a_signature_is_incomplete(sts_mock: MockSTS) -> None:
    admin = sts_mock.admin_credentials()
    authorization = (
        f"AWS4-HMAC-SHA256 Credential={admin.access_key_id}/20250314/us-east-1/sts/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date"
    )

    response = _post_with_authorization(authorization, **{"X-Amz-Date": "20250314T120000Z"})

    assert http_error_of(response) == (
        "IncompleteSignature",
        f"Authorization header requires 'Signature' parameter. Authorization={authorization}",
        400,
    )


# ---------------------------------------------------------------------------------------
# Presigned GetCallerIdentity URLs (Vault, EKS)


def test_presigned_get_caller_identity_returns_the_signers_identity(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    url = presigned_url(alice.credentials)

    response = requests.get(url, timeout=5)

    assert response.headers["Content-Type"] == "text/xml"
    assert http_caller_identity(response) == {
        "UserId": alice.user_id,
        "Account": ACCOUNT,
        "Arn": f"arn:aws:iam::{ACCOUNT}:user/alice",
    }
    assert sts_mock.calls[-1] == Call(
        service="sts",
        action="GetCallerIdentity",
        params={},
        caller_arn=alice.arn,
        status=200,
        error_code=None,
    )


def test_presigned_url_with_session_credentials(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    session = sts_client(alice.credentials).get_session_token()["Credentials"]
    credentials = SigningCredentials(
        session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"]
    )
    request = AWSRequest(method="GET", url=f"{STS_URL}?{GET_CALLER_IDENTITY}")
    SigV4QueryAuth(credentials, "sts", "us-east-1", expires=60).add_auth(request)
    assert "X-Amz-Security-Token=" in request.url

    assert http_caller_identity(requests.get(request.url, timeout=5))["Arn"] == alice.arn


def test_presigned_url_with_a_signed_cluster_header_as_eks_does(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    url = presigned_url(alice.credentials, headers={"x-k8s-aws-id": "my-cluster"})
    assert "x-k8s-aws-id" in url

    accepted = requests.get(url, headers={"x-k8s-aws-id": "my-cluster"}, timeout=5)
    assert http_caller_identity(accepted)["Arn"] == alice.arn

    other_cluster = requests.get(url, headers={"x-k8s-aws-id": "other-cluster"}, timeout=5)
    assert http_error_of(other_cluster) == ("SignatureDoesNotMatch", BAD_SIGNATURE, 403)


def test_presigned_url_lives_15_minutes_whatever_x_amz_expires_says(sts_mock: MockSTS) -> None:
    # STS ignores X-Amz-Expires (only S3 honours it): the 15-minute window applies.
    with time_machine.travel(T0, tick=False):
        url = presigned_url(sts_mock.admin_credentials(), expires=60)
        assert http_caller_identity(requests.get(url, timeout=5))["Arn"] == ADMIN_ARN
    with time_machine.travel(T0 + dt.timedelta(seconds=61), tick=False):
        assert http_caller_identity(requests.get(url, timeout=5))["Arn"] == ADMIN_ARN
    with time_machine.travel(T0 + dt.timedelta(minutes=15), tick=False):
        assert http_caller_identity(requests.get(url, timeout=5))["Arn"] == ADMIN_ARN
    with time_machine.travel(T0 + dt.timedelta(minutes=15, seconds=1), tick=False):
        assert http_error_of(requests.get(url, timeout=5)) == (
            "SignatureDoesNotMatch",
            "Signature expired: 20250314T120000Z is now earlier than 20250314T120001Z "
            "(20250314T121501Z - 15 min.)",
            403,
        )
    assert sts_mock.calls[-1].status == 403
    assert sts_mock.calls[-1].error_code == "SignatureDoesNotMatch"


def test_presigned_url_expires_with_freezegun_too(sts_mock: MockSTS) -> None:
    with freezegun.freeze_time(T0):
        url = presigned_url(sts_mock.admin_credentials(), expires=60)
    with freezegun.freeze_time(T0 + dt.timedelta(minutes=14)):
        assert http_caller_identity(requests.get(url, timeout=5))["Arn"] == ADMIN_ARN
    with freezegun.freeze_time(T0 + dt.timedelta(minutes=16)):
        assert http_error_of(requests.get(url, timeout=5))[0] == "SignatureDoesNotMatch"


VAULT_HEALTH = "https://vault.example/v1/sys/health"


def test_a_users_responses_mock_started_first_keeps_working_inside() -> None:
    with responses.RequestsMock() as user:
        user.get(VAULT_HEALTH, json={"initialized": True})
        with mock_sts() as sts:
            url = presigned_url(sts.create_user("alice").credentials)

            assert requests.get(VAULT_HEALTH, timeout=5).json() == {"initialized": True}
            assert http_caller_identity(requests.get(url, timeout=5))["Arn"].endswith(":user/alice")

        assert requests.get(VAULT_HEALTH, timeout=5).json() == {"initialized": True}
        assert [call.request.url for call in user.calls] == [VAULT_HEALTH, VAULT_HEALTH]


def test_a_users_responses_mock_started_inside_leaves_sts_to_the_mock(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    url = presigned_url(alice.credentials)
    with responses.RequestsMock() as user:
        user.get(VAULT_HEALTH, json={"initialized": True})

        assert http_caller_identity(requests.get(url, timeout=5))["Arn"] == alice.arn
        assert requests.get(VAULT_HEALTH, timeout=5).json() == {"initialized": True}
        with pytest.raises(requests.ConnectionError, match="Connection refused by Responses"):
            requests.get("https://vault.example/v1/auth/aws/login", timeout=5)

    assert http_caller_identity(requests.get(url, timeout=5))["Arn"] == alice.arn
    assert [call.action for call in sts_mock.calls][-2:] == ["GetCallerIdentity"] * 2


def test_a_users_responses_mock_owns_sts_urls_when_no_mock_is_active() -> None:
    with mock_sts() as sts:
        url = presigned_url(sts.create_user("alice").credentials)
    with responses.RequestsMock() as user:
        user.get(re.compile(r"https://sts\.amazonaws\.com/.*"), body="canned")

        assert requests.get(url, timeout=5).text == "canned"


def test_presigned_url_signed_in_the_future_is_not_yet_current(sts_mock: MockSTS) -> None:
    with time_machine.travel(T0 + dt.timedelta(minutes=20), tick=False):
        url = presigned_url(sts_mock.admin_credentials(), expires=60)
    with time_machine.travel(T0, tick=False):
        response = requests.get(url, timeout=5)

    assert http_error_of(response) == (
        "SignatureDoesNotMatch",
        "Signature not yet current: 20250314T122000Z is still later than 20250314T121500Z "
        "(20250314T120000Z + 15 min.)",
        403,
    )


def _tamper(url: str, old: str, new: str) -> str:
    assert old in url
    return url.replace(old, new, 1)


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("X-Amz-Expires=60", "X-Amz-Expires=900"),
        ("Version=2011-06-15", "Version=2011-06-15&DurationSeconds=900"),
        ("Action=GetCallerIdentity", "Action=GetCallerIdentity&Extra=1"),
        ("X-Amz-Date=20250314T120000Z", "X-Amz-Date=20250314T120001Z"),
    ],
    ids=["expires", "added-parameter", "added-unknown-parameter", "date"],
)
def test_tampered_presigned_query_is_signature_does_not_match(
    sts_mock: MockSTS, old: str, new: str
) -> None:
    with time_machine.travel(T0, tick=False):
        url = presigned_url(sts_mock.admin_credentials(), expires=60)
        response = requests.get(_tamper(url, old, new), timeout=5)

    assert http_error_of(response) == ("SignatureDoesNotMatch", BAD_SIGNATURE, 403)


def test_tampered_presigned_signature_is_signature_does_not_match(sts_mock: MockSTS) -> None:
    url = presigned_url(sts_mock.admin_credentials())
    signature = re.search(r"X-Amz-Signature=([0-9a-f]{64})", url)
    assert signature is not None
    flipped = signature.group(1)[:-1] + ("0" if signature.group(1)[-1] != "0" else "1")

    response = requests.get(_tamper(url, signature.group(1), flipped), timeout=5)

    assert http_error_of(response) == ("SignatureDoesNotMatch", BAD_SIGNATURE, 403)


def test_presigned_url_signed_with_a_wrong_secret(sts_mock: MockSTS) -> None:
    admin = sts_mock.admin_credentials()
    request = AWSRequest(method="GET", url=f"{STS_URL}?{GET_CALLER_IDENTITY}")
    credentials = SigningCredentials(admin.access_key_id, "not-the-secret")
    SigV4QueryAuth(credentials, "sts", "us-east-1", expires=60).add_auth(request)

    response = requests.get(request.url, timeout=5)

    assert http_error_of(response) == ("SignatureDoesNotMatch", BAD_SIGNATURE, 403)


# ---------------------------------------------------------------------------------------
# Header-signed requests forwarded with requests (Vault's iam auth method)


def test_forwarded_header_signed_post_returns_the_signers_identity(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    request = signed_post(alice.credentials)

    response = forward(request)

    assert http_caller_identity(response) == {
        "UserId": alice.user_id,
        "Account": ACCOUNT,
        "Arn": alice.arn,
    }


def test_forwarded_header_signed_post_with_session_credentials(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    session = sts_client(alice.credentials).get_session_token()["Credentials"]
    request = AWSRequest(
        method="POST", url=STS_URL, data=GET_CALLER_IDENTITY, headers={"Content-Type": FORM}
    )
    SigV4Auth(
        SigningCredentials(
            session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"]
        ),
        "sts",
        "us-east-1",
    ).add_auth(request)
    assert request.headers["X-Amz-Security-Token"] == session["SessionToken"]

    assert http_caller_identity(forward(request))["Arn"] == alice.arn


def test_forwarded_post_with_a_modified_body_is_signature_does_not_match(
    sts_mock: MockSTS,
) -> None:
    request = signed_post(sts_mock.admin_credentials())

    response = requests.post(
        request.url,
        data=GET_CALLER_IDENTITY + "&Extra=1",
        headers=dict(request.headers),
        timeout=5,
    )

    assert http_error_of(response) == ("SignatureDoesNotMatch", BAD_SIGNATURE, 403)


def test_signed_for_iam_and_sent_to_sts_is_signature_does_not_match(sts_mock: MockSTS) -> None:
    request = signed_post(sts_mock.admin_credentials(), service="iam")

    assert http_error_of(forward(request)) == (
        "SignatureDoesNotMatch",
        "Credential should be scoped to correct service: 'sts'. ",
        403,
    )


def test_presigned_for_iam_and_sent_to_sts_is_signature_does_not_match(
    sts_mock: MockSTS,
) -> None:
    url = presigned_url(sts_mock.admin_credentials(), service="iam")

    assert http_error_of(requests.get(url, timeout=5)) == (
        "SignatureDoesNotMatch",
        "Credential should be scoped to correct service: 'sts'. ",
        403,
    )


def test_global_endpoint_signed_for_another_region_is_signature_does_not_match(
    sts_mock: MockSTS,
) -> None:
    # The global endpoint is signed for us-east-1 (§1.2); AWS's text carries a trailing space.
    request = signed_post(sts_mock.admin_credentials(), region="ap-southeast-2")

    assert http_error_of(forward(request)) == (
        "SignatureDoesNotMatch",
        "Credential should be scoped to a valid region, not 'ap-southeast-2'. ",
        403,
    )


def test_regional_endpoint_signed_for_its_region_is_accepted(sts_mock: MockSTS) -> None:
    request = signed_post(
        sts_mock.admin_credentials(), region="eu-west-1", url="https://sts.eu-west-1.amazonaws.com/"
    )

    assert http_caller_identity(forward(request))["Arn"] == ADMIN_ARN


# ---------------------------------------------------------------------------------------
# What is intercepted, and when


@pytest.fixture
def network_guard(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Hosts the network layer was asked to resolve; only loopback is let through.

    A request that reaches the guard was not answered by the mock, and no packet leaves the
    machine whether or not it has internet access.
    """
    looked_up: list[str] = []
    real_getaddrinfo = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        looked_up.append(name)
        if name not in ("127.0.0.1", "localhost", "::1"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    return looked_up


def test_requests_to_sts_are_not_intercepted_without_an_active_mock(
    network_guard: list[str],
) -> None:
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{STS_URL}?{GET_CALLER_IDENTITY}", timeout=1)

    assert network_guard == ["sts.amazonaws.com"]


def test_requests_to_sts_are_not_intercepted_after_the_mock_stops(
    network_guard: list[str],
) -> None:
    with MockSTS():
        served = requests.get(f"{STS_URL}?{GET_CALLER_IDENTITY}", timeout=1)
        assert http_error_of(served)[0] == "MissingAuthenticationToken"
    assert network_guard == []

    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"{STS_URL}?{GET_CALLER_IDENTITY}", timeout=1)
    assert network_guard == ["sts.amazonaws.com"]


def test_botocore_is_not_intercepted_without_an_active_mock(network_guard: list[str]) -> None:
    client = sts_client(
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=1),
    )

    with pytest.raises(EndpointConnectionError):
        client.get_caller_identity()
    assert network_guard == ["sts.us-east-1.amazonaws.com"]


@pytest.fixture
def local_server() -> Iterator[str]:
    """A tiny HTTP server on loopback that answers every GET with its own body."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = f"local server saw {self.path}".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_non_aws_urls_pass_through_while_a_mock_is_active(
    sts_mock: MockSTS, local_server: str, network_guard: list[str]
) -> None:
    response = requests.get(f"{local_server}/?{GET_CALLER_IDENTITY}", timeout=5)

    assert response.status_code == 200
    assert response.text == f"local server saw /?{GET_CALLER_IDENTITY}"
    assert network_guard == ["127.0.0.1"]
    assert sts_mock.calls == ()


def test_sts_and_local_urls_side_by_side(
    sts_mock: MockSTS, local_server: str, network_guard: list[str]
) -> None:
    served = requests.get(presigned_url(sts_mock.admin_credentials()), timeout=5)
    passed = requests.get(f"{local_server}/health", timeout=5)

    assert http_caller_identity(served)["Arn"] == ADMIN_ARN
    assert passed.text == "local server saw /health"
    assert network_guard == ["127.0.0.1"]
    assert len(sts_mock.calls) == 1
