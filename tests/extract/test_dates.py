"""The date grammar (GUIDE.md "dates"): what counts as a time expression, its span and its fields."""
from __future__ import annotations

import pytest

from parser.extract.dates import find_dates
from parser.ingest.normalize import normalize


def dates(text: str, plan_year=None):
    """Mentions of ``text`` (normalised first, as the pipeline does), each checked against its span."""
    found = find_dates(normalize(text), plan_year=plan_year)
    for m in found:
        assert m.text == normalize(text)[m.span[0]:m.span[1]]
    return found


def texts(text: str, plan_year=None) -> list[str]:
    return [text[m.span[0]:m.span[1]] for m in dates(text, plan_year)]


def one(text: str, expr: str, plan_year=None):
    """The single mention whose original text is ``expr``."""
    hits = [m for m in dates(text, plan_year) if text[m.span[0]:m.span[1]] == expr]
    assert len(hits) == 1, texts(text, plan_year)
    return hits[0]


def test_two_month_parts_joined_by_and_are_two_mentions():
    text = "社区议事会安排在6月中旬和11月下旬，由街道组织委员参加。"
    found = dates(text)
    assert [text[s:e] for s, e in (m.span for m in found)] == ["6月中旬", "11月下旬"]
    assert [(m.month, m.period) for m in found] == [(6, "中旬"), (11, "下旬")]


def test_field_line_value_is_found_with_exact_span():
    text = "开展农村人居环境专题协商\n时间安排：6月\n牵头单位：农业农村委"
    m = one(text, "6月")
    assert m.span == (text.index("6月"), text.index("6月") + 2)
    assert m.month == 6


@pytest.mark.parametrize("text, expr", [
    ("20--年，我站将在镇党委领导下开展工作。", "20--年"),
    ("201x年，街道联组将围绕中心工作开展调研。", "201x年"),
    ("现就xxxx年建议提案办理工作安排如下：", "xxxx年"),
    ("提出20XX年度协商工作计划如下。", "20XX年度"),
    ("--年度联委会工作要点", "--年度"),
    ("列入20*年政府工作重点", "20*年"),
])
def test_masked_years_have_no_year(text, expr):
    m = one(text, expr, plan_year=2024)
    assert m.masked is True and m.year is None and m.month is None


def test_traditional_text_is_read_through_normalize():
    text = "十一月下旬在鄉鎮召開代表座談會，今年以來共走訪選民三百人次。"
    assert texts(text) == ["十一月下旬", "今年以來"]
    assert one(text, "十一月下旬").month == 11
    assert one(text, "今年以來", plan_year=2023).year == 2023


@pytest.mark.parametrize("text, expr, month, month_end", [
    ("活动于5月1日至5月31日在各村开展。", "5月1日至5月31日", 5, 5),
    ("6月—9月集中开展河道清理。", "6月—9月", 6, 9),
    ("计划3-5月完成入户走访。", "3-5月", 3, 5),
    ("拟于2024年1月17日至19日召开大会。", "2024年1月17日至19日", 1, None),
    ("即日起至11月20日向社会征集议题。", "即日起至11月20日", 11, None),
    ("计划于7、8月份组织视察。", "7、8月份", 7, 8),
])
def test_ranges_are_one_mention_with_first_month(text, expr, month, month_end):
    m = one(text, expr)
    assert (m.month, m.month_end) == (month, month_end)


def test_range_days_and_years():
    assert one("拟于2024年1月17日至19日召开", "2024年1月17日至19日").day_end == 19
    m = one("编制2021—2025年发展规划", "2021—2025年")
    assert (m.year, m.year_end) == (2021, 2025)


