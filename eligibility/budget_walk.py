"""The guided grant estimate: item by item (name, then cost), "add another" / "done", edit or
remove an item, previous grants, then the estimate (eligibility.budget) with every cap
explained (eligibility.budget_text). Shared by the bot's /hesapla and `kume chat`.

Pure like the questionnaire engine: a `BudgetSession` holds JSON values only, each call
returns a `BudgetStep` (the question, what just happened, one problem if any, the buttons as
`Choice`s whose answer is what the user could type). "geri" undoes the last step and offers
the answer it undid; "başa" starts over; words are content (conversation.yaml, and the
questionnaire's navigation words).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from eligibility.amounts import (
    MAX_ITEMS,
    AmountError,
    format_tl,
    parse_amount_tr,
    parse_budget_lines,
    split_previous_grants,
)
from eligibility.budget import BudgetResult, estimate
from eligibility.conversation import BudgetTexts, get_conversation, say
from eligibility.kinds.base import Choice
from eligibility.text import fold, folded_set

Stage = Literal["name", "cost", "more", "pick", "item", "previous", "done"]
MAX_TRAIL = 60  # "geri" steps kept


class _State(BaseModel):
    model_config = ConfigDict(extra="forbid")

    stage: Stage = "name"
    items: list[tuple[str, str]] = []  # (name, cost as a decimal string)
    pending: str | None = None  # the name waiting for its cost
    index: int | None = None  # the item being edited
    previous_grants: str | None = None


class BudgetSession(_State):
    # Earlier states and the answer that left each (for "geri" and its keep button).
    trail: list[tuple[dict[str, Any], str]] = []
    undone: str | None = None  # the answer "geri" just undid, offered to keep

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BudgetSession:
        return cls.model_validate(data)

    def costs(self) -> list[tuple[str, Decimal]]:
        return [(name, Decimal(cost)) for name, cost in self.items]


@dataclass
class BudgetStep:
    stage: Stage
    prompt: str = ""
    note: str | None = None  # what the last answer did ("«Eğitim»: 200.000 TL eklendi.")
    problem: str | None = None  # one message for one problem
    hint: str | None = None
    items: list[tuple[str, Decimal]] = field(default_factory=list)
    choices: list[Choice] = field(default_factory=list)
    previous: str | None = None  # the answer "geri" undid, to keep with one button
    result: BudgetResult | None = None


def _texts() -> BudgetTexts:
    return get_conversation().budget


def start() -> BudgetSession:
    return BudgetSession()


def _is(raw: str, words: list[str]) -> bool:
    return fold(raw or "").strip(" .!") in folded_set(tuple(words))


def item_line(name: str, cost: Decimal) -> str:
    return f"{name} — {format_tl(cost)}"


def current_step(session: BudgetSession, **extra: Any) -> BudgetStep:
    """What to show now (also after a restart of the bot)."""
    t = _texts()
    b = t.buttons
    costs = session.costs()
    step = BudgetStep(stage=session.stage, items=costs, previous=session.undone, **extra)
    if session.stage == "name":
        step.prompt = say(t.ask_name, number=len(costs) + 1)
        step.hint = t.ask_name_hint
        if costs:
            step.choices = [Choice(b.done, t.words.done[0])]
    elif session.stage == "cost":
        if session.index is not None:
            name, cost = costs[session.index]
            step.prompt = say(t.ask_new_cost, name=name, cost=format_tl(cost))
        else:
            step.prompt = say(t.ask_cost, name=session.pending or "")
    elif session.stage == "more":
        step.prompt = t.more_prompt
        step.choices = [
            Choice(b.add, t.words.add[0]),
            Choice(b.edit, t.words.edit[0]),
            Choice(b.done, t.words.done[0], "confirm"),
        ]
    elif session.stage == "pick":
        step.prompt = t.pick_prompt
        step.choices = [
            Choice(f"{n}) {item_line(name, cost)}", str(n))
            for n, (name, cost) in enumerate(costs, start=1)
        ] + [Choice(b.cancel, t.words.cancel[0])]
    elif session.stage == "item":
        name, cost = costs[session.index or 0]
        step.prompt = say(t.item_prompt, name=name, cost=format_tl(cost))
        step.choices = [
            Choice(b.change_cost, t.words.change_cost[0]),
            Choice(b.remove, t.words.remove[0], "refuse"),
            Choice(b.cancel, t.words.cancel[0]),
        ]
    elif session.stage == "previous":
        step.prompt = t.ask_previous
        step.choices = [Choice(b.no_previous, t.words.no_previous[0])]
    else:
        step.result = estimate(costs, previous_grants=Decimal(session.previous_grants or 0))
    return step


def _snapshot(session: BudgetSession) -> dict[str, Any]:
    return _State.model_validate(session.model_dump(include=set(_State.model_fields))).model_dump(
        mode="json"
    )


def _restore(session: BudgetSession, state: dict[str, Any]) -> None:
    restored = _State.model_validate(state)
    for name in _State.model_fields:
        setattr(session, name, getattr(restored, name))


def answer(session: BudgetSession, raw: str) -> BudgetStep:
    """Apply one message (a typed text or a button's answer) and say what comes next."""
    from eligibility import questionnaire as q

    wanted = q.intent(raw)
    if wanted == "back":
        return back(session)
    if wanted == "restart":
        _restore(session, _State().model_dump(mode="json"))
        session.trail, session.undone = [], None
        return current_step(session)
    if wanted == "help":
        return current_step(session, note=get_conversation().navigation.help_in_walk)
    if wanted is not None:  # menu, leave: never an answer (the front end acts)
        return current_step(session)
    before = _snapshot(session)
    try:
        note = _apply(session, raw)
    except AmountError as problem:
        _restore(session, before)
        return current_step(session, problem=problem.message)
    if _snapshot(session) != before:
        session.trail = [*session.trail, (before, raw)][-MAX_TRAIL:]
        session.undone = None
    return current_step(session, note=note)


def back(session: BudgetSession) -> BudgetStep:
    """Undo the last step; its answer is offered to keep."""
    if not session.trail:
        return current_step(session, note=_texts().already_first)
    state, answered = session.trail[-1]
    session.trail = session.trail[:-1]
    _restore(session, state)
    session.undone = answered
    return current_step(session)


def _add(session: BudgetSession, name: str, cost: Decimal) -> str:
    t = _texts()
    if len(session.items) >= MAX_ITEMS:
        raise AmountError(say(t.too_many, max=MAX_ITEMS))
    session.items = [*session.items, (name, str(cost))]
    return say(t.added, name=name, cost=format_tl(cost))


def _new_item(session: BudgetSession, raw: str) -> str | None:
    """A name (then its cost is asked), or whole "Kalem: tutar" lines at once."""
    t = _texts()
    text = " ".join((raw or "").split())
    if "\n" in (raw or "") or ":" in text or "=" in text:
        items, previous = split_previous_grants(parse_budget_lines(raw))
        notes = [_add(session, name, cost) for name, cost in items]
        if previous:
            session.previous_grants = str(previous)
        session.stage = "more"
        return " ".join(notes)
    try:  # a bare amount is no name
        parse_amount_tr(text)
    except AmountError:
        pass
    else:
        raise AmountError(t.name_invalid)
    if len(text) < 2 or len(text) > 100 or not any(ch.isalpha() for ch in text):
        raise AmountError(t.name_invalid)
    if len(session.items) >= MAX_ITEMS:
        raise AmountError(say(t.too_many, max=MAX_ITEMS))
    session.pending, session.stage = text, "cost"
    return None


def _apply(session: BudgetSession, raw: str) -> str | None:
    t = _texts()
    w = t.words
    stage = session.stage
    if stage == "name":
        if session.items and _is(raw, w.done):
            session.stage = "previous"
            return None
        return _new_item(session, raw)
    if stage == "cost":
        cost = parse_amount_tr(raw)
        if session.index is not None:
            name = session.items[session.index][0]
            items = list(session.items)
            items[session.index] = (name, str(cost))
            session.items, session.index, session.stage = items, None, "more"
            return say(t.changed, name=name, cost=format_tl(cost))
        name, session.pending, session.stage = session.pending or "", None, "more"
        return _add(session, name, cost)
    if stage == "more":
        if _is(raw, w.add):
            session.stage = "name"
        elif _is(raw, w.edit):
            session.stage = "pick"
        elif _is(raw, w.done):
            session.stage = "previous"
        else:  # a new item typed straight away
            return _new_item(session, raw)
        return None
    if stage == "pick":
        if _is(raw, w.cancel):
            session.stage = "more"
            return None
        number = fold(raw).strip(" .)")
        if number.isdigit() and 1 <= int(number) <= len(session.items):
            session.index, session.stage = int(number) - 1, "item"
            return None
        names = [i for i, (name, _) in enumerate(session.items) if fold(name) == fold(raw)]
        if len(names) == 1:
            session.index, session.stage = names[0], "item"
            return None
        raise AmountError(t.choose_invalid)
    if stage == "item":
        index = session.index or 0
        if _is(raw, w.change_cost):
            session.stage = "cost"
            return None
        if _is(raw, w.remove):
            name = session.items[index][0]
            session.items = [item for i, item in enumerate(session.items) if i != index]
            session.index = None
            session.stage = "more" if session.items else "name"
            return say(t.removed, name=name)
        if _is(raw, w.cancel):
            session.index, session.stage = None, "more"
            return None
        raise AmountError(t.choose_invalid)
    if stage == "previous":
        amount = Decimal(0) if _is(raw, w.no_previous) else parse_amount_tr(raw, allow_zero=True)
        session.previous_grants, session.stage = str(amount), "done"
        return None
    return None  # "done": the result stands until the walk is dropped
