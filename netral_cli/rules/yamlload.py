"""Safe YAML loading that remembers line numbers and refuses duplicate keys."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from netral_cli.errors import Location, RuleError


class LocatedDict(dict):
    """A mapping from YAML that knows its own line and the line of each key."""

    line: int = 0
    column: int = 0
    key_lines: dict[str, int]
    key_columns: dict[str, int]


class LocatedList(list):
    """A sequence from YAML that knows the line (and column) of each element."""

    line: int = 0
    column: int = 0
    item_lines: list[int]
    item_columns: list[int]


class _Loader(yaml.SafeLoader):
    """SafeLoader + locations + duplicate-key refusal (as pySigma's SigmaYAMLLoader does)."""

    depth = 0  # of the node being composed

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LocatedDict:  # type: ignore[override]
        result = LocatedDict()
        result.line = node.start_mark.line + 1
        result.column = node.start_mark.column + 1
        result.key_lines = {}
        result.key_columns = {}
        self.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise RuleError(f"keys must be text, found {_described(key)} (quote it if it is meant as text)",
                                _mark_location(self.name, key_node))
            if key in result:
                raise RuleError(f"duplicate key {key!r}",
                                Location(self.name, line=key_node.start_mark.line + 1,
                                         column=key_node.start_mark.column + 1))
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[str(key)] = key_node.start_mark.line + 1
            result.key_columns[str(key)] = key_node.start_mark.column + 1
        return result

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node:
        # PyYAML composes recursively: refuse deep nesting before Python's recursion limit does
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise RuleError(f"YAML nested more than {MAX_DEPTH} levels deep",
                                _mark_location(self.name, self.peek_event()))
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        # a value PyYAML cannot build (``!!int abc``, a 5,000-digit number, ``!!timestamp 2024-13-45``)
        # raises a bare ValueError or KeyError: place it at its node instead
        try:
            return super().construct_object(node, deep=deep)
        except (RuleError, yaml.YAMLError):
            raise
        except (ValueError, TypeError, KeyError, OverflowError) as exc:
            shown = f" {node.value!r:.40}" if isinstance(node, yaml.ScalarNode) else ""
            raise RuleError(f"invalid YAML value{shown} ({node.tag}): {exc}", _mark_location(self.name, node)) from exc

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LocatedList:  # type: ignore[override]
        result = LocatedList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.column = node.start_mark.column + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        result.item_columns = [child.start_mark.column + 1 for child in node.value]
        return result


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)
# Dates and times stay strings: callers parse them and report a bad one (2024-09-31) at its line,
# where PyYAML's own constructor would raise a bare ValueError.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


MAX_NODES = 100_000  # per document, aliases expanded: bounds a phrase list too (the bundled rules: < 500)
MAX_FILE_BYTES = 2 * 2**20  # the bundled rule and context files are under 10 KB
MAX_DEPTH = 64  # levels of mappings and lists; the bundled rules use about 12


def load_file(path: Path, what: str) -> list[Any]:
    """Every YAML document of a ``what`` (rule, context) file; unreadable, non-UTF-8 or invalid YAML
    raises RuleError, at its line where there is one."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError as exc:
        raise RuleError(f"no such {what} file", Location(str(path))) from exc
    except OSError as exc:
        raise RuleError(f"cannot read {what} file: {exc}", Location(str(path))) from exc
    if len(data) > MAX_FILE_BYTES:
        raise RuleError(f"{what} file larger than {MAX_FILE_BYTES // 2**20} MiB; split it into several files",
                        Location(str(path)))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[:exc.start]
        line, column = before.count(b"\n") + 1, exc.start - before.rfind(b"\n")
        raise RuleError(f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded; save the file as UTF-8",
                        Location(str(path), line=line, column=column)) from exc
    return load_documents(text, str(path))


def load_documents(text: str, path: str) -> list[Any]:
    """Every YAML document in ``text``; a syntax error becomes a RuleError with its line."""
    loader = _Loader(text)
    loader.name = path
    try:
        documents = []
        while loader.check_node():
            node = loader.get_node()
            _refuse_alias_bomb(node, path)
            documents.append(loader.construct_document(node))
        return [d for d in documents if d is not None]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = mark.column + 1 if mark else None
        raise RuleError(f"invalid YAML: {exc.problem or exc}{_started_at(exc, line)}",
                        Location(path, line=line, column=column)) from exc
    except yaml.YAMLError as exc:
        raise RuleError(f"invalid YAML: {exc}", Location(path)) from exc
    finally:
        loader.dispose()


def _started_at(exc: yaml.MarkedYAMLError, line: int | None) -> str:
    """Where the construct that broke began, when it is not the line reported (an unclosed ``[``)."""
    mark = exc.context_mark
    if exc.context and mark is not None and mark.line + 1 != line:
        return f" ({exc.context} that starts at line {mark.line + 1})"
    return ""


def _refuse_alias_bomb(root: yaml.Node, path: str) -> None:
    """Aliases share objects, but every walk over the result visits each use: refuse documents whose
    aliases expand to more than MAX_NODES nodes (a "billion laughs") or refer to themselves."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        key = id(node)
        if key in sizes:
            if sizes[key] < 0:
                raise RuleError("a YAML alias refers to itself", _mark_location(path, node))
            return sizes[key]
        sizes[key] = -1
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = node.value
        elif isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        total = 1 + sum(size(child) for child in children)
        sizes[key] = total
        return total

    if size(root) > MAX_NODES:
        raise RuleError(f"YAML aliases expand to more than {MAX_NODES:,} nodes", _mark_location(path, root))


def _described(value: Any) -> str:
    """``a list``, ``null``, ``the number 1``, ``the boolean true`` (what a YAML scalar was read as)."""
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    if value is None or isinstance(value, bool):
        return "null" if value is None else f"the boolean {str(value).lower()}"
    return f"{type(value).__name__} {value!r:.40}"


def _mark_location(path: str, node: yaml.Node | yaml.Event) -> Location:
    return Location(path, line=node.start_mark.line + 1, column=node.start_mark.column + 1)
