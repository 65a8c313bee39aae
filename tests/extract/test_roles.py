"""Roles from constructions (parser.extract.roles via parser.extract.orgs.find_orgs): one case per construction."""
import pytest

from parser.ingest.normalize import normalize
from parser.extract.orgs import find_orgs


@pytest.fixture(autouse=True)
def rules_only(monkeypatch, tmp_path):
    """These cases pin the rules (the models' features, and the parse without model files): no model is read."""
    monkeypatch.setenv("PLANPARSER_MODEL_DIR", str(tmp_path))


def roles(s: str) -> list[tuple[str, str]]:
    return [(m.text, m.role) for m in find_orgs(normalize(s))]


def test_you_x_organises():
    assert roles("由县政协文史委组织实施。") == [("县政协文史委", "organizer")]


def test_list_after_you_shares_the_role():
    assert roles("由县农业农村局、县林业局负责。") == [("县农业农村局", "organizer"), ("县林业局", "organizer")]


def test_x_leads():
    assert roles("县发改局牵头，县财政局配合。") == [("县发改局", "organizer"), ("县财政局", "participant")]


def test_lead_unit_field():
    assert roles("牵头单位：区商务局") == [("区商务局", "organizer")]


def test_responsible_unit_field():
    assert roles("责任单位：区应急管理局、区消防大队") == [("区应急管理局", "organizer"), ("区消防大队", "organizer")]


def test_x_will_organise():
    assert roles("二季度，镇人大将组织代表视察农村道路建设。") == [("镇人大", "organizer")]


def test_x_convenes_and_carries_out():
    assert roles("区政协组织召开协商座谈会。") == [("区政协", "organizer")]
    assert roles("县工商联组织开展“万企兴万村”活动。") == [("县工商联", "organizer")]


def test_participants_field():
    got = roles("参加人员：县教育局、县卫健局负责同志")
    assert got == [("县教育局", "participant"), ("县卫健局", "participant")]


def test_invite_x_to_take_part():
    assert roles("邀请县人社局参加座谈。") == [("县人社局", "participant")]


def test_organiser_of_an_activity():
    assert roles("组织委员参加市妇联组织的培训。") == [("市妇联", "organizer")]


def test_consult_with_x():
    assert roles("与县委、县政府主要负责同志面对面协商。") == [("县委", "participant"), ("县政府", "participant")]


def test_reviewed_by_x():
    assert roles("书目经县政协读书活动指导组评议后发布。") == [("县政协读书活动指导组", "organizer")]


def test_other_when_no_construction():
    assert roles("在县委的坚强领导下，全县经济稳步增长。") == [("县委", "other")]
    assert roles("完善市人大常委会对法规的审查机制。") == [("市人大常委会", "other")]


def test_fields_inside_parentheses_and_after_a_semicolon():
    got = roles("（牵头单位：县交通运输局；配合单位：县财政局）")
    assert got == [("县交通运输局", "organizer"), ("县财政局", "participant")]


def test_x_jointly_with_y_organises():
    assert roles("市政协联合市民政局召开专题协商会。") == [("市政协", "organizer"), ("市民政局", "organizer")]


def test_x_at_its_numbered_meeting_hears_a_report_but_adopting_a_text_is_no_organising():
    assert roles("县人大常委会第十次会议听取县林业局专项报告。")[0] == ("县人大常委会", "organizer")
    assert roles("（2024年3月1日县政协十届五次主席会议通过）") == [("县政协", "other")]


def test_field_name_from_a_head_and_a_unit_word():
    assert roles("联办单位：区妇联") == [("区妇联", "organizer")]
    assert roles("配合科室：区档案馆") == [("区档案馆", "participant")]


def test_several_fields_on_one_line_each_give_their_role():
    assert roles("牵头单位：区水利局  配合单位：区财政局") == [("区水利局", "organizer"), ("区财政局", "participant")]


def test_table_columns_named_in_a_header_row():
    text = ("序号\t工作任务\t牵头单位\t配合单位\t完成时限\n"
            "1\t建设口袋公园\t区住建局\t区城管局\t6月底\n"
            "2\t改造老旧小区\t区房管局\t区财政局\t12月底")
    got = roles(text)
    assert got == [("区住建局", "organizer"), ("区城管局", "participant"),
                   ("区房管局", "organizer"), ("区财政局", "participant")]


def test_subject_with_a_phrase_before_its_verb():
    assert roles("今年，县文联在春节期间开展送春联下乡活动。") == [("县文联", "organizer")]


def test_subject_under_guidance_acts_in_the_next_clause():
    assert roles("区政协在区委的领导下，紧紧围绕全区中心工作履职尽责。")[0] == ("区政协", "organizer")
    assert roles("区政协在区委的领导下，今年是关键一年。")[0] == ("区政协", "other")


def test_list_closed_by_deng_takes_the_verb_after_it():
    got = roles("县政协牵头，县农业农村局、县人社局等部门参加调研。")
    assert got == [("县政协", "organizer"), ("县农业农村局", "participant"), ("县人社局", "participant")]


def test_subject_followed_by_a_verb_adverb_or_preposition_acts():
    assert roles("县档案馆已完成档案数字化。") == [("县档案馆", "organizer")]
    assert roles("今年，县文化馆承担全县群众文化辅导工作。") == [("县文化馆", "organizer")]
    assert roles("县图书馆在 20XX 年将针对读者需求增设分馆。") == [("县图书馆", "organizer")]


def test_subject_that_does_not_act():
    assert roles("县委关于加强基层治理的意见。") == [("县委", "other")]
    assert roles("区政协又将怎么做呢？") == [("区政协", "other")]
    assert roles("（2031年1月5日区人大常委会第十次主任会议通过）") == [("区人大常委会", "other")]


def test_subject_after_a_bare_list_number():
    assert roles("1县图书馆计划筹集图书一万册。") == [("县图书馆", "organizer")]


def test_leaders_of_bodies_act_for_them():
    got = roles("县委、县政府主要领导领衔督办重点提案。")
    assert got == [("县委", "organizer"), ("县政府", "organizer")]
