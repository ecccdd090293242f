"""Nothing outlives a mock: the environment, botocore, requests, threads and temp files are
as they were, and no mock (nested, later, or on another xdist worker) sees another's state."""

from __future__ import annotations

import asyncio
import itertools
import os
import tempfile
import threading
from pathlib import Path
from typing import Any

import boto3
import botocore.config
import botocore.httpsession
import pytest
import requests
import requests.adapters
import responses
import urllib3.connectionpool

from mock_sts import Credentials, MockSTS, mock_sts
from tests.helpers import INVALID_TOKEN, aws_error, caller_identity, client, user_names
from tests.helpers.assume_role import ACCOUNT, session_arn, trust

ADMIN = f"arn:aws:iam::{ACCOUNT}:user/admin"
GITHUB = "https://token.actions.githubusercontent.com"
ONE_ATTEMPT = botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 1})
TESTING = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
UNSIGNED_IDENTITY = {"Action": "GetCallerIdentity", "Version": "2011-06-15"}
STS_URL = "https://sts.amazonaws.com/"


class ReachedTransport(Exception):
    """A request got past every mock to the real HTTP transport (which sends nothing)."""


@pytest.fixture
def no_transport(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's and requests' real transports raise ReachedTransport instead of sending."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ReachedTransport

    monkeypatch.setattr(botocore.httpsession.URLLib3Session, "send", refuse)
    monkeypatch.setattr(urllib3.connectionpool.HTTPConnectionPool, "urlopen", refuse)


def one_attempt_client(
    service: str, credentials: Credentials | None = None, /, **kwargs: Any
) -> Any:
    return client(service, credentials, config=ONE_ATTEMPT, **kwargs)


def admin_assumed(role_arn: str, name: str) -> Credentials:
    issued = one_attempt_client("sts").assume_role(RoleArn=role_arn, RoleSessionName=name)[
        "Credentials"
    ]
    return Credentials(issued["AccessKeyId"], issued["SecretAccessKey"], issued["SessionToken"])


def web_identity_role(sts: MockSTS, provider_arn: str) -> Any:
    return sts.create_role(
        "ci",
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Federated": provider_arn},
                    "Action": "sts:AssumeRoleWithWebIdentity",
                }
            ],
        },
    )


# ---------------------------------------------------------------------------------------
# What the process looks like after a mock


@pytest.mark.parametrize("set_env", [True, False])
@pytest.mark.parametrize(
    "developer",
    [
        {},
        {
            "AWS_ACCESS_KEY_ID": "AKIAREALDEVELOPERKEY",
            "AWS_SECRET_ACCESS_KEY": "real-secret",
            "AWS_SESSION_TOKEN": "real-token",
            "AWS_SECURITY_TOKEN": "real-legacy-token",
            "AWS_DEFAULT_REGION": "ap-southeast-2",
            "AWS_ROLE_ARN": "arn:aws:iam::999999999999:role/developer",
            "AWS_ROLE_SESSION_NAME": "developer",
        },
    ],
    ids=["clean", "developer-keys"],
)
def test_environment_is_identical_after_every_form(
    monkeypatch: pytest.MonkeyPatch, developer: dict[str, str], set_env: bool
) -> None:
    for name, value in developer.items():
        monkeypatch.setenv(name, value)
    before = dict(os.environ)

    with mock_sts(set_env=set_env) as outer:
        provider = outer.oidc_provider(GITHUB)
        role = web_identity_role(outer, provider.arn)
        token = provider.token(sub="x")
        with (
            outer.web_identity_env(role.arn, token, session_name="run"),
            mock_sts(account_id="111111111111", region="eu-west-1"),
        ):
            # Keys the inner mock set, changed by the test: restored all the same.
            os.environ["AWS_ACCESS_KEY_ID"] = "changed-by-the-test"
    assert dict(os.environ) == before

    @mock_sts(set_env=set_env)
    def decorated() -> None:
        admin = {} if set_env else TESTING
        assert caller_identity(one_attempt_client("sts", **admin))["Arn"] == ADMIN

    decorated()
    assert dict(os.environ) == before


