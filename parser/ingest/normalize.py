"""Normalisation for matching only: a string of the same length as the input, so spans carry over.

Full-width digits, letters and punctuation become half-width, every kind of white space
(U+3000, no-break space, tabs …) becomes an ASCII space, and Traditional characters become
Simplified (OpenCC, character by character so that no length changes). Masked placeholders
such as ``20--年`` or ``201x年`` are left as written.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Iterator

_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\r\x0b\x0c"

# U+FF01..U+FF5E are the full-width forms of U+0021..U+007E; a few more have one-character twins.
_WIDTH = {chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)}
_WIDTH.update({"\uff61": "。", "\uff64": "、", "\uff62": "「", "\uff63": "」", "\u2014": "—",
               "\u2015": "—", "\u2500": "—", "\ufe50": ",", "\ufe51": "、", "\ufe52": ".",
               "\ufe54": ";", "\ufe55": ":", "\ufe59": "(", "\ufe5a": ")"})
_WIDTH.update({s: " " for s in _SPACES})
_TABLE = str.maketrans(_WIDTH)


def fold_width(text: str) -> str:
    """Fold full-width forms and white space to their ASCII twins (same length)."""
    return text.translate(_TABLE)


@lru_cache(maxsize=1)
def _opencc():
    import opencc  # imported lazily: only texts with Traditional characters need it

    return opencc.OpenCC("t2s")


CHUNK = 1 << 20     # characters converted at a time: OpenCC's working memory is many times its input


def _pieces(text: str, size: int) -> Iterator[str]:
    """``text`` cut after a newline into pieces of about ``size`` characters (OpenCC never matches across
    a line end, so converting the pieces one by one gives the same text)."""
    start = 0
    while len(text) - start > size:
        cut = text.rfind("\n", start, start + size) + 1
        if cut <= start:
            cut = text.find("\n", start + size) + 1 or len(text)
        yield text[start:cut]
        start = cut
    if start < len(text):
        yield text[start:]


def to_simplified(text: str) -> str:
    """Traditional → Simplified with OpenCC, keeping the length (phrase rewrites are undone)."""
    if not text or text.isascii():
        return text
    if len(text) > CHUNK:
        return "".join(_simplified(piece) for piece in _pieces(text, CHUNK))
    return _simplified(text)


def _simplified(text: str) -> str:
    cc = _opencc()
    out = cc.convert(text)
    if len(out) == len(text):
        return out
    # a phrase conversion changed the length: convert line by line, then character by character
    parts = []
    for line in text.split("\n"):
        conv = cc.convert(line)
        if len(conv) != len(line):
            conv = "".join(c if len(c := cc.convert(ch)) == 1 else ch for ch in line)
        parts.append(conv)
    return "\n".join(parts)


def normalize(text: str, simplify: bool = True) -> str:
    """The analysis form of ``text``: width-folded, spaces unified, Simplified; same length."""
    folded = fold_width(text)
    out = to_simplified(folded) if simplify else folded
    assert len(out) == len(text), "normalisation must keep the length"
    return out
