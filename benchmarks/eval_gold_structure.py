"""Dev-only: score categories and plan metadata on the GOLD plan/heading structure.

Builds Plans at the gold plan lines and Sections at the gold heading lines, runs
``categorize`` and ``describe_plan`` and prints accuracies with score.py's comparison rules,
so these stages can be judged before the real splitter and heading parser land.

usage: uv run python benchmarks/eval_gold_structure.py [--gold ../shared/eval/dev] [-v]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parser.extract.categories import categorize  # noqa: E402
from parser.extract.metadata_model import describe_plan  # noqa: E402
from parser.model import Document, Plan, Section  # noqa: E402
from parser.ingest.read import make_document  # noqa: E402

SUFFIXES = "市县区镇乡省"


def norm_region(r):
    if not r:
        return None
    r = r.strip()
    while len(r) > 1 and r[-1] in SUFFIXES:
        r = r[:-1]
    return r


def gold_document(gold: dict, name: str) -> Document:
    """A Document whose plans and sections are the gold ones (categories and metadata left empty)."""
    doc = make_document(gold["text"], name, doc_id=name)
    lines = doc.lines()
    plan_lines = [p["line"] for p in gold["plans"]]
    for i, gp in enumerate(gold["plans"]):
        start = lines[gp["line"]][0]
        end = lines[plan_lines[i + 1]][0] - 1 if i + 1 < len(plan_lines) else len(doc.text)
        ls, le = lines[gp["line"]]
        pos = doc.text[ls:le].find(gp["title"]) if gp["title"] else -1
        title_span = (ls + pos, ls + pos + len(gp["title"])) if pos >= 0 else None
        doc.plans.append(Plan(plan_id=f"{name}:p{i + 1}", title=gp["title"], span=(start, end),
                              title_span=title_span))
    for plan in doc.plans:
        heads = [h for h in gold["headings"]
                 if plan.span[0] <= lines[h["line"]][0] < plan.span[1]]
        stack: list[Section] = []
        for j, h in enumerate(heads):
            ls, le = lines[h["line"]]
            line = doc.text[ls:le]
            pos = line.find(h["title"]) if h["title"] else -1
            ts = ls + pos if pos >= 0 else ls + len(h["marker"])
            te = ts + len(h["title"]) if pos >= 0 else le
            nxt = lines[heads[j + 1]["line"]][0] if j + 1 < len(heads) else plan.span[1]
            while stack and stack[-1].level >= h["level"]:
                stack.pop()
            sec = Section(section_id=f"{plan.plan_id}:s{j + 1}", level=h["level"], marker=h["marker"],
                          number=None, style="", title=h["title"], heading_span=(ls, le),
                          title_span=(ts, te), body_span=(min(le + 1, nxt), nxt),
                          parent_id=stack[-1].section_id if stack else None)
            stack.append(sec)
            plan.sections.append(sec)
    return doc


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=str(Path(__file__).resolve().parent.parent.parent / "shared/eval/dev"))
    ap.add_argument("-v", "--verbose", action="store_true", help="print every miss")
    a = ap.parse_args(argv)
    acc = {k: [0, 0] for k in ("heading_category", "plan_year", "plan_region", "plan_admin_level",
                               "plan_body")}
    t_read = t_meta = t_cat = 0.0
    warm = make_document("要结合镇党委工作,围绕街道党工委部署", "warm")   # load lexicons and word tags once
    describe_plan(warm, Plan("w", "", (0, len(warm.text))))
    for gp in sorted(Path(a.gold).glob("*.json")):
        gold = json.loads(gp.read_text(encoding="utf-8"))
        t0 = time.perf_counter()
        make_document(gold["text"], gp.stem)
        t_read += time.perf_counter() - t0
        doc = gold_document(gold, gp.stem)
        for plan in doc.plans:
            t0 = time.perf_counter()
            describe_plan(doc, plan)
            t1 = time.perf_counter()
            categorize(doc, plan)
            t_meta += t1 - t0
            t_cat += time.perf_counter() - t1
        for plan, g in zip(doc.plans, gold["plans"]):
            pairs = {"plan_year": (plan.year, g["year"]),
                     "plan_region": (norm_region(plan.region), norm_region(g["region"])),
                     "plan_admin_level": (plan.admin_level, g["admin_level"]),
                     "plan_body": (plan.body, g["body"])}
            for k, (p, t) in pairs.items():
                acc[k][0] += p == t
                acc[k][1] += 1
                if a.verbose and p != t:
                    print(f"{gp.stem} line {g['line']} {k}: pred {p!r} gold {t!r}")
        secs = {s.heading_span[0]: s for pl in doc.plans for s in pl.sections}
        lines = doc.lines()
        for h in gold["headings"]:
            s = secs.get(lines[h["line"]][0])
            if s is None:
                continue
            ok = s.category == h["category"]
            acc["heading_category"][0] += ok
            acc["heading_category"][1] += 1
            if a.verbose and not ok:
                print(f"{gp.stem} line {h['line']} {h['title'][:30]!r}: pred {s.category} "
                      f"({s.category_score:.1f} {' '.join(s.category_terms[:6])}) gold {h['category']}")
    print(f"{'field':<18}{'accuracy':>10}{'n':>7}")
    for k, (ok, n) in acc.items():
        print(f"{k:<18}{(ok / n if n else 0):>10.3f}{n:>7}")
    print(f"time relative to reading (make_document = 1.0): metadata {t_meta / t_read:.2f}, "
          f"categories {t_cat / t_read:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
