"""Canonical places: a plan's region in Simplified script, with its province, city and 6-digit division code.

The division table (data/gazetteer.tsv, the gazetteer's source) gives each county, city and province its
parents and code. The region the metadata chose is looked up there; a name several divisions share
(朝阳区 in 北京市 and in 长春市) is told apart by the places written with it (its title, the chain before
it), and what stays ambiguous is left missing, never guessed. A township or street is not in the table:
it gets the province and city of the places written with it, and no code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from ..ingest.normalize import fold_width, normalize, to_simplified
from ..model import Document, Plan, Span
from .evidence import alternation, find_source, words
from .gazetteer import find_places

DATA = Path(__file__).resolve().parents[1] / "data"
NATIONAL = "全国"
_DIRECT = "直辖行政区划"   # the table's pseudo-parent of divisions directly under a province (仙桃市)


@dataclass(frozen=True)
class Division:
    """One row of the division table: a county, city or province-level division."""

    name: str
    short: str
    level: str                  # GUIDE.md admin level: 省, 市, 县, 区
    parents: tuple[str, ...]    # from the province down, pseudo-parents dropped
    province: str
    city: Optional[str]         # the prefecture-level division holding it (itself for a city)
    code: Optional[str]


@dataclass(frozen=True)
class CanonicalPlace:
    """What a place name resolves to; a part the table cannot tell is None."""

    region: Optional[str]
    province: Optional[str] = None
    city: Optional[str] = None
    code: Optional[str] = None


def _division(name: str, short: str, level: str, parents: list[str], code: str, top_levels: dict[str, str]) -> Division:
    real = tuple(p for p in parents if not p.endswith(_DIRECT))
    province = real[0] if real else name
    if not parents:                                   # a province, or a municipality (its own city)
        city = name if level == "市" else None
    elif top_levels.get(parents[0]) == "市":          # a district or county of a municipality
        city = parents[0]
    elif len(parents) == 1 or parents[-1].endswith(_DIRECT):   # a city, or a division under its province
        city = name
    else:
        city = parents[1]
    return Division(name, short, level, real, province, city, code or None)


@lru_cache(maxsize=1)
def divisions() -> dict[str, tuple[Division, ...]]:
    """Every division of the table by its full name (a name may stand for several divisions)."""
    rows = []
    for line in (DATA / "gazetteer.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, short, level, parents, code = (line.split("\t") + [""] * 5)[:5]
            if not name.endswith(_DIRECT):
                rows.append((name, short, level, [p for p in parents.split("/") if p], code))
    top_levels = {r[0]: r[2] for r in rows if not r[3]}
    out: dict[str, list[Division]] = {}
    for name, short, level, parents, code in rows:
        out.setdefault(name, []).append(_division(name, short, level, parents, code, top_levels))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def short_names() -> dict[str, tuple[Division, ...]]:
    """Provinces and cities by their short names (宝鸡 for 宝鸡市), for a region written without its suffix."""
    out: dict[str, list[Division]] = {}
    for divs in divisions().values():
        for d in divs:
            if d.level in ("省", "市") and len(d.parents) <= 1 and len(d.short) >= 2 and d.short != d.name:
                out.setdefault(d.short, []).append(d)
    return {k: tuple(v) for k, v in out.items()}


def _common(divs: Iterable[Division]) -> tuple[Optional[str], Optional[str]]:
    """(province, city) that all of ``divs`` share, each None where they differ."""
    divs = list(divs)
    provinces = {d.province for d in divs}
    cities = {d.city for d in divs}
    return (provinces.pop() if len(provinces) == 1 else None), (cities.pop() if len(cities) == 1 else None)


def canonical_place(region: Optional[str], context: Iterable[str] = ()) -> CanonicalPlace:
    """``region`` in Simplified script with its province, city and code; ``context`` names the places
    written with it (full names), which tell apart divisions of the same name."""
    if not region:
        return CanonicalPlace(None)
    name = to_simplified(fold_width(region)).strip()
    if name == NATIONAL:
        return CanonicalPlace(name)
    table = divisions()
    context = [c for c in dict.fromkeys(to_simplified(c) for c in context) if c != name]
    candidates = table.get(name, ()) or short_names().get(name, ())
    if candidates:
        near = [d for d in candidates if set(d.parents) & set(context)]
        candidates = near or candidates
        if len(candidates) == 1:
            d = candidates[0]
            return CanonicalPlace(name, d.province, d.city, d.code)
        province, city = _common(candidates)
        return CanonicalPlace(name, province, city)
    # a township, street, community or village: the most local table division written with it, when
    # every other one written with it lies on its chain (湖北省荆州市荆州区 above 八岭山镇)
    above = [table[c][0] for c in context if len(table.get(c, ())) == 1]
    if not above:
        return CanonicalPlace(name)
    lowest = max(above, key=lambda d: len(d.parents))
    if all(d.name in lowest.parents or d is lowest for d in above):
        return CanonicalPlace(name, lowest.province, lowest.city)
    return CanonicalPlace(name)


def spellings(name: str) -> list[str]:
    """How a place may be written: its name, its divisions' short names ("宝鸡" for 宝鸡市), or for 全国
    the national bodies (data/evidence.toml)."""
    out = [name, *words()["region"].get(name, [])]
    out += [d.short for d in divisions().get(name, ()) if len(d.short) >= 2]
    return list(dict.fromkeys(out))


def _context(doc: Document, plan: Plan, span: Optional[Span]) -> list[str]:
    """Full names of the places written in the plan's title and in the chain right before ``span``
    (佛山市南海区 before 桂澜街道)."""
    names = []
    if plan.title_span:
        s, e = plan.title_span
        names += [p.name for p in find_places(doc.norm, s, e)]
    elif plan.title:                     # a page's title, not in the text
        title = normalize(plan.title)
        names += [p.name for p in find_places(title, 0, len(title))]
    if span:
        line_start = doc.norm.rfind("\n", 0, span[0]) + 1
        chain = find_places(doc.norm, line_start, span[0])
        pos = span[0]
        for p in reversed(chain):
            if p.span[1] != pos:
                break
            names.append(p.name)
            pos = p.span[0]
    return names


def describe_place(doc: Document, plan: Plan) -> None:
    """Set the plan's ``region`` (Simplified), ``region_as_written``, ``province``, ``city``,
    ``region_code`` and ``region_source`` from the region the metadata chose."""
    written = plan.region
    plan.region_as_written = written
    if not written:
        plan.region = plan.province = plan.city = plan.region_code = plan.region_source = None
        return
    name = to_simplified(fold_width(written)).strip()
    plan.region_source, span = find_source(doc, plan, re.compile(alternation(spellings(name))), head=True)
    place = canonical_place(name, _context(doc, plan, span))
    plan.region, plan.province, plan.city, plan.region_code = place.region, place.province, place.city, place.code
