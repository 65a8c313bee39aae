"""The view without a script converter's pinyin, and its map back onto the text (sentences written here)."""
from parser.ingest.debris import compact
from parser.pipeline import Options, Parser


def test_pinyin_after_characters_is_removed_and_spans_map_back():
    text = "由社區(qū)黨總支牵头,邀请國務(wù)院参加"
    view = compact(text)
    assert view.text == "由社區黨總支牵头,邀请國務院参加"
    # 社區黨總支 in the view covers 社區(qū)黨總支 in the text; a span ending on a character takes its pinyin
    s = view.text.index("社區黨總支")
    a, b = view.to_original((s, s + 5))
    assert text[a:b] == "社區(qū)黨總支"
    s = view.text.index("國務")
    a, b = view.to_original((s, s + 2))
    assert text[a:b] == "國務(wù)"
    # and back: a span of the text onto the view
    assert view.to_compact((text.index("國"), text.index("院") + 1)) == (s, s + 3)


def test_chained_brackets_and_text_without_pinyin():
    assert compact("二(er)(er)○○九年(nian)").text == "二○○九年"
    plain = compact("方案(试行)和附件(a)及图(1)")
    assert plain.text == "方案(试行)和附件(a)及图(1)" and plain.keep is None
    assert compact("社区(shè qū)").text == "社区(shè qū)"      # two words in brackets: not converter debris


def test_parser_reads_mentions_through_the_pinyin():
    text = "社區(qū)2024年工作計劃\n一、加強學習\n由社區(qū)黨總支牵头,邀請國務(wù)院參加。5月(yuè)底前完成。"
    doc = Parser(Options()).parse_text(text)
    orgs = {(text[m.span[0]:m.span[1]], m.text, m.canonical, m.role) for p in doc.plans for m in p.organizations}
    assert ("社區(qū)黨總支", "社區(qū)黨總支", "社区党总支", "organizer") in orgs
    assert any(m.text == "國務(wù)院" and m.canonical == "国务院" for p in doc.plans for m in p.organizations)
    assert any(d.text == "5月(yuè)底前" for p in doc.plans for d in p.dates)
