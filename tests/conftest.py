"""Shared fixtures: a store built once from the shipped corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from allygraph.settings import Settings

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "data" / "corpus"
SHARED = REPO.parent / "shared"


@pytest.fixture(scope="session")
def built_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings of a store built once from data/corpus/ for the whole test session."""
    from allygraph.pipeline import build

    store = tmp_path_factory.mktemp("store")
    settings = Settings(store=str(store), corpus=CORPUS)
    build(settings)
    return settings
