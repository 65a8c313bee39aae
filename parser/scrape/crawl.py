"""Run one crawl in this process with Scrapy's CrawlerProcess (the reactor starts once per process,
so loops and tests start crawls in a subprocess: ``python -m parser.scrape scrape …``)."""
from __future__ import annotations

import json
import shutil
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any, Optional

from ..errors import PlanparserError
from ..tables.atomic import sweep_temps
from .profiles import Profile
from .settings import resolve, scrapy_settings
from .store import CorpusStore


def jobdir_for(corpus: str | Path) -> Path:
    """Where older versions kept Scrapy's JOBDIR (removed on sight: the catalogue's queue replaced it)."""
    return Path(corpus) / "state" / "job"


def remember_args(corpus: str | Path, profile: Profile, urls: list[str], profiles_dir: Optional[str]) -> None:
    """Keep what this corpus was crawled with, so ``update`` can repeat it without arguments."""
    store = CorpusStore(corpus)
    try:
        with store.tx():
            store.db.execute("INSERT OR REPLACE INTO meta VALUES ('crawl_args', ?)", (json.dumps(
                {"profile": profile.path or profile.name, "urls": urls, "profiles_dir": profiles_dir},
                ensure_ascii=False),))
    finally:
        store.close()


def saved_args(corpus: str | Path) -> dict[str, Any]:
    store = CorpusStore(corpus)
    try:
        row = store.db.execute("SELECT value FROM meta WHERE key='crawl_args'").fetchone()
        return json.loads(row[0]) if row else {}
    finally:
        store.close()


def run_crawl(profile: Profile, corpus: str | Path, urls: Optional[list[str]] = None,
              overrides: Optional[dict[str, Any]] = None, command: str = "scrape", fresh: bool = False,
              extra_settings: Optional[dict[str, Any]] = None) -> dict[str, Any]:
    """Crawl into ``corpus`` in this process; returns the run's row (reason, stats) from the catalogue."""
    from scrapy.crawler import CrawlerProcess

    from .catalogue import ensure_sound
    from .spider import PlanSpider

    corpus = Path(corpus)
    ensure_sound(corpus)          # a damaged catalogue is refused before anything is written
    opts = resolve(overrides)
    if opts["PLANPARSER_REDIS_URL"]:
        from .redis import clear, redis_key

        opts["PLANPARSER_REDIS_KEY"] = opts["PLANPARSER_REDIS_KEY"] or redis_key(corpus, profile.name)
        if fresh:
            clear(opts["PLANPARSER_REDIS_URL"], opts["PLANPARSER_REDIS_KEY"])
    CorpusStore(corpus).close()   # create the layout
    shutil.rmtree(jobdir_for(corpus), ignore_errors=True)
    sweep_temps(corpus)           # temporary files of writers killed mid-write
    from .extract import warm_up
    from .pipelines import start_workers, stop_workers

    warm_up(bool(opts["PLANPARSER_EXTRACT"]))
    start_workers(int(opts["PLANPARSER_WORKERS"]), bool(opts["PLANPARSER_EXTRACT"]))
    settings = scrapy_settings(opts, extra=extra_settings)
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(PlanSpider)
    process.crawl(crawler, profile=profile, corpus=str(corpus), urls=list(urls or []), command=command, fresh=fresh)
    try:
        process.start()
    finally:
        stop_workers()
    stats = dict(crawler.stats.get_stats())   # complete now (finish_reason, elapsed_time_seconds)
    fatal = getattr(crawler.spider, "fatal", None)
    out: dict[str, Any] = {"stats": stats}
    try:
        store = CorpusStore(corpus)
        try:
            run_id = getattr(crawler.spider, "run_id", None)    # this process's run (others may share the corpus)
            run = (store.db.execute("SELECT * FROM runs WHERE run_id=?", (run_id,)).fetchone() if run_id
                   else store.last_run())
            if run is not None:
                out.update(run_id=run["run_id"], reason=run["reason"])
                if run["reason"]:
                    store.finish_run(run["run_id"], run["reason"], stats)
        finally:
            store.close()
    except (OSError, sqlite3.Error, PlanparserError):
        if fatal is None:
            raise
    if fatal is not None:
        out.update(error=fatal, reason=out.get("reason") or "store_error")
    elif out.get("reason") == "finished":
        from .catalogue import backup

        backup(corpus)            # the way back should the catalogue ever be damaged
    return out


def crawl_subprocess(argv: list[str], quiet: bool = False, timeout: Optional[float] = None) -> int:
    """``python -m parser.scrape ARGV…`` in a child process (a fresh Twisted reactor each time).

    On Ctrl-C the child (same process group) shuts down cleanly and saves its state; we wait for it.
    """
    child = subprocess.Popen([sys.executable, "-m", "parser.scrape", *argv],
                             stdout=subprocess.DEVNULL if quiet else None)
    try:
        return child.wait(timeout)
    except KeyboardInterrupt:
        try:
            child.wait(120)
        except (subprocess.TimeoutExpired, KeyboardInterrupt):
            child.kill()
        raise
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGINT)
        try:
            return child.wait(60)
        except subprocess.TimeoutExpired:
            child.kill()
            raise


def summary(result: dict[str, Any]) -> str:
    s = result.get("stats", {})
    g = lambda k: int(s.get(k, 0) or 0)  # noqa: E731
    return (f"run {result.get('run_id')} {result.get('reason')}: {g('response_received_count')} responses, "
            f"{g('store/new_page')} new pages, {g('store/new_version')} new versions, "
            f"{g('store/skipped_unchanged') + g('store/skipped_not_modified')} unchanged, "
            f"{g('store/failed')} failed, {g('parse/plans')} plans, "
            f"{g('store/attachment') + g('store/attachment_unreadable')} attachments "
            f"({g('store/attachment_unreadable')} unreadable), "
            f"{g('robotstxt/forbidden')} refused by robots.txt")
