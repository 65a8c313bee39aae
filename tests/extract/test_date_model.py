"""The date model: candidates beyond the grammar, their features, the keep/drop decision and the fallback
(sentences written here)."""
import json

import pytest

from parser.extract import date_model
from parser.extract.date_features import Candidate, extra_candidates, features, shape
from parser.extract.dates import find_dates as grammar_find
from parser.models import ENV


def test_shape_keeps_date_characters_and_classes_the_rest():
    assert shape("2024年3月5日") == "0000年0月0日"
    assert shape("二〇二四年") == "九九九九年"
    assert shape("下午19:00") == "下x00:00"          # 下 is a date word's character (下旬, 下半年)


def test_extra_candidates_find_bare_years_and_clock_times_outside_the_grammar():
    import ahocorasick_rs

    text = "团委2023的工作计划,本学期下午19:00-20:00在礼堂,2024年3月"
    taken = [(m.span) for m in grammar_find(text)]
    lex = ahocorasick_rs.AhoCorasick(["本学期", "2024年"], matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)
    found = {(text[s:e], c.source) for c in extra_candidates(text, 0, len(text), taken, lex) for s, e in [c.span]}
    assert ("2023", "year") in found and ("本学期", "lex") in found and ("下午19:00-20:00", "clock") in found
    assert not any(t.startswith("2024") for t, _ in found)         # the grammar's 2024年 is not proposed again


def test_features_read_the_line_around_a_candidate():
    text = "县政协2024年工作要点\n发布日期:2024-01-05\n3月前完成"
    s = text.index("2024-01-05")
    f = features(text, Candidate((s, s + 10), "g:iso"), text.index("\n"))
    assert f["src:g:iso"] == 1.0 and f["label:日期"] == 1.0 and "title" not in f and f["line_end"] == 1.0
    t = features(text, Candidate((3, 8), "g:date"), text.index("\n"))
    assert t["title"] == 1.0 and t["n1:工"] == 1.0 and t["p1:协"] == 1.0


def _model_dir(tmp_path, weights, lexicon=()):
    data = {"format": 1, "threshold": 0.0, "lexicon": list(lexicon),
            "model": {"format": 1, "labels": ["date"], "scale": 1000, "bias": [1000], "weights": weights}}
    (tmp_path / "dates.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_the_model_keeps_and_drops_by_its_weights(tmp_path, monkeypatch):
    # bias +1: everything is kept, except what a negative weight pulls below zero
    monkeypatch.setenv(ENV, str(_model_dir(tmp_path, {"label:日期": [-3000], "src:year": [-3000]}, ["本学期"])))
    text = "本学期开展活动,2023的总结。\n发布日期:2024-01-05"
    got = [m.text for m in date_model.find_dates(text)]
    assert got == ["本学期"]                # 2023 (a bare year) and the dated label row are dropped


def test_without_a_model_file_the_grammar_decides(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV, str(tmp_path))
    text = "本学期开展活动,3月5日前完成,2023的总结"
    assert [m.text for m in date_model.find_dates(text)] == [m.text for m in grammar_find(text)] == ["3月5日前"]


def test_the_bundled_model_reads_time_words_and_clock_times():
    if date_model.load() is None:
        pytest.skip("no trained date model in parser/data/models")
    text = "县文化馆2024年工作计划\n本学期我们将在暑假前开展读书活动,下午19:00-20:00在礼堂演出。"
    got = {m.text: m for m in date_model.find_dates(text, plan_year=2024)}
    assert {"2024年", "本学期", "下午19:00-20:00"} <= set(got)
    assert got["下午19:00-20:00"].time == "下午19:00-20:00" and got["本学期"].year == 2024


def test_named_days_in_quotes_or_after_an_ordinal_are_candidates():
    text = "了解“国际博物馆日”的由来,组织第六个公民道德宣传日活动,举办“读书节”"
    found = [text[s:e] for c in extra_candidates(text, 0, len(text), [], None) for s, e in [c.span]]
    assert found == ["国际博物馆日", "公民道德宣传日", "读书节"]


def test_a_short_label_line_above_is_a_feature():
    text = "县政协2024年工作要点\n发文日期\n2024年01月05日\n一、总体要求"
    s = text.index("2024年01月05日")
    assert features(text, Candidate((s, s + 11), "g:date"), text.index("\n"))["prev_short:日期"] == 1.0
