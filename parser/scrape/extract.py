"""A fetched page → main text, title, publication date, breadcrumb and parsed plans.

Decoding trusts bytes over labels (header, <meta>, sniffing; gb2312 widened to gb18030); the
profile's selectors pick title/date/breadcrumb/content, else the general main-content method.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Optional

from parsel import Selector

from ..errors import PlanparserError
from ..ingest.decode import decode_bytes
from .profiles import Profile

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
                   r"(?:[ T]*(\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_DATE_VALUE = r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?(?:[ T]*\d{1,2}:\d{2}(?::\d{2})?)?"


@dataclass(frozen=True)
class PageRules:
    """How dates and breadcrumbs are found without selectors: the ``[page]`` table of generic.toml."""

    labelled: re.Pattern
    date_meta: frozenset[str]
    crumb_xpath: str


@lru_cache(maxsize=1)
def page_rules() -> PageRules:
    import tomllib

    from .profiles import BUNDLED

    with open(BUNDLED / "generic.toml", "rb") as fh:
        cfg = tomllib.load(fh).get("page", {})
    labels = "|".join(map(re.escape, sorted(cfg.get("date_labels", []), key=len, reverse=True))) or "发布时间"
    hints = cfg.get("breadcrumb_hints", []) or ["crumb"]
    crumb = " or ".join(f"contains(@{attr},'{h}')" for h in hints for attr in ("class", "id"))
    return PageRules(labelled=re.compile(rf"(?:{labels})\s*[:：]?\s*[\[【(（]?\s*({_DATE_VALUE})"),
                     date_meta=frozenset(m.lower() for m in cfg.get("date_meta", [])),
                     crumb_xpath=f"//*[{crumb}]")


_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200b\u202f\u205f]+")
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.I)


@dataclass
class Extracted:
    text: Optional[str]
    title: Optional[str] = None
    published: Optional[str] = None
    breadcrumb: Optional[str] = None
    encoding: Optional[str] = None
    parsed: Optional[bytes] = None         # contract JSON, UTF-8 (made here: cheap to hand between processes)
    plans: int = 0
    status: str = "ok"                      # ok | extract_error | parse_error | empty
    error: Optional[str] = None
    meta: dict[str, Any] = field(default_factory=dict)


def iso_date(text: str) -> Optional[str]:
    """The first date in ``text`` as YYYY-MM-DD (with THH:MM when a time follows), else None."""
    m = _DATE.search(text or "")
    if not m:
        return None
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not (1 <= mo <= 12 and 1 <= d <= 31):
        return None
    out = f"{y:04d}-{mo:02d}-{d:02d}"
    if m.group(4):
        out += f"T{int(m.group(4)):02d}:{m.group(5)}"
    return out


def _fold(s: str) -> str:
    return _WS.sub(" ", s or "").strip()


def _select(sel: Selector, query: str) -> list[Selector]:
    try:
        return list(sel.xpath(query[6:]) if query.startswith("xpath:") else sel.css(query))
    except Exception:  # a bad selector in a user profile must not stop the crawl
        return []


def _node_text(node: Selector) -> str:
    """An element's text, or an attribute's / text node's value."""
    if isinstance(node.root, str):
        return node.root
    return " ".join(node.xpath(".//text()").getall())


def _first_text(sel: Selector, queries) -> Optional[str]:
    for q in queries:
        for node in _select(sel, q):
            text = _fold(_node_text(node))
            if text:
                return text
    return None


def header_charset(content_type: Optional[str]) -> Optional[str]:
    m = _CHARSET.search(content_type or "")
    return m.group(1) if m else None


def decode_page(body: bytes, url: str, content_type: Optional[str], profile: Profile):
    """Decode with the profile's override first, then header/meta labels checked against the bytes."""
    from ..ingest.page import declared_charset

    if profile.encoding:
        try:
            return decode_bytes(body, url, declared=profile.encoding) if profile.encoding.lower().startswith(
                "utf") else _forced(body, profile.encoding)
        except (UnicodeDecodeError, LookupError, PlanparserError):
            pass
    declared = header_charset(content_type) or declared_charset(body)
    return decode_bytes(body, url, declared=declared)


