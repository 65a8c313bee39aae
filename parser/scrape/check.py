"""``planparser corpus check``: find what is damaged in a corpus folder, and with ``--repair`` mend it.

Checked: the catalogue (SQLite's integrity check), every stored version's raw body (gzip whole,
sha256 equal to the catalogue's hash), main text (UTF-8, length as catalogued) and contract JSON
(parses, right doc_id), temporary files left by killed writers, and files no row points to.
Repairs: a damaged catalogue is restored (``catalogue.repair_catalogue``); a raw body is fetched
again and kept only if its hash matches; a text is extracted again from the raw body and a
contract JSON parsed again from the text, as the crawl made them (same bytes).
"""
from __future__ import annotations

import gzip
import json
import sqlite3
import time
import urllib.request
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

from ..tables.atomic import stale_temps, write_atomic
from .catalogue import integrity, repair_catalogue
from .store import CorpusStore, sha256

ORPHAN_AGE = 600.0      # seconds: a file no row points to is only removed once surely not mid-store


@dataclass
class Finding:
    """One problem: what kind (catalogue, raw, text, parsed, temp, orphan), the file, why, and the repair."""

    kind: str
    path: str
    reason: str
    url: Optional[str] = None
    version: Optional[int] = None
    fixed: Optional[str] = None         # what the repair did; None while unrepaired

    def line(self) -> str:
        where = f" ({self.url} v{self.version})" if self.url else ""
        return f"{self.kind}: {self.path}{where}: {self.reason}" + (f" → {self.fixed}" if self.fixed else "")


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    versions: int = 0
    files: int = 0
    pending: int = 0

    @property
    def unresolved(self) -> list[Finding]:
        """Damage still there (orphan files are harmless notes, never counted)."""
        return [f for f in self.findings if f.fixed is None and f.kind != "orphan"]


# -- verifying one file -------------------------------------------------------------------------
def raw_problem(root: Path, row: sqlite3.Row) -> Optional[str]:
    path = root / row["raw_path"]
    try:
        body = gzip.decompress(path.read_bytes())
    except FileNotFoundError:
        return "missing"
    except (EOFError, OSError, zlib.error) as e:
        return f"truncated or corrupt gzip ({e})"
    if sha256(body) != row["content_hash"]:
        return "content does not match the catalogued sha256"
    return None


def text_problem(root: Path, row: sqlite3.Row) -> Optional[str]:
    try:
        text = (root / row["text_path"]).read_bytes().decode("utf-8")
    except FileNotFoundError:
        return "missing"
    except UnicodeDecodeError as e:
        return f"not UTF-8 ({e.reason} at byte {e.start})"
    if row["text_chars"] is not None and len(text) != row["text_chars"]:
        return f"{len(text)} characters, the catalogue says {row['text_chars']}"
    return None


def parsed_problem(root: Path, row: sqlite3.Row) -> Optional[str]:
    try:
        data = json.loads((root / row["parsed_path"]).read_bytes().decode("utf-8"))
    except FileNotFoundError:
        return "missing"
    except (UnicodeDecodeError, ValueError) as e:
        return f"not valid JSON ({e})"
    if not isinstance(data, dict) or data.get("doc_id") != row["doc_id"]:
        return "not this page's contract JSON (doc_id differs)"
    return None


# -- repairs ------------------------------------------------------------------------------------
def fetch(url: str, user_agent: str, timeout: float = 30.0) -> bytes:
    """The body at ``url`` (redirects followed); raises on a network error or an HTTP error status."""
    req = urllib.request.Request(url, headers={"User-Agent": user_agent})
    with urllib.request.urlopen(req, timeout=timeout) as resp:     # noqa: S310 - http(s) URLs from the catalogue
        return resp.read()


