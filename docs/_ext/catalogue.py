"""The band-set catalogue of the documentation, generated from the rules at every build.

:func:`pages` turns a :class:`~rightsband.Rules` into Markdown pages: one per band set and per
group of editions (bands as a table of intervals, the scale drawn as an SVG band scale with the
scorecard's own geometry and palette, years, origin, source, confidence, verification, notes) and
an index of every set by publisher and by topic. The Sphinx hook writes them under
``reference/catalogue/`` when the build starts, from ``rightsband.load_rules()`` (the built-in
``bands.toml``), so a changed bound is a changed page in the next build, with nothing else edited.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from rightsband import BandSet, Classification, Group, Rules, load_rules
from rightsband.display import _as_fraction, _constructs
from rightsband.output import sets_table
from rightsband.scorecard.build import _scale
from rightsband.scorecard.pictures import text_colour

#: Where the pages go, relative to the documentation's source folder (generated, not committed).
FOLDER = "reference/catalogue"
#: The width of the band scale's coordinate system (it scales to the page), as on a card.
WIDTH = 400
#: The characters that could start Markdown or MyST markup inside a line of text.
_MARKUP = re.compile(r"([\\`*_\[\]<>#|~{}$!&])")


class CatalogueError(Exception):
    """The rules and the topics file do not fit together (a set without a topic, a topic naming no set)."""


def text(value: str) -> str:
    """``value`` as literal Markdown text: every character that could start markup escaped."""
    return _MARKUP.sub(r"\\\1", value)


def code(value: str) -> str:
    """``value`` as inline code."""
    ticks = "``" if "`" in value else "`"
    return f"{ticks} {value} {ticks}" if ticks == "``" else f"`{value}`"


def cell(value: str) -> str:
    """``value`` as the text of a Markdown table cell (one line)."""
    return text(" ".join(value.split()))


def link(url: str) -> str:
    return f"<{url}>" if url.startswith(("https://", "http://")) else text(url or "none given")


def topics(rules: Rules) -> dict[str, str]:
    """The topic of every set and group id (its ``topic`` in the rules); each must have one."""
    topic_of = {s.id: s.topic for s in rules} | {g.id: g.topic for g in rules.groups}
    missing = [name for name, topic in topic_of.items() if not topic]
    if missing:
        raise CatalogueError(f"sets and groups without a topic: {', '.join(missing)}; give each a `topic` in its "
                             "rules file")
    return topic_of


def scale_svg(band_set: BandSet, table: str = "") -> str:
    """The set's bands (of one band table) as an SVG band scale, best end left, drawn to scale with
    the scorecard's segments and colours, each cut labelled with its bound."""
    bands = [(n, b) for n, b in enumerate(band_set.bands, start=1) if b.table == table]
    position, first = bands[0]
    segments, _ = _scale(band_set, Classification(band_set, None, first, position))
    title = (f"Band scale of {band_set.id}{f' ({table} table)' if table else ''}, best to worst: "
             + "; ".join(f"{s.position}. {s.label} {s.interval}" for s in segments))
    parts = [f'<svg viewBox="0 0 {WIDTH} 62" width="100%" role="img" xmlns="http://www.w3.org/2000/svg">',
             f"<title>{html.escape(title)}</title>"]
    ticks: list[tuple[float, str]] = []
    best_low = band_set.distance_from is not None or band_set.direction == "lower-is-better"  # as the card draws
    for segment, (_, band) in zip(segments, bands):
        x, w = round(segment.start * WIDTH, 2), round(max(segment.width * WIDTH, 2), 2)
        parts.append(f'<rect x="{x}" y="4" width="{w}" height="22" fill="{segment.colour}" stroke="#333" '
                     f'stroke-width="0.5"><title>{html.escape(f"{segment.position}. {segment.label} ")}'
                     f"{html.escape(segment.interval)}</title></rect>")
        if w >= 14:
            parts.append(f'<text x="{round(x + w / 2, 2)}" y="19" text-anchor="middle" font-size="12" '
                         f'fill="{text_colour(segment.colour)}">{segment.position}</text>')
        ends = (band.lower, band.upper) if best_low else (band.upper, band.lower)
        ticks += [(x, str(ends[0])), (round(x + w, 2), str(ends[1]))]
    shown: list[float] = []
    for x, label in sorted(dict(ticks).items()):
        if shown and x - shown[-1] < 26:
            continue
        anchor = "start" if x <= 0 else "end" if x >= WIDTH else "middle"
        parts.append(f'<line x1="{x}" y1="26" x2="{x}" y2="31" stroke="#333" stroke-width="1"/>'
                     f'<text x="{x}" y="42" font-size="10" fill="#333" text-anchor="{anchor}">{html.escape(label)}'
                     "</text>")
        shown.append(x)
    parts += ['<text x="0" y="58" font-size="10" fill="#333">best</text>',
              f'<text x="{WIDTH}" y="58" font-size="10" fill="#333" text-anchor="end">worst</text>', "</svg>"]
    caption = "Bands best to worst: " + ", ".join(f"{s.position} {s.label} {s.interval}" for s in segments) + "."
    return (f'<figure class="band-scale">\n{"".join(parts)}\n'
            f"<figcaption>{html.escape(caption)}</figcaption>\n</figure>\n")


