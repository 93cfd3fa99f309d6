"""The HTML report as text: escaping, highlighted words, links, dates, languages, size (no browser here;
tests/report/test_html_browser.py opens it in Chromium)."""

from __future__ import annotations

import io
import json
import re
from dataclasses import replace
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from helpers import invoke
from html_records import META, embedded_rows, evidence_for, record, report
from netral_cli.items import Rejected, Skipped
from netral_cli.report import FORMATS, format_for
from netral_cli.report.evidence import merged, spans_in
from netral_cli.report.html import month_keys, reporting_window, segments, write


def render(records, **fields) -> str:
    out = io.StringIO()
    write(report(records, **fields), out)
    return out.getvalue()


def marks(pieces: list[str]) -> list[str]:
    return pieces[1::2]


def visible_text(page: str) -> str:
    """The body's words before the page's script, tags as spaces."""
    body = page.split("<body>", 1)[1].split("<script", 1)[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)).strip()


# --- matched words ---------------------------------------------------------------------------------------

def test_overlapping_nested_and_touching_spans_become_one_mark_each():
    assert merged([(10, 18), (26, 45), (10, 45), (41, 84), (90, 95), (95, 99), (120, 125), (121, 122)]) == [
        (10, 84), (90, 99), (120, 125)]


def test_the_text_is_cut_so_that_marks_and_plain_pieces_join_back_to_it():
    text = "Bapak ibu jgn lupa tgl 14 nyoblos paslon no 2 ya"
    evidence = evidence_for(text, "jgn lupa", "nyoblos paslon no 2", "paslon no 2 ya")
    pieces = segments(text, spans_in(text, "text", evidence))
    assert "".join(pieces) == text
    assert marks(pieces) == ["jgn lupa", "nyoblos paslon no 2 ya"]
    assert pieces[0] == "Bapak ibu " and pieces[-1] == ""


def test_offsets_after_emoji_are_python_character_offsets():
    # 🙏 is one Python character but two UTF-16 units; ✌️ is two characters (U+270C U+FE0F)
    text = "Bismillah 🙏✌️ coblos no 2 ya 👍 #PilihNomor2"
    evidence = evidence_for(text, "coblos no 2", "#PilihNomor2")
    assert evidence[0]["start"] == 14
    assert marks(segments(text, spans_in(text, "text", evidence))) == ["coblos no 2", "#PilihNomor2"]


@given(st.text(alphabet="ab 🙏✌️\ufe0f", max_size=30), st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30))))
def test_any_spans_cut_the_text_into_pieces_that_join_back_to_it(text, pairs):
    spans = merged((min(a, b), max(a, b)) for a, b in pairs if min(a, b) < max(a, b) <= len(text))
    pieces = segments(text, spans)
    assert "".join(pieces) == text
    assert marks(pieces) == [text[start:end] for start, end in spans]
    assert all(end < start for (_, end), (start, _) in zip(spans, spans[1:]))


def test_evidence_outside_the_field_or_quoting_other_words_marks_nothing():
    text = "Ayo coblos nomor 2"
    evidence = [{"field": "text", "start": 4, "end": 99, "text": "coblos"},
                {"field": "text", "start": 0, "end": 3, "text": "Mari"},
                {"field": "target", "start": 4, "end": 10, "text": "coblos"},
                {"field": "model", "rule": "model", "reason": "probability 0.9"},
                {"field": "text", "start": 4, "end": 10, "text": "coblos"}]
    assert spans_in(text, "text", evidence) == [(4, 10)]


def test_every_highlighted_field_is_marked_from_its_own_evidence():
    text = "Dukung terus ya"
    one = record(1, 0.9, "high", text, "Dukung", target="Halaman Relawan Paslon 02", group="Grup Guru SD 3 Sukamaju",
                 post_url=None)
    one["evidence"] += evidence_for(one["target"], "Relawan Paslon 02", field="target")
    one["evidence"] += evidence_for(one["group"], "Guru", field="group")
    row = embedded_rows(render([one]))[0]
    assert (row["tx"], row["tg"], row["gr"]) == (["", "Dukung", " terus ya"], ["Halaman ", "Relawan Paslon 02", ""],
                                                 ["Grup ", "Guru", " SD 3 Sukamaju"])


# --- escaping and links ----------------------------------------------------------------------------------

