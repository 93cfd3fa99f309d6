"""Counts and the per-account ranking every human-readable report shows, from one pass over the records.

An account's score is the noisy-or of its findings' scores (findings: records at level low or above):

    account_score = 1 - prod(1 - score_i)

so every further finding raises it and none lowers it: an account with several medium findings
(0.6 each: 0.94 for three) outranks one with a single high finding (0.85), which outranks one with a
single low finding (0.35). Ties go to the account with the higher best finding, then more findings,
then the account name, so the order is reproducible.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from netral_cli.score import at_least

FINDING_LEVEL = "low"
NO_ACCOUNT = "?"


@dataclass
class Account:
    """One account's findings. ``key`` is what identifies it on its platform (handle, else name)."""

    platform: str
    key: str
    names: Counter[str] = field(default_factory=Counter)
    profile_url: str | None = None
    findings: int = 0
    levels: Counter[str] = field(default_factory=Counter)
    skb: Counter[str] = field(default_factory=Counter)
    best: float = 0.0
    remaining: float = 1.0  # prod(1 - score_i)
    first: str | None = None
    last: str | None = None
    ranks: list[int] = field(default_factory=list)  # ranks of its findings, best first

    @property
    def score(self) -> float:
        return 1.0 - self.remaining

    @property
    def name(self) -> str:
        """The display name seen most often (the key when there is none)."""
        return self.names.most_common(1)[0][0] if self.names else self.key

    def add(self, record: dict[str, Any]) -> None:
        self.findings += 1
        self.levels[record["level"]] += 1
        self.skb.update(record.get("skb") or ())
        self.best = max(self.best, record["score"])
        self.remaining *= 1.0 - record["score"]
        if record.get("author"):
            self.names[record["author"]] += 1
        self.profile_url = self.profile_url or record.get("profile_url")
        stamp = record.get("timestamp")
        if stamp:
            self.first = min(self.first or stamp, stamp, key=instant)
            self.last = max(self.last or stamp, stamp, key=instant)
        self.ranks.append(record["rank"])


def instant(timestamp: str) -> datetime:
    """An ISO 8601 timestamp as a moment: ``…T08:00+07:00`` comes before ``…T02:00+00:00``."""
    return datetime.fromisoformat(timestamp)


@dataclass
class Summary:
    """What the findings add up to: counts per level, SKB item, platform, kind, stage and month, and the
    accounts ranked by :data:`account score <netral_cli.report.summary>`."""

    findings: int = 0
    levels: Counter[str] = field(default_factory=Counter)
    skb: Counter[str] = field(default_factory=Counter)
    platforms: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    stages: Counter[str] = field(default_factory=Counter)
    months: Counter[str] = field(default_factory=Counter)  # "2024-01"; "?" without a timestamp
    rules: Counter[str] = field(default_factory=Counter)
    sources: Counter[str] = field(default_factory=Counter)
    accounts: list[Account] = field(default_factory=list)


def account_key(record: dict[str, Any]) -> tuple[str, str]:
    return record.get("platform") or NO_ACCOUNT, record.get("account") or record.get("author") or NO_ACCOUNT


def is_finding(record: dict[str, Any]) -> bool:
    return at_least(record["level"], FINDING_LEVEL)


def summarise(records: Iterable[dict[str, Any]]) -> Summary:
    """Counts over the findings among ``records`` (rank order) and their accounts, ranked."""
    summary = Summary()
    accounts: dict[tuple[str, str], Account] = {}
    for record in records:
        if not is_finding(record):
            continue
        summary.findings += 1
        summary.levels[record["level"]] += 1
        summary.skb.update(record.get("skb") or ())
        summary.platforms[record.get("platform") or NO_ACCOUNT] += 1
        summary.kinds[record.get("kind") or NO_ACCOUNT] += 1
        summary.stages[record.get("stage") or "unknown"] += 1
        summary.months[(record.get("timestamp") or NO_ACCOUNT)[:7]] += 1
        summary.rules.update(record.get("rules") or ())
        summary.sources[record.get("source_file") or NO_ACCOUNT] += 1
        key = account_key(record)
        accounts.setdefault(key, Account(*key)).add(record)
    summary.accounts = sorted(accounts.values(), key=lambda a: (-round(a.score, 9), -a.best, -a.findings,
                                                                a.platform, a.key))
    return summary


def by_count(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """Most frequent first, ties by name, so that the order never depends on the order of reading."""
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))
