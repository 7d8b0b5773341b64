"""The panel as a pandas DataFrame: the Python door to ``rightsband panel`` (as ``democracyData`` is for R)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rightsband.panels.build import PathLike, build
from rightsband.panels.rows import COLUMNS
from rightsband.panels.writing import long_rows, wide_columns, wide_rows

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["PanelWarning", "panel", "read"]


class PanelWarning(UserWarning):
    """The panel was built, and something in it needs a look (see ``DataFrame.attrs["problems"]``)."""


def panel(files: Sequence[PathLike], *, columns: Sequence[str] = (), country_column: str | None = None,
          year_column: str | None = None, countries: PathLike | None = None, wide: bool = False) -> pd.DataFrame:
    """The panel of several files, as ``rightsband panel`` builds it, as a DataFrame with its columns
    (``year`` an integer column); ``wide`` gives a row per country and year. The problems found
    (each a line, as on the command line's stderr) are in ``.attrs["problems"]``, and a
    :class:`PanelWarning` says how many; PanelError for a file or option that cannot be used."""
    import pandas as pd

    built = build(files, columns=columns, country_column=country_column, year_column=year_column,
                  countries=countries)
    names = wide_columns(built.rows) if wide else list(COLUMNS)
    frame: pd.DataFrame = pd.DataFrame.from_records(list(wide_rows(built.rows) if wide else long_rows(built.rows)),
                                      columns=names)
    frame["year"] = frame["year"].astype("Int64")
    problems = [str(problem) for problem in built.findings.problems]
    frame.attrs["problems"] = problems
    if problems:
        warnings.warn(f"{len(problems)} problem(s) in the panel, the first: {problems[0]}; all in "
                      '.attrs["problems"]', PanelWarning, stacklevel=2)
    return frame


def read(file: PathLike, *, columns: Sequence[str] = (), country_column: str | None = None,
         year_column: str | None = None, countries: PathLike | None = None, wide: bool = False) -> pd.DataFrame:
    """The panel of one file as a DataFrame (see :func:`panel`)."""
    frame: pd.DataFrame = panel([file], columns=columns, country_column=country_column, year_column=year_column,
                                countries=countries, wide=wide)
    return frame
