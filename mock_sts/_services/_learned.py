"""What the mock learns of other services' resources from the requests it lets through and
the answers they get: who owns a bucket, a secret's full ARN, the key an alias names,
resource-based policies, tags; and what it forgets when they are deleted.

Only successful requests teach anything, and only what AWS itself would then know.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from mock_sts._http import ClientCall
from mock_sts._services import _resource_policies as policies
from mock_sts._services._read_common import Where, tag_map, tag_pairs
from mock_sts._services._read_messaging import queue_arn

# One operation's lesson: the request's parameters, where it was made (by a principal of
# where.account), and the service's parsed answer.
Lesson = Callable[[Mapping[str, Any], Where, Mapping[str, Any]], None]


def learn(call: ClientCall, where: Where, answer: Mapping[str, Any]) -> bool:
    """Keep what a successful request tells of its resources; whether it may have told
    anything."""
    lesson = _LESSONS.get((call.signing_name, call.operation.name))
    if lesson is None:
        return False
    try:
        lesson(call.params, where, answer)
    except LookupError:
        # An answer without what AWS's has (a stand-in service's own): nothing to learn.
        return False
    return True


# ---------------------------------------------------------------------------------------
# Tags, as each service writes them


def _tag(where: Where, arn: str, tags: Mapping[str, str]) -> None:
    if tags:
        where.facts.tags.setdefault(arn, {}).update(tags)


def _untag(where: Where, arn: str, keys: Iterable[str]) -> None:
    known = where.facts.tags.get(arn)
    if known is not None:
        for key in keys:
            known.pop(key, None)


def _pairs(tags: object, key: str = "Key", value: str = "Value") -> dict[str, str]:
    """Tags given as a list of pairs (S3, SNS, Secrets Manager; KMS's TagKey/TagValue) or a
    mapping (SQS, Lambda)."""
    return dict(tag_map(tags) or tag_pairs(tags, key, value) or [])


# ---------------------------------------------------------------------------------------
# S3: the bucket's ARN names no account; the account that made the bucket owns it.


def _bucket(params: Mapping[str, Any], where: Where) -> str:
    return f"arn:{where.partition}:s3:::{params['Bucket']}"


def _bucket_created(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    where.facts.owners[_bucket(params, where)] = where.account


def _bucket_policy(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    policies.put(where.facts, _bucket(params, where), str(params["Policy"]))


def _bucket_policy_deleted(
    params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]
) -> None:
    where.facts.policies.pop(_bucket(params, where), None)


def _bucket_tagged(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    # PutBucketTagging replaces the bucket's whole tag set.
    tags = _pairs(params.get("Tagging", {}).get("TagSet"))
    where.facts.tags[_bucket(params, where)] = tags


def _bucket_untagged(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    where.facts.tags.pop(_bucket(params, where), None)


def _bucket_deleted(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    policies.forget(where.facts, _bucket(params, where))


# ---------------------------------------------------------------------------------------
# SQS: a queue is named by its URL.


def _queue(url: str, where: Where) -> str:
    # A URL that names no queue (a stand-in service took it) is kept as it is: no request
    # the mock checks will name it.
    return queue_arn(url, where.region) or url


def _queue_policy(where: Where, queue: str, attributes: Mapping[str, str]) -> None:
    if "Policy" not in attributes:
        return
    # An empty Policy attribute removes the queue's policy.
    if attributes["Policy"]:
        policies.put(where.facts, queue, str(attributes["Policy"]))
    else:
        where.facts.policies.pop(queue, None)


def _queue_created(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    queue = _queue(answer["QueueUrl"], where)
    _queue_policy(where, queue, params.get("Attributes") or {})
    _tag(where, queue, _pairs(params.get("tags")))


def _queue_attributes(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    _queue_policy(where, _queue(params["QueueUrl"], where), params.get("Attributes") or {})


def _queue_tagged(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    _tag(where, _queue(params["QueueUrl"], where), _pairs(params.get("Tags")))


def _queue_untagged(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    _untag(where, _queue(params["QueueUrl"], where), params["TagKeys"])


def _queue_deleted(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    policies.forget(where.facts, _queue(params["QueueUrl"], where))


# ---------------------------------------------------------------------------------------
# SNS: a topic is named by its ARN.


def _topic_created(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    topic = str(answer["TopicArn"])
    attributes = params.get("Attributes") or {}
    if attributes.get("Policy"):
        policies.put(where.facts, topic, str(attributes["Policy"]))
    _tag(where, topic, _pairs(params.get("Tags")))


def _topic_attribute(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    if params.get("AttributeName") != "Policy":
        return
    policies.put(where.facts, str(params["TopicArn"]), str(params.get("AttributeValue", "")))


def _resource_tagged(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    # SNS's TagResource names the topic by ARN (ResourceArn), Lambda's the function (Resource).
    arn = params.get("ResourceArn", params.get("Resource"))
    _tag(where, str(arn), _pairs(params.get("Tags")))


def _resource_untagged(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    arn = params.get("ResourceArn", params.get("Resource"))
    _untag(where, str(arn), params["TagKeys"])


def _topic_deleted(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    policies.forget(where.facts, str(params["TopicArn"]))


# ---------------------------------------------------------------------------------------
# KMS: keys are named by id, ARN or alias.


def _key(key_id: str, where: Where) -> str:
    # Key policies and tags are set on a key by its id or ARN, never by an alias.
    if key_id.startswith("arn:"):
        return key_id
    return f"arn:{where.partition}:kms:{where.region}:{where.account}:key/{key_id}"


def _key_created(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    key = str(answer["KeyMetadata"]["Arn"])
    account = key.split(":")[4]
    text = params.get("Policy") or policies.default_key_policy(where.partition, account)
    policies.put(where.facts, key, str(text))
    _tag(where, key, _pairs(params.get("Tags"), "TagKey", "TagValue"))


def _key_policy(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    policies.put(where.facts, _key(str(params["KeyId"]), where), str(params["Policy"]))


def _key_tagged(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    _tag(where, _key(str(params["KeyId"]), where), _pairs(params.get("Tags"), "TagKey", "TagValue"))


def _key_untagged(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    _untag(where, _key(str(params["KeyId"]), where), params["TagKeys"])


def _key_deleted(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    policies.forget(where.facts, _key(str(params["KeyId"]), where))


def _alias_set(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    key = _key(str(params["TargetKeyId"]), where)
    where.facts.arns[("kms", where.region, where.account, str(params["AliasName"]))] = key


def _alias_deleted(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    where.facts.arns.pop(("kms", where.region, where.account, str(params["AliasName"])), None)


# ---------------------------------------------------------------------------------------
# Secrets Manager: a secret's ARN ends in its name and six characters AWS adds; requests
# may name it by its name alone.


def _secret(answer: Mapping[str, Any], where: Where) -> str:
    """The secret's full ARN an answer gives, remembered under the secret's name."""
    arn, name = str(answer["ARN"]), str(answer["Name"])
    parts = arn.split(":")
    where.facts.arns[("secretsmanager", parts[3], parts[4], name)] = arn
    return arn


def _secret_seen(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    _tag(where, _secret(answer, where), _pairs(params.get("Tags")))


def _secret_policy(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    policies.put(where.facts, _secret(answer, where), str(params["ResourcePolicy"]))


def _secret_policy_deleted(
    params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]
) -> None:
    where.facts.policies.pop(_secret(answer, where), None)


def _secret_named(params: Mapping[str, Any], where: Where) -> str:
    # By name, a secret the mock never saw is no resource it knows: its tags go unread.
    secret_id = str(params["SecretId"])
    key = ("secretsmanager", where.region, where.account, secret_id)
    return where.facts.arns.get(key, secret_id)


def _secret_tagged(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    _tag(where, _secret_named(params, where), _pairs(params.get("Tags")))


def _secret_untagged(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    _untag(where, _secret_named(params, where), params["TagKeys"])


def _secret_deleted(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    policies.forget(where.facts, _secret(answer, where))


# ---------------------------------------------------------------------------------------
# Lambda: a function is named by name, ARN or partial ARN; AddPermission builds its policy
# statement by statement, per version or alias (Qualifier).


def _function(params: Mapping[str, Any], where: Where) -> str:
    name = str(params["FunctionName"])
    qualifier = params.get("Qualifier")
    if not name.startswith("arn:"):
        # NAME, NAME:QUALIFIER, or a partial ARN: ACCOUNT:function:NAME[:QUALIFIER].
        account, name, named_qualifier = _FUNCTION_NAME.findall(name)[0]
        qualifier = qualifier or named_qualifier
        account = account or where.account
        name = f"arn:{where.partition}:lambda:{where.region}:{account}:function:{name}"
    return f"{name}:{qualifier}" if qualifier else name


# Matches every name: the groups are empty where a part is missing.
_FUNCTION_NAME = re.compile(r"^(?:(\d{12}):function:)?([^:]*)(?::(.*))?$", re.DOTALL)


def _function_created(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    _tag(where, str(answer["FunctionArn"]), _pairs(params.get("Tags")))


def _permission_added(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    function = _function(params, where)
    statement = policies.lambda_statement(where.partition, params, function)
    policies.add_statement(where.facts, function, statement)


def _permission_removed(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    policies.remove_statement(where.facts, _function(params, where), str(params["StatementId"]))


def _function_deleted(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    policies.forget(where.facts, _function(params, where))


def _each(service: str, lessons: Mapping[str, Lesson]) -> Iterable[tuple[tuple[str, str], Lesson]]:
    return (((service, operation), lesson) for operation, lesson in lessons.items())


# By (signing name, operation).
# ---------------------------------------------------------------------------------------
# DynamoDB: each table's partition key, for dynamodb:LeadingKeys


def _table_described(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    # CreateTable answers TableDescription, DescribeTable answers Table; both hold the
    # table's ARN and its key schema.
    table = answer.get("TableDescription") or answer["Table"]
    for key in table["KeySchema"]:
        if key["KeyType"] == "HASH":
            where.facts.partition_keys[table["TableArn"]] = key["AttributeName"]


def _table_deleted(params: Mapping[str, Any], where: Where, answer: Mapping[str, Any]) -> None:
    where.facts.partition_keys.pop(answer["TableDescription"]["TableArn"], None)


_LESSONS: Mapping[tuple[str, str], Lesson] = dict(
    [
        *_each(
            "s3",
            {
                "CreateBucket": _bucket_created,
                "PutBucketPolicy": _bucket_policy,
                "DeleteBucketPolicy": _bucket_policy_deleted,
                "PutBucketTagging": _bucket_tagged,
                "DeleteBucketTagging": _bucket_untagged,
                "DeleteBucket": _bucket_deleted,
            },
        ),
        *_each(
            "sqs",
            {
                "CreateQueue": _queue_created,
                "SetQueueAttributes": _queue_attributes,
                "TagQueue": _queue_tagged,
                "UntagQueue": _queue_untagged,
                "DeleteQueue": _queue_deleted,
            },
        ),
        *_each(
            "sns",
            {
                "CreateTopic": _topic_created,
                "SetTopicAttributes": _topic_attribute,
                "TagResource": _resource_tagged,
                "UntagResource": _resource_untagged,
                "DeleteTopic": _topic_deleted,
            },
        ),
        *_each(
            "kms",
            {
                "CreateKey": _key_created,
                "PutKeyPolicy": _key_policy,
                "TagResource": _key_tagged,
                "UntagResource": _key_untagged,
                "ScheduleKeyDeletion": _key_deleted,
                "CreateAlias": _alias_set,
                "UpdateAlias": _alias_set,
                "DeleteAlias": _alias_deleted,
            },
        ),
        *_each(
            "secretsmanager",
            {
                "CreateSecret": _secret_seen,
                "DescribeSecret": _secret_seen,
                "GetSecretValue": _secret_seen,
                "PutResourcePolicy": _secret_policy,
                "DeleteResourcePolicy": _secret_policy_deleted,
                "TagResource": _secret_tagged,
                "UntagResource": _secret_untagged,
                "DeleteSecret": _secret_deleted,
            },
        ),
        *_each(
            "dynamodb",
            {
                "CreateTable": _table_described,
                "DescribeTable": _table_described,
                "DeleteTable": _table_deleted,
            },
        ),
        *_each(
            "lambda",
            {
                "CreateFunction": _function_created,
                "AddPermission": _permission_added,
                "RemovePermission": _permission_removed,
                "TagResource": _resource_tagged,
                "UntagResource": _resource_untagged,
                "DeleteFunction": _function_deleted,
            },
        ),
    ]
)
