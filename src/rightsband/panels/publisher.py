"""The panel rows of a publisher's file (a layout of ``publishers.toml``): each observation labelled
by its band set, and its label checked against the publisher's own."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from rightsband import publishers
from rightsband.model import YearError
from rightsband.panels.banding import Bander
from rightsband.panels.rows import DISAGREE, REFUSED, YEAR, Findings, Problem, Row
from rightsband.rankguard import Ranked, check_ranked
from rightsband.verify.verdicts import AMBIGUOUS

__all__ = ["measure_name", "publisher_rows"]


def measure_name(layout: publishers.Layout, measure: str) -> str:
    """A measure's name in the panel: the publisher's short name (the layout id up to its first
    hyphen: fh, rsf, ti, bti) and the layout's name for the measure (``fh-status``, ``rsf-score``)."""
    return f"{layout.id.partition('-')[0]}-{measure}"


def publisher_rows(path: str, layout: publishers.Layout, bander: Bander, findings: Findings, *,
                   rank_check: bool = True) -> Iterator[Row]:
    """The rows of a recognised publisher's file, labelled; problems and verdicts into ``findings``.
    Once the file is read, where a measure has ranks, each year's ranks must run the way its set's
    direction says (:func:`rightsband.rankguard.check_ranked`; RankDirectionError), unless not ``rank_check``."""
    measures = {m.name: measure_name(layout, m.name) for m in layout.measures}
    no_edition: set[tuple[str, int]] = set()  # reported once per set and year: every row of it is alike
    ranked: dict[tuple[str, str, str, str, int], tuple[list[str], list[str]]] = {}  # scores, ranks by measure,
    # set, columns and year
    for o in publishers.read(path, layout):
        where = str(o.source)
        label, set_id = None, o.set_id
        if o.problem is not None:
            findings.add(Problem(where, REFUSED, f'"{o.score}": {o.problem}', o.score, set_id))
        else:
            try:
                band_set = bander.band_set(o.set_id, o.year)
            except YearError as error:
                if (o.set_id, o.year) not in no_edition:
                    no_edition.add((o.set_id, o.year))
                    message = f"{error}; no {o.year} row of {o.set_id} in this file is labelled"
                    findings.add(Problem(where, YEAR, message, str(o.year), set_id))
            else:
                set_id = band_set.id
                if rank_check and o.rank is not None and o.source.rank is not None:
                    scores, ranks = ranked.setdefault((o.measure, o.set_id, o.source.column, o.source.rank, o.year),
                                                      ([], []))
                    scores.append(o.score)
                    ranks.append(o.rank)
                label, issue = bander.label(band_set, o.value)
                if issue is not None and "ambiguous" in issue.kind:
                    findings.count(AMBIGUOUS)
                elif issue is not None:
                    findings.add(Problem(where, issue.kind, issue.message, issue.cell, set_id))
                elif label is not None and o.published is not None:
                    verdict = bander.verdict(band_set, label, o.published)
                    findings.count(verdict)
                    if verdict == DISAGREE:
                        findings.add(Problem(where, DISAGREE, f'{o.country} {o.year}: the rule gives "{label}" '
                                             f'for {o.score} but the file publishes "{o.published}"', o.score, set_id))
        yield Row(None, o.country, o.year, o.edition, measures[o.measure], set_id, o.score, label, o.published, o.rank,
                  where, o.code)
    check_ranked((Ranked(column, rank, set_id, bander.band_set(set_id, year), year, scores, ranks,
                         _fix(layout, measure))
                  for (measure, set_id, column, rank, year), (scores, ranks) in ranked.items()), bander.rules)


def _fix(layout: publishers.Layout, measure: str) -> Callable[[str], str]:
    """How to name another set for a measure of a layout: in ``publishers.toml``."""
    return lambda use: f'set = "{use}" for measure {measure} of layout {layout.id} in publishers.toml'
