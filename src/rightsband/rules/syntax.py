"""TOML that does not parse, located on a line (imported only when a file does not parse).

tomllib gives most syntax errors a line, but not all: an integer too long for
Python to read, arrays nested so deeply that the parser runs out of stack, and
errors "at end of document". These find the line themselves, and fall back to
line 1, so every finding has one.
"""

from __future__ import annotations

import re
import sys

from rightsband.rules.fields import NUMBER_RULE

#: Brackets nested deeper than this are reported where they pass it (a rules file needs 5 levels).
MAX_NESTING = 16
#: Patterns, compiled when an error needs them (never on the way of a clean load).
_AT_LINE = r"\(at line (\d+), column \d+\)"
_TOKENS = (r'''"""(?:[^\\]|\\[\s\S])*?"""(?!")'''  # strings and comments are skipped
           r"""|'''[\s\S]*?'''(?!')|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|#[^\n]*"""
           r"""|[\[\]{}]""")


def located_parse_error(error: Exception, text: str) -> tuple[int, str]:
    """The line and message of a finding for what tomllib raised on ``text``."""
    if isinstance(error, RecursionError):
        return deepest_line(text), ("not valid TOML: arrays or tables nested too deeply to read; "
                                    "a rules file needs only a few levels")
    message = str(error)
    at = re.search(_AT_LINE, message)
    if at:
        return int(at.group(1)), f"not valid TOML: {message}"
    if "end of document" in message:
        return last_line(text), f"not valid TOML: {message}"
    limit = _int_digits_limit()
    long_number = re.search(rf"\d[\d_]{{{max(limit - 1, 0)}}}", text) if limit else None
    if long_number is not None and "digits" in message:
        return (text.count("\n", 0, long_number.start()) + 1,
                f"not valid TOML: an integer with more than {limit} digits cannot be read; {NUMBER_RULE}")
    return 1, f"not valid TOML: {message}"


def _int_digits_limit() -> int:
    get = getattr(sys, "get_int_max_str_digits", None)
    return int(get()) if get is not None else 0


def last_line(text: str) -> int:
    """The number of the last line of ``text`` (a final line break ends that line, not starts one)."""
    return max(text.count("\n") + (0 if text.endswith("\n") else 1), 1)


def deepest_line(text: str) -> int:
    """The line where brackets and braces (outside strings and comments) first nest deeper than
    :data:`MAX_NESTING` levels; line 1 if they never do."""
    depth = 0
    for token in re.finditer(_TOKENS, text):
        char = token.group()
        if char in ("[", "{"):
            depth += 1
            if depth > MAX_NESTING:
                return text.count("\n", 0, token.start()) + 1
        elif char in ("]", "}"):
            depth = max(depth - 1, 0)
    return 1
