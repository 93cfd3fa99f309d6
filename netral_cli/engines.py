"""Scoring a stream of items chunk by chunk, here, in a process pool or on a dask cluster.

A :class:`Scorer` holds what scoring needs (the rules compiled into one matcher, the election
context, the model) and turns a chunk of items into a :class:`ChunkResult`: only what the report
keeps (the chunk's selected records, already serialised in the report language, with the model's
explanation), the chunk's candidates for ``--export-uncertain``, its count per level and the people it
names (authors and accounts, for ``--pseudonymize``). Chunks are scored independently and
their results merged in input order, so every engine and any number of workers give the same report.
"""

from __future__ import annotations

import gc
import json
import signal
from collections import deque
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from netral_cli.classifier import Explanation, Features, Model
from netral_cli.errors import InputError, ScanAbortedError
from netral_cli.ingest import BATCHES, Batch, SpannedLines, parsed, whatsapp
from netral_cli.ingest.base import Record
from netral_cli.items import Item, Rejected
from netral_cli.normalise import STEMMED, Normalised, normalise, prime_stems, stem_store
from netral_cli.rules.conditions import FIELDS, Doc
from netral_cli.rules.context import Context, Situation, bind_rules, docs_in_situation, situate
from netral_cli.rules.engine import Hit, docs_for
from netral_cli.rules.matcher import RuleMatcher
from netral_cli.rules.rule import Rule
from netral_cli.score import LEVELS, Scored, at_least, combine, level_of, rank_key
from netral_cli.selection import Entry
from netral_cli.system import ignore_interrupts

INTERACTION_KINDS = frozenset({"reaction", "like", "favourite", "follow", "group_join", "share"})
EMPTY = normalise("")
CHUNK = 5000  # items per chunk: large enough to batch the model, small enough to bound memory
# With several scoring processes, smaller chunks: a chunk's data then stays in the processor's caches from one
# stage to the next (measured on 400k items: 3-5 % less CPU than 5,000). One process keeps 5,000, where
# a chunk's new words are stemmed on all cores at once and more of them pay for starting that pool.
POOL_CHUNK = 2000
ENGINES = ("local", "dask")
DASK_HINT = "install it with: pip install 'netral[dask]'"
# Scoring makes millions of small objects that live for a chunk while the caches (normalised words,
# stems, n-grams) keep hundreds of thousands more: with Python's default thresholds the cyclic
# collector spends about as long walking them as scoring takes. A large first-generation threshold
# keeps collections rare (measured: 46.6 s -> 29.3 s on 100k items, 26.4 s with no collection at all).
# It is above what a chunk allocates (about 40 objects an item), so that a collection walks mostly what
# outlives chunks rather than a chunk's own objects, two or three times a chunk (measured on 200k items,
# one process: 83 collections taking 3.9 s at 100,000, 34 taking 1.0 s at 1,000,000). Scoring makes
# next to no cyclic garbage (about 200 objects in those 200k items), so memory does not grow for it.
GC_THRESHOLD = (1_000_000, 50, 100)


@dataclass(frozen=True)
class Selecting:
    """Which scored items a chunk keeps: level >= ``min_level`` (every one with ``include_all``), at most
    ``top``; the ``uncertain`` items closest to the model's threshold; with ``people``, the (author,
    account) pairs of all its items (what ``--pseudonymize`` must replace)."""

    include_all: bool = False
    min_level: str = "low"
    top: int | None = None
    uncertain: int = 0
    people: bool = False


@dataclass
class ChunkResult:
    items: int
    reported: list[Entry]
    uncertain: list[Entry]
    levels: dict[str, int] = field(default_factory=dict)
    people: set[tuple[str | None, str | None]] = field(default_factory=set)  # (author, account) pairs
    # rules whose regex ran past its time limit -> the item it did so on ("source_file locator")
    timed_out: dict[str, str] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)  # the chunk's records that are not items, in order


Piece = Record | Batch  # what a chunk is made of: records, and JSONL lines that its scoring process parses


