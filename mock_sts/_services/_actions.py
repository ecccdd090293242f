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
from urllib.parse import parse_qs, parse_qsl, unquote, urlsplit

from mock_sts._ids import partition_name
from mock_sts._policy import ConditionValue
from mock_sts._state import ServiceFacts

Params = Mapping[str, Any]
Keys = Mapping[str, ConditionValue]


def _same(params: Params) -> Iterable[Params]:
    return (params,)


def _no_keys(params: Params) -> Keys:
    return {}


def _anywhere(params: Params, where: Where) -> str:
    """The resource of a request that names none of its action's optional resource types
    (CloudWatch's PutMetricData): "*"."""
    return "*"


@dataclass(frozen=True)
class Step:
    """One IAM action a request needs, checked once for each parameter set ``params``
    gives (one for most requests; one per item for a batch; none where the action does not
    apply to this request), with the service's condition keys ``keys`` reads from that
    parameter set. ``resource``, where given, tells the resource (an ARN, "*", or None when
    it cannot be told) instead of the action's ARN templates."""

    action: str
    params: Callable[[Params], Iterable[Params]] = field(default=_same)
    keys: Callable[[Params], Keys] = field(default=_no_keys)
    resource: Callable[[Params, Where], str | None] | None = None


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


def _text(params: Params, name: str) -> str | None:
    """A parameter that is a non-empty string; anything else tells nothing."""
    value = params.get(name)
    return value if isinstance(value, str) and value else None


def _listed(params: Params, name: str) -> list[Any]:
    value = params.get(name)
    return list(value) if isinstance(value, (list, tuple)) else []


def _mapping(params: Params, name: str) -> Mapping[str, Any]:
    value = params.get(name)
    return value if isinstance(value, Mapping) else {}


def _flag(value: object) -> str:
    return "true" if value else "false"


def _keys_from(names: Mapping[str, str]) -> Callable[[Params], Keys]:
    """Condition keys that are string parameters as sent, by key: parameter."""

    def keys(params: Params) -> Keys:
        found: dict[str, ConditionValue] = {}
        for key, name in names.items():
            value = params.get(name)
            if isinstance(value, bool):
                found[key] = _flag(value)
            elif isinstance(value, (str, int)):
                found[key] = str(value)
            elif isinstance(value, (list, tuple)):
                found[key] = tuple(str(item) for item in value if isinstance(item, (str, int)))
        return found

    return keys


def _both(*readers: Callable[[Params], Keys]) -> Callable[[Params], Keys]:
    def keys(params: Params) -> Keys:
        found: dict[str, ConditionValue] = {}
        for reader in readers:
            found.update(reader(params))
        return found

    return keys


def _items(name: str, member: str | None = None) -> Callable[[Params], Iterable[Params]]:
    """One parameter set per item of the list parameter ``name`` (its ``member`` mapping):
    each batch entry is checked as the single request it stands for."""

    def fan_out(params: Params) -> Iterable[Params]:
        for item in _listed(params, name):
            entry = item.get(member) if member and isinstance(item, Mapping) else item
            if isinstance(entry, Mapping):
                yield entry

    return fan_out


def _if(test: Callable[[Params], bool]) -> Callable[[Params], Iterable[Params]]:
    """The request's parameters when ``test`` holds: an action the request needs only then."""

    def fan_out(params: Params) -> Iterable[Params]:
        return (params,) if test(params) else ()

    return fan_out


def _arn_parts(value: str | None) -> list[str] | None:
    """arn:partition:service:region:account:resource, split in its six parts."""
    if value is None or not value.startswith("arn:"):
        return None
    parts = value.split(":", 5)
    return parts if len(parts) == 6 else None


# ---------------------------------------------------------------------------------------
# S3. Sources: "Actions, resources, and condition keys for Amazon S3" (Service
# Authorization Reference), the S3 User Guide's "Required permissions for Amazon S3 API
# operations", and each operation's "Permissions" section in the S3 API Reference.

_S3_ACCESS_POINT = re.compile(r"arn:[^:]+:s3:([^:]+):(\d{12}):accesspoint/([^/]+)")


def _s3_access_point(params: Params) -> re.Match[str] | None:
    """The access point a request is made through: its ARN given as the bucket."""
    bucket = _text(params, "Bucket")
    return _S3_ACCESS_POINT.fullmatch(bucket) if bucket else None


def _s3_access_point_part(group: int) -> Resolver:
    def resolve(params: Params, where: Where) -> str | None:
        found = _s3_access_point(params)
        return found.group(group) if found else None

    return resolve


def _s3_versioned(params: Params) -> bool:
    return _text(params, "VersionId") is not None


def _s3_unversioned(params: Params) -> bool:
    return not _s3_versioned(params)


def _s3_object(action: str, keys: Callable[[Params], Keys] = _no_keys) -> tuple[Step, ...]:
    """An object action, which becomes its Version twin when the request names a version
    (GetObject → GetObjectVersion, with s3:versionid)."""
    versioned = action.replace("Object", "ObjectVersion", 1)
    return (
        Step(action, params=_if(_s3_unversioned), keys=keys),
        Step(versioned, params=_if(_s3_versioned), keys=_both(keys, _S3_VERSION_KEYS)),
    )


_S3_VERSION_KEYS = _keys_from({"s3:versionid": "VersionId"})
_S3_LIST_KEYS = _keys_from(
    {"s3:prefix": "Prefix", "s3:delimiter": "Delimiter", "s3:max-keys": "MaxKeys"}
)
_S3_WRITE_HEADERS = _keys_from(
    {
        "s3:x-amz-acl": "ACL",
        "s3:x-amz-grant-full-control": "GrantFullControl",
        "s3:x-amz-grant-read": "GrantRead",
        "s3:x-amz-grant-read-acp": "GrantReadACP",
        "s3:x-amz-grant-write-acp": "GrantWriteACP",
        "s3:x-amz-server-side-encryption": "ServerSideEncryption",
        "s3:x-amz-server-side-encryption-aws-kms-key-id": "SSEKMSKeyId",
        "s3:x-amz-server-side-encryption-customer-algorithm": "SSECustomerAlgorithm",
        "s3:x-amz-storage-class": "StorageClass",
        "s3:x-amz-website-redirect-location": "WebsiteRedirectLocation",
        "s3:object-lock-mode": "ObjectLockMode",
        "s3:object-lock-legal-hold": "ObjectLockLegalHoldStatus",
    }
)


def _s3_object_tags(params: Params) -> Keys:
    """s3:RequestObjectTag/<key> and s3:RequestObjectTagKeys from the Tagging parameter,
    which S3 takes URL-encoded as a query string (x-amz-tagging: "k1=v1&k2=v2")."""
    tagging = _text(params, "Tagging")
    if tagging is None:
        return {}
    pairs = parse_qsl(tagging, keep_blank_values=True)
    keys: dict[str, ConditionValue] = {f"s3:RequestObjectTag/{k}": v for k, v in pairs}
    keys["s3:RequestObjectTagKeys"] = tuple(k for k, _ in pairs)
    return keys


_S3_WRITE_KEYS = _both(_S3_WRITE_HEADERS, _s3_object_tags)
_S3_COPY_KEYS = _both(
    _S3_WRITE_KEYS,
    _keys_from(
        {"s3:x-amz-copy-source": "CopySource", "s3:x-amz-metadata-directive": "MetadataDirective"}
    ),
)


