"""A column's other pages: next-page and numbered links, pagination written by script, sitemap.xml.

Government sites print their pagers with script more often than with links: TRS WCM's
``createPageHTML(8, 0, "index", "html")`` (or ``createPageHTML('div', 8, 0, 'index', 'html', 155)``)
and ``var countPage = 8`` / ``var currentPage = 0`` mean pages ``index.html``, ``index_1.html`` …
``index_7.html``. A "共8页" beside a link to ``index_2.html`` or ``?page=2`` gives the whole range.
"""
from __future__ import annotations

import re
from posixpath import dirname
from typing import Iterable, Optional
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

MAX_SCRIPT_PAGES = 2000         # a script claiming more pages than this is not believed

_CREATE = re.compile(r"createPageHTML\s*\(([^()]*)\)", re.I)
_ARG = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|([-\w.]+))\s*""")
_VAR = {name: re.compile(rf"""\b(?:var\s+|let\s+|const\s+)?(?:{alts})\s*=\s*["']?([\w.-]+)["']?""", re.I)
        for name, alts in (("count", r"countPage|pageCount|totalPage|totalPages|page_count|maxPage"),
                           ("current", r"currentPage|curPage|pageIndex|cur_page"),
                           ("prefix", r"prefix|pagePrefix|page_prefix"),
                           ("suffix", r"suffix|pageSuffix|page_suffix|pageExt"))}
_TOTAL = re.compile(r"共\s*(\d{1,4})\s*页|/\s*(\d{1,4})\s*页|页次\s*[:：]?\s*\d+\s*/\s*(\d{1,4})")
_NUMBERED_FILE = re.compile(r"^(?P<stem>.*?_)(?P<n>\d{1,4})(?P<ext>\.s?html?)$")
_PAGE_PARAMS = ("page", "pageno", "pageindex", "p", "pagenum", "curpage", "currentpage")
_NUMBER_TEXT = re.compile(r"^\[?\s*\d{1,4}\s*\]?$")


def _args(text: str) -> list[str | int]:
    out: list[str | int] = []
    for part in text.split(","):
        m = _ARG.fullmatch(part)
        if not m:
            return []
        if m.group(3) is not None and re.fullmatch(r"-?\d+", m.group(3)):
            out.append(int(m.group(3)))
        else:
            out.append(next(g for g in m.groups() if g is not None))
    return out


def script_pager(script: str) -> Optional[tuple[int, str, str]]:
    """(page count, prefix, suffix) from a TRS-style pager script, else None."""
    for m in _CREATE.finditer(script):
        args = _args(m.group(1))
        ints = [a for a in args if isinstance(a, int)]
        strs = [a for a in args if isinstance(a, str)]
        if not ints:
            continue
        if args and isinstance(args[0], str) and len(strs) >= 3:    # ('div-id', count, current, prefix, suffix …)
            strs = strs[1:]
        prefix = strs[0] if strs else "index"
        suffix = strs[1] if len(strs) > 1 else "html"
        return ints[0], prefix, suffix
    count = _VAR["count"].search(script)
    if count and count.group(1).isdigit():
        prefix = _VAR["prefix"].search(script)
        suffix = _VAR["suffix"].search(script)
        return (int(count.group(1)), prefix.group(1) if prefix else "index",
                suffix.group(1).lstrip(".") if suffix else "html")
    return None


def script_pages(page_url: str, scripts: Iterable[str]) -> list[str]:
    """The URLs a pager script stands for, beside ``page_url`` (index.html, index_1.html, …)."""
    for script in scripts:
        found = script_pager(script)
        if found is None:
            continue
        count, prefix, suffix = found
        if not (1 < count <= MAX_SCRIPT_PAGES) or not re.fullmatch(r"[\w.-]+", prefix + suffix):
            continue
        folder = urljoin(page_url, ".")
        return [urljoin(folder, f"{prefix}.{suffix}" if k == 0 else f"{prefix}_{k}.{suffix}") for k in range(count)]
    return []


