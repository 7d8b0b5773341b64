"""The helper process that makes blocks ahead (rightsband.batch.prefetch): same items, errors, clean stops."""

from __future__ import annotations

import os
import signal

import pytest

from rightsband.batch import prefetch
from rightsband.csvscan import CsvError


def pids(count: int):
    """Items naming the process that made them."""
    for n in range(count):
        yield n, os.getpid()


def test_items_are_made_by_a_helper_process_in_order(engine):
    items = list(prefetch.prefetched(pids(50), may_wait=False))
    assert [n for n, _ in items] == list(range(50))
    makers = {pid for _, pid in items}
    assert (makers != {os.getpid()}) == (engine == "helper")


def test_input_that_may_wait_is_read_in_line():
    assert {pid for _, pid in prefetch.prefetched(pids(3), may_wait=True)} == {os.getpid()}


def failing():
    yield 1
    yield 2
    raise CsvError("line 3: broken")


def test_an_error_in_the_helper_comes_after_the_items_before_it(engine):
    seen = []
    with pytest.raises(CsvError, match="line 3: broken"):
        for item in prefetch.prefetched(failing(), may_wait=False):
            seen.append(item)
    assert seen == [1, 2]


def unpicklable():
    yield 1
    raise TypeError(lambda: None)


def test_an_unexpected_error_still_arrives(engine):
    with pytest.raises((RuntimeError, TypeError)):
        list(prefetch.prefetched(unpicklable(), may_wait=False))


def test_closing_early_stops_and_reaps_the_helper():
    assert prefetch._single_threaded()
    items = prefetch.prefetched(pids(10_000), may_wait=False)
    _, helper = next(items)
    assert helper != os.getpid()
    items.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(helper, os.WNOHANG)  # already reaped: no zombie left behind


def dies():
    yield 1
    os.kill(os.getpid(), signal.SIGKILL)
    yield 2


def test_a_helper_that_dies_is_a_clear_error():
    assert prefetch._single_threaded()  # else the generator would run, and die, in this process
    with pytest.raises(CsvError, match="ended without a word"):
        list(prefetch.prefetched(dies(), may_wait=False))
