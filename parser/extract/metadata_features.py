"""Candidates for a plan's year and region, and features for its level and body, for the metadata models.

Every year or place the plan's title, its page's head lines, its text and its sign-off name becomes a
candidate with features of where and how it is written (in the title, in a date line under it, before a
plan word, after 到 as a target, as the venue of a report …); the rules of ``metadata`` add their own
pick as one feature each. ``metadata_model`` scores the candidates with trained weights.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Optional

from ..ingest.debris import PINYIN, compact
from ..model import Document, Plan, Span
from .gazetteer import Place, county_short_places, find_places, township_places
from .orgs import dictionary_tag
from .metadata import YEAR, _config, _org_words, _patterns, _title, _year_int

Features = dict[str, float]
WINDOW = 30000          # characters of a plan's text read for candidates (the rules read it all)
LEVELS = ("全国", "省", "市", "县", "区", "乡镇", "街道", "社区", "村")
BODIES = ("政协", "人大", "政府", "党委", "文化站", "其他")

_DIGIT_YEAR = re.compile(r"(?<![\d])((?:19|20)\d\d)(?![\d])")
_RANGE = re.compile(r"((?:19|20)\d\d)\s*年?\s*[-—–~〜至到]+\s*((?:19|20)\d\d)")
_FULL_DATE = re.compile(r"((?:19|20)\d\d|[一二][〇零○九][〇零○一二三四五六七八九]{2})\s*(?:年\s*[\d一二三四五六七八九十]{1,2}\s*月|[-/.]\d{1,2}[-/.]\d{1,2})")
_MASKED = re.compile(r"(?:19|20)(?:\d[xX*×_?□]|[xX*×_?□-]{2})|[xX]{4}|[xX]{2}年")
_MULTI = re.compile(r"五年|三年|两年|十[一二三四五]五|规划|纲要|[二三四五]年行动")
_TARGET_BEFORE = ("到", "至", "截至", "截止", "力争", "确保", "预计", "争取")
_PAST_AFTER = ("以来", "总结", "回顾", "工作报告", "期间", "上半年", "的工作")
_GLOSS = PINYIN       # pinyin a converter left in a word: 卫(wèi)生 (parser.ingest.debris)
TOP_WEIGHT = 1.0       # the value of the title's and the text's top label (larger: less shrunk)
TEXT_GRAMS = 600        # characters of the plan's text whose bigrams the body model reads
_VENUE = re.compile(r"在.{0,30}(?:人民代表大会|代表大会|委员会|常委会|全体会议|大会).{0,12}上")


@dataclass
class Candidate:
    """A value the plan's metadata may take, where it was first read, and its features."""

    value: object
    span: Optional[Span]
    feats: Features = field(default_factory=dict)
    level: Optional[str] = None


@dataclass(frozen=True)
class Context:
    """The parts of a plan that metadata is read from, on ``doc.norm``."""

    title: str                      # the title's analysis form
    title_start: Optional[int]      # where it is in the document (None: a page title)
    body: tuple[int, int]           # the text after the title (at most WINDOW characters)
    head: tuple[tuple[int, str], ...]   # lines above the plan (offset, line); a page title at -1
    first: tuple[tuple[int, str], ...]  # the first lines under the title
    last: tuple[tuple[int, str], ...]   # the last lines of the plan (sign-off, dates)


def _lines(norm: str, start: int, end: int) -> list[tuple[int, str]]:
    out, pos = [], start
    while pos < end:
        nl = norm.find("\n", pos, end)
        stop = end if nl < 0 else nl
        if norm[pos:stop].strip():
            out.append((pos, norm[pos:stop]))
        pos = stop + 1
    return out


def context(doc: Document, plan: Plan) -> Context:
    """Title, head lines, first and last lines of ``plan``; a title with pinyin glosses in its words
    (卫(wèi)生) is read without them (and its evidence then has no span)."""
    t = _title(doc, plan)
    in_text = bool(plan.title_span) and plan.span[0] <= plan.title_span[0] < plan.span[1]
    title = _GLOSS.sub("", t.norm)
    in_text = in_text and title == t.norm
    body_end = min(plan.span[1], t.body_start + WINDOW)
    head_start = max(0, doc.norm.rfind("\n", 0, max(0, plan.span[0] - 1500)))
    head = _lines(doc.norm, head_start, plan.span[0])[-12:]
    if doc.page_title:
        from ..ingest.normalize import normalize

        head = [(-1, normalize(doc.page_title))] + head
    first = _lines(doc.norm, t.body_start, min(plan.span[1], t.body_start + 600))[:4]
    tail_start = max(t.body_start, plan.span[1] - 800)
    last = _lines(doc.norm, tail_start, plan.span[1])[-6:]
    return Context(title, plan.title_span[0] if in_text else None, (t.body_start, body_end), tuple(head),
                   tuple(first), tuple(last))