@pytest.mark.parametrize("text, expr, rec", [
    ("主席团成员每季度集中学习一次。", "每季度", "每季度"),
    ("每月安排一次委员接待日。", "每月", "每月"),
    ("坚持每三个月至少召开一次会议。", "每三个月", "每三个月"),
    ("每逢节假日组织开展文体活动。", "每逢节假日", "每逢节假日"),
    ("街道各部门每年年初都制定计划。", "每年年初", "每年"),
])
def test_recurrences(text, expr, rec):
    m = one(text, expr, plan_year=2024)
    assert m.recurrence == rec
    assert m.year is None            # a recurrence is not placed in one year


def test_recurrence_keeps_its_day_and_month():
    m = one("妇女节是在每年的3月8日。", "每年的3月8日")
    assert (m.recurrence, m.month, m.day) == ("每年", 3, 8)


def test_holidays_that_name_the_day():
    text = "纪念“三八”国际妇女节系列活动，春节前走访困难群众，元旦、“五四”、國慶等节日开展文体活动。"
    assert texts(text) == ["“三八”国际妇女节", "春节前", "元旦", "“五四”", "國慶"]
    assert [m.month for m in dates(text)] == [3, None, 1, 5, 10]
    assert one(text, "春节前").holiday == "春节"


def test_holiday_abbreviation_inside_an_event_name_is_not_a_date():
    text = "举办“六一”文艺汇演，组织“三八”女子跳绳比赛，开展“三八”维权周宣传。"
    assert texts(text) == []


def test_abbreviation_used_as_the_day_counts():
    text = "各村开展庆“三八”活动。"
    assert texts(text) == ["“三八”"]


@pytest.mark.parametrize("text", [
    "深入学习贯彻党的十九大精神和十九届六中全会精神",
    "编制“十四五”规划，召开二次全会",
    "全年召开会议4次，举办讲座6场",
    "三年来，委员们积极建言；一年来成绩显著",
    "届时将邀请市政协委员参加",
    "增长2.5%，投资1.2亿元，建党100周年",
    "在2023年初步建成，青年初心不改",
])
def test_non_dates(text):
    assert [t for t in texts(text) if t not in ("全年", "2023年")] == []


def test_year_resolution_against_plan_year_only():
    text = "去年成绩显著，今年工作要点如下，明年继续推进，5月中旬组织视察，2022年以来成效明显。"
    found = {text[s:e]: m for m in dates(text, plan_year=2021) for s, e in [m.span]}
    assert (found["去年"].year, found["去年"].year_source) == (2020, "relative")
    assert (found["今年"].year, found["今年"].year_source) == (2021, "relative")
    assert (found["明年"].year, found["明年"].year_source) == (2022, "relative")
    assert (found["5月中旬"].year, found["5月中旬"].year_source) == (2021, "plan")
    assert (found["2022年以来"].year, found["2022年以来"].year_source) == (2022, "text")
    assert found["2022年以来"].bound == "以来"


def test_without_plan_year_relative_years_stay_open():
    m = one("今年工作要点", "今年")
    assert m.year is None and m.year_source is None


@pytest.mark.parametrize("text, expr, period", [
    ("上半年召开专题议政会", "上半年", "上半年"),
    ("第三季度开展执法检查", "第三季度", "Q3"),
    ("年底前形成协商成果", "年底前", "年底"),
    ("年内举办培训班一期", "年内", "年内"),
    ("2020年上半年工作情况", "2020年上半年", "上半年"),
    ("12月底前完成", "12月底前", "月底"),
])
def test_parts_of_years_and_months(text, expr, period):
    assert one(text, expr).period == period


def test_iso_dates_and_times():
    text = "上传日期：2024-07-23 19:35:43"
    m = one(text, "2024-07-23 19:35:43")
    assert (m.year, m.month, m.day, m.time) == (2024, 7, 23, "19:35:43")


def test_day_and_time_of_day():
    m = one("5月25日下午，区政协召开会议。", "5月25日下午")
    assert (m.month, m.day, m.time) == (5, 25, "下午")


def test_bare_day_takes_the_month_of_the_line():
    text = "本报3月4日电 市政协主席4日在会上说"
    assert texts(text) == ["3月4日", "4日"]
    assert dates(text)[1].month == 3


