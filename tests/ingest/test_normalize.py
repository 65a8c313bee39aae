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
