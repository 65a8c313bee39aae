"""Back-off before retries: doubling, capped, and a longer Retry-After honoured."""
from parser.scrape.middlewares import backoff_delay
from parser.scrape.settings import resolve, scrapy_settings


def test_backoff_doubles_and_is_capped():
    assert [backoff_delay(n, 1.0, 30.0) for n in (1, 2, 3, 6)] == [1.0, 2.0, 4.0, 30.0]


def test_retry_after_wins_when_longer_but_not_over_the_cap():
    assert backoff_delay(1, 1.0, 30.0, "10") == 10.0
    assert backoff_delay(3, 1.0, 30.0, "2") == 4.0
    assert backoff_delay(1, 1.0, 30.0, "3600") == 30.0
    assert backoff_delay(1, 1.0, 30.0, "Wed, 21 Oct 2015 07:28:00 GMT") == 1.0


def test_settings_are_polite_by_default_and_flags_switch_off():
    s = scrapy_settings(resolve())
    assert s["ROBOTSTXT_OBEY"] and s["AUTOTHROTTLE_ENABLED"] and s["DOWNLOAD_DELAY"] >= 1
    assert s["USER_AGENT"].startswith("planparser/0.1 (+")
    assert s["DOWNLOADER_MIDDLEWARES"]["parser.scrape.middlewares.BackoffRetryMiddleware"] == 550
    fast = scrapy_settings(resolve({"PLANPARSER_OBEY_ROBOTS": False, "PLANPARSER_AUTOTHROTTLE": False,
                                    "PLANPARSER_DELAY": 0.0}))
    assert not fast["ROBOTSTXT_OBEY"] and not fast["AUTOTHROTTLE_ENABLED"] and fast["DOWNLOAD_DELAY"] == 0
