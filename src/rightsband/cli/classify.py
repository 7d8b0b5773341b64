"""``rightsband classify``: the band label of each value given, one per line."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from typing import Any, TextIO

import click

from rightsband.cli.app import CONTEXT
from rightsband.cli.options import (
    band_set,
    bands_option,
    format_option,
    index_argument,
    load_rules_from,
    quiet_option,
    say,
    year_option,
)
from rightsband.engine import Engine
from rightsband.model import BandSet
from rightsband.output import RecordWriter, label_record, result_record
from rightsband.values import ValueProblem, parse_number, visible


class _ValuesCommand(click.Command):
    """Lets negative numbers through as VALUES (``-5``) and remembers where ``--`` ended the options,
    so that everything after it is a value, whatever it looks like."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["rightsband.after_dashes"] = len(args) - args.index("--") - 1 if "--" in args else 0
        return super().parse_args(ctx, args)


@click.command(cls=_ValuesCommand, context_settings={**CONTEXT, "ignore_unknown_options": True})
@index_argument()
@click.argument("values", nargs=-1)
@format_option()
@click.option("--explain", is_flag=True, help="Add the band's bounds, the set's scale, source and notes.")
@click.option("--line-buffered", is_flag=True, help="Write each label as soon as its value is read (as grep has).")
@year_option
@bands_option
@quiet_option
@click.pass_context
def classify(ctx: click.Context, index: str, values: tuple[str, ...], fmt: str, explain: bool, line_buffered: bool,
             year: int | None, bands_files: tuple[str, ...], quiet: bool) -> None:
    """Print the band label of each VALUE on the INDEX band set, one per line.

    Give `-` (or nothing, with input piped in) to read values from stdin, one per
    line. Empty lines and missing markers (NA, n/a, .., -) give an empty line.
    Values may use a decimal comma (53,46) or a percent sign (62.1%). A composite
    set takes its inputs as name=value pairs. After `--`, every word is a value.

    \b
    Examples:
      rightsband classify rsf 53.46 14.99 15
      rightsband classify gender-gap 0.721 72.1%
      printf '53,46\\nNA\\n' | rightsband classify rsf -
      cat examples/scores.txt | rightsband classify rsf - --line-buffered
      rightsband classify fh-status pr=6 cl=5
      rightsband classify ti 29 --explain
      rightsband classify rsf-map --year 2023 72.5
      rightsband classify fh-status --year 1999 pr=6 cl=5
      rightsband classify kidsrights 0.55 NA --format csv
      rightsband classify gdi 1.025 0.975 --explain
      rightsband classify hdi 0.7995 --explain
    """
    if "-" in bands_files and "-" in values:
        raise click.UsageError("--bands - and the values cannot both come from stdin")
    rules = load_rules_from(bands_files)
    chosen_set = band_set(rules, index, year)
    chosen = _chosen(index, chosen_set, year)
    stdin = sys.stdin
    if not values:
        if stdin.isatty():
            raise click.UsageError("give one or more VALUEs, or - to read them from stdin")
        values = ("-",)
    literal = ctx.meta.get("rightsband.after_dashes", 0)
    for token in values[: len(values) - literal]:
        _reject_option_like(token, ctx)
    items = _composite_items(chosen_set, values, stdin) if chosen_set.is_composite else _plain_items(values, stdin)
    writer = RecordWriter(sys.stdout, fmt, explain)
    engine = None if explain else Engine(chosen_set)  # labels only: each distinct value classified once
    problems = 0
    for where, text, raw in items:
        raws = None if engine is None else _inputs(chosen_set, raw)
        if engine is not None and raws is not None:
            outcome = engine.outcome(raws)
            error = engine.issue(raws).message if outcome == engine.bad else None
            record = label_record(text, chosen_set, engine.label(outcome), error)
        else:
            try:
                result, error = chosen_set.classify(raw, year=year), None
            except ValueProblem as problem:
                result, error = None, str(problem)
            record = result_record(text, chosen_set, result, explain, error, chosen)
        if error is not None:
            problems += 1
            if not quiet:
                say(f"{where}: {error}")
        writer.write(record)
        if line_buffered:
            sys.stdout.flush()
    writer.close()
    if problems:
        raise click.exceptions.Exit(1)


