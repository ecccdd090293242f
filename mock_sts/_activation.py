"""How a mock is switched on and off around the code it serves: its options checked when it
is made, the decorator for functions, coroutine functions and ``TestCase`` classes, and the
environment it sets and restores exactly."""

from __future__ import annotations

import contextlib
import inspect
import os
import sys
from collections.abc import Awaitable, Callable, Iterator, Mapping
from types import TracebackType
from typing import Any, Protocol, TypeVar

from mock_sts import _ids
from mock_sts._handles import account_option

C = TypeVar("C", bound=type)

# The options MockSTS takes, which mock_sts(...) passes on.
OPTIONS = ("account_id", "region", "strict", "set_env", "enforce")


class Activation(Protocol):
    """A mock that serves while a ``with`` or ``async with`` block runs: ``MockSTS``."""

    def __enter__(self) -> object: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    async def __aenter__(self) -> object: ...

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


def check_options(*, account_id: Any, region: Any, strict: Any, set_env: Any, enforce: Any) -> None:
    if account_id is None:
        raise ValueError("account_id must be a string of 12 digits, got None.")
    account_option(account_id)
    if not isinstance(region, str) or _ids.partition_of(region) is None:
        raise ValueError(
            f"region must be an AWS region name such as 'us-east-1' or 'eu-west-1', got {region!r}."
        )
    for name, value in (("strict", strict), ("set_env", set_env)):
        if not isinstance(value, bool):
            raise TypeError(f"{name} must be True or False, got {value!r}.")
    if not isinstance(enforce, bool) and enforce != "soft":
        raise TypeError(f"enforce must be True, False or 'soft', got {enforce!r}.")


def check_factory_call(target: object, options: Mapping[str, object]) -> None:
    """mock_sts()'s arguments: a target to decorate or options, and only MockSTS's options."""
    if target is not None and options:
        raise TypeError("Use either @mock_sts or @mock_sts(**options), not both at once.")
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise TypeError(
            f"mock_sts() got unknown option(s) {', '.join(map(repr, unknown))}; "
            f"the options are {', '.join(OPTIONS)}."
        )


def decorate(target: Any, new: Callable[[], Activation]) -> Any:
    """``target`` run inside a fresh mock (``new()``) at every call: a test function,
    coroutine function, method or ``TestCase`` class."""
    if isinstance(target, type):
        import unittest

        if issubclass(target, unittest.TestCase):
            return _decorate_testcase(target, new)
        raise TypeError(
            f"mock_sts cannot decorate the class {target.__name__}: only "
            "unittest.TestCase subclasses are supported. Decorate its test methods, or "
            "use `with mock_sts():` inside them."
        )
    if not callable(target):
        raise TypeError(
            f"mock_sts decorates functions and TestCase classes, not {type(target).__name__} "
            f"({target!r}). Use @mock_sts, @mock_sts(...) or `with mock_sts(...):`."
        )
    import wrapt

    if inspect.iscoroutinefunction(target):

        @wrapt.decorator
        async def run_async(
            wrapped: Callable[..., Awaitable[Any]], instance: Any, args: Any, kwargs: Any
        ) -> Any:
            async with new():
                return await wrapped(*args, **kwargs)

        return run_async(target)

    @wrapt.decorator
    def run(wrapped: Callable[..., Any], instance: Any, args: Any, kwargs: Any) -> Any:
        with new():
            return wrapped(*args, **kwargs)

    return run(target)


def _decorate_testcase(cls: C, new: Callable[[], Activation]) -> C:
    # Wrapping run() covers setUp, the test, tearDown and cleanups of every test, with
    # fresh state each time; setUpClass stays outside, as with moto.
    original_run = cls.run  # type: ignore[attr-defined]

    def run(test: Any, result: Any = None) -> Any:
        with new():
            return original_run(test, result)

    cls.run = run  # type: ignore[attr-defined]
    return cls


def set_environment(values: Mapping[str, str | None]) -> dict[str, str | None]:
    """Set (or, for None, remove) variables; returns what restores them exactly."""
    previous = {name: os.environ.get(name) for name in values}
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    return previous


@contextlib.contextmanager
def own_boto3_default_session() -> Iterator[None]:
    """boto3's default session (which keeps the credentials it resolved) starts afresh in
    the block, and the one from before is back after it."""
    boto3: Any = sys.modules.get("boto3")
    previous = getattr(boto3, "DEFAULT_SESSION", None)
    if boto3 is not None:
        boto3.DEFAULT_SESSION = None
    try:
        yield
    finally:
        boto3 = sys.modules.get("boto3")
        if boto3 is not None:
            boto3.DEFAULT_SESSION = previous
