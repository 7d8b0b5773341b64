"""Time `rightsband panel` over every shipped publisher's file against merely reading those files.

The yardstick (``--read``) opens every workbook with openpyxl (read-only, cached values, as
rightsband does) and reads every cell of every sheet, and reads every CSV with the csv module;
the panel run reads, labels, checks and matches the same files and writes the panel to
/dev/null. Target (issue 19): the panel at most twice the plain read, plus start-up. Time both
as whole processes, alternating, with any whole-process timer (hyperfine, or /usr/bin/time -v):

    hyperfine -w 1 -r 5 "python bench/bench_panel.py --read" "python bench/bench_panel.py --panel"

A run keeps country_converter's answers in the user cache, so the runs after the first load
neither country_converter nor pandas; ``--panel --cold`` runs with an empty cache folder of its
own (the first run on a machine: rules parsed, country_converter and pandas loaded):

    hyperfine -w 1 -r 5 "python bench/bench_panel.py --read" "python bench/bench_panel.py --panel --cold"

``python bench/bench_panel.py`` alone runs each once and prints the wall times.
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import sys
import time
import warnings
from pathlib import Path

SHIPPED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "shipped"


def files() -> list[str]:
    """Every publisher's file shipped (workbooks and CSVs)."""
    return sorted(str(p) for p in SHIPPED.glob("*/*") if p.suffix in (".csv", ".xlsx"))


def plain_read() -> int:
    """Every cell of every file, read with openpyxl and the csv module: the yardstick."""
    import openpyxl

    cells = 0
    warnings.simplefilter("ignore")  # openpyxl: "Conditional Formatting extension is not supported"
    for path in files():
        if path.endswith(".xlsx"):
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            for sheet in book.worksheets:
                for row in sheet.iter_rows(values_only=True):
                    cells += len(row)
            book.close()
        else:
            data = Path(path).read_bytes()
            try:
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=";"):
                cells += len(row)
    return cells


def panel(cold: bool = False) -> int:
    """``rightsband panel`` over every file, its output thrown away (``cold``: with an empty cache); its exit code."""
    import os
    import tempfile

    from rightsband.cli.app import run

    sys.stdout = open("/dev/null", "w")  # noqa: SIM115 - for the life of the process
    if not cold:
        return run(["panel", *files(), "-q"])
    with tempfile.TemporaryDirectory() as cache:
        os.environ["XDG_CACHE_HOME"] = cache
        return run(["panel", *files(), "-q"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--read", action="store_true", help="only the plain openpyxl + csv read")
    parser.add_argument("--panel", action="store_true", help="only rightsband panel")
    parser.add_argument("--cold", action="store_true", help="with --panel: an empty cache (the first run)")
    args = parser.parse_args()
    if args.read:
        plain_read()
        return 0
    if args.panel:
        return 0 if panel(args.cold) in (0, 1) else 2  # 1: the files' own problems, listed (see docs/howto/panel.md)
    for flag in ("--read", "--panel"):
        start = time.perf_counter()
        subprocess.run([sys.executable, __file__, flag], check=True)
        print(f"{flag[2:]}: {time.perf_counter() - start:.2f} s wall")
    return 0


if __name__ == "__main__":
    sys.exit(main())