def _s3_copy_source(params: Params) -> dict[str, str] | None:
    """The source object of a copy. botocore's handler has turned a {Bucket, Key,
    VersionId} CopySource into the header's text by then, "bucket/key?versionId=v", URL
    encoded; callers may also send "/bucket/key" or an access point's object ARN
    ("arn:...:accesspoint/ap/object/key")."""
    source = params.get("CopySource")
    if isinstance(source, Mapping):
        bucket, key, version = source.get("Bucket"), source.get("Key"), source.get("VersionId")
    elif isinstance(source, str):
        path, _, query = source.partition("?")
        path = unquote(path.removeprefix("/"))
        version = next(iter(parse_qs(query).get("versionId", [])), None)
        bucket, _, key = (
            path.partition("/object/") if path.startswith("arn:") else path.partition("/")
        )
    else:
        return None
    if not (isinstance(bucket, str) and bucket and isinstance(key, str) and key):
        return None
    found = {"Bucket": bucket, "Key": key}
    if isinstance(version, str) and version:
        found["VersionId"] = version
    return found


def _s3_source(*, versioned: bool) -> Callable[[Params], Iterable[Params]]:
    def fan_out(params: Params) -> Iterable[Params]:
        source = _s3_copy_source(params)
        if source is None:
            # What cannot be read is told to the unversioned check, which cannot fill it.
            return () if versioned else ({},)
        return (source,) if _s3_versioned(source) == versioned else ()

    return fan_out


def _s3_deleted(*, versioned: bool) -> Callable[[Params], Iterable[Params]]:
    """DeleteObjects: one DeleteObject (DeleteObjectVersion) check per object it names."""

    def fan_out(params: Params) -> Iterable[Params]:
        for item in _listed(_mapping(params, "Delete"), "Objects"):
            if isinstance(item, Mapping) and _s3_versioned(item) == versioned:
                yield {**item, "Bucket": params.get("Bucket")}

    return fan_out


def _s3_sets_acl(params: Params) -> bool:
    return any(
        name in params
        for name in ("ACL", "GrantFullControl", "GrantRead", "GrantReadACP", "GrantWriteACP")
    )


def _s3_sets_tags(params: Params) -> bool:
    return _text(params, "Tagging") is not None


# ---------------------------------------------------------------------------------------
# DynamoDB. Sources: "Actions, resources, and condition keys for Amazon DynamoDB", the
# DynamoDB Developer Guide's "DynamoDB API permissions: Actions, resources, and conditions
# reference", "Using IAM policies with DynamoDB transactions" and "IAM policies with
# PartiQL for DynamoDB"; dynamodb:LeadingKeys needs each table's key schema, which the
# mock does not know, and is not given.

_DYNAMODB_TABLE = re.compile(r"arn:[^:]+:dynamodb:([^:]+):(\d{12}):table/([^/]+)")


def _dynamodb_table(params: Params) -> re.Match[str] | None:
    name = _text(params, "TableName")
    return _DYNAMODB_TABLE.fullmatch(name) if name else None


def _dynamodb_part(group: int) -> Resolver:
    def resolve(params: Params, where: Where) -> str | None:
        found = _dynamodb_table(params)
        return found.group(group) if found else None

    return resolve


def _dynamodb_table_name(params: Params, where: Where) -> str | None:
    # A table is named by its name or, since 2024, by its ARN.
    found = _dynamodb_table(params)
    if found is not None:
        return found.group(3)
    name = _text(params, "TableName")
    return None if name is None or name.startswith("arn:") else name


_DYNAMODB_NAME = re.compile(r"#?[A-Za-z0-9_.-]+")


def _dynamodb_attributes(params: Params) -> Keys:
    """dynamodb:Attributes: the top-level attribute names a request reads or writes, where
    it names them plainly (AttributesToGet, a ProjectionExpression, an Item, AttributeUpdates)."""
    names: list[str] = [str(name) for name in _listed(params, "AttributesToGet")]
    projection = _text(params, "ProjectionExpression")
    aliases = _mapping(params, "ExpressionAttributeNames")
    if projection is not None:
        for path in projection.split(","):
            top = re.split(r"[.\[]", path.strip(), maxsplit=1)[0]
            resolved = aliases.get(top, top) if top.startswith("#") else top
            if isinstance(resolved, str) and resolved:
                names.append(resolved)
    names += [str(name) for name in _mapping(params, "Item")]
    names += [str(name) for name in _mapping(params, "AttributeUpdates")]
    return {"dynamodb:Attributes": tuple(dict.fromkeys(names))} if names else {}


_DYNAMODB_KEYS = _both(
    _keys_from(
        {
            "dynamodb:Select": "Select",
            "dynamodb:ReturnValues": "ReturnValues",
            "dynamodb:ReturnConsumedCapacity": "ReturnConsumedCapacity",
        }
    ),
    _dynamodb_attributes,
)


def _dynamodb_tables(name: str) -> Callable[[Params], Iterable[Params]]:
    """BatchGetItem/BatchWriteItem: one check per table of ``name`` (RequestItems), with
    that table's own request (its projection) and the request's common parameters."""

    def fan_out(params: Params) -> Iterable[Params]:
        common = {k: v for k, v in params.items() if k != name}
        for table, request in _mapping(params, name).items():
            entry = request if isinstance(request, Mapping) else {}
            yield {**common, **entry, "TableName": table}

    return fan_out


# PartiQL: the verb and the table (and index) of a statement, where the statement is one
# of the plain forms; anything else (a nested select, an unquoted odd name) is not read.
_PARTIQL_NAME = r'(?:"(?P<{0}>[^"]+)"|(?P<{0}_bare>[A-Za-z_][A-Za-z0-9_.-]*))'
_PARTIQL = re.compile(
    r"\s*(?:(?P<verb>select)\s+(?:(?!\bfrom\b).)+?\s+from|(?P<verb2>insert)\s+into"
    r"|(?P<verb3>update)|(?P<verb4>delete)\s+from)\s+"
    + _PARTIQL_NAME.format("table")
    + r"(?:\s*\.\s*"
    + _PARTIQL_NAME.format("index")
    + r")?(?:\s|$|;)",
    re.IGNORECASE | re.DOTALL,
)
_PARTIQL_ACTIONS = {
    "select": "PartiQLSelect",
    "insert": "PartiQLInsert",
    "update": "PartiQLUpdate",
    "delete": "PartiQLDelete",
}


def _partiql(statement: object) -> tuple[str, dict[str, str]] | None:
    """(the PartiQL action, the table and index it names) of a statement."""
    found = _PARTIQL.match(statement) if isinstance(statement, str) else None
    if found is None:
        return None
    verb = next(v for v in found.group("verb", "verb2", "verb3", "verb4") if v)
    table = found.group("table") or found.group("table_bare")
    where = {"TableName": table}
    index = found.group("index") or found.group("index_bare")
    if index:
        where["IndexName"] = index
    return _PARTIQL_ACTIONS[verb.lower()], where


def _partiql_statements(params: Params) -> list[object]:
    if "Statement" in params:
        return [params.get("Statement")]
    entries = _listed(params, "Statements") + _listed(params, "TransactStatements")
    return [entry.get("Statement") if isinstance(entry, Mapping) else None for entry in entries]


def _partiql_step(action: str) -> Step:
    def fan_out(params: Params) -> Iterable[Params]:
        for statement in _partiql_statements(params):
            parsed = _partiql(statement)
            if parsed is not None and parsed[0] == action:
                yield parsed[1]
            elif parsed is None and action == "PartiQLSelect":
                # A statement the mock cannot read leaves the request unchecked.
                yield {}

    return Step(action, params=fan_out)


_PARTIQL_STEPS = tuple(_partiql_step(action) for action in _PARTIQL_ACTIONS.values())


# ---------------------------------------------------------------------------------------
# SQS. Sources: "Actions, resources, and condition keys for Amazon SQS" and the SQS
# Developer Guide's "Amazon SQS API permissions: Actions and resource reference" (batch
# actions need the permission of their single form; ListQueues is on "*"). A queue URL is
# https://sqs.<region>.amazonaws.com/<account>/<name> or, legacy,
# https://<region>.queue.amazonaws.com/<account>/<name> (https://queue.amazonaws.com/...
# in us-east-1).

