"""What a caller's requests are decided with is kept between requests while nothing changes
(see ``StateLock``); every change of what binds a caller applies to its very next request,
whichever way it is made: through IAM, through the handle, or by time passing."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import time_machine
from botocore.exceptions import ClientError

from mock_sts import Credentials, MockSTS, mock_sts
from mock_sts._lock import StateLock
from tests.helpers import aws_error, client
from tests.helpers.assume_role import ACCOUNT, document, session_token_of, with_mfa
from tests.helpers.services import denies, grants, limited_to, served_by_moto

BUCKET = "reports"
OBJECTS = f"arn:aws:s3:::{BUCKET}/*"
READ = grants("s3:GetObject", OBJECTS)


@pytest.fixture
def aws() -> Iterator[MockSTS]:
    with served_by_moto(), mock_sts() as sts:
        client("s3").create_bucket(Bucket=BUCKET)
        client("s3").put_object(Bucket=BUCKET, Key="q1.csv", Body=b"v1")
        yield sts


def reads(credentials: Credentials) -> bool:
    """Whether ``credentials`` may read the object: asked twice, the second answer being
    decided with what was kept from the first."""
    s3 = client("s3", credentials)
    answers = {_answer(lambda: s3.get_object(Bucket=BUCKET, Key="q1.csv")) for _ in range(2)}
    assert answers in ({"read"}, {"AccessDenied"})
    return answers == {"read"}


def _answer(request: Callable[[], object]) -> str:
    try:
        request()
    except ClientError as error:
        return str(error.response["Error"]["Code"])
    return "read"


def iam() -> Any:
    return client("iam")


def policy(*statements: dict[str, Any]) -> str:
    return json.dumps(document(*statements))


def _attach_then_deny(sts: MockSTS, worker: Credentials) -> None:
    """A customer managed policy that allows reading, attached, then given a new default
    version that denies it: the session read before the new version, not after."""
    arn = iam().create_policy(PolicyName="reading", PolicyDocument=policy(READ))["Policy"]["Arn"]
    iam().attach_role_policy(RoleName="worker", PolicyArn=arn)
    assert reads(worker)
    iam().create_policy_version(
        PolicyArn=arn, PolicyDocument=policy(denies("s3:GetObject", OBJECTS)), SetAsDefault=True
    )


def _delete_role(name: str) -> None:
    for policy_name in iam().list_role_policies(RoleName=name)["PolicyNames"]:
        iam().delete_role_policy(RoleName=name, PolicyName=policy_name)
    iam().delete_role(RoleName=name)


# (what the worker role's session starts with, the change made to it, whether it reads
# afterwards)
Change = Callable[[MockSTS, Credentials], object]

CHANGES: dict[str, tuple[tuple[dict[str, Any], ...], Change, bool]] = {
    "an inline policy put": (
        (),
        lambda sts, worker: iam().put_role_policy(
            RoleName="worker", PolicyName="read", PolicyDocument=policy(READ)
        ),
        True,
    ),
    "an inline policy deleted": (
        (READ,),
        lambda sts, worker: iam().delete_role_policy(RoleName="worker", PolicyName="limits"),
        False,
    ),
    "a managed policy attached": (
        (),
        lambda sts, worker: iam().attach_role_policy(
            RoleName="worker", PolicyArn="arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
        ),
        True,
    ),
    "a managed policy's default version changed": (
        (),
        _attach_then_deny,
        False,
    ),
    "a permissions boundary put": (
        (READ,),
        lambda sts, worker: iam().put_role_permissions_boundary(
            RoleName="worker", PermissionsBoundary="arn:aws:iam::aws:policy/AmazonSQSFullAccess"
        ),
        False,
    ),
    "an SCP attached": (
        (READ,),
        lambda sts, worker: sts.organization("999999999999", [ACCOUNT]).attach_scp(
            document(grants("*"), denies("s3:*"))
        ),
        False,
    ),
    "the role deleted": (
        (READ,),
        lambda sts, worker: _delete_role("worker"),
        False,
    ),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_applies_to_the_next_request(aws: MockSTS, change: str) -> None:
    statements, make_change, reads_after = CHANGES[change]
    worker = limited_to(aws, *statements)
    assert reads(worker) is bool(statements)

    make_change(aws, worker)

    assert reads(worker) is reads_after


def test_a_users_tags_apply_at_once(aws: MockSTS) -> None:
    """A condition on the caller's principal tags sees a tag the user was just given."""
    tagged = grants("s3:GetObject", OBJECTS)
    tagged["Condition"] = {"StringEquals": {"aws:PrincipalTag/team": "reports"}}
    user = aws.create_user("analyst", policies={"read": document(tagged)})
    assert not reads(user.credentials)

    iam().tag_user(UserName="analyst", Tags=[{"Key": "team", "Value": "reports"}])

    assert reads(user.credentials)


