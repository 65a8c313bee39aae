"""Scale-out: throughput and peak memory of `planparser parse` with 1, 2 and all workers, as ratios
to one worker in the same run, and a check that every run wrote identical bytes.

usage: uv run python benchmarks/bench_scale.py [--mb 20] [--format parquet] [--extract/--no-extract]

Texts: ../shared/eval/dev/*.txt (else corpus/sample) copied into files until --mb megabytes.
Peak memory is the largest resident set of any one process of the run (parent or worker).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SHARED  # noqa: E402


def make_inputs(folder: Path, mb: float) -> int:
    src = SHARED / "eval" / "dev" if (SHARED / "eval" / "dev").is_dir() else ROOT / "corpus" / "sample"
    base = [p.read_bytes() for p in sorted(src.glob("*.txt"))]
    size, i = 0, 0
    while size < mb * 1024 * 1024:
        data = base[i % len(base)]
        (folder / f"doc{i:06d}.txt").write_bytes(data)
        size += len(data)
        i += 1
    return size


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.iterdir()):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def run(inputs: Path, out: Path, workers: int, fmt: str, extract: bool) -> dict:
    cmd = [sys.executable, "-m", "parser.cli", "parse", str(inputs), "--out", str(out), "--format", fmt,
           "--workers", str(workers), "--quiet"]
    if not extract:
        cmd.append("--no-extract")
    # a fresh wrapper per run, so the peak it reports is this run's own (largest process of its tree)
    wrapper = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
               "subprocess.run(sys.argv[1:], check=True); "
               "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    res = subprocess.run([sys.executable, "-c", wrapper, *cmd], check=True, cwd=ROOT, capture_output=True, text=True)
    seconds, peak_kb = res.stdout.split()[-2:]
    return {"workers": workers, "seconds": float(seconds), "peak_mb": int(peak_kb) / 1024, "digest": digest(out)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=20.0)
    ap.add_argument("--format", default="parquet", choices=("parquet", "json", "csv", "jsonl"))
    ap.add_argument("--no-extract", action="store_true")
    a = ap.parse_args()
    cores = len(os.sched_getaffinity(0))
    tmp = Path(tempfile.mkdtemp(prefix="planparser-scale-"))
    inputs = tmp / "in"
    inputs.mkdir()
    size = make_inputs(inputs, a.mb)
    counts = sorted({1, 2, cores})
    rows = [run(inputs, tmp / f"out{n}", n, a.format, not a.no_extract) for n in counts]
    base = rows[0]
    print(f"input: {size / 1048576:.1f} MB in {len(list(inputs.iterdir()))} files; {cores} cores; format {a.format}; "
          f"extraction {'off' if a.no_extract else 'on'}")
    print(f"{'workers':>8}{'seconds':>9}{'MB/s':>8}{'× one worker':>14}{'peak MB/process':>17}  output digest")
    for r in rows:
        print(f"{r['workers']:>8}{r['seconds']:>9.2f}{size / 1048576 / r['seconds']:>8.2f}"
              f"{base['seconds'] / r['seconds']:>14.2f}{r['peak_mb']:>17.0f}  {r['digest']}")
    same = len({r["digest"] for r in rows}) == 1
    print("outputs identical across worker counts:", same)
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
