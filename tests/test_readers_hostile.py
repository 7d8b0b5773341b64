"""Hostile inputs refused in one line with bounded memory: compressed files holding one endless line,
workbooks whose parts or sheets expand far past their size, a hidden first sheet, and stdin closed."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import re
import shlex
import subprocess
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import command
from rightsband.cli import cli
from rightsband.readers import UnreadableInput, limits, open_table
from rightsband.readers.streams import LineLimited

MiB = 1 << 20
#: The bomb's one line: far longer than the limit the tests set, so that holding it would show in memory.
BOMB_LINE = 96 * MiB


def invoke(*args: str, input: bytes | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(cli, list(args), input=input, env=env, catch_exceptions=False, prog_name="rightsband")


def _fed(compressor: Callable[[bytes], bytes], flush: Callable[[], bytes]) -> bytes:
    """``country,score``, a good record, then one line of :data:`BOMB_LINE` bytes, compressed a MiB at a time."""
    out = [compressor(b"country,score\nNO,7.75\nXX,")]
    block = b"9" * MiB
    out += [compressor(block) for _ in range(BOMB_LINE // MiB)]
    return b"".join([*out, compressor(b"\n"), flush()])


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open("bomb.csv", "w") as member:
        member.write(b"country,score\nNO,7.75\nXX,")
        for _ in range(BOMB_LINE // MiB):
            member.write(b"9" * MiB)
        member.write(b"\n")
    return buffer.getvalue()


def _bomb(kind: str) -> bytes:
    if kind == "zip":
        return _zip_bomb()
    compressor = {"gz": lambda: zlib.compressobj(1, zlib.DEFLATED, 31),  # 31: a gzip header and trailer
                  "bz2": bz2.BZ2Compressor, "xz": lambda: lzma.LZMACompressor(preset=0)}[kind]()
    return _fed(compressor.compress, compressor.flush)


@pytest.fixture(scope="module", params=["gz", "bz2", "xz", "zip"])
def bomb(request, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bomb") / f"bomb.csv.{request.param}"
    path.write_bytes(_bomb(request.param))
    assert path.stat().st_size < BOMB_LINE // 100  # a small file
    return path


@pytest.fixture()
def small_line_limit(monkeypatch):
    monkeypatch.setattr(limits, "LINE_LIMIT", MiB)
    monkeypatch.delenv(limits.LINE_LIMIT_VARIABLE, raising=False)


def _peak(call: Callable[[], object]) -> tuple[object, int]:
    tracemalloc.start()
    try:
        result = call()
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _one_line(stderr: str, pattern: str) -> None:
    lines = [line for line in stderr.splitlines() if not line.startswith("rightsband: no year column")]
    assert len(lines) == 1 and "Traceback" not in stderr, stderr
    assert re.fullmatch(pattern, lines[0]), lines[0]


# 1. A line longer than the limit --------------------------------------------------------------------------------

@pytest.mark.parametrize("args", [["label", "-c", "score=rsf"], ["verify", "-c", "score=rsf:country"],
                                  ["scorecard", "-c", "score=rsf", "--country", "NO"]], ids=lambda a: a[0])
def test_a_decompression_bomb_is_refused_in_one_line_with_memory_bounded(bomb, args, small_line_limit):
    result, peak = _peak(lambda: invoke(args[0], str(bomb), *args[1:], "--no-year-column"))
    assert result.exit_code == 1
    _one_line(result.stderr, rf"rightsband: {re.escape(str(bomb))}: line 3 is longer than 1 MiB, the longest line "
                             rf"rightsband reads .*; .* set RIGHTSBAND_MAX_LINE to a larger size, such as 4G")
    assert peak < 24 * MiB, f"{peak:,} bytes at the peak for a {BOMB_LINE:,}-byte line"


def test_the_limit_is_set_by_the_environment_in_a_subprocess(tmp_path):
    path = tmp_path / "long.csv.gz"
    path.write_bytes(gzip.compress(b"country,score\nNO," + b"7" * 5000 + b"\n"))
    run = [*command(), "label", str(path), "-c", "score=rsf", "--no-year-column"]
    refused = subprocess.run(run, capture_output=True, text=True, env=_env(RIGHTSBAND_MAX_LINE="4K"))
    assert refused.returncode == 1
    _one_line(refused.stderr, r"rightsband: .*long\.csv\.gz: line 2 is longer than 4 KiB, .*")
    allowed = subprocess.run(run, capture_output=True, text=True, env=_env(RIGHTSBAND_MAX_LINE="8K"))
    assert allowed.returncode == 1 and "is longer than" not in allowed.stderr  # read, and the value is out of range
    bad = subprocess.run(run, capture_output=True, text=True, env=_env(RIGHTSBAND_MAX_LINE="lots"))
    assert bad.returncode == 2 and "RIGHTSBAND_MAX_LINE='lots' is not a size" in bad.stderr


def _env(**values: str) -> dict[str, str]:
    return {**os.environ, **values}


def test_a_long_line_of_a_plain_file_and_of_stdin_is_refused_too(tmp_path, small_line_limit):
    data = b"country,score\r\nNO,7.75\r\n" + b"x" * (MiB + 1) + b"\r\n"
    path = tmp_path / "long.csv"
    path.write_bytes(data)
    for source, name in ((str(path), str(path)), ("-", "stdin")):
        result = invoke("label", source, "-c", "score=rsf", "--no-year-column", input=data)
        assert result.exit_code == 1
        _one_line(result.stderr, rf"rightsband: {re.escape(name)}: line 3 is longer than 1 MiB, .*")


def test_a_line_of_exactly_the_limit_is_read(tmp_path, small_line_limit):
    path = tmp_path / "edge.csv"
    path.write_bytes(b"score\n" + b" " * (MiB - 1) + b"5\n")
    with open_table(path) as table:
        assert len(table.stream.read()) == MiB + 7


def _split_lines(data: bytes) -> list[bytes]:
    return re.split(rb"\r\n|\r|\n", data)


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.tuples(st.integers(0, 40), st.sampled_from([b"\n", b"\r\n", b"\r"])), max_size=12),
       tail=st.integers(0, 40), limit=st.integers(1, 30), cuts=st.lists(st.integers(1, 50), max_size=30))
def test_a_line_is_refused_exactly_when_it_is_longer_than_the_limit_however_it_is_read(lines, tail, limit, cuts):
    """Whatever the pieces the stream is read in, the first line longer than the limit is refused, by its number."""
    data = b"".join(b"a" * length + ending for length, ending in lines) + b"a" * tail
    expected = next((number for number, line in enumerate(_split_lines(data), 1) if len(line) > limit), None)
    stream = LineLimited(_Pieces(data, cuts), name="in", limit=limit)
    read = b""
    try:
        while piece := stream.read1(64):
            read += piece
    except UnreadableInput as error:
        assert expected is not None and str(error).startswith(f"in: line {expected} is longer than"), (error, expected)
    else:
        assert expected is None and read == data


class _Pieces(io.RawIOBase):
    """``data`` read back in pieces of the given sizes (then the rest)."""

    def __init__(self, data: bytes, cuts: list[int]):
        self._data, self._cuts = data, list(cuts)

    def readable(self) -> bool:
        return True

    def read1(self, size: int = -1) -> bytes:
        take = self._cuts.pop(0) if self._cuts else len(self._data)
        piece, self._data = self._data[:take], self._data[take:]
        return piece

    read = read1


# 2. Workbooks that expand -----------------------------------------------------------------------------------------

def _workbook(path: Path, cells: dict[str, object], *, title: str = "Data") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for where, value in {"A1": "country", "B1": "score", "A2": "NO", "B2": 7.75, **cells}.items():
        sheet[where] = value
    book.save(path)
    return path


def _with_part(path: Path, part: str, data: bytes) -> Path:
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[part] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return path


def test_shared_strings_that_expand_past_the_limit_are_refused_before_they_are_read(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "PART_LIMIT", MiB)
    big = b"x" * (48 * MiB)
    strings = (b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
               b'2006/main" count="3" uniqueCount="3"><si><t>country</t></si><si><t>score</t></si><si><t>NO</t></si>'
               b"<si><t>" + big + b"</t></si></sst>")
    path = _with_part(_workbook(tmp_path / "strings.xlsx", {}), "xl/sharedStrings.xml", strings)
    assert path.stat().st_size < MiB
    result, peak = _peak(lambda: invoke("label", str(path), "-c", "score=rsf", "--no-year-column"))
    assert result.exit_code == 1
    _one_line(result.stderr, rf"rightsband: {re.escape(str(path))}: its part xl/sharedStrings\.xml expands to "
                             r"50,33\d,\d{3} bytes, more than the 1 MiB rightsband reads; open it in Excel and save "
                             r"the table as CSV, or check that this is the workbook meant")
    assert peak < 8 * MiB


def test_a_sheet_whose_xml_expands_past_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "SHEET_XML_LIMIT", 4096)
    path = _workbook(tmp_path / "wide.xlsx", {f"C{row}": "x" * 50 for row in range(3, 100)})
    result = invoke("label", str(path), "-c", "score=rsf", "--no-year-column")
    assert result.exit_code == 1
    _one_line(result.stderr, r'rightsband: sheet "Data" of .*wide\.xlsx: its XML expands to [\d,]+ bytes, more '
                             r"than the 4 KiB rightsband reads; .*")


def test_one_stray_cell_at_the_last_column_is_refused_not_padded_across_the_sheet(tmp_path):
    path = _workbook(tmp_path / "xfd.xlsx", {"XFD3000": "stray"})
    assert path.stat().st_size < 16_000
    result = invoke("label", str(path), "-c", "score=rsf", "--no-year-column", "-o", str(tmp_path / "out.csv"))
    assert result.exit_code == 1
    _one_line(result.stderr, r'rightsband: sheet "Data" of .*xfd\.xlsx reaches row 3,000 and column XFD: '
                             r"49,152,000 cells for 5 that hold something, more than rightsband renders \(the larger "
                             r"of 10,000,000 cells and 16 per cell holding something\); delete the stray cells far "
                             r"from the table, .*")
    assert not (tmp_path / "out.csv").exists()


def test_empty_cells_far_right_count_too(tmp_path, monkeypatch):
    """An empty <c r="XFD..."/> in every row makes openpyxl hand over 16,384 cells a row: bounded as well."""
    monkeypatch.setattr(limits, "SHEET_CELLS", 100_000)
    path = _workbook(tmp_path / "empty.xlsx", {f"A{row}": "NO" for row in range(3, 40)})
    with zipfile.ZipFile(path) as source:
        sheet = source.read("xl/worksheets/sheet1.xml")
    sheet = re.sub(rb'(<row r="(\d+)"[^>]*>)(.*?)</row>', rb'\1\3<c r="XFD\2"/></row>', sheet)
    _with_part(path, "xl/worksheets/sheet1.xml", sheet)
    with pytest.raises(UnreadableInput, match=r"reaches row 7 and column XFD: 114,688 cells for 9 that hold"):
        open_table(path)


def test_a_dense_sheet_past_the_cell_floor_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "SHEET_CELLS", 20)
    path = _workbook(tmp_path / "dense.xlsx", {f"{column}{row}": row for row in range(3, 30) for column in "AB"})
    with open_table(path) as table:
        assert table.stream.read().count(b"\n") == 29


def test_a_stray_note_beside_the_table_still_pads_the_rows(tmp_path):
    path = _workbook(tmp_path / "note.xlsx", {"A3": "SE", "B3": 10, "F3": "note"})
    result = invoke("label", str(path), "-c", "score=rsf", "--no-year-column", "-q")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:] == ['NO,7.75,,,,,"Largely free, diverse and independent"',
                                              'SE,10,,,,note,"Largely free, diverse and independent"']


# 3. A hidden first sheet ----------------------------------------------------------------------------------------

@pytest.fixture()
def hidden_first(tmp_path) -> Path:
    book = openpyxl.Workbook()
    hidden = book.active
    hidden.title, hidden.sheet_state = "Calc", "hidden"
    for where, value in {"A1": "secret", "B1": "score", "A2": "x", "B2": 95}.items():
        hidden[where] = value
    data = book.create_sheet("Data")
    for where, value in {"A1": "country", "B1": "score", "A2": "NO", "B2": 7.75}.items():
        data[where] = value
    book.create_sheet("Notes")
    path = tmp_path / "hidden.xlsx"
    book.save(path)
    return path


def test_a_hidden_first_sheet_is_passed_over_and_said_so(hidden_first):
    result = invoke("label", str(hidden_first), "-c", "score=rsf", "--no-year-column")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1] == 'NO,7.75,"Largely free, diverse and independent"'
    assert result.stderr.splitlines()[0] == (f'rightsband: {hidden_first}: sheet "Data" (2 of 3, the first not hidden: '
                                             '"Calc" before it is hidden; --sheet NAME or NUMBER for another)')


def test_a_hidden_sheet_asked_for_is_read(hidden_first):
    result = invoke("label", str(hidden_first), "--sheet", "Calc", "-c", "score=rsf", "--no-year-column")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "secret,score,score_label"
    assert "hidden" not in result.stderr


# 4. stdin closed --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("args", ["label - -c score=rsf", "verify - -c score=rsf:x", "label -c score=rsf",
                                  "scorecard - -c score=rsf --country NO"], ids=str)
def test_a_closed_stdin_is_one_line(args):
    script = f"{shlex.join(command())} {args} <&-"
    result = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr == ("rightsband: stdin is closed: there is no table to read; give the INPUT file, or pipe "
                             "the CSV in\n")


def test_bands_from_a_closed_stdin_is_one_line():
    result = subprocess.run(["sh", "-c", f"{shlex.join(command())} classify --bands - rsf 5 <&-"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "stdin is closed: there are no rules to read" in result.stderr
