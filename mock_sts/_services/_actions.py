"""Where AWS's authorization of a request is not "the action of the operation's name on the
resource its parameters name": the one table of those cases, written by hand.

Sources: the Service Authorization Reference's action tables (the "Actions defined by ..."
page of each service) and each service's developer guide; each entry says which.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from mock_sts._ids import partition_name
from mock_sts._policy import ConditionValue
from mock_sts._state import ServiceFacts

Params = Mapping[str, Any]
Keys = Mapping[str, ConditionValue]


def _same(params: Params) -> Iterable[Params]:
    return (params,)


def _no_keys(params: Params) -> Keys:
    return {}


def _with_queue_arn(params: Params) -> Iterable[Params]:
    # The queue's ARN among the parameters is the resource itself (the catalogue matches
    # a parameter that is an ARN of the resource type whole).
    arn = queue_arn(str(params["QueueUrl"]))
    return ({**params, "QueueArn": arn} if arn is not None else params,)


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


def queue_arn(url: str, default_region: str = "us-east-1") -> str | None:
    """The ARN of the queue an SQS queue URL names (``https://sqs.<region>.<domain>/<account>/
    <name>``, or the older ``https://<region>.queue.<domain>/...``), None for no queue URL."""
    parts = urlsplit(url)
    path = parts.path.strip("/").split("/")
    if len(path) != 2 or not path[0].isdigit() or not path[1]:
        return None
    found = _SQS_HOST.match(parts.hostname or "")
    region = default_region if found is None else found.group(1) or found.group(2)
    return f"arn:{partition_name(region)}:sqs:{region}:{path[0]}:{path[1]}"


_SQS_HOST = re.compile(r"(?:sqs\.([a-z0-9-]+)|([a-z0-9-]+)\.queue)\.")


def _kms_key_id(params: Params, where: Where) -> str | None:
    """The key an alias (``alias/NAME``, or the alias's ARN in the caller's account and
    region) stands for, once the mock learned it; a key id as given."""
    key_id = params.get("KeyId")
    if not isinstance(key_id, str) or not key_id:
        return None
    name = key_id
    if key_id.startswith("arn:"):
        parts = key_id.split(":", 5)
        if len(parts) != 6 or parts[3:5] != [where.region, where.account]:
            return None
        name = parts[5]
    if not name.startswith("alias/"):
        return None if key_id.startswith("arn:") else key_id
    arn = where.facts.arns.get(("kms", where.region, where.account, name))
    return arn.rsplit("/", 1)[-1] if arn is not None else None


def _secret_id(params: Params, where: Where) -> str | None:
    """A secret named by its name alone: its full ARN's last part (name and AWS's suffix),
    once the mock learned it; the name itself otherwise."""
    secret_id = params.get("SecretId")
    if not isinstance(secret_id, str) or not secret_id or secret_id.startswith("arn:"):
        return None
    arn = where.facts.arns.get(("secretsmanager", where.region, where.account, secret_id))
    return arn.split(":", 6)[-1] if arn is not None else secret_id


RESOLVERS: Mapping[tuple[str, str], Resolver] = {
    # --- needed by resource policies ---
    # KMS Developer Guide, "Using aliases": an alias name or alias ARN may stand for a key
    # in cryptographic operations; the key policy of the key it names decides.
    ("kms", "KeyId"): _kms_key_id,
    # Secrets Manager API Reference, SecretId: "the ARN or name of the secret".
    ("secretsmanager", "SecretId"): _secret_id,
}

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
    # --- needed by resource policies ---
    # SQS: requests name their queue by URL, which holds the queue's account and region;
    # the batch operations are authorized as their single forms ("Actions, resources, and
    # condition keys for Amazon SQS").
    **{
        ("sqs", operation): (Step(action, params=_with_queue_arn),)
        for operation, action in {
            "AddPermission": "AddPermission",
            "ChangeMessageVisibility": "ChangeMessageVisibility",
            "ChangeMessageVisibilityBatch": "ChangeMessageVisibility",
            "DeleteMessage": "DeleteMessage",
            "DeleteMessageBatch": "DeleteMessage",
            "DeleteQueue": "DeleteQueue",
            "GetQueueAttributes": "GetQueueAttributes",
            "ListDeadLetterSourceQueues": "ListDeadLetterSourceQueues",
            "ListQueueTags": "ListQueueTags",
            "PurgeQueue": "PurgeQueue",
            "ReceiveMessage": "ReceiveMessage",
            "RemovePermission": "RemovePermission",
            "SendMessage": "SendMessage",
            "SendMessageBatch": "SendMessage",
            "SetQueueAttributes": "SetQueueAttributes",
            "TagQueue": "TagQueue",
            "UntagQueue": "UntagQueue",
        }.items()
    },
}
