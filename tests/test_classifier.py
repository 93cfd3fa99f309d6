"""Training (cross-validation, threshold, SKB head), model cards, integrity checks, evaluation, the
probe set and the bundled-model fallback."""

from __future__ import annotations

import json
import math
from collections import Counter
from datetime import datetime

import numpy as np
import pytest
import sklearn

from helpers import ROOT, invoke
from netral_cli import api, chargrams, classifier
from netral_cli.classifier import (TrainOptions, at_threshold, bundled_model_path, card_path, choose_threshold,
                                   cross_validate, file_sha256, load_model, precision_at_k, read_labelled, train)
from netral_cli.errors import ModelError
from netral_cli.normalise import Normaliser, normalise, stem_text_of

PROBE = ROOT / "tests" / "fixtures" / "classifier" / "probe.jsonl"
SMALL = [
    ("coblos nomor 2 ya bapak ibu", 1, "A2/B2"), ("ayo menangkan paslon 01 satu putaran", 1, "A2/B2"),
    ("siap dukung pak capres, lanjutkan!", 1, "A2/B2"), ("nyoblos caleg nomor 5 dapil 3 pokoknya", 1, "A2/B2"),
    ("foto bareng pak cabup ✌️ salam dua jari", 1, "A5/B7"), ("selfie sama caleg pakai kaos partai", 1, "A5/B7"),
    ("resmi jadi pengurus partai, kartu anggota sudah jadi", 1, "B5"),
    ("share live kampanye akun relawan paslon", 1, "A4|B6"),
    ("ASN wajib netral, jangan like postingan paslon", 0, ""), ("ayo ke TPS jangan golput", 0, ""),
    ("Bawaslu temukan ASN ajak coblos, diproses", 0, ""), ("sarapan nasi uduk dulu gaes", 0, ""),
    ("juara 2 lomba 17an alhamdulillah", 0, ""), ("relawan banjir sudah di posko", 0, ""),
    ("rapat dinas jam 9 di aula", 0, ""), ("hujan deras, hati-hati di jalan", 0, ""),
]
FAST = TrainOptions(folds=3)


def write_csv(path, rows, label_words=("0", "1")):
    path.write_text("text,label,skb\n" + "\n".join(f'"{t}",{label_words[y]},{s}' for t, y, s in rows) + "\n",
                    encoding="utf-8")
    return path


@pytest.fixture()
def small_data(tmp_path):
    return write_csv(tmp_path / "labelled.csv", SMALL * 3)


@pytest.fixture()
def small_model(tmp_path, small_data):
    return train([small_data], tmp_path / "m.joblib", FAST)


def test_card_records_data_versions_parameters_cv_and_threshold(tmp_path, small_data, small_model):
    card = json.loads(card_path(tmp_path / "m.joblib").read_text())
    assert card == small_model.card
    assert card["model_sha256"] == file_sha256(tmp_path / "m.joblib")
    assert (card["sklearn_version"], card["netral_version"]) == (sklearn.__version__, classifier.__version__)
    assert datetime.fromisoformat(card["created"]).utcoffset().total_seconds() == 0
    data = card["training_data"]
    assert data["files"] == {"labelled.csv": file_sha256(small_data)}
    assert data["sha256"] == classifier.data_hash(read_labelled([small_data], FAST))
    assert (data["items"], data["positives"], data["labels"]) == (48, 24, {"0": 24, "1": 24})
    assert data["skb_items"] == {"A2/B2": 12, "A4": 3, "A5/B7": 6, "B5": 3, "B6": 3}
    assert card["parameters"]["folds"] == 3 and card["parameters"]["class_weight"] == "balanced"
    validation = card["metrics"]["cross_validation"]
    assert [f["fold"] for f in validation["folds"]] == [1, 2, 3]
    assert set(validation["mean"]) == set(validation["sd"]) == {"precision", "recall", "f1", "macro_f1", "pr_auc",
                                                                 "skb_accuracy"}
    assert validation["mean"]["pr_auc"] == round(np.mean([f["pr_auc"] for f in validation["folds"]]), 4)
    assert set(card["threshold"]) >= {"value", "precision", "recall", "target_precision", "reached"}
    assert card["skb_head"] == {"classes": ["A2/B2", "A4", "A5/B7", "B5", "B6"]}


