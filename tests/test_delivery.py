"""No reply lost (issue 9): 5xx answers, time-outs and 429 bursts longer than the rate
limiter's own retries are retried with back-off within a bound (bot/telegram/retry.py);
what still fails is kept and sent, in order, with the user's next message
(bot/telegram/outbox.py); the lead never depends on it. A re-sent reply whose first answer
was lost may arrive twice - bounded, and never a second lead.

Scripted users drive the real Application through the fake Bot API server and its faults.
"""

from __future__ import annotations

import pytest

from bot.telegram.runtime import runtime
from tests.support.harness import running_bot, sent
from tests.support.walks import LEAD_NUMBER_RE, firm_walk, open_menu

pytestmark = pytest.mark.timeout(90)

STAFF_CHAT = -3101
ENV = {"KUME_STAFF_CHATS": f"samsun:{STAFF_CHAT}", "KUME_HTTP_TIMEOUT": "1"}


def store_of(h):
    return runtime(h.app).leads.store


async def test_a_long_429_burst_5xx_and_time_outs_are_waited_out(tmp_path):
    from bot.telegram.app import RATE_LIMIT_RETRIES

    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(9201)
        # Longer than AIORateLimiter's own retries (which lost this reply before).
        h.server.fail_next("sendMessage", RATE_LIMIT_RETRIES + 2, status=429, retry_after=1)
        await open_menu(user, timeout=30)
        h.server.fail_next("sendMessage", 3, status=502)
        await user.send("/menu")
        await user.expect(sent("Ne yapmak"), timeout=30)
        h.server.hang_next("sendMessage", 2, seconds=2.5)  # the bot times out after 1 s
        await user.send("/program")
        await user.expect(sent(), timeout=30)
        statuses = [c.status for c in h.server.calls_of("sendMessage")]
        assert statuses.count(429) == RATE_LIMIT_RETRIES + 2 and statuses.count(502) == 3
        assert len(h.server.messages[user.chat_id]) == 3  # each reply once


@pytest.mark.parametrize("fault", ["5xx", "timeout"])
async def test_what_still_fails_is_sent_with_the_next_message_and_the_lead_is_saved(
    tmp_path, fault
):
    """Telegram refuses (or never answers) every message for longer than the retries last,
    right when the user confirms the summary: the lead is saved and announced regardless;
    the results and the number arrive, in order and before anything else, with the user's
    next message."""
    async with running_bot(tmp_path, env={**ENV, "KUME_ANNOUNCE_RETRY_SECONDS": "1"}) as h:
        user = h.user(9202)
        await firm_walk(user, timeout=30, confirm=False)
        if fault == "5xx":
            h.server.fail_next("sendMessage", 1000, status=502, chat_id=user.chat_id)
        else:  # the bot gives up on each call after 1 s
            h.server.hang_next("sendMessage", 1000, seconds=1.5, chat_id=user.chat_id)
        await user.press("Evet, doğru")
        await h.server.wait_until(
            lambda: store_of(h).find_by_user("tg:9202"), timeout=30, recheck=0.2
        )
        await h.wait_idle(timeout=30)
        (lead,) = store_of(h).find_by_user("tg:9202")
        kept = h.app.user_data[9202]["outbox"]
        assert f"<b>#{lead['id']}</b>" in kept[-1]["text"]  # the confirmation, kept (HTML)
        assert kept[-1]["keyboard"]["type"] == "InlineKeyboardMarkup"
        # one reply tried (5 attempts); the others queued behind it without a try
        assert 1000 - h.server.pending_faults() == 5
        await h.wait_for_message(STAFF_CHAT, f"#{lead['id']}", timeout=30)  # not held up
        h.server.clear_faults()

        await user.send("/menu")
        answer = await user.expect(sent("Ne yapmak"), timeout=30)  # the answer to /menu
        texts = [e.text for e in h.server.events[user.chat_id] if e.seq > user._mark]
        numbers = [t for t in texts if LEAD_NUMBER_RE.search(t)]
        assert len(numbers) == 1 and f"#{lead['id']}" in numbers[0]
        assert texts.index(numbers[0]) < texts.index(answer.text)  # kept replies first
        assert len(texts) == len(kept) + 1
        assert "outbox" not in h.app.user_data[9202]
        # the confirmation's buttons came back with it
        confirmation = next(m for m in h.server.messages[user.chat_id] if m.text == numbers[0])
        assert confirmation.inline_buttons
        assert len(store_of(h).list()) == 1


