"""The README's and the documentation's generated tables (indices covered, speed) cannot drift:
they are made from bands.toml and bench/results.toml, and a table typed by hand fails here."""

from __future__ import annotations

import re
import sys

import pytest

from conftest import REPO
from docblocks import DOCS, pages
from rightsband import load_rules

sys.path.insert(0, str(DOCS / "_ext"))
import readme_tables  # docs/_ext/readme_tables.py

RESULTS = readme_tables.load_results()


def test_the_readme_tables_are_the_generated_ones():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "<!-- indices:start -->" in readme and "<!-- speed:start -->" in readme, "README.md lost its markers"
    assert readme_tables.fill(readme, readme_tables.readme_tables()) == readme, (
        f"README.md's generated tables are out of date; run: {readme_tables.COMMAND}")


def test_check_and_write(tmp_path, monkeypatch, capsys):
    readme = tmp_path / "README.md"
    readme.write_text("# x\n<!-- indices:start -->\nold\n<!-- indices:end -->\n", encoding="utf-8")
    monkeypatch.setattr(readme_tables, "README", readme)
    assert readme_tables.main(["--check"]) == 1
    assert readme_tables.COMMAND in capsys.readouterr().err
    assert readme_tables.main(["--write"]) == 0
    assert "| World Press Freedom Index | Reporters Without Borders (RSF) |" in readme.read_text(encoding="utf-8")
    assert readme_tables.main(["--check"]) == 0


def test_every_set_is_in_one_row_of_the_indices_table():
    rules = load_rules()
    rows = readme_tables.indices_table(rules).splitlines()[2:]
    assert len(rows) == len({s.index_name for s in rules})
    ids = [i for row in rows for i in re.findall(r"`([^`]+)`", row.split(" | ")[2])]
    assert sorted(ids) == sorted([s.id for s in rules] + [g.id for g in rules.groups])
    fh = next(row for row in rows if row.startswith("| Freedom in the World |"))
    assert "`fh-status-1972`" in fh and fh.endswith("; group `fh-fiw-status` |")


def test_a_changed_index_name_changes_the_table(tmp_path):
    text = (REPO / "bands.toml").read_text(encoding="utf-8")
    assert text.count('index_name = "Corruption Perceptions Index"\n') == 1
    path = tmp_path / "bands.toml"
    path.write_text(text.replace('index_name = "Corruption Perceptions Index"', 'index_name = "CPI | x"'),
                    encoding="utf-8")
    table = readme_tables.indices_table(load_rules(path, builtins=False))
    assert "| CPI \\| x | Transparency International | `ti` |" in table
    assert "Corruption Perceptions Index" not in table


def test_a_set_without_an_index_name_stops_the_tables(tmp_path):
    text = (REPO / "bands.toml").read_text(encoding="utf-8")
    path = tmp_path / "bands.toml"
    path.write_text(text.replace('index_name = "KidsRights Index"\n', ""), encoding="utf-8")
    with pytest.raises(readme_tables.TableError, match=r"without an index_name: kidsrights; give each"):
        readme_tables.indices_table(load_rules(path, builtins=False))


def test_the_docs_link_each_id_to_its_catalogue_page():
    table = readme_tables.indices_table(load_rules(), readme_tables._doc_link)
    assert "{doc}`rsf-map </reference/catalogue/groups/rsf-map>`" in table
    assert "{doc}`ti </reference/catalogue/sets/ti>`" in table


def test_every_figure_says_how_it_was_measured():
    for figure in RESULTS["figure"]:
        assert figure["command"] and figure["method"] and figure["figure"], figure["what"]
    for table in RESULTS["table"]:
        assert table["command"] and table["method"], table["name"]
        assert all(len(row) == len(table["columns"]) for row in table["rows"]), table["name"]
        assert 0 < table["right"] < len(table["columns"])


def test_the_readme_shows_the_headline_figures_only():
    shown = readme_tables.readme_tables()["speed"]
    everything = readme_tables.speed_table(RESULTS)
    for figure in RESULTS["figure"]:
        assert figure["command"] in everything
        assert (f"| {figure['what']} |" in shown) is figure.get("readme", True), figure["what"]


def test_a_changed_figure_changes_the_speed_table():
    changed = {**RESULTS, "figure": [{**RESULTS["figure"][0], "figure": "99 ms", "ratio": "2.4x"}]}
    table = readme_tables.speed_table(changed)
    assert "| 99 ms |" in table and "**2.4x** (target ≤ 1.3x)" in table
    assert "`python bench/bench_lookup.py`: whole processes" in table
    assert table.endswith(f"Measured on {RESULTS['machine']}.\n")


def test_every_marker_in_the_docs_names_a_table():
    made = readme_tables.tables(load_rules(), RESULTS, readme_tables._doc_link)
    marked = {}
    for page in pages():
        text = page.read_text(encoding="utf-8")
        readme_tables.fill(text, made)  # raises on an unknown or unpaired marker
        marked.update({name: page.name for name in re.findall(r"<!-- ([a-z-]+):start -->", text)})
    assert set(marked) == set(made)  # every table is shown somewhere


@pytest.mark.parametrize("text", ["<!-- speed:start -->\n", "<!-- speed:end -->\n<!-- speed:start -->\n",
                                  "<!-- speed:start -->\n<!-- indices:end -->\n"])
def test_markers_must_pair_up(text):
    with pytest.raises(readme_tables.TableError, match="do not pair up"):
        readme_tables.fill(text, {"speed": "", "indices": ""})


def test_an_unknown_marker_is_refused():
    with pytest.raises(readme_tables.TableError, match="no table is generated for nope"):
        readme_tables.fill("<!-- nope:start -->\n<!-- nope:end -->\n", {"speed": ""})
