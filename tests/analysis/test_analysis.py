"""parser.analysis on small hand-made tables, and parser.plotting's CJK rendering."""
from __future__ import annotations

import warnings

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from parser import Options
from parser import analysis as an
from parser import plotting
from parser.tables.frames import ACTIVITY_COLUMNS, ACTIVITY_DATE_COLUMNS, ORG_COLUMNS, PLAN_COLUMNS, SECTION_COLUMNS


def frame(rows: list[dict], columns: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns)).astype(columns)


@pytest.fixture
def plans() -> pd.DataFrame:
    return frame([
        {"doc_id": "d1", "plan_id": "p1", "title": "甲市政协2024年工作要点", "year": 2024, "region": "甲市", "body": "政协",
         "admin_level": "市"},
        {"doc_id": "d2", "plan_id": "p2", "title": "乙县人大常委会2024年工作计划", "year": 2024, "region": "乙县",
         "body": "人大", "admin_level": "县"},
        {"doc_id": "d3", "plan_id": "p3", "title": "工作计划", "year": None, "region": None, "body": "政协"},
    ], PLAN_COLUMNS)


@pytest.fixture
def sections() -> pd.DataFrame:
    rows = [
        ("p1", "s1", 1, "一、", 1, "加强理论学习", "组织委员学习茶叶产业政策，茶叶种植与茶叶加工", "政治学习"),
        ("p1", "s2", 1, "二、", 2, "围绕茶叶产业协商议政", "开展茶叶产业专题调研，推动茶叶品牌建设", "协商议政"),
        ("p1", "s3", 2, "（一）", 1, "提案办理协商", "茶叶产业提案跟踪督办", "协商议政"),
        ("p2", "s1", 1, "一、", 1, "加强理论学习", "组织代表学习，开展港口物流执法检查", "政治学习"),
        ("p2", "s2", 1, "二、", 2, "依法开展监督", "听取港口物流报告，港口码头建设视察", "民主监督"),
        ("p2", "s3", 1, "三、", 3, "加强自身建设", "代表履职培训，港口物流专题", None),
        ("p3", "s1", 1, "一、", 1, "文化活动", "举办文艺汇演", "文化体育"),
    ]
    return frame([{"doc_id": p.replace("p", "d"), "plan_id": p, "section_id": f"{p}:{s}", "level": lv, "marker": mk,
                   "number": n, "title": t, "body_text": b, "start": i * 100, "category": c}
                  for i, (p, s, lv, mk, n, t, b, c) in enumerate(rows)], SECTION_COLUMNS)


@pytest.fixture
def activities() -> pd.DataFrame:
    rows = [
        ("p1", "p1:s2", "协商议政", 3, None, None, None, "市政协经济委员会", "市农业农村局；市商务局"),
        ("p1", "p1:s3", "协商议政", 5, 7, None, None, "市政协经济委员会；市政协提案委员会", "市农业农村局"),
        ("p1", "p1:s1", "政治学习", None, None, "上半年", None, "市政协办公室", None),
        ("p2", "p2:s2", "民主监督", 11, 1, None, None, "县人大常委会", "县交通局"),
        ("p2", "p2:s3", None, None, None, None, "每季度", None, "县人大代表联络站"),
        ("p2", "p2:s1", "政治学习", None, None, "全年", None, None, None),
    ]
    return frame([{"doc_id": p.replace("p", "d"), "plan_id": p, "section_id": s, "category": c, "month": m,
                   "month_end": me, "period": per, "recurrence": rec, "organizers": o, "participants": pa}
                  for p, s, c, m, me, per, rec, o, pa in rows], ACTIVITY_COLUMNS)


def test_category_shares_rows_sum_to_one(sections, plans):
    shares = an.category_shares(sections, plans, by="region")
    assert shares.loc["甲市", "协商议政"] == pytest.approx(2 / 3)
    assert shares.loc["乙县", "民主监督"] == pytest.approx(0.5)   # the uncategorised section is left out
    assert shares.loc["(unknown)", "文化体育"] == pytest.approx(1.0)
    assert shares.sum(axis=1).tolist() == pytest.approx([1.0] * len(shares))
    assert shares.attrs["n"]["乙县"] == 2
    assert shares.index[-1] == "(unknown)"


