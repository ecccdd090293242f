"""The handle's public value types: what ``MockSTS`` methods return to a test.

Each is a view of state the mock keeps (``_state``), made by the handle; their methods act
through the same IAM operations a boto3 client would call.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import secrets
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mock_sts import _arguments, _ids, _messages, _organizations, _state

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from mock_sts._federation import oidc, saml_idp
    from mock_sts._wire import AWSError


@dataclass(frozen=True)
class Credentials:
    """A set of AWS credentials: long-term keys, or temporary ones with a token and expiry."""

    access_key_id: str
    secret_access_key: str = field(repr=False)
    session_token: str | None = field(default=None, repr=False)
    expiration: dt.datetime | None = None

    def as_boto3(self) -> dict[str, str]:
        """Keyword arguments for ``boto3.client(...)`` or ``boto3.Session(...)``."""
        return self._named(("aws_access_key_id", "aws_secret_access_key", "aws_session_token"))

    def as_env(self) -> dict[str, str]:
        """The environment variables botocore's environment provider reads."""
        return self._named(("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"))

    def _named(self, names: tuple[str, str, str]) -> dict[str, str]:
        values = (self.access_key_id, self.secret_access_key, self.session_token)
        return {name: v for name, v in zip(names, values, strict=True) if v is not None}


def key_credentials(key: _state.AccessKey) -> Credentials:
    return Credentials(key.access_key_id, key.secret_access_key)


@dataclass(frozen=True)
class MFADevice:
    """A virtual MFA device enabled for a user; ``code()`` is what its app would show."""

    serial_number: str
    _device: _state.MFADevice = field(repr=False, compare=False)

    def code(self, at: dt.datetime | None = None) -> str:
        """The 6-digit TOTP code at ``at`` (default: the current, possibly travelled, time)."""
        return self._device.code(_arguments.moment("at", at))


@dataclass(frozen=True)
class User:
    """An IAM user created through the handle, with one access key."""

    name: str
    arn: str
    user_id: str
    credentials: Credentials
    _user: _state.User = field(repr=False, compare=False)

    def enable_mfa(self) -> MFADevice:
        """Create a virtual MFA device named after the user and enable it for the user."""
        account = self._user.account
        with account.backend.lock:
            name, suffix = self.name, 1
            while account.arn(f"mfa/{name}") in account.mfa_devices:
                suffix += 1
                name = f"{self.name}-{suffix}"
            # Made in the state, not through CreateVirtualMFADevice: its answer carries a QR
            # code picture that takes milliseconds to draw, and nobody would see it here.
            device = account.add_mfa_device(name)
            serial_number = device.serial_number
            # Enabled as a person would: two consecutive codes from the device.
            moment = _state.now()
            codes = {
                "AuthenticationCode1": device.code(moment - dt.timedelta(seconds=_state.TOTP_STEP)),
                "AuthenticationCode2": device.code(moment),
            }
            invoke_iam(
                account,
                "EnableMFADevice",
                {"UserName": self.name, "SerialNumber": serial_number, **codes},
            )
        return MFADevice(serial_number, device)


@dataclass(frozen=True)
class Role:
    """An IAM role created through the handle."""

    name: str
    arn: str
    role_id: str


@dataclass(frozen=True)
class InstanceProfile:
    """An IAM instance profile created through the handle, holding at most one role."""

    name: str
    arn: str
    instance_profile_id: str


@dataclass(frozen=True)
class SAMLProvider:
    """An IAM SAML provider created through the handle, with the fake IdP behind it."""

    name: str
    arn: str
    entity_id: str
    metadata_xml: str = field(repr=False)

    def response(
        self, role_arn: str, *, subject: str, **options: Unpack[saml_idp.ResponseOptions]
    ) -> str:
        """A base64 SAMLResponse signing ``subject`` in to ``role_arn``, for AssumeRoleWithSAML.

        ``options`` shape it: ``session_name`` (default: ``subject``), ``duration`` (the
        SessionDuration attribute), ``tags``, ``transitive_tag_keys``, ``source_identity``,
        ``audience`` and ``recipient`` (default: AWS's sign-in endpoint), ``not_on_or_after``
        (the assertion's end, default: in 5 minutes), ``session_not_on_or_after`` (a cap on the
        session), ``attributes`` (any attribute, name to value or values), ``name_id_format``
        and ``sign`` ("assertion", "response" or "both").

        >>> sts.assume_role_with_saml(RoleArn=role.arn, PrincipalArn=idp.arn,
        ...                           SAMLAssertion=idp.response(role.arn, subject="jdoe"))
        """
        from mock_sts._federation import saml_idp

        _arguments.text("role_arn", role_arn)
        _arguments.text("subject", subject)
        claims = saml_idp.ResponseClaims(self.entity_id, self.arn, role_arn, subject, options)
        return saml_idp.build_response(claims)


