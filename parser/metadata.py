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

from .gazetteer import Place, find_places
from .model import Document, Plan

DATA = Path(__file__).resolve().parent / "data"
YEAR = re.compile(r"(?<![\dA-Za-z])((?:19|20)\d\d)(?=\s*年)")
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
    for label, words in cfg["body"]["words"].items():
        for w, weight in words.items():
            word_label[w].append((label, float(weight)))
    return _Patterns(
        org=re.compile(rf"(?P<pre>{pre}){ORDINAL}(?P<org>{org})"),
        selfref=re.compile(rf"(?:{_alternation(lv['self_refs'])})(?P<pre>{pre})"),
        national=re.compile(_alternation(lv["national"])),
        body=re.compile(_alternation(word_label)),
        body_label=dict(word_label),
        plan_word=re.compile(_alternation(cfg["year"]["plan_words"])),
        collection=re.compile(cfg["body"]["collection_title"]),
        cppcc_of=re.compile(rf"政协{ORDINAL}(?P<place>[\u4e00-\u9fff]{{2,8}}?)委员会"),
    )


MAX_TITLE = 80


def _title_span(doc: Document, plan: Plan) -> tuple[int, int]:
    """The plan's title line (at most MAX_TITLE characters of it), or an empty span."""
    if plan.title_span and plan.title:
        s, e = plan.title_span
        return s, min(e, s + MAX_TITLE)
    return (plan.span[0], plan.span[0])


# ---------------------------------------------------------------- year

def _years_scored(norm: str, start: int, end: int, first_line_end: int) -> dict[int, float]:
    cfg = _config()["year"]
    pats = _patterns()
    scores: dict[int, float] = defaultdict(float)
    for m in YEAR.finditer(norm, start, end):
        y = int(m.group(1))
        after = norm[m.end() + 1:min(end, m.end() + 1 + cfg["gap"])]
        cut = min((i for i, c in enumerate(after) if c in "。;\n" or c.isdigit()), default=len(after))
        window = after[:cut]
        score = 1.0
        pw = pats.plan_word.search(window)
        if pw and not any(p in window[:pw.start()] for p in cfg["past_words"]):
            score += cfg["plan_word_weight"]
        if any(window.startswith(p) or window.startswith("度" + p) for p in cfg["past_words"]):
            score += cfg["past_weight"]
        if m.start() < first_line_end:
            score += cfg["first_line_weight"]
        scores[y] += score
    return scores


def _title_year(title: str) -> Optional[int]:
    years = [int(m.group(1)) for m in YEAR.finditer(title)]
    return max(years) if years else None


def plan_year(doc: Document, plan: Plan) -> Optional[int]:
    """The year the plan is for: its title's year, else the best-supported year of its text
    (a year before 工作要点/安排/是 … counts most), else a year in the document's title line."""
    norm = doc.norm
    ts, te = _title_span(doc, plan)
    y = _title_year(norm[ts:te][:60])
    if y:
        return y
    start, end = (te, plan.span[1]) if te > ts else plan.span
    nl = norm.find("\n", start + 1)
    first_end = end if nl < 0 else min(nl, end)
    scores = _years_scored(norm, start, end, first_end)
    if scores:
        best = max(scores.items(), key=lambda kv: (kv[1], kv[0]))
        if best[1] > 0:
            return best[0]
    # the document's own title line (before the first plan) may name the year
    head_end = min((p.span[0] for p in doc.plans), default=plan.span[0])
    for ls, le in doc.lines():
        if ls >= head_end or ls > 2000:
            break
        if norm[ls:le].strip():
            return _title_year(norm[ls:le][:60])
    return None


# ---------------------------------------------------------------- level and region

def _level_evidence(norm: str, start: int, end: int, weight: float, scores, superior, explicit):
    cfg = _config()["level"]
    pats = _patterns()
    prefix = cfg["prefix"]
    rank = cfg["rank"]
    for m in pats.org.finditer(norm, start, end):
        level = prefix[m.group("pre")]
        before = norm[max(start, m.start() - 2):m.start()]
        if before and (before[-1] in "、(" or any(s in before for s in cfg["subordinate_before"][:1])
                       or (before[-1] in "县区市镇乡" and level != "全国")):
            continue
        after = norm[m.end():min(end, m.end() + cfg["superior_gap"])]
        after = re.split(r"[,。;:、\n]", after)[0]
        back = norm[max(start, m.start() - 2):m.start()]
        if any(w in after for w in cfg["superior"][:2]) or cfg["superior"][2] in back:
            superior.append(rank[level])
            continue
        scores[level] += weight * cfg["org_weight"]
        explicit.append((m.start("pre"), level, m.group("pre")))
    for m in pats.selfref.finditer(norm, start, end):
        scores[prefix[m.group("pre")]] += weight * cfg["self_weight"]
    for m in pats.national.finditer(norm, start, end):
        scores["全国"] += weight * cfg["org_weight"]
        explicit.append((m.start(), "全国", m.group(0)))


def _places_with_org(norm: str, places: list[Place], start: int, end: int) -> set[tuple[int, int]]:
    """Spans of places written as part of a body's name (石鼓区政协, 政协平顶山市委员会)."""
    pats = _patterns()
    org = re.compile(rf"{ORDINAL}(?:{_alternation(_config()['level']['org_words'])})")
    out = set()
    for p in places:
        if org.match(norm, p.span[1], end):
            out.add(p.span)
    for m in pats.cppcc_of.finditer(norm, start, end):
        for p in places:
            if m.start("place") <= p.span[0] < m.end("place"):
                out.add(p.span)
    return out


