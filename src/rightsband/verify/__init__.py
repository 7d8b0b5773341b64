"""Check a publisher's own labels against the rule: the library side of ``rightsband verify``.

Modules, each importing only those above it: ``verdicts`` (how one check is judged on one
labelled block), ``checks`` (:func:`parse_checks`, :func:`verify_csv`, the counts and findings).
"""

from __future__ import annotations

from rightsband.verify.checks import (
    AGREE,
    AMBIGUOUS,
    DISAGREE,
    MISSING,
    OUTCOMES,
    REFUSED,
    Check,
    CheckError,
    Finding,
    Tally,
    VerifyReport,
    normalised,
    parse_checks,
    verify_csv,
)

__all__ = ["AGREE", "AMBIGUOUS", "DISAGREE", "MISSING", "OUTCOMES", "REFUSED", "Check", "CheckError", "Finding",
           "Tally", "VerifyReport", "normalised", "parse_checks", "verify_csv"]
