"""Hard kills of ``planparser parse`` (``--workers 2`` with json and parquet, ``--engine dask``): after a
SIGKILL every output file present is complete, and the re-run skips what was finished and ends with
the bytes of an uninterrupted run. A write that fails for lack of room stops the batch with a clear
error and leaves the previous files as they were.

The kills are real: the batch runs in its own process group (workers, Dask's scheduler and nannies)
and the whole group gets SIGKILL once it has finished some inputs. Nothing is mocked.
"""
from __future__ import annotations

import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from parser.run.resume import LOG, STATE, input_key

ROOT = Path(__file__).resolve().parents[2]
UNITS = ["区政协办公室", "街道党工委", "镇人民政府", "县妇联", "文化站"]


def plan_text(i: int) -> str:
    """An invented plan of about 3,000 characters: headings, dates and organisers to extract."""
    lines = [f"第{i}号{UNITS[i % 5]}{2018 + i % 7}年工作计划"]
    for h, head in enumerate(["加强理论学习", "开展协商议政", "推进民生实事", "强化自身建设"]):
        lines.append(f"{'一二三四'[h]}、{head}")
        for k in range(6):
            lines.append(f"（{'一二三四五六'[k]}）第{k + 1}项重点工作")
            lines.append(f"{(i + k) % 12 + 1}月中旬，由{UNITS[(i + k) % 5]}牵头，邀请{UNITS[(i + h) % 5]}参加，"
                         f"围绕第{i}片区开展专题调研，每季度召开一次推进会，年底前形成报告。")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("texts")
    for i in range(96):
        (src / f"plan{i:03d}.txt").write_text(plan_text(i), "utf-8")
    return src


def parse_cmd(src: Path, out: Path, *flags: str) -> list[str]:
    return [sys.executable, "-m", "parser.cli", "parse", str(src), "--out", str(out), "--quiet", *flags]


def files(out: Path) -> dict[str, str]:
    """Output files (resume state and temporaries aside) → sha1."""
    return {p.relative_to(out).as_posix(): hashlib.sha1(p.read_bytes()).hexdigest() for p in sorted(out.rglob("*"))
            if p.is_file() and STATE not in p.parts and not p.name.endswith(".part")}


def complete(out: Path) -> None:
    """Every output file under its final name loads: nothing is half-written."""
    for p in out.rglob("*"):
        if not p.is_file() or STATE in p.parts or p.name.endswith(".part"):
            continue
        if p.suffix == ".json":
            json.loads(p.read_bytes())
        elif p.suffix == ".parquet":
            pq.read_table(p)


def kill_when(cmd: list[str], ready, timeout: float = 240) -> None:
    """Run ``cmd`` in its own process group; SIGKILL the group as soon as ``ready()`` holds."""
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + timeout
    try:
        while not ready() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert proc.poll() is None, "the batch ended before it could be killed"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(60)


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600, **kw)


def recorded_keys(out: Path) -> set[str]:
    """Keys of the inputs a run recorded as finished: spooled rows, or lines of the finished-inputs log."""
    keys = {p.stem for p in (out / STATE).rglob("*.pkl")}
    for log in (out / STATE).rglob(LOG):
        for line in log.read_text("utf-8").splitlines():
            try:
                keys.add(json.loads(line)[0])
            except ValueError:      # the line a kill cut short
                pass
    return keys


def recorded(src: Path, out: Path) -> set[str]:
    """The inputs (doc ids) the killed run recorded as finished."""
    keys = recorded_keys(out)
    return {p.stem for p in sorted(src.glob("*.txt")) if input_key(str(p), p.stem) in keys}


def spooled(out: Path) -> int:
    return len(recorded_keys(out)) if (out / STATE).is_dir() else 0


@pytest.mark.parametrize("fmt, workers", [("json", "2"), ("parquet", "2"), ("json", "1")])
def test_parse_killed_with_two_workers_resumes_to_identical_bytes(inputs, tmp_path, fmt, workers):
    # with one worker the JSON is streamed from the document to its file, and its recorded hash is the file's
    ref, out = tmp_path / "ref", tmp_path / "out"
    done = run(parse_cmd(inputs, ref, "--format", fmt, "--workers", workers))
    assert done.returncode == 0, done.stderr
    kill_when(parse_cmd(inputs, out, "--format", fmt, "--workers", workers), lambda: spooled(out) >= 16)
    complete(out)
    finished = recorded(inputs, out)
    before = {p: p.stat().st_mtime_ns for p in out.glob("*.json") if p.stem in finished}
    if fmt == "json":
        assert len(before) >= 16                   # finished inputs are on disk, each file whole
    else:
        assert not list(out.glob("*.parquet"))     # combined tables appear only complete, at the end
    again = run(parse_cmd(inputs, out, "--format", fmt, "--workers", workers))
    assert again.returncode == 0, again.stderr
    assert files(out) == files(ref)                # the bytes of an uninterrupted run
    assert all(p.stat().st_mtime_ns == t for p, t in before.items())     # finished inputs were not redone
    assert not (out / STATE).exists() and not list(out.rglob("*.part"))


