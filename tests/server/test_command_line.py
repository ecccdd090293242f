"""The ``mock-sts`` command: its help, version and usage errors, what ``serve`` prints (the
URL, then the environment a client needs), and the address families it listens on."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

import mock_sts
from mock_sts import MockSTS, server
from mock_sts._control import PREFIX, ROUTES

ACCOUNT = "111111111111"


def run_command(*arguments: str) -> subprocess.CompletedProcess[str]:
    """``python -m mock_sts ARGUMENTS``, as a user's shell runs ``mock-sts``."""
    return subprocess.run(
        [sys.executable, "-m", "mock_sts", *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def words(text: str) -> str:
    """``text`` with its line breaks and runs of blanks as single blanks (help is wrapped)."""
    return " ".join(text.split())


@contextlib.contextmanager
def serve_lines(*options: str) -> Iterator[list[str]]:
    """``mock-sts serve OPTIONS`` in a subprocess for the block: the six lines it prints on
    start."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_sts", "serve", "--port", "0", *options],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    try:
        yield [process.stdout.readline().rstrip("\n") for _ in range(6)]
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=20) == 0
        process.stdout.close()


@pytest.fixture(scope="module")
def printed() -> Iterator[list[str]]:
    with serve_lines("--account-id", ACCOUNT, "--region", "eu-west-2", "--strict") as lines:
        yield lines


def exported(lines: list[str]) -> dict[str, str]:
    """The variables of ``export NAME=VALUE`` lines, as a shell reads them."""
    variables = {}
    for line in lines:
        keyword, assignment = shlex.split(line)
        assert keyword == "export"
        name, _, value = assignment.partition("=")
        variables[name] = value
    return variables


def clean_environment(home: Path) -> dict[str, str]:
    """This process's environment without any AWS variable, and a HOME with no ~/.aws."""
    kept = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    return {**kept, "HOME": str(home)}


def caller_identity_in(environment: dict[str, str]) -> dict[str, str]:
    """GetCallerIdentity by a boto3 client of a fresh process given ``environment`` alone:
    no endpoint, keys or region in the code."""
    script = "import boto3, json; print(json.dumps(boto3.client('sts').get_caller_identity()))"
    finished = subprocess.run(
        [sys.executable, "-c", script],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert finished.returncode == 0, finished.stderr
    identity: dict[str, str] = json.loads(finished.stdout)
    return identity


# ---------------------------------------------------------------------------------------
# What serve prints


@pytest.mark.slow
def test_serve_prints_the_url_then_the_client_environment(printed: list[str]) -> None:
    url, *exports = printed
    port = int(url.removeprefix("http://127.0.0.1:"))
    with MockSTS(account_id=ACCOUNT, region="eu-west-2", set_env=False) as mock:
        admin = mock.admin_credentials()
    assert exports == [
        f"export AWS_ENDPOINT_URL=http://127.0.0.1:{port}",
        f"export AWS_ACCESS_KEY_ID={admin.access_key_id}",
        f"export AWS_SECRET_ACCESS_KEY={shlex.quote(admin.secret_access_key)}",
        "export AWS_DEFAULT_REGION=eu-west-2",
        "export AWS_REGION=eu-west-2",
    ]


@pytest.mark.slow
def test_the_printed_environment_makes_a_client_work_in_a_clean_shell(
    printed: list[str], tmp_path: Path
) -> None:
    # A fresh process given nothing but the exported variables: botocore finds the
    # endpoint, the keys and the region there. The server is --strict: the keys are the
    # admin's own, not an unknown key taken for it.
    identity = caller_identity_in(clean_environment(tmp_path) | exported(printed[1:]))

    assert identity["Arn"] == f"arn:aws:iam::{ACCOUNT}:user/admin"


def test_main_serves_until_sigterm(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    answers: list[int] = []

    def client_then_stop() -> None:
        try:
            for _ in range(200):
                try:
                    response = requests.post(url, data={"Action": "ListUsers"}, timeout=1)
                except requests.ConnectionError:
                    threading.Event().wait(0.05)
                    continue
                answers.append(response.status_code)
                break
        finally:
            os.kill(os.getpid(), signal.SIGTERM)

    previous = signal.getsignal(signal.SIGTERM)
    thread = threading.Thread(target=client_then_stop)
    thread.start()
    assert server.main(["serve", "--port", str(port)]) == 0
    thread.join()
    assert answers == [403]
    url_line, *exports = capsys.readouterr().out.splitlines()
    assert url_line == url
    assert exported(exports)["AWS_ENDPOINT_URL"] == url
    assert signal.getsignal(signal.SIGTERM) is previous


# ---------------------------------------------------------------------------------------
# IPv6


def has_ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


ipv6 = pytest.mark.skipif(not has_ipv6_loopback(), reason="this machine has no ::1")


@pytest.mark.parametrize(
    ("host", "port", "url"),
    [
        ("127.0.0.1", 8080, "http://127.0.0.1:8080"),
        ("localhost", 1, "http://localhost:1"),
        ("::1", 4566, "http://[::1]:4566"),
        ("fe80::1%eth0", 80, "http://[fe80::1%25eth0]:80"),
    ],
)
def test_endpoint_urls_bracket_ipv6_literals(host: str, port: int, url: str) -> None:
    assert server.endpoint_url(host, port) == url


@ipv6
@pytest.mark.slow
@pytest.mark.parametrize("host", ["::1", "[::1]"])
def test_serves_on_ipv6_loopback(host: str, tmp_path: Path) -> None:
    with serve_lines("--host", host, "--account-id", ACCOUNT) as (url, *exports):
        assert url.startswith("http://[::1]:")
        assert exported(exports)["AWS_ENDPOINT_URL"] == url
        identity = caller_identity_in(clean_environment(tmp_path) | exported(exports))
        assert identity["Account"] == ACCOUNT


@ipv6
def test_a_request_without_host_is_taken_as_sent_to_the_url_printed() -> None:
    # HTTP/1.0 has no Host header: the server's own authority, bracketed, stands for it.
    with MockSTS(set_env=False, account_id=ACCOUNT) as mock:
        httpd = server.make_server(mock, "::1", 0)
        thread = threading.Thread(target=httpd.serve_forever, args=(0.01,))
        thread.start()
        try:
            assert httpd.address_family == socket.AF_INET6
            with socket.create_connection(("::1", httpd.server_port), timeout=5) as connection:
                connection.sendall(f"GET {PREFIX} HTTP/1.0\r\n\r\n".encode())
                answer = b"".join(iter(lambda: connection.recv(65536), b""))
        finally:
            httpd.shutdown()
            httpd.server_close()
            thread.join()
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert answer.endswith(b'{"account_id": "111111111111", "region": "us-east-1"}')


def test_a_name_with_an_ipv4_address_is_listened_on_in_ipv4() -> None:
    with MockSTS(set_env=False) as mock:
        httpd = server.make_server(mock, "localhost", 0)
        try:
            assert httpd.address_family == socket.AF_INET
        finally:
            httpd.server_close()


# ---------------------------------------------------------------------------------------
# Usage errors


@pytest.mark.parametrize("port", ["99999", "-1", "http", "65536"])
def test_a_port_out_of_range_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], port: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        server.main(["serve", "--port", port])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    expected = f"argument --port: must be a port number from 0 to 65535, got '{port}'"
    assert f"mock-sts serve: error: {expected}" in err


@pytest.mark.slow
def test_a_port_out_of_range_exits_2_without_a_traceback() -> None:
    finished = run_command("serve", "--port", "99999")
    assert finished.returncode == 2
    assert finished.stdout == ""
    assert "Traceback" not in finished.stderr
    assert finished.stderr.startswith("usage: mock-sts serve ")


def test_bad_options_are_usage_errors(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        server.main(["serve", "--region", "nowhere"])
    assert exit_info.value.code == 2
    assert "mock-sts serve: error: region must be an AWS region name" in capsys.readouterr().err


@pytest.mark.slow
def test_an_address_not_of_this_machine_is_a_usage_error() -> None:
    # Any address may be listened on (the policy of --host); one this machine does not have
    # (192.0.2.1 is TEST-NET-1, documentation only) cannot be, and says so. Binding sends
    # nothing on the network.
    finished = run_command("serve", "--host", "192.0.2.1")
    assert finished.returncode == 2
    assert "Traceback" not in finished.stderr
    assert "mock-sts serve: error: cannot listen on 192.0.2.1 port 0: " in finished.stderr


# ---------------------------------------------------------------------------------------
# Help and version


@pytest.mark.slow
def test_help_says_what_the_command_is_for() -> None:
    finished = run_command("--help")
    assert finished.returncode == 0
    text = words(finished.stdout)
    assert "Serve AWS STS and IAM offline" in text
    assert '"mock-sts serve --help" tells how' in text
    # Written for a user: no reStructuredText, no private module.
    assert "``" not in finished.stdout
    assert "_control" not in finished.stdout


@pytest.mark.slow
def test_serve_help_says_what_is_printed_and_where_everything_is() -> None:
    finished = run_command("serve", "--help")
    assert finished.returncode == 0
    text = words(finished.stdout)
    assert "The first line printed is the endpoint URL alone" in text
    for name in (
        "AWS_ENDPOINT_URL",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
    ):
        assert name in text
    assert "it needs credentials and a region" in text
    for route in ROUTES:
        assert words(f"{route.method} {PREFIX}{route.path} {route.summary}") in text
    assert "/oidc/<issuer host and path>/.well-known/jwks" in text
    assert 'eval "$(tail -n +2 mock-sts.env)" aws sts get-caller-identity' in text


@pytest.mark.parametrize(
    ("option", "help_text"),
    [
        ("--host HOST", "the address to listen on, IPv4 or IPv6 (default 127.0.0.1;"),
        ("--port PORT", "the TCP port, 0 to 65535 (default 0: a free one"),
        ("--account-id ACCOUNT_ID", "the default account, of the admin keys printed (default"),
        ("--region REGION", "the region printed for clients;"),
        ("--strict", "refuse access keys the server did not issue"),
    ],
)
def test_every_option_has_help(
    capsys: pytest.CaptureFixture[str], option: str, help_text: str
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        server.main(["serve", "--help"])
    assert exit_info.value.code == 0
    assert f"{option} {help_text}" in words(capsys.readouterr().out)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        server.main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out == f"mock-sts {mock_sts.__version__}\n"


@pytest.mark.slow
def test_python_dash_m_runs_the_command() -> None:
    finished = run_command("--version")
    assert (finished.returncode, finished.stdout) == (0, f"mock-sts {mock_sts.__version__}\n")
