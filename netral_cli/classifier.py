"""The classifier: TF-IDF over stems (words) and normalised text (characters) + logistic regression,
in one scikit-learn Pipeline that starts with the normaliser, plus a one-vs-rest head that guesses
the SKB 2/2022 item(s) of a positive text. Both live in one model file.

``train`` cross-validates (stratified K folds), picks the decision threshold that reaches a target
precision on the out-of-fold probabilities, then fits on all the data and writes a model card.

A model file is a pickle, that is code: :func:`load_model` opens one only when its sha256 matches
the model card written beside it, or when the caller says it trusts the file, and even then unpickles
only what a model is made of (:mod:`netral_cli.safe_unpickle`).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property, lru_cache
from itertools import chain, repeat
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple

import joblib
import numpy as np
from scipy import sparse
from scipy.special import expit
import pandas as pd
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (average_precision_score, confusion_matrix, f1_score, precision_recall_curve,
                             precision_score, recall_score, roc_auc_score)
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils.sparsefuncs_fast import inplace_csr_row_normalize_l2

try:  # the loop behind scipy's sparse matrix times a vector (a private module, stable since scipy 0.7)
    from scipy.sparse._sparsetools import csr_matvec as _csr_matvec
except ImportError:  # then the probabilities take the joined matrix and scikit-learn's predict_proba
    _csr_matvec = None

from netral_cli import __version__, native, safe_unpickle
from netral_cli.chargrams import GramCodes, WordRows, word_gram_counts
from netral_cli.errors import Location, ModelError
from netral_cli.normalise import Normalised, Normaliser, cache_dir, stem_text_of, text_of, stem_tokens_of
from netral_cli.resources import bundled_path
from netral_cli.system import atomic_file
from netral_cli.tokens import ChunkTokens, NumberedRuns, chunk_tokens, spans, token_numbers

DEFAULT_SEED = 13
DEFAULT_MODEL_NAME = "netral-default"
TEXT_COLUMN, LABEL_COLUMN, SKB_COLUMN = "text", "label", "skb"
CLASS_WEIGHTS = ("balanced", "none")
LABEL_WORDS = {"1": 1, "yes": 1, "true": 1, "ya": 1, "0": 0, "no": 0, "false": 0, "tidak": 0}
SKB_SEPARATOR = "|"
FOLD_METRICS = ("precision", "recall", "f1", "macro_f1", "pr_auc")
LABELLED_SUFFIXES = (".csv", ".jsonl", ".ndjson")


@dataclass(frozen=True)
class TrainOptions:
    """``skb_column`` None: use a ``skb`` column when the data has one. ``folds`` 0 skips
    cross-validation and uses ``fixed_threshold`` (the bundled-model retrain does that)."""

    text_column: str = TEXT_COLUMN
    label_column: str = LABEL_COLUMN
    skb_column: str | None = None
    folds: int = 5
    class_weight: str = "balanced"
    seed: int = DEFAULT_SEED
    target_precision: float = 0.9
    C: float = 4.0
    fixed_threshold: float = 0.5


# --- reading labelled data ------------------------------------------------------------------------

ITEM_COLUMNS = ("kind", "target", "group")  # optional: what a rule needs besides the text (rules check --corpus)


def read_labelled(paths: Iterable[str | Path], options: TrainOptions) -> pd.DataFrame:
    """Labelled CSV or JSONL files -> one frame: ``text``, ``label`` (0/1), ``skb`` (items joined by
    ``|``, empty when unknown), ``source`` (file) and ``locator`` (``row=N`` in a CSV, ``line=N`` in JSONL)."""
    frames = [_read_one(path, name, options) for path, name in _labelled_files(paths)]
    if not frames:
        raise ModelError("no labelled .csv or .jsonl files found")
    data = pd.concat(frames, ignore_index=True)
    missing = data[LABEL_COLUMN].isna()
    if missing.any():
        first = data[missing].iloc[0]
        raise ModelError(f"{int(missing.sum())} row(s) have no label", Location(first["source"], first["locator"]),
                         hint="label them 0/1 (or yes/no) or remove them")
    data[LABEL_COLUMN] = data[LABEL_COLUMN].astype(int)
    return data


def _read_one(path: Path, name: str, options: TrainOptions) -> pd.DataFrame:
    try:
        frame = pd.read_json(path, lines=True, dtype=False) if path.suffix in (".jsonl", ".ndjson") else \
            pd.read_csv(path, dtype=str, keep_default_na=False)
    except ValueError as exc:
        raise ModelError(f"cannot read labelled data: {exc}", _first_bad_json_line(path, name)) from exc
    skb_column = options.skb_column or (SKB_COLUMN if SKB_COLUMN in frame.columns else None)
    for column in (options.text_column, options.label_column, skb_column):
        if column is not None and column not in frame.columns:
            raise ModelError(f"no column {column!r} (columns: {', '.join(map(str, frame.columns))})",
                             Location(name), hint="name it with --text-column/--label-column/--skb-column")
    unit = "row" if path.suffix == ".csv" else "line"
    locators = [f"{unit}={number}" for number in range(1, len(frame) + 1)]
    labels = [_label(value, Location(name, where)) for value, where in zip(frame[options.label_column], locators)]
    skb = frame[skb_column].map(_skb_items) if skb_column else [""] * len(frame)
    return pd.DataFrame({
        TEXT_COLUMN: frame[options.text_column].map(lambda v: "" if _missing(v) else str(v)).tolist(),
        LABEL_COLUMN: pd.array(labels, dtype="Int64"),
        SKB_COLUMN: list(skb),
        "source": name,
        "locator": locators,
        **{column: [None if _missing(v) else str(v) for v in frame[column]]
           for column in ITEM_COLUMNS if column in frame.columns},
    })


def _first_bad_json_line(path: Path, name: str) -> Location:
    """Where pandas gave up on a JSONL file: the first line that is not a JSON object (pandas does not say)."""
    if path.suffix in (".jsonl", ".ndjson"):
        with path.open(encoding="utf-8", errors="replace") as lines:
            for number, line in enumerate(lines, start=1):
                try:
                    if line.strip():
                        json.loads(line)
                except ValueError:
                    return Location(name, f"line={number}")
    return Location(name)


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _label(value: Any, where: Location) -> int | None:
    if _missing(value):
        return None
    text = str(value).strip().lower()
    text = text[:-2] if text.endswith(".0") else text
    if text not in LABEL_WORDS:
        raise ModelError(f"labels must be 0 or 1 (or yes/no, true/false), found {value!r}", where)
    return LABEL_WORDS[text]


def _skb_items(value: Any) -> str:
    """``"a4 | B6"`` -> ``"A4|B6"`` (sorted); ``A2/B2`` (stage unknown) stays one item."""
    if _missing(value):
        return ""
    items = {part.strip().upper() for part in str(value).replace(",", SKB_SEPARATOR).split(SKB_SEPARATOR)}
    return SKB_SEPARATOR.join(sorted(i for i in items if i))


def _labelled_files(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """(file, name shown in cards and messages), sorted by name; a folder's files are named relative to it."""
    found = []
    for path in map(Path, paths):
        if path.is_dir():
            found += [(p, p.relative_to(path).as_posix()) for p in path.rglob("*") if p.suffix in LABELLED_SUFFIXES]
        elif path.exists():
            found.append((path, path.name))
        else:
            raise ModelError("no such file or folder", Location(str(path)))
    return sorted(found, key=lambda pair: (pair[1], str(pair[0])))


