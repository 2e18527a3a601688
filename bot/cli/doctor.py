"""`kume doctor`: checks a deployment's configuration and prints what is missing.

Token, staff ids and staff chats, the operator file (operator, KVKK data controller, centres),
the data directory's permissions and the site URL. Nothing is sent anywhere: the token's
shape is checked, not the token itself (Telegram may be unreachable from the server that is
being set up). Exit code 0 when the bot may start (no problem, warnings allowed), 1 when not.
"""

from __future__ import annotations

import argparse
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

from bot.config import DEMO_SITE_HOST, STATE_FILE, Settings, SettingsError, centre_ids

Level = Literal["ok", "warn", "problem"]
MARKS: dict[Level, str] = {"ok": "✔", "warn": "!", "problem": "✘"}
STORE_FILES = ("leads.json", STATE_FILE)


@dataclass(frozen=True)
class Finding:
    level: Level
    topic: str
    text: str

    def line(self) -> str:
        return f"  {MARKS[self.level]} {self.topic}: {self.text}"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "doctor",
        help="kurulumun ayarlarını denetler ve eksikleri listeler",
        description=(
            "Bir kurulumun ayarlarını denetler: bot anahtarı, personel ve personel sohbetleri, "
            "işletmeci dosyası (işletmeci, veri sorumlusu, merkezler), veri klasörünün izinleri "
            "ve site adresi. Çıkış kodu 0: bot başlatılabilir; 1: eksik var."
        ),
    )
    parser.add_argument("--env-file", default=".env", help="ayar dosyası (varsayılan: .env)")
    parser.set_defaults(func=run_doctor)


def run_doctor(args: argparse.Namespace) -> int:
    findings = diagnose(args.env_file)
    print("Küme Asistanı kurulum denetimi")
    for finding in findings:
        print(finding.line())
    problems = sum(f.level == "problem" for f in findings)
    warnings = sum(f.level == "warn" for f in findings)
    if problems:
        print(f"Sonuç: kurulum hazır değil ({problems} eksik, {warnings} uyarı).")
        return 1
    print(f"Sonuç: kurulum hazır ({warnings} uyarı).")
    return 0


def diagnose(env_file: str | None = ".env", environ: dict[str, str] | None = None) -> list[Finding]:
    try:
        settings = Settings.from_env(environ, dotenv_path=env_file)
    except SettingsError as exc:
        return [Finding("problem", "Ayarlar", f"okunamadı: {exc}")]
    return [
        *check_token(settings),
        *check_staff(settings),
        *check_operator(settings),
        *check_data_dir(settings.data_dir),
        *check_site(settings),
    ]


def check_token(settings: Settings) -> list[Finding]:
    try:
        settings.require_token()
    except SettingsError as exc:
        return [Finding("problem", "Bot anahtarı", str(exc))]
    text = "tanımlı, biçimi doğru (Telegram'a bağlanılarak denenmedi)"
    findings = [Finding("ok", "TELEGRAM_BOT_TOKEN", text)]
    if settings.webhook_url:
        try:
            settings.require_webhook()
        except SettingsError as exc:
            return [*findings, Finding("problem", "Webhook", str(exc))]
        if not settings.webhook_url.startswith("https://"):
            findings.append(Finding("problem", "KUME_WEBHOOK_URL", "https:// ile başlamalı"))
    return findings


def check_staff(settings: Settings) -> list[Finding]:
    findings: list[Finding] = []
    if not settings.staff and not settings.admins:
        findings.append(
            Finding("problem", "KUME_STAFF / KUME_ADMINS", "başvuruları izleyecek personel yok")
        )
    elif settings.admins:
        findings.append(Finding("ok", "KUME_ADMINS", f"{len(settings.admins)} yönetici"))
    for centre in centre_ids():
        people = settings.staff.get(centre, frozenset())
        chat = settings.staff_chats.get(centre)
        gaps = []
        if not people:
            gaps.append(
                "personeli yok (yalnızca yöneticiler görür)"
                if settings.admins
                else "personeli yok: başvurularını kimse göremez"
            )
        if chat is None:
            gaps.append(
                "personel sohbeti yok (KUME_STAFF_CHATS): yeni başvurular duyurulmaz, /durum "
                "listeler"
            )
        elif chat > 0:
            gaps.append(f"personel sohbeti {chat} bir grup değil, bir kişinin özel sohbeti")
        if gaps:
            findings.append(Finding("warn", f"merkez {centre}", "; ".join(gaps)))
        else:
            findings.append(
                Finding("ok", f"merkez {centre}", f"{len(people)} personel, personel sohbeti var")
            )
    return findings


