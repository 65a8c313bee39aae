"""Features of the organisation tagger, one list of strings per character of a candidate clause.

A clause can hold an organisation when the rules segmented it (a body word or unit ending is in it), when
it holds a self-reference or a word of ``[candidates]`` in data/orgs/tagger.toml, or when it is the value
of a labelled unit field (牵头单位：…). Each character gets: itself and its neighbours (n-grams), character
classes, the grammar class and jieba tag of its token piece (parser.extract.orgs), whether the rules'
mentions and the grammar's unfiltered chunks cover it (B/I/E/S), gazetteer places, the field label of its
line, its distance to list separators (、和及与) and to the clause's ends, and whether the line is the
plan's title. The trainer (parser.learn.orgs) and the tagger (parser.extract.org_tagger) share this module.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from bisect import bisect_left
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional, Sequence

from . import orgs
from .roles import field_role_at

Span = tuple[int, int]
_SEPS = frozenset("、和及与")
_MASK = frozenset("xX×*")
_TITLE = re.compile(r"《[^《》\n]{1,80}》")      # a cited document's or law's title


@dataclass(frozen=True)
class Settings:
    """The tagger's data (data/orgs/tagger.toml): extra candidate words, word-feature length."""

    candidates: re.Pattern
    word_max: int


@lru_cache(maxsize=1)
def settings() -> Settings:
    raw = tomllib.loads(resources.files("parser").joinpath("data/orgs/tagger.toml").read_text("utf-8"))
    words = sorted(set(raw["candidates"]["words"]), key=len, reverse=True)
    return Settings(candidates=re.compile("|".join(map(re.escape, words))), word_max=int(raw["features"]["word_max"]))


@lru_cache(maxsize=8192)
def _ctype(c: str) -> str:
    """A character's class: Han, digit, Latin, mask (x, ×, *), space, punctuation."""
    if "\u3400" <= c <= "\u9fff":
        return "H"
    if c in _MASK:
        return "X"
    if c.isdigit():
        return "D"
    if c.isascii() and c.isalpha():
        return "L"
    if c.isspace():
        return "S"
    return "P"


_BUCKETS = tuple(str(d) if d < 4 else "4" if d < 7 else "7" if d < 12 else "C" for d in range(12))


def _bucket(d: int) -> str:
    """A distance in characters, coarsely: 0 1 2 3, 4–6, 7–11, more."""
    return _BUCKETS[d] if d < 12 else "C"


class SpanIndex:
    """Sorted spans, for the ones that meet a clause."""

    def __init__(self, spans: Iterable[Span]):
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def mark(self, cs: int, ce: int) -> list[str]:
        """B/I/E/S of the spans over a clause's positions (clipped to it), O elsewhere."""
        tags = ["O"] * (ce - cs)
        i = max(0, bisect_left(self.starts, cs) - 1)
        while i > 0 and self.spans[i - 1][1] > cs:      # a long span starting well before the clause
            i -= 1
        for s, e in self.spans[i:]:
            if s >= ce:
                break
            if e <= cs:
                continue
            a, b = max(s, cs) - cs, min(e, ce) - cs
            if b - a == 1:
                tags[a] = "S"
                continue
            tags[a] = "B"
            for k in range(a + 1, b - 1):
                tags[k] = "I"
            tags[b - 1] = "E"
        return tags


@dataclass
class Candidate:
    """One clause the tagger reads: its span, pieces and per-line context."""

    start: int
    end: int
    pieces: list
    field: str          # role of the field label whose value holds the clause ('' when none)
    label: str          # the last two characters of that label
    title: bool         # the clause is on the first line of the text (the plan's title)


def candidates(norm: str, start: int, end: int, sc: "orgs.Scan",
               tokens: Optional[Sequence[Span]] = None) -> list[Candidate]:
    """The clauses of ``norm[start:end]`` that can hold an organisation, in text order."""
    st = settings()
    self_pat = orgs._self_pattern()
    out: list[Candidate] = []
    pos = start
    first = norm.find("\n", start, end)
    title_end = end if first < 0 else first
    for line in norm[start:end].split("\n"):
        ls = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        for cs, ce in orgs.clause_spans(line, ls):
            toks = sc.clauses.get((cs, ce))
            field, label = field_role_at(norm, ls, cs)
            if toks is None:
                if not (field or st.candidates.search(norm, cs, ce) or self_pat.search(norm, cs, ce)):
                    continue
                toks = orgs.pieces(norm, cs, ce, tokens)
            out.append(Candidate(cs, ce, toks, field or "", label, cs < title_end))
    return out


def _pre(prefix: str, items: Iterable[str]) -> list[str]:
    return list(map(prefix.__add__, items))


