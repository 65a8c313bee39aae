"""One progress line for long crawls: pages fetched, pages/min, stored, unchanged, failed.

On a terminal the line is rewritten in place; elsewhere one line is logged per interval.
"""
from __future__ import annotations

import sys
import time
from typing import Optional, TextIO

from scrapy import signals
from scrapy.exceptions import NotConfigured
from twisted.internet import task


class ProgressLine:
    """A Scrapy extension switched off by ``PLANPARSER_PROGRESS_INTERVAL = 0``."""

    def __init__(self, stats, interval: float, stream: Optional[TextIO] = None):
        self.stats = stats
        self.interval = interval
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.loop: Optional[task.LoopingCall] = None

    @classmethod
    def from_crawler(cls, crawler) -> "ProgressLine":
        interval = crawler.settings.getfloat("PLANPARSER_PROGRESS_INTERVAL", 5.0)
        if interval <= 0:
            raise NotConfigured
        ext = cls(crawler.stats, interval)
        crawler.signals.connect(ext.opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def line(self) -> str:
        g = self.stats.get_value
        pages = g("response_received_count", 0)
        minutes = max(time.monotonic() - self.started, 1e-6) / 60
        stored = g("store/new_page", 0) + g("store/new_version", 0)
        same = g("store/skipped_unchanged", 0) + g("store/skipped_not_modified", 0)
        return (f"planparser: {pages} pages ({pages / minutes:.0f}/min) · stored {stored} · unchanged {same} · "
                f"failed {g('store/failed', 0)} · plans {g('parse/plans', 0)}")

    def tick(self) -> None:
        if self.tty:
            self.stream.write("\r" + self.line() + "\x1b[K")
        else:
            self.stream.write(self.line() + "\n")
        self.stream.flush()

    def opened(self, spider) -> None:
        self.started = time.monotonic()
        self.loop = task.LoopingCall(self.tick)
        self.loop.start(self.interval, now=False)

    def closed(self, spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.tty:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
