"""The least-privilege identity policy a principal's requests needed: every IAM action on
every resource the mock checked them for, allowed or refused, and nothing more.

Pure: recorded calls in, a policy document out. A request the mock let through unchecked
names its actions on "*", so the policy allows them on "*"; a request AWS authorizes for
nothing (GetCallerIdentity) adds nothing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from mock_sts._calls import Call

# (IAM action, resource ARN or "*")
Permission = tuple[str, str]

VERSION = "2012-10-17"

# A policy that allows nothing, for a principal whose requests needed no permission: IAM
# refuses an empty Statement list, and an Allow of every action but all of them allows
# nothing.
NOTHING: Mapping[str, Any] = {
    "Sid": "NothingRequired",
    "Effect": "Allow",
    "NotAction": "*",
    "Resource": "*",
}

_ASSUMED_ROLE = re.compile(r"arn:([^:]+):sts::(\d{12}):assumed-role/([^/]+)/.+")


def required_policy(calls: Iterable[Call], principal: str) -> dict[str, Any]:
    """The identity policy that allows exactly what ``principal``'s calls needed.

    ``principal`` is an ARN: a role's covers every session of the role, a user's the user's
    own calls and its GetSessionToken sessions' (which act as the user), any other ARN
    (a role session, a federated user, a root) the calls made as that ARN.
    """
    covers = _covering(principal)
    callers = [call.caller_arn for call in calls if call.caller_arn is not None]
    mine = [call for call in calls if call.caller_arn is not None and covers(call.caller_arn)]
    if not mine:
        seen = sorted({principal_of(arn) for arn in callers})
        raise LookupError(
            f"No request of {principal} was recorded in this mock"
            + (f"; the principals that made requests: {', '.join(seen)}." if seen else ".")
        )
    return policy_of(permissions_of(mine))


def permissions_of(calls: Iterable[Call]) -> set[Permission]:
    """Every (action, resource) the calls were checked for, allowed or refused."""
    return {(check.action, check.resource) for call in calls for check in call.checks}


def principal_of(caller_arn: str) -> str:
    """The principal whose required policy a call counts in: a role session's role (its
    ARN without the role's path, which a session's ARN does not carry), else the caller."""
    session = _ASSUMED_ROLE.fullmatch(caller_arn)
    if session is None:
        return caller_arn
    partition, account, role = session.groups()
    return f"arn:{partition}:iam::{account}:role/{role}"


def permissions_by_principal(calls: Iterable[Call]) -> dict[str, set[Permission]]:
    """What each principal's calls needed (roles by their ARN, see ``principal_of``)."""
    needed: dict[str, set[Permission]] = {}
    for call in calls:
        if call.caller_arn is not None:
            needed.setdefault(principal_of(call.caller_arn), set()).update(permissions_of((call,)))
    return needed


def policy_of(permissions: Collection[Permission]) -> dict[str, Any]:
    """The most compact exact policy allowing ``permissions``: statements of actions that
    need the same resources, or of resources that need the same actions, whichever takes
    fewer statements (then fewer characters), in a stable order."""
    if not permissions:
        return {"Version": VERSION, "Statement": [dict(NOTHING)]}
    anywhere = {action for action, resource in permissions if resource == "*"}
    # An action allowed on "*" needs no statement for its single resources.
    kept = {(a, r) for a, r in permissions if r == "*" or a not in anywhere}
    by_action = _grouped(kept, key=lambda p: p[0], value=lambda p: p[1])
    by_resource = _grouped(kept, key=lambda p: p[1], value=lambda p: p[0])
    per_resources = [_statement(actions, resources) for resources, actions in by_action]
    per_actions = [_statement(actions, resources) for actions, resources in by_resource]
    best = min((per_resources, per_actions), key=lambda s: (len(s), len(json.dumps(s))))
    return {"Version": VERSION, "Statement": best}


def _grouped(
    permissions: Iterable[Permission],
    *,
    key: Callable[[Permission], str],
    value: Callable[[Permission], str],
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Pairs (values, keys): the keys that share exactly the same set of values, sorted."""
    values: dict[str, set[str]] = {}
    for permission in permissions:
        values.setdefault(key(permission), set()).add(value(permission))
    keys: dict[tuple[str, ...], list[str]] = {}
    for name, found in values.items():
        keys.setdefault(tuple(sorted(found)), []).append(name)
    return sorted((shared, tuple(sorted(names))) for shared, names in keys.items())


def _statement(actions: Iterable[str], resources: Iterable[str]) -> dict[str, Any]:
    action_list = sorted(actions)
    resource_list = sorted(_literal(resource) for resource in resources)
    return {
        "Effect": "Allow",
        "Action": action_list[0] if len(action_list) == 1 else action_list,
        "Resource": resource_list[0] if len(resource_list) == 1 else resource_list,
    }


def _literal(resource: str) -> str:
    """The resource as a policy names exactly it: ``*``, ``?`` and ``$`` in its resource part
    (an S3 key may hold them) written as IAM's escapes ``${*}``, ``${?}``, ``${$}`` (IAM User
    Guide, "IAM policy elements: Variables and tags", special characters)."""
    parts = resource.split(":", 5)
    if len(parts) < 6:
        return resource
    head, tail = ":".join(parts[:5]), parts[5]
    return f"{head}:{_SPECIAL.sub(lambda m: '${' + m.group() + '}', tail)}"


_SPECIAL = re.compile(r"[*?$]")


def _covering(principal: str) -> Callable[[str], bool]:
    """Whether a call made as a caller ARN counts for ``principal``."""
    parts = principal.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn":
        raise LookupError(
            f"{principal!r} is neither credentials nor an access key id this mock issued, "
            "nor an ARN: pass Credentials, an access key id, or the ARN of a user, a role "
            "or a role session."
        )
    partition, service, account, resource = parts[1], parts[2], parts[4], parts[5]
    if service == "iam" and resource.startswith("role/"):
        # A role's sessions are named by the role's name, not its path.
        sessions = f"arn:{partition}:sts::{account}:assumed-role/{resource.rsplit('/', 1)[1]}/"
        return lambda caller: caller.startswith(sessions)
    return lambda caller: caller == principal
