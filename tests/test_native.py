"""The optional C helpers: built where a compiler is, never used when stale (the numbers they give are compared
with the numpy code's in test_chargrams.py and test_classifier.py)."""

from __future__ import annotations

import os
import shutil

import pytest

from netral_cli import native


def test_the_helpers_are_compiled_where_a_compiler_is():
    if os.environ.get("NETRAL_PURE_PYTHON") or not (shutil.which("cc") or shutil.which("gcc")):
        pytest.skip("no C compiler here, or the pure-Python code asked for")
    assert native.LIBRARY is not None, "netral_cli/_native.so is missing or stale: reinstall (pip install -e .)"


def test_a_library_built_from_other_source_is_not_used(tmp_path):
    if native.LIBRARY is None:
        pytest.skip("the C helpers are not compiled")
    library, source = tmp_path / "_native.so", tmp_path / "_native.c"
    shutil.copy(native.LIBRARY_PATH, library)
    shutil.copy(native.SOURCE_PATH, source)
    assert native._load(library, source) is not None
    source.write_text(native.SOURCE_PATH.read_text(encoding="utf-8") + "/* changed */\n", encoding="utf-8")
    assert native._load(library, source) is None
    source.unlink()
    assert native._load(library, source) is None


def test_the_pure_python_switch(monkeypatch):
    monkeypatch.setenv("NETRAL_PURE_PYTHON", "1")
    assert native._load(native.LIBRARY_PATH, native.SOURCE_PATH) is None


def test_a_library_that_does_not_load_is_not_used(tmp_path):
    (tmp_path / "_native.so").write_bytes(b"not a library")
    (tmp_path / "_native.c").write_text("", encoding="utf-8")
    assert native._load(tmp_path / "_native.so", tmp_path / "_native.c") is None
