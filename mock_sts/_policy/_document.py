"""Policy documents: parsed once validated (see ``_validate``), compiled, and evaluated
(STS_REFERENCE §6)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mock_sts._policy._conditions import Check, Condition, parse_condition
from mock_sts._policy._match import Match, Principals, patterns, resources
from mock_sts._policy._model import (
    ConditionKeys,
    Evaluation,
    MatchClass,
    PolicyKind,
    Principal,
    Request,
)
from mock_sts._policy._validate import CURRENT_VERSION, Number, as_list, validate


@dataclass(frozen=True)
class Statement:
    """One statement, as written (tuples for lists) and compiled for evaluation."""

    index: int
    sid: str | None
    effect: str
    action: tuple[str, ...] | None
    not_action: tuple[str, ...] | None
    principal: tuple[tuple[str, str], ...] | None
    resource: tuple[str, ...] | None
    not_resource: tuple[str, ...] | None
    condition: tuple[Condition, ...]
    # The elements compiled into matchers, once, when the document is parsed.
    actions_match: Match = field(compare=False, repr=False)
    principals_match: Principals | None = field(compare=False, repr=False)
    resources_match: Callable[[str, ConditionKeys], bool] | None = field(compare=False, repr=False)
    condition_checks: tuple[Check, ...] = field(compare=False, repr=False)
    # NotPrincipal (resource policies): the statement applies to every principal it does
    # not name.
    not_principal: bool = field(default=False, compare=False)

    @property
    def label(self) -> str:
        """How evaluations name the statement: its Sid, or ``#<index>`` (from 0) without one."""
        return self.sid or f"#{self.index}"

    def names(self, action: str) -> bool:
        """Whether Action names ``action`` (lower-case), or NotAction leaves it out."""
        # An element applies when it matches, its Not- form when it does not.
        return self.actions_match(action) != (self.not_action is not None)

    def reaches(self, action: str, resource: str | None, context: ConditionKeys) -> bool:
        """Whether Action and Resource apply, whatever the conditions; ``action`` is
        lower-case."""
        if not self.names(action):
            return False
        return self.resources_match is None or (
            resource is not None
            and self.resources_match(resource, context) != (self.not_resource is not None)
        )

    def applies_to(self, action: str, resource: str | None, context: ConditionKeys) -> bool:
        """Whether Action, Resource and Condition apply; ``action`` is lower-case."""
        if not self.reaches(action, resource, context):
            return False
        # Conditions last: they are the costliest part. (A loop: all() over a generator
        # costs a fifth more on this path.)
        for check in self.condition_checks:  # noqa: SIM110
            if not check(context):
                return False
        return True


@dataclass(frozen=True)
class Policy:
    """A parsed, validated policy document; immutable, equal when kind and text are."""

    kind: PolicyKind
    text: str
    version: str | None = field(compare=False)
    id: str | None = field(compare=False)
    statements: tuple[Statement, ...] = field(compare=False)

    def evaluate(self, request: Request) -> Evaluation:
        """Which statements apply to ``request``.

        A statement with Resource/NotResource never applies to a request without a
        resource, nor one with Principal to a request without a principal.
        """
        context = request.keys
        action = request.action_key
        resource = request.resource
        caller = request.principal
        allowed = denied = False
        strongest: MatchClass | None = None
        applying = []
        denying = []
        for statement in self.statements:
            found = None
            if statement.principals_match is not None:
                if caller is None:
                    continue
                found = statement.principals_match.match(caller)
                if statement.not_principal:
                    # Whoever it does not name, it names as directly as "*" does [U].
                    found = MatchClass.DIRECT if found is None else None
                if found is None:
                    continue
            if not statement.applies_to(action, resource, context):
                continue
            applying.append(statement.label)
            if statement.effect == "Deny":
                denied = True
                denying.append(statement.label)
            else:
                allowed = True
                if found is not None and (strongest is None or found > strongest):
                    strongest = found
        return Evaluation(allowed, denied, strongest, tuple(applying), tuple(denying))

    def explain(self, request: Request) -> str:
        """Why no statement allows ``request``, from the Allow statement that came nearest
        (principal, then action, then resource, then conditions), e.g. "no statement names
        user/bob" or "condition StringEquals sts:ExternalId failed: expected 'x', got none".

        For denials only: ``evaluate`` says nothing of why, to stay fast.
        """
        misses = [_miss(statement, request) for statement in self.statements]
        nearest = max(
            (miss for miss in misses if miss is not None),
            key=lambda miss: miss[0],
            default=(_ACTION, f"no statement allows {request.action}"),
        )
        return nearest[1]

    def failed_conditions(self, request: Request) -> tuple[str, ...]:
        """Why each Allow statement that names the caller, the action and the resource
        still does not apply: the first of its conditions that fails, explained."""
        misses = (_miss(statement, request) for statement in self.statements)
        return tuple(miss[1] for miss in misses if miss is not None and miss[0] == _CONDITION)

    def principals(self) -> tuple[tuple[str, str], ...]:
        """Every distinct (type, value) principal entry, in document order; ``"*"`` is
        ``("AWS", "*")``."""
        entries = (entry for s in self.statements for entry in s.principal or ())
        return tuple(dict.fromkeys(entries))

    def with_principals(self, mapping: Mapping[str, str]) -> Policy:
        """A copy whose ``AWS`` principal values are replaced per ``mapping``, as IAM stores
        trust policies (user and role ARNs become unique ids, §6.2); ``self`` if none is.

        The copy's text is compact JSON. Numbers with a fraction or exponent are written
        there as strings, as they were written: through a float they could be rounded, or
        overflow to Infinity, which is no JSON (condition values are strings anyway, §6.5).
        """
        document = json.loads(self.text, parse_float=Number)
        statements = document["Statement"]
        changed = False
        for statement in statements if isinstance(statements, list) else [statements]:
            principal = statement.get("Principal")
            if not isinstance(principal, dict) or "AWS" not in principal:
                continue
            values = principal["AWS"]
            if isinstance(values, str):
                replaced: Any = mapping.get(values, values)
            else:
                replaced = [mapping.get(value, value) for value in values]
            if replaced != values:
                principal["AWS"] = replaced
                changed = True
        if not changed:
            return self
        text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
        return parse_policy(text, self.kind)


