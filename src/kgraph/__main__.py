"""``python -m kgraph``: the same as the ``kgraph`` command."""

from kgraph.cli import main

main()
