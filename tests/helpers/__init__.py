"""Assertion helpers shared by the test modules."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from botocore.exceptions import ClientError

from mock_sts import MockSTS, server

IAM_FULL_ACCESS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}],
}
INVALID_TOKEN = (
    "InvalidClientTokenId",
    "The security token included in the request is invalid.",
    403,
)


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


def identity(client: Any) -> dict[str, str]:
    """GetCallerIdentity's three values, from a call that must succeed."""
    result = client.get_caller_identity()
    assert result["ResponseMetadata"]["HTTPStatusCode"] == 200
    return {key: result[key] for key in ("UserId", "Account", "Arn")}


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
