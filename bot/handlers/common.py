"""Helpers shared by handlers: who is asking, in which language, and sending screens."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal, TypeVar

from telegram import Bot, CallbackQuery, ForceReply, InlineKeyboardMarkup, Message, Update, User
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter
from telegram.ext import ContextTypes

from bot.callbacks import BadCallback, Callback, parse
from bot.handlers.views import Screen, Views
from bot.i18n import locale_for
from bot.services import Services, services
from bot.store.cases import UserRow
from bot.store.delivery import DeliveryStore, OwedKind, OwedRow

log = logging.getLogger(__name__)

T = TypeVar("T")

# Waits before each retry of a send or edit that failed on a transient error (5xx, network,
# timeout): about 15 s in all, on this chat's turn only (other chats are handled meanwhile).
RETRY_DELAYS_S: tuple[float, ...] = (0.5, 1.0, 2.0, 4.0, 8.0)
DELIVERY_KEY = "delivery"
# The update whose user was already told that a screen did not get through (once per update).
_told: ContextVar[int | None] = ContextVar("undelivered_told", default=None)
# The update being handled in this task and its context, set by ``who`` (which every handler
# calls first), so that ``edit(query, screen)`` retries on the application's schedule without
# every caller passing them along.
_handling: ContextVar[tuple[Update, ContextTypes.DEFAULT_TYPE] | None] = ContextVar(
    "handling", default=None)


class Undelivered(Exception):
    """A screen could not be sent after every retry; the user was told how to continue."""


@dataclass
class Delivery:
    """How screens reach users: the retry schedule and the owed-screens store."""

    store: DeliveryStore
    retry_delays: tuple[float, ...] = RETRY_DELAYS_S
    # Updates whose user was told a screen did not get through (not repaired at once).
    undelivered: set[int] = field(default_factory=set)


def delivery(svc: Services) -> Delivery:
    """Return the application's delivery settings and store (created on first use)."""
    value = svc.extras.get(DELIVERY_KEY)
    if value is None:
        value = svc.extras[DELIVERY_KEY] = Delivery(DeliveryStore(svc.db, svc.clock))
    assert isinstance(value, Delivery)
    return value


def transient(exc: BaseException) -> bool:
    """Tell whether an error may pass if the same request is made again.

    PTB raises NetworkError for 5xx answers, dropped connections and (as TimedOut) timeouts;
    BadRequest is a NetworkError too, but repeating a bad request does not help.
    """
    return isinstance(exc, RetryAfter) or (
        isinstance(exc, NetworkError) and not isinstance(exc, BadRequest)
    )


async def acknowledge(query: CallbackQuery, text: str | None = None, *,
                      show_alert: bool = False) -> bool:
    """Answer a button whose change is already stored. A transient error does not stop the
    screen that follows (the toast is lost; what the button changed shows on the next screen);
    return whether Telegram confirmed the answer, so a toast that carried news can be sent
    another way."""
    try:
        await query.answer(text, show_alert=show_alert)
    except (NetworkError, RetryAfter) as exc:
        if not transient(exc):
            raise
        log.info("a button's answer failed (%s); going on", type(exc).__name__)
        return False
    return True


async def with_retries(svc: Services | None, what: str, call: Callable[[], Awaitable[T]]) -> T:
    """Make a Bot API call, retrying transient errors with backoff; re-raise the last one.

    A timeout may hide a request Telegram did carry out: the retry can then show the screen
    twice, which is better than not at all.
    """
    delays = delivery(svc).retry_delays if svc is not None else RETRY_DELAYS_S
    for attempt in range(len(delays) + 1):
        try:
            return await call()
        except (NetworkError, RetryAfter) as exc:
            if not transient(exc) or attempt == len(delays):
                raise
            wait = delays[attempt]
            if isinstance(exc, RetryAfter):
                value: Any = exc.retry_after
                wait = value.total_seconds() if isinstance(value, timedelta) else float(value)
            log.info("%s failed (%s); retry %d in %.1f s", what, type(exc).__name__,
                     attempt + 1, wait)
            await asyncio.sleep(wait)
    raise AssertionError("unreachable")  # pragma: no cover


@dataclass
class Who:
    """The sender of an update, their stored row (if any) and their language."""

    svc: Services
    user: User
    row: UserRow | None
    locale: str

    @property
    def views(self) -> Views:
        """Return the screens in this user's language."""
        return Views(self.svc, self.locale)

    def t(self, key: str, **variables: str | int) -> str:
        """Format a message in this user's language."""
        return self.svc.t(self.locale, key, **variables)


