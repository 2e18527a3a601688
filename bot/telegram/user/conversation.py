"""User side of the Telegram bot: menu, questionnaires, results, FAQ, budget, KVKK, own data.

Design choice: one small state machine keyed on `context.user_data` instead of a
ConversationHandler. The questionnaire engine's Session already *is* the conversation state
(current question, branches, answers, summary); a ConversationHandler would keep a second
copy of "where the user is" that can disagree with the session after a restart or a back/
restart button. `user_data` is persisted by the runtime's persistence, so when a user writes
after a restart, `user_data["mode"]` routes the message and the stored session accepts it as
the answer to its current question (or re-shows that question). Free text outside any mode is
answered from the FAQ / catalogue.

user_data keys (all JSON values):
    mode         None | "q" (questionnaire) | "centre" (asked for a province) | "budget"
    q            eligibility.questionnaire.Session.to_dict() of the walk in progress
    source       deep-link parameter of /start ("telegram" when none)
    eligibility  Verdict.to_json() of the last kume walk (attached to a later lead)
"""

from __future__ import annotations

import logging
import re
from typing import Any

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.telegram.runtime import runtime
from bot.telegram.sender import reply
from bot.telegram.user import keyboards as kb
from bot.telegram.user import leads as user_leads
from bot.telegram.user import messages as msg
from bot.telegram.user.budget_input import (
    BudgetInputError,
    parse_budget_lines,
    split_previous_grants,
)
from bot.telegram.user.questions import parse_button, question_tag, render_step

logger = logging.getLogger(__name__)

DEFAULT_SOURCE = "telegram"
_SOURCE_RE = re.compile(r"[^A-Za-z0-9_-]")
# Typed equivalents of the ◀️ Geri / 🔄 Baştan buttons (folded: no Turkish letters). The
# engine's summary prompt itself tells users to type "geri".
_BACK_WORDS = {"geri", "geri don", "onceki"}
_RESTART_WORDS = {"bastan", "basa don", "bastan basla", "yeniden basla"}


# Commands of private chats, for /yardim and for the runtime's setMyCommands if it wants them.
USER_COMMANDS: list[tuple[str, str]] = [
    ("start", "Karşılama ve menü"),
    ("uygunluk", "Birliktelik programa uygun mu?"),
    ("ihtiyac", "Firmamın ihtiyaçları, Bilgi Merkezim"),
    ("merkez", "İlime göre Bilgi Merkezi"),
    ("hesapla", "Hibe tahmini"),
    ("sss", "Sık sorulan sorular"),
    ("program", "Program hakkında"),
    ("verilerim", "Hakkımda kayıtlı bilgiler"),
    ("sil", "Kayıtlı bilgilerimi sil"),
    ("iptal", "Yarım kalan işlemi bırak"),
    ("yardim", "Komutlar"),
]


# --- helpers ---------------------------------------------------------------------------


def _content() -> Any:
    from eligibility.content import get_content

    return get_content()


def _settings(context: ContextTypes.DEFAULT_TYPE) -> tuple[str, int]:
    """(site_url, retention_days) from the runtime's settings."""
    settings = runtime(context).settings
    return settings.site_url, settings.retention_days


def _user_key(update: Update) -> str:
    return user_leads.user_key(update.effective_user.id)


def _source(context: ContextTypes.DEFAULT_TYPE) -> str:
    return context.user_data.get("source") or DEFAULT_SOURCE


def _clean_source(raw: str) -> str:
    """Deep-link parameters are [A-Za-z0-9_-]{1,64} in Telegram; keep that shape anyway."""
    return _SOURCE_RE.sub("", raw)[:64] or DEFAULT_SOURCE


def _clear_walk(user_data: dict) -> None:
    user_data.pop("mode", None)
    user_data.pop("q", None)


async def _remove_keyboard(update: Update) -> None:
    """Drop the buttons of the message whose button was pressed, so it cannot be pressed
    twice; failures (message too old, already edited) do not matter."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except TelegramError:
        pass


# --- menu and /start -------------------------------------------------------------------


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Greet, remember the deep-link source (t.me/<bot>?start=site) and show the menu."""
    if context.args:
        context.user_data["source"] = _clean_source(context.args[0])
    else:
        context.user_data.setdefault("source", DEFAULT_SOURCE)
    user = update.effective_user
    await reply(update, context, msg.welcome(user.first_name if user else None), _menu(context))