class Scorer:
    """Rules, context and model, loaded once (once per worker) and applied to chunk after chunk."""

    def __init__(self, rules: Iterable[Rule], model: Model, context: Context | None = None,
                 selecting: Selecting | None = None, stem_workers: int = 1, lang: str = "id"):
        self.matcher = RuleMatcher(bind_rules(rules, context))
        self.model = model
        self.context = context
        self.selecting = selecting or Selecting()
        self.lang = lang  # of the records' reasons in words
        self.stem_workers = stem_workers  # > 1: a chunk's new words are stemmed across that many processes first

    def score(self, items: Sequence[Item]) -> list[Scored]:
        """One Scored per item, in input order: rules per item, the classifier once for the chunk."""
        judged = self._judge(items)
        return [judged.scored(index) for index in range(len(items))]

    def _judge(self, items: Sequence[Item], timed_out: dict[str, str] | None = None) -> Judged:
        """The items' hits, probabilities, scores and levels, and the model's features of them (kept to explain the
        reported ones). A rule whose regex runs past its time limit is switched off; ``timed_out`` gets its id and
        the item's place."""
        if not items:
            return Judged(items, [], [], [], [], [], [], None)
        stems = stem_store()
        stems.refresh()  # the stems other scoring processes found since the last chunk: not stemmed again here
        fields = {kind: self.matcher.fields(kind).union(model_fields(kind)) for kind in {item.kind for item in items}}
        situated = [situated_docs(item, self.context, fields[item.kind]) for item in items]
        inputs = [model_input(docs, item.kind) for item, (_, docs) in zip(items, situated)]
        if self.stem_workers > 1:
            prime_stems((word for doc in inputs for word, kind in zip(doc.words, doc.kinds) if kind in STEMMED),
                        self.stem_workers)
        normalised, features = self.model.features(inputs)
        stems.flush()  # and this chunk's new stems for them
        # Nothing to read is no evidence: the model's intercept alone would put an empty item near its threshold.
        probabilities = np.where([bool(doc.words) for doc in inputs], self.model.probabilities(features), 0.0).tolist()
        situations = [situation for situation, _ in situated]
        docs_of = [docs for _, docs in situated]
        candidates = self.matcher.chunk_candidates(docs_of, features.tokens, inputs)
        hits = [tuple(self._hits(item, docs, timed_out, found)) for item, docs, found in zip(items, docs_of, candidates)]
        scores = list(map(combine, hits, probabilities, [situation.quiet for situation in situations]))
        return Judged(items, situations, hits, probabilities, scores, list(map(level_of, scores)), normalised,
                      features)

    def _hits(self, item: Item, docs: Mapping[str, Doc], timed_out: dict[str, str] | None,
              candidates: list[int]) -> list[Hit]:
        late: list[Rule] = []
        hits = self.matcher.evaluate(item.kind, docs, late, candidates)
        if timed_out is not None:
            timed_out.update((rule.id, f"{item.source_file} {item.locator}") for rule in late)
        return hits

    def __call__(self, pieces: Sequence[Piece]) -> ChunkResult:
        with rare_collections():
            records = list(parsed(pieces))
            result = self._result([record for record in records if isinstance(record, Item)])
            result.rejected = [record for record in records if isinstance(record, Rejected)]
            return result

    def _result(self, items: Sequence[Item]) -> ChunkResult:
        timed_out: dict[str, str] = {}
        judged = self._judge(items, timed_out)
        selecting = self.selecting
        chosen = [i for i, level in enumerate(judged.levels)
                  if selecting.include_all or at_least(level, selecting.min_level)]
        if selecting.top is not None:
            chosen = sorted(chosen, key=lambda i: (rank_key(judged.scores[i]), items[i].item_id))[:selecting.top]
        normalised = judged.normalised
        explanations = (self.model.explain_features([normalised[i] for i in chosen], judged.features.rows(chosen))
                        if chosen else [])
        reported = [(rank_key(s.score), s.item.item_id, json.dumps(s.to_record(self.lang), ensure_ascii=False))
                    for s in (judged.scored(i, e if normalised[i].words else None)
                              for i, e in zip(chosen, explanations))]
        people = people_of(items) if selecting.people else set()
        return ChunkResult(len(items), reported, self._uncertain(judged), _levels(judged.levels), people, timed_out)

    def _uncertain(self, judged: Judged) -> list[Entry]:
        count = self.selecting.uncertain
        if not count:
            return []
        threshold, items, probabilities = self.model.threshold, judged.items, judged.probabilities
        closest = sorted((i for i, item in enumerate(items) if model_text(item)),
                         key=lambda i: (abs(probabilities[i] - threshold), items[i].item_id))[:count]
        return [(abs(probabilities[i] - threshold), items[i].item_id,
                 json.dumps(uncertain_row(judged.scored(i)), ensure_ascii=False)) for i in closest]


