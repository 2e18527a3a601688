"""The guided grant estimate in the terminal (`kume chat`, "Hibe tahmini"): the same walk as
the bot's /hesapla (eligibility.budget_walk), one line per answer; numbers choose a listed
option where the step lists options, otherwise they are amounts."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from eligibility import budget_walk as bw
from eligibility import questionnaire as q
from eligibility.amounts import format_tl
from eligibility.budget_text import explain_lines
from eligibility.conversation import get_conversation, say
from eligibility.models import Content
from eligibility.text import fold

NUMBERED_STAGES = ("more", "item")  # where "1", "2"… pick an option (not an amount)


class Menu(Exception):
    """The user asked for the menu."""


def run_budget(
    say_line: Callable[[str], None], read: Callable[[], str], content: Content
) -> list[str]:
    """Walks the estimate; returns the result's lines (the caller adds the next step)."""
    t = get_conversation().budget
    say_line(t.title)
    say_line(" ".join(t.intro.split()))
    session = bw.start()
    step = bw.current_step(session)
    while step.result is None:
        show(say_line, step)
        line = read()
        wanted = q.intent(line)
        if wanted in ("menu", "leave"):
            raise Menu if wanted == "menu" else KeyboardInterrupt
        if not line.strip() and step.previous:
            line = step.previous  # Enter keeps the answer "geri" undid
        number = fold(line).strip(" .)")
        if step.stage in NUMBERED_STAGES and number.isdigit():
            index = int(number) - 1
            if 0 <= index < len(step.choices):
                line = step.choices[index].answer
        step = bw.answer(session, line)
    return explain_lines(step.result, content)


def show(say_line: Callable[[str], None], step: bw.BudgetStep) -> None:
    t = get_conversation().budget
    say_line("")
    if step.note:
        say_line(f"✔ {step.note}")
    if step.problem:
        say_line(f"! {step.problem}")
    if step.items and step.stage in ("more", "name", "previous"):
        say_line(f"{t.list_title}:")
        for name, cost in step.items:
            say_line(f"  • {bw.item_line(name, cost)}")
        total = sum((cost for _, cost in step.items), Decimal(0))
        say_line(say(t.list_total, total=format_tl(total)))
    say_line(step.prompt)
    if step.hint and not step.items:
        say_line(f"  {step.hint}")
    if step.previous:
        note = say(get_conversation().navigation.previous_note, answer=step.previous)
        say_line(f"  ({note}; aynı kalsın diye Enter'a basın)")
    for n, choice in enumerate(step.choices, start=1):
        label = choice.label if step.stage == "pick" else f"{n}) {choice.label}"
        say_line(f"  {label}")
