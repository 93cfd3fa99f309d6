"""The XLSX workbook, read back with openpyxl: sheets, headers, frozen rows, filters, links, exact cells."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import pytest
from openpyxl import load_workbook

from netral_cli.report import FORMATS
from netral_cli.report import xlsx
from report_samples import record, sample_records, sample_report

FINDING_HEADERS_ID = ["Peringkat", "Skor", "Tingkat", "ID item", "Platform", "Jenis", "Nama", "Akun", "Tautan profil",
                      "Waktu unggah", "Zona waktu", "Teks", "Sasaran", "Tautan unggahan", "Grup", "Aturan",
                      "Butir SKB", "Tahapan", "Calon", "Dasar hukum", "Jenis sanksi", "Skor model", "Bukti",
                      "Berkas sumber", "Lokasi", "Tanggal ditemukan", "Batas lapor", "Sisa hari"]
FINDING_HEADERS_EN = ["Rank", "Score", "Level", "Item ID", "Platform", "Kind", "Name", "Account", "Profile link",
                      "Posted", "UTC offset", "Text", "Target", "Post link", "Group", "Rules", "SKB item", "Stage",
                      "Candidate", "Legal basis", "Sanction type", "Model score", "Evidence", "Source file",
                      "Location", "Date found", "Report by", "Days left"]


def written(report) -> bytes:
    out = io.BytesIO()
    FORMATS["xlsx"].write(report, out)
    return out.getvalue()


def workbook(report):
    return load_workbook(io.BytesIO(written(report)))


def rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def column(sheet, header: str) -> int:
    """The 1-based column of ``header`` in the sheet's first row."""
    return [cell.value for cell in sheet[1]].index(header) + 1


def test_sheets_headers_frozen_rows_and_filters_in_bahasa_indonesia():
    book = workbook(sample_report())
    assert book.sheetnames == ["Ringkasan", "Akun", "Temuan", "Ditolak"]
    assert [cell.value for cell in book["Temuan"][1]] == FINDING_HEADERS_ID
    assert [cell.value for cell in book["Akun"][1]] == [
        "Peringkat", "Skor akun", "Nama", "Akun (handle)", "Platform", "Tautan profil", "Jumlah temuan", "Tinggi",
        "Sedang", "Rendah", "Butir SKB", "Pertama", "Terakhir", "Peringkat temuan"]
    assert [cell.value for cell in book["Ringkasan"][1]] == ["Bagian", "Butir", "Nilai"]
    assert [cell.value for cell in book["Ditolak"][1]] == ["Jenis", "Berkas sumber", "Lokasi", "Alasan", "Cuplikan"]
    assert {name: (book[name].freeze_panes, book[name].auto_filter.ref) for name in book.sheetnames} == {
        "Ringkasan": ("A2", "A1:C30"), "Akun": ("A2", "A1:N3"), "Temuan": ("A2", "A1:AB5"), "Ditolak": ("A2", "A1:E3")}
    assert all(cell.font.bold for name in book.sheetnames for cell in book[name][1])


def test_english_sheet_names_headers_and_words():
    book = workbook(sample_report("en"))
    assert book.sheetnames == ["Summary", "Accounts", "Findings", "Rejected"]
    assert [cell.value for cell in book["Findings"][1]] == FINDING_HEADERS_EN
    findings = rows(book["Findings"])
    assert [row[2] for row in findings[1:]] == ["high", "medium", "low", "none"]
    assert findings[2][17] == "unknown"
    assert ("Accounting", "Read", 5) in rows(book["Summary"])
    assert rows(book["Rejected"])[2][0] == "skipped file"


def test_a_known_finding_row_holds_every_field_exactly():
    sheet = workbook(sample_report())["Temuan"]
    assert rows(sheet)[1] == (
        1, 0.95, "tinggi", "0000000000000001", "facebook", "post", "Siti Rahmawati", "siti.rahma_guru",
        "https://www.facebook.com/siti.rahma_guru", datetime(2024, 1, 20, 19, 2, 11), "+07:00",
        "Ayo bapak ibu guru, coblos nomor 2 tanggal 14 ya! Lanjutkan!", None,
        "https://www.facebook.com/siti.rahma_guru/posts/1001", None, "a2b2.ajakan-coblos-nomor", "A2/B2", "calon",
        "Paslon 02", "UU 5/2014 Pasal 9 ayat (2); PP 94/2021 Pasal 5 huruf n", "hukuman disiplin berat (PP 94/2021)",
        0.97, "a2b2.ajakan-coblos-nomor (A2/B2): \u201ccoblos nomor 2\u201d\nmodel (A2/B2): ‹coblos› +1.20, ‹nomor› +0.80",
        "ekspor/siti.zip!your_activity/posts/your_posts_1.json", "$[3]", datetime(2024, 3, 1), datetime(2024, 3, 8), 7)
    assert sheet["J2"].number_format == "yyyy-mm-dd hh:mm:ss"
    assert sheet["Z2"].number_format == "yyyy-mm-dd"
    assert rows(sheet)[2][10] == "+08:00" and rows(sheet)[2][27] == -2
    assert rows(sheet)[3][22] == "a4b6.suka-konten-kampanye (A4/B6): target: \u201cpaslon02\u201d"


