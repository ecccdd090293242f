"""Every endpoint botocore can pick is served, and clients made before the import are too."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from typing import Any

import boto3
import botocore.config
import pytest

from mock_sts import mock_sts


@pytest.mark.parametrize(
    ("region", "config", "host"),
    [
        ("us-east-1", {}, "sts.us-east-1.amazonaws.com"),
        ("eu-west-1", {}, "sts.eu-west-1.amazonaws.com"),
        ("us-west-2", {"use_fips_endpoint": True}, "sts-fips.us-west-2.amazonaws.com"),
        ("eu-west-1", {"use_dualstack_endpoint": True}, "sts.eu-west-1.api.aws"),
        (
            "us-east-2",
            {"use_fips_endpoint": True, "use_dualstack_endpoint": True},
            "sts-fips.us-east-2.api.aws",
        ),
        ("cn-north-1", {}, "sts.cn-north-1.amazonaws.com.cn"),
        ("us-gov-west-1", {}, "sts.us-gov-west-1.amazonaws.com"),
        ("us-gov-east-1", {"use_fips_endpoint": True}, "sts.us-gov-east-1.amazonaws.com"),
        ("ap-southeast-5", {}, "sts.ap-southeast-5.amazonaws.com"),
    ],
)
def test_sts_is_served_on_every_endpoint(region: str, config: dict[str, Any], host: str) -> None:
    with mock_sts():
        client = boto3.client("sts", region_name=region, config=botocore.config.Config(**config))
        assert client.meta.endpoint_url == f"https://{host}"
        assert client.get_caller_identity()["Account"] == "123456789012"


def test_legacy_global_sts_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy")
    with mock_sts() as sts:
        client = boto3.client("sts", region_name="eu-west-1")
        assert client.meta.endpoint_url == "https://sts.amazonaws.com"
        assert client.get_caller_identity()["Account"] == "123456789012"
        assert sts.calls[-1].status == 200


@pytest.mark.parametrize(
    ("region", "host"),
    [
        ("us-east-1", "iam.amazonaws.com"),
        ("eu-west-1", "iam.amazonaws.com"),
        ("cn-north-1", "iam.cn-north-1.amazonaws.com.cn"),
        ("us-gov-west-1", "iam.us-gov.amazonaws.com"),
    ],
)
def test_iam_is_served_on_every_partition(region: str, host: str) -> None:
    with mock_sts():
        client = boto3.client("iam", region_name=region)
        assert client.meta.endpoint_url == f"https://{host}"
        assert client.get_user()["User"]["UserName"] == "admin"


@pytest.mark.parametrize(
    ("region", "partition"),
    [("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov"), ("eu-west-1", "aws")],
)
def test_arns_carry_the_partition_of_the_mock_region(region: str, partition: str) -> None:
    with mock_sts(region=region):
        arn = boto3.client("sts", region_name=region).get_caller_identity()["Arn"]
        assert arn == f"arn:{partition}:iam::123456789012:user/admin"


def test_custom_endpoint_urls_are_served_by_service() -> None:
    with mock_sts():
        client = boto3.client(
            "sts", region_name="eu-west-1", endpoint_url="https://sts.example.internal"
        )
        assert client.get_caller_identity()["Account"] == "123456789012"


def run_python(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.mark.slow
def test_clients_created_before_import_are_served() -> None:
    out = run_python(
        """
        import boto3
        sts = boto3.client("sts", region_name="us-east-1",
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        iam = boto3.client("iam", aws_access_key_id="testing", aws_secret_access_key="testing")
        from mock_sts import mock_sts
        with mock_sts(account_id="111111111111"):
            print(sts.get_caller_identity()["Arn"])
            print(iam.create_user(UserName="early")["User"]["Arn"])
        """
    )
    assert out.splitlines() == [
        "arn:aws:iam::111111111111:user/admin",
        "arn:aws:iam::111111111111:user/early",
    ]


@pytest.mark.slow
def test_sessions_created_before_the_first_mock_are_served() -> None:
    out = run_python(
        """
        import boto3, mock_sts
        session = boto3.session.Session(region_name="us-east-1")
        with mock_sts.mock_sts():
            print(session.client("sts").get_caller_identity()["Account"])
        """
    )
    assert out == "123456789012"


@pytest.mark.slow
def test_importing_loads_no_request_machinery_until_the_first_request() -> None:
    out = run_python(
        """
        import sys
        import boto3, mock_sts
        pipeline = ("mock_sts._wire", "mock_sts._dispatch", "mock_sts._policy", "jwt", "lxml")
        print(sorted(name for name in pipeline if name in sys.modules))
        with mock_sts.mock_sts():
            boto3.client("sts", region_name="us-east-1").get_caller_identity()
        print(sorted(name for name in pipeline if name in sys.modules))
        """
    )
    assert out.splitlines() == [
        "[]",
        "['mock_sts._dispatch', 'mock_sts._policy', 'mock_sts._wire']",
    ]


def test_other_services_are_not_answered() -> None:
    with mock_sts():
        s3 = boto3.client(
            "s3",
            region_name="us-east-1",
            endpoint_url="http://127.0.0.1:9",
            config=botocore.config.Config(retries={"max_attempts": 1}, connect_timeout=1),
        )
        with pytest.raises(botocore.exceptions.EndpointConnectionError):
            s3.list_buckets()


def test_response_bodies_can_be_awaited_as_aiobotocore_does() -> None:
    seen: list[Any] = []

    def keep(response: Any, **kwargs: Any) -> None:
        seen.append(response[0])

    with mock_sts():
        sts = boto3.client("sts", region_name="us-east-1")
        sts.meta.events.register("needs-retry.sts.GetCallerIdentity", keep)
        sts.get_caller_identity()

    async def read(content: Any) -> bytes:
        body: bytes = await content
        return body

    (response,) = seen
    assert asyncio.run(read(response.content)) == response.content
    assert response.content.startswith(b"<GetCallerIdentityResponse")


def _loader(session: boto3.Session) -> Any:
    return session._session.get_component("data_loader")


def test_sessions_made_under_a_mock_share_the_data_botocore_loaded(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with mock_sts():
        first, second = boto3.Session(), boto3.Session()
        with monkeypatch.context() as patch:
            patch.setenv("AWS_DATA_PATH", str(tmp_path))
            elsewhere = boto3.Session()
        # Each session serves, with the models the first loaded.
        for session in (first, second, elsewhere):
            sts = session.client("sts", region_name="us-east-1")
            assert sts.get_caller_identity()["Account"] == "123456789012"
        assert _loader(first) is _loader(second)
        # Another search path (AWS_DATA_PATH) may hold other models: its own loader.
        assert _loader(elsewhere) is not _loader(first)
        assert str(tmp_path) in _loader(elsewhere).search_paths
    # Once the mock is gone, botocore's own way: a loader per session.
    assert _loader(boto3.Session()) is not _loader(first)