def _log(n: float) -> float:
    return math.log1p(n)


# ---------------------------------------------------------------- year

def _year_context(norm: str, s: int, e: int, lo: int, hi: int) -> list[str]:
    """What surrounds one written year at ``norm[s:e]`` (``e`` after 年): plan word, past, target, bound."""
    cfg = _config()["year"]
    out = []
    after = norm[e:min(hi, e + cfg["gap"])]
    cut = min((i for i, c in enumerate(after) if c in "。;\n"), default=len(after))
    window = after[:cut]
    pw = _patterns().plan_word.search(window)
    if pw and not any(p in window[:pw.start()] for p in cfg["past_words"]):
        out.append("plan_word")
    if any(window.startswith(p) or window.startswith("度" + p) for p in _PAST_AFTER):
        out.append("past")
    if window.startswith("度"):
        out.append("niandu")
    if re.match(r"[\d一二三四五六七八九十]{1,2}月", window):
        out.append("with_month")
    if window.startswith(("前", "以前", "之前")):
        out.append("before_bound")
    if window.startswith(("底前", "年底前", "末前")):
        out.append("deadline")
    before = norm[max(lo, s - 4):s]
    if any(before.endswith(w) for w in _TARGET_BEFORE):
        out.append("target")
    if before.endswith(("从", "自", "于", "在")):
        out.append("from")
    return out


def _add(feats: Features, name: str, value: float = 1.0) -> None:
    feats[name] = feats.get(name, 0.0) + value


