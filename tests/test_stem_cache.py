"""The disk stem cache: hits and misses, invalidation, identical stems, and no failure when the disk fails."""

from __future__ import annotations

from importlib import metadata

import pytest

from netral_cli import normalise as nm
from netral_cli.normalise import StemStore, prime_stems, stem_cache_path, stem_word

WORDS = ["memilih", "dukungan", "mencoblos", "kampanyekan", "pemenangan", "relawan", "bekasi", "rubrik-rubrik",
         "berlari", "dimenangkan", "sosialisasinya", "pertemuan"]


@pytest.fixture
def store(tmp_path, monkeypatch):
    """A fresh store in a temporary file, used by stem_word and prime_stems."""
    fresh = StemStore(tmp_path / "stems.tsv")
    monkeypatch.setattr(nm, "stem_store", lambda: fresh)
    stem_word.cache_clear()
    yield fresh
    stem_word.cache_clear()


@pytest.fixture
def stemmer_calls(monkeypatch):
    calls: list[str] = []
    real = nm._sastrawi_stem

    def counting(word: str) -> str:
        calls.append(word)
        return real(word)

    monkeypatch.setattr(nm, "_sastrawi_stem", counting)
    return calls


def test_a_stored_stem_is_read_back_by_a_new_store(tmp_path):
    first = StemStore(tmp_path / "stems.tsv")
    first.add("memilih", "pilih")
    first.add("dukungan", "dukung")
    first.flush()
    assert (tmp_path / "stems.tsv").read_text("utf-8") == "memilih\tpilih\ndukungan\tdukung\n"
    second = StemStore(tmp_path / "stems.tsv")
    assert (second.get("memilih"), second.get("dukungan"), second.get("mencoblos")) == ("pilih", "dukung", None)
    assert len(second) == 2


def test_a_second_run_stems_nothing_new(store, stemmer_calls, monkeypatch):
    assert [stem_word(w) for w in ("memilih", "dukungan")] == ["pilih", "dukung"]
    assert stemmer_calls == ["memilih", "dukungan"]
    store.flush()
    stem_word.cache_clear()
    reopened = StemStore(store.path)
    monkeypatch.setattr(nm, "stem_store", lambda: reopened)
    assert [stem_word(w) for w in ("memilih", "dukungan", "mencoblos")] == ["pilih", "dukung", "coblos"]
    assert stemmer_calls == ["memilih", "dukungan", "mencoblos"]


def test_protected_and_non_words_never_reach_the_store(store, stemmer_calls):
    assert [stem_word(w) for w in ("relawan", "bekasi", "no2", "@tim")] == ["relawan", "bekasi", "no2", "@tim"]
    assert stemmer_calls == []
    assert len(store) == 0


def test_prime_stems_counts_only_new_words(store, stemmer_calls):
    assert prime_stems(["memilih", "dukungan", "memilih", "relawan", "2024"], workers=1) == 2
    assert prime_stems(["memilih", "dukungan", "mencoblos"], workers=1) == 1
    assert sorted(stemmer_calls) == ["dukungan", "memilih", "mencoblos"]
    assert StemStore(store.path).get("mencoblos") == "coblos"  # flushed to disk at once


def test_stems_are_the_same_with_and_without_the_cache(store, monkeypatch):
    uncached = [nm._sastrawi_stem(w) if nm._stemmable(w) else w for w in WORDS]
    monkeypatch.setattr(nm, "PARALLEL_STEMS", 4)
    assert prime_stems(WORDS, workers=2) == len(WORDS) - 3  # pemenangan, relawan, bekasi are protected
    assert [stem_word(w) for w in WORDS] == uncached
    stem_word.cache_clear()
    reopened = StemStore(store.path)
    monkeypatch.setattr(nm, "stem_store", lambda: reopened)
    assert [stem_word(w) for w in WORDS] == uncached
    assert uncached[:3] == ["pilih", "dukung", "coblos"]


def test_broken_lines_are_ignored(tmp_path):
    path = tmp_path / "stems.tsv"
    # "mencob" is a line cut short by a crash, which the next writer's line then continued.
    path.write_bytes("memilih\tpilih\nno tab here\n\tempty\nberlari\tlari\ndukung\xff\n"
                     "mencoblos\tcobmenang\tmenang\ndiduk".encode("utf-8"))
    store = StemStore(path)
    assert [store.get(w) for w in ("memilih", "berlari", "no tab here", "mencoblos", "diduk")] == \
        ["pilih", "lari", None, None, None]
    assert len(store) == 2


def test_lines_of_words_that_are_not_stemmed_are_ignored(tmp_path, monkeypatch):
    """A protected word or a non-word is never stemmed, whatever a (hand-edited) file says: the store holds
    only what stem_word would look up there, so a token's stem can be taken from it directly."""
    path = tmp_path / "stems.tsv"
    path.write_text("relawan\trawan\nno2\tno\n@tim\ttim\nmemilih\tpilih\n", encoding="utf-8")
    store = StemStore(path)
    assert [store.get(w) for w in ("relawan", "no2", "@tim", "memilih")] == [None, None, None, "pilih"]
    monkeypatch.setattr(nm, "stem_store", lambda: store)
    stem_word.cache_clear()
    nm.word_stem_tokens.clear()
    try:
        assert nm.normalise("relawan memilih @tim").stems == ("relawan", "pilih", "@tim")
    finally:
        stem_word.cache_clear()
        nm.word_stem_tokens.clear()


