"""Every way of turning the mock on: decorators, context managers, TestCase classes, nesting."""

from __future__ import annotations

import asyncio
import logging
import os
import unittest
from typing import Any

import boto3
import botocore.config
import botocore.exceptions
import pytest

from mock_sts import MockSTS, mock_sts
from tests.helpers import user_names

ALLOW_GET_CALLER_IDENTITY = {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"}],
}


def caller_arn(**client_kwargs: Any) -> str:
    client = boto3.client("sts", region_name="us-east-1", **client_kwargs)
    arn: str = client.get_caller_identity()["Arn"]
    return arn


def test_bare_decorator_serves_the_default_account() -> None:
    @mock_sts
    def body() -> str:
        return caller_arn()

    assert body() == "arn:aws:iam::123456789012:user/admin"


def test_decorator_with_options() -> None:
    @mock_sts(account_id="111111111111", region="eu-west-1")
    def body() -> tuple[str, str]:
        return caller_arn(), os.environ["AWS_DEFAULT_REGION"]

    assert body() == ("arn:aws:iam::111111111111:user/admin", "eu-west-1")


def test_each_call_of_a_decorated_function_gets_fresh_state() -> None:
    @mock_sts
    def body(name: str) -> list[str]:
        boto3.client("iam").create_user(UserName=name)
        return user_names(boto3.client("iam"))

    assert body("alice") == ["admin", "alice"]
    assert body("bob") == ["admin", "bob"]


def test_decorated_function_keeps_name_signature_and_return_value() -> None:
    @mock_sts
    def documented(x: int, *, y: int = 2) -> int:
        """Adds."""
        return x + y

    assert documented(1, y=3) == 4
    assert documented.__name__ == "documented"
    assert documented.__doc__ == "Adds."


def test_context_manager_returns_the_handle_and_restores_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALDEVELOPERKEY")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "real-secret")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "real-token")
    monkeypatch.setenv("AWS_SECURITY_TOKEN", "real-legacy-token")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-southeast-2")
    before = dict(os.environ)
    with mock_sts() as sts:
        assert isinstance(sts, MockSTS)
        admin = sts.admin_credentials()
        assert os.environ["AWS_ACCESS_KEY_ID"] == admin.access_key_id
        assert os.environ["AWS_SECRET_ACCESS_KEY"] == admin.secret_access_key
        assert "AWS_SESSION_TOKEN" not in os.environ
        assert "AWS_SECURITY_TOKEN" not in os.environ
        # A region the developer chose is kept.
        assert os.environ["AWS_DEFAULT_REGION"] == "ap-southeast-2"
        os.environ["AWS_ACCESS_KEY_ID"] = "changed-by-the-test"
    assert dict(os.environ) == before


