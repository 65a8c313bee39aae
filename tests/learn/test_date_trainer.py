"""The date trainer (parser.learn.dates) on small documents written here: it learns a time word the gold
marks and a bare number it does not, writes the same bytes twice, and the parser reads what it writes."""
import pytest

from parser import models
from parser.extract import date_model
from parser.learn import dates as trainer
from parser.learn.gold import GoldDoc


def doc(i: int) -> GoldDoc:
    """A small plan: a time word and a month the gold marks, and a file number (no date) it does not."""
    lines = [f"青禾县第{i}小学工作计划", "一、重点工作", f"本学期开展读书活动,3月前完成,档案编号203{i}。"]
    text = "\n".join(lines)
    starts, pos = [], 0
    for line in lines:
        starts.append(pos)
        pos += len(line) + 1

    def at(line: int, word: str) -> dict:
        col = lines[line].index(word)
        s = starts[line] + col
        return {"line": line, "col": col, "text": word, "month": None, "span": (s, s + len(word))}

    return GoldDoc(name=f"d{i}", group="synthetic", text=text, starts=starts, plans=[{"line": 0, "title": lines[0]}],
                   headings=[], dates=[at(2, "本学期"), at(2, "3月前")])


@pytest.fixture
def docs() -> list[GoldDoc]:
    return [doc(i) for i in range(8)]


def test_the_model_learns_the_gold_and_the_parser_reads_it(docs, tmp_path, monkeypatch):
    monkeypatch.setenv(models.ENV, str(tmp_path))
    text = "青禾县第九小学工作计划\n一、工作\n本学期组织观影,4月前完成,档案编号2039。"
    assert [m.text for m in date_model.find_dates(text)] == ["4月前"]     # the grammar alone
    report = trainer.train(docs, tmp_path)
    assert report["lexicon"] == 1 and (tmp_path / "dates.json").is_file()
    assert [m.text for m in date_model.find_dates(text)] == ["本学期", "4月前"]     # not the file number


def test_training_is_deterministic(docs, tmp_path):
    for name in ("a", "b"):
        (tmp_path / name).mkdir()
        trainer.train(docs, tmp_path / name)
    assert (tmp_path / "a" / "dates.json").read_bytes() == (tmp_path / "b" / "dates.json").read_bytes()


def test_cross_validation_reports_model_and_grammar(docs, shared):
    # the figures are score.py's matching (../shared/eval/score.py), as for the organisation models
    out = trainer.cross_validate(docs, 2)
    assert "model" in out and "grammar" in out and "F1" in out
