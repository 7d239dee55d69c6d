"""The ``matcher`` command line: one Typer app, its commands grouped by what planners do."""

from matcher.cli.main import app, main

__all__ = ["app", "main"]
