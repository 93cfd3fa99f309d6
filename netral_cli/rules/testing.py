"""Runs every rule's inline examples, Semgrep ``ruleid:``/``ok:`` style: each example goes through
normalise -> engine with only that rule enabled. Shared by ``netral rules test`` and the test suite."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from pathlib import Path

from netral_cli.errors import Location, RuleError
from netral_cli.rules.context import bind_rules, cached_context, docs_in_situation, situate
from netral_cli.rules.engine import RuleSet, RuleTimeout, docs_for, evaluate
from netral_cli.rules.rule import Example, Rule

MIN_EXAMPLES = 5


@dataclass(frozen=True)
class ExampleResult:
    rule_id: str
    expectation: str  # "match" or "no_match"
    index: int
    example: Example
    passed: bool
    message: str
    location: Location

    @property
    def test_id(self) -> str:
        return f"{self.rule_id}:{self.expectation}:{self.index}"


def example_kind(rule: Rule, example: Example) -> str:
    """The item kind an example stands for: its own, else the first kind the rule applies to."""
    return example.kind or (sorted(rule.kinds)[0] if rule.kinds else "post")


def run_example(rule: Rule, expectation: str, index: int, example: Example) -> ExampleResult:
    """One example through the scan path: its context (if any) bound, its timestamp situated."""
    location = Location(rule.location.path, line=example.line)
    try:
        context = cached_context(str(Path(rule.location.path).parent / example.context)) if example.context else None
    except RuleError as exc:
        return ExampleResult(rule.id, expectation, index, example, False, f"example context: {exc}", location)
    docs = docs_for({"text": example.text, "target": example.target, "group": example.group})
    situation = situate(context, example.timestamp)
    try:
        hits = evaluate(bind_rules([rule], context), example_kind(rule, example), docs_in_situation(docs, situation))
    except RuleTimeout as exc:
        return ExampleResult(rule.id, expectation, index, example, False, exc.message, location)
    found = [e.text for hit in hits for e in hit.evidence]
    normalised = " | ".join(f"{name}: {doc.normalised.text}" for name, doc in docs.items()) or "(empty)"
    if expectation == "match" and not hits:
        return ExampleResult(rule.id, expectation, index, example, False,
                             f"no {rule.id} match in an example that should match; normalised: {normalised}",
                             location)
    if expectation == "no_match" and hits:
        return ExampleResult(rule.id, expectation, index, example, False,
                             f"{rule.id} matched {found} in an example that must not match; "
                             f"normalised: {normalised}", location)
    missing = [s for s in example.spans if s not in found]
    if missing:
        return ExampleResult(rule.id, expectation, index, example, False,
                             f"expected span(s) {missing} not among the evidence {found}", location)
    return ExampleResult(rule.id, expectation, index, example, True, "ok", location)


def run_examples(ruleset: RuleSet) -> Iterator[ExampleResult]:
    for rule in ruleset.active:
        for index, example in enumerate(rule.match_examples, start=1):
            yield run_example(rule, "match", index, example)
        for index, example in enumerate(rule.no_match_examples, start=1):
            yield run_example(rule, "no_match", index, example)