_SQS_HOST = re.compile(r"(?:sqs\.(?P<new>[a-z0-9-]+)|(?P<legacy>[a-z0-9-]+)\.queue)\.amazonaws\.")


def _sqs_url(params: Params) -> tuple[str | None, str, str] | None:
    """(region, account, name) of the QueueUrl; region None where the host does not say."""
    url = _text(params, "QueueUrl")
    if url is None:
        return None
    parts = urlsplit(url)
    path = parts.path.strip("/").split("/")
    if len(path) != 2 or not re.fullmatch(r"\d{12}", path[0]) or not path[1]:
        return None
    host = (parts.hostname or "").lower()
    found = _SQS_HOST.match(host)
    region = (found.group("new") or found.group("legacy")) if found else None
    if host.startswith("queue.amazonaws."):
        region = "us-east-1"
    return region, path[0], path[1]


def _sqs_queue_name(params: Params, where: Where) -> str | None:
    url = _sqs_url(params)
    if url is not None:
        return url[2]
    return None if "QueueUrl" in params else _text(params, "QueueName")


def _sqs_region(params: Params, where: Where) -> str | None:
    url = _sqs_url(params)
    return url[0] if url is not None else None


def _sqs_account(params: Params, where: Where) -> str | None:
    url = _sqs_url(params)
    return url[1] if url is not None else _text(params, "QueueOwnerAWSAccountId")


def queue_arn(url: str, default_region: str = "us-east-1") -> str | None:
    """The ARN of the queue an SQS queue URL names (in ``default_region`` where its host does
    not say), None for no queue URL."""
    parts = _sqs_url({"QueueUrl": url})
    if parts is None:
        return None
    region, account, name = parts
    region = region or default_region
    return f"arn:{partition_name(region)}:sqs:{region}:{account}:{name}"


# ---------------------------------------------------------------------------------------
# SNS. Sources: "Actions, resources, and condition keys for Amazon SNS" and the SNS
# Developer Guide's "Amazon SNS API permissions: Actions and resources reference" (Publish
# to a phone number needs sns:Publish on "*"; a subscription is authorized on its topic).


def _sns_publish_target(params: Params, where: Where) -> str | None:
    target = _text(params, "TopicArn") or _text(params, "TargetArn")
    if target is not None:
        return target if target.startswith("arn:") else None
    return "*" if _text(params, "PhoneNumber") else None


def _sns_subscription_topic(params: Params, where: Where) -> str | None:
    # arn:aws:sns:<region>:<account>:<topic>:<subscription id>
    arn = _text(params, "SubscriptionArn")
    parts = _arn_parts(arn)
    if arn is None or parts is None or parts[2] != "sns" or ":" not in parts[5]:
        return None
    return arn.rsplit(":", 1)[0]


# ---------------------------------------------------------------------------------------
# Lambda. Sources: "Actions, resources, and condition keys for AWS Lambda" and the Lambda
# Developer Guide's "Fine-tuning the Resources and Conditions sections of policies"
# (a function is named by its name, "name:qualifier", a partial ARN
# "123456789012:function:name" or its ARN; a version or alias is its qualified ARN, which
# a policy on the unqualified ARN does not cover).

_LAMBDA_FUNCTION = re.compile(
    r"(?:arn:[^:]+:lambda:(?P<region>[^:]+):)?(?:(?P<account>\d{12}):function:)?"
    r"(?P<name>[^:]+)(?::(?P<qualifier>[^:]+))?"
)
_LAMBDA_LAYER = re.compile(
    r"arn:[^:]+:lambda:(?P<region>[^:]+):(?P<account>\d{12}):layer:(?P<name>[^:]+)"
)


def _lambda_function(params: Params) -> re.Match[str] | None:
    name = _text(params, "FunctionName")
    return _LAMBDA_FUNCTION.fullmatch(name) if name else None


def _lambda_layer(params: Params) -> re.Match[str] | None:
    name = _text(params, "LayerName")
    return _LAMBDA_LAYER.fullmatch(name) if name else None


def _lambda_function_name(params: Params, where: Where) -> str | None:
    found = _lambda_function(params)
    if found is None:
        return None
    qualifier = found.group("qualifier") or _text(params, "Qualifier")
    return found.group("name") + (f":{qualifier}" if qualifier else "")


def _lambda_part(group: str) -> Resolver:
    def resolve(params: Params, where: Where) -> str | None:
        found = _lambda_function(params) or _lambda_layer(params)
        return found.group(group) if found else None

    return resolve


def _lambda_layer_name(params: Params, where: Where) -> str | None:
    found = _lambda_layer(params)
    if found is not None:
        return found.group("name")
    name = _text(params, "LayerName")
    return None if name is None or name.startswith("arn:") else name


def _lambda_layer_version(params: Params, where: Where) -> str | None:
    number = params.get("VersionNumber")
    return str(number) if isinstance(number, int) and not isinstance(number, bool) else None


def _lambda_config_keys(params: Params) -> Keys:
    keys: dict[str, ConditionValue] = {}
    if "Layers" in params:
        keys["lambda:Layer"] = tuple(str(layer) for layer in _listed(params, "Layers"))
    vpc = _mapping(params, "VpcConfig")
    for key, name in (
        ("lambda:SubnetIds", "SubnetIds"),
        ("lambda:SecurityGroupIds", "SecurityGroupIds"),
    ):
        if name in vpc:
            keys[key] = tuple(str(item) for item in _listed(vpc, name))
    signing = _text(params, "CodeSigningConfigArn")
    if signing is not None:
        keys["lambda:CodeSigningConfigArn"] = signing
    return keys


def _lambda_function_arn(params: Params) -> Keys:
    # lambda:FunctionArn of an event source mapping: the function's ARN as given.
    name = _text(params, "FunctionName")
    return {"lambda:FunctionArn": name} if name and name.startswith("arn:") else {}


# ---------------------------------------------------------------------------------------
# KMS. Sources: "Actions, resources, and condition keys for AWS Key Management Service",
# the KMS Developer Guide's "AWS KMS permissions" reference and "Condition keys for AWS
# KMS" (an alias names its key only where it is known; CreateAlias, UpdateAlias and
# DeleteAlias are authorized on the alias and on the key; ReEncrypt is ReEncryptFrom on the
# source key and ReEncryptTo on the destination key).

_KMS_ARN = re.compile(
    r"arn:[^:]+:kms:(?P<region>[^:]+):(?P<account>\d{12}):(?P<what>(?:key|alias)/.+)"
)


def _kms_key(params: Params, where: Where) -> tuple[str, str, str] | None:
    """(region, account, key id) of the KeyId: a key id, a key ARN, or an alias (name or
    ARN) the mock has seen created."""
    key = _text(params, "KeyId")
    if key is None:
        return None
    found = _KMS_ARN.fullmatch(key)
    if found is not None:
        region, account, what = found.group("region", "account", "what")
    elif key.startswith("arn:"):
        return None
    else:
        region, account, what = where.region, where.account, key
    if what.startswith("alias/"):
        known = _KMS_ARN.fullmatch(where.facts.arns.get(("kms", region, account, what), ""))
        if known is None or not known.group("what").startswith("key/"):
            return None
        region, account, what = known.group("region", "account", "what")
    return region, account, what.removeprefix("key/")


def _kms_part(index: int) -> Resolver:
    def resolve(params: Params, where: Where) -> str | None:
        found = _kms_key(params, where)
        return found[index] if found else None

    return resolve


def _kms_alias(params: Params, where: Where) -> str | None:
    name = _text(params, "AliasName")
    if name is None:
        return None
    found = _KMS_ARN.fullmatch(name)
    if found is not None:
        return name if found.group("what").startswith("alias/") else None
    return (
        f"arn:{where.partition}:kms:{where.region}:{where.account}:{name}"
        if name.startswith("alias/")
        else None
    )


