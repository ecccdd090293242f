"""MockSTS: options, start/stop, its context-manager and decorator forms, the handle API;
the stack of active mocks the interception serves from."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from mock_sts import _calls, _ids, _intercept, _moto, _state
from mock_sts._activation import (
    check_factory_call,
    check_options,
    decorate,
    own_boto3_default_session,
    set_environment,
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
    account_option,
    attach_policies,
    client_error,
    forget,
    invoke_iam,
    key_credentials,
    make_organization,
    policy_text,
    tag_param,
    undone_on_error,
)
from mock_sts._wire import SERVICES

if TYPE_CHECKING:
    import datetime as dt

    from mock_sts._cognito_handle import IdentityPool, UserPool
    from mock_sts._decision import Decision
    from mock_sts._wire import ClientCall, HttpRequest, HttpResponse, Served

DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_REGION = "us-east-1"

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
    ) -> None:
        check_options(
            account_id=account_id, region=region, strict=strict, set_env=set_env, enforce=enforce
        )
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
            env: dict[str, str | None] = {
                "AWS_ACCESS_KEY_ID": admin_key.access_key_id,
                "AWS_SECRET_ACCESS_KEY": admin_key.secret_access_key,
                "AWS_SESSION_TOKEN": None,
                "AWS_SECURITY_TOKEN": None,
                # A profile would take precedence in botocore's credential chain: a developer's
                # real one must not sign, nor a missing one fail every client with
                # ProfileNotFound.
                "AWS_PROFILE": None,
                "AWS_DEFAULT_PROFILE": None,
            }
            if "AWS_DEFAULT_REGION" not in os.environ:
                env["AWS_DEFAULT_REGION"] = self.region
            self._saved_env = set_environment(env)
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
            # Stopped before a mock started after it (mocks stopped in the order they were
            # started): the environment is that mock's until it stops, and then what this
            # one found, as if they had stopped in turn.
            heirs = [mock._saved_env for mock in later if mock._saved_env is not None]
            if heirs:
                heirs[0].update(self._saved_env)
            else:
                set_environment(self._saved_env)
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
        from mock_sts._services import _required

        backend = self._require_backend()
        key_id = principal.access_key_id if isinstance(principal, Credentials) else principal
        with backend.lock:
            # Keys of every partition the mock reached, whose calls share one record.
            found = (b.credential(key_id) for b in self._partitions.values())
            credential = next((c for c in found if c is not None), None)
            arn = key_id if credential is None else _state.Caller.signed_with(credential).arn
            return _required.required_policy(backend.calls, arn)

    def admin_credentials(self, account_id: str | None = None) -> Credentials:
        """Keys of the account's built-in ``admin`` user (AdministratorAccess)."""
        account_id = account_option(account_id)
        key = self._require_backend().admin_key(account_id)
        if key is None:
            raise LookupError(
                f"Account {account_id or self.account_id} has no admin user with an access "
                "key any more (it was deleted through IAM)."
            )
        return key_credentials(key)

    def root_credentials(self, account_id: str | None = None) -> Credentials:
        """Long-term keys of the account's root user."""
        backend = self._require_backend()
        return key_credentials(backend.root_access_key(account_option(account_id)))

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
        backend = self._require_backend()
        params: dict[str, Any] = {"UserName": name, "Path": path, **tag_param(tags)}
        with backend.lock:
            account = backend.account(account_option(account_id))
            created = invoke_iam(account, "CreateUser", params)["User"]
            with undone_on_error(lambda: forget(account.users, name)):
                attach_policies(account, "User", name, policies, managed_policy_arns)
                key = invoke_iam(account, "CreateAccessKey", {"UserName": name})["AccessKey"]
            user = account.users[name.lower()]
        credentials = Credentials(key["AccessKeyId"], key["SecretAccessKey"])
        return User(created["UserName"], created["Arn"], created["UserId"], credentials, user)

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
        backend = self._require_backend()
        params: dict[str, Any] = {
            "RoleName": name,
            "AssumeRolePolicyDocument": policy_text("trust_policy", trust_policy),
            "MaxSessionDuration": max_session_duration,
            "Path": path,
            **tag_param(tags),
        }
        if permissions_boundary is not None:
            params["PermissionsBoundary"] = permissions_boundary
        with backend.lock:
            account = backend.account(account_option(account_id))
            created = invoke_iam(account, "CreateRole", params)["Role"]
            with undone_on_error(lambda: forget(account.roles, name)):
                attach_policies(account, "Role", name, policies, managed_policy_arns)
        return Role(created["RoleName"], created["Arn"], created["RoleId"])

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
        role_name = role.name if isinstance(role, Role) else role
        params = {"InstanceProfileName": name, "Path": path}
        with backend.lock:
            account = backend.account(account_option(account_id))
            created = invoke_iam(account, "CreateInstanceProfile", params)["InstanceProfile"]
            if role_name is not None:
                with undone_on_error(lambda: forget(account.instance_profiles, name)):
                    added = {"InstanceProfileName": name, "RoleName": role_name}
                    invoke_iam(account, "AddRoleToInstanceProfile", added)
        return InstanceProfile(name, created["Arn"], created["InstanceProfileId"])

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
        from mock_sts import _access, _aws_policies, _managed
        from mock_sts._wire import AWSError

        backend = self._require_backend()
        _aws_policies.check_addition(name, path, version_id, description)
        text = document if isinstance(document, str) else json.dumps(document)
        try:
            _access.parse(text)  # as IAM checks a policy it stores
        except AWSError as error:
            raise client_error(error, "CreatePolicy") from None
        with backend.lock:
            return _managed.add_aws_policy(
                backend, name, text, path=path, version_id=version_id, description=description
            ).arn

    def saml_provider(
        self, name: str, *, account_id: str | None = None, entity_id: str | None = None
    ) -> SAMLProvider:
        """An IAM SAML provider whose metadata is the fake IdP's (as CreateSAMLProvider);
        ``provider.response(role_arn, subject=...)`` is what the IdP posts to AWS.

        >>> idp = sts.saml_provider("Corp")
        """
        from mock_sts._federation import saml_idp

        backend = self._require_backend()
        entity_id = entity_id or f"https://idp.mock-sts.test/saml/{name}"
        metadata = saml_idp.metadata_xml(entity_id)
        params = {"Name": name, "SAMLMetadataDocument": metadata}
        with backend.lock:
            account = backend.account(account_option(account_id))
            created = invoke_iam(account, "CreateSAMLProvider", params)
        return SAMLProvider(name, created["SAMLProviderArn"], entity_id, metadata)

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
        from mock_sts._federation import oidc

        backend = self._require_backend()
        if not isinstance(url, str):
            raise TypeError(f"url must be the issuer's https:// URL as a string, got {url!r}.")
        if isinstance(client_ids, str):
            raise TypeError(
                f"client_ids must be a sequence of client ids, such as ({client_ids!r},), not "
                "a string."
            )
        _check_algorithm(algorithm)
        with backend.lock:
            account = backend.account(account_option(account_id))
            issuer = oidc.issuer_for(backend, url, algorithm)
            params = {"Url": url, "ClientIDList": list(client_ids)}
            created = invoke_iam(account, "CreateOpenIDConnectProvider", params)
            oidc.add_keys(backend, url, [issuer.jwk])
        arn = created["OpenIDConnectProviderArn"]
        return OIDCProvider(url, arn, tuple(dict.fromkeys(client_ids)), issuer)

    def builtin_provider(self, name: str, *, algorithm: str = "RS256") -> OIDCProvider:
        """The fake issuer of a built-in web identity provider that needs no IAM provider:
        ``"accounts.google.com"`` or ``"cognito-identity.amazonaws.com"``.

        Trust policies name it by that host (``provider.arn``); pass ``aud`` to its tokens.
        """
        from mock_sts._federation import oidc

        backend = self._require_backend()
        if name not in (oidc.GOOGLE, oidc.COGNITO):
            raise ValueError(
                f"builtin_provider() knows {oidc.GOOGLE!r} and {oidc.COGNITO!r}, not {name!r}. "
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
        self, provider_id: str, *, user_id: str, app_id: str, expires_in: int = 3600
    ) -> str:
        """An OAuth 2.0 access token of ``"graph.facebook.com"`` or ``"www.amazon.com"``,
        for AssumeRoleWithWebIdentity with that ``ProviderId``."""
        from mock_sts._federation import oidc

        backend = self._require_backend()
        if provider_id not in oidc.ACCESS_TOKEN_PROVIDERS:
            raise ValueError(
                f"provider_id must be one of {', '.join(map(repr, oidc.ACCESS_TOKEN_PROVIDERS))}"
                f" (the providers whose access tokens STS takes), got {provider_id!r}."
            )
        with backend.lock:
            return oidc.mint_access_token(backend, provider_id, user_id, app_id, expires_in)

    def add_jwks(self, issuer_url: str, jwks: Mapping[str, Any] | str) -> None:
        """Trust the keys of an issuer the test runs itself (its IAM OIDC provider is created
        separately, e.g. with IAM CreateOpenIDConnectProvider). Keys are never fetched."""
        from mock_sts._federation import oidc

        backend = self._require_backend()
        if not isinstance(issuer_url, str) or not issuer_url.startswith("https://"):
            raise ValueError(
                "issuer_url must be the issuer's https:// URL, exactly as its tokens' iss claim "
                f"has it, got {issuer_url!r}."
            )
        keys = oidc.check_jwks(jwks)
        with backend.lock:
            oidc.add_keys(backend, issuer_url, keys)

    @contextlib.contextmanager
    def web_identity_env(
        self, role_arn: str, token: str, *, session_name: str | None = None
    ) -> Iterator[Path]:
        """The environment of an EKS pod with IRSA: the token in a file,
        ``AWS_ROLE_ARN``, ``AWS_WEB_IDENTITY_TOKEN_FILE`` (and ``AWS_ROLE_SESSION_NAME``) set,
        static keys removed; all restored on exit. Yields the token file (rewrite it to
        rotate the token)."""
        import tempfile

        for argument, value in (("role_arn", role_arn), ("token", token)):
            if not isinstance(value, str):
                raise TypeError(f"{argument} must be a string, got {value!r}.")
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

    def outbound_issuer(self, account_id: str | None = None) -> OutboundIssuer:
        """The issuer GetWebIdentityToken signs as for the account (once IAM
        EnableOutboundWebIdentityFederation ran): ``url`` and ``jwks`` to verify tokens with.

        >>> issuer = sts.outbound_issuer()
        >>> jwt.decode(token, jwt.PyJWK(issuer.jwks["keys"][0]).key, ["RS256"], audience=...)
        """
        from mock_sts._federation import outbound

        backend = self._require_backend()
        account = backend.account(account_option(account_id))
        federation = account.outbound_federation
        if federation is None:
            raise LookupError(
                f"Account {account.account_id} never enabled outbound identity federation: "
                "call IAM EnableOutboundWebIdentityFederation first."
            )
        return OutboundIssuer(federation.issuer, outbound.jwks_of(federation))

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
                account_id=account_option(account_id),
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
        if region == "us-east-1":
            raise ValueError(
                "STS cannot be deactivated in us-east-1: AWS keeps it (and the global endpoint) "
                "active for every account."
            )
        backend = self._require_backend()
        with backend.lock:
            backend.account(account_id).sts_disabled_regions.add(region)

    def activate_region(self, region: str, account_id: str | None = None) -> None:
        """Activate STS in a region again for an account (regions start active)."""
        backend = self._require_backend()
        with backend.lock:
            backend.account(account_id).sts_disabled_regions.discard(region)

    def mfa_code(self, serial_number: str, at: dt.datetime | None = None) -> str:
        """The TOTP code a virtual MFA device shows now (or at ``at``): any device, also one
        made through IAM CreateVirtualMFADevice."""
        backend = self._require_backend()
        with backend.lock:
            device = backend.mfa_device(serial_number)
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
        from mock_sts._federation import outbound

        jwks = outbound.published_jwks(self._require_backend(), issuer_url)
        return None if jwks is None else dict(jwks)

    def sent_delegation_tokens(self, delegation_request_id: str | None = None) -> list[str]:
        """The trade-in tokens SendDelegationToken sent to partners and not yet traded in,
        oldest first (only those of one delegation request when its id is given)."""
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

        backend = self._partition(_resource_policies.partition_of(arn))
        with backend.lock:
            _resource_policies.attach(backend.facts, arn, policy, account_id)

    def resource_policy(self, arn: str) -> dict[str, Any] | None:
        """The resource-based policy the mock holds for ``arn`` (None: it knows none)."""
        from mock_sts._services import _resource_policies

        backend = self._partition(_resource_policies.partition_of(arn))
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
        self._packed_size = estimate
        for backend in self._partitions.values():
            backend.packed_size = estimate


def _check_algorithm(algorithm: str) -> None:
    from mock_sts._federation.oidc import ALGORITHMS

    if algorithm not in ALGORITHMS:
        raise ValueError(
            f"algorithm must be one of {', '.join(ALGORITHMS)} (what STS accepts), got "
            f"{algorithm!r}."
        )


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