def test_a_groups_policies_apply_to_a_new_member_at_once(aws: MockSTS) -> None:
    user = aws.create_user("analyst")
    iam().create_group(GroupName="readers")
    iam().put_group_policy(GroupName="readers", PolicyName="read", PolicyDocument=policy(READ))
    assert not reads(user.credentials)

    iam().add_user_to_group(GroupName="readers", UserName="analyst")

    assert reads(user.credentials)


def test_a_time_condition_is_decided_at_each_request(aws: MockSTS) -> None:
    """What is kept does not hold the clock still: aws:CurrentTime is read at each
    request."""
    until = grants("s3:GetObject", OBJECTS)
    until["Condition"] = {"DateLessThan": {"aws:CurrentTime": "2030-01-01T00:00:00Z"}}
    with time_machine.travel(dt.datetime(2029, 12, 31, 23, 30, tzinfo=dt.timezone.utc)):
        worker = limited_to(aws, until)
        assert reads(worker)
    with time_machine.travel(dt.datetime(2029, 12, 31, 23, 59, 30, tzinfo=dt.timezone.utc)):
        assert reads(worker)
    with time_machine.travel(dt.datetime(2030, 1, 1, 0, 0, 1, tzinfo=dt.timezone.utc)):
        # Still within the session's hour, past the policy's date.
        code, _, _ = aws_error(lambda: client("s3", worker).get_object(Bucket=BUCKET, Key="q1.csv"))
        assert code == "AccessDenied"


def test_what_a_request_teaches_applies_at_once(aws: MockSTS) -> None:
    """A bucket policy set through S3 (learned as the request passes) decides the very next
    request, though the same request was allowed a moment before."""
    worker = limited_to(aws, READ)
    assert reads(worker)

    deny = {**denies("s3:GetObject", OBJECTS), "Principal": "*"}
    client("s3").put_bucket_policy(Bucket=BUCKET, Policy=policy(deny))

    assert not reads(worker)


def test_the_mfa_age_is_decided_within_a_second(aws: MockSTS) -> None:
    """The MFA age is counted from a moment within a second: two requests of the same second
    may see two ages, and each is decided on its own."""
    fresh = grants("s3:GetObject", OBJECTS)
    fresh["Condition"] = {"NumericLessThan": {"aws:MultiFactorAuthAge": "10"}}
    user = aws.create_user("analyst", policies={"read": document(fresh)})
    device = user.enable_mfa()
    start = dt.datetime(2030, 1, 1, 12, 0, 0, 500000, tzinfo=dt.timezone.utc)
    with time_machine.travel(start, tick=False):
        session = session_token_of(user.credentials, **with_mfa(device))
    with time_machine.travel(start + dt.timedelta(seconds=9, microseconds=700000), tick=False):
        assert reads(session)  # 12:00:10.2: 9 whole seconds since the code
    with time_machine.travel(start + dt.timedelta(seconds=10, microseconds=200000), tick=False):
        assert not reads(session)  # 12:00:10.7, the same whole second: 10


def test_requests_with_streams_are_decided_every_time(aws: MockSTS) -> None:
    """An upload's body that is a stream or a large payload makes no key: the request is
    decided each time, and decided alike."""
    writer = limited_to(aws, grants("s3:PutObject", OBJECTS))
    s3 = client("s3", writer)
    for body in (io.BytesIO(b"v2"), b"x" * 5000, b"small"):
        s3.put_object(Bucket=BUCKET, Key="q2.csv", Body=body)
    assert [call.allowed for call in aws.calls[-3:]] == [True, True, True]
    assert {call.checks for call in aws.calls[-3:]} == {aws.calls[-1].checks}


def test_requests_made_while_the_state_is_being_changed_are_decided_afresh(
    aws: MockSTS,
) -> None:
    """Nothing is kept while a change is under way (the handle holds the state's lock while
    it changes the state; requests of the same thread may come in between)."""
    worker = limited_to(aws, READ)
    with aws._backend.lock:  # type: ignore[union-attr]
        assert reads(worker)
        iam().put_role_policy(
            RoleName="worker", PolicyName="more", PolicyDocument=policy(grants("s3:PutObject"))
        )
        assert reads(worker)
        deny = {**denies("s3:GetObject", OBJECTS), "Principal": "*"}
        client("s3").put_bucket_policy(Bucket=BUCKET, Policy=policy(deny))
        assert not reads(worker)


def test_a_change_made_inside_a_hold_that_changes_nothing_is_told_when_it_ends() -> None:
    """``after_change`` (moto's mirror) hears of every change once the outermost hold ends,
    even where that hold (an STS request, a decision) changes nothing itself."""
    lock = StateLock()
    told: list[int] = []
    lock.after_change = lambda: told.append(lock.generation)
    with lock.unchanged(), lock.unchanged():
        pass
    assert told == []
    with lock.unchanged():
        with lock:
            pass
        assert told == []
    assert told == [1]
