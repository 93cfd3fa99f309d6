"""The Markdown summary: exact lines for a small report, short for a large one, safe for any text."""

from __future__ import annotations

import io

from netral_cli.report import FORMATS
from netral_cli.report.markdown import quote
from report_samples import evidence, record, sample_report

SITI_POST = "https://www.facebook.com/siti.rahma_guru/posts/1001"


def markdown(report) -> str:
    out = io.StringIO()
    FORMATS["md"].write(report, out)
    return out.getvalue()


def test_small_report_in_bahasa_indonesia_line_by_line():
    assert markdown(sample_report()).splitlines() == [
        "# Laporan netralitas ASN",
        "",
        "Dibuat 2024-03-01T09:30:00+07:00 · netral 0.1.0 · Masukan: `ekspor/siti.zip`, `ekspor/budi`, "
        "`ekspor/grup.txt` · Model: netral-default (sha256 0123456789ab) · Konteks pemilu: pilpres-2024",
        "",
        "**Dibaca 5 · dinilai 4 · ditolak 1.** Tingkat: tinggi 1 · sedang 1 · rendah 1 · tidak ada 1",
        "",
        "## 2 akun teratas",
        "",
        "1. **0.97** Siti Rahmawati (`siti.rahma_guru`, facebook) — Temuan: 2; Butir SKB: A2/B2, A4/B6",
        "2. **0.62** Budi Santoso (`budi.s_kelurahan`, instagram) — Temuan: 1; Butir SKB: A4/B6",
        "",
        "## 3 temuan teratas",
        "",
        "1. **tinggi** · A2/B2 · Siti Rahmawati (`siti.rahma_guru`) · 2024-01-20 — “Ayo bapak ibu guru, "
        "**coblos nomor 2** tanggal 14 ya! Lanjutkan!” — `ekspor/siti.zip!your_activity/posts/your_posts_1.json` $[3]"
        f" · <{SITI_POST}>",
        "2. **sedang** · A4/B6 · Budi Santoso (`budi.s_kelurahan`) · 2024-02-09 — “**Siap menangkan** pak calon! "
        "**#Menang02**” — `ekspor/budi/comments.json` $.comments_v2[5]",
        "3. **rendah** · A4/B6 · Siti Rahmawati (`siti.rahma_guru`) · 2024-02-01 — "
        "“https://www.facebook.com/**paslon02**.example/posts/77” — "
        "`ekspor/siti.zip!your_activity/posts/your_posts_1.json` $[9] · "
        "<https://www.facebook.com/paslon02.example/posts/77>",
        "",
        "Rekaman ditolak: 1; berkas dilewati: 1.",
    ]


def test_english_words_with_lang_en():
    lines = markdown(sample_report("en")).splitlines()
    assert lines[0] == "# ASN neutrality report"
    assert lines[4] == "**Read 5 · scored 4 · rejected 1.** Level: high 1 · medium 1 · low 1 · none 1"
    assert lines[6] == "## Top 2 accounts"
    assert lines[8] == "1. **0.97** Siti Rahmawati (`siti.rahma_guru`, facebook) — Findings: 2; SKB item: A2/B2, A4/B6"
    assert lines[14].startswith("2. **medium** · A4/B6 · Budi Santoso")
    assert lines[-1] == "Rejected records: 1; skipped files: 1."


def test_a_large_report_stays_short():
    records = [record(rank, round(0.99 - rank / 1000, 4), "high", account=f"guru.{rank % 37}",
                      text=f"Ayo bapak ibu guru, coblos nomor 2 tanggal 14 ya!\nPesan ke-{rank}")
               for rank in range(1, 501)]
    report = sample_report(records=records)
    report.meta = type(report.meta)(**{**report.meta.__dict__, "inputs": tuple(f"ekspor/{n}.zip" for n in range(40)),
                                       "pseudonymized": True})
    lines = markdown(report).splitlines()
    assert len(lines) == 30
    assert lines[2].endswith("`ekspor/2.zip` dan 37 lainnya · Model: netral-default (sha256 0123456789ab) · "
                             "Konteks pemilu: pilpres-2024. Nama, akun dan nomor telepon disamarkan.")
    assert lines[6:8] == ["## 5 akun teratas", ""]
    assert lines[14] == "## 10 temuan teratas"
    assert lines[-3] == "… dan 490 temuan lainnya."
    assert "Pesan ke-1”" in lines[16]  # the newline of the text became a space: one line per finding


def test_no_findings():
    lines = markdown(sample_report(records=[record(1, 0.05, "none")])).splitlines()
    assert lines[6:] == ["Tidak ada temuan.", "", "Rekaman ditolak: 1; berkas dilewati: 1."]


def test_markdown_in_the_data_is_escaped_and_spans_are_bolded_without_inner_spaces():
    text = "Cek *promo* [di sini](http://x.example) ya, ayo  coblos  nomor 2 bapak_ibu"
    item = record(1, 0.9, "high", author="Siti *Admin*", text=text, post_url=None, target=None,
                  evidence=[evidence(text, " coblos  nomor 2 ", "r", "A2/B2")])
    assert quote(item) == ("Cek \\*promo\\* \\[di sini\\](http://x.example) ya, ayo **coblos nomor 2** bapak\\_ibu")
    line = markdown(sample_report(records=[item])).splitlines()[12]
    assert line.startswith("1. **tinggi** · A2/B2 · Siti \\*Admin\\* (`siti.rahma_guru`) · 2024-01-20 — “Cek")
    assert line.endswith("” — `ekspor/siti.zip!your_activity/posts/your_posts_1.json` $[3]")


def test_a_long_text_is_quoted_around_its_first_match_cut_between_words():
    text = "pembuka " * 40 + "ayo coblos nomor 2" + " penutup" * 40
    item = record(1, 0.9, "high", text=text, evidence=[evidence(text, "coblos nomor 2", "r", "A2/B2")])
    shown = quote(item)
    assert shown.startswith("…pembuka pembuka") and shown.endswith("penutup…")
    assert "ayo **coblos nomor 2** penutup" in shown
    assert len(shown.replace("**", "")) <= 160 + 2
