"""Main-text extraction on the saved pages of ../shared/pages: ours vs trafilatura vs readability-lxml.

Each tool's output (title line + body lines) is scored against the gold NAME.txt by character-level
F1 over the bag of non-space characters (multiset overlap).  Run from the project root:

    uv run python benchmarks/bench_extract.py [--pages DIR] [--direct] [--show NAME]

``ours`` is what ``planparser parse PAGE.html --format text`` writes (read → parse → page_text);
``--direct`` also scores ``extract_main`` alone (title + text) as ``ours-direct``.
Skips cleanly (exit 0) when the pages folder is absent; trafilatura/readability columns are
left out when those development tools are not installed.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_PAGES = ROOT.parent / "shared" / "pages"


def char_f1(pred: str, gold: str) -> float:
    """F1 of the multisets of non-space characters of ``pred`` and ``gold``."""
    p = Counter(c for c in pred if not c.isspace())
    g = Counter(c for c in gold if not c.isspace())
    if not p or not g:
        return 1.0 if p == g else 0.0
    overlap = sum((p & g).values())
    if not overlap:
        return 0.0
    prec, rec = overlap / sum(p.values()), overlap / sum(g.values())
    return 2 * prec * rec / (prec + rec)


def decoded(path: Path) -> str:
    from parser.ingest.decode import decode_bytes
    from parser.ingest.page import declared_charset

    data = path.read_bytes()
    return decode_bytes(data, str(path), declared=declared_charset(data)).text


def ours_cli(path: Path) -> str:
    """What ``planparser parse PAGE.html --format text`` writes, without the subprocess."""
    from parser.tables.output import page_text
    from parser.pipeline import Options, Parser
    from parser.ingest.read import read_document

    return page_text(Parser(Options(extract=False)).parse(read_document(str(path))))


def ours_direct(path: Path) -> str:
    from parser.ingest.maintext import extract_main

    page = extract_main(decoded(path), str(path))
    return "\n".join(x for x in (page.title, page.text) if x)


def trafilatura_text(path: Path) -> str:
    import trafilatura

    html = decoded(path)
    body = trafilatura.extract(html, include_tables=True) or ""
    meta = trafilatura.extract_metadata(html)
    title = meta.title if meta and meta.title else ""
    return f"{title}\n{body}"


def readability_text(path: Path) -> str:
    from bs4 import BeautifulSoup
    from readability import Document

    from parser.ingest.page import block_lines

    doc = Document(decoded(path))
    lines = block_lines(BeautifulSoup(doc.summary(html_partial=True), "lxml"))
    return "\n".join([doc.title() or "", *lines])


def available_tools(direct: bool) -> dict[str, Callable[[Path], str]]:
    tools: dict[str, Callable[[Path], str]] = {"ours": ours_cli}
    if direct:
        tools["ours-direct"] = ours_direct
    try:
        import trafilatura  # noqa: F401
        tools["trafilatura"] = trafilatura_text
    except ImportError:
        print("trafilatura not installed: column left out", file=sys.stderr)
    try:
        import readability  # noqa: F401
        tools["readability"] = readability_text
    except ImportError:
        print("readability-lxml not installed: column left out", file=sys.stderr)
    return tools


def run(pages: Path, direct: bool = False, show: Optional[str] = None) -> dict[str, float]:
    tools = available_tools(direct)
    names = sorted(p.stem for p in pages.glob("*.html") if (pages / f"{p.stem}.txt").exists())
    header = f"{'page':<16}" + "".join(f"{t:>13}" for t in tools)
    print(header)
    print("-" * len(header))
    totals = {t: 0.0 for t in tools}
    seconds = {t: 0.0 for t in tools}
    for name in names:
        gold = (pages / f"{name}.txt").read_text(encoding="utf-8")
        row = f"{name:<16}"
        for tool, fn in tools.items():
            t0 = time.perf_counter()
            try:
                pred = fn(pages / f"{name}.html")
            except Exception as e:  # a tool failing on a page scores 0 there
                print(f"{tool} failed on {name}: {type(e).__name__}: {e}", file=sys.stderr)
                pred = ""
            seconds[tool] += time.perf_counter() - t0
            if show == name:
                print(f"--- {tool} ---\n{pred}\n", file=sys.stderr)
            score = char_f1(pred, gold)
            totals[tool] += score
            row += f"{score:>13.3f}"
        print(row)
    print("-" * len(header))
    means = {t: v / len(names) for t, v in totals.items()} if names else {}
    print(f"{'average':<16}" + "".join(f"{means[t]:>13.3f}" for t in tools))
    if "trafilatura" in seconds and seconds["trafilatura"]:
        base = seconds["trafilatura"]
        print(f"{'time/trafil.':<16}" + "".join(f"{seconds[t] / base:>13.2f}" for t in tools))
    return means


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    ap.add_argument("--direct", action="store_true", help="also score extract_main alone")
    ap.add_argument("--show", help="print every tool's text for this page (to stderr)")
    args = ap.parse_args(argv)
    if not args.pages.is_dir():
        print(f"skipped: no saved pages at {args.pages}")
        return 0
    run(args.pages, direct=args.direct, show=args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
