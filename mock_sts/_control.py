"""What ``mock-sts serve`` serves besides STS and IAM: the fake issuers' OIDC documents, and a
JSON control API that does over HTTP what the ``MockSTS`` handle does in Python.

Under ``/oidc/<issuer without https://>/.well-known/`` are ``openid-configuration`` and
``jwks`` of every issuer the mock knows (fake issuers, issuers given with ``add_jwks`` and
the accounts' GetWebIdentityToken issuers); the discovery document keeps the issuer's own
``issuer`` and points ``jwks_uri`` back at the server, so a verifier can fetch keys from it.

Under ``/_mock_sts/`` is the control API. Request and response bodies are JSON objects whose
fields are named as the handle's arguments; failures answer ``{"error": {"code",
"message"}}`` with a 4xx status (IAM's own status and code when IAM refuses). Its paths, each
with what it does, are the table ROUTES: ``mock-sts serve --help`` lists them, and so does the
404 of a path it does not serve (the README, which describes them, is not installed).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import parse_qs

from botocore.exceptions import ClientError

from mock_sts._cognito_handle import UserPool
from mock_sts._federation import oidc
from mock_sts._handles import Credentials, OIDCProvider, SAMLProvider
from mock_sts._mock import MockSTS

PREFIX = "/_mock_sts"
OIDC_PREFIX = "/oidc/"
_DISCOVERY = "/.well-known/openid-configuration"
_JWKS = "/.well-known/jwks"


@dataclass(frozen=True)
class Reply:
    status: int
    document: Mapping[str, Any]
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict)

    @property
    def body(self) -> bytes:
        return json.dumps(self.document).encode()


class RequestError(Exception):
    def __init__(self, status: int, code: str, message: str, **headers: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers

    @property
    def reply(self) -> Reply:
        return Reply(
            self.status,
            {"error": {"code": self.code, "message": self.message}},
            {name.replace("_", "-"): value for name, value in self.headers.items()},
        )


class UnknownPath(RequestError):
    """404 for a path the control API does not serve, listing those it does in ``paths``
    (the README, where they are described, is not installed with the package)."""

    def __init__(self, path: str) -> None:
        super().__init__(
            404, "NotFound", f"No control operation at {path}: paths lists what this server serves."
        )

    @property
    def reply(self) -> Reply:
        refusal = super().reply
        return Reply(refusal.status, {**refusal.document, "paths": listing()}, refusal.headers)


Fake = TypeVar("Fake")


def _made_here(fakes: Mapping[str, Fake], key: str, missing: str) -> Fake:
    """A fake identity provider made through this API, or 404 saying how to make it."""
    fake = fakes.get(key)
    if fake is None:
        raise RequestError(404, "NoSuchEntity", missing)
    return fake


def is_control_path(path: str) -> bool:
    return path == PREFIX or path.startswith((PREFIX + "/", OIDC_PREFIX))


# ---------------------------------------------------------------------------------------
# Fields of request bodies


@dataclass(frozen=True)
class Kind:
    """What a JSON field must hold, and how to turn it into the handle's argument."""

    description: str
    accepts: Callable[[Any], bool]
    convert: Callable[[Any], Any] = lambda value: value


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _object_of(accepts: Callable[[Any], bool]) -> Callable[[Any], bool]:
    return lambda value: isinstance(value, dict) and all(map(accepts, value.values()))


def _timestamp(value: Any) -> bool:
    try:
        return dt.datetime.fromisoformat(value).tzinfo is not None
    except (TypeError, ValueError):
        return False


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_policy(value: Any) -> bool:
    return isinstance(value, (dict, str))


STRING = Kind("a string", _is_str)
INTEGER = Kind("an integer", lambda value: isinstance(value, int) and not isinstance(value, bool))
BOOLEAN = Kind("true or false", lambda value: isinstance(value, bool))
STRINGS = Kind("an array of strings", _strings, tuple)
STRING_MAP = Kind("an object of strings", _object_of(_is_str))
OBJECT = Kind("an object", lambda value: isinstance(value, dict))
POLICY = Kind("a policy document (an object, or its JSON text)", _is_policy)
POLICIES = Kind("an object of policy documents by name", _object_of(_is_policy))
AUDIENCE = Kind("a string or an array of strings", lambda value: _is_str(value) or _strings(value))
ATTRIBUTES = Kind(
    "an object of strings or arrays of strings", _object_of(lambda v: _is_str(v) or _strings(v))
)
TIMESTAMP = Kind("an ISO 8601 date-time with a time zone", _timestamp, dt.datetime.fromisoformat)


