"""Score the date grammar alone: dates found only inside the gold plans' spans, with the gold plan years.

Usage: uv run python benchmarks/dates_in_gold_plans.py [GOLD_DIR] [--show]

It writes contract JSON (one plan per gold plan, from its line to the next plan's line) into a
temporary folder and runs score.py on it, so page furniture outside the plans and the plan
splitter's mistakes do not count against the dates stage. --show lists misses and extra finds.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parser.extract.dates import find_dates  # noqa: E402
from parser.ingest.normalize import normalize  # noqa: E402


def line_starts(text: str) -> list[int]:
    out, pos = [], 0
    for line in text.split("\n"):
        out.append(pos)
        pos += len(line) + 1
    return out


def predict(gold: dict) -> dict:
    """Contract JSON for one gold document: its gold plans, dates from our grammar."""
    text = gold["text"]
    norm = normalize(text)
    starts = line_starts(text)
    plans = []
    gp = gold["plans"]
    for i, p in enumerate(gp):
        s = starts[p["line"]]
        e = starts[gp[i + 1]["line"]] if i + 1 < len(gp) else len(text)
        dates = [{"text": text[m.span[0]:m.span[1]], "span": list(m.span), "month": m.month}
                 for m in find_dates(norm, s, e, plan_year=p.get("year"))]
        plans.append({"title": p["title"], "span": [s, e], "year": p.get("year"), "sections": [],
                      "dates": dates, "organizations": []})
    return {"source": gold.get("source"), "plans": plans}


def show(gold: dict, pred: dict, name: str) -> None:
    """Print gold dates we miss and dates we find that gold lacks (by overlap on the same line)."""
    text = gold["text"]
    lines = text.split("\n")
    starts = line_starts(text)
    gspans = []
    for g in gold["dates"]:
        col = g.get("col", lines[g["line"]].find(g["text"]))
        s = starts[g["line"]] + col
        gspans.append((s, s + len(g["text"]), g))
    pspans = [(d["span"][0], d["span"][1], d) for p in pred["plans"] for d in p["dates"]]
    for s, e, g in gspans:
        hit = [d for ps, pe, d in pspans if ps < e and s < pe]
        if not hit:
            print(f"{name} MISS {g['text']!r}  …{text[max(0, s - 10):e + 6]!r}")
        elif hit[0]["text"] != g["text"] or hit[0]["month"] != g["month"]:
            print(f"{name} DIFF gold {g['text']!r}/{g['month']} pred {hit[0]['text']!r}/{hit[0]['month']}")
    for ps, pe, d in pspans:
        if not any(ps < e and s < pe for s, e, _ in gspans):
            print(f"{name} EXTRA {d['text']!r}  …{text[max(0, ps - 10):pe + 6]!r}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("gold", nargs="?", default=str(ROOT.parent / "shared" / "eval" / "dev"))
    ap.add_argument("--show", action="store_true")
    a = ap.parse_args(argv)
    gold_dir = Path(a.gold)
    with tempfile.TemporaryDirectory() as out:
        for gp in sorted(gold_dir.glob("*.json")):
            gold = json.loads(gp.read_text(encoding="utf-8"))
            pred = predict(gold)
            Path(out, gp.name).write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")
            if a.show:
                show(gold, pred, gp.stem)
        res = subprocess.run([sys.executable, str(gold_dir.parent / "score.py"), "--gold", str(gold_dir),
                              "--pred", out], capture_output=True, text=True)
        print("\n".join(ln for ln in res.stdout.splitlines() if ln.startswith(("dates", "date_", "field"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
