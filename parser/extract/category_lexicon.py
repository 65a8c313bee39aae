"""The lexicon categorizer: one topic label per section from a replaceable taxonomy's weighted words.

A section is scored by the taxonomy's weighted words in its title (weighted higher) and in
its own body text (up to the next heading); a section with too little evidence of its own
borrows from its children, its parent and the plan as a whole. The taxonomy is a TOML file
(data/taxonomy.toml by default) that a user can replace with their own labels and words. Its
evidence (``lexicon_evidence``) is also what the trained model (category_model) reads as features.
"""
from __future__ import annotations

import math
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional, Union

from ..model import Document, Plan, Section

DEFAULT_TAXONOMY = Path(__file__).resolve().parents[1] / "data" / "taxonomy.toml"

Scores = dict[str, float]
Terms = dict[str, dict[str, float]]     # label → word → contribution


@dataclass(frozen=True)
class Taxonomy:
    """Labels with their lexicons, compiled into one word matcher for the body and one for titles."""

    labels: tuple[str, ...]
    descriptions: dict[str, str]
    settings: dict
    body_matcher: Optional["WordMatcher"]
    body_words: dict[str, tuple[tuple[str, float], ...]]
    title_matcher: Optional["WordMatcher"]
    title_words: dict[str, tuple[tuple[str, float], ...]]


