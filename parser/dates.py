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

from .model import DateMention

DATA = Path(__file__).resolve().parent / "data" / "dates.toml"

QUOTE_OPEN = "“‘\"'「『"
QUOTE_CLOSE = "”’\"'」』"
CN_MONTH = "十[一二]|十|[一二三四五六七八九]"
CN_DAY = "三十一|三十|二十[一二三四五六七八九]|二十|十[一二三四五六七八九]|十|初[一二三四五六七八九十]|[一二三四五六七八九]"
AR_MONTH = "1[0-2]|0?[1-9]"
AR_DAY = "3[01]|[12][0-9]|0?[1-9]"
# a number after "." is a decimal (1.5月) unless the "." ends a list marker at a line start ("2.6月份")
LIST_DOT = "(?:(?<!\\.)|(?<=(?:^|\\n|[ ])[0-9]{1,2}\\.))"


@dataclass(frozen=True)
class Grammar:
    """The compiled pattern and the lookup tables its matches are read with."""

    pattern: regex.Pattern
    fields: dict[str, regex.Pattern]
    numerals: dict[str, int]
    deictic: dict[str, int]
    year_parts: dict[str, str]
    month_parts: dict[str, str]
    holidays: dict[str, tuple[str, Optional[int]]]    # surface form → (key, month)
    generic: tuple[str, ...]
    bounds: tuple[str, ...]


def _alt(words) -> str:
    """A regex alternation of literal words, longest first."""
    return "(?:" + "|".join(regex.escape(w) for w in sorted(set(words), key=len, reverse=True)) + ")"


def _cls(chars: str) -> str:
    return "[" + "".join(regex.escape(c) for c in chars) + "]"


@lru_cache(maxsize=1)
def load_tables() -> dict:
    """The tables of ``data/dates.toml`` (read once)."""
    with open(DATA, "rb") as fh:
        return tomllib.load(fh)


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


