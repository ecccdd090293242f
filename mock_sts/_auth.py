"""SigV4 verification (header-signed and presigned requests), caller resolution and expiry."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

from mock_sts import _messages
from mock_sts._http import HttpRequest
from mock_sts._ids import OPT_IN_REGIONS
from mock_sts._state import AccessKey, Backend, Caller, KeyStatus, Session, now
from mock_sts._wire import AWSError, parse_form, timestamp

logger = logging.getLogger("mock_sts")

ALGORITHM = "AWS4-HMAC-SHA256"
MAX_SKEW = dt.timedelta(minutes=15)
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"


def invalid_client_token() -> AWSError:
    return AWSError("InvalidClientTokenId", _messages.INVALID_CLIENT_TOKEN, 403)


@dataclass(frozen=True)
class Signature:
    """The SigV4 fields of a request, from its Authorization header or its query string."""

    access_key_id: str
    scope_date: str
    region: str
    service: str
    signed_headers: tuple[str, ...]
    signature: str
    amz_date: str
    security_token: str | None
    presigned: bool


def signature_of(request: HttpRequest, query: Mapping[str, str]) -> Signature | None:
    """The request's SigV4 fields; None when the request is not signed at all."""
    authorization = request.header("authorization")
    if authorization is not None:
        return _header_signature(authorization, request)
    if "X-Amz-Signature" in query or "X-Amz-Credential" in query or "X-Amz-Algorithm" in query:
        return _query_signature(query)
    return None


def readable_signature(request: HttpRequest) -> Signature | None:
    """The SigV4 fields of a request to another service, from its headers or else its query;
    None when it is not signed, or signed in a way the mock cannot read (which is the
    service's to refuse, not the mock's)."""
    # A request signed in its headers reads nothing from its query.
    query = {} if request.header("authorization") else parse_form(urlsplit(request.url).query)
    try:
        return signature_of(request, query)
    except AWSError:
        return None


def _incomplete(message: str) -> AWSError:
    return AWSError("IncompleteSignature", message, 400)


def _signature_mismatch(message: str) -> AWSError:
    return AWSError("SignatureDoesNotMatch", message, 403)


def _header_signature(authorization: str, request: HttpRequest) -> Signature:
    algorithm, _, rest = authorization.strip().partition(" ")
    if algorithm != ALGORITHM:
        raise _incomplete(
            _messages.UNSUPPORTED_ALGORITHM.format(algorithm)
            + _messages.AUTHORIZATION_ECHO.format(authorization)
        )
    fields = {}
    for part in rest.split(","):
        name, _, value = part.strip().partition("=")
        fields[name] = value
    missing = [
        _messages.HEADER_REQUIRES_PARAMETER.format(name)
        for name in ("Credential", "Signature", "SignedHeaders")
        if not fields.get(name)
    ]
    amz_date = request.header("x-amz-date")
    if amz_date is None:
        missing.append(_messages.HEADER_REQUIRES_DATE)
    if missing:
        raise _incomplete(" ".join(missing) + _messages.AUTHORIZATION_ECHO.format(authorization))
    assert amz_date is not None
    return _build(
        fields["Credential"],
        fields["SignedHeaders"],
        fields["Signature"],
        amz_date,
        request.header("x-amz-security-token"),
        presigned=False,
    )


def _query_signature(query: Mapping[str, str]) -> Signature:
    required = (
        "X-Amz-Algorithm",
        "X-Amz-Credential",
        "X-Amz-Date",
        "X-Amz-SignedHeaders",
        "X-Amz-Signature",
    )
    missing = [name for name in required if not query.get(name)]
    if missing:
        raise _incomplete(
            _messages.QUERY_REQUIRES_PARAMETERS.format(", ".join(f"'{name}'" for name in required))
        )
    if query["X-Amz-Algorithm"] != ALGORITHM:
        raise _incomplete(_messages.UNSUPPORTED_ALGORITHM.format(query["X-Amz-Algorithm"]))
    return _build(
        query["X-Amz-Credential"],
        query["X-Amz-SignedHeaders"],
        query["X-Amz-Signature"],
        query["X-Amz-Date"],
        query.get("X-Amz-Security-Token"),
        presigned=True,
    )


