"""Fitting the linear models of ``parser.extract.linear`` with scikit-learn (dev group), deterministically.

``fit`` takes rows of feature → value and their labels and returns the JSON structure the parser reads:
features seen in fewer than ``min_df`` groups (documents) are dropped, weights are rounded to integers
over ``SCALE``, and a feature whose weights all round to zero is left out.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Optional

from ..extract.linear import FORMAT

SCALE = 1000


def fit(rows: Sequence[Mapping[str, float]], y: Sequence[str], labels: Sequence[str], C: float = 1.0,
        min_df: int = 1, groups: Optional[Sequence[str]] = None, binary: bool = False,
        weights: Optional[Sequence[float]] = None, intercept: bool = True) -> dict:
    """A logistic model of ``y`` over ``rows``. ``binary``: one label (the probability that ``y`` is
    ``labels[0]``), for rankers that score candidates one at a time."""
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_limits

    df: Counter = Counter()
    seen: dict[str, set] = {}
    for i, r in enumerate(rows):
        g = groups[i] if groups is not None else str(i)
        for f in r:
            if f not in seen:
                seen[f] = set()
            if g not in seen[f]:
                seen[f].add(g)
                df[f] += 1
    keep = {f for f, n in df.items() if n >= min_df}
    vec = DictVectorizer(sort=True)
    X = vec.fit_transform([{k: v for k, v in r.items() if k in keep} for r in rows])
    names = vec.get_feature_names_out().tolist()
    if binary:
        target = np.array([1 if v == labels[0] else 0 for v in y])
    else:
        target = np.array([labels.index(v) for v in y])
    clf = LogisticRegression(C=C, solver="lbfgs", max_iter=5000, tol=1e-6, fit_intercept=intercept)
    with threadpool_limits(1):
        clf.fit(X, target, sample_weight=None if weights is None else np.asarray(weights, dtype=float))
    k = 1 if binary else len(labels)
    W = np.zeros((X.shape[1], k))
    b = np.zeros(k)
    if binary or len(clf.classes_) == 2:
        col = 0 if binary else int(clf.classes_[1])
        W[:, col] = clf.coef_[0]
        b[col] = clf.intercept_[0] if intercept else 0.0
    else:
        W[:, clf.classes_] = clf.coef_.T
        b[clf.classes_] = clf.intercept_
        b[[i for i in range(k) if i not in set(clf.classes_)]] = -10.0     # a label no row had
    Wq = np.rint(W * SCALE).astype(int)
    weights_out = {names[i]: Wq[i].tolist() for i in range(len(names)) if np.any(Wq[i])}
    return {"format": FORMAT, "labels": list(labels[:1] if binary else labels), "scale": SCALE,
            "bias": np.rint(b * SCALE).astype(int).tolist(), "weights": dict(sorted(weights_out.items())),
            "info": {"rows": len(rows), "C": C, "min_df": min_df}}

