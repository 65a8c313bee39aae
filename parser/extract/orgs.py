"""Organisation mentions with roles (GUIDE.md "organizations").

A private jieba tokenizer (the lexicon added as user words) segments each line; every token
gets a one-letter class (body, unit, place, admin prefix, name word …) and a regular grammar
over the class string finds "place/prefix + body + department" chunks. Filters then drop
generic references, person titles and fused meeting names; shared-prefix lists get their
full name in ``canonical``; parser.extract.roles gives each mention its role.

These rules are the features of the trained models, which decide when their files are shipped:
the tagger (parser.extract.org_tagger) finds the spans, the role model (parser.extract.role_model)
gives the roles. Without the files the rules decide.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from importlib import resources
from bisect import bisect_left, bisect_right
from typing import Callable, Iterable, Optional, Sequence

from ..model import OrgMention
from .jieba_tables import Tables, tables_with
from .org_features import clause_spans
from .org_tagger import tag_spans
from .role_model import assign_model_roles
from .roles import assign_roles

_HAN = re.compile(r"[\u3400-\u9fff]")
_SESSION = re.compile(r"^第?[一二三四五六七八九十百零〇0-9xX×*\-]+届$")
_NUMLIKE = re.compile(r"^第?[一二三四五六七八九十百零〇0-9xX×*\-]+$")
_LIST_SEP = ("、", "和", "及", "与", "以及")

# classes of tokens in the chunk grammar
#   B core body   U unit (self-sufficient)   u weak unit   S one-character unit ending
#   A admin prefix   C party prefix   P place   M masked place   E session (十六届)
#   h unknown single character   N name word   V verb/adjective inside a name   J 和/与   o other
_W = r"[NVhuP]"                                  # a word inside a name
_END = r"(?:[Uu]|(?<=[NhPVB])S)"                     # a unit ending; a lone 局/办 only after a name word
_CH = _W + r"(?:" + _W + r"|(?<!V)J(?=[NVhuPU])){0,5}"  # name words, 和/与 only between them
# no prefix: a name starts with a noun (or two single characters), verbs stand only next to the unit or 和
_BARE = r"(?:[Nu]|hh|V(?=J))(?:[NhuP]|J(?=[NhuPUV])|V(?=[UuJ])){0,5}"
_PRE = r"E?C?(?:P{1,2}|M|[Ph]{1,4}(?=A))?A?M?E?"
_TAIL = r"(?:B|U|(?:" + _CH + r")?" + _END + r")"
_GRAMMAR = re.compile(
    r"(?P<x3>BE?(?:[PCA]{0,2}|[Ph]{1,3}A)E?[Uu]" + _TAIL + r"{0,3})"
    r"|(?P<x1>(?=[CPMAE]|[Ph]{1,4}A)" + _PRE + r"(?:B|U|u|(?:" + _CH + r")?" + _END + r")" + _TAIL + r"{0,3})"
    r"|(?P<x4>(?<![NhP])S(?:" + _CH + r")?[BU]" + _TAIL + r"{0,3})"
    r"|(?P<x2>(?:B|U|" + _BARE + r"[Uu]|[Nhu]{1,2}S)" + _TAIL + r"{0,3})"
)
_NAME_TAGS = {"n", "nz", "vn", "nt", "j", "l", "ng", "nr", "nrt", "ns", "b", "an", "i", "nrfg", "eng"}
_NT_ENDINGS = set("会院委局部厅社团军府协联校司行组站所办室处队盟馆心")
_INNER_TAGS = {"v", "vd", "a", "ad", "f", "zg", "vg", "ag", "d"}


@dataclass
class Lexicon:
    """Word lists from parser/data/orgs/lexicon.toml, ready for lookups."""

    bodies: dict[str, str]
    units: list[tuple[str, str]]          # (ending, kind), longest first
    single: set[str]
    admin: set[str]
    party: set[str]
    place_suffix: tuple[str, ...]
    masked: set[str]
    stop: set[str]
    generic_before: re.Pattern          # matched at the end of the text before a mention
    generic_start: re.Pattern           # the same words opening a mention ("各乡镇人民政府")
    generic_list: re.Pattern            # a pair made generic by the word before it ("上级党委、政府")
    after_bare: dict[str, re.Pattern]   # matched at the start of the text after a bare body
    titles: re.Pattern
    self_heads: set[str]
    self_bodies: list[str]
    self_not_before: set[str]
    self_not_pairs: set[str]
    standing: set[str]
    named: set[str]
    never_in_name: set[str]
    stop_endings: tuple[str, ...]
    bare_needs_list: set[str]
    furniture: tuple[str, ...]
    unit_kinds: dict[str, str] = field(default_factory=dict)
    unit_lengths: tuple[int, ...] = ()
    stopchars: set[str] = field(default_factory=set)


def _alternation(words: list[str], suffix: str) -> re.Pattern:
    """One regex for a word list, longest first (``suffix`` "$" anchors it at the end)."""
    return re.compile("(?:" + "|".join(map(re.escape, sorted(set(words), key=len, reverse=True))) + ")" + suffix)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The organisation lexicon, loaded once."""
    raw = tomllib.loads(resources.files("parser").joinpath("data/orgs/lexicon.toml").read_text("utf-8"))
    bodies = {w: kind for kind, words in raw["bodies"].items() for w in words}
    named = {w for words in raw["named_units"].values() for w in words}
    units = sorted({(w, kind) for table in ("units", "named_units") for kind, words in raw[table].items()
                    for w in words}, key=lambda x: -len(x[0]))
    pre = raw["prefixes"]
    sr = raw["self_refs"]
    longest = lambda ws: sorted(ws, key=len, reverse=True)  # noqa: E731
    kinds: dict[str, str] = {}
    for w, kind in units:
        kinds.setdefault(w, kind)
    return Lexicon(
        unit_kinds=kinds, unit_lengths=tuple(sorted({len(w) for w in kinds}, reverse=True)),
        bodies=bodies, units=units, single=set(raw["single_suffix"]["chars"]), admin=set(pre["admin"]),
        party=set(pre["party"]), place_suffix=tuple(longest(pre["place_suffix"])), masked=set(pre["masked"]),
        stop=set(raw["stop"]["words"]), generic_before=_alternation(raw["generic"]["before"], "$"),
        generic_start=_alternation([w for w in raw["generic"]["before"] if w != "人民"], ""),
        generic_list=_alternation(raw["generic"]["list_before"], r"[\u4e00-\u9fff]{1,6}、$"),
        after_bare={k: _alternation(v, "") for k, v in raw["generic"]["after_bare"].items()},
        titles=_alternation(raw["titles"]["words"], ""), self_heads=set(sr["heads"]), self_bodies=longest(sr["bodies"]),
        self_not_before=set(sr["not_before"]), self_not_pairs=set(sr["not_pairs"]),
        standing=set(raw["standing"]["words"]), named=named, never_in_name=set(raw["never_in_name"]["words"]),
        stop_endings=tuple(raw["stop_endings"]["words"]), bare_needs_list=set(raw["bare_needs_list"]["words"]),
        furniture=tuple(raw["furniture"]["line_starts"]), stopchars=set(raw["function_chars"]["chars"]),
    )


