"""Token texts numbered once per process, so that a chunk's features read what they need of each token from arrays.

The classifier needs three things of every token of a chunk: the columns of its stem tokens in the word n-gram
vocabulary, and its row of character n-gram counts. Kept in dictionaries by text, that was three look-ups a token, each
likely to miss the processor's caches in the long tail of a scan's vocabulary. Here a chunk's tokens are numbered with
one look-up each (:func:`chunk_tokens`), and what is kept of a token is kept in arrays by its number
(:class:`NumberedRuns`, and the rows of :class:`~netral_cli.chargrams.WordRows`), read for the whole chunk at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, count
from operator import attrgetter

import numpy as np

from netral_cli.normalise import STEMMED, Normalised


_GENERATIONS = count(1)


class TokenNumbers(dict):  # type: ignore[type-arg]
    """Token text -> its number, numbered in the order first met (``texts[n]`` is the text of number ``n``).

    Past ``limit`` texts, :meth:`make_room` starts afresh, in a new ``generation`` (distinct among all tables of
    the process): whatever is kept by number elsewhere is forgotten then (see :meth:`keep_current`). It is only
    called before a chunk is numbered, so the numbers of one chunk are all of one generation."""

    # Distinct tokens of one scoring process: about 315,000 in a 1M scan (two processes). About 150 bytes each with
    # what is kept of them by number (the text itself, when no cache holds it any more, 50-60 more).
    LIMIT = 500_000

    def __init__(self, limit: int = LIMIT):
        super().__init__()
        self.limit = limit
        self.texts: list[str] = []
        self.generation = next(_GENERATIONS)

    def __missing__(self, text: str) -> int:
        number = self[text] = len(self.texts)
        self.texts.append(text)
        return number

    def __reduce__(self) -> tuple[type, tuple[int]]:  # sent to a dask worker without its numbers
        return type(self), (self.limit,)

    def numbers(self, texts: Iterable[str], count: int) -> np.ndarray:
        """The number of each of ``count`` texts (new ones numbered)."""
        return np.fromiter(map(self.__getitem__, texts), dtype=np.int64, count=count)

    def make_room(self) -> None:
        """Start afresh when past ``limit`` texts (see the class)."""
        if len(self.texts) > self.limit:
            self.clear()
            self.texts = []
            self.generation = next(_GENERATIONS)

    def keep_current(self, kept: Numbered) -> None:
        """Make ``kept`` forget what it kept by the numbers of an older generation."""
        if kept.generation != self.generation:
            kept.forget()
            kept.generation = self.generation


class Numbered:
    """Something kept by token number: forgotten when the numbers start afresh."""

    generation = 0  # of the numbers it keeps things by; 0: none yet

    def forget(self) -> None:
        raise NotImplementedError


_NUMBERS = TokenNumbers()


def token_numbers() -> TokenNumbers:
    """The process's token numbers."""
    return _NUMBERS


@dataclass(frozen=True)
class ChunkTokens:
    """The tokens of a chunk's documents, one document after another: their ``numbers``, where each document's
    start (``starts``, one more than the documents), and which are of a kind that is stemmed (``stemmed``; None
    when all are)."""

    numbers: np.ndarray
    starts: np.ndarray
    stemmed: np.ndarray | None

    def keys(self) -> np.ndarray:
        """Each token as ``2 * number`` when its kind is stemmed, else ``2 * number + 1`` (its stem is its text): the
        keys of a :class:`NumberedRuns` of two kinds."""
        keys = self.numbers * 2
        if self.stemmed is not None:
            keys += ~self.stemmed
        return keys


_WORDS, _KINDS = attrgetter("words"), attrgetter("kinds")


def chunk_tokens(docs: Sequence[Normalised]) -> ChunkTokens:
    """The documents' tokens numbered (see :class:`ChunkTokens`)."""
    table = token_numbers()
    table.make_room()
    words_of = list(map(_WORDS, docs))
    starts = np.zeros(len(docs) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, words_of), dtype=np.int64, count=len(docs)), out=starts[1:])
    numbers = table.numbers(chain.from_iterable(words_of), int(starts[-1]))
    mixed = np.flatnonzero(~np.fromiter(map(STEMMED.issuperset, map(_KINDS, docs)), dtype=bool, count=len(docs)))
    if not len(mixed):
        return ChunkTokens(numbers, starts, None)
    stemmed = np.ones(len(numbers), dtype=bool)
    kinds = chain.from_iterable(docs[i].kinds for i in mixed.tolist())
    at = spans(starts[mixed], starts[mixed + 1] - starts[mixed])
    stemmed[at] = np.fromiter(map(STEMMED.__contains__, kinds), dtype=bool, count=len(at))
    return ChunkTokens(numbers, starts, stemmed)


class NumberedRuns(Numbered):
    """A run of whole numbers for each token key, made by ``make`` the first time the key is asked for. A key is
    ``kinds * number + kind`` (``kind`` below ``kinds``: see :meth:`ChunkTokens.keys`); ``make(texts, kinds)`` gives
    the runs of the texts of those numbers with those kinds."""

    def __init__(self, make: Callable[[list[str], list[int]], list[list[int]]], kinds: int = 1):
        self.make, self.kinds = make, kinds
        self.forget()

    def forget(self) -> None:
        self.start = np.full(1 << 12, -1, dtype=np.int32)  # -1: not made yet (int32: half the memory a number)
        self.length = np.zeros(1 << 12, dtype=np.int32)
        self.values = np.zeros(1 << 14, dtype=np.int64)
        self.used = 0

    def __getstate__(self) -> dict[str, object]:
        return {"make": self.make, "kinds": self.kinds}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.forget()

    def of(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The runs of ``keys``, one after another, and each one's length."""
        table = token_numbers()
        table.keep_current(self)
        self.start = grown(self.start, self.kinds * len(table.texts), -1)
        self.length = grown(self.length, len(self.start), 0)
        new = first_seen(keys[self.start[keys] < 0])
        if len(new):
            self._add(new, table.texts)
        starts, lengths = self.start[keys], self.length[keys]
        return self.values[spans(starts, lengths)], lengths

    def _add(self, keys: np.ndarray, texts: list[str]) -> None:
        numbers, kinds = np.divmod(keys, self.kinds)
        runs = self.make([texts[number] for number in numbers.tolist()], kinds.tolist())
        lengths = np.fromiter(map(len, runs), dtype=np.int64, count=len(runs))
        total = int(lengths.sum())
        self.values = grown(self.values, self.used + total, 0)
        self.values[self.used:self.used + total] = list(chain.from_iterable(runs))
        self.start[keys] = self.used + np.cumsum(lengths) - lengths
        self.length[keys] = lengths
        self.used += total


def first_seen(values: np.ndarray) -> np.ndarray:
    """The distinct values, in the order each first occurs."""
    distinct, first = np.unique(values, return_index=True)
    return distinct[np.argsort(first, kind="stable")]


def spans(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions ``starts[i]`` to ``starts[i] + lengths[i] - 1`` of every ``i``, one range after another: where
    the rows ``i`` of a CSR matrix lie in its arrays, given their starts in ``indptr`` and their lengths."""
    return np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))


def grown(array: np.ndarray, size: int, fill: int) -> np.ndarray:
    """``array``, or a copy with room for half as much again as ``size`` when it holds fewer (so that growing is
    copied rarely), the new places set to ``fill``."""
    if size <= len(array):
        return array
    bigger = np.full(size + size // 2, fill, dtype=array.dtype)
    bigger[:len(array)] = array
    return bigger
