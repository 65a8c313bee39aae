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
