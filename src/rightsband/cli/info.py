"""``rightsband list``, ``show`` and ``check``: what band sets there are, one set in full, and
whether a rules file holds up."""

from __future__ import annotations

import shutil
import sys

import click

from rightsband.cli.app import CONTEXT
from rightsband.cli.options import (
    band_set,
    bands_option,
    env_band_files,
    format_option,
    index_argument,
    load_rules_from,
    say,
)
from rightsband.formats import TableWriter
from rightsband.output import band_rows, describe_group, describe_set, write_set_list


@click.command(name="list", context_settings=CONTEXT)
@click.argument("words", nargs=-1, metavar="[TEXT]...")
@click.option("--publisher", metavar="TEXT", help="Only sets whose publisher contains TEXT (any case).")
@click.option("--origin", type=click.Choice(("house", "publisher")),
              help="Only the publishers' own classes (publisher) or someone else's bands (house).")
@format_option()
@bands_option
def list_sets(words: tuple[str, ...], publisher: str | None, origin: str | None, fmt: str,
              bands_files: tuple[str, ...]) -> None:
    """List the band sets and groups of editions: ids, aliases, scales, directions, years, origin, names.

    TEXT keeps the sets whose id, aliases, name, publisher, topic or citation (where the
    index's own name is: "Freedom in the World") hold it as a phrase, or, if none does,
    hold each of its words (any case); a group is kept when its own words or one of its
    editions are. Nothing found exits 1 and names the closest ids. On a terminal the text fits its
    width: names wrap, and a narrow one leaves out confidence, origin, aliases,
    direction, years and scale, in that order, as needed (--format csv has all).

    \b
    Examples:
      rightsband list
      rightsband list freedom
      rightsband list --origin publisher --format csv
      rightsband list --publisher RSF --format json
      rightsband list bti
      rightsband list children
      rightsband list "Freedom in the World"
    """
    from rightsband.search import closest, find

    text = " ".join(words) if words else None
    rules = load_rules_from(bands_files)
    sets = [s for s in rules if (publisher is None or publisher.casefold() in s.publisher.casefold())
            and (origin is None or s.origin == origin)]
    groups = list(rules.groups)
    if text is not None:
        sets, groups = find(rules, text, sets)
    elif publisher is not None or origin is not None:
        groups = [g for g in groups if any(e in sets for e in g.editions)]
    if not sets and not groups:
        near = closest(rules, text or publisher or "")
        hint = f"; closest: {', '.join(near)}" if near else ""
        say(f"no band set or group matches {_criteria(text, publisher, origin)}{hint}")
        raise click.exceptions.Exit(1)
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    write_set_list(sys.stdout, rules, fmt, sets, groups, width=width)


def _criteria(text: str | None, publisher: str | None, origin: str | None) -> str:
    """What ``list`` was asked for, as a message names it."""
    asked = [repr(text)] if text is not None else []
    asked += [f"--publisher {publisher!r}"] if publisher is not None else []
    asked += [f"--origin {origin}"] if origin is not None else []
    return " with ".join(asked)


@click.command(context_settings=CONTEXT)
@index_argument()
@format_option()
@bands_option
def show(index: str, fmt: str, bands_files: tuple[str, ...]) -> None:
    """Show one band set (its bands as intervals, scale, years, origin, source and notes) or a group of editions.

    csv and tsv give the bands (or a group's editions) as rows; json (a list of one
    record, as every json output is) and jsonl every field.

    \b
    Examples:
      rightsband show rsf
      rightsband show kidsrights --format json
      rightsband show fh-status --format csv
      rightsband show rsf-map
      rightsband show bti-democracy-2020
      rightsband show civicus
    """
    rules = load_rules_from(bands_files)
    group = rules.group(index)
    chosen = None if group else band_set(rules, index)
    if fmt == "text":
        from rightsband.display import print_group, print_set

        if group:
            print_group(group)
        else:
            assert chosen is not None
            print_set(chosen, rules)
        return
    writer = TableWriter(sys.stdout, fmt)
    if fmt in ("json", "jsonl"):  # one record, in a list as every json output is
        writer.write(describe_group(group) if group else describe_set(chosen, rules.groups_of(chosen)))  # type: ignore[arg-type]
    elif group:
        writer.write_all({"group": group.id, "edition": e.id, "years": str(e.years), "scale": e.describe_scale(),
                          "name": e.name} for e in group.editions)
    else:
        writer.write_all(band_rows(chosen))  # type: ignore[arg-type]
    writer.close()


@click.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, metavar="[FILE]...", type=click.Path(dir_okay=False, allow_dash=True))
@format_option()
def check(files: tuple[str, ...], fmt: str) -> None:
    """Check rules FILEs (default: $RIGHTSBAND_BANDS, else the built-in bands.toml).

    Reports unknown keys, bounds out of order or outside the scale, overlaps, gaps,
    duplicate ids, aliases or labels and composite inputs that do not exist, each
    with its file, set, band and line. FILEs are checked as they would load: added
    to the built-in sets, later files replacing earlier ones' sets. - reads stdin.
    Exits 1 if there is any error.

    \b
    Examples:
      rightsband check
      rightsband check examples/eiu.toml
      rightsband check examples/eiu.toml --format json
    """
    from rightsband.cli.options import rules_sources
    from rightsband.rules import check_rules

    named = list(files) or env_band_files()
    findings = check_rules(rules_sources(named, checking=True) or None)
    if fmt == "text":
        for finding in findings:
            click.echo(str(finding))
    else:
        writer = TableWriter(sys.stdout, fmt, None if fmt in ("json", "jsonl") else
                             ["file", "line", "severity", "set", "band", "message"])
        writer.write_all({"file": f.file, "line": f.line, "severity": f.severity, "set": f.set_id, "band": f.band,
                          "message": f.message} for f in findings)
        writer.close()
    errors = sum(f.severity == "error" for f in findings)
    warnings = len(findings) - errors
    name = ", ".join(named) if named else "built-in bands.toml"
    say(f"{name}: {errors} error(s), {warnings} warning(s)")
    if errors:
        raise click.exceptions.Exit(1)

