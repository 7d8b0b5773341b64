"""The frames, batch, verify and publishers packages: modules by concern, each importing only those above it."""

from __future__ import annotations

import ast

import pytest

from conftest import REPO

#: Each package's modules, lowest first, and what each may import from outside it (all of it lower in the house).
PACKAGES = {
    "frames": (["inputs", "codes", "banding", "__init__"],
               {"rightsband.csvscan", "rightsband.engine", "rightsband.mapping", "rightsband.model", "rightsband.rules",
                "rightsband.values"}),
    "batch": (["prefetch", "labeller", "summary", "writers", "run", "__init__"],
              {"rightsband.csvscan", "rightsband.engine", "rightsband.formats", "rightsband.mapping",
               "rightsband.problems", "rightsband.rankguard", "rightsband.values"}),
    "publishers": (["observation", "cells", "layouts", "placing", "rows", "wide", "recognise", "__init__"],
                   {"rightsband.values", "rightsband.rules", "rightsband.readers.workbook"}),
    "verify": (["verdicts", "checks", "__init__"],
               {"rightsband.batch", "rightsband.csvscan", "rightsband.engine", "rightsband.mapping", "rightsband.model",
                "rightsband.problems", "rightsband.rules", "rightsband.values"}),
}


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_every_module_is_layered_and_small(package):
    layers, outside = PACKAGES[package]
    folder = REPO / "src" / "rightsband" / package
    assert sorted(p.stem for p in folder.glob("*.py")) == sorted(layers)
    for n, name in enumerate(layers):
        source = (folder / f"{name}.py").read_text(encoding="utf-8")
        assert len(source.splitlines()) <= 400, name
        below = {f"rightsband.{package}.{lower}" for lower in layers[:n]}
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rightsband"):
                targets = {node.module} if node.module != f"rightsband.{package}" else {
                    f"rightsband.{package}.{alias.name}" for alias in node.names}  # from the package, a module
                assert targets <= below | outside, f"{package}.{name} imports {targets}"
            elif isinstance(node, ast.Import):
                assert not [a.name for a in node.names if a.name.startswith("rightsband")], f"{package}.{name}"
