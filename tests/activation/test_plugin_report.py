"""What the plugin reports: the requests the mocks refused, under a failing test; the policies
the session's principals needed, with ``--sts-required-policies``; in separate pytest runs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import mock_sts

pytest_plugins = ["pytester"]
# Each runs pytest with moto inside this one: several seconds.
pytestmark = pytest.mark.slow

QUIET = ("-W", "error", "-p", "no:randomly", "-p", "no:benchmark")

# A role that may read one bucket only, and what its session is refused.
JOB = """
import json

import boto3
import pytest
from moto import mock_aws
from mock_sts import mock_sts

TRUST = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
    "Principal": {"AWS": "123456789012"}, "Action": "sts:AssumeRole"}]}
READ = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::reports/*"}]}


# A client of S3 in a session of a new role that may read the bucket, which the active
# mock's admin makes.
def reader(name="reader"):
    iam = boto3.client("iam")
    arn = iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]["Arn"]
    iam.put_role_policy(RoleName=name, PolicyName="read", PolicyDocument=json.dumps(READ))
    keys = boto3.client("sts").assume_role(RoleArn=arn, RoleSessionName="job")
    c = keys["Credentials"]
    return boto3.client("s3", region_name="us-east-1", aws_access_key_id=c["AccessKeyId"],
        aws_secret_access_key=c["SecretAccessKey"], aws_session_token=c["SessionToken"])


def attempt(request):
    try:
        request()
    except Exception:
        pass


def write(s3):
    attempt(lambda: s3.put_object(Bucket="reports", Key="q1.csv", Body=b"x"))


@pytest.fixture
def moto():
    with mock_aws():
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket="reports")
        yield
"""

REFUSED = [
    "*- mock_sts denials -*",
    "s3 PutObject by arn:aws:sts::123456789012:assumed-role/reader/job: refused",
    "    s3:PutObject on arn:aws:s3:::reports/q1.csv: no identity-based policy allows s3:PutObject",
]


def run(pytester: pytest.Pytester, body: str, *options: str) -> pytest.RunResult:
    pytester.makepyfile(JOB + body)
    return pytester.runpytest(*QUIET, *options)


def test_a_failing_test_lists_what_its_mock_refused(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_upload(sts_mock, moto):
    write(reader())
    assert False, "the upload failed"
""",
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(REFUSED)


def test_soft_refusals_are_listed_as_let_through(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
@pytest.mark.sts_mock(enforce="soft")
def test_upload(sts_mock, moto):
    write(reader())
    assert False
""",
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*- mock_sts denials -*",
            "s3 PutObject by arn:aws:sts::123456789012:assumed-role/reader/job: let through "
            '(enforce="soft")',
            "    s3:PutObject on arn:aws:s3:::reports/q1.csv: no identity-based policy allows "
            "s3:PutObject",
        ]
    )


def test_mocks_of_decorators_and_blocks_are_listed(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
@mock_sts
def test_decorated(moto):
    write(reader())
    assert False

def test_block(moto):
    with mock_sts():
        write(reader())
    assert False
""",
    )
    result.assert_outcomes(failed=2)
    result.stdout.fnmatch_lines([*REFUSED, "*test_block*", *REFUSED])


def test_credentials_refused_before_any_check_say_why(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
@pytest.mark.sts_mock(strict=True)
def test_stranger(sts_mock):
    sns = boto3.client("sns", region_name="us-east-1", aws_access_key_id="AKIAUNKNOWN000000000",
        aws_secret_access_key="x")
    attempt(sns.list_topics)
    assert False
""",
    )
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*- mock_sts denials -*",
            "sns ListTopics by an unknown access key: refused",
            "    the access key AKIAUNKNOWN000000000 does not exist",
        ]
    )


def test_passing_tests_and_tests_without_denials_get_nothing(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
def test_passes_despite_a_denial(sts_mock, moto):
    write(reader())

def test_fails_without_denials(sts_mock):
    boto3.client("sts").get_caller_identity()
    assert False

def test_fails_without_a_mock():
    assert False
""",
        "-rA",
    )
    result.assert_outcomes(passed=1, failed=2)
    assert "mock_sts denials" not in result.stdout.str()


def test_a_test_failing_twice_lists_its_denials_once(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
@pytest.fixture
def breaks_on_teardown():
    yield
    raise RuntimeError("teardown broke")

def test_upload(breaks_on_teardown, sts_mock, moto):
    write(reader())
    assert False
""",
    )
    result.assert_outcomes(failed=1, errors=1)
    assert result.stdout.str().count("mock_sts denials") == 1


def test_a_failing_setup_lists_its_denials(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
@pytest.fixture
def uploaded(sts_mock, moto):
    write(reader())
    raise RuntimeError("set-up broke")

def test_upload(uploaded):
    pass
""",
    )
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(REFUSED)


# ---------------------------------------------------------------------------------------
# --sts-required-policies


def reader_policy(*statements: dict[str, object]) -> dict[str, object]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def test_the_session_s_required_policies_are_written(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
from mock_sts import MockSTS

LEFT_RUNNING = MockSTS()

def pytest_unconfigure():
    LEFT_RUNNING.stop()
"""
    )
    result = run(
        pytester,
        """
import conftest

def test_write(sts_mock, moto):
    write(reader())

def test_read(sts_mock, moto):
    s3 = reader()
    attempt(lambda: s3.list_objects_v2(Bucket="reports"))

@pytest.fixture(scope="module")
def shared():
    with mock_sts() as sts:
        yield sts

def test_shared(shared, moto):
    s3 = reader("shared")
    attempt(lambda: s3.get_object(Bucket="reports", Key="shared"))

@pytest.mark.sts_mock(strict=True)
def test_stranger(sts_mock):
    sns = boto3.client("sns", region_name="us-east-1", aws_access_key_id="AKIAUNKNOWN000000000",
        aws_secret_access_key="x")
    attempt(sns.list_topics)

def test_never_stopped(shared, moto):
    conftest.LEFT_RUNNING.start()
    s3 = reader("other")
    attempt(lambda: s3.get_object(Bucket="reports", Key="none"))
""",
        "--sts-required-policies",
        "policies/required.json",
    )
    result.assert_outcomes(passed=5)
    written = json.loads((pytester.path / "policies" / "required.json").read_text())
    assert written["arn:aws:iam::123456789012:role/reader"] == reader_policy(
        {
            "Effect": "Allow",
            "Action": "s3:ListBucket",
            "Resource": "arn:aws:s3:::reports",
        },
        {
            "Effect": "Allow",
            "Action": "s3:PutObject",
            "Resource": "arn:aws:s3:::reports/q1.csv",
        },
    )
    assert written["arn:aws:iam::123456789012:role/other"] == reader_policy(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/none"}
    )
    assert written["arn:aws:iam::123456789012:role/shared"] == reader_policy(
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/shared"}
    )
    # The admin (keyed by its ARN, as every user) made the roles and the bucket; a request
    # signed with an unknown key has no principal to count for.
    assert sorted(written) == [
        "arn:aws:iam::123456789012:role/other",
        "arn:aws:iam::123456789012:role/reader",
        "arn:aws:iam::123456789012:role/shared",
        "arn:aws:iam::123456789012:user/admin",
    ]


def test_xdist_workers_required_policies_are_merged(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The workers import this mock_sts, wherever the run starts.
    root = Path(mock_sts.__file__).parent.parent
    path = [os.fspath(root), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(path))
    pytester.makepyfile(
        JOB
        + """
import os

@pytest.mark.parametrize("key", [f"k{n}" for n in range(8)])
def test_reads(sts_mock, moto, key):
    s3 = reader()
    attempt(lambda: s3.get_object(Bucket="reports", Key=key))
    with open(os.environ["PYTEST_XDIST_WORKER"] + f"-{key}.ran", "w"):
        pass
"""
    )
    result = pytester.runpytest_subprocess(
        "-n", "2", *QUIET, "--sts-required-policies", "required.json"
    )
    result.assert_outcomes(passed=8)
    ran = {path.name.split("-")[0] for path in pytester.path.glob("*.ran")}
    assert ran == {"gw0", "gw1"}
    written = json.loads((pytester.path / "required.json").read_text())
    assert written["arn:aws:iam::123456789012:role/reader"] == reader_policy(
        {
            "Effect": "Allow",
            "Action": "s3:GetObject",
            "Resource": [f"arn:aws:s3:::reports/k{n}" for n in range(8)],
        }
    )
