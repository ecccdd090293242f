"""An answer in the format its service and request ask for: the XML of the wire module, the
JSON STS sends when the Accept header asks for it (STS_REFERENCE §12.2), or the JSON 1.1 of
Cognito Identity (``_wire_json``).

The EKS authenticator sends its presigned GetCallerIdentity so and decodes JSON. The body has
the XML's nesting, from the same output shapes: structures are objects keyed by member name,
lists arrays (no ``member`` items), maps objects, timestamps epoch seconds as numbers,
integers and booleans JSON's own; absent members are left out, as in XML.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _wire, _wire_json
from mock_sts._wire import AWSError, service_model
from mock_sts._wire_json import JsonConverter, json_converter

if TYPE_CHECKING:
    from botocore.model import OperationModel


def render_success(
    service: str,
    operation: OperationModel,
    result: Mapping[str, Any],
    request_id: str,
    accept: str | None,
) -> bytes:
    """The body AWS sends for a successful call: XML, or JSON where ``answers_json``."""
    if service in _wire_json.SERVICES:
        return _wire_json.render_success(operation, result)
    if answers_json(service, accept):
        return render_success_json(service, operation, result, request_id)
    return _wire.render_success(service, operation, result, request_id)


def render_error(service: str, error: AWSError, request_id: str, accept: str | None) -> bytes:
    """The body AWS sends for an error: XML, or JSON where ``answers_json``."""
    if service in _wire_json.SERVICES:
        return _wire_json.render_error(error)
    if answers_json(service, accept):
        return render_error_json(error, request_id)
    return _wire.render_error(service, error, request_id)


JSON_MEDIA_TYPE = "application/json"
_XML_MEDIA_TYPES = frozenset({"text/xml", "application/xml"})
# AWS's JSON bodies have no blanks between tokens (STS_REFERENCE §1.5).
_COMPACT = (",", ":")
# RFC 9110's qvalue: 0 to 1 with at most three decimals.
_QVALUE = re.compile(r"0(\.\d{0,3})?|1(\.0{0,3})?")


def answers_json(service: str, accept: str | None) -> bool:
    """Whether a service answers in JSON: STS does when Accept asks for it (``wants_json``);
    IAM answers XML whatever Accept says (STS_REFERENCE §12.2 records JSON of STS only) [U]."""
    return service == "sts" and wants_json(accept)


def error_headers(service: str, error: AWSError) -> dict[str, str]:
    """The headers an error is answered with beside the body's, where the service has any."""
    return _wire_json.error_headers(error) if service in _wire_json.SERVICES else {}


def content_type(service: str, accept: str | None) -> str:
    """The Content-Type of an answer in the format ``answers_json`` chose."""
    if service in _wire_json.SERVICES:
        return _wire_json.CONTENT_TYPE
    return JSON_MEDIA_TYPE if answers_json(service, accept) else "text/xml"


def wants_json(accept: str | None) -> bool:
    """Whether an Accept header asks for JSON rather than XML.

    It does when it names ``application/json`` itself (wildcards choose nothing) with a
    q-value above 0, and names no XML type (``text/xml``, ``application/xml``) with a higher
    one: ``application/json``, ``application/json, text/plain, */*`` and ``application/json,
    text/xml`` ask for JSON; ``*/*``, ``text/xml, application/json;q=0.5`` do not. A
    malformed q-value counts as 0. How AWS weighs several types is not known [U].
    """
    if not accept or JSON_MEDIA_TYPE not in accept.lower():
        return False
    weights: dict[str, float] = {}
    for item in accept.lower().split(","):
        media_type, *parameters = item.split(";")
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip() == "q":
                value = value.strip()
                weight = float(value) if _QVALUE.fullmatch(value) else 0.0
        media_type = media_type.strip()
        weights[media_type] = max(weights.get(media_type, 0.0), weight)
    json_weight = weights.get(JSON_MEDIA_TYPE, 0.0)
    xml_weight = max((weights.get(name, 0.0) for name in _XML_MEDIA_TYPES), default=0.0)
    return json_weight > 0 and json_weight >= xml_weight


def render_success_json(
    service: str, operation: OperationModel, result: Mapping[str, Any], request_id: str
) -> bytes:
    """The JSON body AWS sends for a successful call."""
    response, result_part = _json_envelope(service, operation.name)
    body: dict[str, Any] = {}
    if result_part is not None:
        wrapper, convert = result_part
        body[wrapper] = convert(result)
    body["ResponseMetadata"] = {"RequestId": request_id}
    return json.dumps({response: body}, separators=_COMPACT).encode()


def render_error_json(error: AWSError, request_id: str) -> bytes:
    """The JSON body AWS sends for an error: ``RequestId`` beside ``Error``, as in XML."""
    fields = {"Code": error.code, "Message": error.message, "Type": _wire.fault(error)}
    return json.dumps({"Error": fields, "RequestId": request_id}, separators=_COMPACT).encode()


@functools.cache
def _json_envelope(service: str, name: str) -> tuple[str, tuple[str, JsonConverter] | None]:
    """An operation's response key, and its result key with the result's compiled converter
    (None for an operation without output)."""
    output = service_model(service).operation_model(name).output_shape
    if output is None:
        return f"{name}Response", None
    wrapper = output.serialization.get("resultWrapper", f"{name}Result")
    return f"{name}Response", (wrapper, json_converter(output))
