"""AiohttpRequest (bot/telegram/transport.py) against the fake Bot API server: bodies
arrive intact, Bot API and network failures become the telegram.error types PTB's
HTTPXRequest raises, and the application is wired to the transport KUME_HTTP_CLIENT names."""

from __future__ import annotations

import asyncio
import datetime as dt
import socket
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.request import HTTPXRequest

from bot.config import Settings, SettingsError
from bot.telegram.transport import AiohttpRequest
from tests.support.fake_bot_api import FakeBotApi
from tests.support.harness import running_bot, settings_env

pytestmark = pytest.mark.timeout(60)

CHAT = 1001


@pytest.fixture
async def server() -> AsyncIterator[FakeBotApi]:
    api = FakeBotApi()
    await api.start()
    try:
        yield api
    finally:
        await api.stop()


def make_bot(base_url: str, token: str, request: AiohttpRequest | None = None) -> Bot:
    return Bot(
        token,
        base_url=base_url,
        request=request or AiohttpRequest(connection_pool_size=4),
        get_updates_request=AiohttpRequest(connection_pool_size=1),
    )


async def test_form_fields_and_reply_markup_arrive_intact(server: FakeBotApi) -> None:
    text = "Çorum’daki <b>KOBİ</b> için başvuru: ğüşiöç İı &amp; 🚀 «tamam»"
    markup = InlineKeyboardMarkup(
        [[InlineKeyboardButton("Uygun muyum? ✅", callback_data="şart:1&2=3")]]
    )
    async with make_bot(server.base_url, server.token) as bot:
        sent = await bot.send_message(CHAT, text, parse_mode=ParseMode.HTML, reply_markup=markup)

    msg = server.messages[CHAT][-1]
    assert msg.html == text
    assert msg.text == "Çorum’daki KOBİ için başvuru: ğüşiöç İı & 🚀 «tamam»"
    assert msg.inline_buttons == [{"text": "Uygun muyum? ✅", "callback_data": "şart:1&2=3"}]
    assert sent.message_id == msg.message_id  # the response body was read back too
    assert sent.reply_markup == markup


async def test_document_upload_arrives(server: FakeBotApi) -> None:
    content = bytes(range(256)) * 64  # binary, 16 KiB
    async with make_bot(server.base_url, server.token) as bot:
        sent = await bot.send_document(
            CHAT,
            document=content,
            filename="Başvurular_Çorum.xlsx",
            caption="Dışa aktarım ✅ <i>3 kayıt</i>",
            parse_mode=ParseMode.HTML,
        )

    msg = server.messages[CHAT][-1]
    assert msg.document is not None
    assert msg.document["content"] == content
    assert msg.document["file_name"] == "Başvurular_Çorum.xlsx"
    assert msg.caption == "Dışa aktarım ✅ 3 kayıt"
    assert sent.document is not None and sent.document.file_size == len(content)


async def test_too_many_requests_raises_retry_after(server: FakeBotApi) -> None:
    server.fail_next("sendMessage", status=429, retry_after=7)
    async with make_bot(server.base_url, server.token) as bot:
        with pytest.raises(RetryAfter) as caught:
            await bot.send_message(CHAT, "Merhaba")
        assert caught.value.retry_after in (7, dt.timedelta(seconds=7))
        await bot.send_message(CHAT, "İkinci deneme")  # the fault was one-off
    assert [m.text for m in server.messages[CHAT]] == ["İkinci deneme"]


async def test_hung_call_raises_timed_out(server: FakeBotApi) -> None:
    server.hang_next("sendMessage", seconds=5)
    request = AiohttpRequest(read_timeout=0.3, write_timeout=0.3)
    async with make_bot(server.base_url, server.token, request) as bot:
        started = time.monotonic()
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "Bekleyen çağrı")
        assert time.monotonic() - started < 3  # the read time-out, not the server's 5 s


async def test_full_pool_raises_timed_out(server: FakeBotApi) -> None:
    server.hang_next("sendMessage", seconds=2, deliver=True)
    request = AiohttpRequest(connection_pool_size=1, connect_timeout=0.1, pool_timeout=0.2)
    async with make_bot(server.base_url, server.token, request) as bot:
        first = asyncio.create_task(bot.send_message(CHAT, "Uzun süren"))
        await asyncio.sleep(0.1)  # the first call holds the only connection
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "Sırada bekleyen")
        await first
    assert [m.text for m in server.messages[CHAT]] == ["Uzun süren"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_refused_connection_raises_network_error() -> None:
    request = AiohttpRequest(connect_timeout=2)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"http://127.0.0.1:{free_port()}/bot1:x/getMe")
    finally:
        await request.shutdown()
    assert not isinstance(caught.value, TimedOut)
    assert "aiohttp.Client" in caught.value.message


async def test_network_error_message_hides_the_token() -> None:
    request = AiohttpRequest()
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.post("http://127.0.0.1:notaport/bot1:SECRET-token/getMe")
    finally:
        await request.shutdown()
    assert "SECRET-token" not in caught.value.message
    assert caught.value.message.startswith("aiohttp.")


