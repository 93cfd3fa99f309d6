"""Indonesian social-media text -> normalised tokens that remember where they came from.

Rules match the normalised, *unstemmed* tokens (so that a span maps back to the original text);
the classifier sees the Sastrawi stems. :class:`Normaliser` is the scikit-learn transformer used
by both training and scanning, so a model always sees text prepared exactly as it was trained on.
"""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata, resources
from itertools import chain
from operator import itemgetter, methodcaller
from pathlib import Path
from typing import Any, NamedTuple

import emoji
import yaml
from sklearn.base import BaseEstimator, TransformerMixin

from netral_cli.stemmer import stem as sastrawi_stem
from netral_cli.system import FirstComeCache, append_lines, ignore_interrupts, lazy

# Token kinds.
WORD, NUMBER, HASHTAG, MENTION, URL, EMOJI = "word", "number", "hashtag", "mention", "url", "emoji"

_EMOJI_BASE = (
    "\u203c\u2049\u2139\u2194-\u2199\u21a9\u21aa\u231a\u231b\u2328\u23cf\u23e9-\u23f3\u23f8-\u23fa"
    "\u24c2\u25aa\u25ab\u25b6\u25c0\u25fb-\u25fe\u2600-\u27bf\u2934\u2935\u2b05-\u2b07\u2b1b\u2b1c"
    "\u2b50\u2b55\u3030\u303d\u3297\u3299\U0001F000-\U0001FAFF"
)
_EMOJI_MODIFIERS = "\ufe0f\ufe0e\U0001F3FB-\U0001F3FF"
_URL_PATTERN = r"(?:https?://|www\.)[^\s<>\"']+[^\s<>\"'.,;:!?)\]]"
_URL_RE = re.compile(_URL_PATTERN)
_TOKEN_RE = re.compile(
    rf"(?P<url>{_URL_PATTERN})"
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


_TOKEN_TEXT, _TOKEN_KIND = itemgetter(0), itemgetter(3)


class Token(NamedTuple):
    """A normalised token and the span of the original text it came from (a named tuple: one is made
    per token of every item, and a tuple is made several times faster than a frozen dataclass)."""

    text: str
    start: int
    end: int
    kind: str = WORD


class Normalised:
    """A text after normalisation: tokens with offsets into ``original``.

    :func:`normalise` makes one from the cached tokens of the text's whitespace-separated chunks and
    lists its words and their kinds at once; the tokens themselves, with their offsets, are only made
    when asked for (evidence spans, a context's masking): scoring reads words, kinds and stems.
    """

    def __init__(self, original: str, tokens: tuple[Token, ...], hashtags: tuple[str, ...] = ()):
        self.original = original
        self.tokens = tokens
        self.hashtags = hashtags

    @classmethod
    def of_chunks(cls, original: str, chunks: list[str], pieces: list[ChunkParts],
                  hashtags: tuple[str, ...]) -> "Normalised":
        """The normalisation of ``original`` split at whitespace into ``chunks``, each tokenised into ``pieces``
        (none with a number cue for :func:`_unify_numbers`)."""
        normalised = cls.__new__(cls)
        normalised.original = original
        normalised._chunks, normalised._pieces = chunks, pieces
        normalised.hashtags = hashtags
        normalised.words = tuple(chain.from_iterable(map(_PIECE_WORDS, pieces)))
        normalised.kinds = tuple(chain.from_iterable(map(_PIECE_KINDS, pieces)))
        return normalised

    @lazy
    def tokens(self) -> tuple[Token, ...]:  # reached only when made by of_chunks
        return tuple(_tokens_of(self.original, self._chunks, self._pieces))

    @lazy
    def words(self) -> tuple[str, ...]:
        return tuple(map(_TOKEN_TEXT, self.tokens))

    @lazy
    def kinds(self) -> tuple[str, ...]:
        return tuple(map(_TOKEN_KIND, self.tokens))

    @lazy
    def text(self) -> str:
        return " ".join(self.words)

    @lazy
    def stems(self) -> tuple[str, ...]:
        return tuple(map(_token_stem, self.words, self.kinds))

    @lazy
    def stem_text(self) -> str:
        return " ".join(self.stems)

    @lazy
    def stem_tokens(self) -> tuple[str, ...]:
        """``stem_text`` split at whitespace, as the classifier reads it, made without the text."""
        stems_of = word_stem_tokens.__getitem__
        if STEMMED.issuperset(self.kinds):  # most texts: words (and hashtags) only
            return tuple(chain.from_iterable(map(stems_of, self.words)))
        # a link, number or emoji among them: still no Python call a token
        return tuple(chain.from_iterable([stems_of(text) if kind in STEMMED else text.split()
                                          for text, kind in zip(self.words, self.kinds)]))

    def span(self, first: int, last: int) -> tuple[int, int]:
        """Original character span covered by tokens ``first..last`` (inclusive)."""
        return self.tokens[first].start, self.tokens[last].end

    def _key(self) -> tuple[str, tuple[Token, ...], tuple[str, ...]]:
        return self.original, self.tokens, self.hashtags

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Normalised) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Normalised(original={self.original!r}, tokens={self.tokens!r}, hashtags={self.hashtags!r})"


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


