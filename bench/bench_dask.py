"""What Dask costs: plain pandas ``rightsband.band`` against Dask ``map_partitions``, side by side.

The work is examples/dask_band.py's: on its demo panel (PR and CL ratings with 2% gaps,
years 2013-2025) add the ``rsf-map`` category by year and the Freedom House status,
errors="coerce", with the RSF scores in two forms:

- float: float64, as a parquet file or a numeric read gives them; the engine bands them by
  bisection, so the work grows with the rows;
- text: as an export gives them (a third with decimal commas, 2% NA); the engine classifies
  each distinct text once per call, so every partition classifies its distinct texts again.

Timed on 100,000 and 1,000,000 rows (medians of --repeat runs, after a warm-up run):

- plain pandas: ``band_partition`` on the whole frame, in this process;
- Dask, round trip: ``dd.from_pandas`` (the frame travels in the graph) then ``compute``
  (the labelled frame comes back): what banding a pandas frame "in Dask" costs;
- Dask, on the workers: the frame already persisted on the workers and the result
  persisted there too: the cost when the data lives in Dask anyway.

Overhead per partition is (Dask wall - pandas wall) / partitions, in ms: what each partition
adds over plain pandas (negative where two workers' parallelism outweighs it). Then the fixed
cost of a partition, with the data on the workers: --tiny partitions of 100 rows, banded,
against the same partitions through an identity ``map_partitions`` (Dask's own cost). The
cluster is examples/dask_band.py's: a LocalCluster of --workers processes, one thread each.

    python bench/bench_dask.py [--rows 100000 1000000] [--partitions 1 4 16] [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path

# Before NumPy loads, as the tests do: one thread each, so the figures are about Dask's processes.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import dask  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import distributed  # noqa: E402
import pandas as pd  # noqa: E402
from distributed import Client, wait  # noqa: E402

import rightsband  # noqa: E402

# Before the cluster starts: the spawned workers import the example by name.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))
import dask_band  # noqa: E402


def median_time(run: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``repeat`` calls, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def round_trip(client: Client, frame: pd.DataFrame, partitions: int, rules: rightsband.Rules) -> pd.DataFrame:
    """A pandas frame in, a pandas frame out, banded by Dask in ``partitions`` partitions."""
    ddf = dd.from_pandas(frame, npartitions=partitions, sort=False)
    labelled: pd.DataFrame = client.compute(dask_band.band_with_dask(ddf, rules, errors="coerce")).result()
    return labelled


def on_workers(client: Client, persisted: dd.DataFrame, rules: rightsband.Rules) -> None:
    """Band a frame that lives on the workers, leaving the result there."""
    result = client.persist(dask_band.band_with_dask(persisted, rules, errors="coerce"))
    wait(result)
    del result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--partitions", type=int, nargs="+", default=[1, 4, 16])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--tiny", type=int, default=64, help="partitions of 100 rows for the fixed cost")
    parser.add_argument("--scores", nargs="+", choices=["float", "text"], default=["float", "text"])
    args = parser.parse_args()
    # The round trip sends the frame in the graph on purpose: that is the case it measures.
    warnings.filterwarnings("ignore", message="Sending large graph", category=UserWarning)

    rules = rightsband.load_rules()
    lines = ["| scores | rows | plain pandas | partitions | Dask, round trip | per partition | Dask, on the workers "
             "| per partition |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    with dask_band.local_cluster(args.workers) as client:
        start = time.perf_counter()
        round_trip(client, dask_band.demo_frame(1_000), args.workers, rules)  # the workers import rightsband
        print(f"bench: first task on a fresh cluster (workers import pandas' half of rightsband): "
              f"{time.perf_counter() - start:.2f} s", file=sys.stderr)
        for kind, rows in ((kind, rows) for kind in args.scores for rows in args.rows):
            frame = dask_band.demo_frame(rows)
            if kind == "float":
                frame["rsf_score"] = pd.to_numeric(frame["rsf_score"].str.replace(",", "."), errors="coerce")
            pandas_s = median_time(lambda f=frame: dask_band.band_partition(f, rules, errors="coerce"), args.repeat)
            for partitions in args.partitions:
                trip_s = median_time(lambda f=frame, p=partitions: round_trip(client, f, p, rules), args.repeat)
                persisted = client.persist(dd.from_pandas(frame, npartitions=partitions, sort=False))
                wait(persisted)
                on_workers(client, persisted, rules)  # warm-up
                held_s = median_time(lambda d=persisted: on_workers(client, d, rules), args.repeat)
                del persisted
                lines.append(f"| {kind} | {rows:,} | {pandas_s * 1e3:,.0f} ms | {partitions} | {trip_s * 1e3:,.0f} ms "
                             f"| {(trip_s - pandas_s) / partitions * 1e3:+,.0f} ms | {held_s * 1e3:,.0f} ms "
                             f"| {(held_s - pandas_s) / partitions * 1e3:+,.0f} ms |")
                print(lines[-1], file=sys.stderr)
        tiny = client.persist(dd.from_pandas(dask_band.demo_frame(100 * args.tiny), npartitions=args.tiny,
                                             sort=False))
        wait(tiny)
        on_workers(client, tiny, rules)  # warm-up
        banded_s = median_time(lambda: on_workers(client, tiny, rules), max(args.repeat, 5))
        identity_s = median_time(lambda: wait(client.persist(tiny.map_partitions(lambda part: part))),
                                 max(args.repeat, 5))
    print(f"{os.cpu_count()} CPUs, Python {platform.python_version()}, pandas {pd.__version__}, dask "
          f"{dask.__version__}, distributed {distributed.__version__}; LocalCluster of {args.workers} worker "
          f"processes x 1 thread; medians of {args.repeat}\n")
    print("\n".join(lines))
    print(f"\nFixed cost per partition ({args.tiny} partitions of 100 rows, data on the workers, wall time "
          f"over {args.workers} workers): banded {banded_s / args.tiny * 1e3:.1f} ms, of which Dask's own "
          f"(identity map_partitions) {identity_s / args.tiny * 1e3:.1f} ms")


if __name__ == "__main__":
    main()
