"""STS's JSON answers (STS_REFERENCE §12.2): a request whose Accept header asks for JSON gets
its result, or its error with the same status, as JSON; IAM and botocore clients get XML.

Requests are signed by botocore and sent with ``requests``, as the EKS authenticator and
Vault send theirs.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import boto3
import botocore.config
import botocore.parsers
import botocore.serialize
import botocore.session
import pytest
import requests
import time_machine
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest

from mock_sts import _answers, _wire
from tests.helpers import client, http_error_of, signing, sts_client
from tests.helpers.assume_role import ACCOUNT, create_role, trust
from tests.helpers.saml import saml_trust
from tests.helpers.web_identity import web_trust

if TYPE_CHECKING:
    from mock_sts import Credentials, MockSTS

STS_URL = "https://sts.amazonaws.com/"
IAM_URL = "https://iam.amazonaws.com/"
FORM = "application/x-www-form-urlencoded; charset=utf-8"
JSON = "application/json"
ADMIN_ARN = f"arn:aws:iam::{ACCOUNT}:user/admin"
GET_CALLER_IDENTITY = "Action=GetCallerIdentity&Version=2011-06-15"
BAD_SIGNATURE = (
    "The request signature we calculated does not match the signature you provided. "
    "Check your AWS Secret Access Key and signing method. "
    "Consult the service documentation for details."
)
STS_MODEL = botocore.session.get_session().get_service_model("sts")


def body_of(action: str, params: dict[str, Any], service: str = "sts") -> str:
    """The form body botocore's query serializer makes of ``params``."""
    model = botocore.session.get_session().get_service_model(service)
    serializer = botocore.serialize.create_serializer("query")
    form = serializer.serialize_to_request(params, model.operation_model(action))["body"]
    return urlencode(form)


def send(
    body: str,
    credentials: Credentials | dict[str, Any] | None = None,
    *,
    accept: str | None = JSON,
    url: str = STS_URL,
    service: str = "sts",
    region: str = "us-east-1",
) -> requests.Response:
    """``body`` POSTed to ``url`` with ``requests``, SigV4-signed with ``credentials`` (unsigned
    without), asking for ``accept``."""
    headers = {"Content-Type": FORM}
    if accept is not None:
        headers["Accept"] = accept
    request = AWSRequest(method="POST", url=url, data=body, headers=headers)
    if credentials is not None:
        SigV4Auth(signing(credentials), service, region).add_auth(request)
    return requests.post(url, data=request.body, headers=dict(request.headers), timeout=5)


def json_result(response: requests.Response, action: str) -> dict[str, Any]:
    """The ``<Action>Result`` of a successful JSON answer, whose envelope is AWS's."""
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == JSON
    answer = response.json()
    assert list(answer) == [f"{action}Response"]
    envelope = answer[f"{action}Response"]
    assert list(envelope) == [f"{action}Result", "ResponseMetadata"]
    assert envelope["ResponseMetadata"] == {"RequestId": response.headers["x-amzn-RequestId"]}
    result: dict[str, Any] = envelope[f"{action}Result"]
    return result


def json_error(response: requests.Response) -> tuple[str, str, int]:
    """The (code, message, HTTP status) of a JSON error answer, whose envelope is AWS's."""
    assert response.headers["Content-Type"] == JSON
    answer = response.json()
    assert list(answer) == ["Error", "RequestId"]
    assert answer["RequestId"] == response.headers["x-amzn-RequestId"]
    error = answer["Error"]
    assert list(error) == ["Code", "Message", "Type"]
    assert error["Type"] == ("Sender" if response.status_code < 500 else "Receiver")
    return error["Code"], error["Message"], response.status_code


def assert_shaped(value: Any, shape: Any, where: str) -> None:
    """``value`` is JSON of ``shape``: objects of its members, numbers for timestamps."""
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(value, dict), where
        assert set(value) <= set(shape.members), where
        for name, item in value.items():
            assert_shaped(item, shape.members[name], f"{where}.{name}")
    elif kind in ("timestamp", "integer"):
        assert type(value) is int, where
    else:
        assert kind == "string", where  # STS's outputs hold no other kind
        assert isinstance(value, str), where


