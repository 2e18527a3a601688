"""Fixtures shared by the whole suite: the content, a lead factory, a store, the fake Bot
API, a running bot, and the site built once per run."""

import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# site/ holds MkDocs hooks and the page generator; it is not an installed package
# (a top-level "site" package would shadow Python's own site module).
sys.path.insert(0, str(ROOT / "site"))
# The embedded store unless a test asks for PostgreSQL itself (tests/support/pgcluster.py):
# an operator's KUME_DATABASE_URL must never reach the suite.
os.environ.pop("KUME_DATABASE_URL", None)

from bot.leads.backend import open_store  # noqa: E402
from bot.leads.store import LeadStore  # noqa: E402
from eligibility.content import get_content  # noqa: E402
from eligibility.models import Content  # noqa: E402
from tests.support.fake_bot_api import FakeBotApi  # noqa: E402
from tests.support.harness import BotHarness, running_bot  # noqa: E402
from tests.support.leads import make_lead  # noqa: E402


@pytest.fixture(scope="session")
def content() -> Content:
    """content/ of the checkout, loaded and validated once."""
    return get_content()


@pytest.fixture
def lead_factory() -> Callable[..., dict]:
    """`lead_factory(n, **changes)`: an obviously fake, complete new lead."""
    return make_lead


@pytest.fixture
def store(tmp_path) -> LeadStore:
    """An empty store in a temporary data directory (created, as a running bot does)."""
    from bot.atomicfile import private_dir

    return open_store(private_dir(tmp_path / "data"))


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        yield api


@pytest.fixture
async def bot_harness(tmp_path) -> AsyncIterator[BotHarness]:
    """The real bot (build_application) polling the fake Bot API, data in tmp_path, default
    settings; for other settings use `running_bot(tmp_path, env=...)` directly."""
    async with running_bot(tmp_path) as harness:
        yield harness


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site built once per test run with `mkdocs build --strict` (content and browser
    tests read the same build)."""
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return out


# Browser fixtures shared by the site's browser tests (helpers in tests/sitebrowser.py): one
# static file server and one chromium per test module. Not per session: Playwright's sync
# API keeps an event loop running in this thread, which pytest-asyncio's tests cannot share.
@pytest.fixture(scope="module")
def base_url(site):
    from sitebrowser import serve

    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from sitebrowser import chromium

    with chromium() as b:
        yield b


@pytest.fixture
def page(browser):
    """A fresh 1280×900 page that records the URL of every request it makes."""
    from sitebrowser import recording_page

    with recording_page(browser) as p:
        yield p
