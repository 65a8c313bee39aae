"""The markup of our synthetic training pages gives the text and its gold exactly."""
from __future__ import annotations

from parser.learn.synthetic import month_of, parse_page

PAGE = """首页 > 工作动态
#P 2031|青山县|县|政协
青山县政协2031年工作要点
@1|总体要求\t一、总体要求
全年工作由{县政协办公室}^牵头，邀请{县妇联}+参加。
@2|协商议政\t（一）开展专题协商。围绕乡村振兴组织委员视察。
[5月中旬]召开协商会，[国庆]前完成。
#P0 2032||县|政协
明年工作另行安排。"""


def test_text_lines_and_spans_come_out_of_the_markup():
    d = parse_page(PAGE, "p", "synthetic")
    assert d.lines[0] == "首页 > 工作动态" and "{" not in d.text and "@" not in d.text and "#P" not in d.text
    assert [p["line"] for p in d.plans] == [1, 6] and d.plans[0]["title"] == "青山县政协2031年工作要点"
    assert d.plans[1] == {"line": 6, "title": "", "year": 2032, "region": None, "admin_level": "县", "body": "政协"}
    for m in [*d.dates, *d.organizations]:
        assert d.text[m["span"][0]:m["span"][1]] == m["text"]
    assert [(o["text"], o["role"]) for o in d.organizations] == [("县政协办公室", "organizer"), ("县妇联", "participant")]


def test_headings_take_guide_markers_and_titles():
    d = parse_page(PAGE, "p", "synthetic")
    assert [(h["line"], h["level"], h["marker"], h["title"]) for h in d.headings] == [
        (2, 1, "一、", "总体要求"), (4, 2, "（一）", "开展专题协商")]


def test_months_of_dates():
    assert [month_of(x) for x in ("5月中旬", "十二月底", "国庆", "春节前", "今年")] == [5, 12, 10, None, None]


def test_traditional_and_full_width_months_and_a_marker_before_a_digit():
    assert [month_of(x) for x in ("國慶節", "１２月底", "農曆正月")] == [10, 12, None]
    d = parse_page("#P 2031|||\n某校工作计划\n@1|社会民生\t2.6月完成校舍维修。", "p", "synthetic")
    assert d.headings[0]["marker"] == "2." and d.headings[0]["title"] == "6月完成校舍维修"


def test_our_pages_give_valid_gold_and_overlap_no_hidden_document(tmp_path):
    """Every synthetic page converts; check_gold.py accepts it and leakcheck.py finds no overlap."""
    import json
    import subprocess
    import sys

    import pytest
    from conftest import SHARED

    from parser.learn.synthetic import load_folder, to_gold_json
    from parser.learn.train import synthetic_folders

    folders = synthetic_folders()
    assert folders, "corpus/train has no style folders"
    for folder in folders:
        for doc in load_folder(folder):
            (tmp_path / f"{doc.name}.json").write_text(json.dumps(to_gold_json(doc), ensure_ascii=False), encoding="utf-8")
            (tmp_path / f"{doc.name}.txt").write_text(doc.text, encoding="utf-8")
    if not (SHARED / "eval" / "check_gold.py").exists():
        pytest.skip("../shared is not beside this checkout")
    for tool in ("check_gold.py", "leakcheck.py"):
        res = subprocess.run([sys.executable, str(SHARED / "eval" / tool), str(tmp_path)], capture_output=True, text=True)
        assert res.returncode == 0, res.stdout[-2000:] + res.stderr[-2000:]
