"""Roles of organisation mentions from the constructions around them (GUIDE.md "organizations").

Mentions joined by 、/和/及/与 form a list that shares one role. The first construction that
fires decides: a field line (牵头单位：X, 参加人员：X), a word before the list (由X, 邀请X),
"与X……协商", then the words after the list (X将组织……, X牵头, X组织的……). Everything else is
``other``. The constructions are data: parser/data/orgs/roles.toml.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Optional, Sequence

from .model import OrgMention

ORGANIZER, PARTICIPANT, OTHER = "organizer", "participant", "other"
_SEPARATORS = ("、", "和", "及", "以及", "与")
_DATE_SKIP = re.compile(r"^(?:于|在)?[0-9一二三四五六七八九十xX\-]{1,4}月(?:份|上旬|中旬|下旬|底|初|中)?[,]?")
_CLAUSE_END = ",。;:!?\n"


@dataclass
class RoleRules:
    """Construction word lists from roles.toml, longest first."""

    field_org: list[str]
    field_par: list[str]
    before_org: list[str]
    before_par: list[str]
    with_words: list[str]
    with_if: list[str]
    skip: list[str]
    after_org: list[str]
    after_org_not: list[str]
    after_par: list[str]
    organizer_of: list[str]
    organizer_lead: list[str]
    by_words: list[str]
    by_if: list[str]
    boundary: set[str]
    time_tails: list[str]


def _longest(words: Sequence[str]) -> list[str]:
    return sorted(set(words), key=len, reverse=True)


@lru_cache(maxsize=1)
def rules() -> RoleRules:
    """The role constructions, loaded once."""
    raw = tomllib.loads(resources.files("parser").joinpath("data/orgs/roles.toml").read_text("utf-8"))
    f, b, w, a, s = raw["field"], raw["before"], raw["with"], raw["after"], raw["subject"]
    return RoleRules(
        field_org=_longest(f["organizer"]), field_par=_longest(f["participant"]),
        before_org=_longest(b["organizer"]), before_par=_longest(b["participant"]),
        with_words=_longest(w["words"]), with_if=_longest(w["participant_if"]),
        skip=_longest(a["skip"]), after_org=_longest(a["organizer"]), after_org_not=_longest(a["organizer_not"]),
        after_par=_longest(a["participant"]), organizer_of=_longest(a["organizer_of"]),
        organizer_lead=_longest(a["organizer_lead"]), by_words=_longest(raw["by"]["words"]),
        by_if=_longest(raw["by"]["organizer_if"]), boundary=set(s["boundary"]), time_tails=_longest(s["time_tails"]),
    )


def _lists(norm: str, mentions: Sequence[OrgMention]) -> list[list[OrgMention]]:
    """Group mentions written as one list ("X、Y和Z")."""
    groups: list[list[OrgMention]] = []
    for m in mentions:
        if groups:
            gap = norm[groups[-1][-1].span[1]:m.span[0]]
            if gap.strip(" ") in _SEPARATORS:
                groups[-1].append(m)
                continue
        groups.append([m])
    return groups


def _line_bounds(norm: str, pos: int) -> tuple[int, int]:
    s = norm.rfind("\n", 0, pos) + 1
    e = norm.find("\n", pos)
    return s, (len(norm) if e < 0 else e)


def _field_role(norm: str, start: int, r: RoleRules) -> Optional[str]:
    """The role of a field line's value ("牵头单位:X") that contains ``start``."""
    ls, _ = _line_bounds(norm, start)
    head = norm[ls:start]
    colon = head.find(":")
    if colon < 0 or colon > 14:
        return None
    name = re.sub(r"^[\s(]*[0-9一二三四五六七八九十]*[、.)]?\s*", "", head[:colon]).strip()
    if name in r.field_par:
        return PARTICIPANT
    if name in r.field_org:
        return ORGANIZER
    return None


def _clause_after(norm: str, end: int) -> str:
    out = []
    for ch in norm[end:end + 40]:
        if ch in _CLAUSE_END:
            break
        out.append(ch)
    return "".join(out)


def _is_subject(norm: str, start: int, r: RoleRules) -> bool:
    ls, _ = _line_bounds(norm, start)
    before = norm[ls:start]
    if not before.strip():
        return True
    if before[-1] in r.boundary:
        return True
    return any(before.endswith(t) for t in r.time_tails)


def _strip_skips(after: str, r: RoleRules) -> str:
    changed = True
    while changed and after:
        changed = False
        m = _DATE_SKIP.match(after)
        if m and m.end():
            after, changed = after[m.end():], True
        for w in r.skip:
            if after.startswith(w) and not any(after.startswith(v) for v in r.after_org_not):
                after, changed = after[len(w):], True
                break
    return after


def _role(norm: str, group: list[OrgMention], r: RoleRules) -> str:
    first, last = group[0].span[0], group[-1].span[1]
    field = _field_role(norm, first, r)
    if field:
        return field
    ls, _ = _line_bounds(norm, first)
    before = norm[max(ls, first - 4):first]
    if any(before.endswith(w) for w in r.before_org):
        return ORGANIZER
    if any(before.endswith(w) for w in r.before_par):
        return PARTICIPANT
    clause = _clause_after(norm, last)
    if any(before.endswith(w) for w in r.with_words):
        return PARTICIPANT if any(w in clause for w in r.with_if) else OTHER
    if any(clause.startswith(w) for w in r.organizer_of):
        return ORGANIZER
    if any(before.endswith(w) for w in r.by_words):
        return ORGANIZER if any(_strip_skips(clause, r).startswith(w) for w in r.by_if) else OTHER
    after = _strip_skips(clause, r)
    if any(after.startswith(w) for w in r.after_par):
        return PARTICIPANT
    if not _is_subject(norm, first, r):
        return OTHER
    if any(clause.startswith(w) for w in r.after_org_not) or any(after.startswith(w) for w in r.after_org_not):
        return OTHER
    if any(after.startswith(w) for w in r.after_org) or any(clause.startswith(w) for w in r.organizer_lead):
        return ORGANIZER
    return OTHER


def assign_roles(norm: str, mentions: Sequence[OrgMention]) -> None:
    """Set ``role`` on every mention (in document order) from its construction."""
    r = rules()
    for group in _lists(norm, mentions):
        role = _role(norm, group, r)
        for m in group:
            m.role = role