@lru_cache(maxsize=16_384)  # in front of the stem store, which holds every stem
def stem_word(word: str) -> str:
    """Sastrawi stem of one word, cached in memory and on disk; protected words are returned unchanged."""
    if not _stemmable(word):
        return word
    store = stem_store()
    stem = store.get(word)
    if stem is None:
        stem = _sastrawi_stem(word)
        store.add(word, stem)
    return stem


def _word_stem(word: str) -> str:
    """:func:`stem_word`, a stored stem taken straight from the store (which only holds words that
    :func:`stem_word` stems; a word that is not in :data:`word_stem_tokens` was usually stemmed before, and
    :func:`stem_word`'s own cache would miss it too)."""
    return stem_store().get(word) or stem_word(word)


def stem_tokens_of(word: str) -> tuple[str, ...]:
    """The classifier's tokens of a word's stem (Sastrawi can make several of one word: ``engkéna`` -> ``engk na``)."""
    return tuple(_word_stem(word).split())


# stem_tokens_of, cached for Normalised.stem_tokens. A hit is one look-up in C: a text of words alone gets its stem
# tokens with ``map`` and no Python code (about 100 bytes a word). A scan reads them by token number instead
# (netral_cli.tokens), and does not fill this cache.
word_stem_tokens = FirstComeCache(stem_tokens_of, 200_000)


def _token_stem(text: str, kind: str) -> str:
    """The stem of a word or hashtag token, the text of any other."""
    return _word_stem(text) if kind in STEMMED else text


def _stemmable(word: str) -> bool:
    return word not in lexicon().protected and word.replace("-", "").isalpha()


def _sastrawi_stem(word: str) -> str:
    return sastrawi_stem(word) or word


def _sastrawi_stems(words: list[str]) -> list[str]:
    return [_sastrawi_stem(w) for w in words]


STEMMED = frozenset((WORD, HASHTAG))  # the token kinds that are stemmed (the classifier reads their stems)


# --- the disk stem cache -------------------------------------------------------------------------

def cache_dir() -> Path:
    """netral's cache folder, ``netral`` under ``$NETRAL_CACHE_DIR``, ``$XDG_CACHE_HOME`` or ``~/.cache``
    (as the classifier's retrained-model cache)."""
    base = os.environ.get("NETRAL_CACHE_DIR") or os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "netral"


