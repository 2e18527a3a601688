"""The terminal conversation (`kume chat`), for a machine without a Telegram token.

Walks the same engine as the bot (eligibility.questionnaire) and asks it about every word:
navigation ("geri", "başa"), quitting ("çıkış"), help, the choices and hints of a question.
Reads one line per answer, so it works with a piped or scripted stdin. Quitting before the
end saves nothing; a lead is saved only after KVKK consent and the user's confirmation of
the summary, exactly once even if the run is cut off right then (bot/chat/pending.py).
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import TextIO

from bot import crashpoints
from bot.chat import pending
from bot.chat.budget import Menu, run_budget
from bot.chat.pending import Pending
from bot.chat.render import dating_lines, firm_lines, next_step_lines, verdict_lines
from bot.config import DEFAULT_SITE_URL
from bot.leads.backend import open_store
from bot.leads.intake import lead_from_result
from bot.leads.store import StoreError
from eligibility import questionnaire as q
from eligibility.content import ContentError, get_content
from eligibility.conversation import get_conversation, say
from eligibility.fallback import get_fallback
from eligibility.kinds.base import KvkkText
from eligibility.kvkk import kvkk_texts
from eligibility.models import Content
from eligibility.operator import centre_name
from eligibility.text import fold

HELP = (
    "Komutlar: «geri» bir önceki soruya döner, «başa» en baştan başlar, «menü» seçime döner, "
    "«yardım» sorunun ipucunu gösterir, «çıkış» sohbeti bitirir (yarım kalan yanıtlar "
    "kaydedilmez)."
)
LEAD_SOURCE = "chat"
BUDGET_PATH = "hesap"  # the guided grant estimate, offered beside the questionnaire's paths


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
        site_url: str = DEFAULT_SITE_URL,
        database_url: str = "",
    ):
        self.stdin = stdin
        self.stdout = stdout
        self.data_dir = data_dir
        self.database_url = database_url  # PostgreSQL when set (KUME_DATABASE_URL)
        self.retention_days = retention_days
        self.site_url = site_url
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
        if content.operator.is_demo:  # no operator or data controller named: say so first
            demo = content.notices.demo
            self.say(f"{demo.title}: {' '.join(demo.text.split())}")
        self.finish_cut_off_run(content)
        self.say(HELP)
        while True:
            chosen = path_id or self.choose_path(definition)
            path_id = None  # after "menü", the choice is asked again
            try:
                if chosen == BUDGET_PATH:
                    return self.run_budget(content)
                return self.run_walk(chosen, definition, content)
            except Menu:
                self.say("Menüye dönüldü; yarım kalan yanıtlar kaydedilmedi.")

    def run_walk(self, path_id: str, definition: q.Questionnaire, content: Content) -> int:
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
            if wanted == "menu":
                raise Menu
            if wanted == "help":
                self.say(HELP)
                step = q.help_step(session, definition)
                continue
            if wanted == "restart":
                self.say("Baştan başlıyoruz.")
            if not line.strip() and step.previous is not None:
                step = q.keep_previous(session, definition)  # Enter keeps the answer
                continue
            step = q.answer(session, line, definition)  # back and restart included
        return self.finish(step.result, content, session)

    def run_budget(self, content: Content) -> int:
        self.say()
        try:
            lines = run_budget(self.say, self.read, content)
        except KeyboardInterrupt:
            raise Quit from None
        self.say()
        self.say("== Sonuç ==")
        for line in [
            *lines,
            *dating_lines(content),
            "",
            *next_step_lines(content, "money", self.site_url),
        ]:
            self.say(line)
        return 0

    def choose_path(self, definition: q.Questionnaire) -> str:
        paths = [(p.id, p.title) for p in definition.paths.values()]
        paths.append((BUDGET_PATH, get_conversation().budget.title.lstrip("🧮 ")))
        while True:
            self.say()
            self.say("Ne yapmak istersiniz?")
            for i, (_, title) in enumerate(paths, 1):
                self.say(f"  {i}) {title}")
            line = self.read()
            if q.intent(line, definition) == "leave":
                raise Quit
            text = fold(line).strip(" .)")
            if text.isdigit() and 1 <= int(text) <= len(paths):
                return paths[int(text) - 1][0]
            for pid, title in paths:
                if text in {pid, fold(title)}:
                    return pid
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
        kvkk_text = question.answer_kind.kvkk_text
        if kvkk_text is not None:
            self.say(self.kvkk_text(kvkk_text, content))
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
        if step.previous is not None:
            note = say(get_conversation().navigation.previous_note, answer=step.previous)
            self.say(f"  ({note}; aynı kalsın diye Enter'a basın)")

    def kvkk_text(self, which: KvkkText, content: Content) -> str:
        """The information notice (with where the full text is), or the consent text."""
        texts = kvkk_texts(content, self.retention_days)
        if which == "notice":
            return f"Kişisel verilerin korunması — {texts.notice}"
        return f"{texts.notice_ack_text}\n\n{texts.consent_question}"

    # --- result -----------------------------------------------------------------------

    def finish(self, result: q.Result, content: Content, session: q.Session) -> int:
        self.say()
        self.say("== Sonuç ==")
        if result.verdict is not None:
            for line in verdict_lines(result.verdict, content):
                self.say(line)
            key = "eligible" if result.verdict.eligible else "not_eligible"
            for line in ["", *dating_lines(content), *next_step_lines(content, key, self.site_url)]:
                self.say(line)
            return 0
        for line in firm_lines(result, content):
            self.say(line)
        self.say()
        # whom to contact for the centre is in firm_lines, just above
        centre = None
        if not result.saves_lead:
            self.say(kvkk_texts(content, self.retention_days).refusal_text)
            steps = next_step_lines(content, "firm_without_consent", self.site_url, centre)
        else:
            self.save_and_confirm(Pending(session, f"cli:{uuid.uuid4()}"), result, content)
            steps = next_step_lines(content, "firm", self.site_url, centre)
        for line in ["", *steps]:
            self.say(line)
        return 0

    def finish_cut_off_run(self, content: Content) -> None:
        """A run cut off between its confirmation and its number: show the number now."""
        cut_off = pending.find(self.data_dir)
        if cut_off is None:
            return
        result = q.current_step(cut_off.session).result
        if result is None or not result.saves_lead:
            pending.done(self.data_dir)
            return
        self.say(get_fallback().chat_finishing)
        self.save_and_confirm(cut_off, result, content)
        self.say()

    def save_and_confirm(self, walk: Pending, result: q.Result, content: Content) -> None:
        """Durable first, then saved (idempotent on the walk's key), then the number shown
        (bot/chat/pending.py)."""
        try:
            pending.keep(self.data_dir, walk)
        except OSError as exc:
            raise ChatError(
                f"başvuru kaydedilemedi ({self.data_dir}): {exc.strerror or exc}"
            ) from exc
        crashpoints.reached("before_lead_write")
        lead_id = self.save_lead(result, content, walk.user_key)
        crashpoints.reached("after_lead_write")
        self.say(f"Başvurunuz kaydedildi. Kayıt numaranız: {lead_id}.")
        if result.routing is not None:
            routed = get_conversation().lead.routed
            self.say(say(routed, centre=centre_name(result.routing.centre)))
        crashpoints.reached("after_confirmation")
        pending.done(self.data_dir)

    def save_lead(self, result: q.Result, content: Content, user_key: str) -> int:
        lead = lead_from_result(
            result,
            user_key=user_key,
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
