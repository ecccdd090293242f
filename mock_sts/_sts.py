"""STS operations: one function per Action, and the table that dispatches to them."""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from mock_sts import _access, _assume, _ids, _messages
from mock_sts._access import not_authorized, role_of
from mock_sts._calls import Check
from mock_sts._federation import FederatedClaims
from mock_sts._operation import explained
from mock_sts._organizations import organization_of
from mock_sts._sessions import (
    checked_packed_size,
    inherited_tags,
    invalid_parameter_value,
    overlay_tags,
    packed_size,
    passed_tags,
    session_policies,
    source_identity_of,
    transitive_keys,
    verify_mfa,
)
from mock_sts._state import AccessKey, Role, Root, Session, SessionKind, User, now, whole_seconds
from mock_sts._wire import AWSError, access_denied, validation_error

if TYPE_CHECKING:
    from mock_sts._operation import Context, Operation
    from mock_sts._policy import ConditionValue

ROOT_SESSION_MAX = 3600
USER_SESSION_DEFAULT = 43200
ASSUME_ROLE_DEFAULT = 3600
CHAINED_SESSION_MAX = 3600


def credentials_of(session: Session) -> dict[str, Any]:
    return {
        "AccessKeyId": session.access_key_id,
        "SecretAccessKey": session.secret_access_key,
        "SessionToken": session.session_token,
        "Expiration": session.expiration,
    }


def refused(ctx: Context) -> AWSError:
    """AccessDenied for the caller's sts:<Action>, where AWS names no resource."""
    return not_authorized(ctx.signed_caller.arn, f"sts:{ctx.action}")


def get_caller_identity(ctx: Context) -> Mapping[str, Any]:
    # No permission is needed: even an explicit Deny does not stop GetCallerIdentity.
    caller = ctx.signed_caller
    return {"UserId": caller.user_id, "Account": caller.account_id, "Arn": caller.arn}


def require_allowed(ctx: Context, resource: str = "*") -> None:
    """AccessDenied unless the caller's policies allow ``sts:<Action>`` on ``resource``."""
    caller = ctx.signed_caller
    session = caller.session
    # GetSessionToken credentials may call only AssumeRole and GetCallerIdentity in STS,
    # and federated users none of the operations that reach this check.
    if session is not None and session.kind is not SessionKind.ROLE:
        raise explained(refused(ctx), _session_barred(session, ctx.action))
    if not _access.authorize(caller, ctx.info, f"sts:{ctx.action}", resource):
        raise refused(ctx)


def _session_barred(session: Session, action: str) -> str:
    return f"{session.kind.value} credentials may not call sts:{action}"


def _long_term_only(ctx: Context) -> AWSError:
    error = access_denied(_messages.SESSION_CREDENTIALS_REFUSED.format(ctx.action))
    return explained(error, f"{ctx.action} needs long-term keys, not temporary credentials")


def get_access_key_info(ctx: Context) -> Mapping[str, Any]:
    require_allowed(ctx)
    key_id: str = ctx.params["AccessKeyId"]
    account = _ids.account_from_key_id(key_id)
    if account is None:
        # Legacy ids (such as AWS's documentation samples) do not carry their account and
        # AWS resolves them from its own records; every key mock_sts issues carries one.
        raise validation_error(_messages.KEY_WITHOUT_ACCOUNT.format(key_id))
    return {"Account": account}


def get_session_token(ctx: Context) -> Mapping[str, Any]:
    credential = ctx.signed_caller.credential
    if not isinstance(credential, AccessKey):
        raise _long_term_only(ctx)
    principal = credential.owner
    requested: int | None = ctx.params.get("DurationSeconds")
    if isinstance(principal, Root):
        # Root sessions last at most an hour; longer requests are shortened, not refused.
        duration = min(requested or ROOT_SESSION_MAX, ROOT_SESSION_MAX)
    else:
        duration = requested or USER_SESSION_DEFAULT
    mfa = verify_mfa(principal, ctx.params.get("SerialNumber"), ctx.params.get("TokenCode"))
    session = ctx.issue_session(
        SessionKind.SESSION_TOKEN, principal, duration, mfa_authenticated=mfa
    )
    return {"Credentials": credentials_of(session)}


# ---------------------------------------------------------------------------------------
# AssumeRole


