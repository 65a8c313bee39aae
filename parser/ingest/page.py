"""HTML → page text: one line per block (p, h1-h6, li, div blocks, br; a data-table row is one
line of TAB-separated cells), with the page's title, publication date and meta kept apart.

These are the building blocks of the main-content finder (maintext.py, which ``.html`` inputs go
through); this module imports nothing back from it. Settings: parser/data/page.toml.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Optional

from bs4 import BeautifulSoup, NavigableString, Tag

from ..errors import HtmlWithoutBody

BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "br", "table", "ul", "ol",
          "section", "article", "header", "footer", "nav", "blockquote", "pre", "dd", "dt", "dl",
          "form", "center", "hr", "main", "aside", "figure", "figcaption", "title"}
SKIP = {"script", "style", "noscript", "template", "iframe", "svg", "head", "select", "option",
        "button", "input", "textarea", "object", "embed", "canvas"}
CELLS = {"td", "th"}
_WS = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200b\u202f\u205f]+")


@dataclass
class Page:
    """A page made text: its title, its block lines joined by newlines, and what was seen on the way."""

    text: str
    title: Optional[str] = None
    published: Optional[str] = None
    encoding: Optional[str] = None
    meta: dict = field(default_factory=dict)


def _walk(node: Tag, out: list[str], buf: list[str]) -> None:
    """Depth-first over ``node`` without recursion (pages nest thousands deep): blocks flush lines."""
    stack: list[tuple] = [(iter(node.children), False)]     # (children iterator, flush when done)
    while stack:
        it, is_block = stack[-1]
        child = next(it, None)
        if child is None:
            stack.pop()
            if is_block:
                _flush(out, buf)
            continue
        if isinstance(child, NavigableString):
            if type(child).__name__ not in ("Comment", "Doctype", "CData", "ProcessingInstruction", "Declaration"):
                buf.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower() if child.name else ""
        if name in SKIP:
            continue
        if name == "br":
            _flush(out, buf)
        elif name == "tr" and _is_data_row(child):
            _flush(out, buf)
            cells = [" ".join(block_lines(td)) for td in child.find_all(CELLS, recursive=False)]
            filled = [c for c in cells if c]
            if len(filled) == 1:      # a layout row: one cell with text is a plain line
                out.append(filled[0])
            elif filled:
                out.append("\t".join(cells))
        elif name in CELLS:
            if buf and "".join(buf).strip():
                buf.append("\t")
            stack.append((iter(child.children), False))
        elif name in BLOCKS:
            _flush(out, buf)
            stack.append((iter(child.children), True))
        else:
            stack.append((iter(child.children), False))


DATA_CELL_CHARS = 100  # a table row whose cells are all this short is data: one line, cells TAB-separated


def _is_data_row(tr: Tag) -> bool:
    cells = tr.find_all(CELLS, recursive=False)
    if len(cells) < 2:
        return False
    for td in cells:
        if td.find("table") is not None or len(td.get_text(strip=True)) > DATA_CELL_CHARS:
            return False
    return True


def _flush(out: list[str], buf: list[str]) -> None:
    if not buf:
        return
    line = "".join(buf)
    buf.clear()
    cells = [(_WS.sub(" ", c)).strip() for c in line.split("\t")]
    line = "\t".join(c for c in cells if c)
    if line:
        out.append(line)


def block_lines(node: Tag) -> list[str]:
    """The text of ``node`` as one line per block element, white space folded inside lines."""
    out: list[str] = []
    buf: list[str] = []
    _walk(node, out, buf)
    _flush(out, buf)
    return out


def parse_html(html: str, source: str = "<html>") -> BeautifulSoup:
    """Parse with lxml (fast, forgiving); raises when there is no body text at all."""
    soup = BeautifulSoup(html, "lxml")
    if soup.body is None or not soup.body.get_text(strip=True):
        raise HtmlWithoutBody(source, "HTML has no <body> text to parse")
    return soup


def fold_ws(text: str) -> str:
    """Each run of white space (U+3000 aside) as one ASCII space, trimmed; U+3000 inside a line stays."""
    return _WS.sub(" ", text).strip(" \t\r\n\u3000")


@lru_cache(maxsize=1)
def page_settings() -> dict:
    """parser/data/page.toml: block tags, furniture patterns, date patterns and thresholds."""
    with open(Path(__file__).resolve().parents[1] / "data" / "page.toml", "rb") as fh:
        return tomllib.load(fh)


def _meta_values(soup: BeautifulSoup) -> dict[str, str]:
    out: dict[str, str] = {}
    for m in soup.find_all("meta"):
        key = (m.get("name") or m.get("property") or m.get("itemprop") or m.get("http-equiv") or "").strip().lower()
        val = m.get("content")
        if key and isinstance(val, str) and val.strip() and key not in out:
            out[key] = fold_ws(val)
    return out


def title_parts(raw: str) -> list[str]:
    """A <title> split on its site/channel separators (" _ 某某县人民政府", "--文化--人民网")."""
    sep = page_settings()["title"]["separators"]
    return [p for p in (fold_ws(x) for x in re.split(sep, raw)) if p]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _matches(text: str, part: str) -> bool:
    """``text`` (an element's) is the title ``part``, maybe cut short or with a short tail."""
    a, b = _squash(text), _squash(part)
    if len(a) < 4 or len(b) < 4:
        return False
    if a == b:
        return True
    short, long_ = (a, b) if len(a) < len(b) else (b, a)
    short = re.sub(page_settings()["title"]["truncated"], "", short)
    return long_.startswith(short) and len(short) >= 0.6 * len(long_)


def find_title(soup: BeautifulSoup) -> tuple[Optional[str], Optional[Tag]]:
    """The article title and the element that shows it (or None): the element whose text matches
    a part of <title>/og:title, preferring headings; else the meta title, the longest part, the h1."""
    meta = _meta_values(soup)
    raw = soup.title.get_text() if soup.title else ""
    sites = {meta.get(k, "") for k in ("sitename", "og:site_name", "site_name", "author")}
    parts: list[str] = []
    for src in (meta.get("articletitle", ""), raw, meta.get("og:title", ""), meta.get("title", "")):
        parts += [p for p in title_parts(src) if p not in parts and p not in sites]
    body = soup.body
    if body is not None and parts:
        found: list[tuple[int, int, int, Tag]] = []
        for order, el in enumerate(_title_candidates(body, parts)):
            text = el.get_text(" ", strip=True)
            if not text or len(text) > 200:
                continue
            matched = [len(p) for p in parts if _matches(text, p)]
            if matched:
                rank = 0 if el.name in ("h1", "h2", "h3") else 1 if "title" in class_id(el) else 2
                found.append((-max(matched), rank, order, el))
        if found:
            found.sort(key=lambda x: x[:3])
            el = found[0][3]
            while len(el.contents) == 1 and isinstance(el.contents[0], Tag):
                el = el.contents[0]  # innermost wrapper with the same text
            return fold_ws(el.get_text(" ")), _outermost_same(el)
    if meta.get("articletitle"):
        return meta["articletitle"], None
    h1 = body.find("h1") if body is not None else None
    if h1 is not None and fold_ws(h1.get_text()):
        return fold_ws(h1.get_text()), h1
    if parts:
        return max(parts, key=len), None
    return None, None


def _title_candidates(body: Tag, parts: list[str]) -> list[Tag]:
    """Headings, elements with "title" in their class/id, and holders of a string that is a title part."""
    keys = {_squash(p)[:4] for p in parts if len(_squash(p)) >= 4}
    out: list[Tag] = []
    seen: set[int] = set()
    for el in body.find_all(True):
        if el.name in SKIP:
            continue
        if re.fullmatch(r"h[1-6]", el.name) or "title" in class_id(el):
            if id(el) not in seen:
                seen.add(id(el))
                out.append(el)
            continue
        for child in el.children:
            if isinstance(child, NavigableString) and type(child).__name__ == "NavigableString" \
                    and _squash(str(child))[:4] in keys and id(el) not in seen:
                seen.add(id(el))
                out.append(el)
                break
    return out


def _outermost_same(el: Tag) -> Tag:
    """The outermost ancestor that holds exactly the text of ``el`` (its wrappers)."""
    text = _squash(el.get_text())
    while el.parent is not None and el.parent.name not in ("body", "[document]") \
            and _squash(el.parent.get_text()) == text:
        el = el.parent
    return el


def class_id(el: Tag) -> str:
    cls = el.get("class") or []
    if isinstance(cls, str):
        cls = [cls]
    return (" ".join(cls) + " " + (el.get("id") or "")).lower()


def page_title(soup: BeautifulSoup) -> Optional[str]:
    """The article title: the heading that matches <title>, else <title> minus its site suffix."""
    return find_title(soup)[0]


_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")


def iso_date(text: str) -> Optional[str]:
    """The first full date in ``text`` as YYYY-MM-DD (a plausible one), or None."""
    for m in _DATE.finditer(text or ""):
        y, mo, d = (int(g) for g in m.groups())
        if 1990 <= y <= 2100 and 1 <= mo <= 12 and 1 <= d <= 31:
            return f"{y:04d}-{mo:02d}-{d:02d}"
    return None


def meta_published(soup: BeautifulSoup) -> Optional[str]:
    """The publication date from <meta> tags (article:published_time, PubDate …) as YYYY-MM-DD."""
    meta = _meta_values(soup)
    for name in page_settings()["published"]["meta"]:
        if name in meta and iso_date(meta[name]):
            return iso_date(meta[name])
    return None


def labelled_date(lines: list[str]) -> Optional[str]:
    """The date of a publication line ("发布时间：2023-05-12") among ``lines``."""
    label = re.compile(page_settings()["published"]["labels"] + r"\d{4}")
    for line in lines:
        m = label.search(line)
        if m and iso_date(line[m.start():]):
            return iso_date(line[m.start():])
    return None


def bare_date(lines: list[str]) -> Optional[str]:
    """A full date standing in a short line that is not a sentence (a header's date line)."""
    for line in lines:
        if len(line) < 80 and iso_date(line) and not re.search(r"[，。；]", line):
            return iso_date(line)
    return None


def page_meta(soup: BeautifulSoup) -> dict:
    """Page-level facts kept beside the text: site name, column, source, breadcrumb (when shown)."""
    meta = _meta_values(soup)
    out = {}
    for key, name in (("site", "sitename"), ("site", "og:site_name"), ("column", "columnname"),
                      ("source", "contentsource"), ("description", "description")):
        if meta.get(name) and key not in out:
            out[key] = meta[name]
    crumb = re.compile(page_settings()["boilerplate"]["breadcrumb"])
    body = soup.body
    if body is not None:
        for el in body.find_all(True):
            if el.name in SKIP:
                continue
            if crumb.search(class_id(el)):
                text = fold_ws(el.get_text(" "))
                if 2 < len(text) <= 200:
                    out["breadcrumb"] = text
                    break
    return out


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def declared_charset(data: bytes) -> Optional[str]:
    """The charset a page declares in its <meta> (the first 4 KB), if any."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None