@lru_cache(maxsize=1)
def _trigger() -> re.Pattern:
    """Clauses without any body word or unit ending are not segmented at all (speed)."""
    lex = lexicon()
    words = {w for w in [*lex.bodies, *lex.unit_kinds, *lex.standing] if len(w) > 1 or w in lex.single}
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


@lru_cache(maxsize=1)
def _tables() -> Tables:
    """jieba's dictionary with the lexicon's bodies and units as user words (tag nt), from the cache."""
    lex = lexicon()
    words = set(lex.bodies) | {w for w, _ in lex.units if len(w) > 1}
    return tables_with(sorted(words), tag="nt")


@lru_cache(maxsize=1)
def _jieba():
    """A private jieba tokenizer with the lexicon as user words, and its word → tag table (the tags of
    jieba's dictionary are read from dict.txt directly: jieba.posseg would also import its HMM tables)."""
    tables = _tables()
    return tables.tokenizer(), tables.tags


def dictionary_tag(word: str) -> str:
    """jieba's own part-of-speech tag of a word ('' for an unknown word), whatever the lexicon says."""
    return _tables().dictionary_tag(word)


def _unit_ending(word: str, lex: Lexicon) -> Optional[tuple[str, str]]:
    """The longest unit ending of ``word`` and its kind, if any."""
    for k in lex.unit_lengths:
        if k <= len(word):
            kind = lex.unit_kinds.get(word[-k:])
            if kind:
                return word[-k:], kind
    return None


