"""Condition operators (STS_REFERENCE §6.5), compiled once per policy.

Each operator block entry (one operator, one key) becomes a check. A check reduces the policy
values to one test, "does this request value match any policy value", built once per policy
(or, when a value holds a policy variable, once per distinct substitution); negation,
``IfExists``, the set qualifiers and missing keys are handled around that test.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import functools
import ipaddress
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_DOWN, Decimal
from decimal import Context as DecimalContext
from typing import NamedTuple, TypeVar

from mock_sts._policy._glob import Parts, any_of, compile_parts, pattern
from mock_sts._policy._model import ConditionKeys
from mock_sts._policy._variables import Template, parse_template, resolve

Test = Callable[[str], object]  # truthy when a request value matches some policy value
Check = Callable[[ConditionKeys], object]  # truthy when a condition holds for a request context
_Compiler = Callable[[tuple[Parts, ...]], Test]
_T = TypeVar("_T", Decimal, int)


def _text(parts: Parts) -> str:
    return "".join(text for text, _ in parts)


# ---------------------------------------------------------------------------------------
# Value syntaxes. Unparsable values (policy or request side) never match anything, so a
# negated operator, the complement of its positive form, holds for them [U].

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")
_EPOCH = re.compile(r"[+-]?\d+(?:\.\d+)?")
# W3C profile of ISO 8601: a date, or a date and time (minutes required, seconds and
# fraction optional) with an optional zone; no zone means UTC.
_ISO_DATE = re.compile(
    r"(\d{4})-(\d\d)(?:-(\d\d)"
    r"(?:[Tt](\d\d):(\d\d)(?::(\d\d)(?:\.(\d{1,9}))?)?(Z|z|[+-]\d\d(?::?\d\d)?)?)?)?"
)
_EPOCH_START = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_MICROSECOND = dt.timedelta(microseconds=1)
# Epoch values may have any number of digits: in the default context a million of them
# overflow, and as an int they would take quadratic time. Scaling is exact here.
_EXACT = DecimalContext(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


@functools.lru_cache(maxsize=1024)
def _number(text: str) -> Decimal | None:
    # Decimal() alone would also take "NaN", "Infinity" and exponents.
    return Decimal(text) if _NUMBER.fullmatch(text) else None


@functools.lru_cache(maxsize=1024)
def _instant(text: str) -> Decimal | None:
    """Whole microseconds since the epoch, from ISO 8601 text or epoch seconds."""
    if _EPOCH.fullmatch(text):
        return Decimal(text).scaleb(6, _EXACT).to_integral_value(ROUND_DOWN, _EXACT)
    match = _ISO_DATE.fullmatch(text)
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, zone = match.groups()
    try:
        moment = dt.datetime(
            int(year),
            int(month),
            int(day or 1),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            int((fraction or "0").ljust(6, "0")[:6]),
            tzinfo=_zone(zone),
        )
    except ValueError:  # month 13, February 30, zone +25:00 ...
        return None
    return Decimal((moment - _EPOCH_START) // _MICROSECOND)


def _zone(text: str | None) -> dt.tzinfo:
    if text is None or text in "Zz":
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    offset = dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:] or 0))
    return dt.timezone(sign * offset)


@functools.lru_cache(maxsize=1024)
def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _network(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    try:
        # A bare address is a /32 (/128); host bits under the mask are ignored.
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


@functools.lru_cache(maxsize=1024)
def _binary(text: str) -> bytes | None:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None


# ---------------------------------------------------------------------------------------
# Operator families: how policy values become one test.


def _equals(values: tuple[Parts, ...]) -> Test:
    return frozenset(_text(value) for value in values).__contains__


def _equals_ignore_case(values: tuple[Parts, ...]) -> Test:
    folded = frozenset(_text(value).casefold() for value in values)
    return lambda request: request.casefold() in folded


def _like(values: tuple[Parts, ...]) -> Test:
    return any_of(values)


def _ordered(
    parse: Callable[[str], _T | None],
    compare: Callable[[_T, _T], bool],
    reduce: Callable[[list[_T]], _T] | None,  # max or min; None for equality
) -> _Compiler:
    """Numeric and date families: ``request <compare> policy value`` for some value.

    "Less than some value" is "less than the largest", and so on, so one comparison
    (or one set lookup, for equality) answers for all policy values.
    """

    def compile_values(values: tuple[Parts, ...]) -> Test:
        bounds = [bound for bound in (parse(_text(value)) for value in values) if bound is not None]
        if not bounds:
            return _never
        if reduce is None:
            accepted = frozenset(bounds)
            return lambda request: parse(request) in accepted
        bound = reduce(bounds)

        def test(request: str) -> bool:
            given = parse(request)
            return given is not None and compare(given, bound)

        return test

    return compile_values


def _never(_: str) -> bool:
    return False


def _bool(values: tuple[Parts, ...]) -> Test:
    accepted = frozenset(_text(value).lower() for value in values) & {"true", "false"}
    return lambda request: request.lower() in accepted


def _binary_equals(values: tuple[Parts, ...]) -> Test:
    accepted = frozenset(_binary(_text(value)) for value in values) - {None}
    return lambda request: _binary(request) in accepted


def _ip_address(values: tuple[Parts, ...]) -> Test:
    networks = [net for net in (_network(_text(value)) for value in values) if net is not None]

    def test(request: str) -> bool:
        address = _address(request)
        if address is None:
            return False
        # `in` is False across IPv4 and IPv6.
        for network in networks:  # noqa: SIM110 (a loop: any() over a generator is slower)
            if address in network:
                return True
        return False

    return test


def _arn_like(values: tuple[Parts, ...]) -> Test:
    """ARNs compared component by component, so a wildcard never spans a colon; the last
    (resource) component keeps any further colons, as in the ARN grammar."""
    patterns = []
    for value in values:
        components = _arn_components(value)
        if components is not None:
            patterns.append(tuple(compile_parts(component) for component in components))

    def test(request: str) -> bool:
        given = request.split(":", 5)
        if len(given) != 6:
            return False
        return any(all(m(c) for m, c in zip(matchers, given, strict=True)) for matchers in patterns)

    return test


def _arn_components(parts: Parts) -> list[Parts] | None:
    components: list[list[tuple[str, bool]]] = [[]]
    for text, wild in parts:
        rest = text
        while len(components) < 6 and ":" in rest:
            head, _, rest = rest.partition(":")
            components[-1].append((head, wild))
            components.append([])
        components[-1].append((rest, wild))
    if len(components) != 6:
        return None
    return [tuple(component) for component in components]


class _Family(NamedTuple):
    compile: _Compiler
    variables: bool  # policy variables are substituted in its values (§6.6)


_FAMILIES: dict[str, _Family] = {
    "StringEquals": _Family(_equals, True),
    "StringEqualsIgnoreCase": _Family(_equals_ignore_case, True),
    "StringLike": _Family(_like, True),
    "NumericEquals": _Family(_ordered(_number, operator.eq, None), False),
    "NumericLessThan": _Family(_ordered(_number, operator.lt, max), False),
    "NumericLessThanEquals": _Family(_ordered(_number, operator.le, max), False),
    "NumericGreaterThan": _Family(_ordered(_number, operator.gt, min), False),
    "NumericGreaterThanEquals": _Family(_ordered(_number, operator.ge, min), False),
    "DateEquals": _Family(_ordered(_instant, operator.eq, None), False),
    "DateLessThan": _Family(_ordered(_instant, operator.lt, max), False),
    "DateLessThanEquals": _Family(_ordered(_instant, operator.le, max), False),
    "DateGreaterThan": _Family(_ordered(_instant, operator.gt, min), False),
    "DateGreaterThanEquals": _Family(_ordered(_instant, operator.ge, min), False),
    # Variables in Bool values: AWS pages disagree; not substituted [U].
    "Bool": _Family(_bool, False),
    "BinaryEquals": _Family(_binary_equals, False),
    "IpAddress": _Family(_ip_address, False),
    "ArnLike": _Family(_arn_like, True),
}

# Operator name -> (family, negated).
_OPERATORS: dict[str, tuple[str, bool]] = {
    "StringEquals": ("StringEquals", False),
    "StringNotEquals": ("StringEquals", True),
    "StringEqualsIgnoreCase": ("StringEqualsIgnoreCase", False),
    "StringNotEqualsIgnoreCase": ("StringEqualsIgnoreCase", True),
    "StringLike": ("StringLike", False),
    "StringNotLike": ("StringLike", True),
    "NumericEquals": ("NumericEquals", False),
    "NumericNotEquals": ("NumericEquals", True),
    "NumericLessThan": ("NumericLessThan", False),
    "NumericLessThanEquals": ("NumericLessThanEquals", False),
    "NumericGreaterThan": ("NumericGreaterThan", False),
    "NumericGreaterThanEquals": ("NumericGreaterThanEquals", False),
    "DateEquals": ("DateEquals", False),
    "DateNotEquals": ("DateEquals", True),
    "DateLessThan": ("DateLessThan", False),
    "DateLessThanEquals": ("DateLessThanEquals", False),
    "DateGreaterThan": ("DateGreaterThan", False),
    "DateGreaterThanEquals": ("DateGreaterThanEquals", False),
    "Bool": ("Bool", False),
    "BinaryEquals": ("BinaryEquals", False),
    "IpAddress": ("IpAddress", False),
    "NotIpAddress": ("IpAddress", True),
    # ArnEquals and ArnLike are the same operator (both take wildcards).
    "ArnEquals": ("ArnLike", False),
    "ArnLike": ("ArnLike", False),
    "ArnNotEquals": ("ArnLike", True),
    "ArnNotLike": ("ArnLike", True),
}

_FOR_ALL = "ForAllValues:"
_FOR_ANY = "ForAnyValue:"
_IF_EXISTS = "IfExists"


@functools.lru_cache(maxsize=1024)
def _compiled(family: str, values: tuple[Parts, ...]) -> Test:
    return _FAMILIES[family].compile(values)


# ---------------------------------------------------------------------------------------
# Checks


def _check(
    family: str,
    key: str,
    values: tuple[str, ...],
    *,
    qualifier: str | None,
    negated: bool,
    if_exists: bool,
    variables: bool,
) -> Check:
    """One operator applied to one key, as a closure specialised for its case: checks run
    for every statement a request reaches, so they do no work they can do here."""
    key = key.lower()
    # The value when the key is absent or an empty set (§6.5).
    absent = if_exists or qualifier == _FOR_ALL or (qualifier is None and negated)
    every = qualifier == _FOR_ALL  # else ForAnyValue, or no qualifier (undefined by AWS [U])
    templates = [parse_template(v) for v in values] if variables else [None] * len(values)
    if any(template is not None for template in templates):
        written = tuple(
            pattern(value) if template is None else template
            for value, template in zip(values, templates, strict=True)
        )

        def holds_with_variables(context: ConditionKeys) -> object:
            value = context.get(key)
            if value is None or value == ():
                return absent
            test = _substituted(family, written, context)
            if isinstance(value, str):
                return not test(value) if negated else test(value)
            return _over_set(test, value, negated, every)

        return holds_with_variables

    test = _compiled(family, tuple(pattern(value) for value in values))
    if negated:

        def holds_negated(context: ConditionKeys) -> object:
            value = context.get(key)
            if value is None:
                return absent
            if isinstance(value, str):  # a request value matching none of the policy values
                return not test(value)
            return _over_set(test, value, negated, every) if value else absent

        return holds_negated

    def holds(context: ConditionKeys) -> object:
        value = context.get(key)
        if value is None:
            return absent
        if isinstance(value, str):
            return test(value)
        return _over_set(test, value, negated, every) if value else absent

    return holds


def _over_set(test: Test, values: tuple[str, ...], negated: bool, every: bool) -> bool:
    if negated:
        return all(not test(v) for v in values) if every else any(not test(v) for v in values)
    return all(test(v) for v in values) if every else any(test(v) for v in values)


def _substituted(family: str, written: tuple[Template, ...], context: ConditionKeys) -> Test:
    # A value whose variable has no value (and no default) matches nothing: it drops out.
    values = []
    for template in written:
        parts = resolve(template, context)
        if parts is not None:
            values.append(parts)
    return _compiled(family, tuple(values))


def _null_check(key: str, values: tuple[str, ...]) -> Check:
    """``Null``: "true" asks for the key to be absent, "false" for it to be present."""
    key = key.lower()
    lowered = {value.lower() for value in values}
    if_absent, if_present = "true" in lowered, "false" in lowered

    def holds(context: ConditionKeys) -> object:
        value = context.get(key)
        return if_absent if value is None or value == () else if_present

    return holds


@dataclass(frozen=True)
class Condition:
    """One key under one operator of a statement's Condition element."""

    operator: str
    key: str
    values: tuple[str, ...]
    check: Check = field(compare=False, repr=False)

    def failure(self, context: ConditionKeys) -> str | None:
        """Why the condition does not hold for ``context`` (None when it holds): the
        operator, the key, the policy's values and the request's. Only denials are
        explained, so this runs the check again rather than making every check say why."""
        if self.check(context):
            return None
        value = context.get(self.key.lower())
        if value is None or value == ():
            got = "none"
        else:  # a multivalued key's values are shown as the set they are
            got = _quoted(value) if isinstance(value, str) else f"[{_listed(value)}]"
        values = self.values
        expected = _quoted(values[0]) if len(values) == 1 else f"one of {_listed(values)}"
        return f"condition {self.operator} {self.key} failed: expected {expected}, got {got}"


