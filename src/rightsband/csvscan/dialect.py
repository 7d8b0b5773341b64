"""The CSV dialect: the delimiter a header line implies, which encodings can be scanned as
bytes, and the error for input that is not CSV."""

from __future__ import annotations

import codecs

DELIMITERS = (",", ";", "\t", "|")


QUOTE = b'"'


class CsvError(Exception):
    """Input that cannot be read as CSV at all; the message names the line and the fix."""


def sniff_delimiter(line: str) -> str:
    """The delimiter of a header line: the most frequent of ``, ; tab |`` outside quotes.

    Ties go to the earlier one in that order, and a line with none of them (a
    one-column file) gives a comma, so the choice never depends on anything but
    the header line.
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: (counts[d], -DELIMITERS.index(d)))
    return best if counts[best] else ","


def _codec_name(encoding: str) -> str:
    """The codec's own name; ``utf-8-sig`` is read as ``utf-8`` (:class:`CsvReader` takes a BOM off itself)."""
    name = codecs.lookup(encoding).name
    return "utf-8" if name == "utf-8-sig" else name


def ascii_compatible(encoding: str) -> bool:
    """True if the encoding writes ``,;|"\\t\\r\\n`` and digits as the ASCII bytes (UTF-16 does not)."""
    probe = ',;|"\t\r\n0123456789.-abc'
    try:
        return probe.encode(_codec_name(encoding)) == probe.encode("ascii")
    except (LookupError, UnicodeError):
        return False


def _bytewise(encoding: str) -> bool:
    """True if a byte below 0x80 is always that ASCII character, wherever it stands: UTF-8, and the
    codecs of one byte per character. Not so in Shift JIS, GBK or Big5 (whose second bytes include
    ``|``) or ISO-2022 (whose characters are ASCII bytes): their bytes are not scanned, only decoded."""
    if encoding == "utf-8":
        return True
    decoder = codecs.getincrementaldecoder(encoding)()
    for byte in range(256):
        try:
            text = decoder.decode(bytes([byte]))
        except UnicodeDecodeError:  # a byte this codec leaves undefined
            decoder.reset()
            continue
        if len(text) != 1 or (byte < 0x80 and text != chr(byte)):
            return False  # part of a longer sequence, or not ASCII
    return True
