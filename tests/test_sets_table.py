"""The table of built-in sets (the catalogue's "All sets at a glance") is generated from bands.toml
and cannot drift."""

from __future__ import annotations

import re
import sys

from docblocks import DOCS
from rightsband import load_rules
from rightsband.output import sets_table

sys.path.insert(0, str(DOCS / "_ext"))
import catalogue  # docs/_ext/catalogue.py


def test_the_catalogue_shows_the_table_generated_from_bands_toml():
    rules = load_rules(builtins=True)
    index = catalogue.pages(rules)["index"]
    table = index.partition("## All sets at a glance\n\n")[2]
    assert re.sub(r"\[(`[^`]+`)\]\(sets/[^)]+\.md\)", r"\1", table) == sets_table(rules)
    for band_set in rules:
        assert f"| [`{band_set.id}`](sets/{band_set.id}.md)" in table


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
