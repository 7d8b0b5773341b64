"""The Dask example (examples/dask_band.py) gives exactly the plain pandas result, in worker processes.

All Dask work runs in one driver subprocess (one LocalCluster of 2 worker processes x 1
thread for the whole module), so this pytest process never holds a Client, its event-loop
thread or distributed's offload thread: the batch tests' forked helper needs a process with
one thread. The driver bands hostile frames (decimal commas as text, missing markers, bad
values, years 2013-2025, a shuffled index) in 4 or more partitions; the tests here compare
with :func:`rightsband.band` on the whole frame.
"""

from __future__ import annotations

import os
import pickle
import re
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("dask.dataframe")
pytest.importorskip("distributed")
psutil = pytest.importorskip("psutil")  # a dependency of distributed

from conftest import REPO  # noqa: E402
from rightsband import load_rules  # noqa: E402

EXAMPLES = REPO / "examples"
ROWS = 4_000
TIMEOUT = 300  # seconds for the driver; a loaded 2-core CI machine starts the cluster in 5-10 s

# The driver: the example's functions on one cluster. EXAMPLES goes on sys.path before the cluster
# starts, so the spawned workers import dask_band by name, as they would an installed module.
DRIVER = textwrap.dedent("""
    import contextlib, io, os, pickle, sys
    sys.path.insert(0, sys.argv[1])
    import dask.dataframe as dd
    import psutil
    import rightsband
    import dask_band

    def worker_state():
        me = psutil.Process()
        return me.pid, me.create_time(), "rightsband.frames" in sys.modules

    def main(cases_path, out_path, directory):
        with open(cases_path, "rb") as file:
            cases = pickle.load(file)
        rules = rightsband.load_rules()  # once, here; pickled into the tasks
        out = {"driver": os.getpid()}
        with dask_band.local_cluster(2, directory=directory) as client:
            for name, (frame, partitions, errors) in cases.items():
                ddf = dd.from_pandas(frame, npartitions=partitions, sort=False)
                try:
                    got = client.compute(dask_band.band_with_dask(ddf, rules, errors)).result()
                    out[name] = {"partitions": ddf.npartitions, "result": got}
                except Exception as error:
                    out[name] = {"partitions": ddf.npartitions, "error": type(error).__qualname__,
                                 "module": type(error).__module__, "message": str(error),
                                 "problems": [(label, issue.kind) for label, issue in getattr(error, "problems", [])]}
            out["workers"] = list(client.run(worker_state).values())
            stdout, stderr = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                out["main"] = dask_band.main(["--rows", "3000", "--partitions", "4"], client=client)
            out["main_output"] = (stdout.getvalue(), stderr.getvalue())
        out["children"] = [(p.pid, p.create_time(), " ".join(p.cmdline()))
                           for p in psutil.Process().children(recursive=True)]
        with open(out_path, "wb") as file:
            pickle.dump(out, file)

    if __name__ == "__main__":
        main(*sys.argv[2:])
""")

GOOD = ["0", "0,00", "100", "15", "15,00", "14.99", "14,99", "25", "40", "40,0", "55", "70", "85", "53,46", " 53.46 "]
MISSING = ["NA", "", "n/a", "..", "-", None]
BAD = ["abc", "101", "-5", "53,4,6", "1.2.3", "n.a"]


def hostile_frame(rows: int, *, bad: bool, seed: int = 11) -> pd.DataFrame:
    """A shuffled country-year panel: RSF scores as text with decimal commas, bounds, missing
    markers (and bad cells if ``bad``); PR and CL ratings (Int64 with gaps, 0 and 8 if ``bad``);
    years 2013-2025 (some missing if ``bad``)."""
    rng = np.random.default_rng(seed)
    values = np.round(rng.uniform(0, 100, rows), 2).astype(str).astype(object)
    values = np.where(rng.random(rows) < 0.4, np.char.replace(values.astype(str), ".", ","), values).astype(object)
    special, low = rng.random(rows), 0.0
    for high, pool in ((0.15, GOOD), (0.22, MISSING), *(((0.25, BAD),) if bad else ())):
        picked = np.flatnonzero((special >= low) & (special < high))
        values[picked] = [pool[n] for n in rng.integers(0, len(pool), len(picked))]
        low = high
    years = pd.array(rng.integers(2013, 2026, rows), dtype="Int64")
    ratings = {name: pd.array(rng.integers(1, 8, rows), dtype="Int64") for name in ("pr", "cl")}
    for column in ratings.values():
        column[rng.random(rows) < 0.03] = pd.NA
        if bad:
            column[rng.random(rows) < 0.005] = 8
            column[rng.random(rows) < 0.005] = 0
    if bad:
        years[rng.random(rows) < 0.005] = pd.NA
    index = pd.Index([f"c{n % 197:03d}-{n}" for n in rng.permutation(rows)], name="row")
    return pd.DataFrame({"year": years, "rsf_score": values.tolist(), **ratings}, index=index)


