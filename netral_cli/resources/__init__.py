"""Files that ship with netral: the lexicon here, and the bundled rules, model and data."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def bundled_path(name: str) -> Path:
    """``rules``, ``models`` or ``data``: inside an installed wheel, else at the repository root."""
    installed = _PACKAGE / "_bundled" / name
    return installed if installed.exists() else _PACKAGE.parent / name
