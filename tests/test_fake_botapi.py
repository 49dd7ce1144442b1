"""Self-test of the fake Bot API server against a real python-telegram-bot client."""

from __future__ import annotations

import asyncio
import datetime as dtm
import time
from collections.abc import AsyncIterator

import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.constants import ChatMemberStatus, ChatType, MessageEntityType
from telegram.error import (
    BadRequest,
    ChatMigrated,
    EndPointNotFound,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from tests.fakes.botapi import BOT_ID, BOT_USERNAME, Call, FakeBotApi, UploadedFile, decode_param

USER = 4242
GROUP = -100123


def _keyboard() -> InlineKeyboardMarkup:
    """Build a two-row inline keyboard."""
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("是 Yes", callback_data="ans:yes")],
            [
                InlineKeyboardButton("否 No", callback_data="ans:no"),
                InlineKeyboardButton("Help", url="https://example.com"),
            ],
        ]
    )


def _make_bot(api: FakeBotApi, read_timeout: float | None = None) -> Bot:
    """Build a PTB bot pointed at the fake."""
    request = HTTPXRequest(read_timeout=read_timeout) if read_timeout is not None else None
    return Bot(
        token="123:ABC",
        base_url=api.base_url,
        base_file_url=api.base_file_url,
        request=request,
    )


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    """Run a fake Bot API server for one test."""
    async with FakeBotApi() as server:
        yield server
    assert server.server_errors == []


@pytest.fixture
async def bot(api: FakeBotApi) -> AsyncIterator[Bot]:
    """Provide an initialized PTB bot talking to the fake."""
    async with _make_bot(api) as tg_bot:
        yield tg_bot


@pytest.fixture
def timedelta_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta periods so RetryAfter raises no PTBDeprecationWarning."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


def test_urls_and_param_decoding() -> None:
    """Expose PTB-style URLs and decode PTB's form encoding."""
    api = FakeBotApi(port=8123)
    assert api.base_url == "http://127.0.0.1:8123/bot"
    assert api.base_file_url == "http://127.0.0.1:8123/file/bot"
    assert decode_param("chat_id", "-100123") == -100123
    assert decode_param("text", "123") == "123"
    assert decode_param("text", "[1]") == "[1]"
    assert decode_param("reply_markup", '{"inline_keyboard": []}') == {"inline_keyboard": []}
    assert decode_param("disable_notification", "true") is True


async def test_get_me(api: FakeBotApi, bot: Bot) -> None:
    """Answer getMe (called by Bot.initialize) with the test bot user."""
    me = await bot.get_me()
    assert me.id == BOT_ID == bot.id
    assert me.is_bot
    assert me.username == BOT_USERNAME
    assert me.can_join_groups is True
    assert api.calls[0].method == "getMe"
    assert isinstance(api.calls[0].at, float)


