"""The hooks on aiobotocore's classes, driven through classes shaped as aiobotocore's are
(coroutine methods and an awaited emitter), so that they run wherever aiobotocore is not
installed; tests/activation/test_aiobotocore.py drives real aiobotocore clients."""

from __future__ import annotations

import asyncio
import types
from typing import Any

import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.session

from mock_sts import MockSTS, _intercept


class AsyncEmitter:
    """An emitter whose emit is awaited, as aiobotocore's is."""

    def __init__(self) -> None:
        self.events: list[str] = []

    async def emit(self, event_name: str, **kwargs: Any) -> list[tuple[Any, Any]]:
        self.events.append(event_name)
        return []


class AioClient:
    async def _emit_api_params(
        self, api_params: dict[str, Any], operation_model: Any, context: dict[str, Any]
    ) -> dict[str, Any]:
        return {**api_params, "handled": True}


class AioEndpoint:
    """What aiobotocore's endpoint does with before-send: await the emitter, take the first
    answer, or send (here: answer 200 with a parsed body)."""

    def __init__(self) -> None:
        self._event_emitter = AsyncEmitter()

    async def _do_get_response(
        self, request: Any, operation_model: Any, context: dict[str, Any]
    ) -> Any:
        responses = await self._event_emitter.emit(
            f"before-send.{operation_model.service_model.endpoint_prefix}.x", request=request
        )
        answers = [answer for _, answer in responses if answer is not None]
        await self._event_emitter.emit("before-parse.x", operation_model=operation_model)
        if answers:
            return (answers[0], {"answered": True}), None
        sent = types.SimpleNamespace(status_code=200)
        return (sent, {"Sent": True}), None


def hooked() -> tuple[type[AioClient], type[AioEndpoint]]:
    # Fresh classes with the methods in their own namespace, as aiobotocore's override them.
    class HookedClient(AioClient):
        _emit_api_params = AioClient._emit_api_params

    class HookedEndpoint(AioEndpoint):
        _do_get_response = AioEndpoint._do_get_response

    _intercept._hook_aiobotocore_client(types.SimpleNamespace(AioBaseClient=HookedClient))
    _intercept._hook_aiobotocore_endpoint(types.SimpleNamespace(AioEndpoint=HookedEndpoint))
    # Hooking twice (a botocore imported afresh registers the hooks again) wraps once.
    _intercept._hook_aiobotocore_endpoint(types.SimpleNamespace(AioEndpoint=HookedEndpoint))
    return HookedClient, HookedEndpoint


def signed(service: str, url: str, mock: MockSTS) -> Any:
    credentials = mock.admin_credentials()
    request = botocore.awsrequest.AWSRequest(method="GET", url=url, data=b"")
    botocore.auth.SigV4Auth(
        botocore.credentials.Credentials(credentials.access_key_id, credentials.secret_access_key),
        service,
        "us-east-1",
    ).add_auth(request)
    return request.prepare()


def operation(service: str, name: str) -> Any:
    return botocore.session.get_session().get_service_model(service).operation_model(name)


def test_answers_skip_every_other_before_send_handler() -> None:
    client_class, endpoint_class = hooked()
    with MockSTS() as mock:
        endpoint = endpoint_class()
        context: dict[str, Any] = {}
        params = asyncio.run(
            client_class()._emit_api_params({}, operation("sts", "GetCallerIdentity"), context)
        )
        assert params == {"handled": True}
        request = signed("sts", "https://sts.amazonaws.com/?Action=GetCallerIdentity", mock)

        (response, parsed), error = asyncio.run(
            endpoint._do_get_response(request, operation("sts", "GetCallerIdentity"), context)
        )

    assert (error, parsed) == (None, {"answered": True})
    assert response.status_code == 200
    # The emitter saw no before-send event: the mock's answer stood in for all of them.
    assert endpoint._event_emitter.events == ["before-parse.x"]


def test_requests_let_through_are_told_what_the_service_answered() -> None:
    _, endpoint_class = hooked()
    with MockSTS() as mock:
        endpoint = endpoint_class()
        request = signed("s3", "https://s3.amazonaws.com/", mock)

        (_, parsed), _ = asyncio.run(
            endpoint._do_get_response(request, operation("s3", "ListBuckets"), {})
        )

        assert parsed == {"Sent": True}
        call = mock.calls[-1]
        assert (call.service, call.action, call.status, call.allowed) == (
            "s3",
            "ListBuckets",
            200,
            True,
        )
