"""Kill and resume, many times: does a crawl (or a parse batch) lose or duplicate anything?

    uv run python benchmarks/bench_faults.py [--mode crawl|redis|parse|all] [--kills 20] [--pages 300] [--seed 1]

crawl: one ``planparser scrape`` process is SIGKILLed (with its extraction worker: the whole process
       group) at a random moment, ``--kills`` times, each time restarted with the same command; a last
       run finishes. The corpus is compared with an uninterrupted crawl of the same site.
redis: two ``scrape --redis`` processes share one queue; one of them, drawn at random, is SIGKILLed
       and restarted, ``--kills`` times; both then finish.
parse: ``planparser parse --workers 2`` (json, then parquet) and ``--engine dask`` are SIGKILLed
       ``--kills``/4 times each (during start-up, or once a random further share of the inputs is
       finished) and re-run; the final outputs are compared byte for byte with an uninterrupted run.

Crawl kills: every fifth during start-up, the others at a random moment after the victim stored
its first page (so they land mid-write). Each crawl process runs in its own process group, which
gets the SIGKILL (the extraction worker dies with it).

Reported: pages lost, pages duplicated (rows beyond one per URL), pages whose files differ from the
uninterrupted crawl's, damaged files, temporary files left, integrity_check failures after a kill;
all must be 0. The site serves the real plan texts of ../shared/eval/dev*/*.txt wrapped in generated
HTML at run time (nothing is copied into the repository); without ../shared, generated texts. It is a
column as real ones are: dated list items whose link texts are the texts' first lines, every third a
headline without a plan keyword (the share is printed; a third or more), crawled with ``--follow keyword``,
so a resumed listing page that forgot it belongs to the column loses articles (issue 17); a .txt
attachment on every tenth article (``--attach-every``). The column's next pages are answered after
``--listing-delay`` seconds, so that listing pages are still queued when kills come.
``--code DIR`` runs the crawl from another checkout (e.g. an older commit) to compare.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import html
import json
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks._common import SHARED  # noqa: E402

CODE = ROOT


# -- the site -----------------------------------------------------------------------------------
# news-like titles without a plan keyword, beside the real ones: a column holds plans and news of them
NEWS = ["区政协召开十届五次常委会议", "区政协领导赴乡镇走访慰问", "委员风采：扎根基层二十年", "区政协机关开展主题党日活动",
        "区政协举办委员履职培训班", "区政协视察城区老旧小区改造", "区政协召开民主评议座谈会", "区政协调研乡村振兴工作",
        "区政协界别活动组走进企业", "区政协召开党组理论学习中心组会议", "市人大常委会召开主任会议", "县妇联开展送温暖活动"]


def plan_texts() -> tuple[list[str], str]:
    """The real dev texts when ../shared is here (read at run time), else generated ones."""
    files = sorted(SHARED.glob("eval/dev*/*.txt"))
    if files:
        return [f.read_text("utf-8") for f in files], f"{len(files)} real plan texts from {SHARED}/eval/dev*"
    gen = []
    for i in range(40):
        gen.append(f"第{i}号社区2025年工作计划\n一、总体要求\n坚持稳中求进。\n二、重点任务\n（一）加强组织建设\n"
                   f"每月召开一次工作例会，{i % 12 + 1}月底前完成。\n牵头单位：街道党工委\n三、保障措施\n压实责任。\n")
    return gen, "40 generated plan texts (../shared not found)"


def keyword_rules():
    """The generic profile's link rules: what ``--follow keyword`` takes a plan keyword to be."""
    from parser.scrape.links import rules_for
    from parser.scrape.profiles import load_profile

    return rules_for(load_profile())


