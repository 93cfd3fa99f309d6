"""Indonesian social-media text -> normalised tokens that remember where they came from.

Rules match the normalised, *unstemmed* tokens (so that a span maps back to the original text);
the classifier sees the Sastrawi stems. :class:`Normaliser` is the scikit-learn transformer used
by both training and scanning, so a model always sees text prepared exactly as it was trained on.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

import emoji
import yaml
from sklearn.base import BaseEstimator, TransformerMixin

# Token kinds.
WORD, NUMBER, HASHTAG, MENTION, URL, EMOJI = "word", "number", "hashtag", "mention", "url", "emoji"

_EMOJI_BASE = (
    "\u203c\u2049\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u23cf\u23e9-\u23f3\u23f8-\u23fa"
    "\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u27bf\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c"
    "\u2b50\u2b55\u3030\u303d\u3297\u3299\U0001F000-\U0001FAFF"
)
_EMOJI_MODIFIERS = "\ufe0f\ufe0e\U0001F3FB-\U0001F3FF"
_TOKEN_RE = re.compile(
    r"(?P<url>(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]])"
    r"|(?P<mention>@[A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)"
    r"|(?P<hashtag>#[^\W_][\w]*)"
    r"|(?P<keycap>[0-9]\ufe0f?\u20e3)"
    rf"|(?P<emoji>[\U0001F1E6-\U0001F1FF]{{2}}"
    rf"|[{_EMOJI_BASE}][{_EMOJI_MODIFIERS}]*(?:\u200d[{_EMOJI_BASE}][{_EMOJI_MODIFIERS}]*)*)"
    r"|(?P<datetime>\d{1,4}(?:[/:.-]\d{1,4}){1,2}(?![\w]))"
    r"|(?P<word>[^\W_]+(?:[-'][^\W_]+)*)"
)
_LETTER_DIGIT_RE = re.compile(r"[^\W\d_]+|\d+")
_CAMEL_RE = re.compile(r"[A-Z]{2,}(?=[A-Z][a-z]|\d|$)|[A-Z]?[a-z]+|[A-Z]+|\d+|[^\W\d_]+")
_RUN_RE = re.compile(r"(\w)\1{2,}")
_DOUBLE_RE = re.compile(r"(\w)\1")
_ZERO_PADDED_RE = re.compile(r"0[1-9]")
_VOWELS_RE = re.compile(r"[aeiou]")
_NOMOR = "nomor"
# A zero-padded number after these is a time, date or address (jam 08, RT 02/RW 05), not "nomor".
_NOT_NOMOR_BEFORE = frozenset({"jam", "pukul", "tanggal", "tgl", "rt", "rw"})
_MAX_SEGMENT = 24


@dataclass(frozen=True)
class Token:
    """A normalised token and the span of the original text it came from."""

    text: str
    start: int
    end: int
    kind: str = WORD


@dataclass(frozen=True)
class Normalised:
    """A text after normalisation: tokens with offsets into ``original``."""

    original: str
    tokens: tuple[Token, ...]
    hashtags: tuple[str, ...] = ()

    @cached_property
    def words(self) -> tuple[str, ...]:
        return tuple(t.text for t in self.tokens)

    @cached_property
    def text(self) -> str:
        return " ".join(self.words)

    @cached_property
    def stems(self) -> tuple[str, ...]:
        return tuple(stem_token(t) for t in self.tokens)

    @cached_property
    def stem_text(self) -> str:
        return " ".join(self.stems)

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Original character span covered by tokens ``first..last`` (inclusive)."""
        return self.tokens[first].start, self.tokens[last].end


@dataclass(frozen=True)
class Lexicon:
    slang: dict[str, tuple[str, ...]]
    project_slang: frozenset[str]
    protected: frozenset[str]
    vocabulary: frozenset[str]
    gestures: dict[str, str]
    numbers: dict[str, str]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The project lexicon merged over indoNLP's kamus-alay slang table (loaded once)."""
    from indoNLP.preprocessing.slang_data import SLANG_DATA

    raw = yaml.safe_load(resources.files("netral_cli.resources").joinpath("lexicon.yaml").read_text("utf-8"))
    slang: dict[str, tuple[str, ...]] = {}
    for key, value in {**SLANG_DATA, **raw["slang"]}.items():
        words = tuple(str(value).lower().split())
        if words and words != (key,):
            slang[key] = words
    vocabulary = set(raw["vocabulary"]) | set(raw["protected"]) | _sastrawi_roots()
    vocabulary |= {w for words in slang.values() for w in words}
    return Lexicon(slang=slang, project_slang=frozenset(raw["slang"]), protected=frozenset(raw["protected"]),
                   vocabulary=frozenset(vocabulary),
                   gestures=dict(raw["gestures"]), numbers={str(k): str(v) for k, v in raw["numbers"].items()})


