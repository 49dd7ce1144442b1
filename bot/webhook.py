"""Webhook mode: Telegram posts updates to WEBHOOK_URL; this serves them beside the probes.

An aiohttp server (the project's HTTP library already) with four routes:
- ``POST /telegram``: an update; Telegram's ``X-Telegram-Bot-Api-Secret-Token`` header must equal
  WEBHOOK_SECRET (otherwise 403, logged without the request body); the update goes to the
  Application's queue, so per-chat order and the send budget hold as in polling mode, and the
  post is answered once the update is handled (so a killed instance's updates are posted again);
- ``GET /healthz``: liveness (the process answers);
- ``GET /readyz``: the database answers and every migration is applied (503 otherwise);
- ``GET /metrics``: Prometheus text format (bot/metrics.py; no user data in labels).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from typing import Any

from aiohttp import web
from telegram import Update

from bot.metrics import metrics_of
from bot.services import Services, services_of
from bot.settings import Settings
from bot.store.db import migrations
from bot.updates import ChatOrderedProcessor

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram"
# Telegram waits about a minute for an answer; a longer handling is answered before it ends.
ANSWER_WITHIN_S = 30.0
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
App = Any  # telegram.ext.Application with our defaults


def routes(app: App, secret: str) -> web.Application:
    """The web application: webhook, liveness, readiness and metrics."""
    svc = services_of(app)

    async def telegram(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook request without the right secret token from %s",
                        request.remote)
            return web.Response(status=403)
        try:
            data = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return web.Response(status=400)
        update = Update.de_json(data, app.bot)
        if update is None:
            return web.Response(status=400)
        processor = app.update_processor
        if not isinstance(processor, ChatOrderedProcessor):
            await app.update_queue.put(update)
            return web.Response(status=200)
        # Answered once handled (or after ANSWER_WITHIN_S): a process killed before that
        # leaves Telegram's request unanswered, and Telegram posts the update again (through
        # the proxy, to another instance); the update ledger keeps it from running twice.
        done = processor.done_event(update.update_id)
        await app.update_queue.put(update)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.shield(done), ANSWER_WITHIN_S)
        return web.Response(status=200)

    async def healthz(_: web.Request) -> web.Response:
        return web.Response(text="ok")

    async def readyz(_: web.Request) -> web.Response:
        ready, why = await is_ready(svc)
        return web.Response(status=200 if ready else 503, text=why)

    async def metrics(_: web.Request) -> web.Response:
        body = await metrics_of(svc).render(svc)
        return web.Response(body=body, content_type="text/plain", charset="utf-8")

    web_app = web.Application(client_max_size=1024 * 1024)
    web_app.router.add_post(WEBHOOK_PATH, telegram)
    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/readyz", readyz)
    web_app.router.add_get("/metrics", metrics)
    return web_app


async def is_ready(svc: Services) -> tuple[bool, str]:
    """Tell whether the database answers and has every migration applied."""
    try:
        applied = await svc.db.applied_migrations()
    except Exception as exc:  # any database failure means "not ready"
        return False, f"database: {type(exc).__name__}"
    missing = [n for n, _ in migrations() if n not in applied]
    if missing:
        return False, f"migrations not applied: {missing}"
    return True, "ready"


async def serve(app: App, settings: Settings) -> web.AppRunner:
    """Start the web server on WEBHOOK_LISTEN:WEBHOOK_PORT; return its runner (cleanup stops)."""
    assert settings.webhook_secret is not None
    runner = web.AppRunner(routes(app, settings.webhook_secret.get_secret_value()),
                           access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_listen, settings.webhook_port)
    await site.start()
    return runner


async def run_webhook(settings: Settings) -> None:
    """Serve updates posted by Telegram until SIGTERM or SIGINT."""
    from bot.app import running

    assert settings.webhook_url is not None and settings.webhook_secret is not None
    async with running(settings) as (app, stop):
        runner = await serve(app, settings)
        await app.bot.set_webhook(
            url=settings.webhook_url.rstrip("/") + WEBHOOK_PATH,
            secret_token=settings.webhook_secret.get_secret_value(),
            allowed_updates=Update.ALL_TYPES,
            max_connections=settings.webhook_max_connections,
        )
        log.info("ready: webhook on %s:%d", settings.webhook_listen, settings.webhook_port)
        await stop.wait()
        log.info("stopping")
        await runner.cleanup()  # finish requests in flight, accept no more
