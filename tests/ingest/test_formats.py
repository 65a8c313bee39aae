"""Document files into text: .docx and .pdf made here with Chinese text, spreadsheets, sniffing by bytes,
and clear errors for a broken PDF, a scan, an old binary .doc/.wps and an empty file."""
from __future__ import annotations

import io
import json

import pytest

from parser.cli import main
from parser.errors import InputEmpty, InputUndecodable, UnsupportedInput
from parser.ingest.formats import OLE_MAGIC, document_text, is_document_name, sniff
from parser.ingest.read import read_document

PLAN = ["青禾县政协2024年工作要点",
        "一、总体要求",
        "坚持以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，围绕县委中心工作，"
        "履行政治协商、民主监督、参政议政职能，为全县经济社会高质量发展贡献智慧和力量。",
        "二、重点工作",
        "（一）加强政治理论学习",
        "每季度组织一次委员学习会，由县政协办公室牵头，邀请县委党校参加。",
        "（二）開展專題協商",
        "围绕乡村振兴开展专题协商，6月中旬召开协商会。"]


def test_docx_paragraphs_and_table_rows(make_docs):
    data = make_docs.docx(PLAN, table=[["序号", "任务", "牵头单位"], ["1", "开展视察", "县政协办公室"]])
    got = document_text(data, "plan.docx")
    assert got.format == "docx"
    assert got.text.split("\n")[:len(PLAN)] == PLAN                    # one paragraph a line, as written
    assert "序号\t任务\t牵头单位\n1\t开展视察\t县政协办公室\n" in got.text


def test_pdf_wrapped_lines_join_back_and_page_numbers_go(make_docs):
    long_plan = PLAN + ["（三）" + "加强委员履职能力建设，" * 12 + "确保各项工作落到实处。"] * 6
    got = document_text(make_docs.pdf(long_plan), "plan.pdf")
    assert got.format == "pdf" and got.pages >= 2
    assert got.text.split("\n")[:-1] == long_plan                      # paragraphs rebuilt across page breaks
    assert "- 1 -" not in got.text


def test_sniffing_trusts_bytes_over_names(make_docs):
    docx_data, pdf_data = make_docs.docx(PLAN), make_docs.pdf(PLAN)
    assert sniff(docx_data, "plan.wps") == "docx"                      # WPS saves .docx under .wps
    assert sniff(pdf_data, "download.jsp?id=3") == "pdf"
    assert sniff(OLE_MAGIC + b"\0" * 600, "plan.doc") == "ole"
    assert document_text(docx_data, "plan.wps").text.startswith(PLAN[0])
    assert is_document_name("http://a.gov.cn/f/附件1.DOCX?v=2") and not is_document_name("http://a.gov.cn/a.html")


