"""Evidence for a plan's metadata: the span of ``Document.text`` each value was read from, so a reader can
tell a value the text states from one that was inferred (a street's plan is its office's).

Whatever chose the value (parser.extract.metadata), its evidence is the first place that states it: the
plan's title, then its text, then the document's lines before the plan (a page's title line). A source
is "START:END" (``text[START:END]``), "title" for a title that is not in the text (an HTML page's
``<title>``), or "inferred" when no words state the value; a missing value has no source.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from ..ingest.normalize import normalize
from ..model import Document, Plan, Span

DATA = Path(__file__).resolve().parents[1] / "data"
INFERRED = "inferred"
TITLE = "title"         # the plan's title where the text does not hold it (a page's <title>)
_CN_DIGITS = "〇一二三四五六七八九"


@lru_cache(maxsize=1)
def words() -> dict:
    """The words that state a body or a region (data/evidence.toml)."""
    return tomllib.loads((DATA / "evidence.toml").read_text(encoding="utf-8"))


def source_of(span: Optional[Span]) -> str:
    """A span as the ``*_source`` columns write it ("START:END", ``text[START:END]``), else "inferred"."""
    return f"{span[0]}:{span[1]}" if span else INFERRED


def alternation(items: Iterable[str]) -> str:
    """One regex alternative for literal words, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(items), key=len, reverse=True) if w)


def first_span(doc: Document, plan: Plan, pattern: re.Pattern, head: bool = False) -> Optional[Span]:
    """Where ``pattern`` first matches ``doc.norm``: in the plan's title line, then in the plan, then (with
    ``head``) in the document before the plan."""
    ranges = []
    if plan.title_span:
        ranges.append(plan.title_span)
    ranges.append(plan.span)
    if head:
        ranges.append((0, plan.span[0]))
    for start, end in ranges:
        m = pattern.search(doc.norm, start, end)
        if m:
            return m.span()
    return None


def find_source(doc: Document, plan: Plan, pattern: re.Pattern, head: bool = False) -> tuple[str, Optional[Span]]:
    """The source of a value ``pattern`` states, and its span in the text (None for "title"/"inferred")."""
    if plan.title and not plan.title_span and pattern.search(normalize(plan.title)):
        return TITLE, None
    span = first_span(doc, plan, pattern, head)
    return source_of(span), span


def year_pattern(year: int) -> re.Pattern:
    """A year as written before 年: digits (half- or full-width: ``norm`` folds them) or Chinese numerals."""
    digits = str(year)
    cn = "".join(_CN_DIGITS[int(d)] for d in digits)
    return re.compile(rf"(?<![\d〇零一二三四五六七八九])(?:{digits}|{cn}|{cn.replace('〇', '零')})\s*年")


def year_source(doc: Document, plan: Plan) -> str:
    """Where the plan's year is written (its title, its text, the page's title line above it)."""
    return find_source(doc, plan, year_pattern(plan.year), head=True)[0]


def body_source(doc: Document, plan: Plan) -> str:
    """Where a word naming the plan's kind of body is written."""
    names = words()["body"].get(plan.body or "", [])
    return find_source(doc, plan, re.compile(alternation(names)))[0] if names else INFERRED


def describe_evidence(doc: Document, plan: Plan) -> None:
    """Set ``plan.year_source`` and ``plan.body_source`` (a source already set, e.g. "inferred" by the
    metadata stage for a body it gave by default, is kept)."""
    if plan.year is None:
        plan.year_source = None
    elif plan.year_source is None:
        plan.year_source = year_source(doc, plan)
    if plan.body is None:
        plan.body_source = None
    elif plan.body_source is None:
        plan.body_source = body_source(doc, plan)