@lru_cache(maxsize=1)
def grammar() -> Grammar:
    """Build the date grammar from the tables (once)."""
    t = load_tables()
    mask = _cls(t["mask"]["chars"])
    dash = _cls(t["mask"]["dashes"])
    conn = _alt(t["range"]["connectors"])
    cn_digit = "[〇○零一二三四五六七八九]"

    # years: 2019, 二〇一九, 20--, 201x, 20XX, 20*, xxxx, --, optionally a range 2021-2025
    year_num = (f"(?:(?<![0-9]){LIST_DOT}(?:1[5-9]|20)[0-9]{{2}}(?![0-9])"
                f"|(?<![0-9A-Za-z])(?:19|20)(?:[0-9]{mask}|(?:{mask}|{dash}){{1,2}})"
                f"|(?<![0-9A-Za-z\\-]){mask}{{2,4}}|(?<![0-9A-Za-z\\-]){dash}{{2,4}}"
                f"|(?<!{cn_digit}){cn_digit}{{4}})")
    not_year_word = "(?!轻|龄|级|纪(?!念)|来|多)"
    year = f"{year_num}(?:(?:{conn}){year_num})?年(?:度)?{not_year_word}"
    deictic = (f"(?<![相担充不马以未近提之每]){_alt(t['deictic_year'])}{not_year_word}")
    # months and days (Arabic, Chinese, masked), each optionally a range: 3-5月, 17-19日
    m_ar = f"(?<![0-9A-Za-z]){LIST_DOT}(?:{AR_MONTH})(?![0-9])"
    m_cn = f"(?<![〇○零一二三四五六七八九十两百千万几第个每数多]){CN_MONTH}"
    m_num = f"(?:{m_ar}|{m_cn}|(?<![A-Za-z0-9]){mask}{{1,2}}|正|腊)"
    month = (f"(?:{m_num}(?:(?:{conn}){m_num})?月(?:份)?"
             f"|(?:本|当|次|同|上个|下个)月(?:份)?)")
    d_num = f"(?:(?<![0-9])(?:{AR_DAY})(?![0-9])|{CN_DAY}|{mask}{{1,2}})"
    day = f"{d_num}(?:(?:{conn}){d_num})?[日号]"
    tod = _alt(t["time_of_day"]["words"])
    clock = "[0-9]{1,2}(?::[0-9]{2}){1,2}|[0-9]{1,2}[时点](?:[0-9]{1,2}分|半)?"
    time = f"(?: ?(?:{clock})|(?:{tod})(?:{clock})?)"
    chu = "初(?!" + "|".join(t["guard"]["not_after_chu"]) + ")"
    nei = "内(?!" + "|".join(t["guard"]["not_after_nei"]) + ")"
    zhong = "中(?=[,。;、和及与至到\\- —]|$)"
    mparts = [w for w in t["month_part"] if w != "初"]
    mpart = f"(?:{_alt(mparts)}|{chu}|{zhong})"
    attached_only = t["year_part_attached_only"]["words"]
    ypart_words = [w for w in t["year_part"] if w not in attached_only]
    # after a written year the leading 年 of 年初/年底/年内 may be shared: 2023年初, 2023年底前, 20xx年内
    att = {w for w in ypart_words if not w.startswith("年")} | {w[1:] for w in ypart_words if w.startswith("年")}
    att -= {"初", "内"}
    ypart_att = f"(?:年?(?:{_alt(att)}|{chu}|{nei}|{zhong}))"
    qian = "前(?!" + "|".join(t["bound"]["not_after_qian"]) + ")"
    hou = "后(?!" + "|".join(t["bound"]["not_after_hou"]) + ")"
    qi = "起(?!" + "|".join(t["bound"]["not_after_qi"]) + ")"
    other_bounds = [w for w in t["bound"]["words"] if w not in ("前", "后", "起")]
    bound = f"(?:{_alt(other_bounds)}|{qian}|{hou}|{qi})"

    md = f"{month}(?:{day}{time}?|{mpart})?"
    unit = f"(?:(?:{year}|{deictic})(?:{md}|{ypart_att})?|{md})"
    # the second half of a range may be a bare day (1月17日至19日) or a year part
    unit2 = f"(?:{unit}|{day}{time}?|{_alt(ypart_words)})"
    dated = f"{unit}{bound}?(?:(?:{conn}){unit2}{bound}?)?"

    surfaces, names, abbrevs = _holiday_table(t)
    oq, cq = _cls(QUOTE_OPEN), _cls(QUOTE_CLOSE)
    hc = t["holiday_context"]
    abbr_q = f"{oq}(?:{_alt(abbrevs)}){cq}"
    holiday = f"(?:{abbr_q}|(?:{_alt(abbrevs)}))?(?:{_alt(names)})|{abbr_q}节"
    after = f"(?=[{regex.escape(hc['after_chars'])}]|{_alt(hc['after_words'])}|$)"
    before = f"(?<={_alt(hc['before_words'])})"
    abbr_alone = f"(?:{abbr_q}{after}|{before}(?:{abbr_q}|{_alt(abbrevs)}))"
    generic = f"{_alt(t['generic_holiday']['words'])}(?!课)"
    holidays = f"(?:{holiday}|{abbr_alone}|{generic})(?:{_alt(['前后', '前夕', '期间', '之际', '当天', '前', '后'])})?"

    rec = t["recurrence"]
    rec_head = (f"每(?:逢(?:{_alt(rec['feng'])}|{_alt(names)})"
                f"|(?:[0-9]{{1,2}}|[一二三四五六七八九十两]{{1,2}}|半)?个?(?:{_alt(rec['units'])}))")
    rec_tail = f"(?:的)?(?:{md}|{day}|{_alt(ypart_words)}|初|底|末|中旬|上旬|下旬)"
    recurrence = f"(?P<rec>{rec_head}){rec_tail}?"

    start = f"{_alt(t['range_start']['words'])}"
    iso = ("(?<![0-9.])(?:19|20)[0-9]{2}(?P<sep>[-/.])(?:0?[1-9]|1[0-2])(?P=sep)(?:0?[1-9]|[12][0-9]|3[01])(?![0-9])"
           "(?:[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?")
    ypart_alone = (f"(?<![上下前后每近多个几大过一二三四五六七八九十两0-9年第])(?:{_alt(ypart_words)})"
                   f"(?!来|多|以上|时间|的时间|左右)")
    bare_day = f"(?<![0-9.第每月/\\-])(?:{AR_DAY})日(?![内常益报程用子本照记志光晒夜寇军均新趋渐臻])"

    pattern = (f"(?P<iso>{iso})|(?P<open>{start}(?:(?:至|到){unit})?)|{recurrence}"
               f"|(?P<date>{dated})|(?P<hol>{holidays})|(?P<part>{ypart_alone}{bound}?)"
               f"|(?P<bday>{bare_day}{time}?)")
    fields = {
        "year": regex.compile(f"(?:1[5-9]|20)[0-9]{{2}}(?![0-9])|{cn_digit}{{4}}"),
        "masked": regex.compile(f"(?:(?:19|20)(?:[0-9]{mask}|(?:{mask}|{dash}){{1,2}})|{mask}{{2,4}}|{dash}{{2,4}})"
                                f"(?=年|(?:{conn}))"),
        "month": regex.compile(f"(?<![0-9])({AR_MONTH}|{CN_MONTH}|正|腊)(?:(?:{conn})({AR_MONTH}|{CN_MONTH}))?月"),
        "day": regex.compile(f"(?<![0-9])({AR_DAY}|{CN_DAY})(?:(?:{conn})({AR_DAY}|{CN_DAY}))?[日号]"),
        "time": regex.compile(f"(?:[日号]|^)({time})"),
    }
    return Grammar(
        pattern=regex.compile(pattern),
        fields=fields,
        numerals=dict(t["numerals"]),
        deictic=dict(t["deictic_year"]),
        year_parts=dict(t["year_part"]),
        month_parts=dict(t["month_part"]),
        holidays=surfaces,
        generic=tuple(t["generic_holiday"]["words"]),
        bounds=tuple(sorted(t["bound"]["words"], key=len, reverse=True)),
    )


