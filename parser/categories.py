"""One topic label per section from a replaceable taxonomy (GUIDE.md categories)."""
from __future__ import annotations

from .model import Document, Plan


def categorize(doc: Document, plan: Plan) -> None:
    """Placeholder until the taxonomy classifier lands."""
