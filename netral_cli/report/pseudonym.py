"""``--pseudonymize``: names, handles and phone numbers replaced by stable keyed hashes in every output.

A pseudonym is ``<kind>-`` and the first 8 hex digits of HMAC-SHA256(key, kind and the value in a
canonical form): ``nama-…`` for a person's name, ``akun-…`` for a handle or account, ``telp-…`` for a
phone number, ``email-…`` for an e-mail address. The same key gives the same pseudonyms in every run, and ``@Siti.Rahma``,
``siti.rahma`` and ``https://www.instagram.com/siti.rahma/`` the same ``akun-…``; ``0812-3456-7890`` and
``+62 812 3456 7890`` the same ``telp-…``. Without the key a pseudonym cannot be traced back.

What is replaced where:

- ``author`` and ``account`` as a whole;
- the people of the scan (every item's author and account, and the people a WhatsApp chat names
  without their writing: "Budi menambahkan Sari", the other person of ``WhatsApp Chat with Budi.txt``)
  wherever they occur: in the text, target, group, links, source file names, locators, evidence and
  rejected records;
- every ``@mention`` in texts (the text, evidence reasons), except the public campaign accounts of the
  election context: they are the evidence;
- Indonesian phone numbers (``+62``, ``62``, ``0`` forms, with spaces, dots, dashes, brackets) and e-mail
  addresses everywhere;
- a ``target`` (whose post was commented on or liked: often a person) as a whole, unless a rule found
  its evidence there or it is a public campaign account of the context: the pages and accounts an ASN
  engaged with that make a finding stay readable;
- a rejected record keeps its file, locator and reason (with quoted values hidden); its excerpt, raw data
  that could not be parsed and so cannot be searched for people, is left out.

Groups otherwise stay readable. Evidence offsets are mapped onto the pseudonymised field: a span that
touches a replaced stretch grows to cover all of it, so ``text[start:end]`` is always the entry's ``text``.
Not covered: a third person named only in free text ("tanya Bayu Nugroho"): that needs named-entity
recognition.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

from netral_cli.items import Rejected, Skipped
from netral_cli.rules.context import account_keys
from netral_cli.score import phone_digits

HASH_DIGITS = 8
NAME, ACCOUNT, PHONE, EMAIL = "nama", "akun", "telp", "email"
PHONE_DIGITS = (9, 14)  # digits of an Indonesian number: 0812345678 .. 62 8123 4567 8901
# Between digit groups: a space (also no-break), dot or any hyphen or dash (WhatsApp writes U+2011), with
# the invisible direction marks WhatsApp puts around and inside numbers.
_MARKS = "\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff"
_SEP = rf"[{_MARKS}]*(?:[\s.\-\u2010-\u2015\u2212][{_MARKS}]*)?"
_MOBILE = rf"\(?(?:\+\s?62|62|0)\)?{_SEP}\(?8\d{{1,3}}\)?"
_LANDLINE = rf"\(?\+\s?62\)?{_SEP}\(?[2-79]\d{{0,3}}\)?"
_PHONE = re.compile(rf"(?<![\w+])(?:{_MOBILE}|{_LANDLINE})(?:{_SEP}\d{{2,5}}){{1,4}}(?!\w)")
_WHOLE_PHONE = re.compile(rf"^[{_MARKS}]*\+?\(?\d[\d\s.()\-\u2010-\u2015\u2212{_MARKS}]{{6,}}$")
_MENTION = re.compile(r"(?<![\w.@/])@([A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)")
_HANDLE_TOKEN = re.compile(r"[A-Za-z0-9_.]+")
_EMAIL = re.compile(r"(?<![\w.%+-])[\w.%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")
# A value quoted in a reason ("unreadable timestamp 'kemarin sore'"), unless it names a column, field or key.
_QUOTED_VALUE = re.compile(r"(?<!column )(?<!field )(?<!key )(?:'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\")")
_WORD = re.compile(r"\w+")
NGRAMS = 100_000  # model n-grams kept pseudonymised (a model has tens of thousands)
_NAME_GAP = re.compile(r"^[ \t.,'\-]{1,3}$")
MASK = "***"
MIN_LENGTH = 3  # shorter names and handles are replaced in their own field only, not searched in texts
TEXT_FIELDS = ("text", "target", "group")
PLAIN_FIELDS = ("post_url", "profile_url", "source_file", "locator")


@dataclass(frozen=True)
class Rewrite:
    """A pseudonymised string and its replacements ``(old_start, old_end, new_start, new_end)``, in order."""

    text: str
    edits: tuple[tuple[int, int, int, int], ...] = ()

    def position(self, offset: int, end: bool) -> int:
        """Where ``offset`` of the original lands; inside a replacement, at its start (or its end for an ``end``)."""
        shift = 0
        for old_start, old_end, new_start, new_end in self.edits:
            if offset <= old_start:
                break
            if offset < old_end:
                return new_end if end else new_start
            shift = new_end - old_end
        return offset + shift

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self.position(start, False), self.position(end, True)


class Pseudonymiser:
    """Pseudonyms under one key for the people of one scan (``people``: (author, account) pairs);
    ``public`` handles (the context's campaign accounts) stay readable as mentions."""

    def __init__(self, key: str, people: Iterable[tuple[str | None, str | None]] = (), public: Iterable[str] = ()):
        self.key = key.encode("utf-8")
        self.public = frozenset(handle.lstrip("@").casefold() for handle in public)
        self.names: dict[str, list[tuple[tuple[str, ...], str]]] = {}  # first word -> (words, pseudonym)
        self.handles: dict[str, str] = {}
        literals: dict[str, str] = {}
        for author, account in sorted(people, key=lambda pair: (pair[0] or "", pair[1] or "")):
            if author and not _WHOLE_PHONE.match(author.strip()):
                self._add_name(author, self.author(author))
            if account and not _WHOLE_PHONE.match(account.strip()):
                pseudonym = self.account(account)
                keys = account_keys(account)
                self.handles.update((k[1:], pseudonym) for k in keys if k.startswith("@") and len(k) > MIN_LENGTH)
                if not any(k.startswith("@") for k in keys):
                    if any(k.startswith("name:") for k in keys):
                        self._add_name(account, pseudonym)
                    else:
                        literals[account.strip().casefold()] = pseudonym
        for words in self.names.values():
            words.sort(key=lambda entry: -len(entry[0]))
        self.literals = literals
        self._ngrams: dict[str, str] = {}  # see ngram()
        self._literal = (re.compile("|".join(re.escape(k) for k in sorted(literals, key=len, reverse=True)),
                                    re.IGNORECASE) if literals else None)

    def _add_name(self, name: str, pseudonym: str) -> None:
        words = tuple(w.casefold() for w in _WORD.findall(name))
        if words and len(" ".join(words)) >= MIN_LENGTH:
            self.names.setdefault(words[0], []).append((words, pseudonym))

    # --- pseudonyms of whole values ---------------------------------------------------------------------

    def pseudonym(self, kind: str, canonical: str) -> str:
        digest = hmac.new(self.key, f"{kind}:{canonical}".encode("utf-8"), hashlib.sha256).hexdigest()
        return f"{kind}-{digest[:HASH_DIGITS]}"

    def phone(self, value: str) -> str:
        return self.pseudonym(PHONE, phone_digits(value))

    def author(self, value: str | None) -> str | None:
        if not value:
            return value
        if _WHOLE_PHONE.match(value.strip()):
            return self.phone(value)
        words = _WORD.findall(value.casefold())
        return self.pseudonym(NAME, " ".join(words) if words else value.strip().casefold())

    def account(self, value: str | None) -> str | None:
        """A handle, profile link or account name: ``akun-…`` (the same for every form of one handle)."""
        if not value:
            return value
        if _WHOLE_PHONE.match(value.strip()):
            return self.phone(value)
        keys = sorted(account_keys(value))
        handles = [k for k in keys if k.startswith("@")]
        # without a handle, the whole value: profile.php?id=1 and ?id=2 are two people
        canonical = handles[0][1:] if handles else value.strip().casefold()
        return self.pseudonym(ACCOUNT, canonical)

    def _shows(self, target: str, evidence: Iterable[dict[str, Any]]) -> bool:
        """Whether a target stays readable: a rule found evidence in it, or it is a public campaign account."""
        if any(entry.get("field") == "target" for entry in evidence):
            return True
        return any(key.startswith("@") and key[1:] in self.public for key in account_keys(target))

    def mention(self, handle: str) -> str:
        return self.pseudonym(ACCOUNT, handle.casefold().rstrip("."))

    # --- pseudonyms inside strings --------------------------------------------------------------------

    def rewrite(self, value: str, mentions: bool = False) -> Rewrite:
        """``value`` with phone numbers and the scan's people replaced (and every non-public ``@mention``)."""
        return _apply(value, self._found(value, mentions))

    def target(self, value: str) -> Rewrite:
        """A target nobody needs to read: a link keeps its form with the account in it pseudonymised
        (``https://www.facebook.com/akun-…/posts/1``), a link naming no account or a name is one pseudonym."""
        handles = {key[1:] for key in account_keys(value) if key.startswith("@")}
        if not handles:
            pseudonym = self.phone(value) if _WHOLE_PHONE.match(value.strip()) else (
                self.account(value) if "/" in value or "@" in value else self.author(value))
            return Rewrite(str(pseudonym), ((0, len(value), 0, len(str(pseudonym))),))
        found = [(m.start(), m.end(), self.mention(m.group(0))) for m in _HANDLE_TOKEN.finditer(value)
                 if m.group(0).casefold().rstrip(".") in handles]
        return _apply(value, [*found, *self._found(value, False)])

    def _found(self, value: str, mentions: bool) -> list[tuple[int, int, str]]:
        found = [*self._emails(value), *self._phones(value), *self._handles(value)]  # on a tie, the first found wins
        if self._literal is not None:
            found += [(m.start(), m.end(), self.literals.get(m.group(0).casefold()) or self.account(m.group(0)))
                      for m in self._literal.finditer(value)]
        if mentions and "@" in value:
            found += [(m.start(), m.end(), "@" + self.mention(m.group(1))) for m in _MENTION.finditer(value)
                      if m.group(1).casefold().rstrip(".") not in self.public]
        return [*found, *self._names(value)]

    def text(self, value: Any, mentions: bool = True) -> Any:
        """A string pseudonymised (anything else as it is)."""
        return self.rewrite(value, mentions).text if isinstance(value, str) else value

    def ngram(self, value: Any) -> Any:
        """A model n-gram pseudonymised, as :meth:`text`. N-grams are the model's, the same from record to record,
        so each is pseudonymised once (at most :data:`NGRAMS` are kept)."""
        if not isinstance(value, str):
            return value
        found = self._ngrams.get(value)
        if found is None:
            if len(self._ngrams) >= NGRAMS:
                self._ngrams.clear()
            found = self._ngrams[value] = self.text(value)
        return found

    def _emails(self, value: str) -> Iterator[tuple[int, int, str]]:
        if "@" not in value:  # most values: no e-mail address, not worth a regex scan
            return
        for match in _EMAIL.finditer(value):
            yield match.start(), match.end(), self.pseudonym(EMAIL, match.group(0).casefold())

    def _phones(self, value: str) -> Iterator[tuple[int, int, str]]:
        if "0" not in value and "62" not in value:  # every number _PHONE matches starts 0, 62 or +62
            return
        for match in _PHONE.finditer(value):
            end = _phone_end(value, match)
            if end is not None:
                yield match.start(), end, self.phone(value[match.start():end])

    def _names(self, value: str) -> Iterator[tuple[int, int, str]]:
        if not self.names:
            return
        words = list(_WORD.finditer(value))
        for index, word in enumerate(words):
            for name, pseudonym in self.names.get(word.group(0).casefold(), ()):
                stretch = words[index:index + len(name)]
                if len(stretch) == len(name) and all(w.group(0).casefold() == n for w, n in zip(stretch, name)) \
                        and all(_NAME_GAP.match(value[a.end():b.start()]) for a, b in zip(stretch, stretch[1:])):
                    yield word.start(), stretch[-1].end(), pseudonym
                    break

    def _handles(self, value: str) -> Iterator[tuple[int, int, str]]:
        if not self.handles:
            return
        for match in _HANDLE_TOKEN.finditer(value):
            token = match.group(0)
            handle = token.strip(".")
            pseudonym = self.handles.get(handle.casefold())
            if pseudonym:
                start = match.start() + len(token) - len(token.lstrip("."))
                yield start, start + len(handle), pseudonym

    # --- records ----------------------------------------------------------------------------------------

    def record(self, record: dict[str, Any]) -> dict[str, Any]:
        """A scan record with every name, handle and phone number pseudonymised and its evidence offsets
        mapped onto the pseudonymised fields."""
        out = dict(record)
        out["author"] = self.author(record.get("author"))
        out["account"] = self.account(record.get("account"))
        rewrites = {name: self.rewrite(record[name], mentions=name == "text") for name in TEXT_FIELDS
                    if isinstance(record.get(name), str)}
        target = record.get("target")
        if isinstance(target, str) and target and not self._shows(target, record.get("evidence") or ()):
            rewrites["target"] = self.target(target)
        for name, rewrite in rewrites.items():
            out[name] = rewrite.text
        for name in PLAIN_FIELDS:
            if name in record:
                out[name] = self.text(record[name], mentions=False)
        if "evidence" in record:
            hidden = _hidden_words(record, rewrites)
            out["evidence"] = [self.evidence(entry, rewrites, hidden) for entry in record["evidence"]]
        return out

    def evidence(self, entry: dict[str, Any], rewrites: dict[str, Rewrite],
                 hidden: re.Pattern[str] | None = None) -> dict[str, Any]:
        """An evidence entry; the model's n-grams lose the words of what was replaced in the record
        (``susilo`` of the name ``Bambang Susilo``) to ``***``."""
        def masked(value: Any) -> Any:
            return hidden.sub(MASK, value) if hidden is not None and isinstance(value, str) else value

        out = {**entry, "reason": self.text(entry.get("reason")), "text": self.text(entry.get("text"))}
        if "note" in entry:
            out["note"] = self.text(entry["note"], mentions=False)
        if "features" in entry:
            out.update(features=[{**f, "ngram": masked(self.ngram(f.get("ngram")))} for f in entry["features"]],
                       text=masked(out["text"]), reason=masked(out["reason"]))
        rewrite = rewrites.get(entry.get("field", ""))
        start, end = entry.get("start"), entry.get("end")
        if rewrite is None or not isinstance(start, int) or not isinstance(end, int):
            return {k: v for k, v in out.items() if k not in ("start", "end")} if "start" in entry else out
        new_start, new_end = rewrite.span(start, end)
        quoted = rewrite.text[new_start:new_end]
        out.update(start=new_start, end=new_end, text=quoted,
                   reason=self._requote(entry.get("reason"), entry.get("text"), quoted))
        return out

    def _requote(self, reason: Any, old: Any, new: str) -> Any:
        """The reason with its quote of the span replaced by the pseudonymised span, the rest pseudonymised."""
        quote = f"\u201c{old}\u201d"
        if not isinstance(reason, str) or quote not in reason:
            return self.text(reason)
        before, _, after = reason.partition(quote)
        return f"{self.text(before)}\u201c{new}\u201d{self.text(after)}"

    def rejected(self, record: Rejected) -> Rejected:
        """File, locator and reason (values it quotes hidden) pseudonymised; no excerpt (see the module)."""
        return Rejected(self.text(record.source_file, False), self.text(record.locator, False),
                        self.text(without_quoted_values(record.reason)), "")

    def skipped(self, record: Skipped) -> Skipped:
        return replace(record, source_file=self.text(record.source_file, False), reason=self.text(record.reason))

    def row(self, row: dict[str, Any]) -> dict[str, Any]:
        """An ``--export-uncertain`` row."""
        return {**row, "text": self.text(row.get("text")),
                **{name: self.text(row[name], False) for name in ("source_file", "locator") if name in row}}


def without_quoted_values(reason: str) -> str:
    """A rejected record's reason with every value it quotes (a timestamp that was not one, which could be
    anything the record holds) shown as ``'…'``; quoted column, field and key names stay."""
    return _QUOTED_VALUE.sub("'\u2026'", reason)


def _hidden_words(record: dict[str, Any], rewrites: dict[str, Rewrite]) -> re.Pattern[str] | None:
    """The words of every stretch that was replaced in the record's fields, as one pattern (None: no words)."""
    words = {word.casefold() for name, rewrite in rewrites.items() for old_start, old_end, _, _ in rewrite.edits
             for word in _WORD.findall(record[name][old_start:old_end])}
    if not words:
        return None
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")(?!\w)",
                      re.IGNORECASE)


def _phone_end(value: str, match: re.Match[str]) -> int | None:
    """Where the phone number of ``match`` ends: after the last digit group that keeps a phone's count of
    digits (``0812 3456 7890 2024`` is a number and a year); None when no group does."""
    end = None
    count = 0
    for index in range(match.start(), match.end()):
        if value[index].isdigit():
            count += 1
            last_of_group = index + 1 == match.end() or not value[index + 1].isdigit()
            if last_of_group and PHONE_DIGITS[0] <= count <= PHONE_DIGITS[1]:
                end = index + 1
    return end


def _apply(value: str, found: list[tuple[int, int, str]]) -> Rewrite:
    """Replace the found stretches, the earliest (then the longest) first, skipping those that overlap it."""
    parts: list[str] = []
    edits: list[tuple[int, int, int, int]] = []
    position = length = 0
    for start, end, replacement in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
        if start < position or start == end:
            continue
        parts.append(value[position:start])
        length += start - position
        edits.append((start, end, length, length + len(replacement)))
        parts.append(replacement)
        length += len(replacement)
        position = end
    parts.append(value[position:])
    return Rewrite("".join(parts), tuple(edits))
