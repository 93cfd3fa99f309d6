"""The library API: one function per command. ``cli.py`` only parses options and calls these.

    from netral_cli import scan, ScanOptions
    result = scan(["export.zip"], ScanOptions())
    for record in result.records: ...
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from netral_cli import ingest as ingest_stage
from netral_cli import classifier
from netral_cli.classifier import Model, TrainOptions, load_model
from netral_cli.ingest import IngestOptions
from netral_cli.items import Item, Rejected, Skipped, new_item
from netral_cli.normalise import Normalised, normalise
from netral_cli.report import FORMATS, plots
from netral_cli.resources import bundled_path
from netral_cli.rules.engine import RuleSet, docs_for, evaluate, load_rules
from netral_cli.score import Scored, at_least, rank, score_item

BATCH = 2000
Progress = Callable[[int, int], None]  # (items scored so far, items in all)


@dataclass(frozen=True)
class ScanOptions:
    """Everything ``netral scan`` can be told. ``rules``/``model`` default to the bundled ones."""

    rules: str | Path | None = None
    model: str | Path | None = None
    trust_model: bool = False
    ingest: IngestOptions = field(default_factory=IngestOptions)
    include_all: bool = False
    min_level: str = "low"
    top: int | None = None


@dataclass(frozen=True)
class IngestResult:
    items: list[Item]
    rejected: list[Rejected]
    skipped: list[Skipped]

    @property
    def read(self) -> int:
        return len(self.items) + len(self.rejected)

    def counts(self) -> dict[tuple[str, str, str], int]:
        """Items per (source file, platform, kind)."""
        table: dict[tuple[str, str, str], int] = {}
        for item in self.items:
            key = (item.source_file, item.platform, item.kind)
            table[key] = table.get(key, 0) + 1
        return table


@dataclass(frozen=True)
class ScanResult:
    scored: list[Scored]
    selected: list[Scored]
    ingested: IngestResult
    threshold: float = 0.5  # the model's decision threshold (from its card)

    @property
    def records(self) -> list[dict[str, Any]]:
        return [s.to_record() for s in self.selected]

    @property
    def summary(self) -> str:
        return accounting_line(self.ingested)


def accounting_line(result: IngestResult) -> str:
    return f"read {result.read}, scored {len(result.items)}, rejected {len(result.rejected)}"


def ingest(inputs: Iterable[str | Path], options: IngestOptions | None = None) -> IngestResult:
    """Parse inputs into items; every record read is an item or a rejected record."""
    items: list[Item] = []
    rejected: list[Rejected] = []
    skipped: list[Skipped] = []
    for record in ingest_stage.read(inputs, options):
        {Item: items, Rejected: rejected, Skipped: skipped}[type(record)].append(record)  # type: ignore[index]
    return IngestResult(items, rejected, skipped)


def load_ruleset(path: str | Path | None) -> RuleSet:
    return load_rules(path if path is not None else bundled_path("rules")).require_valid()


def scan(inputs: Iterable[str | Path], options: ScanOptions | None = None,
         on_progress: Progress | None = None) -> ScanResult:
    """Ingest, normalise, run rules and classifier, score and rank."""
    options = options or ScanOptions()
    ruleset = load_ruleset(options.rules)
    model = load_model(options.model, trust=options.trust_model)
    ingested = ingest(inputs, options.ingest)
    scored = rank(score_items(ingested.items, ruleset, model, on_progress))
    selected = [s for s in scored if options.include_all or at_least(s.level, options.min_level)]
    if options.top is not None:
        selected = selected[: options.top]
    return ScanResult(scored, with_explanations(selected, model), ingested, model.threshold)


def score_items(items: Sequence[Item], ruleset: RuleSet, model: Model,
                on_progress: Progress | None = None) -> Iterator[Scored]:
    """Rules per item, the classifier per batch; yields one Scored per item, in input order."""
    rules = ruleset.active
    for start in range(0, len(items), BATCH):
        if on_progress:
            on_progress(start, len(items))
        batch = items[start:start + BATCH]
        docs = [_item_docs(i) for i in batch]
        model_inputs = [_model_input(d) for d in docs]
        probabilities = model.predict_proba(model_inputs)
        for item, item_docs, probability in zip(batch, docs, probabilities):
            yield score_item(item, evaluate(rules, item.kind, item_docs), float(probability))
    if on_progress:
        on_progress(len(items), len(items))


def with_explanations(scored: Sequence[Scored], model: Model) -> list[Scored]:
    """Attach the model's explanation to each reported item, a batch at a time (one sparse product)."""
    explained: list[Scored] = []
    for start in range(0, len(scored), BATCH):
        batch = scored[start:start + BATCH]
        explanations = model.explain([_model_input(_item_docs(s.item)) for s in batch])
        explained += [replace(s, explanation=e) for s, e in zip(batch, explanations)]
    return explained


