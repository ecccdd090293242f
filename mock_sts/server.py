"""``mock-sts serve``: the mock as an HTTP endpoint on loopback, for any SDK or the AWS CLI:
STS and IAM, the fake issuers' OIDC documents, and the JSON control API (see _control)."""

from __future__ import annotations

import argparse
import contextlib
import logging
import re
import shlex
import signal
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from urllib.parse import urlsplit

from mock_sts import _ids, _wire
from mock_sts._control import PREFIX, ROUTES, ControlAPI, RequestError, is_control_path
from mock_sts._http import HttpRequest, HttpResponse
from mock_sts._mock import DEFAULT_ACCOUNT_ID, DEFAULT_REGION, MockSTS
from mock_sts._wire import AWSError

MAX_BODY = 10 * 1024 * 1024
# The longest request line read (http.server's own limit).
MAX_REQUEST_LINE = 65536
# How long a connection may stay silent, between requests or in the middle of one: a client
# that stalls, or sends less body than its Content-Length, holds a worker no longer.
REQUEST_TIMEOUT = 60.0
# How long the rest of a refused request is read and dropped before closing (see _linger).
LINGER_SECONDS = 2.0

logger = logging.getLogger("mock_sts")

# METHOD SP origin-form SP HTTP/1.x, as every SDK writes it. Anything else (HTTP/0.9 and
# HTTP/2 request lines, absolute URLs, stray blanks) is refused with 400, never answered
# without a status line or with http.server's 505.
_REQUEST_LINE = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]+ /\S* HTTP/1\.[01]\r?\n")
# "IAM and AWS STS support GET and POST requests for all actions" (IAM User Guide, Calling
# the IAM API using HTTP query requests). Any other method, HEAD and OPTIONS included, is a
# client error: 405 MethodNotAllowed with Allow, as AWS's REST endpoints refuse methods,
# never the 501 http.server answers for a method without a do_ handler.
_QUERY_METHODS = ("GET", "POST")


def _is_authority(host: str) -> bool:
    """Whether a Host header holds a host and port alone: nothing that would move the path
    or query of the URL it starts, nothing urlsplit refuses."""
    try:
        return urlsplit(f"http://{host}/").netloc == host
    except ValueError:
        return False


def endpoint_url(host: str, port: int) -> str:
    """The URL of a server listening on ``host``: an IPv6 literal is bracketed (its zone's
    ``%`` written ``%25``), as URLs write them (RFC 3986, RFC 6874)."""
    if ":" in host:
        host = "[" + host.replace("%", "%25") + "]"
    return f"http://{host}:{port}"


class _Server(ThreadingHTTPServer):
    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        family: socket.AddressFamily,
    ) -> None:
        self.address_family = family
        super().__init__(address, handler)

    def server_bind(self) -> None:
        # HTTPServer's own also looks up the address's name (socket.getfqdn): a DNS query,
        # for a name nothing here uses.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)


def _family(host: str, port: int) -> socket.AddressFamily:
    """IPv4 when ``host`` has an IPv4 address, else IPv6: a name with both, such as localhost
    on many machines, is served on its IPv4 one (clients try each address of a name)."""
    found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    families = {family for family, *_ in found}
    return socket.AF_INET if socket.AF_INET in families else socket.AF_INET6


