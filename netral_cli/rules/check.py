"""``netral rules check``: schema, loader and validators over a rule folder, then every rule's examples
(a TP/FN/TN/FP matrix per rule, as ``semgrep --test``), optionally false-positive budgets over a
labelled corpus. Everything found becomes an :class:`Issue`; the formats print the same records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netral_cli.errors import Location, RuleError
from netral_cli.rules.context import context_folder_problems
from netral_cli.rules.corpus import LabelledItem, budget_issues, budget_rows
from netral_cli.rules.engine import RuleSet, context_files, rule_files
from netral_cli.rules.issues import ERROR, Issue, issue_from_error, sorted_records
from netral_cli.rules.rule import load_rule_documents
from netral_cli.rules.schema import schema_issues
from netral_cli.rules.testing import ExampleResult, run_examples
from netral_cli.rules.validators import RuleSource, run_validators


@dataclass(frozen=True)
class Validated:
    """Every issue of the files themselves and the valid rules with their YAML."""

    issues: list[Issue]
    sources: list[RuleSource]
    files: list[str]

    @property
    def unsafe(self) -> list[Issue]:
        """Regexes that may backtrack catastrophically: they could hang the examples or the corpus, so
        their rules are not run until fixed."""
        return [i for i in self.issues if i.validator == "backtracking_regex" and i.severity == ERROR]

    @property
    def runnable(self) -> RuleSet:
        unsafe = {i.rule_id for i in self.unsafe}
        return RuleSet(tuple(s.rule for s in self.sources if s.rule.id not in unsafe), (), tuple(self.files))


@dataclass(frozen=True)
class CheckResult:
    issues: list[Issue]
    rules: list[dict[str, Any]]
    matrix: list[dict[str, Any]] = field(default_factory=list)
    budgets: list[dict[str, Any]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every rule file read, valid or not

    @property
    def failed(self) -> bool:
        return any(issue.severity == ERROR for issue in self.issues)

    def to_report(self) -> dict[str, Any]:
        """The plain dicts every output format serialises."""
        records = sorted_records(self.issues)
        errors = sum(1 for r in records if r["severity"] == ERROR)
        summary = {"files": len(self.files), "rules": len(self.rules), "errors": errors,
                   "warnings": len(records) - errors, "failed": self.failed}
        if self.matrix:
            summary.update({k: sum(row[k] for row in self.matrix) for k in ("tp", "fn", "tn", "fp")})
        return {"records": records, "rules": self.rules, "matrix": self.matrix, "budgets": self.budgets,
                "summary": summary}


def validate_folder(path: str | Path) -> Validated:
    """YAML, schema and loader problems of every rule and context file, then every validator."""
    path = Path(path)
    if not path.exists():
        return Validated([issue_from_error(RuleError("no such rule file or folder", Location(str(path))), "yaml")],
                         [], [])
    issues: list[Issue] = []
    sources: list[RuleSource] = []
    files = rule_files(path)
    if not files and not context_files(path):
        issues.append(issue_from_error(RuleError("no rule files (*.yaml, *.yml) in this folder",
                                                 Location(str(path))), "yaml"))
    for file in files:
        documents, errors = load_rule_documents(file)
        if errors and not documents:
            issues.extend(issue_from_error(e, "yaml") for e in errors)
            continue
        found = [i for _, document in documents for i in schema_issues(document, str(file))]
        # The schema and the loader accept the same rules; when the schema has spoken, the loader's
        # messages would repeat it. A loader-only complaint means they disagree, so it is shown.
        issues.extend(found or [issue_from_error(e, "rule") for e in errors])
        sources.extend(RuleSource(rule, document) for rule, document in documents if rule is not None)
    issues.extend(context_issues(path))
    issues.extend(run_validators(sources))
    return Validated(issues, sources, [str(f) for f in files])


def context_issues(path: Path) -> list[Issue]:
    """Every problem of every context file under a ``contexts/`` folder: schema, dates, ticket numbers."""
    return [issue_from_error(error, "context") for error in context_folder_problems(path)]


def example_issues(results: Sequence[ExampleResult]) -> list[Issue]:
    return [Issue(r.location.path, r.location.line, None, r.rule_id, "example", ERROR,
                  f"{r.expectation} example {r.index}: {r.message}") for r in results if not r.passed]


def confusion_matrix(ruleset: RuleSet, results: Sequence[ExampleResult]) -> list[dict[str, Any]]:
    """Per active rule: match examples found (TP) or missed (FN), no_match examples left alone (TN) or hit (FP)."""
    rows = {rule.id: {"rule_id": rule.id, "file": rule.location.path, "tp": 0, "fn": 0, "tn": 0, "fp": 0}
            for rule in ruleset.active}
    for result in results:
        cell = {("match", True): "tp", ("match", False): "fn", ("no_match", True): "tn",
                ("no_match", False): "fp"}[(result.expectation, result.passed)]
        rows[result.rule_id][cell] += 1
    return sorted(rows.values(), key=lambda row: row["rule_id"])


def rule_rows(validated: Validated) -> list[dict[str, Any]]:
    return sorted(({"rule_id": s.rule.id, "file": s.path, "line": s.rule.location.line, "status": s.rule.status}
                   for s in validated.sources), key=lambda row: (row["file"], row["line"]))


def check(path: str | Path, validate: bool = True, examples: bool = True,
          corpus: Sequence[LabelledItem] | None = None) -> CheckResult:
    """The whole check (or its validation or example part) of a rule folder."""
    validated = validate_folder(path)
    # without the validators, the files' own problems still fail, and so does a rule left untested
    issues = list(validated.issues) if validate else [i for i in validated.issues if i.validator in ("yaml", "rule",
                                                                                                     "schema")]
    if not validate and examples:
        issues.extend(validated.unsafe)
    matrix: list[dict[str, Any]] = []
    runnable = validated.runnable
    if examples:
        results = list(run_examples(runnable))
        issues.extend(example_issues(results))
        matrix = confusion_matrix(runnable, results)
    budgets: list[dict[str, Any]] = []
    if corpus is not None:
        budgets = budget_rows(runnable.active, corpus)
        issues.extend(budget_issues(budgets, validated.sources))
    return CheckResult(issues, rule_rows(validated), matrix, budgets, validated.files)
