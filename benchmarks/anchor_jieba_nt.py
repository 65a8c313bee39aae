"""Anchor for the organisations stage: jieba.posseg tokens tagged ``nt`` as contract JSON (CONTRACT.md).

Usage: uv run python benchmarks/anchor_jieba_nt.py ../shared/eval/dev/*.txt --out DIR
       python3 ../shared/eval/score.py --gold ../shared/eval/dev --pred DIR

Each document is one plan covering the whole text; its organisations are the tokens jieba's
part-of-speech tagger (a private tokenizer with jieba's own dictionary, HMM on, nothing added)
tags ``nt``, all with role "other"; dates are empty. jieba reads the normalised text (same
length, so spans carry over; Traditional input is tagged in Simplified). The script also times
parser.extract.orgs.find_orgs on the same texts (CPU time of this process) and prints both speeds
and their ratio.
"""
from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from parser.ingest.normalize import normalize  # noqa: E402
from parser.tables.atomic import atomic_text  # noqa: E402


def nt_mentions(norm: str, tagger) -> list[tuple[int, int]]:
    """(start, end) of every token tagged nt; tokens are contiguous, so offsets are running sums."""
    out, pos = [], 0
    for pair in tagger.cut(norm):
        word, flag = pair.word, pair.flag
        if flag == "nt":
            out.append((pos, pos + len(word)))
        pos += len(word)
    return out


def document(path: Path, text: str, spans: list[tuple[int, int]]) -> dict:
    orgs = [{"text": text[s:e], "span": [s, e], "role": "other"} for s, e in spans]
    first = text.split("\n", 1)[0]
    return {"source": str(path), "plans": [{"title": first.strip(), "span": [0, len(text)], "year": None,
                                            "region": None, "admin_level": None, "body": None,
                                            "sections": [], "dates": [], "organizations": orgs}]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="+", help=".txt files")
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    tagger = jieba.posseg.POSTokenizer(tokenizer)
    docs = [(Path(n), Path(n).read_text(encoding="utf-8")) for n in a.inputs]
    norms = [normalize(t) for _, t in docs]
    chars = sum(len(n) for n in norms)

    t0 = time.process_time()
    found = [nt_mentions(n, tagger) for n in norms]
    t_anchor = time.process_time() - t0
    for (path, text), spans in zip(docs, found):
        with atomic_text(Path(a.out) / f"{path.stem}.json") as fh:
            json.dump(document(path, text, spans), fh, ensure_ascii=False, indent=1)

    from parser.extract.orgs import find_orgs

    find_orgs("县政协办公室")  # load the lexicon and our tokenizer outside the timing
    t0 = time.process_time()
    for n in norms:
        find_orgs(n)
    t_ours = time.process_time() - t0
    print(f"jieba nt anchor: {chars / max(t_anchor, 1e-9):,.0f} chars/s; parser.extract.orgs.find_orgs: "
          f"{chars / max(t_ours, 1e-9):,.0f} chars/s; ours/anchor speed ratio {t_anchor / max(t_ours, 1e-9):.1f}x "
          f"({chars:,} chars)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
