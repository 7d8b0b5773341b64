"""Files the commands read and write: the CSV input, and output files written atomically.

Output goes through a temporary file beside the target, renamed over it only when the
run finishes; after a failure, a ``--strict`` stop, Ctrl-C or SIGTERM the target is
untouched and the temporary file removed. (``click.open_file(atomic=True)`` renames
its file over the target even when the ``with`` block raises, so it cannot give this.)
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import IO, Any, BinaryIO

import click

TEMPORARY_PREFIX = ".rightsband-"


def open_input(path: str | None) -> tuple[contextlib.AbstractContextManager[BinaryIO], int]:
    """The CSV input as a binary stream (``-`` or None: stdin), and its size if it is a regular file (else 0)."""
    if path is None or path == "-":
        if path is None and sys.stdin.isatty():
            raise click.UsageError("give an INPUT file, or - to read CSV from stdin")
        if sys.stdin.isatty():
            click.echo("rightsband: reading CSV from stdin; end with Ctrl-D", err=True)
        return contextlib.nullcontext(sys.stdin.buffer), 0
    try:
        stream = open(path, "rb")  # noqa: SIM115 - returned to the caller's with-block
        size = os.fstat(stream.fileno()).st_size
    except OSError as error:
        raise click.BadParameter(f"cannot read {path!r}: {error.strerror}", param_hint="INPUT") from None
    return stream, size


def same_file(a: str, b: str | None) -> bool:
    """True if ``b`` (a path, not stdin) is the same file as ``a``."""
    return b is not None and b != "-" and os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)


@contextlib.contextmanager
def atomic_output(path: str | None, option: str, text: bool = False) -> Iterator[IO[Any]]:
    """stdout (None or ``-``), or FILE written atomically (see the module docstring).

    An existing FILE keeps its permissions; something that is not a regular file
    (``/dev/null``, a FIFO) is written in place, since there is nothing to replace.
    """
    if path is None or path == "-":
        sys.stdout.flush()
        yield sys.stdout if text else sys.stdout.buffer
        return
    if os.path.isdir(path):
        raise click.BadParameter(f"{path!r} is a directory", param_hint=option)
    mode = "w" if text else "wb"
    encoding, newline = ("utf-8", "") if text else (None, None)
    if os.path.exists(path) and not os.path.isfile(path):
        with open(path, mode, encoding=encoding, newline=newline) as out:
            yield out
        return
    folder = os.path.dirname(os.path.abspath(path))
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=TEMPORARY_PREFIX, suffix=".tmp")
    except OSError as error:
        raise click.BadParameter(f"cannot write in {folder!r}: {error.strerror}", param_hint=option) from None
    try:
        with os.fdopen(handle, mode, encoding=encoding, newline=newline) as out:
            yield out
        permissions = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o666 & ~_umask()
        os.chmod(temporary, permissions)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
