"""A column listing's main list: the repeated block of article links, usually each with a date.

As list-page extractors do, sibling elements of one shape (same tag and class) that each hold a
link with a title-length text are grouped; the group with the most title text and dates wins over
navigation (short link texts), pagers (numbers) and side boxes (few items, no dates). A list split
into several blocks of the same shape (five items per <ul>, as TRS sites print) is taken whole.
Every item of that list is an article of the column, whatever its title says.

The winning shape (``ListShape``) is handed to the column's next pages, whose last page may hold
only one or two items. Lists written into a script's XML data store (Hanweb JCMS
``<datastore><record><![CDATA[<li>…]]>``) are read too.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Optional
from urllib.parse import urlsplit

from lxml import html as lxml_html

from .links import absolute_url

_DATE = re.compile(r"(?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}(?:\s*[-/.月]\s*\d{1,2})?|\b\d{1,2}-\d{1,2}\b")
_NOT_TITLES = re.compile(r"^(更多|more|详细|详情|查看|下一页|上一页|首页|尾页|末页|\d+|>+|»|<<|\[\d+\])$", re.I)
_FURNITURE_HINT = re.compile(r"nav|menu|foot|header|top|banner|friend|yqlj|links?$|share|crumb|position|sidebar|"
                             r"location|pager|page-?nav|pagination|fenye|tab-?title", re.I)
_SKIP_TAGS = {"script", "style", "noscript", "head", "select", "option", "form"}
_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
MIN_TITLE = 5           # characters of a link text that make a group of links look like a list of titles


@dataclass(frozen=True)
class Item:
    """One entry of a listing's main list."""

    url: str
    title: str
    date: Optional[str] = None


@dataclass(frozen=True)
class ListShape:
    """Where the main list sits: the container's tag.class path and the items' tag.class."""

    container: str
    item: str


@dataclass
class MainList:
    items: list[Item]
    shape: Optional[ListShape]
    score: float = 0.0


def _sig(el) -> str:
    cls = " ".join(sorted((el.get("class") or "").split()))
    return f"{el.tag}.{cls}" if cls else str(el.tag)


def _path(el) -> str:
    parts = []
    while el is not None and isinstance(el.tag, str):
        parts.append(_sig(el))
        el = el.getparent()
    return "/".join(reversed(parts))


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def _title_anchor(member):
    """The member's link with the longest text (its title attribute when the text is cut short)."""
    best, best_text = None, ""
    anchors = [member] if member.tag == "a" else member.iter("a")
    for a in anchors:
        if not a.get("href"):
            continue
        text = _text(a)
        full = " ".join((a.get("title") or "").split())
        cut = text.endswith(("...", "…", "..")) and full.startswith(text.rstrip(".…").strip())
        if full and (cut or (len(full) > len(text) and len(text) < MIN_TITLE)):
            text = full
        if len(text) > len(best_text):
            best, best_text = a, text
    return best, best_text


def _furniture(el) -> bool:
    """Inside a navigation bar, footer, header, pager or share box (by tag, class or id)?"""
    depth = 0
    while el is not None and depth < 6:
        if el.tag in ("nav", "footer", "header", "aside"):
            return True
        hint = f"{el.get('class') or ''} {el.get('id') or ''}"
        if hint.strip() and _FURNITURE_HINT.search(hint):
            return True
        el, depth = el.getparent(), depth + 1
    return False


def _member_item(member, base_url: str, min_title: int = MIN_TITLE) -> Optional[Item]:
    a, title = _title_anchor(member)
    if a is None or len(title) < min_title or _NOT_TITLES.match(title):
        return None
    url = absolute_url(base_url, a.get("href"))
    if url is None:
        return None
    m = _DATE.search(_text(member))
    return Item(url, title, m.group(0) if m else None)


def _groups(root) -> Iterable[tuple[object, str, list]]:
    """(parent, item signature, members) for every set of ≥ 1 same-shape children holding a link."""
    for parent in root.iter():
        if not isinstance(parent.tag, str) or parent.tag in _SKIP_TAGS:
            continue
        by_sig: dict[str, list] = {}
        for child in parent:
            if isinstance(child.tag, str) and child.tag not in _SKIP_TAGS:
                by_sig.setdefault(_sig(child), []).append(child)
        for sig, members in by_sig.items():
            yield parent, sig, members


