"""Crawl a local folder as if it were a site: serve it on 127.0.0.1 with an index page linking
every file, crawl that into a corpus, return the run's numbers (used by ``planparser demo``)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

from .server import serving

INDEX_PATH = "/_planparser_index.html"
PAGE_SUFFIXES = {".html", ".htm", ".shtml", ".txt", ".text"}
SAMPLE_PROFILE = """# written by crawl_local_sample: every file linked from the index is an article
name = "local-sample"
description = "a local folder served on 127.0.0.1"
[links]
article = ['\\.(s?html?|txt|text)$']
article_needs_keyword = false
deny = ['/_planparser_index\\.html$']
"""


def crawl_local_sample(sample_dir: str | Path, corpus_dir: str | Path, timeout: Optional[float] = 600) -> dict:
    """Serve ``sample_dir``, crawl every file into ``corpus_dir`` (in a child process); the run's stats."""
    from .crawl import crawl_subprocess
    from .store import CorpusStore

    sample_dir, corpus_dir = Path(sample_dir), Path(corpus_dir)
    if not sample_dir.is_dir():
        raise FileNotFoundError(f"{sample_dir}: no such folder")
    CorpusStore(corpus_dir).close()
    profile_path = corpus_dir / "state" / "local-sample.toml"
    profile_path.write_text(SAMPLE_PROFILE, "utf-8")
    with serving(sample_dir, index=INDEX_PATH) as site:
        argv = ["scrape", site.url + INDEX_PATH, "--corpus", str(corpus_dir), "--profile", str(profile_path),
                "--depth", "1", "--max-pages", "0", "--delay", "0", "--no-throttle", "--concurrency", "8",
                "--ignore-robots", "--quiet", "--progress", "0"]
        rc = crawl_subprocess(argv, quiet=True, timeout=timeout)
    store = CorpusStore(corpus_dir)
    try:
        run = store.last_run()
        stats = json.loads(run["stats"]) if run and run["stats"] else {}
        rows = list(store.iter_pages(run_id=run["run_id"])) if run else []
        g = lambda k: int(stats.get(k, 0) or 0)  # noqa: E731
        return {"exit_code": rc, "run_id": run["run_id"] if run else None, "reason": run["reason"] if run else None,
                "corpus": str(corpus_dir), "files": sum(1 for p in sample_dir.rglob("*") if p.is_file()
                                                       and not p.name.startswith(("_", "."))
                                                       and p.suffix.lower() in PAGE_SUFFIXES),
                "responses": g("response_received_count"), "stored": g("store/new_page") + g("store/new_version"),
                "unchanged": g("store/skipped_unchanged") + g("store/skipped_not_modified"),
                "failed": g("store/failed"), "plans": g("parse/plans"),
                "parsed_ok": sum(1 for r in rows if r["parse_status"] == "ok"), **store.counts()}
    finally:
        store.close()