def test_list_marker_before_a_month_is_not_part_of_it():
    text = "工作安排\n2.6月份召开座谈会\n3、4月份完成调研"
    assert texts(text) == ["6月份", "4月份"]


def test_spans_are_absolute_within_a_window():
    text = "无关文字2019年。计划正文：2024年5月组织视察。"
    start = text.index("计划")
    found = find_dates(normalize(text), start, len(text), plan_year=2024)
    assert [text[m.span[0]:m.span[1]] for m in found] == ["2024年5月"]


def _table_words(section: str) -> list[str]:
    from parser.extract.dates import load_tables

    t = load_tables()
    if section == "holiday":
        return [n for h in t["holiday"] for n in h.get("names", [])]
    return list(t[section])


@pytest.mark.parametrize("section", ["holiday", "deictic_year", "year_part"])
def test_every_table_word_is_found_on_its_own(section):
    for word in _table_words(section):
        text = f"会议决定，{word}，组织委员视察"
        assert texts(text) == [word], word


def test_lunar_months_have_no_gregorian_month():
    text = "正月初一团拜，农历三月初三对歌，元月召开全会"
    found = {text[m.span[0]:m.span[1]]: m.month for m in dates(text)}
    assert found == {"正月初一": None, "农历三月初三": None, "元月": 1}


def test_once_a_month_is_not_january():
    assert texts("理论学习一月一次，三月两次") == []


@pytest.mark.parametrize("text, expr", [
    ("2023年至今共走访群众500人次", "2023年至今"),
    ("今年前三季度完成投资", "今年前三季度"),
    ("3月15日报到，17日至19日分组视察", "17日至19日"),
    ("拟于二、三季度开展视察", "二、三季度"),
])
def test_bounds_and_lists_stay_in_one_mention(text, expr):
    assert expr in texts(text)


def test_a_before_bound_does_not_swallow_a_number():
    assert texts("2024年前5个月，3月前往调研") == ["2024年", "3月"]


def test_coming_year_and_working_days_and_holiday_points():
    assert texts("对今后一年的工作作出安排。", plan_year=2031) == ["今后一年"]
    assert one("对今后一年的工作作出安排。", "今后一年", plan_year=2031).year == 2031
    assert texts("活动室工作日全天免费开放。") == ["工作日全天"]
    assert texts("利用节日节点组织文艺演出。") == ["节日节点"]


def test_space_before_nian_and_year_ranges_in_brackets():
    assert texts("到 20XX 年底，文化站建成。") == ["20XX 年底"]
    assert texts("印发《养老服务提升行动方案(2031—2035)》。") == ["2031—2035"]
    assert one("印发《养老服务提升行动方案(2031—2035)》。", "2031—2035").year_end == 2035


def test_qijian_belongs_to_a_holiday_not_to_a_date_range():
    assert texts("3月1日至8日期间开展宣传。") == ["3月1日至8日"]
    assert texts("春节期间走访困难群众。") == ["春节期间"]


def test_a_day_written_without_ri_after_its_month():
    d = one("联谊会定于10月22在文化中心举行。", "10月22")
    assert (d.month, d.day) == (10, 22)
    d = one("集中培训时间为1月3至2月10。", "1月3至2月10")
    assert (d.month, d.month_end, d.day, d.day_end) == (1, 2, 3, 10)


def test_a_count_after_a_month_is_no_day():
    assert texts("全区5月15家企业参加招聘，3月20%的农户增收。") == ["5月", "3月"]


def test_month_end_after_a_repeated_month():
    d = one("各村于12月月底前上报台账。", "12月月底前")
    assert (d.month, d.period, d.bound) == (12, "月底", "前")


def test_a_compact_date():
    d = one("按照20310307会议纪要执行。", "20310307")
    assert (d.year, d.month, d.day) == (2031, 3, 7)
    assert texts("联系电话85201234，编号2031030712。") == []
