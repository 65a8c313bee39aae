"""Evaluation gate: score.py on ../shared/eval/dev and dev2 must stay at or above the pinned floors.

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


GOLD_SETS = ("dev", "dev2", "test")     # test: the frozen split of every gold folder (parser.learn.split)


def _gold_files(shared: Path, name: str) -> list[Path]:
    if name != "test":
        return sorted((shared / "eval" / name).glob("*.json"))
    from parser.learn.split import split

    return split([shared / "eval" / s for s in ("dev", "dev2", "train")])[1]


@pytest.fixture(scope="module")
def scores(tmp_path_factory) -> dict:
    """score.py's figures for each gold set (parsed once per test module)."""
    from conftest import SHARED

    if not (SHARED / "eval" / "score.py").exists():
        pytest.skip("../shared is not beside this checkout")
    out = {}
    for name in GOLD_SETS:
        files = _gold_files(SHARED, name)
        gold = tmp_path_factory.mktemp(f"gold-{name}")
        for f in files:
            (gold / f.name).symlink_to(f.resolve())
        pred = tmp_path_factory.mktemp(f"pred-{name}")
        inputs = [str(f.with_suffix(".txt")) for f in files]
        assert main(["parse", *inputs, "--format", "json", "--out", str(pred), "--quiet"]) == 0
        res = pred / "scores.json"
        subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(gold), "--pred", str(pred),
                        "--json", str(res)], check=True, capture_output=True)
        out[name] = json.loads(res.read_text(encoding="utf-8"))
    return out


def _floors() -> list[tuple[str, str, str, float, int]]:
    data = tomllib.loads(FLOORS.read_text(encoding="utf-8"))
    return [(gold, name, v["measure"], v["floor"], v["issue"]) for gold, fields in data.items()
            for name, v in fields.items()]


@pytest.mark.parametrize("gold,name,measure,floor,issue", _floors(), ids=[f"{f[0]}-{f[1]}" for f in _floors()])
def test_figure_at_or_above_floor(scores, gold, name, measure, floor, issue):
    value = scores[gold][name][measure]
    assert value is not None and value >= floor, f"{gold} {name} {measure} {value} fell below {floor} (issue {issue})"


def test_no_prediction_problems(scores):
    assert all(scores[name]["problems"] == [] for name in GOLD_SETS)