def test_undecodable_file_is_an_empty_cache(tmp_path):
    path = tmp_path / "stems.tsv"
    path.write_bytes(b"memilih\tpilih\n\xff\xfe\n")
    assert len(StemStore(path)) == 0


def test_an_unwritable_cache_falls_back_to_memory(tmp_path, monkeypatch, stemmer_calls):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    unwritable = StemStore(blocker / "netral" / "stems.tsv")
    monkeypatch.setattr(nm, "stem_store", lambda: unwritable)
    stem_word.cache_clear()
    assert prime_stems(["memilih", "dukungan"], workers=1) == 2
    assert unwritable.path is None
    assert [stem_word(w) for w in ("memilih", "dukungan", "mencoblos")] == ["pilih", "dukung", "coblos"]
    unwritable.flush()
    assert stemmer_calls == ["dukungan", "memilih", "mencoblos"]
    stem_word.cache_clear()


def test_cache_file_is_keyed_by_sastrawi_version_and_protected_words(monkeypatch, tmp_path):
    monkeypatch.setenv("NETRAL_CACHE_DIR", str(tmp_path))
    current = stem_cache_path()
    assert current.parent == tmp_path / "netral"
    assert current.name.startswith(f"stems-pysastrawi{metadata.version('PySastrawi')}-")

    monkeypatch.setattr(metadata, "version", lambda name: "9.9.9")
    other_version = stem_cache_path()
    monkeypatch.undo()
    monkeypatch.setenv("NETRAL_CACHE_DIR", str(tmp_path))

    lexicon = nm.lexicon()
    changed = lexicon.__class__(**{**lexicon.__dict__, "protected": lexicon.protected | {"kecamatan"}})
    monkeypatch.setattr(nm, "lexicon", lambda: changed)
    other_protected = stem_cache_path()
    assert len({current, other_version, other_protected}) == 3
    assert other_version.name.startswith("stems-pysastrawi9.9.9-")


def test_cache_folder_follows_xdg_when_netral_cache_dir_is_unset(monkeypatch, tmp_path):
    monkeypatch.delenv("NETRAL_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert nm.cache_dir() == tmp_path / "netral"


def test_a_store_reads_the_stems_another_process_appended(tmp_path):
    mine, other = StemStore(tmp_path / "stems.tsv"), StemStore(tmp_path / "stems.tsv")
    mine.add("memilih", "pilih")
    mine.flush()
    assert other.get("memilih") == "pilih"  # first use reads the file
    mine.add("dukungan", "dukung")
    mine.flush()
    with (tmp_path / "stems.tsv").open("a", encoding="utf-8") as handle:
        handle.write("mencoblos\tcob")  # a line still being written: read once it is whole
    assert other.get("dukungan") is None
    other.refresh()
    assert (other.get("dukungan"), other.get("mencoblos")) == ("dukung", None)
    with (tmp_path / "stems.tsv").open("a", encoding="utf-8") as handle:
        handle.write("los\n")
    other.refresh()
    assert other.get("mencoblos") == "coblos" and len(other) == 3


def test_words_with_one_stem_share_one_string_and_an_unchanged_word_is_its_own_stem(tmp_path):
    path = tmp_path / "stems.tsv"
    path.write_text("mencoblos\tcoblos\ndicoblos\tcoblos\nbudi\tbudi\n", encoding="utf-8")
    store = StemStore(path)
    store.add("tercoblos", "".join(["cob", "los"]))  # a stem string made apart from the others
    stems = store._loaded()
    assert stems["mencoblos"] == stems["tercoblos"] == "coblos"
    assert stems["mencoblos"] is stems["dicoblos"] is stems["tercoblos"]
    budi = next(word for word in stems if word == "budi")
    assert stems["budi"] is budi


def test_past_its_limit_a_store_neither_keeps_nor_writes_stems(store, stemmer_calls, monkeypatch, tmp_path):
    """A very noisy vocabulary must not take a scan past its memory: words past the limit are stemmed again."""
    monkeypatch.setattr(StemStore, "LIMIT", 3)
    stems = [stem_word(word) for word in WORDS[:5]]
    store.flush()
    assert len(store) == 3 and len((tmp_path / "stems.tsv").read_text(encoding="utf-8").splitlines()) == 3
    stem_word.cache_clear()
    stemmer_calls.clear()
    assert [stem_word(word) for word in WORDS[:5]] == stems
    assert stemmer_calls == [word for word in WORDS[3:5] if nm._stemmable(word)] != []
    (tmp_path / "more.tsv").write_text("".join(f"{word}\t{word[:4]}\n" for word in WORDS), encoding="utf-8")
    read = StemStore(tmp_path / "more.tsv")
    assert len(read) == 3 and read.get(WORDS[2]) == WORDS[2][:4] and read.get(WORDS[3]) is None
