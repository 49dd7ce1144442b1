"""The triage driven through the real Application offline: happy paths and every bad input."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import CallbackContext

from bot.callbacks import MAX_BYTES
from bot.handlers import general
from bot.store.cases import CaseRow, CaseStatus
from tests.conftest import Harness, both_dialects

# The store-level and harness tests run on SQLite and on PostgreSQL.
dialect = both_dialects

DAY = 86400.0


# ---- helpers (also used by the other triage tests) -------------------------------------------


async def consent(h: Harness, user: int = 1, lang: str = "zh-CN") -> None:
    """Send /start and agree to storage."""
    await h.send("/start", user, lang=lang)
    await h.press(h.t("btn-consent-yes", lang), user)


async def pick(h: Harness, symptoms: list[str], user: int = 1, lang: str = "zh-CN") -> None:
    """Toggle symptoms by id and press Done."""
    for sid in symptoms:
        await h.press(h.t(label_of(h, sid), lang), user)
    await h.press(h.t("btn-done", lang), user)


def label_of(h: Harness, symptom_id: str) -> str:
    """Return the label key of a symptom."""
    return next(s.label for s in h.svc.flow.symptoms if s.id == symptom_id)


async def answer_all(h: Harness, user: int = 1, lang: str = "zh-CN", *, noticed: str = "hour",
                     amount: str | None = "1,299元", cause: str = "none",
                     police: str = "reported") -> None:
    """Leave the emergency step and answer every question."""
    await h.press(h.t("btn-proceed", lang), user)
    await h.press(h.t(f"q-noticed-{noticed}", lang), user)
    if amount is None:
        await h.press(h.t("q-amount-unknown", lang), user)
    else:
        await h.send(amount, user, lang=lang)
    await h.press(h.t(f"q-cause-{cause}", lang), user)
    await h.press(h.t(f"q-police-{police.replace('_', '-')}", lang), user)


async def case_of(h: Harness, user: int = 1) -> CaseRow:
    """Return the user's current case."""
    row = await h.svc.store.get_user(user)
    assert row is not None and row.current_case is not None
    case = await h.svc.store.get_case(row.current_case)
    assert case is not None
    return case


async def count(h: Harness, table: str) -> int:
    """Count the rows of a table."""
    return int(await h.svc.db.fetchval(f"SELECT COUNT(*) FROM {table}"))


def keyboard_data(h: Harness, chat: int) -> list[str]:
    """Return every callback data currently shown in a chat."""
    return [
        str(b["callback_data"])
        for m in h.api.messages.get(chat, {}).values()
        for row in (m.get("reply_markup") or {}).get("inline_keyboard", [])
        for b in row
    ]


def last_message_with_buttons(h: Harness, chat: int) -> dict[str, Any]:
    """Return the newest message in a chat that has an inline keyboard."""
    for message in reversed(list(h.api.messages.get(chat, {}).values())):
        if (message.get("reply_markup") or {}).get("inline_keyboard"):
            return message
    raise LookupError("no message with buttons")


def assert_sizes(h: Harness) -> None:
    """Every text the bot sent fits Telegram's limits, every button's data 64 bytes."""
    for call in h.api.calls:
        if call.method in ("sendMessage", "editMessageText"):
            assert len(str(call.params["text"]).encode("utf-16-le")) // 2 <= 4096
        markup = call.params.get("reply_markup")
        if markup:
            data = json.loads(markup) if isinstance(markup, str) else markup
            for row in data.get("inline_keyboard", []):
                for button in row:
                    assert len(button["callback_data"].encode()) <= MAX_BYTES


