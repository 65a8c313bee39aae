"""Line-level readers shared by plans and sections: heading markers, field lines, numerals.

All patterns live in parser/data/headings.toml and are compiled lazily once; every function
takes a NORMALISED line (parser/ingest/normalize.py) with its leading spaces removed.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN_CHARS = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_UPPER = str.maketrans("壹贰叁肆伍陆柒捌玖拾", "一二三四五六七八九十")


@lru_cache(maxsize=1)
def settings() -> dict[str, Any]:
    """parser/data/headings.toml as a dict (marker styles, gates, field names, plan titles)."""
    with open(Path(__file__).resolve().parents[1] / "data" / "headings.toml", "rb") as fh:
        return tomllib.load(fh)


@dataclass(frozen=True)
class Marker:
    """A numbered marker at the start of a line: its style, number and length in the line."""

    style: str
    number: int
    prefix: str          # the leading numbers of a dotted marker ("1.2" of "1.2.3"), else ""
    end: int             # characters of the line the marker takes (not the spaces after it)


@lru_cache(maxsize=1)
def _styles() -> dict[str, list[tuple[str, re.Pattern]]]:
    """The marker styles to try, by the first character of a line."""
    out: dict[str, list[tuple[str, re.Pattern]]] = {}
    for s in settings()["style"]:
        pat = re.compile(s["pattern"])
        for ch in s["first"]:
            out.setdefault(ch, []).append((s["key"], pat))
    return out


def cn_number(s: str) -> Optional[int]:
    """Chinese or Arabic numeral → int ("十二" → 12, "贰" → 2, "一百零五" → 105, "7" → 7, "⑶" → 3)."""
    if len(s) == 1 and s in _CIRCLED:
        return _CIRCLED.index(s) + 1
    if len(s) == 1 and s in _PAREN_CHARS:
        return _PAREN_CHARS.index(s) + 1
    s = s.translate(_UPPER)
    if s.isdecimal():
        return int(s)
    total, cur = 0, 0
    for ch in s:
        if ch in _CN_DIGITS:
            cur = _CN_DIGITS[ch]
        elif ch == "十":
            total += (cur or 1) * 10
            cur = 0
        elif ch == "百":
            total += (cur or 1) * 100
            cur = 0
        else:
            return None
    return total + cur


def match_marker(line: str) -> Optional[Marker]:
    """The heading marker that opens ``line`` (normalised, left-stripped), or None."""
    if not line:
        return None
    for key, pat in _styles().get(line[0], ()):
        m = pat.match(line)
        if m:
            num = cn_number(m.group("num"))
            if num is None:
                return None
            pre = m.groupdict().get("pre") or ""
            return Marker(key, num, pre, m.end())
    return None


@lru_cache(maxsize=1)
def _field_res() -> tuple[re.Pattern, re.Pattern]:
    cfg = settings()["fields"]
    names = sorted(cfg["names"], key=len, reverse=True)
    known = re.compile(r"^(?P<name>" + "|".join(map(re.escape, names)) + r")\s*:\s*(?P<value>.*)$")
    return known, re.compile(cfg["generic"])


def match_field(line: str, known_only: bool = False) -> Optional[re.Match]:
    """A field line "名称：值" (groups ``name`` and ``value``): a known field name, or any short name
    followed by a value (unless ``known_only``)."""
    if ":" not in line[:12]:
        return None
    known, generic = _field_res()
    m = known.match(line)
    if m:
        return m
    return None if known_only else generic.match(line)
