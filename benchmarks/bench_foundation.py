"""Side-by-side cost of mock_sts, moto and a canned-response floor, measured in one run.

Run from anywhere with the package installed::

    python benchmarks/bench_foundation.py           # thorough, about 1-2 minutes
    python benchmarks/bench_foundation.py --quick   # fewer iterations, well under 30 s

It prints one table of medians (with the 25th-75th percentile spread and the sample count)
and then the ratios checked against the targets, each marked PASS or MISS:

1. per boto3 call (GetCallerIdentity, GetSessionToken) under mock_sts, moto's ``mock_aws``
   and a floor: a plain client whose ``before-send`` handler returns a canned XML response,
   so the floor is botocore's own cost of serializing, signing and parsing;
2. entering and leaving an empty mock (``MockSTS().start(); .stop()``, both ``set_env``
   values, and ``mock_aws()``);
3. one test-shaped cycle: start a mock, create an STS client, call GetCallerIdentity, stop;
4. the import time ``import mock_sts`` adds to ``import botocore.session``, in fresh
   interpreters.

Scenarios are measured in interleaved rounds, so machine noise hits all of them alike.
Dummy credentials are set and every socket connection is refused: nothing reaches the
network. The targets are informational; the script exits 0 unless something raises.
"""

from __future__ import annotations

import argparse
import gc
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, NoReturn

import boto3
import boto3.session
from botocore.awsrequest import AWSResponse, HeadersDict
from moto import mock_aws

from mock_sts import MockSTS

REGION = "us-east-1"
DUMMY_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
# Operation name -> boto3 client method.
OPERATIONS = {"GetCallerIdentity": "get_caller_identity", "GetSessionToken": "get_session_token"}

_STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/"
_REQUEST_ID = "c6104cbe-af31-11e0-8154-cbc7ccf896c7"
# As long as the session tokens mock_sts issues, so botocore parses as much data.
_SESSION_TOKEN = "IQoJb3JpZ2luX2VjE" + "Zm9vYmFy" * 40
_CANNED_BODIES = {
    "GetCallerIdentity": (
        f'<GetCallerIdentityResponse xmlns="{_STS_NS}"><GetCallerIdentityResult>'
        "<UserId>AIDAFLOORFLOORFLOOR01</UserId><Account>123456789012</Account>"
        "<Arn>arn:aws:iam::123456789012:user/floor</Arn></GetCallerIdentityResult>"
        f"<ResponseMetadata><RequestId>{_REQUEST_ID}</RequestId></ResponseMetadata>"
        "</GetCallerIdentityResponse>"
    ).encode(),
    "GetSessionToken": (
        f'<GetSessionTokenResponse xmlns="{_STS_NS}"><GetSessionTokenResult><Credentials>'
        "<AccessKeyId>ASIAFLOORFLOORFLOOR1</AccessKeyId>"
        "<SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>"
        f"<SessionToken>{_SESSION_TOKEN}</SessionToken>"
        "<Expiration>2030-01-01T12:00:00Z</Expiration>"
        "</Credentials></GetSessionTokenResult>"
        f"<ResponseMetadata><RequestId>{_REQUEST_ID}</RequestId></ResponseMetadata>"
        "</GetSessionTokenResponse>"
    ).encode(),
}


@dataclass(frozen=True)
class Settings:
    """Iteration counts of one run."""

    rounds: int
    calls: int
    warmup: int
    lifecycles: int
    cycles: int
    imports: int


THOROUGH = Settings(rounds=5, calls=2000, warmup=50, lifecycles=400, cycles=12, imports=7)
QUICK = Settings(rounds=3, calls=300, warmup=20, lifecycles=100, cycles=4, imports=3)


# -- environment -------------------------------------------------------------------------


def _prepare_environment(config_dir: str) -> None:
    """Dummy credentials and no configuration of the machine, so nothing real is used."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": REGION,
            "AWS_CONFIG_FILE": os.path.join(config_dir, "config"),
            "AWS_SHARED_CREDENTIALS_FILE": os.path.join(config_dir, "credentials"),
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )


def _refuse_connection(*args: Any, **kwargs: Any) -> NoReturn:
    raise RuntimeError("the benchmark tried to open a network connection")


def _forbid_network() -> None:
    """Make any attempt to reach the network fail loudly instead of skewing the timings."""
    socket.socket.connect = _refuse_connection  # type: ignore[method-assign]
    socket.socket.connect_ex = _refuse_connection  # type: ignore[method-assign]
    socket.getaddrinfo = _refuse_connection


# -- clients under test ------------------------------------------------------------------


class _CannedBody:
    """The raw stream botocore reads a response body from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        yield self._body


