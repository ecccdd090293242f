"""What the handle makes for Cognito: fake user pools, whose ID tokens identity pools take as
logins, and identity pools set up with their two roles in one call (``MockSTS.user_pool``,
``MockSTS.identity_pool``).
"""

from __future__ import annotations

import re
import secrets
import string
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mock_sts import _arguments, _state
from mock_sts._handles import Role, client_error

if TYPE_CHECKING:
    from mock_sts._federation import oidc

COGNITO = "cognito-identity.amazonaws.com"


@dataclass(frozen=True)
class UserPool:
    """A fake Cognito user pool: the issuer of its ID and access tokens.

    Identity pools take its ID tokens as logins under ``provider_name``
    (``cognito-idp.<region>.amazonaws.com/<pool id>``) for any of its ``client_ids``.

    >>> pool = sts.user_pool()
    >>> token = pool.id_token("alice", groups=["admins"])
    """

    pool_id: str
    region: str
    client_ids: tuple[str, ...]
    _issuer: oidc.Issuer = field(repr=False, compare=False)

    @property
    def provider_name(self) -> str:
        """How identity pools name the user pool: ``cognito-idp.<region>.amazonaws.com/<id>``."""
        return self.issuer.removeprefix("https://")

    @property
    def issuer(self) -> str:
        """The ``iss`` of its tokens."""
        return self._issuer.url

    @property
    def client_id(self) -> str:
        """The first app client's id, which tokens are for unless told otherwise."""
        return self.client_ids[0]

    @property
    def jwks(self) -> dict[str, Any]:
        """The user pool's JSON Web Key Set (``/.well-known/jwks.json``)."""
        return self._issuer.jwks

    def id_token(
        self,
        username: str,
        *,
        sub: str | None = None,
        client_id: str | None = None,
        groups: Sequence[str] = (),
        roles: Sequence[str] = (),
        preferred_role: str | None = None,
        expires_in: int = 3600,
        **claims: Any,
    ) -> str:
        """An ID token of ``username``, as the user pool issues it at sign-in.

        ``sub`` is the user's id (a UUID derived from the username unless given); ``groups``,
        ``roles`` and ``preferred_role`` become ``cognito:groups``, ``cognito:roles`` and
        ``cognito:preferred_role``, which role mappings of type Token read; ``claims`` add
        claims or replace the standard ones (``email``, ``custom:tier``...).
        """
        groups = _arguments.strings("groups", groups)
        roles = _arguments.strings("roles", roles)
        payload: dict[str, Any] = {
            **self._standard(username, sub, expires_in),
            "aud": client_id or self.client_id,
            "token_use": "id",
            "cognito:username": username,
        }
        if groups:
            payload["cognito:groups"] = list(groups)
        if roles:
            payload["cognito:roles"] = list(roles)
        preferred = preferred_role or (roles[0] if len(roles) == 1 else None)
        if preferred is not None:
            payload["cognito:preferred_role"] = preferred
        return self._issuer.sign({**payload, **claims})

    def access_token(
        self,
        username: str,
        *,
        sub: str | None = None,
        client_id: str | None = None,
        expires_in: int = 3600,
        **claims: Any,
    ) -> str:
        """An access token of ``username``: it has ``client_id`` and no ``aud``, so identity
        pools refuse it, as Cognito does."""
        payload = {
            **self._standard(username, sub, expires_in),
            "client_id": client_id or self.client_id,
            "token_use": "access",
            "username": username,
            "scope": "aws.cognito.signin.user.admin",
        }
        return self._issuer.sign({**payload, **claims})

    def _standard(self, username: str, sub: str | None, expires_in: int) -> dict[str, Any]:
        import uuid

        # The claims themselves are the test's to choose, wrong ones too: Cognito judges them.
        _arguments.seconds("expires_in", expires_in)
        issued = int(_state.now().timestamp())
        return {
            "iss": self.issuer,
            "sub": sub or str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.issuer}/{username}")),
            "iat": issued,
            "auth_time": issued,
            "exp": issued + expires_in,
        }


def make_user_pool(
    backend: _state.Backend, region: str, pool_id: str | None, client_ids: Sequence[str]
) -> UserPool:
    """A fake user pool in ``region`` whose keys the state trusts."""
    from mock_sts._federation import oidc

    _arguments.optional_text("pool_id", pool_id)
    client_ids = _arguments.strings("client_ids", client_ids)
    if pool_id is None:
        alphabet = string.ascii_letters + string.digits
        pool_id = f"{region}_" + "".join(secrets.choice(alphabet) for _ in range(9))
    if not client_ids:
        alphabet = string.ascii_lowercase + string.digits
        client_ids = ("".join(secrets.choice(alphabet) for _ in range(26)),)
    url = f"https://cognito-idp.{region}.amazonaws.com/{pool_id}"
    with backend.lock:
        issuer = oidc.issuer_for(backend, url, "RS256")
        oidc.add_keys(backend, url, [issuer.jwk])
    return UserPool(pool_id, region, tuple(client_ids), issuer)


