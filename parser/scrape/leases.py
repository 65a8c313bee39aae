"""A reliable shared queue for ``scrape --redis``: a request taken from the Redis queue is leased, not
removed, until its page is stored; the lease of a process that died goes back to the queue.

scrapy-redis pops a request and forgets it, so a killed process loses every request it had taken,
and marks a URL as seen before queueing it, so a kill in between loses that URL too. Here (the
"processing list" pattern of reliable Redis queues):

- ``push``: the duplicate filter's SADD and the queue's ZADD happen in one Lua script;
- ``pop``: moves the request from the queue into the ``leases`` hash (request → "score|owner|time")
  in one Lua script;
- ``ack(url)``: the page's outcome is committed in the catalogue (or a retry or redirect of it is
  queued), so its lease is deleted;
- ``reap``: leases whose owner's heartbeat (``alive``) is older than the lease timeout go back into
  the queue with their priority; ``release`` puts this process's own leases back (on shutdown).
"""
from __future__ import annotations

import os
import socket
import uuid
from functools import lru_cache

from scrapy_redis.queue import PriorityQueue
from scrapy_redis.scheduler import Scheduler

PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[2], ARGV[1]) == 0 then return 0 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
return 1
"""
POP = """
local items = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #items == 0 then return false end
redis.call('ZREM', KEYS[1], items[1])
redis.call('HSET', KEYS[2], items[1], items[2] .. '|' .. ARGV[1] .. '|' .. ARGV[2])
return items[1]
"""
# ARGV: now, timeout, owner ('' = every owner whose heartbeat is older than timeout; a tag = that owner's)
REQUEUE = """
local n = 0
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  local score, owner = string.match(all[i + 1], '^([^|]*)|([^|]*)|')
  local back
  if ARGV[3] ~= '' then
    back = (owner == ARGV[3])
  else
    local beat = redis.call('ZSCORE', KEYS[3], owner)
    back = (not beat) or (tonumber(beat) < tonumber(ARGV[1]) - tonumber(ARGV[2]))
  end
  if back then
    redis.call('ZADD', KEYS[1], score, all[i])
    redis.call('HDEL', KEYS[2], all[i])
    n = n + 1
  end
end
return n
"""


@lru_cache(maxsize=1)
def process_tag() -> str:
    """This process's name in the heartbeats and leases: host, pid and a random suffix."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def lease_keys(queue_key: str) -> tuple[str, str]:
    """(leases hash, heartbeat zset) beside a queue key ``PREFIX:requests``."""
    prefix = queue_key.rsplit(":", 1)[0]
    return f"{prefix}:leases", f"{prefix}:alive"


class LeasedQueue(PriorityQueue):
    """scrapy-redis's priority queue whose pop leases the request instead of deleting it."""

    def __init__(self, server, spider, key, serializer=None):
        super().__init__(server, spider, key, serializer)
        self.leases_key, self.alive_key = lease_keys(self.key)
        self.tag = process_tag()
        self.held: dict[str, set[bytes]] = {}       # url → requests this process leased for it
        self._push = server.register_script(PUSH)
        self._pop = server.register_script(POP)
        self._requeue = server.register_script(REQUEUE)

    def now(self) -> float:
        sec, usec = self.server.time()
        return sec + usec / 1e6

    def push_new(self, request, fingerprint: str = "") -> bool:
        """Queue ``request`` unless its fingerprint was seen (atomically with marking it seen)."""
        data = self._encode_request(request)
        return bool(self._push(keys=[self.key, self.spider_df_key], args=[fingerprint, -request.priority, data]))

    def push(self, request):
        self.push_new(request)

    def pop(self, timeout=0):
        data = self._pop(keys=[self.key, self.leases_key], args=[self.tag, f"{self.now():.3f}"])
        if not data:
            return None
        request = self._decode_request(data)
        self.held.setdefault(request.meta.get("pp_url") or request.url, set()).add(data)
        return request

    def ack(self, url: str) -> None:
        """The outcome of ``url`` is committed (or a follow-up request for it is queued): drop its leases."""
        held = self.held.pop(url, None)
        if held:
            self.server.hdel(self.leases_key, *held)

    def reap(self, timeout: float) -> int:
        """Put back the leases of processes silent for ``timeout`` seconds; how many went back."""
        return int(self._requeue(keys=[self.key, self.leases_key, self.alive_key],
                                 args=[f"{self.now():.3f}", timeout, ""]))

    def release(self) -> int:
        """Put this process's leases back into the queue (shutting down with work in flight)."""
        self.held.clear()
        return int(self._requeue(keys=[self.key, self.leases_key, self.alive_key], args=[0, 0, self.tag]))

    def drop_own(self) -> int:
        """Forget this process's leases (a finished crawl: nothing is in flight any more)."""
        n = sum(len(v) for v in self.held.values())
        for url in list(self.held):
            self.ack(url)
        return n

    def owners(self) -> dict[str, int]:
        """Leases per owner tag, over every process of the crawl."""
        out: dict[str, int] = {}
        for info in self.server.hvals(self.leases_key):
            owner = info.decode().split("|")[1]
            out[owner] = out.get(owner, 0) + 1
        return out


class LeasingScheduler(Scheduler):
    """scrapy-redis's scheduler with atomic seen-and-queue pushes and leased pops (``LeasedQueue``)."""

    def open(self, spider):
        super().open(spider)
        self.queue.spider_df_key = self.df.key
        spider.leases = self.queue

    def enqueue_request(self, request):
        fingerprint = "" if request.dont_filter else self.df.request_fingerprint(request)
        if not self.queue.push_new(request, fingerprint):
            self.df.log(request, self.spider)
            return False
        if self.stats:
            self.stats.inc_value("scheduler/enqueued/redis")
        if follows_up(request):                 # a retry or redirect now stands in the queue for the leased one
            self.queue.ack(request.meta["pp_url"])
        return True


def follows_up(request) -> bool:
    """A request made from one this process leased (a retry, a redirect, a listing asked for again without
    validators): queueing it settles the lease. Never a request the spider made anew (e.g. a pending row
    re-requested at start), which may be leased too."""
    meta = request.meta
    return bool(meta.get("pp_url")) and bool(meta.get("retry_times") or meta.get("redirect_urls")
                                             or meta.get("pp_refetch"))
