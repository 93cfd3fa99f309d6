"""The report's records in rank order without holding a corpus in memory.

Scoring hands over compact entries ``(key, item_id, line)``: ``line`` is the record already
serialised as JSON (with rank 0), ``key`` orders ascending (for the ranking
:func:`netral_cli.score.rank_key`, ties broken by ``item_id``, as :func:`netral_cli.score.rank` does). :class:`Best` keeps the ``n``
first entries (``--top N``, ``--export-uncertain N``); :class:`Spool` keeps any number of them in an
anonymous temporary file and only their keys and file offsets in memory (about 90 bytes an entry),
then reads them back in order. Both are stable: equal keys keep the order they were added in.
"""

from __future__ import annotations

import json
import os
import tempfile
from array import array
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

import numpy as np

Entry = tuple[float, str, str]  # (key, item_id, record as JSON)


class Selection(Protocol):
    def add(self, entries: Iterable[Entry]) -> None: ...

    def lines(self) -> Iterator[str]: ...

    def __len__(self) -> int: ...

    def close(self) -> None: ...


class Best:
    """The ``n`` entries with the smallest keys, in order."""

    def __init__(self, n: int):
        self.n = n
        self.kept: list[Entry] = []
        self.closed_with: int | None = None

    def add(self, entries: Iterable[Entry]) -> None:
        self.kept.extend(entries)
        if len(self.kept) > 2 * self.n:
            self._trim()

    def _trim(self) -> None:
        self.kept.sort(key=_order)
        del self.kept[self.n:]

    def lines(self) -> Iterator[str]:
        self._trim()
        return (line for _, _, line in self.kept)

    def __len__(self) -> int:
        return self.closed_with if self.closed_with is not None else min(len(self.kept), self.n)

    def close(self) -> None:
        """Let go of the entries; their count stays (a scan's summary, printed after the report, gives it)."""
        self.closed_with = len(self)
        self.kept = []


def _order(entry: Entry) -> tuple[float, str]:
    return entry[0], entry[1]


class Spool:
    """Every entry, the lines on disk, in order of their keys."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile()
        self.keys = array("d")
        self.offsets = array("q")
        self.ids: list[str] = []
        self.size = 0

    def add(self, entries: Iterable[Entry]) -> None:
        for key, item_id, line in entries:
            data = line.encode("utf-8") + b"\n"
            self.keys.append(key)
            self.offsets.append(self.size)
            self.ids.append(item_id)
            self.file.write(data)
            self.size += len(data)

    def lines(self) -> Iterator[str]:
        if not self.ids:
            return
        order = np.lexsort((np.array(self.ids), np.frombuffer(self.keys, dtype=np.float64)))
        self.file.flush()
        # Each line read by where it lies, without its line break: seeking and reading a line refilled the file's
        # buffer (8 KiB) for every record of about 2 KiB, and moved the position the next entries are written at.
        starts = np.frombuffer(self.offsets, dtype=np.int64)
        sizes = np.diff(starts, append=self.size) - 1
        read, descriptor = os.pread, self.file.fileno()
        for start, size in zip(starts[order].tolist(), sizes[order].tolist()):
            yield read(descriptor, size, start).decode("utf-8")

    def __len__(self) -> int:
        return len(self.ids)

    def close(self) -> None:
        self.file.close()


def ranked_records(selection: Selection) -> Iterator[dict[str, Any]]:
    """The selected records, rank 1 first."""
    for rank, line in enumerate(selection.lines(), start=1):
        record = json.loads(line)
        record["rank"] = rank
        yield record


UNRANKED = '{"rank": 0, '  # how a selected line begins: a record serialised before it is ranked


def ranked_lines(selection: Selection, extra: dict[str, Any]) -> Iterator[str]:
    """The records of :func:`ranked_records` with ``extra``'s fields added at the end, serialised as
    ``json.dumps`` would serialise them, by splicing the lines rather than decoding and encoding them again
    (that took most of the time a large report takes to write)."""
    tail = ", " + json.dumps(extra, ensure_ascii=False)[1:] if extra else "}"
    for rank, line in enumerate(selection.lines(), start=1):
        if line.startswith(UNRANKED):
            yield f'{{"rank": {rank}, {line[len(UNRANKED):-1]}{tail}'
        else:
            yield json.dumps({**json.loads(line), "rank": rank, **extra}, ensure_ascii=False)
