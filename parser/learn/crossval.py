"""``python -m parser.learn cv``: the whole parser cross-validated by document, scored by score.py.

The training documents are cut into K folds by a hash of their names; for each fold every model is
trained on the other folds, and the fold's documents are parsed with those models. The predictions of
all folds are then scored together, so each document is scored by models that never saw it.
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

from ..models import BUNDLED
from .evaluate import gold_folders, predict, report, score
from .split import fold_of, split
from .train import synthetic_folders, train_all, training_docs


def cross_validate(folders: Sequence[Path], k: int = 5, only: Optional[Sequence[str]] = None,
                   synthetic: bool = False, workers: int = 0) -> dict:
    """score.py's figures over the training documents, each parsed by models trained without its fold."""
    real, _ = split(folders)
    docs = training_docs(folders, synthetic=synthetic)
    synth = {d.name for d in docs} - {p.stem for p in real}
    with tempfile.TemporaryDirectory() as tmp:
        pred = Path(tmp) / "pred"
        pred.mkdir()
        for fold in range(k):
            models = Path(tmp) / f"models-{fold}"
            shutil.copytree(BUNDLED, models)     # models not retrained here stay the bundled ones
            held = [p for p in real if fold_of(p.stem, k) == fold]
            train_all([d for d in docs if d.name in synth or fold_of(d.name, k) != fold], models, only, quiet=True)
            predict(held, pred, models, workers)
            print(f"fold {fold + 1}/{k}: {len(held)} documents", file=sys.stderr)
        return score(real, pred)


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m parser.learn cv", description=__doc__)
    ap.add_argument("--gold", nargs="*", type=Path, default=None)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--only", default=None, help="models trained per fold (the others: the bundled ones)")
    ap.add_argument("--synthetic", action="store_true", help="also train each fold on corpus/train's pages")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--workers", type=int, default=0)
    a = ap.parse_args(argv)
    folders = gold_folders(a.gold)
    if not folders:
        return 2
    res = cross_validate(folders, a.folds, a.only.split(",") if a.only else None, a.synthetic, a.workers)
    return report(f"{a.folds}-fold cv", res, a.json)


__all__ = ["cross_validate", "synthetic_folders"]
