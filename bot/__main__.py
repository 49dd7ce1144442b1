"""Command line: run | webhook | console | flows … | db migrate | db copy."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from bot.engine.loader import FlowError
from bot.logs import configure_logging
from bot.settings import Settings, SettingsError, load_settings
from bot.startup import StartupError
from bot.store.db import DatabaseUnavailable

log = logging.getLogger("bot")
# Exit code when the database cannot be reached or refuses us (DATABASE_URL).
DATABASE_UNAVAILABLE = 6


def setup_logging(settings: Settings) -> None:
    """Log to stderr with the token masked and no user text, whatever the level."""
    token = settings.bot_token.get_secret_value() if settings.bot_token else ""
    configure_logging(settings.log_level, token)


async def run_polling(settings: Settings) -> None:
    """Connect to the Bot API with long polling until SIGTERM or SIGINT."""
    from telegram import Update

    from bot.app import running

    async with running(settings) as (app, stop):
        assert app.updater is not None
        await app.updater.start_polling(allowed_updates=Update.ALL_TYPES, timeout=20)
        log.info("ready: polling %s", settings.api_base_url.rsplit("/", 1)[0])
        await stop.wait()
        log.info("stopping")
        await app.updater.stop()


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen mode."""
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    sub = parser.add_subparsers(dest="mode")
    sub.add_parser("run", help="connect to Telegram (needs BOT_TOKEN)")
    sub.add_parser("webhook", help="serve updates posted by Telegram (needs BOT_TOKEN, "
                                   "WEBHOOK_URL, WEBHOOK_SECRET)")
    console = sub.add_parser("console", help="chat with the bot in this terminal, no token")
    console.add_argument(
        "--lang", default=None, choices=["zh-CN", "en"],
        help="the language to use, replacing one chosen earlier with /lang (default: the one "
             "chosen with /lang, else from $LC_ALL / $LC_MESSAGES / $LANG, else DEFAULT_LOCALE)")
    flows = sub.add_parser("flows", help="work with flows/")
    flows.add_argument("action", choices=["diagram", "check", "verdicts"])
    flows.add_argument("--flow", type=Path, default=None,
                       help="a triage flow file other than flows/triage.yaml")
    db = sub.add_parser("db", help="the store: apply migrations, copy SQLite into PostgreSQL")
    db.add_argument("action", choices=["migrate", "copy"])
    db.add_argument("--from", dest="source", choices=["sqlite"], default="sqlite",
                    help="copy: the store to read (only sqlite)")
    db.add_argument("--to", dest="target", choices=["postgresql"], default="postgresql",
                    help="copy: the store to write (only postgresql)")
    db.add_argument("--sqlite", type=Path, default=None,
                    help="copy: the SQLite file (default: DATABASE_PATH)")
    db.add_argument("--postgresql", default=None,
                    help="copy: the PostgreSQL URL (default: DATABASE_URL)")
    db.add_argument("--force", action="store_true",
                    help="copy: empty a PostgreSQL database that already holds rows")
    args = parser.parse_args(argv)

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings)

    mode = args.mode
    if mode is None:
        mode = "run" if settings.bot_token else "console"
        if mode == "console":
            print("BOT_TOKEN is not set: starting console mode "
                  f"(database {settings.database_label()}).", file=sys.stderr)
    try:
        if mode == "flows":
            return flows_command(args.action, args.flow)
        if mode == "db":
            return db_command(args, settings)
        if mode == "webhook":
            missing = [name for name, value in (("BOT_TOKEN", settings.bot_token),
                                                 ("WEBHOOK_URL", settings.webhook_url),
                                                 ("WEBHOOK_SECRET", settings.webhook_secret))
                       if value is None]
            if missing:
                print(f"error: setting {missing[0]}: required for webhook mode", file=sys.stderr)
                return 2
            from bot.webhook import run_webhook

            asyncio.run(run_webhook(settings))
            return 0
        if mode == "run":
            if settings.bot_token is None:
                print("error: setting BOT_TOKEN: required for run mode "
                      "(or use: python -m bot console)", file=sys.stderr)
                return 2
            asyncio.run(run_polling(settings))
            return 0
        from bot.console import language_from_env, log_path, run_console

        # The terminal is the chat: logs go to a file next to the database (named in the banner).
        log_file = log_path(settings)
        log_file.parent.mkdir(parents=True, exist_ok=True)
        # Left open until the process ends: records written while stopping must not fail.
        stream = log_file.open("a", encoding="utf-8")
        token = settings.bot_token.get_secret_value() if settings.bot_token else ""
        configure_logging(settings.log_level, token, stream=stream)
        asked = getattr(args, "lang", None)
        lang = asked or language_from_env() or settings.default_locale
        asyncio.run(run_console(settings, language_code=lang, explicit=asked is not None))
        return 0
    except FlowError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except StartupError as exc:
        print(exc.message, file=sys.stderr)
        return exc.code
    except DatabaseUnavailable as exc:
        print(f"error: database: {exc}", file=sys.stderr)
        return DATABASE_UNAVAILABLE
    except KeyboardInterrupt:
        return 130


def db_command(args: argparse.Namespace, settings: Settings) -> int:
    """Apply migrations to the configured store, or copy SQLite into PostgreSQL."""
    from bot.store.copy import CopyError, copy, migrate

    if args.action == "migrate":
        asyncio.run(migrate(settings.database_dsn(), settings.database_path, print))
        return 0
    url = args.postgresql or settings.database_dsn()
    if not url:
        print("error: setting DATABASE_URL: required for db copy (or give --postgresql URL)",
              file=sys.stderr)
        return 2
    if not url.startswith(("postgresql://", "postgres://")):
        print("error: --postgresql: must start with postgresql://", file=sys.stderr)
        return 2
    try:
        asyncio.run(copy(args.sqlite or settings.database_path, url, print, force=args.force))
    except CopyError as exc:
        print(f"error: db copy: {exc}", file=sys.stderr)
        return 1
    return 0


def flows_command(action: str, path: Path | None = None) -> int:
    """Print the diagram of the triage flow, the outcome counts, or just validate it."""
    from bot.engine.diagram import mermaid
    from bot.engine.loader import TRIAGE_FILE, load_flow
    from bot.engine.verdicts import outcome_counts
    from bot.i18n import Translator

    flow = load_flow(path or TRIAGE_FILE, translator=Translator())
    if action == "diagram":
        print(mermaid(flow), end="")
    elif action == "verdicts":
        counts, total = outcome_counts(flow)
        print(f"{total} complete triages (every symptom set x every answer path):")
        for outcome, n in sorted(counts.items(), key=lambda kv: kv[0].severity):
            print(f"  {outcome.value:<11} {n:>7}  {100 * n / total:5.1f} %")
    else:
        print("flows OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
