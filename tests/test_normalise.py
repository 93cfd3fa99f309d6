"""Normaliser: a table of (social-media text, normalised text) pairs, stemming, offsets, properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline

from netral_cli import normalise as nm
from netral_cli.normalise import (
    EMOJI, HASHTAG, MENTION, NUMBER, URL, WORD, Normalised, Normaliser, StemStore, Token, lexicon, normalise,
    split_hashtag, stem_text_of, stem_word, text_of,
)

# (id, input, expected Normalised.text)
CASES = [
    # slang and negations
    ("slang-gw-gak-jgn-yg-bgt", "Gw gak mau jgn gitu, yg penting bgt",
     "saya tidak mau jangan begitu yang penting banget"),
    ("slang-sukses-utk-tp", "Sukses utk kita semua, tp jgn lupa netral",
     "sukses untuk kita semua tapi jangan lupa netral"),
    ("slang-lu-milih", "Lu milih siapa? gw sih rahasia", "kamu pilih siapa saya sih rahasia"),
    ("negation-gak-golput", "Gw gak bakal golput, pokoknya nyoblos paslon nomor dua!",
     "saya tidak bakal golput pokoknya coblos pasangan calon nomor 2"),
    ("negation-gak-kampanye", "Gak usah ikut kampanye, ASN harus netral",
     "tidak usah ikut kampanye asn harus netral"),
    ("negation-tidak", "Saya tidak mendukung siapa pun", "saya tidak mendukung siapa pun"),
    ("negation-jangan", "Jangan lupa datang ke TPS", "jangan lupa datang ke tps"),
    ("negation-bukan", "Ini bukan ajakan memilih", "ini bukan ajakan memilih"),
    ("negation-nggak", "Nggak boleh pasang foto paslon", "tidak boleh pasang foto pasangan calon"),
    ("negation-elongated", "gaaak mauuu", "tidak mau"),
    # election slang
    ("election-nyoblosin-caleg-nmr", "Jgn lupa yg penting bgt: nyoblosin caleg nmr 5 ya",
     "jangan lupa yang penting banget coblos calon legislatif nomor 5 ya"),
    ("election-capres-cawapres", "Capres & cawapres pilihan gw udah fix",
     "calon presiden calon wakil presiden pilihan saya sudah fix"),
    ("election-timses-cakada-pilkada", "Timses cakada sibuk jelang pilkada",
     "tim sukses calon kepala daerah sibuk jelang pemilihan kepala daerah"),
    # elongation
    ("elongation-dukung-mantap-siap", "DUKUUUNG terus pak, mantaaap, siaaap menangkan!",
     "dukung terus pak mantap siap menangkan"),
    ("elongation-jiwa-sip-gas", "Mantaaap jiwaaa, siiip, gasss pol", "mantap jiwa sip gas pol"),
    ("elongation-long-run", "dukuuuuuuung cobloosss", "dukung coblos"),
    # hashtags
    ("hashtag-camel-with-digit", "Yuk #PilihNomor2 di TPS", "yuk pilih nomor 2 di tps"),
    ("hashtag-leading-year", "#2019GantiPresiden dulu, sekarang lain lagi",
     "2019 ganti presiden dulu sekarang lain lagi"),
    ("hashtag-lowercase-names", "Makin cinta #prabowogemoy", "makin cinta prabowo gemoy"),
    ("hashtag-lowercase-with-digit", "Kompak #ganjarsalam3jari", "kompak ganjar salam 3 jari"),
    ("hashtag-acronym", "Mari jaga #ASNNetral di kantor", "mari jaga asn netral di kantor"),
    ("hashtag-lowercase-acronym", "#asnnetral #ASN_Netral", "asn netral asn netral"),
    ("hashtag-slang-inside", "#gakmaugolput", "tidak mau golput"),
    ("hashtag-elongated-inside", "#mantaaapjiwaaa", "mantap jiwa"),
    ("hashtag-all-in", "#AllIn #allin bareng relawan", "all in all in bareng relawan"),
    ("hashtag-coblosno2", "#coblosno2", "coblos nomor 2"),
    # emoji and finger gestures
    ("gesture-one-finger", "Salam satu jari ☝️ ☝🏻", "salam 1 jari gestur_1_jari gestur_1_jari"),
    ("gesture-two-fingers", "Salam dua jari ✌️✌🏼", "salam 2 jari gestur_2_jari gestur_2_jari"),
    ("gesture-three-fingers", "Salam tiga jari 🤟🏽", "salam 3 jari gestur_3_jari"),
    ("gesture-ok-thumb-skin-tone", "Sip 👌 setuju 👍🏽", "sip gestur_ok setuju gestur_jempol"),
    ("emoji-fire-flag", "Semangat 🔥🔥 🇮🇩", "semangat emoji_fire emoji_fire emoji_indonesia"),
    ("emoji-zwj-family", "👨\u200d👩\u200d👧 keluarga", "emoji_family_man_woman_girl keluarga"),
    ("emoji-keycap", "Coblos 1️⃣ ya", "coblos 1 ya"),
    # number forms
    ("number-no-dot", "Coblos no. 2 ya bu", "coblos nomor 2 ya bu"),
    ("number-no2", "Pilih no2 aja", "pilih nomor 2 saja"),
    ("number-nmr", "Ingat nmr 2 di surat suara", "ingat nomor 2 di surat suara"),
    ("number-zero-padded", "Pokoknya 02!", "pokoknya nomor 2"),
    ("number-kosong-dua", "Paslon kosong dua paling mantap", "pasangan calon nomor 2 paling mantap"),
    ("number-dua-jari", "Angkat dua jari untuk perubahan", "angkat 2 jari untuk perubahan"),
    ("number-nomor-urut-tiga", "Coblos nomor urut tiga", "coblos nomor urut 3"),
    ("number-nomor-02", "nomor 02 No 01", "nomor 2 nomor 1"),
    # numbers that are not candidate numbers stay as they are
    ("not-number-juara", "Anak saya juara 2 lomba mewarnai", "anak saya juara 2 lomba mewarnai"),
    ("not-number-kelas", "Kelas 2 SD sudah pintar baca", "kelas 2 sd sudah pintar baca"),
    ("not-number-date-time", "Rapat tanggal 14/02/2024 mulai jam 07.00 WIB",
     "rapat tanggal 14/02/2024 mulai jam 07.00 wib"),
    ("not-number-hour-address", "Berangkat jam 08 dari RT 02 RW 05", "berangkat jam 08 dari rt 02 rw 05"),
    ("not-number-dash-date", "Pencoblosan 14-02-2024", "pencoblosan 14-02-2024"),
    # URLs and mentions stay single tokens; trailing punctuation is not part of the URL
    ("url-mention", "Cek https://kpu.go.id/berita?id=12, info dari @bawaslu_ri",
     "cek https://kpu.go.id/berita?id=12 info dari @bawaslu_ri"),
    ("url-in-parentheses", "(https://bawaslu.go.id/id/berita)", "https://bawaslu.go.id/id/berita"),
    ("url-www-mention-dot", "Halo @Pak.Camat_01, cek www.kpu.go.id", "halo @pak.camat_01 cek www.kpu.go.id"),
    # Javanese, Sundanese and English-mixed lines
    ("javanese", "Dulur kabeh, ojo lali nyoblos nomer loro yo", "dulur kabeh ojo lali coblos nomor 2 ya"),
    ("javanese-siji", "Pilih nomer siji, ojo golput", "pilih nomor 1 ojo golput"),
    ("sundanese", "Hayu urang milih nomer hiji, sing kompak", "hayu urang pilih nomor 1 sing kompak"),
    ("sundanese-tilu", "Urang mah milih nomer tilu", "urang mah pilih nomor 3"),
    ("english-mixed", "Guys, jangan lupa vote paslon 02 ya, all in!",
     "guys jangan lupa vote pasangan calon nomor 2 ya all in"),
    ("english-mixed-number-word", "I love Indonesia, vote nomor two", "i love indonesia vote nomor 2"),
    # empty input
    ("empty", "", ""),
    ("only-punctuation", "!!! ... ???", ""),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_normalised_text(text, expected):
    assert normalise(text).text == expected


def test_table_is_large_enough():
    assert len(CASES) >= 45
    assert len({c[0] for c in CASES}) == len(CASES)


def test_none_is_empty():
    result = normalise(None)  # type: ignore[arg-type]
    assert result.original == ""
    assert result.tokens == ()


# --- token kinds and hashtags --------------------------------------------------------------------

def test_token_kinds():
    result = normalise("Dukung paslon no. 2 👍🏽 #PilihNomor2 @tim_ses https://x.id/a")
    assert [(t.text, t.kind) for t in result.tokens] == [
        ("dukung", WORD), ("pasangan", WORD), ("calon", WORD), ("nomor", WORD), ("2", NUMBER),
        ("gestur_jempol", EMOJI), ("pilih", HASHTAG), ("nomor", HASHTAG), ("2", NUMBER),
        ("@tim_ses", MENTION), ("https://x.id/a", URL),
    ]
    assert result.hashtags == ("pilihnomor2",)


def test_hashtags_are_recorded_folded_and_whole():
    assert normalise("#ASNNetral dan #prabowogemoy").hashtags == ("asnnetral", "prabowogemoy")


@pytest.mark.parametrize(("tag", "words"), [
    ("PilihNomor2", ["pilih", "nomor", "2"]),
    ("2019GantiPresiden", ["2019", "ganti", "presiden"]),
    ("prabowogemoy", ["prabowo", "gemoy"]),
    ("ganjarsalam3jari", ["ganjar", "salam", "3", "jari"]),
    ("ASNNetral", ["asn", "netral"]),
    ("allin", ["all", "in"]),
    ("dukuuungprabowo", ["dukung", "prabowo"]),
])
def test_split_hashtag(tag, words):
    assert split_hashtag(tag) == words


# --- stemming ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("word", "stem"), [
    ("relawan", "relawan"),
    ("bekasi", "bekasi"),
    ("menangkan", "menangkan"),
    ("memenangkan", "memenangkan"),
    ("pemenangan", "pemenangan"),
    ("memilih", "pilih"),
    ("dukungan", "dukung"),
    ("mencoblos", "coblos"),
])
def test_stem_word(word, stem):
    assert stem_word(word) == stem


def test_stems_leave_numbers_urls_and_gestures_alone():
    result = normalise("Relawan Bekasi memilih nomor 2 👍 https://x.id/memilih")
    assert result.stems == ("relawan", "bekasi", "pilih", "nomor", "2", "gestur_jempol", "https://x.id/memilih")
    assert result.stem_text == "relawan bekasi pilih nomor 2 gestur_jempol https://x.id/memilih"


def test_stems_are_cached():
    stem_word.cache_clear()
    assert stem_word("dukungan") == "dukung"
    assert stem_word.cache_info().misses == 1
    assert stem_word("dukungan") == "dukung"
    info = stem_word.cache_info()
    assert (info.hits, info.misses) == (1, 1)


# --- offsets -------------------------------------------------------------------------------------

def _spans(text):
    result = normalise(text)
    return [(t.text, text[t.start:t.end]) for t in result.tokens]


def test_offsets_of_expanded_slang_point_at_the_source_word():
    assert _spans("Ayo dukung paslon no. 2!") == [
        ("ayo", "Ayo"), ("dukung", "dukung"), ("pasangan", "paslon"), ("calon", "paslon"),
        ("nomor", "no"), ("2", "2"),
    ]


def test_offsets_of_elongated_words_hashtags_emoji_mentions_and_urls():
    text = "DUKUUUNG #PrabowoGemoy 👍🏽 @relawan.01 https://kpu.go.id/x."
    assert _spans(text) == [
        ("dukung", "DUKUUUNG"), ("prabowo", "#PrabowoGemoy"), ("gemoy", "#PrabowoGemoy"),
        ("gestur_jempol", "👍🏽"), ("@relawan.01", "@relawan.01"), ("https://kpu.go.id/x", "https://kpu.go.id/x"),
    ]


def test_offsets_of_number_forms():
    assert _spans("nyoblos no2 kosong dua 02") == [
        ("coblos", "nyoblos"), ("nomor", "no2"), ("2", "no2"), ("nomor", "kosong"), ("2", "dua"),
        ("nomor", "02"), ("2", "02"),
    ]


def test_span_of_a_token_range():
    text = "Ayo coblos nomor 2!"
    result = normalise(text)
    start, end = result.span(1, 3)
    assert text[start:end] == "coblos nomor 2"


# --- properties ----------------------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.text())
def test_tokens_are_well_formed_for_any_text(text):
    result = normalise(text)
    assert result.original == text
    for token in result.tokens:
        assert 0 <= token.start < token.end <= len(text)
        assert token.text
        assert not any(ch.isspace() for ch in token.text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=8), st.sampled_from(["no", "2", "#Coblos02", "https://x.example/a", "@Budi",
                                                                "✌️", "jari", " ", "\n", "mantaaap"])), max_size=12)
       .map("".join))
def test_words_kinds_and_stems_agree_with_the_tokens_made_later(text):
    """A normalisation's words and kinds are listed before its tokens are made: both must tell the same."""
    lazy = normalise(text)
    stem_tokens, words, kinds, stems, hashtags = lazy.stem_tokens, lazy.words, lazy.kinds, lazy.stems, lazy.hashtags
    eager = Normalised(text, lazy.tokens, hashtags)
    assert words == eager.words and kinds == eager.kinds and stems == eager.stems
    assert stem_tokens == eager.stem_tokens == tuple(eager.stem_text.split())
    assert lazy == eager and hash(lazy) == hash(eager)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=8), st.sampled_from(["memilih", "Dukungan", "#Coblos02", "https://x.example/a",
                                                                "@Budi", "👍", "relawan", " ", "emoji", "nomor 02"])),
                max_size=12).map("".join))
