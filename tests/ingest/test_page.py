"""HTML pages as documents: decoding (GBK, a wrong declared charset), titles, dates, block lines, CLI text."""
from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from parser.errors import HtmlWithoutBody
from parser.ingest.maintext import extract_main
from parser.ingest.page import block_lines, declared_charset, find_title, iso_date, parse_html, title_parts
from parser.ingest.read import document_from_bytes, read_document


def test_gbk_page_decodes_and_extracts(fixtures):
    path = fixtures / "pages" / "gbk_page.html"
    assert declared_charset(path.read_bytes()) == "gb2312"
    doc = read_document(str(path))
    assert doc.encoding == "gb18030"
    assert doc.page_title == "柳塘街道2024年社区文化活动安排"
    assert doc.published == "2024-03-08"
    lines = doc.text.split("\n")
    assert lines[0].startswith("为丰富辖区居民精神文化生活")
    assert lines[-1] == "三、九月至十月开展重阳敬老系列活动，走访慰问辖区高龄老人。"
    assert "浏览次数" not in doc.text and "打印" not in doc.text and "首页" not in doc.text


def test_utf8_bytes_declared_gb2312_decode_as_utf8():
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=GB2312">'
            "<title>示例镇协商计划--示例网</title></head><body><h1>示例镇协商计划</h1>"
            "<div><p>围绕乡村振兴开展专题协商，全年安排三次协商议事活动。</p>"
            "<p>邀请政协委员、村民代表参加，形成意见建议报送镇党委。</p></div></body></html>")
    doc = document_from_bytes(html.encode("utf-8"), "page.html")
    assert doc.encoding == "utf-8"
    assert doc.page_title == "示例镇协商计划"
    assert "全年安排三次协商议事活动" in doc.text


def test_page_without_body_raises(fixtures):
    html = (fixtures / "pages" / "no_body.html").read_text(encoding="utf-8")
    with pytest.raises(HtmlWithoutBody):
        extract_main(html, "no_body.html")
    with pytest.raises(HtmlWithoutBody):
        parse_html("<html><body>  </body></html>", "blank.html")


def test_title_parts_split_on_site_separators_only():
    assert title_parts("某县2024年工作要点 _ 某县人民政府") == ["某县2024年工作要点", "某县人民政府"]
    assert title_parts("工作要点--文化--某网") == ["工作要点", "文化", "某网"]
    assert title_parts("2023-2025年行动方案|某市政府") == ["2023-2025年行动方案", "某市政府"]


def test_find_title_prefers_the_heading_matching_the_longest_part():
    soup = BeautifulSoup("<html><head><title>某区文化站工作计划-某区网</title></head><body>"
                         "<div class='logo'>某区网</div><div class='title'><b>某区文化站工作计划</b></div>"
                         "<p>正文。</p></body></html>", "lxml")
    title, el = find_title(soup)
    assert title == "某区文化站工作计划"
    assert el is not None and "title" in el.get("class")


def test_find_title_without_a_matching_element_takes_the_longest_part():
    soup = BeautifulSoup("<html><head><title>网站 | 某镇2024年重点工作安排</title></head>"
                         "<body><p>正文内容。</p></body></html>", "lxml")
    assert find_title(soup)[0] == "某镇2024年重点工作安排"


def test_iso_date_forms():
    assert iso_date("发布时间：2023-5-12 10:00") == "2023-05-12"
    assert iso_date("2023年05月12日") == "2023-05-12"
    assert iso_date("2023/13/40 and 2024.02.03") == "2024-02-03"
    assert iso_date("第3-5条") is None


def test_block_lines_breaks_blocks_and_br_and_folds_space():
    soup = BeautifulSoup("<div><p>一、 总体\u00a0要求</p>第一行<br>第二行<span>续</span>"
                         "<ul><li>甲</li><li>乙</li></ul></div>", "lxml")
    assert block_lines(soup.div) == ["一、 总体 要求", "第一行", "第二行续", "甲", "乙"]


def test_layout_table_cells_with_paragraphs_stay_lines():
    soup = BeautifulSoup("<table><tr><td><p>第一段较长的正文内容。</p><p>第二段。</p></td>"
                         "<td><table><tr><td>甲</td><td>乙</td></tr></table></td></tr></table>", "lxml")
    assert block_lines(soup.table) == ["第一段较长的正文内容。", "第二段。", "甲\t乙"]


def test_cli_text_format_writes_title_then_text(fixtures, tmp_path):
    from parser.cli import main

    rc = main(["parse", str(fixtures / "pages" / "gov_article.html"), "--format", "text",
               "--out", str(tmp_path), "--quiet"])
    assert rc == 0
    out = (tmp_path / "gov_article.txt").read_text(encoding="utf-8").split("\n")
    assert out[0] == "青溪县文化馆2024年工作计划"
    assert out[1].startswith("为繁荣群众文化生活")
    assert "一、指导思想" in out


def test_a_row_with_one_filled_cell_is_a_plain_line():
    soup = BeautifulSoup("<table><tr><td><img src='h.png'></td><td>位置：首页 &gt; 通知</td></tr>"
                         "<tr><td>甲</td><td></td><td>丙</td></tr></table>", "lxml")
    assert block_lines(soup.table) == ["位置：首页 > 通知", "甲\t\t丙"]
