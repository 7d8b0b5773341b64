"""Every example in the commands' help runs as written.

The "Examples:" block of ``rightsband --help`` and of each command's help is parsed;
each example runs with bash (``pipefail`` on) in a temporary directory holding a copy
of the repository's ``examples/`` folder, with the installed command first on PATH,
and must exit 0 with no traceback and no "Error:" on stderr. Examples that write to
``/tmp/...`` write into that directory instead, so a run leaves nothing behind.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import REPO, command
from rightsband.cli import cli
from rightsband.cli.app import COMMANDS as REGISTERED

COMMANDS = ("", *REGISTERED)  # the group's own help, then every command: a new one cannot be left out


def help_text(name: str) -> str:
    result = CliRunner().invoke(cli, [*name.split(), "--help"], prog_name="rightsband", catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def examples_of(text: str) -> list[str]:
    """The lines indented under an "Examples:" line, up to the first line indented no deeper (or blank)."""
    lines = text.splitlines()
    for number, line in enumerate(lines):
        if line.strip() == "Examples:":
            indent = len(line) - len(line.lstrip())
            found = []
            for example in lines[number + 1:]:
                if not example.strip() or len(example) - len(example.lstrip()) <= indent:
                    break
                found.append(example.strip())
            return found
    return []


EXAMPLES = {name: examples_of(help_text(name)) for name in COMMANDS}
ALL = [(name or "rightsband", example) for name in COMMANDS for example in EXAMPLES[name]]

@pytest.mark.parametrize("name", COMMANDS, ids=lambda name: name or "rightsband")
def test_every_help_has_examples(name):
    assert EXAMPLES[name], f"no Examples: block in `rightsband {name} --help`"
    assert all(example.startswith("rightsband ") or " rightsband " in example for example in EXAMPLES[name])


@pytest.mark.parametrize(("name", "example"), ALL)
def test_example_paths_exist(name, example):
    for path in re.findall(r"(?<![\w/.])examples/[\w./-]+", example):
        assert (REPO / path).exists(), f"{path}, named in `{name} --help`, is not in the repository"


def _path_dir(tmp: Path) -> str:
    """A directory whose ``rightsband`` is the command under test."""
    script = command()
    if len(script) == 1:
        return str(Path(script[0]).parent)
    folder = tmp / "bin"
    folder.mkdir()
    shim = folder / "rightsband"
    shim.write_text(f'#!/bin/sh\nexec {sys.executable} -m rightsband "$@"\n')
    shim.chmod(0o755)
    return str(folder)


def _run(example: str, workdir: Path, path_dir: str) -> subprocess.CompletedProcess:
    workdir.mkdir()
    shutil.copytree(REPO / "examples", workdir / "examples")
    script = example.replace("/tmp/", f"{workdir}/")
    env = {**os.environ, "PATH": path_dir + os.pathsep + os.environ.get("PATH", "")}
    env.pop("RIGHTSBAND_BANDS", None)
    return subprocess.run(["bash", "-o", "pipefail", "-c", script], cwd=workdir, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """Every example run once, four at a time."""
    root = tmp_path_factory.mktemp("help-examples")
    path_dir = _path_dir(root)
    unique = list(dict.fromkeys(example for _, example in ALL))
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = pool.map(lambda item: _run(item[1], root / f"run{item[0]}", path_dir), enumerate(unique))
        return dict(zip(unique, done))


@pytest.mark.parametrize(("name", "example"), ALL)
def test_example_runs(results, name, example):
    result = results[example]
    assert "Traceback" not in result.stderr, result.stderr
    assert "Error:" not in result.stderr, result.stderr
    assert result.returncode == 0, (result.stdout, result.stderr)
    if "--format json" in example:
        import json

        json.loads(result.stdout)
