"""Features of a section in its tree for the category model (the same code at training and run time).

Blocks, each named by a prefix: ``t:`` character n-grams of the title, ``b:`` bigrams of the
section's own text (sublinear counts, normalised), ``p:`` the parent's title, ``c:`` the children's
titles, ``P:`` the plan's title, ``K:`` the plan's body kind, ``s:`` the place in the tree, and ``L…:``
the lexicon's scores (own, children, parent, plan and its pick) as dense values. How much each
block weighs is part of the trained model (``spec``), so retraining can change it without code.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from typing import Iterable, Optional

from ..model import Document, Plan, Section
from .category_lexicon import Evidence, Taxonomy, score_text

Features = dict[str, float]

_CJK = re.compile(r"[\u3400-\u9fff]+")
# converter debris: a character followed by its pinyin in brackets (区(qū), 动(dòng)), left by some sites'
# script converters; dropped before n-grams, so that the words around it read as written
_PINYIN = re.compile(r"(?<=[\u3400-\u9fff])\([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]{1,7}\)")
DEFAULT_SPEC = {
    "title_n": [1, 2, 3], "title_w": 1.0,           # title n-gram sizes, block weight
    # own-text, parent, children, plan-title and whole-plan bigrams: 0 turns a block off (and skips its
    # work). On the 404 training documents (5-fold by document) the text blocks and a lighter lexicon
    # lift the model from 0.634 (lexicon blocks alone at weight 2) to 0.695; the lexicon alone gives 0.651.
    # (the first 500 characters of a body and 5000 of a plan do as well as 1000 and 20000, at half the cost)
    "body_w": 1.0, "body_max": 500,
    "parent_w": 0.5, "children_w": 0.5, "plan_w": 1.0, "whole_w": 1.0, "whole_max": 5000,
    "lex_w": 0.5, "lex_norm": "max",                # the lexicon's scores, relative to their top label
    "lex_blocks": ["own", "title", "body", "subtree", "parent", "plan", "combined", "pick"],
    "plan_lex": ["title", "picks"],                 # the plan title's lexicon scores, the plan's picks
    "weak_below": 2.0,                              # own evidence below this: a "weak" section, whose
    "weak_blocks": ["LT:", "LD:", "Ls:", "Lp:", "P:", "K:"],   # context features get their own weights
}


def ngrams(text: str, sizes: Iterable[int]) -> list[str]:
    """Character n-grams inside each run of Chinese characters (punctuation and digits break runs)."""
    out: list[str] = []
    if "(" in text:
        text = _PINYIN.sub("", text)
    for run in _CJK.findall(text):
        for n in sizes:
            if n == 1:
                out.extend(run)
            elif n == 2:
                out.extend(map(str.__add__, run, run[1:]))
            else:
                out.extend(run[i:i + n] for i in range(len(run) - n + 1))
    return out


def _put_set(feats: Features, prefix: str, grams: Iterable[str], weight: float) -> None:
    """Binary presence of each n-gram, the block scaled to unit length times ``weight``."""
    uniq = dict.fromkeys(grams)            # first-seen order: deterministic
    if not uniq or weight <= 0:
        return
    v = weight / math.sqrt(len(uniq))
    for g in uniq:
        feats[prefix + g] = v


def _put_counts(feats: Features, prefix: str, grams: Iterable[str], weight: float) -> None:
    """Sublinear counts (1 + log n) scaled to unit length times ``weight``: long bodies do not dominate."""
    c = Counter(grams)
    if not c or weight <= 0:
        return
    vals = {g: 1.0 + math.log(n) for g, n in c.items()}
    norm = math.sqrt(sum(x * x for x in vals.values()))
    scale = weight / norm
    for g, x in vals.items():
        feats[prefix + g] = x * scale


def _put_scores(feats: Features, prefix: str, scores: dict[str, float], weight: float, norm: str = "max") -> None:
    """Lexicon scores as dense values: relative to the top label ("max") or damped ("log")."""
    top = max(scores.values(), default=0.0)
    if top <= 0:
        return
    for label in sorted(scores):
        if scores[label] > 0:
            v = scores[label] / top if norm == "max" else math.log1p(scores[label]) / 3.0
            feats[prefix + label] = weight * v


def _body_text(doc: Document, sec: Section, limit: int) -> str:
    rest = doc.norm[sec.title_span[1]:sec.heading_span[1]]
    body = doc.norm[sec.body_span[0]:min(sec.body_span[1], sec.body_span[0] + limit)]
    return rest + "\n" + body


def _shares(labels: Iterable[Optional[str]]) -> dict[str, float]:
    c = Counter(x for x in labels if x)
    total = sum(c.values())
    return {k: v / total for k, v in c.items()} if total else {}


def plan_features(doc: Document, plan: Plan, spec: Optional[dict] = None) -> Features:
    """The whole plan's bigrams (``A:``), the same for every section of the plan."""
    sp = {**DEFAULT_SPEC, **(spec or {})}
    out: Features = {}
    if sp["whole_w"] > 0:
        _put_counts(out, "A:", ngrams(doc.norm[plan.span[0]:min(plan.span[1], plan.span[0] + sp["whole_max"])],
                                      (2,)), sp["whole_w"])
    return out


