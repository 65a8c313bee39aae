"""``planparser scrape``: a polite, incremental Scrapy crawler that stores plan pages in a corpus
folder (raw/, text/, parsed/, catalog.sqlite) and parses them with the core pipeline."""
from __future__ import annotations

from typing import Any


def crawl_local_sample(sample_dir: Any, corpus_dir: Any) -> dict:
    """Serve a folder on 127.0.0.1, crawl every file into ``corpus_dir``; the run's numbers."""
    from .local import crawl_local_sample as run

    return run(sample_dir, corpus_dir)


__all__ = ["crawl_local_sample"]
