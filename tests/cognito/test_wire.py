"""Cognito Identity's JSON 1.1 protocol (STS_REFERENCE §12.8): requests read as the service
reads them, answers and errors written as it writes them (``__type``, ``x-amzn-ErrorType``),
signed operations authorized first and refused in the service's own codes; in-process, through
``requests``, and through ``mock-sts serve``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from typing import Any

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import pytest
import requests
import time_machine
from botocore import UNSIGNED
from botocore.config import Config

from mock_sts import Credentials, MockSTS, _dispatch, _ids
from tests.helpers import aws_error, caller_identity, client, serve_process, serving
from tests.helpers.assume_role import ACCOUNT, document, statement
from tests.helpers.cognito import cognito
from tests.helpers.services import limited_to

URL = "https://cognito-identity.us-east-1.amazonaws.com/"
TARGET = "AWSCognitoIdentityService."
JSON_TYPE = "application/x-amz-json-1.1"
NOT_JSON = ("SerializationException", "The request body is not a JSON object.", 400)
UNKNOWN_OPERATION = (
    "UnknownOperationException",
    "The operation named by X-Amz-Target is not an operation of this service.",
    400,
)
SIGNATURE_MISMATCH = (
    "The request signature we calculated does not match the signature you provided. Check "
    "your AWS Secret Access Key and signing method. Consult the service documentation for "
    "details."
)
WORKER = f"arn:aws:sts::{ACCOUNT}:assumed-role/worker/job"
UNKNOWN = Credentials("AKIAUNKNOWN000000000", "testing")


def wrong_type(kind: str) -> tuple[str, str, int]:
    return (
        "SerializationException",
        f"A member of the request is not of its type: {kind} expected.",
        400,
    )


def json_error(response: requests.Response) -> tuple[str, str, int]:
    """The (code, message, status) of a raw JSON error, checked against its headers: the
    code with a colon in ``x-amzn-ErrorType``, the message in ``x-amzn-ErrorMessage``."""
    body = response.json()
    assert set(body) == {"__type", "message"}
    assert response.headers["Content-Type"] == JSON_TYPE
    assert response.headers["x-amzn-ErrorType"] == body["__type"] + ":"
    assert response.headers["x-amzn-ErrorMessage"] == body["message"]
    assert response.headers["Content-Length"] == str(len(response.content))
    return body["__type"], body["message"], response.status_code


def post(
    operation: str, body: bytes | Mapping[str, Any], *, url: str = URL, **headers: str
) -> requests.Response:
    """An unsigned POST of ``body`` (a document, or bytes as they are) naming ``operation``."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    return requests.post(
        url,
        data=data,
        headers={"Content-Type": JSON_TYPE, "X-Amz-Target": TARGET + operation, **headers},
        timeout=5,
    )


