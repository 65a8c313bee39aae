"""The main-content finder: a page's article text as block lines, with title and publication date.

A staged cascade in the manner of trafilatura, with no site names: (1) read title, date and
breadcrumb while the page is whole; (2) drop furniture (nav/header/footer/aside tags, elements
whose class/id look like share bars, pagers, related boxes …); (3) score containers by the
paragraphs they hold (punctuation, length, few links) and keep the best with its good siblings;
(4) clean the lines (publication lines, editor credits, toolbars, an in-body repeat of the title).
A site profile's ``selectors`` replace stage (3) and add furniture to stage (2).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from .page import (Page, class_id, bare_date, block_lines, find_title, fold_ws, iso_date, labelled_date,
                   meta_published, page_meta, page_settings, parse_html)

_SKIP_STRINGS = ("Comment", "Doctype", "CData", "ProcessingInstruction", "Declaration")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)


@lru_cache(maxsize=1)
def _compiled() -> dict:
    cfg = page_settings()
    lines = cfg["lines"]
    return {
        "drop_tags": frozenset(cfg["tags"]["drop"]),
        "inline": frozenset(cfg["tags"]["inline"]),
        "strong": re.compile("|".join(f"(?:{p})" for p in cfg["boilerplate"]["strong"])),
        "weak": re.compile("|".join(f"(?:{p})" for p in cfg["boilerplate"]["weak"])),
        "anywhere": [re.compile(p) for p in lines["anywhere"]],
        "edge": [re.compile(p) for p in lines["edge"]],
        "tail": [re.compile(p) for p in lines["tail"]],
        "original_title": re.compile(lines["original_title"]),
        "tokens": re.compile(lines["tokens"]),
        "truncated": re.compile(cfg["title"]["truncated"]),
        "breadcrumb_line": re.compile(cfg["boilerplate"]["breadcrumb_line"]),
        "punct": frozenset(cfg["scoring"]["punctuation"]),
    }


def _chars(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


# ---------------------------------------------------------------- stage 2: furniture

def drop_furniture(body: Tag, extra: Optional[list[str]] = None) -> None:
    """Remove furniture in place: dropped tags, hidden elements, boilerplate class/id, ``extra`` selectors.

    A strong match (share bar, pager, related box, comments …) goes unless it holds more than
    ``protect_share`` of the page's text; a weak one (nav, header, toolbar …) or a hidden element
    (``display:none`` menus; also script-revealed articles, hence the check) stays when it reads
    like an article (many full stops, few links).
    """
    rx = _compiled()
    for c in body.find_all(string=lambda s: isinstance(s, Comment)):
        c.extract()
    for el in body.find_all(list(rx["drop_tags"])):
        el.decompose()
    for sel in extra or []:
        for el in body.select(sel):
            el.decompose()
    total = _chars(body.get_text()) or 1
    doomed: list[Tag] = []
    stack = [c for c in body.children if isinstance(c, Tag)]
    while stack:                      # top-down: what is inside a removed element is not visited
        el = stack.pop()
        style = el.get("style") or ""
        names = class_id(el)
        hidden = isinstance(style, str) and _HIDDEN.search(style) is not None
        if rx["strong"].search(names) and not _article_like(el, total, sentences=False) \
                or (hidden or rx["weak"].search(names)) and not _article_like(el, total, sentences=True):
            doomed.append(el)
            continue
        stack.extend(c for c in el.children if isinstance(c, Tag))
    for el in doomed:
        el.decompose()


def _article_like(el: Tag, page_chars: int, sentences: bool) -> bool:
    """Too much of the page (or, with ``sentences``, too many sentences with few links) to be furniture."""
    cfg = page_settings()["boilerplate"]
    text = el.get_text()
    n = _chars(text)
    if n > cfg["protect_share"] * page_chars:
        return True
    if not sentences or text.count("。") < cfg["protect_sentences"]:
        return False
    links = sum(_chars(a.get_text()) for a in el.find_all("a"))
    return links / max(n, 1) < cfg["protect_link_density"]


# ---------------------------------------------------------------- stage 3: scoring

class _Scorer:
    """Paragraph runs (inline content between block boundaries) credit the blocks that hold them."""

    def __init__(self) -> None:
        cfg = page_settings()["scoring"]
        self.cfg = cfg
        self.inline = _compiled()["inline"]
        self.punct = _compiled()["punct"]
        self.score: dict[int, float] = {}
        self.nodes: dict[int, Tag] = {}
        self.chars: dict[int, int] = {}
        self.links: dict[int, int] = {}
        self.blocky: dict[int, bool] = {}       # has a block element among its descendants

    def measure(self, root: Tag) -> None:
        """Characters, link characters and "holds a block" for every element under ``root`` (post-order)."""
        stack: list[tuple[Tag, bool]] = [(root, False)]
        while stack:
            el, done = stack.pop()
            if not done:
                stack.append((el, True))
                stack.extend((c, False) for c in el.children if isinstance(c, Tag))
                continue
            total = links = 0
            block = False
            for child in el.children:
                if isinstance(child, NavigableString):
                    if type(child).__name__ not in _SKIP_STRINGS:
                        total += _chars(str(child))
                elif isinstance(child, Tag):
                    c = self.chars[id(child)]
                    total += c
                    links += c if child.name == "a" else self.links[id(child)]
                    block = block or self.blocky[id(child)] or (child.name not in self.inline and child.name != "br")
            self.chars[id(el)], self.links[id(el)], self.blocky[id(el)] = total, links, block

    def link_density(self, el: Tag) -> float:
        c = self.chars.get(id(el), 0)
        return self.links.get(id(el), 0) / c if c else 0.0

    def _credit(self, el: Optional[Tag], amount: float) -> None:
        if el is None or el.name in ("[document]", "html"):
            return
        self.nodes[id(el)] = el
        self.score[id(el)] = self.score.get(id(el), 0.0) + amount

    def _run_score(self, text: str, link_chars: int) -> float:
        n = _chars(text)
        if n < self.cfg["min_chars"]:
            return 0.0
        punct = sum(1 for c in text if c in self.punct)
        base = 1 + punct + min(n / self.cfg["chars_per_point"], self.cfg["max_length_points"])
        return base * max(0.0, 1 - link_chars / n)

    def walk(self, root: Tag) -> None:
        """Collect the runs of every block under ``root`` (depth-first, no recursion) and credit them."""
        frames: list[tuple] = []          # (children iterator, owning block's state, inside a link, is a block)

        def open_block(el: Tag) -> None:
            state = {"el": el, "buf": [], "link": 0, "runs": [], "blocks": False}
            frames.append((iter(el.children), state, el.name == "a", True))

        open_block(root)
        while frames:
            it, st, in_link, is_block = frames[-1]
            child = next(it, None)
            if child is None:
                frames.pop()
                if is_block:
                    self._flush(st)
                    self._finish(st)
                continue
            if isinstance(child, NavigableString):
                if type(child).__name__ not in _SKIP_STRINGS:
                    st["buf"].append(str(child))
                    if in_link:
                        st["link"] += _chars(str(child))
            elif isinstance(child, Tag):
                if child.name == "br":
                    self._flush(st)
                elif child.name in self.inline and not self.blocky.get(id(child), False):
                    frames.append((iter(child.children), st, in_link or child.name == "a", False))
                else:
                    st["blocks"] = True
                    self._flush(st)
                    open_block(child)

    @staticmethod
    def _flush(st: dict) -> None:
        if st["buf"]:
            st["runs"].append(("".join(st["buf"]), st["link"]))
        st["buf"], st["link"] = [], 0

    def _finish(self, st: dict) -> None:
        """Credit a block's runs: to itself when it holds several (mixed or br-separated), else to its parent."""
        block, runs = st["el"], st["runs"]
        total = sum(self._run_score(t, lk) for t, lk in runs)
        if total <= 0:
            return
        container = st["blocks"] or (len(runs) > 1 and block.name in ("td", "th", "div", "section", "article"))
        if container:
            self._credit(block, total)
            self._credit(block.parent, total * self.cfg["parent_share"])
        else:
            self._credit(block.parent, total)
            if block.parent is not None:
                self._credit(block.parent.parent, total * self.cfg["parent_share"])

    def best(self) -> Optional[Tag]:
        """The highest-scoring container once its link density is taken off."""
        ranked = sorted(((s * (1 - self.link_density(self.nodes[k])), k) for k, s in self.score.items()), reverse=True)
        return self.nodes[ranked[0][1]] if ranked and ranked[0][0] > 0 else None

    def adjusted(self, el: Tag) -> float:
        return self.score.get(id(el), 0.0) * (1 - self.link_density(el))


