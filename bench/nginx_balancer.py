"""A throw-away nginx (Debian's package, scripts/bench-deps) as the round-robin load balancer
in front of several bot webhooks, for bench/bench_pg_bot.py: what an operator would run, and
far cheaper in CPU than a Python proxy on the machine the bots share.

`NginxBalancer(port, backends)` writes a configuration into a temporary directory, starts
nginx in the foreground (one worker, 127.0.0.1 only, no access log) and stops it on `stop()`.
A POST is never retried by nginx on another backend (it is not idempotent); a failed backend
answers 502 and Telegram's delivery (tests/support/webhook_feed.py) sends the update again.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse

CANDIDATES = ("/usr/sbin/nginx", "/usr/bin/nginx")

CONFIG = """\
worker_processes 1;
daemon off;
master_process on;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    upstream bots {{
{servers}
        keepalive 256;
    }}
    server {{
        listen 127.0.0.1:{port} backlog=1024;
        location / {{
            proxy_pass http://bots;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_read_timeout 60s;
            client_body_buffer_size 64k;
        }}
    }}
}}
"""


def nginx_binary() -> str | None:
    found = shutil.which("nginx")
    return found or next((c for c in CANDIDATES if Path(c).exists()), None)


class NginxBalancer:
    def __init__(self, port: int, backends: list[str]) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx yok: scripts/bench-deps kurar")
        self.root = Path(tempfile.mkdtemp(prefix="kume-nginx-"))
        servers = "\n".join(
            f"        server {urlparse(b).hostname}:{urlparse(b).port};" for b in backends
        )
        # The request's path goes through as it is: the backends serve the same webhook path.
        config = CONFIG.format(root=self.root, servers=servers, port=port)
        (self.root / "nginx.conf").write_text(config)
        self.port = port
        self.proc = subprocess.Popen(
            [binary, "-p", str(self.root), "-c", str(self.root / "nginx.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        self._wait_listening(20)

    def _wait_listening(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError((self.root / "error.log").read_text(errors="replace"))
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def pids(self) -> list[int]:
        """The master and its workers (their CPU is the balancer's)."""
        out = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.proc.pid)], capture_output=True, text=True
        ).stdout
        return [self.proc.pid, *(int(p) for p in out.split())]

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.root, ignore_errors=True)