def year_candidates(doc: Document, plan: Plan, ctx: Context, rule_year: Optional[int],
                    ref_year: Optional[int]) -> list[Candidate]:
    """Every year the plan writes (title, head, date lines, text, sign-off) with its features, and the
    candidate None (the plan's year is not given)."""
    norm = doc.norm
    found: dict[int, Candidate] = {}

    def cand(y: int, span: Optional[Span]) -> Candidate:
        if y not in found:
            found[y] = Candidate(y, span)
        elif found[y].span is None:
            found[y].span = span
        return found[y]

    title = ctx.title
    ts = ctx.title_start
    title_years = []
    for m in YEAR.finditer(title):
        y = _year_int(m.group(1))
        title_years.append(y)
        c = cand(y, (ts + m.start(1), ts + m.end(1)) if ts is not None else None)
        _add(c.feats, "title")
        for k in _year_context(title, m.start(1), m.end() + 1, 0, len(title)):
            _add(c.feats, "title_" + k)
    for m in _DIGIT_YEAR.finditer(title):
        y = int(m.group(1))
        if y not in title_years:
            title_years.append(y)
            _add(cand(y, (ts + m.start(1), ts + m.end(1)) if ts is not None else None).feats, "title_bare")
    for m in _RANGE.finditer(title):
        a, b = int(m.group(1)), int(m.group(2))
        if a < b:
            _add(cand(a, None).feats, "title_range_start")
            _add(cand(b, None).feats, "title_range_end")
    if title_years:
        _add(cand(title_years[0], None).feats, "title_first")
        _add(cand(title_years[-1], None).feats, "title_last")
    for off, line in ctx.head:
        has_plan = bool(_patterns().plan_word.search(line))
        for m in YEAR.finditer(line):
            y = _year_int(m.group(1))
            c = cand(y, (off + m.start(1), off + m.end(1)) if off >= 0 else None)
            _add(c.feats, "head_plan" if has_plan else "head")
        for m in _FULL_DATE.finditer(line):
            _add(cand(_year_int(m.group(1)), None).feats, "head_date")
    for k, (off, line) in enumerate(ctx.first):
        for m in _FULL_DATE.finditer(line):
            c = cand(_year_int(m.group(1)), (off + m.start(1), off + m.start(1) + 4))
            _add(c.feats, "first_date" if k else "first_line_date")
    for off, line in ctx.last:
        for m in _FULL_DATE.finditer(line):
            _add(cand(_year_int(m.group(1)), (off + m.start(1), off + m.start(1) + 4)).feats, "last_date")
    lo, hi = ctx.body
    counts: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    first_pos: dict[int, float] = {}
    for m in YEAR.finditer(norm, lo, hi):
        y = _year_int(m.group(1))
        cand(y, (m.start(1), m.end(1)))
        end = norm.find("年", m.end(1), m.end(1) + 3) + 1
        counts[y]["n"] += 1
        for k in _year_context(norm, m.start(1), end, lo, hi):
            counts[y][k] += 1
        first_pos.setdefault(y, (m.start() - lo) / max(1, hi - lo))
    for m in _RANGE.finditer(norm, lo, min(hi, lo + 3000)):
        a, b = int(m.group(1)), int(m.group(2))
        if a < b:
            _add(cand(a, (m.start(1), m.end(1))).feats, "range_start")
            _add(cand(b, (m.start(2), m.end(2))).feats, "range_end")
    if doc.published and re.match(r"(19|20)\d\d-", doc.published):
        _add(cand(int(doc.published[:4]), None).feats, "published")
    this_year = sum(norm.count(w, lo, hi) for w in _config()["year"]["deictic_this_year"])
    next_year = norm.count("明年", lo, hi)
    values = sorted(found)
    for y, c in found.items():
        f = c.feats
        for k, v in counts.get(y, {}).items():
            f["text_" + k] = _log(v)
        if y in first_pos:
            f["text_first_pos"] = 1.0 - first_pos[y]
        f["is_max"] = float(y == values[-1])
        f["is_min"] = float(y == values[0])
        f["rank_from_max"] = float(min(3, len(values) - 1 - values.index(y)))
        if title_years:
            f["title_max"] = float(y == max(title_years))
        if rule_year is not None and y == rule_year:
            f["rule"] = 1.0
        if ref_year is not None:
            d = y - ref_year
            f[f"ref_{d}" if -1 <= d <= 1 else "ref_far"] = 1.0
            if d == 0:
                f["ref_this_year"] = _log(this_year)
            if d == 1:
                f["ref_next_year"] = _log(next_year)
    none = Candidate(None, None, {"none": 1.0})
    if _MASKED.search(title):
        none.feats["none_masked_title"] = 1.0
    if not title_years:
        none.feats["none_no_title_year"] = 1.0
    if _MULTI.search(title):
        none.feats["none_multi_year"] = 1.0
    if rule_year is None:
        none.feats["none_rule"] = 1.0
    none.feats["none_n"] = _log(len(found))
    return [found[y] for y in values] + [none]


# ---------------------------------------------------------------- region

@lru_cache(maxsize=1)
def _org_after() -> re.Pattern:
    lv = _config()["level"]
    words = "|".join(re.escape(w) for w in sorted(set(lv["org_words"]) | set(_org_words()), key=len, reverse=True))
    return re.compile(rf"(?:第?[一二三四五六七八九十\d]+届)?(?:{words})")


def _place_context(norm: str, p: Place, lo: int, hi: int) -> list[str]:
    out = []
    if _org_after().match(norm, p.span[1], hi):
        out.append("org")
    back = norm[max(lo, p.span[0] - 3):p.span[0]]
    if back.endswith("政协") or back.endswith("中共"):
        out.append("org_before")
    if back.endswith(("各", "、")) or norm[p.span[1]:p.span[1] + 1] == "、":
        out.append("list")
    after = norm[p.span[1]:min(hi, p.span[1] + 12)]
    if any(w in after for w in _config()["level"]["superior"]):
        out.append("superior")
    if back.endswith(("我", "本", "全")):
        out.append("self")
    return out


@dataclass(frozen=True)
class _National:
    bodies: re.Pattern      # national departments and organisations (metadata.toml level.national_bodies)
    addressed: re.Pattern   # how a national notice addresses every province


@lru_cache(maxsize=1)
def _national() -> _National:
    lv = _config()["level"]

    def alt(words: list[str]) -> re.Pattern:
        return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))

    return _National(alt(lv["national_bodies"]), alt(lv["national_addressed"]))


