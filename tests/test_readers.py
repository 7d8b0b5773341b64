"""rightsband.readers: inputs as publishers ship them (xlsx sheets, compressed CSV), and the one-line refusal
of every other binary input. Workbooks are made here with openpyxl; compressed files with the standard library."""

from __future__ import annotations

import bz2
import datetime
import gzip
import io
import lzma
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from rightsband.readers import InputOptionError, UnreadableInput, open_table
from rightsband.readers.detect import HEAD_SIZE, REFUSED, TEXT, sniff
from rightsband.readers.workbook import Row, find_header, is_percent, number_text

CSV = b"country,score\nNA,53.46\nNO,7.75\n"


def make_workbook(path: Path, sheets: dict[str, list[list[object]]], formats: dict[str, str] | None = None,
                  cached: dict[str, str] | None = None) -> Path:
    """An .xlsx with these sheets (rows from row 1, None an empty cell); ``formats`` maps "Sheet!B2" to a
    number format; ``cached`` maps a formula's text to the value saved for it (openpyxl saves none)."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row, 1):
                if value is not None:
                    sheet.cell(row=r, column=c, value=value)
    for where, number_format in (formats or {}).items():
        name, cell = where.split("!")
        book[name][cell].number_format = number_format
    book.save(path)
    if cached:
        with zipfile.ZipFile(path) as source:
            parts = {info.filename: source.read(info) for info in source.infolist()}
        for name, data in parts.items():
            if name.startswith("xl/worksheets/sheet"):
                for formula, value in cached.items():
                    data = data.replace(f"<f>{formula}</f><v />".encode(), f"<f>{formula}</f><v>{value}</v>".encode())
                parts[name] = data
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
            for name, data in parts.items():
                target.writestr(name, data)
    return path


def rendered(path: Path, **options) -> tuple[str, tuple[str, ...], int | None]:
    with open_table(path, **options) as table:
        return table.stream.read().decode("utf-8"), table.notices, table.first_row


# -- cells as the workbook shows them -----------------------------------------------------------------

@pytest.mark.parametrize(("value", "percent", "text"), [
    (53.46, False, "53.46"), (53.460000000000001, False, "53.46"), (7.0, False, "7"), (7, False, "7"),
    (0.1 + 0.2, False, "0.30000000000000004"), (1e-05, False, "0.00001"), (1e16, False, "10000000000000000"),
    (-0.0, False, "0"), (-2.5, False, "-2.5"), (0.621, True, "62.1%"), (0.57, True, "57%"), (1, True, "100%"),
    (0.1234567, True, "12.34567%"), (1e-05, True, "0.001%"),
])
def test_number_text(value, percent, text):
    assert number_text(value, percent=percent) == text


@pytest.mark.parametrize(("number_format", "percent"), [
    ("0.0%", True), ("0%", True), ("#,##0.00%;[Red]-#,##0.00%", True), ("General", False), ("0.00", False),
    ('0.0"%"', False), ("0.0\\%", False), ("[$%-409]0.0", False),
])
def test_is_percent(number_format, percent):
    assert is_percent(number_format) is percent


def test_cells_as_the_workbook_shows_them(tmp_path):
    path = make_workbook(tmp_path / "cells.xlsx", {"Data": [
        ["country", "score", "share", "published", "at", "flag", "note", "formula"],
        ["Norway", 53.460000000000001, 0.621, datetime.date(2023, 1, 31), datetime.datetime(2023, 1, 31, 12, 30),
         True, "a, \"quoted\"\nnote", "=B2*2"],
        ["Kazakhstan", 7.0, 0.5, None, datetime.time(12, 30), False, None, "=B3*2"],
        [None, None, None, None, None, None, None, None, None, None],
    ]}, formats={"Data!C2": "0.0%", "Data!C3": "0%"}, cached={"B2*2": "106.92"})
    text, notices, first_row = rendered(path)
    assert text == ('country,score,share,published,at,flag,note,formula\n'
                    'Norway,53.46,62.1%,2023-01-31,2023-01-31T12:30:00,TRUE,"a, ""quoted""\nnote",106.92\n'
                    'Kazakhstan,7,50%,,12:30:00,FALSE,,\n')
    assert first_row == 1
    assert notices == (f'{path}: 1 formula cell(s) of sheet "Data" have no saved value (first: H3) and are read as '
                       "empty; open the workbook in Excel and save it to store their values",)


def test_no_formula_no_formula_notice(tmp_path):
    path = make_workbook(tmp_path / "plain.xlsx", {"S": [["a", "b"], [1, 2]]})
    assert rendered(path) == ("a,b\n1,2\n", (), 1)


def test_trailing_and_leading_empty_rows_and_columns(tmp_path):
    path = make_workbook(tmp_path / "gaps.xlsx", {"S": [
        [None, "country", "score", None, None],
        [None, "A", 1],
        [],  # an empty row inside the table is a record of empty cells: records stay rows
        [None, "B", None, "stray"],
        [], [], [None, None, None, None, None],
    ]})
    assert rendered(path)[0] == "country,score,\nA,1,\n,,\nB,,stray\n"


def test_a_one_column_sheet_keeps_empty_rows_as_records(tmp_path):
    path = make_workbook(tmp_path / "one.xlsx", {"S": [["score"], [12], [], [14]]})
    assert rendered(path, header_row=1)[0] == 'score\n12\n""\n14\n'


# -- sheets and the header row --------------------------------------------------------------------------

@pytest.fixture()
def publisher_workbook(tmp_path):
    """A title, a note, a blank row, then the table; a second and third sheet."""
    return make_workbook(tmp_path / "CPI2023.xlsx", {
        "CPI 2023": [["Corruption Perceptions Index 2023"], ["Source:", "Transparency International"], [],
                     ["Country", "ISO3", "CPI score 2023"], ["Denmark", "DNK", 90], ["Somalia", "SOM", 11]],
        "Notes": [["Note", "Text"], ["a", "b"]],
        "2022": [["Country", "CPI score 2022"], ["Denmark", 90]],
    })


def test_header_found_below_a_title_and_a_note(publisher_workbook):
    text, notices, first_row = rendered(publisher_workbook)
    assert text == "Country,ISO3,CPI score 2023\nDenmark,DNK,90\nSomalia,SOM,11\n"
    assert first_row == 4
    assert notices == (f'{publisher_workbook}: sheet "CPI 2023" (1 of 3; --sheet NAME or NUMBER for another), '
                       "column names on row 4 (--header-row N for another)",)


def test_header_row_given(publisher_workbook):
    text, notices, first_row = rendered(publisher_workbook, sheet="CPI 2023", header_row=2)
    assert text.splitlines()[:2] == ["Source:,Transparency International,", ",,"]
    assert (notices, first_row) == ((), 2)


@pytest.mark.parametrize(("sheet", "first_line"), [
    ("Notes", "Note,Text"), ("notes ", "Note,Text"), ("2", "Note,Text"), ("2022", "Country,CPI score 2022"),
    ("3", "Country,CPI score 2022"), ("1", "Country,ISO3,CPI score 2023"),
])
def test_sheet_by_name_or_number(publisher_workbook, sheet, first_line):
    assert rendered(publisher_workbook, sheet=sheet)[0].splitlines()[0] == first_line


def test_unknown_sheet_lists_the_sheets(publisher_workbook):
    with pytest.raises(InputOptionError) as raised:
        open_table(publisher_workbook, sheet="4")
    assert raised.value.option == "--sheet"
    assert str(raised.value) == (f'{publisher_workbook} has no sheet "4"; its sheets are "CPI 2023" (1), "Notes" (2), '
                                 '"2022" (3): give --sheet with a name or number')


@pytest.mark.parametrize("header_row", [3, 99])
def test_header_row_that_is_empty_or_past_the_data(publisher_workbook, header_row):
    with pytest.raises(InputOptionError, match="--header-row"):
        open_table(publisher_workbook, header_row=header_row)


def test_empty_sheet_and_no_header(tmp_path):
    path = make_workbook(tmp_path / "odd.xlsx", {"Empty": [], "Numbers": [[1, 2], [3, 4]]})
    with pytest.raises(UnreadableInput, match=r'^sheet "Empty" of .*odd.xlsx is empty; give another --sheet$'):
        open_table(path)
    with pytest.raises(UnreadableInput, match=r"^no header row found in sheet \"Numbers\" .*--header-row N$"):
        open_table(path, sheet="Numbers")
    assert rendered(path, sheet="Numbers", header_row=1)[0] == "1,2\n3,4\n"


def row(number, *cells, texts=None):
    cells = [str(c) if c is not None else "" for c in cells]
    return Row(number, cells, sum(1 for c in cells if c and not c[0].isdigit()) if texts is None else texts)


@pytest.mark.parametrize(("rows", "found"), [
    ([row(1, "Country", "Score"), row(2, "A", 1)], 0),
    ([row(1, "Title"), row(2, "Country", "Score"), row(3, "A", 1)], 1),  # a title has one cell
    ([row(1, "Source:", "TI"), row(2, "Country", "ISO", "Score"), row(3, "A", "AAA", 1)], 1),  # a note is narrower
    ([row(1, "Country", "Score"), row(2), row(3), row(4, "A", 1)], 0),  # blank rows below the header
    ([row(1, 2015, 2016, 2017), row(2, 1, 2, 3)], None),  # numbers are no header
    ([row(1, "Country", 2015, 2016, 2017), row(2, "A", 1, 2, 3)], None),  # text less than half: rather ask
    ([row(1, "Country", "Score")], None),  # nothing below it
])
def test_find_header(rows, found):
    assert find_header(rows) == found


# -- compressed inputs ----------------------------------------------------------------------------------

def zipped(*members: tuple[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members:
            archive.writestr(name, data)
    return buffer.getvalue()


COMPRESSED = {
    "data.csv.gz": gzip.compress(CSV), "data.csv.bz2": bz2.compress(CSV), "data.csv.xz": lzma.compress(CSV),
    "data.zip": zipped(("data.csv", CSV)), "data.csv": CSV,
    "misnamed.csv": gzip.compress(CSV),  # magic bytes decide, not the name
    "macos.zip": zipped(("data.csv", CSV), ("__MACOSX/._data.csv", b"\0\0"), ("folder/", b"")),
}


@pytest.mark.parametrize("name", COMPRESSED)
@pytest.mark.parametrize("how", ["path", "stream"])
def test_compressed_inputs_decompress_to_the_same_bytes(tmp_path, name, how):
    path = tmp_path / name
    path.write_bytes(COMPRESSED[name])
    source = path if how == "path" else io.BytesIO(COMPRESSED[name])
    with open_table(source) as table:
        assert table.stream.read() == CSV
        assert (table.delimiter, table.encoding, table.first_row) == (None, None, None)


def test_big_compressed_input_is_streamed(tmp_path):
    data = b"country,score\n" + b"".join(b"C%d,%d.%02d\n" % (n, n % 100, n % 97) for n in range(200_000))
    path = tmp_path / "big.csv.gz"
    path.write_bytes(gzip.compress(data))
    with open_table(path) as table:
        pieces = []
        while piece := table.stream.read1(1 << 16):
            assert len(piece) <= 1 << 16
            pieces.append(piece)
        assert b"".join(pieces) == data
        assert table.size == path.stat().st_size and table.progress(len(data)) <= table.size


REFUSALS = [
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\n1 0 obj", "report.pdf is a PDF document, not a table; get the publisher's "
     "CSV or .xlsx, or export the PDF's table to CSV, and try again"),
    ("INPUT.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "INPUT.xls is an Excel 97–2003 workbook (.xls); "
     "save it as .xlsx or CSV and try again"),
    ("letter.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), "letter.doc is a Word 97–2003 document (.doc), "
     "not a table; rightsband reads CSV, .xlsx and compressed CSV: get the data in one of those and try again"),
    ("two.zip", zipped(("a.csv", CSV), ("b.csv", CSV)), "two.zip is a zip archive of 2 files (a.csv, b.csv); "
     "rightsband reads a zip holding one CSV: extract the CSV you want (unzip two.zip FILE) and give that file"),
    ("empty.zip", zipped(), "empty.zip is a zip archive with no files in it; extract the CSV you want (unzip "
     "empty.zip FILE) and give that file"),
    ("pdf.zip", zipped(("report.pdf", b"%PDF-1.4 x")), "pdf.zip is a zip archive holding no CSV: its one file, "
     "report.pdf, is a PDF document, not a table; extract the CSV you want (unzip pdf.zip FILE) and give that file"),
    ("letter.docx", zipped(("[Content_Types].xml", b"<x/>"), ("word/document.xml", b"<x/>")),
     "letter.docx is a Word document (.docx), not a table; rightsband reads CSV, .xlsx and compressed CSV: get the "
     "data in one of those and try again"),
    ("sheet.ods", zipped(("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"), ("content.xml", b"<x/>")),
     "sheet.ods is an OpenDocument spreadsheet (.ods); save it as .xlsx or CSV and try again"),
    ("chart.png", b"\x89PNG\r\n\x1a\n" + bytes(40), "chart.png is a PNG image, not a table; rightsband reads CSV, "
     ".xlsx and compressed CSV: get the data in one of those and try again"),
    ("nul.csv", b"a,b\n" + bytes(200), "nul.csv is binary data (200 of its first 204 bytes are NUL), not CSV text; "
     "rightsband reads CSV, .xlsx and compressed CSV: get the data in one of those and try again"),
    ("unicode.txt", "country\tscore\nNA\t53.46\n".encode("utf-16"), 'unicode.txt is UTF-16 text (such as Excel\'s '
     '"Unicode Text"); save it as "CSV UTF-8", or convert it (iconv -f UTF-16 -t UTF-8), and try again'),
    ("data.tar.gz", gzip.compress(b"data.csv".ljust(257, b"\0") + b"ustar\x0000" + bytes(300)),
     "data.tar.gz is gzip-compressed, and what it holds is a tar archive; extract the CSV from it (tar -xf "
     "data.tar.gz) and give that"),
    ("cut.csv.gz", gzip.compress(CSV * 50)[:-30], "cut.csv.gz: the gzip-compressed data ends too early (Compressed "
     "file ended before the end-of-stream marker was reached); the file is cut short: get it again"),
    ("page.csv", b"<!DOCTYPE html>\n<html><body>Not found</body></html>", "page.csv is an HTML page, not CSV (a "
     "download that gave a web page?); get the data file itself as CSV or .xlsx and try again"),
]


@pytest.mark.parametrize(("name", "data", "message"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_other_inputs_are_refused_in_one_line(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(UnreadableInput) as raised, open_table(tmp_path / name, name=name) as table:
        table.stream.read()
    assert str(raised.value) == message
    assert "encoding" not in message


def test_damaged_gzip_raises_while_read(tmp_path):
    """Damage after the first block is found while the engine reads, as the same one-line error."""
    data = bytearray(gzip.compress(CSV * 5000, compresslevel=1))
    data[len(data) // 2: len(data) // 2 + 64] = bytes(64)
    (tmp_path / "bad.csv.gz").write_bytes(bytes(data))
    damaged = r"^bad.csv.gz: the gzip-compressed data (is damaged|ends too early)"
    with pytest.raises(UnreadableInput, match=damaged), open_table(tmp_path / "bad.csv.gz", name="bad.csv.gz") as table:
        table.stream.read()


@pytest.mark.parametrize("data", [CSV, b"", b"a", b"\xef\xbb\xbfcountry;score\r\n", b"xx\0yyyyyyy,1\n" * 40])
def test_text_stays_text(data):
    assert sniff(data[:HEAD_SIZE]).kind == TEXT


def test_a_stray_nul_is_a_character():
    assert sniff(b"country,score\n" + b"A\0,1\n" + b"B,2\n" * 50).kind == TEXT
    assert sniff(bytes(100)).kind == REFUSED


@pytest.mark.parametrize("option", [{"sheet": "1"}, {"header_row": 2}])
@pytest.mark.parametrize("name", ["data.csv", "data.csv.gz", "data.zip"])
def test_sheet_options_apply_to_workbooks_only(tmp_path, name, option):
    (tmp_path / name).write_bytes(COMPRESSED[name])
    with pytest.raises(InputOptionError, match=r"applies to .xlsx workbooks"):
        open_table(tmp_path / name, **option)


def test_a_damaged_workbook(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(zipped(("xl/workbook.xml", b"<not xml"), ("[Content_Types].xml", b"<x/>")))
    with pytest.raises(UnreadableInput, match=r"^.*broken.xlsx looks like an Excel workbook but cannot be read"):
        open_table(path)


def test_workbook_from_a_stream_and_gzip_compressed(publisher_workbook):
    data = publisher_workbook.read_bytes()
    expected = rendered(publisher_workbook)[0]
    for stream in (io.BytesIO(data), io.BytesIO(gzip.compress(data))):
        with open_table(stream) as table:
            assert table.stream.read().decode() == expected


def test_reading_a_table_imports_no_openpyxl_until_a_workbook(tmp_path):
    """A CSV or compressed CSV never imports openpyxl (nor does importing the readers)."""
    (tmp_path / "a.csv.gz").write_bytes(COMPRESSED["data.csv.gz"])
    script = ("import sys; from rightsband.readers import open_table; "
              f"open_table({str(tmp_path / 'a.csv.gz')!r}).stream.read(); print('openpyxl' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", script], capture_output=True, text=True).stdout == "False\n"


def test_readers_sit_low():
    """The readers import nothing that classifies or prints (no batch, engine, cli, rules, model)."""
    source = "\n".join(p.read_text() for p in Path(__file__).parents[1].joinpath("src/rightsband/readers").glob("*.py"))
    imported = set(re.findall(r"^\s*(?:from|import) (rightsband[\w.]*)", source, re.MULTILINE))
    assert {name for name in imported if not name.startswith("rightsband.readers")} <= {
        "rightsband.values", "rightsband.problems"}