async def show_menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await reply(update, context, msg.menu_prompt(), _menu(context))


def _menu(context: ContextTypes.DEFAULT_TYPE) -> InlineKeyboardMarkup:
    """Showing the menu pauses a questionnaire (typed text is no longer taken as an answer)
    without losing it: the menu then offers to continue where the user was."""
    context.user_data.pop("mode", None)
    return kb.main_menu(resume=bool(context.user_data.get("q")))


async def resume_walk(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    session = _load_session(context)
    if session is None:
        await show_menu(update, context)
        return
    context.user_data["mode"] = "q"
    await _show_step(update, context, session, _engine().current_step(session))


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/iptal: leave whatever is in progress; nothing half-answered is kept."""
    _clear_walk(context.user_data)
    await reply(update, context, msg.cancelled(), kb.main_menu())


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/yardim: the commands, and a reminder that plain questions work too."""
    lines = ["<b>Komutlar</b>"]
    lines += [f"/{name} — {msg.esc(text)}" for name, text in USER_COMMANDS]
    lines.append("")
    lines.append("Sorunuzu doğrudan da yazabilirsiniz, örneğin «kimler başvurabilir?».")
    await reply(update, context, "\n".join(lines), _menu(context))


async def programme(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    site_url, _ = _settings(context)
    await reply(update, context, msg.programme_summary(_content(), site_url), kb.home_keyboard())


# --- questionnaire ---------------------------------------------------------------------


def _engine() -> Any:
    from eligibility import questionnaire

    return questionnaire


async def start_walk(update: Update, context: ContextTypes.DEFAULT_TYPE, path_id: str) -> None:
    q = _engine()
    session = q.start(path_id)
    context.user_data["mode"] = "q"
    context.user_data["q"] = session.to_dict()
    intro = q.get_questionnaire().paths[path_id].intro
    await _show_step(update, context, session, q.current_step(session), intro=intro)


async def start_kume(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await start_walk(update, context, "kume")


async def start_firma(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await start_walk(update, context, "firma")


def _load_session(context: ContextTypes.DEFAULT_TYPE) -> Any | None:
    data = context.user_data.get("q")
    if not data:
        return None
    try:
        return _engine().Session.from_dict(data)
    except Exception:  # a session saved by an older engine version: start afresh
        logger.warning("dropping an unreadable questionnaire session")
        _clear_walk(context.user_data)
        return None


async def _show_step(
    update: Update,
    context: ContextTypes.DEFAULT_TYPE,
    session: Any,
    step: Any,
    intro: str | None = None,
) -> None:
    if step.kind == "result":
        await _show_result(update, context, session, step.result)
        return
    context.user_data["q"] = session.to_dict()
    site_url, retention = _settings(context)
    rendered = render_step(
        step, kvkk=_content().kvkk, retention_days=retention, site_url=site_url, intro=intro
    )
    await reply(update, context, rendered.text, rendered.keyboard)


def _safe_answer(session: Any, raw: str) -> Any:
    """engine.answer, but an unexpected engine error on odd input (a bug to fix there) becomes
    a re-ask of the current question instead of a silent, crashed handler."""
    q = _engine()
    try:
        return q.answer(session, raw)
    except Exception as exc:
        # Type only: the exception text may quote what the user typed.
        logger.error("questionnaire engine failed on an answer: %s", type(exc).__name__)
        step = q.current_step(session)
        if step.question is not None:
            step.kind = "reask"
            step.message = "Bu yanıtı kullanamadım."
            step.hint = step.question.help
        return step


async def answer_text(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    session = _load_session(context)
    if session is None:
        _clear_walk(context.user_data)
        await free_text(update, context, text)
        return
    q = _engine()
    from eligibility.text import fold

    word = fold(text).strip(" .!")
    if word in _BACK_WORDS:
        step = q.back(session)
    elif word in _RESTART_WORDS:
        step = q.restart(session)
    else:
        step = _safe_answer(session, text)
    await _show_step(update, context, session, step)


async def on_question_button(
    update: Update, context: ContextTypes.DEFAULT_TYPE, parts: list[str]
) -> None:
    q = _engine()
    session = _load_session(context)
    if session is None:
        await reply(update, context, "Bu soru artık geçerli değil.", _menu(context))
        return
    context.user_data["mode"] = "q"  # a question button also resumes a paused walk
    action, tag, raw = parse_button(parts)
    if action == "b":
        step = q.back(session)
    elif action == "r":
        step = q.restart(session)
    elif raw is not None:
        current = q.current_question(session)
        if tag != question_tag(current):
            # A button of an earlier message: show where the user really is.
            await _show_step(update, context, session, q.current_step(session))
            return
        step = _safe_answer(session, raw)
    else:
        return
    await _show_step(update, context, session, step)


async def _show_result(
    update: Update, context: ContextTypes.DEFAULT_TYPE, session: Any, result: Any
) -> None:
    site_url, _ = _settings(context)
    content = _content()
    if result.verdict is not None:
        verdict = result.verdict.to_json()
        context.user_data["eligibility"] = verdict
        _clear_walk(context.user_data)
        keyboard = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(msg.MENU_LABELS["firma"], callback_data=kb.cb("m", "firma"))],
                [InlineKeyboardButton(msg.MENU_LABELS["hesap"], callback_data=kb.cb("m", "hesap"))],
                [
                    InlineKeyboardButton(
                        msg.MENU_LABELS["merkez"], callback_data=kb.cb("m", "merkez")
                    ),
                    InlineKeyboardButton("🏠 Menü", callback_data=kb.cb("m", "home")),
                ],
            ]
        )
        await reply(update, context, msg.render_verdict(verdict, content, site_url), keyboard)
        return

    lead = None
    if result.consent:
        # Save before sending anything: a network problem while showing the results must
        # not lose the lead. On failure the confirmed session is kept, so the user's next
        # message retries the save (the engine answers a "done" session with its result).
        try:
            lead = await user_leads.save_lead(
                context.application,
                session.to_dict(),
                key=_user_key(update),
                source=_source(context),
                eligibility=context.user_data.get("eligibility"),
            )
        except Exception:
            logger.exception("lead could not be saved")
            context.user_data["q"] = session.to_dict()
            await reply(
                update,
                context,
                "⚠️ Bilgilerinizi şu an kaydedemedim. Birazdan herhangi bir mesaj yazarak "
                "yeniden deneyebilir ya da /iptal ile vazgeçebilirsiniz.",
            )
            return
    # Without consent nothing is kept: the walk's answers leave user_data here.
    _clear_walk(context.user_data)
    await reply(update, context, msg.render_matches(result.matches, content, site_url))
    province = result.answers.get("province")
    if result.routing is not None and province:
        await reply(update, context, msg.render_centre(province, result.routing, content))
    if lead is None:
        await reply(update, context, msg.consent_refused(), kb.main_menu())
        return
    centre = result.routing.centre if result.routing is not None else None
    await reply(update, context, msg.render_lead_confirmation(lead["id"], centre), kb.main_menu())


# --- Knowledge Centre, FAQ, budget -----------------------------------------------------


async def ask_province(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    context.user_data["mode"] = "centre"
    await reply(
        update,
        context,
        "📍 Hangi ildesiniz? İl adını yazın (örneğin Samsun, K.Maraş ya da plaka kodu 46).",
    )


async def answer_province(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    from eligibility.routing import centre_for
    from eligibility.validators import ValidationProblem, find_province

    try:
        province = find_province(text)
    except Exception as exc:  # also engine bugs on odd input: the user still gets an answer
        problem = (
            exc if isinstance(exc, ValidationProblem) else ValidationProblem("Bu ili bulamadım.")
        )
        if len(text.split()) >= 3 and problem.suggestion is None:
            # A sentence, not a province: the user moved on; answer it as free text.
            context.user_data.pop("mode", None)
            await free_text(update, context, text)
            return
        await reply(
            update,
            context,
            f"⚠️ {msg.esc(problem.message)}\nİl adını yeniden yazın ya da /iptal ile vazgeçin.",
        )
        return
    context.user_data.pop("mode", None)
    routing = centre_for(province.name)
    await reply(
        update, context, msg.render_centre(province.name, routing, _content()), kb.home_keyboard()
    )


async def faq_list(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    entries = _content().faq.entries
    await reply(update, context, msg.faq_list_text(), kb.faq_keyboard(e.question for e in entries))


async def faq_answer(update: Update, context: ContextTypes.DEFAULT_TYPE, index: str) -> None:
    entries = _content().faq.entries
    if not index.isdigit() or int(index) >= len(entries):
        await faq_list(update, context)
        return
    entry = entries[int(index)]
    await reply(update, context, msg.render_faq_answer(entry, _content()), kb.home_keyboard())


async def budget_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/hesapla: items may follow on the same message; otherwise ask for them."""
    text = update.message.text or "" if update.message else ""
    rest = text.split(maxsplit=1)[1] if text.startswith("/") and len(text.split()) > 1 else ""
    if rest.strip():
        await answer_budget(update, context, rest)
        return
    context.user_data["mode"] = "budget"
    params = _content().parameters
    await reply(
        update,
        context,
        msg.budget_prompt(params["item_grant_rate"].at(), params["plan_grant_rate"].at()),
    )


async def answer_budget(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    from eligibility.budget import estimate

    try:
        items, previous = split_previous_grants(parse_budget_lines(text))
        result = estimate(items, previous_grants=previous)
    except (BudgetInputError, ValueError) as problem:
        context.user_data["mode"] = "budget"
        await reply(
            update,
            context,
            f"⚠️ {msg.esc(str(problem).rstrip('.'))}.\nHer satıra bir kalem yazın: "
            "<code>Kalem adı: tutar</code> (örneğin <code>Eğitim: 200.000</code>). "
            "Vazgeçmek için /iptal.",
        )
        return
    context.user_data.pop("mode", None)
    await reply(update, context, msg.render_budget(result, _content()), kb.home_keyboard())


# --- free text -------------------------------------------------------------------------


async def free_text(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Text outside any question: a confident FAQ answer, else matching activities, else
    the menu."""
    from eligibility.matcher import match_faq, match_needs

    content = _content()
    site_url, _ = _settings(context)
    try:
        faqs = match_faq(text)
        matches = [] if faqs else match_needs(text)
    except Exception as exc:  # odd input must still get an answer
        logger.error("matching failed: %s", type(exc).__name__)
        faqs, matches = [], []
    if faqs:
        entries = list(content.faq.entries)
        best = faqs[0].entry
        related = [m.entry for m in faqs[1:3] if m.entry.id != best.id and m.entry in entries]
        rows = [
            [InlineKeyboardButton(e.question, callback_data=kb.cb("f", entries.index(e)))]
            for e in related
        ]
        rows.append([InlineKeyboardButton("🏠 Menü", callback_data=kb.cb("m", "home"))])
        await reply(
            update, context, msg.render_faq_answer(best, content), InlineKeyboardMarkup(rows)
        )
        return
    if matches:
        keyboard = InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(msg.MENU_LABELS["firma"], callback_data=kb.cb("m", "firma"))],
                [InlineKeyboardButton("🏠 Menü", callback_data=kb.cb("m", "home"))],
            ]
        )
        await reply(update, context, msg.render_matches(matches, content, site_url), keyboard)
        return
    await reply(update, context, msg.fallback(), _menu(context))


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Every plain text message of a private chat, routed by user_data["mode"]."""
    text = update.effective_message.text or ""
    mode = context.user_data.get("mode")
    if mode == "q":
        await answer_text(update, context, text)
    elif mode == "centre":
        await answer_province(update, context, text)
    elif mode == "budget":
        await answer_budget(update, context, text)
    else:
        await free_text(update, context, text)


async def on_other_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Non-text messages. A shared contact answers the phone question; anything else gets a
    polite note, so that a photo or voice message is never met with silence."""
    message = update.effective_message
    if message.contact is not None and context.user_data.get("mode") == "q":
        session = _load_session(context)
        q = _engine()
        current = q.current_question(session) if session is not None else None
        if current is not None and current.kind == "phone":
            step = _safe_answer(session, message.contact.phone_number)
            await _show_step(update, context, session, step)
            return
    await reply(
        update,
        context,
        "Şimdilik yalnızca yazılı mesajları anlayabiliyorum. Sorunuzu yazabilir ya da "
        "menüden bir konu seçebilirsiniz.",
        _menu(context) if context.user_data.get("mode") != "q" else None,
    )


# --- my data ---------------------------------------------------------------------------


async def my_data(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/verilerim: every lead stored under this Telegram user, HTML-escaped."""
    leads = await user_leads.find_user_leads(context.application, _user_key(update))
    text = msg.render_user_data(leads)
    if context.user_data.get("q"):
        text += (
            "\n\nAyrıca yarım kalmış bir soru dizinizin yanıtları geçici olarak tutuluyor; "
            "/iptal yazarsanız silinir."
        )
    await reply(update, context, text, kb.home_keyboard())


async def delete_request(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/sil: ask for confirmation before deleting anything."""
    leads = await user_leads.find_user_leads(context.application, _user_key(update))
    if not leads:
        _clear_walk(context.user_data)
        context.user_data.pop("eligibility", None)
        await reply(update, context, msg.nothing_to_delete(), kb.home_keyboard())
        return
    await reply(update, context, msg.delete_confirm_prompt(len(leads)), kb.delete_keyboard())


async def delete_confirmed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    count = await user_leads.delete_user_leads(context.application, _user_key(update))
    _clear_walk(context.user_data)
    context.user_data.pop("eligibility", None)
    await reply(update, context, msg.deleted(count), kb.home_keyboard())


# --- callback router -------------------------------------------------------------------

_MENU_ACTIONS = {
    "prog": programme,
    "kume": start_kume,
    "firma": start_firma,
    "merkez": ask_province,
    "sss": faq_list,
    "hesap": budget_start,
    "veri": my_data,
    "home": show_menu,
    "devam": resume_walk,
}


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """All "u:…" buttons. Codes are described in user_keyboards."""
    query = update.callback_query
    try:
        await query.answer()
    except TelegramError:  # e.g. "query is too old" after a restart: still act on it
        pass
    parts = kb.parse_cb(query.data or "")
    if not parts:
        return
    kind, rest = parts[0], parts[1:]
    if kind == kb.DELETE:
        # The deletion confirmation is one-shot. Question buttons keep their keyboard: an
        # old press is recognised and the current question re-shown, and removing it cost
        # one more Bot API call per answer (a third of the bot's throughput under load).
        await _remove_keyboard(update)
    if kind == kb.MENU and rest and rest[0] in _MENU_ACTIONS:
        if rest[0] in ("kume", "firma", "merkez", "hesap"):
            _clear_walk(context.user_data)
        await _MENU_ACTIONS[rest[0]](update, context)
    elif kind == kb.QUESTION:
        await on_question_button(update, context, rest)
    elif kind == kb.FAQ and rest:
        await faq_answer(update, context, rest[0])
    elif kind == kb.DELETE and rest:
        if rest[0] == "y":
            await delete_confirmed(update, context)
        else:
            await reply(update, context, "Silme işlemi iptal edildi; verileriniz duruyor.")


def register_user_handlers(application: Application) -> None:
    """Add the user-facing handlers (private chats only; staff chats are the runtime's)."""
    private = filters.ChatType.PRIVATE
    application.add_handlers(
        [
            CommandHandler("start", start, filters=private),
            CommandHandler("menu", show_menu, filters=private),
            CommandHandler(["iptal", "cancel"], cancel, filters=private),
            CommandHandler("verilerim", my_data, filters=private),
            CommandHandler("sil", delete_request, filters=private),
            CommandHandler("hesapla", budget_start, filters=private),
            CommandHandler("uygunluk", start_kume, filters=private),
            CommandHandler("ihtiyac", start_firma, filters=private),
            CommandHandler("merkez", ask_province, filters=private),
            CommandHandler("sss", faq_list, filters=private),
            CommandHandler("program", programme, filters=private),
            CommandHandler(["yardim", "help"], help_command, filters=private),
            CallbackQueryHandler(on_button, pattern=r"^u:"),
            MessageHandler(filters.TEXT & ~filters.COMMAND & private, on_text),
            MessageHandler(
                private & ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL,
                on_other_message,
            ),
        ]
    )
