"""Benchmark `rightsband label` against the tools people use today, side by side in one run.

On a generated CSV (bench/gen_csv.py, ~100 bytes a row) each command labels the RSF
column with the same five bands and writes a file:

- rightsband, one mapped column and five (the last a composite of two);
- Miller: `mlr --icsv --ocsv put` with an if/elif chain (skipped if `mlr` is not installed);
- polars: read_csv, when/then, write_csv (skipped if polars is not importable here).

- rightsband with the file's year column picking each record's edition (`--year-column year`),
  on `rsf` and on the group `rsf-map` (the plain runs pass `--no-year-column`).

Runs alternate; each figure is the median. Reported: wall time, rows/s, peak RSS of the
process with its helpers, and how many records come out byte-identical to the input with the label
appended. Then one rightsband run on --big-rows rows for peak memory. Targets (issues 3
and 11): rightsband at most 1/3 of Miller's time and at most 0.8x polars'; five columns,
and a year column, at most 1.3x one plain column; peak RSS under 200 MB at 10,000,000 rows.

    python -m pip install . && python bench/bench_label.py [--rows 1000000] [--big-rows 10000000]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from gen_csv import COLUMNS_FIVE, COLUMNS_ONE, write_rows

BANDS = [(15, "Largely free, diverse and independent"), (25, "Mostly free, diverse and independent"),
         (30, "Partially free, diverse and independent"), (40, "Partially controlled, limited or intimidated"),
         (None, "Highly controlled, limited or intimidated")]
MILLER_CHAIN = "if (is_numeric($rsf)) {" + " el".join(
    f'if ($rsf < {upper}) {{$rsf_label = "{label}"}}' for upper, label in BANDS[:-1]
) + f' else {{$rsf_label = "{BANDS[-1][1]}"}}}} else {{$rsf_label = ""}}'
POLARS = f"""
import sys, polars as pl
c = pl.col("rsf")
bands = {BANDS!r}
expr = pl.when(c < bands[0][0]).then(pl.lit(bands[0][1]))
for upper, label in bands[1:-1]:
    expr = expr.when(c < upper).then(pl.lit(label))
expr = expr.otherwise(pl.lit(bands[-1][1]))
df = pl.read_csv(sys.argv[1], null_values=["NA", "", ".."])
df.with_columns(pl.when(c.is_null()).then(pl.lit(None)).otherwise(expr).alias("rsf_label")).write_csv(sys.argv[2])
"""


ONE = "rightsband, 1 column"
FIVE = "rightsband, 5 columns"
YEARS = "rightsband, 1 column, --year-column"
MAP = "rightsband, rsf-map by year"


def run(command: list[str], output: Path | None = None, stdout: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of one command, with its helper processes.

    The peak is the larger of the kernel's figure (the largest single process) and the
    sum over the process and its children sampled every 10 ms (Linux), so a command
    that forks a helper is charged for both. Its output file is removed and the disk synced
    first, so that no command pays for deleting or writing back an earlier command's output.
    """
    if output is not None and output.exists():
        output.unlink()
    os.sync()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    with open(stdout or os.devnull, "wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, env=env)
        sampled = [0]
        done = threading.Event()
        sampler = threading.Thread(target=sample_rss, args=(process.pid, done, sampled))
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
        done.set()
        sampler.join()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"bench: {' '.join(command)} failed")
    return wall, max(usage.ru_maxrss, sampled[0])


def sample_rss(pid: int, done: threading.Event, peak: list[int]) -> None:
    """Keep in ``peak[0]`` the largest sum of resident KB of the process and its children."""
    while not done.wait(0.01):
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            total = 0
            for each in [str(pid), *children]:
                status = Path(f"/proc/{each}/status").read_text()
                total += int(status.split("VmRSS:")[1].split()[0]) if "VmRSS:" in status else 0
        except (OSError, IndexError, ValueError):
            continue  # not Linux, or a process just ended
        peak[0] = max(peak[0], total)


def identical_rows(source: Path, output: Path) -> tuple[int, int]:
    """Records of the output that are the input record with cells appended, and the total."""
    same = total = 0
    with open(source, "rb") as before, open(output, "rb") as after:
        for old, new in zip(before, after):
            body = old.rstrip(b"\r\n")
            same += new.startswith(body + b",")
            total += 1
    return same, total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--big-rows", type=int, default=10_000_000, help="rows for the memory run (0: skip)")
    parser.add_argument("--runs", type=int, default=3, help="alternating runs of each command (median)")
    args = parser.parse_args()
    script = shutil.which("rightsband", path=os.path.dirname(sys.executable)) or shutil.which("rightsband")
    if script is None:
        print("bench: the rightsband command is not installed; run `python -m pip install .` first", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="rightsband-bench-"))
    try:
        return measure(args, script, work)
    finally:
        shutil.rmtree(work)


