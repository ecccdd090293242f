"""Credentials for identities: the pool's OpenID tokens (GetOpenIdToken, the basic flow's
first step) and AWS credentials (GetCredentialsForIdentity, the enhanced flow), for which
Cognito assumes the identity's role through STS AssumeRoleWithWebIdentity, so that the
role's trust policy decides exactly as STS decides it (STS_REFERENCE §12.8).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from typing import Any

from mock_sts import _access, _cognito_messages, _managed, _sts
from mock_sts._cognito._common import identity_of, not_authorized, pool_of
from mock_sts._cognito.identities import prove
from mock_sts._cognito.logins import COGNITO, Login, verified
from mock_sts._federation import oidc
from mock_sts._identity_pools import AUTHENTICATED, UNAUTHENTICATED, Identity, IdentityPool
from mock_sts._operation import Context, explained
from mock_sts._state import Backend, now
from mock_sts._wire import AWSError

OPEN_ID_TOKEN_SECONDS = 600  # GetOpenIdToken's tokens last ten minutes [M][O]
ISSUER = f"https://{COGNITO}"
POOL_ARN_CLAIM = f"{ISSUER}/identity-pool-arn"  # [O] one capture (§12.8)
ALGORITHM = "RS512"  # [O] one capture (§12.8)
SESSION_NAME = "CognitoIdentityCredentials"  # [O] §12.8
CREDENTIALS_SECONDS = 3600  # at most one hour [M]


def get_open_id_token(ctx: Context) -> Mapping[str, Any]:
    """The basic flow's token, for the caller's own AssumeRoleWithWebIdentity."""
    identity = identity_of(ctx, ctx.params["IdentityId"])
    pool = pool_of(ctx, identity.pool_id)
    logins = verified(ctx, pool, ctx.params.get("Logins", {}))
    # Refused before the logins are linked to the identity, which leaves it as it was.
    if not pool.allow_classic_flow:
        raise AWSError("InvalidParameterException", _cognito_messages.CLASSIC_FLOW_DISABLED, 400)
    prove(ctx, identity, logins)
    token = open_id_token(ctx.backend, pool, identity, amr(identity, logins), OPEN_ID_TOKEN_SECONDS)
    return {"IdentityId": identity.identity_id, "Token": token}


def amr(identity: Identity, logins: Sequence[Login]) -> list[str]:
    """The token's ``amr``: ``unauthenticated``, or ``authenticated`` and the providers of the
    logins, a user pool's with ``<provider>:CognitoSignIn:<sub>`` after it [O, indirect:
    API Gateway's cognitoAuthenticationProvider] (§12.8)."""
    if not identity.authenticated:
        return [UNAUTHENTICATED]
    methods = [AUTHENTICATED]
    for login in logins:
        if login.provider == COGNITO:
            continue
        methods.append(login.provider)
        if login.provider.startswith("cognito-idp."):
            methods.append(f"{login.provider}:CognitoSignIn:{login.user}")
    return methods


def open_id_token(
    backend: Backend,
    pool: IdentityPool,
    identity: Identity,
    methods: Sequence[str],
    seconds: int,
    tags: Mapping[str, str] | None = None,
) -> str:
    """A token of Cognito's issuer for ``identity``: ``aud`` the pool, ``sub`` the identity,
    signed with the issuer's key (which STS trusts as a built-in provider's)."""
    issuer = oidc.issuer_for(backend, ISSUER, ALGORITHM)
    oidc.add_keys(backend, ISSUER, [issuer.jwk])
    issued = now()
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "sub": identity.identity_id,
        "aud": pool.pool_id,
        "amr": list(methods),
        POOL_ARN_CLAIM: pool.arn,
        "iat": issued,
        "exp": issued + dt.timedelta(seconds=seconds),
    }
    if tags:
        claims[oidc.TAGS_CLAIM] = {
            "principal_tags": {key: [value] for key, value in tags.items()},
            "transitive_tag_keys": [],
        }
    return issuer.sign(claims)


# ---------------------------------------------------------------------------------------
# The enhanced flow


