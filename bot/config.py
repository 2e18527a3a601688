"""Settings of every front end, from the environment or a `.env` file (the environment wins).

The one place that reads `KUME_*` / `TELEGRAM_*` variables and holds their defaults (the
retention period included). Centre ids are not listed here: they come from
content/project.yaml. Errors are Turkish (`SettingsError`): the person starting the bot or
running `kume leads` reads them.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.config_values import (
    SettingsError,
    centre_ids,
    clock_time,
    crash_points,
    database_url_value,
    http_client_name,
    parse_ids,
    parse_staff,
    parse_staff_chats,
    port_number,
    positive_int,
    time_zone,
)

__all__ = [
    "DEFAULT_BASE_URL", "DEFAULT_DATA_DIR", "DEFAULT_RETENTION_DAYS", "DEFAULT_SITE_URL",
    "DEMO_SITE_HOST", "STATE_FILE", "Settings", "SettingsError", "centre_ids", "parse_staff",
    "parse_staff_chats",
]  # fmt: skip

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
DEFAULT_SITE_URL = "https://kume-asistani.example/"
DEFAULT_DATA_DIR = "data"
DEFAULT_RETENTION_DAYS = 365
STATE_FILE = "bot_state.json"
DEMO_SITE_HOST = "kume-asistani.example"  # DEFAULT_SITE_URL's host: no real site behind it


@dataclass(frozen=True)
class Settings:
    token: str = ""
    base_url: str = DEFAULT_BASE_URL
    data_dir: Path = Path(DEFAULT_DATA_DIR)
    site_url: str = DEFAULT_SITE_URL
    staff: dict[str, frozenset[int]] = field(default_factory=dict)  # centre id -> user ids
    admins: frozenset[int] = frozenset()
    staff_chats: dict[str, int] = field(default_factory=dict)  # centre id -> chat id
    retention_days: int = DEFAULT_RETENTION_DAYS
    webhook_url: str = ""
    webhook_secret: str = ""
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    announce_retry_seconds: int = 300
    http_timeout: float = 10.0
    # Bot API connections. httpcore scans its whole pool for every queued request, so PTB's
    # default of 256 costs CPU under load; 32 covers 640 calls/s at 50 ms per call.
    http_pool_size: int = 32
    http_client: str = "aiohttp"
    staff_name: str = ""  # who `kume leads status/note` records when --by is not given
    test_crash_at: str = ""  # tests only: KUME_TEST_CRASH_AT (bot/crashpoints.py)
    export_dir: Path | None = None  # where `kume leads export` writes (default: data/exports)
    digest_time: str = "08:30"  # local time of the daily digest in each centre staff chat
    digest_stale_days: int = 3  # a lead left in "yeni" longer than this is listed
    timezone: str = "Europe/Istanbul"  # the staff's local time (digest, follow-up days)
    # The deployment's operator file (KUME_OPERATOR_FILE); "" is content/operator.yaml, empty
    # in the repository: a demo, on which `kume bot` refuses to start.
    operator_file: str = ""
    # postgresql://… : leads and conversation state in PostgreSQL (several bot processes may
    # share it); empty: the embedded TinyDB store and JSON state in data_dir (issue 12)
    database_url: str = ""
    # Connections per bot process for conversation state; each update in flight holds one
    # (its user's lock), so this bounds the updates a process serves at once.
    database_pool: int = 40

    # PTB appends "<token>/<method>" to base_url and "<token>/<path>" to base_file_url.
    @property
    def base_file_url(self) -> str:
        """File download address for base_url: ".../bot" → ".../file/bot"."""
        root, sep, _ = self.base_url.rstrip("/").rpartition("/")
        if not sep:
            return self.base_url.rstrip("/") + "/file/bot"
        return f"{root}/file/bot"

    @property
    def persistence_path(self) -> Path:
        return self.data_dir / STATE_FILE

    @property
    def exports_path(self) -> Path:
        """Where exports go: KUME_EXPORT_DIR, else `exports` in the data directory (never
        the current directory, which may be a repository)."""
        return self.export_dir or self.data_dir / "exports"

    @property
    def shell_user(self) -> str:
        """The name `kume leads` records: KUME_STAFF_NAME, else the login name."""
        if self.staff_name:
            return self.staff_name
        try:
            return getpass.getuser()
        except Exception:  # no login name (a container without a passwd entry)
            return "personel"

    def centres_of(self, user_id: int | None) -> frozenset[str]:
        """Centres a user may see: all for admins, their own for staff, none otherwise."""
        if user_id is None:
            return frozenset()
        if user_id in self.admins:
            return frozenset(centre_ids()) | frozenset(self.staff) | frozenset(self.staff_chats)
        return frozenset(c for c, uids in self.staff.items() if user_id in uids)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.admins

    @classmethod
    def from_env(
        cls,
        environ: Mapping[str, str] | None = None,
        dotenv_path: str | os.PathLike[str] | None = ".env",
    ) -> Settings:
        """Read settings; `.env` values fill only what the environment does not set."""
        env: dict[str, str] = {}
        if dotenv_path and Path(dotenv_path).is_file():
            from dotenv import dotenv_values

            env.update({k: v for k, v in dotenv_values(dotenv_path).items() if v is not None})
        env.update(os.environ if environ is None else environ)

        def get(name: str, default: str = "") -> str:
            return (env.get(name) or default).strip()

        base_url = get("TELEGRAM_BASE_URL", DEFAULT_BASE_URL)
        if not base_url.startswith(("http://", "https://")):
            raise SettingsError(
                f"TELEGRAM_BASE_URL geçersiz: «{base_url}»; http:// ya da https:// ile başlamalı"
            )
        from eligibility.content import OPERATOR_FILE_ENV

        site_url = get("KUME_SITE_URL", DEFAULT_SITE_URL)
        if not site_url.endswith("/"):
            site_url += "/"
        return cls(
            token=get("TELEGRAM_BOT_TOKEN"),
            base_url=base_url.rstrip("/"),
            data_dir=Path(get("KUME_DATA_DIR", DEFAULT_DATA_DIR)),
            site_url=site_url,
            staff=parse_staff(get("KUME_STAFF")),
            admins=frozenset(parse_ids("KUME_ADMINS", get("KUME_ADMINS"))),
            staff_chats=parse_staff_chats(get("KUME_STAFF_CHATS")),
            retention_days=positive_int(
                "KUME_RETENTION_DAYS", get("KUME_RETENTION_DAYS", str(DEFAULT_RETENTION_DAYS))
            ),
            webhook_url=get("KUME_WEBHOOK_URL"),
            webhook_secret=get("KUME_WEBHOOK_SECRET"),
            webhook_listen=get("KUME_WEBHOOK_LISTEN", "127.0.0.1"),
            webhook_port=port_number(get("KUME_WEBHOOK_PORT", "8443")),
            announce_retry_seconds=positive_int(
                "KUME_ANNOUNCE_RETRY_SECONDS", get("KUME_ANNOUNCE_RETRY_SECONDS", "300")
            ),
            http_timeout=float(positive_int("KUME_HTTP_TIMEOUT", get("KUME_HTTP_TIMEOUT", "10"))),
            http_pool_size=positive_int("KUME_HTTP_POOL_SIZE", get("KUME_HTTP_POOL_SIZE", "32")),
            http_client=http_client_name(get("KUME_HTTP_CLIENT", "aiohttp")),
            staff_name=get("KUME_STAFF_NAME"),
            test_crash_at=crash_points(get("KUME_TEST_CRASH_AT")),
            export_dir=Path(get("KUME_EXPORT_DIR")) if get("KUME_EXPORT_DIR") else None,
            digest_time=clock_time("KUME_DIGEST_TIME", get("KUME_DIGEST_TIME", "08:30")),
            digest_stale_days=positive_int(
                "KUME_DIGEST_STALE_DAYS", get("KUME_DIGEST_STALE_DAYS", "3")
            ),
            timezone=time_zone(get("KUME_TIMEZONE", "Europe/Istanbul")),
            operator_file=get(OPERATOR_FILE_ENV),
            database_url=database_url_value(get("KUME_DATABASE_URL")),
            database_pool=positive_int("KUME_DATABASE_POOL", get("KUME_DATABASE_POOL", "40")),
        )

    def require_token(self) -> str:
        if not self.token:
            raise SettingsError(
                "TELEGRAM_BOT_TOKEN tanımlı değil. BotFather'dan aldığınız anahtarı ortam "
                "değişkenine ya da .env dosyasına yazın: TELEGRAM_BOT_TOKEN=123456:ABC..."
            )
        if ":" not in self.token:
            raise SettingsError("TELEGRAM_BOT_TOKEN biçimi hatalı; «sayı:anahtar» biçiminde olmalı")
        return self.token

    def use_operator_file(self) -> None:
        """eligibility.content reads the operator file from the environment; a value that
        came from `.env` is handed on to it before the content is first loaded."""
        from eligibility.content import OPERATOR_FILE_ENV

        if self.operator_file:
            os.environ[OPERATOR_FILE_ENV] = self.operator_file

    def require_operator(self) -> None:
        """Refuses a demo configuration: the bot collects personal data, so the operator and
        the KVKK data controller must be named (KVKK md. 10) before it starts. One Turkish
        line naming the missing fields of the operator file."""
        from eligibility.content import OPERATOR_FILE_ENV, ContentError, get_content

        self.use_operator_file()
        try:
            missing = get_content().operator.missing_fields()
        except ContentError as exc:
            reason = " ".join(str(exc).split())
            raise SettingsError(f"işletmeci dosyası okunamadı: {reason}") from None
        if missing:
            where = self.operator_file or "content/operator.yaml"
            raise SettingsError(
                "Bot başlatılmadı: hizmeti işleten kuruluş ve veri sorumlusu tanımlı değil "
                f"(deneme kurulumu). {where} içinde eksik alanlar: {', '.join(missing)}. "
                f"Kurulumunuzun dosyasını {OPERATOR_FILE_ENV} ile gösterin; kume doctor "
                "eksikleri listeler."
            )

    def require_webhook(self) -> None:
        if not self.webhook_url:
            raise SettingsError("--webhook için KUME_WEBHOOK_URL tanımlanmalı (https://…)")
        if not self.webhook_secret:
            raise SettingsError(
                "--webhook için KUME_WEBHOOK_SECRET tanımlanmalı; gizli anahtar olmadan "
                "webhook başlatılmaz"
            )
        allowed = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")
        if not (1 <= len(self.webhook_secret) <= 256) or set(self.webhook_secret) - allowed:
            raise SettingsError(
                "KUME_WEBHOOK_SECRET 1–256 karakter olmalı ve yalnızca A-Z, a-z, 0-9, _ ve - "
                "içermeli"
            )