# The kinds of the Python types the handle's options are declared with.
_KINDS: Mapping[object, Kind] = {
    str: STRING,
    int: INTEGER,
    Mapping[str, str]: STRING_MAP,
    Sequence[str]: STRINGS,
    dt.datetime: TIMESTAMP,
    Mapping[str, str | Sequence[str]]: ATTRIBUTES,
}


@functools.cache
def _saml_response_fields() -> Mapping[str, Kind]:
    """The optional fields of POST /saml-responses: the options of ``SAMLProvider.response``,
    as the fake IdP declares them."""
    from mock_sts._federation import saml_idp

    fields = {}
    for name, hint in typing.get_type_hints(saml_idp.ResponseOptions).items():
        # "X | None" is X here: a null field takes the default, as an omitted one does.
        if isinstance(hint, types.UnionType):
            (hint,) = (member for member in typing.get_args(hint) if member is not type(None))
        fields[name] = _KINDS[hint]
    return fields


def _fields(
    body: Mapping[str, Any],
    required: Mapping[str, Kind],
    optional: Mapping[str, Kind] | None = None,
) -> dict[str, Any]:
    """The body's fields as the handle's keyword arguments, or a RequestError saying what is
    wrong with them."""
    optional = optional or {}
    known = {**required, **optional}
    unknown = sorted(body.keys() - known.keys())
    if unknown:
        raise RequestError(
            400,
            "UnknownField",
            f"Unknown field(s) {', '.join(unknown)}; this request takes "
            f"{', '.join(sorted(known))}.",
        )
    missing = sorted(required.keys() - body.keys())
    if missing:
        raise RequestError(400, "MissingField", f"Missing field(s): {', '.join(missing)}.")
    arguments = {}
    for name, value in body.items():
        kind = known[name]
        if value is None and name in optional:
            continue
        if not kind.accepts(value):
            raise RequestError(
                400, "InvalidField", f"Field {name} must be {kind.description}, got {value!r}."
            )
        arguments[name] = kind.convert(value)
    return arguments


# ---------------------------------------------------------------------------------------
# The API


def _credentials(credentials: Credentials) -> dict[str, Any]:
    return dataclasses.asdict(credentials)


