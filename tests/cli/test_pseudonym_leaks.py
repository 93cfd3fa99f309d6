"""``--pseudonymize``: planted identities (names, handles, phone numbers, e-mail addresses) in every place
an export carries them; no byte of any of the five reports, the uncertain rows or stderr may contain one."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from helpers import invoke

KEY = "kunci-rahasia-uji"
# Every identity planted below, as it is written (checked case-insensitively) ...
NAMES = ["Wahyu Prasetyo", "Prasetyo", "Siti Aminah", "Aminah", "Rina Marlina", "Marlina", "Dedi Kurniawan",
         "Kurniawan", "Hendra Saputra", "Saputra", "Lestari Handayani", "Handayani", "yusuf.hakim",
         "agus.riyanto", "Riyanto", "Fajar Ramadhan", "Ramadhan", "fajar_rmd",
         "intan.permata", "wahyu.p@example.org"]
# (not "Bayu Nugroho": a third person named only in free text is not found, see report/pseudonym.py)
# ... and phone numbers, found by their digits (a report may write them with any separators)
PHONES = ["81234567890", "81398765432", "85712340000", "82155556666", "81177778888"]

WHATSAPP_GROUP = """\
14/02/24 07.00 - Pesan dan panggilan dienkripsi secara end-to-end. Tidak seorang pun di luar chat ini dapat membacanya.
14/02/24 07.01 - Siti Aminah membuat grup "Guru SDN Sukamaju"
14/02/24 07.02 - Siti Aminah menambahkan Rina Marlina
14/02/24 07.03 - Siti Aminah menambahkan +62 815-1111-2222
14/02/24 07.05 - Siti Aminah: Bapak ibu, ayo coblos nomor 2 ya! Info hubungi 0812 3456 7890 atau @yusuf.hakim
14/02/24 07.06 - Siti Aminah: Kontak relawan: +62 813-9876-5432, 62857-1234-0000, (0821) 5555-6666, 0811.7777.8888
14/02/24 07.07 - Siti Aminah: email ke intan.permata@example.com ya, atau tanya Bayu Nugroho
14/02/24 25.10 - Dedi Kurniawan: siap coblos 02 bu
14/02/24 07.08 - Rina Marlina keluar
"""
WHATSAPP_PRIVATE = """\
14/02/24 08.00 - Wahyu Prasetyo: Mas, jangan lupa coblos nomor 2, kabari wahyu.p@example.org
14/02/24 08.01 - Fajar Ramadhan: siap pak
"""
FACEBOOK_COMMENTS = {"comments": [
    {"timestamp": 1707872400, "title": "Agus Riyanto mengomentari kiriman Lestari Handayani.",
     "data": [{"comment": {"timestamp": 1707872400, "comment": "Mantap bu, coblos nomor 2!",
                           "author": "Agus Riyanto"}}]},
]}
GENERIC = ("text,author,account,target,kind,created_at\n"
           "ayo menangkan paslon nomor 2,Hendra Saputra,@fajar_rmd,Lestari Handayani,comment,2024-02-10 08:00\n"
           "dukung penuh pak calon,Hendra Saputra,@fajar_rmd,,post,kemarin sore\n")


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("ekspor")
    (folder / "WhatsApp Chat with Guru SDN Sukamaju.txt").write_text(WHATSAPP_GROUP, encoding="utf-8")
    (folder / "WhatsApp Chat with Wahyu Prasetyo.txt").write_text(WHATSAPP_PRIVATE, encoding="utf-8")
    (folder / "Hendra Saputra komentar.csv").write_text(GENERIC, encoding="utf-8")
    with zipfile.ZipFile(folder / "facebook-agus.riyanto-2024-02-14-Ab12Cd.zip", "w") as archive:
        archive.writestr("your_facebook_activity/comments_and_reactions/comments.json",
                         json.dumps(FACEBOOK_COMMENTS))
    return folder


def leaks(data: bytes) -> list[str]:
    """The planted identities found in ``data``."""
    text = data.decode("utf-8", errors="replace")
    found = [name for name in NAMES if name.casefold() in text.casefold()]
    digits = re.sub(r"\D", "", text)
    return found + [phone for phone in PHONES if phone in digits]


@pytest.fixture(scope="module")
def without_pseudonyms(exports, tmp_path_factory):
    out = tmp_path_factory.mktemp("raw") / "laporan.html"  # the HTML report shows rejected records too
    result = invoke("scan", str(exports), "--all", "-o", str(out))
    return out.read_bytes() + result.stderr.encode("utf-8")


def test_the_identities_are_planted_where_a_report_shows_them(without_pseudonyms):
    # the test is only worth something if an ordinary scan shows every planted identity
    assert sorted(leaks(without_pseudonyms)) == sorted(NAMES + PHONES)


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "html", "xlsx", "md"])
def test_no_planted_identity_in_any_report_or_on_stderr(exports, tmp_path, fmt):
    out = tmp_path / f"laporan.{fmt}"
    uncertain = tmp_path / "ragu.jsonl"
    result = invoke("scan", str(exports), "--all", "-o", str(out), "--pseudonymize", "--pseudonym-key", KEY,
                    "--export-uncertain", "10", str(uncertain))
    assert result.exit_code == 0, result.stderr
    data = out.read_bytes()
    if fmt == "xlsx":
        with zipfile.ZipFile(out) as archive:
            data = b"".join(archive.read(name) for name in archive.namelist())
    assert leaks(data) == []
    assert leaks(uncertain.read_bytes()) == []
    assert leaks(result.stderr.encode("utf-8")) == []


# --- logs carry no post text unless asked -------------------------------------------------------------

HOSTILE_CSV = ("text,author,created_at\n"
               "rahasia pertama,Andi,Budi Santoso coblos nomor 2\n"  # text in the timestamp column
               '"rahasia kedua","Cici","not a date ""quoted"""\n'
               ",Dodi,2024-02-10 08:00\n")