def find_content(body: Tag) -> list[Tag]:
    """The element(s) holding the article: the best-scoring container and its good siblings."""
    sc = _Scorer()
    sc.measure(body)
    sc.walk(body)
    top = sc.best()
    if top is None:
        return []
    cfg = page_settings()["scoring"]
    top_score = sc.adjusted(top)
    parent = top.parent
    if parent is None or parent.name in ("[document]", "html"):
        return [top]
    keep: list[Tag] = []
    for sib in parent.children:
        if not isinstance(sib, Tag):
            continue
        if sib is top:
            keep.append(sib)
            continue
        if sc.link_density(sib) > cfg["sibling_max_link_density"]:
            continue
        own = sc.adjusted(sib)
        same_kind = sib.name == top.name and class_id(sib).split(" ")[0] == class_id(top).split(" ")[0]
        if own >= max(cfg["sibling_share"] * top_score, cfg["sibling_floor"]) \
                or (same_kind and own >= cfg["sibling_min"]) \
                or _is_sentence(sib, cfg["paragraph_chars"]):
            keep.append(sib)
    return keep


def _is_sentence(el: Tag, min_chars: int) -> bool:
    """A paragraph element beside the article that reads as a sentence of it."""
    if el.name not in ("p", "div", "span", "font", "center", "blockquote") or el.find(["div", "table", "ul", "ol"]):
        return False
    text = fold_ws(el.get_text(" "))
    return _chars(text) >= min_chars and text[-1:] in "。！？…；" and not el.find("a")


