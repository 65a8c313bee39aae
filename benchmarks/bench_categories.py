"""Parse speed with the trained category model against the lexicon categorizer, in the same run.

usage: uv run python benchmarks/bench_categories.py [--rounds 3] [--texts DIR ...]

Texts: ../shared/eval/dev and dev2 (else the bundled corpus/sample). Each round parses every text
once with the whole pipeline, in a fresh process per mode (lexicon: the default taxonomy named
explicitly; model: the default), alternating the modes; the model file's first load (wall clock) is timed apart.
Prints CPU seconds per mode, their medians and the ratio model / lexicon.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SHARED, run_child  # noqa: E402

CHILD = r'''
import json, sys, time
mode, paths = sys.argv[1], json.loads(sys.argv[2])
from parser.pipeline import Options, Parser
from parser.ingest.read import make_document
from parser.extract.category_lexicon import DEFAULT_TAXONOMY
texts = [open(p, encoding="utf-8-sig").read() for p in paths]
t0 = time.perf_counter()
from parser.extract.category_model import load_model
if mode == "model":
    load_model()            # its first load, as a parse's first plan would pay it (NumPy included)
load = time.perf_counter() - t0
p = Parser(Options(taxonomy=str(DEFAULT_TAXONOMY) if mode == "lexicon" else None))
p.parse(make_document("2024年工作计划\n一、加强学习\n", "warm-nlp", doc_id="w"))   # spaCy, jieba, lexicons
t0, w0 = time.process_time(), time.perf_counter()
n = sum(len(pl.sections) for i, t in enumerate(texts) for pl in p.parse(make_document(t, f"b{i}")).plans)
print(json.dumps({"mode": mode, "seconds": time.process_time() - t0, "wall": time.perf_counter() - w0,
                  "load": load, "sections": n, "chars": sum(map(len, texts))}))
'''


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--texts", nargs="+", type=Path,
                    default=[d for d in (SHARED / "eval" / "dev", SHARED / "eval" / "dev2") if d.is_dir()]
                    or [ROOT / "corpus" / "sample"])
    a = ap.parse_args(argv)
    import json

    paths = json.dumps([str(p) for d in a.texts for p in sorted(d.glob("*.txt"))])
    runs: dict[str, list[dict]] = {"lexicon": [], "model": []}
    for r in range(a.rounds):
        for mode in (("lexicon", "model") if r % 2 == 0 else ("model", "lexicon")):
            res = run_child(CHILD, mode, paths)
            runs[mode].append(res)
            print(f"round {r + 1} {mode:<8} {res['seconds']:.2f} s CPU ({res['wall']:.2f} s wall), "
                  f"model load {res['load'] * 1000:.0f} ms, {res['sections']} sections, {res['chars']} chars")
    med = {m: statistics.median(x["seconds"] for x in v) for m, v in runs.items()}
    load = statistics.median(x["load"] for x in runs["model"])
    print(f"median CPU s: lexicon {med['lexicon']:.2f}, model {med['model']:.2f}; "
          f"ratio model/lexicon {med['model'] / med['lexicon']:.3f}; model file load {load * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
