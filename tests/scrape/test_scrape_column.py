"""A whole column crawled end to end on a site built here (127.0.0.1): 45 articles over three columns
paginated three ways (下一页 links, a createPageHTML script, numbered links), Traditional and news titles,
a sitemap.xml, and attachments (.docx and .pdf made with the libraries, a broken PDF, a 404, an old .doc).
Every article and attachment is stored once, and a re-run adds nothing."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pytest

from parser.ingest.formats import OLE_MAGIC
from parser.scrape.server import serving

ROOT = Path(__file__).resolve().parents[2]
FAST = ["--delay", "0", "--no-throttle", "--progress", "0", "--concurrency", "8"]

TITLES = ["某市人大常委會2019年監督工作計劃", "代表视察活动通知", "学雷锋志愿服务活动方案", "县委常委会审议通过政协年度协商计划",
          "区政协召开十届五次常委会议", "石塘镇2024年工作要点", "文化站2025年工作安排", "街道2025年工作打算",
          "社区2025年工作思路", "關於印發《2023年工作要點》的通知", "区政协领导赴乡镇走访慰问", "青禾区2024年重点工作任务清单",
          "委员风采：扎根基层二十年", "区科协2025年实施方案", "县妇联2024年工作计划"]
NAV = ('<div class="nav"><a href="/">首页</a> <a href="/about.html">机构概况</a> <a href="/zwgk.html">政务公开</a>'
       ' <a href="/contact.html">联系我们</a></div>')
SIDE = ('<div class="side"><h3>热点推荐</h3><ul class="hot"><li><a href="/hot/1.html">全区经济运行情况通报</a></li>'
        '<li><a href="/hot/2.html">全力推进项目建设见成效</a></li><li><a href="/hot/3.html">我区召开安全生产会议</a></li>'
        '</ul></div>')
FOOT = '<div class="footer">版权所有：青禾区人民政府 联系电话：0000-1234567</div>'
PLAN_LINES = ["一、总体要求", "坚持稳中求进，由区政协办公室牵头，邀请区人大常委会参加。", "二、重点工作",
              "（一）加强组织建设", "每季度召开一次工作例会，6月中旬开展专项督查。", "（二）做好民生实事",
              "年内完成五项民生项目。"]
DOCX_PLAN = ["青禾区2024年工作要点", "一、指导思想", "坚持以人民为中心的发展思想，推动各项工作落实。", "二、主要任务",
             "（一）开展专题协商", "围绕乡村振兴开展专题协商，由区政协办公室牵头。", "（二）加强民主监督", "三、保障措施"]
PDF_PLAN = ["重点任务分解表", "一、优化营商环境", "每月召开一次企业座谈会，由区发改委牵头组织。",
            "二、推进城乡建设", "年底前完成老旧小区改造十个。"]


def page(title: str, body: str, date: str = "2024-03-01") -> str:
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}_青禾区</title></head><body>{NAV}"
            f"<div class='crumb'>当前位置：首页 &gt; 计划总结</div><div class='main'><h1>{title}</h1>"
            f"<div class='info'>发布时间：{date}</div><div id='zoom'>{body}</div></div>{SIDE}{FOOT}</body></html>")


def listing(items: list[tuple[str, str, str]], pager: str, style: str) -> str:
    if style == "table":
        rows = "".join(f"<tr><td><a href='{u}' title='{t}'>{t}</a></td><td>{d}</td></tr>" for u, t, d in items)
        block = f"<table class='tab'><tbody>{rows}</tbody></table>"
    elif style == "div":
        block = "<div class='news'>" + "".join(f"<div class='item'><a href='{u}'>{t}</a><em>{d}</em></div>"
                                               for u, t, d in items) + "</div>"
    else:                                       # TRS prints five items per <ul>
        block = "".join("<ul class='list'>" + "".join(f"<li><a href='{u}'>{t}</a><span>{d}</span></li>"
                                                      for u, t, d in items[k:k + 5]) + "</ul>"
                        for k in range(0, len(items), 5))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>计划总结_青禾区</title></head><body>{NAV}"
            f"<div class='crumb'>当前位置：首页 &gt; 计划总结</div><div class='content'>{block}</div>"
            f"<div class='pager'>{pager}</div>{SIDE}{FOOT}</body></html>")


def build_site(root: Path, docs) -> dict:
    """Three columns of 15 articles, 5 a page; attachments on some articles. Returns what was built."""
    files = root / "files"
    files.mkdir(parents=True)
    (files / "gzyd.docx").write_bytes(docs.docx(DOCX_PLAN))
    (files / "rwfj.pdf").write_bytes(docs.pdf(PDF_PLAN))
    (files / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R")
    (files / "old.doc").write_bytes(OLE_MAGIC + b"\0" * 3000)
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n", "utf-8")
    attach = {  # article number → its attachment links
        2: [("/files/gzyd.docx", "附件：2024年工作要点.docx")],
        9: [("/files/gzyd.docx", "附件1：2024年工作要点.docx"), ("/files/rwfj.pdf", "附件2：重点任务分解表.pdf")],
        20: [("/files/broken.pdf", "附件：实施细则.pdf")],
        31: [("/files/missing.docx", "附件：活动安排表.docx")],
        40: [("/files/old.doc", "附件：工作计划.doc")],
    }
    articles, stubs = [], {2}
    for col, (folder, style) in enumerate((("jhzj", "ul"), ("tzgg", "table"), ("gzdt", "div"))):
        (root / folder / "a").mkdir(parents=True)
        items = []
        for k in range(15):
            n = col * 15 + k
            title = TITLES[k] if col == 0 else f"{TITLES[k][:-2]}（{n}）{TITLES[k][-2:]}"
            links = "".join(f"<p><a href='{u}'>{name}</a></p>" for u, name in attach.get(n, []))
            if n in stubs:
                body = "<p>现将《2024年工作要点》印发给你们，请认真贯彻落实。详见附件。</p>" + links
            else:
                body = "".join(f"<p>{x}</p>" for x in PLAN_LINES) + f"<p>（编号{n}）</p>" + links
            url = f"/{folder}/a/t2024{n:04d}_{n}.html"
            (root / url.lstrip("/")).write_text(page(title, body), "utf-8")
            items.append((url, title, f"2024-03-{k + 1:02d}"))
            articles.append(url)
        if col == 2:    # a list entry that is the file itself
            (files / "msss.pdf").write_bytes(docs.pdf(["青禾区2024年民生实事项目安排"] + PLAN_LINES))
            items.insert(7, ("/files/msss.pdf", "青禾区2024年民生实事项目安排", "2024-03-20"))
            articles.append("/files/msss.pdf")
        for p in range(3):
            chunk = items[p * 5:(p + 1) * 5 + (1 if col == 2 and p == 1 else 0)]
            if col == 2 and p == 2:
                chunk = items[11:]
            if col == 0:    # next-page links
                pager = f"<a href='index_{p + 1}.html'>下一页</a>" if p < 2 else "<span>下一页</span>"
                name = "index.html" if p == 0 else f"index_{p}.html"
            elif col == 1:  # the pager is written by script only
                pager = f"<script>createPageHTML(3, {p}, \"index\", \"html\");</script>"
                name = "index.html" if p == 0 else f"index_{p}.html"
            else:           # numbered links 1 2 3
                pager = " ".join(f"<a href='list_{q + 1}.html'>{q + 1}</a>" for q in range(3))
                name = f"list_{p + 1}.html"
            (root / folder / name).write_text(listing(chunk, pager, style), "utf-8")
    orphan = "/jhzj/a/t20249999_9999.html"     # only in sitemap.xml
    (root / orphan.lstrip("/")).write_text(page("区政协2024年调研工作计划", "<p>一、调研重点</p><p>开展调研。</p>"), "utf-8")
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<url><loc>{{SITE}}{u}</loc></url>" for u in (orphan, articles[0], "/hot/1.html"))
        + "</urlset>", "utf-8")
    return {"articles": articles + [orphan], "stubs": stubs}


def crawl(site_url: str, corpus: Path, *extra: str) -> subprocess.CompletedProcess:
    starts = [f"{site_url}/jhzj/index.html", f"{site_url}/tzgg/index.html", f"{site_url}/gzdt/list_1.html"]
    return subprocess.run([sys.executable, "-m", "parser.scrape", "scrape", *starts, "--corpus", str(corpus),
                           *FAST, *extra], cwd=ROOT, capture_output=True, text=True, timeout=600)


def rows(corpus: Path) -> list[dict]:
    with closing(sqlite3.connect(corpus / "catalog.sqlite")) as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM pages ORDER BY url, version")]


@pytest.fixture(scope="module")
def column(tmp_path_factory):
    from conftest import docx_bytes, pdf_bytes      # the document makers, for a module-scoped site
    from types import SimpleNamespace

    tmp = tmp_path_factory.mktemp("column")
    built = build_site(tmp / "site", SimpleNamespace(docx=docx_bytes, pdf=pdf_bytes))
    corpus = tmp / "corpus"
    with serving(tmp / "site") as site:
        sm = tmp / "site" / "sitemap.xml"
        sm.write_text(sm.read_text("utf-8").replace("{SITE}", site.url), "utf-8")
        first = crawl(site.url, corpus)
        hits1 = list(site.hits)
        rows1 = rows(corpus)
        with closing(sqlite3.connect(corpus / "catalog.sqlite")) as db:
            links1 = db.execute("SELECT COUNT(*) FROM attachments").fetchone()[0]
        second = crawl(site.url, corpus)
        hits2 = site.hits[len(hits1):]
        url = site.url
    return {"built": built, "corpus": corpus, "url": url, "first": first, "second": second, "hits1": hits1,
            "hits2": hits2, "rows1": rows1, "rows2": rows(corpus), "links1": links1}


def by_path(column, rows_key="rows1") -> dict[str, dict]:
    return {r["url"][len(column["url"]):]: r for r in column[rows_key]}


def test_every_listed_article_is_stored_once_whatever_its_title(column):
    assert column["first"].returncode == 0, column["first"].stderr
    got = by_path(column)
    missing = [u for u in column["built"]["articles"] if u not in got]
    assert missing == []
    assert len(column["built"]["articles"]) == 47
    assert len(column["rows1"]) == len({r["url"] for r in column["rows1"]})        # one row per URL
    titles = {r["title"] for r in column["rows1"]}
    assert "某市人大常委會2019年監督工作計劃" in titles and "区政协召开十届五次常委会议" in titles   # Traditional, news


def test_three_pagination_styles_and_the_sitemap_were_followed(column):
    paths = {p for _, p, _ in column["hits1"]}
    assert {"/jhzj/index_1.html", "/jhzj/index_2.html", "/tzgg/index_1.html", "/tzgg/index_2.html",
            "/gzdt/list_2.html", "/gzdt/list_3.html", "/sitemap.xml"} <= paths
    assert "/jhzj/a/t20249999_9999.html" in paths                        # found only in sitemap.xml
    assert "/hot/1.html" not in paths                                    # sitemap entry outside the column
    for furniture in ("/about.html", "/zwgk.html", "/contact.html", "/hot/2.html"):
        assert furniture not in paths, furniture                         # navigation and side boxes


def test_stored_texts_hold_the_article_not_the_furniture(column):
    got = by_path(column)
    store_root = column["corpus"]
    for path in column["built"]["articles"][:15]:
        text = (store_root / got[path]["text_path"]).read_text("utf-8")
        assert "版权所有" not in text and "热点推荐" not in text and "机构概况" not in text
    text = (store_root / got["/jhzj/a/t20240000_0.html"]["text_path"]).read_text("utf-8")
    assert text.startswith("某市人大常委會2019年監督工作計劃\n") and "（一）加强组织建设" in text


def test_attachments_are_stored_once_and_tied_to_their_articles(column):
    got = by_path(column)
    docx, pdf = got["/files/gzyd.docx"], got["/files/rwfj.pdf"]
    assert docx["parse_status"] == "ok" and docx["title"] == "青禾区2024年工作要点" and docx["plans"] >= 1
    parsed = json.loads((column["corpus"] / docx["parsed_path"]).read_text("utf-8"))
    text = (column["corpus"] / docx["text_path"]).read_text("utf-8")
    sections = parsed["plans"][0]["sections"]
    assert [s["marker"] for s in sections] == ["一、", "二、", "（一）", "（二）", "三、"]
    for s in sections:
        assert text[s["span"][0]:s["span"][1]].startswith(s["marker"] + s["title"])
    assert pdf["parse_status"] == "ok" and "每月召开一次企业座谈会，由区发改委牵头组织。" in \
        (column["corpus"] / pdf["text_path"]).read_text("utf-8")
    db = sqlite3.connect(column["corpus"] / "catalog.sqlite")
    linked = db.execute("SELECT page_url FROM attachments WHERE url LIKE '%/files/gzyd.docx'").fetchall()
    assert len(linked) == 2                                              # two articles, one stored file
    assert [p for _, p, s in column["hits1"] if p == "/files/gzyd.docx"] == ["/files/gzyd.docx"]


def test_a_list_entry_that_is_a_pdf_is_read_as_one(column):
    direct = by_path(column)["/files/msss.pdf"]
    assert direct["parse_status"] == "ok" and direct["plans"] == 1 and direct["title"] == "青禾区2024年民生实事项目安排"
    text = (column["corpus"] / direct["text_path"]).read_text("utf-8")
    assert "（一）加强组织建设\n" in text


def test_a_see_attachment_article_hands_its_plan_to_the_file(column):
    stub = by_path(column)["/jhzj/a/t20240002_2.html"]
    assert stub["parse_status"] == "in_attachment" and stub["plans"] == 0
    parsed = json.loads((column["corpus"] / stub["parsed_path"]).read_text("utf-8"))
    assert parsed["plans"] == [] and parsed["plans_in_attachments"][0].endswith("/files/gzyd.docx")


def test_bad_attachments_are_recorded_with_their_reason(column):
    got = by_path(column)
    assert got["/files/missing.docx"]["status"] == 404 and got["/files/missing.docx"]["parse_status"] == "fetch_error"
    broken = got["/files/broken.pdf"]
    assert broken["parse_status"] == "extract_error" and "not a readable PDF" in broken["parse_error"]
    assert broken["content_hash"]                                        # the raw bytes are kept
    old = got["/files/old.doc"]
    assert old["parse_status"] == "extract_error" and "unsupported format" in old["parse_error"]
    assert "attachments (2 unreadable)" in column["first"].stderr


def test_a_rerun_adds_nothing(column):
    assert column["second"].returncode == 0, column["second"].stderr
    assert len(column["rows2"]) == len(column["rows1"])
    with closing(sqlite3.connect(column["corpus"] / "catalog.sqlite")) as db:
        assert db.execute("SELECT COUNT(*) FROM attachments").fetchone()[0] == column["links1"]
    assert "0 new pages, 0 new versions" in column["second"].stderr
    assert not [p for _, p, s in column["hits2"] if s == 200 and p.startswith(("/jhzj/a/", "/files/"))]


def test_tables_count_the_files_plan_once_and_not_the_stub(column, tmp_path):
    import shutil

    import pandas as pd

    from parser.scrape.update import update_tables

    corpus = tmp_path / "corpus"
    with closing(sqlite3.connect(column["corpus"] / "catalog.sqlite")) as db:    # the WAL into the file
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copytree(column["corpus"], corpus, ignore=shutil.ignore_patterns("*.sqlite-wal", "*.sqlite-shm"))
    update_tables(corpus)
    plans = pd.read_parquet(corpus / "tables" / "plans.parquet")
    got = by_path(column)
    assert got["/files/gzyd.docx"]["doc_id"] in set(plans["doc_id"])
    assert got["/jhzj/a/t20240002_2.html"]["doc_id"] not in set(plans["doc_id"])      # the 见附件 stub
    assert got["/files/broken.pdf"]["doc_id"] not in set(plans["doc_id"])
    sections = pd.read_parquet(corpus / "tables" / "sections.parquet")
    docx_sections = sections[sections["doc_id"] == got["/files/gzyd.docx"]["doc_id"]]
    assert list(docx_sections["marker"]) == ["一、", "二、", "（一）", "（二）", "三、"]


def test_corpus_check_passes_a_column_with_attachments(column):
    # a crawled column (attachment files, "详见附件" stubs, failed files) is no damaged corpus
    done = subprocess.run([sys.executable, "-m", "parser.scrape", "corpus", "check", "--corpus", str(column["corpus"]),
                           "--format", "jsonl"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr


def test_corpus_repair_remakes_the_text_and_json_of_attachment_files(column, tmp_path):
    import shutil

    corpus = tmp_path / "corpus"
    with closing(sqlite3.connect(column["corpus"] / "catalog.sqlite")) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copytree(column["corpus"], corpus, ignore=shutil.ignore_patterns("*.sqlite-wal", "*.sqlite-shm"))
    files = [r for r in rows(corpus) if r["url"].endswith((".docx", ".pdf")) and r["parse_status"] == "ok"]
    assert files
    before = {}
    for r in files:
        for key in ("text_path", "parsed_path"):
            path = corpus / r[key]
            before[path] = path.read_bytes()
        (corpus / r["text_path"]).unlink()
        (corpus / r["parsed_path"]).write_bytes(before[corpus / r["parsed_path"]][:40])
    check = [sys.executable, "-m", "parser.scrape", "corpus", "check", "--corpus", str(corpus), "--delay", "0"]
    assert subprocess.run(check, cwd=ROOT, capture_output=True, text=True, timeout=300).returncode == 1
    fixed = subprocess.run([*check, "--repair"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    for p, data in before.items():
        if p.suffix == ".json":
            got, want = json.loads(p.read_bytes()), json.loads(data)
            assert {k: (v, want[k]) for k, v in got.items() if v != want[k]} == {}, p
        assert p.read_bytes() == data, p


def test_every_attachment_file_carries_its_articles_date(column):
    # a file is often fetched while its article is still being stored: it waits for the article's row
    with closing(sqlite3.connect(column["corpus"] / "catalog.sqlite")) as db:
        pairs = db.execute("SELECT f.published, a.published FROM attachments l "
                           "JOIN pages f ON f.url = l.url JOIN pages a ON a.url = l.page_url "
                           "WHERE f.parse_status = 'ok' AND a.published IS NOT NULL").fetchall()
    assert pairs and all(file_date == article_date for file_date, article_date in pairs)
