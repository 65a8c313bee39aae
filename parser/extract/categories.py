"""One topic label per section (GUIDE.md's 12 categories): the trained model, or a taxonomy's lexicon.

By default a section is labelled by the trained linear model (category_model, weights in
data/models/categories.json, trained by ``python -m parser.learn train``; the lexicon when it is absent): it reads the section's title, its own body, its parent's and children's
titles, the plan's title and body kind, and the lexicon's scores (category_lexicon) as features.
A taxonomy given by the user (``Options.taxonomy`` / ``--taxonomy``) has labels the model does not
know, so it is scored by its lexicon alone, as before. ``category_score`` is the model's probability
of the label (the lexicon's score on the lexicon path); ``category_terms`` lists the taxonomy's words
for the label found in the section, then the section's n-grams that weighed most for it.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional, Union

from ..model import Document, Plan
from .category_features import plan_features, section_features
from .category_lexicon import (Evidence, Taxonomy, categorize_lexicon, lexicon_evidence,  # noqa: F401
                               load_taxonomy, score_text)
from .category_model import CategoryModel, Prediction, load_model, predict_many

TERMS_FROM_MODEL = 5        # n-grams of the section's own text added to category_terms
_OWN_TEXT = ("t:", "b:")    # feature prefixes of the section's own title and body


def _own_grams(model: CategoryModel) -> list[Optional[str]]:
    """For each feature row of ``model``: the n-gram when it is one of the section's own text (title or
    body, two characters or more), else None; worked out once per model."""
    grams = _GRAMS.get(id(model))
    if grams is None or grams[0] is not model:
        grams = _GRAMS[id(model)] = (model, [n[2:] if n.startswith(_OWN_TEXT) and len(n) > 3 else None
                                             for n in model.names])
    return grams[1]


_GRAMS: dict[int, tuple[CategoryModel, list[Optional[str]]]] = {}


def _terms(model: CategoryModel, ev: Evidence, pred: Prediction, label: int) -> list[str]:
    """The lexicon's words for the label in the section, then the own-text n-grams that favoured it most
    (each n-gram's pull towards the label over its mean pull across labels)."""
    words = [w for w, _ in sorted(ev.terms.get(model.labels[label], {}).items(), key=lambda kv: -kv[1])]
    own = _own_grams(model)
    at = [(j, own[row]) for j, row in enumerate(pred.index.tolist()) if own[row] is not None]
    if not at:
        return words
    rows = pred.rows[[j for j, _ in at]]
    margins = (rows[:, label] - rows.mean(axis=1)).tolist()
    grams = [(m, gram) for m, (_, gram) in zip(margins, at) if m > 0]
    ranked: list[str] = []
    for _, gram in sorted(grams, key=lambda mg: -mg[0]):       # stable: ties keep the features' order
        if len(ranked) >= TERMS_FROM_MODEL:
            break
        if not any(gram in w for w in words + ranked):
            ranked.append(gram)
    return words + ranked


def categorize_model(doc: Document, plan: Plan, model: CategoryModel, tax: Taxonomy) -> None:
    """Label every section of ``plan`` with the trained model (its labels must be the taxonomy's)."""
    evidence = lexicon_evidence(doc, plan, tax)
    feats = section_features(doc, plan, evidence, tax, model.spec, with_plan=False)
    preds = predict_many(model, feats, plan_features(doc, plan, model.spec))
    for sec, ev, pred in zip(plan.sections, evidence, preds):
        k = pred.best()
        sec.category = model.labels[k]
        sec.category_score = round(float(pred.probs[k]), 4)
        sec.category_terms = _terms(model, ev, pred, k)


def categorize(doc: Document, plan: Plan, taxonomy: Union[str, Path, Taxonomy, None] = None,
               model: Optional[str] = None) -> None:
    """Set ``category``, ``category_score`` and ``category_terms`` of every section of ``plan``.

    No ``taxonomy``: the trained model (``model`` names another weights file). A taxonomy (a
    path or a loaded one, even the default file): its lexicon alone."""
    if not plan.sections:
        return
    if taxonomy is None:
        tax = load_taxonomy()
        m = load_model(model)
        if m is not None:
            if set(m.labels) != set(tax.labels):
                raise ValueError(f"category model {model or 'data/models/categories.json'} has labels {m.labels}, "
                                 f"the taxonomy has {tax.labels}: retrain it (python -m parser.learn train)")
            categorize_model(doc, plan, m, tax)
            return
        categorize_lexicon(plan, tax, lexicon_evidence(doc, plan, tax))    # no trained model: the lexicon
        return
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(str(taxonomy))
    categorize_lexicon(plan, tax, lexicon_evidence(doc, plan, tax))
