"""Char n-grams looked up many words at a time equal scikit-learn's ``char_wb`` analyser, one word at a time."""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer

from netral_cli.chargrams import GramCodes, WordRows, char_wb_grams, word_gram_counts
from netral_cli.tokens import token_numbers

pytestmark = pytest.mark.usefixtures("compiled_or_numpy")  # every test here runs both ways

TEXTS = ["ayo coblos nomor 2 bapak ibu", "gestur_2_jari dukung paslon", "rubrik-rubrik café www.example.com/a?b=1",
         "ASN wajib netral", "mantaaap jozz 👍", "a b c"]


def fitted(ngram_range=(2, 5), texts=TEXTS) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=ngram_range, lowercase=False).fit(texts)


def by_analyser(words, vectorizer):
    """The counts scikit-learn's own analyser gives each word, as a dense matrix."""
    analyse = vectorizer.build_analyzer()
    dense = np.zeros((len(words), len(vectorizer.vocabulary_)))
    for row, word in enumerate(words):
        for gram in analyse(word):
            if gram in vectorizer.vocabulary_:
                dense[row, vectorizer.vocabulary_[gram]] += 1
    return dense


WORDS = ["a", "ab", "coblos", "coblooos", "café", "gestur_2_jari", "x" * 40, "😂", "ñandú", "www.example.com/a?b=1",
         "nomor", "nomor", "ibu-ibu", "Ü", "https://x.example/\ud800ab", "co\udcffblos"]


@pytest.mark.parametrize("ngram_range", [(1, 1), (1, 3), (2, 5), (3, 3), (2, 9)])
def test_codes_count_what_the_analyser_makes(ngram_range):
    vectorizer = fitted(ngram_range)
    codes = GramCodes.fitting(vectorizer.vocabulary_, *ngram_range)
    assert codes is not None
    matrix = codes.counts(WORDS)
    assert np.array_equal(matrix.toarray(), by_analyser(WORDS, vectorizer))
    assert np.all(np.diff(matrix.indptr) >= 0) and matrix.has_canonical_format


def test_both_ways_give_the_same_matrix():
    vectorizer = fitted()
    plain = word_gram_counts(WORDS, vectorizer.vocabulary_, 2, 5)
    coded = word_gram_counts(WORDS, vectorizer.vocabulary_, 2, 5, GramCodes.fitting(vectorizer.vocabulary_, 2, 5))
    assert (plain != coded).nnz == 0 and np.array_equal(plain.indices, coded.indices)
    assert np.array_equal(plain.toarray(), by_analyser(WORDS, vectorizer))


def test_vocabularies_the_codes_cannot_spell_take_the_plain_way():
    assert GramCodes.fitting(fitted((4, 6)).vocabulary_, 4, 6) is None  # a padded word can be shorter than 4
    assert GramCodes.fitting(fitted((2, 12)).vocabulary_, 2, 12) is None  # 12 characters of 5 bits: over 63 bits
    assert GramCodes.fitting({}, 2, 5) is None
    vectorizer = fitted((4, 6))
    assert np.array_equal(word_gram_counts(WORDS, vectorizer.vocabulary_, 4, 6).toarray(), by_analyser(WORDS, vectorizer))


def test_no_words_no_rows():
    vectorizer = fitted()
    assert GramCodes.fitting(vectorizer.vocabulary_, 2, 5).counts([]).shape == (0, len(vectorizer.vocabulary_))


def test_a_crowded_table_still_finds_every_gram():
    """Many codes in few slots: long probe runs, wrapping round the end of the table."""
    vectorizer = fitted((1, 3), [" ".join(chr(c) * 3 for c in range(0x61, 0x7b)), *TEXTS])
    codes = GramCodes.fitting(vectorizer.vocabulary_, 1, 3)
    words = [chr(c) * k for c in range(0x61, 0x7b) for k in (1, 2, 3)]
    assert np.array_equal(codes.counts(words).toarray(), by_analyser(words, vectorizer))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("abcoélnm_-2 😂\u0301"), min_size=1, max_size=12)
                .map(lambda w: w.replace(" ", "")).filter(bool), max_size=30))
def test_any_words(words):
    vectorizer = fitted()
    codes = GramCodes.fitting(vectorizer.vocabulary_, 2, 5)
    assert np.array_equal(codes.counts(words).toarray(), by_analyser(words, vectorizer))


def test_char_wb_grams_are_the_analysers():
    for low, high in ((2, 5), (1, 2), (4, 6), (5, 5)):
        analyse = TfidfVectorizer(analyzer="char_wb", ngram_range=(low, high)).build_analyzer()
        for word in ("a", "ab", "abc", "nomor", "gestur_2_jari"):
            assert char_wb_grams(word, low, high) == analyse(word)


