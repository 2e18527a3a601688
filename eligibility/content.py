"""Load and validate content/. A broken file fails with the file and the field named."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from eligibility.content_checks import cross_check
from eligibility.content_errors import ContentError as ContentError  # re-exported
from eligibility.models import (
    Calls,
    Catalogue,
    Content,
    Faq,
    Kvkk,
    NextSteps,
    Notices,
    Operator,
    Parameter,
    Programme,
    Project,
    Provinces,
    Rules,
    SecondarySources,
    SiteTools,
    Source,
)

# A deployment's own operator.yaml (same shape as content/operator.yaml): the real operator,
# data controller and centre contacts, supplied without editing the repository.
OPERATOR_FILE_ENV = "KUME_OPERATOR_FILE"


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
    "notices": Notices,
    "next_steps": NextSteps,
    "calls": Calls,
    "secondary_sources": SecondarySources,
    "site_tools": SiteTools,
}


def operator_path(root: Path, operator_file: Path | str | None = None) -> Path:
    """The operator file in use: the argument, $KUME_OPERATOR_FILE, or content/operator.yaml."""
    chosen = operator_file or os.environ.get(OPERATOR_FILE_ENV)
    return Path(chosen) if chosen else root / "operator.yaml"


def load_content(
    directory: Path | str | None = None, *, operator_file: Path | str | None = None
) -> Content:
    """Load and validate content/; the operator comes from `operator_path`."""
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
    op_path = operator_path(root, operator_file)
    if op_path != root / "operator.yaml" and not op_path.is_file():
        raise ContentError(f"{OPERATOR_FILE_ENV}={op_path}: dosya yok")
    raw["operator"] = _validate(Operator, _read_yaml(op_path) or {}, op_path)

    content = Content.model_construct(**raw)
    cross_check(content, root, op_path)
    return content


@functools.cache
def get_content() -> Content:
    """The content of content_dir(), loaded once per process."""
    return load_content()
