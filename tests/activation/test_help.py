"""``help()`` of the entry points tells the options and their defaults: ``mock_sts`` is
declared with ``**options`` (for its bare decorator form), so its docstring must."""

from __future__ import annotations

import inspect
import pydoc

import pytest

import mock_sts
from mock_sts import MockSTS

OPTIONS = [
    parameter
    for parameter in inspect.signature(MockSTS).parameters.values()
    if parameter.kind is inspect.Parameter.KEYWORD_ONLY
]


def written(default: object) -> str:
    """A default as the docstring writes it: strings in double quotes."""
    return f'"{default}"' if isinstance(default, str) else repr(default)


def test_every_option_is_one_of_the_handle() -> None:
    assert [option.name for option in OPTIONS] == [
        "account_id",
        "region",
        "strict",
        "set_env",
        "enforce",
    ]


@pytest.mark.parametrize("option", OPTIONS, ids=lambda option: option.name)
def test_help_of_mock_sts_lists_the_option_and_its_default(option: inspect.Parameter) -> None:
    text = pydoc.plain(pydoc.render_doc(mock_sts.mock_sts))
    line = f"    {option.name}={written(option.default)}\n"
    assert line in text
    # and says what it does, on the lines below it
    assert text.split(line, 1)[1].startswith("        ")
