"""Accounts, their IAM entities and the sessions STS issued. No wire knowledge here."""

from __future__ import annotations

import base64
import datetime as dt
import enum
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mock_sts import _ids
from mock_sts._calls import Call
from mock_sts._identity_pools import IdentityPools
from mock_sts._lock import StateLock
from mock_sts._user_credentials import CredentialReport, OtherCredentials

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.twofactor.totp import TOTP

    from mock_sts._account_properties import AccountProperties
    from mock_sts._certificates import ServerCertificate
    from mock_sts._last_accessed import OrganizationsReport, ServiceReport
    from mock_sts._organizations import Organization
    from mock_sts._passwords import LoginProfile, PasswordPolicy
    from mock_sts._policy import ConditionValue
    from mock_sts._providers import (
        OIDCProvider,
        OutboundFederation,
        SAMLProvider,
        WebAccessToken,
    )
    from mock_sts._service_linked import DeletionTask

# A PackedPolicySize estimate: (inline policy, policy ARNs, session tags) -> percent.
PackedSize = Callable[[str | None, Sequence[str], Mapping[str, str]], int]

ADMINISTRATOR_ACCESS = "AdministratorAccess"
ADMIN_USER_NAME = "admin"
TOTP_STEP = 30


def now() -> dt.datetime:
    """The current time, read at each call so that time-machine and freezegun move it."""
    return dt.datetime.now(dt.timezone.utc)


def whole_seconds(moment: dt.datetime) -> dt.datetime:
    return moment.replace(microsecond=0)


class KeyStatus(str, enum.Enum):
    ACTIVE = "Active"
    INACTIVE = "Inactive"


@dataclass(eq=False)
class AccessKey:
    """Long-term keys of an IAM user or of an account's root user."""

    access_key_id: str
    secret_access_key: str
    owner: User | Root
    create_date: dt.datetime
    status: KeyStatus = KeyStatus.ACTIVE
    last_used: dt.datetime | None = None
    last_used_service: str | None = None
    last_used_region: str | None = None


@dataclass(eq=False)
class MFADevice:
    """A virtual MFA device: a TOTP seed, enabled for at most one user."""

    account: Account
    name: str
    path: str
    seed: bytes
    create_date: dt.datetime
    user: User | None = None
    enable_date: dt.datetime | None = None
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def serial_number(self) -> str:
        return self.account.arn(f"mfa{self.path}{self.name}")

    @property
    def base32_seed(self) -> str:
        return base64.b32encode(self.seed).decode()

    def code(self, at: dt.datetime | None = None) -> str:
        """The TOTP code the device shows at ``at`` (default: now)."""
        moment = (at or now()).timestamp()
        return _totp(self.seed).generate(moment).decode()

    def accepts(self, code: str) -> bool:
        """Whether ``code`` is the code of the current 30-second step or of a neighbour."""
        moment = now().timestamp()
        totp = _totp(self.seed)
        return any(
            secrets.compare_digest(code.encode(), totp.generate(moment + shift * TOTP_STEP))
            for shift in (0, -1, 1)
        )

    def accepts_consecutive(self, first: str, second: str) -> bool:
        """Whether two codes are those of consecutive steps, as EnableMFADevice requires."""
        totp = _totp(self.seed)
        moment = now().timestamp()
        for back in range(3):
            start = moment - back * TOTP_STEP
            if secrets.compare_digest(first.encode(), totp.generate(start - TOTP_STEP)) and (
                secrets.compare_digest(second.encode(), totp.generate(start))
            ):
                return True
        return False


def _totp(seed: bytes) -> TOTP:
    from cryptography.hazmat.primitives.hashes import SHA1
    from cryptography.hazmat.primitives.twofactor.totp import TOTP

    return TOTP(seed, 6, SHA1(), TOTP_STEP, enforce_key_length=False)


@dataclass(eq=False)
class Root:
    """An account's root user."""

    account: Account
    access_keys: dict[str, AccessKey] = field(default_factory=dict)
    others: OtherCredentials = field(default_factory=OtherCredentials)  # signing certificates

    @property
    def arn(self) -> str:
        return self.account.arn("root")

    @property
    def user_id(self) -> str:
        return self.account.account_id

    @property
    def account_id(self) -> str:
        return self.account.account_id

    @property
    def mfa_devices(self) -> list[MFADevice]:
        # IAM enables virtual MFA devices for IAM users only; root's MFA is set up in the
        # console, which this mock does not model.
        return []