HOSTILE = '<script>window.pwned=1</script>"><img src=x onerror="window.pwned=2"><!-- </script>'


def hostile_page() -> str:
    one = record(1, 0.9, "high", "Ayo coblos " + HOSTILE, "coblos", author=HOSTILE, account="akun<b>",
                 source_file="ekspor/<script>window.pwned=3</script>.json", profile_url="javascript:window.pwned=4",
                 post_url="JavaScript:window.pwned=5", target="javascript:window.pwned=6", candidates=[HOSTILE])
    return render([one], meta=replace(META, inputs=(HOSTILE,), context=HOSTILE),
                  rejected=[Rejected("ekspor/<b>x</b>.csv", "row=2", HOSTILE, HOSTILE)],
                  skipped=[Skipped("ekspor/<i>y</i>.html", HOSTILE)])


def test_nothing_from_the_data_becomes_markup():
    page = hostile_page()
    assert page.count("<script") == 2  # the data element and the page's own script
    assert page.count("</script>") == 2
    assert "<img" not in page and "<b>" not in page and "<i>" not in page
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;&#34;&gt;&lt;img src=x onerror=&#34;window.pwned=2&#34;&gt;" in page
    assert '"au":"\\u003cscript\\u003ewindow.pwned=1\\u003c/script\\u003e' in page


def test_the_embedded_data_reads_back_exactly():
    row = embedded_rows(hostile_page())[0]
    assert row["au"] == HOSTILE and row["ca"] == [HOSTILE]
    assert "".join(row["tx"]) == "Ayo coblos " + HOSTILE


def test_only_http_links_become_links():
    page = hostile_page()
    row = embedded_rows(page)[0]
    assert "pu" not in row and "po" not in row
    assert 'href="javascript' not in page.lower()


def test_the_page_loads_nothing_from_elsewhere():
    page = render([record(1, 0.9, "high", "Ayo coblos", "coblos")])
    assert re.findall(r"<(?:img|link|iframe|object|embed|video|audio|source)\b|\bsrc=", page) == []
    assert re.findall(r'<a href="([^"]*)"', page) == ["#summary", "#accounts", "#findings", "#rejected",
                                                      "https://www.facebook.com/asn.contoh1"]
    assert "default-src 'none'" in page
    assert "@import" not in page and "url(" not in page


# --- content ---------------------------------------------------------------------------------------------

def test_the_header_names_inputs_model_rules_context_and_counts():
    page = render([record(1, 0.9, "high", "Ayo coblos", "coblos"), record(2, 0.6, "medium", "Ayo coblos", "coblos"),
                   record(3, 0.1, "none", "Selamat pagi")],
                  rejected=[Rejected("ekspor/posts.json", "$.posts[9]", "no text, target or group: nothing to scan")],
                  meta=replace(META, pseudonymized=True))
    text = visible_text(page)
    assert "4 dibaca, 3 dinilai, 1 ditolak; 2 temuan (1 tinggi, 1 sedang)" in text
    assert "Masukan ekspor/" in text and "Model netral-default (sha256 0123); Ambang model 0.40" in text
    assert "Konteks pemilu pemilu-2024" in text and "Dibuat 2024-02-10 09:30:00+07:00" in text
    assert "Nama, akun dan nomor telepon disamarkan" in text
    assert "$.posts[9] no text, target or group: nothing to scan" in text
    assert "Tidak ada berkas yang dilewati." in text


def test_the_account_ranking_links_to_the_accounts_findings():
    page = render([record(1, 0.85, "high", "Ayo coblos", "coblos", account="tunggal.tinggi"),
                   *[record(rank, 0.6, "medium", "Ayo coblos", "coblos", account="sering.sedang", author="Sering Sedang")
                     for rank in (2, 3, 4)]])
    ranking = page.split('<table class="accounts">')[1].split("</table>")[0]
    assert re.findall(r"<strong>([^<]+)</strong>", ranking) == ["0.94", "Sering Sedang", "0.85", "Pegawai Contoh 1"]
    assert '<a class="show-account" href="#findings" data-account="0">lihat 3 temuan</a>' in ranking
    assert "#2, #3, #4" in ranking
    assert [row["a"] for row in embedded_rows(page)] == [1, 0, 0, 0]


