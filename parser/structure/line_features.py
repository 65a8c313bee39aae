"""Features of a document's lines for the line model: the rules' decisions, the line's shape, its neighbours.

The rules of plans.py, sections.py, fields.py and furniture.py run first (``rule_view``); what they
decide for each line (furniture kind, plan start, title, heading and level, field line) becomes a
feature beside the line's shape (length, punctuation, first and last characters, marker style and
its continuity, position). Only non-blank lines are labelled; a line's features also carry its
neighbours' main ones. Classes and shapes, not the text: the model file holds no passage.
"""
from __future__ import annotations

import re
import tomllib
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..model import Document
from . import furniture as fu
from . import plans as pl
from .fields import match_field, match_marker, settings
from .sections import build_sections

# the labels of the line model (GUIDE.md): a plan's title line, a plan's first line when it has no
# title line (heading or not), a heading, an unnumbered field line, body text, furniture, metadata rows
LABELS = ("top", "furniture", "meta", "title", "start", "start_heading", "heading", "field", "body")
STARTS = frozenset({"title", "start", "start_heading"})
HEADINGS = frozenset({"heading", "start_heading"})

_NOTICE = re.compile(r"(关于|印发|通知|转发|批复|决定|公告)")
_YEAR = re.compile(r"(19|20)[\dxX×*-]{2}\s*年")
_URL = re.compile(r"(www\.|https?:|\.com|\.cn)", re.IGNORECASE)
_LISTY = re.compile(r"^(一是|二是|三是|第[一二三四五六七八九十]+[,，]|首先|其次|——)")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# a file's or a collection page's name: a document extension, "VIP", "(精选14篇)", "共12篇"
_FILE_NAME = re.compile(r"(\.(docx?|pdf|wps|txt)|VIP|[(（]?(精选|通用|共)\d+篇[)）]?)\s*\|?$", re.IGNORECASE)
# a site's or column's name ("某某网", "新闻频道", "新湖南 • 看台") and a breadcrumb ("首页 > 工作计划")
_SITE_LABEL = re.compile(r"^.{0,10}(网|网站|频道|客户端|门户|资讯|新闻|看台|专栏|栏目|首页)$|[•·]")
_CRUMB = re.compile(r"\s(>|»|->|→)\s|»|>[^<>]*>")
_IMAGE = re.compile(r"^!\[[^\]]*\]\([^)]*\)$")                  # an image in Markdown
_TOOL_WORD = re.compile(r"^(打印|分享|关闭|收藏|纠错|字号|字体)")
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])")
_DOC_NO = re.compile(r"[〔\[【(（]\s*(19|20)\d\d\s*[〕\]】)）]\s*\d*\s*号")


@dataclass
class RuleView:
    """What the rules decide for each line of a document, and the pieces the model path reuses."""

    page: pl.Page                   # lines and furniture kinds before the plan cascade
    starts: list[pl.Start]          # the rules' plan starts
    kinds: list[str]                # the furniture kinds after the rules' cascade
    labels: list[str]               # the rules' label of each line ("" for a blank line)
    levels: list[int]               # the rules' heading level (0: not a heading)


@lru_cache(maxsize=1)
def _lexicon() -> tuple[re.Pattern, re.Pattern]:
    """The [meta] patterns of furniture.toml as one alternation, and its [tools] pattern."""
    with open(Path(__file__).resolve().parents[1] / "data" / "furniture.toml", "rb") as fh:
        data = tomllib.load(fh)
    return re.compile("|".join(f"(?:{p})" for p in data["meta"]["patterns"])), re.compile(data["tools"]["pattern"])


def is_meta(line: str) -> bool:
    """A metadata row (publication date, source, counters, file number) rather than other furniture."""
    return len(line) <= 120 and bool(_lexicon()[0].search(line))


def is_tool(line: str) -> bool:
    """A page tool or site label alone on its line ("朗读", "全文", "添加到桌面", "文章属性")."""
    return len(line) <= 16 and bool(_lexicon()[1].match(line))