def make_server(
    mock: MockSTS, host: str, port: int, *, timeout: float = REQUEST_TIMEOUT
) -> ThreadingHTTPServer:
    """A threaded server (not yet serving) answering for ``mock``: STS and IAM, the fake
    issuers' OIDC documents and the JSON control API. ``host`` is an IPv4 or IPv6 address
    (brackets allowed) or a name; ``timeout`` bounds how long a connection may stay silent.
    OSError when it cannot listen there."""
    control = ControlAPI(mock)
    host = host.removeprefix("[").removesuffix("]")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two writes: with Nagle's algorithm, the body waits for
        # the client's delayed ACK of the headers (tens of milliseconds per response).
        disable_nagle_algorithm = True

        def setup(self) -> None:
            super().setup()
            self.connection.settimeout(timeout)

        def handle_one_request(self) -> None:
            # Replaces http.server's, which answers 501 and an HTML page to methods without a
            # do_ handler, and lets a client's reset escape as a traceback on stderr.
            self.command, self.path, self.request_version = "", "", "HTTP/1.1"
            self.requestline = ""
            try:
                line = self.rfile.readline(MAX_REQUEST_LINE + 1)
                if not line:
                    self.close_connection = True
                elif len(line) > MAX_REQUEST_LINE:
                    self._send(
                        self._refusal(
                            414,
                            "RequestURITooLong",
                            f"The request line is longer than {MAX_REQUEST_LINE} bytes.",
                        )
                    )
                elif not _REQUEST_LINE.fullmatch(line):
                    self._send(
                        self._refusal(
                            400,
                            "BadRequest",
                            f"Malformed request line {line[:200]!r}: expected METHOD /PATH "
                            "HTTP/1.1.",
                        )
                    )
                else:
                    self.raw_requestline = line
                    if self.parse_request():
                        self._send(self._answer())
            except (ConnectionError, TimeoutError):
                # Gone, or silent past the timeout (idle between requests, or stalled in
                # its headers): nobody is waiting for an answer.
                self.close_connection = True

        def send_error(
            self, code: int, message: str | None = None, explain: str | None = None
        ) -> None:
            # http.server's own refusals, of header lines too long or too many (the request
            # line is checked before it sees one), answered like every other refusal.
            name = "".join(filter(str.isalnum, HTTPStatus(code).phrase))
            self._send(self._refusal(code, name, ": ".join(filter(None, (message, explain)))))

        def _answer(self) -> HttpResponse:
            try:
                return self._route()
            except ConnectionError:
                raise
            except Exception as error:  # a bug of the mock: an AWS answer, not a dropped line
                logger.exception("mock-sts serve failed on %s %s", self.command, self.path)
                return self._refusal(500, "InternalFailure", f"mock_sts internal error: {error!r}")

        def _route(self) -> HttpResponse:
            try:
                body = self._body()
                # A request without Host (HTTP/1.0) is taken as sent to the URL printed.
                authority = self.headers.get("Host", listening)
                if not _is_authority(authority):
                    raise AWSError("BadRequest", f"Malformed Host header {authority!r}.")
            except AWSError as error:
                return self._refusal(error.status, error.code, error.message)
            base_url = f"http://{authority}"
            path, _, query = self.path.partition("?")
            if is_control_path(path):
                reply = control.handle(self.command, path, query, body, base_url)
                headers = {**reply.headers, "Content-Type": "application/json"}
                return HttpResponse(reply.status, reply.body, headers)
            if self.command not in _QUERY_METHODS:
                return self._refusal(
                    405,
                    "MethodNotAllowed",
                    f"The {self.command} method is not allowed: STS and IAM take GET and POST.",
                    Allow=", ".join(_QUERY_METHODS),
                )
            headers = {name.lower(): value for name, value in self.headers.items()}
            request = HttpRequest(self.command, base_url + self.path, headers, body)
            return mock.answer(request)

        def _body(self) -> bytes:
            """The request's body; AWSError when its framing cannot be read."""
            if "Transfer-Encoding" in self.headers:
                raise AWSError(
                    "MissingContentLength",
                    "You must provide the Content-Length HTTP header: mock-sts serve does not "
                    "read chunked bodies (Transfer-Encoding).",
                    411,
                )
            values = self.headers.get_all("Content-Length") or ["0"]
            text = values[0].strip()
            if len(set(values)) > 1 or not (text.isascii() and text.isdigit()):
                raise AWSError(
                    "BadRequest",
                    f"Content-Length must be a number of bytes, got {', '.join(values)!r}.",
                )
            length = int(text)
            if length > MAX_BODY:
                raise AWSError(
                    "RequestEntityTooLarge",
                    f"The request body is larger than {MAX_BODY} bytes.",
                    413,
                )
            try:
                body = self.rfile.read(length)
            except TimeoutError:
                raise AWSError(
                    "RequestTimeout",
                    "Your socket connection to the server was not read from or written to "
                    "within the timeout period.",
                ) from None
            if len(body) < length:
                raise AWSError(
                    "IncompleteBody",
                    "You did not provide the number of bytes specified by the Content-Length "
                    "HTTP header.",
                )
            return body

        def _refusal(self, status: int, code: str, message: str, **headers: str) -> HttpResponse:
            """The server's own refusal: JSON on the control API's paths, STS's XML error
            elsewhere. It closes the connection: after it, what the client sends next cannot
            be trusted to start a request."""
            headers["Connection"] = "close"
            if is_control_path(self.path.partition("?")[0]):
                reply = RequestError(status, code, message, **headers).reply
                return HttpResponse(
                    status, reply.body, {**reply.headers, "Content-Type": "application/json"}
                )
            request_id = _ids.new_request_id()
            body = _wire.render_error("sts", AWSError(code, message, status), request_id)
            return HttpResponse(
                status,
                body,
                {**headers, "x-amzn-RequestId": request_id, "Content-Type": "text/xml"},
            )

        def _send(self, response: HttpResponse) -> None:
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            if "Content-Length" not in response.headers:
                self.send_header("Content-Length", str(len(response.body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
            if response.headers.get("Connection") == "close":
                self._linger()

        def _linger(self) -> None:
            """Read and drop what the client still sends, for a moment, before closing.

            Closing a socket with unread input resets the connection, which can destroy
            the answer just sent before the client reads it (a client still sending a body
            refused as too large, say)."""
            deadline = time.monotonic() + LINGER_SECONDS
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_WR)
                self.connection.settimeout(LINGER_SECONDS)
                while self.connection.recv(65536) and time.monotonic() < deadline:
                    pass

        def log_message(self, format: str, *args: object) -> None:
            pass

    httpd = _Server((host, port), Handler, _family(host, port))
    listening = urlsplit(endpoint_url(host, httpd.server_port)).netloc
    return httpd


def _port(text: str) -> int:
    """A TCP port number (0 for a free one), or argparse's usage error."""
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535, got {text!r}")
    return port


def client_environment(url: str, mock: MockSTS) -> dict[str, str]:
    """What a client of the server at ``url`` needs in its environment: the endpoint, the
    keys of the mock's admin user, and the region (AWS_REGION for the SDKs that read it)."""
    return {
        "AWS_ENDPOINT_URL": url,
        **mock.admin_credentials().as_env(),
        "AWS_DEFAULT_REGION": mock.region,
        "AWS_REGION": mock.region,
    }


_DESCRIPTION = """\
Serve AWS STS and IAM offline, from memory, to any AWS SDK or the AWS CLI: the mock_sts
library as an HTTP endpoint, for tests in any language. "mock-sts serve --help" tells how."""

_SERVE_DESCRIPTION = """\
Serve STS, IAM and Cognito Identity over HTTP until SIGINT (Ctrl-C) or SIGTERM.

The first line printed is the endpoint URL alone: http://127.0.0.1:PORT, or
http://[::1]:PORT with --host ::1. Tools read it. The lines after it are shell
"export" lines of the rest of what a client needs: AWS_ENDPOINT_URL, the access
key of the mock's admin user (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, with
AdministratorAccess in the --account-id account) and the region
(AWS_DEFAULT_REGION, AWS_REGION). A client signs its requests as it would for
AWS, so it needs credentials and a region; without them the AWS CLI stops at
"You must specify a region" or "Unable to locate credentials". AWS_PROFILE and
AWS_SESSION_TOKEN must not be set.

Besides STS and IAM at the URL itself, the server publishes the OIDC documents
of the issuers it knows, at /oidc/<issuer host and path>/.well-known/jwks and
.../.well-known/openid-configuration, and answers a JSON control API whose
fields are named as the Python handle's arguments:
"""

_SERVE_EPILOG = """\
example (a POSIX shell, with the AWS CLI):
  mock-sts serve --port 0 > mock-sts.env &
  until grep -q '^export AWS_REGION=' mock-sts.env; do sleep 0.1; done
  eval "$(tail -n +2 mock-sts.env)"
  aws sts get-caller-identity
  kill %1"""


def _paths() -> str:
    """The control API's paths, one a line, for ``serve --help``."""
    width = max(len(PREFIX + route.path) for route in ROUTES)
    return "\n".join(
        f"  {route.method:<5}{PREFIX + route.path:<{width}}  {route.summary}" for route in ROUTES
    )


def main(argv: Sequence[str] | None = None) -> int:
    from mock_sts import __version__

    parser = argparse.ArgumentParser(prog="mock-sts", description=_DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"mock-sts {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser(
        "serve",
        help=(
            "serve STS, IAM and Cognito Identity over HTTP; prints the URL, then the client's "
            "environment"
        ),
        description=_SERVE_DESCRIPTION + _paths(),
        epilog=_SERVE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on, IPv4 or IPv6 (default %(default)s; ::1 for IPv6 "
        "loopback). Any other address serves whoever reaches it",
    )
    serve.add_argument(
        "--port",
        type=_port,
        default=0,
        help="the TCP port, 0 to 65535 (default 0: a free one, read it from the URL printed)",
    )
    serve.add_argument(
        "--account-id",
        default=DEFAULT_ACCOUNT_ID,
        help="the default account, of the admin keys printed (default %(default)s)",
    )
    serve.add_argument(
        "--region",
        default=DEFAULT_REGION,
        help="the region printed for clients; its partition (aws, aws-cn, ...) is the admin "
        "keys' (default %(default)s). Requests signed for any region are served",
    )
    serve.add_argument(
        "--strict",
        action="store_true",
        help="refuse access keys the server did not issue (InvalidClientTokenId); without "
        "it they act as the admin user",
    )
    args = parser.parse_args(argv)
    try:
        mock = MockSTS(
            account_id=args.account_id, region=args.region, strict=args.strict, set_env=False
        )
    except (TypeError, ValueError) as error:
        serve.error(str(error))
    with mock:
        try:
            server = make_server(mock, args.host, args.port)
        except OSError as error:
            serve.error(f"cannot listen on {args.host} port {args.port}: {error}")
        url = endpoint_url(args.host.removeprefix("[").removesuffix("]"), server.server_port)
        exports = client_environment(url, mock).items()
        # One write: a reader that waits for the last line finds every line before it.
        print(url, *(f"export {name}={shlex.quote(value)}" for name, value in exports), sep="\n")
        sys.stdout.flush()

        def shut_down(signum: int, frame: FrameType | None) -> None:
            threading.Thread(target=server.shutdown).start()

        previous = {sig: signal.signal(sig, shut_down) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            server.serve_forever()
        finally:
            server.server_close()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
