"""generate(out_dir): writes every page of the site as Markdown, plus open data and assets,
from content/. Plain Python: any Markdown site builder can render the result."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from eligibility.content import content_dir, get_content, load_content
from eligibility.models import Content
from sitegen import (
    opendata,
    pages_core,
    pages_info,
    pages_money,
    pages_scope,
    pages_tools,
    search_terms,
    urls,
)
from sitegen.fmt import once
from sitegen.footer import footer_data
from sitegen.model import Site
from sitegen.notices import page_notices, with_notices

ASSETS = Path(__file__).resolve().parent.parent / "assets"
DEFAULT_TELEGRAM_URL = "https://t.me/KumeAsistaniBot"


def generate(
    out_dir: Path | str,
    *,
    content_root: Path | str | None = None,
    telegram_url: str = DEFAULT_TELEGRAM_URL,
    base_url: str = "",
    on: dt.date | None = None,
    portal_url: str | None = None,
    operator_file: Path | str | None = None,
) -> Site:
    """Write the site's Markdown, open data and assets into `out_dir`.

    `portal_url` replaces the ministry portal's address of notices.yaml (extra setting);
    `operator_file` (or $KUME_OPERATOR_FILE) the repository's empty operator.yaml. Every
    page carries the dating notice, and the demo notice while the operator is not set up.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    root = Path(content_root) if content_root else content_dir()
    fresh = content_root is not None or operator_file is not None
    content: Content = load_content(root, operator_file=operator_file) if fresh else get_content()

    site = Site(out)
    # Each page quotes a seed sentence once (fmt.page_citations); sections do it per page.
    site.nav_items = [
        once(pages_core.home, content, telegram_url),
        once(pages_core.programme, content),
        once(pages_core.participation, content, portal_url),
        pages_tools.section(content, on, portal_url),
        pages_scope.section(content),
        once(pages_money.money, content, on, portal_url),
        once(pages_info.project, content, portal_url),
        once(pages_info.faq, content),
        *pages_info.prose_pages(root / "pages", content),
        once(pages_info.sources, content),
    ]
    site.search_keywords = pages_scope.search_keywords(content)
    for location, words in search_terms.page_terms(content).items():
        site.search_keywords.setdefault(location, []).extend(words)
    site.footer = footer_data(content)
    notices = page_notices(content, portal_url)
    for page in site.pages:
        text = with_notices(page.markdown, notices)
        if page.path == pages_core.BOT:
            text = text.rstrip() + "\n\n" + pages_core.bot_button(telegram_url) + "\n"
        _write(out / page.path, text)

    _write(out / urls.OPEN_DATA_JSON, opendata.catalogue_json(content, base_url or "", on))
    _write(out / urls.OPEN_DATA_CSV, opendata.catalogue_csv(content, base_url or "", on))
    readme = f"{urls.OPEN_DATA_JSON.rsplit('/', 1)[0]}/BENIOKU.txt"
    _write(out / readme, opendata.readme(content, on))
    site.files += [urls.OPEN_DATA_JSON, urls.OPEN_DATA_CSV, readme]
    for src in content.sources.values():
        target = f"{pages_info.SOURCE_TEXT_DIR}/{src.file}"
        (out / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / "sources" / src.file, out / target)
        site.files.append(target)
    if ASSETS.is_dir():
        shutil.copytree(ASSETS, out / "assets", dirs_exist_ok=True)
        site.files += [f"assets/{p.relative_to(ASSETS)}" for p in ASSETS.rglob("*") if p.is_file()]
    return site


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
