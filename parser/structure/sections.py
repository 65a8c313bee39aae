"""The heading tree of one plan: markers, levels, titles, bodies and field lines.

A written-down cascade (thresholds in parser/data/headings.toml, each measured on the dev set):
1. numbered markers (一、 （一） 1. 1、 （1） ① 第一章 1.1 …) — a line is a heading when its number
   keeps its style's sequence (n = last + 1, a new list at 1, any number right after a
   hidden-content gap, the plan's first numbered heading may start above 1);
2. layout cue: a short label ending in a colon over a restarted list ("规划前景：" + 一、) heads it;
3. line heuristics: a short topic line followed by field lines ("协商内容：……"), or a known
   section name on its own line ("指导思想"), is a heading with marker "".
Levels come from a stack of the styles in use: a style seen before goes back to the level of its
first appearance, a new style goes one below the current heading (GUIDE.md: order of first
appearance within a plan); a label over a restarted list pushes that list one level down.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from ..model import Document, Field, Plan, Section
from .fields import Marker, match_field, match_marker, settings

_TRAIL = "。;: "          # dropped from the end of a title (normalised forms of 。；;：:)
_NO_LENIENT_START = ("dotted2", "dotted3")


@dataclass(frozen=True)
class _Gates:
    max_first: int
    min_title: int
    topic_max: int
    label_max: int
    lexicon_max: int
    forbidden: re.Pattern
    bad_end: re.Pattern
    lexicon: frozenset
    year_prefix: re.Pattern
    dotted_bad_next: str


@lru_cache(maxsize=1)
def _gates() -> _Gates:
    cfg = settings()
    g = cfg["gates"]
    return _Gates(max_first=g["max_first_number"], min_title=g["min_title_chars"],
                  topic_max=g["topic_max_chars"], label_max=g["label_max_chars"],
                  lexicon_max=g["lexicon_max_chars"], forbidden=re.compile(cfg["topic"]["forbidden"]),
                  bad_end=re.compile(cfg["topic"]["bad_end"]), lexicon=frozenset(cfg["lexicon"]["names"]),
                  year_prefix=re.compile(r"^((19|20)\d\d|20[x\-*]{2}|[x]{4})年度?", re.IGNORECASE),
                  dotted_bad_next=g["dotted_bad_next"])


@dataclass
class _Line:
    start: int                      # offset of the first non-space character
    end: int                        # offset after the last non-space character
    norm: str                       # the normalised, stripped line
    marker: Optional[Marker]
    gap: bool = False               # a left-out line (hidden content, furniture) came just before
    virtual: bool = False           # the first heading glued onto the plan's title line


@dataclass
class _Frame:
    style: str                      # "" for unnumbered headings
    level: int
    last: int
    pre: str
    section: Optional[Section]      # None for a virtual heading


@dataclass
class _State:
    stack: list[_Frame] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    inline: dict[str, int] = field(default_factory=dict)   # lists that run inside field values
    numbered: bool = False
    last_seen: dict[tuple[str, str], int] = field(default_factory=dict)   # last number of each style
    style_level: dict[str, int] = field(default_factory=dict)            # level at first appearance


def _plan_lines(doc: Document, plan: Plan) -> list[_Line]:
    """The content lines of ``plan``: furniture and the title line left out, gaps remembered."""
    s0, e0 = plan.span
    lo, hi = bisect_left(doc.furniture, (s0, -1)), bisect_left(doc.furniture, (e0 + 1, -1))
    left_out = {s for s, _ in doc.furniture[lo:hi]}
    t_end = plan.title_span[1] if plan.title_span else s0
    title_key = doc.norm[plan.title_span[0]:plan.title_span[1]].replace(" ", "") if plan.title_span else None
    out: list[_Line] = []
    gap, pos = False, s0
    for raw in doc.norm[s0:e0].split("\n"):
        ls, le = pos, pos + len(raw)
        pos = le + 1
        stripped = raw.strip()
        if not stripped:
            continue
        start = ls + (len(raw) - len(raw.lstrip()))
        end = start + len(stripped)
        if start in left_out:
            gap = gap or bool(out)
            continue
        if start < t_end:                       # the title line (or lines)
            rest = doc.norm[t_end:end].lstrip()
            mk = match_marker(rest) if t_end < end else None
            if mk:
                out.append(_Line(end - len(rest), end, rest, mk, virtual=True))
            continue
        if title_key and stripped.replace(" ", "") == title_key:
            continue                            # the title repeated inside the plan
        out.append(_Line(start, end, stripped, match_marker(stripped), gap))
        gap = False
    return out


def _title_bounds(line: _Line, after: int) -> tuple[int, int]:
    """Offsets in ``line.norm`` of the title after the marker (GUIDE.md title rule)."""
    s = after
    while s < len(line.norm) and line.norm[s] == " ":
        s += 1
    e = line.norm.find("。", s)
    e = len(line.norm) if e < 0 else e
    while e > s and line.norm[e - 1] in _TRAIL:
        e -= 1
    return s, e


def _find(stack: list[_Frame], style: str) -> Optional[int]:
    for j in range(len(stack) - 1, -1, -1):
        if stack[j].style == style:
            return j
    return None


@lru_cache(maxsize=1)
def _families() -> dict[str, str]:
    """Marker styles that are one way of numbering typed differently ("1." and "1、")."""
    return {s["key"]: s["family"] for s in settings()["style"] if s.get("family")}


def _dotted_parent(st: _State, mk: Marker) -> bool:
    """A new dotted list ("2.1") sits under the heading its prefix names (二、 or 2.), or opens the plan."""
    if not any(f.section is not None or f.style for f in st.stack):
        return True
    if mk.style == "dotted3":
        return any(f.style == "dotted2" and f"{f.pre}.{f.last}" == mk.prefix for f in st.stack)
    return any(f.style and not f.style.startswith("dotted") and str(f.last) == mk.prefix for f in st.stack)


def _numbered_level(st: _State, mk: Marker, gap: bool, g: _Gates) -> Optional[int]:
    """The level of a numbered line when it keeps its style's sequence (stack updated), else None."""
    pos = _find(st.stack, mk.style)
    if pos is not None:
        f = st.stack[pos]
        if mk.prefix != f.pre:
            ok = mk.number == 1 or gap
        else:
            ok = mk.number in (f.last + 1, 1) or gap
        if not ok:
            return None
        del st.stack[pos:]
        return f.level
    fam = _families().get(mk.style)
    for j in range(len(st.stack) - 1, -1, -1):     # "2、" after "1." — one list typed two ways
        f = st.stack[j]
        if fam and _families().get(f.style) == fam and mk.number == f.last + 1:
            del st.stack[j:]
            return f.level
    if mk.style in _NO_LENIENT_START and not gap and not _dotted_parent(st, mk):
        return None
    lenient = mk.style not in _NO_LENIENT_START and not st.numbered and mk.number <= g.max_first
    # numbering that runs on across parents (第三条 after 第二章 第二条)
    runs_on = st.last_seen.get((mk.style, mk.prefix), -9) + 1 == mk.number
    if not (mk.number == 1 or gap or lenient or runs_on):
        return None
    below = st.stack[-1].level + 1 if st.stack else 1
    seen = st.style_level.get(mk.style)
    if seen is not None and seen > below:
        return seen                 # a style keeps the level of its first appearance (一、→1. skips （一）)
    st.style_level.setdefault(mk.style, below)
    return below


