"""Attacker-shaped SigV4 requests: replays outside the clock-skew window, stale presigned
URLs, tampered headers, missing or foreign session tokens, and keys that were deleted or
deactivated. Each gets AWS's error (STS_REFERENCE §1.2, §2.1, §9.6) and changes nothing.

Requests are signed by botocore's own signers and sent as an attacker replays them, with
``requests``, through the mock's HTTP interception.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
import requests
import time_machine
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest

from mock_sts import MockSTS
from tests.helpers import NS, aws_error, client, http_error_of, signing, stamp, sts_client

if TYPE_CHECKING:
    from mock_sts import Credentials

ACCOUNT = "123456789012"
STS_URL = "https://sts.amazonaws.com/"
GET_CALLER_IDENTITY = "Action=GetCallerIdentity&Version=2011-06-15"
FORM = "application/x-www-form-urlencoded; charset=utf-8"
T0 = dt.datetime(2025, 3, 14, 12, 0, 0, tzinfo=dt.timezone.utc)

BAD_SIGNATURE = (
    "SignatureDoesNotMatch",
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details.",
    403,
)
INVALID_TOKEN = (
    "InvalidClientTokenId",
    "The security token included in the request is invalid.",
    403,
)
EXPIRED_TOKEN = ("ExpiredToken", "The security token included in the request is expired", 403)
ADMIN_POLICY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
}


def too_old(signed_at: dt.datetime, now: dt.datetime) -> tuple[str, str, int]:
    earliest = now - dt.timedelta(minutes=15)
    return (
        "SignatureDoesNotMatch",
        f"Signature expired: {stamp(signed_at)} is now earlier than {stamp(earliest)} "
        f"({stamp(now)} - 15 min.)",
        403,
    )


def too_new(signed_at: dt.datetime, now: dt.datetime) -> tuple[str, str, int]:
    latest = now + dt.timedelta(minutes=15)
    return (
        "SignatureDoesNotMatch",
        f"Signature not yet current: {stamp(signed_at)} is still later than {stamp(latest)} "
        f"({stamp(now)} + 15 min.)",
        403,
    )


def signed(
    credentials: Credentials | dict[str, Any],
    body: str = GET_CALLER_IDENTITY,
    *,
    headers: dict[str, str] | None = None,
    url: str = STS_URL,
    service: str = "sts",
) -> AWSRequest:
    """A header-signed query-protocol POST, signed now (as time_machine has it)."""
    request = AWSRequest(
        method="POST", url=url, data=body, headers={"Content-Type": FORM, **(headers or {})}
    )
    SigV4Auth(signing(credentials), service, "us-east-1").add_auth(request)
    return request


def send(request: AWSRequest, *, url: str | None = None, **headers: str) -> requests.Response:
    """``request`` replayed as captured, with ``headers`` replaced (or added)."""
    sent = {**dict(request.headers), **headers}
    return requests.post(url or request.url, data=request.body, headers=sent, timeout=5)


def presigned(credentials: Credentials | dict[str, Any], *, expires: Any = 60) -> str:
    """A presigned GetCallerIdentity URL (the EKS and Vault token), signed now."""
    request = AWSRequest(method="GET", url=f"{STS_URL}?{GET_CALLER_IDENTITY}")
    SigV4QueryAuth(signing(credentials), "sts", "us-east-1", expires=expires).add_auth(request)
    url: str = request.url
    return url


def with_query(url: str, **changes: str | None) -> str:
    """``url`` with query parameters replaced, added, or (None) removed."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    for name, value in changes.items():
        name = name.replace("_", "-")
        if value is None:
            del query[name]
        else:
            query[name] = value
    return parts._replace(query=urlencode(query)).geturl()


def caller_of(response: requests.Response) -> str:
    """The Arn of a successful GetCallerIdentity."""
    assert response.status_code == 200, response.text
    arn = ET.fromstring(response.content).findtext(
        "sts:GetCallerIdentityResult/sts:Arn", namespaces=NS
    )
    assert arn is not None
    return arn


def session_of(sts_mock: MockSTS, user: str = "alice", duration: int = 900) -> dict[str, Any]:
    owner = sts_mock.create_user(user)
    credentials: dict[str, Any] = sts_client(owner.credentials).get_session_token(
        DurationSeconds=duration
    )["Credentials"]
    return credentials


