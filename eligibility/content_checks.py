"""Checks that span content files: verbatim citations, ids and references, the operator's
centre keys, calls and their sources, and the placeholders of the KVKK texts.

Also resolves the status of later calls into their parameter values (in force or not), so
that `Parameter.at` never returns a value of an unconfirmed call.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from eligibility.content_errors import ContentError
from eligibility.models import Citation, Content
from eligibility.templates import placeholders

# Names the KVKK texts and prose pages may use; eligibility.kvkk fills them.
KVKK_PLACEHOLDERS = frozenset(
    {
        "controller",
        "controller_address",
        "controller_contact",
        "application_address",
        "operator",
        "operator_contact",
        "retention_days",
        "version",
        "consent_text",
    }
)
# The information notice must name these (KVKK Art. 10 and 13).
KVKK_NOTICE_NEEDS = ("controller", "application_address", "retention_days")
CITED_PARTS = ("parameters", "programme", "catalogue", "rules", "project", "faq")


def squash(text: str) -> str:
    """Whitespace-insensitive form used to find a quote in its source."""
    return re.sub(r"\s+", " ", text).strip()


def walk_citations(obj: Any, where: str) -> Iterator[tuple[str, Citation]]:
    if isinstance(obj, Citation):
        yield where, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from walk_citations(getattr(obj, name), f"{where}.{name}")
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from walk_citations(value, f"{where}.{key}")
    elif isinstance(obj, list | tuple):
        for i, value in enumerate(obj):
            yield from walk_citations(value, f"{where}.{i}")


def cross_check(content: Content, root: Path, operator_file: Path) -> None:
    _check_citations(content, root)
    _check_catalogue(content, root)
    _check_rules(content, root)
    _check_project(content, root)
    _check_operator(content, operator_file)
    _check_calls(content, root)
    _check_kvkk(content, root)
    faq_file = root / "faq.yaml"
    known = {s.id for s in content.secondary_sources.sources}
    for i, entry in enumerate(content.faq.entries):
        for ref in entry.secondary:
            if ref not in known:
                raise ContentError(f"{faq_file}: entries.{i}.secondary: bilinmeyen kaynak '{ref}'")


def _check_citations(content: Content, root: Path) -> None:
    texts: dict[str, str] = {}
    for sid, src in content.sources.items():
        path = root / "sources" / src.file
        try:
            texts[sid] = squash(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ContentError(f"{root / 'sources.yaml'}: {sid}.file: {path} yok") from exc
    for name in CITED_PARTS:
        for where, cit in walk_citations(getattr(content, name), name):
            file = f"{root / (name + '.yaml')}"
            if cit.source not in texts:
                raise ContentError(f"{file}: {where}.source: bilinmeyen kaynak '{cit.source}'")
            if squash(cit.quote) not in texts[cit.source]:
                raise ContentError(
                    f"{file}: {where}.quote: alıntı kaynak metinde birebir geçmiyor: "
                    f"{cit.quote[:60]!r}"
                )


def _check_catalogue(content: Content, root: Path) -> None:
    cat_file = root / "catalogue.yaml"
    numbers = sorted(c.number for c in content.catalogue.categories)
    if numbers != [1, 2, 3, 4]:
        raise ContentError(f"{cat_file}: categories: numaralar 1-4 olmalı, bulunan {numbers}")
    ids = [a.id for a in content.catalogue.activities]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise ContentError(f"{cat_file}: activities: tekrarlanan id {sorted(dupes)}")
    seen_titles: set[tuple[int, str]] = set()
    for i, act in enumerate(content.catalogue.activities):
        key = (act.category, act.title)
        if key in seen_titles:
            raise ContentError(f"{cat_file}: activities.{i}.title: aynı kategoride iki kez")
        seen_titles.add(key)


def _check_rules(content: Content, root: Path) -> None:
    known = {a.id for a in content.catalogue.activities}
    rules_file = root / "rules.yaml"
    for group in ("membership", "readiness"):
        for i, rule in enumerate(getattr(content.rules, group)):
            for act in rule.activities:
                if act not in known:
                    raise ContentError(
                        f"{rules_file}: {group}.{i}.activities: bilinmeyen faaliyet '{act}'"
                    )
            param = getattr(rule, "parameter", None)
            if param and param not in content.parameters:
                raise ContentError(f"{rules_file}: {group}.{i}.parameter: bilinmeyen '{param}'")


def _check_project(content: Content, root: Path) -> None:
    names = {p.name for p in content.provinces.provinces}
    plates = sorted(p.plate for p in content.provinces.provinces)
    if plates != list(range(1, 82)):
        raise ContentError(f"{root / 'provinces.yaml'}: provinces: plakalar 1-81 olmalı")
    for i, centre in enumerate(content.project.centres):
        if centre.province not in names:
            raise ContentError(
                f"{root / 'project.yaml'}: centres.{i}.province: bilinmeyen il '{centre.province}'"
            )
    for i, target in enumerate(content.project.targets):
        if target.parameter and target.parameter not in content.parameters:
            raise ContentError(
                f"{root / 'project.yaml'}: targets.{i}.parameter: bilinmeyen '{target.parameter}'"
            )


def _check_operator(content: Content, operator_file: Path) -> None:
    centre_ids = [c.id for c in content.project.centres]
    for key in content.operator.centres:
        if key not in centre_ids:
            raise ContentError(
                f"{operator_file}: centres.{key}: bilinmeyen merkez "
                f"(project.yaml'daki kimlikler: {', '.join(centre_ids)})"
            )


def _check_calls(content: Content, root: Path) -> None:
    """Every call names known secondary sources; every value of a call names a known call
    and takes that call's status (in force only when confirmed)."""
    known = {s.id for s in content.secondary_sources.sources}
    calls = {c.id: c for c in content.calls.calls}
    for i, call in enumerate(content.calls.calls):
        for ref in call.sources:
            if ref not in known:
                raise ContentError(
                    f"{root / 'calls.yaml'}: calls.{i}.sources: bilinmeyen kaynak '{ref}'"
                )
    for name, param in content.parameters.items():
        for ref in param.secondary:
            if ref not in known:
                raise ContentError(
                    f"{root / 'parameters.yaml'}#{name}: secondary: bilinmeyen kaynak '{ref}'"
                )
        for value in param.values:
            if value.call is None:
                continue
            of_call = calls.get(value.call)
            if of_call is None:
                raise ContentError(
                    f"{root / 'parameters.yaml'}#{name}: call: bilinmeyen çağrı '{value.call}'"
                )
            if value.valid_from < of_call.opens:
                raise ContentError(
                    f"{root / 'parameters.yaml'}#{name}: valid_from çağrının açılışından "
                    f"({of_call.opens}) önce olamaz"
                )
            value.resolve_call(of_call.confirmed)


def _check_kvkk(content: Content, root: Path) -> None:
    kvkk_file = root / "kvkk.yaml"
    kvkk = content.kvkk
    for field in type(kvkk).model_fields:
        value = getattr(kvkk, field)
        for name in sorted(placeholders(value if isinstance(value, str) else "")):
            if name not in KVKK_PLACEHOLDERS:
                raise ContentError(f"{kvkk_file}: {field}: bilinmeyen yer tutucu '{{{name}}}'")
    for name in KVKK_NOTICE_NEEDS:
        if f"{{{name}}}" not in kvkk.notice:
            raise ContentError(f"{kvkk_file}: notice: '{{{name}}}' yer tutucusu gerekli")
    if "{controller}" not in kvkk.consent_question:
        raise ContentError(f"{kvkk_file}: consent_question: '{{controller}}' yer tutucusu gerekli")
    page = root / "pages" / kvkk.page
    if not page.is_file():
        raise ContentError(f"{kvkk_file}: page: {page} yok")
    text = page.read_text(encoding="utf-8")
    for name in ("controller", "application_address"):
        if f"{{{name}}}" not in text:
            raise ContentError(f"{page}: '{{{name}}}' yer tutucusu gerekli")
