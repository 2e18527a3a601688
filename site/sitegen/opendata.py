"""The activity catalogue as open data (JSON and CSV) for reuse by others."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from eligibility.models import Content
from sitegen import urls

CSV_FIELDS = ("id", "category", "category_title", "title", "explanation", "example", "url",
              "source", "source_quote")


def catalogue_records(content: Content, base_url: str = "") -> dict[str, Any]:
    sources = content.sources
    categories = {c.number: c for c in content.catalogue.categories}
    return {
        "title": "Kümelenme Destek Programı faaliyet kataloğu",
        # Which fields are official text and which are ours: re-users must keep them apart.
        "official_fields": ["title", "category_title", "source_quote"],
        "editorial_fields": ["explanation", "example", "summary", "keywords"],
        "editorial_note": content.notices.labels.plain,
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "date": s.date.isoformat(),
                "date_precision": s.date_precision,
                "date_latest": s.date_latest.isoformat() if s.date_latest else None,
                "date_note": s.date_note,
            }
            for s in sources.values()
        ],
        "categories": [
            {
                "number": c.number,
                "slug": c.slug,
                "title": c.title,
                "short_title": c.short_title,
                "summary": c.summary,
                "url": urls.category_url(c, base_url),
                "source": c.source.source,
                "source_quote": c.source.quote,
            }
            for c in content.catalogue.categories
        ],
        "activities": [
            {
                "id": a.id,
                "category": a.category,
                "category_title": categories[a.category].title,
                "title": a.title,
                "explanation": a.explanation,
                "example": a.example,
                "keywords": a.keywords,
                "url": urls.activity_url(a, base_url, content),
                "source": a.source.source,
                "source_quote": a.source.quote,
            }
            for a in content.catalogue.activities
        ],
    }


def catalogue_json(content: Content, base_url: str = "") -> str:
    return json.dumps(catalogue_records(content, base_url), ensure_ascii=False, indent=2) + "\n"


def catalogue_csv(content: Content, base_url: str = "") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, extrasaction="ignore",
                            lineterminator="\r\n")
    writer.writeheader()
    for record in catalogue_records(content, base_url)["activities"]:
        # Leading =,+,-,@ would be run as a formula by spreadsheet programs.
        writer.writerow({k: _neutral(v) for k, v in record.items()})
    return out.getvalue()


def _neutral(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
