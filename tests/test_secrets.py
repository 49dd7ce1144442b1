"""Secrets typed, captioned or edited in: caught, warned about, deleted, never stored or logged.

Every phrasing goes through the real Application (offline), with the log at DEBUG captured
through the bot's own logging set-up; afterwards the database file, its WAL and the log are
searched for the secret.
"""

from __future__ import annotations

import io
import itertools
import logging
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.logs import configure_logging
from bot.safety import Secret, find_secrets
from tests.conftest import FakeClock, Harness, make_settings, start_harness, stop_harness
from tests.test_triage import CARD, ID_NUMBER, all_values, db_bytes

CODE, PASSWORD, CARD_NO, ID_NO = (Secret.SMS_CODE, Secret.PASSWORD, Secret.CARD_NUMBER,
                                  Secret.ID_NUMBER)

# (typed, the secret inside it, what it is). Chinese and English; with a link word (是, 为, :,
# =, is) and without one; full-width forms; the secret before or after its word.
PHRASES: list[tuple[str, str, Secret]] = [
    # passwords, Chinese, no link word (the misses of issue 11 first)
    ("密码 abc12345", "abc12345", PASSWORD),
    ("支付密码123456", "123456", PASSWORD),
    ("我的密码abc12345", "abc12345", PASSWORD),
    ("密码 abcdefgh", "abcdefgh", PASSWORD),
    ("口令 778899", "778899", PASSWORD),
    ("支付密码 666888", "666888", PASSWORD),
    ("我的京东密码 asdf1234", "asdf1234", PASSWORD),
    ("新密码 Jd@2026pass", "Jd@2026pass", PASSWORD),
    ("登录密码qwer1234，帮我看看", "qwer1234", PASSWORD),
    ("ＰＩＮ码 ４３２１", "４３２１", PASSWORD),
    # passwords, Chinese, with a link word
    ("我的密码是 Hunter2xyz!", "Hunter2xyz", PASSWORD),
    ("我的支付密码是147258", "147258", PASSWORD),
    ("登录密码：qwer5678", "qwer5678", PASSWORD),
    ("密码:zxcv5678", "zxcv5678", PASSWORD),
    ("交易密码为 135790", "135790", PASSWORD),
    ("密码＝Pa55word", "Pa55word", PASSWORD),
    # passwords, English
    ("password abc12345", "abc12345", PASSWORD),
    ("password: Tr0ub4dor&3", "Tr0ub4dor", PASSWORD),
    ("my password is hunter2", "hunter2", PASSWORD),
    ("my password is Swordfish", "Swordfish", PASSWORD),
    ("pwd=abc", "pwd=abc", PASSWORD),
    ("passwd qwerty123", "qwerty123", PASSWORD),
    ("passcode 778800", "778800", PASSWORD),
    ("PIN 4321", "4321", PASSWORD),
    ("my pin is 9876", "9876", PASSWORD),
    ("password123456", "password123456", PASSWORD),
    ("the password was letmein99", "letmein99", PASSWORD),
    ("Password = S3cret!", "S3cret", PASSWORD),
    ("my jd password abc54321", "abc54321", PASSWORD),
    ("payment password 147369", "147369", PASSWORD),
    # codes, Chinese
    ("动态密码 482913", "482913", CODE),
    ("动态密码482914", "482914", CODE),
    ("验证码 837261", "837261", CODE),
    ("验证码837262", "837262", CODE),
    ("验证码是837263", "837263", CODE),
    ("短信验证码：482915", "482915", CODE),
    ("收到的动态码 4821", "动态码 4821", CODE),
    ("校验码为 55667788", "55667788", CODE),
    ("482916 是验证码", "482916", CODE),
    ("我收到验证码 391827 了", "391827", CODE),
    ("短信密码 246810", "246810", CODE),
    ("安全码 9087", "9087", CODE),
    ("验证码：４８２９１７", "４８２９１７", CODE),
    ("京东发来的确认码 620571，要告诉客服吗", "620571", CODE),
    # codes, English
    ("OTP482913", "OTP482913", CODE),
    ("ＯＴＰ４８２９１８", "４８２９１８", CODE),
    ("verification code 482919", "482919", CODE),
    ("my sms code is 559013", "559013", CODE),
    ("OTP 12345678", "12345678", CODE),
    ("otp: 482920", "482920", CODE),
    ("code 482921", "482921", CODE),
    ("the code is 736194", "736194", CODE),
    ("code482922", "code482922", CODE),
    ("security code 5531", "5531", CODE),
    ("one-time password 889900", "889900", CODE),
    ("482923 is the code", "482923", CODE),
    ("2FA 135246", "135246", CODE),
    ("here is the OTP 246813 they sent", "246813", CODE),
    ("sms code:4455", "4455", CODE),
    # a bare code (not while the amount is asked)
    ("837264", "837264", CODE),
    (" 4822 ", "4822", CODE),
    # cards and ID numbers
    (CARD, CARD, CARD_NO),
    (f"卡号 {CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}", CARD[12:], CARD_NO),
    (f"my card {CARD[:4]}-{CARD[4:8]}-{CARD[8:12]}-{CARD[12:]} was charged", CARD[12:],
     CARD_NO),
    (f"身份证 {ID_NUMBER}", ID_NUMBER, ID_NO),
    (f"ID number: {ID_NUMBER}", ID_NUMBER, ID_NO),
]