# ---------------------------------------------------------------------------------------
# Every operation


def epoch_now() -> int:
    return int(dt.datetime.now(dt.timezone.utc).timestamp())


# Who signs (None: unsigned), the parameters, and the region of the endpoint ("": global).
Call = tuple["Credentials | dict[str, Any] | None", dict[str, Any], str]


def _assume_role(sts_mock: MockSTS) -> Call:
    role = create_role(sts_mock, "deployer", trust(f"arn:aws:iam::{ACCOUNT}:root"))
    return sts_mock.admin_credentials(), {"RoleArn": role["Arn"], "RoleSessionName": "ci"}, ""


def _assume_role_with_web_identity(sts_mock: MockSTS) -> Call:
    provider = sts_mock.oidc_provider("https://token.actions.githubusercontent.com")
    role = create_role(sts_mock, "web", web_trust(provider.arn))
    token = provider.token(sub="repo:octo/app:ref:refs/heads/main")
    params = {"RoleArn": role["Arn"], "RoleSessionName": "web", "WebIdentityToken": token}
    return None, params, ""


def _assume_role_with_saml(sts_mock: MockSTS) -> Call:
    provider = sts_mock.saml_provider("Corp")
    role = create_role(sts_mock, "Dev", saml_trust(provider.arn))
    assertion = provider.response(role["Arn"], subject="alice")
    params = {"RoleArn": role["Arn"], "PrincipalArn": provider.arn, "SAMLAssertion": assertion}
    return None, params, ""


def _assume_root(sts_mock: MockSTS) -> Call:
    sts_mock.organization(ACCOUNT, ["222222222222"]).enable_root_access()
    task = "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"
    params = {"TargetPrincipal": "222222222222", "TaskPolicyArn": {"arn": task}}
    # Refused on the global endpoint.
    return sts_mock.admin_credentials(), params, "eu-west-1"


def _decode_authorization_message(sts_mock: MockSTS) -> Call:
    alice = sts_mock.create_user("alice")
    message = sts_mock.evaluate(alice.credentials, "s3:GetObject", "*").encoded_message
    return sts_mock.admin_credentials(), {"EncodedMessage": message}, ""


def _get_access_key_info(sts_mock: MockSTS) -> Call:
    admin = sts_mock.admin_credentials()
    return admin, {"AccessKeyId": admin.access_key_id}, ""


def _get_delegated_access_token(sts_mock: MockSTS) -> Call:
    partner = sts_mock.admin_credentials("999999999999")
    partner_iam = client("iam", partner)
    template = partner_iam.create_policy(
        PolicyName="read-users",
        PolicyDocument=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*"}],
            }
        ),
    )["Policy"]["Arn"]
    request_id = partner_iam.create_delegation_request(
        Description="Read your users",
        Permissions={"PolicyTemplateArn": template},
        RequestorWorkflowId="workflow-1",
        NotificationChannel="arn:aws:sns:us-east-1:999999999999:delegations",
        SessionDuration=900,
    )["DelegationRequestId"]
    owner = client("iam")
    owner.associate_delegation_request(DelegationRequestId=request_id)
    owner.accept_delegation_request(DelegationRequestId=request_id)
    owner.send_delegation_token(DelegationRequestId=request_id)
    (token,) = sts_mock.sent_delegation_tokens(request_id)
    return partner, {"TradeInToken": token}, ""


def _get_scoped_credentials(sts_mock: MockSTS) -> Call:
    # Long-term keys are refused: a session narrows itself.
    session = sts_client(sts_mock.admin_credentials()).get_session_token()["Credentials"]
    # Served on regional endpoints only.
    return session, {"DurationSeconds": 900}, "us-east-1"


def _get_web_identity_token(sts_mock: MockSTS) -> Call:
    client("iam").enable_outbound_web_identity_federation()
    params = {"Audience": ["https://api.example.com"], "SigningAlgorithm": "RS256"}
    return sts_mock.admin_credentials(), params, "us-east-1"


