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
# One generated docs directory per process, refilled on every (re)build: `mkdocs serve`
# watches the directory it saw first. Removed when MkDocs shuts down.
_docs_dir: str | None = None
_keywords: dict[str, list[str]] = {}


def on_config(config, **kwargs):
    global _docs_dir
    if _docs_dir is None:
        _docs_dir = tempfile.mkdtemp(prefix="kume-site-docs-")
    with tempfile.TemporaryDirectory(prefix="kume-site-gen-") as staging:
        site = generate(
            staging,
            telegram_url=config.extra.get("telegram_bot_url") or "https://t.me/KumeAsistaniBot",
            base_url=config.site_url or "",
            portal_url=config.extra.get("ministry_portal_url") or None,
        )
        _sync(Path(staging), Path(_docs_dir))
    _keywords.clear()
    _keywords.update(site.search_keywords)
    config.extra["kume_footer"] = site.footer
    config.docs_dir = _docs_dir
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


def on_shutdown(**kwargs):
    global _docs_dir
    if _docs_dir is not None:
        shutil.rmtree(_docs_dir, ignore_errors=True)
        _docs_dir = None


def _sync(source: Path, target: Path) -> None:
    """Make target hold exactly source's files, touching only those that differ: rewriting
    unchanged files would make `mkdocs serve` rebuild for ever."""
    wanted = {p.relative_to(source) for p in source.rglob("*") if p.is_file()}
    for rel in wanted:
        new, old = source / rel, target / rel
        if not old.is_file() or old.read_bytes() != new.read_bytes():
            old.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(new, old)
    for old in sorted(target.rglob("*"), reverse=True):
        if old.is_file() and old.relative_to(target) not in wanted:
            old.unlink()
        elif old.is_dir() and not any(old.iterdir()):
            old.rmdir()