def require_regional_endpoint(ctx: Context) -> None:
    """ValidationError for operations AWS serves on regional endpoints only."""
    if ctx.info.global_endpoint:
        raise validation_error(_messages.GLOBAL_ENDPOINT.format(ctx.action))


def assume_role(ctx: Context) -> Mapping[str, Any]:
    caller = ctx.signed_caller
    params = ctx.params
    role_arn: str = params["RoleArn"]
    calling = caller.session
    entity = caller.principal
    barred = _assume.barred(caller)
    if barred is not None:
        if calling is None:
            raise explained(access_denied(_messages.ROOT_MAY_NOT_ASSUME), barred)
        raise explained(not_authorized(caller.arn, "sts:AssumeRole", role_arn), barred)
    role = role_of(ctx.backend, role_arn)

    mfa = calling.mfa_authenticated if calling is not None else None
    if "SerialNumber" in params or "TokenCode" in params:
        if isinstance(entity, Role):
            mfa = verify_mfa(None, params.get("SerialNumber"), params.get("TokenCode"))
        else:
            mfa = verify_mfa(entity, params.get("SerialNumber"), params.get("TokenCode"))
    inherited = inherited_tags(calling)
    passed = passed_tags(params.get("Tags", ()), inherited)
    context = _assume_context(ctx, role, passed, inherited, mfa)

    actions = _assume.assume_actions(
        "sts:AssumeRole",
        calling,
        tagged=bool(passed or "TransitiveTagKeys" in params or inherited),
        source_identity="SourceIdentity" in params,
    )
    if "ProvidedContexts" in params:
        actions.append("sts:SetContext")
    if role is None:
        # AWS answers a missing role exactly as a refused one: no NoSuchEntity leak.
        missing = _assume.missing_role(ctx.backend, role_arn)
        ctx.info.checks.append(Check("sts:AssumeRole", role_arn, False, missing))
        raise not_authorized(caller.arn, "sts:AssumeRole", role_arn)
    decisions = _assume.trusted(caller, ctx.info, role, actions, context)
    for action, decision in zip(actions, decisions, strict=True):
        if not decision:
            raise not_authorized(caller.arn, action, role_arn)

    chained = calling is not None
    duration = params.get("DurationSeconds", ASSUME_ROLE_DEFAULT)
    if chained and duration > CHAINED_SESSION_MAX:
        raise validation_error(_messages.CHAINED_DURATION)
    if duration > role.max_session_duration:
        raise validation_error(_messages.MAX_SESSION_DURATION)
    new = _session_attributes(ctx, role, passed, inherited, calling)
    session = ctx.issue_session(
        SessionKind.ROLE,
        role,
        duration,
        name=params["RoleSessionName"],
        mfa_authenticated=mfa,
        chained=chained,
        **new.attributes,
    )
    role.last_used = session.issued
    role.last_used_region = ctx.region
    result: dict[str, Any] = {
        "Credentials": credentials_of(session),
        "AssumedRoleUser": {"AssumedRoleId": session.user_id, "Arn": session.arn},
        "PackedPolicySize": new.packed_size,
        "SourceIdentity": session.source_identity,
    }
    return result


# ---------------------------------------------------------------------------------------
# AssumeRoot: a management (or delegated administrator) account acts as a member's root,
# limited to one task policy.

ASSUME_ROOT_DEFAULT = 900
_ROOT_TARGET = re.compile(r"(\d{12})|arn:[a-z0-9-]+:iam::(\d{12}):root")
_ROOT_TASK_ARN = re.compile(r"arn:([a-z0-9-]+):iam::aws:policy/root-task/([A-Za-z0-9]+)")