def data_hash(data: pd.DataFrame) -> str:
    """sha256 of the rows as read (label, SKB items, text), independent of file layout."""
    digest = hashlib.sha256()
    for text, label, skb in zip(data[TEXT_COLUMN], data[LABEL_COLUMN], data[SKB_COLUMN]):
        digest.update(f"{label}\t{skb}\t{text}\n".encode("utf-8"))
    return digest.hexdigest()


# --- the estimators ---------------------------------------------------------------------------------

def build_pipeline(options: TrainOptions) -> Pipeline:
    words = TfidfVectorizer(preprocessor=stem_text_of, token_pattern=r"\S+", lowercase=False,
                            ngram_range=(1, 2), sublinear_tf=True, min_df=2)
    chars = TfidfVectorizer(preprocessor=text_of, analyzer="char_wb", lowercase=False,
                            ngram_range=(2, 5), sublinear_tf=True, min_df=3)
    return Pipeline([
        ("normalise", Normaliser()),
        ("features", FeatureUnion([("words", words), ("chars", chars)])),
        ("model", _logistic(options)),
    ])


def _logistic(options: TrainOptions) -> LogisticRegression:
    return LogisticRegression(C=options.C, class_weight=None if options.class_weight == "none" else "balanced",
                              max_iter=5000, solver="liblinear", random_state=options.seed)


class SkbHead:
    """One-vs-rest logistic regressions over the pipeline's features: which SKB item(s) a positive
    text shows. It guesses every item with probability >= 0.5, else the most probable one."""

    def __init__(self, options: TrainOptions):
        self.options = options

    def fit(self, features: Any, item_sets: Sequence[str]) -> "SkbHead":
        sets = [s.split(SKB_SEPARATOR) for s in item_sets]
        self.classes_ = sorted({item for items in sets for item in items})
        self.estimators_ = [] if len(self.classes_) < 2 else [
            _logistic(self.options).fit(features, np.array([item in items for items in sets], dtype=int))
            for item in self.classes_]
        return self

    def probabilities(self, features: Any) -> np.ndarray:
        if not self.estimators_:
            return np.ones((features.shape[0], 1))
        return np.column_stack([positive_probabilities(e, (features,)) for e in self.estimators_])

    def predict(self, features: Any) -> list[str]:
        """The guessed items of each row, joined by ``|``."""
        guesses = []
        for row in self.probabilities(features):
            chosen = [c for c, p in zip(self.classes_, row) if p >= 0.5] or [self.classes_[int(np.argmax(row))]]
            guesses.append(SKB_SEPARATOR.join(chosen))
        return guesses


@dataclass
class Estimators:
    """What a model file holds: the probability pipeline and, when trained with SKB labels, the SKB head."""

    pipeline: Pipeline
    skb_head: SkbHead | None = None


def fit_estimators(docs: Sequence[Normalised], labels: np.ndarray, skb: Sequence[str],
                   options: TrainOptions) -> Estimators:
    try:
        pipeline = build_pipeline(options).fit(list(docs), labels)
    except ValueError as exc:  # e.g. too little text for any n-gram to occur twice
        raise ModelError(f"cannot train on this data: {exc}") from exc
    with_items = [i for i, (label, items) in enumerate(zip(labels, skb)) if label == 1 and items]
    if not with_items:
        return Estimators(pipeline)
    features = pipeline.named_steps["features"].transform([docs[i] for i in with_items])
    return Estimators(pipeline, SkbHead(options).fit(features, [skb[i] for i in with_items]))


# --- metrics ----------------------------------------------------------------------------------------

def metrics(labels: Sequence[int], probabilities: Sequence[float], threshold: float = 0.5) -> dict[str, Any]:
    """Precision, recall, F1 (of the violation class and macro), PR-AUC, ROC-AUC, confusion matrix
    (rows: true 0, 1; columns: predicted 0, 1)."""
    y = np.asarray(labels)
    p = np.asarray(probabilities)
    result: dict[str, Any] = {"n": int(len(y)), "positives": int(y.sum()), **at_threshold(y, p, threshold)}
    if 0 < y.sum() < len(y):
        result["pr_auc"] = _round(average_precision_score(y, p))
        result["roc_auc"] = _round(roc_auc_score(y, p))
    return result


def at_threshold(y: np.ndarray, p: np.ndarray, threshold: float) -> dict[str, Any]:
    predicted = (p >= threshold).astype(int)
    return {
        "threshold": threshold,
        "precision": _round(precision_score(y, predicted, zero_division=0)),
        "recall": _round(recall_score(y, predicted, zero_division=0)),
        "f1": _round(f1_score(y, predicted, zero_division=0)),
        "macro_f1": _round(f1_score(y, predicted, average="macro", zero_division=0)),
        "confusion_matrix": confusion_matrix(y, predicted, labels=[0, 1]).tolist(),
    }


def precision_at_k(y: np.ndarray, p: np.ndarray, ks: Sequence[int] = (10, 50, 100)) -> dict[str, float]:
    """Share of true positives among the k most probable items, for each k that fits (else k = n)."""
    order = np.argsort(-p, kind="stable")
    fitting = [k for k in ks if k <= len(y)] or ([len(y)] if len(y) else [])
    return {str(k): _round(y[order[:k]].mean()) for k in fitting}