def uncertain_rows(result: ScanResult, count: int) -> list[dict[str, Any]]:
    """The ``count`` items the model is least sure of (probability closest to its threshold) as
    training rows with ``label`` and ``skb`` left empty: label them, then feed them to ``train``."""
    candidates = [s for s in result.scored if _model_text(s.item)]
    closest = sorted(candidates, key=lambda s: (abs(s.model_score - result.threshold), s.item.item_id))[:count]
    return [{"text": _model_text(s.item), "label": None, "skb": "", "kind": s.item.kind,
             "platform": s.item.platform, "item_id": s.item.item_id, "source_file": s.item.source_file,
             "locator": s.item.locator, "model_score": round(s.model_score, 4)} for s in closest]


def _model_text(item: Item) -> str:
    """The text the classifier reads: the item's own, or for a like or follow without text its target."""
    return item.text or item.target or item.group or ""


def _item_docs(item: Item) -> dict[str, Any]:
    return docs_for({"text": item.text, "target": item.target, "group": item.group})


def _model_input(docs: dict[str, Any]) -> Normalised:
    """The classifier reads the item's text, or for a like or follow without text its target."""
    for name in ("text", "target", "group"):
        if name in docs:
            return docs[name].normalised
    return normalise("")


def explain(text: str, rules: str | Path | None = None, model: str | Path | None = None,
            trust_model: bool = False, kind: str = "post", target: str | None = None,
            features: int = 8) -> dict[str, Any]:
    """Normalisation, every rule hit with its spans, model probability, SKB guess and the n-grams
    that pushed the probability up and down (``features`` of each) for one text."""
    ruleset = load_ruleset(rules)
    loaded = load_model(model, trust=trust_model)
    docs = docs_for({"text": text, "target": target})
    normalised = _model_input(docs)
    hits = evaluate(ruleset.active, kind, docs)
    explanation = loaded.explain([normalised])[0]
    item = new_item(platform="explain", kind=kind, text=text, target=target, source_file="-", locator="-")
    scored = score_item(item, hits, explanation.probability)
    return {
        "text": text,
        "normalised": normalised.text,
        "stems": normalised.stem_text,
        "hashtags": list(normalised.hashtags),
        "rules": [{"rule": h.rule.id, "title": h.rule.title, "skb": h.rule.skb_items("unknown"),
                   "severity": h.rule.severity, "evidence": [e.to_dict() for e in h.evidence]} for h in hits],
        "model_score": round(explanation.probability, 4),
        "threshold": round(loaded.threshold, 4),
        "skb_guess": explanation.skb_guess,
        "features": {"for": [c.to_dict() for c in explanation.pushing_up(features)],
                     "against": [c.to_dict() for c in explanation.pushing_down(features)]},
        "intercept": round(explanation.intercept, 4),
        "logit": round(explanation.logit, 4),
        "score": round(scored.score, 4),
        "level": scored.level,
    }


@dataclass(frozen=True)
class EvaluateResult:
    metrics: dict[str, Any]
    plots: list[Path]
    plots_skipped: str = ""  # why no plots were drawn, when some were asked for


def evaluate_model(data: Iterable[str | Path], model: str | Path | None = None, trust_model: bool = False,
             options: TrainOptions | None = None, plots_dir: str | Path | None = None) -> EvaluateResult:
    """Metrics of a model on labelled files; PNG plots into ``plots_dir`` when matplotlib is installed."""
    evaluation = classifier.evaluate(data, model, trust_model, options)
    if plots_dir is None:
        return EvaluateResult(evaluation.metrics, [])
    try:
        written = plots.write_plots(evaluation.labels, evaluation.probabilities, evaluation.threshold,
                                    Path(plots_dir))
    except plots.PlotsUnavailable as exc:
        return EvaluateResult(evaluation.metrics, [], str(exc))
    return EvaluateResult(evaluation.metrics, written)


def write_report(records: Sequence[dict[str, Any]], output: str, fmt: str, stdout: TextIO) -> None:
    """Write records in ``fmt``; a file appears only complete (temporary file, then rename)."""
    writer = FORMATS[fmt]
    if output == "-":
        writer(records, stdout)
        return
    with atomic_text_file(Path(output)) as handle:
        writer(records, handle)


@contextmanager
def atomic_text_file(path: Path) -> Iterator[TextIO]:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
