"""The lead-store contract every backend keeps, run against each one of
tests/support/stores.py (TinyDB and PostgreSQL).

The part that matters most for users: saving is idempotent on the questionnaire walk's
submission key, so a save repeated after a crash, a retry or a second process returns the
first lead and writes nothing.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import threading

import pytest

from bot.leads.facade import Leads
from bot.leads.filters import LeadFilter
from bot.leads.store import LeadNotFound, LeadStore
from tests.support.leads import make_lead
from tests.support.stores import BACKENDS, Backend, add_when_told

pytestmark = pytest.mark.timeout(120)

PERSONAL = ("Ayşe Deneme", "+905000000001", "deneme1@example.com", "Deneme Makina 1 Ltd.")


@pytest.fixture(params=sorted(BACKENDS))
def backend(request) -> Backend:
    return BACKENDS[request.param]


@pytest.fixture
def lead_store(backend, tmp_path) -> LeadStore:
    return backend.create(tmp_path)


def test_a_second_save_of_a_walk_returns_the_first_lead_and_writes_nothing(lead_store):
    first = lead_store.add(make_lead(1, submission_key="walk-a"))
    before = lead_store.list()
    # The repeated save may differ (a later time, another source): the first lead stands.
    again = lead_store.add(make_lead(2, submission_key="walk-a", source="yeniden"))
    assert again == first
    assert lead_store.list() == before
    assert lead_store.get(first)["firm"] == "Deneme Makina 1 Ltd."
    assert lead_store.get(first)["submission_key"] == "walk-a"
    assert lead_store.find_by_submission("walk-a")["id"] == first
    # The id counter did not move either: the next new lead gets the next number.
    assert lead_store.add(make_lead(3, submission_key="walk-b")) == first + 1


def test_leads_without_a_key_are_always_new(lead_store):
    ids = [lead_store.add(make_lead(1)) for _ in range(3)]
    ids += [lead_store.add(make_lead(1, submission_key="")) for _ in range(2)]
    assert len(set(ids)) == 5 and lead_store.count() == 5
    assert all(lead["submission_key"] is None for lead in lead_store.list())
    assert lead_store.find_by_submission("") is None


def test_keys_are_not_confused_with_each_other(lead_store):
    keys = ["k", "K", "k ", "kk", "ğ-anahtar"]
    ids = [lead_store.add(make_lead(n, submission_key=key)) for n, key in enumerate(keys)]
    assert len(set(ids)) == len(keys)
    for key, lead_id in zip(keys, ids, strict=True):
        assert lead_store.add(make_lead(9, submission_key=key)) == lead_id
    assert lead_store.count(LeadFilter(submission_key="k")) == 1


def test_a_key_no_backend_could_index_is_refused(lead_store):
    for bad in (123, "x" * 129):
        with pytest.raises(ValueError):
            lead_store.add(make_lead(1, submission_key=bad))
    assert lead_store.count() == 0


def test_an_erased_lead_frees_its_key(lead_store):
    """KVKK erasure really deletes, key included (as a unique constraint would): the walk's
    conversation state is erased with it, so nothing saves that walk again by itself."""
    first = lead_store.add(make_lead(1, user_key="tg:77", submission_key="walk-a"))
    assert lead_store.delete_by_user("tg:77") == 1
    assert lead_store.find_by_submission("walk-a") is None
    assert lead_store.add(make_lead(1, submission_key="walk-a")) > first


def test_threads_saving_one_walk_make_one_lead(lead_store):
    ids: list[int] = []
    start = threading.Barrier(8)

    def work() -> None:
        start.wait()
        ids.append(lead_store.add(make_lead(1, submission_key="walk-a")))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(ids) == 8 and len(set(ids)) == 1
    assert lead_store.count() == 1


def test_processes_saving_the_same_walks_make_one_lead_each(backend, lead_store, tmp_path):
    """Four processes save the same ten walks at the same moment: ten leads, and every
    process was told the same number for the same walk."""
    location = backend.location(lead_store)
    go = tmp_path / "go"
    walks = [make_lead(n, submission_key=f"walk-{n}") for n in range(10)]
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(4, mp_context=context) as pool:
        futures = [
            pool.submit(add_when_told, backend.name, location, str(go), walks[p:] + walks[:p])
            for p in range(4)
        ]
        go.touch()
        results = [f.result(timeout=90) for f in futures]
    # Process p saved the walks rotated by p: its answer for walk n is at (n - p) % 10.
    per_walk = [{ids[(n - p) % 10] for p, ids in enumerate(results)} for n in range(10)]
    assert all(len(numbers_seen) == 1 for numbers_seen in per_walk), per_walk
    assert lead_store.count() == 10
    stored = {lead["submission_key"]: lead["id"] for lead in lead_store.list()}
    assert stored == {f"walk-{n}": next(iter(per_walk[n])) for n in range(10)}


async def test_the_bots_facade_keeps_the_contract(backend, lead_store):
    leads = Leads(lead_store)  # TinyDB: the worker process, as in the bot
    first = await leads.add(make_lead(1, submission_key="walk-a"))
    assert await leads.add(make_lead(1, submission_key="walk-a")) == first
    assert len(await leads.list()) == 1


# --- follow-up, merge, audit and funnel (issue 11) ---------------------------------------


def test_new_fields_exist_with_defaults(lead_store):
    lead = lead_store.get(lead_store.add(make_lead(1, nace="31")))
    assert lead["nace"] == "31"
    assert (lead["owner"], lead["next_contact"]) == (None, None)
    assert (lead["duplicate_of"], lead["merged_into"]) == ([], None)


def test_status_change_can_set_owner_and_next_contact(lead_store):
    lead_id = lead_store.add(make_lead(1))
    lead = lead_store.update_status_followup(
        lead_id, "iletisime_gecildi", "tg:111", owner="tg:111", next_contact="2026-12-15"
    )
    assert lead["status"] == "iletisime_gecildi"
    assert (lead["owner"], lead["next_contact"]) == ("tg:111", "2026-12-15")
    assert lead_store.get(lead_id)["next_contact"] == "2026-12-15"
    with pytest.raises(ValueError):
        lead_store.update_status_followup(lead_id, "kumeye_katildi", "x", next_contact="15/12")
    assert lead_store.get(lead_id)["status"] == "iletisime_gecildi"  # nothing written
    lead = lead_store.set_followup(lead_id, next_contact="")
    assert lead["next_contact"] is None and lead["owner"] == "tg:111"


def test_merge_keeps_notes_and_history_of_both(lead_store):
    keep = lead_store.add(make_lead(1, email=None))
    dup = lead_store.add(make_lead(2))
    lead_store.add_note(keep, "ilk görüşme", "tg:111")
    lead_store.add_note(dup, "ikinci kayıttaki not", "tg:112")
    lead_store.update_status(dup, "iletisime_gecildi", "tg:112")
    lead_store.set_duplicates(dup, [keep])
    lead_store.set_duplicates(keep, [dup])
    _kept, merged = lead_store.merge(keep, dup, "tg:111")
    assert merged["merged_into"] == keep and lead_store.get(dup)["merged_into"] == keep
    stored = lead_store.get(keep)
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
        lead_store.merge(keep, dup, "x")  # already merged
    with pytest.raises(ValueError):
        lead_store.merge(keep, keep, "x")
    with pytest.raises(LeadNotFound):
        lead_store.merge(keep, 999, "x")
    audit = lead_store.audit_log()
    assert [(e["action"], e["lead_id"], e["into"]) for e in audit] == [("merge", dup, keep)]


def test_erase_deletes_the_lead_and_leaves_an_audit_entry_without_personal_data(lead_store):
    lead_id = lead_store.add(make_lead(1))
    lead_store.add(make_lead(2))
    lead_store.erase_lead(lead_id, "Ali Personel", "ilgili kişinin silme başvurusu")
    with pytest.raises(LeadNotFound):
        lead_store.get(lead_id)
    assert [lead["id"] for lead in lead_store.list()] == [2]
    (entry,) = lead_store.audit_log()
    assert (entry["action"], entry["lead_id"], entry["by"]) == ("delete", lead_id, "Ali Personel")
    assert entry["reason"] == "ilgili kişinin silme başvurusu" and entry["at"]
    assert not any(value in str(entry) for value in PERSONAL)
    with pytest.raises(LeadNotFound):
        lead_store.erase_lead(lead_id, "x", "tekrar")
    with pytest.raises(ValueError):
        lead_store.erase_lead(2, "x", "   ")
    assert len(lead_store.audit_log()) == 1 and lead_store.get(2)
    # the audit log outlives the leads: deleting every lead keeps it
    lead_store.delete_by_user("tg:1002")
    assert lead_store.list() == [] and len(lead_store.audit_log()) == 1


def test_funnel_counts_only(lead_store):
    assert lead_store.funnel_counts() == []
    for _ in range(3):
        lead_store.bump_funnel("fuar", None, "started")
    lead_store.bump_funnel("fuar", "samsun", "finished")
    lead_store.bump_funnel("fuar", "samsun", "consented")
    lead_store.bump_funnel("telegram", "corum", "finished")
    counts = {(c["source"], c["centre"], c["stage"]): c["count"] for c in lead_store.funnel_counts()}
    assert counts == {
        ("fuar", None, "started"): 3,
        ("fuar", "samsun", "finished"): 1,
        ("fuar", "samsun", "consented"): 1,
        ("telegram", "corum", "finished"): 1,
    }
    with pytest.raises(ValueError):
        lead_store.bump_funnel("fuar", None, "clicked")