async def test_send_edit_and_buttons(api: FakeBotApi, bot: Bot) -> None:
    """Echo sent messages, track edits per chat and expose buttons."""
    msg = await bot.send_message(
        USER, "你好 <b>world</b>", parse_mode="HTML", reply_markup=_keyboard()
    )
    assert msg.message_id == 1
    assert msg.chat.id == USER
    assert msg.chat.type == ChatType.PRIVATE
    assert msg.from_user is not None and msg.from_user.id == BOT_ID
    assert msg.text == "你好 world"
    assert isinstance(msg.date, dtm.datetime)
    assert msg.reply_markup is not None
    assert msg.reply_markup.inline_keyboard[0][0].callback_data == "ans:yes"

    call = api.sent(USER)[0]
    assert call.params["chat_id"] == USER
    assert call.params["parse_mode"] == "HTML"
    assert call.params["reply_markup"]["inline_keyboard"][1][1]["url"] == "https://example.com"
    assert api.buttons(api.last_message(USER)) == [("是 Yes", "ans:yes"), ("否 No", "ans:no")]

    second = await bot.send_message(GROUP, "group hello")
    assert second.chat.type == ChatType.SUPERGROUP
    assert second.message_id == 1
    third = await bot.send_message(USER, "plain")
    assert third.message_id == 2

    edited = await bot.edit_message_text("edited", chat_id=USER, message_id=msg.message_id)
    assert not isinstance(edited, bool)
    assert edited.text == "edited"
    assert edited.reply_markup is None
    assert api.last_message(USER)["text"] == "edited"
    assert api.message(USER, 2)["text"] == "plain"
    assert [c.method for c in api.sent(USER)] == ["sendMessage", "sendMessage", "editMessageText"]
    assert len(api.sent()) == 4

    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("edited", chat_id=USER, message_id=msg.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER, message_id=99)
    with pytest.raises(BadRequest, match=r"(?i)can.t parse entities"):
        await bot.send_message(USER, "1 < 2", parse_mode="HTML")
    assert await bot.edit_message_text("inline", inline_message_id="abc") is True

    marked = await bot.edit_message_reply_markup(USER, msg.message_id, reply_markup=_keyboard())
    assert not isinstance(marked, bool) and marked.reply_markup is not None
    assert await bot.delete_message(USER, 2)
    with pytest.raises(LookupError):
        api.message(USER, 2)
    assert await bot.send_chat_action(USER, "typing")


async def test_callback_query_answer(api: FakeBotApi, bot: Bot) -> None:
    """Record answerCallbackQuery answers."""
    msg = await bot.send_message(USER, "q", reply_markup=_keyboard())
    api.user_presses(USER, msg.message_id, "ans:no")
    (update,) = await bot.get_updates(timeout=1)
    assert update.callback_query is not None
    assert await update.callback_query.answer("ok!", show_alert=True)
    answer = api.callback_answers[update.callback_query.id]
    assert answer["text"] == "ok!"
    assert answer["show_alert"] is True
    with pytest.raises(ValueError, match="no button"):
        api.user_presses(USER, msg.message_id, "ans:maybe")
    with pytest.raises(LookupError):
        api.user_presses(USER, 77, "ans:no")


async def test_get_updates_long_poll(api: FakeBotApi, bot: Bot) -> None:
    """Return queued user updates, honour offset and wait up to timeout."""
    msg = await bot.send_message(USER, "pick", reply_markup=_keyboard())
    first = api.user_sends_text(USER, "/start ref_1", first_name="Alice")
    second = api.user_presses(USER, api.last_message(USER), "ans:yes")
    third = api.user_sends_text(
        555, "hi group", chat_id=GROUP, chat_type="supergroup", language_code="en"
    )
    assert (first, second, third) == (1, 2, 3)

    updates = await bot.get_updates(offset=0, timeout=5)
    assert [u.update_id for u in updates] == [1, 2, 3]
    start, press, group = updates

    assert isinstance(start, Update) and start.message is not None
    assert start.message.text == "/start ref_1"
    assert start.message.chat.type == ChatType.PRIVATE
    assert start.message.message_id == msg.message_id + 1
    assert start.effective_user is not None
    assert start.effective_user.language_code == "zh-CN"
    assert start.effective_user.first_name == "Alice"
    entity = start.message.entities[0]
    assert (entity.type, entity.offset, entity.length) == (MessageEntityType.BOT_COMMAND, 0, 6)

    query = press.callback_query
    assert query is not None and query.data == "ans:yes"
    assert query.from_user.id == USER
    assert query.message is not None and query.message.message_id == msg.message_id
    assert query.message.chat.id == USER

    assert group.effective_chat is not None
    assert group.effective_chat.type == ChatType.SUPERGROUP
    assert group.effective_chat.id == GROUP
    assert group.message is not None and not group.message.entities

    # confirming with offset drops them; an empty queue waits for `timeout`
    began = time.monotonic()
    assert await bot.get_updates(offset=4, timeout=1) == ()
    assert 0.9 <= time.monotonic() - began < 3
    assert api.pending_updates == []

    # a waiting long poll is woken by a new update
    poll = asyncio.create_task(bot.get_updates(offset=4, timeout=10))
    await api.wait_for(lambda c: c.method == "getUpdates" and c.params.get("offset") == 4, since=1)
    await asyncio.sleep(0.05)
    began = time.monotonic()
    api.push_update(
        {
            "my_chat_member": {
                "chat": {"id": GROUP, "type": "supergroup", "title": "G"},
                "from": {"id": 555, "is_bot": False, "first_name": "Bob"},
                "date": int(time.time()),
                "old_chat_member": {"status": "left", "user": api.bot_user},
                "new_chat_member": {"status": "member", "user": api.bot_user},
            }
        }
    )
    (member_update,) = await poll
    assert time.monotonic() - began < 1
    assert member_update.my_chat_member is not None
    assert member_update.my_chat_member.new_chat_member.status == ChatMemberStatus.MEMBER


