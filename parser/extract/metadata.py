"""Plan metadata: year, region with admin level, and the body that made the plan.

Evidence is read from the plan's title line first and then its text (``doc.norm`` inside the
plan's span), with lexicons and weights in data/metadata.toml and places from the gazetteer.
"""
from __future__ import annotations

import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..ingest.normalize import normalize
from ..model import Document, Plan
from .gazetteer import Place, find_places

DATA = Path(__file__).resolve().parents[1] / "data"
YEAR = re.compile(r"(?<![\dA-Za-z〇零○一二])((?:19|20)\d\d|[一二][〇零○九][〇零○一二三四五六七八九]{2})(?=\s*年)")
CN_DIGITS = str.maketrans("〇零○一二三四五六七八九", "000123456789")
ORDINAL = r"(?:第?[一二三四五六七八九十百\d]+届(?:[一二三四五六七八九十\d]+次)?)?"
PUNCT = set(",。;:!?、()《》“”\"'\n")


@lru_cache(maxsize=1)
def _config() -> dict:
    return tomllib.loads((DATA / "metadata.toml").read_text(encoding="utf-8"))


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class _Patterns:
    org: re.Pattern         # level word + ordinal + organisation word (市政协, 镇党委)
    selfref: re.Pattern     # 我市, 全镇
    national: re.Pattern
    body: re.Pattern        # body lexicon words
    body_label: dict        # word → [(label, weight)]
    title_body: re.Pattern  # body lexicon words plus the title-only ones (教育局, 团委 …)
    title_label: dict
    plan_word: re.Pattern
    collection: re.Pattern
    cppcc_of: re.Pattern    # 政协（第X届）PLACE委员会


@lru_cache(maxsize=1)
def _patterns() -> _Patterns:
    cfg = _config()
    lv = cfg["level"]
    pre = _alternation(lv["prefix"])
    org = _alternation(lv["org_words"])
    word_label: dict[str, list] = defaultdict(list)
    title_label: dict[str, list] = defaultdict(list)
    for label, words in cfg["body"]["words"].items():
        for w, weight in words.items():
            word_label[w].append((label, float(weight)))
            title_label[w].append((label, float(weight)))
    for label, words in cfg["body"].get("title_words", {}).items():
        for w, weight in words.items():
            title_label[w].append((label, float(weight)))
    for w in cfg["body"].get("neutral", []):     # matched first, they hide the words inside them
        word_label.setdefault(w, [])
        title_label.setdefault(w, [])
    return _Patterns(
        org=re.compile(rf"(?P<pre>{pre}){ORDINAL}(?P<org>{org})"),
        selfref=re.compile(rf"(?P<ref>{_alternation(lv['self_refs'])})(?P<pre>{pre})"),
        national=re.compile(_alternation(lv["national"])),
        body=re.compile(_alternation(word_label)),
        body_label=dict(word_label),
        title_body=re.compile(_alternation(title_label)),
        title_label=dict(title_label),
        plan_word=re.compile(_alternation(cfg["year"]["plan_words"])),
        collection=re.compile(cfg["body"]["collection_title"]),
        cppcc_of=re.compile(rf"政协{ORDINAL}(?P<place>[\u4e00-\u9fff]{{2,8}}?)委员会"),
    )


MAX_TITLE = 80


@dataclass(frozen=True)
class _Title:
    """A plan's title: its analysis form and original characters, and where the plan's text
    after the title starts. A title that is not in the text (a page title) has ``body_start``
    at the plan's start."""

    norm: str
    text: str
    body_start: int


def _title(doc: Document, plan: Plan) -> _Title:
    if plan.title_span and plan.title:
        s, e = plan.title_span
        e2 = min(e, s + MAX_TITLE)
        return _Title(doc.norm[s:e2], doc.text[s:e2], e if plan.span[0] <= s < plan.span[1] else plan.span[0])
    title = (plan.title or "")[:MAX_TITLE]
    return _Title(normalize(title), title, plan.span[0])


# ---------------------------------------------------------------- year

def _years_scored(norm: str, start: int, end: int, first_line_end: int) -> dict[int, float]:
    cfg = _config()["year"]
    pats = _patterns()
    scores: dict[int, float] = defaultdict(float)
    # the text is cut at ``start``: a year right after a title glued to it ("……篇一2020年是……")
    # has no character before it
    for m in YEAR.finditer(norm[start:end]):
        y = _year_int(m.group(1))
        m_end = start + m.end()
        after = norm[m_end + 1:min(end, m_end + 1 + cfg["gap"])]
        cut = min((i for i, c in enumerate(after) if c in "。;\n" or c.isdigit()), default=len(after))
        window = after[:cut]
        score = 1.0
        pw = pats.plan_word.search(window)
        if pw and not any(p in window[:pw.start()] for p in cfg["past_words"]):
            score += cfg["plan_word_weight"]
        if any(window.startswith(p) or window.startswith("度" + p) for p in cfg["past_words"]):
            score += cfg["past_weight"]
        if start + m.start() < first_line_end:
            score += cfg["first_line_weight"]
        scores[y] += score
    return scores


