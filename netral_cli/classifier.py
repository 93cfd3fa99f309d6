"""The classifier: TF-IDF over stems (words) and normalised text (characters) + logistic regression,
in one scikit-learn Pipeline that starts with the normaliser.

A model file is a pickle, that is code: :func:`load_model` opens one only when its sha256 matches
the model card written beside it, or when the caller says it trusts the file.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import (average_precision_score, confusion_matrix, f1_score, precision_score, recall_score,
                             roc_auc_score)
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline

from netral_cli import __version__
from netral_cli.errors import Location, ModelError
from netral_cli.normalise import Normalised, Normaliser, stem_text_of, text_of
from netral_cli.resources import bundled_path

DEFAULT_SEED = 13
DEFAULT_MODEL_NAME = "netral-default"
TEXT_COLUMN, LABEL_COLUMN = "text", "label"


@dataclass(frozen=True)
class TrainOptions:
    text_column: str = TEXT_COLUMN
    label_column: str = LABEL_COLUMN
    seed: int = DEFAULT_SEED
    test_size: float = 0.2
    C: float = 4.0


@dataclass(frozen=True)
class Model:
    """A loaded pipeline and its card."""

    pipeline: Pipeline
    card: dict[str, Any]
    path: Path

    def predict_proba(self, docs: Sequence[Normalised | str]) -> np.ndarray:
        """Probability of the violation class for each document."""
        if not docs:
            return np.zeros(0)
        return self.pipeline.predict_proba(list(docs))[:, 1]

    def top_features(self, doc: Normalised | str, limit: int = 10) -> list[tuple[str, float]]:
        """The n-grams that pushed this document's score most (weight x tf-idf), strongest first."""
        features = self.pipeline.named_steps["features"]
        vector = features.transform(self.pipeline.named_steps["normalise"].transform([doc]))
        weights = self.pipeline.named_steps["model"].coef_[0]
        names = features.get_feature_names_out()
        row = vector.tocoo()
        contributions = sorted(((names[j], float(v * weights[j])) for j, v in zip(row.col, row.data)),
                               key=lambda pair: -abs(pair[1]))
        return [(name.split("__", 1)[-1], round(value, 4)) for name, value in contributions[:limit]]


