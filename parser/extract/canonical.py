"""Canonical organisation names, so that grouping by organisation never splits one body.

A mention found by parser.extract.orgs (its shared-prefix name when a list gave it one) is put in
Simplified script, its long form made short (政协宝鸡市委员会 → 宝鸡市政协, 宝鸡市人民政府 → 宝鸡市政府, sessions
dropped), and the plan's place filled in where the text leaves it out: 市政协 in a 宝鸡市 plan is 宝鸡市政协, 省委
in it 陕西省委, and a bare 政府 in it 宝鸡市政府. Rules and forms are in data/orgs/canonical.toml.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..ingest.normalize import fold_width, to_simplified
from ..model import Plan
from .orgs import lexicon, segmenter

DATA = Path(__file__).resolve().parents[1] / "data" / "orgs" / "canonical.toml"
OWN = "本级"                   # the plan's own level, whatever it is
_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class _Rules:
    rewrites: tuple[tuple[re.Pattern, str], ...]
    prefixes: tuple[str, ...]          # longest first
    bare: dict[str, dict[str, str]]    # body → {admin level: name after the place}


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    raw = tomllib.loads(DATA.read_text(encoding="utf-8"))
    return _Rules(rewrites=tuple((re.compile(r["pattern"]), r["replace"]) for r in raw["rewrite"]),
                  prefixes=tuple(sorted(raw["fill"]["prefixes"], key=len, reverse=True)), bare=raw["bare"])


@lru_cache(maxsize=4096)
def short_form(name: str) -> str:
    """``name`` in Simplified script without spaces, its long form made short (data/orgs/canonical.toml);
    kept per name (a plan names the same bodies again and again)."""
    out = _WS.sub("", to_simplified(fold_width(name)))
    for pattern, repl in _rules().rewrites:
        out = pattern.sub(repl, out)
    return out


@lru_cache(maxsize=4096)
def _level_prefix(name: str) -> Optional[str]:
    """The level word a name opens with when it stands for a place (市 in 市政协, 市体育局; not in 市场监管局,
    市中区政协), judged by the segmenter's first word."""
    first = next(iter(segmenter().cut(name, HMM=False)), "")
    bodies = lexicon().bodies
    for p in _rules().prefixes:
        if name.startswith(p) and (first == p or first.startswith(p) and (first in bodies or first[len(p):] in bodies)):
            return p
    return None


def _place_for(prefix: str, plan: Plan) -> Optional[str]:
    """The plan's place that a level word stands for: its own place of that level, or for 省/市/州 the
    province or city that holds it."""
    region = plan.region if plan.region and plan.region != "全国" else None
    if prefix == OWN:
        return region
    for place in (region, plan.city, plan.province):
        if place and place.endswith(prefix) and len(place) > len(prefix):
            if place is region and prefix == "区" and plan.admin_level != "区":
                continue        # 内蒙古自治区 is no district
            return place
    return None


def canonical_name(name: str, plan: Optional[Plan] = None) -> str:
    """The canonical form of an organisation's name in ``plan`` (without a plan: the short form only)."""
    out = short_form(name)
    if plan is None:
        return out
    prefix = _level_prefix(out)
    if prefix is not None:
        place = _place_for(prefix, plan)
        rest = out[len(prefix):]
        if place is not None:
            return place + rest
        if prefix != OWN:
            return out
        out = rest              # 本级政府 with no known place is the bare 政府 of the plan's own place
    forms = _rules().bare.get(out)
    region = plan.region if plan.region != "全国" else None
    if forms and region and plan.admin_level in forms:
        return region + forms[plan.admin_level]
    return out


def canonicalise(plan: Plan) -> None:
    """Set ``canonical`` on every organisation mention of ``plan`` (its region, city and province known)."""
    for m in plan.organizations:
        m.canonical = canonical_name(m.canonical or m.text, plan)
