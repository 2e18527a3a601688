"""The server backend of the leads store: PostgreSQL through psycopg 3 and its pool.

Chosen when KUME_DATABASE_URL is set (bot/leads/backend.py). The same `LeadStore` contract as
the embedded TinyDB store, and the same rules (bot/leads/rules.py): this module only stores
and finds. Each primitive is one transaction:

* `add`: ids from a sequence (`lead_ids`), which never goes back, deletions or not
  (rules.next_id's promise; a rolled-back add leaves a gap, never a reused number). A save
  with a submission key first takes a transaction-level advisory lock on that key and looks
  for it, so concurrent saves of one walk from any number of processes make one lead and
  use one number; the UNIQUE constraint on the column backs it up.
* `modify` / `modify_many`: `SELECT … FOR UPDATE` (row locks, in id order so that two merges
  cannot deadlock), the rule applied in Python, `UPDATE`; nothing is written when it raises.
* `delete` / `erase` / audit / funnel: plain statements; the funnel is an upsert.

Connections come from a `psycopg_pool.ConnectionPool` that checks each one before lending it,
so after a database restart the next call gets a fresh connection instead of an error. When
the server cannot be reached the call raises `StoreBusy` (a Turkish "try again later").
"""

from __future__ import annotations

import builtins
import contextlib
import dataclasses
import json
from collections.abc import Iterator, Mapping
from typing import Any

import psycopg
from psycopg import sql
from psycopg_pool import ConnectionPool, PoolTimeout

from bot.leads import pg_schema, rules
from bot.leads.filters import EVERY_LEAD, LeadFilter
from bot.leads.record import Lead, normalize_lead, parse_iso
from bot.leads.store import (
    FUNNEL_STAGES,
    Change,
    ChangeMany,
    LeadNotFound,
    LeadStore,
    StoreBusy,
)

POOL_TIMEOUT_S = 10.0
UNREACHABLE = "veritabanına şu an ulaşılamıyor; biraz sonra yeniden deneyin"
SUBMISSION_LOCK_SPACE = 7_314_100  # advisory lock (space, hashtext(key)) of one walk's save