def _canned_send(request: Any, event_name: str, **kwargs: Any) -> AWSResponse:
    # event_name is "before-send.sts.<Operation>".
    body = _CANNED_BODIES[event_name.rsplit(".", 1)[1]]
    headers = HeadersDict(
        {
            "x-amzn-RequestId": _REQUEST_ID,
            "Content-Type": "text/xml",
            "Content-Length": str(len(body)),
        }
    )
    return AWSResponse(request.url, 200, headers, _CannedBody(body))


@contextmanager
def _floor_client(session: boto3.session.Session) -> Iterator[Any]:
    client = session.client("sts", region_name=REGION, **DUMMY_KEYS)
    client.meta.events.register_first("before-send.sts", _canned_send)
    yield client


@contextmanager
def _mock_sts_client(session: boto3.session.Session) -> Iterator[Any]:
    # Keys of this mock's admin user: requests are signed by a known key and verified.
    with MockSTS() as mock:
        yield session.client("sts", region_name=REGION, **mock.admin_credentials().as_boto3())


@contextmanager
def _moto_client(session: boto3.session.Session) -> Iterator[Any]:
    with mock_aws():
        yield session.client("sts", region_name=REGION, **DUMMY_KEYS)


@dataclass(frozen=True)
class CallScenario:
    """A way of answering STS calls: opens a client that is served while it is open."""

    label: str
    open_client: Callable[[], AbstractContextManager[Any]]
    arn_suffix: str


def _call_scenarios() -> list[CallScenario]:
    # A session copies botocore's registered handlers when it is created. mock_sts adds its
    # handler on its first start(), so a session made before that is the pure floor; one
    # made after it carries mock_sts's handler, which still runs while no mock is active.
    pure_floor = boto3.session.Session()
    _start_stop_mock_sts(set_env=False)
    return [
        CallScenario("floor", partial(_floor_client, pure_floor), ":user/floor"),
        CallScenario(
            "floor + idle mock_sts hook",
            partial(_floor_client, boto3.session.Session()),
            ":user/floor",
        ),
        CallScenario("mock_sts", partial(_mock_sts_client, boto3.session.Session()), ":user/admin"),
        CallScenario("moto", partial(_moto_client, boto3.session.Session()), ":user/moto"),
    ]


# -- measuring ---------------------------------------------------------------------------

Samples = dict[str, list[float]]


def _time_each(action: Callable[[], object], count: int) -> list[float]:
    """Seconds taken by each of ``count`` calls of ``action``."""
    clock = time.perf_counter
    samples = []
    for _ in range(count):
        start = clock()
        action()
        samples.append(clock() - start)
    return samples


def _rotated(items: list[Any], by: int) -> list[Any]:
    by %= len(items)
    return items[by:] + items[:by]


def _operation(client: Any, name: str) -> Callable[[], Any]:
    method: Callable[[], Any] = getattr(client, OPERATIONS[name])
    return method


def _check_served_by(scenario: CallScenario, client: Any) -> None:
    arn = client.get_caller_identity()["Arn"]
    if not arn.endswith(scenario.arn_suffix):
        raise RuntimeError(f"{scenario.label}: answered by the wrong mock ({arn})")


def _measure_calls(settings: Settings) -> Samples:
    scenarios = _call_scenarios()
    samples: Samples = defaultdict(list)
    for round_ in range(settings.rounds):
        _progress(f"per-call round {round_ + 1}/{settings.rounds}")
        for scenario in _rotated(scenarios, round_):
            with scenario.open_client() as client:
                _check_served_by(scenario, client)
                for name in OPERATIONS:
                    call = _operation(client, name)
                    _time_each(call, settings.warmup)
                    gc.collect()
                    samples[f"{name}: {scenario.label}"] += _time_each(call, settings.calls)
    return {
        f"{name}: {scenario.label}": samples[f"{name}: {scenario.label}"]
        for name in OPERATIONS
        for scenario in scenarios
    }


