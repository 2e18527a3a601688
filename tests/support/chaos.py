"""The pieces of the chaos test (tests/test_chaos.py): a scripted firm user who answers
whatever the bot shows (a killed bot may ask a question again, show the summary again or
answer late), and how the harness counts what staff were sent.

A `ChaosUser` never gives up and never writes unasked: after each message or press it waits
(on the fake server's events, never on the clock) for the bot's next message and acts on the
newest one as a person reading the chat would - answers the question it recognises from
content/questionnaire.yaml, checks the summary against its own answers before confirming it
(a wrong one is restarted, never confirmed), continues a paused walk or starts one from the
menu, goes back to the menu from an answer outside the walk. A message with nothing to act
on (the results before the number) is read and the next one waited for.

Only when nothing comes does it write again ("/menu"), and counts why: `lost` when the bot
sent nothing at all within `patience` seconds after its message (a silent drop: the test
asserts there is none), `stuck` when the bot answered but left it nothing to do, and
nothing more came within STUCK_PATIENCE.
"""

from __future__ import annotations

import dataclasses
import itertools
import re

from eligibility import questionnaire as q
from eligibility.content import get_content
from eligibility.kvkk import kvkk_texts
from eligibility.labels import get_labels
from eligibility.text import fold
from tests.support.fake_bot_api import BotMessage, Event, FakeBotApi
from tests.support.harness import FakeUser
from tests.support.walks import LEAD_NUMBER_RE

PROGRESS_RE = re.compile(r"\[\d+/\d+\]")
ANNOUNCED_RE = re.compile(r"#(\d+)\b")
CENTRE_PROVINCES = ("Çorum", "Gaziantep", "Kahramanmaraş", "Samsun", "Trabzon")
DUPLICATE_PAUSE = 3.0  # seconds a user waits before answering the same message once more
STUCK_PATIENCE = 20.0  # seconds a user waits for more after an answer leaving nothing to do


@dataclasses.dataclass
class Profile:
    """What user `n` answers; every text is unique to the user, so that crossed answers show."""

    n: int
    consents: bool

    @property
    def answers(self) -> dict[str, str | None]:
        n = self.n
        return {
            "firm": f"Kaos {n} Makina Ltd.",
            "province": CENTRE_PROVINCES[n % len(CENTRE_PROVINCES)],
            "sector": "mobilya",  # a sure NACE division (31): no suggestion to confirm
            "size_band": "10-49",
            "role": "firma",
            "needs": f"ortak test laboratuvarı kurmak istiyoruz {n}",
            "notice": "okudum",
            "consent": "evet" if self.consents else "hayır",
            "contact_name": f"Ayşe {_letters(n)}",  # a person's name has no digits
            "phone": f"0532 {100 + n:03d} {n % 100:02d} {n % 100:02d}",
            "email": None,
        }

    def expected_summary(self) -> list[tuple[str, str]]:
        """The summary the engine itself makes of these answers."""
        words = q.get_questionnaire().messages
        session = q.start("firma")
        step = q.current_step(session)
        while step.kind != "summary":
            assert step.question is not None
            value = self.answers[step.question.id]
            step = q.answer(session, words.skip_words[0] if value is None else value)
            assert step.kind != "reask", (step.question, step.message)
        return step.summary


def _letters(n: int) -> str:
    """A name of letters only, different for every n: "Ba", "Bb", …"""
    word, n = "", n + 26
    while n:
        n, digit = divmod(n, 26)
        word = chr(ord("a") + digit) + word
    return word.capitalize()


def _same(message: BotMessage, seen: tuple[str, list[str]]) -> bool:
    return (message.text, message.button_texts) == seen


def _firm_questions() -> list[tuple[str, q.Question]]:
    questions = q.get_questionnaire().paths["firma"].questions
    return [(fold(" ".join(x.text.split())[:40]), x) for x in questions]