def get_credentials_for_identity(ctx: Context) -> Mapping[str, Any]:
    identity = identity_of(ctx, ctx.params["IdentityId"])
    pool = pool_of(ctx, identity.pool_id)
    logins = verified(ctx, pool, ctx.params.get("Logins", {}))
    prove(ctx, identity, logins)
    role_arn = _role_of(pool, identity, logins, ctx.params.get("CustomRoleArn"))
    guest = not identity.authenticated
    token = open_id_token(
        ctx.backend,
        pool,
        identity,
        amr(identity, logins),
        OPEN_ID_TOKEN_SECONDS,
        principal_tags(pool, logins),
    )
    params: dict[str, Any] = {
        "RoleArn": role_arn,
        "RoleSessionName": SESSION_NAME,
        "WebIdentityToken": token,
        "DurationSeconds": CREDENTIALS_SECONDS,
    }
    assumed = Context(ctx.backend, "AssumeRoleWithWebIdentity", params, None, ctx.info)
    try:
        role = _access.role_of(ctx.backend, role_arn)
        claims = oidc.verify_web_identity(assumed).claims
        scope_down = guest_policies(ctx.backend) if guest else ()
        session, _ = _sts.assume_federated(assumed, role, claims, scope_down)
    except AWSError as refused:
        why = refused.reason or refused.message
        error = AWSError(
            "InvalidIdentityPoolConfigurationException",
            _cognito_messages.INVALID_POOL_CONFIGURATION,
            400,
        )
        raise explained(error, f"STS refused role {role_arn} to the identity: {why}") from None
    return {
        "IdentityId": identity.identity_id,
        "Credentials": {
            "AccessKeyId": session.access_key_id,
            "SecretKey": session.secret_access_key,
            "SessionToken": session.session_token,
            "Expiration": session.expiration,
        },
    }


def _role_of(
    pool: IdentityPool, identity: Identity, logins: Sequence[Login], custom: str | None
) -> str:
    """The role the identity gets: the unauthenticated role for a guest; for a login with a
    role mapping, the role the mapping chooses; else the authenticated role."""
    if not identity.authenticated:
        return _configured(pool, UNAUTHENTICATED)
    for login in logins:
        key = mapping_key(login)
        mapping = pool.role_mappings.get(key)
        if mapping is not None:
            return _mapped_role(pool, key, mapping, login, custom)
        if login.roles:
            return _assertion_role(login, custom)
    # Without a role mapping there is no choice of roles for CustomRoleArn to make [U].
    return _configured(pool, AUTHENTICATED)


def _assertion_role(login: Login, custom: str | None) -> str:
    """The role of a SAML login: "If the SAML assertion has more than one role, ...
    CustomRoleArn" chooses one of them [D] (Cognito DG, "Setting up a SAML provider as an
    identity pool IdP": customizing your user role with SAML)."""
    offered = ", ".join(login.roles)
    if custom is None:
        if len(login.roles) == 1:
            return login.roles[0]
        reason = f"the SAML assertion of {login.provider} offers {offered}: no CustomRoleArn"
        message = _cognito_messages.AMBIGUOUS_ROLE_DENIED.format(login.provider)
        raise not_authorized(message, reason)
    if custom in login.roles:
        return custom
    raise not_authorized(
        _cognito_messages.CUSTOM_ROLE_NOT_OFFERED.format(custom),
        f"the SAML assertion of {login.provider} offers {offered}, not {custom}",
    )


def _configured(pool: IdentityPool, kind: str) -> str:
    role = pool.roles.get(kind)
    if role is None:
        error = AWSError(
            "InvalidIdentityPoolConfigurationException",
            _cognito_messages.INVALID_POOL_CONFIGURATION,
            400,
        )
        raise explained(error, f"identity pool {pool.pool_id} has no {kind} role")
    return role


def mapping_key(login: Login) -> str:
    """The RoleMappings key of a login's provider: a user pool's with the token's client id."""
    if login.provider.startswith("cognito-idp."):
        return f"{login.provider}:{login.claims.get('aud')}"
    return login.provider


def _mapped_role(
    pool: IdentityPool,
    key: str,
    mapping: Mapping[str, Any],
    login: Login,
    custom: str | None,
) -> str:
    """Role-based access control [D] (Cognito DG, "Role-based access control"; API Reference,
    RoleMapping and MappingRule)."""
    offered = (
        _token_roles(login.claims)
        if mapping["Type"] == "Token"
        else [rule["RoleARN"] for rule in _rules(mapping) if _matches(rule, login.claims)]
    )
    if custom is not None:
        if custom in offered:
            return custom
        raise not_authorized(
            _cognito_messages.CUSTOM_ROLE_NOT_OFFERED.format(custom),
            f"the role mapping of {key} does not offer {custom}",
        )
    if mapping["Type"] == "Token":
        preferred = login.claims.get("cognito:preferred_role")
        chosen = preferred if isinstance(preferred, str) else None
    else:
        chosen = offered[0] if offered else None
    if chosen is not None:
        return chosen
    if mapping["AmbiguousRoleResolution"] == "AuthenticatedRole":
        return _configured(pool, AUTHENTICATED)
    reason = f"the role mapping of {key} chose no role, and its AmbiguousRoleResolution is Deny"
    raise not_authorized(_cognito_messages.AMBIGUOUS_ROLE_DENIED.format(key), reason)


