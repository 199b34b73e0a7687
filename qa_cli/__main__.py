"""Allows ``python -m qa_cli``."""

from qa_cli.cli.app import main

main()
