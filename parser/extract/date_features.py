"""Candidates of the date model and their features (the same code at training and run time).

The grammar of ``parser.extract.dates`` proposes most candidates. Four more sources propose what it
leaves out: the words of a learned lexicon (time words the gold marks and the grammar does not read:
学期, 暑假 …, kept in the model file), a named day in quotes or after an ordinal (“国际博物馆日”), a year
written without 年 (2020妇联…), and a clock time (下午19:00). The model then keeps or drops each
candidate, reading:
- its source and shape (digits as 0, numerals as 九);
- the characters around it;
- its line: whether it opens or ends the line, a field label before it or a short label line above it,
  whether it is the plan's title line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Sequence

import regex

from ..model import DateMention

Span = tuple[int, int]
Features = dict[str, float]

# a year written alone: four digits from 1900 to 2099, no digit around it and no 年 after it
BARE_YEAR = re.compile(r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9年])")
# a clock time, with the part of the day before it and a second time after it
CLOCK = re.compile(r"(?:上午|下午|中午|晚上|早上|凌晨|傍晚)?(?<![0-9:])(?:[01]?[0-9]|2[0-3])[:：][0-5][0-9]"
                   r"(?:[-—~至到]+(?:[01]?[0-9]|2[0-3])[:：][0-5][0-9])?(?![0-9])")
# a named day or festival in quotes or after an ordinal (“国际博物馆日”, 第六个公民道德宣传日)
NAMED_DAY = regex.compile(r"(?:(?<=[“\"‘「])|(?<=第[0-9一二三四五六七八九十百]{1,4}[个届次]))[\u4e00-\u9fff]{2,12}?[日节]"
                       r"(?=[”\"’」]|[\u4e00-\u9fff]{0,6}(?:活动|期间|前后|之际|到来))")
_CN_NUM = set("〇○零一二三四五六七八九十两")
_SHAPE_KEEP = set("年月日号至到-—~/.:时分秒底初中末旬季度上下半前后起以来每周")
_LABEL = re.compile(r"([\u4e00-\u9fff]{1,6})[:：]\s*$")


@dataclass
class Candidate:
    """One span the model decides on: its source, and the grammar's reading when the grammar found it."""

    span: Span
    source: str                         # g:<kind> (the grammar's branch), lex, year, clock
    mention: Optional[DateMention] = None


def shape(text: str) -> str:
    """The text with digits as 0, Chinese numerals as 九 and other characters as x, except the date words'
    own characters (年, 月, 至, :, 旬 …); runs of one class are kept as they are, at most 14 characters."""
    out = []
    for ch in text[:14]:
        if ch.isdigit():
            out.append("0")
        elif ch in _CN_NUM:
            out.append("九")
        elif ch in _SHAPE_KEEP:
            out.append(ch)
        else:
            out.append("x")
    return "".join(out)


def numberless(text: str) -> bool:
    """No digit and no Chinese numeral in ``text``: a time word (春节, 新学期), not a date's number."""
    return not any(ch.isdigit() or ch in _CN_NUM for ch in text)


def lexicon_automaton(words: Sequence[str]):
    """The leftmost-longest automaton of the lexicon's time words (None for an empty lexicon)."""
    if not words:
        return None
    import ahocorasick_rs

    return ahocorasick_rs.AhoCorasick(list(words), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)


def title_end(norm: str, start: int, end: int) -> int:
    """Where the first line of ``norm[start:end]`` (the plan's title line) ends."""
    first = norm.find("\n", start, end)
    return end if first < 0 else first


def _cls(ch: str) -> str:
    """A character as a feature: digits as 0, Latin letters as a, line ends as $, else itself."""
    if not ch or ch == "\n":
        return "$"
    if ch.isdigit():
        return "0"
    if ch.isascii() and ch.isalpha():
        return "a"
    return ch


def extra_candidates(norm: str, start: int, end: int, taken: Sequence[Span], lexicon) -> list[Candidate]:
    """The candidates of the lexicon, bare years and clock times in ``norm[start:end]`` that overlap no
    span in ``taken`` (the grammar's) nor one another (earlier sources first)."""
    spans = sorted(taken)
    out: list[Candidate] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in spans)

    found: list[tuple[int, int, str]] = []
    if lexicon is not None:
        found += [(s + start, e + start, "lex") for _, s, e in lexicon.find_matches_as_indexes(norm[start:end])]
    found += [(m.start(), m.end(), "named") for m in NAMED_DAY.finditer(norm, start, end)]
    found += [(m.start(), m.end(), "clock") for m in CLOCK.finditer(norm, start, end)]
    found += [(m.start(), m.end(), "year") for m in BARE_YEAR.finditer(norm, start, end)]
    for s, e, src in found:
        if free(s, e):
            out.append(Candidate((s, e), src))
            spans.append((s, e))
    return out


def features(norm: str, cand: Candidate, title_end: int) -> Features:
    """The features of one candidate in ``norm`` (``title_end``: where the plan's first line ends)."""
    s, e = cand.span
    text = norm[s:e]
    ls = norm.rfind("\n", 0, s) + 1
    le = norm.find("\n", e)
    le = len(norm) if le < 0 else le
    before, after = norm[ls:s], norm[e:le]
    f: Features = {"src:" + cand.source: 1.0, "shape:" + shape(text): 1.0,
                   "p1:" + _cls(before[-1:]): 1.0, "p2:" + "".join(map(_cls, before[-2:])): 1.0,
                   "n1:" + _cls(after[:1]): 1.0, "n2:" + "".join(map(_cls, after[:2])): 1.0,
                   "len:" + str(min(len(text), 12)): 1.0}
    if numberless(text):
        f["w:" + text] = 1.0                     # a time word (春节, 新学期) weighs by itself
        f["last2:" + text[-2:]] = 1.0            # …纪念日, …服务日, …节
    if not before.strip():
        f["line_start"] = 1.0
    if not after.strip():
        f["line_end"] = 1.0
    if s < title_end:
        f["title"] = 1.0
    if (lab := _LABEL.search(before)) is not None:
        f["label:" + lab.group(1)[-2:]] = 1.0
    if len(before) + len(after) < 12:
        f["short_line"] = 1.0
    if ls > 1:                                  # a short line before it: a label row (发文日期) above a value
        prev = norm[norm.rfind("\n", 0, ls - 1) + 1:ls - 1].strip()
        if 0 < len(prev) <= 8:
            f["prev_short:" + prev[-2:]] = 1.0
    f["src_shape:" + cand.source + ":" + shape(text)[:4]] = 1.0
    return f
