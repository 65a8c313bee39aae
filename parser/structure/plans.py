"""Split a page's text into plans (篇一/篇二, repeated titles, numbered collections), furniture left out.

The cascade, each step written down and measured on the dev set:
1. every line gets a furniture kind (parser/structure/furniture.py); lines above a breadcrumb or menu are the
   site's header; a paywall/footer line ends the plan above it (the rest is furniture up to the
   next plan of a collection);
2. lines that index a collection ("……篇一", "……(一)", "……1" after a plan word), or plan titles
   numbered like headings that each restart their own list, open one plan each;
3. otherwise one plan opens at its title line — the first content line when it looks like a title
   (a page header repeated just below, as in "……(2800字)" over the title, gives way to it) — or at
   the first content line with title "" when there is no title line; a title glued to the text
   ("……www.site.com2024年……计划一、……") is cut out of its line;
4. a later line repeating the title opens another plan once the first has a numbered body.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from ..model import Document, Plan, Span
from . import furniture as fu
from .fields import cn_number, match_field, match_marker, settings


# pinyin glosses some pages put inside words ("计(jì)划"): skipped when looking for a plan word
_ANNOTATION = re.compile(r"\([a-zA-Z\u00c0-\u024f\s]+\)")
_PUNCT = re.compile(r"[,.;:!?。、\s]")     # a title glued to its sentence has none of these
# the last character of a line indexed as "……(一)", "……1", "……【2】"
_INDEX_ENDS = frozenset(")]】0123456789")


@dataclass(frozen=True)
class _PlanRules:
    """The [plan] table of headings.toml, compiled."""

    keywords: re.Pattern        # a plan word at the end of a title base
    index_keywords: re.Pattern  # a plan word a weak index may follow
    keyword_any: re.Pattern     # a plan word anywhere (glued titles)
    strong: list[re.Pattern]
    weak: list[re.Pattern]
    prefix: re.Pattern
    note: re.Pattern
    date_line: re.Pattern
    issuer_end: re.Pattern
    title_next: re.Pattern
    glued_page_number: re.Pattern
    glued_site: re.Pattern
    glued_marker: re.Pattern
    glued_index: re.Pattern
    opener: re.Pattern
    title_max: int
    min_plan_chars: int
    site_label_max: int


@lru_cache(maxsize=1)
def _rules() -> _PlanRules:
    cfg = settings()["plan"]
    words = "|".join(map(re.escape, sorted(cfg["keywords"], key=len, reverse=True)))
    index_words = "|".join(map(re.escape, sorted(cfg["index_keywords"], key=len, reverse=True)))
    return _PlanRules(
        keywords=re.compile(rf"(?:{words})$"), keyword_any=re.compile(words),
        index_keywords=re.compile(rf"(?:{index_words})$"),
        strong=[re.compile(p) for p in [*cfg["index_strong"], cfg["index_alone"]]],
        weak=[re.compile(p) for p in cfg["index_weak"]], prefix=re.compile(cfg["index_prefix"]),
        note=re.compile(cfg["note"]), date_line=re.compile(cfg["date_line"], re.IGNORECASE),
        issuer_end=re.compile(cfg["issuer_end"]), title_next=re.compile(cfg["title_next"]),
        glued_page_number=re.compile(cfg["glued_page_number"]),
        glued_site=re.compile(cfg["glued_site"], re.IGNORECASE), glued_marker=re.compile(cfg["glued_marker"]),
        glued_index=re.compile(cfg["glued_index"]), opener=re.compile(cfg["sentence_opener"]),
        title_max=cfg["title_max_chars"], min_plan_chars=cfg["min_plan_chars"],
        site_label_max=cfg["site_label_max_chars"],
    )


@dataclass
class Start:
    """Where a plan opens: its first line and its title's extent."""

    line: int
    title_span: Optional[Span]      # None: no title line
    last_title_line: int            # the title's last line (a title may take two lines)
    index: Optional[int] = None     # the plan's number in a collection


