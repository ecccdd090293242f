"""MockSTS: options, start/stop, its context-manager and decorator forms, the handle API;
the stack of active mocks the interception serves from."""

from __future__ import annotations

import contextlib
import datetime
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from mock_sts import (
    _arguments,
    _calls,
    _entities,
    _identity_providers,
    _ids,
    _intercept,
    _moto,
    _state,
)
from mock_sts._activation import DEFAULT_ACCOUNT_ID as DEFAULT_ACCOUNT_ID
from mock_sts._activation import DEFAULT_REGION as DEFAULT_REGION
from mock_sts._activation import (
    check_factory_call,
    check_options,
    decorate,
    mock_environment,
    restore_environment,
)
from mock_sts._handles import (
    ACCESS_ROLE,
    Credentials,
    InstanceProfile,
    OIDCProvider,
    Organization,
    OutboundIssuer,
    Role,
    SAMLProvider,
    User,
    make_organization,
)
from mock_sts._http import SERVICES

if TYPE_CHECKING:
    from typing_extensions import Never

    from mock_sts._cognito_handle import IdentityPool, UserPool
    from mock_sts._decision import Decision
    from mock_sts._http import ClientCall, HttpRequest, HttpResponse, Served

# What enforce= takes: decide and refuse, decide and only record, leave other services alone.
Enforce = Literal[True, False, "soft"]

F = TypeVar("F", bound=Callable[..., Any])
C = TypeVar("C", bound=type)

# The only process-global state: the active mocks, innermost last. Requests are served by
# the innermost one; an inner mock has its own state and the outer one resumes intact.
_active: list[MockSTS] = []
_active_lock = threading.Lock()
# Told of each mock that starts (True) and of each mock about to stop (False, its record of
# calls still there), whichever form runs it: the pytest plugin reads a test's mocks so.
_watchers: list[Callable[[MockSTS, bool], None]] = []


def _is_active() -> bool:
    return bool(_active)


def _serve(service: str, request: HttpRequest) -> HttpResponse | None:
    """What the interception asks: the innermost active mock's answer, None without one."""
    try:
        current = _active[-1]
    except IndexError:
        return None
    return current.answer(request, service)


def _answer(call: ClientCall) -> HttpResponse | Served | None:
    """What the interception asks of a botocore request: STS, IAM and Cognito Identity are
    answered, other services' requests decided (see ``MockSTS.enforce``)."""
    try:
        current = _active[-1]
    except IndexError:
        return None
    if call.service in SERVICES:
        return current.answer(call.request, call.service)
    verdict: HttpResponse | Served | None = None
    if current.enforce is not False:
        from mock_sts import _services

        verdict = _services.authorize(
            current._partition, call, strict=current.strict, soft=current.enforce == "soft"
        )
    if verdict is None or callable(verdict):
        # On its way to whatever serves it: moto, if active, sees the mock's IAM.
        _moto.mirror(current._partitions.values())
    return verdict


