"""Synthetic training pages written by us (``corpus/train/<style>/*.txt``), in a light markup that gives
their gold (GUIDE.md) as they are written; read into ``GoldDoc``s at training time.

A page is its text, one line per line, with:
- ``#P year|region|level|body`` alone on a line: the next line starts a plan and is its title line;
  ``#P0 year|region|level|body``: the next line starts a plan that has no title line. Empty cells
  are null.
- ``@LEVEL|CATEGORY`` then a TAB at the start of a line: the line is a heading of that level and
  category (marker and title read by GUIDE.md's rules; ``@LEVEL|CATEGORY|TITLE`` gives the title).
- ``{name}^`` an organisation that organises, ``{name}+`` one that takes part, ``{name}`` any other.
- ``[expression]`` a date (its month is the month it names, a fixed holiday's, or null).
Directive lines are dropped; the markup characters are not part of the text.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from .gold import GoldDoc

_MARKERS = [r"第[一二三四五六七八九十百]+[章节条部分]+\s*", r"[一二三四五六七八九十]+[、．.]", r"[（(][一二三四五六七八九十]+[)）]",
            r"\d{1,2}[.、．](?!\d)", r"[（(]\d{1,2}[)）]", r"[①-⑳]"]
_MARKER = re.compile("^(?:" + "|".join(_MARKERS) + ")")
_MENTION = re.compile(r"\{([^{}]+)\}([\^+]?)|\[([^\[\]]+)\]")
_MONTH = re.compile(r"(1[0-2]|0?[1-9]|十[一二]|[一二三四五六七八九十元])月")
_CN = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11,
       "十二": 12, "元": 1}
_HOLIDAY = {"元旦": 1, "三八": 3, "妇女节": 3, "植树节": 3, "五一": 5, "劳动节": 5, "五四": 5, "青年节": 5,
            "护士节": 5, "六一": 6, "儿童节": 6, "七一": 7, "建党": 7, "八一": 8, "建军节": 8, "教师节": 9, "国庆": 10}
_LOOSE_MARKER = re.compile(r"^\d{1,2}[.、．]")   # a declared heading may run into a digit: "2.6月……"
ROLES = {"^": "organizer", "+": "participant", "": "other"}


def month_of(expr: str) -> Optional[int]:
    """The month a date expression names (GUIDE.md): its first month, a fixed holiday's, else None
    (read in Simplified, half-width form: 國慶 and １月 too)."""
    from ..ingest.normalize import normalize

    expr = normalize(expr)
    if re.search(r"农历|正月|腊月|春节|端午|中秋|新春", expr):
        return None
    m = _MONTH.search(expr)
    if m:
        g = m.group(1)
        return int(g) if g.isdigit() else _CN[g]
    return next((v for k, v in _HOLIDAY.items() if k in expr), None)


def heading_title(rest: str) -> str:
    """GUIDE.md's title: up to the first 。, trailing 。；;：: dropped, trimmed."""
    t = rest.split("。")[0] if "。" in rest else rest
    return t.strip().rstrip("。；;：:").strip()


def _cells(spec: str) -> dict:
    cells = (spec.split("|") + ["", "", "", ""])[:4]
    year = int(cells[0]) if cells[0].strip().isdigit() else None
    return {"year": year, "region": cells[1].strip() or None, "admin_level": cells[2].strip() or None,
            "body": cells[3].strip() or None}


def parse_page(source: str, name: str, group: str) -> GoldDoc:
    """The text and gold of one page written in the markup above."""
    lines: list[str] = []
    plans, headings, dates, orgs = [], [], [], []
    pending: Optional[dict] = None
    for raw in source.rstrip("\n").split("\n"):
        if raw.startswith("#P"):
            pending = {"titled": not raw.startswith("#P0"), **_cells(raw[3:] if raw.startswith("#P0") else raw[2:])}
            continue
        head = None
        if raw.startswith("@") and "\t" in raw:
            spec, raw = raw[1:].split("\t", 1)
            parts = spec.split("|")
            head = {"level": int(parts[0]), "category": parts[1], "title": parts[2] if len(parts) > 2 else None}
        text, pos, cursor = [], 0, 0
        for m in _MENTION.finditer(raw):
            text.append(raw[pos:m.start()])
            cursor += m.start() - pos
            expr = m.group(1) or m.group(3)
            item = {"line": len(lines), "col": cursor, "text": expr}
            if m.group(1) is not None:
                orgs.append({**item, "role": ROLES[m.group(2)]})
            else:
                dates.append({**item, "month": month_of(expr)})
            text.append(expr)
            cursor += len(expr)
            pos = m.end()
        text.append(raw[pos:])
        line = "".join(text)
        if pending is not None:
            title = line.strip() if pending.pop("titled") else ""
            plans.append({"line": len(lines), "title": title, **pending})
            pending = None
        if head is not None:
            body = line.strip()
            mk = _MARKER.match(body) or _LOOSE_MARKER.match(body)
            marker = mk.group(0).strip() if mk else ""
            title = head["title"] if head["title"] is not None else heading_title(body[mk.end():] if mk else body)
            headings.append({"line": len(lines), "level": head["level"], "marker": marker, "title": title,
                             "category": head["category"]})
        lines.append(line)
    text = "\n".join(lines)
    starts, p = [], 0
    for ln in lines:
        starts.append(p)
        p += len(ln) + 1
    for m in [*dates, *orgs]:
        s = starts[m["line"]] + m["col"]
        m["span"] = (s, s + len(m["text"]))
    return GoldDoc(name=name, group=group, text=text, starts=starts, plans=plans, headings=headings,
                   dates=dates, organizations=orgs)


def load_folder(folder: Path) -> list[GoldDoc]:
    """Every page of a style folder (``*.txt``), named ``<style>-<stem>``."""
    return [parse_page(p.read_text(encoding="utf-8"), f"{folder.name}-{p.stem}", "synthetic")
            for p in sorted(folder.glob("*.txt"))]


def to_gold_json(doc: GoldDoc) -> dict:
    """The GUIDE.md JSON of a page (for ``check_gold.py``)."""
    strip = lambda items: [{k: v for k, v in it.items() if k != "span"} for it in items]   # noqa: E731
    return {"id": doc.name, "source": "synthetic", "text": doc.text, "plans": doc.plans,
            "headings": doc.headings, "dates": strip(doc.dates), "organizations": strip(doc.organizations)}


def main(argv: Optional[list[str]] = None) -> int:
    """``python -m parser.learn.synthetic STYLE_DIR OUT_DIR``: write each page's .txt and .json (to check)."""
    import json
    import sys

    args = sys.argv[1:] if argv is None else argv
    src, out = Path(args[0]), Path(args[1])
    out.mkdir(parents=True, exist_ok=True)
    for doc in load_folder(src):
        (out / f"{doc.name}.txt").write_text(doc.text, encoding="utf-8")
        (out / f"{doc.name}.json").write_text(json.dumps(to_gold_json(doc), ensure_ascii=False, indent=1),
                                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
