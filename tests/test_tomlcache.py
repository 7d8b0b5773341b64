"""The parsed-rules cache: used only for identical text, and never a reason to fail."""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import set_toml
from rightsband import load_rules
from rightsband.rules.cache import cache_path


def test_a_second_load_needs_no_toml_parser(write_rules):
    path = write_rules(set_toml())
    load_rules(path)
    assert os.path.isfile(cache_path(str(path)))
    code = (f"import sys; from rightsband import load_rules; load_rules({str(path)!r}); "
            "print('tomllib' in sys.modules, 'tomli' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "False False\n"


def test_an_edited_file_is_parsed_again(write_rules):
    path = write_rules(set_toml())
    assert load_rules(path).get("t").classify("50").label == "bad"
    write_rules(set_toml(bands=[("good", 0, 60), ("bad", 60, 100)]))
    assert load_rules(path).get("t").classify("50").label == "good"


def test_exact_decimals_survive_the_cache(write_rules):
    path = write_rules(set_toml(bands=[("good", 0, 14.995), ("bad", 14.995, 100)]))
    for _ in range(2):
        band_set = load_rules(path).get("t")
        assert str(band_set.bands[0].upper) == "14.995"
        assert band_set.classify("14.994").label == "good"


def test_a_corrupt_cache_is_ignored_and_replaced(write_rules):
    path = write_rules(set_toml())
    load_rules(path)
    with open(cache_path(str(path)), "wb") as file:
        file.write(b"not marshal data")
    assert load_rules(path).get("t").classify("10").label == "good"
    assert load_rules(path).get("t").classify("60").label == "bad"


def test_an_unwritable_cache_is_no_reason_to_fail(write_rules, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_rules(write_rules(set_toml())).get("t").classify("60").label == "bad"
