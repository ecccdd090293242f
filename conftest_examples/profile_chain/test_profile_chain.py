"""Code under test: a deploy script run as ``--profile prod``.

With moto, any role_arn in any profile "works". Here each hop must be trusted and allowed,
and a chained role session cannot last longer than an hour, as on AWS.
"""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError


def deployer(profile: str) -> str:
    """What the script prints before deploying: whom the profile resolves to."""
    session = boto3.Session(profile_name=profile, region_name="us-east-1")
    return str(session.client("sts").get_caller_identity()["Arn"])


def test_prod_profile_chains_through_the_hub(aws_config: Path) -> None:
    assert deployer("hub") == "arn:aws:sts::222222222222:assumed-role/jump/dana"
    assert deployer("prod") == "arn:aws:sts::333333333333:assumed-role/deploy/dana"


def test_a_chained_session_is_capped_at_one_hour(aws_config: Path) -> None:
    with pytest.raises(ClientError) as error:  # moto: a two-hour session
        deployer("prod-long")
    assert error.value.response["Error"]["Code"] == "ValidationError"
    assert "role chaining" in error.value.response["Error"]["Message"]


def test_skipping_the_hub_is_refused(aws_config: Path) -> None:
    config = aws_config.read_text().replace("source_profile = hub", "source_profile = dev")
    aws_config.write_text(config)

    with pytest.raises(ClientError) as error:  # moto: succeeds
        deployer("prod")
    assert error.value.response["Error"]["Code"] == "AccessDenied"