def assume_root(ctx: Context) -> Mapping[str, Any]:
    from mock_sts._aws_policies import ROOT_TASK_POLICIES

    caller = ctx.signed_caller
    params = ctx.params
    require_regional_endpoint(ctx)
    target: str = params["TargetPrincipal"]
    match = _ROOT_TARGET.fullmatch(target)
    if match is None:
        raise validation_error(_messages.ROOT_TARGET.format(target))
    member_id = match.group(1) or match.group(2)
    member_arn = _ids.arn(ctx.backend.partition, "iam", member_id, "root")
    calling = caller.session
    # Root credentials are refused (AWS documents it), and so are sessions other than role
    # sessions: GetSessionToken and federated users may not call it either.
    if isinstance(caller.principal, Root) or (
        calling is not None and calling.kind is not SessionKind.ROLE
    ):
        reason = "only IAM users and role sessions may call sts:AssumeRoot"
        raise explained(not_authorized(caller.arn, "sts:AssumeRoot", member_arn), reason)
    organization = organization_of(ctx.backend.organizations, caller.account_id)
    managers = (
        (organization.management_account_id, organization.iam_delegated_administrator)
        if organization is not None
        else ()
    )
    if organization is None or caller.account_id not in managers:
        reason = (
            f"account {caller.account_id} is neither the management account nor the "
            "delegated administrator of an organization"
        )
        raise explained(not_authorized(caller.arn, "sts:AssumeRoot", member_arn), reason)
    if "RootSessions" not in organization.features:
        error = access_denied(_messages.ROOT_SESSIONS_DISABLED.format(organization.organization_id))
        reason = f"root sessions are not enabled in {organization.organization_id}"
        raise explained(error, reason)
    if member_id not in organization.member_account_ids:
        reason = f"account {member_id} is no member of {organization.organization_id}"
        raise explained(not_authorized(caller.arn, "sts:AssumeRoot", member_arn), reason)
    task_arn: str = params["TaskPolicyArn"]["arn"]
    task = _ROOT_TASK_ARN.fullmatch(task_arn)
    if (
        task is None
        or task.group(1) != ctx.backend.partition
        or task.group(2) not in ROOT_TASK_POLICIES
    ):
        raise validation_error(_messages.ROOT_TASK_POLICY.format(task_arn))
    decision = _access.authorize(
        caller, ctx.info, "sts:AssumeRoot", member_arn, context={"sts:TaskPolicyArn": task_arn}
    )
    if not decision:
        raise not_authorized(caller.arn, "sts:AssumeRoot", member_arn)
    member = ctx.backend.account(member_id).root
    session = ctx.issue_session(
        SessionKind.ROOT,
        member,
        params.get("DurationSeconds", ASSUME_ROOT_DEFAULT),
        policies=(ROOT_TASK_POLICIES[task.group(2)],),
    )
    return {"Credentials": credentials_of(session), "SourceIdentity": session.source_identity}


# ---------------------------------------------------------------------------------------
# AssumeRoleWithWebIdentity and AssumeRoleWithSAML share what follows a verified identity.


def assume_federated(
    ctx: Context, role: Role | None, claims: FederatedClaims, scope_down: tuple[str, ...] = ()
) -> tuple[Session, int | None]:
    """The session of ``role`` (the one RoleArn names, if any) that a verified token or
    assertion asks for, decided by the role's trust policy.

    ``scope_down``: session policies an AWS service adds on its own behalf (Cognito's for
    guests), beside the request's; they count in no packed size, as AWS's own fit.
    Returns the session and its PackedPolicySize (None when nothing was passed to pack).
    """
    if role is None:
        role_arn: str = ctx.params["RoleArn"]
        missing = _assume.missing_role(ctx.backend, role_arn)
        ctx.info.checks.append(Check(claims.action, role_arn, False, missing))
        raise _federated_denial(claims)
    transitive = transitive_keys(claims.transitive_tag_keys, claims.tags)
    if transitive is None:
        raise AWSError("InvalidIdentityToken", _messages.TRANSITIVE_KEYS_NOT_TAGS, 400)
    context: dict[str, ConditionValue] = {
        "sts:RoleSessionName": claims.session_name,
        **claims.context,
    }
    actions = [claims.action]
    if claims.tags:
        actions.append("sts:TagSession")
        context["aws:TagKeys"] = tuple(claims.tags)
        context.update({f"aws:RequestTag/{k}": v for k, v in claims.tags.items()})
        if claims.transitive_tag_keys:
            context["sts:TransitiveTagKeys"] = tuple(claims.transitive_tag_keys)
    if claims.source_identity is not None:
        actions.append("sts:SetSourceIdentity")
        context["sts:SourceIdentity"] = claims.source_identity
    context.update(_assume.role_keys(role, {}))
    trust = (f"the trust policy of role {role.name}", _access.trust_policy(role))
    for action in actions:
        decision = _access.authorize_federated(
            claims.principal, ctx.info, action, role.arn, context, trust, role.account_id
        )
        if not decision:
            raise _federated_denial(claims)
    duration: int = ctx.params.get("DurationSeconds", ASSUME_ROLE_DEFAULT)
    if duration > role.max_session_duration:
        raise validation_error(_messages.MAX_SESSION_DURATION)
    if claims.not_after is not None:
        remaining = int((claims.not_after - whole_seconds(now())).total_seconds())
        duration = max(0, min(duration, remaining))
    policies = session_policies(ctx, role.account) + scope_down
    packed = packed_size(ctx, claims.tags)
    session = ctx.issue_session(
        SessionKind.ROLE,
        role,
        duration,
        name=claims.session_name,
        policies=policies,
        tags=overlay_tags(role.tags, claims.tags),
        transitive_tag_keys=transitive,
        source_identity=claims.source_identity,
        context={
            "aws:FederatedProvider": claims.principal.federated or "",
            **claims.session_context,
        },
    )
    role.last_used = session.issued
    role.last_used_region = ctx.region
    return session, packed


