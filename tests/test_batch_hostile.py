"""Hostile CSVs, generated, against a pure-Python reference.

The inputs have blank lines anywhere (first after the header, last), ragged records
(short and long), quoted fields holding delimiters, quotes, newlines and CR, unquoted
quotes, NUL bytes, U+E000, a BOM, mixed LF / CRLF / CR line endings, no final line
ending; 1 to 40 mappings (rsf, the composites fh-status and fh-status-scores, the group
rsf-map by a year column); every output format; UTF-8 (with and without -sig), Latin-1,
cp1252 and Shift JIS; block sizes down to one line; both engines (helper process and in line).

The reference reads the records with Python's csv module, line by line, and classifies
each record's cells with the band sets themselves (``Rules.get``, ``Rules.for_year``,
``BandSet.classify``). Checked: the exact output bytes (csv and tsv) or objects (jsonl),
so no record is dropped, reordered or changed; every problem with its line, record,
column, cell, set and kind, in order; the report's counts and tallies.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import sys
from dataclasses import dataclass, field

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rightsband import load_rules
from rightsband.batch import Mapping, label_csv
from rightsband.csvscan import sniff_delimiter
from rightsband.formats import tsv_cell
from rightsband.model import YearError
from rightsband.problems import DECIMAL, RAGGED, YEAR, Problem, StopAtProblem
from rightsband.values import ValueProblem, is_missing, parse_years

RULES = load_rules()
#: The reference reads NUL with the csv module, which Python 3.10's refuses.
NUL = ["\0"] if sys.version_info >= (3, 11) else []
BOM = codecs.BOM_UTF8
COLUMNS = ["name", "score", "pr", "cl", "prs", "cls", "year", "note"]
#: Each kind of mapping and the columns it reads.
KINDS = {"rsf": ("score",), "fh-status": ("pr", "cl"), "fh-status-scores": ("prs", "cls"), "rsf-map": ("score",)}
#: Shift JIS: the second byte of ポ is "|", of 表 is "\\" (its bytes are not scanned, only decoded).
ENCODINGS = ["utf-8", "utf-8-sig", "latin-1", "cp1252", "shift_jis"]

SCORE = st.one_of(
    st.decimals(min_value=0, max_value=100, places=2).map(str),
    st.sampled_from(["", "NA", "n/a", "..", "-", " 12 ", "1,50", "53,46", "53.46", "abc", "100.01", "-1", "7%", "15",
                     "95", "35.52", "0", "100", "1e2"]),
)
RATING = st.sampled_from(["1", "2", "3", "4", "5", "6", "7", "5.5", "2.5", "7.0", "NA", "", "x", "0", "8", "3,5",
                          " 4 "])
PR_SCORE = st.one_of(st.integers(-3, 42).map(str), st.sampled_from(["NA", "", "abc", "40", "1.5", "20,0"]))
CL_SCORE = st.one_of(st.integers(-1, 62).map(str), st.sampled_from(["NA", "", "abc", "61", "1.5"]))
YEAR_CELL = st.sampled_from(["2013", "2015", "2021", "2022", "2024", "2003", "2012", "1999", "1985", "abc", "", "NA",
                             "2015-16", "2021-22", "2011-12", " 2015 ", "2015.0"])


def alphabet(encoding: str) -> list[str]:
    chars = [*'ab ,;|"\n\r\t0.5-NA', *NUL]
    if encoding == "shift_jis":
        return [*chars, "ポ", "表"]
    if encoding.startswith("utf-8"):
        return [*chars, "é", "\ue000", "€", "😀", "ポ"]
    return [*chars, "é", "€"] if encoding == "cp1252" else [*chars, "é"]


@dataclass
class Case:
    data: bytes
    encoding: str
    delimiter: str | None
    specs: list[str]
    year_column: str | None
    decimal: str | None
    fmt: str
    chunk_size: int
    notes: list[str] = field(default_factory=list)


@st.composite
def cases(draw: st.DrawFn) -> Case:
    encoding = draw(st.sampled_from(ENCODINGS))
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    hostile = draw(st.booleans())  # plain tables keep blocks on the NumPy scanner
    header = draw(st.permutations(COLUMNS))
    kinds = draw(st.lists(st.sampled_from(list(KINDS)), min_size=1, max_size=draw(st.sampled_from([3, 40]))))
    year_column = "year" if "rsf-map" in kinds or draw(st.booleans()) else None
    text = st.text(alphabet=st.sampled_from(alphabet(encoding)), max_size=6)
    cells = {"name": text, "note": text, "score": SCORE, "pr": RATING, "cl": RATING, "prs": PR_SCORE, "cls": CL_SCORE,
             "year": YEAR_CELL}
    if hostile:
        cells = {name: st.one_of(strategy, text) for name, strategy in cells.items()}
    endings = ["\n", "\r\n", "\r"] if hostile else [draw(st.sampled_from(["\n", "\r\n"]))]
    quote_all = draw(st.booleans())

    def raw(cell: str) -> str:
        how = draw(st.sampled_from(["as needed", "raw"] if hostile else ["as needed"]))
        if how == "raw":  # written as it is: a quote inside, a delimiter or newline splitting it
            return cell
        if quote_all or any(c in cell for c in (delimiter, '"', "\r", "\n")):
            return '"' + cell.replace('"', '""') + '"'
        return cell

    odd = draw(st.sampled_from([None, None, 'we"ird', "new\nline", "all ,;|\t of them", " spaced ", "cr\r"]))
    if odd is not None:  # a column whose name must be quoted
        header.insert(draw(st.integers(0, len(header))), odd)
        cells[odd] = text
    names = ['"' + name.replace('"', '""') + '"' if any(c in name for c in (delimiter, '"', "\r", "\n")) else name
             for name in header]
    lines = [delimiter.join(names) + draw(st.sampled_from(endings))]
    for _ in range(draw(st.integers(0, 16))):
        shape = draw(st.sampled_from(["whole"] * 4 + (["blank", "short", "long"] if hostile else [])))
        ending = draw(st.sampled_from(endings))
        if shape == "blank":
            lines.append(ending)
            continue
        row = [draw(cells[name]) for name in header]
        if shape == "short":
            row = row[: draw(st.integers(1, len(row) - 1))]
        elif shape == "long":
            row += draw(st.lists(text, min_size=1, max_size=3))
        lines.append(delimiter.join(map(raw, row)) + ending)
    if draw(st.booleans()):
        lines[-1] = lines[-1].rstrip("\r\n")
    bom = BOM if encoding.startswith("utf-8") and draw(st.booleans()) else b""
    specs = [f"{','.join(KINDS[kind])}={kind}:l{n}" for n, kind in enumerate(kinds)]
    body = "".join(lines).encode("utf-8" if encoding.startswith("utf-8") else encoding)  # (utf-8-sig adds a BOM)
    return Case(bom + body, encoding, draw(st.sampled_from([delimiter, None if odd is None else delimiter])), specs,
                year_column,
                draw(st.sampled_from([None, None, ".", ","])), draw(st.sampled_from(["csv", "tsv", "jsonl"])),
                draw(st.sampled_from([1, 7, 64, 1 << 20])))


# ---- the reference ------------------------------------------------------------------------------------

@dataclass
class Expected:
    output: bytes
    problems: list[tuple]
    records: int
    blank: int
    tallies: list[tuple[list[int], int, int]]


def read_records(data: bytes, encoding: str, delimiter: str) -> list[tuple[bytes, list[str], int]]:
    """(raw bytes, cells, first line) of each record, as the csv module reads the lines."""
    lines = data.splitlines(keepends=True)
    records = []
    at = 0
    while at < len(lines):
        first = at

        def feed():
            nonlocal at
            while at < len(lines):
                at += 1
                yield lines[at - 1].decode(encoding)

        row = next(csv.reader(feed(), delimiter=delimiter, strict=False))
        records.append((b"".join(lines[first:at]), row, first + 1))
    return records


def quoted(text: str, delimiter: str) -> str:
    if any(c in text for c in (delimiter, '"', "\r", "\n")):
        return '"' + text.replace('"', '""') + '"'
    return text


def ending_of(raw: bytes) -> int:
    return 2 if raw.endswith(b"\r\n") else 1 if raw.endswith((b"\n", b"\r")) else 0


def edition(index: str, year_text: str):
    years = parse_years(year_text)
    if not years:
        raise YearError(f"{year_text!r} is not a year")
    editions = {RULES.for_year(index, year).id: RULES.for_year(index, year) for year in sorted(years)}
    if len(editions) > 1:
        raise YearError(f"{year_text!r} spans editions")
    return next(iter(editions.values()))


def classify(spec: str, row: list[str], position: dict[str, int], year_column: str | None,
             decimal: str | None) -> tuple[str, tuple | None]:
    """The label of one mapping for one whole record, and its problem (column, cell, set, kind) if any."""
    columns, _, rest = spec.partition("=")
    index = rest.partition(":")[0]
    names = columns.split(",")
    texts = [row[position[name]] for name in names]
    group = RULES.group(index)
    band_set = group.editions[0] if group else RULES.get(index)
    inputs = [i.name for i in band_set.inputs]
    cell = texts[0] if len(texts) == 1 else " ".join(f"{name}={text}" for name, text in zip(inputs, texts))
    year_problem = None
    if year_column is not None:
        year_text = row[position[year_column]]
        try:
            band_set = edition(index, year_text)  # a decimal problem names the record's edition
        except YearError:
            year_problem = (year_column, year_text, index, YEAR)
    if decimal is not None:
        other = "," if decimal == "." else "."
        if any(other in text and not is_missing(text) for text in texts):
            return "", (columns, cell, band_set.id, DECIMAL)
    if year_problem is not None:
        return "", None if all(is_missing(text) for text in texts) else year_problem
    try:
        result = band_set.classify(texts[0] if len(texts) == 1 else dict(zip(inputs, texts)))
    except ValueProblem as problem:
        return "", (columns, cell, band_set.id, problem.kind)
    return ("" if result is None else result.label), None


def reference(case: Case) -> Expected:
    data, bom = case.data, b""
    utf8 = case.encoding.startswith("utf-8")
    if utf8 and data.startswith(BOM):
        data, bom = data[len(BOM):], BOM
    encoding = "utf-8" if utf8 else case.encoding
    delimiter = case.delimiter or sniff_delimiter(data.splitlines(keepends=True)[0].decode(encoding))
    (header_raw, header, _), *records = read_records(data, encoding, delimiter)
    position = {name: n for n, name in enumerate(header)}
    names = [spec.rpartition(":")[2] for spec in case.specs]
    mappings = [Mapping.parse(spec, RULES) for spec in case.specs]
    labels = [(m.by_year() if case.year_column and m.dated else m).labels for m in mappings]
    tallies = [([0] * len(these), 0, 0) for these in labels]
    problems: list[tuple] = []
    number = blank = 0
    if case.fmt == "csv":
        size = ending_of(header_raw)
        output = [bom + header_raw[: len(header_raw) - size]
                  + "".join(delimiter + quoted(name, delimiter) for name in names).encode(encoding)
                  + header_raw[len(header_raw) - size:]]
    elif case.fmt == "tsv":
        output = [("\t".join(map(tsv_cell, header + names)) + "\n").encode()]
    else:
        output = []
    for raw, row, line in records:
        if not row:
            blank += 1
            if case.fmt == "csv":
                output.append(raw)
            continue
        number += 1
        if len(row) != len(header):
            problems.append((line, number, None, "", "", RAGGED))
            found = [("", ("bad",))] * len(case.specs)
        else:
            found = [classify(spec, row, position, case.year_column, case.decimal) for spec in case.specs]
            problems += [(line, number, *problem) for _, problem in found if problem is not None]
        for n, ((label, problem), these) in enumerate(zip(found, labels)):
            bands, missing, bad = tallies[n]
            if label:
                bands[these.index(label)] += 1
            tallies[n] = (bands, missing + (not label and problem is None), bad + (problem is not None))
        cells = [label for label, _ in found]
        if case.fmt == "csv":
            size = ending_of(raw)
            output.append(raw[: len(raw) - size]
                          + "".join(delimiter + quoted(c, delimiter) for c in cells).encode(encoding)
                          + raw[len(raw) - size:])
        elif case.fmt == "tsv":
            output.append(("\t".join(map(tsv_cell, row + cells)) + "\n").encode())
        else:
            item: dict = dict(zip(header, row))
            if len(row) > len(header):
                item["_extra"] = row[len(header):]
            item.update((name, c or None) for name, c in zip(names, cells))
            output.append((json.dumps(item, ensure_ascii=False) + "\n").encode())
    return Expected(b"".join(output), problems, number, blank, tallies)


def run(case: Case, strict: bool = False, out: io.BytesIO | None = None) -> tuple[bytes, object, list[Problem]]:
    out = out or io.BytesIO()
    problems: list[Problem] = []
    report = label_csv(io.BytesIO(case.data), out, [Mapping.parse(spec, RULES) for spec in case.specs],
                       delimiter=case.delimiter, decimal=case.decimal, encoding=case.encoding, fmt=case.fmt,
                       strict=strict, year_column=case.year_column, on_problem=problems.append,
                       chunk_size=case.chunk_size)
    return out.getvalue(), report, problems


def where(problem: Problem) -> tuple:
    return (problem.line, problem.record, problem.column, problem.cell, problem.set_id, problem.kind)


# ---- the properties -----------------------------------------------------------------------------------

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(case=cases())
def test_hostile_csv_against_the_reference(case, engine):
    expected = reference(case)
    output, report, problems = run(case)
    if case.fmt == "jsonl":
        assert [json.loads(line) for line in output.decode().splitlines()] == \
            [json.loads(line) for line in expected.output.decode().splitlines()]
    else:
        assert output == expected.output
    assert [where(p) for p in problems] == expected.problems
    assert (report.records, report.blank, report.problems) == (expected.records, expected.blank,
                                                                len(expected.problems))
    assert [(t.bands, t.missing, t.bad) for t in report.tallies] == expected.tallies


@settings(max_examples=25, deadline=None, suppress_health_check=[
    HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=cases())
def test_strict_stops_at_the_references_first_problem(case, engine):
    case.fmt = "csv"
    expected = reference(case)
    if not expected.problems:
        output, _, problems = run(case, strict=True)
        assert output == expected.output and problems == []
        return
    out = io.BytesIO()
    with pytest.raises(StopAtProblem) as stop:
        run(case, strict=True, out=out)
    assert where(stop.value.problem) == expected.problems[0]
    assert expected.output.startswith(out.getvalue())  # the blocks before the one with the problem