_INDEX_TAIL = re.compile(r"([(【\[]?(篇\w{1,3}|第\w{1,3}篇|\w{1,3})[)】\]]|篇\w{1,3}|第\w{1,3}篇|范文\w{0,3}|\d{1,2}|\(?共?\d{1,3}篇\)?)$")


def title_key(line: str) -> str:
    """A title compared with others: spaces, pinyin glosses and a collection index at its end left out."""
    key = pl._ANNOTATION.sub("", line).replace(" ", "").rstrip("|")
    return _INDEX_TAIL.sub("", key)


def _similar(a: str, b: str) -> bool:
    """Two title keys that name the same document: one holds the other, or they share 8 first characters."""
    if len(a) < 4 or len(b) < 4:
        return False
    return a in b or b in a or (len(a) >= 8 and a[:8] == b[:8])


def line_of(starts: list[int], offset: int) -> int:
    """The index of the line holding ``offset`` (``starts``: each line's first offset)."""
    return bisect_right(starts, offset) - 1


def rule_view(doc: Document) -> RuleView:
    """Run the rules on ``doc`` and read off their decision for every line (``doc.furniture`` kept)."""
    page = pl.read_page(doc)
    ruled = pl.Page(page.spans, page.lead, page.lines, list(page.kinds))
    starts = pl.rule_starts(ruled)
    kept = doc.furniture
    plans = pl.build_plans(doc, ruled, starts)
    n = len(page.lines)
    labels, levels = [""] * n, [0] * n
    covered = [False] * n
    line_starts = [s for s, _ in page.spans]
    for plan, st in zip(plans, starts):
        a, b = line_of(line_starts, plan.span[0]), line_of(line_starts, plan.span[1])
        for i in range(a, b + 1):
            covered[i] = True
        for sec in build_sections(doc, plan):
            i = line_of(line_starts, sec.heading_span[0])
            labels[i], levels[i] = "heading", sec.level
        first = st.line
        if st.title_span is not None:
            labels[first] = "title"
        else:
            labels[first] = "start_heading" if labels[first] == "heading" else "start"
    doc.furniture = kept
    for i, line in enumerate(page.lines):
        if not line or labels[i]:
            continue
        k = ruled.kinds[i]
        if not covered[i] or k in fu.LEFT_OUT:
            labels[i] = "meta" if is_meta(line) else "furniture"
        elif match_field(line) is not None:
            labels[i] = "field"
        else:
            labels[i] = "body"
    return RuleView(page, starts, ruled.kinds, labels, levels)


def is_file_name(line: str) -> bool:
    """A file's or a collection page's name ("……计划.docx", "……方案(通用15篇)", "……共12篇")."""
    return bool(_FILE_NAME.search(line))


def _squeezed(line: str) -> str:
    """``line`` without its table bars, Markdown emphasis marks ("**发布机构**:") and the spaces between
    Chinese characters ("索 引 号" → "索引号")."""
    return _CJK_SPACE.sub("", line.replace("|", " ").replace("**", "").replace("__", "")).strip()


_LABEL_ROW = re.compile(r"^[\u4e00-\u9fff]{2,8}\s*[:：]\s*\S")     # "检索关键词: 测绘, 卫星": a label and its value
_WORDLESS = re.compile(r"^[^\w\u4e00-\u9fff]+$")     # a rule or decoration: "---", "***", "======"


def page_row(view: RuleView, i: int) -> bool:
    """Line ``i`` is a row of the page around the document, never a plan's first line: a page tool (or
    a row of them), a breadcrumb, an image, a file name, a known field row, a site's or column's name."""
    line = _squeezed(view.page.lines[i])
    if not line or _WORDLESS.match(line) or (len(line) <= 80 and _CRUMB.search(line)) or _IMAGE.match(line) or is_file_name(line):
        return True
    if match_field(line, known_only=True):
        return True
    if is_tool(line) or all(is_tool(t) or _TOOL_WORD.match(t) for t in line.split()):
        return True
    return len(line) <= 14 and bool(_SITE_LABEL.search(line)) and not pl._rules().keyword_any.search(line)


