"""rightsband: turn human-rights index scores into band labels, exactly and explainably.

    >>> from rightsband import load_rules
    >>> rules = load_rules()
    >>> rules.get("rsf").classify("53,46").label
    'Highly controlled, limited or intimidated'

Whole columns (pandas, polars, NumPy, lists), on the engine ``rightsband label`` uses:

    >>> import pandas as pd
    >>> rightsband.band(pd.Series([53.46, 12.0, None]), "rsf").tolist()
    ['Highly controlled, limited or intimidated', 'Largely free, diverse and independent', nan]

The CLI (``rightsband``) is a thin layer over these calls. ``import rightsband`` does not
import pandas or NumPy: :func:`band` imports them when it is first called.
"""

from typing import Any

from rightsband.model import Band, BandSet, Classification, Group, Input, Scale, Years
from rightsband.rules import (
    Finding,
    Rules,
    RulesError,
    RulesSource,
    UnknownSetError,
    YearError,
    builtin_path,
    check_rules,
    load_rules,
)
from rightsband.values import MISSING_MARKERS, ValueProblem, ValueTypeError, is_missing, parse_number, visible

__all__ = [
    "MISSING_MARKERS", "Band", "BandError", "BandSet", "Classification", "Finding", "Group", "Input", "Rules",
    "RulesError", "RulesSource", "Scale", "UnknownSetError", "ValueProblem", "ValueTypeError", "YearError", "Years",
    "band", "builtin_path", "check_rules", "is_missing", "load_rules", "panel", "parse_number", "read", "visible",
]


def __getattr__(name: str) -> Any:
    """``band`` and ``BandError`` come from :mod:`rightsband.frames`, imported on first use (it imports pandas)."""
    if name in ("band", "BandError"):
        from rightsband import frames

        return getattr(frames, name)
    if name in ("read", "panel"):  # the country-year panel as a DataFrame (imports pandas when called)
        from rightsband.panels import frame

        return getattr(frame, name)
    raise AttributeError(f"module 'rightsband' has no attribute {name!r}")