async def test_a_lost_answer_may_duplicate_a_reply_but_never_the_lead(tmp_path):
    """Telegram delivers the first result message but its answer is lost (time-out): the
    retry delivers it again. The bound: one extra copy per lost answer; the confirmation,
    the lead and the staff announcement stay single."""
    async with running_bot(tmp_path, env=ENV) as h:
        user = h.user(9203)
        await firm_walk(user, timeout=30, confirm=False)
        h.server.hang_next("sendMessage", 1, seconds=1.5, deliver=True, chat_id=user.chat_id)
        await user.press("Evet, doğru")
        confirmation = await user.expect(sent(regex=LEAD_NUMBER_RE.pattern), timeout=30)
        await h.server.wait_until(lambda: len(user.replies()) >= 4, timeout=30)
        await h.wait_idle(timeout=30)
        texts = [m.text for m in user.replies()]
        duplicated = {t for t in texts if texts.count(t) > 1}
        assert len(duplicated) == 1 and len(texts) == 4  # one message twice, nothing more
        assert sum(bool(LEAD_NUMBER_RE.search(t)) for t in texts) == 1
        (lead,) = store_of(h).list()
        assert f"#{lead['id']}" in confirmation.text
        await h.wait_for_message(STAFF_CHAT, f"#{lead['id']}", timeout=30)
        await h.wait_idle(timeout=30)
        announced = [m for m in h.server.messages[STAFF_CHAT] if f"#{lead['id']}" in m.text]
        assert len(announced) == 1


async def test_a_429_burst_longer_than_the_bound_keeps_the_reply_for_the_next_message(tmp_path):
    """429s are waited out only as long as `max_rate_limit_wait` allows: a longer burst
    gives up on the reply (after a bounded number of tries) and keeps it; the user's next
    message brings it, before its own answer."""
    from bot.telegram.retry import RetryingRateLimiter

    limiter = RetryingRateLimiter(
        overall_max_rate=0, group_max_rate=0, max_retries=1, max_rate_limit_wait=2.5
    )
    async with running_bot(tmp_path, env=ENV, rate_limiter=limiter) as h:
        user = h.user(9204)
        h.server.fail_next("sendMessage", 1000, status=429, retry_after=1, chat_id=user.chat_id)
        await user.send("/menu")
        await h.server.wait_until(
            lambda: "outbox" in h.app.user_data.get(9204, {}), 30, recheck=0.2
        )
        await h.wait_idle(timeout=30)
        # AIORateLimiter's own try and retry, then two more rounds within the 2.5 s bound
        assert 1000 - h.server.pending_faults() == 6
        assert not h.server.messages.get(user.chat_id)
        h.server.clear_faults()
        await user.send("/program")
        await h.server.wait_until(lambda: len(h.server.messages[user.chat_id]) >= 2, 30)
        first, second = (m.text for m in h.server.messages[user.chat_id][:2])
        assert "Ne yapmak" in first and "Ne yapmak" not in second  # the kept reply first
        assert "outbox" not in h.app.user_data[9204]


async def test_the_outbox_keeps_a_bounded_number_of_parts_and_drops_what_telegram_refuses():
    """Unit level (bot/telegram/outbox.py): beyond MAX_KEPT parts the oldest go; a kept part
    Telegram refuses with a 400 is dropped, not retried for ever; a 5xx stops the flush."""
    from telegram.error import BadRequest, NetworkError

    from bot.telegram import outbox

    class FlakyBot:
        def __init__(self) -> None:
            self.fail: BaseException | None = NetworkError("Bad Gateway")
            self.sent: list[str] = []
            self.refuse: set[str] = set()

        async def send_message(self, *, chat_id, text, **kwargs):
            if self.fail is not None:
                raise self.fail
            if text in self.refuse:
                raise BadRequest("Bad Request: can't parse entities")
            self.sent.append(text)

    bot = FlakyBot()
    user_data: dict = {}
    for n in range(outbox.MAX_KEPT + 5):
        assert await outbox.send_or_keep(bot, 1, f"yanıt {n}", None, user_data) is None
    assert outbox.waiting(user_data) == outbox.MAX_KEPT
    assert user_data[outbox.KEY][0]["text"] == "yanıt 5"  # the oldest five dropped
    assert not await outbox.flush(bot, 1, user_data)  # still failing: kept
    assert outbox.waiting(user_data) == outbox.MAX_KEPT
    bot.fail = None
    bot.refuse = {"yanıt 6"}
    assert await outbox.flush(bot, 1, user_data)
    assert bot.sent == [f"yanıt {n}" for n in range(5, outbox.MAX_KEPT + 5) if n != 6]
    assert outbox.KEY not in user_data