def test_category_counts_by_body_and_uncategorised(sections, plans):
    counts = an.category_counts(sections, plans, by="body", include_uncategorized=True)
    assert counts.loc["政协", "协商议政"] == 2
    assert counts.loc["人大", "(unknown)"] == 1
    by_two = an.category_counts(sections, plans, by=["body", "year"])
    assert by_two.loc[("政协", "2024"), "政治学习"] == 1


def test_category_shares_min_sections_and_empty(sections, plans):
    shares = an.category_shares(sections, plans, by="region", min_sections=2)
    assert "(unknown)" not in shares.index
    assert an.category_shares(sections.iloc[0:0], plans).empty


def test_months_of_ranges_periods_and_recurrences():
    assert an.months_of(5, 7) == [5, 6, 7]
    assert an.months_of(11, 1) == [11, 12, 1]
    assert an.months_of(None, None, "上半年") == [1, 2, 3, 4, 5, 6]
    assert an.months_of(pd.NA, pd.NA, None, "每季度") == [3, 6, 9, 12]
    assert an.months_of(None, None, "全年") == []
    assert an.months_of(13) == []


def test_activity_calendar_spreads_ranges(activities):
    cal = an.activity_calendar(activities)
    assert list(cal.index) == list(range(1, 13))
    assert cal.loc[6, "协商议政"] == 1 and cal.loc[3, "协商议政"] == 1 and cal.loc[8, "协商议政"] == 0
    assert cal.loc[12, "民主监督"] == 1 and cal.loc[1, "民主监督"] == 1
    assert cal.loc[1, "政治学习"] == 1 and cal["政治学习"].sum() == 6      # 上半年; 全年 has no month
    assert cal.loc[9, "(unknown)"] == 1
    first_only = an.activity_calendar(activities, spread=False, include_unknown=False)
    assert first_only["协商议政"].sum() == 2 and "(unknown)" not in first_only.columns


def test_activity_calendar_on_activity_dates_counts_every_date_once_per_activity_and_month():
    # one activity with seven dates in seven months, and a second date in one of those months
    dates = [("d1", "p1", "p1:s1", "协商议政", m) for m in (2, 3, 4, 6, 8, 9, 11)] + [("d1", "p1", "p1:s1", "协商议政", 3)]
    dates += [("d1", "p1", "p1:s2", "民主监督", 5)]
    long = frame([{"doc_id": d, "plan_id": p, "section_id": s, "category": c, "month": m} for d, p, s, c, m in dates],
                 ACTIVITY_DATE_COLUMNS)
    cal = an.activity_calendar(long)
    assert cal["协商议政"].sum() == 7 and cal.loc[3, "协商议政"] == 1     # every month, each once
    assert cal.loc[5, "民主监督"] == 1
    assert an.activity_calendar(long, spread=False)["协商议政"].sum() == 1


def test_activity_calendar_empty():
    cal = an.activity_calendar(frame([], ACTIVITY_COLUMNS))
    assert list(cal.index) == list(range(1, 13)) and cal.shape[1] == 0


def test_organiser_tables(activities):
    table = an.organiser_table(activities)
    top = table.iloc[0]
    assert top["organizer"] == "市政协经济委员会" and top["activities"] == 2 and top["plans"] == 1
    assert top["partners"].startswith("市农业农村局 (2)")
    assert "协商议政 (2)" in top["categories"]
    pairs = an.organiser_partners(activities)
    assert pairs.iloc[0].tolist() == ["市政协经济委员会", "市农业农村局", 2]
    assert ((pairs["organizer"] == "县人大常委会") & (pairs["participant"] == "县交通局")).any()
    cats = an.organiser_categories(activities)
    assert cats.loc["市政协经济委员会", "协商议政"] == 2
    assert cats.loc["县人大常委会", "民主监督"] == 1