def invoke_iam(
    account: _state.Account, action: str, params: Mapping[str, Any]
) -> Mapping[str, Any]:
    """An IAM operation done by the handle for ``account``, with IAM's validation and errors.

    Failures raise botocore's ClientError, as the same call through boto3 would.
    """
    from mock_sts._dispatch import invoke
    from mock_sts._wire import AWSError

    try:
        return invoke(account.backend, "iam", action, params, _state.Caller.root_of(account))
    except AWSError as error:
        raise client_error(error, action) from None


def client_error(error: AWSError, action: str) -> Exception:
    """botocore's ClientError for an AWS error, as boto3 raises it for ``action``."""
    from botocore.exceptions import ClientError

    response = {
        "Error": {"Code": error.code, "Message": error.message, "Type": "Sender"},
        "ResponseMetadata": {"HTTPStatusCode": error.status},
    }
    error_: Exception = ClientError(response, action)
    return error_


@dataclass(frozen=True)
class OIDCProvider:
    """A fake OpenID Connect issuer, and the provider AWS trusts its tokens through.

    ``arn`` is what trust policies name as ``Principal.Federated``: the IAM OIDC provider's
    ARN, or the host of a built-in provider (``accounts.google.com``...).

    >>> provider = sts.oidc_provider("https://token.actions.githubusercontent.com")
    >>> token = provider.token(sub="repo:octo/app:ref:refs/heads/main")
    """

    url: str
    arn: str
    client_ids: tuple[str, ...]
    _issuer: oidc.Issuer = field(repr=False, compare=False)

    def token(
        self,
        sub: str,
        aud: str | Sequence[str] | None = None,
        expires_in: int = 3600,
        **claims: Any,
    ) -> str:
        """A signed ID token for ``sub``, valid from now for ``expires_in`` seconds.

        ``aud`` defaults to the first client id; ``claims`` add claims or replace the
        standard ones (``iat``, ``exp``, ``nbf`` may be datetimes).
        """
        # The claims themselves are the test's to choose, wrong ones too: STS judges them.
        _arguments.seconds("expires_in", expires_in)
        if aud is None:
            if not self.client_ids:
                raise ValueError(
                    f"{self.arn} has no client ids to default the audience to: pass aud=..."
                )
            aud = self.client_ids[0]
        issued = int(_state.now().timestamp())
        payload: dict[str, Any] = {
            "iss": self.url,
            "sub": sub,
            "aud": list(aud) if isinstance(aud, (list, tuple)) else aud,
            "iat": issued,
            "exp": issued + expires_in,
            **claims,
        }
        return self._issuer.sign(payload)

    @property
    def jwks(self) -> dict[str, Any]:
        """The issuer's JSON Web Key Set (its public signing key)."""
        return self._issuer.jwks

    @property
    def discovery_document(self) -> dict[str, Any]:
        """The issuer's ``/.well-known/openid-configuration`` document."""
        return self._issuer.discovery_document


@dataclass(frozen=True)
class OutboundIssuer:
    """The issuer GetWebIdentityToken signs as for one account: what an external service
    needs to verify the tokens (``url`` is their ``iss``, ``jwks`` their keys)."""

    url: str
    jwks: dict[str, Any] = field(repr=False)

    @property
    def discovery_document(self) -> dict[str, Any]:
        """The issuer's ``/.well-known/openid-configuration`` document."""
        from mock_sts._federation.oidc import discovery_document
        from mock_sts._federation.outbound import SIGNING_ALGORITHMS

        jwks_uri = f"{self.url}/.well-known/jwks.json"
        return discovery_document(self.url, jwks_uri, list(SIGNING_ALGORITHMS))


