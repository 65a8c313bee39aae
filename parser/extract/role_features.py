"""Features of the role classifier, one list of strings per organisation mention.

The rules' own decision (parser.extract.roles) is one feature; the others are what it reads and what it
cannot weigh: the field label of the line, the words before the list the mention stands in (由, 邀请, 与 …)
and after it (its first word and tag, the verbs later in the clause), whether the list is a clause's
subject, the mention's place in its list, and where the mention stands in the plan: its title line, a
notice header (关于印发…的通知), a line of its own (an issuer or a sign-off), a phrase of approval
(审议通过, 批准, 研究同意), people of the body written after it (X分管副市长, X负责同志), words of acting
together before it or after it in its clause (联合, 共同, 会同 …), and a list that opens its line (a
short one: a headline, "X明确年度工作重点"). The trainer (parser.learn.roles) and the model
(parser.extract.role_model) share this module.
"""
from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Callable, Sequence

from ..model import OrgMention
from . import roles as R

_APPROVE = re.compile(r"审议通过|讨论通过|原则通过|会议通过|批准|研究同意|审定|审核通过|同意")
_ISSUE = re.compile(r"印发|下发|发布|制定|出台")
_MEETING = re.compile(r"^(?:[^,。;:\n]{0,6}?)(?:主席会议|主任会议|常委会议|常务会议|党组会议|全体会议|会议)")
_ORG_VERBS = re.compile(r"组织|牵头|负责|主办|承办|召开|举办|开展|实施")
_PAR_VERBS = re.compile(r"参加|出席|列席|参与|配合|协助|协办")
_NOTICE = re.compile(r"关于.{0,60}(?:通知|意见|决定|批复|函)\s*$")
_DATE_LINE = re.compile(r"^[\s\d年月日〇一二三四五六七八九十○零xX×*\-.]*$")
_LIST_NUM = re.compile(r"^\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})[、.)]?\s*$")
_PEOPLE = re.compile(r"[^,。;:\n]{0,6}?(?:负责同志|负责人|领导|组成人员|成员|同志|干部|代表|委员|调研员)")
_JOINT = re.compile(r"联合|共同|联手|携手|牵手|会同")     # bodies acting together (joint organisers, issuers)
_HEADLINE = 40          # a line opened by a list and shorter than this (without 。) is a headline


@lru_cache(maxsize=1)
def _titles() -> re.Pattern:
    """The person titles of data/orgs/lexicon.toml (主席, 副市长, 负责人 …), longest first."""
    raw = tomllib.loads(resources.files("parser").joinpath("data/orgs/lexicon.toml").read_text("utf-8"))
    return re.compile("|".join(map(re.escape, sorted(set(raw["titles"]["words"]), key=len, reverse=True))))


def _people_after(norm: str, pos: int) -> bool:
    """Whether people of the body are written right after it ("X分管副市长", "X主要负责同志", "X组成人员"):
    a list of them takes part or attends, the body itself does not organise."""
    titles = _titles()
    return bool(_PEOPLE.match(norm, pos) or titles.match(norm, pos) or titles.match(norm, pos + 2))


def _bucket(n: int) -> str:
    return str(n) if n < 3 else "3+"


def _groups(norm: str, mentions: Sequence[OrgMention]) -> list[list[int]]:
    """Indexes of the mentions written as one list (as parser.extract.roles groups them)."""
    groups: list[list[int]] = []
    for i, m in enumerate(mentions):
        if groups and norm[mentions[groups[-1][-1]].span[1]:m.span[0]].strip(" ") in R._SEPARATORS:
            groups[-1].append(i)
        else:
            groups.append([i])
    return groups


def mention_features(norm: str, start: int, end: int, mentions: Sequence[OrgMention], rule_roles: Sequence[str],
                     first_word: Callable[[str], tuple[str, str]]) -> list[list[str]]:
    """The feature strings of every mention (in order) of ``norm[start:end]``."""
    r = R.rules()
    first_nl = norm.find("\n", start, end)
    title_end = end if first_nl < 0 else first_nl
    out: list[list[str]] = [[] for _ in mentions]
    for group in _groups(norm, mentions):
        a, b = mentions[group[0]].span[0], mentions[group[-1]].span[1]
        ls = R._line_start(norm, a)
        ls = max(ls, start)
        le = norm.find("\n", b, end)
        le = end if le < 0 else le
        line = norm[ls:le]
        before = norm[max(ls, a - 6):a]
        field, label = R.field_role_at(norm, ls, a)
        clause = R._CLAUSE_AFTER.match(norm, b).group()
        after = clause[r.skip.match(clause).end():]
        word, tag = first_word(after) if after else ("", "")
        head = norm[ls:a]
        stop = max(head.rfind(c) for c in ",。;:")
        own = head[stop + 1:]
        subject = str(R._is_subject(before, r))
        prev_end = norm.rfind("\n", start, ls - 1) if ls > start else -1
        prev = norm[max(prev_end + 1, start):max(ls - 1, start)].strip()
        prev_field = R.field_name_role(prev[:-1], r) if prev.endswith(":") and len(prev) <= 9 else None
        common = [
            "f" + (field or "-"), "fl" + label[-2:], "fh" + label[:2], "pf" + (prev_field or "-"),
            "b1" + before[-1:], "b2" + before[-2:], "a1" + clause[:1], "a2" + clause[:2],
            "aw" + word, "at" + tag, "sa1" + after[:1], "sa2" + after[:2],
            "subj" + subject, "L" + _bucket(len(group)),
            "by" + str(bool(r.by_words.search(before))), "bo" + str(bool(r.before_org.search(before))),
            "bp" + str(bool(r.before_par.search(before))), "with" + str(bool(r.with_words.search(before))),
            "you" + str("由" in own), "invite" + str("邀请" in own or "请" in own[-3:]),
            "approve" + str(bool(_APPROVE.search(clause))), "issue" + str(bool(_ISSUE.search(clause))),
            "meet" + str(bool(_MEETING.match(clause))),
            "overb" + str(bool(_ORG_VERBS.search(clause))), "pverb" + str(bool(_PAR_VERBS.search(clause))),
            "oown" + str(bool(_ORG_VERBS.search(own))), "pown" + str(bool(_PAR_VERBS.search(own))),
            "people" + str(_people_after(norm, b)),
            "jb" + str(bool(_JOINT.search(own))), "ja" + str(bool(_JOINT.search(clause))),
        ]
        if not norm[ls:a].strip(" \t"):        # the list opens its line; a short line is a headline
            common.append("lstart" + ("short" if le - ls < _HEADLINE and "。" not in line else ""))
        if a < title_end:
            common.append("title")
        if _NOTICE.search(line):
            common.append("notice")
        rest = (norm[ls:a] + norm[b:le]).strip()
        if _DATE_LINE.match(rest):
            common.append("alone")
        if _LIST_NUM.match(norm[ls:a]):
            common.append("numbered")
        if a > ls and norm[a - 1] in "((":
            common.append("paren")
        for k, i in enumerate(group):
            m = mentions[i]
            pos = "only" if len(group) == 1 else "first" if k == 0 else "last" if k == len(group) - 1 else "mid"
            rr = rule_roles[i]
            out[i] = [*common, "r" + rr, "p" + pos, "k" + (m.kind or ""), "rf" + rr + (field or "-"),
                      "rs" + rr + subject]
    return out