_SUFFIX_CHARS = "省市州盟县旗区镇乡"
_LEVEL_WORDS = {"省": ("省", "自治区"), "市": ("市", "州", "盟"), "县": ("县", "旗"), "区": ("区",),
                "乡镇": ("镇", "乡"), "街道": ("街道",), "社区": ("社区",), "村": ("村",)}
# a place the division table and the township rules miss, where a plan names itself: at the start of its
# title, or before a body word in its title, head, first or last lines (滇滩镇抓紧……, 城港路街道办事处)
_LOOSE_SUFFIX = {"街道": "街道", "社区": "社区", "镇": "乡镇", "乡": "乡镇", "村": "村", "县": "县", "区": "区",
                 "市": "市", "开发区": "区", "高新区": "区", "新区": "区", "街": "街道"}
_LOOSE_SUFFIXES = r"(?P<suffix>开发区|高新区|新区|街道|社区|镇|乡|村|县|区|市)"
_LOOSE_BODIES = (r"人民政府|政府|党委|党工委|团工委|团委|工委|人大|政协|办事处|村民委员会|居民委员会|村委会|居委会|"
                 r"委员会|管委会|党总支|党支部|文化站|文广站|联络组|工作室")
_LOOSE = re.compile(r"(?<=[\s,。;:、()《》\]】])(?P<name>[\u4e00-\u9fff]{1,4}?)" + _LOOSE_SUFFIXES +
                    r"(?=" + _LOOSE_BODIES + r"|\d|20)")
# a street office written 某某街 (联和街工作室): only before the body words of a street
_LOOSE_STREET = re.compile(r"(?<=[\s,。;:、()《》\]】])(?P<name>[\u4e00-\u9fff]{2,3}?)(?P<suffix>街)"
                           r"(?=党工委|团工委|工委|办事处|工作室|人大工作室)")
_LOOSE_START = re.compile(r"^(?P<name>[\u4e00-\u9fff]{1,4}?)" + _LOOSE_SUFFIXES)
_NOT_NAME_TAGS = frozenset(["v", "vn", "vd", "d", "p", "c", "u", "r", "m", "q", "ad", "f", "a", "an", "l", "i"])
_LOOSE_STOP = set("我本全各该每这那其在对和与及的了是为年月日")


def _unglossed(text: str, lo: int, hi: int) -> tuple[str, int, int, Callable[[int], int]]:
    """``text[lo:hi]`` without the pinyin glosses a site put after its characters (城区(qū), 乡(xiāng)),
    which break the names they sit in: (text, lo, hi, position on it → position on ``text``). Without a
    gloss, the text and its positions as they are."""
    view = compact(text[lo:hi])
    if view.keep is None:
        return text, lo, hi, lambda i: i
    keep = view.keep
    return view.text, 0, len(view.text), lambda i: lo + (keep[i] if i < len(keep) else hi - lo)


def _merge_loose(found: dict[str, Candidate], order: list[str]) -> None:
    """A place the loose patterns read that the table (or a short name) gives as well is one candidate:
    its loose features join the other's, which takes the earlier place of the two in ``order``."""
    by_value = {c.value: k for k, c in found.items() if not k.startswith("loose:")}
    for key in [k for k in order if k.startswith("loose:")]:
        target = by_value.get(found[key].value)
        if target is None:
            continue
        for k, v in found.pop(key).feats.items():
            _add(found[target].feats, k, v)
        i, j = order.index(key), order.index(target)
        if i < j:
            order[i] = target
            del order[j]
        else:
            del order[i]


def _written(text: str, p: Place) -> str:
    """A place as the text writes it (Simplified); a short form takes the suffix written after it
    (湘西州) or else its full name's last character (威海 → 威海市)."""
    written = text[p.span[0]:p.span[1]]
    if not p.suffix:
        return written
    nxt = text[p.span[1]:p.span[1] + 1]
    if text.startswith(p.suffix, p.span[1]) or p.level == "省":
        return written + p.suffix
    return written + (nxt if nxt and nxt in _SUFFIX_CHARS else p.name[-1])


