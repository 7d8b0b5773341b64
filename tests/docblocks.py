"""The examples in a Markdown page (README.md, the pages of docs/): fenced blocks, console examples
(``$ command`` then its output) and how to run them, shared by tests/test_readme.py and
tests/test_docs.py so every page is checked the same way."""

from __future__ import annotations

import doctest
import os
import re
import subprocess
import sys
from pathlib import Path

from conftest import REAL_DATA, REPO

DOCS = REPO / "docs"


def blocks(text: str, language: str) -> list[str]:
    """The body of every fenced block of ``language`` in ``text``."""
    return re.findall(rf"^```{language}\n(.*?)^```", text, flags=re.S | re.M)


def console_examples(text: str) -> list[tuple[str, str]]:
    """Every ``$ command`` of the ``console`` blocks of ``text`` with the output the page gives it."""
    examples = []
    for block in blocks(text, "console"):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            examples.append((command, output))
    return examples


def needs_real_data(command: str) -> bool:
    """True if the command reads the publishers' exports beside the repository and they are absent."""
    return "../shared/" in command and not REAL_DATA.is_dir()


def run_console(command: str) -> tuple[list[str], str]:
    """Run ``command`` with bash from the repository root, as a reader would: its stdout lines (trailing
    spaces dropped) and its stderr. The installed ``rightsband`` is the one next to this Python."""
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}", "COLUMNS": "80"}
    env.pop("RIGHTSBAND_BANDS", None)
    result = subprocess.run(["bash", "-c", command], capture_output=True, text=True, cwd=REPO, env=env)
    return [line.rstrip() for line in result.stdout.splitlines()], result.stderr


def run_pycon(text: str, name: str) -> doctest.TestResults:
    """Run every ``pycon`` block of ``text`` as one doctest session from the repository root; the
    failures are reported through ``report``."""
    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    test = parser.get_doctest("\n".join(blocks(text, "pycon")), {}, f"{name} pycon blocks", name, 0)
    failures: list[str] = []
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        runner.run(test, out=failures.append)
    finally:
        os.chdir(cwd)
    assert not failures, "".join(failures)
    return runner.summarize(verbose=False)


def pages() -> list[Path]:
    """Every Markdown page of the documentation, generated catalogue pages aside."""
    return sorted(p for p in DOCS.rglob("*.md") if not {"_build", "catalogue"} & set(p.relative_to(DOCS).parts))
