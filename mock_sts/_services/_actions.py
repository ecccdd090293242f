"""Where AWS's authorization of a request is not "the action of the operation's name on the
resource its parameters name": the one table of those cases, written by hand.

Sources: the Service Authorization Reference's action tables (the "Actions defined by ..."
page of each service) and each service's developer guide; each entry says which.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mock_sts._policy import ConditionValue
from mock_sts._state import ServiceFacts

Params = Mapping[str, Any]
Keys = Mapping[str, ConditionValue]


def _same(params: Params) -> Iterable[Params]:
    return (params,)


def _no_keys(params: Params) -> Keys:
    return {}


@dataclass(frozen=True)
class Step:
    """One IAM action a request needs, checked once for each parameter set ``params``
    gives (one for most requests; one per item for a batch), with the service's condition
    keys ``keys`` reads from that parameter set."""

    action: str
    params: Callable[[Params], Iterable[Params]] = field(default=_same)
    keys: Callable[[Params], Keys] = field(default=_no_keys)


@dataclass(frozen=True)
class Where:
    """What a resource ARN is filled with besides the caller's parameters, and what the
    mock knows of the service's resources."""

    partition: str
    region: str
    account: str
    facts: ServiceFacts = field(default_factory=ServiceFacts, compare=False)


# A template variable's value read from the parameters in a way of the service's own (a
# queue's name from its URL), by (IAM prefix, variable); None when they do not tell it.
Resolver = Callable[[Params, Where], "str | None"]


# Services whose requests are signed for a name that is not their IAM prefix.
PREFIXES: Mapping[str, str] = {
    "monitoring": "cloudwatch",  # CloudWatch's endpoint and signing name
    "email": "ses",
}

# Template variables filled from a parameter of another name, by (IAM prefix, variable).
PARAMETERS: Mapping[tuple[str, str], tuple[str, ...]] = {
    ("s3", "BucketName"): ("Bucket",),
    ("s3", "ObjectName"): ("Key",),
}

RESOLVERS: Mapping[tuple[str, str], Resolver] = {}

# Condition keys of a service that every request to it carries, read from its parameters,
# by IAM prefix (beside the keys of each Step).
SERVICE_KEYS: Mapping[str, Callable[[Params], Keys]] = {}

# The actions a request performs where they are not the one of the operation's name,
# by (IAM prefix, operation).
STEPS: Mapping[tuple[str, str], tuple[Step, ...]] = {
    # S3: "Actions, resources, and condition keys for Amazon S3" and the S3 User Guide's
    # "Required permissions for Amazon S3 API operations".
    ("s3", "ListObjectsV2"): (Step("ListBucket"),),
    ("s3", "ListObjects"): (Step("ListBucket"),),
    ("s3", "ListObjectVersions"): (Step("ListBucketVersions"),),
    ("s3", "HeadObject"): (Step("GetObject"),),
    ("s3", "HeadBucket"): (Step("ListBucket"),),
    ("s3", "ListBuckets"): (Step("ListAllMyBuckets"),),
    # Lambda: "Actions, resources, and condition keys for AWS Lambda".
    ("lambda", "Invoke"): (Step("InvokeFunction"),),
}
