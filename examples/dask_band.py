"""Band a multi-partition frame inside Dask: the DataFrame API (rightsband.band) in every partition.

Run it (2 worker processes x 1 thread on a distributed LocalCluster; needs the ``dask``
extra: ``python -m pip install 'rightsband[dask]'``):

    python examples/dask_band.py                       # 20,000 demo rows in 8 partitions
    python examples/dask_band.py --rows 1000000 --partitions 16 --output labels.csv

Each partition is a plain pandas DataFrame; ``band_partition`` adds two label columns to it
with :func:`rightsband.band`, exactly as it would on the whole frame: the RSF category
chosen by each row's year through the ``rsf-map`` editions (0 best until 2021, 100 best from
2022), and the Freedom House status from the PR and CL ratings. The rules are loaded
once, here on the client, and travel to the worker processes with the tasks (``Rules``
pickles: about 75 KB); ``meta`` declares the labels' ordered categorical dtypes, taken
from the rules, so Dask knows the result's type without running anything.

Worth it only for frames that do not fit one process, or that already live in Dask: a
full country-year panel of every index (10^4 to 10^5 rows) bands in milliseconds in
plain pandas (see docs/howto/dask.md for the cost per partition).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence

import dask.dataframe as dd
import numpy as np
import pandas as pd
from distributed import Client, LocalCluster

import rightsband
from rightsband.mapping import Mapping
from rightsband.rules import Rules

#: New column -> "COLS=INDEX", as ``rightsband label --column`` takes it; every INDEX is banded
#: with the frame's YEAR column choosing (or checking) the edition row by row.
LABELS = {"press": "rsf_score=rsf-map", "status": "pr,cl=fh-status"}
YEAR = "year"


def label_dtypes(rules: Rules) -> dict[str, pd.CategoricalDtype]:
    """Each label column's dtype: the INDEX's labels (best first, every edition's) as ordered categories.

    They are what ``rightsband.band`` gives for that INDEX with a column of years (the
    same ``Mapping`` resolves them), read from the rules, never typed here.
    """
    return {name: pd.CategoricalDtype(Mapping.parse(spec, rules, by_year=True).labels, ordered=True)
            for name, spec in LABELS.items()}


def band_partition(part: pd.DataFrame, rules: Rules, errors: str = "raise") -> pd.DataFrame:
    """One pandas frame with its label columns added (``rightsband.band`` per column); the plain
    pandas result when given the whole frame, one partition's when Dask calls it."""
    added = {}
    for name, spec in LABELS.items():
        columns, _, index = spec.partition("=")
        names = columns.split(",")
        values = part[names[0]] if len(names) == 1 else part[names]
        added[name] = rightsband.band(values, index, year=part[YEAR], errors=errors, rules=rules)
    return part.assign(**added)


def band_with_dask(frame: dd.DataFrame, rules: Rules, errors: str = "raise") -> dd.DataFrame:
    """The Dask frame with its label columns added, lazily: ``band_partition`` on every partition."""
    dtypes = label_dtypes(rules)
    meta = frame._meta.assign(**{name: pd.Series(pd.Categorical([], dtype=dtype), index=frame._meta.index)
                                 for name, dtype in dtypes.items()})
    labelled: dd.DataFrame = frame.map_partitions(band_partition, rules=rules, errors=errors, meta=meta)
    return labelled


@contextlib.contextmanager
def local_cluster(workers: int = 2, *, directory: str | None = None) -> Iterator[Client]:
    """A Client on a LocalCluster of worker processes (1 thread each), closed with everything it
    started when the block ends; no dashboard (nothing to bind but a random scheduler port)."""
    with contextlib.ExitStack() as stack:
        if directory is None:
            directory = stack.enter_context(tempfile.TemporaryDirectory(prefix="rightsband-dask-"))
        cluster = stack.enter_context(LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                                   dashboard_address=None, local_directory=directory))
        yield stack.enter_context(Client(cluster))


def demo_frame(rows: int, seed: int = 0) -> pd.DataFrame:
    """A country-year panel as exports give it: RSF scores as text (decimal commas, NA, a few bad
    cells), PR and CL ratings with gaps, years 2013-2025."""
    rng = np.random.default_rng(seed)
    scores = np.round(rng.uniform(0, 100, rows), 2).astype(str)
    scores = np.where(rng.random(rows) < 0.3, np.char.replace(scores, ".", ","), scores).astype(object)
    scores[rng.random(rows) < 0.02] = "NA"
    scores[rng.random(rows) < 0.001] = "n.a"  # not a missing marker: a bad value
    ratings = {name: pd.array(rng.integers(1, 8, rows), dtype="Int64") for name in ("pr", "cl")}
    ratings["cl"][rng.random(rows) < 0.02] = pd.NA
    return pd.DataFrame({"year": rng.integers(2013, 2026, rows), "rsf_score": scores.tolist(),
                         **ratings})


def main(argv: Sequence[str] | None = None, client: Client | None = None) -> int:
    """Band a demo frame in Dask, check it against plain pandas, print (or write) the result; on
    ``client`` if given, else on a LocalCluster started and closed here."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--partitions", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--output", help="write the labelled frame to this CSV file instead of printing a summary")
    args = parser.parse_args(argv)

    rules = rightsband.load_rules()  # once, on the client; it travels to the workers with the tasks
    frame = demo_frame(args.rows)
    with contextlib.ExitStack() as stack:
        if client is None:
            client = stack.enter_context(local_cluster(args.workers))
        start = time.perf_counter()
        labelled = client.compute(band_with_dask(dd.from_pandas(frame, npartitions=args.partitions, sort=False),
                                                 rules, errors="coerce")).result()
        took = time.perf_counter() - start
        workers = len(client.scheduler_info()["workers"])
    # The label columns only: Dask stores text columns as its own string dtype (dataframe.convert-string).
    same = labelled[list(LABELS)].equals(band_partition(frame, rules, errors="coerce")[list(LABELS)])
    print(f"{len(labelled):,} rows in {args.partitions} partitions on {workers} worker processes: {took:.2f} s; "
          f"identical to plain pandas: {same}", file=sys.stderr)
    if args.output:
        labelled.to_csv(args.output, index=False)
    else:
        for name in LABELS:
            print(labelled[name].value_counts(dropna=False, sort=False).to_string(), end="\n\n")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
