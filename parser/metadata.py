"""Plan metadata: year, region with admin level, and the body that made the plan."""
from __future__ import annotations

from .model import Document, Plan


def describe_plan(doc: Document, plan: Plan) -> None:
    """Placeholder until the metadata extractor lands."""
