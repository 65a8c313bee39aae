"""Roles of organisation mentions from the constructions around them (GUIDE.md "organizations").

Mentions joined by 、/和/及/与 form a list that shares one role. The first construction that
fires decides: a field line (牵头单位：X, 参加人员：X), a word before the list (由X, 邀请X),
"与X……协商", "X组织的……", "经X评议", then the words after a list in subject position
(X将组织……, X牵头, X负责……). Everything else is ``other``. The constructions are data:
parser/data/orgs/roles.toml.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Callable, Optional, Sequence

from ..model import OrgMention

ORGANIZER, PARTICIPANT, OTHER = "organizer", "participant", "other"
_SEPARATORS = ("、", "和", "及", "以及", "与")
_DATE_SKIP = (r"(?:于|在)?\s*(?:19|20)[0-9xX×*\-]{2}\s*年度?,?\s*"
              r"|(?:于|在)?[0-9一二三四五六七八九十xX\-]{1,4}月(?:份|上旬|中旬|下旬|底|初|中)?,?"
              r"|第?[0-9一二三四五六七八九十百xX\-]{1,4}(?:届|次)")
_CLAUSE_AFTER = re.compile(r"[^,。;:!?\n]{0,40}[?]?")
_HAN_AT = re.compile(r"[\u4e00-\u9fff]")
_FIELD_NAME = re.compile(r"^[\s(]*[0-9一二三四五六七八九十]*[、.)]?\s*")


def _alt(words: Sequence[str], template: str = "{}") -> re.Pattern:
    """One regex for a word list, longest first, put into ``template`` ("^(?:{})", "(?:{})$")."""
    body = "|".join(map(re.escape, sorted(set(words), key=len, reverse=True)))
    return re.compile(template.format("(?:" + body + ")"))


@dataclass
class RoleRules:
    """Construction patterns compiled from roles.toml."""

    field_org: set[str]
    field_par: set[str]
    head_org: tuple[str, ...]  # a field name made of one of these + a unit word ("联办单位")
    head_par: tuple[str, ...]
    unit_words: re.Pattern
    field_label: re.Pattern    # "NAME:" or "NAME" + a tab gap, anywhere in a line
    adverbial: re.Pattern      # "在……" / "于……" before the verb
    lead: re.Pattern           # 将/要/拟 … before such a phrase
    guided: re.Pattern         # "在X的领导下," before the clause that acts
    acting_tags: frozenset[str]  # part-of-speech tags of a first word that makes a subject act
    not_acting: frozenset[str]
    before_org: re.Pattern     # at the end of the text before a list
    before_par: re.Pattern
    with_words: re.Pattern
    with_if: re.Pattern        # anywhere in the rest of the clause
    by_words: re.Pattern
    by_if: re.Pattern          # at the start (after skips)
    skip: re.Pattern           # adverbs, time words, "5月" … repeated at the start
    after_org: re.Pattern
    after_org_not: re.Pattern
    after_par: re.Pattern
    organizer_of: re.Pattern
    organizer_lead: re.Pattern
    boundary: frozenset[str]
    time_tails: re.Pattern


@lru_cache(maxsize=1)
def rules() -> RoleRules:
    """The role constructions, loaded once."""
    raw = tomllib.loads(resources.files("parser").joinpath("data/orgs/roles.toml").read_text("utf-8"))
    f, b, w, a, s, by = raw["field"], raw["before"], raw["with"], raw["after"], raw["subject"], raw["by"]
    skip_words = "|".join(map(re.escape, sorted(a["skip"], key=len, reverse=True)))
    not_words = "|".join(map(re.escape, sorted(a["organizer_not"], key=len, reverse=True)))
    return RoleRules(
        field_org=set(f["organizer"]), field_par=set(f["participant"]),
        head_org=tuple(f["organizer_heads"]), head_par=tuple(f["participant_heads"]),
        unit_words=_alt(f["unit_words"], "{}$"),
        field_label=re.compile(r"(?:^|[\s;(,。])(?P<name>[\u4e00-\u9fff]{2,8})\s*(?::|\s{2,})"),
        adverbial=re.compile(a["adverbial"]), guided=re.compile(s["guided"]),
        acting_tags=frozenset(s["acting_tags"]), not_acting=frozenset(s["not_acting"]),
        lead=re.compile("^(?:" + "|".join(map(re.escape, a["organizer_lead"])) + ")?"),
        before_org=_alt(b["organizer"], "{}$"), before_par=_alt(b["participant"], "{}$"),
        with_words=_alt(w["words"], "{}$"), with_if=_alt(w["participant_if"]),
        by_words=_alt(by["words"], "{}$"), by_if=_alt(by["organizer_if"], "^{}"),
        skip=re.compile(f"^(?:{_DATE_SKIP}|(?!{not_words})(?:{skip_words}))*"),
        after_org=_alt(a["organizer"], "^{}"), after_org_not=_alt(a["organizer_not"], "^{}"),
        after_par=_alt(a["participant"], "^{}"), organizer_of=_alt(a["organizer_of"], "^{}"),
        organizer_lead=_alt(a["organizer_lead"], "^{}"), boundary=frozenset(s["boundary"]),
        time_tails=_alt(s["time_tails"], "{}$"),
    )


def _lists(norm: str, mentions: Sequence[OrgMention]) -> list[list[OrgMention]]:
    """Group mentions written as one list ("X、Y和Z")."""
    groups: list[list[OrgMention]] = []
    for m in mentions:
        if groups and norm[groups[-1][-1].span[1]:m.span[0]].strip(" ") in _SEPARATORS:
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _line_start(norm: str, pos: int) -> int:
    return norm.rfind("\n", 0, pos) + 1


def field_name_role(name: str, r: RoleRules) -> Optional[str]:
    """The role a field's name gives its value: listed names, or a head word and a unit word
    ("联办单位", "牵头处室", "配合科室")."""
    name = _FIELD_NAME.sub("", name).strip()
    if name in r.field_par:
        return PARTICIPANT
    if name in r.field_org:
        return ORGANIZER
    m = r.unit_words.search(name)
    head = name[:m.start()] if m else name
    if head and m:
        if head.endswith(r.head_par):
            return PARTICIPANT
        if head.endswith(r.head_org):
            return ORGANIZER
    return None


def _field_role(norm: str, ls: int, start: int, r: RoleRules) -> Optional[str]:
    """The role of a field line's value ("牵头单位:X", "(牵头单位:X;配合单位:Y)", "责任单位  X")
    that contains ``start``: the nearest field name before it decides."""
    head = norm[ls:start]
    stop = max(head.rfind("。"), head.rfind(";"))
    labels = [m for m in r.field_label.finditer(head) if m.start("name") > stop]
    if not labels:
        return None
    return field_name_role(labels[-1].group("name"), r)


def field_role_at(norm: str, ls: int, pos: int) -> tuple[Optional[str], str]:
    """The role a field label (or a table column's header) gives the text at ``pos`` of the line starting
    at ``ls``, and that label ('' without one): the tagger's and the role model's field features."""
    r = rules()
    head = norm[ls:pos]
    if ":" in head or "  " in head:
        stop = max(head.rfind("。"), head.rfind(";"))
        labels = [m for m in r.field_label.finditer(head) if m.start("name") > stop]
        if labels:
            name = _FIELD_NAME.sub("", labels[-1].group("name")).strip()
            return field_name_role(name, r), name
    le = norm.find("\n", pos)
    if norm.count(" ", ls, le if le >= 0 else len(norm)) < 2:
        return None, ""         # fewer than three cells: no table row
    return _column_role(norm, ls, pos, r), ""


def _column_role(norm: str, ls: int, start: int, r: RoleRules) -> Optional[str]:
    """In a table written as lines of cells, the role of the column a mention stands in, from a
    header line above that names the columns ("序号 任务 牵头单位 配合单位 时限")."""
    end = norm.find("\n", start)
    row = norm[ls:end if end >= 0 else len(norm)]
    cells = _cells(row)
    if len(cells) < 3:
        return None
    col = next((i for i, (a, b) in enumerate(cells) if a <= start - ls < b), None)
    if col is None:
        return None
    pos = ls - 1
    for _ in range(TABLE_LOOKBACK):
        if pos <= 0:
            break
        prev = norm.rfind("\n", 0, pos) + 1
        header = norm[prev:pos]
        hcells = _cells(header)
        if len(hcells) == len(cells):
            roles = [field_name_role(header[a:b], r) for a, b in hcells]
            if any(roles):
                return roles[col]
        pos = prev - 1
    return None


TABLE_LOOKBACK = 40        # lines to look back for a table's header row
_CELL_GAP = re.compile(r"\s+")


def _cells(line: str) -> list[tuple[int, int]]:
    """(start, end) of the cells of a table row (cells are white-space separated in the
    normalised text: tabs and runs of spaces both became spaces)."""
    out, pos = [], 0
    for m in _CELL_GAP.finditer(line):
        if m.start() > pos:
            out.append((pos, m.start()))
        pos = m.end()
    if pos < len(line):
        out.append((pos, len(line)))
    return out


_LIST_NUMBER = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})[、.)]?\s*$")


def _is_subject(before: str, r: RoleRules) -> bool:
    """A list at the start of a clause, after a time word ("今年,X", "2010年X") or after a bare list
    number at the start of its line ("1市粤剧团……")."""
    return (not before.strip() or before[-1] in r.boundary or bool(r.time_tails.search(before))
            or bool(_LIST_NUMBER.match(before)))


def _role(norm: str, group: list[OrgMention], r: RoleRules,
          first_word: Optional[Callable[[str], tuple[str, str]]] = None) -> str:
    first, last = group[0].span[0], group[-1].span[1]
    ls = _line_start(norm, first)
    field = _field_role(norm, ls, first, r) or _column_role(norm, ls, first, r)
    if field:
        return field
    before = norm[max(ls, first - 6):first]
    if first - ls <= 4 and _LIST_NUMBER.match(norm[ls:first]):
        before = norm[ls:first]
    if r.before_org.search(before):
        return ORGANIZER
    if r.before_par.search(before):
        return PARTICIPANT
    clause = _CLAUSE_AFTER.match(norm, last).group()
    if r.with_words.search(before):
        return PARTICIPANT if r.with_if.search(clause) else OTHER
    if r.organizer_of.match(clause):
        return ORGANIZER
    after = clause[r.skip.match(clause).end():]
    if r.by_words.search(before):
        return ORGANIZER if r.by_if.match(after) else OTHER
    if r.after_par.match(after):
        return PARTICIPANT
    if not _is_subject(before, r) or r.after_org_not.match(clause) or r.after_org_not.match(after):
        return OTHER
    if r.after_org.match(after) or r.organizer_lead.match(clause):
        return ORGANIZER
    # "X在/于……开展……": an adverbial phrase between the subject and its verb
    for part in (after, clause[r.lead.match(clause).end():]):
        adv = r.adverbial.match(part)
        if adv and r.after_org.match(part[adv.end():]):
            return ORGANIZER
    # "X在Y的领导下,……": the subject acts in the next clause
    if r.guided.match(norm, last):
        return ORGANIZER
    # a subject followed by a verb, an adverb or a preposition acts ("X承担……", "X已完成……",
    # "X以……为……"), as counted on the gold sets; "X关于……" names a document
    if first_word is not None and after and not clause.rstrip().endswith("?"):
        word, tag = first_word(after)
        adopted = word == "通过" and not _HAN_AT.match(after, len(word))      # "……会议通过)"
        if tag in r.acting_tags and word not in r.not_acting and not adopted:
            return ORGANIZER
    return OTHER


def assign_roles(norm: str, mentions: Sequence[OrgMention],
                 first_word: Optional[Callable[[str], tuple[str, str]]] = None) -> None:
    """Set ``role`` on every mention (in document order) from its construction; ``first_word``
    gives the first word of a text and its part-of-speech tag (the organisation finder's jieba)."""
    r = rules()
    for group in _lists(norm, mentions):
        role = _role(norm, group, r, first_word)
        for m in group:
            m.role = role