def _collection_index(line: str, r: _PlanRules) -> Optional[int]:
    """The plan's index when ``line`` is an item title of a collection ("……篇二" → 2), else None."""
    if len(line) > r.title_max or "。" in line:
        return None
    if "篇" not in line and "范文" not in line and line[-1] not in _INDEX_ENDS:
        return None
    if match_marker(line):
        return None
    for pat in r.strong:
        m = pat.match(line)
        if m:
            return cn_number(m.group("num"))
    m = r.prefix.match(line)
    if m:
        base = _ANNOTATION.sub("", m.group("base")).rstrip()
        if not base or r.keywords.search(base):
            return cn_number(m.group("num") or m.group("num2") or m.group("num3"))
    for pat in r.weak:
        m = pat.match(line)
        if m and r.index_keywords.search(_ANNOTATION.sub("", m.group("base")).rstrip()):
            return cn_number(m.group("num"))
    return None


def _glued_index(line: str, r: _PlanRules) -> Optional[tuple[int, int]]:
    """(index, title end) of a collection item whose body is glued after its index
    ("……工作计划 篇1" + "20xx年我社区……"), else None."""
    if match_marker(line):
        return None
    m = r.glued_index.match(line)
    if m and r.index_keywords.search(_ANNOTATION.sub("", m.group("base")).rstrip()):
        num = cn_number(m.group("num"))
        return (num, m.end("num")) if num is not None else None
    return None


def _collection_starts(lines: list[str], kinds: list[str], r: _PlanRules) -> list[tuple[int, int, int]]:
    """(line, index, title end) of the plans of a collection; weak indexes must count 1, 2, 3 …"""
    out, last = [], 0
    for i, (line, kind) in enumerate(zip(lines, kinds)):
        if kind != fu.CONTENT:
            continue
        num, end = _collection_index(line, r), len(line)
        strong = num is not None and (any(p.match(line) for p in r.strong) or bool(r.prefix.match(line)))
        if num is None:
            glued = _glued_index(line, r)
            if glued is None:
                continue
            (num, end), strong = glued, True
        if strong or num == last + 1 or (not out and num <= 2):
            out.append((i, num, end))
            last = num
    return out


def _numbered_collection(lines: list[str], kinds: list[str], r: _PlanRules) -> list[tuple[int, int, int]]:
    """Plans numbered like headings ("一、XX镇工作计划" … "二、XX村工作计划"): at least two lines of one
    marker style counting 1, 2, … whose text is a plan title, each followed by its own list that
    restarts that style at 1 (a report's "一、2023年工作总结" over "（一）……" is not a collection)."""
    by_style: dict[str, list[tuple[int, int]]] = {}
    ones: dict[str, list[int]] = {}
    for i, (line, kind) in enumerate(zip(lines, kinds)):
        if kind != fu.CONTENT:
            continue
        mk = match_marker(line)
        if mk is None:
            continue
        if mk.number == 1:
            ones.setdefault(mk.style, []).append(i)
        rest = line[mk.end:].strip()
        if (rest and len(rest) <= r.title_max and "。" not in rest
                and r.index_keywords.search(_ANNOTATION.sub("", rest).rstrip("》”\"' "))):
            by_style.setdefault(mk.style, []).append((i, mk.number))
    for style, items in by_style.items():
        if len(items) < 2 or [n for _, n in items] != list(range(1, len(items) + 1)):
            continue
        starts = [i for i, _ in items]
        bounds = starts[1:] + [len(lines)]
        if all(any(a < j < b for j in ones.get(style, ())) for a, b in zip(starts, bounds)):
            return [(i, n, len(lines[i])) for i, n in items]
    return []