def may_title(view: RuleView, i: int) -> bool:
    """Line ``i`` can be a plan's title line: not a page row (``page_row``), a menu, a line without two
    Chinese characters, or, without a plan word, a metadata or label row ("检索关键词: …") or a document
    number."""
    if page_row(view, i) or view.page.kinds[i] == fu.NAV:
        return False
    line = _squeezed(view.page.lines[i])
    if len(_HAN.findall(line)) < 2:         # a title is written in words: not "2024", "---", "A."
        return False
    if pl._rules().keyword_any.search(line):
        return True
    return not _LABEL_ROW.match(line) and not (is_meta(line) or (len(line) <= 30 and _DOC_NO.search(line)))


def has_title(view: RuleView, i: int) -> bool:
    """Line ``i`` holds a title: it is title-like, or a title is glued before its text (not a paragraph)."""
    return _title_part(view.page.lines[i], pl._rules()) is not None


def may_head(line: str) -> bool:
    """A line that can be a heading (GUIDE.md): a numbered one, or a short line with no sentence in it."""
    return match_marker(line) is not None or (len(line) <= 60 and "。" not in line[:-1])


def _len_class(n: int) -> str:
    return "1" if n <= 4 else "5" if n <= 10 else "11" if n <= 20 else "21" if n <= 40 else "41" if n <= 80 else "81"


def _char_class(c: str) -> str:
    if "\u4e00" <= c <= "\u9fff":
        return "han"
    if c.isdigit():
        return "dig"
    if c.isascii() and c.isalpha():
        return "lat"
    return c


@dataclass
class _Context:
    """What a line's features need to know of the lines before it in the window."""

    last_num: dict[str, int]        # the last number of each marker style
    first_start: int                # the rules' first plan start
    repeats: set[str]               # lines (spaces removed) written more than once
    similar: dict[int, list[str]]   # title-like lines like another one near: "<"/">" (above/below), with
                                    # what stands between ("a" nothing, "m" furniture only, "b" content)
    around: dict[int, list[str]]    # the shapes of the content lines before and after (see _around)
    content: int = 0                # content lines (raw kind) seen so far
    titles: int = 0                 # title-like lines with a plan word seen so far