async def who(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Who | None:
    """Identify the sender; None for updates without a user (channel posts)."""
    _handling.set((update, context))
    user = update.effective_user
    if user is None:
        return None
    svc = services(context)
    row = await svc.store.get_user(user.id)
    default = svc.settings.default_locale
    locale = row.locale if row else locale_for(user.language_code, default)
    return Who(svc, user, row, locale)


async def send(update: Update, context: ContextTypes.DEFAULT_TYPE, screen: Screen) -> Message:
    """Send a screen to the chat of the update, retrying transient errors.

    When every retry failed, the user is told (once per update) how to continue and
    ``Undelivered`` is raised, which ends the handler without the generic error message.
    """
    chat = update.effective_chat
    assert chat is not None
    svc = services(context)
    try:
        return await send_to(svc, context.bot, chat.id, screen)
    except (NetworkError, RetryAfter) as exc:
        if not transient(exc):
            raise
        log.warning("a screen for chat %s was not delivered after %d retries (%s)", chat.id,
                    len(delivery(svc).retry_delays), type(exc).__name__)
        await tell_undelivered(update, context)
        raise Undelivered from exc


async def owe(update: Update, me: Who, kind: OwedKind = OwedKind.STEP) -> OwedRow | None:
    """Record that the chat is owed a screen; call it before the state change is committed.

    Until ``settle``, a restart sends the screen again (see ``bot.delivery``). Only users with
    stored data (consent) are owed anything: without consent nothing is written.
    """
    chat = update.effective_chat
    if chat is None or me.row is None or not me.row.consented:
        return None
    return await delivery(me.svc).store.owe(chat.id, me.user.id, kind)


async def settle(me: Who, owed: OwedRow | None) -> None:
    """Forget an owed screen: Telegram confirmed every message of it."""
    if owed is not None:
        await delivery(me.svc).store.settle(owed)


async def send_to(svc: Services, bot: Bot, chat_id: int, screen: Screen) -> Message:
    """Send a screen to a chat, retrying transient errors (see ``with_retries``)."""
    markup: InlineKeyboardMarkup | ForceReply | None = screen.keyboard
    if screen.reply_placeholder is not None:
        # Telegram allows 1-64 characters of placeholder.
        markup = ForceReply(input_field_placeholder=screen.reply_placeholder[:64] or None)
    return await with_retries(svc, "sendMessage", lambda: bot.send_message(
        chat_id,
        screen.text,
        parse_mode=ParseMode.HTML,
        reply_markup=markup,
        disable_web_page_preview=True,
    ))


async def tell_undelivered(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Tell the user in one line that a screen did not get through and how to go on."""
    if _told.get() == update.update_id or update.effective_chat is None:
        return
    _told.set(update.update_id)
    me = await who(update, context)
    if me is None:
        return
    try:
        await context.bot.send_message(update.effective_chat.id, me.t("delivery-failed"))
    except Exception as exc:
        log.warning("could not tell chat %s that a screen was not delivered (%s)",
                    update.effective_chat.id, type(exc).__name__)


async def _edit_with_retries(what: str, call: Callable[[], Awaitable[Any]]) -> bool:
    """Make an edit; "not modified" (e.g. a retry of an edit that had arrived) is success.

    Return whether the edit is confirmed. An edit that failed after every retry is logged and
    not fatal: what it showed is saved (the button's answer said so), and the screen that
    follows still goes out; an edit is not a screen anyone is owed.
    """
    handling = _handling.get()
    svc = services(handling[1]) if handling is not None else None
    try:
        await with_retries(svc, what, call)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise
    except (NetworkError, RetryAfter) as exc:
        if not transient(exc):
            raise
        log.warning("%s was not delivered after retries (%s)", what, type(exc).__name__)
        return False
    return True


async def edit(query: CallbackQuery, screen: Screen) -> bool:
    """Replace the message a button sits on; an unchanged message is not an error.

    Transient errors are retried; return whether Telegram confirmed the edit.
    """
    return await _edit_with_retries("editMessageText", lambda: query.edit_message_text(
        screen.text,
        parse_mode=ParseMode.HTML,
        reply_markup=screen.keyboard,
        disable_web_page_preview=True,
    ))


async def edit_keyboard(query: CallbackQuery, screen: Screen) -> bool:
    """Replace only the buttons of the message a button sits on (retried like ``edit``)."""
    return await _edit_with_retries("editMessageReplyMarkup",
                                    lambda: query.edit_message_reply_markup(
                                        reply_markup=screen.keyboard))


ButtonHandler = Callable[
    [Update, ContextTypes.DEFAULT_TYPE, Who, CallbackQuery, Callback], Awaitable[None]
]


def parsed_button(
    handler: ButtonHandler,
) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]:
    """Wrap a button handler: identify the presser and parse the data first.

    Forged, truncated or outdated data gets the stale-button answer and changes nothing.
    """

    async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        me = await who(update, context)
        if query is None or me is None:
            return
        if query.message is None:
            # The bot sends no inline-mode messages: such a press is forged; answer, change nothing.
            await query.answer(me.t("button-stale"), show_alert=True)
            return
        try:
            data = parse(query.data)
        except BadCallback:
            await query.answer(me.t("button-stale"), show_alert=True)
            return
        await handler(update, context, me, query, data)

    button.__doc__ = handler.__doc__
    return button


def is_private(update: Update) -> bool:
    """Tell whether the update comes from a private chat."""
    chat = update.effective_chat
    return chat is not None and chat.type == "private"


# What a private-only command says in a group, per feature (alerts also point admins to
# the group switch).
PRIVATE_ONLY_KEYS: dict[str, str] = {"case": "private-only", "alerts": "alerts-private-only"}


async def private_only(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                       feature: Literal["case", "alerts"] = "case") -> bool:
    """Tell whether the chat is private; elsewhere say the command works only in private."""
    if is_private(update):
        return True
    await send(update, context, Screen(me.t(PRIVATE_ONLY_KEYS[feature])))
    return False