def backend_sessions(sts_mock: MockSTS) -> dict[str, Any]:
    return dict(sts_mock._require_backend().sessions)


# ---------------------------------------------------------------------------------------
# Replays outside the 15-minute window


@pytest.mark.parametrize("late", [0, 1, 899, 900])
def test_a_replay_inside_the_window_is_served(sts_mock: MockSTS, late: int) -> None:
    # SigV4 has no nonce: within the window AWS serves a replay like the original.
    with time_machine.travel(T0, tick=False):
        request = signed(sts_mock.admin_credentials())
    with time_machine.travel(T0 + dt.timedelta(seconds=late), tick=False):
        assert caller_of(send(request)) == f"arn:aws:iam::{ACCOUNT}:user/admin"


@pytest.mark.parametrize("late", [901, 902, 3600, 86_400 * 365])
def test_a_replay_past_the_window_has_an_expired_signature(sts_mock: MockSTS, late: int) -> None:
    with time_machine.travel(T0, tick=False):
        request = signed(sts_mock.admin_credentials())
    now = T0 + dt.timedelta(seconds=late)
    with time_machine.travel(now, tick=False):
        assert http_error_of(send(request)) == too_old(T0, now)


@pytest.mark.parametrize(("early", "served"), [(900, True), (901, False), (86_400, False)])
def test_a_request_signed_ahead_of_the_window(sts_mock: MockSTS, early: int, served: bool) -> None:
    signed_at = T0 + dt.timedelta(seconds=early)
    with time_machine.travel(signed_at, tick=False):
        request = signed(sts_mock.admin_credentials())
    with time_machine.travel(T0, tick=False):
        response = send(request)
    if served:
        assert caller_of(response) == f"arn:aws:iam::{ACCOUNT}:user/admin"
    else:
        assert http_error_of(response) == too_new(signed_at, T0)


def test_a_replayed_assume_role_issues_nothing(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"all": ADMIN_POLICY})
    role = sts_mock.create_role(
        "deployer",
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": alice.arn}, "Action": "sts:AssumeRole"}
            ],
        },
    )
    body = f"Action=AssumeRole&Version=2011-06-15&RoleArn={role.arn}&RoleSessionName=ci"
    with time_machine.travel(T0, tick=False):
        request = signed(alice.credentials, body)
        assert send(request).status_code == 200
    issued = backend_sessions(sts_mock)

    now = T0 + dt.timedelta(minutes=15, seconds=1)
    with time_machine.travel(now, tick=False):
        assert http_error_of(send(request)) == too_old(T0, now)
    assert backend_sessions(sts_mock) == issued
    assert (sts_mock.calls[-1].action, sts_mock.calls[-1].error_code) == (
        "AssumeRole",
        "SignatureDoesNotMatch",
    )


def test_a_replay_inside_the_window_of_expired_session_credentials(sts_mock: MockSTS) -> None:
    # A fresh signature does not revive credentials that expired meanwhile.
    with time_machine.travel(T0, tick=False):
        session = session_of(sts_mock, duration=900)
    with time_machine.travel(T0 + dt.timedelta(seconds=899), tick=False):
        request = signed(session)
        assert caller_of(send(request)).endswith(":user/alice")
    with time_machine.travel(T0 + dt.timedelta(seconds=900), tick=False):
        assert http_error_of(send(request)) == EXPIRED_TOKEN


# ---------------------------------------------------------------------------------------
# Presigned URLs: STS ignores X-Amz-Expires, the 15-minute window alone decides


@pytest.mark.parametrize(
    "expires",
    [1, 60, 0, -1, 604_800, 604_801, 10**30, "abc", ""],
    ids=["1", "60", "0", "negative", "week", "over-a-week", "huge", "text", "empty"],
)
def test_x_amz_expires_neither_extends_nor_shortens_a_url(sts_mock: MockSTS, expires: Any) -> None:
    with time_machine.travel(T0, tick=False):
        url = presigned(sts_mock.admin_credentials(), expires=expires)
    assert f"X-Amz-Expires={expires}" in url
    with time_machine.travel(T0 + dt.timedelta(seconds=2), tick=False):
        assert caller_of(requests.get(url, timeout=5)).endswith(":user/admin")
    with time_machine.travel(T0 + dt.timedelta(seconds=900), tick=False):
        assert caller_of(requests.get(url, timeout=5)).endswith(":user/admin")
    now = T0 + dt.timedelta(seconds=901)
    with time_machine.travel(now, tick=False):
        assert http_error_of(requests.get(url, timeout=5)) == too_old(T0, now)


