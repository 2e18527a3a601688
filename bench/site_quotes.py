"""Share of the visible words of a page that are source citations (measured in Chromium:
the article's rendered text; a folded citation counts only with its visible "Kaynak")."""

from __future__ import annotations

QUOTE_SHARE_JS = """() => {
  const art = document.querySelector("article");
  const words = s => (s.match(/[\\p{L}\\p{N}]+/gu) || []).length;
  const total = words(art.innerText);
  let cited = 0;
  for (const el of art.querySelectorAll(".kume-kaynak, .kume-kaynak-ref")) {
    if (el.parentElement.closest(".kume-kaynak")) continue;
    if (!el.checkVisibility()) continue;
    cited += words(el.innerText);
  }
  return {total, cited};
}"""
PAGES = ("sss.html", "program.html", "kobi-kumelenme-projesi.html")


def quote_shares(site_dir, chromium: str = "/usr/bin/chromium") -> dict[str, tuple[int, int]]:
    """{page: (visible words, citation words)} for the FAQ, programme and project pages."""
    import functools
    import http.server
    import threading

    from playwright.sync_api import sync_playwright

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for path in PAGES:
                page.goto(f"http://127.0.0.1:{server.server_port}/{path}")
                r = page.evaluate(QUOTE_SHARE_JS)
                out[path] = (r["total"], r["cited"])
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out
