"""WhatsApp chat exports: both OS styles, both date orders, dot times, invisible characters, system lines."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netral_cli.ingest import IngestOptions, detect, read
from netral_cli.ingest.generic import GenericOptions
from netral_cli.ingest.sources import Source
from netral_cli.ingest.whatsapp import group_from_file_name, parse
from netral_cli.items import Item, Skipped

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "ingest" / "whatsapp"
IOS = FIXTURES / "ios_dot" / "_chat.txt"
ANDROID_24H = FIXTURES / "WhatsApp Chat with Relawan Kecamatan.txt"
ANDROID_12H = FIXTURES / "WhatsApp Chat with Rina Kusuma.txt"
ANDROID_ID = FIXTURES / "Chat WhatsApp dengan Tim Desa Sukamaju.txt"


def records(path, **options):
    return list(read([str(path)], IngestOptions(**options)))


def rows(result):
    """(locator, kind, author, timestamp, text, extras) per item; rejections as (locator, reason)."""
    return [(r.locator, r.kind, r.author, r.timestamp.isoformat(), r.text, r.extras) if isinstance(r, Item)
            else (r.locator, r.reason) for r in result]


def chat(tmp_path, text, name="_chat.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", newline="")
    return records(path)


def test_ios_indonesian_region_with_marks_media_deleted_and_edited():
    result = records(IOS)
    assert rows(result) == [
        ("line=1", "system", "Relawan Kec. Sukamaju 2024", "2024-02-10T19:00:00+07:00",
         "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, "
         "can read or listen to them.", {"event": "encryption"}),
        ("line=2", "system", "Hendra Wijaya", "2024-02-10T19:00:00+07:00", "~\u202fHendra Wijaya created this group",
         {"event": "created"}),
        ("line=3", "system", "Relawan Kec. Sukamaju 2024", "2024-02-10T19:01:12+07:00",
         "~\u202fHendra Wijaya added you", {"event": "added"}),
        ("line=4", "group_message", "Hendra Wijaya", "2024-02-10T19:02:11+07:00",
         "Selamat malam bapak ibu relawan 🙏\nBesok kumpul di posko jam 08.00\nbawa kaos nomor 2 ya", {}),
        ("line=7", "group_message", "Hendra Wijaya", "2024-02-10T19:02:40+07:00", "", {"media": "image omitted"}),
        ("line=8", "group_message", "Sri Lestari", "2024-02-10T19:05:03+07:00",
         "Siap pak, saya ajak teman2 kantor juga", {}),
        ("line=9", "group_message", "Sri Lestari", "2024-02-10T19:06:30+07:00", "",
         {"deleted": "This message was deleted."}),
        ("line=10", "group_message", "Sri Lestari", "2024-02-10T19:07:45+07:00", "Maaf salah kirim tadi",
         {"edited": True}),
        ("line=11", "group_message", "Yusuf", "2024-02-11T07:15:00+07:00", "", {"media": "sticker omitted"}),
        ("line=12", "group_message", "Hendra Wijaya", "2024-02-13T21:30:59+07:00",
         "Ingat tanggal 14 coblos nomor 2,\u202fjangan sampai salah!", {}),
    ]
    # Without a telling file name, the group is the name iOS writes on the encryption notice.
    assert {r.group for r in result} == {"Relawan Kec. Sukamaju 2024"}
    assert {r.platform for r in result} == {"whatsapp"}


def test_ios_chat_inside_its_zip_takes_the_group_from_the_zip_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with zipfile.ZipFile("WhatsApp Chat - Posko Relawan 02.zip", "w") as archive:
        archive.writestr("_chat.txt", IOS.read_bytes())
        archive.writestr("00000005-PHOTO-2024-02-10-19-02-40.jpg", b"\xff\xd8\xff")
    result = records("WhatsApp Chat - Posko Relawan 02.zip")
    items = [r for r in result if isinstance(r, Item)]
    assert len(items) == 10
    assert {i.group for i in items} == {"Posko Relawan 02"}
    assert items[0].source_file == "WhatsApp Chat - Posko Relawan 02.zip!_chat.txt"
    assert result[0] == Skipped("WhatsApp Chat - Posko Relawan 02.zip!00000005-PHOTO-2024-02-10-19-02-40.jpg",
                                "media or document file .jpg (not read)")


def test_android_24h_day_first_with_mixed_line_endings_and_multiline():
    result = records(ANDROID_24H)
    assert rows(result) == [
        ("line=1", "system", None, "2024-01-05T09:15:00+07:00",
         "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, "
         "can read or listen to them. Tap to learn more.", {"event": "encryption"}),
        ("line=2", "system", None, "2024-01-05T09:15:00+07:00", 'Bambang Susilo created group "Relawan Kecamatan"',
         {"event": "created"}),
        ("line=3", "system", None, "2024-01-05T09:16:00+07:00", "Bambang Susilo added you", {"event": "added"}),
        ("line=4", "group_message", "Bambang Susilo", "2024-01-05T09:20:00+07:00",
         "Assalamualaikum semua.\nGrup ini untuk koordinasi relawan kecamatan.\n\nMohon jaga kekompakan.", {}),
        ("line=8", "group_message", "Dian Puspita", "2024-01-06T13:02:00+07:00", "", {"media": "<Media omitted>"}),
        ("line=9", "group_message", "Dian Puspita", "2024-01-07T20:45:00+07:00",
         "Foto kegiatan tadi siang di balai desa", {}),
        ("line=10", "system", None, "2024-01-12T18:30:00+07:00", "Eko Prasetyo joined using this group's invite link",
         {"event": "joined"}),
        ("line=11", "group_message", "Eko Prasetyo", "2024-01-12T18:31:00+07:00", "Izin gabung pak, saya guru SD 3", {}),
        ("line=12", "system", None, "2024-01-13T07:00:00+07:00", "Eko Prasetyo left", {"event": "left"}),
    ]
    assert {r.group for r in result} == {"Relawan Kecamatan"}


def test_android_12h_month_first_decided_by_a_later_line():
    result = records(ANDROID_12H)
    assert rows(result) == [
        ("line=1", "system", None, "2024-02-01T07:45:00+07:00",
         "Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, "
         "can read or listen to them. Tap to learn more.", {"event": "encryption"}),
        ("line=2", "group_message", "Rina Kusuma", "2024-02-01T07:45:00+07:00",
         "Pagi pak, jadi ikut rapat di rumah pak lurah?", {}),
        ("line=3", "group_message", "Joko Santoso", "2024-02-01T12:10:00+07:00",
         "Jadi bu. Nanti sore saya bawa daftar pemilih", {}),
        ("line=4", "group_message", "Rina Kusuma", "2024-02-13T21:05:00+07:00", "Besok jangan lupa ya pak 😊", {}),
        ("line=5", "group_message", "Joko Santoso", "2024-02-13T23:59:00+07:00", "",
         {"deleted": "This message was deleted"}),
        ("line=6", "group_message", "Joko Santoso", "2024-02-14T00:01:00+07:00", "Sudah sampai TPS 05",
         {"media": "IMG-20240214-WA0003.jpg (file attached)"}),
    ]
    # A one-to-one chat: still group messages, the group being the chat's name.
    assert {r.group for r in result} == {"Rina Kusuma"}


def test_android_indonesian_locale_system_lines_phone_author_and_deleted():
    result = records(ANDROID_ID, tz="Asia/Makassar")
    assert rows(result) == [
        ("line=1", "system", None, "2024-01-20T10:00:00+08:00",
         "Pesan dan panggilan dienkripsi secara end-to-end. Tidak seorang pun di luar chat ini, termasuk WhatsApp, "
         "yang dapat membaca atau mendengarkannya. Ketuk untuk mempelajari selengkapnya.", {"event": "encryption"}),
        ("line=2", "system", None, "2024-01-20T10:00:00+08:00", 'Agus Salim membuat grup "Tim Desa Sukamaju"',
         {"event": "created"}),
        ("line=3", "system", None, "2024-01-20T10:01:00+08:00", "Agus Salim menambahkan Anda", {"event": "added"}),
        ("line=4", "group_message", "Agus Salim", "2024-01-20T10:05:00+08:00",
         "Bapak ibu, rapat relawan hari Sabtu di rumah saya", {}),
        ("line=5", "group_message", "+62 812-3456-7890", "2024-01-20T10:07:00+08:00", "Siap hadir pak", {}),
        ("line=6", "group_message", "Wulan Sari", "2024-01-21T16:40:00+08:00", "",
         {"media": "<Media tidak disertakan>"}),
        ("line=7", "group_message", "Wulan Sari", "2024-01-21T16:41:00+08:00", "",
         {"deleted": "Pesan ini telah dihapus"}),
        ("line=8", "system", None, "2024-01-22T08:30:00+08:00",
         "Dodi Firmansyah bergabung menggunakan tautan undangan grup ini", {"event": "joined"}),
        ("line=9", "system", None, "2024-01-22T08:32:00+08:00",
         'Agus Salim mengubah subjek dari "Tim Desa Sukamaju" menjadi "Relawan 02 Desa Sukamaju"',
         {"event": "subject"}),
        ("line=10", "system", None, "2024-01-23T19:15:00+08:00", "Dodi Firmansyah keluar", {"event": "left"}),
    ]
    assert result[4].account == "+62 812-3456-7890"
    assert {r.group for r in result} == {"Tim Desa Sukamaju"}


def test_ambiguous_dates_are_day_first(tmp_path):
    result = chat(tmp_path, "03/04/24 08.00 - Ani: rapat\n05/06/24 09.30 - Budi: siap\n")
    assert [r.timestamp.isoformat() for r in result] == ["2024-04-03T08:00:00+07:00", "2024-06-05T09:30:00+07:00"]


def test_year_first_with_en_dash(tmp_path):
    result = chat(tmp_path, "2024/02/14, 07:30 \u2013 Ani: sudah coblos\n2024/02/14, 07:31 \u2013 Budi: sama\n")
    assert [(r.locator, r.author, r.timestamp.isoformat(), r.text) for r in result] == [
        ("line=1", "Ani", "2024-02-14T07:30:00+07:00", "sudah coblos"),
        ("line=2", "Budi", "2024-02-14T07:31:00+07:00", "sama"),
    ]


def test_older_ios_without_seconds(tmp_path):
    result = chat(tmp_path, "[14/02/2024 7:31] Budi: sama\n")
    assert [(r.locator, r.author, r.timestamp.isoformat(), r.text) for r in result] == [
        ("line=1", "Budi", "2024-02-14T07:31:00+07:00", "sama")]


def test_group_from_a_created_line_when_the_file_name_says_nothing(tmp_path):
    result = chat(tmp_path, '01/02/24 10.00 - Rudi membuat grup "Relawan Pak Lurah"\n01/02/24 10.01 - Rudi: halo\n',
                  name="ekspor.txt")
    assert {r.group for r in result} == {"Relawan Pak Lurah"}


def test_lines_before_the_first_message_are_rejected_and_impossible_dates_too(tmp_path):
    result = chat(tmp_path, "Ekspor percakapan\r\n\r\n14/02/24 20.05 - Ani: halo\r\n"
                            "31/02/24 20.06 - Budi: tanggal rusak\nlanjutan baris\n14/02/24 25.10 - Ani: jam rusak\n")
    assert rows(result) == [
        ("line=1", "not a WhatsApp message line (before the first message)"),
        ("line=3", "group_message", "Ani", "2024-02-14T20:05:00+07:00", "halo", {}),
        ("line=4", "impossible date or time '31/02/24 20.06'"),
        ("line=6", "impossible date or time '14/02/24 25.10'"),
    ]
    assert result[0].excerpt == "Ekspor percakapan"


def test_a_quoted_header_without_year_stays_inside_the_message(tmp_path):
    result = chat(tmp_path, "[24/07/22 20.44.10] Ani: diteruskan:\n[24/7 20.44] Budi: coblos 02\n")
    assert [r.text for r in result] == ["diteruskan:\n[24/7 20.44] Budi: coblos 02"]


@pytest.mark.parametrize("name, group", [
    ("WhatsApp Chat with Relawan Kecamatan.txt", "Relawan Kecamatan"),
    ("folder/Chat WhatsApp dengan Pak RT.txt", "Pak RT"),
    ("WhatsApp Chat - Tim 02.zip!_chat.txt", "Tim 02"),
    ("unduhan/WhatsApp Chat - Tim 02/_chat.txt", "Tim 02"),
    ("_chat.txt", None),
    ("catatan.txt", None),
])
def test_group_from_file_name(name, group):
    assert group_from_file_name(name) == group


def test_recognised_by_content_anywhere_and_other_text_is_skipped(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "obrolan.txt").write_bytes(ANDROID_ID.read_bytes())
    (tmp_path / "a" / "catatan.txt").write_text("Rapat 14/02/24 jam 10.00\n", encoding="utf-8")
    (tmp_path / "a" / "video.mp4").write_bytes(b"\x00\x00")
    assert detect(Source("x.txt", lambda: ANDROID_ID.read_bytes())) == "whatsapp"
    assert detect(Source("x.csv", lambda: ANDROID_ID.read_bytes())) == "csv"
    result = records("a")
    assert [r for r in result if isinstance(r, Skipped)] == [
        Skipped("a/catatan.txt", "text file that is not a WhatsApp chat export"),
        Skipped("a/video.mp4", "media or document file .mp4 (not read)"),
    ]
    assert sum(isinstance(r, Item) for r in result) == 10


def test_item_ids_are_stable(monkeypatch):
    monkeypatch.chdir(FIXTURES)
    first = [r.item_id for r in records("WhatsApp Chat with Rina Kusuma.txt")]
    assert first == [r.item_id for r in records("WhatsApp Chat with Rina Kusuma.txt")]
    assert len(set(first)) == 6


# --- property: generated chats come back message by message --------------------------------------

_NAMES = st.text(alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ.'\u00a0\u202f"),
                 min_size=1, max_size=20).map(str.strip).filter(lambda n: n and not n.startswith((".", "'")))
_MARKS = "\u200e\u200f\u202a\u202c\ufeff"
_WORDS = st.text(alphabet=st.sampled_from("abcefg hijk 0123 ,!?🙏\u202f\u00a0\u200d" + _MARKS), min_size=1, max_size=30)
_MESSAGE = st.tuples(_NAMES, st.lists(_WORDS.filter(lambda w: w.translate(dict.fromkeys(map(ord, _MARKS))).strip()),
                                      min_size=1, max_size=3),
                     st.integers(1, 28), st.integers(1, 12), st.integers(0, 23), st.integers(0, 59))


def _render(message, ios, day_first):
    name, lines, day, month, hour, minute = message
    date = f"{day:02d}/{month:02d}/24" if day_first else f"{month}/{day}/24"
    if ios:
        header = f"[{date} {hour:02d}.{minute:02d}.07] {name}: "
    else:
        header = f"{date}, {hour:02d}:{minute:02d} - {name}: "
    return header + "\n".join(lines)


@settings(max_examples=60)
@given(st.lists(_MESSAGE, min_size=1, max_size=8), st.booleans(), st.booleans(), st.booleans())
def test_generated_chats_come_back_message_by_message(messages, ios, day_first, crlf):
    if not day_first:  # a month-first file must say so somewhere: one day above 12
        messages = [*messages, ("Penutup", ["selesai"], 20, 2, 9, 0)]
    text = ("\r\n" if crlf else "\n").join(_render(m, ios, day_first) for m in messages) + "\n"
    result = list(parse(Source("WhatsApp Chat with Uji.txt", lambda: text.encode("utf-8")), GenericOptions()))
    assert all(isinstance(r, Item) for r in result)
    assert len(result) == len(messages)  # read = items + rejected, nothing lost
    line = 1
    strip = dict.fromkeys(map(ord, _MARKS))
    for record, (name, lines, day, month, hour, minute) in zip(result, messages):
        assert record.locator == f"line={line}"
        assert record.text == "\n".join(lines).translate(strip)
        assert record.author == " ".join(name.split())
        assert (record.timestamp.month, record.timestamp.day, record.timestamp.hour) == (month, day, hour)
        assert record.group == "Uji"
        line += len(lines)


@pytest.mark.parametrize("header, later, expected", [
    ("02/01/25, 8:27 pm - via: ", "13/01/25, 9:00 am - via: ", "2025-01-02T20:27:00+07:00"),
    ("1/2/25, 12:30\u202fa.\u202fm. - via: ", "1/13/25, 9:00\u202fa.\u202fm. - via: ", "2025-01-02T00:30:00+07:00"),
    ("02/01/2025, 12:05 p. m. - via: ", "13/01/2025, 9:00 a. m. - via: ", "2025-01-02T12:05:00+07:00"),
    ("\u200e[02/01/25 08.27.09] via: ", "[13/01/25 09.00.00] via: ", "2025-01-02T08:27:09+07:00"),
    ("[1/2/25, 8:27:09 PM] via: ", "[1/13/25, 9:00:00 AM] via: ", "2025-01-02T20:27:09+07:00"),
    ("02.01.25, 20:27 - via: ", "13.01.25, 09:00 - via: ", "2025-01-02T20:27:00+07:00"),
])
def test_header_styles(tmp_path, header, later, expected):
    # The second line decides the order of every line: 13/01 (day first) or 1/13 (month first).
    result = chat(tmp_path, f"{header}btw pos brp?\n{later}oke\n")
    assert [(r.locator, r.author, r.text) for r in result] == [("line=1", "via", "btw pos brp?"), ("line=2", "via", "oke")]
    assert result[0].timestamp.isoformat() == expected


def test_input_format_reads_a_chat_under_any_name(tmp_path):
    path = tmp_path / "ekspor.log"
    path.write_text("14/02/24 20.05 - Ani: halo\n", encoding="utf-8")
    assert records(path) == [Skipped(str(path), "unrecognised file type .log")]
    assert [r.text for r in records(path, input_format="whatsapp")] == ["halo"]


def test_a_quoted_header_in_another_style_stays_inside_the_message(tmp_path):
    result = chat(tmp_path, "[14/02/24 20.05.33] Ani: diteruskan dari grup lain:\n14/02/24, 19:00 - Budi: coblos 02\n"
                            "[14/02/24 20.06.00] Cici: oke\n")
    assert [(r.locator, r.text) for r in result] == [
        ("line=1", "diteruskan dari grup lain:\n14/02/24, 19:00 - Budi: coblos 02"), ("line=3", "oke")]


def test_ios_in_indonesian_language(tmp_path):
    m = "\u200e"
    result = chat(tmp_path, "\r\n".join([
        f"[09/07/22 08.12.14] GURU HONORER 22: {m}Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang "
        "pun di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya.",
        f"[09/07/22 08.12.14] ~\u202fYoga: {m}~\u202fYoga membuat grup ini",
        f"[24/07/22 10.29.56] GURU HONORER 22: {m}Bu Lina menambahkan Anda",
        f"{m}[24/07/22 10.30.01] Bu Lina: {m}gambar tidak disertakan",
        f"{m}[24/07/22 10.31.00] Bu Lina: {m}Pesan ini dihapus.",
        "[24/07/22 10.32.00] Bu Lina: Keluar dari grup? Jangan, nanti ketinggalan info",
    ]) + "\r\n")
    assert [(r.locator, r.kind, r.author, r.text, r.extras) for r in result] == [
        ("line=1", "system", "GURU HONORER 22", "Pesan dan panggilan terenkripsi secara end-to-end. Tidak seorang pun "
         "di luar chat ini, termasuk WhatsApp, yang dapat membaca atau mendengarkannya.", {"event": "encryption"}),
        ("line=2", "system", "Yoga", "~\u202fYoga membuat grup ini", {"event": "created"}),
        ("line=3", "system", "GURU HONORER 22", "Bu Lina menambahkan Anda", {"event": "added"}),
        ("line=4", "group_message", "Bu Lina", "", {"media": "gambar tidak disertakan"}),
        ("line=5", "group_message", "Bu Lina", "", {"deleted": "Pesan ini dihapus."}),
        ("line=6", "group_message", "Bu Lina", "Keluar dari grup? Jangan, nanti ketinggalan info", {}),
    ]
    assert {r.group for r in result} == {"GURU HONORER 22"}


# --- read as a stream --------------------------------------------------------------------------------

def _streamed_only(path: Path) -> Source:
    """The file as a source that can be opened as a stream any number of times but never read whole."""
    def whole() -> bytes:
        raise AssertionError("a WhatsApp chat was read whole")
    return Source(path.name, whole, opener=lambda: path.open("rb"))


@pytest.mark.parametrize("path", [IOS, ANDROID_24H, ANDROID_12H, ANDROID_ID], ids=lambda p: p.name)
def test_a_chat_is_read_as_a_stream_with_the_same_items(path):
    whole = Source(path.name, path.read_bytes)
    assert list(parse(_streamed_only(path), GenericOptions())) == list(parse(whole, GenericOptions()))


def test_what_the_whole_file_decides_is_decided_by_its_own_style(tmp_path):
    # The forwarded Android line names a group and writes its year first, but the file writes iOS headers: neither
    # counts. The iOS notice on line 4 names the group for the messages before it, its day 13 orders every date.
    path = tmp_path / "_chat.txt"
    path.write_text('[01/02/24 10.00.00] Ani: diteruskan:\n2024-01-20, 10:00 - Rudi created group "Bukan Ini"\n'
                    "[02/01/24 10.00.00] Ani: oke\n[13/01/24 10.00.01] Grup Kita: \u200eMessages and calls are "
                    "end-to-end encrypted.\n", encoding="utf-8")
    result = list(parse(_streamed_only(path), GenericOptions()))
    assert [(r.locator, r.timestamp.date().isoformat(), r.group) for r in result] == [
        ("line=1", "2024-02-01", "Grup Kita"), ("line=3", "2024-01-02", "Grup Kita"),
        ("line=4", "2024-01-13", "Grup Kita")]


def test_styles_used_equally_often_go_to_the_first_met(tmp_path):
    result = chat(tmp_path, "[01/02/24 10.00.00] Ani: satu\n01/02/24, 10:01 - Budi: dua\n")
    assert [(r.locator, r.text) for r in result] == [("line=1", "satu\n01/02/24, 10:01 - Budi: dua")]