def _title_like(line: str, r: _PlanRules) -> bool:
    """A line that can stand as a plan's title: short, no sentence end, not a heading or field."""
    if not line or len(line) > r.title_max or "。" in line or line[-1] in ":,;、":
        return False
    if r.note.match(line) or r.date_line.match(line) or match_marker(line) or match_field(line, known_only=True):
        return False
    return True


def _nospace(s: str) -> str:
    return s.replace(" ", "")


def _glued_title(line: str, r: _PlanRules) -> Optional[tuple[int, int]]:
    """(start, end) of a title glued into a longer first line, or None.

    A site address or a page number before it is skipped; the title ends before a first heading
    marker ("一、"), after a skipped prefix at the first plan word ("……工作规划今年是……"), or at
    plan words that a sentence opener follows ("……工作计划范文" + "为了更好地……")."""
    start, skipped = 0, False
    for pat in (r.glued_site, r.glued_page_number):
        m = pat.match(line, start)
        if m:
            start, skipped = m.end(), True
    m = r.glued_marker.search(line, start, start + r.title_max + 1)
    if m and m.start() > start + 3 and r.keyword_any.search(line, start, m.start()):
        return start, m.start()
    if skipped:
        m = r.keyword_any.search(line, start + 2, start + r.title_max + 1)
        if m:
            return start, m.end()
    return _title_before_opener(line, start, r)


def _title_before_opener(line: str, start: int, r: _PlanRules) -> Optional[tuple[int, int]]:
    """(start, end) of plan words ending a title that runs straight into a sentence: no punctuation
    before them, a sentence opener right after them."""
    for m in r.keyword_any.finditer(line, start + 2, start + r.title_max + 1):
        if _PUNCT.search(line, start, m.start()):
            break
        if r.opener.match(line, m.end()):
            return start, m.end()
    return None


def _single_start(lines: list[str], kinds: list[str], lo: int, r: _PlanRules,
                  hi: Optional[int] = None) -> Optional[Start]:
    """Where the one plan of lines ``lo:hi`` starts (see the module docstring, step 3)."""
    content = [i for i in range(lo, len(lines) if hi is None else hi) if kinds[i] == fu.CONTENT]
    if not content:
        return None
    first = content[0]
    if not _title_like(lines[first], r):
        glued = _glued_title(lines[first], r)
        return Start(first, glued, first) if glued else Start(first, None, first)
    cur, cur_end = first, _title_end(lines, content, 0, r)
    k = content.index(cur_end) + 1
    # a page header over the title: the next title-like line repeats (part of) it ...
    while k < len(content):
        j = content[k]
        if not _title_like(lines[j], r):
            # ... or metadata rows stand between it and the document's own title, glued to its text
            glued = _title_before_opener(lines[j], 0, r) if _metadata_between(kinds, cur_end, j) else None
            if glued and cur_end == cur:
                kinds[cur] = fu.FURNITURE
                return Start(j, glued, j)
            break
        j_end = _title_end(lines, content, k, r)
        joined = _nospace("".join(lines[x] for x in content[k:content.index(j_end) + 1]))
        repeats = len(joined) >= 2 and joined in _nospace(lines[cur])
        # ... or the line above has no plan word and this one has (a site's or body's name above)
        better = (len(lines[cur]) <= r.site_label_max and not r.keyword_any.search(lines[cur])
                  and r.keyword_any.search(joined))
        # ... or metadata rows stand between the two (a column's or page's name, then the document)
        below_meta = _metadata_between(kinds, cur_end, j) and r.keyword_any.search(joined)
        if cur_end == cur and (repeats or better or below_meta):
            kinds[cur] = fu.FURNITURE
            cur, cur_end = j, j_end
            k = content.index(j_end) + 1
            continue
        break
    title_span = (0, len(lines[cur]))
    if cur_end == cur:
        m = r.glued_marker.search(lines[cur], 4)
        if m and m.end() < len(lines[cur]) and r.keyword_any.search(lines[cur], 0, m.start()):
            title_span = (0, m.start())      # "……方案一、背景分析": the first heading glued to the title
    return Start(cur, title_span, cur_end)