def _kms_target(params: Params) -> Iterable[Params]:
    # CreateAlias/UpdateAlias name the key as TargetKeyId; DeleteAlias's key is the alias's.
    target = params.get("TargetKeyId", params.get("AliasName"))
    return ({"KeyId": target},)


def _kms_re_encrypt(side: str) -> Callable[[Params], Iterable[Params]]:
    def fan_out(params: Params) -> Iterable[Params]:
        same = params.get("SourceKeyId") == params.get("DestinationKeyId")
        return (
            {
                "KeyId": params.get(f"{side}KeyId"),
                "EncryptionContext": params.get(f"{side}EncryptionContext"),
                "EncryptionAlgorithm": params.get(f"{side}EncryptionAlgorithm"),
                "ReEncryptOnSameKey": same,
            },
        )

    return fan_out


def _kms_encryption_context(params: Params) -> Keys:
    context = params.get("EncryptionContext")
    if not isinstance(context, Mapping) or not context:
        return {}
    keys: dict[str, ConditionValue] = {
        f"kms:EncryptionContext:{k}": str(v) for k, v in context.items()
    }
    keys["kms:EncryptionContextKeys"] = tuple(str(k) for k in context)
    return keys


def _kms_request_alias(params: Params) -> Keys:
    key = _text(params, "KeyId")
    if key is None:
        return {}
    alias = key.split(":", 5)[-1] if key.startswith("arn:") else key
    return {"kms:RequestAlias": alias} if alias.startswith("alias/") else {}


def _kms_grant(params: Params) -> Keys:
    constraints = _mapping(params, "Constraints")
    kinds = tuple(
        kind
        for kind in ("EncryptionContextEquals", "EncryptionContextSubset")
        if kind in constraints
    )
    return {"kms:GrantConstraintType": kinds} if kinds else {}


_KMS_KEYS = _both(
    _kms_encryption_context,
    _kms_request_alias,
    _keys_from(
        {
            "kms:EncryptionAlgorithm": "EncryptionAlgorithm",
            "kms:SigningAlgorithm": "SigningAlgorithm",
            "kms:MacAlgorithm": "MacAlgorithm",
            "kms:MessageType": "MessageType",
            "kms:KeyAgreementAlgorithm": "KeyAgreementAlgorithm",
            "kms:DataKeyPairSpec": "KeyPairSpec",
            "kms:KeySpec": "KeySpec",
            "kms:KeyUsage": "KeyUsage",
            "kms:KeyOrigin": "Origin",
            "kms:MultiRegion": "MultiRegion",
            "kms:BypassPolicyLockoutSafetyCheck": "BypassPolicyLockoutSafetyCheck",
            "kms:GrantOperations": "Operations",
            "kms:GranteePrincipal": "GranteePrincipal",
            "kms:RetiringPrincipal": "RetiringPrincipal",
            "kms:ReEncryptOnSameKey": "ReEncryptOnSameKey",
        }
    ),
    _kms_grant,
)


# ---------------------------------------------------------------------------------------
# Secrets Manager. Sources: "Actions, resources, and condition keys for AWS Secrets
# Manager" and the Secrets Manager User Guide's "Permissions reference" (a secret is named
# by its ARN or its name; BatchGetSecretValue needs GetSecretValue on each secret).


def _secret_id(params: Params, where: Where) -> str | None:
    # A name is the secret's only where the mock has seen the secret (its ARN ends in six
    # random characters); an ARN is matched whole.
    name = _text(params, "SecretId")
    if name is None or name.startswith("arn:"):
        return None
    known = where.facts.arns.get(("secretsmanager", where.region, where.account, name))
    return known.split(":secret:", 1)[1] if known and ":secret:" in known else None


def _new_secret(params: Params, where: Where) -> str | None:
    # The ARN a new secret will have: its name and six random characters AWS has not told
    # yet; a policy on "name-*" (or "name*", "*") covers it, as it does in AWS.
    name = _text(params, "Name")
    if name is None:
        return None
    return (
        f"arn:{where.partition}:secretsmanager:{where.region}:{where.account}:secret:{name}-??????"
    )


def _secret_ids(params: Params) -> Iterable[Params]:
    ids = _listed(params, "SecretIdList")
    if not ids or "Filters" in params:
        # Secrets chosen by filters are not known before they are read.
        return ({},)
    return ({"SecretId": secret} for secret in ids)


def _secret_keys(params: Params) -> Keys:
    secret = _text(params, "SecretId")
    return {"secretsmanager:SecretId": secret} if secret and secret.startswith("arn:") else {}


_SECRETS_KEYS = _both(
    _secret_keys,
    _keys_from(
        {
            "secretsmanager:Name": "Name",
            "secretsmanager:Description": "Description",
            "secretsmanager:KmsKeyId": "KmsKeyId",
            "secretsmanager:VersionStage": "VersionStage",
            "secretsmanager:ForceOverwriteReplicaSecret": "ForceOverwriteReplicaSecret",
            "secretsmanager:BlockPublicPolicy": "BlockPublicPolicy",
            "secretsmanager:RotationLambdaARN": "RotationLambdaARN",
        }
    ),
)


# ---------------------------------------------------------------------------------------
# The tables.

# Services whose requests are signed for a name that is not their IAM prefix.
PREFIXES: Mapping[str, str] = {
    "monitoring": "cloudwatch",  # CloudWatch's endpoint and signing name
    "email": "ses",
    # --- SSM, Logs, EventBridge, Kinesis, Step Functions, ECR, EC2 ---
    # Signing names botocore's models give that are not IAM prefixes; each target is the
    # "service prefix" of the service's page in the Service Authorization Reference.
    "tagging": "tag",  # "Resource Groups Tagging API (service prefix: tag)"
    "iotdata": "iot",  # "AWS IoT (service prefix: iot)": the data plane's iot:Publish, ...
    "IoTSecuredTunneling": "iot",  # secure tunneling: iot:OpenTunnel, iot:CloseTunnel, ...
    "iot-jobs-data": "iotjobsdata",  # "AWS IoT Jobs DataPlane (service prefix: iotjobsdata)"
    "mturk-requester": "mechanicalturk",  # "Amazon Mechanical Turk (... mechanicalturk)"
    "cloudcontrolapi": "cloudformation",  # "AWS Cloud Control API (... cloudformation)"
    # "AWS Partner Central Selling (service prefix: partnercentral)", and its other APIs.
    "partnercentral-account": "partnercentral",
    "partnercentral-benefits": "partnercentral",
    "partnercentral-channel": "partnercentral",
    "partnercentral-marketing": "partnercentral",
    "partnercentral-selling": "partnercentral",
}

# Template variables filled from a parameter of another name, by (IAM prefix, variable).
PARAMETERS: Mapping[tuple[str, str], tuple[str, ...]] = {
    # S3
    ("s3", "BucketName"): ("Bucket",),
    ("s3", "ObjectName"): ("Key",),
    # DynamoDB
    ("dynamodb", "IndexName"): ("IndexName",),
    # SNS: CreateTopic names the topic it makes.
    ("sns", "TopicName"): ("Name",),
    # --- SSM, Logs, EventBridge, Kinesis, Step Functions, ECR, EC2 ---
    ("logs", "LogStreamName"): ("logStreamName",),
    ("ec2", "SecurityGroupId"): ("SecurityGroupId", "GroupId"),
}