async def test_shutdown_closes_the_session_and_initialize_reopens(server: FakeBotApi) -> None:
    request = AiohttpRequest()
    url = f"{server.base_url}{server.token}/getMe"
    await request.initialize()
    session = request._session
    assert session is not None and not session.closed
    assert (await request.post(url))["username"] == server.bot_user["username"]

    await request.shutdown()
    assert session.closed and request.is_closed
    with pytest.raises(NetworkError, match="not initialized"):  # PTB wraps the RuntimeError
        await request.post(url)
    await request.shutdown()  # a second shutdown is harmless

    await request.initialize()
    try:
        assert (await request.post(url))["id"] == server.bot_user["id"]
    finally:
        await request.shutdown()


def test_timeouts_map_to_aiohttp() -> None:
    from bot.telegram.transport import _client_timeout

    timeout = _client_timeout(read=4, write=3, connect=2, pool=1)
    assert (timeout.sock_read, timeout.sock_connect, timeout.connect) == (4, 2, 3)
    assert timeout.total == 10
    unbounded = _client_timeout(read=None, write=3, connect=2, pool=1)
    assert unbounded.total is None and unbounded.sock_read is None
    assert AiohttpRequest(read_timeout=7.5).read_timeout == 7.5


def test_http_client_setting() -> None:
    env = {"TELEGRAM_BOT_TOKEN": "1:x"}
    assert Settings.from_env(env, dotenv_path=None).http_client == "aiohttp"
    httpx = Settings.from_env({**env, "KUME_HTTP_CLIENT": " HTTPX "}, dotenv_path=None)
    assert httpx.http_client == "httpx"
    with pytest.raises(SettingsError, match=r"KUME_HTTP_CLIENT.*bilinmeyen değer «curl»"):
        Settings.from_env({**env, "KUME_HTTP_CLIENT": "curl"}, dotenv_path=None)


@pytest.mark.parametrize(("client", "kind"), [("aiohttp", AiohttpRequest), ("httpx", HTTPXRequest)])
async def test_application_uses_the_chosen_transport(
    tmp_path: Path, server: FakeBotApi, client: str, kind: type
) -> None:
    from bot.telegram.app import build_application

    env = settings_env(server, tmp_path, {"KUME_HTTP_CLIENT": client})
    settings = Settings.from_env(env, dotenv_path=None)
    app = build_application(settings, store=object(), register_user=False)
    get_updates, general = app.bot._request  # PTB keeps (getUpdates, everything else)
    assert isinstance(general, kind) and isinstance(get_updates, kind)
    assert general.read_timeout == settings.http_timeout
    if client == "aiohttp":
        assert general._pool_size == settings.http_pool_size
        assert get_updates._pool_size == 1


async def test_bot_answers_with_the_httpx_fallback(tmp_path: Path) -> None:
    async with running_bot(tmp_path, env={"KUME_HTTP_CLIENT": "httpx"}) as h:
        assert isinstance(h.app.bot.request, HTTPXRequest)
        user = h.user(CHAT)
        await user.send("/start")
        await user.expect_text(contains="Hoş geldiniz")


PROXY_VARS = ("http_proxy", "https_proxy", "all_proxy", "no_proxy")


async def _recording_proxy(seen: list[bytes]) -> asyncio.Server:
    """A plain-HTTP proxy stand-in: keeps each request's head and answers like getMe."""
    body = b'{"ok": true, "result": {"id": 7, "is_bot": true, "first_name": "Vekil"}}'

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        seen.append(head)
        length = next(
            (
                int(line.split(b":")[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            ),
            0,
        )
        await reader.readexactly(length)
        writer.write(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        writer.close()

    return await asyncio.start_server(handle, "127.0.0.1", 0)


@pytest.fixture
def clean_proxy_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


async def test_proxy_and_netrc_from_the_environment(
    server: FakeBotApi, tmp_path: Path, clean_proxy_env: pytest.MonkeyPatch
) -> None:
    """HTTP_PROXY carries every call with its credentials (httpx's trust_env behaviour, kept
    with aiohttp), and a .netrc entry for the Bot API host is sent as its credentials;
    NO_PROXY goes direct."""
    seen: list[bytes] = []
    proxy = await _recording_proxy(seen)
    port = proxy.sockets[0].getsockname()[1]
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login kume password gizli\n")
    netrc.chmod(0o600)
    clean_proxy_env.setenv("HTTP_PROXY", f"http://vekil:sifre@127.0.0.1:{port}")
    clean_proxy_env.setenv("NETRC", str(netrc))
    url = f"{server.base_url}{server.token}/getMe"
    request = AiohttpRequest()
    await request.initialize()
    try:
        assert (await request.post(url))["first_name"] == "Vekil"
        assert (await request.post(url))["first_name"] == "Vekil"  # the second call too
    finally:
        await request.shutdown()
        proxy.close()
        await proxy.wait_closed()
    assert len(seen) == 2
    for head in seen:
        assert head.startswith(f"POST {url} HTTP/1.1".encode())  # absolute form: a proxy
        assert b"\r\nAuthorization: Basic a3VtZTpnaXpsaQ==" in head  # base64 of kume:gizli
        assert b"Proxy-Authorization: Basic dmVraWw6c2lmcmU=" in head  # vekil:sifre
    assert server.calls_of("getMe") == []

    clean_proxy_env.setenv("NO_PROXY", "127.0.0.1")
    request = AiohttpRequest()
    await request.initialize()  # the environment is read again for a new session
    try:
        assert (await request.post(url))["username"] == server.bot_user["username"]
    finally:
        await request.shutdown()
    assert len(server.calls_of("getMe")) == 1