def dumps(data: Mapping[str, Any]) -> str:
    """JSON text for a text column. A lone surrogate (which UTF-8 cannot carry) is kept as a
    \\u escape, as the embedded store does."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode()
    except UnicodeEncodeError:
        text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text


def _lead(lead_id: int, data: str) -> Lead:
    lead = normalize_lead(json.loads(data))
    lead["id"] = int(lead_id)
    return lead


def lead_columns(lead: Lead) -> dict[str, Any]:
    """The indexed columns of a lead (the whole record goes to `data`)."""
    return {
        "created_at": parse_iso(str(lead["created_at"])),
        "centre": lead.get("centre"),
        "status": lead["status"],
        "user_key": lead.get("user_key") or "",
        "submission_key": rules.submission_key(lead),
        "announced": bool(lead.get("announced")),
        "data": dumps(lead),
    }


# Filter fields and how each becomes SQL; a field missing here fails loudly (not ignored).
_EQUAL = ("centre", "status", "user_key", "submission_key")  # filter field = column
_TIMES = {"since", "until", "created_before"}


def where_clause(where: LeadFilter) -> tuple[sql.Composed, list[Any]]:
    """`where` as a SQL condition and its parameters (the same meaning as `where.matches`)."""
    parts: list[sql.Composable] = [sql.SQL("TRUE")]
    params: list[Any] = []
    for field in dataclasses.fields(where):
        value = getattr(where, field.name)
        if value is None or field.name in _TIMES:
            continue
        if field.name in _EQUAL:
            parts.append(sql.SQL("{} = %s").format(sql.Identifier(field.name)))
            params.append(value)
        elif field.name == "undelivered":
            parts.append(sql.SQL("NOT announced" if value else "announced"))
        else:
            raise NotImplementedError(f"LeadFilter.{field.name} has no SQL translation")
    for op, when in where.created_bounds():
        parts.append(sql.SQL("created_at {} %s").format(sql.SQL(op)))
        params.append(when)
    return sql.SQL(" AND ").join(parts), params


class PostgresLeadStore(LeadStore):
    def __init__(self, url: str, *, pool_size: int = 8, check_schema: bool = True) -> None:
        self.url = url
        self.pool = ConnectionPool(
            url,
            min_size=1,
            max_size=pool_size,
            open=False,
            check=ConnectionPool.check_connection,
            timeout=POOL_TIMEOUT_S,
            name="kume-leads",
        )
        self._opened = False
        self._check_schema = check_schema

    def close(self) -> None:
        if self._opened:
            self.pool.close()
            self._opened = False

    def open(self) -> PostgresLeadStore:
        """Opens the pool and checks the schema (SchemaMismatch: one Turkish line); StoreBusy
        when the server cannot be reached. Done by the first call otherwise."""
        if not self._opened:
            self.pool.open(wait=False)
            self._opened = True
            if self._check_schema:
                try:
                    with self.pool.connection() as conn:
                        pg_schema.check(conn)
                except (psycopg.OperationalError, PoolTimeout) as exc:
                    self.close()
                    raise StoreBusy(UNREACHABLE) from exc
                except pg_schema.SchemaMismatch:
                    self.close()
                    raise
        return self

    @contextlib.contextmanager
    def _tx(self) -> Iterator[psycopg.Connection[Any]]:
        """One transaction on a pooled connection (committed when the block succeeds)."""
        self.open()
        try:
            with self.pool.connection() as conn:
                yield conn
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise StoreBusy(UNREACHABLE) from exc

    # -- LeadStore primitives -------------------------------------------------------------

    def add(self, lead: Mapping[str, Any]) -> int:
        record = normalize_lead(lead)
        key = rules.submission_key(record)
        with self._tx() as conn:
            if key is not None:
                conn.execute(
                    "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (SUBMISSION_LOCK_SPACE, key)
                )
                row = conn.execute(
                    "SELECT id FROM leads WHERE submission_key = %s", (key,)
                ).fetchone()
                if row is not None:
                    return int(row[0])
            found = conn.execute("SELECT nextval('lead_ids')").fetchone()
            assert found is not None
            record["id"] = lead_id = int(found[0])
            columns = lead_columns(record)
            conn.execute(
                "INSERT INTO leads (id, created_at, centre, status, user_key, submission_key,"
                " announced, data) VALUES (%(id)s, %(created_at)s, %(centre)s, %(status)s,"
                " %(user_key)s, %(submission_key)s, %(announced)s, %(data)s)",
                {"id": lead_id, **columns},
            )
        return lead_id

    def get(self, lead_id: int) -> Lead:
        with self._tx() as conn:
            row = conn.execute("SELECT id, data FROM leads WHERE id = %s", (int(lead_id),))
            found = row.fetchone()
        if found is None:
            raise LeadNotFound(int(lead_id))
        return _lead(*found)

    def list(self, where: LeadFilter = EVERY_LEAD) -> builtins.list[Lead]:
        condition, params = where_clause(where)
        query = sql.SQL("SELECT id, data FROM leads WHERE {} ORDER BY id").format(condition)
        with self._tx() as conn:
            rows = conn.execute(query, params).fetchall()
        return [_lead(*row) for row in rows]

    def count(self, where: LeadFilter = EVERY_LEAD) -> int:
        condition, params = where_clause(where)
        query = sql.SQL("SELECT count(*) FROM leads WHERE {}").format(condition)
        with self._tx() as conn:
            row = conn.execute(query, params).fetchone()
        return int(row[0]) if row else 0

    def _write(self, conn: psycopg.Connection[Any], lead: Lead) -> None:
        conn.execute(
            "UPDATE leads SET created_at = %(created_at)s, centre = %(centre)s,"
            " status = %(status)s, user_key = %(user_key)s, submission_key = %(submission_key)s,"
            " announced = %(announced)s, data = %(data)s WHERE id = %(id)s",
            {"id": lead["id"], **lead_columns(lead)},
        )

    def _locked(self, conn: psycopg.Connection[Any], ids: builtins.list[int]) -> dict[int, Lead]:
        rows = conn.execute(
            "SELECT id, data FROM leads WHERE id = ANY(%s) ORDER BY id FOR UPDATE", (ids,)
        ).fetchall()
        return {int(row[0]): _lead(*row) for row in rows}

    def modify(self, lead_id: int, change: Change) -> Lead:
        lead_id = int(lead_id)
        with self._tx() as conn:
            found = self._locked(conn, [lead_id])
            if lead_id not in found:
                raise LeadNotFound(lead_id)
            lead = found[lead_id]
            change(lead)
            self._write(conn, lead)
        return lead

    def modify_many(self, lead_ids: builtins.list[int], change: ChangeMany) -> builtins.list[Lead]:
        ids = [int(i) for i in lead_ids]
        with self._tx() as conn:
            found = self._locked(conn, sorted(set(ids)))
            missing = [i for i in ids if i not in found]
            if missing:
                raise LeadNotFound(missing[0])
            leads = [found[i] for i in ids]
            change(leads)
            for lead in leads:
                self._write(conn, lead)
        return leads

    def delete(self, where: LeadFilter) -> int:
        condition, params = where_clause(where)
        with self._tx() as conn:
            cursor = conn.execute(sql.SQL("DELETE FROM leads WHERE {}").format(condition), params)
            return cursor.rowcount

    def erase(self, lead_id: int, entry: Mapping[str, Any]) -> None:
        with self._tx() as conn:
            cursor = conn.execute("DELETE FROM leads WHERE id = %s", (int(lead_id),))
            if cursor.rowcount == 0:
                raise LeadNotFound(int(lead_id))
            conn.execute("INSERT INTO audit (entry) VALUES (%s)", (dumps(entry),))

    def append_audit(self, entry: Mapping[str, Any]) -> None:
        with self._tx() as conn:
            conn.execute("INSERT INTO audit (entry) VALUES (%s)", (dumps(entry),))

    def audit_log(self) -> builtins.list[dict[str, Any]]:
        with self._tx() as conn:
            rows = conn.execute("SELECT entry FROM audit ORDER BY seq").fetchall()
        return [dict(json.loads(row[0])) for row in rows]

    def bump_funnel(self, source: str, centre: str | None, stage: str) -> None:
        if stage not in FUNNEL_STAGES:
            raise ValueError(f"unknown funnel stage {stage!r}")
        with self._tx() as conn:
            conn.execute(
                "INSERT INTO funnel (source, centre, stage, count) VALUES (%s, %s, %s, 1)"
                " ON CONFLICT (source, centre, stage) DO UPDATE SET count = funnel.count + 1",
                (source, centre or "", stage),
            )

    def funnel_counts(self) -> builtins.list[dict[str, Any]]:
        with self._tx() as conn:
            rows = conn.execute("SELECT source, centre, stage, count FROM funnel").fetchall()
        counts = [
            {"source": s, "centre": c or None, "stage": st, "count": int(n)} for s, c, st, n in rows
        ]
        return sorted(counts, key=lambda c: str((c["source"], c["centre"], c["stage"])))
