"""Start-up and workers, in one run: `planparser parse` of one small file, the time to the first plan in
the Python API, and `--workers 1` against `--workers 2` on 1,000 small files and on long files; every
figure is a median of --runs, optionally beside the same figures for another revision (--baseline).

usage: uv run python benchmarks/bench_startup.py [--runs 5] [--files 1000] [--baseline REV]
                                                 [--bytecode asis|cached|both] [--skip small,long,big]

Inputs, made at run time in a temporary folder (never committed):
- one small file: the first ../shared/eval/dev text (else corpus/sample);
- 1,000 small files of about 4 KB: eval texts (dev and dev2, else corpus/sample), each followed by lines
  of other texts until 4 KB, cut at a line end;
- long files: ../shared/real/work-reports/*.txt (52 files, 5–57 K characters), skipped when absent;
- one long document: the work reports concatenated to a quarter, a half and all of --big-mb megabytes
  (this checkout only, once each): peak memory should grow linearly and stay under 400 MB at 27 MB.

Every run is a fresh process, timed whole (wall seconds; CPU seconds of it and its workers; the largest
resident set of any of its processes). --baseline REV runs the same commands on the source of REV
(`git archive` into the temporary folder, put first on PYTHONPATH) in turns with this checkout, so both
see the same machine load; outputs are compared byte for byte. The cache of precompiled tables is built by
an untimed first run (its time is reported as "first run"). Bytecode: "asis" leaves the environment as it
is (this machine sets PYTHONDONTWRITEBYTECODE=1 and uv installs no .pyc, so every import compiles);
"cached" gives each source tree a .pyc folder (-X pycache_prefix) filled by an untimed run, as pip would.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import ROOT, SHARED  # noqa: E402

# runs a command, timing it whole; polls /proc for the CPU seconds of each process of its tree (Linux)
WRAP = r"""
import json, os, resource, subprocess, sys, time
tick = os.sysconf("SC_CLK_TCK")
def tree(root):
    kids = {}
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                st = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            kids.setdefault(int(st[1]), []).append((int(pid), (int(st[11]) + int(st[12])) / tick))
    out, todo = {}, [root]
    while todo:
        for pid, cpu in kids.get(todo.pop(), []):
            out[pid] = cpu
            todo.append(pid)
    return out
t = time.perf_counter()
p = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
cpu = {}
while p.poll() is None:
    try:
        cpu.update(tree(os.getpid()))
    except Exception:
        pass
    time.sleep(0.2)
out, err = p.communicate()
w = time.perf_counter() - t
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": w, "cpu": u.ru_utime + u.ru_stime, "peak_mb": u.ru_maxrss / 1024, "rc": p.returncode,
                  "procs": sorted(cpu.values(), reverse=True), "out": out[-2000:], "err": err[-2000:]}))
