"""Site profiles: TOML files (bundled in parser/data/profiles/ or in a user folder) that say where
to start, which links are articles or listings, and which selectors hold title, date and text."""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from ..errors import ConfigError

BUNDLED = Path(__file__).resolve().parent.parent / "data" / "profiles"


def user_dir() -> Path:
    """~/.config/planparser/profiles (or under $XDG_CONFIG_HOME), looked up at call time."""
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "planparser" / "profiles"


@dataclass(frozen=True)
class Profile:
    """One site's crawl and extraction rules; list fields are merged over ``generic.toml``."""

    name: str
    description: str = ""
    start_urls: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    encoding: str = ""
    keywords: tuple[str, ...] = ()
    article: tuple[str, ...] = ()
    article_needs_keyword: bool = True
    follow: str = "keyword"          # links outside a listing's main list: keyword | all | list
    listing: tuple[str, ...] = ()
    listing_text: tuple[str, ...] = ()
    deny: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    content: tuple[str, ...] = ()
    date: tuple[str, ...] = ()
    breadcrumb: tuple[str, ...] = ()
    furniture: tuple[str, ...] = ()
    crawl: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    path: Optional[str] = None

    def selectors(self) -> Optional[dict[str, list[str]]]:
        """The selectors as a dict for ``extract_main``; None when the profile names none."""
        d = {k: list(getattr(self, k)) for k in ("title", "content", "date", "breadcrumb", "furniture")}
        return d if any(d[k] for k in ("title", "content", "date", "breadcrumb")) else None

    def with_urls(self, urls: list[str]) -> "Profile":
        return replace(self, start_urls=tuple(urls)) if urls else self


FOLLOW_MODES = ("keyword", "all", "list")
_LISTS = {"links": ("keywords", "article", "listing", "listing_text", "deny"),
          "selectors": ("title", "content", "date", "breadcrumb", "furniture")}


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(str(path), f"cannot read site profile: {e}")


def _build(data: dict[str, Any], base: Optional[Profile], path: Optional[Path]) -> Profile:
    kw: dict[str, Any] = {}
    for key in ("name", "description", "encoding"):
        if key in data:
            kw[key] = str(data[key])
    for key in ("start_urls", "allowed_domains"):
        if key in data:
            kw[key] = tuple(str(x) for x in data[key])
    links = data.get("links", {})
    sels = data.get("selectors", {})
    replace_lists = bool(data.get("replace_lists", False))
    for table, keys in _LISTS.items():
        src = links if table == "links" else sels
        for key in keys:
            if key in src:
                own = tuple(str(x) for x in src[key])
                inherited = () if (base is None or replace_lists) else getattr(base, key)
                kw[key] = tuple(dict.fromkeys(own + inherited))
    if "article_needs_keyword" in links:
        kw["article_needs_keyword"] = bool(links["article_needs_keyword"])
    if "follow" in links:
        if links["follow"] not in FOLLOW_MODES:
            raise ConfigError(str(path), f"links.follow is {links['follow']!r}; use one of {', '.join(FOLLOW_MODES)}")
        kw["follow"] = str(links["follow"])
    kw["crawl"] = {**(base.crawl if base else {}), **data.get("crawl", {})}
    kw["path"] = str(path) if path else None
    for key in ("article", "listing", "deny"):
        for pat in kw.get(key, ()):
            try:
                re.compile(pat)
            except re.error as e:
                raise ConfigError(str(path), f"bad regular expression in links.{key}: {pat!r} ({e})")
    if base is None:
        return Profile(**{"name": "generic", **kw})
    return replace(base, **kw)


@lru_cache(maxsize=1)
def generic() -> Profile:
    """The bundled ``generic`` profile every other profile extends."""
    path = BUNDLED / "generic.toml"
    return _build(_read(path), None, path)


def profile_dirs(extra: Optional[str] = None) -> list[Path]:
    """Where profiles are looked up, first match wins: --profiles-dir, the user folder, bundled."""
    dirs = [Path(extra)] if extra else []
    return dirs + [user_dir(), BUNDLED]


def load_profile(name_or_path: Optional[str] = None, profiles_dir: Optional[str] = None) -> Profile:
    """A profile by name (searched in ``profile_dirs``) or by path to a TOML file; None → generic."""
    if not name_or_path or name_or_path == "generic":
        return generic()
    candidate = Path(name_or_path)
    if candidate.suffix == ".toml" and candidate.exists():
        path = candidate
    else:
        path = next((d / f"{name_or_path}.toml" for d in profile_dirs(profiles_dir)
                     if (d / f"{name_or_path}.toml").exists()), None)
        if path is None:
            known = ", ".join(sorted(available(profiles_dir))) or "none"
            raise ConfigError(name_or_path, f"no such site profile (known: {known}); pass a name or a .toml path")
    if path.resolve() == (BUNDLED / "generic.toml").resolve():
        return generic()
    data = _read(path)
    data.setdefault("name", path.stem)
    return _build(data, generic(), path)


def profile_from_dict(data: dict[str, Any]) -> Profile:
    """A profile made in code (e.g. for a local sample site), extending generic."""
    return _build(data, generic(), None)


def available(profiles_dir: Optional[str] = None) -> dict[str, str]:
    """Profile names → paths over all lookup folders."""
    out: dict[str, str] = {}
    for d in reversed(profile_dirs(profiles_dir)):
        if d.is_dir():
            for f in sorted(d.glob("*.toml")):
                out[f.stem] = str(f)
    return out
