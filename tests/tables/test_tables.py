"""Tables: fixed columns and dtypes, spans that give back the words, activities joining a section's facts."""
from __future__ import annotations

import parser
from parser.tables.frames import TABLES

PLAN = """某市政协2024年协商工作计划

一、专题协商
（一）推进老旧小区改造
协商内容：围绕老旧小区改造资金保障提出建议。
时间安排：6月
牵头单位：市政协城建委
参加人员：邀请市住建局参加。
（二）加强基层公共文化服务
9月中旬，由市政协办公室、文化文史委员会联合组织实施。
二、自身建设
每季度召开一次主席会议。
"""


def test_frames_have_the_declared_columns_and_dtypes():
    frames = parser.to_frames([parser.parse_text(PLAN, source="t.txt", doc_id="t")])
    for name, cols in TABLES.items():
        df = frames[name]
        assert list(df.columns) == list(cols), name
        for col, dtype in cols.items():
            assert str(df[col].dtype).lower().startswith(dtype.lower()[:5]), (name, col, df[col].dtype)


def test_every_row_points_back_to_its_words():
    doc = parser.parse_text(PLAN, source="t.txt", doc_id="t")
    frames = parser.to_frames([doc])
    for name in ("dates", "organizations"):
        df = frames[name]
        assert len(df) > 0, name
        for row in df.itertuples():
            assert doc.text[row.start:row.end] == row.text
    sec = frames["sections"]
    for row in sec.itertuples():
        assert row.title in doc.text[row.start:row.end]


def test_sections_tree_and_activity_join():
    doc = parser.parse_text(PLAN, source="t.txt", doc_id="t")
    frames = parser.to_frames([doc])
    sec = frames["sections"].set_index("title")
    assert sec.loc["推进老旧小区改造", "level"] == 2
    assert sec.loc["推进老旧小区改造", "parent_id"] == sec.loc["专题协商", "section_id"]
    act = frames["activities"]
    june = act[act["section_title"] == "推进老旧小区改造"]
    assert len(june) == 1
    row = june.iloc[0]
    assert row["month"] == 6 and row["year"] == 2024
    assert "市政协城建委" in row["organizers"]
    assert "市住建局" in row["participants"]
    sept = act[act["section_title"] == "加强基层公共文化服务"].iloc[0]
    assert sept["month"] == 9
    assert "市政协文化文史委员会" in sept["organizers"]  # shared prefix resolved to its canonical name


MANY_DATES = """宝鸡市政协2031年工作要点
一、开展月度协商
分别于2月、3月、4月、6月、8月、9月和11月组织委员视察。
二、加强学习
全年组织学习。由市政协办公室牵头。
三、自身建设
加强委员队伍建设。
"""


def test_activity_dates_has_a_row_for_every_date_of_every_dated_activity():
    frames = parser.to_frames([parser.parse_text(MANY_DATES, source="t.txt", doc_id="t")])
    act, long = frames["activities"], frames["activity_dates"]
    assert len(long) == act["date_count"].sum() == len(frames["dates"])
    sid = act.loc[act["section_title"] == "开展月度协商", "section_id"].iloc[0]
    assert long.loc[long["section_id"] == sid, "month"].tolist() == [2, 3, 4, 6, 8, 9, 11]
    assert act.loc[act["section_id"] == sid, "month"].tolist() == [2]     # the activities row keeps the first
    assert all(MANY_DATES[r.start:r.end] == r.text for r in long.itertuples())


def test_empty_lists_are_missing_values_not_empty_strings():
    frames = parser.to_frames([parser.parse_text(MANY_DATES, source="t.txt", doc_id="t")])
    act = frames["activities"]
    assert act["participants"].isna().all()          # nobody takes part: missing, not "" nor "；"
    assert act["organizers"].notna().sum() == 1 and not (act["organizers"] == "").any()
    assert not (frames["sections"]["category_terms"] == "").any()


def test_plans_carry_canonical_places_and_evidence():
    doc = parser.parse_text(MANY_DATES, source="t.txt", doc_id="t")
    row = parser.to_frames([doc])["plans"].iloc[0]
    assert (row["region"], row["province"], row["city"], row["region_code"]) == ("宝鸡市", "陕西省", "宝鸡市", "610300")
    s, e = map(int, row["year_source"].split(":"))
    assert doc.text[s:e] == "2031年"
    assert row["body"] == "政协" and row["body_source"] != "inferred"
    orgs = parser.to_frames([doc])["organizations"]
    assert orgs["canonical"].notna().all() and "宝鸡市政协办公室" in set(orgs["canonical"])


def test_writers_stream_and_slice_without_changing_a_byte(tmp_path, monkeypatch):
    import json

    from parser.tables import output
    from parser.tables.output import Writer, render

    doc = parser.parse_text(PLAN * 30, source="t.txt", doc_id="t")
    whole = {fmt: Writer(str(tmp_path / f"{fmt}-whole"), fmt) for fmt in ("json", "csv")}
    for w in whole.values():
        w.write(doc.doc_id, render(doc, w.fmt))     # as a worker hands it over: one string, one row set
        w.close()
    monkeypatch.setattr(output, "CSV_ROWS", 7)      # CSV in frames of 7 rows
    for fmt in ("json", "csv"):
        w = Writer(str(tmp_path / fmt), fmt)
        w.add(doc)                                  # JSON streamed into its file
        w.close()
    assert (tmp_path / "json" / "t.json").read_bytes() == (tmp_path / "json-whole" / "t.json").read_bytes()
    assert json.loads((tmp_path / "json" / "t.json").read_text(encoding="utf-8"))["doc_id"] == "t"
    for name in TABLES:
        assert (tmp_path / "csv" / f"{name}.csv").read_bytes() == (tmp_path / "csv-whole" / f"{name}.csv").read_bytes()
    assert len((tmp_path / "csv" / "sections.csv").read_text(encoding="utf-8-sig").splitlines()) > 30
