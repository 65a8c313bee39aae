"""Link choice: article / listing / neither by keywords, URL patterns, pagination and domains."""
from parser.scrape.links import ARTICLE, LISTING, classify, host_allowed, page_links, rules_for
from parser.scrape.profiles import load_profile, profile_from_dict


def rules(**links):
    return rules_for(profile_from_dict({"name": "t", "links": links}) if links else load_profile())


def test_keyword_anchor_is_article():
    assert classify("http://a.gov.cn/x/123.html", "某镇2024年工作要点", rules()) == ARTICLE
    assert classify("http://a.gov.cn/x/124.html", "区政协召开常委会议", rules()) is None


def test_article_url_needs_keyword_in_generic():
    r = rules()
    assert classify("http://a.gov.cn/c/202405/t20240512_77.html", "领导调研", r) is None
    r2 = rules(article_needs_keyword=False)
    assert classify("http://a.gov.cn/c/202405/t20240512_77.html", "领导调研", r2) == ARTICLE


def test_pagination_and_listing_urls():
    r = rules()
    assert classify("http://a.gov.cn/tzgg/index_2.html", "2", r) == LISTING
    assert classify("http://a.gov.cn/tzgg/list.jsp", "下一页", r) == LISTING
    assert classify("http://a.gov.cn/news?page=3", "", r) == LISTING


def test_denied_files_are_dropped_even_with_keywords():
    assert classify("http://a.gov.cn/f/2024工作计划.zip", "2024年工作计划", rules()) is None
    assert classify("http://a.gov.cn/f/2024.jpg", "2024年工作计划", rules()) is None


def test_document_files_with_keywords_are_articles():
    assert classify("http://a.gov.cn/f/2024工作计划.pdf", "2024年工作计划", rules()) == ARTICLE
    assert classify("http://a.gov.cn/f/2024.docx", "2024年工作要点.docx", rules()) == ARTICLE


def test_keywords_match_traditional_and_full_width_titles():
    r = rules()
    for title in ("某市人大常委會2019年監督工作計劃", "代表视察活动通知", "学雷锋志愿服务活动方案",
                  "２０２４年工作要點", "鎮政府工作打算", "明年工作思路"):
        assert classify("http://a.gov.cn/x/1.html", title, r) == ARTICLE, title
    assert classify("http://a.gov.cn/x/2.html", "县委常委会审议通过政协年度协商", r) is None


def test_page_links_resolves_dedupes_and_stays_on_site():
    anchors = [("plan.html#top", "2025年工作计划"), ("plan.html", "又一个工作计划"),
               ("http://other.org/p.html", "外站工作计划"), ("javascript:void(0)", "工作计划"),
               ("index_1.html", "下一页"), ("about.html", "关于我们")]
    got = page_links("http://sub.a.gov.cn/tz/index.html", anchors, rules(), ["a.gov.cn"])
    assert [(link.url, link.kind) for link in got] == [
        ("http://sub.a.gov.cn/tz/plan.html", ARTICLE), ("http://sub.a.gov.cn/tz/index_1.html", LISTING)]


def test_host_allowed_matches_subdomains_only():
    assert host_allowed("http://www.a.gov.cn/x", ["a.gov.cn"])
    assert not host_allowed("http://evila.gov.cn/x", ["a.gov.cn"])
