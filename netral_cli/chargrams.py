"""Character n-grams of words, as scikit-learn's ``char_wb`` analyser makes them, looked up in a fitted
vocabulary many words at a time.

A chunk of items brings tens of thousands of distinct words, most of them in the long tail of the
vocabulary (names, slang, typos), so looking their n-grams up one string at a time in Python was the
classifier's largest cost. :class:`GramCodes` spells every n-gram as an integer instead and finds the
n-grams of all the words of a chunk with a few numpy operations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np
from scipy import sparse

from netral_cli import native
from netral_cli.tokens import Numbered, first_seen, grown, spans, token_numbers

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: the top bits of code * 2**64/phi spread well
_CODE_BITS = 63  # an n-gram's code stays below 2**63


def char_wb_grams(word: str, low: int, high: int) -> list[str]:
    """The n-grams scikit-learn's ``char_wb`` analyser makes of one word (padded with spaces), in its order: every
    n-gram of each length up to the padded word's own, which counts once; a padded word shorter than ``low``
    counts once, whole."""
    padded = f" {word} "
    size = len(padded)
    if size < low:
        return [padded]
    return [padded[i:i + n] for n in range(low, min(high, size) + 1) for i in range(size - n + 1)]


def word_gram_counts(words: Sequence[str], vocabulary: Mapping[str, int], low: int, high: int,
                     codes: GramCodes | None = None) -> sparse.csr_matrix:
    """Words x vocabulary columns: how often each known ``char_wb`` n-gram occurs in each word (numpy through
    ``codes`` when given, one n-gram at a time otherwise)."""
    if codes is not None:
        return codes.counts(words)
    rows, columns = [], []
    for row, word in enumerate(words):
        found = [column for column in map(vocabulary.get, char_wb_grams(word, low, high)) if column is not None]
        rows += [row] * len(found)
        columns += found
    return _count_matrix(np.array(rows, dtype=np.int64), np.array(columns, dtype=np.int64), len(words), len(vocabulary))


def _spelled(numbers: Iterable[int], bits: int) -> int:
    code = 0
    for number in numbers:
        code = code << bits | number
    return code


def _count_matrix(rows: np.ndarray, columns: np.ndarray, words: int, grams: int) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(words, grams))
    matrix.sum_duplicates()
    return matrix


class GramCodes:
    """A fitted ``char_wb`` vocabulary as integer codes in a hash table.

    Each character of the vocabulary's alphabet gets a number from 1 to A (0: a character no n-gram of the
    vocabulary has), and an n-gram the number its characters spell in base ``2**bits``; the codes of
    every length are distinct because no character is 0. The table is open addressing with linear
    probing at a load of at most a quarter, looked up for all the queries at once, one probe a round.
    """

    def __init__(self, vocabulary: Mapping[str, int], low: int, high: int, alphabet: str, bits: int):
        self.low, self.high, self.bits, self.grams = low, high, bits, len(vocabulary)
        self.char_numbers = np.zeros(0x110000, dtype=np.uint16)
        self.char_numbers[[ord(c) for c in alphabet]] = np.arange(1, len(alphabet) + 1)
        self.shift = np.uint64(64 - max(4, (4 * len(vocabulary)).bit_length()))
        size = 1 << (64 - int(self.shift))
        self.keys = np.zeros(size, dtype=np.uint64)  # 0: an empty slot
        self.columns = np.zeros(size, dtype=np.int64)
        number = {c: i for i, c in enumerate(alphabet, 1)}
        codes = np.array([_spelled(map(number.get, gram), bits) for gram in vocabulary], dtype=np.uint64)
        mask = size - 1
        for code, slot, column in zip(codes.tolist(), self._slots(codes).tolist(), vocabulary.values()):
            while self.keys[slot]:
                slot = (slot + 1) & mask
            self.keys[slot], self.columns[slot] = code, column

    @classmethod
    def fitting(cls, vocabulary: Mapping[str, int], low: int, high: int) -> GramCodes | None:
        """The codes of a vocabulary, or None when they would not fit in 63 bits, or when a padded word can be
        shorter than ``low`` (it would count whole: :func:`char_wb_grams` handles that)."""
        alphabet = "".join(sorted({c for gram in vocabulary for c in gram}))
        bits = len(alphabet).bit_length()
        if not vocabulary or low > 3 or bits * high > _CODE_BITS or len(alphabet) >= 1 << 16:
            return None
        return cls(vocabulary, low, high, alphabet, bits)

    def _slots(self, codes: np.ndarray) -> np.ndarray:
        return ((codes * _GOLDEN) >> self.shift).astype(np.int64)

    def counts(self, words: Sequence[str]) -> sparse.csr_matrix:
        """Words x vocabulary columns, the counts of the words' known n-grams (see :func:`word_gram_counts`)."""
        if not words:
            return sparse.csr_matrix((0, self.grams))
        padded = "".join([f" {word} " for word in words])
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words)) + 2
        # surrogatepass: a lone surrogate (a link can hold one) is a character no n-gram has, not an error
        code_points = np.frombuffer(padded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        if native.LIBRARY is not None and len(code_points) * (self.high - self.low + 1) <= native.LARGEST:
            return native.gram_counts(self.char_numbers[code_points], np.cumsum(lengths), self.low, self.high,
                                      self.bits, self.keys, self.columns, int(self.shift), int(_GOLDEN), self.grams)
        owner = np.repeat(np.arange(len(words)), lengths)  # the word each character of ``padded`` belongs to
        end_of_owner = np.cumsum(lengths)[owner]
        numbers = self.char_numbers[code_points].astype(np.uint64)
        unknown = np.concatenate([[0], np.cumsum(numbers == 0)])  # an n-gram with such a character is not known
        starts = np.arange(len(numbers))
        code = numbers.copy()
        rows, codes = [], []
        for n in range(1, self.high + 1):
            if n > 1:
                code = (code[:-1] << np.uint64(self.bits)) | numbers[n - 1:]
            if n < self.low:
                continue
            start = starts[:len(code)]
            inside = (start + n <= end_of_owner[:len(code)]) & (unknown[start + n] == unknown[start])
            rows.append(owner[:len(code)][inside])
            codes.append(code[inside])
        found_rows, found_columns = self._look_up(np.concatenate(rows), np.concatenate(codes))
        return _count_matrix(found_rows, found_columns, len(words), self.grams)

    def _look_up(self, rows: np.ndarray, codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The (row, column) of every code the vocabulary has."""
        found = np.full(len(codes), -1, dtype=np.int64)
        pending = np.arange(len(codes))
        slots = self._slots(codes)
        mask = len(self.keys) - 1
        while pending.size:
            stored = self.keys[slots]
            hit = stored == codes
            found[pending[hit]] = self.columns[slots[hit]]
            probe_on = (stored != 0) & ~hit
            pending, codes, slots = pending[probe_on], codes[probe_on], (slots[probe_on] + 1) & mask
        known = found >= 0
        return rows[known], found[known]


class WordRows(Numbered):
    """The rows of a words x columns count matrix, kept across calls by token number (:mod:`netral_cli.tokens`): the
    Zipf head of a scan's vocabulary recurs in every chunk and is counted once, only a chunk's new words are passed to
    ``count``. When a call's new words would take the store past ``limit`` words, it keeps only the rows of that
    call's words (the head is among them) and forgets the rest at once (a few hundred bytes each). The rows are the
    very rows ``count`` made (same columns, same order, same values as floats)."""

    # Words of about 27 known n-grams each. Measured on 400k items with two scoring processes, against keeping none:
    # 50,000 words add about 10 MiB to a scoring process's peak, 100,000 (with room for twice as many) added 50 MiB
    # for at most 2 % less CPU, within the noise.
    LIMIT = 50_000

    def __init__(self, count: Callable[[list[str]], sparse.csr_matrix], columns: int, limit: int = LIMIT):
        self.count, self.columns, self.limit = count, columns, limit
        self.forget()

    def forget(self) -> None:
        self.row = np.full(1 << 12, -1, dtype=np.int32)  # by token number: its row of the store, -1 none
        self.kept = np.zeros(0, dtype=np.int64)  # the token number of each row
        self.ends = np.zeros(1 << 12, dtype=np.int64)  # row r of the store is indices[ends[r]:ends[r + 1]]
        self.indices = np.zeros(1 << 16, dtype=np.int32)
        self.counts = np.zeros(1 << 16, dtype=np.int32)  # whole numbers: exact, and half the size of floats

    def __getstate__(self) -> dict[str, object]:  # sent to a dask worker without the rows it has kept
        return {"count": self.count, "columns": self.columns, "limit": self.limit}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.forget()

    def __call__(self, words: Sequence[str]) -> sparse.csr_matrix:
        """Words x columns, the rows of ``count`` for these distinct words."""
        return self._gathered(self.rows_of(token_numbers().numbers(words, len(words))))

    def summed(self, numbers: np.ndarray, starts: np.ndarray) -> sparse.csr_matrix:
        """Documents x columns, CSR with sorted columns: document ``d`` the sum of the rows of the words numbered
        ``numbers[starts[d]:starts[d + 1]]`` (repeats allowed)."""
        rows = self.rows_of(numbers)
        room = int((self.ends[rows + 1] - self.ends[rows]).sum())
        if native.LIBRARY is not None and room <= native.LARGEST:
            return native.sum_rows(starts, rows, self.ends, self.indices, self.counts, self.columns, room)
        return self._summed_by_products(rows, starts)

    def _summed_by_products(self, rows: np.ndarray, starts: np.ndarray) -> sparse.csr_matrix:
        """:meth:`summed` in numpy: (documents x rows) times (rows x columns), the product taken transposed so that
        its conversion to columns gives each document's columns sorted (cheaper than sorting every row)."""
        used = np.zeros(len(self.kept), dtype=bool)
        used[rows] = True
        distinct = np.flatnonzero(used)
        slot = (np.cumsum(used) - 1)[rows]  # each row's place among the distinct ones
        doc_rows = sparse.csr_matrix((np.ones(len(rows)), slot, starts), shape=(len(starts) - 1, len(distinct)))
        return (self._gathered(distinct).T.tocsr() @ doc_rows.T.tocsr()).tocsc().T

    def rows_of(self, numbers: np.ndarray) -> np.ndarray:
        """The store's row of each word number (repeats allowed), the new words counted first."""
        table = token_numbers()
        table.keep_current(self)
        self.row = grown(self.row, len(table.texts), -1)
        rows = self.row[numbers].astype(np.int64)
        missing = rows < 0
        if not missing.any():
            return rows
        new = first_seen(numbers[missing])
        if len(self.kept) + len(new) > self.limit:
            self._keep_only(first_seen(numbers[~missing]))
        self._keep(new, table.texts)
        return self.row[numbers].astype(np.int64)

    def _keep_only(self, numbers: np.ndarray) -> None:
        """Forget every row but those of the words ``numbers``, which move to the front of the arrays in that order."""
        lengths, take = self._where(self.row[numbers])
        used = len(take)
        self.indices[:used], self.counts[:used] = self.indices[take], self.counts[take]  # gathered copies first
        self.ends[1:len(numbers) + 1] = np.cumsum(lengths)
        self.row[self.kept] = -1
        self.row[numbers] = np.arange(len(numbers))
        self.kept = numbers

    def _keep(self, numbers: np.ndarray, texts: list[str]) -> None:
        counted = self.count([texts[number] for number in numbers.tolist()])
        rows, used = len(self.kept), int(self.ends[len(self.kept)])
        self.row[numbers] = np.arange(rows, rows + len(numbers))
        self.kept = np.concatenate([self.kept, numbers])
        self.ends = grown(self.ends, rows + len(numbers) + 1, 0)
        self.ends[rows + 1:rows + len(numbers) + 1] = used + counted.indptr[1:]
        self.indices = grown(self.indices, used + counted.nnz, 0)
        self.counts = grown(self.counts, used + counted.nnz, 0)
        self.indices[used:used + counted.nnz] = counted.indices
        self.counts[used:used + counted.nnz] = counted.data

    def _gathered(self, rows: np.ndarray) -> sparse.csr_matrix:
        lengths, take = self._where(rows)
        indptr = np.concatenate([[0], np.cumsum(lengths)])
        return sparse.csr_matrix((self.counts[take].astype(np.float64), self.indices[take], indptr),
                                 shape=(len(rows), self.columns))

    def _where(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The kept rows' lengths, and where their entries lie in ``indices`` and ``counts``, one row after another."""
        lengths = self.ends[rows + 1] - self.ends[rows]
        return lengths, spans(self.ends[rows], lengths)
