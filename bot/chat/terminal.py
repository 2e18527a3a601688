"""`kume chat`: the questionnaire in the terminal, for a machine without a Telegram token.

Walks the same engine as the bot (eligibility.questionnaire). Reads one line per answer, so
it works with a piped or scripted stdin. Commands: "geri", "başa", "çıkış" (or EOF/Ctrl-C):
quitting before the end saves nothing. A lead is saved only after KVKK consent and the
user's confirmation of the summary.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any, TextIO

from bot.cli.errors import CliError

DEFAULT_DATA_DIR = "data"
DEFAULT_RETENTION_DAYS = 365

COMMANDS = {
    "geri": "back",
    "onceki": "back",
    "basa": "restart",
    "bastan": "restart",
    "yeniden": "restart",
    "cikis": "quit",
    "cik": "quit",
    "quit": "quit",
    "exit": "quit",
    "yardim": "help",
    "?": "help",
}

HELP = (
    "Komutlar: «geri» bir önceki soruya döner, «başa» en baştan başlar, "
    "«çıkış» sohbeti bitirir (yarım kalan yanıtlar kaydedilmez)."
)


class Quit(Exception):
    """The user left: EOF, Ctrl-C or «çıkış»."""


class Chat:
    def __init__(self, stdin: TextIO, stdout: TextIO, data_dir: Path):
        self.stdin = stdin
        self.stdout = stdout
        self.data_dir = data_dir
        self.echo = not _isatty(stdin)  # a scripted transcript shows what was answered

    # --- input / output ---------------------------------------------------------------

    def say(self, text: str = "") -> None:
        self.stdout.write(text + "\n")
        self.stdout.flush()

    def read(self) -> str:
        self.stdout.write("> ")
        self.stdout.flush()
        line = self.stdin.readline()
        if not line:
            raise Quit
        line = line.rstrip("\r\n")
        if self.echo:
            self.say(line)
        return line

    def command(self, line: str) -> str | None:
        from eligibility.text import fold

        return COMMANDS.get(fold(line).strip(" .!"))

    # --- flow -------------------------------------------------------------------------

    def run(self, path_id: str | None) -> int:
        from eligibility import questionnaire as q
        from eligibility.content import ContentError, get_content

        try:  # a broken content/ fails here, before any question is asked
            get_content()
            definition = q.get_questionnaire()
        except ContentError as exc:
            raise CliError(f"içerik yüklenemedi: {' '.join(str(exc).split())}") from exc

        self.say("Küme Asistanı — Kümelenme Destek Programı yardımcısı")
        self.say(HELP)
        path_id = path_id or self.choose_path(definition)
        path = definition.paths[path_id]
        self.say()
        self.say(f"== {path.title} ==")
        self.say(" ".join(path.intro.split()))
        session = q.start(path_id, definition)
        step = q.current_step(session, definition)
        while step.kind != "result":
            self.show(step)
            line = self.read()
            action = self.command(line)
            if action == "quit":
                raise Quit
            if action == "help":
                self.say(HELP)
                continue
            if action == "back":
                step = q.back(session, definition)
            elif action == "restart":
                self.say("Baştan başlıyoruz.")
                step = q.restart(session, definition)
            else:
                step = q.answer(session, line, definition)
        return self.finish(session, step, path)

    def choose_path(self, definition: Any) -> str:
        from eligibility.text import fold

        paths = list(definition.paths.values())
        while True:
            self.say()
            self.say("Ne yapmak istersiniz?")
            for i, path in enumerate(paths, 1):
                self.say(f"  {i}) {path.title}")
            line = self.read()
            if self.command(line) == "quit":
                raise Quit
            text = fold(line).strip(" .)")
            if text.isdigit() and 1 <= int(text) <= len(paths):
                return paths[int(text) - 1].id
            for path in paths:
                if text in {path.id, fold(path.title)}:
                    return path.id
            self.say("Lütfen seçeneklerden birinin numarasını yazın, örneğin 1.")

    def show(self, step: Any) -> None:
        if step.question is None:  # summary, or an unclear answer at the summary
            self.say()
            if step.kind == "reask":
                self.say("Bu yanıtı anlayamadım.")
            self.say(step.message or "Özet:")
            for label, value in step.summary:
                self.say(f"  • {label}: {value}")
            self.say(step.prompt or step.hint or "")
            return
        question = step.question
        self.say()
        if step.message:
            self.say(f"! {step.message}")
        if step.kind == "reask" and step.hint:
            self.say(f"İpucu: {step.hint}")
        if question.kind == "consent":
            notice = kvkk_notice()
            if notice:
                self.say(notice)
                self.say()
        self.say(f"[{step.progress}] {' '.join(question.text.split())}")
        for i, option in enumerate(question.options, 1):
            self.say(f"  {i}) {option.label}")
        if question.kind in {"yesno", "consent"}:
            self.say("  (evet / hayır)")
        elif not question.required:
            self.say("  (atlamak için «geç» yazın)")

    # --- result -----------------------------------------------------------------------

    def finish(self, session: Any, step: Any, path: Any) -> int:
        from eligibility.content import get_content

        content = get_content()
        result = step.result
        self.say()
        self.say("== Sonuç ==")
        if result.verdict is not None:
            for line in verdict_lines(result.verdict, content):
                self.say(line)
            return 0
        for line in firm_lines(result, content):
            self.say(line)
        self.say()
        if not result.consent:
            self.say("Onay vermediğiniz için hiçbir bilginiz kaydedilmedi.")
            return 0
        lead_id = self.save_lead(session, content)
        centre = f" {result.routing.centre.host}" if result.routing else ""
        self.say(f"Başvurunuz kaydedildi. Kayıt numaranız: {lead_id}.")
        self.say(f"Kümelenme Bilgi Merkezi ({centre.strip()}) sizinle iletişime geçecek.")
        return 0

    def save_lead(self, session: Any, content: Any) -> int:
        from bot.leads.intake import build_lead
        from bot.leads.store import StoreError, open_store

        lead = build_lead(
            session,
            user_key=f"cli:{uuid.uuid4()}",
            source="chat",
            consent_version=content.kvkk.version,
            consent_at=session.consent_at,
            content=content,
        )
        try:
            return open_store(self.data_dir).add(lead)
        except StoreError as exc:
            raise CliError(f"başvuru kaydedilemedi ({self.data_dir}): {exc}") from exc
        except OSError as exc:
            raise CliError(
                f"başvuru kaydedilemedi ({self.data_dir}): {exc.strerror or exc}"
            ) from exc


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def kvkk_notice() -> str:
    from eligibility.content import get_content

    try:
        kvkk = get_content().kvkk
    except Exception:  # the consent question itself still explains what is stored
        return ""
    days = os.environ.get("KUME_RETENTION_DAYS") or str(DEFAULT_RETENTION_DAYS)
    return " ".join(kvkk.short_notice.replace("{retention_days}", days).split())


def _activity_line(activity: dict[str, Any], categories: dict[int, str]) -> str:
    category = categories.get(activity.get("category"), "")
    prefix = f"[Kategori {activity.get('category')}: {category}] " if category else ""
    return f"    – {prefix}{activity['title']} ({activity['id']})"


def verdict_lines(verdict: Any, content: Any) -> list[str]:
    from eligibility.rules import cite

    categories = {c.number: c.short_title for c in content.catalogue.categories}
    lines: list[str] = []
    if verdict.eligible:
        lines.append("✔ Birliktelik, Kümelenme Destek Programının üyelik koşullarını karşılıyor.")
        lines.append("Dayanak:")
        seen = set()
        for rr in getattr(verdict, "results", []):
            text = cite(rr.rule.source, content)
            if text not in seen:
                seen.add(text)
                lines.append(f"  {text}")
    else:
        lines.append("✘ Birliktelik şu an üyelik koşullarını karşılamıyor.")
        lines.append("Eksik koşullar:")
        for item in verdict.unmet:
            lines.append(f"  • {' '.join(item['reason'].split())}")
            lines.append(f"    Kaynak: {item['source']}")
        lines.append("")
        lines.append("Yapılabilecekler:")
        for item in verdict.next_steps:
            lines.append(f"  • {item['title']}: {' '.join(item['text'].split())}")
            lines.extend(_activity_line(a, categories) for a in item.get("activities", []))
    if verdict.advice:
        lines.append("")
        lines.append("Öneriler (uygunluğu etkilemez):")
        for item in verdict.advice:
            lines.append(f"  • {item['title']}: {' '.join(item['text'].split())}")
            lines.extend(_activity_line(a, categories) for a in item.get("activities", []))
    return lines


def firm_lines(result: Any, content: Any) -> list[str]:
    categories = {c.number: c.short_title for c in content.catalogue.categories}
    lines: list[str] = []
    if result.matches:
        lines.append("İhtiyacınıza uyan destek faaliyetleri:")
        for match in result.matches:
            number = _category_number(match.category)
            lines.append(f"  • {match.title} ({match.activity_id})")
            lines.append(f"    Kategori {number}: {categories.get(number, '')}".rstrip(": "))
    else:
        lines.append(
            "İhtiyacınıza doğrudan uyan bir faaliyet bulamadım; Kümelenme Bilgi Merkezi "
            "sizinle birlikte değerlendirebilir."
        )
    routing = result.routing
    if routing is not None:
        lines.append("")
        centre = routing.centre
        if routing.local:
            lines.append(f"İlinizdeki Kümelenme Bilgi Merkezi: {centre.province} — {centre.host}")
        else:
            lines.append(
                f"Size en yakın Kümelenme Bilgi Merkezi: {centre.province} — {centre.host} "
                f"(yaklaşık {round(routing.distance_km)} km)"
            )
    return lines


def _category_number(category: Any) -> Any:
    if isinstance(category, int):
        return category
    digits = "".join(ch for ch in str(category) if ch.isdigit())
    return int(digits) if digits else category