RESOLVERS: Mapping[tuple[str, str], Resolver] = {
    # S3: a request through an access point names it (its ARN) as the bucket.
    ("s3", "AccessPointName"): _s3_access_point_part(3),
    ("s3", "Region"): _s3_access_point_part(1),
    ("s3", "Account"): _s3_access_point_part(2),
    # DynamoDB: a table by name or ARN.
    ("dynamodb", "TableName"): _dynamodb_table_name,
    ("dynamodb", "Region"): _dynamodb_part(1),
    ("dynamodb", "Account"): _dynamodb_part(2),
    # SQS: a queue by its URL (or its name, to create it or ask its URL).
    ("sqs", "QueueName"): _sqs_queue_name,
    ("sqs", "Region"): _sqs_region,
    ("sqs", "Account"): _sqs_account,
    # Lambda: a function by name, "name:qualifier", partial or full ARN, and Qualifier.
    ("lambda", "FunctionName"): _lambda_function_name,
    ("lambda", "Region"): _lambda_part("region"),
    ("lambda", "Account"): _lambda_part("account"),
    ("lambda", "LayerName"): _lambda_layer_name,
    ("lambda", "LayerVersion"): _lambda_layer_version,
    # KMS: a key by id, ARN or known alias.
    ("kms", "KeyId"): _kms_part(2),
    ("kms", "Region"): _kms_part(0),
    ("kms", "Account"): _kms_part(1),
    # Secrets Manager: a secret by a name the mock knows (an ARN is matched whole).
    ("secretsmanager", "SecretId"): _secret_id,
    # --- SSM, Logs, EventBridge, Kinesis, Step Functions, ECR, EC2 ---
    ("ssm", "ParameterNameWithoutLeadingSlash"): lambda params, where: _ssm_name(params),
    ("logs", "LogGroupName"): lambda params, where: _log_group_name(params, where),
    ("ecr", "RepositoryName"): lambda params, where: _ecr_repository(params, where),
}

# Condition keys of a service that every request to it carries, read from its parameters,
# by IAM prefix (beside the keys of each Step).
SERVICE_KEYS: Mapping[str, Callable[[Params], Keys]] = {
    "dynamodb": _DYNAMODB_KEYS,
    "kms": _KMS_KEYS,
    "secretsmanager": _SECRETS_KEYS,
    # --- SSM, Logs, EventBridge, Kinesis, Step Functions, ECR, EC2 ---
    # aws:RequestTag/* and aws:TagKeys from each service's own tag parameter (the IAM User
    # Guide, "Controlling access during AWS requests"; each service's API reference).
    "ec2": lambda params: _ec2_request_tags(params),
    "logs": lambda params: _tag_keys(_tag_map(params.get("tags"))),
    "states": lambda params: _tag_keys(_tag_pairs(params.get("tags"), "key", "value")),
    "ecr": lambda params: _tag_keys(_tag_pairs(params.get("tags"), "Key", "Value")),
}

# Operations the mock does not check, and why, by (IAM prefix, operation).
UNCHECKED: Mapping[tuple[str, str], str] = {
    # S3: directory buckets are authorized as s3express actions on s3express resources.
    (
        "s3",
        "CreateSession",
    ): "S3 Express One Zone sessions are authorized as s3express:CreateSession",
    (
        "s3",
        "ListDirectoryBuckets",
    ): "directory buckets are authorized as s3express:ListAllMyDirectoryBuckets",
    ("s3", "RenameObject"): "RenameObject is an S3 Express One Zone operation (s3express)",
    # S3 Object Lambda: answered by a function, authorized as s3-object-lambda.
    (
        "s3",
        "WriteGetObjectResponse",
    ): "WriteGetObjectResponse is authorized as s3-object-lambda:WriteGetObjectResponse",
    # SQS: a move task's handle encodes its source queue in a form AWS does not document.
    ("sqs", "CancelMessageMoveTask"): "a move task's handle does not tell its source queue",
}