def clause_features(norm: str, cand: Candidate, rules: SpanIndex, raw: SpanIndex,
                    places: SpanIndex, titles: SpanIndex) -> list[tuple[str, ...]]:
    """The feature strings of each character of one candidate clause (built column by column: a list
    comprehension per feature is several times faster than one list per character)."""
    cs, ce = cand.start, cand.end
    n = ce - cs
    left, right = norm[max(0, cs - 2):cs], norm[ce:ce + 2]
    left, right = left[left.rfind("\n") + 1:], right[:right.find("\n")] if "\n" in right else right
    t = left.rjust(2, "^") + norm[cs:ce] + right.ljust(2, "$")
    ty = "".join(map(_ctype, t))
    gcls, gpos, ptag, words = ["o"] * n, ["O"] * n, ["x"] * n, [""] * n
    tags = orgs._jieba()[1]
    wmax = settings().word_max
    for p, s, e, cls in cand.pieces:
        a, b = max(s, cs) - cs, min(e, ce) - cs
        if b - a == 1:
            gcls[a], gpos[a], ptag[a], words[a] = cls, "S", tags.get(p, "x"), p
            continue
        tg, w = tags.get(p, "x"), p if len(p) <= wmax else ""
        gcls[a:b] = [cls] * (b - a)
        ptag[a:b] = [tg] * (b - a)
        words[a:b] = [w] * (b - a)
        gpos[a:b] = ["B", *(["I"] * (b - a - 2)), "E"]
    g = list(map(str.__add__, gcls, gpos))
    seps = [k for k in range(n) if gpos[k] == "S" and t[k + 2] in _SEPS]
    lsep, rsep = [0] * n, [0] * n
    prev = -1
    for k in seps + [n]:
        for m in range(prev + 1, min(k + 1, n)):
            lsep[m] = m - prev
        prev = k
    nxt = n
    for k in reversed([-1] + seps):
        for m in range(nxt - 1, k - 1 if k >= 0 else -1, -1):
            rsep[m] = nxt - m
        nxt = k
    r = rules.mark(cs, ce)
    bi = [t[i:i + 2] for i in range(n + 3)]
    gm = ["^", *gcls[:-1]]
    gp = [*gcls[1:], "$"]
    cols = [
        _pre("c", t[2:n + 2]), _pre("c-", t[1:n + 1]), _pre("c+", t[3:n + 3]),
        _pre("c--", t[0:n]), _pre("c++", t[4:n + 4]),
        _pre("b-", bi[1:n + 1]), _pre("b+", bi[2:n + 2]), _pre("b--", bi[0:n]), _pre("b++", bi[3:n + 3]),
        _pre("t", [ty[i:i + 3] for i in range(1, n + 1)]),
        _pre("g", g), _pre("gm", map(str.__add__, gm, g)), _pre("gp", map(str.__add__, g, gp)),
        _pre("p", map(str.__add__, ptag, gpos)), _pre("w", map(str.__add__, words, gpos)),
        _pre("r", r), _pre("R", raw.mark(cs, ce)), _pre("rg", map(str.__add__, r, g)),
        _pre("z", places.mark(cs, ce)), _pre("q", titles.mark(cs, ce)),
        _pre("ds", map(_bucket, range(n))), _pre("de", map(_bucket, range(n - 1, -1, -1))),
        _pre("sl", map(_bucket, lsep)), _pre("sr", map(_bucket, rsep)),
    ]
    ctx = [f"f{cand.field}", f"fl{cand.label}"] if cand.field or cand.label else []
    if cand.title:
        ctx.append("T")
    if ctx:
        cols += [[x] * n for x in ctx]
    return list(zip(*cols))


def line_places(norm: str, cands: Sequence[Candidate]) -> list[Span]:
    """Gazetteer places inside the candidate clauses."""
    from .gazetteer import find_places

    body = _body_words()
    out: list[Span] = []
    for c in cands:
        out += [p.span for p in find_places(norm, c.start, c.end, body)]
    return out


@lru_cache(maxsize=1)
def _body_words() -> tuple[str, ...]:
    return tuple(sorted(orgs.lexicon().bodies, key=len, reverse=True))


def document_features(norm: str, start: int, end: int, sc: "orgs.Scan",
                      tokens: Optional[Sequence[Span]] = None) -> tuple[list[Candidate], list[list[list[str]]]]:
    """Every candidate clause of ``norm[start:end]`` and the features of its characters."""
    cands = candidates(norm, start, end, sc, tokens)
    rules, raw, places = SpanIndex(sc.spans), SpanIndex(sc.raw), SpanIndex(line_places(norm, cands))
    titles = SpanIndex(m.span() for m in _TITLE.finditer(norm, start, end))
    return cands, [clause_features(norm, c, rules, raw, places, titles) for c in cands]