@pytest.mark.parametrize(
    "change",
    [
        {"X_Amz_Expires": None},
        {"X_Amz_Expires": "604800"},
        {"X_Amz_Date": stamp(T0 + dt.timedelta(minutes=10))},
        {"X_Amz_SignedHeaders": "host;x-amz-date"},
        {"Action": "GetSessionToken"},
    ],
    ids=["expires-removed", "expires-raised", "date-moved", "signed-headers", "action"],
)
def test_a_tampered_presigned_url(sts_mock: MockSTS, change: dict[str, str | None]) -> None:
    with time_machine.travel(T0, tick=False):
        url = presigned(sts_mock.admin_credentials())
        assert http_error_of(requests.get(with_query(url, **change), timeout=5)) == BAD_SIGNATURE


# ---------------------------------------------------------------------------------------
# The signed host: what binds a forwarded request (Vault's and EKS's login) to its endpoint

HOST_NOT_SIGNED = (
    "SignatureDoesNotMatch",
    "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
    403,
)
REGIONAL_URL = "https://sts.us-east-1.amazonaws.com/"


def _hostless_signer(signer: Any) -> Any:
    """botocore's ``signer``, signing every header it signs but the host: a correct signature
    over a request that any endpoint would compute alike."""
    sign_all = signer.headers_to_sign

    def headers_to_sign(request: AWSRequest) -> Any:
        headers = sign_all(request)
        del headers["host"]
        return headers

    signer.headers_to_sign = headers_to_sign
    return signer


def hostless(
    credentials: Credentials | dict[str, Any],
    body: str = GET_CALLER_IDENTITY,
    *,
    url: str = STS_URL,
    service: str = "sts",
) -> AWSRequest:
    request = AWSRequest(method="POST", url=url, data=body, headers={"Content-Type": FORM})
    _hostless_signer(SigV4Auth(signing(credentials), service, "us-east-1")).add_auth(request)
    assert "host" not in _signed_names(request.headers["Authorization"])
    return request


# The header an EKS token signs besides the host: the cluster it is meant for.
CLUSTER = {"x-k8s-aws-id": "prod"}


def hostless_presigned(credentials: Credentials | dict[str, Any]) -> str:
    """A presigned GetCallerIdentity as EKS tokens are made (the cluster's name signed in a
    header that is sent along), but without the host."""
    request = AWSRequest(method="GET", url=f"{STS_URL}?{GET_CALLER_IDENTITY}", headers=CLUSTER)
    signer = SigV4QueryAuth(signing(credentials), "sts", "us-east-1", expires=60)
    _hostless_signer(signer).add_auth(request)
    url: str = request.url
    assert dict(parse_qsl(urlsplit(url).query))["X-Amz-SignedHeaders"] == "x-k8s-aws-id"
    return url


def _signed_names(authorization: str) -> list[str]:
    match = re.search(r"SignedHeaders=([^,]*)", authorization)
    assert match is not None
    return match.group(1).split(";")


@pytest.mark.parametrize(
    ("url", "service", "body"),
    [
        (STS_URL, "sts", GET_CALLER_IDENTITY),
        (REGIONAL_URL, "sts", GET_CALLER_IDENTITY),
        ("https://iam.amazonaws.com/", "iam", "Action=ListUsers&Version=2010-05-08"),
    ],
    ids=["sts-global", "sts-regional", "iam"],
)
def test_a_header_signed_request_must_sign_its_host(
    sts_mock: MockSTS, url: str, service: str, body: str
) -> None:
    request = hostless(sts_mock.admin_credentials(), body, url=url, service=service)
    response = send(request)
    # IAM's error body is STS's in IAM's namespace.
    error = ET.fromstring(response.content).find("{*}Error")
    assert error is not None
    code, message = error.findtext("{*}Code"), error.findtext("{*}Message")
    assert (code, message, response.status_code) == HOST_NOT_SIGNED


