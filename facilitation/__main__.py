"""`python -m facilitation …` is the same as the `facilitation` command."""

from .cli import main

main()
