"""The ``rightsband`` command: a thin click layer that wires options to library calls.

One module per command (``classify``, ``label``, ``list``/``show``/``check`` in
``info``), each imported only when its command runs; the options they share in
``options``, files in ``files``, and how the process starts and ends (signals, closed
pipes, exit codes) in ``app``. This module imports nothing heavy, so that :func:`main`
takes charge of Ctrl-C before click or the rules are imported.
"""

import gc
import os

try:  # signal's C module: signal itself makes enums of it, which would cost a look-up half a millisecond
    import _signal as signals  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - a Python without it
    import signal as signals

#: Not ``typing.TYPE_CHECKING``: typing is among the imports Ctrl-C must not interrupt unhandled.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from types import FrameType
    from typing import Any, NoReturn

__all__ = ["cli", "main", "run"]

#: True from :func:`main` pausing the garbage collector until :func:`started`.
starting = False
#: True while an interrupt can unwind the command (removing temporary files on the way out):
#: set by :func:`rightsband.cli.app.run` around the command itself.
catching = False


def on_interrupt(signum: int, frame: "FrameType | None") -> None:
    """Ctrl-C: unwind the command while it runs; before it starts or once it ends (or while it is
    already unwinding), there is nothing to clean up, so end at once, quietly, with 130."""
    global catching
    if catching:
        catching = False
        raise KeyboardInterrupt
    os._exit(128 + signum)


def handle(names: "tuple[str, ...]", handler: "Callable[[int, FrameType | None], None]") -> None:
    """Call ``handler`` for each of the signals ``names`` (e.g. ``SIGHUP``) that this platform has."""
    for name in names:
        if hasattr(signals, name):
            signals.signal(getattr(signals, name), handler)


def main() -> "NoReturn":
    """Console-script entry point: Ctrl-C is quiet from here on, then the command runs.

    The cyclic garbage collector waits while the process starts: imports make many objects that
    live as long as the process, and no garbage. Once the command's module is imported,
    :func:`started` sets them aside for good and turns the collector on again.
    """
    global starting
    gc.disable()
    starting = True
    try:
        signals.signal(signals.SIGINT, on_interrupt)
    except KeyboardInterrupt:  # it came while the handler was being installed (signal() runs the old one first)
        os._exit(128 + signals.SIGINT)
    from rightsband.cli.app import start

    start()


def started() -> None:
    """Start-up is over (the command's module is imported, or no command will run): if :func:`main`
    paused the garbage collector, freeze what start-up made (``gc.freeze``: no collection, the one at
    exit included, walks those objects again) and collect as usual from here on. Otherwise nothing:
    a caller in its own process (tests, ``run``) keeps its collector as it was."""
    global starting
    if starting:
        starting = False
        gc.freeze()
        gc.enable()


def __getattr__(name: str) -> "Any":
    """``cli`` and ``run`` come from :mod:`rightsband.cli.app`, imported on first use."""
    if name in ("cli", "run"):
        import importlib

        return getattr(importlib.import_module("rightsband.cli.app"), name)
    raise AttributeError(f"module 'rightsband.cli' has no attribute {name!r}")
