"""Policy variables (STS_REFERENCE §6.6): ``${key}``, ``${key, 'default'}``, ``${*}``, ``${?}``,
``${$}``, substituted per request into Resource elements and String/ARN condition values."""

from __future__ import annotations

import re
from dataclasses import dataclass

from mock_sts._policy._glob import Parts
from mock_sts._policy._model import ConditionKeys

_REFERENCE = re.compile(r"\$\{([^}]*)\}")
_VARIABLE = re.compile(r"\s*([^\s,'{}$]+)\s*(?:,\s*'([^']*)'\s*)?")
_ESCAPES = frozenset("*?$")


@dataclass(frozen=True)
class Variable:
    key: str  # lower-cased: context keys are case-insensitive
    default: str | None


# Pieces of a value: text as written (its * and ? are wildcards where the consumer has any)
# or a variable. Escapes become literal text, flagged False like a substituted value.
Template = tuple["tuple[str, bool] | Variable", ...]


def parse_template(text: str) -> Template | None:
    """The pieces of ``text``, or None when it holds no variable or escape (the common case).

    A ``${...}`` that is neither a key, a key with a quoted default, nor an escape stays
    literal text: AWS documents no error for it [U].
    """
    if "${" not in text:
        return None
    pieces: list[tuple[str, bool] | Variable] = []
    found = False
    position = 0
    for reference in _REFERENCE.finditer(text):
        body = reference.group(1)
        variable = _VARIABLE.fullmatch(body)
        if body in _ESCAPES:
            piece: tuple[str, bool] | Variable = (body, False)
        elif variable:
            piece = Variable(variable.group(1).lower(), variable.group(2))
        else:
            continue
        found = True
        pieces.append((text[position : reference.start()], True))
        pieces.append(piece)
        position = reference.end()
    if not found:
        return None
    pieces.append((text[position:], True))
    return tuple(pieces)


def variable_keys(text: str) -> tuple[str, ...]:
    """The condition keys the variables of ``text`` read, as written (``${aws:username}``
    reads ``aws:username``); escapes and defaults aside."""
    keys = []
    for reference in _REFERENCE.finditer(text):
        variable = _VARIABLE.fullmatch(reference.group(1))
        if variable is not None and reference.group(1) not in _ESCAPES:
            keys.append(variable.group(1))
    return tuple(keys)


def resolve(template: Template, context: ConditionKeys) -> Parts | None:
    """``template`` with its variables' values, or None if a variable has no value.

    Multivalued keys cannot be variables, so they count as absent. Values and defaults are
    literal: a ``*`` in a tag value is no wildcard.
    """
    parts: list[tuple[str, bool]] = []
    for piece in template:
        if isinstance(piece, Variable):
            value = context.get(piece.key)
            if not isinstance(value, str):
                if piece.default is None:
                    return None
                value = piece.default
            parts.append((value, False))
        else:
            parts.append(piece)
    return tuple(parts)
