"""IAM service-linked roles: made and deleted for a service, and protected from everyone else.

A service-linked role sits at ``/aws-service-role/<service principal>/``, trusts that principal
alone and carries the service's AWS managed policy; which services link roles, and their
roles' names and policies, come from ``_service_linked``. "Only the service that depends on
the service-linked role can modify or delete the role" (IAM API Reference,
UnmodifiableEntityException): IAM refuses to change it, except its description and tags.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages, _managed
from mock_sts._iam._common import account_of, invalid_input, no_such_entity, role_named
from mock_sts._iam.roles import role_summary
from mock_sts._service_linked import (
    SERVICE_ROLE_PATH,
    DeletionTask,
    LinkedService,
    linked_service,
)
from mock_sts._state import Role, TrustPolicy
from mock_sts._wire import AWSError

if TYPE_CHECKING:
    from mock_sts._operation import Context

# roleNameType's maximum, which a role name with its custom suffix must fit.
_ROLE_NAME_LENGTH = 64

# The operations that change a role, and those that only do when they change more than the
# description: UpdateRole may change it, and "you can edit the description of the
# service-linked role" (IAM User Guide, Editing a service-linked role).
_CHANGES_ROLE = frozenset(
    {
        "AttachRolePolicy",
        "DeleteRole",
        "DeleteRolePermissionsBoundary",
        "DeleteRolePolicy",
        "DetachRolePolicy",
        "PutRolePermissionsBoundary",
        "PutRolePolicy",
        "UpdateAssumeRolePolicy",
    }
)

# task/aws-service-role/<service principal>/<role name>/<uuid> (IAM API Reference,
# DeleteServiceLinkedRole).
_TASK_ID = re.compile(
    r"task/aws-service-role/([\w.-]+)/([\w+=,.@-]{1,64})/"
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
)


def protect_linked_roles(ctx: Context) -> None:
    """UnmodifiableEntity for an operation that would change a service-linked role."""
    if ctx.action not in _CHANGES_ROLE and not (
        ctx.action == "UpdateRole" and "MaxSessionDuration" in ctx.params
    ):
        return
    name = ctx.params.get("RoleName")
    role = account_of(ctx).role(name) if name is not None else None
    if role is not None and role.linked_service is not None:
        raise AWSError("UnmodifiableEntity", _iam_messages.PROTECTED_ROLE.format(role.name), 400)


# ---------------------------------------------------------------------------------------
# What the gate authorizes


def _role_name(service: LinkedService, suffix: str | None) -> str:
    return service.role_name if suffix is None else f"{service.role_name}_{suffix}"


def create_resource(ctx: Context) -> str:
    """The role CreateServiceLinkedRole makes, which iam:CreateServiceLinkedRole is
    authorized on (Service Authorization Reference, IAM: resource type role); the service's
    role path alone for a service that links no role [U]."""
    principal: str = ctx.params["AWSServiceName"]
    service = linked_service(principal)
    name = _role_name(service, ctx.params.get("CustomSuffix")) if service is not None else ""
    return account_of(ctx).arn(f"role{SERVICE_ROLE_PATH}{principal}/{name}")


def task_resource(ctx: Context) -> str:
    """The role a deletion task deletes, which GetServiceLinkedRoleDeletionStatus is
    authorized on; any role for a task id that names none."""
    match = _TASK_ID.fullmatch(ctx.params["DeletionTaskId"])
    if match is None:
        return "*"
    return account_of(ctx).arn(f"role{SERVICE_ROLE_PATH}{match[1]}/{match[2]}")


# ---------------------------------------------------------------------------------------
# Operations


def _trust_policy(principal: str) -> str:
    """The trust policy of a service-linked role: its service may assume it (as GetRole shows
    AWSServiceRoleForECS's, github.com/99designs/iamy issue 49)."""
    statement = {
        "Effect": "Allow",
        "Principal": {"Service": principal},
        "Action": "sts:AssumeRole",
    }
    return json.dumps({"Version": "2012-10-17", "Statement": [statement]}, separators=(",", ":"))


def create_service_linked_role(ctx: Context) -> Mapping[str, Any]:
    principal: str = ctx.params["AWSServiceName"]
    suffix: str | None = ctx.params.get("CustomSuffix")
    service = linked_service(principal)
    if service is None:
        raise invalid_input(_iam_messages.NO_SERVICE_LINKED_ROLE.format(principal))
    if suffix is not None and not service.custom_suffix:
        raise invalid_input(_iam_messages.CUSTOM_SUFFIX_NOT_ALLOWED.format(principal))
    name = _role_name(service, suffix)
    if len(name) > _ROLE_NAME_LENGTH:
        raise invalid_input(_iam_messages.SERVICE_ROLE_NAME_TOO_LONG.format(name))
    account = account_of(ctx)
    if account.role(name) is not None:
        raise invalid_input(_iam_messages.SERVICE_ROLE_NAME_TAKEN.format(name))
    role = account.add_role(
        name,
        TrustPolicy(_trust_policy(principal), {}),
        path=f"{SERVICE_ROLE_PATH}{principal}/",
        description=ctx.params.get("Description"),
    )
    role.linked_service = principal
    policy = _managed.aws_managed_policy(service.policy_name or "", account.partition)
    if policy is not None:
        role.attached_policies.append(policy.arn)
    shape = role_summary(role)
    shape["Description"] = role.description
    return {"Role": shape}


def _linked_role(ctx: Context) -> Role:
    role = role_named(ctx, ctx.params["RoleName"])
    if role.linked_service is None:
        raise no_such_entity(_iam_messages.NOT_SERVICE_LINKED.format(role.name))
    return role


def delete_service_linked_role(ctx: Context) -> Mapping[str, Any]:
    """The deletion is decided at once: the role goes, or stays while an instance profile
    holds it (the task FAILED)."""
    role = _linked_role(ctx)
    account = role.account
    task = DeletionTask(
        task_id=f"task{role.path}{role.name}/{uuid.uuid4()}",
        account_id=account.account_id,
    )
    holders = [p.arn for p in account.instance_profiles.values() if p.role is role]
    if holders:
        task.reason = _iam_messages.SERVICE_ROLE_IN_PROFILES.format(", ".join(holders))
    else:
        del account.roles[role.name.lower()]
    ctx.backend.deletion_tasks[task.task_id] = task
    return {"DeletionTaskId": task.task_id}


def get_service_linked_role_deletion_status(ctx: Context) -> Mapping[str, Any]:
    task_id: str = ctx.params["DeletionTaskId"]
    if _TASK_ID.fullmatch(task_id) is None:
        raise invalid_input(_iam_messages.DELETION_TASK_MALFORMED.format(task_id))
    task = ctx.backend.deletion_tasks.get(task_id)
    if task is None or task.account_id != ctx.signed_caller.account_id:
        raise no_such_entity(_iam_messages.DELETION_TASK_NOT_FOUND.format(task_id))
    answer: dict[str, Any] = {"Status": task.status}
    if task.reason is not None:
        answer["Reason"] = {"Reason": task.reason}
    return answer