def _stop_suffix(word: str, lex: Lexicon) -> bool:
    """A word ending in a stop word ("服务大局", "工作格局") is no unit."""
    return any(word[-k:] in lex.stop for k in range(2, min(5, len(word) + 1)))


def _is_place(word: str, tag: str, lex: Lexicon) -> bool:
    """A place name: tagged ns, or an unknown word ending in 省/市/县/镇/街道 …"""
    if word in lex.stop or word in lex.admin:
        return False
    if tag == "ns":
        return True
    return len(word) >= 2 and word.endswith(lex.place_suffix) and tag in ("x", "n", "nz", "nr", "j", "l")


@lru_cache(maxsize=65536)
def _split_token(word: str) -> tuple[tuple[str, str], ...]:
    """Split jieba's fused tokens into (piece, class) pairs: "市政协" → 市/A 政协/B (by the word's jieba tag)."""
    return tuple(_split(word, _jieba()[1].get(word, "x"), lexicon()))


def _split(word: str, tag: str, lex: Lexicon) -> list[tuple[str, str]]:
    """Pieces of one token: a body alone, or prefix pieces + body/unit, or the token classified."""
    if word in lex.bodies:
        return [(word, "U" if word in lex.standing else "B")]
    if len(word) == 2 and word[0] in "和与及" and word[1] in lex.admin:
        return [(word[0], "J"), (word[1], "A")]
    for i in range(1, len(word)):
        rest, head = word[i:], word[:i]
        unit = rest not in lex.stop and len(rest) > 1 and _unit_ending(rest, lex) and rest in _jieba()[1]
        if rest in lex.bodies or (unit and (head in lex.admin or head in lex.party or head in lex.masked)):
            hc = _prefix_class(head, _jieba()[1].get(head, "x"), lex)
            if hc:
                return [*hc, (rest, "B" if rest in lex.bodies else "U")]
            break
    return [(word, _classify(word, tag, lex))]


def _prefix_class(head: str, tag: str, lex: Lexicon) -> Optional[list[tuple[str, str]]]:
    """Classes of the part before a body inside one token ("中共北京" → 中共/C 北京/P), or None."""
    if head in lex.admin:
        return [(head, "A")]
    if head in lex.party:
        return [(head, "C")]
    if head in lex.masked:
        return [(head, "M")]
    for p in lex.party:
        if head.startswith(p) and len(head) > len(p):
            rest = _prefix_class(head[len(p):], tag, lex)
            return [(p, "C"), *rest] if rest else None
    if (head.endswith(lex.place_suffix) or tag == "ns") and head not in lex.stop:
        return [(head, "P")]
    return None


