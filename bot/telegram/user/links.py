"""Links from bot answers to the site: activity anchors, category pages, the KVKK page.

The URL scheme is eligibility/site_urls.py, the same module the site generator uses, so a
link in the bot always points at the anchor the site publishes.
"""

from __future__ import annotations

from eligibility import site_urls
from eligibility.content import get_content
from eligibility.models import Activity


def category_url(number: int, base_url: str) -> str:
    category = next(c for c in get_content().catalogue.categories if c.number == number)
    return site_urls.category_url(category, base_url)


def activity_url(activity: Activity, base_url: str) -> str:
    """URL of an activity's anchor on its category page."""
    return site_urls.activity_url(activity, base_url)


def kvkk_url(base_url: str) -> str:
    """The full KVKK notice: the site page generated from content/pages/<kvkk.page>."""
    return site_urls.page_url(get_content().kvkk.page, base_url)
