"""A case changed under a handler (optimistic versioning): handle the update again.

Two updates of one user reaching two processes at the same moment both read the case; the
second write names a version that is gone and raises ``CaseConflict`` with nothing written
(bot/store/cases.py). The update is then run through the handlers once more, on the fresh row:
a press that still means something is applied to the new state, one that no longer does gets
the usual "stale button" answer. After MAX_RERUNS conflicts in a row the generic error answer
goes out (the case is still whole: every write is all or nothing).
"""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import Application, ApplicationHandlerStop, ContextTypes

from bot.services import services_of
from bot.store.cases import CaseConflict

log = logging.getLogger(__name__)

MAX_RERUNS = 3
RERUNS_KEY = "case-reruns"


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Add the conflict error handler (before the other error handlers)."""
    app.add_error_handler(on_conflict)


async def on_conflict(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Run an update whose case write lost a race again; stop further error handling."""
    if not isinstance(context.error, CaseConflict) or not isinstance(update, Update):
        return
    reruns: dict[int, int] = services_of(context.application).extras.setdefault(RERUNS_KEY, {})
    done = reruns.get(update.update_id, 0)
    if done >= MAX_RERUNS:
        log.warning("update %s: case %d kept changing; giving up", update.update_id,
                    context.error.case_id)
        return
    reruns[update.update_id] = done + 1
    log.info("update %s: case %d changed meanwhile; handling the update again",
             update.update_id, context.error.case_id)
    try:
        await context.application.process_update(update)
    finally:
        if done == 0:
            reruns.pop(update.update_id, None)
    raise ApplicationHandlerStop