def _sastrawi_roots() -> set[str]:
    text = resources.files("Sastrawi.Stemmer").joinpath("data/kata-dasar.txt").read_text("utf-8")
    return {w.strip() for w in text.split() if w.strip().isalpha()}


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=200_000)
def stem_word(word: str) -> str:
    """Sastrawi stem of one word, cached; protected words are returned unchanged."""
    if word in lexicon().protected or not word.replace("-", "").isalpha():
        return word
    return _stemmer().stem(word) or word


def stem_token(token: Token) -> str:
    return stem_word(token.text) if token.kind in (WORD, HASHTAG) else token.text


def normalise(text: str) -> Normalised:
    """Normalise one text: tokens (lowercase, slang -> formal, hashtags split, emoji named,
    elongation undone, number forms unified) with offsets into the original string."""
    text = text or ""
    raw_tokens: list[Token] = []
    hashtags: list[str] = []
    for match in _TOKEN_RE.finditer(text):
        kind = match.lastgroup
        start, end = match.span()
        value = match.group()
        if kind == "hashtag":
            hashtags.append(_fold(value[1:]))
            raw_tokens.extend(Token(w, start, end, HASHTAG) for w in split_hashtag(value[1:]))
        elif kind == "url":
            raw_tokens.append(Token(value.lower(), start, end, URL))
        elif kind == "mention":
            raw_tokens.append(Token(value.lower(), start, end, MENTION))
        elif kind == "keycap":
            raw_tokens.append(Token(value[0], start, end, NUMBER))
        elif kind == "emoji":
            raw_tokens.append(Token(emoji_token(value), start, end, EMOJI))
        elif kind == "datetime":
            raw_tokens.append(Token(value, start, end, NUMBER))
        else:
            raw_tokens.extend(_word_tokens(value, start, end))
    return Normalised(original=text, tokens=tuple(_unify_numbers(_expand(raw_tokens, text))),
                      hashtags=tuple(hashtags))


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value).casefold()


def _word_tokens(value: str, start: int, end: int) -> Iterator[Token]:
    folded = _fold(value)
    as_written = _is_acronym(value) and not _VOWELS_RE.search(folded)  # PPP, KPPS are not elongations
    for part in _LETTER_DIGIT_RE.findall(folded) if not folded.isalpha() else [folded]:
        if part.isdigit():
            yield Token(part, start, end, NUMBER)
        else:
            yield Token(part if as_written else undo_elongation(part), start, end, WORD)


def split_hashtag(tag: str) -> list[str]:
    """``PilihNomor2`` -> pilih nomor 2; ``prabowogemoy`` -> prabowo gemoy (dictionary segmentation)."""
    words: list[str] = []
    for part in _CAMEL_RE.findall(unicodedata.normalize("NFKC", tag)):
        lowered = part.casefold()
        if lowered.isdigit() or len(lowered) <= 3:
            words.append(lowered)
        else:
            # Segment as written first, so that a double letter is not collapsed into another word
            # (allin -> all in, not alin); undo elongation only when that leaves unknown pieces.
            pieces = segment(lowered)
            if not all(map(_known, pieces)):
                pieces = segment(undo_elongation(lowered))
            words.extend(pieces)
    return words


@lru_cache(maxsize=50_000)
def segment(word: str) -> tuple[str, ...]:
    """Split a run-together lowercase string into known words, fewest pieces first.

    Unknown stretches cost more than any known word, so a word that is itself known, or whose
    Sastrawi root is (``melanjutkan``), stays whole.
    """
    vocab = lexicon().vocabulary
    root = stem_word(word)
    if _known(word) or len(word) > 60 or (root != word and root in vocab):
        return (word,)
    n = len(word)
    best: list[tuple[float, int]] = [(0.0, 0)] + [(float("inf"), 0)] * n
    for end in range(1, n + 1):
        for begin in range(max(0, end - _MAX_SEGMENT), end):
            piece = word[begin:end]
            known = piece in vocab and (len(piece) > 1 or piece.isdigit())
            cost = best[begin][0] + (1.0 if known else 2.0 + len(piece))
            if cost < best[end][0]:
                best[end] = (cost, begin)
    pieces: list[str] = []
    end = n
    while end > 0:
        begin = best[end][1]
        pieces.append(word[begin:end])
        end = begin
    pieces.reverse()
    return _merge_unknown(pieces, vocab)


def _merge_unknown(pieces: list[str], vocab: frozenset[str]) -> tuple[str, ...]:
    merged: list[str] = []
    for piece in pieces:
        if merged and piece not in vocab and merged[-1] not in vocab:
            merged[-1] += piece
        else:
            merged.append(piece)
    return tuple(merged)