def test_a_tokens_stem_is_its_words_stem_or_for_other_kinds_its_text(text):
    doc = normalise(text)
    assert doc.stems == tuple(stem_word(w) if k in (WORD, HASHTAG) else w for w, k in zip(doc.words, doc.kinds))
    assert doc.stem_tokens == tuple(doc.stem_text.split())


def test_a_stem_with_a_space_is_two_of_the_classifiers_tokens():
    doc = normalise("Ari engkéna mah 😅")  # Sastrawi drops the é
    assert doc.stem_text == "ari engk na mah emoji_grinning_face_with_sweat"
    assert doc.stem_tokens == ("ari", "engk", "na", "mah", "emoji_grinning_face_with_sweat")
    assert normalise("engkéna").stem_tokens == ("engk", "na")


def test_only_words_and_hashtags_are_stemmed_even_when_another_token_reads_like_a_word(monkeypatch):
    monkeypatch.setattr(nm, "stem_store", lambda store=StemStore(None): store)
    monkeypatch.setattr(nm, "_sastrawi_stem", lambda word: word[:-1])  # a stemmer that changes every word
    stem_word.cache_clear()
    nm.word_stem_tokens.clear()
    try:
        doc = normalise("memilih 02 👻")  # 02 makes a number's token "nomor"
        assert list(zip(doc.words, doc.kinds, doc.stems)) == [
            ("memilih", WORD, "memili"), ("nomor", NUMBER, "nomor"), ("2", NUMBER, "2"),
            ("emoji_ghost", EMOJI, "emoji_ghost")]
        assert doc.stem_tokens == ("memili", "nomor", "2", "emoji_ghost")
        assert normalise("nomor memilih").stem_tokens == ("nomo", "memili")  # words alone: the other way
    finally:
        stem_word.cache_clear()
        nm.word_stem_tokens.clear()


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_normalise_is_deterministic(text):
    first, second = normalise(text), normalise(text)
    assert first == second
    assert first.text == second.text


