"""HTML → page text: one line per block (p, h1-h6, li, tr, div blocks, br), page title kept apart.

This is the general path used for ``.html`` inputs; a site profile's selectors or the
main-content finder narrow the page first when they are configured.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from bs4 import BeautifulSoup, NavigableString, Tag

from .errors import HtmlWithoutBody

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
    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child).__name__ in ("Comment", "Doctype", "CData", "ProcessingInstruction", "Declaration"):
                continue
            buf.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name.lower() if child.name else ""
        if name in SKIP:
            continue
        if name == "br":
            _flush(out, buf)
            continue
        if name in CELLS:
            if buf and "".join(buf).strip():
                buf.append("\t")
            _walk(child, out, buf)
            continue
        if name in BLOCKS:
            _flush(out, buf)
            _walk(child, out, buf)
            _flush(out, buf)
        else:
            _walk(child, out, buf)


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


def page_title(soup: BeautifulSoup) -> Optional[str]:
    """The document's <title>, or its first <h1>, trimmed."""
    if soup.title and soup.title.get_text(strip=True):
        return _WS.sub(" ", soup.title.get_text()).strip()
    h1 = soup.find("h1")
    return _WS.sub(" ", h1.get_text()).strip() if h1 else None


def html_to_page(html: str, source: str = "<html>") -> Page:
    """The whole body as block lines (the general path, no main-content narrowing)."""
    soup = parse_html(html, source)
    return Page(text="\n".join(block_lines(soup.body)), title=page_title(soup))


_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_\-]+)""", re.I)


def declared_charset(data: bytes) -> Optional[str]:
    """The charset a page declares in its <meta> (the first 4 KB), if any."""
    m = _META_CHARSET.search(data[:4096])
    return m.group(1).decode("ascii") if m else None
