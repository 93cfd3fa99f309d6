"""netral's optional compiled helpers (``_native.c``), called through ctypes.

``hatch_build.py`` compiles ``_native.c`` into ``_native.so`` when a wheel (or an editable install) is built on a
machine with a C compiler. Without it, or with ``NETRAL_PURE_PYTHON`` set, :data:`LIBRARY` is None and each
caller runs its numpy code instead, which gives the same numbers (tests/test_native.py compares the two).
"""

from __future__ import annotations

import ctypes
import hashlib
import os
from pathlib import Path
from typing import Any

import numpy as np
from numpy.ctypeslib import ndpointer
from scipy import sparse

LIBRARY_PATH = Path(__file__).with_name("_native.so")
SOURCE_PATH = LIBRARY_PATH.with_name("_native.c")
_INT32, _INT64, _UINT16, _UINT64, _FLOAT64 = (ndpointer(dtype, flags="C_CONTIGUOUS")
                                              for dtype in (np.int32, np.int64, np.uint16, np.uint64, np.float64))
_SIZE = ctypes.c_int64
LARGEST = 2**31 - 1  # the helpers' matrices have 32-bit positions
_ROW_OUTPUT = [_INT32, _UINT64, _INT32, _INT32, _FLOAT64]  # scratch row and bitmap, then indptr, indices, data


def _load(path: Path, source: Path) -> ctypes.CDLL | None:
    """The compiled helpers, unless ``NETRAL_PURE_PYTHON`` is set or the library is missing, does not load, or was
    compiled from another version of the source (an editable install's stale build)."""
    if os.environ.get("NETRAL_PURE_PYTHON") or not path.exists() or not source.exists():
        return None
    try:
        library = ctypes.CDLL(str(path))
        library.netral_source_sha256.restype = ctypes.c_char_p
        built_from = library.netral_source_sha256().decode()
    except (OSError, AttributeError):  # built for another machine, or damaged: the numpy code does the same
        return None
    if built_from != hashlib.sha256(source.read_bytes()).hexdigest():
        return None
    library.netral_sum_rows.restype = _SIZE
    library.netral_sum_rows.argtypes = [_SIZE, _INT64, _INT64, _INT64, _INT32, _INT32, *_ROW_OUTPUT]
    library.netral_pair_counts.restype = _SIZE
    library.netral_pair_counts.argtypes = [_SIZE, _INT64, _INT64, _SIZE, _INT64, _INT64, _SIZE, *_ROW_OUTPUT]
    library.netral_gram_counts.restype = _SIZE
    library.netral_gram_counts.argtypes = [_SIZE, _INT64, _UINT16, _SIZE, _SIZE, _SIZE, _UINT64, _INT64, _SIZE,
                                           ctypes.c_uint64, _INT32, _INT32, _INT32]
    return library


LIBRARY = _load(LIBRARY_PATH, SOURCE_PATH)


def sum_rows(doc_starts: np.ndarray, word_rows: np.ndarray, ends: np.ndarray, columns: np.ndarray,
             counts: np.ndarray, n_columns: int, room: int) -> sparse.csr_matrix:
    """Documents x ``n_columns`` counts (CSR, float, columns ascending): document ``d`` the sum of the store rows
    ``word_rows[doc_starts[d]:doc_starts[d + 1]]``, store row ``r`` being ``columns`` and ``counts`` from
    ``ends[r]`` to ``ends[r + 1]``; ``room``: the rows' lengths added up."""
    return _document_rows(LIBRARY.netral_sum_rows, len(doc_starts) - 1, n_columns, room,
                          doc_starts, word_rows, ends, columns, counts)


def pair_counts(doc_starts: np.ndarray, tokens: np.ndarray, n_columns: int, pair_codes: np.ndarray,
                pair_columns: np.ndarray) -> sparse.csr_matrix:
    """Documents x ``n_columns`` counts (CSR, float, columns ascending) of each document's known tokens
    (``tokens[doc_starts[d]:doc_starts[d + 1]]``, -1 unknown) and of the pairs of neighbours that ``pair_codes``
    (``first * n_columns + second``, ascending) has, in the columns ``pair_columns``."""
    return _document_rows(LIBRARY.netral_pair_counts, len(doc_starts) - 1, n_columns, 2 * len(tokens),
                          doc_starts, tokens, n_columns, pair_codes, pair_columns, len(pair_codes))


def _document_rows(function: Any, n_docs: int, n_columns: int, room: int, *arguments: Any) -> sparse.csr_matrix:
    """A helper's documents x columns matrix: ``function(n_docs, *arguments, scratch row, bitmap, outputs)``."""
    indptr = np.empty(n_docs + 1, dtype=np.int32)
    indices, data = np.empty(room, dtype=np.int32), np.empty(room, dtype=np.float64)
    scratch, seen = np.zeros(n_columns, dtype=np.int32), np.zeros(-(-n_columns // 64), dtype=np.uint64)
    nnz = function(n_docs, *arguments, scratch, seen, indptr, indices, data)
    return _csr(data[:nnz], indices[:nnz], indptr, n_columns)


def gram_counts(numbers: np.ndarray, word_ends: np.ndarray, low: int, high: int, bits: int, keys: np.ndarray,
                columns: np.ndarray, shift: int, golden: int, n_columns: int) -> sparse.csr_matrix:
    """Words x ``n_columns``, the counts of each word's known n-grams (CSR, float, columns ascending); see
    ``netral_gram_counts`` in ``_native.c`` for the arguments."""
    room = len(numbers) * (high - low + 1)
    indptr = np.empty(len(word_ends) + 1, dtype=np.int32)
    indices, counts = np.empty(room, dtype=np.int32), np.empty(room, dtype=np.int32)
    nnz = LIBRARY.netral_gram_counts(len(word_ends), word_ends, numbers, low, high, bits, keys, columns, shift, golden,
                                     indptr, indices, counts)
    return _csr(counts[:nnz].astype(np.float64), indices[:nnz], indptr, n_columns)


def _csr(data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, n_columns: int) -> sparse.csr_matrix:
    matrix = sparse.csr_matrix((data, indices, indptr), shape=(len(indptr) - 1, n_columns))
    matrix.has_sorted_indices = True
    return matrix
