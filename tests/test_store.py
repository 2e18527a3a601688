"""Lead store: CRUD, filters, file safety (mode, atomic writes) and concurrent writers."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bot import atomicfile
from bot.leads.backend import open_store
from bot.leads.filters import LeadFilter
from bot.leads.progress import compute_progress, firm_key, format_progress_tr, progress
from bot.leads.record import (
    STATUS_LABELS,
    InvalidStatus,
    Status,
    history_entry,
    is_normal_transition,
    parse_status,
)
from bot.leads.store import StoreCorrupt
from bot.leads.tinydb_store import TinyDBLeadStore
from tests.support.leads import make_lead

ROOT = Path(__file__).resolve().parent.parent


def raw_file(store: TinyDBLeadStore) -> dict:
    return json.loads(store.path.read_text(encoding="utf-8"))


# --- model --------------------------------------------------------------------------------


def test_status_names_and_labels():
    assert parse_status("kumeye_katildi") == "kumeye_katildi"
    assert parse_status("Kümeye katıldı") == "kumeye_katildi"
    assert parse_status("İLETİŞİME GEÇİLDİ") == "iletisime_gecildi"
    assert parse_status("ilgilenmiyor") == "ilgilenmiyor"
    assert STATUS_LABELS[Status.ILETISIME_GECILDI] == "İletişime geçildi"
    with pytest.raises(InvalidStatus, match="bilinmeyen durum"):
        parse_status("bitti")


def test_transitions():
    assert is_normal_transition("yeni", "iletisime_gecildi")
    assert is_normal_transition("iletisime_gecildi", "kumeye_katildi")
    assert is_normal_transition("iletisime_gecildi", "ilgilenmiyor")
    assert not is_normal_transition("yeni", "kumeye_katildi")
    assert not is_normal_transition("kumeye_katildi", "yeni")


def test_history_entry_is_utc_iso():
    entry = history_entry("yeni", "Ayşe Deneme")
    assert entry["status"] == "yeni" and entry["by"] == "Ayşe Deneme"
    assert dt.datetime.fromisoformat(entry["at"]).utcoffset() == dt.timedelta(0)


def test_new_lead_has_every_documented_field():
    lead = make_lead()
    for field in (
        "id",
        "created_at",
        "source",
        "user_key",
        "consent",
        "firm",
        "contact_name",
        "phone",
        "email",
        "province",
        "centre",
        "centre_override",
        "sector",
        "size_band",
        "role",
        "needs_text",
        "matched_activities",
        "eligibility",
        "status",
        "history",
        "notes",
        "announced",
        "announce_attempts",
    ):
        assert field in lead, field
    assert lead["status"] == "yeni" and lead["announced"] is False
    assert lead["history"][0]["status"] == "yeni"
    with pytest.raises(ValueError):
        make_lead(size_band="çok")


# CRUD, filters, ids, purge and concurrent writers of every backend: tests/test_store_contract.py


# --- file safety --------------------------------------------------------------------------


def test_modes(tmp_path):
    store = open_store(tmp_path / "fresh")
    assert store.list() == [] and store.audit_log() == []
    assert not (tmp_path / "fresh").exists()  # reading creates nothing (issue 11)
    store.add(make_lead(1))
    assert stat.S_IMODE(os.stat(tmp_path / "fresh").st_mode) == 0o700
    for n in range(3):
        store.add_note(1, f"not {n}", "x")
        assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    for lock in (f"{store.path}.lock", f"{store.path}.queue.lock"):
        assert stat.S_IMODE(os.stat(lock).st_mode) & 0o077 == 0


def test_failed_replace_keeps_previous_file(store, monkeypatch):
    store.add(make_lead(1))
    before = store.path.read_bytes()

    def boom(src, dst):
        raise OSError("disk gitti")

    monkeypatch.setattr(atomicfile.os, "replace", boom)
    with pytest.raises(OSError, match="disk gitti"):
        store.update_status(1, "iletisime_gecildi", "x")
    with pytest.raises(OSError):
        store.add(make_lead(2))
    monkeypatch.undo()

    assert store.path.read_bytes() == before
    assert json.loads(before)["leads"]["1"]["status"] == "yeni"
    assert [p.name for p in store.path.parent.iterdir() if p.name.endswith(".tmp")] == []
    assert store.get(1)["status"] == "yeni"
    assert store.add(make_lead(2)) == 2  # still writable, lock released


def test_process_killed_mid_write_leaves_previous_file(store):
    store.add(make_lead(1))
    before = store.path.read_bytes()
    # The child dies (no cleanup, no lock release) after writing and syncing the temp
    # file but before the rename: a power cut at the worst moment.
    script = textwrap.dedent(
        f"""
        import os
        from bot.leads import backend as m
        os.replace = lambda *a: os._exit(9)
        m.open_store({str(store.path.parent)!r}).update_status(1, "ilgilenmiyor", "x")
        """
    )
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=60)
    assert result.returncode == 9
    assert store.path.read_bytes() == before
    assert store.get(1)["status"] == "yeni"
    assert store.update_status(1, "iletisime_gecildi", "x")["status"] == "iletisime_gecildi"


def test_corrupt_file_is_reported_and_left_alone(store):
    store.path.write_text('{"leads": {"1": ', encoding="utf-8")
    with pytest.raises(StoreCorrupt, match="geçerli JSON değil"):
        store.list()
    with pytest.raises(StoreCorrupt):
        store.add(make_lead(1))
    assert store.path.read_text(encoding="utf-8") == '{"leads": {"1": '


WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from bot.leads.record import new_lead
    from bot.leads.backend import open_store

    data_dir, name, rounds, go = sys.argv[1], sys.argv[2], int(sys.argv[3]), Path(sys.argv[4])
    while not go.exists():
        time.sleep(0.005)
    store = open_store(data_dir)
    for n in range(rounds):
        lead_id = store.add(new_lead(source="test", user_key=f"{name}:{n}", consent=None,
                                     firm=f"Deneme {name} {n}", centre="corum"))
        store.add_note(1, f"{name}-{n}", name)
        store.update_status(lead_id, "iletisime_gecildi", name)
    """
)