def section_features(doc: Document, plan: Plan, evidence: list[Evidence], tax: Taxonomy,
                     spec: Optional[dict] = None, with_plan: bool = True) -> list[Features]:
    """One feature dict per section of ``plan`` (in order), from its text, its tree and the lexicon;
    ``with_plan=False`` leaves out ``plan_features`` (the parser adds them once per plan)."""
    sp = {**DEFAULT_SPEC, **(spec or {})}
    secs = plan.sections
    titles = [doc.norm[s.title_span[0]:s.title_span[1]] for s in secs]
    index = {s.section_id: i for i, s in enumerate(secs)}
    kids: dict[str, list[int]] = {}
    for i, s in enumerate(secs):
        if s.parent_id in index:
            kids.setdefault(s.parent_id, []).append(i)
    plan_title = doc.norm[plan.title_span[0]:plan.title_span[1]] if plan.title_span else ""
    plan_grams = ngrams(plan_title, (2,)) if sp["plan_w"] > 0 else []
    whole: Features = {}
    plan_lex: dict[str, dict[str, float]] = {}
    if "title" in sp["plan_lex"]:
        plan_lex["LT:"] = score_text(tax, plan_title, title=True)[0]
    if "picks" in sp["plan_lex"]:
        plan_lex["LD:"] = _shares(e.label for e in evidence)
    for prefix, scores in plan_lex.items():
        _put_scores(whole, prefix, scores, sp["lex_w"])
    if with_plan:
        whole.update(plan_features(doc, plan, sp))
    out = []
    for i, (sec, ev) in enumerate(zip(secs, evidence)):
        f: Features = {}
        _put_set(f, "t:", ngrams(titles[i], sp["title_n"]), sp["title_w"])
        if sp["body_w"] > 0:
            _put_counts(f, "b:", ngrams(_body_text(doc, sec, sp["body_max"]), (2,)), sp["body_w"])
        p = index.get(sec.parent_id) if sec.parent_id else None
        if p is not None and sp["parent_w"] > 0:
            _put_set(f, "p:", ngrams(titles[p], (2,)), sp["parent_w"])
        ch = kids.get(sec.section_id, [])
        if sp["children_w"] > 0:
            _put_counts(f, "c:", (g for k in ch for g in ngrams(titles[k], (2,))), sp["children_w"])
        _put_set(f, "P:", plan_grams, sp["plan_w"])
        f["K:" + (plan.body or "none")] = 1.0
        f["s:level" + str(min(sec.level, 4))] = 1.0
        f["s:unnumbered" if not sec.marker else "s:numbered"] = 1.0
        f["s:parent" if ch else "s:leaf"] = 1.0
        f["s:first" if i == 0 else "s:later"] = 1.0
        lw, lb = sp["lex_w"], sp["lex_blocks"]
        for block, prefix, scores in (("own", "Lo:", ev.own), ("title", "Lt:", ev.own_title),
                                      ("body", "Lb:", ev.own_body), ("subtree", "Ls:", ev.subtree),
                                      ("parent", "Lp:", ev.parent), ("plan", "LP:", ev.plan),
                                      ("combined", "Lc:", ev.combined)):
            if block in lb:
                _put_scores(f, prefix, scores, lw, sp["lex_norm"])
        if ev.label and "pick" in lb:
            f["Lpick:" + ev.label] = lw
        own_top = max(ev.own.values(), default=0.0)
        f["Lstrength"] = lw * math.log1p(own_top) / 3.0
        f.update(whole)
        if own_top < sp["weak_below"]:
            f["Lweak"] = lw
            weak = tuple(sp["weak_blocks"])
            f.update([("W" + name, v) for name, v in f.items() if name.startswith(weak)])
        out.append(f)
    return out