# ---- the whole triage ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
async def test_whole_triage(harness: Harness, lang: str) -> None:
    h = harness
    await h.send("/start", lang=lang)
    assert h.saw(1, "welcome", lang) and h.saw(1, "privacy-short", lang)
    assert await count(h, "users") == 0, "nothing is stored before consent"
    await h.press(h.t("btn-consent-yes", lang))
    assert h.saw(1, "triage-symptoms-prompt", lang)
    assert len(h.svc.flow.symptoms) >= 9

    await h.press(h.t("symptom-jintiao", lang))
    await h.press(h.t("symptom-balance-card", lang))
    assert any(b.startswith("✅") and h.t("symptom-jintiao", lang) in b for b in h.buttons(1))
    await h.press(h.t("btn-done", lang))
    # Emergency steps come at once, tailored: 金条 -> freeze 金条 + 110; card -> the bank.
    assert h.saw(1, "emergency-urgent", lang)
    for key in ("emergency-call-110", "emergency-call-bank", "emergency-freeze-pay"):
        assert h.saw(1, key, lang)
    # Past the first three, steps show their short name until the ones above are ticked.
    assert h.saw(1, "emergency-freeze-jintiao-short", lang)
    assert not h.saw(1, "emergency-freeze-jintiao", lang)
    assert not h.saw(1, "emergency-freeze-baitiao", lang)
    assert not h.saw(1, "q-noticed", lang), "no question before the emergency steps"

    await h.press(h.t("emergency-call-110-short", lang))
    await h.press(h.t("emergency-freeze-jintiao-short", lang))
    assert (await case_of(h)).emergency_done == ["call_110", "freeze_jintiao"]
    await h.press(h.t("emergency-freeze-jintiao-short", lang))  # untick
    assert (await case_of(h)).emergency_done == ["call_110"]

    await answer_all(h, lang=lang, amount="1,299元")
    case = await case_of(h)
    assert case.status is CaseStatus.PLANNED and case.step is None
    assert case.verdict == "claimable", "credit is claimable where the conditions are met"
    assert str(case.amount) == "1299.00"
    assert case.answers == {"noticed": "hour", "_amount": "known", "cause": "none",
                            "police": "reported"}
    assert case.symptoms == ["balance_card", "jintiao"]
    for key in ("verdict-claimable", "verdict-reason-balance", "verdict-reason-jintiao",
                "verdict-disclaimer", "shield-recovery", "plan-lead-claim"):
        assert h.saw(1, key, lang), key
    # The other parts open in place, in the same message.
    plan = last_message_with_buttons(h, 1)["message_id"]
    for button, keys in (("btn-show-evidence", ("evidence-intro", "evidence-jintiao-record",
                                                "evidence-bank-record")),
                         ("btn-show-claim", ("claim-intro", "claim-keyword", "shield-caller")),
                         ("btn-show-escalation", ("escalate-intro-later", "escalate-12378"))):
        await h.press(h.t(button, lang))
        assert last_message_with_buttons(h, 1)["message_id"] == plan
        for key in keys:
            assert h.saw(1, key, lang), key
    for key in ("verdict-reason-orders", "route-police-first", "emergency-added",
                "escalate-110", "escalate-intro-now"):
        assert not h.saw(1, key, lang), key
    await h.press(h.t("btn-show-evidence", lang))
    assert h.saw(1, "verdict-amount", lang, amount="1,299")

    await h.press(h.t("evidence-police-receipt-short", lang))
    assert (await case_of(h)).evidence_done == ["police_receipt"]

    await h.send("/case", lang=lang)
    text = h.last_text(1)
    assert h.t("case-emergency-progress", lang, done=1, total=7) in text
    assert h.t("case-evidence-progress", lang, done=1, total=7) in text
    assert h.t("verdict-claimable", lang) in text
    assert h.t("verdict-disclaimer", lang) in text
    assert_sizes(h)


async def test_amount_formats_and_reask(harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["unknown_orders"])
    await h.press(h.t("btn-proceed"))
    await h.press(h.t("q-noticed-today"))
    for bad, key in (("很多", "q-amount-invalid"), ("1,29", "q-amount-invalid"),
                     ("12.345", "q-amount-invalid"), ("abc元", "q-amount-invalid"),
                     ("-5", "amount-negative"), ("0", "amount-zero"),
                     ("0.01", "amount-too-small"), ("999999999999", "amount-too-large")):
        calls = await h.send(bad)
        texts = [c.params["text"] for c in calls if c.method == "sendMessage"]
        assert texts == [h.t(key)], bad
    assert (await case_of(h)).step == "amount"
    calls = await h.send("¥300")
    case = await case_of(h)
    assert case.amount is not None and str(case.amount) == "300.00"
    assert case.step == "cause"
    # Read back with a way to change it, then the next question.
    texts = [c.params["text"] for c in calls if c.method == "sendMessage"]
    assert texts[0] == h.t("amount-echo", amount="300")
    assert texts[-1] == h.t("q-cause")


