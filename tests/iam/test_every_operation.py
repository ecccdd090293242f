"""Every operation of botocore's IAM model is served: none answers that the mock does not
serve it, and none fails inside the mock, whatever the request lacks."""

from __future__ import annotations

import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from mock_sts import MockSTS
from tests.helpers import client

IAM_OPERATIONS = botocore.session.get_session().get_service_model("iam").operation_names


@pytest.mark.parametrize("operation", IAM_OPERATIONS)
def test_every_iam_operation_is_served(sts_mock: MockSTS, operation: str) -> None:
    # The client sends the request with nothing in it: the required members are the mock's
    # to ask for, as IAM asks for them.
    iam = client("iam", config=Config(parameter_validation=False, retries={"max_attempts": 1}))
    code = None
    try:
        iam._make_api_call(operation, {})
    except ClientError as error:
        code = error.response["Error"]["Code"]
    assert code not in ("InvalidAction", "InternalFailure")
    assert sts_mock.calls[-1].action == operation
