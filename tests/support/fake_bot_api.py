"""A fake Telegram Bot API server for end-to-end tests of the python-telegram-bot application.

Runs in the test's own event loop (tornado, which python-telegram-bot[webhooks] already
installs) on 127.0.0.1 and a free port. PTB v22 posts form-encoded bodies (multipart when a
file is attached) whose non-string values are JSON-encoded, so `reply_markup` and friends are
decoded here.

What it does like Telegram:
- validates text length (≤ 4096 after entity parsing), callback_data (≤ 64 bytes UTF-8) and
  parse_mode=HTML (only Telegram's tags and entities; malformed → 400 "can't parse entities"),
- "message is not modified" on an edit that changes nothing,
- long-polling getUpdates with offset confirmation.

Users' messages are kept (`user_messages`), so that a test can edit one (`edit_update`).

Fault injection: `fail_next(method, n, status=429|5xx|403...)`, `block_chat(chat_id)` (403
"bot was blocked by the user"), `hang_next(method, n, seconds)` (for client time-outs) and a
per-call `latency` (seconds, for benchmarks).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import socket
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.web import Application, RequestHandler

BOT_ID = 7000000001
BOT_USERNAME = "kume_test_bot"
DEFAULT_TOKEN = f"{BOT_ID}:FAKE-token-for-tests"

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64

# Values PTB JSON-encodes (everything that is not a plain string).
_JSON_FIELDS = {
    "reply_markup",
    "entities",
    "caption_entities",
    "allowed_updates",
    "commands",
    "scope",
    "link_preview_options",
    "reply_parameters",
    "media",
    "menu_button",
}
_INT_FIELDS = {
    "chat_id",
    "message_id",
    "offset",
    "limit",
    "timeout",
    "reply_to_message_id",
    "user_id",
    "cache_time",
    "message_thread_id",
    "max_connections",
}
_BOOL_FIELDS = {
    "disable_notification",
    "protect_content",
    "show_alert",
    "drop_pending_updates",
    "disable_web_page_preview",
    "allow_sending_without_reply",
}
_TRUE_METHODS = {
    "setWebhook",
    "deleteWebhook",
    "setMyCommands",
    "deleteMyCommands",
    "sendChatAction",
    "answerCallbackQuery",
    "deleteMessage",
    "setChatMenuButton",
    "setMyDescription",
    "setMyShortDescription",
    "close",
    "logOut",
}


class ApiError(Exception):
    def __init__(self, code: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters


# --------------------------------------------------------------------------- HTML checking

_ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^<>]*?)?)\s*(/?)>")
_ENTITY_RE = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);")


def parse_html(source: str) -> str:
    """The visible text of a Telegram-HTML message; ApiError 400 like Telegram when malformed."""
    out: list[str] = []
    stack: list[str] = []
    i = 0
    n = len(source)
    while i < n:
        ch = source[i]
        if ch == "<":
            m = _TAG_RE.match(source, i)
            if not m:
                raise _entities_error(f"unexpected end of name token at byte offset {i}")
            closing, name, _attrs, _selfclose = m.groups()
            name = name.lower()
            if name not in _ALLOWED_TAGS:
                kind = "end" if closing else "start"
                raise _entities_error(f'unsupported {kind} tag "{name}" at byte offset {i}')
            if closing:
                if not stack or stack[-1] != name:
                    expected = stack[-1] if stack else ""
                    raise _entities_error(
                        f'unmatched end tag at byte offset {i}, expected "</{expected}>", '
                        f'found "</{name}>"'
                    )
                stack.pop()
            else:
                stack.append(name)
            i = m.end()
        elif ch == "&":
            m = _ENTITY_RE.match(source, i)
            if not m:
                raise _entities_error(f"unsupported HTML entity at byte offset {i}")
            ref = m.group(1)
            if ref.startswith("#x"):
                out.append(chr(int(ref[2:], 16)))
            elif ref.startswith("#"):
                out.append(chr(int(ref[1:])))
            elif ref in _NAMED_ENTITIES:
                out.append(_NAMED_ENTITIES[ref])
            else:
                raise _entities_error(f'unsupported HTML entity "&{ref};" at byte offset {i}')
            i = m.end()
        elif ch == ">":
            raise _entities_error(f"unexpected > at byte offset {i}")
        else:
            out.append(ch)
            i += 1
    if stack:
        raise _entities_error(f'can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


def _entities_error(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")


# --------------------------------------------------------------------------- records


@dataclass
class Call:
    """One request the bot made."""

    method: str
    params: dict[str, Any]
    at: float
    chat_id: int | None = None
    status: int = 200


@dataclass
class BotMessage:
    """A message as the bot left it (edits update it in place)."""

    chat_id: int
    message_id: int
    text: str  # visible text (HTML parsed)
    html: str  # what the bot sent
    reply_markup: dict | None = None
    document: dict | None = None  # {"file_name", "content": bytes, "mime_type"}
    caption: str | None = None
    edits: int = 0

    @property
    def inline_buttons(self) -> list[dict]:
        if not self.reply_markup or "inline_keyboard" not in self.reply_markup:
            return []
        return [b for row in self.reply_markup["inline_keyboard"] for b in row]

    @property
    def keyboard_buttons(self) -> list[dict]:
        if not self.reply_markup or "keyboard" not in self.reply_markup:
            return []
        return [
            b if isinstance(b, dict) else {"text": b}
            for row in self.reply_markup["keyboard"]
            for b in row
        ]

    @property
    def button_texts(self) -> list[str]:
        return [b["text"] for b in self.inline_buttons + self.keyboard_buttons]

    def to_api(self, bot_user: dict) -> dict:
        chat_type = "private" if self.chat_id > 0 else "supergroup"
        msg: dict[str, Any] = {
            "message_id": self.message_id,
            "date": int(time.time()),
            "chat": {"id": self.chat_id, "type": chat_type},
            "from": bot_user,
        }
        if self.document is not None and self.document.get("photo"):
            msg["photo"] = [
                {"file_id": f"pic{self.message_id}", "file_unique_id": f"upic{self.message_id}",
                 "width": 1100, "height": 750, "file_size": len(self.document["content"])}
            ]  # fmt: skip
            if self.caption:
                msg["caption"] = self.caption
        elif self.document is not None:
            msg["document"] = {
                "file_id": f"doc{self.message_id}",
                "file_unique_id": f"udoc{self.message_id}",
                "file_name": self.document["file_name"],
                "file_size": len(self.document["content"]),
            }
            if self.caption:
                msg["caption"] = self.caption
        else:
            msg["text"] = self.text
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            msg["reply_markup"] = self.reply_markup
        return msg


@dataclass
class Event:
    """A send or an edit, in order; the harness waits on these."""

    seq: int
    kind: str  # "send" | "edit"
    message: BotMessage
    text: str = ""  # the text at the time of the event
    answer_lost: bool = False  # delivered, but the bot never got the answer (hang_next)


@dataclass
class _Fault:
    remaining: int
    status: int = 0
    description: str = ""
    parameters: dict | None = None
    hang: float = 0.0
    deliver: bool = False
    chat_id: int | None = None  # only calls to this chat take it (None: any call)


@dataclass
class FakeBotApi:
    token: str = DEFAULT_TOKEN
    latency: float = 0.0  # added to every call (benchmarks)
    calls: list[Call] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bot_user = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Küme Asistanı",
            "username": BOT_USERNAME,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.port = 0
        self._server: HTTPServer | None = None
        self._updates: list[dict] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._event_seq = itertools.count(1)
        self.messages: dict[int, list[BotMessage]] = defaultdict(list)
        self.user_messages: dict[int, list[dict]] = defaultdict(list)  # what users sent
        self.events: dict[int, list[Event]] = defaultdict(list)
        self.blocked_chats: set[int] = set()
        self._faults: dict[str, list[_Fault]] = defaultdict(list)
        self.method_latency: dict[str, float] = {}
        self.webhook_url = ""
        self.commands: list[dict] = []  # the last setMyCommands, whatever its scope
        # scope as (type, chat_id, user_id) -> commands: who sees which menu
        self.scoped_commands: dict[tuple, list[dict]] = {}
        self._changed: asyncio.Condition | None = None
        self._closing = False
        self._handed_out = 0

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        """What TELEGRAM_BASE_URL should be: PTB appends the token and the method."""
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> FakeBotApi:
        self._changed = asyncio.Condition()
        app = Application([(r"/bot([^/]+)/([A-Za-z]+)", _ApiHandler, {"api": self})])
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        sock.listen(512)
        sock.setblocking(False)
        self.port = sock.getsockname()[1]
        self._server = HTTPServer(app, max_body_size=50 * 1024 * 1024)
        self._server.add_sockets([sock])
        return self

    async def stop(self) -> None:
        self._closing = True
        await self._notify()
        if self._server is not None:
            self._server.stop()
            await self._server.close_all_connections()
            self._server = None

    async def __aenter__(self) -> FakeBotApi:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _notify(self) -> None:
        if self._changed is None:
            return
        async with self._changed:
            self._changed.notify_all()

    async def wait_until(
        self, predicate, timeout: float = 5.0, *, recheck: float | None = None
    ) -> Any:
        """Wait until predicate() returns something truthy (re-checked after every call).
        `recheck`: also every that many seconds, for a predicate on state the server does
        not see change (a store the bot writes after its last call)."""
        assert self._changed is not None, "server not started"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        async with self._changed:
            while True:
                result = predicate()
                if result:
                    return result
                left = deadline - loop.time()
                if left <= 0:
                    raise TimeoutError
                try:
                    await asyncio.wait_for(self._changed.wait(), min(left, recheck or left))
                except TimeoutError:
                    result = predicate()
                    if result:
                        return result
                    if loop.time() >= deadline:
                        raise

    # ------------------------------------------------------------------ faults

    def fail_next(
        self,
        method: str,
        times: int = 1,
        *,
        status: int = 429,
        retry_after: int = 1,
        description: str | None = None,
        chat_id: int | None = None,
    ) -> None:
        """The next `times` calls of `method` ("*" = any; to `chat_id` only, if given) answer
        with an error."""
        params = None
        if status == 429:
            description = description or f"Too Many Requests: retry after {retry_after}"
            params = {"retry_after": retry_after}
        elif description is None:
            description = {
                403: "Forbidden: bot was blocked by the user",
                500: "Internal Server Error",
                502: "Bad Gateway",
                503: "Service Unavailable",
            }.get(status, "Bad Request")
        self._faults[method].append(_Fault(times, status, description, params, chat_id=chat_id))

    def hang_next(
        self,
        method: str,
        times: int = 1,
        seconds: float = 30.0,
        *,
        deliver: bool = False,
        chat_id: int | None = None,
    ) -> None:
        """The next `times` calls of `method` (to `chat_id` only, if given) take `seconds`
        (client read time-out). With deliver=True the call still takes effect afterwards:
        Telegram got it, only its answer is lost (as happens on a flaky network)."""
        self._faults[method].append(_Fault(times, hang=seconds, deliver=deliver, chat_id=chat_id))

    def clear_faults(self) -> None:
        self._faults.clear()

    def block_chat(self, chat_id: int) -> None:
        """Every send/edit to this chat answers 403 (user blocked the bot / bot was kicked)."""
        self.blocked_chats.add(chat_id)

    def unblock_chat(self, chat_id: int) -> None:
        self.blocked_chats.discard(chat_id)

    def _take_fault(self, method: str, chat_id: Any = None) -> _Fault | None:
        for key in (method, "*"):
            queue = self._faults.get(key) or []
            for i, fault in enumerate(queue):
                if fault.chat_id is not None and fault.chat_id != chat_id:
                    continue
                fault.remaining -= 1
                if fault.remaining <= 0:
                    queue.pop(i)
                return fault
        return None

    def pending_faults(self) -> int:
        """Faults queued and not yet taken (calls they will still fail)."""
        return sum(f.remaining for queue in self._faults.values() for f in queue)

    # ------------------------------------------------------------------ updates

    def push_update(self, update: dict) -> int:
        update_id = next(self._update_ids)
        self._updates.append({"update_id": update_id, **update})
        asyncio.get_running_loop().create_task(self._notify())
        return update_id

    def make_user(self, uid: int, first_name: str = "Deneme", username: str | None = None) -> dict:
        user = {"id": uid, "is_bot": False, "first_name": first_name, "language_code": "tr"}
        if username:
            user["username"] = username
        return user

    def message_update(
        self, uid: int, text: str | None = None, *, chat_id: int | None = None, **extra: Any
    ) -> int:
        chat_id = uid if chat_id is None else chat_id
        chat = (
            {"id": chat_id, "type": "private", "first_name": "Deneme"}
            if chat_id > 0
            else {"id": chat_id, "type": "supergroup", "title": "Deneme Merkez Grubu"}
        )
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self.make_user(uid),
        }
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [
                    {
                        "type": "bot_command",
                        "offset": 0,
                        "length": len(command.encode("utf-16-le")) // 2,
                    }
                ]
        message.update(extra)
        self.user_messages[chat_id].append(message)
        return self.push_update({"message": message})

    def edit_update(
        self, uid: int, message_id: int, text: str, *, chat_id: int | None = None
    ) -> int:
        """The user edits their earlier message `message_id` (an `edited_message` update)."""
        chat_id = uid if chat_id is None else chat_id
        original = next(m for m in self.user_messages[chat_id] if m["message_id"] == message_id)
        edited = {**original, "text": text, "edit_date": int(time.time())}
        edited.pop("entities", None)
        return self.push_update({"edited_message": edited})

    def callback_update(self, uid: int, message: BotMessage, data: str) -> int:
        return self.push_update(
            {
                "callback_query": {
                    "id": f"cq{next(self._update_ids)}",
                    "from": self.make_user(uid),
                    "chat_instance": str(message.chat_id),
                    "message": message.to_api(self.bot_user),
                    "data": data,
                }
            }
        )

    # ------------------------------------------------------------------ queries

    def calls_of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def find_message(self, chat_id: int, message_id: int) -> BotMessage | None:
        for msg in self.messages.get(chat_id, []):
            if msg.message_id == message_id:
                return msg
        return None

    # ------------------------------------------------------------------ dispatch

    async def handle(self, token: str, method: str, params: dict, files: dict) -> Any:
        if token != self.token:
            raise ApiError(401, "Unauthorized")
        chat_id = params.get("chat_id")
        call = Call(method, params, time.monotonic(), chat_id if isinstance(chat_id, int) else None)
        if method != "getUpdates":
            self.calls.append(call)
        delay = self.latency + self.method_latency.get(method, 0.0)
        if delay:
            await asyncio.sleep(delay)
        fault = self._take_fault(method, chat_id) if method != "getUpdates" else None
        try:
            if fault is not None:
                if fault.hang:
                    await asyncio.sleep(fault.hang)
                    if not fault.deliver:
                        raise ApiError(504, "Gateway Timeout")
                else:
                    raise ApiError(fault.status, fault.description, fault.parameters)
            if isinstance(chat_id, int) and chat_id in self.blocked_chats and method != "getChat":
                raise ApiError(
                    403,
                    "Forbidden: bot was blocked by the user"
                    if chat_id > 0
                    else "Forbidden: bot was kicked from the supergroup chat",
                )
            handler = getattr(self, f"_m_{method}", None)
            if handler is not None:
                result = (
                    await handler(params, files)
                    if asyncio.iscoroutinefunction(handler)
                    else handler(params, files)
                )
                if fault is not None and fault.deliver and isinstance(chat_id, int):
                    self.events[chat_id][-1].answer_lost = True
            elif method in _TRUE_METHODS:
                result = True
            else:
                raise ApiError(404, "Not Found")
        except ApiError as exc:
            call.status = exc.code
            raise
        finally:
            if method != "getUpdates":
                await self._notify()
        return result

    # ------------------------------------------------------------------ methods

    def _m_getMe(self, params: dict, files: dict) -> dict:
        return self.bot_user

    def _m_getWebhookInfo(self, params: dict, files: dict) -> dict:
        return {"url": self.webhook_url, "has_custom_certificate": False, "pending_update_count": 0}

    def _m_setWebhook(self, params: dict, files: dict) -> bool:
        self.webhook_url = str(params.get("url", ""))
        return True

    def _m_getMyCommands(self, params: dict, files: dict) -> list:
        return self.commands

    @staticmethod
    def scope_key(scope: dict | None) -> tuple:
        scope = scope or {"type": "default"}
        return (scope.get("type"), scope.get("chat_id"), scope.get("user_id"))

    def _m_setMyCommands(self, params: dict, files: dict) -> bool:
        self.commands = list(params.get("commands") or [])
        scope = params.get("scope")
        if scope is not None and not isinstance(scope, dict):
            raise ApiError(400, "Bad Request: can't parse BotCommandScope JSON object")
        if scope and scope.get("type") == "chat_member" and int(scope.get("chat_id", 0)) > 0:
            raise ApiError(400, "Bad Request: can't use chat_member scope in a private chat")
        self.scoped_commands[self.scope_key(scope)] = self.commands
        return True

    def _m_deleteMyCommands(self, params: dict, files: dict) -> bool:
        self.scoped_commands.pop(self.scope_key(params.get("scope")), None)
        return True

    def commands_for(self, chat_id: int, user_id: int) -> list[str]:
        """The menu Telegram would show `user_id` in `chat_id`: the most specific scope set
        (chat member, chat, all private chats / all group chats, default), as the Bot API
        documents its scope order."""
        private = chat_id > 0
        order = [("chat_member", chat_id, user_id), ("chat", chat_id, None)]
        order += (
            [("all_private_chats", None, None)]
            if private
            else [("all_chat_administrators", None, None), ("all_group_chats", None, None)]
        )
        order.append(("default", None, None))
        for key in order:
            if key in self.scoped_commands:
                return [c["command"] for c in self.scoped_commands[key]]
        return []

    def pending_updates(self) -> int:
        """Updates pushed but not yet handed out by getUpdates."""
        return sum(1 for u in self._updates if u["update_id"] > self._handed_out)

    async def _m_getUpdates(self, params: dict, files: dict) -> list:
        offset = int(params.get("offset") or 0)
        if offset:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        assert self._changed is not None
        deadline = time.monotonic() + timeout
        async with self._changed:
            while not self._updates and not self._closing:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                try:
                    await asyncio.wait_for(self._changed.wait(), left)
                except TimeoutError:
                    break
        batch = self._updates[:limit]
        if batch:
            self._handed_out = max(self._handed_out, batch[-1]["update_id"])
        return batch

    def _check_markup(self, markup: Any) -> dict | None:
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        for row in markup.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and len(str(data).encode("utf-8")) > MAX_CALLBACK_DATA:
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
                if not button.get("text"):
                    raise ApiError(
                        400, "Bad Request: text buttons are unallowed in the inline keyboard"
                    )
        return markup

    def _visible(self, text: str, parse_mode: Any) -> str:
        if not text:
            raise ApiError(400, "Bad Request: message text is empty")
        visible = parse_html(text) if str(parse_mode or "").upper() == "HTML" else text
        if len(visible) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        return visible

    def _record(self, msg: BotMessage, kind: str) -> None:
        if kind == "send":
            self.messages[msg.chat_id].append(msg)
        self.events[msg.chat_id].append(Event(next(self._event_seq), kind, msg, msg.text))

    def _m_sendMessage(self, params: dict, files: dict) -> dict:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        html_source = str(params.get("text", ""))
        visible = self._visible(html_source, params.get("parse_mode"))
        msg = BotMessage(
            chat_id,
            next(self._message_ids),
            visible,
            html_source,
            self._check_markup(params.get("reply_markup")),
        )
        self._record(msg, "send")
        return msg.to_api(self.bot_user)

    def _m_sendDocument(self, params: dict, files: dict) -> dict:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        upload = files.get("document")
        if upload is None:
            raise ApiError(400, "Bad Request: there is no document in the request")
        caption = params.get("caption")
        visible_caption = self._visible(caption, params.get("parse_mode")) if caption else None
        if visible_caption and len(visible_caption) > 1024:
            raise ApiError(400, "Bad Request: message caption is too long")
        msg = BotMessage(
            chat_id,
            next(self._message_ids),
            visible_caption or "",
            caption or "",
            self._check_markup(params.get("reply_markup")),
            document={
                "file_name": upload["filename"],
                "content": upload["body"],
                "mime_type": upload.get("content_type"),
            },
            caption=visible_caption,
        )
        self._record(msg, "send")
        return msg.to_api(self.bot_user)

    def _m_sendPhoto(self, params: dict, files: dict) -> dict:
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            raise ApiError(400, "Bad Request: chat not found")
        upload = files.get("photo")
        if upload is None:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        if not upload["body"].startswith(b"\x89PNG") and not upload["body"].startswith(b"\xff\xd8"):
            raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
        caption = params.get("caption")
        visible_caption = self._visible(caption, params.get("parse_mode")) if caption else None
        msg = BotMessage(
            chat_id,
            next(self._message_ids),
            visible_caption or "",
            caption or "",
            self._check_markup(params.get("reply_markup")),
            document={
                "file_name": upload["filename"],
                "content": upload["body"],
                "mime_type": upload.get("content_type"),
                "photo": True,
            },
            caption=visible_caption,
        )
        self._record(msg, "send")
        return msg.to_api(self.bot_user)

    def _target(self, params: dict) -> BotMessage:
        chat_id, message_id = params.get("chat_id"), params.get("message_id")
        msg = self.find_message(chat_id, message_id) if isinstance(chat_id, int) else None
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return msg

    def _m_editMessageText(self, params: dict, files: dict) -> dict:
        msg = self._target(params)
        html_source = str(params.get("text", ""))
        visible = self._visible(html_source, params.get("parse_mode"))
        markup = self._check_markup(params.get("reply_markup"))
        if html_source == msg.html and markup == msg.reply_markup:
            raise ApiError(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        msg.text, msg.html, msg.reply_markup = visible, html_source, markup
        msg.edits += 1
        self._record(msg, "edit")
        return msg.to_api(self.bot_user)

    def _m_editMessageReplyMarkup(self, params: dict, files: dict) -> dict:
        msg = self._target(params)
        markup = self._check_markup(params.get("reply_markup"))
        if markup == msg.reply_markup:
            raise ApiError(400, "Bad Request: message is not modified")
        msg.reply_markup = markup
        msg.edits += 1
        self._record(msg, "edit")
        return msg.to_api(self.bot_user)


def _decode_params(arguments: dict[str, list[bytes]]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key, values in arguments.items():
        raw = values[-1].decode("utf-8")
        value: Any = raw
        if key in _JSON_FIELDS:
            try:
                value = json.loads(raw)
            except ValueError as exc:
                raise ApiError(400, f"Bad Request: can't parse {key} JSON object") from exc
        elif key in _INT_FIELDS:
            try:
                value = int(raw)
            except ValueError:
                value = raw  # e.g. "@channelname"
        elif key in _BOOL_FIELDS:
            value = raw.lower() in ("true", "1")
        params[key] = value
    return params


class _ApiHandler(RequestHandler):
    def initialize(self, api: FakeBotApi) -> None:
        self.api = api

    def check_xsrf_cookie(self) -> None:  # a bot API, not a browser form
        pass

    async def get(self, token: str, method: str) -> None:
        await self.post(token, method)

    async def post(self, token: str, method: str) -> None:
        try:
            content_type = self.request.headers.get("Content-Type", "")
            if content_type.startswith("application/json") and self.request.body:
                params = json.loads(self.request.body)
            else:
                args = dict(self.request.query_arguments)
                args.update(self.request.body_arguments)
                params = _decode_params(args)
            files = {
                name: {
                    "filename": f[0]["filename"],
                    "body": f[0]["body"],
                    "content_type": f[0]["content_type"],
                }
                for name, f in self.request.files.items()
            }
            result = await self.api.handle(token, method, params, files)
        except ApiError as exc:
            self.set_status(exc.code)
            body: dict[str, Any] = {
                "ok": False,
                "error_code": exc.code,
                "description": exc.description,
            }
            if exc.parameters:
                body["parameters"] = exc.parameters
            self._write_json(body)
            return
        self._write_json({"ok": True, "result": result})

    def _write_json(self, body: dict) -> None:
        self.set_header("Content-Type", "application/json")
        try:
            self.finish(json.dumps(body, ensure_ascii=False))
        except Exception:  # the client already gave up (time-out, cancelled long poll)
            pass

    def on_connection_close(self) -> None:  # client gave up (time-out / cancelled poll)
        pass
