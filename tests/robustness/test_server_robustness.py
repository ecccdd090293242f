"""``mock-sts serve`` as other processes meet it: under load from another process, fed
malformed HTTP, bound to loopback; and the suite's offline guard (tests/conftest.py), shown
to refuse the network while flows whose tokens and assertions carry URLs never try it.

Malformed requests are written to raw sockets, against a server in a thread of this process
(short timeouts, its handler threads joined before stderr is checked) and against the real
``mock-sts serve`` in a subprocess (its stderr checked when it exits).
"""

from __future__ import annotations

import base64
import errno
import http.client
import json
import os
import signal
import socket
import struct
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.parsers
import botocore.session
import pytest
import requests
from lxml import etree

from mock_sts import MockSTS, _dispatch, server
from mock_sts._control import ControlAPI
from tests.helpers import aws_error, serving
from tests.helpers.saml import (
    DS,
    MALFORMED,
    assume_with_saml,
    create_saml_role,
    encode,
    metadata,
    register_user_idp,
    response,
    sign,
    signed_response,
)
from tests.helpers.saml import assertion as saml_assertion
from tests.helpers.web_identity import (
    NO_KEY,
    OwnIssuer,
    assume_with_web_identity,
    no_provider,
    web_trust,
)

ADMIN = "arn:aws:iam::123456789012:user/admin"
HANG_GUARD = 30  # seconds: a bound on waits for a server that should long have answered


# ---------------------------------------------------------------------------------------
# Servers


def start_serve(*options: str, stderr: Path) -> tuple[subprocess.Popen[str], str]:
    """``mock-sts serve`` in a subprocess, and the URL of its first line."""
    with stderr.open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "mock_sts.server", "serve", "--port", "0", *options],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def stop_serve(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=HANG_GUARD) == 0
    assert process.stdout is not None
    process.stdout.close()


@dataclass
class Served:
    host: str
    port: int
    url: str


@pytest.fixture(scope="module")
def process_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The real ``mock-sts serve``; whatever it printed on stderr fails the module."""
    stderr = tmp_path_factory.mktemp("serve") / "stderr"
    process, url = start_serve(stderr=stderr)
    try:
        yield Served("127.0.0.1", int(url.rsplit(":", 1)[1]), url)
    finally:
        stop_serve(process)
    assert stderr.read_text() == ""


@pytest.fixture
def thread_server(
    capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> Iterator[Served]:
    """A server in a thread, with a one-second timeout; once its handler threads are done,
    nothing may be on stderr or logged."""
    with MockSTS(set_env=False) as mock, serving(mock, join_handlers=True, timeout=1.0) as httpd:
        yield Served("127.0.0.1", httpd.server_port, f"http://127.0.0.1:{httpd.server_port}")
    assert capfd.readouterr().err == ""
    assert caplog.get_records("call") + caplog.get_records("teardown") == []


@pytest.fixture(params=["thread", pytest.param("process", marks=pytest.mark.slow)])
def thread_or_process_server(request: pytest.FixtureRequest) -> Served:
    fixture: Served = request.getfixturevalue(f"{request.param}_server")
    return fixture


# ---------------------------------------------------------------------------------------
# Raw HTTP


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def error(self) -> tuple[str, str]:
        """The error's code and message, read as its client would: botocore's query parser
        for AWS's XML, JSON for the control API."""
        if self.headers["Content-Type"] == "application/json":
            error = json.loads(self.body)["error"]
            return error["code"], error["message"]
        parsed = botocore.parsers.QueryParser().parse(
            {"status_code": self.status, "headers": dict(self.headers), "body": self.body}, None
        )
        return parsed["Error"]["Code"], parsed["Error"]["Message"]


def exchange(
    served: Served, data: bytes, *, method: str = "GET", then: str = "read"
) -> Answer | None:
    """Send ``data`` on a new connection and read the answer; None when the server closed
    the connection without one. ``then``: "read", "half-close" (shut our sending side
    first), "stall" (keep the connection open, silent)."""
    with socket.create_connection((served.host, served.port), timeout=HANG_GUARD) as sock:
        sock.sendall(data)
        if then == "half-close":
            sock.shutdown(socket.SHUT_WR)
        answer = http.client.HTTPResponse(sock, method=method)
        try:
            answer.begin()
        except http.client.RemoteDisconnected:
            return None
        with answer:
            return Answer(answer.status, answer.headers, answer.read())