def _federated_denial(claims: FederatedClaims) -> AWSError:
    return access_denied(_messages.NOT_AUTHORIZED_FEDERATED.format(claims.action))


def _assume_context(
    ctx: Context,
    role: Role | None,
    passed: Mapping[str, str],
    inherited: Mapping[str, str],
    mfa: dt.datetime | None,
) -> dict[str, ConditionValue]:
    """The AssumeRole condition keys (STS_REFERENCE §6.4) beyond the caller's own."""
    params = ctx.params
    context: dict[str, ConditionValue] = {"sts:RoleSessionName": params["RoleSessionName"]}
    for name, key in (("ExternalId", "sts:ExternalId"), ("SourceIdentity", "sts:SourceIdentity")):
        if name in params:
            context[key] = params[name]
    if "TransitiveTagKeys" in params:
        context["sts:TransitiveTagKeys"] = tuple(params["TransitiveTagKeys"])
    if passed or inherited:
        context["aws:TagKeys"] = tuple(passed)
        for key, value in {**inherited, **passed}.items():
            context[f"aws:RequestTag/{key}"] = value
    if role is not None:
        context.update(_assume.role_keys(role, inherited))
    if mfa is not None:
        context.update(_access.mfa_context(mfa, now()))
    return context


@dataclass(frozen=True)
class _NewSession:
    attributes: dict[str, Any]
    packed_size: int | None


def _session_attributes(
    ctx: Context,
    role: Role,
    passed: dict[str, str],
    inherited: dict[str, str],
    calling: Session | None,
) -> _NewSession:
    """Tags, source identity and session policies of a new role session, checked."""
    params = ctx.params
    transitive = transitive_keys(params.get("TransitiveTagKeys", ()), passed)
    if transitive is None:
        raise invalid_parameter_value(_messages.TRANSITIVE_KEYS_NOT_PASSED)
    source_identity = source_identity_of(params.get("SourceIdentity"), calling)
    policies = session_policies(ctx, role.account)
    packed = packed_size(ctx, passed)
    return _NewSession(
        attributes={
            "policies": policies,
            "tags": overlay_tags(role.tags, {**inherited, **passed}),
            "transitive_tag_keys": transitive | {k.lower() for k in inherited},
            "source_identity": source_identity,
            "context": dict(calling.context) if calling is not None else {},
        },
        packed_size=packed,
    )


# ---------------------------------------------------------------------------------------
# Web identity: AssumeRoleWithWebIdentity (unsigned: the token proves who calls), and
# GetWebIdentityToken (outbound: AWS vouches for the caller)


def assume_role_with_web_identity(ctx: Context) -> Mapping[str, Any]:
    from mock_sts._federation import oidc

    role = role_of(ctx.backend, ctx.params["RoleArn"])  # no role ARN at all: ValidationError
    identity = oidc.verify_web_identity(ctx)
    if identity.provider == oidc.COGNITO and role is not None:
        _require_pool_conditions(ctx, role, identity.audience, identity.claims)
    session, packed = assume_federated(ctx, role, identity.claims)
    return {
        "Credentials": credentials_of(session),
        "SubjectFromWebIdentityToken": identity.subject,
        "AssumedRoleUser": {"AssumedRoleId": session.user_id, "Arn": session.arn},
        "PackedPolicySize": packed,
        "Provider": identity.provider,
        "Audience": identity.audience,
        "SourceIdentity": session.source_identity,
    }