class StemStore:
    """Stems of words, kept in memory and appended to a tab-separated file read back on first use. It holds only
    words that are stemmed (not protected, letters and hyphens): a line of the file with any other word is ignored.

    It keeps at most :data:`LIMIT` stems (the first read or found): past them, it neither keeps nor writes more.

    The file name carries the PySastrawi version and a hash of the protected-word list, so a
    new stemmer or a new list starts a new file. Any file error (an unwritable or missing
    folder, a broken line) only costs the disk half: stems then live in memory alone.
    """

    FLUSH_EVERY = 5000
    # Stems a process keeps, about 100 bytes each with their words (a 1M scan of the benchmark corpus meets 320,000).
    # Past this, a very noisy vocabulary (1.6 million new words in a million posts) would take the scan past its
    # memory: the store neither keeps nor writes more, and a word met again is stemmed again (6-7 us).
    LIMIT = 750_000

    def __init__(self, path: Path | None):
        self.path = path
        self.stems: dict[str, str] | None = None
        self.shared: dict[str, str] = {}  # one string object per distinct stem (see _keep)
        self.pending: list[str] = []
        self.read_to = 0  # bytes of the file read so far (whole lines)

    def _loaded(self) -> dict[str, str]:
        if self.stems is None:
            self.stems = {}
            self._read_new()
        return self.stems

    def refresh(self) -> None:
        """Read the stems appended to the file since it was last read (by other processes: the workers
        of one scan share their new stems this way instead of each stemming the same words)."""
        if self.stems is None:
            self._loaded()
        else:
            self._read_new()

    def _read_new(self) -> None:
        if self.path is None:
            return
        try:
            with self.path.open("rb") as handle:
                handle.seek(self.read_to)
                data = handle.read()
        except OSError:
            return
        end = data.rfind(b"\n") + 1  # a line being appended right now is read next time
        self.read_to += end
        try:
            lines = data[:end].decode("utf-8").split("\n")[:-1]
        except UnicodeDecodeError:  # not a stem file: nothing of it is used
            return
        stems = self._loaded()
        for line in lines:
            if len(stems) >= self.LIMIT:
                break
            word, tab, stem = line.partition("\t")
            if tab and word and stem and "\t" not in stem and _stemmable(word):
                stems[word] = self._keep(word, stem)

    def __contains__(self, word: str) -> bool:
        return word in self._loaded()

    def __len__(self) -> int:
        return len(self._loaded())

    def get(self, word: str) -> str | None:
        return self._loaded().get(word)

    def add(self, word: str, stem: str) -> None:
        stems = self._loaded()
        if len(stems) >= self.LIMIT:
            return
        stems[word] = self._keep(word, stem)
        if self.path is not None:
            self.pending.append(f"{word}\t{stem}\n")
            if len(self.pending) >= self.FLUSH_EVERY:
                self.flush()

    def _keep(self, word: str, stem: str) -> str:
        """The stem as one object shared by every word that has it, or the word itself when unchanged: a
        third less memory for the hundreds of thousands of stems a large scan keeps (names, slang and typos
        stem to themselves; many words share a root)."""
        return word if stem == word else self.shared.setdefault(stem, stem)

    def flush(self) -> None:
        """Append the stems found since the last flush (whole lines only, see :func:`~netral_cli.system.append_lines`)."""
        if not self.pending or self.path is None:
            return
        lines, self.pending = "".join(self.pending), []
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            append_lines(self.path, lines)
        except OSError:
            self.path = None


def stem_cache_path() -> Path:
    """The stem cache file for this PySastrawi version and protected-word list."""
    protected = "\n".join(sorted(lexicon().protected)).encode("utf-8")
    key = hashlib.sha256(protected).hexdigest()[:16]
    return cache_dir() / f"stems-pysastrawi{metadata.version('PySastrawi')}-{key}.tsv"


@lru_cache(maxsize=1)
def stem_store() -> StemStore:
    """The process's stem store (its file is read on first use and appended to at exit)."""
    store = StemStore(stem_cache_path())
    atexit.register(store.flush)
    return store


PARALLEL_STEMS = 4000  # fewer new words than this are stemmed in-process: a pool costs more than it saves


