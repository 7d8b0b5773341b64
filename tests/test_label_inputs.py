"""`rightsband label` on inputs as publishers ship them: .xlsx sheets, gzip/bzip2/xz/zip CSV (byte for byte
the labels of the decompressed CSV), stdin, and one line with exit 1 for every other binary input."""

from __future__ import annotations

import bz2
import datetime
import gzip
import io
import json
import lzma
import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner

from conftest import REAL_DATA, REPO, command
from rightsband.cli import cli
from rightsband.csvscan.source import CHUNK_SIZE
from test_readers import make_workbook, zipped

#: A CSV that exercises the byte-exact promise: BOM, ; and decimal commas, quoting, CRLF, no final line ending.
EXCEL_CSV = ('\ufeffPays;Score;Note\r\nNamibie;19,72;"a; ""b"""\r\nNorvège;7,75;\r\n"Kaza\r\nkhstan";53,46;x\r\n'
             "Kosovo;NA;").encode("utf-8")
COMPRESS = {"gz": gzip.compress, "bz2": bz2.compress, "xz": lzma.compress,
            "zip": lambda data: zipped(("export.csv", data))}


def invoke(*args: str, input: bytes | None = None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False, prog_name="rightsband")


def shell(*args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """The installed command in a subprocess, stdin a real pipe."""
    return subprocess.run([*command(), *args], input=input if input is not None else b"", capture_output=True)


@pytest.fixture(scope="module")
def plain_output() -> bytes:
    return invoke("label", "-", "-c", "Score=rsf", "--no-year-column", input=EXCEL_CSV).stdout_bytes


@pytest.mark.parametrize("kind", COMPRESS)
def test_compressed_csv_labelled_byte_for_byte(tmp_path, kind, plain_output, engine):
    path = tmp_path / f"export.csv.{kind}"
    path.write_bytes(COMPRESS[kind](EXCEL_CSV))
    result = invoke("label", str(path), "-c", "Score=rsf", "--no-year-column")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout_bytes == plain_output
    assert plain_output.startswith(b"\xef\xbb\xbfPays;Score;Note;Score_label\r\n")
    assert plain_output.endswith(b"Kosovo;NA;;")  # no line ending added


@pytest.mark.parametrize("kind", ["gz", "bz2", "xz", "zip"])
def test_compressed_stdin(kind, plain_output):
    """From a real pipe, sniffed by magic bytes (stdin has no name)."""
    result = shell("label", "-", "-c", "Score=rsf", "--no-year-column", input=COMPRESS[kind](EXCEL_CSV))
    assert (result.returncode, result.stderr, result.stdout) == (0, b"", plain_output)


def test_big_gzip_through_every_engine(tmp_path, engine):
    """Many blocks, read by the forked helper or in line: the same bytes as the plain CSV's labels."""
    note = b"a note long enough that a few rows fill a block " * 2
    data = b"country,score,note\n" + b"".join(b"C%d,%d.%02d,%s\n" % (n, n % 101, n % 97, note) for n in range(60_000))
    (tmp_path / "big.csv").write_bytes(data)
    (tmp_path / "big.csv.gz").write_bytes(gzip.compress(data, compresslevel=1))
    plain = invoke("label", str(tmp_path / "big.csv"), "-c", "score=rsf", "-q")
    packed = invoke("label", str(tmp_path / "big.csv.gz"), "-c", "score=rsf", "-q")
    assert plain.exit_code == packed.exit_code == 1  # 100 is off rsf's scale: the same problems either way
    assert packed.stdout_bytes == plain.stdout_bytes and len(data) > CHUNK_SIZE  # more than one block


def test_damaged_gzip_is_one_line_and_leaves_the_output_alone(tmp_path):
    data = bytearray(gzip.compress(b"country,score\n" + b"A,12\n" * 400_000, compresslevel=1))
    data[-5000:-4000] = bytes(1000)
    (tmp_path / "bad.csv.gz").write_bytes(bytes(data))
    (tmp_path / "out.csv").write_text("before\n")
    result = shell("label", str(tmp_path / "bad.csv.gz"), "-c", "score=rsf", "-q", "-o", str(tmp_path / "out.csv"))
    assert result.returncode == 1
    assert result.stderr.decode().startswith(f"rightsband: {tmp_path / 'bad.csv.gz'}: the gzip-compressed data ")
    assert result.stderr.count(b"\n") == 1 and b"Traceback" not in result.stderr
    assert (tmp_path / "out.csv").read_text() == "before\n"


BINARY = {
    "report.pdf": b"%PDF-1.4\n...",
    "scores.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000),
    "two.zip": zipped(("a.csv", b"a\n"), ("b.csv", b"b\n")),
    "nothing.zip": zipped(("readme.pdf", b"%PDF-1.4")),
    "photo.jpg": b"\xff\xd8\xff\xe0" + bytes(100),
    "nul.csv": b"score\n" + bytes(500),
}


@pytest.mark.parametrize("name", BINARY)
@pytest.mark.parametrize("how", ["file", "stdin"])
def test_other_binary_inputs_one_line_exit_1(tmp_path, name, how):
    (tmp_path / name).write_bytes(BINARY[name])
    if how == "file":
        result = shell("label", str(tmp_path / name), "-c", "score=rsf")
        shown = str(tmp_path / name)
    else:
        result = shell("label", "-c", "score=rsf", input=BINARY[name])
        shown = "stdin"
    stderr = result.stderr.decode()
    assert (result.returncode, result.stdout) == (1, b"")
    assert stderr.startswith(f"rightsband: {shown} is ") and stderr.count("\n") == 1, stderr
    assert "encoding" not in stderr and "Traceback" not in stderr


def test_xls_message(tmp_path):
    (tmp_path / "INPUT.xls").write_bytes(BINARY["scores.xls"])
    result = invoke("label", str(tmp_path / "INPUT.xls"), "-c", "score=rsf")
    assert result.exit_code == 1
    assert result.stderr == (f"rightsband: {tmp_path / 'INPUT.xls'} is an Excel 97–2003 workbook (.xls); save it as "
                             ".xlsx or CSV and try again\n")


@pytest.fixture()
def workbook(tmp_path):
    return make_workbook(tmp_path / "KidsRights 2024.xlsx", {
        "Index": [["KidsRights Index 2024"], [], ["Country", "Year", "Overall score", "Rank"],
                  ["Luxembourg", 2024, 0.878, 1], ["Somewhere", 2024, "n/a", None], ["Bad", 2024, 1.7, 3],
                  ["Chad", 2024, 0.2911, 190]],
        "About": [["Source", "KidsRights Foundation"], ["Published", datetime.date(2024, 11, 18)]],
    }, formats={"Index!C4": "0.0%", "Index!C7": "0.00%"})


def test_label_a_sheet(workbook):
    result = invoke("label", str(workbook), "-c", "Overall score=kidsrights:band")
    assert result.exit_code == 1
    assert result.stdout == ("Country,Year,Overall score,Rank,band\nLuxembourg,2024,87.8%,1,Protected\n"
                             "Somewhere,2024,n/a,,\nBad,2024,1.7,3,\nChad,2024,29.11%,190,Extremely vulnerable\n")
    assert result.stderr.splitlines() == [
        f'rightsband: {workbook}: sheet "Index" (1 of 2; --sheet NAME or NUMBER for another), column names on row 3 '
        "(--header-row N for another)",
        'rightsband: years from column "Year"; --no-year-column to ignore it',
        'rightsband: row 6, column "Overall score": "1.7" is outside 0–1, the fraction scale kidsrights is published '
        'on; for a percent, type "1.7%"',
        "rightsband: 1 problem(s) in 4 records (1 outside-scale); their labels are empty",
    ]


def test_a_sheet_problem_file_gives_the_sheet_row(workbook, tmp_path):
    result = invoke("label", str(workbook), "-c", "Overall score=kidsrights", "-q", "--problems",
                    str(tmp_path / "problems.csv"))
    assert result.exit_code == 1
    assert (tmp_path / "problems.csv").read_text().splitlines()[1].startswith("6,3,Overall score,1.7,kidsrights,")


def test_sheet_and_header_row_given_say_nothing(workbook):
    result = invoke("label", str(workbook), "--sheet", "Index", "--header-row", "3", "-c", "Overall score=kidsrights",
                    "--no-year-column", "--format", "jsonl")
    assert result.stderr.splitlines()[0].startswith('rightsband: row 6, column "Overall score"')
    assert json.loads(result.stdout.splitlines()[0]) == {
        "Country": "Luxembourg", "Year": "2024", "Overall score": "87.8%", "Rank": "1",
        "Overall score_label": "Protected"}


def test_sheet_from_stdin():
    data = (REPO / "examples" / "scorecard.xlsx").read_bytes()
    result = shell("label", "-c", "rsf_score=rsf", "-q", input=data)
    expected = shell("label", str(REPO / "examples" / "scorecard.csv"), "-c", "rsf_score=rsf", "-q")
    assert (result.returncode, result.stdout) == (0, expected.stdout.replace(b"2015,NA,", b"2015,,"))


@pytest.mark.parametrize(("args", "option"), [
    (["--sheet", "Nope"], "--sheet"), (["--header-row", "40"], "--header-row"), (["--delimiter", ";"], "--delimiter"),
    (["--encoding", "latin-1"], "--encoding"),
])
def test_options_that_do_not_fit_a_workbook_are_usage_errors(workbook, args, option):
    result = invoke("label", str(workbook), "-c", "Overall score=kidsrights", *args)
    assert result.exit_code == 2 and f"Invalid value for {option}: " in result.stderr, result.stderr


@pytest.mark.parametrize("option", [["--sheet", "1"], ["--header-row", "1"]])
def test_sheet_options_on_a_csv_are_usage_errors(option):
    result = invoke("label", str(REPO / "examples" / "scorecard.csv"), "-c", "rsf_score=rsf", *option)
    assert result.exit_code == 2 and "applies to .xlsx workbooks" in result.stderr


def test_formula_without_saved_value_is_said_once(tmp_path):
    path = make_workbook(tmp_path / "f.xlsx", {"S": [["country", "score"], ["A", "=1+1"], ["B", "=2+2"], ["C", 12]]})
    result = invoke("label", str(path), "-c", "score=rsf", "--no-year-column")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[1:] == ["A,,", "B,,", 'C,12,"Largely free, diverse and independent"']
    assert result.stderr == (f'rightsband: {path}: 2 formula cell(s) of sheet "S" have no saved value (first: B2) and '
                             "are read as empty; open the workbook in Excel and save it to store their values\n")


def test_completion_reads_a_sheets_header(workbook):
    from rightsband.cli.options import header_of

    assert header_of(str(workbook)) == ["Country", "Year", "Overall score", "Rank"]
    assert header_of(str(REPO / "examples" / "scorecard.csv.gz"))[:3] == ["iso2", "country", "year"]


REAL_WORKBOOKS = sorted(REAL_DATA.glob("*.xlsx")) if REAL_DATA.is_dir() else []


@pytest.mark.skipif(not REAL_WORKBOOKS, reason=f"no publisher .xlsx in {REAL_DATA}")
@pytest.mark.parametrize("path", REAL_WORKBOOKS, ids=[p.name for p in REAL_WORKBOOKS])
def test_real_publisher_workbooks(path):
    """Each publisher workbook in the shared data reads: its header is found or asked for in one line."""
    from rightsband.readers import UnreadableInput, open_table

    try:
        with open_table(path) as table:
            text = table.stream.read().decode("utf-8")
    except UnreadableInput as error:
        assert "--header-row" in str(error) and "\n" not in str(error)
        return
    header = next(iter(io.StringIO(text)))
    assert header.count(",") >= 1 and ".0," not in text and "e+" not in text


def test_zip_of_one_csv_named_anything(tmp_path, plain_output):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data/EXPORT (2024).txt", EXCEL_CSV)
    (tmp_path / "download").write_bytes(buffer.getvalue())
    result = invoke("label", str(tmp_path / "download"), "-c", "Score=rsf", "--no-year-column")
    assert (result.exit_code, result.stdout_bytes) == (0, plain_output)


def test_a_lookup_imports_no_reader_and_a_csv_no_openpyxl(tmp_path):
    """classify never imports the readers; label on a CSV imports them but not openpyxl."""
    (tmp_path / "a.csv").write_text("score\n12\n")
    code = ("import sys\nfrom rightsband.cli import main\nsys.argv = ['rightsband', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('openpyxl', 'rightsband.readers') if m in sys.modules), file=sys.stderr)\n")
    lookup = subprocess.run([sys.executable, "-c", code, "classify", "rsf", "53.46"], capture_output=True, text=True)
    assert lookup.stderr.strip() == "[]"
    labelled = subprocess.run([sys.executable, "-c", code, "label", str(tmp_path / "a.csv"), "-c", "score=rsf",
                               "--no-year-column"], capture_output=True, text=True)
    assert labelled.stderr.strip() == "['rightsband.readers']"
