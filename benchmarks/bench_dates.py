"""Speed of the date grammar alone: MB/s of UTF-8 text through ``find_dates`` (best of --repeat runs),
with a plain one-pattern regex scan of the same texts as the machine's baseline.

usage: uv run python benchmarks/bench_dates.py [TEXTS ...] [--repeat 5]
(default texts: ../shared/eval/dev/*.txt, else the bundled corpus/sample)
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parser.extract.dates import find_dates, grammar  # noqa: E402
from parser.ingest.normalize import normalize  # noqa: E402


def best_of(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("texts", nargs="*")
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args(argv)
    paths = [Path(p) for p in a.texts] or sorted((ROOT.parent / "shared" / "eval" / "dev").glob("*.txt")) \
        or sorted((ROOT / "corpus" / "sample").glob("*.txt"))
    texts = [normalize(p.read_text(encoding="utf-8")) for p in paths]
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    grammar()                                           # built once, outside the timing
    baseline = re.compile(r"\d{4}年|\d{1,2}月")
    t_base = best_of(lambda: [baseline.findall(t) for t in texts], a.repeat)
    t_dates = best_of(lambda: [find_dates(t) for t in texts], a.repeat)
    n = sum(len(find_dates(t)) for t in texts)
    print(f"texts: {len(texts)} files, {mb:.3f} MB UTF-8, {n} mentions")
    print(f"find_dates  {mb / t_dates:8.2f} MB/s")
    print(f"baseline    {mb / t_base:8.2f} MB/s  (one plain regex; find_dates takes {t_dates / t_base:.0f}x its time)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
