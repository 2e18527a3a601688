"""The store contract's follow-up, merge, audit and funnel methods (issue 11), written once
and parametrised over the backends (`BACKENDS`): a PostgreSQL backend (issue 12) adds one
entry and must pass the same tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot.leads.store import LeadNotFound, LeadStore
from bot.leads.tinydb_store import open_tinydb_store
from tests.support.leads import make_lead

BACKENDS: dict[str, Callable[[Path], LeadStore]] = {"tinydb": open_tinydb_store}

PERSONAL = ("Ayşe Deneme", "+905000000001", "deneme1@example.com", "Deneme Makina 1 Ltd.")


@pytest.fixture(params=sorted(BACKENDS))
def backend(request, tmp_path) -> LeadStore:
    return BACKENDS[request.param](tmp_path / "data")


def test_new_fields_exist_with_defaults(backend):
    lead = backend.get(backend.add(make_lead(1, nace="31")))
    assert lead["nace"] == "31"
    assert (lead["owner"], lead["next_contact"]) == (None, None)
    assert (lead["duplicate_of"], lead["merged_into"]) == ([], None)


def test_status_change_can_set_owner_and_next_contact(backend):
    lead_id = backend.add(make_lead(1))
    lead = backend.update_status_followup(
        lead_id, "iletisime_gecildi", "tg:111", owner="tg:111", next_contact="2026-12-15"
    )
    assert lead["status"] == "iletisime_gecildi"
    assert (lead["owner"], lead["next_contact"]) == ("tg:111", "2026-12-15")
    assert backend.get(lead_id)["next_contact"] == "2026-12-15"
    with pytest.raises(ValueError):
        backend.update_status_followup(lead_id, "kumeye_katildi", "x", next_contact="15/12")
    assert backend.get(lead_id)["status"] == "iletisime_gecildi"  # nothing written
    lead = backend.set_followup(lead_id, next_contact="")
    assert lead["next_contact"] is None and lead["owner"] == "tg:111"


def test_merge_keeps_notes_and_history_of_both(backend):
    keep = backend.add(make_lead(1, email=None))
    dup = backend.add(make_lead(2))
    backend.add_note(keep, "ilk görüşme", "tg:111")
    backend.add_note(dup, "ikinci kayıttaki not", "tg:112")
    backend.update_status(dup, "iletisime_gecildi", "tg:112")
    backend.set_duplicates(dup, [keep])
    backend.set_duplicates(keep, [dup])
    _kept, merged = backend.merge(keep, dup, "tg:111")
    assert merged["merged_into"] == keep and backend.get(dup)["merged_into"] == keep
    stored = backend.get(keep)
    texts = [n["text"] for n in stored["notes"]]
    assert "ilk görüşme" in texts and "ikinci kayıttaki not" in texts
    assert any(f"#{dup}" in t for t in texts)
    assert [h["status"] for h in stored["history"] if h.get("merged_from") == dup] == [
        "yeni",
        "iletisime_gecildi",
    ]
    assert stored["email"] == "deneme2@example.com"  # filled from the duplicate
    assert stored["duplicate_of"] == []
    with pytest.raises(ValueError):
        backend.merge(keep, dup, "x")  # already merged
    with pytest.raises(ValueError):
        backend.merge(keep, keep, "x")
    with pytest.raises(LeadNotFound):
        backend.merge(keep, 999, "x")
    audit = backend.audit_log()
    assert [(e["action"], e["lead_id"], e["into"]) for e in audit] == [("merge", dup, keep)]


def test_erase_deletes_the_lead_and_leaves_an_audit_entry_without_personal_data(backend):
    lead_id = backend.add(make_lead(1))
    backend.add(make_lead(2))
    backend.erase_lead(lead_id, "Ali Personel", "ilgili kişinin silme başvurusu")
    with pytest.raises(LeadNotFound):
        backend.get(lead_id)
    assert [lead["id"] for lead in backend.list()] == [2]
    (entry,) = backend.audit_log()
    assert (entry["action"], entry["lead_id"], entry["by"]) == ("delete", lead_id, "Ali Personel")
    assert entry["reason"] == "ilgili kişinin silme başvurusu" and entry["at"]
    assert not any(value in str(entry) for value in PERSONAL)
    with pytest.raises(LeadNotFound):
        backend.erase_lead(lead_id, "x", "tekrar")
    with pytest.raises(ValueError):
        backend.erase_lead(2, "x", "   ")
    assert len(backend.audit_log()) == 1 and backend.get(2)
    # the audit log outlives the leads: deleting every lead keeps it
    backend.delete_by_user("tg:1002")
    assert backend.list() == [] and len(backend.audit_log()) == 1


def test_funnel_counts_only(backend):
    assert backend.funnel_counts() == []
    for _ in range(3):
        backend.bump_funnel("fuar", None, "started")
    backend.bump_funnel("fuar", "samsun", "finished")
    backend.bump_funnel("fuar", "samsun", "consented")
    backend.bump_funnel("telegram", "corum", "finished")
    counts = {(c["source"], c["centre"], c["stage"]): c["count"] for c in backend.funnel_counts()}
    assert counts == {
        ("fuar", None, "started"): 3,
        ("fuar", "samsun", "finished"): 1,
        ("fuar", "samsun", "consented"): 1,
        ("telegram", "corum", "finished"): 1,
    }
    with pytest.raises(ValueError):
        backend.bump_funnel("fuar", None, "clicked")
