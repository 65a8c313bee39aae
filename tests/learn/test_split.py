"""The frozen test split stays frozen: the hash rule and the list written when it was frozen agree."""
from __future__ import annotations

from pathlib import Path

import pytest

from parser.learn.split import fold_of, is_test, split

LIST = Path(__file__).resolve().parents[2] / "corpus" / "test_split.txt"


def _frozen() -> list[str]:
    return [ln.strip() for ln in LIST.read_text(encoding="utf-8").splitlines() if ln.strip() and not ln.startswith("#")]


def test_every_listed_document_is_in_the_test_split():
    names = _frozen()
    assert len(names) > 80
    assert all(is_test(n.split("/")[1]) for n in names)


def test_about_a_fifth_of_names_fall_in_the_split():
    share = sum(is_test(f"p{i:04d}") for i in range(5000)) / 5000
    assert 0.18 < share < 0.22


def test_folds_are_stable_and_balanced():
    folds = [fold_of(f"p{i:04d}", 5) for i in range(2000)]
    assert folds == [fold_of(f"p{i:04d}", 5) for i in range(2000)]
    assert min(folds.count(k) for k in range(5)) > 300


def test_the_shared_gold_splits_as_frozen():
    from conftest import SHARED

    folders = [SHARED / "eval" / s for s in ("dev", "dev2", "train")]
    if not all(f.is_dir() for f in folders):
        pytest.skip("../shared is not beside this checkout")
    train, test = split(folders)
    got = {f"{p.parent.name}/{p.stem}" for p in test}
    assert got >= set(_frozen())  # new documents may join; none listed may leave
    assert not {p.stem for p in train} & {p.stem for p in test}
