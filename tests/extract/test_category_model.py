"""The trained category model: its file, its predictions on our own sentences, and its training script."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from parser.extract.categories import load_taxonomy
from parser.extract.category_features import ngrams, section_features
from parser.extract.category_lexicon import lexicon_evidence
from parser.extract.category_model import MODEL_FILE, from_dict, load_model, predict
from parser.models import BUNDLED

from test_categories import build, build_doc

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_MODEL = BUNDLED / MODEL_FILE


def test_model_file_loads_with_the_twelve_labels():
    m = load_model()
    assert set(m.labels) == set(load_taxonomy().labels) and len(m.labels) == 12
    assert m.weights.shape == (len(m.index), 12)
    assert DEFAULT_MODEL.stat().st_size < 2_000_000


def test_model_file_holds_short_features_only():
    """Learned features are short n-grams and lexicon names, never passages of text."""
    data = json.loads(DEFAULT_MODEL.read_text(encoding="utf-8"))
    grams = 0
    for name in data["features"]:
        prefix, _, rest = name.partition(":")
        if prefix.lstrip("W") in ("t", "b", "p", "c", "P", "A"):      # text n-gram blocks
            grams += 1
            assert 1 <= len(rest) <= 3, name
        else:                                                           # lexicon labels, tree places
            assert rest in load_taxonomy().labels or prefix.lstrip("W") in ("s", "K", "Lstrength", "Lweak"), name
    assert grams > 100
    assert len(data["features"]) == len(set(data["features"]))


def test_generic_title_is_decided_by_its_body():
    _, secs = build([(1, "一、", "工作措施。认真做好委员提案的征集和办理工作,围绕群众关心的问题组织专题协商会,"
                                  "及时报送社情民意信息。"), (1, "二、", "加强学习。组织委员学习理论。")], taxonomy=None)
    assert secs[0].category == "协商议政"
    assert 0.5 < secs[0].category_score <= 1.0            # a probability, not a lexicon score
    assert "提案" in secs[0].category_terms


def test_model_labels_sections_of_a_small_plan():
    _, secs = build([(1, "一、", "指导思想。以新思想为指导,全面贯彻会议精神。"),
                     (1, "二、", "活动内容。组织志愿者走访慰问辖区困难老人和残疾人家庭,发放慰问金。"),
                     (1, "三、", "丰富群众文化生活。举办全民健身运动会,组织广场舞展演和篮球比赛。")], taxonomy=None)
    assert [s.category for s in secs] == ["总体要求", "社会民生", "文化体育"]
    assert all(s.category in load_taxonomy().labels for s in secs)
    assert secs[0].category_terms[0] == "指导思想"


def test_an_explicit_taxonomy_uses_the_lexicon(tmp_path):
    """The default file named explicitly, or a user's: lexicon scores (not probabilities)."""
    _, secs = build([(1, "一、", "指导思想。以新思想为指导,全面贯彻会议精神。")])
    assert secs[0].category == "总体要求" and secs[0].category_score > 1.0
    path = tmp_path / "mine.toml"
    path.write_text('[labels."交通"]\n[labels."交通".keywords]\n"道路" = 2\n\n[labels."其他"]\n', encoding="utf-8")
    _, secs = build([(1, "一、", "修缮道路"), (1, "二、", "指导思想")], taxonomy=str(path))
    assert [s.category for s in secs] == ["交通", "交通"]    # 其他 has no words: the first label is default


def test_a_broken_model_file_is_named_in_the_error(tmp_path):
    bad = tmp_path / "model.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="model.json"):
        load_model(str(bad))
    bad.write_text('{"format": 99}', encoding="utf-8")
    with pytest.raises(ValueError, match="format"):
        load_model(str(bad))


def test_runtime_does_not_import_the_trainer():
    code = ("import sys\nfrom parser.pipeline import Parser\n"
            "d = Parser().parse_text('2024年工作计划\\n一、认真办理提案\\n组织委员视察。\\n')\n"
            "assert d.plans[0].sections[0].category\n"
            "assert 'sklearn' not in sys.modules and 'scipy' not in sys.modules, 'trainer imported'\n")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr[-2000:]


