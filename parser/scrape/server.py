"""A tiny static HTTP server on 127.0.0.1 for tests, the demo and the benchmark.

It serves a folder with ETag/Last-Modified validators (answering 304), and per-path rules read
from ``_server.json`` in the folder or given in code: fail N times with a status, redirect, a
fixed Content-Type, a delay. With ``index`` a generated page links every file. ``hold(path)`` keeps
the answers to a path waiting until ``release()``, so a test can freeze a crawl at a chosen request.
"""
from __future__ import annotations

import argparse
import email.utils
import hashlib
import html
import json
import mimetypes
import sys
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator, Optional
from urllib.parse import quote, unquote, urlsplit

RULES_FILE = "_server.json"


class Site:
    """A running server: ``url`` (no trailing slash), ``hits`` [(method, path, status)], ``stop()``;
    ``arrived`` [path] as requests come in, ``conditional`` [path] of those with If-None-Match/-Modified-Since."""

    def __init__(self, root: Path, rules: dict[str, dict[str, Any]], index: bool | str, delay: float):
        self.root = root.resolve()
        self.rules = rules
        self.index_path = ("/" if index is True else index) or None
        self.delay = delay
        self.hits: list[tuple[str, str, int]] = []
        self.agents: set[str] = set()
        self.failures: dict[str, int] = {}
        self.arrived: list[str] = []
        self.conditional: list[str] = []
        self.held: set[str] = set()
        self.gate = threading.Event()
        self.gate.set()
        self.lock = threading.Lock()
        self.httpd = _Server(("127.0.0.1", 0), _handler_for(self))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def start(self) -> "Site":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def hold(self, *paths: str) -> None:
        """Answers to these paths wait (up to two minutes) until ``release()``."""
        with self.lock:
            self.held.update(paths)
            self.gate.clear()

    def release(self) -> None:
        with self.lock:
            self.held.clear()
            self.gate.set()

    def wait_arrival(self, path: str, timeout: float = 120.0) -> bool:
        """True once a request for ``path`` has come in (before its answer, held or not)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if path in self.arrived:
                    return True
            time.sleep(0.01)
        return False

    def count(self, path: str, status: Optional[int] = None) -> int:
        with self.lock:
            return sum(1 for _, p, s in self.hits if p == path and (status is None or s == status))

    def index_page(self) -> bytes:
        files = sorted(p for p in self.root.rglob("*") if p.is_file() and not p.name.startswith(("_", ".")))
        items = "\n".join(f'<li><a href="/{quote(p.relative_to(self.root).as_posix())}">'
                          f"{html.escape(p.stem)}</a></li>" for p in files)
        return (f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>index</title></head>"
                f"<body><ul>\n{items}\n</ul></body></html>").encode("utf-8")


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A client that went away (a crawler killed mid-request) is no error worth a traceback."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def _handler_for(site: Site):
    class Handler(BaseHTTPRequestHandler):
        server_version = "planparser-test/0.1"
        protocol_version = "HTTP/1.1"         # keep-alive: every answer has a Content-Length

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

        def _send(self, status: int, body: bytes = b"", headers: Optional[dict[str, str]] = None) -> None:
            with site.lock:
                site.hits.append((self.command, urlsplit(self.path).path, status))
                site.agents.add(self.headers.get("User-Agent", ""))
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)

        def do_HEAD(self) -> None:
            self.do_GET()

        def do_GET(self) -> None:
            path = unquote(urlsplit(self.path).path)
            with site.lock:
                site.arrived.append(path)
                if self.headers.get("If-None-Match") or self.headers.get("If-Modified-Since"):
                    site.conditional.append(path)
                held = path in site.held
            if held:
                site.gate.wait(120)
            rule = site.rules.get(path, {})
            delay = float(rule.get("delay", site.delay))
            if delay:
                time.sleep(delay)
            if "fail" in rule:
                with site.lock:
                    n = site.failures.get(path, 0)
                    site.failures[path] = n + 1
                if n < int(rule.get("times", 1)):
                    return self._send(int(rule["fail"]), b"temporary failure", {"Content-Type": "text/plain"})
            if "redirect" in rule:
                return self._send(int(rule.get("status", 301)), b"", {"Location": rule["redirect"]})
            if "status" in rule:
                return self._send(int(rule["status"]), b"gone", {"Content-Type": "text/plain"})
            target = (site.root / path.lstrip("/")).resolve()
            if target.is_dir():
                target = target / "index.html"
            if site.index_path and path == site.index_path and not target.exists():
                return self._send(200, site.index_page(), {"Content-Type": "text/html; charset=utf-8"})
            if site.root not in target.parents or not target.is_file() or target.name.startswith("_"):
                return self._send(404, b"not found", {"Content-Type": "text/plain"})
            body = target.read_bytes()
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            mtime = int(target.stat().st_mtime)
            headers = {"ETag": etag, "Last-Modified": email.utils.formatdate(mtime, usegmt=True),
                       "Content-Type": rule.get("content_type") or _content_type(target)}
            inm = self.headers.get("If-None-Match")
            ims = self.headers.get("If-Modified-Since")
            if inm is not None:
                if etag in [t.strip() for t in inm.split(",")]:
                    return self._send(304, b"", {"ETag": etag})
            elif ims:
                since = email.utils.parsedate_to_datetime(ims)
                if since is not None and mtime <= since.timestamp():
                    return self._send(304, b"", {"ETag": etag})
            self._send(200, body, headers)

    return Handler


def _content_type(path: Path) -> str:
    if path.suffix.lower() in (".html", ".htm", ".shtml"):
        return "text/html"
    if path.suffix.lower() == ".txt":
        return "text/plain"
    return mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def load_rules(root: Path) -> dict[str, dict[str, Any]]:
    f = root / RULES_FILE
    return json.loads(f.read_text("utf-8")) if f.exists() else {}


@contextmanager
def serving(root: str | Path, rules: Optional[dict[str, dict[str, Any]]] = None, index: bool | str = False,
            delay: float = 0.0) -> Iterator[Site]:
    """Serve ``root`` on a free port of 127.0.0.1 in a thread for the duration of the block; ``index``
    (True for ``/`` or a path) serves a generated page linking every file there."""
    root = Path(root)
    site = Site(root, {**load_rules(root), **(rules or {})}, index, delay).start()
    try:
        yield site
    finally:
        site.stop()


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m parser.scrape.server", description=__doc__)
    ap.add_argument("folder")
    ap.add_argument("--index", action="store_true", help="list every file at / when there is no index.html")
    args = ap.parse_args(argv)
    with serving(args.folder, index=args.index) as site:
        print(site.url, flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            return 0


if __name__ == "__main__":
    raise SystemExit(main())