def test_organisation_roles():
    orgs = frame([
        {"plan_id": "p1", "text": "经济委", "canonical": "市政协经济委员会", "role": "organizer", "kind": "政协"},
        {"plan_id": "p1", "text": "市政协经济委员会", "canonical": None, "role": "participant", "kind": "政协"},
        {"plan_id": "p2", "text": "县交通局", "canonical": None, "role": None, "kind": None},
    ], ORG_COLUMNS)
    roles = an.organisation_roles(orgs).set_index("organization")
    assert roles.loc["市政协经济委员会", ["organizer", "participant", "mentions"]].tolist() == [1, 1, 2]
    assert roles.loc["县交通局", "other"] == 1 and roles.loc["县交通局", "kind"] == "(unknown)"
    assert an.organisation_roles(frame([], ORG_COLUMNS)).empty


def test_split_names():
    assert an.split_names("甲；乙;甲") == ["甲", "乙"]
    assert an.split_names(pd.NA) == []


def test_distinctive_terms_per_region(sections, plans):
    terms = an.distinctive_terms(sections, plans, by="region", top_n=3)
    top = terms[terms["rank"] == 1].set_index("group")["term"]
    assert top["甲市"] == "茶叶" and top["乙县"] == "港口"
    assert not terms["term"].isin(["学习", "开展"]).any()          # shared or stop words never win
    wide = an.terms_wide(terms)
    assert wide.loc[1, "甲市"] == "茶叶"


def test_stopwords_loaded_from_data_file():
    words = an.stopwords()
    assert "开展" in words and "#" not in "".join(words)
    assert "开展" not in an.tokenize("开展茶叶调研")


def test_distinctive_terms_single_group_and_empty(sections, plans):
    one = an.distinctive_terms(sections, plans, by="region", groups=["甲市"], top_n=1)
    assert one["term"].tolist() == ["茶叶"]
    assert an.distinctive_terms(sections.iloc[0:0], plans).empty


def test_compare_plans_aligns_by_title_and_level(sections):
    cmp = an.compare_plans(sections, "p1", "p2")
    assert cmp.iloc[0][["a_title", "b_title", "status"]].tolist() == ["加强理论学习", "加强理论学习", "same"]
    statuses = cmp["status"].tolist()
    assert statuses.count("same") == 1
    assert set(cmp.loc[cmp["status"] == "only_a", "a_title"]) == {"围绕茶叶产业协商议政", "提案办理协商"}
    assert set(cmp.loc[cmp["status"] == "only_b", "b_title"]) == {"依法开展监督", "加强自身建设"}
    summary = an.comparison_summary(cmp)
    assert summary.to_dict() == {"same": 1, "similar": 0, "only_a": 2, "only_b": 2}


def test_compare_plans_similar_titles_keep_order():
    secs = frame([
        {"plan_id": "a", "section_id": "a1", "level": 1, "number": 1, "title": "指导思想", "start": 0},
        {"plan_id": "a", "section_id": "a2", "level": 1, "number": 2, "title": "开展专题协商议政活动", "start": 10},
        {"plan_id": "a", "section_id": "a3", "level": 1, "number": 3, "title": "加强委员队伍建设", "start": 20},
        {"plan_id": "b", "section_id": "b1", "level": 1, "number": 1, "title": "加强委员队伍建设工作", "start": 0},
        {"plan_id": "b", "section_id": "b2", "level": 1, "number": 2, "title": "开展专题协商议政", "start": 10},
    ], SECTION_COLUMNS)
    cmp = an.compare_plans(secs, "a", "b")
    matched = cmp[cmp["status"] == "similar"]
    # order is kept: only one of the two crossing pairs can be aligned, the better one
    assert len(matched) == 1
    assert matched.iloc[0][["a_section_id", "b_section_id"]].tolist() == ["a2", "b2"]
    assert 0.8 < matched.iloc[0]["similarity"] < 1
    assert len(cmp) == 4