# The actions a request performs where they are not the one of the operation's name,
# by (IAM prefix, operation).
STEPS: Mapping[tuple[str, str], tuple[Step, ...]] = {
    # S3: "Actions, resources, and condition keys for Amazon S3" and the S3 User Guide's
    # "Required permissions for Amazon S3 API operations".
    ("s3", "ListObjectsV2"): (Step("ListBucket", keys=_S3_LIST_KEYS),),
    ("s3", "ListObjects"): (Step("ListBucket", keys=_S3_LIST_KEYS),),
    ("s3", "ListObjectVersions"): (Step("ListBucketVersions", keys=_S3_LIST_KEYS),),
    ("s3", "ListMultipartUploads"): (Step("ListBucketMultipartUploads"),),
    ("s3", "ListParts"): (Step("ListMultipartUploadParts"),),
    ("s3", "HeadBucket"): (Step("ListBucket"),),
    ("s3", "ListBuckets"): (Step("ListAllMyBuckets"),),
    ("s3", "GetObject"): _s3_object("GetObject"),
    ("s3", "HeadObject"): _s3_object("GetObject"),
    ("s3", "SelectObjectContent"): (Step("GetObject"),),
    ("s3", "GetObjectAcl"): _s3_object("GetObjectAcl"),
    ("s3", "PutObjectAcl"): _s3_object("PutObjectAcl", _S3_WRITE_HEADERS),
    ("s3", "GetObjectTagging"): _s3_object("GetObjectTagging"),
    ("s3", "PutObjectTagging"): _s3_object("PutObjectTagging"),
    ("s3", "DeleteObjectTagging"): _s3_object("DeleteObjectTagging"),
    ("s3", "GetObjectTorrent"): _s3_object("GetObjectTorrent"),
    ("s3", "GetObjectAttributes"): _s3_object("GetObjectAttributes"),
    ("s3", "DeleteObject"): _s3_object("DeleteObject"),
    ("s3", "DeleteObjects"): (
        Step("DeleteObject", params=_s3_deleted(versioned=False)),
        Step("DeleteObjectVersion", params=_s3_deleted(versioned=True), keys=_S3_VERSION_KEYS),
    ),
    # Setting an ACL or tags with the object needs their own permissions too.
    ("s3", "PutObject"): (
        Step("PutObject", keys=_S3_WRITE_KEYS),
        Step("PutObjectAcl", params=_if(_s3_sets_acl), keys=_S3_WRITE_HEADERS),
        Step("PutObjectTagging", params=_if(_s3_sets_tags), keys=_s3_object_tags),
    ),
    ("s3", "CreateMultipartUpload"): (
        Step("PutObject", keys=_S3_WRITE_KEYS),
        Step("PutObjectAcl", params=_if(_s3_sets_acl), keys=_S3_WRITE_HEADERS),
        Step("PutObjectTagging", params=_if(_s3_sets_tags), keys=_s3_object_tags),
    ),
    ("s3", "UploadPart"): (Step("PutObject"),),
    ("s3", "CompleteMultipartUpload"): (Step("PutObject"),),
    ("s3", "CopyObject"): (
        Step("GetObject", params=_s3_source(versioned=False)),
        Step("GetObjectVersion", params=_s3_source(versioned=True), keys=_S3_VERSION_KEYS),
        Step("PutObject", keys=_S3_COPY_KEYS),
        Step("PutObjectAcl", params=_if(_s3_sets_acl), keys=_S3_WRITE_HEADERS),
        Step("PutObjectTagging", params=_if(_s3_sets_tags), keys=_s3_object_tags),
    ),
    ("s3", "UploadPartCopy"): (
        Step("GetObject", params=_s3_source(versioned=False)),
        Step("GetObjectVersion", params=_s3_source(versioned=True), keys=_S3_VERSION_KEYS),
        Step("PutObject", keys=_keys_from({"s3:x-amz-copy-source": "CopySource"})),
    ),
    ("s3", "CreateBucket"): (
        Step(
            "CreateBucket",
            keys=_keys_from(
                {"s3:x-amz-acl": "ACL", "s3:x-amz-object-ownership": "ObjectOwnership"}
            ),
        ),
        Step(
            "PutBucketObjectLockConfiguration",
            params=_if(lambda p: p.get("ObjectLockEnabledForBucket") is True),
        ),
        Step(
            "PutBucketVersioning", params=_if(lambda p: p.get("ObjectLockEnabledForBucket") is True)
        ),
        Step("PutBucketOwnershipControls", params=_if(lambda p: "ObjectOwnership" in p)),
    ),
    # The bucket configuration family: Get/Put/Delete... of a configuration are authorized
    # as its Get/Put action (a delete is a put of nothing).
    ("s3", "GetBucketAccelerateConfiguration"): (Step("GetAccelerateConfiguration"),),
    ("s3", "PutBucketAccelerateConfiguration"): (Step("PutAccelerateConfiguration"),),
    ("s3", "GetBucketAnalyticsConfiguration"): (Step("GetAnalyticsConfiguration"),),
    ("s3", "ListBucketAnalyticsConfigurations"): (Step("GetAnalyticsConfiguration"),),
    ("s3", "PutBucketAnalyticsConfiguration"): (Step("PutAnalyticsConfiguration"),),
    ("s3", "DeleteBucketAnalyticsConfiguration"): (Step("PutAnalyticsConfiguration"),),
    ("s3", "DeleteBucketCors"): (Step("PutBucketCORS"),),
    ("s3", "GetBucketEncryption"): (Step("GetEncryptionConfiguration"),),
    ("s3", "PutBucketEncryption"): (Step("PutEncryptionConfiguration"),),
    ("s3", "DeleteBucketEncryption"): (Step("PutEncryptionConfiguration"),),
    ("s3", "GetBucketIntelligentTieringConfiguration"): (
        Step("GetIntelligentTieringConfiguration"),
    ),
    ("s3", "ListBucketIntelligentTieringConfigurations"): (
        Step("GetIntelligentTieringConfiguration"),
    ),
    ("s3", "PutBucketIntelligentTieringConfiguration"): (
        Step("PutIntelligentTieringConfiguration"),
    ),
    ("s3", "DeleteBucketIntelligentTieringConfiguration"): (
        Step("PutIntelligentTieringConfiguration"),
    ),
    ("s3", "GetBucketInventoryConfiguration"): (Step("GetInventoryConfiguration"),),
    ("s3", "ListBucketInventoryConfigurations"): (Step("GetInventoryConfiguration"),),
    ("s3", "PutBucketInventoryConfiguration"): (Step("PutInventoryConfiguration"),),
    ("s3", "DeleteBucketInventoryConfiguration"): (Step("PutInventoryConfiguration"),),
    ("s3", "GetBucketLifecycle"): (Step("GetLifecycleConfiguration"),),
    ("s3", "GetBucketLifecycleConfiguration"): (Step("GetLifecycleConfiguration"),),
    ("s3", "PutBucketLifecycle"): (Step("PutLifecycleConfiguration"),),
    ("s3", "PutBucketLifecycleConfiguration"): (Step("PutLifecycleConfiguration"),),
    ("s3", "DeleteBucketLifecycle"): (Step("PutLifecycleConfiguration"),),
    ("s3", "GetBucketMetadataConfiguration"): (Step("GetBucketMetadataTableConfiguration"),),
    ("s3", "CreateBucketMetadataConfiguration"): (Step("CreateBucketMetadataTableConfiguration"),),
    ("s3", "DeleteBucketMetadataConfiguration"): (Step("DeleteBucketMetadataTableConfiguration"),),
    ("s3", "GetBucketMetricsConfiguration"): (Step("GetMetricsConfiguration"),),
    ("s3", "ListBucketMetricsConfigurations"): (Step("GetMetricsConfiguration"),),
    ("s3", "PutBucketMetricsConfiguration"): (Step("PutMetricsConfiguration"),),
    ("s3", "DeleteBucketMetricsConfiguration"): (Step("PutMetricsConfiguration"),),
    ("s3", "GetBucketNotificationConfiguration"): (Step("GetBucketNotification"),),
    ("s3", "PutBucketNotificationConfiguration"): (Step("PutBucketNotification"),),
    ("s3", "DeleteBucketOwnershipControls"): (Step("PutBucketOwnershipControls"),),
    ("s3", "GetBucketReplication"): (Step("GetReplicationConfiguration"),),
    ("s3", "PutBucketReplication"): (Step("PutReplicationConfiguration"),),
    ("s3", "DeleteBucketReplication"): (Step("PutReplicationConfiguration"),),
    ("s3", "DeleteBucketTagging"): (Step("PutBucketTagging"),),
    ("s3", "GetObjectLockConfiguration"): (Step("GetBucketObjectLockConfiguration"),),
    ("s3", "PutObjectLockConfiguration"): (Step("PutBucketObjectLockConfiguration"),),
    ("s3", "GetPublicAccessBlock"): (Step("GetBucketPublicAccessBlock"),),
    ("s3", "PutPublicAccessBlock"): (Step("PutBucketPublicAccessBlock"),),
    ("s3", "DeletePublicAccessBlock"): (Step("PutBucketPublicAccessBlock"),),
    # DynamoDB
    ("dynamodb", "BatchGetItem"): (Step("BatchGetItem", params=_dynamodb_tables("RequestItems")),),
    ("dynamodb", "BatchWriteItem"): (
        Step("BatchWriteItem", params=_dynamodb_tables("RequestItems")),
    ),
    ("dynamodb", "TransactGetItems"): (Step("GetItem", params=_items("TransactItems", "Get")),),
    ("dynamodb", "TransactWriteItems"): (
        Step("ConditionCheckItem", params=_items("TransactItems", "ConditionCheck")),
        Step("PutItem", params=_items("TransactItems", "Put")),
        Step("DeleteItem", params=_items("TransactItems", "Delete")),
        Step("UpdateItem", params=_items("TransactItems", "Update")),
    ),
    ("dynamodb", "ExecuteStatement"): _PARTIQL_STEPS,
    ("dynamodb", "BatchExecuteStatement"): _PARTIQL_STEPS,
    ("dynamodb", "ExecuteTransaction"): _PARTIQL_STEPS,
    # SQS
    ("sqs", "SendMessageBatch"): (Step("SendMessage"),),
    ("sqs", "DeleteMessageBatch"): (Step("DeleteMessage"),),
    ("sqs", "ChangeMessageVisibilityBatch"): (Step("ChangeMessageVisibility"),),
    # SNS
    ("sns", "Publish"): (Step("Publish", resource=_sns_publish_target),),
    ("sns", "PublishBatch"): (Step("Publish"),),
    ("sns", "Subscribe"): (
        Step(
            "Subscribe", keys=_keys_from({"sns:Protocol": "Protocol", "sns:Endpoint": "Endpoint"})
        ),
    ),
    ("sns", "Unsubscribe"): (Step("Unsubscribe", resource=_sns_subscription_topic),),
    ("sns", "GetSubscriptionAttributes"): (
        Step("GetSubscriptionAttributes", resource=_sns_subscription_topic),
    ),
    ("sns", "SetSubscriptionAttributes"): (
        Step("SetSubscriptionAttributes", resource=_sns_subscription_topic),
    ),
    # Lambda
    ("lambda", "Invoke"): (Step("InvokeFunction"),),
    ("lambda", "InvokeWithResponseStream"): (Step("InvokeFunction"),),
    ("lambda", "GetLayerVersionByArn"): (Step("GetLayerVersion"),),
    ("lambda", "CreateFunction"): (Step("CreateFunction", keys=_lambda_config_keys),),
    ("lambda", "UpdateFunctionConfiguration"): (
        Step("UpdateFunctionConfiguration", keys=_lambda_config_keys),
    ),
    ("lambda", "AddPermission"): (
        Step(
            "AddPermission",
            keys=_keys_from(
                {
                    "lambda:Principal": "Principal",
                    "lambda:FunctionUrlAuthType": "FunctionUrlAuthType",
                }
            ),
        ),
    ),
    ("lambda", "CreateEventSourceMapping"): (
        Step("CreateEventSourceMapping", keys=_lambda_function_arn),
    ),
    # KMS
    ("kms", "ReEncrypt"): (
        Step("ReEncryptFrom", params=_kms_re_encrypt("Source")),
        Step("ReEncryptTo", params=_kms_re_encrypt("Destination")),
    ),
    ("kms", "CreateAlias"): (
        Step("CreateAlias", resource=_kms_alias),
        Step("CreateAlias", params=_kms_target),
    ),
    ("kms", "UpdateAlias"): (
        Step("UpdateAlias", resource=_kms_alias),
        Step("UpdateAlias", params=_kms_target),
    ),
    ("kms", "DeleteAlias"): (
        Step("DeleteAlias", resource=_kms_alias),
        Step("DeleteAlias", params=_kms_target),
    ),
    # Secrets Manager
    ("secretsmanager", "CreateSecret"): (Step("CreateSecret", resource=_new_secret),),
    ("secretsmanager", "BatchGetSecretValue"): (
        Step("BatchGetSecretValue"),
        Step("GetSecretValue", params=_secret_ids),
    ),
    # --- SSM, Logs, EventBridge, Kinesis, Step Functions, ECR, EC2 ---
    # SSM: "Actions, resources, and condition keys for AWS Systems Manager"; the Systems
    # Manager User Guide, "Restricting access to Parameter Store parameters using IAM
    # policies" (a batch is checked for each parameter it names; ssm:Recursive, ssm:Overwrite).
    ("ssm", "GetParameter"): (Step("GetParameter", params=lambda p: _ssm_names(p, "Name")),),
    ("ssm", "GetParameters"): (Step("GetParameters", params=lambda p: _ssm_names(p, "Names")),),
    ("ssm", "DeleteParameters"): (
        Step("DeleteParameters", params=lambda p: _ssm_names(p, "Names")),
    ),
    ("ssm", "GetParametersByPath"): (
        Step("GetParametersByPath", keys=lambda p: _bool_key("ssm:Recursive", p.get("Recursive"))),
    ),
    ("ssm", "PutParameter"): (
        Step("PutParameter", keys=lambda p: _bool_key("ssm:Overwrite", p.get("Overwrite"))),
    ),
    # CloudWatch Logs: "Actions, resources, and condition keys for Amazon CloudWatch Logs".
    # A log group's actions are checked on its streams' ARN with no stream name
    # ("...:log-group:NAME:log-stream:", as AWS's refusals of logs:CreateLogGroup and
    # logs:DescribeLogStreams name it), so that policies on "log-group:NAME:*" cover them.
    **{
        ("logs", operation): (Step(operation, params=lambda p: _log_group_streams(p)),)
        for operation in (
            "AssociateKmsKey",
            "CreateLogGroup",
            "DeleteLogGroup",
            "DeleteMetricFilter",
            "DeleteRetentionPolicy",
            "DeleteSubscriptionFilter",
            "DescribeLogStreams",
            "DescribeMetricFilters",
            "DescribeSubscriptionFilters",
            "DisassociateKmsKey",
            "FilterLogEvents",
            "ListTagsLogGroup",
            "PutMetricFilter",
            "PutRetentionPolicy",
            "PutSubscriptionFilter",
            "StartQuery",
            "TagLogGroup",
            "UntagLogGroup",
        )
    },
    # EventBridge: "Actions, resources, and condition keys for Amazon EventBridge" and the
    # EventBridge User Guide, "Using IAM policy conditions": PutEvents is checked on each
    # entry's event bus (the default bus when the entry names none) with that entry's
    # events:source and events:detail-type; a rule's ARN names its bus unless it is the
    # default one.
    ("events", "PutEvents"): (
        Step("PutEvents", params=lambda p: _event_entries(p), keys=lambda p: _event_keys(p)),
    ),
    **{
        ("events", operation): (Step(operation, params=lambda p: _rule_params(p)),)
        for operation in (
            "DeleteRule",
            "DescribeRule",
            "DisableRule",
            "EnableRule",
            "ListTargetsByRule",
            "PutRule",
            "PutTargets",
            "RemoveTargets",
        )
    },
    **{
        ("events", operation): (Step(operation, params=lambda p: _event_bus(p)),)
        for operation in ("CreateEventBus", "DeleteEventBus", "DescribeEventBus")
    },
    # Step Functions: "Actions, resources, and condition keys for AWS Step Functions".
    ("states", "CreateStateMachine"): (
        Step("CreateStateMachine", params=lambda p: _state_machine(p)),
    ),
    # ECR: "Actions, resources, and condition keys for Amazon Elastic Container Registry";
    # DescribeRepositories without names lists the registry's repositories: "*".
    ("ecr", "DescribeRepositories"): (
        Step("DescribeRepositories", params=lambda p: _ecr_repositories(p)),
        Step(
            "DescribeRepositories",
            params=lambda p: () if "repositoryNames" in p else (p,),
            resource=_anywhere,
        ),
    ),
    # EC2: "Actions, resources, and condition keys for Amazon EC2" and the EC2 User Guide,
    # "Example policies to control access to the Amazon EC2 API" (RunInstances needs the
    # instance, network interface and volume it makes, "*" ids, the image and, where the
    # request names them, the subnet, security groups and key pair).
    ("ec2", "RunInstances"): (
        Step("RunInstances", params=lambda p: _made(p, "instance", "InstanceId")),
        Step("RunInstances", params=lambda p: _made(p, "network-interface", "NetworkInterfaceId")),
        Step("RunInstances", params=lambda p: _made(p, "volume", "VolumeId")),
        Step("RunInstances", params=lambda p: _ec2_named(p, "ImageId", "ImageId")),
        Step("RunInstances", params=lambda p: _ec2_named(p, "SubnetId", "SubnetId")),
        Step("RunInstances", params=lambda p: _each(p, "SecurityGroupIds", "SecurityGroupId")),
        Step("RunInstances", params=lambda p: _ec2_named(p, "KeyName", "KeyPairName")),
    ),
    **{
        ("ec2", operation): (
            Step(operation, params=lambda p: _each(p, "InstanceIds", "InstanceId")),
        )
        for operation in (
            "StartInstances",
            "StopInstances",
            "TerminateInstances",
            "RebootInstances",
        )
    },
    ("ec2", "CreateTags"): (Step("CreateTags", params=lambda p: _ec2_resources(p)),),
    ("ec2", "DeleteTags"): (Step("DeleteTags", params=lambda p: _ec2_resources(p)),),
    ("ec2", "CreateSecurityGroup"): (
        Step("CreateSecurityGroup", params=lambda p: _made(p, "security-group", "SecurityGroupId")),
        Step("CreateSecurityGroup", params=lambda p: _ec2_named(p, "VpcId", "VpcId")),
    ),
    ("ec2", "CreateVolume"): (
        Step("CreateVolume", params=lambda p: _made(p, "volume", "VolumeId")),
        Step("CreateVolume", params=lambda p: _ec2_named(p, "SnapshotId", "SnapshotId")),
    ),
    ("ec2", "AttachVolume"): (
        Step("AttachVolume", params=lambda p: _ec2_named(p, "InstanceId", "InstanceId")),
        Step("AttachVolume", params=lambda p: _ec2_named(p, "VolumeId", "VolumeId")),
    ),
    # CloudWatch: "Actions, resources, and condition keys for Amazon CloudWatch" (metrics
    # name no resource unless a dataset is given; PutMetricData carries cloudwatch:namespace).
    ("cloudwatch", "PutMetricData"): (
        Step(
            "PutMetricData",
            keys=lambda p: _string_key("cloudwatch:namespace", p, "Namespace"),
            resource=_anywhere,
        ),
    ),
    ("cloudwatch", "GetMetricData"): (Step("GetMetricData", resource=_anywhere),),
    ("cloudwatch", "ListMetrics"): (Step("ListMetrics", resource=_anywhere),),
}