def _after_footers(lines: list[str], kinds: list[str], starts: list[Start], r: _PlanRules) -> list[Start]:
    """``starts`` with the documents that follow one another on a page, each closed by its footer or
    licence notice: below a terminal line, a title with a plan word over a body of its own opens a plan
    (see ``_own_document``). Links to other pages below a footer have no body."""
    out: list[Start] = []
    for n, first in enumerate(starts):
        out.append(first)
        hi = starts[n + 1].line if n + 1 < len(starts) else len(lines)
        last = first
        while True:
            term = next((i for i in range(last.last_title_line + 1, hi) if kinds[i] == fu.TERMINAL), None)
            if term is None:
                break
            nxt = next((Start(i, (0, len(lines[i])), i) for i in range(term + 1, hi)
                        if kinds[i] == fu.CONTENT and _title_like(lines[i], r) and r.keyword_any.search(lines[i])
                        and _own_document(lines, kinds, i, r)), None)
            if nxt is None:
                break
            out.append(nxt)
            last = nxt
    return out


def _own_document(lines: list[str], kinds: list[str], i: int, r: _PlanRules) -> bool:
    """A title at line ``i`` heads a document of its own up to the next terminal line: a numbered body
    of at least ``min_plan_chars``, or an unnumbered one five times as long."""
    stop = next((j for j in range(i + 1, len(lines)) if kinds[j] == fu.TERMINAL), len(lines))
    st = Start(i, (0, len(lines[i])), i)
    numbered = any(match_marker(lines[j]) for j in range(i + 1, stop))
    return _has_body(lines, kinds, st, stop, r, 1 if numbered else 5)


def _has_body(lines: list[str], kinds: list[str], st: Start, stop: int, r: _PlanRules, times: int = 1) -> bool:
    """A plan opening at ``st`` holds at least ``times`` × ``min_plan_chars`` of content before ``stop``."""
    body = sum(len(lines[i]) for i in range(st.last_title_line + 1, stop) if kinds[i] == fu.CONTENT)
    return body >= times * r.min_plan_chars


def _metadata_between(kinds: list[str], a: int, b: int) -> bool:
    """Page furniture (metadata rows, tools) and nothing else stands between lines ``a`` and ``b``."""
    between = [k for k in kinds[a + 1:b] if k != fu.BLANK]
    return bool(between) and all(k in fu.LEFT_OUT for k in between)


def _title_end(lines: list[str], content: list[int], k: int, r: _PlanRules) -> int:
    """The last line of a title that starts at ``content[k]``: an issuer's name on its own line
    ("……委员会", "中国人民政治协商会议") goes on in the next lines ("第七届……委员会",
    "关于印发……的通知", "2023年工作要点"), up to three lines. A site's name over a title that opens
    with that name ("某区政协" over "某区政协2024年……计划") is no issuer line: the title is below it."""
    i = content[k]
    if r.keyword_any.search(lines[i]) or not r.issuer_end.search(lines[i]):
        return i
    for n in range(k + 1, min(k + 3, len(content))):
        j = content[n]
        if not _title_like(lines[j], r) or _nospace(lines[j]).startswith(_nospace(lines[i])):
            break
        if r.title_next.match(lines[j]) or r.keywords.search(lines[j].rstrip("》”\"'")):
            return j
        if not r.issuer_end.search(lines[j]) or r.keyword_any.search(lines[j]):
            break
    return i


def _header_cut(lines: list[str], kinds: list[str], r: _PlanRules) -> int:
    """The first line after the site's header: below the last breadcrumb/menu line above the first
    paragraph or heading."""
    cut = 0
    for i, k in enumerate(kinds):
        if k == fu.NAV:
            cut = i + 1
        elif k == fu.CONTENT and not _title_like(lines[i], r):
            break
    return cut


