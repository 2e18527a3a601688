"""PTB request class on aiohttp: the Bot API transport of the bot.

PTB's default HTTPXRequest spends about half of the bot's CPU under load in httpcore's
connection pool, which scans every connection and every queued request for each request
(encode/httpcore#1035, #1111, open). aiohttp's connector hands out pooled connections in
constant time. Behaviour follows HTTPXRequest: same body encodings, same default timeouts,
and the same telegram.error types (the error handler and AIORateLimiter rely on them).

Proxies (HTTPS_PROXY/ALL_PROXY/NO_PROXY) and .netrc credentials are honoured as httpx's
`trust_env` does, but looked up once per host: aiohttp's own `trust_env=True` reads the
environment and ~/.netrc again for every request, each time in a worker thread (two thread
hand-offs per Bot API call, about a tenth of the bot's CPU under load).
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import aiohttp
from aiohttp.helpers import basicauth_from_netrc, get_env_proxy_for_url, netrc_from_env
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from yarl import URL

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
# "Use the request object's default" arrives as an instance of PTB's DefaultValue class; its
# module is private, so the class is taken from the public sentinel.
_DefaultValue = type(BaseRequest.DEFAULT_NONE)
# A timeout as PTB passes it: seconds, None (no limit) or the default sentinel.
Timeout = float | None | object
# What the environment says for one origin: the proxy, the headers of its CONNECT (https)
# and the headers every request adds (.netrc's Authorization; Proxy-Authorization when a
# plain-http request goes through the proxy), as aiohttp's trust_env would send them.
EnvSettings = tuple[URL | None, dict[str, str] | None, dict[str, str]]


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
        "_env",
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
        self._env: dict[str, EnvSettings] = {}  # origin → what the environment says

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
                # the environment is read by _from_env, once per host
                trust_env=False,
            )
            self._env.clear()

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

        proxy, proxy_headers, extra_headers = await self._from_env(url)
        if extra_headers:
            headers.update(extra_headers)
        try:
            async with session.request(
                method,
                url,
                data=body,
                headers=headers,
                timeout=timeout,
                proxy=proxy,
                proxy_headers=proxy_headers,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as err:  # aiohttp's ServerTimeoutError is a TimeoutError
            raise TimedOut from err
        except aiohttp.ClientError as err:
            # the message names the cause, as HTTPXRequest's does; the URL holds the token
            detail = str(err).replace(url, "<url>")
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {detail}") from err

    async def _from_env(self, url: str) -> EnvSettings:
        """Proxy and credentials for the host of `url`, as aiohttp's `trust_env` finds them
        (a proxy the env names unless NO_PROXY bypasses the host; a .netrc entry)."""
        origin = "/".join(url.split("/", 3)[:3])  # "scheme://host:port", parsed only once
        found = self._env.get(origin)
        if found is None:  # the first call to this host: file I/O, so in a thread, once
            try:
                parsed = URL(url)
            except ValueError:  # aiohttp reports it (InvalidURL) as for any call
                return None, None, {}
            found = self._env[origin] = await asyncio.to_thread(_env_settings, parsed)
        return found


def _env_settings(url: URL) -> EnvSettings:
    proxy: URL | None = None
    proxy_headers: dict[str, str] | None = None
    extra: dict[str, str] = {}
    with contextlib.suppress(LookupError):
        proxy, proxy_auth = get_env_proxy_for_url(url)
        if proxy_auth is not None:  # to the proxy only: in the tunnel's CONNECT for https
            if url.scheme in ("https", "wss"):
                proxy_headers = {"Proxy-Authorization": proxy_auth.encode()}
            else:
                extra["Proxy-Authorization"] = proxy_auth.encode()
    if url.host is not None:
        with contextlib.suppress(LookupError):
            extra["Authorization"] = basicauth_from_netrc(netrc_from_env(), url.host).encode()
    return proxy, proxy_headers, extra


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