def _round(value: float) -> float:
    return round(float(value), 4)


def choose_threshold(labels: Sequence[int], probabilities: Sequence[float], target: float) -> dict[str, Any]:
    """The lowest threshold whose precision reaches ``target`` (so the highest recall that does);
    when none does, the threshold of the highest precision, marked ``reached: false``."""
    y, p = np.asarray(labels), np.asarray(probabilities)
    precision, _, thresholds = precision_recall_curve(y, p)
    reaching = np.flatnonzero(precision[:-1] >= target)
    index = int(reaching[0]) if reaching.size else int(np.argmax(precision[:-1]))
    value = float(thresholds[index])
    measured = at_threshold(y, p, value)
    return {"value": value, "target_precision": target, "reached": bool(reaching.size),
            "precision": measured["precision"], "recall": measured["recall"],
            "method": "lowest threshold whose out-of-fold precision reaches the target"}


@dataclass(frozen=True)
class CrossValidation:
    folds: list[dict[str, Any]]
    out_of_fold: np.ndarray

    def summary(self) -> dict[str, Any]:
        names = [n for n in (*FOLD_METRICS, "skb_accuracy") if all(n in f for f in self.folds)]
        values = {n: np.array([f[n] for f in self.folds], dtype=float) for n in names}
        return {"folds": self.folds,
                "mean": {n: _round(v.mean()) for n, v in values.items()},
                "sd": {n: _round(v.std(ddof=1)) if len(v) > 1 else 0.0 for n, v in values.items()}}


def cross_validate(docs: Sequence[Normalised], labels: np.ndarray, skb: Sequence[str],
                   options: TrainOptions) -> CrossValidation:
    """Stratified K-fold: metrics of each fold at 0.5 and the out-of-fold probability of every row."""
    splitter = StratifiedKFold(n_splits=options.folds, shuffle=True, random_state=options.seed)
    out_of_fold = np.zeros(len(labels))
    folds = []
    for number, (train_rows, test_rows) in enumerate(splitter.split(np.zeros(len(labels)), labels), start=1):
        fitted = fit_estimators([docs[i] for i in train_rows], labels[train_rows], [skb[i] for i in train_rows],
                                options)
        test_docs = [docs[i] for i in test_rows]
        out_of_fold[test_rows] = fitted.pipeline.predict_proba(test_docs)[:, 1]
        fold = metrics(labels[test_rows], out_of_fold[test_rows])
        fold = {"fold": number, "n": fold["n"], "positives": fold["positives"],
                **{n: fold[n] for n in FOLD_METRICS if n in fold}}
        accuracy = _skb_accuracy(fitted, test_docs, labels[test_rows], [skb[i] for i in test_rows])
        if accuracy is not None:
            fold["skb_accuracy"] = accuracy
        folds.append(fold)
    return CrossValidation(folds, out_of_fold)


def _skb_accuracy(fitted: Estimators, docs: Sequence[Normalised], labels: np.ndarray,
                  skb: Sequence[str]) -> float | None:
    """Share of labelled positives whose SKB item set the head guesses exactly."""
    rows = [i for i, (label, items) in enumerate(zip(labels, skb)) if label == 1 and items]
    if fitted.skb_head is None or not rows:
        return None
    features = fitted.pipeline.named_steps["features"].transform([docs[i] for i in rows])
    guesses = fitted.skb_head.predict(features)
    return _round(np.mean([g == skb[i] for g, i in zip(guesses, rows)]))


# --- training ---------------------------------------------------------------------------------------

def train(paths: Iterable[str | Path], output: str | Path, options: TrainOptions | None = None) -> Model:
    """Cross-validate, choose the threshold, fit on all the data, write model + card."""
    options = options or TrainOptions()
    paths = list(paths)
    files = _labelled_files(paths)
    data = read_labelled(paths, options)
    labels = data[LABEL_COLUMN].to_numpy()
    counts = np.bincount(labels, minlength=2)
    if counts.min() == 0:
        raise ModelError("training needs examples of both labels (0 and 1)")
    if options.folds and not 2 <= options.folds <= counts.min():
        raise ModelError(f"--folds {options.folds} needs 2 to {counts.min()} folds "
                         f"(the rarer label has {counts.min()} rows)")
    docs = Normaliser().transform(data[TEXT_COLUMN])  # once, shared by every fold
    skb = data[SKB_COLUMN].tolist()
    card_metrics: dict[str, Any] = {}
    if options.folds:
        validation = cross_validate(docs, labels, skb, options)
        threshold = choose_threshold(labels, validation.out_of_fold, options.target_precision)
        card_metrics = {"cross_validation": validation.summary(),
                        "out_of_fold": metrics(labels, validation.out_of_fold, threshold["value"])}
    else:
        threshold = {"value": options.fixed_threshold, "method": "given (no cross-validation)"}
    fitted = fit_estimators(docs, labels, skb, options)
    card = {
        "name": Path(output).stem,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "netral_version": __version__,
        "sklearn_version": sklearn.__version__,
        "python_version": sys.version.split()[0],
        "training_data": _data_card(data, files),
        "parameters": _parameters(options),
        "metrics": card_metrics,
        "threshold": threshold,
        "skb_head": {"classes": fitted.skb_head.classes_} if fitted.skb_head else None,
    }
    return save_model(fitted, card, Path(output))


def _data_card(data: pd.DataFrame, files: list[tuple[Path, str]]) -> dict[str, Any]:
    items = [i for value in data.loc[data[LABEL_COLUMN] == 1, SKB_COLUMN] if value for i in value.split("|")]
    return {
        "sha256": data_hash(data),
        "files": {name: file_sha256(path) for path, name in files},
        "items": int(len(data)),
        "positives": int(data[LABEL_COLUMN].sum()),
        "labels": {str(k): int(v) for k, v in sorted(data[LABEL_COLUMN].value_counts().items())},
        "skb_items": dict(sorted(pd.Series(items, dtype=str).value_counts().items())),
    }


