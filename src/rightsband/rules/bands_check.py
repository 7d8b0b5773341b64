"""Checks of one band set's bands against each other and its scale.

Bounds in order and inside the scale, no duplicate labels, aliases or cells, ``either``
naming other bands, bands listed best first, and every value of the scale in exactly one
band (no overlaps, no gaps), all judged on the scale's step; for a two-sided set on the
distances from its centre, for a gated set in each of its band tables.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from rightsband.model import LOWER, Band, BandSet, Scale, cell_key
from rightsband.values import ValueProblem, is_missing, parse_number

#: ``report(line, message, band_label)``
Report = Callable[[int, str, str], None]


def check_bands(band_set: BandSet, line_of: Callable[[int], int], report: Report) -> None:
    """Report every problem of ``band_set``'s bands; ``line_of(j)`` is the line of band j."""
    index = {id(b): j for j, b in enumerate(band_set.bands)}

    def where(band: Band) -> int:
        return line_of(index[id(band)])

    labels: dict[str, Band] = {}
    for band in band_set.bands:
        if band.label.casefold() in labels:
            report(where(band), f"duplicate label; also at line {where(labels[band.label.casefold()])}", band.label)
        labels.setdefault(band.label.casefold(), band)
    _check_names(band_set, where, report)
    if band_set.label_only is not None:
        return
    low, high = band_set.banded_scale
    scale = Scale(low, high, band_set.scale.step if band_set.distance_from is None else None)
    misplaced = False  # a band out of order or off the scale makes the order and cover checks meaningless
    for band in band_set.bands:
        if band.lower > band.upper:
            problem = f"bounds out of order: lower {band.lower} is above upper {band.upper}"
        elif band.lower < scale.min or band.upper > scale.max:
            what = "the distances from " + str(band_set.distance_from) if band_set.distance_from is not None else \
                "the scale"
            problem = f"{band.interval} reaches outside {what} {scale}"
        elif not scale.has_value_in(band):
            problem = f"{band.interval} holds no value of the scale {scale}"
        else:
            continue
        report(where(band), problem, band.label)
        misplaced = True
    for band in band_set.bands:
        unknown = [e for e in band.either if e.casefold() not in labels or e.casefold() == band.label.casefold()]
        if unknown:
            report(where(band), f"'either' names {unknown[0]!r}, which is not another band's label", band.label)
    tables = [""] if band_set.gate is None else [band_set.gate.passed, band_set.gate.failed]
    for band in band_set.bands:
        if band.table not in tables:
            report(where(band), f"table {band.table!r} is not a band table of the gate ({' or '.join(tables)})",
                   band.label)
            misplaced = True
    if misplaced:
        return
    better_is_lower = band_set.direction == LOWER or band_set.distance_from is not None
    for table in tables:
        bands = [b for b in band_set.bands if b.table == table]
        if not bands:
            report(line_of(0), f"the gate's band table {table!r} has no bands; give it bands with table = {table!r}",
                   band_set.bands[0].label)
            continue
        _check_order(bands, better_is_lower, band_set.best, where, report)
        _check_cover(bands, scale, where, report)


def _check_names(band_set: BandSet, where: Callable[[Band], int], report: Report) -> None:
    """Aliases name one band each; cells name one band each and are no number or missing marker."""
    owner = {band.label.casefold(): band for band in reversed(band_set.bands)}
    cells: dict[str, Band] = {}
    for band in band_set.bands:
        for name in band.aliases:
            other = owner.setdefault(name.casefold(), band)
            if other is not band:
                report(where(band), f"alias {name!r} is also a label or alias of band {other.label!r}; a published "
                       "label must name one band", band.label)
        for cell in band.cells:
            other = cells.setdefault(cell_key(cell), band)
            if other is not band:
                report(where(band), f"cell {cell!r} also names band {other.label!r}", band.label)
            if is_missing(cell):
                report(where(band), f"cell {cell!r} is a missing-value marker", band.label)
                continue
            try:
                parse_number(cell)
            except ValueProblem:
                continue
            report(where(band), f"cell {cell!r} reads as a number; cells name a band where no score is given",
                   band.label)


def _check_order(bands: list[Band], better_is_lower: bool, best: str, where: Callable[[Band], int],
                 report: Report) -> None:
    for prev, band in pairwise(bands):
        if (band.lower <= prev.lower) if better_is_lower else (band.lower >= prev.lower):
            report(where(band), f"bounds out of order: {band.interval} is listed after {prev.interval}; "
                   f"list bands best first ({best} is best)", band.label)
            return


def _check_cover(bands: list[Band], scale: Scale, where: Callable[[Band], int], report: Report) -> None:
    """Sweep the bands from the bottom of the scale: report overlaps and uncovered values."""
    reach: Band | None = None  # the band that reaches highest so far
    for band in sorted(bands, key=lambda b: (b.lower, not b.lower_closed)):
        start, start_closed = (scale.min, True) if reach is None else (reach.upper, not reach.upper_closed)
        gap = Band("", start, band.lower, start_closed, not band.lower_closed)
        if scale.has_value_in(gap):
            report(where(band), f"gap: values in {gap.interval} fall in no band", band.label)
        if reach is not None:
            shared = _intersection(reach, band)
            if scale.has_value_in(shared):
                report(where(band), f'overlaps band "{reach.label}" on {shared.interval}', band.label)
        if reach is None or band.upper > reach.upper or (band.upper == reach.upper and band.upper_closed):
            reach = band
    assert reach is not None  # a set has at least one band
    top = Band("", reach.upper, scale.max, not reach.upper_closed, True)
    if scale.has_value_in(top):
        report(where(reach), f"gap: values in {top.interval} fall in no band", reach.label)


def _intersection(a: Band, b: Band) -> Band:
    """The interval two bands share (possibly empty), with the tighter side at each end."""
    lower, upper = max(a.lower, b.lower), min(a.upper, b.upper)
    return Band("", lower, upper,
                all(x.lower_closed for x in (a, b) if x.lower == lower),
                all(x.upper_closed for x in (a, b) if x.upper == upper))