@dataclass
class Page:
    """A document's lines as the plan splitter reads them: offsets, normalised stripped text, kinds."""

    spans: list[tuple[int, int]]    # (start, end) of each line in the text
    lead: list[int]                 # leading spaces of each line
    lines: list[str]                # the normalised line, stripped
    kinds: list[str]                # the furniture kind of each line (furniture.py)


# white space, and a Markdown heading's marks ("## "), before a line's text: not part of the line
_MARKDOWN_LEAD = re.compile(r"^\s*(?:#{1,6}\s+(?=\S))?\s*")


def read_page(doc: Document) -> Page:
    """The lines of ``doc`` with their furniture kinds (step 1 of the cascade, before the header cut)."""
    r = _rules()
    spans = fu.line_spans(doc.text)
    lead, lines = [], []
    for s, e in spans:
        raw = doc.norm[s:e]
        stripped = _MARKDOWN_LEAD.sub("", raw)
        line = stripped.rstrip()
        if len(line) > 4 and line[:2] in ("**", "__") and line.endswith(line[:2]) and line[:2] not in line[2:-2]:
            stripped = stripped[2:].lstrip()                       # a line set in bold as a whole
            line = stripped.rstrip()[:-2].rstrip()
        lead.append(len(raw) - len(stripped))
        lines.append(line)
    kinds = fu.classify_lines(lines, lambda line: _title_like(line, r) and bool(r.keyword_any.search(line)))
    return Page(spans, lead, lines, kinds)


def rule_starts(page: Page) -> list[Start]:
    """Where the rules open plans (steps 1-4 of the cascade); ``page.kinds`` gets the lines they leave out."""
    r = _rules()
    lines, kinds = page.lines, page.kinds
    cut = _header_cut(lines, kinds, r)
    for i in range(cut):
        if kinds[i] == fu.CONTENT:
            kinds[i] = fu.FURNITURE
    starts: list[Start] = []
    coll = _collection_starts(lines, kinds, r) or _numbered_collection(lines, kinds, r)
    if coll:
        starts = [Start(i, (0, end), i, num) for i, num, end in coll]
        # a collection whose first index is 2 ("【篇二】" after an unnumbered first plan): the text
        # above it is plan 1
        first = _single_start(lines, kinds, cut, r, hi=coll[0][0]) if coll[0][1] == 2 else None
        if first is not None and _has_body(lines, kinds, first, coll[0][0], r):
            starts.insert(0, first)
        for i in range(starts[0].line):
            if kinds[i] == fu.CONTENT:
                kinds[i] = fu.FURNITURE
    else:
        one = _single_start(lines, kinds, cut, r)
        if one:
            starts = _after_footers(lines, kinds, [one] + _repeated_starts(lines, kinds, one, r), r)
    if not starts:
        return []
    # a paywall or footer line closes the page: what follows it is furniture up to the next plan of
    # the collection (one that goes on counting; links to other pages below a footer open none)
    kept = starts[:1]
    for st in starts[1:]:
        prev = kept[-1]
        cut = any(kinds[i] == fu.TERMINAL for i in range(prev.line + 1, st.line))
        if (not cut or (st.index is not None and prev.index is not None and st.index == prev.index + 1)
                or (st.index is None and _own_document(lines, kinds, st.line, r))):
            kept.append(st)
    return kept


def start_at(page: Page, i: int, titled: bool, rule: Optional[Start] = None) -> Start:
    """A plan opening at line ``i`` (the line model's decision): with its title line when ``titled``,
    the title's extent taken from the rules' start at the same line, else from the line itself."""
    if not titled:
        return Start(i, None, i)
    if rule is not None and rule.line == i and rule.title_span is not None:
        return rule
    r = _rules()
    line = page.lines[i]
    if not _title_like(line, r):
        glued = _glued_title(line, r)
        return Start(i, glued or (0, len(line)), i)
    content = [j for j in range(i, min(len(page.lines), i + 8)) if page.kinds[j] == fu.CONTENT or j == i]
    end = _title_end(page.lines, content, 0, r)
    span = (0, len(line))
    m = r.glued_marker.search(line, 4)
    if end == i and m and m.end() < len(line) and r.keyword_any.search(line, 0, m.start()):
        span = (0, m.start())
    return Start(i, span, end)


