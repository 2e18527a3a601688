"""MkDocs hooks: generate the pages from content/ into a temporary docs directory, use
Turkish heading anchors, and make the search index Turkish-aware.

site/ is not a package (a top-level "site" would shadow Python's own module), so this file
puts its own directory on sys.path to import the generator.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import tempfile
from pathlib import Path

import mkdocs.plugins

HERE = Path(__file__).resolve().parent
for path in (str(HERE), str(HERE.parent)):
    if path not in sys.path:
        sys.path.insert(0, path)

from sitegen import generate  # noqa: E402
from sitegen.search_index import augment  # noqa: E402
from sitegen.slug import slugify  # noqa: E402

log = logging.getLogger("mkdocs.hooks.kume")
_tmp_dirs: list[str] = []
_keywords: dict[str, list[str]] = {}


def on_config(config, **kwargs):
    _cleanup()
    docs = tempfile.mkdtemp(prefix="kume-site-docs-")
    _tmp_dirs.append(docs)
    site = generate(
        docs,
        telegram_url=config.extra.get("telegram_bot_url") or "https://t.me/KumeAsistaniBot",
        base_url=config.site_url or "",
    )
    _keywords.clear()
    _keywords.update(site.search_keywords)
    config.docs_dir = docs
    config.nav = site.mkdocs_nav()
    toc = config.mdx_configs.setdefault("toc", {})
    toc["slugify"] = slugify
    log.info("Site sayfaları content/ klasöründen üretildi: %d sayfa", len(site.pages))
    return config


@mkdocs.plugins.event_priority(-100)  # after Material's search plugin wrote the index
def on_post_build(config, **kwargs):
    path = Path(config.site_dir) / "search" / "search_index.json"
    if path.is_file():
        index = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(
            json.dumps(augment(index, _keywords), ensure_ascii=False, separators=(",", ":")),
            encoding="utf-8",
        )
    _cleanup()


def on_build_error(error, **kwargs):
    _cleanup()


def _cleanup() -> None:
    while _tmp_dirs:
        shutil.rmtree(_tmp_dirs.pop(), ignore_errors=True)
