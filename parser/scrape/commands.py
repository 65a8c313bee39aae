"""The crawl commands of ``planparser``: scrape, corpus list, corpus check, update, schedule."""
from __future__ import annotations

import argparse
import json
import re
import sqlite3
import sys
import time
from datetime import datetime, timedelta
from typing import Any

LIST_FIELDS = ("url", "final_url", "status", "title", "published", "encoding", "plans", "text")


def _say(msg: str) -> None:
    print(f"planparser: {msg}", file=sys.stderr, flush=True)


def _crawl_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", required=True, help="corpus folder (created): raw/, text/, parsed/, catalog.sqlite")
    p.add_argument("--profile", default=None, help="site profile: a bundled/user name or a .toml path")
    p.add_argument("--profiles-dir", default=None, help="folder of your own profiles (default ~/.config/planparser/profiles)")
    p.add_argument("--depth", type=int, default=None, help="listing hops from the start URLs (default 3)")
    p.add_argument("--max-pages", type=int, default=None, help="stop after this many requests (default 500; 0 = no limit)")
    p.add_argument("--delay", type=float, default=None, help="seconds between requests to a site (default 1)")
    p.add_argument("--concurrency", type=int, default=None, help="parallel requests per site (default 2)")
    p.add_argument("--follow", choices=("keyword", "all", "list"), default=None,
                   help="links outside a listing's main list: keyword (anchors with a plan keyword; default), "
                        "all (every page of the site within --depth) or list (only the start column)")
    p.add_argument("--no-attachments", action="store_true", help="do not fetch articles' .docx/.pdf/.doc/.wps/.xls(x)/.txt files")
    p.add_argument("--attachment-max-mb", type=float, default=None, help="skip attachment files larger than this (default 20)")
    p.add_argument("--no-sitemap", action="store_true", help="do not read the site's /sitemap.xml")
    p.add_argument("--ignore-robots", action="store_true", help="do not obey robots.txt (only for your own sites)")
    p.add_argument("--no-throttle", action="store_true", help="switch AutoThrottle off (fixed --delay)")
    p.add_argument("--no-extract", action="store_true", help="parse structure only (no dates/organisations)")
    p.add_argument("--user-agent", default=None, help="User-Agent (default planparser/0.1 (+project URL))")
    p.add_argument("--workers", type=int, default=None, help="extraction processes (default: one per CPU, at most 4; 0 = none)")
    p.add_argument("--fresh", action="store_true", help="forget an interrupted crawl's saved state")
    p.add_argument("--progress", type=float, default=None, help="seconds between progress lines (0 = off)")
    p.add_argument("--redis", default=None, metavar="URL",
                   help="share the queue and duplicate filter with other processes through Redis (redis://host:6379/0)")
    p.add_argument("--redis-key", default=None, help="Redis key prefix (default planparser:PROFILE:CORPUS-FOLDER-NAME)")
    p.add_argument("--redis-idle", type=float, default=None,
                   help="with --redis: exit after the shared queue stayed empty this many seconds (default 10)")
    p.add_argument("--redis-lease", type=float, default=None,
                   help="with --redis: requests taken by a process silent this many seconds (killed) go back "
                        "to the queue (default 30)")
    p.add_argument("--verbose", action="store_true", help="Scrapy's INFO log")
    p.add_argument("--quiet", action="store_true")


