"""Helpers shared by the tests (importable as ``helpers``; ``tests/`` is on pytest's pythonpath)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from click.testing import CliRunner, Result

from netral_cli.cli import cli
from netral_cli.items import Item, Rejected, Skipped

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def invoke(*args: str, input: str | None = None) -> Result:
    """Run ``netral`` in-process; stdout and stderr kept apart, crashes re-raised."""
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


# --- ingest results (platform export tests) ---------------------------------------------------------

def ingest(*paths: str) -> list:
    """Every record and skipped file read from ``paths`` with the default options."""
    from netral_cli.ingest import IngestOptions, read

    return list(read(paths, IngestOptions()))


def counts(records: list) -> Counter:
    """(file inside the layout folder, kind) -> number of items."""
    return Counter((r.source_file.split("/", 1)[1], r.kind) for r in records if isinstance(r, Item))


def by_locator(records: list, filename: str) -> dict[str, Item | Rejected]:
    return {r.locator: r for r in records if isinstance(r, (Item, Rejected)) and r.source_file.endswith(filename)}


def rejected(records: list) -> list[tuple[str, str, str]]:
    return [(r.source_file, r.locator, r.reason) for r in records if isinstance(r, Rejected)]


def skipped(records: list) -> list[tuple[str, str]]:
    return [(r.source_file, r.reason) for r in records if isinstance(r, Skipped)]


# A valid rule file whose examples pass: tests change one thing in it.
GOOD = """\
id: a2b2.contoh
title: Contoh
skb: {bakal_calon: A2, calon: B2}
legal_basis: SKB 2/2022 Lampiran II
severity: high
condition:
  phrase: coblos
examples:
  match: [coblos, ayo coblos, nyoblos yuk, coblos dong, coblosin]
  no_match: [pilih menu, makan, tidur, kerja, libur]
"""
