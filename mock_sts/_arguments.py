"""What the handle is given, checked before it is used: an argument of the wrong type or
shape is a ``TypeError``, a wrong value a ``ValueError``, each saying what arrived and what to
write instead (a misspelt option names the option meant)."""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Mapping, Sequence, Set
from typing import Any

from mock_sts import _ids

# What a handle's policy document looks like, for the messages.
DOCUMENT_EXAMPLE = '{"Version": "2012-10-17", "Statement": [...]}'


def shown(value: object) -> str:
    """What arrived, for a message: a plain value as written, else its type too; a long one
    cut short."""
    text = repr(value)
    if len(text) > 80:
        text = text[:76] + " ..."
    if value is None or isinstance(value, (str, int, float)):
        return text
    return f"a {type(value).__name__} ({text})"


def of_type(name: str, value: Any, types: type | tuple[type, ...], wanted: str) -> Any:
    """``value`` when it is one of ``types``, else a TypeError: ``name`` must be ``wanted``."""
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in _all(types)):
        raise TypeError(f"{name} must be {wanted}, got {shown(value)}.")
    return value


def _all(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


def text(name: str, value: Any) -> str:
    """A string argument."""
    result: str = of_type(name, value, str, "a string")
    return result


def optional_text(name: str, value: Any) -> str | None:
    """A string argument that may be None."""
    result: str | None = of_type(name, value, (str, type(None)), "a string or None")
    return result


def flag(name: str, value: Any) -> bool:
    """True or False (not a truthy value: ``strict="no"`` would mean yes)."""
    result: bool = of_type(name, value, bool, "True or False")
    return result


def seconds(name: str, value: Any) -> int:
    """A whole number of seconds."""
    result: int = of_type(name, value, int, f"a whole number of seconds, e.g. {name}=3600")
    return result


def moment(name: str, value: Any) -> dt.datetime | None:
    """A time: a datetime, or None for now."""
    result: dt.datetime | None = of_type(
        name, value, (dt.datetime, type(None)), "a datetime, or None for now"
    )
    return result


def account_id(value: Any, name: str = "account_id", *, optional: bool = True) -> str | None:
    """An account id (12 digits, as a string), or, ``optional``, None for the mock's own
    account."""
    if (value is not None or not optional) and not (
        isinstance(value, str) and _ids.ACCOUNT_ID_RE.fullmatch(value)
    ):
        # An id written as a number: its leading zeros, if it had any, are lost.
        written = type(value) is int and 10**9 <= value < 10**12
        hint = f" (quote it: {name}='{value:012d}')" if written else ""
        raise ValueError(f"{name} must be a string of 12 digits, got {value!r}{hint}.")
    result: str | None = value
    return result


def region(value: Any) -> str:
    """An AWS region's name."""
    if not isinstance(value, str) or _ids.partition_of(value) is None:
        raise ValueError(
            f"region must be an AWS region name such as 'us-east-1' or 'eu-west-1', got {value!r}."
        )
    return value


def strings(name: str, value: Any) -> tuple[str, ...]:
    """A sequence (or set) of strings: not one string, which would be its characters."""
    if isinstance(value, str):
        raise TypeError(f"{name} must be a sequence of strings, such as [{value!r}], not a string.")
    if not isinstance(value, (Sequence, Set)) or isinstance(value, bytes):
        raise TypeError(
            f"{name} must be a sequence of strings, such as ['...'], got {shown(value)}."
        )
    for item in value:
        text(f"each of {name}", item)
    return tuple(value)


def account_ids(name: str, value: Any) -> tuple[str, ...]:
    """A sequence of account ids."""
    ids = strings(name, value)
    for item in ids:
        account_id(item, f"each of {name}")
    return ids


def document(name: str, value: Any) -> Mapping[str, Any] | str:
    """A policy document: a mapping, or its JSON text."""
    result: Mapping[str, Any] | str = of_type(
        name,
        value,
        (Mapping, str),
        f"a policy document, a dict such as {DOCUMENT_EXAMPLE} or its JSON text",
    )
    return result


def policies(value: Any, name: str = "policies") -> Mapping[str, Mapping[str, Any] | str]:
    """Inline policies: their names mapped to their documents."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(
            f"{name} must map inline policy names to documents, e.g. "
            f'{{"s3-read": {DOCUMENT_EXAMPLE}}}; got {shown(value)}.'
        )
    for policy_name, policy in value.items():
        text(f"each name in {name}", policy_name)
        document(f"{name}[{policy_name!r}]", policy)
    return value


def texts(name: str, value: Any, example: str) -> Mapping[str, str]:
    """Strings mapped to strings, such as ``example``."""
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
        isinstance(key, str) and isinstance(item, str) for key, item in value.items()
    ):
        raise TypeError(f"{name} must map strings to strings, e.g. {example}, got {shown(value)}.")
    return value


def tags(value: Any) -> Mapping[str, str]:
    """Tags: keys mapped to values, both strings."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        suggestion = _pairs(value)
        instead = f": write tags={suggestion!r}" if suggestion else ""
        raise TypeError(
            f'tags must map tag keys to values, e.g. {{"team": "data"}}, got {shown(value)}'
            f"{instead}."
        )
    for key, tag in value.items():
        if not (isinstance(key, str) and isinstance(tag, str)):
            raise TypeError(
                f"tags must map string keys to string values, got {key!r}: {tag!r}: "
                f"write {str(key)!r}: {str(tag)!r}."
            )
    return value


def _pairs(value: Any) -> dict[str, str] | None:
    """The mapping a list of (key, value) pairs or of IAM's {"Key": ..., "Value": ...} means."""
    if not isinstance(value, (list, tuple)) or not value:
        return None
    if all(isinstance(item, Mapping) and set(item) == {"Key", "Value"} for item in value):
        return {item["Key"]: item["Value"] for item in value}
    if all(isinstance(item, (list, tuple)) and len(item) == 2 for item in value):
        return {key: tag for key, tag in value}
    return None


def context(value: Any) -> Mapping[str, str | Sequence[str]]:
    """Condition keys mapped to a value or a sequence of values."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise TypeError(
            'context must map condition keys to values, e.g. {"aws:SourceIp": "10.0.0.1"}, '
            f"got {shown(value)}."
        )
    for key, values in value.items():
        text("each key of context", key)
        if not isinstance(values, str):
            strings(f"context[{key!r}]", values)
    return value


def option_names(entry: str, given: Mapping[str, Any], defaults: Mapping[str, Any]) -> None:
    """Only known options: an unknown one is a TypeError naming the closest known option, and
    every option with its default."""
    unknown = [name for name in given if name not in defaults]
    if not unknown:
        return
    described = []
    for name in unknown:
        close = difflib.get_close_matches(name, defaults, n=1)
        described.append(f"{name!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    options = ", ".join(f"{name}={default!r}" for name, default in defaults.items())
    plural = "s" if len(unknown) > 1 else ""
    raise TypeError(
        f"{entry} got unknown option{plural} {', '.join(described)}; the options, with their "
        f"defaults, are {options}."
    )
