"""Identifiers: the account inside key ids, unique-id shapes, partitions of endpoints."""

from __future__ import annotations

import re
import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mock_sts import _ids

accounts = st.integers(min_value=0, max_value=10**12 - 1).map(lambda n: f"{n:012d}")


@given(account=accounts, prefix=st.sampled_from(["AKIA", "ASIA"]))
def test_key_ids_carry_their_account(account: str, prefix: str) -> None:
    key_id = _ids.new_id(prefix, account)
    assert re.fullmatch(prefix + "[A-Z2-7]{16}", key_id)
    assert _ids.account_from_key_id(key_id) == account


@given(account=accounts, prefix=st.sampled_from(["AIDA", "AROA", "ANPA"]))
def test_unique_ids_are_21_characters_and_carry_their_account(account: str, prefix: str) -> None:
    unique_id = _ids.new_id(prefix, account, 17)
    assert re.fullmatch(prefix + "[A-Z2-7]{17}", unique_id)
    assert _ids.account_from_key_id(unique_id) == account


@pytest.mark.parametrize(
    ("key_id", "account"),
    [
        ("ASIAY34FZKBOKMUTVV7A", "609629065308"),
        ("AKIARZPUZDIKGB2VALC4", "123456789012"),
        ("AROA2AVYNEVMZEZ2AFVYI", "688655246681"),
        ("ASIA2AVYNEVMQECFBHEU", "688655246681"),
        ("AKIAIOSFODNN7EXAMPLE", None),
        ("AKIA0000000000000000", None),
        ("AKIAABC", None),
    ],
)
def test_decoding_real_aws_ids(key_id: str, account: str | None) -> None:
    assert _ids.account_from_key_id(key_id) == account


def test_ids_of_one_account_share_their_first_characters() -> None:
    first, second = (_ids.new_id("AKIA", "123456789012") for _ in range(2))
    assert first[:12] == second[:12] == "AKIARZPUZDIK"
    assert first != second


def test_secrets_and_tokens_have_aws_shapes() -> None:
    assert re.fullmatch(r"[A-Za-z0-9+/]{40}", _ids.new_secret())
    token = _ids.new_session_token()
    assert token.startswith("IQoJb3JpZ2luX2Vj")
    assert len(token) > 300


def test_request_ids_are_lowercase_version_4_uuids() -> None:
    ids = {_ids.new_request_id() for _ in range(500)}
    assert len(ids) == 500
    for request_id in ids:
        parsed = uuid.UUID(request_id)
        assert str(parsed) == request_id
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122


@pytest.mark.parametrize(
    ("host", "endpoint"),
    [
        ("sts.amazonaws.com", ("sts", "us-east-1")),
        ("sts.amazonaws.com:443", ("sts", "us-east-1")),
        ("STS.EU-WEST-1.AMAZONAWS.COM", ("sts", "eu-west-1")),
        ("sts-fips.us-east-1.api.aws", ("sts", "us-east-1")),
        ("sts.cn-north-1.amazonaws.com.cn", ("sts", "cn-north-1")),
        ("iam.amazonaws.com", ("iam", "us-east-1")),
        ("iam.us-gov.amazonaws.com", ("iam", "us-gov-west-1")),
        ("iam.cn-north-1.amazonaws.com.cn", ("iam", "cn-north-1")),
        ("sts.eusc-de-east-1.amazonaws.eu", ("sts", "eusc-de-east-1")),
        ("sts.amazonaws.com.cn", None),
        ("sts.eu-west-1.amazonaws.com.cn", None),
        ("s3.amazonaws.com", None),
        ("evil.sts.amazonaws.com", None),
        ("localhost:5000", None),
    ],
)
def test_endpoint_of_host(host: str, endpoint: tuple[str, str] | None) -> None:
    assert _ids.endpoint_of_host(host) == endpoint


@pytest.mark.parametrize(
    ("region", "partition"),
    [
        ("us-east-1", "aws"),
        ("ap-southeast-7", "aws"),
        ("cn-northwest-1", "aws-cn"),
        ("us-gov-east-1", "aws-us-gov"),
        ("us-iso-east-1", "aws-iso"),
        ("eusc-de-east-1", "aws-eusc"),
        ("moon-base-1", "aws"),
        ("aws-global", "aws"),
        ("eu-future-9", "aws"),
        ("aws-cn-global", "aws-cn"),
    ],
)
def test_partition_names(region: str, partition: str) -> None:
    assert _ids.partition_name(region) == partition
