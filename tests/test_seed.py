"""The page our first user gave us: five plans between navigation and a paywall, headings as in its gold."""
from __future__ import annotations

import json

from parser.pipeline import Options, Parser
from parser.ingest.read import read_document


def _parsed(shared):
    seed = sorted((shared / "seed").glob("000_*.txt"))[0]
    doc = Parser(Options(extract=False)).structure(read_document(str(seed)))
    gold = json.loads((shared / "eval" / "dev" / "seed.json").read_text(encoding="utf-8"))
    assert doc.text == gold["text"]
    return doc, gold


def _line(doc, offset: int) -> int:
    return doc.text.count("\n", 0, offset)


def test_seed_has_five_plans_with_their_titles(shared):
    doc, gold = _parsed(shared)
    assert len(doc.plans) == 5
    assert [p.title for p in doc.plans] == [g["title"] for g in gold["plans"]]
    assert [_line(doc, p.span[0]) for p in doc.plans] == [g["line"] for g in gold["plans"]]


def test_seed_headings_match_the_gold(shared):
    doc, gold = _parsed(shared)
    got = [(_line(doc, s.heading_span[0]), s.level, s.marker, s.title) for p in doc.plans for s in p.sections]
    want = [(h["line"], h["level"], h["marker"], h["title"]) for h in gold["headings"]]
    assert got == want


def test_seed_furniture_is_left_out(shared):
    doc, gold = _parsed(shared)
    first = gold["plans"][0]["line"]
    out = {_line(doc, s) for s, _ in doc.furniture}
    lines = doc.text.split("\n")
    # every non-blank line above the first plan, and the paywall block at the end
    assert {i for i in range(first) if lines[i].strip()} <= out
    last_plan_end = _line(doc, doc.plans[-1].span[1])
    assert {i for i in range(last_plan_end + 1, len(lines)) if lines[i].strip()} <= out
    assert all(_line(doc, p.span[1]) < last_plan_end + 1 for p in doc.plans)


LONG_FORMS = ("人民政府", "人民代表大会", "中国共产党", "中国人民政治协商会议", "届", "本级")
BARE = ("政协", "人大", "人大常委会", "政府", "党委")


def test_grouping_organisations_by_canonical_shows_each_body_under_one_name(shared):
    """Issue 18, measured: in the seed page's five plans no body appears under two canonical names."""
    from parser.tables.frames import to_frames

    seed = sorted((shared / "seed").glob("000_*.txt"))[0]
    doc = Parser().parse(read_document(str(seed)))
    orgs = to_frames([doc])["organizations"]
    assert len(orgs) > 100 and orgs["canonical"].notna().all()          # every row has one
    assert doc.plans[2].region == "洛阳市"
    for plan in doc.plans:
        names = set(orgs.loc[orgs["plan_id"] == plan.plan_id, "canonical"])
        assert not [n for n in names if any(w in n for w in LONG_FORMS)], plan.plan_id    # short forms only
        if not plan.region:
            continue
        level = plan.region[-1]
        # the plan's own place is filled in: 市政协, 政协 and 洛阳市政协 are one name, 洛阳市政协
        by_body: dict[str, set[str]] = {}
        for n in names:
            body = n[len(plan.region):] if n.startswith(plan.region) else n[1:] if n.startswith(level) else n
            by_body.setdefault(body, set()).add(n)
        assert {b: ns for b, ns in by_body.items() if len(ns) > 1} == {}, plan.plan_id
        assert not [n for n in names if n in BARE], plan.plan_id
    p3 = set(orgs.loc[orgs["plan_id"] == doc.plans[2].plan_id, "canonical"])
    assert {"洛阳市政协", "洛阳市政协经济委员会", "洛阳市委", "河南省委"} <= p3
