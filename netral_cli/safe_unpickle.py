"""Reading a model file written by ``joblib.dump`` without running code the file brings.

A pickle is a program: each global it names is imported and may be called. The sha256 in a model's card
only shows that the file is the one the card's author saved, and whoever can place a model file can place
a card beside it. So the unpickler here resolves only what a fitted netral model is made of:

- classes of scikit-learn, SciPy's sparse matrices, NumPy's arrays, scalars, dtypes and random states;
- NumPy's and joblib's array rebuilders and a few plain Python containers;
- the netral classes and text functions a pipeline holds.

Anything else (``os.system``, ``builtins.eval``, ``subprocess.Popen``, a function of scikit-learn) stops
the load before it is called, with :class:`UnsafeModelFile` naming it. Object arrays, which joblib
pickles inside the file, are read by the same restricted unpickler.
"""

from __future__ import annotations

import bz2
import gzip
import importlib
import io
import lzma
import zlib
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from joblib.numpy_pickle import NumpyArrayWrapper, NumpyUnpickler

MAX_UNPACKED = 1 << 30  # a netral model is a few MB; a compressed file unpacking beyond 1 GiB is refused

PACKAGES = ("sklearn", "scipy", "numpy")
ALLOWED = {
    ("builtins", name) for name in ("set", "frozenset", "slice", "range", "complex", "bytearray", "object")
} | {
    ("copyreg", "_reconstructor"),
    ("collections", "OrderedDict"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "_reconstruct"),
    ("numpy.core.multiarray", "scalar"), ("numpy._core.multiarray", "scalar"),
    ("numpy.random._pickle", "__randomstate_ctor"), ("numpy.random._pickle", "__bit_generator_ctor"),
    ("numpy.random._pickle", "__generator_ctor"),
    ("netral_cli.classifier", "Estimators"), ("netral_cli.classifier", "SkbHead"),
    ("netral_cli.classifier", "TrainOptions"), ("netral_cli.normalise", "Normaliser"),
    ("netral_cli.normalise", "text_of"), ("netral_cli.normalise", "stem_text_of"),
}
NUMPY_TYPES = (np.ndarray, np.generic, np.dtype, np.random.RandomState, np.random.Generator, np.random.BitGenerator)


class UnsafeModelFile(ValueError):
    """The file names something a netral model is not made of."""


def load(path: Path) -> Any:
    """The object pickled in ``path`` (plain, or compressed with zlib, gzip, bz2 or xz as joblib does)."""
    with open(path, "rb") as raw:
        handle = io.BytesIO(_unpacked(raw))
    return _RestrictedUnpickler(str(path), handle, ensure_native_byte_order=True).load()


def _unpacked(raw: BinaryIO) -> bytes:
    head = raw.read(6)
    raw.seek(0)
    if head[:2] == b"\x1f\x8b":
        stream: BinaryIO = gzip.GzipFile(fileobj=raw)
    elif head[:3] == b"BZh":
        stream = bz2.BZ2File(raw)
    elif head[:6] == b"\xfd7zXZ\x00" or head[:1] == b"\x5d":
        stream = lzma.LZMAFile(raw)
    elif head[:1] == b"\x78":
        return _inflated(raw)
    else:
        stream = raw
    return _within_limit(stream.read(MAX_UNPACKED + 1))


def _inflated(raw: BinaryIO) -> bytes:
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    size = 0
    while chunk := raw.read(1 << 20):
        while chunk:
            parts.append(_within_limit(inflater.decompress(chunk, MAX_UNPACKED + 1 - size), size))
            size += len(parts[-1])
            chunk = inflater.unconsumed_tail
    return b"".join(parts) + inflater.flush()


def _within_limit(data: bytes, before: int = 0) -> bytes:
    """``data``, unless it takes what was unpacked (``before`` bytes of it earlier) over the limit."""
    if before + len(data) > MAX_UNPACKED:
        raise UnsafeModelFile(f"unpacks to more than {MAX_UNPACKED >> 20} MiB")
    return data


def allowed(module: str, name: str) -> Any:
    """The global ``module.name`` when a netral model may hold it; else :class:`UnsafeModelFile`."""
    if module == "joblib.numpy_pickle" and name == "NumpyArrayWrapper":
        return _ArrayWrapper
    listed = (module, name) in ALLOWED
    not_held = UnsafeModelFile(f"refers to {module}.{name}, which a netral model does not hold")
    if not listed and (module.split(".")[0] not in PACKAGES or "__" in name):
        raise not_held
    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as exc:
        raise UnsafeModelFile(f"refers to {module}.{name}, which does not exist here") from exc
    if not listed and not _model_class(found):
        raise not_held
    return found


def _model_class(found: Any) -> bool:
    """A scikit-learn class, a SciPy sparse matrix, or a NumPy array, scalar, dtype or random state.
    Not any class of these packages: some open files when made (``numpy.memmap``, ``scipy.io.FortranFile``)."""
    if not isinstance(found, type):
        return False
    home = str(found.__module__)
    if home.split(".")[0] == "sklearn":
        return True
    if home.startswith("scipy.sparse"):
        return True
    return issubclass(found, NUMPY_TYPES) and not issubclass(found, np.memmap)


class _RestrictedUnpickler(NumpyUnpickler):
    def find_class(self, module: str, name: str) -> Any:
        return allowed(module, name)


class _ArrayWrapper(NumpyArrayWrapper):
    """joblib's array record, with an object array read by the restricted unpickler (joblib versions
    before 1.5 read it with an unrestricted one)."""

    def read_array(self, unpickler: Any, ensure_native_byte_order: bool) -> Any:
        if not self.dtype.hasobject:
            return super().read_array(unpickler, ensure_native_byte_order)
        return _RestrictedUnpickler(unpickler.filename, unpickler.file_handle, ensure_native_byte_order).load()
