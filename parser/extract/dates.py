"""Time expressions with normalised fields (GUIDE.md "dates").

A small grammar (one ``regex`` pattern built from the tables in ``data/dates.toml``) finds
years, months, days, parts of years and months, ranges, recurrences and holidays on
``Document.norm``; each match is then read field by field and its year resolved against
the plan's year (never against today's date).
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import regex

from ..model import DateMention

DATA = Path(__file__).resolve().parents[1] / "data" / "dates.toml"

QUOTE_OPEN = "“‘\"'「『"
QUOTE_CLOSE = "”’\"'」』"
CN_DIGIT = "[〇○零0一二三四五六七八九]"
CN_MONTH = "(?:十[一二]|十|[一二三四五六七八九元])"
CN_DAY = "(?:三十一|三十|二十[一二三四五六七八九]|二十|十[一二三四五六七八九]|十|[一二三四五六七八九])"
AR_MONTH = "(?:1[0-2]|0?[1-9])"
AR_DAY = "(?:3[01]|[12][0-9]|0?[1-9])"
LUNAR_DAY = "初[一二三四五六七八九十]"
QUARTER = "[一二三四1-4]"
# a number after "." is a decimal (1.5月) unless the "." ends a list marker at a line start ("2.6月份")
LIST_DOT = "(?:(?<!\\.)|(?<=(?:^|\\n|[ ])[0-9]{1,2}\\.))"
# "7、8月份" is one expression, but at a line start "3、" is a list marker
NOT_LINE_START = "(?<!(?:^|\\n)[ ]*)"
KINDS = ("iso", "open", "rec", "hol", "date", "part", "bday")


@dataclass(frozen=True)
class Grammar:
    """The compiled pattern and the lookup tables its matches are read with."""

    pattern: regex.Pattern
    fields: dict[str, regex.Pattern]
    numerals: dict[str, int]
    deictic: dict[str, int]
    parts: dict[str, str]                               # year, month and other parts → period label
    month_parts: dict[str, str]
    holidays: dict[str, tuple[str, Optional[int]]]    # surface form → (key, month)
    generic: tuple[str, ...]
    bounds: tuple[str, ...]


def _alt(words) -> str:
    """A regex group matching any of the literal words, longest first."""
    return "(?:" + "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"


def _not_after(chars_or_words) -> str:
    return "(?!" + "|".join(regex.escape(w) for w in chars_or_words) + ")"


def _first(chars: str, *word_lists) -> str:
    """The body of a character class for the characters a branch can start with (``0-9`` stays a range)."""
    firsts = {w[0] for words in word_lists for w in words}
    body = chars.replace("\\", "\\\\").replace("]", "\\]").replace("^", "\\^")
    body = body.replace("-", "\\-").replace("0\\-9", "0-9").replace("1\\-4", "1-4")
    return body + "".join(regex.escape(c) for c in sorted(firsts))


def _guarded(words, guard: dict[str, str], after: dict[str, str]) -> str:
    """Alternation of words, each refused after the characters its first character is guarded by."""
    alone = []
    for first in sorted({w[0] for w in words}):
        group = sorted((w for w in words if w[0] == first), key=len, reverse=True)
        behind = f"(?<![{regex.escape(guard[first])}])" if guard.get(first) else ""
        alone.append(behind + "(?:" + "|".join(regex.escape(w) + after.get(w[-1], "") for w in group) + ")")
    return "(?:" + "|".join(alone) + ")"


@lru_cache(maxsize=1)
def load_tables() -> dict:
    """The tables of ``data/dates.toml`` (read once)."""
    with open(DATA, "rb") as fh:
        return tomllib.load(fh)


def _longest_first(table: dict) -> dict:
    return dict(sorted(table.items(), key=lambda kv: len(kv[0]), reverse=True))


def _holiday_table(t: dict) -> tuple[dict[str, tuple[str, Optional[int]]], list[str], list[str]]:
    surfaces: dict[str, tuple[str, Optional[int]]] = {}
    names, abbrevs = [], []
    for h in t["holiday"]:
        for n in h.get("names", []):
            surfaces[n] = (h["key"], h.get("month"))
            names.append(n)
        for a in h.get("abbrev", []):
            surfaces[a] = (h["key"], h.get("month"))
            abbrevs.append(a)
    return surfaces, names, abbrevs


def _rules(t: dict) -> dict[str, str]:
    """The grammar's pieces as regex strings (years, months, days, parts, bounds)."""
    r: dict[str, str] = {}
    mask, dash = f"[{regex.escape(t['mask']['chars'])}]", f"[{regex.escape(t['mask']['dashes'])}]"
    conn = r["conn"] = _alt(t["range"]["connectors"])
    g = t["guard"]
    chu, nei = "初" + _not_after(g["not_after_chu"]), "内" + _not_after(g["not_after_nei"])
    zhong = "中(?=[,。;、和及与至到\\- —]|$)"
    # years: 2019, 二〇一九, 20--, 201x, 20XX, 20*, xxxx, --; a range 2021-2025年
    r["masked_year"] = (f"(?:(?<![0-9A-Za-z])(?:19|20)(?:[0-9]{mask}|(?:{mask}|{dash}){{1,2}})"
                        f"|(?<![0-9A-Za-z\\-]){mask}{{2,4}}|(?<![0-9A-Za-z\\-]){dash}{{2,4}})")
    year_num = (f"(?:(?<![0-9]){LIST_DOT}(?:1[5-9]|20)[0-9]{{2}}(?![0-9])|{r['masked_year']}"
                f"|(?<!{CN_DIGIT})(?![0]{{4}}){CN_DIGIT}{{4}})")
    not_year_word = "(?!轻|龄|级|纪(?!念)|来|多)"
    # a space may stand before 年 ("20XX 年"); a range of years in brackets needs no 年 ("(2023—2027)")
    r["year"] = (f"(?:{year_num}(?:{conn}{year_num})? ?年(?:度)?{not_year_word}"
                 f"|(?<=\\(){year_num}{conn}{year_num}(?=\\)))")
    r["deictic"] = _guarded(t["deictic_year"], t["deictic_guard"], {}) + not_year_word
    # months: 5月, 五月, 3-5月, 7、8月份, x月, 本月; lunar 正月初一, 农历三月初三 (no month number)
    m_ar = f"(?<![0-9A-Za-z]){LIST_DOT}{AR_MONTH}(?![0-9])"
    # 一月一次 is "once a month", not January
    m_cn = f"(?<![0-9〇○零一二三四五六七八九十两百千万几第个每数多]){CN_MONTH}(?!月[一两二三四五六七八九十几]?次)"
    m_num = f"(?:{m_ar}|{m_cn}|(?<![A-Za-z0-9]){mask}{{1,2}})"
    lunar = f"(?:农历(?:正|腊|冬|{CN_MONTH})|正|腊|冬)月(?:{LUNAR_DAY}|{CN_DAY}(?![月年]))?"
    r["month"] = (f"(?:{lunar}|{NOT_LINE_START}{m_num}(?:、{m_num})+月份?|{m_num}(?:{conn}{m_num})?月份?"
                  f"|(?:本|当|次|同|上个|下个)月份?)")
    d_num = f"(?:(?<![0-9]){AR_DAY}(?![0-9])|{CN_DAY}|{mask}{{1,2}})"
    tod = _alt(t["time_of_day"]["words"])
    clock = "(?:[0-9]{1,2}(?::[0-9]{2}){1,2}|[0-9]{1,2}[时点](?:[0-9]{1,2}分|半)?)"
    r["time"] = f"(?:{t['time_of_day']['weekday']}?(?: ?{clock}|{tod}{clock}?))"
    r["day"] = f"(?:{d_num}(?:{conn}{d_num})?[日号]{t['time_of_day']['weekday']}?)"
    # a day without 日 right after its month: "10月22", "1月3至2月10" (never a count: 5月15家)
    r["day_bare"] = f"(?:(?<=月){AR_DAY}(?![0-9日号]){_not_after(g['not_after_month_day'])})"
    r["mpart"] = f"(?:{_alt(w for w in t['month_part'] if w != '初')}|{chu}|{zhong})"
    ypart = list(t["year_part"])
    # after a written year the leading 年 of 年初/年底/年内 may be shared: 2023年初, 2023年底前, 20xx年内
    att = {w for w in ypart if not w.startswith("年")} | {w[1:] for w in ypart if w.startswith("年")}
    r["ypart_att"] = f"(?:年?(?:{_alt(att - {'初', '内', '中'})}|{chu}|{nei}|{zhong}))"
    r["ypart"] = _alt(ypart)
    after_part = {"中": _not_after(g["not_after_zhong"]), "初": _not_after(g["not_after_chu"]),
                  "内": _not_after(g["not_after_nei"])}
    quarters = (f"(?:(?<![第0-9一二三四五六七八九十]){NOT_LINE_START}{QUARTER}(?:、{QUARTER})+"
                f"|(?<![第0-9一二三四五六七八九十])第?{QUARTER}{conn}第?{QUARTER})季度")
    r["ypart_alone"] = (f"(?:{quarters}|{_guarded(ypart, t['year_part_guard'], after_part)})"
                        "(?!来|多|以上|时间|的时间|左右)")
    b = t["bound"]
    r["bound"] = (f"(?:{_alt(w for w in b['words'] if w not in '前后起')}|前{_not_after(b['not_after_qian'])}"
                  f"|后{_not_after(b['not_after_hou'])}|起{_not_after(b['not_after_qi'])})")
    return r


