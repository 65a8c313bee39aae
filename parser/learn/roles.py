"""Train the role classifier: multinomial logistic regression (scikit-learn, at build time only) over the
features of parser.extract.role_features, on every gold mention of the plans the parser finds.

Writes ``roles.json`` (labels, integer weights per kept feature, bias); parser.extract.role_model applies
it without scikit-learn. ``cross_validate`` scores roles by document: on the gold spans (model and rules),
and end to end with the mentions found (rules alone; the tagger with the rules' roles; the tagger with the
model's roles), each fold's tagger and role model trained without that fold.
"""
from __future__ import annotations

import json
import tempfile
from collections import Counter
from pathlib import Path
from typing import Sequence

from .gold import GoldDoc
from .org_eval import PlanView, Tally, format_figures, model_folder, plan_views, score_views
from .split import fold_of

NAME = "roles"
MODEL = "roles.json"
FILES = (MODEL,)
LABELS = ("organizer", "participant", "other")
C = 0.5                 # inverse L2 strength
MIN_COUNT = 2           # a feature seen fewer times in training is dropped
SCALE = 1000            # weights are stored as integers over this


def examples(view: PlanView) -> list[tuple[list[str], str]]:
    """(features, gold role) of every gold mention of one plan in its training text."""
    from ..extract import orgs
    from ..extract.role_features import mention_features
    from ..extract.roles import assign_roles
    from ..model import OrgMention

    norm = view.norm
    gold = sorted((g for g in view.gold if view.trains(g["span"][0])), key=lambda g: g["span"])
    if not gold:
        return []
    sc = orgs.scan(norm, 0, len(norm))
    mentions = [OrgMention(text=norm[s:e], span=(s, e), kind=orgs.span_kind(norm, (s, e), sc))
                for s, e in (g["span"] for g in gold)]
    assign_roles(norm, mentions, orgs._first_word)
    feats = mention_features(norm, 0, len(norm), mentions, [m.role for m in mentions], orgs._first_word)
    return [(f, g["role"]) for f, g in zip(feats, gold)]


def _all_examples(views: Sequence[PlanView]) -> list[list[tuple[list[str], str]]]:
    with tempfile.TemporaryDirectory() as empty, model_folder(Path(empty)):
        return [examples(v) for v in views]


def fit(data: Sequence[tuple[list[str], str]], c: float = C) -> dict:
    """The model (the JSON structure of ``roles.json``) fitted on (features, role) pairs."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    counts = Counter(f for feats, _ in data for f in set(feats))
    names = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(names)}
    x = np.zeros((len(data), len(names)), dtype=np.float64)
    for row, (feats, _) in enumerate(data):
        for f in feats:
            if f in index:
                x[row, index[f]] = 1.0
    y = np.array([LABELS.index(lab) for _, lab in data])
    lr = LogisticRegression(C=c, max_iter=5000)
    lr.fit(x, y)
    coef = np.zeros((len(LABELS), len(names)))
    bias = np.zeros(len(LABELS))
    for k, cls in enumerate(lr.classes_):
        coef[cls] = lr.coef_[k] if len(lr.classes_) > 2 else (lr.coef_[0] if k else -lr.coef_[0])
        bias[cls] = lr.intercept_[k] if len(lr.classes_) > 2 else (lr.intercept_[0] if k else -lr.intercept_[0])
    weights = {}
    for i, f in enumerate(names):
        w = [int(round(v * SCALE)) for v in coef[:, i]]
        if any(w):
            weights[f] = w
    return {"format": 1, "labels": list(LABELS), "scale": SCALE, "bias": [int(round(v * SCALE)) for v in bias],
            "weights": weights, "info": {"examples": len(data), "C": c, "min_count": MIN_COUNT}}


def write(model: dict, path: Path) -> None:
    path.write_text(json.dumps(model, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n",
                    encoding="utf-8")


def train(docs: list[GoldDoc], out: Path) -> dict:
    """Train on ``docs`` and write ``roles.json`` into ``out``."""
    data = [e for ex in _all_examples(plan_views(docs)) for e in ex]
    model = fit(data)
    write(model, out / MODEL)
    return {"examples": len(data), "features": len(model["weights"]), "bytes": (out / MODEL).stat().st_size}


def cross_validate(docs: list[GoldDoc], k: int = 5, c: float = C) -> str:
    """K-fold by document: role accuracy on gold spans, and the end-to-end figures of the rules, the
    tagger with rule roles, and the tagger with the role model (each fold's models trained without it)."""
    from ..extract.orgs import find_orgs
    from ..extract.role_model import from_dict
    from . import orgs as tagger

    views = plan_views(docs)
    ex = _all_examples(views)
    seqs = tagger.per_view(views)
    fold = [fold_of(v.doc, k) for v in views]
    ok_model = ok_rule = n = 0
    rows = {"rules": Tally(), "tagger": Tally(), "tagger+roles": Tally()}
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "rules"
        empty.mkdir()
        for i in range(k):
            train_ex = [e for j, x in enumerate(ex) if fold[j] != i for e in x]
            model = fit(train_ex, c)
            rm = from_dict(model)
            for j, x in enumerate(ex):
                if fold[j] == i:
                    for feats, role in x:
                        n += 1
                        ok_model += rm.predict(feats) == role
                        ok_rule += next(f[1:] for f in feats if f.startswith("r") and f[1:] in LABELS) == role
            folder = Path(tmp) / f"fold{i}"
            folder.mkdir()
            tagger.fit([s for j, v in enumerate(views) if fold[j] != i for s in seqs[j]], folder / tagger.MODEL)
            held = [v for j, v in enumerate(views) if fold[j] == i]
            with model_folder(empty):
                rows["rules"].merge(score_views(held, find_orgs))
            with model_folder(folder):
                rows["tagger"].merge(score_views(held, find_orgs))
            write(model, folder / MODEL)
            with model_folder(folder):
                rows["tagger+roles"].merge(score_views(held, find_orgs))
    lines = [f"roles {k}-fold by document ({len({v.doc for v in views})} documents, {n} gold mentions)",
             f"role accuracy on gold spans: model {ok_model / n:.3f} · rules {ok_rule / n:.3f}"]
    lines += [format_figures(name, t.figures()) for name, t in rows.items()]
    return "\n".join(lines)

