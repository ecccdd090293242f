"""A service's refusals in its own words and wire format, so that botocore raises the
ClientError it would raise against AWS.

Each service answers a denial, an expired token and an unknown key with codes of its own
(docs/authorization.md, "Refusals"). What a service's botocore model says wins: an access
denial error shape with its code and HTTP status. Otherwise the service's own row in
``_CODES``, else its protocol family's. The format (XML of the query, EC2 and REST-XML
protocols, JSON of the JSON and REST-JSON protocols, CBOR of the RPC v2 protocol) follows the
protocol botocore resolves for the service.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from botocore.model import NoShapeFoundError, ShapeResolver
from botocore.serialize import CBORSerializer

from mock_sts import _access, _messages
from mock_sts._wire import AWSError, HttpResponse

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel

    from mock_sts._decision import Decision
    from mock_sts._operation import RequestInfo
    from mock_sts._services._catalogue import Target
    from mock_sts._state import Backend, Caller


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused, before the service's own code is chosen."""

    kind: str  # "denied", "expired" or "invalid key"
    # For "denied": the service's whole text (``denial`` writes it); otherwise why the
    # credentials were refused, for the record.
    message: str


def denial(
    backend: Backend,
    operation: OperationModel,
    caller: Caller,
    info: RequestInfo,
    target: Target,
    decision: Decision,
) -> Refusal:
    """The refusal of ``target`` by ``decision``, worded as the service words it."""
    signing_name = operation.service_model.signing_name
    action = _SPELLINGS.get(signing_name, _as_is)(target.action)
    if target.resource == "*" and signing_name in _WITHOUT_ANY_RESOURCE:
        sentence = _messages.NOT_AUTHORIZED.format(caller.arn, action)
    else:
        on = _messages.S3_NOT_AUTHORIZED_ON if signing_name == "s3" else _messages.NOT_AUTHORIZED_ON
        sentence = on.format(caller.arn, action, target.resource)
    sentence += decision.denial_suffix(action)
    if signing_name != "ec2":
        return Refusal("denied", sentence)
    if operation.name.startswith("Describe"):
        # EC2's read-only calls say no more than this, and attach no encoded message.
        return Refusal("denied", _messages.EC2_UNAUTHORIZED)
    encoded = _access.encode_denial(
        backend, caller, decision, target.action, target.resource, target.keys, info
    )
    return Refusal(
        "denied", _messages.EC2_UNAUTHORIZED_ENCODED.format(sentence, encoded.encoded_message)
    )


def _as_is(action: str) -> str:
    return action


# How a service writes the action in its denials, where not as IAM does.
_SPELLINGS: Mapping[str, Callable[[str], str]] = {
    "sqs": str.lower,  # sqs:sendmessage
    "sns": lambda action: "SNS:" + action.partition(":")[2],  # SNS:Publish
}

# Services whose denials of an action on any resource ("*") name no resource at all; the
# others say "on resource: *".
_WITHOUT_ANY_RESOURCE = frozenset({"monitoring", "s3", "ec2"})


# ---------------------------------------------------------------------------------------
# Codes and statuses


def error_of(operation: OperationModel, refusal: Refusal) -> AWSError:
    """The error the service answers a refused request with."""
    model = operation.service_model
    family = _family(operation)
    code, status, message = _CODES.get(
        (model.signing_name, refusal.kind), _FAMILY_CODES[(family, refusal.kind)]
    )
    if refusal.kind == "denied":
        modeled = _modeled_denial(model)
        if modeled is not None:
            code, status = modeled[0], modeled[1] or status
    return AWSError(code, message or refusal.message, status)


def _family(operation: OperationModel) -> str:
    """Whose codes a service answers with: its protocol's, or the query protocol's for the
    services that moved from it to JSON and still answer with their query codes."""
    model = operation.service_model
    protocol = _protocol(operation)
    if protocol == "json" and model.metadata.get("awsQueryCompatible") is not None:
        return "xml"
    return _FAMILIES.get(protocol, "json")


