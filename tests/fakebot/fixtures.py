"""Optional pytest fixtures; import them into a test module to use them:

    from tests.fakebot.fixtures import bot_harness  # noqa: F401 (a pytest fixture)

    async def test_x(bot_harness):  # noqa: F811

`bot_harness` is the running bot (real build_application, fake server, data in tmp_path)
with default settings; for other settings use `running_bot(tmp_path, env=...)` directly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.fakebot.harness import BotHarness, running_bot
from tests.fakebot.server import FakeBotApi


@pytest.fixture
async def fake_api() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as api:
        yield api


@pytest.fixture
async def bot_harness(tmp_path) -> AsyncIterator[BotHarness]:
    async with running_bot(tmp_path) as harness:
        yield harness
