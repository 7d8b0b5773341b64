"""A panel built from files: each a publisher's file read by its recognised layout, or a tidy table
read with ``--column`` mappings; every row labelled, checked and put on its country key."""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, NamedTuple

from rightsband.panels.banding import Bander
from rightsband.panels.keys import put_on_keys
from rightsband.panels.publisher import publisher_rows
from rightsband.panels.rows import Findings, PanelError, Row
from rightsband.panels.tidy import tidy_rows
from rightsband.rules import Rules

if TYPE_CHECKING:
    from rightsband.countries import CountryMatcher
    from rightsband.publishers import Layout

__all__ = ["Panel", "build"]

PathLike = str | os.PathLike[str]


class Panel(NamedTuple):
    """The rows of a panel, in the files' order, and what was found on the way."""

    rows: list[Row]
    findings: Findings
    #: Each layout recognised (by id) and the files read by it.
    layouts: dict[str, tuple[Layout, list[str]]]


def build(paths: Sequence[PathLike], *, columns: Sequence[str] = (), country_column: str | None = None,
          year_column: str | None = None, countries: PathLike | None = None, rules: Rules | None = None,
          rank_check: bool = True) -> Panel:
    """The panel of ``paths``. ``columns`` (``COLS=INDEX[:MEASURE]``), ``country_column`` and
    ``year_column`` read the files no layout recognises; ``countries`` is a CSV of ``name,code``
    matches to add or override. PanelError (one line) for a file or option that cannot be used,
    and for ranks beside a score that run against its set's direction (:mod:`rightsband.rankguard`)
    unless not ``rank_check``."""
    from rightsband.countries import CountriesError, CountryMatcher
    from rightsband.rules import load_rules

    try:
        matcher = CountryMatcher(countries)
    except CountriesError as error:
        raise PanelError(str(error)) from None
    with _no_cycle_collection():
        return _build(paths, matcher, rules if rules is not None else load_rules(), columns=columns,
                      country_column=country_column, year_column=year_column, rank_check=rank_check)


def _build(paths: Sequence[PathLike], matcher: CountryMatcher, rules: Rules, *, columns: Sequence[str],
           country_column: str | None, year_column: str | None, rank_check: bool) -> Panel:
    from rightsband import publishers
    from rightsband.rankguard import RankDirectionError

    bander = Bander(rules)
    findings = Findings()
    rows: list[Row] = []
    layouts: dict[str, tuple[Layout, list[str]]] = {}
    for given in paths:
        path = os.fspath(given)
        if not os.path.isfile(path):
            raise PanelError(f"{path}: no such file" if not os.path.exists(path) else f"{path}: not a file")
        try:
            layout = publishers.recognise(path)
            if layout is None:
                rows.extend(tidy_rows(path, columns, bander, findings, country_column=country_column,
                                      year_column=year_column, rank_check=rank_check))
            else:
                layouts.setdefault(layout.id, (layout, []))[1].append(path)
                rows.extend(publisher_rows(path, layout, bander, findings, rank_check=rank_check))
        except publishers.LayoutError as error:
            raise PanelError(str(error)) from None
        except RankDirectionError as error:
            raise PanelError(f"{path}: {error}") from None
        except OSError as error:
            raise PanelError(f"{path}: cannot read it ({error.strerror or error})") from None
    return Panel(put_on_keys(rows, matcher, findings), findings, layouts)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector off while a panel is built: its passes over the tens of thousands of
    rows held (none of them in a cycle) cost a fifth of a run; whatever cycles the readers leave are
    collected once it is back on."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