def _num(text: str, numerals: dict[str, int]) -> Optional[int]:
    """An Arabic or Chinese numeral (up to 三十一, 初十) as an int; None for masks."""
    if text.isdigit():
        return int(text)
    text = text.removeprefix("初")
    if not text or any(c not in numerals for c in text):
        return None
    if len(text) == 4:                                  # 二〇二三
        return int("".join(str(numerals[c]) for c in text))
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (numerals[tens] if tens else 1) * 10 + (numerals[ones] if ones else 0)
    return numerals[text[0]]


def _longest(text: str, words) -> Optional[str]:
    for w in sorted(words, key=len, reverse=True):
        if w in text:
            return w
    return None


def describe(norm_text: str, span: tuple[int, int], kind: str, rec: Optional[str],
             plan_year: Optional[int], g: Optional[Grammar] = None) -> DateMention:
    """Read the normalised fields of one matched expression (year not yet resolved from the plan)."""
    g = g or grammar()
    m = DateMention(text=norm_text, span=span)
    t = norm_text
    if kind == "iso":
        y, mo, d = regex.split(r"[-/.]", t[:10].split(" ")[0].split("T")[0])[:3]
        m.year, m.year_source, m.month, m.day = int(y), "text", int(mo), int(d)
        m.time = t[10:].strip() or None
        return m
    if rec:
        m.recurrence = rec
    # year: written, masked or relative to the plan
    if g.fields["masked"].search(t):
        m.masked = True
    elif (y := g.fields["year"].search(t)) is not None and not rec:
        m.year, m.year_source = _num(y.group(), g.numerals), "text"
        years = [_num(x, g.numerals) for x in g.fields["year"].findall(t)]
        if len(years) > 1 and years[-1] != m.year:
            m.year_end = years[-1]
    elif not rec and (w := _longest(t, g.deictic)) is not None and t.startswith(w):
        if plan_year is not None:
            m.year, m.year_source = plan_year + g.deictic[w], "relative"
    # months and days
    months = [(_num(a, g.numerals), _num(b, g.numerals) if b else None) for a, b in g.fields["month"].findall(t)]
    if months:
        m.month = months[0][0]
        last = months[-1][1] or (months[-1][0] if len(months) > 1 else None)
        m.month_end = last
    if (d := g.fields["day"].search(t)) is not None:
        m.day = _num(d.group(1), g.numerals)
        if d.group(2):
            m.day_end = _num(d.group(2), g.numerals)
        elif len(days := g.fields["day"].findall(t)) > 1:
            m.day_end = _num(days[-1][0], g.numerals)
    if (tm := g.fields["time"].search(t)) is not None and (m.day is not None or kind == "bday"):
        m.time = tm.group(1).strip() or None
    # parts, bounds and holidays
    if months:
        mp = regex.search("月份?(" + _alt(g.month_parts) + ")", t)
        m.period = g.month_parts[mp.group(1)] if mp else None
    if m.period is None and (w := _longest(t, g.year_parts)) is not None and not (months and w == "年中"):
        m.period = g.year_parts[w]
    if (b := _bound_of(t, g)) is not None:
        m.bound = b
    if kind in ("hol", "rec") and (h := _longest(t, g.holidays)) is not None:
        m.holiday, hm = g.holidays[h]
        if m.month is None:
            m.month = hm
    elif kind in ("hol", "rec") and (h := _longest(t, g.generic)) is not None:
        m.holiday = h
    return m


_BOUND_LABEL = {"以前": "前", "之前": "前", "以后": "后", "之后": "后"}


def _bound_of(t: str, g: Grammar) -> Optional[str]:
    for w in g.bounds:
        if t.endswith(w):
            return _BOUND_LABEL.get(w, w)
    return None


def find_dates(norm: str, start: int = 0, end: Optional[int] = None,
               plan_year: Optional[int] = None) -> list[DateMention]:
    """Every time expression of ``norm[start:end]``, with absolute spans into ``norm``.

    ``plan_year`` resolves 今年/去年/明年 and dates written without a year; ``None`` leaves them open.
    """
    end = len(norm) if end is None else end
    g = grammar()
    out: list[DateMention] = []
    for hit in g.pattern.finditer(norm, start, end):
        kind = next(k for k in ("iso", "open", "rec", "date", "hol", "part", "bday") if hit.start(k) >= 0)
        rec = hit.group("rec")
        m = describe(hit.group(), hit.span(), "rec" if rec else kind, rec, plan_year, g)
        if kind == "bday" and out and m.month is None and "\n" not in norm[out[-1].span[1]:hit.start()]:
            m.month = out[-1].month            # 3月4日电 …… 4日在 …: the day inherits the month
        if m.year is None and not m.masked and not m.recurrence and plan_year is not None \
                and m.year_source is None:
            m.year, m.year_source = plan_year, "plan"
        out.append(m)
    return out