@pytest.mark.parametrize("typed,expected", [("1299.5", "1299.50"), ("1,299元", "1299.00"),
                                            ("¥300", "300.00")])
async def test_amount_examples_from_the_issue(harness: Harness, typed: str,
                                              expected: str) -> None:
    h = harness
    await consent(h)
    await pick(h, ["baitiao"])
    await h.press(h.t("btn-proceed"))
    await h.press(h.t("q-noticed-week"))
    await h.send(typed)
    assert str((await case_of(h)).amount) == expected


async def test_amount_not_sure(harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["ecard_coupons"])
    await answer_all(h, amount=None, police="not_yet")
    case = await case_of(h)
    assert case.amount is None and case.answers["_amount"] == "unknown"
    assert h.saw(1, "verdict-amount-unknown")
    await h.press(h.t("btn-show-escalation"))
    assert h.saw(1, "escalate-110")


# ---- text, commands and media the bot did not ask for --------------------------------------


async def test_text_while_button_question_is_open(harness: Harness) -> None:
    h = harness
    await consent(h)
    calls = await h.send("金条被借了")
    sent = [c.params["text"] for c in calls if c.method == "sendMessage"]
    assert sent == [h.t("fallback-symptoms")], "a pointer, not the whole screen again"
    await pick(h, ["jintiao"])
    calls = await h.send("你好，我现在该怎么办？")
    sent = [c.params["text"] for c in calls if c.method == "sendMessage"]
    assert sent == [h.t("fallback-emergency")]
    await h.press(h.t("btn-proceed"))
    calls = await h.send("今天")
    sent = [c.params["text"] for c in calls if c.method == "sendMessage"]
    assert sent == [h.t("fallback-use-buttons"), h.t("q-noticed")]
    assert (await case_of(h)).answers == {}


@pytest.mark.parametrize("update_kind", ["unknown_command", "sticker", "photo"])
async def test_things_the_bot_cannot_read(harness: Harness, update_kind: str) -> None:
    h = harness
    if update_kind == "unknown_command":
        calls = await h.send("/frobnicate")
    else:
        body: dict[str, Any] = {
            "message_id": 5, "date": 0, "chat": {"id": 1, "type": "private"},
            "from": {"id": 1, "is_bot": False, "first_name": "U", "language_code": "zh-CN"},
        }
        if update_kind == "sticker":
            body["sticker"] = {"file_id": "s", "file_unique_id": "s", "type": "regular",
                               "width": 1, "height": 1, "is_animated": False,
                               "is_video": False}
        else:
            body["photo"] = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
        before = len(h.api.calls)
        await h.app.process_update(h.updates.raw({"message": body}))
        calls = h.api.calls[before:]
    assert [c.params["text"] for c in calls if c.method == "sendMessage"] == [
        h.t("fallback-other")
    ]


async def test_first_message_gets_the_welcome_then_idle_text_gets_help(
        harness: Harness) -> None:
    h = harness
    calls = await h.send("你好")
    assert len(calls) == 1
    assert h.saw(1, "welcome") and h.saw(1, "privacy-short")
    assert await count(h, "users") == 0
    await h.press(h.t("btn-consent-yes"))
    await pick(h, ["other"])
    await answer_all(h)
    calls = await h.send("然后呢")
    assert [c.params["text"] for c in calls] == [h.t("fallback-planned", case=1)]
    await h.press(h.t("btn-show-plan"))
    assert h.saw(1, "plan-lead-claim")


async def test_cancel_then_text_falls_back(harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["unknown_orders"])
    await h.press(h.t("btn-proceed"))
    await h.press(h.t("q-noticed-today"))
    await h.send("/cancel")
    assert h.saw(1, "cancel-done", case=1)
    calls = await h.send("500")
    assert [c.params["text"] for c in calls] == [
        h.t("fallback-paused", case=1, step=h.t("step-name-amount"))]
    assert (await case_of(h)).amount is None
    await h.send("/cancel")
    assert h.last_text(1) == h.t("cancel-nothing")
    # /start offers to continue, and continuing asks the amount again.
    await h.send("/start")
    assert h.saw(1, "resume-offer", case=1, step=h.t("step-name-amount"))
    await h.press(h.t("btn-resume"))
    assert h.last_text(1) == h.t("q-amount")
    await h.send("500")
    assert str((await case_of(h)).amount) == "500.00"


