"""The library API: one function per command. ``cli.py`` only parses options and calls these.

    from netral_cli import scan, ScanOptions
    result = scan(["export.zip"], ScanOptions())
    for record in result.records: ...
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from operator import itemgetter
from pathlib import Path
from typing import Any, TextIO

from netral_cli import classifier, engines
from netral_cli import ingest as ingest_stage
from netral_cli.classifier import TrainOptions, load_model, read_labelled
from netral_cli.engines import CHUNK, ENGINES, POOL_CHUNK, Piece, Scorer, Selecting, chunked, model_input, situated_docs
from netral_cli.errors import InputError, Location, ModelError, OutputError, RuleError
from netral_cli.ingest import IngestOptions
from netral_cli.ingest.sources import STDIN
from netral_cli.items import Item, Rejected, Skipped, new_item
from netral_cli import __version__
from netral_cli.report import FORMATS, Report, ReportMeta, plots
from netral_cli.report.evidence import dates, with_dates
from netral_cli.report.i18n import words
from netral_cli.report.pseudonym import Pseudonymiser
from netral_cli.resources import bundled_path
from netral_cli.rules.check import CheckResult, check
from netral_cli.rules import conditions
from netral_cli.rules.context import Context, bind_rules, load_context
from netral_cli.rules.corpus import LabelledItem
from netral_cli.rules.corpus import diff as corpus_diff
from netral_cli.rules.engine import RuleSet, evaluate, load_rules
from netral_cli.rules.rule import Rule
from netral_cli.score import LEVELS, at_least, score_item
from netral_cli.selection import Best, Selection, Spool, ranked_lines, ranked_records
from netral_cli.system import atomic_file, printable

Progress = Callable[[int, "int | None"], None]  # (items scored so far, items in all or None while streaming)
PSEUDONYM_KEY_VARIABLE = "NETRAL_PSEUDONYM_KEY"
STDOUT = "-"


@dataclass(frozen=True)
class ScanOptions:
    """Everything ``netral scan`` can be told. ``rules``/``model`` default to the bundled ones;
    ``context`` is an election context (a file or a loaded :class:`Context`): stage, context flags,
    quiet period; none by default. ``uncertain``: also keep the N items closest to the model's threshold.
    ``workers`` > 1 scores chunks in that many processes (None: one per core when the inputs are large,
    see :func:`default_workers`); ``engine="dask"`` on a dask.distributed cluster (``scheduler`` address,
    else a local one). ``lang``: of the report and the reasons in words.
    ``found_on``: the day the findings count as found (default today). ``pseudonymize``: names, handles
    and phone numbers as keyed hashes, under ``pseudonym_key`` (default: ``$NETRAL_PSEUDONYM_KEY``)."""

    rules: str | Path | None = None
    model: str | Path | None = None
    context: str | Path | Context | None = None
    trust_model: bool = False
    ingest: IngestOptions = field(default_factory=IngestOptions)
    include_all: bool = False
    min_level: str = "low"
    top: int | None = None
    uncertain: int = 0
    workers: int | None = None
    engine: str = "local"
    scheduler: str | None = None
    chunk_size: int | None = None  # records per chunk; by default CHUNK in one process, POOL_CHUNK in several
    lang: str = "id"
    found_on: date | None = None
    pseudonymize: bool = False
    pseudonym_key: str | None = None


@dataclass
class IngestResult:
    """What ingest read: the items (unless they were handed on as read, see :func:`ingest_stream`), their count
    per (source file, platform, kind), every rejected record and skipped file."""

    items: list[Item] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    tally: dict[tuple[str, str, str], int] = field(default_factory=dict)

    @property
    def item_count(self) -> int:
        return sum(self.tally.values())

    @property
    def read(self) -> int:
        return self.item_count + len(self.rejected)

    def counts(self) -> dict[tuple[str, str, str], int]:
        """Items per (source file, platform, kind)."""
        return dict(self.tally)

    def take(self, records: Iterable[Item | Rejected | Skipped]) -> Iterator[Item]:
        """The items among ``records``, counted as they pass; rejected records and skipped files are kept."""
        for record in records:
            if isinstance(record, Item):
                key = (record.source_file, record.platform, record.kind)
                self.tally[key] = self.tally.get(key, 0) + 1
                yield record
            elif isinstance(record, Rejected):
                self.rejected.append(record)
            else:
                self.skipped.append(record)


@dataclass
class ScanResult:
    """What a scan keeps: the selected records (ranked; on disk when there are many), the count of
    items per level, every rejected record and skipped file, and the ``uncertain`` rows asked for.
    ``records`` reads the selection again at each use (pseudonymised with a ``pseudonymiser``; the rest
    already is); :meth:`close` (or ``with``) frees its spool."""

    selection: Selection
    levels: dict[str, int]
    rejected: list[Rejected]
    skipped: list[Skipped]
    uncertain: list[dict[str, Any]]
    threshold: float = 0.5  # the model's decision threshold (from its card)
    meta: ReportMeta = field(default_factory=ReportMeta)
    pseudonymiser: Pseudonymiser | None = None
    # rules switched off during the scan (a regex past its time limit): the results lack them from there on
    rule_problems: list[RuleError] = field(default_factory=list)

    @property
    def records(self) -> Iterator[dict[str, Any]]:
        records = ranked_records(self.selection)
        return records if self.pseudonymiser is None else map(self.pseudonymiser.record, records)

    @property
    def reported(self) -> int:
        return len(self.selection)

    @property
    def scored(self) -> int:
        return sum(self.levels.values())

    @property
    def read(self) -> int:
        return self.scored + len(self.rejected)

    @property
    def summary(self) -> str:
        return f"read {self.read}, scored {self.scored}, rejected {len(self.rejected)}"

    def report(self) -> Report:
        """Everything a report writer needs: the records (read anew at each call) with the report-stage fields
        (``found_on``, ``report_by``, ``days_left``), counts and provenance."""
        lines = None if self.pseudonymiser else lambda: ranked_lines(self.selection, dates(self.meta))
        return Report(lambda: (with_dates(record, self.meta) for record in self.records), self.levels,
                      self.rejected, self.skipped, self.meta, lines)

    def reached(self, level: str) -> bool:
        """Whether any item scored ``level`` or above."""
        return any(count and at_least(name, level) for name, count in self.levels.items())

    def close(self) -> None:
        self.selection.close()

    def __enter__(self) -> "ScanResult":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
        "items": result.item_count,
        "rejected": len(result.rejected),
        "skipped": len(result.skipped),
        "files": [files[name] for name in sorted(files)],
        "platforms": _tally(result.tally, itemgetter(1)),
        "kinds": _tally(result.tally, itemgetter(2)),
        "rejected_records": [record.to_dict() for record in result.rejected],
        "skipped_files": [record.to_dict() for record in result.skipped],
    }


def _tally(tally: dict[tuple[str, str, str], int], part: Callable[[tuple[str, str, str]], str]) -> dict[str, int]:
    """Item counts per ``part`` of the (source file, platform, kind) keys."""
    counts: dict[str, int] = {}
    for key, count in tally.items():
        name = part(key)
        counts[name] = counts.get(name, 0) + count
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
    return f"read {result.read}, scored {result.item_count}, rejected {len(result.rejected)}"


def ingest(inputs: Iterable[str | Path], options: IngestOptions | None = None) -> IngestResult:
    """Parse inputs into items; every record read is an item or a rejected record."""
    result, items = ingest_stream(inputs, options)
    result.items.extend(items)
    return result


def ingest_stream(inputs: Iterable[str | Path],
                  options: IngestOptions | None = None) -> tuple[IngestResult, Iterator[Item]]:
    """Like :func:`ingest`, without keeping the items: the iterator yields them as they are read, so memory does
    not grow with the input. The result counts them (its ``items`` stays empty) and is complete once the iterator
    is exhausted."""
    result = IngestResult()
    return result, result.take(ingest_stage.read(inputs, options))


def load_ruleset(path: str | Path | None) -> RuleSet:
    return load_rules(path if path is not None else bundled_path("rules")).require_valid()


def election_context(context: str | Path | Context | None) -> Context | None:
    """A context given as a file is loaded (and validated); a loaded one is used as it is."""
    return load_context(context) if isinstance(context, (str, Path)) else context


def scan(inputs: Iterable[str | Path], options: ScanOptions | None = None,
         on_progress: Progress | None = None) -> ScanResult:
    """Ingest, normalise, run rules and classifier, score and rank, streaming: items are read and scored
    a chunk at a time and only what the report needs is kept (see :mod:`netral_cli.engines`)."""
    options = options or ScanOptions()
    words(options.lang)  # an unknown language fails before the scan, not after it
    key = pseudonym_key(options)
    inputs = [str(path) for path in inputs]
    if options.engine not in ENGINES:
        raise InputError(f"unknown engine {options.engine!r}; choose from {', '.join(ENGINES)}")
    workers = options.workers or default_workers(inputs)
    scored_here = options.engine == "local" and workers == 1
    # One process scoring here: stem each chunk's new words on every core first (Sastrawi is the slowest step).
    stem_workers = (os.cpu_count() or 1) if scored_here else 1
    model = load_model(options.model, trust=options.trust_model)
    context = election_context(options.context)
    meta = report_meta(inputs, options, model, context)
    rules = load_ruleset(options.rules).active
    scorer = Scorer(rules, model, context,
                    Selecting(options.include_all, options.min_level, options.top, options.uncertain, key is not None),
                    stem_workers,
                    options.lang)
    rejected: list[Rejected] = []
    skipped: list[Skipped] = []
    pieces = _without_skipped(ingest_stage.read_deferred(inputs, options.ingest), skipped)
    selection: Selection = Best(options.top) if options.top is not None else Spool()
    uncertain = Best(options.uncertain)
    levels = {name: 0 for name, _ in LEVELS}
    people: set[tuple[str | None, str | None]] = set()
    timed_out: dict[str, str] = {}
    done = 0
    chunk_size = options.chunk_size or (CHUNK if scored_here else POOL_CHUNK)
    chunks = engines.run(scorer, chunked(pieces, chunk_size), options.engine, workers, options.scheduler)
    try:
        for chunk in chunks:
            selection.add(chunk.reported)
            uncertain.add(chunk.uncertain)
            for name, count in chunk.levels.items():
                levels[name] += count
            people |= chunk.people
            rejected += chunk.rejected
            timed_out = {**chunk.timed_out, **timed_out}  # the first item in input order
            done += chunk.items
            if on_progress:
                on_progress(done, None)
    except BaseException:
        chunks.close()  # now, not when the traceback is dropped: worker processes stop with the scan
        selection.close()
        raise
    if on_progress:
        on_progress(done, done)
    pseudonymiser = Pseudonymiser(key, people, public_handles(context)) if key else None
    result = ScanResult(selection, levels, rejected, skipped, [json.loads(line) for line in uncertain.lines()],
                        model.threshold, meta,
                        rule_problems=switched_off(rules, timed_out, pseudonymiser))
    return pseudonymised(result, pseudonymiser) if pseudonymiser else result


def switched_off(rules: Sequence[Rule], timed_out: dict[str, str],
                 pseudonymiser: Pseudonymiser | None) -> list[RuleError]:
    """One error per rule whose regex ran past its time limit, at the rule's file and line, naming the item
    (file and locator, no text) after which the scan went on without it."""
    problems = []
    for rule in rules:
        if rule.id in timed_out:
            where = timed_out[rule.id] if pseudonymiser is None else pseudonymiser.text(timed_out[rule.id], False)
            problems.append(RuleError(
                f"rule {rule.id}: a regex ran longer than {conditions.REGEX_TIMEOUT:g} s on the item at {where}; the rule was "
                "switched off from there on, so the report lacks its hits (rewrite the regex)", rule.location))
    return problems


def pseudonym_key(options: ScanOptions) -> str | None:
    """The key of ``--pseudonymize`` (the option, else ``$NETRAL_PSEUDONYM_KEY``); None without pseudonymisation."""
    if not options.pseudonymize:
        return None
    key = options.pseudonym_key or os.environ.get(PSEUDONYM_KEY_VARIABLE)
    if not key:
        raise InputError(f"--pseudonymize needs a key: give --pseudonym-key KEY or set {PSEUDONYM_KEY_VARIABLE} "
                         "(keep it: the same key gives the same pseudonyms)")
    return key


def public_handles(context: Context | None) -> list[str]:
    """The handles of the context's campaign accounts: public, and the evidence, so never pseudonymised."""
    return [key for account in context.accounts for key in sorted(account.keys) if key.startswith("@")] \
        if context else []