_NEGATIONS = {
    "gak": "tidak", "nggak": "tidak", "tidak": "tidak", "jangan": "jangan", "bukan": "bukan",
    "GAK": "tidak", "Nggak": "tidak", "TIDAK": "tidak", "Jangan": "jangan", "BUKAN": "bukan",
    "gaaak": "tidak", "nggaaak": "tidak", "tidaaak": "tidak", "jangaaan": "jangan", "bukaaan": "bukan",
    "jgn": "jangan",
}
_FILLER = st.sampled_from([
    "ayo", "coblos", "nomor", "2", "paslon", "no.", "02", "dua", "jari", "kosong", "pilih", "yg", "bgt",
    "#PilihNomor2", "👍🏽", "✌️", "@relawan", "https://kpu.go.id", "ASN", "urut", "netral", "!!", ",",
])


@settings(max_examples=300, deadline=None)
@given(
    before=st.lists(st.one_of(_FILLER, st.text(max_size=8)), max_size=5),
    negation=st.sampled_from(sorted(_NEGATIONS)),
    after=st.lists(st.one_of(_FILLER, st.text(max_size=8)), max_size=5),
)
def test_negations_are_never_removed(before, negation, after):
    text = " ".join([*before, negation, *after])
    assert _NEGATIONS[negation] in normalise(text).words


