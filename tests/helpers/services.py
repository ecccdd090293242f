"""Vocabulary of the tests of other services' authorization: sessions limited to a policy,
and moto serving the services beside the mock."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import moto
import pytest
from botocore.config import Config

from mock_sts import Call, Credentials, MockSTS
from tests.helpers import aws_error, client
from tests.helpers.assume_role import ACCOUNT, assumed, document, statement, trust

# The image instances start from: moto starts any image id, and loads none of AWS's public
# images in the tests (MOTO_EC2_LOAD_DEFAULT_AMIS, tests/conftest.py).
IMAGE_ID = "ami-0123456789abcdef0"


@contextlib.contextmanager
def served_by_moto() -> Iterator[None]:
    """moto's mock_aws serving every service (enter it before the mock, as users do)."""
    with moto.mock_aws():
        yield


@contextlib.contextmanager
def beside_moto(order: str) -> Iterator[MockSTS]:
    """A mock and moto's mock_aws, both active, entered in ``order`` (one of ORDERS')."""
    with contextlib.ExitStack() as stack:
        if order == "moto first":
            stack.enter_context(moto.mock_aws())
            yield stack.enter_context(MockSTS())
        else:
            mock = stack.enter_context(MockSTS())
            stack.enter_context(moto.mock_aws())
            yield mock


# Both orders of activation, for tests that hold in either.
ORDERS = pytest.mark.parametrize("order", ["moto first", "mock_sts first"])


def limited_to(
    sts_mock: MockSTS,
    *statements: Mapping[str, Any],
    role: str = "worker",
    account_id: str = ACCOUNT,
    **role_options: Any,
) -> Credentials:
    """Credentials of a session of a new role whose only permissions are ``statements``
    (a role trusting its own account, made through the handle and assumed through STS)."""
    made = sts_mock.create_role(
        role,
        trust(f"arn:aws:iam::{account_id}:root"),
        account_id=account_id,
        policies={"limits": document(*statements)} if statements else None,
        **role_options,
    )
    return assumed(sts_mock.admin_credentials(account_id), made.arn, "job")


def grants(actions: str | Sequence[str], resources: str | Sequence[str] = "*") -> dict[str, Any]:
    """An Allow statement of ``actions`` on ``resources``."""
    return statement(actions, resources)


def denies(actions: str | Sequence[str], resources: str | Sequence[str] = "*") -> dict[str, Any]:
    """A Deny statement of ``actions`` on ``resources``."""
    return statement(actions, resources, effect="Deny")


def as_admin(service: str, **options: Any) -> Any:
    """A client of ``service`` signing with the environment's keys (the mock's admin)."""
    return client(service, **options)


def policy_text(*statements: Mapping[str, Any]) -> str:
    return json.dumps(document(*statements))


def not_authorized(caller: str, action: str, resource: str, why: str) -> str:
    """AWS's denial text as the service of ``action`` words it (docs/authorization.md):
    S3 quotes the resource, SQS writes the action in lower case, SNS its prefix in capitals."""
    prefix, _, name = action.partition(":")
    shown = {"sqs": action.lower(), "sns": f"SNS:{name}"}.get(prefix, action)
    where = f'"{resource}"' if prefix == "s3" else resource
    reason = why.replace(f" {action} ", f" {shown} ")
    return f"User: {caller} is not authorized to perform: {shown} on resource: {where} {reason}"


def checks_of(call: Call) -> list[tuple[str, str]]:
    """The (action, resource) pairs a request was decided on, in order."""
    return [(check.action, check.resource) for check in call.checks]


def attempt(request: Callable[[], object]) -> None:
    """Make a request, whatever the service then answers: the mock's decision is what is
    looked at. moto serves some operations only in part, and fails requests for resources
    it lacks (an upload it never began) with exceptions of its own."""
    with contextlib.suppress(Exception):
        request()


def one_try(service: str, credentials: Credentials | None = None) -> Any:
    """A client that does not retry what the service fails (moto's 500s and 501s)."""
    return client(service, credentials, config=Config(retries={"max_attempts": 1}))


def allowed_with_exactly(
    sts_mock: MockSTS,
    service: str,
    request: Callable[[Any], object],
    expected: Sequence[tuple[str, str]],
) -> None:
    """A session granted exactly the ``expected`` (action, resource) pairs makes ``request``:
    it is decided on exactly those, and allowed."""
    limited = limited_to(sts_mock, *(grants(action, resource) for action, resource in expected))
    attempt(lambda: request(one_try(service, limited)))

    call = sts_mock.calls[-1]
    assert checks_of(call) == list(expected)
    assert (call.checked, call.allowed) == (True, True)


def refused_without(
    sts_mock: MockSTS,
    service: str,
    request: Callable[[Any], object],
    expected: Sequence[tuple[str, str]],
) -> tuple[str, int]:
    """A session with no permissions makes ``request``: it is refused on the first expected
    check, whose action and resource the message names (a resource "*" it may leave out).
    Returns the refusal's code and status."""
    code, message, status = aws_error(lambda: request(one_try(service, limited_to(sts_mock))))

    action, resource = expected[0]
    assert action.lower() in message.lower()
    assert resource in message or resource == "*"
    first = sts_mock.denials[-1].checks[0]
    assert (first.action, first.resource, first.allowed) == (action, resource, False)
    return code, status