def pseudonymised(result: ScanResult, pseudonymiser: Pseudonymiser) -> ScanResult:
    """The scan's result with every name, handle and phone number pseudonymised (records as they are read)."""
    inputs = tuple(pseudonymiser.text(path, mentions=False) for path in result.meta.inputs)
    meta = replace(result.meta, pseudonymized=True, inputs=inputs)
    return replace(result, rejected=[pseudonymiser.rejected(r) for r in result.rejected],
                   skipped=[pseudonymiser.skipped(s) for s in result.skipped],
                   uncertain=[pseudonymiser.row(row) for row in result.uncertain], meta=meta,
                   pseudonymiser=pseudonymiser)


def report_meta(inputs: Sequence[str], options: ScanOptions, model: classifier.Model,
                context: Context | None) -> ReportMeta:
    """Where a scan's report comes from; the clock is ``SOURCE_DATE_EPOCH`` when set (reproducible reports).
    A ``found_on`` after today is refused."""
    now = report_clock()
    found_on = options.found_on or now.date()
    if found_on > now.date():
        raise InputError(f"--found-on {found_on.isoformat()} is after today ({now.date().isoformat()})")
    return ReportMeta(lang=options.lang, generated=now, found_on=found_on, today=now.date(), inputs=tuple(map(printable, inputs)),
                      rules=str(rules_dir(options.rules)), model=model_label(model),
                      context=context.name if context else "", threshold=model.threshold, version=__version__)


