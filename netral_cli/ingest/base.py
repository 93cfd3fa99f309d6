"""What every ingest adapter is: a way to recognise its files and a parser yielding items or rejections."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from netral_cli.ingest.generic import GenericOptions
from netral_cli.ingest.sources import Source
from netral_cli.items import Item, Rejected, Skipped

Record = Item | Rejected
# A platform parser may also yield a Skipped for a file of its export that holds no records.
Parser = Callable[[Source, GenericOptions], Iterator[Record | Skipped]]
Recogniser = Callable[[Source], bool]


@dataclass(frozen=True)
class Adapter:
    """One input format: how to recognise its files (by path and content) and how to read them."""

    name: str
    recognise: Recogniser
    parse: Parser
