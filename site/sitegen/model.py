"""What the generator produces: pages (Markdown text) and the navigation that lists them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Page:
    path: str  # relative to the docs directory, e.g. "destek-kapsami/index.md"
    nav_title: str
    markdown: str


@dataclass
class Section:
    """A nav entry with children (MkDocs "section")."""

    title: str
    pages: list[Page]


@dataclass
class Site:
    out_dir: Path
    nav_items: list[Page | Section] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # non-page files written (open data, assets)
    # Extra search terms by page URL and anchor ("destek-kapsami/….html#k1-01").
    search_keywords: dict[str, list[str]] = field(default_factory=dict)
    footer: dict = field(default_factory=dict)  # sitegen/footer.py, for the theme's footer

    @property
    def pages(self) -> list[Page]:
        out: list[Page] = []
        for item in self.nav_items:
            out.extend(item.pages if isinstance(item, Section) else [item])
        return out

    def mkdocs_nav(self) -> list[dict]:
        """The same navigation in MkDocs' `nav` format."""
        nav: list[dict] = []
        for item in self.nav_items:
            if isinstance(item, Section):
                nav.append({item.title: [{p.nav_title: p.path} for p in item.pages]})
            else:
                nav.append({item.nav_title: item.path})
        return nav
