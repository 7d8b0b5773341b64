"""``python -m rightsband``: the same as the ``rightsband`` command."""

from rightsband.cli import main

main()
