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
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Optional

from ..model import Document, Field, Plan, Section
from .fields import Marker, match_field, match_marker, settings

_TRAIL = "。;: "          # dropped from the end of a title (normalised forms of 。；;：:)
_INLINE_FIRST = re.compile(r":\s*(?=1[、.]|\(1\)|①)")   # a list's first item after a colon in a heading
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
    max_skip: int                   # numbers a list may skip (an item lost by the site: 1、 then 3、)
    lead: re.Pattern                # a short lead sentence on its own line ("着力发展在线经济。")
    lead_min_run: int
    part: re.Pattern                # a part's title on its own line ("关于外交工作")


@lru_cache(maxsize=1)
def _gates() -> _Gates:
    cfg = settings()
    g = cfg["gates"]
    return _Gates(max_first=g["max_first_number"], min_title=g["min_title_chars"],
                  topic_max=g["topic_max_chars"], label_max=g["label_max_chars"],
                  lexicon_max=g["lexicon_max_chars"], forbidden=re.compile(cfg["topic"]["forbidden"]),
                  bad_end=re.compile(cfg["topic"]["bad_end"]), lexicon=frozenset(cfg["lexicon"]["names"]),
                  year_prefix=re.compile(r"^((19|20)\d\d|20[x\-*]{2}|[x]{4})年度?", re.IGNORECASE),
                  dotted_bad_next=g["dotted_bad_next"], max_skip=g["max_skip"],
                  lead=re.compile(cfg["lead"]["pattern"]), lead_min_run=cfg["lead"]["min_run"],
                  part=re.compile(cfg["part"]["pattern"]))


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
    opened: Optional[tuple[str, int]] = None    # (style, number) of a list's first item inside a heading line


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


def _numbered_level(st: _State, mk: Marker, gap: bool, g: _Gates, nested: bool = False) -> Optional[int]:
    """The level of a numbered line when it keeps its style's sequence (stack updated), else None.
    ``nested``: a list restarting at 1 that the outer list goes on after goes one level down."""
    pos = _find(st.stack, mk.style)
    if nested and pos is not None:
        return st.stack[-1].level + 1
    # an outer list of the same style goes on exactly where an inner one stops ("4" … "1 2 3" … "5")
    for j in range(len(st.stack) - 1, -1, -1):
        f = st.stack[j]
        if f.style == mk.style and f.pre == mk.prefix and f.last + 1 == mk.number:
            pos = j
            break
    if pos is not None:
        f = st.stack[pos]
        if mk.prefix != f.pre:
            ok = mk.number == 1 or gap
        else:
            ok = mk.number == 1 or f.last < mk.number <= f.last + 1 + g.max_skip or gap
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
    # a list whose first item stands inside the heading line above ("八、文化周活动:1、健身操比赛")
    opened = st.opened is not None and st.opened == (mk.style, mk.number - 1)
    if not (mk.number == 1 or gap or lenient or runs_on or opened):
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
        # a label over a list that opens at 1 in a style not yet in use ("低保工作:" + "1、")
        if (not known and nxt is not None and nxt.marker is not None and nxt.marker.number == 1
                and _find(st.stack, nxt.marker.style) is None and not match_field(text, known_only=True)):
            return st.stack[-1].level + 1 if st.stack else 1
    if known and _topic_ok(name, g, g.lexicon_max):
        pos = _find(st.stack, "")
        if pos is not None and st.stack[pos].section is not None:
            level = st.stack[pos].level       # a sibling of an earlier section name ("2023年主要任务")
            del st.stack[pos:]
            return level
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
            return _beside_or_below(st)
    return None


def _beside_or_below(st: _State) -> int:
    """The level of an unnumbered heading: beside the unnumbered heading on top of the stack (popped),
    else one below the top."""
    if st.stack and st.stack[-1].style == "":
        return st.stack.pop().level
    return st.stack[-1].level + 1 if st.stack else 1


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


def _lead_sentences(lines: list[_Line], g: _Gates) -> set[int]:
    """Indexes of short lead sentences that stand on their own line over a paragraph
    ("着力发展在线经济。" + its text), at least ``lead_min_run`` of them under one numbered heading:
    unnumbered headings one level below it."""
    groups: dict[int, list[int]] = {}
    parent = -1
    for k, line in enumerate(lines):
        if line.marker is not None:
            parent = k
            continue
        nxt = lines[k + 1] if k + 1 < len(lines) else None
        text = line.norm
        if (parent >= 0 and nxt is not None and nxt.marker is None and len(nxt.norm) > 2 * len(text)
                and g.lead.fullmatch(text)):
            groups.setdefault(parent, []).append(k)
    return {k for ks in groups.values() if len(ks) >= g.lead_min_run for k in ks}


def _nested_restarts(lines: list[_Line], heads: Optional[frozenset[int]] = None) -> set[int]:
    """Indexes of lines that open a list at 1 inside an item of the same style: the outer list
    goes on with the next number after the inner one ends ("四、" "一、 二、 三、" "五、"). With the line
    model's ``heads``, only the lines it calls headings count."""
    out = set()
    last: dict[tuple[str, str], int] = {}
    if heads is not None:
        lines = [ln if ln.virtual or ln.start in heads else replace(ln, marker=None) for ln in lines]
    for i, line in enumerate(lines):
        mk = line.marker
        if mk is None:
            continue
        key = (mk.style, mk.prefix)
        prev = last.get(key, 0)
        last[key] = mk.number
        if mk.number != 1 or prev < 2:
            continue
        run, inner = 1, 0
        for j in range(i + 1, len(lines)):
            m2 = lines[j].marker
            if m2 is None or (m2.style, m2.prefix) != key:
                continue
            if m2.number == run + 1:
                run, inner = run + 1, 0
                continue
            if m2.number == 1 or (inner and m2.number == inner + 1):
                inner = m2.number       # a list nested one more level inside the run: skipped
                continue
            if m2.number == prev + 1:
                out.add(i)
            break
    return out


