"""Where requests are caught: every botocore request just before it is sent, and STS and IAM
URLs requested with ``requests`` (through responses).

This is the only module that touches botocore's or responses' internals. Everything is
installed once; the hooks act only while a mock is active and let requests go on as usual
otherwise.
"""

from __future__ import annotations

import functools
import inspect
import re
import sys
import threading
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from mock_sts import _ids
from mock_sts._http import SERVICES, ClientCall, HttpRequest, HttpResponse, Served

Serve = Callable[[str, HttpRequest], "HttpResponse | None"]


# What the active mocks do with a botocore request: answer it (STS and IAM, or a refusal of
# another service's request), let it go on and be told the service's answer (Served), or let
# it go on its way (None).
Answer = Callable[[ClientCall], "HttpResponse | Served | None"]


@dataclass
class _Hooks:
    """What this process hooked, and who answers through the hooks (the stack of active
    mocks, which ``_mock`` keeps)."""

    serve: Serve | None = None
    answer: Answer | None = None
    is_active: Callable[[], bool] = bool
    botocore_modules: tuple[Any, ...] | None = None  # the botocore modules hooked
    response_class: Any = None  # their AWSResponse, which answers are made of
    responses_class: Any = None  # the responses.RequestsMock class hooked
    # botocore's data loaders, by search path, that sessions made under a mock share
    loaders: dict[str | None, Any] = field(default_factory=dict)
    requests_mock: Any = None  # the responses mock answering while a mock is active
    requests_patch: Any = None  # and the patch that put it in requests' way


_hooks = _Hooks()
_install_lock = threading.Lock()

# Where a client's parameters are kept in botocore's per-request context dict.
_PARAMS = "mock_sts.params"


def install(serve: Serve, answer: Answer, is_active: Callable[[], bool]) -> None:
    """Hook botocore once: ``answer`` decides each botocore request while ``is_active()``,
    ``serve`` answers STS and IAM URLs that plain HTTP clients request.

    Cheap when already done. Hooks are tied to the botocore modules they were put on, so a
    botocore imported afresh (as pytester's in-process runs do) is hooked again.
    """
    _hooks.serve, _hooks.answer, _hooks.is_active = serve, answer, is_active
    import botocore.client
    import botocore.endpoint
    import botocore.session
    from botocore.awsrequest import AWSResponse

    _hooks.response_class = AWSResponse
    modules = (botocore.client, botocore.endpoint, botocore.session)
    with _install_lock:
        if _hooks.botocore_modules == modules:
            return
        import wrapt

        # Patched on the classes, so clients made before a mock started are caught too.
        # botocore emits before-send to every handler registered (moto's among them) and
        # takes the first answer: a request the mock answers or refuses must not reach
        # them at all, so the mock steps in before the event is emitted.
        wrapt.wrap_function_wrapper(
            botocore.client.BaseClient, "_emit_api_params", _emit_api_params
        )
        wrapt.wrap_function_wrapper(
            botocore.endpoint.Endpoint, "_do_get_response", _do_get_response
        )
        wrapt.wrap_function_wrapper(botocore.session, "create_loader", _shared_loader)
        _hooks.loaders.clear()
        _hooks.botocore_modules = modules
        # aiobotocore's classes override both methods: they are hooked when it is imported.
        wrapt.register_post_import_hook(_hook_aiobotocore_client, "aiobotocore.client")
        wrapt.register_post_import_hook(_hook_aiobotocore_endpoint, "aiobotocore.endpoint")


def _hook_aiobotocore_client(module: Any) -> None:
    _hook_once(module.AioBaseClient, "_emit_api_params", _emit_api_params)


def _hook_aiobotocore_endpoint(module: Any) -> None:
    _hook_once(module.AioEndpoint, "_do_get_response", _do_get_response)


def _hook_once(cls: type, method: str, wrapper: Any) -> None:
    import wrapt

    # Hooks registered again (for a botocore imported afresh) run again for the same class.
    if not isinstance(cls.__dict__[method], wrapt.FunctionWrapper):
        wrapt.wrap_function_wrapper(cls, method, wrapper)


def _emit_api_params(wrapped: Any, client: Any, args: Any, kwargs: Any) -> Any:
    """Keep the parameters of a call (after botocore's handlers) for deciding its request."""
    params = wrapped(*args, **kwargs)
    if not _hooks.is_active():
        return params
    context = args[2] if len(args) > 2 else kwargs["context"]
    if inspect.isawaitable(params):  # aiobotocore's coroutine

        async def kept() -> Any:
            context[_PARAMS] = result = await params
            return result

        return kept()
    context[_PARAMS] = params
    return params


