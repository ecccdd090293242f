"""Readers of the parameters of requests to the services that carry messages and events,
SQS, SNS, EventBridge and CloudWatch Logs: the queue, topic, bus or log group they name and
the condition keys they carry."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urlsplit

from mock_sts._ids import partition_name
from mock_sts._services._read_common import Keys, Params, Where, string_key, strings, text

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
    url = text(params, "QueueUrl")
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


def sqs_queue_name(params: Params, where: Where) -> str | None:
    url = _sqs_url(params)
    if url is not None:
        return url[2]
    return None if "QueueUrl" in params else text(params, "QueueName")


def sqs_region(params: Params, where: Where) -> str | None:
    url = _sqs_url(params)
    return url[0] if url is not None else None


def sqs_account(params: Params, where: Where) -> str | None:
    url = _sqs_url(params)
    return url[1] if url is not None else text(params, "QueueOwnerAWSAccountId")


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


def sns_publish_target(params: Params, where: Where) -> str | None:
    target = text(params, "TopicArn") or text(params, "TargetArn")
    if target is not None:
        return target if target.startswith("arn:") else None
    return "*" if text(params, "PhoneNumber") else None


def sns_subscription_topic(params: Params, where: Where) -> str | None:
    # arn:aws:sns:<region>:<account>:<topic>:<subscription id>
    arn = text(params, "SubscriptionArn")
    parts = _arn_parts(arn)
    if arn is None or parts is None or parts[2] != "sns" or ":" not in parts[5]:
        return None
    return arn.rsplit(":", 1)[0]


def _arn_parts(value: str | None) -> list[str] | None:
    """arn:partition:service:region:account:resource, split in its six parts."""
    if value is None or not value.startswith("arn:"):
        return None
    parts = value.split(":", 5)
    return parts if len(parts) == 6 else None


# ---------------------------------------------------------------------------------------
# CloudWatch Logs. Source: "Actions, resources, and condition keys for Amazon CloudWatch
# Logs"; a log group's actions are checked on the ARN of its streams with no stream name
# (as AWS's refusals of logs:CreateLogGroup and logs:DescribeLogStreams name it).


def log_group_name(params: Params, where: Where) -> str | None:
    """The log group named by ``logGroupName``, or by ``logGroupIdentifier`` (a name, or an
    ARN of the caller's account and region: another's is not filled into the caller's)."""
    name = text(params, "logGroupName") or text(params, "logGroupIdentifier")
    if name is None or not name.startswith("arn:"):
        return name
    own = f"arn:{where.partition}:logs:{where.region}:{where.account}:log-group:"
    return name.removeprefix(own).removesuffix(":*") if name.startswith(own) else None


def log_group_streams(params: Params) -> list[Params]:
    """Each log group a request names (``logGroupNames``: StartQuery), as the ARN of its
    streams with no stream's name."""
    groups = [
        *strings(params.get("logGroupName")),
        *strings(params.get("logGroupIdentifier")),
        *strings(params.get("logGroupNames")),
        *strings(params.get("logGroupIdentifiers")),
    ]
    # CreateLogGroup's tags go along, for aws:RequestTag.
    tags = {"tags": params["tags"]} if "tags" in params else {}
    return [
        {"logGroupIdentifier": f"{group.removesuffix(':*')}:log-stream:", **tags}
        if group.startswith("arn:")
        else {"logGroupName": f"{group}:log-stream:", **tags}
        for group in groups
    ]


# ---------------------------------------------------------------------------------------
# EventBridge. Sources: "Actions, resources, and condition keys for Amazon EventBridge" and
# the EventBridge User Guide, "Using IAM policy conditions" (PutEvents is checked on each
# entry's bus with its events:source and events:detail-type).


def event_entries(params: Params) -> list[Params]:
    """Each entry of PutEvents, with the bus it goes to ("default" unless it names one)."""
    entries = params.get("Entries")
    return [
        {
            "EventBusName": text(entry, "EventBusName") or "default",
            "Source": entry.get("Source"),
            "DetailType": entry.get("DetailType"),
        }
        for entry in (entries if isinstance(entries, list) else ())
        if isinstance(entry, Mapping)
    ]


def event_keys(entry: Params) -> Keys:
    return {
        **string_key("events:source", entry, "Source"),
        **string_key("events:detail-type", entry, "DetailType"),
    }


def rule_params(params: Params) -> list[Params]:
    """A rule's name and, unless it is the default one, its bus's name (a bus given by ARN
    by the name that ends it)."""
    rule = text(params, "Name") or text(params, "Rule")
    bus = text(params, "EventBusName")
    if bus is not None and bus.startswith("arn:"):
        _, marker, name = bus.partition(":event-bus/")
        if not marker:
            return [{}]
        bus = name
    named = {"RuleName": rule, "EventBusName": None if bus == "default" else bus}
    return [{key: value for key, value in named.items() if value is not None}]


def event_bus(params: Params) -> list[Params]:
    """The bus a request names by ``Name`` (DescribeEventBus without one: the default)."""
    return [{"EventBusName": text(params, "Name") or "default"}]