def _parameters(options: TrainOptions) -> dict[str, Any]:
    return {
        "text_column": options.text_column, "label_column": options.label_column,
        "skb_column": options.skb_column, "folds": options.folds, "seed": options.seed,
        "class_weight": options.class_weight, "target_precision": options.target_precision, "C": options.C,
        "classifier": "logistic regression (liblinear)",
        "words": "Sastrawi stems of the normalised text, 1-2 grams, min_df 2, sublinear tf-idf",
        "chars": "char_wb 2-5 grams of the normalised text, min_df 3, sublinear tf-idf",
        "skb_head": "one-vs-rest logistic regression over the same features, fitted on positives",
    }


# --- model files ------------------------------------------------------------------------------------

def card_path(model_path: Path) -> Path:
    return model_path.with_name(model_path.name.rsplit(".", 1)[0] + ".card.json")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_model(fitted: Estimators, card: dict[str, Any], path: Path) -> Model:
    for _, vectorizer in fitted.pipeline.named_steps["features"].transformer_list:
        # scikit-learn caches id(stop_words), a memory address, and recomputes it when absent; dropping it
        # makes the same data and seed give a byte-identical model file.
        vars(vectorizer).pop("_stop_words_id", None)
    # Each file appears only complete; one without the other (a scan killed between) fails the hash check.
    with atomic_file(path, binary=True) as handle:
        joblib.dump(fitted, handle, compress=3)
    card = {**card, "model_file": path.name, "model_sha256": file_sha256(path)}
    with atomic_file(card_path(path)) as handle:
        handle.write(json.dumps(card, indent=2, ensure_ascii=False) + "\n")
    return Model(fitted, card, path)


MAX_CARD_BYTES = 2**20  # a card netral writes is about 5 KB
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def read_card(path: Path) -> dict[str, Any]:
    """The model card beside ``path``, checked: a JSON object whose fields netral reads have their types."""
    card_file = card_path(path)
    if not card_file.exists():
        raise ModelError(f"no model card {card_file.name} beside the model", Location(str(path)),
                         hint="pass --trust-model only if you know where this file comes from")
    try:
        with card_file.open("rb") as handle:
            data = handle.read(MAX_CARD_BYTES + 1)
        if len(data) > MAX_CARD_BYTES:
            raise ModelError(f"model card larger than {MAX_CARD_BYTES // 2**20} MiB", Location(str(card_file)))
        card = json.loads(data.decode("utf-8"))
    except OSError as exc:
        raise ModelError(f"cannot read model card: {exc.strerror or exc}", Location(str(card_file))) from exc
    except (ValueError, RecursionError) as exc:  # JSON, UTF-8, a 5,000-digit number, nesting
        raise ModelError(f"unreadable model card: {exc}", Location(str(card_file))) from exc
    problem = card_problem(card)
    if problem:
        raise ModelError(f"invalid model card: {problem}", Location(str(card_file)))
    return card


def card_problem(card: Any) -> str | None:
    """What is wrong with the fields of a card that netral reads, or None."""
    if not isinstance(card, dict):
        return f"expected a JSON object, found {type(card).__name__}"
    for key in ("name", "sklearn_version", "model_file"):
        if key in card and not isinstance(card[key], str):
            return f"{key} must be a string"
    if "model_sha256" in card and not (isinstance(card["model_sha256"], str) and _SHA256.match(card["model_sha256"])):
        return "model_sha256 must be 64 lowercase hex digits"
    for key in ("threshold", "training_data", "parameters", "metrics"):
        if card.get(key) is not None and not isinstance(card[key], dict):
            return f"{key} must be an object"
    value = (card.get("threshold") or {}).get("value", TrainOptions.fixed_threshold)
    if not (isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 1):
        return "threshold.value must be a number from 0 to 1"
    return None


def load_model(path: str | Path | None = None, trust: bool = False) -> Model:
    """Load a model after checking its hash against its card; the bundled one by default.

    The bundled model is retrained from the bundled data (once, then cached) when it was saved by
    another scikit-learn version; any other model saved by another version is refused.
    """
    if path is None:
        return _bundled_model()
    path = Path(path)
    if not path.exists():
        raise ModelError("no such model file", Location(str(path)))
    card = read_card(path) if not trust or card_path(path).exists() else {}
    if not trust and card.get("model_sha256") != file_sha256(path):
        raise ModelError("model file does not match the sha256 in its card; refusing to unpickle it",
                         Location(str(path)), hint="retrain it, or pass --trust-model if you trust the file")
    saved_with = card.get("sklearn_version")
    if saved_with and saved_with != sklearn.__version__:
        raise ModelError(f"model saved with scikit-learn {saved_with}, this is {sklearn.__version__}",
                         Location(str(path)), hint="retrain it with `netral train`")
    try:
        fitted = safe_unpickle.load(path)
    except safe_unpickle.UnsafeModelFile as exc:
        raise ModelError(f"not a netral model: the file {exc}; refusing to load it", Location(str(path))) from exc
    except Exception as exc:  # a pickle can fail in many ways; all mean "unusable model"
        raise ModelError(f"cannot load model: {exc}", Location(str(path))) from exc
    if isinstance(fitted, Pipeline):  # a model file written before the SKB head existed
        fitted = Estimators(fitted)
    if not isinstance(fitted, Estimators) or "model" not in fitted.pipeline.named_steps:
        raise ModelError("not a netral model", Location(str(path)))
    return Model(fitted, card, path)


def bundled_model_path() -> Path:
    return bundled_path("models") / f"{DEFAULT_MODEL_NAME}.joblib"


# The sha256 of the bundled model file, kept in the code as well as in the card beside the file, so that a
# model and a card swapped together in the installed package are still refused. Retraining the bundled model
# means updating it (tests/test_model_integrity.py says so).
BUNDLED_MODEL_SHA256 = "9a4e8950c37f8b8d0e5a8ed7f08a8902b8433f9473db344a81e3dd4f1ccf0a4d"


