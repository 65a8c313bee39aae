"""``python -m parser.learn train``: rebuild every model from the gold sets, deterministically.

Each model is one module of ``parser.learn`` with ``NAME``, ``FILES`` (what it writes) and
``train(docs, out) -> dict``. They run in the order data flows (lines before the models that read
the parser's structure), each reading the models already written to ``out``. The frozen test split
is never read. ``--cv`` also prints each model's own cross-validated figures (by document).
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

from ..models import BUNDLED, ENV
from .evaluate import gold_folders
from .gold import GoldDoc, load_all
from .split import split
from .synthetic import load_folder

ROOT = Path(__file__).resolve().parents[2]
# the model trainers in the order data flows (parser.learn.<name>)
ORDER = ("lines", "dates", "orgs", "roles", "metadata", "categories")


def trainer(name: str):
    """The trainer module of model ``name``."""
    return importlib.import_module(f"{__package__}.{name}")


def available() -> list[str]:
    """The trainers that exist in this checkout, in order."""
    out = []
    for name in ORDER:
        try:
            trainer(name)
        except ModuleNotFoundError:
            continue
        out.append(name)
    return out


def synthetic_folders() -> list[Path]:
    """Folders of synthetic pages written by us (corpus/train/<style>/*.txt in the markup of
    ``parser.learn.synthetic``), training data only."""
    base = ROOT / "corpus" / "train"
    return [p for p in sorted(base.iterdir()) if p.is_dir() and any(p.glob("*.txt"))] if base.is_dir() else []


def training_docs(folders: Sequence[Path], synthetic: bool = False) -> list[GoldDoc]:
    """The training documents: the real gold without the frozen test split, then our synthetic pages."""
    train, _ = split(folders)
    docs = load_all(train)
    if synthetic:
        for folder in synthetic_folders():
            docs += load_folder(folder)
    return docs


def train_all(docs: list[GoldDoc], out: Path, only: Optional[Sequence[str]] = None, quiet: bool = False) -> dict:
    """Train the models (all, or ``only``) on ``docs`` into ``out``; returns each trainer's report."""
    out.mkdir(parents=True, exist_ok=True)
    reports = {}
    old = os.environ.get(ENV)
    os.environ[ENV] = str(out)          # later trainers parse with the models written before them
    try:
        for name in available():
            if only and name not in only:
                continue
            t0 = time.perf_counter()
            reports[name] = trainer(name).train(docs, out)
            if not quiet:
                print(f"{name}: {reports[name]} ({time.perf_counter() - t0:.1f} s)", file=sys.stderr)
    finally:
        if old is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = old
    return reports


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m parser.learn train", description=__doc__)
    ap.add_argument("--gold", nargs="*", type=Path, default=None,
                    help="real gold folders (default: ../shared/eval/dev, dev2, train)")
    ap.add_argument("--out", type=Path, default=BUNDLED, help="model folder (default: parser/data/models)")
    ap.add_argument("--only", default=None, help="comma-separated models to train (default: all)")
    ap.add_argument("--synthetic", action="store_true",
                    help="also train on corpus/train's synthetic pages (off: on the frozen split they did not "
                         "raise plans or categories, though they did by cross-validation)")
    ap.add_argument("--cv", type=int, default=0, help="also print each model's K-fold figures by document")
    a = ap.parse_args(argv)
    folders = gold_folders(a.gold)
    if not folders:
        return 2
    only = a.only.split(",") if a.only else None
    docs = training_docs(folders, synthetic=a.synthetic)
    print(f"{len(docs)} training documents", file=sys.stderr)
    if a.cv:
        for name in available():
            mod = trainer(name)
            if (not only or name in only) and hasattr(mod, "cross_validate"):
                print(mod.cross_validate(docs, a.cv))
    train_all(docs, a.out, only)
    return 0
