"""/evidence, /report and the claim-pack buttons, uploads and typed entries.

Every change is committed before the reply that shows it; a button only touches the presser's
own case; nothing is stored for users without consent; OCR text is never stored.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import io
import logging
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from html import escape as _escape
from typing import Any, cast

from telegram import CallbackQuery, Message, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.callbacks import Callback
from bot.engine.schema import Item
from bot.evidence.buttons import (
    PATTERN,
    BuildReport,
    ContactMenu,
    DraftAction,
    DraftChannel,
    EvidenceMenu,
    FileUnder,
    PickItem,
    ProposalAction,
    TxAction,
    TxMenu,
)
from bot.evidence.documents import (
    CHANNEL_KEYS,
    CONTACT_KEYS,
    Words,
    escalation_drafts,
    log_line,
    mask_order,
    police_memo,
    statement,
)
from bot.evidence.model import (
    CONTACT_FIELDS,
    TX_FIELDS,
    Channel,
    ContactChannel,
    DraftKind,
    EvidenceFile,
    FileKind,
    Proposal,
    State,
)
from bot.evidence.ocr import OcrBusy, OcrFailed, Reader
from bot.evidence.parse import (
    MAX_NOTE,
    MAX_REF,
    InputError,
    parse_order,
    parse_positive_amount,
    parse_short_text,
    parse_when,
    read_receipt,
)
from bot.evidence.pdf import dossier
from bot.evidence.snapshot import Snapshot, take_snapshot
from bot.evidence.store import EvidenceStore
from bot.handlers.common import (
    Undelivered,
    Who,
    acknowledge,
    edit,
    parsed_button,
    private_only,
    send,
    tell_undelivered,
    transient,
    who,
    with_retries,
)
from bot.handlers.views import EVENT_KEYS, Screen, kb, mark
from bot.money import format_amount
from bot.safety import find_secrets
from bot.services import Services, services_of
from bot.store.cases import AMOUNT_KEY, CaseRow

log = logging.getLogger(__name__)

EXTRAS_KEY = "evidence"
# The public Bot API lets a bot download files up to 20 MB.
MAX_FILE_BYTES = 20 * 1024 * 1024
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}
PDF_TYPE = "application/pdf"
# A chosen item keeps receiving uploads for this long; later files are asked about.
UPLOAD_TARGET_S = 3600.0
# A half-typed entry is forgotten after this long (the next text goes to the triage again).
DRAFT_TTL_S = 3600.0
MAX_MESSAGE = 4000  # under Telegram's 4096, leaving room for the <pre> tags

EVIDENCE_EVENT_KEYS: dict[str, str] = {
    "evidence_filed": "event-evidence-filed",
    "amount_checked": "event-amount-checked",
}
SECRET_KEYS: dict[str, str] = {
    "sms_code": "ev-secret-code",
    "password": "ev-secret-password",
    "card_number": "ev-secret-card",
    "id_number": "ev-secret-id",
}
ASK_KEYS: dict[str, str] = {
    "order": "ev-ask-order",
    "at": "ev-ask-at",
    "amount": "ev-ask-amount",
    "channel": "ev-ask-channel",
    "contact-channel": "ev-ask-contact-channel",
    "contact-at": "ev-ask-contact-at",
    "contact-ref": "ev-ask-contact-ref",
    "contact-note": "ev-ask-contact-note",
}
INVALID_KEYS: dict[str, str] = {
    "order": "ev-invalid-order",
    "at": "ev-invalid-at",
    "amount": "ev-invalid-amount",
    "contact-at": "ev-invalid-at",
    "contact-ref": "ev-invalid-text",
    "contact-note": "ev-invalid-text",
}
FIELD_CODES = {"o": "order", "t": "at", "m": "amount", "c": "channel"}
FIELD_LABEL_KEYS: dict[str, str] = {
    "order": "ev-field-order",
    "at": "ev-field-at",
    "amount": "ev-field-amount",
    "channel": "ev-field-channel",
}


@dataclass
class Evidence:
    """The claim-pack feature: its store, the OCR reader and the PDF worker."""

    store: EvidenceStore
    reader: Reader
    pdf_pool: ThreadPoolExecutor


def esc(text: str) -> str:
    """Escape user-supplied text for Telegram HTML (quotes stay as they are: not attributes)."""
    return _escape(text, quote=False)


def evidence_of(svc: Services) -> Evidence:
    """Return the claim-pack feature of an application."""
    value = svc.extras[EXTRAS_KEY]
    assert isinstance(value, Evidence)
    return value


# PTB filters are synchronous and the store is not: a handler in this group, before every
# feature's, reads what the two filters below need for a private message and keeps it here by
# update id (one indexed read, only for the kind of message the filter is for).
PEEK_GROUP = -10
_PEEKS_KEPT = 1000


@dataclass
class _Peek:
    """What the claim-pack filters know about one incoming message."""

    awaiting_text: bool = False
    can_file: bool = False


class _Peeks:
    """The reads made for recent updates, by update id (the newest _PEEKS_KEPT)."""

    def __init__(self, svc: Services, store: EvidenceStore) -> None:
        self.svc = svc
        self.store = store
        self.seen: OrderedDict[int, _Peek] = OrderedDict()

    async def read(self, update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
        """Read what the filters will ask about this update, if it can concern them."""
        message = update.message
        if message is None or message.from_user is None or message.chat.type != "private":
            return
        user_id = message.from_user.id
        peek = _Peek()
        if message.text is not None and not message.text.startswith("/"):
            peek.awaiting_text = await self.store.awaiting_text(
                user_id, self.svc.now() - DRAFT_TTL_S)
        if message.photo or message.document is not None:
            peek.can_file = await self.store.can_file(user_id)
        self.seen[update.update_id] = peek
        while len(self.seen) > _PEEKS_KEPT:
            self.seen.popitem(last=False)


class _AwaitingText(filters.UpdateFilter):
    """Text that answers a claim-pack question (read beforehand by ``_Peeks``)."""

    def __init__(self, peeks: _Peeks) -> None:
        super().__init__(name="AwaitingEvidenceText")
        self.peeks = peeks

    def filter(self, update: Update) -> bool:
        peek = self.peeks.seen.get(update.update_id)
        return peek is not None and peek.awaiting_text


class _CanFile(filters.UpdateFilter):
    """A message from a user whose current case takes evidence (consent and a plan).

    Anything else (no consent, no plan yet) falls through to the general fallback, which
    stores nothing either.
    """

    def __init__(self, peeks: _Peeks) -> None:
        super().__init__(name="CanFileEvidence")
        self.peeks = peeks

    def filter(self, update: Update) -> bool:
        peek = self.peeks.seen.get(update.update_id)
        return peek is not None and peek.can_file


def register(app: Application[Any, Any, Any, Any, Any, Any]) -> Evidence:
    """Add the claim-pack commands, buttons, uploads and typed entries."""
    svc = services_of(app)
    feature = Evidence(EvidenceStore(svc.db), Reader(),
                       ThreadPoolExecutor(max_workers=1, thread_name_prefix="pdf"))
    svc.extras[EXTRAS_KEY] = feature
    EVENT_KEYS.update(EVIDENCE_EVENT_KEYS)
    private = filters.ChatType.PRIVATE
    fresh = filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler("evidence", evidence_command))
    app.add_handler(CommandHandler("report", report_command))
    app.add_handler(CallbackQueryHandler(button, pattern=PATTERN))
    peeks = _Peeks(svc, feature.store)
    app.add_handler(TypeHandler(Update, peeks.read), group=PEEK_GROUP)
    app.add_handler(MessageHandler(
        private & fresh & (filters.PHOTO | filters.Document.ALL) & _CanFile(peeks), upload))
    app.add_handler(MessageHandler(
        private & fresh & filters.TEXT & ~filters.COMMAND & _AwaitingText(peeks), typed))
    svc.hooks.export.append(feature.store.export_user)

    async def stop(_: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await asyncio.to_thread(feature.reader.close)
        await asyncio.to_thread(feature.pdf_pool.shutdown, True)

    svc.hooks.on_stop.append(stop)
    return feature


# ---- helpers ---------------------------------------------------------------------------------


async def _case(me: Who) -> CaseRow | None:
    """Return the user's current case if the claim pack is open to it (consent and a plan)."""
    if me.row is None or not me.row.consented or me.row.current_case is None:
        return None
    case = await me.svc.store.get_case(me.row.current_case)
    if case is None or case.verdict is None:
        return None
    return case