def test_threshold_is_the_lowest_reaching_the_target_precision_out_of_fold(small_data, small_model):
    data = read_labelled([small_data], FAST)
    labels = data["label"].to_numpy()
    out_of_fold = cross_validate(Normaliser().transform(data["text"]), labels, data["skb"].tolist(),
                                 FAST).out_of_fold
    threshold = small_model.card["threshold"]
    assert threshold["reached"] is True
    assert at_threshold(labels, out_of_fold, threshold["value"])["precision"] == threshold["precision"] >= 0.9
    lower = out_of_fold[out_of_fold < threshold["value"]]
    assert all(at_threshold(labels, out_of_fold, t)["precision"] < 0.9 for t in lower)


@pytest.mark.parametrize("target, value, precision, recall, reached", [
    (0.9, 0.4, 1.0, 1.0, True), (0.7, 0.35, 0.75, 1.0, True), (0.6, 0.1, 0.6, 1.0, True)])
def test_choose_threshold_on_known_probabilities(target, value, precision, recall, reached):
    chosen = choose_threshold([0, 1, 0, 1, 1], [0.1, 0.4, 0.35, 0.8, 0.9], target)
    assert (chosen["value"], chosen["precision"], chosen["recall"], chosen["reached"]) == \
        (value, precision, recall, reached)


def test_unreachable_precision_takes_the_best_and_says_so():
    chosen = choose_threshold([1, 0], [0.2, 0.9], 0.9)
    assert (chosen["value"], chosen["precision"], chosen["reached"]) == (0.2, 0.5, False)


def test_same_data_and_seed_give_identical_metrics_and_predictions(tmp_path, small_data, small_model):
    again = train([small_data], tmp_path / "again.joblib", FAST)
    assert again.card["model_sha256"] == small_model.card["model_sha256"]
    assert json.dumps(again.card["metrics"]) == json.dumps(small_model.card["metrics"])
    assert again.card["threshold"] == small_model.card["threshold"]
    texts = ["ayo coblos paslon 3", "selamat pagi bapak ibu"]
    assert again.predict_proba(texts).tolist() == small_model.predict_proba(texts).tolist()


def test_skb_head_guesses_the_item_of_a_positive(small_model):
    guesses = small_model.skb_guess(["ayo coblos nomor 2 bapak ibu", "foto bareng caleg salam dua jari ✌️",
                                     "resmi jadi pengurus partai"])
    assert guesses == ["A2/B2", "A5/B7", "B5"]


def test_labels_may_be_words_and_skb_items_are_split(tmp_path):
    path = write_csv(tmp_path / "words.csv", SMALL, label_words=("no", "Yes"))
    data = read_labelled([path], TrainOptions())
    assert data["label"].tolist() == [y for _, y, _ in SMALL]
    assert data.loc[7, "skb"] == "A4|B6"


