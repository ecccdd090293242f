"""What AWS authorizes S3 and DynamoDB requests on: each operation through a real boto3
client, allowed with exactly the actions and resources AWS checks, refused without them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from mock_sts import Credentials, MockSTS, mock_sts
from mock_sts._services._catalogue import Catalogued, targets_of
from mock_sts._services._read_common import Where
from tests.helpers import aws_error, client
from tests.helpers.assume_role import ACCOUNT, statement
from tests.helpers.services import (
    allowed_with_exactly,
    attempt,
    checks_of,
    grants,
    limited_to,
    one_try,
    refused_without,
    served_by_moto,
)

BUCKET = "reports"
B = f"arn:aws:s3:::{BUCKET}"
OBJ = f"{B}/q1.csv"
AP = f"arn:aws:s3:us-east-1:{ACCOUNT}:accesspoint/inbox"
TABLE = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/jobs"
OTHER = f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/runs"

Request = Callable[[Any], object]
Row = tuple[str, Request, list[tuple[str, str]]]


@pytest.fixture
def aws() -> Iterator[MockSTS]:
    with served_by_moto(), mock_sts() as sts:
        s3 = client("s3")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key="q1.csv", Body=b"v1")
        dynamodb = client("dynamodb")
        for name in ("jobs", "runs"):
            dynamodb.create_table(
                TableName=name,
                KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                AttributeDefinitions=[
                    {"AttributeName": "id", "AttributeType": "S"},
                    {"AttributeName": "owner", "AttributeType": "S"},
                ],
                GlobalSecondaryIndexes=[
                    {
                        "IndexName": "by-owner",
                        "KeySchema": [{"AttributeName": "owner", "KeyType": "HASH"}],
                        "Projection": {"ProjectionType": "ALL"},
                    }
                ],
                BillingMode="PAY_PER_REQUEST",
            )
        yield sts


KEY = {"Bucket": BUCKET, "Key": "q1.csv"}
UPLOAD = {**KEY, "UploadId": "upload-1"}

S3_ROWS: list[Row] = [
    ("ListObjectsV2", lambda s3: s3.list_objects_v2(Bucket=BUCKET), [("s3:ListBucket", B)]),
    ("ListObjects", lambda s3: s3.list_objects(Bucket=BUCKET), [("s3:ListBucket", B)]),
    ("HeadBucket", lambda s3: s3.head_bucket(Bucket=BUCKET), [("s3:ListBucket", B)]),
    ("ListBuckets", lambda s3: s3.list_buckets(), [("s3:ListAllMyBuckets", "*")]),
    ("GetObject", lambda s3: s3.get_object(**KEY), [("s3:GetObject", OBJ)]),
    ("HeadObject", lambda s3: s3.head_object(**KEY), [("s3:GetObject", OBJ)]),
    (
        "GetObject of a version",
        lambda s3: s3.get_object(**KEY, VersionId="v1"),
        [("s3:GetObjectVersion", OBJ)],
    ),
    (
        "ListObjectVersions",
        lambda s3: s3.list_object_versions(Bucket=BUCKET),
        [("s3:ListBucketVersions", B)],
    ),
    ("PutObject", lambda s3: s3.put_object(**KEY, Body=b"v2"), [("s3:PutObject", OBJ)]),
    (
        "PutObject with an ACL",
        lambda s3: s3.put_object(**KEY, Body=b"v2", ACL="private"),
        [("s3:PutObject", OBJ), ("s3:PutObjectAcl", OBJ)],
    ),
    (
        "CreateMultipartUpload",
        lambda s3: s3.create_multipart_upload(**KEY),
        [("s3:PutObject", OBJ)],
    ),
    (
        "UploadPart",
        lambda s3: s3.upload_part(**UPLOAD, PartNumber=1, Body=b"x"),
        [("s3:PutObject", OBJ)],
    ),
    (
        "CompleteMultipartUpload",
        lambda s3: s3.complete_multipart_upload(**UPLOAD, MultipartUpload={"Parts": []}),
        [("s3:PutObject", OBJ)],
    ),
    ("ListParts", lambda s3: s3.list_parts(**UPLOAD), [("s3:ListMultipartUploadParts", OBJ)]),
    (
        "ListMultipartUploads",
        lambda s3: s3.list_multipart_uploads(Bucket=BUCKET),
        [("s3:ListBucketMultipartUploads", B)],
    ),
    (
        "DeleteObjects",
        lambda s3: s3.delete_objects(
            Bucket=BUCKET, Delete={"Objects": [{"Key": "q1.csv"}, {"Key": "a/b"}]}
        ),
        [("s3:DeleteObject", OBJ), ("s3:DeleteObject", f"{B}/a/b")],
    ),
    (
        "CopyObject",
        lambda s3: s3.copy_object(
            Bucket=BUCKET, Key="copy.csv", CopySource={"Bucket": BUCKET, "Key": "q1.csv"}
        ),
        [("s3:GetObject", OBJ), ("s3:PutObject", f"{B}/copy.csv")],
    ),
    (
        "CopyObject of a version",
        lambda s3: s3.copy_object(
            Bucket=BUCKET, Key="copy.csv", CopySource="/reports/q1.csv?versionId=v1"
        ),
        [("s3:GetObjectVersion", OBJ), ("s3:PutObject", f"{B}/copy.csv")],
    ),
    (
        "UploadPartCopy",
        lambda s3: s3.upload_part_copy(
            Bucket=BUCKET,
            Key="copy.csv",
            UploadId="upload-1",
            PartNumber=1,
            CopySource={"Bucket": BUCKET, "Key": "a b.csv"},
        ),
        [("s3:GetObject", f"{B}/a b.csv"), ("s3:PutObject", f"{B}/copy.csv")],
    ),
    (
        "SelectObjectContent",
        lambda s3: s3.select_object_content(
            **KEY,
            Expression="select * from s3object",
            ExpressionType="SQL",
            InputSerialization={"CSV": {}},
            OutputSerialization={"CSV": {}},
        ),
        [("s3:GetObject", OBJ)],
    ),
    (
        "PutBucketLifecycleConfiguration",
        lambda s3: s3.put_bucket_lifecycle_configuration(
            Bucket=BUCKET,
            LifecycleConfiguration={
                "Rules": [{"ID": "r", "Status": "Enabled", "Filter": {}, "Expiration": {"Days": 1}}]
            },
        ),
        [("s3:PutLifecycleConfiguration", B)],
    ),
    (
        "GetBucketLifecycleConfiguration",
        lambda s3: s3.get_bucket_lifecycle_configuration(Bucket=BUCKET),
        [("s3:GetLifecycleConfiguration", B)],
    ),
    (
        "DeleteBucketLifecycle",
        lambda s3: s3.delete_bucket_lifecycle(Bucket=BUCKET),
        [("s3:PutLifecycleConfiguration", B)],
    ),
    (
        "DeleteBucketCors",
        lambda s3: s3.delete_bucket_cors(Bucket=BUCKET),
        [("s3:PutBucketCORS", B)],
    ),
    (
        "GetBucketEncryption",
        lambda s3: s3.get_bucket_encryption(Bucket=BUCKET),
        [("s3:GetEncryptionConfiguration", B)],
    ),
    (
        "DeleteBucketEncryption",
        lambda s3: s3.delete_bucket_encryption(Bucket=BUCKET),
        [("s3:PutEncryptionConfiguration", B)],
    ),
    (
        "GetBucketReplication",
        lambda s3: s3.get_bucket_replication(Bucket=BUCKET),
        [("s3:GetReplicationConfiguration", B)],
    ),
    (
        "DeleteBucketTagging",
        lambda s3: s3.delete_bucket_tagging(Bucket=BUCKET),
        [("s3:PutBucketTagging", B)],
    ),
    (
        "GetPublicAccessBlock",
        lambda s3: s3.get_public_access_block(Bucket=BUCKET),
        [("s3:GetBucketPublicAccessBlock", B)],
    ),
    (
        "DeletePublicAccessBlock",
        lambda s3: s3.delete_public_access_block(Bucket=BUCKET),
        [("s3:PutBucketPublicAccessBlock", B)],
    ),
    (
        "GetObjectLockConfiguration",
        lambda s3: s3.get_object_lock_configuration(Bucket=BUCKET),
        [("s3:GetBucketObjectLockConfiguration", B)],
    ),
    (
        "GetBucketNotificationConfiguration",
        lambda s3: s3.get_bucket_notification_configuration(Bucket=BUCKET),
        [("s3:GetBucketNotification", B)],
    ),
    (
        "GetBucketAccelerateConfiguration",
        lambda s3: s3.get_bucket_accelerate_configuration(Bucket=BUCKET),
        [("s3:GetAccelerateConfiguration", B)],
    ),
    (
        "ListBucketMetricsConfigurations",
        lambda s3: s3.list_bucket_metrics_configurations(Bucket=BUCKET),
        [("s3:GetMetricsConfiguration", B)],
    ),
    (
        "DeleteBucketOwnershipControls",
        lambda s3: s3.delete_bucket_ownership_controls(Bucket=BUCKET),
        [("s3:PutBucketOwnershipControls", B)],
    ),
    (
        "GetObject through an access point",
        lambda s3: s3.get_object(Bucket=AP, Key="q1.csv"),
        [("s3:GetObject", f"{AP}/object/q1.csv")],
    ),
    (
        "ListObjectsV2 through an access point",
        lambda s3: s3.list_objects_v2(Bucket=AP),
        [("s3:ListBucket", AP)],
    ),
]

DYNAMODB_ROWS: list[Row] = [
    (
        "GetItem",
        lambda db: db.get_item(TableName="jobs", Key={"id": {"S": "1"}}),
        [("dynamodb:GetItem", TABLE)],
    ),
    (
        "Query on an index",
        lambda db: db.query(
            TableName="jobs",
            IndexName="by-owner",
            KeyConditionExpression="#o = :o",
            ExpressionAttributeNames={"#o": "owner"},
            ExpressionAttributeValues={":o": {"S": "ann"}},
        ),
        [("dynamodb:Query", f"{TABLE}/index/by-owner")],
    ),
    (
        "Scan on an index",
        lambda db: db.scan(TableName="jobs", IndexName="by-owner"),
        [("dynamodb:Scan", f"{TABLE}/index/by-owner")],
    ),
    ("Scan by the table's ARN", lambda db: db.scan(TableName=TABLE), [("dynamodb:Scan", TABLE)]),
    (
        "BatchGetItem",
        lambda db: db.batch_get_item(
            RequestItems={
                "jobs": {"Keys": [{"id": {"S": "1"}}]},
                "runs": {"Keys": [{"id": {"S": "1"}}]},
            }
        ),
        [("dynamodb:BatchGetItem", TABLE), ("dynamodb:BatchGetItem", OTHER)],
    ),
    (
        "BatchWriteItem",
        lambda db: db.batch_write_item(
            RequestItems={
                "jobs": [{"PutRequest": {"Item": {"id": {"S": "1"}}}}],
                "runs": [{"DeleteRequest": {"Key": {"id": {"S": "1"}}}}],
            }
        ),
        [("dynamodb:BatchWriteItem", TABLE), ("dynamodb:BatchWriteItem", OTHER)],
    ),
    (
        "TransactGetItems",
        lambda db: db.transact_get_items(
            TransactItems=[
                {"Get": {"TableName": "jobs", "Key": {"id": {"S": "1"}}}},
                {"Get": {"TableName": "runs", "Key": {"id": {"S": "1"}}}},
            ]
        ),
        [("dynamodb:GetItem", TABLE), ("dynamodb:GetItem", OTHER)],
    ),
    (
        "TransactWriteItems",
        lambda db: db.transact_write_items(
            TransactItems=[
                {"Put": {"TableName": "jobs", "Item": {"id": {"S": "1"}}}},
                {"Delete": {"TableName": "runs", "Key": {"id": {"S": "2"}}}},
                {
                    "Update": {
                        "TableName": "jobs",
                        "Key": {"id": {"S": "3"}},
                        "UpdateExpression": "SET a = :a",
                        "ExpressionAttributeValues": {":a": {"S": "x"}},
                    }
                },
                {
                    "ConditionCheck": {
                        "TableName": "runs",
                        "Key": {"id": {"S": "4"}},
                        "ConditionExpression": "attribute_not_exists(id)",
                    }
                },
            ]
        ),
        [
            ("dynamodb:ConditionCheckItem", OTHER),
            ("dynamodb:PutItem", TABLE),
            ("dynamodb:DeleteItem", OTHER),
            ("dynamodb:UpdateItem", TABLE),
        ],
    ),
    (
        "ExecuteStatement SELECT on an index",
        lambda db: db.execute_statement(Statement='SELECT * FROM "jobs"."by-owner"'),
        [("dynamodb:PartiQLSelect", f"{TABLE}/index/by-owner")],
    ),
    (
        "ExecuteStatement INSERT",
        lambda db: db.execute_statement(Statement="INSERT INTO jobs VALUE {'id': '9'}"),
        [("dynamodb:PartiQLInsert", TABLE)],
    ),
    (
        "BatchExecuteStatement",
        lambda db: db.batch_execute_statement(
            Statements=[
                {"Statement": "UPDATE \"jobs\" SET a = 1 WHERE id = '1'"},
                {"Statement": "DELETE FROM runs WHERE id = '1'"},
            ]
        ),
        [("dynamodb:PartiQLUpdate", TABLE), ("dynamodb:PartiQLDelete", OTHER)],
    ),
    (
        "ExecuteTransaction",
        lambda db: db.execute_transaction(
            TransactStatements=[{"Statement": "select id from runs where id = '1'"}]
        ),
        [("dynamodb:PartiQLSelect", OTHER)],
    ),
]

ROWS = [("s3", *row) for row in S3_ROWS] + [("dynamodb", *row) for row in DYNAMODB_ROWS]
REFUSALS = {"s3": ("AccessDenied", 403), "dynamodb": ("AccessDeniedException", 400)}


@pytest.mark.parametrize(
    ("service", "name", "request_", "expected"), ROWS, ids=[r[1] for r in ROWS]
)
def test_exactly_the_actions_aws_checks_allow_it(
    aws: MockSTS, service: str, name: str, request_: Request, expected: list[tuple[str, str]]
) -> None:
    allowed_with_exactly(aws, service, request_, expected)


@pytest.mark.parametrize(
    ("service", "name", "request_", "expected"), ROWS, ids=[r[1] for r in ROWS]
)
def test_without_them_it_is_refused(
    aws: MockSTS, service: str, name: str, request_: Request, expected: list[tuple[str, str]]
) -> None:
    assert refused_without(aws, service, request_, expected) == REFUSALS[service]


def test_one_missing_action_of_several_refuses(aws: MockSTS) -> None:
    # A copy needs to read the source and write the destination.
    limited = limited_to(aws, grants("s3:PutObject", f"{B}/*"))
    s3 = one_try("s3", limited)
    code, message, _ = aws_error(
        lambda: s3.copy_object(Bucket=BUCKET, Key="copy.csv", CopySource=f"{BUCKET}/q1.csv")
    )
    assert code == "AccessDenied"
    assert "s3:GetObject" in message
    assert OBJ in message


# ---------------------------------------------------------------------------------------
# Condition keys


def test_s3_prefix_limits_listing(aws: MockSTS) -> None:
    limited = limited_to(
        aws,
        statement("s3:ListBucket", B, condition={"StringLike": {"s3:prefix": "home/*"}}),
    )
    s3 = one_try("s3", limited)
    s3.list_objects_v2(Bucket=BUCKET, Prefix="home/ann/")
    assert aws_error(lambda: s3.list_objects_v2(Bucket=BUCKET, Prefix="other/"))[0] == (
        "AccessDenied"
    )
    assert aws_keys(aws) == {"s3:prefix": "other/"}


def aws_keys(aws: MockSTS) -> dict[str, Any]:
    """The condition keys the catalogue gives the last request (from its parameters)."""
    call = aws.calls[-1]
    where = Where("aws", "us-east-1", ACCOUNT)
    operation = call.action or ""
    (target, *_) = targets_of(call.service, operation, call.params, where).targets
    return dict(target.keys)


def test_list_keys_delimiter_and_max_keys(aws: MockSTS) -> None:
    limited = limited_to(
        aws,
        statement(
            "s3:ListBucket",
            B,
            condition={
                "StringEquals": {"s3:delimiter": "/"},
                "NumericLessThanEquals": {"s3:max-keys": "10"},
            },
        ),
    )
    s3 = one_try("s3", limited)
    s3.list_objects_v2(Bucket=BUCKET, Delimiter="/", MaxKeys=10)
    assert aws_error(lambda: s3.list_objects_v2(Bucket=BUCKET, Delimiter="/", MaxKeys=11))[0] == (
        "AccessDenied"
    )
    assert aws_error(lambda: s3.list_objects_v2(Bucket=BUCKET, MaxKeys=5))[0] == "AccessDenied"


def test_put_object_headers_are_condition_keys(aws: MockSTS) -> None:
    limited = limited_to(
        aws,
        statement(
            "s3:PutObject",
            f"{B}/*",
            condition={"StringEquals": {"s3:x-amz-server-side-encryption": "aws:kms"}},
        ),
        statement(
            "s3:PutObject",
            f"{B}/*",
            effect="Deny",
            condition={"StringNotEquals": {"s3:x-amz-server-side-encryption-aws-kms-key-id": "k1"}},
        ),
    )
    s3 = one_try("s3", limited)
    attempt(
        lambda: s3.put_object(**KEY, Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId="k1")
    )
    assert aws.calls[-1].allowed
    assert aws_error(lambda: s3.put_object(**KEY, Body=b"x"))[0] == "AccessDenied"
    refused = aws_error(
        lambda: s3.put_object(**KEY, Body=b"x", ServerSideEncryption="aws:kms", SSEKMSKeyId="k2")
    )
    assert "explicit deny" in refused[1]


def test_object_tags_of_a_put(aws: MockSTS) -> None:
    limited = limited_to(
        aws,
        statement(
            ["s3:PutObject", "s3:PutObjectTagging"],
            f"{B}/*",
            condition={
                "StringEquals": {"s3:RequestObjectTag/team": "ops"},
                "ForAllValues:StringEquals": {"s3:RequestObjectTagKeys": ["team", "cost"]},
            },
        ),
    )
    s3 = one_try("s3", limited)
    s3.put_object(**KEY, Body=b"x", Tagging="team=ops&cost=1")
    assert checks_of(aws.calls[-1]) == [("s3:PutObject", OBJ), ("s3:PutObjectTagging", OBJ)]
    assert aws_error(lambda: s3.put_object(**KEY, Body=b"x", Tagging="team=dev"))[0] == (
        "AccessDenied"
    )
    assert aws_error(lambda: s3.put_object(**KEY, Body=b"x", Tagging="team=ops&x=1"))[0] == (
        "AccessDenied"
    )


def test_acl_header_of_a_put(aws: MockSTS) -> None:
    limited = limited_to(
        aws,
        statement(
            ["s3:PutObject", "s3:PutObjectAcl"],
            f"{B}/*",
            condition={"StringEquals": {"s3:x-amz-acl": "private"}},
        ),
    )
    s3 = one_try("s3", limited)
    s3.put_object(**KEY, Body=b"x", ACL="private")
    assert aws_error(lambda: s3.put_object(**KEY, Body=b"x", ACL="public-read"))[0] == (
        "AccessDenied"
    )


def test_dynamodb_select_and_attributes(aws: MockSTS) -> None:
    limited = limited_to(
        aws,
        statement(
            ["dynamodb:GetItem", "dynamodb:Query"],
            [TABLE, f"{TABLE}/index/*"],
            condition={
                "ForAllValues:StringEquals": {"dynamodb:Attributes": ["id", "owner"]},
                "StringEqualsIfExists": {"dynamodb:Select": "SPECIFIC_ATTRIBUTES"},
            },
        ),
    )
    db = one_try("dynamodb", limited)
    key = {"id": {"S": "1"}}
    db.get_item(
        TableName="jobs",
        Key=key,
        ProjectionExpression="id, #o",
        ExpressionAttributeNames={"#o": "owner"},
    )
    db.get_item(TableName="jobs", Key=key, AttributesToGet=["id"])
    assert aws_error(lambda: db.get_item(TableName="jobs", Key=key, ProjectionExpression="secret"))[
        0
    ] == ("AccessDeniedException")
    refused = aws_error(
        lambda: db.query(
            TableName="jobs",
            IndexName="by-owner",
            Select="ALL_ATTRIBUTES",
            KeyConditionExpression="#o = :o",
            ExpressionAttributeNames={"#o": "owner"},
            ExpressionAttributeValues={":o": {"S": "ann"}},
        )
    )
    assert refused[0] == "AccessDeniedException"


def test_return_values_is_a_condition_key(aws: MockSTS) -> None:
    limited = limited_to(
        aws,
        statement(
            "dynamodb:PutItem",
            TABLE,
            condition={"StringEqualsIfExists": {"dynamodb:ReturnValues": "NONE"}},
        ),
    )
    db = one_try("dynamodb", limited)
    db.put_item(TableName="jobs", Item={"id": {"S": "1"}})
    refused = aws_error(
        lambda: db.put_item(TableName="jobs", Item={"id": {"S": "1"}}, ReturnValues="ALL_OLD")
    )
    assert refused[0] == "AccessDeniedException"


# ---------------------------------------------------------------------------------------
# What the mock cannot tell is not checked (never a false refusal)

HERE = Where("aws", "us-east-1", ACCOUNT)


@pytest.mark.parametrize(
    ("operation", "params", "reason"),
    [
        ("CreateSession", {"Bucket": "b--use1-az4--x-s3"}, "s3express:CreateSession"),
        ("ListDirectoryBuckets", {}, "s3express:ListAllMyDirectoryBuckets"),
        ("RenameObject", {"Bucket": "b", "Key": "k"}, "(s3express)"),
        ("WriteGetObjectResponse", {}, "s3-object-lambda:WriteGetObjectResponse"),
    ],
)
def test_s3_express_and_object_lambda_are_not_checked(
    operation: str, params: dict[str, Any], reason: str
) -> None:
    catalogued = targets_of("s3", operation, params, HERE)
    assert catalogued.targets == ()
    assert catalogued.unchecked is not None
    assert reason in catalogued.unchecked


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("CopyObject", {"Bucket": "b", "Key": "k", "CopySource": "no-key"}),
        ("CopyObject", {"Bucket": "b", "Key": "k", "CopySource": 7}),
        ("ExecuteStatement", {"Statement": "EXISTS(SELECT * FROM t)"}),
        ("GetObject", {"Bucket": "arn:aws:s3-object-lambda:us-east-1:1:accesspoint/x", "Key": "k"}),
    ],
)
def test_what_cannot_be_read_is_not_checked(operation: str, params: dict[str, Any]) -> None:
    service = "dynamodb" if operation == "ExecuteStatement" else "s3"
    catalogued = targets_of(service, operation, params, HERE)
    assert catalogued.unchecked is not None
    assert all(target.resource == "*" for target in catalogued.targets)


def test_copy_sources_in_every_form() -> None:
    def source(copy_source: object) -> tuple[str, str]:
        params = {"Bucket": "b", "Key": "k", "CopySource": copy_source}
        first = targets_of("s3", "CopyObject", params, HERE).targets[0]
        return first.action, first.resource

    assert source("src/a%20b/c") == ("s3:GetObject", "arn:aws:s3:::src/a b/c")
    assert source("/src/k?versionId=v1") == ("s3:GetObjectVersion", "arn:aws:s3:::src/k")
    assert source({"Bucket": "src", "Key": "k", "VersionId": "v"}) == (
        "s3:GetObjectVersion",
        "arn:aws:s3:::src/k",
    )
    assert source(f"{AP}/object/a/b") == ("s3:GetObject", f"{AP}/object/a/b")


def test_versioned_object_actions_carry_the_version() -> None:
    params = {"Bucket": "b", "Key": "k", "VersionId": "v7"}
    for operation, action in [
        ("DeleteObject", "s3:DeleteObjectVersion"),
        ("GetObjectAcl", "s3:GetObjectVersionAcl"),
        ("PutObjectTagging", "s3:PutObjectVersionTagging"),
    ]:
        (target,) = targets_of("s3", operation, params, HERE).targets
        assert (target.action, target.resource, dict(target.keys)) == (
            action,
            "arn:aws:s3:::b/k",
            {"s3:versionid": "v7"},
        )


def test_create_bucket_with_object_lock_needs_its_configuration() -> None:
    params = {
        "Bucket": "b",
        "ObjectLockEnabledForBucket": True,
        "ObjectOwnership": "BucketOwnerEnforced",
    }
    assert [t.action for t in targets_of("s3", "CreateBucket", params, HERE).targets] == [
        "s3:CreateBucket",
        "s3:PutBucketObjectLockConfiguration",
        "s3:PutBucketVersioning",
        "s3:PutBucketOwnershipControls",
    ]


def test_services_iam_does_not_know_are_not_checked() -> None:
    assert targets_of("nosuch", "DoIt", {}, HERE) == Catalogued(
        unchecked="IAM knows no service 'nosuch'"
    )


def test_resources_of_another_service_are_not_the_request_s() -> None:
    # IAM lists this action's resource under Compute Optimizer's ARNs.
    catalogued = targets_of("aco-automation", "DeleteAutomationRule", {"RuleId": "r"}, HERE)
    assert catalogued.unchecked == (
        "the resource of aco-automation:DeleteAutomationRule cannot be told from the "
        "request's parameters"
    )


def _sessions_table(
    credentials: Credentials | None, partition_key: str, sort_key: str | None = None
) -> None:
    keys = [(partition_key, "HASH")] + ([(sort_key, "RANGE")] if sort_key else [])
    one_try("dynamodb", credentials).create_table(
        TableName="sessions",
        KeySchema=[{"AttributeName": name, "KeyType": kind} for name, kind in keys],
        AttributeDefinitions=[{"AttributeName": name, "AttributeType": "S"} for name, _ in keys],
        BillingMode="PAY_PER_REQUEST",
    )


def _own_items_only(aws: MockSTS) -> Any:
    """A client of a session that may read and write only the items whose partition key
    is u-1."""
    own_items = statement(
        ["dynamodb:GetItem", "dynamodb:PutItem"],
        f"arn:aws:dynamodb:us-east-1:{ACCOUNT}:table/sessions",
        condition={"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["u-1"]}},
    )
    return one_try("dynamodb", limited_to(aws, own_items))


def test_leading_keys_are_the_partition_key_of_the_item(aws: MockSTS) -> None:
    # The mock learns the table's partition key from the CreateTable it lets through.
    _sessions_table(None, "user")
    dynamodb = _own_items_only(aws)

    dynamodb.put_item(TableName="sessions", Item={"user": {"S": "u-1"}})
    key = {"user": {"S": "u-1"}}
    assert dynamodb.get_item(TableName="sessions", Key=key)["Item"] == key
    theirs = {"user": {"S": "u-2"}}
    assert aws_error(lambda: dynamodb.put_item(TableName="sessions", Item=theirs))[0] == (
        "AccessDeniedException"
    )
    # An item without a string or number partition key has no leading key to compare (the
    # table refuses it afterwards).
    for odd in ({"other": {"S": "x"}}, {"user": {"B": b"x"}}):
        attempt(lambda item=odd: dynamodb.put_item(TableName="sessions", Item=item))  # type: ignore[misc]
        assert aws.calls[-1].allowed

    # Deleted and made again with another partition key: the new one counts.
    client("dynamodb").delete_table(TableName="sessions")
    _sessions_table(None, "owner")
    assert aws_error(lambda: dynamodb.put_item(TableName="sessions", Item={"owner": {"S": "u-2"}}))[
        0
    ] == ("AccessDeniedException")
    dynamodb.put_item(TableName="sessions", Item={"owner": {"S": "u-1"}})


def test_a_table_made_unseen_is_learned_from_describe_table(aws: MockSTS) -> None:
    # Made with keys the mock does not know: not decided, nothing learned.
    _sessions_table(Credentials("testing", "testing", None, None), "user", sort_key="at")
    dynamodb = _own_items_only(aws)
    # Without the partition key, no LeadingKeys: ForAllValues holds for no values.
    dynamodb.put_item(TableName="sessions", Item={"user": {"S": "u-2"}, "at": {"S": "1"}})

    client("dynamodb").describe_table(TableName="sessions")

    theirs = {"user": {"S": "u-3"}, "at": {"S": "1"}}
    assert aws_error(lambda: dynamodb.put_item(TableName="sessions", Item=theirs))[0] == (
        "AccessDeniedException"
    )
