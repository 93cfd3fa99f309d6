"""`netral scan` through CliRunner: exit codes, stdout/stderr, every contract field."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from helpers import EXAMPLES, invoke

CONTRACT_FIELDS = ["rank", "score", "level", "item_id", "platform", "kind", "author", "account", "timestamp",
                   "text", "target", "group", "rules", "skb", "stage", "model_score", "evidence", "source_file",
                   "locator"]
EVIDENCE_FIELDS = ["profile_url", "post_url", "candidates", "legal_basis", "sanction", "found_on", "report_by",
                   "days_left"]
RECORD_FIELDS = CONTRACT_FIELDS + EVIDENCE_FIELDS


def _jsonl(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_scan_bundled_example_writes_ranked_jsonl_with_every_field():
    result = invoke("scan", str(EXAMPLES), "--all", "--format", "jsonl")
    assert result.exit_code == 0, result.stderr
    records = _jsonl(result.stdout)
    assert [r["rank"] for r in records] == list(range(1, len(records) + 1))
    assert all(list(r) == RECORD_FIELDS for r in records)
    scores = [r["score"] for r in records]
    assert scores == sorted(scores, reverse=True)
    assert "read 22, scored 19, rejected 3" in result.stderr


def test_scan_locators_point_back_to_the_source_rows():
    records = _jsonl(invoke("scan", str(EXAMPLES), "--all").stdout)
    by_locator = {(Path(r["source_file"]).name, r["locator"]): r for r in records}
    row = by_locator[("postingan_contoh.csv", "row=1")]
    with (EXAMPLES / "postingan_contoh.csv").open(encoding="utf-8") as handle:
        first = next(csv.DictReader(handle))
    assert row["text"] == first["caption"]
    assert row["account"] == "bu.ratna_guru"
    assert row["timestamp"] == "2024-01-20T19:02:11+07:00"
    message = by_locator[("grup_dan_komentar.jsonl", "line=1")]
    assert message["group"] == "Guru SDN 3 Karangsari"
    assert message["timestamp"] == "2024-02-09T15:00:00+07:00"  # epoch milliseconds, shown in Asia/Jakarta


def test_vote_appeals_rank_above_neutrality_socialisation_and_news(tmp_path):
    posts = tmp_path / "posts.jsonl"
    lines = [
        {"id": 1, "text": "ASN wajib netral ya bapak ibu, jangan ikut2an like postingan paslon #NetralitasASN"},
        {"id": 2, "text": "Bawaslu menemukan dua kepala sekolah mengajak guru memilih paslon nomor 2, kasusnya diteruskan ke BKN"},
        {"id": 3, "text": "Ayo ke TPS 14 Februari, jangan golput ya warga Karangsari"},
        {"id": 4, "text": "jgn lupa coblos nomor 3 ya lur, biar sat set 🤟 #SatuTigaTambahKita"},
        {"id": 5, "text": "Pokoknya 14 Feb nyoblos paslon 01, AMIN! perubahan harga mati ☝️"},
    ]
    posts.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    records = _jsonl(invoke("scan", str(posts), "--all").stdout)
    rank = {r["locator"]: r["rank"] for r in records}
    appeals = [rank["line=4"], rank["line=5"]]
    neutral = [rank["line=1"], rank["line=2"], rank["line=3"]]
    assert max(appeals) < min(neutral)
    levels = {r["locator"]: r["level"] for r in records}
    assert levels["line=4"] == levels["line=5"] == "high"
    assert levels["line=1"] in ("none", "low")


def test_scan_csv_output_has_contract_columns(tmp_path):
    out = tmp_path / "laporan.csv"
    result = invoke("scan", str(EXAMPLES), "-o", str(out))
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0]) == RECORD_FIELDS
    assert all(r["level"] in ("high", "medium", "low") for r in rows)  # default: level low and above only
    assert f"wrote {len(rows)} to {out}" in result.stderr


def test_scan_is_deterministic(tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    invoke("scan", str(EXAMPLES), "--all", "-o", str(first))
    invoke("scan", str(EXAMPLES), "--all", "-o", str(second))
    assert first.read_bytes() == second.read_bytes()


def test_top_limits_the_report(tmp_path):
    records = _jsonl(invoke("scan", str(EXAMPLES), "--top", "2").stdout)
    assert [r["rank"] for r in records] == [1, 2]
    report = tmp_path / "top.jsonl"
    result = invoke("scan", str(EXAMPLES), "--top", "2", "-o", str(report))
    assert len(_jsonl(report.read_text(encoding="utf-8"))) == 2 and f"wrote 2 to {report}" in result.stderr


def test_fail_on_exits_3_when_threshold_reached():
    result = invoke("scan", str(EXAMPLES), "--fail-on", "high", "-o", "-")
    assert result.exit_code == 3
    assert "--fail-on high: threshold reached" in result.stderr


def test_fail_on_exits_0_below_threshold(tmp_path):
    calm = tmp_path / "calm.csv"
    calm.write_text("text\nSelamat pagi, semangat bekerja bapak ibu\n", encoding="utf-8")
    assert invoke("scan", str(calm), "--fail-on", "medium").exit_code == 0


def test_missing_input_is_a_one_line_error_with_exit_1(tmp_path):
    result = invoke("scan", str(tmp_path / "nope.csv"))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"Error: {tmp_path / 'nope.csv'}: no such file or folder"


def test_usage_errors_exit_1_not_2():
    result = invoke("scan", str(EXAMPLES), "--map", "nonsense")
    assert result.exit_code == 1
    assert "--map takes FIELD=COLUMN" in result.stderr


def test_unknown_map_field_is_refused():
    result = invoke("scan", str(EXAMPLES), "--map", "colour=text")
    assert result.exit_code == 1
    assert "--map names unknown field(s) colour" in result.stderr


def test_map_reads_an_unusual_column(tmp_path):
    data = tmp_path / "odd.csv"
    data.write_text("isi_unggahan,akun_pengirim\nyuk coblos nomor 2 ya,@pak.budi\n", encoding="utf-8")
    records = _jsonl(invoke("scan", str(data), "--all", "--map", "text=isi_unggahan",
                            "--map", "account=akun_pengirim").stdout)
    assert records[0]["text"] == "yuk coblos nomor 2 ya"
    assert records[0]["account"] == "@pak.budi"


def test_invalid_rules_exit_2(tmp_path):
    (tmp_path / "bad.yaml").write_text("id: x.y\ntitle: t\n", encoding="utf-8")
    result = invoke("scan", str(EXAMPLES), "--rules", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {tmp_path / 'bad.yaml'}:1: rule x.y: missing legal_basis")


def test_tampered_model_is_refused_with_exit_2(tmp_path):
    from netral_cli.classifier import bundled_model_path, card_path

    model = tmp_path / "m.joblib"
    model.write_bytes(bundled_model_path().read_bytes() + b"\0")
    card_path(model).write_text(card_path(bundled_model_path()).read_text())
    result = invoke("scan", str(EXAMPLES), "--model", str(model))
    assert result.exit_code == 2
    assert "does not match the sha256 in its card" in result.stderr


def test_markdown_summary_is_short(tmp_path):
    out = tmp_path / "ringkas.md"
    assert invoke("scan", str(EXAMPLES), "-o", str(out)).exit_code == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 30
    assert lines[0] == "# Laporan netralitas ASN"
    assert lines[4] == "**Dibaca 22 · dinilai 19 · ditolak 3.** Tingkat: tinggi 10 · sedang 0 · rendah 1 · tidak ada 8"
    assert lines[16] == (
        "1. **tinggi** · A2/B2 · Ratna Wulandari (`bu.ratna_guru`) · 2024-01-20 — “Bapak ibu **jgn lupa tgl 14 "
        f"nyoblos paslon no 2 ya, biar lanjut terus 🙏✌️ #PilihNomor2**” — `{EXAMPLES}/postingan_contoh.csv` row=1 · "
        "<https://www.instagram.com/p/C2xAbc01/>")
    assert lines[-3:] == ["… dan 1 temuan lainnya.", "", "Rekaman ditolak: 3; berkas dilewati: 0."]


def test_markdown_summary_in_english(tmp_path):
    result = invoke("scan", str(EXAMPLES), "--lang", "en", "--format", "md")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert (lines[0], lines[6], lines[14]) == ("# ASN neutrality report", "## Top 5 accounts", "## Top 10 findings")


def test_xlsx_workbook_of_the_examples(tmp_path):
    from datetime import datetime

    from openpyxl import load_workbook

    out = tmp_path / "laporan.xlsx"
    result = invoke("scan", str(EXAMPLES), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["Ringkasan", "Akun", "Temuan", "Ditolak"]
    findings = [dict(zip([c.value for c in book["Temuan"][1]], row))
                for row in book["Temuan"].iter_rows(min_row=2, values_only=True)]
    assert [f["Peringkat"] for f in findings] == list(range(1, 12))
    ratna = next(f for f in findings if f["Lokasi"] == "row=1")
    assert (ratna["Akun"], ratna["Waktu unggah"], ratna["Zona waktu"], ratna["Tingkat"], ratna["Berkas sumber"]) == (
        "bu.ratna_guru", datetime(2024, 1, 20, 19, 2, 11), "+07:00", "tinggi", f"{EXAMPLES}/postingan_contoh.csv")
    assert book["Temuan"].auto_filter.ref == "A1:AB12"
    assert [row[2] for row in book["Ditolak"].iter_rows(min_row=2, values_only=True)] == ["line=6", "row=14", "row=15"]
    summary = {(row[0], row[1]): row[2] for row in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert (summary["Perhitungan", "Dibaca"], summary["Perhitungan", "Dinilai"], summary["Perhitungan", "Ditolak"]) == (
        22, 19, 3)
    assert book["Akun"].max_row == 11


def test_xlsx_to_standard_output_is_the_same_workbook(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1709280000")
    out = tmp_path / "laporan.xlsx"
    assert invoke("scan", str(EXAMPLES), "-o", str(out)).exit_code == 0
    result = invoke("scan", str(EXAMPLES), "--format", "xlsx", "-o", "-")
    assert result.exit_code == 0
    assert result.stdout_bytes == out.read_bytes()


def test_progress_bar_is_drawn_on_request():
    result = invoke("scan", str(EXAMPLES), "--progress", "-o", "-")
    assert result.exit_code == 0
    assert result.stderr.startswith("scoring: 19 items\rscoring: 19 items\nrejected: ")


def test_no_progress_bar_when_not_a_terminal():
    assert "scoring" not in invoke("scan", str(EXAMPLES), "-o", "-").stderr


def test_standard_input_is_read_with_dash():
    result = invoke("scan", "-", "--all", input="text,username\nayo nyoblos paslon nomor 2 ya,budi\n")
    assert result.exit_code == 0
    (record,) = _jsonl(result.stdout)
    assert (record["source_file"], record["locator"], record["account"]) == ("-", "row=1", "budi")
    assert record["level"] == "high"
