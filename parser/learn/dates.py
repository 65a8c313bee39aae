"""Train the date model: a logistic keep/drop decision (scikit-learn, at build time only) over the
candidates of parser.extract.date_features, on the plans the parser finds in the training documents.

A candidate is a date when it overlaps a gold date (score.py's relaxed match). The lexicon of time words
is learned too: the gold dates without a digit or numeral (新学期, 暑假) found in at least ``LEX_DOCS``
training documents. Writes ``dates.json``; ``cross_validate`` gives precision, recall and F1 by
document beside the grammar's on the same folds.
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional, Sequence

from ..atomic import write_atomic
from .gold import GoldDoc, plan_texts
from .split import fold_of

NAME = "dates"
MODEL = "dates.json"
FILES = (MODEL,)
PARAMS = {"C": 1.0, "min_df": 2}
LEX_DOCS = 2            # a time word enters the lexicon when the gold marks it in this many documents
LEX_MAX = 8             # longest lexicon word, in characters
Span = tuple[int, int]


@dataclass
class DateView:
    """One predicted plan of a gold document, as the parser gives it to the date finder."""

    doc: str
    norm: str
    gold: list[Span]                    # gold date spans in the plan (view offsets)
    skip_before: int                    # no gold is annotated before this offset
    furniture: list[Span] = field(default_factory=list)

    def trains(self, pos: int) -> bool:
        """Whether text at ``pos`` is annotated text (after the first gold plan line, not furniture)."""
        return pos >= self.skip_before and not any(a <= pos < b for a, b in self.furniture)


def views(docs: Sequence[GoldDoc]) -> list[DateView]:
    """The plans the parser finds in each gold document, without converter pinyin, with their gold dates."""
    return [DateView(p.gold.name, p.view.text, [g["span"] for g in p.spans(p.gold.dates)], p.skip_before, p.furniture)
            for p in plan_texts(list(docs))]


def lexicon(vs: Sequence[DateView]) -> list[str]:
    """The gold time words without a digit or numeral, marked in ``LEX_DOCS`` documents or more."""
    from ..extract.date_features import _CN_NUM

    docs: dict[str, set] = {}
    for v in vs:
        for s, e in v.gold:
            w = v.norm[s:e].strip("“”‘’\"' ")
            if 2 <= len(w) <= LEX_MAX and "\n" not in w and not any(ch.isdigit() or ch in _CN_NUM for ch in w):
                docs.setdefault(w, set()).add(v.doc)
    return sorted(w for w, ds in docs.items() if len(ds) >= LEX_DOCS)


def _automaton(words: Sequence[str]):
    if not words:
        return None
    import ahocorasick_rs

    return ahocorasick_rs.AhoCorasick(list(words), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)


def samples(v: DateView, words: Sequence[str]) -> list[tuple[dict, bool, Span]]:
    """(features, is a date, span) of each candidate of one plan in its annotated text."""
    from ..extract.date_features import extra_candidates, features
    from ..extract.date_model import Candidate
    from ..extract.dates import grammar_dates

    norm = v.norm
    cands = [Candidate(m.span, "g:" + kind, m) for m, kind in grammar_dates(norm, 0, len(norm))]
    cands += extra_candidates(norm, 0, len(norm), [c.span for c in cands], _automaton(words))
    first = norm.find("\n")
    title_end = len(norm) if first < 0 else first
    out = []
    for c in sorted(cands, key=lambda c: c.span):
        s, e = c.span
        if not v.trains(s):
            continue
        out.append((features(norm, c, title_end), any(s < b and a < e for a, b in v.gold), c.span))
    return out


def fit(data: Sequence[tuple[str, dict, bool]], words: Sequence[str], params: Optional[dict] = None) -> dict:
    """The model file's structure fitted on (document, features, is a date) rows."""
    from .linear import fit as fit_linear

    p = dict(PARAMS, **(params or {}))
    model = fit_linear([f for _, f, _ in data], ["date" if y else "none" for _, _, y in data], ["date", "none"],
                       C=p["C"], min_df=p["min_df"], groups=[d for d, _, _ in data], binary=True)
    return {"format": 1, "model": model, "threshold": 0.0, "lexicon": list(words),
            "info": {"rows": len(data), "lexicon": len(words), **p}}


def _rows(vs: Sequence[DateView], words: Sequence[str]) -> list[tuple[str, dict, bool]]:
    return [(v.doc, f, y) for v in vs for f, y, _ in samples(v, words)]


def train(docs: list[GoldDoc], out: Path) -> dict:
    """Train on ``docs`` and write ``dates.json`` into ``out``."""
    vs = views(docs)
    words = lexicon(vs)
    model = fit(_rows(vs, words), words)
    path = out / MODEL
    write_atomic(path, (json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n").encode())
    return {"rows": model["info"]["rows"], "lexicon": len(words), "features": len(model["model"]["weights"]),
            "bytes": path.stat().st_size}


def _match(gold: Sequence[Span], pred: Sequence[Span]) -> int:
    """score.py's greedy one-to-one relaxed matching: the number of matched gold spans."""
    taken: set[int] = set()
    n = 0
    for gs, ge in gold:
        best, best_ov = None, 0
        for j, (ps, pe) in enumerate(pred):
            ov = min(ge, pe) - max(gs, ps)
            if j not in taken and ov > best_ov:
                best, best_ov = j, ov
        if best is not None:
            taken.add(best)
            n += 1
    return n


def _prf(tp: int, gold: int, pred: int) -> str:
    p, r = (tp / pred if pred else 0.0), (tp / gold if gold else 0.0)
    return f"P {p:.3f} R {r:.3f} F1 {2 * p * r / (p + r) if p + r else 0.0:.3f}"


def cross_validate(docs: list[GoldDoc], k: int = 5, params: Optional[dict] = None) -> str:
    """K-fold by document: the model beside the grammar alone, in annotated text."""
    from ..extract.date_model import DateModel

    vs = views(docs)
    tally = {"model": Counter(), "grammar": Counter()}
    for fold in range(k):
        train_vs = [v for v in vs if fold_of(v.doc, k) != fold]
        words = lexicon(train_vs)
        m = DateModel(fit(_rows(train_vs, words), words, params))
        for v in (v for v in vs if fold_of(v.doc, k) == fold):
            gold = [g for g in v.gold if v.trains(g[0])]
            rows = samples(v, words)
            kept = [sp for f, _, sp in rows if m.keeps(f)]
            grammar = [sp for f, _, sp in rows if any(n.startswith("src:g:") for n in f)]
            for name, pred in (("model", kept), ("grammar", grammar)):
                tally[name].update(tp=_match(gold, pred), gold=len(gold), pred=len(pred))
    return (f"dates {k}-fold by document ({len(docs)} documents)\n"
            + "\n".join(f"{name:8s} {_prf(t['tp'], t['gold'], t['pred'])}" for name, t in tally.items()))