def test_a_hostless_request_is_refused_wherever_it_is_replayed(sts_mock: MockSTS) -> None:
    # Signed for one endpoint and replayed to another, it would otherwise verify at both.
    alice = sts_mock.create_user("alice")
    request = hostless(alice.credentials)
    for url in (STS_URL, REGIONAL_URL, "https://sts.eu-west-1.amazonaws.com/"):
        assert http_error_of(send(request, url=url)) == HOST_NOT_SIGNED
    assert [call.error_code for call in sts_mock.calls] == ["SignatureDoesNotMatch"] * 3


def test_a_hostless_assume_role_issues_nothing(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"all": ADMIN_POLICY})
    role = sts_mock.create_role(
        "deployer",
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": alice.arn}, "Action": "sts:AssumeRole"}
            ],
        },
    )
    issued = backend_sessions(sts_mock)
    body = f"Action=AssumeRole&Version=2011-06-15&RoleArn={role.arn}&RoleSessionName=ci"
    session = session_of(sts_mock, "bob")

    assert http_error_of(send(hostless(alice.credentials, body))) == HOST_NOT_SIGNED
    assert http_error_of(send(hostless(session))) == HOST_NOT_SIGNED
    assert set(backend_sessions(sts_mock)) - set(issued) == {session["AccessKeyId"]}


def test_a_presigned_url_must_sign_its_host(sts_mock: MockSTS) -> None:
    # The EKS and Vault token: a presigned GetCallerIdentity that a server forwards.
    url = hostless_presigned(sts_mock.admin_credentials())
    assert http_error_of(requests.get(url, headers=CLUSTER, timeout=5)) == HOST_NOT_SIGNED
    elsewhere = url.replace(STS_URL, REGIONAL_URL)
    assert http_error_of(requests.get(elsewhere, headers=CLUSTER, timeout=5)) == HOST_NOT_SIGNED
    # Signed with it, the same URL is served where it was signed for, and only there.
    signed_url = presigned(sts_mock.admin_credentials())
    assert caller_of(requests.get(signed_url, timeout=5)).endswith(":user/admin")
    moved = signed_url.replace(STS_URL, REGIONAL_URL)
    assert http_error_of(requests.get(moved, timeout=5)) == BAD_SIGNATURE


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (lambda names: names.replace("host;", ""), HOST_NOT_SIGNED),
        (lambda names: names.replace("host", "hostname"), HOST_NOT_SIGNED),
        # HTTP/2's name for the host does satisfy the rule; no such header reaches an
        # HTTP/1.1 endpoint, so the signature cannot match.
        (lambda names: names.replace("host", ":authority"), BAD_SIGNATURE),
    ],
    ids=["dropped", "renamed", "authority"],
)
def test_signed_headers_rewritten_around_the_host(
    sts_mock: MockSTS, names: Any, expected: tuple[str, str, int]
) -> None:
    request = signed(sts_mock.admin_credentials())
    authorization = _signed_headers(request, names)
    assert http_error_of(send(request, Authorization=authorization)) == expected


@pytest.mark.parametrize("value", ["x-amz-date", "content-type;x-amz-date", "hosts"])
def test_presigned_signed_headers_rewritten_around_the_host(sts_mock: MockSTS, value: str) -> None:
    url = with_query(presigned(sts_mock.admin_credentials()), X_Amz_SignedHeaders=value)
    assert http_error_of(requests.get(url, timeout=5)) == HOST_NOT_SIGNED


# ---------------------------------------------------------------------------------------
# Tampered headers


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("X-Amz-Date", stamp(T0 + dt.timedelta(seconds=1))),
        ("Content-Type", "text/plain"),
        ("X-Tenant", "victim"),
    ],
    ids=["date", "content-type", "custom"],
)
def test_a_signed_header_changed(sts_mock: MockSTS, name: str, value: str) -> None:
    with time_machine.travel(T0, tick=False):
        request = signed(sts_mock.admin_credentials(), headers={"X-Tenant": "attacker"})
        assert "x-tenant" in request.headers["Authorization"]
        assert http_error_of(send(request, **{name: value})) == BAD_SIGNATURE


def test_the_signed_host_changed(sts_mock: MockSTS) -> None:
    request = signed(sts_mock.admin_credentials())
    assert http_error_of(send(request, url="https://sts.us-east-1.amazonaws.com/")) == BAD_SIGNATURE


