"""A bare python-telegram-bot echo bot, the yardstick of ``bench/scale_bench.py``.

    python bench/echo_bot.py BASE_URL TOKEN

PTB's defaults (updates handled one at a time, long polling) with ``AIORateLimiter`` so the
30 messages/s of the fake Bot API are kept: each text is answered with one message.
"""

from __future__ import annotations

import sys

from telegram import Update
from telegram.ext import AIORateLimiter, Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a text with the same text."""
    assert update.effective_message is not None and update.effective_message.text is not None
    await update.effective_message.reply_text(update.effective_message.text)


def main() -> None:
    """Poll until killed."""
    base_url, token = sys.argv[1], sys.argv[2]
    app = (Application.builder().token(token).base_url(base_url)
           .rate_limiter(AIORateLimiter(max_retries=3)).build())
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(poll_interval=0.0, timeout=1)


if __name__ == "__main__":
    main()
