"""Model files: found in the package or in $PLANPARSER_MODEL_DIR, absent ones give None (rules decide)."""
from __future__ import annotations

import json

from parser import models


def test_an_absent_model_is_none(monkeypatch, tmp_path):
    monkeypatch.setenv(models.ENV, str(tmp_path))
    assert models.model_path("lines.crfsuite") is None
    assert models.crf_tagger("lines.crfsuite") is None
    assert models.json_model("roles.json") is None


def test_the_environment_folder_wins(monkeypatch, tmp_path):
    (tmp_path / "roles.json").write_text(json.dumps({"format": 1, "w": [1, 2]}), encoding="utf-8")
    monkeypatch.setenv(models.ENV, str(tmp_path))
    assert models.json_model("roles.json") == {"format": 1, "w": [1, 2]}
    monkeypatch.delenv(models.ENV)
    assert models.model_dir() == models.BUNDLED


def test_a_trained_crf_is_loaded_and_tags(monkeypatch, tmp_path):
    import pycrfsuite

    tr = pycrfsuite.Trainer(verbose=False)
    for _ in range(3):
        tr.append([{"w=a": 1.0}, {"w=b": 1.0}], ["X", "Y"])
    tr.train(str(tmp_path / "t.crfsuite"))
    monkeypatch.setenv(models.ENV, str(tmp_path))
    assert models.crf_tagger("t.crfsuite").tag([{"w=b": 1.0}, {"w=a": 1.0}]) == ["Y", "X"]
