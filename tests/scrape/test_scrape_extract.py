"""Page extraction: decoding (gb2312 label, GBK bytes), selectors, dates from the page, breadcrumb."""
from parser.scrape.extract import extract_page, iso_date
from parser.scrape.profiles import load_profile, profile_from_dict

PAGE = """<html><head><meta charset="gb2312"><title>某镇2024年工作要点_某镇政府</title>
<meta name="PubDate" content="2024-03-05 08:00"></head><body>
<div class="crumb">当前位置：首页 &gt; 计划总结</div>
<h1 class="t">某镇2024年工作要点</h1><div class="src">发布时间：2024年3月6日</div>
<div id="zw"><p>一、发展产业</p><p>推进堃山茶园建设。</p><div class="ad">扫码关注</div></div></body></html>"""


def profile():
    return profile_from_dict({"name": "t", "selectors": {"title": ["h1.t"], "content": ["#zw"],
                                                          "date": [".src"], "breadcrumb": [".crumb"],
                                                          "furniture": [".ad"]}})


def test_iso_date_forms():
    assert iso_date("发布时间：2024年3月6日") == "2024-03-06"
    assert iso_date("2024-03-05 08:00") == "2024-03-05T08:00"
    assert iso_date("2024/13/40") is None and iso_date("无日期") is None


def test_gbk_bytes_declared_gb2312_decode_as_gb18030():
    ex = extract_page(PAGE.encode("gbk"), "http://x/a.html", "text/html; charset=gb2312", profile(), "a")
    assert ex.status in ("ok", "parse_error") and ex.encoding == "gb18030"
    assert "堃山茶园" in ex.text


def test_profile_selectors_give_exact_text_title_date_breadcrumb():
    ex = extract_page(PAGE.encode("utf-8"), "http://x/a.html", "text/html", profile(), "a")
    assert ex.text == "某镇2024年工作要点\n一、发展产业\n推进堃山茶园建设。\n"
    assert ex.title == "某镇2024年工作要点"
    assert ex.published == "2024-03-06"          # the profile's date selector wins over <meta>
    assert ex.breadcrumb == "当前位置：首页 > 计划总结"


def test_generic_takes_date_from_meta_and_drops_breadcrumb_line():
    ex = extract_page(PAGE.encode("utf-8"), "http://x/a.html", "text/html", load_profile(), "a")
    assert ex.published == "2024-03-05T08:00"
    assert "当前位置" not in ex.text and "堃山茶园" in ex.text


def test_plain_text_and_broken_pages_are_reported_not_raised():
    ex = extract_page("某街道2025年工作计划\n一、总体要求\n".encode("utf-8"), "http://x/p.txt", "text/plain",
                      load_profile(), "p")
    assert ex.title == "某街道2025年工作计划" and ex.text.startswith("某街道")
    bad = extract_page(b"\x00\x01\x02binary", "http://x/b.html", "text/html", load_profile(), "b")
    assert bad.status == "extract_error" and bad.text is None and bad.error


def test_generic_profile_keeps_every_expected_line_of_the_fixture_site(fixtures):
    """A site nobody described: the general method must not lose any line of the main text."""
    site = fixtures / "site"
    for name in ("plan-a", "plan-gbk", "flaky", "plan-c", "multi"):
        ex = extract_page((site / f"{name}.html").read_bytes(), f"http://x/{name}.html", "text/html",
                          load_profile(), name)
        got = set(ex.text.splitlines())
        missing = [ln for ln in (site / "_expected" / f"{name}.txt").read_text("utf-8").splitlines() if ln not in got]
        assert ex.status == "ok" and not missing, (name, missing)


def test_profile_encoding_override_decodes_an_undeclared_page():
    body = "<html><body><p>某镇2024年工作要点</p><p>一、推进堃山茶园建设。</p></body></html>".encode("gbk")
    ex = extract_page(body, "http://x/a.html", "text/html", profile_from_dict({"encoding": "gbk"}), "a")
    assert ex.encoding == "gb18030" and "堃山茶园" in ex.text