def as_floats(frame: pd.DataFrame) -> pd.DataFrame:
    """The same panel with the scores as float64 (decimal commas read, the rest NaN): the bisection path."""
    text = frame["rsf_score"].astype("object").where(frame["rsf_score"].notna(), None)
    floats = pd.to_numeric(text.map(lambda v: v.strip().replace(",", ".") if isinstance(v, str) else v),
                           errors="coerce").astype("float64")
    return frame.assign(rsf_score=floats)


HOSTILE = hostile_frame(ROWS, bad=True)
CASES: dict[str, tuple[pd.DataFrame, int, str]] = {
    "text, coerce": (HOSTILE, 5, "coerce"),
    "floats, coerce": (as_floats(HOSTILE), 4, "coerce"),
    "clean, raise": (hostile_frame(ROWS, bad=False, seed=12), 6, "raise"),
    "bad, raise": (HOSTILE, 4, "raise"),
}


@pytest.fixture(scope="module")
def example() -> Any:
    """examples/dask_band.py as a module (it is not a package)."""
    sys.path.insert(0, str(EXAMPLES))
    try:
        import dask_band
    finally:
        sys.path.remove(str(EXAMPLES))
    return dask_band


@pytest.fixture(scope="module")
def dask_run(tmp_path_factory) -> dict[str, Any]:
    """Every case of CASES banded by the example on one LocalCluster (2 worker processes), in a
    driver process of its own session; it and everything it started are gone when this returns."""
    tmp = tmp_path_factory.mktemp("dask")
    cases, out = tmp / "cases.pkl", tmp / "out.pkl"
    cases.write_bytes(pickle.dumps(CASES))
    driver = subprocess.Popen([sys.executable, "-c", DRIVER, str(EXAMPLES), str(cases), str(out), str(tmp / "work")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, stderr = driver.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(driver.pid, signal.SIGKILL)  # the driver's own session: it, its workers and nothing else
        driver.communicate()
        pytest.fail(f"the Dask driver took more than {TIMEOUT} s")
    assert driver.returncode == 0, stderr
    results: dict[str, Any] = pickle.loads(out.read_bytes())
    results["stderr"] = stderr
    return results


def plain(example: Any, frame: pd.DataFrame, errors: str) -> pd.DataFrame:
    """The reference: the example's partition function on the whole frame, i.e. rightsband.band per column."""
    return example.band_partition(frame, load_rules(), errors=errors)


@pytest.mark.parametrize("case", ["text, coerce", "floats, coerce", "clean, raise"])
def test_dask_gives_exactly_the_plain_pandas_result(dask_run, example, case):
    frame, partitions, errors = CASES[case]
    run = dask_run[case]
    assert "error" not in run, run.get("message")
    assert run["partitions"] == partitions >= 4
    got, want = run["result"], plain(example, frame, errors)
    # Every row, in the input's order. Dask keeps text (this index, the scores) in its own string dtype
    # (dataframe.convert-string), so for those only the values are compared; the labels are compared whole.
    assert got.index.tolist() == frame.index.tolist() and got.index.name == frame.index.name
    for name, dtype in example.label_dtypes(load_rules()).items():
        assert got[name].dtype == want[name].dtype == dtype
        assert list(got[name].cat.categories) == list(dtype.categories) and got[name].cat.ordered
        pd.testing.assert_series_equal(got[name], want[name], check_exact=True, check_categorical=True,
                                       check_index_type=False)
    pd.testing.assert_frame_equal(got[list(frame.columns)], frame, check_dtype=False, check_index_type=False)


def test_the_frames_hold_what_they_should(example):
    """The cases test what they claim: missing and coerced labels, every edition, both composites' paths."""
    labelled = plain(example, *CASES["text, coerce"][::2])
    assert labelled["press"].isna().sum() > labelled["rsf_score"].isna().sum()  # bad values coerced
    assert set(labelled["year"].dropna()) == set(range(2013, 2026))
    assert labelled["press"].nunique() == 5 and labelled["status"].nunique() == 3
    assert CASES["text, coerce"][0]["rsf_score"].str.contains(",", regex=False).sum() > ROWS // 4
    with pytest.raises(Exception, match="cannot be banded"):
        plain(example, CASES["bad, raise"][0], "raise")


def test_a_bad_value_raises_on_the_client_naming_its_row(dask_run, example):
    """errors="raise": the first failing partition's BandError reaches the client, with its index labels."""
    run = dask_run["bad, raise"]
    assert (run["module"], run["error"]) == ("rightsband.frames", "BandError"), run
    assert run["message"].endswith('pass errors="coerce" to give them a missing label')
    named = re.findall(r"index '([^']+)'", run["message"])
    whole = plain(example, HOSTILE, "coerce")
    problem_rows = HOSTILE.index[whole["press"].isna() & ~HOSTILE["rsf_score"].isin(MISSING)
                                 & HOSTILE["rsf_score"].notna()]
    assert named and set(named) <= set(problem_rows)
    assert run["problems"] and all(label in HOSTILE.index for label, _ in run["problems"])


def test_the_partitions_ran_in_two_worker_processes(dask_run):
    workers = dask_run["workers"]
    assert len(workers) == 2
    assert all(pid != dask_run["driver"] and imported for pid, _, imported in workers)


def test_the_example_script_runs_and_agrees(dask_run):
    code, (stdout, stderr) = dask_run["main"], dask_run["main_output"]
    assert code == 0, stderr
    assert "3,000 rows in 4 partitions on 2 worker processes" in stderr
    assert "identical to plain pandas: True" in stderr
    assert "Very serious" in stdout and "Not Free" in stdout


def test_the_cluster_leaves_no_process_behind(dask_run):
    """Once the cluster's block has ended, the driver's only child is multiprocessing's resource
    tracker (it ends with its parent); once the driver has exited, none of them is left."""
    assert [cmdline for _, _, cmdline in dask_run["children"] if "resource_tracker" not in cmdline] == []
    started = [(pid, created) for pid, created, _ in dask_run["workers"] + dask_run["children"]]
    deadline = time.monotonic() + 10
    while (alive := [pid for pid, created in started if _alive(pid, created)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert alive == []


def _alive(pid: int, created: float) -> bool:
    """True if process ``pid`` is still the one created at ``created`` (not a recycled id) and has not exited."""
    try:
        process = psutil.Process(pid)
        return process.create_time() == created and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_rules_pickle_and_band_alike(example):
    """What travels to the workers: Rules (and each BandSet) pickle, and the copy bands identically."""
    rules = load_rules()
    copy = pickle.loads(pickle.dumps(rules))
    assert pickle.loads(pickle.dumps(rules.get("fh-status"))).classify({"pr": 6, "cl": 5}).label == "Not Free"
    frame = CASES["text, coerce"][0]
    pd.testing.assert_frame_equal(example.band_partition(frame, copy, "coerce"),
                                  example.band_partition(frame, rules, "coerce"))


def test_the_docs_show_the_example(example):
    """The Dask how-to's snippet (a ```py block, not run by test_docs) is code from the example."""
    page = (REPO / "docs" / "howto" / "dask.md").read_text(encoding="utf-8")
    [snippet] = re.findall(r"```py\n(.*?)```", page, flags=re.S)
    source = Path(example.__file__).read_text(encoding="utf-8")
    for line in filter(str.strip, snippet.splitlines()):
        assert line.strip() in source, line
