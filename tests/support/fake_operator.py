"""An obviously fake, complete operator file for tests of a configured deployment, and a
fixture-style context that makes `get_content()` read it (the content is cached per
process, so the cache is cleared on the way in and out)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

FAKE_OPERATOR: dict[str, Any] = {
    "operator": {
        "name": "Deneme İşletme Derneği",
        "address": "Deneme Mah. Örnek Sok. No 1, Ankara",
        "email": "bilgi@deneme.example",
        "phone": "+90 312 000 00 00",
        "web": "https://deneme.example/",
    },
    "controller": {
        "name": "Deneme Veri Sorumlusu A.Ş.",
        "address": "Deneme Mah. Örnek Sok. No 2, Ankara",
        "application_address": "kvkk@deneme.example",
    },
    "centres": {
        "samsun": {
            "active": True,
            "phone": "+90 362 000 00 00",
            "email": "samsun@deneme.example",
            "hours": "09.00–17.00",
        },
        "trabzon": {"active": False},
    },
}


def write_operator(path: Path, data: dict[str, Any] | None = None) -> Path:
    path.write_text(yaml.safe_dump(data or FAKE_OPERATOR, allow_unicode=True), encoding="utf-8")
    return path


@contextlib.contextmanager
def configured_operator(directory: Path, data: dict[str, Any] | None = None) -> Iterator[Path]:
    """get_content() reads a fake operator file while the block runs."""
    from eligibility.content import OPERATOR_FILE_ENV, get_content

    path = write_operator(directory / "operator-deneme.yaml", data)
    before = os.environ.get(OPERATOR_FILE_ENV)
    os.environ[OPERATOR_FILE_ENV] = str(path)
    get_content.cache_clear()
    try:
        yield path
    finally:
        if before is None:
            os.environ.pop(OPERATOR_FILE_ENV, None)
        else:
            os.environ[OPERATOR_FILE_ENV] = before
        get_content.cache_clear()


def operator_env(directory: Path) -> dict[str, str]:
    """Environment for a `kume bot` process: a fake but complete operator file (the bot
    refuses to start on the repository's empty one)."""
    return {"KUME_OPERATOR_FILE": str(write_operator(directory / "operator-deneme.yaml"))}
