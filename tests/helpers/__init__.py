"""The suite's shared vocabulary: clients, error extractors, signing and serving helpers.

Each name here has one meaning across the suite; the modules beside this one add the
vocabulary of one area (policy documents, AssumeRole set-up, SAML, web identity, fuzzing).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import signal
import subprocess
import sys
import threading
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from http.server import ThreadingHTTPServer
from typing import Any, Generic, TypeVar

import boto3
import pytest
import requests
from botocore import UNSIGNED
from botocore.config import Config
from botocore.credentials import Credentials as SigningCredentials
from botocore.exceptions import ClientError

from mock_sts import Credentials, MockSTS, server

IAM_FULL_ACCESS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}],
}
INVALID_TOKEN = (
    "InvalidClientTokenId",
    "The security token included in the request is invalid.",
    403,
)
NS = {"sts": "https://sts.amazonaws.com/doc/2011-06-15/"}
# The members of a Role structure that every answer carries: an instance profile's role, and
# the roles AcquireRole makes (IAM API Reference, AcquireRole example).
ROLE_SUMMARY_MEMBERS = {
    "Path",
    "RoleName",
    "RoleId",
    "Arn",
    "CreateDate",
    "AssumeRolePolicyDocument",
}


# ---------------------------------------------------------------------------------------
# Clients


def client(
    service: str,
    credentials: Credentials | Mapping[str, Any] | None = None,
    *,
    region: str | None = "us-east-1",
    **options: Any,
) -> Any:
    """A boto3 client of ``service`` in ``region``, signing with ``credentials``: a mock's
    Credentials, or the Credentials structure of an STS response (or an IAM access key);
    without them, with the environment's keys (the active mock's admin)."""
    return boto3.client(service, region_name=region, **keys_of(credentials), **options)


def keys_of(credentials: Credentials | Mapping[str, Any] | None) -> dict[str, Any]:
    """boto3's keyword arguments for ``credentials`` (as ``client`` takes them)."""
    if credentials is None:
        return {}
    if isinstance(credentials, Credentials):
        return credentials.as_boto3()
    keys = {
        "aws_access_key_id": credentials["AccessKeyId"],
        "aws_secret_access_key": credentials["SecretAccessKey"],
    }
    if "SessionToken" in credentials:
        keys["aws_session_token"] = credentials["SessionToken"]
    return keys


def sts_client(
    credentials: Credentials | Mapping[str, Any] | None = None,
    region: str = "us-east-1",
    **options: Any,
) -> Any:
    """An STS client signing with ``credentials`` (default: the admin from the environment)."""
    return client("sts", credentials, region=region, **options)


def session_client(response: Mapping[str, Any], service: str = "sts", **options: Any) -> Any:
    """A client signing with the credentials of an AssumeRole* or GetSessionToken response."""
    return client(service, response["Credentials"], **options)


def unsigned_sts(region: str = "us-east-1", **config: Any) -> Any:
    """An STS client with no credentials: it can only make the unsigned calls."""
    return boto3.client(
        "sts", region_name=region, config=Config(signature_version=UNSIGNED, **config)
    )


# ---------------------------------------------------------------------------------------
# Answers


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str, int]:
    """The (code, message, HTTP status) of the ClientError caught in ``excinfo``."""
    response = excinfo.value.response
    return (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    )


def aws_error(call: Callable[[], object]) -> tuple[str, str, int]:
    """The (code, message, HTTP status) of the ClientError ``call`` raises."""
    with pytest.raises(ClientError) as excinfo:
        call()
    return error_of(excinfo)


def http_error_of(response: requests.Response) -> tuple[str, str, int]:
    """The (code, message, HTTP status) of a raw response's AWS query-protocol error body."""
    root = ET.fromstring(response.content)
    assert root.tag == f"{{{NS['sts']}}}ErrorResponse", response.text
    assert root.findtext("sts:Error/sts:Type", namespaces=NS) == "Sender"
    code = root.findtext("sts:Error/sts:Code", namespaces=NS)
    message = root.findtext("sts:Error/sts:Message", namespaces=NS)
    assert code is not None
    assert message is not None
    return code, message, response.status_code


