"""The README's quick start is what CI runs, and every command is documented."""

from __future__ import annotations

import re

import click

from helpers import ROOT
from netral_cli.cli import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


def test_quick_start_has_exactly_two_commands_and_ci_runs_the_test_one():
    commands = quick_start_commands()
    assert len(commands) == 2
    scan_command, test_command = commands
    assert "netral scan examples/" in scan_command
    assert "python -m pytest" in test_command
    assert test_command in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def walk(group: click.Group, prefix: str = ""):
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        if isinstance(command, click.Group):
            yield from walk(command, f"{prefix}{name} ")


def test_every_command_has_help_and_is_in_the_readme():
    for name, command in walk(cli):
        assert command.help, f"netral {name} has no help"
        assert f"netral {name.split()[0]}" in README, f"netral {name} is not in the README"


def test_datasheet_counts_match_the_data():
    import json

    rows = [json.loads(line) for path in (ROOT / "data" / "labelled").glob("*.jsonl")
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    datasheet = (ROOT / "data" / "DATASHEET.md").read_text(encoding="utf-8")
    assert f"{len(rows):,} short texts" in datasheet
    assert f"{sum(r['label'] for r in rows)} positives" in datasheet
    assert len({r["text"] for r in rows}) == len(rows)
