"""Where AWS's authorization of a request is not "the action of the operation's name on the
resource its parameters name": the one table of those cases, written by hand.

Sources: the Service Authorization Reference's action tables (the "Actions defined by ..."
page of each service) and each service's developer guide; each entry says which. The
readers the table names, of each service's parameters, are in ``_read_storage``,
``_read_messaging``, ``_read_compute`` and ``_read_secrets``, with the sources they follow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from mock_sts._services._read_common import (
    Keys,
    Params,
    Resolver,
    Where,
    anywhere,
    bool_key,
    both,
    items,
    keys_from,
    no_keys,
    only_if,
    passed_role,
    profile_role,
    profiles_passed,
    roles_passed,
    string_key,
    tag_keys,
    tag_map,
    tag_pairs,
)
from mock_sts._services._read_compute import (
    each,
    ec2_request_tags,
    ec2_resources,
    ecr_repositories,
    ecr_repository,
    lambda_config_keys,
    lambda_function_arn,
    lambda_function_name,
    lambda_layer_name,
    lambda_layer_version,
    lambda_part,
    made,
    state_machine,
)
from mock_sts._services._read_messaging import (
    event_bus,
    event_entries,
    event_keys,
    log_group_name,
    log_group_streams,
    rule_params,
    sns_publish_target,
    sns_subscription_topic,
    sqs_account,
    sqs_queue_name,
    sqs_region,
)
from mock_sts._services._read_secrets import (
    KMS_KEYS,
    SECRETS_KEYS,
    kms_alias,
    kms_part,
    kms_re_encrypt,
    kms_target,
    new_secret,
    secret_id,
    secret_ids,
    ssm_name,
    ssm_names,
)
from mock_sts._services._read_storage import (
    DYNAMODB_KEYS,
    PARTIQL_ACTIONS,
    S3_COPY_KEYS,
    S3_LIST_KEYS,
    S3_VERSION_KEYS,
    S3_WRITE_HEADERS,
    S3_WRITE_KEYS,
    dynamodb_leading_keys,
    dynamodb_part,
    dynamodb_table_name,
    dynamodb_tables,
    partiql_tables,
    s3_access_point_part,
    s3_deleted,
    s3_object_tags,
    s3_sets_acl,
    s3_sets_tags,
    s3_source,
    s3_unversioned,
    s3_versioned,
)


def _same(params: Params) -> Iterable[Params]:
    return (params,)


@dataclass(frozen=True)
class Step:
    """One IAM action a request needs, checked once for each parameter set ``params``
    gives (one for most requests; one per item for a batch; none where the action does not
    apply to this request), with the service's condition keys ``keys`` reads from that
    parameter set. ``resource``, where given, tells the resource (an ARN, "*", or None when
    it cannot be told) instead of the action's ARN templates."""

    action: str
    params: Callable[[Params], Iterable[Params]] = field(default=_same)
    keys: Callable[[Params], Keys] = field(default=no_keys)
    resource: Callable[[Params, Where], str | None] | None = None


def _s3_object(action: str, keys: Callable[[Params], Keys] = no_keys) -> tuple[Step, ...]:
    """An S3 object action, which becomes its Version twin when the request names a version
    (GetObject → GetObjectVersion, with s3:versionid)."""
    versioned = action.replace("Object", "ObjectVersion", 1)
    return (
        Step(action, params=only_if(s3_unversioned), keys=keys),
        Step(versioned, params=only_if(s3_versioned), keys=both(keys, S3_VERSION_KEYS)),
    )


def _passes_role(service: str, *names: str, within: str | None = None) -> Step:
    """iam:PassRole on each role a request hands ``service`` to act as, which AWS checks
    beside the request's own action, with ``iam:PassedToService`` naming the service (IAM UG,
    "Grant a user permissions to pass a role to an AWS service")."""
    return Step(
        "iam:PassRole",
        params=roles_passed(*names, within=within),
        keys=lambda params: {"iam:PassedToService": service},
        resource=passed_role,
    )


def _passes_profile_role() -> Step:
    """iam:PassRole on the role of the instance profile an EC2 request names, passed to
    ec2.amazonaws.com."""
    return Step(
        "iam:PassRole",
        params=profiles_passed,
        keys=lambda params: {"iam:PassedToService": "ec2.amazonaws.com"},
        resource=profile_role,
    )


