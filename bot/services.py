"""The objects every handler needs, built once by the composition root."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.callbacks import Callback
from bot.engine.schema import Flow
from bot.i18n import Translator
from bot.settings import Settings
from bot.store.cases import CaseRow, Store
from bot.store.db import Database

CaseHook = Callable[[CaseRow], Awaitable[None]]
AppHook = Callable[["Application[Any, Any, Any, Any, Any, Any]"], Awaitable[None]]
ExportHook = Callable[[int], Awaitable[dict[str, Any]]]
# Text sent while no question is open: a feature may answer it (True) before the fallback.
StrayTextHook = Callable[[Update, "ContextTypes.DEFAULT_TYPE", Any, str], Awaitable[bool]]
# (case, locale) -> rows of (label, button) for the /case screen.
CaseActionsHook = Callable[[CaseRow, str], Awaitable[list[list[tuple[str, Callback]]]]]


@dataclass
class Hooks:
    """Extension points features subscribe to.

    ``case_planned`` runs after the plan is committed and before it is sent; ``on_start``
    runs once the application is started (jobs, senders), ``on_stop`` before it stops;
    ``export`` adds a feature's rows about a user to /export (PIPL: everything stored);
    ``case_closed`` runs after a user closed a case; ``case_actions`` adds rows of buttons to
    the /case screen.
    """

    case_planned: list[CaseHook] = field(default_factory=list)
    # After a case was closed by the user or as abandoned (not by a feature's own answer).
    case_closed: list[CaseHook] = field(default_factory=list)
    # Extra button rows a feature offers under /case (e.g. "claim submitted"), per locale.
    case_actions: list[CaseActionsHook] = field(default_factory=list)
    # Free text with no question open (the message checker answers scams here).
    stray_text: list[StrayTextHook] = field(default_factory=list)
    on_start: list[AppHook] = field(default_factory=list)
    on_stop: list[AppHook] = field(default_factory=list)
    export: list[ExportHook] = field(default_factory=list)


@dataclass
class Services:
    """Settings, storage, words, flow and clock, shared by all handlers."""

    settings: Settings
    db: Database
    store: Store
    t: Translator
    flow: Flow
    clock: Callable[[], float] = time.time
    hooks: Hooks = field(default_factory=Hooks)
    extras: dict[str, Any] = field(default_factory=dict)

    def now(self) -> float:
        """Return the current time (injectable for tests)."""
        return self.clock()

    def fmt_time(self, at: float) -> str:
        """Format a timestamp in the configured time zone."""
        return datetime.fromtimestamp(at, self.settings.tz).strftime("%Y-%m-%d %H:%M")


SERVICES_KEY = "services"


def services(context: ContextTypes.DEFAULT_TYPE) -> Services:
    """Return the services stored on the application."""
    return services_of(context.application)


def services_of(application: Application[Any, Any, Any, Any, Any, Any]) -> Services:
    """Return the services stored on an application."""
    value = application.bot_data[SERVICES_KEY]
    assert isinstance(value, Services)
    return value
