"""Parse speed and peak memory: structure only, the whole pipeline, and JioNLP's ``extract_time`` on the
same texts in the same run, reported as characters per second and as ratios. (The pipeline does not
depend on the spaCy segmenter: its finders run without spaCy, so there is one pipeline mode.)

usage: uv run python benchmarks/bench_parse.py [--mb 5] [--jionlp-mb 1] [--texts DIR]

Texts: ../shared/eval/dev/*.txt (else the bundled corpus/sample) repeated to --mb megabytes of
UTF-8. Each measurement runs in its own process, so peak memory (max RSS) is its own. The baseline
is a plain line-by-line regex scan of the same texts, which calibrates for the machine's speed.
JioNLP is slow, so it runs on the first --jionlp-mb of the same texts (its rate is per character).
Rates are per CPU second of the measured process (robust when other work shares the machine);
wall-clock seconds are printed beside them.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SHARED, run_child  # noqa: E402

CHILD = r'''
import json, resource, sys, time
mode, path, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
texts = json.load(open(path, encoding="utf-8"))
used, n = [], 0
for t in texts:
    if n >= limit:
        break
    used.append(t); n += len(t)
if mode == "baseline":
    import re
    pat = re.compile(r"^\s*(?:[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）]|\d+[.、．])")
    def run():
        k = 0
        for t in used:
            for line in t.split("\n"):
                if pat.match(line):
                    k += 1
        return k
elif mode == "jionlp":
    import jionlp
    jionlp.ner.extract_time(used[0][:2000], time_base=1700000000)  # its lazy loading outside the timing
    def run():
        k = 0
        for t in used:
            k += len(jionlp.ner.extract_time(t, time_base=1700000000))
        return k
else:
    from parser.pipeline import Options, Parser
    from parser.ingest.read import make_document
    if mode == "structure":
        p = Parser(Options(extract=False))
    else:
        p = Parser(Options()).warm_up()  # load dictionaries and grammars outside the timing
    def run():
        k = 0
        for i, t in enumerate(used):
            doc = p.parse(make_document(t, f"bench{i}")) if mode != "structure" else p.structure(make_document(t, f"bench{i}"))
            k += sum(len(pl.sections) for pl in doc.plans)
        return k
t0, c0 = time.perf_counter(), time.process_time()
items = run()
wall, dt = time.perf_counter() - t0, time.process_time() - c0
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"mode": mode, "chars": n, "seconds": dt, "wall": wall, "chars_per_s": n / dt, "peak_mb": rss, "items": items}))
'''


def corpus(mb: float, texts_dir: Path | None) -> list[str]:
    src = texts_dir or (SHARED / "eval" / "dev" if (SHARED / "eval" / "dev").is_dir() else ROOT / "corpus" / "sample")
    base = [p.read_text(encoding="utf-8-sig", errors="replace") for p in sorted(src.glob("*.txt"))]
    if not base:
        raise SystemExit(f"no .txt texts in {src}")
    out, size = [], 0
    while size < mb * 1024 * 1024:
        for t in base:
            out.append(t)
            size += len(t.encode("utf-8"))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=5.0)
    ap.add_argument("--jionlp-mb", type=float, default=0.5)
    ap.add_argument("--texts", type=Path, default=None)
    ap.add_argument("--skip", default="", help="comma-separated modes to skip (e.g. structure,jionlp)")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    a = ap.parse_args()
    texts = corpus(a.mb, a.texts)
    tmp = ROOT / "benchmarks" / "results"
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / "bench_parse_texts.json"
    path.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    total = sum(len(t) for t in texts)
    skip = set(filter(None, a.skip.split(",")))
    rows = []
    for mode in ("baseline", "structure", "pipeline", "jionlp"):
        if mode in skip:
            continue
        limit = total if mode != "jionlp" else int(a.jionlp_mb * 1024 * 1024 / 3)
        print(f"running {mode} …", file=sys.stderr)
        rows.append(run_child(CHILD, mode, str(path), str(limit)))
    by = {r["mode"]: r for r in rows}
    print(f"texts: {total:,} characters ({sum(len(t.encode()) for t in texts) / 1048576:.1f} MB UTF-8)")
    print(f"{'run':<11}{'chars':>12}{'cpu s':>9}{'wall s':>9}{'chars/s':>12}{'peak MB':>9}{'÷baseline':>10}{'÷jionlp':>9}")
    for r in rows:
        rb = r["chars_per_s"] / by["baseline"]["chars_per_s"] if "baseline" in by else float("nan")
        rj = r["chars_per_s"] / by["jionlp"]["chars_per_s"] if "jionlp" in by else float("nan")
        print(f"{r['mode']:<11}{r['chars']:>12,}{r['seconds']:>9.2f}{r['wall']:>9.2f}{r['chars_per_s']:>12,.0f}{r['peak_mb']:>9.0f}"
              f"{rb:>10.3f}{rj:>9.2f}")
    if a.json:
        a.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