class ControlAPI:
    """The control API of one server's mock. Fake providers made through it are remembered,
    by issuer URL and ARN, to mint their tokens and responses; ``reset`` forgets them."""

    def __init__(self, mock: MockSTS) -> None:
        self.mock = mock
        self._oidc: dict[str, OIDCProvider] = {}
        self._saml: dict[str, SAMLProvider] = {}
        self._user_pools: dict[str, UserPool] = {}
        self._routes: dict[str, dict[str, Operation]] = {}
        for route in ROUTES:
            self._routes.setdefault(route.path, {})[route.method] = route.operation

    def handle(self, method: str, path: str, query: str, body: bytes, base_url: str) -> Reply:
        """Answer one request to a control or OIDC path; never raises."""
        try:
            if path.startswith(OIDC_PREFIX):
                return self._oidc_document(method, path, base_url)
            return self._control(method, path.removeprefix(PREFIX), query, body)
        except RequestError as error:
            return error.reply
        except ClientError as error:
            details = error.response["Error"]
            status = error.response["ResponseMetadata"]["HTTPStatusCode"]
            return RequestError(status, details["Code"], details["Message"]).reply
        except (TypeError, ValueError, LookupError) as error:
            return RequestError(400, "InvalidRequest", str(error)).reply
        except RecursionError:
            # Only a body nested hundreds deep gets here: Python's JSON reader and writer
            # recurse, when the body is read or when a nested field is written out again.
            return RequestError(400, "MalformedJSON", "The body nests too deeply to be read.").reply

    def _control(self, method: str, path: str, query: str, body: bytes) -> Reply:
        methods = self._routes.get(path.rstrip("/"))
        if methods is None:
            raise UnknownPath(PREFIX + path)
        operation = methods.get(method)
        if operation is None:
            allowed = ", ".join(methods)
            raise RequestError(
                405, "MethodNotAllowed", f"{PREFIX}{path} takes {allowed}.", Allow=allowed
            )
        if method == "GET":
            arguments = {name: values[-1] for name, values in parse_qs(query).items()}
        else:
            arguments = _json_object(body)
        return Reply(200, operation(self, arguments))

    # -- operations ------------------------------------------------------------------

    def _about(self, query: dict[str, Any]) -> Mapping[str, Any]:
        _fields(query, {})
        return {"account_id": self.mock.account_id, "region": self.mock.region}

    def _reset(self, body: dict[str, Any]) -> Mapping[str, Any]:
        _fields(body, {})
        self.mock.reset()
        self._oidc.clear()
        self._saml.clear()
        self._user_pools.clear()
        return {}

    def _calls(self, query: dict[str, Any]) -> Mapping[str, Any]:
        _fields(query, {})
        # JSON has no dates: when a call was made is its ISO 8601 text.
        calls = [{**dataclasses.asdict(c), "at": c.at.isoformat()} for c in self.mock.calls]
        return {"calls": calls}

    def _admin_credentials(self, query: dict[str, Any]) -> Mapping[str, Any]:
        arguments = _fields(query, {}, {"account_id": STRING})
        return _credentials(self.mock.admin_credentials(**arguments))

    def _root_credentials(self, query: dict[str, Any]) -> Mapping[str, Any]:
        arguments = _fields(query, {}, {"account_id": STRING})
        return _credentials(self.mock.root_credentials(**arguments))

    def _create_user(self, body: dict[str, Any]) -> Mapping[str, Any]:
        arguments = _fields(
            body,
            {"name": STRING},
            {
                "account_id": STRING,
                "policies": POLICIES,
                "managed_policy_arns": STRINGS,
                "path": STRING,
                "tags": STRING_MAP,
                "mfa": BOOLEAN,
            },
        )
        mfa = arguments.pop("mfa", False)
        user = self.mock.create_user(**arguments)
        created: dict[str, Any] = {
            "name": user.name,
            "arn": user.arn,
            "user_id": user.user_id,
            "credentials": _credentials(user.credentials),
        }
        if mfa:
            created["mfa_serial_number"] = user.enable_mfa().serial_number
        return created

    def _mfa_code(self, body: dict[str, Any]) -> Mapping[str, Any]:
        arguments = _fields(body, {"serial_number": STRING}, {"at": TIMESTAMP})
        serial_number = arguments["serial_number"]
        try:
            return {"code": self.mock.mfa_code(serial_number, arguments.get("at"))}
        except LookupError:
            raise RequestError(
                404, "NoSuchEntity", f"No virtual MFA device {serial_number}."
            ) from None

    def _create_role(self, body: dict[str, Any]) -> Mapping[str, Any]:
        arguments = _fields(
            body,
            {"name": STRING, "trust_policy": POLICY},
            {
                "account_id": STRING,
                "policies": POLICIES,
                "managed_policy_arns": STRINGS,
                "max_session_duration": INTEGER,
                "path": STRING,
                "permissions_boundary": STRING,
                "tags": STRING_MAP,
            },
        )
        role = self.mock.create_role(**arguments)
        return {"name": role.name, "arn": role.arn, "role_id": role.role_id}

    def _oidc_provider(self, body: dict[str, Any]) -> Mapping[str, Any]:
        arguments = _fields(
            body,
            {"url": STRING},
            {"client_ids": STRINGS, "account_id": STRING, "algorithm": STRING},
        )
        return self._remember(self.mock.oidc_provider(**arguments))

    def _builtin_provider(self, body: dict[str, Any]) -> Mapping[str, Any]:
        arguments = _fields(body, {"name": STRING}, {"algorithm": STRING})
        return self._remember(self.mock.builtin_provider(**arguments))

    def _remember(self, provider: OIDCProvider) -> Mapping[str, Any]:
        self._oidc[provider.url] = provider
        return {"url": provider.url, "arn": provider.arn, "client_ids": list(provider.client_ids)}

    def _oidc_token(self, body: dict[str, Any]) -> Mapping[str, Any]:
        arguments = _fields(
            body,
            {"url": STRING, "sub": STRING},
            {"aud": AUDIENCE, "expires_in": INTEGER, "claims": OBJECT},
        )
        provider = _made_here(
            self._oidc,
            arguments.pop("url"),
            f"No fake issuer at {body['url']}: create it with POST {PREFIX}/oidc-providers "
            f"or {PREFIX}/builtin-providers first.",
        )
        claims = arguments.pop("claims", {})
        clashing = sorted(claims.keys() & {"sub", "aud", "expires_in"})
        if clashing:
            raise RequestError(
                400,
                "InvalidField",
                f"Give {', '.join(clashing)} as field(s) of the request, not as claims.",
            )
        return {"token": provider.token(**arguments, **claims)}

    def _add_jwks(self, body: dict[str, Any]) -> Mapping[str, Any]:
        arguments = _fields(body, {"issuer_url": STRING, "jwks": OBJECT})
        self.mock.add_jwks(**arguments)
        return {}

    def _saml_provider(self, body: dict[str, Any]) -> Mapping[str, Any]:
        arguments = _fields(body, {"name": STRING}, {"account_id": STRING, "entity_id": STRING})
        provider = self.mock.saml_provider(**arguments)
        self._saml[provider.arn] = provider
        return {
            "name": provider.name,
            "arn": provider.arn,
            "entity_id": provider.entity_id,
            "metadata_xml": provider.metadata_xml,
        }

    def _saml_response(self, body: dict[str, Any]) -> Mapping[str, Any]:
        arguments = _fields(
            body,
            {"provider_arn": STRING, "role_arn": STRING, "subject": STRING},
            _saml_response_fields(),
        )
        provider = _made_here(
            self._saml,
            arguments.pop("provider_arn"),
            f"No fake SAML IdP {body['provider_arn']}: create it with POST "
            f"{PREFIX}/saml-providers first.",
        )
        role_arn = arguments.pop("role_arn")
        return {"saml_response": provider.response(role_arn, **arguments)}

    # -- Cognito ---------------------------------------------------------------------

    def _user_pool(self, body: dict[str, Any]) -> Mapping[str, Any]:
        arguments = _fields(body, {}, {"pool_id": STRING, "client_ids": STRINGS})
        pool = self.mock.user_pool(**arguments)
        self._user_pools[pool.pool_id] = pool
        return {
            "pool_id": pool.pool_id,
            "provider_name": pool.provider_name,
            "issuer": pool.issuer,
            "client_ids": list(pool.client_ids),
        }

    def _user_pool_token(self, body: dict[str, Any]) -> Mapping[str, Any]:
        arguments = _fields(
            body,
            {"pool_id": STRING, "username": STRING},
            {
                "access": BOOLEAN,
                "sub": STRING,
                "client_id": STRING,
                "groups": STRINGS,
                "roles": STRINGS,
                "preferred_role": STRING,
                "expires_in": INTEGER,
                "claims": OBJECT,
            },
        )
        pool = self._made_user_pool(arguments.pop("pool_id"))
        claims = arguments.pop("claims", {})
        clashing = sorted(claims.keys() & _USER_POOL_TOKEN_FIELDS)
        if clashing:
            raise RequestError(
                400,
                "InvalidField",
                f"Give {', '.join(clashing)} as field(s) of the request, not as claims.",
            )
        username = arguments.pop("username")
        if arguments.pop("access", False):
            only = {"sub", "client_id", "expires_in"}
            refused = sorted(arguments.keys() - only)
            if refused:
                raise RequestError(
                    400, "InvalidField", f"An access token takes no {', '.join(refused)}."
                )
            return {"token": pool.access_token(username, **arguments, **claims)}
        return {"token": pool.id_token(username, **arguments, **claims)}

    def _made_user_pool(self, pool_id: str) -> UserPool:
        return _made_here(
            self._user_pools,
            pool_id,
            f"No fake user pool {pool_id}: create it with POST {PREFIX}/user-pools first.",
        )

    def _identity_pool(self, body: dict[str, Any]) -> Mapping[str, Any]:
        arguments = _fields(
            body,
            {"name": STRING},
            {
                "user_pool_id": STRING,
                "login_providers": STRING_MAP,
                "developer_provider": STRING,
                "allow_unauthenticated": BOOLEAN,
                "authenticated_policies": POLICIES,
                "unauthenticated_policies": POLICIES,
                "account_id": STRING,
            },
        )
        user_pool_id = arguments.pop("user_pool_id", None)
        if user_pool_id is not None:
            arguments["user_pool"] = self._made_user_pool(user_pool_id)
        pool = self.mock.identity_pool(**arguments)
        guests = pool.unauthenticated_role
        return {
            "pool_id": pool.pool_id,
            "arn": pool.arn,
            "name": pool.name,
            "authenticated_role_arn": pool.authenticated_role.arn,
            "unauthenticated_role_arn": guests.arn if guests is not None else None,
        }

    # -- OIDC documents --------------------------------------------------------------

    def _oidc_document(self, method: str, path: str, base_url: str) -> Reply:
        if method != "GET":
            raise RequestError(405, "MethodNotAllowed", f"{path} takes GET.", Allow="GET")
        for suffix in (_DISCOVERY, _JWKS):
            if path.endswith(suffix):
                issuer = "https://" + path[len(OIDC_PREFIX) : -len(suffix)]
                jwks = self.mock.published_jwks(issuer)
                if jwks is None:
                    break
                if suffix == _JWKS:
                    return Reply(200, jwks)
                jwks_uri = base_url + path[: -len(suffix)] + _JWKS
                algorithms = dict.fromkeys(key["alg"] for key in jwks["keys"] if "alg" in key)
                document = oidc.discovery_document(
                    issuer, jwks_uri, list(algorithms) or ["RS256"], oidc.STANDARD_CLAIMS
                )
                return Reply(200, document)
        raise RequestError(
            404,
            "NotFound",
            f"No issuer's document at {path}: the mock serves "
            f"{OIDC_PREFIX}<issuer host and path>{_DISCOVERY} and ...{_JWKS} of the issuers it "
            "knows.",
        )


