"""The benchmark's smoke mode runs end to end and prints the tables it promises (no timing asserted)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _table(text: str, heading: str) -> list[list[str]]:
    section = text.split(f"## {heading}\n\n", 1)[1]
    lines = [line for line in section.split("\n\n", 1)[0].splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in lines]


def test_smoke_run_prints_pipelines_and_stages(tmp_path):
    output = tmp_path / "results.md"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--corpus-dir", str(tmp_path),
                           "-o", str(output)], capture_output=True, text=True, check=True)
    text = output.read_text("utf-8")
    assert done.stdout.strip() == text.strip()
    assert text.startswith("Machine: ")
    assert (tmp_path / "corpus-300-seed1.jsonl").read_text("utf-8").count("\n") == 300

    pipelines = _table(text, "Pipelines")
    assert pipelines[0] == ["items", "pipeline", "wall (s)", "items/s", "peak RSS (MiB)",
                            "netral cold ÷ this (items/s)"]
    assert [row[:2] for row in pipelines[2:]] == [["300", "netral scan"], ["300", "notebook"], ["300", "floor"]]
    assert pipelines[2][5] == "1.00"
    for row in pipelines[2:]:
        assert float(row[2]) > 0 and float(row[3].replace(",", "")) > 0 and float(row[4].replace(",", "")) > 0

    stages = _table(text, "netral stages")
    assert stages[0] == ["items", "stage", "seconds", "items/s", "peak RSS after stage (MiB)"]
    assert [row[:2] for row in stages[2:]] == [["300", s] for s in
                                                ("load", "ingest", "normalise", "stem", "rules", "model", "score",
                                                 "report")]


def test_generator_is_deterministic_and_counts_distinct_tokens(tmp_path):
    def generate(name: str, fmt: str) -> tuple[str, bytes]:
        path = tmp_path / name
        done = subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "200", "--format", fmt,
                               "-o", str(path), "--seed", "7"], capture_output=True, text=True, check=True)
        return done.stdout.strip(), path.read_bytes()

    first, second, as_csv = generate("a.jsonl", "jsonl"), generate("b.jsonl", "jsonl"), generate("c.csv", "csv")
    assert first == second
    assert first[0] == as_csv[0] and int(first[0]) > 1000
    assert first[1].count(b"\n") == 200
    assert as_csv[1].splitlines()[0] == b"text,author,account,created_at,platform,kind,url"
