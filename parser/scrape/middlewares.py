"""Retries with exponential back-off (and Retry-After) instead of Scrapy's immediate re-queue, so a
struggling server gets time: 1 s, 2 s, 4 s … up to a cap, per retried request."""
from __future__ import annotations

import asyncio
from typing import Optional

from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Request, Response


def backoff_delay(attempt: int, base: float, cap: float, retry_after: Optional[str] = None) -> float:
    """Seconds to wait before retry number ``attempt`` (1-based); a numeric Retry-After wins if longer."""
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    if retry_after and retry_after.strip().isdigit():
        delay = max(delay, min(cap, float(retry_after.strip())))
    return delay


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that sleeps ``PLANPARSER_RETRY_BACKOFF × 2^(n-1)`` seconds before retry n."""

    def __init__(self, settings):
        super().__init__(settings)
        self.base = settings.getfloat("PLANPARSER_RETRY_BACKOFF", 1.0)
        self.cap = settings.getfloat("PLANPARSER_RETRY_BACKOFF_MAX", 30.0)

    async def _wait(self, retry: Optional[Request], retry_after: Optional[str] = None) -> None:
        if retry is None or self.base <= 0:
            return
        delay = backoff_delay(int(retry.meta.get("retry_times", 1)), self.base, self.cap, retry_after)
        self.crawler.stats.inc_value("retry/backoff_seconds", delay)
        await asyncio.sleep(delay)

    async def process_response(self, request: Request, response: Response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, f"HTTP {response.status}")
        if retry is None:
            return response
        ra = response.headers.get("Retry-After")
        await self._wait(retry, ra.decode("latin-1") if ra else None)
        return retry

    async def process_exception(self, request: Request, exception: Exception, spider=None):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get("dont_retry", False):
            return None
        retry = self._retry(request, exception)
        await self._wait(retry)
        return retry