def _plain(params: dict[str, Any]) -> Callable[[MockSTS], Call]:
    return lambda sts_mock: (sts_mock.admin_credentials(), params, "")


CALLS: dict[str, Callable[[MockSTS], Call]] = {
    "AssumeRole": _assume_role,
    "AssumeRoleWithSAML": _assume_role_with_saml,
    "AssumeRoleWithWebIdentity": _assume_role_with_web_identity,
    "AssumeRoot": _assume_root,
    "DecodeAuthorizationMessage": _decode_authorization_message,
    "GetAccessKeyInfo": _get_access_key_info,
    "GetCallerIdentity": _plain({}),
    "GetDelegatedAccessToken": _get_delegated_access_token,
    "GetFederationToken": _plain({"Name": "federated"}),
    "GetScopedCredentials": _get_scoped_credentials,
    "GetSessionToken": _plain({}),
    "GetWebIdentityToken": _get_web_identity_token,
}


def test_every_operation_of_the_model_is_driven_here() -> None:
    assert set(STS_MODEL.operation_names) <= set(CALLS)


@pytest.mark.parametrize("action", sorted(STS_MODEL.operation_names))
def test_every_operation_answers_json_when_asked(sts_mock: MockSTS, action: str) -> None:
    credentials, params, region = CALLS[action](sts_mock)
    url = f"https://sts.{region}.amazonaws.com/" if region else STS_URL
    before = epoch_now()
    response = send(body_of(action, params), credentials, url=url, region=region or "us-east-1")
    result = json_result(response, action)
    assert result
    assert_shaped(result, STS_MODEL.operation_model(action).output_shape, action)
    if "Credentials" in result:
        # Expiration is a number: epoch seconds, whole as the XML's are.
        assert result["Credentials"]["Expiration"] >= before + 900
        assert result["Credentials"]["AccessKeyId"].startswith("ASIA")
    assert sts_mock.calls[-1].action == action
    assert sts_mock.calls[-1].status == 200


def test_absent_members_are_left_out_and_numbers_are_numbers(sts_mock: MockSTS) -> None:
    tagging = trust(f"arn:aws:iam::{ACCOUNT}:root", actions=["sts:AssumeRole", "sts:TagSession"])
    role = create_role(sts_mock, "deployer", tagging)
    admin = sts_mock.admin_credentials()
    with time_machine.travel(dt.datetime(2025, 3, 14, 12, 0, 0, 500000, dt.timezone.utc)):
        plain = send(
            body_of("AssumeRole", {"RoleArn": role["Arn"], "RoleSessionName": "s1"}), admin
        )
        tagged = send(
            body_of(
                "AssumeRole",
                {
                    "RoleArn": role["Arn"],
                    "RoleSessionName": "s2",
                    "Tags": [{"Key": "team", "Value": "blue"}],
                },
            ),
            admin,
        )
    result = json_result(plain, "AssumeRole")
    # PackedPolicySize only when a policy or tags were passed (§1.3), never null.
    assert set(result) == {"Credentials", "AssumedRoleUser"}
    expiration = dt.datetime(2025, 3, 14, 13, 0, 0, tzinfo=dt.timezone.utc)
    assert result["Credentials"]["Expiration"] == int(expiration.timestamp())
    assert result["AssumedRoleUser"] == {
        "AssumedRoleId": f"{role['RoleId']}:s1",
        "Arn": f"arn:aws:sts::{ACCOUNT}:assumed-role/deployer/s1",
    }
    assert plain.content.startswith(b'{"AssumeRoleResponse":{"AssumeRoleResult":{"Credentials":{')
    packed = json_result(tagged, "AssumeRole")["PackedPolicySize"]
    assert type(packed) is int
    assert 0 < packed < 100


# ---------------------------------------------------------------------------------------
# Presigned GetCallerIdentity, as the EKS authenticator makes and fetches it


