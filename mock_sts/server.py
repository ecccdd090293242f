"""``mock-sts serve``: the mock as an HTTP endpoint on loopback, for any SDK or the AWS CLI:
STS and IAM, the fake issuers' OIDC documents, and the JSON control API (see _control)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Mapping, Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import FrameType
from urllib.parse import urlsplit

from mock_sts import _dispatch, _wire
from mock_sts._auth import signature_of
from mock_sts._control import ControlAPI, is_control_path
from mock_sts._mock import DEFAULT_ACCOUNT_ID, DEFAULT_REGION, MockSTS
from mock_sts._wire import AWSError, HttpRequest

MAX_BODY = 10 * 1024 * 1024


def service_of(request: HttpRequest) -> str:
    """STS or IAM, from the signing scope, else from the Action (unsigned STS calls)."""
    query = _wire.parse_form(urlsplit(request.url).query)
    try:
        sig = signature_of(request, query)
    except AWSError:
        sig = None
    if sig is not None and sig.service in _wire.SERVICES:
        return sig.service
    action = _wire.form_params(query, request.body).get("Action", "")
    return "sts" if action in _wire.service_model("sts").operation_names else "iam"


def make_server(mock: MockSTS, host: str, port: int) -> ThreadingHTTPServer:
    """A threaded server (not yet serving) answering for ``mock``: STS and IAM, the fake
    issuers' OIDC documents and the JSON control API."""
    control = ControlAPI(mock)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self.send_error(413, "Request body too large")
                return
            body = self.rfile.read(length) if length else b""
            headers = {name.lower(): value for name, value in self.headers.items()}
            base_url = f"http://{headers.get('host', host)}"
            path, _, query = self.path.partition("?")
            if is_control_path(path):
                reply = control.handle(self.command, path, query, body, base_url)
                self._respond(
                    reply.status, {**reply.headers, "Content-Type": "application/json"}, reply.body
                )
                return
            request = HttpRequest(self.command, base_url + self.path, headers, body)
            response = _dispatch.handle(
                mock._require_backend(), mock.strict, service_of(request), request
            )
            self._respond(response.status, response.headers, response.body)

        def _respond(self, status: int, headers: Mapping[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "Content-Length" not in headers:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

        def log_message(self, format: str, *args: object) -> None:
            pass

    return ThreadingHTTPServer((host, port), Handler)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mock-sts", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve STS and IAM over HTTP on loopback")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=0, help="0 picks a free port")
    serve.add_argument("--account-id", default=DEFAULT_ACCOUNT_ID)
    serve.add_argument("--region", default=DEFAULT_REGION)
    serve.add_argument("--strict", action="store_true", help="refuse unknown access keys")
    args = parser.parse_args(argv)
    try:
        mock = MockSTS(
            account_id=args.account_id, region=args.region, strict=args.strict, set_env=False
        )
    except (TypeError, ValueError) as error:
        parser.error(str(error))
    with mock:
        server = make_server(mock, args.host, args.port)
        print(f"http://{args.host}:{server.server_port}", flush=True)

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