def _overrides(args: argparse.Namespace, profile) -> dict[str, Any]:
    crawl = profile.crawl
    return {
        "PLANPARSER_DEPTH": args.depth if args.depth is not None else crawl.get("depth"),
        "PLANPARSER_MAX_PAGES": args.max_pages if args.max_pages is not None else crawl.get("max_pages"),
        "PLANPARSER_DELAY": args.delay if args.delay is not None else crawl.get("delay"),
        "PLANPARSER_CONCURRENCY_PER_DOMAIN": args.concurrency if args.concurrency is not None
        else crawl.get("concurrency"),
        "PLANPARSER_FOLLOW": args.follow,
        "PLANPARSER_ATTACHMENTS": False if args.no_attachments else crawl.get("attachments"),
        "PLANPARSER_ATTACHMENT_MAX_BYTES": int(args.attachment_max_mb * 1048576) if args.attachment_max_mb is not None
        else (int(crawl["attachment_max_mb"] * 1048576) if "attachment_max_mb" in crawl else None),
        "PLANPARSER_SITEMAP": False if args.no_sitemap else crawl.get("sitemap"),
        "PLANPARSER_OBEY_ROBOTS": False if args.ignore_robots else None,
        "PLANPARSER_AUTOTHROTTLE": False if args.no_throttle else None,
        "PLANPARSER_EXTRACT": False if args.no_extract else None,
        "PLANPARSER_USER_AGENT": args.user_agent,
        "PLANPARSER_WORKERS": args.workers,
        "PLANPARSER_PROGRESS_INTERVAL": 0.0 if args.quiet else args.progress,
        "PLANPARSER_LOG_LEVEL": "INFO" if args.verbose else ("ERROR" if args.quiet else None),
        "PLANPARSER_REDIS_URL": args.redis,
        "PLANPARSER_REDIS_KEY": args.redis_key,
        "PLANPARSER_REDIS_IDLE": args.redis_idle,
        "PLANPARSER_REDIS_LEASE": args.redis_lease,
    }


def cmd_scrape(args: argparse.Namespace) -> int:
    from .crawl import remember_args, run_crawl, summary
    from .profiles import load_profile

    profile = load_profile(args.profile, args.profiles_dir)
    urls = list(args.urls or [])
    bad = [u for u in urls + list(profile.start_urls) if not re.match(r"^https?://[^/\s]+", u)]
    if bad:
        _say(f"error: not an http(s) URL: {bad[0]} (start URLs look like https://www.example.gov.cn/tzgg/)")
        return 2
    if args.redis:
        from .redis import check

        problem = check(args.redis)
        if problem:
            _say(f"error: {problem} (start one with: redis-server --port 6379)")
            return 2
    from .catalogue import ensure_sound

    ensure_sound(args.corpus)       # refuse a damaged catalogue before writing anything to it
    if not urls and not profile.start_urls and not args.redis:   # with --redis a process may join a running crawl
        from .store import CorpusStore

        store = CorpusStore(args.corpus)
        pending = store.counts()["pending"]
        store.close()
        if not pending:
            _say("error: give start URLs or a --profile that has start_urls")
            return 2
    if urls or not args.redis:
        remember_args(args.corpus, profile.with_urls(urls), urls, args.profiles_dir)
    result = run_crawl(profile, args.corpus, urls, _overrides(args, profile), command=args.command, fresh=args.fresh)
    if not args.quiet:
        _say(summary(result))
    if result.get("error") is not None:
        err = result["error"]
        _say(f"error: {err.source}: {err.reason}" if hasattr(err, "reason") else f"error: {err}")
        return 1
    return 0 if result.get("reason") == "finished" else 3


def _row_dict(store, row, fields: tuple[str, ...]) -> dict[str, Any]:
    import sqlite3

    from . import attachments as attach

    out: dict[str, Any] = {}
    for f in fields:
        if f == "text":
            out["text"] = store.read_text(row)
        elif f in ("attachments", "attached_to"):
            try:
                out[f] = (attach.attachments_of if f == "attachments" else attach.attached_to)(store, row["url"])
            except sqlite3.OperationalError:      # a catalogue from before attachments were kept
                out[f] = []
        elif f in row.keys():
            out[f] = row[f]
    return out


