"""country_converter's answers kept in the user cache: a repeat run loads neither coco nor pandas, and
an entry that is not for the coco installed now (or does not read) is never used."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys

import pytest

from rightsband.countries import CountryMatcher, cache, coco

NAMES = ["Kazakhstan", "Korea, Rep.", "Namibia", "Czechoslovakia", "Atlantis"]
EXPECTED = {"Kazakhstan": "KAZ", "Korea, Rep.": "KOR", "Namibia": "NAM", "Czechoslovakia": "CSHH", "Atlantis": None}


@pytest.fixture()
def fresh(tmp_path, monkeypatch):
    """An empty cache folder of the test's own, and coco's answers read afresh from it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    coco._answers.cache_clear()
    yield tmp_path / "cache"
    coco._answers.cache_clear()


def test_a_repeat_run_loads_neither_coco_nor_pandas(tmp_path):
    code = ("import sys\nfrom rightsband.countries import CountryMatcher\n"
            f"print(CountryMatcher().match({NAMES!r}) == {EXPECTED!r}, "
            "sorted(m for m in ('pandas', 'country_converter') if m in sys.modules))")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env).stdout
            for _ in range(2)]
    assert runs == ["True ['country_converter', 'pandas']\n", "True []\n"]


def test_the_answers_are_kept_and_used(fresh):
    assert coco.codes_for(["kazakhstan"]) == [("KAZ",)]
    coco._answers.cache_clear()
    kept = cache.load()
    assert kept.found == {"kazakhstan": ("KAZ",)} and "NAM" in (kept.codes or ()) and kept.names
    kept.found["kazakhstan"] = ("XYZ",)  # what the entry says is what a run answers: proof it is read
    cache.store(kept)
    coco._answers.cache_clear()
    assert coco.codes_for(["kazakhstan"]) == [("XYZ",)]


def test_an_entry_for_another_coco_is_not_used(fresh, monkeypatch):
    coco.codes_for(["kazakhstan"])
    kept = cache.load()
    kept.found["kazakhstan"] = ("XYZ",)
    cache.store(kept)
    monkeypatch.setattr(cache, "_key", lambda: b"another coco")
    coco._answers.cache_clear()
    assert coco.codes_for(["kazakhstan"]) == [("KAZ",)]


@pytest.mark.parametrize("entry", [b"", b"not marshal", marshal.dumps((b"key", (), (), [])), marshal.dumps(1)])
def test_an_entry_that_does_not_read_means_asking_coco(fresh, entry):
    os.makedirs(fresh / "rightsband")
    with open(cache.entry_path(), "wb") as file:
        file.write(entry)
    assert CountryMatcher().match(NAMES) == EXPECTED
    assert cache.load().found  # and the entry is written anew


def test_a_folder_that_cannot_be_written_changes_nothing(tmp_path, monkeypatch):
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "file"))
    coco._answers.cache_clear()
    try:
        assert CountryMatcher().match(NAMES) == EXPECTED
    finally:
        coco._answers.cache_clear()


def test_at_most_max_names_are_kept(fresh, monkeypatch):
    monkeypatch.setattr(cache, "MAX_NAMES", 1)
    assert coco.codes_for(["kazakhstan", "chile"]) == [("KAZ",), ("CHL",)]
    assert cache.load().found == {"kazakhstan": ("KAZ",)}


def test_without_coco_to_key_on_nothing_is_kept(fresh, monkeypatch):
    monkeypatch.setattr(cache.importlib.util, "find_spec", lambda name: None)
    assert cache.load().key is None
    cache.store(cache.Answers(None, frozenset(), (), {}))
    assert not os.path.exists(cache.entry_path())


@pytest.mark.parametrize("ask", [coco.current_codes, coco.known_names])
def test_codes_or_names_asked_first_are_kept_with_the_other(fresh, ask):
    assert ask()
    coco._answers.cache_clear()
    kept = cache.load()
    assert "KAZ" in (kept.codes or ()) and "Kazakhstan" in (kept.names or ()) and kept.found == {}
