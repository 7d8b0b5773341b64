"""Read, scan and classify the next CSV blocks in a helper process while this one writes.

Splitting records and joining output holds Python's GIL, so a thread working ahead
gains little; a forked process works on the other core and hands each item over a
pipe (pickled: a block's raw bytes plus a few arrays, about 1 ms per 4 MB block).
Forking is only safe where this process has no other thread, so elsewhere (another
OS, a program with threads) or with a pipe as input (whose reads may wait for ever)
the items are made in line, with the same result.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pickle
import signal
import sys
from collections.abc import Iterator
from typing import Any, BinaryIO, TypeVar

from rightsband.csvscan import CsvError

T = TypeVar("T")

_PIPE_SIZE = 1 << 20
#: What the helper sends when the blocks are done (then it exits).
_DONE = None


def prefetched(items: Iterator[T], *, may_wait: bool) -> Iterator[T]:
    """The items, made ahead by a forked helper process where that is safe, else in line.

    ``may_wait``: making an item may wait on input for ever (a pipe), so no helper.
    Close the result (or exhaust it) to stop the helper; an error the helper meets
    (a :class:`~rightsband.csvscan.CsvError`) is raised here, after the items before it.
    """
    if may_wait or not _single_threaded():
        return items
    return _from_helper(items)


def _single_threaded() -> bool:
    """True if this process has one OS thread (Linux; elsewhere unknown, so False): fork is then safe."""
    try:
        return sys.platform == "linux" and len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


def _from_helper(items: Iterator[T]) -> Iterator[T]:
    receive, send = os.pipe()
    with contextlib.suppress(OSError, AttributeError):  # a larger pipe: fewer hand-overs per block (Linux)
        fcntl.fcntl(send, fcntl.F_SETPIPE_SZ, _PIPE_SIZE)
    pid = os.fork()
    if pid == 0:  # the helper: never returns, never runs the parent's exit handlers or flushes its buffers
        os.close(receive)
        _helper(items, send)
    os.close(send)
    try:
        with open(receive, "rb") as pipe:
            while (item := _receive(pipe)) is not _DONE:
                if isinstance(item, BaseException):
                    raise item
                yield item
    finally:
        _stop(pid)


def _receive(pipe: BinaryIO) -> Any:
    try:
        return pickle.load(pipe)
    except EOFError:
        raise CsvError("the process reading the input ended without a word (out of memory?); "
                       "try again, or pipe the input in (cat FILE | rightsband label ...)") from None


def _helper(items: Iterator[Any], send: int) -> None:
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; it then stops us
        with open(send, "wb") as pipe:
            try:
                for item in items:
                    pickle.dump(item, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                    pipe.flush()
                item = _DONE
            except Exception as error:  # handed to the parent, which raises it
                item = error if _picklable(error) else RuntimeError(f"{type(error).__name__}: {error}")
            pickle.dump(item, pipe, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # the parent went away (a broken pipe): nothing to tell anyone
        status = 1
    finally:
        os._exit(status)


def _picklable(error: Exception) -> bool:
    try:
        pickle.dumps(error)
    except Exception:  # any failure means "send a plain RuntimeError instead"
        return False
    return True


def _stop(pid: int) -> None:
    """End the helper (done, or no longer wanted) and reap it."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
