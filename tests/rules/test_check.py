"""``netral rules check`` on one broken folder per failure mode (tests/fixtures/rules/broken/<case>/):
the exact record, then the same record in every output format, and the exit code."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import pytest

from helpers import ROOT, invoke

FIXTURES = ROOT / "tests" / "fixtures" / "rules"
BROKEN = FIXTURES / "broken"

# case: (file, line, column, rule id, validator, severity, message)
CASES = {
    "yaml-syntax": ("rule.yaml", 9, 9, "", "yaml", "error",
                    "invalid YAML: expected ',' or ']', but got ':' (while parsing a flow sequence that starts at line 8)"),
    "duplicate-key": ("rule.yaml", 7, 1, "", "yaml", "error", "duplicate key 'severity'"),
    "alias-bomb": ("rule.yaml", 1, 1, "", "yaml", "error", "YAML aliases expand to more than 100,000 nodes"),
    "schema-severity": ("rule.yaml", 6, 1, "a2b2.contoh", "schema", "error",
                        "severity: 'extreme' is not one of ['high', 'medium', 'low']"),
    "schema-empty-any": ("rule.yaml", 8, 3, "a2b2.contoh", "schema", "error", "condition.any: [] should be non-empty"),
    "schema-empty-phrase": ("rule.yaml", 8, 20, "a2b2.contoh", "schema", "error",
                            "condition.phrase[1]: '' must not be empty"),
    "schema-unknown-key": ("rule.yaml", 12, 1, "a2b2.contoh", "schema", "error",
                           "unknown key 'colour'"),
    "invalid-regex": ("rule.yaml", 10, 7, "a2b2.contoh", "invalid_regex", "error",
                      "invalid regex '(unclosed': missing ), unterminated subpattern at position 0"),
    "backtracking-regex": ("rule.yaml", 10, 7, "a2b2.contoh", "backtracking_regex", "error",
                           "regex '(\\\\w+\\\\s?)+!' may backtrack catastrophically: nested quantifier: a repeated "
                           "group holds a repeat that can take over its text"),
    "duplicate-id": ("b-baru.yaml", 1, 1, "a2b2.contoh", "duplicate_id", "error",
                     "duplicate id (first defined at {dir}/a-lama.yaml:1, a deprecated rule: ids are never reused)"),
    "duplicate-title": ("b.yaml", 2, 1, "a2b2.contoh-lain", "duplicate_title", "warning",
                        "same title as a2b2.contoh ({dir}/a.yaml:1)"),
    "duplicate-pattern": ("b.yaml", 8, 3, "a2b2.contoh-kembar", "duplicate_pattern", "warning",
                          "phrase 'coblos' is also a pattern of a2b2.contoh"),
    "rewritten-keyword": ("rule.yaml", 8, 20, "a2b2.contoh", "rewritten_keyword", "error",
                          "keyword 'paslon' is normalised to 'pasangan calon' and can never match; "
                          "write 'pasangan calon'"),
    "only-not": ("rule.yaml", 7, 1, "a2b2.contoh", "ineffective_condition", "error",
                 "the condition holds by absence only (a `not` without a positive part): it matches every item "
                 "without those words"),
    "listed-twice": ("rule.yaml", 8, 20, "a2b2.contoh", "ineffective_condition", "warning",
                     "phrase 'coblos' is listed twice"),
    "missing-legal-basis": ("rule.yaml", 4, 1, "a2b2.contoh", "missing_legal_basis", "error",
                            "legal_basis 'lihat catatan' cites no regulation (SKB 2/2022 item, UU, PP, Pasal ...)"),
    "missing-sanction": ("rule.yaml", 1, 1, "a2b2.contoh", "missing_sanction", "warning",
                         "no sanction for bakal_calon and calon"),
    "example-count": ("rule.yaml", 11, 3, "a2b2.contoh", "example_count", "error",
                      "1 no_match example(s), at least 5 required"),
    "backtracking-bounded": ("rule.yaml", 10, 7, "a2b2.contoh", "backtracking_regex", "error",
                             "regex '(a{{1,10}}){{1,10}}b' may backtrack catastrophically: nested quantifier: a repeated "
                             "group holds a repeat that can take over its text"),
    "empty-file": ("rule.yaml", 1, None, "", "yaml", "error",
                   "empty file: no YAML document (a rule file holds one rule per document)"),
    "not-utf8": ("rule.yaml", 2, 27, "", "yaml", "error",
                 "not UTF-8 text: byte 0xf6 cannot be decoded; save the file as UTF-8"),
    "rule-is-a-list": ("rule.yaml", 1, 1, "", "schema", "error", "a rule file must be a mapping of keys, not a list"),
    "too-deep": ("rule.yaml", 9, 218, "", "yaml", "error", "YAML nested more than 64 levels deep"),
    "id-too-long": ("rule.yaml", 1, 1, "a2b2." + "x" * 76, "schema", "error",
                    "id: 'a2b2." + "x" * 76 + "' must be 3-80 characters a-z 0-9 . _ -, starting with a letter or digit"),
    "failing-example": ("rule.yaml", 11, None, "a2b2.contoh", "example", "error",
                        "no_match example 1: a2b2.contoh matched ['coblos'] in an example that must not match; "
                        "normalised: text: ayo coblos sekarang"),
}


def expected_record(case: str) -> dict:
    file, line, column, rule_id, validator, severity, message = CASES[case]
    folder = str(BROKEN / case)
    return {"file": f"{folder}/{file}", "line": line, "column": column, "rule_id": rule_id, "validator": validator,
            "severity": severity, "message": message.format(dir=folder)}


def check(case: str, *options: str):
    return invoke("rules", "check", str(BROKEN / case), *options)


def test_every_fixture_case_is_listed():
    assert sorted(p.name for p in BROKEN.iterdir()) == sorted(CASES)


@pytest.mark.parametrize("case", CASES)
def test_json_has_exactly_the_expected_record(case):
    result = check(case, "--format", "json")
    report = json.loads(result.stdout)
    assert report["records"] == [expected_record(case)]
    assert result.exit_code == (2 if CASES[case][5] == "error" else 0)


@pytest.mark.parametrize("case", CASES)
def test_text_line(case):
    record = expected_record(case)
    result = check(case)
    place = f"{record['file']}:{record['line']}" + (f":{record['column']}" if record["column"] else "")
    who = f"{record['rule_id']}: " if record["rule_id"] else ""
    assert result.stdout.splitlines()[0] == \
        f"{place}: {record['severity']} [{record['validator']}] {who}{record['message']}"
    assert result.exit_code == (2 if record["severity"] == "error" else 0)


GITHUB = re.compile(r"^::(error|warning) file=([^,]+)(?:,line=(\d+))?(?:,col=(\d+))?,title=netral \[(\w+)\]::(.*)$")


@pytest.mark.parametrize("case", CASES)
def test_github_annotation(case):
    record = expected_record(case)
    result = check(case, "--format", "github")
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    match = GITHUB.match(lines[0])
    assert match, lines[0]
    severity, file, line, column, validator, text = match.groups()
    assert (severity, file, validator) == (record["severity"], record["file"], record["validator"])
    assert (int(line), int(column) if column else None) == (record["line"], record["column"])
    assert text == (f"{record['rule_id']}: " if record["rule_id"] else "") + record["message"]
    assert result.exit_code == (2 if record["severity"] == "error" else 0)


@pytest.mark.parametrize("case", CASES)
def test_junit_is_valid_xml_with_one_suite_per_file(case):
    record = expected_record(case)
    result = check(case, "--format", "junit")
    root = ET.fromstring(result.stdout)
    suites = {suite.get("name"): suite for suite in root.iter("testsuite")}
    assert sorted(suites) == sorted(str(p) for p in (BROKEN / case).glob("*.yaml"))
    case_element = suites[record["file"]].find(f"testcase[@name='{record['rule_id'] or '(file)'}']")
    assert case_element is not None
    failure = case_element.find("failure")
    if record["severity"] == "error":
        assert failure.get("type") == record["validator"]
        assert record["message"] in failure.text
        assert suites[record["file"]].get("failures") == "1"
    else:
        assert failure is None and record["message"] in case_element.find("system-out").text
    assert result.exit_code == (2 if record["severity"] == "error" else 0)


def test_a_regex_flagged_as_backtracking_is_never_run():
    # its no_match example "halo!" matches the regex: run, it would be a false positive (and a long text would hang)
    report = json.loads(check("backtracking-regex", "--format", "json").stdout)
    assert report["matrix"] == []
    assert [r["validator"] for r in report["records"]] == ["backtracking_regex"]
    tested = invoke("rules", "test", str(BROKEN / "backtracking-regex"))  # untested is not passed
    assert (tested.exit_code, tested.stdout.splitlines()) == (2, [check("backtracking-regex").stdout.splitlines()[0]])


def test_the_summary_counts_every_file_read_even_an_invalid_one():
    assert check("empty-file").stderr == "0 rule(s) in 1 file(s): 1 error(s), 0 warning(s)\n"


def test_a_folder_without_rule_files_fails(tmp_path):
    (tmp_path / "README.md").write_text("no rules here\n", encoding="utf-8")
    result = invoke("rules", "check", str(tmp_path))
    assert result.exit_code == 2
    assert result.stdout == f"{tmp_path}: error [yaml] no rule files (*.yaml, *.yml) in this folder\n"


def test_warnings_fail_with_strict():
    assert check("missing-sanction", "--strict").exit_code == 2


def test_clean_folder_exits_0_with_the_matrix():
    result = invoke("rules", "check", str(FIXTURES / "clean"))
    assert result.exit_code == 0
    assert result.stdout == "rule         TP  FN  TN  FP\na2b2.contoh   5   0   5   0\n"
    assert result.stderr == "1 rule(s) in 1 file(s): 0 error(s), 0 warning(s); examples: 10 passed, 0 failed\n"
    junit = ET.fromstring(invoke("rules", "check", str(FIXTURES / "clean"), "--format", "junit").stdout)
    assert [(c.get("name"), list(c)) for c in junit.iter("testcase")] == [("a2b2.contoh", [])]


def test_json_matrix_counts_a_failing_example_as_a_false_positive():
    report = json.loads(check("failing-example", "--format", "json").stdout)
    assert report["matrix"] == [{"rule_id": "a2b2.contoh", "file": str(BROKEN / "failing-example" / "rule.yaml"),
                                 "tp": 5, "fn": 0, "tn": 4, "fp": 1}]
    assert report["summary"] == {"files": 1, "rules": 1, "errors": 1, "warnings": 0, "failed": True,
                                 "tp": 5, "fn": 0, "tn": 4, "fp": 1}


def test_bundled_rules_pass_the_check():
    result = invoke("rules", "check", "--format", "json")
    assert result.exit_code == 0, result.stdout
    assert [r for r in json.loads(result.stdout)["records"] if r["severity"] == "error"] == []


def test_validate_and_test_are_the_two_halves_of_check():
    validate = json.loads(invoke("rules", "validate", str(BROKEN / "failing-example"), "--format", "json").stdout)
    test = json.loads(invoke("rules", "test", str(BROKEN / "example-count"), "--format", "json").stdout)
    assert validate["records"] == [] and validate["matrix"] == []
    assert test["records"] == [] and test["matrix"][0]["tn"] == 1


def test_list_checks_names_every_validator():
    lines = invoke("rules", "list-checks").stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == [
        "duplicate_id", "duplicate_title", "duplicate_pattern", "backtracking_regex", "rewritten_keyword",
        "ineffective_condition", "missing_legal_basis", "missing_sanction", "example_count"]


def test_context_files_are_validated_with_the_context_schema_and_calendar(tmp_path):
    import shutil

    folder = tmp_path / "rules"
    shutil.copytree(FIXTURES / "clean", folder)
    (folder / "contexts").mkdir()
    good = (ROOT / "rules" / "contexts" / "pemilu-2024.yaml").read_text(encoding="utf-8")
    (folder / "contexts" / "pemilu.yaml").write_text(good.replace("type: pemilu", "type: pilpres"), encoding="utf-8")
    (folder / "contexts" / "tanggal.yaml").write_text(good.replace("  voting: 2024-02-14", "  voting: 2024-02-10"),
                                                      encoding="utf-8")
    result = invoke("rules", "check", str(folder), "--format", "json")
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert report["records"] == [
        {"file": str(folder / "contexts" / "pemilu.yaml"), "line": 5, "column": 1, "rule_id": "",
         "validator": "context", "severity": "error", "message": "type: 'pilpres' is not one of ['pemilu', 'pilkada']"},
        {"file": str(folder / "contexts" / "tanggal.yaml"), "line": 17, "column": None, "rule_id": "",
         "validator": "context", "severity": "error",
         "message": "calendar.voting (2024-02-10) is before calendar.quiet.end (2024-02-13)"}]
    assert report["rules"] == [{"rule_id": "a2b2.contoh", "file": str(folder / "rule.yaml"), "line": 1,
                                "status": "stable"}]
    # one context file given on its own is checked as a context, not as a rule
    alone = invoke("rules", "validate", str(folder / "contexts" / "pemilu.yaml"))
    assert (alone.exit_code, alone.stdout) == (2, f"{folder / 'contexts' / 'pemilu.yaml'}:5:1: error [context] "
                                                  "type: 'pilpres' is not one of ['pemilu', 'pilkada']\n")
    assert invoke("rules", "check", str(ROOT / "rules" / "contexts" / "pemilu-2024.yaml")).exit_code == 0
