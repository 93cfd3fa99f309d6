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
from pathlib import Path
from typing import Any, TextIO

from netral_cli import ingest as ingest_stage
from netral_cli.classifier import Model, TrainOptions, load_model, read_labelled
from netral_cli.errors import InputError, ModelError
from netral_cli.ingest import IngestOptions
from netral_cli.items import Item, Rejected, Skipped, new_item
from netral_cli.normalise import Normalised, normalise
from netral_cli.report import FORMATS
from netral_cli.resources import bundled_path
from netral_cli.rules.check import CheckResult, check
from netral_cli.rules.corpus import LabelledItem
from netral_cli.rules.corpus import diff as corpus_diff
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

    @property
    def records(self) -> list[dict[str, Any]]:
        return [s.to_record() for s in self.selected]

    @property
    def summary(self) -> str:
        return accounting_line(self.ingested)


def ingest_stats(result: IngestResult) -> dict[str, Any]:
    """``netral ingest --stats`` as data: counts per file, platform and kind, every rejected record and skipped file."""
    files: dict[str, dict[str, Any]] = {}
    for (source, platform, kind), count in sorted(result.counts().items()):
        entry = files.setdefault(source, {"source_file": source, "items": 0, "rejected": 0, "kinds": []})
        entry["items"] += count
        entry["kinds"].append({"platform": platform, "kind": kind, "items": count})
    for record in result.rejected:
        files.setdefault(record.source_file, {"source_file": record.source_file, "items": 0, "rejected": 0,
                                              "kinds": []})["rejected"] += 1
    return {
        "read": result.read,
        "items": len(result.items),
        "rejected": len(result.rejected),
        "skipped": len(result.skipped),
        "files": [files[name] for name in sorted(files)],
        "platforms": _tally(item.platform for item in result.items),
        "kinds": _tally(item.kind for item in result.items),
        "rejected_records": [record.to_dict() for record in result.rejected],
        "skipped_files": [record.to_dict() for record in result.skipped],
    }


def _tally(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return dict(sorted(counts.items()))


def stats_table(stats: dict[str, Any]) -> str:
    """The stats as plain-text tables a person reads in a terminal."""
    per_file = [(f["source_file"], k["platform"], k["kind"], k["items"]) for f in stats["files"] for k in f["kinds"]]
    per_file += [(f["source_file"], "", "(rejected)", f["rejected"]) for f in stats["files"] if f["rejected"]]
    per_file.sort(key=lambda row: (row[0], row[2] == "(rejected)", row[1], row[2]))
    sections = [
        _table(("file", "platform", "kind", "records"), per_file),
        _table(("platform", "items"), list(stats["platforms"].items())),
        _table(("kind", "items"), list(stats["kinds"].items())),
    ]
    rejected = [f"rejected records: {stats['rejected']}"] + [
        f"  {r['source_file']} {r['locator']}: {r['reason']}" + (f"\n      {r['excerpt']}" if r["excerpt"] else "")
        for r in stats["rejected_records"]]
    skipped = [f"skipped files: {stats['skipped']}"] + [
        f"  {s['source_file']}: {s['reason']}" for s in stats["skipped_files"]]
    return "\n\n".join([*sections, "\n".join(rejected), "\n".join(skipped)]) + "\n"


def _table(headers: tuple[str, ...], rows: Sequence[tuple[Any, ...]]) -> str:
    """Columns padded to their widest cell; numbers right-aligned."""
    cells = [tuple(str(c) for c in headers)] + [tuple(str(c) for c in row) for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    numeric = [all(isinstance(row[i], int) for row in rows) and bool(rows) for i in range(len(headers))]
    lines = ["  ".join(c.rjust(w) if n else c.ljust(w) for c, w, n in zip(row, widths, numeric)).rstrip()
             for row in cells]
    return "\n".join(lines)


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
    return ScanResult(scored, selected, ingested)


def score_items(items: Sequence[Item], ruleset: RuleSet, model: Model,
                on_progress: Progress | None = None) -> Iterator[Scored]:
    """Rules per item, the classifier per batch; yields one Scored per item, in input order."""
    rules = ruleset.active
    for start in range(0, len(items), BATCH):
        if on_progress:
            on_progress(start, len(items))
        batch = items[start:start + BATCH]
        docs = [docs_for({"text": i.text, "target": i.target, "group": i.group}) for i in batch]
        model_inputs = [_model_input(d) for d in docs]
        probabilities = model.predict_proba(model_inputs)
        for item, item_docs, probability in zip(batch, docs, probabilities):
            yield score_item(item, evaluate(rules, item.kind, item_docs), float(probability))
    if on_progress:
        on_progress(len(items), len(items))


def _model_input(docs: dict[str, Any]) -> Normalised:
    """The classifier reads the item's text, or for a like or follow without text its target."""
    for name in ("text", "target", "group"):
        if name in docs:
            return docs[name].normalised
    return normalise("")


def explain(text: str, rules: str | Path | None = None, model: str | Path | None = None,
            trust_model: bool = False, kind: str = "post", target: str | None = None) -> dict[str, Any]:
    """Normalisation, every rule hit with its spans, model probability and top features for one text."""
    ruleset = load_ruleset(rules)
    loaded = load_model(model, trust=trust_model)
    docs = docs_for({"text": text, "target": target})
    normalised = _model_input(docs)
    hits = evaluate(ruleset.active, kind, docs)
    probability = float(loaded.predict_proba([normalised])[0])
    item = new_item(platform="explain", kind=kind, text=text, target=target,
                                         source_file="-", locator="-")
    scored = score_item(item, hits, probability)
    return {
        "text": text,
        "normalised": normalised.text,
        "stems": normalised.stem_text,
        "hashtags": list(normalised.hashtags),
        "rules": [{"rule": h.rule.id, "title": h.rule.title, "skb": h.rule.skb_items("unknown"),
                   "severity": h.rule.severity, "evidence": [e.to_dict() for e in h.evidence]} for h in hits],
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


def rules_dir(path: str | Path | None) -> Path:
    return Path(path) if path is not None else bundled_path("rules")


def check_rules(path: str | Path | None = None, validate: bool = True, examples: bool = True,
                corpus: str | Path | None = None) -> CheckResult:
    """Schema, validators and examples of a rule folder; with ``corpus``, false-positive budgets too."""
    items = read_corpus(corpus) if corpus is not None else None
    return check(rules_dir(path), validate=validate, examples=examples, corpus=items)


def diff_rules(old: str | Path, new: str | Path, corpus: str | Path) -> dict[str, Any]:
    """Corpus items whose verdict (matched by any rule or not) differs between two rule folders."""
    items = read_corpus(corpus)
    return corpus_diff(load_ruleset(old).active, load_ruleset(new).active, items)


def read_corpus(path: str | Path) -> list[LabelledItem]:
    """A labelled CSV/JSONL file or folder (``text``, ``label`` 0/1; optional ``kind``, ``target``, ``group``),
    read by the classifier's training-data reader."""
    try:
        frame = read_labelled([path], TrainOptions())
    except ModelError as exc:
        raise InputError(exc.message, exc.location, exc.hint) from exc
    rows = frame.groupby("source").cumcount() + 1
    return [LabelledItem(text=str(record["text"]), label=int(record["label"]), where=f"{record['source']}:{row}",
                         kind=_text_or(record.get("kind"), "post"), target=_text_or(record.get("target"), None),
                         group=_text_or(record.get("group"), None))
            for record, row in zip(frame.to_dict("records"), rows)]


def _text_or(value: Any, default: str | None) -> str | None:
    return value if isinstance(value, str) and value else default