async def test_help_lists_every_command(harness: Harness) -> None:
    h = harness
    await h.send("/help", lang="en")
    text = h.last_text(1)
    for command, key in general.MENU:
        assert f"/{command}" in text and h.t(key, "en") in text


# ---- stale, foreign and forged buttons ------------------------------------------------------


async def test_stale_buttons_change_nothing(harness: Harness) -> None:
    h = harness
    await consent(h)
    toggle_message, toggle = h.find_button(1, h.t("symptom-baitiao"))
    await pick(h, ["jintiao"])
    before = await case_of(h)
    # A symptom toggle after Done.
    await h.press_data(toggle, toggle_message)
    done_message, done = toggle_message, f"sd:{before.id}"
    await h.press_data(done, done_message)
    assert h.alerts()[-2:] == [h.t("button-stale")] * 2
    after = await case_of(h)
    assert after.symptoms == ["jintiao"] and after.step == "emergency"

    # Answering an already answered question.
    await h.press(h.t("btn-proceed"))
    question, data = h.find_button(1, h.t("q-noticed-week"))
    await h.press_data(data, question)
    answered = await case_of(h)
    assert answered.answers == {"noticed": "week"}
    earlier = data.rsplit(":", 1)[0] + ":3"
    await h.press_data(earlier, question)
    assert h.alerts()[-1] == h.t("button-stale")
    assert (await case_of(h)).answers == {"noticed": "week"}
    # A second press on Proceed (already left the emergency step).
    await h.press_data(f"go:{before.id}:1", question)
    assert h.alerts()[-1] == h.t("button-stale")
    assert (await case_of(h)).step == "amount"


async def test_foreign_button(harness: Harness) -> None:
    h = harness
    await consent(h, user=1)
    await consent(h, user=2)
    message, data = h.find_button(1, h.t("symptom-jintiao"))
    case1 = await case_of(h, 1)
    for forged in (data, f"sd:{case1.id}", f"sh:{case1.id}:s", f"tk:{case1.id}:e:0:1",
                   f"rs:{case1.id}"):
        await h.press_data(forged, message, user=2)
        assert h.alerts()[-1] == h.t("button-foreign"), forged
    assert (await case_of(h, 1)).symptoms == []
    assert (await case_of(h, 2)).symptoms == []
    row2 = await h.svc.store.get_user(2)
    assert row2 is not None and row2.current_case != case1.id


@pytest.mark.parametrize("data", [
    "", "garbage", "sy", "sy:1", "sy:1:2:3", "sy:x:0", "sy:1:99", "sy:1:-1",
    "sy:99999999999999999999999999:0", "an:1:2:x", "tk:1:q:0", "tk:1:e:999", "sh:1:z",
    "lg:fr", "xs:99999:0", "xs:-1:0", "xs:1:42", "xt:1:99999999999999999999999999999999:2",
    "xt:1:4294967295:2",
    "xt:1:0:99", "xd:0", "go:1:99", "an:1:0:-5", "cs:maybe", "dl:2", "zz:1",
    "sy:1:0" + ":0" * 40,
])
async def test_forged_callback_data(harness: Harness, data: str) -> None:
    h = harness
    await consent(h)
    before = await case_of(h)
    message = last_message_with_buttons(h, 1)
    calls = await h.press_data(data, message)
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 1
    text = answers[0].params.get("text")
    assert text in (h.t("button-stale"), h.t("button-foreign"), h.t("symptoms-none")), data
    assert not [c for c in calls if c.method == "sendMessage"]
    assert (await case_of(h)) == before


async def test_done_without_symptoms(harness: Harness) -> None:
    h = harness
    await consent(h)
    await h.press(h.t("btn-done"))
    assert h.alerts()[-1] == h.t("symptoms-none")
    case = await case_of(h)
    assert case.step == "symptoms" and case.symptoms == []


# ---- secrets --------------------------------------------------------------------------------


