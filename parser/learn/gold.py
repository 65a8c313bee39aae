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
from typing import Optional

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
