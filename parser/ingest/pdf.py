"""A PDF's text with pdfplumber (pdfminer.six: CJK fonts, CID cmaps), one paragraph a line.

PDF lines are visual lines: a paragraph wrapped at the right margin is joined back into one line
(also across a page break), while short lines, indented lines and lines opening with a heading
marker start a new line. Page numbers ("- 3 -", "第3页 共8页") and a header repeated on most pages
are dropped. A scan without a text layer, a damaged file, a password or fonts without a Unicode
map are clear errors, never an empty plan.
"""
from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from ..errors import InputEmpty, InputUndecodable

_PAGE_NO = re.compile(r"^[-—–\s]*\d{1,4}[-—–\s]*$|^第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?$|^\d+\s*/\s*\d+$")
_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]"
                     r"|第[一二三四五六七八九十百\d]+[章节条部篇]|[①-⑳]|附件)")
_CJK = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}]) +(?=[{_CJK}])")
_CID = re.compile(r"\(cid:\d+\)")


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    size: float


def _page_lines(page) -> list[Line]:
    out = []
    for ln in page.extract_text_lines(layout=False, strip=True, return_chars=True, x_tolerance=1.5,
                                      y_tolerance=3):
        text = _CJK_GAP.sub("", ln["text"]).strip()
        if not text:
            continue
        sizes = [c.get("size") or 0 for c in ln.get("chars", [])]
        out.append(Line(text, float(ln["x0"]), float(ln["x1"]), float(median(sizes)) if sizes else 10.0))
    return out


def _drop_running_heads(pages: list[list[Line]]) -> list[list[Line]]:
    """Page numbers everywhere, and a first or last line repeated on most pages (running head/foot)."""
    repeated: set[str] = set()
    if len(pages) >= 3:
        ends = Counter(t for p in pages for t in {p[0].text, p[-1].text} if p)
        repeated = {t for t, n in ends.items() if n > len(pages) / 2}
    out = []
    for lines in pages:
        out.append([ln for i, ln in enumerate(lines) if not _PAGE_NO.match(ln.text)
                    and not (ln.text in repeated and (i == 0 or i == len(lines) - 1))])
    return out


def _reflow(pages: list[list[Line]]) -> list[str]:
    """Join wrapped visual lines back into paragraphs (one output line each)."""
    body = [ln for p in pages for ln in p]
    if not body:
        return []
    cw = median(ln.size for ln in body) or 10.0
    left = min(ln.x0 for ln in body)
    long_right = sorted(ln.x1 for ln in body if len(ln.text) >= 8) or [max(ln.x1 for ln in body)]
    right = long_right[int(len(long_right) * 0.9) - 1 if len(long_right) > 1 else 0]
    out: list[str] = []
    prev_full = False
    for ln in body:
        indented = ln.x0 > left + 0.8 * cw
        if out and prev_full and not indented and not _MARKER.match(ln.text):
            out[-1] += ln.text
        else:
            out.append(ln.text)
        prev_full = ln.x1 >= right - 1.6 * cw
    return out


def pdf_text(data: bytes, source: str) -> tuple[str, int]:
    """(text, number of pages) of a PDF; a clear PlanparserError for what cannot be read."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            n_pages = len(pdf.pages)
            pages, images = [], 0
            for page in pdf.pages:
                pages.append(_page_lines(page))
                images += len(page.images)
    except PDFPasswordIncorrect:
        raise InputUndecodable(source, "the PDF is password-protected; save an unprotected copy and parse that")
    except Exception as e:  # noqa: BLE001 - pdfminer raises many classes for damaged files
        reason = str(e) or type(e).__name__
        raise InputUndecodable(source, f"not a readable PDF file (damaged or truncated): {reason}")
    chars = sum(len(ln.text) for p in pages for ln in p)
    if not chars:
        if images:
            raise InputEmpty(source, f"scanned PDF: {n_pages} page(s) of images and no text layer; "
                                     "run OCR on it first (for example ocrmypdf) and parse the result")
        raise InputEmpty(source, f"the PDF has {n_pages} page(s) and no text")
    cids = sum(len(m) for p in pages for ln in p for m in _CID.findall(ln.text))
    if cids > chars * 0.3:
        raise InputUndecodable(source, "the PDF's fonts carry no Unicode map, so its text cannot be read; "
                                       "run OCR on it first and parse the result")
    lines = _reflow(_drop_running_heads(pages))
    return "\n".join(lines) + "\n", n_pages