def _score(items: list[Item], members: int, base_url: str) -> float:
    """Title text and dates of a group's items; members without a title link weaken it, and items under
    the listing's own folder (a column's articles usually are) strengthen it over side boxes."""
    if not items:
        return 0.0
    dated = sum(1 for it in items if it.date)
    text = sum(min(len(it.title), 40) for it in items)
    share = len(items) / members
    folder = urlsplit(base_url)._replace(query="", fragment="").geturl().rsplit("/", 1)[0] + "/"
    inside = sum(1 for it in items if it.url.startswith(folder)) / len(items)
    return (text + 12 * dated) * share * (1 + inside)


def _collect(root, base_url: str, shape: ListShape) -> list[Item]:
    items: list[Item] = []
    last = shape.container.rsplit("/", 1)[-1]
    for parent in root.iter(last.split(".", 1)[0]):         # only elements of the container's tag …
        if _sig(parent) == last and _path(parent) == shape.container:       # … and shape have their path built
            for child in parent:
                if isinstance(child.tag, str) and _sig(child) == shape.item:
                    it = _member_item(child, base_url, min_title=1)    # in the list, a short title still counts
                    if it is not None:
                        items.append(it)
    return items


def _script_records(root) -> Optional[object]:
    """A <ul> of the list items a JCMS page keeps in its script XML data store, if any."""
    records = []
    for script in root.iter("script"):
        records += _RECORD.findall(script.text or "")
    if not records:
        return None
    return lxml_html.fromstring("<div class='pp-datastore'><ul class='pp-records'>" + "".join(records) + "</ul></div>")


def _dedupe(items: list[Item]) -> list[Item]:
    seen, out = set(), []
    for it in items:
        if it.url not in seen:
            seen.add(it.url)
            out.append(it)
    return out


def find_main_list(root, base_url: str, hint: Optional[ListShape] = None, min_items: int = 3) -> MainList:
    """The main list of a parsed listing page (an lxml element); empty when the page has none.

    With ``hint`` (the shape found on the column's first page) a page of the same column is read
    by that shape first, so a last page with a single item is still read."""
    if hint is not None:
        items = _dedupe(_collect(root, base_url, hint))
        if items:
            return MainList(items, hint, _score(items, len(items), base_url))
    store = _script_records(root)
    if store is not None:
        found = find_main_list(store, base_url, None, min_items=1)
        if found.items:
            return found
    best: Optional[MainList] = None
    for parent, sig, members in _groups(root):
        items = [it for it in (_member_item(m, base_url) for m in members) if it is not None]
        dated = sum(1 for it in items if it.date)
        if len(items) < min_items and not (items and dated == len(items) and len(items) == len(members)):
            continue
        if _furniture(parent):
            continue
        score = _score(items, len(members), base_url)
        if best is None or score > best.score:
            best = MainList(items, ListShape(_path(parent), sig), score)
    if best is None:
        return MainList([], None)
    best.items = _dedupe(_collect(root, base_url, best.shape))     # blocks of the same shape elsewhere
    return best


def main_list(body: str | bytes, base_url: str, hint: Optional[ListShape] = None) -> MainList:
    """``find_main_list`` on an HTML page's text or bytes."""
    try:
        root = lxml_html.fromstring(body)
    except (ValueError, lxml_html.etree.ParserError):
        return MainList([], None)
    return find_main_list(root, base_url, hint)


def looks_like_listing(root, base_url: str, min_items: int = 3, min_link_share: float = 0.3) -> bool:
    """A start page is a column listing (not an article) when it has a main list and most of its text
    sits in links; a column's name ("计划总结") must not make it an article."""
    found = find_main_list(root, base_url)
    if len(found.items) < min_items:
        return False
    body = root.find("body") if root.find("body") is not None else root
    total = link = 0
    for el in body.iter():
        if not isinstance(el.tag, str) or el.tag in _SKIP_TAGS:
            continue
        n = len((el.text or "").strip())
        total += n
        if el.tag == "a" or any(a.tag == "a" for a in el.iterancestors()):
            link += n
    return total > 0 and link / total >= min_link_share
