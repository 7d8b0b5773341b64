"""Benchmark the DataFrame API against pd.cut, side by side in one run (in process, best of N).

    python bench/bench_frames.py [--rows 1000000] [--runs 7]

On ``--rows`` values (uniform on the RSF scale, seeded):

- ``rightsband.band(series, "rsf")`` on a float64 Series vs ``pd.cut`` with the same edges
  and labels (which gets the bounds wrong: ``0.57 * 100`` and the top of the scale; the
  count of values where the two disagree is printed);
- ``fh-status`` from two integer columns (1–7) vs ``fh-pr`` on one of them, and vs the
  float case;
- the same scores as texts with decimal commas (object and pandas ``str`` dtype) vs floats;
- polars: ``band`` on a polars Float64 Series.

Targets (issue 11): float64 at most 1.5x pd.cut; two integer columns at most 2x one.
"""

from __future__ import annotations

import argparse
import importlib.util
import time
from collections.abc import Callable

import numpy as np
import pandas as pd

import rightsband


def best(function: Callable[[], object], runs: int) -> float:
    """The fastest of ``runs`` calls, in seconds (the first call warms caches and is not counted)."""
    function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    rsf = rightsband.load_rules().get("rsf")
    edges = sorted({float(b.lower) for b in rsf.bands} | {float(rsf.scale.max)})
    labels = [b.label for b in rsf.bands]
    scores = pd.Series(np.round(rng.uniform(0, 100, args.rows), 2))
    noisy = scores.copy()
    noisy.iloc[: 4] = [0.57 * 100, 100.0, 0.15 * 100, 0.0]
    pr, cl = (pd.Series(rng.integers(1, 8, args.rows)) for _ in range(2))
    texts = pd.Series([f"{v:.2f}".replace(".", ",") for v in scores], dtype=object)

    figures: dict[str, float] = {}
    figures["pd.cut, float64"] = best(lambda: pd.cut(noisy, edges, right=False, labels=labels,
                                                     include_lowest=True), args.runs)
    figures["band rsf, float64"] = best(lambda: rightsband.band(noisy, "rsf"), args.runs)
    figures["band fh-pr, one int column"] = best(lambda: rightsband.band(pr, "fh-pr"), args.runs)
    ratings = pd.DataFrame({"pr": pr, "cl": cl})
    figures["band fh-status, two int columns"] = best(lambda: rightsband.band(ratings, "fh-status"), args.runs)
    figures["band rsf, texts with decimal commas (object)"] = best(lambda: rightsband.band(texts, "rsf"), args.runs)
    as_str = texts.astype("string")
    figures["band rsf, texts with decimal commas (string dtype)"] = best(lambda: rightsband.band(as_str, "rsf"),
                                                                         args.runs)
    if importlib.util.find_spec("polars"):
        import polars as pl

        polars_scores = pl.Series("score", noisy.to_numpy())
        figures["band rsf, polars Float64"] = best(lambda: rightsband.band(polars_scores, "rsf"), args.runs)

    cut = pd.cut(noisy, edges, right=False, labels=labels, include_lowest=True)
    ours = rightsband.band(noisy, "rsf")
    disagree = int((cut.astype(object).where(cut.notna(), None) != ours.astype(object).where(ours.notna(), None)).sum())
    print(f"{args.rows:,} values; best of {args.runs} runs; pandas {pd.__version__}, NumPy {np.__version__}")
    print()
    print("| what | time | vs pd.cut |")
    print("|---|---:|---:|")
    for name, seconds in figures.items():
        print(f"| {name} | {seconds * 1000:.0f} ms | {seconds / figures['pd.cut, float64']:.2f}x |")
    print()
    verdict(figures["band rsf, float64"] / figures["pd.cut, float64"], 1.5, "band vs pd.cut, float64 (at most)")
    verdict(figures["band fh-status, two int columns"] / figures["band fh-pr, one int column"], 2.0,
            "two int columns vs one (at most)")
    print(f"two int columns vs the float64 column: "
          f"{figures['band fh-status, two int columns'] / figures['band rsf, float64']:.2f}x")
    print(f"texts with decimal commas vs float64: "
          f"{figures['band rsf, texts with decimal commas (object)'] / figures['band rsf, float64']:.1f}x")
    print(f"pd.cut and band disagree on {disagree} of {args.rows:,} values (0.57 * 100, 100.0, 0.15 * 100, 0.0 "
          "are in the first four)")


def verdict(ratio: float, target: float, what: str) -> None:
    print(f"{what} {target:.2f}x: {ratio:.2f}x, {'meets' if ratio <= target else 'MISSES'} the target")


if __name__ == "__main__":
    main()