# The role Organizations makes in every account it creates (Organizations API Reference,
# CreateAccount, RoleName: "an IAM role that Organizations automatically preconfigures in the
# new member account. This role trusts the management account ... The role has administrator
# permissions"). Its permissions are those of the role the Organizations User Guide has one
# make by hand for an invited account, which "essentially duplicates the role automatically
# set up": AdministratorAccess attached [U: whether AWS attaches it or writes it inline].
ACCESS_ROLE = "OrganizationAccountAccessRole"
_ADMINISTRATOR_ACCESS = "policy/AdministratorAccess"


class Organization:
    """An organization of accounts: centralized root access (AssumeRoot), SCPs and RCPs.

    >>> org = sts.organization("111111111111", ["222222222222"])
    >>> org.enable_root_access()
    >>> org.attach_scp({"Version": "2012-10-17", "Statement": [...]}, "222222222222")
    'p-...'
    """

    def __init__(self, state: _organizations.Organization, backend: _state.Backend) -> None:
        self._state = state
        self._backend = backend

    def __repr__(self) -> str:
        return f"<Organization {self.id} management={self.management_account_id}>"

    @property
    def id(self) -> str:
        return self._state.organization_id

    @property
    def root_id(self) -> str:
        """The organization root's id (``r-`` and 4 characters), SCPs' and RCPs' top level."""
        return self._state.root_id

    @property
    def management_account_id(self) -> str:
        return self._state.management_account_id

    @property
    def member_account_ids(self) -> tuple[str, ...]:
        return tuple(self._state.member_account_ids)

    @property
    def delegated_administrator(self) -> str | None:
        """The member account registered as delegated administrator for IAM, if any."""
        return self._state.iam_delegated_administrator

    @property
    def iam_trusted_access(self) -> bool:
        """Whether trusted access for IAM is enabled in Organizations (True by default)."""
        return self._state.iam_trusted_access

    @iam_trusted_access.setter
    def iam_trusted_access(self, enabled: bool) -> None:
        self._state.iam_trusted_access = _arguments.flag("iam_trusted_access", enabled)

    def add_member(
        self, account_id: str, *, invited: bool = False, role_name: str = ACCESS_ROLE
    ) -> None:
        """Add ``account_id`` (it must belong to no organization) as Organizations'
        CreateAccount adds one: with the role ``role_name`` (CreateAccount's RoleName),
        AdministratorAccess, trusting the management account; or, ``invited``, as an account
        that accepted an invitation, which gets no role."""
        _arguments.flag("invited", invited)
        _arguments.text("role_name", role_name)
        with self._backend.lock:
            join_organization(self._backend, account_id)
            if not invited:
                create_access_role(self._backend, account_id, self.management_account_id, role_name)
            self._state.member_account_ids.append(account_id)

    def register_delegated_administrator(self, account_id: str) -> None:
        """Make a member account the delegated administrator for IAM."""
        if _arguments.account_id(account_id) not in self._state.member_account_ids:
            raise ValueError(
                f"Account {account_id} is not a member of {self.id}: add_member() it first."
            )
        self._state.iam_delegated_administrator = account_id

    def enable_root_access(
        self, *, credentials_management: bool = True, sessions: bool = True
    ) -> None:
        """Enable centralized root access, as the management account does through IAM."""
        self._root_access("Enable", credentials_management, sessions)

    def disable_root_access(
        self, *, credentials_management: bool = True, sessions: bool = True
    ) -> None:
        """Disable centralized root access features."""
        self._root_access("Disable", credentials_management, sessions)

    def _root_access(self, verb: str, credentials_management: bool, sessions: bool) -> None:
        _arguments.flag("credentials_management", credentials_management)
        _arguments.flag("sessions", sessions)
        account = self._backend.account(self.management_account_id)
        if credentials_management:
            invoke_iam(account, f"{verb}OrganizationsRootCredentialsManagement", {})
        if sessions:
            invoke_iam(account, f"{verb}OrganizationsRootSessions", {})

    # SCPs and RCPs. ``account_id`` None stands for the root. Failures raise ValueError with
    # Organizations' exception and text, as AttachPolicy and DetachPolicy would answer.

    def attach_scp(self, policy: Mapping[str, Any] | str, account_id: str | None = None) -> str:
        """Attach an SCP (a document, its JSON text, or the id of one of the organization's
        SCPs, such as "p-FullAWSAccess") to the root or to an account; returns its id."""
        return self._attach(_organizations.SERVICE_CONTROL_POLICY, policy, account_id)

    def detach_scp(self, policy_id: str, account_id: str | None = None) -> None:
        """Detach an SCP (FullAWSAccess too, once another SCP is attached there)."""
        self._detach(_organizations.SERVICE_CONTROL_POLICY, policy_id, account_id)

    def scps(self, account_id: str | None = None) -> tuple[str, ...]:
        """The ids of the SCPs attached to the root or to an account, oldest first."""
        return self._attached(_organizations.SERVICE_CONTROL_POLICY, account_id)

    def attach_rcp(self, policy: Mapping[str, Any] | str, account_id: str | None = None) -> str:
        """Attach an RCP (Deny statements with Principal "*") to the root or to an account;
        returns its id."""
        return self._attach(_organizations.RESOURCE_CONTROL_POLICY, policy, account_id)

    def detach_rcp(self, policy_id: str, account_id: str | None = None) -> None:
        """Detach an RCP; RCPFullAWSAccess stays attached everywhere."""
        self._detach(_organizations.RESOURCE_CONTROL_POLICY, policy_id, account_id)

    def rcps(self, account_id: str | None = None) -> tuple[str, ...]:
        """The ids of the RCPs attached to the root or to an account, oldest first."""
        return self._attached(_organizations.RESOURCE_CONTROL_POLICY, account_id)

    def policy_document(self, policy_id: str) -> str:
        """The document of one of the organization's SCPs or RCPs, as attached."""
        return self._policy(None, policy_id).document

    def _attach(
        self, policy_type: str, policy: Mapping[str, Any] | str, account_id: str | None
    ) -> str:
        with self._backend.lock:
            target = self._target(account_id)
            if isinstance(policy, str) and policy.startswith("p-"):
                control = self._policy(policy_type, policy)
            else:
                control = control_policy(policy_type, policy)
            attached = self._state.attached(policy_type, target)
            if control.policy_id in attached:
                raise ValueError(f"{_messages.ORG_DUPLICATE_ATTACHMENT} ({control.policy_id})")
            if len(attached) >= MAX_ATTACHED:
                raise ValueError(
                    f"{_messages.ORG_MAX_ATTACHMENTS} ({MAX_ATTACHED} are attached to {target}: "
                    "detach one first.)"
                )
            self._state.policies[control.policy_id] = control
            attached.append(control.policy_id)
            return control.policy_id

    def _detach(self, policy_type: str, policy_id: str, account_id: str | None) -> None:
        with self._backend.lock:
            target = self._target(account_id)
            self._policy(policy_type, policy_id)
            if policy_id == _organizations.RCP_FULL_AWS_ACCESS.policy_id:
                raise ValueError(_messages.ORG_RCP_FULL_ACCESS_FIXED)
            attached = self._state.attached(policy_type, target)
            if policy_id not in attached:
                raise ValueError(f"{_messages.ORG_NOT_ATTACHED} ({policy_id}, {target})")
            if len(attached) == 1:
                raise ValueError(
                    f"{_messages.ORG_MIN_ATTACHMENTS} (every root and account keeps one SCP: "
                    "attach another before detaching the last.)"
                )
            attached.remove(policy_id)

    def _attached(self, policy_type: str, account_id: str | None) -> tuple[str, ...]:
        with self._backend.lock:
            return tuple(self._state.attached(policy_type, self._target(account_id)))

    def _target(self, account_id: str | None) -> str:
        """The root's id for None (or the root's id), else a member's or the management
        account's id."""
        if account_id is None or account_id == self.root_id:
            return self.root_id
        if not (isinstance(account_id, str) and self._state.includes(account_id)):
            raise ValueError(
                f"{_messages.ORG_TARGET_NOT_FOUND} ({account_id!r} is neither the root "
                f"{self.root_id} nor an account of {self.id}.)"
            )
        return account_id

    def _policy(self, policy_type: str | None, policy_id: str) -> _organizations.ControlPolicy:
        control = self._state.policies.get(_arguments.text("policy_id", policy_id))
        if control is None or policy_type not in (None, control.policy_type):
            raise ValueError(f"{_messages.ORG_POLICY_NOT_FOUND} ({policy_id!r})")
        return control


