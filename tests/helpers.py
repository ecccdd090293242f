"""Assertion helpers shared by the test modules."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError


def aws_error(call: Callable[[], object]) -> tuple[str, str, int]:
    """The (code, message, HTTP status) of the ClientError ``call`` raises."""
    with pytest.raises(ClientError) as excinfo:
        call()
    response = excinfo.value.response
    return (
        response["Error"]["Code"],
        response["Error"]["Message"],
        response["ResponseMetadata"]["HTTPStatusCode"],
    )


def identity(client: Any) -> dict[str, str]:
    """GetCallerIdentity's three values, from a call that must succeed."""
    result = client.get_caller_identity()
    assert result["ResponseMetadata"]["HTTPStatusCode"] == 200
    return {key: result[key] for key in ("UserId", "Account", "Arn")}
