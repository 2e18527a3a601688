"""content/conversation.yaml: the words of the conversation itself (languages, groups,
forwarded messages, sharing, navigation, progress, the saved lead, matches, the guided grant
estimate), validated like every content file (ContentError names the field)."""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Forwarded(_Strict):
    in_walk: str
    free: str


class Navigation(_Strict):
    at_menu: str
    help_in_walk: str
    keep_previous: str  # {answer}
    previous_note: str  # {answer}
    menu_button: str


class Share(_Strict):
    contact_button: str
    contact_hint: str
    contact_not_yours: str
    contact_unexpected: str
    location_button: str
    location_hint: str
    location_confirm: str  # {province} {question}
    location_outside: str
    location_retype: str
    location_unexpected: str
    confirm_yes: str
    confirm_no: str
    received: str  # {label} {answer}


class LeadTexts(_Strict):
    saved: str  # {id}
    routed: str  # {centre}
    rights: str


class MatchTexts(_Strict):
    title: str
    none: str
    reach_firms: str


class BudgetButtons(_Strict):
    add: str
    edit: str
    done: str
    change_cost: str
    remove: str
    cancel: str
    no_previous: str


class BudgetWords(_Strict):
    add: list[str]
    edit: list[str]
    done: list[str]
    change_cost: list[str]
    remove: list[str]
    cancel: list[str]
    no_previous: list[str]


class BudgetTexts(_Strict):
    title: str
    intro: str
    ask_name: str  # {number}
    ask_name_hint: str
    ask_cost: str  # {name}
    ask_new_cost: str  # {name} {cost}
    added: str
    changed: str
    removed: str
    list_title: str
    list_total: str
    more_prompt: str
    pick_prompt: str
    item_prompt: str
    ask_previous: str
    name_invalid: str
    choose_invalid: str
    too_many: str
    already_first: str
    buttons: BudgetButtons
    words: BudgetWords
    result_title: str
    item_line: str
    total_cost: str
    max_grant: str
    own_share: str
    caps_title: str
    cap_items: str
    cap_plan: str
    cap_remaining: str
    binding: str
    reported: str


class Conversation(_Strict):
    language_notice: str
    private_only: str  # {link}
    forwarded: Forwarded
    navigation: Navigation
    share: Share
    dating_notice: str  # {years} {portal}
    progress: str
    lead: LeadTexts
    matches: MatchTexts
    budget: BudgetTexts


def load_conversation(directory: Path | str | None = None) -> Conversation:
    from eligibility.content import _read_yaml, _validate, content_dir

    root = Path(directory) if directory else content_dir()
    file = root / "conversation.yaml"
    conversation: Conversation = _validate(Conversation, _read_yaml(file), file)
    return conversation


@functools.cache
def _cached(root: str) -> Conversation:
    return load_conversation(root)


def get_conversation() -> Conversation:
    from eligibility.content import content_dir

    return _cached(str(content_dir()))


def dating_line(portal: str) -> str:
    """The bot's and the chat's dating notice; `portal` as the front end shows it."""
    from eligibility.dating import seed_years

    return say(get_conversation().dating_notice, years=seed_years(), portal=portal)


def say(text: str, **values: object) -> str:
    """A conversation text on one line with its placeholders filled."""
    from eligibility.templates import fill

    return " ".join(fill(text, {k: str(v) for k, v in values.items()}).split())