def test_overview_helpers(sections, plans):
    by_region = an.count_by(plans.iloc[[2, 0, 1]], "region")
    assert list(by_region.index)[-1] == "(unknown)"
    assert by_region.to_dict() == {"甲市": 1, "乙县": 1, "(unknown)": 1}
    assert list(an.count_by(plans, "year", sort="label").index) == ["2024", "(unknown)"]
    levels = an.sections_per_level(sections)
    assert levels.loc[1, "sections"] == 6 and levels.loc[2, "plans"] == 1
    assert an.sections_per_level(sections.iloc[0:0]).empty
    assert an.count_by(plans.iloc[0:0], "region").empty


def test_save_and_load_tables_round_trip(tmp_path, sections, plans, activities):
    tables = {"plans": plans, "sections": sections, "activities": activities}
    an.save_tables(tables, tmp_path)
    assert (tmp_path / "organizations.parquet").exists()
    back = an.load_corpus(tmp_path)
    pd.testing.assert_frame_equal(back["sections"], sections)
    assert back["dates"].empty and list(back["dates"].columns)[:3] == ["doc_id", "plan_id", "section_id"]
    summary = an.corpus_summary(back)
    assert summary["documents"] == 3 and summary["sections"] == 7 and summary["errors"] == 0


def test_load_corpus_parses_a_folder_and_records_failures(tmp_path):
    (tmp_path / "a.txt").write_text("某某镇2025年文化站工作计划\n一、加强学习\n每月组织一次学习。\n", encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"")
    tables = an.load_corpus(tmp_path, options=Options(extract=False))
    assert tables["plans"]["doc_id"].tolist() == ["a"]
    assert tables["errors"]["source"].str.endswith("b.txt").tolist() == [True]
    with pytest.raises(FileNotFoundError, match="PLANPARSER_CORPUS"):
        an.load_corpus(tmp_path / "missing")


def test_cjk_figure_renders_without_missing_glyphs(tmp_path, sections, plans):
    assert plotting.use_cjk_font() is not None
    shares = an.category_shares(sections, plans, by="region")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plotting.category_heatmap(shares, title="类别占比（按地区）")
        path = plotting.save_figure(fig, tmp_path / "heat.png")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []
    assert path.stat().st_size > 5000


def test_missing_glyph_warning_is_what_we_catch(tmp_path):
    """Without the CJK font matplotlib does warn: the check above can fail."""
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig, ax = plt.subplots()
            ax.set_title("政协")
            fig.savefig(tmp_path / "boxes.png")
            plt.close(fig)
    assert any("missing from font" in str(w.message) for w in caught)


def test_calendar_and_bar_figures(tmp_path, activities, plans):
    import matplotlib.pyplot as plt

    fig = plotting.calendar_heatmap(an.activity_calendar(activities))
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()][:2] == ["1月", "2月"]
    fig2 = plotting.bar_counts(an.count_by(plans, "region"), title="地区")
    assert len(fig2.axes[0].patches) == 3
    plt.close("all")


def test_traditional_and_simplified_spellings_meet():
    assert an.title_similarity("加强思想政治引领", "加強思想政治引領") == 1.0
    from parser.analysis.corpus import group_labels

    assert group_labels(pd.Series(["雨湖區", "雨湖区", None], dtype="string")).tolist() == ["雨湖区", "雨湖区", "(unknown)"]
    assert "茶叶" in an.tokenize("發展茶葉產業，茶葉品牌")


def test_pick_pair_prefers_plans_of_one_body(sections, plans):
    assert an.pick_pair(sections, plans) == ("p1", "p3")          # both 政协, though p2 is larger than p3
    no_shared_body = plans.assign(body=["政协", "人大", "党委"])
    assert an.pick_pair(sections, no_shared_body) == ("p1", "p2")  # else the two largest
    assert an.pick_pair(sections[sections["plan_id"] == "p1"], plans) is None
