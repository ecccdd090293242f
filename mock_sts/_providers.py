"""The identity providers an account trusts or signs as: OIDC and SAML providers, outbound
federation, and the web access tokens tests mint for the login-with providers."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from dataclasses import dataclass, field
from typing import Any

from mock_sts._ids import IAMOwner


@dataclass(eq=False)
class OIDCProvider:
    """An IAM OpenID Connect provider: an issuer URL this account trusts, with its audiences."""

    account: IAMOwner
    url: str  # as registered, starting with https://
    client_ids: list[str]
    thumbprints: list[str]
    create_date: dt.datetime
    tags: dict[str, str] = field(default_factory=dict)
    # Trusted identity propagation: the context provider (the model's ContextProvider
    # structure, as given) and the IAM Identity Center instance associated with it.
    context_provider: dict[str, Any] | None = None
    identity_center_instance_arn: str | None = None

    @property
    def arn(self) -> str:
        return self.account.arn(f"oidc-provider/{self.url.removeprefix('https://')}")


@dataclass(eq=False)
class OutboundFederation:
    """An account's outbound identity federation: the issuer GetWebIdentityToken signs as."""

    issuer: str  # https://<id>.tokens.sts.global.api.aws, kept when disabled and enabled again
    key_index: int  # which of the process's pooled signing keys are the account's
    enabled: bool = True


@dataclass(frozen=True)
class WebAccessToken:
    """An OAuth 2.0 access token of graph.facebook.com or www.amazon.com, minted by a test."""

    provider: str
    user_id: str
    app_id: str
    expiration: dt.datetime


@dataclass(eq=False)
class SAMLProvider:
    """An IAM SAML provider: an IdP's metadata (entity id and signing certificates)."""

    account: IAMOwner
    name: str
    metadata: str
    create_date: dt.datetime
    valid_until: dt.datetime | None = None
    tags: dict[str, str] = field(default_factory=dict)
    uuid: str = field(default_factory=lambda: base64.b32encode(secrets.token_bytes(15)).decode())
    assertion_encryption_mode: str = "Allowed"
    # Decryption keys for encrypted assertions: key id -> when it was added.
    private_keys: dict[str, dt.datetime] = field(default_factory=dict)

    @property
    def arn(self) -> str:
        return self.account.arn(f"saml-provider/{self.name}")