def _holiday_rules(t: dict, names: list[str], abbrevs: list[str]) -> str:
    """Holidays: full names anywhere, quoted abbreviations (“三八”) only where they name the day."""
    oq, cq = f"[{regex.escape(QUOTE_OPEN)}]", f"[{regex.escape(QUOTE_CLOSE)}]"
    hc = t["holiday_context"]
    abbr_q = f"{oq}{_alt(abbrevs)}{cq}"
    prefix_q = f"{oq}{t['holiday_prefix']['pattern']}{cq}"
    named = f"(?:{abbr_q}|{prefix_q}|{_alt(abbrevs)})?{_alt(names)}|{abbr_q}节"
    after = f"(?=[{regex.escape(hc['after_chars'])}]|{_alt(hc['after_words'])}|$)"
    before = f"(?<={_alt(hc['before_words'])})"
    alone = f"{abbr_q}{after}|{before}(?:{abbr_q}|{_alt(abbrevs)}(?![届五次大中全号条]))"
    generic = f"{_alt(t['generic_holiday']['words'])}(?!课)"
    return f"(?:{named}|{alone}|{generic})(?:{_alt(hc['bounds'])})?"


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    """Build the date grammar from the tables (once)."""
    t = load_tables()
    r = _rules(t)
    surfaces, names, abbrevs = _holiday_table(t)
    holidays = _holiday_rules(t, names, abbrevs)
    conn, bound = r["conn"], r["bound"]
    md = f"{r['month']}(?:{r['day']}{r['time']}?|{r['mpart']}|{r['day_bare']})?"
    unit = f"(?:(?:{r['year']}|{r['deictic']})(?:{md}|{r['ypart_att']})?|{md})"
    # the second half of a range may be a bare day (1月17日至19日) or a year part
    unit2 = f"(?:{unit}|{r['day']}{r['time']}?|{r['ypart']})"
    dated = f"{unit}{bound}?(?:{conn}{unit2}{bound}?)?"
    rec = t["recurrence"]
    rec_head = (f"每(?:逢(?:{_alt(rec['feng'])}|{_alt(names)})"
                f"|(?:周|星期)[一二三四五六日天]{_not_after(rec['not_after_weekday'])}"
                f"|(?:[0-9]{{1,2}}|[一二三四五六七八九十两]{{1,2}}|半)?个?{_alt(rec['units'])})")
    rec_tail = (f"(?:的)?(?:{md}|{r['day']}|{r['ypart']}|{_alt(names)}{bound}?"
                f"|初|底|末|中旬|上旬|下旬|{r['time']})")
    iso = ("(?<![0-9.])(?:19|20)[0-9]{2}(?:(?P<sep>[-/.])(?:0?[1-9]|1[0-2])(?P=sep)(?:0?[1-9]|[12][0-9]|3[01])"
           "|(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01]))"      # or compact: 20240307
           "(?![0-9])(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?")
    bare_day = f"(?<![0-9.第每月/\\-]){AR_DAY}日{_not_after(t['guard']['not_after_bare_day'])}"
    # each branch opens with a look-ahead for the characters it can start with, and the costly ones
    # with a look-ahead for the anchor character every match of theirs holds: the engine skips fast
    digits = "0-9〇○零一二三四五六七八九十两" + t["mask"]["chars"] + t["mask"]["dashes"]
    firsts = {
        "iso": "0-9", "open": "即", "rec": "每",
        "hol": _first(QUOTE_OPEN, names, abbrevs, t["generic_holiday"]["words"]),
        "date": _first(digits, t["deictic_year"], list("本当次同上下正腊冬农元")),
        "part": _first("第一二三四1-4", t["year_part"]), "bday": "0-9",
    }
    hol_last = {w[-1] for w in names + t["generic_holiday"]["words"]} | set(QUOTE_CLOSE)
    part_last = {w[-1] for w in t["year_part"]} | {"季"}
    anchors = {"hol": f"(?=[^\\n]{{0,{max(map(len, names)) - 1}}}?[{regex.escape(''.join(sorted(hol_last)))}])",
               "date": "(?=[^\\n]{0,10}?[年月)])",
               "part": f"(?=[^\\n]{{0,10}}?[{regex.escape(''.join(sorted(part_last)))}])"}
    branches = {
        "iso": iso, "open": f"{_alt(t['range_start']['words'])}(?:(?:至|到){unit})?",
        "rec": f"(?P<rec>{rec_head})(?:{rec_tail})?", "hol": holidays, "date": dated,
        "part": f"{r['ypart_alone']}{bound}?", "bday": f"{bare_day}(?:{conn}{AR_DAY}日)?{r['time']}?",
    }
    body = "|".join(f"(?=[{firsts[k]}]){anchors.get(k, '')}(?P<{k}>{branches[k]})" if k != "rec"
                    else f"(?=[{firsts[k]}]){branches[k]}" for k in KINDS)
    pattern = f"(?=[{''.join(firsts.values())}])(?:{body})"
    fields = {
        "year": regex.compile(f"(?<![0-9])(?:1[5-9]|20)[0-9]{{2}}(?![0-9])|{CN_DIGIT}{{4}}"),
        "masked": regex.compile(f"{r['masked_year']}(?=年|{conn})"),
        "month": regex.compile(f"(?<![0-9])({AR_MONTH}|{CN_MONTH})(?:(?:{conn}|、)({AR_MONTH}|{CN_MONTH}))*月"),
        "day": regex.compile(f"(?<![0-9])({AR_DAY}|{CN_DAY})(?:{conn}({AR_DAY}|{CN_DAY}))?[日号]"
                             f"|(?<=月)({AR_DAY})(?![0-9])"),
        "time": regex.compile(f"(?:[日号]|^)({r['time']})"),
        "time_alone": regex.compile(r["time"]),
        "quarter": regex.compile(f"(?<!前)({QUARTER})(?:(?:、|{conn})第?({QUARTER}))*季度"),
        "lunar": regex.compile("农历|正月|腊月|冬月"),
        "mpart": regex.compile(f"月份?({_alt(t['month_part'])})"),
    }
    parts = {**t["other_part"], **t["year_part"]}
    return Grammar(
        pattern=regex.compile(pattern),
        fields=fields,
        numerals=dict(t["numerals"]),
        deictic=_longest_first(t["deictic_year"]),
        parts=_longest_first(parts),
        month_parts=dict(t["month_part"]),
        holidays=_longest_first(surfaces),
        generic=tuple(sorted(t["generic_holiday"]["words"], key=len, reverse=True)),
        bounds=tuple(sorted(t["bound"]["words"] + t["holiday_context"]["bounds"], key=len, reverse=True)),
    )


