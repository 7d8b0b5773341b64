"""Which reader an input needs, by its first bytes: the dispatch behind :func:`rightsband.readers.open_table`."""

from __future__ import annotations

import contextlib
import os
from typing import IO, Any, BinaryIO, cast

from rightsband.readers import detect as sniffing
from rightsband.readers.errors import InputOptionError, UnreadableInput
from rightsband.readers.limits import line_limit
from rightsband.readers.streams import InputStream, LineLimited, regular_size, spooled
from rightsband.readers.table import Table


def open_stream(raw: IO[bytes], name: str, *, sheet: str | None, header_row: int | None,
                closing: tuple[IO[Any], ...]) -> Table:
    """The table in ``raw`` (see :func:`rightsband.readers.open_table`); ``closing`` close with the Table."""
    size = regular_size(raw)
    if size is not None:  # a regular file: sniff, then read it from the start
        head = raw.read(sniffing.HEAD_SIZE)
        raw.seek(0)
        stream = raw
    else:
        wrapped = InputStream(raw, name=name, pipe=_has_fileno(raw))
        head = wrapped.head(sniffing.HEAD_SIZE, sniffing.MAGIC_SIZE)
        stream = cast(IO[bytes], wrapped)
    found = sniffing.sniff(head, name)
    if found.kind == sniffing.REFUSED:
        raise UnreadableInput(found.message(name))
    if found.kind == sniffing.TEXT:
        _no_sheet(sheet, header_row, name, "CSV text")
        return Table(_limited(stream, name), "CSV", size=size or 0, closing=closing)
    if found.kind == sniffing.ZIP:
        return _zip(stream if size is not None else spooled(stream, name=name), name, sheet, header_row, closing)
    return _decompressed(stream, found.kind, name, size, sheet, header_row, closing)


def _limited(stream: IO[bytes] | InputStream, name: str) -> BinaryIO:
    """The CSV bytes of a table, refusing a line longer than :func:`~rightsband.readers.limits.line_limit`."""
    return cast(BinaryIO, LineLimited(cast(IO[bytes], stream), name=name, limit=line_limit()))


def _has_fileno(stream: IO[bytes]) -> bool:
    try:
        stream.fileno()
    except (OSError, AttributeError, ValueError):
        return False
    return True


def _no_sheet(sheet: str | None, header_row: int | None, name: str, what: str) -> None:
    """``--sheet`` and ``--header-row`` on an input that is not a workbook: a usage error."""
    for value, option in ((sheet, "--sheet"), (header_row, "--header-row")):
        if value is not None:
            raise InputOptionError(f"{option} applies to .xlsx workbooks, and {name} is {what}; leave it out",
                                   option)


def _decompressed(stream: IO[bytes], kind: str, name: str, size: int | None, sheet: str | None,
                  header_row: int | None, closing: tuple[IO[Any], ...]) -> Table:
    """A gzip, bzip2 or xz stream: CSV inside is read as it is decompressed; a zip archive inside
    (an ``.xlsx.gz``) is decompressed to a temporary file first."""
    from rightsband.readers.compressed import decompressing

    what = sniffing.COMPRESSIONS[kind]
    inner = InputStream(decompressing(stream, kind), name=name, what=what, closing=(stream,))
    head = inner.head(sniffing.HEAD_SIZE, sniffing.HEAD_SIZE)
    found = sniffing.sniff(head, name.rpartition(".")[0] if name.casefold().endswith((".gz", ".bz2", ".xz")) else "")
    if found.kind == sniffing.TEXT:
        _no_sheet(sheet, header_row, name, f"{what} CSV")
        fd = stream.fileno() if size is not None else None
        return Table(_limited(inner, name), f"{what} CSV", size=size or 0, closing=closing,
                     progress=None if fd is None else lambda _: os.lseek(fd, 0, os.SEEK_CUR))
    if found.kind == sniffing.ZIP:
        copy = spooled(inner, name=name)
        inner.close()
        return _zip(copy, name, sheet, header_row, closing)
    inner.close()
    if found.kind == sniffing.REFUSED:
        holds = found.what
        advice = found.advice.replace("{name}", name)
    else:
        holds, advice = sniffing.COMPRESSIONS[found.kind], "decompress it until it is CSV, and give that"
    raise UnreadableInput(f"{name} is {what}, and what it holds is {holds}; {advice}")


def _zip(file: IO[bytes], name: str, sheet: str | None, header_row: int | None,
         closing: tuple[IO[Any], ...]) -> Table:
    """A zip archive (``file`` can seek): an ``.xlsx`` workbook, or an archive holding one CSV."""
    from rightsband.readers import compressed

    archive = compressed.open_zip(cast(BinaryIO, file), name)
    found = compressed.zip_kind(archive)
    if found.kind != sniffing.ZIP:
        archive.close()
        if found.kind == sniffing.REFUSED:
            raise UnreadableInput(found.message(name))
        return _workbook(file, name, sheet, header_row, closing)
    member = compressed.only_member(archive, name)
    _no_sheet(sheet, header_row, name, "a zip archive holding a CSV")
    description = f"CSV ({member.info.filename}) in a zip archive"
    return Table(_limited(member.open(closing=(file,)), name), description, size=member.size, closing=closing)


def _workbook(file: IO[bytes], name: str, sheet: str | None, header_row: int | None,
              closing: tuple[IO[Any], ...]) -> Table:
    from rightsband.readers.workbook import render

    try:
        rendered = render(cast(BinaryIO, file), name=name, sheet=sheet, header_row=header_row)
    finally:
        with contextlib.suppress(OSError):
            file.close()
    notices = []
    chosen = []
    if sheet is None and rendered.sheets > 1:
        hidden = ", ".join(f'"{n}"' for n in rendered.hidden_before)
        skipped = f", the first not hidden: {hidden} before it {'is' if len(rendered.hidden_before) == 1 else 'are'} " \
                  "hidden" if hidden else ""
        chosen.append(f'sheet "{rendered.name}" ({rendered.number} of {rendered.sheets}{skipped}; --sheet NAME or '
                      "NUMBER for another)")
    if rendered.header_found and rendered.header_row > 1:
        chosen.append(f"column names on row {rendered.header_row} (--header-row N for another)")
    if chosen:
        notices.append(f"{name}: " + ", ".join(chosen))
    if rendered.uncached:
        notices.append(f'{name}: {rendered.uncached:,} formula cell(s) of sheet "{rendered.name}" have no saved value '
                       f"(first: {rendered.first_uncached}) and are read as empty; open the workbook in Excel and "
                       "save it to store their values")
    description = f'sheet "{rendered.name}" of an Excel workbook'
    return Table(rendered.stream, description, size=rendered.size, delimiter=",", encoding="utf-8",
                 first_row=rendered.header_row, notices=tuple(notices), closing=closing)
