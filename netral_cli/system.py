"""Files and processes: reports that appear only complete, worker processes the parent controls, names
that print on one line.

Shared by every stage (as ``errors`` and ``items`` are): the classifier writes its model, the report
stage its plots, the API the reports, all through :func:`atomic_file`.
"""

from __future__ import annotations

import ctypes
import os
import re
import signal
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

TEMPORARY_SUFFIX = ".tmp"  # an unfinished report: ``.<name>.<pid>-<random>.tmp`` beside it, never ``<name>``


@contextmanager
def atomic_file(path: Path, binary: bool = False) -> Iterator[Any]:
    """A file handle whose content appears at ``path`` only once the block ends without an error: written
    to a hidden temporary file beside the target, synced, then renamed over it. On any error or
    interruption the temporary file is removed and an existing file at ``path`` is left as it was. After
    a SIGKILL a ``.<name>.<pid>-<random>.tmp`` file remains; the next write of ``path`` removes it once
    its process is gone. A symbolic link is written through to
    its target; a device, FIFO or socket (``/dev/stdout``, ``/dev/null``) is written in place, never
    replaced by a regular file."""
    target = Path(os.path.realpath(path))
    if not _regular_or_missing(target):
        with _open(os.open(target, os.O_WRONLY), binary) as handle:
            yield handle
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned(target)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.{os.getpid()}-",
                                             suffix=TEMPORARY_SUFFIX)
    try:
        with _open(descriptor, binary) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())  # the rename must never publish a file whose bytes are not on disk yet
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _remove_abandoned(target: Path) -> None:
    """Remove the temporary files of earlier writes of ``target`` whose process no longer runs (killed by
    SIGKILL, which leaves no chance to clean up). Those of a live process, another scan writing the same
    report right now, stay."""
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(\d+)-[^.]+{re.escape(TEMPORARY_SUFFIX)}")
    try:
        names = os.listdir(target.parent)
    except OSError:
        return
    for name in names:
        match = pattern.fullmatch(name)
        if match and not _running(int(match.group(1))):
            try:
                (target.parent / name).unlink()
            except OSError:  # gone already, or not ours to remove: it was never the report
                pass


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # another user's process (or no such number): leave its file alone
    return True


def _regular_or_missing(path: Path) -> bool:
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return True
    return stat.S_ISREG(mode) or stat.S_ISDIR(mode)  # a folder fails at the rename, with its own message


def _open(descriptor: int, binary: bool) -> Any:
    return os.fdopen(descriptor, "wb") if binary else os.fdopen(descriptor, "w", encoding="utf-8", newline="")


def append_lines(path: Path, text: str) -> None:
    """Append whole lines to a file shared by concurrent processes (one ``write`` on an ``O_APPEND``
    descriptor, so lines of two writers never interleave). A line left unfinished by a writer that was
    killed is closed with a tab first: it then has a field too many, and readers drop it instead of
    joining it to the next line (``word\\tst`` + ``ems`` would read as a wrong ``word\\tstems``)."""
    descriptor = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        data = text.encode("utf-8")
        size = os.fstat(descriptor).st_size
        if size and os.pread(descriptor, 1, size - 1) != b"\n":
            data = b"\t\n" + data
        os.write(descriptor, data)
    finally:
        os.close(descriptor)


def ignore_interrupts() -> None:
    """For a worker process: Ctrl-C interrupts the parent, which stops the workers itself (a worker that
    also got the SIGINT would print its own traceback); SIGTERM kills it at once, and so does the death
    of its parent, even by SIGKILL (an orphaned worker would otherwise wait for chunks forever)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
        except (OSError, AttributeError):  # no prctl in this libc: orphans are possible, nothing else changes
            pass


PR_SET_PDEATHSIG = 1  # linux/prctl.h


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f\udc80-\udcff]")


def printable(name: str) -> str:
    """A file name as reports and one-line messages show it: bytes that are not UTF-8 (``\\xff``) and control
    characters (``\\n``) escaped, so that every output can encode it and every message stays on one line."""
    if not _UNPRINTABLE.search(name):
        return name
    return _UNPRINTABLE.sub(_escape, name)


def _escape(match: re.Match[str]) -> str:
    character = match.group()
    code = ord(character)
    return f"\\x{code - 0xdc00:02x}" if code >= 0xdc80 else character.encode("unicode_escape").decode("ascii")


class lazy:  # lower case: used as a decorator, like functools.cached_property
    """``functools.cached_property`` without its lock (Python 3.11 takes one on every first read, which
    costs more than the values read per item in a scan compute): computed once per object, then an
    ordinary attribute. Only for objects one thread uses at a time."""

    def __init__(self, compute: Any):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = obj.__dict__[self.name] = self.compute(obj)
        return value


class FirstComeCache(dict):
    """A dictionary that makes a missing value with ``make`` and keeps it: a hit is one look-up in C, with no Python
    code (an ``lru_cache`` hit also moves its entry to the front). When it holds ``limit`` entries, only the first
    ``keep`` stay: in a Zipf stream of words the frequent ones come first, so the head is not made again."""

    def __init__(self, make: Callable[[Any], Any], limit: int, keep: int | None = None):
        super().__init__()
        self.make, self.limit, self.keep = make, limit, limit // 4 if keep is None else keep

    def __missing__(self, key: Any) -> Any:
        if len(self) >= self.limit:
            first = list(islice(self.items(), self.keep))
            self.clear()
            self.update(first)
        value = self[key] = self.make(key)
        return value