def luhn_complete(prefix: str) -> str:
    """Append the Luhn check digit to a card number prefix."""
    for check in "0123456789":
        digits = prefix + check
        total = 0
        for i, ch in enumerate(reversed(digits)):
            d = int(ch) * (2 if i % 2 else 1)
            total += d - 9 if d > 9 else d
        if total % 10 == 0:
            return digits
    raise AssertionError


def id_complete(body: str) -> str:
    """Append the checksum character to a 17-digit PRC ID body."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(body, weights, strict=True))
    return body + "10X98765432"[total % 11]


CARD = luhn_complete("622202123456789")
ID_NUMBER = id_complete("11010519491231002")
SECRETS = {
    "code": ("验证码 837261", "837261"),
    "code_en": ("my sms code is 559013", "559013"),
    "password": ("我的密码是 Hunter2xyz!", "Hunter2xyz"),
    "password_en": ("password: Tr0ub4dor&3", "Tr0ub4dor"),
    "card": (f"卡号 {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}", CARD[-8:]),
    "card_plain": (CARD, CARD),
    "id": (f"身份证 {ID_NUMBER}", ID_NUMBER),
}


def db_bytes(path: Path) -> bytes:
    """Return the database file and its WAL, as bytes."""
    out = b""
    for suffix in ("", "-wal", "-journal"):
        part = Path(str(path) + suffix)
        if part.exists():
            out += part.read_bytes()
    return out


def all_values(path: Path) -> str:
    """Return every value of every table, as one string."""
    conn = sqlite3.connect(path)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return "\n".join(
            repr(row) for table in tables for row in conn.execute(f"SELECT * FROM {table}")
        )
    finally:
        conn.close()


async def stored_values(h: Harness) -> str:
    """Return every value of every table of the harness's store (SQLite or PostgreSQL)."""
    if h.svc.db.dialect == "sqlite":
        return all_values(h.settings.database_path)
    tables = [str(r[0]) for r in await h.svc.db.fetch(
        "SELECT table_name FROM information_schema.tables WHERE table_schema='public'")]
    return "\n".join([repr(tuple(row)) for table in tables
                      for row in await h.svc.db.fetch(f"SELECT * FROM {table}")])


@pytest.mark.parametrize("where", ["idle", "amount", "symptoms"])
async def test_secrets_are_never_stored(harness: Harness, where: str) -> None:
    h = harness
    await consent(h)
    if where != "symptoms":
        await pick(h, ["balance_card"])
    if where == "amount":
        await h.press(h.t("btn-proceed"))
        await h.press(h.t("q-noticed-hour"))
    if where == "idle":
        await answer_all(h)
    before = await case_of(h)
    for name, (typed, _) in SECRETS.items():
        calls = await h.send(typed)
        assert [c.params["text"] for c in calls if c.method == "sendMessage"] == [
            h.t("secret-warning")
        ], name
        assert [c.method for c in calls if c.method == "deleteMessage"] == ["deleteMessage"]
    assert (await case_of(h)) == before
    # The shapes of English typing in Chinese mode get the same warning.
    assert h.saw(1, "secret-warning")
    await h.svc.db.checkpoint()
    # The file's bytes on SQLite (free pages, WAL); on PostgreSQL every row of every table.
    raw = db_bytes(h.settings.database_path) if h.svc.db.dialect == "sqlite" else b""
    values = await stored_values(h)
    for name, (typed, needle) in SECRETS.items():
        assert needle.encode() not in raw, name
        assert needle not in values, name
        assert typed.encode() not in raw, name


# ---- privacy: consent, anonymous, export, delete, retention --------------------------------


async def test_anonymous_path_stores_nothing(harness: Harness) -> None:
    h = harness
    await h.send("/start")
    await h.press(h.t("btn-consent-no"))
    await h.press(h.t("symptom-jintiao"))
    await h.press(h.t("symptom-baitiao"))
    await h.press(h.t("symptom-baitiao"))
    await h.press(h.t("btn-done"))
    assert h.saw(1, "emergency-call-110") and h.saw(1, "emergency-freeze-jintiao")
    assert h.saw(1, "emergency-urgent")
    assert not h.saw(1, "emergency-freeze-baitiao")
    await h.press(h.t("emergency-freeze-jintiao-short"))
    assert any(b.startswith("✅") and h.t("emergency-freeze-jintiao-short") in b
               for b in h.buttons(1))
    assert h.saw(1, "anon-after")
    await h.send("还有别的吗")
    for table in ("users", "cases", "case_events"):
        assert await count(h, table) == 0, table
    # Consenting afterwards starts a stored case.
    await h.press(h.t("btn-consent-yes"))
    assert await count(h, "cases") == 1


