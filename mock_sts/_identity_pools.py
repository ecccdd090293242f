"""Cognito identity pools: the pools of a partition, the identities Cognito keeps in them, and
the logins each identity is linked to (STS_REFERENCE §12.8).

Pool ids and identity ids are ``<region>:<uuid>`` and unique in the partition, so the pools
are kept by the partition's state rather than by account: GetId and GetCredentialsForIdentity
are unsigned, and find the pool (and its account) from the id alone.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any

# The roles a pool's identities get, as SetIdentityPoolRoles names them.
AUTHENTICATED = "authenticated"
UNAUTHENTICATED = "unauthenticated"


def new_id(region: str) -> str:
    """A pool or identity id: the region, a colon and a lower-case UUID [O]."""
    return f"{region}:{uuid.uuid4()}"


@dataclass
class PrincipalTagMap:
    """SetPrincipalTagAttributeMap's answer for one provider of a pool: which claims of its
    tokens become which session tags."""

    use_defaults: bool
    tags: dict[str, str]  # tag key → claim name


@dataclass
class IdentityPool:
    """One identity pool, with what its Create/Update/SetIdentityPoolRoles calls said."""

    pool_id: str
    account_id: str
    arn: str
    name: str
    allow_unauthenticated: bool
    allow_classic_flow: bool
    login_providers: dict[str, str] = field(default_factory=dict)  # provider → app id(s)
    developer_provider: str | None = None
    oidc_provider_arns: list[str] = field(default_factory=list)
    user_pools: list[dict[str, Any]] = field(default_factory=list)  # CognitoIdentityProviders
    saml_provider_arns: list[str] = field(default_factory=list)
    tags: dict[str, str] = field(default_factory=dict)
    roles: dict[str, str] = field(default_factory=dict)  # "authenticated" → role ARN, ...
    role_mappings: dict[str, dict[str, Any]] = field(default_factory=dict)  # by provider
    principal_tags: dict[str, PrincipalTagMap] = field(default_factory=dict)  # by provider

    @property
    def region(self) -> str:
        return self.pool_id.split(":", 1)[0]


@dataclass
class Identity:
    """An identity of a pool: authenticated once a login is linked to it."""

    identity_id: str
    pool_id: str
    created: dt.datetime
    modified: dt.datetime
    # The logins linked to it: provider name → the user's ids with that provider (a token's
    # sub, an access token's user id; a developer provider's user identifiers, of which
    # MergeDeveloperIdentities gives one identity several).
    logins: dict[str, list[str]] = field(default_factory=dict)
    # Disabled: merged into another identity, or its last login unlinked. An identity never
    # goes back to unauthenticated [O] (AWS staff, amazon-archives/aws-sdk-unity#102, #114).
    disabled: bool = False

    @property
    def authenticated(self) -> bool:
        return bool(self.logins)


@dataclass
class IdentityPools:
    """A partition's identity pools and identities, and which identity each login is."""

    pools: dict[str, IdentityPool] = field(default_factory=dict)
    identities: dict[str, Identity] = field(default_factory=dict)
    # (pool id, provider name, user id) → identity id: one identity per login, across calls.
    linked: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def identities_of(self, pool_id: str) -> list[Identity]:
        """The pool's identities, oldest first."""
        return [identity for identity in self.identities.values() if identity.pool_id == pool_id]

    def link(self, identity: Identity, provider: str, user: str, at: dt.datetime) -> None:
        """Link a login to ``identity``."""
        users = identity.logins.setdefault(provider, [])
        if user not in users:
            users.append(user)
        identity.modified = at
        self.linked[(identity.pool_id, provider, user)] = identity.identity_id

    def unlink(
        self, identity: Identity, provider: str, at: dt.datetime, user: str | None = None
    ) -> None:
        """Unlink ``identity``'s login with ``provider`` (only ``user``'s, when given)."""
        users = identity.logins.get(provider, [])
        for unlinked in [u for u in users if user is None or u == user]:
            users.remove(unlinked)
            self.linked.pop((identity.pool_id, provider, unlinked), None)
            identity.modified = at
        if not users and identity.logins.pop(provider, None) is not None:
            identity.disabled = not identity.logins

    def merge(self, parent: Identity, child: Identity, at: dt.datetime) -> None:
        """Move ``child``'s logins to ``parent`` and disable ``child`` [D] (Cognito DG,
        "Identity pools authentication flow": merging identities)."""
        for provider, users in list(child.logins.items()):
            for user in list(users):
                self.unlink(child, provider, at, user)
                self.link(parent, provider, user, at)
        child.disabled = True

    def remove_identity(self, identity: Identity) -> None:
        for provider, users in identity.logins.items():
            for user in users:
                self.linked.pop((identity.pool_id, provider, user), None)
        del self.identities[identity.identity_id]

    def remove_pool(self, pool: IdentityPool) -> None:
        for identity in self.identities_of(pool.pool_id):
            self.remove_identity(identity)
        del self.pools[pool.pool_id]