def test_bad_and_missing_labels_name_the_file_and_row(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("text,label\nhalo,1\nhalo lagi,maybe\n", encoding="utf-8")
    with pytest.raises(ModelError) as error:
        read_labelled([bad], TrainOptions())
    assert str(error.value) == "bad.csv (row=2): labels must be 0 or 1 (or yes/no, true/false), found 'maybe'"
    missing = tmp_path / "missing.jsonl"
    missing.write_text('{"text": "a", "label": 1}\n{"text": "b", "label": null}\n', encoding="utf-8")
    with pytest.raises(ModelError) as error:
        read_labelled([missing], TrainOptions())
    assert str(error.value) == ("missing.jsonl (line=2): 1 row(s) have no label "
                                "(label them 0/1 (or yes/no) or remove them)")


def test_model_whose_hash_does_not_match_is_refused(tmp_path, small_model):
    path = tmp_path / "m.joblib"
    path.write_bytes(path.read_bytes() + b"tampered")
    with pytest.raises(ModelError, match="does not match the sha256 in its card"):
        load_model(path)


def test_model_without_card_needs_trust(tmp_path, small_model):
    path = tmp_path / "m.joblib"
    card_path(path).unlink()
    with pytest.raises(ModelError, match="no model card m.card.json"):
        load_model(path)
    assert load_model(path, trust=True).predict_proba(["coblos"]).shape == (1,)


def test_model_from_another_sklearn_version_is_refused(tmp_path, small_model):
    path = tmp_path / "m.joblib"
    card = json.loads(card_path(path).read_text())
    card_path(path).write_text(json.dumps({**card, "sklearn_version": "0.0.1"}))
    with pytest.raises(ModelError, match="model saved with scikit-learn 0.0.1"):
        load_model(path)


def test_bundled_model_card_matches_its_file_and_data_and_meets_the_quality_bar():
    card = json.loads(card_path(bundled_model_path()).read_text())
    assert card["model_sha256"] == file_sha256(bundled_model_path())
    data = read_labelled([ROOT / "data" / "labelled"], TrainOptions())
    assert card["training_data"]["sha256"] == classifier.data_hash(data)
    assert card["training_data"]["items"] == len(data) >= 1500
    assert card["metrics"]["cross_validation"]["mean"]["macro_f1"] >= 0.85
    assert card["metrics"]["cross_validation"]["mean"]["pr_auc"] >= 0.90
    assert card["threshold"]["precision"] >= 0.9 and card["threshold"]["reached"]


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
        assert model.threshold == real_card["threshold"]["value"]
        classifier._bundled_model.cache_clear()
        again = load_model()
        assert capsys.readouterr().err == ""  # said once; the cached model is reused
        assert again.path == model.path
    finally:
        classifier._bundled_model.cache_clear()


def test_train_command_prints_every_fold_and_mean_sd(tmp_path, small_data):
    out = tmp_path / "cli.joblib"
    result = invoke("train", str(small_data), "-o", str(out), "--folds", "4", "--seed", "7",
                    "--target-precision", "0.8", "--class-weight", "none")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:4]] == ["fold 1/4", "fold 2/4", "fold 3/4", "fold 4/4"]
    assert lines[4].startswith("mean ± sd: precision ") and "macro_f1" in lines[4] and "pr_auc" in lines[4]
    assert lines[5].startswith("threshold ") and "(target precision 0.8)" in lines[5]
    assert lines[6] == f"wrote {out} and cli.card.json (48 items, 24 positive)"
    parameters = load_model(out).card["parameters"]
    assert (parameters["folds"], parameters["seed"], parameters["class_weight"]) == (4, 7, "none")


def test_train_refuses_more_folds_than_the_rarer_label_has(tmp_path):
    path = write_csv(tmp_path / "tiny.csv", SMALL)
    result = invoke("train", str(path), "-o", str(tmp_path / "m.joblib"), "--folds", "9")
    assert result.exit_code == 2
    assert result.stderr == "Error: --folds 9 needs 2 to 8 folds (the rarer label has 8 rows)\n"


def test_evaluate_json_has_metrics_at_both_thresholds_pk_and_skb(tmp_path, small_model):
    fixture = write_csv(tmp_path / "eval.csv", [SMALL[0], SMALL[4], SMALL[6], SMALL[8], SMALL[11], SMALL[15]])
    result = invoke("evaluate", str(fixture), "--model", str(tmp_path / "m.joblib"), "--json")
    assert result.exit_code == 0, result.stderr
    metrics = json.loads(result.stdout)
    assert (metrics["n"], metrics["positives"]) == (6, 3)
    assert metrics["at_0.5"]["confusion_matrix"] == [[3, 0], [0, 3]]
    assert metrics["at_threshold"]["threshold"] == small_model.threshold
    assert metrics["precision_at_k"] == {"6": 0.5}
    assert metrics["pr_auc"] == 1.0
    assert metrics["skb"]["items"]["B5"] == {"n": 1, "recall_at_threshold": 1.0, "recall_at_0.5": 1.0,
                                             "head_recall": 1.0}
    assert metrics["skb"]["head"] == {"n": 3, "accuracy": 1.0}


