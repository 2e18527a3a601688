import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# site/ holds MkDocs hooks and the page generator; it is not an installed package
# (a top-level "site" package would shadow Python's own site module).
sys.path.insert(0, str(ROOT / "site"))


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site built once per test run with `mkdocs build --strict` (content and browser
    tests read the same build)."""
    out = tmp_path_factory.mktemp("site")
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(out)],
        cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True, text=True, timeout=120,
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
