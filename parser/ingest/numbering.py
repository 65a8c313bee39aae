"""Word's automatic list numbering as text: the "一、" / "（一）" / "1." a .docx paragraph shows but does
not contain. python-docx gives the paragraph's text only, so headings numbered by Word would lose their
markers; this reads numbering.xml (abstract levels: format, level text, start) and counts per list.
"""
from __future__ import annotations

from typing import Optional

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CN = "零一二三四五六七八九"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_TIGHT = tuple("、．.）)：:")        # a marker ending so is followed by the text directly, else by a space


def chinese(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (as Word's chineseCounting writes them)."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _CN[n]
    if n < 20:
        return "十" + (_CN[n - 10] if n > 10 else "")
    if n < 100:
        return _CN[n // 10] + "十" + (_CN[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return _CN[n // 100] + "百" + ("" if not rest else ("零" + _CN[rest] if rest < 10 else
                                                          (_CN[1] if rest < 20 else "") + chinese(rest)))
    return str(n)


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def format_number(n: int, fmt: str) -> str:
    """One counter in a Word number format."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "chineseLegalSimplified",
               "ideographDigital", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return chinese(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese") and 0 < n <= len(_CIRCLED):
        return _CIRCLED[n - 1]
    if fmt == "ideographTraditional" and 0 < n <= len(_TIANGAN):
        return _TIANGAN[n - 1]
    if fmt == "decimalFullWidth":
        return "".join(chr(ord(c) + 0xFEE0) for c in str(n))
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        return _roman(n) if fmt == "upperRoman" else _roman(n).lower()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


def _val(el, tag: str) -> Optional[str]:
    child = el.find(W + tag) if el is not None else None
    return child.get(W + "val") if child is not None else None


class Numbering:
    """The numbering of one .docx: ``marker(paragraph)`` gives the text Word shows before it, or ""."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}    # abstractNumId → ilvl → (fmt, text, start)
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}           # numId → (abstractNumId, start overrides)
        self.counters: dict[str, dict[int, int]] = {}
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        for ab in root.findall(W + "abstractNum"):
            lv = {}
            for lvl in ab.findall(W + "lvl"):
                start = _val(lvl, "start")
                lv[int(lvl.get(W + "ilvl", "0"))] = (_val(lvl, "numFmt") or "decimal", _val(lvl, "lvlText") or "",
                                                     int(start) if start and start.lstrip("-").isdigit() else 1)
            self.levels[ab.get(W + "abstractNumId")] = lv
        for num in root.findall(W + "num"):
            overrides = {}
            for ov in num.findall(W + "lvlOverride"):
                start = _val(ov, "startOverride")
                if start and start.isdigit():
                    overrides[int(ov.get(W + "ilvl", "0"))] = int(start)
            self.nums[num.get(W + "numId")] = (_val(num, "abstractNumId"), overrides)

    def _num_pr(self, paragraph) -> tuple[Optional[str], int]:
        """(numId, level) from the paragraph's own properties, else from its style chain."""
        ppr = paragraph._p.pPr
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        style = paragraph.style if num_pr is None else None
        depth = 0
        while num_pr is None and style is not None and depth < 10:
            spr = style.element.find(W + "pPr")
            num_pr = spr.find(W + "numPr") if spr is not None else None
            style, depth = style.base_style, depth + 1
        if num_pr is None:
            return None, 0
        ilvl = _val(num_pr, "ilvl")
        return _val(num_pr, "numId"), int(ilvl) if ilvl and ilvl.isdigit() else 0

    def marker(self, paragraph) -> str:
        """The number Word shows before ``paragraph`` ("一、", "（二）", "1.2"), counting it; "" when none."""
        if not self.nums:
            return ""
        num_id, ilvl = self._num_pr(paragraph)
        if not num_id or num_id == "0" or num_id not in self.nums:
            return ""
        abstract, overrides = self.nums[num_id]
        levels = self.levels.get(abstract, {})
        if ilvl not in levels:
            return ""
        counts = self.counters.setdefault(num_id, {})
        start = overrides.get(ilvl, levels[ilvl][2])
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else start
        for deeper in [k for k in counts if k > ilvl]:       # a new item restarts the levels below it
            del counts[deeper]
        fmt, text, _ = levels[ilvl]
        if fmt in ("bullet", "none") or not text:
            return ""
        for k in range(9):
            if f"%{k + 1}" in text:
                kfmt, _, kstart = levels.get(k, ("decimal", "", 1))
                text = text.replace(f"%{k + 1}", format_number(counts.get(k, overrides.get(k, kstart)), kfmt))
        return text.strip()


def with_marker(marker: str, text: str) -> str:
    """Join a numbering marker and its paragraph's text as Word shows them."""
    if not marker:
        return text
    return marker + text if marker.endswith(_TIGHT) else f"{marker} {text}"
