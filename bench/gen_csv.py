"""Write a deterministic CSV of index scores, about 100 bytes a row, for the label benchmark.

The rows look like a merged scorecard export: ISO codes (``NA`` is Namibia), quoted
country names with commas, scores with trailing zeros (``53.40``), ranks with
leading zeros (``007``), and a few missing markers in the score columns. The same
``--rows`` and ``--seed`` always give the same bytes.

    python bench/gen_csv.py 1000000 > scores.csv
"""

from __future__ import annotations

import argparse
import random
import sys
from typing import BinaryIO

HEADER = "iso3,iso2,country,region,year,rank,rsf,cpi,pr,cl,gender_gap,kidsrights,source,note"
#: Mapped by the benchmark: one column, or five (the last a composite of two inputs).
COLUMNS_ONE = ("rsf=rsf",)
COLUMNS_FIVE = ("rsf=rsf", "cpi=ti", "gender_gap=gender-gap", "kidsrights=kidsrights", "pr,cl=fh-status")

_COUNTRIES = [
    ("NAM", "NA", "Namibia", "Sub-Saharan Africa"),
    ("NOR", "NO", "Norway", "Europe and Central Asia"),
    ("KOR", "KR", '"Korea, Republic of"', "Asia-Pacific"),
    ("COD", "CD", '"Congo, Democratic Republic of the"', "Sub-Saharan Africa"),
    ("BRA", "BR", "Brazil", "Americas"),
    ("IND", "IN", "India", "Asia-Pacific"),
    ("FRA", "FR", "France", "Europe and Central Asia"),
    ("EGY", "EG", "Egypt", "Middle East and North Africa"),
    ("CIV", "CI", "\"Côte d'Ivoire\"", "Sub-Saharan Africa"),
    ("MEX", "MX", "Mexico", "Americas"),
    ("IRN", "IR", '"Iran, Islamic Republic of"', "Middle East and North Africa"),
    ("NZL", "NZ", "New Zealand", "Asia-Pacific"),
]
_NOTES = ["", "", "", "revised", '"said ""provisional"" in 2019"', "n/a"]


def _score(rng: random.Random, low: float, high: float, digits: int) -> str:
    """A score as publishers print it, now and then missing (NA, empty, ..)."""
    roll = rng.random()
    if roll < 0.01:
        return "NA"
    if roll < 0.015:
        return ""
    if roll < 0.017:
        return ".."
    return f"{rng.uniform(low, high):.{digits}f}"


def write_rows(out: BinaryIO, rows: int, seed: int = 2024) -> None:
    """Write the header and ``rows`` data rows to a binary stream."""
    rng = random.Random(seed)
    out.write(HEADER.encode() + b"\n")
    batch: list[str] = []
    for n in range(rows):
        iso3, iso2, country, region = rng.choice(_COUNTRIES)
        pr, cl = rng.randint(1, 7), rng.randint(1, 7)
        batch.append(
            f"{iso3},{iso2},{country},{region},{2013 + n % 9},{rng.randint(1, 180):03d},"
            f"{_score(rng, 0, 90, 2)},{rng.randint(8, 92)},{pr},{cl},"
            f"{_score(rng, 0.5, 0.9, 4)},{_score(rng, 0.3, 0.95, 3)},RSF WPFI; TI CPI {2013 + n % 9},"
            f"{rng.choice(_NOTES)}\n"
        )
        if len(batch) == 10000:
            out.write("".join(batch).encode())
            batch.clear()
    out.write("".join(batch).encode())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("rows", type=int, help="data rows to write")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    write_rows(sys.stdout.buffer, args.rows, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
