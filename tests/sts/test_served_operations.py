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
    "GetScopedCredentials": {"DurationSeconds": 900},
    "GetSessionToken": {},
    "GetWebIdentityToken": {"Audience": ["https://api.example.com"], "SigningAlgorithm": "RS256"},
}


MODEL_OPERATIONS = sorted(botocore.session.get_session().get_service_model("sts").operation_names)


def test_every_operation_of_the_model_has_input_here() -> None:
    # Older botocore releases lack the newest operations; every one they have is here.
    assert set(MODEL_OPERATIONS) <= set(PARAMS)


@pytest.mark.parametrize("operation", MODEL_OPERATIONS)
def test_the_operation_is_served(sts_mock: MockSTS, operation: str) -> None:
    client = boto3.client("sts", region_name="us-east-1")
    with contextlib.suppress(ClientError):
        client._make_api_call(operation, PARAMS[operation])
    call = sts_mock.calls[-1]
    assert (call.action, call.error_code == "InvalidAction") == (operation, False)