@lru_cache(maxsize=1)
def _delivery_note() -> re.Pattern:
    return re.compile(_config()["year"]["delivery_note"])


def _reference_year(doc: Document, norm: str, start: int, end: int) -> Optional[int]:
    """The year a text was delivered or published in: a dated note under its title ("——2023年3月5日
    在……会议上", "（2024年1月9日……通过）") in its first lines, else the page's publication date."""
    pos, seen = start, 0
    while seen < _config()["year"]["note_lines"] and pos < end:
        nl = norm.find("\n", pos, end)
        line = norm[pos:end if nl < 0 else nl].strip()
        m = _delivery_note().match(line)
        if m:
            return _year_int(m.group("year"))
        seen += bool(line)
        if nl < 0:
            break
        pos = nl + 1
    if doc.published and re.match(r"(19|20)\d\d-", doc.published):
        return int(doc.published[:4])
    return None


def _year_int(s: str) -> int:
    """2023 from "2023" or from "二〇二三"."""
    return int(s.translate(CN_DIGITS))


def _title_year(title: str) -> Optional[int]:
    years = [_year_int(m.group(1)) for m in YEAR.finditer(title)]
    return max(years) if years else None


def plan_year(doc: Document, plan: Plan) -> Optional[int]:
    """The year the plan is for: its title's year, else the best-supported year of its text
    (a year before 工作要点/安排/是 … counts most), else a year in the document's title line."""
    norm = doc.norm
    title = _title(doc, plan)
    y = _title_year(title.norm[:60])
    if y:
        return y
    start, end = title.body_start, plan.span[1]
    nl = norm.find("\n", start + 1)
    first_end = end if nl < 0 else min(nl, end)
    scores = _years_scored(norm, start, end, first_end)
    ref = _reference_year(doc, norm, start, end)
    if ref is not None:
        # "今年" in a report read out or published in year Y is Y
        cfg = _config()["year"]
        for w in cfg["deictic_this_year"]:
            scores[ref] += norm.count(w, start, end) * cfg["deictic_weight"]
    if scores:
        best = max(scores.items(), key=lambda kv: (kv[1], kv[0]))
        if best[1] > 0:
            return best[0]
    # the document's own title line (before the first plan) may name the year
    head_end = min((p.span[0] for p in doc.plans), default=plan.span[0])
    heads = [normalize(doc.page_title)] if doc.page_title else []
    heads += [norm[ls:le] for ls, le in doc.lines()[:10] if le <= head_end]
    pats = _patterns()
    for line in heads:
        if pats.plan_word.search(line) and not re.search(r"\d{4}-\d\d?-\d", line):
            y = _title_year(line[:60])
            if y:
                return y
    return None


# ---------------------------------------------------------------- level and region

def _outranked_in_list(norm: str, matches: list, k: int, prefix: dict, rank: dict) -> bool:
    """In a list of bodies of several levels ("省委、市委", "各县(市、区)政府" aside), the higher ones
    are the plan's superiors: only the lowest level of the list tells the plan's own."""
    lo = hi = k
    while lo > 0 and matches[lo - 1].end() + 1 == matches[lo].start() and norm[matches[lo - 1].end()] == "、":
        lo -= 1
    while (hi + 1 < len(matches) and matches[hi].end() + 1 == matches[hi + 1].start()
           and norm[matches[hi].end()] == "、"):
        hi += 1
    if lo == hi:
        return False
    lowest = max(rank[prefix[matches[i].group("pre")]] for i in range(lo, hi + 1))
    return rank[prefix[matches[k].group("pre")]] < lowest


