from parser.ingest.normalize import fold_width, normalize


def test_width_folding_keeps_length_and_maps_punctuation():
    text = "（一）１２３，ＡＢ：．、\u3000x\u00a0y"
    out = normalize(text)
    assert len(out) == len(text)
    assert out.startswith("(一)123,AB:.、")
    assert " x y" in out


def test_traditional_becomes_simplified_same_length():
    text = "政協辦公室工作計劃\n鄉鎮人大"
    out = normalize(text)
    assert out == "政协办公室工作计划\n乡镇人大"


def test_masked_placeholders_kept():
    for s in ("20--年", "201x年", "xxxx年", "--届", "爱---"):
        assert fold_width(s) == s


def test_a_long_text_is_converted_in_pieces_with_the_same_result(monkeypatch):
    from parser.ingest import normalize as norm

    lines = ["政協辦公室工作計劃", "乾隆年間的頭髮", "發展計劃，們的", "", "abc 123"]   # 乾隆 is a phrase rewrite
    text = "\n".join(lines[i % len(lines)] for i in range(2000))
    whole = norm.to_simplified(text)
    monkeypatch.setattr(norm, "CHUNK", 100)
    pieces = list(norm._pieces(text, 100))
    assert "".join(pieces) == text and len(pieces) > 50
    assert all(p.endswith("\n") and len(p) <= 100 for p in pieces[:-1])
    assert norm.to_simplified(text) == whole and len(whole) == len(text)
    assert "政协办公室工作计划" in whole
