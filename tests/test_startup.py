"""How the command starts: the garbage collector paused while it imports, then start-up's objects frozen;
a caller in its own process keeps its collector as it was."""

from __future__ import annotations

import gc
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from rightsband.cli import cli

AFTER_MAIN = ("import gc, sys\nfrom rightsband.cli import main\nimport rightsband.cli as entry\n"
              "sys.argv = ['rightsband', *sys.argv[1:]]\n"
              "try:\n    main()\nexcept SystemExit as exit:\n    code = exit.code\n"
              "print(code, gc.isenabled(), gc.get_freeze_count() > 0, entry.starting, file=sys.stderr)\n")


def after_main(*args: str, env_cache: str) -> tuple[str, str]:
    result = subprocess.run([sys.executable, "-c", AFTER_MAIN, *args], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "XDG_CACHE_HOME": env_cache})
    return result.stdout, result.stderr.strip().splitlines()[-1]


@pytest.mark.parametrize(("args", "code"), [(("classify", "rsf", "53.46"), "0"), (("--version",), "0"),
                                            (("clasify",), "2"), (("classify", "nothing", "1"), "2")])
def test_the_collector_is_on_again_once_the_command_starts_or_none_will(tmp_path, args, code):
    """Whether the command ran, printed a version, or was refused: collecting, start-up's objects frozen."""
    stdout, state = after_main(*args, env_cache=str(tmp_path))
    assert state == f"{code} True True False"
    if args[0] == "classify" and code == "0":
        assert stdout == "Highly controlled, limited or intimidated\n"


def test_the_command_itself_runs_with_the_collector_on(tmp_path):
    code = ("import gc, sys\nimport rightsband.cli.classify as classify\nfrom rightsband.cli import main\n"
            "real = classify.load_rules_from\n"
            "def spy(*args, **kwargs):\n    print('collecting' if gc.isenabled() else 'paused', file=sys.stderr)\n"
            "    return real(*args, **kwargs)\n"
            "classify.load_rules_from = spy\nsys.argv = ['rightsband', 'classify', 'rsf', '53.46']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                            env={**os.environ, "XDG_CACHE_HOME": str(tmp_path)})
    assert result.stderr == "collecting\n" and result.stdout.startswith("Highly controlled")


@pytest.mark.parametrize("enabled", [True, False])
def test_a_caller_in_its_own_process_keeps_its_collector(enabled):
    frozen = gc.get_freeze_count()
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        result = CliRunner().invoke(cli, ["classify", "rsf", "53.46"])
        assert result.exit_code == 0 and result.output.startswith("Highly controlled")
        assert gc.isenabled() is enabled and gc.get_freeze_count() == frozen
    finally:
        (gc.enable if was else gc.disable)()
