"""``planparser demo``: the main job on the bundled sample corpus, end to end.

Crawls the sample served as a local site (when the crawler is available), parses every page,
writes JSON and Parquet tables, and prints a short summary and where the files are.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Optional

from ..tables.frames import to_frames

SAMPLE = Path(__file__).resolve().parents[2] / "corpus" / "sample"


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


def _crawl(src: Path, out_dir: Path, quiet: bool) -> tuple[dict, int]:
    """Serve the sample on 127.0.0.1, crawl it into a corpus store and tabulate what was stored."""
    import pandas as pd

    from ..scrape.local import crawl_local_sample
    from ..scrape.update import update_tables
    from ..tables.frames import TABLES

    corpus = out_dir / "corpus"
    if not quiet:
        print(f"serving {src} on 127.0.0.1 and crawling it into {corpus} …", flush=True)
    stats = crawl_local_sample(src, corpus)
    missing = int(stats.get("files", 0)) - int(stats.get("parsed_ok", 0))
    print(f"crawl: {stats.get('responses', 0)} responses, {stats.get('stored', 0)} pages stored, "
          f"{stats.get('parsed_ok', 0)} parsed, {stats.get('failed', 0)} failed ({stats.get('reason')})")
    update_tables(corpus)
    frames = {name: pd.read_parquet(corpus / "tables" / f"{name}.parquet") for name in TABLES}
    print(_summary(frames))
    print(f"\n{len(frames['plans'])} plans, {len(frames['sections'])} sections, {len(frames['dates'])} dates, "
          f"{len(frames['organizations'])} organisations, {len(frames['activities'])} activities")
    print(f"corpus store:    {corpus}  (raw/, text/, parsed/ JSON per page, catalog.sqlite)")
    print(f"Parquet tables:  {corpus / 'tables'}  (plans, sections, dates, organizations, activities, activity_dates)")
    failed = int(stats.get("failed", 0) or 0) + max(missing, 0) + (stats.get("exit_code") not in (0, None))
    return stats, failed


def run_demo(out: Optional[str] = None, quiet: bool = False, crawl: bool = True) -> int:
    """Run the demo; returns the exit code (1 when any sample page failed).

    With ``crawl`` (the default) the sample is served as a local site, crawled into a corpus store and
    tabulated from what the crawl stored; without it the folder is parsed directly."""
    from .batch import report, run_parse
    from ..tables.output import Writer
    from ..pipeline import Options

    src = sample_dir()
    if not src.is_dir():
        report(f"error: {src}: the bundled sample corpus is missing (a broken checkout?)")
        return 1
    out_dir = Path(out) if out else Path(tempfile.mkdtemp(prefix="planparser-demo-"))
    if crawl:
        _, failed = _crawl(src, out_dir, quiet)
        sys.stdout.flush()
        return 1 if failed else 0
    keep = Collector()
    batch = run_parse([str(src)], [Writer(str(out_dir / "json"), "json"), Writer(str(out_dir / "tables"), "parquet"),
                                   keep], Options(), quiet=quiet, workers=1)
    frames = to_frames(keep.docs)
    print(_summary(frames))
    print(f"\n{batch.ok} pages parsed, {batch.failed} failed: {len(frames['plans'])} plans, "
          f"{len(frames['sections'])} sections, {len(frames['dates'])} dates, "
          f"{len(frames['organizations'])} organisations")
    print(f"JSON per page:   {out_dir / 'json'}")
    print(f"Parquet tables:  {out_dir / 'tables'}  (plans, sections, dates, organizations, activities, activity_dates)")
    sys.stdout.flush()
    return 1 if batch.failed else 0
