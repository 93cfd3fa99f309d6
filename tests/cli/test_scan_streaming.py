"""The streaming scan (chunks, spool, bounded selections, workers, dask) writes exactly what scoring every
item at once and ranking them in memory writes."""

from __future__ import annotations

import io
import json
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from helpers import ROOT, invoke

from netral_cli import api
from netral_cli.classifier import load_model
from netral_cli.engines import Scorer, model_input, situated_docs, uncertain_row
from netral_cli.ingest import read
from netral_cli.items import Item
from netral_cli.report import FORMATS, ReportMeta, report_of
from netral_cli.report.evidence import with_dates
from netral_cli.rules.context import load_context
from netral_cli.score import at_least, rank
from netral_cli.selection import Best, Spool, ranked_lines, ranked_records

CONTEXT = ROOT / "rules" / "contexts" / "pemilu-2024.yaml"
DAYS = ("2023-10-02", "2023-11-20", "2024-01-05", "2024-02-12", "2024-02-20")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 items from the labelled corpus across the election calendar; every tenth text twice (equal
    scores, ties broken by item id) and some likes with only a target."""
    texts = [json.loads(line)["text"] for path in sorted((ROOT / "data" / "labelled").glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()[:30]]
    rows = []
    for index, text in enumerate(texts[:270]):
        row = {"text": text, "kind": ("post", "comment", "share")[index % 3], "author": f"Pegawai {index % 17}",
               "timestamp": f"{DAYS[index % len(DAYS)]}T0{index % 10}:15:00+07:00"}
        rows.append(row)
        if index % 10 == 0:
            rows.append({**row, "author": "Pegawai lain"})
    rows += [{"kind": "like", "text": "", "target": f"@relawan.contoh0{i % 3}", "timestamp": "2024-01-05T10:00:00+07:00"}
             for i in range(3)]
    path = tmp_path_factory.mktemp("streaming") / "corpus.jsonl"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def reference_report(path: Path, options: api.ScanOptions) -> str:
    """Score every item at once, rank them all in memory, select, explain: the scan before streaming."""
    context = load_context(options.context) if options.context else None
    model = load_model()
    scorer = Scorer(api.load_ruleset(None).active, model, context)
    items = [r for r in read([path]) if isinstance(r, Item)]
    ranked = rank(scorer.score(items))
    selected = [s for s in ranked if options.include_all or at_least(s.level, options.min_level)]
    selected = selected[:options.top] if options.top is not None else selected
    out = io.StringIO()
    explanations = model.explain([model_input(situated_docs(s.item, context)[1], s.item.kind) for s in selected])
    today = api.report_clock().date()
    FORMATS["jsonl"].write(report_of([with_dates(replace(s, explanation=e).to_record(), ReportMeta(today=today))
                                      for s, e in zip(selected, explanations)]), out)
    return out.getvalue()


def streamed_report(path: Path, options: api.ScanOptions) -> str:
    out = io.StringIO()
    with api.scan([path], options) as result:
        FORMATS["jsonl"].write(result.report(), out)
    return out.getvalue()


@pytest.mark.parametrize("selection", [{"include_all": True}, {}, {"top": 7}, {"min_level": "high", "top": 400}])
def test_streamed_report_is_byte_identical_to_ranking_everything_in_memory(corpus, selection, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1707868800")  # the same "today" for both
    options = api.ScanOptions(context=str(CONTEXT), chunk_size=16, **selection)
    expected = reference_report(corpus, options)
    assert streamed_report(corpus, options) == expected
    assert expected.count("\n") == (300 if options.include_all else min(options.top or 300, expected.count("\n")))
    assert expected.count("\n") > 5


def test_tied_scores_are_ranked_by_item_id(corpus):
    records = [json.loads(line) for line in streamed_report(corpus, api.ScanOptions(include_all=True, chunk_size=16))
               .splitlines()]
    ties = [(a, b) for a, b in zip(records, records[1:]) if a["score"] == b["score"] and a["text"] == b["text"]]
    assert len(ties) >= 20
    assert all(a["item_id"] < b["item_id"] for a, b in ties)
    assert [r["rank"] for r in records] == list(range(1, 301))


def test_two_workers_write_what_one_writes(corpus):
    one = streamed_report(corpus, api.ScanOptions(context=str(CONTEXT), chunk_size=16, workers=1))
    two = streamed_report(corpus, api.ScanOptions(context=str(CONTEXT), chunk_size=16, workers=2))
    assert two == one and one.count("\n") > 50


def test_counts_and_uncertain_rows_do_not_depend_on_chunks(corpus):
    whole = api.scan([corpus], api.ScanOptions(uncertain=9, chunk_size=10_000))
    chunked = api.scan([corpus], api.ScanOptions(uncertain=9, chunk_size=7))
    assert whole.levels == chunked.levels and whole.scored == 300 and whole.read == 300
    assert whole.uncertain == chunked.uncertain and len(whole.uncertain) == 9
    scorer = Scorer(api.load_ruleset(None).active, load_model())
    scored = scorer.score([r for r in read([corpus]) if isinstance(r, Item)])
    threshold = load_model().threshold
    closest = sorted(scored, key=lambda s: (abs(s.model_score - threshold), s.item.item_id))[:9]
    assert whole.uncertain == [uncertain_row(s) for s in closest]


def test_spool_reads_entries_back_in_key_order_and_keeps_ties_in_arrival_order():
    spool = Spool()
    spool.add([(-0.5, "b", '{"rank": 0, "n": 1}'), (-0.9, "z", '{"rank": 0, "n": 2}')])
    spool.add([(-0.5, "a", '{"rank": 0, "n": 3}'), (-0.5, "b", '{"rank": 0, "n": 4}')])
    assert [(r["rank"], r["n"]) for r in ranked_records(spool)] == [(1, 2), (2, 3), (3, 1), (4, 4)]
    assert [r["n"] for r in ranked_records(spool)] == [2, 3, 1, 4]  # read again
    spool.add([(-0.7, "c", '{"rank": 0, "n": 5, "teks": "coblos ☝️ nomor 1\\n"}')])  # added after a reading
    assert [r["n"] for r in ranked_records(spool)] == [2, 5, 3, 1, 4]
    assert list(spool.lines())[1] == '{"rank": 0, "n": 5, "teks": "coblos ☝️ nomor 1\\n"}'
    spool.close()


_json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
                            lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
                            max_leaves=8)


@given(records=st.lists(st.dictionaries(st.text().filter(lambda key: key != "rank"), _json_values, max_size=5),
                        max_size=5),
       extra=st.dictionaries(st.sampled_from(["found_on", "report_by", "days_left"]), _json_values),
       ranked_already=st.booleans())
def test_ranked_lines_are_the_ranked_records_serialised(records, extra, ranked_already):
    """The JSONL writer's spliced lines are byte for byte what encoding the decoded records gives, for any
    record, with the date fields or none, and for a line that does not start as a record made by a scan."""
    best = Best(len(records))
    best.add([(float(i), f"id{i}", json.dumps({"rank": 7 if ranked_already else 0, **record}, ensure_ascii=False))
              for i, record in enumerate(records)])
    expected = [json.dumps({**record, **extra}, ensure_ascii=False) for record in ranked_records(best)]
    assert list(ranked_lines(best, extra)) == expected


def test_best_keeps_the_n_smallest_keys_in_bounded_memory():
    best = Best(3)
    for start in range(0, 100, 10):
        best.add([(float(-(k % 7)), f"id{k:03d}", str(k)) for k in range(start, start + 10)])
        assert len(best.kept) <= 2 * 3 + 10
    assert list(best.lines()) == ["6", "13", "20"] and len(best) == 3
    best.close()
    assert best.kept == [] and len(best) == 3  # what the summary says was written


def test_dask_engine_writes_what_the_local_engine_writes(corpus):
    distributed = pytest.importorskip("distributed")
    options = api.ScanOptions(context=str(CONTEXT), chunk_size=32)
    local = streamed_report(corpus, options)
    with distributed.LocalCluster(processes=False, n_workers=1, threads_per_worker=2,
                                  dashboard_address=None) as cluster:
        on_dask = streamed_report(corpus, api.ScanOptions(context=str(CONTEXT), chunk_size=32, engine="dask",
                                                          scheduler=cluster.scheduler_address))
    assert on_dask == local and local.count("\n") > 50


def test_dask_engine_without_dask_installed_is_a_clear_error(corpus, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)
    result = invoke("scan", str(corpus), "--engine", "dask")
    assert result.exit_code == 1
    assert result.stderr == ("Error: --engine dask needs dask.distributed, which is not installed; "
                             "install it with: pip install 'netral[dask]'\n")


def test_scheduler_without_dask_engine_is_a_usage_error(corpus):
    result = invoke("scan", str(corpus), "--scheduler", "tcp://127.0.0.1:8786")
    assert result.exit_code == 1 and "--scheduler goes with --engine dask" in result.stderr


def test_large_inputs_are_scored_on_every_core_by_default(tmp_path, monkeypatch):
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "a.jsonl").write_bytes(b"x" * 600)
    (folder / "b.jsonl").write_bytes(b"x" * 500)
    (tmp_path / "c.jsonl").write_bytes(b"x" * 200)
    monkeypatch.setattr(api.os, "cpu_count", lambda: 4)
    monkeypatch.setattr(api, "LARGE_INPUT", 1300)
    assert api.input_bytes([folder, tmp_path / "c.jsonl", "-", tmp_path / "missing"]) == 1300
    assert api.default_workers([folder, tmp_path / "c.jsonl"]) == 4
    assert api.default_workers([folder]) == 1
    monkeypatch.setattr(api.os, "cpu_count", lambda: 1)
    assert api.default_workers([folder, tmp_path / "c.jsonl"]) == 1


def test_scoring_collects_garbage_rarely_and_restores_the_thresholds():
    import gc

    from netral_cli.engines import GC_THRESHOLD, rare_collections

    before = gc.get_threshold()
    with rare_collections():
        assert gc.get_threshold() == GC_THRESHOLD
    assert gc.get_threshold() == before


def test_a_scoring_process_collects_garbage_rarely_between_chunks_too(corpus, monkeypatch):
    import gc

    from netral_cli import engines
    from netral_cli.ingest import read_deferred

    monkeypatch.setattr(engines, "ignore_interrupts", lambda: None)  # not in this test's own process
    monkeypatch.setattr(engines, "_WORKER_SCORER", None)
    before = gc.get_threshold()
    try:
        engines._install(Scorer(api.load_ruleset(None).active, load_model()))
        result = engines._score_in_worker(list(read_deferred([corpus])))
        assert result.items == sum(isinstance(record, Item) for record in read([corpus]))
        assert gc.get_threshold() == engines.GC_THRESHOLD
    finally:
        gc.set_threshold(*before)


def test_rejected_records_keep_input_order_whichever_process_parses_them(tmp_path):
    """JSONL lines are parsed where they are scored; the rejected records still come back in the order
    ingest reads them, between files read here (CSV) and lines parsed in the workers."""
    lines = [json.dumps({"text": f"teks nomor {i}"}) if i % 7 else "{broken" for i in range(1, 60)]
    (tmp_path / "a.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("text,timestamp\nhalo,2024-01-05\nhai,kemarin lusa\n", encoding="utf-8")
    (tmp_path / "c.jsonl").write_text('{"text": ""}\n\n{"text": "ok"}\n[1]\n', encoding="utf-8")
    expected = [r for r in read([tmp_path]) if not isinstance(r, Item)]
    assert len(expected) == 8 + 1 + 2
    for workers in (1, 2):
        with api.scan([tmp_path], api.ScanOptions(chunk_size=5, workers=workers)) as result:
            assert result.rejected == expected
            assert result.scored == 59 - 8 + 1 + 1
