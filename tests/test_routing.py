"""Routing a province to its Kümelenme Bilgi Merkezi (own province or nearest)."""

from __future__ import annotations

import pytest

from eligibility.models import Project, Provinces
from eligibility.routing import centre_for, great_circle_km
from eligibility.validators import ValidationProblem, load_part


@pytest.fixture(scope="module")
def provinces():
    return {p.name: p for p in load_part("provinces", Provinces).provinces}


@pytest.fixture(scope="module")
def centres():
    return load_part("project", Project).centres


def test_pilot_provinces_are_local(centres):
    assert len(centres) == 5
    for centre in centres:
        routing = centre_for(centre.province)
        assert routing.centre.id == centre.id
        assert routing.local is True
        assert routing.distance_km == 0


@pytest.mark.parametrize(
    ("province", "centre"),
    [("Ankara", "corum"), ("Rize", "trabzon"), ("Sinop", "samsun"), ("Hatay", "gaziantep")],
)
def test_nearest_centre(province, centre):
    routing = centre_for(province)
    assert routing.centre.id == centre
    assert routing.local is False
    assert routing.distance_km > 0


def test_osmaniye_goes_to_the_nearer_of_gaziantep_and_kahramanmaras(provinces, centres):
    osmaniye = provinces["Osmaniye"]
    by_id = {c.id: provinces[c.province] for c in centres}
    expected = min(
        ("gaziantep", "kahramanmaras"), key=lambda i: great_circle_km(osmaniye, by_id[i])
    )
    assert centre_for("Osmaniye").centre.id == expected


def test_every_province_gets_its_nearest_centre(provinces, centres):
    for name, prov in provinces.items():
        routing = centre_for(name)
        best = min(great_circle_km(prov, provinces[c.province]) for c in centres)
        assert routing.distance_km == pytest.approx(best)


def test_great_circle_is_plausible(provinces):
    # Ankara–İstanbul is about 350 km as the crow flies.
    assert 330 < great_circle_km(provinces["Ankara"], provinces["İstanbul"]) < 370
    assert great_circle_km(provinces["Rize"], provinces["Rize"]) == 0


def test_spelling_variants_and_unknown():
    assert centre_for("K.Maraş").local is True
    assert centre_for("rıze").centre.id == "trabzon"
    with pytest.raises(ValidationProblem):
        centre_for("Atlantis")


def test_to_json_has_no_personal_data():
    data = centre_for("Sinop").to_json()
    assert data["centre"] == "samsun"
    assert data["local"] is False
    assert isinstance(data["distance_km"], int)