def report_clock() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc)
    return datetime.now().astimezone().replace(microsecond=0)


def model_label(model: classifier.Model) -> str:
    """``netral-default (sha256 1a2b3c4d5e6f)``; a trusted model without a card shows its file name."""
    digest = model.card.get("model_sha256")
    name = model.card.get("name") or model.path.stem
    return f"{name} (sha256 {digest[:12]})" if digest else name


# Bytes of input (about 2,900 items of the benchmark corpus) from which more processes pay for starting: measured on
# 2 cores, cold and warm stems, JSONL and CSV, one process was as fast at 1,000-2,000 items and 10-15 % slower from
# 4,000 on (10k items: 4.2-4.6 s against 3.6 s).
LARGE_INPUT = 1024 * 1024


def default_workers(inputs: Iterable[str | Path]) -> int:
    """One scoring process per core when the inputs hold at least :data:`LARGE_INPUT` bytes, else one."""
    cores = os.cpu_count() or 1
    return cores if cores > 1 and input_bytes(inputs) >= LARGE_INPUT else 1


def input_bytes(inputs: Iterable[str | Path]) -> int:
    """The size of the input files (a folder's files counted; standard input, missing and unreadable paths
    count 0: reading them says what is wrong)."""
    total = 0
    for path in map(Path, inputs):
        try:
            files = path.rglob("*") if path.is_dir() else [path]
            total += sum(p.stat().st_size for p in files if p.is_file())
        except OSError:
            continue
    return total