class MockSTS:
    """An in-memory STS and IAM that botocore, boto3 and ``requests`` talk to while active.

    >>> with MockSTS(account_id="111111111111") as sts:
    ...     boto3.client("sts").get_caller_identity()["Account"]
    '111111111111'
    """

    def __init__(
        self,
        *,
        account_id: str = DEFAULT_ACCOUNT_ID,
        region: str = DEFAULT_REGION,
        strict: bool = False,
        set_env: bool = True,
        enforce: Enforce = True,
        **unknown: Never,
    ) -> None:
        self.account_id = account_id
        self.region = region
        self.strict = strict
        self.set_env = set_env
        # Requests to every other service signed with the mock's credentials: decided and
        # refused as AWS would (True), decided and recorded only ("soft"), or left alone.
        self.enforce: Enforce = enforce
        # The state of the mock's own partition (its region's), and of every partition a
        # request reached: each is separate, as AWS's partitions are.
        self._backend: _state.Backend | None = None
        self._partitions: dict[str, _state.Backend] = {}
        self._saved_env: dict[str, str | None] | None = None
        self._packed_size: _state.PackedSize | None = None
        self._session_patch: Any = None
        check_options("MockSTS()", unknown, self._options())

    def _options(self) -> dict[str, Any]:
        return {
            "account_id": self.account_id,
            "region": self.region,
            "strict": self.strict,
            "set_env": self.set_env,
            "enforce": self.enforce,
        }

    def __repr__(self) -> str:
        options = ", ".join(f"{k}={v!r}" for k, v in self._options().items())
        state = "active" if self._backend is not None else "inactive"
        return f"<MockSTS {state} {options}>"

    # -- lifecycle ---------------------------------------------------------------------

    def start(self) -> MockSTS:
        """Activate the mock with fresh state; ``stop()`` undoes everything."""
        if self._backend is not None:
            raise RuntimeError(f"{self!r} is already started; stop() it before starting again.")
        _intercept.install(_serve, _answer, _is_active)
        backend = self._new_backend()
        admin_key = backend.admin_key()
        assert admin_key is not None
        if self.set_env:
            self._saved_env = mock_environment(admin_key, self.region)
            self._session_patch = _intercept.default_session_patch(admin_key.access_key_id)
            if self._session_patch is not None:
                self._session_patch.start()
        self._backend = backend
        with _active_lock:
            _active.append(self)
            if len(_active) == 1:
                _intercept.activate_requests()
        for watcher in tuple(_watchers):
            watcher(self, True)
        return self

    def stop(self) -> None:
        """Deactivate the mock, restore the environment and drop its state."""
        if self._backend is None:
            raise RuntimeError(f"{self!r} is not started.")
        for watcher in tuple(_watchers):
            watcher(self, False)
        with _active_lock:
            later = _active[_active.index(self) + 1 :]
            _active.remove(self)
            if not _active:
                _intercept.deactivate_requests()
        if self._session_patch is not None:
            self._session_patch.stop()
            self._session_patch = None
        if self._saved_env is not None:
            later_saved = [mock._saved_env for mock in later if mock._saved_env is not None]
            restore_environment(self._saved_env, later_saved)
            self._saved_env = None
        _moto.withdraw(self._partitions.values())
        self._backend = None
        self._partitions = {}

    def reset(self) -> None:
        """Drop every account, key, session and recorded call, as a fresh start would, while
        the mock stays active. The built-in admin's keys are the same in every mock, so the
        environment ``set_env`` made stays valid."""
        self._require_backend()
        _moto.withdraw(self._partitions.values())
        self._backend = self._new_backend()

    def _new_backend(self) -> _state.Backend:
        backend = _state.Backend(self.account_id, self.region)
        backend.packed_size = self._packed_size
        partitions = self._partitions = {backend.partition: backend}
        # moto's services, when active, see every change of the mock's IAM at once.
        backend.lock.after_change = lambda: _moto.mirror(partitions.values())
        return backend

    def _partition(self, name: str | None) -> _state.Backend:
        """The state of a partition, made when a request first reaches it."""
        own = self._require_backend()
        if name is None or name == own.partition:
            return own
        backend = self._partitions.get(name)
        if backend is None:
            backend = _state.Backend(
                self.account_id, _ids.global_region(name), calls=own.calls, lock=own.lock
            )
            backend.packed_size = self._packed_size
            backend = self._partitions.setdefault(name, backend)
        return backend

    def __enter__(self) -> MockSTS:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    async def __aenter__(self) -> MockSTS:
        return self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    # -- decoration --------------------------------------------------------------------

    @overload
    def __call__(self, target: C) -> C: ...

    @overload
    def __call__(self, target: F) -> F: ...

    def __call__(self, target: Any) -> Any:
        """Decorate a test function, coroutine function, method or ``TestCase`` class."""
        options = self._options()
        return decorate(target, lambda: MockSTS(**options))

    # -- handle API --------------------------------------------------------------------

    def _require_backend(self) -> _state.Backend:
        if self._backend is None:
            raise RuntimeError(
                f"{self!r} is not active: use it as a decorator or context manager, or call "
                "start() first."
            )
        return self._backend

    def answer(self, request: HttpRequest, service: str | None = None) -> HttpResponse:
        """AWS's answer to one HTTP request to STS or IAM (``service``, or told from the
        request when None): what the interception and ``mock-sts serve`` do with each."""
        # The pipeline is imported with the first request, so that importing mock_sts stays
        # light.
        from mock_sts import _dispatch

        backend = self._partition(_dispatch.partition_of(request))
        return _dispatch.handle(backend, self.strict, service, request)

    @property
    def calls(self) -> Sequence[_calls.Call]:
        """Every request served (STS, IAM) or decided (other services), oldest first, with
        secrets redacted."""
        return tuple(self._require_backend().calls)

    @property
    def denials(self) -> Sequence[_calls.Call]:
        """The requests the mock refused (or, with ``enforce="soft"``, would have refused),
        oldest first; each ``reason`` says why."""
        return tuple(call for call in self._require_backend().calls if not call.allowed)

    def required_policy(self, principal: Credentials | str) -> dict[str, Any]:
        """The least-privilege identity policy for every request ``principal`` made so far,
        allowed or refused: each IAM action on each resource it was checked for.

        ``principal`` is a ``Credentials``, an access key id, a user ARN (its own calls and
        its GetSessionToken sessions'), a role ARN (every session's) or a session's ARN.

        >>> sts.required_policy(role.arn)["Statement"]
        [{'Effect': 'Allow', 'Action': 's3:GetObject', 'Resource': 'arn:aws:s3:::b/k'}]
        """
        from mock_sts import _evaluate

        backend = self._require_backend()
        return _evaluate.required_policy(backend, self._partitions.values(), principal)

    def admin_credentials(self, account_id: str | None = None) -> Credentials:
        """Keys of the account's built-in ``admin`` user (AdministratorAccess)."""
        return _entities.admin_credentials(self._require_backend(), account_id)

    def root_credentials(self, account_id: str | None = None) -> Credentials:
        """Long-term keys of the account's root user."""
        return _entities.root_credentials(self._require_backend(), account_id)

    def create_user(
        self,
        name: str,
        *,
        account_id: str | None = None,
        policies: Mapping[str, Mapping[str, Any] | str] | None = None,
        managed_policy_arns: Sequence[str] = (),
        path: str = "/",
        tags: Mapping[str, str] | None = None,
    ) -> User:
        """An IAM user with one access key, as CreateUser + PutUserPolicy/AttachUserPolicy."""
        return _entities.create_user(
            self._require_backend(),
            name,
            account_id=account_id,
            policies=policies,
            managed_policy_arns=managed_policy_arns,
            path=path,
            tags=tags,
        )

    def create_role(
        self,
        name: str,
        trust_policy: Mapping[str, Any] | str,
        *,
        account_id: str | None = None,
        policies: Mapping[str, Mapping[str, Any] | str] | None = None,
        managed_policy_arns: Sequence[str] = (),
        max_session_duration: int = 3600,
        path: str = "/",
        permissions_boundary: str | None = None,
        tags: Mapping[str, str] | None = None,
    ) -> Role:
        """A role, as CreateRole + PutRolePolicy/AttachRolePolicy."""
        return _entities.create_role(
            self._require_backend(),
            name,
            trust_policy,
            account_id=account_id,
            policies=policies,
            managed_policy_arns=managed_policy_arns,
            max_session_duration=max_session_duration,
            path=path,
            permissions_boundary=permissions_boundary,
            tags=tags,
        )

    def create_instance_profile(
        self,
        name: str,
        role: Role | str | None = None,
        *,
        path: str = "/",
        account_id: str | None = None,
    ) -> InstanceProfile:
        """An instance profile, as CreateInstanceProfile + AddRoleToInstanceProfile with
        ``role`` (a ``Role`` or a role's name) when one is given."""
        backend = self._require_backend()
        return _entities.create_instance_profile(backend, name, role, path, account_id)

    def add_aws_managed_policy(
        self,
        name: str,
        document: Mapping[str, Any] | str,
        *,
        path: str | None = None,
        version_id: str | None = None,
        description: str | None = None,
    ) -> str:
        """An AWS managed policy for this mock only, or a newer default version of a shipped
        one (which keeps its path; ``version_id`` defaults to the next number); its ARN.

        >>> arn = sts.add_aws_managed_policy("ReadOnlyAccess", document, version_id="v200")
        """
        return _entities.add_aws_managed_policy(
            self._require_backend(),
            name,
            document,
            path=path,
            version_id=version_id,
            description=description,
        )

    def saml_provider(
        self, name: str, *, account_id: str | None = None, entity_id: str | None = None
    ) -> SAMLProvider:
        """An IAM SAML provider whose metadata is the fake IdP's (as CreateSAMLProvider);
        ``provider.response(role_arn, subject=...)`` is what the IdP posts to AWS.

        >>> idp = sts.saml_provider("Corp")
        """
        backend = self._require_backend()
        return _identity_providers.saml_provider(backend, name, account_id, entity_id)

    def oidc_provider(
        self,
        url: str,
        *,
        client_ids: Sequence[str] = ("sts.amazonaws.com",),
        account_id: str | None = None,
        algorithm: str = "RS256",
    ) -> OIDCProvider:
        """An IAM OIDC provider for ``url`` and a fake issuer there that signs its tokens.

        >>> github = sts.oidc_provider("https://token.actions.githubusercontent.com")
        >>> token = github.token(sub="repo:octo/app:ref:refs/heads/main")
        """
        backend = self._require_backend()
        return _identity_providers.oidc_provider(backend, url, client_ids, account_id, algorithm)

    def builtin_provider(self, name: str, *, algorithm: str = "RS256") -> OIDCProvider:
        """The fake issuer of a built-in web identity provider that needs no IAM provider:
        ``"accounts.google.com"`` or ``"cognito-identity.amazonaws.com"``; or of
        ``"appleid.apple.com"``, whose tokens Cognito's identity pools take as logins (STS
        takes them only through an IAM OIDC provider, as AWS does).

        Trust policies name it by that host (``provider.arn``); pass ``aud`` to its tokens.
        """
        return _identity_providers.builtin_provider(self._require_backend(), name, algorithm)

    def web_access_token(
        self, provider_id: str, *, user_id: str, app_id: str, expires_in: int = 3600
    ) -> str:
        """An OAuth 2.0 access token of ``"graph.facebook.com"`` or ``"www.amazon.com"``,
        for AssumeRoleWithWebIdentity with that ``ProviderId``."""
        backend = self._require_backend()
        return _identity_providers.web_access_token(
            backend, provider_id, user_id, app_id, expires_in
        )

    def add_jwks(self, issuer_url: str, jwks: Mapping[str, Any] | str) -> None:
        """Trust the keys of an issuer the test runs itself (its IAM OIDC provider is created
        separately, e.g. with IAM CreateOpenIDConnectProvider). Keys are never fetched."""
        _identity_providers.add_jwks(self._require_backend(), issuer_url, jwks)

    @contextlib.contextmanager
    def web_identity_env(
        self, role_arn: str, token: str, *, session_name: str | None = None
    ) -> Iterator[Path]:
        """The environment of an EKS pod with IRSA: the token in a file,
        ``AWS_ROLE_ARN``, ``AWS_WEB_IDENTITY_TOKEN_FILE`` (and ``AWS_ROLE_SESSION_NAME``) set,
        static keys removed; all restored on exit. Yields the token file (rewrite it to
        rotate the token)."""
        with _identity_providers.web_identity_env(role_arn, token, session_name) as path:
            yield path

    def outbound_issuer(self, account_id: str | None = None) -> OutboundIssuer:
        """The issuer GetWebIdentityToken signs as for the account (once IAM
        EnableOutboundWebIdentityFederation ran): ``url`` and ``jwks`` to verify tokens with.

        >>> issuer = sts.outbound_issuer()
        >>> jwt.decode(token, jwt.PyJWK(issuer.jwks["keys"][0]).key, ["RS256"], audience=...)
        """
        return _identity_providers.outbound_issuer(self._require_backend(), account_id)

    def organization(
        self,
        management_account_id: str,
        member_account_ids: Sequence[str] = (),
        *,
        invited: bool = False,
        role_name: str = ACCESS_ROLE,
    ) -> Organization:
        """An organization with all features and trusted access for IAM enabled. Members are
        created accounts, each with the role ``role_name`` trusting the management account,
        unless ``invited`` (see ``Organization.add_member``).

        >>> org = sts.organization("111111111111", ["222222222222", "333333333333"])
        """
        backend = self._require_backend()
        with backend.lock:
            return make_organization(
                backend,
                management_account_id,
                member_account_ids,
                invited=invited,
                role_name=role_name,
            )

    def user_pool(self, pool_id: str | None = None, *, client_ids: Sequence[str] = ()) -> UserPool:
        """A fake Cognito user pool in the mock's region, whose ID tokens identity pools take
        as logins (``pool.id_token(username, ...)``); ``pool_id`` and the app ``client_ids``
        are made up unless given.

        >>> users = sts.user_pool()
        >>> pool = sts.identity_pool("app", user_pool=users)
        """
        from mock_sts._cognito_handle import make_user_pool

        return make_user_pool(self._require_backend(), self.region, pool_id, client_ids)

    def identity_pool(
        self,
        name: str,
        *,
        user_pool: UserPool | None = None,
        login_providers: Mapping[str, str] | None = None,
        developer_provider: str | None = None,
        allow_unauthenticated: bool = True,
        authenticated_policies: Mapping[str, Mapping[str, Any] | str] | None = None,
        unauthenticated_policies: Mapping[str, Mapping[str, Any] | str] | None = None,
        account_id: str | None = None,
    ) -> IdentityPool:
        """A Cognito identity pool in the mock's region with its two roles, as the console
        sets one up: ``Cognito_<name>Auth_Role`` (and ``Cognito_<name>Unauth_Role`` when
        guests are allowed), trusting this pool's identities only, with the given inline
        policies. The pool takes ``user_pool``'s ID tokens and ``login_providers``' (e.g.
        ``{"accounts.google.com": "<client id>"}``) as logins.

        >>> pool = sts.identity_pool("app", user_pool=users, authenticated_policies={...})
        >>> boto3.client("cognito-identity").get_id(IdentityPoolId=pool.pool_id, Logins=...)
        """
        from mock_sts._cognito_handle import make_identity_pool

        backend = self._require_backend()
        with backend.lock:
            return make_identity_pool(
                backend,
                self.create_role,
                name,
                account_id=_arguments.account_id(account_id),
                user_pool=user_pool,
                login_providers=login_providers,
                developer_provider=developer_provider,
                allow_unauthenticated=allow_unauthenticated,
                authenticated_policies=authenticated_policies,
                unauthenticated_policies=unauthenticated_policies,
            )

    def deactivate_region(self, region: str, account_id: str | None = None) -> None:
        """Deactivate STS in a region for an account: its regional endpoint then answers
        RegionDisabledException (the global endpoint still serves)."""
        if _arguments.region(region) == "us-east-1":
            raise ValueError(
                "STS cannot be deactivated in us-east-1: AWS keeps it (and the global endpoint) "
                "active for every account."
            )
        backend = self._require_backend()
        with backend.lock:
            backend.account(_arguments.account_id(account_id)).sts_disabled_regions.add(region)

    def activate_region(self, region: str, account_id: str | None = None) -> None:
        """Activate STS in a region again for an account (regions start active)."""
        backend, account_id = self._require_backend(), _arguments.account_id(account_id)
        with backend.lock:
            backend.account(account_id).sts_disabled_regions.discard(_arguments.region(region))

    def mfa_code(self, serial_number: str, at: datetime.datetime | None = None) -> str:
        """The TOTP code a virtual MFA device shows now (or at ``at``): any device, also one
        made through IAM CreateVirtualMFADevice."""
        at = _arguments.moment("at", at)
        backend = self._require_backend()
        with backend.lock:
            device = backend.mfa_device(_arguments.text("serial_number", serial_number))
        if device is None:
            raise LookupError(
                f"No virtual MFA device {serial_number!r} in this mock: pass the SerialNumber "
                "that CreateVirtualMFADevice or enable_mfa() returned."
            )
        return device.code(at)

    def published_jwks(self, issuer_url: str) -> dict[str, Any] | None:
        """The JSON Web Key Set the mock publishes for an issuer it knows (fake issuers, keys
        given with ``add_jwks``, each account's GetWebIdentityToken issuer while enabled);
        None for any other issuer."""
        return _identity_providers.published_jwks(self._require_backend(), issuer_url)

    def sent_delegation_tokens(self, delegation_request_id: str | None = None) -> list[str]:
        """The trade-in tokens SendDelegationToken sent to partners and not yet traded in,
        oldest first (only those of one delegation request when its id is given)."""
        _arguments.optional_text("delegation_request_id", delegation_request_id)
        backend = self._require_backend()
        with backend.lock:
            return [
                token.token
                for token in backend.trade_in_tokens.values()
                if delegation_request_id in (None, token.request.request_id)
            ]

    def evaluate(
        self,
        principal: Credentials | str,
        action: str,
        resource: str,
        context: Mapping[str, str | Sequence[str]] | None = None,
    ) -> Decision:
        """What a principal may do, decided as its request would be: identity policies ∩
        boundary ∩ session policies, and for sts:AssumeRole, sts:AssumeRoleWithWebIdentity,
        sts:AssumeRoleWithSAML, sts:TagSession or sts:SetSourceIdentity on a role, that
        role's trust policy too.

        ``principal`` is a ``Credentials``, an access key id, or a user or role ARN (a role
        acts as itself, with its tags as aws:PrincipalTag/*); for the web identity and SAML
        actions, also an identity provider's ARN (or built-in host, accounts.google.com),
        for the bearer of its token. A denial carries ``encoded_message``, which
        DecodeAuthorizationMessage decodes.
        """
        from mock_sts import _evaluate

        backend = self._require_backend()
        return _evaluate.evaluate(backend, self.region, principal, action, resource, context)

    def put_resource_policy(
        self, arn: str, policy: Mapping[str, Any] | str, *, account_id: str | None = None
    ) -> None:
        """Set the resource-based policy of a bucket, queue, topic, KMS key, Lambda function
        or secret, as its service's own call would; ``account_id`` owns an S3 bucket (whose
        ARN names none). A malformed document is a ``ValueError`` with IAM's message.
        """
        from mock_sts._services import _resource_policies

        _arguments.document("policy", policy)
        backend = self._partition(_resource_policies.partition_of(_arguments.text("arn", arn)))
        with backend.lock:
            _resource_policies.attach(backend.facts, arn, policy, _arguments.account_id(account_id))

    def resource_policy(self, arn: str) -> dict[str, Any] | None:
        """The resource-based policy the mock holds for ``arn`` (None: it knows none)."""
        from mock_sts._services import _resource_policies

        backend = self._partition(_resource_policies.partition_of(_arguments.text("arn", arn)))
        with backend.lock:
            return _resource_policies.policy_of(backend.facts, arn)

    @property
    def packed_policy_size(self) -> _state.PackedSize | None:
        """A function that stands in for AWS's PackedPolicySize (None: mock_sts's estimate).

        It gets the inline ``Policy`` (or None), the ``PolicyArns`` and the session tags and
        returns a percentage; above 100 the call fails with PackedPolicyTooLarge.
        """
        return self._packed_size

    @packed_policy_size.setter
    def packed_policy_size(self, estimate: _state.PackedSize | None) -> None:
        if estimate is not None and not callable(estimate):
            raise TypeError(
                "packed_policy_size must be a function of (policy, policy_arns, tags) that "
                f"returns a percentage, or None, got {_arguments.shown(estimate)}."
            )
        self._packed_size = estimate
        for backend in self._partitions.values():
            backend.packed_size = estimate


