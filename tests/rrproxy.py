"""A small round-robin HTTP proxy for multi-instance tests: POSTs go to the next live backend.

Like nginx with ``proxy_next_upstream error``: a backend that refuses the connection (killed)
is skipped for that request and the next one is tried; its answer (status and body) is passed
back unchanged. Only 127.0.0.1.
"""

from __future__ import annotations

import itertools
import socket
from collections import Counter

import aiohttp
from aiohttp import web


class RoundRobinProxy:
    """Forward each request to the backends in turn, skipping those that refuse."""

    def __init__(self, backends: list[str]) -> None:
        self.backends = list(backends)
        self.per_backend: Counter[str] = Counter()
        self.refused: Counter[str] = Counter()
        # (backend, request body) of every attempt, answered or not.
        self.attempts: list[tuple[str, bytes]] = []
        self._turn = itertools.count()
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self.port = 0
        self._sock: socket.socket | None = None

    @property
    def url(self) -> str:
        """Return the proxy's base URL."""
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        """Bind 127.0.0.1 on a free port and serve."""
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30))
        app = web.Application(client_max_size=1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self._sock = sock
        await web.SockSite(self._runner, sock, backlog=1024).start()
        self.port = int(sock.getsockname()[1])

    async def stop(self) -> None:
        """Stop serving and close the client."""
        if self._runner is not None:
            await self._runner.cleanup()
        if self._http is not None:
            await self._http.close()
        if self._sock is not None:
            self._sock.close()

    async def _forward(self, request: web.Request) -> web.Response:
        assert self._http is not None
        body = await request.read()
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in ("host", "content-length", "transfer-encoding")}
        start = next(self._turn)
        for i in range(len(self.backends)):
            backend = self.backends[(start + i) % len(self.backends)]
            self.attempts.append((backend, body))
            try:
                async with self._http.request(request.method, backend + request.path_qs,
                                              data=body, headers=headers) as answer:
                    data = await answer.read()
                    self.per_backend[backend] += 1
                    return web.Response(status=answer.status, body=data,
                                        content_type=answer.content_type)
            except aiohttp.ClientConnectionError:
                self.refused[backend] += 1
        return web.Response(status=502)
