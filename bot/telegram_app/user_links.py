"""Links from bot answers to the site: activity anchors, category pages, the KVKK page.

The site engineer owns the URL scheme in site/sitegen/urls.py. We reuse it when it can be
imported (site/ is not a package, so it is put on sys.path first) and otherwise compute the
same scheme (`destek-kapsami/kategori-<number>-<slug>.html#<activity id>`, mkdocs with
use_directory_urls: false) so that the bot never breaks when site/ cannot be imported.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any

_SITE_DIR = Path(__file__).resolve().parents[2] / "site"


@functools.cache
def _sitegen_urls() -> Any | None:
    if not (_SITE_DIR / "sitegen" / "urls.py").is_file():
        return None
    if str(_SITE_DIR) not in sys.path:
        sys.path.insert(0, str(_SITE_DIR))
    try:
        from sitegen import urls  # type: ignore[import-not-found]
    except Exception:  # a half-written site module must not break the bot
        return None
    return urls


def _base(base_url: str) -> str:
    return base_url if base_url.endswith("/") else base_url + "/"


def _category(number: int) -> Any | None:
    from eligibility.content import get_content

    for cat in get_content().catalogue.categories:
        if cat.number == number:
            return cat
    return None


def category_url(number: int, base_url: str) -> str:
    urls = _sitegen_urls()
    cat = _category(number)
    if urls is not None and cat is not None and hasattr(urls, "category_url"):
        try:
            return str(urls.category_url(cat, base_url))
        except Exception:
            pass
    slug = cat.slug if cat is not None else str(number)
    return f"{_base(base_url)}destek-kapsami/kategori-{number}-{slug}.html"


def activity_url(activity: Any, base_url: str) -> str:
    """URL of an activity's anchor on its category page."""
    urls = _sitegen_urls()
    if urls is not None and hasattr(urls, "activity_url"):
        try:
            return str(urls.activity_url(activity, base_url))
        except Exception:
            pass
    return f"{category_url(activity.category, base_url)}#{activity.id}"


def kvkk_url(base_url: str) -> str:
    """The full KVKK notice: the site page generated from content/pages/<kvkk.page>."""
    from eligibility.content import get_content

    page = get_content().kvkk.page
    urls = _sitegen_urls()
    if urls is not None and hasattr(urls, "page_url"):
        try:
            return str(urls.page_url(page, base_url))
        except Exception:
            pass
    return f"{_base(base_url)}{page.removesuffix('.md')}.html"
