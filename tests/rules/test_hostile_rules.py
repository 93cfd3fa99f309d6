"""Hostile rule files: they are refused at their file and line, or bounded, never a hang or a traceback."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import invoke
from netral_cli.errors import RuleError
from netral_cli.rules import conditions
from netral_cli.rules.conditions import Near, Phrase
from netral_cli.rules.context import load_context
from netral_cli.rules.engine import RuleTimeout, docs_for, evaluate, load_rules
from netral_cli.rules.matcher import RuleMatcher

from helpers import GOOD

# Polynomial backtracking (n ** 6) that the static check does not flag: no repeat of a repeat, no alternation.
SLOW = r"\w*\w*\w*\w*\w*\w*\d"
SLOW_RULE = GOOD.replace("  phrase: coblos", f"  any:\n    - phrase: coblos\n    - regex: '{SLOW}'")
LONG_WORD = "abcdefghij" * 40 + " 7"  # a 400-letter word before a digit: ~10^15 steps for SLOW


@pytest.fixture
def short_time_limit(monkeypatch):
    monkeypatch.setattr(conditions, "REGEX_TIMEOUT", 0.05)


def load_one(tmp_path, text: str, name: str = "a.yaml") -> list[str]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return [str(error) for error in load_rules(tmp_path).errors]


@pytest.mark.parametrize("hostile, where, message", [
    # a "billion laughs": nine levels of nine aliases
    ("a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(8)),
     "1:1", "YAML aliases expand to more than 100,000 nodes"),
    (GOOD + "x: !!python/object/apply:os.system ['echo owned']\n", "11:4",
     "invalid YAML: could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"),
    ("!!python/name:os.system\n", "1:1",
     "invalid YAML: could not determine a constructor for the tag 'tag:yaml.org,2002:python/name:os.system'"),
    (GOOD + "x: !custom value\n", "11:4", "invalid YAML: could not determine a constructor for the tag '!custom'"),
    (GOOD + "? [a, b]\n: c\n", "11:3", "keys must be text, found a list (quote it if it is meant as text)"),
    (GOOD + "? {a: 1}\n: c\n", "11:3", "keys must be text, found a mapping (quote it if it is meant as text)"),
    (GOOD + "1: c\n", "11:1", "keys must be text, found int 1 (quote it if it is meant as text)"),
    (GOOD + "~: c\n", "11:1", "keys must be text, found null (quote it if it is meant as text)"),
    (GOOD.replace("  phrase: coblos", "  phrase: coblos\n  yes: 1"), "8:3",
     "keys must be text, found the boolean true (quote it if it is meant as text)"),
    (GOOD + "x: !!int abc\n", "11:4",
     "invalid YAML value 'abc' (tag:yaml.org,2002:int): invalid literal for int() with base 10: 'abc'"),
    (GOOD + "x: !!timestamp 2024-13-45\n", "11:4",
     "invalid YAML value '2024-13-45' (tag:yaml.org,2002:timestamp): month must be in 1..12"),
    (GOOD.replace("severity: high", "severity: " + "9" * 5000), "5:11",
     "invalid YAML value '999999999999999999999999999999999999999 (tag:yaml.org,2002:int): Exceeds the limit "
     "(4300 digits) for integer string conversion: value has 5000 digits; use sys.set_int_max_str_digits() to "
     "increase the limit"),
    (GOOD + "colour: red\n", "11", "rule a2b2.contoh: unknown key 'colour'"),
    (GOOD.replace("  phrase: coblos", "  regex: '" + "|".join(f"k{i}" for i in range(100_000)) + "'"), "7",
     "rule a2b2.contoh: regex of 688,889 characters is longer than 2,000: split it or use phrase"),
    (GOOD.replace("  phrase: coblos", "  phrase: [" + ", ".join(f"k{i}" for i in range(100_001)) + "]"), "1:1",
     "YAML aliases expand to more than 100,000 nodes"),
])
def test_a_hostile_rule_file_is_refused_at_its_line(tmp_path, hostile, where, message):
    assert load_one(tmp_path, hostile) == [f"{tmp_path / 'a.yaml'}:{where}: {message}"]


def test_a_rule_file_over_2_mib_is_refused_before_parsing(tmp_path):
    assert load_one(tmp_path, GOOD + "# " + "x" * 2 * 2**20 + "\n") == [
        f"{tmp_path / 'a.yaml'}: rule file larger than 2 MiB; split it into several files"]


def test_a_hostile_context_file_is_a_rule_error_at_its_line(tmp_path):
    path = tmp_path / "konteks.yaml"
    path.write_text("name: x\n? [a]\n: b\n", encoding="utf-8")
    with pytest.raises(RuleError) as info:
        load_context(path)
    assert str(info.value) == f"{path}:2:3: keys must be text, found a list (quote it if it is meant as text)"


def test_the_bundled_regexes_are_within_the_limits():
    assert load_rules("rules").errors == ()


def test_a_regex_past_its_time_limit_raises_a_rule_error_naming_the_rule(tmp_path, short_time_limit):
    assert load_one(tmp_path, SLOW_RULE) == []  # the static check does not see it
    (rule,) = load_rules(tmp_path).rules
    with pytest.raises(RuleTimeout) as info:
        evaluate([rule], "post", docs_for({"text": LONG_WORD}))
    assert str(info.value) == (f"{tmp_path / 'a.yaml'}:1: rule a2b2.contoh: regex '\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*\\\\d' "
                               "ran longer than 0.05 s on one text (it backtracks catastrophically; rewrite it)")
    assert isinstance(info.value, RuleError) and info.value.exit_code == 2


def test_the_matcher_switches_a_timed_out_rule_off_for_later_items(tmp_path, short_time_limit):
    load_one(tmp_path, SLOW_RULE)
    matcher = RuleMatcher(load_rules(tmp_path).rules)
    late: list = []
    assert matcher.evaluate("post", docs_for({"text": "coblos " + LONG_WORD}), late) == []
    assert [rule.id for rule in late] == ["a2b2.contoh"]
    # switched off: even a text it would match gives no hit now, and no second report
    assert matcher.evaluate("post", docs_for({"text": "ayo coblos"}), late) == []
    assert len(late) == 1


def test_a_regex_under_not_that_times_out_does_not_make_the_rule_fire(tmp_path, short_time_limit):
    load_one(tmp_path, GOOD.replace("  phrase: coblos", f"  phrase: coblos\n  not:\n    - regex: '{SLOW}'"))
    late: list = []
    assert RuleMatcher(load_rules(tmp_path).rules).evaluate("post", docs_for({"text": "coblos " + LONG_WORD}),
                                                            late) == []
    assert len(late) == 1


@pytest.mark.parametrize("workers", ["1", "2"])
def test_scan_with_a_hanging_regex_scores_every_item_reports_the_rule_and_exits_2(tmp_path, short_time_limit,
                                                                                 workers):
    rules = tmp_path / "rules"
    rules.mkdir()
    load_one(rules, SLOW_RULE)
    posts = tmp_path / "posts.csv"
    posts.write_text("text,author\nayo coblos,Andi\n" f"{LONG_WORD},Budi\n" "coblos lagi,Citra\n", encoding="utf-8")
    report = tmp_path / "report.jsonl"
    result = invoke("scan", str(posts), "--rules", str(rules), "--all", "-o", str(report), "--workers", workers)
    assert result.exit_code == 2
    records = [json.loads(line) for line in report.read_text(encoding="utf-8").splitlines()]
    assert sorted((r["locator"], r["rules"]) for r in records) == [
        ("row=1", ["a2b2.contoh"]), ("row=2", []), ("row=3", [])]  # switched off after row 2
    summary, error = result.stderr.splitlines()
    assert summary.startswith("read 3, scored 3, rejected 0; ") and summary.endswith(f"; wrote 3 to {report}")
    assert error == (
        f"Error: {rules / 'a.yaml'}:1: rule a2b2.contoh: a regex ran longer than 0.05 s on the item at {posts} "
        "row=2; the rule was switched off from there on, so the report lacks its hits (rewrite the regex)")
    assert "abcdefghij" not in result.stderr


def test_rules_test_reports_a_timed_out_example_as_a_failure(tmp_path, short_time_limit):
    rule = SLOW_RULE.replace("no_match: [pilih menu,", f"no_match: ['{LONG_WORD}',")
    (tmp_path / "a.yaml").write_text(rule, encoding="utf-8")
    result = invoke("rules", "test", str(tmp_path))
    assert result.exit_code == 2
    assert (f"{tmp_path / 'a.yaml'}:12: error [example] a2b2.contoh: no_match example 1: rule a2b2.contoh: regex "
            "'\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*\\\\d' ran longer than 0.05 s on one text") in result.stdout


def test_explain_with_a_timed_out_regex_is_a_one_line_rule_error(tmp_path, short_time_limit):
    load_one(tmp_path, SLOW_RULE)
    result = invoke("explain", LONG_WORD, "--rules", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {tmp_path / 'a.yaml'}:1: rule a2b2.contoh: regex "
                             "'\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*\\\\d' ran longer than 0.05 s on one text "
                             "(it backtracks catastrophically; rewrite it)\n")


# --- near: linear in the matches, whatever the text repeats ------------------------------------------

def covered(spans) -> set[int]:
    return {i for s in spans or () for i in range(s.first, s.last + 1)}


def brute_force_near(near, docs):
    """The definition: every pair of a left and a right match at most ``within`` tokens apart."""
    lefts, rights = near.left.match(docs), near.right.match(docs)
    return [(a, b) for a in lefts or () for b in rights or ()
            if max(b.first - a.last, a.first - b.last) - 1 <= near.within]


WORDS = st.lists(st.sampled_from(["coblos", "nomor", "dua", "ayo", "pak"]), max_size=40)


@given(words=WORDS, within=st.integers(0, 6))
def test_near_covers_what_every_pair_in_reach_covers(words, within):
    near = Near(Phrase((("coblos",), ("ayo", "coblos"))), Phrase((("nomor", "dua"), ("dua",))), within)
    docs = docs_for({"text": " ".join(words)})
    pairs = brute_force_near(near, docs)
    found = near.match(docs)
    assert (found is None) == (not pairs)
    assert covered(found) == {i for a, b in pairs for i in range(min(a.first, b.first), max(a.last, b.last) + 1)}


def test_near_on_a_text_repeating_both_sides_makes_one_span_per_left_match():
    docs = docs_for({"text": "ayo coblos nomor 2 pilih paslon dukung " * 4000})
    near = Near(Phrase((("coblos",),)), Phrase((("dukung",),)), 8)
    spans = near.match(docs)
    assert len(spans) == 4000
    # "paslon" is normalised to "pasangan calon": 8 tokens a round
    assert (spans[0].first, spans[0].last, spans[-1].last) == (1, 7, 4000 * 8 - 1)


def test_near_within_is_at_most_50_tokens(tmp_path):
    rule = GOOD.replace("  phrase: coblos", "  near: {left: coblos, right: nomor, within: 51}")
    assert load_one(tmp_path, rule) == [
        f"{tmp_path / 'a.yaml'}:7: rule a2b2.contoh: near: within must be a whole number of tokens from 0 to 50"]
