"""Attachment links, the "详见附件" stub rule and the catalogue table that ties files to articles."""
from __future__ import annotations

import json

from parser.scrape import attachments as attach
from parser.scrape.store import CorpusStore

BASE = "http://www.a.gov.cn/jhzj/t20240101_1.html"


def test_files_are_found_by_suffix_or_link_text_on_the_site_only():
    anchors = [("/f/要点.DOCX", "附件1：2024年工作要点"), ("download.jsp?id=9", "重点任务分解表.xlsx"),
               ("http://file.a.gov.cn/u/x.wps", "方案"), ("http://b.gov.cn/x.pdf", "外站.pdf"),
               ("/f/要点.DOCX#p2", "again"), ("t20240102_2.html", "下一篇"), ("/f/pic.jpg", "图片")]
    got = attach.find_attachments(BASE, anchors, ["www.a.gov.cn"])
    assert [(a.url.replace("http://www.a.gov.cn", ""), a.name) for a in got] == [
        ("/f/要点.DOCX", "附件1：2024年工作要点"), ("/jhzj/download.jsp?id=9", "重点任务分解表.xlsx"),
        ("http://file.a.gov.cn/u/x.wps", "方案")]
    assert attach.title_from_name("附件1：2023年工作要点.docx") == "2023年工作要点"
    assert attach.title_from_name("《实施方案》.pdf") == "实施方案"


def test_only_a_short_pointing_article_is_a_stub():
    stub = "关于印发2024年工作要点的通知\n各单位：\n现将《2024年工作要点》印发给你们，详见附件。\n附件：2024年工作要点.docx\n"
    assert attach.is_stub(stub, 1)
    assert not attach.is_stub(stub, 0)                                   # no file: nothing to hand over
    full = "2024年工作要点\n一、总体要求\n" + "坚持稳中求进，统筹推进各项工作。" * 20 + "\n附件：分解表.xlsx\n"
    assert not attach.is_stub(full, 1)                                   # a plan with a file beside it
    short_plan = "工作安排\n一、学习\n每月一次。\n附件1：报名表.docx\n"
    assert not attach.is_stub(short_plan, 1)                             # short, but does not point to the file
    parsed = json.loads(attach.stub_parsed(json.dumps({"plans": [{"title": "x"}]}).encode(), ["u"]))
    assert parsed == {"plans": [], "plans_in_attachments": ["u"]}


def test_links_are_kept_once_and_read_both_ways(tmp_path):
    store = CorpusStore(tmp_path)
    attach.ensure_schema(store)
    attach.ensure_schema(store)                                          # idempotent on an existing catalogue
    files = [attach.Attachment("http://a/f1.docx", "f1"), attach.Attachment("http://a/f2.pdf", "f2")]
    assert attach.link(store, "http://a/p1.html", files) == 2
    assert attach.link(store, "http://a/p1.html", files) == 0            # a re-run adds nothing
    assert attach.link(store, "http://a/p2.html", files[:1]) == 1
    assert attach.attachments_of(store, "http://a/p1.html") == ["http://a/f1.docx", "http://a/f2.pdf"]
    assert attach.attached_to(store, "http://a/f1.docx") == ["http://a/p1.html", "http://a/p2.html"]
    store.close()


def test_a_file_waits_for_its_article_stored_by_another_process(tmp_path):
    """A file whose article is still queued (taken by another --redis process, or back from a killed one's
    lease) is stored once the article's row is there, with its date; an article that never comes is waited
    for ``article_wait`` seconds, then the file goes on without it."""
    import asyncio
    from collections import Counter
    from types import SimpleNamespace

    from parser.scrape.frontier import Entry
    from parser.scrape.pipelines import StorePipeline
    from parser.scrape.store import Fetched

    article, lost = "http://x.gov.cn/a/p1.html", "http://x.gov.cn/a/p2.html"
    counts = Counter()
    stats = SimpleNamespace(inc_value=lambda key, n=1: counts.update({key: n}))
    store, other = CorpusStore(tmp_path), CorpusStore(tmp_path)        # two processes' connections
    store.enqueue([Entry(article, "article", 1), Entry(lost, "article", 1)])

    async def stored_elsewhere():
        waiting = asyncio.ensure_future(StorePipeline(stats, article_wait=60)._article_elsewhere(store, article))
        await asyncio.sleep(0.5)
        assert not waiting.done()                                       # the article is still to come
        other.record_page(Fetched(url=article, final_url=article, status=200, body=b"<p>x</p>",
                                  published="2025-03-01"), other.start_run("scrape", "generic"), "generic")
        await asyncio.wait_for(waiting, 30)

    asyncio.run(stored_elsewhere())
    assert attach.hints(store, article, "附件：2025年工作计划.docx") == ("2025年工作计划", "2025-03-01")
    asyncio.run(StorePipeline(stats, article_wait=0.3)._article_elsewhere(store, lost))
    assert counts["store/attachment_waited"] == 2 and counts["store/attachment_without_article"] == 1
    store.close()
    other.close()