# How far an Allow statement got towards a request before it missed (Policy.explain).
_PRINCIPAL, _ACTION, _RESOURCE, _CONDITION = range(4)


def _miss(statement: Statement, request: Request) -> tuple[int, str] | None:
    """Where an Allow statement stops applying to ``request`` and why; None for a Deny
    statement, or for one that applies."""
    if statement.effect != "Allow":
        return None
    caller = request.principal
    if statement.principals_match is not None and (
        caller is None or statement.principals_match.match(caller) is None
    ):
        return _PRINCIPAL, f"no statement names {_named(request)}"
    if statement.actions_match(request.action_key) == (statement.not_action is not None):
        who = f" for {_caller_name(caller)}" if statement.principals_match is not None else ""
        return _ACTION, f"no statement allows {request.action}{who}"
    resource = request.resource
    if statement.resources_match is not None and (
        resource is None
        or statement.resources_match(resource, request.keys) == (statement.not_resource is not None)
    ):
        return _RESOURCE, f"no statement allows {request.action} on {resource or 'no resource'}"
    for condition in statement.condition:
        failure = condition.failure(request.keys)
        if failure is not None:
            return _CONDITION, failure
    return None


def _caller_name(caller: Principal | None) -> str:
    if caller is None:
        return "an anonymous caller"
    return caller.federated or caller.service or caller.arn


def _named(request: Request) -> str:
    """The caller as a person names it: in the resource's own account, by its resource
    part ("user/bob"); from elsewhere, by its whole ARN."""
    caller = request.principal
    name = _caller_name(caller)
    if caller is None or not caller.arn or caller.federated or caller.service:
        return name
    resource_account = (request.resource or "").split(":")[4:5]
    if resource_account == [caller.account]:
        return caller.arn.split(":", 5)[5]
    return name


def parse_policy(text: str, kind: PolicyKind) -> Policy:
    """The policy ``text`` holds, validated as IAM validates a ``kind`` document.

    Raises PolicyError with IAM's MalformedPolicyDocument text. Results are cached.
    """
    return _parse(text, kind)


@functools.lru_cache(maxsize=1024)
def _parse(text: str, kind: PolicyKind) -> Policy:
    document = validate(text, kind)
    version = document.get("Version")
    # Only the current version substitutes ${...}; the older one (and no Version at all)
    # reads it as text.
    variables = version == CURRENT_VERSION
    statements = tuple(
        _statement(index, item, variables)
        for index, item in enumerate(as_list(document["Statement"]))
    )
    return Policy(kind, text, version, document.get("Id"), statements)


def _statement(index: int, item: dict[str, Any], variables: bool) -> Statement:
    """A validated statement, compiled."""
    action_name = "Action" if "Action" in item else "NotAction"
    actions = tuple(as_list(item[action_name]))
    resource_name = "Resource" if "Resource" in item else "NotResource"
    resource_values = tuple(as_list(item[resource_name])) if resource_name in item else None
    principal = _principal_entries(item)
    conditions = _conditions(item.get("Condition", {}), variables)
    return Statement(
        index=index,
        sid=item.get("Sid"),
        effect=item["Effect"],
        action=actions if action_name == "Action" else None,
        not_action=actions if action_name == "NotAction" else None,
        principal=principal,
        resource=resource_values if resource_name == "Resource" else None,
        not_resource=resource_values if resource_name == "NotResource" else None,
        condition=conditions,
        actions_match=patterns(action.lower() for action in actions),
        principals_match=None if principal is None else Principals(principal),
        resources_match=None if resource_values is None else resources(resource_values, variables),
        condition_checks=tuple(condition.check for condition in conditions),
        not_principal="NotPrincipal" in item,
    )


def _principal_entries(item: dict[str, Any]) -> tuple[tuple[str, str], ...] | None:
    """The (type, value) entries of Principal or NotPrincipal; ``"*"`` is ``("AWS", "*")``."""
    raw = item.get("Principal", item.get("NotPrincipal"))
    if raw is None:
        return None
    if raw == "*":
        return (("AWS", "*"),)
    return tuple((kind, value) for kind, values in raw.items() for value in as_list(values))


def _conditions(raw: dict[str, Any], variables: bool) -> tuple[Condition, ...]:
    return tuple(
        parse_condition(operator_name, key, _condition_values(values), variables)
        for operator_name, block in raw.items()
        for key, values in block.items()
    )


def _condition_values(raw: object) -> tuple[str, ...]:
    """Condition values are strings, even written as JSON numbers or booleans (§6.5)."""
    return tuple(
        ("true" if value else "false") if isinstance(value, bool) else str(value)
        for value in as_list(raw)
    )
