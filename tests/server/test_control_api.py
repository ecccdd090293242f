"""``mock-sts serve``'s JSON control API and the OIDC documents it serves, over raw HTTP.

The server runs in a thread of this process; its control API and OIDC documents are driven
with ``http.client`` and ``urllib`` (which mock_sts never intercepts). boto3 clients in this
process are answered by the same mock before they reach the socket: one state, two views.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
from collections.abc import Iterator
from typing import Any

import boto3
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from mock_sts import MockSTS
from tests.helpers import aws_error, client, serving
from tests.helpers.web_identity import web_trust

GITHUB = "https://token.actions.githubusercontent.com"
SUB = "repo:octo/app:ref:refs/heads/main"
ADMIN = "arn:aws:iam::123456789012:user/admin"
ADMIN_GRANT = "allowed by policy arn:aws:iam::aws:policy/AdministratorAccess attached to user admin"


class Server:
    def __init__(self, port: int, mock: MockSTS) -> None:
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.mock = mock

    def request(
        self, method: str, path: str, body: Any = None, raw: bytes | None = None
    ) -> tuple[int, Any, http.client.HTTPResponse]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        headers = {"Content-Type": "application/json"} if data is not None else {}
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        document = json.loads(response.read())
        connection.close()
        assert response.getheader("Content-Type") == "application/json"
        return response.status, document, response

    def ok(self, method: str, path: str, body: Any = None) -> Any:
        status, document, _ = self.request(method, path, body)
        assert status == 200, document
        return document

    def error(self, method: str, path: str, body: Any = None) -> tuple[int, str]:
        status, document, _ = self.request(method, path, body)
        return status, document["error"]["code"]


@pytest.fixture
def served() -> Iterator[Server]:
    with MockSTS(set_env=False) as mock, serving(mock) as httpd:
        yield Server(httpd.server_port, mock)


TESTING_KEYS = {"AccessKeyId": "testing", "SecretAccessKey": "testing"}


def sub_pinned_trust(provider_arn: str, host: str) -> dict[str, Any]:
    """A web identity trust policy that pins the token's subject to SUB."""
    return web_trust(provider_arn, {"StringEquals": {f"{host}:sub": SUB}})


def verify_through_server(served: Server, issuer: str, token: str, audience: str) -> Any:
    """Check ``token`` as a relying party would: discovery document, then keys, from the
    server."""
    path = "/oidc/" + issuer.removeprefix("https://") + "/.well-known/openid-configuration"
    discovery = served.ok("GET", path)
    assert discovery["issuer"] == issuer
    keys = jwt.PyJWKClient(discovery["jwks_uri"], cache_keys=False)
    key = keys.get_signing_key_from_jwt(token)
    algorithms = discovery["id_token_signing_alg_values_supported"]
    return jwt.decode(token, key.key, algorithms, audience=audience, issuer=issuer)


# ---------------------------------------------------------------------------------------
# Flows


def test_about(served: Server) -> None:
    assert served.ok("GET", "/_mock_sts") == {"account_id": "123456789012", "region": "us-east-1"}
    assert served.ok("GET", "/_mock_sts/") == served.ok("GET", "/_mock_sts")


def test_github_actions_flow(served: Server) -> None:
    provider = served.ok("POST", "/_mock_sts/oidc-providers", {"url": GITHUB})
    assert provider == {
        "url": GITHUB,
        "arn": "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
        "client_ids": ["sts.amazonaws.com"],
    }
    trust = sub_pinned_trust(provider["arn"], "token.actions.githubusercontent.com")
    role = served.ok("POST", "/_mock_sts/roles", {"name": "deploy", "trust_policy": trust})
    assert role["arn"] == "arn:aws:iam::123456789012:role/deploy"
    assert role["role_id"].startswith("AROA")
    minted = served.ok("POST", "/_mock_sts/oidc-tokens", {"url": GITHUB, "sub": SUB})
    claims = verify_through_server(served, GITHUB, minted["token"], "sts.amazonaws.com")
    assert claims["sub"] == SUB
    assumed = client("sts", TESTING_KEYS).assume_role_with_web_identity(
        RoleArn=role["arn"], RoleSessionName="ci", WebIdentityToken=minted["token"]
    )
    assert assumed["SubjectFromWebIdentityToken"] == SUB
    other = served.ok(
        "POST", "/_mock_sts/oidc-tokens", {"url": GITHUB, "sub": "repo:evil/app:ref:x"}
    )
    denied = aws_error(
        lambda: client("sts", TESTING_KEYS).assume_role_with_web_identity(
            RoleArn=role["arn"], RoleSessionName="ci", WebIdentityToken=other["token"]
        )
    )
    assert denied[0] == "AccessDenied"


