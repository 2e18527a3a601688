"""`kume db …`: the PostgreSQL database of a growing deployment (KUME_DATABASE_URL).

`kume db upgrade` applies the schema migrations (bot/leads/pg_schema.py); the bot and the
shell refuse to start on an older schema. `kume db migrate-from-tinydb PATH` copies an
embedded store (a data directory or its leads.json) into the database, losslessly and safe to
re-run (bot/leads/pg_migrate.py), and prints the counts before and after.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli import shell
from bot.cli.errors import CliError, one_line

if TYPE_CHECKING:
    import psycopg


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = sub.add_parser("db", help="PostgreSQL veritabanı: şema güncelleme, gömülü kayıttan taşıma")
    db.add_argument("--database-url", metavar="URL", help="varsayılan: $KUME_DATABASE_URL")
    verbs = db.add_subparsers(dest="db_command", metavar="İŞLEM")
    upgrade = verbs.add_parser("upgrade", help="şema göçlerini uygular")
    upgrade.set_defaults(func=run_upgrade)
    status = verbs.add_parser("status", help="şema sürümünü gösterir")
    status.set_defaults(func=run_status)
    move = verbs.add_parser(
        "migrate-from-tinydb",
        help="gömülü kayıt dosyasını (veri klasörü ya da leads.json) veritabanına kopyalar",
    )
    move.add_argument("path", metavar="YOL", help="veri klasörü ya da leads.json")
    move.set_defaults(func=run_migrate)

    def usage(_args: argparse.Namespace) -> int:
        db.print_help()
        return 2

    db.set_defaults(func=usage)


def _url(args: argparse.Namespace) -> str:
    url = args.database_url or shell.settings().database_url
    if not url:
        raise CliError("KUME_DATABASE_URL tanımlı değil (ya da --database-url verin)")
    return str(url)


def _connect(args: argparse.Namespace) -> psycopg.Connection[Any]:
    import psycopg

    try:
        return psycopg.connect(_url(args))
    except psycopg.OperationalError as exc:
        raise CliError(one_line(f"veritabanına bağlanılamadı: {exc}")) from exc


def run_upgrade(args: argparse.Namespace) -> int:
    from bot.leads import pg_schema

    with _connect(args) as conn:
        before, after = pg_schema.upgrade(conn)
    if before == after:
        print(f"şema güncel (sürüm {after})")
    else:
        print(f"şema güncellendi: sürüm {before} → {after}")
    return 0


def run_status(args: argparse.Namespace) -> int:
    from bot.leads import pg_schema

    with _connect(args) as conn:
        version = pg_schema.current_version(conn)
    state = "güncel" if version == pg_schema.LATEST else "«kume db upgrade» gerekli"
    print(f"şema sürümü {version} (bu program {pg_schema.LATEST}): {state}")
    return 0 if version == pg_schema.LATEST else 1


def run_migrate(args: argparse.Namespace) -> int:
    from bot.leads import pg_migrate
    from bot.leads.store import StoreError
    from bot.telegram.persistence import JsonPersistence

    url = _url(args)
    file = pg_migrate.data_file(args.path)
    if not file.exists():
        raise CliError(one_line(f"kayıt dosyası bulunamadı: {file}"))
    state = JsonPersistence(Path(file).parent / "bot_state.json").state()
    try:
        report = pg_migrate.migrate(file, url, state)
    except StoreError as exc:
        raise CliError(one_line(str(exc))) from exc
    print(f"gömülü kayıt ({file}): {report.source.line()}")
    print(f"veritabanı önce: {report.before.line()}")
    print(f"veritabanı sonra: {report.after.line()}")
    print(f"kopyalanan kayıt: {report.copied}, zaten aynı olan: {report.same}")
    if report.differing:
        ids = ", ".join(f"#{i}" for i in report.differing)
        print(f"veritabanında farklı olan kayıtlara dokunulmadı: {ids}")
        return 1
    return 0
