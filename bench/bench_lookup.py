"""Time one look-up, `rightsband classify rsf 53.46`, against `python -c "import click"`.

Both run on this interpreter, alternating, after warm-up runs (which also write
the bytecode caches a normal install has, and rightsband's parsed-rules cache). Target: the look-up's median wall time
is at most 1.3x that of importing click. Run after installing the project:

    python bench/bench_lookup.py [--runs 60]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

TARGET = 1.3


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=60, help="timed runs of each command (default 60)")
    args = parser.parse_args()
    script = shutil.which("rightsband", path=os.path.dirname(sys.executable)) or shutil.which("rightsband")
    if script is None:
        print("bench: the rightsband command is not installed; run `python -m pip install .` first", file=sys.stderr)
        return 2
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    commands = {
        "rightsband classify rsf 53.46": [script, "classify", "rsf", "53.46"],
        'python -c "import click"': [sys.executable, "-c", "import click"],
    }
    for command in commands.values():
        for _ in range(5):
            _time(command, env)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, command in commands.items():
            times[name].append(_time(command, env))
    medians = {name: statistics.median(values) for name, values in times.items()}
    lookup, click_import = medians.values()
    print(f"python {sys.version.split()[0]}, {args.runs} alternating runs each, median wall time")
    for name, median in medians.items():
        print(f"  {name:34} {median * 1000:7.1f} ms")
    ratio = lookup / click_import
    verdict = "meets" if ratio <= TARGET else "misses"
    print(f"  ratio {ratio:.2f}x ({verdict} the target of {TARGET}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
