"""The country-year panel: publishers' files as they ship (and tidy tables) in, one tidy table out.

:func:`build` reads each file by its recognised layout (:mod:`rightsband.publishers`), or, for a
file no layout fits, by ``--column`` mappings as ``label`` reads it; labels every value with one
engine per band set; checks each label against the publisher's own; and puts every row on one
country key (:mod:`rightsband.countries`). :func:`write` writes it long or wide.

Modules, each importing only those above it: ``rows`` (the row, the problems), ``banding``
(engines and verdicts), ``publisher`` and ``tidy`` (rows from the two kinds of file), ``keys``
(country codes, unmatched names, conflicts), ``build``, ``writing``, ``frame`` (pandas).
"""

from __future__ import annotations

from rightsband.panels.build import Panel, build
from rightsband.panels.rows import COLUMNS, PROBLEM_FIELDS, Findings, PanelError, PanelUsageError, Problem, Row
from rightsband.panels.writing import write

__all__ = ["COLUMNS", "PROBLEM_FIELDS", "Findings", "Panel", "PanelError", "PanelUsageError", "Problem", "Row", "build",
           "write"]
