"""Time one look-up, `rightsband classify rsf 53.46`, against `python -c "import click"`.

Whole processes, both on this interpreter, in alternating pairs (look-up, click, look-up, ...)
after warm-up runs (which also write the bytecode caches a normal install has, and rightsband's
rules cache). The figure is the median over the pairs of each pair's ratio of wall times (pairing
keeps the ratio meaningful when the machine's speed drifts); the target is at most 1.3x. Then
the time of ``load_rules()`` (the built-in rules) with the cache warm: its first call in a fresh
process (what a look-up pays, with the one set it asks for), and a call again in the same process.
Run after installing the project:

    python bench/bench_lookup.py [--runs 21]
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
#: Fresh processes that time load_rules().
PROCESSES = 15
LOAD_RULES = """
import statistics, sys, time
from rightsband import load_rules
start = time.perf_counter(); load_rules().get("rsf"); first = time.perf_counter() - start
again = []
for _ in range(20):
    start = time.perf_counter(); load_rules().get("rsf"); again.append(time.perf_counter() - start)
print(first, statistics.median(again))
"""


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=True, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=21, help="timed pairs of runs (default 21)")
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
    lookups, click_imports = times.values()
    ratio = statistics.median(a / b for a, b in zip(lookups, click_imports))
    print(f"python {sys.version.split()[0]}, {args.runs} alternating pairs, whole processes, median wall time")
    for name, values in times.items():
        print(f"  {name:34} {statistics.median(values) * 1000:7.1f} ms")
    verdict = "meets" if ratio <= TARGET else "misses"
    print(f"  ratio {ratio:.2f}x, the median of the pairs' ratios ({verdict} the target of {TARGET}x)")
    firsts, agains = [], []
    for _ in range(PROCESSES):
        output = subprocess.run([sys.executable, "-c", LOAD_RULES], capture_output=True, text=True, check=True,
                                env=env).stdout.split()
        firsts.append(float(output[0]))
        agains.append(float(output[1]))
    print(f"load_rules().get('rsf') with the cache warm, median of {PROCESSES} processes")
    print(f"  first call in a process            {statistics.median(firsts) * 1000:7.1f} ms")
    print(f"  again in the same process          {statistics.median(agains) * 1000:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