def test_ngrams_stay_inside_runs_of_chinese():
    assert ngrams("加强,学习2024", (2,)) == ["加强", "学习"]
    assert ngrams("协商议政", (1, 3)) == ["协", "商", "议", "政", "协商议", "商议政"]


def test_ngrams_skip_pinyin_left_by_a_script_converter():
    # some sites' converters leave a character's pinyin after it: 园区(qū)建设 reads as 园区建设
    assert ngrams("园区(qū)建设", (2,)) == ngrams("园区建设", (2,)) == ["园区", "区建", "建设"]
    assert ngrams("推动(dòng)发展", (2,)) == ["推动", "动发", "发展"]
    # brackets that hold words, not pinyin, still break the run
    assert ngrams("方案(试行)实施", (2,)) == ["方案", "试行", "实施"]


def _features(spec=None):
    doc, plan = build_doc([(1, "一、", "主要任务"), (2, "(一)", "认真办理提案。提高办理质量。"),
                           (2, "(二)", "开展民主监督。")])
    tax = load_taxonomy()
    return section_features(doc, plan, lexicon_evidence(doc, plan, tax), tax, spec)


def test_features_are_deterministic_and_see_the_tree():
    text_blocks = {"body_w": 1.0, "parent_w": 0.5, "children_w": 0.7}
    a, b = _features(text_blocks), _features(text_blocks)
    assert a == b and [list(x) for x in a] == [list(x) for x in b]     # same values, same order
    top, child = a[0], a[1]
    assert "c:办理" in top and "s:parent" in top            # the children's titles
    assert "p:任务" in child and "s:leaf" in child          # the parent's title
    assert "b:质量" in child and "t:提案" in child


def test_default_features_read_the_text_blocks():
    """On 404 documents the section's body, its tree and the whole plan add to the lexicon (0.651 → 0.697)."""
    top, child = _features()[:2]
    assert "t:提案" in child and "s:leaf" in child and any(k.startswith("Lo:") for k in child)
    assert any(k.startswith("b:") for k in child) and any(k.startswith("p:") for k in child)
    assert any(k.startswith("c:") for k in top)


def _toy_samples():
    from parser.learn.categories import Sample

    rows = [("协商议政", {"t:提案": 1.0, "b:协商": 0.5}), ("协商议政", {"t:协商": 1.0, "b:提案": 0.5}),
            ("文化体育", {"t:演出": 1.0, "b:比赛": 0.5}), ("文化体育", {"t:比赛": 1.0, "b:演出": 0.5}),
            ("协商议政", {"t:提案": 1.0, "b:视察": 0.5}), ("文化体育", {"t:演出": 1.0, "b:健身": 0.5})]
    return [Sample(doc=f"d{i}", feats=f, gold=g, lexicon=g)
            for i, (g, f) in enumerate(rows)]


def test_training_is_deterministic_and_its_output_predicts():
    pytest.importorskip("sklearn")
    from parser.learn.categories import fit

    labels = list(load_taxonomy().labels)
    one = fit(_toy_samples(), labels, {}, C=10.0, min_df=2)
    two = fit(_toy_samples(), labels, {}, C=10.0, min_df=2)
    assert json.dumps(one, ensure_ascii=False) == json.dumps(two, ensure_ascii=False)
    assert "t:提案" in one["features"] and all(len(f) < 8 for f in one["features"])
    m = from_dict(one)
    assert m.labels[predict(m, {"t:提案": 1.0}).best()] == "协商议政"
    assert m.labels[predict(m, {"t:演出": 1.0}).best()] == "文化体育"


def test_cross_validated_accuracy_by_document(shared):
    """5-fold by document over the training documents on the parser's own sections (issue 19 asks 0.72 on
    hidden documents; 0.697 measured: this is a ratchet below it)."""
    pytest.importorskip("sklearn")
    from parser.learn.categories import cross_validate
    from parser.learn.evaluate import default_folders
    from parser.learn.train import training_docs

    report = cross_validate(training_docs(default_folders(), synthetic=False), 5)
    model = float(report.split("model ")[1].split(",")[0])
    assert model >= 0.68, report
