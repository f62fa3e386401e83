"""``python -m allygraph``: the command-line interface."""

from allygraph.cli import main

main()