def eks_presigned_url(credentials: Credentials, cluster: str = "my-cluster") -> str:
    """The URL ``aws eks get-token`` presigns: GetCallerIdentity with the cluster's name in a
    signed ``x-k8s-aws-id`` header."""
    sts = sts_client(credentials)

    def add_cluster_header(request: AWSRequest, **kwargs: Any) -> None:
        request.headers["x-k8s-aws-id"] = cluster

    sts.meta.events.register("before-sign.sts.GetCallerIdentity", add_cluster_header)
    url: str = sts.generate_presigned_url("get_caller_identity", ExpiresIn=60, HttpMethod="GET")
    return url


def test_a_presigned_get_caller_identity_fetched_as_the_eks_authenticator_does(
    sts_mock: MockSTS,
) -> None:
    alice = sts_mock.create_user("alice")
    url = eks_presigned_url(alice.credentials)
    assert "x-k8s-aws-id" in url

    response = requests.get(url, headers={"x-k8s-aws-id": "my-cluster", "Accept": JSON}, timeout=5)

    assert response.headers["Content-Type"] == JSON
    assert response.json() == {
        "GetCallerIdentityResponse": {
            "GetCallerIdentityResult": {
                "Arn": f"arn:aws:iam::{ACCOUNT}:user/alice",
                "UserId": alice.user_id,
                "Account": ACCOUNT,
            },
            "ResponseMetadata": {"RequestId": response.headers["x-amzn-RequestId"]},
        }
    }
    assert sts_mock.calls[-1].caller_arn == alice.arn


def test_a_presigned_url_of_another_cluster_is_refused_in_json(sts_mock: MockSTS) -> None:
    url = eks_presigned_url(sts_mock.admin_credentials())
    response = requests.get(url, headers={"x-k8s-aws-id": "other", "Accept": JSON}, timeout=5)
    assert json_error(response) == ("SignatureDoesNotMatch", BAD_SIGNATURE, 403)


# ---------------------------------------------------------------------------------------
# Errors: the XML's code, message and status, in JSON


def both_ways(call: Callable[[str | None], requests.Response]) -> tuple[str, str, int]:
    """The error ``call`` answers in JSON, checked to be the one it answers in XML."""
    error = json_error(call(JSON))
    assert http_error_of(call(None)) == error
    return error


def test_an_expired_presigned_url(sts_mock: MockSTS) -> None:
    signed_at = dt.datetime(2025, 3, 14, 12, 0, 0, tzinfo=dt.timezone.utc)
    with time_machine.travel(signed_at, tick=False):
        request = AWSRequest(method="GET", url=f"{STS_URL}?{GET_CALLER_IDENTITY}")
        SigV4QueryAuth(signing(sts_mock.admin_credentials()), "sts", "us-east-1", 60).add_auth(
            request
        )
    with time_machine.travel(signed_at + dt.timedelta(minutes=16), tick=False):
        error = both_ways(
            lambda accept: requests.get(
                request.url, headers={"Accept": accept} if accept else {}, timeout=5
            )
        )
    assert error == (
        "SignatureDoesNotMatch",
        "Signature expired: 20250314T120000Z is now earlier than 20250314T120100Z "
        "(20250314T121600Z - 15 min.)",
        403,
    )


def test_a_wrong_secret(sts_mock: MockSTS) -> None:
    admin = sts_mock.admin_credentials()
    forged = {"AccessKeyId": admin.access_key_id, "SecretAccessKey": "wrong", "SessionToken": None}
    error = both_ways(lambda accept: send(GET_CALLER_IDENTITY, forged, accept=accept))
    assert error == ("SignatureDoesNotMatch", BAD_SIGNATURE, 403)


def test_an_expired_session(sts_mock: MockSTS) -> None:
    start = dt.datetime.now(dt.timezone.utc)
    with time_machine.travel(start, tick=False) as clock:
        session = sts_client(sts_mock.admin_credentials()).get_session_token(DurationSeconds=900)[
            "Credentials"
        ]
        clock.shift(dt.timedelta(seconds=901))
        error = both_ways(lambda accept: send(GET_CALLER_IDENTITY, session, accept=accept))
    assert error == ("ExpiredToken", "The security token included in the request is expired", 403)