def region_candidates(doc: Document, plan: Plan, ctx: Context, rule_region: Optional[str],
                      rule_level: Optional[str]) -> list[Candidate]:
    """Every place the plan names, 全国 when it names a national body, and None, with features."""
    from ..ingest.normalize import normalize

    norm = doc.norm
    org_words = _org_words()
    found: dict[str, Candidate] = {}        # by full name; the value is as first written
    order: list[str] = []

    def cand(p: Place, text: str, span: Optional[Span]) -> Candidate:
        if p.name not in found:
            found[p.name] = Candidate(_written(text, p), span, {}, p.level)
            order.append(p.name)
        return found[p.name]

    def readings(text: str, lo: int, hi: int):
        """(text, lo, hi, position → original position, places, all its places) of ``text[lo:hi]`` as
        written and, when pinyin glosses break it, without them (places the first reading has not found)."""
        places = list(find_places(text, lo, hi, org_words))
        out = [(text, lo, hi, lambda i: i, places, places)]
        if _GLOSS.search(text, lo, hi):
            t2, l2, h2, at = _unglossed(text, lo, hi)
            every = find_places(t2, l2, h2, org_words)
            more = [p for p in every if not any(q.span[0] < at(p.span[1] - 1) + 1 and at(p.span[0]) < q.span[1]
                                                for q in places)]
            out.append((t2, l2, h2, at, more, every))
        return out

    def scan(text: str, lo: int, hi: int, prefix: str, offset: Optional[int]) -> list[Place]:
        found_here = []
        for text, lo, hi, at, places, every in readings(text, lo, hi):
            for i, p in enumerate(places):
                span = (offset + at(p.span[0]), offset + at(p.span[1] - 1) + 1) if offset is not None else None
                c = cand(p, text, span)
                _add(c.feats, prefix)
                for k in _place_context(text, p, lo, hi):
                    _add(c.feats, f"{prefix}_{k}")
                if i + 1 < len(places) and places[i + 1].span[0] == p.span[1]:
                    _add(c.feats, f"{prefix}_chain_parent")
                if i > 0 and places[i - 1].span[1] == p.span[0]:
                    _add(c.feats, f"{prefix}_chain_child")
                if p.source != "table":
                    c.feats[f"src_{p.source}"] = 1.0
            found_here += places
        shorts(text, lo, hi, every, prefix, lambda sp: (offset + at(sp[0]), offset + at(sp[1] - 1) + 1)
               if offset is not None else None)
        return found_here

    def shorts(text: str, lo: int, hi: int, places: list[Place], prefix: str, span_of) -> None:
        """Counties written by their short names (幸福紫阳) and townships of the township table (抓住水南镇),
        where no table name or township of the rules is."""
        for finder, key, source in ((county_short_places, "short_", "src_short_county"),
                                    (township_places, "town_", "src_township")):
            for p in finder(text, lo, hi):
                if any(q.span[0] < p.span[1] and p.span[0] < q.span[1] for q in places):
                    continue
                new = p.name not in found
                c = cand(p, text, span_of(p.span))
                _add(c.feats, key + prefix)
                if new:
                    c.feats[source] = 1.0
                    if key == "short_" and dictionary_tag(text[p.span[0]:p.span[1]]) not in ("ns", ""):
                        c.feats["short_word"] = 1.0     # a short name that is a word (按照县 …)

    tplaces = scan(ctx.title, 0, len(ctx.title), "title", ctx.title_start)
    loose_lines = [(ctx.title_start, ctx.title, "title")] + [(off if off >= 0 else None, line, "head") for off, line in ctx.head]
    loose_lines += [(off, line, "first") for off, line in ctx.first] + [(off, line, "last") for off, line in ctx.last]
    for offset, line, where in loose_lines:
        line, _, _, at = _unglossed(line, 0, len(line))
        start = _LOOSE_START.match(line)
        for m in ([start] if start else []) + list(_LOOSE.finditer(line)) + list(_LOOSE_STREET.finditer(line)):
            name = m.group("name") + m.group("suffix")
            if m.group("name")[0] in _LOOSE_STOP or any(c.value == name for c in found.values()):
                continue
            key = "loose:" + name
            if key not in found:
                span = (offset + at(m.start()), offset + at(m.end() - 1) + 1) if offset is not None else None
                found[key] = Candidate(name, span, {}, _LOOSE_SUFFIX[m.group("suffix")])
                order.append(key)
                tag = dictionary_tag(m.group("name"))    # 按照县, 依法治乡: a word, not a name
                if tag in _NOT_NAME_TAGS:
                    found[key].feats["loose_word"] = 1.0
                if len(m.group("name")) == 1:
                    found[key].feats["loose_one_char"] = 1.0
            _add(found[key].feats, "loose_" + where)
            if m.start() == 0 and where == "title":
                _add(found[key].feats, "loose_title_start")
    if tplaces:
        _add(found[tplaces[0].name].feats, "title_first_place")
        _add(found[tplaces[-1].name].feats, "title_last_place")
    for off, line in ctx.head:
        scan(line, 0, len(line), "head", off if off >= 0 else None)
    for off, line in ctx.first:
        scan(norm, off, off + len(line), "first", 0)
    for off, line in ctx.last:
        scan(norm, off, off + len(line), "last", 0)
    lo, hi = ctx.body
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for text, tlo, thi, at, places, every in readings(norm, lo, hi):
        for p in places:
            cand(p, text, (at(p.span[0]), at(p.span[1] - 1) + 1))
            counts[p.name]["n"] += 1
            for k in _place_context(text, p, tlo, thi):
                counts[p.name][k] += 1
    shorts(text, tlo, thi, every, "text", lambda sp: (at(sp[0]), at(sp[1] - 1) + 1))
    _merge_loose(found, order)
    pats = _patterns()
    national = {"national_title": len(pats.national.findall(ctx.title)) + ctx.title.count("全国"),
                "national_text": len(pats.national.findall(norm, lo, hi))}
    nat = _national()
    heads = "\n".join(line for _, line in ctx.head)
    national["national_word_text"] = norm.count("全国", lo, hi)
    national["national_body_title"] = len(nat.bodies.findall(ctx.title))
    national["national_body_head"] = len(nat.bodies.findall(heads))
    national["national_body_text"] = len(nat.bodies.findall(norm, lo, hi))
    national["national_addressed"] = len(nat.addressed.findall(heads)) + len(nat.addressed.findall(norm, lo, hi))
    if any(national.values()):
        c = found.setdefault("全国", Candidate("全国", None, {}, "全国"))
        if "全国" not in order:
            order.append("全国")
        for k, n in national.items():
            if n or k in ("national_title", "national_text"):
                c.feats[k] = _log(n)
    ranks = _config()["level"]["rank"]
    most_local = max((ranks[c.level] for c in found.values() if c.level in ranks), default=None)
    for v, c in found.items():
        f = c.feats
        for k, n in counts.get(v, {}).items():
            f["text_" + k] = _log(n)
        for k in ("short_text", "town_text"):
            if k in f:
                f[k] = _log(f[k])
        if c.level:
            f["lvl_" + c.level] = 1.0
            if any(w in ctx.title for w in _LEVEL_WORDS.get(c.level, ())):
                f["lvl_in_title"] = 1.0     # "……示范村方案": the title names the level of a village
            if rule_level == c.level:
                f["rule_level"] = 1.0
            if most_local is not None and ranks.get(c.level) == most_local:
                f["most_local"] = 1.0
        if rule_region is not None and normalize(rule_region).rstrip("市县区镇乡省") == c.value.rstrip("市县区镇乡省"):
            f["rule"] = 1.0
        f["order"] = 1.0 / (1 + order.index(v))
    none = Candidate(None, None, {"none": 1.0})
    if rule_region is None:
        none.feats["none_rule"] = 1.0
    if not tplaces:
        none.feats["none_no_title_place"] = 1.0
    if rule_level:
        none.feats["none_rule_level_" + rule_level] = 1.0
    none.feats["none_n"] = _log(len(found))
    return [found[v] for v in order] + [none]


