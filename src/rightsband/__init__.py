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
import pandas or NumPy (nor anything else until a name is used): :func:`band` imports
them when it is first called.
"""

#: Not ``typing.TYPE_CHECKING``: importing typing would be most of this module's cost.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from rightsband.frames import BandError, band
    from rightsband.model import Band, BandSet, Classification, Group, Input, Scale, Years
    from rightsband.panels.frame import panel, read
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
#: The module each public name comes from. Each is imported on first use, so that ``rightsband.cli``
#: (whose parent this is) starts, and takes charge of Ctrl-C, before anything heavy is imported.
_HOMES = {
    **dict.fromkeys(("band", "BandError"), "rightsband.frames"),
    **dict.fromkeys(("read", "panel"), "rightsband.panels.frame"),  # the country-year panel as a DataFrame
    **dict.fromkeys(("Band", "BandSet", "Classification", "Group", "Input", "Scale", "Years"), "rightsband.model"),
    **dict.fromkeys(("Finding", "Rules", "RulesError", "RulesSource", "UnknownSetError", "YearError", "builtin_path",
                     "check_rules", "load_rules"), "rightsband.rules"),
    **dict.fromkeys(("MISSING_MARKERS", "ValueProblem", "ValueTypeError", "is_missing", "parse_number", "visible"),
                    "rightsband.values"),
}


def __getattr__(name: str) -> "Any":
    """A public name, imported from its module on first use (``band`` imports pandas)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'rightsband' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """The module's names, with those not imported yet among them."""
    return sorted({*globals(), *__all__})