async def test_anonymous_done_without_symptoms(harness: Harness) -> None:
    h = harness
    await h.send("/start")
    await h.press(h.t("btn-consent-no"))
    await h.press(h.t("btn-done"))
    assert h.alerts()[-1] == h.t("symptoms-none")


async def test_group_chat_is_private_only(harness: Harness) -> None:
    h = harness
    calls = await h.send("/start", chat_id=-100123)
    assert [c.params["text"] for c in calls] == [h.t("private-only")]
    calls = await h.send("/new", chat_id=-100123)
    assert [c.params["text"] for c in calls] == [h.t("private-only")]
    assert await count(h, "users") == 0
    # Commands about one's own case are not answered with case data in a group either.
    await consent(h)
    await pick(h, ["jintiao"])
    for command in ("/case", "/cases", "/cancel", "/export", "/delete"):
        calls = await h.send(command, chat_id=-100123)
        assert [c.params["text"] for c in calls] == [h.t("private-only")], command
    assert (await case_of(h)).paused is False
    # Ordinary group chatter is not answered at all.
    assert await h.send("验证码 123456 大家好", chat_id=-100123) == []


async def test_export_returns_the_users_data(harness: Harness) -> None:
    h = harness
    await h.send("/export")
    assert h.last_text(1) == h.t("export-nothing")
    await consent(h)
    await pick(h, ["jintiao"])
    await answer_all(h, amount="2000")
    uploads: list[bytes] = []
    real = h.api.do_request

    async def spy(url: str, method: str, request_data: Any = None, **kw: Any) -> Any:
        if request_data is not None and request_data.multipart_data:
            uploads.extend(part[1] for part in request_data.multipart_data.values())
        return await real(url, method, request_data, **kw)

    h.api.do_request = spy  # type: ignore[method-assign]
    calls = await h.send("/export")
    assert [c.method for c in calls] == ["sendDocument"]
    assert calls[0].params["caption"] == h.t("export-caption")
    (raw,) = uploads
    data = json.loads(raw)
    assert data["user"]["user_id"] == 1 and data["user"]["consent_at"] is not None
    (case,) = data["cases"]
    assert case["symptoms"] == ["jintiao"] and case["amount"] == "2000.00"
    assert [e["kind"] for e in case["events"]][:2] == ["opened", "symptoms"]


async def test_delete_with_confirm_removes_everything(harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["baitiao"])
    await h.send("/new")
    await h.press(h.t("btn-new-case"))
    await h.send("/delete")
    await h.press(h.t("btn-delete-no"))
    assert h.last_text(1) == h.t("delete-aborted")
    assert await count(h, "cases") == 2
    await h.send("/delete")
    await h.press(h.t("btn-delete-yes"))
    assert h.last_text(1) == h.t("delete-done", cases=2)
    for table in ("users", "cases", "case_events"):
        assert await count(h, table) == 0, table
    # Afterwards the bot starts from the welcome again.
    await h.send("/start")
    assert h.last_text(1).startswith(h.t("welcome")[:10])


async def test_purge_job_deletes_expired_cases(harness: Harness) -> None:
    h = harness
    await consent(h, user=1)
    await pick(h, ["baitiao"], user=1)
    await consent(h, user=2)
    await consent(h, user=3)
    closed = await case_of(h, 1)
    closed.status = CaseStatus.CLOSED
    closed.closed_at = h.clock()
    await h.svc.store.save_case(closed, h.clock(), "closed")
    days = h.settings.retention_days
    context = CallbackContext(h.app)

    h.clock.advance((days - 1) * DAY)
    await h.press(h.t("symptom-jintiao"), user=2)  # user 2 stays active
    await general.purge_job(context)
    assert await count(h, "cases") == 3

    h.clock.advance(2 * DAY)
    await general.purge_job(context)
    assert {c.user_id for c in await _cases(h)} == {2, 3}, "the closed case went first"
    assert await count(h, "case_events") == len(await h.svc.store.events(2)) + len(
        await h.svc.store.events(3))

    h.clock.advance(days * DAY)  # user 3 idle for twice the retention period
    await general.purge_job(context)
    assert {c.user_id for c in await _cases(h)} == {2}
    # Users left with nothing stored and idle past the retention period go too.
    assert await h.svc.store.get_user(3) is None
    assert await h.svc.store.get_user(1) is None
    assert await h.svc.store.get_user(2) is not None
    await h.send("/case", user=3)
    assert h.last_text(3) == h.t("case-none")


