"""Faults around a scan: interrupted (SIGKILL, SIGTERM, Ctrl-C) while scoring or while writing, outputs that
cannot be written, many files with broken ones among them, worker processes that die.

The interruption tests run the real command in a subprocess and signal it at a point it has reached for
certain (never after a fixed time): while it writes, a wrapper around the report file pauses the first
write and says so on stderr; while it scores, the scan blocks reading its standard input, which the test keeps open."""

from __future__ import annotations

import gc
import io
import json
import os
import re
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from helpers import EXAMPLES, invoke

from netral_cli import api, engines
from netral_cli.classifier import load_model
from netral_cli.errors import InputError, OutputError, ScanAbortedError
from netral_cli.report import FORMATS, Format
from netral_cli.system import append_lines, atomic_file, printable

NETRAL = [sys.executable, "-m", "netral_cli.cli"]
OLD_REPORT = b"laporan lama: harus tetap utuh\n"
WORKER_DIED = ("Error: a scoring process stopped before it finished (killed, or out of memory); nothing was "
               "written (run again with fewer --workers, or --workers 1)\n")
SUFFIX = {"jsonl": "jsonl", "csv": "csv", "html": "html", "xlsx": "xlsx", "md": "md"}

# The command, with its report file pausing at the first write (a line on stderr says it has begun).
PAUSED_WRITE = """
import sys
from contextlib import contextmanager
from netral_cli import api

real_atomic_file = api.atomic_file


class Paused:
    def __init__(self, handle):
        self.handle, self.paused = handle, False

    def write(self, data):
        written = self.handle.write(data)
        if not self.paused:
            self.paused = True
            self.handle.flush()
            print("writing the report", file=sys.stderr, flush=True)
            sys.stdin.readline()  # until the test's signal ends the command
        return written

    def __getattr__(self, name):
        return getattr(self.handle, name)


@contextmanager
def paused_file(path, binary=False):
    with real_atomic_file(path, binary) as handle:
        yield Paused(handle)


api.atomic_file = paused_file
from netral_cli.cli import main
main()
"""


def run_env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "NETRAL_CACHE_DIR": str(tmp_path / "cache")}


def stray_files(folder: Path, keep: set[str]) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in keep)


def paused_scan(tmp_path: Path, fmt: str, *extra: str) -> tuple[subprocess.Popen, Path]:
    """``netral scan`` of the examples paused in its first write of the report (over an existing report)."""
    out = tmp_path / "keluaran" / f"laporan.{SUFFIX[fmt]}"
    out.parent.mkdir()
    out.write_bytes(OLD_REPORT)
    process = subprocess.Popen([sys.executable, "-c", PAUSED_WRITE, "scan", str(EXAMPLES), "--all", "-o", str(out),
                                *extra], stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=run_env(tmp_path),
                               start_new_session=True)
    assert process.stderr.readline() == b"writing the report\n"
    return process, out


