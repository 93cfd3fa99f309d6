"""Rules over a labelled corpus: false-positive budgets (like Sigma's goodlog baselines) and the items
whose verdict changes between two rule sets.

Budget semantics: a rule's false positives are the label-0 items it matches; its false-positive rate
is that count divided by the number of label-0 items in the corpus. The check fails when the rate
exceeds the rule's ``false_positive_budget`` (a rate between 0 and 1; 0 when not declared, so any
false positive fails).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from netral_cli.rules.engine import docs_for, evaluate
from netral_cli.rules.issues import ERROR, Issue
from netral_cli.rules.rule import Rule

DEFAULT_BUDGET = 0.0


@dataclass(frozen=True)
class LabelledItem:
    """One corpus text with its 0/1 label and where it came from (``file:row``)."""

    text: str
    label: int
    where: str
    kind: str = "post"
    target: str | None = None
    group: str | None = None


def hits_per_item(rules: Sequence[Rule], corpus: Sequence[LabelledItem]) -> list[list[str]]:
    """The ids of the rules that match each item, in corpus order."""
    return [sorted(hit.rule.id for hit in evaluate(rules, item.kind, docs_for(
        {"text": item.text, "target": item.target, "group": item.group}))) for item in corpus]


def budget_rows(rules: Sequence[Rule], corpus: Sequence[LabelledItem]) -> list[dict[str, Any]]:
    """Per rule: hits, true and false positives, FP rate and budget, and whether it is within budget."""
    matched = hits_per_item(rules, corpus)
    negatives = sum(1 for item in corpus if item.label == 0)
    rows = []
    for rule in sorted(rules, key=lambda r: r.id):
        labels = [item.label for item, ids in zip(corpus, matched) if rule.id in ids]
        fp = labels.count(0)
        rate = fp / negatives if negatives else 0.0
        budget = DEFAULT_BUDGET if rule.false_positive_budget is None else float(rule.false_positive_budget)
        rows.append({"rule_id": rule.id, "file": rule.location.path, "hits": len(labels), "tp": labels.count(1),
                     "fp": fp, "negatives": negatives, "fp_rate": round(rate, 6), "budget": budget,
                     "within_budget": rate <= budget})
    return rows


def budget_issues(rows: Sequence[dict[str, Any]], sources: Sequence[Any]) -> list[Issue]:
    """An error for every rule over its budget, at its ``false_positive_budget`` key (else the rule)."""
    documents = {s.rule.id: s for s in sources}
    issues = []
    for row in rows:
        if row["within_budget"]:
            continue
        source = documents[row["rule_id"]]
        lines = source.document.key_lines
        line = lines.get("false_positive_budget", source.rule.location.line)
        issues.append(Issue(row["file"], line, None, row["rule_id"], "fp_budget", ERROR,
                            f"{row['fp']} false positive(s) in {row['negatives']} label-0 corpus item(s) "
                            f"(rate {row['fp_rate']:.4f}) exceed the budget {row['budget']:g}"))
    return issues


def diff(old: Sequence[Rule], new: Sequence[Rule], corpus: Sequence[LabelledItem]) -> dict[str, Any]:
    """Items matched by no rule before and some rule now (``newly_matched``) and the reverse."""
    changes = []
    for item, before, after in zip(corpus, hits_per_item(old, corpus), hits_per_item(new, corpus)):
        if bool(before) == bool(after):
            continue
        changes.append({"change": "newly_matched" if after else "no_longer_matched", "where": item.where,
                        "label": item.label, "rules": after or before, "text": item.text})
    summary = {"items": len(corpus),
               "newly_matched": sum(1 for c in changes if c["change"] == "newly_matched"),
               "no_longer_matched": sum(1 for c in changes if c["change"] == "no_longer_matched")}
    summary["newly_matched_label_0"] = sum(1 for c in changes if c["change"] == "newly_matched" and c["label"] == 0)
    summary["no_longer_matched_label_1"] = sum(1 for c in changes
                                               if c["change"] == "no_longer_matched" and c["label"] == 1)
    return {"changes": changes, "summary": summary}
