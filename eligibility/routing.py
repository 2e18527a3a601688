"""Which Kümelenme Bilgi Merkezi serves a province: its own, or the nearest one."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from eligibility.models import Centre, Project, Province, Provinces
from eligibility.validators import ValidationProblem, find_province, load_part

EARTH_RADIUS_KM = 6371.0


@dataclass(frozen=True)
class Routing:
    centre: Centre
    distance_km: float  # great-circle distance between province centres; 0 when local
    local: bool  # the province hosts the centre itself

    def to_json(self) -> dict[str, Any]:
        return {
            "centre": self.centre.id,
            "province": self.centre.province,
            "host": self.centre.host,
            "distance_km": round(self.distance_km),
            "local": self.local,
        }


def great_circle_km(a: Province, b: Province) -> float:
    """Haversine distance; plenty accurate for choosing among five centres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def _parts(content: Any) -> tuple[list[Province], list[Centre]]:
    if content is not None:
        return content.provinces.provinces, content.project.centres
    return load_part("provinces", Provinces).provinces, load_part("project", Project).centres


def centre_for(province_name: str, content: Any = None) -> Routing:
    """The centre for a province name (exact name, alias or fuzzy spelling)."""
    provinces, centres = _parts(content)
    by_name = {p.name: p for p in provinces}
    province = by_name.get(province_name) or find_province(province_name, provinces)
    for centre in centres:
        if centre.province == province.name:
            return Routing(centre=centre, distance_km=0.0, local=True)
    ranked = []
    for centre in centres:
        home = by_name.get(centre.province)
        if home is None:
            raise ValidationProblem(f"Merkezin ili bulunamadı: {centre.province}")
        ranked.append((great_circle_km(province, home), centre.id, centre))
    distance, _, centre = min(ranked)
    return Routing(centre=centre, distance_km=distance, local=False)