# ---------------------------------------------------------------- level and body

_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _title_grams(title: str) -> list[str]:
    """Character bigrams inside each run of Han characters, in order."""
    out: list[str] = []
    for part in _HAN_RUN.findall(title):
        out += map(str.__add__, part, part[1:])
    return out


_LEVEL_WORD = {"省": "省", "市": "市", "州": "市", "县": "县", "旗": "县", "区": "区", "镇": "乡镇", "乡": "乡镇",
               "街道": "街道", "社区": "社区", "村": "村"}
_SELF_LEVEL = re.compile(r"(?:我|本|全)(街道|社区|省|市|州|县|旗|区|镇|乡|村)")
_ORG_LEVEL = re.compile(r"(街道|社区|省|市|州|县|旗|区|镇|乡|村)(?:委|人民政府|政府|人大|政协|党委|党工委|办事处|妇联|团委)")


def level_counts(norm: str, lo: int, hi: int) -> dict[str, float]:
    """How often the text names its own level (我县, 全镇) or a body of a level (县政协, 镇党委), by level."""
    out: dict[str, float] = defaultdict(float)
    for m in _SELF_LEVEL.finditer(norm, lo, hi):
        out["self_" + _LEVEL_WORD[m.group(1)]] += 1
    for m in _ORG_LEVEL.finditer(norm, lo, hi):
        out["org_" + _LEVEL_WORD[m.group(1)]] += 1
    return out


