"""What the site's on-page tools read: the membership rules, the check's questions, the budget
figures and the routing of every province, exported from content/ at build time as plain JSON
values.

The tools (site/assets/javascripts/kume-*.js) hold no figure and no word of their own: every
threshold, rate, amount and text comes from here, for the date of the build — their words
from content/site_tools.yaml and, where the bot owns the same word, from its owner. Values of
a later call that is not confirmed are never exported (`Parameter.at` ignores them). Routing
is not re-computed in the browser: the table below is `eligibility.routing.centre_for` for
each of the 81 provinces; what people type is read as `validators.find_province` reads it
(its keys, noise words, thresholds and messages are exported with the table).
"""

from __future__ import annotations

import datetime as dt
import decimal
import re
from decimal import Decimal
from typing import Any

from eligibility.budget import MAX_AMOUNT
from eligibility.dating import figure_basis
from eligibility.guidance import next_step
from eligibility.models import Citation, Content
from eligibility.operator import centre_reach
from eligibility.routing import centre_for
from eligibility.rules import activity_refs, cite
from eligibility.site_urls import activity_url
from eligibility.text import fold_tables

BUDGET_PARAMS = ("item_grant_rate", "plan_grant_rate", "total_grant")
CHECK_PATH = "kume"


def decimal_text(value: Decimal) -> str:
    """A Decimal as plain positional text ("0.75", "25000000"): exact and easy to parse."""
    return format(value.normalize(), "f") if value != 0 else "0"


def quote(citation: Citation, content: Content) -> dict[str, str]:
    """A citation for folding on the page: the verbatim sentence and where it is from."""
    src = content.sources.get(citation.source)
    return {
        "quote": " ".join(citation.quote.split()),
        "source": src.title if src else citation.source,
        "year": str(src.date.year) if src else "",
    }


def rules_data(content: Content, on: dt.date) -> dict[str, Any]:
    """Membership rules with the minimum in force, readiness expectations, closing steps."""
    membership: list[dict[str, Any]] = []
    for rule in content.rules.membership:
        if rule.parameter is None:
            raise LookupError(f"rules.yaml: '{rule.id}' kuralının parametresi yok")
        membership.append(
            {
                "id": rule.id,
                "title": rule.title,
                "parameter": rule.parameter,
                "minimum": decimal_text(content.parameters[rule.parameter].at(on)),
                "basis": figure_basis(rule.parameter, on, content),
                "reason": " ".join(rule.reason.split()),
                "next_step": " ".join(rule.next_step.split()),
                "activities": activity_refs(rule.activities, content),
                "source": cite(rule.source, content),
                "citation": quote(rule.source, content),
            }
        )
    readiness: list[dict[str, Any]] = [
        {
            "id": item.id,
            "title": item.title,
            "question": item.question,
            "advice": " ".join(item.advice.split()),
            "activities": activity_refs(item.activities, content),
        }
        for item in content.rules.readiness
    ]
    steps: dict[str, dict[str, Any]] = {}
    for key in ("eligible", "not_eligible"):
        step = next_step(content, key, portal="{portal}")
        steps[key] = {
            "title": step.title,
            "text": step.text,
            "prepare": step.prepare,
            "contact": step.contact,
        }
    used = {
        a["id"] for part in (membership, readiness) for item in part for a in item["activities"]
    }
    urls = {
        a.id: activity_url(a, "", content) for a in content.catalogue.activities if a.id in used
    }
    return {
        "membership": membership,
        "readiness": readiness,
        "steps": steps,
        "activity_urls": urls,  # relative to the site root
    }


def questions_data() -> dict[str, Any]:
    """The check's questions, as the bot asks them (content/questionnaire.yaml, path kume)."""
    from eligibility.questionnaire import get_questionnaire

    questionnaire: Any = get_questionnaire()
    path = questionnaire.paths[CHECK_PATH]
    return {
        "title": path.title,
        "intro": " ".join(path.intro.split()),
        "questions": [
            {
                "id": q.id,
                "label": q.label,
                "text": " ".join(q.text.split()),
                # The site's check asks readiness as yes/no ("bilmiyorum" is the bot's and
                # the chat's); its script knows the yes/no kind.
                "kind": "yesno" if q.kind == "readiness" else q.kind,
                "help": q.help,
                "when": q.when or {},
            }
            for q in path.questions
        ],
    }


