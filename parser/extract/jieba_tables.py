"""jieba's dictionary, ready to use: the prefix-frequency table with our lexicon added as user words, and
the part-of-speech tag of every dictionary word, loaded from the cache (parser.extract.cache).

jieba caches only its own table (one marshal file in the temp folder); adding our words and reading the
tags from dict.txt (350,000 lines) took most of a second at every start. Both are cached here as the
state jieba itself would build, so segmentation stays jieba's: a ``jieba.Tokenizer`` given these tables.
"""
from __future__ import annotations

import logging
import marshal
import sys
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
    tags: dict[str, str] = {}
    with open(_dict_file(), "rb") as fh:
        for raw in fh:
            parts = raw.decode("utf-8").split()
            if len(parts) == 3:
                tags[parts[0]] = sys.intern(parts[2])
    return tags


@lru_cache(maxsize=1)
def dictionary_tags() -> dict[str, str]:
    """word → part-of-speech tag of jieba's dictionary ("word freq tag" lines of dict.txt)."""
    return cached("jieba-tags", key_of(_dict_key()), _read_tags, marshal.dumps, marshal.loads)


def _tables_with(words: Sequence[str], tag: str) -> tuple[dict[str, int], int, dict[str, str]]:
    """jieba's frequency table, total and user tags after adding ``words`` in order (what add_word builds)."""
    tk = _jieba().Tokenizer()
    tk.initialize()
    for w in words:
        tk.add_word(w, tag=tag)
    return tk.FREQ, tk.total, tk.user_word_tag_tab


def tokenizer_with(words: Sequence[str], tag: str):
    """A jieba Tokenizer whose dictionary is jieba's plus ``words`` (added in order with ``tag``), and the
    tag table of both (the user words' tag wins); built once per install, then loaded from the cache."""
    key = key_of(_dict_key(), tag, "\n".join(words))
    freq, total, user_tags = cached("jieba-words", key, lambda: _tables_with(words, tag), marshal.dumps,
                                    marshal.loads)
    tk = _jieba().Tokenizer()
    # the state Tokenizer.initialize() and add_word() leave (jieba 0.42): table, total, user tags, flag
    tk.FREQ, tk.total, tk.user_word_tag_tab = freq, total, user_tags
    tk.initialized = True
    tags = dict(dictionary_tags())
    tags.update(user_tags)
    return tk, tags