def test_links_are_hyperlinks_and_other_text_is_not():
    sheet = workbook(sample_report())["Temuan"]
    links = {cell.coordinate: cell.hyperlink.target for row in sheet.iter_rows() for cell in row if cell.hyperlink}
    assert links == {
        "I2": "https://www.facebook.com/siti.rahma_guru", "N2": "https://www.facebook.com/siti.rahma_guru/posts/1001",
        "I3": "https://www.instagram.com/budi.s_kelurahan/", "I4": "https://www.facebook.com/siti.rahma_guru",
        "M4": "https://www.facebook.com/paslon02.example/posts/77",
        "N4": "https://www.facebook.com/paslon02.example/posts/77"}
    accounts = workbook(sample_report())["Akun"]
    assert accounts["F2"].hyperlink.target == "https://www.facebook.com/siti.rahma_guru"


def test_level_cells_are_coloured_by_level():
    book = workbook(sample_report())
    fills = [cell.fill.fgColor.rgb for (cell,) in book["Temuan"].iter_rows(min_row=2, min_col=3, max_col=3)]
    assert fills == ["00F4B6B6", "00FAD7A8", "00FFF2B3", "00E6E6E6"]
    summary_levels = [row[1].fill.fgColor.rgb for row in book["Ringkasan"].iter_rows(min_row=2)
                      if row[0].value == "Tingkat (semua item dinilai)"]
    assert summary_levels == fills


def test_accounts_are_ranked_with_their_findings():
    assert rows(workbook(sample_report())["Akun"])[1:] == [
        (1, 0.97, "Siti Rahmawati", "siti.rahma_guru", "facebook", "https://www.facebook.com/siti.rahma_guru", 2, 1,
         0, 1, "A2/B2 \u00d71; A4/B6 \u00d71", datetime(2024, 1, 20, 19, 2, 11), datetime(2024, 2, 1, 7, 15), "1, 3"),
        (2, 0.62, "Budi Santoso", "budi.s_kelurahan", "instagram", "https://www.instagram.com/budi.s_kelurahan/", 1,
         0, 1, 0, "A4/B6 \u00d71", datetime(2024, 2, 9, 20, 0), datetime(2024, 2, 9, 20, 0), "2")]


def test_summary_has_provenance_accounting_counts_and_the_formula():
    table = rows(workbook(sample_report())["Ringkasan"])
    assert table[1:12] == [
        ("Laporan", "Dibuat", "2024-03-01T09:30:00+07:00"), ("Laporan", "Versi netral", "0.1.0"),
        ("Laporan", "Masukan", "ekspor/siti.zip"), ("Laporan", "Masukan", "ekspor/budi"),
        ("Laporan", "Masukan", "ekspor/grup.txt"), ("Laporan", "Aturan", "rules"),
        ("Laporan", "Model", "netral-default (sha256 0123456789ab)"), ("Laporan", "Ambang model", 0.4),
        ("Laporan", "Konteks pemilu", "pilpres-2024"), ("Laporan", "Tanggal ditemukan", datetime(2024, 3, 1)),
        ("Laporan", "Nama, akun dan nomor telepon disamarkan", "tidak")]
    assert table[12:] == [
        ("Perhitungan", "Dibaca", 5), ("Perhitungan", "Dinilai", 4), ("Perhitungan", "Ditolak", 1),
        ("Perhitungan", "Berkas dilewati", 1), ("Perhitungan", "Temuan", 3),
        ("Tingkat (semua item dinilai)", "tinggi", 1), ("Tingkat (semua item dinilai)", "sedang", 1),
        ("Tingkat (semua item dinilai)", "rendah", 1), ("Tingkat (semua item dinilai)", "tidak ada", 1),
        ("Butir SKB", "A4/B6", 2), ("Butir SKB", "A2/B2", 1), ("Platform", "facebook", 2), ("Platform", "instagram", 1),
        ("Tahapan", "calon", 2), ("Tahapan", "tidak diketahui", 1), ("Bulan", "2024-01", 1), ("Bulan", "2024-02", 2),
        ("Rumus skor akun", "skor akun = 1 − ∏(1 − skor temuan); temuan = item bertingkat rendah ke atas", None)]