def _without_skipped(records: Iterable[Piece | Skipped], skipped: list[Skipped]) -> Iterator[Piece]:
    """The records and line batches of an ingest stream; skipped files are set aside as they pass."""
    for record in records:
        if isinstance(record, Skipped):
            skipped.append(record)
        else:
            yield record


def explain(text: str, rules: str | Path | None = None, model: str | Path | None = None,
            trust_model: bool = False, kind: str = "post", target: str | None = None,
            context: str | Path | Context | None = None, timestamp: datetime | None = None,
            group: str | None = None, features: int = 8) -> dict[str, Any]:
    """Normalisation, every rule hit with its spans, model probability, SKB guess and the n-grams
    that pushed the probability up and down (``features`` of each) for one text; with a context (and a
    timestamp) also its stage and whether it falls in the quiet period."""
    ruleset = load_ruleset(rules)
    election = election_context(context)
    loaded = load_model(model, trust=trust_model)
    item = new_item(platform="explain", kind=kind, text=text, target=target, group=group, timestamp=timestamp,
                    source_file="-", locator="-")
    situation, docs = situated_docs(item, election)
    hits = evaluate(bind_rules(ruleset.active, election), kind, docs)
    normalised = model_input(docs, kind)
    explanation = loaded.explain([normalised])[0]
    scored = score_item(item, hits, explanation.probability, situation.stage, situation.quiet)
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