@dataclass(eq=False)
class User:
    account: Account
    name: str
    path: str
    user_id: str
    create_date: dt.datetime
    tags: dict[str, str] = field(default_factory=dict)
    permissions_boundary: str | None = None
    attached_policies: list[str] = field(default_factory=list)
    inline_policies: dict[str, str] = field(default_factory=dict)
    access_keys: dict[str, AccessKey] = field(default_factory=dict)
    login_profile: LoginProfile | None = None  # a console password
    others: OtherCredentials = field(default_factory=OtherCredentials)  # SSH keys, certificates

    @property
    def arn(self) -> str:
        return self.account.arn(f"user{self.path}{self.name}")

    @property
    def account_id(self) -> str:
        return self.account.account_id

    @property
    def mfa_devices(self) -> list[MFADevice]:
        return [d for d in self.account.mfa_devices.values() if d.user is self]

    @property
    def groups(self) -> list[Group]:
        return [g for g in self.account.groups.values() if self in g.users]


@dataclass(eq=False)
class Role:
    account: Account
    name: str
    path: str
    role_id: str
    create_date: dt.datetime
    trust: TrustPolicy
    description: str | None = None
    max_session_duration: int = 3600
    tags: dict[str, str] = field(default_factory=dict)
    permissions_boundary: str | None = None
    attached_policies: list[str] = field(default_factory=list)
    inline_policies: dict[str, str] = field(default_factory=dict)
    last_used: dt.datetime | None = None
    last_used_region: str | None = None
    linked_service: str | None = None  # a service-linked role's service principal
    source_template: tuple[str, int] | None = None  # AcquireRole's template ARN and minor

    @property
    def arn(self) -> str:
        return self.account.arn(f"role{self.path}{self.name}")

    @property
    def account_id(self) -> str:
        return self.account.account_id

    @property
    def exists(self) -> bool:
        """Whether the role is still in its account (sessions outlive a deleted role)."""
        return self.account.roles.get(self.name.lower()) is self


@dataclass(eq=False)
class InstanceProfile:
    """An EC2 instance profile: the holder of the one role an instance acts as."""

    account: Account
    name: str
    path: str
    instance_profile_id: str
    create_date: dt.datetime
    role: Role | None = None
    tags: dict[str, str] = field(default_factory=dict)

    @property
    def arn(self) -> str:
        return self.account.arn(f"instance-profile{self.path}{self.name}")


@dataclass(frozen=True)
class TrustPolicy:
    """A role's trust policy as IAM keeps it: the text as given, and the user and role ARNs
    it names resolved to those entities' unique ids (so a recreated entity is not trusted)."""

    text: str
    resolved: Mapping[str, str]  # principal ARN as written -> unique id at save time


@dataclass(eq=False)
class Group:
    account: Account
    name: str
    path: str
    group_id: str
    create_date: dt.datetime
    users: list[User] = field(default_factory=list)
    attached_policies: list[str] = field(default_factory=list)
    inline_policies: dict[str, str] = field(default_factory=dict)

    @property
    def arn(self) -> str:
        return self.account.arn(f"group{self.path}{self.name}")


@dataclass(eq=False)
class PolicyVersion:
    version_id: str
    document: str
    create_date: dt.datetime


@dataclass(eq=False)
class ManagedPolicy:
    """A customer managed policy (``account`` set) or an AWS managed one (``account`` None)."""

    arn: str
    name: str
    path: str
    policy_id: str
    create_date: dt.datetime
    versions: dict[str, PolicyVersion]
    default_version_id: str
    account: Account | None = None
    description: str | None = None
    tags: dict[str, str] = field(default_factory=dict)
    next_version: int = 2
    update_date: dt.datetime | None = None

    @property
    def document(self) -> str:
        return self.versions[self.default_version_id].document