def _quoted(value: str) -> str:
    return f"'{value}'"


def _listed(values: tuple[str, ...]) -> str:
    return ", ".join(map(_quoted, values))


def _split(operator_name: str) -> tuple[str | None, str, bool]:
    """An operator name's set qualifier, base operator and ``IfExists`` suffix."""
    qualifier = next((q for q in (_FOR_ALL, _FOR_ANY) if operator_name.startswith(q)), None)
    base = operator_name[len(qualifier) :] if qualifier else operator_name
    if_exists = base.endswith(_IF_EXISTS)
    if if_exists:
        base = base[: -len(_IF_EXISTS)]
    return qualifier, base, if_exists


def base_operator(operator_name: str) -> str | None:
    """The operator ``operator_name`` applies ("StringEquals" for
    "ForAnyValue:StringEqualsIfExists"), or None for a name IAM does not know.

    Names are case-sensitive. ``Null`` takes neither a set qualifier nor ``IfExists`` (IAM UG,
    condition operators); IAM's refusal of such names is unverified [U].
    """
    qualifier, base, if_exists = _split(operator_name)
    if base == "Null":
        return None if qualifier or if_exists else base
    return base if base in _OPERATORS else None


def parse_condition(
    operator_name: str, key: str, values: tuple[str, ...], variables: bool
) -> Condition:
    """A compiled condition of a validated document (``base_operator`` knows its operator);
    ``variables`` when the policy's Version allows ``${...}``.

    A key needs no vendor prefix ("a" is a key like any other, §13.4); values of no
    syntax the operator reads (a date such as ``01T``) never match a request.
    """
    qualifier, base, if_exists = _split(operator_name)
    if base == "Null":
        return Condition(operator_name, key, values, check=_null_check(key, values))
    family, negated = _OPERATORS[base]
    check = _check(
        family,
        key,
        values,
        qualifier=qualifier,
        negated=negated,
        if_exists=if_exists,
        variables=variables and _FAMILIES[family].variables,
    )
    return Condition(operator_name, key, values, check=check)
