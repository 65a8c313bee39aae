"""jieba's tables from the cache: the same segmentation and tags as jieba builds; no HMM tables at import."""
from __future__ import annotations

import subprocess
import sys

import pytest

from parser.extract import cache, jieba_tables


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.ENV, str(tmp_path))
    return tmp_path


def test_cached_jieba_segments_and_tags_as_jieba_itself(folder):
    import jieba

    words = ["市政协调研室", "农业农村委员会", "政协", "调研"]
    tables = jieba_tables.tables_with(words, tag="nt")
    tk = tables.tokenizer()
    fresh = jieba.Tokenizer()
    fresh.initialize()
    for w in words:
        fresh.add_word(w, tag="nt")
    text = "市政协调研室会同农业农村委员会开展调研，邀请政协委员参加。"
    assert list(tk.cut(text, HMM=False)) == list(fresh.cut(text, HMM=False))
    assert tk.FREQ == fresh.FREQ and tk.total == fresh.total and tk.user_word_tag_tab == fresh.user_word_tag_tab
    # the tag table: a user word's tag wins; the dictionary's own tag stays readable
    assert tables.tags["市政协调研室"] == tables.tags["调研"] == "nt" and tables.tags["来到"] == "v"
    assert tables.dictionary_tag("调研") == "vn" and tables.dictionary_tag("市政协调研室") == ""
    assert tables.dictionary_tag("来到") == "v" and tables.dictionary_tag("不是一个词") == ""
    # from the cache in a new process: the same tables, without building them
    code = ("import sys; from parser.extract import jieba_tables as j\n"
            "j._build = j._read_tags = lambda *a: sys.exit('rebuilt')\n"
            "t = j.tables_with(sys.argv[1:], tag='nt'); print(t.total, len(t.tags), len(t.freq))")
    out = subprocess.run([sys.executable, "-c", code, *words], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [str(tk.total), str(len(tables.tags)), str(len(tk.FREQ))]


def test_every_tagged_line_of_the_dictionary_is_read(folder):
    # the first and the last tag of a word agree (an old lookup took the first line, the tokenizer the last)
    first: dict[str, str] = {}
    with open(jieba_tables._dict_file(), encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) == 3:
                first.setdefault(parts[0], parts[2])
    assert jieba_tables._read_tags() == first
    tables = jieba_tables.tables_with(["政协"], tag="nt")
    assert all(tables.dictionary_tag(w) == t for w, t in first.items())


def test_jieba_is_imported_without_its_hmm_tables_which_load_when_used():
    code = ("import sys; from parser.extract.jieba_tables import _jieba; jieba = _jieba()\n"
            "before = 'jieba.finalseg.prob_emit' in sys.modules\n"
            "words = list(jieba.cut('他来到了网易杭研大厦'))   # 杭研 is found by the HMM only\n"
            "print(before, 'jieba.finalseg.prob_emit' in sys.modules, '/'.join(words))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "他/来到/了/网易/杭研/大厦"]


CUT_SAMPLES = [
    "区政协办公室牵头，各专门委员会配合，3月底前完成。",
    "青禾县人大常委会2025年监督工作计划（草案）",
    "组织委员赴石塘镇、大观园街道开展“送文化下乡”活动 联系电话：0571-8888 6666",
    "ABC公司和x2y3实验室、C++小组及e-mail、#话题# 100%完成\r\n第二行\t制表",
    "",
    "   ",
    "一、二、（三）4.（5）⑥",
    "中共磐安县委办公室关于印发《2024年工作要点》的通知",
]


@pytest.mark.parametrize("text", CUT_SAMPLES)
def test_cut_gives_jiebas_words(text):
    # the one-pass cutter must give exactly the words jieba's own cut gives with the same tables
    from parser.extract.orgs import _tables

    tables = _tables()
    assert tables.cut(text) == list(tables.tokenizer().cut(text, HMM=False))


def test_cut_gives_jiebas_words_on_the_sample_corpus():
    from pathlib import Path

    from parser.extract.orgs import _tables

    tables = _tables()
    tk = tables.tokenizer()
    files = sorted((Path(__file__).resolve().parents[2] / "corpus" / "sample").rglob("*.txt"))
    assert files
    for path in files:
        for line in path.read_text("utf-8").splitlines():
            assert tables.cut(line) == list(tk.cut(line, HMM=False)), line
