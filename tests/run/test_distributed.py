"""--engine dask on a LocalCluster with two workers: partitioned Parquet equal to the local engine's."""
from __future__ import annotations

import pandas as pd
import pytest

from parser.cli import main
from parser.run.distributed import run_dask
from parser.pipeline import Options

PLAN = "某区政协{y}年工作要点\n一、加强学习\n{y}年5月中旬组织委员学习。\n二、协商议政\n（一）专题协商\n围绕城区交通开展协商。\n"


@pytest.fixture
def inputs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(10):
        (src / f"plan{i:02d}.txt").write_text(PLAN.format(y=2015 + i), encoding="utf-8")
    (src / "empty.txt").write_bytes(b"")
    (src / "nav.txt").write_text("当前位置：首页 > 通知公告\n", encoding="utf-8")     # furniture only: no plan
    return src


def test_dask_local_cluster_matches_local_engine(tmp_path, inputs, capsys):
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    try:
        code = run_dask([str(inputs)], str(tmp_path / "dask"), Options(extract=False), scheduler=cluster.scheduler_address,
                        quiet=True, files_per_partition=3)
        with Client(cluster.scheduler_address) as client:
            workers = client.scheduler_info()["workers"]
            assert len(workers) == 2
    finally:
        cluster.close()
    assert code == 1  # the empty file failed, the rest ran
    err = capsys.readouterr().err
    assert "empty.txt" in err
    assert [ln for ln in err.splitlines() if "warning:" in ln and "no plan" in ln and "nav.txt" in ln]
    parts = sorted((tmp_path / "dask" / "plans").glob("part-*.parquet"))
    assert len(parts) == 4  # 10 good files, 3 per partition
    got = pd.read_parquet(tmp_path / "dask" / "sections").sort_values(["doc_id", "section_id"]).reset_index(drop=True)
    assert main(["parse", str(inputs), "--out", str(tmp_path / "local"), "--format", "parquet", "--workers", "1",
                 "--no-extract", "--quiet"]) == 1
    want = pd.read_parquet(tmp_path / "local" / "sections.parquet").sort_values(["doc_id", "section_id"]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)
    years = sorted(pd.read_parquet(tmp_path / "dask" / "plans")["title"].str.slice(4, 8).astype(int))
    assert years == list(range(2015, 2025))
