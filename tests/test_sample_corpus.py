"""The bundled sample corpus (corpus/sample): the manifest matches the files, and the parser matches the manifest.

The first group checks the corpus itself (files, encodings, lengths, coverage, originality); the
group marked "PARSER vs MANIFEST" checks what ``parser.parse_file`` finds on each file.
"""
from __future__ import annotations

import codecs
import csv
import html
import re
from pathlib import Path

import pytest

import parser
from parser.ingest.decode import decode_bytes
from parser.ingest.normalize import normalize
from parser.ingest.page import declared_charset

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample"
MANIFEST = SAMPLE / "MANIFEST.tsv"
COLUMNS = ["file", "encoding", "format", "body", "region", "admin_level", "year", "plans", "titles", "notes"]
# manifest encoding → the Python codec that decodes the bytes exactly, and the charsets a page may declare
CODECS = {"utf-8": "utf-8", "utf-8-bom": "utf-8-sig", "gbk": "gbk", "big5": "big5"}
DECLARED = {"gbk": {"gb2312", "gbk", "gb18030"}, "big5": {"big5"}}
BODIES = {"政协", "人大", "政府", "党委", "文化站", "其他"}
LEVELS = {"全国", "省", "市", "县", "区", "乡镇", "街道", "社区", "村"}


def _rows() -> list[dict]:
    with MANIFEST.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def _split(value: str) -> list[str]:
    return [v.strip() for v in value.split(" | ")]


def _per_plan(value: str, n: int) -> list[str | None]:
    """A manifest value for each of n plans: one value for all, or one per plan separated by " | "."""
    parts = _split(value)
    parts = parts * n if len(parts) == 1 else parts
    return [None if p == "null" else p for p in parts]


def _text(row: dict) -> str:
    data = (SAMPLE / row["file"]).read_bytes()
    return data.decode(CODECS[row["encoding"]])


ROWS = _rows()
IDS = [r["file"] for r in ROWS]


# ---------------------------------------------------------------- the corpus and its manifest

