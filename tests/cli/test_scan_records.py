"""`netral scan`'s evidence fields, report dates, --pseudonymize and the language of reasons, end to end.

The fixtures (``tests/fixtures/report/``) are invented: a Facebook post, an Instagram like in the quiet
period, a TikTok comment, a generic post and a WhatsApp group chat with a member known only by number.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime

import pytest
from helpers import ROOT, invoke

from netral_cli import api

FIXTURES = ROOT / "tests" / "fixtures" / "report"
CONTEXT = str(ROOT / "rules" / "contexts" / "pemilu-2024.yaml")
CHAT = "WhatsApp Chat with Relawan Guru Sukamaju.txt"
FEB_14_2024 = "1707868800"  # 2024-02-14 00:00 UTC
KEY = "kunci-uji-netral"
HIGH = "hukuman disiplin berat (PP 94/2021)"
PEOPLE = ["Siti Rahmawati", "siti.rahma_guru", "Budi Santoso", "budi.santoso_88", "dewi.lestari_77", "Pak Darto",
          "Bambang Susilo", "Susilo", "Rahmawati", "0812-3456-7890", "6281234567890", "+62 857 1111 2222",
          "6285711112222", "+62 813-9876-5432", "0813.9876.5432", "0813-9876-5432", "6281398765432"]


@pytest.fixture(autouse=True)
def _fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", FEB_14_2024)
    monkeypatch.delenv("NETRAL_PSEUDONYM_KEY", raising=False)


def scan(*options: str) -> tuple[list[dict], str]:
    result = invoke("scan", str(FIXTURES), "--all", "--context", CONTEXT, *options)
    assert result.exit_code == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()], result.stderr


def by_place(records: list[dict]) -> dict[tuple[str, str], dict]:
    return {(r["source_file"].rsplit("/", 1)[-1], r["locator"]): r for r in records}


def evidence_fields(record: dict) -> dict:
    return {name: record[name] for name in ("profile_url", "post_url", "candidates", "sanction", "found_on",
                                            "report_by", "days_left")}


def test_each_platform_gets_its_profile_and_post_links_candidates_and_sanctions():
    records = by_place(scan("--found-on", "2024-02-10")[0])
    dates = {"found_on": "2024-02-10", "report_by": "2024-02-17", "days_left": 3}
    assert evidence_fields(records["temuan.jsonl", "line=1"]) == {
        "profile_url": "https://www.facebook.com/siti.rahma_guru",
        "post_url": "https://www.facebook.com/siti.rahma_guru/posts/1001",
        "candidates": ["Paslon 02"], "sanction": [HIGH], **dates}
    assert evidence_fields(records["temuan.jsonl", "line=2"]) == {
        "profile_url": "https://www.instagram.com/siti.rahma_guru/",
        "post_url": "https://www.instagram.com/relawan.contoh01/",
        "candidates": ["Paslon 01"], "sanction": [HIGH], **dates}
    assert evidence_fields(records["temuan.jsonl", "line=3"]) == {
        "profile_url": "https://www.tiktok.com/@budi.santoso_88",
        "post_url": "https://www.tiktok.com/@tim.contoh.gemoy02/video/7320000000000000001",
        "candidates": ["Paslon 02"], "sanction": [HIGH], **dates}
    assert evidence_fields(records["temuan.jsonl", "line=4"]) == {  # generic, no timestamp: stage unknown
        "profile_url": None, "post_url": None, "candidates": [],
        "sanction": ["bakal_calon: sanksi moral (PP 42/2004 Pasal 15) / calon: " + HIGH], **dates}
    assert evidence_fields(records[CHAT, "line=2"]) == {
        "profile_url": "https://wa.me/6281398765432", "post_url": None, "candidates": ["Paslon 03"],
        "sanction": [HIGH, "hukuman disiplin (PP 94/2021; tingkat untuk butir B10 belum terkonfirmasi, "
                           "kemungkinan berat)"], **dates}
    assert evidence_fields(records[CHAT, "line=1"]) == {  # the model alone: no rule, no legal basis
        "profile_url": None, "post_url": None, "candidates": [], "sanction": [], **dates}
    assert records[CHAT, "line=1"]["legal_basis"] == []


def test_legal_basis_lists_each_distinct_rules_basis_once():
    record = by_place(scan()[0])["temuan.jsonl", "line=2"]
    assert record["rules"] == ["a4b6.interaksi-akun-kampanye", "a4b6.konteks-akun-kampanye"]
    assert record["legal_basis"] == [
        "SKB 2/2022 Lampiran II huruf A angka 4 dan huruf B angka 6; UU 20/2023 Pasal 9 ayat (2) dan Pasal 24 "
        "ayat (1); PP 94/2021 Pasal 5 huruf n angka 1"]


def test_found_on_defaults_to_today_and_the_window_is_seven_days():
    records, _ = scan()
    assert {(r["found_on"], r["report_by"], r["days_left"]) for r in records} == {("2024-02-14", "2024-02-21", 7)}


@pytest.mark.parametrize(("found_on", "report_by", "days_left"), [
    ("2024-02-07", "2024-02-14", 0),     # last day
    ("2024-02-01", "2024-02-08", -6),    # overdue
    ("2023-12-31", "2024-01-07", -38),   # across the year
])
def test_days_left_counts_down_and_goes_negative_when_overdue(found_on, report_by, days_left):
    records, _ = scan("--found-on", found_on)
    assert {(r["found_on"], r["report_by"], r["days_left"]) for r in records} == {(found_on, report_by, days_left)}


def test_csv_has_the_evidence_columns_with_the_same_values(tmp_path):
    out = tmp_path / "temuan.csv"
    result = invoke("scan", str(FIXTURES), "--context", CONTEXT, "--found-on", "2024-02-01", "-o", str(out))
    assert result.exit_code == 0
    rows = {(r["source_file"].rsplit("/", 1)[-1], r["locator"]): r
            for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8")))}
    row = rows[CHAT, "line=2"]
    assert (row["profile_url"], row["post_url"], row["candidates"]) == ("https://wa.me/6281398765432", "", "Paslon 03")
    assert row["sanction"] == (HIGH + " | hukuman disiplin (PP 94/2021; tingkat untuk butir B10 belum terkonfirmasi, "
                                      "kemungkinan berat)")
    assert (row["found_on"], row["report_by"], row["days_left"]) == ("2024-02-01", "2024-02-08", "-6")
    assert rows["temuan.jsonl", "line=2"]["legal_basis"].count(" | ") == 0


@pytest.mark.parametrize(("options", "message"), [
    (("--found-on", "2024-13-01"),
     "Error: Invalid value for '--found-on': '2024-13-01' does not match the format '%Y-%m-%d'.\n"),
    (("--found-on", "2024-02-15"), "Error: --found-on 2024-02-15 is after today (2024-02-14)\n"),
    (("--pseudonymize",), "Error: --pseudonymize needs a key: give --pseudonym-key KEY or set NETRAL_PSEUDONYM_KEY "
                          "(keep it: the same key gives the same pseudonyms)\n"),
    (("--pseudonym-key", KEY), "Error: --pseudonym-key goes with --pseudonymize\n"),
])
def test_bad_dates_and_missing_keys_exit_1_with_one_line(options, message):
    result = invoke("scan", str(FIXTURES), *options)
    assert result.exit_code == 1
    assert result.stderr.endswith(message)
    assert result.stdout == ""


# --- --pseudonymize -------------------------------------------------------------------------------------

def test_pseudonyms_replace_names_handles_and_phone_numbers_everywhere(tmp_path):
    uncertain = tmp_path / "ragu.jsonl"
    records, stderr = scan("--pseudonymize", "--pseudonym-key", KEY, "--export-uncertain", "7", str(uncertain))
    places = by_place(records)
    siti = places["temuan.jsonl", "line=1"]
    assert (siti["author"], siti["account"]) == ("nama-35c9a83b", "akun-a02c314f")
    assert siti["text"] == ("Ayo bapak ibu guru, tgl 14 Februari coblos Prabowo-Gibran nomor 2 ya! \u270c\ufe0f Info "
                            "relawan hubungi telp-d0db97d2")
    assert siti["profile_url"] == "https://www.facebook.com/akun-a02c314f"
    assert siti["target"] == siti["post_url"] == "https://www.facebook.com/akun-a02c314f/posts/1001"
    like = places["temuan.jsonl", "line=2"]  # the same person on Instagram: the same pseudonyms
    assert (like["author"], like["account"], like["profile_url"]) == (
        "nama-35c9a83b", "akun-a02c314f", "https://www.instagram.com/akun-a02c314f/")
    assert like["target"] == "https://www.instagram.com/relawan.contoh01/"  # a campaign account: the evidence
    budi = places["temuan.jsonl", "line=3"]
    assert budi["text"] == ("siap menangkan @tim.contoh.gemoy02 pokoknya lanjutkan! #PrabowoGibran2024 cc "
                            "@akun-c327f691")
    member = places[CHAT, "line=2"]
    assert member["author"] == member["account"] == "telp-8d925a15"
    assert member["profile_url"] == "https://wa.me/telp-8d925a15"
    assert member["text"].endswith("Konfirmasi ke nama-8732830a telp-8d925a15")  # 0813.9876.5432 = +62 813-9876-5432
    assert places[CHAT, "line=1"]["text"] == 'nama-8732830a created group "Relawan Guru Sukamaju"'
    darto = places["temuan.jsonl", "line=4"]
    assert darto["text"] == "Jangan lupa coblos nomor 3 ya bapak ibu, hubungi nama-a52262e3 di telp-ab58aefd"
    assert "line=4: impossible date or time '\u2026'" in stderr  # a value quoted in a reason could be anything
    outputs = json.dumps(records, ensure_ascii=False) + stderr + uncertain.read_text(encoding="utf-8")
    leaks = [person for person in PEOPLE if person.casefold() in outputs.casefold()]
    assert leaks == []


def test_evidence_offsets_point_into_the_pseudonymised_fields():
    records, _ = scan("--pseudonymize", "--pseudonym-key", KEY)
    spans = [(r[e["field"]], e) for r in records for e in r["evidence"] if e["field"] != "model"]
    assert len(spans) > 15
    assert all(field[e["start"]:e["end"]] == e["text"] and f"\u201c{e['text']}\u201d" in e["reason"]
               for field, e in spans)
    budi = by_place(records)["temuan.jsonl", "line=3"]
    mention = next(e for e in budi["evidence"] if e["rule"] == "a4b6.konteks-akun-kampanye" and e["field"] == "text")
    assert (mention["start"], mention["end"], mention["text"]) == (15, 34, "@tim.contoh.gemoy02")


def test_the_models_ngrams_lose_the_words_of_replaced_names():
    records, _ = scan("--pseudonymize", "--pseudonym-key", KEY)
    ngrams = [f["ngram"] for r in records for e in r["evidence"] if e["rule"] == "model" for f in e["features"]]
    assert "mahfud" in ngrams
    assert not [n for n in ngrams if "bambang" in n or "susilo" in n]


def test_the_same_key_gives_the_same_bytes_and_another_key_other_pseudonyms(monkeypatch):
    first = invoke("scan", str(FIXTURES), "--pseudonymize", "--pseudonym-key", KEY).stdout
    monkeypatch.setenv("NETRAL_PSEUDONYM_KEY", KEY)
    assert invoke("scan", str(FIXTURES), "--pseudonymize").stdout == first
    other = invoke("scan", str(FIXTURES), "--pseudonymize", "--pseudonym-key", "kunci-lain").stdout
    assert "nama-35c9a83b" in first and "nama-35c9a83b" not in other
    assert len(re.findall(r"nama-[0-9a-f]{8}", other)) == len(re.findall(r"nama-[0-9a-f]{8}", first))


def test_the_library_marks_a_pseudonymised_report():
    options = api.ScanOptions(pseudonymize=True, pseudonym_key=KEY)
    with api.scan([FIXTURES / CHAT], options) as result:
        report = result.report()
        assert report.meta.pseudonymized is True
        assert report.meta.inputs == (str(FIXTURES / CHAT),)
        # the raw line of a rejected record could name anyone: left out, its file and line say where it is
        assert [(r.locator, r.excerpt) for r in report.rejected] == [("line=4", "")]
    with api.scan([FIXTURES / CHAT], api.ScanOptions()) as plain:
        assert plain.report().meta.pseudonymized is False


# --- language of reasons --------------------------------------------------------------------------------

def test_reasons_are_in_bahasa_indonesia_by_default_and_english_with_lang_en():
    indonesian = by_place(scan()[0])["temuan.jsonl", "line=2"]["evidence"]
    english = by_place(scan("--lang", "en")[0])["temuan.jsonl", "line=2"]["evidence"]
    assert indonesian[0]["reason"].endswith("; masa tenang (bobot aturan x2)")
    assert english[0]["reason"].endswith("; quiet period (rule weight x2)")
    title = "Menyukai, mengikuti atau bergabung dengan akun, halaman atau grup kampanye"  # as the rule writes it
    assert indonesian[0]["reason"].startswith(f"{title} (SKB 2/2022 B6): ")
    assert english[0]["reason"].split(" (SKB")[0] == indonesian[0]["reason"].split(" (SKB")[0]
    assert re.fullmatch(r"Probabilitas model 0,\d\d, di bawah ambangnya 0,\d\d; dinaikkan oleh \S.*; "
                        r"diturunkan oleh tidak ada", indonesian[-1]["reason"])
    assert re.fullmatch(r"Classifier probability 0\.\d\d, below its threshold 0\.\d\d; raised by \S.*; "
                        r"lowered by nothing", english[-1]["reason"])


# --- determinism ------------------------------------------------------------------------------------------

def scan_files(tmp_path, name: str, *options: str) -> tuple[bytes, bytes]:
    jsonl, table = tmp_path / f"{name}.jsonl", tmp_path / f"{name}.csv"
    for out in (jsonl, table):
        result = invoke("scan", str(FIXTURES), str(ROOT / "examples"), "--all", "--context", CONTEXT, "-o", str(out),
                        *options)
        assert result.exit_code == 0, result.stderr
    return jsonl.read_bytes(), table.read_bytes()


def test_jsonl_and_csv_are_byte_identical_across_runs_and_workers(tmp_path):
    first = scan_files(tmp_path, "first")
    assert scan_files(tmp_path, "second") == first
    assert scan_files(tmp_path, "workers", "--workers", "2") == first
    assert first[0].count(b"\n") == 26 and b'"days_left": 7' in first[0]


def test_with_source_date_epoch_a_later_day_writes_the_same_bytes(tmp_path, monkeypatch):
    first = scan_files(tmp_path, "first")

    class NextWeek(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2024, 2, 21, 9, 30, tzinfo=tz)

    monkeypatch.setattr(api, "datetime", NextWeek)
    assert scan_files(tmp_path, "later") == first
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    later = scan_files(tmp_path, "unpinned")
    assert later != first and b'"found_on": "2024-02-21"' in later[0]
