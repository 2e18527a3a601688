"""Schema of content/: every YAML file is validated against these models on load.

The models are the contract between content/ (reviewed by programme officers) and
every consumer (rules, budget, matcher, questionnaire, bot, site). Unknown keys are
rejected so that a typo in a YAML key fails loudly instead of being ignored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    """A seed text copied verbatim into content/sources/."""

    id: str
    file: str  # path relative to content/sources/
    title: str
    publisher: str
    date: dt.date  # date of the text as far as it can be told; see date_note
    date_note: str


class Citation(Strict):
    """Where a fact comes from: a source id and the sentence, quoted verbatim."""

    source: str
    quote: str


class ParameterValue(Strict):
    valid_from: dt.date
    value: Decimal
    source: Citation


class Parameter(Strict):
    """A dated figure, in the manner of OpenFisca parameter files.

    A programme officer changes a figure by appending a new dated value.
    """

    description: str
    # Short name where the figure acts as a cap (e.g. in a grant estimate); {name} placeholders
    # are other parameters' values on the same date: "{support_years} yıllık program tavanı".
    label: str | None = None
    unit: Literal["TRY", "EUR", "year", "month", "ratio", "count", "percent"]
    values: list[ParameterValue] = Field(min_length=1)

    @field_validator("values")
    @classmethod
    def _sorted_unique(cls, values: list[ParameterValue]) -> list[ParameterValue]:
        dates = [v.valid_from for v in values]
        if len(set(dates)) != len(dates):
            raise ValueError("aynı valid_from tarihi birden fazla kez kullanılmış")
        return sorted(values, key=lambda v: v.valid_from)

    def at(self, on: dt.date | None = None) -> Decimal:
        """Value in force on the given date (today when omitted)."""
        on = on or dt.date.today()
        current = [v for v in self.values if v.valid_from <= on]
        if not current:
            raise LookupError(f"{on} tarihinde geçerli değer yok ({self.description})")
        return current[-1].value

    def entry_at(self, on: dt.date | None = None) -> ParameterValue:
        on = on or dt.date.today()
        current = [v for v in self.values if v.valid_from <= on]
        if not current:
            raise LookupError(f"{on} tarihinde geçerli değer yok ({self.description})")
        return current[-1]


class CitedText(Strict):
    text: str
    source: Citation


class Category(Strict):
    number: int = Field(ge=1, le=4)
    slug: str  # used in site URLs, e.g. "koordinasyon"
    title: str  # verbatim heading from the seed, without "Kategori N:"
    short_title: str  # plain short name for buttons
    letter: str  # a) b) c) d) of the "Destek Kapsamı" paragraph
    summary: str  # plain-Turkish explanation
    source: Citation


class Activity(Strict):
    id: str = Field(pattern=r"^k[1-4]-\d{2}$")  # stable id, also the site anchor
    category: int = Field(ge=1, le=4)
    title: str  # verbatim from the seed
    explanation: str  # short plain Turkish
    example: str
    keywords: list[str] = Field(min_length=3)  # what a firm would actually type
    source: Citation

    @model_validator(mode="after")
    def _id_matches_category(self) -> Activity:
        if not self.id.startswith(f"k{self.category}-"):
            raise ValueError(f"id {self.id} kategori {self.category} ile uyuşmuyor")
        return self


class Catalogue(Strict):
    categories: list[Category] = Field(min_length=4, max_length=4)
    activities: list[Activity]


class MembershipRule(Strict):
    """One membership condition; its logic is in eligibility/rules.py, its figure and
    wording here."""

    id: str
    title: str
    reason: str  # Turkish, shown when the rule is not met; may use {placeholders}
    next_step: str  # Turkish: what to do to meet it
    activities: list[str] = []  # catalogue activities that help close the gap
    parameter: str | None = None  # name of the figure in parameters.yaml
    source: Citation


class ReadinessExpectation(Strict):
    """Expected of a cluster, but not a condition of eligibility: gaps become advice."""

    id: str
    title: str
    question: str  # yes/no question put to a coordinator
    advice: str
    activities: list[str] = Field(min_length=1)
    source: Citation


class Rules(Strict):
    membership: list[MembershipRule]
    readiness: list[ReadinessExpectation]


class Goal(Strict):
    text: str
    source: Citation


class MemberType(Strict):
    id: str
    name: str  # verbatim from the seed list
    plain: str  # plain explanation
    source: Citation


class Programme(Strict):
    name: str
    ministry: str
    goals: list[CitedText] = Field(min_length=4, max_length=4)
    aim: CitedText
    indicators: list[CitedText] = Field(min_length=6, max_length=6)
    target_audience: CitedText
    cluster_association: CitedText  # definition
    member_types: list[MemberType] = Field(min_length=10, max_length=10)
    readiness_intro: CitedText
    stakeholder_expectations: CitedText
    support_scope: CitedText
    duration: CitedText
    money: CitedText


class Centre(Strict):
    id: str
    province: str  # must be a province name in provinces.yaml
    host: str  # verbatim from the seed
    host_kind: str
    source: Citation


class ProjectTarget(Strict):
    id: str
    text: str
    parameter: str | None = None  # figure in parameters.yaml, if any
    source: Citation


class Project(Strict):
    name: str
    long_name: str
    start: CitedText
    budget: CitedText
    beneficiary: CitedText
    opening: CitedText
    duration: CitedText
    predecessor: CitedText
    aims: list[CitedText] = Field(min_length=1)
    region: CitedText
    centre_role: CitedText
    services: CitedText
    targets: list[ProjectTarget] = Field(min_length=5)
    centres: list[Centre] = Field(min_length=1)  # a new centre is a YAML entry


class Province(Strict):
    plate: int = Field(ge=1, le=81)
    name: str
    lat: float
    lon: float
    aliases: list[str] = []  # "K.Maraş", "Antep", "Urfa"...


class Provinces(Strict):
    source_note: str
    provinces: list[Province] = Field(min_length=81, max_length=81)


class FaqEntry(Strict):
    id: str
    question: str
    answer: str
    keywords: list[str] = []
    sources: list[Citation] = Field(min_length=1)


class Faq(Strict):
    entries: list[FaqEntry] = Field(min_length=1)


class Kvkk(Strict):
    """Personal-data notice under Law 6698. The version is stored with each consent."""

    version: str
    controller: str
    short_notice: str  # shown in the bot before consent; {retention_days} is filled in
    consent_button: str
    refuse_button: str
    page: str  # content/pages file with the full notice


class Content(Strict):
    sources: dict[str, Source]
    parameters: dict[str, Parameter]
    programme: Programme
    catalogue: Catalogue
    rules: Rules
    project: Project
    provinces: Provinces
    faq: Faq
    kvkk: Kvkk
