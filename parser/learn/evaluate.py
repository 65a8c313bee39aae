"""Score the parser on a part of the gold with ``score.py``: the frozen test split (blind: figures only),
the training documents, or everything, with the models of the package or of a folder given.

The test split is scored whole and printed as score.py's summary table; no per-document output is
kept, so nobody reads its errors.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Optional

from .split import split

SHARED = Path(os.environ.get("PLANPARSER_SHARED", Path(__file__).resolve().parents[2].parent / "shared"))
GOLD_SETS = ("dev", "dev2", "train")
# the score.py figures a summary line shows, in this order: (key, measure, short name)
SUMMARY = (("plans", "f1", "plans"), ("headings", "f1", "headings"), ("heading_level", "accuracy", "level"),
           ("dates_relaxed", "f1", "dates"), ("orgs_relaxed", "f1", "orgs"), ("organizers", "f1", "organizers"),
           ("org_role", "accuracy", "role"), ("heading_category", "accuracy", "category"),
           ("plan_year", "accuracy", "year"), ("plan_region", "accuracy", "region"),
           ("plan_admin_level", "accuracy", "level_admin"), ("plan_body", "accuracy", "body"))


def default_folders() -> list[Path]:
    """The real gold sets in ../shared/eval (dev, dev2, train) that exist here."""
    return [SHARED / "eval" / s for s in GOLD_SETS if (SHARED / "eval" / s).is_dir()]


def predict(gold: Sequence[Path], out: Path, model_dir: Optional[Path] = None, workers: int = 0) -> None:
    """Parse the texts of the gold files into ``out`` as contract JSON (``NAME.json``), in a child process
    so that ``model_dir`` (``PLANPARSER_MODEL_DIR``) is read fresh."""
    env = dict(os.environ)
    if model_dir is not None:
        env["PLANPARSER_MODEL_DIR"] = str(model_dir)
    # one input per name: the JSON file is named after the text file
    args = [sys.executable, "-m", "parser.cli", "parse", *(str(p.with_suffix(".txt")) for p in gold),
            "--format", "json", "--out", str(out), "--quiet", "--no-resume"]
    if workers:
        args += ["--workers", str(workers)]
    subprocess.run(args, env=env, check=False)


def score(gold: Sequence[Path], pred: Path) -> dict:
    """score.py's figures for the gold files against the predictions in ``pred``."""
    with tempfile.TemporaryDirectory() as tmp:
        g = Path(tmp) / "gold"
        g.mkdir()
        for p in gold:
            (g / p.name).symlink_to(p.resolve())
        res = Path(tmp) / "scores.json"
        subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), "--gold", str(g), "--pred", str(pred),
                        "--json", str(res)], check=True, capture_output=True)
        return json.loads(res.read_text(encoding="utf-8"))


def summary(res: dict) -> dict[str, Optional[float]]:
    """The headline figures of a score.py result."""
    return {name: res[key][measure] for key, measure, name in SUMMARY}


def format_summary(label: str, res: dict) -> str:
    """One line of headline figures (``-`` where a figure has no cases)."""
    cells = " · ".join(f"{n} {'-' if v is None else f'{v:.3f}'}" for n, v in summary(res).items())
    return f"{label} ({res['documents']} docs): {cells}"


def evaluate(part: str, folders: Sequence[Path], model_dir: Optional[Path] = None, workers: int = 0) -> dict:
    """Parse and score one part of the gold: ``test`` (the frozen split), ``train`` or ``all``."""
    train, test = split(folders)
    gold = {"test": test, "train": train, "all": train + test}[part]
    with tempfile.TemporaryDirectory() as tmp:
        predict(gold, Path(tmp), model_dir, workers)
        return score(gold, Path(tmp))


def main(argv: Optional[Sequence[str]] = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="python -m parser.learn evaluate", description=__doc__)
    ap.add_argument("part", choices=("test", "train", "all"), help="test = the frozen split, scored blind")
    ap.add_argument("--gold", nargs="*", type=Path, default=None, help="gold folders (default: ../shared/eval/*)")
    ap.add_argument("--models", type=Path, default=None, help="a model folder instead of parser/data/models")
    ap.add_argument("--json", type=Path, default=None, help="also write the score.py figures here")
    ap.add_argument("--workers", type=int, default=0)
    a = ap.parse_args(argv)
    folders = gold_folders(a.gold)
    if not folders:
        return 2
    return report(a.part, evaluate(a.part, folders, a.models, a.workers), a.json)


def gold_folders(given: Optional[Sequence[Path]]) -> list[Path]:
    """The gold folders given, else ../shared/eval's; none (said on stderr) when there are none here."""
    folders = list(given or default_folders())
    if not folders:
        print("no gold folders: ../shared/eval is not beside this checkout", file=sys.stderr)
    return folders


def report(label: str, res: dict, json_path: Optional[Path]) -> int:
    """Print a score.py result's summary line (and write its figures to ``json_path``); exit code 0."""
    print(format_summary(label, res))
    if json_path:
        json_path.write_text(json.dumps(res, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