def test_token_options(served: Server) -> None:
    served.ok(
        "POST",
        "/_mock_sts/oidc-providers",
        {"url": GITHUB, "client_ids": ["a", "b"], "algorithm": "ES256", "account_id": None},
    )
    minted = served.ok(
        "POST",
        "/_mock_sts/oidc-tokens",
        {
            "url": GITHUB,
            "sub": SUB,
            "aud": ["b"],
            "expires_in": 60,
            "claims": {"repository": "octo/app", "iat": 1_700_000_000},
        },
    )
    header = jwt.get_unverified_header(minted["token"])
    assert header["alg"] == "ES256"
    claims = jwt.decode(minted["token"], options={"verify_signature": False})
    assert claims["aud"] == ["b"]
    assert claims["repository"] == "octo/app"
    assert claims["iat"] == 1_700_000_000
    assert claims["exp"] - 60 > 1_700_000_000


def test_builtin_provider(served: Server) -> None:
    google = served.ok("POST", "/_mock_sts/builtin-providers", {"name": "accounts.google.com"})
    assert google == {
        "url": "https://accounts.google.com",
        "arn": "accounts.google.com",
        "client_ids": [],
    }
    minted = served.ok(
        "POST",
        "/_mock_sts/oidc-tokens",
        {"url": "https://accounts.google.com", "sub": "1234", "aud": "app.example"},
    )
    claims = verify_through_server(
        served, "https://accounts.google.com", minted["token"], "app.example"
    )
    assert claims["sub"] == "1234"


def test_saml_flow(served: Server) -> None:
    idp = served.ok("POST", "/_mock_sts/saml-providers", {"name": "Corp"})
    assert idp["arn"] == "arn:aws:iam::123456789012:saml-provider/Corp"
    assert idp["entity_id"] == "https://idp.mock-sts.test/saml/Corp"
    assert (
        "<md:EntityDescriptor" in idp["metadata_xml"] or "EntityDescriptor" in idp["metadata_xml"]
    )
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Federated": idp["arn"]},
                "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
                "Condition": {"StringEquals": {"SAML:aud": "https://signin.aws.amazon.com/saml"}},
            }
        ],
    }
    role = served.ok("POST", "/_mock_sts/roles", {"name": "sso", "trust_policy": json.dumps(trust)})
    expires = (dt.datetime.now(dt.timezone.utc) + dt.timedelta(minutes=2)).isoformat()
    minted = served.ok(
        "POST",
        "/_mock_sts/saml-responses",
        {
            "provider_arn": idp["arn"],
            "role_arn": role["arn"],
            "subject": "jdoe",
            "session_name": "jdoe@example.com",
            "tags": {"team": "red"},
            "attributes": {"department": ["eng", "ops"]},
            "not_on_or_after": expires,
        },
    )
    assumed = client("sts", TESTING_KEYS).assume_role_with_saml(
        RoleArn=role["arn"], PrincipalArn=idp["arn"], SAMLAssertion=minted["saml_response"]
    )
    assert assumed["AssumedRoleUser"]["Arn"].endswith(":assumed-role/sso/jdoe@example.com")
    assert assumed["Subject"] == "jdoe"


