"""The documentation cannot drift: every console and Python example on every page runs and prints
what the page says, and the band-set catalogue is generated from the rules it is given."""

from __future__ import annotations

import re
import sys

import click
import pytest

from conftest import REAL_DATA, REPO
from docblocks import DOCS, blocks, console_examples, needs_real_data, pages, run_console, run_pycon
from rightsband import check_rules, load_rules
from rightsband.cli import cli

sys.path.insert(0, str(DOCS / "_ext"))
import catalogue  # docs/_ext/catalogue.py, the Sphinx extension

PAGES = {p.relative_to(DOCS).as_posix(): p.read_text(encoding="utf-8") for p in pages()}
CONSOLE = [(name, command, output) for name, text in PAGES.items() for command, output in console_examples(text)]
PYCON = [name for name, text in PAGES.items() if "```pycon" in text]


def test_the_pages_have_examples():
    assert len(CONSOLE) >= 60 and len(PYCON) >= 3
    for name in ("tutorial.md", "howto/label-files.md", "howto/other-tools.md", "explanation/exactness.md"):
        assert console_examples(PAGES[name]) or "```pycon" in PAGES[name], name


@pytest.mark.parametrize(("page", "command", "expected"), CONSOLE, ids=[f"{p}: {c}" for p, c, _ in CONSOLE])
def test_console_example(page, command, expected):
    if needs_real_data(command):
        pytest.skip(f"publisher data not found at {REAL_DATA}")
    got, stderr = run_console(command)
    assert got == expected.splitlines(), stderr
    assert stderr == ""


@pytest.mark.threads  # the DataFrame examples import polars
@pytest.mark.parametrize("page", PYCON)
def test_python_examples(page):
    if "import polars" in PAGES[page]:
        pytest.importorskip("polars")
    assert run_pycon(PAGES[page], page).attempted > 0


def _options() -> set[str]:
    names = set()
    for name in cli.list_commands(click.Context(cli)):
        command = cli.get_command(click.Context(cli), name)
        assert command is not None
        names |= {opt for param in command.params for opt in param.opts if opt.startswith("--")}
    return names


def test_every_option_named_on_a_page_exists():
    """Prose may explain an option, but never one the program does not have."""
    known = _options() | {"--help", "--version"}
    named = set()
    for page, text in PAGES.items():
        for span in re.findall(r"`([^`\n]+)`", text):  # `--option ...` and `rightsband ... --option ...`
            if span.startswith(("--", "rightsband ")):
                named |= {(page, option) for option in re.findall(r"(?:^| )(--[a-z][a-z-]*)", span)}
    assert len(named) > 40
    assert not {(page, option) for page, option in named if option not in known}


def test_the_catalogue_has_a_page_per_set_and_group():
    rules = load_rules()
    made = catalogue.pages(rules)
    assert set(made) == {"index"} | {f"sets/{s.id}" for s in rules} | {f"groups/{g.id}" for g in rules.groups}
    rsf = made["sets/rsf"]
    assert "| 2 | Mostly free, diverse and independent | `[15, 25)` |" in rsf
    assert "Reporters Without Borders (RSF)" in rsf and "<https://rsf.org/en/index>" in rsf
    assert "index\n: World Press Freedom Index\n" in rsf
    assert rsf.count("<svg ") == 1 and "<title>Band scale of rsf, best to worst: 1. Largely free" in rsf
    assert "[`rsf-map`](../groups/rsf-map.md)" in made["sets/rsf-2013"]
    assert made["sets/bti-democracy-2020"].count("<svg ") == 2  # one band table each
    assert "<svg" not in made["sets/civicus"]  # labels only: no scale to draw
    index = made["index"]
    assert "### Press and expression" in index and "### Reporters Without Borders (RSF)" in index
    assert index.count("](sets/rsf.md)") == 3  # by topic, by publisher, the table


