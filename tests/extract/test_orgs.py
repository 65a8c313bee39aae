"""Organisation mentions (parser.extract.orgs): what counts, exact spans, shared-prefix lists, kinds."""
import pytest

from parser.ingest.normalize import normalize
from parser.extract.orgs import find_orgs


@pytest.fixture(autouse=True)
def rules_only(monkeypatch, tmp_path):
    """These cases pin the rules (the models' features, and the parse without model files): no model is read."""
    monkeypatch.setenv("PLANPARSER_MODEL_DIR", str(tmp_path))


def texts(s: str) -> list[str]:
    """Mention texts as written in ``s`` (spans found on the normalised form)."""
    return [s[a:b] for a, b in (m.span for m in find_orgs(normalize(s)))]


def test_exact_spans_of_prefixed_bodies_and_departments():
    s = "今年，县政协办公室和县住建局将联合开展专题调研。"
    ms = find_orgs(normalize(s))
    assert [(m.text, m.span) for m in ms] == [("县政协办公室", (3, 9)), ("县住建局", (10, 14))]


def test_place_name_prefix_is_part_of_the_mention():
    assert texts("请于月底前报送青山区人民政府办公室。") == ["青山区人民政府办公室"]
    assert texts("柳河县政协召开主席会议。") == ["柳河县政协"]


def test_spans_are_absolute_inside_a_window():
    s = "前言不算。县政协常委会审议通过。后面也不算：市政府。"
    norm = normalize(s)
    start, end = s.index("县"), s.index("后")
    ms = find_orgs(norm, start, end)
    assert [(m.span, s[m.span[0]:m.span[1]]) for m in ms] == [((5, 11), "县政协常委会")]


def test_generic_references_do_not_count():
    s = "有关部门要配合，各民主党派和上级文化部门给予支持，委员和群众积极参与，各级政府加大投入。"
    assert texts(s) == []


def test_self_references_naming_a_body_count_places_do_not():
    assert texts("我局负责牵头，我站配合，本会按时报送。") == ["我局", "我站", "本会"]
    assert texts("对本级政府预算执行情况开展监督。") == ["本级政府"]
    assert texts("我镇、我县、我市、我区经济平稳增长。") == []


def test_bodies_fused_into_a_person_title_do_not_count():
    assert texts("县政协委员李某、县委书记王某和政协副主席赵某出席。") == []
    assert texts("与县委、县政府、县政协主要领导座谈。") == ["县委", "县政府", "县政协"]
    assert texts("参加人员：市政府分管副市长。") == ["市政府"]


def test_ad_hoc_teams_do_not_count_standing_bodies_do():
    assert texts("组成视察组和调研组深入一线。") == []
    got = texts("成立县林业局森林防火工作领导小组，领导小组下设办公室。")
    assert got == ["县林业局森林防火工作领导小组", "领导小组", "办公室"]


def test_bodies_in_their_own_meetings_count_fused_meeting_names_do_not():
    assert texts("每季度召开一次常委会会议。") == ["常委会"]
    assert texts("邀请代表列席主席团有关会议。") == ["主席团"]
    assert texts("深入学习中共二十大精神和区第五次党代会精神。") == []


def test_shared_prefix_list_keeps_text_and_gets_full_canonical():
    s = "由区政协研究室、文化文史和学习委员会共同组织实施。"
    ms = find_orgs(normalize(s))
    assert [m.text for m in ms] == ["区政协研究室", "文化文史和学习委员会"]
    second = ms[1]
    assert s[second.span[0]:second.span[1]] == "文化文史和学习委员会"
    assert second.canonical == "区政协文化文史和学习委员会"
    assert second.kind == "政协"


def test_shared_admin_prefix_list_of_departments():
    ms = find_orgs(normalize("由县财政局、农业局、水利局负责落实。"))
    assert [m.canonical for m in ms] == [None, "县农业局", "县水利局"]   # None: the text is the full name


def test_traditional_input_gives_spans_on_the_original_characters():
    s = "縣政協辦公室將組織委員視察，鎮黨委大力支持。"
    ms = find_orgs(normalize(s))
    assert [s[a:b] for a, b in (m.span for m in ms)] == ["縣政協辦公室", "鎮黨委"]
    assert ms[0].role == "organizer"