def test_users_mfa_and_codes(served: Server) -> None:
    user = served.ok(
        "POST",
        "/_mock_sts/users",
        {
            "name": "alice",
            "mfa": True,
            "tags": {"team": "red"},
            "policies": {
                "sts": {
                    "Statement": [{"Effect": "Allow", "Action": "sts:*", "Resource": "*"}],
                    "Version": "2012-10-17",
                }
            },
            "path": "/people/",
        },
    )
    assert user["arn"] == "arn:aws:iam::123456789012:user/people/alice"
    assert user["credentials"]["session_token"] is None
    assert user["credentials"]["expiration"] is None
    serial = user["mfa_serial_number"]
    assert serial == "arn:aws:iam::123456789012:mfa/alice"
    code = served.ok("POST", "/_mock_sts/mfa-codes", {"serial_number": serial})["code"]
    keys = user["credentials"]
    client = boto3.client(
        "sts",
        region_name="us-east-1",
        aws_access_key_id=keys["access_key_id"],
        aws_secret_access_key=keys["secret_access_key"],
    )
    session = client.get_session_token(SerialNumber=serial, TokenCode=code)["Credentials"]
    assert session["SessionToken"]
    plain = served.ok("POST", "/_mock_sts/users", {"name": "bob", "mfa": False})
    assert "mfa_serial_number" not in plain
    # Codes at a given moment: the same within one 30-second step, another in the next.
    start = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    at = [start + dt.timedelta(seconds=s) for s in (0, 29, 30)]
    codes = [
        served.ok(
            "POST", "/_mock_sts/mfa-codes", {"serial_number": serial, "at": moment.isoformat()}
        )["code"]
        for moment in at
    ]
    assert codes[0] == codes[1] != codes[2]


def test_role_options(served: Server) -> None:
    trust = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"AWS": ADMIN}, "Action": "sts:AssumeRole"}],
    }
    role = served.ok(
        "POST",
        "/_mock_sts/roles",
        {
            "name": "ops",
            "trust_policy": trust,
            "account_id": "111111111111",
            "managed_policy_arns": ["arn:aws:iam::aws:policy/IAMReadOnlyAccess"],
            "max_session_duration": 7200,
            "path": "/team/",
            "tags": {"env": "test"},
        },
    )
    assert role["arn"] == "arn:aws:iam::111111111111:role/team/ops"


def test_credentials(served: Server) -> None:
    admin = served.ok("GET", "/_mock_sts/credentials/admin")
    other = served.ok("GET", "/_mock_sts/credentials/admin?account_id=111111111111")
    root = served.ok("GET", "/_mock_sts/credentials/root?account_id=111111111111")
    assert admin["access_key_id"] != other["access_key_id"] != root["access_key_id"]
    for keys, arn in (
        (admin, ADMIN),
        (other, "arn:aws:iam::111111111111:user/admin"),
        (root, "arn:aws:iam::111111111111:root"),
    ):
        client = boto3.client(
            "sts",
            region_name="us-east-1",
            aws_access_key_id=keys["access_key_id"],
            aws_secret_access_key=keys["secret_access_key"],
        )
        assert client.get_caller_identity()["Arn"] == arn
    assert served.error("GET", "/_mock_sts/credentials/root?account_id=12") == (
        400,
        "InvalidRequest",
    )


def test_calls(served: Server) -> None:
    client("sts", TESTING_KEYS).get_caller_identity()
    aws_error(lambda: client("iam", TESTING_KEYS).get_role(RoleName="missing"))
    calls = served.ok("GET", "/_mock_sts/calls")["calls"]
    # When each was made, in ISO 8601; where and by whom (the admin user's unique id).
    moments = [dt.datetime.fromisoformat(call.pop("at")) for call in calls]
    assert moments == sorted(moments)
    assert all(moment.tzinfo is not None for moment in moments)
    assert [(call.pop("region"), call.pop("principal_id")[:4]) for call in calls] == [
        ("us-east-1", "AIDA"),
        ("us-east-1", "AIDA"),
    ]
    assert calls == [
        {
            "service": "sts",
            "action": "GetCallerIdentity",
            "params": {},
            "caller_arn": ADMIN,
            "status": 200,
            "error_code": None,
            "checks": [],
            "checked": True,
            "allowed": True,
            "reason": "",
        },
        {
            "service": "iam",
            "action": "GetRole",
            "params": {"RoleName": "missing"},
            "caller_arn": ADMIN,
            "status": 404,
            "error_code": "NoSuchEntity",
            "checks": [
                {
                    "action": "iam:GetRole",
                    "resource": "arn:aws:iam::123456789012:role/missing",
                    "allowed": True,
                    "reason": ADMIN_GRANT,
                }
            ],
            "checked": True,
            "allowed": True,
            "reason": ADMIN_GRANT,
        },
    ]