def _shared_loader(wrapped: Any, _module: Any, args: Any, kwargs: Any) -> Any:
    """While a mock is active, a botocore session made afresh (moto drops boto3's default
    session on every start; tests make ``boto3.Session()``) reads botocore's data through
    the loader of an earlier one with the same search path, which has the service models
    and endpoint rules loaded already, instead of reading the JSON files again (tens of
    milliseconds per session). The data is read-only: one session shares it among its
    clients the same way."""
    if not _hooks.is_active():
        return wrapped(*args, **kwargs)
    search_path = args[0] if args else kwargs.get("search_path_string")
    loader = _hooks.loaders.get(search_path)
    if loader is None:
        loader = _hooks.loaders[search_path] = wrapped(*args, **kwargs)
    return loader


def _do_get_response(wrapped: Any, endpoint: Any, args: Any, kwargs: Any) -> Any:
    answer = _hooks.answer
    if answer is None or not _hooks.is_active():
        return wrapped(*args, **kwargs)
    request, operation, context = _request_args(*args, **kwargs)
    service_model = operation.service_model
    verdict = answer(
        ClientCall(
            service=service_model.endpoint_prefix,
            signing_name=service_model.signing_name,
            operation=operation,
            params=context.get(_PARAMS) or {},
            request=HttpRequest(
                request.method,
                request.url,
                _lowercase(request.headers),
                _body(request, read_streams=service_model.endpoint_prefix in SERVICES),
            ),
        )
    )
    if verdict is None:
        return wrapped(*args, **kwargs)
    if isinstance(verdict, HttpResponse):
        # botocore reads and parses the answer as it would the network's; the endpoint
        # stands in for itself with an emitter whose before-send event has this answer
        # and nothing else.
        answered = _Answered(
            endpoint,
            _aws_response(request.url, verdict),
            asynchronous=inspect.iscoroutinefunction(wrapped),
        )
        return wrapped.__func__(answered, *args, **kwargs)
    result = wrapped(*args, **kwargs)
    if inspect.isawaitable(result):  # aiobotocore's coroutine
        return _told_when_done(result, verdict)
    _tell(verdict, result)
    return result


async def _told_when_done(result: Any, served: Served) -> Any:
    done = await result
    _tell(served, done)
    return done


def _tell(served: Served, result: Any) -> None:
    """Tell ``served`` what the service answered: botocore's (response, parsed) or an
    exception (the request never got an answer: status 0)."""
    response, _ = result
    if response is None:
        served(0, None, {})
        return
    http_response, parsed = response
    error = parsed.get("Error") or {}
    served(http_response.status_code, error.get("Code"), parsed)


def _request_args(
    request: Any, operation_model: Any, context: Any = None, **kwargs: Any
) -> tuple[Any, Any, dict[str, Any]]:
    return request, operation_model, context if context is not None else {}


def _body(request: Any, *, read_streams: bool) -> bytes:
    """The request's body; a stream only when ``read_streams`` (STS and IAM, whose bodies
    are small forms the mock reads). Other services' uploads are sent as they are."""
    body = request.body
    if body is None:
        return b""
    if isinstance(body, str):
        return body.encode()
    if isinstance(body, bytes):
        return body
    if not read_streams:
        return b""
    content: bytes = body.read()
    return content


def _aws_response(url: str, response: HttpResponse) -> Any:
    # AWSResponse wraps the headers in its own case-insensitive HeadersDict.
    # The body is read already: botocore takes it as bytes, aiobotocore awaits it.
    content = _Content(response.body)
    answer = _hooks.response_class(url, response.status, response.headers, content)
    answer._content = content
    return answer


class _Answered:
    """An endpoint whose before-send event is answered already."""

    def __init__(self, endpoint: Any, response: Any, *, asynchronous: bool) -> None:
        self._endpoint = endpoint
        emitter = endpoint._event_emitter
        if asynchronous:  # aiobotocore's endpoint awaits its emitter
            self._event_emitter: Any = _AsyncAnsweringEmitter(emitter, response)
        else:
            self._event_emitter = _AnsweringEmitter(emitter, response)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._endpoint, name)


class _AnsweringEmitter:
    def __init__(self, emitter: Any, response: Any) -> None:
        self._emitter, self._response = emitter, response

    def emit(self, event_name: str, **kwargs: Any) -> Any:
        if event_name.startswith("before-send."):
            return [(_before_send, self._response)]
        return self._emitter.emit(event_name, **kwargs)


class _AsyncAnsweringEmitter(_AnsweringEmitter):
    async def emit(self, event_name: str, **kwargs: Any) -> Any:
        if event_name.startswith("before-send."):
            return [(_before_send, self._response)]
        return await self._emitter.emit(event_name, **kwargs)


def _before_send(**kwargs: Any) -> None:
    """The handler an answered before-send event names (botocore logs it)."""


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