@pytest.mark.parametrize("command", ["scan", "ingest"])
def test_stderr_names_rejected_records_without_their_text(tmp_path, command):
    posts = tmp_path / "posts.csv"
    posts.write_text(HOSTILE_CSV, encoding="utf-8")
    result = invoke(command, str(posts), "-o", str(tmp_path / "out.jsonl"))
    rejected = [line for line in result.stderr.splitlines() if line.startswith("rejected:")]
    assert rejected == [
        f"rejected: {posts} row=1: unreadable timestamp '\u2026' in column 'created_at'",
        f"rejected: {posts} row=2: unreadable timestamp '\u2026' in column 'created_at'",
        f"rejected: {posts} row=3: no text, target or group: nothing to scan"]
    for secret in ("Budi", "rahasia", "quoted", "Andi", "Cici", "Dodi"):
        assert secret not in result.stderr


def test_show_text_adds_the_quoted_values_and_an_excerpt(tmp_path):
    posts = tmp_path / "posts.csv"
    posts.write_text(HOSTILE_CSV, encoding="utf-8")
    result = invoke("scan", str(posts), "--show-text", "-o", str(tmp_path / "out.jsonl"))
    rejected = [line for line in result.stderr.splitlines() if line.startswith("rejected:")]
    assert rejected[0] == (f"rejected: {posts} row=1: unreadable timestamp 'Budi Santoso coblos nomor 2' in column "
                           "'created_at' | {\"text\": \"rahasia pertama\", \"author\": \"Andi\", \"created_at\": "
                           "\"Budi Santoso coblos nomor 2\"}")
    assert rejected[2] == (f"rejected: {posts} row=3: no text, target or group: nothing to scan | "
                           '{"text": "", "author": "Dodi", "created_at": "2024-02-10 08:00"}')


@pytest.mark.parametrize(("line", "event", "names"), [
    ("Siti Aminah menambahkan Rina Marlina, Dedi dan +62 815-1111-2222", "added",
     ["Siti Aminah", "Rina Marlina", "Dedi", "+62 815-1111-2222"]),
    ("You removed Budi Santoso", "removed", ["Budi Santoso"]),
    ("Rina Marlina keluar", "left", ["Rina Marlina"]),
    ('Siti Aminah membuat grup "Guru SDN Sukamaju"', "created", ["Siti Aminah"]),
    ("~ Dedi joined using this group's invite link", "joined", ["Dedi"]),
    ("Your security code with Rina Marlina changed. Tap to learn more.", "security_code", ["Rina Marlina"]),
    ("Pesan dan panggilan dienkripsi secara end-to-end.", "encryption", []),
])
def test_the_people_a_whatsapp_system_line_names(line, event, names):
    from netral_cli.ingest.whatsapp import people_named

    assert people_named(line, event) == names