class SessionKind(enum.Enum):
    SESSION_TOKEN = "GetSessionToken"
    ROLE = "AssumeRole"
    FEDERATED = "GetFederationToken"
    ROOT = "AssumeRoot"
    DELEGATED = "GetDelegatedAccessToken"  # a user's or root's, traded in by a partner


@dataclass(eq=False, slots=True)
class Session:
    """Temporary credentials STS issued, and who they act as.

    ``principal`` is the user or root behind GetSessionToken and GetFederationToken
    sessions, and the role behind role sessions; ``name`` is the role session name or the
    federated user's name.
    """

    kind: SessionKind
    principal: User | Root | Role
    access_key_id: str
    secret_access_key: str
    session_token: str
    issued: dt.datetime
    expiration: dt.datetime
    mfa_authenticated: dt.datetime | None = None
    name: str = ""
    policies: tuple[str, ...] = ()  # session policy documents, inline and managed
    # GetScopedCredentials layers: each one narrows the session again (all must allow).
    scope_downs: tuple[str, ...] = ()
    tags: dict[str, str] = field(default_factory=dict)  # the session's principal tags
    transitive_tag_keys: frozenset[str] = frozenset()  # lower-cased keys
    source_identity: str | None = None
    chained: bool = False
    # Issued by the global endpoint as a version 1 token: valid only in regions enabled by
    # default.
    global_v1: bool = False
    # Condition keys that later requests of the session carry (saml:sub, <provider>:sub...).
    context: dict[str, ConditionValue] = field(default_factory=dict)

    @property
    def arn(self) -> str:
        principal = self.principal
        if self.kind is SessionKind.ROLE:
            assert isinstance(principal, Role)
            return _ids.arn(
                principal.account.partition,
                "sts",
                principal.account_id,
                f"assumed-role/{principal.name}/{self.name}",
            )
        if self.kind is SessionKind.FEDERATED:
            return _ids.arn(
                principal.account.partition,
                "sts",
                principal.account_id,
                f"federated-user/{self.name}",
            )
        return principal.arn

    @property
    def user_id(self) -> str:
        principal = self.principal
        if isinstance(principal, Role):
            return f"{principal.role_id}:{self.name}"
        if self.kind is SessionKind.FEDERATED:
            return f"{principal.account_id}:{self.name}"
        return principal.user_id


Credential = AccessKey | Session


@dataclass(frozen=True)
class Caller:
    """Who a request acts as: an IAM user, an account's root or a role, and the credentials
    it was signed with (None when the handle acts for the principal itself)."""

    principal: User | Root | Role
    credential: Credential | None = None

    @classmethod
    def signed_with(cls, credential: Credential) -> Caller:
        """The caller behind long-term keys or STS-issued temporary credentials."""
        if isinstance(credential, AccessKey):
            return cls(credential.owner, credential)
        return cls(credential.principal, credential)

    @classmethod
    def root_of(cls, account: Account) -> Caller:
        """The account's root user, as the handle acts for the account: no key is involved."""
        return cls(account.root)

    @classmethod
    def itself(cls, entity: User | Role) -> Caller:
        """A user or role acting with no session: what its own policies grant."""
        return cls(entity)

    @property
    def session(self) -> Session | None:
        credential = self.credential
        return credential if isinstance(credential, Session) else None

    @property
    def arn(self) -> str:
        session = self.session
        return session.arn if session is not None else self.principal.arn

    @property
    def user_id(self) -> str:
        session = self.session
        return session.user_id if session is not None else self.principal_id

    @property
    def principal_id(self) -> str:
        """The unique id of the user, role or root user that signs, whatever the session."""
        principal = self.principal
        return principal.role_id if isinstance(principal, Role) else principal.user_id

    @property
    def account_id(self) -> str:
        return self.principal.account_id


