"""planparser: Chinese published plans into heading trees, mentions and pandas tables.

Quick path: ``parser.parse_text(text)``, ``parser.parse_file(path)``, ``parser.to_frames(docs)``;
for control, ``parser.Parser(parser.Options(...))``.
"""
from __future__ import annotations

from .model import DateMention, Document, Field, OrgMention, Plan, Section
from .pipeline import Options, Parser
from .tables.frames import to_frames
from .version import __version__

__all__ = ["__version__", "parse_text", "parse_file", "to_frames", "Parser", "Options", "Document", "Plan", "Section",
           "Field", "DateMention", "OrgMention"]

_default: Parser | None = None


def _parser() -> Parser:
    global _default
    if _default is None:
        _default = Parser()
    return _default


def parse_text(text: str, source: str = "<text>", doc_id: str | None = None) -> Document:
    """Parse a plan text (already decoded) with the default options."""
    return _parser().parse_text(text, source=source, doc_id=doc_id)


def parse_file(path: str) -> Document:
    """Read (any supported encoding, .txt or .html) and parse one file with the default options."""
    return _parser().parse_file(path)


def __getattr__(name: str):
    """``parser.nlp`` (and the other subpackages) on first use, so ``import parser`` stays light."""
    if name in ("nlp", "analysis", "plotting", "maps", "scrape"):
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
