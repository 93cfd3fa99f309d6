"""Training, model cards, integrity checks and the bundled-model fallback."""

from __future__ import annotations

import json

import pytest
import sklearn

from helpers import ROOT, invoke
from netral_cli import classifier
from netral_cli.classifier import (TrainOptions, bundled_model_path, card_path, file_sha256, load_model,
                                   read_labelled, train)
from netral_cli.errors import ModelError

SMALL = [
    ("coblos nomor 2 ya bapak ibu", 1), ("ayo menangkan paslon 01 satu putaran", 1),
    ("siap dukung pak capres, lanjutkan!", 1), ("nyoblos caleg nomor 5 dapil 3 pokoknya", 1),
    ("foto bareng pak cabup ✌️ salam dua jari", 1), ("gas all in nomor 3 sat set", 1),
    ("ASN wajib netral, jangan like postingan paslon", 0), ("ayo ke TPS jangan golput", 0),
    ("Bawaslu temukan ASN ajak coblos, diproses", 0), ("sarapan nasi uduk dulu gaes", 0),
    ("juara 2 lomba 17an alhamdulillah", 0), ("relawan banjir sudah di posko", 0),
]


@pytest.fixture()
def small_data(tmp_path):
    path = tmp_path / "labelled.csv"
    path.write_text("text,label\n" + "\n".join(f'"{t}",{y}' for t, y in SMALL * 3) + "\n", encoding="utf-8")
    return path


def test_train_writes_model_and_card_with_hash_and_metrics(tmp_path, small_data):
    model = train([small_data], tmp_path / "m.joblib", TrainOptions(test_size=0.25))
    card = json.loads(card_path(tmp_path / "m.joblib").read_text())
    assert card["model_sha256"] == file_sha256(tmp_path / "m.joblib")
    assert card["sklearn_version"] == sklearn.__version__
    assert card["training_data"]["items"] == 36
    assert card["training_data"]["positives"] == 18
    assert set(card["metrics"]["held_out"]) >= {"precision", "recall", "f1", "macro_f1", "pr_auc",
                                                "confusion_matrix"}
    assert model.predict_proba(["coblos nomor 2"])[0] > model.predict_proba(["sarapan dulu"])[0]


def test_training_is_deterministic(tmp_path, small_data):
    a = train([small_data], tmp_path / "a.joblib").predict_proba(["ayo coblos paslon 3"])
    b = train([small_data], tmp_path / "b.joblib").predict_proba(["ayo coblos paslon 3"])
    assert a.tolist() == b.tolist()


def test_model_whose_hash_does_not_match_is_refused(tmp_path, small_data):
    path = tmp_path / "m.joblib"
    train([small_data], path)
    path.write_bytes(path.read_bytes() + b"tampered")
    with pytest.raises(ModelError, match="does not match the sha256 in its card"):
        load_model(path)


def test_model_without_card_needs_trust(tmp_path, small_data):
    path = tmp_path / "m.joblib"
    train([small_data], path)
    card_path(path).unlink()
    with pytest.raises(ModelError, match="no model card m.card.json"):
        load_model(path)
    assert load_model(path, trust=True).predict_proba(["coblos"]).shape == (1,)


def test_model_from_another_sklearn_version_is_refused(tmp_path, small_data):
    path = tmp_path / "m.joblib"
    train([small_data], path)
    card = json.loads(card_path(path).read_text())
    card_path(path).write_text(json.dumps({**card, "sklearn_version": "0.0.1"}))
    with pytest.raises(ModelError, match="model saved with scikit-learn 0.0.1"):
        load_model(path)


def test_bundled_model_card_matches_its_file_and_data():
    card = json.loads(card_path(bundled_model_path()).read_text())
    assert card["model_sha256"] == file_sha256(bundled_model_path())
    data = read_labelled([ROOT / "data" / "labelled"], TrainOptions())
    assert card["training_data"]["sha256"] == classifier.data_hash(data)
    assert card["training_data"]["items"] == len(data) >= 1500


def test_bundled_model_is_retrained_once_for_another_sklearn(monkeypatch, tmp_path, capsys):
    real_card = classifier.read_card(bundled_model_path())
    monkeypatch.setattr(classifier, "read_card",
                        lambda p: {**real_card, "sklearn_version": "0.0.1"} if p == bundled_model_path()
                        else json.loads(card_path(p).read_text()))
    monkeypatch.setenv("NETRAL_CACHE_DIR", str(tmp_path))
    classifier._bundled_model.cache_clear()
    try:
        model = load_model()
        assert "retraining it from the bundled data" in capsys.readouterr().err
        assert model.path.parent == tmp_path / "netral"
        classifier._bundled_model.cache_clear()
        again = load_model()
        assert capsys.readouterr().err == ""  # said once; the cached model is reused
        assert again.path == model.path
    finally:
        classifier._bundled_model.cache_clear()


def test_labels_must_be_binary(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("text,label\nhalo,maybe\n", encoding="utf-8")
    with pytest.raises(ModelError, match="labels must be 0 or 1"):
        read_labelled([path], TrainOptions())


def test_train_and_evaluate_commands(tmp_path, small_data):
    out = tmp_path / "cli.joblib"
    result = invoke("train", str(small_data), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "wrote" in result.stdout and "macro_f1" in result.stdout
    evaluated = invoke("evaluate", str(small_data), "--model", str(out), "--json")
    metrics = json.loads(evaluated.stdout)
    assert metrics["n"] == 36 and metrics["positives"] == 18
    assert metrics["macro_f1"] > 0.8


def test_top_features_explain_the_score():
    model = load_model()
    features = dict(model.top_features("ayo coblos nomor 2"))
    assert any("coblos" in name for name in features)
    assert max(features.values()) > 0
