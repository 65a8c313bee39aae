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
from pathlib import Path
from typing import Any, Optional, Sequence

from ..atomic import write_atomic
from .gold import GoldDoc, scorer
from .org_eval import PlanView, Tally, plan_views
from .split import fold_of

NAME = "dates"
MODEL = "dates.json"
FILES = (MODEL,)
PARAMS = {"C": 1.0, "min_df": 2}
LEX_DOCS = 2            # a time word enters the lexicon when the gold marks it in this many documents
LEX_MAX = 8             # longest lexicon word, in characters
Span = tuple[int, int]


def views(docs: Sequence[GoldDoc]) -> list[PlanView]:
    """The plans the parser finds in each gold document, without converter pinyin, with their gold dates."""
    return plan_views(docs, "dates")


def lexicon(vs: Sequence[PlanView]) -> list[str]:
    """The gold time words without a digit or numeral, marked in ``LEX_DOCS`` documents or more."""
    from ..extract.date_features import numberless

    docs: dict[str, set] = {}
    for v in vs:
        for g in v.gold:
            s, e = g["span"]
            w = v.norm[s:e].strip("“”‘’\"' ")
            if 2 <= len(w) <= LEX_MAX and "\n" not in w and numberless(w):
                docs.setdefault(w, set()).add(v.doc)
    return sorted(w for w, ds in docs.items() if len(ds) >= LEX_DOCS)


def samples(v: PlanView, lexicon: Any) -> list[tuple[dict, bool, Span]]:
    """(features, is a date, span) of each candidate of one plan in its annotated text (``lexicon``: the
    automaton of the time words, ``date_features.lexicon_automaton``)."""
    from ..extract.date_features import features, title_end
    from ..extract.date_model import candidates

    norm = v.norm
    te = title_end(norm, 0, len(norm))
    gold = [g["span"] for g in v.gold]
    return [(features(norm, c, te), any(c.span[0] < b and a < c.span[1] for a, b in gold), c.span)
            for c in candidates(norm, 0, len(norm), None, lexicon) if v.trains(c.span[0])]


def fit(data: Sequence[tuple[str, dict, bool]], words: Sequence[str], params: Optional[dict] = None) -> dict:
    """The model file's structure fitted on (document, features, is a date) rows."""
    from .linear import fit as fit_linear

    p = dict(PARAMS, **(params or {}))
    model = fit_linear([f for _, f, _ in data], ["date" if y else "none" for _, _, y in data], ["date", "none"],
                       C=p["C"], min_df=p["min_df"], groups=[d for d, _, _ in data], binary=True)
    return {"format": 1, "model": model, "threshold": 0.0, "lexicon": list(words),
            "info": {"rows": len(data), "lexicon": len(words), **p}}


def _rows(vs: Sequence[PlanView], words: Sequence[str]) -> list[tuple[str, dict, bool]]:
    from ..extract.date_features import lexicon_automaton

    ac = lexicon_automaton(words)
    return [(v.doc, f, y) for v in vs for f, y, _ in samples(v, ac)]


def train(docs: list[GoldDoc], out: Path) -> dict:
    """Train on ``docs`` and write ``dates.json`` into ``out``."""
    vs = views(docs)
    words = lexicon(vs)
    model = fit(_rows(vs, words), words)
    path = out / MODEL
    write_atomic(path, (json.dumps(model, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n").encode())
    return {"rows": model["info"]["rows"], "lexicon": len(words), "features": len(model["model"]["weights"]),
            "bytes": path.stat().st_size}


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
            gold = [g for g in v.gold if v.trains(g["span"][0])]
            rows = samples(v, m.lexicon)
            kept = [{"span": sp} for f, _, sp in rows if m.keeps(f)]
            grammar = [{"span": sp} for f, _, sp in rows if any(n.startswith("src:g:") for n in f)]
            for name, pred in (("model", kept), ("grammar", grammar)):
                tally[name].update(tp=len(scorer().match_spans(gold, pred, False)), gold=len(gold), pred=len(pred))
    lines = []
    for name, t in tally.items():
        p, r, f = Tally._prf(t["tp"], t["gold"], t["pred"])
        lines.append(f"{name:8s} P {p:.3f} R {r:.3f} F1 {f:.3f}")
    return f"dates {k}-fold by document ({len(docs)} documents)\n" + "\n".join(lines)
