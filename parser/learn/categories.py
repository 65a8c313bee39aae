"""The section-category model: a multinomial logistic model over ``category_features``, trained on the
parser's own sections matched to gold headings by line (so bodies, parents and children are the
parser's, as at run time), written to ``categories.json``.

scikit-learn fits it (dev group); the parser applies the integer weights with NumPy
(``parser.extract.category_model``). Cross-validated by document, beside the taxonomy's lexicon.
"""
from __future__ import annotations

import json
from bisect import bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from ..atomic import write_atomic
from ..extract.category_features import DEFAULT_SPEC, section_features
from ..extract.category_lexicon import lexicon_evidence, load_taxonomy
from ..extract.category_model import FORMAT, from_dict, predict
from ..extract.metadata_model import describe_plan
from ..ingest.read import make_document
from ..pipeline import Options, Parser
from .gold import GoldDoc
from .split import fold_of

NAME = "categories"
FILES = ("categories.json",)
SCALE = 1000            # weights are stored as integers / SCALE
PARAMS = {"C": 3.0, "min_df": 5}     # a feature must occur in 5 documents: 0.38 MB, same accuracy (0.697)


@dataclass
class Sample:
    """One parser section on a gold heading's line: its document, features, gold label and the lexicon's."""

    doc: str
    feats: dict[str, float]
    gold: str
    lexicon: str
    title: str = ""


def samples_of(gold: GoldDoc, spec: dict, parser: Parser) -> list[Sample]:
    """Features of the parser's sections of ``gold``'s text that sit on a gold heading's line."""
    tax = load_taxonomy()
    doc = parser.structure(make_document(gold.text, gold.name, doc_id=gold.name))
    by_line = {h["line"]: h["category"] for h in gold.headings if h.get("category")}
    out = []
    for plan in doc.plans:
        describe_plan(doc, plan)
        ev = lexicon_evidence(doc, plan, tax)
        for sec, e, f in zip(plan.sections, ev, section_features(doc, plan, ev, tax, spec)):
            line = bisect_right(gold.starts, sec.heading_span[0]) - 1
            if line in by_line:
                out.append(Sample(gold.name, f, by_line[line], e.label or tax.settings["default"], sec.title))
    return out


def collect(docs: list[GoldDoc], spec: dict) -> list[Sample]:
    """Samples of every document, on the structure the current models give."""
    parser = Parser(Options(extract=False))
    return [s for d in docs for s in samples_of(d, spec, parser)]


def fit(samples: list[Sample], labels: list[str], spec: dict, C: float, min_df: int) -> dict:
    """Fit the model on ``samples``; the JSON structure the parser reads (deterministic)."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    df: Counter = Counter()
    per_doc: dict[str, set] = defaultdict(set)
    for s in samples:
        per_doc[s.doc].update(s.feats)
    for feats in per_doc.values():
        df.update(feats)
    keep = {f for f, n in df.items() if n >= min_df}
    vec = DictVectorizer(sort=True)
    X = vec.fit_transform([{k: v for k, v in s.feats.items() if k in keep} for s in samples])
    y = np.array([labels.index(s.gold) for s in samples])
    clf = LogisticRegression(C=C, solver="newton-cg", max_iter=1000, tol=1e-6)
    with threadpool_limits(1):          # BLAS threads only spin against each other on a small problem
        clf.fit(X, y)
    W = np.zeros((X.shape[1], len(labels)))
    b = np.zeros(len(labels))
    if len(clf.classes_) == 2:          # a binary fit has one row: the second class against the first
        W[:, clf.classes_[1]] = clf.coef_[0]
        b[clf.classes_[1]] = clf.intercept_[0]
    else:
        W[:, clf.classes_] = clf.coef_.T
        b[clf.classes_] = clf.intercept_
    b[[i for i in range(len(labels)) if i not in set(clf.classes_)]] = -10.0   # a label no sample had
    Wq = np.rint(W * SCALE).astype(int)
    names = vec.get_feature_names_out().tolist()
    kept = [i for i in range(len(names)) if np.any(Wq[i])]
    return {"format": FORMAT, "labels": labels, "spec": spec, "scale": SCALE,
            "bias": np.rint(b * SCALE).astype(int).tolist(),
            "features": [names[i] for i in kept], "weights": Wq[kept].ravel().tolist(),
            "info": {"samples": len(samples), "documents": len(per_doc), "C": C, "min_df": min_df}}


def _accuracy(pairs: list[tuple[str, str]]) -> float:
    return sum(p == g for p, g in pairs) / len(pairs) if pairs else 0.0


def cross_validate(docs: list[GoldDoc], k: int, spec: dict | None = None, params: dict | None = None) -> str:
    """K-fold by document: accuracy of the model and of the lexicon over matched headings."""
    spec, params = dict(spec or DEFAULT_SPEC), params or PARAMS
    labels = list(load_taxonomy().labels)
    samples = collect(docs, spec)
    model_pairs, lexicon_pairs = [], []
    for fold in range(k):
        train = [s for s in samples if fold_of(s.doc, k) != fold]
        test = [s for s in samples if fold_of(s.doc, k) == fold]
        m = from_dict(fit(train, labels, spec, params["C"], params["min_df"]))
        model_pairs += [(m.labels[predict(m, s.feats).best()], s.gold) for s in test]
        lexicon_pairs += [(s.lexicon, s.gold) for s in test]
    return (f"categories: {k}-fold by document over {len(samples)} matched headings: "
            f"model {_accuracy(model_pairs):.3f}, lexicon {_accuracy(lexicon_pairs):.3f}")


def train(docs: list[GoldDoc], out: Path) -> dict:
    """Fit on every training document and write ``categories.json``."""
    labels = list(load_taxonomy().labels)
    samples = collect(docs, dict(DEFAULT_SPEC))
    model = fit(samples, labels, dict(DEFAULT_SPEC), PARAMS["C"], PARAMS["min_df"])
    path = out / FILES[0]
    write_atomic(path, (json.dumps(model, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
    return {"samples": len(samples), "features": len(model["features"]), "bytes": path.stat().st_size}