def _forced(body: bytes, label: str):
    from ..ingest.decode import Decoded, canonical_encoding

    enc = canonical_encoding(label) or label
    return Decoded(body.decode(enc), enc)


def find_published(sel: Selector, profile: Profile) -> Optional[str]:
    """Publication date: profile selectors, <meta> tags, <time>, then a labelled date in the page."""
    rules = page_rules()
    for q in profile.date:
        for node in _select(sel, q):
            if iso_date(_node_text(node)):
                return iso_date(_node_text(node))
    for meta in sel.xpath("//meta[@content]"):
        key = (meta.attrib.get("name") or meta.attrib.get("property") or meta.attrib.get("itemprop") or "").lower()
        if key in rules.date_meta and iso_date(meta.attrib["content"]):
            return iso_date(meta.attrib["content"])
    for t in sel.xpath("//time/@datetime").getall():
        if iso_date(t):
            return iso_date(t)
    m = rules.labelled.search(_fold(" ".join(sel.xpath("//body//text()[not(ancestor::script)]").getall())))
    return iso_date(m.group(1)) if m else None


def find_breadcrumb(sel: Selector, profile: Profile) -> Optional[str]:
    crumb = _first_text(sel, profile.breadcrumb)
    if crumb:
        return crumb
    for node in sel.xpath(page_rules().crumb_xpath)[:3]:
        text = _fold(_node_text(node))
        if text and len(text) < 200:
            return text
    return None


def _main_text(html: str, url: str, sel: Selector, profile: Profile):
    """(body text, title) from the profile's content selector, else the main-content finder."""
    from ..ingest.maintext import extract_main

    for q in profile.content:
        nodes = _select(sel, q)
        if nodes and not isinstance(nodes[0].root, str):
            frag = "<html><body>" + "".join(n.get() for n in nodes) + "</body></html>"
            try:
                return extract_main(frag, url).text, None, None
            except PlanparserError:
                continue
    pg = extract_main(html, url)
    return pg.text, pg.title, getattr(pg, "published", None)


def _compose(title: Optional[str], body: str, breadcrumb: Optional[str] = None) -> str:
    """Title on the first line, then the body; the breadcrumb and an in-body repeat of the title are dropped."""
    crumb = _fold(breadcrumb) if breadcrumb else None
    lines = [ln for ln in body.split("\n") if not (crumb and _fold(ln) == crumb)]
    if title:
        while lines and not lines[0].strip():
            lines.pop(0)
        if lines and _fold(lines[0]) == _fold(title):
            lines.pop(0)
        lines.insert(0, title)
    return "\n".join(lines).strip("\n") + "\n"


def extract_html(html: str, url: str, profile: Profile) -> tuple[str, Optional[str], Optional[str], Optional[str]]:
    """(text, title, published, breadcrumb) of an HTML page."""
    sel = Selector(text=html)
    title = _first_text(sel, profile.title)
    breadcrumb = find_breadcrumb(sel, profile)
    published = find_published(sel, profile)
    for q in profile.furniture:
        for node in _select(sel, q):
            if not isinstance(node.root, str):
                node.drop()
    body, main_title, main_published = _main_text(sel.get() if profile.furniture else html, url, sel, profile)
    title = title or main_title or _fold(" ".join(sel.xpath("//title//text()").getall())) or None
    published = published or main_published
    return _compose(title, body, breadcrumb), title, published, breadcrumb


@lru_cache(maxsize=2)
def _parser(extract: bool):
    from ..pipeline import Options, Parser

    return Parser(Options(extract=extract))


def parse_text(text: str, url: str, doc_id: str, encoding: Optional[str], title: Optional[str],
               published: Optional[str], extract: bool = True) -> tuple[dict[str, Any], int]:
    """Run the core pipeline on a page's text; (contract JSON, number of plans)."""
    from ..ingest.read import make_document
    from ..tables.serialize import document_dict

    doc = make_document(text, url, doc_id=doc_id, encoding=encoding, page_title=title, published=published)
    doc = _parser(extract).parse(doc)
    return document_dict(doc), len(doc.plans)