_KNOWN = ["pilih", "nomor", "ganti", "presiden", "pemilu", "netral", "relawan", "salam", "jari", "dukung",
          "coblos", "prabowo", "ganjar", "anies", "gibran", "mahfud", "menangkan", "indonesia", "maju",
          "lanjutkan", "perubahan", "golput", "kampanye", "damai", "rakyat", "desa", "kita", "bersama"]


def test_hashtag_vocabulary_is_known():
    vocabulary = lexicon().vocabulary
    assert [w for w in _KNOWN if w not in vocabulary] == []


@settings(max_examples=300, deadline=None)
@given(words=st.lists(st.sampled_from(_KNOWN), min_size=1, max_size=5),
       number=st.one_of(st.none(), st.integers(0, 2024)))
def test_split_hashtag_of_camel_case_known_words(words, number):
    tag = "".join(w.capitalize() for w in words) + ("" if number is None else str(number))
    expected = words + ([] if number is None else [str(number)])
    assert split_hashtag(tag) == expected


# --- scikit-learn transformer --------------------------------------------------------------------

def test_normaliser_transform_passes_normalised_through_unchanged():
    done = normalise("Coblos no. 2")
    out = Normaliser().fit(["x"]).transform([done, "Nyoblos paslon 02", None, 2])
    assert out[0] is done
    assert [o.text for o in out] == ["coblos nomor 2", "coblos pasangan calon nomor 2", "", "2"]
    assert all(isinstance(o, Normalised) for o in out)


