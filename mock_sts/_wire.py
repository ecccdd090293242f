"""The AWS query protocol, driven by botocore's service models.

Requests are decoded and validated member by member against the operation's input shape,
as AWS's front end does (botocore checks only minimums client-side, so maximums, patterns,
enums and list sizes are the server's job). Responses of every STS and IAM operation are
rendered from the output shape by one renderer: AWS's XML, or for STS the JSON it sends a
client that asks for it (STS_REFERENCE §12.2).
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeGuard
from urllib.parse import quote, unquote_plus
from xml.sax.saxutils import escape

from mock_sts import _iam_messages, _messages

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel, Shape, StructureShape


class AWSError(Exception):
    """An error AWS answers with: its wire code, HTTP status and message.

    ``reason`` says, for the record of the call only, why a request was refused where AWS's
    message does not (a missing role, a token that does not verify); empty otherwise.
    """

    def __init__(self, code: str, message: str, status: int = 400, reason: str = "") -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status
        self.reason = reason


def access_denied(message: str) -> AWSError:
    return AWSError("AccessDenied", message, 403)


def validation_error(message: str) -> AWSError:
    return AWSError("ValidationError", message, 400)


@functools.cache
def service_model(service: str) -> ServiceModel:
    import botocore.loaders
    import botocore.model

    loader = _loader()
    return botocore.model.ServiceModel(
        loader.load_service_model(service, "service-2"), service_name=service
    )


@functools.cache
def _loader() -> Any:
    import botocore.loaders

    return botocore.loaders.create_loader()


def form_params(query: Mapping[str, str], body: bytes) -> dict[str, str]:
    """The request's parameters: the query string's, then a form body's (POST)."""
    params = dict(query)
    if body:
        params.update(parse_form(body.decode("utf-8", "replace")))
    return params


def parse_form(text: str) -> dict[str, str]:
    """``application/x-www-form-urlencoded`` text, as ``parse_qsl(keep_blank_values=True)``
    reads it."""
    # parse_qsl's bookkeeping showed in every request's cost.
    params = {}
    for pair in text.split("&"):
        if pair:
            name, _, value = pair.partition("=")
            params[_unquote_plus(name)] = _unquote_plus(value)
    return params


def _unquote_plus(text: str) -> str:
    """``unquote_plus(text)``, with the escapes of ASCII text decoded by C codecs.

    ``unquote_plus`` decodes escapes one by one in Python: a few microseconds for a session
    policy, tens for a SAML assertion. As ``\\xHH`` escapes, ``%HH`` escapes are decoded by
    the ``unicode_escape`` codec, and the bytes they make by UTF-8. Anything those refuse
    (``%`` without two hex digits, bytes that are no UTF-8) goes to ``unquote_plus``.
    """
    if "%" not in text:
        return text.replace("+", " ")
    if text.isascii():
        escaped = text.replace("\\", "\\\\").replace("%", "\\x").replace("+", " ")
        try:
            return escaped.encode("ascii").decode("unicode_escape").encode("latin-1").decode()
        except UnicodeDecodeError:
            pass
    return unquote_plus(text)


def flatten(operation: OperationModel, params: Mapping[str, Any]) -> dict[str, str]:
    """Structured parameters as the flat form a query-protocol client sends."""
    import botocore.serialize

    serializer = botocore.serialize.create_serializer("query", include_validation=False)
    body = serializer.serialize_to_request(params, operation)["body"]
    return {name: str(value) for name, value in body.items()}


def operation_for(service: str, params: Mapping[str, str]) -> OperationModel:
    model = service_model(service)
    action = params.get("Action")
    if not action:
        raise AWSError("MissingAction", _messages.MISSING_ACTION, 400)
    version = params.get("Version", model.api_version)
    if action not in model.operation_names or version != model.api_version:
        raise AWSError("InvalidAction", _messages.UNKNOWN_ACTION.format(action, version), 400)
    return model.operation_model(action)


# ---------------------------------------------------------------------------------------
# Decoding and validation


# Services whose validation messages leave the value out and name a list of strings as a
# whole (STS_REFERENCE §13.3); STS's keep the value (§4).
_TERSE_SERVICES = frozenset({"iam"})

# Shapes whose pattern the service checks itself, once the model's checks pass, and refuses
# in words of its own (§13.3): IAM's paths.
_OWN_PATTERN_TEXTS = {
    "pathType": _iam_messages.INVALID_PATH,
    "policyPathType": _iam_messages.INVALID_PATH,
}


