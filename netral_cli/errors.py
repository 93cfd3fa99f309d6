"""Errors the library raises. The CLI turns each into one line on stderr and an exit code."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where something is: a file plus a locator (``row=3``, ``line=7``, ``$.items[2]``) or a line/column."""

    path: str
    locator: str = ""
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is not None:
            place = f"{self.path}:{self.line}"
            return f"{place}:{self.column}" if self.column is not None else place
        return f"{self.path} ({self.locator})" if self.locator else self.path


class NetralError(Exception):
    """Base class: a message and, where known, a location."""

    exit_code = 1

    def __init__(self, message: str, location: Location | None = None, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __reduce__(self) -> tuple[type, tuple[str, Location | None, str]]:
        """Pickled whole: an error raised in a scoring process keeps its location and hint."""
        return type(self), (self.message, self.location, self.hint)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        return f"{text} ({self.hint})" if self.hint else text

    def __eq__(self, other: object) -> bool:
        return type(self) is type(other) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash((type(self), str(self)))


class InputError(NetralError):
    """An input file cannot be read at all (a single bad record is a Rejected, not an error)."""

    exit_code = 1


class RuleError(NetralError):
    """A rule or context file is invalid."""

    exit_code = 2


class ModelError(NetralError):
    """A model file is missing, untrusted or unusable."""

    exit_code = 2


class OutputError(NetralError):
    """A report or other output cannot be written (a folder, no space left, no permission, an input's path)."""

    exit_code = 1


class ScanAbortedError(NetralError):
    """The scan could not finish for a reason outside the data: a scoring process died, memory ran out."""

    exit_code = 1
