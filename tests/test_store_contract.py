"""The lead-store contract every backend keeps, written once and parametrised over the
backends (`BACKENDS`): a PostgreSQL backend (issue 12) adds one entry and must pass the same
tests. A backend's factory, given a directory, opens the store kept there (called again with
the same directory - in another process too - it opens the same store).

Saving is idempotent on the questionnaire walk's submission key (issue 9), so a save
repeated after a crash, a retry or from a second process returns the first lead and writes
nothing (a server database: a unique constraint on the key). Then the follow-up, merge,
audit and funnel methods (issue 11).
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.leads.facade import Leads
from bot.leads.filters import LeadFilter
from bot.leads.store import LeadNotFound, LeadStore
from bot.leads.tinydb_store import open_tinydb_store
from tests.support.leads import make_lead
from tests.support.stores import add_when_told

pytestmark = pytest.mark.timeout(120)

BACKENDS: dict[str, Callable[[Path], LeadStore]] = {"tinydb": open_tinydb_store}

PERSONAL = ("Ayşe Deneme", "+905000000001", "deneme1@example.com", "Deneme Makina 1 Ltd.")


@pytest.fixture(params=sorted(BACKENDS))
def backend(request, tmp_path) -> LeadStore:
    return BACKENDS[request.param](tmp_path / "data")


# --- issue 9: idempotent on the submission key ------------------------------------------


def test_a_second_save_of_a_walk_returns_the_first_lead_and_writes_nothing(backend):
    first = backend.add(make_lead(1, submission_key="walk-a"))
    before = backend.list()
    # The repeated save may differ (a later time, another source): the first lead stands.
    again = backend.add(make_lead(2, submission_key="walk-a", source="yeniden"))
    assert again == first
    assert backend.list() == before
    assert backend.get(first)["firm"] == "Deneme Makina 1 Ltd."
    assert backend.get(first)["submission_key"] == "walk-a"
    assert backend.find_by_submission("walk-a")["id"] == first
    # The id counter did not move either: the next new lead gets the next number.
    assert backend.add(make_lead(3, submission_key="walk-b")) == first + 1


def test_leads_without_a_key_are_always_new(backend):
    ids = [backend.add(make_lead(1)) for _ in range(3)]
    ids += [backend.add(make_lead(1, submission_key="")) for _ in range(2)]
    assert len(set(ids)) == 5 and backend.count() == 5
    assert all(lead["submission_key"] is None for lead in backend.list())
    assert backend.find_by_submission("") is None


def test_keys_are_not_confused_with_each_other(backend):
    keys = ["k", "K", "k ", "kk", "ğ-anahtar"]
    ids = [backend.add(make_lead(n, submission_key=key)) for n, key in enumerate(keys)]
    assert len(set(ids)) == len(keys)
    for key, lead_id in zip(keys, ids, strict=True):
        assert backend.add(make_lead(9, submission_key=key)) == lead_id
    assert backend.count(LeadFilter(submission_key="k")) == 1


def test_a_key_no_backend_could_index_is_refused(backend):
    for bad in (123, "x" * 129):
        with pytest.raises(ValueError):
            backend.add(make_lead(1, submission_key=bad))
    assert backend.count() == 0


def test_an_erased_lead_frees_its_key(backend):
    """KVKK erasure really deletes, key included (as a unique constraint would): the walk's
    conversation state is erased with it, so nothing saves that walk again by itself."""
    first = backend.add(make_lead(1, user_key="tg:77", submission_key="walk-a"))
    assert backend.delete_by_user("tg:77") == 1
    assert backend.find_by_submission("walk-a") is None
    assert backend.add(make_lead(1, submission_key="walk-a")) > first


def test_threads_saving_one_walk_make_one_lead(backend):
    ids: list[int] = []
    start = threading.Barrier(8)

    def work() -> None:
        start.wait()
        ids.append(backend.add(make_lead(1, submission_key="walk-a")))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(ids) == 8 and len(set(ids)) == 1
    assert backend.count() == 1


def test_processes_saving_the_same_walks_make_one_lead_each(backend, request, tmp_path):
    """Four processes save the same ten walks at the same moment: ten leads, and every
    process was told the same number for the same walk. (Each process opens the store with
    the backend's factory on the same directory: the same store.)"""
    factory = BACKENDS[request.node.callspec.params["backend"]]
    go = tmp_path / "go"
    walks = [make_lead(n, submission_key=f"walk-{n}") for n in range(10)]
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(4, mp_context=context) as pool:
        futures = [
            pool.submit(add_when_told, factory, tmp_path / "data", go, walks[p:] + walks[:p])
            for p in range(4)
        ]
        go.touch()
        results = [f.result(timeout=90) for f in futures]
    # Process p saved the walks rotated by p: its answer for walk n is at (n - p) % 10.
    per_walk = [{ids[(n - p) % 10] for p, ids in enumerate(results)} for n in range(10)]
    assert all(len(numbers_seen) == 1 for numbers_seen in per_walk), per_walk
    assert backend.count() == 10
    stored = {lead["submission_key"]: lead["id"] for lead in backend.list()}
    assert stored == {f"walk-{n}": next(iter(per_walk[n])) for n in range(10)}


async def test_the_bots_facade_keeps_the_contract(backend):
    leads = Leads(backend)  # TinyDB: the worker process, as in the bot
    first = await leads.add(make_lead(1, submission_key="walk-a"))
    assert await leads.add(make_lead(1, submission_key="walk-a")) == first
    assert len(await leads.list()) == 1


# --- issue 11: follow-up, merge, audit, funnel -----------------------------------------


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