@overload
def mock_sts(target: F, /) -> F: ...


@overload
def mock_sts(
    *,
    account_id: str = DEFAULT_ACCOUNT_ID,
    region: str = DEFAULT_REGION,
    strict: bool = False,
    set_env: bool = True,
    enforce: Enforce = True,
) -> MockSTS: ...


def mock_sts(target: Any = None, /, **options: Any) -> Any:
    """Mock STS and IAM: ``@mock_sts``, ``@mock_sts(...)``, ``with mock_sts() as sts``.

    Decorates a function, coroutine function or ``unittest.TestCase`` class (each test runs
    in a fresh mock), or gives the ``MockSTS`` handle to a ``with`` or ``async with`` block.

    Options, keyword-only and the same for ``MockSTS(...)`` and the ``sts_mock`` marker:

    account_id="123456789012"
        The default account.
    region="us-east-1"
        The default region; the handle works in its partition (aws, aws-cn, aws-us-gov, ...).
    strict=False
        Unknown access keys (such as "testing") act as the default account's ``admin`` user;
        with True they fail with InvalidClientTokenId. Keys the mock issued are always
        verified.
    set_env=True
        While active, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY hold the ``admin`` user's
        keys, AWS_SESSION_TOKEN, AWS_SECURITY_TOKEN, AWS_PROFILE and AWS_DEFAULT_PROFILE are
        removed and AWS_DEFAULT_REGION is set if unset; all restored afterwards. False
        leaves the environment alone.
    enforce=True
        Requests to every other AWS service signed with credentials the mock knows are
        authorized, and refused in that service's own words; "soft" decides and records them
        but refuses none; False leaves other services alone.

    >>> @mock_sts(account_id="111111111111")
    ... def test_identity():
    ...     assert boto3.client("sts").get_caller_identity()["Account"] == "111111111111"
    """
    check_factory_call(target, options)
    mock_ = MockSTS(**options)
    return mock_ if target is None else mock_(target)