def check_operator(settings: Settings) -> list[Finding]:
    from eligibility.content import ContentError, content_dir, load_content
    from eligibility.operator import centre_reach

    where = settings.operator_file or str(Path(content_dir()) / "operator.yaml")
    try:
        content = load_content(operator_file=settings.operator_file or None)
    except ContentError as exc:
        return [Finding("problem", "İşletmeci dosyası", " ".join(str(exc).split()))]
    operator = content.operator
    missing = operator.missing_fields()
    findings: list[Finding] = []
    if missing:
        findings.append(
            Finding(
                "problem",
                f"İşletmeci dosyası ({where})",
                f"eksik zorunlu alanlar: {', '.join(missing)}; bu hâliyle bir deneme kurulumu, "
                "kume bot başlamaz (KUME_OPERATOR_FILE ile kurulumun dosyasını gösterin)",
            )
        )
    else:
        text = f"işletmeci {operator.operator.name}, veri sorumlusu {operator.controller.name}"
        findings.append(Finding("ok", f"İşletmeci dosyası ({where})", text))
    ids = [c.id for c in content.project.centres]
    recommended = [m for m in operator.missing_recommended(ids) if not m.startswith("centres.")]
    if recommended:
        findings.append(
            Finding("warn", "İşletmeci dosyası", f"önerilen alanlar boş: {', '.join(recommended)}")
        )
    for cid in ids:
        reach = centre_reach(content, cid)
        if reach.active is False:
            findings.append(Finding("ok", f"merkez {cid}", "işletmeciye göre çalışmıyor"))
        elif reach.known and reach.active:
            labels = ", ".join(label for label, _ in reach.lines)
            findings.append(Finding("ok", f"merkez {cid}", f"çalışıyor; iletişim: {labels}"))
        else:
            findings.append(
                Finding(
                    "warn",
                    f"merkez {cid}",
                    "çalışıp çalışmadığı ya da iletişim bilgisi girilmemiş "
                    f"(centres.{cid}); kullanıcıya yalnızca ev sahibi kurum gösterilir",
                )
            )
    return findings


def _loose(mode: int) -> bool:
    return bool(stat.S_IMODE(mode) & 0o077)


def check_data_dir(directory: Path) -> list[Finding]:
    topic = f"Veri klasörü ({directory})"
    if not directory.exists():
        parent = directory.resolve().parent
        if parent.is_dir() and os.access(parent, os.W_OK):
            return [Finding("ok", topic, "yok; bot ilk açılışta 0700 izniyle oluşturur")]
        return [Finding("problem", topic, f"yok ve {parent} içinde oluşturulamıyor")]
    if not directory.is_dir():
        return [Finding("problem", topic, "bir klasör değil")]
    findings: list[Finding] = []
    if not os.access(directory, os.W_OK | os.X_OK):
        findings.append(Finding("problem", topic, "bu kullanıcı yazamıyor"))
    mode = directory.stat().st_mode
    if _loose(mode):
        findings.append(
            Finding(
                "problem",
                topic,
                f"başka kullanıcılar erişebiliyor (izin {stat.S_IMODE(mode):04o}); "
                f"kişisel veri içerir: chmod 700 {directory}",
            )
        )
    for name in STORE_FILES:
        path = directory / name
        if path.exists() and _loose(path.stat().st_mode):
            findings.append(
                Finding(
                    "problem",
                    topic,
                    f"{name} başka kullanıcılarca okunabiliyor "
                    f"(izin {stat.S_IMODE(path.stat().st_mode):04o}): chmod 600 {path}",
                )
            )
    return findings or [Finding("ok", topic, "yalnızca bu kullanıcı erişebiliyor")]


def check_site(settings: Settings) -> list[Finding]:
    url = urlparse(settings.site_url)
    if url.hostname == DEMO_SITE_HOST:
        return [
            Finding(
                "problem",
                "KUME_SITE_URL",
                "tanımlı değil: bot KVKK aydınlatma metnine ve faaliyet sayfalarına "
                f"{DEMO_SITE_HOST} adresinden bağlantı verir",
            )
        ]
    if url.scheme != "https":
        return [Finding("warn", "KUME_SITE_URL", f"{settings.site_url} https değil")]
    return [Finding("ok", "KUME_SITE_URL", settings.site_url)]
