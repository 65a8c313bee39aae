"""A view of a text without the pinyin some sites' script converters leave after characters.

Pages converted between scripts by some sites carry each converted character's pinyin in brackets:
``社區(qū)黨總支``, ``國務(wù)院``. The finders read the text without it (``社区党总支``), and their spans
are mapped back onto the text, so a mention still covers exactly the words it came from, pinyin
included. Texts without such brackets cost one substring test.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Optional

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
# one pinyin syllable (initial, vowels with or without tone marks, final), in brackets, after a Han
# character; brackets may follow one another (二(er)(er))
PINYIN = re.compile(r"(?<=[\u3400-\u9fff])(?:\((?=[a-z" + _TONED + r"]{2,7}\))(?:[zcs]h|[bpmfdtnlgkhjqxrzcsyw])?[aeiouv" + _TONED
                    + r"]{1,4}(?:ng|n|r)?\))+")

Span = tuple[int, int]


@dataclass(frozen=True)
class Compact:
    """``text`` is the original with the pinyin brackets removed; ``keep[k]`` is the original index of
    its character ``k`` (None: nothing was removed, the two are the same)."""

    text: str
    original_length: int
    keep: Optional[list[int]] = None

    def to_original(self, span: Span) -> Span:
        """A span of the compact text on the original: its first character's index, and the end of its
        last character's pinyin (what was removed after a character belongs to it)."""
        if self.keep is None:
            return span
        a, b = span
        end = self.keep[b] if b < len(self.keep) else self.original_length
        return (self.keep[a] if a < len(self.keep) else self.original_length), end

    def to_compact(self, span: Span) -> Span:
        """A span of the original on the compact text (removed characters fall to the next kept one)."""
        if self.keep is None:
            return span
        return bisect_left(self.keep, span[0]), bisect_left(self.keep, span[1])

    def at(self, pos: int) -> int:
        """The compact index of the original position ``pos``."""
        return pos if self.keep is None else bisect_left(self.keep, pos)


def compact(text: str) -> Compact:
    """The text without converter pinyin, with the map back to ``text``."""
    if "(" not in text or not PINYIN.search(text):
        return Compact(text, len(text))
    keep: list[int] = []
    parts: list[str] = []
    pos = 0
    for m in PINYIN.finditer(text):
        parts.append(text[pos:m.start()])
        keep.extend(range(pos, m.start()))
        pos = m.end()
    parts.append(text[pos:])
    keep.extend(range(pos, len(text)))
    return Compact("".join(parts), len(text), keep)