async def test_set_error_forbidden(api: FakeBotApi, bot: Bot) -> None:
    """Raise Forbidden while the error lasts, then succeed."""
    api.set_error(USER, "forbidden", times=2)
    for _ in range(2):
        with pytest.raises(Forbidden, match=r"(?i)bot was blocked by the user"):
            await bot.send_message(USER, "hi")
    assert (await bot.send_message(USER, "hi")).text == "hi"
    assert [c.status for c in api.calls_of("sendMessage")] == [403, 403, 200]
    assert len(api.sent(USER)) == 1

    api.set_error(USER, "bad_request", method="sendMessage")
    with pytest.raises(BadRequest, match=r"(?i)chat not found"):
        await bot.send_message(USER, "hi")
    assert await bot.send_chat_action(USER, "typing")


@pytest.mark.usefixtures("timedelta_mode")
async def test_set_error_retry_after(api: FakeBotApi, bot: Bot) -> None:
    """Raise RetryAfter with the configured delay."""
    api.set_error(USER, "retry_after", times=1, retry_after=3)
    with pytest.raises(RetryAfter) as excinfo:
        await bot.send_message(USER, "hi")
    assert excinfo.value.retry_after == dtm.timedelta(seconds=3)
    assert api.calls[-1].fault == "retry_after"
    await bot.send_message(USER, "hi")


async def test_set_error_migrated(api: FakeBotApi, bot: Bot) -> None:
    """Raise ChatMigrated carrying the new supergroup id."""
    api.set_error(-555, "migrated")
    with pytest.raises(ChatMigrated) as excinfo:
        await bot.send_message(-555, "hi")
    assert excinfo.value.new_chat_id == -100555
    api.set_error(-556, "migrated", migrate_to_chat_id=-1009999)
    with pytest.raises(ChatMigrated) as excinfo:
        await bot.send_message(-556, "hi")
    assert excinfo.value.new_chat_id == -1009999


async def test_set_error_timeout_and_disconnect(api: FakeBotApi) -> None:
    """Delay the answer past the client timeout, or drop the connection."""
    async with _make_bot(api, read_timeout=0.3) as tg_bot:
        api.set_error(USER, "timeout", times=1, delay=2.0)
        with pytest.raises(TimedOut):
            await tg_bot.send_message(USER, "slow")
        # the message was delivered even though the client gave up
        assert api.last_message(USER)["text"] == "slow"

        api.set_error(USER, "disconnect", times=1)
        with pytest.raises(NetworkError):
            await tg_bot.send_message(USER, "dropped")
        assert api.last_message(USER)["text"] == "slow"
        assert (await tg_bot.send_message(USER, "ok")).text == "ok"


