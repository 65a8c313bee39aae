"""Which links of a page to follow: article pages (stored), listing pages (scanned), or neither.

The rules come from a site profile: URL regexes, anchor texts and plan keywords; offsite links
and denied URL shapes are dropped first.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Optional
from urllib.parse import urldefrag, urljoin, urlsplit

from ..ingest.normalize import normalize
from .profiles import Profile

ARTICLE, LISTING = "article", "listing"


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    kind: str           # "article" | "listing"


@dataclass(frozen=True)
class Rules:
    """A profile's link rules, compiled once."""

    keywords: tuple[str, ...]
    article: Optional[re.Pattern]
    listing: Optional[re.Pattern]
    deny: Optional[re.Pattern]
    listing_text: tuple[str, ...]
    needs_keyword: bool


def _union(patterns: Iterable[str]) -> Optional[re.Pattern]:
    pats = [p for p in patterns if p]
    return re.compile("|".join(f"(?:{p})" for p in pats), re.I) if pats else None


@lru_cache(maxsize=32)
def rules_for(profile: Profile) -> Rules:
    keywords = tuple(dict.fromkeys(normalize(k) for k in profile.keywords if k))
    return Rules(keywords=keywords, article=_union(profile.article), listing=_union(profile.listing),
                 deny=_union(profile.deny), listing_text=profile.listing_text,
                 needs_keyword=profile.article_needs_keyword)


def host_allowed(url: str, domains: Iterable[str]) -> bool:
    """True when the URL's host is one of ``domains`` or a subdomain of one."""
    host = (urlsplit(url).hostname or "").lower()
    for d in domains:
        d = d.lower().lstrip(".")
        if host == d or host.endswith("." + d):
            return True
    return False


def has_keyword(text: str, rules: Rules) -> bool:
    """A plan keyword in ``text``, matched on its normalised form (計劃 → 计划, full width → half)."""
    if not text:
        return False
    norm = normalize(text)
    return any(k in norm for k in rules.keywords)


def classify(url: str, text: str, rules: Rules) -> Optional[str]:
    """``article``, ``listing`` or None for one absolute URL and its anchor text."""
    if rules.deny and rules.deny.search(url):
        return None
    text = " ".join(text.split())
    if text and has_keyword(text, rules):
        return ARTICLE
    if rules.article and rules.article.search(url):
        if not rules.needs_keyword or has_keyword(url, rules):
            return ARTICLE
        return None
    if rules.listing and rules.listing.search(url):
        return LISTING
    if text and any(t == text or (len(t) > 1 and t in text and len(text) <= len(t) + 4) for t in rules.listing_text):
        return LISTING
    return None


_NOT_HTTP = re.compile(r"^(mailto|javascript|tel|data):", re.I)


def absolute_url(base_url: str, href: Optional[str]) -> Optional[str]:
    """``href`` of a page at ``base_url`` as an absolute http(s) URL without fragment, or None (an anchor
    to the same page, mailto:, javascript: …)."""
    href = (href or "").strip()
    if not href or href.startswith("#") or _NOT_HTTP.match(href):
        return None
    url = urldefrag(urljoin(base_url, href))[0]
    return url if urlsplit(url).scheme in ("http", "https") else None


def page_links(base_url: str, anchors: Iterable[tuple[str, str]], rules: Rules, domains: Iterable[str]) -> list[Link]:
    """The followable links among ``(href, text)`` anchors of a page at ``base_url``, in page order."""
    domains = tuple(domains)
    seen: set[str] = set()
    out: list[Link] = []
    for href, text in anchors:
        url = absolute_url(base_url, href)
        if url is None or url in seen:
            continue
        if domains and not host_allowed(url, domains):
            continue
        kind = classify(url, text or "", rules)
        if kind:
            seen.add(url)
            out.append(Link(url, " ".join((text or "").split()), kind))
    return out


def looks_like_article(title: str, rules: Rules) -> bool:
    """A start page whose title carries a plan keyword is stored as well as scanned."""
    return bool(title) and has_keyword(title, rules)
