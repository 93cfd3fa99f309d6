"""Fixtures for every test. No test uses the network."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETRAL_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
