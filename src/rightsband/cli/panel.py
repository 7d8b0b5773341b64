"""``rightsband panel``: publishers' files as they ship (and tidy tables) in, one country-year panel out."""

from __future__ import annotations

import csv
from typing import IO, TYPE_CHECKING, TextIO, cast

import click

from rightsband.cli.app import CONTEXT
from rightsband.cli.files import atomic_output, fail, same_file
from rightsband.cli.label import SHOWN_PROBLEMS, rank_check_option
from rightsband.cli.options import quiet_option, say

if TYPE_CHECKING:
    from rightsband.panels import Problem

PANEL_FORMATS = ("csv", "tsv", "json", "jsonl")


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, metavar="FILE...", type=click.Path(dir_okay=False))
@click.option("-c", "--column", "columns", multiple=True, metavar="COLS=INDEX[:MEASURE]",
              help="For a file no layout recognises (a tidy table): label COLS on band set INDEX, as the measure "
                   "MEASURE (default COLS). Repeatable.")
@click.option("--country-column", metavar="COL", help="The country column of such a file (default: the column "
                                                      "named country).")
@click.option("--year-column", metavar="COL", help="The year column of such a file (default: the column named year).")
@click.option("--wide", is_flag=True, help="One row per country and year, a score and a label column per measure.")
@click.option("--countries", metavar="FILE", type=click.Path(dir_okay=False, exists=True),
              help="A CSV of name,code lines that add to or override the country matches.")
@click.option("--format", "fmt", type=click.Choice(PANEL_FORMATS), default="csv", show_default=True)
@click.option("-o", "--output", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write to FILE (atomically) instead of stdout.")
@click.option("--problems", "problems_path", metavar="FILE", type=click.Path(dir_okay=False, allow_dash=True),
              help="Write every problem to FILE as CSV (source, kind, cell, set, message), atomically.")
@rank_check_option
@quiet_option
def panel(files: tuple[str, ...], columns: tuple[str, ...], country_column: str | None, year_column: str | None,
          wide: bool, countries: str | None, fmt: str, output: str | None, problems_path: str | None,
          no_rank_check: bool, quiet: bool) -> None:
    """Read publishers' files as they ship into one tidy country-year panel.

    Each FILE is a publisher's file rightsband recognises by its content (Freedom
    House's ratings and All_data workbooks, RSF's yearly CSVs, TI's CPI workbook,
    BTI's scores workbook), or a tidy table read with --column. The panel has a row
    per country, year and measure: code (ISO 3166-1 alpha-3, or the key of a former
    state or a territory rated apart), country, year, edition, measure, set, score
    (as written), label, published (the publisher's own label), rank, source (file,
    sheet, row, column). What year means for each publisher is said on stderr (and in
    publishers.toml): for Freedom House, the year under review, not the edition.
    Every label is checked against the published one, and ranks beside a score
    must run the way its set's direction says (rank 1 = best), or the run stops
    before writing (--no-rank-check to skip). Labels that disagree, names
    no country matches, and two rows on one code, year and measure with different
    scores are listed on stderr, and the exit code is 1.

    \b
    Examples:
      rightsband panel examples/rsf-2020-download.csv examples/rsf-2024-download.csv -o /tmp/panel.csv
      rightsband panel examples/rsf-2020-download.csv examples/rsf-2024-download.csv --wide --format json
      rightsband panel examples/scorecard.csv -c rsf_score=rsf --country-column country --year-column year
    """
    from rightsband.panels import PROBLEM_FIELDS, PanelError, PanelUsageError, build, write

    for path, option in ((output, "-o"), (problems_path, "--problems")):
        if path is not None and any(same_file(path, file) for file in files):
            raise click.BadParameter(f"{path!r} is one of the FILEs; write to another file", param_hint=option)
    try:
        built = build(files, columns=columns, country_column=country_column, year_column=year_column,
                      countries=countries, rank_check=not no_rank_check)
    except PanelUsageError as error:
        raise click.BadParameter(str(error), param_hint=error.option) from None
    except PanelError as error:
        fail(str(error))
    problems = built.findings.problems
    with atomic_output(problems_path, "--problems", text=True) as out:
        if problems_path is not None:
            _write_problems(out, PROBLEM_FIELDS, problems)
    with atomic_output(output, "-o", text=True) as out:
        count = write(built.rows, cast(TextIO, out), fmt, wide=wide)
    if not quiet:
        for layout, paths in built.layouts.values():
            say(f"{paths[0]}{f' and {len(paths) - 1} more' if len(paths) > 1 else ''}: {layout.name}; "
                f"year: {' '.join(layout.year_means.split())}")
        for problem in problems[:SHOWN_PROBLEMS]:
            say(str(problem))
        verdicts = built.findings.verdicts
        checked = ", ".join(f"{verdicts.get(k, 0):,} {k}" for k in ("agree", "disagree", "ambiguous"))
        checked = f"; labels against the published ones: {checked}" if verdicts else ""
        more = f" ({SHOWN_PROBLEMS} shown)" if len(problems) > SHOWN_PROBLEMS else ""
        kept = f"; all in {problems_path}" if problems_path not in (None, "-") else ""
        say(f"{count:,} rows from {len(files)} file(s){checked}; {len(problems):,} problem(s){more}{kept}")
    if problems:
        raise click.exceptions.Exit(1)


def _write_problems(out: IO[str], fields: tuple[str, ...], problems: list[Problem]) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(fields)
    writer.writerows((p.source, p.kind, p.cell, p.set_id, p.message) for p in problems)