# ---------------------------------------------------------------- stage 4: lines

def _same_title(line: str, title: str) -> bool:
    cut = _compiled()["truncated"]
    a = cut.sub("", re.sub(r"\s+|\[\d+\]|［\d+］|【\d+】|[①-⑳]", "", line))
    b = cut.sub("", re.sub(r"\s+", "", title))
    return bool(b) and a == b


def clean_lines(lines: list[str], title: Optional[str]) -> tuple[list[str], Optional[str]]:
    """Drop furniture lines and an in-body repeat of the title; returns (lines, title),
    the title replaced by an in-body "原标题：《…》" when the page's was cut short."""
    rx = _compiled()
    cfg = page_settings()["lines"]
    out = []
    for line in lines:
        line = rx["tokens"].sub(" ", line.replace("\ufffd", ""))
        line = "\t".join(fold_ws(c) for c in line.split("\t"))
        if not line.strip():
            continue
        m = rx["original_title"].search(line)
        if m and title and rx["truncated"].search(title):
            cut = re.sub(r"\s+", "", rx["truncated"].sub("", title))
            if cut and re.sub(r"\s+", "", m.group(1)).startswith(cut):
                title = m.group(1).strip()
        if any(p.search(line) for p in rx["anywhere"]):
            continue
        out.append(line)
    start = int(len(out) * (1 - cfg["tail_share"]))
    for i in range(start, len(out)):
        if any(p.search(out[i]) for p in rx["tail"]):
            out = out[:i]
            break
    n, edge = len(out), cfg["edge_lines"]
    out = [x for i, x in enumerate(out)
           if not ((i < edge or i >= n - edge) and any(p.search(x) for p in rx["edge"]))]
    if title:
        for i in range(min(3, len(out))):
            if _same_title(out[i], title):
                del out[i]
                break
    return out, title


# ---------------------------------------------------------------- the entry point

def _subtitles(title_el: Optional[Tag]) -> list[str]:
    """Headings beside the title heading (引题/副题), read before the furniture goes."""
    if title_el is None or title_el.parent is None:
        return []
    out = []
    for sib in title_el.parent.children:
        if isinstance(sib, Tag) and sib is not title_el and re.fullmatch(r"h[1-6]", sib.name or ""):
            text = fold_ws(sib.get_text(" "))
            if text and len(text) <= 80 and not sib.find("a"):
                out.append(text)
    return out


def _specs(value) -> list[str]:
    """A profile's selector value (one string or a list of them) as a list."""
    if not value:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _select(soup: BeautifulSoup, value) -> list[Tag]:
    """The elements of the first CSS selector in ``value`` that matches (XPath ones are skipped here)."""
    for q in _specs(value):
        if q.startswith("xpath:"):
            continue
        try:
            found = soup.select(q)
        except Exception:  # a bad selector in a profile: try the next, else the general method
            continue
        if found:
            return found
    return []