@lru_cache(maxsize=1)
def _bundled_model() -> Model:
    path = bundled_model_path()
    card = read_card(path)
    if card.get("sklearn_version") == sklearn.__version__:
        if file_sha256(path) != BUNDLED_MODEL_SHA256:
            raise ModelError("the bundled model file is not the one this version of netral ships (its sha256 "
                             "differs from the one in the code); refusing to unpickle it", Location(str(path)),
                             hint="reinstall netral")
        return load_model(path)
    cached = cache_dir() / f"{DEFAULT_MODEL_NAME}-sklearn{sklearn.__version__}.joblib"
    if cached.exists() and (read_card(cached).get("training_data") or {}).get("sha256") == \
            card["training_data"]["sha256"]:
        return load_model(cached)
    print(f"netral: the bundled model was saved with scikit-learn {card.get('sklearn_version')}; "
          f"retraining it from the bundled data for {sklearn.__version__} (once; cached in {cached.parent})",
          file=sys.stderr)
    parameters = card.get("parameters", {})
    # Same data and parameters; cross-validation is skipped and the bundled card's threshold kept.
    options = TrainOptions(seed=parameters.get("seed", DEFAULT_SEED), C=parameters.get("C", TrainOptions.C),
                           class_weight=parameters.get("class_weight", TrainOptions.class_weight), folds=0,
                           fixed_threshold=card.get("threshold", {}).get("value", TrainOptions.fixed_threshold))
    return train([bundled_path("data") / "labelled"], cached, options)


# --- using a model: probabilities, SKB guesses, explanations ------------------------------------------

class Contribution(NamedTuple):  # a tuple, not a dataclass: a reported item's explanation makes dozens
    """What one n-gram added to the log-odds (coefficient x tf-idf value). ``source`` is ``stems``
    (a word n-gram of Sastrawi stems) or ``chars`` (the character n-grams of one normalised word)."""

    ngram: str
    source: str
    weight: float

    @property
    def label(self) -> str:
        return self.ngram if self.source == "stems" else f"\u2039{self.ngram}\u203a"

    def to_dict(self) -> dict[str, Any]:
        return {"ngram": self.ngram, "source": self.source, "weight": _round(self.weight)}


@dataclass(frozen=True)
class Explanation:
    """Why the model gave a text its probability: intercept + contributions = log-odds."""

    probability: float
    intercept: float
    contributions: tuple[Contribution, ...]  # strongest first
    skb_guess: str  # the SKB head's item(s) when the probability reaches the threshold, else ""
    threshold: float

    @property
    def logit(self) -> float:
        return self.intercept + sum(c.weight for c in self.contributions)

    def pushing_up(self, limit: int = 5) -> list[Contribution]:
        return [c for c in self.contributions if c.weight > 0][:limit]

    def pushing_down(self, limit: int = 5) -> list[Contribution]:
        return [c for c in self.contributions if c.weight < 0][:limit]

    def summary(self, limit: int = 5) -> str:
        return ", ".join(f"{c.label} {c.weight:+.2f}" for c in self.contributions[:limit])

    def evidence(self, limit: int = 5, lang: str = "id") -> dict[str, Any]:
        """The model's entry in a scan record's ``evidence``: the strongest n-grams and a reason in words,
        in Bahasa Indonesia (``id``) or English (``en``)."""
        strongest = self.contributions[:limit]
        words = REASON_WORDS[lang]
        up = ", ".join(f"{c.label} {_decimal(c.weight, lang, '+')}" for c in strongest if c.weight > 0)
        down = ", ".join(f"{c.label} {_decimal(c.weight, lang, '+')}" for c in strongest if c.weight < 0)
        reason = words["reason"].format(
            probability=_decimal(self.probability, lang), threshold=_decimal(self.threshold, lang),
            side=words["at_or_above" if self.probability >= self.threshold else "below"],
            guess=words["guess"].format(skb=self.skb_guess) if self.skb_guess else "",
            up=up or words["nothing"], down=down or words["nothing"])
        return {"field": "model", "rule": "model", "skb": self.skb_guess, "text": self.summary(limit),
                "features": [c.to_dict() for c in strongest], "reason": reason}


REASON_WORDS = {
    "id": {"reason": "Probabilitas model {probability}, {side} ambangnya {threshold}{guess}; dinaikkan oleh {up}; "
                     "diturunkan oleh {down}",
           "at_or_above": "mencapai", "below": "di bawah", "guess": "; dugaan butir SKB {skb}",
           "nothing": "tidak ada"},
    "en": {"reason": "Classifier probability {probability}, {side} its threshold {threshold}{guess}; raised by {up}; "
                     "lowered by {down}",
           "at_or_above": "at or above", "below": "below", "guess": "; SKB guess {skb}", "nothing": "nothing"},
}


def _decimal(value: float, lang: str, sign: str = "") -> str:
    """Two decimals, with a decimal comma in Bahasa Indonesia: ``0,87``, ``+0,81``."""
    text = format(value, f"{sign}.2f")
    return text.replace(".", ",") if lang == "id" else text