def _own(view: RuleView, i: int, seq_pos: int, seq_len: int, ctx: _Context) -> list[str]:
    """The features of line ``i`` alone (no neighbours)."""
    r = pl._rules()
    line = view.page.lines[i].rstrip("| ")
    if not line:
        return ["empty", f"k={view.page.kinds[i]}", f"r={view.labels[i]}"]
    last_num, first_start, repeats = ctx.last_num, ctx.first_start, ctx.repeats
    n = len(line)
    kind0, kind = view.page.kinds[i], view.kinds[i]
    rule = view.labels[i]
    f = [f"k={kind0}", f"rk={kind}", f"r={rule}", f"len={_len_class(n)}",
         f"ac={_char_class(line[0])}", f"zc={_char_class(line[-1])}"]
    if n >= 2:
        f += [f"a2={line[:2]}", f"z2={line[-2:]}"]
    if view.levels[i]:
        f.append(f"rl={min(view.levels[i], 4)}")
    mk = match_marker(line)
    if mk is not None:
        prev = last_num.get(mk.style)
        seq = "new" if prev is None else "next" if mk.number == prev + 1 else "one" if mk.number == 1 else "same" \
            if mk.number == prev else "skip"
        last_num[mk.style] = mk.number
        rest = n - mk.end
        f += [f"mk={mk.style}", f"mkn={min(mk.number, 5)}", f"mks={seq}", f"mkr={_len_class(rest)}"]
        if "。" in line[:40]:
            f.append("mk。")
    fm = match_field(line)
    if fm is not None:
        f.append("fk" if match_field(line, known_only=True) else "fg")
        f.append(f"fv={_len_class(len(fm.group('value')))}")
    if kind0 == fu.CONTENT:
        f.append(f"fc={min(ctx.content, 3)}")
        ctx.content += 1
    tl, kw = pl._title_like(line, r), r.keyword_any.search(line)
    if tl:
        f.append("tl")
    if kw:
        f.append("kw")
    if tl and kw:
        f.append(f"tk={min(ctx.titles, 2)}")
        ctx.titles += 1
    if line.endswith(":") and "各" in line[:4]:
        f.append("addressee")
    if is_tool(line):
        f.append("tool")
    if n <= 20 and not kw and r.issuer_end.search(line):
        f.append("issuer")
    f += ctx.similar.get(i, [])
    f += ctx.around.get(i, [])
    if is_file_name(line):
        f.append("fname")
    if not tl:
        glued = pl._glued_title(line, r)
        if glued is not None:
            f.append("gl")
    if r.keywords.search(line.rstrip("》”\"' ")):
        f.append("kwend")
    if pl._collection_index(line, r) is not None:
        f.append("coll")
    if r.date_line.match(line) or r.note.match(line):
        f.append("dn")
    if is_meta(line):
        f.append("meta")
    if _NOTICE.search(line):
        f.append("notice")
    if _YEAR.search(line):
        f.append("year")
    if _URL.search(line):
        f.append("url")
    if _LISTY.match(line):
        f.append("listy")
    if " " in line:
        f.append("sp")
    c = line.count("。")
    f.append(f"p。={min(c, 2)}")
    f.append(f"p，={min(line.count(','), 3)}")
    if ":" in line[:12]:
        f.append("colon")
    if not _HAN.search(line):
        f.append("nohan")
    f.append(f"pos={min(seq_pos, 5)}")
    f.append(f"rel={10 * seq_pos // max(seq_len, 1)}")
    f.append("before" if i < first_start else "at" if i == first_start else "after")
    key = line.replace(" ", "")
    if len(key) >= 4 and key in repeats:
        f.append("rep")
    return f


def _title_part(line: str, r: pl._PlanRules) -> Optional[str]:
    """The title a line holds: the whole line when it is title-like, a title glued to its text, or None."""
    if pl._title_like(line, r):
        return line
    glued = pl._glued_title(line, r) if len(line) > 4 else None
    return line[glued[0]:glued[1]] if glued else None


def _is_content(view: RuleView, i: int) -> bool:
    """Line ``i`` is text of the page rather than its furniture or a metadata or tool row."""
    line = view.page.lines[i]
    return bool(line) and view.page.kinds[i] == fu.CONTENT and not is_meta(line) and not is_tool(line)


def _similar_titles(view: RuleView, seq: list[int], near: int = 25) -> dict[int, list[str]]:
    """Title-like lines (of the first 60 of ``seq``; a title glued to its text counts) naming the same
    document as another one at most ``near`` lines away: "sim>" when the other is below, "sim<" when
    above, each also with what stands between them: "a" nothing, "m" furniture or metadata only,
    "b" content."""
    r = pl._rules()
    cand = []
    for i in seq[:60]:
        part = _title_part(view.page.lines[i], r)
        if part is not None:
            cand.append((i, title_key(part)))
    out: dict[int, set[str]] = {}
    for x, (i, a) in enumerate(cand):
        for j, b in cand[x + 1:]:
            if j - i > near:
                break
            if _similar(a, b):
                between = [k for k in range(i + 1, j) if view.page.lines[k]]
                how = "a" if not between else "b" if any(_is_content(view, k) for k in between) else "m"
                out.setdefault(i, set()).update({"sim>", f"sim>{how}"})
                out.setdefault(j, set()).update({"sim<", f"sim<{how}"})
    return {i: sorted(v) for i, v in out.items()}


