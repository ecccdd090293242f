"""The JSON 1.1 protocol of the service the mock serves in it, Cognito Identity
(STS_REFERENCE §12.8): the operation an ``X-Amz-Target`` header names, its JSON body read
against the model's input shape (the model's constraints checked as for STS and IAM), and
answers and errors as the service writes them.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _cognito_messages, _wire
from mock_sts._http import HttpRequest
from mock_sts._wire import AWSError, service_model

if TYPE_CHECKING:
    from botocore.model import OperationModel, Shape

# The services served in this protocol, by endpoint prefix.
SERVICES = frozenset({"cognito-identity"})
CONTENT_TYPE = "application/x-amz-json-1.1"


def targets(service: str, request: HttpRequest) -> bool:
    """Whether ``request``'s X-Amz-Target names an operation of ``service``'s prefix."""
    target = request.header("x-amz-target") or ""
    prefix: str = service_model(service).metadata["targetPrefix"]
    return target.partition(".")[0] == prefix


def operation_of(service: str, request: HttpRequest) -> OperationModel:
    """The operation ``X-Amz-Target`` names (``<targetPrefix>.<Operation>``)."""
    model = service_model(service)
    prefix, _, name = (request.header("x-amz-target") or "").partition(".")
    if prefix != model.metadata["targetPrefix"] or name not in model.operation_names:
        raise AWSError("UnknownOperationException", _cognito_messages.UNKNOWN_OPERATION, 400)
    return model.operation_model(name)


def decode(operation: OperationModel, body: bytes) -> dict[str, Any]:
    """The request's input as Python values: SerializationException for a body that is no
    JSON object or holds a value of the wrong type, ValidationException for one that breaks
    the model's constraints (listing every one, as for STS and IAM)."""
    try:
        document = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        raise _serialization(_cognito_messages.NOT_JSON) from None
    shape = operation.input_shape  # every operation of the service has one
    known = _typed(shape, document)
    form = _wire.flatten(operation, known)
    # The query form has no way to say an empty map, which is no absent one (``"Roles": {}``
    # is a required member given): it is marked as an empty list is, by its bare key. The
    # service's maps are all members of the input itself.
    form.update(
        (name, "")
        for name, value in known.items()
        if value == {} and shape.members[name].type_name == "map"
    )
    return _wire.decode_input(operation, form)


def _serialization(message: str) -> AWSError:
    return AWSError("SerializationException", message, 400)


_JSON_TYPES: Mapping[str, tuple[type, ...]] = {
    "string": (str,),
    "boolean": (bool,),
    "integer": (int,),
    "long": (int,),
}


def _typed(shape: Shape, value: Any) -> Any:
    """``value`` as ``shape`` wants it, members the shape does not have and JSON nulls left
    out; SerializationException for a value of another JSON type."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members = shape.members
        return {
            name: _typed(members[name], item)
            for name, item in value.items()
            if name in members and item is not None
        }
    if kind == "list" and isinstance(value, list):
        member = shape.member
        return [_typed(member, item) for item in value]
    if kind == "map" and isinstance(value, dict):
        entry = shape.value
        return {key: _typed(entry, item) for key, item in value.items() if item is not None}
    expected = _JSON_TYPES.get(kind)
    if (
        expected is not None
        and isinstance(value, expected)
        and not (isinstance(value, bool) and bool not in expected)
    ):
        return value
    raise _serialization(_cognito_messages.WRONG_TYPE.format(kind))


def own_error(error: AWSError) -> AWSError:
    """``error`` in the JSON protocol's codes, where the checks shared with STS and IAM (the
    model's constraints, the signature, the key) answered in theirs (docs/authorization.md,
    "Refusals": the JSON family's codes, status 400)."""
    code = _JSON_CODES.get(error.code)
    if code is None:
        return error
    own = AWSError(code, error.message, 500 if code == "InternalErrorException" else 400)
    own.reason = error.reason
    return own


_JSON_CODES = {
    "ValidationError": "ValidationException",
    "InvalidClientTokenId": "UnrecognizedClientException",
    "ExpiredToken": "ExpiredTokenException",
    "SignatureDoesNotMatch": "InvalidSignatureException",
    "IncompleteSignature": "IncompleteSignatureException",
    "MissingAuthenticationToken": "MissingAuthenticationTokenException",
    "InternalFailure": "InternalErrorException",
}


# ---------------------------------------------------------------------------------------
# Answers


def render_success(operation: OperationModel, result: Mapping[str, Any]) -> bytes:
    """The JSON body of a successful call: the output shape's members, absent ones left out."""
    convert = _output_converter(operation.service_model.endpoint_prefix, operation.name)
    return json.dumps(convert(result), separators=_COMPACT).encode()


def render_error(error: AWSError) -> bytes:
    """The JSON body of an error: its code as ``__type`` (no namespace) and its message,
    written compactly as the service writes it [O] (aws-amplify/aws-sdk-ios#165: the body of
    "Access to Identity '<id>' is forbidden." is 129 bytes long)."""
    body = {"__type": error.code, "message": error.message}
    return json.dumps(body, separators=_COMPACT).encode()


def error_headers(error: AWSError) -> dict[str, str]:
    """The headers an error is answered with beside its body: ``x-amzn-ErrorType`` (the code
    and a colon) and ``x-amzn-ErrorMessage`` [O] (§12.8), kept to ASCII as headers must be."""
    message = error.message.encode("ascii", "backslashreplace").decode()
    return {"x-amzn-ErrorType": f"{error.code}:", "x-amzn-ErrorMessage": message}


_COMPACT = (",", ":")


@functools.cache
def _output_converter(service: str, name: str) -> JsonConverter:
    output = service_model(service).operation_model(name).output_shape
    if output is None:
        return lambda result: {}
    return json_converter(output)


# Turns a value of a shape into what ``json.dumps`` writes for it.
JsonConverter = Callable[[Any], Any]


def json_converter(shape: Any) -> JsonConverter:
    """What writes a value of ``shape`` as JSON: structures as objects keyed by member name,
    lists as arrays, maps as objects, timestamps as epoch seconds, blobs in base64."""
    kind = shape.type_name
    if kind == "structure":
        return _json_structure(shape)
    if kind == "list":
        item = json_converter(shape.member)
        return lambda value: [item(element) for element in value]
    if kind == "map":
        key, entry = json_converter(shape.key), json_converter(shape.value)
        return lambda value: {key(k): entry(v) for k, v in value.items()}
    return _JSON_SCALARS.get(kind, str)


def _json_structure(shape: Any) -> JsonConverter:
    members = [
        (name, member.serialization.get("name", name), json_converter(member))
        for name, member in shape.members.items()
    ]

    def convert(value: Mapping[str, Any]) -> dict[str, Any]:
        result = {}
        for name, key, convert_member in members:
            item = value.get(name)
            if item is not None:
                result[key] = convert_member(item)
        return result

    return convert


def _epoch_seconds(value: dt.datetime) -> int:
    """Whole seconds since 1970, as the XML's timestamps keep whole seconds."""
    return math.floor(value.timestamp())


_JSON_SCALARS: dict[str, JsonConverter] = {
    "timestamp": _epoch_seconds,
    "boolean": bool,
    "integer": int,
    "long": int,
    "blob": lambda value: base64.b64encode(value).decode(),
}