def link_texts(texts: list[str], pages: int) -> list[str]:
    """A column's link texts as real ones run: a page's title (the first of its opening lines that names a
    plan, else its first line), and for every third page a headline without a plan keyword (such first lines
    of the texts, and ``NEWS``), so that a resumed listing page that forgot it belongs to the column loses
    articles under --follow keyword."""
    from parser.scrape.links import has_keyword

    rules = keyword_rules()
    heads = [[" ".join(ln.split())[:40] for ln in t.splitlines() if ln.strip()][:5] or ["工作计划"] for t in texts]
    titles = [next((ln for ln in h if has_keyword(ln, rules)), h[0]) for h in heads]
    plain = [h[0] for h in heads if 6 <= len(h[0]) <= 30 and re.fullmatch(r"[\u4e00-\u9fff]+", h[0])
             and not has_keyword(h[0], rules)]
    plain = list(dict.fromkeys(plain + NEWS))
    return [plain[i // 3 % len(plain)] if i % 3 == 0 else titles[i % len(texts)] for i in range(pages)]


def make_site(root: Path, pages: int, texts: list[str], per_listing: int = 20, attach_every: int = 10) -> float:
    """Listing pages chained by 下一页 (dated items in a <ul>), article pages, and a .txt attachment on every
    ``attach_every``-th article; the share of link texts without a plan keyword."""
    from parser.scrape.links import has_keyword

    (root / "a" / "files").mkdir(parents=True)
    listings = (pages + per_listing - 1) // per_listing
    titles = link_texts(texts, pages)
    for li in range(listings):
        items = "".join(f'<li><a href="a/p{i:05d}.html">{html.escape(titles[i])}</a>'
                        f"<span>2025-{i % 12 + 1:02d}-{i % 28 + 1:02d}</span></li>"
                        for i in range(li * per_listing, min(pages, (li + 1) * per_listing)))
        nxt = f'<a href="list_{li + 1}.html">下一页</a>' if li + 1 < listings else ""
        (root / ("list.html" if li == 0 else f"list_{li}.html")).write_text(
            f"<html><head><meta charset='utf-8'><title>通知公告</title></head><body><ul class='list'>{items}</ul>"
            f"<div class='pager'>{nxt}</div></body></html>", "utf-8")
    for i in range(pages):
        text = texts[i % len(texts)]
        paras = "".join(f"<p>{html.escape(ln.strip())}</p>" for ln in text.splitlines()[1:] if ln.strip())
        if attach_every and i % attach_every == attach_every - 1:
            (root / "a" / "files" / f"f{i:05d}.txt").write_text(text, "utf-8")
            paras += f'<p>附件：<a href="files/f{i:05d}.txt">{html.escape(titles[i])}.txt</a></p>'
        (root / "a" / f"p{i:05d}.html").write_text(
            f"<html><head><meta charset='utf-8'><title>{html.escape(titles[i])}</title></head><body>"
            f"<h1>{html.escape(titles[i])}</h1><div id='zoom'>{paras}</div></body></html>", "utf-8")
    rules = keyword_rules()
    return sum(not has_keyword(t, rules) for t in titles) / max(pages, 1)


# -- processes ----------------------------------------------------------------------------------
def start(argv: list[str], log: Path) -> subprocess.Popen:
    with open(log, "ab") as fh:
        return subprocess.Popen([sys.executable, "-m", "parser.scrape", *argv], cwd=CODE, stdout=fh, stderr=fh,
                                start_new_session=True, env={**os.environ, "PYTHONPATH": str(CODE)})


def kill(proc: subprocess.Popen) -> bool:
    """SIGKILL the process group; False when it had already exited."""
    alive = proc.poll() is None
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait(60)
    return alive


def query(db_path: Path, sql: str) -> list[tuple]:
    if not db_path.exists():
        return []
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    try:
        return db.execute(sql).fetchall()
    except sqlite3.DatabaseError as e:
        return [("error", str(e))]
    finally:
        db.close()


def stored(corpus: Path) -> int:
    rows = query(corpus / "catalog.sqlite", "SELECT COUNT(*) FROM pages")
    return rows[0][0] if rows and rows[0][0] != "error" else 0


def sha(path: Path) -> str | None:
    try:
        return hashlib.sha1(path.read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def snapshot(corpus: Path) -> dict[str, list[tuple]]:
    """URL path → one (content hash, sha1 of text, sha1 of JSON) per stored row (the path: the same site
    may be served on another port)."""
    out: dict[str, list[tuple]] = {}
    for url, digest, text, parsed in query(corpus / "catalog.sqlite",
                                           "SELECT url, content_hash, text_path, parsed_path FROM pages"):
        out.setdefault(urlsplit(url).path, []).append((digest, sha(corpus / text) if text else None,
                                                       sha(corpus / parsed) if parsed else None))
    return out


def damaged_files(corpus: Path) -> int:
    bad = 0
    for digest, raw, text, parsed in query(corpus / "catalog.sqlite",
                                           "SELECT content_hash, raw_path, text_path, parsed_path FROM pages"):
        try:
            if raw and hashlib.sha256(gzip.decompress((corpus / raw).read_bytes())).hexdigest() != digest:
                bad += 1
            if text:
                (corpus / text).read_bytes().decode("utf-8")
            if parsed:
                json.loads((corpus / parsed).read_bytes())
        except (OSError, EOFError, ValueError):
            bad += 1
    return bad


def compare(ref: dict, got: dict) -> dict[str, int]:
    return {"lost": sum(1 for u in ref if u not in got),
            "duplicated": sum(len(v) - 1 for v in got.values()),
            "different": sum(1 for u in ref if u in got and got[u][0] != ref[u][0]),
            "extra": sum(1 for u in got if u not in ref)}


def wait_all(procs: list[subprocess.Popen], timeout: float = 1800) -> list[int]:
    return [p.wait(timeout) for p in procs]


# -- crawl and redis ----------------------------------------------------------------------------
def reference_crawl(url: str, corpus: Path, flags: list[str], work: Path) -> tuple[dict, float, float]:
    """An uninterrupted crawl: its snapshot, its start-up seconds (to the first page stored) and pages/s."""
    t0 = time.monotonic()
    proc = start(["scrape", url, "--corpus", str(corpus), *flags], work / "reference.log")
    first = None
    while proc.poll() is None:
        if first is None and stored(corpus):
            first = time.monotonic() - t0
        time.sleep(0.02)
    total = time.monotonic() - t0
    if proc.returncode != 0:
        raise SystemExit(f"reference crawl failed:\n{(work / 'reference.log').read_text()[-3000:]}")
    snap = snapshot(corpus)
    startup = first or total
    return snap, startup, len(snap) / max(total - startup, 1e-3)


def run_of(corpus: Path, pid: int) -> int:
    """The run row the crawl process ``pid`` started (0 while it has none)."""
    rows = query(corpus / "catalog.sqlite", "SELECT MAX(run_id) FROM runs WHERE "
                 f"json_extract(stats, '$.\"planparser/pid\"') = {int(pid)}")
    return rows[0][0] or 0 if rows and rows[0][0] != "error" else 0


def own_page(corpus: Path, pid: int, stored_at_start: int) -> bool:
    """Has crawl process ``pid`` stored a page yet? (Code that does not note its pid in ``runs``: has
    anything been stored since it started.)"""
    if query(corpus / "catalog.sqlite", "SELECT 1 FROM runs WHERE stats LIKE '%planparser/pid%' LIMIT 1"):
        return bool(stored_by(corpus, run_of(corpus, pid)))
    return stored(corpus) > stored_at_start


def listings_queued(corpus: Path) -> int:
    """Listing pages in the frontier not read yet: a kill then tests that they are made again as they were."""
    rows = query(corpus / "catalog.sqlite", "SELECT COUNT(*) FROM queue WHERE role = 'listing' AND done = 0")
    return rows[0][0] if rows and rows[0][0] != "error" else 0


def stored_by(corpus: Path, run_id: int) -> int:
    rows = query(corpus / "catalog.sqlite", f"SELECT COUNT(*) FROM pages WHERE run_id = {int(run_id)}")
    return rows[0][0] if rows and rows[0][0] != "error" else 0


def kill_loop(argv_for, corpus: Path, n_procs: int, kills: int, startup: float, rate: float, pages: int,
              rng: random.Random, work: Path) -> dict:
    """Start ``n_procs`` processes; ``kills`` times SIGKILL one of them and restart it; then let them finish.
    Every fifth kill comes at a random moment of start-up; the others at a random moment within twice the
    time a 1/kills share of the pages takes (at most 10 s), counted from the victim's first stored page."""
    window = min(2 * pages / max(kills, 1) / rate, 10.0)
    procs = [start(argv_for(i), work / f"p{i}.log") for i in range(n_procs)]
    started = [time.monotonic()] * n_procs
    stored_then = [0] * n_procs
    log = {"kills": 0, "killed_in_startup": 0, "already_exited": 0, "integrity_failures": 0, "temps_after_kill": 0,
           "duplicates_seen": 0, "stored_at_kill": [], "listings_queued_at_kill": []}
    for k in range(kills):
        i = rng.randrange(n_procs)
        if k % 5 == 0:
            time.sleep(max(0.0, started[i] + rng.uniform(0, startup) - time.monotonic()))
            log["killed_in_startup"] += 1
        else:                       # once the victim has stored a page of its own: mid-crawl, mid-write
            deadline = time.monotonic() + 120
            while procs[i].poll() is None and time.monotonic() < deadline and not own_page(corpus, procs[i].pid,
                                                                                           stored_then[i]):
                time.sleep(0.02)
            time.sleep(rng.uniform(0, window))
        log["stored_at_kill"].append(stored(corpus))
        log["listings_queued_at_kill"].append(listings_queued(corpus))
        if kill(procs[i]):
            log["kills"] += 1
        else:
            log["already_exited"] += 1
        check = query(corpus / "catalog.sqlite", "PRAGMA integrity_check")
        if check and check[0][0] != "ok":
            log["integrity_failures"] += 1
        log["temps_after_kill"] += len(list(corpus.rglob("*.part")))
        log["duplicates_seen"] += sum(len(v) - 1 for v in snapshot(corpus).values())
        procs[i] = start(argv_for(i), work / f"p{i}.log")
        started[i], stored_then[i] = time.monotonic(), stored(corpus)
    log["exit_codes"] = wait_all(procs)
    return log


def run_crawl_mode(mode: str, args, site, work: Path, ref: dict, startup: float, rate: float,
                   redis_url: str | None) -> dict:
    corpus = work / f"corpus-{mode}"
    flags = crawl_flags(args, 1 if mode == "redis" else 4)
    if mode == "redis":
        lease = ["--redis-lease", "3"] if supports(["scrape", "--help"], "--redis-lease") else []
        flags = flags + ["--redis", redis_url, "--redis-idle", "3", *lease]
    argv = ["scrape", site.url + "/list.html", "--corpus", str(corpus), *flags]
    rng = random.Random(args.seed)
    t0, hits = time.monotonic(), len(site.hits)
    log = kill_loop(lambda i: argv, corpus, 2 if mode == "redis" else 1, args.kills, startup, rate, len(ref),
                    rng, work)
    got = snapshot(corpus)          # the processes restarted after the last kill ran to the end
    fetched = sum(1 for m, p, status in site.hits[hits:] if m == "GET" and p.startswith("/a/") and status == 200)
    stats = [json.loads(r[0]) for r in query(corpus / "catalog.sqlite", "SELECT stats FROM runs WHERE reason IS NOT NULL")
             if r[0] and r[0] != "error"]
    out = {**compare(ref, got), "pages": len(ref), "stored": len(got), **log,
           "fetched_again": fetched - len(got),       # pages in flight at a kill: fetched again, stored once
           "leases_requeued": sum(int(s.get("redis/leases_requeued", 0)) for s in stats),
           "different_pages": sorted(u for u in ref if u in got and got[u][0] != ref[u][0])[:10],
           "damaged_files": damaged_files(corpus), "temps_left": len(list(corpus.rglob("*.part"))),
           "seconds": round(time.monotonic() - t0, 1)}
    return out


PROFILE = """name = "bench-faults"
[links]
article = ['/a/p\\d+\\.html$']
# as generic.toml: outside a column's main list, an article link needs a plan keyword
article_needs_keyword = true
"""


def crawl_flags(args, concurrency: int = 4) -> list[str]:
    return ["--delay", "0", "--no-throttle", "--ignore-robots", "--concurrency", str(concurrency), "--max-pages", "0",
            "--progress", "0", "--quiet", "--workers", str(args.workers), "--profile", str(args.profile),
            "--follow", "keyword"]


def supports(argv: list[str], flag: str) -> bool:
    out = subprocess.run([sys.executable, "-m", "parser.scrape", *argv], cwd=CODE, capture_output=True, text=True,
                         env={**os.environ, "PYTHONPATH": str(CODE)})
    return flag in out.stdout


# -- parse ----------------------------------------------------------------------------------------
def hidden(p: Path, out: Path) -> bool:
    """Resume state and temporaries (names starting with a dot): not outputs."""
    return any(part.startswith(".") for part in p.relative_to(out).parts)


def outputs(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): sha(p) for p in sorted(out.rglob("*")) if p.is_file() and not hidden(p, out)}


def half_written(out: Path) -> int:
    """Output files (not temporaries) that do not load: must be 0 after any kill."""
    bad = 0
    for p in out.rglob("*"):
        if not p.is_file() or hidden(p, out):
            continue
        try:
            if p.suffix == ".json":
                json.loads(p.read_bytes())
            elif p.suffix == ".parquet":
                import pyarrow.parquet as pq

                pq.read_table(p)
        except Exception:  # noqa: BLE001 - any unreadable file counts
            bad += 1
    return bad


def finished(out: Path) -> int:
    """Inputs (or Dask partitions) a parse into ``out`` has recorded as finished (its resume state)."""
    state = out / ".planparser-resume"
    if not state.is_dir():
        return 0
    try:
        files = [p for p in state.rglob("*") if p.is_file()]
        return (sum(1 for p in files if p.suffix in (".pkl", ".json"))
                + sum(p.read_bytes().count(b"\n") for p in files if p.suffix == ".jsonl"))   # json/text: a line each
    except FileNotFoundError:       # the batch removed its state while it was read (it finished)
        return 0


def run_parse_mode(args, texts_dir: Path, work: Path) -> list[dict]:
    results = []
    variants = [("json", ["--format", "json", "--workers", "2"]), ("parquet", ["--format", "parquet", "--workers", "2"]),
                ("dask", ["--engine", "dask"])]
    rng = random.Random(args.seed)
    for name, flags in variants:
        ref_out = work / f"parse-ref-{name}"
        t0 = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "parser.cli", "parse", str(texts_dir), "--out", str(ref_out),
                               "--quiet", *flags], cwd=CODE, capture_output=True, text=True,
                              env={**os.environ, "PYTHONPATH": str(CODE)})
        ref_seconds = time.monotonic() - t0
        if done.returncode != 0:
            raise SystemExit(f"parse {name} failed:\n{done.stderr[-3000:]}")
        ref = outputs(ref_out)
        out = work / f"parse-{name}"
        log = {"variant": name, "kills": 0, "half_written": 0, "finished_at_kill": [], "complete_before_rerun": [],
               "reference_seconds": round(ref_seconds, 1)}
        units = len(ref) if name == "json" else len(list(texts_dir.glob("*.txt")))
        if name == "dask":
            units = len(ref) // 5                   # partitions (five tables each)
        for k in range(max(1, args.kills // 4)):
            started = time.monotonic()
            proc = subprocess.Popen([sys.executable, "-m", "parser.cli", "parse", str(texts_dir), "--out", str(out),
                                     "--quiet", *flags], cwd=CODE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    start_new_session=True, env={**os.environ, "PYTHONPATH": str(CODE)})
            if k % 5 == 0:          # during start-up
                time.sleep(rng.uniform(0, min(ref_seconds, 5.0)))
            else:                   # once a random further share of the inputs is finished
                target = finished(out) + rng.randint(1, max(1, (units - finished(out)) // 3))
                while finished(out) < target and proc.poll() is None and time.monotonic() - started < 600:
                    time.sleep(0.01)
            log["finished_at_kill"].append(finished(out))
            log["kills"] += kill(proc)
            log["half_written"] += half_written(out)
            log["complete_before_rerun"].append(len(outputs(out)) if out.exists() else 0)
        final = subprocess.run([sys.executable, "-m", "parser.cli", "parse", str(texts_dir), "--out", str(out),
                                "--quiet", *flags], cwd=CODE, capture_output=True, text=True,
                               env={**os.environ, "PYTHONPATH": str(CODE)})
        got = outputs(out)
        log.update(final_exit=final.returncode, files=len(ref),
                   missing=sum(1 for k in ref if k not in got), different=sum(1 for k in ref if k in got and got[k] != ref[k]),
                   extra=sum(1 for k in got if k not in ref), temps_left=len([p for p in out.rglob("*.part")]))
        results.append(log)
    return results


def main() -> int:
    global CODE
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=("crawl", "redis", "parse", "all"), default="all")
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--delay", type=float, default=0.02, help="seconds the site waits before each answer")
    ap.add_argument("--redis-pages", type=int, default=1000, help="pages of the site for the two --redis processes")
    ap.add_argument("--redis-delay", type=float, default=0.5,
                    help="seconds the site waits per answer in the --redis round (one request at a time per process)")
    ap.add_argument("--workers", type=int, default=1, help="extraction workers per crawl process")
    ap.add_argument("--listing-delay", type=float, default=1.0,
                    help="seconds the site waits before answering a column's next pages, as real sites' come "
                         "slowly: the kills land while listing pages are still queued")
    ap.add_argument("--attach-every", type=int, default=10, help="a .txt attachment on every Nth article (0: none)")
    ap.add_argument("--parse-copies", type=int, default=4, help="the texts are parsed this many times over")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--code", default=None, help="run planparser from this checkout instead (to compare)")
    args = ap.parse_args()
    if args.code:
        CODE = Path(args.code).resolve()
    from parser.scrape.server import serving

    texts, origin = plan_texts()
    modes = ["crawl", "redis", "parse"] if args.mode == "all" else [args.mode]
    print(f"site: {args.pages} pages ({args.redis_pages} for --redis) of {origin}; {args.kills} kills per mode; "
          f"code from {CODE}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-faults-") as tmp:
        work = Path(tmp)
        args.profile = work / "bench-faults.toml"
        args.profile.write_text(PROFILE, "utf-8")
        for mode in [m for m in modes if m != "parse"]:
            pages = args.redis_pages if mode == "redis" else args.pages
            plain = make_site(work / f"site-{mode}", pages, texts, attach_every=args.attach_every)
            if plain < 1 / 3:
                raise SystemExit(f"only {plain:.0%} of the link texts lack a plan keyword: the site no longer "
                                 "covers a resumed column page that forgot its column")
            print(f"[{mode}] link texts without a plan keyword: {plain:.0%} (--follow keyword); next listing "
                  f"pages answered after {args.listing_delay:g} s; a .txt attachment on every "
                  f"{args.attach_every}th article")
            slow = {f"/list_{li}.html": {"delay": args.listing_delay} for li in range(1, pages)}
            with serving(work / f"site-{mode}", rules=slow, delay=args.delay) as site:
                ref, startup, rate = reference_crawl(site.url + "/list.html", work / f"corpus-ref-{mode}",
                                                     crawl_flags(args), work)
                print(f"[{mode}] uninterrupted crawl: {len(ref)} pages, start-up {startup:.1f} s, {rate:.1f} pages/s")
                if mode == "redis":      # two processes: a slower site, so that the kills come while work remains
                    from parser.scrape.redis import local_redis

                    site.delay = args.redis_delay
                    with local_redis() as redis_url:
                        res = run_crawl_mode(mode, args, site, work, ref, startup, 1.0 / args.redis_delay,
                                             redis_url)
                else:
                    res = run_crawl_mode(mode, args, site, work, ref, startup, rate, None)
            print(f"[{mode}] " + json.dumps({k: v for k, v in res.items() if not k.endswith("_at_kill")}))
            print(f"[{mode}] pages stored when each kill came: {res['stored_at_kill']}")
            print(f"[{mode}] listing pages queued, not yet read, when each kill came: {res['listings_queued_at_kill']}")
            print(f"[{mode}] lost {res['lost']}, duplicated {res['duplicated']}, different {res['different']}, "
                  f"damaged files {res['damaged_files']}, integrity failures {res['integrity_failures']}, "
                  f"temporaries left {res['temps_left']}")
            failed |= any(res[k] for k in ("lost", "duplicated", "different", "extra", "damaged_files",
                                            "integrity_failures", "temps_left"))
        if "parse" in modes:
            texts_dir = work / "texts"
            texts_dir.mkdir()
            for copy in range(args.parse_copies):        # enough inputs that a kill lands mid-batch
                for i, t in enumerate(texts):
                    (texts_dir / f"t{copy}-{i:03d}.txt").write_text(t, "utf-8")
            for res in run_parse_mode(args, texts_dir, work):
                print(f"[parse {res['variant']}] " + json.dumps(res))
                failed |= any(res[k] for k in ("half_written", "missing", "different", "extra", "temps_left"))
    print("RESULT: " + ("something was lost, duplicated or damaged" if failed else "nothing lost, nothing duplicated"))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