def test_add_jwks_for_an_issuer_the_test_runs(served: Server) -> None:
    issuer = "https://issuer.example.com/tenant"
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(private.public_key()))
    public.update(kid="own", alg="RS256")
    arn = client("iam", TESTING_KEYS).create_open_id_connect_provider(
        Url=issuer, ClientIDList=["app"]
    )["OpenIDConnectProviderArn"]
    assert (
        served.ok("POST", "/_mock_sts/jwks", {"issuer_url": issuer, "jwks": {"keys": [public]}})
        == {}
    )
    role = served.ok(
        "POST",
        "/_mock_sts/roles",
        {"name": "own", "trust_policy": sub_pinned_trust(arn, "issuer.example.com/tenant")},
    )
    now = int(dt.datetime.now(dt.timezone.utc).timestamp())
    token = jwt.encode(
        {"iss": issuer, "sub": SUB, "aud": "app", "iat": now, "exp": now + 300},
        private,
        "RS256",
        headers={"kid": "own"},
    )
    assert verify_through_server(served, issuer, token, "app")["sub"] == SUB
    assumed = client("sts", TESTING_KEYS).assume_role_with_web_identity(
        RoleArn=role["arn"], RoleSessionName="own", WebIdentityToken=token
    )
    assert assumed["Audience"] == "app"


def test_outbound_issuer_documents(served: Server) -> None:
    client("iam", TESTING_KEYS).enable_outbound_web_identity_federation()
    issuer = served.mock.outbound_issuer().url
    token = client("sts", TESTING_KEYS).get_web_identity_token(
        Audience=["https://api.example.com"], SigningAlgorithm="ES384"
    )["WebIdentityToken"]
    claims = verify_through_server(served, issuer, token, "https://api.example.com")
    assert claims["sub"] == ADMIN
    discovery = served.ok(
        "GET", "/oidc/" + issuer.removeprefix("https://") + "/.well-known/openid-configuration"
    )
    assert discovery["id_token_signing_alg_values_supported"] == ["RS256", "ES384"]
    client("iam", TESTING_KEYS).disable_outbound_web_identity_federation()
    path = "/oidc/" + issuer.removeprefix("https://") + "/.well-known/jwks"
    assert served.error("GET", path) == (404, "NotFound")


def test_reset(served: Server) -> None:
    served.ok("POST", "/_mock_sts/users", {"name": "alice"})
    served.ok("POST", "/_mock_sts/oidc-providers", {"url": GITHUB})
    idp = served.ok("POST", "/_mock_sts/saml-providers", {"name": "Corp"})
    client("sts", TESTING_KEYS).get_caller_identity()
    admin = served.ok("GET", "/_mock_sts/credentials/admin")
    assert served.ok("POST", "/_mock_sts/reset") == {}
    assert served.ok("GET", "/_mock_sts/calls") == {"calls": []}
    assert (
        aws_error(lambda: client("iam", TESTING_KEYS).get_user(UserName="alice"))[0]
        == "NoSuchEntity"
    )
    assert served.error("POST", "/_mock_sts/oidc-tokens", {"url": GITHUB, "sub": "x"}) == (
        404,
        "NoSuchEntity",
    )
    saml = {
        "provider_arn": idp["arn"],
        "role_arn": "arn:aws:iam::123456789012:role/r",
        "subject": "x",
    }
    assert served.error("POST", "/_mock_sts/saml-responses", saml) == (404, "NoSuchEntity")
    path = "/oidc/token.actions.githubusercontent.com/.well-known/jwks"
    assert served.error("GET", path) == (404, "NotFound")
    # The built-in admin keeps its keys, so clients configured before the reset still work.
    assert served.ok("GET", "/_mock_sts/credentials/admin") == admin


def test_reset_needs_an_active_mock() -> None:
    mock = MockSTS(set_env=False)
    with pytest.raises(RuntimeError, match="not active"):
        mock.reset()


# ---------------------------------------------------------------------------------------
# Refusals