def _topic_ok(text: str, g: _Gates, limit: int) -> bool:
    """A line short and plain enough to be an unnumbered heading."""
    if not text or len(text) > limit or g.forbidden.search(text) or g.bad_end.search(text):
        return False
    if text[0] in "(—-《“\"" or match_field(text):
        return False
    return sum("\u4e00" <= c <= "\u9fff" for c in text) >= 2


def _restart_level(st: _State, nxt: Optional[_Line]) -> Optional[int]:
    """When ``nxt`` restarts (at 1) a style already in use, the level of that style (stack popped)."""
    if nxt is None or nxt.marker is None or nxt.marker.number != 1:
        return None
    pos = _find(st.stack, nxt.marker.style)
    if pos is None:
        return None
    level = st.stack[pos].level
    del st.stack[pos:]
    return level


def _unnumbered_level(st: _State, line: _Line, nxt: Optional[_Line], g: _Gates) -> Optional[int]:
    """Steps 2 and 3 of the cascade: the level of an unnumbered heading, or None for body text."""
    text = line.norm
    label = text[:-1].rstrip() if text.endswith(":") else None
    name = g.year_prefix.sub("", label if label is not None else text)
    known = name in g.lexicon and len(text) <= g.lexicon_max
    # 2. a label over a restarted list, or a known section name
    if label is not None and (known or len(label) <= g.label_max) and _topic_ok(label, g, g.label_max + 4):
        level = _restart_level(st, nxt)
        if level is not None:
            return level
    if known and _topic_ok(name, g, g.lexicon_max):
        level = _restart_level(st, nxt)
        if level is not None:
            return level
        if not st.stack:
            return 1
        if st.stack[-1].style == "":
            return st.stack.pop().level
        return None
    # 3. a short topic line over field lines
    if label is None and nxt is not None and nxt.marker is None and match_field(nxt.norm, known_only=True):
        if _topic_ok(text, g, g.topic_max):
            if st.stack and st.stack[-1].style == "":
                return st.stack.pop().level
            return st.stack[-1].level + 1 if st.stack else 1
    return None


