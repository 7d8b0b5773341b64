"""The generated tables of README.md and of the documentation: the indices covered, from
``bands.toml``, and the speed figures, from ``bench/results.toml``.

A table's place in a page is marked ``<!-- NAME:start -->`` ... ``<!-- NAME:end -->``; :func:`fill`
puts the generated table between the markers. README.md is committed with its tables filled
(``tests/test_readme_tables.py`` fails when they differ); regenerate them with

    python docs/_ext/readme_tables.py --write

The documentation's pages are filled when Sphinx reads them (this module is also the Sphinx
extension), so the site never shows a table older than the data.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))  # this checkout's rightsband, installed or not

from rightsband import Rules, load_rules  # noqa: E402

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

README = ROOT / "README.md"
RESULTS = ROOT / "bench" / "results.toml"
#: The command that regenerates README.md's tables, named when they have drifted.
COMMAND = "python docs/_ext/readme_tables.py --write"
_MARKED = re.compile(r"(<!-- ([a-z][a-z-]*):start -->\n)(.*?)(<!-- \2:end -->)", re.S)
_MARKER = re.compile(r"<!-- ([a-z][a-z-]*):(start|end) -->")


class TableError(Exception):
    """The data a table is made from is incomplete, or a page's markers do not pair up."""


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(" ".join(c.replace("|", "\\|").split()) for c in cells) + " |"


def _code(text: str) -> str:
    return f"`{text}`"


def indices_table(rules: Rules, link: Callable[[str, str], str] | None = None) -> str:
    """One row per index the rules band (each set's ``index_name``, in file order): the index, its
    publishers and its band sets and groups; ``link(kind, id)`` makes each id a link."""
    shown = link or (lambda kind, name: _code(name))
    missing = [s.id for s in rules if not s.index_name]
    if missing:
        raise TableError(f"sets without an index_name: {', '.join(missing)}; give each an `index_name` in its "
                         "rules file")
    indices: dict[str, list[Any]] = {}
    for band_set in rules:
        publishers, sets = indices.setdefault(band_set.index_name, [[], []])
        publishers += [] if band_set.publisher in publishers else [band_set.publisher]
        sets.append(band_set)
    lines = ["| index | publisher | band sets |", "| --- | --- | --- |"]
    for index, (publishers, sets) in indices.items():
        groups = [g.id for g in rules.groups if any(e in sets for e in g.editions)]
        ids = ", ".join(shown("sets", s.id) for s in sets)
        ids += f"; {'group' if len(groups) == 1 else 'groups'} " + ", ".join(shown("groups", g) for g in groups) \
            if groups else ""
        lines.append(_row([index, "; ".join(publishers), ids]))
    return "\n".join(lines) + "\n"


def load_results(path: Path = RESULTS) -> dict[str, Any]:
    """The measured figures and tables of ``path``."""
    with path.open("rb") as file:
        return tomllib.load(file)


def speed_table(results: Mapping[str, Any], readme: bool = False) -> str:
    """The headline figures (with ``readme``, those README.md shows): what, rightsband's figure, the
    peer, the ratio, and how it was measured."""
    lines = ["| measurement | rightsband | against | ratio (target) | measured with |",
             "| --- | ---: | --- | ---: | --- |"]
    for f in results["figure"]:
        if readme and not f.get("readme", True):
            continue
        ratio = " ".join(filter(None, [f"**{f['ratio']}**" if f["ratio"] else "",
                                       f"(target {f['target']})" if f["target"] else ""]))
        lines.append(_row([f["what"], f["figure"], f["peer"] or "—", ratio or "—",
                           f"{_code(f['command'])}: {f['method']}"]))
    return "\n".join(lines) + f"\n\nMeasured on {results['machine']}.\n"


def results_table(table: Mapping[str, Any]) -> str:
    """One benchmark's full table, with the command and method that produced it."""
    columns = table["columns"]
    align = ["---"] * (len(columns) - table["right"]) + ["---:"] * table["right"]
    lines = [_row(columns), "| " + " | ".join(align) + " |"] + [_row(r) for r in table["rows"]]
    return "\n".join(lines) + f"\n\n{_code(table['command'])}: {table['method']}.\n"


def tables(rules: Rules, results: Mapping[str, Any], link: Callable[[str, str], str] | None = None,
           readme: bool = False) -> dict[str, str]:
    """Every generated table by its marker name (``readme``: as README.md shows them)."""
    made = {"indices": indices_table(rules, link), "speed": speed_table(results, readme)}
    made.update({f"speed-{t['name']}": results_table(t) for t in results["table"]})
    return made


def fill(text: str, made: Mapping[str, str]) -> str:
    """``text`` with each marked table replaced by its generated one; every marker must pair up and
    name a table."""
    markers = [(m.group(1), m.group(2)) for m in _MARKER.finditer(text)]
    starts, ends = markers[0::2], markers[1::2]
    if any(s != (n, "start") or e != (n, "end") for (n, _), s, e in zip(starts, starts, ends)) or \
            len(starts) != len(ends):
        raise TableError(f"markers that do not pair up: {' '.join(f'{n}:{s}' for n, s in markers)}")
    unknown = [n for n, _ in starts if n not in made]
    if unknown:
        raise TableError(f"no table is generated for {', '.join(unknown)}; the tables are: {', '.join(made)}")
    return _MARKED.sub(lambda m: m.group(1) + made[m.group(2)] + m.group(4), text)


def readme_tables() -> dict[str, str]:
    """The tables as README.md shows them: ids as code, no links (the catalogue is built, not committed)."""
    return tables(load_rules(), load_results(), readme=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate (--write) or check (--check) README.md's tables.")
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", action="store_true", help="write the generated tables into README.md")
    action.add_argument("--check", action="store_true", help="exit 1 if README.md's tables are not the generated ones")
    options = parser.parse_args(argv)
    text = README.read_text(encoding="utf-8")
    filled = fill(text, readme_tables())
    if options.write:
        if filled != text:
            README.write_text(filled, encoding="utf-8")
        return 0
    if filled != text:
        print(f"README.md's generated tables are out of date; run: {COMMAND}", file=sys.stderr)
        return 1
    return 0


def _doc_link(kind: str, name: str) -> str:
    return f"{{doc}}`{name} </reference/catalogue/{kind}/{name}>`"


def _fill_page(app: Any, docname: str, source: list[str]) -> None:
    if "<!-- " not in source[0]:
        return
    if not hasattr(app, "_rightsband_tables"):
        app._rightsband_tables = tables(load_rules(), load_results(), _doc_link)
    filled = fill(source[0], app._rightsband_tables)
    if filled != source[0]:
        app.env.note_dependency(str(RESULTS))
        app.env.note_dependency(str(ROOT / "bands.toml"))
        source[0] = filled


def setup(app: Any) -> dict[str, Any]:
    app.connect("source-read", _fill_page)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


if __name__ == "__main__":
    sys.exit(main())
