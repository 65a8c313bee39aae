"""Train the organisation tagger: a character-level BIO CRF (python-crfsuite) on the gold ``organizations``
spans, over the candidate clauses of every plan the parser finds in the training documents.

Writes ``orgs.crfsuite``; parser.extract.org_tagger reads it. L-BFGS with L1 (``c1``) and L2 (``c2``)
penalties: the L1 term and a minimum feature frequency keep the file small; training is deterministic.
``cross_validate`` gives the tagger's figures by document, beside the rule finder's on the same folds.
"""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Sequence

from .gold import GoldDoc
from .org_eval import PlanView, Tally, format_figures, model_folder, plan_views, score_views
from .split import fold_of

NAME = "orgs"
MODEL = "orgs.crfsuite"
FILES = (MODEL,)
PARAMS = {"c1": 0.1, "c2": 0.01, "max_iterations": 200, "feature.minfreq": 2,
          "feature.possible_transitions": True}


def labels(cs: int, ce: int, gold: Sequence[tuple[int, int]]) -> list[str]:
    """BIO labels of the clause ``[cs, ce)`` from gold spans (a span crossing its start opens with B)."""
    out = ["O"] * (ce - cs)
    for s, e in gold:
        if e <= cs or s >= ce:
            continue
        a, b = max(s, cs) - cs, min(e, ce) - cs
        out[a] = "B"
        for k in range(a + 1, b):
            out[k] = "I"
    return out


def sequences(view: PlanView) -> list[tuple[list, list[str]]]:
    """(features, labels) of each window of one plan that is training text."""
    from ..extract import orgs
    from ..extract.org_features import document_features

    norm = view.norm
    sc = orgs.scan(norm, 0, len(norm))
    cands, feats = document_features(norm, 0, len(norm), sc)
    gold = sorted(g["span"] for g in view.gold)
    return [(f, labels(c.start, c.end, gold)) for c, f in zip(cands, feats) if view.trains(c.start)]


def fit(data: Sequence[tuple[list, list[str]]], path: Path, params: dict | None = None) -> None:
    """Train the CRF on (features, labels) sequences into ``path``."""
    import pycrfsuite

    tr = pycrfsuite.Trainer(verbose=False)
    tr.select("lbfgs", "crf1d")
    tr.set_params(dict(PARAMS, **(params or {})))
    for x, y in data:
        tr.append(x, y)
    tr.train(str(path))


def train(docs: list[GoldDoc], out: Path) -> dict:
    """Train on ``docs`` and write ``orgs.crfsuite`` into ``out``."""
    data = [s for seqs in per_view(plan_views(docs)) for s in seqs]
    fit(data, out / MODEL)
    return {"sequences": len(data), "characters": sum(len(y) for _, y in data),
            "bytes": (out / MODEL).stat().st_size}


def cross_validate(docs: list[GoldDoc], k: int = 5, params: dict | None = None) -> str:
    """K-fold by document: the tagger (rule roles) beside the rule finder on the same folds."""
    from ..extract.orgs import find_orgs

    views = plan_views(docs)
    by_view = dict(zip(map(id, views), per_view(views)))
    fold = {v.doc: fold_of(v.doc, k) for v in views}
    tagged, rules = Tally(), Tally()
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "rules"
        empty.mkdir()
        for i in range(k):
            held = [v for v in views if fold[v.doc] == i]
            data = [s for v in views if fold[v.doc] != i for s in by_view[id(v)]]
            folder = Path(tmp) / f"fold{i}"
            folder.mkdir()
            fit(data, folder / MODEL, params)
            with model_folder(folder):
                t = score_views(held, find_orgs)
            with model_folder(empty):
                r = score_views(held, find_orgs)
            tagged.merge(t)
            rules.merge(r)
    return "\n".join([f"orgs {k}-fold by document ({len({v.doc for v in views})} documents)",
                      format_figures("tagger", tagged.figures()), format_figures("rules", rules.figures())])


def per_view(views: Sequence[PlanView]) -> list[list[tuple[list, list[str]]]]:
    """The training sequences of each view, with the rules alone (no model may feed its own features)."""
    with tempfile.TemporaryDirectory() as empty, model_folder(Path(empty)):
        return [sequences(v) for v in views]