@lru_cache(maxsize=100_000)
def undo_elongation(word: str) -> str:
    """``dukuuung`` -> dukung, ``mantaaap`` -> mantap, ``siiip`` -> sip; known words stay as they are."""
    if _known(word):
        return word
    collapsed_once = _RUN_RE.sub(r"\1", word)
    if collapsed_once != word:
        for candidate in (collapsed_once, _RUN_RE.sub(r"\1\1", word)):
            if _known(candidate):
                return candidate
        word = collapsed_once
    if _DOUBLE_RE.search(word) and word not in lexicon().vocabulary:
        single = _DOUBLE_RE.sub(r"\1", word)
        if _known(single):
            return single
    return word


def _known(word: str) -> bool:
    """A dictionary word, a project word or a slang form."""
    lex = lexicon()
    return word in lex.vocabulary or word in lex.slang


def emoji_token(value: str) -> str:
    """A gesture emoji becomes its gesture token (``✌️`` -> gestur_2_jari); others ``emoji_<name>``."""
    base = "".join(ch for ch in value if not ("\U0001F3FB" <= ch <= "\U0001F3FF") and ch not in "\ufe0f\ufe0e")
    gesture = lexicon().gestures.get(base)
    if gesture:
        return gesture
    name = emoji.demojize(base, delimiters=("", "")).strip().lower()
    if not name or name == base.lower():
        return "emoji"
    return "emoji_" + re.sub(r"[^a-z0-9]+", "_", name).strip("_")


def _expand(tokens: list[Token], original: str) -> Iterator[Token]:
    """Slang and abbreviations -> formal words; each produced word keeps the original span.

    An all-capitals word (KTA, BKN, SK) is an acronym: kamus-alay's mappings (kta -> kita,
    bkn -> bukan) do not apply to it, the project lexicon's do.
    """
    lex = lexicon()
    for token in tokens:
        words = lex.slang.get(token.text) if token.kind in (WORD, HASHTAG) else None
        if words and token.kind == WORD and token.text not in lex.project_slang \
                and _is_acronym(original[token.start:token.end]):
            words = None
        if words:
            for word in words:
                yield Token(word, token.start, token.end, token.kind)
        else:
            yield token


def _is_acronym(word: str) -> bool:
    return 2 <= len(word) <= 6 and word.isupper()


def _unify_numbers(tokens: Iterable[Token]) -> Iterator[Token]:
    """``no. 2``, ``no2``, ``nomor dua``, ``02`` -> nomor 2; ``dua jari`` -> 2 jari; ``kosong dua`` -> nomor 2."""
    numbers = lexicon().numbers
    items = list(tokens)
    previous = ""
    for index, token in enumerate(items):
        following = items[index + 1].text if index + 1 < len(items) else ""
        text = token.text
        is_number = text.isdigit() or text in numbers
        if text in ("no", "nomor") and (following.isdigit() or following in numbers or following == "urut"):
            token = Token(_NOMOR, token.start, token.end, token.kind)
        elif text == "kosong" and following in numbers:
            token = Token(_NOMOR, token.start, token.end, token.kind)
        elif is_number and (previous in (_NOMOR, "urut") or following == "jari"):
            token = Token(numbers.get(text, text).lstrip("0") or "0", token.start, token.end, NUMBER)
        elif token.kind in (NUMBER, HASHTAG) and _ZERO_PADDED_RE.fullmatch(text) \
                and previous not in _NOT_NOMOR_BEFORE:
            yield Token(_NOMOR, token.start, token.end, NUMBER)
            token = Token(text[1], token.start, token.end, NUMBER)
        previous = token.text
        yield token


def stem_text_of(doc: Normalised | str) -> str:
    """Classifier input: the stems (a module-level function so that a saved pipeline pickles)."""
    return (doc if isinstance(doc, Normalised) else normalise(doc)).stem_text


def text_of(doc: Normalised | str) -> str:
    """Classifier input for character n-grams: the unstemmed normalised text."""
    return (doc if isinstance(doc, Normalised) else normalise(doc)).text


class Normaliser(TransformerMixin, BaseEstimator):
    """scikit-learn transformer: texts (or already normalised items) -> :class:`Normalised` objects.

    Stateless; it sits first in the classifier pipeline so that training and scanning share it.
    """

    def fit(self, X: Iterable[Any], y: Any = None) -> "Normaliser":
        return self

    def transform(self, X: Iterable[Any]) -> list[Normalised]:
        return [x if isinstance(x, Normalised) else normalise("" if x is None else str(x)) for x in X]
