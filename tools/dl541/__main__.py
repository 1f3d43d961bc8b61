"""`python -m dl541` is the `dl541` command."""

from .cli import main

main(prog_name="dl541")
