"""Several rules files, text already read (stdin, pipes), and where the built-in file is found."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, set_toml
from rightsband import RulesError, UnknownSetError, builtin_path, check_rules, load_rules
from rightsband.rules import RulesSource, RulesText
from rightsband.rules.cache import cache_dir

ONE = set_toml(id="mine", extra='aliases = ["my"]\n')
TWO = set_toml(id="MINE", bands=[("good", 0, 70), ("bad", 70, 100)])


def test_later_files_replace_earlier_sets_with_the_same_id(write_rules):
    first, second = write_rules(ONE, "one.toml"), write_rules(TWO, "two.toml")
    rules = load_rules([first, second])
    assert rules.get("mine").classify("60").label == "good"  # from two.toml
    with pytest.raises(UnknownSetError):
        rules.get("my")  # one.toml's alias went with its set
    assert len(rules) == 40
    assert load_rules([second, first]).get("my").classify("60").label == "bad"
    assert load_rules((first,)).get("my") and load_rules(first).get("my")
    assert len(load_rules([first, second], builtins=False)) == 1


def test_no_files_means_the_builtins(write_rules):
    assert len(load_rules([])) == len(load_rules()) == len(load_rules(None, builtins=False)) == 39
    assert check_rules([]) == [] == check_rules([], builtins=False)


def test_a_name_two_files_give_different_sets_is_an_error_naming_both(write_rules):
    first = write_rules(ONE, "one.toml")
    second = write_rules(set_toml(id="other", extra='aliases = ["my"]\n'), "two.toml")
    assert [str(f) for f in check_rules([first, second])] == [
        f'{second}:1: error: set "other": name "my" is already the id or an alias of set "mine" ({first}:1); '
        'rename it, or give your set the id "mine" to replace that set']
    with pytest.raises(RulesError):
        load_rules([first, second])


def test_findings_of_several_files_name_their_own_file(write_rules):
    first = write_rules(set_toml(extra="flavour = 1\n"), "one.toml")
    second = write_rules(set_toml(id="u", bands=[("a", 0, 40), ("b", 50, 100)]), "two.toml")
    assert [str(f) for f in check_rules([first, second])] == [
        f"{first}:9: error: set \"t\": unknown key 'flavour' in set; allowed: aliases, assigned, band, closed, "
        "combine, confidence, direction, distance_from, gate, id, index_name, inputs, kind, name, notes, origin, "
        "published_as, "
        "publisher, publisher_classes, round, scale, source, ties, ties_reason, topic, unconfirmed, unit, verified, "
        "years",
        f'{second}:15: error: set "u", band "b": gap: values in [40, 50) fall in no band']


def test_text_already_read_loads_and_is_named_in_findings():
    rules = load_rules(RulesSource("-", ONE))
    assert rules.get("my").classify("10").label == "good"
    assert [str(f) for f in check_rules(RulesSource("<stdin>", ONE + "flavour = 1\n"))] == [
        "<stdin>:20: error: set \"mine\", band \"bad\": unknown key 'flavour' in band; allowed: aliases, cells, "
        "closed, either, label, lower, table, upper, value"]
    assert RulesText is RulesSource
    assert repr(RulesSource("-", "abc")) == "RulesSource('-', <3 characters>)"


def test_paths_and_texts_mix_in_order(write_rules):
    rules = load_rules([write_rules(ONE, "one.toml"), RulesSource("-", TWO)])
    assert rules.get("mine").classify("60").label == "good"
    rules = load_rules([RulesSource("-", TWO), Path(write_rules(ONE, "one.toml"))])
    assert rules.get("my").classify("60").label == "bad"


def entries() -> set[str]:
    folder = cache_dir()
    return set(os.listdir(folder)) if os.path.isdir(folder) else set()


def test_text_already_read_is_never_cached():
    load_rules()  # the built-ins' entry
    before = entries()
    unique = ONE.replace("Test set", f"Test set {os.getpid()} text")
    assert load_rules(RulesSource("-", unique)).get("mine")
    assert entries() == before


def test_a_pipe_is_read_once_and_never_cached():
    load_rules()
    before = entries()
    read, write = os.pipe()
    os.write(write, ONE.replace("Test set", "Test set from a pipe").encode())
    os.close(write)
    try:
        rules = load_rules(f"/dev/fd/{read}")
    finally:
        os.close(read)
    assert rules.get("mine").name == "Test set from a pipe"
    assert entries() == before


def test_anything_else_is_a_type_error():
    with pytest.raises(TypeError):
        load_rules(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        check_rules([b"bytes.toml"])  # type: ignore[list-item]


def test_the_builtin_file_is_the_repo_file_in_a_checkout():
    assert builtin_path() == str(REPO / "bands.toml")


def test_the_packaged_file_comes_first(monkeypatch):
    import rightsband.rules as rules

    real = os.path.isfile
    monkeypatch.setattr(rules.os.path, "isfile", lambda path: path.endswith(os.path.join("rightsband", "bands.toml"))
                        or real(path))
    assert builtin_path() == str(REPO / "src" / "rightsband" / "bands.toml")


def test_the_builtin_file_is_found_inside_an_installed_package(tmp_path):
    """As a wheel installs it: rightsband/bands.toml beside rightsband/rules/."""
    site = tmp_path / "site"
    shutil.copytree(REPO / "src" / "rightsband", site / "rightsband",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "bands.toml", site / "rightsband" / "bands.toml")
    code = "import rightsband; print(rightsband.builtin_path()); print(len(rightsband.load_rules()))"
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True,
                            cwd=tmp_path)
    assert result.stdout.splitlines() == [str(site / "rightsband" / "bands.toml"), "39"]
