"""The benchmark's smoke mode runs end to end and prints the tables it promises (no timing asserted)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

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
    assert pipelines[0] == ["items", "pipeline", "wall (s)", "CPU (s)", "items/s", "peak PSS, all processes (MiB)",
                            "netral cold ÷ this (items/s)"]
    assert [row[:2] for row in pipelines[2:]] == [["300", "netral scan"], ["300", "notebook"], ["300", "floor"]]
    assert pipelines[2][6] == "1.00"
    for row in pipelines[2:]:
        assert all(float(cell.replace(",", "")) > 0 for cell in row[2:6])

    stages = _table(text, "netral stages")
    assert stages[0] == ["items", "stage", "seconds", "items/s", "peak RSS after stage (MiB)"]
    assert [row[:2] for row in stages[2:]] == [["300", s] for s in
                                                ("load", "ingest", "normalise", "stem", "rules", "model", "score",
                                                 "report")]


def test_a_corpus_of_ones_own_is_measured_as_it_is_and_left_alone(tmp_path):
    own = tmp_path / "own"
    own.mkdir()
    corpus = own / "posts.jsonl"
    assert _bench_module("generate").main(["40", "-o", str(corpus), "--seed", "3"]) == 0
    corpus.write_text(corpus.read_text("utf-8") + "\n", "utf-8")  # a blank line at the end is no item
    output = tmp_path / "results.md"
    subprocess.run([sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--corpus", str(corpus),
                    "--notebook-limit", "25", "-o", str(output)], capture_output=True, text=True, check=True)
    pipelines = _table(output.read_text("utf-8"), "Pipelines")
    assert [row[:2] for row in pipelines[2:]] == [["40", "netral scan"], ["40", "notebook *"], ["40", "floor"]]
    assert sorted(p.name for p in own.iterdir()) == ["posts.jsonl"]  # its sample went to the scratch folder


def test_corpora_of_the_same_name_get_their_own_samples(tmp_path):
    run = _bench_module("run")
    for folder, text in (("a", "satu"), ("b", "dua")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "posts.jsonl").write_text(f'{{"text": "{text}"}}\n' * 3, "utf-8")
    samples = [run.sample_of(tmp_path / folder / "posts.jsonl", 2, tmp_path) for folder in "ab"]
    assert [sample.read_text("utf-8") for sample in samples] == ['{"text": "satu"}\n' * 2, '{"text": "dua"}\n' * 2]


def test_generator_is_deterministic_and_counts_distinct_tokens(tmp_path, capsys):
    generate = _bench_module("generate")

    def written(name: str, fmt: str) -> tuple[str, bytes]:
        assert generate.main(["200", "--format", fmt, "-o", str(tmp_path / name), "--seed", "7"]) == 0
        return capsys.readouterr().out.strip(), (tmp_path / name).read_bytes()

    first, second, as_csv = written("a.jsonl", "jsonl"), written("b.jsonl", "jsonl"), written("c.csv", "csv")
    assert first == second
    assert first[0] == as_csv[0] and int(first[0]) > 1000
    assert first[1].count(b"\n") == 200
    assert as_csv[1].splitlines()[0] == b"text,author,account,created_at,platform,kind,url"


def _bench_module(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_extrapolated_notebook_is_marked_and_ratios_are_against_the_cold_scan():
    run = _bench_module("run")
    table = run.results_table([
        run.Run(1_000_000, "netral scan", 50.0, 95.5, 900.0),
        run.Run(1_000_000, "notebook", 400.0, 390.0, 1500.0, "timed on the first 100000 items, times extrapolated linearly"),
    ])
    assert table.splitlines()[2:] == [
        "| 1,000,000 | netral scan | 50.00 | 95.50 | 20,000 | 900 | 1.00 |",
        "| 1,000,000 | notebook * | 400.00 | 390.00 | 2,500 | 1,500 | 8.00 |",
        "",
        "\\* timed on the first 100000 items, times extrapolated linearly.",
    ]


def test_sizes_and_rule_patterns():
    run = _bench_module("run")
    assert [run.parse_size(s) for s in ("10k", "1M", "2500", "1_000")] == [10_000, 1_000_000, 2_500, 1_000]
    patterns = run.rule_patterns()
    from netral_cli.resources import bundled_path
    from netral_cli.rules.engine import rule_files

    assert len(patterns) == len(rule_files(bundled_path("rules")))
    assert any(p.search("ayo coblos paslon nomor 2") for p in patterns)


def test_memory_is_sampled_every_tenth_of_a_second_at_first_then_every_half_second():
    run = _bench_module("run")
    intervals = [run._sampling_interval(t) for t in (0, 5, 10, 20, 60, 600)]
    assert intervals == pytest.approx([0.1, 0.2, 0.3, 0.5, 0.5, 0.5])
