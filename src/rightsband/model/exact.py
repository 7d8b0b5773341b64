"""Exact decimal arithmetic: contexts in which no digit is lost, a decimal point moved without
rounding, and a quotient that is exact or known not to exist."""

from __future__ import annotations

from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, DivisionByZero, Inexact, InvalidOperation, Overflow

#: Addition, subtraction, multiplication, scaleb and integer division are exact in this
#: context, whatever the number of digits. (Never divide in it: an inexact quotient would
#: need MAX_PREC digits.)
EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
#: Division that signals any rounding (Inexact): a quotient it returns is exact.
DIVIDE = Context(prec=100, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation, DivisionByZero, Overflow, Inexact])
#: Only for showing a mean that has no finite decimal expansion (never to decide a band).
SHOWN = Context(prec=28)


def times_100(number: Decimal) -> Decimal:
    """``number`` × 100, exactly: the decimal point moved (``Decimal.scaleb`` rounds to the context)."""
    sign, digits, exponent = number.as_tuple()
    return Decimal((sign, digits, int(exponent) + 2))


def exact_quotient(total: Decimal, count: int) -> Decimal | None:
    """``total / count`` exactly, or None if it has no finite decimal expansion.

    As Decimal division does when the quotient is exact, trailing zeros are dropped
    down to the dividend's exponent (``10 / 2`` is ``5``, ``11 / 2`` is ``5.5``).
    """
    if count == 1:
        return total
    try:
        return DIVIDE.divide(total, count)  # the usual case: few digits, and exact
    except Inexact:  # no finite expansion, or more than 100 digits: decide with integers
        pass
    exponent = int(total.as_tuple().exponent)
    coefficient = int(EXACT.scaleb(total, -exponent))  # signed; no str round trip (int digit limits)
    twos = fives = 0
    rest = count
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if abs(coefficient) % rest:
        return None
    shift = max(twos, fives)
    coefficient = coefficient // rest * (10**shift // (2**twos * 5**fives))
    quotient_exponent = exponent - shift
    while quotient_exponent < exponent and coefficient % 10 == 0:
        coefficient, quotient_exponent = coefficient // 10, quotient_exponent + 1
    quotient = EXACT.scaleb(Decimal(coefficient), quotient_exponent)
    return quotient.copy_negate() if total.is_signed() and not quotient.is_signed() else quotient
