"""Compressed inputs: gzip, bzip2 and xz streams, and a zip archive holding one CSV.

Each is decompressed as it is read (the standard library's ``gzip``, ``bz2``, ``lzma`` and
``zipfile``), in pieces, so memory stays bounded whatever the size; the CSV engine then
sees the decompressed bytes, so ``label``'s byte-exact output holds for them. A zip
archive needs to seek: from stdin it is first copied to a temporary file.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import zipfile
from typing import IO, Any, BinaryIO, cast

from rightsband.readers import detect
from rightsband.readers.errors import UnreadableInput
from rightsband.readers.streams import READ_ERRORS, InputStream, damaged

#: What a file inside a zip archive is, where it is no CSV and no refused kind.
_INNER = {**detect.COMPRESSIONS, detect.ZIP: "a zip archive (an .xlsx workbook is one: extract it and give that)"}


def decompressing(stream: IO[bytes], kind: str) -> IO[bytes]:
    """A stream of the decompressed bytes of ``stream`` (:data:`detect.GZIP`, ``BZIP2`` or ``XZ``);
    closing it leaves ``stream`` open."""
    if kind == detect.GZIP:
        return cast(IO[bytes], gzip.GzipFile(fileobj=stream, mode="rb"))
    if kind == detect.BZIP2:
        return cast(IO[bytes], bz2.BZ2File(stream, mode="rb"))
    if kind == detect.XZ:
        return cast(IO[bytes], lzma.LZMAFile(stream, mode="rb"))
    raise ValueError(f"not a compression: {kind!r}")


class ZipMember:
    """The one data file of a zip archive: its name, size, and a stream of its bytes."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str):
        self.archive, self.info, self.name = archive, info, name

    @property
    def size(self) -> int:
        return self.info.file_size

    def open(self, *, closing: tuple[Any, ...] = ()) -> InputStream:
        where = f"{self.name} ({self.info.filename} in the zip archive)"
        try:
            inner = self.archive.open(self.info)
        except (*READ_ERRORS, NotImplementedError, RuntimeError) as error:
            raise UnreadableInput(damaged(where, "zip-compressed", error)) from None
        return InputStream(inner, name=where, what="zip-compressed", closing=(self.archive, *closing))


def open_zip(file: BinaryIO, name: str) -> zipfile.ZipFile:
    """A zip archive (``file`` can seek); a damaged one is :class:`UnreadableInput`."""
    try:
        return zipfile.ZipFile(cast(IO[bytes], file))
    except (*READ_ERRORS, ValueError) as error:
        raise UnreadableInput(damaged(name, "zip archive", error)) from None


def zip_kind(archive: zipfile.ZipFile) -> detect.Sniffed:
    """What a zip archive is: a workbook (``xlsx``), a refused Office file, or a plain archive (``zip``)."""
    kind = detect.zip_kind(archive.namelist())
    if kind.kind == "opendocument":
        with archive.open("mimetype") as mimetype:
            return detect.opendocument(mimetype.read(200))
    return kind


def only_member(archive: zipfile.ZipFile, name: str) -> ZipMember:
    """The one data file of a plain zip archive; any other archive is refused in one line naming its files."""
    files = detect.data_members(archive.namelist())
    advice = f"extract the CSV you want (unzip {name} FILE) and give that file"
    if not files:
        raise UnreadableInput(f"{name} is a zip archive with no files in it; {advice}")
    if len(files) > 1:
        listed = ", ".join(files[:5]) + (f" and {len(files) - 5} more" if len(files) > 5 else "")
        raise UnreadableInput(f"{name} is a zip archive of {len(files)} files ({listed}); rightsband reads a zip "
                              f"holding one CSV: {advice}")
    info = archive.getinfo(files[0])
    if info.flag_bits & 0x1:
        raise UnreadableInput(f"{name} is a zip archive whose file {info.filename} is encrypted; extract it with its "
                              "password and give the CSV")
    try:
        with archive.open(info) as stream:
            inner = detect.sniff(stream.read(detect.HEAD_SIZE), info.filename)
    except (*READ_ERRORS, NotImplementedError, RuntimeError) as error:
        where = f"{name} ({info.filename} in the zip archive)"
        raise UnreadableInput(damaged(where, "zip-compressed", error)) from None
    if inner.kind != detect.TEXT:
        what = inner.what if inner.kind == detect.REFUSED else _INNER.get(inner.kind, "a zip archive")
        raise UnreadableInput(f"{name} is a zip archive holding no CSV: its one file, {info.filename}, is {what}; "
                              f"{advice}")
    return ZipMember(archive, info, name)

