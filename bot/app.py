"""Composition root: settings + store + words + flow + handlers -> a PTB Application."""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from telegram import BotCommand
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import alerts, checker, conflicts, delivery, evidence, followups, metrics
from bot.engine.loader import load_flow
from bot.handlers import general, guard, triage
from bot.i18n import Translator
from bot.ratelimit import SendBudget
from bot.services import SERVICES_KEY, Services, services_of
from bot.settings import SUPPORTED_LOCALES, Settings
from bot.store.cases import Store
from bot.store.coord import COORD_KEY, Coordinator, coord_of
from bot.store.db import open_database

log = logging.getLogger(__name__)

App = Application[Any, Any, Any, Any, Any, Any]

TRIAGE_BUTTONS = r"^(cs|sy|sd|tk|go|an|xs|xd|xt|xc|rs|nc|sh|bk|ed|em|ao|ca|pp):?"
GENERAL_BUTTONS = r"^(lg|dl):"
RETENTION_INTERVAL_S = 3600.0


async def build_services(settings: Settings, clock: Callable[[], float] = time.time) -> Services:
    """Open the database and load words and flow (a broken flow stops start-up here)."""
    translator = Translator()
    flow = load_flow(translator=translator)
    db = await open_database(settings.database_dsn(), settings.database_path)
    return Services(settings=settings, db=db, store=Store(db), t=translator, flow=flow,
                    clock=clock)


def build_application(
    svc: Services,
    *,
    token: str,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    rate_limit: bool = False,
) -> App:
    """Build the Application with every handler, in an explicit order."""
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        Application.builder()
        .token(token)
        .base_url(svc.settings.api_base_url)
        .base_file_url(svc.settings.api_file_url)
        # One chat's updates in order, different chats at once (a slow chat stalls only itself).
        .concurrent_updates(delivery.processor(svc))
    )
    if request is not None:
        builder = builder.request(request)
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    if rate_limit:
        # Paces messages (not answers or edits) per bot and per chat; RetryAfter holds one chat.
        builder = builder.rate_limiter(SendBudget(shared=lambda: delivery.broadcast_pacer(svc)))
    app: App = builder.build()
    app.bot_data[SERVICES_KEY] = svc
    register_handlers(app)
    metrics.register(app, svc)
    return app


def register_handlers(app: App) -> None:
    """Add the handlers. Order matters: commands, then buttons by prefix, then text."""
    # Edits and captions holding a secret are stopped first, in an earlier group.
    guard.register(app)
    private = filters.ChatType.PRIVATE
    commands: list[tuple[str, Any]] = [
        ("start", triage.start),
        ("new", triage.new_case),
        ("case", triage.show_case),
        ("cases", triage.list_cases),
        ("cancel", triage.cancel),
        ("help", general.help_command),
        ("lang", general.lang),
        ("privacy", general.privacy),
        ("export", general.export),
        ("delete", general.delete),
    ]
    for name, callback in commands:
        app.add_handler(CommandHandler(name, callback))

    app.add_handler(CallbackQueryHandler(triage.button, pattern=TRIAGE_BUTTONS))
    app.add_handler(CallbackQueryHandler(general.button, pattern=GENERAL_BUTTONS))

    # Feature modules (follow-ups, alerts) register here, before the catch-alls below.
    # A case write that lost a race is handled again first; then delivery's error handler,
    # which must run before the generic one.
    conflicts.register(app)
    delivery.register(app)
    alerts.register(app)
    followups.register(app)
    # The checker first: its screenshot handler (caption /check) precedes the evidence uploads.
    checker.register(app)
    evidence.register(app)

    # Any other button: stale or forged; answered with a clear message, nothing changes.
    app.add_handler(CallbackQueryHandler(triage.button))
    # New messages only: editing an old message must not answer the current question.
    fresh = filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(private & fresh & filters.TEXT & ~filters.COMMAND,
                                   triage.text))
    app.add_handler(MessageHandler(private & fresh & ~filters.StatusUpdate.ALL,
                                   general.other_message))
    app.add_error_handler(general.on_error)


async def start_app(app: App, *, set_commands: bool = False) -> None:
    """Start the (initialized) application, its jobs and every feature's start hook."""
    svc = services_of(app)
    await app.start()
    if app.job_queue is not None:
        purge: Any = general.purge_job
        abandoned: Any = triage.close_abandoned_job
        coord = coord_of(svc)
        if coord is not None:
            # Several processes: each job runs in the one holding its lease.
            purge = coord.guarded("retention", purge)
            abandoned = coord.guarded("abandoned", abandoned)
        app.job_queue.run_repeating(purge, interval=RETENTION_INTERVAL_S, first=5.0,
                                    name="retention")
        app.job_queue.run_repeating(abandoned, interval=RETENTION_INTERVAL_S, first=7.0,
                                    name="abandoned")
    if set_commands:
        await publish_commands(app, svc)
    for hook in svc.hooks.on_start:
        await hook(app)


async def stop_app(app: App) -> None:
    """Run the features' stop hooks, then stop the application (even if a hook fails)."""
    try:
        for hook in reversed(services_of(app).hooks.on_stop):
            try:
                await hook(app)
            except Exception:
                log.exception("a stop hook failed; stopping anyway")
    finally:
        await app.stop()


async def publish_commands(app: App, svc: Services) -> None:
    """Set the command menu in both languages (zh for Chinese clients, en for the rest)."""
    for locale in SUPPORTED_LOCALES:
        commands = [BotCommand(cmd, svc.t(locale, key)) for cmd, key in general.MENU]
        if locale == "zh-CN":
            await app.bot.set_my_commands(commands, language_code="zh")
        else:
            await app.bot.set_my_commands(commands)


@asynccontextmanager
async def running(settings: Settings) -> AsyncIterator[tuple[App, asyncio.Event]]:
    """Build the bot, make its first Bot API call (a failure becomes one line and an exit code,
    bot/startup.py), start it and yield it with an event set by SIGTERM/SIGINT; then stop it and
    close the database. Polling and webhook mode add only how updates arrive."""
    from bot.startup import explain, first_call

    assert settings.bot_token is not None
    token = settings.bot_token.get_secret_value()
    svc = await build_services(settings)
    # Every process may share its database with others (README "Running at scale").
    coord = Coordinator(svc.db, name=settings.instance_id,
                        heartbeat_s=settings.instance_heartbeat_s,
                        lease_s=settings.instance_lease_s)
    svc.extras[COORD_KEY] = coord
    app = build_application(svc, token=token, rate_limit=True)
    budget = app.bot.rate_limiter
    if isinstance(budget, SendBudget):
        coord.watch(budget.share)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    try:
        try:
            with first_call():
                await app.bot.initialize()
        except Exception as exc:
            raise explain(exc, settings.api_base_url, token) from None
        await coord.start()
        try:
            async with app:
                await start_app(app, set_commands=True)
                try:
                    yield app, stop
                finally:
                    await stop_app(app)
        finally:
            await coord.stop()
    finally:
        await svc.db.close()
