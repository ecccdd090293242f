"""Properties of the policy engine that must hold for every document and request."""

from __future__ import annotations

import functools
import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mock_sts._policy import PolicyKind, Request, _document, parse_policy
from mock_sts._policy._glob import compile_parts, pattern
from tests.helpers.policy import BUCKET, holds, identity_policy, policy_json, policy_statement, run

# Actions from a small alphabet so that patterns and requests often meet.
names = st.text(alphabet="abAB", min_size=1, max_size=4)
action_patterns = st.one_of(
    st.just("*"),
    st.builds(
        lambda service, name: f"{service}:{name}",
        st.sampled_from(["s3", "ec2", "S3"]),
        st.text(alphabet="abAB*?", min_size=1, max_size=5),
    ),
)
actions = st.builds(
    lambda service, name: f"{service}:{name}", st.sampled_from(["s3", "ec2", "S3"]), names
)
condition_values = st.one_of(
    st.sampled_from(
        [
            "a",
            "b*",
            "10",
            "-2.5",
            "2020-01-01T00:00:00Z",
            "1577836800",
            "10.0.0.0/8",
            "10.1.2.3",
            "::1",
            "true",
            "QmluYXJ5",
            "arn:aws:iam::111111111111:role/*",
            "arn:aws:iam::111111111111:role/x",
            "",
        ]
    ),
    st.text(alphabet="ab*?:0123456789./-T", max_size=12),
)
request_values = condition_values.filter(lambda value: "*" not in value and "?" not in value)
# Dates as IAM's legacy parser reads them (STS_REFERENCE §13.4), some naming no moment: a
# date operator's values are refused at parsing otherwise.
date_values = st.one_of(
    st.sampled_from(
        ["2020-01-01T00:00:00Z", "1577836800", "2020-02-30", "01T", "-292275054", "2020"]
    ),
    st.integers(min_value=0, max_value=2**63 - 1).map(str),
)


def values_for(operator: str, max_size: int | None = None) -> st.SearchStrategy[list[str]]:
    """Policy values ``operator`` takes."""
    values = date_values if operator.startswith("Date") else condition_values
    return st.lists(values, min_size=1, max_size=max_size)


def with_values(operators: list[str]) -> st.SearchStrategy[tuple[str, list[str]]]:
    """An operator and policy values it takes."""
    return st.sampled_from(operators).flatmap(
        lambda operator: st.tuples(st.just(operator), values_for(operator))
    )


POSITIVE_NEGATED = [
    ("StringEquals", "StringNotEquals"),
    ("StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase"),
    ("StringLike", "StringNotLike"),
    ("NumericEquals", "NumericNotEquals"),
    ("DateEquals", "DateNotEquals"),
    ("IpAddress", "NotIpAddress"),
    ("ArnLike", "ArnNotLike"),
    ("ArnEquals", "ArnNotEquals"),
]
OPERATORS = [
    *(name for pair in POSITIVE_NEGATED for name in pair),
    "NumericLessThan",
    "NumericLessThanEquals",
    "NumericGreaterThan",
    "NumericGreaterThanEquals",
    "DateLessThan",
    "DateLessThanEquals",
    "DateGreaterThan",
    "DateGreaterThanEquals",
    "Bool",
    "BinaryEquals",
]
statements = st.fixed_dictionaries(
    {
        "Effect": st.sampled_from(["Allow", "Deny"]),
        "Action": st.lists(action_patterns, min_size=1, max_size=3),
        "Resource": st.just("*"),
    }
)


@given(
    body=st.lists(statements, max_size=6),
    position=st.integers(min_value=0, max_value=6),
    action=actions,
)
def test_an_explicit_deny_always_wins(
    body: list[dict[str, Any]], position: int, action: str
) -> None:
    denying = policy_statement("Deny", Action=action.swapcase())
    policy = identity_policy(*body[:position], denying, *body[position:])
    result = run(policy, action)
    assert result.denied
    assert not (result.allowed and not result.denied)
    without = run(identity_policy(*body), action) if body else None
    assert without is None or result.allowed == without.allowed


@given(body=st.lists(statements, min_size=1, max_size=6), name=names)
def test_a_policy_with_no_applicable_statement_neither_allows_nor_denies(
    body: list[dict[str, Any]], name: str
) -> None:
    # No pattern names this service, and "*" is kept out.
    for item in body:
        item["Action"] = [a for a in item["Action"] if a != "*"] or ["s3:x"]
    result = run(identity_policy(*body), f"iam:{name}")
    assert (result.allowed, result.denied, result.match, result.statements) == (
        False,
        False,
        None,
        (),
    )