@dataclass(frozen=True)
class Model:
    """A loaded model file (pipeline and SKB head) and its card."""

    estimators: Estimators
    card: dict[str, Any]
    path: Path

    @property
    def pipeline(self) -> Pipeline:
        return self.estimators.pipeline

    @property
    def threshold(self) -> float:
        return float((self.card.get("threshold") or {}).get("value", TrainOptions.fixed_threshold))

    def predict_proba(self, docs: Sequence[Normalised | str]) -> np.ndarray:
        """Probability of the violation class for each document."""
        if not docs:
            return np.zeros(0)
        return self.probabilities(self.features(docs)[1])

    def probabilities(self, features: Features) -> np.ndarray:
        """Probability of the violation class for each document of :meth:`features`."""
        return positive_probabilities(self.pipeline.named_steps["model"], features.blocks)

    def features(self, docs: Sequence[Normalised | str]) -> tuple[list[Normalised], Features]:
        """The pipeline's features, with the character n-grams built a word at a time (see
        :class:`WordwiseCharNgrams`); their ``matrix`` equals ``pipeline[:-1].transform(docs)``."""
        normalised = self.pipeline.named_steps["normalise"].transform(docs)
        tokens = chunk_tokens(normalised)  # numbered once for both blocks (and a scan's rules)
        stems = self._stem_ngrams
        return normalised, Features(stems.transform(normalised, tokens) if isinstance(stems, StemBigrams)
                                    else stems.transform(normalised), self._chars.transform(normalised, tokens), tokens)

    @cached_property
    def _stem_ngrams(self) -> Any:
        words = dict(self.pipeline.named_steps["features"].transformer_list)["words"]
        return StemBigrams(words) if StemBigrams.fits(words) else words

    @cached_property
    def _chars(self) -> WordwiseCharNgrams:
        return WordwiseCharNgrams(dict(self.pipeline.named_steps["features"].transformer_list)["chars"])

    def skb_guess(self, docs: Sequence[Normalised | str]) -> list[str]:
        """The SKB head's item(s) for each document ("" without a head); meaningful for positives."""
        if self.estimators.skb_head is None or not docs:
            return [""] * len(docs)
        return self.estimators.skb_head.predict(self.features(docs)[1].matrix)

    def explain(self, docs: Sequence[Normalised | str]) -> list[Explanation]:
        """Explanations of many documents in one pass (a sparse product of features and coefficients)."""
        if not docs:
            return []
        normalised, features = self.features(docs)
        return self.explain_features(normalised, features.matrix)

    def explain_features(self, normalised: Sequence[Normalised], matrix: Any) -> list[Explanation]:
        """Explanations of documents already turned into features by :meth:`features`."""
        if not normalised:
            return []
        classifier = self.pipeline.named_steps["model"]
        weighted = matrix.multiply(classifier.coef_[0]).tocsr()
        probabilities = positive_probabilities(classifier, (matrix,))
        guesses = self.estimators.skb_head.predict(matrix) if self.estimators.skb_head else [""] * len(normalised)
        intercept = float(classifier.intercept_[0])
        names, word_count = self._feature_names
        by_stems = _stem_contributions(weighted[:, :word_count], names)
        by_word = self._chars.by_words([doc.text for doc in normalised], weighted[:, word_count:])
        return [Explanation(float(p), intercept,
                            _strongest(stems + [Contribution(word, "chars", v) for word, v in chars.items()]),
                            guess if p >= self.threshold else "", self.threshold)
                for stems, chars, p, guess in zip(by_stems, by_word, probabilities, guesses)]

    @cached_property
    def _feature_names(self) -> tuple[list[str], int]:
        """Readable feature names (word n-grams, then char n-grams) and the number of word features."""
        parts = dict(self.pipeline.named_steps["features"].transformer_list)
        words, chars = parts["words"].get_feature_names_out(), parts["chars"].get_feature_names_out()
        return [*words, *chars], len(words)


class Features:
    """A chunk's two feature blocks, tf-idf weighted: the pipeline's feature matrix is their columns side by side
    (``matrix``), which scoring never needs whole; only the reported rows are joined, to explain them (``rows``).
    ``tokens``: the documents' tokens numbered, which the rules' prefilter reads too."""

    def __init__(self, stems: sparse.csr_matrix, chars: sparse.csr_matrix, tokens: ChunkTokens) -> None:
        self.blocks = (stems, chars)
        self.tokens = tokens

    @cached_property
    def matrix(self) -> sparse.csr_matrix:
        return sparse.hstack(self.blocks, format="csr")

    def rows(self, chosen: Sequence[int]) -> sparse.csr_matrix:
        """``matrix[chosen]``, joined from the chosen rows of each block."""
        return sparse.hstack([block[chosen] for block in self.blocks], format="csr")


def positive_probabilities(classifier: Any, blocks: Sequence[sparse.csr_matrix]) -> np.ndarray:
    """``classifier.predict_proba(matrix)[:, 1]`` of the matrix whose columns are the ``blocks`` side by side.

    For a binary logistic regression, without joining the blocks or checking them again: scikit-learn's sparse
    dot product (scipy's ``csr_matvec``, one sum a row) runs over the first block, then goes on over the next
    from the sums it left, which adds the same products in the same order as over the joined row; then the
    intercept and the logistic function, as ``predict_proba`` does.
    """
    if not _binary_logistic(classifier, blocks):
        return classifier.predict_proba(sparse.hstack(blocks, format="csr") if len(blocks) > 1 else blocks[0])[:, 1]
    coef, start = classifier.coef_[0], 0
    sums = np.zeros(blocks[0].shape[0])
    for block in blocks:
        _csr_matvec(*block.shape, block.indptr, block.indices, block.data, coef[start:start + block.shape[1]], sums)
        start += block.shape[1]
    sums += classifier.intercept_
    return expit(sums, out=sums)


def _binary_logistic(classifier: Any, blocks: Sequence[sparse.csr_matrix]) -> bool:
    return (type(classifier) is LogisticRegression and _csr_matvec is not None and len(classifier.classes_) == 2
            and classifier.coef_.shape == (1, sum(block.shape[1] for block in blocks))
            and classifier.coef_.dtype == np.float64
            and all(block.format == "csr" and block.dtype == np.float64 for block in blocks))


def _stem_contributions(matrix: Any, names: Sequence[str]) -> list[list[Contribution]]:
    """Each row's word n-gram contributions (``matrix``: the weighted features' word n-gram columns)."""
    bounds = matrix.indptr.tolist()
    found = [Contribution(names[j], "stems", v) for j, v in zip(matrix.indices.tolist(), matrix.data.tolist())]
    return [found[start:end] for start, end in zip(bounds, bounds[1:])]


def _strongest(contributions: list[Contribution]) -> tuple[Contribution, ...]:
    return tuple(sorted(contributions, key=lambda c: (-abs(c.weight), c.source, c.ngram)))


def tfidf(vectorizer: TfidfVectorizer, counts: Any) -> Any:
    """A fitted vectorizer's tf-idf weighting of a count matrix (CSR, columns sorted), in place: the steps of
    ``TfidfTransformer.transform`` in its order, without validating the input (a count matrix made here needs
    no check, and the check cost as much as the weighting)."""
    weighting = vectorizer._tfidf
    if weighting.norm != "l2":
        return weighting.transform(counts, copy=False)
    if weighting.sublinear_tf:  # log(1) + 1 is 1: only the counts above one change (most counts are one)
        repeated = counts.data > 1.0
        counts.data[repeated] = np.log(counts.data[repeated]) + 1.0
    if weighting.use_idf:
        counts.data *= weighting.idf_[counts.indices]
    inplace_csr_row_normalize_l2(counts)
    return counts


_STEM_TOKENS = attrgetter("stem_tokens")


