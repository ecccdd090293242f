"""Many threads (and an asyncio loop) against one active mock: every credential is issued
once, verifies afterwards as the identity it was issued to, and every request is counted."""

from __future__ import annotations

import asyncio
import random
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import boto3
import botocore.config
import pytest

from mock_sts import Credentials, MockSTS
from tests.helpers import IAM_FULL_ACCESS
from tests.helpers.assume_role import ACCOUNT, ALLOW_ASSUME, session_arn, trust

THREADS = 8
ROUNDS = 12  # per thread; a round makes 5 requests and issues 2 credentials
ROLE = "shared"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/{ROLE}"
# Only a guard against a hang: a deadlocked thread fails the test instead of blocking it.
HANG_GUARD = 120.0
# One attempt per call, so that every API call is exactly one request the mock must count.
ONE_ATTEMPT = botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 1})


@dataclass(frozen=True)
class Issued:
    """Credentials the mock issued, and the ARN GetCallerIdentity must answer for them."""

    credentials: Credentials
    arn: str


def run_in_threads(targets: list[Callable[[], None]]) -> None:
    """Run each target in its own thread, started together; re-raise the first failure."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(targets))

    def body(target: Callable[[], None]) -> None:
        try:
            barrier.wait(timeout=HANG_GUARD)
            target()
        except BaseException as error:
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=body, args=(target,), daemon=True) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=HANG_GUARD)
    assert [thread.name for thread in threads if thread.is_alive()] == []
    if errors:
        raise errors[0]


def client_in(session: boto3.session.Session, service: str, issued: Issued | None = None) -> Any:
    kwargs = issued.credentials.as_boto3() if issued is not None else {}
    return session.client(service, region_name="us-east-1", config=ONE_ATTEMPT, **kwargs)


def arn_of(session: boto3.session.Session, issued: Issued) -> str:
    arn: str = client_in(session, "sts", issued).get_caller_identity()["Arn"]
    return arn


class Worker:
    """One thread's loop, on a boto3 session of its own (sessions are not thread-safe)."""

    def __init__(self, index: int, caller: Credentials) -> None:
        self.index = index
        self.caller = caller
        self.issued: list[Issued] = []
        self.requests: Counter[str] = Counter()

    def run(self, rounds: int = ROUNDS) -> None:
        session = boto3.session.Session(**self.caller.as_boto3())
        sts, iam = client_in(session, "sts"), client_in(session, "iam")
        for n in range(rounds):
            name = f"t{self.index}-{n}"
            role_session = sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName=name)
            self.requests["AssumeRole"] += 1
            self.issued.append(Issued(temporary(role_session), session_arn(ROLE, name)))

            user = iam.create_user(UserName=name)["User"]
            key = iam.create_access_key(UserName=name)["AccessKey"]
            self.requests.update(["CreateUser", "CreateAccessKey"])
            keys = Credentials(key["AccessKeyId"], key["SecretAccessKey"])
            self.issued.append(Issued(keys, user["Arn"]))

            # Freshly issued credentials work at once, while the other threads go on.
            for issued in self.issued[-2:]:
                assert arn_of(session, issued) == issued.arn
                self.requests["GetCallerIdentity"] += 1


def temporary(response: dict[str, Any]) -> Credentials:
    issued = response["Credentials"]
    return Credentials(
        issued["AccessKeyId"], issued["SecretAccessKey"], issued["SessionToken"], None
    )


def workers_for(sts_mock: MockSTS, count: int) -> list[Worker]:
    """Callers with users of their own, all trusted by one role, each for one thread."""
    users = [
        sts_mock.create_user(
            f"caller{i}", policies={"assume": ALLOW_ASSUME, "iam": IAM_FULL_ACCESS}
        )
        for i in range(count)
    ]
    sts_mock.create_role(ROLE, trust(*(user.arn for user in users)))
    return [Worker(i, user.credentials) for i, user in enumerate(users)]


@pytest.fixture
def workers(sts_mock: MockSTS) -> list[Worker]:
    return workers_for(sts_mock, THREADS)


def verify_all(issued: list[Issued]) -> None:
    """Every credential, checked afterwards from one thread: each still is its identity."""
    session = boto3.session.Session()
    assert {item.credentials.access_key_id: arn_of(session, item) for item in issued} == {
        item.credentials.access_key_id: item.arn for item in issued
    }