def _classify(word: str, tag: str, lex: Lexicon) -> str:
    """The one-letter grammar class of a token (see the table above _W)."""
    if word in lex.standing:
        return "U"
    if word in ("和", "与"):
        return "J"
    if word in lex.never_in_name or (len(word) == 1 and word in lex.stopchars):
        return "o"
    if word in lex.stop:
        return "N" if tag in _NAME_TAGS and len(word) > 1 else "o"
    if word in lex.bodies:
        return "B"
    if word in lex.admin:
        return "A"
    if word in lex.party:
        return "C"
    if word in lex.masked or re.fullmatch(r"[xX×*]+|-{1,4}", word):
        return "M"
    if _SESSION.match(word):
        return "E"
    if len(word) == 1 and word in lex.single:
        return "S"
    ending = _unit_ending(word, lex) if len(word) > 1 else None
    if ending and tag not in ("v", "d", "p", "c", "m", "q", "r", "u", "uj") and not _stop_suffix(word, lex):
        return "U" if len(word) - len(ending[0]) >= 2 or (tag == "nt" and len(word) > len(ending[0])) else "u"
    if tag == "nt" and word[-1] in _NT_ENDINGS and not _stop_suffix(word, lex):
        return "U"
    if _is_place(word, tag, lex):
        return "P"
    if len(word) == 1 and _HAN.match(word):
        return "h"
    if tag in _NAME_TAGS:
        return "N"
    if tag in _INNER_TAGS:
        return "V"
    return "o"


def segmenter():
    """The private jieba tokenizer (lexicon as user words); the spaCy tokenizer shares it."""
    return _jieba()[0]


def _words(text: str, offset: int, tokens: Optional[Sequence[tuple[int, int]]]) -> Iterable[str]:
    """jieba's words of ``text``: cut now, or taken from tokens already cut over the same text."""
    if tokens is None:
        return _tables().cut(text)
    end = offset + len(text)
    i = bisect_left(tokens, (offset, -1))
    words, pos = [], offset
    while i < len(tokens) and tokens[i][1] <= end:
        s, e = tokens[i]
        if s > pos:
            words.append(text[pos - offset:s - offset])
        words.append(text[s - offset:e - offset])
        pos = e
        i += 1
    if pos < end:
        words.append(text[pos - offset:])
    return words


def _pieces(text: str, offset: int, tokens: Optional[Sequence[tuple[int, int]]] = None) -> list[tuple[str, int, int, str]]:
    """Tokens of one line as (piece, start, end, class), fused tokens split."""
    out: list[tuple[str, int, int, str]] = []
    pos = offset
    for w in _words(text, offset, tokens):
        for piece, cls in _split_token(w):
            end = pos + len(piece)
            out.append((piece, pos, end, cls))
            pos = end
    if "届" not in text:
        return _unknown_places(out)
    # a number or mask followed by 届 is one session token ("十六" "届", "xx" "届")
    merged: list[tuple[str, int, int, str]] = []
    for p in out:
        if p[0] == "届" and merged and (_NUMLIKE.match(merged[-1][0]) or merged[-1][3] == "M"):
            q = merged.pop()
            merged.append((q[0] + p[0], q[1], p[2], "E"))
        else:
            merged.append(p)
    return _unknown_places(merged)


_NAME_LIKE = frozenset({"x", "ns", "nz", "nr", "nrt", "nt"})   # jieba tags a place's name may have


def _unknown_places(toks: list[tuple[str, int, int, str]]) -> list[tuple[str, int, int, str]]:
    """Name pieces that jieba does not know as a place (2–3 characters, one word or single
    characters), right before a body written with its level ("中共/磐安/县委", "青/禾/县委"), are
    the place of that body."""
    lex = lexicon()
    out = list(toks)
    for k in range(1, len(out)):
        nxt = out[k]
        leveled = nxt[3] == "B" and len(nxt[0]) >= 2 and nxt[0][0] in "省市县区镇乡街"
        # or a level word and then a body ("大观园/街道/政协", "五角场/街道办事处")
        level_then_body = nxt[3] == "A" and k + 1 < len(out) and out[k + 1][3] in "BU"
        if not (leveled or level_then_body):
            continue
        i, chars = k, 0
        while (i > 0 and out[i - 1][3] in "NhP" and chars + len(out[i - 1][0]) <= 3
               and (leveled or out[i - 1][3] != "N" or _jieba()[1].get(out[i - 1][0], "x") in _NAME_LIKE)):
            i -= 1
            chars += len(out[i][0])
        if chars >= 2 and (i == 0 or (out[i - 1][3] in "Co" and out[i - 1][0] not in lex.bodies)):
            for j in range(i, k):
                out[j] = (out[j][0], out[j][1], out[j][2], "P")
    return out


