"""Checks of a rule's identity and metadata: ids never reused, distinct titles, legal basis, sanction,
enough examples."""

from __future__ import annotations

import re

from netral_cli.rules.issues import WARNING, Issue
from netral_cli.rules.rule import STAGES
from netral_cli.rules.testing import MIN_EXAMPLES
from netral_cli.rules.validators.base import RuleSource, Validator

_REGULATION = re.compile(r"\b(SKB|UU|PP|Perpres|Permen\w*|Peraturan|Pasal)\b", re.IGNORECASE)


class _FirstSeen(Validator):
    """Reports every rule whose key (id, title) an earlier rule already has, at the key ``field``."""

    field: str

    def __init__(self) -> None:
        self.first: dict[str, RuleSource] = {}
        self.issues: list[Issue] = []

    def key(self, source: RuleSource) -> str:
        raise NotImplementedError

    def validate(self, source: RuleSource) -> list[Issue]:
        key = self.key(source)
        if key in self.first:
            earlier = self.first[key]
            self.issues.append(self.issue(source, self.message(earlier), (self.field,)))
        else:
            self.first[key] = source
        return []

    def finalize(self) -> list[Issue]:
        return self.issues

    def message(self, earlier: RuleSource) -> str:
        raise NotImplementedError


class DuplicateId(_FirstSeen):
    name = "duplicate_id"
    description = "an id is used once across the whole set, deprecated rules included (ids are never reused)"
    include_deprecated = True
    field = "id"

    def key(self, source: RuleSource) -> str:
        return source.rule.id

    def message(self, earlier: RuleSource) -> str:
        return f"duplicate id (first defined at {earlier.rule.location}" + \
            (", a deprecated rule: ids are never reused)" if earlier.rule.status == "deprecated" else ")")


class DuplicateTitle(_FirstSeen):
    name = "duplicate_title"
    description = "two active rules with the same title"
    severity = WARNING
    field = "title"

    def key(self, source: RuleSource) -> str:
        return " ".join(source.rule.title.casefold().split())

    def message(self, earlier: RuleSource) -> str:
        return f"same title as {earlier.rule.id} ({earlier.rule.location})"


class MissingLegalBasis(Validator):
    name = "missing_legal_basis"
    description = "legal_basis must cite a regulation (SKB, UU, PP, Pasal ...)"

    def validate(self, source: RuleSource) -> list[Issue]:
        if _REGULATION.search(source.rule.legal_basis):
            return []
        return [self.issue(source, f"legal_basis {source.rule.legal_basis!r} cites no regulation "
                                   "(SKB 2/2022 item, UU, PP, Pasal ...)", ("legal_basis",))]


class MissingSanction(Validator):
    name = "missing_sanction"
    description = "a sanction for every stage (bakal_calon, calon)"
    severity = WARNING

    def validate(self, source: RuleSource) -> list[Issue]:
        sanction = source.rule.sanction
        missing = [stage for stage in STAGES if not sanction.get(stage, "").strip()]
        if not missing:
            return []
        steps = ("sanction",) if "sanction" in source.document else ()
        return [self.issue(source, "no sanction for " + " and ".join(missing), steps)]


class ExampleCount(Validator):
    name = "example_count"
    description = f"at least {MIN_EXAMPLES} match and {MIN_EXAMPLES} no_match examples"

    def __init__(self, minimum: int = MIN_EXAMPLES):
        self.minimum = minimum

    def validate(self, source: RuleSource) -> list[Issue]:
        rule = source.rule
        issues = []
        for expectation, examples in (("match", rule.match_examples), ("no_match", rule.no_match_examples)):
            if len(examples) < self.minimum:
                steps = ("examples", expectation) if expectation in source.document.get("examples", {}) else ()
                issues.append(self.issue(source, f"{len(examples)} {expectation} example(s), at least "
                                                 f"{self.minimum} required", steps))
        return issues
