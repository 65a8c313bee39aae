"""The organisation tagger (parser.extract.org_tagger, org_features): windows, features, decoding, and the
model shipped in parser/data/models deciding the spans (the rules without it)."""
import pytest

from parser import models
from parser.extract import org_features, orgs
from parser.extract.org_tagger import decode
from parser.ingest.normalize import normalize


def features(s: str):
    norm = normalize(s)
    sc = orgs.scan(norm)
    cands, feats = org_features.document_features(norm, 0, len(norm), sc)
    return norm, cands, feats


def test_bio_labels_decode_to_spans():
    assert decode(["O", "B", "I", "I", "O", "B", "B", "I"], 10) == [(11, 14), (15, 16), (16, 18)]
    assert decode(["I", "I", "O"], 0) == [(0, 2)]          # an I after O opens a span
    assert decode(["O", "O"], 0) == []


def test_windows_surround_what_the_rules_propose_and_take_a_field_value_whole():
    norm, cands, _ = features("今年全县经济平稳增长。由县政协办公室牵头组织调研。\n牵头界别组：医卫一组")
    windows = [norm[c.start:c.end] for c in cands]
    assert not any("经济" in w for w in windows)             # nothing proposed in the first clause
    assert any("县政协办公室" in w for w in windows)
    assert "医卫一组" in windows                              # the value of a unit field, however unusual
    field = next(c for c in cands if norm[c.start:c.end] == "医卫一组")
    assert field.label == "别组" and not field.title


def test_each_character_gets_its_neighbours_grammar_class_and_the_rules_mark():
    norm, cands, feats = features("由县政协办公室牵头组织调研。")
    c, f = next((c, f) for c, f in zip(cands, feats) if c.start <= norm.index("县") < c.end)
    first = f[norm.index("县") - c.start]
    assert "c县" in first and "c-由" in first and "b+县政" in first
    assert any(x.startswith("rgB") for x in first)           # the rules' mention starts here
    assert any(x.startswith("wp由") for x in first)          # the word before its piece


def test_the_title_line_is_marked():
    _, cands, feats = features("青禾县政协2031年工作要点\n县政协办公室负责汇总。")
    assert cands[0].title and "T" in feats[0][0]
    assert not cands[-1].title


@pytest.fixture
def bundled(monkeypatch):
    if models.model_path("orgs.crfsuite") is None:
        pytest.skip("no trained tagger in parser/data/models")
    monkeypatch.delenv(models.ENV, raising=False)


def test_the_bundled_tagger_finds_plain_mentions(bundled):
    ms = orgs.find_orgs(normalize("由县政协办公室牵头，邀请市人大常委会和县妇联参加。"))
    assert [m.text for m in ms] == ["县政协办公室", "市人大常委会", "县妇联"]
    assert [m.kind for m in ms] == ["政协", "人大", "群团"]


def test_without_a_model_file_the_rules_decide(monkeypatch, tmp_path):
    monkeypatch.setenv(models.ENV, str(tmp_path))
    s = normalize("县政协委员李某出席。成立安全生产领导组。")
    assert [m.text for m in orgs.find_orgs(s)] == [s[m[0]:m[1]] for m in orgs.scan(s).spans]
