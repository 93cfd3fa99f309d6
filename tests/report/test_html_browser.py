"""The HTML report in a real headless browser (Debian's Chromium driven by Playwright): filtering, sorting,
printing, no script from the data, no network, a screenshot. Skipped only where Chromium or Playwright is
missing (CI installs Chromium; see .ci/run)."""

from __future__ import annotations

import base64
import shutil
import struct
from dataclasses import replace
from datetime import datetime

import pytest

from html_records import META, record, report
from netral_cli.report.html import write

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="no chromium on PATH")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync"]
LAPTOP = {"width": 1366, "height": 768}

# rank, score, level, platform, timestamp, text, matched words
SAMPLE = [
    (1, 0.97, "high", "facebook", "2024-02-01T01:00:00+00:00", "Ayo coblos paslon 02, jangan golput 🙏✌️", "coblos paslon 02"),
    (2, 0.91, "high", "instagram", "2024-02-01T07:30:00+07:00", "Jangan lupa pilih nomor 2 tgl 14", "pilih nomor 2"),
    (3, 0.74, "medium", "tiktok", "2024-01-15T19:00:00+07:00", "Salam dua jari, lanjutkan! #Paslon02", "#Paslon02"),
    (4, 0.66, "medium", "tiktok", "2024-01-20T10:00:00+07:00", "Kita coblos yang sudah terbukti kerjanya", "coblos"),
    (5, 0.58, "medium", "tiktok", "2023-12-28T08:15:00+07:00", "Bapak ibu guru, dukung paslon 02 ya", "dukung paslon 02"),
    (6, 0.41, "low", "whatsapp", None, "Hadir di acara relawan paslon sore ini", "relawan paslon"),
    (7, 0.12, "none", "facebook", "2024-02-03T12:00:00+07:00", "Selamat pagi, jangan lupa sarapan", "sarapan"),
]


def sample_records() -> list[dict]:
    return [record(rank, score, level, text, words, platform=platform, timestamp=stamp, days_left=rank - 3,
                   account="sering.sedang" if rank in (3, 4, 5) else f"asn.contoh{rank}")
            for rank, score, level, platform, stamp, text, words in SAMPLE]


def write_page(tmp_path, records, name="laporan.html", **fields):
    path = tmp_path / name
    with path.open("w", encoding="utf-8") as out:
        write(report(records, **fields), out)
    return path


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """Opens a report file at 1366x768 and lets no request leave (``open_page.requests`` lists every one);
    fails the test on any script error in the page."""
    contexts, errors, requests = [], [], []

    def allow_only(path):
        def route(request_route):
            allowed = request_route.request.url == path.as_uri()
            request_route.continue_() if allowed else request_route.abort()
        return route

    def open_(path, **options):
        context = browser.new_context(viewport=LAPTOP, **options)
        contexts.append(context)
        context.route("**/*", allow_only(path))
        page = context.new_page()
        page.on("request", lambda request: requests.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path.as_uri())
        return page

    open_.requests = requests
    yield open_
    for context in contexts:
        context.close()
    assert errors == []


def ranks(page) -> list[int]:
    return [int(rank) for rank in page.eval_on_selector_all("#rows tr[data-rank]", "rows => rows.map(r => r.dataset.rank)")]


def test_filtering_by_level_and_by_text_shows_exactly_the_matching_rows(tmp_path, open_page):
    page = open_page(write_page(tmp_path, sample_records()))
    assert ranks(page) == [1, 2, 3, 4, 5, 6, 7]
    page.select_option("#filter-level", "medium")
    assert ranks(page) == [3, 4, 5]
    assert page.inner_text("#matching") == "3 dari 7 baris cocok"
    page.fill("#filter-q", "COBLOS")
    assert ranks(page) == [4]
    page.select_option("#filter-level", "")
    assert ranks(page) == [1, 4]
    page.select_option("#filter-platform", "facebook")
    page.fill("#filter-q", "")
    assert ranks(page) == [1, 7]
    page.click("#clear")
    assert ranks(page) == [1, 2, 3, 4, 5, 6, 7]
    page.fill("#filter-q", "tidak ada di mana pun")
    assert ranks(page) == [] and page.inner_text("#rows") == "Tidak ada baris yang cocok."