def _num(text: str, numerals: dict[str, int]) -> Optional[int]:
    """An Arabic or Chinese numeral (up to 三十一, 初十, 二〇二三) as an int; None for masks."""
    if text.isascii() and text.isdigit():
        return int(text)
    text = text.removeprefix("初")
    if not text or any(c not in numerals for c in text):
        return None
    if len(text) == 4:
        return int("".join(str(numerals[c]) for c in text))
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (numerals[tens] if tens else 1) * 10 + (numerals[ones] if ones else 0)
    return numerals[text[0]]


def _longest(text: str, words) -> Optional[str]:
    """The longest of ``words`` found in ``text`` (the grammar's tables are kept longest first)."""
    return next((w for w in words if w in text), None)


_BOUND_LABEL = {"以前": "前", "之前": "前", "以后": "后", "之后": "后"}


def describe(text: str, span: tuple[int, int], kind: str, rec: Optional[str],
             plan_year: Optional[int], g: Optional[Grammar] = None) -> DateMention:
    """The normalised fields of one matched expression (``text`` is its normalised form)."""
    g = g or grammar()
    m = DateMention(text=text, span=span, recurrence=rec)
    if kind == "iso":
        head = text.split(" ")[0].split("T")[0]
        y, mo, d = (head[:4], head[4:6], head[6:8]) if head.isdigit() else regex.split(r"[-/.]", head[:10])[:3]
        m.year, m.year_source, m.month, m.day = int(y), "text", int(mo), int(d)
        m.time = text[len(head):].strip() or None
        return m
    # year: written, masked or relative to the plan
    if g.fields["masked"].search(text):
        m.masked = True
    elif not rec and (ys := [_num(y, g.numerals) for y in g.fields["year"].findall(text)]):
        m.year, m.year_source = ys[0], "text"
        m.year_end = ys[-1] if len(ys) > 1 and ys[-1] != ys[0] else None
    elif not rec and (w := _longest(text, g.deictic)) is not None and text.startswith(w):
        if plan_year is not None:
            m.year, m.year_source = plan_year + g.deictic[w], "relative"
    # months and days (a lunar month has no Gregorian month)
    months = [] if g.fields["lunar"].search(text) else [
        _num(x, g.numerals) for hit in g.fields["month"].finditer(text) for x in hit.captures(1) + hit.captures(2)]
    if months:
        m.month = months[0]
        m.month_end = months[-1] if len(months) > 1 else None
    days = [_num(x, g.numerals) for hit in g.fields["day"].finditer(text)
            for x in hit.captures(1) + hit.captures(2) + hit.captures(3)]
    if days:
        m.day, m.day_end = days[0], (days[-1] if len(days) > 1 else None)
        if (tm := g.fields["time"].search(text)) is not None:
            m.time = tm.group(1).strip() or None
    if rec and (tm := g.fields["time_alone"].match(text, len(rec))) is not None:
        m.time = tm.group().strip()
    # parts, bounds and holidays
    if months and (mp := g.fields["mpart"].search(text)):
        m.period = g.month_parts[mp.group(1)]
    elif (q := g.fields["quarter"].search(text)) is not None:
        m.period = "Q" + str(_num(q.group(1), g.numerals))
    elif (w := _longest(text, g.parts)) is not None and not (months and w == "年中") \
            and not g.fields["lunar"].search(text):
        m.period = g.parts[w]
    m.bound = next((_BOUND_LABEL.get(w, w) for w in g.bounds if text.endswith(w)), None)
    if kind in ("hol", "rec") and (h := _longest(text, g.holidays)) is not None:
        m.holiday, hm = g.holidays[h]
        m.month = m.month if m.month is not None else hm
    elif kind in ("hol", "rec"):
        m.holiday = _longest(text, g.generic)
    return m


