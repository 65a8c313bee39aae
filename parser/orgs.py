"""Organisation mentions with roles (GUIDE.md "organizations")."""
from __future__ import annotations

from typing import Optional

from .model import OrgMention


def find_orgs(norm: str, start: int = 0, end: Optional[int] = None) -> list[OrgMention]:
    """Placeholder until the organisation finder lands."""
    return []
