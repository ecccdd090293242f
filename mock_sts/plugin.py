"""pytest plugin: the ``sts_mock`` fixture and marker; the requests the mocks refused, in the
report of a test that fails; the policies the session's principals needed, on request."""

from __future__ import annotations

import json
import warnings
from collections.abc import Generator, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from mock_sts import MockSTS, _activation, _mock

if TYPE_CHECKING:
    from mock_sts._calls import Call
    from mock_sts._services._required import Permission

SECTION = "mock_sts denials"
_OBSERVER = "mock_sts-observer"
# The key of a pytest-xdist worker's required permissions in what it hands the controller.
_WORKER_OUTPUT = "mock_sts_required_permissions"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("mock_sts").addoption(
        "--sts-required-policies",
        metavar="PATH",
        default=None,
        help="write to PATH, as JSON keyed by ARN, the least-privilege identity policy of "
        "every role and user whose requests the mocks saw during the session",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "sts_mock(**options): options for the sts_mock fixture "
        "(account_id, region, strict, set_env, enforce), as for mock_sts(...)",
    )
    # One observer per run: pytester runs pytest inside pytest, with this same module.
    config.pluginmanager.register(_Observer(config), _OBSERVER)


@pytest.fixture
def sts_mock(request: pytest.FixtureRequest) -> Iterator[MockSTS]:
    """An active MockSTS for the test; ``@pytest.mark.sts_mock(...)`` sets its options."""
    marker = request.node.get_closest_marker("sts_mock")
    if marker is not None and marker.args:
        raise TypeError(
            f"@pytest.mark.sts_mock takes keyword options only, got positional {marker.args!r}; "
            "write e.g. @pytest.mark.sts_mock(account_id='111111111111')."
        )
    options = marker.kwargs if marker else {}
    _activation.check_names("@pytest.mark.sts_mock(...)", options)
    if _activation.is_decorated(getattr(request.node, "function", None)):
        warnings.warn(_two_mocks(request.node.name), _activation.MockSTSWarning, stacklevel=1)
    with MockSTS(**options) as mock:
        yield mock


def _two_mocks(test: str) -> str:
    return (
        f"{test} is decorated with @mock_sts and also asks for the sts_mock fixture: it runs "
        "in two mocks, and the decorator's, started last, serves every request, so what the "
        "test made through sts_mock (roles, users, options) is not there. Use one: drop "
        "@mock_sts and keep sts_mock (its options go in @pytest.mark.sts_mock(...)), or drop "
        "the sts_mock argument and use `with mock_sts() as sts:` in the test."
    )


class _Observer:
    """Sees every mock of the run start and stop, whichever form runs it (the fixture,
    ``@mock_sts``, ``with mock_sts()``, ``start()``), and keeps what its reports need."""

    def __init__(self, config: pytest.Config) -> None:
        option = config.getoption("sts_required_policies")
        self.path = None if option is None else config.invocation_params.dir / option
        self.live: list[MockSTS] = []  # started and not stopped yet
        # The mocks the current test started, and the refusals of those already stopped
        # (with whether they were soft), read while their state was still there.
        self.started: list[MockSTS] = []
        self.stopped: list[tuple[bool, Sequence[Call]]] = []
        self.reported = False
        self.needed: dict[str, set[Permission]] = {}
        _mock._watchers.append(self.watch)

    def watch(self, mock: MockSTS, started: bool) -> None:
        if started:
            self.live.append(mock)
            self.started.append(mock)
            return
        self.live = [other for other in self.live if other is not mock]
        if any(other is mock for other in self.started):
            self.started = [other for other in self.started if other is not mock]
            self.stopped.append((mock.enforce == "soft", mock.denials))
        if self.path is not None:
            self._learn(mock.calls)

    def pytest_unconfigure(self) -> None:
        _mock._watchers.remove(self.watch)

    # -- denials in a failing test's report ------------------------------------------

    def pytest_runtest_logstart(self) -> None:
        self.started, self.stopped, self.reported = [], [], False

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        if report.failed and not self.reported:
            seen = [*self.stopped, *((m.enforce == "soft", m.denials) for m in self.started)]
            lines = [line for soft, denials in seen for line in _described(denials, soft)]
            if lines:
                # As pytest's own captured output: shown under the failure, by name.
                report.sections.append((SECTION, "\n".join(lines)))
                self.reported = True
        return report

    # -- the session's required policies ----------------------------------------------

    def _learn(self, calls: Iterable[Call]) -> None:
        from mock_sts._services import _required

        for principal, permissions in _required.permissions_by_principal(calls).items():
            self.needed.setdefault(principal, set()).update(permissions)

    @pytest.hookimpl(optionalhook=True)
    def pytest_testnodedown(self, node: Any) -> None:
        """A pytest-xdist worker is done: its principals' permissions join the session's."""
        sent: dict[str, list[list[str]]] = getattr(node, "workeroutput", {}).get(_WORKER_OUTPUT, {})
        for principal, permissions in sent.items():
            self.needed.setdefault(principal, set()).update((a, r) for a, r in permissions)

    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.path is None:
            return
        for mock in self.live:  # still running: started and never stopped
            self._learn(mock.calls)
        worker_output: dict[str, Any] | None = getattr(session.config, "workeroutput", None)
        if worker_output is not None:
            # A pytest-xdist worker: the controller merges every worker's and writes the file.
            worker_output[_WORKER_OUTPUT] = {
                principal: sorted(map(list, permissions))
                for principal, permissions in self.needed.items()
            }
            return
        _write(self.path, self.needed)


def _described(denials: Iterable[Call], soft: bool) -> Iterator[str]:
    """Each refused request: what, by whom, how it ended, and each check that refused it."""
    for call in denials:
        # enforce="soft" lets other services' requests through; STS and IAM refuse always.
        let_through = soft and call.service not in ("sts", "iam")
        outcome = 'let through (enforce="soft")' if let_through else "refused"
        caller = call.caller_arn or "an unknown access key"
        yield f"{call.service} {call.action} by {caller}: {outcome}"
        refusals = [check for check in call.checks if not check.allowed]
        for check in refusals:
            yield f"    {check.action} on {check.resource}: {check.reason}"
        if not refusals:
            yield f"    {call.reason}"


def _write(path: Path, needed: dict[str, set[Permission]]) -> None:
    from mock_sts._services import _required

    documents = {
        principal: _required.policy_of(permissions)
        for principal, permissions in sorted(needed.items())
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(documents, indent=2) + "\n", encoding="utf-8")
