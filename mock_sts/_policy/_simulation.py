"""What AWS's policy simulator reports of a document besides its decision: where each
statement sits in the text, and which condition keys the statements read.

Positions follow AWS's answers [O] (AWS CLI examples simulate-custom-policy and
simulate-principal-policy; published outputs of SimulateCustomPolicy with a bucket policy
of two statements, ScottLogic blog "Automated IAM policy simulator testing", 2025): lines
and columns count from 1; a statement ends just after its closing brace; it starts where
the one before it ended, the first one just after the ``[`` of the Statement list, and a
Statement that is a single object just after its own opening brace. (AWS's parser reports
the place it had read up to before the statement: ``{"Version":"2012-10-17","Statement":[{``
starts at column 38, and a second statement at the first one's end.)
"""

from __future__ import annotations

import functools
import json

from mock_sts._policy._document import Policy, Statement
from mock_sts._policy._validate import CURRENT_VERSION
from mock_sts._policy._variables import variable_keys

Position = tuple[int, int]  # (line, column), both from 1
Span = tuple[Position, Position]

_DECODER = json.JSONDecoder()
_WHITESPACE = " \t\n\r"


@functools.lru_cache(maxsize=256)
def statement_spans(text: str) -> tuple[Span, ...]:
    """The span of each statement of ``text``, a document the engine has parsed (so it is
    one JSON object with a Statement member that is an object or a list of objects)."""
    index = _skip(text, 0) + 1  # past the document's "{"
    while True:
        index = _skip(text, index)
        name, index = _DECODER.raw_decode(text, index)
        index = _skip(text, _skip(text, index) + 1)  # past the ":"
        if name == "Statement":
            return _spans(text, index)
        _, index = _DECODER.raw_decode(text, index)
        index = _skip(text, index) + 1  # past the ","


def _spans(text: str, index: int) -> tuple[Span, ...]:
    if text[index] == "{":
        _, end = _DECODER.raw_decode(text, index)
        return ((_position(text, index + 1), _position(text, end)),)
    spans: list[Span] = []
    start = index = index + 1  # past the "["
    while True:
        index = _skip(text, index)
        if text[index] == "]":
            return tuple(spans)
        if text[index] == ",":
            index += 1
            continue
        _, end = _DECODER.raw_decode(text, index)
        spans.append((_position(text, start), _position(text, end)))
        start = index = end


def _skip(text: str, index: int) -> int:
    while text[index] in _WHITESPACE:
        index += 1
    return index


def _position(text: str, index: int) -> Position:
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def statement_keys(policy: Policy, statement: Statement) -> tuple[str, ...]:
    """The condition keys ``statement`` reads, in the order AWS lists them [O] (AWS CLI
    example get-context-keys-for-custom-policy: a variable of the Resource element before
    the keys of the Condition element), as written; variables count only where the
    document's Version substitutes them."""
    variables = policy.version == CURRENT_VERSION
    keys: list[str] = []
    for value in (*(statement.resource or ()), *(statement.not_resource or ())):
        keys += variable_keys(value) if variables else ()
    for condition in statement.condition:
        keys.append(condition.key)
        for value in condition.values:
            keys += variable_keys(value) if variables else ()
    return tuple(keys)


def context_keys(policies: tuple[Policy, ...]) -> tuple[str, ...]:
    """Every condition key ``policies`` read, each once (the first spelling of keys that
    differ only in case, as condition keys are case-insensitive [U])."""
    seen: dict[str, str] = {}
    for policy in policies:
        for statement in policy.statements:
            for key in statement_keys(policy, statement):
                seen.setdefault(key.lower(), key)
    return tuple(seen.values())