def warm_up(extract: bool = True) -> None:
    """Import and initialise the parse pipeline once, before the crawl starts (seconds of imports and
    model set-up would otherwise stall the reactor on the first page)."""
    lines = ["一、总体要求", "坚持稳中求进，由区政协办公室牵头，邀请市人大常委会参加。", "（一）加强组织建设",
             "牵头单位：县妇联、团县委", "时间安排：3月中旬至6月底，每季度一次", "二、重点工作"]
    sample = ("<html><head><title>某社区2025年工作计划</title></head><body><h1>某社区2025年工作计划</h1>"
              + "".join(f"<p>{x}</p>" for x in lines) + "</body></html>")
    extract_page(sample.encode("utf-8"), "http://localhost/warm-up.html", "text/html", _generic(), "warm-up", extract)


def _generic():
    from .profiles import generic

    return generic()


def extract_document(body: bytes, url: str, doc_id: str, extract: bool = True, title_hint: Optional[str] = None,
                     published: Optional[str] = None) -> Extracted:
    """A document file's text (ingest.formats) and its plans; the title is the file's first line."""
    from ..ingest.formats import document_text

    try:
        got = document_text(body, url)
    except PlanparserError as e:
        return Extracted(text=None, status="extract_error", error=f"{type(e).__name__}: {e.reason}")
    except Exception as e:  # noqa: BLE001 - a reader's bug on one file is recorded, never fatal
        return Extracted(text=None, status="extract_error", error=f"{type(e).__name__}: {e}")
    first = next((ln.strip() for ln in got.text.split("\n") if ln.strip()), "")
    out = Extracted(text=got.text, title=first[:200] or title_hint, published=published, encoding=got.encoding,
                    meta={"format": got.format, "pages": got.pages})
    try:
        parsed, out.plans = parse_text(got.text, url, doc_id, got.encoding, title_hint or out.title, published,
                                       extract)
        out.parsed = json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except Exception as e:  # noqa: BLE001
        out.status, out.error = "parse_error", f"{type(e).__name__}: {e}"
    return out


def extract_page(body: bytes, url: str, content_type: Optional[str], profile: Profile, doc_id: str,
                 extract: bool = True, title_hint: Optional[str] = None, published: Optional[str] = None) -> Extracted:
    """Everything the store keeps about one page or document file; failures are reported in ``status``,
    never raised. ``title_hint`` and ``published`` (an attachment's link text, its article's date) help
    a document file that has no title or date of its own."""
    from ..ingest.formats import is_document_bytes

    if is_document_bytes(body, url):        # .pdf, .docx, .xlsx/.xls, an old .doc/.wps: not a page
        return extract_document(body, url, doc_id, extract, title_hint, published)
    try:
        dec = decode_page(body, url, content_type, profile)
        is_text = "text/plain" in (content_type or "") or url.lower().endswith((".txt", ".text"))
        if is_text:
            text = dec.text.replace("\r\n", "\n").replace("\r", "\n")
            title = next((ln.strip() for ln in text.split("\n") if ln.strip()), None)
            out = Extracted(text=text, title=title or title_hint, published=published, encoding=dec.encoding)
        else:
            text, title, published, crumb = extract_html(dec.text, url, profile)
            out = Extracted(text=text, title=title, published=published, breadcrumb=crumb, encoding=dec.encoding)
    except PlanparserError as e:
        return Extracted(text=None, status="extract_error", error=f"{type(e).__name__}: {e.reason}")
    except Exception as e:  # noqa: BLE001 - one odd page is recorded, never fatal to the crawl
        return Extracted(text=None, status="extract_error", error=f"{type(e).__name__}: {e}")
    if not out.text or not out.text.strip():
        out.status, out.error = "empty", "no main text found"
        return out
    try:
        parsed, out.plans = parse_text(out.text, url, doc_id, out.encoding, out.title, out.published, extract)
        out.parsed = json.dumps(parsed, ensure_ascii=False).encode("utf-8")
    except Exception as e:  # noqa: BLE001
        out.status, out.error = "parse_error", f"{type(e).__name__}: {e}"
    return out