_FAMILIES = {
    "json": "json",
    "smithy-rpc-v2-cbor": "json",
    "rest-json": "rest-json",
    "query": "xml",
    "rest-xml": "xml",
    "ec2": "ec2",
}

# (code, HTTP status, message; "" for the refusal's own), by (protocol family, kind).
# Provenance of each row: docs/authorization.md.
_FAMILY_CODES: Mapping[tuple[str, str], tuple[str, int, str]] = {
    ("json", "denied"): ("AccessDeniedException", 400, ""),
    ("json", "expired"): ("ExpiredTokenException", 400, _messages.EXPIRED_TOKEN),
    ("json", "invalid key"): ("UnrecognizedClientException", 400, _messages.INVALID_CLIENT_TOKEN),
    ("rest-json", "denied"): ("AccessDeniedException", 403, ""),
    ("rest-json", "expired"): ("ExpiredTokenException", 403, _messages.EXPIRED_TOKEN),
    ("rest-json", "invalid key"): (
        "UnrecognizedClientException",
        403,
        _messages.INVALID_CLIENT_TOKEN,
    ),
    ("xml", "denied"): ("AccessDenied", 403, ""),
    ("xml", "expired"): ("ExpiredToken", 403, _messages.EXPIRED_TOKEN),
    ("xml", "invalid key"): ("InvalidClientTokenId", 403, _messages.INVALID_CLIENT_TOKEN),
    ("ec2", "denied"): ("UnauthorizedOperation", 403, ""),
    ("ec2", "expired"): ("RequestExpired", 400, _messages.EC2_REQUEST_EXPIRED),
    ("ec2", "invalid key"): ("AuthFailure", 401, _messages.EC2_AUTH_FAILURE),
}

# Where a service answers otherwise than its family, by (signing name, kind).
_CODES: Mapping[tuple[str, str], tuple[str, int, str]] = {
    ("s3", "expired"): ("ExpiredToken", 400, _messages.S3_EXPIRED_TOKEN),
    ("s3", "invalid key"): ("InvalidAccessKeyId", 403, _messages.S3_INVALID_ACCESS_KEY),
}

# The names models give the error of an access denial (S3, CloudFront: AccessDenied; SNS:
# AuthorizationErrorException, code AuthorizationError; most others AccessDeniedException).
_DENIAL_SHAPES = ("AccessDeniedException", "AccessDenied", "AuthorizationErrorException")


def _modeled_denial(model: ServiceModel) -> tuple[str, int | None] | None:
    """The code and HTTP status (when the model gives one) of the service's modeled access
    denial."""
    for name in _DENIAL_SHAPES:
        try:
            shape = model.shape_for(name)
        except NoShapeFoundError:
            continue
        error = shape.metadata.get("error") or {}
        return error.get("code", name), error.get("httpStatusCode")
    return None


def _protocol(operation: OperationModel) -> str:
    model = operation.service_model
    # botocore's choice among the protocols a service speaks (older releases know one).
    protocol: str = getattr(model, "resolved_protocol", None) or model.protocol
    return protocol


# ---------------------------------------------------------------------------------------
# Rendering


def render(operation: OperationModel, error: AWSError, request_id: str) -> HttpResponse:
    """The service's answer with ``error``, in its protocol's format."""
    renderer = _RENDERERS.get(_protocol(operation), _render_json)
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
        f"<Error><Code>{error.code}</Code><Message>{escape(error.message)}</Message>"
        f"<RequestId>{request_id}</RequestId></Error>"
    ).encode()
    return body, {"Content-Type": "application/xml"}


def _render_query(operation: OperationModel, error: AWSError, request_id: str) -> Rendered:
    namespace = escape(_xml_namespace(operation.service_model), {'"': "&quot;"})
    body = (
        f'<ErrorResponse xmlns="{namespace}"><Error><Type>Sender</Type>'
        f"<Code>{error.code}</Code><Message>{escape(error.message)}</Message></Error>"
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
        f"<Message>{escape(error.message)}</Message></Error></Errors>"
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
