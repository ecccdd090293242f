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
    # The resource AWS checks whatever the parameters say ("*" for a request that names no
    # resource of the action's optional types, as CloudWatch's PutMetricData); None: the
    # one the parameters name.
    resource: str | None = None


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
    ("s3", "BucketName"): ("Bucket",),
    ("s3", "ObjectName"): ("Key",),
    # --- SSM, Logs, EventBridge, Kinesis, Step Functions, ECR, EC2 ---
    ("logs", "LogStreamName"): ("logStreamName",),
    ("ec2", "SecurityGroupId"): ("SecurityGroupId", "GroupId"),
}

RESOLVERS: Mapping[tuple[str, str], Resolver] = {
    # --- SSM, Logs, EventBridge, Kinesis, Step Functions, ECR, EC2 ---
    ("ssm", "ParameterNameWithoutLeadingSlash"): lambda params, where: _ssm_name(params),
    ("logs", "LogGroupName"): lambda params, where: _log_group_name(params, where),
    ("ecr", "RepositoryName"): lambda params, where: _ecr_repository(params, where),
}

# Condition keys of a service that every request to it carries, read from its parameters,
# by IAM prefix (beside the keys of each Step).
SERVICE_KEYS: Mapping[str, Callable[[Params], Keys]] = {
    # --- SSM, Logs, EventBridge, Kinesis, Step Functions, ECR, EC2 ---
    # aws:RequestTag/* and aws:TagKeys from each service's own tag parameter (the IAM User
    # Guide, "Controlling access during AWS requests"; each service's API reference).
    "ec2": lambda params: _ec2_request_tags(params),
    "logs": lambda params: _tag_keys(_tag_map(params.get("tags"))),
    "states": lambda params: _tag_keys(_tag_pairs(params.get("tags"), "key", "value")),
    "ecr": lambda params: _tag_keys(_tag_pairs(params.get("tags"), "Key", "Value")),
}

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
        Step("GetParametersByPath", keys=lambda p: _flag("ssm:Recursive", p.get("Recursive"))),
    ),
    ("ssm", "PutParameter"): (
        Step("PutParameter", keys=lambda p: _flag("ssm:Overwrite", p.get("Overwrite"))),
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
            resource="*",
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
            resource="*",
        ),
    ),
    ("cloudwatch", "GetMetricData"): (Step("GetMetricData", resource="*"),),
    ("cloudwatch", "ListMetrics"): (Step("ListMetrics", resource="*"),),
}


# --- SSM, Logs, EventBridge, Kinesis, Step Functions, ECR, EC2: readers of parameters ---
# Each reads what a client may send, of any type: a value of the wrong type tells nothing
# (the request is then not checked on it), never an error.


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _strings(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, str) and item]


def _each(params: Params, key: str, name: str) -> list[Params]:
    """One parameter set per string of the list ``params[key]``, under ``name``."""
    return [{name: item} for item in _strings(params.get(key))]


def _flag(key: str, value: object) -> Keys:
    return {key: "true" if value else "false"} if isinstance(value, bool) else {}


def _string_key(key: str, params: Params, name: str) -> Keys:
    value = _text(params.get(name))
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
        value = _text(params.get(key))
        if value is not None and not value.startswith("arn:"):
            return value.removeprefix("/")
    return None


def _log_group_name(params: Params, where: Where) -> str | None:
    """The log group named by ``logGroupName``, or by ``logGroupIdentifier`` (a name, or an
    ARN of the caller's account and region: another's is not filled into the caller's)."""
    name = _text(params.get("logGroupName")) or _text(params.get("logGroupIdentifier"))
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
            "EventBusName": _text(entry.get("EventBusName")) or "default",
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
    rule = _text(params.get("Name")) or _text(params.get("Rule"))
    bus = _text(params.get("EventBusName"))
    if bus is not None and bus.startswith("arn:"):
        _, marker, name = bus.partition(":event-bus/")
        if not marker:
            return [{}]
        bus = name
    named = {"RuleName": rule, "EventBusName": None if bus == "default" else bus}
    return [{key: value for key, value in named.items() if value is not None}]


def _event_bus(params: Params) -> list[Params]:
    """The bus a request names by ``Name`` (DescribeEventBus without one: the default)."""
    return [{"EventBusName": _text(params.get("Name")) or "default"}]


def _state_machine(params: Params) -> list[Params]:
    return [{"StateMachineName": params.get("name"), "tags": params.get("tags")}]


def _ecr_repository(params: Params, where: Where) -> str | None:
    """A repository of the caller's own registry; one of another account's registry
    (``registryId``) cannot be filled into the caller's ARN, and is not checked."""
    registry = params.get("registryId")
    if registry is not None and registry != where.account:
        return None
    return _text(params.get("repositoryName"))


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