@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    [
        ("GET", "/_mock_sts/nothing", None, (404, "NotFound")),
        ("POST", "/_mock_sts/calls", None, (405, "MethodNotAllowed")),
        ("PUT", "/_mock_sts/users", {"name": "a"}, (405, "MethodNotAllowed")),
        ("GET", "/_mock_sts/calls?limit=3", None, (400, "UnknownField")),
        ("POST", "/_mock_sts/users", {}, (400, "MissingField")),
        ("POST", "/_mock_sts/users", {"name": "a", "role": "x"}, (400, "UnknownField")),
        ("POST", "/_mock_sts/users", {"name": 3}, (400, "InvalidField")),
        ("POST", "/_mock_sts/users", {"name": "a", "mfa": "yes"}, (400, "InvalidField")),
        ("POST", "/_mock_sts/users", {"name": "a", "tags": {"k": 1}}, (400, "InvalidField")),
        ("POST", "/_mock_sts/users", {"name": "a", "tags": ["k"]}, (400, "InvalidField")),
        (
            "POST",
            "/_mock_sts/users",
            {"name": "a", "managed_policy_arns": [1]},
            (400, "InvalidField"),
        ),
        ("POST", "/_mock_sts/users", {"name": "a", "policies": {"p": 1}}, (400, "InvalidField")),
        ("POST", "/_mock_sts/users", {"name": "a b"}, (400, "ValidationError")),
        ("POST", "/_mock_sts/users", {"name": "admin"}, (409, "EntityAlreadyExists")),
        ("POST", "/_mock_sts/roles", {"name": "r", "trust_policy": 5}, (400, "InvalidField")),
        ("POST", "/_mock_sts/roles", {"name": "r", "trust_policy": "{"}, (400, "InvalidRequest")),
        (
            "POST",
            "/_mock_sts/roles",
            {"name": "r", "trust_policy": {}, "max_session_duration": True},
            (400, "InvalidField"),
        ),
        (
            "POST",
            "/_mock_sts/roles",
            {"name": "r", "trust_policy": {"Statement": []}},
            (400, "MalformedPolicyDocument"),
        ),
        (
            "POST",
            "/_mock_sts/oidc-providers",
            {"url": GITHUB, "algorithm": "HS256"},
            (400, "InvalidRequest"),
        ),
        (
            "POST",
            "/_mock_sts/oidc-providers",
            {"url": "http://plain.example"},
            (400, "ValidationError"),
        ),
        ("POST", "/_mock_sts/builtin-providers", {"name": "example.com"}, (400, "InvalidRequest")),
        ("POST", "/_mock_sts/oidc-tokens", {"url": GITHUB, "sub": "x"}, (404, "NoSuchEntity")),
        (
            "POST",
            "/_mock_sts/oidc-tokens",
            {"url": GITHUB, "sub": "x", "aud": [1]},
            (400, "InvalidField"),
        ),
        (
            "POST",
            "/_mock_sts/jwks",
            {"issuer_url": "https://i.example", "jwks": {"keys": 1}},
            (400, "InvalidRequest"),
        ),
        (
            "POST",
            "/_mock_sts/saml-responses",
            {"provider_arn": "a", "role_arn": "r", "subject": "s", "attributes": {"a": [1]}},
            (400, "InvalidField"),
        ),
        (
            "POST",
            "/_mock_sts/saml-responses",
            {
                "provider_arn": "a",
                "role_arn": "r",
                "subject": "s",
                "not_on_or_after": "2026-01-01T00:00:00",
            },
            (400, "InvalidField"),
        ),
        (
            "POST",
            "/_mock_sts/saml-responses",
            {"provider_arn": "a", "role_arn": "r", "subject": "s", "not_on_or_after": "soon"},
            (400, "InvalidField"),
        ),
        (
            "POST",
            "/_mock_sts/mfa-codes",
            {"serial_number": "arn:aws:iam::123456789012:mfa/none"},
            (404, "NoSuchEntity"),
        ),
        (
            "POST",
            "/oidc/token.actions.githubusercontent.com/.well-known/jwks",
            None,
            (405, "MethodNotAllowed"),
        ),
        (
            "GET",
            "/oidc/token.actions.githubusercontent.com/.well-known/jwks",
            None,
            (404, "NotFound"),
        ),
        ("GET", "/oidc/token.actions.githubusercontent.com/keys", None, (404, "NotFound")),
    ],
)
def test_refusals(served: Server, method: str, path: str, body: Any, expected: Any) -> None:
    assert served.error(method, path, body) == expected


