"""Shared fixtures: paths to the bundled samples and to ../shared (skipped when absent)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PLANPARSER_SHARED", ROOT.parent / "shared"))
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session", autouse=True)
def cache_folder(tmp_path_factory) -> Path:
    """The precompiled tables (parser.extract.cache) go to a folder of this test run, not the user's."""
    folder = tmp_path_factory.mktemp("planparser-cache")
    os.environ["PLANPARSER_CACHE_DIR"] = str(folder)
    return folder


@pytest.fixture
def shared() -> Path:
    """../shared (real texts and gold); tests using it skip on a clone without it."""
    if not (SHARED / "eval" / "score.py").exists():
        pytest.skip("../shared is not beside this checkout")
    return SHARED


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES
