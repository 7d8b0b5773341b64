"""The built-rules cache: served only for identical files, code and Python; never a reason to fail."""

from __future__ import annotations

import errno
import marshal
import os
import pickle
import shutil
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from conftest import set_toml
from rightsband import Rules, RulesError, RulesSource, builtin_path, check_rules, load_rules
from rightsband.rules import build, cache, packing


@pytest.fixture()
def own_cache(tmp_path, monkeypatch):
    """A cache folder of this test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "rightsband"


@pytest.fixture()
def builds(monkeypatch):
    """How many times rules were read and built (not served from the cache) since the test began."""
    real, count = build.gather, []

    def counting(files):
        count.append(files)
        return real(files)

    monkeypatch.setattr(build, "gather", counting)
    return count


def built_entries(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.startswith("rules-built-")) if folder.exists() else []


def entry_of(*paths) -> str:
    key = cache.built_key([builtin_path(), *map(str, paths)])
    assert key is not None
    return key.entry


def rules_file(tmp_path, n: int, bands=(("good", 0, 50), ("bad", 50, 100))) -> Path:
    path = tmp_path / f"rules-{n}.toml"
    path.write_text(set_toml(id=f"t{n}", bands=bands), encoding="utf-8")
    return path


# -- served when nothing changed -------------------------------------------------------------------

def test_a_second_load_is_served_without_building(tmp_path, own_cache, builds):
    path = rules_file(tmp_path, 1)
    first = load_rules(path)
    assert len(builds) == 1 and built_entries(own_cache) == [os.path.basename(entry_of(path))]
    second = load_rules(path)
    assert len(builds) == 1
    assert second is not first and second.get("t1").classify("60").label == "bad"


def test_served_rules_equal_built_ones_part_for_part(own_cache, builds):
    built = load_rules()
    served = load_rules()
    assert len(builds) == 1 and isinstance(served, Rules)
    assert served.sets == built.sets and served.groups == built.groups
    assert [repr(s) for s in served] == [repr(s) for s in built]
    for group in served.groups:  # editions are the rules' own sets, as when built
        assert all(any(edition is s for s in served.sets) for edition in group.editions)
    assert served.get("rsf").classify("53,46").label == "Highly controlled, limited or intimidated"
    assert served.for_year("rsf-map", 2022).id == built.for_year("rsf-map", 2022).id


def test_a_warm_look_up_reads_no_set_and_imports_no_reader(own_cache):
    code = ("import sys; from rightsband.cli import main; sys.argv = ['rightsband', 'classify', 'rsf', '53.46']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('rightsband.rules.build', 'rightsband.rules.sets', 'tomllib', 'tomli', "
            "'pandas', 'numpy', 'rich', 'pickle', '_pickle', 'csv', 'dataclasses') if m in sys.modules))")
    for _ in range(2):  # the first run fills the cache
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                env={**os.environ, "XDG_CACHE_HOME": str(own_cache.parent)})
    assert result.stdout == "Highly controlled, limited or intimidated\n[]\n"


# -- served lazily: a look-up unpacks the one set it asks for --------------------------------------

@pytest.fixture()
def unpacked(monkeypatch):
    """The parts (sets and groups) unpacked from the cache since the test began."""
    real, parts = cache._unpack, []

    def counting(blob, reference):
        part = real(blob, reference)
        parts.append(part)
        return part

    monkeypatch.setattr(cache, "_unpack", counting)
    return parts


BUILTIN_IDS = [s.id for s in build.gather([builtin_path()])[0]]


def test_a_look_up_unpacks_only_the_set_it_asks_for(own_cache, unpacked):
    load_rules()
    rules = load_rules()
    assert unpacked == [] and len(rules) == len(BUILTIN_IDS)
    rsf = rules.get("RSF")
    assert unpacked == [rsf]
    assert rules.get("rsf") is rsf and len(unpacked) == 1
    status = rules.get("fh-status")  # a composite: itself and the sets of its inputs
    assert {id(part) for part in unpacked[1:]} == {id(status), *(id(i.set) for i in status.inputs)}
    assert len(unpacked) == 2 + len(status.inputs)
    assert all(any(i.set is s for s in rules.sets) for i in status.inputs)


@pytest.mark.parametrize("name", BUILTIN_IDS)
def test_every_built_in_set_served_lazily_is_the_set_built(own_cache, name):
    built = load_rules()  # built (the cache is empty), then stored
    served = load_rules()
    assert served.get(name) == built.get(name) and repr(served.get(name)) == repr(built.get(name))
    assert served.get(name).classify  # a BandSet, not a packed stand-in
    assert [g.id for g in served.groups_of(served.get(name))] == [g.id for g in built.groups_of(built.get(name))]


def test_groups_and_years_served_lazily_agree_with_the_built(own_cache, unpacked):
    built = load_rules()
    served = load_rules()
    for group in built.groups:
        assert served.group(group.id.upper()) == group
        for edition in group.editions:
            for year in (edition.years.first, edition.years.last):  # type: ignore[union-attr]
                if year is not None:
                    assert served.for_year(group.id, year) == built.for_year(group.id, year)
    assert served.groups == built.groups and served.sets == built.sets
    assert len(unpacked) == len(built.sets) + len(built.groups)  # each part once, however often asked for


def test_unknown_names_and_groups_say_the_same_served_or_built(own_cache, unpacked):
    built = load_rules()
    served = load_rules()
    for name in ("rfs", "no-such-set", "rsf-map"):
        errors = []
        for rules in (built, served):
            with pytest.raises(LookupError) as error:
                rules.get(name)
            errors.append((type(error.value), str(error.value)))
        assert errors[0] == errors[1]
    assert served.group("nothing") is None


def test_served_rules_pickle_and_copy_as_their_sets(own_cache):
    import copy

    load_rules()
    served = load_rules()
    for again in (pickle.loads(pickle.dumps(served)), copy.deepcopy(served)):
        assert isinstance(again, Rules) and again.sets == served.sets and again.groups == served.groups


def test_rules_loaded_before_a_rules_file_changed_keep_theirs_and_a_new_load_sees_the_change(
        tmp_path, own_cache, builds):
    path = rules_file(tmp_path, 13)
    load_rules(path)
    before = load_rules(path)  # served, nothing unpacked yet
    rules_file(tmp_path, 13, bands=(("good", 0, 70), ("bad", 70, 100)))
    after = load_rules(path)
    assert len(builds) == 2
    assert before.get("t13").classify("60").label == "bad"  # the file as it was when loaded
    assert after.get("t13").classify("60").label == "good"
    assert load_rules(path).get("t13").classify("60").label == "good" and len(builds) == 2


def test_a_group_that_does_not_unpack_gives_the_rules_built_afresh(own_cache, builds):
    built = load_rules()
    entry = entry_of()
    with open(entry, "rb") as file:
        material, _, payload = marshal.loads(file.read())
    index, sets, groups = marshal.loads(payload)
    damaged = marshal.dumps((index, sets, tuple(b"" for _ in groups)))
    with open(entry, "wb") as file:
        file.write(marshal.dumps((material, zlib.crc32(damaged), damaged)))
    served = load_rules()
    group = built.groups[0]
    assert served.group(group.id) == group and len(builds) == 2
    assert served.groups == built.groups and served.sets == built.sets


def nested(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = (value,)
    return value


@pytest.mark.parametrize("part", [1.5, [1], {"a": 1}, nested(packing.MAX_DEPTH + 2)])
def test_packing_refuses_what_built_rules_do_not_hold(part):
    with pytest.raises(ValueError, match=r"not a part of built rules|too deeply nested"):
        packing.pack(part, {})


def test_unpacking_refuses_a_part_nested_deeper_than_packing_writes():
    with pytest.raises(ValueError, match="too deeply nested"):
        packing.unpack(nested(packing.MAX_DEPTH + 2), lambda number: None)
    assert packing.unpack(((1,),), lambda number: None) == ((1,),)


def test_rules_that_do_not_pack_are_not_stored(tmp_path, own_cache, builds, monkeypatch):
    path = rules_file(tmp_path, 14)
    def refusing(part, sets):
        raise ValueError("a part of a kind packing does not know")

    monkeypatch.setattr(packing, "pack", refusing)
    load_rules(path)
    assert built_entries(own_cache) == []


# -- never served when anything changed ------------------------------------------------------------

def test_an_edited_rules_file_is_built_again_even_with_its_old_mtime(tmp_path, own_cache, builds):
    path = rules_file(tmp_path, 2)
    assert load_rules(path).get("t2").classify("55").label == "bad"
    before = os.stat(path)
    rules_file(tmp_path, 2, bands=(("good", 0, 60), ("bad", 60, 100)))  # the same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert os.path.getsize(path) == before.st_size
    assert load_rules(path).get("t2").classify("55").label == "good"
    assert len(builds) == 2


def test_other_files_or_order_or_builtins_are_other_rules(tmp_path, own_cache, builds):
    one, two = rules_file(tmp_path, 3), tmp_path / "two.toml"
    two.write_text(set_toml(id="t3", bands=[("low", 0, 50), ("high", 50, 100)]), encoding="utf-8")
    assert load_rules([one, two]).get("t3").classify("10").label == "low"
    assert load_rules([two, one]).get("t3").classify("10").label == "good"
    alone = load_rules(one, builtins=False)
    assert [s.id for s in alone] == ["t3"]
    assert "rsf" in [s.id for s in load_rules(one)]
    assert len(builds) == 4


def test_another_python_version_is_not_served(tmp_path, own_cache, builds, monkeypatch):
    path = rules_file(tmp_path, 4)
    load_rules(path)
    monkeypatch.setattr(sys, "version", sys.version + " (another build)")
    load_rules(path)
    assert len(builds) == 2


def copy_of_the_package(tmp_path) -> Path:
    """rightsband's source copied to a folder of its own, every file last changed an hour ago."""
    root = tmp_path / "site"
    shutil.copytree(Path(cache.__file__).parents[1], root / "rightsband",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(builtin_path(), root / "rightsband" / "bands.toml")
    hour_ago = time.time() - 3600
    for path in root.rglob("*"):
        os.utime(path, (hour_ago, hour_ago))
    return root


def test_changed_code_is_never_served_rules_built_by_the_old(tmp_path, own_cache):
    """The code is keyed on its exact source: an edit is seen even if the file keeps its old mtime."""
    root = copy_of_the_package(tmp_path)
    code = ("import sys, rightsband; assert rightsband.__file__.startswith(sys.argv[1]); "
            "rightsband.load_rules().get('rsf'); "
            "print('built' if 'rightsband.rules.build' in sys.modules else 'served')")
    env = {**os.environ, "PYTHONPATH": str(root), "XDG_CACHE_HOME": str(own_cache.parent)}

    def run() -> str:
        return subprocess.run([sys.executable, "-c", code, str(root)], capture_output=True, text=True, check=True,
                              env=env).stdout.strip()

    assert [run(), run()] == ["built", "served"]
    for source in ("model/parts.py", "rules/sets.py", "values.py"):
        path = root / "rightsband" / source
        old = os.stat(path)
        path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
        assert [run(), run()] == ["built", "served"], source
    os.utime(root / "rightsband" / "values.py")  # just written, as by an editor: maybe not the code running
    assert [run(), run()] == ["built", "built"]
    os.utime(root / "rightsband" / "values.py", (time.time() - 3600, time.time() - 3600))
    extra = root / "rightsband" / "rules" / "extra.py"
    extra.write_text("# a new module\n", encoding="utf-8")
    os.utime(extra, (time.time() - 3600, time.time() - 3600))
    assert [run(), run()] == ["built", "served"]
    assert len(built_entries(own_cache)) == 1  # each load replaced the entry for the same files


def test_every_module_a_build_imports_is_part_of_the_code_version():
    code = ("import sys; from rightsband.rules import build, builtin_path; build.gather([builtin_path()]); "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('rightsband.'))))")
    modules = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    covered = {f"rightsband.{name[:-3].replace('/', '.')}" for name, _ in cache.code_version() or ()}
    covered |= {f"rightsband.{part}" for part in cache.CODE if not part.endswith(".py")}
    assert covered and set(modules) <= covered, set(modules) - covered


