"""JUnit XML: one testsuite per file, one testcase per rule; a rule's issues are its failure."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any, TextIO

from netral_cli.rules.formats.text import issue_line

FILE_CASE = "(file)"  # issues of a file that belong to no rule (invalid YAML, a context file)


def write(report: dict[str, Any], out: TextIO) -> None:
    cases: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for rule in report["rules"]:
        cases.setdefault(rule["file"], {}).setdefault(rule["rule_id"], [])
    for record in report["records"]:
        cases.setdefault(record["file"], {}).setdefault(record["rule_id"] or FILE_CASE, []).append(record)
    root = ET.Element("testsuites", name="netral rules check")
    for file in sorted(cases):
        suite = ET.SubElement(root, "testsuite", name=file, tests=str(len(cases[file])))
        failures = 0
        for rule_id, records in cases[file].items():
            case = ET.SubElement(suite, "testcase", classname=file, name=rule_id)
            errors = [r for r in records if r["severity"] == "error"]
            if errors:
                failures += 1
                failure = ET.SubElement(case, "failure", type=errors[0]["validator"],
                                        message=f"{len(errors)} problem(s)")
                failure.text = "\n".join(issue_line(r) for r in records)
            elif records:
                ET.SubElement(case, "system-out").text = "\n".join(issue_line(r) for r in records)
        suite.set("failures", str(failures))
    ET.indent(root)
    out.write('<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n")