@pytest.mark.parametrize("variable", ["AWS_PROFILE", "AWS_DEFAULT_PROFILE"])
def test_a_profile_of_the_machine_never_signs(
    monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    # A profile this machine does not have: botocore would refuse every client with it.
    monkeypatch.setenv(variable, "developer-laptop")
    before = dict(os.environ)
    with mock_sts() as sts:
        assert variable not in os.environ
        assert caller_arn() == f"arn:aws:iam::{sts.account_id}:user/admin"
    assert dict(os.environ) == before


def test_region_is_set_only_when_unset() -> None:
    with mock_sts(region="eu-central-1"):
        assert os.environ["AWS_DEFAULT_REGION"] == "eu-central-1"
    assert "AWS_DEFAULT_REGION" not in os.environ


def test_set_env_false_leaves_the_environment_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    before = dict(os.environ)
    with mock_sts(set_env=False) as sts:
        assert dict(os.environ) == before
        # Unknown keys act as the default administrator unless strict.
        testing = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        assert caller_arn(**testing) == "arn:aws:iam::123456789012:user/admin"
        assert caller_arn(**sts.admin_credentials().as_boto3()).endswith(":user/admin")


def test_async_context_manager() -> None:
    async def body() -> str:
        async with mock_sts(account_id="222222222222") as sts:
            assert isinstance(sts, MockSTS)
            await asyncio.sleep(0)
            return caller_arn()

    assert asyncio.run(body()) == "arn:aws:iam::222222222222:user/admin"


def test_async_function_is_mocked_while_the_coroutine_runs() -> None:
    @mock_sts(account_id="333333333333")
    async def body() -> list[str]:
        seen = [caller_arn()]
        await asyncio.sleep(0)
        seen.append(caller_arn())
        return seen

    assert asyncio.iscoroutinefunction(body)
    assert asyncio.run(body()) == ["arn:aws:iam::333333333333:user/admin"] * 2
    assert "AWS_ACCESS_KEY_ID" not in os.environ


def test_methods_can_be_decorated() -> None:
    class Deployer:
        prefix = "svc-"

        @mock_sts
        def create(self, name: str) -> list[str]:
            boto3.client("iam").create_user(UserName=self.prefix + name)
            return user_names(boto3.client("iam"))

    assert Deployer().create("a") == ["admin", "svc-a"]
    assert Deployer().create("b") == ["admin", "svc-b"]


def test_reentrant_calls_get_their_own_state() -> None:
    @mock_sts
    def body(depth: int) -> list[list[str]]:
        boto3.client("iam").create_user(UserName=f"user{depth}")
        inner = body(depth + 1) if depth < 2 else []
        return [user_names(boto3.client("iam")), *inner]

    assert body(0) == [["admin", "user0"], ["admin", "user1"], ["admin", "user2"]]


def test_nested_mocks_have_their_own_state_and_the_outer_resumes() -> None:
    with mock_sts() as outer:
        boto3.client("iam").create_user(UserName="outer-user")
        outer_env = os.environ["AWS_ACCESS_KEY_ID"]
        with mock_sts(account_id="444444444444") as inner:
            assert caller_arn() == "arn:aws:iam::444444444444:user/admin"
            assert user_names(boto3.client("iam")) == ["admin"]
            assert os.environ["AWS_ACCESS_KEY_ID"] == inner.admin_credentials().access_key_id
        assert os.environ["AWS_ACCESS_KEY_ID"] == outer_env
        assert user_names(boto3.client("iam")) == ["admin", "outer-user"]
        assert [c.action for c in outer.calls] == ["CreateUser", "ListUsers"]


@mock_sts(account_id="555555555555")
class DecoratedTestCase(unittest.TestCase):
    def setUp(self) -> None:
        boto3.client("iam").create_user(UserName="from-setup")

    def test_setup_ran_inside_the_mock(self) -> None:
        assert user_names(boto3.client("iam")) == ["admin", "from-setup"]

    def test_each_test_has_fresh_state(self) -> None:
        boto3.client("iam").create_user(UserName="only-here")
        assert user_names(boto3.client("iam")) == ["admin", "from-setup", "only-here"]

    def test_options_apply(self) -> None:
        assert caller_arn() == "arn:aws:iam::555555555555:user/admin"


def test_testcase_class_runs_each_test_in_a_fresh_mock() -> None:
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(DecoratedTestCase)
    result = unittest.TestResult()
    suite.run(result)
    assert result.testsRun == 3
    assert result.errors == []
    assert result.failures == []
    assert "AWS_ACCESS_KEY_ID" not in os.environ


def test_a_non_testcase_class_is_refused_with_a_fix() -> None:
    with pytest.raises(TypeError, match=r"cannot decorate the class Plain: only unittest"):

        @mock_sts
        class Plain:
            pass


def test_decorating_something_not_callable_is_refused() -> None:
    with pytest.raises(TypeError, match=r"not str \('111111111111'\)"):
        mock_sts("111111111111")  # type: ignore[call-overload]


def test_target_and_options_together_are_refused() -> None:
    with pytest.raises(TypeError, match="either @mock_sts or @mock_sts"):
        mock_sts(lambda: None, account_id="111111111111")  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        (
            {"account_id": "1234"},
            ValueError,
            "account_id must be a string of 12 digits, got '1234'",
        ),
        ({"account_id": 123456789012}, ValueError, "got 123456789012"),
        ({"account_id": None}, ValueError, "got None"),
        ({"region": "mars-north-1"}, ValueError, "region must be an AWS region name"),
        ({"region": ""}, ValueError, "got ''"),
        ({"strict": "yes"}, TypeError, "strict must be True or False, got 'yes'"),
        ({"set_env": 1}, TypeError, "set_env must be True or False, got 1"),
    ],
)
def test_bad_options_fail_at_decoration_time(
    options: dict[str, Any], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        mock_sts(**options)
    with pytest.raises(error, match=message):
        MockSTS(**options)


def test_unknown_option_is_a_type_error() -> None:
    with pytest.raises(
        TypeError, match=r"unknown option 'acount_id' \(did you mean 'account_id'\?\)"
    ):
        mock_sts(acount_id="111111111111")  # type: ignore[call-overload]


def test_start_twice_and_stop_when_inactive_explain_themselves() -> None:
    sts = MockSTS()
    with pytest.raises(RuntimeError, match="is not started"):
        sts.stop()
    sts.start()
    try:
        with pytest.raises(RuntimeError, match="already started"):
            sts.start()
    finally:
        sts.stop()
    with pytest.raises(RuntimeError, match="is not active: use it as a decorator"):
        sts.admin_credentials()


def test_repr_shows_state_and_options() -> None:
    sts = MockSTS(account_id="111111111111")
    assert repr(sts) == (
        "<MockSTS inactive account_id='111111111111', region='us-east-1', strict=False, "
        "set_env=True, enforce=True>"
    )
    with sts:
        assert repr(sts).startswith("<MockSTS active")


def test_nothing_is_intercepted_without_an_active_mock() -> None:
    with mock_sts():
        pass
    client = boto3.client(
        "sts",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        endpoint_url="http://127.0.0.1:9",
        config=botocore.config.Config(retries={"max_attempts": 1}, connect_timeout=1),
    )
    with pytest.raises(botocore.exceptions.EndpointConnectionError):
        client.get_caller_identity()


def test_handle_credentials_for_other_accounts() -> None:
    with mock_sts() as sts:
        other = sts.admin_credentials("999999999999")
        assert caller_arn(**other.as_boto3()) == "arn:aws:iam::999999999999:user/admin"
        root = sts.root_credentials("999999999999")
        assert caller_arn(**root.as_boto3()) == "arn:aws:iam::999999999999:root"
        assert sts.root_credentials("999999999999") == root
        assert root.session_token is None
        assert root.expiration is None
        assert root.as_env() == {
            "AWS_ACCESS_KEY_ID": root.access_key_id,
            "AWS_SECRET_ACCESS_KEY": root.secret_access_key,
        }
        with pytest.raises(ValueError, match="12 digits"):
            sts.admin_credentials("12")


def test_admin_credentials_after_the_admin_was_deleted() -> None:
    with mock_sts() as sts:
        iam = boto3.client("iam")
        admin = sts.admin_credentials()
        iam.delete_access_key(UserName="admin", AccessKeyId=admin.access_key_id)
        with pytest.raises(LookupError, match="no admin user with an access key"):
            sts.admin_credentials()


def test_create_user_handle() -> None:
    with mock_sts() as sts:
        user = sts.create_user(
            "deployer",
            path="/ci/",
            tags={"team": "red"},
            policies={"inline": ALLOW_GET_CALLER_IDENTITY},
            managed_policy_arns=["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"],
        )
        assert user.arn == "arn:aws:iam::123456789012:user/ci/deployer"
        assert user.user_id.startswith("AIDA")
        assert len(user.user_id) == 21
        assert caller_arn(**user.credentials.as_boto3()) == user.arn
        fetched = boto3.client("iam").get_user(UserName="deployer")["User"]
        assert fetched["Tags"] == [{"Key": "team", "Value": "red"}]
        assert fetched["UserId"] == user.user_id
        with pytest.raises(botocore.exceptions.ClientError) as error:
            sts.create_user("DEPLOYER")
        assert error.value.response["Error"] == {
            "Code": "EntityAlreadyExists",
            "Message": "User with name DEPLOYER already exists.",
            "Type": "Sender",
        }
        with pytest.raises(botocore.exceptions.ClientError) as error:
            sts.create_user("bad name!", tags={"k": "v"})
        assert error.value.response["Error"]["Message"] == (
            "1 validation error detected: Value at 'userName' failed to satisfy "
            "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"
        )
        assert error.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert [c.action for c in sts.calls] == ["GetCallerIdentity", "GetUser"]
        other = sts.create_user("deployer", account_id="111111111111")
        assert other.arn == "arn:aws:iam::111111111111:user/deployer"


def test_an_unknown_key_acting_as_admin_is_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="mock_sts")
    with MockSTS():
        for _ in range(2):
            sts = boto3.client(
                "sts",
                region_name="us-east-1",
                aws_access_key_id="ASIACACHEDEARLIER1",
                aws_secret_access_key="secret",
                aws_session_token="token",
            )
            assert sts.get_caller_identity()["Arn"].endswith(":user/admin")
    told = [r.getMessage() for r in caplog.records if "ASIACACHEDEARLIER1" in r.getMessage()]
    assert len(told) == 1
    assert "act as the admin user; strict=True refuses them" in told[0]