def test_code_changed_since_it_was_imported_is_neither_served_nor_stored(tmp_path, own_cache, builds, monkeypatch):
    path = rules_file(tmp_path, 5)
    load_rules(path)
    entry = entry_of(path)
    newest = max(os.stat(os.path.join(cache._PACKAGE, name)).st_mtime_ns for name, _ in cache.code_version() or ())
    monkeypatch.setattr(cache, "_IMPORTED_NS", newest)  # as if the newest source was written after the import
    load_rules(path)
    assert len(builds) == 2  # not served
    os.remove(entry)
    load_rules(path)
    assert len(builds) == 3 and not os.path.exists(entry)  # not stored


def test_a_file_changed_while_being_built_is_not_stored(tmp_path, own_cache, monkeypatch):
    path = rules_file(tmp_path, 6)
    real = build.gather

    def edit_first(files):  # the file changes after load_rules read it for the key, before it is built
        rules_file(tmp_path, 6, bands=(("good", 0, 70), ("bad", 70, 100)))
        return real(files)

    monkeypatch.setattr(build, "gather", edit_first)
    assert load_rules(path).get("t6").classify("60").label == "good"
    monkeypatch.setattr(build, "gather", real)
    rules_file(tmp_path, 6)
    assert load_rules(path).get("t6").classify("60").label == "bad"