def test_rejected_records_and_skipped_files():
    assert rows(workbook(sample_report())["Ditolak"])[1:] == [
        ("rekaman ditolak", "ekspor/grup.txt", "line=40", "no text, target or group: nothing to scan",
         "=cmd|' /C calc'!A0"),
        ("berkas dilewati", "ekspor/siti.zip!your_activity/posts/posts.html", None, "Meta's HTML export is not read",
         None)]


def test_text_that_looks_like_a_formula_stays_text():
    records = [record(1, 0.9, "high", text='=HYPERLINK("http://x")', author="+62 812-0000-0000",
                      account="@siti.rahma_guru", group="-grup guru", evidence=[])]
    data = written(sample_report(records=records))
    sheet = load_workbook(io.BytesIO(data))["Temuan"]
    cells = [sheet.cell(2, column(sheet, header)) for header in ("Teks", "Nama", "Akun", "Grup")]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x")', "+62 812-0000-0000", "@siti.rahma_guru", "-grup guru"]
    assert [(c.data_type, c.quotePrefix) for c in cells] == [("s", True)] * 4
    assert sheet["D2"].quotePrefix is False  # only text that could be taken for a formula is marked
    rejected = load_workbook(io.BytesIO(data))["Ditolak"]["E2"]
    assert (rejected.value, rejected.data_type, rejected.quotePrefix) == ("=cmd|' /C calc'!A0", "s", True)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert not any(b"<f>" in archive.read(name) for name in archive.namelist())


def test_two_writes_of_one_report_are_byte_identical_and_dated_when_generated():
    first, second = written(sample_report()), written(sample_report())
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(2024, 3, 1, 2, 30, 0)}
    properties = load_workbook(io.BytesIO(first)).properties
    assert (properties.created, properties.modified) == (datetime(2024, 3, 1, 2, 30), datetime(2024, 3, 1, 2, 30))


def test_text_beyond_the_cell_limit_is_cut_with_a_marker():
    long_text = "coblos nomor 2 " * 3000  # 45,000 characters
    sheet = workbook(sample_report(records=[record(1, 0.9, "high", text=long_text, evidence=[])]))["Temuan"]
    shown = sheet.cell(2, column(sheet, "Teks")).value
    marker = "… [dipotong: 12266 karakter lagi]"  # 45,000 - (32,767 - 33)
    assert len(shown) == 32_767 and shown.endswith(marker)
    assert shown[:-len(marker)] == long_text[:32_767 - len(marker)]


def test_characters_xml_refuses_become_replacement_characters():
    text = "ayo\x00 coblos\x1b tanda \ufffe\uffff akhir\tbaris\n"
    sheet = workbook(sample_report(records=[record(1, 0.9, "high", text=text, evidence=[])]))["Temuan"]
    assert sheet.cell(2, column(sheet, "Teks")).value == "ayo\ufffd coblos\ufffd tanda \ufffd\ufffd akhir\tbaris\n"


def test_unreadable_dates_stay_text_and_records_without_the_added_fields_still_write():
    plain = {key: value for key, value in record(1, 0.1, "none", timestamp="kemarin sore").items()
             if key not in ("profile_url", "post_url", "candidates", "legal_basis", "sanction", "found_on",
                            "report_by", "days_left")}
    sheet = workbook(sample_report(records=[plain]))["Temuan"]
    row = rows(sheet)[1]
    assert row[9:11] == ("kemarin sore", None)
    assert row[8] is None and row[25:] == (None, None, None)


def test_links_beyond_the_sheet_limit_stay_text(monkeypatch):
    monkeypatch.setattr(xlsx, "MAX_LINKS", 2)
    sheet = workbook(sample_report())["Temuan"]
    assert [c.coordinate for row in sheet.iter_rows() for c in row if c.hyperlink] == ["I2", "N2"]
    assert sheet["I3"].value == "https://www.instagram.com/budi.s_kelurahan/"


def test_columns_fit_their_contents_up_to_a_cap_and_long_text_wraps():
    sheet = workbook(sample_report(records=[record(1, 0.9, "high", text="kata " * 100)] + sample_records()[1:]))[
        "Temuan"]
    width = {sheet.cell(1, index).value: sheet.column_dimensions[sheet.cell(1, index).column_letter].width
             for index in range(1, 29)}
    assert (width["Teks"], width["Peringkat"], width["Platform"], width["Lokasi"]) == (72, 11, 11, 18)
    assert sheet.cell(2, column(sheet, "Teks")).alignment.wrap_text
    assert not sheet.cell(2, column(sheet, "Platform")).alignment.wrap_text


@pytest.mark.parametrize("lang", ["id", "en"])
def test_a_report_without_findings_still_has_every_sheet(lang):
    book = workbook(sample_report(lang, records=[]))
    assert [book[name].max_row for name in book.sheetnames] == [22, 1, 1, 3]