@dataclass
class Judged:
    """A chunk's items judged (rule hits, the model's probability, score and level) before any :class:`Scored` is
    made: a report keeps a few of them, and making one for every item cost 1.5 % of a scan."""

    items: Sequence[Item]
    situations: list[Situation]
    hits: list[tuple[Hit, ...]]
    probabilities: list[float]
    scores: list[float]
    levels: list[str]
    normalised: list[Normalised]
    features: Features | None

    def scored(self, index: int, explanation: Explanation | None = None) -> Scored:
        situation = self.situations[index]
        return Scored(item=self.items[index], hits=self.hits[index], model_score=self.probabilities[index],
                      score=self.scores[index], level=self.levels[index], stage=situation.stage,
                      quiet=situation.quiet, explanation=explanation)


@contextmanager
def rare_collections() -> Iterator[None]:
    """The cyclic garbage collector at :data:`GC_THRESHOLD` inside the block, as it was after."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def people_of(items: Sequence[Item]) -> set[tuple[str | None, str | None]]:
    """The (author, account) pairs of the items, and as authors the people a chat names without their
    writing there: a system line's "Budi added Sari", and the name in ``WhatsApp Chat with Budi.txt`` unless
    the chunk shows the chat is a group (a group event, more than two writers)."""
    people = {(item.author, item.account) for item in items}
    chats: dict[str, set[str | None]] = {}
    groups = set()
    for item in items:
        if item.platform != whatsapp.PLATFORM:
            continue
        chats.setdefault(item.source_file, set()).add(item.author)
        event = item.extras.get("event") if item.kind == "system" else None
        if event is not None:
            people.update((name, None) for name in whatsapp.people_named(item.text, event))
            if event in whatsapp.GROUP_EVENTS:
                groups.add(item.source_file)
    for source_file, authors in chats.items():
        name = whatsapp.group_from_file_name(source_file)
        if name and source_file not in groups and len(authors - {None}) <= 2:
            people.add((name, None))
    return people


def _levels(levels: Iterable[str]) -> dict[str, int]:
    counts = {name: 0 for name, _ in LEVELS}
    for level in levels:
        counts[level] += 1
    return counts


def uncertain_row(scored: Scored) -> dict[str, Any]:
    """A training row with ``label`` and ``skb`` left empty: label it, then feed it to ``train``."""
    item = scored.item
    return {"text": model_text(item), "label": None, "skb": "", "kind": item.kind, "platform": item.platform,
            "item_id": item.item_id, "source_file": item.source_file, "locator": item.locator,
            "model_score": round(scored.model_score, 4)}


def situated_docs(item: Item, context: Context | None, fields: Collection[str] = FIELDS
                  ) -> tuple[Situation, Mapping[str, Doc]]:
    """The item's stage and quiet-period flag, and its ``fields`` as rules and the model see them at that time
    (before the number draw, number gestures are masked for both)."""
    situation = situate(context, item.timestamp)
    return situation, docs_in_situation(docs_for({name: getattr(item, name) for name in FIELDS if name in fields}),
                                        situation)


def model_fields(kind: str) -> tuple[str, ...]:
    """The fields the classifier reads, first non-empty one wins. A like, follow or join without text is
    judged by what it points at; a message without text (a photo, a deleted message) is not judged by
    its group's name, and a system line (joined, left, encryption notice) is nobody's speech."""
    if kind == "system":
        return ()
    return ("text", "target", "group") if kind in INTERACTION_KINDS else ("text",)


def model_text(item: Item) -> str:
    """The text the classifier reads (see :func:`model_fields`)."""
    fields = {"text": item.text, "target": item.target, "group": item.group}
    return next((fields[name] for name in model_fields(item.kind) if fields[name]), "")


def model_input(docs: Mapping[str, Doc], kind: str = "post") -> Normalised:
    """The normalised text the classifier reads (see :func:`model_fields`); empty when there is none."""
    for name in model_fields(kind):
        if name in docs:
            return docs[name].normalised
    return EMPTY


def chunked(pieces: Iterable[Piece], size: int = CHUNK) -> Iterator[list[Piece]]:
    """Pieces in chunks of about ``size`` records (a batch of lines counts as its lines)."""
    chunk: list[Piece] = []
    records = 0
    for piece in pieces:
        chunk.append(piece)
        records += len(piece) if isinstance(piece, BATCHES) else 1
        if records >= size:
            yield chunk
            chunk, records = [], 0
    if chunk:
        yield chunk


# --- engines: each yields the chunks' results in input order ----------------------------------------

def run(scorer: Scorer, chunks: Iterable[list[Piece]], engine: str = "local", workers: int = 1,
        scheduler: str | None = None) -> Iterator[ChunkResult]:
    with rare_collections():  # this process reads the inputs (and with one worker scores them too)
        if engine == "dask":
            yield from run_dask(scorer, chunks, scheduler, workers)
        elif workers > 1:
            yield from run_pool(scorer, chunks, workers)
        else:
            yield from (scorer(chunk) for chunk in chunks)


def _in_order(submit: Callable[[list[Piece]], Any], result: Callable[[Any], ChunkResult],
              chunks: Iterable[list[Piece]], in_flight: int) -> Iterator[ChunkResult]:
    """Submit chunks as they are read, at most ``in_flight`` at a time, and yield results in input order."""
    pending: deque[Any] = deque()
    for chunk in chunks:
        pending.append(submit(chunk))
        if len(pending) >= in_flight:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


_WORKER_SCORER: Scorer | None = None


def _install(scorer: Scorer) -> None:
    """A scoring process's set-up. It only scores, so it keeps :data:`GC_THRESHOLD` for its life: restored to
    Python's default after each chunk, the next allocation would walk every object the chunk left young
    (measured: 2 % of its CPU on 100k items)."""
    global _WORKER_SCORER
    ignore_interrupts()
    gc.set_threshold(*GC_THRESHOLD)
    _WORKER_SCORER = scorer


def _score_in_worker(chunk: list[Piece]) -> ChunkResult:
    assert _WORKER_SCORER is not None
    return _WORKER_SCORER(chunk)


WORKER_DIED = ("a scoring process stopped before it finished (killed, or out of memory); nothing was written "
               "(run again with fewer --workers, or --workers 1)")


def _submit(pool: Any, chunk: list[Piece]) -> Any:
    """Submit with SIGINT blocked, so that the threads and processes the pool starts inherit a blocked SIGINT
    and Ctrl-C always reaches this thread (one the kernel hands to a helper thread would wait until this
    thread runs Python again: forever while it blocks reading standard input)."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        return pool.submit(_score_in_worker, chunk)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def run_pool(scorer: Scorer, chunks: Iterable[list[Piece]], workers: int) -> Iterator[ChunkResult]:
    """Chunks scored in ``workers`` processes; each gets the scorer once (its initializer), this process
    reads the inputs and merges. When anything stops the scan here (an error, Ctrl-C, SIGTERM) the workers
    are stopped at once rather than left to finish their chunks; a worker that dies is a
    :class:`ScanAbortedError`, never a hang."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=workers, initializer=_install, initargs=(scorer,))
    try:
        yield from _in_order(lambda chunk: _submit(pool, chunk), lambda f: f.result(), chunks, 2 * workers)
    except BrokenProcessPool as exc:
        _stop(pool)
        raise ScanAbortedError(WORKER_DIED) from exc
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()


def _stop(pool: Any) -> None:
    """End a process pool's workers now, their queued chunks dropped (``_processes``: Python < 3.14 has no
    public way to stop running workers)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _read_here(chunk: list[Piece]) -> list[Piece]:
    """The chunk with its lines read: a dask worker may run on a machine that does not have the file."""
    return [piece.loaded() if isinstance(piece, SpannedLines) else piece for piece in chunk]


def _score_with(scorer: Scorer, chunk: list[Piece]) -> ChunkResult:
    return scorer(chunk)


def run_dask(scorer: Scorer, chunks: Iterable[list[Piece]], scheduler: str | None,
             workers: int) -> Iterator[ChunkResult]:
    """Chunks scored on a dask.distributed cluster (``scheduler`` address; without one, a local cluster of
    ``workers`` processes). The scorer (rules, context, model) is sent to every worker once."""
    try:
        from distributed import Client, KilledWorker, LocalCluster
    except ImportError as exc:
        raise InputError(f"--engine dask needs dask.distributed, which is not installed; {DASK_HINT}") from exc
    cluster = None if scheduler else LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None)
    try:
        with Client(scheduler or cluster) as client:
            shared = client.scatter(scorer, broadcast=True)
            slots = max(sum(client.nthreads().values()), 1)
            yield from _in_order(lambda chunk: client.submit(_score_with, shared, _read_here(chunk), pure=False),
                                 lambda future: future.result(), chunks, 2 * slots)
    except KilledWorker as exc:
        raise ScanAbortedError(WORKER_DIED) from exc
    finally:
        if cluster is not None:
            cluster.close()