"""
API = ("import sys, time; t = time.perf_counter(); import parser; doc = parser.parse_file(sys.argv[1]); "
       "print(round(time.perf_counter() - t, 4), doc.plans[0].title if doc.plans else None)")


def eval_texts() -> list[str]:
    srcs = [SHARED / "eval" / "dev", SHARED / "eval" / "dev2"]
    files = [p for s in srcs if s.is_dir() for p in sorted(s.glob("*.txt"))] or sorted((ROOT / "corpus" / "sample").glob("*.txt"))
    return [p.read_text(encoding="utf-8-sig") for p in files]


def make_small(folder: Path, n: int, target: int = 4096) -> int:
    """``n`` files of about ``target`` bytes: a text, then lines of the next texts up to the target."""
    texts = eval_texts()
    folder.mkdir(parents=True)
    total = 0
    for i in range(n):
        parts, size, k = [], 0, 0
        while size < target:
            t = texts[(i * 7 + k * 13) % len(texts)]
            for line in t.splitlines(keepends=True):
                parts.append(line)
                size += len(line.encode("utf-8"))
                if size >= target and k > 0:
                    break
            k += 1
        data = "".join(parts).encode("utf-8")
        (folder / f"small{i:04d}.txt").write_bytes(data)
        total += len(data)
    return total


def make_big(folder: Path, reports: Path, mb: float) -> Path:
    """The work reports concatenated (repeated as needed) into one file of about ``mb`` megabytes."""
    folder.mkdir()
    texts = [p.read_bytes() for p in sorted(reports.glob("*.txt"))]
    out, size, i = [], 0, 0
    while size < mb * 1048576:
        out.append(texts[i % len(texts)])
        size += len(out[-1])
        i += 1
    path = folder / "big.txt"
    path.write_bytes(b"\n".join(out))
    return path


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(p.name.encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:12]


class Tree:
    """One source tree to measure: this checkout, or a revision's source put first on PYTHONPATH."""

    def __init__(self, name: str, tmp: Path, src: Path | None, bytecode: str):
        self.name, self.src, self.tmp = name, src, tmp
        self.env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        slug = name.replace("/", "-")
        self.env["PLANPARSER_CACHE_DIR"] = str(tmp / f"cache-{slug}")
        if src is not None:
            self.env["PYTHONPATH"] = str(src)
        self.prefix = [sys.executable]
        if bytecode == "cached":
            self.env.pop("PYTHONDONTWRITEBYTECODE", None)
            self.prefix += ["-X", f"pycache_prefix={tmp / f'pyc-{slug}'}"]
        self.script = str(Path(sys.executable).parent / "planparser")

    def run(self, args: list[str], out: Path | None = None) -> dict:
        if out is not None and out.exists():
            shutil.rmtree(out)
        cmd = [sys.executable, "-c", WRAP, *self.prefix, *args]
        res = json.loads(subprocess.run(cmd, env=self.env, cwd=self.tmp, capture_output=True, text=True,
                                        check=True).stdout)
        if res["rc"] != 0:
            raise SystemExit(f"{self.name}: {' '.join(args)} failed:\n{res['err']}")
        if out is not None:
            res["digest"] = digest(out)
        return res

    def parse(self, inputs: list[str], out: Path, *extra: str) -> dict:
        return self.run([self.script, "parse", *inputs, "--out", str(out), "--quiet", *extra], out)


