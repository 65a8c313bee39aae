"""Evidence for a plan's metadata: the span of ``Document.text`` each value was read from, so a reader can
tell a value the text states from one that was inferred (a street's plan is its office's).

Whatever chose the value (parser.extract.metadata), its evidence is the first place that states it: the
plan's title, then its text, then the document's lines before the plan (a page's title line). A value
no words state is ``"inferred"``; a missing value has no source.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from ..model import Document, Plan, Span

DATA = Path(__file__).resolve().parents[1] / "data"
INFERRED = "inferred"
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


def year_pattern(year: int) -> re.Pattern:
    """A year as written before 年: digits (half- or full-width: ``norm`` folds them) or Chinese numerals."""
    digits = str(year)
    cn = "".join(_CN_DIGITS[int(d)] for d in digits)
    return re.compile(rf"(?<![\d〇零一二三四五六七八九])(?:{digits}|{cn}|{cn.replace('〇', '零')})\s*年")


def year_span(doc: Document, plan: Plan) -> Optional[Span]:
    """Where the plan's year is written (its title, its text, the page's title line above it)."""
    return first_span(doc, plan, year_pattern(plan.year), head=True) if plan.year is not None else None


def body_span(doc: Document, plan: Plan) -> Optional[Span]:
    """Where a word naming the plan's kind of body is written."""
    names = words()["body"].get(plan.body or "", [])
    return first_span(doc, plan, re.compile(alternation(names))) if names else None


def describe_evidence(doc: Document, plan: Plan) -> None:
    """Set ``plan.year_source`` and ``plan.body_source`` (a source already set, e.g. "inferred" by the
    metadata stage for a body it gave by default, is kept)."""
    if plan.year is None:
        plan.year_source = None
    elif plan.year_source is None:
        plan.year_source = source_of(year_span(doc, plan))
    if plan.body is None:
        plan.body_source = None
    elif plan.body_source is None:
        plan.body_source = source_of(body_span(doc, plan))