def _level_evidence(norm: str, start: int, end: int, weight: float, scores, superior, explicit):
    cfg = _config()["level"]
    pats = _patterns()
    prefix = cfg["prefix"]
    rank = cfg["rank"]
    matches = list(pats.org.finditer(norm, start, end))
    for k, m in enumerate(matches):
        level = prefix[m.group("pre")]
        before = norm[max(start, m.start() - 2):m.start()]
        if before and (before[-1] == "(" or any(s in before for s in cfg["subordinate_before"][:1])
                       or (before[-1] in "县区市镇乡" and level != "全国")):
            continue
        if _outranked_in_list(norm, matches, k, prefix, rank):
            continue
        after = norm[m.end():min(end, m.end() + cfg["superior_gap"])]
        after = re.split(r"[,。;:、\n]", after)[0]
        back = norm[max(start, m.start() - 2):m.start()]
        if cfg["superior"][0] in after or cfg["superior"][1] in back:
            superior.append(rank[level])
            continue
        scores[level] += weight * cfg["org_weight"]
        explicit.append((m.start("pre"), level, m.group("pre")))
    for m in pats.selfref.finditer(norm, start, end):
        w = cfg["self_refs"][m.group("ref")]
        if pats.plan_word.search(norm, m.end(), min(end, m.end() + cfg["self_plan_gap"])):
            w += cfg["self_plan_weight"]        # "我镇2026年度工作计划": the plan names its own place
        scores[prefix[m.group("pre")]] += weight * w
    for m in pats.national.finditer(norm, start, end):
        scores["全国"] += weight * cfg["org_weight"]
        explicit.append((m.start(), "全国", m.group(0)))


@lru_cache(maxsize=1)
def _org_after() -> re.Pattern:
    """An organisation word after a place, maybe after an ordinal or a level word (洋县县委)."""
    lv = _config()["level"]
    return re.compile(rf"{ORDINAL}(?:{_alternation(lv['prefix'])})?(?:{_alternation(lv['org_words'])})")


def _places_with_org(norm: str, places: list[Place], start: int, end: int) -> set[tuple[int, int]]:
    """Spans of places written as part of a body's name (石鼓区政协, 政协平顶山市委员会)."""
    pats = _patterns()
    org = _org_after()
    out = set()
    for p in places:
        if org.match(norm, p.span[1], end):
            out.add(p.span)
    for m in pats.cppcc_of.finditer(norm, start, end):
        for p in places:
            if m.start("place") <= p.span[0] < m.end("place"):
                out.add(p.span)
    return out


def _most_local(places: list[Place]) -> list[Place]:
    """Drop a place written right before another (佛山市南海区桂澜街道 → 桂澜街道): the last of a
    chain names the plan's own place."""
    return [p for i, p in enumerate(places)
            if not (i + 1 < len(places) and places[i + 1].span[0] == p.span[1])]


@lru_cache(maxsize=1)
def _org_words() -> tuple[str, ...]:
    """The organisation words a place may stand before, bare and with each level prefix (县委, 市政府 …)."""
    cfg = _config()["level"]
    return tuple(cfg["org_words"]) + tuple(pre + w for pre in cfg["prefix"] for w in cfg["org_words"])


def plan_place(doc: Document, plan: Plan, body: Optional[str] = None) -> tuple[Optional[str], Optional[str]]:
    """(region as written with its suffix, admin level) of a plan, each None when not said."""
    cfg = _config()["level"]
    norm = doc.norm
    title = _title(doc, plan)
    start, end = title.body_start, plan.span[1]
    org_words = _org_words()
    scores: dict[str, float] = defaultdict(float)
    superior: list[int] = []
    explicit: list = []
    t_explicit: list = []
    tw = cfg["collection_title_weight"] if _patterns().collection.search(title.norm) else cfg["title_weight"]
    title_places: list[Place] = []
    if title.norm:
        _level_evidence(title.norm, 0, len(title.norm), tw, scores, superior, t_explicit)
        bare = re.sub(r"^[\s(（]*((?:19|20)\d\d年度?)?[)）]?", "", title.norm)
        for w in cfg["title_bare"]:
            if bare.startswith(w) or re.match(rf"[^,。]{{0,12}}年度?{w}", bare):
                scores[cfg["prefix"].get(w, w)] += tw
                break
        title_places = _most_local(find_places(title.norm, 0, len(title.norm), org_words))
        for p in title_places:
            scores[p.level] += tw
    titled = {lv for lv, v in scores.items() if v > 0}
    _level_evidence(norm, start, end, 1.0, scores, superior, explicit)
    if body == "人大":
        for w in cfg["township_hints"]:
            scores["乡镇"] += norm.count(w, start, end) * cfg["org_weight"]
    text_places = _most_local(find_places(norm, start, end, org_words))
    t_org = _places_with_org(title.norm, title_places, 0, len(title.norm))
    with_org = _places_with_org(norm, text_places, start, end)
    for p in text_places:
        if p.span in with_org:
            scores[p.level] += 2
    rank = cfg["rank"]
    if superior:
        top = max(superior)
        scores = {k: v for k, v in scores.items() if rank[k] > top or k in titled}
    if not scores:
        return None, None
    level = max(scores.items(), key=lambda kv: (kv[1], rank[kv[0]]))[0]
    if level == "全国":
        for e in t_explicit:
            if e[1] == "全国" and e[2].startswith("全国"):
                return title.text[e[0]:e[0] + 2], "全国"
        for e in explicit:
            if e[1] == "全国" and e[2].startswith("全国"):
                return doc.text[e[0]:e[0] + 2], "全国"
        return "全国", "全国"
    best, best_score = None, 0.0
    for in_title, places, orgs in ((True, title_places, t_org), (False, text_places, with_org)):
        for p in places:
            if p.level != level:
                continue
            sc = (4.0 if in_title else 0.0) + (3.0 if p.span in orgs else 0.0)
            sc += 0.7 if p.source == "short" else 1.0
            sc += 0.1 * sum(1 for q in text_places if q.name == p.name)
            if best is None or sc > best_score:
                s, e = p.span
                written = (title.text if in_title else doc.text)[s:e] + p.suffix
                best, best_score = written, sc
    return best, level


