"""Helpers shared by the tests (importable as ``helpers``; ``tests/`` is on pytest's pythonpath)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from netral_cli.cli import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def invoke(*args: str, input: str | None = None) -> Result:
    """Run ``netral`` in-process; stdout and stderr kept apart, crashes re-raised."""
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result
