"""Time ``label`` on a clean file and on one whose year cells are half outside every edition, and print the ratio.

Both files have ``--rows`` rows of ``year,score`` (the same scores); in the second every other
year is 1990–2012, which no edition of ``rsf-map`` covers, so half its records are problems,
all written to ``--problems``. Whole processes, the median of ``--runs`` alternating pairs.

    python bench/bench_problems.py --rows 1000000
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def write_files(folder: Path, rows: int, seed: int = 1) -> tuple[Path, Path]:
    """The clean file and the half-bad one."""
    rng = random.Random(seed)
    clean, half = folder / "clean.csv", folder / "half.csv"
    with clean.open("w") as good, half.open("w") as bad:
        good.write("year,score\n")
        bad.write("year,score\n")
        for n in range(rows):
            year, score = rng.randint(2013, 2024), f"{rng.uniform(0, 100):.2f}"
            good.write(f"{year},{score}\n")
            bad.write(f"{rng.randint(1990, 2012) if n % 2 else year},{score}\n")
    return clean, half


def seconds(arguments: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(arguments, stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        clean, half = write_files(Path(folder), options.rows)
        label = [sys.executable, "-m", "rightsband", "label", "-c", "score=rsf-map", "-q"]
        ratios, clean_times, half_times = [], [], []
        for _ in range(options.runs):
            clean_times.append(seconds([*label, str(clean)]))
            half_times.append(seconds([*label, str(half), "--problems", str(Path(folder) / "problems.csv")]))
            ratios.append(half_times[-1] / clean_times[-1])
        problems = sum(1 for _ in (Path(folder) / "problems.csv").open()) - 1
    print(f"clean {statistics.median(clean_times):.2f} s, half problems {statistics.median(half_times):.2f} s "
          f"({problems:,} problems), ratio {statistics.median(ratios):.2f} (median of {options.runs} pairs)")


if __name__ == "__main__":
    main()
