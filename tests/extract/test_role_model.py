"""The role classifier (parser.extract.role_model, role_features): features of a mention's construction,
the linear model applied without scikit-learn, and the shipped model giving every mention its role."""
import pytest

from parser import models
from parser.extract import orgs
from parser.extract.role_features import mention_features
from parser.extract.role_model import from_dict
from parser.ingest.normalize import normalize


def feats(s: str) -> dict[str, list[str]]:
    """Each mention's features by its text (the last one of a text written twice)."""
    norm = normalize(s)
    sc = orgs.scan(norm)
    ms = [orgs.OrgMention(text=norm[a:b], span=(a, b), kind=orgs.span_kind(norm, (a, b), sc)) for a, b in sc.spans]
    orgs.assign_roles(norm, ms, orgs._first_word)
    out = mention_features(norm, 0, len(norm), ms, [m.role for m in ms], orgs._first_word)
    return {m.text: f for m, f in zip(ms, out)}


def test_features_of_the_field_label_the_rule_and_the_list():
    f = feats("牵头单位：县妇联、团县委")
    assert "forganizer" in f["县妇联"] and "fl单位" in f["县妇联"]
    assert "rorganizer" in f["团县委"]
    assert "pfirst" in f["县妇联"] and "plast" in f["团县委"] and "L2" in f["县妇联"]


def test_features_of_the_words_around_and_the_place_in_the_plan():
    f = feats("青禾县政协2031年工作要点\n由县政协办公室牵头组织调研。\n县人大常委会审议通过了计划。")
    assert "title" in f["青禾县政协"]
    assert "b1由" in f["县政协办公室"] and "aw牵头" in f["县政协办公室"] and "youTrue" in f["县政协办公室"]
    assert "approveTrue" in f["县人大常委会"] and "subjTrue" in f["县人大常委会"]


def test_a_notice_header_and_a_line_of_its_own():
    f = feats("青禾县人民政府办公室关于印发2031年工作要点的通知")
    assert "notice" in f["青禾县人民政府办公室"]
    line_alone = feats("正文。\n青禾县人民政府办公室\n2031年1月5日")
    assert "alone" in line_alone["青禾县人民政府办公室"]


def test_people_of_a_body_after_it_and_a_list_opening_its_line():
    f = feats("参加人员：青禾县政府分管副县长、县财政局负责同志\n青禾县文化馆明确年度重点\n今年县妇联将组织培训。")
    assert "peopleTrue" in f["青禾县政府"] and "peopleTrue" in f["县财政局"]
    assert "lstartshort" in f["青禾县文化馆"] and "peopleFalse" in f["青禾县文化馆"]
    assert not any(x.startswith("lstart") for x in f["县妇联"])


def test_words_of_acting_together_before_and_after():
    f = feats("联合县文化馆开展展览。县妇联与县团委共同举办培训。")
    assert "jbTrue" in f["县文化馆"] and "jaFalse" in f["县文化馆"]
    assert "jaTrue" in f["县团委"] and "jbFalse" in f["县妇联"]


def test_the_linear_model_takes_the_label_of_highest_score():
    m = from_dict({"format": 1, "labels": ["organizer", "participant", "other"], "scale": 10,
                   "bias": [0, 0, 5], "weights": {"b1由": [20, 0, 0], "b2邀请": [0, 20, 0]}})
    assert m.predict(["b1由"]) == "organizer"
    assert m.predict(["b2邀请", "unknown"]) == "participant"
    assert m.predict([]) == "other"
    with pytest.raises(ValueError):
        from_dict({"format": 99})


@pytest.fixture
def bundled(monkeypatch):
    monkeypatch.delenv(models.ENV, raising=False)
    if models.model_path("roles.json") is None:
        pytest.skip("no trained role model in parser/data/models")


def test_the_bundled_model_gives_every_mention_a_role(bundled):
    got = [(m.text, m.role) for m in orgs.find_orgs(normalize("牵头单位：区商务局\n协办单位：区财政局"))]
    assert got == [("区商务局", "organizer"), ("区财政局", "organizer")]       # GUIDE: 协办单位 organise too
    got = [(m.text, m.role) for m in orgs.find_orgs(normalize("由县政协办公室牵头，邀请县人社局参加座谈。"))]
    assert got == [("县政协办公室", "organizer"), ("县人社局", "participant")]