@dataclass
class _Chunk:
    """A grammar match before filtering, with the parts the filters and the list resolver need."""

    start: int
    end: int
    pre_end: int          # end of the place/prefix part
    body_end: int         # end of the core part (prefix + first body/unit)
    kind: str
    bare: bool            # no prefix at all
    first_body: Optional[str]


def _kind(toks: list[tuple[str, int, int, str]], lex: Lexicon) -> str:
    """政协/人大/政府/党委/群团/其他 from the first core body, else from the unit ending."""
    for t in toks:
        if t[0] in lex.bodies:
            return lex.bodies[t[0]]
        for k in range(len(t[0]) - 1, 0, -1):
            if t[0][-k:] in lex.bodies and t[3] in "BU":
                return lex.bodies[t[0][-k:]]
    ending = _unit_ending(toks[-1][0], lex) if toks else None
    if ending:
        return ending[1]
    return "政府" if toks and toks[-1][0] in lex.single else "其他"


def _chunks(toks: list[tuple[str, int, int, str]]) -> list[_Chunk]:
    """Chunks of one clause's pieces (offsets absolute) that the grammar accepts as organisation names."""
    lex = lexicon()
    classes = "".join(t[3] for t in toks)
    out = []
    for m in _GRAMMAR.finditer(classes):
        i, j = m.start(), m.end()
        cls = classes[i:j]
        if not re.search(r"[BUuS]", cls) or (cls in ("S", "u")):
            continue
        if cls == "U" and _unit_ending(toks[i][0], lex) and _unit_ending(toks[i][0], lex)[0] == toks[i][0] \
                and toks[i][0] not in lex.bodies and toks[i][0] not in lex.standing:
            continue
        k = i
        while k < j and classes[k] in "CPMhAE":
            k += 1
        first_body = toks[k][0] if k < j and classes[k] == "B" else None
        kind = _kind(toks[k:j], lex)
        ending = _unit_ending(toks[j - 1][0], lex)
        if k == i and "B" not in cls and ending and ending[0] in lex.named:
            # a school or company needs a proper name ("史楼小学", not "普惠性幼儿园"); it starts there
            proper = re.search(r"P|hh", cls)
            first = _unit_ending(toks[k][0], lex)
            if cls[0] == "U" and first and len(toks[k][0]) - len(first[0]) >= 2:
                proper = re.match("U", cls)     # a dictionary name such as "北京大学"
            if not proper:
                continue
            i = k = i + proper.start()
            cls = cls[proper.start():]
        out.append(_Chunk(start=toks[i][1], end=toks[j - 1][2], pre_end=toks[k][1] if k < j else toks[j - 1][2],
                          body_end=toks[k][2] if k < j else toks[j - 1][2], kind=kind, bare=(k == i),
                          first_body=first_body))
    return out


_LAST_CLAUSE = re.compile(r"[^,。;:\n]*$")
_DOC_NUMBER = re.compile(r"[〔\[(]\s*(?:19|20)\d\d\s*[〕\])]")
_ADMIN_LIST = re.compile(r"(?:(?:全国|省|市|州|县|区|乡|镇|街道)、|\((?:省|市|州|县|区|乡|镇|街道)\))$")


