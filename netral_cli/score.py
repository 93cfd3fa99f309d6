"""Rule hits + classifier probability -> score, level and rank.

    r     = 1 - prod(1 - w_i)                     noisy-or of the weights of the rules that fired
                                                   (high 0.9, medium 0.7, low 0.4)
    score = 1 - (1 - r * (0.6 + 0.4 p)) * (1 - p)  p = the classifier's probability

A rule alone counts for 60 % of its weight when the model disagrees (p = 0) and in full when it
agrees, so a rule misfiring on a neutrality reminder lands at medium rather than high, while a
confident model with no rule hit still ranks an item. Levels: high >= 0.80, medium >= 0.55,
low >= 0.30, else none.

With an election context, an item from the quiet period (masa tenang) weighs more: its rule
strength is ``r = 1 - prod(1 - w_i) ** QUIET_PERIOD_FACTOR`` (factor 2: as if every rule had fired
twice), so a medium rule (0.7) counts 0.91 and a high one (0.9) 0.99. Items no rule fired on keep
their score: the period alone is no evidence.

A record also carries what a report to Bawaslu or BKN needs (``profile_url``, ``post_url``,
``candidates``, ``legal_basis``, ``sanction``); reasons in words are in the report language
(``id`` or ``en``), rule titles as the rules write them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from netral_cli.classifier import Explanation
from netral_cli.items import Item
from netral_cli.rules.context import tickets_in
from netral_cli.rules.engine import Hit
from netral_cli.rules.rule import STAGES

LEVELS = (("high", 0.80), ("medium", 0.55), ("low", 0.30), ("none", 0.0))
LEVEL_ORDER = {name: index for index, (name, _) in enumerate(reversed(LEVELS))}
UNKNOWN_STAGE = "unknown"
QUIET_PERIOD_FACTOR = 2.0
QUIET_NOTE = {"id": "masa tenang (bobot aturan x{factor})", "en": "quiet period (rule weight x{factor})"}


@dataclass(frozen=True)
class Scored:
    item: Item
    hits: tuple[Hit, ...]
    model_score: float
    score: float
    level: str
    stage: str = UNKNOWN_STAGE
    rank: int = 0
    quiet: bool = False
    explanation: Explanation | None = None  # the model's, attached to reported items only

    def to_record(self, lang: str = "id") -> dict[str, Any]:
        """The output record of the contract (``cli.md``) plus the evidence fields of a report; every writer
        serialises this. ``lang`` is the language of the reasons in words."""
        item = self.item
        evidence = [evidence_record(hit, e, self.stage, self.quiet, lang) for hit in self.hits for e in hit.evidence]
        return {
            "rank": self.rank,
            "score": round(self.score, 4),
            "level": self.level,
            "item_id": item.item_id,
            "platform": item.platform,
            "kind": item.kind,
            "author": item.author,
            "account": item.account,
            "timestamp": item.timestamp.isoformat() if item.timestamp else None,
            "text": item.text,
            "target": item.target,
            "group": item.group,
            "rules": [hit.rule.id for hit in self.hits],
            "skb": sorted({hit.rule.skb_items(self.stage) for hit in self.hits}),
            "stage": self.stage,
            "model_score": round(self.model_score, 4),
            "evidence": evidence + ([self.explanation.evidence(lang=lang)] if self.explanation else []),
            "source_file": item.source_file,
            "locator": item.locator,
            "profile_url": profile_url(item.platform, item.account),
            "post_url": post_url(item),
            "candidates": candidates(self.hits),
            "legal_basis": list(dict.fromkeys(" ".join(hit.rule.legal_basis.split()) for hit in self.hits)),
            "sanction": list(dict.fromkeys(s for hit in self.hits if (s := sanction(hit, self.stage)))),
        }


def evidence_record(hit: Hit, evidence: Any, stage: str, quiet: bool = False, lang: str = "id") -> dict[str, Any]:
    rule = hit.rule
    skb = rule.skb_items(stage)
    reason = f"{rule.title} (SKB 2/2022 {skb}): \u201c{evidence.text}\u201d"
    if evidence.note:
        reason += f" = {evidence.note}"
    if quiet:
        reason += "; " + QUIET_NOTE[lang].format(factor=f"{QUIET_PERIOD_FACTOR:g}")
    return {**evidence.to_dict(), "rule": rule.id, "skb": skb, "reason": reason}


# --- Evidence fields of a report to Bawaslu or BKN -------------------------------------------------------

PROFILE_URLS = {"facebook": "https://www.facebook.com/{}", "instagram": "https://www.instagram.com/{}/",
                "tiktok": "https://www.tiktok.com/@{}", "x": "https://x.com/{}", "twitter": "https://x.com/{}"}
_URL = re.compile(r"^(?:https?://|www\.|(?:[a-z0-9-]+\.)*(?:facebook|fb|instagram|tiktok|twitter|x|youtube)\.com/"
                  r"|wa\.me/)\S*$", re.IGNORECASE)
_HANDLE = re.compile(r"^@?([A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)$")
_PHONE = re.compile(r"^\+?[\d][\d \-.()]{6,}$")


def as_url(value: str | None) -> str | None:
    """``value`` as a link when it is one (a scheme is added when missing), else None."""
    if not value or not _URL.match(value.strip()):
        return None
    value = value.strip()
    return value if re.match(r"^https?://", value, re.IGNORECASE) else "https://" + value


def profile_url(platform: str, account: str | None) -> str | None:
    """The account's profile link: the account itself when it is a link, else built from the platform and
    the handle (WhatsApp: ``wa.me`` and the phone number's digits); None when unknown."""
    if not account:
        return None
    link = as_url(account)
    if link:
        return link
    account = account.strip()
    if platform == "whatsapp":
        return f"https://wa.me/{phone_digits(account)}" if _PHONE.match(account) else None
    handle = _HANDLE.match(account)
    return PROFILE_URLS[platform].format(handle.group(1)) if handle and platform in PROFILE_URLS else None


def phone_digits(phone: str) -> str:
    """An Indonesian number in international form without ``+``: ``0812-3456-7890`` -> ``6281234567890``."""
    digits = re.sub(r"\D", "", phone)
    return "62" + digits[1:] if digits.startswith("0") else digits


def post_url(item: Item) -> str | None:
    """The link of the post, or of what was liked, shared or followed: ``extras["url"]``, else the target
    when it is a link."""
    url = item.extras.get("url")
    return as_url(url) if isinstance(url, str) and as_url(url) else as_url(item.target)


def candidates(hits: Iterable[Hit]) -> list[str]:
    """The tickets the evidence names, from the notes an election context gives spans: ``["Paslon 02"]``."""
    numbers = {number for hit in hits for e in hit.evidence for number in tickets_in(e.note)}
    return [f"Paslon {number:02d}" for number in sorted(numbers)]


def sanction(hit: Hit, stage: str) -> str:
    """The rule's sanction type at ``stage``; both stages spelled out when the stage is unknown and they differ."""
    given = hit.rule.sanction
    if stage in given:
        return given[stage]
    kinds = dict.fromkeys(given.get(s, "") for s in STAGES)
    if len(kinds) == 1:
        return next(iter(kinds))
    return " / ".join(f"{s}: {given[s]}" for s in STAGES if given.get(s))


def rule_strength(hits: Iterable[Hit], factor: float = 1.0) -> float:
    """Noisy-or of the rule weights; ``factor`` > 1 counts every rule as if it had fired more often."""
    remaining = 1.0
    for hit in hits:
        remaining *= 1.0 - hit.rule.weight
    return 1.0 - remaining ** factor


def combine(hits: Iterable[Hit], model_score: float, quiet: bool = False) -> float:
    r = rule_strength(hits, QUIET_PERIOD_FACTOR if quiet else 1.0)
    p = min(max(model_score, 0.0), 1.0)
    return 1.0 - (1.0 - r * (0.6 + 0.4 * p)) * (1.0 - p)


def level_of(score: float) -> str:
    for name, floor in LEVELS:
        if score >= floor:
            return name
    raise ValueError(f"not a score: {score!r}")


def score_item(item: Item, hits: Iterable[Hit], model_score: float, stage: str = UNKNOWN_STAGE,
               quiet: bool = False) -> Scored:
    """Score one item; ``stage`` picks the SKB items, ``quiet`` (masa tenang) raises the rules' weight."""
    hits = tuple(hits)
    value = combine(hits, model_score, quiet)
    return Scored(item=item, hits=hits, model_score=model_score, score=value, level=level_of(value), stage=stage,
                  quiet=quiet)


def rank(scored: Iterable[Scored]) -> list[Scored]:
    """Most suspicious first; ties broken by item id so that the order is reproducible."""
    ordered = sorted(scored, key=lambda s: (rank_key(s.score), s.item.item_id))
    return [replace(s, rank=index) for index, s in enumerate(ordered, start=1)]


def rank_key(score: float) -> float:
    """Most suspicious first; the rounding makes equal-looking scores tie, then ``item_id`` decides."""
    return -round(score, 6)


def at_least(level: str, floor: str) -> bool:
    return LEVEL_ORDER[level] >= LEVEL_ORDER[floor]