def test_normaliser_in_a_pipeline():
    pipeline = Pipeline([
        ("normalise", Normaliser()),
        ("words", TfidfVectorizer(preprocessor=stem_text_of, token_pattern=r"\S+", lowercase=False)),
    ])
    matrix = pipeline.fit_transform(["Ayo nyoblos paslon 02", "Relawan memilih nomor dua", normalise("gak")])
    assert matrix.shape[0] == 3
    assert sorted(pipeline.named_steps["words"].vocabulary_) == sorted(
        ["ayo", "coblos", "pasang", "calon", "nomor", "2", "relawan", "pilih", "tidak"])


def test_text_helpers_accept_strings_and_normalised():
    assert text_of("Pilih no2") == "pilih nomor 2"
    assert text_of(normalise("Pilih no2")) == "pilih nomor 2"
    assert stem_text_of("Memilih paslon") == "pilih pasang calon"


def test_normaliser_params_and_clone():
    from sklearn.base import clone

    assert Normaliser().get_params() == {}
    assert isinstance(clone(Normaliser()), Normaliser)


def test_token_is_frozen():
    token = Token("a", 0, 1)
    with pytest.raises(AttributeError):
        token.text = "b"  # type: ignore[misc]


@settings(max_examples=400)
@given(st.one_of(
    st.lists(st.sampled_from(["https://", "http://", "www.", "contoh.example.com", "/", "@", "#", ".", ",", ")",
                              "]", "?", "!", "a", "B2", "'", '"', "<", "é", "✌️", "2024"]), min_size=1, max_size=8)
    .map("".join),
    st.text(alphabet=st.characters(categories=["L", "M", "Nd", "Pc", "Pd", "So"]), min_size=1, max_size=12)))