def served_caller_arn(served: Served) -> str:
    """GetCallerIdentity, signed as any SDK signs it (unknown keys act as the admin)."""
    body = "Action=GetCallerIdentity&Version=2011-06-15"
    request = botocore.awsrequest.AWSRequest(
        method="POST",
        url=served.url + "/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    keys = botocore.credentials.Credentials("testing", "testing")
    botocore.auth.SigV4Auth(keys, "sts", "us-east-1").add_auth(request)
    connection = http.client.HTTPConnection(served.host, served.port, timeout=HANG_GUARD)
    try:
        connection.request("POST", "/", body=body, headers=dict(request.headers))
        answer = connection.getresponse()
        data = answer.read()
    finally:
        connection.close()
    assert answer.status == 200, data
    model = botocore.session.get_session().get_service_model("sts")
    parsed = botocore.parsers.QueryParser().parse(
        {"status_code": 200, "headers": dict(answer.headers), "body": data},
        model.operation_model("GetCallerIdentity").output_shape,
    )
    arn: str = parsed["Arn"]
    return arn


def request_bytes(
    line: str, headers: dict[str, str] | None = None, body: bytes = b"", host: bool = True
) -> bytes:
    head = [line, *(["Host: 127.0.0.1"] if host else [])]
    head += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1") + body


FORM = b"Action=GetCallerIdentity&Version=2011-06-15"
FORM_TYPE = {"Content-Type": "application/x-www-form-urlencoded"}
TOO_LARGE = str(server.MAX_BODY + 1)
XML, JSON = "text/xml", "application/json"


@dataclass(frozen=True)
class Case:
    request: bytes
    status: int
    code: str | None  # None: a HEAD request, answered without a body
    content_type: str = XML
    method: str = "GET"
    then: str = "read"


def raw_post(path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    return request_bytes(f"POST {path} HTTP/1.1", headers, body)


MALFORMED_REQUESTS = {
    # Methods: STS and IAM take GET and POST.
    "HEAD": Case(request_bytes("HEAD / HTTP/1.1"), 405, None, method="HEAD"),
    "OPTIONS": Case(request_bytes("OPTIONS / HTTP/1.1"), 405, "MethodNotAllowed"),
    "TRACE": Case(request_bytes("TRACE / HTTP/1.1"), 405, "MethodNotAllowed"),
    "DELETE": Case(
        request_bytes("DELETE /?Action=GetCallerIdentity&Version=2011-06-15 HTTP/1.1"),
        405,
        "MethodNotAllowed",
    ),
    "PUT": Case(
        request_bytes("PUT / HTTP/1.1", {**FORM_TYPE, "Content-Length": "43"}, FORM),
        405,
        "MethodNotAllowed",
    ),
    "PATCH": Case(
        request_bytes("PATCH / HTTP/1.1", {**FORM_TYPE, "Content-Length": "43"}, FORM),
        405,
        "MethodNotAllowed",
    ),
    "made-up method": Case(request_bytes("FROBNICATE / HTTP/1.1"), 405, "MethodNotAllowed"),
    "method that is no token": Case(request_bytes("G@T / HTTP/1.1"), 400, "BadRequest"),
    "method with a NUL": Case(request_bytes("GE\0T / HTTP/1.1"), 400, "BadRequest"),
    "CONNECT": Case(request_bytes("CONNECT sts.amazonaws.com:443 HTTP/1.1"), 400, "BadRequest"),
    "OPTIONS *": Case(request_bytes("OPTIONS * HTTP/1.1"), 400, "BadRequest"),
    # Bodies and their lengths.
    "huge Content-Length, no body": Case(
        raw_post("/", {"Content-Length": TOO_LARGE}), 413, "RequestEntityTooLarge"
    ),
    "huge body, sent": Case(
        raw_post("/", {"Content-Length": TOO_LARGE}, b"A" * (server.MAX_BODY + 1)),
        413,
        "RequestEntityTooLarge",
    ),
    "huge body behind Expect": Case(
        raw_post("/", {"Content-Length": TOO_LARGE, "Expect": "100-continue"}),
        413,
        "RequestEntityTooLarge",
    ),
    "absurd Content-Length": Case(
        raw_post("/", {"Content-Length": "9" * 40}), 413, "RequestEntityTooLarge"
    ),
    "non-numeric Content-Length": Case(raw_post("/", {"Content-Length": "abc"}), 400, "BadRequest"),
    "negative Content-Length": Case(
        raw_post("/", {"Content-Length": "-5"}, FORM), 400, "BadRequest"
    ),
    "signed Content-Length": Case(
        raw_post("/", {"Content-Length": "+43"}, FORM), 400, "BadRequest"
    ),
    "hexadecimal Content-Length": Case(
        raw_post("/", {"Content-Length": "0x2b"}), 400, "BadRequest"
    ),
    "empty Content-Length": Case(raw_post("/", {"Content-Length": ""}), 400, "BadRequest"),
    "list as Content-Length": Case(
        raw_post("/", {"Content-Length": "43, 43"}, FORM), 400, "BadRequest"
    ),
    "two Content-Lengths": Case(
        raw_post("/", {"Content-Length": "43", "Content-length": "44"}, FORM), 400, "BadRequest"
    ),
    "chunked body": Case(
        raw_post(
            "/", {**FORM_TYPE, "Transfer-Encoding": "chunked"}, b"2b\r\n" + FORM + b"\r\n0\r\n\r\n"
        ),
        411,
        "MissingContentLength",
    ),
    "truncated body, then half-closed": Case(
        raw_post("/", {**FORM_TYPE, "Content-Length": "100"}, FORM),
        400,
        "IncompleteBody",
        then="half-close",
    ),
    # Bodies STS does not read: what is left is a query without an Action.
    "JSON body": Case(
        raw_post(
            "/",
            {"Content-Type": JSON, "Content-Length": "51"},
            b'{"Action": "GetCallerIdentity", "Version": "x"}    ',
        ),
        400,
        "MissingAction",
    ),
    "XML body": Case(
        raw_post("/", {"Content-Type": XML, "Content-Length": "22"}, b"<GetCallerIdentity/>  "),
        400,
        "MissingAction",
    ),
    "AWS JSON protocol": Case(
        raw_post(
            "/",
            {
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": "AWSSecurityTokenServiceV20110615.GetCallerIdentity",
                "Content-Length": "2",
            },
            b"{}",
        ),
        400,
        "MissingAction",
    ),
    "JSON body behind a query Action": Case(
        raw_post(
            "/?Action=GetCallerIdentity&Version=2011-06-15",
            {"Content-Type": JSON, "Content-Length": "2"},
            b"{}",
        ),
        403,
        "MissingAuthenticationToken",
    ),
    "body that is no UTF-8": Case(
        raw_post("/", {**FORM_TYPE, "Content-Length": "12"}, b"Action=\xff\xfe\x00\x01\x80"),
        400,
        "InvalidAction",
    ),
    # Request lines.
    "garbage line": Case(b"GARBAGE\r\n\r\n", 400, "BadRequest"),
    "empty line": Case(b"\r\n", 400, "BadRequest"),
    "HTTP/0.9": Case(b"GET /\r\n\r\n", 400, "BadRequest"),
    "HTTP/2 line": Case(request_bytes("GET / HTTP/2.0"), 400, "BadRequest"),
    "HTTP/2 preface": Case(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400, "BadRequest"),
    "unknown protocol": Case(request_bytes("GET / FOO/1.1"), 400, "BadRequest"),
    "four words": Case(request_bytes("GET / HTTP/1.1 extra"), 400, "BadRequest"),
    "two spaces": Case(request_bytes("GET  / HTTP/1.1"), 400, "BadRequest"),
    "absolute URL": Case(
        request_bytes("GET http://sts.amazonaws.com/ HTTP/1.1"), 400, "BadRequest"
    ),
    "line cut short": Case(b"GET / HTT", 400, "BadRequest", then="half-close"),
    "bytes in the path": Case(
        request_bytes("GET /\xff\x7f?Action=%ZZ&%=% HTTP/1.1"), 400, "InvalidAction"
    ),
    # Sizes.
    "URL too long": Case(
        request_bytes("GET /" + "a" * 70_000 + " HTTP/1.1"), 414, "RequestURITooLong"
    ),
    "long URL within the limit": Case(
        request_bytes(f"GET /?Action=GetCallerIdentity&Padding={'a' * 60_000} HTTP/1.1"),
        403,
        "MissingAuthenticationToken",
    ),
    "header too long": Case(
        request_bytes("GET / HTTP/1.1", {"X-Long": "a" * 70_000}),
        431,
        "RequestHeaderFieldsTooLarge",
    ),
    "too many headers": Case(
        request_bytes("GET / HTTP/1.1", {f"X-{n}": "y" for n in range(120)}),
        431,
        "RequestHeaderFieldsTooLarge",
    ),
    # Host headers that would rewrite the URL the request is read from.
    "Host with a query": Case(
        request_bytes("GET / HTTP/1.1", {"Host": "x?Action=CreateUser&UserName=evil"}, host=False),
        400,
        "BadRequest",
    ),
    "Host with a path": Case(
        request_bytes("GET / HTTP/1.1", {"Host": "a/b"}, host=False), 400, "BadRequest"
    ),
    "Host, a broken IPv6 literal": Case(
        request_bytes("GET / HTTP/1.1", {"Host": "[1:2:3]"}, host=False), 400, "BadRequest"
    ),
    # The control API's paths answer the same refusals in its JSON.
    "control: HEAD": Case(request_bytes("HEAD /_mock_sts HTTP/1.1"), 405, None, JSON, "HEAD"),
    "control: DELETE": Case(
        request_bytes("DELETE /_mock_sts/users HTTP/1.1"), 405, "MethodNotAllowed", JSON
    ),
    "control: non-numeric Content-Length": Case(
        raw_post("/_mock_sts/users", {"Content-Length": "abc"}), 400, "BadRequest", JSON
    ),
    "control: huge body": Case(
        raw_post("/_mock_sts/users", {"Content-Length": TOO_LARGE}),
        413,
        "RequestEntityTooLarge",
        JSON,
    ),
    "control: chunked body": Case(
        raw_post("/_mock_sts/users", {"Transfer-Encoding": "chunked"}, b"0\r\n\r\n"),
        411,
        "MissingContentLength",
        JSON,
    ),
    "control: truncated body": Case(
        raw_post("/_mock_sts/users", {"Content-Length": "100"}, b'{"name": "x"}'),
        400,
        "IncompleteBody",
        JSON,
        then="half-close",
    ),
    "control: XML body": Case(
        raw_post("/_mock_sts/users", {"Content-Type": XML, "Content-Length": "7"}, b"<user/>"),
        400,
        "MalformedJSON",
        JSON,
    ),
    "control: header too long": Case(
        request_bytes("GET /oidc/x/.well-known/jwks HTTP/1.1", {"X-Long": "a" * 70_000}),
        431,
        "RequestHeaderFieldsTooLarge",
        JSON,
    ),
}


@pytest.mark.parametrize("case", MALFORMED_REQUESTS.values(), ids=MALFORMED_REQUESTS.keys())
def test_malformed_requests_get_a_4xx_and_the_server_keeps_serving(
    thread_or_process_server: Served, case: Case
) -> None:
    answer = exchange(thread_or_process_server, case.request, method=case.method, then=case.then)

    assert answer is not None
    assert answer.status == case.status
    assert answer.headers["Content-Type"] == case.content_type
    if case.code is None:
        assert answer.body == b""
    else:
        code, message = answer.error
        assert code == case.code, message
    if case.status == 405 and case.content_type == XML:
        assert answer.headers["Allow"] == "GET, POST"
    assert served_caller_arn(thread_or_process_server) == ADMIN


def test_refusals_read_as_aws_errors(thread_server: Served) -> None:
    answers = {
        name: exchange(thread_server, case.request, then=case.then)
        for name, case in MALFORMED_REQUESTS.items()
        if name in ("DELETE", "non-numeric Content-Length", "truncated body, then half-closed")
    }
    errors = {name: answer.error for name, answer in answers.items() if answer is not None}

    assert errors == {
        "DELETE": (
            "MethodNotAllowed",
            "The DELETE method is not allowed: STS and IAM take GET and POST.",
        ),
        "non-numeric Content-Length": (
            "BadRequest",
            "Content-Length must be a number of bytes, got 'abc'.",
        ),
        "truncated body, then half-closed": (
            "IncompleteBody",
            "You did not provide the number of bytes specified by the Content-Length HTTP header.",
        ),
    }


def test_a_stalled_body_times_out_with_an_answer(thread_server: Served) -> None:
    # The thread server waits a second for the rest of the body.
    request = raw_post("/", {**FORM_TYPE, "Content-Length": "100"}, FORM)

    answer = exchange(thread_server, request, then="stall")

    assert answer is not None
    assert (answer.status, answer.error[0]) == (400, "RequestTimeout")
    assert served_caller_arn(thread_server) == ADMIN


@pytest.mark.parametrize(
    "data",
    [b"", b"POST / HTTP/1.1\r\n", b"POST / HTTP/1.1\r\nContent-Length: 43\r\n"],
    ids=["idle", "stalled in the request line", "stalled in the headers"],
)
def test_a_silent_connection_is_closed(thread_server: Served, data: bytes) -> None:
    with socket.create_connection((thread_server.host, thread_server.port)) as sock:
        sock.settimeout(HANG_GUARD)
        sock.sendall(data)
        assert sock.recv(1024) == b""
    assert served_caller_arn(thread_server) == ADMIN


@pytest.mark.parametrize("how", ["close", "reset"])
def test_a_client_that_leaves_mid_body(thread_or_process_server: Served, how: str) -> None:
    sock = socket.create_connection(
        (thread_or_process_server.host, thread_or_process_server.port), timeout=HANG_GUARD
    )
    sock.sendall(raw_post("/", {**FORM_TYPE, "Content-Length": "100"}, FORM))
    if how == "reset":
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()

    assert served_caller_arn(thread_or_process_server) == ADMIN


def test_keep_alive_serves_requests_one_after_another(thread_server: Served) -> None:
    # Requests one after another on one connection: each body is read to its exact length,
    # so what follows it starts the next request.
    one_by_one = [
        raw_post("/", {**FORM_TYPE, "Content-Length": "43"}, FORM),
        raw_post("/?Action=ListUsers", {"Content-Length": "0"}),
        request_bytes("GET /?Action=GetCallerIdentity&Version=2011-06-15 HTTP/1.1"),
    ]
    answers = []
    with socket.create_connection((thread_server.host, thread_server.port)) as sock:
        sock.settimeout(HANG_GUARD)
        for request in one_by_one:
            sock.sendall(request)
            answer = http.client.HTTPResponse(sock)
            answer.begin()
            answer.read()
            answers.append((answer.status, answer.getheader("Connection")))
    assert answers == [(403, None)] * 3


def test_a_refusal_closes_the_connection(thread_server: Served) -> None:
    guard_refusals = raw_post("/", {"Content-Length": "abc"})
    valid = raw_post("/", {**FORM_TYPE, "Content-Length": "43"}, FORM)
    with socket.create_connection((thread_server.host, thread_server.port)) as sock:
        sock.settimeout(HANG_GUARD)
        sock.sendall(guard_refusals + valid)
        answer = http.client.HTTPResponse(sock)
        answer.begin()
        answer.read()
        assert (answer.status, answer.getheader("Connection")) == (400, "close")
        assert sock.recv(1024) == b""


# ---------------------------------------------------------------------------------------
# An unexpected exception


@pytest.fixture
def failing_server() -> Iterator[Served]:
    """A server in a thread whose failures are looked at by the test itself."""
    with MockSTS(set_env=False) as mock, serving(mock) as httpd:
        yield Served("127.0.0.1", httpd.server_port, f"http://127.0.0.1:{httpd.server_port}")


def boom(*args: object) -> Any:
    raise RuntimeError("boom")


def test_an_unexpected_exception_answers_internal_failure(
    failing_server: Served, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(_dispatch, "handle", boom)

    answer = exchange(failing_server, raw_post("/", {**FORM_TYPE, "Content-Length": "43"}, FORM))

    assert answer is not None
    assert answer.status == 500
    assert answer.headers["Content-Type"] == XML
    assert answer.error == ("InternalFailure", "mock_sts internal error: RuntimeError('boom')")
    assert b"<Type>Receiver</Type>" in answer.body
    assert [record.message for record in caplog.records] == ["mock-sts serve failed on POST /"]
    monkeypatch.undo()
    assert served_caller_arn(failing_server) == ADMIN


def test_an_unexpected_exception_on_a_control_path_answers_json(
    failing_server: Served, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(ControlAPI, "handle", boom)

    answer = exchange(failing_server, request_bytes("GET /_mock_sts HTTP/1.1"))

    assert answer is not None
    assert (answer.status, answer.headers["Content-Type"]) == (500, JSON)
    assert answer.error == ("InternalFailure", "mock_sts internal error: RuntimeError('boom')")
    assert len(caplog.records) == 1


def test_a_connection_lost_while_answering_is_not_an_internal_failure(
    failing_server: Served, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def lost(*args: object) -> Any:
        raise ConnectionResetError(errno.ECONNRESET, "reset by peer")

    monkeypatch.setattr(_dispatch, "handle", lost)

    assert (
        exchange(failing_server, raw_post("/", {**FORM_TYPE, "Content-Length": "43"}, FORM)) is None
    )
    assert caplog.records == []


# ---------------------------------------------------------------------------------------
# Under load, from another process

LOAD_CLIENT = textwrap.dedent(
    """
    import json, sys, threading

    import botocore.session
    from botocore.config import Config

    url, threads, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    admin = "arn:aws:iam::123456789012:user/admin"
    trust = json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": admin}, "Action": "sts:AssumeRole"}]})
    counts = dict.fromkeys(["GetCallerIdentity", "CreateUser", "CreateRole", "AssumeRole"], 0)
    errors = []
    lock = threading.Lock()

    def client(service):
        # One botocore session and client per thread; no retries, so none hides an error.
        return botocore.session.get_session().create_client(
            service, endpoint_url=url, region_name="us-east-1",
            aws_access_key_id="testing", aws_secret_access_key="testing",
            config=Config(retries={"total_max_attempts": 1}),
        )

    def work(worker):
        sts, iam = client("sts"), client("iam")
        for n in range(rounds):
            name = f"load-{worker}-{n}"
            role = f"arn:aws:iam::123456789012:role/{name}"
            checks = {
                "GetCallerIdentity": lambda: sts.get_caller_identity()["Arn"] == admin,
                "CreateUser": lambda: iam.create_user(UserName=name)["User"]["UserName"] == name,
                "CreateRole": lambda: iam.create_role(
                    RoleName=name, AssumeRolePolicyDocument=trust)["Role"]["Arn"] == role,
                "AssumeRole": lambda: sts.assume_role(RoleArn=role, RoleSessionName="load")[
                    "AssumedRoleUser"]["Arn"] == role.replace(":iam:", ":sts:").replace(
                    ":role/", ":assumed-role/") + "/load",
            }
            for operation, check in checks.items():
                try:
                    problem = None if check() else "an unexpected answer"
                except Exception as error:
                    problem = repr(error)
                with lock:
                    if problem is None:
                        counts[operation] += 1
                    else:
                        errors.append(f"{operation} {name}: {problem}")

    workers = [threading.Thread(target=work, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print(json.dumps({"counts": counts, "errors": errors}))
    """
)


@pytest.mark.slow
def test_under_load_from_another_process(tmp_path: Path) -> None:
    threads, rounds = 8, 100
    stderr = tmp_path / "stderr"
    process, url = start_serve(stderr=stderr)
    try:
        client = subprocess.run(
            [sys.executable, "-c", LOAD_CLIENT, url, str(threads), str(rounds)],
            capture_output=True,
            text=True,
            timeout=300,  # a hang guard
            check=False,
        )
        assert client.returncode == 0, client.stderr
        report = json.loads(client.stdout)
        calls = requests.get(f"{url}/_mock_sts/calls", timeout=HANG_GUARD).json()["calls"]
    finally:
        stop_serve(process)

    assert report["errors"] == []
    assert report["counts"] == dict.fromkeys(
        ["GetCallerIdentity", "CreateUser", "CreateRole", "AssumeRole"], threads * rounds
    )
    # Exactly one request per call, each answered 200 by the server: nothing was retried.
    assert len(calls) == 4 * threads * rounds
    assert {call["status"] for call in calls} == {200}
    assert stderr.read_text() == ""


# ---------------------------------------------------------------------------------------
# Bound to loopback


def refuses_connections(host: str, port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(HANG_GUARD)
        return probe.connect_ex((host, port)) != 0


@pytest.mark.slow
def test_serves_on_127_0_0_1_by_default(process_server: Served) -> None:
    assert process_server.url == f"http://127.0.0.1:{process_server.port}"
    assert served_caller_arn(process_server) == ADMIN
    # Bound to one address, not all of them: another loopback address is not answered.
    assert refuses_connections("127.0.0.2", process_server.port)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("option", "address"), [("127.0.0.2", "127.0.0.2"), ("localhost", "127.0.0.1")]
)
def test_serves_on_the_host_given(tmp_path: Path, option: str, address: str) -> None:
    with socket.socket() as probe:
        try:
            probe.bind((address, 0))
        except OSError:  # macOS configures 127.0.0.1 alone
            pytest.skip(f"{address} is not a loopback address of this machine")
    stderr = tmp_path / "stderr"
    process, url = start_serve("--host", option, stderr=stderr)
    try:
        port = int(url.rsplit(":", 1)[1])
        assert url == f"http://{option}:{port}"
        assert served_caller_arn(Served(address, port, url)) == ADMIN
        other = "127.0.0.1" if address == "127.0.0.2" else "127.0.0.2"
        assert refuses_connections(other, port)
    finally:
        stop_serve(process)
    assert stderr.read_text() == ""


def test_the_listening_address_is_not_looked_up(monkeypatch: pytest.MonkeyPatch) -> None:
    # http.server's own bind asks DNS for the address's name (socket.getfqdn).
    monkeypatch.setattr(socket, "getfqdn", boom)
    with MockSTS(set_env=False) as mock:
        httpd = server.make_server(mock, "127.0.0.1", 0)
        try:
            assert httpd.server_address[0] == "127.0.0.1"
            assert (httpd.server_name, httpd.server_port) == ("127.0.0.1", httpd.server_address[1])
        finally:
            httpd.server_close()


def test_a_port_in_use_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(SystemExit) as exit_info:
            server.main(["serve", "--port", str(port)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert f"mock-sts serve: error: cannot listen on 127.0.0.1 port {port}: " in err
    assert "Traceback" not in err


# ---------------------------------------------------------------------------------------
# The offline guard of tests/conftest.py


def guard_refusals(guard: Any) -> list[str]:
    """What the guard refused so far in this test, forgotten so that the test can pass."""
    attempts = list(guard.refused)
    guard.refused.clear()
    return attempts


def test_the_guard_refuses_a_connection_to_another_address(offline_guard: Any) -> None:
    with pytest.raises(pytest.fail.Exception, match=r"192\.0\.2\.1"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)
    with socket.socket() as sock, pytest.raises(pytest.fail.Exception, match=r"192\.0\.2\.2"):
        sock.connect(("192.0.2.2", 443))
    with socket.socket() as sock, pytest.raises(pytest.fail.Exception):
        sock.connect_ex(("192.0.2.3", 443))
    with (
        socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock,
        pytest.raises(pytest.fail.Exception),
    ):
        sock.sendto(b"\0", ("192.0.2.4", 53))
    with socket.socket(socket.AF_INET6) as sock, pytest.raises(pytest.fail.Exception):
        sock.connect(("2001:db8::1", 443))

    assert guard_refusals(offline_guard) == [
        "getaddrinfo '192.0.2.1'",
        "connect '192.0.2.2'",
        "connect_ex '192.0.2.3'",
        "sendto '192.0.2.4'",
        "connect '2001:db8::1'",
    ]


def test_the_guard_refuses_name_lookups(offline_guard: Any) -> None:
    with pytest.raises(pytest.fail.Exception, match=r"example\.com"):
        socket.getaddrinfo("example.com", 443)
    with pytest.raises(pytest.fail.Exception):
        socket.gethostbyname("example.com")
    with pytest.raises(pytest.fail.Exception):
        socket.gethostbyname_ex("example.com")
    with pytest.raises(pytest.fail.Exception):
        socket.gethostbyaddr("192.0.2.1")

    assert guard_refusals(offline_guard) == [
        "getaddrinfo 'example.com'",
        "gethostbyname 'example.com'",
        "gethostbyname_ex 'example.com'",
        "gethostbyaddr '192.0.2.1'",
    ]


def test_the_guard_outlasts_the_clients_that_catch_exceptions(offline_guard: Any) -> None:
    # botocore would retry an OSError and turn it into EndpointConnectionError; requests
    # into ConnectionError. The guard's failure is no Exception: the test fails, loudly.
    sts = boto3.client(
        "sts",
        region_name="eu-west-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    with pytest.raises(pytest.fail.Exception, match=r"sts\.eu-west-1\.amazonaws\.com"):
        sts.get_caller_identity()
    with pytest.raises(pytest.fail.Exception, match=r"example\.com"):
        requests.get("https://example.com/", timeout=1)

    assert len(guard_refusals(offline_guard)) == 2


def test_the_guard_lets_loopback_and_unix_sockets_through(tmp_path: Path) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        for host in ("127.0.0.1", "localhost"):
            socket.create_connection((host, port), timeout=HANG_GUARD).close()
        with socket.socket() as sock:
            assert sock.connect_ex(("127.0.0.1", port)) == 0
    assert socket.gethostbyname("localhost").startswith("127.")
    with socket.socket(socket.AF_UNIX) as listener, socket.socket(socket.AF_UNIX) as sock:
        path = os.fspath(tmp_path / "unix")
        listener.bind(path)
        listener.listen()
        sock.connect(path)


def test_the_guard_fails_a_test_that_swallowed_its_failure(pytester: pytest.Pytester) -> None:
    pytester.makeconftest((Path(__file__).parents[1] / "conftest.py").read_text())
    pytester.makepyfile(
        """
        import socket

        def test_swallows():
            try:
                socket.create_connection(("192.0.2.1", 80), timeout=1)
            except BaseException:
                pass
        """
    )

    result = pytester.runpytest()

    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*this one tried to reach: getaddrinfo '192.0.2.1'*"])


# ---------------------------------------------------------------------------------------
# Tokens and assertions full of URLs, served offline


def test_web_identity_token_urls_are_never_fetched(sts_mock: MockSTS) -> None:
    own = OwnIssuer(sts_mock)
    role = sts_mock.create_role("own", web_trust(own.arn))
    url_headers = {
        "jku": "https://own.example.com/.well-known/jwks.json",
        "x5u": "https://own.example.com/signing.pem",
    }

    # A token whose key the mock holds is verified with it, whatever its header points at.
    signed = own.sign(own.claims(), headers=url_headers)
    assert assume_with_web_identity(role.arn, signed)["AssumedRoleUser"]["Arn"].endswith(
        ":assumed-role/own/web"
    )
    # A key the mock does not hold is not looked for at the URLs the token gives.
    unknown_kid = own.sign(own.claims(), headers={**url_headers, "kid": "elsewhere"})
    assert aws_error(lambda: assume_with_web_identity(role.arn, unknown_kid)) == NO_KEY


def test_an_issuer_is_never_asked_for_its_keys(sts_mock: MockSTS) -> None:
    # Real STS would fetch https://login.example.org/.well-known/openid-configuration and
    # then the JWKS it names; the mock only knows keys it was given.
    iam = boto3.client("iam", region_name="us-east-1")
    arn = iam.create_open_id_connect_provider(
        Url="https://login.example.org", ClientIDList=["sts.amazonaws.com"]
    )["OpenIDConnectProviderArn"]
    role = sts_mock.create_role("keyless", web_trust(arn))
    own = OwnIssuer(sts_mock)

    token = own.sign(own.claims(iss="https://login.example.org"))
    assert aws_error(lambda: assume_with_web_identity(role.arn, token)) == NO_KEY
    # An issuer without an IAM provider is refused by name, without a discovery request.
    stranger = own.sign(own.claims(iss="https://idp.example.net"))
    assert aws_error(lambda: assume_with_web_identity(role.arn, stranger)) == no_provider(
        "https://idp.example.net"
    )


def test_saml_urls_are_never_fetched(sts_mock: MockSTS) -> None:
    # Metadata whose DTD is on the web is refused, not fetched.
    iam = boto3.client("iam", region_name="us-east-1")
    remote_dtd = '<!DOCTYPE md:EntityDescriptor SYSTEM "https://idp.example.test/md.dtd">'
    document = metadata().replace("\n", "\n" + remote_dtd, 1)
    code, _, status = aws_error(
        lambda: iam.create_saml_provider(Name="Remote", SAMLMetadataDocument=document)
    )
    assert (code, status) == ("InvalidInput", 400)
    register_user_idp(sts_mock)
    create_saml_role(sts_mock)

    # An assertion names its issuer, audience, recipient and IdP by URL.
    answer = assume_with_saml(signed_response())
    assert answer["AssumedRoleUser"]["Arn"].endswith(":assumed-role/Dev/jdoe")
    # A key to be retrieved from a URL is not: the metadata's certificate verifies.
    signed = sign(saml_assertion())
    key_info = signed.find(f".//{{{DS}}}KeyInfo")
    key_info.insert(
        0,
        key_info.makeelement(
            f"{{{DS}}}RetrievalMethod", {"URI": "https://idp.example.test/keys/signing.cer"}
        ),
    )
    answer = assume_with_saml(encode(response(signed)))
    assert answer["AssumedRoleUser"]["Arn"].endswith(":assumed-role/Dev/jdoe")
    # An external entity on the web is not resolved.
    text = etree.tostring(response(sign(saml_assertion()))).decode()
    prolog = '<!DOCTYPE r [<!ENTITY x SYSTEM "https://idp.example.test/x">]>'
    entity = base64.b64encode((prolog + text.replace(">jdoe<", ">&x;<", 1)).encode()).decode()
    assert aws_error(lambda: assume_with_saml(entity)) == MALFORMED
