"""The rules package's shape: modules by concern, imports only downward, a light look-up path."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import set_toml

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "rightsband" / "rules"
#: Each module may import only modules listed before it (and rightsband.model / rightsband.values).
LAYERS = ["findings", "positions", "packing", "cache", "fields", "syntax", "drafts", "bands_check", "constructs",
          "sets", "reader", "build", "registry", "__init__"]
ALLOWED_OUTSIDE = {"rightsband.model", "rightsband.values"}


def imported(module: Path) -> set[str]:
    """The rightsband modules ``module`` imports (at any level, lazily or not)."""
    names = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("rightsband"):
            if node.module == "rightsband.rules":
                names.update(f"rightsband.rules.{alias.name}" for alias in node.names)
            else:
                names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names if alias.name.startswith("rightsband"))
    return names


def test_every_module_is_layered_and_small():
    assert sorted(p.stem for p in PACKAGE.glob("*.py")) == sorted(LAYERS)
    for n, name in enumerate(LAYERS):
        path = PACKAGE / f"{name}.py"
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, name
        below = {f"rightsband.rules.{lower}" for lower in LAYERS[:n] if lower != "__init__"}
        for target in imported(path):
            assert target in below or target in ALLOWED_OUTSIDE, f"{name} imports {target}"


def test_a_look_up_with_a_warm_cache_loads_no_parser_and_no_error_machinery(write_rules):
    path = write_rules(set_toml())
    code = (f"import sys, rightsband; rules = rightsband.load_rules({str(path)!r}); rules.get('rsf').classify('5'); "
            "rules.get('t').classify('5'); "
            "print(sorted(m for m in ('tomllib', 'tomli', 'difflib', 'numpy', 'pandas', 'rich', "
            "'rightsband.rules.syntax') if m in sys.modules))")
    for _ in range(2):  # the first run may fill the cache
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "[]\n"
