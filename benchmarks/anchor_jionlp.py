"""Anchor for the dates stage: JioNLP's ``extract_time`` written as contract JSON (CONTRACT.md).

Usage: uv run python benchmarks/anchor_jionlp.py ../shared/eval/dev/*.txt --out DIR [--raw]
       python3 ../shared/eval/score.py --gold ../shared/eval/dev --pred DIR

Each document is one plan covering the whole text; its dates are JioNLP's time entities with
``time_base`` fixed (never today's date), organisations are empty. A date's month is the month
JioNLP's parsed detail starts in, when the detail parses to an interval shorter than a year
(so "2023年" has no month, "6月中旬" has 6). By default JioNLP reads the normalised text (same
length, so spans carry over); ``--raw`` gives it the text as read. The time it takes is printed.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parser.ingest.normalize import normalize  # noqa: E402
from parser.tables.atomic import atomic_text  # noqa: E402

TIME_BASE = {"year": 2024, "month": 1, "day": 1}


def month_of(detail: Optional[dict]) -> Optional[int]:
    """The month a parsed time starts in, when it is shorter than a year; else None."""
    if not isinstance(detail, dict) or not isinstance(detail.get("time"), list) or len(detail["time"]) != 2:
        return None
    try:
        start, end = (datetime.strptime(x, "%Y-%m-%d %H:%M:%S") for x in detail["time"])
    except (TypeError, ValueError):
        return None
    return start.month if (end - start).days < 360 else None


def document(path: Path, extract_time, raw: bool) -> dict:
    text = path.read_text(encoding="utf-8")
    dates = []
    for ent in extract_time(text if raw else normalize(text), time_base=TIME_BASE, with_parsing=True):
        s, e = ent["offset"]
        dates.append({"text": text[s:e], "span": [s, e], "month": month_of(ent.get("detail"))})
    first = text.split("\n", 1)[0]
    return {"source": str(path), "plans": [{"title": first.strip(), "span": [0, len(text)], "year": None,
                                            "region": None, "admin_level": None, "body": None,
                                            "sections": [], "dates": dates, "organizations": []}]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+", help=".txt files")
    ap.add_argument("--out", required=True)
    ap.add_argument("--raw", action="store_true", help="give JioNLP the text as read, not normalised")
    a = ap.parse_args(argv)
    t0 = time.perf_counter()
    import jionlp  # slow to import: timed apart from the extraction

    logging.disable(logging.ERROR)  # JioNLP logs a traceback for every string its parser gives up on

    t1 = time.perf_counter()
    size = 0
    for name in a.inputs:
        path = Path(name)
        size += path.stat().st_size
        with atomic_text(Path(a.out) / f"{path.stem}.json") as fh:
            json.dump(document(path, jionlp.ner.extract_time, a.raw), fh, ensure_ascii=False, indent=1)
    t2 = time.perf_counter()
    print(f"jionlp: import {t1 - t0:.1f}s, extract_time {t2 - t1:.1f}s for {size / 1e6:.3f} MB "
          f"({size / 1e6 / max(t2 - t1, 1e-9):.3f} MB/s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