@pytest.mark.slow
def test_threads_get_distinct_credentials_that_all_verify(
    sts_mock: MockSTS, workers: list[Worker]
) -> None:
    run_in_threads([worker.run for worker in workers])

    issued = [item for worker in workers for item in worker.issued]
    key_ids = [item.credentials.access_key_id for item in issued]
    assert len(issued) == THREADS * ROUNDS * 2
    assert len(set(key_ids)) == len(key_ids)
    assert len({item.credentials.secret_access_key for item in issued}) == len(issued)
    tokens = [item.credentials.session_token for item in issued if item.credentials.session_token]
    assert len(set(tokens)) == len(tokens) == THREADS * ROUNDS

    served = Counter(call.action for call in sts_mock.calls)
    made = sum((worker.requests for worker in workers), Counter[str]())
    assert served == made
    assert made == {
        "AssumeRole": THREADS * ROUNDS,
        "CreateUser": THREADS * ROUNDS,
        "CreateAccessKey": THREADS * ROUNDS,
        "GetCallerIdentity": 2 * THREADS * ROUNDS,
    }
    assert {call.status for call in sts_mock.calls} == {200}
    # Each request was attributed to the thread's own caller.
    for worker in workers:
        caller = f"arn:aws:iam::{ACCOUNT}:user/caller{worker.index}"
        mine = [c for c in sts_mock.calls if c.caller_arn == caller]
        signed_by_caller = Counter(worker.requests)
        del signed_by_caller["GetCallerIdentity"]  # those are signed with the issued keys
        assert Counter(c.action for c in mine) == signed_by_caller

    before = len(sts_mock.calls)
    verify_all(issued)
    assert len(sts_mock.calls) == before + len(issued)
    users = boto3.client("iam").list_users(MaxItems=1000)["Users"]
    assert len(users) == 1 + THREADS + THREADS * ROUNDS  # admin, callers, created


def test_handle_use_and_call_reads_alongside_the_threads(
    sts_mock: MockSTS, workers: list[Worker]
) -> None:
    """The handle takes the same lock as requests: using it while threads call never
    deadlocks, and ``calls`` reads a consistent snapshot."""
    seen: list[int] = []

    def handle_user() -> None:
        for n in range(ROUNDS):
            role = sts_mock.create_role(f"handle-{n}", trust(ACCOUNT))
            decision = sts_mock.evaluate(role.arn, "sts:GetCallerIdentity", "*")
            assert not decision.allowed
            calls = sts_mock.calls
            assert all(call.status == 200 for call in calls)
            seen.append(len(calls))

    run_in_threads([*(worker.run for worker in workers[:4]), handle_user])

    assert seen == sorted(seen)
    assert len(sts_mock.calls) == sum(sum(w.requests.values()) for w in workers[:4])


def test_reseeding_the_random_module_loses_no_credentials(sts_mock: MockSTS) -> None:
    """Hypothesis seeds ``random`` before every example (and pytest-randomly before every
    test): ids the mock issues must not repeat when a test reseeds it."""
    (worker,) = workers_for(sts_mock, 1)
    state = random.getstate()
    try:
        session = boto3.session.Session(**worker.caller.as_boto3())
        sts, iam = client_in(session, "sts"), client_in(session, "iam")
        issued = []
        for n in range(3):
            random.seed(0)
            name = f"seeded-{n}"
            response = sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName=name)
            issued.append(Issued(temporary(response), session_arn(ROLE, name)))
            random.seed(0)
            user = iam.create_user(UserName=name)["User"]
            random.seed(0)
            key = iam.create_access_key(UserName=name)["AccessKey"]
            keys = Credentials(key["AccessKeyId"], key["SecretAccessKey"])
            issued.append(Issued(keys, user["Arn"]))
    finally:
        random.setstate(state)

    assert len({item.credentials.access_key_id for item in issued}) == len(issued)
    verify_all(issued)


def test_sync_threads_and_aiobotocore_tasks_share_one_mock(
    sts_mock: MockSTS, workers: list[Worker]
) -> None:
    aio_session = pytest.importorskip("aiobotocore.session")
    tasks = 4
    async_issued: list[Issued] = []
    async_requests: Counter[str] = Counter()

    async def task(worker: Worker) -> None:
        session = aio_session.get_session()
        caller = worker.caller.as_boto3()
        async with (
            session.create_client(
                "sts", region_name="us-east-1", config=ONE_ATTEMPT, **caller
            ) as sts,
            session.create_client(
                "iam", region_name="us-east-1", config=ONE_ATTEMPT, **caller
            ) as iam,
        ):
            for n in range(ROUNDS):
                name = f"a{worker.index}-{n}"
                response = await sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName=name)
                fresh = Issued(temporary(response), session_arn(ROLE, name))
                user = (await iam.create_user(UserName=name))["User"]
                key = (await iam.create_access_key(UserName=name))["AccessKey"]
                keys = Issued(Credentials(key["AccessKeyId"], key["SecretAccessKey"]), user["Arn"])
                async_requests.update(["AssumeRole", "CreateUser", "CreateAccessKey"])
                for issued in (fresh, keys):
                    async with session.create_client(
                        "sts",
                        region_name="us-east-1",
                        config=ONE_ATTEMPT,
                        **issued.credentials.as_boto3(),
                    ) as own:
                        assert (await own.get_caller_identity())["Arn"] == issued.arn
                    async_requests["GetCallerIdentity"] += 1
                    async_issued.append(issued)

    async def all_tasks() -> None:
        await asyncio.gather(*(task(worker) for worker in workers[tasks:]))

    def event_loop() -> None:
        asyncio.run(all_tasks())

    run_in_threads([*(worker.run for worker in workers[:tasks]), event_loop])

    issued = [item for worker in workers[:tasks] for item in worker.issued] + async_issued
    assert len(issued) == THREADS * ROUNDS * 2
    assert len({item.credentials.access_key_id for item in issued}) == len(issued)
    made = sum((worker.requests for worker in workers[:tasks]), async_requests)
    assert Counter(call.action for call in sts_mock.calls) == made
    assert {call.status for call in sts_mock.calls} == {200}
    verify_all(issued)
