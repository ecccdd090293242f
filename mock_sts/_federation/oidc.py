"""OpenID Connect: fake issuers that sign ID tokens, and the checks AssumeRoleWithWebIdentity
makes on a token before the role's trust policy sees it (STS_REFERENCE §7).

Signing keys are generated once per process and handed out in turn: distinct issuers of one
mock get distinct keys, and the next mock reuses them, so a suite pays for RSA key
generation once. Tokens are signed and checked with pyjwt (imported only when a token is
made or checked); no key is ever fetched, only those in ``Backend.issuer_keys`` count.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mock_sts import _messages
from mock_sts._federation import FederatedClaims
from mock_sts._policy import ConditionKeys, ConditionValue, Principal
from mock_sts._providers import WebAccessToken
from mock_sts._sessions import (
    SESSION_TAGS_MAX,
    SessionTagError,
    TagProblem,
    session_tags,
    valid_source_identity,
)
from mock_sts._state import Account, Backend, now
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from mock_sts._operation import Context

# The JWS algorithms STS accepts [D]: never "none", never HMAC.
ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512")
# The key type (RSA, or the EC curve) each algorithm signs with.
KEY_KINDS = {
    "RS256": "RSA",
    "RS384": "RSA",
    "RS512": "RSA",
    "ES256": "P-256",
    "ES384": "P-384",
    "ES512": "P-521",
}
CLOCK_SKEW = 300  # seconds of leeway past exp, and before nbf [D]
TAGS_CLAIM = "https://aws.amazon.com/tags"
SOURCE_IDENTITY_CLAIM = "https://aws.amazon.com/source_identity"
SUBJECT_MAX = 255

GOOGLE = "accounts.google.com"
COGNITO = "cognito-identity.amazonaws.com"
FACEBOOK = "graph.facebook.com"
AMAZON = "www.amazon.com"
# Sign in with Apple: a login provider of Cognito's identity pools, which STS does not take
# without an IAM OIDC provider.
APPLE = "appleid.apple.com"
# The built-in web identity providers whose ID tokens need no IAM provider, by issuer
# (Google's tokens carry either form of its issuer).
BUILT_IN_ISSUERS = {
    f"https://{GOOGLE}": GOOGLE,
    GOOGLE: GOOGLE,
    f"https://{COGNITO}": COGNITO,
}
# The built-in providers whose OAuth 2.0 access tokens come with a ProviderId.
ACCESS_TOKEN_PROVIDERS = (FACEBOOK, AMAZON)


def _invalid(message: str, reason: str = "") -> AWSError:
    return AWSError("InvalidIdentityToken", message, 400, reason=reason)


# ---------------------------------------------------------------------------------------
# Signing keys


@dataclass(frozen=True)
class SigningKey:
    """A private key and its public JWK, whose ``kid`` is its RFC 7638 thumbprint."""

    kind: str  # "RSA", "P-256", "P-384" or "P-521"
    private_key: Any = field(repr=False)
    public_jwk: Mapping[str, str]

    @property
    def kid(self) -> str:
        return self.public_jwk["kid"]


_pool: dict[tuple[str, str], list[SigningKey]] = {}
_pool_lock = threading.Lock()


def pooled_key(kind: str, index: int, namespace: str = "issuer") -> SigningKey:
    """The process's ``index``-th key of ``kind`` in ``namespace``, generated on first use."""
    with _pool_lock:
        keys = _pool.setdefault((namespace, kind), [])
        while len(keys) <= index:
            keys.append(_new_key(kind))
        return keys[index]


def _new_key(kind: str) -> SigningKey:
    import base64
    import hashlib

    from cryptography.hazmat.primitives.asymmetric import ec, rsa
    from jwt.algorithms import ECAlgorithm, RSAAlgorithm

    jwk: dict[str, Any]
    if kind == "RSA":
        rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        jwk = RSAAlgorithm.to_jwk(rsa_key.public_key(), as_dict=True)
        private: Any = rsa_key
    else:
        curves = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}
        ec_key = ec.generate_private_key(curves[kind])
        jwk = ECAlgorithm.to_jwk(ec_key.public_key(), as_dict=True)
        private = ec_key
    # RFC 7638: the SHA-256 of the required members, in order, without whitespace.
    required = ("e", "kty", "n") if kind == "RSA" else ("crv", "kty", "x", "y")
    canonical = json.dumps({name: jwk[name] for name in required}, separators=(",", ":"))
    digest = hashlib.sha256(canonical.encode()).digest()
    kid = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
    public = {name: jwk[name] for name in required}
    return SigningKey(kind, private, {**public, "kid": kid})


