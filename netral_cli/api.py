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
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from netral_cli import ingest as ingest_stage
from netral_cli.classifier import Model, load_model
from netral_cli.ingest import IngestOptions
from netral_cli.items import Item, Rejected, Skipped, new_item
from netral_cli.normalise import Normalised, normalise
from netral_cli.report import FORMATS
from netral_cli.resources import bundled_path
from netral_cli.rules.context import Context, bind_rules, docs_in_situation, load_context, situate
from netral_cli.rules.engine import RuleSet, docs_for, evaluate, load_rules
from netral_cli.score import Scored, at_least, rank, score_item

BATCH = 2000
Progress = Callable[[int, int], None]  # (items scored so far, items in all)


@dataclass(frozen=True)
class ScanOptions:
    """Everything ``netral scan`` can be told. ``rules``/``model`` default to the bundled ones;
    ``context`` is an election context (a file or a loaded :class:`Context`): stage, context flags,
    quiet period; none by default."""

    rules: str | Path | None = None
    model: str | Path | None = None
    context: str | Path | Context | None = None
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


def election_context(context: str | Path | Context | None) -> Context | None:
    """A context given as a file is loaded (and validated); a loaded one is used as it is."""
    return load_context(context) if isinstance(context, (str, Path)) else context


def scan(inputs: Iterable[str | Path], options: ScanOptions | None = None,
         on_progress: Progress | None = None) -> ScanResult:
    """Ingest, normalise, run rules and classifier, score and rank."""
    options = options or ScanOptions()
    ruleset = load_ruleset(options.rules)
    context = election_context(options.context)
    model = load_model(options.model, trust=options.trust_model)
    ingested = ingest(inputs, options.ingest)
    scored = rank(score_items(ingested.items, ruleset, model, on_progress, context))
    selected = [s for s in scored if options.include_all or at_least(s.level, options.min_level)]
    if options.top is not None:
        selected = selected[: options.top]
    return ScanResult(scored, selected, ingested)


def score_items(items: Sequence[Item], ruleset: RuleSet, model: Model,
                on_progress: Progress | None = None, context: Context | None = None) -> Iterator[Scored]:
    """Rules per item, the classifier per batch; yields one Scored per item, in input order."""
    rules = bind_rules(ruleset.active, context)
    for start in range(0, len(items), BATCH):
        if on_progress:
            on_progress(start, len(items))
        batch = items[start:start + BATCH]
        docs = [docs_for({"text": i.text, "target": i.target, "group": i.group}) for i in batch]
        model_inputs = [_model_input(d) for d in docs]
        probabilities = model.predict_proba(model_inputs)
        for item, item_docs, probability in zip(batch, docs, probabilities):
            situation = situate(context, item.timestamp)
            hits = evaluate(rules, item.kind, docs_in_situation(item_docs, situation))
            yield score_item(item, hits, float(probability), situation.stage, situation.quiet)
    if on_progress:
        on_progress(len(items), len(items))


def _model_input(docs: dict[str, Any]) -> Normalised:
    """The classifier reads the item's text, or for a like or follow without text its target."""
    for name in ("text", "target", "group"):
        if name in docs:
            return docs[name].normalised
    return normalise("")


def explain(text: str, rules: str | Path | None = None, model: str | Path | None = None,
            trust_model: bool = False, kind: str = "post", target: str | None = None,
            context: str | Path | Context | None = None, timestamp: datetime | None = None,
            group: str | None = None) -> dict[str, Any]:
    """Normalisation, every rule hit with its spans, model probability and top features for one text;
    with a context (and a timestamp) also its stage and whether it falls in the quiet period."""
    ruleset = load_ruleset(rules)
    election = election_context(context)
    loaded = load_model(model, trust=trust_model)
    docs = docs_for({"text": text, "target": target, "group": group})
    normalised = _model_input(docs)
    situation = situate(election, timestamp)
    hits = evaluate(bind_rules(ruleset.active, election), kind, docs_in_situation(docs, situation))
    probability = float(loaded.predict_proba([normalised])[0])
    item = new_item(platform="explain", kind=kind, text=text, target=target, group=group, timestamp=timestamp,
                    source_file="-", locator="-")
    scored = score_item(item, hits, probability, situation.stage, situation.quiet)
    return {
        "text": text,
        "normalised": normalised.text,
        "stems": normalised.stem_text,
        "hashtags": list(normalised.hashtags),
        "stage": situation.stage,
        "quiet_period": situation.quiet,
        "rules": [{"rule": h.rule.id, "title": h.rule.title, "skb": h.rule.skb_items(situation.stage),
                   "severity": h.rule.severity,
                   "evidence": [{**e.to_dict(), **({"note": e.note} if e.note else {})} for e in h.evidence]}
                  for h in hits],
        "model_score": round(probability, 4),
        "top_features": loaded.top_features(normalised),
        "score": round(scored.score, 4),
        "level": scored.level,
    }


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
