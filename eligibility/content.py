"""Load and validate content/. A broken file fails with the file and the field named."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from eligibility.models import (
    Catalogue,
    Citation,
    Content,
    Faq,
    Kvkk,
    Parameter,
    Programme,
    Project,
    Provinces,
    Rules,
    Source,
)


class ContentError(Exception):
    """content/ is invalid; the message names the file and the field."""


def content_dir() -> Path:
    """Where content/ lives: $KUME_CONTENT_DIR, the source checkout, or the wheel copy."""
    return _content_dir_for(os.environ.get("KUME_CONTENT_DIR"))


@functools.cache
def _content_dir_for(env: str | None) -> Path:
    # Cached: front ends ask on every message, and resolving touches the file system.
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "content", here / "_content"):
        if (candidate / "catalogue.yaml").is_file():
            return candidate
    raise ContentError(
        f"content/ bulunamadı ({here.parent / 'content'}); KUME_CONTENT_DIR ayarlayın"
    )


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except FileNotFoundError as exc:
        raise ContentError(f"{path}: dosya yok") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path}: YAML okunamadı: {exc}") from exc


# Turkish wording for the pydantic errors a content editor is likely to cause; the
# original English message follows in brackets for anything else.
_ERROR_TR = {
    "missing": "zorunlu alan eksik",
    "extra_forbidden": "bilinmeyen alan (yazım hatası olabilir)",
    "int_parsing": "tam sayı olmalı",
    "int_type": "tam sayı olmalı",
    "decimal_parsing": "sayı olmalı",
    "float_parsing": "sayı olmalı",
    "bool_parsing": "true/false olmalı",
    "date_from_datetime_parsing": "tarih YYYY-AA-GG biçiminde olmalı",
    "date_parsing": "tarih YYYY-AA-GG biçiminde olmalı",
    "date_type": "tarih YYYY-AA-GG biçiminde olmalı",
    "string_type": "metin olmalı",
    "list_type": "liste olmalı",
    "dict_type": "eşleme (anahtar: değer) olmalı",
    "model_type": "eşleme (anahtar: değer) olmalı",
    "too_short": "çok az öğe",
    "too_long": "çok fazla öğe",
    "greater_than_equal": "değer çok küçük",
    "less_than_equal": "değer çok büyük",
    "string_pattern_mismatch": "biçim uygun değil",
    "literal_error": "izin verilen değerlerden biri olmalı",
}


def _validate(model: type[BaseModel], data: Any, path: Path) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "(kök)"
        message = _ERROR_TR.get(first["type"])
        message = f"{message} [{first['msg']}]" if message else first["msg"]
        more = f" (+{exc.error_count() - 1} hata daha)" if exc.error_count() > 1 else ""
        raise ContentError(f"{path}: {field}: {message}{more}") from exc


_FILES: dict[str, type[BaseModel]] = {
    "programme": Programme,
    "catalogue": Catalogue,
    "rules": Rules,
    "project": Project,
    "provinces": Provinces,
    "faq": Faq,
    "kvkk": Kvkk,
}


def _squash(text: str) -> str:
    """Whitespace-insensitive form used to find a quote in its source."""
    return re.sub(r"\s+", " ", text).strip()


def load_content(directory: Path | str | None = None) -> Content:
    root = Path(directory) if directory else content_dir()
    raw: dict[str, Any] = {}

    sources_path = root / "sources.yaml"
    sources_list = _read_yaml(sources_path) or []
    sources: dict[str, Source] = {}
    for i, item in enumerate(sources_list):
        src = _validate(Source, item, sources_path.with_name(f"sources.yaml[{i}]"))
        sources[src.id] = src
    raw["sources"] = sources

    params_path = root / "parameters.yaml"
    params_data = _read_yaml(params_path) or {}
    raw["parameters"] = {
        name: _validate(Parameter, value, Path(f"{params_path}#{name}"))
        for name, value in params_data.items()
    }
    for name, model in _FILES.items():
        path = root / f"{name}.yaml"
        raw[name] = _validate(model, _read_yaml(path), path)

    content = Content.model_construct(**raw)
    _cross_check(content, root)
    return content


def _walk_citations(obj: Any, where: str) -> Iterator[tuple[str, Citation]]:
    if isinstance(obj, Citation):
        yield where, obj
    elif isinstance(obj, BaseModel):
        for name in type(obj).model_fields:
            yield from _walk_citations(getattr(obj, name), f"{where}.{name}")
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _walk_citations(value, f"{where}.{key}")
    elif isinstance(obj, list | tuple):
        for i, value in enumerate(obj):
            yield from _walk_citations(value, f"{where}.{i}")


def _cross_check(content: Content, root: Path) -> None:
    """Checks that span files: citations, ids and references."""
    texts: dict[str, str] = {}
    for sid, src in content.sources.items():
        path = root / "sources" / src.file
        try:
            texts[sid] = _squash(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ContentError(f"{root / 'sources.yaml'}: {sid}.file: {path} yok") from exc

    for name in ("parameters", *_FILES):
        for where, cit in _walk_citations(getattr(content, name), name):
            file = f"{root / (name + '.yaml')}"
            if cit.source not in texts:
                raise ContentError(f"{file}: {where}.source: bilinmeyen kaynak '{cit.source}'")
            if _squash(cit.quote) not in texts[cit.source]:
                raise ContentError(
                    f"{file}: {where}.quote: alıntı kaynak metinde birebir geçmiyor: "
                    f"{cit.quote[:60]!r}"
                )

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

    known = set(ids)
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
    page = root / "pages" / content.kvkk.page
    if not page.is_file():
        raise ContentError(f"{root / 'kvkk.yaml'}: page: {page} yok")


@functools.cache
def get_content() -> Content:
    """The content of content_dir(), loaded once per process."""
    return load_content()
