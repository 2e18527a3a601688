"""Bot API calls retried until they go through, within a bound: `RetryingRateLimiter`.

python-telegram-bot's AIORateLimiter keeps Telegram's limits and waits out a 429 a fixed
number of times; a longer 429 burst, a 5xx answer or a time-out still lost the reply. This
subclass (PTB's public extension point for wrapping every Bot API request but getUpdates,
which PTB's updater retries itself) wraps its `process_request` and retries:

* a 429 (RetryAfter) that outlasted AIORateLimiter's own retries: after the wait Telegram
  asks for, as long as the waits of this request stay within `max_rate_limit_wait`;
* a 5xx answer, a time-out or a network error (PTB's NetworkError, BadRequest excepted):
  up to `attempts` tries in all, with exponential back-off and jitter.

Everything else (400, 403, an invalid token) is final and raised at once.

Duplicates. A 429 is never a duplicate: Telegram did not take the request. A time-out or a
5xx may come after Telegram did deliver the message (the answer was lost on the way back),
and a re-sent sendMessage then delivers it again: a rare, bounded duplicate reply (at most
one extra copy per lost answer, at most `attempts` copies in all). It is accepted rather
than risking a lost reply, because nothing the bot re-sends can duplicate a lead: the lead
is saved before any reply, once per walk (its submission key), and a staff announcement is
re-sent only for a lead the store does not record as announced. What still fails after the
bound is raised; for a user's reply, bot/telegram/outbox.py keeps it for their next message.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import random
import warnings
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import constants
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter

log = logging.getLogger("kume.bot.retry")

JSONDict = dict[str, Any]
Callback = Callable[..., Coroutine[Any, Any, bool | JSONDict | list[JSONDict]]]


def retry_after_seconds(error: RetryAfter) -> float:
    """The wait a 429 asks for, in seconds (PTB is moving the type from int to timedelta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = error.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


class RetryingRateLimiter(AIORateLimiter):
    def __init__(
        self,
        *,
        overall_max_rate: float = constants.FloodLimit.MESSAGES_PER_SECOND,
        group_max_rate: float = constants.FloodLimit.MESSAGES_PER_MINUTE_PER_GROUP,
        max_retries: int = 3,
        attempts: int = 5,
        base_delay: float = 0.5,
        max_delay: float = 8.0,
        max_rate_limit_wait: float = 60.0,
    ) -> None:
        super().__init__(
            overall_max_rate=overall_max_rate,
            group_max_rate=group_max_rate,
            max_retries=max_retries,
        )
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        self.attempts = attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_rate_limit_wait = max_rate_limit_wait
        self._random = random.Random()

    def backoff(self, failures: int) -> float:
        """The wait before try `failures + 1`: doubling from base_delay, capped, jittered
        (half to full) so that many requests failing together do not retry together."""
        delay = min(self.max_delay, self.base_delay * 2 ** (failures - 1))
        return float(delay * self._random.uniform(0.5, 1.0))

    async def process_request(
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | JSONDict | list[JSONDict]:
        failures = 0
        waited = 0.0
        while True:
            try:
                return await super().process_request(
                    callback, args, kwargs, endpoint, data, rate_limit_args
                )
            except RetryAfter as exc:  # a burst longer than AIORateLimiter's own retries
                delay = retry_after_seconds(exc) + 0.1
                if waited + delay > self.max_rate_limit_wait:
                    raise
                waited += delay
                log.info("%s: hız sınırı sürüyor; %.1f sn sonra yeniden", endpoint, delay)
            except BadRequest:
                raise
            except NetworkError as exc:  # 5xx, time-outs, connection errors
                failures += 1
                if failures >= self.attempts:
                    raise
                delay = self.backoff(failures)
                log.info(
                    "%s: %s; %d. deneme %.1f sn sonra",
                    endpoint,
                    type(exc).__name__,
                    failures + 1,
                    delay,
                )
            await asyncio.sleep(delay)
