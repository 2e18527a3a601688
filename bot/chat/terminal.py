"""The terminal conversation (`kume chat`), for a machine without a Telegram token.

Walks the same engine as the bot (eligibility.questionnaire) and asks it about every word:
navigation ("geri", "başa"), quitting ("çıkış"), help, the choices and hints of a question.
Reads one line per answer, so it works with a piped or scripted stdin. Quitting before the
end saves nothing; a lead is saved only after KVKK consent and the user's confirmation of
the summary.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TextIO

from bot.chat.render import firm_lines, verdict_lines
from bot.leads.backend import open_store
from bot.leads.intake import lead_from_result
from bot.leads.store import StoreError
from eligibility import questionnaire as q
from eligibility.content import ContentError, get_content
from eligibility.models import Content
from eligibility.text import fold

HELP = (
    "Komutlar: «geri» bir önceki soruya döner, «başa» en baştan başlar, "
    "«çıkış» sohbeti bitirir (yarım kalan yanıtlar kaydedilmez)."
)
LEAD_SOURCE = "chat"


class Quit(Exception):
    """The user left: EOF, Ctrl-C or «çıkış»."""


class ChatError(Exception):
    """The chat cannot go on (content or the data directory is broken); Turkish, one line."""


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Chat:
    def __init__(
        self,
        stdin: TextIO,
        stdout: TextIO,
        data_dir: Path,
        retention_days: int,
        database_url: str = "",
    ):
        self.stdin = stdin
        self.stdout = stdout
        self.data_dir = data_dir
        self.database_url = database_url  # PostgreSQL when set (KUME_DATABASE_URL)
        self.retention_days = retention_days
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

    # --- flow -------------------------------------------------------------------------

    def run(self, path_id: str | None) -> int:
        try:  # a broken content/ fails here, before any question is asked
            content = get_content()
            definition = q.get_questionnaire()
        except ContentError as exc:
            raise ChatError(f"içerik yüklenemedi: {' '.join(str(exc).split())}") from exc

        self.say("Küme Asistanı — Kümelenme Destek Programı yardımcısı")
        self.say(HELP)
        path_id = path_id or self.choose_path(definition)
        path = definition.paths[path_id]
        self.say()
        self.say(f"== {path.title} ==")
        self.say(" ".join(path.intro.split()))
        session = q.start(path_id, definition)
        step = q.current_step(session, definition)
        while step.result is None:
            self.show(step, content)
            line = self.read()
            wanted = q.intent(line, definition)
            if wanted == "leave":
                raise Quit
            if wanted == "help":
                self.say(HELP)
                continue
            if wanted == "restart":
                self.say("Baştan başlıyoruz.")
            step = q.answer(session, line, definition)  # back and restart included
        return self.finish(step.result, content)

    def choose_path(self, definition: q.Questionnaire) -> str:
        paths = list(definition.paths.values())
        while True:
            self.say()
            self.say("Ne yapmak istersiniz?")
            for i, path in enumerate(paths, 1):
                self.say(f"  {i}) {path.title}")
            line = self.read()
            if q.intent(line, definition) == "leave":
                raise Quit
            text = fold(line).strip(" .)")
            if text.isdigit() and 1 <= int(text) <= len(paths):
                return paths[int(text) - 1].id
            for path in paths:
                if text in {path.id, fold(path.title)}:
                    return path.id
            self.say("Lütfen seçeneklerden birinin numarasını yazın, örneğin 1.")

    def show(self, step: q.Step, content: Content) -> None:
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
        if question.answer_kind.privacy_notice:
            self.say(self.kvkk_notice(content))
            self.say()
        self.say(f"[{step.progress}] {' '.join(question.text.split())}")
        for choice in step.suggestions:  # "evet" takes the first
            self.say(f"  → {choice.label}")
        if question.answer_kind.uses_options:
            for i, choice in enumerate(q.choices(question, content=content), 1):
                # numbered only where a number answers it (a size band's number is a count)
                self.say(
                    f"  {i}) {choice.label}" if choice.answer == str(i) else f"  • {choice.label}"
                )
        hint = q.typed_hint(question)
        if hint:
            self.say(f"  {hint}")

    def kvkk_notice(self, content: Content) -> str:
        notice = content.kvkk.short_notice.replace("{retention_days}", str(self.retention_days))
        return " ".join(notice.split())

    # --- result -----------------------------------------------------------------------

    def finish(self, result: q.Result, content: Content) -> int:
        self.say()
        self.say("== Sonuç ==")
        if result.verdict is not None:
            for line in verdict_lines(result.verdict, content):
                self.say(line)
            return 0
        for line in firm_lines(result, content):
            self.say(line)
        self.say()
        if not result.saves_lead:
            self.say("Onay vermediğiniz için hiçbir bilginiz kaydedilmedi.")
            return 0
        lead_id = self.save_lead(result, content)
        host = result.routing.centre.host if result.routing else ""
        self.say(f"Başvurunuz kaydedildi. Kayıt numaranız: {lead_id}.")
        self.say(f"Kümelenme Bilgi Merkezi ({host}) sizinle iletişime geçecek.")
        return 0

    def save_lead(self, result: q.Result, content: Content) -> int:
        lead = lead_from_result(
            result,
            user_key=f"cli:{uuid.uuid4()}",
            source=LEAD_SOURCE,
            consent_version=content.kvkk.version,
        )
        try:
            return open_store(self.data_dir, self.database_url).add(lead)
        except StoreError as exc:
            raise ChatError(f"başvuru kaydedilemedi ({self.data_dir}): {exc}") from exc
        except OSError as exc:
            raise ChatError(
                f"başvuru kaydedilemedi ({self.data_dir}): {exc.strerror or exc}"
            ) from exc