def test_no_resume_parses_everything_again(inputs, tmp_path):
    out = tmp_path / "out"
    kill_when(parse_cmd(inputs, out, "--format", "json", "--workers", "2"), lambda: spooled(out) >= 8)
    finished = recorded(inputs, out)
    before = {p: p.stat().st_mtime_ns for p in out.glob("*.json") if p.stem in finished}
    again = run(parse_cmd(inputs, out, "--format", "json", "--workers", "2", "--no-resume"))
    assert again.returncode == 0, again.stderr
    assert before and all(p.stat().st_mtime_ns != t for p, t in before.items())


def test_dask_killed_resumes_to_identical_partitions(inputs, tmp_path):
    ref, out = tmp_path / "ref", tmp_path / "out"
    flags = ("--engine", "dask")
    done = run(parse_cmd(inputs, ref, *flags))
    assert done.returncode == 0, done.stderr
    markers = lambda: len(list((out / STATE).rglob("part-*.json"))) if (out / STATE).is_dir() else 0  # noqa: E731
    kill_when(parse_cmd(inputs, out, *flags), lambda: markers() >= 2)
    complete(out)
    kept = {p: p.stat().st_mtime_ns for p in (out / "plans").glob("part-*.parquet")}
    again = run(parse_cmd(inputs, out, *flags))
    assert again.returncode == 0, again.stderr
    assert "partitions kept from the interrupted run" in again.stderr or not again.stderr
    assert files(out) == files(ref)
    assert sum(1 for p, t in kept.items() if p.stat().st_mtime_ns == t) >= 2      # finished partitions kept


def _limit_files(size: int):
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def test_disk_full_stops_the_batch_and_keeps_the_previous_files(inputs, tmp_path):
    """Simulated with RLIMIT_FSIZE on the child process: the kernel refuses to grow a file beyond the limit
    (EFBIG; Python ignores SIGXFSZ), as a full disk refuses with ENOSPC. One input is far larger than the
    others, so its JSON is the write that fails; the file it would replace keeps its old bytes."""
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a", "b"):
        (src / f"{name}.txt").write_text(plan_text(ord(name)), "utf-8")
    (src / "big.txt").write_text(plan_text(7) * 12, "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "big.json").write_text('{"old": true}', "utf-8")
    full = run(parse_cmd(src, out, "--format", "json", "--workers", "1", "--no-extract"),
               preexec_fn=_limit_files(200_000))
    assert full.returncode == 1
    err = [ln for ln in full.stderr.splitlines() if ln.startswith("planparser: error:")]
    assert len(err) == 1 and "big.json" in err[0] and "File too large" in err[0] and "run the same command" in err[0]
    assert "Traceback" not in full.stderr
    assert (out / "big.json").read_text("utf-8") == '{"old": true}'          # the previous state, intact
    assert not list(out.rglob("*.part"))
    complete(out)
    again = run(parse_cmd(src, out, "--format", "json", "--workers", "1", "--no-extract"))
    assert again.returncode == 0, again.stderr
    assert json.loads((out / "big.json").read_text("utf-8"))["doc_id"] == "big"


def test_a_log_line_cut_by_a_kill_is_skipped_and_the_next_record_starts_a_line_of_its_own(tmp_path):
    from parser.pipeline import Options
    from parser.run.resume import ParseResume, _read_log

    first = ParseResume(tmp_path / "out", ("json",), Options())
    first.log_path.write_text('["k1", ["a"]]\n["k2", ["b', "utf-8")     # killed mid-line
    again = ParseResume(tmp_path / "out", ("json",), Options())
    assert again.logged == {"k1": (["a"], None)}        # a line without a plan count (an older state)
    again.keys["doc"] = "k3"
    again.record("doc", ["{}"], plans=0)
    assert _read_log(again.log_path)[0]["k3"][1] == 0   # the plan count, so a resumed run counts "no plan"
    assert set(_read_log(again.log_path)[0]) == {"k1", "k3"}