# Ordinary amounts and order talk: never flagged.
ORDINARY = [
    "1299.5", "¥300", "1,299元", "1.2万", "金条被人借了 5000 元", "被盗刷了 ¥8000",
    "订单号 285412345678", "订单 285412345678 退款 1299 元", "白条被借 2万",
    "I lost ¥4999 on order 285412345678", "order 285412345678 refunded ¥300",
    "I lost 4999 yuan", "昨天晚上 10 点发现的", "2026 年 11 月", "我忘记密码了", "密码被改了",
    "支付密码被人改了，损失 3000 元", "修改了登录密码和支付密码", "收到验证码短信后被扣了 5000 元",
    "the code did not arrive", "my password was changed", "the password is wrong",
    "password reset yesterday", "my password is not working", "京东客服说要验证码",
    "spin class 1234", "支付密码 ******", "登录密码：••••••••", "password: ****",
]

MODES = ("message", "photo", "document", "edit", "edit_caption")


def _bare(text: str) -> bool:
    return text.strip().isdigit()


def _secret_modes(text: str) -> tuple[str, ...]:
    # An edited bare number is taken for a corrected amount (see bot/handlers/guard.py).
    return tuple(m for m in MODES if not (_bare(text) and m == "edit"))


def test_the_table_is_large_and_classified() -> None:
    assert len(PHRASES) >= 60
    assert len(ORDINARY) >= 20
    langs = {"zh" if any("\u4e00" <= c <= "\u9fff" for c in t) else "en" for t, _, _ in PHRASES}
    assert langs == {"zh", "en"}
    for typed, needle, kind in PHRASES:
        assert needle in typed
        assert kind in find_secrets(typed), typed
    for typed in ORDINARY:
        assert find_secrets(typed) == set(), typed
        assert find_secrets(typed, expecting_number=True) == set(), typed


_message_ids = itertools.count(500000)


def _message(text: str, mode: str, user: int = 1, message_id: int | None = None
             ) -> dict[str, Any]:
    body: dict[str, Any] = {
        "message_id": message_id or next(_message_ids),
        "date": int(time.time()),
        "chat": {"id": user, "type": "private", "first_name": "U"},
        "from": {"id": user, "is_bot": False, "first_name": "U", "language_code": "zh-CN"},
    }
    if mode in ("message", "edit"):
        body["text"] = text
    elif mode in ("photo", "edit_caption"):
        body["photo"] = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
        body["caption"] = text
    else:
        body["document"] = {"file_id": "d", "file_unique_id": "d", "file_name": "shot.jpg"}
        body["caption"] = text
    return body


async def deliver(h: Harness, text: str, mode: str, user: int = 1) -> list[Any]:
    """Send ``text`` as a new message, a captioned file, or an edit of an earlier message."""
    before = len(h.api.calls)
    if mode.startswith("edit"):
        body = _message("…" if mode == "edit" else "", mode, user)
        if mode == "edit_caption":
            body["caption"] = "screenshot"
        await _process(h, {"message": body})
        before = len(h.api.calls)
        edited = _message(text, mode, user, message_id=body["message_id"])
        edited["edit_date"] = int(time.time())
        await _process(h, {"edited_message": edited})
    else:
        await _process(h, {"message": _message(text, mode, user)})
    return h.api.calls[before:]


async def _process(h: Harness, body: dict[str, Any]) -> None:
    """Hand an update to the running Application as polling would (PTB logs it at DEBUG)."""
    await h.app.update_queue.put(h.updates.raw(body))
    await h.app.update_queue.join()


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """The bot's logging set-up at DEBUG, writing into a buffer."""
    buffer = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = configure_logging("DEBUG", "", buffer)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
        for name in ("httpx", "httpcore", "aiohttp", "apscheduler", "hpack"):
            logging.getLogger(name).setLevel(logging.NOTSET)


@pytest.fixture
async def bot(tmp_path: Path, debug_log: io.StringIO) -> AsyncIterator[Harness]:
    """A started bot whose user 1 consented and stands at the symptoms question."""
    h = await start_harness(make_settings(tmp_path, log_level="DEBUG"), FakeClock())
    try:
        await h.send("/start")
        await h.press(h.t("btn-consent-yes"))
        yield h
    finally:
        await stop_harness(h)


def _warned(h: Harness, calls: list[Any]) -> bool:
    sent = [c.params["text"] for c in calls if c.method == "sendMessage"]
    return sent == [h.t("secret-warning")] and [
        c.method for c in calls if c.method == "deleteMessage"
    ] == ["deleteMessage"]


