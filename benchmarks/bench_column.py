"""A column of real plan texts behind realistic site furniture, crawled as a user would: how much of it
is stored, whether the stored texts keep the plans' headings and leave the furniture out, and what a
re-run adds.

    uv run python benchmarks/bench_column.py [--shared ../shared] [--per-page 15] [--keep DIR]

The texts are ../shared/eval/dev*/NAME.txt (read at run time, never copied into the project); each is
wrapped in a generated article page (navigation, breadcrumb, publication line, share and print bars,
a related-articles box, footer), every fifth one is published as a "详见附件" stub with the text in a
.docx and every seventh as a .pdf (made here with python-docx and reportlab). Generated news items
are mixed in. Listing titles are the gold plan titles, some in Traditional characters, some cut
short with "…". Three columns, paginated with 下一页 links, a createPageHTML script and numbered links.

Figures: stored share of listed articles and attachments; heading recall of the stored texts (gold
heading lines found as lines; and parsed sections matching gold marker+title, beside the same parse of
the clean .txt, measured in the same run); furniture phrases leaked into stored texts; rows a re-run adds;
and main-text F1 on the generated article pages (pages no extractor was tuned on) of ours beside
trafilatura and readability-lxml, scored as bench_extract.py scores ../shared/pages.
"""
from __future__ import annotations

import argparse
import html
import json
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks._common import SHARED  # noqa: E402

NAV = ("<div class='header'><div class='logo'>青禾区人民政府</div><ul class='menu'><li><a href='/'>网站首页</a></li>"
       "<li><a href='/jgzn/'>机构概况</a></li><li><a href='/zwgk/'>政务公开</a></li><li><a href='/hdjl/'>互动交流</a></li>"
       "<li><a href='/bsfw/'>办事服务</a></li></ul></div>")
FOOT = ("<div class='footer'><p>版权所有：青禾区人民政府办公室 地址：青禾区人民路1号 联系电话：0000-12345678</p>"
        "<p>ICP备12345678号 网站标识码：0000000001</p></div>")
SIDE = ("<div class='sidebar'><h3>热点推荐</h3><ul class='hot'><li><a href='/zwgk/hot1.html'>全区经济运行情况通报</a></li>"
        "<li><a href='/zwgk/hot2.html'>全力推进重大项目建设见成效</a></li><li><a href='/zwgk/hot3.html'>我区召开安全生产专题会议</a></li>"
        "</ul></div>")
FURNITURE = ["网站首页", "机构概况", "当前位置", "浏览次数", "分享到", "打印本页", "关闭窗口", "相关文章", "版权所有",
             "ICP备", "网站标识码", "热点推荐", "0000-12345678", "上一篇", "下一篇"]
NEWS = ["区政协召开十届五次常委会议", "区领导走访慰问困难群众", "全区安全生产工作会议召开", "委员风采：扎根基层二十年",
        "区人大常委会开展执法检查", "我区举办文明实践志愿服务培训"]


def load_docs(shared: Path) -> list[dict]:
    docs = []
    for gold in sorted((shared / "eval").glob("dev*/*.json")):
        txt = gold.with_suffix(".txt")
        if not txt.exists():
            continue
        g = json.loads(gold.read_text("utf-8"))
        text = txt.read_text("utf-8")
        lines = text.split("\n")
        title = (g.get("plans") or [{}])[0].get("title") or next((ln.strip() for ln in lines if ln.strip()), gold.stem)
        heads = [(h["marker"], h["title"], lines[h["line"]]) for h in g.get("headings", []) if h["line"] < len(lines)]
        start = min((p.get("line", 0) for p in g.get("plans", [])), default=0)   # page furniture stands above it
        docs.append({"name": f"{gold.parent.name}-{gold.stem}", "text": text, "title": title.strip(), "heads": heads,
                     "start": start})
    return docs


def article(title: str, body_html: str, date: str, related: list[str]) -> str:
    rel = "".join(f"<li><a href='/zwgk/rel{i}.html'>{html.escape(t)}</a></li>" for i, t in enumerate(related))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}_青禾区人民政府</title>"
            f"</head><body>{NAV}<div class='wrap'><div class='crumb'>当前位置：<a href='/'>首页</a> &gt; "
            f"<a href='/zwgk/'>政务公开</a> &gt; 计划总结</div><div class='article'><h1 class='title'>"
            f"{html.escape(title)}</h1><div class='info'>发布时间：{date} 来源：区政府办 浏览次数：123 "
            f"<span class='share'>分享到：微信 微博</span></div><div class='content'>{body_html}</div>"
            f"<div class='tools'>【<a href='javascript:window.print()'>打印本页</a>】【<a href='javascript:window.close()'>"
            f"关闭窗口</a>】</div><div class='prevnext'><p>上一篇：<a href='/zwgk/p.html'>关于做好防汛工作的通知</a></p>"
            f"<p>下一篇：<a href='/zwgk/n.html'>区政府常务会议纪要</a></p></div></div>"
            f"<div class='related'><h3>相关文章</h3><ul>{rel}</ul></div></div>{SIDE}{FOOT}</body></html>")


