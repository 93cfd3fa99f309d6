"""Pseudonyms: keyed, stable, everywhere in a record, with evidence offsets that still point at their text."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from netral_cli.items import Rejected, Skipped, new_item
from netral_cli.report.pseudonym import Pseudonymiser, Rewrite
from netral_cli.score import score_item

KEY = "kunci-uji"


def test_a_pseudonym_is_a_keyed_hash_with_a_readable_prefix():
    names = Pseudonymiser(KEY)
    assert names.author("Siti Rahmawati") == names.author("siti  RAHMAWATI") == "nama-b637dbfc"
    assert Pseudonymiser("kunci-lain").author("Siti Rahmawati") == "nama-91ba20d5"
    handle = names.account("siti.rahma_guru")
    assert handle == names.account("@Siti.Rahma_Guru") == names.account("https://www.instagram.com/siti.rahma_guru/")
    assert re.fullmatch(r"akun-[0-9a-f]{8}", handle)
    assert names.author(None) is None and names.account("") == ""
    assert names.account("https://www.facebook.com/profile.php?id=100012345") != names.account(
        "https://www.facebook.com/profile.php?id=100067890")


@pytest.mark.parametrize("phone", ["+62 812-3456-7890", "+6281234567890", "6281234567890", "081234567890",
                                   "0812 3456 7890", "0812.3456.7890", "0812-3456-7890", "(0812) 3456-7890",
                                   "+62 (812) 3456 7890", "+62-812-3456-7890"])
def test_every_form_of_one_mobile_number_gets_one_pseudonym(phone):
    names = Pseudonymiser(KEY)
    pseudonym = names.phone("+62 812-3456-7890")
    assert names.text(f"hubungi {phone}, ya") == f"hubungi {pseudonym}, ya"
    assert names.author(phone) == pseudonym


def test_a_whatsapp_author_number_with_marks_and_non_breaking_hyphens_is_one_number():
    names = Pseudonymiser(KEY)
    assert names.author("\u202a+62 812\u20113456\u20117890\u202c") == names.phone("+62 812-3456-7890")


@pytest.mark.parametrize(("text", "masked"), [
    ("rapat 08.00 WIB tgl 08 02 2024 nomor 02", "rapat 08.00 WIB tgl 08 02 2024 nomor 02"),
    ("transfer Rp 0812345 ke rekening", "transfer Rp 0812345 ke rekening"),  # too short for a number
    ("wa 0812 3456 7890 2024", "wa telp-a9e0dad2 2024"),  # a number and then a year
    ("kantor +62 21 5550 1234", "kantor telp-89d19f7c"),
    ("https://wa.me/6281234567890", "https://wa.me/telp-a9e0dad2"),
    # as WhatsApp writes them: non-breaking hyphens, wrapped in (or broken by) direction marks
    ("hub \u202a+62 812\u20113456\u20117890\u202c ya", "hub \u202atelp-a9e0dad2\u202c ya"),
    ("X added +62\u00a0812\u20103456\u200e\u20147890", "X added telp-a9e0dad2"),
])
def test_phone_numbers_are_told_from_times_dates_and_amounts(text, masked):
    assert Pseudonymiser(KEY).text(text) == masked


def test_people_of_the_scan_are_replaced_in_every_string_and_mentions_in_texts_only():
    names = Pseudonymiser(KEY, [("Siti Rahmawati", "siti.rahma_guru"), ("Bambang Setiadi", None)],
                          public=["@relawan.contoh01"])
    siti, handle, bambang = names.author("Siti Rahmawati"), names.account("siti.rahma_guru"), names.author(
        "Bambang Setiadi")
    text = "Kata siti rahmawati ke @siti.rahma_guru, @teman.kantor dan @relawan.contoh01: ajak Bambang  Setiadi!"
    assert names.text(text) == (f"Kata {siti} ke @{handle}, @{names.mention('teman.kantor')} dan @relawan.contoh01: "
                                f"ajak {bambang}!")
    target = "https://www.facebook.com/siti.rahma_guru/posts/1 @teman.kantor"
    assert names.text(target, mentions=False) == f"https://www.facebook.com/{handle}/posts/1 @teman.kantor"
    assert names.text("siti.rahma_guru.") == f"{handle}."


def test_rewrite_maps_offsets_onto_the_new_text():
    rewrite = Pseudonymiser(KEY, [("Siti Rahmawati", None)]).rewrite("oleh Siti Rahmawati, 0812-3456-7890 ok")
    assert rewrite.text == "oleh nama-b637dbfc, telp-a9e0dad2 ok"
    assert rewrite.span(0, 4) == (0, 4)                  # before any replacement
    assert rewrite.span(5, 19) == (5, 18)                # exactly the name
    assert rewrite.span(10, 19) == (5, 18)               # part of it: grows to the whole pseudonym
    assert rewrite.span(5, 25) == (5, 33)                # into the phone number: to its end
    assert rewrite.span(36, 38) == (34, 36)              # after both
    assert Rewrite("abc").span(1, 2) == (1, 2)


def test_rejected_records_skipped_files_and_uncertain_rows():
    names = Pseudonymiser(KEY, [("+62 812-3456-7890", "+62 812-3456-7890")])
    phone = names.phone("0812-3456-7890")
    rejected = Rejected("Chat WhatsApp dengan +62 812-3456-7890.txt", "line=4",
                        "impossible date or time '32/01/2024, 07:00'", "32/01/2024, 07:00 - Rina Marlina: halo @budi.s")
    assert names.rejected(rejected) == Rejected(f"Chat WhatsApp dengan {phone}.txt", "line=4",
                                                "impossible date or time '\u2026'", "")
    assert names.skipped(Skipped("foto 0812 3456 7890.jpg", "media")).source_file == f"foto {phone}.jpg"
    assert names.row({"text": "nomor 081234567890", "label": None, "locator": "line=2"}) == {
        "text": f"nomor {phone}", "label": None, "locator": "line=2"}


# --- property: nothing generated survives ----------------------------------------------------------------

WORD = st.from_regex(r"Q[a-z]{3,7}", fullmatch=True)
NAMES = st.tuples(WORD, WORD).map(" ".join)
HANDLES = st.from_regex(r"[a-z][a-z0-9_]{2,9}\.[a-z0-9_]{2,8}", fullmatch=True)
SEPARATORS = st.sampled_from([" ", "-", ".", ""])


@st.composite
def phones(draw) -> tuple[str, str]:
    """(as written, digits in international form)."""
    parts = [draw(st.from_regex(r"8[1-9]\d{1,2}", fullmatch=True)), draw(st.from_regex(r"\d{3,4}", fullmatch=True)),
             draw(st.from_regex(r"\d{3,4}", fullmatch=True))]
    separator = draw(SEPARATORS)
    prefix = draw(st.sampled_from(["0", "+62 ", "+62", "62"]))
    return prefix + separator.join(parts), "62" + "".join(parts)


@given(name=NAMES, handle=HANDLES, friend=HANDLES, phone=phones(), platform=st.sampled_from(
    ["facebook", "instagram", "tiktok", "whatsapp", "generic"]), filler=st.sampled_from(["", "ayo ", "(", "\n"]))
def test_no_generated_name_handle_or_phone_survives_in_any_field(name, handle, friend, phone, platform, filler):
    written, digits = phone
    account = written if platform == "whatsapp" else handle
    text = f"{filler}{name} ajak @{friend} dan @{handle}: hubungi {written}. {name.upper()}!"
    target = None if platform == "whatsapp" else f"https://www.{platform}.com/{handle}/posts/1"
    item = new_item(platform=platform, kind="comment", text=text, author=name, account=account, source_file=f"{name}.json",
                    locator="$[1]", target=target)
    record = score_item(item, (), 0.5).to_record()
    spans = [(text.index(name), text.index(name) + len(name)), (text.index("@" + friend), len(text) - 1), (0, len(text))]
    record["evidence"] = [{"field": "text", "start": s, "end": e, "text": text[s:e], "rule": "r", "skb": "A2",
                           "reason": f"aturan: \u201c{text[s:e]}\u201d = {written}"} for s, e in spans]
    record["evidence"].append({"field": "model", "rule": "model", "skb": "", "text": f"{name.lower()} +0.5",
                               "features": [{"ngram": name.split()[1].lower(), "source": "stems", "weight": 0.5}],
                               "reason": f"dinaikkan oleh {name.lower()} +0,50"})
    names = Pseudonymiser(KEY, [(name, account)])
    out = names.record(record)
    for entry in out["evidence"][:-1]:
        assert out["text"][entry["start"]:entry["end"]] == entry["text"]
    rejected = names.rejected(Rejected(f"{written}.txt", "line=1", "bad", f"{name}: {written} @{friend}"))
    dumped = json.dumps([out, rejected.to_dict()], ensure_ascii=False).casefold()
    for secret in (name, handle, friend, written, digits, name.split()[1]):  # the handle of a number: a mention
        assert secret.casefold() not in dumped


@pytest.mark.parametrize(("address", "same"), [("intan.permata@example.com", "Intan.Permata@Example.com"),
                                               ("wahyu.p+kpu@mail.example.org", "WAHYU.P+KPU@MAIL.EXAMPLE.ORG")])
def test_email_addresses_get_one_pseudonym_whatever_their_case(address, same):
    names = Pseudonymiser(KEY)
    first, second = names.text(f"kirim ke {address}."), names.text(f"atau {same}")
    assert re.fullmatch(r"kirim ke email-[0-9a-f]{8}\.", first)
    assert second == "atau " + first[len("kirim ke "):-1]


@pytest.mark.parametrize(("target", "evidence", "expected"), [
    ("Lestari Handayani", [], "nama-"),  # whose post was commented on: a person
    ("https://www.facebook.com/lestari.handayani/posts/1", [], "https://www.facebook.com/akun-"),
    ("https://www.facebook.com/profile.php?id=100012345", [], "akun-"),
    ("Relawan Maju Bersama", [{"field": "target", "start": 0, "end": 7, "text": "Relawan", "rule": "r", "skb": "A4",
                               "reason": "r: \u201cRelawan\u201d"}], "Relawan Maju Bersama"),  # evidence: readable
    ("https://www.instagram.com/relawan.contoh01/", [], "https://www.instagram.com/relawan.contoh01/"),  # public
])
def test_a_target_is_pseudonymised_unless_it_is_evidence_or_public(target, evidence, expected):
    names = Pseudonymiser(KEY, public=["@relawan.contoh01"])
    item = new_item(platform="facebook", kind="comment", text="mantap", author="Agus", source_file="c.json",
                    locator="$[0]", target=target)
    record = {**score_item(item, (), 0.5).to_record(), "evidence": evidence}
    out = names.record(record)["target"]
    assert out.startswith(expected)
    assert "lestari" not in out.casefold() and "100012345" not in out


@given(st.lists(st.sampled_from(["+", "62", "0", "8", "1", "2", "9", "12", " ", "-", ".", "(", ")", "\u200e", "x"]),
                max_size=14).map("".join))
def test_every_number_taken_for_a_phone_holds_a_0_or_62(value):
    """What lets a value without either skip the phone pattern."""
    from netral_cli.report.pseudonym import _PHONE

    assert all("0" in m.group(0) or "62" in m.group(0) for m in _PHONE.finditer(value))


def test_a_model_ngram_is_pseudonymised_once_as_any_text(monkeypatch):
    import netral_cli.report.pseudonym as module

    monkeypatch.setattr(module, "NGRAMS", 2)
    pseudonymiser = Pseudonymiser("kunci", [("Sari Wulandari", "@sari.wulan")])
    for ngram in ["sari", "wulan", "sari.wulan", "coblos", "@sari.wulan", "0812 3456 7890", None]:
        assert pseudonymiser.ngram(ngram) == pseudonymiser.text(ngram)
    assert len(pseudonymiser._ngrams) <= 2
