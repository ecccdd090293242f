"""What the mock learns of other services' resources from the requests it lets through and
the answers they get: who owns a bucket, a secret's full ARN, resource-based policies, tags.

Only successful requests teach anything, and only what AWS itself would then know.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mock_sts._services._actions import Where
from mock_sts._wire import ClientCall

# One operation's lesson: the request, where it was made (by a principal of where.account),
# and the service's parsed answer.
Lesson = Callable[[ClientCall, Where, Mapping[str, Any]], None]


def learn(call: ClientCall, where: Where, answer: Mapping[str, Any]) -> None:
    """Keep what a successful request tells of its resources."""
    lesson = _LESSONS.get((call.signing_name, call.operation.name))
    if lesson is not None:
        lesson(call, where, answer)


def _bucket_created(call: ClientCall, where: Where, answer: Mapping[str, Any]) -> None:
    # A bucket's ARN names no account: it belongs to the account that created it.
    where.facts.owners[f"arn:{where.partition}:s3:::{call.params['Bucket']}"] = where.account


_LESSONS: Mapping[tuple[str, str], Lesson] = {
    ("s3", "CreateBucket"): _bucket_created,
}