_COGNITO_KEYS = frozenset(
    {"cognito-identity.amazonaws.com:aud", "cognito-identity.amazonaws.com:amr"}
)


def _require_pool_conditions(
    ctx: Context, role: Role, pool_id: str, claims: FederatedClaims
) -> None:
    """An identity of another account's identity pool, in the basic flow: "AWS STS also
    requires cross-account basic authentication requests to have two specific conditions:
    cognito-identity.amazonaws.com:aud and cognito-identity.amazonaws.com:amr" [D] (Cognito
    DG, "Security best practices for Amazon Cognito identity pools"). An allowing statement
    of the role's trust policy must name both."""
    pool = ctx.backend.identity_pools.pools.get(pool_id)
    if pool is None or pool.account_id == role.account_id:
        return
    for statement in _access.trust_policy(role).statements:
        named = {condition.key.lower() for condition in statement.condition}
        if statement.effect == "Allow" and named >= _COGNITO_KEYS:
            return
    ctx.info.checks.append(
        Check(
            claims.action,
            role.arn,
            False,
            f"identity pool {pool_id} is of account {pool.account_id}: the trust policy of role "
            f"{role.name} must name both {' and '.join(sorted(_COGNITO_KEYS))}",
        )
    )
    raise _federated_denial(claims)


WEB_IDENTITY_TOKEN_DEFAULT = 300
# AWS does not publish the largest payload it signs; mock_sts refuses claims whose JSON
# exceeds this many bytes (50 tags of full length, for one, do).
WEB_IDENTITY_TOKEN_PAYLOAD_MAX = 8192


def get_web_identity_token(ctx: Context) -> Mapping[str, Any]:
    """A JWT in which AWS vouches for the caller to services outside AWS (STS_REFERENCE
    §4.11), signed with the account's outbound federation keys."""
    from mock_sts._federation import outbound

    params = ctx.params
    require_regional_endpoint(ctx)
    algorithm: str = params["SigningAlgorithm"]
    if algorithm not in outbound.SIGNING_ALGORITHMS:
        raise validation_error(
            _messages.SIGNING_ALGORITHM.format(algorithm, ", ".join(outbound.SIGNING_ALGORITHMS))
        )
    audiences: list[str] = params["Audience"]
    duration: int = params.get("DurationSeconds", WEB_IDENTITY_TOKEN_DEFAULT)
    request_tags = passed_tags(params.get("Tags", ()))
    caller = ctx.signed_caller
    session = caller.session
    # GetSessionToken and federated-user credentials cannot call it [D].
    if session is not None and session.kind is not SessionKind.ROLE:
        raise explained(refused(ctx), _session_barred(session, ctx.action))
    context: dict[str, ConditionValue] = {
        "sts:IdentityTokenAudience": tuple(audiences),
        "sts:DurationSeconds": str(duration),
    }
    if not _access.authorize(caller, ctx.info, "sts:GetWebIdentityToken", "*", context=context):
        raise refused(ctx)
    federation = ctx.backend.account(caller.account_id).outbound_federation
    if federation is None or not federation.enabled:
        raise AWSError(
            "OutboundWebIdentityFederationDisabledException",
            _messages.OUTBOUND_FEDERATION_DISABLED,
            403,
        )
    issued = whole_seconds(now())
    expiration = issued + dt.timedelta(seconds=duration)
    if session is not None and expiration > session.expiration:
        raise AWSError("SessionDurationEscalationException", _messages.TOKEN_OUTLIVES_SESSION, 403)
    claims = {
        "iss": federation.issuer,
        "sub": caller.principal.arn,  # the role's ARN for a role session [D]
        "aud": audiences[0] if len(audiences) == 1 else audiences,
        "iat": int(issued.timestamp()),
        "exp": int(expiration.timestamp()),
        "jti": str(uuid.uuid4()),
        outbound.AWS_CLAIMS: _aws_claims(ctx, session, request_tags),
    }
    payload = json.dumps(claims, separators=(",", ":")).encode()
    if len(payload) > WEB_IDENTITY_TOKEN_PAYLOAD_MAX:
        raise AWSError("JWTPayloadSizeExceededException", _messages.TOKEN_PAYLOAD_TOO_LARGE, 400)
    token = outbound.sign(federation, algorithm, payload)
    return {"WebIdentityToken": token, "Expiration": expiration}


