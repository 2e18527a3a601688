"""What the footer of every page says: who runs the service (the operator file) or, while it
is not set up, the demo notice; and the sources with their dates. Rendered by
site/overrides/partials/copyright.html from MkDocs' `extra.kume_footer`."""

from __future__ import annotations

from typing import Any

from eligibility.dating import source_date
from eligibility.models import Content
from sitegen import pages_info, urls


def footer_data(content: Content) -> dict[str, Any]:
    operator = content.operator.operator
    sources = [
        {"title": s.title, "publisher": s.publisher, "date": source_date(s)}
        for s in content.sources.values()
    ]
    return {
        "demo": content.operator.is_demo,
        "demo_title": content.notices.demo.title,
        "demo_text": " ".join(content.notices.demo.text.split()),
        "operator": operator.name,
        "operator_web": operator.web,
        "sources": sources,
        "links": [
            (pages_info.SOURCES_TITLE, urls.page_url(pages_info.SOURCES)),
            (pages_info.PROSE["kvkk.md"], urls.page_url("kvkk.md")),
            ("Açık veri", urls.OPEN_DATA_CSV),
        ],
    }