def test_the_matched_words_are_marked_in_the_page(tmp_path, open_page):
    page = open_page(write_page(tmp_path, sample_records()))
    assert page.eval_on_selector_all("#rows tr:first-child mark", "marks => marks.map(m => m.textContent)") == [
        "coblos paslon 02"]
    assert page.inner_text("#rows tr:first-child .text") == "Ayo coblos paslon 02, jangan golput 🙏✌️"


def test_sorting_by_score_and_by_date_orders_the_rows(tmp_path, open_page):
    page = open_page(write_page(tmp_path, sample_records()))
    page.click("button.sort[data-sort=score]")  # already highest first: the click turns it round
    assert ranks(page) == [7, 6, 5, 4, 3, 2, 1]
    page.click("button.sort[data-sort=posted]")
    # moments, not strings: 07:30+07:00 (00:30 UTC) comes before 01:00+00:00; no date goes last
    assert ranks(page) == [5, 3, 4, 2, 1, 7, 6]
    page.click("button.sort[data-sort=posted]")
    assert ranks(page) == [7, 1, 2, 4, 3, 5, 6]
    assert page.get_attribute("th:has(button[data-sort=posted])", "aria-sort") == "descending"
    page.click("button.sort[data-sort=days]")
    assert ranks(page) == [1, 2, 3, 4, 5, 6, 7]


def test_days_left_are_emphasised_when_two_or_fewer_and_when_overdue(tmp_path, open_page):
    page = open_page(write_page(tmp_path, sample_records()))
    assert page.eval_on_selector_all("#rows .overdue", "cells => cells.map(c => c.textContent)") == [
        "lewat 2 hari", "lewat 1 hari"]
    assert page.eval_on_selector_all("#rows .soon", "cells => cells.map(c => c.textContent)") == [
        "hari ini", "1 hari lagi", "2 hari lagi"]


def test_an_accounts_link_shows_its_findings(tmp_path, open_page):
    page = open_page(write_page(tmp_path, sample_records()))
    page.select_option("#filter-level", "high")
    page.get_by_role("link", name="lihat 3 temuan").click()  # second in the ranking: 0.963 after 0.97
    assert ranks(page) == [3, 4, 5]
    assert (page.input_value("#filter-account"), page.input_value("#filter-level")) == ("1", "")


HOSTILE = '<script>window.pwned=1</script>"><img src=x onerror="window.pwned=2">'


def test_a_script_in_the_data_does_not_run_and_shows_as_text(tmp_path, open_page):
    hostile = record(1, 0.9, "high", "Ayo coblos " + HOSTILE, "coblos", author=HOSTILE,
                     source_file="ekspor/</script><script>window.pwned=3</script>.json",
                     profile_url="javascript:window.pwned=4", post_url="javascript:window.pwned=5")
    page = open_page(write_page(tmp_path, [hostile]))
    page.click("#rows summary")
    assert page.evaluate("window.pwned") is None
    assert page.inner_text("#rows tr:first-child .text") == "Ayo coblos " + HOSTILE
    assert page.inner_text("#rows tr:first-child strong >> nth=1") == HOSTILE
    assert page.eval_on_selector_all("#rows a", "links => links.length") == 0


def test_the_page_requests_nothing_but_itself(tmp_path, open_page):
    tracked = record(1, 0.9, "high", 'Ayo coblos <img src="https://tracker.example.com/p.png">', "coblos",
                     target="https://www.example.com/halaman-relawan")
    path = write_page(tmp_path, [tracked, *sample_records()[1:]])
    page = open_page(path)
    page.click("#rows summary >> nth=0")
    page.click("button.sort[data-sort=posted]")
    page.emulate_media(media="print")
    assert len(ranks(page)) == 7
    assert open_page.requests == [path.as_uri()]