def test_manifest_has_the_documented_columns_and_one_row_per_file():
    with MANIFEST.open(encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
    assert header == COLUMNS
    on_disk = sorted(p.name for p in SAMPLE.iterdir() if p.name != "MANIFEST.tsv")
    assert sorted(IDS) == on_disk
    assert len(ROWS) >= 10
    for r in ROWS:
        assert None not in r and all(r[c] is not None and r[c].strip() for c in COLUMNS), r["file"]


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_manifest_values_are_well_formed(row):
    n = int(row["plans"])
    titles = _split(row["titles"])
    assert n >= 1 and len(titles) == n and all(titles)
    assert row["encoding"] in CODECS
    assert row["format"] == Path(row["file"]).suffix.lstrip(".")
    for col, allowed in (("body", BODIES), ("admin_level", LEVELS)):
        values = _per_plan(row[col], n)
        assert len(values) == n and set(values) <= allowed | {None}, col
    for y in _per_plan(row["year"], n):
        assert y is None or 2019 <= int(y) <= 2025
    assert len(_per_plan(row["region"], n)) == n


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_file_decodes_with_the_stated_encoding(row):
    data = (SAMPLE / row["file"]).read_bytes()
    expected = data.decode(CODECS[row["encoding"]])
    dec = decode_bytes(data, row["file"], declared=declared_charset(data) if row["format"] == "html" else None)
    assert dec.text == expected
    assert dec.bom == (row["encoding"] == "utf-8-bom")
    assert data.startswith(codecs.BOM_UTF8) == (row["encoding"] == "utf-8-bom")
    if row["encoding"] in ("gbk", "big5"):
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")
        assert declared_charset(data).lower() in DECLARED[row["encoding"]]


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_file_length_and_titles_are_in_the_text(row):
    text = _text(row)
    assert 1500 <= len(text) <= 6000
    lines = [ln.strip() for ln in re.sub(r"<[^>]+>", "\n", text).split("\n")]
    for title in _split(row["titles"]):
        assert title in lines, title
    for region in _per_plan(row["region"], int(row["plans"])):
        assert region is None or region in text


def test_corpus_covers_the_required_styles():
    everything = "\n".join(html.unescape(re.sub(r"<[^>]+>", "", _text(r))) for r in ROWS)
    bodies = {b for r in ROWS for b in _per_plan(r["body"], int(r["plans"]))}
    assert {"政协", "人大", "政府", "文化站"} <= bodies and bodies & {"党委", "其他"}
    years = {y for r in ROWS for y in _per_plan(r["year"], int(r["plans"]))}
    assert {str(y) for y in range(2019, 2026)} <= years and None in years
    assert "20--年" in everything
    assert {r["encoding"] for r in ROWS} == set(CODECS)
    for marker in (r"^一、", r"^（一）", r"^1\.", r"^1、", r"^（1）", r"^① ?", r"^第一章", r"^第一条",
                   r"协商\(\d项\)$", r"^协商内容：", r"^时间安排：", r"^牵头单位：", r"^参加人员：",
                   r"^1\.时间：", r"一是.*二是", r"篇一$", r"篇三$", r"关于印发《.*工作要点》的通知$",
                   r"格式:DOC 上传日期:", r"小编:", r"下面小编为大家", r"全文阅读已结束", r"下载此文档",
                   r"付费复制", r"扫码支付", r"当前位置：首页 > ", r"发布时间：2023-03-15 来源："):
        assert re.search(marker, everything, re.M), marker
    for phrase in ("5月中旬", "6月中旬和11月下旬", "上半年", "第三季度", "年底前", "每季度", "“三八”国际妇女节",
                   "国庆节", "6月—9月", "组织实施", "牵头", "邀请", "责任单位：", "由市政协办公室、"):
        assert phrase in everything, phrase


def test_corpus_copies_no_24_character_run_of_the_real_texts(shared):
    n = 24

    def prep(text: str) -> str:
        return re.sub(r"\s+", "", normalize(re.sub(r"<[^>]+>", "", text)))

    grams: set[str] = set()
    real = [*shared.glob("seed/*.txt"), *shared.glob("eval/dev/*.txt"), *shared.glob("pages/*.txt"),
            *shared.glob("pages/*.html")]
    assert real
    for path in real:
        t = prep(decode_bytes(path.read_bytes(), str(path)).text)
        grams.update(t[i:i + n] for i in range(len(t) - n + 1))
    for row in ROWS:
        t = prep(_text(row))
        copied = [t[i:i + n] for i in range(len(t) - n + 1) if t[i:i + n] in grams]
        assert not copied, (row["file"], copied[:3])


# ---------------------------------------------------------------- PARSER vs MANIFEST
# What parser.parse_file finds on each sample file must match the manifest's ground truth.

@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_parser_finds_the_expected_plans_and_titles(row):
    doc = parser.parse_file(str(SAMPLE / row["file"]))
    assert [p.title.strip() for p in doc.plans] == _split(row["titles"])
    assert len(doc.plans) == int(row["plans"])


@pytest.mark.parametrize("row", ROWS, ids=IDS)
def test_parser_describes_each_plan_as_the_manifest_says(row):
    doc = parser.parse_file(str(SAMPLE / row["file"]))
    n = int(row["plans"])
    assert len(doc.plans) == n
    want = {c: _per_plan(row[c], n) for c in ("body", "region", "admin_level", "year")}
    for i, plan in enumerate(doc.plans):
        region = normalize(plan.region) if plan.region else None
        assert plan.body == want["body"][i]
        assert region == (normalize(want["region"][i]) if want["region"][i] else None)
        assert plan.admin_level == want["admin_level"][i]
        assert plan.year == (int(want["year"][i]) if want["year"][i] else None)
