"""PTB request class on aiohttp: the Bot API transport of the bot.

PTB's default HTTPXRequest spends about half of the bot's CPU under load in httpcore's
connection pool, which scans every connection and every queued request for each request
(encode/httpcore#1035, #1111, open). aiohttp's connector hands out pooled connections in
constant time. Behaviour follows HTTPXRequest: same body encodings, same default timeouts,
and the same telegram.error types (the error handler and AIORateLimiter rely on them).
"""

from __future__ import annotations

from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
# "Use the request object's default" arrives as an instance of PTB's DefaultValue class; its
# module is private, so the class is taken from the public sentinel.
_DefaultValue = type(BaseRequest.DEFAULT_NONE)
# A timeout as PTB passes it: seconds, None (no limit) or the default sentinel.
Timeout = float | None | object


class AiohttpRequest(BaseRequest):
    """`telegram.request.BaseRequest` on one aiohttp.ClientSession.

    Timeouts as in HTTPXRequest, mapped to aiohttp: `connect_timeout` → `sock_connect`,
    `read_timeout` → `sock_read`, `pool_timeout` + `connect_timeout` → `connect` (aiohttp
    counts the wait for a free connection there). aiohttp has no per-write timeout, so
    `write_timeout` (`media_write_timeout` for uploads) bounds the whole call together with
    the others: `total` = pool + connect + write + read when all are finite.
    """

    __slots__ = (
        "_connect_timeout",
        "_media_write_timeout",
        "_pool_size",
        "_pool_timeout",
        "_read_timeout",
        "_session",
        "_write_timeout",
    )

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        if connection_pool_size < 1:
            raise ValueError("connection_pool_size must be at least 1")
        self._pool_size = connection_pool_size
        self._read_timeout = read_timeout
        self._write_timeout = write_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._media_write_timeout = media_write_timeout
        # aiohttp binds a session to the running event loop: created in initialize()
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        """See `BaseRequest.read_timeout`: the default read timeout in seconds."""
        return self._read_timeout

    @property
    def is_closed(self) -> bool:
        return self._session is None or self._session.closed

    async def initialize(self) -> None:
        """See `BaseRequest.initialize`; opens the session (again after a shutdown)."""
        if self.is_closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                # proxies from HTTPS_PROXY/ALL_PROXY/NO_PROXY, as httpx does by default
                trust_env=True,
            )

    async def shutdown(self) -> None:
        """See `BaseRequest.shutdown`."""
        if self.is_closed:
            return
        assert self._session is not None
        await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        write_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        connect_timeout: Timeout = BaseRequest.DEFAULT_NONE,
        pool_timeout: Timeout = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """See `BaseRequest.do_request`."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")

        files = request_data.multipart_data if request_data else None
        timeout = _client_timeout(
            _seconds(read_timeout, self._read_timeout),
            _seconds(write_timeout, self._media_write_timeout if files else self._write_timeout),
            _seconds(connect_timeout, self._connect_timeout),
            _seconds(pool_timeout, self._pool_timeout),
        )

        headers = {"User-Agent": self.USER_AGENT}
        body: aiohttp.FormData | bytes | None = None
        if files:
            body = _multipart(request_data.json_parameters, files)  # type: ignore[union-attr]
        elif request_data is not None:
            body = request_data.url_encoded_parameters().encode("ascii")
            headers["Content-Type"] = FORM_CONTENT_TYPE

        try:
            async with session.request(
                method, url, data=body, headers=headers, timeout=timeout
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:  # aiohttp's ServerTimeoutError is a TimeoutError
            raise TimedOut from err
        except aiohttp.ClientError as err:
            # the message names the cause, as HTTPXRequest's does; the URL holds the token
            detail = str(err).replace(url, "<url>")
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {detail}") from err


def _seconds(value: Timeout, default: float | None) -> float | None:
    if isinstance(value, _DefaultValue):
        return default
    assert value is None or isinstance(value, int | float)
    return value


def _client_timeout(
    read: float | None, write: float | None, connect: float | None, pool: float | None
) -> aiohttp.ClientTimeout:
    parts = (pool, connect, write, read)
    total = None if None in parts else sum(parts)  # type: ignore[arg-type]
    acquire = None if connect is None or pool is None else connect + pool
    return aiohttp.ClientTimeout(total=total, connect=acquire, sock_connect=connect, sock_read=read)


def _multipart(fields: dict[str, str], files: dict[str, Any]) -> aiohttp.FormData:
    """Parameters and files in one multipart body, as httpx builds it for PTB. Field and
    file names go out as UTF-8 (quote_fields=False), like httpx: Telegram keeps «ç, ğ, ş»."""
    form = aiohttp.FormData(quote_fields=False, charset="utf-8")
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form