def test_a_validation_error(sts_mock: MockSTS) -> None:
    body = "Action=GetSessionToken&Version=2011-06-15&DurationSeconds=99999999"
    error = both_ways(lambda accept: send(body, sts_mock.admin_credentials(), accept=accept))
    assert error == (
        "ValidationError",
        "1 validation error detected: Value '99999999' at 'durationSeconds' failed to satisfy "
        "constraint: Member must have value less than or equal to 129600",
        400,
    )


@pytest.mark.parametrize(
    ("body", "authorization", "code", "status"),
    [
        ("Version=2011-06-15", None, "MissingAction", 400),
        ("Action=Nothing&Version=2011-06-15", None, "InvalidAction", 400),
        (GET_CALLER_IDENTITY, None, "MissingAuthenticationToken", 403),
        (GET_CALLER_IDENTITY, "AWS4-HMAC-SHA256 garbage", "IncompleteSignature", 400),
    ],
)
def test_errors_before_the_operation_runs(
    sts_mock: MockSTS, body: str, authorization: str | None, code: str, status: int
) -> None:
    headers = {"Content-Type": FORM}
    if authorization:
        headers["Authorization"] = authorization

    def call(accept: str | None) -> requests.Response:
        return requests.post(STS_URL, data=body, headers={**headers, "Accept": accept or ""})

    error = both_ways(call)
    assert (error[0], error[2]) == (code, status)


def test_an_internal_failure(sts_mock: MockSTS, monkeypatch: pytest.MonkeyPatch) -> None:
    from mock_sts import _dispatch

    def broken(ctx: Any) -> Any:
        raise KeyError("boom")

    monkeypatch.setitem(_dispatch._OPERATIONS, "sts", {"GetCallerIdentity": broken})
    response = send(GET_CALLER_IDENTITY, sts_mock.admin_credentials())
    assert json_error(response) == (
        "InternalFailure",
        "mock_sts internal error: KeyError('boom')",
        500,
    )
    assert response.json()["Error"]["Type"] == "Receiver"


# ---------------------------------------------------------------------------------------
# Who gets JSON


@pytest.mark.parametrize(
    ("accept", "answers_json"),
    [
        ("application/json", True),
        ("Application/JSON", True),
        ("application/json; charset=utf-8", True),
        ("application/json, text/plain, */*", True),  # axios's default
        ("text/html, application/json;q=0.9", True),
        ("application/json, text/xml", True),
        ("text/xml;q=0.5, application/json", True),
        ("application/json;q=0.5, application/json", True),
        ("*/*", False),
        ("application/*", False),
        ("text/xml", False),
        ("text/xml, application/json;q=0.5", False),
        ("application/xml;q=1.0, application/json;q=0.999", False),
        ("application/json;q=0", False),
        ("application/json;q=2", False),
        ("application/json;q=high", False),
        ("application/jsonx", False),
        ("application/json-patch+json", False),
        ("", False),
    ],
)
def test_json_is_the_answer_when_the_accept_header_prefers_it(
    sts_mock: MockSTS, accept: str, answers_json: bool
) -> None:
    response = send(GET_CALLER_IDENTITY, sts_mock.admin_credentials(), accept=accept)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == (JSON if answers_json else "text/xml")
    if answers_json:
        assert json_result(response, "GetCallerIdentity")["Arn"] == ADMIN_ARN
    else:
        assert response.content.startswith(b"<GetCallerIdentityResponse")


def test_iam_answers_xml_whatever_the_accept_header(sts_mock: MockSTS) -> None:
    admin = sts_mock.admin_credentials()
    listing = send(
        "Action=ListUsers&Version=2010-05-08", admin, url=IAM_URL, service="iam", accept=JSON
    )
    assert listing.status_code == 200
    assert listing.headers["Content-Type"] == "text/xml"
    assert listing.content.startswith(b'<ListUsersResponse xmlns="https://iam.amazonaws.com/')
    refused = send(
        "Action=GetUser&Version=2010-05-08&UserName=nobody",
        admin,
        url=IAM_URL,
        service="iam",
        accept=JSON,
    )
    assert refused.status_code == 404
    assert refused.headers["Content-Type"] == "text/xml"
    assert b"<Code>NoSuchEntity</Code>" in refused.content


