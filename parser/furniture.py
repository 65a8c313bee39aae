"""Page furniture: tell navigation, upload/author lines, reader introductions and paywalls from content.

Rules are general — patterns (parser/data/furniture.toml), position and line shape — never a
site's name. Every line of a document gets one kind; parser/plans.py decides which lines a plan
keeps (a paywall line only closes the page once a plan has started).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BLANK = "blank"
CONTENT = "content"
FURNITURE = "furniture"     # navigation, meta, introductions, red headers
NAV = "nav"                 # breadcrumbs and menus: everything above them is the site's header
GAP = "gap"                 # hidden-content block: text is missing, the plan goes on after it
TERMINAL = "terminal"       # paywall, download or footer line: the page's content ends here
TOC = "toc"                 # a table of contents

LEFT_OUT = frozenset({FURNITURE, NAV, GAP, TERMINAL, TOC})


@dataclass(frozen=True)
class FurnitureRules:
    """The compiled patterns and limits of furniture.toml."""

    short_line: int
    nav_token_chars: int
    nav_min_tokens: int
    toc_max_lines: int
    nav: re.Pattern
    line: re.Pattern
    intro: re.Pattern
    gap: re.Pattern
    terminal: re.Pattern
    toc_open: re.Pattern
    toc_close: re.Pattern
    collection_header: re.Pattern


def _alternation(patterns: list[str], flags: int = 0) -> re.Pattern:
    return re.compile("|".join(f"(?:{p})" for p in patterns), flags)


@lru_cache(maxsize=1)
def rules() -> FurnitureRules:
    """furniture.toml, compiled once (lazily, on first use)."""
    with open(Path(__file__).parent / "data" / "furniture.toml", "rb") as fh:
        data = tomllib.load(fh)
    lim = data["limits"]
    return FurnitureRules(
        short_line=lim["short_line"], nav_token_chars=lim["nav_token_chars"],
        nav_min_tokens=lim["nav_min_tokens"], toc_max_lines=lim["toc_max_lines"],
        nav=_alternation(data["nav"]["patterns"]),
        line=_alternation(data["line"]["patterns"], re.IGNORECASE),
        intro=_alternation(data["intro"]["patterns"]),
        gap=_alternation(data["gap"]["patterns"]),
        terminal=_alternation(data["terminal"]["patterns"], re.IGNORECASE),
        toc_open=re.compile(data["toc"]["open"]), toc_close=re.compile(data["toc"]["close"]),
        collection_header=_alternation(data["collection_header"]["patterns"]),
    )


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line of ``text``, the newline excluded."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _is_menu(line: str, r: FurnitureRules) -> bool:
    """A menu line: several short space-separated words and no sentence punctuation."""
    if " " not in line or "," in line or "。" in line:
        return False
    tokens = line.split()
    return len(tokens) >= r.nav_min_tokens and all(len(t) <= r.nav_token_chars for t in tokens)


def line_kind(line: str, r: FurnitureRules | None = None) -> str:
    """The kind of one normalised line (stripped), without looking at its neighbours."""
    r = r or rules()
    if not line:
        return BLANK
    if len(line) <= r.short_line:
        if r.nav.search(line) or _is_menu(line, r):
            return NAV
        if r.terminal.search(line):
            return TERMINAL
        if r.gap.search(line):
            return GAP
        if r.line.search(line):
            return FURNITURE
    if r.intro.search(line):
        return FURNITURE
    return CONTENT


def classify_lines(norm: str, spans: list[tuple[int, int]]) -> list[str]:
    """One kind per line of ``norm`` (see the module constants); tables of contents are marked as blocks."""
    r = rules()
    kinds = [line_kind(norm[s:e].strip(), r) for s, e in spans]
    i, n = 0, len(spans)
    while i < n:
        if kinds[i] == CONTENT and r.toc_open.match(norm[spans[i][0]:spans[i][1]].strip()):
            end = _toc_end(norm, spans, i, r)
            for j in range(i, end):
                kinds[j] = TOC
            i = end
        else:
            i += 1
    return kinds


def _toc_end(norm: str, spans: list[tuple[int, int]], i: int, r: FurnitureRules) -> int:
    """The line after a table of contents that opens at line ``i`` (closed by a "……" line)."""
    last = min(len(spans), i + r.toc_max_lines)
    for j in range(i + 1, last):
        if r.toc_close.match(norm[spans[j][0]:spans[j][1]].strip()):
            return j + 1
    return i + 1      # no closing line: only the "目录" line itself is left out


def is_collection_header(line: str) -> bool:
    """A page title that announces a collection ("……工作计划5篇", "(合集6篇)")."""
    return bool(rules().collection_header.search(line))