def find_dates(norm: str, start: int = 0, end: Optional[int] = None,
               plan_year: Optional[int] = None) -> list[DateMention]:
    """Every time expression of ``norm[start:end]``, with absolute spans into ``norm``.

    ``plan_year`` resolves 今年/去年/明年 and dates written without a year; ``None`` leaves them open.
    """
    return [m for m, _ in grammar_dates(norm, start, end, plan_year)]


def grammar_dates(norm: str, start: int = 0, end: Optional[int] = None,
                  plan_year: Optional[int] = None) -> list[tuple[DateMention, str]]:
    """``find_dates`` with the grammar branch (``KINDS``) that read each expression."""
    end = len(norm) if end is None else end
    g = grammar()
    out: list[tuple[DateMention, str]] = []
    for hit in g.pattern.finditer(norm, start, end):
        kind = next(k for k in KINDS if hit.start(k) >= 0)
        m = describe(hit.group(), hit.span(), kind, hit.group("rec"), plan_year, g)
        if kind == "bday" and out and "\n" not in norm[out[-1][0].span[1]:hit.start()]:
            m.month = out[-1][0].month            # 3月4日电 …… 4日在 …: the day inherits the month
        fill_plan_year(m, plan_year)
        out.append((m, kind))
    return out


def fill_plan_year(m: DateMention, plan_year: Optional[int]) -> None:
    """A date written without a year (not masked, not recurring) takes the plan's year."""
    if m.year_source is None and not m.masked and not m.recurrence and plan_year is not None:
        m.year, m.year_source = plan_year, "plan"
