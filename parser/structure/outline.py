"""A document's outline: its plans and their heading trees, decided by the line model when it is present.

The line model (``lines.crfsuite``, trained by ``python -m parser.learn train --only lines``) labels
every non-blank line (line_features.LABELS) from the rules' decisions and the line's shape; its plan
starts (decided from its marginals: the first plan at the line most likely to open one) and headings
replace the rules' cascade, and plans.py / sections.py then build the plans
(ends at footers, titles) and place the headings in the tree (levels by GUIDE.md's rule). Without
the model file, or when it finds no plan start, the rules decide alone.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from ..model import Document, Plan, Section
from ..models import crf_tagger
from . import furniture as fu
from . import plans as pl
from .fields import settings
from .line_features import (HEADINGS, LABELS, STARTS, RuleView, features, has_title, is_meta, may_head, may_title,
                            page_row, rule_view, sequence)
from .sections import build_sections

MODEL_FILE = "lines.crfsuite"


@dataclass(frozen=True)
class _Limits:
    window: int         # lines tagged at once (bounds the memory of a long document's features)


@lru_cache(maxsize=1)
def _limits() -> _Limits:
    return _Limits(window=settings()["lines"]["window"])


def tag_lines(tagger: Any, view: RuleView) -> list[str]:
    """The model's label of every line of ``view`` ("" for a blank line), tagged window by window; a
    heading label on a line that cannot be a heading (may_head) becomes body. With the model's
    marginals at hand, the plan starts are decided from them (``_decide_starts``)."""
    seq = sequence(view)
    out = [""] * len(view.page.lines)
    probs: dict[int, dict[str, float]] = {}
    marginal = getattr(tagger, "marginal", None)
    known = set(tagger.labels()) if marginal is not None else set()
    w = _limits().window
    for lo in range(0, len(seq), w):
        hi = min(len(seq), lo + w)
        for p, (i, label) in enumerate(zip(seq[lo:hi], tagger.tag(features(view, seq, lo, hi)))):
            out[i] = label
            if marginal is not None:
                probs[i] = {lab: marginal(lab, p) if lab in known else 0.0 for lab in LABELS}
    if probs:
        _decide_starts(view, out, probs)
    for i in seq:
        if out[i] == "heading" and not may_head(view.page.lines[i]):
            out[i] = "body"
        elif out[i] == "top":
            out[i] = "meta" if is_meta(view.page.lines[i]) else "furniture"
    return out


_START_ORDER = ("title", "start", "start_heading")     # STARTS in a fixed order (ties)


def _decide_starts(view: RuleView, out: list[str], probs: dict[int, dict[str, float]]) -> None:
    """Plan starts from the marginals: the first plan opens at the line most likely to open one, a
    later line opens another plan when it more likely does than not; a page row (a tool, breadcrumb,
    file name, field row or site name: line_features.page_row) opens none, and only a line that may
    be a title (may_title) and holds one (has_title: not a paragraph) opens one with its title. A page
    on which the rules find no content line to open a plan at (the model, trained on pages that all
    hold plans, cannot tell) or whose only candidates are page rows opens none. The other lines keep
    their most likely label that opens no plan."""
    def start_probs(i: int) -> dict[str, float]:
        if page_row(view, i):
            return {lab: 0.0 for lab in _START_ORDER}
        got = {lab: probs[i][lab] for lab in _START_ORDER}
        if not may_title(view, i):
            got["title"] = 0.0
        elif not has_title(view, i):        # a paragraph: the plan opens there, untitled
            got["start"], got["title"] = got["start"] + got["title"], 0.0
        return got

    sps = {i: start_probs(i) for i in probs}
    score = {i: sum(sp.values()) for i, sp in sps.items()}
    first = max(score, key=lambda i: (score[i], -i))
    if score[first] == 0.0 or not view.starts:     # no content line the rules could open a plan at
        for i in probs:
            if out[i] in STARTS:
                out[i] = max((lab for lab in LABELS if lab not in STARTS), key=probs[i].get)
        return
    forced = _titled_rule_start(view, first, sps[first])
    if forced is not None:
        first = forced
    for i, pr in probs.items():
        if i == forced:
            out[i] = "title"
        elif i == first or (i > first and score[i] > 0.5):
            sp = sps[i]
            if out[i] not in sp or sp[out[i]] == 0.0:
                out[i] = max(sp, key=sp.get) if max(sp.values()) > 0.0 else "start"
        elif out[i] in STARTS:
            out[i] = max((lab for lab in LABELS if lab not in STARTS), key=pr.get)


def _titled_rule_start(view: RuleView, first: int, first_probs: dict[str, float]) -> Optional[int]:
    """The rules' first start when it is titled, may be a title and lies above the line where the model
    would open the first plan untitled (a page whose head the model has not seen, such as a Markdown
    file's key: value rows and rule): the plan keeps the title line the rules found. Else None."""
    if not view.starts or max(first_probs, key=first_probs.get) == "title" and first_probs["title"] > 0.0:
        return None
    st = view.starts[0]
    if st.title_span is None or st.line >= first or not may_title(view, st.line):
        return None
    return st.line


def model_plans(doc: Document, view: RuleView, labels: list[str]) -> Optional[list[Plan]]:
    """The plans the labels open, with their heading trees; None when the labels open no plan."""
    rules_at = {st.line: st for st in view.starts}
    page = pl.Page(view.page.spans, view.page.lead, view.page.lines, list(view.page.kinds))
    starts = [pl.start_at(page, i, lab == "title", rules_at.get(i)) for i, lab in enumerate(labels) if lab in STARTS]
    if not starts:
        return None
    first = starts[0].line
    for i, lab in enumerate(labels):
        if lab in STARTS or lab in HEADINGS:
            page.kinds[i] = fu.CONTENT
        elif lab in ("furniture", "meta") and page.kinds[i] == fu.CONTENT and i > first:
            page.kinds[i] = fu.FURNITURE
    plans = pl.build_plans(doc, page, starts)
    heads = frozenset(page.spans[i][0] + page.lead[i] for i, lab in enumerate(labels) if lab in HEADINGS)
    line_starts = [a for a, _ in page.spans]
    rule_lines = [st.line for st in view.starts]
    for plan, st in zip(plans, starts):
        plan.sections = build_sections(doc, plan, heads)
        _keep_rule_levels(plan.sections, view, line_starts, rule_lines, st.line)
    return plans


def _keep_rule_levels(sections: list[Section], view: RuleView, line_starts: list[int], rule_lines: list[int],
                      start: int) -> None:
    """A heading the rules also found, in a plan that opens where theirs does, keeps the rules' level
    (their tree saw the same list); parents are then the nearest heading above with a lower level."""
    changed = False
    for sec in sections:
        i = bisect_right(line_starts, sec.heading_span[0]) - 1
        k = bisect_right(rule_lines, i) - 1
        if view.levels[i] and k >= 0 and rule_lines[k] == start and view.levels[i] != sec.level:
            sec.level, changed = view.levels[i], True
    if changed:
        for n, sec in enumerate(sections):
            parent = next((p for p in reversed(sections[:n]) if p.level < sec.level), None)
            sec.parent_id = parent.section_id if parent else None


def outline(doc: Document) -> list[Plan]:
    """The plans of ``doc`` with their sections; ``doc.furniture`` gets the lines left out."""
    tagger = crf_tagger(MODEL_FILE)
    if tagger is not None:
        view = rule_view(doc)
        found = model_plans(doc, view, tag_lines(tagger, view))
        if found is not None:
            return found
    plans = pl.split_plans(doc)
    for plan in plans:
        plan.sections = build_sections(doc, plan)
    return plans