def _token_roles(claims: Mapping[str, Any]) -> list[str]:
    """A user pool token's ``cognito:roles``: a JSON array [O], or a comma-separated string
    as the Developer Guide describes it [D]."""
    roles = claims.get("cognito:roles")
    if isinstance(roles, str):
        return [role.strip() for role in roles.split(",") if role.strip()]
    if isinstance(roles, list):
        return [role for role in roles if isinstance(role, str)]
    return []


def _rules(mapping: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    rules: list[Mapping[str, Any]] = mapping["RulesConfiguration"]["Rules"]
    return rules


def _matches(rule: Mapping[str, Any], claims: Mapping[str, Any]) -> bool:
    """Whether a rule matches the token's claim: "If the match type is NotEqual and the
    claim doesn't exist, the rule is not evaluated" [D]; a claim of several values (a list)
    matches when one of them does."""
    value = claims.get(rule["Claim"])
    if value is None:
        return False
    values = [str(item) for item in value] if isinstance(value, list) else [_claim_text(value)]
    wanted: str = rule["Value"]
    kind = rule["MatchType"]
    if kind == "NotEqual":
        return wanted not in values
    test = {
        "Equals": str.__eq__,
        "Contains": str.__contains__,
        "StartsWith": str.startswith,
    }[kind]
    return any(test(item, wanted) for item in values)


def _claim_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def principal_tags(pool: IdentityPool, logins: Sequence[Login]) -> dict[str, str]:
    """The session tags a pool's principal tag maps draw from the logins' claims (attributes
    for access control): the defaults ``username`` ← ``sub`` and ``client`` ← ``aud`` [D]
    ("use default (username and clientID) attribute"; the tag keys [U]), then the custom
    map's tag key ← claim."""
    tags: dict[str, str] = {}
    for login in logins:
        mapping = pool.principal_tags.get(login.provider)
        if mapping is None:
            continue
        wanted = dict(mapping.tags)
        if mapping.use_defaults:
            wanted = {"username": "sub", "client": "aud", **wanted}
        for tag, claim in wanted.items():
            value = login.claims.get(claim)
            if isinstance(value, (str, int, float)):
                tags[tag] = _claim_text(value)
    return tags


# The scope-down session policies Cognito passes with a guest's credentials in the enhanced
# flow [D]: the managed AmazonCognitoUnAuthedIdentitiesSessionPolicy, and the Developer
# Guide's list of the services unauthenticated identities may reach (Cognito DG, "IAM
# roles", access policies, 2023; §12.8). The effective rights are the role's intersected
# with the union of the two.
GUEST_MANAGED_POLICY = "AmazonCognitoUnAuthedIdentitiesSessionPolicy"
_GUEST_SERVICES = (
    "appsync", "cloudwatch", "cognito-identity", "cognito-idp", "cognito-sync", "comprehend",
    "codewhisperer", "dynamodb", "execute-api", "firehose", "gamelift", "geo", "iot",
    "kinesis", "kinesisanalytics", "lambda", "lex", "logs", "machinelearning",
    "mobileanalytics", "mobiletargeting", "personalize", "polly", "rekognition", "s3", "sdb",
    "ses", "sns", "sqs", "transcribe", "translate",
)  # fmt: skip
_GUEST_ACTIONS = (
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "sagemaker:InvokeEndpoint",
    "sumerian:View*",
    "textract:DetectDocumentText",
    "textract:AnalyzeDocument",
)


def guest_policies(backend: Backend) -> tuple[str, ...]:
    """The documents of the guest scope-down: the managed policy's and the inline one."""
    arn = f"arn:{backend.partition}:iam::aws:policy/{GUEST_MANAGED_POLICY}"
    managed = _managed.managed_policy(backend, arn)
    inline = json.dumps(GUEST_SESSION_POLICY, separators=(",", ":"))
    return (inline,) if managed is None else (managed.document, inline)


GUEST_SESSION_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [f"{service}:*" for service in _GUEST_SERVICES] + list(_GUEST_ACTIONS),
            "Resource": "*",
        }
    ],
}