# ---------------------------------------------------------------- body

def _body_scores(norm: str, start: int, end: int, weight: float, objects: bool) -> dict[str, float]:
    """Each body label's weight of the body words in ``norm[start:end]`` (a copy of a kept answer: the
    rules and the metadata models read the same plan)."""
    return dict(_body_scores_kept(norm, start, end, weight, objects))


@lru_cache(maxsize=8)
def _body_scores_kept(norm: str, start: int, end: int, weight: float, objects: bool) -> dict[str, float]:
    cfg = _config()["body"]
    pats = _patterns()
    scores: dict[str, float] = defaultdict(float)
    pat, labels = (pats.body, pats.body_label) if objects else (pats.title_body, pats.title_label)
    for m in pat.finditer(norm, start, end):
        if objects and any(lb in cfg["object_labels"] for lb, _ in labels[m.group(0)]):
            back = norm[max(start, m.start() - cfg["object_gap"]):m.start()]
            if any(v in back for v in cfg["object_verbs"]):
                continue
            around = norm[max(start, m.start() - 3):m.end() + 3]
            if any(p in around for p in cfg["pair_words"]):
                continue
        for label, w in labels[m.group(0)]:
            scores[label] += w * weight
    return scores


def plan_body(doc: Document, plan: Plan) -> tuple[Optional[str], dict[str, float]]:
    """The body that made the plan (政协, 人大, 政府, 党委, 文化站, 其他) and the scores behind it:
    the title's words weigh most unless the title is a collection site's (……篇一)."""
    cfg = _config()["body"]
    title = _title(doc, plan)
    tw = cfg["collection_title_weight"] if _patterns().collection.search(title.norm) else cfg["title_weight"]
    scores = _body_scores(title.norm, 0, len(title.norm), tw, objects=False)
    text = _body_scores(doc.norm, title.body_start, plan.span[1], 1.0, objects=True)
    total: dict[str, float] = defaultdict(float)
    for d in (scores, text):
        for k, v in d.items():
            total[k] += v
    if not total:
        return None, {}
    best = max(total.items(), key=lambda kv: (kv[1], scores.get(kv[0], 0.0)))
    if not scores and best[1] < cfg["min_text_score"]:
        return None, dict(total)        # too weak to name the body: the level's default decides
    return (best[0] if best[1] > 0 else None), dict(total)


def _names_township_only(doc: Document, plan: Plan) -> bool:
    """True when the title names a street or township (桂澜街道2022年工作计划) and no body: such a
    plan is the township office's."""
    title = _title(doc, plan)
    if not title.norm or _body_scores(title.norm, 0, len(title.norm), 1.0, objects=False):
        return False
    levels = _config()["body"]["default_by_level"]
    return any(p.level in levels for p in find_places(title.norm, 0, len(title.norm)))


def describe_plan(doc: Document, plan: Plan) -> None:
    """Set ``plan.year``, ``plan.region`` (as written), ``plan.admin_level`` and ``plan.body``; a body no
    word names is inferred from the plan's level (``body_source`` "inferred"), and None without one."""
    plan.year = plan_year(doc, plan)
    body, _ = plan_body(doc, plan)
    plan.region, plan.admin_level = plan_place(doc, plan, body)
    cfg = _config()["body"]
    default = cfg["default_by_level"].get(plan.admin_level or "")
    if default and (body is None or _names_township_only(doc, plan)):
        body = default
        plan.body_source = "inferred"
    if body is None and plan.admin_level in cfg["inferred_by_level"]:
        body = cfg["inferred_by_level"][plan.admin_level]
        plan.body_source = "inferred"
    plan.body = body