@dataclass
class _Problems:
    terse: bool = False  # the value left out, lists of strings named as a whole
    items: list[str] = field(default_factory=list)
    own_words: str | None = None  # the service's own refusal, if the model has none
    maps_whole: bool = False  # a map's keys and values judged as the map's (JSON protocol)

    def add(self, value: object, path: str, rule: str, sensitive: bool = False) -> None:
        self.add_constraint(value, path, f"Member must {rule}", sensitive or self.terse)

    def add_constraint(self, value: object, path: str, constraint: str, hidden: bool) -> None:
        shown = "null" if value is None else f"'{_java_str(value)}'"
        where = "Value" if hidden else f"Value {shown}"
        self.items.append(f"{where} at '{path}' failed to satisfy constraint: {constraint}")

    def raise_if_any(self) -> None:
        if self.items:
            count = len(self.items)
            noun = "error" if count == 1 else "errors"
            raise validation_error(
                _messages.VALIDATION_ERRORS.format(count, noun, "; ".join(self.items))
            )
        if self.own_words is not None:
            raise validation_error(self.own_words)


class _SentMap(dict[Any, Any]):
    """A map as the JSON protocol's services show it: as Java's maps, ``{key=value}``."""


def _java_str(value: object) -> str:
    if isinstance(value, _SentMap):
        return "{" + ", ".join(f"{k}={v}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_java_str(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_java_str(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    return str(value)


def decode_input(operation: OperationModel, params: Mapping[str, str]) -> dict[str, Any]:
    """The operation's input as Python values, or ValidationError listing every violation."""
    shape = operation.input_shape
    if shape is None:
        return {}
    model = operation.service_model
    problems = _Problems(
        terse=model.service_name in _TERSE_SERVICES, maps_whole=model.protocol == "json"
    )
    value: dict[str, Any] = _members_decoder(shape)(params, "", "", problems)
    problems.raise_if_any()
    return value


# Decoders are compiled once per input shape from botocore's model, as renderers are: each
# reads the value at ``key`` of the flat parameters (None when it is absent or invalid),
# reporting violations at ``path``.
Decoder = Callable[[Mapping[str, str], str, str, "_Problems"], Any]


def _path_name(name: str) -> str:
    return name[:1].lower() + name[1:]


@functools.cache
def _decoder(shape: Shape) -> Decoder:
    kind = shape.type_name
    if kind == "structure":
        return _structure_decoder(shape)
    if kind == "list":
        return _list_decoder(shape)
    if kind == "map":
        return _map_decoder(shape)
    convert = _scalar_decoder(shape)

    def decode_scalar(params: Mapping[str, str], key: str, path: str, problems: _Problems) -> Any:
        raw = params.get(key)
        return None if raw is None else convert(raw, path, problems)

    return decode_scalar


@functools.cache
def _members_decoder(shape: StructureShape) -> Decoder:
    """The members of a structure whose keys start with ``prefix`` (the decoder's key)."""
    required = set(shape.required_members)
    members = [
        (name, _decoder(member), member.serialization.get("name", name), _path_name(name))
        for name, member in shape.members.items()
    ]

    def decode(
        params: Mapping[str, str], prefix: str, path: str, problems: _Problems
    ) -> dict[str, Any]:
        # The members the request carries at all, by serialized name: the others are absent
        # without a search through every parameter for each of them.
        cut = len(prefix)
        present = {key[cut:].split(".", 1)[0] for key in params if key.startswith(prefix)}
        result: dict[str, Any] = {}
        for name, decode_member, serialized, path_name in members:
            value = None
            if serialized in present:
                value = decode_member(params, prefix + serialized, path + path_name, problems)
            if value is not None:
                result[name] = value
            elif name in required:
                problems.add(None, path + path_name, "not be null")
        return result

    return decode


def _structure_decoder(shape: StructureShape) -> Decoder:
    decode_members = _members_decoder(shape)
    has_required = bool(shape.required_members)

    def decode(params: Mapping[str, str], key: str, path: str, problems: _Problems) -> Any:
        prefix = key + "."
        if not any(k.startswith(prefix) for k in params):
            return None
        value = decode_members(params, prefix, path + ".", problems)
        # Only unknown keys under its prefix: as absent as the nothing botocore sends for an
        # empty structure (operations may rely on a present structure having a member).
        return value if value or has_required else None

    return decode


def _indices(params: Mapping[str, str], prefix: str) -> list[int]:
    found = set()
    for k in params:
        if k.startswith(prefix):
            head = k[len(prefix) :].split(".", 1)[0]
            # int() takes what isdecimal() accepts (not superscripts, which isdigit() also
            # accepts), up to its digit limit; no index has more digits than a Java int.
            if head.isdecimal() and len(head) <= 10:
                found.add(int(head))
    return sorted(found)


def _list_decoder(shape: Any) -> Decoder:
    member = shape.member
    decode_item = _decoder(member)
    separator = (
        "."
        if shape.serialization.get("flattened", False)
        else ("." + member.serialization.get("name", "member") + ".")
    )
    check_size = _size_check(shape, "length")
    # A terse service reports bad strings of a list once, as the list's, with every rule of
    # its members (§13.3).
    as_whole = member.type_name == "string"
    whole_rule = f"satisfy constraint: [{', '.join(_member_rules(member))}]"

    def decode(params: Mapping[str, str], key: str, path: str, problems: _Problems) -> Any:
        item_prefix = key + separator
        indices = _indices(params, item_prefix)
        if not indices:
            # botocore sends an empty list as the bare key with an empty value.
            return [] if key in params else None
        whole = problems.terse and as_whole
        item_problems = _Problems(terse=True) if whole else problems
        items = []
        for index in indices:
            value = decode_item(
                params, f"{item_prefix}{index}", f"{path}.{index}.member", item_problems
            )
            if value is not None:  # None: the item failed its own checks, already reported
                items.append(value)
        if whole and item_problems.items:
            problems.add(None, path, whole_rule)
        check_size(items, path, problems, False)
        return items

    return decode


def _member_rules(shape: Shape) -> list[str]:
    """Every rule of a list's string members, in the order AWS lists them (§13.3)."""
    meta = shape.metadata
    rules = []
    if "max" in meta:
        rules.append(f"Member must have length less than or equal to {meta['max']}")
    if "min" in meta:
        rules.append(f"Member must have length greater than or equal to {meta['min']}")
    if "pattern" in meta:
        rules.append(f"Member must satisfy regular expression pattern: {meta['pattern']}")
    if "enum" in meta:
        rules.append(f"Member must satisfy enum value set: [{', '.join(meta['enum'])}]")
    return [*rules, "Member must not be null"]


def _map_decoder(shape: Any) -> Decoder:
    separator = "." if shape.serialization.get("flattened", False) else ".entry."
    key_name = "." + shape.key.serialization.get("name", "key")
    value_name = "." + shape.value.serialization.get("name", "value")
    decode_key, decode_value = _decoder(shape.key), _decoder(shape.value)
    check_size = _size_check(shape, "length")
    # The JSON protocol's services judge a map's keys, and its values where they are strings,
    # as the map's, which they show as Java writes it [O] (boto/boto3#2601: "Map keys must
    # satisfy constraint: [...]"; awslabs/aws-sdk-android-samples#21: "Map value must ...",
    # a Logins map shown "{graph.facebook.com=}"); tokens are not shown [U].
    values_whole = shape.value.type_name == "string"
    hidden = bool(shape.value.metadata.get("sensitive"))
    key_rule, value_rule = (
        f"Map {what} must satisfy constraint: [{', '.join(_member_rules(member)[:-1])}]"
        for what, member in (("keys", shape.key), ("value", shape.value))
    )

    def decode(params: Mapping[str, str], key: str, path: str, problems: _Problems) -> Any:
        entry_prefix = key + separator
        indices = _indices(params, entry_prefix)
        if not indices:
            return {} if key in params else None
        whole = problems.maps_whole
        keys = _Problems() if whole else problems
        values = _Problems() if whole and values_whole else problems
        result, sent = {}, _SentMap()
        for index in indices:
            entry = f"{entry_prefix}{index}"
            entry_key = decode_key(params, entry + key_name, f"{path}.{index}.key", keys)
            entry_value = decode_value(params, entry + value_name, f"{path}.{index}.value", values)
            if entry_key is not None:
                result[entry_key] = entry_value
            raw = "" if hidden else params.get(entry + value_name, "")
            sent[params.get(entry + key_name)] = raw
        shown = sent if whole else result
        for judged, rule in ((keys, key_rule), (values, value_rule)):
            if judged is not problems and judged.items:
                problems.add_constraint(shown, path, rule, problems.terse)
        check_size(shown, path, problems, False)
        return result

    return decode


_INT_RANGES = {"integer": (-(2**31), 2**31 - 1), "long": (-(2**63), 2**63 - 1)}

# Turns a raw parameter into its value, or reports why it cannot (returning None).
Convert = Callable[[str, str, "_Problems"], Any]


def _scalar_decoder(shape: Shape) -> Convert:
    kind = shape.type_name
    sensitive = bool(shape.metadata.get("sensitive"))
    if kind == "string":
        return _string_decoder(shape, sensitive)
    if kind in _INT_RANGES:
        return _integer_decoder(shape, kind, sensitive)
    if kind == "boolean":

        def boolean(raw: str, path: str, problems: _Problems) -> Any:
            if raw.lower() not in ("true", "false"):
                problems.add(raw, path, "be a valid boolean", sensitive)
                return None
            return raw.lower() == "true"

        return boolean
    if kind == "timestamp":

        def timestamp_value(raw: str, path: str, problems: _Problems) -> Any:
            try:
                return dt.datetime.fromisoformat(raw.replace("Z", "+00:00"))
            except ValueError:
                problems.add(raw, path, "be a valid timestamp", sensitive)
                return None

        return timestamp_value
    if kind == "blob":

        def blob(raw: str, path: str, problems: _Problems) -> Any:
            try:
                return base64.b64decode(raw, validate=True)
            except ValueError:
                problems.add(raw, path, "be valid base64", sensitive)
                return None

        return blob
    return lambda raw, path, problems: raw  # pragma: no cover - STS and IAM have no others


def _string_decoder(shape: Shape, sensitive: bool) -> Convert:
    meta = shape.metadata
    pattern = meta.get("pattern")
    check_size = _size_check(shape, "length")
    enum = meta.get("enum")
    own_words = _OWN_PATTERN_TEXTS.get(shape.name)

    def string(raw: str, path: str, problems: _Problems) -> Any:
        # Compiled when first needed: some patterns (tags') take a pass over Unicode.
        if pattern is not None and not compile_pattern(pattern).fullmatch(raw):
            if own_words is not None:
                problems.own_words = own_words
            else:
                problems.add(raw, path, f"satisfy regular expression pattern: {pattern}", sensitive)
        check_size(raw, path, problems, sensitive)
        if enum is not None and raw not in enum:
            problems.add(raw, path, f"satisfy enum value set: [{', '.join(enum)}]", sensitive)
        return raw

    return string


def _integer_decoder(shape: Shape, kind: str, sensitive: bool) -> Convert:
    low, high = _INT_RANGES[kind]
    check_range = _size_check(shape, "value")

    def integer(raw: str, path: str, problems: _Problems) -> Any:
        try:
            number = int(raw)
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            problems.add(raw, path, f"be a valid {kind}", sensitive)
            return None
        check_range(number, path, problems, False)
        return number

    return integer


SizeCheck = Callable[[Any, str, "_Problems", bool], None]


def _size_check(shape: Shape, measure: str) -> SizeCheck:
    """The model's min and max for a value: its length (strings, lists, maps) or itself."""
    meta = shape.metadata
    least, most = meta.get("min"), meta.get("max")
    of = len if measure == "length" else None

    def check(value: Any, path: str, problems: _Problems, sensitive: bool) -> None:
        size = value if of is None else of(value)
        if least is not None and size < least:
            problems.add(value, path, f"have {measure} greater than or equal to {least}", sensitive)
        if most is not None and size > most:
            problems.add(value, path, f"have {measure} less than or equal to {most}", sensitive)

    return check


_JAVA_PROPERTY = re.compile(r"\\p\{(\w)\}")
_JAVA_ASTRAL = re.compile(r"\\u10000-\\u10FFFF")


def fits(value: object, service: str, shape_name: str) -> TypeGuard[str]:
    """Whether ``value`` is a string the model's ``shape_name`` takes: its length between the
    shape's min and max, all of it matching its pattern. For values that reach the mock some
    other way than as a parameter (a token's claims, an assertion's attributes)."""
    if not isinstance(value, str):
        return False
    meta = _shape_metadata(service, shape_name)
    pattern = meta.get("pattern")
    return meta.get("min", 0) <= len(value) <= meta.get("max", len(value)) and (
        pattern is None or compile_pattern(pattern).fullmatch(value) is not None
    )


@functools.cache
def _shape_metadata(service: str, shape_name: str) -> Mapping[str, Any]:
    # botocore builds a new Shape on every shape_for() call.
    metadata: Mapping[str, Any] = service_model(service).shape_for(shape_name).metadata
    return metadata


@functools.cache
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A model pattern (Java regex syntax) as a Python pattern with Java's semantics."""
    # Java's \w and \d are ASCII; \p{L} and friends are Unicode categories, which `re`
    # lacks, so they are spelled out as ranges. The models write the astral planes as
    # `\u10000-\u10FFFF`, which means U+10000..U+10FFFF to AWS.
    translated = _JAVA_ASTRAL.sub(r"\\U00010000-\\U0010FFFF", pattern)
    translated = _JAVA_PROPERTY.sub(lambda m: _category_ranges(m.group(1)), translated)
    return re.compile(translated, re.ASCII)


def _category_ranges(major: str) -> str:
    """The code points of a major Unicode category (L, N, Z...) as a character class body."""
    return _categories().get(major, "")


@functools.cache
def _categories() -> dict[str, str]:
    """Every major category's code points, from one pass over Unicode (a pass takes tens of
    milliseconds, and tag patterns name three categories)."""
    category = unicodedata.category
    spans: dict[str, list[tuple[int, int]]] = {}
    start, current = 0, category("\0")[0]
    for code in range(1, sys.maxunicode + 1):
        major = category(chr(code))[0]
        if major != current:
            spans.setdefault(current, []).append((start, code - 1))
            start, current = code, major
    spans.setdefault(current, []).append((start, sys.maxunicode))
    return {
        major: "".join(f"\\U{a:08X}" if a == b else f"\\U{a:08X}-\\U{b:08X}" for a, b in runs)
        for major, runs in spans.items()
    }


# ---------------------------------------------------------------------------------------
# Rendering


_XML_SPECIALS = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
# Characters XML 1.0 cannot carry, not even as references. Error messages echo what the
# client sent, so they would make the body unparsable: they are sent as U+FFFD instead.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: str) -> str:
    """``value`` as XML character data: specials escaped, characters XML cannot hold
    replaced by U+FFFD."""
    if _XML_SPECIALS.search(value) is None:
        return value
    return escape(_XML_INVALID.sub("\ufffd", value), {'"': "&quot;"})


def timestamp(value: dt.datetime) -> str:
    """ISO 8601 in UTC with whole seconds, as AWS writes times."""
    v = value.astimezone(dt.timezone.utc)
    return f"{v.year:04d}-{v.month:02d}-{v.day:02d}T{v.hour:02d}:{v.minute:02d}:{v.second:02d}Z"


def render_success(
    service: str,
    operation: OperationModel,
    result: Mapping[str, Any],
    request_id: str,
) -> bytes:
    """The XML body AWS sends for a successful call."""
    head, render, tail = _envelope(service, operation.name)
    parts = [head]
    render(result, parts)
    parts.append(tail.format(request_id=request_id))
    return "".join(parts).encode()


# Appends the XML of one value to the parts of a body.
Renderer = Callable[[Any, list[str]], None]


@functools.cache
def _envelope(service: str, name: str) -> tuple[str, Renderer, str]:
    """An operation's fixed text around its result, and the result's compiled renderer."""
    namespace = service_model(service).metadata["xmlNamespace"]
    output = service_model(service).operation_model(name).output_shape
    head = f'<{name}Response xmlns="{namespace}">'
    tail = "<ResponseMetadata><RequestId>{request_id}</RequestId></ResponseMetadata>"
    render: Renderer = _nothing
    if output is not None:
        wrapper = output.serialization.get("resultWrapper", f"{name}Result")
        head += f"<{wrapper}>"
        tail = f"</{wrapper}>" + tail
        render = _members_renderer(output)
    return head, render, tail + f"</{name}Response>"


def _nothing(value: Any, parts: list[str]) -> None:
    pass


def render_error(service: str, error: AWSError, request_id: str) -> bytes:
    """The XML body AWS sends for an error."""
    namespace = service_model(service).metadata["xmlNamespace"]
    # Some errors come without a message (IAM's credential report errors): no element at all,
    # which botocore reads as AWS's, its "Unknown" in the place of the text.
    message = f"<Message>{xml_text(error.message)}</Message>" if error.message else ""
    return (
        f'<ErrorResponse xmlns="{namespace}"><Error><Type>{fault(error)}</Type>'
        f"<Code>{xml_text(error.code)}</Code>{message}</Error>"
        f"<RequestId>{request_id}</RequestId></ErrorResponse>"
    ).encode()


def fault(error: AWSError) -> str:
    """Whose fault an error is, as its Type says: the client's for every 4xx."""
    return "Sender" if error.status < 500 else "Receiver"


# Renderers are compiled once per output shape from botocore's model: walking the model's
# shapes on every response showed in every call's cost.


def _members_renderer(shape: Any) -> Renderer:
    members = [
        (name, _renderer(member, member.serialization.get("name", name)))
        for name, member in shape.members.items()
    ]

    def render(value: Mapping[str, Any], parts: list[str]) -> None:
        for name, render_member in members:
            item = value.get(name)
            if item is not None:
                render_member(item, parts)

    return render


def _renderer(shape: Any, tag: str) -> Renderer:
    kind = shape.type_name
    if kind == "list":
        return _list_renderer(shape, tag)
    opening, closing = f"<{tag}>", f"</{tag}>"
    if kind == "structure":
        inner = _members_renderer(shape)
    elif kind == "map":
        inner = _map_renderer(shape)
    else:
        text = _scalar_renderer(shape)

        def render_scalar(value: Any, parts: list[str]) -> None:
            parts.append(f"{opening}{text(value)}{closing}")

        return render_scalar

    def render(value: Any, parts: list[str]) -> None:
        parts.append(opening)
        inner(value, parts)
        parts.append(closing)

    return render


def _list_renderer(shape: Any, tag: str) -> Renderer:
    member = shape.member
    if shape.serialization.get("flattened"):
        item = _renderer(member, tag)

        def render_flat(value: Any, parts: list[str]) -> None:
            for element in value:
                item(element, parts)

        return render_flat
    item = _renderer(member, member.serialization.get("name", "member"))
    opening, closing = f"<{tag}>", f"</{tag}>"

    def render(value: Any, parts: list[str]) -> None:
        parts.append(opening)
        for element in value:
            item(element, parts)
        parts.append(closing)

    return render


def _map_renderer(shape: Any) -> Renderer:
    key = _renderer(shape.key, shape.key.serialization.get("name", "key"))
    value_renderer = _renderer(shape.value, shape.value.serialization.get("name", "value"))

    def render(value: Mapping[Any, Any], parts: list[str]) -> None:
        for k, v in value.items():
            parts.append("<entry>")
            key(k, parts)
            value_renderer(v, parts)
            parts.append("</entry>")

    return render


def _scalar_renderer(shape: Shape) -> Callable[[Any], str]:
    kind = shape.type_name
    if kind == "timestamp":
        return timestamp
    if kind == "boolean":
        return lambda value: "true" if value else "false"
    if kind == "blob":
        return lambda value: base64.b64encode(value).decode()
    if shape.name == "policyDocumentType":
        # IAM sends policy documents URL-encoded; botocore decodes them back.
        return lambda value: xml_text(
            quote(value if isinstance(value, str) else json.dumps(value), safe="")
        )
    return lambda value: xml_text(str(value))


def redact(operation: OperationModel, params: Mapping[str, Any]) -> dict[str, Any]:
    """Parameters with secrets (sensitive shapes and one-time codes) masked."""
    shape = operation.input_shape
    if shape is None:
        return {}
    return _redact_structure(shape, params)


_SECRET_MEMBERS = frozenset({"TokenCode", "AuthenticationCode1", "AuthenticationCode2"})


def _redact_structure(shape: Any, params: Mapping[str, Any]) -> dict[str, Any]:
    members = shape.members
    return {
        name: _redact_value(members[name], name, value) if name in members else value
        for name, value in params.items()
    }


def _redact_value(shape: Any, name: str, value: Any) -> Any:
    if shape.metadata.get("sensitive") or name in _SECRET_MEMBERS:
        return "***"
    if shape.type_name == "structure":
        return _redact_structure(shape, value)
    if shape.type_name == "list":
        return [_redact_value(shape.member, name, item) for item in value]
    return value