def _signed_headers(request: AWSRequest, change: Any) -> str:
    authorization: str = request.headers["Authorization"]
    match = re.search(r"SignedHeaders=([^,]*)", authorization)
    assert match is not None
    return authorization.replace(match.group(0), f"SignedHeaders={change(match.group(1))}")


@pytest.mark.parametrize("sent", [False, True], ids=["missing", "sent-unsigned"])
def test_a_header_added_to_signed_headers(sts_mock: MockSTS, sent: bool) -> None:
    request = signed(sts_mock.admin_credentials())
    authorization = _signed_headers(request, lambda names: f"{names};x-evil")
    extra = {"X-Evil": "1"} if sent else {}
    assert http_error_of(send(request, Authorization=authorization, **extra)) == BAD_SIGNATURE


def test_a_header_dropped_from_signed_headers(sts_mock: MockSTS) -> None:
    request = signed(sts_mock.admin_credentials())
    authorization = _signed_headers(request, lambda names: names.replace("content-type;", ""))
    assert http_error_of(send(request, Authorization=authorization)) == BAD_SIGNATURE


def test_signed_headers_emptied(sts_mock: MockSTS) -> None:
    request = signed(sts_mock.admin_credentials())
    authorization = _signed_headers(request, lambda names: "")
    assert http_error_of(send(request, Authorization=authorization)) == (
        "IncompleteSignature",
        f"Authorization header requires 'SignedHeaders' parameter. Authorization={authorization}",
        400,
    )


def test_an_unsigned_header_added_is_ignored(sts_mock: MockSTS) -> None:
    # AWS reads only what is signed: an extra header neither helps nor hurts.
    request = signed(sts_mock.admin_credentials())
    assert caller_of(send(request, **{"X-Amz-Target": "AssumeRole"})).endswith(":user/admin")


def test_an_unsigned_session_token_added_to_long_term_keys(sts_mock: MockSTS) -> None:
    session = session_of(sts_mock)
    request = signed(sts_mock.admin_credentials())
    response = send(request, **{"X-Amz-Security-Token": session["SessionToken"]})
    assert http_error_of(response) == INVALID_TOKEN


# ---------------------------------------------------------------------------------------
# Missing and foreign session tokens


def test_a_session_token_without_a_signature(sts_mock: MockSTS) -> None:
    session = session_of(sts_mock)
    response = requests.post(
        STS_URL,
        data=GET_CALLER_IDENTITY,
        headers={"Content-Type": FORM, "X-Amz-Security-Token": session["SessionToken"]},
        timeout=5,
    )
    assert http_error_of(response) == (
        "MissingAuthenticationToken",
        "Request is missing Authentication Token",
        403,
    )


@pytest.mark.parametrize("which", ["removed", "another session's", "another account's"])
def test_a_presigned_url_with_a_missing_or_foreign_token(sts_mock: MockSTS, which: str) -> None:
    session = session_of(sts_mock)
    url = presigned(session)
    other = {
        "another session's": lambda: session_of(sts_mock, "bob")["SessionToken"],
        "another account's": lambda: sts_client(
            sts_mock.admin_credentials("210987654321")
        ).get_session_token()["Credentials"]["SessionToken"],
    }
    token = other[which]() if which in other else None
    assert http_error_of(requests.get(with_query(url, X_Amz_Security_Token=token), timeout=5)) == (
        INVALID_TOKEN
    )


def test_a_header_signed_request_with_another_accounts_token(sts_mock: MockSTS) -> None:
    session = session_of(sts_mock)
    foreign = sts_client(sts_mock.admin_credentials("210987654321")).get_session_token()
    stolen = {**session, "SessionToken": foreign["Credentials"]["SessionToken"]}
    assert aws_error(sts_client(stolen).get_caller_identity) == INVALID_TOKEN


def test_a_presigned_url_of_long_term_keys_with_a_session_token(sts_mock: MockSTS) -> None:
    session = session_of(sts_mock)
    admin = sts_mock.admin_credentials()
    forged = {
        "AccessKeyId": admin.access_key_id,
        "SecretAccessKey": admin.secret_access_key,
        "SessionToken": session["SessionToken"],
    }
    assert http_error_of(requests.get(presigned(forged), timeout=5)) == INVALID_TOKEN


