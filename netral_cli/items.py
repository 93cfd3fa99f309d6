"""The unified item model every ingest adapter produces and every later stage consumes."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from netral_cli.system import lazy

KINDS = (
    "post", "comment", "reaction", "share", "follow", "group_join", "group_message",
    "group_post", "group_comment", "video", "like", "favourite", "system",
)


@dataclass(frozen=True)
class Item:
    """One post, comment, reaction, follow or message, whatever platform it came from. Its ``item_id`` is worked
    out from its fields when first asked for: a scan asks only for the items it reports, a few percent of them."""

    platform: str
    kind: str
    author: str | None
    account: str | None
    timestamp: datetime | None
    text: str
    target: str | None
    group: str | None
    source_file: str
    locator: str
    extras: dict[str, Any] = field(default_factory=dict)

    @lazy
    def item_id(self) -> str:
        """:func:`make_item_id` of where the item was found and what it says."""
        return make_item_id(self.source_file, self.locator, self.platform, self.kind, self.author, self.account,
                            self.timestamp.isoformat() if self.timestamp else None, self.text, self.target, self.group)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["timestamp"] = self.timestamp.isoformat() if self.timestamp else None
        return {"platform": data.pop("platform"), "kind": data.pop("kind"), "item_id": self.item_id, **data}


@dataclass(frozen=True)
class Rejected:
    """A record that was read but could not become an item, with the reason in words."""

    source_file: str
    locator: str
    reason: str
    excerpt: str = ""

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


_ID_JSON = json.JSONEncoder(ensure_ascii=False)  # json.dumps(..., ensure_ascii=False) without making one per call


def make_item_id(source_file: str, locator: str, *content: object) -> str:
    """A stable id: the same record in the same file always gets the same id."""
    payload = _ID_JSON.encode([source_file, locator, *[str(c) if c is not None else None for c in content]])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def new_item(*, platform: str, kind: str, text: str, source_file: str, locator: str,
             author: str | None = None, account: str | None = None, timestamp: datetime | None = None,
             target: str | None = None, group: str | None = None,
             extras: dict[str, Any] | None = None) -> Item:
    """Build an item (its id derives from where it was found and what it says): ``Item(...)`` with its fields set
    at once rather than one ``object.__setattr__`` each as a frozen dataclass's ``__init__`` does (a scan makes one
    per record: 1.9 -> 0.6 us)."""
    item = object.__new__(Item)
    item.__dict__.update(platform=platform, kind=kind, author=author, account=account, timestamp=timestamp, text=text,
                         target=target, group=group, source_file=source_file, locator=locator, extras=extras or {})
    return item


@dataclass(frozen=True)
class Skipped:
    """A file that was found but not read (unknown format), with the reason.

    ``refused`` marks a file of a known export in a form netral does not read (Meta's HTML export):
    when nothing else in the inputs is readable, ingest fails with its reason instead of reporting
    an empty, seemingly clean result.
    """

    source_file: str
    reason: str
    refused: bool = False

    def to_dict(self) -> dict[str, str]:
        return {"source_file": self.source_file, "reason": self.reason}