@pytest.mark.usefixtures("timedelta_mode")
async def test_rate_limit_counts_429() -> None:
    """Answer 429 beyond rate_limit_per_s sendMessage calls per second."""
    async with (
        FakeBotApi(rate_limit_per_s=5, per_chat_rate_check=True) as api,
        _make_bot(api) as tg_bot,
    ):
        results = await asyncio.gather(
            *(tg_bot.send_message(1000 + i % 4, f"m{i}") for i in range(8)),
            return_exceptions=True,
        )
        failures = [r for r in results if isinstance(r, Exception)]
        assert len(failures) == 3
        assert all(isinstance(f, RetryAfter) for f in failures)
        assert api.stats["429"] == 3
        assert api.stats["per_chat_violations"] == 1
        assert len(api.sent()) == 5


async def test_unknown_method_document_and_members(api: FakeBotApi, bot: Bot) -> None:
    """Record unknown methods as 404 and serve uploads, chats, members and commands."""
    with pytest.raises(EndPointNotFound):
        await bot.do_api_request("frobnicate")
    assert api.calls[-1].method == "frobnicate"
    assert api.calls[-1].status == 404

    doc = await bot.send_document(USER, b"hello", filename="report.txt", caption="your file")
    assert doc.document is not None and doc.document.file_name == "report.txt"
    assert doc.caption == "your file"
    upload = api.sent(USER)[-1].params["document"]
    assert isinstance(upload, UploadedFile)
    assert upload.data == b"hello"

    chat = await bot.get_chat(GROUP)
    assert chat.type == ChatType.SUPERGROUP
    api.set_member(GROUP, 1, "creator")
    api.set_member(GROUP, BOT_ID, "administrator")
    api.set_member(GROUP, 3, "left")
    assert (await bot.get_chat_member(GROUP, 1)).status == ChatMemberStatus.OWNER
    assert (await bot.get_chat_member(GROUP, 3)).status == ChatMemberStatus.LEFT
    assert (await bot.get_chat_member(GROUP, 4)).status == ChatMemberStatus.MEMBER
    admins = await bot.get_chat_administrators(GROUP)
    assert sorted(a.user.id for a in admins) == [1, BOT_ID]

    commands = [BotCommand("start", "开始"), BotCommand("help", "帮助")]
    assert await bot.set_my_commands(commands, language_code="zh")
    assert await bot.get_my_commands(language_code="zh") == tuple(commands)
    assert await bot.get_my_commands() == ()
    assert await bot.delete_my_commands(language_code="zh")
    assert await bot.set_my_description("desc")
    assert (await bot.get_webhook_info()).url == ""
    assert await bot.delete_webhook(drop_pending_updates=True)


async def test_wait_for(api: FakeBotApi, bot: Bot) -> None:
    """Wait for matching calls and explain timeouts."""
    task = asyncio.create_task(api.wait_for(lambda c: c.params.get("text") == "later", 5))
    await asyncio.sleep(0)
    await bot.send_message(USER, "now")
    await bot.send_message(USER, "later")
    call = await task
    assert isinstance(call, Call) and call.result["text"] == "later"
    assert (await api.wait_for("sendMessage")).params["text"] == "now"
    with pytest.raises(TimeoutError, match="sendMessage"):
        await api.wait_for("deleteMessage", timeout=0.1)
    api.clear()
    assert api.calls == [] and api.sent() == []
    assert api.last_message(USER)["text"] == "later"


async def test_application_polling_end_to_end(api: FakeBotApi) -> None:
    """Drive a PTB Application through polling: command, buttons, callback answer."""

    async def start(update: Update, _ctx: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        await update.effective_message.reply_text("welcome", reply_markup=_keyboard())

    async def press(update: Update, _ctx: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None
        await query.answer()
        await query.edit_message_text(f"you chose {query.data}")

    app = (
        Application.builder()
        .token("123:ABC")
        .base_url(api.base_url)
        .base_file_url(api.base_file_url)
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(press))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            api.user_sends_text(USER, "/start")
            await api.wait_for(lambda c: c.method == "sendMessage")
            api.user_presses_button(USER, "No")
            await api.wait_for("editMessageText")
            assert api.last_message(USER)["text"] == "you chose ans:no"
            assert len(api.callback_answers) == 1
        finally:
            await app.updater.stop()
            await app.stop()