def test_days_left_come_from_the_record_else_from_the_report_dates():
    plain = {"rank": 1, "score": 0.9, "level": "high"}
    assert reporting_window(record(1, 0.9, "high", "x", days_left=-1), META) == ("2024-02-08", "2024-02-15", -1)
    assert reporting_window(plain, META) == ("2024-02-08", "2024-02-15", 5)
    assert reporting_window(plain, replace(META, today=date(2024, 2, 17))) == ("2024-02-08", "2024-02-15", -2)
    assert reporting_window(plain, replace(META, found_on=None, today=None)) == (None, None, None)


def test_months_run_from_the_first_finding_to_the_last_then_undated():
    assert month_keys({"2024-02": 2, "2023-11": 1, "?": 1}) == ["2023-11", "2023-12", "2024-01", "2024-02", "?"]
    assert month_keys({"1970-01": 1, "2024-02": 1}) == ["1970-01", "2024-02"]
    page = render([record(1, 0.9, "high", "Ayo coblos", "coblos", timestamp="2023-12-30T08:00:00+07:00"),
                   record(2, 0.9, "high", "Ayo coblos", "coblos", timestamp="2024-02-01T08:00:00+07:00")])
    assert re.findall(r'<span class="column-label">([^<]+)</span>', page) == ["Des 2023", "Jan 2024", "Feb 2024"]


def test_english_with_lang_en():
    page = render([record(1, 0.9, "high", "Ayo coblos", "coblos")], meta=replace(META, lang="en"))
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert "<h1>ASN neutrality report</h1>" in page and "<h3>Findings per month</h3>" in page
    assert ">show 1 findings</a>" in page and "Laporan" not in page
    assert json.loads(page.split('id="netral-data">')[1].split("</script>")[0])["words"]["level.high"] == "high"
    indonesian = render([record(1, 0.9, "high", "Ayo coblos", "coblos")])
    assert "<html lang=\"id\">" in indonesian and "<h1>Laporan netralitas ASN</h1>" in indonesian


def test_the_size_grows_linearly_with_the_findings():
    def size(n: int) -> int:
        return len(render([record(rank, 0.9, "high", f"Ayo coblos nomor 2 ({rank:05d})", "coblos",
                                  account=f"asn.{rank % 97:02d}") for rank in range(1, n + 1)]).encode())
    small, medium, large = size(500), size(1000), size(2000)
    assert 1.95 < (large - medium) / (medium - small) < 2.05


# --- through the CLI -------------------------------------------------------------------------------------

def test_scan_writes_the_html_report_of_the_examples(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1707530400")  # 2024-02-10 02:00 UTC
    out = tmp_path / "laporan.html"
    result = invoke("scan", "examples", "-o", str(out), "--lang", "en")
    assert result.exit_code == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "<strong>22</strong> read" in page and "<strong>3</strong> rejected" in page
    rows = embedded_rows(page)
    assert [row["r"] for row in rows] == list(range(1, 12))
    first = rows[0]
    assert (first["ac"], first["sf"], first["lo"]) == ("bu.ratna_guru", "examples/postingan_contoh.csv", "row=1")
    assert marks(first["tx"]) == ["jgn lupa tgl 14 nyoblos paslon no 2 ya, biar lanjut terus 🙏✌️ #PilihNomor2"]
    assert first["po"] == "https://www.instagram.com/p/C2xAbc01/" and "tg" not in first
    assert format_for(str(out), None) == "html" and not FORMATS["html"].binary


def test_evidence_is_told_once_per_rule_with_the_other_words_it_matched():
    text = "jgn lupa tgl 14 nyoblos paslon no 2 #PilihNomor2"
    evidence = evidence_for(text, "jgn lupa", "nyoblos paslon no 2", "#PilihNomor2", "jgn lupa")
    evidence.append({"field": "model", "rule": "model", "skb": "A2/B2", "text": "‹coblos› +0.90",
                     "reason": "Classifier probability 0.97, at or above its threshold 0.40"})
    row = embedded_rows(render([record(1, 0.97, "high", text, evidence=evidence)]))[0]
    assert row["ev"] == [["a2b2.ajakan-coblos-nomor",
                          "Ajakan mencoblos nomor urut (SKB 2/2022 A2/B2): \u201cjgn lupa\u201d",
                          ["nyoblos paslon no 2", "#PilihNomor2"]]]
    assert row["mr"] == "Classifier probability 0.97, at or above its threshold 0.40"
