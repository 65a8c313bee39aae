"""Gold documents as training data: the text, its lines, and every annotation with its character span.

Mention spans are placed by ``score.py``'s own ``gold_spans`` (read from ../shared/eval at build time),
so what a model learns is exactly what the scorer compares.
"""
from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Iterator, Optional

from .split import is_test


@dataclass
class GoldDoc:
    """One annotated document (GUIDE.md): annotations keep the gold's keys, mentions get ``span``."""

    name: str                       # the file stem (p123, seed)
    group: str                      # the gold folder (dev, dev2, train, or a synthetic set)
    text: str
    starts: list[int]               # character offset of each line
    plans: list[dict]
    headings: list[dict]
    dates: list[dict] = field(default_factory=list)
    organizations: list[dict] = field(default_factory=list)

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def line_span(self, i: int) -> tuple[int, int]:
        """(start, end) of line ``i`` without its newline."""
        end = self.starts[i + 1] - 1 if i + 1 < len(self.starts) else len(self.text)
        return self.starts[i], end


@lru_cache(maxsize=1)
def scorer() -> ModuleType:
    """``../shared/eval/score.py`` as a module (its span placement is the scorer's)."""
    from .evaluate import SHARED

    path = SHARED / "eval" / "score.py"
    spec = importlib.util.spec_from_file_location("planparser_gold_score", path)
    if spec is None or spec.loader is None or not path.exists():
        raise FileNotFoundError(f"{path}: score.py is needed to place gold mentions")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load(path: Path, group: Optional[str] = None) -> GoldDoc:
    """Read one gold JSON file; dates and organisations get their ``span`` in the text."""
    g = json.loads(Path(path).read_text(encoding="utf-8"))
    sc = scorer()
    text = g["text"]
    starts = sc.line_starts(text)
    return GoldDoc(name=Path(path).stem, group=group or Path(path).parent.name, text=text, starts=starts,
                   plans=g.get("plans") or [], headings=g.get("headings") or [],
                   dates=sc.gold_spans(text, starts, g.get("dates") or []),
                   organizations=sc.gold_spans(text, starts, g.get("organizations") or []))


def load_all(paths: list[Path]) -> list[GoldDoc]:
    """Training documents from gold files; a file of the frozen test split is refused, never read."""
    leaked = [p for p in paths if is_test(Path(p).stem) and Path(p).parent.name in ("dev", "dev2", "train")]
    if leaked:
        raise ValueError(f"{leaked[0]}: a document of the frozen test split cannot be training data")
    return [load(p) for p in paths]


@dataclass
class PlanText:
    """One plan the parser finds in a gold document, as the parser hands it to the finders: its text
    without converter pinyin (``view``, parser.ingest.debris), where it starts in the document, where
    annotated text begins in it (the first gold plan line) and its page furniture (view offsets)."""

    gold: GoldDoc
    view: object                    # parser.ingest.debris.Compact
    start: int
    end: int
    skip_before: int
    furniture: list[tuple[int, int]]

    def spans(self, mentions: list[dict]) -> list[dict]:
        """The gold ``mentions`` inside the plan, with their spans on the view."""
        s, e = self.start, self.end
        return [dict(g, span=self.view.to_compact((g["span"][0] - s, g["span"][1] - s)))
                for g in mentions if s <= g["span"][0] < e]


def plan_texts(docs: list[GoldDoc]) -> Iterator[PlanText]:
    """The plans the parser's structure stage finds in each gold document (models of the model folder)."""
    from ..ingest.debris import compact
    from ..ingest.read import make_document
    from ..pipeline import Options, Parser

    parser = Parser(Options(extract=False))
    for d in docs:
        doc = parser.parse(make_document(d.text, d.name))
        first = min((p["line"] for p in d.plans), default=0)
        begin = d.starts[first] if first < len(d.starts) else 0
        for plan in doc.plans:
            s, e = plan.span
            view = compact(doc.norm[s:e])
            furn = [view.to_compact((max(a, s) - s, min(b, e) - s)) for a, b in doc.furniture if a < e and b > s]
            yield PlanText(d, view, s, e, view.at(max(0, begin - s)), furn)
