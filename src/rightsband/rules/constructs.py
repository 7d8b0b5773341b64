"""Read the rule constructs of one ``[[set]]`` table: ``round``, ``distance_from``, ``ties``,
``gate``, ``kind = "label-only"`` and the grading keys ``confidence``, ``verified``, ``unconfirmed``.

Each misuse is a finding at the line of its key. What is read is returned as keyword
arguments of :class:`rightsband.model.BandSet`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rightsband.model import CONFIDENCE, KINDS, LOWER, OPERATORS, TIES, Criterion, Gate, Scale
from rightsband.rules import fields
from rightsband.rules.positions import Where

#: ``report(line, message)`` for the set being read.
Report = Callable[[int | Where, str], None]
#: Keys of a gate table and of one of its criteria.
GATE_KEYS = {"value", "criteria", "passed", "failed"}
CRITERION_KEYS = {"input", "label", *OPERATORS}
#: Set keys that have no meaning on a label-only set.
NOT_LABEL_ONLY = ("scale", "unit", "direction", "inputs", "combine", "round", "distance_from", "ties", "ties_reason",
                  "gate", "published_as", "closed")


def read_kind(table: dict[str, Any], at: Callable[[str], Where], report: Report) -> str:
    """``bands`` (the default) or ``label-only``; a label-only set must say how its labels are assigned."""
    kind = table.get("kind", "bands")
    if kind not in KINDS:
        report(at("kind"), f"'kind' is {fields.shown(kind)}; use one of: {', '.join(KINDS)}")
        return "bands"
    if kind == "label-only":
        for key in NOT_LABEL_ONLY:
            if key in table:
                report(at(key), f"'{key}' does not apply to a label-only set (kind = 'label-only'), which has no score")
        if "assigned" not in table:
            report(at("kind"), "a label-only set needs 'assigned': how the publisher assigns its labels without a "
                   "score rule")
    elif "assigned" in table:
        report(at("assigned"), "'assigned' belongs to a label-only set; add kind = 'label-only' or remove it")
    return str(kind)


def read_grading(table: dict[str, Any], at: Callable[[str], Where], report: Report) -> dict[str, Any]:
    """``confidence`` (high or medium), ``verified`` and ``unconfirmed``; medium needs ``unconfirmed``."""
    confidence = table.get("confidence")
    if confidence is not None and confidence not in CONFIDENCE:
        report(at("confidence"), f"'confidence' is {fields.shown(confidence)}; use one of: {', '.join(CONFIDENCE)}")
        confidence = None
    texts = {}
    for key in ("verified", "unconfirmed", "assigned"):
        value = table.get(key, "")
        problem = fields.prose(value, f"'{key}'", allow_empty=key != "assigned" or key not in table)
        if problem:
            report(at(key), problem)
            value = ""
        texts[key] = fields.reflow(value) if isinstance(value, str) else ""
    if confidence == "medium" and not texts["unconfirmed"]:
        report(at("confidence"), "a medium-confidence set must say what is unconfirmed: add 'unconfirmed'")
    return {"confidence": confidence, "verified": texts["verified"], "unconfirmed": texts["unconfirmed"],
            "label_only": texts["assigned"] if table.get("kind") == "label-only" else None}


def read_transforms(table: dict[str, Any], scale: Scale, direction: str, inputs: bool, gated: bool,
                    at: Callable[[str], Where], report: Report) -> dict[str, Any]:
    """``round``, ``distance_from``, ``ties`` and ``ties_reason`` of a set on a score."""
    read: dict[str, Any] = {}
    combined = inputs and not gated
    if "round" in table:
        places = table["round"]
        if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= fields.MAX_PLACES:
            report(at("round"), f"'round' is {fields.shown(places)}; give the decimal places to round to before "
                   f"banding, a whole number from 0 to {fields.MAX_PLACES}")
        elif combined:
            report(at("round"), "'round' does not apply to a set that combines its inputs (a mean or sum)")
        else:
            read["rounding"] = places
    if "distance_from" in table:
        centre, problem = fields.number(table["distance_from"], "distance_from")
        if problem or centre is None:
            report(at("distance_from"), problem or "distance_from must be a number")
        elif inputs:
            report(at("distance_from"), "'distance_from' does not apply to a composite set")
        elif not scale.min <= centre <= scale.max:
            report(at("distance_from"), f"distance_from {centre} lies outside the scale {scale}")
        elif direction != LOWER:
            report(at("direction"), "a two-sided set bands the distance from its centre, nearest best: give "
                   "direction = 'lower-is-better'")
        else:
            read["distance_from"] = centre
    ties = table.get("ties", "banded")
    if ties not in TIES:
        report(at("ties"), f"'ties' is {fields.shown(ties)}; use one of: {', '.join(TIES)}")
    else:
        read["ties"] = ties
    if "ties_reason" in table:
        problem = fields.prose(table["ties_reason"], "'ties_reason'")
        if problem:
            report(at("ties_reason"), problem)
        elif ties != "ambiguous":
            report(at("ties_reason"), "'ties_reason' needs ties = 'ambiguous'")
        else:
            read["ties_reason"] = fields.reflow(table["ties_reason"])
    return read


def read_gate(value: Any, input_names: Sequence[str], where: Where, criteria_at: Where,
              report: Report) -> Gate | None:
    """A ``gate`` table: criteria on named inputs, the input banded, and the band tables it chooses
    (``criteria_at``: where the criteria are)."""
    if not input_names:
        report(where, "a gate needs the set's 'inputs': the criteria are tests on them")
        return None
    if not isinstance(value, dict):
        report(where, "'gate' must be a table with value, criteria, passed and failed")
        return None
    known = ", ".join(input_names)
    ok = True
    for key in value:
        if key not in GATE_KEYS:
            report(where, f"unknown key {fields.shown(key)} in gate; allowed: {', '.join(sorted(GATE_KEYS))}")
            ok = False
    banded = value.get("value")
    if banded not in input_names:
        report(where, f"gate 'value' is {fields.shown(banded)}; name the input whose value is banded: {known}")
        ok = False
    tables = [value.get("passed"), value.get("failed")]
    for key, name in zip(("passed", "failed"), tables):
        problem = fields.name(name, f"gate '{key}'")
        if problem:
            report(where, f"{problem}: the band table used when the gate {key}")
            ok = False
    if ok and tables[0] == tables[1]:
        report(where, "gate 'passed' and 'failed' must name two different band tables")
        ok = False
    criteria = value.get("criteria")
    if not isinstance(criteria, list) or not criteria or not all(isinstance(c, dict) for c in criteria):
        report(criteria_at, "gate 'criteria' must list tables like { input = \"q2_1\", at_least = 6, label = \"...\" }")
        return None
    read = []
    for n, criterion in enumerate(criteria, start=1):
        one = _criterion(criterion, n, input_names, criteria_at, report)
        ok = ok and one is not None
        if one is not None:
            read.append(one)
    if not ok:
        return None
    return Gate(str(banded), tuple(read), str(tables[0]), str(tables[1]))


def _criterion(table: dict[str, Any], n: int, input_names: Sequence[str], where: Where,
               report: Report) -> Criterion | None:
    what = f"gate criterion {n}"
    unknown = [k for k in table if k not in CRITERION_KEYS]
    if unknown:
        report(where, f"unknown key {fields.shown(unknown[0])} in {what}; allowed: {', '.join(sorted(CRITERION_KEYS))}")
        return None
    name = table.get("input")
    if name not in input_names:
        report(where, f"{what} tests input {fields.shown(name)}; name one of the set's inputs: "
               + ", ".join(input_names))
        return None
    tests = [op for op in OPERATORS if op in table]
    if len(tests) != 1:
        report(where, f"{what} needs exactly one of {', '.join(OPERATORS)}, e.g. at_least = 6")
        return None
    bound, problem = fields.number(table[tests[0]], f"{what} {tests[0]}")
    label = table.get("label", "")
    label_problem = fields.name(label, f"{what} label") if label != "" else None
    if problem or label_problem or bound is None:
        report(where, problem or label_problem or f"{what}: not a number")
        return None
    return Criterion(str(name), tests[0], bound, label)
