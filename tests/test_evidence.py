"""The claim pack through the real Application: uploads, OCR, transactions, contacts, /report."""

from __future__ import annotations

import asyncio
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from pypdf import PdfReader
from telegram.ext import CallbackContext

from bot.evidence.handlers import MAX_FILE_BYTES, evidence_of
from bot.evidence.model import Channel, ContactChannel
from bot.evidence.ocr import Reader
from bot.evidence.store import EvidenceStore
from bot.handlers import general
from bot.transport.local import ApiCall
from tests.conftest import Harness, _plain, both_dialects
from tests.screenshots import Truth, card_leak_page, luhn_complete, order_page
from tests.test_triage import answer_all, case_of, consent, count, pick, stored_values

# The store-level and harness tests run on SQLite and on PostgreSQL.
dialect = both_dialects

TRUTH = Truth(order="305512348765", at="2026-11-20 14:32", amount="1,299.00", channel="baitiao")
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


async def planned(h: Harness, user: int = 1, lang: str = "zh-CN") -> None:
    """Consent and walk a 白条 case to its plan."""
    await consent(h, user, lang)
    await pick(h, ["baitiao"], user, lang)
    await answer_all(h, user, lang)


def store(h: Harness) -> EvidenceStore:
    return evidence_of(h.svc).store


async def upload(h: Harness, data: bytes, user: int = 1, **kwargs: Any) -> list[ApiCall]:
    before = len(h.api.calls)
    language = h.languages.get(user, "zh-CN")
    await h.app.process_update(h.updates.file(user, data, language_code=language, **kwargs))
    return h.api.calls[before:]


def item_index(h: Harness, item_id: str) -> int:
    return next(i for i, it in enumerate(h.svc.flow.evidence) if it.id == item_id)


async def pick_item(h: Harness, item_id: str) -> None:
    """Open /evidence and choose the item the next uploads go under."""
    await h.send("/evidence")
    await h.press("", data=f"ki:1:{item_index(h, item_id)}")


def texts_of(calls: list[ApiCall]) -> str:
    return "\n".join(_plain(str(c.params.get("text", ""))) for c in calls)


def said(h: Harness, calls: list[ApiCall], key: str, lang: str = "zh-CN", **kw: Any) -> bool:
    """Tell whether the calls sent the message ``key``; variables not given match anything."""
    text = texts_of(calls)
    pieces = _plain(h.t(key, lang, **kw)).split("\x00")
    return all(piece in text for piece in pieces)


ANY = "\x00"


async def test_screenshot_as_file_is_filed_read_and_confirmed(harness: Harness) -> None:
    h = harness
    await planned(h)
    await pick_item(h, "tx_screenshots")
    assert h.saw(1, "ev-send-for-item", item=h.t("evidence-tx-screenshots-short"))
    calls = await upload(h, order_page(TRUTH), file_name="order.png")
    [f] = (await store(h).files(1))
    assert (f.item, f.kind, f.mime, f.file_name) == ("tx_screenshots", "image", "image/png",
                                                     "order.png")
    assert len(f.sha256) == 64
    case = await case_of(h)
    assert "tx_screenshots" in case.evidence_done
    assert said(h, calls, "ev-filed", item=h.t("evidence-tx-screenshots-short"))
    # The proposal: order masked in chat, never in full.
    assert said(h, calls, "ev-proposal")
    assert "********8765" in texts_of(calls)
    assert TRUTH.order not in "\n".join(h.texts(1))
    await h.press(h.t("ev-btn-confirm"))
    [tx] = (await store(h).transactions(1))
    assert (tx.order_no, tx.at, tx.amount, tx.channel.value, tx.file) == (
        TRUTH.order, TRUTH.at, Decimal("1299.00"), "baitiao", f.id)
    assert (await store(h).files(1))[0].proposal is None
    # The OCR text itself is nowhere in the database.
    values = await stored_values(h)
    assert "iPhone" not in values and "交易成功" not in values


async def test_photo_without_context_is_asked_about(harness: Harness) -> None:
    h = harness
    await planned(h)
    calls = await upload(h, order_page(TRUTH), photo=True)
    assert said(h, calls, "ev-which-item") and said(h, calls, "ev-photo-hint")
    [f] = (await store(h).files(1))
    assert f.item is None and f.kind == "photo"
    await h.press(h.t("evidence-login-records-short"))
    assert (await store(h).files(1))[0].item == "login_records"
    assert "login_records" in (await case_of(h)).evidence_done


