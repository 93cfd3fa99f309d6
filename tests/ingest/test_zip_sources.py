"""Zip archives: entries read one at a time from the archive on disk, under limits; a hostile, damaged or
unsafe entry is a skipped file naming the entry, and the other entries are still read."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import invoke
from netral_cli.errors import InputError
from netral_cli.ingest import IngestOptions, read
from netral_cli.ingest.sources import Source, ZipLimits, iter_sources
from netral_cli.items import Item, Skipped

GOOD_CSV = "text,author\nAyo coblos nomor 2!,Budi Santoso\n"


def zip_bytes(*entries: tuple[str | zipfile.ZipInfo, bytes | str],
              compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def write_zip(tmp_path: Path, *entries, name: str = "ekspor.zip", **options) -> Path:
    path = tmp_path / name
    path.write_bytes(zip_bytes(*entries, **options))
    return path


def outcome(path: Path) -> list[tuple[str, str]]:
    """Each record as (source_file, text) and each skipped file as (source_file, reason)."""
    return [(r.source_file, r.text if isinstance(r, Item) else r.reason)
            for r in read([str(path)], IngestOptions()) if isinstance(r, (Item, Skipped))]


def good(path: Path, entry: str = "baik.csv") -> tuple[str, str]:
    return (f"{path}!{entry}", "Ayo coblos nomor 2!")


# --- limits ---------------------------------------------------------------------------------------------------

def test_an_entry_declaring_more_than_the_entry_limit_is_skipped_and_the_others_read(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRAL_ZIP_MAX_ENTRY_SIZE", "1K")
    path = write_zip(tmp_path, ("baik.csv", GOOD_CSV), ("besar.csv", "text\n" + "kampanye,\n" * 200))
    assert outcome(path) == [
        good(path),
        (f"{path}!besar.csv", "zip entry declares more than 1 KiB uncompressed, over the limit "
                              "(NETRAL_ZIP_MAX_ENTRY_SIZE)"),
    ]


def test_the_bytes_actually_read_count_against_the_archive_total(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRAL_ZIP_MAX_TOTAL_SIZE", "100")  # each entry holds 43 bytes
    path = write_zip(tmp_path, ("a.csv", GOOD_CSV), ("baik.csv", GOOD_CSV), ("c.csv", GOOD_CSV))
    assert outcome(path) == [
        good(path, "a.csv"),
        good(path),  # 86 bytes so far: each entry counts once, though it is read more than once
        (f"{path}!c.csv", "zip archive holds more than 100 bytes uncompressed, over the limit "
                          "(NETRAL_ZIP_MAX_TOTAL_SIZE)"),
    ]


def test_a_zip_bomb_entry_is_refused_by_its_ratio(tmp_path):
    path = write_zip(tmp_path, ("baik.csv", GOOD_CSV), ("bom.jsonl", b"\n" * (4 << 20)))
    compressed = zipfile.ZipFile(path).getinfo("bom.jsonl").compress_size
    assert outcome(path) == [
        good(path),
        (f"{path}!bom.jsonl", f"zip entry declares 4 MiB from {compressed / 1024:.3g} KiB compressed, over 200 "
                              "times (a zip bomb? limit NETRAL_ZIP_MAX_RATIO)"),
    ]


def test_an_entry_whose_header_understates_its_size_is_stopped_as_damaged(tmp_path):
    data = bytearray(zip_bytes(("baik.csv", GOOD_CSV), ("bohong.csv", "text\n" + "isi,\n" * 1000)))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("bohong.csv")
    central = data.rindex(b"PK\x01\x02")  # the last central record is bohong.csv's: its size says 10 bytes
    data[central + 24:central + 28] = (10).to_bytes(4, "little")
    path = tmp_path / "ekspor.zip"
    path.write_bytes(bytes(data))
    assert info.file_size == 5005
    assert outcome(path) == [good(path), (f"{path}!bohong.csv", "damaged zip entry (Bad CRC-32 for file 'bohong.csv')")]


def test_more_entries_than_the_limit_refuses_the_archive(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRAL_ZIP_MAX_ENTRIES", "2")
    path = write_zip(tmp_path, ("a.csv", GOOD_CSV), ("b.csv", GOOD_CSV), ("c.csv", GOOD_CSV))
    with pytest.raises(InputError) as info:
        outcome(path)
    assert str(info.value) == f"{path}: zip archive has 3 entries, over the limit of 2 (NETRAL_ZIP_MAX_ENTRIES)"


def test_zips_nested_deeper_than_the_limit_are_skipped(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRAL_ZIP_MAX_DEPTH", "2")
    deepest = zip_bytes(("baik.csv", GOOD_CSV))
    third = zip_bytes(("c.zip", deepest))
    second = zip_bytes(("b.zip", third), ("baik.csv", GOOD_CSV))
    path = write_zip(tmp_path, ("a.zip", second))
    assert outcome(path) == [
        (f"{path}!a.zip!b.zip!c.zip", "zip archive nested more than 2 deep, over the limit (NETRAL_ZIP_MAX_DEPTH)"),
        good(path, "a.zip!baik.csv"),
    ]


def test_a_nested_zip_is_read(tmp_path):
    inner = zip_bytes(("baik.csv", GOOD_CSV))
    path = write_zip(tmp_path, ("dalam.zip", inner))
    assert outcome(path) == [good(path, "dalam.zip!baik.csv")]


def test_media_entries_are_not_opened_whatever_their_size(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRAL_ZIP_MAX_ENTRY_SIZE", "1K")
    path = write_zip(tmp_path, ("baik.csv", GOOD_CSV), ("foto.jpg", b"\xff\xd8" + b"\x00" * 4096))
    assert outcome(path) == [good(path), (f"{path}!foto.jpg", "media or document file .jpg (not read)")]


@pytest.mark.parametrize("value", ["banyak", "-5", "1.5G"])
def test_a_limit_that_is_not_a_size_is_an_input_error(monkeypatch, value):
    monkeypatch.setenv("NETRAL_ZIP_MAX_ENTRY_SIZE", value)
    with pytest.raises(InputError) as info:
        ZipLimits.from_environment()
    assert str(info.value) == f"NETRAL_ZIP_MAX_ENTRY_SIZE={value!r} is not a number (sizes may end in K, M, G or T)"


def test_sizes_take_units(monkeypatch):
    monkeypatch.setenv("NETRAL_ZIP_MAX_ENTRY_SIZE", "3G")
    monkeypatch.setenv("NETRAL_ZIP_MAX_TOTAL_SIZE", "512MiB")
    monkeypatch.setenv("NETRAL_ZIP_MAX_ENTRIES", "7")
    assert ZipLimits.from_environment() == ZipLimits(max_entry_size=3 << 30, max_total_size=512 << 20, max_entries=7)


# --- unsafe entries -------------------------------------------------------------------------------------------

def symlink_entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3
    info.external_attr = 0o120777 << 16
    return info


@pytest.mark.parametrize("name", ["../luar.csv", "/etc/passwd.csv", "C:/Windows/x.csv", "folder\\x.csv",
                                  "a/../../b.csv"])
def test_unsafe_entry_names_are_skipped(tmp_path, name):
    path = write_zip(tmp_path, (name, GOOD_CSV), ("baik.csv", GOOD_CSV))
    assert sorted(outcome(path)) == sorted([
        good(path),
        (f"{path}!{name}", "unsafe path in zip entry name (absolute, drive letter, .. or backslash)"),
    ])


def test_symbolic_link_entries_are_skipped(tmp_path):
    path = write_zip(tmp_path, ("baik.csv", GOOD_CSV), (symlink_entry("tautan.csv"), "/etc/passwd"))
    assert outcome(path) == [good(path), (f"{path}!tautan.csv", "zip entry is a symbolic link (not followed)")]


def patched(tmp_path: Path, data: bytes, last_entry: dict[int, int]) -> Path:
    """The zip ``data`` with fields of its last entry (local header offset -> central record offset) set."""
    data = bytearray(data)
    local, central = data.rindex(b"PK\x03\x04"), data.rindex(b"PK\x01\x02")
    for local_offset, value in last_entry.items():
        central_offset = {6: 8, 8: 10}[local_offset]
        data[local + local_offset:local + local_offset + 2] = value.to_bytes(2, "little")
        data[central + central_offset:central + central_offset + 2] = value.to_bytes(2, "little")
    path = tmp_path / "ekspor.zip"
    path.write_bytes(bytes(data))
    return path


def test_encrypted_entries_are_skipped(tmp_path):
    data = zip_bytes(("baik.csv", GOOD_CSV), ("rahasia.csv", GOOD_CSV), compression=zipfile.ZIP_STORED)
    path = patched(tmp_path, data, {6: 0x1})  # general purpose flag bit 0: encrypted
    assert outcome(path) == [good(path), (f"{path}!rahasia.csv", "zip entry is encrypted")]


def test_entries_of_an_unsupported_compression_method_are_skipped(tmp_path):
    data = zip_bytes(("baik.csv", GOOD_CSV), ("ppmd.csv", GOOD_CSV), compression=zipfile.ZIP_STORED)
    path = patched(tmp_path, data, {8: 98})  # compression method 98: PPMd
    assert outcome(path) == [good(path), (f"{path}!ppmd.csv", "zip entry uses an unsupported compression method (98)")]


def test_duplicate_entry_names_are_all_skipped(tmp_path):
    with pytest.warns(UserWarning):
        path = write_zip(tmp_path, ("baik.csv", GOOD_CSV), ("dua.csv", GOOD_CSV), ("dua.csv", "text\nlain\n"))
    reason = "zip archive holds 2 entries named 'dua.csv' (none is read)"
    assert outcome(path) == [good(path), (f"{path}!dua.csv", reason), (f"{path}!dua.csv", reason)]


# --- damaged archives -------------------------------------------------------------------------------------

def test_an_entry_with_a_bad_crc_is_skipped_and_the_others_read(tmp_path):
    data = bytearray(zip_bytes(("baik.csv", GOOD_CSV), ("rusak.csv", GOOD_CSV), compression=zipfile.ZIP_STORED))
    spot = data.index(b"Budi", data.index(b"rusak.csv"))
    data[spot] = ord("X")
    path = tmp_path / "ekspor.zip"
    path.write_bytes(bytes(data))
    assert outcome(path) == [good(path), (f"{path}!rusak.csv", "damaged zip entry (Bad CRC-32 for file 'rusak.csv')")]


def test_an_entry_with_broken_compressed_data_is_skipped(tmp_path):
    data = bytearray(zip_bytes(("baik.csv", GOOD_CSV), ("rusak.csv", GOOD_CSV * 20)))
    start = data.index(b"rusak.csv") + len("rusak.csv")
    data[start:start + 12] = b"\xff" * 12
    path = tmp_path / "ekspor.zip"
    path.write_bytes(bytes(data))
    [first, second] = outcome(path)
    assert first == good(path)
    assert second[0] == f"{path}!rusak.csv" and second[1].startswith("damaged zip entry (")


def test_a_truncated_archive_is_not_a_readable_zip(tmp_path):
    data = zip_bytes(("baik.csv", GOOD_CSV))
    path = tmp_path / "ekspor.zip"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as info:
        outcome(path)
    assert str(info.value) == f"{path}: not a readable zip archive (File is not a zip file)"


def test_a_refused_entry_alone_exits_1_with_one_line_naming_the_entry(tmp_path, monkeypatch):
    monkeypatch.setenv("NETRAL_ZIP_MAX_ENTRY_SIZE", "10")
    path = write_zip(tmp_path, ("besar.csv", GOOD_CSV))
    result = invoke("ingest", str(path))
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {path}!besar.csv: zip entry declares more than 10 bytes uncompressed, over "
                             "the limit (NETRAL_ZIP_MAX_ENTRY_SIZE)\n")


def test_a_zip_on_disk_is_opened_from_the_file_not_read_into_memory(tmp_path, monkeypatch):
    path = write_zip(tmp_path, ("baik.csv", GOOD_CSV))

    def refuse(self):
        raise AssertionError(f"{self} read whole")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert outcome(path) == [good(path)]


# --- property: entries read back as written ---------------------------------------------------------------

_NAME = st.text(st.sampled_from("abcxyz019_-"), min_size=1, max_size=8)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.dictionaries(st.tuples(st.lists(_NAME, max_size=2).map(tuple), _NAME, st.sampled_from([".csv", ".txt", ".bin"])),
                               st.binary(max_size=300), max_size=6),
       stored=st.booleans())
def test_a_zip_of_random_entries_reads_back_the_same_names_and_bytes(tmp_path, entries, stored):
    named = {"/".join([*folders, stem + suffix]): data for (folders, stem, suffix), data in entries.items()}
    files = [name for name in named if not any(other.startswith(name + "/") for other in named)]
    path = tmp_path / "acak.zip"
    path.write_bytes(zip_bytes(*[(name, named[name]) for name in files],
                               compression=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED))
    read_back = [(s.name, s.read_bytes()) for s in iter_sources(path) if isinstance(s, Source)]
    assert read_back == sorted((f"{path}!{name}", named[name]) for name in files)
