"""Site generator: content/ → Markdown pages, open data and assets (independent of MkDocs).

Public API: generate(out_dir, ...) → Site; urls.activity_url(activity, base_url) for links
to an activity's section; search_index.augment(index) for the Turkish search fix.
"""

from sitegen.build import generate
from sitegen.urls import activity_url

__all__ = ["activity_url", "generate"]
