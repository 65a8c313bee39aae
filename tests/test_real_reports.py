"""Invariants on real long documents without gold (../shared/real/work-reports, skipped when absent).

Each national government work report (YYYY.txt) parses without an error into one plan for year
YYYY (the year it was delivered: its plan part is for 今年), every span points into the text, and
its heading tree keeps its numbering: under one parent, a marker style counts 1, 2, 3 … (a list may
start again at 1), and a number is skipped only where the text has no such heading.
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from parser.extract.metadata_model import describe_plan
from parser.pipeline import Options, Parser
from parser.structure.fields import match_marker


@pytest.fixture(scope="module")
def reports() -> list[Path]:
    from conftest import SHARED

    files = sorted((SHARED / "real" / "work-reports").glob("*.txt"))
    if not files:
        pytest.skip("../shared/real/work-reports is not beside this checkout")
    return files


@pytest.fixture(scope="module")
def structured(reports):
    parser = Parser(Options(extract=False))
    out = []
    for path in reports:
        doc = parser.parse_file(str(path))
        for plan in doc.plans:
            describe_plan(doc, plan)
        out.append((path, doc))
    return out


def test_one_plan_for_the_year_delivered(structured):
    wrong = [(p.name, [(pl.title, pl.year) for pl in d.plans]) for p, d in structured
             if len(d.plans) != 1 or d.plans[0].year != int(p.stem[:4])]
    assert wrong == []


def _numbering_breaks(doc) -> list[str]:
    breaks = []
    for plan in doc.plans:
        siblings: dict[tuple, list] = {}
        for s in plan.sections:
            if s.number is not None:
                siblings.setdefault((s.parent_id, s.style), []).append(s)
        for (parent, style), secs in siblings.items():
            for a, b in zip(secs, secs[1:]):
                if b.number in (1, a.number + 1):
                    continue
                between = doc.norm[a.heading_span[1]:b.heading_span[0]].split("\n")
                there = {m.number for m in map(match_marker, (x.strip() for x in between)) if m and m.style == style}
                if b.number < a.number or there & set(range(a.number + 1, b.number)):
                    breaks.append(f"{style} under {parent}: {a.number} then {b.number}")
    return breaks


def test_heading_numbers_run_in_sequence(structured):
    broken = {p.name: _numbering_breaks(d) for p, d in structured}
    assert {k: v for k, v in broken.items() if v} == {}
    # a report whose lines open with 一、 二、 三、 … gets at least that many headings
    for path, doc in structured:
        numbered = sum(1 for line in doc.norm.split("\n") if (m := match_marker(line.strip())) and m.style == "cn_dun")
        assert len(doc.plans[0].sections) >= min(numbered, 3), path.name


def test_every_report_parses_with_all_extraction_and_spans_hold(reports, tmp_path):
    out = tmp_path / "json"
    proc = subprocess.run([sys.executable, "-m", "parser.cli", "parse", *map(str, reports), "--out", str(out),
                           "--format", "json", "--quiet", "--workers", "2"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    for path in reports:
        data = json.loads((out / f"{path.stem}.json").read_text(encoding="utf-8"))
        text = data["text"]
        for plan in data["plans"]:
            assert text.startswith(plan["title"], plan["span"][0]) or plan["title"] == ""
            for key in ("dates", "organizations"):
                for m in plan[key]:
                    assert text[m["span"][0]:m["span"][1]] == m["text"], (path.name, m)


@pytest.fixture(scope="module")
def tables(reports):
    """The 52 reports parsed with every stage, as tables."""
    from parser.tables.frames import to_frames

    parser = Parser()
    return to_frames(parser.parse_file(str(path)) for path in reports)


def test_grouping_the_national_reports_by_region_gives_one_group(tables):
    """Issue 18, measured: 全国 for all 52 (the 1954 report's Traditional 全國 too), as written beside it."""
    plans = tables["plans"]
    assert len(plans) == 52
    assert plans.groupby("region").size().to_dict() == {"全国": 52}
    assert set(plans["region_as_written"]) == {"全国", "全國"}
    assert plans["region_code"].isna().all() and plans["province"].isna().all()   # a nation has no division code
    assert (plans["region_source"] != "inferred").all()


def test_a_report_title_names_no_government_of_the_state_council(tables):
    orgs = tables["organizations"]
    assert orgs["canonical"].notna().all()
    assert not orgs["text"].str.endswith("国务院政府").any()
    assert (orgs["canonical"] == "国务院").sum() > (orgs["text"] == "国务院").sum()    # long forms made one


def test_activity_dates_has_as_many_rows_as_the_dated_activities_have_dates(tables):
    """Issue 18, measured."""
    long, act = tables["activity_dates"], tables["activities"]
    assert len(long) == act["date_count"].sum() == len(tables["dates"]) > 1000
    per = long.groupby(["plan_id", "section_id"], dropna=False).size()
    assert per.max() > 1                                   # activities with several dates keep them all