def _generic(norm: str, c: _Chunk, lex: Lexicon, line_start: int) -> bool:
    """Generic references, person titles and fused meeting names are no mentions."""
    text = norm[c.start:c.end]
    before = norm[max(line_start, c.start - 6):c.start]
    after = norm[c.end:c.end + 8]
    if text in lex.stop or text.endswith(lex.stop_endings) or lex.generic_start.match(text):
        return True
    stripped = before.rstrip("".join(a for a in lex.admin if len(a) == 1))
    if (lex.generic_before.search(before) or lex.generic_before.search(stripped)) and not after.startswith("会议"):
        return True
    if _ADMIN_LIST.search(before):
        return True
    if _DOC_NUMBER.match(after):
        return True         # the issuer's code in a document number ("县委办〔2031〕15号")
    title = lex.titles.match(after)
    if title and not after.startswith("委员会") and not after.startswith("会议", title.end()):
        return True
    if c.bare and c.first_body and c.first_body in lex.after_bare:
        rest = norm[c.start + len(c.first_body):c.start + len(c.first_body) + 8]
        if lex.after_bare[c.first_body].match(rest):
            return True
    # a list whose first item is generic ("各县(市)、区人民政府", "上级党委、政府") stays generic
    if not norm[max(line_start, c.start - 3):c.start].rstrip().endswith("、"):
        return False
    clause = _LAST_CLAUSE.search(norm, line_start, c.start).group().strip()
    if clause.startswith(("各", "有关", "相关")):
        return True
    return bool(lex.generic_list.search(clause))


def _listed(norm: str, spans: list[tuple[int, int]], i: int) -> bool:
    """Whether mention ``i`` stands in a list with a neighbour ("人大、政协")."""
    s, e = spans[i]
    if i > 0 and norm[spans[i - 1][1]:s].strip() in _LIST_SEP:
        return True
    return i + 1 < len(spans) and norm[e:spans[i + 1][0]].strip() in _LIST_SEP


@lru_cache(maxsize=1)
def _self_pattern() -> re.Pattern:
    """我局/我站/我委/我会/本会 … not followed by a character that makes another word ("我会议")."""
    lex = lexicon()
    heads = "".join(sorted(lex.self_heads))
    bodies = "|".join(map(re.escape, lex.self_bodies))
    nots = "".join(map(re.escape, sorted(lex.self_not_before)))
    return re.compile(f"(?<!自)[{heads}](?:{bodies})(?![{nots}])")


def _self_refs(norm: str, start: int, end: int, lex: Lexicon) -> list[tuple[int, int]]:
    """Spans of self-references that name a body (GUIDE.md: 我局 counts, 我镇 does not)."""
    return [m.span() for m in _self_pattern().finditer(norm, start, end) if m.group() not in lex.self_not_pairs]


def _canonicalise(norm: str, mentions: list[OrgMention], chunks: dict[tuple[int, int], _Chunk]) -> None:
    """Lists sharing a prefix: bare later items get the first item's prefix ("市政协" + "经济委员会")."""
    lead: Optional[_Chunk] = None
    prev_end = -1
    for m in mentions:
        c = chunks.get(m.span)
        gap = norm[prev_end:m.span[0]] if prev_end >= 0 else None
        in_list = gap is not None and gap.strip() in _LIST_SEP
        if not in_list:
            lead = c
        elif c is not None and lead is not None and c.bare and c.first_body is None:
            prefix = norm[lead.start:lead.body_end] if lead.first_body else norm[lead.start:lead.pre_end]
            if prefix and len(prefix) < lead.end - lead.start and not norm[m.span[0]:m.span[1]].startswith(prefix):
                m.canonical = prefix + norm[m.span[0]:m.span[1]]
                if lead.first_body:
                    m.kind = lead.kind
        prev_end = m.span[1]


_LAW = re.compile(r"《[^《》\n]{1,80}?(?:法|条例|规程|规则|章程|细则|规定)(?:\(草案\)|\(试行\))?》")


