"""``planparser demo``: the main job on the bundled sample corpus, end to end.

Crawls the sample served as a local site (when the crawler is available), parses every page,
writes JSON and Parquet tables, and prints a short summary and where the files are.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Optional

from .tables import to_frames

SAMPLE = Path(__file__).resolve().parent.parent / "corpus" / "sample"


def sample_dir() -> Path:
    """The bundled sample corpus (corpus/sample in a checkout)."""
    return SAMPLE


def _summary(frames) -> str:
    """A short table of the plans found: one row per plan."""
    plans = frames["plans"]
    if plans.empty:
        return "no plans found"
    cols = ["doc_id", "title", "year", "region", "admin_level", "body", "section_count", "date_count",
            "organization_count"]
    view = plans[cols].copy()
    view["title"] = view["title"].str.slice(0, 24)
    import pandas as pd

    with pd.option_context("display.width", 200, "display.max_columns", 20, "display.unicode.east_asian_width", True):
        return view.to_string(index=False)


class Collector:
    """A writer that keeps the parsed documents in memory (for the summary table)."""

    fmt, out = "memory", "memory"

    def __init__(self):
        self.docs = []

    def add(self, doc) -> None:
        self.docs.append(doc)

    def close(self) -> list:
        return []


def run_demo(out: Optional[str] = None, quiet: bool = False, crawl: bool = True) -> int:
    """Run the demo; returns the exit code (1 when any sample failed to parse)."""
    from .cli import report, run_parse
    from .output import Writer
    from .pipeline import Options

    src = sample_dir()
    if not src.is_dir():
        report(f"error: {src}: the bundled sample corpus is missing (a broken checkout?)")
        return 1
    out_dir = Path(out) if out else Path(tempfile.mkdtemp(prefix="planparser-demo-"))
    failed = 0
    if crawl:
        try:
            from .scrape.local import crawl_local_sample
        except ImportError:
            crawl_local_sample = None
        if crawl_local_sample is not None:
            stats = crawl_local_sample(src, out_dir / "corpus")
            print(f"crawled the sample as a local site: {stats}")
            failed += int(stats.get("failed", 0) or 0)
    keep = Collector()
    batch = run_parse([str(src)], [Writer(str(out_dir / "json"), "json"), Writer(str(out_dir / "tables"), "parquet"),
                                   keep], Options(), quiet=quiet)
    failed += batch.failed
    ok, bad, docs = batch.ok, batch.failed, keep.docs
    frames = to_frames(docs)
    print(_summary(frames))
    print(f"\n{ok} pages parsed, {bad} failed: {len(frames['plans'])} plans, {len(frames['sections'])} sections, "
          f"{len(frames['dates'])} dates, {len(frames['organizations'])} organisations")
    print(f"JSON per page:   {out_dir / 'json'}")
    print(f"Parquet tables:  {out_dir / 'tables'}  (plans, sections, dates, organizations, activities)")
    sys.stdout.flush()
    return 1 if failed else 0
