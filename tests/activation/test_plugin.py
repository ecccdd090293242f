"""The pytest plugin, exercised in a separate pytest run as users run it."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def test_fixture_yields_an_active_mock(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        from mock_sts import MockSTS

        def test_identity(sts_mock):
            assert isinstance(sts_mock, MockSTS)
            identity = boto3.client("sts", region_name="us-east-1").get_caller_identity()
            assert identity["Arn"] == "arn:aws:iam::123456789012:user/admin"
            assert [c.action for c in sts_mock.calls] == ["GetCallerIdentity"]
        """
    )
    pytester.runpytest("-W", "error", "-p", "no:benchmark").assert_outcomes(passed=1)


def test_marker_kwargs_are_the_constructor_options(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3
        import botocore.exceptions
        import pytest

        @pytest.mark.sts_mock(account_id="111111111111", region="eu-west-1", strict=True)
        def test_options(sts_mock):
            assert (sts_mock.account_id, sts_mock.region, sts_mock.strict) == (
                "111111111111", "eu-west-1", True)
            sts = boto3.client("sts", region_name="eu-west-1")
            assert sts.get_caller_identity()["Account"] == "111111111111"
            stranger = boto3.client(
                "sts", region_name="eu-west-1",
                aws_access_key_id="testing", aws_secret_access_key="testing")
            with pytest.raises(botocore.exceptions.ClientError) as error:
                stranger.get_caller_identity()
            assert error.value.response["Error"]["Code"] == "InvalidClientTokenId"

        @pytest.mark.sts_mock(account_id="222222222222")
        class TestGrouped:
            def test_class_marker(self, sts_mock):
                assert sts_mock.account_id == "222222222222"
        """
    )
    pytester.runpytest("-W", "error", "--strict-markers", "-p", "no:benchmark").assert_outcomes(
        passed=2
    )


def test_state_does_not_leak_between_tests(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import boto3

        def names():
            return [u["UserName"] for u in boto3.client("iam").list_users()["Users"]]

        def test_first(sts_mock):
            boto3.client("iam").create_user(UserName="leaky")
            assert names() == ["admin", "leaky"]

        def test_second(sts_mock):
            assert names() == ["admin"]
        """
    )
    pytester.runpytest("-W", "error", "-p", "no:randomly", "-p", "no:benchmark").assert_outcomes(
        passed=2
    )


@pytest.mark.slow
def test_each_xdist_worker_has_its_own_mocks(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import os

        import boto3
        import pytest

        @pytest.mark.parametrize("n", range(8))
        def test_same_names_on_every_worker(sts_mock, n):
            iam = boto3.client("iam")
            iam.create_user(UserName="deployer")
            iam.create_role(RoleName="deploy", AssumeRolePolicyDocument='{"Version":'
                '"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":'
                '"123456789012"},"Action":"sts:AssumeRole"}]}')
            assert [u["UserName"] for u in iam.list_users()["Users"]] == ["admin", "deployer"]
            session = boto3.client("sts").assume_role(
                RoleArn="arn:aws:iam::123456789012:role/deploy", RoleSessionName=f"s{n}")
            assert session["AssumedRoleUser"]["Arn"].endswith(f"/deploy/s{n}")
            worker = os.environ["PYTEST_XDIST_WORKER"]
            with open(f"{worker}-{n}.ran", "w"):
                pass
        """
    )
    # (pytest-benchmark, if installed, warns that xdist disables it.)
    result = pytester.runpytest_subprocess(
        "-n", "2", "-W", "error", "-p", "no:randomly", "-p", "no:benchmark"
    )
    result.assert_outcomes(passed=8)
    ran = {path.name.split("-")[0] for path in pytester.path.glob("*.ran")}
    assert ran == {"gw0", "gw1"}


def test_positional_marker_arguments_are_explained(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.sts_mock("111111111111")
        def test_bad(sts_mock):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*keyword options only, got positional ('111111111111',)*"])


def test_bad_marker_options_fail_with_the_option_message(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.sts_mock(region="moon-1")
        def test_bad(sts_mock):
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*region must be an AWS region name*'moon-1'*"])


def test_the_marker_is_registered(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--markers")
    result.stdout.fnmatch_lines(["@pytest.mark.sts_mock(**options)*"])
