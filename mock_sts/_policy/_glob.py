"""Wildcard patterns (``*`` any run, ``?`` one character) compiled once into linear matchers.

A pattern arrives as pieces of text, each flagged: in a wildcard piece ``*`` and ``?`` are
wildcards, in a literal piece every character stands for itself (a substituted policy
variable, a ``${*}`` escape). Most patterns compile to a string method (equality, prefix,
suffix); the rest to a regular expression that cannot backtrack more than linearly.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Iterable

Parts = tuple[tuple[str, bool], ...]
Matcher = Callable[[str], object]  # truthy when the whole string matches

_ONE = None  # a "?" inside a segment


def _anything(_: str) -> bool:
    return True


def pattern(text: str) -> Parts:
    """A pattern written in a policy: every ``*`` and ``?`` is a wildcard."""
    return ((text, True),)


def literal(parts: Parts) -> str | None:
    """The one string ``parts`` matches, or None if it contains a wildcard."""
    if any(wild and ("*" in text or "?" in text) for text, wild in parts):
        return None
    return "".join(text for text, _ in parts)


@functools.lru_cache(maxsize=4096)
def compile_parts(parts: Parts) -> Matcher:
    """A matcher for the whole-string pattern ``parts``."""
    segments = _segments(parts)
    if all(_ONE not in segment for segment in segments):
        texts = ["".join(piece for piece in segment if piece is not None) for segment in segments]
        return _string_matcher(texts)
    return _regex(segments).match


def _segments(parts: Parts) -> list[list[str | None]]:
    """The pattern cut at its stars; a segment holds text runs and ``_ONE`` markers."""
    segments: list[list[str | None]] = [[]]
    for text, wild in parts:
        if not wild:
            segments[-1].append(text)
            continue
        for piece in re.split(r"([*?])", text):
            if piece == "*":
                segments.append([])
            elif piece == "?":
                segments[-1].append(_ONE)
            else:
                segments[-1].append(piece)
    # Consecutive stars are one star: drop the empty segments between them.
    middle = [segment for segment in segments[1:-1] if any(p != "" for p in segment)]
    return [segments[0], *middle, segments[-1]] if len(segments) > 1 else segments


def _string_matcher(texts: list[str]) -> Matcher:
    if len(texts) == 1:
        return texts[0].__eq__
    if len(texts) == 2:
        head, tail = texts
        if not tail:
            return operator.methodcaller("startswith", head) if head else _anything
        if not head:
            return operator.methodcaller("endswith", tail)
        least = len(head) + len(tail)
        return lambda s: len(s) >= least and s.startswith(head) and s.endswith(tail)
    return _regex([[text] for text in texts]).match


def _regex(segments: list[list[str | None]]) -> re.Pattern[str]:
    """An expression with the greedy-leftmost semantics of a glob, in linear time.

    Leftmost placement of each middle segment is always right for a glob (it leaves the
    longest rest for the segments after it), so each one is found by a lazy scan inside a
    lookahead and then consumed by a back-reference. Python's lookarounds are atomic: a
    later failure never retries a middle segment at another place, so the engine cannot
    backtrack through combinations of stars (``*a*a*a*b`` against ``aaaa…`` stays linear).
    """
    source = _fragment(segments[0])
    if len(segments) == 1:
        return re.compile(source + r"\Z", re.DOTALL)
    for index, segment in enumerate(segments[1:-1]):
        source += f"(?=(?P<s{index}>.*?{_fragment(segment)}))(?P=s{index})"
    last = _fragment(segments[-1])
    if last:
        source += f".*{last}\\Z"
    return re.compile(source, re.DOTALL)


def _fragment(segment: list[str | None]) -> str:
    return "".join("." if piece is _ONE else re.escape(piece) for piece in segment)


def any_of(patterns: Iterable[Parts]) -> Callable[[str], bool]:
    """Several patterns matched as one: exact ones by a set lookup, the rest in turn."""
    exact: set[str] = set()
    matchers: list[Matcher] = []
    for parts in patterns:
        text = literal(parts)
        if text is None:
            matchers.append(compile_parts(parts))
        else:
            exact.add(text)
    exact_set = frozenset(exact)
    if not matchers:
        return exact_set.__contains__
    if len(matchers) == 1 and not exact_set:
        only = matchers[0]
        return lambda value: bool(only(value))
    return lambda value: value in exact_set or _any_match(matchers, value)


def _any_match(matchers: list[Matcher], value: str) -> bool:
    # A loop: any() over a generator costs more than the matchers themselves.
    for match in matchers:  # noqa: SIM110
        if match(value):
            return True
    return False
