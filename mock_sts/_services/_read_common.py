"""The words the readers of the hand-written table (``_actions``) speak, and the readers of
parameters that every service family shares.

Each reader reads what a client may send, of any type: a value of the wrong type tells
nothing (the request is then not checked on it), never an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mock_sts._policy import ConditionValue
from mock_sts._state import Account, ServiceFacts

Params = Mapping[str, Any]
Keys = Mapping[str, ConditionValue]


@dataclass(frozen=True)
class Where:
    """What a resource ARN is filled with besides the caller's parameters, and what the
    mock knows of the service's resources."""

    partition: str
    region: str
    account: str
    facts: ServiceFacts = field(default_factory=ServiceFacts, compare=False)
    iam: Account | None = field(default=None, compare=False)  # the caller's account's IAM


# What a step's resource is when, for these parameters, the step checks nothing.
NO_CHECK = ""


# A template variable's value read from the parameters in a way of the service's own (a
# queue's name from its URL), by (IAM prefix, variable); None when they do not tell it.
Resolver = Callable[[Params, Where], "str | None"]


def matched(find: Callable[[Params], re.Match[str] | None], group: int | str) -> Resolver:
    """A resolver of the ``group`` of what ``find`` matches in the parameters (a part of an
    ARN given in place of a name)."""

    def resolve(params: Params, where: Where) -> str | None:
        found = find(params)
        return found.group(group) if found else None

    return resolve


def anywhere(params: Params, where: Where) -> str:
    """The resource of a request that names none of its action's optional resource types
    (CloudWatch's PutMetricData): "*"."""
    return "*"


def text(params: Params, name: str) -> str | None:
    """A parameter that is a non-empty string; anything else tells nothing."""
    value = params.get(name)
    return value if isinstance(value, str) and value else None


def strings(value: object) -> list[str]:
    """The non-empty strings of a list, or a lone string as a list of one."""
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, str) and item]


def listed(params: Params, name: str) -> list[Any]:
    value = params.get(name)
    return list(value) if isinstance(value, (list, tuple)) else []


def mapping(params: Params, name: str) -> Mapping[str, Any]:
    value = params.get(name)
    return value if isinstance(value, Mapping) else {}


def bool_key(key: str, value: object) -> Keys:
    """A condition key that is a flag: "true" or "false", as policies compare it."""
    return {key: "true" if value else "false"} if isinstance(value, bool) else {}


def string_key(key: str, params: Params, name: str) -> Keys:
    value = text(params, name)
    return {key: value} if value is not None else {}


def keys_from(names: Mapping[str, str]) -> Callable[[Params], Keys]:
    """Condition keys that are string parameters as sent, by key: parameter."""

    def keys(params: Params) -> Keys:
        found: dict[str, ConditionValue] = {}
        for key, name in names.items():
            value = params.get(name)
            if isinstance(value, bool):
                found.update(bool_key(key, value))
            elif isinstance(value, (str, int)):
                found[key] = str(value)
            elif isinstance(value, (list, tuple)):
                found[key] = tuple(str(item) for item in value if isinstance(item, (str, int)))
        return found

    return keys


def both(*readers: Callable[[Params], Keys]) -> Callable[[Params], Keys]:
    def keys(params: Params) -> Keys:
        found: dict[str, ConditionValue] = {}
        for reader in readers:
            found.update(reader(params))
        return found

    return keys


def items(name: str, member: str | None = None) -> Callable[[Params], Iterable[Params]]:
    """One parameter set per item of the list parameter ``name`` (its ``member`` mapping):
    each batch entry is checked as the single request it stands for."""

    def fan_out(params: Params) -> Iterable[Params]:
        for item in listed(params, name):
            entry = item.get(member) if member and isinstance(item, Mapping) else item
            if isinstance(entry, Mapping):
                yield entry

    return fan_out


def roles_passed(*names: str, within: str | None = None) -> Callable[[Params], Iterable[Params]]:
    """One parameter set ``{"Role": arn}`` per role the request hands its service to act as,
    by ARN in the parameters ``names`` (of each entry of the list ``within``: EventBridge's
    targets). A role named otherwise is the service's to refuse."""

    def fan_out(params: Params) -> Iterable[Params]:
        entries = listed(params, within) if within is not None else [params]
        for entry in entries:
            for name in names:
                arn = text(entry, name) if isinstance(entry, Mapping) else None
                if arn is not None and arn.startswith("arn:"):
                    yield {"Role": arn}

    return fan_out


def passed_role(params: Params, where: Where) -> str:
    """The role of a parameter set ``roles_passed`` gives."""
    return str(params["Role"])


def profiles_passed(params: Params) -> Iterable[Params]:
    """``{"Profile": arn or name}`` for the instance profile an EC2 request hands its
    instances (``IamInstanceProfile``, by ARN or name)."""
    profile = params.get("IamInstanceProfile")
    if isinstance(profile, Mapping):
        named = text(profile, "Arn") or text(profile, "Name")
        if named is not None:
            yield {"Profile": named}


def profile_role(params: Params, where: Where) -> str:
    """The role in the caller's instance profile a parameter set of ``profiles_passed``
    names; NO_CHECK for a profile that does not exist (EC2 refuses it) or holds no role
    (nothing is passed)."""
    named = str(params["Profile"])
    name = named.rpartition("/")[2]
    profile = where.iam.instance_profile(name) if where.iam is not None else None
    if profile is None or profile.role is None or named not in (name, profile.arn):
        return NO_CHECK
    return profile.role.arn


def only_if(test: Callable[[Params], bool]) -> Callable[[Params], Iterable[Params]]:
    """The request's parameters when ``test`` holds: an action the request needs only then."""

    def fan_out(params: Params) -> Iterable[Params]:
        return (params,) if test(params) else ()

    return fan_out


def tag_pairs(value: object, key: str, value_name: str) -> list[tuple[str, str]] | None:
    """A list of {key, value} tags (EC2, ECR: Key/Value; Step Functions: key/value)."""
    if not isinstance(value, list):
        return None
    return [
        (tag[key], tag.get(value_name, ""))
        for tag in value
        if isinstance(tag, Mapping)
        and isinstance(tag.get(key), str)
        and isinstance(tag.get(value_name, ""), str)
    ]


def tag_map(value: object) -> list[tuple[str, str]] | None:
    """A mapping of tags (CloudWatch Logs' ``tags``)."""
    if not isinstance(value, Mapping):
        return None
    return [(k, v) for k, v in value.items() if isinstance(k, str) and isinstance(v, str)]


def no_keys(params: Params) -> Keys:
    """The condition keys of a request that carries none of its own."""
    return {}


def tag_keys(
    pairs: list[tuple[str, str]] | None,
    tag: str = "aws:RequestTag",
    every_key: str = "aws:TagKeys",
) -> Keys:
    """The condition keys of the tags a request gives: ``tag``/<key> for each, and
    ``every_key`` for all their keys (aws:RequestTag/* and aws:TagKeys, or a service's own)."""
    if pairs is None:
        return {}
    keys: dict[str, ConditionValue] = {f"{tag}/{k}": v for k, v in pairs}
    keys[every_key] = tuple(k for k, _ in pairs)
    return keys