def counts_data() -> dict[str, Any]:
    """How eligibility.validators.parse_count reads a number written in words."""
    from eligibility import validators

    return {
        "words": dict(validators.NUMBER_WORDS),
        "zero_words": sorted(validators.ZERO_WORDS),
        "max": validators.MAX_COUNT,
        "problems": dict(validators.COUNT_PROBLEMS),
    }


def budget_data(content: Content, on: dt.date) -> dict[str, Any]:
    """The three caps' figures in force, their dating lines and official sentences."""
    params = content.parameters
    figures = {}
    for name in BUDGET_PARAMS:
        entry = params[name].entry_at(on)
        figures[name] = {
            "value": decimal_text(entry.value),
            "description": params[name].description,
            "basis": figure_basis(name, on, content),
            "citation": quote(entry.source, content) if entry.source else None,
        }
    sources = [
        cite(src, content) if (src := params[name].entry_at(on).source) else figures[name]["basis"]
        for name in BUDGET_PARAMS
    ]
    return {
        "figures": figures,
        # Kept in the same order and de-duplicated as eligibility.budget.estimate does.
        "sources": list(dict.fromkeys(sources)),
        # Not programme figures: the engine's sanity bound on an amount, and the decimal
        # precision its proportional split is computed with (the tool mirrors both).
        "max_amount": decimal_text(MAX_AMOUNT),
        "precision": decimal.getcontext().prec,
    }


def routing_data(content: Content) -> dict[str, Any]:
    """Every province's centre as the bot routes it, and each centre's contact or host."""
    centres = []
    for centre in content.project.centres:
        reach = centre_reach(content, centre.id)
        centres.append(
            {
                "id": centre.id,
                "province": centre.province,
                "name": reach.name,
                "host": reach.host,
                "known": reach.known,
                "status": reach.status,
                "lines": [list(line) for line in reach.lines],
                "text": reach.text,
            }
        )
    provinces = []
    for province in content.provinces.provinces:
        routing = centre_for(province.name, content)
        provinces.append(
            {
                "plate": province.plate,
                "name": province.name,
                "lat": province.lat,
                "lon": province.lon,
                "centre": routing.centre.id,
                "local": routing.local,
                "distance_km": round(routing.distance_km),
            }
        )
    return {"centres": centres, "provinces": provinces, "match": province_match(content)}


def province_match(content: Content) -> dict[str, Any]:
    """What validators.find_province compares typed text with: every name and alias as a
    key (in its order, which breaks ties), with the plate of its province."""
    from eligibility import validators
    from eligibility.districts import district_table

    keys = validators.province_keys(content.provinces)
    plates = {province.name: province.plate for province in content.provinces.provinces}
    return {
        "keys": [[key, province.plate] for key, province in keys.items()],
        # district key -> plates of the provinces that have it, in district_table()'s order
        "districts": [
            [key, [plates[name] for name in names if name in plates]]
            for key, names in district_table().items()
        ],
        "noise": list(validators.PROVINCE_NOISE_WORDS),
        "thresholds": dict(validators.PROVINCE_MATCH),
        "problems": dict(validators.PROVINCE_PROBLEMS),
    }


def button_word(label: str) -> str:
    """A bot button's word without its emoji: "◀️ Geri" -> "Geri"."""
    return re.sub(r"^\W+", "", label).strip()


def words_data(content: Content) -> dict[str, Any]:
    """The tools' words (content/site_tools.yaml) and, under "shared", the words they take
    from their owners: the questionnaire's answers and summary title, the bot's buttons, the
    notices' labels."""
    from eligibility.labels import get_labels
    from eligibility.questionnaire import get_questionnaire

    messages: Any = get_questionnaire().messages
    buttons = get_labels().buttons
    labels = content.notices.labels
    words: dict[str, Any] = content.site_tools.model_dump()
    words["shared"] = {
        "yes": messages.answer_yes,
        "no": messages.answer_no,
        "summary_title": messages.summary_title.rstrip(" :"),
        "back": button_word(buttons.back),
        "restart": button_word(buttons.restart),
        "official": labels.official,
        "next_step": labels.next_step,
        "prepare": labels.prepare,
        "contact": labels.contact,
        "portal": content.notices.ministry_portal.name,
    }
    return words


def tool_data(content: Content, on: dt.date | None = None) -> dict[str, Any]:
    """Everything the tools read, for the build date `on` (today by default)."""
    on = on or dt.date.today()
    return {
        "date": on.isoformat(),
        "check": {**questions_data(), "rules": rules_data(content, on), "counts": counts_data()},
        "budget": budget_data(content, on),
        "routing": routing_data(content),
        "words": words_data(content),
        "text": fold_tables(),
    }