async def _cases(h: Harness) -> list[CaseRow]:
    out: list[CaseRow] = []
    for user in (1, 2, 3):
        out += await h.svc.store.list_cases(user)
    return out


# ---- several cases, resuming, language ------------------------------------------------------


async def test_start_with_open_case_offers_continue(harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["unknown_orders"])
    await h.press(h.t("emergency-change-passwords-short"))
    await h.send("/start")
    assert h.saw(1, "resume-offer", case=1, step=h.t("step-name-emergency"))
    await h.press(h.t("btn-resume"))
    assert h.last_text(1).startswith(h.t("triage-emergency-prompt")[:5]) or h.saw(
        1, "triage-emergency-prompt")
    assert "✅" in " ".join(b for b in h.buttons(1)
                           if h.t("emergency-change-passwords-short") in b)
    await answer_all(h)
    assert (await case_of(h)).status is CaseStatus.PLANNED


async def test_new_and_cases(harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["jintiao"])
    await h.send("/new")
    # A case is open: /new asks first instead of abandoning it silently.
    assert h.saw(1, "resume-offer", case=1, step=h.t("step-name-emergency"))
    assert (await case_of(h)).id == 1
    await h.press(h.t("btn-new-case"))
    assert (await case_of(h)).id == 2
    await pick(h, ["baitiao"])
    await h.send("/cases")
    text = h.last_text(1)
    assert h.t("cases-title") in text
    assert "#1" in text and "#2" in text
    assert text.index("#2") < text.index("#1"), "newest first"
    await h.press(h.t("btn-open-case", case=1))
    assert (await case_of(h)).id == 1
    assert h.saw(1, "case-title", case=1,
                 status=h.t("status-at-step", step=h.t("step-name-emergency")))
    # Offer on /start: open a new case instead of continuing.
    await h.send("/start")
    await h.press(h.t("btn-new-case"))
    assert (await case_of(h)).id == 3
    assert h.last_text(1) == h.t("triage-symptoms-prompt")


async def test_buttons_of_an_older_case_make_it_current(harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["jintiao"])
    await h.press(h.t("btn-proceed"))
    question, noticed = h.find_button(1, h.t("q-noticed-hour"))
    await h.send("/new")
    await h.press(h.t("btn-new-case"))
    await h.press_data(noticed, question)
    assert (await case_of(h)).id == 1
    await h.send("800")
    case = await h.svc.store.get_case(1)
    assert case is not None and str(case.amount) == "800.00"


async def test_lang_switches_following_replies(harness: Harness) -> None:
    h = harness
    await consent(h, lang="zh-CN")
    await h.send("/lang")
    await h.press(h.t("lang-name-en"))
    assert h.last_text(1) == h.t("lang-set", "en")
    await h.send("/help")
    assert h.last_text(1).startswith(h.t("help-intro", "en")[:20])
    # A button of an older (Chinese) screen redraws it in the new language.
    await h.press(h.t("symptom-jintiao", "zh-CN"))
    assert any(h.t("symptom-jintiao", "en") in b for b in h.buttons(1))
    await h.send("/lang")
    await h.press(h.t("lang-name-zh", "en"))
    await h.send("/case")
    status = h.t("status-at-step", step=h.t("step-name-symptoms"))
    assert h.t("case-title", "zh-CN", case=1, status=status) in h.last_text(1)


@pytest.mark.parametrize("code,locale", [("zh-hans", "zh-CN"), ("zh-TW", "zh-CN"),
                                         ("en-GB", "en"), ("ru", "en")])