def level_features(ctx: Context, rule_level: Optional[str], counts: dict[str, float],
                   region: Optional[Candidate]) -> Features:
    """Features of the plan for its admin level: the rules' level, the chosen place's level, how often
    the title and text name a level (``level_counts``), the level words that open the title."""
    f: Features = {"bias": 1.0}
    if rule_level:
        f["rule_" + rule_level] = 1.0
    for k, v in counts.items():
        f[k] = _log(v)
    for k, v in level_counts(ctx.title, 0, len(ctx.title)).items():
        f["title_" + k] = 1.0
    if region is not None and region.level:
        f["region_" + region.level] = 1.0
    elif region is not None:
        f["region_none"] = 1.0
    bare = re.sub(r"^[\s(]*((?:19|20)\d\d年度?)?[)]?", "", ctx.title)
    for w in _config()["level"]["title_bare"]:
        if bare.startswith(w):
            f["title_opens_" + w] = 1.0
            break
    return f


def body_evidence(doc: Document, ctx: Context, rule_body: Optional[str], title_scores: dict[str, float],
                  text_scores: dict[str, float], level: Optional[str]) -> tuple[list[Features], list[str]]:
    """Per body label, the features every label shares (how strongly the title's and the text's words
    name it, its share, the top label, the rules' pick); and the plan's keys each label weighs its own
    way (its level, a congress venue, the title's and the text's character bigrams)."""
    lo, hi = ctx.body
    keys = []
    if level:
        keys.append("level_" + level)
    head = doc.norm[lo:min(hi, lo + 400)]
    if _VENUE.search(head) or any(_VENUE.search(line) for _, line in ctx.first):
        keys.append("venue")
    if "工作报告" in ctx.title:
        keys.append("report_title")
    keys += ["t:" + g for g in dict.fromkeys(_title_grams(ctx.title))]
    keys += ["x:" + g for g in dict.fromkeys(_title_grams(_GLOSS.sub("", doc.norm[lo:min(hi, lo + TEXT_GRAMS)])))]
    shared = []
    parts = [(name, scores, sum(scores.values()), max(scores.values(), default=0.0))
             for name, scores in (("title", title_scores), ("text", text_scores))]
    for lb in BODIES:
        f: Features = {"label_" + lb: 1.0}
        for name, scores, total, top in parts:
            v = scores.get(lb, 0.0)
            if v:
                f[name + "_score"] = f[f"{lb}|{name}_score"] = _log(v)
                f[name + "_share"] = v / total
                if v == top:
                    f[name + "_top"] = 1.0
        if rule_body == lb:
            f["rule" if title_scores or text_scores else "default"] = 1.0
        shared.append(f)
    return shared, keys


def body_candidates(doc: Document, ctx: Context, rule_body: Optional[str], title_scores: dict[str, float],
                    text_scores: dict[str, float], level: Optional[str]) -> list[Candidate]:
    """One candidate per body label with all its features (``LABEL|key`` for the plan's keys), for the
    body ranker. Features shared by every label learn from all plans at once, so the many 政府 plans teach
    what a title's word is worth for 政协 too."""
    shared, keys = body_evidence(doc, ctx, rule_body, title_scores, text_scores, level)
    out = []
    for lb, f in zip(BODIES, shared):
        f = dict(f)
        for k in keys:
            f[f"{lb}|{k}"] = 1.0
        out.append(Candidate(lb, None, f))
    return out
