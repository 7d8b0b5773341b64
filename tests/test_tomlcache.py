"""The parsed-rules cache: used only for identical text, and never a reason to fail.

The built-rules cache (tests/test_rules_cache.py) is switched off here, so every load reads
and parses its files, through the parsed-rules cache these tests are about.
"""

from __future__ import annotations

import datetime
import errno
import marshal
import os
import subprocess
import sys
import time
from decimal import Decimal

import pytest

from conftest import set_toml
from rightsband import builtin_path, load_rules
from rightsband.rules import cache
from rightsband.rules.cache import cache_path


@pytest.fixture(autouse=True)
def _no_built_rules(monkeypatch):
    """Every load reads its files: built rules are neither served nor stored."""
    monkeypatch.setattr(cache, "load_built", lambda key: None)
    monkeypatch.setattr(cache, "store_built", lambda key, *parts: None)


def test_a_second_load_needs_no_toml_parser(write_rules):
    path = write_rules(set_toml())
    load_rules(path)
    assert os.path.isfile(cache_path(str(path)))
    code = (f"import sys; from rightsband import check_rules; check_rules({str(path)!r}); "  # check: always parses
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


# -- a bounded cache -------------------------------------------------------------------------------

def rules_file(tmp_path, n: int):
    path = tmp_path / f"rules-{n}.toml"
    path.write_text(set_toml(id=f"t{n}"), encoding="utf-8")
    return path


@pytest.fixture()
def own_cache(tmp_path, monkeypatch):
    """A cache folder of this test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "rightsband"


def test_the_cache_keeps_at_most_KEEP_entries_the_most_recently_used(tmp_path, own_cache):
    load_rules()
    builtin = cache_path(builtin_path())
    for n in range(cache.KEEP + 8):
        load_rules(rules_file(tmp_path, n))  # each load also reads (and so marks) the built-ins' entry
    names = os.listdir(own_cache)
    assert len(names) == cache.KEEP
    assert os.path.basename(builtin) in names
    assert os.path.basename(cache_path(str(rules_file(tmp_path, cache.KEEP + 7)))) in names
    assert os.path.basename(cache_path(str(rules_file(tmp_path, 0)))) not in names  # the oldest went first


def test_stale_temporary_files_go_and_other_files_stay(tmp_path, own_cache):
    own_cache.mkdir(parents=True)
    stale, fresh, foreign = own_cache / "rules-0-py311.marshal.1.tmp", own_cache / "rules-1.marshal.2.tmp", \
        own_cache / "notes.txt"
    for path in (stale, fresh, foreign):
        path.write_text("x")
    hours_ago = time.time() - 2 * cache.STALE_TMP
    os.utime(stale, (hours_ago, hours_ago))
    os.utime(foreign, (hours_ago, hours_ago))
    load_rules(rules_file(tmp_path, 1))
    assert not stale.exists() and fresh.exists() and foreign.exists()


def test_pruning_survives_what_it_cannot_list_or_stat(tmp_path, own_cache, monkeypatch):
    own_cache.mkdir(parents=True)
    (own_cache / "rules-dangling.marshal").symlink_to(tmp_path / "nowhere")
    cache.prune(str(own_cache), keep=0)
    cache.prune(str(tmp_path / "no-such-folder"))
    assert (own_cache / "rules-dangling.marshal").is_symlink()

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "no")

    monkeypatch.setattr(cache.os, "listdir", refuse)
    assert load_rules(rules_file(tmp_path, 2)).get("t2")


# -- a cache that cannot be used is no reason to fail ------------------------------------------------

def fails_with(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.ENOSPC])
def test_a_cache_folder_that_cannot_be_made(tmp_path, own_cache, monkeypatch, code):
    monkeypatch.setattr(cache.os, "makedirs", fails_with(code))
    assert load_rules(rules_file(tmp_path, 3)).get("t3").classify("60").label == "bad"
    assert not own_cache.exists()


class _FullDisk:
    """A file whose writes fail as on a full disk (it is created, as on a real one)."""

    def __init__(self, path):
        with open(path, "wb"):
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def write(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def opening(for_writing):
    """An ``open`` for the cache module: reading as usual, writing through ``for_writing(path)``."""
    real = open

    def patched(path, mode="r"):
        return for_writing(path) if "w" in mode else real(path, mode)

    return patched


def test_a_full_disk_leaves_no_temporary_file(tmp_path, own_cache, monkeypatch):
    load_rules()  # the built-ins' entry exists, so only the user file is written below
    monkeypatch.setattr(cache, "open", opening(_FullDisk), raising=False)
    before = set(os.listdir(own_cache))
    assert load_rules(rules_file(tmp_path, 4)).get("t4").classify("10").label == "good"
    assert set(os.listdir(own_cache)) == before


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES])
def test_a_read_only_cache_folder(tmp_path, own_cache, monkeypatch, code):
    path = rules_file(tmp_path, 5)
    load_rules(path)
    monkeypatch.setattr(cache, "open", opening(fails_with(code)), raising=False)
    monkeypatch.setattr(cache.os, "utime", fails_with(code))
    monkeypatch.setattr(cache.os, "remove", fails_with(code))
    path.write_text(set_toml(id="t5", bands=[("good", 0, 70), ("bad", 70, 100)]), encoding="utf-8")
    assert load_rules(path).get("t5").classify("60").label == "good"  # edited: parsed afresh, not written
    assert load_rules(path).get("t5").classify("60").label == "good"


def test_a_cache_path_under_a_regular_file(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "deeper"))
    assert load_rules(rules_file(tmp_path, 6)).get("t6").classify("60").label == "bad"


def entry_with(path, payload: bytes) -> None:
    with open(cache_path(str(path)), "wb") as file:
        file.write(payload)


@pytest.mark.parametrize("damage", ["truncated", "empty", "garbage", "foreign", "bad decimal", "not a dict",
                                    "wrong tag", "too deep"])
def test_a_damaged_entry_is_parsed_afresh(tmp_path, own_cache, damage):
    path = rules_file(tmp_path, 7)
    load_rules(path)
    text = path.read_text(encoding="utf-8")
    with open(cache_path(str(path)), "rb") as file:
        whole = file.read()
    deep: list = []
    for _ in range(cache.MAX_DEPTH + 5):
        deep = [deep]
    payload = {
        "truncated": whole[: len(whole) // 2],
        "empty": b"",
        "garbage": b"not marshal data",
        "foreign": marshal.dumps(["a", "list"]),
        "bad decimal": marshal.dumps((text, {"set": [{"id": ("D", "not a number")}]})),
        "not a dict": marshal.dumps((text, ["a", "list"])),
        "wrong tag": marshal.dumps((text, {"x": ("E", "1")})),
        "too deep": marshal.dumps((text, {"x": deep})),
    }[damage]
    entry_with(path, payload)
    assert load_rules(path).get("t7").classify("60").label == "bad"
    assert load_rules(path).get("t7").classify("10").label == "good"


def test_documents_too_deep_to_cache_are_parsed_each_time(tmp_path, own_cache):
    text = "x = " + "[" * (cache.MAX_DEPTH + 2) + "]" * (cache.MAX_DEPTH + 2) + "\n"
    path = tmp_path / "deep.toml"
    path.write_text(text)
    assert cache.parse(str(path), text)["x"]
    assert not os.path.exists(cache_path(str(path)))
    assert cache.parse(None, "a = 1.5\n") == {"a": Decimal("1.5")}


def test_values_marshal_cannot_hold_are_parsed_each_time(tmp_path, own_cache):
    text = "when = 1979-05-27\n"
    path = tmp_path / "dates.toml"
    path.write_text(text)
    assert cache.parse(str(path), text)["when"] == datetime.date(1979, 5, 27)
    assert not os.path.exists(cache_path(str(path)))