def cmd_corpus_list(args: argparse.Namespace) -> int:
    from .store import CorpusStore

    try:
        store = CorpusStore(args.corpus, readonly=True)
    except FileNotFoundError as e:
        _say(f"error: {e}")
        return 2
    extra = ("version", "fetched_at", "checked_at", "parse_status", "parse_error", "breadcrumb", "content_hash",
             "doc_id", "attachments", "attached_to") if args.all_fields else ()
    fields = tuple(f for f in LIST_FIELDS + extra if not (args.no_text and f == "text"))
    try:
        if args.format == "tsv":
            print("\t".join(fields))          # a header row: the columns by name
        for row in store.iter_pages(all_versions=args.all_versions):
            d = _row_dict(store, row, fields)
            if args.format == "jsonl":
                print(json.dumps(d, ensure_ascii=False))
            else:
                print("\t".join("" if d.get(f) is None else str(d[f]).replace("\n", "\\n") for f in fields))
    except sqlite3.DatabaseError as e:       # a damaged catalogue: say so, and how to repair it
        from .store import damaged

        err = damaged(args.corpus, str(e))
        _say(f"error: {err.source}: {err.reason}")
        return 1
    finally:
        store.close()
    return 0


def cmd_corpus_check(args: argparse.Namespace) -> int:
    """Report (and with --repair mend) damaged catalogue rows and files; exit 1 while damage remains."""
    from .check import check_corpus

    try:
        report = check_corpus(args.corpus, repair=args.repair, delay=args.delay)
    except FileNotFoundError as e:
        _say(f"error: {e}")
        return 2
    for f in report.findings:
        print(json.dumps({"kind": f.kind, "path": f.path, "url": f.url, "version": f.version, "reason": f.reason,
                          "fixed": f.fixed}, ensure_ascii=False) if args.format == "jsonl" else f.line())
    left = report.unresolved
    if report.findings and report.findings[0].kind == "catalogue" and report.findings[0].fixed is None:
        _say(f"the catalogue is damaged; run: planparser corpus check --corpus {args.corpus} --repair")
        return 1
    _say(f"{args.corpus}: {report.versions} page versions, {report.files} files checked; "
         f"{len(report.findings) - len(left)} findings repaired or harmless, {len(left)} problems left"
         + (f"; {report.pending} URLs still queued (run the same scrape again to finish that crawl)"
            if report.pending else ""))
    if left and not args.repair:
        _say(f"repair with: planparser corpus check --corpus {args.corpus} --repair")
    return 1 if left else 0


def _scrape_argv(args: argparse.Namespace, saved: dict[str, Any]) -> list[str]:
    argv = ["scrape", "--corpus", args.corpus]
    profile = args.profile or saved.get("profile")
    if profile:
        argv += ["--profile", profile]
    profiles_dir = args.profiles_dir or saved.get("profiles_dir")
    if profiles_dir:
        argv += ["--profiles-dir", profiles_dir]
    for flag, value in (("--depth", args.depth), ("--max-pages", args.max_pages), ("--delay", args.delay),
                        ("--concurrency", args.concurrency), ("--user-agent", args.user_agent),
                        ("--progress", args.progress), ("--workers", args.workers), ("--redis", args.redis),
                        ("--follow", args.follow), ("--attachment-max-mb", args.attachment_max_mb),
                        ("--redis-key", args.redis_key), ("--redis-idle", args.redis_idle),
                        ("--redis-lease", args.redis_lease)):
        if value is not None:
            argv += [flag, str(value)]
    for flag in ("ignore_robots", "no_throttle", "no_extract", "verbose", "quiet", "no_attachments", "no_sitemap"):
        if getattr(args, flag):
            argv.append("--" + flag.replace("_", "-"))
    return argv + list(args.urls or saved.get("urls") or [])