class StemBigrams:
    """A fitted word 1-2-gram TfidfVectorizer over stems (the one :func:`build_pipeline` makes), its transform
    done without scikit-learn's general analyser: the same counts (stems split at whitespace, as the
    ``\\S+`` token pattern splits them, then each pair of neighbours), the same sorted matrix, the same
    tf-idf weighting."""

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self.vectorizer = vectorizer
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        # With min_df and no max_df or max_features, a known pair is a pair of known stems: only those pairs
        # need to be made and looked up. Read from the vocabulary itself, not from the parameters.
        pairs = [(key.split(" "), column) for key, column in self.vocabulary.items() if " " in key]
        self.pairs_of_known = all(len(pair) == 2 and pair[0] in self.vocabulary and pair[1] in self.vocabulary
                                  for pair, _ in pairs)
        # Then a pair is found by its stems' columns spelled as one number (pair_codes, sorted; pair_columns alongside).
        found = sorted((self._pair_code(self.vocabulary[first], self.vocabulary[second]), column)
                       for (first, second), column in pairs) if self.pairs_of_known else []
        self.pair_codes = np.array([code for code, _ in found], dtype=np.int64)
        self.pair_columns = np.array([column for _, column in found], dtype=np.int64)

    def _pair_code(self, first: Any, second: Any) -> Any:
        return first * len(self.vocabulary) + second

    @staticmethod
    def fits(vectorizer: TfidfVectorizer) -> bool:
        return (vectorizer.analyzer == "word" and vectorizer.ngram_range == (1, 2) and vectorizer.token_pattern == r"\S+"
                and vectorizer.preprocessor is stem_text_of and vectorizer.tokenizer is None and not vectorizer.binary
                and vectorizer.stop_words is None and not vectorizer.lowercase)

    def transform(self, docs: Sequence[Normalised], tokens: ChunkTokens | None = None) -> Any:
        """The documents' tf-idf matrix; ``tokens``: their tokens numbered, when :func:`chunk_tokens` has been
        called for them already."""
        if not self.pairs_of_known:  # a known pair may hold an unknown stem: the pairs are looked up as text
            return self._transform_by_text(docs)
        single, lengths = self._stem_columns(chunk_tokens(docs) if tokens is None else tokens)
        if native.LIBRARY is not None and self.vectorizer.dtype == np.float64 and 2 * len(single) <= native.LARGEST:
            counts = native.pair_counts(np.concatenate([[0], np.cumsum(lengths)]), single, len(self.vocabulary),
                                        self.pair_codes, self.pair_columns)
            return tfidf(self.vectorizer, counts)
        row = np.repeat(np.arange(len(docs)), lengths)
        first = np.flatnonzero((row[:-1] == row[1:]) & (single[:-1] >= 0) & (single[1:] >= 0))
        pair = self._known_pairs(self._pair_code(single[first], single[first + 1]))
        return self._weighted(row, first, single, pair, len(docs))

    def _stem_columns(self, tokens: ChunkTokens) -> tuple[np.ndarray, np.ndarray]:
        """The columns of the documents' stem tokens (``stem_text`` split at whitespace), one document after another
        (-1: not in the vocabulary), and how many each document has."""
        columns, lengths = self._columns.of(tokens.keys())
        before = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=before[1:])
        return columns, np.diff(before[tokens.starts])

    @cached_property
    def _columns(self) -> NumberedRuns:
        return NumberedRuns(self._stem_runs, kinds=2)

    def _stem_runs(self, texts: list[str], kinds: list[int]) -> list[list[int]]:
        """The columns of each token's stem tokens (kind 1, a token of a kind not stemmed: its text split at
        whitespace; see :meth:`ChunkTokens.keys`)."""
        get = self.vocabulary.get
        return [[get(stem, -1) for stem in (text.split() if kind else stem_tokens_of(text))]
                for text, kind in zip(texts, kinds)]

    def _transform_by_text(self, docs: Sequence[Normalised]) -> Any:
        get = self.vocabulary.get
        stems_of = list(map(_STEM_TOKENS, docs))  # stem_text_of split at whitespace
        stems = list(chain.from_iterable(stems_of))
        single = np.fromiter(map(get, stems, repeat(-1)), dtype=np.int64, count=len(stems))  # -1: not known
        row = np.repeat(np.arange(len(docs)), np.fromiter(map(len, stems_of), dtype=np.int64, count=len(docs)))
        first = np.flatnonzero(row[:-1] == row[1:])
        pair = np.fromiter((get(f"{stems[i]} {stems[i + 1]}", -1) for i in first.tolist()), dtype=np.int64,
                           count=len(first))
        return self._weighted(row, first, single, pair, len(docs))

    def _weighted(self, row: np.ndarray, first: np.ndarray, single: np.ndarray, pair: np.ndarray, n_docs: int) -> Any:
        """The tf-idf matrix of the stems' columns ``single`` (of the documents ``row``) and the columns ``pair`` of
        the pairs starting at the positions ``first`` (-1: not in the vocabulary)."""
        rows, columns = np.concatenate([row, row[first]]), np.concatenate([single, pair])
        known = columns >= 0
        counts = sparse.coo_matrix((np.ones(int(known.sum()), dtype=self.vectorizer.dtype), (rows[known], columns[known])),
                                   shape=(n_docs, len(self.vocabulary))).tocsr()
        counts.sum_duplicates()  # repeated n-grams counted, columns sorted as scikit-learn's own matrix
        return tfidf(self.vectorizer, counts)

    def _known_pairs(self, codes: np.ndarray) -> np.ndarray:
        """The column of each pair code, -1 for a pair the vocabulary does not have."""
        if not len(self.pair_codes):
            return np.full(len(codes), -1, dtype=np.int64)
        at = np.minimum(np.searchsorted(self.pair_codes, codes), len(self.pair_codes) - 1)
        return np.where(self.pair_codes[at] == codes, self.pair_columns[at], -1)


