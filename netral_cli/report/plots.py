"""PNG plots of an evaluation (precision-recall curve, confusion matrix), drawn with matplotlib when
the optional ``plot`` extra is installed. matplotlib is imported only here, only when plots are asked for."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import average_precision_score, confusion_matrix, precision_recall_curve

from netral_cli.system import atomic_file

INSTALL_HINT = "pip install 'netral[plot]'"


class PlotsUnavailable(Exception):
    """matplotlib is not installed."""


def write_plots(labels: np.ndarray, probabilities: np.ndarray, threshold: float, directory: Path) -> list[Path]:
    """``precision_recall.png`` and ``confusion_matrix.png`` (at ``threshold``) in ``directory``."""
    try:
        import matplotlib
    except ImportError as exc:
        raise PlotsUnavailable(f"plots skipped: matplotlib is not installed ({INSTALL_HINT})") from exc
    matplotlib.use("Agg")  # files only, never a window
    import matplotlib.pyplot as plt

    directory.mkdir(parents=True, exist_ok=True)
    written = [_precision_recall(plt, labels, probabilities, threshold, directory / "precision_recall.png"),
               _confusion(plt, labels, probabilities, threshold, directory / "confusion_matrix.png")]
    plt.close("all")
    return written


def _precision_recall(plt, labels: np.ndarray, probabilities: np.ndarray, threshold: float, path: Path) -> Path:
    precision, recall, _ = precision_recall_curve(labels, probabilities)
    predicted = probabilities >= threshold
    true_positives = int((predicted & (labels == 1)).sum())
    figure, axes = plt.subplots(figsize=(5, 4.5))
    axes.step(recall, precision, where="post",
              label=f"PR-AUC {average_precision_score(labels, probabilities):.3f}")
    if predicted.any():
        axes.plot([true_positives / max(int(labels.sum()), 1)], [true_positives / int(predicted.sum())], "o",
                  label=f"threshold {threshold:.2f}")
    axes.set(xlabel="recall", ylabel="precision", xlim=(0, 1.02), ylim=(0, 1.02), title="Precision-recall")
    axes.legend(loc="lower left")
    _save(figure, path)
    return path


def _confusion(plt, labels: np.ndarray, probabilities: np.ndarray, threshold: float, path: Path) -> Path:
    matrix = confusion_matrix(labels, (probabilities >= threshold).astype(int), labels=[0, 1])
    figure, axes = plt.subplots(figsize=(4, 3.6))
    axes.imshow(matrix, cmap="Blues")
    for (row, column), value in np.ndenumerate(matrix):
        axes.text(column, row, str(value), ha="center", va="center",
                  color="white" if value > matrix.max() / 2 else "black")
    axes.set(xticks=[0, 1], yticks=[0, 1], xticklabels=["0", "1"], yticklabels=["0", "1"],
             xlabel="predicted", ylabel="true", title=f"Confusion matrix at {threshold:.2f}")
    _save(figure, path)
    return path


def _save(figure: Any, path: Path) -> None:
    with atomic_file(path, binary=True) as handle:
        figure.savefig(handle, format="png", dpi=120, bbox_inches="tight")