def plan_place(doc: Document, plan: Plan, body: Optional[str] = None) -> tuple[Optional[str], Optional[str]]:
    """(region as written with its suffix, admin level) of a plan, each None when not said."""
    cfg = _config()["level"]
    norm = doc.norm
    ts, te = _title_span(doc, plan)
    start, end = plan.span
    body_start = te if te > ts else start
    org_words = tuple(cfg["org_words"])
    scores: dict[str, float] = defaultdict(float)
    superior: list[int] = []
    explicit: list = []
    tw = cfg["title_weight"]
    if te > ts and _patterns().collection.search(norm[ts:te]):
        tw = cfg["collection_title_weight"]
    if te > ts:
        _level_evidence(norm, ts, te, tw, scores, superior, explicit)
        title = re.sub(r"^[\s(（]*((?:19|20)\d\d年度?)?[)）]?", "", norm[ts:te])
        for w in cfg["title_bare"]:
            if title.startswith(w) or re.match(rf"[^,。]{{0,12}}年度?{w}", title):
                scores[cfg["prefix"].get(w, w)] += tw
                break
    _level_evidence(norm, body_start, end, 1.0, scores, superior, explicit)
    if body == "人大":
        for w in cfg["township_hints"]:
            scores["乡镇"] += norm.count(w, body_start, end) * cfg["org_weight"]
    title_places = find_places(norm, ts, te, org_words) if te > ts else []
    text_places = find_places(norm, body_start, end, org_words)
    with_org = _places_with_org(norm, title_places + text_places, start, end)
    for p in title_places:
        scores[p.level] += tw
    for p in text_places:
        if p.span in with_org:
            scores[p.level] += 2
    rank = cfg["rank"]
    if superior:
        top = max(superior)
        scores = {k: v for k, v in scores.items() if rank[k] > top}
    if not scores:
        return None, None
    level = max(scores.items(), key=lambda kv: (kv[1], rank[kv[0]]))[0]
    if level == "全国":
        written = [e for e in explicit if e[1] == "全国" and e[2].startswith("全国")]
        if written:
            s = written[0][0]
            return doc.text[s:s + 2], "全国"
        return "全国", "全国"
    best, best_score = None, 0.0
    for p in title_places + text_places:
        if p.level != level:
            continue
        sc = (3.0 if p in title_places else 0.0) + (3.0 if p.span in with_org else 0.0)
        sc += 0.7 if p.source == "short" else 1.0
        if best is None or sc > best_score:
            tally = sum(1 for q in title_places + text_places if q.name == p.name)
            best, best_score = p, sc + 0.1 * tally
    if best is None:
        return None, level
    s, e = best.span
    return doc.text[s:e] + best.suffix, level


# ---------------------------------------------------------------- body

def _body_scores(norm: str, start: int, end: int, weight: float, objects: bool) -> dict[str, float]:
    cfg = _config()["body"]
    pats = _patterns()
    scores: dict[str, float] = defaultdict(float)
    for m in pats.body.finditer(norm, start, end):
        if objects:
            back = norm[max(start, m.start() - cfg["object_gap"]):m.start()]
            if any(v in back for v in cfg["object_verbs"]):
                continue
            around = norm[max(start, m.start() - 3):m.end() + 3]
            if any(p in around for p in cfg["pair_words"]):
                continue
        for label, w in pats.body_label[m.group(0)]:
            scores[label] += w * weight
    return scores


def plan_body(doc: Document, plan: Plan) -> tuple[Optional[str], dict[str, float]]:
    """The body that made the plan (政协, 人大, 政府, 党委, 文化站, 其他) and the scores behind it:
    the title's words weigh most unless the title is a collection site's (……篇一)."""
    cfg = _config()["body"]
    norm = doc.norm
    ts, te = _title_span(doc, plan)
    title = norm[ts:te]
    tw = cfg["collection_title_weight"] if _patterns().collection.search(title) else cfg["title_weight"]
    scores = _body_scores(norm, ts, te, tw, objects=False) if te > ts else {}
    text = _body_scores(norm, te if te > ts else plan.span[0], plan.span[1], 1.0, objects=True)
    total: dict[str, float] = defaultdict(float)
    for d in (scores, text):
        for k, v in d.items():
            total[k] += v
    if not total:
        return None, {}
    best = max(total.items(), key=lambda kv: (kv[1], scores.get(kv[0], 0.0)))
    if not scores and best[1] < cfg["min_text_score"]:
        return None, dict(total)
    return (best[0] if best[1] > 0 else None), dict(total)


def describe_plan(doc: Document, plan: Plan) -> None:
    """Set ``plan.year``, ``plan.region``, ``plan.admin_level`` and ``plan.body``."""
    plan.year = plan_year(doc, plan)
    body, _ = plan_body(doc, plan)
    plan.region, plan.admin_level = plan_place(doc, plan, body)
    if body is None and plan.admin_level:
        body = _config()["body"]["default_by_level"].get(plan.admin_level)
    plan.body = body