def test_environment_is_identical_when_mocks_stop_out_of_order(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """tearDown code often stops mocks in the order it started them: in every order, the
    environment is the one of the latest active mock that set one, then as it was."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALDEVELOPERKEY")
    before = dict(os.environ)
    for order in itertools.permutations(range(4)):
        mocks = [
            MockSTS(),
            MockSTS(account_id="111111111111", region="eu-west-1"),
            MockSTS(account_id="222222222222", set_env=False),
            MockSTS(account_id="333333333333"),
        ]
        for mock in mocks:
            mock.start()
        keys = [mock.admin_credentials().access_key_id for mock in mocks]
        stopped: list[int] = []
        seen: list[str] = []
        expected: list[str] = []
        for index in order:
            mocks[index].stop()
            stopped.append(index)
            seen.append(os.environ["AWS_ACCESS_KEY_ID"])
            still = [i for i, mock in enumerate(mocks) if mock.set_env and i not in stopped]
            expected.append(keys[still[-1]] if still else "AKIAREALDEVELOPERKEY")
        assert (order, seen) == (order, expected)
        assert dict(os.environ) == before


def test_botocore_is_idle_after_a_mock(no_transport: None) -> None:
    made_before = one_attempt_client("sts", **TESTING)
    with mock_sts():
        made_during = one_attempt_client("sts", **TESTING)
        for sts in (made_before, made_during):
            assert caller_identity(sts)["Arn"] == ADMIN
        iam_during = one_attempt_client("iam", **TESTING)
        assert iam_during.list_users()["Users"][0]["UserName"] == "admin"
    made_after = one_attempt_client("sts", **TESTING)

    # No mock answers: every request goes on to botocore's real transport.
    for sts in (made_before, made_during, made_after):
        with pytest.raises(ReachedTransport):
            sts.get_caller_identity()
    with pytest.raises(ReachedTransport):
        iam_during.list_users()
    with pytest.raises(ReachedTransport):
        one_attempt_client("iam", **TESTING).list_users()


def test_aiobotocore_is_idle_after_a_mock(monkeypatch: pytest.MonkeyPatch) -> None:
    aio_session = pytest.importorskip("aiobotocore.session")
    aio_http = pytest.importorskip("aiobotocore.httpsession")

    async def refuse(*args: Any, **kwargs: Any) -> Any:
        raise ReachedTransport

    monkeypatch.setattr(aio_http.AIOHTTPSession, "send", refuse)

    async def caller() -> str:
        async with aio_session.get_session().create_client(
            "sts", region_name="us-east-1", config=ONE_ATTEMPT, **TESTING
        ) as sts:
            return str((await sts.get_caller_identity())["Arn"])

    with mock_sts():
        assert asyncio.run(caller()) == ADMIN
    with pytest.raises(ReachedTransport):
        asyncio.run(caller())


def test_requests_is_restored_after_a_mock(no_transport: None) -> None:
    adapter_send = requests.adapters.HTTPAdapter.send
    with mock_sts():
        answer = requests.post(STS_URL, data=UNSIGNED_IDENTITY, timeout=5)
        assert (answer.status_code, "MissingAuthenticationToken" in answer.text) == (403, True)
    assert requests.adapters.HTTPAdapter.send is adapter_send
    with pytest.raises(ReachedTransport):
        requests.post(STS_URL, data=UNSIGNED_IDENTITY, timeout=5)

    # A user's own responses mock afterwards answers STS URLs itself.
    with responses.RequestsMock() as user_mock:
        user_mock.add(responses.POST, STS_URL, body="the user's answer")
        assert requests.post(STS_URL, data=UNSIGNED_IDENTITY, timeout=5).text == (
            "the user's answer"
        )
    assert requests.adapters.HTTPAdapter.send is adapter_send


def test_no_threads_are_left_running(no_transport: None) -> None:
    before = set(threading.enumerate())
    with mock_sts() as sts:
        provider = sts.oidc_provider(GITHUB)
        role = web_identity_role(sts, provider.arn)
        with sts.web_identity_env(role.arn, provider.token(sub="x"), session_name="pod"):
            assert caller_identity(boto3.client("sts", region_name="us-east-1"))["Arn"] == (
                session_arn("ci", "pod")
            )
        requests.post(STS_URL, data=UNSIGNED_IDENTITY, timeout=5)
        sts.saml_provider("Corp").response(role.arn, subject="jdoe")
        during = set(threading.enumerate())
    assert during == before
    assert set(threading.enumerate()) == before


def test_web_identity_token_files_are_deleted(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", os.fspath(tmp_path))
    with mock_sts() as sts:
        provider = sts.oidc_provider(GITHUB)
        role = web_identity_role(sts, provider.arn)
        token = provider.token(sub="repo:octo/app:ref:refs/heads/main")
        with sts.web_identity_env(role.arn, token, session_name="run-1") as path:
            assert path.read_text() == token
            assert caller_identity(boto3.client("sts", region_name="us-east-1"))["Arn"] == (
                session_arn("ci", "run-1")
            )
        assert not path.exists()

        with (
            pytest.raises(RuntimeError, match="raised in the block"),
            sts.web_identity_env(role.arn, token) as path,
        ):
            raise RuntimeError("raised in the block")
        assert not path.exists()

        # A token that cannot even be written leaves no file either.
        with pytest.raises(UnicodeEncodeError), sts.web_identity_env(role.arn, "\udc80"):
            pass
    assert list(tmp_path.iterdir()) == []


def test_boto3_default_session_is_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """A default session resolved before the mock (with other keys) is back after it."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
    boto3.setup_default_session()
    developer_session = boto3.DEFAULT_SESSION
    assert developer_session.get_credentials().access_key == "testing"
    with mock_sts() as sts:
        assert caller_identity(boto3.client("sts", region_name="us-east-1"))["Arn"] == ADMIN
        assert boto3.DEFAULT_SESSION is not developer_session
        assert sts.admin_credentials().access_key_id == os.environ["AWS_ACCESS_KEY_ID"]
    assert boto3.DEFAULT_SESSION is developer_session
    assert developer_session.get_credentials().access_key == "testing"


# ---------------------------------------------------------------------------------------
# State never crosses from one mock to another


def test_entities_of_one_mock_are_unknown_to_the_next() -> None:
    with mock_sts() as first:
        first.create_user("deployer")
        first.create_role("deploy", trust(ACCOUNT))
        oidc = first.oidc_provider(GITHUB)
        saml = first.saml_provider("Corp")
        policy = one_attempt_client("iam").create_policy(
            PolicyName="Deploy",
            PolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow",'
            '"Action":"s3:*","Resource":"*"}]}',
        )["Policy"]["Arn"]
        one_attempt_client("iam").create_group(GroupName="ops")

    with pytest.raises(RuntimeError, match="is not active"):
        first.calls  # noqa: B018  (its state is gone with it)

    with mock_sts() as second:
        iam = one_attempt_client("iam")
        not_found = [
            aws_error(lambda: iam.get_user(UserName="deployer")),
            aws_error(lambda: iam.get_role(RoleName="deploy")),
            aws_error(lambda: iam.get_open_id_connect_provider(OpenIDConnectProviderArn=oidc.arn)),
            aws_error(lambda: iam.get_saml_provider(SAMLProviderArn=saml.arn)),
            aws_error(lambda: iam.get_policy(PolicyArn=policy)),
            aws_error(lambda: iam.get_group(GroupName="ops")),
        ]
        assert not_found == [
            ("NoSuchEntity", "The user with name deployer cannot be found.", 404),
            ("NoSuchEntity", "The role with name deploy cannot be found.", 404),
            (
                "NoSuchEntity",
                f"OpenIDConnect Provider not found for arn {oidc.arn}",
                404,
            ),
            ("NoSuchEntity", f"Manifest not found for arn {saml.arn}", 404),
            ("NoSuchEntity", f"Policy {policy} does not exist or is not attachable.", 404),
            ("NoSuchEntity", "The group with name ops cannot be found.", 404),
        ]
        assert user_names(one_attempt_client("iam")) == ["admin"]
        assert iam.list_roles()["Roles"] == []
        assert iam.list_open_id_connect_providers()["OpenIDConnectProviderList"] == []
        assert iam.list_saml_providers()["SAMLProviderList"] == []
        assert len(second.calls) == len(not_found) + 4


def test_nested_mock_starts_fresh_and_the_outer_resumes_intact() -> None:
    with mock_sts() as outer:
        deployer = outer.create_user("deployer")
        role = outer.create_role("deploy", trust(ACCOUNT))
        session = admin_assumed(role.arn, "outer")
        outer_calls = [call.action for call in outer.calls]

        with mock_sts(strict=True) as inner:
            assert aws_error(lambda: one_attempt_client("iam").get_user(UserName="deployer")) == (
                "NoSuchEntity",
                "The user with name deployer cannot be found.",
                404,
            )
            for credentials in (session, deployer.credentials):
                assert (
                    aws_error(one_attempt_client("sts", credentials).get_caller_identity)
                    == INVALID_TOKEN
                )
            twin = inner.create_user("deployer")  # same name, another user
            assert twin.user_id != deployer.user_id
            assert (
                caller_identity(one_attempt_client("sts", twin.credentials))["Arn"] == deployer.arn
            )

        assert (
            one_attempt_client("iam").get_user(UserName="deployer")["User"]["UserId"]
            == deployer.user_id
        )
        assert caller_identity(one_attempt_client("sts", session))["Arn"] == session_arn(
            "deploy", "outer"
        )
        assert (
            caller_identity(one_attempt_client("sts", deployer.credentials))["Arn"] == deployer.arn
        )
        # The inner user's key means nothing here: not strict, so it is the default admin.
        assert caller_identity(one_attempt_client("sts", twin.credentials))["Arn"] == ADMIN
        assert [call.action for call in outer.calls] == [
            *outer_calls,
            "GetUser",
            "GetCallerIdentity",
            "GetCallerIdentity",
            "GetCallerIdentity",
        ]


@pytest.mark.parametrize("strict", [True, False])
def test_credentials_of_one_mock_are_unknown_to_the_next(strict: bool) -> None:
    with mock_sts() as first:
        role = first.create_role("deploy", trust(ACCOUNT))
        deployer = first.create_user("deployer")
        old = {
            session_arn("deploy", "first"): admin_assumed(role.arn, "first"),
            deployer.arn: deployer.credentials,
        }
        for arn, credentials in old.items():
            assert caller_identity(one_attempt_client("sts", credentials))["Arn"] == arn

    with mock_sts(strict=strict) as second:
        # The same names exist again, so the old identities could be found if keys leaked.
        second.create_role("deploy", trust(ACCOUNT))
        second.create_user("deployer")
        for arn, credentials in old.items():
            if strict:
                assert (
                    aws_error(one_attempt_client("sts", credentials).get_caller_identity)
                    == INVALID_TOKEN
                )
            else:
                # Unknown keys act as the default admin by design: never as their old owner.
                assert caller_identity(one_attempt_client("sts", credentials))["Arn"] != arn
        assert len(second.calls) == len(old)


# ---------------------------------------------------------------------------------------
# Under pytest-xdist


@pytest.mark.slow
def test_xdist_workers_and_tests_see_only_their_own_entities(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import os

        import boto3
        import pytest

        TRUST = ('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":'
                 '{"AWS":"123456789012"},"Action":"sts:AssumeRole"}]}')

        @pytest.mark.parametrize("n", range(10))
        def test_same_names_everywhere(sts_mock, n):
            iam = boto3.client("iam")
            iam.create_user(UserName="shared")
            iam.tag_user(UserName="shared", Tags=[{"Key": "test", "Value": str(n)}])
            iam.create_role(RoleName="shared", AssumeRolePolicyDocument=TRUST)
            provider = sts_mock.oidc_provider("https://issuer.example.com")
            assert [u["UserName"] for u in iam.list_users()["Users"]] == ["admin", "shared"]
            assert [r["RoleName"] for r in iam.list_roles()["Roles"]] == ["shared"]
            providers = iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]
            assert [p["Arn"] for p in providers] == [provider.arn]
            tags = iam.list_user_tags(UserName="shared")["Tags"]
            assert tags == [{"Key": "test", "Value": str(n)}]
            session = boto3.client("sts").assume_role(
                RoleArn="arn:aws:iam::123456789012:role/shared", RoleSessionName=f"s{n}")
            assert [c.action for c in sts_mock.calls][-1] == "AssumeRole"
            assert len(sts_mock.calls) == 8
            worker = os.environ["PYTEST_XDIST_WORKER"]
            with open(f"{worker}-{n}.ran", "w"):
                pass

        @pytest.mark.parametrize("n", range(4))
        def test_no_mock_between_tests(n):
            assert "AWS_ACCESS_KEY_ID" not in os.environ
        """
    )
    result = pytester.runpytest_subprocess(
        "-n", "2", "-W", "error", "-p", "no:randomly", "-p", "no:benchmark"
    )
    result.assert_outcomes(passed=14)
    ran = sorted(path.name.split("-")[0] for path in pytester.path.glob("*.ran"))
    assert set(ran) == {"gw0", "gw1"}
    assert len(ran) == 10