# DynamoDB's PartiQL operations: each statement is authorized as the PartiQL action of its
# verb on the table it names.
_PARTIQL_STEPS = tuple(
    Step(action, params=partiql_tables(action)) for action in PARTIQL_ACTIONS.values()
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
    ("s3", "AccessPointName"): s3_access_point_part(3),
    ("s3", "Region"): s3_access_point_part(1),
    ("s3", "Account"): s3_access_point_part(2),
    # DynamoDB: a table by name or ARN.
    ("dynamodb", "TableName"): dynamodb_table_name,
    ("dynamodb", "Region"): dynamodb_part(1),
    ("dynamodb", "Account"): dynamodb_part(2),
    # SQS: a queue by its URL (or its name, to create it or ask its URL).
    ("sqs", "QueueName"): sqs_queue_name,
    ("sqs", "Region"): sqs_region,
    ("sqs", "Account"): sqs_account,
    # Lambda: a function by name, "name:qualifier", partial or full ARN, and Qualifier.
    ("lambda", "FunctionName"): lambda_function_name,
    ("lambda", "Region"): lambda_part("region"),
    ("lambda", "Account"): lambda_part("account"),
    ("lambda", "LayerName"): lambda_layer_name,
    ("lambda", "LayerVersion"): lambda_layer_version,
    # KMS: a key by id, ARN or known alias.
    ("kms", "KeyId"): kms_part(2),
    ("kms", "Region"): kms_part(0),
    ("kms", "Account"): kms_part(1),
    # Secrets Manager: a secret by a name the mock knows (an ARN is matched whole).
    ("secretsmanager", "SecretId"): secret_id,
    # --- SSM, Logs, EventBridge, Kinesis, Step Functions, ECR, EC2 ---
    ("ssm", "ParameterNameWithoutLeadingSlash"): lambda params, where: ssm_name(params),
    ("logs", "LogGroupName"): lambda params, where: log_group_name(params, where),
    ("ecr", "RepositoryName"): lambda params, where: ecr_repository(params, where),
}

# Condition keys that need what the mock knows of the resource a request is checked on, by
# IAM prefix: the parameters, the resource's ARN, and where.
RESOURCE_KEYS: Mapping[str, Callable[[Params, str, Where], Keys]] = {
    "dynamodb": dynamodb_leading_keys,
}

