"""Benchmark ``netral scan`` against a plain notebook pipeline and Python's floor, on one generated corpus.

    python bench/run.py --sizes 10k,100k,1M -o bench/results.md
    python bench/run.py --smoke            # 300 items, a few seconds (CI)
    python bench/run.py --corpus posts.jsonl --notebook-limit 100k   # your own corpus, as it is

Every measured pipeline runs in its own child process: wall time around it, CPU time (user + system,
its worker processes included) from ``os.wait4``, peak memory of the child and all its descendants
added up (sampled from /proc every 100 ms, every 500 ms from 20 s on, so ``netral scan``'s scoring
processes count), and a fresh empty ``NETRAL_CACHE_DIR`` so that stems are cold. Memory is the
proportional set size (PSS): the scoring processes are forked from the scan and share pages with it,
which a sum of RSS would count once per process.
The stage breakdown runs netral's stages one after the other in one child, timing each and
reading the peak RSS after each (so the RSS of a stage includes what earlier stages keep alive).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
SMOKE_SIZE = 300
STAGES_LIMIT = 100_000  # the stage breakdown keeps every stage's output in memory: larger corpora use their start
STAGES = ("load", "ingest", "normalise", "stem", "rules", "model", "score", "report")
PIPELINES = ("netral scan", "netral scan, warm stem cache", "notebook", "floor")
STAGE_COLUMNS = ("items", "stage", "seconds", "items/s", "peak RSS after stage (MiB)")
RESULT_COLUMNS = ("items", "pipeline", "wall (s)", "CPU (s)", "items/s", "peak PSS, all processes (MiB)",
                  "netral cold ÷ this (items/s)")
PACKAGES = ("netral", "scikit-learn", "pandas", "numpy", "PySastrawi", "indoNLP", "emoji")


@dataclass(frozen=True)
class Run:
    items: int
    pipeline: str
    seconds: float
    cpu: float
    rss_mib: float
    note: str = ""

    @property
    def rate(self) -> float:
        return self.items / self.seconds if self.seconds else 0.0


# --- measuring a child process -------------------------------------------------------------------

def measure(command: Sequence[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Run ``command``; return its wall time (s), CPU time (s, with its children) and the peak of its and its
    descendants' PSS added up (MiB; the child's peak RSS if no sample was taken). Fails loudly on a non-zero exit."""
    with tempfile.TemporaryFile("w+") as errors:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors, env=env)
        peak = [0]
        done = threading.Event()
        sampler = threading.Thread(target=_sample_memory, args=(child.pid, peak, done), daemon=True)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        done.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode:
            errors.seek(0)
            raise SystemExit(f"{' '.join(command)} failed ({child.returncode}):\n{errors.read()[-3000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, (peak[0] or usage.ru_maxrss) / 1024


def _sample_memory(pid: int, peak: list[int], done: threading.Event) -> None:
    """Keep in ``peak[0]`` the largest PSS (KiB) of ``pid`` and its descendants together, until ``done``. Every
    0.1 s at first, then less often, up to every 0.5 s from 20 s on: reading ``smaps_rollup`` walks a process's
    memory, and three scan processes of a few hundred MiB took 15 ms of CPU a sample, which every 0.1 s is 15 %
    of one of the cores the scan runs on (its memory grows slowly by then)."""
    start = time.perf_counter()
    while not done.wait(_sampling_interval(time.perf_counter() - start)):
        peak[0] = max(peak[0], sum(_pss_kib(p) for p in _tree(pid)))


def _sampling_interval(elapsed: float) -> float:
    return min(0.5, 0.1 * (1 + elapsed / 5))


def _tree(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            try:
                pending.extend(int(p) for p in task.read_text().split())
            except OSError:
                pass
    return found


def _pss_kib(pid: int) -> int:
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:")), 0)


def child_env(cache: Path) -> dict[str, str]:
    return {**os.environ, "NETRAL_CACHE_DIR": str(cache), "PYTHONHASHSEED": "0"}


def self_command(*args: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), *args]


# --- the children ------------------------------------------------------------------------------

def run_stages(corpus: Path, output: Path, report: Path) -> None:
    """netral's scan, stage by stage (what ``engines.Scorer`` does per chunk, on the whole corpus at once);
    one JSON line per stage."""
    import resource

    from netral_cli import api
    from netral_cli.classifier import load_model
    from netral_cli.engines import CHUNK, model_input
    from netral_cli.rules.engine import docs_for
    from netral_cli.rules.matcher import RuleMatcher
    from netral_cli.score import rank, score_item

    results = []

    def timed(stage: str, work):
        start = time.perf_counter()
        value = work()
        seconds = time.perf_counter() - start
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        results.append({"stage": stage, "seconds": seconds, "rss_mib": rss})
        return value

    matcher, model = timed("load", lambda: (RuleMatcher(api.load_ruleset(None).active), load_model(None)))
    items = timed("ingest", lambda: api.ingest([corpus]).items)
    docs = timed("normalise", lambda: [docs_for({"text": i.text, "target": i.target, "group": i.group})
                                       for i in items])
    inputs = [model_input(d, i.kind) for i, d in zip(items, docs)]
    timed("stem", lambda: [n.stem_text for n in inputs])
    hits = timed("rules", lambda: [matcher.evaluate(i.kind, d) for i, d in zip(items, docs)])
    probabilities = timed("model", lambda: [p for s in range(0, len(inputs), CHUNK)
                                            for p in model.predict_proba(inputs[s:s + CHUNK])])
    scored = timed("score", lambda: rank(score_item(i, h, float(p)) for i, h, p in zip(items, hits, probabilities)))
    timed("report", lambda: api.write_records([s.to_record() for s in scored], str(report), sys.stdout))
    output.write_text(json.dumps({"items": len(items), "stages": results}), "utf-8")


def run_stages_tuned(corpus: Path, output: Path, report: Path) -> None:
    """The stages with the garbage collector tuned as ``netral scan`` tunes it."""
    from netral_cli.engines import rare_collections

    with rare_collections():
        run_stages(corpus, output, report)


def rule_patterns() -> list[re.Pattern[str]]:
    """One regex per bundled rule: its phrases, hashtags and regexes as one alternation (the ``not``
    parts and the rule logic left out), the way a notebook would lift keywords from the rule files."""
    import yaml

    from netral_cli.resources import bundled_path
    from netral_cli.rules.engine import rule_files

    def terms(node) -> list[str]:
        if isinstance(node, str):
            return [r"\b" + re.escape(node).replace(r"\*", r"\w*") + r"\b"]
        if isinstance(node, list):
            return [t for n in node for t in terms(n)]
        if isinstance(node, dict):
            found = []
            for key, value in node.items():
                if key == "regex":
                    found.extend([value] if isinstance(value, str) else value)
                elif key not in ("not", "window", "field", "max_gap", "distance"):
                    found.extend(terms(value))
            return found
        return []

    patterns = []
    for path in rule_files(bundled_path("rules")):
        rule = yaml.safe_load(path.read_text("utf-8"))
        patterns.append(re.compile("|".join(terms(rule["condition"]))))
    return patterns


def run_notebook(corpus: Path, report: Path) -> None:
    """A plain notebook: pandas, lowercase, PySastrawi per document, a regex per rule, the bundled model."""
    import pandas as pd
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    from netral_cli.classifier import load_model

    df = pd.read_json(corpus, lines=True, dtype=False)
    df["clean"] = df.text.str.lower()
    stemmer = StemmerFactory().create_stemmer()
    df["stems"] = df.clean.apply(stemmer.stem)
    hits = pd.Series(0, index=df.index)
    for pattern in rule_patterns():
        hits += df.clean.apply(lambda text: pattern.search(text) is not None)
    df["rule_hits"] = hits
    df["model_score"] = load_model(None).pipeline.predict_proba(df.text.tolist())[:, 1]
    df["score"] = df.model_score + df.rule_hits
    df = df.sort_values("score", ascending=False)
    df.drop(columns=["clean", "stems"]).to_json(report, orient="records", lines=True, force_ascii=False)


def run_floor(corpus: Path) -> None:
    """Python's floor: read lines, json.loads, lower(), a regex tokeniser, nothing else."""
    token = re.compile(r"\w+")
    count = 0
    with corpus.open(encoding="utf-8") as handle:
        for line in filter(str.strip, handle):  # a blank line is no record
            count += len(token.findall(json.loads(line)["text"].lower()))
    print(count)


# --- the driver --------------------------------------------------------------------------------

def corpus_for(size: int, folder: Path, seed: int) -> Path:
    path = folder / f"corpus-{size}-seed{seed}.jsonl"
    if not path.exists():
        sys.path.insert(0, str(HERE))
        import generate

        partial = path.with_suffix(".partial")
        distinct = generate.write(size, "jsonl", partial, seed)
        partial.replace(path)
        print(f"generated {path} ({distinct} distinct tokens)", file=sys.stderr)
    return path


def lines_in(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def sample_of(corpus: Path, limit: int, folder: Path) -> Path:
    """The corpus's first ``limit`` lines, written once into ``folder`` (named after the corpus's full path, so that
    two corpora with the same name do not share a sample)."""
    key = hashlib.sha256(str(corpus.resolve()).encode()).hexdigest()[:8]
    sample = folder / f"{corpus.stem}-{key}-first{limit}.jsonl"
    if not sample.exists():
        with corpus.open(encoding="utf-8") as source, sample.open("w", encoding="utf-8") as target:
            for number, line in enumerate(source):
                if number >= limit:
                    break
                target.write(line)
    return sample


def bench_size(size: int, corpus: Path, work: Path, notebook_limit: int | None,
               warm: bool = True) -> tuple[dict, list[Run]]:
    stages_json = work / f"stages-{size}.json"
    staged = sample_of(corpus, STAGES_LIMIT, work) if size > STAGES_LIMIT else corpus
    measure(self_command("--child", "stages", str(staged), str(stages_json), str(work / "stages-report.jsonl")),
            child_env(Path(tempfile.mkdtemp(dir=work))))
    stages = json.loads(stages_json.read_text("utf-8"))

    cache = Path(tempfile.mkdtemp(dir=work))
    scan = [sys.executable, "-c", "from netral_cli.cli import main; main()",
            "scan", str(corpus), "-o", str(work / "scan.jsonl"), "--no-progress"]
    runs = [Run(size, PIPELINES[0], *measure(scan, child_env(cache)))]
    if warm:
        runs.append(Run(size, PIPELINES[1], *measure(scan, child_env(cache))))

    if notebook_limit and size > notebook_limit:
        seconds, cpu, rss = measure(self_command("--child", "notebook", str(sample_of(corpus, notebook_limit, work)),
                                                 str(work / "notebook.jsonl")),
                                    child_env(Path(tempfile.mkdtemp(dir=work))))
        runs.append(Run(size, PIPELINES[2], seconds * size / notebook_limit, cpu * size / notebook_limit, rss,
                        f"timed on the first {notebook_limit} items, times extrapolated linearly, memory as measured"))
    else:
        runs.append(Run(size, PIPELINES[2], *measure(self_command("--child", "notebook", str(corpus),
                                                                  str(work / "notebook.jsonl")),
                                                     child_env(Path(tempfile.mkdtemp(dir=work))))))
    runs.append(Run(size, PIPELINES[3], *measure(self_command("--child", "floor", str(corpus)),
                                                 child_env(Path(tempfile.mkdtemp(dir=work))))))
    return stages, runs


def markdown_table(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join("---" for _ in columns) + "|"]
    lines.extend("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows)
    return "\n".join(lines)


def results_table(runs: Sequence[Run]) -> str:
    cold = {r.items: r.rate for r in runs if r.pipeline == PIPELINES[0]}
    rows = [(f"{r.items:,}", r.pipeline + (" *" if r.note else ""), f"{r.seconds:.2f}", f"{r.cpu:.2f}",
             f"{r.rate:,.0f}", f"{r.rss_mib:,.0f}", f"{cold[r.items] / r.rate:.2f}") for r in runs]
    notes = sorted({f"\\* {r.note}." for r in runs if r.note})
    return markdown_table(RESULT_COLUMNS, rows) + ("\n\n" + "\n".join(notes) if notes else "")


def stages_table(per_size: dict[int, dict]) -> str:
    """One row per stage; a corpus larger than STAGES_LIMIT was staged on its first STAGES_LIMIT items."""
    rows = [(f"{staged['items']:,}", s["stage"], f"{s['seconds']:.2f}",
             f"{staged['items'] / s['seconds']:,.0f}" if s["seconds"] else "-", f"{s['rss_mib']:,.0f}")
            for staged in per_size.values() for s in staged["stages"]]
    return markdown_table(STAGE_COLUMNS, rows)


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor() or "unknown")
    memory = next((int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")), 0)
    versions = ", ".join(f"{name} {_version(name)}" for name in PACKAGES)
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{os.cpu_count()} CPUs ({cpu}), {memory:,} MiB RAM, Python {platform.python_version()}; {versions}; "
            f"load average at the end {load}")


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "absent"


def parse_size(text: str) -> int:
    text = text.strip().lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * factor)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated item counts (10k, 1M, 2500)")
    parser.add_argument("--smoke", action="store_true",
                        help=f"one tiny run of {SMOKE_SIZE} items, without the warm-cache scan")
    parser.add_argument("--notebook-limit", type=parse_size, default=None,
                        help="time the notebook on this many items at most and extrapolate")
    parser.add_argument("--corpus-dir", type=Path, default=None, help="where corpora are generated and reused")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, action="append", default=[],
                        help="measure on this JSONL file as it is (one object a line with a `text` field) instead of "
                             "generating corpora (--sizes is then ignored); repeatable")
    parser.add_argument("-o", "--output", type=Path, default=None, help="also write the tables here (Markdown)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *paths = args.child
        {"stages": run_stages_tuned, "notebook": run_notebook, "floor": run_floor}[kind](*map(Path, paths))
        return 0

    sizes = [SMOKE_SIZE] if args.smoke else [parse_size(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="netral-bench-") as scratch:
        work = Path(scratch)
        folder = args.corpus_dir or work
        folder.mkdir(parents=True, exist_ok=True)
        corpora = [(lines_in(path), path) for path in args.corpus] or \
            [(size, corpus_for(size, folder, args.seed)) for size in sizes]
        per_size, runs = {}, []
        for size, corpus in corpora:
            stages, size_runs = bench_size(size, corpus, work, args.notebook_limit, warm=not args.smoke)
            per_size[size] = stages
            runs.extend(size_runs)
            print(f"done {size:,} items", file=sys.stderr)
    text = (f"Machine: {machine()}\n\n## Pipelines\n\n{results_table(runs)}\n\n"
            f"## netral stages\n\n{stages_table(per_size)}\n")
    if args.output:
        args.output.write_text(text, "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