def _aws_claims(
    ctx: Context, session: Session | None, request_tags: Mapping[str, str]
) -> dict[str, Any]:
    """What AWS says of the caller in its own claim: account, region and tags."""
    principal = ctx.signed_caller.principal
    claims: dict[str, Any] = {"aws_account": principal.account_id, "source_region": ctx.region}
    if session is not None:
        principal_tags = session.tags
    else:
        principal_tags = principal.tags if isinstance(principal, User) else {}
    if principal_tags:
        claims["principal_tags"] = dict(principal_tags)
    if request_tags:
        claims["request_tags"] = dict(request_tags)
    return claims


# ---------------------------------------------------------------------------------------
# GetFederationToken


FEDERATED_SESSION_DEFAULT = 43200


def get_federation_token(ctx: Context) -> Mapping[str, Any]:
    caller = ctx.signed_caller
    credential = caller.credential
    if not isinstance(credential, AccessKey):
        raise _long_term_only(ctx)
    owner = credential.owner
    params = ctx.params
    name: str = params["Name"]
    federated_arn = _ids.arn(
        owner.account.partition, "sts", owner.account_id, f"federated-user/{name}"
    )
    passed = passed_tags(params.get("Tags", ()))
    actions = ["sts:GetFederationToken"] + (["sts:TagSession"] if passed else [])
    for action in actions:
        if not _access.authorize(caller, ctx.info, action, federated_arn):
            raise not_authorized(caller.arn, action, federated_arn)
    requested: int | None = params.get("DurationSeconds")
    if isinstance(owner, Root):
        duration = min(requested or ROOT_SESSION_MAX, ROOT_SESSION_MAX)
    else:
        duration = requested or FEDERATED_SESSION_DEFAULT
    policies = session_policies(ctx, owner.account)
    packed = packed_size(ctx, passed)
    user_tags = owner.tags if isinstance(owner, User) else {}
    session = ctx.issue_session(
        SessionKind.FEDERATED,
        owner,
        duration,
        name=name,
        policies=policies,
        tags=overlay_tags(user_tags, passed),
    )
    return {
        "Credentials": credentials_of(session),
        "FederatedUser": {"FederatedUserId": session.user_id, "Arn": session.arn},
        # Unlike AssumeRole, GetFederationToken answers 0 when nothing was packed (§12.3).
        "PackedPolicySize": 0 if packed is None else packed,
    }


# ---------------------------------------------------------------------------------------
# GetDelegatedAccessToken: a partner trades the token IAM sent it for credentials of the
# identity that accepted its delegation request, narrowed to the request's policy.


def get_delegated_access_token(ctx: Context) -> Mapping[str, Any]:
    token = ctx.backend.trade_in_tokens.get(ctx.params["TradeInToken"])
    if (
        token is None
        or token.request.requestor_id != ctx.signed_caller.account_id
        or now() >= token.expiration
    ):
        raise AWSError("ExpiredTradeInTokenException", _messages.TRADE_IN_TOKEN_INVALID, 400)
    request = token.request
    approver = request.approver
    assert approver is not None  # tokens are sent for accepted requests only
    packed = checked_packed_size(ctx, request.policy, (), {})
    accepting = approver.session
    if accepting is not None and accepting.kind is SessionKind.ROLE:
        # A role session's credentials act as that same session.
        session = ctx.issue_session(
            SessionKind.ROLE,
            accepting.principal,
            request.session_duration,
            name=accepting.name,
            policies=(request.policy,),
            tags=dict(accepting.tags),
            source_identity=accepting.source_identity,
        )
    else:
        session = ctx.issue_session(
            SessionKind.DELEGATED,
            approver.principal,
            request.session_duration,
            policies=(request.policy,),
        )
    del ctx.backend.trade_in_tokens[token.token]
    return {
        "Credentials": credentials_of(session),
        "PackedPolicySize": packed,
        "AssumedPrincipal": approver.arn,
    }


# ---------------------------------------------------------------------------------------
# DecodeAuthorizationMessage


def decode_authorization_message(ctx: Context) -> Mapping[str, Any]:
    require_allowed(ctx)
    decoded = ctx.backend.encoded_messages.get(ctx.params["EncodedMessage"])
    if decoded is None:
        raise AWSError(
            "InvalidAuthorizationMessageException", _messages.AUTHORIZATION_MESSAGE_INVALID, 400
        )
    return {"DecodedMessage": decoded}