class ChaosUser:
    def __init__(self, user: FakeUser, profile: Profile, patience: float = 90.0) -> None:
        self.user = user
        self.profile = profile
        self.patience = patience
        self.server: FakeBotApi = user.server
        self.cursor = 0  # event seq of the latest bot message acted upon
        self.number: int | None = None
        self.refused = False
        self.sent = 0  # messages and presses
        self.lost = 0  # actions the bot never answered within `patience`
        self.stuck = 0  # answers that left nothing to do, and nothing followed
        self.stuck_on: list[str] = []  # the messages that left nothing to do
        self._last_seen = ""
        self.restarts = 0  # summaries that were wrong and restarted
        self.log: list[tuple[int, str]] = []  # (cursor, action): for CHAOS_DEBUG
        self.summary = [f"• {label}: {value}" for label, value in profile.expected_summary()]
        self._questions = _firm_questions()
        self._answered = False  # a bot message came after the latest action
        self._acted_on: tuple[str, list[str]] | None = None  # the message answered last
        labels = get_labels()
        self._resume = labels.menu["devam"]
        self._firma = labels.menu["firma"]
        self._home = labels.buttons.home
        self._confirm = labels.buttons.confirm_summary
        self._restart = labels.buttons.restart
        self._prompt = fold(q.get_questionnaire().messages.summary_prompt[:40])
        self._refusal = fold(kvkk_texts(get_content()).refusal_text[:40])

    @property
    def done(self) -> bool:
        return self.number is not None or self.refused

    # -- acting ------------------------------------------------------------------------

    def _events(self) -> list[Event]:
        return [
            e
            for e in self.server.events.get(self.user.chat_id, [])
            if e.kind == "send" and e.seq > self.cursor
        ]

    async def _next(self, patience: float | None = None) -> BotMessage | None:
        """The newest bot message after the cursor, waiting for one; None after `patience`."""
        try:
            await self.server.wait_until(lambda: self._events(), patience or self.patience)
        except TimeoutError:
            return None
        latest = self._events()[-1]
        self.cursor = latest.seq
        self._answered = True
        self._last_seen = latest.text
        return latest.message

    def _acting(self, what: str, message: BotMessage | None) -> None:
        """Whatever the bot sent before this action is not an answer to it: only what comes
        after is looked at (one action per answer, as a person reading the chat would)."""
        self.sent += 1
        self._answered = False
        self._acted_on = None if message is None else (message.text, message.button_texts)
        events = self.server.events.get(self.user.chat_id)
        if events:
            self.cursor = max(self.cursor, events[-1].seq)
        self.log.append((self.cursor, what))

    async def _send(self, text: str, message: BotMessage | None = None) -> None:
        self._acting(text, message)
        await self.user.send(text)

    async def _press(self, label: str, message: BotMessage) -> None:
        self._acting(f"[{label}]", message)
        await self.user.press(label, message=message)

    async def run(self) -> None:
        await self._send("/start")
        while not self.done:
            # Waiting for an answer to an action: up to `patience` (then it is lost); for
            # more after an answer that left nothing to do: less (then the user is stuck).
            message = await self._next(STUCK_PATIENCE if self._answered else None)
            if message is None:  # nothing (more) came: write again, as a person would
                if self._answered:
                    self.stuck += 1
                    self.stuck_on.append(self._last_seen[:80])
                else:
                    self.lost += 1
                await self._send("/menu")
                continue
            if self._acted_on is not None and _same(message, self._acted_on):
                # The very message just answered, again (a re-sent reply, a replayed update):
                # a person waits a moment for the answer to what they wrote before answering
                # it once more. (Only which message is acted on depends on this pause; under
                # load the copy is answered, and the bot must cope with that too.)
                message = await self._next(DUPLICATE_PAUSE) or message
            await self._react(message)

    async def _react(self, message: BotMessage) -> None:
        text = message.text
        found = LEAD_NUMBER_RE.search(text)
        if found:
            self.number = int(found.group(1))
            return
        folded = fold(text)
        if self._refusal in folded:
            self.refused = True
            return
        buttons = message.button_texts
        if self._prompt in folded and self._confirm in buttons:
            shown = [line for line in text.splitlines() if line.startswith("• ")]
            if shown == self.summary:
                await self._press(self._confirm, message)
            else:  # a wrong summary is never confirmed
                self.restarts += 1
                await self._press(self._restart, message)
            return
        if PROGRESS_RE.search(text):
            question = next((x for key, x in self._questions if key in folded), None)
            if question is not None:
                await self._answer(question, message)
                return
        for label in (self._resume, self._firma, self._home):
            if label in buttons:  # the menu, or an answer outside the walk
                await self._press(label, message)
                return
        # Nothing to act on (the results before the number, a note before a question): the
        # next message is waited for.

    async def _answer(self, question: q.Question, message: BotMessage) -> None:
        value = self.profile.answers[question.id]
        kind = question.answer_kind
        if kind.records_notice:  # the KVKK information notice: "Okudum"
            await self._press(q.choices(question)[0].label, message)
        elif kind.records_consent:
            choices = q.choices(question)
            await self._press(choices[0 if self.profile.consents else 1].label, message)
        elif question.options:
            option = next(o for o in question.options if o.value == value)
            await self._press(option.label, message)
        elif value is None:
            await self._send(q.get_questionnaire().messages.skip_words[0], message)
        else:
            await self._send(value, message)


def announcements(server: FakeBotApi, staff_chats: list[int]) -> dict[int, int]:
    """Lead number → how many times it was announced in the staff chats."""
    counts: dict[int, int] = {}
    for chat_id in staff_chats:
        for msg in server.messages.get(chat_id, []):
            found = ANNOUNCED_RE.search(msg.text)
            if found:
                counts[int(found.group(1))] = counts.get(int(found.group(1)), 0) + 1
    return counts


def duplicate_replies(server: FakeBotApi, chat_id: int) -> tuple[int, int]:
    """Bot messages sent twice in a row to this chat: all of them (a replayed update, a user
    who answered a question shown twice, a re-sent reply), and those that were a re-send
    after Telegram's answer was lost."""
    sends = [e for e in server.events.get(chat_id, []) if e.kind == "send"]
    pairs = [(a, b) for a, b in itertools.pairwise(sends) if a.text == b.text]
    return len(pairs), sum(1 for a, _ in pairs if a.answer_lost)
