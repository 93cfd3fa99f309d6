"""Data flows one way: ingest -> normalise -> rules/classifier -> score -> report; only cli imports click."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "netral_cli"
ORDER = ["errors", "items", "resources", "ingest", "stemmer", "normalise", "tokens", "rules", "safe_unpickle", "native", "chargrams", "classifier", "score", "selection",
         "engines", "report", "api", "cli"]
SHARED = {"errors", "items", "resources", "system"}


def stage_of(module: str) -> str:
    return module.split(".")[1] if module.count(".") else "__init__"


def imports_of(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def test_no_backward_imports_between_stages():
    problems = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).with_suffix("")
        stage = relative.parts[0]
        if stage not in ORDER:
            continue
        for name in imports_of(path):
            if not name.startswith("netral_cli."):
                continue
            target = stage_of(name)
            if target in SHARED or target == stage or target == "__init__":
                continue
            if ORDER.index(target) > ORDER.index(stage):
                problems.append(f"{relative} imports {name}")
    assert problems == []


def test_only_the_cli_imports_click():
    users = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py") if "click" in
                   {n.split(".")[0] for n in imports_of(p)})
    assert users == ["cli.py"]
