"""rightsband: turn human-rights index scores into band labels, exactly and explainably.

    >>> from rightsband import load_rules
    >>> rules = load_rules()
    >>> rules.get("rsf").classify("53,46").label
    'Highly controlled, limited or intimidated'

The CLI (``rightsband``) is a thin layer over these calls.
"""

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
    "MISSING_MARKERS", "Band", "BandSet", "Classification", "Finding", "Group", "Input", "Rules", "RulesError",
    "RulesSource", "Scale", "UnknownSetError", "ValueProblem", "ValueTypeError", "YearError", "Years", "builtin_path",
    "check_rules", "is_missing", "load_rules", "parse_number", "visible",
]