def run_update(args: argparse.Namespace) -> int:
    """Crawl (in a child process) then append the new pages to DIR/tables/."""
    from .crawl import crawl_subprocess, saved_args
    from .update import update_tables

    rc = crawl_subprocess(_scrape_argv(args, saved_args(args.corpus)))
    if rc not in (0, 3):
        _say(f"error: the crawl failed (exit {rc}); tables left as they were")
        return rc
    result = update_tables(args.corpus)
    if not args.quiet:
        _say(f"tables: {result['documents']} new or changed pages parsed; rows now "
             + ", ".join(f"{k} {v}" for k, v in result["rows"].items()))
    return rc


def cmd_update(args: argparse.Namespace) -> int:
    return run_update(args)


def parse_every(text: str) -> float:
    """'90s', '30m', '6h', '1d' (or plain seconds) → seconds."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text or "")
    if not m:
        raise argparse.ArgumentTypeError(f"bad interval {text!r}: use e.g. 30m, 6h or 1d")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def cmd_schedule(args: argparse.Namespace) -> int:
    """Run ``update`` now and then every ``--every``, in the foreground, until Ctrl-C (or --times runs)."""
    done = 0
    rc = 0
    try:
        while True:
            started = time.monotonic()
            _say(f"update {done + 1} at {datetime.now().isoformat(timespec='seconds')}")
            rc = run_update(args)
            done += 1
            if args.times and done >= args.times:
                return rc
            wait = max(0.0, args.every - (time.monotonic() - started))
            _say(f"next update at {(datetime.now() + timedelta(seconds=wait)).isoformat(timespec='seconds')}")
            time.sleep(wait)
    except KeyboardInterrupt:
        _say("schedule stopped")
        return rc


def register(sub: Any) -> None:
    """Add ``scrape``, ``corpus``, ``update`` and ``schedule`` to the ``planparser`` command."""
    p = sub.add_parser("scrape", help="crawl sites for plan pages into a corpus folder (Scrapy, polite)")
    p.add_argument("urls", nargs="*", help="start URLs (listing or article pages); or use --profile")
    _crawl_options(p)
    p.set_defaults(func=cmd_scrape, command="scrape")

    c = sub.add_parser("corpus", help="look into a corpus folder")
    csub = c.add_subparsers(dest="corpus_command", required=True)
    cl = csub.add_parser("list", help="one line per page: url, final_url, status, title, published, encoding, plans, text")
    cl.add_argument("--corpus", required=True)
    cl.add_argument("--format", choices=("jsonl", "tsv"), default="jsonl")
    cl.add_argument("--all-versions", action="store_true", help="every stored version, not only the latest")
    cl.add_argument("--all-fields", action="store_true", help="add version, dates, parse status, hash, doc_id")
    cl.add_argument("--no-text", action="store_true", help="leave the main text out")
    cl.set_defaults(func=cmd_corpus_list)
    cc = csub.add_parser("check", help="check the catalogue and every stored file; --repair mends what it can")
    cc.add_argument("--corpus", required=True)
    cc.add_argument("--repair", action="store_true",
                    help="restore a damaged catalogue, fetch damaged raw bodies again, re-make texts and JSON")
    cc.add_argument("--delay", type=float, default=1.0, help="seconds between re-fetches (default 1)")
    cc.add_argument("--format", choices=("text", "jsonl"), default="text")
    cc.set_defaults(func=cmd_corpus_check)

    u = sub.add_parser("update", help="crawl again, store only what changed, append it to DIR/tables/*.parquet")
    u.add_argument("urls", nargs="*", help="start URLs (default: those of the corpus's last crawl)")
    _crawl_options(u)
    u.set_defaults(func=cmd_update, command="update")

    s = sub.add_parser("schedule", help="run update periodically in the foreground (Ctrl-C stops)")
    s.add_argument("urls", nargs="*")
    _crawl_options(s)
    s.add_argument("--every", type=parse_every, default=parse_every("6h"), help="interval: 30m, 6h, 1d (default 6h)")
    s.add_argument("--times", type=int, default=0, help="stop after this many updates (default: never)")
    s.set_defaults(func=cmd_schedule, command="update")