def test_evaluate_text_output(tmp_path, small_model):
    fixture = write_csv(tmp_path / "eval.csv", [SMALL[0], SMALL[8]])
    out = invoke("evaluate", str(fixture), "--model", str(tmp_path / "m.joblib")).stdout
    assert "items      : 2 (1 positive)" in out
    assert "at 0.5000  : precision 1.0000, recall 1.0000, f1 1.0000, macro_f1 1.0000; TP 1 FP 0 FN 0 TN 1" in out
    assert "SKB A2/B2  : n 1, recall_at_threshold 1.0000, recall_at_0.5 1.0000, head_recall 1.0000" in out


def test_metric_functions_on_known_values():
    y = np.array([1, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0])
    p = np.array([0.95, 0.9, 0.85, 0.8, 0.75, 0.7, 0.65, 0.6, 0.55, 0.5, 0.45, 0.4])
    assert precision_at_k(y, p) == {"10": 0.4}
    assert precision_at_k(y[:5], p[:5]) == {"5": 0.6}
    assert at_threshold(y, p, 0.5)["confusion_matrix"] == [[1, 6], [1, 4]]


def test_plots_are_skipped_cleanly_without_matplotlib(monkeypatch, tmp_path, small_model):
    monkeypatch.setitem(__import__("sys").modules, "matplotlib", None)  # import matplotlib -> ImportError
    fixture = write_csv(tmp_path / "eval.csv", SMALL)
    result = invoke("evaluate", str(fixture), "--model", str(tmp_path / "m.joblib"), "--plots",
                    str(tmp_path / "plots"))
    assert result.exit_code == 0
    assert result.stderr == "plots skipped: matplotlib is not installed (pip install 'netral[plot]')\n"
    assert not (tmp_path / "plots").exists()


def test_plots_are_written_with_matplotlib(tmp_path, small_model):
    pytest.importorskip("matplotlib")
    fixture = write_csv(tmp_path / "eval.csv", SMALL)
    result = api.evaluate_model([fixture], tmp_path / "m.joblib", plots_dir=tmp_path / "plots")
    assert [p.name for p in result.plots] == ["precision_recall.png", "confusion_matrix.png"]
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in result.plots)


