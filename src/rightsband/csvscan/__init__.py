"""Find records and cells in raw CSV bytes without rewriting a byte of them.

A CSV input is read in blocks of whole records. Each record is kept as its raw
bytes (``body`` plus its own line ending), so output can copy it through
unchanged; only the cells of the columns asked for are decoded, unquoted and
factorised (each distinct cell text once, with a code per record).

Two readers share that contract. The fast one scans a block with NumPy: the
quote-parity of each newline and delimiter says whether it is structural, and a
block is only scanned this way when every quote sits where RFC 4180 puts it, every
record has the header's number of fields and the block holds no NUL byte or bare
CR. Any other block goes to the exact one, Python's ``csv`` module over the raw
lines, which is what defines the result. Both give the same answer wherever the
fast one applies (a property test checks this).

Memory stays a small multiple of the block, also for one long record: a record
longer than a chunk makes the chunk grow (doubling) until it holds the record,
NumPy works through a chunk in slices, a long cell is coded on its own (not in a
grid as wide as it for every record), and records are spans of one bytes object.

The modules: ``dialect`` (delimiter, encodings, CsvError), ``records`` (records and
blocks), ``source`` (chunks of whole lines), ``fast`` (the NumPy scan), ``exact`` (the
csv-module reader), ``reader`` (CsvReader, which uses both).
"""

from rightsband.csvscan.dialect import DELIMITERS, QUOTE, CsvError, ascii_compatible, sniff_delimiter
from rightsband.csvscan.fast import LONG_CELL, MAX_RECORDS, SLICE
from rightsband.csvscan.reader import CsvReader
from rightsband.csvscan.records import JOIN_UP_TO, NO_CELL, Block, Fields, Records, combine_codes
from rightsband.csvscan.source import CHUNK_SIZE

__all__ = [
    "CHUNK_SIZE", "DELIMITERS", "JOIN_UP_TO", "LONG_CELL", "MAX_RECORDS", "NO_CELL", "QUOTE", "SLICE", "Block",
    "CsvError", "CsvReader", "Fields", "Records", "ascii_compatible", "combine_codes", "sniff_delimiter",
]
