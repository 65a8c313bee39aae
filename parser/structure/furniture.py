"""Page furniture: tell navigation, upload/author lines, reader introductions and paywalls from content.

Rules are general — patterns (parser/data/furniture.toml), position and line shape — never a
site's name. Every line of a document gets one kind; parser/structure/plans.py decides which lines a plan
keeps (a paywall or footer line ends the plan above it).
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .fields import match_marker

BLANK = "blank"
CONTENT = "content"
FURNITURE = "furniture"     # navigation, meta, introductions, red headers
NAV = "nav"                 # breadcrumbs and menus: everything above them is the site's header
GAP = "gap"                 # hidden-content block: text is missing, the plan goes on after it
TERMINAL = "terminal"       # paywall, download or footer line: the plan above it ends here
TOC = "toc"                 # a table of contents

_TOC_PAGE = re.compile(r"[\s.…·-]*\d*$")      # the dots and page number after a contents entry

LEFT_OUT = frozenset({FURNITURE, NAV, GAP, TERMINAL, TOC})


class _Patterns:
    """A list of patterns as two alternations: those anchored at the line start (tried with
    ``match``, once) and the rest (``search``), so anchored ones cost nothing on long lines."""

    def __init__(self, patterns: list[str], flags: int = 0):
        anchored = [p[1:] for p in patterns if p.startswith("^")]
        free = [p for p in patterns if not p.startswith("^")]
        self._anchored = re.compile("|".join(f"(?:{p})" for p in anchored), flags) if anchored else None
        self._free = re.compile("|".join(f"(?:{p})" for p in free), flags) if free else None

    def search(self, line: str) -> bool:
        return bool((self._anchored is not None and self._anchored.match(line))
                    or (self._free is not None and self._free.search(line)))


@dataclass(frozen=True)
class FurnitureRules:
    """The compiled patterns and limits of furniture.toml."""

    short_line: int
    nav_token_chars: int
    nav_min_tokens: int
    toc_max_lines: int
    toc_min_entries: int
    nav: _Patterns
    line: _Patterns
    intro: _Patterns
    gap: _Patterns
    terminal: _Patterns
    any_short: _Patterns        # nav + line + gap + terminal: one test for most (content) lines
    toc_open: re.Pattern
    toc_close: re.Pattern


@lru_cache(maxsize=1)
def rules() -> FurnitureRules:
    """furniture.toml, compiled once (lazily, on first use)."""
    with open(Path(__file__).resolve().parents[1] / "data" / "furniture.toml", "rb") as fh:
        data = tomllib.load(fh)
    lim = data["limits"]
    return FurnitureRules(
        short_line=lim["short_line"], nav_token_chars=lim["nav_token_chars"],
        nav_min_tokens=lim["nav_min_tokens"], toc_max_lines=lim["toc_max_lines"],
        toc_min_entries=lim["toc_min_entries"],
        nav=_Patterns(data["nav"]["patterns"]),
        line=_Patterns(data["line"]["patterns"], re.IGNORECASE),
        intro=_Patterns(data["intro"]["patterns"]),
        gap=_Patterns(data["gap"]["patterns"]),
        terminal=_Patterns(data["terminal"]["patterns"], re.IGNORECASE),
        any_short=_Patterns(data["nav"]["patterns"] + data["line"]["patterns"] + data["gap"]["patterns"]
                            + data["terminal"]["patterns"], re.IGNORECASE),
        toc_open=re.compile(data["toc"]["open"]), toc_close=re.compile(data["toc"]["close"]),
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
    if " " not in line or "," in line or "。" in line or any(c.isdigit() for c in line):
        return False
    tokens = line.split()
    return len(tokens) >= r.nav_min_tokens and all(len(t) <= r.nav_token_chars for t in tokens)


_SPACED = re.compile(r"(?<=[\u4e00-\u9fff]) +(?=[\u4e00-\u9fff])")


def _squeezed(line: str) -> str:
    """The line with spaces between Chinese characters removed: labels are often spaced out
    ("索 引 号:", "文  号:")."""
    return _SPACED.sub("", line)


def line_kind(line: str, r: FurnitureRules | None = None, intro: bool = True) -> str:
    """The kind of one normalised line (stripped), without looking at its neighbours; reader
    introductions are looked for only when ``intro`` (above the first numbered heading)."""
    r = r or rules()
    if not line:
        return BLANK
    if len(line) <= r.short_line:
        if r.any_short.search(line) or _is_menu(line, r):
            if r.nav.search(line) or _is_menu(line, r):
                return NAV
            if r.terminal.search(line):
                return TERMINAL
            if r.gap.search(line):
                return GAP
            if r.line.search(line):
                return FURNITURE
        if " " in line and r.line.search(_squeezed(line)):
            return FURNITURE
    if intro and r.intro.search(line):
        return FURNITURE
    return CONTENT


def classify_lines(lines: list[str], title_follows=lambda line: False) -> list[str]:
    """One kind per line (normalised and stripped, see the module constants); a table of contents
    is marked as a block. ``title_follows(line)`` tells a document title line (the plan splitter's
    test), used to see a list of headings standing above the title as its contents."""
    r = rules()
    kinds, intro = [], True
    for line in lines:
        intro = intro and match_marker(line) is None
        kinds.append(line_kind(line, r, intro))
    # a menu is a menu above the text; below the first paragraph the same shape is a table row
    first_para = next((i for i, (k, line) in enumerate(zip(kinds, lines))
                       if k == CONTENT and (len(line) > r.short_line or "。" in line)), len(lines))
    for i in range(first_para + 1, len(lines)):
        if kinds[i] == NAV and not r.nav.search(lines[i]):
            kinds[i] = CONTENT
    for j in _unlabelled_toc(lines, kinds, r, title_follows):
        kinds[j] = TOC
    i, n = 0, len(lines)
    while i < n:
        if kinds[i] == CONTENT and r.toc_open.match(lines[i]):
            end = _toc_end(lines, i, r)
            for j in range(i, end):
                kinds[j] = TOC
            i = end
        else:
            i += 1
    return kinds


def _entry_comes_back(entry: str, later: str) -> bool:
    """A contents entry comes back below as the start of a line, with or without its marker."""
    if ("\n" + entry) in later:
        return True
    mk = match_marker(entry)
    bare = entry[mk.end:].strip() if mk else ""
    return len(bare) >= 4 and ("\n" + bare) in later


_PAGE_NO = re.compile(r"[\s.…·-]+(\d{1,4})$")


def _toc_end(lines: list[str], i: int, r: FurnitureRules) -> int:
    """The line after a table of contents that opens at line ``i``: closed by a "……" line, or else
    the run of short lines that are entries: each comes back later as the start of a line, or ends
    with a page number above the entry before it."""
    last = min(len(lines), i + r.toc_max_lines)
    for j in range(i + 1, last):
        if r.toc_close.match(lines[j]):
            return j + 1
    end, page = i + 1, -1
    for j in range(i + 1, last):
        entry = _TOC_PAGE.sub("", lines[j])
        if not entry:
            continue
        if len(entry) > r.short_line or "。" in entry:
            break
        m = _PAGE_NO.search(lines[j])
        if m and int(m.group(1)) > page:
            page = int(m.group(1))
        elif not _entry_comes_back(entry, "\n" + "\n".join(lines[j + 1:])):
            break
        end = j + 1
    return end


def _unlabelled_toc(lines: list[str], kinds: list[str], r: FurnitureRules, title_follows) -> range:
    """A table of contents without a "目录" line at the top of the text: a run of short heading
    lines with no paragraph between them, at least ``toc_min_entries`` of which (and most) come
    back below the run as the start of a line."""
    start = next((i for i, k in enumerate(kinds) if k == CONTENT), None)
    if start is None or match_marker(lines[start]) is None:
        return range(0)
    end = start
    for j in range(start, min(len(lines), start + r.toc_max_lines)):
        if kinds[j] == BLANK:
            continue
        entry = _TOC_PAGE.sub("", lines[j])
        if kinds[j] != CONTENT or not entry or len(entry) > r.short_line or "。" in entry or match_marker(entry) is None:
            break
        end = j + 1
    below = "\n" + "\n".join(lines[end:])
    entries = [_TOC_PAGE.sub("", lines[j]) for j in range(start, end) if kinds[j] != BLANK]
    if len(entries) < r.toc_min_entries:
        return range(0)
    back = sum(_entry_comes_back(e, below) for e in entries)
    # most entries come back, or the list stands over the document's title and its first entry
    # opens the text below it
    titled = end < len(lines) and title_follows(lines[end]) and _entry_comes_back(entries[0], below)
    return range(start, end) if (back >= r.toc_min_entries and 2 * back >= len(entries)) or titled else range(0)
