"""How a mock is switched on and off around the code it serves: its options checked when it
is made, the decorator for functions, coroutine functions and ``TestCase`` classes, and the
environment it sets and restores exactly."""

from __future__ import annotations

import contextlib
import inspect
import os
import sys
import weakref
from collections.abc import Awaitable, Callable, Iterator, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from mock_sts import _arguments

if TYPE_CHECKING:
    from mock_sts import _state

C = TypeVar("C", bound=type)

DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"

# The options MockSTS takes, with their defaults: mock_sts(...) and the pytest marker pass
# them on.
OPTIONS: Mapping[str, object] = {
    "account_id": DEFAULT_ACCOUNT_ID,
    "region": DEFAULT_REGION,
    "strict": False,
    "set_env": True,
    "enforce": True,
}


class MockSTSWarning(UserWarning):
    """A way of using mock_sts that runs, but likely not as meant (filter it by this class)."""


# The functions @mock_sts decorated, which the pytest plugin looks for.
_decorated: weakref.WeakSet[Callable[..., Any]] = weakref.WeakSet()


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


def check_options(entry: str, unknown: Mapping[str, object], options: Mapping[str, Any]) -> None:
    """The ``options`` of a mock made by ``entry`` (``MockSTS()``): ``unknown`` holds the
    names it does not take."""
    check_names(entry, unknown)
    _arguments.account_id(options["account_id"], optional=False)
    _arguments.region(options["region"])
    _arguments.flag("strict", options["strict"])
    _arguments.flag("set_env", options["set_env"])
    enforce = options["enforce"]
    if not isinstance(enforce, bool) and enforce != "soft":
        raise TypeError(f"enforce must be True, False or 'soft', got {enforce!r}.")


def check_names(entry: str, options: Mapping[str, object]) -> None:
    """Only the options a mock takes: a misspelt one names the option meant."""
    _arguments.option_names(entry, options, OPTIONS)


def check_factory_call(target: object, options: Mapping[str, object]) -> None:
    """mock_sts()'s arguments: a target to decorate or options, and only MockSTS's options."""
    if target is not None and options:
        raise TypeError("Use either @mock_sts or @mock_sts(**options), not both at once.")
    check_names("mock_sts()", options)


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

    with contextlib.suppress(TypeError):  # not weakly referable, as builtins
        _decorated.add(target)
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


def is_decorated(function: object) -> bool:
    """Whether @mock_sts decorated ``function``, or what it wraps (``__wrapped__``) or is
    bound to (``__func__``)."""
    seen: set[int] = set()
    while function is not None and id(function) not in seen:
        seen.add(id(function))
        with contextlib.suppress(TypeError):  # not weakly referable: never decorated
            if function in _decorated:
                return True
        function = getattr(function, "__wrapped__", None) or getattr(function, "__func__", None)
    return False


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


def mock_environment(admin_key: _state.AccessKey, region: str) -> dict[str, str | None]:
    """The environment of a mock with ``set_env``: its admin's keys, no session token nor
    profile, its region unless one is set; returns what restores the environment before."""
    env: dict[str, str | None] = {
        "AWS_ACCESS_KEY_ID": admin_key.access_key_id,
        "AWS_SECRET_ACCESS_KEY": admin_key.secret_access_key,
        "AWS_SESSION_TOKEN": None,
        "AWS_SECURITY_TOKEN": None,
        # A profile would take precedence in botocore's credential chain: a developer's
        # real one must not sign, nor a missing one fail every client with ProfileNotFound.
        "AWS_PROFILE": None,
        "AWS_DEFAULT_PROFILE": None,
    }
    if "AWS_DEFAULT_REGION" not in os.environ:
        env["AWS_DEFAULT_REGION"] = region
    return set_environment(env)


def restore_environment(saved: dict[str, str | None], later: list[dict[str, str | None]]) -> None:
    """Undo ``mock_environment`` of a mock that stops, ``later`` holding what the mocks
    started after it (and still active) saved."""
    if later:
        # Stopped before a mock started after it (mocks stopped in the order they were
        # started): the environment is that mock's until it stops, and then what this one
        # found, as if they had stopped in turn.
        later[0].update(saved)
    else:
        set_environment(saved)


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
