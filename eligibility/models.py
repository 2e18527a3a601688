"""Schema of content/: every YAML file is validated against these models on load.

The models are the contract between content/ (reviewed by programme officers) and
every consumer (rules, budget, matcher, questionnaire, bot, site). Unknown keys are
rejected so that a typo in a YAML key fails loudly instead of being ignored.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from eligibility.models_figures import Citation, Parameter, ParameterValue, Source, Strict
from eligibility.models_guidance import Calls, NextSteps, Notices, SecondarySources
from eligibility.models_operator import CentreContact, Controller, Operator, Organisation
from eligibility.models_site import SiteTools

# Re-exported: front ends import every content model from here.
__all__ = [
    "Calls",
    "CentreContact",
    "Citation",
    "Controller",
    "NextSteps",
    "Notices",
    "Operator",
    "Organisation",
    "Parameter",
    "ParameterValue",
    "SecondarySources",
    "SiteTools",
    "Source",
    "Strict",
]


class CitedText(Strict):
    """Our plain-language wording of a fact (`plain`, not official) and the official sentence
    it rests on (`source.quote`, verbatim)."""

    plain: str
    source: Citation

    @property
    def text(self) -> str:  # the field's former name, kept for front ends
        return self.plain


class Category(Strict):
    number: int = Field(ge=1, le=4)
    slug: str  # used in site URLs, e.g. "koordinasyon"
    title: str  # verbatim heading from the seed, without "Kategori N:"
    short_title: str  # plain short name for buttons
    letter: str  # a) b) c) d) of the "Destek Kapsamı" paragraph
    plain_summary: str  # our plain-Turkish explanation, not official
    source: Citation

    @property
    def summary(self) -> str:  # the field's former name, kept for front ends
        return self.plain_summary


class Activity(Strict):
    id: str = Field(pattern=r"^k[1-4]-\d{2}$")  # stable id, also the site anchor
    category: int = Field(ge=1, le=4)
    title: str  # verbatim from the seed: the only official text of an activity
    plain_explanation: str  # our short plain-Turkish explanation, not official
    plain_example: str  # an illustration we wrote, not official
    keywords: list[str] = Field(min_length=3)  # what a firm would actually type
    source: Citation

    @model_validator(mode="after")
    def _id_matches_category(self) -> Activity:
        if not self.id.startswith(f"k{self.category}-"):
            raise ValueError(f"id {self.id} kategori {self.category} ile uyuşmuyor")
        return self

    @property
    def explanation(self) -> str:  # the field's former name, kept for front ends
        return self.plain_explanation

    @property
    def example(self) -> str:  # the field's former name, kept for front ends
        return self.plain_example


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
    # catalogue activities that help close the gap
    activities: list[str] = Field(default_factory=list)
    parameter: str | None = None  # name of the figure in parameters.yaml
    source: Citation


class ReadinessExpectation(Strict):
    """What the programme text says a cluster must do ("gerekmektedir"). The screening does
    not count it among the membership rules: a gap becomes advice, not ineligibility."""

    id: str
    title: str
    question: str  # yes/no question put to a coordinator
    advice: str
    activities: list[str] = Field(min_length=1)
    source: Citation


class Rules(Strict):
    membership: list[MembershipRule]
    readiness: list[ReadinessExpectation]
    # How the screening treats the readiness expectations (Turkish, shown with them).
    readiness_note: str = ""


class Goal(Strict):
    text: str
    source: Citation


class MemberType(Strict):
    id: str
    name: str  # verbatim from the seed list
    plain: str  # plain explanation
    source: Citation
    short_name: str | None = None  # our shorter label for pictures, when `name` is long


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
    plain: str  # our wording, in the past tense: the targets were set for 2011–2013
    parameter: str | None = None  # figure in parameters.yaml, if any
    source: Citation

    @property
    def text(self) -> str:  # the field's former name, kept for front ends
        return self.plain


class TimelineEvent(Strict):
    """A dated step of the project, for the site's timeline; the date is the seed's own
    (written in the quoted sentence), at the precision the seed gives it."""

    id: str
    start: dt.date  # a month or a year: its first day
    end: dt.date | None = None  # for a period (the predecessor project)
    precision: Literal["day", "month", "year"]
    label: str  # our short wording, in the past tense
    planned: bool = False  # the seed gives it as planned, not as done
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
    timeline: list[TimelineEvent] = Field(default_factory=list)


class Province(Strict):
    plate: int = Field(ge=1, le=81)
    name: str
    lat: float
    lon: float
    aliases: list[str] = Field(default_factory=list)  # "K.Maraş", "Antep", "Urfa"...


class Provinces(Strict):
    source_note: str
    provinces: list[Province] = Field(min_length=81, max_length=81)


class FaqEntry(Strict):
    id: str  # stable: bot buttons and evaluation sets refer to it
    topic: str  # a key of Faq.topics: which programme the question is about
    question: str
    plain_answer: str  # our answer in plain Turkish, not official
    keywords: list[str] = Field(default_factory=list)
    sources: list[Citation] = Field(min_length=1)  # official sentences, verbatim
    # ids in secondary_sources.yaml the answer also relies on (visibly secondary)
    secondary: list[str] = Field(default_factory=list)

    @property
    def answer(self) -> str:  # the field's former name, kept for front ends
        return self.plain_answer


class Faq(Strict):
    topics: dict[str, str]  # topic id -> heading, in display order
    entries: list[FaqEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _known_topics(self) -> Faq:
        for entry in self.entries:
            if entry.topic not in self.topics:
                raise ValueError(f"{entry.id}: bilinmeyen topic '{entry.topic}'")
        return self


class Kvkk(Strict):
    """Personal-data texts under Law 6698. The version is stored with each consent.

    The information notice (aydınlatma, Art. 10) and the explicit-consent text (açık rıza)
    are separate texts, acknowledged separately. Placeholders such as {controller} and
    {application_address} are filled from operator.yaml at render time (eligibility.kvkk).
    """

    version: str
    notice: str  # aydınlatma metni, short form for the bot
    notice_ack_button: str  # acknowledges having read the notice; it is not consent
    notice_ack_text: str  # the reply to that button
    consent_question: str  # açık rıza metni: what the user consents to
    consent_button: str
    refuse_button: str
    refusal_text: str  # the reply when consent is refused: nothing was saved
    short_notice: str  # former single notice; {retention_days} only (bot/terminal use it)
    page: str  # content/pages file with the full notice and the consent text


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
    operator: Operator
    notices: Notices
    next_steps: NextSteps
    calls: Calls
    secondary_sources: SecondarySources
    site_tools: SiteTools  # the words of the site's tools
