"""Scripted walks through the bot's firm questionnaire, shared by the fault tests and the bot
benchmark. Works with tests.fakebot.harness.FakeUser (a bot in this process) and with any
object offering the same send/press/expect API."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.fakebot.harness import sent
from tests.fakebot.server import BotMessage

LEAD_NUMBER_RE = re.compile(r"Başvuru numaranız: #(\d+)")

# (answer, how, what the bot's next message shows): "press" a button with that label, or
# "send" it as text. Waiting for the specific reply keeps a walk in step even when one answer
# produces several messages.
FIRM_ANSWERS = (
    ("Firmamın ihtiyaçları", "press", r"\[1/\d+\]"),
    ("{firm}", "send", r"\[2/\d+\]"),
    ("{province}", "send", r"\[3/\d+\]"),
    ("mobilya", "send", r"\[4/\d+\]"),
    ("10–49 çalışan", "press", r"\[5/\d+\]"),
    ("Firma / işletme", "press", r"\[6/\d+\]"),
    ("{needs}", "send", "Kişisel verilerin korunması"),
    ("Onaylıyorum", "press", "adı ve soyadı"),
    ("Ayşe Deneme", "send", "Telefon"),
    ("0532 123 45 67", "send", "E-posta"),
    ("geç", "send", "Yanıtlarınız"),
    ("Evet, doğru", "press", LEAD_NUMBER_RE.pattern),
)


@dataclass
class WalkResult:
    lead_id: int | None
    confirmation: BotMessage | None


async def open_menu(user, start: str = "/start", timeout: float = 10.0) -> None:
    await user.send(start)
    await user.expect(sent("Küme Asistanı"), timeout=timeout, what="the menu")


async def firm_walk(
    user,
    *,
    firm: str = "Deneme Makina Ltd.",
    province: str = "Samsun",
    needs: str = "ortak test laboratuvarı kurmak istiyoruz",
    timeout: float = 10.0,
    on_answer=None,
) -> WalkResult:
    """The whole firm path with consent, from the menu to the confirmation. `on_answer(i)`
    is awaited before each answer (benchmarks time the reply from there)."""
    await open_menu(user, timeout=timeout)
    values = {"firm": firm, "province": province, "needs": needs}
    for i, (template, how, expected) in enumerate(FIRM_ANSWERS):
        answer = template.format(**values)
        if on_answer is not None:
            await on_answer(i)
        if how == "press":
            await user.press(answer)
        else:
            await user.send(answer)
        if i == len(FIRM_ANSWERS) - 1:
            confirmation = await user.expect(
                sent(regex=LEAD_NUMBER_RE.pattern), timeout=timeout, what="the confirmation"
            )
            match = LEAD_NUMBER_RE.search(confirmation.text)
            return WalkResult(int(match.group(1)), confirmation)
        await user.expect(sent(regex=expected), timeout=timeout, what=f"{expected!r}")
    raise AssertionError("unreachable")