def test_a_changed_bound_changes_its_catalogue_page(tmp_path):
    text = (REPO / "bands.toml").read_text(encoding="utf-8")
    start = text.index('id = "rsf"')
    rsf = text[start:text.index("[[set]]", start)]
    assert rsf.count("upper = 15\n") == 1 and rsf.count("lower = 15\n") == 1
    moved = rsf.replace("upper = 15\n", "upper = 16\n").replace("lower = 15\n", "lower = 16\n")
    path = tmp_path / "bands.toml"
    path.write_text(text.replace(rsf, moved), encoding="utf-8")
    before, after = catalogue.pages(load_rules()), catalogue.pages(load_rules(path, builtins=False))
    assert "`[16, 25)`" in after["sets/rsf"] and "`[15, 25)`" not in after["sets/rsf"]
    assert "`[0, 16)`" in after["sets/rsf"] and ">16</text>" in after["sets/rsf"]
    assert [name for name in before if before[name] != after[name]] == ["sets/rsf"]


def test_catalogue_text_is_never_markup(tmp_path):
    assert catalogue.text("<script>*x*_[y](z)`") == r"\<script\>\*x\*\_\[y\](z)\`"
    assert catalogue.cell("a |\nb") == r"a \| b"


def test_a_set_without_a_topic_stops_the_build(tmp_path):
    builtin = (REPO / "bands.toml").read_text(encoding="utf-8")
    rules = tmp_path / "mine.toml"
    rules.write_text(builtin.replace('topic = "Corruption and budget transparency"\n', "", 1), encoding="utf-8")
    with pytest.raises(catalogue.CatalogueError, match=r"without a topic: ti; give each a `topic`"):
        catalogue.pages(load_rules(rules, builtins=False))


def test_writing_touches_only_changed_pages_and_removes_stale_ones(tmp_path):
    catalogue.write(tmp_path, {"index": "a\n", "sets/x": "x\n"})
    stale = tmp_path / "sets" / "old.md"
    stale.write_text("old\n", encoding="utf-8")
    kept = (tmp_path / "index.md").stat().st_mtime_ns
    catalogue.write(tmp_path, {"index": "a\n", "sets/x": "y\n"})
    assert (tmp_path / "index.md").stat().st_mtime_ns == kept
    assert (tmp_path / "sets" / "x.md").read_text(encoding="utf-8") == "y\n" and not stale.exists()


def test_every_complete_rules_file_on_a_page_checks_clean(tmp_path):
    complete = [(page, block) for page, text in PAGES.items() for block in blocks(text, "toml")
                if "schema = 1" in block]
    assert {page for page, _ in complete} >= {"howto/own-rules.md", "reference/rules-format.md"}
    for n, (page, block) in enumerate(complete):
        path = tmp_path / f"{n}.toml"
        path.write_text(block, encoding="utf-8")
        assert check_rules(path) == [], page


def test_the_rules_format_page_names_every_key():
    from rightsband.rules.sets import KEYS

    page = PAGES["reference/rules-format.md"]
    rows = re.findall(r"^\| (file|set|band|group) \| (.+?) \|", page, flags=re.M)
    documented = {(table, key) for table, keys in rows for key in re.findall(r"`([a-z_]+)`", keys)}
    for table in ("file", "set", "band", "group"):
        assert {(table, key) for key in KEYS[table]} <= documented, table
    nested = {key for key in KEYS["source"] | KEYS["scale"] | KEYS["years"] | KEYS["inputs"]}
    assert all(f"{key} =" in page or f"`{key}`" in page for key in nested)


def test_every_command_has_its_reference_section():
    page = PAGES["reference/reading.md"]
    for name in cli.list_commands(click.Context(cli)):
        command = cli.get_command(click.Context(cli), name)
        assert command is not None and command.help and "Examples:" in command.help, name
        assert f"## `rightsband {name}" in page, name


def test_the_rules_format_example_loads_and_its_commented_side_would_overlap(tmp_path):
    [example] = [b for b in blocks(PAGES["reference/rules-format.md"], "toml") if "schema = 1" in b]
    path = tmp_path / "example.toml"
    path.write_text(example, encoding="utf-8")
    assert check_rules(path) == []
    path.write_text(example.replace('# closed = "both"', 'closed = "both"'), encoding="utf-8")
    assert any("overlaps" in f.message for f in check_rules(path))
