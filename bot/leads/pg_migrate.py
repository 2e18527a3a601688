"""Moving up: an embedded TinyDB store copied into PostgreSQL (`kume db migrate-from-tinydb`).

Lossless: every lead with its own id and every field of its record as stored (history, notes,
consent, announcement state, submission key, follow-up fields, unknown extra keys), the
audit log, the funnel counters, the id counter (the database's sequence is moved up to the
embedded store's next id, never down), and the conversation state beside the store
(bot_state.json and its journal, read by the caller: walks in progress, confirmed-walk
markers).

Safe to re-run, in one transaction: a lead already in the database with the same record is
skipped; one whose record differs there (changed on either side since the last run) is left
as it is and reported, never overwritten; audit entries already present are skipped; funnel
counters add only what grew since the last run (kume_imports remembers what was taken).
Conversation state already in the database wins over the file's.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import psycopg

from bot.leads import pg_schema
from bot.leads.pg_store import dumps, lead_columns
from bot.leads.record import Lead, normalize_lead
from bot.leads.tinydb_store import DATA_FILE, TinyDBLeadStore


@dataclasses.dataclass
class Counts:
    leads: int = 0
    audit: int = 0
    funnel: int = 0  # sum of the counters
    users: int = 0  # conversation states
    next_id: int = 1

    def line(self) -> str:
        return (
            f"{self.leads} kayıt, {self.audit} denetim satırı, kaynak sayaçlarının toplamı "
            f"{self.funnel}, {self.users} sohbet durumu, sıradaki kayıt numarası {self.next_id}"
        )


@dataclasses.dataclass
class Report:
    source: Counts
    before: Counts
    after: Counts
    copied: int
    same: int
    differing: list[int]


def data_file(path: str | Path) -> Path:
    """PATH may be the data directory or its leads.json."""
    path = Path(path)
    return path / DATA_FILE if path.is_dir() else path


def source_counts(store: TinyDBLeadStore, state: dict[str, Any]) -> Counts:
    return Counts(
        leads=len(store.list()),
        audit=len(store.audit_log()),
        funnel=sum(int(c["count"]) for c in store.funnel_counts()),
        users=len(state.get("user_data", {})),
        next_id=store.id_counter(),
    )


def database_counts(conn: psycopg.Connection[Any]) -> Counts:
    def one(query: str) -> int:
        row = conn.execute(query.encode()).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    seq = conn.execute("SELECT last_value, is_called FROM lead_ids").fetchone()
    assert seq is not None
    return Counts(
        leads=one("SELECT count(*) FROM leads"),
        audit=one("SELECT count(*) FROM audit"),
        funnel=one("SELECT sum(count) FROM funnel"),
        users=one("SELECT count(*) FROM bot_users"),
        next_id=int(seq[0]) + 1 if seq[1] else int(seq[0]),
    )


def _copy_leads(conn: psycopg.Connection[Any], leads: list[Lead]) -> tuple[int, int, list[int]]:
    copied, same, differing = 0, 0, []
    for lead in leads:
        row = conn.execute("SELECT data FROM leads WHERE id = %s", (lead["id"],)).fetchone()
        if row is not None:
            if normalize_lead(json.loads(row[0])) | {"id": lead["id"]} == lead:
                same += 1
            else:
                differing.append(int(lead["id"]))
            continue
        columns = lead_columns(lead)
        conn.execute(
            "INSERT INTO leads (id, created_at, centre, status, user_key, submission_key,"
            " announced, data) VALUES (%(id)s, %(created_at)s, %(centre)s, %(status)s,"
            " %(user_key)s, %(submission_key)s, %(announced)s, %(data)s)",
            {"id": lead["id"], **columns},
        )
        copied += 1
    return copied, same, differing


def _copy_audit(conn: psycopg.Connection[Any], entries: list[dict[str, Any]]) -> None:
    present = {row[0] for row in conn.execute("SELECT entry FROM audit").fetchall()}
    for entry in entries:
        text = dumps(entry)
        if text not in present:
            conn.execute("INSERT INTO audit (entry) VALUES (%s)", (text,))
            present.add(text)


def _copy_funnel(conn: psycopg.Connection[Any], source: str, counts: list[dict[str, Any]]) -> None:
    row = conn.execute("SELECT funnel FROM kume_imports WHERE source = %s", (source,)).fetchone()
    taken = {tuple(k): int(n) for *k, n in json.loads(row[0])} if row else {}
    rows = []
    for c in counts:
        key = (c["source"], c["centre"] or "", c["stage"])
        grown = int(c["count"]) - taken.get(key, 0)
        if grown > 0:
            conn.execute(
                "INSERT INTO funnel (source, centre, stage, count) VALUES (%s, %s, %s, %s)"
                " ON CONFLICT (source, centre, stage) DO UPDATE SET count = funnel.count + %s",
                (*key, grown, grown),
            )
        rows.append([*key, max(int(c["count"]), taken.get(key, 0))])
    conn.execute(
        "INSERT INTO kume_imports (source, funnel) VALUES (%s, %s) ON CONFLICT (source)"
        " DO UPDATE SET funnel = excluded.funnel, last_at = now()",
        (source, json.dumps(rows)),
    )


def _copy_state(conn: psycopg.Connection[Any], state: dict[str, Any]) -> None:
    for uid, data in state.get("user_data", {}).items():
        conn.execute(
            "INSERT INTO bot_users (user_id, data) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (int(uid), dumps(data)),
        )
    for cid, data in state.get("chat_data", {}).items():
        conn.execute(
            "INSERT INTO bot_chats (chat_id, data) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            (int(cid), dumps(data)),
        )
    for name, states in state.get("conversations", {}).items():
        for key, value in states.items():
            conn.execute(
                "INSERT INTO bot_conversations (name, key, state) VALUES (%s, %s, %s)"
                " ON CONFLICT DO NOTHING",
                (name, key, json.dumps(value)),
            )


def _move_sequence_up(conn: psycopg.Connection[Any], next_id: int) -> None:
    current = database_counts(conn).next_id
    if next_id > current:
        conn.execute("SELECT setval('lead_ids', %s, true)", (next_id - 1,))


def migrate(path: str | Path, url: str, state: dict[str, Any] | None = None) -> Report:
    """Copies the embedded store at `path` into the database at `url` (on the current
    schema), with `state`, the conversation state of the JSON persistence beside it
    ({"user_data", "chat_data", "conversations"}: bot/telegram/persistence.py)."""
    file = data_file(path)
    if not file.exists():
        raise FileNotFoundError(str(file))
    store = TinyDBLeadStore(file)
    state = state or {}
    source = source_counts(store, state)
    leads = store.list()
    with psycopg.connect(url) as conn:
        pg_schema.check(conn)
        before = database_counts(conn)
        with conn.transaction():
            # One importer at a time; the bot's writers are not blocked (row-level work).
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (pg_schema.UPGRADE_LOCK,))
            copied, same, differing = _copy_leads(conn, leads)
            _copy_audit(conn, store.audit_log())
            _copy_funnel(conn, str(file.resolve()), store.funnel_counts())
            _copy_state(conn, state)
            _move_sequence_up(conn, source.next_id)
        after = database_counts(conn)
    return Report(source, before, after, copied, same, differing)