def set_page(band_set: BandSet, rules: Rules, topic: str) -> str:
    """The catalogue page of one band set."""
    scored = band_set.label_only is None
    lines = [f"# {code(band_set.id)}: {text(band_set.name)}", ""]
    facts: list[tuple[str, str]] = [("publisher", text(band_set.publisher)), ("topic", text(topic))]
    if band_set.index_name:
        facts.insert(1, ("index", text(band_set.index_name)))
    if band_set.aliases:
        facts.append(("aliases", ", ".join(code(a) for a in band_set.aliases)))
    facts += [("scale", text(band_set.describe_scale()))]
    if scored:
        facts += [("direction", code(band_set.direction)), ("unit", text(band_set.unit))]
    if band_set.published_as_fraction:
        facts.append(("published as", "a fraction, 0–1 (a bare value is the published fraction)"))
    if band_set.inputs:
        how = f"the {band_set.combine} of " if band_set.combine else "the inputs "
        facts.append(("combines", text(how) + ", ".join(
            f"{code(i.name)} = {_set_link(i.set.id, rules)}" + (" (its band's value)" if i.take == "band" else "")
            for i in band_set.inputs)))
    facts.append(("years", text(str(band_set.years) if band_set.years else "any year")))
    for group in rules.groups_of(band_set):
        facts.append(("edition in", f"[{code(group.id)}](../groups/{group.id}.md): "
                                    + text(group.describe_editions())))
    facts.append(("origin", text(band_set.describe_origin())))
    facts += [(name, text(value)) for name, value in _constructs(band_set)]
    if band_set.label_only is not None:
        facts.append(("assigned", text(band_set.label_only)))
    facts.append(("confidence", text(band_set.confidence or "not graded")))
    if band_set.verified:
        facts.append(("verified", text(band_set.verified)))
    if band_set.unconfirmed:
        facts.append(("unconfirmed", text(band_set.unconfirmed)))
    facts += [("source", text(band_set.citation)), ("url", link(band_set.url))]
    for name, value in facts:
        lines += [name, f": {value}", ""]
    lines += ["## Bands", "", "Best band first."]
    if band_set.unit == "percent" and scored:
        lines[-1] += " Intervals are in percent."
    lines.append("")
    lines += _bands_table(band_set)
    if scored:
        lines += ["", "## Band scale", ""]
        tables = list(dict.fromkeys(b.table for b in band_set.bands))
        for table in tables:
            if table:
                lines += [f"The {text(table)} table:", ""]
            lines += ["```{raw} html", scale_svg(band_set, table), "```", ""]
    if band_set.notes:
        lines += ["## Notes", "", text(band_set.notes)]
    lines += ["", "## Look it up", "", "```sh", f"rightsband show {band_set.id}", "```", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _set_link(set_id: str, rules: Rules) -> str:
    """A link to the page of a set of the rules; an input with its own scale (``set:input``) has none."""
    return f"[{code(set_id)}]({set_id}.md)" if any(s.id == set_id for s in rules) else code(set_id)


def _bands_table(band_set: BandSet) -> list[str]:
    scored = band_set.label_only is None
    columns = ["#", "band"]
    rows: list[list[str]] = []
    gated = band_set.gate is not None
    valued = any(b.value is not None for b in band_set.bands)
    named = any(b.aliases for b in band_set.bands)
    celled = any(b.cells for b in band_set.bands)
    columns += (["table"] if gated else []) + (["distance" if band_set.distance_from is not None else "interval"]
                                                if scored else [])
    columns += ["as published"] if band_set.published_as_fraction else []
    columns += (["value"] if valued else []) + (["aliases"] if named else []) + (["cells"] if celled else [])
    for position, band in enumerate(band_set.bands, start=1):
        label = cell(band.label) + (f" (either {cell(' or '.join(band.either))})" if band.either else "")
        row = [str(position), label] + ([cell(band.table)] if gated else []) + ([code(band.interval)] if scored else [])
        row += [code(_as_fraction(band))] if band_set.published_as_fraction else []
        row += ([cell("" if band.value is None else str(band.value))] if valued else [])
        row += ([", ".join(code(a) for a in band.aliases)] if named else [])
        row += ([", ".join(code(c) for c in band.cells)] if celled else [])
        rows.append(row)
    return ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)] + ["| " + " | ".join(r) + " |"
                                                                               for r in rows]