def _law_titles(norm: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of 《…》 titles of laws and regulations: the bodies in such a name are no mentions
    (a document's title, 《区政协2025年协商计划》, still names its body)."""
    return [m.span() for m in _LAW.finditer(norm, start, end)]


_JOINED_KINDS = frozenset({"党委", "政府", "人大", "政协"})


def _join_adjacent(norm: str, spans: list[tuple[int, int]], found: dict[tuple[int, int], "_Chunk"]) -> list[tuple[int, int]]:
    """Bodies written together without a separator ("县委县政府", "区委区政府") are one mention."""
    out: list[tuple[int, int]] = []
    for sp in spans:
        if out and out[-1][1] == sp[0]:
            prev = found.get(out[-1])
            cur = found.get(sp)
            if (prev is not None and cur is not None and not cur.bare and prev.kind in _JOINED_KINDS
                    and cur.kind in _JOINED_KINDS):
                joined = (out[-1][0], sp[1])
                found[joined] = _Chunk(start=prev.start, end=cur.end, pre_end=prev.pre_end, body_end=prev.body_end,
                                       kind=prev.kind, bare=prev.bare, first_body=prev.first_body)
                out[-1] = joined
                continue
        out.append(sp)
    return out


def _report_title_bodies(norm: str, spans: list[tuple[int, int]], found: dict[tuple[int, int], "_Chunk"],
                         lex: Lexicon) -> list[tuple[int, int]]:
    """In "……国务院政府工作报告" 政府 belongs to the report's name: the body named before it is the mention
    (a place before it, "宝鸡市人民政府工作报告", makes 政府 the body and stays, and so does a bare body
    before it, "审议人大政府工作报告": the reports of both)."""
    out = []
    for s, e in spans:
        head = norm[s:e - 2]
        if norm.startswith("工作报告", e) and norm.endswith("政府", s, e) and head not in lex.bare_needs_list and any(
                head.endswith(b) for b in lex.bodies if len(b) > 1):
            c = found.get((s, e))
            if c is not None:
                found[(s, e - 2)] = replace(c, end=e - 2, body_end=min(c.body_end, e - 2))
            e -= 2
        out.append((s, e))
    return out


Piece = tuple[str, int, int, str]     # (text, start, end, grammar class) of one token piece


@dataclass
class Scan:
    """What the rules saw in a text: the pieces of each clause they segmented, the grammar's chunks
    before the filters (``raw``) and after them (``found``), and the rules' mention spans. The rules'
    decision (``spans``) and the rest are the tagger's features (parser.extract.org_features)."""

    clauses: dict[tuple[int, int], list[Piece]]
    raw: list[tuple[int, int]]
    found: dict[tuple[int, int], _Chunk]
    spans: list[tuple[int, int]]
    selfrefs: list[tuple[int, int]]                   # every 我局/本会 … before the filters
    segment: Callable[[int, int], list[Piece]]        # the pieces of another clause of the same text

    @cached_property
    def rule_spans(self) -> frozenset[tuple[int, int]]:
        return frozenset(self.spans)

    @cached_property
    def clause_index(self) -> list[tuple[int, int]]:
        """The segmented clauses, sorted (for the clause that holds a position)."""
        return sorted(self.clauses)


def pieces(norm: str, start: int, end: int, tokens: Optional[Sequence[tuple[int, int]]] = None) -> list[Piece]:
    """The classified token pieces of ``norm[start:end]`` (one clause)."""
    return _pieces(norm[start:end], start, tokens)


def scan(norm: str, start: int = 0, end: Optional[int] = None,
         tokens: Optional[Sequence[tuple[int, int]]] = None) -> Scan:
    """The rules over ``norm[start:end]``: clauses with a body word or unit ending are segmented, the
    grammar's chunks filtered (generic references, titles, laws), bodies written together joined, and
    self-references added."""
    end = len(norm) if end is None else end
    lex = lexicon()
    found: dict[tuple[int, int], _Chunk] = {}
    raw: list[tuple[int, int]] = []
    clauses: dict[tuple[int, int], list[Piece]] = {}
    trigger = _trigger()
    pos = start
    for line in norm[start:end].split("\n"):
        ls = pos
        pos += len(line) + 1
        if not line.strip() or line.lstrip().startswith(lex.furniture) or not trigger.search(line):
            continue
        for cs, ce in clause_spans(line, ls):
            if not trigger.search(norm, cs, ce):
                continue
            toks = clauses[(cs, ce)] = pieces(norm, cs, ce, tokens)
            for c in _chunks(toks):
                raw.append((c.start, c.end))
                if not _generic(norm, c, lex, ls):
                    found[(c.start, c.end)] = c
    titles = _law_titles(norm, start, end)
    spans = [sp for sp in sorted(found) if not any(a <= sp[0] < b for a, b in titles)]
    spans = _join_adjacent(norm, spans, found)
    spans = _report_title_bodies(norm, spans, found, lex)
    for s, e in _self_refs(norm, start, end, lex):
        if all(e <= a or s >= b for a, b in spans):
            spans.append((s, e))
    spans.sort()
    kept = []
    for i, (s, e) in enumerate(spans):
        c = found.get((s, e))
        if c is not None and c.bare and norm[s:e] in lex.bare_needs_list and not _listed(norm, spans, i):
            continue
        kept.append((s, e))
    return Scan(clauses=clauses, raw=raw, found=found, spans=kept,
                selfrefs=[m.span() for m in _self_pattern().finditer(norm, start, end)],
                segment=lambda cs, ce: pieces(norm, cs, ce, tokens))


def span_kind(norm: str, span: tuple[int, int], sc: Scan) -> str:
    """政协/人大/政府/党委/群团/其他 of a mention: the grammar's chunk when it has one, else the pieces
    of its clause that it covers, else the unit of a self-reference (我局 → 政府)."""
    c = sc.found.get(span)
    if c is not None:
        return c.kind
    s, e = span
    text = norm[s:e]
    if span not in sc.rule_spans:
        i = bisect_right(sc.clause_index, (s, len(norm) + 1)) - 1
        if i >= 0 and sc.clause_index[i][0] <= s < sc.clause_index[i][1]:
            inner = [t for t in sc.clauses[sc.clause_index[i]] if t[1] < e and t[2] > s]
            if inner and (any(t[0] in lexicon().bodies for t in inner) or _unit_ending(inner[-1][0], lexicon())):
                return _kind(inner, lexicon())
    return "政府" if text[1:] in ("局", "办", "厅", "委") else "其他"


def find_orgs(norm: str, start: int = 0, end: Optional[int] = None,
              tokens: Optional[Sequence[tuple[int, int]]] = None) -> list[OrgMention]:
    """Organisation mentions in ``norm[start:end]`` with absolute spans, roles and kinds.

    The trained tagger (parser.extract.org_tagger) decides the spans when its model file is there, with
    the rules' scan as its features; else the rules decide. Roles likewise come from the role model
    (parser.extract.role_model) or the rules (parser.extract.roles).

    ``tokens``: sorted (start, end) of words already cut over ``norm`` by ``segmenter()`` (the
    spaCy tokenizer's), so that the text is segmented once."""
    end = len(norm) if end is None else end
    sc = scan(norm, start, end, tokens)
    spans = tag_spans(norm, start, end, sc)
    if spans is None:
        spans = sc.spans
    mentions = [OrgMention(text=norm[s:e], span=(s, e), kind=span_kind(norm, (s, e), sc)) for s, e in spans]
    _canonicalise(norm, mentions, sc.found)
    assign_roles(norm, mentions, _first_word)
    assign_model_roles(norm, start, end, mentions, _first_word)
    return mentions


def _first_word(text: str) -> tuple[str, str]:
    """The first word of ``text`` and its part-of-speech tag in jieba's dictionary ("x" if none)."""
    return _first_word_of(text[:12])


@lru_cache(maxsize=8192)
def _first_word_of(head: str) -> tuple[str, str]:
    tags = _jieba()[1]
    for w in _tables().cut(head):
        return w, tags.get(w, "x")
    return "", "x"
