"""GitHub Actions workflow commands: one ``::error``/``::warning`` annotation per issue."""

from __future__ import annotations

from typing import Any, TextIO


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(record: dict[str, Any]) -> str:
    properties = [f"file={_property(record['file'])}"]
    if record["line"] is not None:
        properties.append(f"line={record['line']}")
    if record["column"] is not None:
        properties.append(f"col={record['column']}")
    properties.append(f"title=netral [{_property(record['validator'])}]")
    who = f"{record['rule_id']}: " if record["rule_id"] else ""
    return f"::{record['severity']} {','.join(properties)}::{_data(who + record['message'])}"


def write(report: dict[str, Any], out: TextIO) -> None:
    for record in report["records"]:
        out.write(annotation(record) + "\n")
