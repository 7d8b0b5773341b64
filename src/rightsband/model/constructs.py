"""Rule constructs beyond one plain band table, as data the rules file declares.

- rounding before banding (:func:`round_half_up`: decimal places, half up, on the exact value);
- a two-sided transform (the band is chosen on the distance ``|centre − value|``);
- ties declared ambiguous (a value exactly on a cut gets no label: :data:`AMBIGUOUS_TIE`);
- gates (:class:`Gate`): criteria on a composite set's inputs choose the band table;
- cells that name a band without a score (``<5``): :func:`cell_key`;
- label-only sets, whose classes the publisher assigns by judgement (:data:`LABEL_ONLY`).

Every comparison is between exact Decimals; nothing here rounds through binary floats.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from rightsband.model.exact import EXACT
from rightsband.model.parts import _Record

#: ValueProblem kinds of these constructs.
AMBIGUOUS_TIE = "ambiguous-tie"
LABEL_ONLY = "label-only"
#: ``ties`` of a set: a value on a cut goes to the band holding it (``banded``), or gets no label.
TIES = ("banded", "ambiguous")
#: Kinds of set: bands on a score, or labels the publisher assigns without a score.
KINDS = ("bands", "label-only")
#: Confidence grades of a set's classes.
CONFIDENCE = ("high", "medium")
#: Comparisons a gate criterion may make, by TOML key: (symbol, test).
OPERATORS: dict[str, tuple[str, Callable[[Decimal, Decimal], bool]]] = {
    "at_least": ("≥", operator.ge), "above": (">", operator.gt),
    "at_most": ("≤", operator.le), "below": ("<", operator.lt),
}


def round_half_up(value: Decimal, places: int) -> Decimal:
    """``value`` rounded to ``places`` decimal places, half away from zero, exactly
    (``5.999999999999999`` → ``6.00``; ``0.7995`` → ``0.800`` at 3 places)."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP, context=EXACT)


def distance(value: Decimal, centre: Decimal) -> Decimal:
    """``|centre − value|``, exactly."""
    return abs(EXACT.subtract(centre, value))


def cell_key(text: str) -> str:
    """A cell as compared with a band's ``cells``: no white space, any dash a hyphen, case-folded
    (``35.0 – 49.9`` and ``35.0-49.9`` are one cell)."""
    for dash in ("\u2013", "\u2014", "\u2212", "\u2012"):
        text = text.replace(dash, "-")
    return "".join(text.split()).casefold()


class Criterion(_Record):
    """One test of a gate on one input: ``input`` ``op`` ``bound`` (op a key of :data:`OPERATORS`)."""

    __slots__ = ("input", "op", "bound", "label")

    def __init__(self, input: str, op: str, bound: Decimal, label: str = ""):
        self.input, self.op, self.bound, self.label = input, op, bound, label

    def holds(self, value: Decimal) -> bool:
        return OPERATORS[self.op][1](value, self.bound)

    def describe(self) -> str:
        """The test in words, e.g. ``free and fair elections (Q2.1): q2_1 ≥ 6``."""
        test = f"{self.input} {OPERATORS[self.op][0]} {self.bound}"
        return f"{self.label}: {test}" if self.label else test


class Gate(_Record):
    """Criteria on a composite set's inputs that choose its band table: ``passed`` when every
    criterion holds, else ``failed``; the band is then chosen on the input named ``value``."""

    __slots__ = ("value", "criteria", "passed", "failed")

    def __init__(self, value: str, criteria: tuple[Criterion, ...], passed: str, failed: str):
        self.value, self.criteria, self.passed, self.failed = value, criteria, passed, failed

    def judge(self, values: dict[str, Decimal]) -> GateOutcome:
        """The outcome for the inputs' values (every input read, none missing)."""
        failed = tuple((c, values[c.input]) for c in self.criteria if not c.holds(values[c.input]))
        return GateOutcome(self, failed)

    def describe(self) -> str:
        return (f"the {self.passed} bands if every criterion holds, else the {self.failed} bands: "
                + "; ".join(c.describe() for c in self.criteria))


class GateOutcome(_Record):
    """What a gate decided: the criteria that failed, with the values that failed them."""

    __slots__ = ("gate", "failed")

    def __init__(self, gate: Gate, failed: tuple[tuple[Criterion, Decimal], ...]):
        self.gate, self.failed = gate, failed

    @property
    def passed(self) -> bool:
        return not self.failed

    @property
    def table(self) -> str:
        """The band table the outcome chose."""
        return self.gate.passed if self.passed else self.gate.failed

    def describe(self) -> str:
        """E.g. ``autocracy: failed free and fair elections (Q2.1): q2_1 ≥ 6 (q2_1 = 5)``."""
        if self.passed:
            return f"{self.table}: all {len(self.gate.criteria)} criteria hold"
        return f"{self.table}: failed " + "; ".join(f"{c.describe()} ({c.input} = {v})" for c, v in self.failed)
