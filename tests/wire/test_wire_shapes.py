"""The wire layer is driven by service models: every query-protocol shape kind, not only
the ones STS and IAM use today, decodes, validates and renders, and botocore parses it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import botocore.model
import botocore.parsers
import botocore.serialize
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_sts import _wire

MODEL = {
    "metadata": {
        "apiVersion": "2020-01-01",
        "protocol": "query",
        "xmlNamespace": "https://example.test/doc/2020-01-01/",
        "endpointPrefix": "example",
        "serviceId": "Example",
        "signatureVersion": "v4",
    },
    "operations": {
        "Everything": {
            "name": "Everything",
            "http": {"method": "POST", "requestUri": "/"},
            "input": {"shape": "EverythingRequest"},
            "output": {"shape": "EverythingResponse", "resultWrapper": "EverythingResult"},
        },
        "Nothing": {"name": "Nothing", "http": {"method": "POST", "requestUri": "/"}},
    },
    "shapes": {
        "EverythingRequest": {
            "type": "structure",
            "required": ["Name"],
            "members": {
                "Name": {"shape": "Name"},
                "Enabled": {"shape": "Flag"},
                "When": {"shape": "Moment"},
                "Payload": {"shape": "Data"},
                "Labels": {"shape": "Labels"},
                "Flat": {"shape": "FlatNames"},
                "Counts": {"shape": "Counts"},
                "Big": {"shape": "Big"},
                "Inner": {"shape": "Inner"},
            },
        },
        "Inner": {"type": "structure", "members": {"Value": {"shape": "Name"}}},
        "EverythingResponse": {
            "type": "structure",
            "members": {
                "Name": {"shape": "Name"},
                "Enabled": {"shape": "Flag"},
                "When": {"shape": "Moment"},
                "Payload": {"shape": "Data"},
                "Labels": {"shape": "Labels"},
                "Flat": {"shape": "FlatNames"},
                "Big": {"shape": "Big"},
            },
        },
        "Name": {"type": "string", "min": 1, "max": 8},
        "Flag": {"type": "boolean"},
        "Moment": {"type": "timestamp"},
        "Data": {"type": "blob"},
        "Big": {"type": "long", "min": 0},
        "Labels": {"type": "map", "key": {"shape": "Name"}, "value": {"shape": "Name"}, "max": 2},
        "FlatNames": {"type": "list", "member": {"shape": "Name"}, "flattened": True},
        "Counts": {"type": "list", "member": {"shape": "Count"}},
        "Count": {"type": "integer", "max": 10},
    },
}


@pytest.fixture(scope="module")
def model() -> botocore.model.ServiceModel:
    return botocore.model.ServiceModel(MODEL, service_name="example")


def serialize(model: botocore.model.ServiceModel, params: dict[str, Any]) -> dict[str, str]:
    operation = model.operation_model("Everything")
    body = botocore.serialize.create_serializer(
        "query", include_validation=False
    ).serialize_to_request(params, operation)["body"]
    return {k: str(v) for k, v in body.items()}


def test_every_kind_decodes_from_what_botocore_sends(model: botocore.model.ServiceModel) -> None:
    when = dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.timezone.utc)
    params = {
        "Name": "n",
        "Enabled": True,
        "When": when,
        "Payload": b"\x00\x01",
        "Labels": {"a": "b"},
        "Flat": ["x", "y"],
        "Counts": [1, 2],
        "Big": 2**40,
        "Inner": {"Value": "v"},
    }
    decoded = _wire.decode_input(model.operation_model("Everything"), serialize(model, params))
    assert decoded == params
    assert _wire.decode_input(model.operation_model("Everything"), {"Name": "n"}) == {"Name": "n"}


def test_malformed_collection_keys_are_ignored(model: botocore.model.ServiceModel) -> None:
    form = {
        "Name": "n",
        "Counts.member.one": "1",
        "Counts.member.2": "2",
        "Labels.entry.1.value": "orphan",
        "Labels.entry.2.key": "k",
        "Labels.entry.2.value": "v",
    }
    decoded = _wire.decode_input(model.operation_model("Everything"), form)
    assert decoded == {"Name": "n", "Counts": [2], "Labels": {"k": "v"}}


def test_every_kind_is_validated(model: botocore.model.ServiceModel) -> None:
    form = {
        "Enabled": "maybe",
        "When": "yesterday",
        "Payload": "***",
        "Labels.entry.1.key": "a",
        "Labels.entry.1.value": "b",
        "Labels.entry.2.key": "c",
        "Labels.entry.2.value": "d",
        "Labels.entry.3.key": "e",
        "Labels.entry.3.value": "toolongvalue",
        "Counts.member.1": "11",
        "Counts.member.2": "x",
        "Big": "-1",
    }
    with pytest.raises(_wire.AWSError) as raised:
        _wire.decode_input(model.operation_model("Everything"), form)
    assert raised.value.code == "ValidationError"
    assert raised.value.message.split("; ") == [
        "9 validation errors detected: Value null at 'name' failed to satisfy constraint: "
        "Member must not be null",
        "Value 'maybe' at 'enabled' failed to satisfy constraint: Member must be a valid boolean",
        "Value 'yesterday' at 'when' failed to satisfy constraint: "
        "Member must be a valid timestamp",
        "Value '***' at 'payload' failed to satisfy constraint: Member must be valid base64",
        "Value 'toolongvalue' at 'labels.3.value' failed to satisfy constraint: "
        "Member must have length less than or equal to 8",
        "Value '{a: b, c: d, e: toolongvalue}' at 'labels' failed to satisfy constraint: "
        "Member must have length less than or equal to 2",
        "Value '11' at 'counts.1.member' failed to satisfy constraint: "
        "Member must have value less than or equal to 10",
        "Value 'x' at 'counts.2.member' failed to satisfy constraint: "
        "Member must be a valid integer",
        "Value '-1' at 'big' failed to satisfy constraint: "
        "Member must have value greater than or equal to 0",
    ]


def test_empty_collections_are_present(model: botocore.model.ServiceModel) -> None:
    decoded = _wire.decode_input(
        model.operation_model("Everything"), {"Name": "n", "Labels": "", "Counts": ""}
    )
    assert decoded == {"Name": "n", "Labels": {}, "Counts": []}


def test_operations_without_input_or_output(model: botocore.model.ServiceModel) -> None:
    operation = model.operation_model("Nothing")
    assert _wire.decode_input(operation, {"Action": "Nothing"}) == {}
    assert _wire.redact(operation, {}) == {}


def test_every_kind_renders_for_botocore(
    model: botocore.model.ServiceModel, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_wire, "service_model", lambda service: model)
    when = dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.timezone.utc)
    result = {
        "Name": 'a<&>"b',
        "Enabled": False,
        "When": when,
        "Payload": b"\xff",
        "Labels": {"k": "v"},
        "Flat": ["x", "y"],
        "Big": 2**40,
    }
    operation = model.operation_model("Everything")
    body = _wire.render_success("example", operation, result, "rid")
    assert b"<Flat>x</Flat><Flat>y</Flat>" in body
    parsed = botocore.parsers.create_parser("query").parse(
        {"body": body, "headers": {}, "status_code": 200}, operation.output_shape
    )
    assert parsed["ResponseMetadata"]["RequestId"] == "rid"
    del parsed["ResponseMetadata"]
    assert parsed == result
    empty = _wire.render_success("example", model.operation_model("Nothing"), {}, "rid")
    assert empty == (
        b'<NothingResponse xmlns="https://example.test/doc/2020-01-01/"><ResponseMetadata>'
        b"<RequestId>rid</RequestId></ResponseMetadata></NothingResponse>"
    )


def test_problem_values_are_shown_as_aws_shows_them() -> None:
    problems = _wire._Problems()
    problems.add(True, "flag", "be false")
    problems.add(dt.datetime(2025, 1, 2, 3, 4, 5), "when", "be later")
    assert problems.items == [
        "Value 'true' at 'flag' failed to satisfy constraint: Member must be false",
        "Value '2025-01-02T03:04:05Z' at 'when' failed to satisfy constraint: Member must be later",
    ]


@given(st.text(alphabet="ab=&%+2F. é\\xuN3C9A", max_size=40))
def test_form_parsing_reads_what_parse_qsl_reads(text: str) -> None:
    from urllib.parse import parse_qsl

    assert _wire.parse_form(text) == dict(parse_qsl(text, keep_blank_values=True))


@pytest.mark.parametrize(
    "text",
    [
        "a=%7B%22k%22%3A+%22v%22%7D",  # a session policy
        "a=%C3%A9%E2%82%AC",  # UTF-8 escapes
        "a=%C3",  # an escaped byte that is no UTF-8
        "a=%zz%41&b=%4",  # % without two hex digits
        "a=%5Cx41%5CN%7BDASH%7D+%5C",  # escaped backslashes
        "a=\\x41%41&b=\\N{DASH}%41",  # bare backslashes beside escapes
        "a=caf\u00e9%41",  # unescaped non-ASCII beside escapes
        "a%3Db=c%26d",  # escaped separators
    ],
)
def test_form_values_decode_as_parse_qsl_decodes_them(text: str) -> None:
    from urllib.parse import parse_qsl

    assert _wire.parse_form(text) == dict(parse_qsl(text, keep_blank_values=True))