async def test_pdf_duplicate_wrong_type_and_too_big(harness: Harness) -> None:
    h = harness
    await planned(h)
    await pick_item(h, "police_receipt")
    calls = await upload(h, PDF_BYTES, mime="application/pdf", file_name="receipt.pdf",
                         caption="报案回执")
    [f] = (await store(h).files(1))
    assert (f.kind, f.item, f.note) == ("pdf", "police_receipt", "报案回执")
    assert said(h, calls, "ev-filed", item=h.t("evidence-police-receipt-short"))
    # The same bytes again (a new Telegram file) are recognised by their SHA-256.
    calls = await upload(h, PDF_BYTES, mime="application/pdf", file_name="again.pdf")
    assert said(h, calls, "ev-duplicate", item=ANY, date=ANY)
    assert len(await store(h).files(1)) == 1
    # Not evidence: a zip, and a "PNG" whose bytes are not an image.
    calls = await upload(h, b"PK\x03\x04zip", mime="application/zip", file_name="x.zip")
    assert said(h, calls, "ev-wrong-type")
    calls = await upload(h, b"MZ\x90\x00 not an image", mime="image/png", file_name="x.png")
    assert said(h, calls, "ev-wrong-type")
    # Too big for the Bot API: refused before any download.
    calls = await upload(h, b"\xff\xd8\xff small", mime="image/jpeg", file_name="big.jpg",
                         size=MAX_FILE_BYTES + 1)
    assert said(h, calls, "ev-too-big", mb=20)
    assert not any(c.method == "getFile" for c in calls)
    assert len(await store(h).files(1)) == 1


async def test_screenshot_with_a_card_number_is_refused(harness: Harness) -> None:
    h = harness
    await planned(h)
    card = luhn_complete("622202123456789")
    calls = await upload(h, card_leak_page(" ".join([card[:4], card[4:8], card[8:12],
                                                     card[12:]])))
    assert said(h, calls, "ev-secret-in-image", kinds=h.t("ev-secret-card"))
    assert (await store(h).files(1)) == []
    assert await count(h, "evidence_files") == 0
    values = await stored_values(h)
    assert card[-8:] not in values and TRUTH.order not in values


async def test_nothing_is_stored_without_consent_or_plan(harness: Harness) -> None:
    h = harness
    calls = await upload(h, order_page(TRUTH), user=5)
    assert said(h, calls, "fallback-other")
    await consent(h, user=6)  # consent, but no plan yet
    calls = await upload(h, order_page(TRUTH), user=6, photo=True)
    assert said(h, calls, "fallback-other")
    assert not any(c.method == "getFile" for c in h.api.calls)
    assert await count(h, "evidence_files") == 0
    assert await h.svc.store.get_user(5) is None
    calls = await h.send("/evidence", user=6)
    assert said(h, calls, "ev-need-plan")


async def test_typed_transaction_with_reasks_edit_totals_and_delete(harness: Harness) -> None:
    h = harness
    await planned(h)
    await h.send("/evidence")
    await h.press(h.t("ev-btn-add-tx"))
    calls = await h.send("abc")
    assert said(h, calls, "ev-invalid-order")
    await h.send("2891 0033 4455")
    calls = await h.send("2099-01-01 10:00")
    assert said(h, calls, "ev-invalid-at")
    await h.send("2026/11/21 09:05")
    calls = await h.send("很多")
    assert said(h, calls, "ev-invalid-amount")
    await h.send("¥300")
    await h.press(h.t("ev-channel-jintiao"))
    assert said(h, h.api.calls[-2:], "ev-tx-review")
    await h.press(h.t("ev-btn-save"))
    [tx] = (await store(h).transactions(1))
    assert (tx.order_no, tx.at, tx.amount, tx.channel.value) == (
        "289100334455", "2026-11-21 09:05", Decimal("300.00"), "jintiao")
    # The list: masked order, totals, and the triage amount (1,299) against the sum (300).
    text = _plain(h.last_text(1))
    assert "********4455" in text and "289100334455" not in text
    assert _plain(h.t("ev-tx-differs", said="1,299", total="300")) in text
    # The checked sum replaces the estimate, with a line in the case history.
    await h.press(h.t("ev-btn-use-total"))
    assert (await case_of(h)).amount == Decimal("300.00")
    assert [e.data for e in await h.svc.store.events(1) if e.kind == "amount_checked"] == [
        {"said": "1299.00", "total": "300.00"}]
    assert h.t("ev-btn-use-total") not in h.buttons(1)[-3:]
    # Edit the amount, then the typed text goes back to the triage once nothing is asked.
    await h.press("", data=f"kx:{tx.id}:v")
    await h.press("", data=f"kx:{tx.id}:m")
    await h.send("999")
    await h.press(h.t("ev-btn-save"))
    assert (await store(h).transactions(1))[0].amount == Decimal("999.00")
    assert len(await store(h).transactions(1)) == 1
    await h.press("", data=f"kx:{tx.id}:d")
    await h.press(h.t("ev-btn-delete-yes"))
    assert (await store(h).transactions(1)) == []


