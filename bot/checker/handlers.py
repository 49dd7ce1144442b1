"""Forward a suspicious message, get a verdict: /check, forwarded messages, stray text, /reports.

Nothing of a checked message is stored. Only when the user presses "this was wrong" is the text
stored, masked (digit runs hidden), for the admins; it is kept in memory for REPORT_WINDOW_S
until then so the report can include it.
"""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections import OrderedDict
from typing import Any

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.callbacks import Callback
from bot.checker.buttons import PATTERN, CheckFeedback, ReportDecision
from bot.checker.engine import Checker, Result, Verdict
from bot.checker.guard import group_message, guard_command
from bot.checker.model import Model, load_examples
from bot.checker.rules import load_rules
from bot.checker.store import CheckerStore
from bot.handlers.common import (
    Who,
    acknowledge,
    edit,
    edit_keyboard,
    parsed_button,
    private_only,
    send,
    who,
)
from bot.handlers.views import Screen, kb, plain
from bot.services import Services, services_of

EXTRAS_KEY = "checker"
GUARD_GROUP = 5  # PTB handler group of the group guard (after the default group 0)
REPORT_WINDOW_S = 1800.0
MAX_DOWNLOAD = 20 * 1024 * 1024  # the public Bot API's download limit
MAX_QUOTES = 6
_DIGITS = re.compile(r"\d{4,}")

VERDICT_KEYS: dict[Verdict, str] = {
    Verdict.SCAM: "checker-verdict-scam",
    Verdict.SUSPICIOUS: "checker-verdict-suspicious",
    Verdict.SPAM: "checker-verdict-spam",
    Verdict.UNKNOWN: "checker-verdict-unknown",
}
ADVICE_KEYS: dict[Verdict, str] = {
    Verdict.SCAM: "checker-advice-scam",
    Verdict.SUSPICIOUS: "checker-advice-suspicious",
    Verdict.SPAM: "checker-advice-spam",
    Verdict.UNKNOWN: "checker-advice-unknown",
}
FLAG_NOTE_KEYS: dict[str, str] = {
    "lookalike_domain": "checker-flag-lookalike",
    "odd_caller": "checker-flag-odd-caller",
    "link": "checker-flag-link",
}


def mask(text: str) -> str:
    """Hide digit runs (codes, card, phone and order numbers) before anything is stored."""
    return _DIGITS.sub(lambda m: "#" * len(m.group(0)), text)


class CheckerFeature:
    """The checker with its store and the recent checks a user may still report."""

    def __init__(self, svc: Services) -> None:
        self.svc = svc
        self.store = CheckerStore(svc.db)
        self.checker = Checker(load_rules(svc.t), Model.load(), load_examples())
        self._recent: OrderedDict[int, tuple[float, int, Result, str]] = OrderedDict()
        self._next = 1

    def remember(self, user_id: int, result: Result, text: str) -> int:
        """Keep a masked copy of a checked message for a possible report; return its ref."""
        now = time.monotonic()
        while self._recent and (len(self._recent) > 2000 or
                                next(iter(self._recent.values()))[0] < now - REPORT_WINDOW_S):
            self._recent.popitem(last=False)
        ref = self._next
        self._next = (self._next + 1) % (2**31)
        self._recent[ref] = (now, user_id, result, mask(text)[:2000])
        return ref

    def forget(self, ref: int) -> None:
        """Drop a remembered check (reported once is enough)."""
        self._recent.pop(ref, None)

    def recalled(self, ref: int, user_id: int) -> tuple[Result, str] | None:
        """Return a remembered check of this user, if still kept."""
        entry = self._recent.get(ref)
        if entry is None or entry[1] != user_id or entry[0] < time.monotonic() - REPORT_WINDOW_S:
            return None
        return entry[2], entry[3]


