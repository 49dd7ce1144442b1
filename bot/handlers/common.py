"""Helpers shared by handlers: who is asking, in which language, and sending screens."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, Literal

from telegram import CallbackQuery, Message, Update, User
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from bot.callbacks import BadCallback, Callback, parse
from bot.handlers.views import Screen, Views
from bot.i18n import locale_for
from bot.services import Services, services
from bot.store.cases import UserRow

log = logging.getLogger(__name__)


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
    user = update.effective_user
    if user is None:
        return None
    svc = services(context)
    row = await svc.store.get_user(user.id)
    default = svc.settings.default_locale
    locale = row.locale if row else locale_for(user.language_code, default)
    return Who(svc, user, row, locale)


async def send(update: Update, context: ContextTypes.DEFAULT_TYPE, screen: Screen) -> Message:
    """Send a screen to the chat of the update."""
    chat = update.effective_chat
    assert chat is not None
    return await context.bot.send_message(
        chat.id,
        screen.text,
        parse_mode=ParseMode.HTML,
        reply_markup=screen.keyboard,
        disable_web_page_preview=True,
    )


async def edit(query: CallbackQuery, screen: Screen) -> None:
    """Replace the message a button sits on; an unchanged message is not an error."""
    try:
        await query.edit_message_text(
            screen.text,
            parse_mode=ParseMode.HTML,
            reply_markup=screen.keyboard,
            disable_web_page_preview=True,
        )
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


async def edit_keyboard(query: CallbackQuery, screen: Screen) -> None:
    """Replace only the buttons of the message a button sits on."""
    try:
        await query.edit_message_reply_markup(reply_markup=screen.keyboard)
    except BadRequest as exc:
        if "not modified" not in str(exc).lower():
            raise


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