def prime_stems(words: Iterable[str], workers: int | None = None) -> int:
    """Stem the words not stemmed before, across ``workers`` processes when there are many, and
    store them (memory and disk). Returns how many words were new. Later :func:`stem_word` calls
    for these words only look them up."""
    store = stem_store()
    new = sorted({w for w in words if w not in store and _stemmable(w)})
    if not new:
        return 0
    workers = workers or os.cpu_count() or 1
    if workers > 1 and len(new) >= PARALLEL_STEMS:
        size = -(-len(new) // (workers * 4))
        chunks = [new[i:i + size] for i in range(0, len(new), size)]
        with ProcessPoolExecutor(workers, initializer=ignore_interrupts) as pool:
            stems = [stem for chunk in pool.map(_sastrawi_stems, chunks) for stem in chunk]
    else:
        stems = _sastrawi_stems(new)
    for word, stem in zip(new, stems):
        store.add(word, stem)
    store.flush()
    return len(new)


# --- normalisation -------------------------------------------------------------------------------

Part = tuple[str, str]  # (normalised text, kind) of one token


def normalise(text: str) -> Normalised:
    """Normalise one text: tokens (lowercase, slang -> formal, hashtags split, emoji named,
    elongation undone, number forms unified) with offsets into the original string."""
    text = text or ""
    chunks = text.split()
    # Links and dates are nearly always new: caching them would only push useful chunks out.
    if "/" in text:
        pieces = [_chunk_parts[chunk] if "/" not in chunk else _tokenise_chunk(chunk) for chunk in chunks]
    else:
        pieces = list(map(_chunk_parts.__getitem__, chunks))
    hashtags = tuple(chain.from_iterable(map(_PIECE_HASHTAGS, pieces))) if "#" in text else ()
    if not any(map(_PIECE_UNIFY, pieces)):
        return Normalised.of_chunks(text, chunks, pieces, hashtags)
    return Normalised(text, tuple(_unify_numbers(_tokens_of(text, chunks, pieces))), hashtags)


def _tokens_of(text: str, chunks: list[str], pieces: list[ChunkParts]) -> Iterator[Token]:
    # str.split() and the regex \S+ cut at the same characters; find() gives each chunk's offset (the
    # first occurrence from the end of the previous chunk: only whitespace lies in between).
    find, offset, make = text.find, 0, tuple.__new__  # tuple.__new__: a Token without NamedTuple's Python-level __new__
    for chunk, piece in zip(chunks, pieces):
        offset = find(chunk, offset)
        for part_text, start, end, kind in chunk_tokens(chunk, piece):
            yield make(Token, (part_text, offset + start, offset + end, kind))
        offset += len(chunk)


# A chunk's tokens as (text, start, end, kind) relative to it (None for a plain word: see chunk_tokens), its
# hashtags, whether it holds a number cue, and its tokens' texts and kinds.
ChunkTokens = tuple[tuple[str, int, int, str], ...]
ChunkParts = tuple[ChunkTokens | None, tuple[str, ...], bool, tuple[str, ...], tuple[str, ...]]
_PIECE_HASHTAGS, _PIECE_UNIFY, _PIECE_WORDS, _PIECE_KINDS = itemgetter(1), itemgetter(2), itemgetter(3), itemgetter(4)


# Caches keyed by the text as written: a frequent word is normalised once. A chunk (a run
# without whitespace) is tokenised alone because no token pattern matches whitespace or looks
# behind, so its tokens do not depend on what surrounds it.
def _tokenise_chunk(chunk: str) -> ChunkParts:
    """Tokens of one chunk as (text, start, end, kind) relative to it, its hashtags, whether it holds a number
    cue for :func:`_unify_numbers`, and its tokens' texts and kinds."""
    word = chunk.rstrip(_CLOSING)
    if word.isascii() and word.isalpha() and not _is_acronym(word):
        return _plain_word_chunk(word)
    return _tokenised(chunk)


# Closing punctuation: after a word, the token pattern matches none of it.
_CLOSING = ".,!?;:"


def _plain_word_chunk(word: str) -> ChunkParts:
    """:func:`_tokenised` of a chunk that is ``word`` (ASCII letters, not an acronym) and closing punctuation, most of
    a vocabulary's long tail, without the steps for other scripts, digits and acronyms: the same word tokens, kept
    without their spans (see :func:`chunk_tokens`), and the word as written when it is already its token."""
    lowered = undo_elongation(word.lower())
    if lowered not in lexicon().slang:  # most words: what _expand would give, without its generator
        return None, (), lowered in _NUMBER_CUES, (word if lowered == word else lowered,), _ONE_WORD
    found = tuple(_expand([(lowered, WORD)], word))
    return None, (), _needs_unifying(found), tuple(map(_TOKEN_TEXT, found)), _ONE_WORD * len(found)


def chunk_tokens(chunk: str, piece: ChunkParts) -> ChunkTokens:
    """The tokens of ``chunk`` as (text, start, end, kind) relative to it, from its ``piece``. A plain word's piece
    (:func:`_plain_word_chunk`, most of the chunk cache) does not keep them: each of its words spans the chunk
    without its closing punctuation (a third less memory a cached chunk)."""
    tokens = piece[0]
    if tokens is None:
        end = len(chunk.rstrip(_CLOSING))
        return tuple([(text, 0, end, WORD) for text in piece[3]])
    return tokens


_ONE_WORD = (WORD,)  # the kinds of most chunks: one shared tuple, not one per cached chunk


def _tokenised(chunk: str) -> ChunkParts:
    """:func:`_tokenise_chunk` by the token pattern."""
    parts: list[tuple[str, int, int, str]] = []
    hashtags: list[str] = []
    unify = False
    for kind, value, start, end in _matches(chunk):
        if kind == "word":
            found, cue = _word_parts(value)
        elif kind == "hashtag":
            folded, found, cue = _hashtag_parts(value)
            hashtags.append(folded)
        elif kind == "url":
            found, cue = ((value.lower(), URL),), False
        else:
            found, cue = _other_parts(kind, value)
        unify = unify or cue
        parts.extend((part_text, start, end, part_kind) for part_text, part_kind in found)
    return tuple(parts), tuple(hashtags), unify, tuple(map(_TOKEN_TEXT, parts)), tuple(map(_TOKEN_KIND, parts))


def _matches(chunk: str) -> Iterable[tuple[str, str, int, int]]:
    """The token pattern's matches in a chunk as (group, text, start, end)."""
    if chunk.isalpha():  # most chunks: one word, which the pattern would match whole, as its last group
        return (("word", chunk, 0, len(chunk)),)
    if _URL_RE.fullmatch(chunk):  # a chunk that is one link (an item's URL): the pattern's url, no more
        return (("url", chunk, 0, len(chunk)),)
    return ((match.lastgroup, match.group(), *match.span()) for match in _TOKEN_RE.finditer(chunk))


# Cache sizes bound each scoring process's memory (a few hundred bytes an entry); the Zipf head of a
# vocabulary fits many times over, and the tail rarely repeats. The chunk cache answers nearly every
# look-up, so the word and elongation caches behind it are small: most of what reaches them is new.
# A chunk-cache entry is about 280 bytes (its plain words keep no spans): 350,000 of them take what 200,000
# took before, and one scoring process of a 1M scan tokenises a third fewer chunks (891,000 -> 610,000: 3 % less CPU).
_chunk_parts = FirstComeCache(_tokenise_chunk, 350_000)


# A token list without any of these is left as it is by _unify_numbers.
_NUMBER_CUES = frozenset({"no", _NOMOR, "kosong", "urut", "jari"})


def _needs_unifying(parts: Iterable[Part]) -> bool:
    return any(text in _NUMBER_CUES or _ZERO_PADDED_RE.fullmatch(text) for text, _ in parts)


@lru_cache(maxsize=16_384)
def _word_parts(value: str) -> tuple[tuple[Part, ...], bool]:
    parts = tuple(_expand(list(_split_word(value)), value))
    return parts, _needs_unifying(parts)


@lru_cache(maxsize=100_000)
def _hashtag_parts(value: str) -> tuple[str, tuple[Part, ...], bool]:
    parts = tuple(_expand([(w, HASHTAG) for w in split_hashtag(value[1:])], value))
    return _fold(value[1:]), parts, _needs_unifying(parts)


@lru_cache(maxsize=50_000)
def _other_parts(kind: str, value: str) -> tuple[tuple[Part, ...], bool]:
    if kind == "mention":
        parts: tuple[Part, ...] = ((value.lower(), MENTION),)
    elif kind == "keycap":
        parts = ((value[0], NUMBER),)
    elif kind == "emoji":
        parts = ((emoji_token(value), EMOJI),)
    else:  # datetime
        parts = ((value, NUMBER),)
    return parts, _needs_unifying(parts)


def _fold(value: str) -> str:
    return unicodedata.normalize("NFKC", value).casefold()


def _split_word(value: str) -> Iterator[Part]:
    folded = _fold(value)
    as_written = _is_acronym(value) and not _VOWELS_RE.search(folded)  # PPP, KPPS are not elongations
    for part in _LETTER_DIGIT_RE.findall(folded) if not folded.isalpha() else [folded]:
        if part.isdigit():
            yield part, NUMBER
        else:
            yield (part if as_written else undo_elongation(part)), WORD


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


@lru_cache(maxsize=16_384)
def undo_elongation(word: str) -> str:
    """``dukuuung`` -> dukung, ``mantaaap`` -> mantap, ``siiip`` -> sip; known words stay as they are."""
    if _known(word):
        return word
    if _RUN_RE.search(word):  # a search is cheaper than a substitution that changes nothing (most words)
        collapsed_once = _RUN_RE.sub(_once, word)
        for candidate in (collapsed_once, _RUN_RE.sub(_twice, word)):
            if _known(candidate):
                return candidate
        word = collapsed_once
    if _DOUBLE_RE.search(word) and word not in lexicon().vocabulary:
        single = _DOUBLE_RE.sub(_once, word)
        if _known(single):
            return single
    return word


# The repeated letter once or twice, as the templates r"\1" and r"\1\1" give it, without expanding a template in
# Python for every match.
_once = methodcaller("group", 1)


def _twice(match: re.Match[str]) -> str:
    return match.group(1) * 2


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


def _expand(parts: list[Part], written: str) -> Iterator[Part]:
    """Slang and abbreviations -> formal words (each produced word keeps the span of ``written``).

    An all-capitals word (KTA, BKN, SK) is an acronym: kamus-alay's mappings (kta -> kita,
    bkn -> bukan) do not apply to it, the project lexicon's do.
    """
    lex = lexicon()
    for text, kind in parts:
        words = lex.slang.get(text) if kind in (WORD, HASHTAG) else None
        if words and kind == WORD and text not in lex.project_slang and _is_acronym(written):
            words = None
        if words:
            for word in words:
                yield word, kind
        else:
            yield text, kind


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