# The fields of POST /user-pool-tokens that are the token's claims too.
_USER_POOL_TOKEN_FIELDS = frozenset({"sub", "client_id", "expires_in", "username", "aud"})

Operation = Callable[[ControlAPI, dict[str, Any]], Mapping[str, Any]]


@dataclass(frozen=True)
class Route:
    """One operation of the control API: a method, a path under PREFIX, what it does."""

    method: str
    path: str
    summary: str
    operation: Operation


ROUTES = (
    Route("GET", "", "the account id and region", ControlAPI._about),
    Route(
        "POST",
        "/reset",
        "forget all accounts, keys and calls",
        ControlAPI._reset,
    ),
    Route("GET", "/calls", "the requests served, oldest first", ControlAPI._calls),
    Route(
        "GET",
        "/credentials/admin",
        "an admin user's keys (?account_id=)",
        ControlAPI._admin_credentials,
    ),
    Route(
        "GET",
        "/credentials/root",
        "a root user's keys (?account_id=)",
        ControlAPI._root_credentials,
    ),
    Route("POST", "/users", "create an IAM user with a key", ControlAPI._create_user),
    Route("POST", "/mfa-codes", "an MFA device's TOTP code", ControlAPI._mfa_code),
    Route("POST", "/roles", "create an IAM role", ControlAPI._create_role),
    Route(
        "POST",
        "/oidc-providers",
        "a fake OIDC issuer and its provider",
        ControlAPI._oidc_provider,
    ),
    Route(
        "POST",
        "/builtin-providers",
        "a fake Google or Cognito issuer",
        ControlAPI._builtin_provider,
    ),
    Route("POST", "/oidc-tokens", "a token of a fake OIDC issuer", ControlAPI._oidc_token),
    Route("POST", "/jwks", "trust an issuer's keys (a JWKS)", ControlAPI._add_jwks),
    Route(
        "POST",
        "/saml-providers",
        "a fake SAML IdP and its provider",
        ControlAPI._saml_provider,
    ),
    Route(
        "POST",
        "/saml-responses",
        "a SAML response of a fake IdP",
        ControlAPI._saml_response,
    ),
    Route("POST", "/user-pools", "a fake Cognito user pool", ControlAPI._user_pool),
    Route(
        "POST",
        "/user-pool-tokens",
        "an ID (or access) token of a fake user pool",
        ControlAPI._user_pool_token,
    ),
    Route(
        "POST",
        "/identity-pools",
        "a Cognito identity pool with its two roles",
        ControlAPI._identity_pool,
    ),
)

# The OIDC documents, served beside the control API.
_DOCUMENTS = (
    ("GET", f"{OIDC_PREFIX}<issuer host and path>{_DISCOVERY}", "an issuer's discovery document"),
    ("GET", f"{OIDC_PREFIX}<issuer host and path>{_JWKS}", "an issuer's keys (JWKS)"),
)


def listing() -> list[dict[str, str]]:
    """Every method and path served besides STS and IAM, with what it does, as the control
    API's 404 answer lists them."""
    routes = [(route.method, PREFIX + route.path, route.summary) for route in ROUTES]
    return [
        {"method": method, "path": path, "description": summary}
        for method, path, summary in (*routes, *_DOCUMENTS)
    ]


def _json_object(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        document = json.loads(body)
    except ValueError as error:
        raise RequestError(400, "MalformedJSON", f"The body is not JSON: {error}.") from None
    if not isinstance(document, dict):
        raise RequestError(400, "MalformedJSON", "The body must be a JSON object.")
    return document
