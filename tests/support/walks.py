"""Scripted walks through the bot's firm questionnaire, shared by the fault tests and the bot
benchmark, derived from content/questionnaire.yaml (a reworded question or a new one does
not break them). Works with tests.support.harness.FakeUser (a bot in this process) and with
any object offering the same send/press/expect API."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tests.support.fake_bot_api import BotMessage
from tests.support.harness import sent

LEAD_NUMBER_RE = re.compile(r"Başvuru numaranız: #(\d+)")

# What a firm answers where the walk does not say otherwise: an option's *value* for
# questions with options (its label is pressed), text otherwise; None skips an optional one.
FIRM_DEFAULTS: dict[str, str | None] = {
    "firm": "{firm}",
    "province": "{province}",
    "sector": "mobilya",
    "size_band": "10-49",
    "role": "firma",
    "needs": "{needs}",
    "contact_name": "Ayşe Deneme",
    "phone": "0532 123 45 67",
    "email": None,
}


def _firm_answers() -> tuple[tuple[str, str, str], ...]:
    """(answer, how, what the bot's next message shows), from content/questionnaire.yaml and
    content/labels.yaml: "press" a button with that label, or "send" it as text. Waiting for
    the specific reply keeps a walk in step even when one answer produces several messages."""
    from eligibility import questionnaire as q
    from eligibility.labels import get_labels

    labels = get_labels()
    questions = [
        question
        for question in q.get_questionnaire().paths["firma"].questions
        if not question.when or question.when == {"consent": True}  # the consenting path
    ]
    words = q.get_questionnaire().messages
    steps: list[tuple[str, str]] = [(labels.menu["firma"], "press")]
    for question in questions:
        if question.answer_kind.records_consent or question.answer_kind.records_notice:
            # the KVKK notice ("Okudum"), then consent ("Onaylıyorum"): their first button
            steps.append((q.choices(question)[0].label, "press"))
        elif question.options:
            value = FIRM_DEFAULTS[question.id]
            option = next(o for o in question.options if o.value == value)
            steps.append((option.label, "press"))
        elif FIRM_DEFAULTS[question.id] is None:
            steps.append((words.skip_words[0], "send"))
        else:
            steps.append((str(FIRM_DEFAULTS[question.id]), "send"))
    steps.append((labels.buttons.confirm_summary, "press"))
    # what each answer brings: the next question's text, then the summary prompt, then the
    # confirmation with the lead number
    expected = [re.escape(" ".join(question.text.split())[:40]) for question in questions]
    expected += [re.escape(words.summary_prompt[:40]), LEAD_NUMBER_RE.pattern]
    return tuple((answer, how, shows) for (answer, how), shows in zip(steps, expected, strict=True))


FIRM_ANSWERS = _firm_answers()


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
    confirm: bool = True,
    start: str = "/start",
) -> WalkResult:
    """The whole firm path with consent, from the menu to the confirmation (`confirm=False`:
    to the summary, unconfirmed). `on_answer(i)` is awaited before each answer (benchmarks
    time the reply from there); `start` may carry a deep-link source ("/start fuar")."""
    await open_menu(user, start, timeout=timeout)
    values = {"firm": firm, "province": province, "needs": needs}
    answers = FIRM_ANSWERS if confirm else FIRM_ANSWERS[:-1]
    for i, (template, how, expected) in enumerate(answers):
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
    return WalkResult(None, None)