class Account:
    """One AWS account: its root user and IAM entities."""

    def __init__(self, backend: Backend, account_id: str) -> None:
        self.backend = backend
        self.account_id = account_id
        self.partition = backend.partition
        self.created = whole_seconds(now())
        self.root = Root(self)
        # Names are unique per account regardless of case; keys are the lower-cased names.
        self.users: dict[str, User] = {}
        self.roles: dict[str, Role] = {}
        self.groups: dict[str, Group] = {}
        self.instance_profiles: dict[str, InstanceProfile] = {}
        self.policies: dict[str, ManagedPolicy] = {}  # customer managed, by lower-cased name
        self.oidc_providers: dict[str, OIDCProvider] = {}  # by URL without https://
        self.saml_providers: dict[str, SAMLProvider] = {}  # by name
        self.outbound_federation: OutboundFederation | None = None
        self.mfa_devices: dict[str, MFADevice] = {}
        # Regions where the account deactivated STS (us-east-1 never is), and the version of
        # the tokens the global endpoint issues (SetSecurityTokenServicePreferences).
        self.sts_disabled_regions: set[str] = set()
        self.global_endpoint_token_version = "v1Token"
        self.alias: str | None = None
        self.password_policy: PasswordPolicy | None = None  # None: AWS's default one
        self.credential_report: CredentialReport | None = None
        self.server_certificates: dict[str, ServerCertificate] = {}  # by lower-cased name
        self.properties: AccountProperties | None = None  # None: none was ever put

    def arn(self, resource: str) -> str:
        return _ids.arn(self.partition, "iam", self.account_id, resource)

    def user(self, name: str) -> User | None:
        return self.users.get(name.lower())

    def role(self, name: str) -> Role | None:
        return self.roles.get(name.lower())

    def group(self, name: str) -> Group | None:
        return self.groups.get(name.lower())

    def instance_profile(self, name: str) -> InstanceProfile | None:
        return self.instance_profiles.get(name.lower())

    def entity_with_id(self, unique_id: str) -> User | Role | None:
        """The user or role whose unique id this is, if it still exists."""
        for user in self.users.values():
            if user.user_id == unique_id:
                return user
        for role in self.roles.values():
            if role.role_id == unique_id:
                return role
        return None

    def add_user(
        self,
        name: str,
        *,
        path: str = "/",
        tags: dict[str, str] | None = None,
        permissions_boundary: str | None = None,
    ) -> User:
        user = User(
            account=self,
            name=name,
            path=path,
            user_id=_ids.new_id("AIDA", self.account_id, 17),
            create_date=whole_seconds(now()),
            tags=dict(tags or {}),
            permissions_boundary=permissions_boundary,
        )
        self.users[name.lower()] = user
        return user

    def add_mfa_device(
        self, name: str, *, path: str = "/", tags: dict[str, str] | None = None
    ) -> MFADevice:
        device = MFADevice(
            account=self,
            name=name,
            path=path,
            seed=secrets.token_bytes(40),
            create_date=whole_seconds(now()),
            tags=dict(tags or {}),
        )
        self.mfa_devices[device.serial_number] = device
        return device

    def add_role(
        self,
        name: str,
        trust: TrustPolicy,
        *,
        path: str = "/",
        description: str | None = None,
        max_session_duration: int = 3600,
        tags: dict[str, str] | None = None,
        permissions_boundary: str | None = None,
    ) -> Role:
        role = Role(
            account=self,
            name=name,
            path=path,
            role_id=_ids.new_id("AROA", self.account_id, 17),
            create_date=whole_seconds(now()),
            trust=trust,
            description=description,
            max_session_duration=max_session_duration,
            tags=dict(tags or {}),
            permissions_boundary=permissions_boundary,
        )
        self.roles[name.lower()] = role
        return role

    def add_group(self, name: str, *, path: str = "/") -> Group:
        group = Group(
            account=self,
            name=name,
            path=path,
            group_id=_ids.new_id("AGPA", self.account_id, 17),
            create_date=whole_seconds(now()),
        )
        self.groups[name.lower()] = group
        return group

    def add_policy(
        self,
        name: str,
        document: str,
        *,
        path: str = "/",
        description: str | None = None,
        tags: dict[str, str] | None = None,
    ) -> ManagedPolicy:
        """A customer managed policy whose first version, v1, is ``document``."""
        created = whole_seconds(now())
        policy = ManagedPolicy(
            arn=self.arn(f"policy{path}{name}"),
            name=name,
            path=path,
            policy_id=_ids.new_id("ANPA", self.account_id, 17),
            create_date=created,
            versions={"v1": PolicyVersion("v1", document, created)},
            default_version_id="v1",
            account=self,
            description=description,
            tags=dict(tags or {}),
            update_date=created,
        )
        self.policies[name.lower()] = policy
        return policy