def page_total(text: str) -> Optional[int]:
    """The page count a pager states ("共8页", "1/8页", "页次：1/8")."""
    m = _TOTAL.search(text or "")
    if not m:
        return None
    n = int(next(g for g in m.groups() if g))
    return n if 1 < n <= MAX_SCRIPT_PAGES else None


def _with_number(url: str, n: int) -> Optional[str]:
    """``url`` with its page number replaced by ``n`` (index_2.html → index_n.html, ?page=2 → ?page=n)."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    for i, (k, v) in enumerate(query):
        if k.lower() in _PAGE_PARAMS and v.isdigit():
            query[i] = (k, str(n))
            return urlunsplit(parts._replace(query=urlencode(query)))
    name = parts.path.rsplit("/", 1)[-1]
    m = _NUMBERED_FILE.match(name)
    if m:
        return urlunsplit(parts._replace(path=parts.path[: -len(name)] + f"{m['stem']}{n}{m['ext']}"))
    return None


def page_range(known: list[str], total: Optional[int], zero_based: bool) -> list[str]:
    """Every page of a column from one numbered page URL and the stated page count."""
    if not total or not known:
        return []
    first = 1 if zero_based else 2          # TRS counts index.html as page 0, ?page= sites as page 1
    last = total - 1 if zero_based else total
    for url in known:
        if _with_number(url, 2):
            return [u for k in range(first, last + 1) if (u := _with_number(url, k))]
    return []


def numbered_links(page_url: str, anchors: Iterable[tuple[str, str]]) -> list[str]:
    """Links whose text is a page number ("2", "[3]") and that stay in the listing's folder."""
    here = urlsplit(page_url)
    out = []
    for url, text in anchors:
        if not _NUMBER_TEXT.match(" ".join((text or "").split())):
            continue
        there = urlsplit(url)
        if there.netloc == here.netloc and dirname(there.path) == dirname(here.path) and url != page_url:
            out.append(url)
    return out


def column_pages(page_url: str, anchors: list[tuple[str, str]], listing_urls: list[str], scripts: list[str],
                 page_text: str) -> list[str]:
    """The other pages of the column at ``page_url``: ``listing_urls`` (next-page links found by the link
    rules), numbered links, script pagers and a stated page count over a numbered URL shape."""
    found = list(listing_urls) + numbered_links(page_url, anchors) + script_pages(page_url, scripts)
    numbered = [u for u in found if _with_number(u, 2)]
    if numbered:
        zero_based = any(_NUMBERED_FILE.match(urlsplit(u).path.rsplit("/", 1)[-1]) for u in numbered)
        found += page_range(numbered, page_total(page_text), zero_based)
    return list(dict.fromkeys(u for u in found if u != page_url))


# -- sitemap.xml ---------------------------------------------------------------------------------

def sitemap_url(start_url: str) -> str:
    parts = urlsplit(start_url)
    return urlunsplit((parts.scheme, parts.netloc, "/sitemap.xml", "", ""))


def read_sitemap(body: bytes) -> tuple[str, list[str]]:
    """("urlset" | "sitemapindex" | "", the locations) of a sitemap document (Scrapy's parser)."""
    from scrapy.utils.gz import gunzip
    from scrapy.utils.sitemap import Sitemap

    try:
        if body[:2] == b"\x1f\x8b":                     # sitemap.xml.gz served as is
            body = gunzip(body, max_size=50 * 1024 * 1024)
        sm = Sitemap(body)
    except Exception:  # noqa: BLE001 - not XML: no sitemap
        return "", []
    return sm.type or "", [entry["loc"] for entry in sm if entry.get("loc")]


def column_folders(start_urls: Iterable[str]) -> tuple[str, ...]:
    """The folders of the start listings ("/xxgk/jhzj/"), the root excepted: sitemap entries under
    one of them belong to that column."""
    out = []
    for url in start_urls:
        parts = urlsplit(url)
        folder = parts.path if parts.path.endswith("/") else dirname(parts.path).rstrip("/") + "/"
        if folder != "/":
            out.append(f"{parts.netloc}{folder}")
    return tuple(out)


def in_column(url: str, folders: tuple[str, ...]) -> bool:
    parts = urlsplit(url)
    return any(f"{parts.netloc}{parts.path}".startswith(f) for f in folders)