def test_spreadsheets_one_row_a_line():
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工作任务", "完成时限"])
    ws.append([1, "召开专题协商会", "6月底前"])
    ws.append([None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    got = document_text(buf.getvalue(), "tasks.xlsx")
    assert got.format == "xlsx" and got.text == "序号\t工作任务\t完成时限\n1\t召开专题协商会\t6月底前\n"


@pytest.mark.parametrize("data, name, error, words", [
    (b"%PDF-1.4\n1 0 obj << /Type /Catalog", "broken.pdf", InputUndecodable, "not a readable PDF"),
    (OLE_MAGIC + b"\0" * 2000, "plan.doc", UnsupportedInput, "unsupported format"),
    (OLE_MAGIC + b"\0" * 2000, "plan.wps", UnsupportedInput, ".wps"),
    (b"PK\x03\x04 truncated", "plan.docx", InputUndecodable, "damaged"),
    (b"{\\rtf1\\ansi hello}", "plan.doc", UnsupportedInput, "RTF"),
])
def test_bad_files_are_clear_errors(data, name, error, words):
    with pytest.raises(error) as e:
        document_text(data, name)
    assert e.value.source == name and words in e.value.reason


def test_scanned_pdf_is_an_error_not_an_empty_plan(make_docs):
    with pytest.raises(InputEmpty) as e:
        document_text(make_docs.scanned(), "scan.pdf")
    assert "scanned PDF" in e.value.reason and "OCR" in e.value.reason


def test_read_document_spans_point_into_the_extracted_text(tmp_path, make_docs):
    path = tmp_path / "要点.pdf"
    path.write_bytes(make_docs.pdf(PLAN))
    doc = read_document(str(path))
    assert doc.text.split("\n")[0] == PLAN[0] and len(doc.norm) == len(doc.text)
    assert "开展专题协商" in doc.norm                                     # Traditional folded for matching only


def test_parse_command_takes_docx_and_pdf_and_reports_bad_files(tmp_path, make_docs, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.docx").write_bytes(make_docs.docx(PLAN))
    (tmp_path / "in" / "b.pdf").write_bytes(make_docs.pdf(PLAN))
    (tmp_path / "in" / "c.pdf").write_bytes(b"%PDF-1.4 broken")
    (tmp_path / "in" / "d.doc").write_bytes(OLE_MAGIC + b"\0" * 2000)
    rc = main(["parse", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--no-extract", "--workers", "1"])
    err = capsys.readouterr().err
    assert rc == 1 and "c.pdf: not a readable PDF" in err and "d.doc: unsupported format" in err
    assert "2 parsed, 2 failed" in err
    for name in ("a", "b"):
        out = json.loads((tmp_path / "out" / f"{name}.json").read_text("utf-8"))
        text = read_document(str(tmp_path / "in" / ("a.docx" if name == "a" else "b.pdf"))).text
        plan = out["plans"][0]
        assert plan["title"] == PLAN[0]
        assert [(s["marker"], s["title"]) for s in plan["sections"]] == [
            ("一、", "总体要求"), ("二、", "重点工作"), ("（一）", "加强政治理论学习"), ("（二）", "開展專題協商")]
        for s in plan["sections"]:
            assert text[s["span"][0]:s["span"][1]].startswith(s["marker"])


def _numbered_docx() -> bytes:
    """A .docx whose headings are numbered by Word (a chineseCounting list), not typed."""
    import docx
    from lxml import etree

    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    document = docx.Document()
    numbering = document.part.numbering_part.element
    ab = etree.Element(w + "abstractNum", {w + "abstractNumId": "90"})
    for ilvl, (fmt, text) in enumerate([("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]):
        lvl = etree.SubElement(ab, w + "lvl", {w + "ilvl": str(ilvl)})
        for tag, val in (("start", "1"), ("numFmt", fmt), ("lvlText", text)):
            etree.SubElement(lvl, w + tag, {w + "val": val})
    numbering.find(w + "num").addprevious(ab)
    num = etree.SubElement(numbering, w + "num", {w + "numId": "90"})
    etree.SubElement(num, w + "abstractNumId", {w + "val": "90"})

    def numbered(text: str, ilvl: int) -> None:
        num_pr = etree.SubElement(document.add_paragraph(text)._p.get_or_add_pPr(), w + "numPr")
        etree.SubElement(num_pr, w + "ilvl", {w + "val": str(ilvl)})
        etree.SubElement(num_pr, w + "numId", {w + "val": "90"})

    document.add_paragraph("某县2024年工作要点")
    for text, ilvl in (("总体要求", 0), ("重点工作", 0), ("加强学习", 1), ("每月一次", 2), ("每季一次", 2),
                       ("做好协商", 1), ("保障措施", 0)):
        numbered(text, ilvl)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def test_word_list_numbering_is_written_as_shown():
    from parser.ingest.numbering import chinese

    assert [chinese(n) for n in (1, 10, 12, 20, 21, 105, 110)] == ["一", "十", "十二", "二十", "二十一", "一百零五",
                                                                    "一百一十"]
    got = document_text(_numbered_docx(), "numbered.docx").text.split("\n")
    assert got[:8] == ["某县2024年工作要点", "一、总体要求", "二、重点工作", "（一）加强学习", "1.每月一次", "2.每季一次",
                       "（二）做好协商", "三、保障措施"]