def test_an_unknown_path_lists_the_paths_served(served: Server) -> None:
    # The README is not installed with the package: the answer itself says what there is.
    status, document, _ = served.request("GET", "/_mock_sts/user")

    assert status == 404
    assert document["error"] == {
        "code": "NotFound",
        "message": "No control operation at /_mock_sts/user: paths lists what this server serves.",
    }
    listed = {(entry["method"], entry["path"]): entry["description"] for entry in document["paths"]}
    assert listed[("POST", "/_mock_sts/users")] == "create an IAM user with a key"
    assert listed[("GET", "/_mock_sts/calls")] == "the requests served, oldest first"
    assert listed[("GET", "/oidc/<issuer host and path>/.well-known/jwks")] == (
        "an issuer's keys (JWKS)"
    )
    assert all(description for description in listed.values())
    # Every control path listed is served with the method listed (an empty body is at worst
    # a 400 naming the fields it lacks), and the ones not listed are not.
    control = [key for key in listed if key[1].startswith("/_mock_sts")]
    assert len(control) == 17
    for method, path in control:
        assert served.request(method, path, {} if method == "POST" else None)[0] in (200, 400)
    assert served.error("GET", "/_mock_sts/roles") == (405, "MethodNotAllowed")


def test_method_not_allowed_names_the_allowed_ones(served: Server) -> None:
    status, _, response = served.request("DELETE", "/_mock_sts/users")
    assert (status, response.getheader("Allow")) == (405, "POST")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"{", "The body is not JSON"),
        (b"[1, 2]", "The body must be a JSON object."),
        (b"\xff\xfe", "The body is not JSON"),
    ],
)
def test_malformed_bodies(served: Server, raw: bytes, message: str) -> None:
    status, document, _ = served.request("POST", "/_mock_sts/users", raw=raw)
    assert status == 400
    assert document["error"]["code"] == "MalformedJSON"
    assert document["error"]["message"].startswith(message)


POST_PATHS = (
    "/_mock_sts/reset",
    "/_mock_sts/users",
    "/_mock_sts/mfa-codes",
    "/_mock_sts/roles",
    "/_mock_sts/oidc-providers",
    "/_mock_sts/builtin-providers",
    "/_mock_sts/oidc-tokens",
    "/_mock_sts/jwks",
    "/_mock_sts/saml-providers",
    "/_mock_sts/saml-responses",
)
TOO_DEEP = {"code": "MalformedJSON", "message": "The body nests too deeply to be read."}


@pytest.mark.parametrize(
    "raw",
    [b"[" * 1_000 + b"]" * 1_000, b'{"a":' * 1_000 + b"1" + b"}" * 1_000, b"[" * 100_000],
    ids=["arrays", "objects", "unclosed"],
)
@pytest.mark.parametrize("path", POST_PATHS)
def test_a_body_a_thousand_levels_deep(served: Server, path: str, raw: bytes) -> None:
    status, document, _ = served.request("POST", path, raw=raw)
    assert (status, document["error"]) == (400, TOO_DEEP)


def nested(depth: int, leaf: str) -> str:
    """JSON text of ``leaf`` in ``depth`` arrays (written by hand: json.dumps recurses)."""
    return "[" * depth + leaf + "]" * depth


@pytest.mark.parametrize("depth", range(900, 1_000, 10))
def test_a_deep_field_never_fails_the_server(served: Server, depth: int) -> None:
    # A body just shallow enough to be read may still be too deep for the handle to write a
    # field out again (a policy as IAM's text, claims in a token): a refusal either way.
    served.ok("POST", "/_mock_sts/oidc-providers", {"url": GITHUB})
    claims = f'{{"url":"{GITHUB}","sub":"{SUB}","claims":{{"deep":{nested(depth, "1")}}}}}'
    status, _, _ = served.request("POST", "/_mock_sts/oidc-tokens", raw=claims.encode())
    assert status in (200, 400)
    policy = f'{{"Version":"2012-10-17","Statement":{nested(depth, "{}")}}}'
    role = f'{{"name":"deep","trust_policy":{policy}}}'
    status, document, _ = served.request("POST", "/_mock_sts/roles", raw=role.encode())
    assert status == 400, document


def test_empty_body_is_an_empty_object(served: Server) -> None:
    status, document, _ = served.request("POST", "/_mock_sts/users", raw=b"  ")
    assert (status, document["error"]["code"]) == (400, "MissingField")


