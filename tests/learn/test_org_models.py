"""The organisation trainers (parser.learn.orgs, parser.learn.roles) on small documents written here: they
learn what the gold marks, write the same bytes twice, and the parser reads what they write."""
import pytest

from parser import models
from parser.extract import orgs
from parser.ingest.normalize import normalize
from parser.learn import orgs as tagger_trainer
from parser.learn import roles as role_trainer
from parser.learn.gold import GoldDoc

BANDS = ["红星乐队", "蓝天乐队", "金穗乐队", "白鹭乐队", "青松乐队", "晨曦乐队", "春雨乐队", "远帆乐队"]


def doc(i: int, band: str) -> GoldDoc:
    """A small plan: a title naming its body, a band that leads, a bureau invited to take part."""
    lines = [f"青禾县文化馆203{i % 10}年工作计划", "一、重点工作",
             f"由{band}牵头，邀请县文旅局参加送戏下乡演出。", "二、保障措施", "加强经费保障。"]
    text = "\n".join(lines)
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1

    def at(line: int, word: str, role: str) -> dict:
        col = lines[line].index(word)
        s = starts[line] + col
        return {"line": line, "col": col, "text": word, "role": role, "span": (s, s + len(word))}

    return GoldDoc(name=f"t{i}", group="synthetic", text=text, starts=starts,
                   plans=[{"line": 0, "title": lines[0]}], headings=[],
                   organizations=[at(0, "青禾县文化馆", "other"), at(2, band, "organizer"),
                                  at(2, "县文旅局", "participant")])


@pytest.fixture
def docs() -> list[GoldDoc]:
    return [doc(i, band) for i, band in enumerate(BANDS)]


def test_the_tagger_learns_the_gold_and_the_parser_reads_it(docs, tmp_path, monkeypatch):
    monkeypatch.setenv(models.ENV, str(tmp_path))
    s = normalize("由朝阳乐队牵头，邀请县文旅局参加。")
    assert "朝阳乐队" not in [m.text for m in orgs.find_orgs(s)]       # the rules need a place or a body
    report = tagger_trainer.train(docs, tmp_path)
    assert report["sequences"] > 0 and (tmp_path / "orgs.crfsuite").is_file()
    assert "朝阳乐队" in [m.text for m in orgs.find_orgs(s)]


def test_training_is_deterministic(docs, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    for out in (a, b):
        tagger_trainer.train(docs, out)
        role_trainer.train(docs, out)
    for name in ("orgs.crfsuite", "roles.json"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_the_role_model_learns_the_title_body_is_other(docs, tmp_path, monkeypatch):
    monkeypatch.setenv(models.ENV, str(tmp_path))
    report = role_trainer.train(docs, tmp_path)
    assert report["examples"] == 3 * len(docs)
    got = {m.text: m.role for m in orgs.find_orgs(normalize("青禾县文化馆2040年工作计划\n由县文旅局牵头，邀请县文化馆参加。"))}
    assert got == {"青禾县文化馆": "other", "县文旅局": "organizer", "县文化馆": "participant"}
