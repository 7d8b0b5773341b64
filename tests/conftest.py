"""Shared fixtures: the built-in rules, a CLI runner, paths to the repo and the real data."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from pathlib import Path

# The batch engine forks its scanning helper only in a single-threaded process; NumPy's
# BLAS thread pool (never used here) would be a second thread. Set before NumPy loads.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
# pyarrow (which pandas uses for text) starts jemalloc's background thread on import unless told not to;
# with it, this process could not fork label's helper, and the tests of that path would not run.
os.environ.setdefault("JE_ARROW_MALLOC_CONF", "background_thread:false")

import pytest  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from rightsband import load_rules  # noqa: E402
from rightsband.batch import prefetch  # noqa: E402
from rightsband.cli import cli  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
REAL_DATA = REPO.parent / "shared" / "data" / "real"


def command() -> list[str]:
    """How to run the installed command in a subprocess (the console script next to this Python)."""
    script = shutil.which("rightsband", path=str(Path(sys.executable).parent))
    return [script] if script else [sys.executable, "-m", "rightsband"]


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Keep the parsed-rules cache of every test run (and its subprocesses) out of the user's home."""
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(params=["helper", "in line"])
def engine(request, monkeypatch):
    """Run a batch test both ways: blocks made by the forked helper process, and in line."""
    if request.param == "in line":
        monkeypatch.setattr(prefetch, "_single_threaded", lambda: False)
    elif not prefetch._single_threaded():
        pytest.fail("this test process has threads, so the helper process would not be used")
    return request.param


@pytest.fixture(scope="session")
def rules():
    return load_rules()


@pytest.fixture()
def run():
    """Invoke the CLI in-process; stdout and stderr are kept apart."""
    runner = CliRunner()

    def invoke(*args: str, input: str | None = None, env: dict[str, str] | None = None):
        return runner.invoke(cli, list(args), input=input, env=env, catch_exceptions=False, prog_name="rightsband")

    return invoke


@pytest.fixture()
def write_rules(tmp_path):
    """Write a rules file and return its path."""

    def write(text: str, name: str = "rules.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def set_toml(id: str = "t", bands=(("good", 0, 50), ("bad", 50, 100)), *, direction: str = "lower-is-better",
             scale: str = "min = 0, max = 100", unit: str = "score", extra: str = "") -> str:
    """A rules-file [[set]] for tests. The header takes lines 1-8, then ``extra``; each band is
    ``(label, lower, upper[, raw TOML lines])`` with None leaving a bound out."""
    text = (f'[[set]]\nid = "{id}"\nname = "Test set"\npublisher = "Test"\n'
            f'source = {{ citation = "A test", url = "https://example.org" }}\nscale = {{ {scale} }}\n'
            f'unit = "{unit}"\ndirection = "{direction}"\n{extra}')
    for label, lower, upper, *tail in bands:
        text += f'\n[[set.band]]\nlabel = "{label}"\n'
        bounds = (("lower", lower), ("upper", upper))
        text += "".join(f"{key} = {value}\n" for key, value in bounds if value is not None)
        text += "".join(line + "\n" for line in tail)
    return text


@functools.cache
def _rsf():
    return load_rules().get("rsf")


def rsf_label(text: str) -> str:
    """The label ``rsf`` gives a cell, "" for a missing or bad one: the reference the label tests compare with."""
    from rightsband import ValueProblem

    try:
        result = _rsf().classify(text)
    except ValueProblem:
        return ""
    return "" if result is None else result.label


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``threads`` (polars starts threads on import) run last: after them, this
    process could not fork label's scanning helper, whose tests would then fail."""
    items.sort(key=lambda item: item.get_closest_marker("threads") is not None)  # stable: order kept otherwise


#: How the browser tests start Debian's Chromium (as root, offline: no background connections).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
#: The narrow phone width every page must read at without sideways scrolling.
PHONE_WIDTH = 360


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium driven by Playwright (skips where either is missing): the scorecard and docs pages."""
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium")
    if executable is None:
        pytest.skip("no chromium on PATH (Debian: apt-get install chromium)")
    playwright = sync_api.sync_playwright().start()
    try:
        try:
            launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        except Exception as error:
            pytest.skip(f"chromium did not start: {str(error).splitlines()[0]}")
        yield launched
        launched.close()
    finally:
        playwright.stop()
