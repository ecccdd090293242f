"""Readers of the parameters of requests to the compute services, Lambda, Step Functions,
ECR and EC2: the functions, layers, state machines, repositories and instances they name,
what they make and the condition keys they carry."""

from __future__ import annotations

import re
from collections.abc import Mapping

from mock_sts._policy import ConditionValue
from mock_sts._services._read_common import (
    Keys,
    Params,
    Resolver,
    Where,
    listed,
    mapping,
    matched,
    strings,
    tag_keys,
    tag_pairs,
    text,
)

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
    name = text(params, "FunctionName")
    return _LAMBDA_FUNCTION.fullmatch(name) if name else None


def _lambda_layer(params: Params) -> re.Match[str] | None:
    name = text(params, "LayerName")
    return _LAMBDA_LAYER.fullmatch(name) if name else None


def lambda_function_name(params: Params, where: Where) -> str | None:
    found = _lambda_function(params)
    if found is None:
        return None
    qualifier = found.group("qualifier") or text(params, "Qualifier")
    return found.group("name") + (f":{qualifier}" if qualifier else "")


def lambda_part(group: str) -> Resolver:
    return matched(lambda params: _lambda_function(params) or _lambda_layer(params), group)


def lambda_layer_name(params: Params, where: Where) -> str | None:
    found = _lambda_layer(params)
    if found is not None:
        return found.group("name")
    name = text(params, "LayerName")
    return None if name is None or name.startswith("arn:") else name


def lambda_layer_version(params: Params, where: Where) -> str | None:
    number = params.get("VersionNumber")
    return str(number) if isinstance(number, int) and not isinstance(number, bool) else None


def lambda_config_keys(params: Params) -> Keys:
    keys: dict[str, ConditionValue] = {}
    if "Layers" in params:
        keys["lambda:Layer"] = tuple(str(layer) for layer in listed(params, "Layers"))
    vpc = mapping(params, "VpcConfig")
    for key, name in (
        ("lambda:SubnetIds", "SubnetIds"),
        ("lambda:SecurityGroupIds", "SecurityGroupIds"),
    ):
        if name in vpc:
            keys[key] = tuple(str(item) for item in listed(vpc, name))
    signing = text(params, "CodeSigningConfigArn")
    if signing is not None:
        keys["lambda:CodeSigningConfigArn"] = signing
    return keys


def lambda_function_arn(params: Params) -> Keys:
    # lambda:FunctionArn of an event source mapping: the function's ARN as given.
    name = text(params, "FunctionName")
    return {"lambda:FunctionArn": name} if name and name.startswith("arn:") else {}


# ---------------------------------------------------------------------------------------
# Step Functions. Source: "Actions, resources, and condition keys for AWS Step Functions".


def state_machine(params: Params) -> list[Params]:
    return [{"StateMachineName": params.get("name"), "tags": params.get("tags")}]


# ---------------------------------------------------------------------------------------
# ECR. Source: "Actions, resources, and condition keys for Amazon Elastic Container
# Registry".


def ecr_repository(params: Params, where: Where) -> str | None:
    """A repository of the caller's own registry; one of another account's registry
    (``registryId``) cannot be filled into the caller's ARN, and is not checked."""
    registry = params.get("registryId")
    if registry is not None and registry != where.account:
        return None
    return text(params, "repositoryName")


def ecr_repositories(params: Params) -> list[Params]:
    names = strings(params.get("repositoryNames"))
    return [{"repositoryName": name, "registryId": params.get("registryId")} for name in names]


# ---------------------------------------------------------------------------------------
# EC2. Sources: "Actions, resources, and condition keys for Amazon EC2" and the EC2 User
# Guide, "Example policies to control access to the Amazon EC2 API".


def each(params: Params, key: str, name: str) -> list[Params]:
    """One parameter set per string of the list ``params[key]``, under ``name``: the
    existing resources a request names (none when it names none)."""
    return [{name: item} for item in strings(params.get(key))]


def made(params: Params, kind: str, variable: str) -> list[Params]:
    """A resource of ``kind`` the request makes: its id is not known yet ("*"), and the
    tags it is given are the ones of its TagSpecifications."""
    specs = params.get("TagSpecifications")
    own = [
        spec
        for spec in (specs if isinstance(specs, list) else ())
        if isinstance(spec, Mapping) and spec.get("ResourceType") == kind
    ]
    return [{variable: "*", "TagSpecifications": own} if own else {variable: "*"}]


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


def ec2_resources(params: Params) -> list[Params]:
    """Each resource CreateTags/DeleteTags names, by the type its id's prefix tells (an id
    of another type fills nothing: the request is not checked)."""
    ids = strings(params.get("Resources"))
    return [
        {_EC2_IDS[prefix]: resource} if prefix in _EC2_IDS else {}
        for resource in ids
        for prefix in (resource.partition("-")[0],)
    ]


def ec2_request_tags(params: Params) -> Keys:
    """aws:RequestTag/* and aws:TagKeys of the tags EC2's TagSpecifications give."""
    specs = params.get("TagSpecifications")
    if not isinstance(specs, list):
        return {}
    pairs = [
        pair
        for spec in specs
        if isinstance(spec, Mapping)
        for pair in (tag_pairs(spec.get("Tags"), "Key", "Value") or ())
    ]
    return tag_keys(pairs)
