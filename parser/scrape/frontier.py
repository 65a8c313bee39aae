"""The crawl's frontier entries: every URL a crawl has taken on, with all its request needs to be made
again, so a request made from a pending row after a kill behaves exactly like the one it replaces.

Besides URL, role, depth, referer and anchor text, an entry carries what the request's ``meta`` holds
that changes what the page leads to: a listing's membership of a start column and the shape of that
column's main list (without them a resumed listing page is read as any listing, and ``--follow keyword``
drops its items that lack a plan keyword), and an attachment's article. The spider makes every request
from an entry and queues that same entry, so nothing the request carries can be left out of the row.
The queue keeps the carried part as JSON in its ``carry`` column; a row of a catalogue from before that
column has NULL there and is read with ``restore_legacy``.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, replace
from typing import Any, Iterable, Optional

from .pagination import in_column

LISTING, ATTACHMENT = "listing", "attachment"


@dataclass(frozen=True)
class Entry:
    """One URL of the frontier and what its request carries."""

    url: str
    role: str
    depth: int
    referer: str = ""
    anchor: str = ""
    column: bool = False                        # a page of a start column: its main list is all articles
    shape: Optional[tuple[str, str]] = None     # that column's main list (container path, item signature)
    parent: Optional[str] = None                # an attachment's article
    legacy: bool = False                        # read from a row that had no ``carry`` (an older catalogue)

    def meta(self) -> dict[str, Any]:
        """The request meta that comes from the entry (the spider adds only what the settings decide)."""
        return {"pp_role": self.role, "pp_depth": self.depth, "pp_anchor": self.anchor, "pp_url": self.url,
                "pp_column": self.column, "pp_shape": self.shape, "pp_parent": self.parent}

    def carry(self) -> str:
        """The ``carry`` column: JSON of what the queue's other columns do not hold ("{}" when nothing)."""
        data = {"column": self.column, "shape": list(self.shape) if self.shape else None, "parent": self.parent}
        return json.dumps({k: v for k, v in data.items() if v}, ensure_ascii=False, sort_keys=True)

    def row(self) -> tuple[str, str, int, str, str, str]:
        """(url, role, depth, referer, anchor, carry) for the queue table."""
        return self.url, self.role, self.depth, self.referer, self.anchor, self.carry()


def from_row(row: sqlite3.Row) -> Entry:
    """The entry of a queue row; ``legacy`` when the row has no carried part (written before there was one)."""
    carry = row["carry"] if "carry" in row.keys() else None
    data = json.loads(carry) if carry else {}
    shape = data.get("shape")
    return Entry(row["url"], row["role"], int(row["depth"]), row["referer"] or "", row["anchor"] or "",
                 column=bool(data.get("column")), shape=(shape[0], shape[1]) if shape else None,
                 parent=data.get("parent"), legacy=carry is None)


def restore_legacy(entry: Entry, start_urls: Iterable[str], folders: tuple[str, ...]) -> Entry:
    """What an older catalogue's row did not say, as well as it can be told: an attachment's article is
    its referer; a listing beside a start URL or under a start column's folder is a page of that column
    (its main-list shape is found again on the page)."""
    from .column import same_folder     # the store reads entries too: keep its imports light

    if not entry.legacy:
        return entry
    if entry.role == ATTACHMENT:
        return replace(entry, parent=entry.referer or None, legacy=False)
    if entry.role == LISTING:
        column = in_column(entry.url, folders) or any(same_folder(entry.url, s) for s in start_urls)
        return replace(entry, column=column, legacy=False)
    return replace(entry, legacy=False)
