"""Features of the organisation tagger, one tuple of strings per character of each window it reads.

The tagger reads the whole value of a labelled unit field (牵头单位：…, 牵头界别组：…), and elsewhere the
characters around what the rules propose in a clause: the grammar's chunks before and after its filters,
self-references and the words of ``[candidates]`` in data/orgs/tagger.toml, ``left``/``right`` characters
more on each side. Each character gets: itself, its neighbours and the bigrams around it; the grammar class
of its token piece (parser.extract.orgs) with its place in the piece, and the classes beside; the piece
itself and the pieces before and after it when short; whether a rule mention covers it (B/I/E/S); and for
the window, the field label's role and last characters, and whether it is on the plan's title line. The
trainer (parser.learn.orgs) and the tagger (parser.extract.org_tagger) share this module.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from bisect import bisect_left
from functools import lru_cache
from importlib import resources
from typing import Iterable, Optional, Sequence

from .roles import field_role_at

Span = tuple[int, int]
_CLAUSE = re.compile(r"[^,。;:!?]+")


def clause_spans(line: str, line_start: int) -> Iterable[Span]:
    """(start, end) of the clauses of one line (absolute): the units the rules' grammar and the tagger read."""
    for m in _CLAUSE.finditer(line):
        yield line_start + m.start(), line_start + m.end()


@dataclass(frozen=True)
class Settings:
    """The tagger's data (data/orgs/tagger.toml): candidate words and window margins, the longest piece that
    is a feature of its own, and the recovery threshold of the rules' mentions."""

    candidates: re.Pattern
    word_max: int
    recover: float
    left: int
    right: int


@lru_cache(maxsize=1)
def settings() -> Settings:
    raw = tomllib.loads(resources.files("parser").joinpath("data/orgs/tagger.toml").read_text("utf-8"))
    words = sorted(set(raw["candidates"]["words"]), key=len, reverse=True)
    return Settings(candidates=re.compile("|".join(map(re.escape, words))), word_max=int(raw["features"]["word_max"]),
                    recover=float(raw["decode"]["recover"]),
                    left=int(raw["candidates"]["left"]), right=int(raw["candidates"]["right"]))


class SpanIndex:
    """Sorted spans, for the ones that meet a window."""

    def __init__(self, spans: Iterable[Span]):
        self.spans = sorted(spans)
        self.starts = [s for s, _ in self.spans]

    def within(self, cs: int, ce: int) -> list[Span]:
        """The spans that start inside ``[cs, ce)``."""
        i = bisect_left(self.starts, cs)
        j = bisect_left(self.starts, ce, i)
        return self.spans[i:j]

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
    """One window the tagger reads: its span, its clause's pieces and its line's context."""

    start: int
    end: int
    pieces: list
    field: str          # role of the field label whose value holds the clause ('' when none)
    label: str          # the last two characters of that label
    title: bool         # the clause is on the first line of the text (the plan's title)


def candidates(norm: str, start: int, end: int, sc) -> list[Candidate]:
    """The windows of ``norm[start:end]`` the tagger reads, in text order: the whole value of a labelled
    field, else the characters around what the rules propose in a clause (their chunks before and after
    the filters, self-references, the words of ``[candidates]``), ``left``/``right`` more on each side."""
    st = settings()
    props = SpanIndex([*sc.raw, *sc.spans])
    words = SpanIndex([*(m.span() for m in st.candidates.finditer(norm, start, end)),
                       *sc.selfrefs])
    out: list[Candidate] = []
    pos = start
    first = norm.find("\n", start, end)
    title_end = end if first < 0 else first
    for line in norm[start:end].split("\n"):
        ls = pos
        pos += len(line) + 1
        if not line.strip():
            continue
        fields = ":" in line or line.strip().count(" ") >= 2     # a field label, or a table row's cells
        for cs, ce in clause_spans(line, ls):
            toks = sc.clauses.get((cs, ce))
            field, label = field_role_at(norm, ls, cs) if fields else (None, "")
            label = label[-2:]
            found = words.within(cs, ce)
            if toks is None and not field and not found:
                continue
            if field:
                windows = [(cs, ce)]
            else:
                found += props.within(cs, ce)
                windows = _merge(sorted((max(cs, a - st.left), min(ce, b + st.right)) for a, b in found))
            if not windows:
                continue
            if toks is None:
                toks = sc.segment(cs, ce)
            title = cs < title_end
            out += [Candidate(a, b, toks, field or "", label, title) for a, b in windows]
    return out