def test_claims_may_not_repeat_fields(served: Server) -> None:
    served.ok("POST", "/_mock_sts/oidc-providers", {"url": GITHUB})
    body = {"url": GITHUB, "sub": "x", "claims": {"aud": "y", "sub": "z"}}
    status, document, _ = served.request("POST", "/_mock_sts/oidc-tokens", body)
    assert status == 400
    assert document["error"] == {
        "code": "InvalidField",
        "message": "Give aud, sub as field(s) of the request, not as claims.",
    }


def test_refusals_leave_no_state(served: Server) -> None:
    served.error("POST", "/_mock_sts/users", {"name": "a", "policies": {"p": {"Statement": []}}})
    assert (
        aws_error(lambda: client("iam", TESTING_KEYS).get_user(UserName="a"))[0] == "NoSuchEntity"
    )


# ---------------------------------------------------------------------------------------
# Cognito: fake user pools and identity pools, driven from outside the process


def test_a_user_pool_and_an_identity_pool_from_the_control_api(served: Server) -> None:
    users = served.ok("POST", "/_mock_sts/user-pools", {"client_ids": ["webclient"]})
    assert users["provider_name"] == f"cognito-idp.us-east-1.amazonaws.com/{users['pool_id']}"
    assert users["issuer"] == "https://" + users["provider_name"]
    assert users["client_ids"] == ["webclient"]
    pool = served.ok(
        "POST",
        "/_mock_sts/identity-pools",
        {"name": "app", "user_pool_id": users["pool_id"], "allow_unauthenticated": False},
    )
    assert pool["unauthenticated_role_arn"] is None
    assert pool["authenticated_role_arn"].endswith(":role/Cognito_appAuth_Role")
    token = served.ok(
        "POST",
        "/_mock_sts/user-pool-tokens",
        {"pool_id": users["pool_id"], "username": "alice", "groups": ["admins"]},
    )["token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert (claims["cognito:username"], claims["cognito:groups"]) == ("alice", ["admins"])
    # The user pool's keys are published as any fake issuer's.
    verify_through_server(served, users["issuer"], token, "webclient")
    cognito = client("cognito-identity", TESTING_KEYS, endpoint_url=served.url)
    logins = {users["provider_name"]: token}
    identity = cognito.get_id(IdentityPoolId=pool["pool_id"], Logins=logins)["IdentityId"]
    answer = cognito.get_credentials_for_identity(IdentityId=identity, Logins=logins)
    assert answer["Credentials"]["AccessKeyId"].startswith("ASIA")
    guest = served.ok("POST", "/_mock_sts/identity-pools", {"name": "guests"})
    assert guest["unauthenticated_role_arn"].endswith(":role/Cognito_guestsUnauth_Role")


def test_user_pool_tokens_refused_by_the_control_api(served: Server) -> None:
    pool_id = served.ok("POST", "/_mock_sts/user-pools", {})["pool_id"]
    access = served.ok(
        "POST",
        "/_mock_sts/user-pool-tokens",
        {"pool_id": pool_id, "username": "alice", "access": True, "claims": {"scope": "x"}},
    )["token"]
    assert jwt.decode(access, options={"verify_signature": False})["token_use"] == "access"
    cases = [
        ({"pool_id": "us-east-1_none", "username": "a"}, (404, "NoSuchEntity")),
        ({"pool_id": pool_id, "username": "a", "claims": {"aud": "x"}}, (400, "InvalidField")),
        (
            {"pool_id": pool_id, "username": "a", "access": True, "groups": ["g"]},
            (400, "InvalidField"),
        ),
    ]
    for body, expected in cases:
        assert served.error("POST", "/_mock_sts/user-pool-tokens", body) == expected
    missing = {"name": "app", "user_pool_id": "us-east-1_none"}
    assert served.error("POST", "/_mock_sts/identity-pools", missing) == (404, "NoSuchEntity")
    # reset forgets the fake user pools made through the API.
    served.ok("POST", "/_mock_sts/reset", {})
    body = {"pool_id": pool_id, "username": "a"}
    assert served.error("POST", "/_mock_sts/user-pool-tokens", body) == (404, "NoSuchEntity")
