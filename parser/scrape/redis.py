"""A crawl shared through Redis (``planparser scrape --redis URL``): several processes or machines
pull requests from one Redis queue and one duplicate filter (scrapy-redis), so each URL is fetched once.

Every key starts with one prefix per corpus and profile (``planparser:PROFILE:CORPUS`` unless
``--redis-key`` names it). The queue persists while any process works; a process exits once the
queue stayed empty, with no other process busy, for ``PLANPARSER_REDIS_IDLE`` seconds, and the
last process out of a finished crawl deletes the keys so the next crawl of the corpus starts afresh.
A request taken from the queue stays leased until its page is stored (``leases.py``); the leases of
a process silent for ``PLANPARSER_REDIS_LEASE`` seconds (killed) go back to the queue.
"""
from __future__ import annotations

import re
import shutil
import socket
import subprocess
import tempfile
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Optional

from scrapy import signals
from scrapy.exceptions import DontCloseSpider, NotConfigured
from twisted.internet import task

POLL = 0.2          # seconds between this process's heartbeats and nudges to look at the shared queue
STALE = 5.0         # a process whose heartbeat is older than this is taken as gone / not busy


def quiet_scrapy_redis() -> None:
    """scrapy-redis 0.9.1 predates Scrapy 2.19's APIs: hide the deprecation warnings that come from it."""
    from scrapy.exceptions import ScrapyDeprecationWarning

    warnings.filterwarnings("ignore", category=ScrapyDeprecationWarning, module=r"scrapy_redis(\..*)?$")


def redis_key(corpus: str | Path, profile: str) -> str:
    """The default key prefix: one per corpus folder (its name, so other machines agree) and profile."""
    name = Path(corpus).resolve().name or "corpus"
    return "planparser:" + ":".join(_clean(x) for x in (profile or "generic", name))


def _clean(part: str) -> str:
    # scrapy-redis %-formats its keys (twice): no '%' and no spaces in a prefix
    return re.sub(r"[%\s]+", "_", part.strip()) or "_"


def keys(prefix: str) -> dict[str, str]:
    """The Redis keys of one shared crawl."""
    return {"requests": f"{prefix}:requests", "dupefilter": f"{prefix}:dupefilter",
            "alive": f"{prefix}:alive", "busy": f"{prefix}:busy", "leases": f"{prefix}:leases"}


def redis_settings(url: str, prefix: str, idle: float, lease: float = 30.0) -> dict[str, Any]:
    """Scrapy settings that put the scheduler's queue and duplicate filter in Redis (no JOBDIR)."""
    k = keys(_clean(prefix))
    return {
        "SCHEDULER": "parser.scrape.leases.LeasingScheduler",
        "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
        "SCHEDULER_QUEUE_CLASS": "parser.scrape.leases.LeasedQueue",
        "SCHEDULER_PERSIST": True,          # a process that finishes must not wipe the queue of the others
        "SCHEDULER_IDLE_BEFORE_CLOSE": 0,   # never a blocking pop: it would stall the reactor
        "SCHEDULER_QUEUE_KEY": k["requests"],
        "SCHEDULER_DUPEFILTER_KEY": k["dupefilter"],
        "REDIS_URL": url,
        "PLANPARSER_REDIS_URL": url,
        "PLANPARSER_REDIS_KEY": _clean(prefix),
        "PLANPARSER_REDIS_IDLE": float(idle),
        "PLANPARSER_REDIS_LEASE": float(lease),
        "EXTENSIONS": {"parser.scrape.redis.SharedQueueWatch": 510},
    }


def connect(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=30, socket_connect_timeout=30, retry_on_timeout=True)


def clear(url: str, prefix: str) -> int:
    """Forget a shared crawl (``--fresh``): delete its queue, duplicate filter and heartbeats."""
    server = connect(url)
    try:
        return int(server.delete(*keys(_clean(prefix)).values()))
    finally:
        server.close()


def check(url: str) -> Optional[str]:
    """None when Redis answers at ``url``, else a message saying what went wrong."""
    try:
        server = connect(url)
        try:
            server.ping()
        finally:
            server.close()
    except Exception as e:  # noqa: BLE001 - any failure becomes one clear message
        return f"cannot reach Redis at {url}: {type(e).__name__}: {e}"
    return None


def redis_server_binary() -> Optional[str]:
    return shutil.which("redis-server") or next((p for p in ("/usr/bin/redis-server", "/usr/local/bin/redis-server")
                                                 if Path(p).exists()), None)


@contextmanager
def local_redis(binary: Optional[str] = None) -> Iterator[str]:
    """A throw-away redis-server on a free port of 127.0.0.1 (no persistence, in a temporary folder) for
    tests and the benchmark; yields its URL. FileNotFoundError when there is no redis-server."""
    binary = binary or redis_server_binary()
    if binary is None:
        raise FileNotFoundError("redis-server not found: apt-get install redis-server")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with tempfile.TemporaryDirectory(prefix="planparser-redis-") as work:
        proc = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly",
                                 "no", "--dir", work], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        url = f"redis://127.0.0.1:{port}/0"
        try:
            for _ in range(200):
                if check(url) is None:
                    break
                if proc.poll() is not None:
                    raise RuntimeError(f"redis-server exited with {proc.returncode}")
                time.sleep(0.05)
            else:
                raise RuntimeError("redis-server did not answer within 10 s")
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


