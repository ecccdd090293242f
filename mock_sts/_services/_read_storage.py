"""Readers of the parameters of requests to the storage services, S3 and DynamoDB: the
resources they name, the batches they fan out to and the condition keys they carry."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from urllib.parse import parse_qs, parse_qsl, unquote

from mock_sts._services._read_common import (
    Keys,
    Params,
    Resolver,
    Where,
    both,
    keys_from,
    listed,
    mapping,
    matched,
    tag_keys,
    text,
)

# ---------------------------------------------------------------------------------------
# S3. Sources: "Actions, resources, and condition keys for Amazon S3" (Service
# Authorization Reference), the S3 User Guide's "Required permissions for Amazon S3 API
# operations", and each operation's "Permissions" section in the S3 API Reference.

_S3_ACCESS_POINT = re.compile(r"arn:[^:]+:s3:([^:]+):(\d{12}):accesspoint/([^/]+)")


def _s3_access_point(params: Params) -> re.Match[str] | None:
    """The access point a request is made through: its ARN given as the bucket."""
    bucket = text(params, "Bucket")
    return _S3_ACCESS_POINT.fullmatch(bucket) if bucket else None


def s3_access_point_part(group: int) -> Resolver:
    return matched(_s3_access_point, group)


def s3_versioned(params: Params) -> bool:
    return text(params, "VersionId") is not None


def s3_unversioned(params: Params) -> bool:
    return not s3_versioned(params)


S3_VERSION_KEYS = keys_from({"s3:versionid": "VersionId"})
S3_LIST_KEYS = keys_from(
    {"s3:prefix": "Prefix", "s3:delimiter": "Delimiter", "s3:max-keys": "MaxKeys"}
)
S3_WRITE_HEADERS = keys_from(
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


def s3_object_tags(params: Params) -> Keys:
    """s3:RequestObjectTag/<key> and s3:RequestObjectTagKeys from the Tagging parameter,
    which S3 takes URL-encoded as a query string (x-amz-tagging: "k1=v1&k2=v2")."""
    tagging = text(params, "Tagging")
    if tagging is None:
        return {}
    pairs = parse_qsl(tagging, keep_blank_values=True)
    return tag_keys(pairs, "s3:RequestObjectTag", "s3:RequestObjectTagKeys")


S3_WRITE_KEYS = both(S3_WRITE_HEADERS, s3_object_tags)
S3_COPY_KEYS = both(
    S3_WRITE_KEYS,
    keys_from(
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


def s3_source(*, versioned: bool) -> Callable[[Params], Iterable[Params]]:
    def fan_out(params: Params) -> Iterable[Params]:
        source = _s3_copy_source(params)
        if source is None:
            # What cannot be read is told to the unversioned check, which cannot fill it.
            return () if versioned else ({},)
        return (source,) if s3_versioned(source) == versioned else ()

    return fan_out


def s3_deleted(*, versioned: bool) -> Callable[[Params], Iterable[Params]]:
    """DeleteObjects: one DeleteObject (DeleteObjectVersion) check per object it names."""

    def fan_out(params: Params) -> Iterable[Params]:
        for item in listed(mapping(params, "Delete"), "Objects"):
            if isinstance(item, Mapping) and s3_versioned(item) == versioned:
                yield {**item, "Bucket": params.get("Bucket")}

    return fan_out


def s3_sets_acl(params: Params) -> bool:
    return any(
        name in params
        for name in ("ACL", "GrantFullControl", "GrantRead", "GrantReadACP", "GrantWriteACP")
    )


def s3_sets_tags(params: Params) -> bool:
    return text(params, "Tagging") is not None


# ---------------------------------------------------------------------------------------
# DynamoDB. Sources: "Actions, resources, and condition keys for Amazon DynamoDB", the
# DynamoDB Developer Guide's "DynamoDB API permissions: Actions, resources, and conditions
# reference", "Using IAM policies with DynamoDB transactions" and "IAM policies with
# PartiQL for DynamoDB"; dynamodb:LeadingKeys (the Developer Guide's "Using IAM policy
# conditions for fine-grained access control") needs a table's partition key, which the
# mock learns from the CreateTable and DescribeTable requests it lets through.

_DYNAMODB_TABLE = re.compile(r"arn:[^:]+:dynamodb:([^:]+):(\d{12}):table/([^/]+)")


def _dynamodb_table(params: Params) -> re.Match[str] | None:
    name = text(params, "TableName")
    return _DYNAMODB_TABLE.fullmatch(name) if name else None


def dynamodb_part(group: int) -> Resolver:
    return matched(_dynamodb_table, group)


def dynamodb_table_name(params: Params, where: Where) -> str | None:
    # A table is named by its name or, since 2024, by its ARN.
    found = _dynamodb_table(params)
    if found is not None:
        return found.group(3)
    name = text(params, "TableName")
    return None if name is None or name.startswith("arn:") else name


def _dynamodb_attributes(params: Params) -> Keys:
    """dynamodb:Attributes: the top-level attribute names a request reads or writes, where
    it names them plainly (AttributesToGet, a ProjectionExpression, an Item, AttributeUpdates)."""
    names: list[str] = [str(name) for name in listed(params, "AttributesToGet")]
    projection = text(params, "ProjectionExpression")
    aliases = mapping(params, "ExpressionAttributeNames")
    if projection is not None:
        for path in projection.split(","):
            top = re.split(r"[.\[]", path.strip(), maxsplit=1)[0]
            resolved = aliases.get(top, top) if top.startswith("#") else top
            if isinstance(resolved, str) and resolved:
                names.append(resolved)
    names += [str(name) for name in mapping(params, "Item")]
    names += [str(name) for name in mapping(params, "AttributeUpdates")]
    return {"dynamodb:Attributes": tuple(dict.fromkeys(names))} if names else {}


DYNAMODB_KEYS = both(
    keys_from(
        {
            "dynamodb:Select": "Select",
            "dynamodb:ReturnValues": "ReturnValues",
            "dynamodb:ReturnConsumedCapacity": "ReturnConsumedCapacity",
        }
    ),
    _dynamodb_attributes,
)


def dynamodb_leading_keys(params: Params, resource: str, where: Where) -> Keys:
    """dynamodb:LeadingKeys: the partition key value of the item a request reads or writes
    (its Key, or the Item it puts), where the mock knows the table's partition key."""
    table = resource.split("/index/", 1)[0]
    attribute = where.facts.partition_keys.get(table)
    if attribute is None:
        return {}
    item = mapping(params, "Key") or mapping(params, "Item")
    typed = item.get(attribute)
    if not isinstance(typed, Mapping):
        return {}
    values = [
        value for kind, value in typed.items() if kind in ("S", "N") and isinstance(value, str)
    ]
    return {"dynamodb:LeadingKeys": tuple(values)} if values else {}