def test_botocore_clients_still_get_xml(sts_mock: MockSTS) -> None:
    sts = boto3.client(
        "sts", region_name="us-east-1", config=botocore.config.Config(retries={"max_attempts": 1})
    )
    identity = sts.get_caller_identity()
    assert identity["Arn"] == ADMIN_ARN
    assert identity["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "text/xml"
    with pytest.raises(sts.exceptions.ClientError) as excinfo:
        sts.get_session_token(DurationSeconds=999999)
    assert excinfo.value.response["Error"]["Code"] == "ValidationError"
    assert excinfo.value.response["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "text/xml"


# ---------------------------------------------------------------------------------------
# One renderer's two forms agree, for every kind of shape


def xml_parsed(service: str, action: str, body: bytes) -> dict[str, Any]:
    """What botocore's own parser reads from an XML body."""
    model = botocore.session.get_session().get_service_model(service)
    parsed: dict[str, Any] = botocore.parsers.create_parser("query").parse(
        {"body": body, "headers": {}, "status_code": 200},
        model.operation_model(action).output_shape,
    )
    parsed.pop("ResponseMetadata", None)
    return parsed


def as_json_values(value: Any) -> Any:
    """botocore's values as the JSON form writes them: epoch seconds, base64 text."""
    if isinstance(value, dict):
        return {key: as_json_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_json_values(item) for item in value]
    if isinstance(value, dt.datetime):
        return int(value.timestamp())
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    return value


WHEN = dt.datetime(2025, 3, 4, 10, 0, 0, 750000, tzinfo=dt.timezone.utc)
RESULTS: list[tuple[str, str, dict[str, Any]]] = [
    (
        "sts",
        "AssumeRole",
        {
            "Credentials": {
                "AccessKeyId": "ASIAEXAMPLE",
                "SecretAccessKey": "secret",
                "SessionToken": "token",
                "Expiration": WHEN,
            },
            "AssumedRoleUser": {"AssumedRoleId": "AROAX:s", "Arn": "arn:aws:sts::1:r/s"},
            "PackedPolicySize": 7,
        },
    ),
    (
        "iam",
        "ListUsers",
        {
            "Users": [
                {"Path": "/", "UserName": "a&b", "UserId": "AIDAX", "Arn": "a", "CreateDate": WHEN},
                {"Path": "/", "UserName": "c", "UserId": "AIDAY", "Arn": "c", "CreateDate": WHEN},
            ],
            "IsTruncated": True,
            "Marker": "1",
        },
    ),
    ("iam", "ListRoles", {"Roles": [], "IsTruncated": False}),
    ("iam", "GetAccountSummary", {"SummaryMap": {"Users": 3, "MFADevices": 1}}),
    (
        "iam",
        "CreateVirtualMFADevice",
        {"VirtualMFADevice": {"SerialNumber": "arn", "Base32StringSeed": b"JBSWY3DP"}},
    ),
]


@pytest.mark.parametrize(("service", "action", "result"), RESULTS, ids=[r[1] for r in RESULTS])
def test_the_json_form_holds_what_botocore_reads_from_the_xml(
    service: str, action: str, result: dict[str, Any]
) -> None:
    operation = _wire.service_model(service).operation_model(action)
    xml = _wire.render_success(service, operation, result, "rid")
    answer = json.loads(_answers.render_success_json(service, operation, result, "rid"))
    assert answer == {
        f"{action}Response": {
            f"{action}Result": as_json_values(xml_parsed(service, action, xml)),
            "ResponseMetadata": {"RequestId": "rid"},
        }
    }


def test_an_operation_without_output_has_only_its_metadata() -> None:
    operation = _wire.service_model("iam").operation_model("DeleteUser")
    answer = json.loads(_answers.render_success_json("iam", operation, {}, "rid"))
    assert answer == {"DeleteUserResponse": {"ResponseMetadata": {"RequestId": "rid"}}}