def signed_post(
    credentials: Credentials,
    operation: str,
    body: bytes | Mapping[str, Any],
    *,
    url: str = URL,
    region: str = "us-east-1",
) -> requests.Response:
    """``post``, signed with SigV4 for Cognito Identity as any SDK signs."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    request = botocore.awsrequest.AWSRequest(
        method="POST",
        url=url,
        data=data,
        headers={"Content-Type": JSON_TYPE, "X-Amz-Target": TARGET + operation},
    )
    keys = botocore.credentials.Credentials(
        credentials.access_key_id, credentials.secret_access_key, credentials.session_token
    )
    botocore.auth.SigV4Auth(keys, "cognito-identity", region).add_auth(request)
    return requests.post(url, data=data, headers=dict(request.headers), timeout=5)


@pytest.fixture
def admin(sts_mock: MockSTS) -> Credentials:
    return sts_mock.admin_credentials()


@pytest.fixture
def open_pool(sts_mock: MockSTS) -> str:
    """A pool that lets unauthenticated identities in."""
    created = cognito().create_identity_pool(
        IdentityPoolName="open", AllowUnauthenticatedIdentities=True
    )
    pool_id: str = created["IdentityPoolId"]
    return pool_id


def unsigned_cognito(region: str = "us-east-1", **options: Any) -> Any:
    return boto3.client(
        "cognito-identity", region_name=region, config=Config(signature_version=UNSIGNED), **options
    )


# ---------------------------------------------------------------------------------------
# Reading requests


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"not json", id="text"),
        pytest.param(b'{"IdentityPoolId": ', id="cut short"),
        pytest.param(b"\xff\xfe{}", id="not utf-8"),
        pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested past recursion"),
    ],
)
def test_a_body_that_is_no_json_is_refused(sts_mock: MockSTS, body: bytes) -> None:
    assert json_error(post("GetId", body)) == NOT_JSON
    assert sts_mock.calls[-1].error_code == "SerializationException"


@pytest.mark.parametrize(
    ("operation", "body", "kind"),
    [
        ("GetId", b"[]", "structure"),
        ("GetId", b'"us-east-1:0"', "structure"),
        ("GetId", {"IdentityPoolId": 5}, "string"),
        ("GetId", {"IdentityPoolId": ["us-east-1:0"]}, "string"),
        ("GetId", {"IdentityPoolId": "us-east-1:0", "Logins": []}, "map"),
        ("GetId", {"IdentityPoolId": "us-east-1:0", "Logins": {"graph.facebook.com": 1}}, "string"),
        ("UnlinkIdentity", {"LoginsToRemove": "graph.facebook.com"}, "list"),
        ("UnlinkIdentity", {"LoginsToRemove": [True]}, "string"),
    ],
)
def test_a_member_of_another_json_type_is_refused(
    sts_mock: MockSTS, operation: str, body: Any, kind: str
) -> None:
    assert json_error(post(operation, body)) == wrong_type(kind)


@pytest.mark.parametrize(
    ("operation", "body", "kind"),
    [
        ("ListIdentityPools", {"MaxResults": "5"}, "integer"),
        ("ListIdentityPools", {"MaxResults": True}, "integer"),
        ("ListIdentityPools", {"MaxResults": 1.5}, "integer"),
        (
            "CreateIdentityPool",
            {"IdentityPoolName": "app", "AllowUnauthenticatedIdentities": "false"},
            "boolean",
        ),
        (
            "CreateIdentityPool",
            {"IdentityPoolName": "app", "AllowUnauthenticatedIdentities": 0},
            "boolean",
        ),
        (
            "CreateIdentityPool",
            {
                "IdentityPoolName": "app",
                "AllowUnauthenticatedIdentities": False,
                "CognitoIdentityProviders": [{"ProviderName": "p", "ServerSideTokenCheck": "yes"}],
            },
            "boolean",
        ),
        (
            "GetOpenIdTokenForDeveloperIdentity",
            {"IdentityPoolId": "us-east-1:0", "Logins": {"login.app": "u"}, "TokenDuration": "60"},
            "long",
        ),
    ],
)
def test_a_signed_member_of_another_json_type_is_refused(
    admin: Credentials, operation: str, body: Any, kind: str
) -> None:
    assert json_error(signed_post(admin, operation, body)) == wrong_type(kind)
    assert cognito().list_identity_pools(MaxResults=10)["IdentityPools"] == []


def test_an_empty_body_is_an_empty_request(sts_mock: MockSTS) -> None:
    assert json_error(post("GetId", b"")) == (
        "ValidationException",
        "1 validation error detected: Value null at 'identityPoolId' failed to satisfy "
        "constraint: Member must not be null",
        400,
    )


def test_the_models_constraints_are_checked_after_the_types(sts_mock: MockSTS) -> None:
    response = post("GetId", {"IdentityPoolId": "pool", "AccountId": "account"})

    assert json_error(response) == (
        "ValidationException",
        "2 validation errors detected: Value 'account' at 'accountId' failed to satisfy "
        r"constraint: Member must satisfy regular expression pattern: \d+; Value 'pool' at "
        "'identityPoolId' "
        r"failed to satisfy constraint: Member must satisfy regular expression pattern: "
        r"[\w-]+:[0-9a-f-]+",
        400,
    )


FACEBOOK_TOKEN_RULES = (
    "Map value must satisfy constraint: [Member must have length less than or equal to 50000, "
    "Member must have length greater than or equal to 1]"
)


@pytest.mark.parametrize(
    ("logins", "message"),
    [
        pytest.param(
            {"graph.facebook.com": ""},
            "1 validation error detected: Value '{graph.facebook.com=}' at 'logins' failed to "
            f"satisfy constraint: {FACEBOOK_TOKEN_RULES}",
            id="empty token",
        ),
        pytest.param(
            {"graph.facebook.com": "t" * 50_001},
            "1 validation error detected: Value '{graph.facebook.com=}' at 'logins' failed to "
            f"satisfy constraint: {FACEBOOK_TOKEN_RULES}",
            id="token too long, not shown",
        ),
        pytest.param(
            {"": "token", "accounts.google.com": "t"},
            "1 validation error detected: Value '{=, accounts.google.com=}' at 'logins' failed "
            "to satisfy constraint: Map keys must satisfy constraint: [Member must have length "
            "less than or equal to 128, Member must have length greater than or equal to 1]",
            id="empty provider",
        ),
    ],
)
def test_a_maps_keys_and_values_are_judged_as_the_maps(
    sts_mock: MockSTS, logins: dict[str, str], message: str
) -> None:
    response = post("GetId", {"IdentityPoolId": "us-east-1:0", "Logins": logins})

    assert json_error(response) == ("ValidationException", message, 400)


def test_a_maps_every_broken_rule_is_listed(admin: Credentials) -> None:
    roles = {"admin": "arn", "authenticated": "a" * 20, "unauthenticated": "u" * 20}

    response = signed_post(admin, "SetIdentityPoolRoles", {"IdentityPoolId": "p:0", "Roles": roles})

    shown = f"'{{admin=arn, authenticated={'a' * 20}, unauthenticated={'u' * 20}}}'"
    assert json_error(response) == (
        "ValidationException",
        f"3 validation errors detected: Value {shown} at 'roles' failed to satisfy constraint: "
        "Map keys must satisfy constraint: [Member must have length less than or equal to 128, "
        "Member must have length greater than or equal to 1, Member must satisfy regular "
        f"expression pattern: (un)?authenticated]; Value {shown} at 'roles' failed to satisfy "
        "constraint: Map value must satisfy constraint: [Member must have length less than or "
        f"equal to 2048, Member must have length greater than or equal to 20]; Value {shown} at "
        "'roles' failed to satisfy constraint: Member must have length less than or equal to 2",
        400,
    )


@pytest.mark.parametrize(
    ("member", "value", "constraint"),
    [
        (
            "SupportedLoginProviders",
            {"graph.facebook.com": "app id"},
            "Map value must satisfy constraint: [Member must have length less than or equal to "
            r"128, Member must have length greater than or equal to 1, Member must satisfy "
            r"regular expression pattern: [\w.;_/-]+]",
        ),
        (
            "IdentityPoolTags",
            {"team": "t" * 257},
            "Map value must satisfy constraint: [Member must have length less than or equal to "
            "256, Member must have length greater than or equal to 0]",
        ),
    ],
)
def test_a_maps_values_are_shown_unless_they_are_secret(
    admin: Credentials, member: str, value: dict[str, str], constraint: str
) -> None:
    body = {"IdentityPoolName": "app", "AllowUnauthenticatedIdentities": False, member: value}

    response = signed_post(admin, "CreateIdentityPool", body)

    shown = "{" + ", ".join(f"{k}={v}" for k, v in value.items()) + "}"
    path = member[0].lower() + member[1:]
    assert json_error(response) == (
        "ValidationException",
        f"1 validation error detected: Value '{shown}' at '{path}' failed to satisfy "
        f"constraint: {constraint}",
        400,
    )


def test_a_map_of_structures_judges_its_keys_as_the_maps(admin: Credentials) -> None:
    provider = "p" * 129
    mappings = {provider: {"Type": "Token", "AmbiguousRoleResolution": "Deny"}}

    response = signed_post(
        admin,
        "SetIdentityPoolRoles",
        {"IdentityPoolId": "us-east-1:0", "Roles": {}, "RoleMappings": mappings},
    )

    assert json_error(response) == (
        "ValidationException",
        f"1 validation error detected: Value '{{{provider}=}}' at 'roleMappings' failed to "
        "satisfy constraint: Map keys must satisfy constraint: [Member must have length less "
        "than or equal to 128, Member must have length greater than or equal to 1]",
        400,
    )


def test_unknown_members_are_ignored_and_nulls_are_absent(
    sts_mock: MockSTS, open_pool: str
) -> None:
    response = post(
        "GetId",
        {
            "IdentityPoolId": open_pool,
            "AccountId": None,
            "Logins": {"graph.facebook.com": None},
            "Unknown": {"nested": [1, 2]},
            "identityPoolId": "us-east-1:0",
        },
    )

    assert response.status_code == 200
    assert response.headers["Content-Type"] == JSON_TYPE
    assert "x-amzn-ErrorType" not in response.headers
    identity_id = response.json()["IdentityId"]
    assert set(response.json()) == {"IdentityId"}
    assert identity_id.startswith("us-east-1:")
    described = cognito().describe_identity(IdentityId=identity_id)
    assert "Logins" not in described


def test_unknown_members_of_structures_inside_are_ignored(admin: Credentials) -> None:
    user_pool = "cognito-idp.us-east-1.amazonaws.com/us-east-1_abc"
    response = signed_post(
        admin,
        "CreateIdentityPool",
        {
            "IdentityPoolName": "app",
            "AllowUnauthenticatedIdentities": False,
            "AllowClassicFlow": None,
            "CognitoIdentityProviders": [
                {"ProviderName": user_pool, "ClientId": "web", "Extra": True}
            ],
            "SupportedLoginProviders": None,
            "Future": "member",
        },
    )

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "IdentityPoolId": body["IdentityPoolId"],
        "IdentityPoolName": "app",
        "AllowUnauthenticatedIdentities": False,
        "AllowClassicFlow": False,
        "CognitoIdentityProviders": [
            {"ProviderName": user_pool, "ClientId": "web", "ServerSideTokenCheck": False}
        ],
    }
    # Written compactly, as the service writes it.
    assert b": " not in response.content


def test_an_empty_map_is_a_map_given(admin: Credentials, sts_mock: MockSTS) -> None:
    pools = cognito()
    pool_id = pools.create_identity_pool(
        IdentityPoolName="app", AllowUnauthenticatedIdentities=False, IdentityPoolTags={"a": "b"}
    )["IdentityPoolId"]
    role = sts_mock.create_role(
        "auth", document(statement("sts:AssumeRole", principal={"AWS": ACCOUNT}))
    )
    pools.set_identity_pool_roles(IdentityPoolId=pool_id, Roles={"authenticated": role.arn})

    cleared = signed_post(admin, "SetIdentityPoolRoles", {"IdentityPoolId": pool_id, "Roles": {}})
    missing = signed_post(admin, "SetIdentityPoolRoles", {"IdentityPoolId": pool_id})

    assert (cleared.status_code, cleared.content) == (200, b"{}")
    assert json_error(missing) == (
        "ValidationException",
        "1 validation error detected: Value null at 'roles' failed to satisfy constraint: "
        "Member must not be null",
        400,
    )
    assert pools.get_identity_pool_roles(IdentityPoolId=pool_id)["Roles"] == {}


@pytest.mark.parametrize(
    "target",
    [
        pytest.param(None, id="none"),
        pytest.param("AWSCognitoIdentityService.GetIdentity", id="no such operation"),
        pytest.param("AWSCognitoIdentityService", id="no operation"),
        pytest.param("DynamoDB_20120810.GetId", id="another service's prefix"),
        pytest.param("awscognitoidentityservice.GetId", id="prefix in other case"),
    ],
)
def test_an_unknown_target_is_an_unknown_operation(sts_mock: MockSTS, target: str | None) -> None:
    headers = {"Content-Type": JSON_TYPE} if target is None else {"X-Amz-Target": target}

    response = requests.post(URL, data=b"{}", headers=headers, timeout=5)

    assert json_error(response) == UNKNOWN_OPERATION
    assert (sts_mock.calls[-1].service, sts_mock.calls[-1].action) == ("cognito-identity", None)


def test_a_signed_operation_sent_unsigned_is_refused(sts_mock: MockSTS) -> None:
    response = post("ListIdentityPools", {"MaxResults": 5})

    assert json_error(response) == (
        "MissingAuthenticationTokenException",
        "Request is missing Authentication Token",
        400,
    )
    assert sts_mock.denials[-1].reason == "the request is not signed"


def test_a_signature_that_cannot_be_read_is_incomplete(sts_mock: MockSTS) -> None:
    response = post(
        "ListIdentityPools", {"MaxResults": 5}, Authorization="AWS4-HMAC-SHA256 Credential=x"
    )

    code, message, status = json_error(response)
    assert (code, status) == ("IncompleteSignatureException", 400)
    assert message.startswith("Authorization header requires 'Signature' parameter.")


def test_the_public_operations_need_no_signature(sts_mock: MockSTS, open_pool: str) -> None:
    public = unsigned_cognito()

    identity_id = public.get_id(IdentityPoolId=open_pool)["IdentityId"]

    assert sts_mock.calls[-1].caller_arn is None
    assert sts_mock.calls[-1].allowed
    assert cognito().describe_identity(IdentityId=identity_id)["IdentityId"] == identity_id


def test_an_internal_failure_is_the_services_internal_error(
    sts_mock: MockSTS, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(ctx: Any) -> Any:
        raise KeyError("boom")

    monkeypatch.setitem(_dispatch._OPERATIONS, "cognito-identity", {"GetId": broken})

    response = post("GetId", {"IdentityPoolId": "us-east-1:0"})

    assert json_error(response) == (
        "InternalErrorException",
        "mock_sts internal error: KeyError('boom')",
        500,
    )
    assert (sts_mock.calls[-1].status, sts_mock.calls[-1].error_code) == (
        500,
        "InternalErrorException",
    )
    assert "mock_sts failed while serving cognito-identity GetId" in caplog.text


def test_a_message_beyond_ascii_is_escaped_in_its_header(admin: Credentials) -> None:
    response = signed_post(
        admin,
        "CreateIdentityPool",
        {
            "IdentityPoolName": "app",
            "AllowUnauthenticatedIdentities": False,
            "SupportedLoginProviders": {"connexion.exemple.fr/é": "app"},
        },
    )

    assert response.status_code == 400
    assert response.json()["message"] == "Invalid login provider: connexion.exemple.fr/é"
    assert response.headers["x-amzn-ErrorMessage"] == (
        "Invalid login provider: connexion.exemple.fr/\\xe9"
    )


def test_timestamps_are_epoch_seconds(sts_mock: MockSTS, open_pool: str) -> None:
    moment = dt.datetime(2026, 5, 4, 3, 2, 1, 999_000, tzinfo=dt.timezone.utc)
    with time_machine.travel(moment, tick=False):
        identity_id = unsigned_cognito().get_id(IdentityPoolId=open_pool)["IdentityId"]
        raw = signed_post(
            sts_mock.admin_credentials(), "DescribeIdentity", {"IdentityId": identity_id}
        )
        described = cognito().describe_identity(IdentityId=identity_id)

    assert raw.json()["CreationDate"] == int(moment.timestamp())
    assert described["CreationDate"] == moment.replace(microsecond=0)
    assert described["LastModifiedDate"] == moment.replace(microsecond=0)


@pytest.mark.parametrize(
    ("host", "endpoint"),
    [
        ("cognito-identity.us-east-1.amazonaws.com", ("cognito-identity", "us-east-1")),
        ("cognito-identity-fips.us-west-2.amazonaws.com", ("cognito-identity", "us-west-2")),
        ("cognito-identity.cn-north-1.amazonaws.com.cn", ("cognito-identity", "cn-north-1")),
        ("cognito-identity.eu-west-1.api.aws", ("cognito-identity", "eu-west-1")),
        ("cognito-identity.amazonaws.com", None),
        ("cognito-idp.us-east-1.amazonaws.com", None),
    ],
)
def test_cognito_identity_has_regional_endpoints_only(
    host: str, endpoint: tuple[str, str] | None
) -> None:
    assert _ids.endpoint_of_host(host) == endpoint


# ---------------------------------------------------------------------------------------
# Authorization of the signed operations


def test_a_caller_without_permissions_is_denied_in_cognitos_words(
    sts_mock: MockSTS, open_pool: str
) -> None:
    worker = limited_to(sts_mock)
    limited = client("cognito-identity", worker)
    arn = f"arn:aws:cognito-identity:us-east-1:{ACCOUNT}:identitypool/{open_pool}"

    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        limited.describe_identity_pool(IdentityPoolId=open_pool)
    created = aws_error(
        lambda: limited.create_identity_pool(
            IdentityPoolName="mine", AllowUnauthenticatedIdentities=False
        )
    )

    response = excinfo.value.response
    assert (response["Error"]["Code"], response["Error"]["Message"]) == (
        "AccessDeniedException",
        f"User: {WORKER} is not authorized to perform: cognito-identity:DescribeIdentityPool on "
        f"resource: {arn} because no identity-based policy allows the "
        "cognito-identity:DescribeIdentityPool action",
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"] == (
        "AccessDeniedException:"
    )
    assert created == (
        "AccessDeniedException",
        f"User: {WORKER} is not authorized to perform: cognito-identity:CreateIdentityPool on "
        "resource: * because no identity-based policy allows the "
        "cognito-identity:CreateIdentityPool action",
        400,
    )
    described, made = sts_mock.denials[-2:]
    assert (described.service, described.action, described.caller_arn) == (
        "cognito-identity",
        "DescribeIdentityPool",
        WORKER,
    )
    assert described.reason == (
        f"cognito-identity:DescribeIdentityPool on {arn}: no identity-based policy allows "
        "cognito-identity:DescribeIdentityPool"
    )
    assert [(c.action, c.resource, c.allowed) for c in described.checks] == [
        ("cognito-identity:DescribeIdentityPool", arn, False)
    ]
    assert made.reason == (
        "cognito-identity:CreateIdentityPool on *: no identity-based policy allows "
        "cognito-identity:CreateIdentityPool"
    )
    assert cognito().list_identity_pools(MaxResults=10)["IdentityPools"] == [
        {"IdentityPoolId": open_pool, "IdentityPoolName": "open"}
    ]
    assert sts_mock.required_policy(WORKER)["Statement"] == [
        {"Effect": "Allow", "Action": "cognito-identity:CreateIdentityPool", "Resource": "*"},
        {"Effect": "Allow", "Action": "cognito-identity:DescribeIdentityPool", "Resource": arn},
    ]


def test_an_explicit_deny_of_one_pool_says_so(sts_mock: MockSTS, open_pool: str) -> None:
    arn = f"arn:aws:cognito-identity:us-east-1:{ACCOUNT}:identitypool/{open_pool}"
    worker = limited_to(
        sts_mock,
        statement("cognito-identity:*"),
        statement("cognito-identity:DeleteIdentityPool", arn, effect="Deny"),
    )
    limited = client("cognito-identity", worker)

    refused = aws_error(lambda: limited.delete_identity_pool(IdentityPoolId=open_pool))
    described = limited.describe_identity_pool(IdentityPoolId=open_pool)

    assert refused == (
        "AccessDeniedException",
        f"User: {WORKER} is not authorized to perform: cognito-identity:DeleteIdentityPool on "
        f"resource: {arn} with an explicit deny in an identity-based policy",
        400,
    )
    assert described["IdentityPoolId"] == open_pool
    allowed = sts_mock.calls[-1]
    assert (allowed.allowed, [c.resource for c in allowed.checks]) == (True, [arn])


def test_an_expired_session_is_refused_as_expired(sts_mock: MockSTS) -> None:
    worker = limited_to(sts_mock, statement("cognito-identity:*"))
    limited = client("cognito-identity", worker)
    assert worker.expiration is not None

    with time_machine.travel(worker.expiration + dt.timedelta(seconds=1)):
        refused = aws_error(lambda: limited.list_identity_pools(MaxResults=5))

    assert refused == (
        "ExpiredTokenException",
        "The security token included in the request is expired",
        400,
    )
    assert sts_mock.denials[-1].error_code == "ExpiredTokenException"


@pytest.mark.sts_mock(strict=True)
def test_a_key_the_mock_does_not_know_is_unrecognized_when_strict(sts_mock: MockSTS) -> None:
    stranger = client("cognito-identity", UNKNOWN)

    refused = aws_error(lambda: stranger.list_identity_pools(MaxResults=5))

    assert refused == (
        "UnrecognizedClientException",
        "The security token included in the request is invalid.",
        400,
    )
    assert sts_mock.denials[-1].reason == "the access key AKIAUNKNOWN000000000 does not exist"


def test_a_key_the_mock_does_not_know_is_its_admin_when_not_strict(sts_mock: MockSTS) -> None:
    stranger = client("cognito-identity", UNKNOWN)

    assert stranger.list_identity_pools(MaxResults=5)["IdentityPools"] == []
    assert sts_mock.calls[-1].caller_arn == f"arn:aws:iam::{ACCOUNT}:user/admin"


def test_a_bad_signature_is_an_invalid_signature(sts_mock: MockSTS, admin: Credentials) -> None:
    forged = boto3.client(
        "cognito-identity",
        region_name="us-east-1",
        aws_access_key_id=admin.access_key_id,
        aws_secret_access_key="not-the-secret",
    )

    with pytest.raises(botocore.exceptions.ClientError) as excinfo:
        forged.list_identity_pools(MaxResults=5)

    response = excinfo.value.response
    assert (response["Error"]["Code"], response["Error"]["Message"]) == (
        "InvalidSignatureException",
        SIGNATURE_MISMATCH,
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400
    assert response["ResponseMetadata"]["HTTPHeaders"]["x-amzn-errortype"] == (
        "InvalidSignatureException:"
    )
    assert sts_mock.denials[-1].reason == f"the signature is refused: {SIGNATURE_MISMATCH}"


# ---------------------------------------------------------------------------------------
# mock-sts serve


def test_the_server_routes_cognito_by_its_target_and_its_signature() -> None:
    with MockSTS(set_env=False) as mock, serving(mock) as httpd:
        url = f"http://127.0.0.1:{httpd.server_port}/"
        admin = mock.admin_credentials()

        created = signed_post(
            admin,
            "CreateIdentityPool",
            {"IdentityPoolName": "served", "AllowUnauthenticatedIdentities": True},
            url=url,
        )
        pool_id = created.json()["IdentityPoolId"]
        got = post("GetId", {"IdentityPoolId": pool_id}, url=url)
        unknown = post("GetIdentity", {}, url=url)
        unsigned = post("ListIdentityPools", {"MaxResults": 5}, url=url)
        sts = requests.post(url, data="Action=GetCallerIdentity&Version=2011-06-15", timeout=5)

        assert (created.status_code, created.headers["Content-Type"]) == (200, JSON_TYPE)
        assert got.status_code == 200
        assert got.json()["IdentityId"].startswith("us-east-1:")
        assert json_error(unknown) == UNKNOWN_OPERATION
        assert json_error(unsigned)[0] == "MissingAuthenticationTokenException"
        assert (sts.status_code, sts.headers["Content-Type"]) == (403, "text/xml")
        assert b"<Code>MissingAuthenticationToken</Code>" in sts.content
        assert [(call.service, call.action) for call in mock.calls] == [
            ("cognito-identity", "CreateIdentityPool"),
            ("cognito-identity", "GetId"),
            ("cognito-identity", None),
            ("cognito-identity", "ListIdentityPools"),
            ("sts", "GetCallerIdentity"),
        ]


@pytest.fixture(scope="module")
def serve_url() -> Iterator[str]:
    with serve_process() as url:
        yield url


@pytest.mark.slow
def test_an_sdk_gets_credentials_for_an_identity_from_the_server(serve_url: str) -> None:
    keys = requests.get(f"{serve_url}/_mock_sts/credentials/admin", timeout=5).json()
    admin = {
        "aws_access_key_id": keys["access_key_id"],
        "aws_secret_access_key": keys["secret_access_key"],
    }
    served = {"endpoint_url": serve_url, "region_name": "us-east-1"}
    pools = boto3.client("cognito-identity", **served, **admin)
    iam = boto3.client("iam", **served, **admin)
    public = boto3.client("cognito-identity", **served, config=Config(signature_version=UNSIGNED))

    pool_id = pools.create_identity_pool(
        IdentityPoolName="served", AllowUnauthenticatedIdentities=True
    )["IdentityPoolId"]
    trust = document(
        statement(
            "sts:AssumeRoleWithWebIdentity",
            principal={"Federated": "cognito-identity.amazonaws.com"},
            condition={
                "StringEquals": {"cognito-identity.amazonaws.com:aud": pool_id},
                "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "unauthenticated"},
            },
        )
    )
    role = iam.create_role(
        RoleName="Cognito_servedUnauth_Role", AssumeRolePolicyDocument=json.dumps(trust)
    )
    pools.set_identity_pool_roles(
        IdentityPoolId=pool_id, Roles={"unauthenticated": role["Role"]["Arn"]}
    )
    identity_id = public.get_id(IdentityPoolId=pool_id)["IdentityId"]
    answer = public.get_credentials_for_identity(IdentityId=identity_id)

    assert answer["IdentityId"] == identity_id
    assert set(answer["Credentials"]) == {"AccessKeyId", "SecretKey", "SessionToken", "Expiration"}
    sts = boto3.client(
        "sts",
        **served,
        aws_access_key_id=answer["Credentials"]["AccessKeyId"],
        aws_secret_access_key=answer["Credentials"]["SecretKey"],
        aws_session_token=answer["Credentials"]["SessionToken"],
    )
    assert caller_identity(sts)["Arn"] == (
        "arn:aws:sts::123456789012:assumed-role/Cognito_servedUnauth_Role/"
        "CognitoIdentityCredentials"
    )
