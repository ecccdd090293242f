"""Every operation of botocore's STS model is served: none answers InvalidAction."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError

if TYPE_CHECKING:
    from mock_sts import MockSTS

ROLE = "arn:aws:iam::123456789012:role/missing"
# Valid input for each operation (the model's constraints hold, so the request reaches the
# operation); the operation may still refuse it, as long as it is served.
PARAMS: dict[str, dict[str, Any]] = {
    "AssumeRole": {"RoleArn": ROLE, "RoleSessionName": "session"},
    "AssumeRoleWithSAML": {
        "RoleArn": ROLE,
        "PrincipalArn": "arn:aws:iam::123456789012:saml-provider/idp",
        "SAMLAssertion": "x" * 8,
    },
    "AssumeRoleWithWebIdentity": {
        "RoleArn": ROLE,
        "RoleSessionName": "session",
        "WebIdentityToken": "x" * 8,
    },
    "AssumeRoot": {
        "TargetPrincipal": "222222222222",
        "TaskPolicyArn": {"arn": "arn:aws:iam::aws:policy/root-task/IAMAuditRootUserCredentials"},
    },
    "DecodeAuthorizationMessage": {"EncodedMessage": "message"},
    "GetAccessKeyInfo": {"AccessKeyId": "AKIAIOSFODNN7EXAMPLE"},
    "GetCallerIdentity": {},
    "GetDelegatedAccessToken": {"TradeInToken": "token"},
    "GetFederationToken": {"Name": "federated"},
    "GetSessionToken": {},
    "GetWebIdentityToken": {"Audience": ["https://api.example.com"], "SigningAlgorithm": "RS256"},
}


def test_every_operation_of_the_model_has_input_here() -> None:
    model = botocore.session.get_session().get_service_model("sts")
    assert sorted(PARAMS) == sorted(model.operation_names)


@pytest.mark.parametrize("operation", sorted(PARAMS))
def test_the_operation_is_served(sts_mock: MockSTS, operation: str) -> None:
    client = boto3.client("sts", region_name="us-east-1")
    with contextlib.suppress(ClientError):
        client._make_api_call(operation, PARAMS[operation])
    call = sts_mock.calls[-1]
    assert (call.action, call.error_code == "InvalidAction") == (operation, False)