def test_many_processes_write_concurrently(store, tmp_path):
    """Several processes (store API and `kume leads note`) hammer the same file."""
    store.add(make_lead(0, firm="Ortak Deneme Ltd."))
    go = tmp_path / "go"
    data_dir = str(store.path.parent)
    workers, rounds, cli_notes = 4, 15, 6
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, data_dir, f"p{i}", str(rounds), str(go)], cwd=ROOT
        )
        for i in range(workers)
    ]
    cli = "import sys; from bot.cli.main import main; sys.exit(main(sys.argv[1:]))"
    env = {**os.environ, "KUME_DATA_DIR": data_dir}
    go.touch()
    clis = [
        subprocess.Popen(
            [sys.executable, "-c", cli, "leads", "note", "1", f"cli-{i}", "--by", "cli"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for i in range(cli_notes)
    ]
    for p in procs:
        assert p.wait(timeout=240) == 0
    for p in clis:
        out, err = p.communicate(timeout=240)
        assert p.returncode == 0, err.decode()
        assert "not eklendi" in out.decode()

    data = raw_file(store)  # valid JSON
    leads = store.list()
    assert len(leads) == 1 + workers * rounds
    assert sorted(int(k) for k in data["leads"]) == list(range(1, 2 + workers * rounds))
    notes = [n["text"] for n in store.get(1)["notes"]]
    expected = {f"p{i}-{n}" for i in range(workers) for n in range(rounds)}
    expected |= {f"cli-{i}" for i in range(cli_notes)}
    assert sorted(notes) == sorted(expected)  # no lost update, no duplicate
    for lead in leads[1:]:
        assert lead["status"] == "iletisime_gecildi"
        assert [h["status"] for h in lead["history"]] == ["yeni", "iletisime_gecildi"]
    assert stat.S_IMODE(os.stat(store.path).st_mode) == 0o600
    assert [p.name for p in store.path.parent.iterdir() if p.name.endswith(".tmp")] == []


# --- progress -----------------------------------------------------------------------------


def test_firm_key_folds_names():
    assert firm_key({"firm": "DENEME MAKİNA LTD."}) == firm_key({"firm": "deneme makina ltd"})
    assert firm_key({"firm": "", "user_key": "tg:1"}) != firm_key({"firm": "", "user_key": "tg:2"})


def test_compute_progress_counts_unique_firms():
    small = {"size_band": "10-49", "role": "firma"}
    leads = [
        {
            **small,
            "id": 1,
            "firm": "Deneme Makina Ltd.",
            "centre": "samsun",
            "status": "kumeye_katildi",
            "announced": True,
        },
        {
            **small,
            "id": 2,
            "firm": "DENEME MAKİNA LTD",
            "centre": "samsun",
            "status": "yeni",
            "announced": False,
        },
        {
            **small,
            "id": 3,
            "firm": "Örnek Gıda",
            "centre": "corum",
            "status": "ilgilenmiyor",
            "announced": True,
        },
        {**small, "id": 4, "firm": "Yetim Deneme", "centre": None, "status": "yeni"},
    ]
    p = compute_progress(
        leads, [("corum", "Çorum"), ("samsun", "Samsun")], 400, 200, on=dt.date(2026, 11, 25)
    )
    assert (p.leads, p.reached, p.in_clusters, p.undelivered) == (4, 3, 1, 2)
    by_id = {c.id: c for c in p.centres}
    assert (by_id["samsun"].leads, by_id["samsun"].reached, by_id["samsun"].in_clusters) == (
        2,
        1,
        1,
    )
    assert by_id["corum"].by_status["ilgilenmiyor"] == 1
    assert by_id["belirsiz"].leads == 1
    text = format_progress_tr(p)
    assert "Ulaşılan KOBİ: 3 / 400 (%0,8)" in text
    assert "Kümeye katılan KOBİ: 1 / 200 (%0,5)" in text
    assert "Merkezi belirsiz" in text and "25.11.2026" in text
    assert p.to_json()["on"] == "2026-11-25"


def test_only_firms_under_250_employees_count_as_kobi():
    """Issue 11: a 250+ firm and a university each added one to "Ulaşılan KOBİ"."""
    leads = [
        make_lead(1, size_band="10-49"),
        make_lead(2, size_band="250+"),
        make_lead(3, role="universite", size_band=None, firm="Deneme Üniversitesi"),
        make_lead(4, role="oda", size_band=None, firm="Deneme Sanayi Odası"),
        make_lead(5, size_band=None),
    ]
    for n, lead in enumerate(leads, 1):
        lead["id"] = n
    p = compute_progress(leads, [("samsun", "Samsun")], 400, 200, on=dt.date(2026, 11, 25))
    assert (p.reached, p.large_firms, p.size_unknown) == (1, 1, 1)
    assert p.organisations == {"oda": 1, "universite": 1}
    text = format_progress_tr(p)
    assert "Ulaşılan KOBİ: 1 / 400" in text
    assert "Büyük firma (250 ve üzeri çalışan): 1" in text
    assert "Üniversite ya da araştırma kurumu: 1" in text
    assert "Sanayi ya da ticaret odası, borsa: 1" in text
    assert "Çalışan sayısını bildirmemiş firma: 1" in text
    assert "işletmecinin sayım kuralı" in text


def test_progress_reads_targets_and_centres_from_content(store):
    from eligibility.content import get_content

    content = get_content()
    store.add(make_lead(1, centre="gaziantep"))
    store.add(make_lead(2, centre="gaziantep"))
    store.update_status(2, "kumeye_katildi", "x")
    p = progress(store, content)
    assert p.reached_target == int(content.parameters["target_smes_reached"].at())
    assert p.in_clusters_target == int(content.parameters["target_smes_in_clusters"].at())
    assert [c.id for c in p.centres] == [c.id for c in content.project.centres]
    gaziantep = next(c for c in p.centres if c.id == "gaziantep")
    assert (gaziantep.reached, gaziantep.in_clusters, gaziantep.undelivered) == (2, 1, 2)


def test_busy_lock_gives_a_clear_error(tmp_path):
    from filelock import FileLock

    from bot.leads.store import StoreBusy

    store = TinyDBLeadStore(tmp_path / "leads.json", lock_timeout=0.2)
    holder = FileLock(f"{store.path}.lock")
    with holder, pytest.raises(StoreBusy, match="kilitli"):
        store.add(make_lead(1))
    assert store.add(make_lead(1)) == 1  # usable once the other holder lets go


async def test_usable_from_asyncio_threads(store):
    import asyncio

    ids = await asyncio.gather(*(asyncio.to_thread(store.add, make_lead(n)) for n in range(12)))
    assert sorted(ids) == list(range(1, 13))


def test_a_hundred_and_fifty_leads_behave(store):
    """Bulk behaviour only (timings are measured elsewhere, never asserted)."""
    centres = ["corum", "gaziantep", "kahramanmaras", "samsun", "trabzon"]
    for n in range(150):
        store.add(make_lead(n, centre=centres[n % 5], user_key=f"tg:{n % 7}"))
    assert store.count() == 150
    assert store.count(LeadFilter(centre="trabzon")) == 30
    assert store.delete_by_user("tg:0") == len(range(0, 150, 7))
    assert store.count() == 150 - len(range(0, 150, 7))
    assert len(raw_file(store)["leads"]) == store.count()


def test_storage_works_with_plain_tinydb(tmp_path):
    from tinydb import Query, TinyDB

    from bot.leads.tinydb_store import AtomicJSONStorage

    path = tmp_path / "plain.json"
    with TinyDB(path, storage=AtomicJSONStorage) as db:
        db.insert({"firm": "Deneme Makina Ltd."})
        db.insert({"firm": "Örnek Gıda"})
        db.update({"firm": "Örnek Gıda A.Ş."}, Query().firm == "Örnek Gıda")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    data = json.loads(path.read_text(encoding="utf-8"))
    assert sorted(d["firm"] for d in data["_default"].values()) == [
        "Deneme Makina Ltd.",
        "Örnek Gıda A.Ş.",
    ]


def test_lone_surrogate_text_keeps_the_file_valid_utf8(store):
    store.add(make_lead(1))
    store.add_note(1, "bozuk \udcff bayt", "x")
    assert store.path.read_bytes().decode("utf-8")  # strict: valid UTF-8
    assert store.get(1)["notes"][-1]["text"] == "bozuk \udcff bayt"
    assert store.update_status(1, "iletisime_gecildi", "x")["status"] == "iletisime_gecildi"