def _start_stop_mock_sts(set_env: bool) -> None:
    MockSTS(set_env=set_env).start().stop()


def _start_stop_moto() -> None:
    mock = mock_aws()
    mock.start()
    mock.stop()


def _measure_lifecycles(settings: Settings) -> Samples:
    actions: dict[str, Callable[[], None]] = {
        "mock_sts set_env=True": partial(_start_stop_mock_sts, set_env=True),
        "mock_sts set_env=False": partial(_start_stop_mock_sts, set_env=False),
        "moto mock_aws()": _start_stop_moto,
    }
    samples: Samples = defaultdict(list)
    for round_ in range(settings.rounds):
        _progress(f"start/stop round {round_ + 1}/{settings.rounds}")
        for label in _rotated(list(actions), round_):
            _time_each(actions[label], settings.warmup)
            gc.collect()
            samples[label] += _time_each(actions[label], settings.lifecycles)
    return samples


def _cycle(mock: Callable[[], AbstractContextManager[Any]], new_client: Callable[[], Any]) -> None:
    with mock():
        new_client().get_caller_identity()


def _default_session_client() -> Any:
    return boto3.client("sts", region_name=REGION)


def _fresh_session_client() -> Any:
    return boto3.session.Session().client("sts", region_name=REGION)


def _cycle_actions() -> dict[str, Callable[[], None]]:
    shared = boto3.session.Session()
    clients: dict[str, Callable[[], Any]] = {
        "default session": _default_session_client,
        "one shared Session": partial(shared.client, "sts", region_name=REGION),
        "fresh Session each": _fresh_session_client,
    }
    mocks: dict[str, Callable[[], AbstractContextManager[Any]]] = {
        "mock_sts": MockSTS,
        "moto": mock_aws,
    }
    return {
        f"{client_label}: {mock_label}": partial(_cycle, mock, new_client)
        for client_label, new_client in clients.items()
        for mock_label, mock in mocks.items()
    }


def _measure_cycles(settings: Settings) -> Samples:
    actions = _cycle_actions()
    samples: Samples = defaultdict(list)
    for round_ in range(settings.rounds):
        _progress(f"test-cycle round {round_ + 1}/{settings.rounds}")
        for label in _rotated(list(actions), round_):
            _time_each(actions[label], 2)
            gc.collect()
            samples[label] += _time_each(actions[label], settings.cycles)
    return samples


_IMPORT_PROBE = (
    "import time\n"
    "start = time.perf_counter()\n"
    "import botocore.session\n"
    "middle = time.perf_counter()\n"
    "{extra}"
    "print(middle - start, time.perf_counter() - middle)\n"
)


def _import_seconds(extra: str) -> tuple[float, float]:
    """(botocore.session, what follows it) import seconds in a fresh interpreter."""
    probe = _IMPORT_PROBE.format(extra=extra)
    output = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    botocore_seconds, extra_seconds = output.split()
    return float(botocore_seconds), float(extra_seconds)


def _measure_imports(settings: Settings) -> Samples:
    samples: Samples = defaultdict(list)
    for repeat in range(settings.imports):
        _progress(f"import run {repeat + 1}/{settings.imports}")
        botocore_only, _ = _import_seconds("")
        botocore_first, mock_sts_after = _import_seconds("import mock_sts\n")
        samples["import botocore.session"].append(botocore_only)
        samples["import botocore.session; import mock_sts"].append(botocore_first + mock_sts_after)
        samples["  of which mock_sts (in-process)"].append(mock_sts_after)
    return samples


# -- reporting ---------------------------------------------------------------------------


def _progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def _median(samples: Samples, label: str) -> float:
    return statistics.median(samples[label])


_WIDTH = 50


def _print_section(title: str, samples: Samples, unit: str, scale: float) -> None:
    print(f"\n{title}")
    print(f"  {'scenario':<{_WIDTH}}{'median':>10}   {'p25 - p75':<22}{'n':>6}")
    for label, values in samples.items():
        p25, _, p75 = statistics.quantiles(values, n=4)
        median = f"{statistics.median(values) * scale:.1f} {unit}"
        spread = f"{p25 * scale:.1f} - {p75 * scale:.1f} {unit}"
        print(f"  {label:<{_WIDTH}}{median:>10}   {spread:<22}{len(values):>6}")


