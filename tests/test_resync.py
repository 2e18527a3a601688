"""After the bot was killed, a typed answer is not stored under a question the user did not
see (bot/telegram/user/resync.py): the restarted bot may be a question or two behind, so it
shows the question it will store the answer under first.

The kill is simulated in process: the conversation state of an earlier moment is put back
and the "running" marker left in place, as a SIGKILL would leave them.
"""

from __future__ import annotations

import shutil
import time

import pytest

from bot.telegram.runtime import runtime
from eligibility.fallback import get_fallback
from eligibility.labels import get_labels
from tests.support.harness import running_bot, sent
from tests.support.walks import open_menu

pytestmark = pytest.mark.timeout(60)

FB = get_fallback()


async def test_a_typed_answer_after_a_crash_waits_for_the_question_it_answers(tmp_path):
    async with running_bot(tmp_path) as h:
        user = h.user(9301)
        await open_menu(user)
        await user.press(get_labels().menu["firma"])
        await user.expect(sent(regex=r"\[1/"))
        await user.send("Deneme Makina Ltd.")
        await user.expect(sent(regex=r"\[2/"))
        # the last interval flush: the user at question 2
        await h.app.update_persistence()
        await runtime(h.app).persistence.write_if_dirty()
        state = tmp_path / "bot_state.json"
        shutil.copy(state, tmp_path / "at-question-2.json")
        await user.send("Samsun")
        await user.expect(sent(regex=r"\[3/"))
        await user.send("mobilya")
        await user.expect(sent(regex=r"\[4/"))

        # killed now: what the interval did not write is gone, the marker stays
        await h.stop()
        shutil.copy(tmp_path / "at-question-2.json", state)
        (tmp_path / "bot_state.json.journal").unlink(missing_ok=True)
        (tmp_path / "bot_state.json.running").touch()
        await h.start()
        assert runtime(h.app).persistence.recovered

        # The user answers what their screen shows (question 4); the bot is at question 2.
        await user.send("35")
        again = await user.expect(sent(FB.after_interruption[:40]))
        assert "[2/" in again.text
        assert "province" not in h.app.user_data[9301]["q"]["answers"]
        # A message written before that question was shown is not an answer to it either,
        # even within the same second (Telegram numbers a chat's messages in order).
        shown = again.message_id
        await user.send("Samsun", message_id=shown - 1, date=int(time.time()) + 1)
        before = await user.expect(sent(FB.typed_before_question[:40]))
        assert "[2/" in before.text
        assert "province" not in h.app.user_data[9301]["q"]["answers"]
        # Written after the question was first shown, before it was shown again: an answer
        # to it all the same (else a user one message behind would be told so forever).
        assert shown + 1 < before.message_id
        await user.send("Samsun", message_id=shown + 1)
        await user.expect(sent(regex=r"\[3/"))
        await user.send("mobilya")
        await user.expect(sent(regex=r"\[4/"))
        answers = h.app.user_data[9301]["q"]["answers"]
        assert answers["province"] == "Samsun" and "sector" in answers

        # After a clean restart nothing is checked: the state is whole.
        await h.restart()
        assert not runtime(h.app).persistence.recovered
        await user.send("35")
        await user.expect(sent(regex=r"\[5/"))
        assert h.app.user_data[9301]["q"]["answers"]["size_band"] == "10-49"
