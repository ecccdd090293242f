"""Cost of evaluating one request against a 20-statement policy with conditions.

Run from anywhere with the package installed::

    python benchmarks/bench_policy.py           # about 10 s
    python benchmarks/bench_policy.py --quick   # about 2 s

Scenarios (medians of many timed batches, with the 25th-75th percentile spread):

* ``typical``: an identity policy whose statements differ in action and resource, as
  policies do; most statements are rejected by their Action or Resource element.
* ``worst``: every statement matches action and resource, so every condition of every
  statement runs (string, wildcard, IP, date, Bool, set qualifier and a policy variable).
* ``trust``: a 20-statement trust policy, each statement with principals and conditions.
* ``parse``: parsing and compiling the ``worst`` document once (the result is cached).

The target is informational: well under 50 µs per evaluation. Exits 0 unless something
raises.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from mock_sts._policy import Policy, PolicyKind, Principal, Request, _document, parse_policy

ACCOUNT = "123456789012"
TARGET_US = 50.0


def _conditions(i: int) -> dict[str, Any]:
    return {
        "StringEquals": {
            "aws:RequestedRegion": ["us-east-1", "eu-west-1"],
            "aws:PrincipalTag/team": [f"t{i}", "core"],
        },
        "StringLike": {"aws:userid": "AIDA*"},
        "IpAddress": {"aws:SourceIp": ["10.0.0.0/8", "192.168.0.0/16"]},
        "DateLessThan": {"aws:CurrentTime": "2099-01-01T00:00:00Z"},
        "Bool": {"aws:SecureTransport": "true"},
        "ForAllValues:StringLike": {"aws:TagKeys": ["team*", "env"]},
    }


def _identity(worst: bool) -> str:
    statements = []
    for i in range(20):
        statements.append(
            {
                "Sid": f"S{i}",
                "Effect": "Deny" if i == 19 and not worst else "Allow",
                "Action": ["sts:AssumeRole", "sts:TagSession"] if worst else f"s3:Get{i}*",
                "Resource": [
                    f"arn:aws:iam::{ACCOUNT}:role/*" if worst else f"arn:aws:s3:::bucket{i}/*",
                    f"arn:aws:iam::{ACCOUNT}:role/${{aws:PrincipalTag/team}}-*",
                ],
                "Condition": _conditions(i),
            }
        )
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def _trust() -> str:
    statements = [
        {
            "Sid": f"T{i}",
            "Effect": "Allow",
            "Principal": {"AWS": [f"arn:aws:iam::{ACCOUNT}:user/u{i}", f"{i:012d}"]},
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {
                "StringEquals": {"sts:ExternalId": f"x{i}"},
                "Bool": {"aws:MultiFactorAuthPresent": "true"},
            },
        }
        for i in range(19)
    ]
    statements.append(
        {
            "Effect": "Allow",
            "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"},
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "x19"}},
        }
    )
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


CONTEXT = {
    "aws:RequestedRegion": "us-east-1",
    "aws:PrincipalTag/team": "core",
    "aws:userid": "AIDAEXAMPLEUSER000001",
    "aws:username": "bob",
    "aws:SourceIp": "10.1.2.3",
    "aws:CurrentTime": "2025-06-01T12:00:00Z",
    "aws:EpochTime": "1748779200",
    "aws:SecureTransport": "true",
    "aws:TagKeys": ["team", "env"],
    "aws:PrincipalAccount": ACCOUNT,
    "aws:MultiFactorAuthPresent": "true",
    "sts:ExternalId": "x19",
    "sts:RoleSessionName": "ci",
}
CALLER = Principal(
    account=ACCOUNT, arn=f"arn:aws:iam::{ACCOUNT}:user/bob", user_id="AIDAEXAMPLEUSER000001"
)


def _evaluation(policy: Policy, resource: str | None) -> Callable[[], object]:
    # A fresh Request each time, as the IAM layer builds one per authorization.
    def run() -> object:
        return policy.evaluate(Request("sts:AssumeRole", resource, CALLER, CONTEXT))

    return run


def _parse(text: str) -> Callable[[], object]:
    def run() -> object:
        _document._parse.cache_clear()
        return parse_policy(text, PolicyKind.IDENTITY)

    return run


def _measure(call: Callable[[], object], batches: int, per_batch: int) -> list[float]:
    call()
    samples = []
    for _ in range(batches):
        start = time.perf_counter()
        for _ in range(per_batch):
            call()
        samples.append((time.perf_counter() - start) / per_batch * 1e6)
    return samples


def scenarios() -> dict[str, Callable[[], object]]:
    """The evaluations measured (and the parse), by name."""
    role = f"arn:aws:iam::{ACCOUNT}:role/deploy"
    worst = parse_policy(_identity(worst=True), PolicyKind.IDENTITY)
    evaluation = worst.evaluate(Request("sts:AssumeRole", role, CALLER, CONTEXT))
    assert len(evaluation.statements) == 20, evaluation
    return {
        "typical": _evaluation(parse_policy(_identity(worst=False), PolicyKind.IDENTITY), role),
        "worst": _evaluation(worst, role),
        "trust": _evaluation(parse_policy(_trust(), PolicyKind.TRUST), None),
        "parse": _parse(_identity(worst=True)),
    }


def measure(quick: bool) -> dict[str, list[float]]:
    """Microseconds per evaluation (per parse for "parse"), one sample per timed batch."""
    batches, per_batch = (50, 200) if quick else (300, 300)
    return {
        name: _measure(call, max(batches // 10, 5), 1)
        if name == "parse"
        else _measure(call, batches, per_batch)
        for name, call in scenarios().items()
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer iterations")
    samples = measure(parser.parse_args().quick)
    print(f"{'scenario':<10}{'median µs':>12}{'p25-p75 µs':>18}{'samples':>10}")
    for name, values in samples.items():
        q1, median, q3 = statistics.quantiles(values, n=4)
        verdict = "" if name == "parse" else ("  PASS" if median < TARGET_US else "  MISS")
        print(f"{name:<10}{median:>12.1f}{f'{q1:.1f}-{q3:.1f}':>18}{len(values):>10}{verdict}")


if __name__ == "__main__":
    main()