def _select_text(soup: BeautifulSoup, html: str, value) -> Optional[str]:
    """The text of the first selector in ``value`` that matches: CSS, or ``xpath:`` (elements or strings)."""
    for q in _specs(value):
        if q.startswith("xpath:"):
            try:
                from lxml import html as lxml_html

                hits = lxml_html.fromstring(html).xpath(q[len("xpath:"):])
            except Exception:
                continue
            hits = hits if isinstance(hits, list) else [hits]
            for h in hits:
                text = fold_ws(h if isinstance(h, str) else h.text_content())
                if text:
                    return text
            continue
        for el in _select(soup, q)[:1]:
            text = fold_ws(el.get_text(" "))
            if text:
                return text
    return None


def _content_lines(soup: BeautifulSoup, sel: dict) -> tuple[list[str], str]:
    """The article's block lines and how they were found: "selector", "main" or "body" (fallback)."""
    drops = [q for q in _specs(sel.get("drop")) + _specs(sel.get("furniture")) if not q.startswith("xpath:")]
    chosen = _select(soup, sel.get("content"))
    lines: list[str] = []
    for node in chosen:     # a profile's content is trusted: only furniture inside it goes
        drop_furniture(node, drops)
        lines += block_lines(node)
    drop_furniture(soup.body, drops)
    all_lines = block_lines(soup.body)
    if chosen:
        return lines, "selector"
    for node in find_content(soup.body):
        lines += block_lines(node)
    cfg = page_settings()["scoring"]
    found, body_chars = sum(_chars(x) for x in lines), sum(_chars(x) for x in all_lines)
    if found < cfg["min_chars_any"] or (found < cfg["min_chars_found"] and found < cfg["min_share"] * body_chars):
        return all_lines, "body"
    return lines, "main"


def extract_main(html: str, source: str = "<html>", selectors: Optional[dict] = None) -> Page:
    """The page's main text (one block per line, title line not included), title, date and meta.

    ``selectors`` (from a site profile) may give ``content``, ``title``, ``date``, ``breadcrumb``
    and ``drop``/``furniture``, each a CSS selector or a list of them (the first that matches
    wins; ``xpath:…`` works for title, date and breadcrumb). When the finder gets too little,
    the whole cleaned body is used and ``meta["extraction"]`` says ``"body"``.
    """
    sel = selectors or {}
    soup = parse_html(html, source)
    title, title_el = find_title(soup)
    chosen_title = _select_text(soup, html, sel.get("title"))
    if chosen_title:
        title, title_el = chosen_title, (_select(soup, sel.get("title")) or [None])[0]
    meta = page_meta(soup)
    published = iso_date(_select_text(soup, html, sel.get("date")) or "") or meta_published(soup)
    crumb = _select_text(soup, html, sel.get("breadcrumb"))
    if crumb:
        meta["breadcrumb"] = crumb
    subtitles = _subtitles(title_el)
    raw_lines = block_lines(soup.body)
    lines, meta["extraction"] = _content_lines(soup, sel)
    if published is None:
        published = page_published(raw_lines, lines, title)
    lines = [s for s in subtitles if s not in lines[:len(subtitles) + 3]] + lines
    if "breadcrumb" not in meta:
        crumb = next((x for x in raw_lines[:60] if _compiled()["breadcrumb_line"].search(fold_ws(x))), None)
        if crumb:
            meta["breadcrumb"] = fold_ws(crumb)
    text_lines, title = clean_lines(lines, title)
    return Page(text="\n".join(text_lines), title=title, published=published, meta=meta)


def _index(lines: list[str], line: Optional[str], start: int = 0) -> Optional[int]:
    if line is None:
        return None
    return next((i for i in range(start, len(lines)) if lines[i] == line), None)


def page_published(raw_lines: list[str], lines: list[str], title: Optional[str]) -> Optional[str]:
    """The publication date shown on the page: a labelled or bare date between the title and
    the article (the header area), else a labelled date just after the article or just above the title."""
    cfg = page_settings()["published"]
    start = 0
    if title:
        start = next((i + 1 for i, x in enumerate(raw_lines) if _same_title(x, title)), 0)
    first = _index(raw_lines, lines[0] if lines else None, start)
    end = first if first is not None and first - start <= cfg["header_lines"] else start + cfg["header_lines"]
    header = raw_lines[start:end] + lines[:3]
    found = labelled_date(header) or bare_date(header)
    if found:
        return found
    last = _index(raw_lines, lines[-1] if lines else None, first or 0)
    if last is not None:
        found = labelled_date(raw_lines[last + 1:last + 1 + cfg["footer_lines"]])
    if not found and start:     # a 信息公开 table (生成日期：…) above the title
        found = labelled_date(raw_lines[max(0, start - 1 - cfg["footer_lines"]):start - 1])
    return found