def feature(svc: Services) -> CheckerFeature:
    """Return the checker feature of an application."""
    value = svc.extras[EXTRAS_KEY]
    assert isinstance(value, CheckerFeature)
    return value


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Load the rules (broken ones stop start-up), add handlers and hooks."""
    svc = services_of(app)
    feat = CheckerFeature(svc)
    svc.extras[EXTRAS_KEY] = feat
    private = filters.ChatType.PRIVATE
    app.add_handler(CommandHandler("check", check_command))
    # A screenshot (photo or image file) captioned /check: read offline by the claim pack's OCR.
    app.add_handler(MessageHandler(
        private & (filters.PHOTO | filters.Document.IMAGE) & filters.CaptionRegex(r"^/check\b"),
        check_screenshot))
    app.add_handler(CommandHandler("reports", reports))
    # The answer to /check's prompt: registered before the triage's text handler, so a message
    # pasted there is checked even while a question is open or before consent (nothing stored).
    prompts = {shown(text) for text in svc.t.all_locales("checker-prompt").values()}
    app.add_handler(MessageHandler(
        private & filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
        & PromptReply(prompts), prompted))
    # Forwarded text or captions; a forwarded screenshot without words goes to the evidence.
    app.add_handler(MessageHandler(
        private & filters.FORWARDED & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND,
        forwarded))
    app.add_handler(CallbackQueryHandler(button, pattern=PATTERN))
    # The group guard: its own handler group, so other group handlers still see each message.
    app.add_handler(CommandHandler("guard", guard_command))
    groups = filters.ChatType.GROUPS
    app.add_handler(MessageHandler(groups & (filters.TEXT | filters.CAPTION) & ~filters.COMMAND,
                                   group_message), group=GUARD_GROUP)
    svc.hooks.stray_text.append(stray_text)
    svc.hooks.export.append(feat.store.export_user)

    async def load_examples(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
        # Matched at once; as neighbours in the background, in a worker thread: each takes
        # ~40 ms to embed, and a long list of decided reports must not hold up the start.
        scams = feat.checker.add_examples(await feat.store.examples())
        cleared = await feat.store.cleared()

        def learn() -> None:
            feat.checker.add_neighbours(scams, positive=True)
            feat.checker.add_cleared(cleared)

        app.create_task(asyncio.to_thread(learn), name="checker-neighbours")

    svc.hooks.on_start.append(load_examples)


def result_screen(me: Who, result: Result, ref: int) -> Screen:
    """The verdict, the red flags quoted back, the scam it resembles and what to do now."""
    t = me.t
    positive = result.verdict in (Verdict.SCAM, Verdict.SUSPICIOUS)
    parts = [t(VERDICT_KEYS[result.verdict])]
    if result.has_secret:
        parts.append(t("checker-secret-warning"))
    quotes = [f for f in result.flags if f.quote][:MAX_QUOTES]
    if quotes:
        lines = [f"• «{html.escape(f.quote)}»" for f in quotes]
        notes = {FLAG_NOTE_KEYS[f.signal] for f in quotes if f.signal in FLAG_NOTE_KEYS}
        lines += [t(key) for key in sorted(notes)]
        if not positive and any(f.kind is not None for f in quotes):
            # Scam words in a warning, a CS answer or chat: say why they did not decide it.
            lines.append(t("checker-flags-context"))
        intro = "checker-flags-intro" if positive else "checker-flags-intro-mild"
        parts.append(t(intro) + "\n" + "\n".join(lines))
    # A verdict the red flags alone do not explain says what it rests on.
    if positive and "rules" not in result.reasons:
        if "similar" in result.reasons:
            parts.append(t("checker-why-similar", percent=round(result.similar * 100)))
        elif "model+rules" in result.reasons:
            parts.append(t("checker-why-model-flags"))
        else:
            parts.append(t("checker-why-model"))
    advice = ADVICE_KEYS[result.verdict]
    if result.kind is not None and positive:
        kind = me.svc.extras[EXTRAS_KEY].checker.rules.kind(result.kind)
        parts.append(t("checker-resembles", kind=t(kind.name)) + "\n" + t(kind.truth))
        if result.verdict is Verdict.SUSPICIOUS and kind.advice is not None:
            advice = kind.advice
    parts.append(t(advice))
    rows: list[list[tuple[str, Callback]]] = [
        [(t("btn-checker-wrong"), CheckFeedback(ref=ref, a="w"))],
    ]
    if positive:
        rows.append([(t("btn-checker-case"), CheckFeedback(ref=ref, a="c"))])
    return Screen("\n\n".join(parts), kb(rows))


async def answer_check(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                       text: str) -> Result:
    """Check a text and send the verdict screen."""
    feat = feature(me.svc)
    result = await feat.checker.check_in_thread(text)
    count_verdict(me.svc, result)
    ref = feat.remember(me.user.id, result, text)
    await send(update, context, result_screen(me, result, ref))
    return result


def count_verdict(svc: Services, result: Result) -> None:
    """Count a verdict the bot gave (in /metrics; the label is the verdict only)."""
    from bot.metrics import EXTRAS_KEY as METRICS_KEY
    from bot.metrics import Metrics

    metrics = svc.extras.get(METRICS_KEY)
    if isinstance(metrics, Metrics):
        metrics.verdicts.labels(result.verdict.value).inc()


async def check_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/check <text>, or /check in reply to a message: check it."""
    me = await who(update, context)
    message = update.effective_message
    if me is None or message is None or not await private_only(update, context, me):
        return
    text = " ".join(context.args or [])
    reply = message.reply_to_message
    if not text and reply is not None:
        if reply.photo or (reply.document and (reply.document.mime_type or "").startswith(
                "image/")):
            await read_and_check(update, context, me, reply)
            return
        text = reply.text or reply.caption or ""
    if not text.strip():
        # Ask for the message as a reply: the answer then comes back as a reply to this prompt
        # (see ``PromptReply``), whatever else is open, and stays tied to it across restarts.
        await send(update, context, Screen(me.t("checker-prompt"),
                                           reply_placeholder=me.t("checker-prompt-placeholder")))
        return
    await answer_check(update, context, me, text)


