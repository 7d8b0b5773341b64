"""A batch command's process set-up: no BLAS threads, freed memory kept for reuse where glibc allows."""

from __future__ import annotations

import subprocess
import sys

from rightsband.cli import batchprocess


def test_prepare_for_batch_in_a_fresh_process():
    code = ("import os, sys; from rightsband.cli.batchprocess import prepare_for_batch, keep_freed_memory; "
            "prepare_for_batch(); print(os.environ['OPENBLAS_NUM_THREADS'], keep_freed_memory())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env={"PATH": "/usr/bin"})
    threads, kept = out.stdout.split()
    assert threads == "1"
    assert kept == ("True" if sys.platform.startswith("linux") and _glibc() else "False")


def test_nothing_is_asked_off_linux(monkeypatch):
    monkeypatch.setattr(batchprocess.sys, "platform", "darwin")
    assert batchprocess.keep_freed_memory() is False


def _glibc() -> bool:
    import platform

    return platform.libc_ver()[0] == "glibc"
