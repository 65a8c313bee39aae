"""What a listing page leads to: its main list's articles, the column's other pages, and the links
found elsewhere on the page by the follow mode.

On the start listing and its pages (the *column*) every main-list item is an article, whatever its
title; elsewhere links are discovered by the profile's rules: ``keyword`` takes anchors with a plan
keyword (and listing links), ``all`` takes every page of the site (unknown pages are scanned as
listings, whose main lists are stored too), ``list`` stays in the column.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from posixpath import dirname
from typing import Iterable, Optional
from urllib.parse import urlsplit

from . import links as linkrules
from .listing import ListShape, MainList, find_main_list
from .pagination import column_pages

ARTICLE, LISTING = linkrules.ARTICLE, linkrules.LISTING


@dataclass(frozen=True)
class Found:
    """A link to request from a listing: an article, or a listing (``column``: a page of the start column)."""

    url: str
    kind: str
    text: str = ""
    column: bool = False
    main_list: bool = False


def same_folder(a: str, b: str) -> bool:
    """Pagination stays in one folder (index_2.html, ?page=3)."""
    sa, sb = urlsplit(a), urlsplit(b)
    return sa.netloc == sb.netloc and dirname(sa.path) == dirname(sb.path)


def _absolute(base_url: str, anchors: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(url, " ".join((text or "").split())) for href, text in anchors
            if (url := linkrules.absolute_url(base_url, href)) is not None]


def listing_links(page_url: str, root, anchors: list[tuple[str, str]], scripts: list[str], rules: linkrules.Rules,
                  domains: tuple[str, ...], follow: str, column: bool,
                  hint: Optional[ListShape] = None) -> tuple[list[Found], MainList]:
    """The links to request from a listing page (an lxml ``root`` with its ``anchors`` and ``scripts``)."""
    found: list[Found] = []
    seen: set[str] = set()

    def add(f: Found) -> None:
        if f.url not in seen and f.url != page_url:
            seen.add(f.url)
            found.append(f)

    ml = find_main_list(root, page_url, hint) if (column or follow == "all") else MainList([], None)
    for item in ml.items:
        if domains and not linkrules.host_allowed(item.url, domains):
            continue
        if rules.deny and rules.deny.search(item.url):
            continue
        kind = LISTING if (rules.listing and rules.listing.search(item.url)) else ARTICLE
        add(Found(item.url, kind, item.title, column=column and kind == LISTING, main_list=True))
    rules_here = replace(rules, needs_keyword=False) if follow == "all" else rules
    discovered = linkrules.page_links(page_url, anchors, rules_here, domains)
    absolute = _absolute(page_url, anchors)
    pages = [link.url for link in discovered if link.kind == LISTING and same_folder(link.url, page_url)]
    for url in column_pages(page_url, absolute, pages, scripts, " ".join(root.itertext()) if pages or scripts else ""):
        if not domains or linkrules.host_allowed(url, domains):
            add(Found(url, LISTING, "", column=column))
    if follow == "list":
        return found, ml
    for link in discovered:
        add(Found(link.url, link.kind, link.text))
    if follow == "all":
        for url, text in absolute:
            if (not domains or linkrules.host_allowed(url, domains)) and not (rules.deny and rules.deny.search(url)):
                add(Found(url, LISTING, text))
    return found, ml
