"""Assertion helpers shared by the test modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError

IAM_FULL_ACCESS = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "iam:*", "Resource": "*"}],
}
INVALID_TOKEN = (
    "InvalidClientTokenId",
    "The security token included in the request is invalid.",
    403,
)


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str, int]:
    """The (code, message, HTTP status) of the ClientError caught in ``excinfo``."""
    response = excinfo.value.response
    return (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    )


def aws_error(call: Callable[[], object]) -> tuple[str, str, int]:
    """The (code, message, HTTP status) of the ClientError ``call`` raises."""
    with pytest.raises(ClientError) as excinfo:
        call()
    return error_of(excinfo)


def identity(client: Any) -> dict[str, str]:
    """GetCallerIdentity's three values, from a call that must succeed."""
    result = client.get_caller_identity()
    assert result["ResponseMetadata"]["HTTPStatusCode"] == 200
    return {key: result[key] for key in ("UserId", "Account", "Arn")}