def test_printing_shows_every_matching_row_with_its_evidence_and_no_controls(tmp_path, open_page):
    many = [record(rank, round(0.99 - rank / 1000, 3), "high" if rank % 2 else "medium", "Ayo coblos nomor 2",
                   "coblos") for rank in range(1, 121)]
    page = open_page(write_page(tmp_path, many))
    assert len(ranks(page)) == 50 and page.inner_text("#page") == "halaman 1 dari 3"
    page.emulate_media(media="print")  # the page hears of it a moment later (a media query change event)
    sync_api.expect(page.locator("#rows tr")).to_have_count(120)
    assert ranks(page) == list(range(1, 121))
    assert page.eval_on_selector_all("#rows details", "all => all.filter(d => d.open).length") == 120
    assert not page.is_visible("#controls") and not page.is_visible("#pager")
    page.emulate_media(media="screen")
    sync_api.expect(page.locator("#rows tr")).to_have_count(50)
    page.select_option("#filter-level", "medium")
    page.emulate_media(media="print")
    sync_api.expect(page.locator("#rows tr")).to_have_count(60)
    assert ranks(page) == list(range(2, 121, 2))
    assert page.inner_text("#print-filters") == "· Saringan aktif: Tingkat = sedang (60)"


def test_ten_thousand_findings_are_shown_a_page_at_a_time(tmp_path, open_page):
    levels = ("high", "medium", "low", "medium")
    many = [record(rank, round(0.99 - rank / 20000, 5), levels[rank % 4], f"Ayo coblos nomor {rank % 7}", "coblos",
                   account=f"asn.{rank % 500:03d}") for rank in range(1, 10001)]
    page = open_page(write_page(tmp_path, many))
    assert ranks(page) == list(range(1, 51))
    assert (page.inner_text("#matching"), page.inner_text("#page")) == ("10000 dari 10000 baris cocok",
                                                                        "halaman 1 dari 200")
    page.click("#next")
    assert ranks(page) == list(range(51, 101))
    page.select_option("#filter-level", "medium")
    page.fill("#filter-q", "nomor 3")
    expected = [one["rank"] for one in many if one["level"] == "medium" and one["text"].endswith("nomor 3")]
    assert page.inner_text("#matching") == f"{len(expected)} dari 10000 baris cocok"
    assert ranks(page) == expected[:50]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def colours(browser, data: bytes) -> int:
    """How many distinct colours a 32x32 grid of the image's pixels has."""
    page = browser.new_page()
    try:
        return page.evaluate("""async (url) => {
            const image = new Image();
            image.src = url;
            await image.decode();
            const canvas = document.createElement("canvas");
            canvas.width = image.width;
            canvas.height = image.height;
            const context = canvas.getContext("2d");
            context.drawImage(image, 0, 0);
            const seen = new Set();
            for (let y = 0; y < image.height; y += Math.floor(image.height / 32))
                for (let x = 0; x < image.width; x += Math.floor(image.width / 32))
                    seen.add(context.getImageData(x, y, 1, 1).data.join(","));
            return seen.size;
        }""", "data:image/png;base64," + base64.b64encode(data).decode())
    finally:
        page.close()


def test_a_laptop_screen_shows_the_report_without_sideways_scrolling(tmp_path, browser, open_page):
    records = sample_records()
    records[0]["text"] += " " + "x" * 400 + " https://www.example.com/" + "sangat-panjang/" * 20
    records[0]["source_file"] = "ekspor/" + "folder_yang_namanya_panjang_sekali/" * 6 + "posts.json"
    page = open_page(write_page(tmp_path, records, meta=replace(META, generated=datetime(2024, 2, 10, 9, 30))))
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    shot = tmp_path / "laporan-1366x768.png"
    page.screenshot(path=str(shot))
    data = shot.read_bytes()
    assert png_size(data) == (1366, 768)
    assert colours(browser, data) >= 8
    page.locator("#findings").scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= LAPTOP["width"]
    page.screenshot(path=str(tmp_path / "temuan-1366x768.png"))


def test_english_labels_with_lang_en(tmp_path, open_page):
    page = open_page(write_page(tmp_path, sample_records(), meta=replace(META, lang="en")))
    assert page.inner_text("h1") == "ASN neutrality report"
    assert page.inner_text("#matching") == "7 of 7 rows match"
    assert page.eval_on_selector_all("#rows .overdue, #rows .soon", "cells => cells.map(c => c.textContent)") == [
        "2 days overdue", "1 day overdue", "due today", "1 day left", "2 days left"]