def _print_check(label: str, value: str, target: str = "", met: bool | None = None) -> None:
    verdict = "" if met is None else "PASS" if met else "MISS"
    print(f"  {label:<{_WIDTH}}{value:>10}   {target:<22}{verdict}".rstrip())


def _print_targets(calls: Samples, cycles: Samples, imports: Samples) -> None:
    print("\nTargets (informational)")
    for name in OPERATIONS:
        ratio = _median(calls, f"{name}: mock_sts") / _median(calls, f"{name}: floor")
        _print_check(f"{name}: mock_sts / floor", f"{ratio:.2f}x", "<= 1.25x", ratio <= 1.25)
    for name in OPERATIONS:
        ratio = _median(calls, f"{name}: moto") / _median(calls, f"{name}: mock_sts")
        _print_check(f"{name}: moto / mock_sts", f"{ratio:.2f}x", ">= 2x", ratio >= 2)
    # The target is the cycle as tests write it: boto3.client(...) on the default session.
    ratio = _median(cycles, "default session: moto") / _median(cycles, "default session: mock_sts")
    _print_check("cycle (default session): moto / mock_sts", f"{ratio:.2f}x", ">= 5x", ratio >= 5)
    added_ms = 1e3 * (
        _median(imports, "import botocore.session; import mock_sts")
        - _median(imports, "import botocore.session")
    )
    _print_check("import mock_sts adds", f"{added_ms:.1f} ms", "<= 30 ms", added_ms <= 30)
    print("\nFor information")
    for client_label in ("one shared Session", "fresh Session each"):
        ratio = _median(cycles, f"{client_label}: moto") / _median(
            cycles, f"{client_label}: mock_sts"
        )
        _print_check(f"cycle ({client_label}): moto / mock_sts", f"{ratio:.2f}x")
    for name in OPERATIONS:
        ratio = _median(calls, f"{name}: floor + idle mock_sts hook") / _median(
            calls, f"{name}: floor"
        )
        _print_check(f"{name}: (floor + idle hook) / floor", f"{ratio:.2f}x")


def _print_notes() -> None:
    print(
        "\nNotes\n"
        "  floor: botocore alone, answered by a canned before-send handler; no mock active.\n"
        "  floor + idle mock_sts hook: the same, in a session created after mock_sts's first\n"
        "    start(), so its before-send handler runs (and returns None) on every call.\n"
        "  mock_sts clients sign with the active mock's admin key (signature verified).\n"
        "  test cycle: start mock, create client, GetCallerIdentity, stop. 'default session'\n"
        "    is boto3.client(...) as tests write it. moto gives boto3 a new default session\n"
        "    on every start, so each client loads botocore's data files again (tens of ms);\n"
        "    mock_sts keeps the default session when it already holds the mock's keys.\n"
        "    'one shared Session' and 'fresh Session each' treat both libraries alike."
    )


def _parse_settings(argv: list[str] | None) -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument(
        "--quick", action="store_true", help="fewer iterations: a rough run in under 30 s"
    )
    return QUICK if parser.parse_args(argv).quick else THOROUGH


def main(argv: list[str] | None = None) -> int:
    settings = _parse_settings(argv)
    with tempfile.TemporaryDirectory() as config_dir:
        _prepare_environment(config_dir)
        _forbid_network()
        began = time.perf_counter()
        imports = _measure_imports(settings)
        calls = _measure_calls(settings)
        lifecycles = _measure_lifecycles(settings)
        cycles = _measure_cycles(settings)
        elapsed = time.perf_counter() - began
    mode = "quick" if settings is QUICK else "thorough"
    print(
        f"mock_sts foundation benchmark ({mode}, {elapsed:.0f} s, Python {sys.version.split()[0]})"
    )
    _print_section("Per call through boto3", calls, "µs", 1e6)
    _print_section("Enter + exit an empty mock", lifecycles, "µs", 1e6)
    _print_section("Test cycle: start, new client, GetCallerIdentity, stop", cycles, "ms", 1e3)
    _print_section("Import in a fresh interpreter", imports, "ms", 1e3)
    _print_targets(calls, cycles, imports)
    _print_notes()
    return 0


if __name__ == "__main__":
    sys.exit(main())
