"""Place names in a text: divisions from a bundled table (province, city, county) plus townships.

The table (data/gazetteer.tsv, generated from JioNLP's division list) gives full names and
short names with their GUIDE.md admin level; townships, streets, communities and villages
(北辛街道, 羊古坳乡) are found with the generic NAME + suffix rules in data/gazetteer.toml.
"""
from __future__ import annotations

import marshal
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..model import Span
from .cache import cached, file_key, key_of
from .orgs import dictionary_tag

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass(frozen=True)
class Place:
    """A place mention: its span on the text, full name, level and how it was found."""

    span: Span
    name: str            # full name (Simplified): "威海市", "北辛街道"
    level: str           # 省, 市, 县, 区, 乡镇, 街道, 社区, 村
    source: str          # "table", "short" (short form of a table name) or "pattern"
    suffix: str = ""     # what a short form lacks of its full name ("市" for 威海)


@dataclass(frozen=True)
class Gazetteer:
    """Lookup structures of the division table: an Aho–Corasick automaton of the names, and levels."""

    automaton: "ahocorasick_rs.AhoCorasick"          # finds every name, overlapping ones too
    names: tuple[tuple[str, str, str, str], ...]     # pattern index → (written, full, level, source)
    levels: dict[str, str]                            # full name → level
    rules: dict


def _entries(table: Path, rules: dict) -> tuple[list[tuple[str, str, str, str]], dict[str, str]]:
    """The names to look for (full names, and short names of provinces and prefectures) and the levels."""
    short = rules["short_names"]
    ignore = set(short.get("ignore", []))
    entries: dict[str, tuple[str, str, str, str]] = {}
    levels: dict[str, str] = {}
    for line in table.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, sname, level, parents = (line.split("\t") + [""])[:4]
        upper = len([p for p in parents.split("/") if p]) <= 1     # a province or a prefecture
        levels.setdefault(name, level)
        if name not in ignore:
            entries.setdefault(name, (name, name, level, "table"))
        if (upper and level in short["levels"] and sname != name and len(sname) >= short["min_len"]
                and sname not in ignore and sname not in entries):
            entries[sname] = (sname, name, level, "short")
    return [e for e in entries.values() if len(e[0]) >= 2], levels    # a one-character name is never one


@lru_cache(maxsize=4)
def load_gazetteer(path: Optional[str] = None) -> Gazetteer:
    """Load the division table and the township rules (a user table may replace ours): the parsed table
    comes from the cache (parser.extract.cache), and the automaton is built from it (~10 ms)."""
    import ahocorasick_rs

    table = Path(path).resolve() if path else DATA / "gazetteer.tsv"
    rules_file = DATA / "gazetteer.toml"
    rules = tomllib.loads(rules_file.read_text(encoding="utf-8"))
    name = "gazetteer" if path is None else "gazetteer-" + key_of(str(table))[:8]
    names, levels = cached(name, key_of("gazetteer 1", file_key(table, rules_file)), lambda: _entries(table, rules),
                           marshal.dumps, marshal.loads)
    automaton = ahocorasick_rs.AhoCorasick([n[0] for n in names])
    return Gazetteer(automaton=automaton, names=tuple(map(tuple, names)), levels=levels, rules=rules)


def level_of(name: str) -> Optional[str]:
    """The admin level of a full division name or of a NAME + suffix township, else None."""
    gz = load_gazetteer()
    if name in gz.levels:
        return gz.levels[name]
    for suffix, level in sorted(gz.rules["suffix_level"].items(), key=lambda kv: -len(kv[0])):
        if name.endswith(suffix) and len(name) > len(suffix):
            return level
    return None


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _follows(text: str, pos: int, words: tuple[str, ...]) -> bool:
    """True when ``text`` at ``pos`` starts with one of ``words``, punctuation or a line end."""
    if pos >= len(text) or not _is_han(text[pos]) and not text[pos].isalpha():
        return True
    return text.startswith(words, pos)


@dataclass(frozen=True)
class _PatternRules:
    """The township rules of gazetteer.toml laid out once for ``pattern_places`` (not per call)."""

    suffixes: tuple[tuple[str, str], ...]           # (suffix, level), longest first
    jump: "re.Pattern"
    follow: tuple[str, ...]
    stop: frozenset[str]
    not_places: dict[str, tuple[str, ...]]          # suffix → the not-places that end with it
    bad_tags: frozenset[str]
    max_name: int
    min_name: int