# Organizations' quotas (Organizations UG, "Quotas for AWS Organizations") [D]: SCPs and RCPs
# attached to one root, OU or account, and a document's characters.
MAX_ATTACHED = 5
MAX_POLICY_SIZE = 5120


def control_policy(
    policy_type: str, document: Mapping[str, Any] | str
) -> _organizations.ControlPolicy:
    """A new SCP or RCP, validated as Organizations validates one, with a new id."""
    from mock_sts._policy import PolicyError, PolicyKind, parse_policy

    kind = "SCP" if policy_type == _organizations.SERVICE_CONTROL_POLICY else "RCP"
    text = policy_text(kind, document)
    if len(text) > MAX_POLICY_SIZE:
        raise ValueError(
            f"{_messages.ORG_POLICY_TOO_LARGE} ({MAX_POLICY_SIZE} characters at most, got "
            f"{len(text)}.)"
        )
    try:
        # SCPs follow the identity policy grammar: no Principal. An RCP's statements each
        # name Principal "*", and are otherwise read as identity policy statements.
        evaluated = text if kind == "SCP" else _without_principals(text)
        parse_policy(evaluated, PolicyKind.IDENTITY)
    except PolicyError as error:
        raise ValueError(f"{_messages.ORG_MALFORMED_POLICY} {error.message}") from None
    policy_id = "p-" + "".join(secrets.choice(_ID_CHARACTERS) for _ in range(8))
    return _organizations.ControlPolicy(policy_id, policy_type, text, evaluated)