def _part_titles(lines: list[_Line], g: _Gates) -> dict[int, int]:
    """Short plain lines between paragraphs ("关于外交工作") whose next numbered line opens a list at 1:
    index → index of that numbered line (the caller checks that the list starts again)."""
    out: dict[int, int] = {}
    nxt_numbered = None
    for k in range(len(lines) - 1, -1, -1):
        line = lines[k]
        if line.marker is not None:
            nxt_numbered = k
            continue
        if nxt_numbered is None or lines[nxt_numbered].marker.number != 1:
            continue
        after = lines[k + 1] if k + 1 < len(lines) else None
        if (after is not None and after.marker is None and len(after.norm) > 2 * len(line.norm)
                and "。" in after.norm and g.part.fullmatch(line.norm)):
            out[k] = nxt_numbered
    return out


def _forced_level(st: _State, mk: Marker) -> int:
    """The level of a numbered line the line model calls a heading although its number breaks the
    sequence: the level of its style where in use (stack popped), else one below the top."""
    pos = _find(st.stack, mk.style)
    if pos is not None:
        level = st.stack[pos].level
        del st.stack[pos:]
        return level
    below = st.stack[-1].level + 1 if st.stack else 1
    seen = st.style_level.get(mk.style)
    return seen if seen is not None and seen > below else st.style_level.setdefault(mk.style, below)


def build_sections(doc: Document, plan: Plan, heads: Optional[frozenset[int]] = None) -> list[Section]:
    """The headings of ``plan`` in document order, each with level, parent, title, body and fields.

    ``heads``: the offsets of the lines the line model calls headings (their first non-space
    character); the rules then only place them in the tree. None: the rules decide."""
    g = _gates()
    st = _State()
    lines = _plan_lines(doc, plan)
    leads = _lead_sentences(lines, g)
    parts = _part_titles(lines, g)
    nested = _nested_restarts(lines, heads)
    for k, line in enumerate(lines):
        nxt = lines[k + 1] if k + 1 < len(lines) else None
        told = None if heads is None or line.virtual else line.start in heads
        mk = line.marker
        if told is False:
            if mk is None:
                fm = match_field(line.norm)
                if fm is not None and st.sections:
                    st.sections[-1].fields.append(_field(doc, line, fm))
            continue
        if mk is not None:
            rest = line.norm[mk.end:].lstrip()
            if rest and (len(rest) < g.min_title or (mk.style in _NO_LENIENT_START and rest[0] in g.dotted_bad_next)):
                mk = None       # a marker alone on its line stays a heading (its title is on the next line)
            elif not told and st.inline.get(mk.style, -9) + 1 == mk.number:
                st.inline[mk.style] = mk.number     # an item of a list inside a field value
                continue
        if mk is not None:
            level = _numbered_level(st, mk, line.gap, g, k in nested)
            if level is None and told:
                level = _forced_level(st, mk)
            if level is not None:
                st.numbered = True
                st.last_seen[(mk.style, mk.prefix)] = mk.number
                st.inline.clear()
                if line.virtual:
                    st.stack.append(_Frame(mk.style, level, mk.number, mk.prefix, None))
                    continue
                sec = _add_section(doc, plan, st, line, level, mk, mk.end)
                inner = _INLINE_FIRST.search(line.norm, mk.end)
                st.opened = None
                if inner:
                    first = match_marker(line.norm[inner.end():])
                    st.opened = (first.style, first.number) if first and first.number == 1 else None
                fm = match_field(line.norm[mk.end:].lstrip(), known_only=True)
                if fm:
                    sec.fields.append(_field(doc, line, fm, len(line.norm) - len(line.norm[mk.end:].lstrip())))
                continue
        fm = match_field(line.norm) if mk is None and not told else None
        if fm is not None:
            if st.sections:
                st.sections[-1].fields.append(_field(doc, line, fm))
            inner = match_marker(fm.group("value"))
            if inner:
                st.inline[inner.style] = inner.number
            continue
        if k in leads:
            _add_section(doc, plan, st, line, _beside_or_below(st), None, 0)
            continue
        if mk is None and not line.virtual and k in parts:
            level = _restart_level(st, lines[parts[k]])
            if level is not None:           # a part's title over a list that starts again
                _add_section(doc, plan, st, line, level, None, 0)
                continue
        if mk is None and not line.virtual:
            level = _unnumbered_level(st, line, nxt, g)
            if level is None and told:
                level = _beside_or_below(st)
            if level is not None:
                _add_section(doc, plan, st, line, level, None, 0)
    for a, b in zip(st.sections, st.sections[1:]):
        a.body_span = (a.heading_span[1], b.heading_span[0])
    if st.sections:
        last = st.sections[-1]
        last.body_span = (last.heading_span[1], max(plan.span[1], last.heading_span[1]))
    return st.sections
