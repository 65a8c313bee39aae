"""Evaluation gate: score.py on ../shared/eval/dev must stay at or above the pinned floors.

The floors live in tests/eval_floors.toml: an issue's target once reached, otherwise the figure
last measured (a ratchet), so no change can quietly make the parser worse.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from parser.cli import main

FLOORS = Path(__file__).with_name("eval_floors.toml")


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> dict:
    from conftest import SHARED

    if not (SHARED / "eval" / "score.py").exists():
        pytest.skip("../shared is not beside this checkout")
    out = tmp_path_factory.mktemp("pred")
    inputs = sorted(str(p) for p in (SHARED / "eval" / "dev").glob("*.txt"))
    assert main(["parse", *inputs, "--format", "json", "--out", str(out), "--quiet"]) == 0
    res = out / "scores.json"
    subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(SHARED / "eval" / "dev"),
                    "--pred", str(out), "--json", str(res)], check=True, capture_output=True)
    return json.loads(res.read_text(encoding="utf-8"))


def _floors() -> list[tuple[str, str, float, int]]:
    data = tomllib.loads(FLOORS.read_text(encoding="utf-8"))
    return [(name, v["measure"], v["floor"], v["issue"]) for name, v in data.items()]


@pytest.mark.parametrize("name,measure,floor,issue", _floors(), ids=[f[0] for f in _floors()])
def test_figure_at_or_above_floor(scores, name, measure, floor, issue):
    value = scores[name][measure]
    assert value is not None and value >= floor, f"{name} {measure} {value} fell below {floor} (issue {issue})"


def test_no_prediction_problems(scores):
    assert scores["problems"] == []
