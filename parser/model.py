"""The data model: plain dataclasses that flow fetch → page → plans → sections → mentions → tables.

Every span is ``(start, end)`` in characters of ``Document.text`` (the input as read), so
``doc.text[start:end]`` always gives back the words an item came from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

Span = tuple[int, int]


@dataclass
class Field:
    """A field line of a section, such as ``时间安排：6月`` (name ``时间安排``, value ``6月``)."""

    name: str
    value: str
    span: Span          # the whole line
    value_span: Span    # the value after the colon


@dataclass
class Section:
    """One heading of a plan's tree with the body that follows it up to the next heading."""

    section_id: str
    level: int                      # 1 = top of the plan
    marker: str                     # as written: "一、", "（一）", "1.", "" for unnumbered topic lines
    number: Optional[int]           # the marker's number as an integer (None for unnumbered)
    style: str                      # marker style key, e.g. "cn_dun", "paren_cn", "arabic_dot"
    title: str                      # as written (GUIDE.md title rule applied)
    heading_span: Span              # the whole heading line
    title_span: Span                # the title inside the heading line
    body_span: Span                 # from the end of the heading line to the next heading or plan end
    parent_id: Optional[str] = None
    fields: list[Field] = field(default_factory=list)
    category: Optional[str] = None
    category_score: float = 0.0
    category_terms: list[str] = field(default_factory=list)


@dataclass
class DateMention:
    """A time expression with its normalised fields (GUIDE.md "dates")."""

    text: str
    span: Span
    year: Optional[int] = None          # as written, or resolved from the plan (see year_source)
    year_source: Optional[str] = None   # "text", "plan", "relative" or None
    masked: bool = False                # a masked year such as 20--年 or 201x年
    month: Optional[int] = None
    month_end: Optional[int] = None     # last month of a range
    day: Optional[int] = None
    period: Optional[str] = None        # 上旬/中旬/下旬, 上半年, Q1, 年初, 年底, 年内, 全年 …
    recurrence: Optional[str] = None    # 每月, 每季度, 每年 …
    holiday: Optional[str] = None
    section_id: Optional[str] = None
    year_end: Optional[int] = None      # last year of a range (2021-2025年)
    day_end: Optional[int] = None       # last day of a range (1月17日至19日)
    time: Optional[str] = None          # time of day as written (下午, 15时, 19:35:43)
    bound: Optional[str] = None         # 前, 后, 以来, 起 … written after the date


@dataclass
class OrgMention:
    """A mention of a specific body, with its role in the sentence (GUIDE.md "organizations")."""

    text: str
    span: Span
    role: str = "other"                 # organizer | participant | other
    canonical: Optional[str] = None     # full name when a shared-prefix list was resolved
    kind: Optional[str] = None          # 政协, 人大, 政府, 党委, 群团, 其他 …
    section_id: Optional[str] = None


@dataclass
class Plan:
    """One plan of a page: its title line, span and metadata, sections and mentions."""

    plan_id: str
    title: str
    span: Span
    title_span: Optional[Span] = None
    year: Optional[int] = None
    region: Optional[str] = None             # the plan's place in Simplified script ("雨湖区")
    admin_level: Optional[str] = None
    body: Optional[str] = None               # None when nothing in the text names a body
    sections: list[Section] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    organizations: list[OrgMention] = field(default_factory=list)
    region_as_written: Optional[str] = None  # the place as the text writes it ("雨湖區")
    province: Optional[str] = None           # the province-level division holding the place ("内蒙古自治区")
    city: Optional[str] = None               # the prefecture-level one (a municipality is its own city)
    region_code: Optional[str] = None        # the place's 6-digit administrative division code
    # where year, region and body were read: "START:END" of Document.text, or "inferred" (None: no value)
    year_source: Optional[str] = None
    region_source: Optional[str] = None
    body_source: Optional[str] = None


@dataclass
class Document:
    """One input (a file or a fetched page) after reading: original text and its analysis form.

    ``norm`` has the same length as ``text``: full/half-width folded, white space unified and
    Traditional converted to Simplified, character by character, so spans found on ``norm``
    are spans on ``text``.
    """

    doc_id: str
    source: str
    text: str
    norm: str
    encoding: Optional[str] = None
    page_title: Optional[str] = None
    published: Optional[str] = None
    furniture: list[Span] = field(default_factory=list)   # lines left out of every plan
    plans: list[Plan] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def lines(self) -> list[tuple[int, int]]:
        """(start, end) of every line of the text, end excluding the newline."""
        out, pos = [], 0
        for line in self.text.split("\n"):
            out.append((pos, pos + len(line)))
            pos += len(line) + 1
        return out
