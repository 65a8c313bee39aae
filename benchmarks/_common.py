"""Helpers shared by the benchmark scripts: locating ../shared and measuring a run in a child process."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("PLANPARSER_SHARED", ROOT.parent / "shared"))


def run_child(code: str, *args: str) -> dict:
    """Run ``code`` in a fresh interpreter (so peak memory is its own); it prints one JSON line."""
    res = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT)
    if res.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])
