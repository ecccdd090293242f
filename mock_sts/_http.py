"""What passes between the interception layer (or the server) and the mock: an HTTP
request and its answer, a botocore call about to be sent, and which services the mock
answers itself.

Kept apart from ``_wire`` so that importing mock_sts leaves the protocol machinery (botocore's
models, the decoders and renderers) until the first request needs it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from botocore.model import OperationModel

# The services the mock answers itself; every other service's requests it only authorizes.
SERVICES = ("sts", "iam", "cognito-identity")


@dataclass
class HttpRequest:
    """An HTTP request as the interception layer received it.

    ``headers`` is the client's own header mapping, looked up case-insensitively (botocore's
    and requests' are; the server passes lower-case names), so nothing is copied per request.
    """

    method: str
    url: str
    headers: Mapping[str, str | bytes]
    body: bytes = b""

    def header(self, name: str) -> str | None:
        """The header's value; ``name`` must be lower-case."""
        value = self.headers.get(name)
        return value.decode("latin-1") if isinstance(value, bytes) else value


@dataclass
class HttpResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ClientCall:
    """A botocore request about to be sent: its service and operation as the client's model
    names them, the parameters the caller gave, and the signed HTTP request."""

    service: str  # the service model's endpoint prefix ("s3", "dynamodb", "sts", ...)
    signing_name: str  # the name its requests are signed for: IAM's prefix for most services
    operation: OperationModel
    params: Mapping[str, Any]  # after botocore's own parameter handlers; empty if unseen
    request: HttpRequest


# What is told the service's answer to a request the mock let through: its HTTP status, its
# error code (None on success) and botocore's parsed answer.
Served = Callable[[int, "str | None", Mapping[str, Any]], None]