async def test_secret_typed_into_an_entry_is_not_stored(harness: Harness) -> None:
    h = harness
    await planned(h)
    await h.send("/evidence")
    await h.press(h.t("ev-btn-add-contact"))
    await h.press(h.t("ev-contact-bank"))
    await h.press(h.t("ev-btn-today"))
    await h.press(h.t("ev-btn-skip"))
    card = luhn_complete("622202123456789")
    calls = await h.send(f"客服让我报卡号 {card}")
    assert said(h, calls, "secret-warning")
    assert card not in await stored_values(h)
    await h.send("银行已冻结卡片")
    [c] = (await store(h).contacts(1))
    assert (c.channel.value, c.ref, c.note) == ("bank", None, "银行已冻结卡片")


async def test_contact_log_with_follow_up_answers(harness: Harness) -> None:
    h = harness
    await planned(h)
    await h.send("/evidence")
    await h.press(h.t("ev-btn-add-contact"))
    await h.press(h.t("ev-contact-police"))
    await h.send("2026-11-22")
    await h.send("京公(经)立字[2026]1120号")
    await h.press(h.t("ev-btn-skip"))
    [c] = (await store(h).contacts(1))
    assert (c.at, c.channel.value, c.ref, c.note) == ("2026-11-22", "police",
                                                     "京公(经)立字[2026]1120号", None)
    # A follow-up answer ("claim submitted") shows up in the log by itself.
    await h.svc.store.add_event(1, "claim_submitted", h.clock.now)
    await h.press("", data="kk:1:l:0")
    text = _plain("\n".join(h.texts(1)))
    assert h.t("ev-log-claim-submitted") in text and "1120号" in text
    await h.press("", data=f"kk:1:d:{c.id}")
    assert (await store(h).contacts(1)) == []


async def test_buttons_touch_only_the_pressers_case(harness: Harness) -> None:
    h = harness
    await planned(h)
    await planned(h, user=2)
    await upload(h, order_page(TRUTH), user=1, file_name="a.png")
    [f] = (await store(h).files(1))
    message = h.find_button(1, h.t("ev-btn-confirm"))[0]
    for data in (f"kp:{f.id}:c", f"kf:{f.id}:0", "km:1", "kt:1:a", "kk:1:a:0", "kr:1"):
        await h.press_data(data, message, user=2)
    assert h.alerts()[-6:] == [h.t("button-foreign")] * 6
    assert await store(h).transactions(1) == []
    assert (await store(h).files(1))[0].proposal is not None
    assert (await store(h).state(2)) is None


def pdf_of(calls: list[ApiCall]) -> bytes:
    [doc] = [c for c in calls if c.method == "sendDocument"]
    data = doc.params["_uploads"]["document"]
    assert isinstance(data, bytes)
    return data


async def test_report_builds_every_document(harness: Harness) -> None:
    h = harness
    await planned(h)
    await pick_item(h, "tx_screenshots")
    await upload(h, order_page(TRUTH), file_name="order.png")
    await h.press(h.t("ev-btn-confirm"))
    ev = store(h)
    for n in range(1, 20):
        await ev.save_tx(1, None, order_no=f"2900000000{n:02d}",
                         at=f"2026-11-2{n % 3} 1{n % 10}:00", amount=Decimal(n * 10),
                         channel=Channel.BANK_CARD, file=None, now=h.clock.now)
    await ev.add_contact(1, at="2026-11-22", channel=ContactChannel.POLICE,
                         ref="A-2026-1120", note=None, now=h.clock.now)
    calls = await h.send("/report")
    messages = [_plain(str(c.params["text"])) for c in calls if c.method == "sendMessage"]
    statement = next(m for m in messages if h.t("ev-report-statement") in m)
    assert TRUTH.order in statement  # documents carry order numbers in full
    assert h.t("doc-statement-police-ref", ref="A-2026-1120") in statement
    assert h.t("doc-statement-more", count=14) in statement
    assert len(statement) < 1000, "the statement must fit a customer-service chat box"
    memo = next(m for m in messages if h.t("ev-report-memo") in m)
    assert all(tx.order_no in memo for tx in await ev.transactions(1))
    assert h.t("doc-memo-payee") in memo
    # Not escalated yet: no regulator drafts.
    assert not any(h.t("ev-report-draft", channel="12315") in m for m in messages)
    assert any(c.method == "sendChatAction" for c in calls)
    reader = PdfReader(io.BytesIO(pdf_of(calls)))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert h.t("pdf-title", case=1) in text
    assert TRUTH.order in text and "A-2026-1120" in text
    assert (await ev.files(1))[0].sha256[:32] in text.replace("\n", "")
    assert f"第 1 / {len(reader.pages)} 页" in text
    assert len(reader.pages) >= 3  # summary and tables, then one page per image
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    assert fonts_embedded(reader)

    # JD refused: /report now adds the regulator drafts.
    await h.svc.store.add_event(1, "jd_answered", h.clock.now, outcome="refused")
    calls = await h.send("/report")
    messages = [_plain(str(c.params["text"])) for c in calls if c.method == "sendMessage"]
    drafts = [m for m in messages if h.t("doc-draft-answer-refused") in m]
    assert {"12315", "12363"} <= {ch for ch in ("12315", "12363", "12378")
                                  if any(h.t("ev-report-draft", channel=ch) in m
                                         for m in drafts)}