_ID_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789"


def _without_principals(text: str) -> str:
    """An RCP's document without the Principal "*" of each statement, once the RCP grammar
    (Organizations UG, "RCP syntax") is checked: Principal "*" only, no NotPrincipal nor
    NotAction, and Deny statements only (Allow is for RCPFullAWSAccess alone). Documents
    that are no JSON object of statements, or repeat a name in an object, are left whole:
    the engine says what is wrong with them."""
    from mock_sts._policy import PolicyError

    repeated = False

    def members(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal repeated
        repeated = repeated or len({name for name, _ in pairs}) < len(pairs)
        return dict(pairs)

    try:
        document = json.loads(text, object_pairs_hook=members)
    except (ValueError, RecursionError):
        return text
    if repeated:
        return text  # a name twice in an object, which the engine refuses
    raw = document.get("Statement") if isinstance(document, dict) else None
    statements = [raw] if isinstance(raw, dict) else raw
    if not isinstance(statements, list) or not all(isinstance(s, dict) for s in statements):
        return text
    for statement in statements:
        if statement.get("Principal") != "*" or "NotPrincipal" in statement:
            raise PolicyError('Each RCP statement names Principal "*" (and no NotPrincipal).')
        if "NotAction" in statement:
            raise PolicyError("RCPs do not support NotAction: list the actions in Action.")
        if statement.get("Effect") == "Allow":
            raise PolicyError('RCPs only deny: Effect "Allow" is for RCPFullAWSAccess alone.')
        del statement["Principal"]
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False)


def join_organization(backend: _state.Backend, account_id: str) -> None:
    """Create the account for an organization; an account belongs to one organization."""
    _arguments.account_id(account_id, optional=False)
    existing = _organizations.organization_of(backend.organizations, account_id)
    if existing is not None:
        raise ValueError(
            f"Account {account_id} already belongs to organization {existing.organization_id}."
        )
    backend.account(account_id)