class WordwiseCharNgrams:
    """A fitted ``char_wb`` TfidfVectorizer's transform, computed a distinct word at a time.

    ``char_wb`` n-grams never cross a space, so a document's n-gram counts are the sum of its words'. The
    n-grams of a chunk's distinct words are looked up together (:mod:`netral_cli.chargrams`); with the Zipf
    vocabulary of real posts this is several times faster than scikit-learn building every n-gram of
    every document in Python.
    """

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self.vectorizer = vectorizer
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.low, self.high = vectorizer.ngram_range
        self.codes = GramCodes.fitting(self.vocabulary, self.low, self.high)
        self._grams = WordRows(self._count, len(self.vocabulary))

    def transform(self, docs: Sequence[Normalised], tokens: ChunkTokens | None = None) -> Any:
        """Each document's n-gram counts, the sum of its words' (:meth:`WordRows.summed`), then the fitted tf-idf
        weighting; ``tokens``: the documents' tokens numbered, when :func:`chunk_tokens` has been called for them."""
        if self.vectorizer.preprocessor is text_of:  # text_of split at whitespace: no token holds any
            tokens = chunk_tokens(docs) if tokens is None else tokens
            return tfidf(self.vectorizer, self._grams.summed(tokens.numbers, tokens.starts))
        words_of = [text.split() for text in map(self.vectorizer.preprocessor, docs)]
        starts = np.concatenate([[0], np.cumsum(np.fromiter(map(len, words_of), dtype=np.int64, count=len(docs)))])
        words = list(chain.from_iterable(words_of))
        return tfidf(self.vectorizer, self._grams.summed(token_numbers().numbers(words, len(words)), starts))

    def _count(self, words: Sequence[str]) -> sparse.csr_matrix:
        return word_gram_counts(words, self.vocabulary, self.low, self.high, self.codes)

    def by_words(self, texts: Sequence[str], contributions: Any) -> list[dict[str, float]]:
        """Per text, the contributions of its char n-grams (``contributions``: texts x n-grams, CSR) summed onto
        the words that hold them, an n-gram's value shared by occurrence, so that ``cob``, ``obl``, ``blos ``
        read as one entry ``coblos``. Words without any contribution are left out. A word's shares are added in
        the order of the n-grams' columns, whether the texts are computed together or one at a time."""
        counted = [_counts(text.split()) for text in texts]
        distinct = list(dict.fromkeys(chain.from_iterable(counted)))
        slot = {word: i for i, word in enumerate(distinct)}
        grams = _sorted(self._grams(distinct))
        contributions = _sorted(contributions)
        # every (text, word) -> its n-grams' columns and counts (occurrences in the word times the word's in the text)
        words = np.fromiter((slot[word] for words in counted for word in words), dtype=np.int64)
        times = np.fromiter((n for words in counted for n in words.values()), dtype=np.int64, count=len(words))
        starts, lengths = grams.indptr[words], np.diff(grams.indptr)[words]
        take = spans(starts, lengths)
        holder = np.repeat(np.arange(len(words)), lengths)
        count = (grams.data[take] * times[holder]).astype(np.int64)
        # the rows' entries and the words' n-grams as one sorted key each: text, then column
        width = contributions.shape[1]
        entries = np.repeat(np.arange(len(texts)), np.diff(contributions.indptr)) * width + contributions.indices
        text_of_word = np.repeat(np.arange(len(texts)), [len(words) for words in counted])
        wanted = text_of_word[holder] * width + grams.indices[take]
        totals, held = np.zeros(len(words)), np.zeros(len(words), dtype=bool)
        if len(entries) and len(wanted):
            at = np.minimum(np.searchsorted(entries, wanted), len(entries) - 1)
            present = entries[at] == wanted
            position, holder, count = at[present], holder[present], count[present]
            whole = np.bincount(position, weights=count, minlength=len(entries))  # whole numbers: exact in any order
            np.add.at(totals, holder, contributions.data[position] * count / whole[position])
            held[holder] = True
        found = iter(zip(totals.tolist(), held.tolist()))
        return [{word: total for word, (total, is_held) in zip(words, found) if is_held} for words in counted]


def _sorted(matrix: sparse.csr_matrix) -> sparse.csr_matrix:
    return matrix if matrix.has_sorted_indices else matrix.sorted_indices()


def _counts(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


# --- evaluation -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Evaluation:
    metrics: dict[str, Any]
    labels: np.ndarray
    probabilities: np.ndarray
    threshold: float


def evaluate(paths: Iterable[str | Path], model_path: str | Path | None = None, trust: bool = False,
             options: TrainOptions | None = None) -> Evaluation:
    """Metrics of a model (the bundled one by default) on labelled files, at the card's threshold and at 0.5."""
    options = options or TrainOptions()
    data = read_labelled(paths, options)
    model = load_model(model_path, trust=trust)
    docs = Normaliser().transform(data[TEXT_COLUMN])
    y, p = data[LABEL_COLUMN].to_numpy(), model.predict_proba(docs)
    overall = metrics(y, p, model.threshold)
    result = {
        "model": str(model.path), "n": overall["n"], "positives": overall["positives"],
        **{k: overall[k] for k in ("pr_auc", "roc_auc") if k in overall},
        "precision_at_k": precision_at_k(y, p),
        "at_threshold": at_threshold(y, p, model.threshold),
        "at_0.5": at_threshold(y, p, 0.5),
        "skb": _skb_metrics(model, docs, y, p, data[SKB_COLUMN].tolist()),
    }
    return Evaluation(result, y, p, model.threshold)


def _skb_metrics(model: Model, docs: Sequence[Normalised], y: np.ndarray, p: np.ndarray,
                 skb: Sequence[str]) -> dict[str, Any]:
    """Per SKB item: how many positives, the share the model finds (recall) and the share the SKB head
    names; and the head's exact-match accuracy over every positive with SKB labels."""
    rows = [i for i in range(len(y)) if y[i] == 1 and skb[i]]
    guesses = dict(zip(rows, model.skb_guess([docs[i] for i in rows])))
    items: dict[str, dict[str, Any]] = {}
    for item in sorted({i for r in rows for i in skb[r].split(SKB_SEPARATOR)}):
        having = [r for r in rows if item in skb[r].split(SKB_SEPARATOR)]
        items[item] = {"n": len(having),
                       "recall_at_threshold": _round(np.mean([p[r] >= model.threshold for r in having])),
                       "recall_at_0.5": _round(np.mean([p[r] >= 0.5 for r in having]))}
        if model.estimators.skb_head is not None:
            items[item]["head_recall"] = _round(np.mean([item in guesses[r].split(SKB_SEPARATOR) for r in having]))
    head = None
    if model.estimators.skb_head is not None and rows:
        head = {"n": len(rows), "accuracy": _round(np.mean([guesses[r] == skb[r] for r in rows]))}
    return {"items": items, "head": head}
