"""The rule validators, by name (``netral rules check`` runs them all; ``rules list-checks`` lists them)."""

from __future__ import annotations

from collections.abc import Iterable

from netral_cli.rules.issues import Issue
from netral_cli.rules.validators.base import RuleSource, Validator
from netral_cli.rules.validators.metadata import (MIN_EXAMPLES, DuplicateId, DuplicateTitle, ExampleCount,
                                                  MissingLegalBasis, MissingSanction)
from netral_cli.rules.validators.patterns import (BacktrackingRegex, DuplicatePattern, IneffectiveCondition,
                                                  RewrittenKeyword)

VALIDATORS: dict[str, type[Validator]] = {cls.name: cls for cls in (
    DuplicateId, DuplicateTitle, DuplicatePattern, BacktrackingRegex, RewrittenKeyword, IneffectiveCondition,
    MissingLegalBasis, MissingSanction, ExampleCount)}


def run_validators(sources: Iterable[RuleSource], names: Iterable[str] | None = None) -> list[Issue]:
    """Every validator (or those named) over every rule, then each one's cross-rule findings."""
    validators = [VALIDATORS[name]() for name in (names if names is not None else VALIDATORS)]
    issues: list[Issue] = []
    for source in sources:
        for validator in validators:
            if source.rule.status != "deprecated" or validator.include_deprecated:
                issues.extend(validator.validate(source))
    for validator in validators:
        issues.extend(validator.finalize())
    return issues


__all__ = ["MIN_EXAMPLES", "VALIDATORS", "RuleSource", "Validator", "run_validators"]
