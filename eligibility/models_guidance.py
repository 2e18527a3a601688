"""Schema of the editorial content around the facts: later calls and the secondary sources
that report them, site-wide notices and labels, and the next steps shown at every ending."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SecondarySource(_Strict):
    """A public page that reports something the seeds do not say (a later call, which
    ministry ran what). Never official: shown as "reported", with its own date."""

    id: str
    publisher: str  # who published the page, e.g. "Mevlana Kalkınma Ajansı"
    title: str
    url: str | None = None  # None: the page's address was not recorded
    published: dt.date | None = None  # the page's own date, when it gives one
    retrieved: dt.date  # when the stored copy was read
    reports: list[str] = Field(min_length=1)  # what it says, in our words (Turkish)


class SecondarySources(_Strict):
    sources: list[SecondarySource] = Field(min_length=1)

    def get(self, source_id: str) -> SecondarySource:
        for src in self.sources:
            if src.id == source_id:
                return src
        raise KeyError(source_id)


CallStatus = Literal["pending_confirmation", "confirmed"]


class Call(_Strict):
    """A call for applications (çağrı). Its values live in parameters.yaml (`call: <id>`);
    they are in force only when `status: confirmed`, i.e. a programme officer confirmed the
    call from the ministry's own text."""

    id: str
    name: str  # Turkish, e.g. "Kümelenme Destek Programı 4. çağrı (2023)"
    opens: dt.date
    closes: dt.date | None = None
    status: CallStatus
    sources: list[str] = Field(min_length=1)  # ids in secondary_sources.yaml
    # What the sources report beyond the values entered in parameters.yaml (Turkish).
    also_reported: list[str] = Field(default_factory=list)

    @property
    def confirmed(self) -> bool:
        return self.status == "confirmed"


class Calls(_Strict):
    calls: list[Call] = Field(default_factory=list)

    def get(self, call_id: str) -> Call:
        for call in self.calls:
            if call.id == call_id:
                return call
        raise KeyError(call_id)


class Link(_Strict):
    name: str  # shown as the link text
    url: str


class DemoNotice(_Strict):
    title: str
    text: str
    unset: str  # shown in place of a field the operator has not filled in


class FigureBasis(_Strict):
    """How a figure's dating line reads, by the precision of its source's date.
    Placeholders: {date} {month} {year} {year_from} {year_to} {basis}."""

    day: str
    month: str
    year: str
    range: str
    reported: str  # a value of an unconfirmed call: {call} {sources}


class Labels(_Strict):
    """Words the front ends put next to content, so that official and editorial text
    never look alike."""

    official: str  # before a verbatim seed sentence
    plain: str  # before our own explanation
    example: str  # before our own example
    answer: str  # before a FAQ answer (ours)
    secondary: str  # before a secondary source
    reported: str  # next to a value of an unconfirmed call
    basis: str  # column heading of a figure's dating line
    next_step: str  # heading of the closing section of a page
    prepare: str
    contact: str
    programme_text: str


class CentreReach(_Strict):
    """How the front ends say whom to contact for a centre. Placeholders: {centre}
    (e.g. "Samsun Kümelenme Bilgi Merkezi"), {host} (from the seed), {contact} (the lines
    the operator gave)."""

    known: str
    unknown: str
    inactive: str
    status_unknown: str
    status_active: str
    fields: dict[str, str]  # operator.yaml centre field -> label ("phone" -> "Telefon")


class OpenDataNotice(_Strict):
    """The licence line of the open-data files (veri/katalog.json, .csv) and its page."""

    licence: str  # e.g. "CC BY 4.0"
    licence_url: str
    text: str  # what the licence covers, and that official fields are quotations


class Notices(_Strict):
    """Site-wide wording: the dating notice, the demo notice, labels, dating lines."""

    ministry_portal: Link
    dating_notice: str  # {years} {portal_name} {portal_url}
    demo: DemoNotice
    figure_basis: FigureBasis
    call_status: dict[CallStatus, str]
    labels: Labels
    centre_reach: CentreReach
    open_data: OpenDataNotice | None = None


class NextStep(_Strict):
    """The closing step of a result or a rule. Placeholders: {portal_name}, {portal_url};
    `centre` also {reach} (eligibility.operator.centre_reach)."""

    title: str
    text: str
    prepare: list[str] = Field(default_factory=list)
    contact: str  # whom to contact, in general
    centre: str | None = None  # added when the user's centre is known


NEXT_STEP_KEYS = ("eligible", "not_eligible", "firm", "firm_without_consent", "money", "centres")


class NextSteps(_Strict):
    steps: dict[str, NextStep]

    @model_validator(mode="after")
    def _required(self) -> NextSteps:
        missing = [k for k in NEXT_STEP_KEYS if k not in self.steps]
        if missing:
            raise ValueError(f"eksik adımlar: {', '.join(missing)}")
        return self
