"""Where requests are caught: botocore's ``before-send`` event and ``requests`` via responses.

This is the only module that touches botocore's or responses' internals. Everything is
installed once; the handlers answer only while a mock is active and return None (botocore
sends the request on as usual) otherwise.
"""

from __future__ import annotations

import functools
import re
import sys
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from mock_sts import _ids
from mock_sts._wire import SERVICES, HttpRequest, HttpResponse

Serve = Callable[[str, HttpRequest], "HttpResponse | None"]


@dataclass
class _Hooks:
    """What this process hooked, and who answers through the hooks (the stack of active
    mocks, which ``_mock`` keeps)."""

    serve: Serve | None = None
    is_active: Callable[[], bool] = bool
    botocore_modules: tuple[Any, Any] | None = None  # the botocore modules hooked
    response_class: Any = None  # their AWSResponse, which answers are made of
    responses_class: Any = None  # the responses.RequestsMock class hooked
    requests_mock: Any = None  # the responses mock answering while a mock is active
    requests_patch: Any = None  # and the patch that put it in requests' way


_hooks = _Hooks()
_install_lock = threading.Lock()


def install(serve: Serve, is_active: Callable[[], bool]) -> None:
    """Hook botocore once; ``serve`` answers, or returns None when no mock is active.

    Cheap when already done. Hooks are tied to the botocore modules they were put on, so a
    botocore imported afresh (as pytester's in-process runs do) is hooked again.
    """
    _hooks.serve, _hooks.is_active = serve, is_active
    import botocore.endpoint
    import botocore.handlers
    from botocore.awsrequest import AWSResponse

    _hooks.response_class = AWSResponse
    modules = (botocore.handlers, botocore.endpoint)
    with _install_lock:
        if _hooks.botocore_modules == modules:
            return
        import wrapt

        # Sessions created from now on copy BUILTIN_HANDLERS into their emitters, and their
        # clients copy the session's emitter. Registering first keeps other before-send
        # handlers (moto's among them) from answering STS and IAM while a mock is active.
        for service in SERVICES:
            botocore.handlers.BUILTIN_HANDLERS.append(
                (f"before-send.{service}", _before_send, botocore.handlers.REGISTER_FIRST)
            )
        # Clients made before this point have emitters without the handler; their requests
        # still pass through Endpoint._send, which is patched on the class.
        wrapt.wrap_function_wrapper(botocore.endpoint.Endpoint, "_send", _endpoint_send)
        _hooks.botocore_modules = modules


def _before_send(request: Any, event_name: str, **kwargs: Any) -> Any:
    # event_name is "before-send.<service id>.<operation>".
    return _answer(event_name.split(".", 2)[1], request)


def _endpoint_send(wrapped: Any, endpoint: Any, args: Any, kwargs: Any) -> Any:
    request = args[0] if args else kwargs["request"]
    response = _answer(endpoint._endpoint_prefix, request)
    return wrapped(*args, **kwargs) if response is None else response


def _answer(service: str, request: Any) -> Any:
    # Every STS and IAM call of the process passes here, mocked or not: stay cheap when idle.
    serve = _hooks.serve
    if service not in SERVICES or serve is None or not _hooks.is_active():
        return None
    body = request.body
    if body is None:
        body = b""
    elif isinstance(body, str):
        body = body.encode()
    elif not isinstance(body, bytes):
        body = body.read()
    response = serve(
        service, HttpRequest(request.method, request.url, _lowercase(request.headers), body)
    )
    if response is None:
        return None
    # AWSResponse wraps the headers in its own case-insensitive HeadersDict.
    # The body is read already: botocore takes it as bytes, aiobotocore awaits it.
    content = _Content(response.body)
    answer = _hooks.response_class(request.url, response.status, response.headers, content)
    answer._content = content
    return answer


def _lowercase(headers: Any) -> dict[str, Any]:
    """The request's headers as a plain dict with lower-case names."""
    try:
        # botocore's HeadersDict wraps every name in a key object on each access; reading
        # its table directly is ten times cheaper, and this runs on every request.
        return {key._lower: value for key, value in headers._dict.items()}
    except AttributeError:
        return {name.lower(): value for name, value in headers.items()}


class _Content(bytes):
    """A response body botocore reads as bytes and aiobotocore awaits."""

    def __await__(self) -> Generator[Any, None, bytes]:
        return self._read().__await__()

    async def _read(self) -> bytes:
        return bytes(self)


