"""What kind of input a byte stream is, from its first bytes (and, for a zip archive, its member names).

Magic bytes decide, never the file name: a ``.csv`` that holds gzip data is read as gzip,
and stdin is sniffed like a file. The name only words the message for a refused input
(an Office 97–2003 file named ``.doc`` is a Word document, one named ``.xls`` a workbook).

Text is what no signature claims and is not NUL-heavy: NUL bytes making up at least
:data:`NUL_SHARE` of the first :data:`HEAD_SIZE` bytes (and at least :data:`NUL_MIN` of
them) mean binary data; a stray NUL inside a cell is a character like any other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

#: Bytes read to sniff an input (from a pipe, only what is there once :data:`MAGIC_SIZE` bytes are in).
HEAD_SIZE = 8192
#: The longest signature that decides a kind on its own.
MAGIC_SIZE = 8
#: NUL bytes making up this share of the head (and at least NUL_MIN of them) mean binary data.
NUL_SHARE = 0.1
NUL_MIN = 4

TEXT, GZIP, BZIP2, XZ, ZIP, REFUSED = "text", "gzip", "bzip2", "xz", "zip", "refused"
#: Kinds of single-stream compression, and how the message names each.
COMPRESSIONS = {GZIP: "gzip-compressed", BZIP2: "bzip2-compressed", XZ: "xz-compressed"}

_SAVE_AS = "save it as .xlsx or CSV and try again"
_NOT_A_TABLE = "rightsband reads CSV, .xlsx and compressed CSV: get the data in one of those and try again"


class Sniffed(NamedTuple):
    """The kind of an input; for a refused one, what it is and what to do."""

    kind: str
    what: str = ""
    advice: str = ""

    def message(self, name: str) -> str:
        """The one line that refuses this input."""
        return f"{name} is {self.what}; " + self.advice.replace("{name}", name)


def refused(what: str, advice: str = _NOT_A_TABLE) -> Sniffed:
    return Sniffed(REFUSED, what, advice)


#: Signatures at offset 0, in the order they are tried.
_SIGNATURES: tuple[tuple[bytes, Sniffed], ...] = (
    (b"\x1f\x8b", Sniffed(GZIP)),
    (b"\xfd7zXZ\x00", Sniffed(XZ)),
    (b"PK\x03\x04", Sniffed(ZIP)),
    (b"PK\x05\x06", Sniffed(ZIP)),  # an empty archive
    (b"PK\x07\x08", Sniffed(ZIP)),  # a spanned archive's marker
    (b"%PDF", refused("a PDF document, not a table",
                      "get the publisher's CSV or .xlsx, or export the PDF's table to CSV, and try again")),
    (b"\x28\xb5\x2f\xfd", refused("zstd-compressed", "decompress it first (zstd -d {name}) and give the CSV")),
    (b"7z\xbc\xaf\x27\x1c", refused("a 7-Zip archive", "extract the CSV from it (7z x {name}) and give that")),
    (b"Rar!\x1a\x07", refused("a RAR archive", "extract the CSV from it and give that")),
    (b"\x89PNG\r\n\x1a\n", refused("a PNG image, not a table")),
    (b"\xff\xd8\xff", refused("a JPEG image, not a table")),
    (b"GIF87a", refused("a GIF image, not a table")),
    (b"GIF89a", refused("a GIF image, not a table")),
    (b"II*\x00", refused("a TIFF image, not a table")),
    (b"MM\x00*", refused("a TIFF image, not a table")),
    (b"PAR1", refused("an Apache Parquet file", "write it out as CSV (e.g. with pandas or DuckDB) and try again")),
    (b"SQLite format 3\x00", refused("an SQLite database", "export the table as CSV (sqlite3 -csv) and try again")),
    (b"{\\rtf", refused("an RTF document, not a table")),
    (b"\xff\xfe\x00\x00", refused("UTF-32 text", "save it as CSV in UTF-8 and try again")),
    (b"\xff\xfe", refused("UTF-16 text (such as Excel's \"Unicode Text\")",
                          'save it as "CSV UTF-8", or convert it (iconv -f UTF-16 -t UTF-8), and try again')),
    (b"\xfe\xff", refused("UTF-16 text", 'save it as "CSV UTF-8", or convert it (iconv -f UTF-16 -t UTF-8), '
                                         "and try again")),
)
_BZIP2 = re.compile(rb"BZh[1-9](1AY&SY|\x17rE8P\x90)")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_UTF8_BOM = b"\xef\xbb\xbf"


def sniff(head: bytes, name: str = "") -> Sniffed:
    """The kind of an input from its first bytes (``name`` only words a refusal)."""
    for magic, sniffed in _SIGNATURES:
        if head.startswith(magic):
            return sniffed
    if _BZIP2.match(head):
        return Sniffed(BZIP2)
    if head.startswith(_OLE2):
        return _office_97(name)
    if head[257:262] == b"ustar":
        return refused("a tar archive", "extract the CSV from it (tar -xf {name}) and give that")
    return _text_or_binary(head)


def _office_97(name: str) -> Sniffed:
    """An OLE2 compound file: which Office file it is, by the name where the name says."""
    suffix = name.rpartition(".")[2].casefold() if "." in name else ""
    if suffix in ("doc", "dot"):
        return refused("a Word 97–2003 document (.doc), not a table")
    if suffix in ("xlsx", "xlsm"):
        return refused("a password-protected (encrypted) Excel workbook",
                       "remove the password in Excel (File > Info > Protect Workbook), save it, and try again")
    if suffix in ("xls", "xlt", ""):
        return refused("an Excel 97–2003 workbook (.xls)", _SAVE_AS)
    return refused("an Office 97–2003 file (most likely an Excel .xls workbook)", _SAVE_AS)


def _text_or_binary(head: bytes) -> Sniffed:
    body = head[len(_UTF8_BOM):] if head.startswith(_UTF8_BOM) else head
    nuls = body.count(0)
    if nuls >= NUL_MIN and nuls >= NUL_SHARE * len(body):
        even = body[0::2].count(0)
        if len(body) >= 8 and max(even, nuls - even) >= 0.9 * nuls and nuls >= 0.3 * len(body):
            return refused("UTF-16 text without a byte order mark",
                           'save it as "CSV UTF-8", or convert it (iconv -f UTF-16LE -t UTF-8), and try again')
        return refused(f"binary data ({nuls:,} of its first {len(body):,} bytes are NUL), not CSV text")
    start = body.lstrip()[:200].lower()
    if start.startswith((b"<!doctype html", b"<html")):
        return refused("an HTML page, not CSV (a download that gave a web page?)",
                       "get the data file itself as CSV or .xlsx and try again")
    if start.startswith(b"<?xml"):
        if b"urn:schemas-microsoft-com:office:spreadsheet" in body:
            return refused("an Excel 2003 XML spreadsheet", _SAVE_AS)
        return refused("an XML document, not CSV")
    return Sniffed(TEXT)


#: Members of a zip archive that are not the data: folders and what macOS and Windows add.
_JUNK = re.compile(r"(^|/)(__MACOSX/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)", re.IGNORECASE)


def zip_kind(names: Sequence[str]) -> Sniffed:
    """What a zip archive is, from its member names: an Office file (refused but for a workbook),
    or a plain archive (:data:`ZIP`, whose files :func:`data_members` lists)."""
    listed = set(names)
    if "xl/workbook.xml" in listed:
        return Sniffed("xlsx")
    if "xl/workbook.bin" in listed:
        return refused("an Excel binary workbook (.xlsb)", _SAVE_AS)
    if "word/document.xml" in listed:
        return refused("a Word document (.docx), not a table")
    if "ppt/presentation.xml" in listed:
        return refused("a PowerPoint presentation (.pptx), not a table")
    if "mimetype" in listed and "content.xml" in listed:
        return Sniffed("opendocument")
    return Sniffed(ZIP)


def opendocument(mimetype: bytes) -> Sniffed:
    """An OpenDocument file, by the text of its ``mimetype`` member."""
    if b"spreadsheet" in mimetype:
        return refused("an OpenDocument spreadsheet (.ods)", _SAVE_AS)
    return refused("an OpenDocument file, not a table")


def data_members(names: Sequence[str]) -> list[str]:
    """The files of a zip archive that may hold data: no folders, no ``__MACOSX/`` or ``.DS_Store``."""
    return [name for name in names if not name.endswith("/") and not _JUNK.search(name)]