# Condition keys of a service that every request to it carries, read from its parameters,
# by IAM prefix (beside the keys of each Step).
SERVICE_KEYS: Mapping[str, Callable[[Params], Keys]] = {
    "dynamodb": DYNAMODB_KEYS,
    "kms": KMS_KEYS,
    "secretsmanager": SECRETS_KEYS,
    # --- SSM, Logs, EventBridge, Kinesis, Step Functions, ECR, EC2 ---
    # aws:RequestTag/* and aws:TagKeys from each service's own tag parameter (the IAM User
    # Guide, "Controlling access during AWS requests"; each service's API reference).
    "ec2": lambda params: ec2_request_tags(params),
    "logs": lambda params: tag_keys(tag_map(params.get("tags"))),
    "states": lambda params: tag_keys(tag_pairs(params.get("tags"), "key", "value")),
    "ecr": lambda params: tag_keys(tag_pairs(params.get("tags"), "Key", "Value")),
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
    ("s3", "ListObjectsV2"): (Step("ListBucket", keys=S3_LIST_KEYS),),
    ("s3", "ListObjects"): (Step("ListBucket", keys=S3_LIST_KEYS),),
    ("s3", "ListObjectVersions"): (Step("ListBucketVersions", keys=S3_LIST_KEYS),),
    ("s3", "ListMultipartUploads"): (Step("ListBucketMultipartUploads"),),
    ("s3", "ListParts"): (Step("ListMultipartUploadParts"),),
    ("s3", "HeadBucket"): (Step("ListBucket"),),
    ("s3", "ListBuckets"): (Step("ListAllMyBuckets"),),
    ("s3", "GetObject"): _s3_object("GetObject"),
    ("s3", "HeadObject"): _s3_object("GetObject"),
    ("s3", "SelectObjectContent"): (Step("GetObject"),),
    ("s3", "GetObjectAcl"): _s3_object("GetObjectAcl"),
    ("s3", "PutObjectAcl"): _s3_object("PutObjectAcl", S3_WRITE_HEADERS),
    ("s3", "GetObjectTagging"): _s3_object("GetObjectTagging"),
    ("s3", "PutObjectTagging"): _s3_object("PutObjectTagging"),
    ("s3", "DeleteObjectTagging"): _s3_object("DeleteObjectTagging"),
    ("s3", "GetObjectTorrent"): _s3_object("GetObjectTorrent"),
    ("s3", "GetObjectAttributes"): _s3_object("GetObjectAttributes"),
    ("s3", "DeleteObject"): _s3_object("DeleteObject"),
    ("s3", "DeleteObjects"): (
        Step("DeleteObject", params=s3_deleted(versioned=False)),
        Step("DeleteObjectVersion", params=s3_deleted(versioned=True), keys=S3_VERSION_KEYS),
    ),
    # Setting an ACL or tags with the object needs their own permissions too.
    ("s3", "PutObject"): (
        Step("PutObject", keys=S3_WRITE_KEYS),
        Step("PutObjectAcl", params=only_if(s3_sets_acl), keys=S3_WRITE_HEADERS),
        Step("PutObjectTagging", params=only_if(s3_sets_tags), keys=s3_object_tags),
    ),
    ("s3", "CreateMultipartUpload"): (
        Step("PutObject", keys=S3_WRITE_KEYS),
        Step("PutObjectAcl", params=only_if(s3_sets_acl), keys=S3_WRITE_HEADERS),
        Step("PutObjectTagging", params=only_if(s3_sets_tags), keys=s3_object_tags),
    ),
    ("s3", "UploadPart"): (Step("PutObject"),),
    ("s3", "CompleteMultipartUpload"): (Step("PutObject"),),
    ("s3", "CopyObject"): (
        Step("GetObject", params=s3_source(versioned=False)),
        Step("GetObjectVersion", params=s3_source(versioned=True), keys=S3_VERSION_KEYS),
        Step("PutObject", keys=S3_COPY_KEYS),
        Step("PutObjectAcl", params=only_if(s3_sets_acl), keys=S3_WRITE_HEADERS),
        Step("PutObjectTagging", params=only_if(s3_sets_tags), keys=s3_object_tags),
    ),
    ("s3", "UploadPartCopy"): (
        Step("GetObject", params=s3_source(versioned=False)),
        Step("GetObjectVersion", params=s3_source(versioned=True), keys=S3_VERSION_KEYS),
        Step("PutObject", keys=keys_from({"s3:x-amz-copy-source": "CopySource"})),
    ),
    ("s3", "CreateBucket"): (
        Step(
            "CreateBucket",
            keys=keys_from({"s3:x-amz-acl": "ACL", "s3:x-amz-object-ownership": "ObjectOwnership"}),
        ),
        Step(
            "PutBucketObjectLockConfiguration",
            params=only_if(lambda p: p.get("ObjectLockEnabledForBucket") is True),
        ),
        Step(
            "PutBucketVersioning",
            params=only_if(lambda p: p.get("ObjectLockEnabledForBucket") is True),
        ),
        Step("PutBucketOwnershipControls", params=only_if(lambda p: "ObjectOwnership" in p)),
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
    ("dynamodb", "BatchGetItem"): (Step("BatchGetItem", params=dynamodb_tables("RequestItems")),),
    ("dynamodb", "BatchWriteItem"): (
        Step("BatchWriteItem", params=dynamodb_tables("RequestItems")),
    ),
    ("dynamodb", "TransactGetItems"): (Step("GetItem", params=items("TransactItems", "Get")),),
    ("dynamodb", "TransactWriteItems"): (
        Step("ConditionCheckItem", params=items("TransactItems", "ConditionCheck")),
        Step("PutItem", params=items("TransactItems", "Put")),
        Step("DeleteItem", params=items("TransactItems", "Delete")),
        Step("UpdateItem", params=items("TransactItems", "Update")),
    ),
    ("dynamodb", "ExecuteStatement"): _PARTIQL_STEPS,
    ("dynamodb", "BatchExecuteStatement"): _PARTIQL_STEPS,
    ("dynamodb", "ExecuteTransaction"): _PARTIQL_STEPS,
    # SQS
    ("sqs", "SendMessageBatch"): (Step("SendMessage"),),
    ("sqs", "DeleteMessageBatch"): (Step("DeleteMessage"),),
    ("sqs", "ChangeMessageVisibilityBatch"): (Step("ChangeMessageVisibility"),),
    # SNS
    ("sns", "Publish"): (Step("Publish", resource=sns_publish_target),),
    ("sns", "PublishBatch"): (Step("Publish"),),
    ("sns", "Subscribe"): (
        Step("Subscribe", keys=keys_from({"sns:Protocol": "Protocol", "sns:Endpoint": "Endpoint"})),
    ),
    ("sns", "Unsubscribe"): (Step("Unsubscribe", resource=sns_subscription_topic),),
    ("sns", "GetSubscriptionAttributes"): (
        Step("GetSubscriptionAttributes", resource=sns_subscription_topic),
    ),
    ("sns", "SetSubscriptionAttributes"): (
        Step("SetSubscriptionAttributes", resource=sns_subscription_topic),
    ),
    # Lambda
    ("lambda", "Invoke"): (Step("InvokeFunction"),),
    ("lambda", "InvokeWithResponseStream"): (Step("InvokeFunction"),),
    ("lambda", "GetLayerVersionByArn"): (Step("GetLayerVersion"),),
    ("lambda", "CreateFunction"): (
        Step("CreateFunction", keys=lambda_config_keys),
        _passes_role("lambda.amazonaws.com", "Role"),
    ),
    ("lambda", "UpdateFunctionConfiguration"): (
        Step("UpdateFunctionConfiguration", keys=lambda_config_keys),
        _passes_role("lambda.amazonaws.com", "Role"),
    ),
    ("lambda", "AddPermission"): (
        Step(
            "AddPermission",
            keys=keys_from(
                {
                    "lambda:Principal": "Principal",
                    "lambda:FunctionUrlAuthType": "FunctionUrlAuthType",
                }
            ),
        ),
    ),
    ("lambda", "CreateEventSourceMapping"): (
        Step("CreateEventSourceMapping", keys=lambda_function_arn),
    ),
    # KMS
    ("kms", "ReEncrypt"): (
        Step("ReEncryptFrom", params=kms_re_encrypt("Source")),
        Step("ReEncryptTo", params=kms_re_encrypt("Destination")),
    ),
    ("kms", "CreateAlias"): (
        Step("CreateAlias", resource=kms_alias),
        Step("CreateAlias", params=kms_target),
    ),
    ("kms", "UpdateAlias"): (
        Step("UpdateAlias", resource=kms_alias),
        Step("UpdateAlias", params=kms_target),
    ),
    ("kms", "DeleteAlias"): (
        Step("DeleteAlias", resource=kms_alias),
        Step("DeleteAlias", params=kms_target),
    ),
    # Secrets Manager
    ("secretsmanager", "CreateSecret"): (Step("CreateSecret", resource=new_secret),),
    ("secretsmanager", "BatchGetSecretValue"): (
        Step("BatchGetSecretValue"),
        Step("GetSecretValue", params=secret_ids),
    ),
    # --- SSM, Logs, EventBridge, Kinesis, Step Functions, ECR, EC2 ---
    # SSM: "Actions, resources, and condition keys for AWS Systems Manager"; the Systems
    # Manager User Guide, "Restricting access to Parameter Store parameters using IAM
    # policies" (a batch is checked for each parameter it names; ssm:Recursive, ssm:Overwrite).
    ("ssm", "GetParameter"): (Step("GetParameter", params=lambda p: ssm_names(p, "Name")),),
    ("ssm", "GetParameters"): (Step("GetParameters", params=lambda p: ssm_names(p, "Names")),),
    ("ssm", "DeleteParameters"): (
        Step("DeleteParameters", params=lambda p: ssm_names(p, "Names")),
    ),
    ("ssm", "GetParametersByPath"): (
        Step("GetParametersByPath", keys=lambda p: bool_key("ssm:Recursive", p.get("Recursive"))),
    ),
    ("ssm", "PutParameter"): (
        Step("PutParameter", keys=lambda p: bool_key("ssm:Overwrite", p.get("Overwrite"))),
    ),
    # CloudWatch Logs: "Actions, resources, and condition keys for Amazon CloudWatch Logs".
    # A log group's actions are checked on its streams' ARN with no stream name
    # ("...:log-group:NAME:log-stream:", as AWS's refusals of logs:CreateLogGroup and
    # logs:DescribeLogStreams name it), so that policies on "log-group:NAME:*" cover them.
    **{
        ("logs", operation): (Step(operation, params=lambda p: log_group_streams(p)),)
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
        Step("PutEvents", params=lambda p: event_entries(p), keys=lambda p: event_keys(p)),
    ),
    **{
        ("events", operation): (Step(operation, params=lambda p: rule_params(p)),)
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
        ("events", operation): (Step(operation, params=lambda p: event_bus(p)),)
        for operation in ("CreateEventBus", "DeleteEventBus", "DescribeEventBus")
    },
    # A rule's targets act as the roles they name (the EventBridge User Guide, "Using
    # identity-based policies": "iam:PassRole ... to pass the role to EventBridge").
    ("events", "PutTargets"): (
        Step("PutTargets", params=lambda p: rule_params(p)),
        _passes_role("events.amazonaws.com", "RoleArn", within="Targets"),
    ),
    # Step Functions: "Actions, resources, and condition keys for AWS Step Functions"; a
    # state machine runs as the role it is given.
    ("states", "CreateStateMachine"): (
        Step("CreateStateMachine", params=lambda p: state_machine(p)),
        _passes_role("states.amazonaws.com", "roleArn"),
    ),
    ("states", "UpdateStateMachine"): (
        Step("UpdateStateMachine"),
        _passes_role("states.amazonaws.com", "roleArn"),
    ),
    # ECR: "Actions, resources, and condition keys for Amazon Elastic Container Registry";
    # DescribeRepositories without names lists the registry's repositories: "*".
    ("ecr", "DescribeRepositories"): (
        Step("DescribeRepositories", params=lambda p: ecr_repositories(p)),
        Step(
            "DescribeRepositories",
            params=lambda p: () if "repositoryNames" in p else (p,),
            resource=anywhere,
        ),
    ),
    # EC2: "Actions, resources, and condition keys for Amazon EC2" and the EC2 User Guide,
    # "Example policies to control access to the Amazon EC2 API" (RunInstances needs the
    # instance, network interface and volume it makes, "*" ids, the image and, where the
    # request names them, the subnet, security groups and key pair).
    ("ec2", "RunInstances"): (
        Step("RunInstances", params=lambda p: made(p, "instance", "InstanceId")),
        Step("RunInstances", params=lambda p: made(p, "network-interface", "NetworkInterfaceId")),
        Step("RunInstances", params=lambda p: made(p, "volume", "VolumeId")),
        Step("RunInstances", params=lambda p: each(p, "ImageId", "ImageId")),
        Step("RunInstances", params=lambda p: each(p, "SubnetId", "SubnetId")),
        Step("RunInstances", params=lambda p: each(p, "SecurityGroupIds", "SecurityGroupId")),
        Step("RunInstances", params=lambda p: each(p, "KeyName", "KeyPairName")),
        _passes_profile_role(),
    ),
    # An instance profile's role is passed to EC2 when an instance is launched with it or
    # given it (the EC2 User Guide, "Grant permissions to attach an IAM role to an
    # instance": iam:PassRole beside ec2:RunInstances, ec2:AssociateIamInstanceProfile and
    # ec2:ReplaceIamInstanceProfileAssociation, whose instance the mock cannot tell from its
    # association id: it is not checked).
    ("ec2", "AssociateIamInstanceProfile"): (
        Step("AssociateIamInstanceProfile", params=lambda p: each(p, "InstanceId", "InstanceId")),
        _passes_profile_role(),
    ),
    **{
        ("ec2", operation): (
            Step(operation, params=lambda p: each(p, "InstanceIds", "InstanceId")),
        )
        for operation in (
            "StartInstances",
            "StopInstances",
            "TerminateInstances",
            "RebootInstances",
        )
    },
    ("ec2", "CreateTags"): (Step("CreateTags", params=lambda p: ec2_resources(p)),),
    ("ec2", "DeleteTags"): (Step("DeleteTags", params=lambda p: ec2_resources(p)),),
    ("ec2", "CreateSecurityGroup"): (
        Step("CreateSecurityGroup", params=lambda p: made(p, "security-group", "SecurityGroupId")),
        Step("CreateSecurityGroup", params=lambda p: each(p, "VpcId", "VpcId")),
    ),
    ("ec2", "CreateVolume"): (
        Step("CreateVolume", params=lambda p: made(p, "volume", "VolumeId")),
        Step("CreateVolume", params=lambda p: each(p, "SnapshotId", "SnapshotId")),
    ),
    ("ec2", "AttachVolume"): (
        Step("AttachVolume", params=lambda p: each(p, "InstanceId", "InstanceId")),
        Step("AttachVolume", params=lambda p: each(p, "VolumeId", "VolumeId")),
    ),
    # CloudWatch: "Actions, resources, and condition keys for Amazon CloudWatch" (metrics
    # name no resource unless a dataset is given; PutMetricData carries cloudwatch:namespace).
    ("cloudwatch", "PutMetricData"): (
        Step(
            "PutMetricData",
            keys=lambda p: string_key("cloudwatch:namespace", p, "Namespace"),
            resource=anywhere,
        ),
    ),
    ("cloudwatch", "GetMetricData"): (Step("GetMetricData", resource=anywhere),),
    ("cloudwatch", "ListMetrics"): (Step("ListMetrics", resource=anywhere),),
}
