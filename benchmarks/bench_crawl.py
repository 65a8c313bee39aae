"""Crawl throughput: our crawl (extraction + parsing + storage) beside a bare Scrapy spider that only
downloads, on the same generated local site (≥ 2,000 article pages), politeness off, same run.

    uv run python benchmarks/bench_crawl.py [--pages 2000] [--per-listing 50] [--concurrency 16]
                                            [--attach-every 10] [--redis [URL]]

With ``--attach-every N`` (default 10; 0 = none) every Nth article links a .docx attachment and
another one in N a .pdf (made here with python-docx and reportlab): both crawls download them, ours
also reads and parses them, and the line says how many were stored.

Prints pages/second and peak RSS of each crawl (each in its own child process) and the ratio
ours/bare; the goal is a ratio ≥ 0.5. The site is generated into a temporary folder and served
on 127.0.0.1 by parser.scrape.server in this process. ``--redis`` adds a crawl shared through Redis by
two processes (``scrape --redis``, a throw-away local redis-server unless a URL is given) beside our
one-process crawl, and prints the pages/second of each and their ratio.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BODIES = ["一、总体要求", "坚持稳中求进，统筹推进各项工作。", "二、重点任务", "（一）加强组织建设",
          "每月召开一次工作例会，第{q}季度开展专项督查。", "牵头单位：{org}办公室", "时间安排：{m}月中旬",
          "（二）做好民生实事", "年内完成{n}项民生项目，{m}月底前完成进度过半。", "三、保障措施",
          "各单位要明确责任分工，确保任务落实。"]
ORGS = ["街道党工委", "镇人民政府", "区政协", "县人大常委会", "文化站", "妇联"]


def make_files(root: Path, pages: int, every: int, variants: int = 8) -> dict[int, str]:
    """Attachment files for every ``every``-th article (a .docx) and another (a .pdf); article → link."""
    if not every:
        return {}
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import docx_bytes, pdf_bytes     # the tests' document makers (python-docx, reportlab)

    (root / "files").mkdir(parents=True, exist_ok=True)
    made: dict[tuple[str, int], bytes] = {}
    links = {}
    for i in range(pages):
        kind = "docx" if i % every == 3 else "pdf" if i % every == 3 + every // 2 else None
        if kind is None:
            continue
        v = i % variants
        if (kind, v) not in made:
            lines = [f"第{v}社区2025年工作要点"] + [b.format(q=v % 4 + 1, org=ORGS[v % len(ORGS)], m=v % 12 + 1, n=v + 2)
                                                for b in BODIES]
            made[(kind, v)] = docx_bytes(lines) if kind == "docx" else pdf_bytes(lines)
        name = f"files/f{i:06d}.{kind}"
        (root / name).write_bytes(made[(kind, v)])
        links[i] = f"<p>附件：<a href='/{name}'>第{i}社区2025年工作要点.{kind}</a></p>"
    return links


def make_site(root: Path, pages: int, per_listing: int, attach_every: int = 0) -> int:
    """Listing pages (index.html, index_1.html, …, chained by 下一页) linking ``pages`` plan pages."""
    (root / "a").mkdir(parents=True, exist_ok=True)
    files = make_files(root, pages, attach_every)
    listings = (pages + per_listing - 1) // per_listing
    for li in range(listings):
        items = []
        for i in range(li * per_listing, min(pages, (li + 1) * per_listing)):
            items.append(f'<li><a href="a/t2025{i:08d}.html">第{i}社区2025年工作计划</a><span>2025-03-01</span></li>')
        nxt = f'<a href="index_{li + 1}.html">下一页</a>' if li + 1 < listings else ""
        name = "index.html" if li == 0 else f"index_{li}.html"
        (root / name).write_text(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>通知公告</title></head><body>"
            "<div class='nav'><a href='about.html'>关于我们</a></div><ul>" + "".join(items) +
            f"</ul><div class='pager'>{nxt}</div></body></html>", "utf-8")
    for i in range(pages):
        org = ORGS[i % len(ORGS)]
        body = "".join(f"<p>{b.format(q=i % 4 + 1, org=org, m=i % 12 + 1, n=i % 9 + 2)}</p>" for b in BODIES)
        body += files.get(i, "")
        html = (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>第{i}社区2025年工作计划_{org}</title>"
                f"<meta name='PubDate' content='2025-03-{i % 28 + 1:02d}'></head><body>"
                f"<div class='crumb'>当前位置：首页 &gt; 通知公告</div><div class='nav'>首页 | 机构概况 | 政务公开</div>"
                f"<div class='article'><h1>第{i}社区2025年工作计划</h1><div class='info'>发布时间：2025-03-01</div>"
                f"<div id='zoom'>{body}</div></div><div class='footer'>版权所有 联系我们</div></body></html>")
        data = html.encode("gbk") if i % 5 == 0 else html.encode("utf-8")   # every fifth page GBK
        if i % 5 == 0:
            data = data.replace(b"charset='utf-8'", b"charset='gb2312'")
        (root / "a" / f"t2025{i:08d}.html").write_bytes(data)
    return listings


def child_bare(url: str, concurrency: int) -> dict:
    import scrapy
    from scrapy.crawler import CrawlerProcess

    class Bare(scrapy.Spider):
        name = "bare"
        start_urls = [url]

        def parse(self, response):
            for href in response.css("a::attr(href)").getall():
                yield response.follow(href, self.parse)

    process = CrawlerProcess({"LOG_LEVEL": "ERROR", "ROBOTSTXT_OBEY": False, "CONCURRENT_REQUESTS": concurrency,
                              "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency, "DOWNLOAD_DELAY": 0,
                              "COOKIES_ENABLED": False, "TELNETCONSOLE_ENABLED": False, "LOGSTATS_INTERVAL": 0,
                              "HTTPERROR_ALLOW_ALL": True})
    crawler = process.create_crawler(Bare)
    process.crawl(crawler)
    process.start()
    return dict(crawler.stats.get_stats())


REDIS_IDLE = 2.0      # seconds a shared-crawl process waits on an empty queue (left out of its crawl time)


def child_ours(url: str, corpus: str, concurrency: int, workers: int | None = None, extract: bool = True,
               redis: str | None = None) -> dict:
    from parser.scrape.crawl import run_crawl
    from parser.scrape.profiles import load_profile

    result = run_crawl(load_profile(), corpus, [url], {
        "PLANPARSER_OBEY_ROBOTS": False, "PLANPARSER_AUTOTHROTTLE": False, "PLANPARSER_DELAY": 0.0,
        "PLANPARSER_CONCURRENCY": concurrency, "PLANPARSER_CONCURRENCY_PER_DOMAIN": concurrency,
        "PLANPARSER_MAX_PAGES": 0, "PLANPARSER_DEPTH": 3, "PLANPARSER_PROGRESS_INTERVAL": 0.0,
        "PLANPARSER_LOG_LEVEL": "ERROR", "PLANPARSER_WORKERS": workers, "PLANPARSER_EXTRACT": extract,
        "PLANPARSER_REDIS_URL": redis, "PLANPARSER_REDIS_IDLE": REDIS_IDLE if redis else None})
    return result["stats"]


EXTRA: list[str] = []


def run_child(mode: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", mode, *args, *EXTRA], cwd=ROOT, capture_output=True,
                         text=True, timeout=1800)
    if out.returncode != 0:
        raise SystemExit(f"{mode} crawl failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def run_shared(n: int, url: str, corpus: str, redis: str) -> dict:
    """``n`` processes crawling one corpus through one Redis queue; pages/s over the span from the first
    start to the last process's last work (its idle wait before exiting left out)."""
    cmd = [sys.executable, __file__, "--child", "redis", url, corpus, redis, *EXTRA]
    procs = [subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(n)]
    outs = [p.communicate(timeout=1800) for p in procs]
    for p, (_, err) in zip(procs, outs):
        if p.returncode != 0:
            raise SystemExit(f"shared crawl failed:\n{err[-3000:]}")
    rs = [json.loads(out.strip().splitlines()[-1]) for out, _ in outs]
    span = max(r["finish"] - r["idle_exit"] for r in rs) - min(r["start"] for r in rs)
    return {"responses": sum(r["responses"] for r in rs), "elapsed": span, "per_process": [r["responses"] for r in rs],
            "stored": sum(r["stored"] for r in rs), "parse_ok": sum(r["parse_ok"] for r in rs),
            "cpu_s": sum(r["cpu_s"] for r in rs)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=2000)
    ap.add_argument("--per-listing", type=int, default=50)
    ap.add_argument("--concurrency", type=int, default=16)
    ap.add_argument("--attach-every", type=int, default=10, help="one article in N links a .docx, another a .pdf (0 = none)")
    ap.add_argument("--workers", type=int, default=None, help="our extraction processes (default: one per CPU, at most 4)")
    ap.add_argument("--repeat", type=int, default=1, help="alternate bare/ours this many times (median ratio)")
    ap.add_argument("--no-extract", action="store_true", help="our crawl parses structure only (plans, sections)")
    ap.add_argument("--redis", nargs="?", const="local", default=None, metavar="URL",
                    help="also crawl with two processes sharing a Redis queue (default: a throw-away local redis-server)")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        mode, url = args.child[0], args.child[1]
        t0 = time.monotonic()
        stats = (child_bare(url, args.concurrency) if mode == "bare"
                 else child_ours(url, args.child[2], args.concurrency, args.workers, not args.no_extract,
                                 args.child[3] if mode == "redis" else None))
        elapsed = float(stats.get("elapsed_time_seconds") or time.monotonic() - t0)
        stamp = lambda k: stats[k].timestamp() if hasattr(stats.get(k), "timestamp") else 0.0  # noqa: E731
        print(json.dumps({"start": stamp("start_time"), "finish": stamp("finish_time"),
                          "idle_exit": float(stats.get("redis/idle_exit_after") or 0.0),"responses": stats.get("response_received_count", 0), "elapsed": elapsed,
                          "stored": stats.get("store/new_page", 0), "plans": stats.get("parse/plans", 0),
                          "attachments": stats.get("store/attachment", 0),
                          "parse_ok": stats.get("parse/ok", 0),
                          "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                          "workers_rss_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                          "cpu_s": sum(os.times()[:4]), "main_cpu_s": sum(os.times()[:2])}))
        return 0
    from parser.scrape.server import serving

    EXTRA.extend(["--concurrency", str(args.concurrency)] + (["--workers", str(args.workers)]
                                                             if args.workers is not None else [])
                 + (["--no-extract"] if args.no_extract else []))

    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        site_dir = Path(tmp) / "site"
        listings = make_site(site_dir, args.pages, args.per_listing, args.attach_every)
        n_files = len(list((site_dir / "files").glob("*"))) if (site_dir / "files").exists() else 0
        print(f"site: {args.pages} article pages + {listings} listing pages + {n_files} attachments (.docx/.pdf); "
              f"concurrency {args.concurrency}; "
              f"ours: workers {args.workers if args.workers is not None else 'default'}, "
              f"{'structure only' if args.no_extract else 'full parse'}")
        pairs = []
        with serving(site_dir) as site:
            for n in range(args.repeat):       # bare and ours alternate so both see the same machine load
                bare = run_child("bare", site.url + "/index.html")
                ours = run_child("ours", site.url + "/index.html", str(Path(tmp) / f"corpus{n}"))
                pairs.append((bare, ours))
            shared = None
            if args.redis:
                from contextlib import nullcontext

                from parser.scrape.redis import local_redis

                with (local_redis() if args.redis == "local" else nullcontext(args.redis)) as redis_url:
                    shared = run_shared(2, site.url + "/index.html", str(Path(tmp) / "corpus-redis"), redis_url)
    ratios = []
    for n, (bare, ours) in enumerate(pairs, 1):
        rates = []
        for name, r in (("bare scrapy (download only)", bare), ("planparser scrape (extract+parse+store)", ours)):
            rate = r["responses"] / r["elapsed"] if r["elapsed"] else 0.0
            rates.append(rate)
            print(f"[{n}] {name:40s} {r['responses']:6d} responses in {r['elapsed']:7.1f} s = {rate:7.1f} pages/s, "
                  f"peak RSS {r['rss_mb']:.0f} MB (workers {r['workers_rss_mb']:.0f} MB), "
                  f"CPU {r['cpu_s']:.0f} s (crawl process {r['main_cpu_s']:.0f} s) incl. start-up"
                  + (f", stored {r['stored']} (attachments {r.get('attachments', 0)}), parsed ok {r['parse_ok']}, "
                     f"plans {r['plans']}" if "scrape" in name
                     else ""))
        ratios.append(rates[1] / rates[0] if rates[0] else 0.0)
    ratios.sort()
    if shared is not None:
        one = pairs[-1][1]
        one_rate = one["responses"] / one["elapsed"] if one["elapsed"] else 0.0
        two_rate = shared["responses"] / shared["elapsed"] if shared["elapsed"] else 0.0
        print(f"[redis] {'planparser scrape --redis (2 processes)':40s} {shared['responses']:6d} responses in "
              f"{shared['elapsed']:7.1f} s = {two_rate:7.1f} pages/s (per process {shared['per_process']}), "
              f"stored {shared['stored']}, parsed ok {shared['parse_ok']}, CPU {shared['cpu_s']:.0f} s")
        print(f"ratio two-process Redis / one-process = {two_rate / one_rate if one_rate else 0.0:.2f} "
              f"({two_rate:.1f} vs {one_rate:.1f} pages/s)")
    print(f"ratio ours/bare = {ratios[len(ratios) // 2]:.2f} median of {[round(r, 2) for r in ratios]} "
          f"(goal >= 0.50); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0

if __name__ == "__main__":
    raise SystemExit(main())