@given(case=with_values(OPERATORS))
def test_if_exists_with_an_absent_key_is_true(case: tuple[str, list[str]]) -> None:
    operator, values = case
    assert holds(operator + "IfExists", "aws:Key", values, {})
    assert holds(operator + "IfExists", "aws:Key", values, {"aws:Key": []})


@given(case=with_values(OPERATORS), if_exists=st.booleans())
def test_for_all_values_of_an_absent_key_is_true_and_for_any_value_false(
    case: tuple[str, list[str]], if_exists: bool
) -> None:
    operator, values = case
    suffix = "IfExists" if if_exists else ""
    contexts: tuple[dict[str, Any], ...] = ({}, {"aws:Key": []}, {"aws:Other": "x"})
    for context in contexts:
        assert holds(f"ForAllValues:{operator}{suffix}", "aws:Key", values, context)
        # IfExists makes an absent key true for ForAnyValue too.
        assert holds(f"ForAnyValue:{operator}{suffix}", "aws:Key", values, context) is if_exists


@given(
    case=st.sampled_from(POSITIVE_NEGATED).flatmap(
        lambda pair: st.tuples(st.just(pair), values_for(pair[0], 3))
    ),
    value=request_values,
    suffix=st.sampled_from(["", "IfExists"]),
    qualifier=st.sampled_from(["", "ForAllValues:", "ForAnyValue:"]),
)
def test_negated_operators_complement_their_positive_forms(
    case: tuple[tuple[str, str], list[str]], value: str, suffix: str, qualifier: str
) -> None:
    pair, values = case
    positive, negated = (qualifier + name + suffix for name in pair)
    context = {"aws:Key": value}
    assert holds(negated, "aws:Key", values, context) is not holds(
        positive, "aws:Key", values, context
    )


@given(name=st.text(alphabet="abcdefghXYZ", min_size=1, max_size=8), flips=st.integers())
def test_action_matching_ignores_case(name: str, flips: int) -> None:
    def scramble(text: str, seed: int) -> str:
        return "".join(c.swapcase() if (seed >> i) & 1 else c for i, c in enumerate(text))

    written = scramble(f"sts:{name}", flips)
    requested = scramble(f"sts:{name}", flips >> 3)
    assert run(identity_policy(policy_statement(Action=written)), requested).allowed
    assert run(identity_policy(policy_statement(Action=written[:-1] + "*")), requested).allowed


@given(
    body=st.lists(statements, min_size=1, max_size=4),
    action=actions,
    username=st.text(alphabet="ab", max_size=3),
)
def test_evaluation_is_deterministic_and_parsing_cached(
    body: list[dict[str, Any]], action: str, username: str
) -> None:
    for item in body:
        item["Resource"] = ["arn:aws:s3:::bucket/${aws:username}*", "arn:aws:s3:::other"]
        item["Condition"] = {"StringLike": {"aws:username": "${aws:username}"}}
    text = policy_json(*body)
    policy = parse_policy(text, PolicyKind.IDENTITY)
    assert parse_policy(text, PolicyKind.IDENTITY) is policy
    _document._parse.cache_clear()
    again = parse_policy(text, PolicyKind.IDENTITY)
    assert again == policy
    assert hash(again) == hash(policy)
    assert again is not policy
    # The same document formatted otherwise: another text, the same decisions.
    fresh = parse_policy(json.dumps(json.loads(text), indent=2), PolicyKind.IDENTITY)
    request = Request(action, BUCKET, None, {"aws:username": username})
    first = policy.evaluate(request)
    assert policy.evaluate(request) == first
    assert fresh.evaluate(Request(action, BUCKET, None, {"aws:username": username})) == first


def _reference_glob(written: str, text: str) -> bool:
    """Textbook dynamic programming over (pattern position, text position)."""

    @functools.cache
    def match(i: int, j: int) -> bool:
        if i == len(written):
            return j == len(text)
        if written[i] == "*":
            return match(i + 1, j) or (j < len(text) and match(i, j + 1))
        if j < len(text) and written[i] in ("?", text[j]):
            return match(i + 1, j + 1)
        return False

    return match(0, 0)


@given(
    written=st.text(alphabet="ab*?.", max_size=10),
    text=st.text(alphabet="ab.\n", max_size=12),
)
def test_wildcard_matching_agrees_with_a_reference_matcher(written: str, text: str) -> None:
    assert bool(compile_parts(pattern(written))(text)) is _reference_glob(written, text)
