"""Site profiles: bundled generic, user folders first, lists merged over generic, clear errors."""
import pytest

from parser.errors import ConfigError
from parser.scrape.profiles import available, generic, load_profile


def test_generic_has_plan_keywords_and_no_start_urls():
    g = load_profile()
    assert g.name == "generic" and "工作要点" in g.keywords and "协商计划" in g.keywords
    assert g.start_urls == () and g.selectors() is None


def test_bundled_profiles_load_and_extend_generic():
    names = available()
    assert {"generic", "trs-wcm", "jcms"} <= set(names)
    trs = load_profile("trs-wcm")
    assert ".TRS_Editor" in trs.content and trs.keywords == generic().keywords
    assert trs.selectors()["content"][0] == ".TRS_Editor"


def test_user_folder_wins_and_paths_work(tmp_path):
    (tmp_path / "mysite.toml").write_text(
        'start_urls = ["https://x.gov.cn/tzgg/"]\nencoding = "gbk"\n[links]\nkeywords = ["年度打算"]\n'
        '[selectors]\ncontent = [".zw"]\n[crawl]\ndepth = 5\n', "utf-8")
    p = load_profile("mysite", str(tmp_path))
    assert p.name == "mysite" and p.start_urls == ("https://x.gov.cn/tzgg/",) and p.encoding == "gbk"
    assert p.keywords[0] == "年度打算" and "工作计划" in p.keywords
    assert p.crawl["depth"] == 5
    assert load_profile(str(tmp_path / "mysite.toml")).content == (".zw",)


def test_unknown_profile_and_bad_regex_raise_config_errors(tmp_path):
    with pytest.raises(ConfigError, match="no such site profile"):
        load_profile("nosuchsite", str(tmp_path))
    bad = tmp_path / "bad.toml"
    bad.write_text("[links]\narticle = ['(unclosed']\n", "utf-8")
    with pytest.raises(ConfigError, match="bad regular expression"):
        load_profile(str(bad))


def test_user_config_folder_is_searched(tmp_path, monkeypatch):
    folder = tmp_path / "planparser" / "profiles"
    folder.mkdir(parents=True)
    (folder / "county.toml").write_text('description = "my county"\n', "utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert load_profile("county").description == "my county"
    assert "county" in available()
