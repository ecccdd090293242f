"""Other services' error answers in their own wire formats, driven by botocore's models:
XML of the query, EC2 and REST-XML protocols, JSON of the JSON and REST-JSON protocols, CBOR
of the RPC v2 protocol, as botocore resolves the service's protocol. Which code and message a
service answers is ``_services._errors``' to say; how it looks on the wire is said here."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from botocore.model import NoShapeFoundError, ShapeResolver
from botocore.serialize import CBORSerializer

from mock_sts._http import HttpResponse
from mock_sts._wire import AWSError, xml_text

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel


def protocol_of(operation: OperationModel) -> str:
    """The protocol the service speaks: botocore's choice among those it lists (older
    releases know one)."""
    model = operation.service_model
    protocol: str = getattr(model, "resolved_protocol", None) or model.protocol
    return protocol


def render(operation: OperationModel, error: AWSError, request_id: str) -> HttpResponse:
    """The service's answer with ``error``, in its protocol's format."""
    renderer = _RENDERERS.get(protocol_of(operation), _render_json)
    body, headers = renderer(operation, error, request_id)
    return HttpResponse(
        error.status,
        body,
        {"x-amzn-RequestId": request_id, "Content-Length": str(len(body)), **headers},
    )


Rendered = tuple[bytes, Mapping[str, str]]


def _json_fields(operation: OperationModel, error: AWSError) -> tuple[str, dict[str, str]]:
    """The error's code as a JSON body's ``__type`` and the body's members; with the
    x-amzn-query-error header's value for services that kept their query codes."""
    model = operation.service_model
    code = error.code
    query_error = ""
    if model.metadata.get("awsQueryCompatible") is not None:
        # botocore raises the header's code and keeps the body's as QueryErrorCode.
        query_error = f"{code};Sender"
        code = _JSON_CODES.get(code, code)
    return query_error, {"__type": code, _message_member(model, code): error.message}


# The JSON codes behind the query codes of services that moved to JSON (SQS, CloudWatch).
_JSON_CODES = {
    "AccessDenied": "AccessDeniedException",
    "ExpiredToken": "ExpiredTokenException",
    "InvalidClientTokenId": "UnrecognizedClientException",
}


def _message_member(model: ServiceModel, code: str) -> str:
    """How the error's body spells its message: as the model's shape of the error does,
    else as DynamoDB's AccessDeniedException does (Message), else "message"."""
    try:
        members = model.shape_for(code).members
    except NoShapeFoundError:
        members = {}
    if "Message" in members or (model.signing_name, code) in _CAPITAL_MESSAGE:
        return "Message"
    return "message"


_CAPITAL_MESSAGE = frozenset({("dynamodb", "AccessDeniedException")})


def _render_json(operation: OperationModel, error: AWSError, request_id: str) -> Rendered:
    query_error, fields = _json_fields(operation, error)
    version = operation.service_model.metadata.get("jsonVersion", "1.0")
    headers = {"Content-Type": f"application/x-amz-json-{version}"}
    if query_error:
        headers["x-amzn-query-error"] = query_error
    return json.dumps(fields).encode(), headers


def _render_cbor(operation: OperationModel, error: AWSError, request_id: str) -> Rendered:
    _, fields = _json_fields(operation, error)
    body = bytearray()
    # botocore's own CBOR encoder, given a map of strings to strings to write.
    CBORSerializer()._serialize_data_item(body, fields, _CBOR_TEXT_MAP)
    headers = {"Content-Type": "application/cbor", "smithy-protocol": "rpc-v2-cbor"}
    return bytes(body), headers


_CBOR_TEXT_MAP = ShapeResolver(
    {
        "TextMap": {"type": "map", "key": {"shape": "Text"}, "value": {"shape": "Text"}},
        "Text": {"type": "string"},
    }
).get_shape_by_name("TextMap")


def _render_rest_json(operation: OperationModel, error: AWSError, request_id: str) -> Rendered:
    member = _message_member(operation.service_model, error.code)
    body = json.dumps({"Type": "User", member: error.message}).encode()
    return body, {"Content-Type": "application/json", "x-amzn-ErrorType": error.code}


def _render_rest_xml(operation: OperationModel, error: AWSError, request_id: str) -> Rendered:
    if operation.service_model.signing_name != "s3":
        return _render_query(operation, error, request_id)
    # S3 alone answers with a bare Error element.
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Error><Code>{error.code}</Code><Message>{xml_text(error.message)}</Message>"
        f"<RequestId>{request_id}</RequestId></Error>"
    ).encode()
    return body, {"Content-Type": "application/xml"}


def _render_query(operation: OperationModel, error: AWSError, request_id: str) -> Rendered:
    namespace = xml_text(_xml_namespace(operation.service_model))
    body = (
        f'<ErrorResponse xmlns="{namespace}"><Error><Type>Sender</Type>'
        f"<Code>{error.code}</Code><Message>{xml_text(error.message)}</Message></Error>"
        f"<RequestId>{request_id}</RequestId></ErrorResponse>"
    ).encode()
    return body, {"Content-Type": "text/xml"}


def _xml_namespace(model: ServiceModel) -> str:
    """The service's XML namespace: the model's, or (REST-XML services) the one its
    operations' inputs are written in."""
    namespace = model.metadata.get("xmlNamespace")
    if namespace:
        return str(namespace)
    inputs = (model.operation_model(name).input_shape for name in model.operation_names)
    uris = (shape.serialization.get("xmlNamespace", {}).get("uri") for shape in inputs if shape)
    return next((str(uri) for uri in uris if uri), "")


def _render_ec2(operation: OperationModel, error: AWSError, request_id: str) -> Rendered:
    body = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<Response><Errors><Error><Code>{error.code}</Code>"
        f"<Message>{xml_text(error.message)}</Message></Error></Errors>"
        f"<RequestID>{request_id}</RequestID></Response>"
    ).encode()
    return body, {"Content-Type": "text/xml;charset=UTF-8"}


_RENDERERS: Mapping[str, Callable[[OperationModel, AWSError, str], Rendered]] = {
    "json": _render_json,
    "smithy-rpc-v2-cbor": _render_cbor,
    "rest-json": _render_rest_json,
    "rest-xml": _render_rest_xml,
    "query": _render_query,
    "ec2": _render_ec2,
}