def test_the_shortcuts_for_words_and_links_give_what_the_token_pattern_gives(chunk):
    from netral_cli import normalise as module

    matches = [(m.lastgroup, m.group(), *m.span()) for m in module._TOKEN_RE.finditer(chunk)]
    assert list(module._matches(chunk)) == matches


@settings(max_examples=500)
@given(st.one_of(
    st.lists(st.sampled_from(["a", "b", "aa", "aaa", "o", "K", "PPP", "KPPS", "Dukung", "yg", "gpp", "jgn", "no", "nomor",
                              "kosong", "jari", "mantaaap", "siiip", "ee", "x", "Q", "Z", "tdk"]), min_size=1, max_size=4)
    .map("".join),
    st.text(alphabet=st.characters(min_codepoint=65, max_codepoint=122, categories=["L"]), min_size=1, max_size=9)),
    st.text(alphabet=".,!?;:'-_2é", max_size=3))
def test_the_plain_word_shortcut_gives_what_the_token_pattern_gives(word, closing):
    from netral_cli import normalise as module

    chunk = word + closing
    piece, tokenised = module._tokenise_chunk(chunk), module._tokenised(chunk)
    assert (module.chunk_tokens(chunk, piece), *piece[1:]) == tokenised


@given(st.text(alphabet="aabk1_ é", max_size=12))
def test_letters_collapsed_once_or_twice_as_the_templates_would(word):
    for pattern in (nm._RUN_RE, nm._DOUBLE_RE):
        assert pattern.sub(nm._once, word) == pattern.sub(r"\1", word)
        assert pattern.sub(nm._twice, word) == pattern.sub(r"\1\1", word)


def test_a_lazy_attribute_is_computed_once_per_object_then_read_as_an_attribute():
    from netral_cli.system import lazy

    calls = []

    class Thing:
        def __init__(self, n):
            self.n = n

        @lazy
        def double(self):
            calls.append(self.n)
            return 2 * self.n

    one, two = Thing(1), Thing(5)
    assert (one.double, one.double, two.double) == (2, 2, 10)
    assert calls == [1, 5] and one.__dict__["double"] == 2
    assert isinstance(Thing.double, lazy)


def test_a_first_come_cache_makes_each_value_once_and_keeps_its_first_entries_when_full():
    from netral_cli.system import FirstComeCache

    made = []
    cache = FirstComeCache(lambda word: made.append(word) or word.upper(), limit=4, keep=2)
    assert [cache[w] for w in ("yang", "dan", "yang", "coblos", "nomor")] == ["YANG", "DAN", "YANG", "COBLOS", "NOMOR"]
    assert made == ["yang", "dan", "coblos", "nomor"] and len(cache) == 4
    assert cache["paslon"] == "PASLON"  # full: the first two stay, the new one joins them
    assert list(cache) == ["yang", "dan", "paslon"]
    assert cache["yang"] == "YANG" and made[-1] == "paslon"