def source_of(rev: str, tmp: Path) -> Path:
    dest = tmp / f"src-{rev[:12]}"
    dest.mkdir()
    archive = subprocess.run(["git", "archive", rev, "parser"], cwd=ROOT, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def median(rows: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in rows)


def measure(trees: list[Tree], label: str, job, runs: int, results: dict) -> None:
    """``job(tree, i)`` for each tree in turns, ``runs`` times; keeps the rows per tree."""
    for i in range(runs):
        for t in trees:
            results.setdefault((label, t.name), []).append(job(t, i))
            r = results[(label, t.name)][-1]
            print(f"  {label:<34}{t.name:<10} wall {r['wall']:6.2f} s  cpu {r['cpu']:6.2f} s  "
                  f"peak {r['peak_mb']:5.0f} MB", file=sys.stderr)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--files", type=int, default=1000)
    ap.add_argument("--baseline", default=None, help="a git revision to measure beside this checkout")
    ap.add_argument("--bytecode", choices=("asis", "cached", "both"), default="asis")
    ap.add_argument("--skip", default="", help="comma-separated: small (the 1,000 files), long (work reports), "
                                               "big (one long document)")
    ap.add_argument("--big-mb", type=float, default=27.0)
    ap.add_argument("--json", type=Path, help="also write the medians here")
    a = ap.parse_args()
    skip = set(filter(None, a.skip.split(",")))
    tmp = Path(tempfile.mkdtemp(prefix="planparser-startup-"))
    one = next(iter(sorted((SHARED / "eval" / "dev").glob("*.txt"))), None) or sorted(
        (ROOT / "corpus" / "sample").glob("*.txt"))[0]
    small = tmp / "small"
    small_bytes = make_small(small, a.files) if "small" not in skip else 0
    long_dir = SHARED / "real" / "work-reports"
    if not long_dir.is_dir():
        skip |= {"long", "big"}
    modes = ["asis", "cached"] if a.bytecode == "both" else [a.bytecode]
    trees = []
    src = source_of(a.baseline, tmp) if a.baseline else None
    for mode in modes:
        if src is not None:
            trees.append(Tree(f"base/{mode}", tmp, src, mode))
        trees.append(Tree(f"this/{mode}", tmp, None, mode))
    results: dict = {}
    try:
        print(f"input: one file {one.name} ({one.stat().st_size:,} bytes); {a.files} small files "
              f"({small_bytes / 1048576:.1f} MB); long: {'skipped' if 'long' in skip else long_dir}", file=sys.stderr)
        for t in trees:   # untimed: builds the cache (and the .pyc folder), reported as the first run
            results[("first run (builds the cache)", t.name)] = [t.parse([str(one)], tmp / "out", "--format", "json")]
        measure(trees, "parse one small file --format json",
                lambda t, i: t.parse([str(one)], tmp / f"one-{t.name.replace('/', '-')}", "--format", "json"),
                a.runs, results)
        measure(trees, "python API: import, first plan",
                lambda t, i: t.run(["-c", API, str(one)]), a.runs, results)
        for name, folder in (("small", small), ("long", long_dir)):
            if name in skip:
                continue
            for w in (1, 2):
                measure(trees, f"{name} files, --workers {w}",
                        lambda t, i, w=w, folder=folder: t.parse([str(folder)], tmp / f"{name}-{w}", "--format", "json",
                                                                 "--workers", str(w)), a.runs, results)
        if "big" not in skip:
            this = next(t for t in trees if t.name.startswith("this/"))
            for share in (0.25, 0.5, 1.0):
                big = make_big(tmp / f"big-{share}", long_dir, a.big_mb * share)
                label = f"one {big.stat().st_size / 1048576:.0f} MB document --format json"
                measure([this], label, lambda t, i, big=big: t.parse([str(big)], tmp / "big-out", "--format", "json"),
                        1, results)
        report(results, trees, a.json)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


def report(results: dict, trees: list[Tree], path: Path | None) -> None:
    labels = list(dict.fromkeys(label for label, _ in results))
    print(f"{'measurement':<36}{'tree':<13}{'wall s':>8}{'cpu s':>8}{'peak MB':>9}  output")
    out = {}
    for label in labels:
        for t in trees:
            rows = results.get((label, t.name))
            if not rows:
                continue
            med = {k: median(rows, k) for k in ("wall", "cpu", "peak_mb")}
            digests = {r.get("digest") for r in rows} - {None}
            med["digest"] = ",".join(sorted(digests)) if digests else ""
            med["busiest_cpu"] = statistics.median(max(r["procs"] or [r["cpu"]]) for r in rows)
            out[f"{label} | {t.name}"] = med
            print(f"{label:<36}{t.name:<13}{med['wall']:>8.2f}{med['cpu']:>8.2f}{med['peak_mb']:>9.0f}  {med['digest']}")
    print()
    for t in trees:
        for name in ("small", "long"):
            one, two = out.get(f"{name} files, --workers 1 | {t.name}"), out.get(f"{name} files, --workers 2 | {t.name}")
            if one and two:
                print(f"{t.name:<13} {name} files: two workers {one['wall'] / two['wall']:.2f}x one worker (wall); "
                      f"CPU {two['cpu']:.1f} s against {one['cpu']:.1f} s, busiest process {two['busiest_cpu']:.1f} s "
                      f"({one['cpu'] / max(two['busiest_cpu'], two['cpu'] / 2):.2f}x on two idle cores at most); "
                      f"outputs identical: {one['digest'] == two['digest']}")
    base = [t for t in trees if t.name.startswith("base/")]
    for b in base:
        t = next(x for x in trees if x.name == "this/" + b.name.split("/")[1])
        for label in labels:
            x, y = out.get(f"{label} | {b.name}"), out.get(f"{label} | {t.name}")
            if x and y:
                same = "" if not x["digest"] else f", same output: {x['digest'] == y['digest']}"
                print(f"{label:<36}{t.name} vs {b.name}: wall {x['wall'] / y['wall']:.2f}x faster, "
                      f"cpu {x['cpu'] / y['cpu']:.2f}x{same}")
    if path:
        path.write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
