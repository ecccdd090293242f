"""The handle's identity providers (``MockSTS.saml_provider``, ``oidc_provider`` and their
kin): IAM's SAML and OIDC providers with the fake IdPs behind them, the built-in providers'
issuers, access tokens, the keys of issuers a test runs, an IRSA pod's environment, and the
issuer GetWebIdentityToken signs as."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from mock_sts import _arguments, _state
from mock_sts._activation import own_boto3_default_session, set_environment
from mock_sts._handles import (
    OIDCProvider,
    OutboundIssuer,
    SAMLProvider,
    invoke_iam,
    undone_on_error,
)


def saml_provider(
    backend: _state.Backend, name: str, account_id: str | None, entity_id: str | None
) -> SAMLProvider:
    """``MockSTS.saml_provider``: CreateSAMLProvider with the fake IdP's metadata."""
    from mock_sts._federation import saml_idp

    _arguments.text("name", name)
    entity_id = _arguments.optional_text("entity_id", entity_id)
    account_id = _arguments.account_id(account_id)
    entity_id = entity_id or f"https://idp.mock-sts.test/saml/{name}"
    metadata = saml_idp.metadata_xml(entity_id)
    params = {"Name": name, "SAMLMetadataDocument": metadata}
    with backend.lock:
        account = backend.account(account_id)
        created = invoke_iam(account, "CreateSAMLProvider", params)
    return SAMLProvider(name, created["SAMLProviderArn"], entity_id, metadata)


def oidc_provider(
    backend: _state.Backend,
    url: str,
    client_ids: Sequence[str],
    account_id: str | None,
    algorithm: str,
) -> OIDCProvider:
    """``MockSTS.oidc_provider``: CreateOpenIDConnectProvider, and a fake issuer at ``url``."""
    from mock_sts._federation import oidc

    if not isinstance(url, str):
        raise TypeError(f"url must be the issuer's https:// URL as a string, got {url!r}.")
    client_ids = _arguments.strings("client_ids", client_ids)
    account_id = _arguments.account_id(account_id)
    _check_algorithm(algorithm)
    with backend.lock:
        account = backend.account(account_id)
        issuer = oidc.issuer_for(backend, url, algorithm)
        params = {"Url": url, "ClientIDList": list(client_ids)}
        created = invoke_iam(account, "CreateOpenIDConnectProvider", params)
        oidc.add_keys(backend, url, [issuer.jwk])
    arn = created["OpenIDConnectProviderArn"]
    return OIDCProvider(url, arn, tuple(dict.fromkeys(client_ids)), issuer)


def builtin_provider(backend: _state.Backend, name: str, algorithm: str) -> OIDCProvider:
    """``MockSTS.builtin_provider``: the fake issuer of Google's, Cognito's or Apple's tokens."""
    from mock_sts._federation import oidc

    if name not in (oidc.GOOGLE, oidc.COGNITO, oidc.APPLE):
        raise ValueError(
            f"builtin_provider() knows {oidc.GOOGLE!r}, {oidc.COGNITO!r} and {oidc.APPLE!r}, "
            f"not {name!r}. "
            "For graph.facebook.com and www.amazon.com access tokens use "
            "web_access_token(); for any other issuer, oidc_provider()."
        )
    _check_algorithm(algorithm)
    url = f"https://{name}"
    with backend.lock:
        issuer = oidc.issuer_for(backend, url, algorithm)
        oidc.add_keys(backend, url, [issuer.jwk])
    return OIDCProvider(url, name, (), issuer)


def web_access_token(
    backend: _state.Backend, provider_id: str, user_id: str, app_id: str, expires_in: int
) -> str:
    """``MockSTS.web_access_token``: an access token of Facebook or Login with Amazon."""
    from mock_sts._federation import oidc

    if provider_id not in oidc.ACCESS_TOKEN_PROVIDERS:
        raise ValueError(
            f"provider_id must be one of {', '.join(map(repr, oidc.ACCESS_TOKEN_PROVIDERS))}"
            f" (the providers whose access tokens STS takes), got {provider_id!r}."
        )
    _arguments.text("user_id", user_id)
    _arguments.text("app_id", app_id)
    _arguments.seconds("expires_in", expires_in)
    with backend.lock:
        return oidc.mint_access_token(backend, provider_id, user_id, app_id, expires_in)


def add_jwks(backend: _state.Backend, issuer_url: str, jwks: Mapping[str, Any] | str) -> None:
    """``MockSTS.add_jwks``: the keys of an issuer the test runs, trusted."""
    from mock_sts._federation import oidc

    if not isinstance(issuer_url, str) or not issuer_url.startswith("https://"):
        raise ValueError(
            "issuer_url must be the issuer's https:// URL, exactly as its tokens' iss claim "
            f"has it, got {issuer_url!r}."
        )
    keys = oidc.check_jwks(jwks)
    with backend.lock:
        oidc.add_keys(backend, issuer_url, keys)


@contextlib.contextmanager
def web_identity_env(role_arn: str, token: str, session_name: str | None) -> Iterator[Path]:
    """``MockSTS.web_identity_env``: an EKS pod's environment with IRSA, while the block runs."""
    _arguments.text("role_arn", role_arn)
    _arguments.text("token", token)
    _arguments.optional_text("session_name", session_name)
    descriptor, name = tempfile.mkstemp(prefix="mock-sts-web-identity-", suffix=".jwt")
    path = Path(name)
    # A token that cannot be written (lone surrogates) must not leave its file behind.
    with undone_on_error(path.unlink), os.fdopen(descriptor, "w") as file:
        file.write(token)
    saved = set_environment(
        {
            "AWS_ROLE_ARN": role_arn,
            "AWS_WEB_IDENTITY_TOKEN_FILE": os.fspath(path),
            "AWS_ROLE_SESSION_NAME": session_name,
            "AWS_ACCESS_KEY_ID": None,
            "AWS_SECRET_ACCESS_KEY": None,
            "AWS_SESSION_TOKEN": None,
            "AWS_SECURITY_TOKEN": None,
        }
    )
    try:
        with own_boto3_default_session():
            yield path
    finally:
        set_environment(saved)
        path.unlink(missing_ok=True)


def outbound_issuer(backend: _state.Backend, account_id: str | None) -> OutboundIssuer:
    """``MockSTS.outbound_issuer``: the account's GetWebIdentityToken issuer."""
    from mock_sts._federation import outbound

    account = backend.account(_arguments.account_id(account_id))
    federation = account.outbound_federation
    if federation is None:
        raise LookupError(
            f"Account {account.account_id} never enabled outbound identity federation: "
            "call IAM EnableOutboundWebIdentityFederation first."
        )
    return OutboundIssuer(federation.issuer, outbound.jwks_of(federation))


def published_jwks(backend: _state.Backend, issuer_url: str) -> dict[str, Any] | None:
    """``MockSTS.published_jwks``: the keys the mock publishes for an issuer it knows."""
    from mock_sts._federation import outbound

    jwks = outbound.published_jwks(backend, _arguments.text("issuer_url", issuer_url))
    return None if jwks is None else dict(jwks)


def _check_algorithm(algorithm: str) -> None:
    from mock_sts._federation.oidc import ALGORITHMS

    if algorithm not in ALGORITHMS:
        raise ValueError(
            f"algorithm must be one of {', '.join(ALGORITHMS)} (what STS accepts), got "
            f"{algorithm!r}."
        )