def build_plans(doc: Document, page: Page, starts: list[Start]) -> list[Plan]:
    """The ``Plan`` of each start, each ending at the first paywall or footer line below it (or at the
    next start); ``doc.furniture`` gets the (non-blank) lines left out."""
    lines, kinds, spans, lead = page.lines, page.kinds, page.spans, page.lead
    if not starts:
        doc.furniture = [(spans[i][0] + lead[i], spans[i][1]) for i, k in enumerate(kinds) if k != fu.BLANK]
        return []
    stops = []
    for n, st in enumerate(starts):
        nxt = starts[n + 1].line if n + 1 < len(starts) else len(lines)
        stop = next((i for i in range(st.line + 1, nxt) if kinds[i] == fu.TERMINAL), nxt)
        for i in range(stop, nxt):
            if kinds[i] != fu.BLANK:
                kinds[i] = fu.TERMINAL
        stops.append(stop)

    plans: list[Plan] = []
    for n, (st, stop) in enumerate(zip(starts, stops)):
        last = st.last_title_line
        for i in range(st.last_title_line, stop):
            if kinds[i] == fu.CONTENT:
                last = i
        line_start = spans[st.line][0] + lead[st.line]
        title, title_span = "", None
        if st.title_span is not None:
            a = line_start + st.title_span[0]
            if st.last_title_line != st.line:
                b = spans[st.last_title_line][0] + lead[st.last_title_line] + len(lines[st.last_title_line])
                parts = [doc.text[spans[i][0]:spans[i][1]].strip() for i in range(st.line, st.last_title_line + 1)]
                title = "".join(parts)
            else:
                b = line_start + st.title_span[1]
                title = doc.text[a:b].strip()
            title_span = (a, b)
        elif doc.page_title:
            title = doc.page_title.strip()
        start = title_span[0] if title_span else line_start
        end = max(spans[last][0] + lead[last] + len(lines[last]), start)
        plans.append(Plan(plan_id=f"{doc.doc_id}:p{n + 1}", title=title, span=(start, end), title_span=title_span))

    covered = [False] * len(lines)
    for st, stop in zip(starts, stops):
        for i in range(st.line, stop):
            covered[i] = True
    doc.furniture = [(spans[i][0] + lead[i], spans[i][1]) for i, k in enumerate(kinds)
                     if k != fu.BLANK and (not covered[i] or k in fu.LEFT_OUT)]
    return plans


def split_plans(doc: Document) -> list[Plan]:
    """The plans of ``doc`` in order, by the rules; ``doc.furniture`` gets the (non-blank) lines left out."""
    page = read_page(doc)
    return build_plans(doc, page, rule_starts(page))


def _repeated_starts(lines: list[str], kinds: list[str], first: Start, r: _PlanRules) -> list[Start]:
    """Later lines that repeat the first plan's title line open plans of their own, once the plan
    before them has numbered headings and some body."""
    if first.title_span is None or first.title_span != (0, len(lines[first.line])):
        return []
    title = _nospace(lines[first.line])
    out, prev, body, numbered = [], first.last_title_line, 0, False
    for i in range(prev + 1, len(lines)):
        if kinds[i] != fu.CONTENT:
            continue
        if _nospace(lines[i]) == title:
            if numbered and body >= r.min_plan_chars:
                out.append(Start(i, (0, len(lines[i])), i))
                body, numbered = 0, False
            continue
        body += len(lines[i])
        numbered = numbered or match_marker(lines[i]) is not None
    return out