def group_page(group: Group, topic: str) -> str:
    """The catalogue page of one group of editions."""
    lines = [f"# {code(group.id)}: {text(group.name)}", "", "topic", f": {text(topic)}", "",
             "A group of editions: a year picks the edition (`--year`, `--year-column`, or a year column found "
             "in the file).", "", "| edition | years | name |", "|---|---|---|"]
    lines += [f"| [{code(e.id)}](../sets/{e.id}.md) | {cell(str(e.years))} | {cell(e.name)} |" for e in group.editions]
    if group.notes:
        lines += ["", "## Notes", "", text(group.notes)]
    lines += ["", "## Look it up", "", "```sh", f"rightsband show {group.id}", "```"]
    return "\n".join(lines) + "\n"


def index_page(rules: Rules, topic_of: dict[str, str]) -> str:
    """Every set and group, by topic and by publisher, and the summary table of every set."""
    lines = ["# Band-set catalogue", "",
             f"Every band set ({len(rules)}) and group of editions ({len(rules.groups)}) built into rightsband, "
             "generated from `bands.toml` when this site was built. Each page gives the bands with the side of "
             "each bound, the scale, the years, whose bands they are, the source and how they were verified.", "",
             "```{toctree}", ":hidden:", ":glob:", "", "sets/*", "groups/*", "```", "", "## By topic", ""]
    by_topic: dict[str, list[str]] = defaultdict(list)
    for band_set in rules:
        by_topic[topic_of[band_set.id]].append(f"- [{code(band_set.id)}](sets/{band_set.id}.md): "
                                               f"{text(band_set.name)}")
    for group in rules.groups:
        by_topic[topic_of[group.id]].append(f"- [{code(group.id)}](groups/{group.id}.md) (group of editions): "
                                            f"{text(group.name)}")
    for topic in sorted(by_topic, key=str.casefold):
        lines += [f"### {text(topic)}", "", *by_topic[topic], ""]
    lines += ["## By publisher", ""]
    by_publisher: dict[str, list[BandSet]] = defaultdict(list)
    for band_set in rules:
        by_publisher[band_set.publisher].append(band_set)
    for publisher in sorted(by_publisher, key=str.casefold):
        lines += [f"### {text(publisher)}", ""]
        lines += [f"- [{code(s.id)}](sets/{s.id}.md): {text(s.name)}" for s in by_publisher[publisher]]
        lines.append("")
    table = re.sub(r"^\| `([^`]+)`", lambda m: f"| [`{m.group(1)}`](sets/{m.group(1)}.md)", sets_table(rules),
                   flags=re.M)
    lines += ["## All sets at a glance", "", table]
    return "\n".join(lines).rstrip("\n") + "\n"


def pages(rules: Rules) -> dict[str, str]:
    """Every catalogue page of ``rules``: its path under :data:`FOLDER` (without ``.md``) and its Markdown."""
    topic_of = topics(rules)
    made = {"index": index_page(rules, topic_of)}
    made.update({f"sets/{s.id}": set_page(s, rules, topic_of[s.id]) for s in rules})
    made.update({f"groups/{g.id}": group_page(g, topic_of[g.id]) for g in rules.groups})
    return made


def write(folder: Path, made: dict[str, str]) -> None:
    """Write the pages under ``folder``, touching only those that changed, and remove any others."""
    for name, page in made.items():
        path = folder / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_text(encoding="utf-8") != page:
            path.write_text(page, encoding="utf-8")
    for path in folder.rglob("*.md"):
        if path.relative_to(folder).with_suffix("").as_posix() not in made:
            path.unlink()


def _generate(app: Any) -> None:
    write(Path(app.srcdir) / FOLDER, pages(load_rules()))


def setup(app: Any) -> dict[str, Any]:
    app.connect("builder-inited", _generate)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