# --- SSM, Logs, EventBridge, Kinesis, Step Functions, ECR, EC2: readers of parameters ---
# Each reads what a client may send, of any type: a value of the wrong type tells nothing
# (the request is then not checked on it), never an error.


def _string(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _strings(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, str) and item]


def _each(params: Params, key: str, name: str) -> list[Params]:
    """One parameter set per string of the list ``params[key]``, under ``name``."""
    return [{name: item} for item in _strings(params.get(key))]


def _bool_key(key: str, value: object) -> Keys:
    return {key: "true" if value else "false"} if isinstance(value, bool) else {}


def _string_key(key: str, params: Params, name: str) -> Keys:
    value = _string(params.get(name))
    return {key: value} if value is not None else {}


def _ssm_names(params: Params, key: str) -> list[Params]:
    """Each parameter a request names (by name or ARN), less the version or label a name
    may select ("name:3", "name:prod"): AWS checks the parameter itself."""
    return [{"Name": _ssm_unselected(name)} for name in _strings(params.get(key))]


def _ssm_unselected(name: str) -> str:
    if not name.startswith("arn:"):
        return name.split(":", 1)[0]
    head, marker, rest = name.partition(":parameter/")
    # An ARN of anything but a parameter is left whole: it fills no parameter's ARN.
    return f"{head}{marker}{rest.split(':', 1)[0]}" if marker else name


