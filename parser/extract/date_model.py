"""The trained date model: keeps or drops each candidate of ``date_features`` (the grammar's expressions,
a learned lexicon of time words, bare years, clock times) with a logistic model read from ``dates.json``
(written by parser.learn.dates). Without the model file the grammar alone decides, as before.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Optional

from ..model import DateMention
from ..models import json_model, model_stamp
from .date_features import Candidate, extra_candidates, features, lexicon_automaton, title_end
from .dates import describe, fill_plan_year, grammar_dates
from .linear import LinearModel, from_dict

MODEL = "dates.json"
FORMAT = 1


class DateModel:
    """The keep/drop model, its decision threshold (on the raw score) and its lexicon's automaton."""

    def __init__(self, data: dict, source: str = "<dict>"):
        if data.get("format") != FORMAT:
            raise ValueError(f"{source}: date model format {data.get('format')!r}, expected {FORMAT}")
        self.model: LinearModel = from_dict(data["model"], source)
        self.threshold: float = float(data.get("threshold", 0.0))
        self.words: list[str] = list(data.get("lexicon") or [])
        self.lexicon: Any = lexicon_automaton(self.words)

    def keeps(self, feats: dict[str, float]) -> bool:
        return self.model.scores(feats)[0] > self.threshold


@lru_cache(maxsize=4)
def _load(path: str, mtime: float) -> DateModel:
    return DateModel(json_model(MODEL), path)


def load() -> Optional[DateModel]:
    """The date model of the model folder (read once per file), or None without one."""
    stamp = model_stamp(MODEL)
    return None if stamp is None else _load(*stamp)


def candidates(norm: str, start: int, end: int, plan_year: Optional[int], lexicon: Any) -> list[Candidate]:
    """The grammar's expressions, then the other sources' spans that overlap none of them (``lexicon``:
    the automaton of the time words, or None), in text order."""
    found = [Candidate(m.span, "g:" + kind, m) for m, kind in grammar_dates(norm, start, end, plan_year)]
    found += extra_candidates(norm, start, end, [c.span for c in found], lexicon)
    return sorted(found, key=lambda c: c.span)


def mention_of(norm: str, cand: Candidate, plan_year: Optional[int]) -> DateMention:
    """The mention of a kept candidate: the grammar's reading, else the fields its text gives."""
    if cand.mention is not None:
        return cand.mention
    s, e = cand.span
    text = norm[s:e]
    if cand.source == "year":
        return DateMention(text=text, span=(s, e), year=int(text), year_source="text")
    m = describe(text, (s, e), "hol", None, plan_year) if cand.source == "lex" else DateMention(text=text, span=(s, e))
    if cand.source == "clock":
        m.time = text
    fill_plan_year(m, plan_year)
    return m


def find_dates(norm: str, start: int = 0, end: Optional[int] = None,
               plan_year: Optional[int] = None) -> list[DateMention]:
    """The time expressions of ``norm[start:end]`` the model keeps (the grammar's alone without a model)."""
    end = len(norm) if end is None else end
    model = load()
    if model is None:
        return [m for m, _ in grammar_dates(norm, start, end, plan_year)]
    te = title_end(norm, start, end)
    return [mention_of(norm, c, plan_year) for c in candidates(norm, start, end, plan_year, model.lexicon)
            if model.keeps(features(norm, c, te))]
