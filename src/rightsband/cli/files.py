"""Files the commands read and write: the table input (CSV, compressed, a workbook sheet), and
output files written atomically.

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
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any, NoReturn

import click

from rightsband.values import visible

if TYPE_CHECKING:
    from rightsband.readers import Table

TEMPORARY_PREFIX = ".rightsband-"
#: Inputs at least this large get a progress bar (when stderr is a terminal).
PROGRESS_BYTES = 4 << 20


def open_input(path: str | None, *, sheet: str | None = None, header_row: int | None = None) -> Table:
    """The table to read (``-`` or None: stdin) as CSV bytes, whatever form it came in (CSV, compressed
    CSV, a zip holding one CSV, a sheet of an .xlsx workbook: :func:`rightsband.readers.open_table`).
    An input that is no table rightsband reads is one line and exit 1; ``--sheet`` or
    ``--header-row`` that do not fit it, a usage error."""
    from rightsband.readers import open_table

    if path is None or path == "-":
        if path is None and sys.stdin.isatty():
            raise click.UsageError("give an INPUT file, or - to read CSV from stdin")
        if sys.stdin.isatty():
            click.echo("rightsband: reading CSV from stdin; end with Ctrl-D", err=True)
        source: Any = getattr(sys.stdin, "buffer", None)
        if source is None:  # stdin was closed when rightsband started (``<&-``)
            fail("stdin is closed: there is no table to read; give the INPUT file, or pipe the CSV in")
    else:
        if os.path.isdir(path):
            raise click.BadParameter(f"{path!r} is a directory", param_hint="INPUT")
        source = path
    with read_errors(path or "stdin"):
        return open_table(source, sheet=sheet, header_row=header_row)


@contextlib.contextmanager
def read_errors(name: str) -> Iterator[None]:
    """Reading the table ``name``: an input that cannot be read is one line and exit 1, an option
    that does not fit it a usage error, as is a --column that does not fit its header."""
    from rightsband.csvscan import CsvError
    from rightsband.mapping import MappingError
    from rightsband.readers import InputOptionError, UnreadableInput

    try:
        yield
    except InputOptionError as error:
        raise click.BadParameter(error.message, param_hint=error.option) from None
    except MappingError as error:
        raise click.BadParameter(str(error), param_hint="--column") from None
    except UnreadableInput as error:
        fail(str(error))
    except CsvError as error:
        fail(f"{name}: {error}")


def fail(message: str) -> NoReturn:
    """One line on stderr, and exit 1 (a data problem)."""
    click.echo(f"rightsband: {visible(message)}", err=True)
    raise click.exceptions.Exit(1)


@contextlib.contextmanager
def progress(table: Table) -> Iterator[Callable[[int], None] | None]:
    """A progress callback (taking the CSV bytes read) drawing a bar on stderr over the input's size,
    for a big input when stderr is a terminal; meanwhile messages (:func:`say`) are printed above it."""
    if table.size < PROGRESS_BYTES or not sys.stderr.isatty():
        yield None
        return
    from rightsband.cli.options import messages_to
    from rightsband.display import progress_bar

    with progress_bar(table.size) as (advance, print_above), messages_to(print_above):
        yield lambda bytes_read: advance(table.progress(bytes_read))


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
