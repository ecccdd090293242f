"""The benchmark suite: mock_sts side by side with moto and a canned-response floor, one run.

Run from anywhere with the package installed (``pip install -e ".[test]"``)::

    python benchmarks/suite.py           # thorough, a few minutes
    python benchmarks/suite.py --quick   # a rough look, about a minute

It prints tables of medians (with the 25th-75th percentile spread and the sample count),
then every target of the performance issue as a ratio marked PASS or MISS:

1. per boto3 call, for every STS flow and an IAM set-up call, under mock_sts, moto's
   ``mock_aws`` and a floor: a client whose ``before-send`` handler returns mock_sts's own
   response for that call, canned, so the floor is botocore's cost of serializing, signing
   and parsing the same bytes;
2. AssumeRoleWithWebIdentity and AssumeRoleWithSAML with the first token or assertion of an
   issuer's key, when nothing about the key is cached yet;
3. entering and leaving an empty mock, and one test-shaped cycle (start, new client, call,
   stop) under both libraries;
4. the import time ``import mock_sts`` adds to ``import botocore.session``;
5. policy evaluation (``bench_policy.py``);
   what authorizing another service's request adds to moto's cost (``bench_enforcement.py``);
6. growth: per-call cost with 10, 1,000 and 100,000 users, roles and live sessions stored,
   and the memory 100,000 live sessions take.

Scenarios are measured in interleaved rounds, so machine noise hits all of them alike.
Every call is verified as in a test (signatures, trust and identity policies, token and
assertion signatures): nothing is switched off for speed. Dummy credentials are set and
every socket connection is refused: nothing reaches the network. The script exits 0 unless
something raises; the targets are reported, never asserted.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any, NoReturn

import bench_enforcement
import bench_policy
import boto3
import boto3.session
from botocore import xform_name
from botocore.awsrequest import AWSResponse, HeadersDict
from moto import mock_aws

from mock_sts import MockSTS
from mock_sts import _state as state

REGION = "us-east-1"
ACCOUNT = "123456789012"
DUMMY_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
GITHUB = "https://token.actions.githubusercontent.com"
SUB = "repo:octo/app:ref:refs/heads/main"


@dataclass(frozen=True)
class Settings:
    """Iteration counts of one run."""

    rounds: int
    calls: int
    warmup: int
    first_keys: int
    lifecycles: int
    cycles: int
    imports: int
    growth_calls: int
    sizes: tuple[int, ...]


THOROUGH = Settings(
    rounds=5,
    calls=1000,
    warmup=50,
    first_keys=60,
    lifecycles=400,
    cycles=12,
    imports=7,
    growth_calls=500,
    sizes=(10, 1_000, 100_000),
)
QUICK = Settings(
    rounds=3,
    calls=200,
    warmup=20,
    first_keys=20,
    lifecycles=100,
    cycles=4,
    imports=3,
    growth_calls=200,
    sizes=(10, 1_000, 100_000),
)

Samples = dict[str, list[float]]


# -- environment -------------------------------------------------------------------------


def _prepare_environment(config_dir: str) -> None:
    """Dummy credentials and no configuration of the machine, so nothing real is used."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ.update(
        {
            **{name.upper(): value for name, value in DUMMY_KEYS.items()},
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


# -- workloads: one operation, the state it needs and the input of each call ------------


def _allow(actions: Sequence[str], **condition: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Action": list(actions), "Resource": "*"}
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


def _trust(principal: dict[str, str], actions: Sequence[str], **condition: Any) -> dict[str, Any]:
    statement: dict[str, Any] = {"Effect": "Allow", "Principal": principal, "Action": actions}
    if condition:
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}


Inputs = Callable[[int], list[dict[str, Any]]]


@dataclass(frozen=True)
class Workload:
    """One operation measured per call.

    ``prepare`` builds the state the calls need in an active mock, and returns the keys the
    client signs with and a maker of the calls' inputs (tokens, assertions, names). It is
    deterministic: inputs made once are valid in every fresh mock it prepares.
    """

    operation: str
    service: str
    prepare: Callable[[MockSTS], tuple[dict[str, str], Inputs]]

    @property
    def method(self) -> str:
        return xform_name(self.operation)


def _same(params: dict[str, Any]) -> Inputs:
    return lambda count: [params] * count


def _caller_identity(mock: MockSTS) -> tuple[dict[str, str], Inputs]:
    return mock.admin_credentials().as_boto3(), _same({})


_ASSUME_ROLE = {
    "RoleArn": f"arn:aws:iam::{ACCOUNT}:role/deploy",
    "RoleSessionName": "ci-run",
    "Tags": [{"Key": "run", "Value": "42"}],
    "Policy": json.dumps(_allow(["s3:GetObject"])),
}


def _assume_role(mock: MockSTS) -> tuple[dict[str, str], Inputs]:
    # The role trusts the account, so the caller's identity policy must allow the call too:
    # trust and identity are both evaluated, with conditions, as are the tags and the policy.
    caller = mock.create_user(
        "deployer",
        policies={
            "assume": _allow(
                ["sts:AssumeRole", "sts:TagSession"],
                StringEquals={"aws:RequestedRegion": REGION},
            )
        },
        tags={"team": "core"},
    )
    trust = _trust(
        {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
        ["sts:AssumeRole", "sts:TagSession"],
        StringEquals={"aws:PrincipalTag/team": "core"},
    )
    mock.create_role("deploy", trust, policies={"work": _allow(["s3:*"])})
    return caller.credentials.as_boto3(), _same(_ASSUME_ROLE)


def _federation_token(mock: MockSTS) -> tuple[dict[str, str], Inputs]:
    # A broker user federates its callers, each session scoped down by a policy.
    broker = mock.create_user("broker", policies={"federate": _allow(["sts:GetFederationToken"])})
    return broker.credentials.as_boto3(), _same(
        {"Name": "app-user", "Policy": json.dumps(_allow(["s3:GetObject"]))}
    )


def _web_identity(mock: MockSTS) -> tuple[dict[str, str], Inputs]:
    github = mock.oidc_provider(GITHUB)
    trust = _trust(
        {"Federated": github.arn},
        ["sts:AssumeRoleWithWebIdentity"],
        StringEquals={"token.actions.githubusercontent.com:sub": SUB},
    )
    role = mock.create_role("ci", trust)

    def inputs(count: int) -> list[dict[str, Any]]:
        return [
            {
                "RoleArn": role.arn,
                "RoleSessionName": "ci",
                "WebIdentityToken": github.token(sub=SUB, jti=f"run-{i}"),
            }
            for i in range(count)
        ]

    return mock.admin_credentials().as_boto3(), inputs


def _saml(mock: MockSTS) -> tuple[dict[str, str], Inputs]:
    idp = mock.saml_provider("Corp")
    role = mock.create_role("sso", _trust({"Federated": idp.arn}, ["sts:AssumeRoleWithSAML"]))

    def inputs(count: int) -> list[dict[str, Any]]:
        return [
            {
                "RoleArn": role.arn,
                "PrincipalArn": idp.arn,
                "SAMLAssertion": idp.response(role.arn, subject=f"user{i}"),
            }
            for i in range(count)
        ]

    return mock.admin_credentials().as_boto3(), inputs


def _create_role(mock: MockSTS) -> tuple[dict[str, str], Inputs]:
    trust = json.dumps(_trust({"Service": "lambda.amazonaws.com"}, ["sts:AssumeRole"]))

    def inputs(count: int) -> list[dict[str, Any]]:
        return [{"RoleName": f"role-{i}", "AssumeRolePolicyDocument": trust} for i in range(count)]

    return mock.admin_credentials().as_boto3(), inputs


WORKLOADS = [
    Workload("GetCallerIdentity", "sts", _caller_identity),
    Workload("GetSessionToken", "sts", _caller_identity),
    Workload("AssumeRole", "sts", _assume_role),
    Workload("GetFederationToken", "sts", _federation_token),
    Workload("AssumeRoleWithWebIdentity", "sts", _web_identity),
    Workload("AssumeRoleWithSAML", "sts", _saml),
    Workload("CreateRole", "iam", _create_role),
]


# -- the three ways of answering ---------------------------------------------------------


class _CannedBody:
    """The raw stream botocore reads a response body from."""

    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        yield self._body


def _canned(bodies: dict[str, bytes]) -> Callable[..., AWSResponse]:
    def send(request: Any, event_name: str, **kwargs: Any) -> AWSResponse:
        body = bodies[event_name.rsplit(".", 1)[1]]  # before-send.<service>.<Operation>
        headers = HeadersDict({"Content-Type": "text/xml", "Content-Length": str(len(body))})
        return AWSResponse(request.url, 200, headers, _CannedBody(body))

    return send


@dataclass
class Prepared:
    """What one run of the suite made once: each workload's inputs and mock_sts's answers."""

    inputs: dict[str, list[dict[str, Any]]]
    bodies: dict[str, bytes]


def _prepare(settings: Settings) -> Prepared:
    """Inputs for every call, and mock_sts's response to each workload, canned for the floor."""
    count = settings.warmup + settings.calls
    inputs: dict[str, list[dict[str, Any]]] = {}
    bodies: dict[str, bytes] = {}
    for workload in WORKLOADS:
        _progress(f"preparing {workload.operation}")
        with MockSTS() as mock:
            keys, make_inputs = workload.prepare(mock)
            inputs[workload.operation] = make_inputs(count)
            client = boto3.session.Session().client(workload.service, region_name=REGION, **keys)
            client.meta.events.register(f"after-call.{workload.service}", partial(_keep, bodies))
            getattr(client, workload.method)(**inputs[workload.operation][0])
    return Prepared(inputs, bodies)


def _keep(bodies: dict[str, bytes], http_response: Any, model: Any, **kwargs: Any) -> None:
    bodies[model.name] = http_response.content


@contextmanager
def _floor(workload: Workload, prepared: Prepared) -> Iterator[Any]:
    client = boto3.session.Session().client(workload.service, region_name=REGION, **DUMMY_KEYS)
    client.meta.events.register_first(f"before-send.{workload.service}", _canned(prepared.bodies))
    yield client


@contextmanager
def _mock_sts(workload: Workload, prepared: Prepared) -> Iterator[Any]:
    with MockSTS() as mock:
        keys, _ = workload.prepare(mock)
        yield boto3.session.Session().client(workload.service, region_name=REGION, **keys)


@contextmanager
def _moto(workload: Workload, prepared: Prepared) -> Iterator[Any]:
    with mock_aws():
        yield boto3.session.Session().client(workload.service, region_name=REGION, **DUMMY_KEYS)


ANSWERERS: dict[str, Callable[[Workload, Prepared], AbstractContextManager[Any]]] = {
    "floor": _floor,
    "mock_sts": _mock_sts,
    "moto": _moto,
}


# -- measuring ---------------------------------------------------------------------------


def _time_each(action: Callable[[], object], count: int) -> list[float]:
    """Seconds taken by each of ``count`` calls of ``action``."""
    clock = time.perf_counter
    samples = []
    for _ in range(count):
        start = clock()
        action()
        samples.append(clock() - start)
    return samples


def _time_calls(method: Callable[..., Any], inputs: Sequence[dict[str, Any]]) -> list[float]:
    clock = time.perf_counter
    samples = []
    for params in inputs:
        start = clock()
        method(**params)
        samples.append(clock() - start)
    return samples


def _rotated(items: list[Any], by: int) -> list[Any]:
    by %= len(items)
    return items[by:] + items[:by]


def _measure_calls(settings: Settings, prepared: Prepared) -> Samples:
    # A session made after mock_sts's first start carries its (idle) before-send handler,
    # so every answerer's client pays for it alike.
    MockSTS(set_env=False).start().stop()
    samples: Samples = defaultdict(list)
    for round_ in range(settings.rounds):
        _progress(f"per-call round {round_ + 1}/{settings.rounds}")
        for workload in WORKLOADS:
            inputs = prepared.inputs[workload.operation]
            for label in _rotated(list(ANSWERERS), round_):
                with ANSWERERS[label](workload, prepared) as client:
                    method = getattr(client, workload.method)
                    _time_calls(method, inputs[: settings.warmup])
                    gc.collect()
                    timed = _time_calls(method, inputs[settings.warmup :])
                    samples[f"{workload.operation}: {label}"] += timed
    return dict(sorted(samples.items(), key=lambda item: _order(item[0])))


def _order(label: str) -> tuple[int, int]:
    operation, answerer = label.split(": ")
    operations = [w.operation for w in WORKLOADS]
    return operations.index(operation), list(ANSWERERS).index(answerer)


def _measure_first_keys(settings: Settings) -> Samples:
    """One call per issuer key that nothing has verified with yet."""
    samples: Samples = defaultdict(list)
    count = settings.first_keys
    _progress(f"first tokens of {count} new keys")
    with MockSTS() as mock:
        keys = mock.admin_credentials().as_boto3()
        client = boto3.session.Session().client("sts", region_name=REGION, **keys)
        calls = []
        for i in range(count):
            host = f"issuer-{i}.first-key.example.com"
            provider = mock.oidc_provider(f"https://{host}")
            trust = _trust(
                {"Federated": provider.arn},
                ["sts:AssumeRoleWithWebIdentity"],
                StringEquals={f"{host}:sub": SUB},
            )
            role = mock.create_role(f"web-{i}", trust)
            calls.append(
                partial(
                    client.assume_role_with_web_identity,
                    RoleArn=role.arn,
                    RoleSessionName="ci",
                    WebIdentityToken=provider.token(sub=SUB),
                )
            )
        for i in range(count):
            idp = mock.saml_provider(f"FirstKey{i}")
            role = mock.create_role(
                f"saml-{i}", _trust({"Federated": idp.arn}, ["sts:AssumeRoleWithSAML"])
            )
            calls.append(
                partial(
                    client.assume_role_with_saml,
                    RoleArn=role.arn,
                    PrincipalArn=idp.arn,
                    SAMLAssertion=idp.response(role.arn, subject="jdoe"),
                )
            )
        gc.collect()
        for i, call in enumerate(calls):
            operation = "AssumeRoleWithWebIdentity" if i < count else "AssumeRoleWithSAML"
            samples[f"{operation}: first token of a key"] += _time_each(call, 1)
    return samples


def _measure_libraries(settings: Settings, prepared: Prepared) -> Samples:
    """pyjwt and signxml alone, verifying the benchmark's tokens and assertions once each as
    mock_sts must: the least any faithful AssumeRoleWithWebIdentity or AssumeRoleWithSAML
    can add to the floor.

    Each check runs right after the same call answered by the floor, as it runs inside a
    call: back to back, with botocore's work out of the processor's caches, signxml takes
    about a third less than it does in any request.
    """
    import base64

    import jwt

    from mock_sts._federation import saml

    _progress("pyjwt and signxml alone")
    with MockSTS() as mock:  # the same pooled keys signed the prepared inputs
        jwk = jwt.PyJWK(mock.oidc_provider(GITHUB).jwks["keys"][0])
        metadata = saml.parse_metadata(mock.saml_provider("Corp").metadata_xml)
    certificate = metadata.certificates[0]
    assertion = f"./{{{saml.SAML}}}Assertion/"
    jws = jwt.PyJWS()
    # Each check: the operation it belongs to, the check, and its argument from a call's
    # parameters (made before the clock starts).
    checks: dict[str, tuple[str, Callable[[Any], object], Callable[[dict[str, Any]], Any]]] = {
        "pyjwt: decode and verify one token": (
            "AssumeRoleWithWebIdentity",
            lambda token: jws.decode_complete(token, jwk.key, ["RS256"]),
            lambda params: params["WebIdentityToken"],
        ),
        "signxml: verify one assertion": (
            "AssumeRoleWithSAML",
            lambda document: saml.check_signature(document, assertion, certificate),
            lambda params: base64.b64decode(params["SAMLAssertion"]),
        ),
    }
    workloads = {workload.operation: workload for workload in WORKLOADS}
    samples: Samples = defaultdict(list)
    for _ in range(settings.rounds):
        for label, (operation, check, argument_of) in checks.items():
            workload = workloads[operation]
            inputs = prepared.inputs[operation]
            with _floor(workload, prepared) as client:
                call = getattr(client, workload.method)
                _time_after_calls(call, check, argument_of, inputs[: settings.warmup])
                gc.collect()
                samples[label] += _time_after_calls(
                    call, check, argument_of, inputs[settings.warmup :]
                )
    return samples


def _time_after_calls(
    call: Callable[..., Any],
    check: Callable[[Any], object],
    argument_of: Callable[[dict[str, Any]], Any],
    inputs: Sequence[dict[str, Any]],
) -> list[float]:
    """Seconds taken by ``check`` of each input's argument, each right after ``call`` with
    the input."""
    clock = time.perf_counter
    samples = []
    for params in inputs:
        call(**params)
        argument = argument_of(params)
        start = clock()
        check(argument)
        samples.append(clock() - start)
    return samples


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
    """(botocore.session, what follows it) import seconds in a fresh interpreter, with
    bytecode caches as an installed package has them (PYTHONDONTWRITEBYTECODE, if set,
    would make every import of a source checkout compile it again)."""
    probe = _IMPORT_PROBE.format(extra=extra)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    output = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, env=env
    ).stdout
    botocore_seconds, extra_seconds = output.split()
    return float(botocore_seconds), float(extra_seconds)


def _measure_imports(settings: Settings) -> Samples:
    samples: Samples = defaultdict(list)
    _import_seconds("import mock_sts\n")  # writes the bytecode caches
    for repeat in range(settings.imports):
        _progress(f"import run {repeat + 1}/{settings.imports}")
        botocore_only, _ = _import_seconds("")
        botocore_first, mock_sts_after = _import_seconds("import mock_sts\n")
        samples["import botocore.session"].append(botocore_only)
        samples["import botocore.session; import mock_sts"].append(botocore_first + mock_sts_after)
        samples["  of which mock_sts (in-process)"].append(mock_sts_after)
    return samples


# -- growth and memory -------------------------------------------------------------------


def _populate(mock: MockSTS, size: int) -> float:
    """Store ``size`` users, roles and live role sessions, as IAM and STS store them; the
    resident memory the sessions took, in MiB.

    The one white-box step of the suite: made through boto3, 100,000 sessions would take
    over a minute (about 650 µs each) and leave botocore's garbage in the memory measured, so
    the state's own constructors make the same objects the operations make.
    """
    backend = mock._require_backend()
    account = backend.account()
    trust = state.TrustPolicy(json.dumps(_trust({"Service": "ec2.amazonaws.com"}, ["sts:*"])), {})
    roles = []
    for i in range(size):
        account.add_user(f"user-{i}")
        roles.append(account.add_role(f"role-{i}", trust))
    gc.collect()
    before = _rss_bytes()
    for i, role in enumerate(roles):
        backend.add_session(
            state.SessionKind.ROLE, role, 3600, name=f"session-{i}", tags={"run": str(i)}
        )
    gc.collect()
    return (_rss_bytes() - before) / 2**20


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _measure_growth(settings: Settings, prepared: Prepared) -> tuple[Samples, dict[int, float]]:
    samples: Samples = defaultdict(list)
    memory: dict[int, float] = {}
    assume_role = next(w for w in WORKLOADS if w.operation == "AssumeRole")
    for size in settings.sizes:
        _progress(f"growth: {size:,} users, roles and sessions")
        with MockSTS() as mock:
            keys, _ = assume_role.prepare(mock)
            memory[size] = _populate(mock, size)
            client = boto3.session.Session().client("sts", region_name=REGION, **keys)
            for operation, call in (
                ("GetCallerIdentity", client.get_caller_identity),
                ("AssumeRole", partial(client.assume_role, **_ASSUME_ROLE)),
            ):
                _time_each(call, settings.warmup)
                samples[f"{operation}: {size:,} stored"] += _time_each(call, settings.growth_calls)
    return samples, memory


# -- reporting ---------------------------------------------------------------------------


def _progress(message: str) -> None:
    print(f"... {message}", file=sys.stderr, flush=True)


def _median(samples: Samples, label: str) -> float:
    return statistics.median(samples[label])


_WIDTH = 64


def _print_section(title: str, samples: Samples, unit: str, scale: float) -> None:
    print(f"\n{title}")
    print(f"  {'scenario':<{_WIDTH}}{'median':>11}   {'p25 - p75':<24}{'n':>6}")
    for label, values in samples.items():
        p25, _, p75 = statistics.quantiles(values, n=4)
        median = f"{statistics.median(values) * scale:.1f} {unit}"
        spread = f"{p25 * scale:.1f} - {p75 * scale:.1f} {unit}"
        print(f"  {label:<{_WIDTH}}{median:>11}   {spread:<24}{len(values):>6}")


def _print_check(label: str, value: str, target: str = "", met: bool | None = None) -> None:
    verdict = "" if met is None else "PASS" if met else "MISS"
    print(f"  {label:<{_WIDTH}}{value:>11}   {target:<24}{verdict}".rstrip())


def _ratio_check(label: str, ratio: float, bound: float, at_most: bool = True) -> None:
    target = f"{'<=' if at_most else '>='} {bound:g}x"
    _print_check(label, f"{ratio:.2f}x", target, ratio <= bound if at_most else ratio >= bound)


# mock_sts / floor per call; for the federated calls, what mock_sts adds beyond the
# verification library's own check: (mock_sts - the library alone) / floor.
_FLOOR_TARGETS = {
    "GetCallerIdentity": 1.25,
    "GetSessionToken": 1.25,
    "AssumeRole": 1.35,
    "AssumeRoleWithWebIdentity": 1.35,
    "AssumeRoleWithSAML": 1.5,
}
_VERIFIED_BY = {
    "AssumeRoleWithWebIdentity": "pyjwt: decode and verify one token",
    "AssumeRoleWithSAML": "signxml: verify one assertion",
}
# The first token of an issuer's key, the same way; a SAML provider's first assertion is
# reported for information.
_FIRST_KEY_TARGETS = {"AssumeRoleWithWebIdentity": 1.6}
_MOTO_TARGET = 2
_MOTO_COMPARED = ("GetCallerIdentity", "GetSessionToken", "AssumeRole", "GetFederationToken")
_CYCLE_TARGET = 20
_IMPORT_TARGET_MS = 15


@dataclass
class Results:
    calls: Samples
    first_keys: Samples
    libraries: Samples
    lifecycles: Samples
    cycles: Samples
    imports: Samples
    policy: Samples
    growth: Samples
    memory: dict[int, float]
    enforcement: Samples


def _beyond_library(results: Results, operation: str, samples: Samples, label: str) -> float:
    """The median of ``label`` in ``samples``, less the verification library's own median
    for ``operation`` (nothing for a call that verifies no signature)."""
    library = _VERIFIED_BY.get(operation)
    own = _median(results.libraries, library) if library else 0.0
    return _median(samples, label) - own


def _print_targets(results: Results, settings: Settings) -> None:
    calls = results.calls
    print("\nTargets (ratios of medians from this run)")
    for operation, bound in _FLOOR_TARGETS.items():
        floor = _median(calls, f"{operation}: floor")
        mock = "(mock_sts - library)" if operation in _VERIFIED_BY else "mock_sts"
        ratio = _beyond_library(results, operation, calls, f"{operation}: mock_sts") / floor
        _ratio_check(f"{operation}: {mock} / floor", ratio, bound)
        if operation in _FIRST_KEY_TARGETS:
            first = f"{operation}: first token of a key"
            ratio = _beyond_library(results, operation, results.first_keys, first) / floor
            _ratio_check(
                f"{operation}, first of a key: {mock} / floor",
                ratio,
                _FIRST_KEY_TARGETS[operation],
            )
    for operation in _MOTO_COMPARED:
        ratio = _median(calls, f"{operation}: moto") / _median(calls, f"{operation}: mock_sts")
        _ratio_check(f"{operation}: moto / mock_sts", ratio, _MOTO_TARGET, at_most=False)
    cycles = results.cycles
    ratio = _median(cycles, "default session: moto") / _median(cycles, "default session: mock_sts")
    _ratio_check(
        "test cycle (default session): moto / mock_sts", ratio, _CYCLE_TARGET, at_most=False
    )
    for label in ("mock_sts set_env=True", "mock_sts set_env=False"):
        micros = _median(results.lifecycles, label) * 1e6
        _print_check(f"enter + exit, {label}", f"{micros:.1f} µs", "<= 50 µs", micros <= 50)
    # Timed in the interpreter that imported botocore.session just before: what mock_sts
    # adds, without the noise of comparing two sets of fresh interpreters.
    added_ms = 1e3 * _median(results.imports, "  of which mock_sts (in-process)")
    _print_check(
        "import mock_sts adds",
        f"{added_ms:.1f} ms",
        f"<= {_IMPORT_TARGET_MS} ms",
        added_ms <= _IMPORT_TARGET_MS,
    )
    largest = max(settings.sizes)
    megabytes = results.memory[largest] * 100_000 / largest  # the largest size is 100,000
    _print_check(
        "memory of 100,000 live sessions", f"{megabytes:.0f} MB", "<= 150 MB", megabytes <= 150
    )
    smallest = min(settings.sizes)
    for operation in ("GetCallerIdentity", "AssumeRole"):
        ratio = _median(results.growth, f"{operation}: {largest:,} stored") / _median(
            results.growth, f"{operation}: {smallest:,} stored"
        )
        _ratio_check(f"{operation}: {largest:,} / {smallest:,} stored", ratio, 1.1)
    for label, ratio in bench_enforcement.report(results.enforcement):
        _ratio_check(label, ratio, bench_enforcement.TARGET)
    for scenario in ("typical", "worst", "trust"):
        micros = statistics.median(results.policy[scenario])
        _print_check(
            f"policy evaluation, 20 statements ({scenario})",
            f"{micros:.1f} µs",
            "<= 50 µs",
            micros <= 50,
        )
    print("\nFor information")
    for client_label in ("one shared Session", "fresh Session each"):
        ratio = _median(cycles, f"{client_label}: moto") / _median(
            cycles, f"{client_label}: mock_sts"
        )
        _print_check(f"test cycle ({client_label}): moto / mock_sts", f"{ratio:.2f}x")
    for operation, library in _VERIFIED_BY.items():
        floor = _median(calls, f"{operation}: floor")
        ratio = _median(results.libraries, library) / floor
        _print_check(f"{library.split(':')[0]} alone / {operation} floor", f"{ratio:.2f}x")
        ratio = _median(calls, f"{operation}: mock_sts") / floor
        _print_check(f"{operation}: mock_sts / floor, library included", f"{ratio:.2f}x")
        first = f"{operation}: first token of a key"
        if operation not in _FIRST_KEY_TARGETS:
            ratio = _beyond_library(results, operation, results.first_keys, first) / floor
            _print_check(
                f"{operation}, first of a key: (mock_sts - library) / floor", f"{ratio:.2f}x"
            )
    for operation in ("GetFederationToken", "CreateRole"):
        ratio = _median(calls, f"{operation}: mock_sts") / _median(calls, f"{operation}: floor")
        _print_check(f"{operation}: mock_sts / floor", f"{ratio:.2f}x")
    ratio = _median(calls, "CreateRole: moto") / _median(calls, "CreateRole: mock_sts")
    _print_check("CreateRole: moto / mock_sts", f"{ratio:.2f}x")
    for size, megabytes in results.memory.items():
        _print_check(f"memory of {size:,} live sessions", f"{megabytes:.1f} MB")
    ratio = bench_enforcement.fresh_ratio(results.enforcement)
    _print_check(f"{bench_enforcement.FRESH}: enforcement on / off", f"{ratio:.2f}x")


def _print_notes() -> None:
    print(
        "\nNotes\n"
        "  floor: botocore alone, answered by a canned before-send handler returning the\n"
        "    bytes mock_sts answers that call with; no mock active.\n"
        "  mock_sts: every call authenticated (SigV4) and evaluated (trust, identity,\n"
        "    boundary, session policies); tokens and assertions verified, each call's\n"
        "    different. 'first token of a key': the first call verified with an issuer's\n"
        "    key or a SAML provider's metadata, nothing about it cached.\n"
        "  test cycle: start mock, create client, GetCallerIdentity, stop. 'default session'\n"
        "    is boto3.client(...) as tests write it. moto gives boto3 a new default session\n"
        "    on every start, so each client loads botocore's data files again (tens of ms);\n"
        "    mock_sts keeps the default session when it already holds the mock's keys.\n"
        "  libraries alone: what pyjwt and signxml take to check one token or assertion,\n"
        "    as a share of the call's floor. The federated calls' targets count that check\n"
        "    as part of the floor: (mock_sts - library) / floor is what mock_sts adds.\n"
        "  memory: resident set growth while storing the sessions (one per role, each\n"
        "    with a tag), users and roles already stored."
    )


def _parse_settings(argv: list[str] | None) -> Settings:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer iterations: a rough run")
    return QUICK if parser.parse_args(argv).quick else THOROUGH


def main(argv: list[str] | None = None) -> int:
    settings = _parse_settings(argv)
    with tempfile.TemporaryDirectory() as config_dir:
        _prepare_environment(config_dir)
        _forbid_network()
        began = time.perf_counter()
        imports = _measure_imports(settings)
        prepared = _prepare(settings)
        calls = _measure_calls(settings, prepared)
        first_keys = _measure_first_keys(settings)
        libraries = _measure_libraries(settings, prepared)
        lifecycles = _measure_lifecycles(settings)
        cycles = _measure_cycles(settings)
        _progress("policy evaluation")
        policy = bench_policy.measure(quick=settings is QUICK)
        growth, memory = _measure_growth(settings, prepared)
        _progress("authorization of other services beside moto")
        enforcement = bench_enforcement.measure(quick=settings is QUICK)
        elapsed = time.perf_counter() - began
    results = Results(
        calls,
        first_keys,
        libraries,
        lifecycles,
        cycles,
        imports,
        policy,
        growth,
        memory,
        enforcement,
    )
    mode = "quick" if settings is QUICK else "thorough"
    print(f"mock_sts benchmark suite ({mode}, {elapsed:.0f} s, Python {sys.version.split()[0]})")
    _print_section("Per call through boto3", calls, "µs", 1e6)
    _print_section("First token or assertion of a key", first_keys, "µs", 1e6)
    _print_section("Verification libraries alone, per token or assertion", libraries, "µs", 1e6)
    _print_section("Enter + exit an empty mock", lifecycles, "µs", 1e6)
    _print_section("Test cycle: start, new client, GetCallerIdentity, stop", cycles, "ms", 1e3)
    _print_section("Import in a fresh interpreter", imports, "ms", 1e3)
    _print_section("Policy evaluation (per evaluation; parse: per document)", policy, "µs", 1)
    _print_section("Growth: per call with users, roles and sessions stored", growth, "µs", 1e6)
    _print_section("Other services through boto3 and moto, per call", enforcement, "µs", 1e6)
    _print_targets(results, settings)
    _print_notes()
    return 0


if __name__ == "__main__":
    sys.exit(main())
