"""Policy documents: parsing with IAM's validation texts, and evaluation (STS_REFERENCE §6)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from mock_sts._policy import _messages
from mock_sts._policy._conditions import Check, Condition, parse_condition
from mock_sts._policy._match import Match, Principals, patterns, resources, valid_principal
from mock_sts._policy._model import (
    ConditionKeys,
    Evaluation,
    MatchClass,
    PolicyError,
    PolicyKind,
    Principal,
    Request,
)

VERSIONS = ("2012-10-17", "2008-10-17")
# Only this version substitutes ${...}; the older one (and no Version at all) reads it as text.
_VARIABLES_VERSION = "2012-10-17"
_DOCUMENT_KEYS = frozenset({"Version", "Id", "Statement"})
_STATEMENT_KEYS = frozenset(
    {
        "Sid",
        "Effect",
        "Action",
        "NotAction",
        "Principal",
        "NotPrincipal",
        "Resource",
        "NotResource",
        "Condition",
    }
)
_PRINCIPAL_TYPES = ("AWS", "Federated", "Service", "CanonicalUser")
_SID = re.compile(r"[0-9A-Za-z]*")
_VENDOR = re.compile(r"[A-Za-z0-9-]+")


class _Number(str):
    """A JSON number kept as written: condition values are strings (``1.50`` stays ``1.50``),
    and anywhere else a number is a type error."""


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

    def reaches(self, action: str, resource: str | None, context: ConditionKeys) -> bool:
        """Whether Action and Resource apply, whatever the conditions; ``action`` is
        lower-case."""
        # An element applies when it matches, its Not- form when it does not.
        if self.actions_match(action) == (self.not_action is not None):
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
        document = json.loads(self.text, parse_float=_Number)
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
    document = _load(text)
    if not isinstance(document, dict):
        raise PolicyError(_messages.SYNTAX)
    try:
        return _policy(document, text, kind)
    except PolicyError as error:
        if error.message == _messages.SYNTAX and "Version" not in document:
            raise PolicyError(_messages.LEGACY) from None
        raise


def _load(text: str) -> Any:
    """The JSON ``text`` holds, each object's names once.

    Python's parser keeps the last of two equal names, so ``{"Effect": "Deny", "Effect":
    "Allow"}`` would grant; IAM refuses such documents (STS_REFERENCE §12.4). Names compare
    exactly, as IAM's element names are case-sensitive: ``effect`` is another name (and no
    element). A document nested deeper than Python's parser goes is no policy either: it is
    refused as unreadable, as IAM's parser refuses nesting past its own limit.
    """
    repeated = False

    def unique(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal repeated
        members = dict(pairs)
        repeated = repeated or len(members) < len(pairs)
        return members

    try:
        document = json.loads(
            text,
            object_pairs_hook=unique,
            parse_int=_Number,
            parse_float=_Number,
            parse_constant=_no_constant,
        )
    except (ValueError, RecursionError):
        raise PolicyError(_messages.INVALID_JSON) from None
    # After the whole text is read: a document that is no JSON at all says so first.
    if repeated:
        raise PolicyError(_messages.DUPLICATE_ELEMENT)
    return document


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is no JSON value")


def _policy(document: dict[str, Any], text: str, kind: PolicyKind) -> Policy:
    if not _DOCUMENT_KEYS.issuperset(document):
        raise PolicyError(_messages.SYNTAX)
    version = document.get("Version")
    if "Version" in document and version not in VERSIONS:
        raise PolicyError(_messages.SYNTAX)
    policy_id = document.get("Id")
    if "Id" in document and not _is_string(policy_id):
        raise PolicyError(_messages.SYNTAX)
    raw = document.get("Statement")
    items = [raw] if isinstance(raw, dict) else raw
    if not isinstance(items, list) or not items:
        raise PolicyError(_messages.SYNTAX)
    variables = version == _VARIABLES_VERSION
    statements = []
    sids: set[str] = set()
    for index, item in enumerate(items):
        statement = _statement(index, item, kind, variables)
        if statement.sid:
            if statement.sid in sids:
                raise PolicyError(_messages.SID_UNIQUE)
            sids.add(statement.sid)
        statements.append(statement)
    return Policy(kind, text, version, policy_id, tuple(statements))


def _statement(index: int, item: object, kind: PolicyKind, variables: bool) -> Statement:
    if not isinstance(item, dict) or not _STATEMENT_KEYS.issuperset(item):
        raise PolicyError(_messages.SYNTAX)
    sid = item.get("Sid")
    if "Sid" in item:
        if not _is_string(sid):
            raise PolicyError(_messages.SYNTAX)
        # IAM's own rule: other services take any Sid (KMS's default key policy has
        # "Enable IAM User Permissions", SNS's "__default_statement_ID").
        if kind is not PolicyKind.RESOURCE and not _SID.fullmatch(sid):
            raise PolicyError(_messages.SID_FORMAT)
    effect = item.get("Effect")
    if effect not in ("Allow", "Deny"):
        raise PolicyError(_messages.SYNTAX)
    # Order of the checks: passing an identity policy as a trust policy is answered with
    # "Has prohibited field Resource", a trust policy as an identity policy with "should
    # not specify a principal" [O], so those come before the missing-element checks.
    principal = _principal_element(item, kind)
    action_name, actions = _actions(item, kind)
    resource_name, resource_values = _resources(item, kind)
    conditions = _conditions(item["Condition"], variables) if "Condition" in item else ()
    return Statement(
        index=index,
        sid=sid,
        effect=effect,
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


def _principal_element(
    item: dict[str, Any], kind: PolicyKind
) -> tuple[tuple[str, str], ...] | None:
    if kind is PolicyKind.IDENTITY:
        if "Principal" in item or "NotPrincipal" in item:
            raise PolicyError(_messages.NO_PRINCIPAL_ALLOWED)
        return None
    if kind is PolicyKind.RESOURCE:
        name = _exactly_one(item, "Principal", "NotPrincipal")
    else:
        for prohibited in ("Resource", "NotResource", "NotPrincipal"):
            # NotPrincipal is not allowed in trust policies [D]; IAM's text for it is [U].
            if prohibited in item:
                raise PolicyError(_messages.PROHIBITED_FIELD.format(prohibited))
        name = "Principal" if "Principal" in item else ""
    if not name:
        raise PolicyError(_messages.MISSING_PRINCIPAL)
    raw = item[name]
    if raw == "*":
        return (("AWS", "*"),)
    if not isinstance(raw, dict) or not raw:
        raise PolicyError(_messages.SYNTAX)
    entries = []
    for principal_type, values in raw.items():
        # An unknown type is a grammar error; IAM's text for it is unverified [U].
        if principal_type not in _PRINCIPAL_TYPES:
            raise PolicyError(_messages.SYNTAX)
        strings = _strings(values)
        if not strings:
            raise PolicyError(_messages.SYNTAX)
        for value in strings:
            if not valid_principal(principal_type, value):
                # IAM names the type in capitals: "AWS", "SERVICE", "FEDERATED" [O].
                message = _messages.INVALID_PRINCIPAL.format(principal_type.upper(), value)
                raise PolicyError(message)
            entries.append((principal_type, value))
    return tuple(entries)


def _actions(item: dict[str, Any], kind: PolicyKind) -> tuple[str, tuple[str, ...]]:
    name = _exactly_one(item, "Action", "NotAction")
    actions = _strings(item[name]) if name else ()
    if not actions:
        raise PolicyError(_messages.MISSING_ACTIONS)
    for action in actions:
        _check_action(action, kind)
    return name, actions


def _check_action(action: str, kind: PolicyKind) -> None:
    if action == "*":
        return  # in trust policies too: "*" covers the STS actions [U]
    service, colon, name = action.partition(":")
    if not colon or not _VENDOR.fullmatch(service):
        raise PolicyError(_messages.VENDOR)
    if ":" in name:
        raise PolicyError(_messages.ONE_COLON)
    if not name:
        raise PolicyError(_messages.SYNTAX)
    if kind is PolicyKind.TRUST and service.lower() != "sts":
        raise PolicyError(_messages.TRUST_ACTIONS)


def _resources(item: dict[str, Any], kind: PolicyKind) -> tuple[str, tuple[str, ...] | None]:
    if kind is PolicyKind.TRUST:
        return "", None  # already refused by _principal_element if present
    name = _exactly_one(item, "Resource", "NotResource")
    resources = _strings(item[name]) if name else ()
    if not resources:
        raise PolicyError(_messages.MISSING_RESOURCES)
    for resource in resources:
        if resource != "*":
            parts = resource.split(":", 5)
            if len(parts) != 6 or parts[0] != "arn" or not parts[1] or not parts[2]:
                raise PolicyError(_messages.RESOURCE_FORMAT.format(resource))
    return name, resources


def _exactly_one(item: dict[str, Any], name: str, negated: str) -> str:
    """Which of the two exclusive elements the statement has ("" for neither)."""
    if name in item and negated in item:
        raise PolicyError(_messages.SYNTAX)
    return name if name in item else negated if negated in item else ""


def _conditions(raw: object, variables: bool) -> tuple[Condition, ...]:
    if not isinstance(raw, dict):
        raise PolicyError(_messages.SYNTAX)
    conditions = []
    for operator_name, block in raw.items():
        if not isinstance(block, dict):
            raise PolicyError(_messages.SYNTAX)
        for key, values in block.items():
            strings = _condition_values(values)
            conditions.append(parse_condition(operator_name, key, strings, variables))
    return tuple(conditions)


def _condition_values(raw: object) -> tuple[str, ...]:
    """Condition values are strings, even written as JSON numbers or booleans (§6.5)."""
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise PolicyError(_messages.SYNTAX)
    values = []
    for item in items:
        if isinstance(item, bool):
            values.append("true" if item else "false")
        elif isinstance(item, str):
            values.append(str(item))
        else:
            raise PolicyError(_messages.SYNTAX)
    return tuple(values)


def _strings(raw: object) -> tuple[str, ...]:
    """A string or list of strings (the grammar takes either wherever a list is allowed)."""
    items = raw if isinstance(raw, list) else [raw]
    strings = []
    for item in items:
        if not _is_string(item):
            raise PolicyError(_messages.SYNTAX)
        strings.append(item)
    return tuple(strings)


def _is_string(value: object) -> TypeGuard[str]:
    return isinstance(value, str) and not isinstance(value, _Number)
