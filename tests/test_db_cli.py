"""`kume db upgrade`, the schema check at start-up, and `kume db migrate-from-tinydb` against a
real throw-away PostgreSQL (tests/support/pgcluster.py)."""

from __future__ import annotations

import pytest

from bot.cli.main import main as kume
from bot.leads.pg_store import PostgresLeadStore
from bot.leads.tinydb_store import open_tinydb_store
from bot.telegram.persistence import JsonPersistence
from tests.support.fake_operator import configured_operator
from tests.support.leads import make_lead
from tests.support.pgcluster import fresh_database
from tests.support.stores import require_postgres


@pytest.fixture
def empty_db(monkeypatch) -> str:
    require_postgres()
    url = fresh_database(empty=True)
    monkeypatch.setenv("KUME_DATABASE_URL", url)
    return url


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = kume(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_an_old_schema_refuses_with_one_line_until_upgraded(empty_db, capsys, tmp_path):
    code, _out, err = run(capsys, "leads", "list", "--data-dir", str(tmp_path))
    assert code == 2
    assert err.count("\n") == 1 and "kume db upgrade" in err and "sürüm 0" in err
    code, out, _ = run(capsys, "db", "status")
    assert code == 1 and "kume db upgrade" in out
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and "sürüm 0 → " in out
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and "şema güncel" in out
    code, out, _ = run(capsys, "db", "status")
    assert code == 0
    code, out, err = run(capsys, "leads", "list", "--data-dir", str(tmp_path))
    assert code == 0, err


def test_the_bot_refuses_to_start_on_an_old_schema(empty_db, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:test")
    monkeypatch.setenv("KUME_DATA_DIR", str(tmp_path))
    with configured_operator(tmp_path):  # not refused as a demo first
        code, _out, err = run(capsys, "bot", "--env-file", str(tmp_path / "none.env"))
    assert code == 2
    assert err.count("\n") == 1 and "kume db upgrade" in err


def _embedded_store(data_dir):
    """An embedded store with everything a lead can carry, a deleted lead and state."""
    store = open_tinydb_store(data_dir)
    first = store.add(make_lead(1, submission_key="walk-1", nace="31"))
    store.update_status_followup(first, "iletisime_gecildi", "tg:111", "tg:111", "2026-12-15")
    store.add_note(first, 'Ğüşİ not "tırnak"', "tg:111")
    store.mark_announced(first, ok=False)
    store.mark_announced(first, ok=True)
    second = store.add(make_lead(2, created_at="2026-10-01T08:00:00+00:00"))
    store.set_duplicates(second, [first])
    third = store.add(make_lead(3))
    store.erase_lead(third, "Ali Personel", "silme başvurusu")  # the id counter is past it
    store.bump_funnel("fuar", None, "started")
    store.bump_funnel("fuar", "samsun", "consented")
    persistence = JsonPersistence(data_dir / "bot_state.json")
    import asyncio

    asyncio.run(persistence.persist_user_now(1001, {"mode": "walk", "walk": {"answers": {}}}))
    return store


def test_migrate_from_tinydb_is_lossless_and_safe_to_rerun(capsys, tmp_path, monkeypatch):
    require_postgres()
    url = fresh_database()
    monkeypatch.setenv("KUME_DATABASE_URL", url)
    data_dir = tmp_path / "data"
    embedded = _embedded_store(data_dir)
    code, out, err = run(capsys, "db", "migrate-from-tinydb", str(data_dir))
    assert code == 0, err
    assert "kopyalanan kayıt: 2" in out and "sıradaki kayıt numarası 4" in out
    pg = PostgresLeadStore(url)
    try:
        assert pg.list() == embedded.list()  # every field of every lead, ids included
        assert pg.audit_log() == embedded.audit_log()
        assert pg.funnel_counts() == embedded.funnel_counts()
        assert pg.find_by_submission("walk-1")["id"] == 1
        assert pg.add(make_lead(1, submission_key="walk-1")) == 1  # still idempotent
        # the counter moved past the erased #3: a new lead never gets a number given before
        assert pg.add(make_lead(9)) == 4

        # Re-run: nothing doubles; what the embedded store gained since is taken over.
        embedded.bump_funnel("fuar", None, "started")
        new = embedded.add(make_lead(5))  # #4 in the embedded store: taken in PostgreSQL
        code, out, _ = run(capsys, "db", "migrate-from-tinydb", str(data_dir / "leads.json"))
        assert code == 1 and f"#{new}" in out  # a different lead there: reported, untouched
        assert pg.get(4)["firm"] == "Deneme Makina 9 Ltd."
        counts = {(c["source"], c["centre"], c["stage"]): c["count"] for c in pg.funnel_counts()}
        assert counts == {("fuar", None, "started"): 2, ("fuar", "samsun", "consented"): 1}
        assert pg.audit_log() == embedded.audit_log()
        assert len(pg.list()) == 3
        code, out, _ = run(capsys, "db", "migrate-from-tinydb", str(data_dir))
        counts = {(c["source"], c["centre"], c["stage"]): c["count"] for c in pg.funnel_counts()}
        assert counts[("fuar", None, "started")] == 2  # a third run adds nothing
        import psycopg

        with psycopg.connect(url) as conn:
            (data,) = conn.execute("SELECT data FROM bot_users WHERE user_id = 1001").fetchone()
        assert '"mode":"walk"' in data
    finally:
        pg.close()


def test_migrate_refuses_a_missing_store(capsys, tmp_path, monkeypatch):
    require_postgres()
    monkeypatch.setenv("KUME_DATABASE_URL", fresh_database())
    code, _out, err = run(capsys, "db", "migrate-from-tinydb", str(tmp_path / "yok"))
    assert code == 2 and "bulunamadı" in err
