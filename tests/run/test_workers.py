"""Worker processes: forked after the parent's warm-up (nothing loaded again), tasks sized by bytes."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from parser.run.batch import TASK_BYTES, TASK_FILES, tasks

PLAN = "某镇2024年工作计划\n一、加强学习\n3月中旬，镇政协联络组组织委员集中学习，邀请县政协办公室参加。\n"

# counts, per process, every load from the cache (parent and workers alike)
SPY = r"""
import os, sys
from parser.extract import gazetteer, jieba_tables
from parser.run.batch import run_parse
from parser.pipeline import Options
from parser.tables.output import Writer

def spy(real):
    def cached(*args, **kwargs):
        with open(sys.argv[2], "a", encoding="utf-8") as fh:
            fh.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)
    return cached

jieba_tables.cached = spy(jieba_tables.cached)
gazetteer.cached = spy(gazetteer.cached)
batch = run_parse([sys.argv[1]], [Writer(sys.argv[3], "json")], Options(), quiet=True, workers=2)
print(os.getpid(), batch.ok, batch.failed)
"""


def test_forked_workers_load_nothing_again(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for i in range(6):
        (inputs / f"p{i}.txt").write_text(PLAN * (i + 1), encoding="utf-8")
    log = tmp_path / "loads.txt"
    env = {**os.environ, "PLANPARSER_CACHE_DIR": str(tmp_path / "cache")}
    out = subprocess.run([sys.executable, "-c", SPY, str(inputs), str(log), str(tmp_path / "out")], env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    parent, ok, failed = out.stdout.split()
    assert (ok, failed) == ("6", "0")
    loaders = log.read_text(encoding="utf-8").split()
    assert len(loaders) == 2                # jieba with our words and tags, the gazetteer: once each
    assert set(loaders) == {parent}         # all in the parent, before the workers were forked
    assert len(list((tmp_path / "out").glob("*.json"))) == 6


def test_tasks_group_small_files_and_give_a_long_file_its_own(tmp_path):
    items = []
    for i, size in enumerate([1000] * 40 + [TASK_BYTES * 2] + [3000] * 5):
        p = tmp_path / f"f{i:02d}.txt"
        p.write_bytes(b"x" * size)
        items.append((str(p), None, f"f{i:02d}"))
    items.insert(3, (str(tmp_path / "missing.txt"), FileNotFoundError("gone"), "missing"))
    groups = tasks(items)
    assert [it for g in groups for it in g] == items          # every input once, in order
    assert all(len(g) <= TASK_FILES for g in groups)
    # 41 small inputs (one of them missing) at most TASK_FILES a task, the long file alone, then the rest
    assert [len(g) for g in groups] == [TASK_FILES, TASK_FILES, 41 - 2 * TASK_FILES, 1, 5]
    assert Path(groups[3][0][0]).stat().st_size > TASK_BYTES
