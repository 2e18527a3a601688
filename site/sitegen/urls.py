"""Where things live on the site. The scheme is shared with the bot, so it lives in
eligibility/site_urls.py; this module keeps the site's own import path."""

from eligibility.site_urls import (
    CALLS_ANCHOR,
    CENTRES_ANCHOR,
    NEXT_STEP_ANCHOR,
    OPEN_DATA_CSV,
    OPEN_DATA_JSON,
    PAGE_SUFFIX,
    REPORTED_ANCHOR,
    SCOPE_DIR,
    SECONDARY_ANCHOR,
    STABLE_ANCHORS,
    activity_url,
    category_page,
    category_url,
    page_url,
)

__all__ = [
    "CALLS_ANCHOR",
    "CENTRES_ANCHOR",
    "NEXT_STEP_ANCHOR",
    "OPEN_DATA_CSV",
    "OPEN_DATA_JSON",
    "PAGE_SUFFIX",
    "REPORTED_ANCHOR",
    "SCOPE_DIR",
    "SECONDARY_ANCHOR",
    "STABLE_ANCHORS",
    "activity_url",
    "category_page",
    "category_url",
    "page_url",
]
