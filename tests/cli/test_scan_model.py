"""`netral scan` and the classifier: the model's explanation in each reported record, and
`--export-uncertain` for active learning."""

from __future__ import annotations

import csv
import io
import json

from helpers import EXAMPLES, invoke
from netral_cli import api
from netral_cli.classifier import Model, TrainOptions, load_model, train
from netral_cli.normalise import normalise

UNCERTAIN_FIELDS = ["text", "label", "skb", "kind", "platform", "item_id", "source_file", "locator", "model_score"]


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_every_reported_record_ends_with_the_models_explanation():
    records = _jsonl(invoke("scan", str(EXAMPLES), "--all", "--lang", "en").stdout)
    threshold = load_model().threshold
    for record in records:
        model_entries = [e for e in record["evidence"] if e["rule"] == "model"]
        assert model_entries == [record["evidence"][-1]]
        entry = model_entries[0]
        weights = [f["weight"] for f in entry["features"]]
        assert 1 <= len(weights) <= 5 and [abs(w) for w in weights] == sorted(map(abs, weights), reverse=True)
        assert entry["text"].split(", ")[0].endswith(f"{weights[0]:+.2f}")
        above = record["model_score"] >= threshold
        guess = f"; SKB guess {entry['skb']}" if above else ""
        assert bool(entry["skb"]) == above
        assert entry["reason"].startswith(f"Classifier probability {record['model_score']:.2f}, "
                                          f"{'at or above' if above else 'below'} its threshold {threshold:.2f}"
                                          f"{guess}; raised by ")
    top = records[0]["evidence"][-1]
    assert top["skb"] and top["features"][0]["weight"] > 0


def test_csv_evidence_cell_shows_the_model_entry():
    rows = list(csv.DictReader(io.StringIO(invoke("scan", str(EXAMPLES), "--format", "csv").stdout)))
    assert rows and all(" | model (" in r["evidence"] or r["evidence"].startswith("model (") for r in rows)


def test_explanations_are_computed_only_for_reported_items(monkeypatch):
    sizes = []
    explain = Model.explain_features

    def counting(self, docs, matrix):
        sizes.append(len(docs))
        return explain(self, docs, matrix)

    monkeypatch.setattr(Model, "explain_features", counting)
    result = api.scan([EXAMPLES], api.ScanOptions(top=2))
    assert sizes == [2]
    assert result.scored == 19 and [r["rank"] for r in result.records] == [1, 2]


def test_export_uncertain_writes_the_items_closest_to_the_threshold(tmp_path):
    out = tmp_path / "uncertain.jsonl"
    result = invoke("scan", str(EXAMPLES), "-o", str(tmp_path / "report.jsonl"), "--export-uncertain", "4", str(out))
    assert result.exit_code == 0, result.stderr
    assert f"wrote 4 uncertain item(s) to {out}: label them, then `netral train`" in result.stderr
    rows = _jsonl(out.read_text(encoding="utf-8"))
    assert len(rows) == 4 and all(list(r) == UNCERTAIN_FIELDS for r in rows)
    assert all(r["label"] is None and r["skb"] == "" and r["text"] for r in rows)
    threshold = load_model().threshold
    everything = {r["item_id"]: r for r in _jsonl(invoke("scan", str(EXAMPLES), "--all").stdout)}
    distances = sorted(abs(r["model_score"] - threshold) for r in everything.values()
                       if r["text"] or r["target"] or r["group"])
    assert [abs(r["model_score"] - threshold) for r in rows] == distances[:4]
    for row in rows:
        assert everything[row["item_id"]]["locator"] == row["locator"]
        assert row["model_score"] == everything[row["item_id"]]["model_score"]


def test_uncertain_rows_feed_back_into_training_once_labelled(tmp_path):
    out = tmp_path / "uncertain.jsonl"
    invoke("scan", str(EXAMPLES), "-o", str(tmp_path / "report.jsonl"), "--export-uncertain", "6", str(out))
    unlabelled = invoke("train", str(out), "-o", str(tmp_path / "m.joblib"))
    assert unlabelled.exit_code == 2
    assert unlabelled.stderr == ("Error: uncertain.jsonl (line=1): 6 row(s) have no label "
                                 "(label them 0/1 (or yes/no) or remove them)\n")
    rows = _jsonl(out.read_text(encoding="utf-8"))
    seed = [{"text": t, "label": y} for t, y in [("ayo coblos nomor 2", 1), ("coblos paslon 01 ya", 1),
                                                 ("pilih nomor 3 bapak ibu", 1), ("sarapan dulu gaes", 0),
                                                 ("rapat dinas jam 9", 0), ("hujan deras hari ini", 0)]]
    labelled = [{**r, "label": "yes" if r["model_score"] >= 0.5 else "no"} for r in rows] + seed
    out.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in labelled * 2), encoding="utf-8")
    model = train([out], tmp_path / "m.joblib", TrainOptions(folds=2))
    assert model.card["training_data"]["items"] == 24
    assert model.predict_proba([normalise("ayo coblos nomor 2")]).shape == (1,)