@pytest.mark.parametrize(("fmt", "sent", "code", "stderr"), [
    ("jsonl", signal.SIGTERM, 143, b"Aborted!\n"),
    ("xlsx", signal.SIGINT, 130, b"\nAborted!\n"),
])
def test_a_report_interrupted_while_written_leaves_the_old_report_and_no_temporary_file(tmp_path, fmt, sent, code,
                                                                                        stderr):
    uncertain = tmp_path / "keluaran" / "ragu.jsonl"
    process, out = paused_scan(tmp_path, fmt, "--export-uncertain", "3", str(uncertain))
    temporary = [p.name for p in out.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(temporary) == 1 and out.read_bytes() == OLD_REPORT  # the new report is being written beside it
    os.killpg(process.pid, sent)  # as a terminal's Ctrl-C reaches the whole process group
    assert process.wait() == code
    assert process.stderr.read() == stderr
    assert out.read_bytes() == OLD_REPORT
    assert stray_files(out.parent, {out.name}) == []  # neither the temporary file nor the uncertain items


def test_a_report_killed_while_written_leaves_only_a_hidden_temporary_file(tmp_path):
    fmt = "html"
    process, out = paused_scan(tmp_path, fmt)
    process.kill()
    assert process.wait() == -signal.SIGKILL
    assert out.read_bytes() == OLD_REPORT
    (stray,) = stray_files(out.parent, {out.name})
    assert re.fullmatch(rf"\.laporan\.{fmt}\.{process.pid}-[a-z0-9_]+\.tmp", stray)  # hidden, not named like a report
    live = out.parent / f".laporan.{fmt}.{os.getpid()}-abc.tmp"  # another scan writing the same report now
    live.write_bytes(b"")
    result = invoke("scan", str(EXAMPLES), "-o", str(out))
    assert result.exit_code == 0 and out.read_bytes() != OLD_REPORT
    assert stray_files(out.parent, {out.name}) == [live.name]  # the killed scan's file is gone, the live one kept


class Interrupting:
    """A file handle that takes one write, then is interrupted (Ctrl-C in the middle of a report)."""

    def __init__(self, handle):
        self.handle, self.writes = handle, 0

    def write(self, data):
        if self.writes:
            raise KeyboardInterrupt
        self.writes += 1
        return self.handle.write(data)

    def __getattr__(self, name):
        return getattr(self.handle, name)


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_interrupted_midway_leaves_nothing_half_written(tmp_path, fmt, monkeypatch):
    real = FORMATS[fmt]

    def interrupted(report, out):
        real.write(report, Interrupting(out))
        raise KeyboardInterrupt  # a writer that writes all at once (md): interrupted before the rename

    monkeypatch.setitem(FORMATS, fmt, Format(interrupted, real.binary))
    out = tmp_path / f"laporan.{SUFFIX[fmt]}"
    out.write_bytes(OLD_REPORT)
    with api.scan([EXAMPLES], api.ScanOptions(include_all=True)) as result, pytest.raises(KeyboardInterrupt):
        api.write_report(result.report(), str(out), fmt, None)
    gc.collect()  # openpyxl's row generators, left open by the interruption, complain here (and only here)
    assert out.read_bytes() == OLD_REPORT
    assert stray_files(tmp_path, {out.name}) == []


# --- interrupted while scoring, with worker processes -------------------------------------------------

@pytest.fixture(scope="module")
def chunk_and_more(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """More than one chunk of items (so that scoring processes start before the scan reaches its standard input)."""
    path = tmp_path_factory.mktemp("scoring") / "banyak.jsonl"
    texts = ["Ayo bapak ibu jangan lupa coblos nomor {} tanggal 14", "Rapat dinas pendidikan minggu ke-{} lancar"]
    path.write_text("".join(json.dumps({"text": texts[i % 2].format(i % 9), "author": f"Pegawai {i % 40}"}) + "\n"
                            for i in range(engines.CHUNK + 1)), encoding="utf-8")
    return path


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def scan_blocked_on_stdin(tmp_path: Path, big: Path) -> tuple[subprocess.Popen, Path, list[int]]:
    """``netral scan BIG - --workers 2`` with its standard input left open: the scan cannot end, and returns
    once both scoring processes run and have set themselves up (a Ctrl-C before that is the parent's to stop)."""
    out = tmp_path / "laporan.html"
    process = subprocess.Popen([*NETRAL, "scan", str(big), "-", "--workers", "2", "-o", str(out)],
                               stdin=subprocess.PIPE, stderr=subprocess.PIPE, env=run_env(tmp_path),
                               start_new_session=True)
    while len(workers := [pid for pid in children(process.pid) if ignores_interrupts(pid)]) < 2:
        assert process.poll() is None
        time.sleep(0.01)
    return process, out, workers


def ignores_interrupts(pid: int) -> bool:
    """Whether the process ignores SIGINT (``SigIgn`` in /proc/PID/status is a hexadecimal signal mask)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # gone
        return False
    mask = int(next(line.split()[1] for line in status.splitlines() if line.startswith("SigIgn:")), 16)
    return bool(mask & 1 << (signal.SIGINT - 1))


def test_a_scan_interrupted_while_scoring_stops_its_workers_and_writes_nothing(tmp_path, chunk_and_more):
    process, out, workers = scan_blocked_on_stdin(tmp_path, chunk_and_more)
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the workers get it too, and must not print tracebacks
    assert process.wait() == 130
    process.stdin.close()
    assert process.stderr.read() == b"\nAborted!\n"
    assert [pid for pid in workers if alive(pid)] == []  # stopped before the command returned
    assert not out.exists() and stray_files(tmp_path, {"cache"}) == []


def test_workers_do_not_outlive_a_killed_scan(tmp_path, chunk_and_more):
    process, out, workers = scan_blocked_on_stdin(tmp_path, chunk_and_more)
    process.kill()
    assert process.wait() == -signal.SIGKILL
    process.stdin.close()
    for pid in workers:  # each gets SIGTERM as its parent dies; wait for that, however long it takes
        while alive(pid):
            os.sched_yield()
    assert not out.exists()


# --- worker processes that die ------------------------------------------------------------------------

PARENT = os.getpid()


def die_in_worker(self, items):
    if os.getpid() != PARENT:
        os.kill(os.getpid(), signal.SIGKILL)
    raise AssertionError("scored in the parent")


def out_of_memory_in_worker(self, items):
    raise MemoryError


@pytest.mark.parametrize(("scorer", "message"), [
    (die_in_worker, WORKER_DIED),
    (out_of_memory_in_worker, "Error: out of memory; nothing was written (try --workers 1, or --top N to keep "
                              "fewer records)\n"),
])
def test_a_worker_that_dies_is_a_one_line_error_not_a_hang(tmp_path, monkeypatch, scorer, message):
    monkeypatch.setattr(engines.Scorer, "__call__", scorer)
    out = tmp_path / "laporan.jsonl"
    result = invoke("scan", str(EXAMPLES), "--workers", "2", "-o", str(out))
    assert (result.exit_code, result.stderr) == (1, message)
    assert stray_files(tmp_path, set()) == []


def test_a_dead_worker_pool_is_a_scan_aborted_error(monkeypatch):
    monkeypatch.setattr(engines.Scorer, "__call__", die_in_worker)
    scorer = engines.Scorer([], load_model())
    with pytest.raises(ScanAbortedError) as info:
        list(engines.run_pool(scorer, [[]] * 3, 2))
    assert str(info.value) == WORKER_DIED.removeprefix("Error: ").rstrip("\n")


# --- outputs that cannot be written -------------------------------------------------------------------

def test_a_missing_output_folder_is_created(tmp_path):
    out = tmp_path / "laporan" / "2024" / "temuan.jsonl"
    result = invoke("scan", str(EXAMPLES), "-o", str(out))
    assert result.exit_code == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 11


@pytest.mark.parametrize(("output", "message"), [
    ("folder", "{tmp}/folder: is a folder; give a file name for the output"),
    ("berkas/laporan.html", "{tmp}/berkas/laporan.html: cannot create the output folder: {tmp}/berkas is a file"),
    ("masukan.csv", "{tmp}/masukan.csv: is one of the inputs; write the output to another file"),
    ("ekspor/lama.jsonl", "{tmp}/ekspor/lama.jsonl: is one of the inputs; write the output to another file"),
])
def test_an_output_that_cannot_be_written_is_refused_before_the_scan(tmp_path, output, message):
    (tmp_path / "folder").mkdir()
    (tmp_path / "berkas").write_text("bukan folder", encoding="utf-8")
    (tmp_path / "masukan.csv").write_text("text\nayo coblos nomor 2\n", encoding="utf-8")
    (tmp_path / "ekspor").mkdir()
    (tmp_path / "ekspor" / "lama.jsonl").write_text('{"text": "laporan lama"}\n', encoding="utf-8")
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    result = invoke("scan", str(tmp_path / "masukan.csv"), str(tmp_path / "ekspor"), "-o", str(tmp_path / output))
    assert (result.exit_code, result.stderr) == (1, "Error: " + message.format(tmp=tmp_path) + "\n")
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_the_same_file_for_two_outputs_is_refused(tmp_path):
    out = tmp_path / "laporan.jsonl"
    (tmp_path / "lagi").symlink_to(tmp_path)
    result = invoke("scan", str(EXAMPLES), "-o", str(out), "--export-uncertain", "3", f"{tmp_path}/lagi/laporan.jsonl")
    assert (result.exit_code, result.stderr) == (1, f"Error: {tmp_path}/lagi/laporan.jsonl: is given for two "
                                                    "outputs\n")


def test_ingest_refuses_to_overwrite_its_input(tmp_path):
    data = tmp_path / "data.jsonl"
    data.write_text('{"text": "halo"}\n', encoding="utf-8")
    result = invoke("ingest", str(data), "-o", str(data))
    assert (result.exit_code, result.stderr) == (1, f"Error: {data}: is one of the inputs; write the output to "
                                                    "another file\n")
    assert data.read_text(encoding="utf-8") == '{"text": "halo"}\n'


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_refused(tmp_path):
    folder = tmp_path / "terkunci"
    folder.mkdir()
    folder.chmod(0o555)
    result = invoke("scan", str(EXAMPLES), "-o", str(folder / "laporan.jsonl"))
    assert (result.exit_code, result.stderr) == (1, f"Error: {folder}/laporan.jsonl: cannot write to the folder "
                                                    f"{folder} (permission denied)\n")


def test_a_write_refused_by_the_system_is_one_line_and_leaves_no_file(tmp_path, monkeypatch):
    import tempfile

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refused)
    out = tmp_path / "laporan.html"
    result = invoke("scan", str(EXAMPLES), "-o", str(out))
    assert (result.exit_code, result.stderr) == (1, f"Error: {out}: cannot write: Permission denied\n")
    assert stray_files(tmp_path, set()) == []


def test_a_full_disk_keeps_the_old_report_and_removes_the_new_one(tmp_path):
    """A regular file that cannot grow (RLIMIT_FSIZE: the write fails as on a full disk)."""
    import resource

    out = tmp_path / "laporan.html"
    out.write_bytes(OLD_REPORT)

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    process = subprocess.run([*NETRAL, "scan", str(EXAMPLES), "--top", "5", "-o", str(out)], capture_output=True,
                             env=run_env(tmp_path), preexec_fn=small_files)
    assert (process.returncode, process.stderr) == (1, f"Error: {out}: cannot write: File too large\n".encode())
    assert out.read_bytes() == OLD_REPORT and stray_files(tmp_path, {out.name, "cache"}) == []


def full_device() -> Path:
    device = Path("/dev/full")
    if not (device.exists() and stat.S_ISCHR(device.stat().st_mode)):
        pytest.skip("no /dev/full device")
    return device


def test_a_full_device_as_output_is_written_in_place_and_fails(tmp_path):
    device = full_device()
    result = invoke("scan", str(EXAMPLES), "-o", str(device))
    assert (result.exit_code, result.stderr) == (1, "Error: /dev/full: cannot write: No space left on device\n")
    assert stat.S_ISCHR(device.stat().st_mode)  # still the device, not a regular file renamed over it


def test_a_full_standard_output_is_a_one_line_error(tmp_path):
    with full_device().open("wb") as stdout:
        process = subprocess.run([*NETRAL, "scan", str(EXAMPLES)], stdout=stdout,
                                 stderr=subprocess.PIPE, env=run_env(tmp_path))
    assert (process.returncode, process.stderr) == (1, b"Error: standard output: cannot write: No space left on "
                                                       b"device\n")


@pytest.mark.parametrize("command", [["scan", str(EXAMPLES), "--all"], ["scan", str(EXAMPLES), "--format", "xlsx"]])
def test_standard_output_closed_by_its_reader_ends_quietly(tmp_path, command):
    """``netral scan ... | head -1``: the reader has gone when the report is written."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    process = subprocess.run([*NETRAL, *command], stdout=write_end, stderr=subprocess.PIPE, env=run_env(tmp_path))
    os.close(write_end)
    assert (process.returncode, process.stderr) == (1, b"")


def test_closed_standard_streams_are_one_line_errors(monkeypatch):
    monkeypatch.setattr(sys, "stdin", None)  # as `netral scan - <&-` starts
    with pytest.raises(InputError) as info:
        api.ingest(["-"])
    assert str(info.value) == "-: standard input is closed"
    with pytest.raises(OutputError) as info:  # as `netral scan ... >&-` starts
        api.write_records([{"text": "halo"}], "-", None)
    assert str(info.value) == "standard output is closed; give -o FILE"


def test_an_output_that_is_a_fifo_is_written_in_place(tmp_path):
    fifo = tmp_path / "pipa"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    with atomic_file(fifo) as handle:
        handle.write("satu baris\n")
    assert reader.communicate()[0] == b"satu baris\n"
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_a_symbolic_link_is_written_through_to_its_target(tmp_path):
    target = tmp_path / "asli.jsonl"
    target.write_text("lama\n", encoding="utf-8")
    (tmp_path / "tautan.jsonl").symlink_to(target)
    with atomic_file(tmp_path / "tautan.jsonl") as handle:
        handle.write("baru\n")
    assert (tmp_path / "tautan.jsonl").is_symlink() and target.read_text(encoding="utf-8") == "baru\n"


# --- many files, some broken --------------------------------------------------------------------------

TEXTS = ["Ayo bapak ibu jangan lupa coblos nomor 2 tanggal 14 ya", "Rapat koordinasi dinas hari ini lancar",
         "Selamat pagi rekan ASN tetap netral ya"]


def _csv(n: int) -> str:
    return "text,author,timestamp\n" + "".join(f"{TEXTS[j]} {n},Pegawai {n},2024-01-1{j}T08:00:00+07:00\n"
                                               for j in range(3))


def _jsonl(n: int) -> str:
    return "".join(json.dumps({"text": f"{TEXTS[j]} {n}", "author": f"Pegawai {n}"}) + "\n" for j in range(3))


def _json(n: int) -> str:
    return json.dumps([{"text": f"{TEXTS[j]} {n}", "author": f"Pegawai {n}"} for j in range(3)])


def _chat(n: int) -> str:
    return "".join(f"05/01/2024, 09:1{j} - Pegawai {n}: {TEXTS[j]}\n" for j in range(3))


@pytest.fixture
def many_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """60 entries: 40 good files in every generic format and WhatsApp chats, 5 good zips, 5 truncated zips,
    6 binary files named .json, an empty file, a folder named like a file, a file nobody may read,
    and a file whose read fails (an I/O error)."""
    root = tmp_path / "ekspor"
    root.mkdir()
    for n in range(10):
        (root / f"posting_{n:02d}.csv").write_text(_csv(n), encoding="utf-8")
        (root / f"komentar_{n:02d}.jsonl").write_text(_jsonl(n), encoding="utf-8")
        (root / f"unggahan_{n:02d}.json").write_text(_json(n), encoding="utf-8")
        (root / f"WhatsApp Chat with Grup {n:02d}.txt").write_text(_chat(n), encoding="utf-8")
    for n in range(5):
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
            zipped.writestr(f"data/posting_{n}.csv", _csv(100 + n))
            zipped.writestr(f"data/komentar_{n}.jsonl", _jsonl(100 + n))
        (root / f"arsip_{n}.zip").write_bytes(archive.getvalue())
        (root / f"terpotong_{n}.zip").write_bytes(archive.getvalue()[:archive.tell() // 2])
    for n in range(6):
        (root / f"sampah_{n}.json").write_bytes(bytes(range(256)) * (n + 1))
    (root / "kosong.csv").write_bytes(b"")
    (root / "folder.csv").mkdir()
    for name in ("rahasia.csv", "rusak.jsonl"):
        (root / name).write_text(_csv(99) if name == "rahasia.csv" else _jsonl(98), encoding="utf-8")
    (root / "rahasia.csv").chmod(0)
    unreadable = {str(root / "rahasia.csv"): PermissionError(13, "Permission denied"),  # (root reads it anyway)
                  str(root / "rusak.jsonl"): OSError(5, "Input/output error")}
    real_open = Path.open

    def failing_open(self: Path, *args, **kwargs):
        if str(self) in unreadable:
            raise unreadable[str(self)]
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", failing_open)
    monkeypatch.setattr(Path, "read_bytes", lambda self: failing_open(self, "rb").read())
    assert len(list(root.iterdir())) == 60
    return root


SKIPPED = [f"skipped: {{root}}/{name}: {reason}" for name, reason in [
    ("kosong.csv", "empty file: no records"), ("rahasia.csv", "cannot read file: Permission denied"), ("rusak.jsonl", "cannot read file: Input/output error"),
    *[(f"terpotong_{n}.zip", "not a readable zip archive (File is not a zip file)") for n in range(5)]]]


def test_many_files_with_broken_ones_finish_the_good_ones_and_list_the_bad(many_files):
    result = invoke("scan", str(many_files), "--all")
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    lines = result.stderr.splitlines()
    assert lines[-1] == "read 156, scored 150, rejected 6; 50 high, 0 medium, 0 low, 100 none"
    assert sorted(line for line in lines if line.startswith("skipped: ")) == [s.format(root=many_files)
                                                                             for s in SKIPPED]
    assert [line for line in lines if line.startswith("rejected: ")] == [
        f"rejected: {many_files}/sampah_{n}.json line=1: invalid JSON (Expecting value, column 1)" for n in range(6)]
    files = {Path(r["source_file"].split("!")[0]).name for r in records}
    assert len(records) == 150 and len(files) == 45  # every good file, each of its 3 items (zips: 6)


def test_many_files_give_the_same_report_with_two_workers(many_files):
    one = invoke("scan", str(many_files), "--all", "--workers", "1")
    two = invoke("scan", str(many_files), "--all", "--workers", "2")
    assert (two.exit_code, two.stdout_bytes, two.stderr) == (0, one.stdout_bytes, one.stderr)


def test_a_single_unreadable_input_is_an_error_not_an_empty_report(many_files):
    result = invoke("scan", str(many_files / "terpotong_0.zip"))
    assert (result.exit_code, result.stderr.splitlines()[-1]) == (
        1, f"Error: {many_files}/terpotong_0.zip: not a readable zip archive (File is not a zip file)")


# --- file names and the stem cache ---------------------------------------------------------------------

def test_file_names_that_are_not_utf8_or_hold_a_line_break_print_escaped(tmp_path):
    folder = os.fsencode(tmp_path)
    for name in (b"bad\xffname.csv", b"dua\nbaris.csv"):
        with open(folder + b"/" + name, "w", encoding="utf-8") as handle:
            handle.write("text\nayo coblos nomor 2 ya\nbaris,rusak\n")
    result = invoke("scan", str(tmp_path), "--all")
    assert result.exit_code == 0
    assert sorted(json.loads(line)["source_file"] for line in result.stdout.splitlines()) == [
        f"{tmp_path}/bad\\xffname.csv", f"{tmp_path}/dua\\nbaris.csv"]
    assert result.stderr.splitlines()[:2] == [
        f"rejected: {tmp_path}/bad\\xffname.csv row=2: row has 2 fields but the header has 1",
        f"rejected: {tmp_path}/dua\\nbaris.csv row=2: row has 2 fields but the header has 1"]
    assert printable("ok.csv") == "ok.csv" and printable("a\tb\x7f") == "a\\tb\\x7f"


def test_a_line_left_unfinished_in_the_stem_cache_is_dropped_not_joined(tmp_path):
    from netral_cli.normalise import StemStore

    cache = tmp_path / "stems.tsv"
    cache.write_bytes(b"memilih\tpilih\nmencoblos\tco")  # a writer killed in the middle of a line
    append_lines(cache, "berlari\tlari\n")
    append_lines(cache, "dukungan\tdukung\n")
    assert cache.read_bytes() == b"memilih\tpilih\nmencoblos\tco\t\nberlari\tlari\ndukungan\tdukung\n"
    store = StemStore(cache)
    assert (store.get("memilih"), store.get("mencoblos"), store.get("berlari"), len(store)) == (
        "pilih", None, "lari", 3)
