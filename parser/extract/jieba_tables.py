"""jieba's dictionary, ready to use: the prefix-frequency table with our lexicon added as user words, and
the part-of-speech tag of every word, loaded from the cache (parser.extract.cache).

jieba caches only its own table (one marshal file in the temp folder); adding our words and reading the
tags from dict.txt (350,000 lines) took most of a second at every start. Both are cached here as the
state jieba itself would build, so segmentation stays jieba's: a ``jieba.Tokenizer`` given these tables.
"""
from __future__ import annotations

import logging
import marshal
import math
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from .cache import cached, key_of


@lru_cache(maxsize=1)
def _jieba():
    """jieba, imported without running its HMM module until something uses it (we cut with HMM=False):
    jieba.finalseg builds ~35,000 probabilities at import, 0.7 s where no bytecode is cached."""
    if "jieba" not in sys.modules:
        try:
            _import_without_hmm()
        except Exception:   # whatever went wrong, the ordinary import is still right
            for name in ("jieba", "jieba.finalseg"):
                sys.modules.pop(name, None)
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _import_without_hmm() -> None:
    """Import jieba with ``jieba.finalseg`` registered as a lazy module (importlib.util.LazyLoader): its
    code runs on the first attribute use. jieba's ``from . import finalseg`` finds it already on the package."""
    from importlib.machinery import PathFinder
    from importlib.util import LazyLoader, find_spec, module_from_spec

    spec = find_spec("jieba")
    hmm = PathFinder.find_spec("jieba.finalseg", spec.submodule_search_locations)
    hmm.loader = LazyLoader(hmm.loader)
    lazy = module_from_spec(hmm)
    hmm.loader.exec_module(lazy)
    package = module_from_spec(spec)
    package.finalseg = lazy
    sys.modules["jieba.finalseg"] = lazy
    sys.modules["jieba"] = package
    spec.loader.exec_module(package)


def _dict_file() -> Path:
    return Path(_jieba().__file__).parent / "dict.txt"


def _dict_key() -> str:
    """jieba's version and its dictionary file's size and time: what the tables are built from."""
    st = _dict_file().stat()
    return f"jieba {_jieba().__version__} {st.st_size} {st.st_mtime_ns} {sys.implementation.cache_tag}"


def _read_tags() -> dict[str, str]:
    """word → tag of the "word freq tag" lines of dict.txt."""
    tags: dict[str, str] = {}
    with open(_dict_file(), "rb") as fh:
        for raw in fh:
            parts = raw.decode("utf-8").split()
            if len(parts) == 3:
                tags[parts[0]] = sys.intern(parts[2])
    return tags


FORMAT = "jieba tables 2"     # change when the cached tables change shape


@dataclass
class Tables:
    """What jieba builds from its dictionary plus user words, and the tags of both."""

    freq: dict[str, int]          # word and word prefix → frequency (jieba's prefix dictionary)
    total: int
    user_tags: dict[str, str]     # user word → its tag
    tags: dict[str, str]          # every tagged word → tag, a user word's tag winning
    replaced: dict[str, str]      # user word → the dictionary's own tag ('' when it had none)
    _logp: dict[int, float] = field(default_factory=dict, repr=False)   # frequency → log probability

    def cut(self, text: str) -> list[str]:
        """The words ``jieba.Tokenizer.cut(text, HMM=False)`` gives with these tables, found about twice as
        fast: the word graph and the best route are one right-to-left pass, without jieba's per-position
        lists and tuples (the same sums in the same order, so ties and floats come out the same)."""
        jb = _jieba()
        han, skip = jb.re_han_default, jb.re_skip_default
        out: list[str] = []
        for block in han.split(text):
            if not block:
                continue
            if han.match(block):
                out += self._cut_block(block, jb.re_eng)
            else:
                for piece in skip.split(block):
                    if skip.match(piece):
                        out.append(piece)
                    else:
                        out += piece
        return out

    def _cut_block(self, s: str, eng) -> list[str]:
        """jieba's ``__cut_DAG_NO_HMM`` on one run of Han characters, letters and digits."""
        n = len(s)
        get, logp = self.freq.get, self._logp
        logtotal = math.log(self.total)
        best = [0.0] * (n + 1)
        nxt = [0] * n
        for i in range(n - 1, -1, -1):
            top, end = None, i + 1
            j = i + 1
            f = get(s[i])
            while f is not None:            # s[i:j] is a word or a word's prefix
                if f:
                    lp = logp.get(f)
                    if lp is None:
                        lp = logp[f] = math.log(f) - logtotal
                    score = lp + best[j]
                    if top is None or score >= top:     # jieba's max over (score, end): the later end wins ties
                        top, end = score, j
                if j >= n:
                    break
                j += 1
                f = get(s[i:j])
            best[i] = top if top is not None else -logtotal + best[i + 1]
            nxt[i] = end
        words: list[str] = []
        x, buf = 0, ""
        while x < n:
            y = nxt[x]
            w = s[x:y]
            if y - x == 1 and eng.match(w):     # single letters and digits run together, as in jieba
                buf += w
            else:
                if buf:
                    words.append(buf)
                    buf = ""
                words.append(w)
            x = y
        if buf:
            words.append(buf)
        return words

    def dictionary_tag(self, word: str) -> str:
        """jieba's own tag of a dictionary word ('' for a word it does not tag)."""
        return self.replaced[word] if word in self.replaced else self.tags.get(word, "")

    def tokenizer(self):
        """A jieba Tokenizer with these tables, in the state Tokenizer.initialize() and add_word() leave
        (jieba 0.42: FREQ, total, user_word_tag_tab and the initialized flag)."""
        tk = _jieba().Tokenizer()
        tk.FREQ, tk.total, tk.user_word_tag_tab = self.freq, self.total, self.user_tags
        tk.initialized = True
        return tk


def _build(words: Sequence[str], tag: str) -> tuple:
    """The tables after adding ``words`` in order with ``tag``; the tag table shares the frequency table's
    strings, which marshal keeps shared, so the cache loads each word once."""
    tk = _jieba().Tokenizer()
    tk.initialize()
    for w in words:
        tk.add_word(w, tag=tag)
    same = {w: w for w in tk.FREQ}
    own = _read_tags()
    tags = {same.get(w, w): t for w, t in own.items()}
    tags.update((same[w], t) for w, t in tk.user_word_tag_tab.items())
    replaced = {same[w]: own.get(w, "") for w in tk.user_word_tag_tab}
    return tk.FREQ, tk.total, tk.user_word_tag_tab, tags, replaced


def tables_with(words: Sequence[str], tag: str) -> Tables:
    """jieba's tables with ``words`` added as user words (in order, with ``tag``): built once per install,
    then loaded from the cache."""
    key = key_of(FORMAT, _dict_key(), tag, "\n".join(words))
    return cached("jieba-words", key, lambda: Tables(*_build(words, tag)), _dump, _load)


def _dump(t: Tables) -> bytes:
    return marshal.dumps((t.freq, t.total, t.user_tags, t.tags, t.replaced))


def _load(payload: bytes) -> Tables:
    freq, total, user_tags, tags, replaced = marshal.loads(payload)    # another shape raises: rebuilt
    return Tables(freq, total, user_tags, tags, replaced)