@lru_cache(maxsize=1)
def _pattern_rules() -> _PatternRules:
    gz = load_gazetteer()
    pat = gz.rules["pattern"]
    suffixes = tuple(sorted(gz.rules["suffix_level"].items(), key=lambda kv: -len(kv[0])))
    return _PatternRules(suffixes=suffixes, jump=_suffix_starts(tuple(s for s, _ in suffixes)),
                         follow=tuple(pat["follow"]), stop=frozenset(pat["stop_chars"]),
                         not_places={s: tuple(w for w in pat["not_places"] if w.endswith(s)) for s, _ in suffixes},
                         bad_tags=frozenset(pat["not_name_tags"]),
                         max_name=int(pat["max_name"]), min_name=int(pat["min_name"]))


# a two-character name starting with a conjunction after a word is the conjunction ("全会和县委")
_JOINERS = frozenset("和与及同跟")


@lru_cache(maxsize=8)
def _suffix_starts(suffixes: tuple[str, ...]) -> "re.Pattern":
    """Where any of the township/street suffixes starts (a zero-width look-ahead, so none is skipped)."""
    return re.compile("(?=" + "|".join(re.escape(x) for x in suffixes) + ")")


def table_places(norm: str, start: int = 0, end: Optional[int] = None,
                 body_words: tuple[str, ...] = ()) -> list[Place]:
    """Division names from the table, leftmost-longest; names of two characters (云县, 城区)
    count only when a body word (政协, 人民政府 …) follows them."""
    gz = load_gazetteer()
    end = len(norm) if end is None else end
    at: dict[int, list[tuple[str, str, str, str]]] = {}     # start → the names found there
    for k, s, _ in gz.automaton.find_matches_as_indexes(norm[start:end], overlapping=True):
        at.setdefault(start + s, []).append(gz.names[k])
    out: list[Place] = []
    free = start    # names starting inside the last hit are skipped
    for i in sorted(at):
        if i < free:
            continue
        hit = None
        for written, full, level, source in sorted(at[i], key=lambda e: -len(e[0])):   # longest first
            j = i + len(written)
            if len(written) <= 2 and source == "table" and (
                    not any(norm.startswith(w, j) for w in body_words)
                    or i > start and _word_tag(norm[i - 1:i + 1])
                    or i > start and written[0] in _JOINERS and _is_han(norm[i - 1])):
                continue    # 云县 only as 云县政协; not 提高县委 (提高 is a word), not 全会和县委
            if source == "short" and any(norm.startswith(x, j) for x in gz.rules["suffix_level"]):
                continue    # 桂林街道 is a street, not 桂林市
            hit = Place((i, j), full, level, source, full[len(written):] if source == "short" else "")
            break
        if hit:
            out.append(hit)
            free = hit.span[1]
    return out


def pattern_places(norm: str, start: int = 0, end: Optional[int] = None,
                   taken: tuple[Span, ...] = ()) -> list[Place]:
    """Townships, streets, communities and villages written as NAME + suffix (2–3 character names)."""
    pr = _pattern_rules()
    end = len(norm) if end is None else end
    out: list[Place] = []
    i = start
    while i < end:
        m = pr.jump.search(norm, i, end)   # skip straight to the next place where a suffix starts
        if m is None:
            break
        i = m.start()
        found = None
        for suffix, level in pr.suffixes:
            if not norm.startswith(suffix, i) or i + len(suffix) > end:
                continue
            j = i + len(suffix)
            if not _follows(norm, j, pr.follow):
                continue
            found = _name_before(norm, start, i, suffix, level, pr, taken)
            if found:
                break
        if found:
            out.append(found)
            i = found.span[1]
        else:
            i += 1
    return out


def _name_before(norm: str, start: int, i: int, suffix: str, level: str, pr: _PatternRules,
                 taken: tuple[Span, ...]) -> Optional[Place]:
    """The name before a suffix at ``i``: the longest run of name characters that starts at a
    boundary (line start, punctuation, a function character or the end of a table place)."""
    j = i + len(suffix)
    stop = pr.stop
    if any(norm.startswith(w, i - len(w) + len(suffix)) for w in pr.not_places[suffix]):
        return None
    for n in range(pr.max_name, pr.min_name - 1, -1):
        s = i - n
        if s < start:
            continue
        name = norm[s:i]
        if not all(_is_han(c) and c not in stop for c in name):
            continue
        before = norm[s - 1] if s > start else "\n"
        boundary = (s == start or not _is_han(before) or before in stop
                    or any(ts <= s - 1 < te and te == s for ts, te in taken))
        if boundary:
            line_start = s == start or before in "\n"
            bad = pr.bad_tags
            if (not line_start and _word_tag(name) in bad) or (len(name) > 2 and _word_tag(name[-2:]) in bad):
                return None     # 结合镇党委, 围绕街道中心工作: a verb, not a name
            return Place((s, j), name + suffix, level, "pattern")
    return None