@pytest.mark.parametrize("mode", MODES)
async def test_every_phrasing_is_caught_and_never_kept(bot: Harness, debug_log: io.StringIO,
                                                       mode: str) -> None:
    h = bot
    case_before = await h.svc.db.fetch("SELECT * FROM cases")
    events_before = len(await h.svc.db.fetch("SELECT * FROM case_events"))
    tried = [(typed, needle) for typed, needle, _ in PHRASES if mode in _secret_modes(typed)]
    missed = [typed for typed, _ in tried if not _warned(h, await deliver(h, typed, mode))]
    assert missed == []
    assert [tuple(r) for r in await h.svc.db.fetch("SELECT * FROM cases")] == [
        tuple(r) for r in case_before
    ]
    assert len(await h.svc.db.fetch("SELECT * FROM case_events")) == events_before
    raw = db_bytes(h.settings.database_path)
    values = all_values(h.settings.database_path)
    log = debug_log.getvalue()
    assert "Processing update" in log  # PTB's debug output was captured, redacted
    for typed, needle in tried:
        for part in {needle, typed.strip()}:
            assert part.encode() not in raw, (mode, typed)
            assert part not in values, (mode, typed)
            assert part not in log, (mode, typed)


@pytest.mark.parametrize("mode", MODES)
async def test_ordinary_amounts_and_order_talk_are_not_flagged(bot: Harness, mode: str) -> None:
    h = bot
    for typed in ORDINARY:
        calls = await deliver(h, typed, mode)
        assert [c for c in calls if c.method == "deleteMessage"] == [], typed
        assert h.t("secret-warning") not in [
            c.params.get("text") for c in calls if c.method == "sendMessage"
        ], typed
        if mode.startswith("edit"):
            assert calls == [], typed  # an edit is not an answer: nothing is sent or stored


async def test_an_edited_amount_is_not_a_code(bot: Harness) -> None:
    calls = await deliver(bot, "1300", "edit")
    assert calls == []


async def test_debug_log_keeps_no_text_of_a_normal_message(bot: Harness,
                                                               debug_log: io.StringIO) -> None:
    await bot.send("我在京东的订单被人下了，好担心")
    log = debug_log.getvalue()
    assert "Calling Bot API endpoint" in log
    assert "好担心" not in log
    assert bot.t("fallback-use-buttons") not in log  # the bot's replies are not logged either


def test_log_filter_redacts_other_libraries_arguments_of_any_shape(
        debug_log: io.StringIO) -> None:
    # Replaces the fixture's handler (same name); the fixture restores levels afterwards.
    buffer = io.StringIO()
    handler = configure_logging("DEBUG", "123:SECRET-TOKEN", buffer)
    try:
        lib = logging.getLogger("telegram.ext.ExtBot")
        lib.debug("Calling `%s` with `%s`", "sendMessage", {"text": "密码 abc12345"})
        lib.debug("mapping %(text)s", {"text": "OTP482913"})
        lib.info("%d updates, %.1f s", 3, 0.5)
        lib.warning({"text": "支付密码123456"})  # a non-string message
        logging.getLogger("aiohttp.client").warning("body %r", b"pwd=abc")
        logging.getLogger("bot.handlers.guard").info("broadcast %d started", 7)
        logging.getLogger("httpx").warning("url %s", "https://x/bot123:SECRET-TOKEN/getMe")
    finally:
        logging.getLogger().removeHandler(handler)
    log = buffer.getvalue()
    for secret in ("abc12345", "OTP482913", "123456", "pwd=abc", "SECRET-TOKEN"):
        assert secret not in log, secret
    assert "3 updates, 0.5 s" in log
    assert "broadcast 7 started" in log  # the bot's own records are kept as they are
    assert "Calling `<…>` with `<…>`" in log


def test_tracebacks_keep_frames_but_not_messages_that_may_quote_input(
        debug_log: io.StringIO) -> None:
    from telegram.error import BadRequest

    log = logging.getLogger("bot.handlers.general")
    typed = "密码 " + "abc" + "12345"  # not written out: the traceback shows source lines
    try:
        try:
            raise BadRequest("Message to edit not found")
        except BadRequest as exc:
            raise ValueError(f"input_value={typed!r}") from exc
    except ValueError:
        log.exception("error while handling an update")
    text = debug_log.getvalue()
    assert "abc12345" not in text
    assert "ValueError: <message withheld>" in text
    assert "BadRequest: Message to edit not found" in text  # Telegram's words are kept
    assert "test_tracebacks_keep_frames" in text  # the frames are kept


async def test_a_caption_with_a_secret_stops_there_even_if_the_warning_fails(
        bot: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    h = bot
    answer = h.api.answer

    def failing(method: str, params: dict[str, Any]) -> tuple[bool, Any]:
        if method == "sendMessage":
            return False, "Bad Request: chat not found"
        return answer(method, params)

    monkeypatch.setattr(h.api, "answer", failing)
    calls = await deliver(h, "密码 abc12345", "photo")
    assert [c.method for c in calls] == ["deleteMessage", "sendMessage"]  # nothing after it
