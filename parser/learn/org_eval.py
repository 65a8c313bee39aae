"""Training views of the gold for the organisation models, and their figures as score.py counts them.

Each gold document is parsed into plans (the structure stage, as the parser runs); the tagger and the
role model then see each plan's normalised text alone, as ``Parser`` gives it to ``find_orgs``. Gold
mentions are annotated inside gold plans only, so the lines before the first gold plan and the page
furniture the parser leaves out are no training text. Figures: span P/R/F1 (relaxed = overlap, strict =
equal spans), role accuracy over relaxed matches and organizers' P/R/F1, as ``score.py`` computes them.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional, Sequence

from ..models import ENV
from .gold import GoldDoc, plan_texts, scorer

Span = tuple[int, int]


@dataclass
class PlanView:
    """One predicted plan of a gold document: its normalised text and the gold mentions in it."""

    doc: str
    norm: str
    offset: int                     # where the plan starts in the document
    gold: list[dict]                # gold mentions inside the plan: span (plan offsets), role, text
    skip_before: int                # no gold is annotated before this offset (the first gold plan line)
    furniture: list[Span] = field(default_factory=list)   # furniture lines inside the plan (plan offsets)

    def counts(self, pos: int) -> bool:
        """Whether a mention starting at ``pos`` is kept by the parser (not in page furniture)."""
        return not any(a <= pos < b for a, b in self.furniture)

    def trains(self, pos: int) -> bool:
        """Whether text at ``pos`` is training text (annotated, not furniture)."""
        return pos >= self.skip_before and self.counts(pos)


def plan_views(docs: Sequence[GoldDoc], mentions: str = "organizations") -> list[PlanView]:
    """The plans the parser finds in each gold document, with the gold ``mentions`` (organizations or
    dates) they hold, on the text the parser gives the finders (converter pinyin removed)."""
    return [PlanView(p.gold.name, p.view.text, p.start, p.spans(getattr(p.gold, mentions)), p.skip_before,
                     p.furniture) for p in plan_texts(list(docs))]


@contextmanager
def model_folder(path: Optional[Path]) -> Iterator[None]:
    """Run with ``$PLANPARSER_MODEL_DIR`` set to ``path`` (an empty folder: the rules decide)."""
    old = os.environ.get(ENV)
    os.environ[ENV] = str(path)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = old


@dataclass
class Tally:
    """score.py's counts for organisations."""

    gold: int = 0
    pred: int = 0
    relaxed: int = 0
    strict: int = 0
    role_ok: int = 0
    org_gold: int = 0
    org_pred: int = 0
    org_tp: int = 0

    def add(self, gold: list[dict], pred: list[dict]) -> None:
        sc = scorer()
        pairs = sc.match_spans(gold, pred, False)
        self.gold += len(gold)
        self.pred += len(pred)
        self.relaxed += len(pairs)
        self.strict += len(sc.match_spans(gold, pred, True))
        self.role_ok += sum(g["role"] == p["role"] for g, p in pairs)
        go = [g for g in gold if g["role"] == "organizer"]
        po = [p for p in pred if p["role"] == "organizer"]
        self.org_gold += len(go)
        self.org_pred += len(po)
        self.org_tp += len(sc.match_spans(go, po, False))

    def merge(self, other: "Tally") -> None:
        """Add another tally's counts to this one."""
        for key in vars(self):
            setattr(self, key, getattr(self, key) + getattr(other, key))

    @staticmethod
    def _prf(tp: int, gold: int, pred: int) -> tuple[float, float, float]:
        p = tp / pred if pred else 0.0
        r = tp / gold if gold else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def figures(self) -> dict[str, float]:
        p, r, f = self._prf(self.relaxed, self.gold, self.pred)
        sp, sr, sf = self._prf(self.strict, self.gold, self.pred)
        op, orr, of = self._prf(self.org_tp, self.org_gold, self.org_pred)
        return {"P": p, "R": r, "F1": f, "strict_F1": sf, "role": self.role_ok / self.relaxed if self.relaxed else 0.0,
                "org_P": op, "org_R": orr, "org_F1": of}


def format_figures(label: str, fig: dict[str, float]) -> str:
    return (f"{label:<10} orgs P {fig['P']:.3f} R {fig['R']:.3f} F1 {fig['F1']:.3f} (strict {fig['strict_F1']:.3f})"
            f" · role {fig['role']:.3f} · organizers P {fig['org_P']:.3f} R {fig['org_R']:.3f} F1 {fig['org_F1']:.3f}")


def score_views(views: Sequence[PlanView], find: Callable[[str], list]) -> Tally:
    """Run ``find`` (``find_orgs`` on a plan's text) on each view and count against its gold."""
    t = Tally()
    for v in views:
        pred = [{"span": m.span, "role": m.role} for m in find(v.norm) if v.counts(m.span[0])]
        t.add(v.gold, pred)
    return t