# ---------------------------------------------------------------------------------------
# Fake issuers


@dataclass(frozen=True)
class Issuer:
    """An OIDC issuer mock_sts runs: its URL and the key it signs with."""

    url: str
    algorithm: str
    key: SigningKey

    @property
    def jwk(self) -> dict[str, str]:
        return {**self.key.public_jwk, "use": "sig", "alg": self.algorithm}

    @property
    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.jwk]}

    @property
    def discovery_document(self) -> dict[str, Any]:
        jwks_uri = f"{self.url.rstrip('/')}/.well-known/jwks"
        return discovery_document(self.url, jwks_uri, [self.algorithm], STANDARD_CLAIMS)

    def sign(self, claims: Mapping[str, Any]) -> str:
        """``claims`` as a signed JWT; dates may be datetimes. Any JSON goes, so that tests
        can make the malformed tokens AWS refuses."""
        import calendar

        import jwt

        payload = {
            name: calendar.timegm(value.utctimetuple())
            if name in _DATE_CLAIMS and isinstance(value, dt.datetime)
            else value
            for name, value in claims.items()
        }
        body = json.dumps(payload, separators=(",", ":")).encode()
        headers = {"kid": self.key.kid, "typ": "JWT"}
        return jwt.PyJWS().encode(body, self.key.private_key, self.algorithm, headers)


_DATE_CLAIMS = ("exp", "iat", "nbf")
STANDARD_CLAIMS = ("aud", "exp", "iat", "iss", "sub")


