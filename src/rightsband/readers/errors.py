"""Why an input cannot be read as a table: one line each, naming the input and what to do."""

from __future__ import annotations


class UnreadableInput(Exception):
    """An input that is not a table rightsband reads (a PDF, an ``.xls``, a zip of several files),
    or whose data is damaged: the message says what it is and what to do (exit 1)."""


class InputOptionError(UnreadableInput):
    """An option that does not fit the input (``--sheet`` naming no sheet, ``--header-row`` on a CSV):
    a usage error (exit 2). ``option`` is the option at fault."""

    def __init__(self, message: str, option: str):
        super().__init__(message, option)
        self.message, self.option = message, option

    def __str__(self) -> str:
        return self.message
