"""The heading tree of one plan: markers, levels, titles, bodies and field lines."""
from __future__ import annotations

from .model import Document, Plan, Section


def build_sections(doc: Document, plan: Plan) -> list[Section]:
    """Placeholder until the heading parser lands."""
    return []