class SharedQueueWatch:
    """Keeps a process of a shared crawl open while the Redis queue holds requests, another process is
    busy or a silent process's leases may come back; closes it after ``idle`` seconds of empty queue,
    puts its leases back when it stops early, and clears the keys of a finished crawl."""

    def __init__(self, crawler, server, prefix: str, idle: float, tag: str, lease: float = 30.0):
        self.crawler = crawler
        self.server = server
        self.keys = keys(prefix)
        self.idle = idle
        self.lease = lease
        self.tag = tag
        self.idle_since: Optional[float] = None
        self.loop: Optional[task.LoopingCall] = None
        self.ticks = 0

    @classmethod
    def from_crawler(cls, crawler) -> "SharedQueueWatch":
        from .leases import process_tag

        s = crawler.settings
        if not s.get("PLANPARSER_REDIS_URL"):
            raise NotConfigured
        ext = cls(crawler, connect(s["PLANPARSER_REDIS_URL"]), s["PLANPARSER_REDIS_KEY"],
                  s.getfloat("PLANPARSER_REDIS_IDLE", 10.0), process_tag(), s.getfloat("PLANPARSER_REDIS_LEASE", 30.0))
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.idle_check, signal=signals.spider_idle)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def now(self) -> float:
        """Redis's clock, so processes on machines with different clocks agree."""
        sec, usec = self.server.time()
        return sec + usec / 1e6

    def queued(self) -> int:
        return int(self.server.zcard(self.keys["requests"]))

    def others(self, key: str, now: float) -> int:
        """Other processes whose heartbeat in ``key`` is fresh (entries silent for an hour are dropped)."""
        self.server.zremrangebyscore(key, "-inf", now - max(3600.0, 2 * self.lease))
        return sum(1 for m in self.server.zrangebyscore(key, now - STALE, "+inf") if m.decode() != self.tag)

    def silent_leases(self, now: float) -> int:
        """Leases held by other processes that went silent: they come back to the queue after ``lease`` s."""
        leases = getattr(self.crawler.spider, "leases", None)
        if leases is None:
            return 0
        n = 0
        for owner, count in leases.owners().items():
            beat = self.server.zscore(self.keys["alive"], owner) if owner != self.tag else now
            if beat is None or beat < now - STALE:
                n += count
        return n

    def reap(self) -> None:
        leases = getattr(self.crawler.spider, "leases", None)
        if leases is not None:
            back = leases.reap(self.lease)
            if back:
                self.crawler.stats.inc_value("redis/leases_requeued", back)

    def opened(self, spider) -> None:
        self.tick()
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(POLL, now=False)

    def tick(self) -> None:
        """Heartbeat (alive; busy unless idle), dead processes' leases back to the queue about once a second,
        and a nudge to the engine to look at the shared queue."""
        try:
            now = self.now()
            self.server.zadd(self.keys["alive"], {self.tag: now})
            self.ticks += 1
            if self.ticks % 5 == 0:
                self.reap()
            engine = self.crawler.engine
            if engine is None or getattr(engine, "_slot", None) is None:
                return
            if engine.spider_is_idle():
                self.server.zrem(self.keys["busy"], self.tag)
            else:
                self.server.zadd(self.keys["busy"], {self.tag: now})
            # pull from the shared queue now: the engine itself looks again only every 5 s once the queue
            # ran dry, and other processes may have filled it since
            engine._slot.nextcall.schedule()
        except Exception as e:  # noqa: BLE001 - a Redis hiccup is logged; the next tick tries again
            self.crawler.stats.inc_value("redis/tick_error")
            self.crawler.spider.logger.warning("redis heartbeat failed: %s: %s", type(e).__name__, e)

    def idle_check(self, spider) -> None:
        """spider_idle: stay open while work may still come; close after ``idle`` quiet seconds."""
        now = self.now()
        self.reap()
        if self.queued() or self.others(self.keys["busy"], now) or self.silent_leases(now):
            self.idle_since = None
            raise DontCloseSpider
        if self.idle_since is None:
            self.idle_since = now
        if now - self.idle_since < self.idle:
            raise DontCloseSpider
        self.crawler.stats.set_value("redis/idle_exit_after", round(now - self.idle_since, 1))

    def closed(self, spider, reason: str) -> None:
        """Own leases: dropped when the crawl finished (nothing is in flight), else put back for the others."""
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        try:
            leases = getattr(spider, "leases", None)
            if leases is not None:
                if reason == "finished":
                    self.crawler.stats.set_value("redis/leases_dropped", leases.drop_own())
                else:
                    self.crawler.stats.set_value("redis/leases_released", leases.release())
            self.server.zrem(self.keys["busy"], self.tag)
            self.server.zrem(self.keys["alive"], self.tag)
            if reason == "finished" and not self.queued() and not self.server.hlen(self.keys["leases"]) \
                    and not self.others(self.keys["alive"], self.now()):
                self.server.delete(*self.keys.values())     # the last one out: the next crawl starts afresh
                self.crawler.stats.set_value("redis/cleared", 1)
        finally:
            self.server.close()