def listing(items: list[tuple[str, str, str, str]], pager: str, style: str) -> str:
    def a(u, t, full):
        return f"<a href='{u}' title='{html.escape(full)}' target='_blank'>{html.escape(t)}</a>"
    if style == "table":
        block = "<table class='list'><tbody>" + "".join(
            f"<tr><td>{a(u, t, f)}</td><td class='date'>{d}</td></tr>" for u, t, f, d in items) + "</tbody></table>"
    elif style == "div":
        block = "<div class='newslist'>" + "".join(
            f"<div class='row'>{a(u, t, f)}<span class='time'>{d}</span></div>" for u, t, f, d in items) + "</div>"
    else:
        block = "".join("<ul class='list'>" + "".join(f"<li>{a(u, t, f)}<span>{d}</span></li>"
                                                      for u, t, f, d in items[k:k + 5]) + "</ul>"
                        for k in range(0, len(items), 5))
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>计划总结_青禾区人民政府</title></head><body>{NAV}"
            f"<div class='crumb'>当前位置：首页 &gt; 政务公开 &gt; 计划总结</div><div class='column'>{block}</div>"
            f"<div class='pager'>{pager}</div>{SIDE}{FOOT}</body></html>")


def build(root: Path, docs: list[dict], per_page: int) -> dict:
    """The site; returns what each listed URL is (a gold doc, a stub with a file, or news)."""
    import docx
    from opencc import OpenCC

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import pdf_bytes      # the reportlab page maker of the tests (STSong-Light CID font)

    s2t = OpenCC("s2t")
    (root / "files").mkdir(parents=True)
    entries: list[dict] = []
    for i, d in enumerate(docs):
        entries.append({"kind": "doc", "doc": d, "file": "docx" if i % 5 == 1 else "pdf" if i % 7 == 3 else None})
        if i % 12 == 5:
            entries.append({"kind": "news", "title": NEWS[(i // 12) % len(NEWS)] + f"（{i}）"})
    truth: dict[str, dict] = {}
    columns = (("jhzj", "ul"), ("tzgg", "table"), ("gzdt", "div"))
    per_col = (len(entries) + 2) // 3
    for c, (folder, style) in enumerate(columns):
        (root / folder / "a").mkdir(parents=True)
        chunk = entries[c * per_col:(c + 1) * per_col]
        items = []
        for k, e in enumerate(chunk):
            n = c * per_col + k
            url = f"/{folder}/a/t2024{n:04d}_{n}.html"
            date = f"2024-{k % 12 + 1:02d}-{k % 27 + 1:02d}"
            if e["kind"] == "news":
                title = e["title"]
                body = "".join(f"<p>{x}</p>" for x in ("近日，区政协召开会议，听取有关工作情况汇报。", "会议要求，各单位要认真抓好落实。"))
                truth[url] = {"kind": "news"}
            else:
                d = e["doc"]
                title = d["title"]
                if e["file"]:
                    fname = f"/files/{d['name']}.{e['file']}"
                    lines = [ln.strip() for ln in d["text"].split("\n") if ln.strip()]
                    data = _docx(docx, lines) if e["file"] == "docx" else pdf_bytes(lines, per_line=32)
                    (root / fname.lstrip("/")).write_bytes(data)
                    body = (f"<p>现将《{html.escape(title)}》印发给你们，请结合实际认真贯彻落实。</p><p>详见附件。</p>"
                            f"<p>附件：<a href='{fname}'>{html.escape(title)}.{e['file']}</a></p>")
                    truth[url] = {"kind": "stub", "doc": d["name"], "file": fname}
                    truth[fname] = {"kind": "file", "doc": d["name"]}
                else:
                    body = "".join(f"<p>{html.escape(ln)}</p>" for ln in d["text"].split("\n") if ln.strip())
                    truth[url] = {"kind": "doc", "doc": d["name"]}
            related = [x["doc"]["title"] if x["kind"] == "doc" else x["title"] for x in chunk[k + 1:k + 6]]
            (root / url.lstrip("/")).write_text(article(title, body, date, related), "utf-8")
            shown = s2t.convert(title) if n % 4 == 0 else title
            cut = shown[:16] + "…" if len(shown) > 22 else shown
            items.append((url, cut, shown, date))
        pages = [items[p:p + per_page] for p in range(0, len(items), per_page)]
        for p, page_items in enumerate(pages):
            if c == 0:
                pager = (f"<a href='index_{p + 1}.html'>下一页</a>" if p + 1 < len(pages) else "") + f" 共{len(pages)}页"
                name = "index.html" if p == 0 else f"index_{p}.html"
            elif c == 1:
                pager = f"<script>createPageHTML({len(pages)}, {p}, \"index\", \"html\");</script>"
                name = "index.html" if p == 0 else f"index_{p}.html"
            else:
                pager = " ".join(f"<a href='list_{q + 1}.html'>{q + 1}</a>" for q in range(len(pages)))
                name = f"list_{p + 1}.html"
            (root / folder / name).write_text(listing(page_items, pager, style), "utf-8")
    return truth


def _docx(docx, lines: list[str]) -> bytes:
    import io

    document = docx.Document()
    for ln in lines:
        document.add_paragraph(ln)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def extraction_pages(site_dir: Path, truth: dict, docs: dict, out: Path) -> int:
    """NAME.html + gold NAME.txt (title, then one paragraph a line from the first plan's line on: the source
    pages' own furniture above it is not main text) for every article page holding a plan."""
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for url, t in truth.items():
        if t["kind"] != "doc":
            continue
        d = docs[t["doc"]]
        lines = [ln.strip() for ln in d["text"].split("\n")[d["start"]:] if ln.strip()]
        if lines and re.sub(r"\s", "", lines[0]) == re.sub(r"\s", "", d["title"]):
            lines = lines[1:]                        # an in-body repeat of the title is not kept
        (out / f"{t['doc']}.html").write_bytes((site_dir / url.lstrip("/")).read_bytes())
        (out / f"{t['doc']}.txt").write_text("\n".join([d["title"], *lines]) + "\n", "utf-8")
        n += 1
    return n


def compare_extractors(pages: Path) -> dict[str, float]:
    """Average main-text F1 per tool (bench_extract.run), its per-page table left out."""
    import contextlib
    import io

    from benchmarks.bench_extract import run

    with contextlib.redirect_stdout(io.StringIO()):
        return run(pages, direct=True)


def crawl(site_url: str, corpus: Path) -> tuple[int, float]:
    starts = [f"{site_url}/jhzj/index.html", f"{site_url}/tzgg/index.html", f"{site_url}/gzdt/list_1.html"]
    t0 = time.monotonic()
    res = subprocess.run([sys.executable, "-m", "parser.scrape", "scrape", *starts, "--corpus", str(corpus),
                          "--delay", "0", "--no-throttle", "--progress", "0", "--concurrency", "8", "--no-extract",
                          "--max-pages", "0"], cwd=ROOT, capture_output=True, text=True, timeout=1800)
    if res.returncode != 0:
        raise SystemExit(f"crawl failed ({res.returncode}):\n{res.stderr[-3000:]}")
    return res.returncode, time.monotonic() - t0


def _key(s: str) -> str:
    return re.sub(r"\s", "", s)


def section_pairs(parsed: dict) -> Counter:
    return Counter((s["marker"], _key(s["title"])) for p in parsed.get("plans", []) for s in p.get("sections", []))


def gold_pairs(heads) -> Counter:
    return Counter((m, _key(t)) for m, t, _ in heads)


def score(corpus: Path, site_url: str, truth: dict, docs: dict) -> dict:
    from parser.ingest.read import make_document
    from parser.pipeline import Options, Parser
    from parser.tables.serialize import document_dict

    db = sqlite3.connect(corpus / "catalog.sqlite")
    db.row_factory = sqlite3.Row
    rows = {r["url"][len(site_url):]: dict(r) for r in db.execute("SELECT * FROM pages")}
    listed = [u for u, t in truth.items() if t["kind"] != "file"]
    files = [u for u, t in truth.items() if t["kind"] == "file"]
    ok_listed = [u for u in listed if u in rows and rows[u]["text_path"]]
    ok_files = [u for u in files if u in rows and rows[u]["text_path"]]
    parser = Parser(Options(extract=False))
    line_hits = line_total = sec_hits = base_hits = sec_total = 0
    leaks: list[tuple[str, str]] = []
    per_kind = Counter()
    for url, t in truth.items():
        if t["kind"] not in ("doc", "file"):
            continue
        d = docs[t["doc"]]
        row = rows.get(url)
        if not row or not row["text_path"]:
            continue
        text = (corpus / row["text_path"]).read_text("utf-8")
        lines = {_key(ln) for ln in text.split("\n")}
        found = sum(1 for _, _, line in d["heads"] if _key(line) in lines)
        line_hits += found
        line_total += len(d["heads"])
        per_kind[("file" if t["kind"] == "file" else "html", "hit")] += found
        per_kind[("file" if t["kind"] == "file" else "html", "all")] += len(d["heads"])
        gold = gold_pairs(d["heads"])
        parsed = json.loads((corpus / row["parsed_path"]).read_text("utf-8")) if row["parsed_path"] else {}
        sec_hits += sum((section_pairs(parsed) & gold).values())
        base = document_dict(parser.parse(make_document(d["text"], d["name"])))
        base_hits += sum((section_pairs(base) & gold).values())
        sec_total += sum(gold.values())
        for phrase in FURNITURE:
            if phrase in text and phrase not in d["text"]:
                leaks.append((url, phrase))
    for url, t in truth.items():
        if t["kind"] == "news" and url in rows and rows[url]["text_path"]:
            text = (corpus / rows[url]["text_path"]).read_text("utf-8")
            leaks += [(url, p) for p in FURNITURE if p in text]
    return {"listed": len(listed), "listed_stored": len(ok_listed), "files": len(files), "files_stored": len(ok_files),
            "heading_lines_recall": line_hits / line_total if line_total else 0.0, "heading_lines": line_total,
            "html_lines_recall": per_kind[("html", "hit")] / max(1, per_kind[("html", "all")]),
            "file_lines_recall": per_kind[("file", "hit")] / max(1, per_kind[("file", "all")]),
            "sections_recall": sec_hits / sec_total if sec_total else 0.0,
            "sections_recall_clean_txt": base_hits / sec_total if sec_total else 0.0,
            "furniture_leaks": len(leaks), "leak_examples": leaks[:5], "rows": len(rows)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", default=str(SHARED))
    ap.add_argument("--per-page", type=int, default=15)
    ap.add_argument("--keep", default=None, help="build the site and corpus in this folder and keep them")
    args = ap.parse_args()
    shared = Path(args.shared)
    if not (shared / "eval").is_dir():
        print(f"skipped: {shared}/eval is not there")
        return 0
    from parser.scrape.server import serving

    docs = load_docs(shared)
    with tempfile.TemporaryDirectory(prefix="bench-column-") as tmp:
        work = Path(args.keep) if args.keep else Path(tmp)
        site_dir, corpus = work / "site", work / "corpus"
        truth = build(site_dir, docs, args.per_page)
        with serving(site_dir) as site:
            _, t1 = crawl(site.url, corpus)
            first = score(corpus, site.url, truth, {d["name"]: d for d in docs})
            _, t2 = crawl(site.url, corpus)
            rows2 = sqlite3.connect(corpus / "catalog.sqlite").execute("SELECT COUNT(*) FROM pages").fetchone()[0]
        n_pages = extraction_pages(site_dir, truth, {d["name"]: d for d in docs}, work / "extract")
        means = compare_extractors(work / "extract")
    f = first
    print(f"site: {f['listed']} listed articles ({len(docs)} real plan texts, the rest news), {f['files']} attachments")
    print(f"stored: {f['listed_stored']}/{f['listed']} listed articles = {f['listed_stored'] / f['listed']:.1%}, "
          f"{f['files_stored']}/{f['files']} attachments; first crawl {t1:.1f} s")
    print(f"heading lines kept in stored texts: {f['heading_lines_recall']:.3f} of {f['heading_lines']} "
          f"(HTML pages {f['html_lines_recall']:.3f}, .docx/.pdf attachments {f['file_lines_recall']:.3f})")
    print(f"parsed sections matching gold marker+title: {f['sections_recall']:.3f} on stored texts vs "
          f"{f['sections_recall_clean_txt']:.3f} on the clean .txt (ratio "
          f"{f['sections_recall'] / f['sections_recall_clean_txt'] if f['sections_recall_clean_txt'] else 0:.3f})")
    print(f"furniture phrases leaked into stored texts: {f['furniture_leaks']} {f['leak_examples']}")
    print(f"re-run: {rows2 - f['rows']} rows added ({t2:.1f} s)")
    print(f"main-text F1 on the {n_pages} generated article pages (ours-direct: the main text the crawl stores; "
          f"ours: `parse --format text`, which also drops tables of contents and paywall lines): "
          + ", ".join(f"{tool} {score:.3f}" for tool, score in means.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