@pytest.mark.sts_mock(strict=True)
def test_session_credentials_of_an_earlier_mock(sts_mock: MockSTS) -> None:
    with MockSTS(strict=True) as earlier:
        alice = earlier.create_user("alice")
        stale = sts_client(alice.credentials).get_session_token()["Credentials"]
    assert aws_error(sts_client(stale).get_caller_identity) == INVALID_TOKEN
    assert http_error_of(requests.get(presigned(stale), timeout=5)) == INVALID_TOKEN


# ---------------------------------------------------------------------------------------
# Keys of deleted users, deactivated keys


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_the_keys_of_a_deleted_user(strict: bool) -> None:
    with MockSTS(strict=strict) as sts_mock:
        alice = sts_mock.create_user("alice", policies={"all": ADMIN_POLICY})
        with time_machine.travel(T0, tick=False):
            url = presigned(alice.credentials)
            captured = signed(alice.credentials)
        admin = client("iam", sts_mock.admin_credentials())
        admin.delete_user_policy(UserName="alice", PolicyName="all")
        admin.delete_access_key(UserName="alice", AccessKeyId=alice.credentials.access_key_id)
        admin.delete_user(UserName="alice")

        def refused_everywhere() -> None:
            assert aws_error(sts_client(alice.credentials).get_caller_identity) == INVALID_TOKEN
            assert aws_error(client("iam", alice.credentials).list_users) == INVALID_TOKEN
            with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
                assert http_error_of(requests.get(url, timeout=5)) == INVALID_TOKEN
                assert http_error_of(send(captured)) == INVALID_TOKEN

        refused_everywhere()
        # A namesake is another user: the old key is not its key.
        admin.create_user(UserName="alice")
        admin.attach_user_policy(
            UserName="alice", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
        )
        refused_everywhere()
        assert all(call.status < 500 for call in sts_mock.calls)


def test_a_session_of_a_deleted_user_gains_nothing_from_a_namesake(sts_mock: MockSTS) -> None:
    session = session_of(sts_mock)
    role = sts_mock.create_role(
        "ops",
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": ACCOUNT}, "Action": "sts:AssumeRole"}
            ],
        },
    )
    admin = client("iam", sts_mock.admin_credentials())
    for key in admin.list_access_keys(UserName="alice")["AccessKeyMetadata"]:
        admin.delete_access_key(UserName="alice", AccessKeyId=key["AccessKeyId"])
    admin.delete_user(UserName="alice")
    namesake = admin.create_user(UserName="alice")["User"]
    admin.attach_user_policy(
        UserName="alice", PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess"
    )

    assert aws_error(
        lambda: sts_client(session).assume_role(RoleArn=role.arn, RoleSessionName="x1")
    ) == (
        "AccessDenied",
        f"User: {namesake['Arn']} is not authorized to perform: sts:AssumeRole on resource: "
        f"{role.arn}",
        403,
    )


def test_a_deactivated_key_presigned_and_replayed(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice", policies={"all": ADMIN_POLICY})
    key_id = alice.credentials.access_key_id
    with time_machine.travel(T0, tick=False):
        url = presigned(alice.credentials)
        captured = signed(alice.credentials, "Action=ListUsers&Version=2010-05-08", service="iam")
    admin = client("iam", sts_mock.admin_credentials())
    admin.update_access_key(UserName="alice", AccessKeyId=key_id, Status="Inactive")

    with time_machine.travel(T0 + dt.timedelta(minutes=1), tick=False):
        assert http_error_of(requests.get(url, timeout=5)) == INVALID_TOKEN
        iam_response = send(captured, url="https://iam.amazonaws.com/")
        assert iam_response.status_code == 403
        assert "<Code>InvalidClientTokenId</Code>" in iam_response.text

    admin.update_access_key(UserName="alice", AccessKeyId=key_id, Status="Active")
    with time_machine.travel(T0 + dt.timedelta(minutes=2), tick=False):
        assert caller_of(requests.get(url, timeout=5)) == alice.arn


def test_a_request_signed_before_its_key_was_deleted(sts_mock: MockSTS) -> None:
    alice = sts_mock.create_user("alice")
    request = signed(alice.credentials)
    client("iam", sts_mock.admin_credentials()).delete_access_key(
        UserName="alice", AccessKeyId=alice.credentials.access_key_id
    )
    assert http_error_of(send(request)) == INVALID_TOKEN
    assert sts_mock.calls[-1].caller_arn is None
