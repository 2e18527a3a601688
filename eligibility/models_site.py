"""Schema of content/site_tools.yaml: the words of the site's on-page tools and the words they
share with the generated pages.

A text may use only the {placeholders} its front end fills (PLACEHOLDERS per model): a
misspelt one would reach the page as "{nn}", so it fails when content/ is loaded, naming the
field.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, model_validator

from eligibility.templates import placeholders


class _Words(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    PLACEHOLDERS: ClassVar[dict[str, frozenset[str]]] = {}

    @model_validator(mode="after")
    def _known_placeholders(self) -> _Words:
        for name in type(self).model_fields:
            value = getattr(self, name)
            if not isinstance(value, str):
                continue
            unknown = placeholders(value) - self.PLACEHOLDERS.get(name, frozenset())
            if unknown:
                raise ValueError(f"{name}: bilinmeyen yer tutucu {sorted(unknown)}")
        return self


def _allow(**fields: str) -> dict[str, frozenset[str]]:
    """PLACEHOLDERS from "field=a b c" pairs."""
    return {field: frozenset(names.split()) for field, names in fields.items()}


class Common(_Words):
    PLACEHOLDERS = _allow(source_where="official source year")
    source_summary: str
    quoted_above: str
    source_where: str
    activities_intro: str
    list_and: str
    currency: str
    nojs: str
    print_page: str


class Tool(_Words):
    title: str
    summary: str


class Tools(_Words):
    section: str
    check: Tool
    calc: Tool
    centre: Tool


class CheckResult(_Words):
    PLACEHOLDERS = _allow(preliminary="basis", met_reason="minimum count basis")
    eligible: str
    not_eligible: str
    preliminary: str
    why: str
    met: str
    unmet: str
    met_reason: str
    how_to_complete: str
    advice: str


class Check(_Words):
    PLACEHOLDERS = _allow(
        nojs="link", start_count="count", progress="number total", choose="yes no"
    )
    nojs: str
    privacy: str
    rule_heading: str
    start_count: str
    start: str
    progress: str
    error_title: str
    readiness_hint: str
    choose: str
    next: str
    change: str
    show_result: str
    change_answers: str
    result: CheckResult


class Cap(_Words):
    PLACEHOLDERS = _allow(rule="rate total", explain="rate total basis previous")
    name: str
    rule_title: str
    rule: str
    explain: str


class Caps(_Words):
    items: Cap
    plan: Cap
    remaining: Cap


class CalcProblems(_Words):
    PLACEHOLDERS = _allow(name="n", number="n", negative="n", zero="n", large="n")
    name: str
    number: str
    negative: str
    zero: str
    large: str
    previous_number: str
    previous_negative: str
    previous_large: str


class Columns(_Words):
    item: str
    cost: str
    item_cap: str


class Calc(_Words):
    PLACEHOLDERS = _allow(
        nojs="link", item_name="n", item_cost="n", remove="n", added="n", removed="count",
        previous_hint="total", own_share_line="label own total", built_on="date",
    )  # fmt: skip
    nojs: str
    intro: str
    caps_intro: str
    caps: Caps
    remaining_assumption: str
    items_legend: str
    items_hint: str
    add: str
    item_name: str
    item_cost: str
    remove: str
    added: str
    removed: str
    previous: str
    previous_hint: str
    submit: str
    error_title: str
    problems: CalcProblems
    result_title: str
    plan_total: str
    total_cost: str
    max_grant: str
    own_share: str
    own_share_line: str
    columns: Columns
    items_caption: str
    caps_title: str
    binding: str
    exhausted: str
    split_remaining: str
    split_plan: str
    built_on: str


class Centre(_Words):
    PLACEHOLDERS = _allow(
        intro="count project years provinces", local="province",
        nearest="province centre km", choice="name plate", table_caption="count",
        table_nearest="km",
    )  # fmt: skip
    nojs: str
    intro: str
    map_heading: str
    table_heading: str
    search_label: str
    label: str
    hint: str
    submit: str
    local: str
    nearest: str
    suggest_title: str
    choice: str
    none_title: str
    none_more: str
    table_caption: str
    plate: str
    why: str
    table_local: str
    table_nearest: str


class SiteTools(_Words):
    common: Common
    tools: Tools
    check: Check
    calc: Calc
    centre: Centre
