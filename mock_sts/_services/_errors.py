"""A service's refusals in its own words, so that botocore raises the ClientError it would
raise against AWS.

Each service answers a denial, an expired token and an unknown key with codes of its own
(docs/authorization.md, "Refusals"). What a service's botocore model says wins: an access
denial error shape with its code and HTTP status. Otherwise the service's own row in
``_CODES``, else its protocol family's. How a refusal looks on the wire is ``_protocols``'
to say.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from botocore.model import NoShapeFoundError

from mock_sts import _access, _messages
from mock_sts._protocols import protocol_of
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel

    from mock_sts._decision import Decision
    from mock_sts._operation import RequestInfo
    from mock_sts._services._catalogue import Target
    from mock_sts._state import Backend, Caller


@dataclass(frozen=True)
class Refusal:
    """Why a request is refused, before the service's own code is chosen."""

    kind: str  # "denied", "expired" or "invalid key"
    # For "denied": the service's whole text (``denial`` writes it); otherwise why the
    # credentials were refused, for the record.
    message: str


def denial(
    backend: Backend,
    operation: OperationModel,
    caller: Caller,
    info: RequestInfo,
    target: Target,
    decision: Decision,
) -> Refusal:
    """The refusal of ``target`` by ``decision``, worded as the service words it."""
    signing_name = operation.service_model.signing_name
    action = _SPELLINGS.get(signing_name, _as_is)(target.action)
    if target.resource == "*" and signing_name in _WITHOUT_ANY_RESOURCE:
        sentence = _messages.NOT_AUTHORIZED.format(caller.arn, action)
    else:
        on = _messages.S3_NOT_AUTHORIZED_ON if signing_name == "s3" else _messages.NOT_AUTHORIZED_ON
        sentence = on.format(caller.arn, action, target.resource)
    sentence += decision.denial_suffix(action)
    if signing_name != "ec2":
        return Refusal("denied", sentence)
    if operation.name.startswith("Describe"):
        # EC2's read-only calls say no more than this, and attach no encoded message.
        return Refusal("denied", _messages.EC2_UNAUTHORIZED)
    encoded = _access.encode_denial(
        backend, caller, decision, target.action, target.resource, target.keys, info
    )
    return Refusal(
        "denied", _messages.EC2_UNAUTHORIZED_ENCODED.format(sentence, encoded.encoded_message)
    )


def _as_is(action: str) -> str:
    return action


# How a service writes the action in its denials, where not as IAM does.
_SPELLINGS: Mapping[str, Callable[[str], str]] = {
    "sqs": str.lower,  # sqs:sendmessage
    "sns": lambda action: "SNS:" + action.partition(":")[2],  # SNS:Publish
}

# Services whose denials of an action on any resource ("*") name no resource at all; the
# others say "on resource: *".
_WITHOUT_ANY_RESOURCE = frozenset({"monitoring", "s3", "ec2"})


# ---------------------------------------------------------------------------------------
# Codes and statuses


def error_of(operation: OperationModel, refusal: Refusal) -> AWSError:
    """The error the service answers a refused request with."""
    model = operation.service_model
    family = _family(operation)
    code, status, message = _CODES.get(
        (model.signing_name, refusal.kind), _FAMILY_CODES[(family, refusal.kind)]
    )
    if refusal.kind == "denied":
        modeled = _modeled_denial(model)
        if modeled is not None:
            code, status = modeled[0], modeled[1] or status
    return AWSError(code, message or refusal.message, status)


def _family(operation: OperationModel) -> str:
    """Whose codes a service answers with: its protocol's, or the query protocol's for the
    services that moved from it to JSON and still answer with their query codes."""
    model = operation.service_model
    protocol = protocol_of(operation)
    if protocol == "json" and model.metadata.get("awsQueryCompatible") is not None:
        return "xml"
    return _FAMILIES.get(protocol, "json")


_FAMILIES = {
    "json": "json",
    "smithy-rpc-v2-cbor": "json",
    "rest-json": "rest-json",
    "query": "xml",
    "rest-xml": "xml",
    "ec2": "ec2",
}

# (code, HTTP status, message; "" for the refusal's own), by (protocol family, kind).
# Provenance of each row: docs/authorization.md.
_FAMILY_CODES: Mapping[tuple[str, str], tuple[str, int, str]] = {
    ("json", "denied"): ("AccessDeniedException", 400, ""),
    ("json", "expired"): ("ExpiredTokenException", 400, _messages.EXPIRED_TOKEN),
    ("json", "invalid key"): ("UnrecognizedClientException", 400, _messages.INVALID_CLIENT_TOKEN),
    ("rest-json", "denied"): ("AccessDeniedException", 403, ""),
    ("rest-json", "expired"): ("ExpiredTokenException", 403, _messages.EXPIRED_TOKEN),
    ("rest-json", "invalid key"): (
        "UnrecognizedClientException",
        403,
        _messages.INVALID_CLIENT_TOKEN,
    ),
    ("xml", "denied"): ("AccessDenied", 403, ""),
    ("xml", "expired"): ("ExpiredToken", 403, _messages.EXPIRED_TOKEN),
    ("xml", "invalid key"): ("InvalidClientTokenId", 403, _messages.INVALID_CLIENT_TOKEN),
    ("ec2", "denied"): ("UnauthorizedOperation", 403, ""),
    ("ec2", "expired"): ("RequestExpired", 400, _messages.EC2_REQUEST_EXPIRED),
    ("ec2", "invalid key"): ("AuthFailure", 401, _messages.EC2_AUTH_FAILURE),
}

# Where a service answers otherwise than its family, by (signing name, kind).
_CODES: Mapping[tuple[str, str], tuple[str, int, str]] = {
    ("s3", "expired"): ("ExpiredToken", 400, _messages.S3_EXPIRED_TOKEN),
    ("s3", "invalid key"): ("InvalidAccessKeyId", 403, _messages.S3_INVALID_ACCESS_KEY),
}

# The names models give the error of an access denial (S3, CloudFront: AccessDenied; SNS:
# AuthorizationErrorException, code AuthorizationError; most others AccessDeniedException).
_DENIAL_SHAPES = ("AccessDeniedException", "AccessDenied", "AuthorizationErrorException")


def _modeled_denial(model: ServiceModel) -> tuple[str, int | None] | None:
    """The code and HTTP status (when the model gives one) of the service's modeled access
    denial."""
    for name in _DENIAL_SHAPES:
        try:
            shape = model.shape_for(name)
        except NoShapeFoundError:
            continue
        error = shape.metadata.get("error") or {}
        return error.get("code", name), error.get("httpStatusCode")
    return None