def build_pipeline(options: TrainOptions) -> Pipeline:
    words = TfidfVectorizer(preprocessor=stem_text_of, token_pattern=r"\S+", lowercase=False,
                            ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    chars = TfidfVectorizer(preprocessor=text_of, analyzer="char_wb", lowercase=False,
                            ngram_range=(2, 5), sublinear_tf=True, min_df=2)
    return Pipeline([
        ("normalise", Normaliser()),
        ("features", FeatureUnion([("words", words), ("chars", chars)])),
        ("model", LogisticRegression(C=options.C, class_weight="balanced", max_iter=5000, solver="liblinear",
                                     random_state=options.seed)),
    ])


def read_labelled(paths: Iterable[str | Path], options: TrainOptions) -> pd.DataFrame:
    """Labelled CSV or JSONL files -> one frame with ``text`` and integer ``label`` (0/1) columns."""
    frames = []
    for path in sorted(_labelled_files(paths)):
        frame = pd.read_json(path, lines=True, dtype=False) if path.suffix in (".jsonl", ".ndjson") else \
            pd.read_csv(path, dtype=str, keep_default_na=False)
        for column in (options.text_column, options.label_column):
            if column not in frame.columns:
                raise ModelError(f"no column {column!r} (columns: {', '.join(map(str, frame.columns))})",
                                 Location(str(path)), hint="name it with --text-column/--label-column")
        frame = frame.rename(columns={options.text_column: TEXT_COLUMN, options.label_column: LABEL_COLUMN})
        frame["source"] = path.name
        frames.append(frame)
    if not frames:
        raise ModelError("no labelled .csv or .jsonl files found")
    data = pd.concat(frames, ignore_index=True)
    data[TEXT_COLUMN] = data[TEXT_COLUMN].fillna("").astype(str)
    labels = pd.to_numeric(data[LABEL_COLUMN], errors="coerce")
    if labels.isna().any() or not set(labels.unique()) <= {0, 1}:
        bad = data.loc[labels.isna() | ~labels.isin([0, 1]), LABEL_COLUMN].head(3).tolist()
        raise ModelError(f"labels must be 0 or 1, found {bad}")
    data[LABEL_COLUMN] = labels.astype(int)
    return data


def _labelled_files(paths: Iterable[str | Path]) -> Iterable[Path]:
    for path in map(Path, paths):
        if path.is_dir():
            yield from (p for p in path.rglob("*") if p.suffix in (".csv", ".jsonl", ".ndjson"))
        elif path.exists():
            yield path
        else:
            raise ModelError("no such file or folder", Location(str(path)))


def data_hash(data: pd.DataFrame) -> str:
    digest = hashlib.sha256()
    for text, label in zip(data[TEXT_COLUMN], data[LABEL_COLUMN]):
        digest.update(f"{label}\t{text}\n".encode("utf-8"))
    return digest.hexdigest()


def metrics(labels: Sequence[int], probabilities: Sequence[float], threshold: float = 0.5) -> dict[str, Any]:
    """Precision, recall, F1 (of the violation class and macro), PR-AUC, ROC-AUC, confusion matrix."""
    y = np.asarray(labels)
    p = np.asarray(probabilities)
    predicted = (p >= threshold).astype(int)
    result: dict[str, Any] = {
        "n": int(len(y)), "positives": int(y.sum()), "threshold": threshold,
        "precision": round(float(precision_score(y, predicted, zero_division=0)), 4),
        "recall": round(float(recall_score(y, predicted, zero_division=0)), 4),
        "f1": round(float(f1_score(y, predicted, zero_division=0)), 4),
        "macro_f1": round(float(f1_score(y, predicted, average="macro", zero_division=0)), 4),
        "confusion_matrix": confusion_matrix(y, predicted, labels=[0, 1]).tolist(),
    }
    if 0 < y.sum() < len(y):
        result["pr_auc"] = round(float(average_precision_score(y, p)), 4)
        result["roc_auc"] = round(float(roc_auc_score(y, p)), 4)
    return result


def train(paths: Iterable[str | Path], output: str | Path, options: TrainOptions | None = None) -> Model:
    """Train on labelled data (fit on a stratified split, report held-out metrics), write model + card."""
    options = options or TrainOptions()
    data = read_labelled(paths, options)
    if data[LABEL_COLUMN].nunique() < 2:
        raise ModelError("training needs examples of both labels (0 and 1)")
    train_part, test_part = train_test_split(data, test_size=options.test_size, random_state=options.seed,
                                             stratify=data[LABEL_COLUMN])
    pipeline = build_pipeline(options)
    pipeline.fit(train_part[TEXT_COLUMN].tolist(), train_part[LABEL_COLUMN].to_numpy())
    held_out = pipeline.predict_proba(test_part[TEXT_COLUMN].tolist())[:, 1]
    card = {
        "name": Path(output).stem,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "netral_version": __version__,
        "sklearn_version": sklearn.__version__,
        "python_version": sys.version.split()[0],
        "training_data": {"sha256": data_hash(data), "items": int(len(data)),
                          "positives": int(data[LABEL_COLUMN].sum()),
                          "files": sorted(data["source"].unique().tolist())},
        "split": {"method": "stratified train_test_split", "test_size": options.test_size, "seed": options.seed,
                  "train_items": int(len(train_part)), "test_items": int(len(test_part))},
        "parameters": {"C": options.C, "class_weight": "balanced", "words": "stems 1-2 grams, sublinear tf-idf",
                       "chars": "char_wb 2-5 grams of normalised text, min_df 2"},
        "metrics": {"held_out": metrics(test_part[LABEL_COLUMN].tolist(), held_out.tolist())},
    }
    return save_model(pipeline, card, Path(output))


def card_path(model_path: Path) -> Path:
    return model_path.with_name(model_path.name.rsplit(".", 1)[0] + ".card.json")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def save_model(pipeline: Pipeline, card: dict[str, Any], path: Path) -> Model:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".tmp")
    joblib.dump(pipeline, temporary, compress=3)
    os.replace(temporary, path)
    card = {**card, "model_file": path.name, "model_sha256": file_sha256(path)}
    card_path(path).write_text(json.dumps(card, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return Model(pipeline, card, path)


def read_card(path: Path) -> dict[str, Any]:
    card_file = card_path(path)
    if not card_file.exists():
        raise ModelError(f"no model card {card_file.name} beside the model", Location(str(path)),
                         hint="pass --trust-model only if you know where this file comes from")
    try:
        return json.loads(card_file.read_text("utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelError(f"unreadable model card: {exc}", Location(str(card_file))) from exc


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
        pipeline = joblib.load(path)
    except Exception as exc:  # a pickle can fail in many ways; all mean "unusable model"
        raise ModelError(f"cannot load model: {exc}", Location(str(path))) from exc
    if not isinstance(pipeline, Pipeline) or "model" not in pipeline.named_steps:
        raise ModelError("not a netral model pipeline", Location(str(path)))
    return Model(pipeline, card, path)


def bundled_model_path() -> Path:
    return bundled_path("models") / f"{DEFAULT_MODEL_NAME}.joblib"


@lru_cache(maxsize=1)
def _bundled_model() -> Model:
    path = bundled_model_path()
    card = read_card(path)
    if card.get("sklearn_version") == sklearn.__version__:
        return load_model(path)
    cached = _cache_dir() / f"{DEFAULT_MODEL_NAME}-sklearn{sklearn.__version__}.joblib"
    if cached.exists() and read_card(cached).get("training_data", {}).get("sha256") == \
            card["training_data"]["sha256"]:
        return load_model(cached)
    print(f"netral: the bundled model was saved with scikit-learn {card.get('sklearn_version')}; "
          f"retraining it from the bundled data for {sklearn.__version__} (once; cached in {cached.parent})",
          file=sys.stderr)
    return train([bundled_path("data") / "labelled"], cached,
                 TrainOptions(seed=card.get("split", {}).get("seed", DEFAULT_SEED),
                              C=card.get("parameters", {}).get("C", TrainOptions.C)))


def _cache_dir() -> Path:
    base = os.environ.get("NETRAL_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "netral"


def evaluate_files(paths: Iterable[str | Path], model_path: str | Path | None = None, trust: bool = False,
                   options: TrainOptions | None = None) -> dict[str, Any]:
    """Metrics of a model (the bundled one by default) on labelled files."""
    options = options or TrainOptions()
    data = read_labelled(paths, options)
    model = load_model(model_path, trust=trust)
    probabilities = model.predict_proba(data[TEXT_COLUMN].tolist())
    return {"model": str(model.path), **metrics(data[LABEL_COLUMN].tolist(), probabilities.tolist())}
