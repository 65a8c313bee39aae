"""Time expressions with normalised fields (GUIDE.md "dates")."""
from __future__ import annotations

from typing import Optional

from .model import DateMention


def find_dates(norm: str, start: int = 0, end: Optional[int] = None, plan_year: Optional[int] = None) -> list[DateMention]:
    """Placeholder until the date grammar lands."""
    return []