async def test_language_follows_telegram(harness: Harness, code: str, locale: str) -> None:
    h = harness
    await h.send("/start", lang=code)
    assert h.saw(1, "welcome", locale)


async def test_a_case_stopped_before_its_verdict_gets_it_on_resume(harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["ecard_coupons"])
    case = await case_of(h)
    # As if the process died between storing the last answer and the verdict.
    case.step = "verdict"
    case.answers = {"noticed": "today", "_amount": "unknown", "cause": "none",
                    "police": "reported"}
    await h.svc.store.save_case(case, h.clock())
    await h.send("/start")
    assert h.saw(1, "resume-offer", case=case.id, step=h.t("step-name-verdict"))
    await h.press(h.t("btn-resume"))
    assert h.saw(1, "verdict-reason-assets") and h.saw(1, "plan-footer", case=case.id)
    done = await case_of(h)
    assert done.status is CaseStatus.PLANNED and done.verdict == "considered"


async def test_plan_buttons_reopen_each_part(harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["baitiao"])
    # Before the verdict, the plan parts are not ready.
    await h.send("/case")
    await h.press(h.t("btn-show-emergency"))
    assert h.saw(1, "emergency-freeze-baitiao")
    await h.press_data("sh:1:c", last_message_with_buttons(h, 1))
    assert h.last_text(1) == h.t("plan-not-ready")
    await answer_all(h, noticed="earlier", cause="unsure", police="not_yet", amount="5000")
    for label, key in (("btn-show-evidence", "evidence-intro"),
                       ("btn-show-claim", "claim-intro"),
                       ("btn-show-escalation", "escalate-intro-now")):
        await h.press(h.t(label))
        assert h.last_text(1).startswith(h.t(key)[:6]), label
    case = await case_of(h)
    assert case.verdict == "at_risk"
    assert_sizes(h)


@pytest.mark.parametrize("dialect", ["sqlite"])  # reads the file from a second connection
async def test_every_acknowledgement_comes_after_the_commit(harness: Harness) -> None:
    """When the user sees a button acknowledged, what it changed is already in the file."""
    h = harness
    seen: list[tuple[str, str | None, str | None]] = []

    def snapshot(call: Any) -> None:
        if call.method not in ("answerCallbackQuery", "editMessageText",
                               "editMessageReplyMarkup"):
            return
        conn = sqlite3.connect(h.settings.database_path)
        try:
            user = conn.execute("SELECT consent_at FROM users WHERE user_id=1").fetchone()
            case = conn.execute("SELECT step, answers FROM cases WHERE user_id=1 "
                                "ORDER BY id DESC").fetchone()
        finally:
            conn.close()
        consent = None if user is None else str(user[0])
        seen.append((call.method, consent, None if case is None else f"{case[0]}|{case[1]}"))

    await h.send("/start")
    h.api.on_call = snapshot
    await h.press(h.t("btn-consent-yes"))
    assert seen and all(consent not in (None, "None") for _, consent, _ in seen)
    await h.press(h.t("symptom-other"))
    seen.clear()
    await h.press(h.t("btn-done"))
    assert seen and all(state is not None and state.startswith("emergency|")
                        for _, _, state in seen)
    seen.clear()
    await h.press(h.t("btn-proceed"))
    assert seen and all(state is not None and state.startswith("noticed|")
                        for _, _, state in seen)
    seen.clear()
    await h.press(h.t("q-noticed-week"))
    assert seen and all(state == 'amount|{"noticed":"week"}' for _, _, state in seen)


async def test_editing_an_old_message_answers_nothing(harness: Harness) -> None:
    """An edited message is not a new answer: the amount question stays open, nothing stored."""
    h = harness
    await consent(h)
    await pick(h, ["unknown_orders"])
    await h.press(h.t("btn-proceed"))
    await h.press(h.t("q-noticed-today"))
    before = len(h.api.calls)
    edited = h.updates.text(1, "300").to_dict()
    edited["edited_message"] = edited.pop("message")
    from telegram import Update

    await h.app.process_update(Update.de_json(edited, h.app.bot))
    assert len(h.api.calls) == before, "the bot must not answer an edit"
    case = await h.svc.store.get_case(1)
    assert case is not None and case.step == "amount" and case.amount is None
