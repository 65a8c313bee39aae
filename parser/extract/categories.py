"""One topic label per section (GUIDE.md's 12 categories): the trained model, or a taxonomy's lexicon.

By default a section is labelled by the trained linear model (category_model, weights in
data/category_model.json): it reads the section's title, its own body, its parent's and children's
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
from .category_features import section_features
from .category_lexicon import (Evidence, Taxonomy, categorize_lexicon, lexicon_evidence,  # noqa: F401
                               load_taxonomy, score_text)
from .category_model import CategoryModel, Prediction, load_model, predict_many

TERMS_FROM_MODEL = 5        # n-grams of the section's own text added to category_terms
_OWN_TEXT = ("t:", "b:")    # feature prefixes of the section's own title and body


def _terms(model: CategoryModel, ev: Evidence, pred: Prediction, margins: list[float], label: str) -> list[str]:
    """The lexicon's words for ``label`` in the section, then the own-text n-grams that favoured it most
    (``margins``: each known feature's pull towards the label over its mean pull)."""
    words = [w for w, _ in sorted(ev.terms.get(label, {}).items(), key=lambda kv: -kv[1])]
    grams = [(m, model.names[row][2:]) for m, row in zip(margins, pred.index.tolist())
             if m > 0 and model.names[row].startswith(_OWN_TEXT) and len(model.names[row]) > 3]
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
    preds = predict_many(model, section_features(doc, plan, evidence, tax, model.spec))
    for sec, ev, pred in zip(plan.sections, evidence, preds):
        k = pred.best()
        sec.category = model.labels[k]
        sec.category_score = round(float(pred.probs[k]), 4)
        margins = (pred.rows[:, k] - pred.rows.mean(axis=1)).tolist() if len(pred.index) else []
        sec.category_terms = _terms(model, ev, pred, margins, sec.category)


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
        if set(m.labels) != set(tax.labels):
            raise ValueError(f"category model {model or 'data/category_model.json'} has labels {m.labels}, "
                             f"the taxonomy has {tax.labels}: retrain it (benchmarks/train_categories.py)")
        categorize_model(doc, plan, m, tax)
        return
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(str(taxonomy))
    categorize_lexicon(plan, tax, lexicon_evidence(doc, plan, tax))