def _ssm_name(params: Params) -> str | None:
    """A parameter's name or a path as its ARN ends: without the leading "/"
    ("/app/db" is "parameter/app/db")."""
    for key in ("Name", "Path"):
        value = _string(params.get(key))
        if value is not None and not value.startswith("arn:"):
            return value.removeprefix("/")
    return None


def _log_group_name(params: Params, where: Where) -> str | None:
    """The log group named by ``logGroupName``, or by ``logGroupIdentifier`` (a name, or an
    ARN of the caller's account and region: another's is not filled into the caller's)."""
    name = _string(params.get("logGroupName")) or _string(params.get("logGroupIdentifier"))
    if name is None or not name.startswith("arn:"):
        return name
    own = f"arn:{where.partition}:logs:{where.region}:{where.account}:log-group:"
    return name.removeprefix(own).removesuffix(":*") if name.startswith(own) else None


def _log_group_streams(params: Params) -> list[Params]:
    """Each log group a request names (``logGroupNames``: StartQuery), as the ARN of its
    streams with no stream's name."""
    groups = [
        *_strings(params.get("logGroupName")),
        *_strings(params.get("logGroupIdentifier")),
        *_strings(params.get("logGroupNames")),
        *_strings(params.get("logGroupIdentifiers")),
    ]
    # CreateLogGroup's tags go along, for aws:RequestTag.
    tags = {"tags": params["tags"]} if "tags" in params else {}
    return [
        {"logGroupIdentifier": f"{group.removesuffix(':*')}:log-stream:", **tags}
        if group.startswith("arn:")
        else {"logGroupName": f"{group}:log-stream:", **tags}
        for group in groups
    ]


def _event_entries(params: Params) -> list[Params]:
    """Each entry of PutEvents, with the bus it goes to ("default" unless it names one)."""
    entries = params.get("Entries")
    return [
        {
            "EventBusName": _string(entry.get("EventBusName")) or "default",
            "Source": entry.get("Source"),
            "DetailType": entry.get("DetailType"),
        }
        for entry in (entries if isinstance(entries, list) else ())
        if isinstance(entry, Mapping)
    ]


def _event_keys(entry: Params) -> Keys:
    return {
        **_string_key("events:source", entry, "Source"),
        **_string_key("events:detail-type", entry, "DetailType"),
    }


def _rule_params(params: Params) -> list[Params]:
    """A rule's name and, unless it is the default one, its bus's name (a bus given by ARN
    by the name that ends it)."""
    rule = _string(params.get("Name")) or _string(params.get("Rule"))
    bus = _string(params.get("EventBusName"))
    if bus is not None and bus.startswith("arn:"):
        _, marker, name = bus.partition(":event-bus/")
        if not marker:
            return [{}]
        bus = name
    named = {"RuleName": rule, "EventBusName": None if bus == "default" else bus}
    return [{key: value for key, value in named.items() if value is not None}]


def _event_bus(params: Params) -> list[Params]:
    """The bus a request names by ``Name`` (DescribeEventBus without one: the default)."""
    return [{"EventBusName": _string(params.get("Name")) or "default"}]


def _state_machine(params: Params) -> list[Params]:
    return [{"StateMachineName": params.get("name"), "tags": params.get("tags")}]


def _ecr_repository(params: Params, where: Where) -> str | None:
    """A repository of the caller's own registry; one of another account's registry
    (``registryId``) cannot be filled into the caller's ARN, and is not checked."""
    registry = params.get("registryId")
    if registry is not None and registry != where.account:
        return None
    return _string(params.get("repositoryName"))


def _ecr_repositories(params: Params) -> list[Params]:
    names = _strings(params.get("repositoryNames"))
    return [{"repositoryName": name, "registryId": params.get("registryId")} for name in names]


def _made(params: Params, kind: str, variable: str) -> list[Params]:
    """A resource of ``kind`` the request makes: its id is not known yet ("*"), and the
    tags it is given are the ones of its TagSpecifications."""
    specs = params.get("TagSpecifications")
    own = [
        spec
        for spec in (specs if isinstance(specs, list) else ())
        if isinstance(spec, Mapping) and spec.get("ResourceType") == kind
    ]
    return [{variable: "*", "TagSpecifications": own} if own else {variable: "*"}]


def _ec2_named(params: Params, key: str, variable: str) -> list[Params]:
    """The existing resource the request names by ``key``; none when it names none."""
    return [{variable: value} for value in _strings(params.get(key))]


# The resource type of an EC2 id, by the prefix before its "-" (the EC2 API Reference's
# ids: i-, vol-, sg-, ...), as the variable of that type's ARN.
_EC2_IDS: Mapping[str, str] = {
    "i": "InstanceId",
    "vol": "VolumeId",
    "sg": "SecurityGroupId",
    "subnet": "SubnetId",
    "vpc": "VpcId",
    "ami": "ImageId",
    "snap": "SnapshotId",
    "eni": "NetworkInterfaceId",
}


def _ec2_resources(params: Params) -> list[Params]:
    """Each resource CreateTags/DeleteTags names, by the type its id's prefix tells (an id
    of another type fills nothing: the request is not checked)."""
    ids = _strings(params.get("Resources"))
    return [
        {_EC2_IDS[prefix]: resource} if prefix in _EC2_IDS else {}
        for resource in ids
        for prefix in (resource.partition("-")[0],)
    ]


def _tag_pairs(value: object, key: str, text: str) -> list[tuple[str, str]] | None:
    """A list of {key, value} tags (EC2, ECR: Key/Value; Step Functions: key/value)."""
    if not isinstance(value, list):
        return None
    return [
        (tag[key], tag.get(text, ""))
        for tag in value
        if isinstance(tag, Mapping)
        and isinstance(tag.get(key), str)
        and isinstance(tag.get(text, ""), str)
    ]


def _tag_map(value: object) -> list[tuple[str, str]] | None:
    """A mapping of tags (CloudWatch Logs' ``tags``)."""
    if not isinstance(value, Mapping):
        return None
    return [(k, v) for k, v in value.items() if isinstance(k, str) and isinstance(v, str)]


def _tag_keys(pairs: list[tuple[str, str]] | None) -> Keys:
    if pairs is None:
        return {}
    keys: dict[str, ConditionValue] = {f"aws:RequestTag/{k}": v for k, v in pairs}
    keys["aws:TagKeys"] = tuple(k for k, _ in pairs)
    return keys


def _ec2_request_tags(params: Params) -> Keys:
    """aws:RequestTag/* and aws:TagKeys of the tags EC2's TagSpecifications give."""
    specs = params.get("TagSpecifications")
    if not isinstance(specs, list):
        return {}
    pairs = [
        pair
        for spec in specs
        if isinstance(spec, Mapping)
        for pair in (_tag_pairs(spec.get("Tags"), "Key", "Value") or ())
    ]
    return _tag_keys(pairs)