class Counting:
    """``word_gram_counts`` of a fitted vocabulary, remembering which words it was asked for."""

    def __init__(self, vectorizer):
        self.vocabulary = vectorizer.vocabulary_
        self.asked: list[list[str]] = []

    def __call__(self, words):
        self.asked.append(list(words))
        return word_gram_counts(words, self.vocabulary, 2, 5)


def kept_rows(limit=1000):
    count = Counting(fitted())
    return WordRows(count, len(count.vocabulary), limit), count


def kept_words(rows):
    texts = token_numbers().texts
    return [texts[number] for number in rows.kept.tolist()]


@pytest.mark.parametrize("limit", [1000, 5, 3])
def test_kept_rows_are_the_rows_counted_afresh(limit):
    rows, count = kept_rows(limit)
    calls = [["coblos", "nomor", "café"], ["nomor", "ibu-ibu", "coblos", "a"], ["a", "x" * 40, "nomor"], [],
             ["co\udcffblos", "café", "gestur_2_jari", "ab", "😂"]]
    for words in calls:
        got = rows(words)
        fresh = word_gram_counts(words, count.vocabulary, 2, 5)
        assert got.shape == fresh.shape and got.dtype == fresh.dtype
        assert (got.indptr == fresh.indptr).all() and (got.indices == fresh.indices).all()
        assert (got.data == fresh.data).all()


def test_only_new_words_are_counted():
    rows, count = kept_rows()
    rows(["coblos", "nomor"])
    rows(["nomor", "café", "coblos", "ab"])
    rows(["ab", "nomor"])
    assert count.asked == [["coblos", "nomor"], ["café", "ab"]]


def test_past_the_limit_only_the_words_asked_for_are_kept():
    rows, count = kept_rows(limit=3)
    calls = [["coblos", "nomor"], ["café", "nomor", "ab"],  # 4 words would be kept: coblos is forgotten
             ["ab", "nomor", "café"], ["coblos", "ab"], ["x" * 30, "ab", "café", "b"]]
    for words in calls:
        got, fresh = rows(words), word_gram_counts(words, count.vocabulary, 2, 5)
        assert (got.indptr == fresh.indptr).all() and (got.indices == fresh.indices).all()
        assert (got.data == fresh.data).all()
    assert count.asked == [["coblos", "nomor"], ["café", "ab"], ["coblos"], ["x" * 30, "café", "b"]]
    assert kept_words(rows) == ["ab", "x" * 30, "café", "b"]  # a call with more words than the limit keeps them all


def test_a_pickled_store_keeps_no_rows():
    rows, count = kept_rows()
    rows(["coblos", "nomor"])
    copy = pickle.loads(pickle.dumps(rows))
    assert kept_words(copy) == [] and copy.limit == rows.limit
    assert (copy(["nomor"]).toarray() == rows(["nomor"]).toarray()).all()


def test_rows_past_the_first_room_are_kept_whole():
    """More words and n-grams than the store first has room for (4,096 rows, 65,536 n-grams): it grows."""
    rows, count = kept_rows(limit=100_000)
    words = [f"coblos{i}nomor" for i in range(6000)]
    for part in (words[:2500], words[2500:], words[::7]):
        got, fresh = rows(part), word_gram_counts(part, count.vocabulary, 2, 5)
        assert (got.indptr == fresh.indptr).all() and (got.indices == fresh.indices).all()
        assert (got.data == fresh.data).all()
    assert rows.ends.size > 4096 + 1 and len(count.asked) == 2


def documents_by_hand(words_of, vocabulary):
    dense = np.zeros((len(words_of), len(vocabulary)))
    for row, words in enumerate(words_of):
        for word in words:
            for gram in char_wb_grams(word, 2, 5):
                if gram in vocabulary:
                    dense[row, vocabulary[gram]] += 1
    return dense


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS + ["coblos", "paslon", "dukung", "b"]), max_size=12), max_size=20),
       st.sampled_from([1000, 4]))
def test_documents_sum_their_words_rows(words_of, limit):
    rows, count = kept_rows(limit)
    rows(["nomor", "café", "zzz"])  # rows kept from before, and with limit 4 forgotten along the way
    starts = np.concatenate([[0], np.cumsum([len(words) for words in words_of])]).astype(np.int64)
    words = [word for words in words_of for word in words]
    summed = rows.summed(token_numbers().numbers(words, len(words)), starts)
    assert summed.shape == (len(words_of), len(count.vocabulary)) and summed.has_sorted_indices
    assert all(np.all(np.diff(summed.indices[a:b]) > 0) for a, b in zip(summed.indptr, summed.indptr[1:]))
    assert np.array_equal(summed.toarray(), documents_by_hand(words_of, count.vocabulary))
