"""Resource-based policies of other services' resources: which one a request's resource is
bound by, who owns that resource and how it is tagged, as AWS reads them when it decides.

Six services keep policies on their resources: S3 (bucket policies), SQS (queue policies),
SNS (topic policies), KMS (key policies), Lambda (function policies, built statement by
statement by AddPermission) and Secrets Manager (secret policies). Sources: IAM UG, "Policy
evaluation logic" and "Cross-account policy evaluation logic"; KMS Developer Guide, "Default
key policy"; Lambda Developer Guide, "Viewing resource-based IAM policies in Lambda".
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mock_sts._ids import partitions
from mock_sts._policy import ConditionValue, Policy, PolicyError, PolicyKind, parse_policy
from mock_sts._policy._decide import Labelled
from mock_sts._state import ServiceFacts

# What each service calls the policy on its resources, by the service of the resource's ARN.
_NAMES: Mapping[str, str] = {
    "s3": "bucket policy",
    "sqs": "queue policy",
    "sns": "topic policy",
    "kms": "key policy",
    "lambda": "function policy",
    "secretsmanager": "secret policy",
}


@dataclass(frozen=True)
class Binding:
    """What binds one resource besides the caller's own policies: its policy, the account
    that owns it (None: the caller's), the ``aws:ResourceTag/*`` keys of its tags, and
    whether its policy and the caller's identity policies are alternatives in its own
    account (every resource policy but a key policy, which must allow by itself)."""

    policy: Labelled | None = None
    account: str | None = None
    keys: Mapping[str, ConditionValue] = field(default_factory=dict)
    either: bool = False


def binding(facts: ServiceFacts, resource: str) -> Binding:
    """What binds ``resource`` (an ARN, or "*"), from what the mock knows of it."""
    parts = resource.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return Binding()
    partition, service, account = parts[1], parts[2], parts[4]
    holder = holder_of(resource)
    owner = facts.owners.get(holder) if holder is not None and service == "s3" else None
    owner = owner or account or None
    keys = {f"aws:ResourceTag/{k}": v for k, v in facts.tags.get(resource, {}).items()}
    if holder is None:
        return Binding(account=owner, keys=keys)
    text = facts.policies.get(holder)
    label = f"the {_NAMES[service]} of {holder}"
    if text is None and service == "kms" and owner is not None:
        # A key the mock saw made without a policy, or never saw made: AWS gives every key a
        # policy, and without one given, this one.
        text, label = default_key_policy(partition, owner), f"the default {label[4:]}"
    policy = None if text is None else (label, parsed(text))
    return Binding(policy, owner, keys, either=service != "kms")


def holder_of(resource: str) -> str | None:
    """The ARN of the resource whose policy binds ``resource`` (an object's bucket), or None
    when no resource-based policy can: a resource of another type or service."""
    parts = resource.split(":", 5)
    if len(parts) != 6:
        return None
    service, region, account, name = parts[2], parts[3], parts[4], parts[5]
    if service == "s3":
        bucket = name.split("/", 1)[0]
        return ":".join([*parts[:5], bucket]) if not region and not account and bucket else None
    kind = name.split(":", 1)[0].split("/", 1)[0]
    holds = {
        "sqs": ":" not in name and "/" not in name,
        "sns": ":" not in name and "/" not in name,
        "kms": kind == "key" and name.startswith("key/"),
        "lambda": kind == "function" and name.startswith("function:"),
        "secretsmanager": kind == "secret" and name.startswith("secret:"),
    }
    return resource if holds.get(service, False) and name else None


def parsed(text: str) -> Policy:
    """A resource policy's document, as the policy engine reads it; PolicyError with IAM's
    text when it is malformed."""
    return parse_policy(text, PolicyKind.RESOURCE)


def put(facts: ServiceFacts, holder: str, text: str) -> bool:
    """Keep ``text`` as the policy of ``holder`` when it is a valid one; whether it was."""
    try:
        parsed(text)
    except PolicyError:
        # The service accepted what AWS would not: nothing the mock can decide with.
        return False
    facts.policies[holder] = text
    return True


def forget(facts: ServiceFacts, holder: str) -> None:
    """Everything known of a deleted resource: policy, tags, owner, the names it went by."""
    facts.policies.pop(holder, None)
    facts.tags.pop(holder, None)
    facts.owners.pop(holder, None)
    for name in [name for name, arn in facts.arns.items() if arn == holder]:
        del facts.arns[name]


def default_key_policy(partition: str, account: str) -> str:
    """The key policy KMS gives a key made through its API without one: the owning account
    may use IAM policies to allow any KMS action on the key (KMS Developer Guide, "Default
    key policy")."""
    statement = {
        "Sid": "Enable IAM User Permissions",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:{partition}:iam::{account}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }
    return json.dumps({"Version": "2012-10-17", "Id": "key-default-1", "Statement": [statement]})


def lambda_statement(partition: str, params: Mapping[str, Any], function: str) -> dict[str, Any]:
    """The statement Lambda's AddPermission adds to a function's policy (Lambda Developer
    Guide, "Viewing resource-based IAM policies in Lambda": an account id becomes its root
    ARN, a service name a Service principal; SourceArn and SourceAccount conditions)."""
    principal = str(params["Principal"])
    if principal == "*":
        named: Any = "*"
    elif principal.isdigit():
        named = {"AWS": f"arn:{partition}:iam::{principal}:root"}
    elif principal.startswith("arn:"):
        named = {"AWS": principal}
    else:
        named = {"Service": principal}
    equals: dict[str, str] = {}
    if "SourceAccount" in params:
        equals["AWS:SourceAccount"] = str(params["SourceAccount"])
    if "PrincipalOrgID" in params:
        equals["aws:PrincipalOrgID"] = str(params["PrincipalOrgID"])
    if "EventSourceToken" in params:
        equals["lambda:EventSourceToken"] = str(params["EventSourceToken"])
    if "FunctionUrlAuthType" in params:
        equals["lambda:FunctionUrlAuthType"] = str(params["FunctionUrlAuthType"])
    condition: dict[str, Any] = {"StringEquals": equals} if equals else {}
    if "SourceArn" in params:
        condition["ArnLike"] = {"AWS:SourceArn": str(params["SourceArn"])}
    statement: dict[str, Any] = {
        "Sid": str(params["StatementId"]),
        "Effect": "Allow",
        "Principal": named,
        "Action": str(params["Action"]),
        "Resource": function,
    }
    if condition:
        statement["Condition"] = condition
    return statement


def add_statement(facts: ServiceFacts, holder: str, statement: Mapping[str, Any]) -> None:
    """Add a statement to ``holder``'s policy, making it (Lambda's "default" policy) if none."""
    document = _document(facts, holder)
    statements = [s for s in document["Statement"] if s.get("Sid") != statement["Sid"]]
    document["Statement"] = [*statements, statement]
    put(facts, holder, json.dumps(document))


def remove_statement(facts: ServiceFacts, holder: str, sid: str) -> None:
    """Remove a statement from ``holder``'s policy; the policy goes with its last one."""
    document = _document(facts, holder)
    statements = [s for s in document["Statement"] if s.get("Sid") != sid]
    if statements:
        document["Statement"] = statements
        put(facts, holder, json.dumps(document))
    else:
        facts.policies.pop(holder, None)


def _document(facts: ServiceFacts, holder: str) -> dict[str, Any]:
    text = facts.policies.get(holder)
    if text is None:
        return {"Version": "2012-10-17", "Id": "default", "Statement": []}
    document: dict[str, Any] = json.loads(text)
    if not isinstance(document["Statement"], list):
        document["Statement"] = [document["Statement"]]
    return document


def attach(
    facts: ServiceFacts, arn: str, policy: Mapping[str, Any] | str, owner: str | None
) -> None:
    """Set ``arn``'s policy as its service would (the handle's ``put_resource_policy``);
    ValueError, saying what is wrong, for a resource no policy binds, an owner at odds with
    the ARN, or a document IAM would call malformed."""
    if holder_of(arn) != arn:
        raise ValueError(
            f"{arn!r} names no resource that holds a resource-based policy: expected the ARN "
            "of an S3 bucket, SQS queue, SNS topic, KMS key, Lambda function or Secrets "
            "Manager secret"
        )
    account = arn.split(":")[4]
    if owner is not None and account and owner != account:
        raise ValueError(
            f"account_id {owner!r} does not own {arn!r}, which names account {account!r}: "
            "account_id is for S3 buckets, whose ARNs name no account"
        )
    text = policy if isinstance(policy, str) else json.dumps(policy)
    try:
        parsed(text)
    except PolicyError as error:
        raise ValueError(f"malformed resource-based policy for {arn}: {error.message}") from None
    facts.policies[arn] = text
    if owner is not None and not account:
        facts.owners[arn] = owner


def partition_of(arn: str) -> str | None:
    """The partition an ARN names, None unless it names one of AWS's."""
    name = arn.split(":", 2)[1] if arn.startswith("arn:") else None
    return name if any(partition.name == name for partition in partitions()) else None


def policy_of(facts: ServiceFacts, arn: str) -> dict[str, Any] | None:
    """The policy the mock holds for ``arn`` (learned or set), as a document."""
    text = facts.policies.get(arn)
    document: dict[str, Any] | None = None if text is None else json.loads(text)
    return document
