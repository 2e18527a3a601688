"""Helpers for the browser tests of the site: Debian's chromium driven by Playwright (no
browser download), the built site served from 127.0.0.1 by a plain static file server.
The fixtures that use them (base_url, browser, page) are in conftest.py."""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


def missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} (CI ortamında tarayıcı testleri atlanamaz; scripts/browser-deps)")
    pytest.skip(f"{what}; kurmak için: scripts/browser-deps")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve a directory on 127.0.0.1; yields the base URL (with a trailing slash)."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium() -> Iterator[object]:
    if not CHROMIUM.is_file():
        missing(f"{CHROMIUM} yok")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright (Python) kurulu değil")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def recording_page(browser, width: int = 1280, height: int = 900) -> Iterator[object]:
    """A fresh page that records the URL of every request it makes (page.requested)."""
    context = browser.new_context(locale="tr-TR", viewport={"width": width, "height": height})
    page = context.new_page()
    page.requested = []
    page.on("request", lambda request: page.requested.append(request.url))
    try:
        yield page
    finally:
        context.close()


def assert_same_origin(page) -> None:
    assert page.requested, "hiç istek kaydedilmedi"
    foreign = [
        url
        for url in page.requested
        if urlparse(url).scheme not in ("data", "blob") and urlparse(url).hostname != "127.0.0.1"
    ]
    assert not foreign, f"başka sunuculara istek gitti: {foreign}"


def search(page, base_url: str, query: str) -> list[list[str]]:
    """Type a query into Material's search box; the result groups' links, best first
    (each group: the page, then its matching sections), without the ?h= highlight part."""
    page.goto(urljoin(base_url, "index.html"))
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=20)
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    # Results are re-rendered as the worker answers each keystroke; wait for a quiet state.
    page.wait_for_function(
        """q => document.querySelector('.md-search__input').value === q""", arg=query
    )
    page.wait_for_timeout(500)
    groups = page.eval_on_selector_all(
        ".md-search-result__item",
        "items => items.map(li => [...li.querySelectorAll('a')].map(a => a.href))",
    )
    return [[re.sub(r"\?h=[^#]*", "", href).removeprefix(base_url) for href in g] for g in groups]