@dataclass
class ServiceFacts:
    """What the mock knows of other services' resources: learned from the requests it let
    through and the answers they got, or set through the handle."""

    # The account that owns a resource whose ARN does not say (S3 buckets), by ARN.
    owners: dict[str, str] = field(default_factory=dict)
    # Full ARNs of resources requests may name otherwise (a secret by its name, a KMS key
    # by an alias), by (IAM prefix, region, account, the name used).
    arns: dict[tuple[str, str, str, str], str] = field(default_factory=dict)
    # Resource-based policies (bucket, queue, topic, key policies...), by resource ARN.
    policies: dict[str, str] = field(default_factory=dict)
    # Tags of resources, for aws:ResourceTag, by resource ARN.
    tags: dict[str, dict[str, str]] = field(default_factory=dict)
    # The partition key attribute of DynamoDB tables, for dynamodb:LeadingKeys, by table ARN.
    partition_keys: dict[str, str] = field(default_factory=dict)


class Backend:
    """One partition's state in an active mock: its accounts, keys and sessions.

    Partitions are separate, as in AWS: a key one issued is unknown to the others. The
    partitions of one mock share its record of calls and its lock.
    """

    def __init__(
        self,
        default_account_id: str,
        region: str,
        *,
        calls: list[Call] | None = None,
        lock: StateLock | None = None,
    ) -> None:
        self.default_account_id = default_account_id
        self.region = region
        self.partition = _ids.partition_name(region)
        self.accounts: dict[str, Account] = {}
        self.access_keys: dict[str, AccessKey] = {}
        self.sessions: dict[str, Session] = {}
        # Ids of keys that existed and were deleted: they stay invalid, even when unknown
        # keys are otherwise accepted.
        self.retired_keys: set[str] = set()
        self.unknown_keys_seen: set[str] = set()  # unknown keys acting as admin, told once
        self.calls: list[Call] = [] if calls is None else calls
        # Authorization messages the mock encoded, for DecodeAuthorizationMessage.
        self.encoded_messages: dict[str, str] = {}
        # Signing keys (JWKS documents) of OIDC issuers, by issuer URL: the fake issuers'
        # own, and those a test registers for an issuer it runs. Nothing is ever fetched.
        self.issuer_keys: dict[str, dict[str, Any]] = {}
        # OAuth access tokens of the built-in web identity providers, by token.
        self.web_access_tokens: dict[str, WebAccessToken] = {}
        self.organizations: list[Organization] = []
        self.lock = StateLock() if lock is None else lock
        # The PackedPolicySize estimate, when a test sets its own (see MockSTS).
        self.packed_size: PackedSize | None = None
        # IAM delegation requests by id, and the trade-in tokens SendDelegationToken sent to
        # the partners that filed them, by token.
        self.delegation_requests: dict[str, DelegationRequest] = {}
        self.trade_in_tokens: dict[str, TradeInToken] = {}
        # IAM's last accessed report jobs, by job id.
        self.access_reports: dict[str, ServiceReport | OrganizationsReport] = {}
        self.deletion_tasks: dict[str, DeletionTask] = {}  # DeleteServiceLinkedRole's, by id
        # AWS managed policies a test added to this mock, by name: beside the shipped ones,
        # or in place of the shipped one of that name.
        self.aws_policies: dict[str, ManagedPolicy] = {}
        # What the mock learned of other services' resources from requests it let through.
        self.facts = ServiceFacts()
        self.identity_pools = IdentityPools()  # Cognito's, with their identities

    def account(self, account_id: str | None = None) -> Account:
        """The account, created with its root and ``admin`` users on first use."""
        account_id = account_id or self.default_account_id
        with self.lock:
            account = self.accounts.get(account_id)
            if account is None:
                account = Account(self, account_id)
                self.accounts[account_id] = account
                admin = account.add_user(ADMIN_USER_NAME)
                policy = _ids.arn(self.partition, "iam", "aws", f"policy/{ADMINISTRATOR_ACCESS}")
                admin.attached_policies.append(policy)
                # The admin's key is the same in every mock, so credentials that boto3's
                # default session resolved from the environment in one test stay valid in
                # the next; each partition's is its own.
                self.add_access_key(admin, seed=f"mock_sts admin {self.partition} {account_id}")
            return account

    def add_access_key(self, owner: User | Root, *, seed: str | None = None) -> AccessKey:
        key = AccessKey(
            access_key_id=_ids.new_id("AKIA", owner.account_id, seed=seed),
            secret_access_key=_ids.new_secret(seed=seed),
            owner=owner,
            create_date=whole_seconds(now()),
        )
        owner.access_keys[key.access_key_id] = key
        self.access_keys[key.access_key_id] = key
        return key

    def remove_access_key(self, key: AccessKey) -> None:
        del key.owner.access_keys[key.access_key_id]
        del self.access_keys[key.access_key_id]
        self.retired_keys.add(key.access_key_id)

    def root_access_key(self, account_id: str | None = None) -> AccessKey:
        root = self.account(account_id).root
        with self.lock:
            if not root.access_keys:
                return self.add_access_key(root)
            return next(iter(root.access_keys.values()))

    def add_session(
        self, kind: SessionKind, principal: User | Root | Role, duration: int, **attributes: Any
    ) -> Session:
        """New temporary credentials, valid from now (whole seconds) for ``duration``."""
        issued = whole_seconds(now())
        session = Session(
            kind=kind,
            principal=principal,
            access_key_id=_ids.new_id("ASIA", principal.account_id),
            secret_access_key=_ids.new_secret(),
            session_token=_ids.new_session_token(attributes.pop("token_size", 0)),
            issued=issued,
            expiration=issued + dt.timedelta(seconds=duration),
            **attributes,
        )
        self.sessions[session.access_key_id] = session
        return session

    def admin_key(self, account_id: str | None = None) -> AccessKey | None:
        """The first key of the account's ``admin`` user (unknown keys stand for the default
        account's when the mock is not strict), or None once IAM deleted it."""
        admin = self.account(account_id).user(ADMIN_USER_NAME)
        if admin is None or not admin.access_keys:
            return None
        return next(iter(admin.access_keys.values()))

    def record_use(self, key: AccessKey, service: str, region: str) -> None:
        key.last_used = whole_seconds(now())
        key.last_used_service = service
        key.last_used_region = region

    def mfa_device(self, serial_number: str) -> MFADevice | None:
        """The virtual MFA device of any account with this serial number (its ARN)."""
        for account in self.accounts.values():
            device = account.mfa_devices.get(serial_number)
            if device is not None:
                return device
        return None

    def credential(self, access_key_id: str) -> Credential | None:
        return self.access_keys.get(access_key_id) or self.sessions.get(access_key_id)