def caller_identity(client: Any) -> dict[str, str]:
    """GetCallerIdentity's three values, from a call that must succeed."""
    result = client.get_caller_identity()
    assert result["ResponseMetadata"]["HTTPStatusCode"] == 200
    return {key: result[key] for key in ("UserId", "Account", "Arn")}


def no_policy_allows(caller_arn: str, action: str, resource: str) -> tuple[str, str, int]:
    """AWS's AccessDenied for ``caller_arn`` on ``action`` (as ``iam:GetUser``) and ``resource``
    when no identity-based policy allows it."""
    return (
        "AccessDenied",
        f"User: {caller_arn} is not authorized to perform: {action} on resource: {resource} "
        f"because no identity-based policy allows the {action} action",
        403,
    )


def malformed_policy(message: str) -> tuple[str, str, int]:
    """IAM's MalformedPolicyDocument error with ``message``."""
    return ("MalformedPolicyDocument", message, 400)


# ---------------------------------------------------------------------------------------
# Signing


def signing(credentials: Credentials | Mapping[str, Any]) -> SigningCredentials:
    """botocore's signing credentials for a mock's Credentials or an STS response's."""
    if isinstance(credentials, Credentials):
        return SigningCredentials(
            credentials.access_key_id, credentials.secret_access_key, credentials.session_token
        )
    return SigningCredentials(
        credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"]
    )


def stamp(moment: dt.datetime) -> str:
    """``moment`` as SigV4's X-Amz-Date."""
    return moment.strftime("%Y%m%dT%H%M%SZ")


# ---------------------------------------------------------------------------------------
# Worlds kept between requests

W = TypeVar("W")


class KeptWorld(Generic[W]):
    """A world (what ``build`` sets up in a new mock) that the requests of several examples
    or tests share while they change nothing: setting a world up costs more than a request.

    After each request, ``settle`` checks that a refusal left the world's ``snapshot`` as it
    was built; after a success, or a check that failed, the next request gets a new world.
    """

    def __init__(
        self,
        build: Callable[[MockSTS], W],
        snapshot: Callable[[MockSTS, W], object],
        *,
        set_env: bool = True,
    ) -> None:
        self._build = build
        self._snapshot = snapshot
        self._set_env = set_env
        # The active mock, its world, and the world's snapshot as built.
        self._current: tuple[MockSTS, W, object] | None = None

    def current(self) -> tuple[MockSTS, W]:
        """The active mock and its world."""
        if self._current is None:
            mock = MockSTS(set_env=self._set_env).start()
            world = self._build(mock)
            self._current = (mock, world, self._snapshot(mock, world))
        mock, world, _ = self._current
        return mock, world

    def settle(self, succeeded: bool) -> None:
        """After one request: a refusal changed nothing, and the next request has the same
        world; a success may have changed anything, and the next request gets a new one."""
        assert self._current is not None
        if succeeded:
            self.drop()
            return
        mock, world, built = self._current
        now = self._snapshot(mock, world)
        if now != built:
            self.drop()
        assert now == built

    def drop(self) -> None:
        """The world is done with: the next request gets a new one."""
        if self._current is not None:
            self._current[0].stop()
        self._current = None


# ---------------------------------------------------------------------------------------
# Serving


@contextlib.contextmanager
def serving(
    mock: MockSTS, *, join_handlers: bool = False, **options: Any
) -> Iterator[ThreadingHTTPServer]:
    """``mock-sts serve``'s server for ``mock`` on a free loopback port, serving in a thread
    until the block ends; with ``join_handlers``, closing it waits for its handler threads."""
    httpd = server.make_server(mock, "127.0.0.1", 0, **options)
    httpd.daemon_threads = not join_handlers
    thread = threading.Thread(target=httpd.serve_forever, args=(0.01,))
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


@contextlib.contextmanager
def serve_process(*options: str) -> Iterator[str]:
    """``mock-sts serve`` in a process of its own on a free loopback port, with ``options``,
    until the block ends (on SIGTERM, which it must take as a clean exit); its URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_sts.server", "serve", "--port", "0", *options],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    try:
        yield process.stdout.readline().strip()
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        process.stdout.close()


def user_names(iam: Any, **params: Any) -> list[str]:
    """The names ListUsers gives ``iam``'s caller."""
    return [user["UserName"] for user in iam.list_users(**params)["Users"]]