def default_session_patch(access_key_id: str) -> Any:
    """A patch that gives boto3 a new default session, or None when its own will do.

    boto3's default session resolves credentials once and keeps them. When they are not
    ``access_key_id`` (the mock's environment keys), the session is replaced while the mock
    is active, so code under test signs with the mock's keys. Keeping a session that already
    holds them saves botocore reloading its data files for every client.
    """
    from unittest import mock

    boto3 = sys.modules.get("boto3")
    session = getattr(boto3, "DEFAULT_SESSION", None)
    if session is None:
        return None
    credentials = session.get_credentials()
    if credentials is not None and credentials.access_key == access_key_id:
        return None
    return mock.patch.object(boto3, "DEFAULT_SESSION", None)


# ---------------------------------------------------------------------------------------
# Plain HTTP clients (requests), served while at least one mock is active.


def activate_requests() -> None:
    """Start answering STS and IAM URLs requested with ``requests``; other URLs pass."""
    from unittest import mock

    import requests.adapters

    # Other URLs go to whatever sent them before: the network, or a user's own responses
    # mock activated earlier (whose registered URLs keep working inside a mock_sts block).
    requests_mock, send = _requests_mock_passing_to(requests.adapters.HTTPAdapter.send)
    _claim_aws_endpoints_from_other_mocks()
    # What RequestsMock.start() does, without looking its target up by name on every start.
    _hooks.requests_patch = mock.patch.object(requests.adapters.HTTPAdapter, "send", send)
    _hooks.requests_patch.start()
    _hooks.requests_mock = requests_mock


@functools.lru_cache(maxsize=1)
def _requests_mock_passing_to(previous_send: Any) -> tuple[Any, Any]:
    """A responses mock that answers STS and IAM URLs and passes the others to
    ``previous_send``, with the adapter method that consults it; made once for each."""
    import responses

    requests_mock = responses.RequestsMock(
        assert_all_requests_are_fired=False, real_adapter_send=previous_send
    )
    for method in (responses.GET, responses.POST):
        requests_mock.add_callback(
            method, re.compile(".*"), callback=_requests_callback, match=[_is_aws_endpoint]
        )
    requests_mock.add_passthru(re.compile(".*"))
    return requests_mock, requests_mock.unbound_on_send()


def _claim_aws_endpoints_from_other_mocks() -> None:
    """A user's responses mock started inside a mock_sts block patches over ours; STS and IAM
    URLs it is asked for are still answered by mock_sts, never refused or sent out."""
    import responses

    with _install_lock:
        if _hooks.responses_class is responses.RequestsMock:
            return
        import wrapt

        wrapt.wrap_function_wrapper(responses.RequestsMock, "_on_request", _other_on_request)
        _hooks.responses_class = responses.RequestsMock


def _other_on_request(wrapped: Any, mock: Any, args: Any, kwargs: Any) -> Any:
    ours = _hooks.requests_mock
    if ours is None or mock is ours or not _is_aws_endpoint(args[1])[0]:
        return wrapped(*args, **kwargs)
    return ours._on_request(*args, **kwargs)


def deactivate_requests() -> None:
    _hooks.requests_patch.stop()
    # What it answered is history: no call list grows forever.
    _hooks.requests_mock.calls.reset()
    _hooks.requests_patch = _hooks.requests_mock = None


def _is_aws_endpoint(request: Any) -> tuple[bool, str]:
    host = urlsplit(request.url).netloc
    if _ids.endpoint_of_host(host) is None:
        return False, f"{host} is no STS or IAM endpoint"
    return True, ""


def _requests_callback(request: Any) -> tuple[int, dict[str, str], bytes]:
    service, _ = _ids.endpoint_of_host(urlsplit(request.url).netloc) or ("sts", "")
    body = request.body or b""
    if isinstance(body, str):
        body = body.encode()
    assert _hooks.serve is not None
    response = _hooks.serve(
        service, HttpRequest(request.method, request.url, _lowercase(request.headers), body)
    )
    if response is None:
        # The last mock stopped while this request was on its way: no endpoint answers.
        import requests

        raise requests.ConnectionError(f"Connection refused by mock_sts: {request.url}")
    return response.status, response.headers, response.body
