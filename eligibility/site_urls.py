"""Where things live on the public site: one URL scheme for the site generator (site/sitegen)
and the bot's links (activity anchors, category pages, the KVKK notice)."""

from __future__ import annotations

from eligibility.models import Activity, Category, Content

# mkdocs.yml sets use_directory_urls: false, so page.md is served as page.html; this keeps
# links working from any plain static file server.
PAGE_SUFFIX = ".html"
SCOPE_DIR = "destek-kapsami"
OPEN_DATA_JSON = "veri/katalog.json"
OPEN_DATA_CSV = "veri/katalog.csv"
# Pages and anchors front ends link to (stable: the bot may deep-link them).
PROJECT_PAGE = "kobi-kumelenme-projesi.md"
SOURCES_PAGE = "kaynaklar.md"
CENTRES_ANCHOR = "merkezlere-ulasmak"  # whom to contact for each centre, on PROJECT_PAGE
NEXT_STEP_ANCHOR = "sonraki-adim"  # the closing section of a result or rule page
REPORTED_ANCHOR = "bildirilenler"  # later calls, reported and not confirmed (money page)
SECONDARY_ANCHOR = "ikincil-kaynaklar"  # secondary sources, on SOURCES_PAGE
CALLS_ANCHOR = "cagrilar"  # later calls and their status, on SOURCES_PAGE
CONSENT_ANCHOR = "acik-riza-metni"  # the explicit-consent text on the KVKK page
STABLE_ANCHORS = frozenset(
    {
        CENTRES_ANCHOR,
        NEXT_STEP_ANCHOR,
        REPORTED_ANCHOR,
        SECONDARY_ANCHOR,
        CALLS_ANCHOR,
        CONSENT_ANCHOR,
    }
)


def category_page(category: Category) -> str:
    """Source path of a category page inside the docs directory."""
    return f"{SCOPE_DIR}/kategori-{category.number}-{category.slug}.md"


def page_url(source_path: str, base_url: str = "") -> str:
    """Public URL of a generated Markdown page; relative to the site root without base_url."""
    path = source_path.removesuffix(".md") + PAGE_SUFFIX
    return f"{base_url.rstrip('/')}/{path}" if base_url else path


def category_url(category: Category, base_url: str = "") -> str:
    return page_url(category_page(category), base_url)


def activity_url(
    activity: Activity | str, base_url: str = "", content: Content | None = None
) -> str:
    """Link to an activity's section: <base>/destek-kapsami/kategori-1-koordinasyon.html#k1-01.

    `activity` is an Activity or its id; the anchor is always the activity id.
    """
    if content is None:
        from eligibility.content import get_content

        content = get_content()
    if isinstance(activity, str):
        found = [a for a in content.catalogue.activities if a.id == activity]
        if not found:
            raise KeyError(f"bilinmeyen faaliyet: {activity}")
        activity = found[0]
    category = next(c for c in content.catalogue.categories if c.number == activity.category)
    return f"{category_url(category, base_url)}#{activity.id}"