class WordMatcher:
    """Leftmost-longest, non-overlapping matches of a word list (an Aho-Corasick automaton: one pass
    over the text, where an alternation regex tries every word at every position)."""

    def __init__(self, words: list[str]):
        import ahocorasick_rs

        self.words = words
        self._ac = ahocorasick_rs.AhoCorasick(words, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def findall(self, text: str) -> list[str]:
        """The words found in ``text``, left to right."""
        words = self.words
        return [words[i] for i, _, _ in self._ac.find_matches_as_indexes(text)]


def _compile(words: dict[str, list]) -> Optional[WordMatcher]:
    return WordMatcher(list(words)) if words else None


@lru_cache(maxsize=8)
def load_taxonomy(path: Optional[str] = None) -> Taxonomy:
    """Read a taxonomy TOML file (GUIDE.md's 12 labels when ``path`` is None); cached per path."""
    p = Path(path) if path else DEFAULT_TAXONOMY
    data = tomllib.loads(p.read_text(encoding="utf-8"))
    labels = data.get("labels") or {}
    if not labels:
        raise ValueError(f"{p}: a taxonomy needs at least one [labels.\"NAME\"] table")
    settings = {"default": next(iter(labels)), "title_weight": 3.0, "body_cap": 6.0, "min_own": 2.0,
                "child_share": 0.6, "parent_share": 0.4, "plan_share": 0.0}
    settings.update(data.get("settings") or {})
    body: dict[str, list] = defaultdict(list)
    title: dict[str, list] = defaultdict(list)
    for label, spec in labels.items():
        for w, weight in (spec.get("keywords") or {}).items():
            body[w].append((label, float(weight)))
            title[w].append((label, float(weight)))
        for w, weight in (spec.get("title_keywords") or {}).items():
            title[w].append((label, float(weight)))
    for w in (data.get("neutral") or {}).get("words", []):
        body.setdefault(w, [])
        title.setdefault(w, [])
    if settings["default"] not in labels:
        raise ValueError(f"{p}: settings.default {settings['default']!r} is not one of its labels")
    return Taxonomy(labels=tuple(labels), descriptions={k: v.get("description", "") for k, v in labels.items()},
                    settings=settings,
                    body_matcher=_compile(body), body_words={k: tuple(v) for k, v in body.items()},
                    title_matcher=_compile(title), title_words={k: tuple(v) for k, v in title.items()})


def score_text(tax: Taxonomy, text: str, title: bool = False) -> tuple[Scores, Terms]:
    """Raw label scores of ``text`` (leftmost-longest word matches) and the words behind them."""
    pat, words = (tax.title_matcher, tax.title_words) if title else (tax.body_matcher, tax.body_words)
    scores: Scores = defaultdict(float)
    terms: Terms = defaultdict(lambda: defaultdict(float))
    if pat is None or not text:
        return scores, terms
    for word in pat.findall(text):
        for label, w in words[word]:
            scores[label] += w
            terms[label][word] += w
    return scores, terms


def _saturate(scores: Scores, cap: float) -> Scores:
    """Long bodies must not drown the title: each label's body score tends towards ``cap``."""
    return {k: cap * (1 - math.exp(-v / cap)) for k, v in scores.items()}


def _scaled(scores: Scores, to: float = 5.0) -> Scores:
    top = max(scores.values(), default=0.0)
    return {k: v * to / top for k, v in scores.items()} if top > 0 else {}


def _add(into: Scores, other: Scores, share: float = 1.0) -> None:
    for k, v in other.items():
        into[k] = into.get(k, 0.0) + v * share


def _own(doc: Document, sec: Section, tax: Taxonomy) -> tuple[Scores, Terms, Scores, Scores]:
    """A section's own evidence: its title (weighted) and the text of its line and body.

    Returns the combined scores, the words behind them, and the title's and the body's parts."""
    st = tax.settings
    ts, te = sec.title_span
    t_scores, t_terms = score_text(tax, doc.norm[ts:te], title=True)
    rest = doc.norm[te:sec.heading_span[1]] + "\n" + doc.norm[sec.body_span[0]:sec.body_span[1]]
    b_scores, b_terms = score_text(tax, rest)
    title_part = {k: v * st["title_weight"] for k, v in t_scores.items()}
    body_part = _saturate(b_scores, st["body_cap"])
    scores = dict(title_part)
    _add(scores, body_part)
    terms: Terms = defaultdict(lambda: defaultdict(float))
    for src, f in ((t_terms, st["title_weight"]), (b_terms, 1.0)):
        for label, ws in src.items():
            for w, v in ws.items():
                terms[label][w] += v * f
    return scores, terms, title_part, body_part


def _plan_context(doc: Document, plan: Plan, tax: Taxonomy, owns: dict[str, Scores]) -> Scores:
    """What the plan as a whole is about: its title, its preamble and all its sections."""
    st = tax.settings
    first = plan.sections[0].heading_span[0] if plan.sections else plan.span[1]
    ctx: Scores = {}
    if plan.title_span:
        t, _ = score_text(tax, doc.norm[plan.title_span[0]:plan.title_span[1]], title=True)
        _add(ctx, t, st["title_weight"])
    pre, _ = score_text(tax, doc.norm[plan.title_span[1] if plan.title_span else plan.span[0]:first])
    _add(ctx, _saturate(pre, st["body_cap"]))
    for s in owns.values():
        _add(ctx, _scaled(s), 0.5)
    return ctx


@dataclass
class Evidence:
    """The lexicon's view of one section: its own scores, its tree's, and the label they pick."""

    own: Scores                 # title (weighted) + saturated body
    own_title: Scores           # the title's part of ``own``
    own_body: Scores            # the body's part of ``own``
    terms: Terms                # label → matched word → contribution, from the section's own text
    subtree: Scores             # the children's and grandchildren's own evidence, scaled
    parent: Scores              # the parent's own evidence, scaled
    plan: Scores                # the plan's title, preamble and all sections, scaled
    combined: Scores            # own, plus the borrowed context when own evidence is weak
    label: Optional[str]        # the best label of ``combined`` (None when nothing matched)


def lexicon_evidence(doc: Document, plan: Plan, tax: Taxonomy) -> list[Evidence]:
    """The lexicon evidence of every section of ``plan``, in order (shared with the model's features)."""
    st = tax.settings
    owns: dict[str, Scores] = {}
    terms: dict[str, Terms] = {}
    parts: dict[str, tuple[Scores, Scores]] = {}
    for sec in plan.sections:
        owns[sec.section_id], terms[sec.section_id], *tb = _own(doc, sec, tax)
        parts[sec.section_id] = (tb[0], tb[1])
    children: dict[Optional[str], list[Section]] = defaultdict(list)
    for sec in plan.sections:
        children[sec.parent_id].append(sec)

    subtree_memo: dict[str, Scores] = {}

    def subtree(sid: str) -> Scores:
        """The scaled evidence of a section's descendants."""
        if sid not in subtree_memo:
            acc: Scores = {}
            for ch in children.get(sid, []):
                _add(acc, _scaled(owns[ch.section_id]))
                _add(acc, subtree(ch.section_id), 0.5)
            subtree_memo[sid] = acc
        return subtree_memo[sid]

    ctx = _scaled(_plan_context(doc, plan, tax, owns)) if plan.sections else {}
    out = []
    for sec in plan.sections:
        own = owns[sec.section_id]
        sub = _scaled(subtree(sec.section_id))
        par = _scaled(owns[sec.parent_id]) if sec.parent_id in owns else {}
        combined = dict(own)
        if max(own.values(), default=0.0) < st["min_own"]:
            _add(combined, sub, st["child_share"])
            _add(combined, par, st["parent_share"])
            _add(combined, ctx, st["plan_share"])
        label = None
        if combined and max(combined.values()) > 0:
            label = max(combined, key=lambda k: (combined[k], own.get(k, 0.0)))
        out.append(Evidence(own=own, own_title=parts[sec.section_id][0], own_body=parts[sec.section_id][1],
                            terms=terms[sec.section_id], subtree=sub, parent=par, plan=ctx,
                            combined=combined, label=label))
    return out


def categorize_lexicon(plan: Plan, tax: Taxonomy, evidence: list[Evidence]) -> None:
    """Label every section by its lexicon evidence (the parent's label, else the default, when none)."""
    by_id = {s.section_id: s for s in plan.sections}
    for sec, ev in zip(plan.sections, evidence):
        if ev.label is not None:
            label, score = ev.label, ev.combined[ev.label]
        else:
            parent = by_id.get(sec.parent_id) if sec.parent_id else None
            label = parent.category if parent and parent.category else tax.settings["default"]
            score = 0.0
        sec.category = label
        sec.category_score = round(score, 4)
        words = ev.terms.get(label, {})
        sec.category_terms = [w for w, _ in sorted(words.items(), key=lambda kv: -kv[1])]