def test_importing_the_package_does_not_import_matplotlib():
    import subprocess
    import sys

    code = ("import sys, netral_cli.cli, netral_cli.api, netral_cli.report.plots; "
            "print('matplotlib' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout == "False\n"


def test_explanations_add_up_to_the_log_odds_and_point_the_right_way():
    model = load_model()
    appeal, reminder = model.explain(["ayo coblos nomor 2 bapak ibu", "ASN wajib netral, dilarang kampanye"])
    for explanation in (appeal, reminder):
        assert explanation.logit == pytest.approx(math.log(explanation.probability / (1 - explanation.probability)))
    assert appeal.probability > 0.9 and appeal.contributions[0].weight > 0
    assert reminder.probability < 0.1 and reminder.contributions[0].weight < 0
    assert {c.ngram for c in appeal.pushing_up()} >= {"coblos", "nomor"}
    assert any(c.ngram == "netral" for c in reminder.pushing_down())
    assert appeal.skb_guess == "A2/B2"
    words = set(normalise("ayo coblos nomor 2 bapak ibu").words)
    assert {c.ngram for c in appeal.contributions if c.source == "chars"} == words


def test_probe_of_noisy_posts_clears_the_floor():
    """The hand-written probe (never trained on): PR-AUC >= 0.8 and no officials' neutrality reminder high."""
    metrics = api.evaluate_model([PROBE]).metrics
    assert metrics["n"] >= 60 and metrics["pr_auc"] >= 0.8
    rows = [json.loads(line) for line in PROBE.read_text(encoding="utf-8").splitlines()]
    training = {json.loads(line)["text"] for path in (ROOT / "data" / "labelled").glob("*.jsonl")
                for line in path.read_text(encoding="utf-8").splitlines()}
    assert not training & {r["text"] for r in rows}
    reminders = [r["text"] for r in rows if r["category"] == "sosialisasi_netralitas"]
    assert len(reminders) >= 10
    assert [t for t in reminders if api.explain(t)["level"] == "high"] == []


@pytest.mark.usefixtures("compiled_or_numpy")
def test_wordwise_char_ngrams_equal_the_pipelines_own_features():
    model = classifier.load_model(None)
    rows = [json.loads(line) for path in sorted((ROOT / "data" / "labelled").glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines()[::7]]
    texts = [row["text"] for row in rows] + ["", "  ", "a", "ok 👍👍", "x" * 40, "Coblos  NOMOR 2\n\tya",
                                             "lihat https://x.example/\ud800ab coblos"]
    docs = [normalise(text) for text in texts]
    reference = model.pipeline[:-1].transform(docs).tocsr()
    fast = model.features(docs)[1].matrix
    assert isinstance(model._stem_ngrams, classifier.StemBigrams)  # the bundled model takes the fast path
    assert (reference != fast).nnz == 0 and np.array_equal(reference.indices, fast.indices)
    assert np.array_equal(model.pipeline.predict_proba(docs)[:, 1], model.predict_proba(docs))


def test_probabilities_from_the_two_blocks_are_scikit_learns_of_the_joined_matrix(monkeypatch):
    """The blocks' dot products run one after the other give the same floats as predict_proba, not close ones;
    so do the SKB head's."""
    model = classifier.load_model(None)
    texts = [json.loads(line)["text"] for path in sorted((ROOT / "data" / "labelled").glob("*.jsonl"))
             for line in path.read_text(encoding="utf-8").splitlines()]
    normalised, features = model.features([normalise(text) for text in [*texts, "", "coblos"]])
    logistic = model.pipeline.named_steps["model"]
    assert classifier._binary_logistic(logistic, features.blocks)
    expected = logistic.predict_proba(features.matrix)[:, 1]
    assert np.array_equal(model.probabilities(features), expected)
    assert len(set(expected.tolist())) > len(texts) // 2  # the documents' sums differ: the order of adding shows
    head = model.estimators.skb_head
    assert np.array_equal(head.probabilities(features.matrix),
                          np.column_stack([e.predict_proba(features.matrix)[:, 1] for e in head.estimators_]))
    chosen = [len(texts) + 1, 3, 0, 3]
    assert (features.rows(chosen) != features.matrix[chosen]).nnz == 0
    assert np.array_equal(features.rows(chosen).indices, features.matrix[chosen].indices)
    monkeypatch.setattr(classifier, "_csr_matvec", None)  # scipy without its private loop: the joined matrix
    assert not classifier._binary_logistic(logistic, features.blocks)
    assert np.array_equal(model.probabilities(features), expected)


@pytest.mark.parametrize("limits, closed", [({"min_df": 1}, True), ({"min_df": 2}, True), ({"max_features": 40}, None),
                                            ({"max_df": 0.3}, False)])
@pytest.mark.usefixtures("compiled_or_numpy")
def test_stem_bigrams_equal_scikit_learns_words_whatever_the_vocabulary_keeps(limits, closed):
    """With max_features or max_df a known pair can hold an unknown stem: every pair is looked up then."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [json.loads(line)["text"] for line in PROBE.read_text(encoding="utf-8").splitlines()]
    docs = [normalise(text) for text in [*texts, "", "coblos coblos coblos", "a"]]
    vectorizer = TfidfVectorizer(preprocessor=stem_text_of, token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2),
                                 sublinear_tf=True, **limits).fit(docs)
    fast = classifier.StemBigrams(vectorizer)
    assert closed is None or fast.pairs_of_known == closed
    reference, mine = vectorizer.transform(docs), fast.transform(docs)
    assert (reference != mine).nnz == 0 and np.array_equal(reference.indices, mine.indices)


@pytest.mark.usefixtures("compiled_or_numpy")
def test_stem_bigrams_with_a_vocabulary_of_no_pairs():
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(preprocessor=stem_text_of, token_pattern=r"\S+", lowercase=False, ngram_range=(1, 2),
                                 sublinear_tf=True).fit([normalise(word) for word in ("coblos", "nomor", "dua")])
    docs = [normalise(text) for text in ("coblos nomor dua", "coblos coblos", "", "nomor")]
    fast = classifier.StemBigrams(vectorizer)
    assert fast.pairs_of_known and not len(fast.pair_codes)
    reference, mine = vectorizer.transform(docs), fast.transform(docs)
    assert (reference != mine).nnz == 0 and np.array_equal(reference.indices, mine.indices)


def plain_by_word(text, parts, low=2, high=5):
    """The contributions shared among words one n-gram at a time, as explanations were first computed."""
    owners = {}
    for word, times in Counter(text.split()).items():
        for gram, count in Counter(chargrams.char_wb_grams(word, low, high)).items():
            owners.setdefault(gram, []).append((word, count * times))
    totals = {}
    for gram, value in parts:
        holders = owners.get(gram) or [(gram, 1)]
        whole = sum(count for _, count in holders)
        for word, count in holders:
            totals[word] = totals.get(word, 0.0) + value * count / whole
    return totals


def test_explanations_share_char_contributions_among_words_as_one_n_gram_at_a_time_would():
    model = load_model()
    texts = [json.loads(line)["text"] for line in PROBE.read_text(encoding="utf-8").splitlines()]
    docs = [normalise(t) for t in [*texts, "coblos coblos nomor 2 ya ya ya 🙏 #AMINAjaDulu", ""]]
    normalised, features = model.features(docs)
    matrix = features.matrix
    weighted = matrix.multiply(model.pipeline.named_steps["model"].coef_[0]).tocsr()
    names, word_count = model._feature_names
    together = model._chars.by_words([doc.text for doc in normalised], weighted[:, word_count:])
    shared = 0
    for row, doc in enumerate(normalised):
        start, end = weighted.indptr[row], weighted.indptr[row + 1]
        columns, values = weighted.indices[start:end], weighted.data[start:end]
        chars = columns >= word_count
        parts = [(names[j], float(v)) for j, v in zip(columns[chars], values[chars])]
        assert together[row] == plain_by_word(doc.text, parts)  # the same floats, not only close ones
        alone = model._chars.by_words([doc.text], weighted[row:row + 1, word_count:])
        assert alone == [together[row]]
        shared += len(together[row])
    assert shared > 200


def test_the_models_evidence_reason_is_in_the_report_language():
    from netral_cli.classifier import Contribution, Explanation

    explanation = Explanation(probability=0.8712, intercept=-1.0, threshold=0.4, skb_guess="A2/B2", contributions=(
        Contribution("coblos", "chars", 1.234), Contribution("netral", "stems", -0.5)))
    assert explanation.evidence(lang="id")["reason"] == (
        "Probabilitas model 0,87, mencapai ambangnya 0,40; dugaan butir SKB A2/B2; dinaikkan oleh \u2039coblos\u203a "
        "+1,23; diturunkan oleh netral -0,50")
    assert explanation.evidence(lang="en")["reason"] == (
        "Classifier probability 0.87, at or above its threshold 0.40; SKB guess A2/B2; raised by \u2039coblos\u203a "
        "+1.23; lowered by netral -0.50")
    assert explanation.evidence()["text"] == explanation.evidence(lang="en")["text"] == (
        "\u2039coblos\u203a +1.23, netral -0.50")
    below = Explanation(probability=0.1, intercept=-2.0, threshold=0.4, skb_guess="", contributions=())
    assert below.evidence()["reason"] == ("Probabilitas model 0,10, di bawah ambangnya 0,40; dinaikkan oleh tidak ada; "
                                          "diturunkan oleh tidak ada")


def test_a_pickled_model_sends_no_kept_word_rows_and_scores_the_same():
    """As dask sends the scorer to its workers: the n-gram rows and stem columns a model kept stay behind."""
    import pickle

    model = classifier.load_model(None)
    docs = [normalise(text) for text in ("ayo coblos nomor 2", "dukung paslon 01 #PilihNomor2", "halo semua")]
    before = model.features(docs)[1].matrix
    copy = pickle.loads(pickle.dumps(model))
    assert len(model._chars._grams.kept) and not len(copy._chars._grams.kept)
    assert model._stem_ngrams._columns.used and not copy._stem_ngrams._columns.used
    after = copy.features(docs)[1].matrix
    assert (before != after).nnz == 0 and np.array_equal(before.indices, after.indices)
