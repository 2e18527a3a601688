"""The lead-store contract every backend keeps, run against each one of
tests/support/stores.py (TinyDB and PostgreSQL).

The part that matters most for users: saving is idempotent on the questionnaire walk's
submission key, so a save repeated after a crash, a retry or a second process returns the
first lead and writes nothing.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import multiprocessing
import threading
from collections.abc import Iterator

import pytest

from bot.leads.facade import Leads
from bot.leads.filters import LeadFilter
from bot.leads.record import InvalidStatus
from bot.leads.store import LeadNotFound, LeadStore
from tests.support.leads import make_lead
from tests.support.stores import BACKENDS, Backend, add_when_told, close, note_when_told

pytestmark = pytest.mark.timeout(120)

PERSONAL = ("Ayşe Deneme", "+905000000001", "deneme1@example.com", "Deneme Makina 1 Ltd.")


@pytest.fixture(params=sorted(BACKENDS))
def backend(request) -> Backend:
    return BACKENDS[request.param]


@pytest.fixture
def lead_store(backend, tmp_path) -> Iterator[LeadStore]:
    store = backend.create(tmp_path)
    yield store
    close(store)


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
    counts = {
        (c["source"], c["centre"], c["stage"]): c["count"] for c in lead_store.funnel_counts()
    }
    assert counts == {
        ("fuar", None, "started"): 3,
        ("fuar", "samsun", "finished"): 1,
        ("fuar", "samsun", "consented"): 1,
        ("telegram", "corum", "finished"): 1,
    }
    with pytest.raises(ValueError):
        lead_store.bump_funnel("fuar", None, "clicked")


# --- the primitives: add, get, list, modify, delete; ids, filters, purge ---------------------


def test_add_get_and_ids(lead_store):
    ids = [lead_store.add(make_lead(n)) for n in range(1, 4)]
    assert ids == [1, 2, 3]
    lead = lead_store.get(2)
    assert lead["id"] == 2 and lead["firm"] == "Deneme Makina 2 Ltd."
    assert lead["consent"]["version"] == "2026-01"
    assert lead == {**make_lead(2), "id": 2, "created_at": lead["created_at"]} | {
        "history": lead["history"]
    }
    with pytest.raises(LeadNotFound, match="7 numaralı kayıt yok"):
        lead_store.get(7)


def test_ids_are_never_reused_after_deletion(lead_store):
    lead_store.add(make_lead(1))
    lead_store.add(make_lead(2, user_key="tg:gone"))
    assert lead_store.delete_by_user("tg:gone") == 1  # the highest id is gone
    assert lead_store.add(make_lead(3)) == 3
    lead_store.erase_lead(3, "x", "silme başvurusu")
    assert lead_store.purge_older_than(1, now=dt.datetime(2100, 1, 1, tzinfo=dt.UTC)) == 1
    assert lead_store.list() == []
    assert lead_store.add(make_lead(4)) == 4


def test_every_field_round_trips(lead_store):
    odd = 'Ğüşİıöç "tırnak" ; =1+2 \\ \t satır\nsonu 🙂 \u0000'
    lead = make_lead(1, firm=odd, needs_text=odd, nace="31", eligibility={"ok": True, "n": 1.5})
    lead["extra_field"] = {"kept": [1, "iki"]}
    lead_id = lead_store.add(lead)
    stored = lead_store.get(lead_id)
    assert stored == {**lead, "id": lead_id}
    assert lead_store.list() == [stored]


def test_status_note_centre_and_announce(lead_store):
    lead_id = lead_store.add(make_lead())
    lead = lead_store.update_status(lead_id, "İletişime geçildi", "Ayşe Deneme")
    assert lead["status"] == "iletisime_gecildi"
    assert lead["history"][-1]["by"] == "Ayşe Deneme"
    assert "correction" not in lead["history"][-1]
    lead = lead_store.update_status(lead_id, "yeni", "Ayşe Deneme")  # a staff correction
    assert lead["history"][-1].get("correction") is True
    with pytest.raises(InvalidStatus):
        lead_store.update_status(lead_id, "bitti", "x")
    lead = lead_store.add_note(lead_id, "Yarın aranacak", "Mehmet Deneme")
    assert lead["notes"][-1]["text"] == "Yarın aranacak"
    with pytest.raises(ValueError):
        lead_store.add_note(lead_id, "   ", "x")
    lead = lead_store.set_centre(lead_id, "trabzon", "Mehmet Deneme")
    assert lead["centre"] == "trabzon" and lead["centre_override"] is True
    lead = lead_store.mark_announced(lead_id, ok=False)
    assert lead["announced"] is False and lead["announce_attempts"] == 1
    lead = lead_store.mark_announced(lead_id, ok=True)
    assert lead["announced"] is True and lead["announce_attempts"] == 2
    again = lead_store.get(lead_id)  # persisted, not only returned
    assert again == lead
    assert again["status"] == "yeni" and again["centre"] == "trabzon"
    with pytest.raises(LeadNotFound):
        lead_store.add_note(99, "x", "y")


def test_a_note_with_a_ref_is_stored_once(lead_store):
    """The bot passes the Telegram message a note came from: that message handled again
    after a crash (or delivered to a second process) adds no second note."""
    lead_id = lead_store.add(make_lead())
    lead_store.add_note(lead_id, "Arandı, olumlu", "tg:111", ref="-1001:42")
    again = lead_store.add_note(lead_id, "Arandı, olumlu", "tg:111", ref="-1001:42")
    assert [n["text"] for n in again["notes"]] == ["Arandı, olumlu"]
    assert again["notes"][0]["ref"] == "-1001:42"
    other = lead_store.add_note(lead_id, "Arandı, olumlu", "tg:111", ref="-1001:43")
    plain = lead_store.add_note(other["id"], "Elle eklenen", "Mehmet Deneme")
    assert [n.get("ref") for n in plain["notes"]] == ["-1001:42", "-1001:43", None]
    assert lead_store.get(lead_id) == plain


def test_a_failing_change_writes_nothing(lead_store):
    lead_id = lead_store.add(make_lead(1))
    before = lead_store.get(lead_id)

    def half_done(lead):
        lead["firm"] = "yarım kalan"
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        lead_store.modify(lead_id, half_done)
    with pytest.raises(LeadNotFound):
        lead_store.modify_many([lead_id, 999], lambda leads: None)
    assert lead_store.get(lead_id) == before


def test_list_filters(lead_store):
    lead_store.add(make_lead(1, created_at="2026-11-01T10:00:00+00:00"))
    lead_store.add(make_lead(2, centre="corum", created_at="2026-11-02T23:59:00+00:00"))
    lead_store.add(make_lead(3, created_at="2026-11-03T00:00:00+00:00", submission_key="w3"))
    lead_store.update_status(3, "iletisime_gecildi", "x")
    lead_store.mark_announced(1, ok=True)

    def ids(**where):
        return [x["id"] for x in lead_store.list(LeadFilter(**where))]

    assert ids() == [1, 2, 3]
    assert ids(centre="samsun") == [1, 3]
    assert ids(status="İletişime geçildi") == [3]
    assert ids(since=dt.date(2026, 11, 2)) == [2, 3]
    assert ids(until="2026-11-02") == [1, 2]
    assert ids(since="2026-11-02", until="2026-11-02") == [2]
    assert ids(until="2026-11-02T23:59:00+00:00") == [1, 2]  # a moment: inclusive
    assert ids(undelivered=True) == [2, 3]
    assert ids(undelivered=False) == [1]
    assert ids(user_key="tg:1002") == [2]
    assert ids(submission_key="w3") == [3]
    assert ids(created_before=dt.datetime(2026, 11, 3, tzinfo=dt.UTC)) == [1, 2]
    assert ids(centre="samsun", status="yeni", undelivered=False) == [1]
    assert lead_store.count(LeadFilter(centre="samsun")) == 2
    assert lead_store.count(LeadFilter(status="yeni")) == 2


def test_find_and_delete_by_user_really_removes(backend, lead_store):
    lead_store.add(make_lead(1, user_key="tg:42", firm="Silinecek Deneme", phone="+905009998877"))
    lead_store.add(make_lead(2, user_key="tg:43"))
    lead_store.add(make_lead(3, user_key="tg:42", firm="Silinecek İkinci Deneme"))
    assert [x["id"] for x in lead_store.find_by_user("tg:42")] == [1, 3]
    assert lead_store.delete_by_user("tg:42") == 2
    assert lead_store.find_by_user("tg:42") == []
    assert lead_store.delete_by_user("tg:42") == 0
    with pytest.raises(ValueError):
        lead_store.delete_by_user("")
    text = backend.raw_text(lead_store)
    assert "Silinecek" not in text and "+905009998877" not in text and "tg:42" not in text
    assert [x["id"] for x in lead_store.list()] == [2]


def test_purge_older_than(backend, lead_store):
    now = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)
    lead_store.add(make_lead(1, created_at="2025-01-01T00:00:00+00:00"))
    lead_store.add(make_lead(2, created_at="2026-10-25T11:59:00+00:00"))  # 31 days old
    lead_store.add(make_lead(3, created_at="2026-11-20T00:00:00+00:00"))
    lead_store.add(make_lead(4, created_at="2026-10-26T12:00:00+00:00"))  # exactly 30 days
    assert lead_store.purge_older_than(30, now=now) == 2
    assert [x["id"] for x in lead_store.list()] == [3, 4]
    assert "2025-01-01" not in backend.raw_text(lead_store)
    with pytest.raises(ValueError):
        lead_store.purge_older_than(0)


def test_threads_get_unique_ids_and_lose_no_note(backend, lead_store):
    ids: list[int] = []
    lock = threading.Lock()
    location = backend.location(lead_store)
    first = lead_store.add(make_lead(0))

    def work(t):
        # Half the threads share the fixture's store, half open their own.
        mine = lead_store if t % 2 else backend.open_again(location)
        for n in range(10):
            lead_id = mine.add(make_lead(t * 100 + n))
            mine.add_note(first, f"t{t}-{n}", "x")
            with lock:
                ids.append(lead_id)
        if mine is not lead_store:
            close(mine)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(6)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=120)
    assert sorted(ids) == list(range(2, 62))
    notes = [n["text"] for n in lead_store.get(first)["notes"]]
    assert sorted(notes) == sorted(f"t{t}-{n}" for t in range(6) for n in range(10))


def test_processes_changing_one_lead_lose_no_update(backend, lead_store, tmp_path):
    """Four processes add leads and note and re-status one shared lead at the same time."""
    shared = lead_store.add(make_lead(0))
    location = backend.location(lead_store)
    go = tmp_path / "go"
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(4, mp_context=context) as pool:
        futures = [
            pool.submit(note_when_told, backend.name, location, str(go), shared, f"p{p}", 12)
            for p in range(4)
        ]
        go.touch()
        added = [f.result(timeout=90) for f in futures]
    lead = lead_store.get(shared)
    expected = sorted(f"p{p}-{n}" for p in range(4) for n in range(12))
    assert sorted(n["text"] for n in lead["notes"]) == expected
    assert len(lead["history"]) == 1 + 4 * 12  # every status change kept
    all_ids = sorted(i for ids in added for i in ids)
    assert all_ids == list(range(shared + 1, shared + 1 + 4 * 12))