# -- only loads without findings are stored --------------------------------------------------------

def test_rules_with_errors_are_never_stored_and_report_every_time(tmp_path, own_cache, builds):
    path = rules_file(tmp_path, 7, bands=(("good", 0, 50), ("bad", 40, 100)))
    for _ in range(2):
        with pytest.raises(RulesError) as error:
            load_rules(path)
        assert any("overlap" in str(f) for f in error.value.findings), error.value.findings
    assert len(builds) == 2 and built_entries(own_cache) == []


def test_rules_with_warnings_are_never_stored(write_rules, own_cache, builds):
    path = write_rules(set_toml().replace(', url = "https://example.org"', ""))
    for _ in range(2):
        assert load_rules(path).get("t")
        [finding] = check_rules(path)
        assert finding.severity == "warning"
    assert len(builds) == 4 and built_entries(own_cache) == []


def test_text_already_read_is_never_stored(own_cache, builds):
    source = RulesSource("-", set_toml(id="piped"))
    for _ in range(2):
        assert load_rules(source).get("piped")
    assert len(builds) == 2 and built_entries(own_cache) == []


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_pipe_is_not_read_for_a_key(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code = f"from rightsband.rules import cache; print(cache.built_key([{str(fifo)!r}]))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert result.stdout == "None\n"  # opening the pipe would have blocked: no writer


# -- a damaged entry is rebuilt and replaced -------------------------------------------------------

def parts_with(payload: bytes, damage) -> bytes:
    """The packed payload of an entry with ``damage(blob)`` in place of each set's packed bytes."""
    index, sets, groups = marshal.loads(payload)
    return marshal.dumps((index, tuple(damage(blob) for blob in sets), groups))


#: Packed parts an entry must never turn into rules: each refused where it is unpacked.
FOREIGN_PARTS = {
    "a function": ["R", "os:system", ("touch planted",)],
    "a model function": ["R", "rightsband.model.exact:times_100", ()],
    "not a record": ["R", "rightsband.model.parts:YearError", ()],
    "a dotted name": ["R", "rightsband.model.parts:Band.__init__", ()],
    "too few fields": ["R", "rightsband.model.parts:Scale", (1, 2)],
    "an unknown tag": ["X", 1],
    "a float": 1.5,
    "a set out of range": ["S", 10_000],
    "a negative set": ["S", -1],
}


@pytest.mark.parametrize("damage", ["truncated", "empty", "garbage", "foreign", "flipped byte", "other material",
                                    "not rules", "bad index", "ids not the sets'", "parts not bytes",
                                    "truncated part", *FOREIGN_PARTS])
def test_a_damaged_entry_is_built_afresh_and_replaced(tmp_path, own_cache, builds, damage, monkeypatch):
    path = rules_file(tmp_path, 8)
    load_rules(path)
    entry = entry_of(path)
    with open(entry, "rb") as file:
        whole = file.read()
    material, check, payload = marshal.loads(whole)
    monkeypatch.chdir(tmp_path)

    def entry_with(new_payload: bytes) -> bytes:
        return marshal.dumps((material, zlib.crc32(new_payload), new_payload))

    flipped = bytearray(payload)
    flipped[len(payload) // 2] ^= 0x01
    other = (*material[:3], (("model/parts.py", b"older code"),), material[4])
    index = marshal.loads(payload)[0]
    if damage in FOREIGN_PARTS:
        damaged = entry_with(parts_with(payload, lambda blob: marshal.dumps(FOREIGN_PARTS[damage])))
    else:
        damaged = {
            "truncated": whole[: len(whole) // 2],
            "empty": b"",
            "garbage": b"not marshal data",
            "foreign": marshal.dumps(["a", "list"]),
            "flipped byte": marshal.dumps((material, check, bytes(flipped))),
            "other material": marshal.dumps((other, check, payload)),
            "not rules": entry_with(marshal.dumps(["a", "list"])),
            "bad index": entry_with(marshal.dumps((({"t8": 10_000}, *index[1:]), *marshal.loads(payload)[1:]))),
            "truncated part": entry_with(parts_with(payload, lambda blob: blob[: len(blob) // 2])),
            "ids not the sets'": entry_with(marshal.dumps(((*index[:2], index[2][1:], index[3]),
                                                           *marshal.loads(payload)[1:]))),
            "parts not bytes": entry_with(marshal.dumps((index, ("a part",) * len(index[2]),
                                                         marshal.loads(payload)[2]))),
        }[damage]
    with open(entry, "wb") as file:
        file.write(damaged)
    assert load_rules(path).get("t8").classify("60").label == "bad"
    assert not (tmp_path / "planted").exists()
    assert load_rules(path).get("t8").classify("10").label == "good"
    with open(entry, "rb") as file:
        assert file.read() == whole  # replaced by a good entry, which the last load was served from
    assert len(builds) == 2


def test_a_part_that_does_not_unpack_gives_the_rules_built_afresh_whole(tmp_path, own_cache, builds):
    """Found only when a set is first asked for: the rules then become those built from the files, every
    set and group among them, and the sets handed out before are equal to theirs."""
    path = rules_file(tmp_path, 12)
    built = load_rules(path)
    entry = entry_of(path)
    with open(entry, "rb") as file:
        material, _, payload = marshal.loads(file.read())
    index, sets, groups = marshal.loads(payload)
    number = index[0]["t12"]
    damaged = marshal.dumps((index, (*sets[:number], b"", *sets[number + 1:]), groups))
    with open(entry, "wb") as file:
        file.write(marshal.dumps((material, zlib.crc32(damaged), damaged)))
    served = load_rules(path)
    rsf = served.get("rsf")
    assert len(builds) == 1
    assert served.get("t12") == built.get("t12") and len(builds) == 2
    assert served.sets == built.sets and served.groups == built.groups and served.get("rsf") == rsf
    assert len(builds) == 2


# -- a cache that cannot be used is no reason to fail ----------------------------------------------

def test_a_cache_path_under_a_regular_file(tmp_path, monkeypatch, builds):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker / "deeper"))
    for _ in range(2):
        assert load_rules(rules_file(tmp_path, 9)).get("t9").classify("60").label == "bad"
    assert len(builds) == 2


def fails_with(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


@pytest.mark.parametrize("code", [errno.EROFS, errno.EACCES, errno.ENOSPC])
def test_an_entry_that_cannot_be_written_leaves_nothing_behind(tmp_path, own_cache, monkeypatch, code):
    path = rules_file(tmp_path, 10)
    load_rules(path)
    os.remove(entry_of(path))
    before = set(os.listdir(own_cache))
    real = open

    def opening(file, mode="r", *args, **kwargs):
        if "w" in mode:
            real(file, mode).close()  # created, as on a full disk, then the write fails
            raise OSError(code, os.strerror(code))
        return real(file, mode, *args, **kwargs)

    monkeypatch.setattr(cache, "open", opening, raising=False)
    assert load_rules(path).get("t10").classify("60").label == "bad"
    assert set(os.listdir(own_cache)) == before


def test_an_entry_that_cannot_be_read_or_touched(tmp_path, own_cache, monkeypatch, builds):
    path = rules_file(tmp_path, 11)
    load_rules(path)
    monkeypatch.setattr(cache.os, "utime", fails_with(errno.EROFS))
    assert load_rules(path).get("t11")  # served: marking it used failed quietly
    os.chmod(entry_of(path), 0)
    if os.access(entry_of(path), os.R_OK):  # root reads anything: make it a folder instead
        os.remove(entry_of(path))
        os.mkdir(entry_of(path))
    assert load_rules(path).get("t11").classify("60").label == "bad"
    assert len(builds) == 2


def test_unreadable_code_disables_the_cache(tmp_path, own_cache, monkeypatch, builds):
    monkeypatch.setattr(cache, "_PACKAGE", str(tmp_path / "no-such-package"))
    for _ in range(2):
        assert load_rules(rules_file(tmp_path, 12)).get("t12")
    assert len(builds) == 2 and built_entries(own_cache) == []


# -- a bounded cache, shared with the parsed files -------------------------------------------------

def test_both_kinds_of_entry_together_stay_within_KEEP(tmp_path, own_cache):
    load_rules()
    for n in range(cache.KEEP):
        load_rules(rules_file(tmp_path, 100 + n))
    names = os.listdir(own_cache)
    assert len(names) == cache.KEEP
    assert os.path.basename(entry_of(rules_file(tmp_path, 100 + cache.KEEP - 1))) in names
    assert os.path.basename(entry_of(rules_file(tmp_path, 100))) not in names  # the oldest went first
    assert len(built_entries(own_cache)) >= cache.KEEP // 3

