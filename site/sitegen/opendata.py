"""The activity catalogue as open data (JSON and CSV) for reuse by others.

The JSON carries the licence line and the date the files were made; the CSV is what Turkish
Excel opens in columns: `;` as separator (Excel takes the list separator of the Turkish
locale, where `,` is the decimal mark), UTF-8 with a byte-order mark so that ç, ğ, ı, ö, ş, ü
survive, CRLF line ends.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from eligibility.models import Content
from sitegen import urls

CSV_FIELDS = (
    "id",
    "category",
    "category_title",
    "title",
    "explanation",
    "example",
    "url",
    "source",
    "source_quote",
)


CSV_DELIMITER = ";"
BOM = "\ufeff"


def licence(content: Content) -> dict[str, str] | None:
    notice = content.notices.open_data
    if notice is None:
        return None
    return {
        "name": notice.licence,
        "url": notice.licence_url,
        "text": " ".join(notice.text.split()),
    }


def catalogue_records(
    content: Content, base_url: str = "", on: dt.date | None = None
) -> dict[str, Any]:
    sources = content.sources
    categories = {c.number: c for c in content.catalogue.categories}
    return {
        "title": f"{content.programme.name} faaliyet kataloğu",
        "generated": (on or dt.date.today()).isoformat(),
        "licence": licence(content),
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


def catalogue_json(content: Content, base_url: str = "", on: dt.date | None = None) -> str:
    records = catalogue_records(content, base_url, on)
    return json.dumps(records, ensure_ascii=False, indent=2) + "\n"


def catalogue_csv(content: Content, base_url: str = "", on: dt.date | None = None) -> str:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.DictWriter(
        out,
        fieldnames=CSV_FIELDS,
        extrasaction="ignore",
        lineterminator="\r\n",
        delimiter=CSV_DELIMITER,
    )
    writer.writeheader()
    for record in catalogue_records(content, base_url, on)["activities"]:
        # Leading =,+,-,@ would be run as a formula by spreadsheet programs.
        writer.writerow({k: _neutral(v) for k, v in record.items()})
    return out.getvalue()


def _neutral(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def readme(content: Content, on: dt.date | None = None) -> str:
    """veri/BENIOKU.txt: what the files are, when they were made, their licence, the fields."""
    records = catalogue_records(content, "", on)
    lic = records["licence"]
    lines = [
        records["title"],
        "",
        f"Üretildiği tarih: {records['generated']}",
        f"Lisans: {lic['name']} ({lic['url']})" if lic else "Lisans: belirtilmedi",
        lic["text"] if lic else "",
        "",
        "katalog.json: kategoriler, faaliyetler ve kaynaklar (UTF-8).",
        "katalog.csv: faaliyetler; alanlar noktalı virgülle (;) ayrılmış, UTF-8 (BOM ile),",
        "satır sonu CRLF: Türkçe Excel sütunlara ayırarak açar.",
        "",
        "Alanlar: " + ", ".join(CSV_FIELDS),
        "Resmî alanlar: " + ", ".join(records["official_fields"]),
        "Açıklama alanları (resmî metin değildir): " + ", ".join(records["editorial_fields"]),
        "",
        "Kaynaklar:",
        *(f"- {s['title']} ({s['publisher']}, {s['date']})" for s in records["sources"]),
    ]
    return "\r\n".join(lines) + "\r\n"
