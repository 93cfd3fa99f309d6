"""Token numbers: a chunk's tokens numbered, and what is kept by number, forgotten when the numbers start afresh."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netral_cli import classifier, tokens
from netral_cli.normalise import STEMMED, normalise
from netral_cli.tokens import NumberedRuns, TokenNumbers, chunk_tokens, first_seen, token_numbers

TEXTS = ["Ayo coblos nomor 2 ya!", "dukung paslon 01 #PilihNomor2 😂", "", "lihat https://x.example/a coblos",
         "@budi_s setuju 100%", "jam 08.30 kumpul di RT 02/RW 05", "engkéna mah 😅", "Coblos  NOMOR 2\n\tya"]


@pytest.fixture
def fresh_numbers(monkeypatch):
    """A process's numbers from nothing, with room for ``limit`` texts."""
    def make(limit=TokenNumbers.LIMIT):
        table = TokenNumbers(limit)
        monkeypatch.setattr(tokens, "_NUMBERS", table)
        return table
    return make


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(TEXTS) | st.text(max_size=30), max_size=12))
def test_a_chunks_numbers_are_its_documents_tokens(texts):
    docs = [normalise(text) for text in texts]
    found = chunk_tokens(docs)
    texts_of = token_numbers().texts
    assert found.starts.tolist() == np.cumsum([0] + [len(doc.words) for doc in docs]).tolist()
    assert [texts_of[n] for n in found.numbers.tolist()] == [word for doc in docs for word in doc.words]
    kinds = [kind in STEMMED for doc in docs for kind in doc.kinds]
    assert (found.stemmed is None) == all(kinds)
    assert found.keys().tolist() == [2 * n + (not stemmed) for n, stemmed in zip(found.numbers.tolist(), kinds)]


def test_a_text_keeps_its_number_until_the_numbers_start_afresh(fresh_numbers):
    table = fresh_numbers(limit=3)
    first = table.numbers(["coblos", "nomor", "coblos"], 3).tolist()
    assert first == [0, 1, 0] and table.texts == ["coblos", "nomor"]
    before = table.generation
    table.make_room()  # 2 texts: room left
    table.numbers(["dua", "ya"], 2)
    assert table.generation == before and len(table.texts) == 4
    table.make_room()
    assert table.generation != before and table.texts == [] and table.numbers(["nomor"], 1).tolist() == [0]


def test_runs_are_made_once_a_key_and_forgotten_with_the_numbers(fresh_numbers):
    table = fresh_numbers(limit=2)
    asked = []

    def make(texts, kinds):
        asked.append(list(zip(texts, kinds)))
        return [[len(text)] * (kind + 1) for text, kind in zip(texts, kinds)]

    runs = NumberedRuns(make, kinds=2)
    keys = table.numbers(["ab", "cde", "ab"], 3) * 2 + np.array([0, 1, 1])
    values, lengths = runs.of(keys)
    assert values.tolist() == [2, 3, 3, 2, 2] and lengths.tolist() == [1, 2, 2]
    assert runs.of(keys[::-1])[0].tolist() == [2, 2, 3, 3, 2] and asked == [[("ab", 0), ("cde", 1), ("ab", 1)]]
    table.numbers(["f"], 1)
    table.make_room()  # 3 texts past a limit of 2: numbers start afresh, the runs are forgotten
    assert runs.of(table.numbers(["cde"], 1) * 2)[0].tolist() == [3] and asked[-1] == [("cde", 0)]


def test_first_seen_keeps_the_order_of_first_occurrence():
    assert first_seen(np.array([5, 3, 5, 9, 3, 1])).tolist() == [5, 3, 9, 1]
    assert first_seen(np.array([], dtype=np.int64)).tolist() == []


@pytest.mark.usefixtures("compiled_or_numpy")
def test_features_stay_scikit_learns_when_the_numbers_start_afresh_between_chunks(fresh_numbers):
    table = fresh_numbers(limit=20)
    generations = set()
    model = classifier.load_model(None)
    chunks = [TEXTS, TEXTS[::-1], ["coblos coblos nomor", "a"] + TEXTS[2:5], TEXTS]
    for texts in chunks:
        docs = [normalise(text) for text in texts]
        reference = model.pipeline[:-1].transform(docs).tocsr()
        fast = model.features(docs)[1].matrix
        assert (reference != fast).nnz == 0 and np.array_equal(reference.indices, fast.indices)
        generations.add(table.generation)
    assert len(generations) >= 3


def test_a_token_of_a_kind_not_stemmed_keeps_its_text_in_the_features(fresh_numbers, monkeypatch):
    """``02`` gives a number's token ``nomor``, which a stemmer that changes every word must not change; the same text
    as a word is stemmed (as in ``test_only_words_and_hashtags_are_stemmed...``, here through the features)."""
    from netral_cli import normalise as nm

    fresh_numbers()
    monkeypatch.setattr(nm, "stem_store", lambda store=nm.StemStore(None): store)
    monkeypatch.setattr(nm, "_sastrawi_stem", lambda word: word[:-1])
    nm.stem_word.cache_clear()
    try:
        model = classifier.load_model(None)
        assert "nomor" in model._stem_ngrams.vocabulary and "nomo" not in model._stem_ngrams.vocabulary
        docs = [normalise(text) for text in ("memilih 02 👻", "nomor memilih", "pilih nomor 02")]
        reference = model.pipeline[:-1].transform(docs).tocsr()
        fast = model.features(docs)[1].matrix
        assert (reference != fast).nnz == 0 and np.array_equal(reference.indices, fast.indices)
        assert model._stem_ngrams.vocabulary["nomor"] in fast[0].indices and \
            model._stem_ngrams.vocabulary["nomor"] not in fast[1].indices
    finally:
        nm.stem_word.cache_clear()
