"""What a publisher's file says, one record per country, year and measure."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple


class Source(NamedTuple):
    """Where an observation was read: the file as named, the sheet (None for a CSV), the row
    (1-based, as the spreadsheet or a text editor numbers it), the score column's header, and the
    rank column's header where the measure has one."""

    file: str
    sheet: str | None
    row: int
    column: str
    rank: str | None = None

    def __str__(self) -> str:
        sheet = f', sheet "{self.sheet}"' if self.sheet is not None else ""
        return f'{self.file}{sheet}, row {self.row}, column "{self.column}"'


class Observation(NamedTuple):
    """One measure of one country in one year, as the publisher's file writes it.

    ``country`` is the name with its outer spaces removed; ``code`` the ISO code the file
    carries (RSF, CPI), ``kind`` Freedom House's C/T (``c`` country, ``t`` territory), None where
    the file does not say. ``year`` means what the layout's ``year_means`` says (Freedom House:
    the year under review); ``edition`` is the publisher's edition as written. ``set_id`` is the
    band set or group (chosen by ``year``) in ``bands.toml``. ``score`` is the cell as written;
    a measure read from several cells (a set with inputs) has them in ``inputs``, name to cell,
    and, without a score column of its own, ``score`` is those cells joined by ``,``.
    ``published`` is the publisher's own label, ``rank`` its rank, where the file has them.
    ``problem`` says why the cells cannot be labelled (the layout refuses them), else None.
    """

    country: str
    code: str | None
    kind: str | None
    year: int
    edition: str
    measure: str
    set_id: str
    score: str
    inputs: Mapping[str, str]
    published: str | None
    rank: str | None
    source: Source
    problem: str | None = None

    @property
    def value(self) -> str | Mapping[str, str]:
        """What the band set classifies: the inputs for a set with inputs, else the score
        (``rules.for_year(o.set_id, o.year).classify(o.value)``)."""
        return self.inputs if self.inputs else self.score