def dynamodb_tables(name: str) -> Callable[[Params], Iterable[Params]]:
    """BatchGetItem/BatchWriteItem: one check per table of ``name`` (RequestItems), with
    that table's own request (its projection) and the request's common parameters."""

    def fan_out(params: Params) -> Iterable[Params]:
        common = {k: v for k, v in params.items() if k != name}
        for table, request in mapping(params, name).items():
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
PARTIQL_ACTIONS = {
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
    return PARTIQL_ACTIONS[verb.lower()], where


def _partiql_statements(params: Params) -> list[object]:
    if "Statement" in params:
        return [params.get("Statement")]
    entries = listed(params, "Statements") + listed(params, "TransactStatements")
    return [entry.get("Statement") if isinstance(entry, Mapping) else None for entry in entries]


def partiql_tables(action: str) -> Callable[[Params], Iterable[Params]]:
    """The table (and index) of each statement of a PartiQL request that is ``action``."""

    def fan_out(params: Params) -> Iterable[Params]:
        for statement in _partiql_statements(params):
            parsed = _partiql(statement)
            if parsed is not None and parsed[0] == action:
                yield parsed[1]
            elif parsed is None and action == "PartiQLSelect":
                # A statement the mock cannot read leaves the request unchecked.
                yield {}

    return fan_out
