"""The line model's trainer: labels from the gold, a deterministic model, K-fold figures beside the rules."""
from __future__ import annotations

from parser.learn import lines
from parser.learn.gold import GoldDoc
from parser.learn.split import fold_of

P = "围绕全年目标，组织干部群众开展学习，推动各项工作落到实处，确保年底前完成。"


def _doc(name: str, text: str, plans: list[dict], headings: list[dict]) -> GoldDoc:
    starts, pos = [], 0
    for line in text.split("\n"):
        starts.append(pos)
        pos += len(line) + 1
    return GoldDoc(name=name, group="t", text=text, starts=starts, plans=plans, headings=headings)


def _docs(n: int) -> list[GoldDoc]:
    out = []
    for k in range(n):
        text = "\n".join(["首页 > 工作计划", "发布时间：2025-01-03", f"某镇202{k % 10}年工作计划", "一、总体要求", P,
                          "时间安排：6月", "二、重点工作", P])
        out.append(_doc(f"s{k}", text, [{"line": 2, "title": f"某镇202{k % 10}年工作计划"}],
                        [{"line": 3, "level": 1}, {"line": 6, "level": 1}]))
    return out


def test_labels_from_the_gold():
    d = _doc("a", "\n".join(["朗读", "来源：镇政府", "", "一、总体要求", P, "时间安排：6月", "某镇工作计划", P]),
             [{"line": 3, "title": ""}, {"line": 6, "title": "某镇工作计划"}], [{"line": 3, "level": 1}])
    from parser.ingest.read import make_document
    from parser.structure.line_features import rule_view

    view = rule_view(make_document(d.text, "a"))
    assert lines.gold_labels(d, view) == ["top", "top", "", "start_heading", "body", "field", "title", "body"]
    assert lines.shown(lines.gold_labels(d, view), view) == ["furniture", "meta", "", "start_heading", "body", "field",
                                                            "title", "body"]


def test_training_is_deterministic_and_small(tmp_path):
    docs = _docs(12)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    report = lines.train(docs, tmp_path / "a")
    lines.train(docs, tmp_path / "b")
    a, b = (tmp_path / "a" / "lines.crfsuite").read_bytes(), (tmp_path / "b" / "lines.crfsuite").read_bytes()
    assert a == b and 0 < len(a) < 1_000_000
    assert report["labels"]["title"] == 12 and report["labels"]["heading"] == 24 and report["labels"]["field"] == 12


def test_cross_validation_reports_model_and_rules():
    docs = _docs(15)
    assert len({fold_of(d.name, 3) for d in docs}) == 3
    out = lines.cross_validate(docs, 3)
    assert out.startswith("lines 3-fold by document (15 docs): model | rules")
    assert "plans          F1" in out and "headings       F1" in out and "title" in out
