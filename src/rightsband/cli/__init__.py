"""The ``rightsband`` command: a thin click layer that wires options to library calls.

One module per command (``classify``, ``label``, ``list``/``show``/``check`` in
``info``), each imported only when its command runs; the options they share in
``options``, files in ``files``, and how the process starts and ends (signals, closed
pipes, exit codes) in ``app``.
"""

from rightsband.cli.app import cli, main, run

__all__ = ["cli", "main", "run"]