def test_kinds_come_from_the_lexicon():
    s = "县人大常委会、县人民政府、县委、县妇联和县政协联合举办。"
    kinds = {m.text: m.kind for m in find_orgs(normalize(s))}
    assert kinds == {"县人大常委会": "人大", "县人民政府": "政府", "县委": "党委", "县妇联": "群团",
                     "县政协": "政协"}


def test_bare_cppcc_is_the_system_unless_listed():
    assert texts("坚持党对政协工作的领导。") == []
    assert texts("年度重点督办件由人大、政协分别遴选。") == ["人大", "政协"]


def test_schools_and_companies_need_a_proper_name():
    assert texts("鼓励普通幼儿园发展。") == []
    assert texts("投资建设青禾小学。") == ["青禾小学"]


def test_masked_places_and_sessions_stay_in_the_mention():
    assert texts("在xx县政协的指导下开展工作。") == ["xx县政协"]
    assert texts("县十七届人大常委会第八次会议审议。") == ["县十七届人大常委会"]


def test_generic_words_opening_a_mention_and_generic_lists():
    assert texts("各乡镇人民政府要抓好落实。") == []
    assert texts("各县（市）、区人民政府负责落实。") == []
    assert texts("建立代表小组活动制度。") == []


def test_page_furniture_lines_inside_a_plan_are_skipped():
    assert texts("来源：某县人民政府办公室\n县政府办公室负责汇总。") == ["县政府办公室"]


def test_words_making_another_word_are_no_self_reference():
    assert texts("自我局限。我会议定后报送。我委将加强督办。") == ["我委"]


# ------------------------------------------------------------------ classes added for unseen documents

def texts(s: str) -> list[str]:
    return [m.text for m in find_orgs(normalize(s))]


def test_session_number_belongs_to_the_body():
    assert texts("第十五届全国人民代表大会常务委员会听取报告。") == ["第十五届全国人民代表大会常务委员会"]
    assert texts("政协青禾县第九届委员会召开常委会议。")[0] == "政协青禾县第九届委员会"


def test_party_prefix_and_an_unknown_place_before_a_committee():
    assert texts("在中共青禾县委的领导下开展工作。") == ["中共青禾县委"]


def test_bodies_written_together_are_one_mention():
    assert texts("在县委县政府的领导下，区委区政府高度重视。") == ["县委县政府", "区委区政府"]


def test_bodies_in_a_law_title_are_not_mentions_but_a_document_title_names_its_body():
    assert texts("依照《中华人民共和国城市居民委员会组织法》开展换届。") == []
    assert texts("会议审议了《青禾区政协2031年协商工作计划》。") == ["青禾区政协"]


def test_body_fused_into_a_person_s_title():
    assert texts("县政协党组书记、主席王某主持会议。") == []


def test_standing_groups_troupes_and_media():
    assert texts("成立安全生产领导组，组建民主评议小组。") == ["安全生产领导组", "民主评议小组"]
    assert texts("邀请县越剧团、镇腰鼓队参加演出。") == ["县越剧团", "镇腰鼓队"]
    assert texts("人民日报对此作了报道。") == ["人民日报"]
    assert texts("依托村新时代文明实践站开展宣讲。") == ["村新时代文明实践站"]


def test_generic_pairs_and_kinds_of_government():
    assert texts("全面落实上级党委、政府的部署。") == []
    assert texts("推进法治政府建设，打造服务型政府。") == []
    assert texts("县委、县政府高度重视。") == ["县委", "县政府"]


def test_unknown_street_name_before_its_level_and_body_and_organs_of_bodies():
    assert texts("青禾街道政协工作委员会召开会议。") == ["青禾街道政协工作委员会"]
    assert texts("组织委员到县人大机关座谈。") == ["县人大机关"]
    assert texts("2031年度市政协协商计划") == ["市政协"]


def test_issuer_code_of_a_document_number_is_no_mention():
    assert texts("按照县委办〔2031〕15号通知要求，县委办负责督查。") == ["县委办"]


def test_a_report_title_s_words_before_work_report_are_the_body_not_government():
    # 政府 in "……政府工作报告" names the report; the body before it is the mention
    assert texts("2031年中华人民共和国国务院政府工作报告") == ["中华人民共和国国务院"]
    # with a place before it, 政府 is the body that reports, and stays
    assert texts("青山区人民政府工作报告") == ["青山区人民政府"]
    # a bare body before it reports too (the 人大's and the 政府's reports): the pair stays one mention
    assert texts("会议将审议人大政府工作报告。") == ["人大政府"]