def check_outputs(outputs: Sequence[str], inputs: Iterable[str | Path]) -> None:
    """Refuse, before anything is read, an output that cannot be written: a folder, a path under a file
    or in a folder this user cannot write to, an input (a file given or found in an input folder: the
    report would destroy it), or the same file given for two outputs. ``-`` is standard output."""
    files = [Path(output) for output in outputs if output != STDOUT]
    for index, path in enumerate(files):
        problem = output_problem(path, inputs)
        if problem is None and any(_same_path(path, other) for other in files[:index]):
            problem = "is given for two outputs"
        if problem:
            raise OutputError(problem, Location(str(path)))


def output_problem(path: Path, inputs: Iterable[str | Path]) -> str | None:
    """Why a report cannot be written at ``path`` (see :func:`check_outputs`), or None."""
    if path.is_dir():
        return "is a folder; give a file name for the output"
    folder = next(parent for parent in path.absolute().parents if parent.exists())
    if not folder.is_dir():
        return f"cannot create the output folder: {folder} is a file"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"cannot write to the folder {folder} (permission denied)"
    if path.exists() and any(_inside(path, Path(source)) for source in inputs if str(source) != STDIN):
        return "is one of the inputs; write the output to another file"
    return None


def _inside(path: Path, source: Path) -> bool:
    """Whether ``path`` is the input ``source`` or a file under the input folder ``source``."""
    real, top = Path(os.path.realpath(path)), Path(os.path.realpath(source))
    return real == top or top in real.parents


def _same_path(path: Path, other: Path) -> bool:
    return os.path.realpath(path) == os.path.realpath(other)


def write_report(report: Report, output: str, fmt: str, stdout: TextIO | None) -> None:
    """Write a report in ``fmt`` to a file or, with ``-``, to ``stdout``; a file appears only complete
    (see :func:`~netral_cli.system.atomic_file`). A write that fails is an :class:`OutputError`, but a
    reader that went away (``netral scan ... | head``) is left as the ``BrokenPipeError`` it is."""
    writer = FORMATS[fmt]
    try:
        if output != STDOUT:
            with atomic_file(Path(output), writer.binary) as handle:
                writer.write(report, handle)
            return
        if stdout is None:
            raise OutputError("standard output is closed; give -o FILE")
        stream = stdout.buffer if writer.binary else stdout
        writer.write(report, stream)
        stream.flush()  # a full disk behind standard output shows here, not silently at exit
    except BrokenPipeError:
        raise
    except OSError as exc:
        where = "standard output" if output == STDOUT else output
        raise OutputError(f"cannot write: {exc.strerror or exc}", Location(where)) from exc


def write_records(records: Iterable[dict[str, Any]], output: str, stdout: TextIO | None) -> None:
    """Plain records as JSONL, written as they come (``ingest``'s items, ``--export-uncertain``'s rows)."""
    write_report(Report(records=lambda: iter(records)), output, "jsonl", stdout)


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