@dataclass(frozen=True)
class IdentityPool:
    """An identity pool the handle set up, with its roles.

    >>> pool = sts.identity_pool("app", user_pool=users)
    >>> pool.authenticated_role.arn
    """

    pool_id: str
    arn: str
    name: str
    authenticated_role: Role
    unauthenticated_role: Role | None


def trust_policy(pool_id: str, amr: str) -> dict[str, Any]:
    """The trust policy the Cognito console writes for a pool's role: identities of this
    pool only (``aud``), authenticated or not (``amr``) [D] (Cognito DG, "IAM roles": role
    trust and permissions)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": COGNITO},
                "Action": ["sts:AssumeRoleWithWebIdentity", "sts:TagSession"],
                "Condition": {
                    "StringEquals": {f"{COGNITO}:aud": pool_id},
                    "ForAnyValue:StringLike": {f"{COGNITO}:amr": amr},
                },
            }
        ],
    }


def invoke_cognito(
    backend: _state.Backend, account: _state.Account, action: str, params: Mapping[str, Any]
) -> Mapping[str, Any]:
    """A Cognito Identity operation done by the handle as the account's root user."""
    from mock_sts._dispatch import invoke
    from mock_sts._wire import AWSError

    try:
        return invoke(backend, "cognito-identity", action, params, _state.Caller.root_of(account))
    except AWSError as error:
        raise client_error(error, action) from None


# The handle's create_role, which make_identity_pool makes the pool's roles with.
RoleMaker = Callable[..., Role]


def make_identity_pool(
    backend: _state.Backend,
    create_role: RoleMaker,
    name: str,
    *,
    account_id: str | None,
    user_pool: UserPool | None,
    login_providers: Mapping[str, str] | None,
    developer_provider: str | None,
    allow_unauthenticated: bool,
    authenticated_policies: Mapping[str, Mapping[str, Any] | str] | None,
    unauthenticated_policies: Mapping[str, Mapping[str, Any] | str] | None,
) -> IdentityPool:
    """An identity pool (CreateIdentityPool) with its roles, made as the Cognito console
    makes them (``Cognito_<name>Auth_Role``, ``Cognito_<name>Unauth_Role``, trusting this
    pool's identities only), set with SetIdentityPoolRoles."""
    _arguments.text("name", name)
    _arguments.of_type("user_pool", user_pool, (UserPool, type(None)), "a UserPool or None")
    example = '{"accounts.google.com": "<client id>"}'
    login_providers = _arguments.texts("login_providers", login_providers, example)
    _arguments.optional_text("developer_provider", developer_provider)
    _arguments.flag("allow_unauthenticated", allow_unauthenticated)
    _arguments.policies(authenticated_policies, "authenticated_policies")
    _arguments.policies(unauthenticated_policies, "unauthenticated_policies")
    account = backend.account(account_id)
    params: dict[str, Any] = {
        "IdentityPoolName": name,
        "AllowUnauthenticatedIdentities": allow_unauthenticated,
    }
    if user_pool is not None:
        params["CognitoIdentityProviders"] = [
            {"ProviderName": user_pool.provider_name, "ClientId": client_id}
            for client_id in user_pool.client_ids
        ]
    if login_providers:
        params["SupportedLoginProviders"] = dict(login_providers)
    if developer_provider is not None:
        params["DeveloperProviderName"] = developer_provider
    created = invoke_cognito(backend, account, "CreateIdentityPool", params)
    pool_id = created["IdentityPoolId"]
    role_base = "Cognito_" + re.sub(r"[^\w+=,.@-]", "_", name)
    authenticated = create_role(
        f"{role_base}Auth_Role"[:64],
        trust_policy(pool_id, "authenticated"),
        account_id=account.account_id,
        policies=authenticated_policies,
    )
    roles = {"authenticated": authenticated.arn}
    unauthenticated = None
    if allow_unauthenticated:
        unauthenticated = create_role(
            f"{role_base}Unauth_Role"[:64],
            trust_policy(pool_id, "unauthenticated"),
            account_id=account.account_id,
            policies=unauthenticated_policies,
        )
        roles["unauthenticated"] = unauthenticated.arn
    invoke_cognito(
        backend, account, "SetIdentityPoolRoles", {"IdentityPoolId": pool_id, "Roles": roles}
    )
    pool = backend.identity_pools.pools[pool_id]
    return IdentityPool(pool_id, pool.arn, name, authenticated, unauthenticated)
