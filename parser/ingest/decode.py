"""Bytes → text: BOMs, UTF-8, the GB family, Big5 and whatever charset-normalizer recognises.

Sites often declare gb2312 and serve GBK or GB18030, so every GB label decodes as GB18030
(a superset); a declared charset is trusted only when the bytes decode cleanly under it.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from typing import Optional

from ..errors import InputBinary, InputEmpty, InputUndecodable

# labels that are decoded with a wider superset
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "gb_2312": "gb18030", "euc_cn": "gb18030",
             "cp936": "gb18030", "hz": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs",
             "x-gbk": "gb18030", "ascii": "utf-8"}
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


MIN_PLAUSIBLE = 0.9  # below this share of ideographs/ASCII/CJK punctuation a decoding is garbage


@dataclass
class Decoded:
    text: str
    encoding: str
    bom: bool = False


def canonical_encoding(label: Optional[str]) -> Optional[str]:
    """A Python codec name for a declared label, widened to its superset (gb2312 → gb18030)."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    return _SUPERSET.get(name, name)


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    return controls > max(8, len(head) // 50)


def _plausible_share(text: str) -> float:
    """Share of characters a Chinese page is made of: ideographs, ASCII, CJK punctuation, spaces."""
    sample = text[:20000]
    if not sample:
        return 0.0
    ok = sum(1 for c in sample if c.isascii() or "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f"
             or "\uff00" <= c <= "\uffef" or "\u2010" <= c <= "\u2027" or c in "\u00a0\u00b7\u00d7")
    return ok / len(sample)


def _cjk_share(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    cjk = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    letters = sum(1 for c in sample if c.isalpha())
    return cjk / letters if letters else 0.0


def decode_bytes(data: bytes, source: str, declared: Optional[str] = None) -> Decoded:
    """Decode ``data`` or raise a clear error naming ``source`` and the reason."""
    if not data.strip():
        raise InputEmpty(source, "the file is empty")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), codec.replace("-sig", ""), bom=True)
            except UnicodeDecodeError as e:
                raise InputUndecodable(source, f"starts with a {codec} byte-order mark but does not decode: {e.reason}")
    if _looks_binary(data):
        raise InputBinary(source, "looks like a binary file (NUL or control bytes), not text or HTML")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    want = canonical_encoding(declared)
    if want and want != "utf-8":
        try:
            return Decoded(data.decode(want), want)
        except UnicodeDecodeError:
            pass
    return _sniff(data, source)


def _sniff(data: bytes, source: str) -> Decoded:
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200000]).best()
    candidates = []
    if best is not None:
        candidates.append(canonical_encoding(best.encoding) or best.encoding)
    candidates += ["gb18030", "big5hkscs"]
    for enc in dict.fromkeys(candidates):
        try:
            text = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
        # a Chinese text decoded with the wrong CJK codec shows few common ideographs
        if enc in ("gb18030", "big5hkscs") and _cjk_share(text) < 0.3 and best is None:
            continue
        if _plausible_share(text) < MIN_PLAUSIBLE:
            continue
        return Decoded(text, enc)
    raise InputUndecodable(source, "bytes are not valid UTF-8, GB18030, Big5 or any encoding charset-normalizer knows")
