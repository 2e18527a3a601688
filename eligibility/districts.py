"""Districts people type instead of their province (content/districts.yaml).

`provinces_of_district("Gebze")` → ["Kocaeli"]; a name found in several provinces returns all
of them (the caller offers a choice). Keys are letters only, Turkish-folded, as in
`eligibility.validators.find_province`.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from eligibility.text import fold


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DistrictSource(_Strict):
    title: str
    publisher: str
    url: str
    retrieved: dt.date


class Districts(_Strict):
    source: DistrictSource
    provinces: dict[str, list[str]]  # province name -> its districts


def district_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


def load_districts(directory: Path | str | None = None) -> Districts:
    from eligibility.content import ContentError, _read_yaml, _validate, content_dir
    from eligibility.models import Provinces
    from eligibility.validators import load_part

    root = Path(directory) if directory else content_dir()
    file = root / "districts.yaml"
    districts: Districts = _validate(Districts, _read_yaml(file), file)
    provinces: Provinces = load_part("provinces", Provinces, root)
    names = {p.name for p in provinces.provinces}
    unknown = sorted(set(districts.provinces) - names)
    if unknown:
        raise ContentError(f"{file}: provinces: bilinmeyen il(ler) {unknown}")
    return districts


@functools.cache
def _table(root: str) -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for province, names in load_districts(root).provinces.items():
        for name in names:
            table.setdefault(district_key(name), []).append(province)
    return {key: tuple(dict.fromkeys(found)) for key, found in table.items()}


def district_table() -> dict[str, tuple[str, ...]]:
    """Folded district key -> the provinces that have a district of that name."""
    from eligibility.content import content_dir

    return _table(str(content_dir()))


def provinces_of_district(text: str) -> tuple[str, ...]:
    return district_table().get(district_key(text), ())