def _word_tag(word: str) -> str:
    """jieba's part-of-speech tag of a dictionary word ('' for an unknown word)."""
    return dictionary_tag(word)


def find_places(norm: str, start: int = 0, end: Optional[int] = None,
                body_words: tuple[str, ...] = ()) -> list[Place]:
    """Every place mention in ``norm[start:end]`` in text order: table names, then townships. The last
    few answers are kept: the metadata rules and models read the same plan's places."""
    return list(_find_places(norm, start, len(norm) if end is None else end, tuple(body_words)))


@lru_cache(maxsize=4)
def _find_places(norm: str, start: int, end: int, body_words: tuple[str, ...]) -> tuple[Place, ...]:
    table = table_places(norm, start, end, body_words)
    spans = tuple(p.span for p in table)
    pats = [p for p in pattern_places(norm, start, end, spans)
            if not any(s < p.span[1] and p.span[0] < e for s, e in spans)]     # a table name wins
    return tuple(sorted(table + pats, key=lambda p: p.span))


@lru_cache(maxsize=1)
def _county_shorts() -> tuple["ahocorasick_rs.AhoCorasick", tuple[tuple[str, str, str], ...]]:
    """An automaton of the short names of counties, districts and county-level cities (紫阳 for
    紫阳县), with each one's (short, full name, level); a short name that is also a province's or a
    prefecture's, or one of the ignored words, is left out."""
    import ahocorasick_rs

    gz = load_gazetteer()
    ignore = set(gz.rules["short_names"].get("ignore", []))
    upper = {n[0] for n in gz.names}        # full names and the provinces' and prefectures' short names
    out: dict[str, tuple[str, str, str]] = {}
    for line in (DATA / "gazetteer.tsv").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, short, level, parents = (line.split("\t") + [""])[:4]
        if (len([p for p in parents.split("/") if p]) >= 2 and len(short) >= 2 and short != name
                and short not in upper and short not in ignore and short[-1] not in _NAME_GOES_ON):
            out.setdefault(short, (short, name, level))
    names = tuple(out.values())
    return ahocorasick_rs.AhoCorasick([n[0] for n in names], matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST), names


# after a county's short name, these make it part of another name (紫阳镇, 海曙路) or its full name
_NAME_GOES_ON = frozenset("省市州盟县旗区镇乡村街路")


def county_short_places(norm: str, start: int = 0, end: Optional[int] = None) -> list[Place]:
    """Counties, districts and county-level cities written by their short names (紫阳 for 紫阳县; the
    table's names are found by ``table_places``): leftmost-longest, not where a suffix goes on."""
    automaton, names = _county_shorts()
    end = len(norm) if end is None else end
    out: list[Place] = []
    free = start
    for k, s, e in automaton.find_matches_as_indexes(norm[start:end]):
        s, e = start + s, start + e
        if s < free or (e < len(norm) and norm[e] in _NAME_GOES_ON):
            continue
        short, full, level = names[k]
        out.append(Place((s, e), full, level, "short_county", full[len(short):]))
        free = e
    return out


@lru_cache(maxsize=1)
def _townships() -> tuple["ahocorasick_rs.AhoCorasick", tuple[tuple[str, str], ...]]:
    """An automaton of the township tier's full names (data/townships.tsv: 水南镇, 宗汉街道), with each
    one's (name, level)."""
    import ahocorasick_rs

    levels = {"镇": "乡镇", "乡": "乡镇", "苏木": "乡镇", "街道": "街道"}
    names: list[tuple[str, str]] = []
    for line in (DATA / "townships.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            stem, suffixes = line.split("\t")
            names += [(stem + x, levels[x]) for x in suffixes.split(",")]
    return (ahocorasick_rs.AhoCorasick([n for n, _ in names], matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST),
            tuple(names))


def township_places(norm: str, start: int = 0, end: Optional[int] = None) -> list[Place]:
    """Townships and streets of the township table written in full (水南镇), leftmost-longest, wherever
    they stand (the township rules need a body word after a name)."""
    automaton, names = _townships()
    end = len(norm) if end is None else end
    out: list[Place] = []
    for k, s, e in automaton.find_matches_as_indexes(norm[start:end]):
        s, e = start + s, start + e
        name, level = names[k]
        out.append(Place((s, e), name, level, "township"))
    return out
