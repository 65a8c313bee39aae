"""`planparser demo` on the bundled sample: every page parsed, a summary printed, tables written."""
from __future__ import annotations

import pandas as pd

from parser.run.demo import run_demo, sample_dir


def _expected_plans() -> int:
    manifest = pd.read_csv(sample_dir() / "MANIFEST.tsv", sep="\t")
    col = [c for c in manifest.columns if "plans" in c][0]
    return int(manifest[col].sum())


def test_demo_without_crawl_parses_every_sample_page(tmp_path, capsys):
    assert run_demo(out=str(tmp_path), quiet=True, crawl=False) == 0
    out = capsys.readouterr().out
    assert "0 failed" in out
    plans = pd.read_parquet(tmp_path / "tables" / "plans.parquet")
    assert len(plans) == _expected_plans()
    assert len(list((tmp_path / "json").glob("*.json"))) == len(list(sample_dir().glob("*.*"))) - 1  # not MANIFEST


def test_demo_crawls_the_sample_as_a_local_site(tmp_path, capsys):
    assert run_demo(out=str(tmp_path), quiet=True) == 0
    out = capsys.readouterr().out
    assert "pages stored" in out and "0 failed" in out
    plans = pd.read_parquet(tmp_path / "corpus" / "tables" / "plans.parquet")
    assert len(plans) == _expected_plans()
