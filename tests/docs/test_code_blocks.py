"""Every code block of README.md and docs/*.md, as a reader would use it: a Python block that
defines tests runs under pytest with the plugin, as a suite of the reader's would; any other
Python block runs as a script; the README's set-up commands are the ones CI runs; the links
between the documents lead to a file and a heading that exist."""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).parents[2]
DOCUMENTS = (ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")))
# A block says what it holds: Python runs here, shell is documentation (the set-up commands
# and the AWS CLI example are tested as CI and the server's tests run them), text is not code.
LANGUAGES = {"python", "bash", "text"}
FENCE = re.compile(r"^```(?P<language>\S*)\n(?P<source>.*?)^```$", re.MULTILINE | re.DOTALL)
SET_UP_HEADING = "## Running the examples and the tests from a checkout"
CONFTEST = "# conftest.py\n"
# What a documented conftest.py is for: a module that makes its client at import, imported by a
# test module before any mock starts, served inside the mock.
IMPORTED_AT_COLLECTION = """
import boto3

sts = boto3.client("sts")


def test_a_client_made_at_import_is_served(sts_mock):
    assert sts.get_caller_identity()["Arn"] == "arn:aws:iam::123456789012:user/admin"
"""


@dataclass(frozen=True)
class Block:
    document: Path
    line: int
    language: str
    source: str

    @property
    def name(self) -> str:
        return f"{self.document.relative_to(ROOT)}:{self.line}"


def blocks_of(document: Path) -> list[Block]:
    text = document.read_text(encoding="utf-8")
    return [
        Block(
            document,
            text.count("\n", 0, match.start()) + 1,
            match["language"],
            match["source"],
        )
        for match in FENCE.finditer(text)
    ]


BLOCKS = [block for document in DOCUMENTS for block in blocks_of(document)]
PYTHON = [block for block in BLOCKS if block.language == "python"]


def count_tests(source: str) -> int:
    """How many tests pytest collects from ``source``: its ``test_*`` functions and the
    ``test_*`` methods of its ``Test*`` classes."""
    count = 0
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            count += 1
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            count += sum(
                isinstance(member, ast.FunctionDef) and member.name.startswith("test")
                for member in node.body
            )
    return count


def test_the_documents_have_code_blocks() -> None:
    assert {block.document for block in PYTHON} >= {ROOT / "README.md"}
    assert len(PYTHON) >= 10


@pytest.mark.parametrize("block", BLOCKS, ids=lambda block: block.name)
def test_every_block_says_what_it_holds(block: Block) -> None:
    assert block.language in LANGUAGES, (
        f"{block.name}: a fenced block needs one of the languages {sorted(LANGUAGES)}, "
        f"got {block.language!r}"
    )


@pytest.mark.slow
@pytest.mark.parametrize("block", PYTHON, ids=lambda block: block.name)
def test_python_block_runs(block: Block, pytester: pytest.Pytester) -> None:
    with mock.patch.dict(os.environ):  # what a block sets (a conftest.py too) stays in it
        run(block, pytester)


def run(block: Block, pytester: pytest.Pytester) -> None:
    source = block.source
    tests = count_tests(source)
    if source.startswith(CONFTEST):
        pytester.makeconftest(source)
        pytester.makepyfile(test_made_at_import=IMPORTED_AT_COLLECTION)
        result = pytester.runpytest_inprocess("-W", "error", "-p", "no:benchmark")
        result.assert_outcomes(passed=1)
    elif tests:
        pytester.makepyfile(**{f"test_block_{block.line}": source})
        result = pytester.runpytest_inprocess("-W", "error", "-p", "no:benchmark")
        result.assert_outcomes(passed=tests)
    else:
        exec(compile(source, block.name, "exec"), {"__name__": "__main__"})


def test_the_set_up_commands_are_the_ones_ci_runs() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split(SET_UP_HEADING + "\n", 1)[1]
    first = next(match for match in FENCE.finditer(section) if match["language"] == "bash")
    commands = first["source"].splitlines()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert len(commands) == 2
    for command in commands:
        assert f"{command} || exit 1" in ci, command
    # Near the top: before the quickstart.
    assert readme.index(SET_UP_HEADING) < readme.index("## Quickstart")


LINK = re.compile(r"\[[^\]]*\]\((?P<target>[^)\s]+)\)")
HEADING = re.compile(r"^#+ (?P<title>.+)$", re.MULTILINE)


def anchors_of(document: Path) -> set[str]:
    """The anchors GitHub gives the headings of ``document``."""
    text = FENCE.sub("", document.read_text(encoding="utf-8"))
    return {
        re.sub(r"[^\w\- ]", "", match["title"].lower()).replace(" ", "-")
        for match in HEADING.finditer(text)
    }


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda document: document.name)
def test_links_between_the_documents_lead_somewhere(document: Path) -> None:
    text = FENCE.sub("", document.read_text(encoding="utf-8"))
    for match in LINK.finditer(text):
        target = match["target"]
        if target.startswith(("http://", "https://")):
            continue
        path, _, anchor = target.partition("#")
        linked = (document.parent / path).resolve() if path else document
        assert linked.exists(), f"{document.name}: {target}"
        if anchor:
            assert anchor in anchors_of(linked), f"{document.name}: {target}"