def discovery_document(
    issuer: str, jwks_uri: str, algorithms: Sequence[str], claims: Sequence[str] = ()
) -> dict[str, Any]:
    """An issuer's ``/.well-known/openid-configuration``: where its keys are, and what it
    signs with (and, when given, which claims its tokens carry)."""
    document: dict[str, Any] = {
        "issuer": issuer,
        "jwks_uri": jwks_uri,
        "response_types_supported": ["id_token"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": list(algorithms),
    }
    if claims:
        document["claims_supported"] = list(claims)
    return document


def issuer_for(backend: Backend, url: str, algorithm: str) -> Issuer:
    """The fake issuer at ``url`` signing with ``algorithm``: the key it already has in this
    mock, or the first pooled key no other issuer of this mock uses."""
    kind = KEY_KINDS[algorithm]
    with _pool_lock:
        pool = {key.kid: key for key in _pool.get(("issuer", kind), [])}
    for jwk in backend.issuer_keys.get(url, {}).get("keys", []):
        key = pool.get(jwk.get("kid"))
        if key is not None and jwk.get("alg") == algorithm:
            return Issuer(url, algorithm, key)
    used = {jwk.get("kid") for jwks in backend.issuer_keys.values() for jwk in jwks.get("keys", [])}
    index = 0
    while pooled_key(kind, index).kid in used:
        index += 1
    return Issuer(url, algorithm, pooled_key(kind, index))


def add_keys(backend: Backend, url: str, keys: Sequence[Mapping[str, Any]]) -> None:
    """Trust ``keys`` for tokens of the issuer ``url``; a key replaces one of the same kid."""
    current = [dict(jwk) for jwk in backend.issuer_keys.get(url, {}).get("keys", [])]
    for key in keys:
        kid = key.get("kid")
        current = [jwk for jwk in current if kid is None or jwk.get("kid") != kid]
        current.append(dict(key))
    backend.issuer_keys[url] = {"keys": current}


def check_jwks(jwks: Mapping[str, Any] | str) -> list[dict[str, Any]]:
    """The keys of a JWKS document given to the handle, or ValueError saying what is wrong."""
    import jwt

    if isinstance(jwks, str):
        try:
            jwks = json.loads(jwks)
        except ValueError as error:
            raise ValueError(f"jwks is not valid JSON: {error}") from None
    keys = jwks.get("keys") if isinstance(jwks, Mapping) else None
    if not isinstance(keys, list) or not all(isinstance(key, Mapping) for key in keys):
        raise ValueError(
            'jwks must be a JWKS document, {"keys": [<JWK>, ...]} (a dict or its JSON text), '
            f"got {jwks!r}."
        )
    checked = []
    for key in keys:
        public = _public_members(key)
        if public.get("kty") not in ("RSA", "EC") or public.get("alg", "RS256") not in ALGORITHMS:
            raise ValueError(
                f"jwks holds a key that cannot verify tokens STS accepts: {key!r}. STS takes "
                f"RSA and EC keys for the algorithms {', '.join(ALGORITHMS)}."
            )
        try:
            parsed = jwt.PyJWK(public)
            problem = parsed.Algorithm.check_key_length(parsed.key)
        except jwt.PyJWTError as error:
            raise ValueError(f"jwks holds a key pyjwt cannot read ({error}): {key!r}") from None
        if problem is not None:
            raise ValueError(f"jwks holds a key too weak to verify tokens with: {problem}")
        checked.append(public)
    return checked


_PUBLIC_MEMBERS = ("kty", "kid", "alg", "use", "n", "e", "crv", "x", "y")


def _public_members(jwk: Mapping[str, Any]) -> dict[str, Any]:
    # Private members (d, p, q...) would turn a verification key into a signing key.
    return {name: jwk[name] for name in _PUBLIC_MEMBERS if name in jwk}


def mint_access_token(
    backend: Backend, provider: str, user_id: str, app_id: str, expires_in: int
) -> str:
    """An opaque OAuth 2.0 access token of ``provider``, known to this mock only."""
    import secrets

    prefix = "EAAG" if provider == FACEBOOK else "Atza|"
    token = prefix + secrets.token_urlsafe(96)
    expiration = now() + dt.timedelta(seconds=expires_in)
    backend.web_access_tokens[token] = WebAccessToken(provider, user_id, app_id, expiration)
    return token


# ---------------------------------------------------------------------------------------
# AssumeRoleWithWebIdentity: the token checks of STS_REFERENCE §7.2


@dataclass(frozen=True)
class WebIdentity:
    """A verified web identity: what the role's trust policy decides on, and the response's
    SubjectFromWebIdentityToken, Audience and Provider."""

    claims: FederatedClaims
    subject: str
    audience: str
    provider: str


@dataclass(frozen=True)
class _Trusted:
    """The provider a token's issuer resolves to."""

    name: str  # the condition-key prefix: the provider URL without https://, or the host
    principal: str  # what trust policies name: the IAM provider's ARN, or the built-in host
    keys_url: str  # where Backend.issuer_keys keeps its keys
    client_ids: tuple[str, ...] | None  # None for built-in providers: any audience


def verify_web_identity(ctx: Context) -> WebIdentity:
    """The token's identity, or the AWS error for the first check it fails."""
    params = ctx.params
    role_arn: str = params["RoleArn"]  # a role ARN (the caller checked it), maybe of no role
    account = ctx.backend.accounts.get(role_arn.split(":")[4])
    token: str = params["WebIdentityToken"]
    if "ProviderId" in params:
        return _access_token_identity(ctx, params["ProviderId"], token)

    parsed = parse(token)
    header, payload = parsed.header, parsed.claims
    algorithm = header.get("alg")
    if algorithm not in ALGORITHMS:
        reason = f"the token is signed with {algorithm!r}, which STS does not accept"
        raise _invalid(_messages.TOKEN_ALGORITHM.format(algorithm), reason)
    for name in _DATE_CLAIMS:
        value = payload.get(name, 0)
        if type(value) is not int:  # JSON numbers with a fraction, strings, booleans...
            raise _invalid(_messages.TOKEN_DATE_NOT_INTEGER.format(name))
    trusted = _trusted(account, payload.get("iss"))
    audience = _audience(trusted, payload.get("aud"))
    _verify_signature(ctx.backend, trusted.keys_url, parsed, algorithm)
    _check_times(payload)
    subject = payload.get("sub")
    if not isinstance(subject, str) or not 0 < len(subject) <= SUBJECT_MAX:
        raise _invalid(_messages.TOKEN_SUBJECT)
    tags, transitive = _session_tags(payload[TAGS_CLAIM]) if TAGS_CLAIM in payload else ({}, ())
    source_identity = _source_identity(payload)
    context = _provider_keys(trusted, payload, audience, subject)
    if trusted.name == GOOGLE and isinstance(payload.get("azp"), str):
        audience = payload["azp"]  # Google's client id is azp when present
    return WebIdentity(
        claims=_claims(ctx, trusted.principal, context, tags, transitive, source_identity),
        subject=subject,
        audience=audience,
        provider=trusted.principal,
    )


def _claims(
    ctx: Context,
    federated: str,
    context: ConditionKeys,
    tags: Mapping[str, str],
    transitive: tuple[str, ...],
    source_identity: str | None,
) -> FederatedClaims:
    return FederatedClaims(
        action="sts:AssumeRoleWithWebIdentity",
        principal=Principal(account="", arn="", federated=federated),
        session_name=ctx.params["RoleSessionName"],
        context=context,
        # The provider's keys stay with the session, for the requests it makes [D].
        session_context=context,
        tags=tags,
        transitive_tag_keys=transitive,
        source_identity=source_identity,
    )


@dataclass(frozen=True)
class Token:
    """A compact JWS read by pyjwt, its signature not yet checked."""

    header: dict[str, Any]
    claims: dict[str, Any]
    signing_input: bytes  # what the signature is over: the first two segments
    signature: bytes


_NOT_A_JWT = "the token is not a signed JWT (header.payload.signature, the payload a JSON object)"


def parse(token: str) -> Token:
    """The token's parts, read once: its signature is checked against them afterwards."""
    import jwt

    try:
        parts = _jws().decode_complete(token, options={"verify_signature": False})
        payload = json.loads(parts["payload"])
    except (jwt.PyJWTError, ValueError, RecursionError):
        raise _invalid(_messages.TOKEN_NOT_A_JWT, _NOT_A_JWT) from None
    if not isinstance(payload, dict):
        raise _invalid(_messages.TOKEN_NOT_A_JWT, _NOT_A_JWT)
    signing_input = token.encode().rsplit(b".", 1)[0]
    return Token(parts["header"], payload, signing_input, parts["signature"])


def _trusted(account: Account | None, issuer: object) -> _Trusted:
    """The IAM OIDC provider of the role's account for ``issuer`` (its URL, https:// and
    trailing slash included, equal to ``iss``), else a built-in provider."""
    if not isinstance(issuer, str):
        raise _invalid(_messages.TOKEN_NO_ISSUER, "the token has no iss claim")
    if account is not None and issuer.startswith("https://"):
        provider = account.oidc_providers.get(issuer.removeprefix("https://"))
        if provider is not None and provider.url == issuer:
            return _Trusted(
                issuer.removeprefix("https://"), provider.arn, issuer, tuple(provider.client_ids)
            )
    builtin = BUILT_IN_ISSUERS.get(issuer)
    if builtin is not None:
        return _Trusted(builtin, builtin, f"https://{builtin}", None)
    where = f"account {account.account_id}" if account is not None else "the role's account"
    reason = f"{where} has no OpenID Connect provider for the issuer {issuer}"
    raise _invalid(_messages.TOKEN_NO_PROVIDER.format(issuer), reason)


def _audience(trusted: _Trusted, aud: object) -> str:
    """The client id the token is for: its ``aud`` (any element of an array) that the
    provider lists; built-in providers take any audience."""
    values = [aud] if isinstance(aud, str) else aud if isinstance(aud, list) else []
    audiences = [value for value in values if isinstance(value, str)]
    if trusted.client_ids is not None:
        audiences = [value for value in audiences if value in trusted.client_ids]
    if not audiences:
        given = ", ".join(f"'{value}'" for value in values if isinstance(value, str)) or "none"
        reason = f"audience {given} is not one of the provider's client ids"
        raise _invalid(_messages.TOKEN_AUDIENCE, reason)
    return audiences[0]


def _verify_signature(backend: Backend, keys_url: str, token: Token, algorithm: str) -> None:
    """Whether a key of the issuer (the one named by ``kid``, if any) signed the token."""
    kid = token.header.get("kid")
    if not _candidate_keys(backend, keys_url, token):
        named = f"kid {kid!r}" if kid is not None else "any kid"
        reason = f"the JWKS of {keys_url} has no key of {named}"
        raise _invalid(_messages.TOKEN_NO_KEY, reason)
    if not signed_by(backend, keys_url, token, algorithm):
        reason = f"the token's signature does not verify against the JWKS of {keys_url}"
        raise _invalid(_messages.TOKEN_SIGNATURE, reason)


def _candidate_keys(backend: Backend, keys_url: str, token: Token) -> list[Mapping[str, Any]]:
    """The issuer's keys that may have signed ``token``: the one its ``kid`` names, or all."""
    kid = token.header.get("kid")
    registered = backend.issuer_keys.get(keys_url, {}).get("keys", [])
    return [jwk for jwk in registered if kid is None or jwk.get("kid") == kid]


def signed_by(backend: Backend, keys_url: str, token: Token, algorithm: str) -> bool:
    """Whether a key of the issuer whose keys ``keys_url`` keeps signed ``token``."""
    verifiers = (_verifier(jwk, algorithm) for jwk in _candidate_keys(backend, keys_url, token))
    return any(
        verifier is not None and verifier.verify(token.signing_input, token.signature)
        for verifier in verifiers
    )


def _verifier(jwk: Mapping[str, Any], algorithm: str) -> _Verifier | None:
    """What checks ``algorithm`` signatures with ``jwk``, or None if the key may not."""
    kind = KEY_KINDS[algorithm]
    fits = jwk.get("kty") == "RSA" if kind == "RSA" else jwk.get("crv") == kind
    if not fits or jwk.get("alg", algorithm) != algorithm:
        return None
    return _loaded_verifier(tuple(map(jwk.get, _KEY_MATERIAL)), algorithm)


# The members that make a public key (its kid, alg and use do not change it).
_KEY_MATERIAL = ("kty", "crv", "n", "e", "x", "y")


@dataclass(frozen=True)
class _Verifier:
    """A public key and the pyjwt algorithm that checks signatures with it."""

    algorithm: Any  # jwt.algorithms.Algorithm
    key: Any

    def verify(self, signing_input: bytes, signature: bytes) -> bool:
        return bool(self.algorithm.verify(signing_input, self.key, signature))


@functools.lru_cache(maxsize=1024)
def _loaded_verifier(material: tuple[str | None, ...], algorithm: str) -> _Verifier:
    """A public key (its _KEY_MATERIAL members), loaded once per process: IdP keys are
    long-lived."""
    import jwt

    # Registered keys were read and checked once already (check_jwks, or minted here): their
    # members are strings, they parse, and none is too short to trust.
    members = zip(_KEY_MATERIAL, material, strict=True)
    loaded = jwt.PyJWK({name: value for name, value in members if value is not None}, algorithm)
    return _Verifier(loaded.Algorithm, loaded.key)


@functools.cache
def _jws() -> Any:
    """One PyJWS for every token: it holds only its options and algorithms."""
    import jwt

    return jwt.PyJWS()


def _check_times(payload: Mapping[str, Any]) -> None:
    moment = int(now().timestamp())
    if "exp" not in payload:
        raise _invalid(_messages.TOKEN_NO_EXPIRY, "the token has no exp claim")
    expires = payload["exp"]
    if moment > expires + CLOCK_SKEW:
        raise AWSError(
            "ExpiredTokenException",
            _messages.TOKEN_EXPIRED.format(moment, expires),
            400,
            reason=f"the token expired at exp {expires}, {moment - expires} s ago",
        )
    not_before = payload.get("nbf")
    if not_before is not None and not_before > moment + CLOCK_SKEW:
        reason = f"the token is not valid before nbf {not_before}, {not_before - moment} s ahead"
        raise _invalid(_messages.TOKEN_NOT_YET_VALID.format(moment, not_before), reason)


def _session_tags(claim: object) -> tuple[dict[str, str], tuple[str, ...]]:
    """The session tags and transitive tag keys of the tags claim [D]:
    ``{"principal_tags": {"Key": ["value"]}, "transitive_tag_keys": ["Key"]}``."""
    malformed = _invalid(_messages.TOKEN_TAGS_CLAIM.format(TAGS_CLAIM))
    if not isinstance(claim, dict):
        raise malformed
    principal_tags = claim.get("principal_tags", {})
    transitive = claim.get("transitive_tag_keys", [])
    if not isinstance(principal_tags, dict) or not isinstance(transitive, list):
        raise malformed

    def pairs() -> Iterator[tuple[str, str]]:
        for key, values in principal_tags.items():
            if not (isinstance(values, list) and len(values) == 1 and isinstance(values[0], str)):
                raise malformed
            yield key, values[0]

    try:
        tags = session_tags(pairs())
    except SessionTagError as error:
        if error.problem is TagProblem.DUPLICATE:
            raise _invalid(_messages.DUPLICATE_TAG_KEYS) from None
        if error.problem is TagProblem.TOO_MANY:
            raise _invalid(_messages.TOKEN_TOO_MANY_TAGS.format(SESSION_TAGS_MAX)) from None
        raise _invalid(_messages.TOKEN_INVALID_TAG.format(error.key)) from None
    if not all(isinstance(key, str) for key in transitive):
        raise malformed
    return tags, tuple(transitive)


def _source_identity(payload: Mapping[str, Any]) -> str | None:
    if SOURCE_IDENTITY_CLAIM not in payload:
        return None
    value = payload[SOURCE_IDENTITY_CLAIM]
    if not valid_source_identity(value):
        raise _invalid(_messages.SOURCE_IDENTITY_FORMAT)
    return value


def _provider_keys(
    trusted: _Trusted, payload: Mapping[str, Any], audience: str, subject: str
) -> dict[str, ConditionValue]:
    """The ``<provider>:<claim>`` condition keys of the token (STS_REFERENCE §6.4)."""
    name = trusted.name
    keys: dict[str, ConditionValue] = {f"{name}:aud": audience, f"{name}:sub": subject}
    if name == GOOGLE:
        # accounts.google.com:aud is the azp claim when the token has one; oaud the aud.
        azp = payload.get("azp")
        keys[f"{name}:aud"] = azp if isinstance(azp, str) else audience
        keys[f"{name}:oaud"] = audience
        return keys
    amr = payload.get("amr")
    if isinstance(amr, str):
        keys[f"{name}:amr"] = (amr,)
    elif isinstance(amr, list):
        keys[f"{name}:amr"] = tuple(value for value in amr if isinstance(value, str))
    if isinstance(payload.get("azp"), str) and name != COGNITO:
        keys[f"{name}:azp"] = payload["azp"]
    return keys


def _access_token_identity(ctx: Context, provider: str, token: str) -> WebIdentity:
    """An OAuth 2.0 access token of Facebook or Login with Amazon, which the IdP itself
    vouches for: here, the mock's registry of the tokens a test minted."""
    if provider not in ACCESS_TOKEN_PROVIDERS:
        raise _invalid(
            _messages.PROVIDER_ID_UNSUPPORTED.format(
                provider=provider, amazon=AMAZON, facebook=FACEBOOK
            )
        )
    grant = ctx.backend.web_access_tokens.get(token)
    if grant is None or grant.provider != provider or now() >= grant.expiration:
        reason = f"{provider} issued no current access token of this value"
        message = _messages.IDP_REJECTED.format(provider=provider)
        raise AWSError("IDPRejectedClaim", message, 403, reason=reason)
    user_key = "id" if provider == FACEBOOK else "user_id"
    context: dict[str, ConditionValue] = {
        f"{provider}:app_id": grant.app_id,
        f"{provider}:{user_key}": grant.user_id,
    }
    return WebIdentity(
        claims=_claims(ctx, provider, context, {}, (), None),
        subject=grant.user_id,
        audience=grant.app_id,
        provider=provider,
    )