def _inputs(chosen_set: BandSet, raw: Any) -> tuple[Any, ...] | None:
    """A value as the engine takes it: one value, or a composite's inputs in order; None for input
    of the wrong shape (not name=value pairs of exactly the set's inputs), which classify refuses."""
    if not chosen_set.is_composite:
        return (raw,)
    names = [i.name for i in chosen_set.inputs]
    if not isinstance(raw, dict) or sorted(raw) != sorted(names):
        return None
    return tuple(raw[name] for name in names)


def _chosen(name: str, chosen_set: BandSet, year: int | None) -> str:
    """Why this edition, for --explain: e.g. "chosen for 2015 from rsf-map"."""
    if year is None:
        return ""
    if name.casefold() in (n.casefold() for n in chosen_set.names):
        return f"covers {year}"
    return f"chosen for {year} from {name}"


def _reject_option_like(token: str, ctx: click.Context) -> None:
    """Unknown options reach VALUES (so that -5 is a value); refuse those that are no number,
    with click's "Did you mean" among the command's options."""
    if token.startswith("-") and token != "-":
        try:
            parse_number(token)
        except ValueProblem:
            options = [name for param in ctx.command.get_params(ctx) for name in param.opts + param.secondary_opts
                       if name.startswith("-")]
            raise click.NoSuchOption(token.partition("=")[0], possibilities=options, ctx=ctx) from None


def _stdin_lines(stdin: TextIO) -> Iterator[tuple[str, str]]:
    """Lines of stdin, read as UTF-8 (a BOM is dropped; undecodable bytes become U+FFFD and
    so fail as "not a number" on their own line)."""
    if stdin.isatty():
        say("reading values from stdin, one per line; end with Ctrl-D")
    if isinstance(stdin, io.TextIOWrapper):
        stdin.reconfigure(encoding="utf-8-sig", errors="replace")
    for number, line in enumerate(stdin, start=1):
        yield f"stdin line {number}", line.rstrip("\r\n")


def _plain_items(values: tuple[str, ...], stdin: TextIO) -> Iterator[tuple[str, str, str]]:
    for position, token in enumerate(values, start=1):
        if token == "-":
            yield from ((where, line, line) for where, line in _stdin_lines(stdin))
        else:
            yield f"argument {position}", token, token


def _pairs(tokens: list[str]) -> dict[str, str] | None:
    """``["pr=6", "cl=5"]`` as a mapping; None if a token is not name=value or a name repeats."""
    pairs = [token.partition("=") for token in tokens]
    if any(not sep for _, sep, _ in pairs) or len({n for n, _, _ in pairs}) < len(pairs):
        return None
    return {name: value for name, _, value in pairs}


def _composite_items(chosen_set: BandSet, values: tuple[str, ...], stdin: TextIO) -> Iterator[tuple[str, str, Any]]:
    """Group ``name=value`` arguments into one mapping per complete set of inputs; each stdin line is one."""
    names = {i.name for i in chosen_set.inputs}
    hint = f"{chosen_set.id} combines {chosen_set.input_names()}: give them as {chosen_set.input_example()}"
    groups: list[tuple[str, str, Any]] = []
    group: list[str] = []
    for position, token in enumerate(values, start=1):
        if token == "-":
            if group:
                raise click.UsageError(f"{hint}; {' '.join(group)} is incomplete")
            groups.append(("-", "-", None))
            continue
        name = token.partition("=")[0]
        if name not in names or "=" not in token or any(t.partition("=")[0] == name for t in group):
            raise click.UsageError(f'{hint}, not "{visible(token)}"')
        group.append(token)
        if len(group) == len(names):
            groups.append((f"arguments {position - len(names) + 1}-{position}", " ".join(group), _pairs(group)))
            group = []
    if group:
        raise click.UsageError(f"{hint}; {' '.join(group)} is incomplete")
    for where, text, raw in groups:
        if text != "-":
            yield where, text, raw
            continue
        for where, line in _stdin_lines(stdin):
            tokens = line.split()
            yield where, line, (_pairs(tokens) or line) if tokens else dict.fromkeys(names, "")
