"""An article's attachments: which links are files (附件：2023年工作要点.docx / .pdf / .wps …), the
catalogue table that ties each file to its article, and the "见附件" stub whose plan is the file's.

Attachment files are stored like pages (raw bytes, text, parsed JSON, versions) in the ``pages``
table; the ``attachments`` table (added beside the store's own tables) says which article links which
file, so a file linked from two articles is fetched and stored once.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Iterable, Optional
from urllib.parse import unquote, urlsplit

from ..ingest.formats import DOCUMENT_SUFFIXES, suffix_of
from .links import absolute_url, host_allowed
from .store import CorpusStore, now

SCHEMA = """
CREATE TABLE IF NOT EXISTS attachments (
    page_url TEXT NOT NULL, url TEXT NOT NULL, name TEXT, position INTEGER, found_at TEXT,
    PRIMARY KEY (page_url, url));
CREATE INDEX IF NOT EXISTS attachments_url ON attachments(url);
"""
_MAY_LINK_FILES = re.compile(rb"\.(?:docx?|pdf|wps|xlsx?|et|txt)\b", re.I)   # a cheap look before parsing links
_NAME_SUFFIX = re.compile(r"\.(docx?|pdf|wps|xlsx?|et|txt)\s*$", re.I)
_LABEL = re.compile(r"^\s*附件\s*\d*\s*[:：.、]?\s*|^\s*(点击)?下载\s*[:：]?\s*")
_STUB_WORDS = re.compile(r"附件|附表|详见|见附|点击下载|下载附件")
ATTACHMENT = "attachment"     # the spider's role for a file linked from an article
STUB_BODY_CHARS = 200          # an article body shorter than this that points to attachments is a stub


@dataclass(frozen=True)
class Attachment:
    url: str
    name: str                  # the link text, or the file name from the URL


def site_domains(domains: Iterable[str]) -> tuple[str, ...]:
    """The crawl's domains and their parents without ``www.`` (files often sit on file.site.gov.cn)."""
    out = []
    for d in domains:
        out.append(d)
        if d.lower().startswith("www."):
            out.append(d[4:])
    return tuple(dict.fromkeys(out))


def may_link_files(body: bytes) -> bool:
    """False when a page's bytes name no document file at all (most articles): no need to read its links."""
    return bool(_MAY_LINK_FILES.search(body))


def is_attachment_link(url: str, text: str) -> bool:
    """A link to a document file: by the URL's suffix, or by a link text that ends like a file name."""
    return suffix_of(url) in DOCUMENT_SUFFIXES or bool(_NAME_SUFFIX.search(text or ""))


def find_attachments(base_url: str, anchors: Iterable[tuple[str, str]], domains: Iterable[str]) -> list[Attachment]:
    """The document files an article links to, in page order, once each, on the site's domains."""
    domains = site_domains(domains)
    out: dict[str, Attachment] = {}
    for href, text in anchors:
        url = absolute_url(base_url, href)
        if url is None or url in out or url == base_url:
            continue
        text = " ".join((text or "").split())
        if not is_attachment_link(url, text):
            continue
        if domains and not host_allowed(url, domains):
            continue
        name = text or unquote(urlsplit(url).path.rsplit("/", 1)[-1])
        out[url] = Attachment(url, name)
    return list(out.values())


def title_from_name(name: str) -> Optional[str]:
    """"附件1：2023年工作要点.docx" → "2023年工作要点"."""
    stem = _NAME_SUFFIX.sub("", _LABEL.sub("", name or "")).strip(" 《》\"“”")
    return stem or None


def is_stub(text: Optional[str], attachments: int) -> bool:
    """An article that only points to its attachments ("详见附件"): its plan is the attachment's."""
    if not attachments or not text:
        return False
    lines = [ln.strip() for ln in text.split("\n") if ln.strip()]
    body = [ln for ln in lines[1:] if not (_LABEL.match(ln) and (_NAME_SUFFIX.search(ln) or len(ln) < 60))
            and not _NAME_SUFFIX.search(ln)]
    return sum(len(ln) for ln in body) < STUB_BODY_CHARS and any(_STUB_WORDS.search(ln) for ln in body)


def stub_parsed(parsed: Optional[bytes], files: list[str]) -> Optional[bytes]:
    """A stub's contract JSON: no plans of its own, and the files that hold them."""
    if parsed is None:
        return None
    data = json.loads(parsed)
    data["plans"] = []
    data["plans_in_attachments"] = files
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


# -- catalogue -----------------------------------------------------------------------------------

def ensure_schema(store: CorpusStore) -> None:
    """Add the attachments table to a catalogue (a no-op when it is there)."""
    with store.tx():
        for statement in SCHEMA.split(";"):
            if statement.strip():
                store.db.execute(statement)


def link(store: CorpusStore, page_url: str, attachments: list[Attachment]) -> int:
    """Remember that ``page_url`` links these files; the number of new links."""
    if not attachments:
        return 0
    with store.tx():
        before = store.db.total_changes
        store.db.executemany("INSERT OR IGNORE INTO attachments (page_url, url, name, position, found_at) "
                             "VALUES (?, ?, ?, ?, ?)",
                             [(page_url, a.url, a.name, i, now()) for i, a in enumerate(attachments)])
        return store.db.total_changes - before


def attachments_of(store: CorpusStore, page_url: str) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT url FROM attachments WHERE page_url=? ORDER BY position",
                                           (page_url,))]


def attached_to(store: CorpusStore, url: str) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT page_url FROM attachments WHERE url=? ORDER BY page_url", (url,))]


def stored_title_hint(store: CorpusStore, url: str) -> Optional[str]:
    """The title hint a stored file was parsed under (see ``hints``), from the first article that links
    it (for repairs, which have no request to read the article from); None for a page that is no file."""
    row = store.db.execute("SELECT page_url, name FROM attachments WHERE url=? ORDER BY found_at, position LIMIT 1",
                           (url,)).fetchone()
    return hints(store, row[0], row[1])[0] if row is not None else None


def hints(store: CorpusStore, parent: Optional[str], anchor: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """(title hint, publication date) for an attachment: its link text's stem, else its article's title,
    and its article's date (when the article is stored already)."""
    row = store.latest(parent) if parent else None
    title = title_from_name(anchor or "") or (row["title"] if row is not None else None)
    return title, (row["published"] if row is not None else None)
