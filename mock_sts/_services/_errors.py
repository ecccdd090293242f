"""A service's refusals in its own words and wire format, so that botocore raises the
ClientError it would raise against AWS.

Each service answers a denial, an expired token and an unknown key with codes of its own;
the format (XML of the query, EC2 and REST-XML protocols, JSON of the JSON and REST-JSON
protocols) follows the protocol botocore's model gives the service.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from mock_sts import _messages
from mock_sts._wire import AWSError, HttpResponse

if TYPE_CHECKING:
    from botocore.model import OperationModel


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused, before the service's own words are chosen."""

    kind: str  # "denied", "expired" or "invalid key"
    message: str  # for "denied": AWS's "User: ... is not authorized to perform: ..." text


def error_of(operation: OperationModel, refusal: Refusal) -> AWSError:
    """The error the service answers a refused request with."""
    service_model = operation.service_model
    by_service = _CODES.get((service_model.signing_name, refusal.kind))
    if by_service is not None:
        code, status, message = by_service
    else:
        family = "json" if _protocol(operation) in _JSON_PROTOCOLS else "xml"
        code, status, message = _PROTOCOL_CODES[(family, refusal.kind)]
    return AWSError(code, message or refusal.message, status)


def render(operation: OperationModel, error: AWSError, request_id: str) -> HttpResponse:
    """The service's answer with ``error``, in its protocol's format."""
    service_model = operation.service_model
    renderer = _RENDERERS.get(_protocol(operation), _render_json)
    body, headers = renderer(service_model.metadata, error, request_id)
    return HttpResponse(
        error.status,
        body,
        {"x-amzn-RequestId": request_id, "Content-Length": str(len(body)), **headers},
    )


def _protocol(operation: OperationModel) -> str:
    model = operation.service_model
    # botocore's choice among the protocols a service speaks (older releases know one).
    protocol: str = getattr(model, "resolved_protocol", None) or model.protocol
    return protocol


_JSON_PROTOCOLS = frozenset({"json", "rest-json", "smithy-rpc-v2-cbor"})


# (code, status, message; "" for the refusal's own message), by (protocol family, kind).
_PROTOCOL_CODES: Mapping[tuple[str, str], tuple[str, int, str]] = {
    ("json", "denied"): ("AccessDeniedException", 400, ""),
    ("json", "expired"): ("ExpiredTokenException", 400, _messages.EXPIRED_TOKEN),
    ("json", "invalid key"): ("UnrecognizedClientException", 400, _messages.INVALID_CLIENT_TOKEN),
    ("xml", "denied"): ("AccessDenied", 403, ""),
    ("xml", "expired"): ("ExpiredToken", 403, _messages.EXPIRED_TOKEN),
    ("xml", "invalid key"): ("InvalidClientTokenId", 403, _messages.INVALID_CLIENT_TOKEN),
}

# Where a service answers otherwise than its protocol's family, by (signing name, kind).
_CODES: Mapping[tuple[str, str], tuple[str, int, str]] = {
    ("s3", "expired"): ("ExpiredToken", 400, _messages.S3_EXPIRED_TOKEN),
    ("s3", "invalid key"): ("InvalidAccessKeyId", 403, _messages.S3_INVALID_ACCESS_KEY),
    ("sns", "denied"): ("AuthorizationError", 403, ""),
    ("lambda", "denied"): ("AccessDeniedException", 403, ""),
    ("lambda", "expired"): ("ExpiredTokenException", 403, _messages.EXPIRED_TOKEN),
    ("lambda", "invalid key"): ("UnrecognizedClientException", 403, _messages.INVALID_CLIENT_TOKEN),
    ("ec2", "denied"): ("UnauthorizedOperation", 403, ""),
    ("ec2", "expired"): ("RequestExpired", 400, _messages.EC2_REQUEST_EXPIRED),
    ("ec2", "invalid key"): ("AuthFailure", 401, _messages.EC2_AUTH_FAILURE),
}


Rendered = tuple[bytes, Mapping[str, str]]


def _render_json(metadata: Mapping[str, object], error: AWSError, request_id: str) -> Rendered:
    body = json.dumps({"__type": error.code, "message": error.message}).encode()
    headers = {"Content-Type": f"application/x-amz-json-{metadata.get('jsonVersion', '1.0')}"}
    if metadata.get("awsQueryCompatible") is not None:
        # Services that moved from the query protocol still send their query error code.
        headers["x-amzn-query-error"] = f"{_QUERY_CODES.get(error.code, error.code)};Sender"
    return body, headers


# The query-protocol codes of services that moved to JSON (SQS), by their JSON code.
_QUERY_CODES = {"AccessDeniedException": "AccessDenied"}


def _render_rest_json(metadata: Mapping[str, object], error: AWSError, request_id: str) -> Rendered:
    body = json.dumps({"Type": "User", "message": error.message}).encode()
    return body, {"Content-Type": "application/json", "x-amzn-ErrorType": error.code}


def _render_rest_xml(metadata: Mapping[str, object], error: AWSError, request_id: str) -> Rendered:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{error.code}</Code><Message>{escape(error.message)}</Message>"
        f"<RequestId>{request_id}</RequestId></Error>"
    ).encode()
    return body, {"Content-Type": "application/xml"}


def _render_query(metadata: Mapping[str, object], error: AWSError, request_id: str) -> Rendered:
    namespace = escape(str(metadata.get("xmlNamespace", "")), {'"': "&quot;"})
    body = (
        f'<ErrorResponse xmlns="{namespace}"><Error><Type>Sender</Type>'
        f"<Code>{error.code}</Code><Message>{escape(error.message)}</Message></Error>"
        f"<RequestId>{request_id}</RequestId></ErrorResponse>"
    ).encode()
    return body, {"Content-Type": "text/xml"}


def _render_ec2(metadata: Mapping[str, object], error: AWSError, request_id: str) -> Rendered:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Response><Errors><Error><Code>{error.code}</Code>"
        f"<Message>{escape(error.message)}</Message></Error></Errors>"
        f"<RequestID>{request_id}</RequestID></Response>"
    ).encode()
    return body, {"Content-Type": "text/xml;charset=UTF-8"}


_RENDERERS = {
    "json": _render_json,
    "rest-json": _render_rest_json,
    "rest-xml": _render_rest_xml,
    "query": _render_query,
    "ec2": _render_ec2,
}