DELEGATION_REQUEST_LIFETIME = dt.timedelta(days=7)
TRADE_IN_TOKEN_LIFETIME = dt.timedelta(minutes=10)


@dataclass(eq=False)
class DelegationRequest:
    """A partner's request for temporary access to an account (IAM temporary delegation)."""

    request_id: str
    requestor_id: str  # the partner's account
    description: str
    template_arn: str
    parameters: list[dict[str, Any]]
    policy: str  # the permission policy the template resolves to
    workflow_id: str
    notification_channel: str
    session_duration: int
    create_date: dt.datetime
    owner_account_id: str | None = None
    request_message: str | None = None
    redirect_url: str | None = None
    only_send_by_owner: bool = False
    owner_id: str | None = None
    approver: Caller | None = None  # who accepted: the credentials carry their identity
    state: str = "UNASSIGNED"
    notes: str | None = None
    rejection_reason: str | None = None
    updated: dt.datetime | None = None

    @property
    def expiration(self) -> dt.datetime:
        return self.create_date + DELEGATION_REQUEST_LIFETIME


@dataclass(frozen=True)
class TradeInToken:
    """A token SendDelegationToken sent to the partner, for GetDelegatedAccessToken."""

    token: str
    request: DelegationRequest
    expiration: dt.datetime