def _merge(spans: Sequence[Span]) -> list[Span]:
    """Sorted spans with the overlapping or touching ones joined."""
    out: list[Span] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(b, out[-1][1]))
        else:
            out.append((a, b))
    return out


def _pre(prefix: str, items: Iterable[str]) -> list[str]:
    return list(map(prefix.__add__, items))


def window_features(norm: str, cands: Sequence[Candidate], rules: SpanIndex) -> list[list[tuple[str, ...]]]:
    """The feature strings of each character of each window. All windows of a text are built at once,
    column by column over their joined characters (a comprehension per feature over the whole text
    costs a fraction of building one list per character, or per window)."""
    wmax = settings().word_max
    parts: list[str] = []
    idx: list[int] = []
    gcls: list[str] = []
    gpos: list[str] = []
    words: list[str] = []
    prev_w: list[str] = []
    next_w: list[str] = []
    r: list[str] = []
    gm: list[str] = []
    gp: list[str] = []
    base = 0
    for cand in cands:
        cs, ce = cand.start, cand.end
        n = ce - cs
        left, right = norm[max(0, cs - 2):cs], norm[ce:ce + 2]
        left, right = left[left.rfind("\n") + 1:], right[:right.find("\n")] if "\n" in right else right
        parts.append(left.rjust(2, "^") + norm[cs:ce] + right.ljust(2, "$"))
        idx += range(base + 2, base + 2 + n)
        base += n + 4
        first = len(gcls)
        ps = cand.pieces
        for j, (p, s, e, cls) in enumerate(ps):      # the pieces cover the clause, so the window exactly
            if e <= cs or s >= ce:
                continue
            k = min(e, ce) - max(s, cs)
            pw = "^" if j == 0 else ps[j - 1][0] if len(ps[j - 1][0]) <= wmax else ps[j - 1][3]
            nw = "$" if j + 1 == len(ps) else ps[j + 1][0] if len(ps[j + 1][0]) <= wmax else ps[j + 1][3]
            gcls += [cls] * k
            words += [p if len(p) <= wmax else ""] * k
            prev_w += [pw] * k
            next_w += [nw] * k
            gpos += ("S",) if e - s == 1 else ["B" if x == s else "E" if x == e - 1 else "I"
                                               for x in range(max(s, cs), min(e, ce))]
        gm.append("^")
        gm += gcls[first:first + n - 1]
        gp += gcls[first + 1:first + n]
        gp.append("$")
        r += rules.mark(cs, ce)
    t = "".join(parts)
    g = list(map(str.__add__, gcls, gpos))
    cols = [
        _pre("c", [t[i] for i in idx]), _pre("c-", [t[i - 1] for i in idx]), _pre("c+", [t[i + 1] for i in idx]),
        _pre("b-", [t[i - 1:i + 1] for i in idx]), _pre("b+", [t[i:i + 2] for i in idx]),
        _pre("gm", map(str.__add__, gm, g)), _pre("gp", map(str.__add__, g, gp)),
        _pre("w", map(str.__add__, words, gpos)),
        _pre("wp", map(str.__add__, prev_w, gpos)), _pre("wn", map(str.__add__, next_w, gpos)),
        _pre("rg", map(str.__add__, r, g)),
    ]
    rows = list(zip(*cols))
    out: list[list[tuple[str, ...]]] = []
    pos = 0
    for cand in cands:
        n = cand.end - cand.start
        win = rows[pos:pos + n]
        pos += n
        ctx = ((f"f{cand.field}", f"fl{cand.label}") if cand.field or cand.label else ()) + (("T",) if cand.title else ())
        out.append([row + ctx for row in win] if ctx else win)
    return out


def document_features(norm: str, start: int, end: int, sc) -> tuple[list[Candidate], list[list[tuple[str, ...]]]]:
    """Every window of ``norm[start:end]`` the tagger reads and the features of its characters, from the
    rules' scan ``sc`` (parser.extract.orgs.Scan: their pieces, chunks, mentions and self-references)."""
    cands = candidates(norm, start, end, sc)
    return cands, window_features(norm, cands, SpanIndex(sc.spans))
