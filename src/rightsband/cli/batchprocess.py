"""How a batch command (``label``, ``verify``) sets up its process before the first block.

- NumPy's BLAS thread pool is never used here; without it, the engine can fork its
  scanning helper (a process with other threads must not fork).
- glibc's malloc gives every freed block of a megabyte or more back to the kernel, and
  takes fresh zeroed pages for the next: for a run of same-sized blocks that is a page
  fault per 4 KiB, twice (about a fifth of ``label``'s time on one file). Raising the
  thresholds keeps freed blocks for reuse; memory stays bounded by the blocks in flight.
"""

from __future__ import annotations

import os
import sys

#: Freed blocks up to this size are kept for reuse, and allocations up to it come from the heap.
KEEP_FREED = 256 << 20
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3


def prepare_for_batch() -> None:
    """Set the process up for a batch run: no BLAS threads, freed memory kept for reuse (glibc)."""
    for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    keep_freed_memory()


def keep_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed blocks (True if it agreed); anywhere else, do nothing."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt)
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, KEEP_FREED)) and bool(mallopt(_M_TRIM_THRESHOLD, KEEP_FREED))