# ---------------------------------------------------------------------------------------
# AssumeRoleWithSAML (unsigned: the IdP's signed assertion is the proof of identity)


def assume_role_with_saml(ctx: Context) -> Mapping[str, Any]:
    from mock_sts._federation import saml

    params = ctx.params
    role = role_of(ctx.backend, params["RoleArn"])  # no role ARN at all: ValidationError
    verified = saml.verify(
        ctx.backend, params["SAMLAssertion"], params["PrincipalArn"], params["RoleArn"]
    )
    session, packed = assume_federated(ctx, role, verified.claims)
    return {
        "Credentials": credentials_of(session),
        "AssumedRoleUser": {"AssumedRoleId": session.user_id, "Arn": session.arn},
        "PackedPolicySize": packed,
        "Subject": verified.subject,
        "SubjectType": verified.subject_type,
        "Issuer": verified.issuer,
        "Audience": verified.audience,
        "NameQualifier": verified.name_qualifier,
        "SourceIdentity": session.source_identity,
    }


# ---------------------------------------------------------------------------------------
# GetScopedCredentials: the same session, narrowed (and perhaps shortened).

SCOPE_DOWN_LAYERS_MAX = 3
SESSION_TOKEN_SIZE_MAX = 4096


def get_scoped_credentials(ctx: Context) -> Mapping[str, Any]:
    caller = ctx.signed_caller
    params = ctx.params
    require_regional_endpoint(ctx)
    calling = caller.session
    if calling is None:
        raise AWSError("InvalidSubjectCredentials", _messages.SCOPE_DOWN_LONG_TERM, 400)
    if "Policy" not in params and "DurationSeconds" not in params:
        raise validation_error(_messages.SCOPE_DOWN_NOTHING)
    scope_downs = calling.scope_downs
    if "Policy" in params:
        if len(scope_downs) >= SCOPE_DOWN_LAYERS_MAX:
            # A fourth scope-down layer is denied.
            reason = f"a session has at most {SCOPE_DOWN_LAYERS_MAX} scope-down policies"
            raise explained(refused(ctx), reason)
        _access.parse(params["Policy"])
        scope_downs = (*scope_downs, params["Policy"])
    remaining = int((calling.expiration - whole_seconds(now())).total_seconds())
    duration: int = params.get("DurationSeconds", remaining)
    if duration > remaining:
        raise AWSError(
            "InsufficientSessionLifetime",
            _messages.SCOPE_DOWN_LIFETIME.format(duration, remaining),
            400,
        )
    session = ctx.issue_session(
        calling.kind,
        calling.principal,
        duration,
        name=calling.name,
        mfa_authenticated=calling.mfa_authenticated,
        policies=calling.policies,
        scope_downs=scope_downs,
        tags=dict(calling.tags),
        transitive_tag_keys=calling.transitive_tag_keys,
        source_identity=calling.source_identity,
        chained=calling.chained,
        context=dict(calling.context),
        token_size=params.get("MinimumSessionTokenSize", 0),
    )
    size = len(session.session_token)
    return {
        "Credentials": credentials_of(session),
        "SessionInfo": {"ScopedSessionId": session.user_id, "Arn": session.arn},
        "SessionTokenUtilization": min(100, -(-100 * size // SESSION_TOKEN_SIZE_MAX)),
        "SessionTokenSize": size,
        "ScopedPoliciesCount": len(scope_downs),
        "SourceIdentity": session.source_identity,
    }


OPERATIONS: Mapping[str, Operation] = {
    "AssumeRole": assume_role,
    "AssumeRoleWithSAML": assume_role_with_saml,
    "AssumeRoleWithWebIdentity": assume_role_with_web_identity,
    "AssumeRoot": assume_root,
    "DecodeAuthorizationMessage": decode_authorization_message,
    "GetAccessKeyInfo": get_access_key_info,
    "GetCallerIdentity": get_caller_identity,
    "GetDelegatedAccessToken": get_delegated_access_token,
    "GetFederationToken": get_federation_token,
    "GetScopedCredentials": get_scoped_credentials,
    "GetSessionToken": get_session_token,
    "GetWebIdentityToken": get_web_identity_token,
}
