"""Peak memory of netral on one huge file: a JSONL, a CSV, a JSON array or object and a WhatsApp chat of that size.

    python bench/hostile_memory.py                       # smoke: 20 MB files, a few seconds
    python bench/hostile_memory.py --size 2G --json-size 1G --ingest-size 256M -o results.md

Each record is a scraper's record: an ordinary post (text, author, account, time, url, drawn from
``bench/generate.py``'s corpus) plus about 1.5 KB of metadata netral keeps but does not scan (a bio,
media URLs, a raw payload), so that a 2 GB file is about a million records and the scan's time goes
to reading rather than scoring. The JSON object holds the records under ``data``, as some APIs write
them; the WhatsApp chat holds the same posts as messages (``DD/MM/YY HH.MM - Name: text``, every
seventh with a second line), without the metadata. Three measures per file, each in its own child
process with the process-tree PSS sampling of ``bench/run.py``:

- ``read``: only the ingest stage, records counted as they stream (what a source costs to read);
- ``netral scan``: the whole scan, its scoring processes included (``-o`` a JSONL report);
- ``netral ingest``: the ``ingest`` command, which writes every item as it reads it (at ``--ingest-size``).

The files are written to a temporary folder (``--keep DIR`` to keep them) and never committed.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import Corpus  # noqa: E402
from run import child_env, machine, markdown_table, measure  # noqa: E402

POOL = 20_000  # distinct posts, cycled
COLUMNS = ("text", "author", "account", "created_at", "platform", "kind", "url", "bio", "media_urls",
           "likes", "shares", "payload")
FORMATS = ("jsonl", "csv", "json", "json-object", "whatsapp")
SUFFIXES = {"jsonl": "jsonl", "csv": "csv", "json": "json", "json-object": "json", "whatsapp": "txt"}
OPENING = {"json": "[\n", "json-object": '{"data": [\n'}  # a JSON array, or one under a key as some APIs write it
CLOSING = {"json": "\n]\n", "json-object": "\n]}\n"}
MEASURES = ("read", "netral scan", "netral ingest")


def parse_bytes(text: str) -> int:
    text = text.strip().upper().rstrip("B")
    factor = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}.get(text[-1:], 1)
    return int(float(text.rstrip("KMG")) * factor)


def records(seed: int) -> Iterator[dict[str, object]]:
    """Endless scraper records: the corpus's posts cycled, each with its own url, time and payload."""
    posts = list(Corpus(seed).items(POOL))
    filler = "".join(f"{i:04x}" for i in range(4096))
    index = 0
    while True:
        post = posts[index % POOL]
        yield {**post, "url": f"{post['url']}/{index}", "created_at": post["created_at"],
               "bio": f"Akun resmi {post['author']} • berita, kegiatan dan informasi warga • " * 2,
               "media_urls": " ".join(f"https://cdn.example.com/m/{index}/{n}.jpg" for n in range(4)),
               "likes": index % 977, "shares": index % 131,
               "payload": filler[(index * 7) % 8192:(index * 7) % 8192 + 1024]}
        index += 1


def write_file(fmt: str, size: int, path: Path, seed: int) -> int:
    """Records up to ``size`` bytes; returns how many were written."""
    written = count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS) if fmt == "csv" else None
        if writer:
            writer.writeheader()
        else:
            handle.write(OPENING.get(fmt, ""))
        for record in records(seed):
            if written >= size:
                break
            if writer:
                writer.writerow(record)
                written = handle.tell()
            elif fmt == "whatsapp":
                line = chat_message(record, count)
                handle.write(line)
                written += len(line.encode("utf-8"))
            else:
                line = ("" if fmt == "jsonl" or count == 0 else ",\n") + json.dumps(record, ensure_ascii=False)
                handle.write(line if fmt in OPENING else line + "\n")
                written += len(line.encode("utf-8")) + 1
            count += 1
        handle.write(CLOSING.get(fmt, ""))
    return count


def chat_message(record: dict[str, object], index: int) -> str:
    """A post as an Android WhatsApp message (day first, dot times), every seventh with a second line."""
    stamp = str(record["created_at"])
    header = f"{stamp[8:10]}/{stamp[5:7]}/{stamp[2:4]} {stamp[11:13]}.{stamp[14:16]} - {record['author']}: "
    return header + str(record["text"]) + ("\nsambungan pesan sebelumnya" if index % 7 == 0 else "") + "\n"


def read_only(path: str) -> None:
    """The child of the ``read`` measure: every record read and dropped."""
    from netral_cli.ingest import read

    counts: dict[str, int] = {}
    for record in read([path]):
        name = type(record).__name__
        counts[name] = counts.get(name, 0) + 1
    print(json.dumps(counts), file=sys.stderr)


def commands(measure_name: str, path: Path, work: Path) -> list[str]:
    netral = [sys.executable, "-c", "from netral_cli.cli import main; main()"]
    if measure_name == "read":
        return [sys.executable, str(Path(__file__).resolve()), "--child", str(path)]
    if measure_name == "netral scan":
        return [*netral, "scan", str(path), "-o", str(work / "report.jsonl"), "--no-progress"]
    return [*netral, "ingest", str(path), "-o", str(work / "items.jsonl")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=parse_bytes, default=parse_bytes("20M"), help="JSONL and CSV size (2G)")
    parser.add_argument("--json-size", type=parse_bytes, default=None,
                        help="JSON array and object size (default: --size)")
    parser.add_argument("--ingest-size", type=parse_bytes, default=None,
                        help="size of the files `netral ingest` is measured on (default: --size)")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--measures", default=",".join(MEASURES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, default=None, help="write (and keep) the files in this folder")
    parser.add_argument("-o", "--output", type=Path, default=None, help="also write the table here (Markdown)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        read_only(args.child)
        return 0

    rows = []
    with tempfile.TemporaryDirectory(prefix="netral-hostile-") as scratch:
        work = Path(scratch)
        folder = args.keep or work
        folder.mkdir(parents=True, exist_ok=True)
        env = child_env(work / "cache")
        for fmt in args.formats.split(","):
            for measure_name in args.measures.split(","):
                size = args.json_size or args.size if fmt in OPENING else args.size
                if measure_name == "netral ingest" and args.ingest_size:
                    size = min(size, args.ingest_size)
                path = folder / f"huge-{fmt}-{size}.{SUFFIXES[fmt]}"
                if not path.exists():
                    count = write_file(fmt, size, path, args.seed)
                    print(f"wrote {path} ({path.stat().st_size:,} bytes, {count:,} records)", file=sys.stderr)
                seconds, cpu, pss = measure(commands(measure_name, path, work), env)
                rows.append((fmt, f"{path.stat().st_size / (1 << 20):,.0f}", measure_name, f"{seconds:,.1f}",
                             f"{cpu:,.1f}", f"{pss:,.0f}"))
                print(" | ".join(rows[-1]), file=sys.stderr)
    text = (f"Machine: {machine()}\n\n"
            + markdown_table(("format", "file (MiB)", "measure", "wall (s)", "CPU (s)", "peak PSS, all processes (MiB)"),
                             rows) + "\n")
    print(text)
    if args.output:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