def measure(args: argparse.Namespace, script: str, work: Path) -> int:
    source = work / "scores.csv"
    with open(source, "wb") as out:
        write_rows(out, args.rows)
    size = source.stat().st_size
    print(f"input: {args.rows:,} rows, {size / 1e6:.0f} MB ({size / (args.rows + 1):.0f} bytes a row); "
          f"python {sys.version.split()[0]}, {os.cpu_count()} cores, {args.runs} alternating runs, medians")
    one = [a for spec in COLUMNS_ONE for a in ("--column", spec)]
    five = [a for spec in COLUMNS_FIVE for a in ("--column", spec)]
    plain = ["--no-year-column"]  # the file has a year column: the plain figures do not read it
    by_year = ["--year-column", "year"]
    commands: dict[str, tuple[list[str], Path, Path | None]] = {
        ONE: ([script, "label", str(source), *one, *plain, "-o", str(work / "rb1.csv")], work / "rb1.csv", None),
        FIVE: ([script, "label", str(source), *five, *plain, "-o", str(work / "rb5.csv")], work / "rb5.csv", None),
        YEARS: ([script, "label", str(source), *one, *by_year, "-o", str(work / "rby.csv")], work / "rby.csv", None),
        MAP: ([script, "label", str(source), "--column", "rsf=rsf-map", *by_year, "-o", str(work / "rbm.csv")],
              work / "rbm.csv", None),
    }
    if shutil.which("mlr"):
        commands["Miller (mlr put, if/elif)"] = (["mlr", "--icsv", "--ocsv", "put", MILLER_CHAIN, str(source)],
                                                  work / "mlr.csv", work / "mlr.csv")
    else:
        print("bench: Miller (mlr) is not installed; skipped (Debian: apt install miller)")
    if importlib.util.find_spec("polars"):
        commands["polars (read, when/then, write)"] = (
            [sys.executable, "-c", POLARS, str(source), str(work / "pl.csv")], work / "pl.csv", None)
    else:
        print("bench: polars is not importable here; skipped (pip install polars)")
    times: dict[str, list[float]] = {name: [] for name in commands}
    peaks: dict[str, list[int]] = {name: [] for name in commands}
    for command, output, stdout in commands.values():
        run(command, output, stdout)  # warm-up: page cache, bytecode, rules cache
    for _ in range(args.runs):
        for name, (command, output, stdout) in commands.items():
            wall, peak = run(command, output, stdout)
            times[name].append(wall)
            peaks[name].append(peak)
    wall = {name: statistics.median(values) for name, values in times.items()}
    print()
    print("| command | wall | rows/s | peak RSS | records byte-identical |")
    print("|---|---:|---:|---:|---:|")
    for name, (_, output, _) in commands.items():
        same, total = identical_rows(source, output)
        print(f"| {name} | {wall[name]:.2f} s | {args.rows / wall[name]:,.0f} | {max(peaks[name]) / 1024:.0f} MB | "
              f"{same:,} / {total:,} ({same / total:.1%}) |")
    print()
    verdict(wall[FIVE] / wall[ONE], 1.3, "five columns vs one (at most)")
    verdict(wall[YEARS] / wall[ONE], 1.3, "--year-column year vs --no-year-column (at most)")
    verdict(wall[MAP] / wall[ONE], 1.3, "rsf-map by year vs rsf without years (at most)")
    if "Miller (mlr put, if/elif)" in wall:
        verdict(wall[ONE] / wall["Miller (mlr put, if/elif)"], 1 / 3, "rightsband vs Miller (at most)")
    if "polars (read, when/then, write)" in wall:
        verdict(wall[ONE] / wall["polars (read, when/then, write)"], 0.8, "rightsband vs polars (at most)")
    if args.big_rows:
        big = work / "big.csv"
        with open(big, "wb") as out:
            write_rows(out, args.big_rows)
        source.unlink()
        seconds, peak = run([script, "label", str(big), *one, "--no-year-column"])
        print(f"{args.big_rows:,} rows ({big.stat().st_size / 1e9:.1f} GB), 1 column: {seconds:.1f} s, "
              f"peak RSS {peak / 1024:.0f} MB (target: under 200 MB)")
    return 0


def verdict(ratio: float, target: float, what: str) -> None:
    print(f"{what} {target:.2f}x: {ratio:.2f}x, {'meets' if ratio <= target else 'MISSES'} the target")


if __name__ == "__main__":
    sys.exit(main())
