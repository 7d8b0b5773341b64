"""Checks of one band set's bands against each other and its scale.

Bounds in order and inside the scale, no duplicate labels, ``either`` naming other
bands, bands listed best first, and every value of the scale in exactly one band
(no overlaps, no gaps), all judged on the scale's step.
"""

from __future__ import annotations

from collections.abc import Callable

from rightsband.model import LOWER, Band, BandSet

#: ``report(line, message, band_label)``
Report = Callable[[int, str, str], None]


def check_bands(band_set: BandSet, line_of: Callable[[int], int], report: Report) -> None:
    """Report every problem of ``band_set``'s bands; ``line_of(j)`` is the line of band j."""
    scale = band_set.scale
    index = {id(b): j for j, b in enumerate(band_set.bands)}

    def where(band: Band) -> int:
        return line_of(index[id(band)])

    labels: dict[str, Band] = {}
    misplaced = False  # a band out of order or off the scale makes the order and cover checks meaningless
    for band in band_set.bands:
        if band.label.casefold() in labels:
            report(where(band), f"duplicate label; also at line {where(labels[band.label.casefold()])}", band.label)
        labels.setdefault(band.label.casefold(), band)
        if band.lower > band.upper:
            problem = f"bounds out of order: lower {band.lower} is above upper {band.upper}"
        elif band.lower < scale.min or band.upper > scale.max:
            problem = f"{band.interval} reaches outside the scale {scale}"
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
    if misplaced:
        return
    _check_order(band_set, where, report)
    _check_cover(band_set, where, report)


def _check_order(band_set: BandSet, where: Callable[[Band], int], report: Report) -> None:
    better_is_lower = band_set.direction == LOWER
    for prev, band in zip(band_set.bands, band_set.bands[1:], strict=False):
        if (band.lower <= prev.lower) if better_is_lower else (band.lower >= prev.lower):
            report(where(band), f"bounds out of order: {band.interval} is listed after {prev.interval}; "
                   f"list bands best first ({band_set.best} is best)", band.label)
            return


def _check_cover(band_set: BandSet, where: Callable[[Band], int], report: Report) -> None:
    """Sweep the bands from the bottom of the scale: report overlaps and uncovered values."""
    scale = band_set.scale
    reach: Band | None = None  # the band that reaches highest so far
    for band in sorted(band_set.bands, key=lambda b: (b.lower, not b.lower_closed)):
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