def _shape(line: str, r: pl._PlanRules) -> str:
    """A content line's class as the head of a plan sees it below its title."""
    if match_marker(line) is not None:
        return "head"
    if r.date_line.match(line) or r.note.match(line):
        return "date"
    if len(line) <= 40 and _DOC_NO.search(line):
        return "docno"
    if line.endswith(":") and len(line) <= 150 and "。" not in line:
        return "addr"
    if pl._title_like(line, r):
        if r.keyword_any.search(line):
            return "tkw"
        return "issuer" if r.issuer_end.search(line) else "short"
    return "sent"


def _around(view: RuleView, seq: list[int]) -> dict[int, list[str]]:
    """For each line of ``seq``: the shapes of the next two content lines below it and of the one
    above ("nc=", "nc2=", "pc="), and how many furniture or metadata lines stand before the next
    ("ngap=")."""
    r = pl._rules()
    content = [i for i in seq if _is_content(view, i)]
    shapes = {i: _shape(view.page.lines[i], r) for i in content}
    out: dict[int, list[str]] = {}
    pos = 0
    for i in seq:
        while pos < len(content) and content[pos] <= i:
            pos += 1
        nxt = content[pos:pos + 2]
        prev = content[pos - 1] if pos >= 1 and content[pos - 1] < i else (
            content[pos - 2] if pos >= 2 else None)
        f = []
        if nxt:
            f.append(f"nc={shapes[nxt[0]]}")
            gap = bisect_right(seq, nxt[0] - 1) - bisect_right(seq, i)
            f.append(f"ngap={min(gap, 2)}")
        else:
            f.append("nc=none")
        if len(nxt) > 1:
            f.append(f"nc2={shapes[nxt[1]]}")
        f.append(f"pc={shapes[prev]}" if prev is not None else "pc=none")
        out[i] = f
    return out


_CARRY = ("k=", "r=", "mk=", "len=", "tl", "kw", "p。", "fk", "fg", "meta", "notice", "coll", "ac=", "dn", "fc=", "empty", "sim", "tool", "issuer", "fname", "gl")


def _carried(feats: list[str]) -> list[str]:
    return [x for x in feats if x.startswith(_CARRY)]


def sequence(view: RuleView) -> list[int]:
    """The indexes of the labelled (non-blank) lines."""
    return [i for i, line in enumerate(view.page.lines) if line]


def features(view: RuleView, seq: list[int], lo: int = 0, hi: Optional[int] = None) -> list[list[str]]:
    """The feature strings of ``seq[lo:hi]`` (indexes of non-blank lines), neighbours included."""
    hi = len(seq) if hi is None else hi
    a, b = max(0, lo - 2), min(len(seq), hi + 2)
    last_num: dict[str, int] = {}
    first_start = view.starts[0].line if view.starts else len(view.page.lines)
    counts: dict[str, int] = {}
    for i in seq[a:b]:
        key = view.page.lines[i].replace(" ", "")
        if len(key) >= 4:
            counts[key] = counts.get(key, 0) + 1
    repeats = {k for k, v in counts.items() if v > 1}
    ctx = _Context(last_num, first_start, repeats, _similar_titles(view, seq[a:b]), _around(view, seq[a:b]))
    own = [_own(view, i, p, len(seq), ctx) for p, i in zip(range(a, b), seq[a:b])]
    carried = [_carried(x) for x in own]
    out = []
    lines = view.page.lines
    for p in range(lo, hi):
        k = p - a
        f = list(own[k])
        i = seq[p]
        if i > 0 and not lines[i - 1]:
            f.append("blank-")
        if i + 1 < len(lines) and not lines[i + 1]:
            f.append("blank+")
        if p == 0:
            f.append("BOS")
        if p == len(seq) - 1:
            f.append("EOS")
        for d in (-2, -1, 1, 2):
            if 0 <= k + d < len(own) and 0 <= p + d < len(seq):
                f += [f"{d}{x}" for x in carried[k + d]]
        out.append(f)
    return out