class PromptReply(filters.MessageFilter):
    """A message that answers the checker's prompt (a reply to it, as ForceReply makes it)."""

    def __init__(self, prompts: set[str]) -> None:
        super().__init__(name="PromptReply")
        self.prompts = prompts

    def filter(self, message: Message) -> bool:
        reply = message.reply_to_message
        return (reply is not None and reply.from_user is not None and reply.from_user.is_bot
                and shown(reply.text or "") in self.prompts)


def shown(text: str) -> str:
    """The text of a message as Telegram shows it back (no tags, spaces folded)."""
    return " ".join(plain(text).split())


async def prompted(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Text sent in answer to the prompt: check it in full, before any other text handling."""
    me = await who(update, context)
    message = update.effective_message
    if me is None or message is None:
        return
    await check_or_say(update, context, me, message.text or "", "checker-prompt")


async def check_or_say(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, text: str,
                       empty_key: str) -> None:
    """Check a text, or say ``empty_key`` when there is none."""
    if not text.strip():
        await send(update, context, Screen(me.t(empty_key)))
        return
    await answer_check(update, context, me, text)


async def check_screenshot(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A screenshot captioned /check: read its text offline, then check it."""
    me = await who(update, context)
    message = update.effective_message
    if me is None or message is None:
        return
    await read_and_check(update, context, me, message)


async def read_and_check(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                         message: Message) -> None:
    """Download an image (within Telegram's 20 MB), OCR it off the event loop, check the text.

    The OCR text is checked and forgotten: nothing of it is stored.
    """
    from bot.evidence.handlers import EXTRAS_KEY as EVIDENCE_KEY
    from bot.evidence.ocr import OcrBusy, OcrFailed

    image = message.photo[-1] if message.photo else message.document
    if image is None:
        return
    if (image.file_size or 0) > MAX_DOWNLOAD:
        await send(update, context, Screen(me.t("checker-image-too-big")))
        return
    chat = update.effective_chat
    if chat is not None:
        await context.bot.send_chat_action(chat.id, ChatAction.TYPING)
    reader = me.svc.extras[EVIDENCE_KEY].reader
    try:
        file = await context.bot.get_file(image.file_id)
        lines = await reader.read(bytes(await file.download_as_bytearray()))
    except OcrBusy:
        await send(update, context, Screen(me.t("checker-ocr-busy")))
        return
    except (OcrFailed, TelegramError):
        await send(update, context, Screen(me.t("checker-ocr-failed")))
        return
    await check_or_say(update, context, me, "\n".join(lines), "checker-ocr-empty")


async def forwarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A forwarded message in private: check it (a code inside is warned about, not stored)."""
    me = await who(update, context)
    message = update.effective_message
    if me is None or message is None:
        return
    await check_or_say(update, context, me, message.text or message.caption or "",
                       "checker-no-text")


async def stray_text(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                     text: str) -> bool:
    """Text while no question is open: answer with the checker when it looks like a scam."""
    feat = feature(me.svc)
    result = await feat.checker.check_in_thread(text, unprompted=True)
    if result.verdict not in (Verdict.SCAM, Verdict.SUSPICIOUS):
        return False
    count_verdict(me.svc, result)
    ref = feat.remember(me.user.id, result, text)
    await send(update, context, result_screen(me, result, ref))
    return True


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                    query: CallbackQuery, data: Callback) -> None:
    """Handle "this was wrong", "start a case" and the admins' report decisions."""
    if isinstance(data, CheckFeedback):
        await on_feedback(update, context, me, query, data)
    elif isinstance(data, ReportDecision):
        await on_decision(update, context, me, query, data)
    else:
        await query.answer(me.t("button-stale"), show_alert=True)


async def on_feedback(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                      query: CallbackQuery, data: CheckFeedback) -> None:
    """Store a report (masked text, if still kept), or start a case."""
    feat = feature(me.svc)
    if data.a == "c":
        await acknowledge(query)
        from bot.handlers.triage import start  # the triage imports the checker's hook type

        await start(update, context)
        return
    recalled = feat.recalled(data.ref, me.user.id)
    if recalled is None:
        await query.answer(me.t("checker-report-expired"), show_alert=True)
        return
    result, text = recalled
    consented = me.row is not None and me.row.consented
    signals = ",".join(f.signal for f in result.flags)
    await feat.store.add_report(me.user.id if consented else None, me.svc.now(),
                                result.verdict.value, result.kind, signals, text)
    feat.forget(data.ref)
    if not await acknowledge(query, me.t("checker-report-thanks"), show_alert=True):
        # The report is stored: the thanks is news the user must get, so it goes as a message.
        await send(update, context, Screen(me.t("checker-report-thanks")))
    await edit_keyboard(query, Screen(""))


async def reports(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admins: the open reports, each with scam / not a scam / make an alert."""
    me = await who(update, context)
    if me is None or not await private_only(update, context, me):
        return
    if me.user.id not in me.svc.settings.admin_ids:
        await send(update, context, Screen(me.t("reports-only-admins")))
        return
    open_reports = await feature(me.svc).store.open_reports()
    if not open_reports:
        await send(update, context, Screen(me.t("reports-empty")))
        return
    for report in open_reports:
        text = html.escape(report.text or "")
        await send(update, context, Screen(
            me.t("reports-line", id=report.id, verdict=report.verdict,
                 kind=report.kind or "-", date=me.svc.fmt_time(report.at)) + "\n" + text,
            kb([[(me.t("btn-report-scam"), ReportDecision(id=report.id, a="s")),
                 (me.t("btn-report-not"), ReportDecision(id=report.id, a="n"))],
                [(me.t("btn-report-alert"), ReportDecision(id=report.id, a="a"))]]),
        ))


async def on_decision(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                      query: CallbackQuery, data: ReportDecision) -> None:
    """Mark a report; a confirmed scam is matched from then on and may become an alert, and
    a message cleared as "not a scam" counts against calling its like one."""
    if me.user.id not in me.svc.settings.admin_ids:
        await query.answer(me.t("reports-only-admins"), show_alert=True)
        return
    feat = feature(me.svc)
    report = await feat.store.get_report(data.id)
    if report is None:
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    if data.a in ("s", "n"):
        if not await feat.store.decide(report, data.a == "s", me.user.id, me.svc.now()):
            await query.answer(me.t("button-stale"), show_alert=True)
            return
        if report.text:
            await asyncio.to_thread(feat.checker.add_confirmed if data.a == "s"
                                    else feat.checker.add_cleared, [report.text])
        await acknowledge(query, me.t("reports-decided"))
        await edit(query, Screen(me.t("reports-done", id=report.id,
                                      decision=me.t("btn-report-scam" if data.a == "s"
                                                    else "btn-report-not"))))
        return
    await acknowledge(query)
    from bot.alerts.handlers import draft_alert  # alerts import the triage views

    body = me.t("checker-alert-body", text=html.escape(report.text or ""))
    await draft_alert(update, context, me, body)


button = parsed_button(on_button)