def _build(
    credential: str,
    signed_headers: str,
    signature: str,
    amz_date: str,
    token: str | None,
    *,
    presigned: bool,
) -> Signature:
    parts = credential.split("/")
    if len(parts) != 5 or parts[4] != "aws4_request" or not parts[0]:
        raise _incomplete(_messages.CREDENTIAL_SCOPE.format(credential))
    names = tuple(signed_headers.lower().split(";"))
    # The signed host binds a request to its endpoint: a forwarded GetCallerIdentity (Vault's
    # and EKS's login) cannot be replayed to another one. AWS requires it (IAM UG, "Create a
    # signed AWS API request"; STS_REFERENCE §12.5), header-signed and presigned alike.
    if "host" not in names and ":authority" not in names:
        raise _signature_mismatch(_messages.HOST_NOT_SIGNED)
    return Signature(
        access_key_id=parts[0],
        scope_date=parts[1],
        region=parts[2],
        service=parts[3],
        signed_headers=names,
        signature=signature,
        amz_date=amz_date,
        security_token=token,
        presigned=presigned,
    )


_AMZ_DATE = re.compile(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z", re.ASCII)


def _parse_amz_date(value: str) -> dt.datetime | None:
    # strptime is slow enough to show in every request's cost.
    match = _AMZ_DATE.fullmatch(value)
    if match is None:
        return None
    try:
        year, month, day, hour, minute, second = map(int, match.groups())
        return dt.datetime(year, month, day, hour, minute, second, tzinfo=dt.timezone.utc)
    except ValueError:
        return None


def _check_time(sig: Signature) -> None:
    """AWS's 15-minute window around the signing time.

    Presigned URLs get the same window: unlike S3, STS and IAM ignore X-Amz-Expires, so a
    presigned GetCallerIdentity URL (the EKS and Vault token) lives 15 minutes.
    """
    signed_at = _parse_amz_date(sig.amz_date)
    if signed_at is None:
        raise _incomplete(_messages.DATE_FORMAT.format(sig.amz_date))
    if sig.scope_date != sig.amz_date[:8]:
        raise _signature_mismatch(
            _messages.SCOPE_DATE_MISMATCH.format(sig.scope_date, sig.amz_date[:8], sig.amz_date)
        )
    current = now()
    stamp = "%Y%m%dT%H%M%SZ"
    if signed_at < current - MAX_SKEW:
        raise _signature_mismatch(
            _messages.SIGNATURE_EXPIRED.format(
                sig.amz_date, (current - MAX_SKEW).strftime(stamp), current.strftime(stamp)
            )
        )
    if signed_at > current + MAX_SKEW:
        raise _signature_mismatch(
            _messages.SIGNATURE_NOT_YET_CURRENT.format(
                sig.amz_date, (current + MAX_SKEW).strftime(stamp), current.strftime(stamp)
            )
        )


def _check_scope(sig: Signature, service: str, endpoint_region: str | None) -> None:
    if sig.service != service:
        raise _signature_mismatch(_messages.SCOPED_TO_SERVICE.format(service))
    # The global IAM and STS endpoints are signed for us-east-1 (or the partition's region).
    if endpoint_region is not None and sig.region != endpoint_region:
        raise _signature_mismatch(_messages.SCOPED_TO_REGION.format(sig.region))


def authenticate(
    backend: Backend,
    request: HttpRequest,
    query: Mapping[str, str],
    sig: Signature,
    service: str,
    endpoint_region: str | None,
    strict: bool,
) -> Caller:
    """The caller of a signed request, after every check AWS makes on its signature."""
    _check_scope(sig, service, endpoint_region)
    _check_time(sig)
    credential = backend.credential(sig.access_key_id)
    if credential is None:
        if strict or sig.access_key_id in backend.retired_keys:
            raise invalid_client_token()
        # Unknown keys (such as the usual "testing") act as the default administrator.
        admin_key = backend.admin_key()
        if admin_key is None:
            raise invalid_client_token()
        if sig.access_key_id not in backend.unknown_keys_seen:
            backend.unknown_keys_seen.add(sig.access_key_id)
            logger.debug(
                "access key %s is unknown to this mock (made-up keys, or temporary credentials "
                "cached from an earlier mock): its requests act as the admin user; "
                "strict=True refuses them",
                sig.access_key_id,
            )
        return Caller.signed_with(admin_key)
    secret = verified_secret(credential, sig)
    if not _signature_matches(request, query, sig, secret):
        raise _signature_mismatch(_messages.SIGNATURE_MISMATCH)
    check_current(credential, sig)
    return Caller.signed_with(credential)


def verified_secret(credential: AccessKey | Session, sig: Signature) -> str:
    """The secret the request must be signed with, once the key and its session token
    are found valid (InvalidClientTokenId otherwise)."""
    if isinstance(credential, AccessKey):
        if credential.status is not KeyStatus.ACTIVE or sig.security_token is not None:
            raise invalid_client_token()
    elif sig.security_token is None or not hmac.compare_digest(
        sig.security_token, credential.session_token
    ):
        raise invalid_client_token()
    return credential.secret_access_key


def check_current(credential: AccessKey | Session, sig: Signature) -> None:
    """ExpiredToken for a session past its expiration; InvalidClientTokenId for a version 1
    global-endpoint token used in an opt-in region."""
    if isinstance(credential, Session):
        if now() >= credential.expiration:
            raise AWSError("ExpiredToken", _messages.EXPIRED_TOKEN, 403)
        if credential.global_v1 and sig.region in OPT_IN_REGIONS:
            # Global-endpoint tokens of version 1 are valid only in regions enabled by default.
            raise invalid_client_token()


def _signature_matches(
    request: HttpRequest, query: Mapping[str, str], sig: Signature, secret: str
) -> bool:
    url = urlsplit(request.url)
    canonical_headers = []
    for name in sig.signed_headers:
        value = request.header(name)
        if value is None and name == "host":
            # botocore and requests sign a Host header that only the HTTP layer adds.
            value = _host_of(url.scheme, url.netloc)
        if value is None:
            return False
        canonical_headers.append(f"{name}:{' '.join(value.split())}\n")
    payload_hashes = [hashlib.sha256(request.body).hexdigest()]
    declared = request.header("x-amz-content-sha256")
    if declared is not None and "x-amz-content-sha256" in sig.signed_headers:
        if declared != UNSIGNED_PAYLOAD and declared != payload_hashes[0]:
            return False
        payload_hashes = [declared]
    elif sig.presigned:
        payload_hashes.insert(0, UNSIGNED_PAYLOAD)
    canonical_query = _canonical_query(url.query, sig.presigned)
    key = _signing_key(secret, sig.scope_date, sig.region, sig.service)
    scope = f"{sig.scope_date}/{sig.region}/{sig.service}/aws4_request"
    prefix = "\n".join(
        (
            request.method.upper(),
            quote(url.path or "/", safe="/~"),
            canonical_query,
            "".join(canonical_headers),
            ";".join(sig.signed_headers),
        )
    )
    for payload_hash in payload_hashes:
        canonical = f"{prefix}\n{payload_hash}"
        to_sign = "\n".join(
            (ALGORITHM, sig.amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest())
        )
        expected = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        if hmac.compare_digest(expected, sig.signature):
            return True
    return False


def _host_of(scheme: str, netloc: str) -> str:
    # Default ports are left out of the signed host, as botocore's signer does.
    host, _, port = netloc.rpartition(":")
    if host and ((scheme == "https" and port == "443") or (scheme == "http" and port == "80")):
        return host
    return netloc


def _canonical_query(query: str, presigned: bool) -> str:
    if not query:
        return ""
    pairs = []
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        if presigned and name == "X-Amz-Signature":
            continue
        pairs.append((_encode(unquote(name)), _encode(unquote(value))))
    return "&".join(f"{name}={value}" for name, value in sorted(pairs))


def _encode(value: str) -> str:
    return quote(value, safe="-_.~")


@functools.lru_cache(maxsize=1024)
def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = ("AWS4" + secret).encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


def why_refused(backend: Backend, sig: Signature, error: AWSError) -> str:
    """Why a request's credentials were refused with ``error``, which AWS's messages do not
    say: for the record of the call."""
    credential = backend.credential(sig.access_key_id)
    if error.code == "ExpiredToken" and isinstance(credential, Session):
        return f"the session expired at {timestamp(credential.expiration)}"
    if error.code != "InvalidClientTokenId":
        return f"the signature is refused: {error.message}"
    if credential is None:
        if sig.access_key_id in backend.retired_keys:
            return f"the access key {sig.access_key_id} was deleted"
        return f"the access key {sig.access_key_id} does not exist"
    if isinstance(credential, AccessKey):
        if credential.status is not KeyStatus.ACTIVE:
            return f"the access key {credential.access_key_id} is inactive"
        return "a session token was sent with long-term keys"
    if sig.security_token != credential.session_token:
        return "the session token is missing or is not the one issued with the key"
    return f"a version 1 token of the global endpoint is not valid in {sig.region}"
