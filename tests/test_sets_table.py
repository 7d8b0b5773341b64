"""The README's table of built-in sets is generated from bands.toml and cannot drift."""

from __future__ import annotations

import re

from conftest import REPO
from rightsband import load_rules
from rightsband.output import sets_table

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_readme_table_is_generated_from_bands_toml():
    found = re.search(r"<!-- sets-table:start -->\n(.*?)<!-- sets-table:end -->", README, flags=re.S)
    assert found, "README.md lost its sets-table markers"
    assert found.group(1) == sets_table(load_rules(builtins=True))


def test_every_set_has_one_row_with_its_confidence():
    rules = load_rules()
    rows = sets_table(rules).splitlines()[2:]
    assert len(rows) == len(rules)
    for band_set, row in zip(rules, rows):
        cells = [cell.strip() for cell in row.strip("|").split(" | ")]
        assert cells[0].startswith(f"`{band_set.id}`") and cells[5] == band_set.confidence
    gdi = next(row for row in rows if row.startswith("| `gdi`"))
    assert "two-sided: distance from 1" in gdi and "rounded to 3 places" in gdi
    assert "labels only" in next(row for row in rows if row.startswith("| `civicus`"))


def test_a_changed_set_changes_the_table(tmp_path):
    path = tmp_path / "more.toml"
    path.write_text('[[set]]\nid = "x"\nname = "X"\npublisher = "P | Q"\n'
                    'source = { citation = "c", url = "https://e" }\nscale = { min = 0, max = 10 }\nunit = "score"\n'
                    'direction = "higher-is-better"\nconfidence = "medium"\nunconfirmed = "all"\n\n'
                    '[[set.band]]\nlabel = "a"\nlower = 0\nupper = 10\n', encoding="utf-8")
    table = sets_table(load_rules(path))
    assert table != sets_table(load_rules())
    assert table.splitlines()[-1] == "| `x` | P \\| Q | 0–10, 10 best | any | house | medium |  |"