def _field(doc: Document, line: _Line, m: re.Match, offset: int = 0) -> Field:
    vs, ve = line.start + offset + m.start("value"), line.start + offset + m.end("value")
    return Field(name=doc.text[line.start + offset + m.start("name"):line.start + offset + m.end("name")],
                 value=doc.text[vs:ve].strip(), span=(line.start, line.end), value_span=(vs, ve))


def _add_section(doc: Document, plan: Plan, st: _State, line: _Line, level: int,
                 mk: Optional[Marker], after: int) -> Section:
    ts, te = _title_bounds(line, after)
    parent = next((f.section for f in reversed(st.stack) if f.section is not None), None)
    sec = Section(
        section_id=f"{plan.plan_id}:s{len(st.sections) + 1}", level=level,
        marker=doc.text[line.start:line.start + after] if mk else "",
        number=mk.number if mk else None, style=mk.style if mk else "",
        title=doc.text[line.start + ts:line.start + te], heading_span=(line.start, line.end),
        title_span=(line.start + ts, line.start + te), body_span=(line.end, line.end),
        parent_id=parent.section_id if parent else None)
    st.sections.append(sec)
    st.stack.append(_Frame(mk.style if mk else "", level, mk.number if mk else 0, mk.prefix if mk else "", sec))
    return sec


def build_sections(doc: Document, plan: Plan) -> list[Section]:
    """The headings of ``plan`` in document order, each with level, parent, title, body and fields."""
    g = _gates()
    st = _State()
    lines = _plan_lines(doc, plan)
    for k, line in enumerate(lines):
        nxt = lines[k + 1] if k + 1 < len(lines) else None
        mk = line.marker
        if mk is not None:
            rest = line.norm[mk.end:].lstrip()
            if len(rest) < g.min_title or (mk.style in _NO_LENIENT_START and rest[0] in g.dotted_bad_next):
                mk = None
            elif st.inline.get(mk.style, -9) + 1 == mk.number:
                st.inline[mk.style] = mk.number     # an item of a list inside a field value
                continue
        if mk is not None:
            level = _numbered_level(st, mk, line.gap, g)
            if level is not None:
                st.numbered = True
                st.last_seen[(mk.style, mk.prefix)] = mk.number
                st.inline.clear()
                if line.virtual:
                    st.stack.append(_Frame(mk.style, level, mk.number, mk.prefix, None))
                    continue
                sec = _add_section(doc, plan, st, line, level, mk, mk.end)
                fm = match_field(line.norm[mk.end:].lstrip(), known_only=True)
                if fm:
                    sec.fields.append(_field(doc, line, fm, len(line.norm) - len(line.norm[mk.end:].lstrip())))
                continue
        fm = match_field(line.norm) if mk is None else None
        if fm is not None:
            if st.sections:
                st.sections[-1].fields.append(_field(doc, line, fm))
            inner = match_marker(fm.group("value"))
            if inner:
                st.inline[inner.style] = inner.number
            continue
        if mk is None and not line.virtual:
            level = _unnumbered_level(st, line, nxt, g)
            if level is not None:
                _add_section(doc, plan, st, line, level, None, 0)
    for a, b in zip(st.sections, st.sections[1:]):
        a.body_span = (a.heading_span[1], b.heading_span[0])
    if st.sections:
        last = st.sections[-1]
        last.body_span = (last.heading_span[1], max(plan.span[1], last.heading_span[1]))
    return st.sections