def create_access_role(
    backend: _state.Backend, account_id: str, management_account_id: str, role_name: str
) -> None:
    """The administrator role of a created member account, trusting the management account."""
    account = backend.account(account_id)
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:{backend.partition}:iam::{management_account_id}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    invoke_iam(
        account,
        "CreateRole",
        {"RoleName": role_name, "AssumeRolePolicyDocument": policy_text("trust", trust)},
    )
    arn = _ids.arn(backend.partition, "iam", "aws", _ADMINISTRATOR_ACCESS)
    with undone_on_error(lambda: forget(account.roles, role_name)):
        attach_policies(account, "Role", role_name, None, [arn])


def random_lower(length: int) -> str:
    """Lower-case letters and digits, as Organizations' ids end with."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(secrets.choice(alphabet) for _ in range(length))


def make_organization(
    backend: _state.Backend,
    management_account_id: str,
    member_account_ids: Sequence[str],
    *,
    invited: bool,
    role_name: str,
) -> Organization:
    """A new organization of these accounts, each in no other; its members created (with
    their access role) or ``invited``."""
    _arguments.account_id(management_account_id, "management_account_id", optional=False)
    member_account_ids = _arguments.account_ids("member_account_ids", member_account_ids)
    _arguments.flag("invited", invited)
    _arguments.text("role_name", role_name)
    accounts = [management_account_id, *member_account_ids]
    if len(set(accounts)) != len(accounts):
        raise ValueError(f"Account ids of an organization must differ, got {accounts}.")
    for account_id in accounts:
        join_organization(backend, account_id)
    state = _organizations.Organization(
        organization_id="o-" + random_lower(10),
        root_id="r-" + random_lower(4),
        management_account_id=management_account_id,
        member_account_ids=list(member_account_ids),
    )
    backend.organizations.append(state)
    with undone_on_error(lambda: backend.organizations.remove(state)):
        for account_id in () if invited else member_account_ids:
            create_access_role(backend, account_id, management_account_id, role_name)
    return Organization(state, backend)


# ---------------------------------------------------------------------------------------
# How the handle makes entities through IAM


def tag_param(tags: Mapping[str, str] | None) -> dict[str, Any]:
    """IAM's ``Tags`` parameter for the handle's ``tags`` mapping."""
    if not tags:
        return {}
    return {"Tags": [{"Key": key, "Value": value} for key, value in tags.items()]}


def attach_policies(
    account: _state.Account,
    kind: str,
    name: str,
    policies: Mapping[str, Mapping[str, Any] | str] | None,
    managed_policy_arns: Sequence[str],
) -> None:
    """Put{kind}Policy for each inline policy and Attach{kind}Policy for each ARN."""
    for policy_name, document in (policies or {}).items():
        invoke_iam(
            account,
            f"Put{kind}Policy",
            {
                f"{kind}Name": name,
                "PolicyName": policy_name,
                "PolicyDocument": policy_text(policy_name, document),
            },
        )
    for arn in managed_policy_arns:
        invoke_iam(account, f"Attach{kind}Policy", {f"{kind}Name": name, "PolicyArn": arn})


@contextlib.contextmanager
def undone_on_error(undo: Callable[[], None]) -> Iterator[None]:
    """What the handle creates in several IAM steps exists whole or not at all."""
    try:
        yield
    except BaseException:
        undo()
        raise


def forget(entities: dict[str, Any], name: str) -> None:
    """Drop a user, role or instance profile the handle made, when a later step of making it
    failed."""
    del entities[name.lower()]


def policy_text(name: str, document: Mapping[str, Any] | str) -> str:
    """A policy given to the handle (a mapping, or its JSON text) as the text IAM takes."""
    _arguments.document(name, document)
    if isinstance(document, str):
        try:
            json.loads(document)
        except ValueError as error:
            raise ValueError(f"Policy {name!r} is not valid JSON: {error}") from None
        except RecursionError:
            pass  # JSON, too deep for Python's reader: IAM's parse refuses it as AWS does
        return document
    try:
        return json.dumps(document)
    except RecursionError:
        raise ValueError(f"Policy {name!r} nests too deeply to be a policy document.") from None
