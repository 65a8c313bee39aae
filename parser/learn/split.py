"""The frozen test split: a fixed 20% of the real gold documents, chosen by a hash of each name.

A document is in the test split when the hash of its stem falls in the lowest fifth, so the split
is random over documents, needs no stored list, and stays put when new documents join ``train/``.
Training and cross-validation never see a test document; the test figures are scored blind.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

SALT = "planparser frozen test split 2026-12-07"
TEST_SHARE = 0.2


def is_test(stem: str) -> bool:
    """Whether the gold document named ``stem`` (``p123``, ``seed``) belongs to the frozen test split."""
    digest = hashlib.sha256(f"{SALT}/{stem}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < TEST_SHARE


def gold_files(folders: Iterable[Path | str]) -> list[Path]:
    """Every gold ``NAME.json`` (with its ``NAME.txt``) in the folders given, in a stable order."""
    out = []
    for folder in folders:
        out += [p for p in sorted(Path(folder).glob("*.json")) if p.with_suffix(".txt").exists()]
    return out


def split(folders: Iterable[Path | str]) -> tuple[list[Path], list[Path]]:
    """The gold files of ``folders`` as (training, frozen test)."""
    files = gold_files(folders)
    return [p for p in files if not is_test(p.stem)], [p for p in files if is_test(p.stem)]


def fold_of(stem: str, folds: int) -> int:
    """The cross-validation fold of a training document (by document, stable across runs)."""
    digest = hashlib.sha256(f"{SALT}/fold/{stem}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % folds
