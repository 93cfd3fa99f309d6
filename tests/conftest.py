"""Fixtures for every test. No test uses the network."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETRAL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))


# CI runs the property tests with a fixed seed (reproducible failures); locally they explore freely.
settings.register_profile("ci", derandomize=True, deadline=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


@pytest.fixture(params=["compiled", "numpy"])
def compiled_or_numpy(request, monkeypatch):
    """Runs a test with netral's compiled helpers (skipped when they are not built) and with the numpy code."""
    from netral_cli import native

    if request.param == "numpy":
        monkeypatch.setattr(native, "LIBRARY", None)
    elif native.LIBRARY is None:
        pytest.skip("the C helpers are not compiled (netral_cli/_native.so)")
