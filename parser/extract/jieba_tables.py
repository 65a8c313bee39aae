"""jieba's dictionary, ready to use: the prefix-frequency table with our lexicon added as user words, and
the part-of-speech tag of every word, loaded from the cache (parser.extract.cache).

jieba caches only its own table (one marshal file in the temp folder); adding our words and reading the
tags from dict.txt (350,000 lines) took most of a second at every start. Both are cached here as the
state jieba itself would build, so segmentation stays jieba's: a ``jieba.Tokenizer`` given these tables.
"""
from __future__ import annotations

import logging
import marshal
import sys
from dataclasses import dataclass
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
