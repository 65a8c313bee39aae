"""Split a page's text into plans (篇一/篇二, repeated titles, numbered collections), furniture left out."""
from __future__ import annotations

from .model import Document, Plan


def split_plans(doc: Document) -> list[Plan]:
    """Placeholder until the splitter lands: the whole text as one plan titled by its first line."""
    first = doc.text.split("\n", 1)[0]
    return [Plan(plan_id=f"{doc.doc_id}:p1", title=first.strip(), span=(0, len(doc.text)),
                 title_span=(0, len(first)))]
