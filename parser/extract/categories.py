"""One topic label per section (GUIDE.md's 12 categories) from a taxonomy's lexicon (category_lexicon)."""
from __future__ import annotations

from pathlib import Path
from typing import Union

from ..model import Document, Plan
from .category_lexicon import (Evidence, Taxonomy, categorize_lexicon, lexicon_evidence,  # noqa: F401
                               load_taxonomy, score_text)


def categorize(doc: Document, plan: Plan, taxonomy: Union[str, Path, Taxonomy, None] = None) -> None:
    """Set ``category``, ``category_score`` and ``category_terms`` of every section of ``plan``."""
    if not plan.sections:
        return
    tax = taxonomy if isinstance(taxonomy, Taxonomy) else load_taxonomy(str(taxonomy) if taxonomy else None)
    categorize_lexicon(plan, tax, lexicon_evidence(doc, plan, tax))