async def _own_case(me: Who, case_id: int) -> CaseRow | None:
    """Return a case only if it belongs to the presser and has a plan."""
    if me.row is None or not me.row.consented:
        return None
    case = await me.svc.store.get_case(case_id)
    if case is None or case.user_id != me.user.id or case.verdict is None:
        return None
    return case


def _items(me: Who, case: CaseRow) -> list[tuple[int, Item]]:
    return me.views.evidence_items(case)


def _no_case_screen(me: Who) -> Screen:
    if me.row is None or not me.row.consented:
        return Screen(me.t("ev-need-consent"))
    return Screen(me.t("ev-need-plan"))


def _chunks(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split text at line ends into pieces under Telegram's message limit."""
    out: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            out.append(line[:limit])
            line = line[limit:]
        if len(current) + len(line) + 1 > limit:
            out.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line
    if current:
        out.append(current)
    return out


def words(me: Who) -> Words:
    """Return a ``t`` bound to the user's language, for the document builders."""
    def t(key: str, **variables: Any) -> str:
        return me.svc.t(me.locale, key, **variables)
    return t


# ---- screens ---------------------------------------------------------------------------------


async def menu_screen(me: Who, case: CaseRow, store: EvidenceStore) -> Screen:
    """The claim pack of a case: items with their files, missing items, counts, actions."""
    files = await store.files(case.id)
    items = _items(me, case)
    lines = []
    for n, (_, item) in enumerate(items, 1):
        count = sum(1 for f in files if f.item == item.id)
        lines.append(me.t("ev-menu-item", mark=mark(item.id in case.evidence_done), n=n,
                          item=me.t(item.text + "-short"), count=count))
    txs = await store.transactions(case.id)
    total = sum((t.amount for t in txs), Decimal(0))
    parts = [
        me.t("ev-menu-title", case=case.id),
        "\n".join(lines),
        me.t("ev-menu-counts", files=len(files), txs=len(txs), total=format_amount(total),
             contacts=len(await store.contacts(case.id))),
        me.t("ev-menu-hint"),
    ]
    rows: list[list[tuple[str, Callback]]] = [
        [(f"📎 {me.t(item.text + '-short')}", PickItem(case=case.id, i=i))] for i, item in items
    ]
    rows.append([(me.t("ev-btn-transactions"), TxMenu(case=case.id, a="l")),
                 (me.t("ev-btn-add-tx"), TxMenu(case=case.id, a="a"))])
    rows.append([(me.t("ev-btn-contacts"), ContactMenu(case=case.id, a="l")),
                 (me.t("ev-btn-add-contact"), ContactMenu(case=case.id, a="a"))])
    rows.append([(me.t("ev-btn-report"), BuildReport(case=case.id))])
    return Screen("\n\n".join(parts), kb(rows))


def missing_text(me: Who, case: CaseRow) -> str:
    """Name the evidence items still missing, or say all are there."""
    missing = [me.t(item.text + "-short") for _, item in _items(me, case)
               if item.id not in case.evidence_done]
    if not missing:
        return me.t("ev-all-filed")
    return me.t("ev-missing", items=me.t("doc-list-sep").join(missing))


async def tx_list_screen(me: Who, case: CaseRow, store: EvidenceStore) -> Screen:
    """The transactions of a case, masked, with totals per channel and overall."""
    txs = await store.transactions(case.id)
    t = words(me)
    parts = [me.t("ev-tx-title", case=case.id)]
    if not txs:
        parts.append(me.t("ev-tx-empty"))
    else:
        parts.append("\n".join(esc(line) for line in (
            me.t("doc-tx-line", n=n, at=tx.at, order=mask_order(tx.order_no),
                 amount=format_amount(tx.amount), channel=t(CHANNEL_KEYS[tx.channel]))
            for n, tx in enumerate(txs, 1))))
        per_channel = []
        for channel in Channel:
            amounts = [tx.amount for tx in txs if tx.channel is channel]
            if amounts:
                per_channel.append(me.t("ev-tx-channel-total", channel=t(CHANNEL_KEYS[channel]),
                                        total=format_amount(sum(amounts, Decimal(0))),
                                        count=len(amounts)))
        total = sum((tx.amount for tx in txs), Decimal(0))
        parts.append("\n".join(per_channel))
        parts.append(me.t("ev-tx-total", total=format_amount(total), count=len(txs)))
        if case.amount is not None and case.amount != total:
            parts.append(me.t("ev-tx-differs", said=format_amount(case.amount),
                              total=format_amount(total)))
    rows: list[list[tuple[str, Callback]]] = [
        [(me.t("ev-btn-tx", n=n, amount=format_amount(tx.amount)), TxAction(tx=tx.id, a="v"))]
        for n, tx in enumerate(txs, 1)
    ]
    if txs and case.amount != sum((tx.amount for tx in txs), Decimal(0)):
        rows.append([(me.t("ev-btn-use-total"), TxMenu(case=case.id, a="s"))])
    rows.append([(me.t("ev-btn-add-tx"), TxMenu(case=case.id, a="a")),
                 (me.t("ev-btn-back"), EvidenceMenu(case=case.id))])
    return Screen("\n\n".join(parts), kb(rows))


def draft_fields_text(me: Who, data: dict[str, Any]) -> str:
    """The fields of a transaction entry, order number masked."""
    t = words(me)
    values = {
        "order": mask_order(str(data["order"])) if data.get("order") else "-",
        "at": str(data.get("at") or "-"),
        "amount": format_amount(Decimal(str(data["amount"]))) if data.get("amount") else "-",
        "channel": t(CHANNEL_KEYS[Channel(data["channel"])]) if data.get("channel") else "-",
    }
    return "\n".join(me.t("ev-field-line", field=me.t(FIELD_LABEL_KEYS[f]),
                          value=esc(values[f])) for f in TX_FIELDS)


def review_screen(me: Who, case_id: int, data: dict[str, Any], *, heading: str) -> Screen:
    """A complete (or not) transaction entry with buttons to change each field and save."""
    rows: list[list[tuple[str, Callback]]] = [
        [(me.t("ev-btn-edit", field=me.t(FIELD_LABEL_KEYS["order"])),
          DraftAction(case=case_id, a="o")),
         (me.t("ev-btn-edit", field=me.t(FIELD_LABEL_KEYS["at"])),
          DraftAction(case=case_id, a="t"))],
        [(me.t("ev-btn-edit", field=me.t(FIELD_LABEL_KEYS["amount"])),
          DraftAction(case=case_id, a="m")),
         (me.t("ev-btn-edit", field=me.t(FIELD_LABEL_KEYS["channel"])),
          DraftAction(case=case_id, a="c"))],
        [(me.t("ev-btn-save"), DraftAction(case=case_id, a="s")),
         (me.t("ev-btn-cancel"), DraftAction(case=case_id, a="x"))],
    ]
    return Screen(heading + "\n\n" + draft_fields_text(me, data), kb(rows))


def proposal_screen(me: Who, f: EvidenceFile) -> Screen:
    """The transaction read from a screenshot, to confirm, correct or discard."""
    assert f.proposal is not None
    data = f.proposal.model_dump(mode="json")
    rows: list[list[tuple[str, Callback]]] = [[
        (me.t("ev-btn-confirm"), ProposalAction(f=f.id, a="c")),
        (me.t("ev-btn-correct"), ProposalAction(f=f.id, a="e")),
        (me.t("ev-btn-discard"), ProposalAction(f=f.id, a="x")),
    ]]
    return Screen(me.t("ev-proposal") + "\n\n" + draft_fields_text(me, data), kb(rows))


def ask_screen(me: Who, case_id: int, field: str) -> Screen:
    """Ask for one field of the entry being typed (channels as buttons)."""
    cancel = (me.t("ev-btn-cancel"), DraftAction(case=case_id, a="x"))
    t = words(me)
    if field == "channel":
        rows: list[list[tuple[str, Callback]]] = [
            [(t(CHANNEL_KEYS[c]), DraftChannel(case=case_id, i=i))] for i, c in enumerate(Channel)
        ]
        rows.append([cancel])
        return Screen(me.t(ASK_KEYS[field]), kb(rows))
    if field == "contact-channel":
        rows = [[(t(CONTACT_KEYS[c]), DraftChannel(case=case_id, i=i))]
                for i, c in enumerate(ContactChannel)]
        rows.append([cancel])
        return Screen(me.t(ASK_KEYS[field]), kb(rows))
    extra: list[tuple[str, Callback]] = []
    if field == "contact-at":
        extra = [(me.t("ev-btn-today"), DraftAction(case=case_id, a="n"))]
    elif field in ("contact-ref", "contact-note"):
        extra = [(me.t("ev-btn-skip"), DraftAction(case=case_id, a="k"))]
    return Screen(me.t(ASK_KEYS[field]), kb([[*extra, cancel]]))


async def contacts_screen(me: Who, case: CaseRow, snap: Snapshot) -> Screen:
    """The contact log (typed lines and follow-up answers) with delete buttons."""
    t = words(me)
    parts = [me.t("ev-contacts-title", case=case.id)]
    if snap.log:
        parts.append("\n".join(esc(log_line(t, line)) for line in snap.log))
    else:
        parts.append(me.t("ev-contacts-empty"))
    store = evidence_of(me.svc).store
    rows: list[list[tuple[str, Callback]]] = [
        [(me.t("ev-btn-delete-contact", n=n, at=c.at), ContactMenu(case=case.id, a="d", n=c.id))]
        for n, c in enumerate(await store.contacts(case.id), 1)
    ]
    rows.append([(me.t("ev-btn-add-contact"), ContactMenu(case=case.id, a="a")),
                 (me.t("ev-btn-back"), EvidenceMenu(case=case.id))])
    return Screen("\n\n".join(parts), kb(rows))


# ---- commands --------------------------------------------------------------------------------


async def evidence_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the claim pack of the current case."""
    me = await who(update, context)
    if me is None or not await private_only(update, context, me):
        return
    case = await _case(me)
    if case is None:
        await send(update, context, _no_case_screen(me))
        return
    await send(update, context, await menu_screen(me, case, evidence_of(me.svc).store))


async def report_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Build the documents of the current case."""
    me = await who(update, context)
    if me is None or not await private_only(update, context, me):
        return
    case = await _case(me)
    if case is None:
        await send(update, context, _no_case_screen(me))
        return
    await build_report(update, context, me, case)


async def build_report(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                       case: CaseRow) -> None:
    """Send the statement, the police memo, the regulator drafts (if due), then the PDF."""
    chat = update.effective_chat
    assert chat is not None
    feature = evidence_of(me.svc)
    t = words(me)

    async def fetch(f: EvidenceFile) -> bytes | None:
        try:
            file = await context.bot.get_file(f.file_id)
            data = bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            log.warning("evidence file %d could not be fetched: %s", f.id, type(exc).__name__)
            return None
        return data if hashlib.sha256(data).hexdigest() == f.sha256 else None

    snap = await take_snapshot(case, locale=me.locale, flow=me.svc.flow,
                               settings=me.svc.settings, store=me.svc.store,
                               evidence=feature.store, now=me.svc.now())
    texts = [(me.t("ev-report-statement"), statement(t, snap)),
             (me.t("ev-report-memo"), police_memo(t, snap))]
    texts += [(me.t("ev-report-draft", channel=t(CONTACT_KEYS[ContactChannel(ch)])), body)
              for ch, body in escalation_drafts(t, snap)]
    # Each message is retried on transient errors like every screen (a timeout may show one
    # twice); when the retries run out the user is told once how to go on.
    try:
        for title, body in texts:
            for n, piece in enumerate(_chunks(body)):
                head = f"<b>{esc(title)}</b>\n" if n == 0 else ""
                await with_retries(me.svc, "sendMessage", functools.partial(
                    context.bot.send_message, chat.id, f"{head}<pre>{esc(piece)}</pre>",
                    parse_mode=ParseMode.HTML))
        with contextlib.suppress(TelegramError):
            await context.bot.send_chat_action(chat.id, ChatAction.UPLOAD_DOCUMENT)
        status = await with_retries(me.svc, "sendMessage", lambda: context.bot.send_message(
            chat.id, me.t("ev-report-building")))
        full = await take_snapshot(case, locale=me.locale, flow=me.svc.flow,
                                   settings=me.svc.settings, store=me.svc.store,
                                   evidence=feature.store, now=me.svc.now(), fetch=fetch)
        loop = asyncio.get_running_loop()
        pdf = await loop.run_in_executor(feature.pdf_pool, dossier, t, full)
        await with_retries(me.svc, "sendDocument", lambda: context.bot.send_document(
            chat.id, document=io.BytesIO(pdf), filename=f"jd-claim-{case.id}.pdf",
            caption=me.t("ev-report-pdf-caption")))
    except (NetworkError, RetryAfter) as exc:
        if not transient(exc):
            raise
        log.warning("the documents for chat %s were not delivered after retries (%s)",
                    chat.id, type(exc).__name__)
        await tell_undelivered(update, context)
        raise Undelivered from exc
    try:
        await status.delete()
    except TelegramError:
        log.debug("could not delete the status message")


# ---- uploads ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Incoming:
    """What an uploaded message carries."""

    kind: FileKind | None
    file_id: str
    file_unique_id: str
    file_name: str | None
    mime: str
    size: int | None


def _incoming(message: Message) -> Incoming | None:
    if message.photo:
        photo = message.photo[-1]
        return Incoming(FileKind.PHOTO, photo.file_id, photo.file_unique_id, None,
                        "image/jpeg", photo.file_size)
    doc = message.document
    if doc is None:
        return None
    mime = (doc.mime_type or "").lower()
    kind = FileKind.IMAGE if mime in IMAGE_TYPES else FileKind.PDF if mime == PDF_TYPE else None
    return Incoming(kind, doc.file_id, doc.file_unique_id, doc.file_name, mime, doc.file_size)


def _looks_like(kind: FileKind, data: bytes) -> bool:
    """Check the bytes are what the type says (a renamed .exe is not a screenshot)."""
    if kind is FileKind.PDF:
        return data.startswith(b"%PDF-")
    return (data.startswith(b"\xff\xd8\xff") or data.startswith(b"\x89PNG\r\n\x1a\n")
            or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"))


def _secret_text(me: Who, kinds: Sequence[str]) -> str:
    names = me.t("doc-list-sep").join(me.t(SECRET_KEYS[k]) for k in sorted(kinds))
    return me.t("ev-secret-in-image", kinds=names)


async def upload(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """File a photo, image or PDF under an evidence item (after checking it for secrets)."""
    message = update.effective_message
    me = await who(update, context)
    if me is None or message is None:
        return
    case = await _case(me)
    if case is None:
        await send(update, context, _no_case_screen(me))
        return
    incoming = _incoming(message)
    if incoming is None or incoming.kind is None:
        await send(update, context, Screen(me.t("ev-wrong-type")))
        return
    if incoming.size is not None and incoming.size > MAX_FILE_BYTES:
        await send(update, context, Screen(me.t("ev-too-big", mb=MAX_FILE_BYTES // 2**20)))
        return
    feature = evidence_of(me.svc)
    store = feature.store
    same = await store.find_duplicate(case.id, incoming.file_unique_id)
    if same is not None:
        await send(update, context, _duplicate_screen(me, case, same))
        return
    await context.bot.send_chat_action(message.chat_id, ChatAction.TYPING)
    status = await send(update, context, Screen(me.t("ev-receiving")))
    try:
        file = await context.bot.get_file(incoming.file_id)
        data = bytes(await file.download_as_bytearray())
    except TelegramError as exc:
        log.warning("could not download an upload: %s", type(exc).__name__)
        await _status(status, Screen(me.t("ev-download-failed")))
        return
    if len(data) > MAX_FILE_BYTES:
        await _status(status, Screen(me.t("ev-too-big", mb=MAX_FILE_BYTES // 2**20)))
        return
    if not _looks_like(incoming.kind, data):
        await _status(status, Screen(me.t("ev-wrong-type")))
        return
    digest = hashlib.sha256(data).hexdigest()
    same = await store.find_duplicate(case.id, incoming.file_unique_id, digest)
    if same is not None:
        await _status(status, _duplicate_screen(me, case, same))
        return
    proposal: Proposal | None = None
    if incoming.kind is not FileKind.PDF:
        try:
            lines = await feature.reader.read(data)
        except OcrBusy:
            await _status(status, Screen(me.t("ev-busy")))
            return
        except OcrFailed:
            await _status(status, Screen(me.t("ev-wrong-type")))
            return
        # The OCR text lives only in this function: checked, read, then dropped.
        secrets = find_secrets("\n".join(lines))
        if secrets:
            await _status(status, Screen(_secret_text(me, [s.value for s in secrets])))
            return
        proposal = read_receipt(lines, me.svc.now(), me.svc.settings.tz)
    note, note_dropped = None, False
    if message.caption:
        if find_secrets(message.caption):
            note_dropped = True
        else:
            note = message.caption.strip()[:MAX_NOTE] or None
    state = await store.state(me.user.id)
    applicable = {item.id for _, item in _items(me, case)}
    item = None
    if (state is not None and state.case_id == case.id and state.upload_item in applicable
            and (state.upload_at or 0) >= me.svc.now() - UPLOAD_TARGET_S):
        item = state.upload_item
    saved = await store.add_file(
        case.id, item=item, kind=incoming.kind, file_id=incoming.file_id,
        file_unique_id=incoming.file_unique_id, file_name=incoming.file_name,
        mime=incoming.mime, size=len(data), sha256=digest, note=note,
        proposal=proposal, now=me.svc.now())
    case = await me.svc.store.get_case(case.id) or case
    parts = []
    if item is not None:
        parts.append(me.t("ev-filed", item=me.t(_item_key(me, case, item))))
        parts.append(missing_text(me, case))
        keyboard = kb([[(me.t("ev-btn-back"), EvidenceMenu(case=case.id))]])
    else:
        parts.append(me.t("ev-which-item"))
        # The items still missing first: a file sent without context most likely fills one.
        items = sorted(_items(me, case), key=lambda pair: pair[1].id in case.evidence_done)
        keyboard = kb([[(f"{mark(it.id in case.evidence_done)} {me.t(it.text + '-short')}",
                         FileUnder(f=saved.id, i=i))] for i, it in items])
    if incoming.kind is FileKind.PHOTO:
        parts.append(me.t("ev-photo-hint"))
    if note_dropped:
        parts.append(me.t("ev-caption-secret"))
    await _status(status, Screen("\n\n".join(parts), keyboard))
    if saved.proposal is not None:
        await send(update, context, proposal_screen(me, saved))


def _item_key(me: Who, case: CaseRow, item: str) -> str:
    found = next((it for _, it in _items(me, case) if it.id == item), None)
    return found.text + "-short" if found else "pdf-unfiled"


def _duplicate_screen(me: Who, case: CaseRow, same: EvidenceFile) -> Screen:
    item = me.t(_item_key(me, case, same.item)) if same.item else me.t("pdf-unfiled")
    return Screen(me.t("ev-duplicate", item=item, date=me.svc.fmt_time(same.received_at)))


async def _status(status: Message, screen: Screen) -> None:
    await status.edit_text(screen.text, parse_mode=ParseMode.HTML,
                           reply_markup=screen.keyboard)


# ---- typed entries ---------------------------------------------------------------------------


def _next_field(kind: DraftKind, data: dict[str, Any]) -> str | None:
    fields = TX_FIELDS if kind is DraftKind.TX else CONTACT_FIELDS
    return next((f for f in fields if f not in data), None)


def _ask_key(kind: DraftKind, field: str) -> str:
    return field if kind is DraftKind.TX else f"contact-{field}"


async def typed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take the answer to the claim-pack question the user was asked."""
    message = update.effective_message
    me = await who(update, context)
    if me is None or message is None or message.text is None:
        return
    store = evidence_of(me.svc).store
    state = await store.state(me.user.id)
    case = await _case(me)
    if (state is None or state.draft_kind is None or state.draft_field is None or case is None
            or case.id != state.case_id):
        await send(update, context, _no_case_screen(me))
        return
    kind, field = state.draft_kind, state.draft_field
    ask = _ask_key(kind, field)
    numeric = field in ("order", "at", "amount")
    if find_secrets(message.text, expecting_number=numeric):
        try:
            await message.delete()
        except TelegramError:
            log.debug("could not delete a message with a secret")
        await send(update, context, Screen(me.t("secret-warning")))
        return
    try:
        value = _parse_field(me, ask, message.text)
    except InputError:
        await send(update, context, Screen(me.t(INVALID_KEYS.get(ask, "ev-invalid-text")) +
                                           "\n\n" + me.t(ASK_KEYS[ask]),
                                           ask_screen(me, case.id, ask).keyboard))
        return
    await _advance(update, context, me, case, state, field, value)


def _parse_field(me: Who, ask: str, text: str) -> str:
    now, tz = me.svc.now(), me.svc.settings.tz
    if ask == "order":
        return parse_order(text)
    if ask == "at":
        return parse_when(text, now, tz)
    if ask == "amount":
        return str(parse_positive_amount(text))
    if ask == "contact-at":
        return parse_when(text, now, tz, with_time=False)
    if ask == "contact-ref":
        return parse_short_text(text, MAX_REF)
    if ask == "contact-note":
        return parse_short_text(text, MAX_NOTE)
    raise InputError(ask)


async def _advance(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who, case: CaseRow,
                   state: State, field: str, value: str | None) -> None:
    """Store one answered field, then ask the next one, show the review, or save a contact."""
    store = evidence_of(me.svc).store
    assert state.draft_kind is not None
    kind = state.draft_kind
    data = dict(state.draft_data)
    data[field] = value
    editing = data.pop("_editing", None)
    nxt = None if editing else _next_field(kind, data)
    now = me.svc.now()
    if kind is DraftKind.CONTACT and nxt is None:
        await store.add_contact(case.id, at=str(data["at"]), channel=ContactChannel(
            data["channel"]), ref=data.get("ref"), note=data.get("note"), now=now)
        await store.set_draft(me.user.id, case.id, None, None, None, {}, now)
        snap = await _snap(me, case)
        await send(update, context, Screen(me.t("ev-contact-saved")))
        await send(update, context, await contacts_screen(me, case, snap))
        return
    await store.set_draft(me.user.id, case.id, kind, state.draft_target,
                          nxt, data, now)
    if nxt is not None:
        await send(update, context, ask_screen(me, case.id, _ask_key(kind, nxt)))
    else:
        await send(update, context, review_screen(me, case.id, data,
                                                  heading=me.t("ev-tx-review")))


async def _snap(me: Who, case: CaseRow) -> Snapshot:
    return await take_snapshot(case, locale=me.locale, flow=me.svc.flow,
                               settings=me.svc.settings, store=me.svc.store,
                               evidence=evidence_of(me.svc).store, now=me.svc.now())


# ---- buttons ---------------------------------------------------------------------------------


class _Acknowledging:
    """A button's query whose answer (a toast) may fail on a transient error without
    stopping the screen that follows: what the button changed is stored by then."""

    def __init__(self, query: CallbackQuery) -> None:
        self._query = query

    def __getattr__(self, name: str) -> Any:
        return getattr(self._query, name)

    async def answer(self, text: str | None = None, *, show_alert: bool = False) -> bool:
        return await acknowledge(self._query, text, show_alert=show_alert)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                    query: CallbackQuery, data: Callback) -> None:
    """Route a claim-pack button; foreign or stale ones change nothing."""
    query = cast(CallbackQuery, _Acknowledging(query))
    store = evidence_of(me.svc).store
    case_id: int | None = getattr(data, "case", None)
    f: EvidenceFile | None = None
    if isinstance(data, FileUnder | ProposalAction):
        f = await store.get_file(data.f)
        case_id = f.case_id if f else None
    elif isinstance(data, TxAction):
        tx = await store.get_tx(data.tx)
        case_id = tx.case_id if tx else None
    case = await _own_case(me, case_id) if case_id else None
    if case is None:
        await query.answer(me.t("button-foreign"), show_alert=True)
        return
    if isinstance(data, EvidenceMenu):
        await query.answer()
        await edit(query, await menu_screen(me, case, store))
    elif isinstance(data, PickItem):
        await on_pick_item(me, query, case, data)
    elif isinstance(data, FileUnder):
        assert f is not None
        await on_file_under(me, query, case, f, data)
    elif isinstance(data, ProposalAction):
        assert f is not None
        await on_proposal(update, context, me, query, case, f, data)
    elif isinstance(data, TxMenu):
        await on_tx_menu(update, context, me, query, case, data)
    elif isinstance(data, TxAction):
        await on_tx_action(update, context, me, query, case, data)
    elif isinstance(data, DraftAction | DraftChannel):
        await on_draft(update, context, me, query, case, data)
    elif isinstance(data, ContactMenu):
        await on_contact_menu(update, context, me, query, case, data)
    elif isinstance(data, BuildReport):
        await query.answer()
        await build_report(update, context, me, case)


async def on_pick_item(me: Who, query: CallbackQuery, case: CaseRow, data: PickItem) -> None:
    """Make the next uploads go under the chosen item."""
    items = dict(_items(me, case))
    item = items.get(data.i)
    if item is None:
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    await evidence_of(me.svc).store.set_upload_item(me.user.id, case.id, item.id, me.svc.now())
    await query.answer()
    await edit(query, Screen(me.t("ev-send-for-item", item=me.t(item.text + "-short")),
                             kb([[(me.t("ev-btn-back"), EvidenceMenu(case=case.id))]])))


async def on_file_under(me: Who, query: CallbackQuery, case: CaseRow, f: EvidenceFile,
                        data: FileUnder) -> None:
    """Put an unfiled upload under the chosen item and tick it."""
    item = dict(_items(me, case)).get(data.i)
    if item is None:
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    store = evidence_of(me.svc).store
    now = me.svc.now()
    await store.file_under(f.id, case.id, item.id, now)
    await store.set_upload_item(me.user.id, case.id, item.id, now)
    case = await me.svc.store.get_case(case.id) or case
    await query.answer(me.t("tick-saved"))
    await edit(query, Screen(
        me.t("ev-filed", item=me.t(item.text + "-short")) + "\n\n" + missing_text(me, case),
        kb([[(me.t("ev-btn-back"), EvidenceMenu(case=case.id))]])))


async def on_proposal(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                      query: CallbackQuery, case: CaseRow, f: EvidenceFile,
                      data: ProposalAction) -> None:
    """Save, correct or discard the transaction read from a screenshot."""
    store = evidence_of(me.svc).store
    if f.proposal is None:
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    now = me.svc.now()
    values = {k: v for k, v in f.proposal.model_dump(mode="json").items() if v is not None}
    if data.a == "x":
        await store.drop_proposal(f.id)
        await query.answer()
        await edit(query, Screen(me.t("ev-proposal-discarded")))
        return
    if data.a == "c" and f.proposal.found() == len(TX_FIELDS):
        await store.save_tx(case.id, None, order_no=str(values["order"]), at=str(values["at"]),
                            amount=Decimal(str(values["amount"])),
                            channel=Channel(values["channel"]), file=f.id, now=now)
        await query.answer(me.t("tick-saved"))
        await edit(query, Screen(me.t("ev-tx-saved")))
        await send(update, context, await tx_list_screen(me, case, store))
        return
    # Correct (or confirm with fields missing): the proposal becomes the entry being typed.
    values["_file"] = f.id
    nxt = _next_field(DraftKind.TX, values)
    await store.set_draft(me.user.id, case.id, DraftKind.TX, None, nxt, values, now)
    await query.answer()
    await edit_keyboard_none(query)
    if nxt is not None:
        await send(update, context, ask_screen(me, case.id, nxt))
    else:
        await send(update, context, review_screen(me, case.id, values,
                                                  heading=me.t("ev-tx-review")))


async def edit_keyboard_none(query: CallbackQuery) -> None:
    """Remove the buttons of the message a button sits on."""
    try:
        await query.edit_message_reply_markup(reply_markup=None)
    except TelegramError:
        log.debug("could not remove the buttons")


async def on_tx_menu(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                     query: CallbackQuery, case: CaseRow, data: TxMenu) -> None:
    """List transactions, or start typing a new one."""
    store = evidence_of(me.svc).store
    if data.a == "l":
        await query.answer()
        await edit(query, await tx_list_screen(me, case, store))
        return
    if data.a == "s":
        txs = await store.transactions(case.id)
        if not txs:
            await query.answer(me.t("button-stale"), show_alert=True)
            return
        # The checked sum replaces the estimate given in the questions (kept in the history).
        total = sum((tx.amount for tx in txs), Decimal(0))
        said = case.amount
        case.amount = total
        case.answers = {**case.answers, AMOUNT_KEY: "known"}
        await me.svc.store.save_case(case, me.svc.now(), "amount_checked",
                                     said=str(said) if said is not None else "",
                                     total=str(total))
        await query.answer(me.t("tick-saved"))
        await edit(query, await tx_list_screen(me, case, store))
        return
    await store.set_draft(me.user.id, case.id, DraftKind.TX, None, "order", {}, me.svc.now())
    await query.answer()
    await send(update, context, ask_screen(me, case.id, "order"))


async def on_tx_action(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                       query: CallbackQuery, case: CaseRow, data: TxAction) -> None:
    """Show, edit a field of, or delete one transaction."""
    store = evidence_of(me.svc).store
    tx = await store.get_tx(data.tx)
    if tx is None:
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    values: dict[str, Any] = {"order": tx.order_no, "at": tx.at, "amount": str(tx.amount),
                              "channel": tx.channel.value}
    if data.a == "v":
        rows: list[list[tuple[str, Callback]]] = [
            [(me.t("ev-btn-edit", field=me.t(FIELD_LABEL_KEYS[f])), TxAction(tx=tx.id, a=code))
             for code, f in list(FIELD_CODES.items())[:2]],
            [(me.t("ev-btn-edit", field=me.t(FIELD_LABEL_KEYS[f])), TxAction(tx=tx.id, a=code))
             for code, f in list(FIELD_CODES.items())[2:]],
            [(me.t("ev-btn-delete"), TxAction(tx=tx.id, a="d")),
             (me.t("ev-btn-back"), TxMenu(case=case.id, a="l"))],
        ]
        await query.answer()
        await edit(query, Screen(draft_fields_text(me, values), kb(rows)))
    elif data.a == "d":
        await query.answer()
        await edit(query, Screen(
            me.t("ev-tx-delete-confirm") + "\n\n" + draft_fields_text(me, values),
            kb([[(me.t("ev-btn-delete-yes"), TxAction(tx=tx.id, a="y")),
                 (me.t("ev-btn-back"), TxAction(tx=tx.id, a="v"))]])))
    elif data.a == "y":
        await store.delete_tx(tx.id, case.id)
        await query.answer(me.t("ev-tx-deleted"))
        await edit(query, await tx_list_screen(me, case, store))
    else:
        field = FIELD_CODES[data.a]
        values["_editing"] = field
        await store.set_draft(me.user.id, case.id, DraftKind.TX, tx.id, field, values,
                              me.svc.now())
        await query.answer()
        await send(update, context, ask_screen(me, case.id, field))


async def on_draft(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                   query: CallbackQuery, case: CaseRow,
                   data: DraftAction | DraftChannel) -> None:
    """Handle save, cancel, field re-asks, skips and channel choices of the entry."""
    store = evidence_of(me.svc).store
    state = await store.state(me.user.id)
    if state is None or state.draft_kind is None or state.case_id != case.id:
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    kind = state.draft_kind
    now = me.svc.now()
    if isinstance(data, DraftChannel):
        channels: list[Any] = list(Channel) if kind is DraftKind.TX else list(ContactChannel)
        if data.i >= len(channels) or state.draft_field != "channel":
            await query.answer(me.t("button-stale"), show_alert=True)
            return
        await query.answer()
        await edit_keyboard_none(query)
        await _advance(update, context, me, case, state, "channel", channels[data.i].value)
        return
    if data.a == "x":
        await store.set_draft(me.user.id, case.id, None, None, None, {}, now)
        await query.answer()
        await edit(query, Screen(me.t("ev-entry-cancelled")))
        return
    if data.a in ("k", "n"):
        if kind is not DraftKind.CONTACT or state.draft_field not in (
                ("ref", "note") if data.a == "k" else ("at",)):
            await query.answer(me.t("button-stale"), show_alert=True)
            return
        value = None if data.a == "k" else me.svc.fmt_time(now)[:10]
        await query.answer()
        await edit_keyboard_none(query)
        await _advance(update, context, me, case, state, str(state.draft_field), value)
        return
    if kind is not DraftKind.TX:
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    values = dict(state.draft_data)
    if data.a == "s":
        if _next_field(DraftKind.TX, values) is not None:
            await query.answer(me.t("button-stale"), show_alert=True)
            return
        file_row = values.get("_file")
        await store.save_tx(case.id, state.draft_target, order_no=str(values["order"]),
                            at=str(values["at"]), amount=Decimal(str(values["amount"])),
                            channel=Channel(values["channel"]),
                            file=int(file_row) if file_row else None, now=now)
        await store.set_draft(me.user.id, case.id, None, None, None, {}, now)
        await query.answer(me.t("tick-saved"))
        await edit(query, Screen(me.t("ev-tx-saved")))
        await send(update, context, await tx_list_screen(me, case, store))
        return
    field = FIELD_CODES[data.a]
    values["_editing"] = field
    await store.set_draft(me.user.id, case.id, DraftKind.TX, state.draft_target, field, values,
                          now)
    await query.answer()
    await edit_keyboard_none(query)
    await send(update, context, ask_screen(me, case.id, field))


async def on_contact_menu(update: Update, context: ContextTypes.DEFAULT_TYPE, me: Who,
                          query: CallbackQuery, case: CaseRow, data: ContactMenu) -> None:
    """List the contact log, start a new line, or delete one."""
    store = evidence_of(me.svc).store
    if data.a == "a":
        await store.set_draft(me.user.id, case.id, DraftKind.CONTACT, None, "channel", {},
                              me.svc.now())
        await query.answer()
        await send(update, context, ask_screen(me, case.id, "contact-channel"))
        return
    if data.a == "d" and not await store.delete_contact(data.n, case.id):
        await query.answer(me.t("button-stale"), show_alert=True)
        return
    await query.answer()
    await edit(query, await contacts_screen(me, case, await _snap(me, case)))


button = parsed_button(on_button)
