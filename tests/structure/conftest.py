"""The rule tests of this folder pin the rules (the line model's features and its fallback): they run
without the line model, whose own tests are in test_outline.py."""
from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def rules_only(request, tmp_path, monkeypatch):
    """No model files for a rule test (``PLANPARSER_MODEL_DIR`` pointed at an empty folder)."""
    if request.module.__name__.endswith("test_outline"):
        return
    monkeypatch.setenv("PLANPARSER_MODEL_DIR", str(tmp_path))
