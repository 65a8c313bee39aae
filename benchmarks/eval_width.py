"""Robustness to character width: the same gold texts with their punctuation and digits written
full-width (or half-width), scored with ../shared/eval/score.py beside the texts as they are.

Usage: uv run python benchmarks/eval_width.py [--gold ../shared/eval/dev2] [--to full|half]

Each text is rewritten character for character (same length, so the gold's lines and columns still
hold) into a temporary folder, parsed with ``planparser parse`` and scored; the table shows every
field for both versions and the difference. Heading markers and titles are compared as written, so
one written full-width no longer equals the gold's: ``heading_marker`` and ``heading_title`` are
expected to move, nothing else.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import ROOT, SHARED

FULL = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F) if not chr(c).isalpha()}
HALF = {v: k for k, v in FULL.items()} | {"\u3000": " "}
AS_WRITTEN = ("heading_marker", "heading_title")


def rewrite(text: str, to: str) -> str:
    """``text`` with ASCII punctuation and digits made full-width (or full-width ones half-width)."""
    table = str.maketrans(FULL if to == "full" else HALF)
    out = text.translate(table)
    assert len(out) == len(text)
    return out


def score(gold: Path, texts: list[Path], work: Path) -> dict:
    """Parse ``texts`` and score them against ``gold``: the figures score.py writes as JSON."""
    out = work / "pred"
    subprocess.run([sys.executable, "-m", "parser.cli", "parse", *map(str, texts), "--out", str(out),
                    "--format", "json", "--quiet"], check=True, cwd=ROOT)
    report = work / "score.json"
    subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(gold), "--pred", str(out),
                    "--json", str(report)], check=True, capture_output=True)
    return json.loads(report.read_text(encoding="utf-8"))


def _flat(figures: dict) -> dict[str, float]:
    """field → F1 (precision/recall rows) or accuracy, from score.py's JSON."""
    return {field: v.get("f1", v.get("accuracy")) for field, v in figures.items()
            if isinstance(v, dict) and v.get("f1", v.get("accuracy")) is not None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gold", default=str(SHARED / "eval" / "dev2"))
    ap.add_argument("--to", choices=("full", "half"), default="full")
    args = ap.parse_args()
    gold = Path(args.gold)
    texts = sorted(gold.glob("*.txt"))
    if not texts:
        raise SystemExit(f"no texts in {gold}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "as_is").mkdir()
        base = _flat(score(gold, texts, tmp / "as_is"))
        wide = tmp / "texts"
        wide.mkdir()
        for t in texts:
            (wide / t.name).write_text(rewrite(t.read_text(encoding="utf-8"), args.to), encoding="utf-8")
        (tmp / "rewritten").mkdir()
        other = _flat(score(gold, sorted(wide.glob("*.txt")), tmp / "rewritten"))
    print(f"{len(texts)} texts of {gold}, punctuation and digits rewritten {args.to}-width")
    print(f"{'field':<22}{'as is':>8}{args.to:>8}{'diff':>8}")
    worst = 0.0
    for field in base:
        a, b = base[field], other.get(field, float("nan"))
        d = b - a
        if field not in AS_WRITTEN:
            worst = max(worst, abs(d))
        print(f"{field:<22}{a:>8.3f}{b:>8.3f}{d:>+8.3f}")
    print(f"largest difference (markers and titles, compared as written, aside): {worst:.3f}")


if __name__ == "__main__":
    main()
