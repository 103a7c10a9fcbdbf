"""``python -m graph``: the govkg command line."""

from .cli import main

main()
