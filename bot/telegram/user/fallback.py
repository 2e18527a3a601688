"""Never silent: every message of a private chat that no other handler takes gets a Turkish
answer (content/fallback.yaml), followed by what the user was doing - the current question
with its buttons, the prompt the bot waits on, or the menu:

* an unknown or mistyped command (`/basla`, `/stop`): the closest real command, found among
  the commands actually registered (and the synonyms of content/fallback.yaml); a navigation
  word typed as a command mid-questionnaire (`/geri`): the word to type instead;
* stickers, photos, voice, documents, and every other kind: one line saying what the bot
  can read; a shared contact or location answers the question that offers the share button
  (user/walk.py, user/share.py) or the province prompt, and where none was asked gets the
  line of content/conversation.yaml (`share`) that says it was not used;
* forwarded messages (someone else's words, content/conversation.yaml `forwarded`): never an
  answer or a command. In a walk or at a prompt: the line, then the question again; outside
  them a forwarded text is answered like a question (nothing of it is kept), anything else
  forwarded gets the line of content/fallback.yaml and the menu.

The forwarded handler comes first in the user handlers' group, the catch-alls last, so that
only what nothing else handles ends there.
"""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import CommandHandler, ContextTypes, MessageHandler, filters

from bot.telegram.html import esc
from bot.telegram.runtime import App
from bot.telegram.sender import reply
from bot.telegram.user import budget, chats, topics, walk
from bot.telegram.user.menu import menu, state_of
from eligibility import budget_walk as bw
from eligibility import questionnaire as q
from eligibility.conversation import get_conversation
from eligibility.fallback import get_fallback

# Message fields in the order they are told apart (a venue also has a location, an
# animation also a document).
KINDS = ("sticker", "photo", "video", "animation", "voice", "video_note", "audio", "venue",
         "location", "contact", "poll", "dice", "document")  # fmt: skip
MAX_QUOTED = 40
COMMANDS_KEY = "user_commands"  # bot_data: the user side's registered command names


def message_kind(message: Message) -> str:
    """ "sticker", "photo", … for a message that is not text; "other" when none applies."""
    return next((kind for kind in KINDS if getattr(message, kind, None)), "other")


async def repeat_where(
    update: Update, context: ContextTypes.DEFAULT_TYPE, note: str, *, where: bool = True
) -> None:
    """`note` (plain text), then what the user was doing: the current question (or summary)
    of a walk in progress - after "Kaldığımız soru:" unless `where` is False -, the province
    or budget prompt, or the menu."""
    fb = get_fallback()
    state = state_of(context)
    session = state.walk() if state.mode == "q" else None
    if session is not None and session.stage != "done":
        step = q.current_step(session)
        intro = f"{note} {fb.current_question}" if where else note
        if step.question is None:  # the summary has no room for an intro
            await reply(update, context, esc(intro))
            intro = ""
        await walk.show_step(update, context, session, step, intro=intro or None)
        return
    if state.mode == "centre":
        await reply(update, context, esc(note))
        await topics.ask_province(update, context)
        return
    estimate = state.budget() if state.mode == "budget" else None
    if estimate is not None:
        await reply(update, context, esc(note))
        await budget.show(update, context, estimate, bw.current_step(estimate))
        return
    await reply(update, context, f"{esc(note)}\n\n{esc(fb.menu_hint)}", menu(context))


async def on_unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    typed = ((message.text if message else None) or "/").split()[0]
    name = typed[1:].split("@", 1)[0]
    shown = typed if len(typed) <= MAX_QUOTED else typed[: MAX_QUOTED - 1] + "…"
    fb = get_fallback()
    lines = [fb.unknown_command.format(command=shown)]
    state = state_of(context)
    in_walk = state.mode == "q" and state.has_walk
    if in_walk and q.intent(name) in ("back", "restart"):
        lines.append(fb.navigation_as_command.format(word=name))
    else:
        commands = tuple(context.bot_data.get(COMMANDS_KEY, ()))
        best = fb.closest_command(name, commands)
        lines.append(fb.did_you_mean.format(command=f"/{best}") if best else fb.no_close_command)
    await repeat_where(update, context, " ".join(lines))


async def on_not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Anything but text. A shared contact or location answers a question that takes one
    (a venue has a location too)."""
    message = update.effective_message
    if message is None:
        return
    share = get_conversation().share
    if message.contact is not None:
        if await walk.answer_contact(update, context, message.contact):
            return
        await repeat_where(update, context, share.contact_unexpected)
        return
    location = message.location or (message.venue.location if message.venue else None)
    if location is not None:
        if await walk.answer_location(update, context, location):
            return
        if state_of(context).mode == "centre":
            await topics.answer_location(update, context, location)
            return
        await repeat_where(update, context, share.location_unexpected)
        return
    await repeat_where(update, context, get_fallback().not_text.line(message_kind(message)))


async def on_forwarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    text = (message.text if message is not None else None) or ""
    if state_of(context).mode is not None:
        await repeat_where(update, context, get_conversation().forwarded.in_walk)
    elif text and not text.startswith("/"):
        await chats.forwarded_note(update, context)
        await topics.free_text(update, context, text)
    else:
        await repeat_where(update, context, get_fallback().forwarded)


def forwarded_handler() -> MessageHandler:  # type: ignore[type-arg]
    """First in the user handlers: a forwarded message (a forwarded command too) is never
    taken as an answer or a command."""
    return MessageHandler(filters.FORWARDED & filters.ChatType.PRIVATE, on_forwarded)


def register_fallbacks(application: App) -> None:
    """The catch-alls, after every other user handler of group 0; remembers the command
    names registered so far (the ones a mistyped command is compared with)."""
    names = sorted(
        {
            name
            for handler in application.handlers.get(0, [])
            if isinstance(handler, CommandHandler)
            for name in handler.commands
        }
    )
    application.bot_data[COMMANDS_KEY] = names
    private = filters.ChatType.PRIVATE
    application.add_handlers(
        [
            MessageHandler(filters.COMMAND & private, on_unknown_command),
            MessageHandler(
                private & ~filters.TEXT & ~filters.COMMAND & ~filters.StatusUpdate.ALL,
                on_not_text,
            ),
        ]
    )