class Repairer:
    """Re-fetches raw bodies and re-makes texts and contract JSON the way the crawl made them."""

    def __init__(self, store: CorpusStore, delay: float, fetcher: Callable[[str], bytes]):
        self.store, self.delay, self.fetcher = store, delay, fetcher
        self._last = 0.0
        self._profiles: dict[str, Any] = {}
        self._extract: dict[int, bool] = {}

    def _profile(self, name: Optional[str]):
        from .profiles import generic, load_profile

        if name not in self._profiles:
            saved = self.store.db.execute("SELECT value FROM meta WHERE key='crawl_args'").fetchone()
            args = json.loads(saved[0]) if saved else {}
            profile = None
            for ref, folder in ((name, args.get("profiles_dir")), (args.get("profile"), args.get("profiles_dir"))):
                try:
                    profile = load_profile(ref, folder) if ref else None
                except Exception:  # noqa: BLE001 - a profile moved away: try the next, then the generic one
                    profile = None
                if profile is not None and profile.name == name:
                    break
            self._profiles[name] = profile if profile is not None and profile.name == name else generic()
        return self._profiles[name]

    def _extract_flag(self, run_id: Optional[int]) -> bool:
        """Whether the run that stored the page parsed with extraction (recorded at the run's start)."""
        if run_id not in self._extract:
            row = self.store.db.execute("SELECT stats FROM runs WHERE run_id=?", (run_id,)).fetchone()
            stats = json.loads(row[0]) if row and row[0] else {}
            self._extract[run_id] = bool(stats.get("planparser/extract", True))
        return self._extract[run_id]

    def _title_hint(self, row: sqlite3.Row) -> Optional[str]:
        """An attachment file was parsed under its link text (else its article's title), as the crawl did;
        its date is the row's own (the article's date when the file was stored)."""
        from .attachments import stored_title_hint

        return stored_title_hint(self.store, row["url"])

    def raw(self, row: sqlite3.Row) -> str:
        wait = self.delay - (time.monotonic() - self._last)
        if wait > 0:
            time.sleep(wait)
        try:
            body = self.fetcher(row["url"])
        except Exception as e:  # noqa: BLE001 - the reason becomes the finding's note
            raise RepairFailed(f"fetching {row['url']} failed: {type(e).__name__}: {e}") from e
        finally:
            self._last = time.monotonic()
        if sha256(body) != row["content_hash"]:
            raise RepairFailed("the site now serves different bytes: this version cannot be restored "
                               "(planparser update stores the current page as a new version)")
        write_atomic(self.store.root / row["raw_path"], gzip.compress(body, compresslevel=6, mtime=0))
        return "fetched again (hash matches)"

    def text(self, row: sqlite3.Row) -> str:
        from .extract import extract_page

        if raw_problem(self.store.root, row):
            raise RepairFailed("its raw body is damaged too and could not be restored")
        body = self.store.read_raw(row)
        ex = extract_page(body, row["final_url"] or row["url"], row["content_type"], self._profile(row["profile"]),
                          row["doc_id"], self._extract_flag(row["run_id"]), self._title_hint(row), row["published"])
        if ex.text is None:
            raise RepairFailed(f"extraction failed again: {ex.error}")
        write_atomic(self.store.root / row["text_path"], ex.text.encode("utf-8"))
        return "extracted again from the raw body"

    def parsed(self, row: sqlite3.Row) -> str:
        from .extract import parse_text

        if text_problem(self.store.root, row):
            raise RepairFailed("its text is damaged too and could not be restored")
        parsed, _ = parse_text(self.store.read_text(row), row["final_url"] or row["url"], row["doc_id"],
                               row["encoding"], self._title_hint(row) or row["title"], row["published"],
                               self._extract_flag(row["run_id"]))
        write_atomic(self.store.root / row["parsed_path"], json.dumps(parsed, ensure_ascii=False).encode("utf-8"))
        return "parsed again from the text"


class RepairFailed(Exception):
    pass


# -- the check ----------------------------------------------------------------------------------
def _files(root: Path, sub: str) -> Iterator[Path]:
    base = root / sub
    if base.is_dir():
        yield from (p for p in base.rglob("*") if p.is_file() and not p.name.endswith(".part"))


def check_corpus(root: str | Path, repair: bool = False, delay: float = 1.0,
                 fetcher: Optional[Callable[[str], bytes]] = None) -> Report:
    """Check ``root`` (and repair what can be repaired when ``repair``); the findings."""
    from .settings import DEFAULTS

    root = Path(root)
    report = Report()
    if not (root / "catalog.sqlite").exists():
        raise FileNotFoundError(f"{root}: no catalog.sqlite here (crawl into it first with --corpus)")
    problems = integrity(root / "catalog.sqlite")
    if problems:
        f = Finding("catalogue", str(root / "catalog.sqlite"), "fails PRAGMA integrity_check: " + "; ".join(problems[:3]))
        report.findings.append(f)
        if not repair:
            return report            # its rows cannot be trusted: nothing else is checked
        done = repair_catalogue(root)
        if done.problems_after:
            return report
        rows = sum(done.salvaged.values())
        f.fixed = (("restored from the back-up, " if done.from_backup else "rebuilt without a back-up, ")
                   + f"{rows} readable rows salvaged; the damaged file is kept as {done.damaged_copy.name}")
    for tmp in stale_temps(root):
        f = Finding("temp", str(tmp), "temporary file of a writer that died mid-write")
        if repair:
            tmp.unlink(missing_ok=True)
            f.fixed = "removed"
        report.findings.append(f)
    store = CorpusStore(root)
    try:
        agent = DEFAULTS["PLANPARSER_USER_AGENT"]
        fixer = Repairer(store, delay, fetcher or (lambda url: fetch(url, agent)))
        referenced: set[str] = set()
        for row in list(store.iter_pages(all_versions=True)):
            report.versions += 1
            for kind, check in (("raw", raw_problem), ("text", text_problem), ("parsed", parsed_problem)):
                rel = row[f"{kind}_path"]
                if not rel:
                    continue
                referenced.add(rel)
                report.files += 1
                why = check(root, row)
                if why is None:
                    continue
                f = Finding(kind, rel, why, row["url"], row["version"])
                report.findings.append(f)
                if repair:
                    try:
                        f.fixed = getattr(fixer, kind)(row)
                    except RepairFailed as e:
                        f.reason += f"; not repaired: {e}"
        report.pending = store.counts()["pending"]
        now = time.time()
        for sub in ("raw", "text", "parsed"):
            for p in _files(root, sub):
                rel = p.relative_to(root).as_posix()
                if rel in referenced:
                    continue
                f = Finding("orphan", rel, "no catalogue row points to it (left by an interrupted store; harmless)")
                if repair and now - p.stat().st_mtime > ORPHAN_AGE:
                    p.unlink(missing_ok=True)
                    f.fixed = "removed"
                report.findings.append(f)
    finally:
        store.close()
    return report
