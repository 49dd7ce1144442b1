"""Prometheus metrics, with no user data in any label: updates, latency, reminders, broadcasts,
checker verdicts. One registry per application (tests build many)."""

from __future__ import annotations

import time
from collections import OrderedDict
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from bot.services import Services
from bot.store.coord import coord_of

EXTRAS_KEY = "metrics"
_FIRST, _LAST = -1000, 1000  # handler groups that run before and after every feature's


class Metrics:
    """The application's metrics."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.updates = Counter("bot_updates_total", "Updates received, by kind.", ["kind"],
                               registry=self.registry)
        self.latency = Histogram("bot_update_seconds", "Time from an update's first handler to "
                                 "its last.", registry=self.registry,
                                 buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
        self.verdicts = Counter("bot_checker_verdicts_total", "Message checker verdicts.",
                                ["verdict"], registry=self.registry)
        self.reminders = Gauge("bot_reminders", "Follow-up reminders by state.", ["state"],
                               registry=self.registry)
        self.deliveries = Gauge("bot_broadcast_deliveries", "Alert deliveries by state.",
                                ["state"], registry=self.registry)
        self.instances = Gauge("bot_instances_live", "Live instances sharing the database "
                               "(and the message budget), as this one counts them.",
                               registry=self.registry)
        self._started: OrderedDict[int, float] = OrderedDict()

    def started(self, update: Update) -> None:
        """Count an update and note when its handling began."""
        kind = next((k for k in ("message", "edited_message", "callback_query",
                                 "my_chat_member", "chat_member") if getattr(update, k, None)),
                    "other")
        self.updates.labels(kind).inc()
        self._started[update.update_id] = time.perf_counter()
        while len(self._started) > 10_000:  # updates a handler stopped early never finish here
            self._started.popitem(last=False)

    def finished(self, update: Update) -> None:
        """Observe how long an update took."""
        start = self._started.pop(update.update_id, None)
        if start is not None:
            self.latency.observe(time.perf_counter() - start)

    async def render(self, svc: Services) -> bytes:
        """Refresh the gauges read from the database, then render the text format."""
        for state, n in await svc.db.fetch("SELECT state, COUNT(*) FROM followups GROUP BY state"):
            self.reminders.labels(str(state)).set(n)
        for state, n in await svc.db.fetch(
                "SELECT state, COUNT(*) FROM alert_deliveries GROUP BY state"):
            self.deliveries.labels(str(state)).set(n)
        coord = coord_of(svc)
        self.instances.set(coord.live if coord is not None else 1)
        return generate_latest(self.registry)


def metrics_of(svc: Services) -> Metrics:
    """Return the application's metrics."""
    value = svc.extras[EXTRAS_KEY]
    assert isinstance(value, Metrics)
    return value


def register(app: Application[Any, Any, Any, Any, Any, Any], svc: Services) -> Metrics:
    """Count and time every update with two handlers around all the others."""
    metrics = Metrics()
    svc.extras[EXTRAS_KEY] = metrics

    async def first(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        metrics.started(update)

    async def last(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        metrics.finished(update)

    app.add_handler(TypeHandler(Update, first), group=_FIRST)
    app.add_handler(TypeHandler(Update, last), group=_LAST)
    return metrics