def fonts_embedded(reader: PdfReader) -> bool:
    """Tell whether every font of every page is embedded (a subset, name prefixed ABCDEF+)."""
    seen = 0
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target["/FontDescriptor"].get_object()
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                return False
            if "+" not in str(target["/BaseFont"]):
                return False
            seen += 1
    return seen > 0


@pytest.mark.parametrize("lang", ["en"])
async def test_report_in_english(harness: Harness, lang: str) -> None:
    h = harness
    await planned(h, lang=lang)
    calls = await h.send("/report", lang=lang)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf_of(calls))).pages)
    assert h.t("pdf-title", lang, case=1) in text
    assert "Page 1 of" in text


async def test_export_and_delete_cover_the_claim_pack(harness: Harness) -> None:
    h = harness
    await planned(h)
    await pick_item(h, "tx_screenshots")
    await upload(h, order_page(TRUTH))
    await h.press(h.t("ev-btn-confirm"))
    await store(h).add_contact(1, at="2026-11-22", channel=ContactChannel.JD, ref="T1",
                               note="agreed to review", now=h.clock.now)
    calls = await h.send("/export")
    [doc] = [c for c in calls if c.method == "sendDocument"]
    data = json.loads(doc.params["_uploads"]["document"])
    assert data["evidence_files"][0]["sha256"] == (await store(h).files(1))[0].sha256
    assert data["transactions"][0]["order_no"] == TRUTH.order
    assert data["contacts"][0]["note"] == "agreed to review"
    await h.send("/delete")
    await h.press(h.t("btn-delete-yes"))
    for table in ("evidence_files", "evidence_transactions", "evidence_contacts",
                  "evidence_state"):
        assert await count(h, table) == 0, table


async def test_ocr_runs_off_the_event_loop_and_its_queue_is_bounded(harness: Harness) -> None:
    h = harness
    await planned(h)
    await planned(h, user=2)
    feature = evidence_of(h.svc)
    await feature.reader.warm_up()
    reading = asyncio.ensure_future(upload(h, order_page(TRUTH), file_name="slow.png"))
    await asyncio.sleep(0.05)  # the upload is now in the OCR thread
    calls = await h.send("/help", user=2)
    assert said(h, calls, "help-intro")
    assert not reading.done(), "another chat was answered while the screenshot was read"
    await reading
    # A full queue says "busy" and stores nothing.
    original, feature.reader = feature.reader, Reader(queue=1)
    try:
        first = asyncio.ensure_future(upload(h, order_page(TRUTH, style=1), file_name="a.png"))
        await asyncio.sleep(0.05)
        calls = await upload(h, order_page(TRUTH, width=700), file_name="b.png")
        assert said(h, calls, "ev-busy")
        await first
    finally:
        feature.reader.close()
        feature.reader = original
    assert [f.file_name for f in (await store(h).files(1))] == ["slow.png", "a.png"]


async def test_retention_removes_the_claim_pack_with_the_case(harness: Harness) -> None:
    h = harness
    await planned(h)
    await pick_item(h, "tx_screenshots")
    await upload(h, order_page(TRUTH))
    await h.press(h.t("ev-btn-confirm"))
    await store(h).add_contact(1, at="2026-11-22", channel=ContactChannel.BANK, ref=None,
                               note=None, now=h.clock.now)
    h.clock.advance((2 * h.settings.retention_days + 1) * 86400)
    await general.purge_job(CallbackContext(h.app))
    for table in ("evidence_files", "evidence_transactions", "evidence_contacts",
                  "evidence_state"):
        assert await count(h, table) == 0, table


async def test_a_half_typed_entry_does_not_capture_text_of_another_case(
        harness: Harness) -> None:
    h = harness
    await planned(h)
    await h.send("/evidence")
    await h.press(h.t("ev-btn-add-tx"))
    assert await store(h).awaiting_text(1, 0)
    await h.send("/new")
    await h.press(h.t("btn-new-case"))
    assert (await case_of(h)).id == 2
    assert not await store(h).awaiting_text(1, 0)
    calls = await h.send("abc")
    assert not said(h, calls, "ev-invalid-order")
