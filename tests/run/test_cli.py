"""The CLI on good and bad inputs: one line per failure, the batch goes on, exit code 1 when any failed."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from parser.cli import main

PLAN = """某县政协2023年工作要点

一、加强理论学习
全年组织委员集中学习四次。
二、开展协商议政
（一）专题协商
5月中旬，县政协组织委员视察城区道路建设。
"""


def _write(tmp: Path) -> dict[str, Path]:
    files = {
        "good": tmp / "good.txt",
        "empty": tmp / "empty.txt",
        "binary": tmp / "binary.txt",
        "garbage": tmp / "garbage.txt",
        "noheadings": tmp / "noheadings.txt",
        "nobody": tmp / "nobody.html",
    }
    files["good"].write_text(PLAN, encoding="utf-8")
    files["empty"].write_bytes(b"")
    files["binary"].write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    files["garbage"].write_bytes(bytes(range(128, 256)) * 20)
    files["noheadings"].write_text("这是一段没有任何标题的文字，只是一个段落。\n", encoding="utf-8")
    files["nobody"].write_text("<html><head><title>空页面</title></head></html>", encoding="utf-8")
    return files


def test_bad_inputs_each_get_one_line_and_the_batch_goes_on(tmp_path, capsys):
    files = _write(tmp_path)
    out = tmp_path / "out"
    missing = tmp_path / "missing.txt"
    code = main(["parse", *map(str, files.values()), str(missing), "--out", str(out), "--no-extract"])
    err = capsys.readouterr().err
    assert code == 1
    lines = [ln for ln in err.splitlines() if ln.startswith("planparser: error:")]
    # one line naming each failing file, with its reason
    expect = {"empty.txt": "empty", "binary.txt": "binary", "garbage.txt": "not valid",
              "nobody.html": "no <body>", "missing.txt": "no such file"}
    for name, reason in expect.items():
        hit = [ln for ln in lines if name in ln]
        assert len(hit) == 1, (name, err)
        assert reason in hit[0]
    assert len(lines) == len(expect)
    assert "Traceback" not in err
    # the good inputs were written; the one without headings is an empty but valid result
    good = json.loads((out / "good.json").read_text(encoding="utf-8"))
    assert good["plans"]
    nohead = json.loads((out / "noheadings.json").read_text(encoding="utf-8"))
    assert len(nohead["plans"]) == 1 and nohead["plans"][0]["sections"] == []


def test_too_large_file_is_refused_with_its_size(tmp_path, capsys):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:
        fh.write(("一、标题\n" + "正文内容。" * 200 + "\n").encode("utf-8") * 17000)  # ~51 MB
    code = main(["parse", str(big), "--out", str(tmp_path / "o"), "--no-extract"])
    err = capsys.readouterr().err
    assert code == 1
    assert "big.txt" in err and "MB" in err and "--max-mb" in err


def test_all_good_exits_zero_and_rerun_is_safe(tmp_path):
    src = tmp_path / "plan.txt"
    src.write_text(PLAN, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["parse", str(src), "--out", str(out), "--no-extract", "--quiet"]) == 0
    first = (out / "plan.json").read_bytes()
    assert main(["parse", str(src), "--out", str(out), "--no-extract", "--quiet"]) == 0
    assert (out / "plan.json").read_bytes() == first
    assert not [p for p in out.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl", "text"])
def test_every_format_writes_its_files(tmp_path, fmt):
    src = tmp_path / "plan.txt"
    src.write_text(PLAN, encoding="utf-8")
    out = tmp_path / fmt
    assert main(["parse", str(src), "--out", str(out), "--format", fmt, "--no-extract", "--quiet"]) == 0
    if fmt == "csv":
        raw = (out / "plans.csv").read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")  # BOM so that Excel opens UTF-8
        df = pd.read_csv(out / "sections.csv", encoding="utf-8-sig")
        assert "title" in df.columns
    elif fmt == "parquet":
        plans = pd.read_parquet(out / "plans.parquet")
        assert str(plans["year"].dtype) == "Int64"
        assert str(plans["title"].dtype).startswith("string")
    elif fmt == "jsonl":
        rows = (out / "documents.jsonl").read_text(encoding="utf-8").splitlines()
        assert len(rows) == 1 and json.loads(rows[0])["source"].endswith("plan.txt")
    else:
        text = (out / "plan.txt").read_text(encoding="utf-8")
        assert text.splitlines()[0] == "某县政协2023年工作要点"


def test_console_script_runs_without_traceback(tmp_path):
    res = subprocess.run([sys.executable, "-m", "parser.cli", "parse", str(tmp_path / "nope.txt"), "--out",
                          str(tmp_path / "o")], capture_output=True, text=True)
    assert res.returncode == 1
    assert "nope.txt" in res.stderr and "Traceback" not in res.stderr


def test_workers_give_the_same_bytes_as_one_worker(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    for i in range(6):
        (src / f"plan{i}.txt").write_text(PLAN.replace("2023", str(2018 + i)), encoding="utf-8")
    (src / "bad.txt").write_bytes(b"")
    outs = {}
    for n in (1, 2):
        for fmt in ("json", "parquet"):
            out = tmp_path / f"{fmt}{n}"
            assert main(["parse", str(src), "--out", str(out), "--format", fmt, "--workers", str(n), "--quiet"]) == 1
            outs[(fmt, n)] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
    assert outs[("json", 1)] == outs[("json", 2)]
    assert len(outs[("json", 1)]) == 6
    assert outs[("parquet", 1)] == outs[("parquet", 2)]


def test_outputs_get_ordinary_file_permissions(tmp_path):
    import os
    import stat

    src = tmp_path / "plan.txt"
    src.write_text(PLAN, encoding="utf-8")
    old = os.umask(0o022)
    try:
        for fmt in ("json", "parquet"):
            assert main(["parse", str(src), "--out", str(tmp_path / fmt), "--format", fmt, "--no-extract", "--quiet"]) == 0
    finally:
        os.umask(old)
    for p in [*(tmp_path / "json").iterdir(), *(tmp_path / "parquet").iterdir()]:
        assert stat.S_IMODE(p.stat().st_mode) == 0o644, p
