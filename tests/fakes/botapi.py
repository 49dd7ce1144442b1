"""Fake Telegram Bot API HTTP server for tests and benchmarks.

Point a python-telegram-bot ``Bot`` at it with ``Bot(token, base_url=api.base_url,
base_file_url=api.base_file_url)``; requests then arrive at ``/bot<TOKEN>/<method>``.

Behaviour notes (mirroring the real Bot API where cheap):

* PTB sends every parameter as a form field (``application/x-www-form-urlencoded``, or
  ``multipart/form-data`` when uploading) whose value is the raw string for ``str`` values and
  ``json.dumps(value)`` for everything else.  The fake decodes those back (see ``decode_param``).
* Bot messages get per-chat increasing ``message_id``s, shared with the messages injected with
  ``user_sends_text`` (as in a real private chat).
* ``parse_mode="HTML"`` text is validated (unknown or unescaped ``<`` tags -> 400) and stripped
  of its tags in the echoed message, like Telegram does.
* Editing a message with identical text and markup gives the real 400 "message is not
  modified"; editing text without ``reply_markup`` drops the inline keyboard.
* ``deleteWebhook(drop_pending_updates=True)`` drops the queued updates.
* ``deliver_to(url)`` switches to webhook delivery: queued updates are POSTed to ``url`` (a bot's
  ``/telegram`` or a proxy in front of several) with the ``secret_token`` given to
  ``setWebhook``, up to its ``max_connections`` at once, one chat's updates in order, each
  retried until it is answered 200 (as Telegram does).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import socket
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Literal, Self

import aiohttp
from aiohttp import web

JSONDict = dict[str, Any]
ErrorKind = Literal["forbidden", "retry_after", "migrated", "timeout", "disconnect", "bad_request",
                    "server_error", "bad_gateway"]
CallPredicate = Callable[["Call"], bool]

BOT_ID = 777
BOT_USERNAME = "jd_recovery_test_bot"
BOT_FIRST_NAME = "JD Recovery Test Bot"

#: Methods whose successful calls ``FakeBotApi.sent`` returns.
SENT_METHODS = frozenset({"sendMessage", "editMessageText", "sendDocument"})

_MESSAGE_MAX_LEN = 4096
_CAPTION_MAX_LEN = 1024
_CALLBACK_DATA_MAX_BYTES = 64

# Parameters that are always plain strings (never JSON-decoded, never int-converted).
_TEXT_PARAMS = frozenset(
    {
        "text",
        "caption",
        "description",
        "short_description",
        "name",
        "title",
        "callback_query_id",
        "inline_message_id",
        "parse_mode",
        "action",
        "language_code",
        "url",
        "query",
        "data",
        "secret_token",
        "ip_address",
        "emoji",
        "file_id",
        "business_connection_id",
        "message_effect_id",
        "switch_inline_query",
        "game_short_name",
        "sticker",
        "document",
        "photo",
        "thumbnail",
    }
)
# Parameters that are always JSON-encoded by PTB.
_JSON_PARAMS = frozenset(
    {
        "reply_markup",
        "commands",
        "scope",
        "entities",
        "caption_entities",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "media",
        "results",
        "permissions",
        "rights",
        "menu_button",
        "reaction",
        "message_ids",
    }
)
_INT_RE = re.compile(r"-?\d+")
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]+(?:@[A-Za-z0-9_]+)?")
_HTML_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^<>]*)?>")
_HTML_ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
        "tg-time",
    }
)


@dataclass(slots=True)
class Call:
    """One request received by the fake server."""

    method: str
    params: JSONDict
    at: float
    status: int = 200
    result: Any = None
    description: str | None = None
    fault: str | None = None

    @property
    def ok(self) -> bool:
        """Return whether the request was answered successfully."""
        return self.status == 200

    @property
    def chat_id(self) -> int | str | None:
        """Return the ``chat_id`` parameter, if any."""
        value: int | str | None = self.params.get("chat_id")
        return value

    def __repr__(self) -> str:
        """Return a compact one-line description."""
        shown = {k: v for k, v in self.params.items() if k != "reply_markup"}
        extra = f" fault={self.fault}" if self.fault else ""
        return f"<Call {self.method} {self.status}{extra} {shown!r:.160}>"


@dataclass(slots=True)
class UploadedFile:
    """A file part received in a multipart request."""

    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        """Return the size of the file in bytes."""
        return len(self.data)


@dataclass(slots=True)
class FailSpec:
    """Describe a fault to inject for a (method, chat_id) pair."""

    kind: ErrorKind
    times: int | None = None
    retry_after: int = 1
    migrate_to_chat_id: int | None = None
    delay: float | None = None
    description: str | None = None


class ApiError(Exception):
    """Signal a Bot API error response from a method handler."""

    def __init__(self, status: int, description: str, parameters: JSONDict | None = None) -> None:
        """Store the HTTP status, description and optional response parameters."""
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters


def decode_param(name: str, raw: str) -> Any:
    """Decode one form field the way PTB encoded it (str raw, everything else JSON)."""
    if name in _TEXT_PARAMS:
        return raw
    if name in _JSON_PARAMS or raw[:1] in ("{", "["):
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    if raw == "true":
        return True
    if raw == "false":
        return False
    if _INT_RE.fullmatch(raw):
        return int(raw)
    return raw


def strip_html(text: str) -> str:
    """Validate Telegram HTML markup and return the plain text Telegram would show."""
    stack: list[str] = []
    out: list[str] = []
    pos = 0
    for match in _HTML_TAG_RE.finditer(text):
        out.append(text[pos : match.start()])
        pos = match.end()
        closing, tag = match.group(1), match.group(2).lower()
        if tag not in _HTML_ALLOWED_TAGS:
            raise ApiError(
                400,
                f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}" '
                f"at byte offset {match.start()}",
            )
        if not closing:
            stack.append(tag)
        elif not stack or stack.pop() != tag:
            raise ApiError(
                400,
                f"Bad Request: can't parse entities: Unexpected end tag at byte offset "
                f"{match.start()}",
            )
    out.append(text[pos:])
    plain = "".join(out)
    if "<" in plain:
        offset = plain.index("<")
        raise ApiError(
            400,
            f"Bad Request: can't parse entities: Unsupported start tag at byte offset {offset}",
        )
    if stack:
        raise ApiError(
            400,
            f"Bad Request: can't parse entities: Can't find end tag corresponding to start "
            f'tag "{stack[-1]}"',
        )
    return html.unescape(plain)


def _utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _error_body(status: int, description: str, parameters: JSONDict | None = None) -> JSONDict:
    """Build a Bot API error response body."""
    body: JSONDict = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return body


def _json_response(status: int, body: JSONDict) -> web.Response:
    """Build an aiohttp JSON response without the web.json_response overhead."""
    return web.Response(
        status=status, body=json.dumps(body).encode(), content_type="application/json"
    )


class FakeBotApi:
    """Serve a small, fast, in-process imitation of the Telegram Bot API."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        rate_limit_per_s: int | None = None,
        per_chat_rate_check: bool = False,
        response_delay: float = 0.0,
        timeout_delay: float = 10.0,
        check_not_modified: bool = True,
    ) -> None:
        """Configure the server; nothing is bound until ``start``."""
        self.host = host
        self.port = port
        self.rate_limit_per_s = rate_limit_per_s
        self.rate_limited_methods: frozenset[str] = frozenset({"sendMessage"})
        self.per_chat_rate_check = per_chat_rate_check
        self.response_delay = response_delay
        self.timeout_delay = timeout_delay
        self.check_not_modified = check_not_modified
        self.bot_user: JSONDict = {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": BOT_USERNAME,
        }

        self.calls: list[Call] = []
        self.stats: Counter[str] = Counter()
        self.fail_for: dict[tuple[str | None, int], FailSpec] = {}
        self.members: dict[tuple[int, int], str] = {}
        self.chats: dict[int, JSONDict] = {}
        self.users: dict[int, JSONDict] = {}
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        self.descriptions: dict[tuple[str, str], str] = {}
        self.callback_answers: dict[str, JSONDict] = {}
        self.webhook_url = ""
        self.webhook_secret = ""
        self.webhook_connections = 40
        self.server_errors: list[str] = []
        self._deliverer: asyncio.Task[None] | None = None
        self._http: aiohttp.ClientSession | None = None

        self._sent_all: list[Call] = []
        self._sent_by_chat: dict[int, list[Call]] = {}
        self._messages: dict[int, dict[int, JSONDict]] = {}
        self._last_touched: dict[int, int] = {}
        self._message_counter: dict[int, int] = {}
        self._updates: deque[JSONDict] = deque()
        self._next_update_id = 1
        self._callback_counter = itertools.count(1)
        self._update_event = asyncio.Event()
        self._closing = asyncio.Event()
        self._waiters: list[tuple[CallPredicate, asyncio.Future[Call]]] = []
        self._window: deque[float] = deque()
        self._last_send_per_chat: dict[int, float] = {}
        self._runner: web.AppRunner | None = None
        self._sock: socket.socket | None = None
        self._handlers: dict[str, Callable[[JSONDict], Any]] = self._build_handlers()

    # ------------------------------------------------------------------ lifecycle

    @property
    def base_url(self) -> str:
        """Return the value to pass as PTB's ``base_url``."""
        return f"http://{self.host}:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """Return the value to pass as PTB's ``base_file_url``."""
        return f"http://{self.host}:{self.port}/file/bot"

    async def start(self) -> None:
        """Bind the socket and start serving."""
        if self._runner is not None:
            raise RuntimeError("FakeBotApi already started")
        self._closing = asyncio.Event()
        self._update_event = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((self.host, self.port))
            site = web.SockSite(runner, sock, backlog=1024)
            await site.start()
        except BaseException:
            sock.close()
            await runner.cleanup()
            raise
        self._runner = runner
        self._sock = sock
        self.port = sock.getsockname()[1]

    async def stop(self) -> None:
        """Wake pending long polls and delayed answers, then shut the server down."""
        self._closing.set()
        self._update_event.set()
        if self._deliverer is not None:
            self._deliverer.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._deliverer
            self._deliverer = None
        if self._http is not None:
            await self._http.close()
            self._http = None
        for _, fut in self._waiters:
            if not fut.done():
                fut.cancel()
        self._waiters.clear()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    async def __aenter__(self) -> Self:
        """Start the server."""
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Stop the server."""
        await self.stop()

    # ------------------------------------------------------------------ recording

    def sent(self, chat_id: int | None = None) -> list[Call]:
        """Return successful sendMessage/editMessageText/sendDocument calls, optionally by chat."""
        if chat_id is None:
            return list(self._sent_all)
        return list(self._sent_by_chat.get(chat_id, ()))

    def texts(self, chat_id: int) -> list[str]:
        """Return the raw text/caption param of each successful send or edit in a chat."""
        return [
            str(c.params.get("text", c.params.get("caption", "")))
            for c in self._sent_by_chat.get(chat_id, ())
        ]

    def calls_of(self, method: str) -> list[Call]:
        """Return all recorded calls of one method."""
        return [c for c in self.calls if c.method == method]

    async def wait_for(
        self,
        predicate: CallPredicate | str,
        timeout: float = 10.0,
        *,
        since: int = 0,
    ) -> Call:
        """Return the first call (from index ``since``) matching predicate, waiting if needed."""
        pred = _as_predicate(predicate)
        for call in itertools.islice(self.calls, since, None):
            if pred(call):
                return call
        fut: asyncio.Future[Call] = asyncio.get_running_loop().create_future()
        entry = (pred, fut)
        self._waiters.append(entry)
        try:
            return await asyncio.wait_for(fut, timeout)
        except TimeoutError:
            recent = "\n  ".join(repr(c) for c in self.calls[-15:]) or "(none)"
            raise TimeoutError(
                f"no Bot API call matched {predicate!r} within {timeout}s; "
                f"{len(self.calls)} calls recorded, most recent:\n  {recent}"
            ) from None
        finally:
            if entry in self._waiters:
                self._waiters.remove(entry)

    def clear(self) -> None:
        """Forget recorded calls and stats (message state and queued updates are kept)."""
        self.calls.clear()
        self._sent_all.clear()
        self._sent_by_chat.clear()
        self.stats.clear()

    def _record(self, call: Call) -> None:
        """Append a call to the log, index it and wake matching waiters."""
        self.calls.append(call)
        if call.status == 200 and call.method in SENT_METHODS:
            self._sent_all.append(call)
            chat_id = call.params.get("chat_id")
            if isinstance(chat_id, int):
                self._sent_by_chat.setdefault(chat_id, []).append(call)
        if self._waiters:
            for pred, fut in list(self._waiters):
                if fut.done():
                    continue
                try:
                    if pred(call):
                        fut.set_result(call)
                except Exception as exc:  # surface predicate bugs in the waiting test
                    fut.set_exception(exc)

    # ------------------------------------------------------------------ messages

    def messages(self, chat_id: int) -> list[JSONDict]:
        """Return the current state of the bot's (undeleted) messages in a chat, oldest first."""
        return list(self._messages.get(chat_id, {}).values())

    def message(self, chat_id: int, message_id: int) -> JSONDict:
        """Return the current state of one bot message; raise LookupError if unknown."""
        try:
            return self._messages[chat_id][message_id]
        except KeyError:
            raise LookupError(
                f"the bot has no message {message_id} in chat {chat_id} (never sent or deleted)"
            ) from None

    def last_message(self, chat_id: int) -> JSONDict:
        """Return the message the bot most recently sent or edited in a chat."""
        mid = self._last_touched.get(chat_id)
        msg = self._messages.get(chat_id, {}).get(mid) if mid is not None else None
        if msg is None:
            raise LookupError(f"the bot has no (undeleted) message in chat {chat_id}")
        return msg

    @staticmethod
    def button_rows(message: JSONDict) -> list[list[JSONDict]]:
        """Return the raw inline keyboard rows of a message ([] if it has none)."""
        markup = message.get("reply_markup") or {}
        rows: list[list[JSONDict]] = markup.get("inline_keyboard", [])
        return rows

    @classmethod
    def buttons(cls, message: JSONDict) -> list[tuple[str, str]]:
        """Return (text, callback_data) of every callback button in a message, row by row."""
        return [
            (btn["text"], btn["callback_data"])
            for row in cls.button_rows(message)
            for btn in row
            if "callback_data" in btn
        ]

    # ------------------------------------------------------------------ chats & members

    def register_chat(self, chat_id: int, chat_type: str | None = None, **fields: Any) -> JSONDict:
        """Create or update the chat object used in messages and getChat."""
        chat = self._chat(chat_id)
        if chat_type is not None and chat_type != chat["type"]:
            chat = {"id": chat_id, "type": chat_type}
            if chat_type == "private":
                chat["first_name"] = "Test"
            else:
                chat["title"] = f"Test {chat_type} {chat_id}"
        chat.update(fields)
        self.chats[chat_id] = chat
        return chat

    def set_member(self, chat_id: int, user_id: int, status: str) -> None:
        """Set what getChatMember reports for (chat_id, user_id)."""
        if status not in _MEMBER_STATUSES:
            raise ValueError(f"unknown member status {status!r}; use one of {_MEMBER_STATUSES}")
        self.members[(chat_id, user_id)] = status

    def _chat(self, chat_id: int) -> JSONDict:
        """Return the chat object for an id, inventing a default one."""
        chat = self.chats.get(chat_id)
        if chat is None:
            if chat_id > 0:
                user = self.users.get(chat_id)
                first = user["first_name"] if user else "Test"
                chat = {"id": chat_id, "type": "private", "first_name": first}
            else:
                chat = {"id": chat_id, "type": "supergroup", "title": f"Test Group {chat_id}"}
            self.chats[chat_id] = chat
        return chat

    def _user(self, user_id: int) -> JSONDict:
        """Return the user object for an id, inventing a default one."""
        if user_id == BOT_ID:
            return dict(self.bot_user)
        user = self.users.get(user_id)
        if user is None:
            user = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        return user

    def _remember_user(
        self, user_id: int, first_name: str, language_code: str | None, username: str | None
    ) -> JSONDict:
        """Store and return the user object for an injected update."""
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        self.users[user_id] = user
        return user

    def _member_json(self, chat_id: int, user_id: int) -> JSONDict:
        """Build the ChatMember object for (chat_id, user_id)."""
        status = self.members.get((chat_id, user_id), "member")
        user = self._user(user_id)
        if status == "creator":
            return {"status": "creator", "user": user, "is_anonymous": False}
        if status == "administrator":
            return {"status": "administrator", "user": user, **_ADMIN_RIGHTS}
        if status == "kicked":
            return {"status": "kicked", "user": user, "until_date": 0}
        if status == "restricted":
            return {"status": "restricted", "user": user, **_RESTRICTED_RIGHTS}
        return {"status": status, "user": user}

    # ------------------------------------------------------------------ update injection

    def push_update(self, update: JSONDict) -> int:
        """Queue an arbitrary update for getUpdates and return its update_id."""
        update = dict(update)
        uid = update.get("update_id")
        if uid is None:
            uid = self._next_update_id
            update["update_id"] = uid
        self._next_update_id = max(self._next_update_id, int(uid) + 1)
        self._updates.append(update)
        self._update_event.set()
        self._update_event = asyncio.Event()
        return int(uid)

    def user_sends_text(
        self,
        user_id: int,
        text: str,
        *,
        chat_id: int | None = None,
        chat_type: str | None = None,
        language_code: str | None = "zh-CN",
        first_name: str = "Test",
        username: str | None = None,
    ) -> int:
        """Queue a text message from a user (private chat by default); return the update_id."""
        user = self._remember_user(user_id, first_name, language_code, username)
        chat_id = user_id if chat_id is None else chat_id
        if chat_type is not None or chat_id not in self.chats:
            fields = {"first_name": first_name} if chat_id == user_id else {}
            chat = self.register_chat(chat_id, chat_type, **fields)
        else:
            chat = self.chats[chat_id]
        message: JSONDict = {
            "message_id": self._next_message_id(chat_id),
            "from": user,
            "chat": chat,
            "date": int(time.time()),
            "text": text,
        }
        command = _COMMAND_RE.match(text)
        if command:
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command.group(0))}
            ]
        return self.push_update({"message": message})

    def user_presses(
        self,
        user_id: int,
        message: JSONDict | int,
        callback_data: str,
        *,
        chat_id: int | None = None,
        language_code: str | None = "zh-CN",
        first_name: str = "Test",
        username: str | None = None,
        check: bool = True,
    ) -> int:
        """Queue a callback_query for a button of a bot message; return the update_id."""
        if isinstance(message, dict):
            message_id = int(message["message_id"])
            if chat_id is None:
                chat_id = int(message["chat"]["id"])
        else:
            message_id = message
        chat_id = user_id if chat_id is None else chat_id
        current = self.message(chat_id, message_id)
        if check and callback_data not in {data for _, data in self.buttons(current)}:
            raise ValueError(
                f"message {message_id} in chat {chat_id} has no button with callback_data "
                f"{callback_data!r}; its buttons are {self.buttons(current)!r}"
            )
        return self.push_update(self.press_update(user_id, current, callback_data,
                                                  language_code=language_code,
                                                  first_name=first_name, username=username))

    def press_update(self, user_id: int, message: JSONDict, callback_data: str, *,
                     language_code: str | None = "zh-CN", first_name: str = "Test",
                     username: str | None = None) -> JSONDict:
        """Build (without queueing) a callback_query update for a button of ``message``."""
        chat_id = int(message["chat"]["id"])
        query = {
            "id": f"{user_id}{next(self._callback_counter):06d}",
            "from": self._remember_user(user_id, first_name, language_code, username),
            "message": message,
            "chat_instance": str(abs(chat_id) * 7919 % 10**12),
            "data": callback_data,
        }
        return {"callback_query": query}

    def user_presses_button(
        self,
        user_id: int,
        label: str,
        *,
        chat_id: int | None = None,
        message_id: int | None = None,
        language_code: str | None = "zh-CN",
    ) -> int:
        """Press the button whose text contains label on the last (or given) bot message."""
        chat_id = user_id if chat_id is None else chat_id
        msg = (
            self.last_message(chat_id) if message_id is None else self.message(chat_id, message_id)
        )
        matches = [data for text, data in self.buttons(msg) if label in text]
        if len(matches) != 1:
            raise LookupError(
                f"{len(matches)} buttons match {label!r} in message {msg['message_id']} of chat "
                f"{chat_id}: {self.buttons(msg)!r}"
            )
        return self.user_presses(
            user_id, msg, matches[0], chat_id=chat_id, language_code=language_code
        )

    @property
    def pending_updates(self) -> list[JSONDict]:
        """Return the queued updates not yet confirmed by an offset."""
        return list(self._updates)

    # ------------------------------------------------------------------ faults

    def set_error(
        self,
        chat_id: int,
        kind: ErrorKind,
        times: int | None = None,
        *,
        method: str | None = None,
        retry_after: int = 1,
        migrate_to_chat_id: int | None = None,
        delay: float | None = None,
    ) -> FailSpec:
        """Make requests for chat_id (optionally only one method) fail ``times`` times."""
        if kind not in _ERROR_KINDS:
            raise ValueError(f"unknown error kind {kind!r}; use one of {_ERROR_KINDS}")
        spec = FailSpec(
            kind=kind,
            times=times,
            retry_after=retry_after,
            migrate_to_chat_id=migrate_to_chat_id,
            delay=delay,
        )
        if times is not None and times <= 0:
            self.fail_for.pop((method, chat_id), None)
        else:
            self.fail_for[(method, chat_id)] = spec
        return spec

    def clear_errors(self, chat_id: int | None = None) -> None:
        """Remove injected faults (for one chat or all)."""
        if chat_id is None:
            self.fail_for.clear()
            return
        for key in [k for k in self.fail_for if k[1] == chat_id]:
            del self.fail_for[key]

    def _take_fault(self, method: str, params: JSONDict) -> FailSpec | None:
        """Return (and consume one use of) the fault configured for this request, if any."""
        chat_id = params.get("chat_id")
        if not isinstance(chat_id, int):
            return None
        key: tuple[str | None, int] = (method, chat_id)
        spec = self.fail_for.get(key)
        if spec is None:
            key = (None, chat_id)
            spec = self.fail_for.get(key)
            if spec is None:
                return None
        if spec.times is not None:
            spec.times -= 1
            if spec.times <= 0:
                del self.fail_for[key]
        return spec

    @staticmethod
    def _fault_error(spec: FailSpec, chat_id: int) -> ApiError:
        """Build the error response for a fault."""
        if spec.kind == "forbidden":
            return ApiError(403, spec.description or "Forbidden: bot was blocked by the user")
        if spec.kind == "retry_after":
            return ApiError(
                429,
                spec.description or f"Too Many Requests: retry after {spec.retry_after}",
                {"retry_after": spec.retry_after},
            )
        if spec.kind == "migrated":
            new_id = spec.migrate_to_chat_id or int(f"-100{abs(chat_id)}")
            return ApiError(
                400,
                spec.description or "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": new_id},
            )
        if spec.kind == "server_error":
            return ApiError(500, spec.description or "Internal Server Error")
        return ApiError(400, spec.description or "Bad Request: chat not found")

    # ------------------------------------------------------------------ HTTP plumbing

    async def _read_params(self, request: web.Request) -> JSONDict:
        """Decode query string plus JSON, urlencoded or multipart body into a params dict."""
        params: JSONDict = {k: decode_param(k, v) for k, v in request.query.items()}
        ctype = request.content_type
        if ctype == "application/json":
            body = await request.read()
            if body:
                decoded = json.loads(body)
                if isinstance(decoded, dict):
                    params.update(decoded)
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    try:
                        data = value.file.read()
                    finally:
                        value.file.close()
                    params[key] = UploadedFile(value.filename, value.content_type, data)
                elif isinstance(value, str):
                    params[key] = decode_param(key, value)
                else:
                    params[key] = bytes(value)
        return params

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        """Answer one Bot API request."""
        self.stats["requests"] += 1
        raw_method = request.match_info["method"]
        method = _CANONICAL.get(raw_method.lower(), raw_method)
        try:
            params = await self._read_params(request)
        except ValueError as exc:
            return _json_response(400, _error_body(400, f"Bad Request: {exc}"))
        except ConnectionResetError:  # client went away mid-body; nothing to answer
            return web.Response(status=499)
        call = Call(method, params, time.monotonic())
        if method == "getUpdates":
            self._record(call)
            result: Any = await self._get_updates(params)
            call.result = result
            return _json_response(200, {"ok": True, "result": result})

        delay = self.response_delay
        fault = self._take_fault(method, params) if self.fail_for else None
        parameters: JSONDict | None = None
        try:
            if fault is not None:
                call.fault = fault.kind
                self.stats[f"fault:{fault.kind}"] += 1
                if fault.kind == "disconnect":
                    call.status, call.description = 599, "connection dropped"
                    self._record(call)
                    if request.transport is not None:
                        request.transport.close()
                    return web.Response(status=599)
                if fault.kind == "bad_gateway":
                    # What a proxy in front of the Bot API answers: HTML, not JSON.
                    call.status, call.description = 502, "Bad Gateway"
                    self._record(call)
                    return web.Response(status=502, text="<html><body>502 Bad Gateway</body>"
                                        "</html>", content_type="text/html")
                if fault.kind == "timeout":
                    fault_delay = self.timeout_delay if fault.delay is None else fault.delay
                    delay = max(delay, fault_delay)
                else:
                    raise self._fault_error(fault, int(params["chat_id"]))
            if self.rate_limit_per_s and method in self.rate_limited_methods:
                self._check_rate(call.at)
            handler = self._handlers.get(method)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            result = handler(params)
            call.result = result
        except ApiError as err:
            call.status, call.description = err.status, err.description
            parameters = err.parameters
        except Exception as exc:  # a bug in the fake: make it loud
            call.status, call.description = 500, f"Internal Server Error: {exc!r}"
            self.server_errors.append(f"{method}: {exc!r}")
        self._record(call)
        if delay > 0:
            await self._sleep(delay)
        if call.status == 200:
            return _json_response(200, {"ok": True, "result": call.result})
        assert call.description is not None
        return _json_response(call.status, _error_body(call.status, call.description, parameters))

    async def _sleep(self, delay: float) -> None:
        """Sleep for delay seconds or until the server stops."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._closing.wait(), delay)

    def _check_rate(self, now: float) -> None:
        """Apply the global sliding-window limit and the per-chat 1/s check."""
        window = self._window
        cutoff = now - 1.0
        while window and window[0] <= cutoff:
            window.popleft()
        assert self.rate_limit_per_s is not None
        if len(window) >= self.rate_limit_per_s:
            self.stats["429"] += 1
            raise ApiError(429, "Too Many Requests: retry after 1", {"retry_after": 1})
        window.append(now)

    def _check_per_chat(self, chat_id: int) -> None:
        """Count sends to one chat that come less than a second apart."""
        now = time.monotonic()
        last = self._last_send_per_chat.get(chat_id)
        if last is not None and now - last < 1.0:
            self.stats["per_chat_violations"] += 1
        self._last_send_per_chat[chat_id] = now

    async def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        """Long-poll: confirm updates below offset, then return pending ones or wait."""
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = float(params.get("timeout") or 0)
        updates = self._updates
        if offset > 0:
            while updates and int(updates[0]["update_id"]) < offset:
                updates.popleft()
        elif offset < 0:
            while len(updates) > -offset:
                updates.popleft()
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            if updates:
                return list(itertools.islice(updates, limit))
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing.is_set():
                return []
            try:
                await asyncio.wait_for(self._update_event.wait(), remaining)
            except TimeoutError:
                return []

    # ------------------------------------------------------------------ method handlers

    def _build_handlers(self) -> dict[str, Callable[[JSONDict], Any]]:
        """Map canonical method names to handlers."""
        true = self._true
        return {
            "getMe": self._get_me,
            "logOut": true,
            "close": true,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
            "setMyDescription": self._set_description("description"),
            "getMyDescription": self._get_description("description"),
            "setMyShortDescription": self._set_description("short_description"),
            "getMyShortDescription": self._get_description("short_description"),
            "setMyName": self._set_description("name"),
            "getMyName": self._get_description("name"),
            "setChatMenuButton": true,
            "getChatMenuButton": lambda _p: {"type": "commands"},
            "setMyDefaultAdministratorRights": true,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendDocument": self._send_document,
            "sendChatAction": true,
            "getChat": self._get_chat,
            "getChatMember": self._get_chat_member,
            "getChatAdministrators": self._get_chat_administrators,
            "leaveChat": true,
            "pinChatMessage": true,
            "unpinChatMessage": true,
            "setMessageReaction": true,
        }

    @staticmethod
    def _true(_params: JSONDict) -> bool:
        """Answer True."""
        return True

    def _get_me(self, _params: JSONDict) -> JSONDict:
        """Answer getMe."""
        return {
            **self.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _delete_webhook(self, params: JSONDict) -> bool:
        """Answer deleteWebhook, dropping pending updates if asked."""
        self.webhook_url = ""
        if params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    def _set_webhook(self, params: JSONDict) -> bool:
        """Answer setWebhook."""
        self.webhook_url = str(params.get("url", ""))
        self.webhook_secret = str(params.get("secret_token") or "")
        self.webhook_connections = int(params.get("max_connections") or 40)
        return True

    # ------------------------------------------------------------------ webhook delivery

    def deliver_to(self, url: str) -> None:
        """POST queued updates (now and later) to ``url`` instead of serving getUpdates."""
        if self._deliverer is not None:
            raise RuntimeError("already delivering")
        self._http = aiohttp.ClientSession()
        self._deliverer = asyncio.create_task(self._deliver_loop(url))

    async def post_update(self, url: str, update: JSONDict) -> int:
        """POST one update to ``url`` now (no queue, no order); return the HTTP status."""
        if self._http is None:
            self._http = aiohttp.ClientSession()
        update = dict(update)
        if "update_id" not in update:
            update["update_id"] = self._next_update_id
        self._next_update_id = max(self._next_update_id, int(update["update_id"]) + 1)
        async with self._http.post(url, json=update, headers={
                "X-Telegram-Bot-Api-Secret-Token": self.webhook_secret}) as response:
            self.stats["webhook_posts"] += 1
            return int(response.status)

    async def _deliver_loop(self, url: str) -> None:
        slots = asyncio.Semaphore(self.webhook_connections)
        chains: dict[Any, asyncio.Lock] = {}
        tasks: set[asyncio.Task[None]] = set()

        async def one(update: JSONDict, lock: asyncio.Lock) -> None:
            async with lock, slots:
                while not self._closing.is_set():
                    try:
                        status = await self.post_update(url, update)
                    except (aiohttp.ClientError, OSError, TimeoutError):
                        status = 0
                    if status == 200:
                        return
                    self.stats["webhook_retries"] += 1
                    await self._sleep(0.2)

        while not self._closing.is_set():
            while self._updates:
                update = self._updates.popleft()
                key = _update_chat(update)
                lock = chains.setdefault(key, asyncio.Lock())
                task = asyncio.create_task(one(update, lock))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            event = self._update_event
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), 0.5)

    def _get_webhook_info(self, _params: JSONDict) -> JSONDict:
        """Answer getWebhookInfo."""
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    @staticmethod
    def _commands_key(params: JSONDict) -> tuple[str, str]:
        """Return the (scope, language) storage key for the *MyCommands methods."""
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    def _set_my_commands(self, params: JSONDict) -> bool:
        """Answer setMyCommands."""
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: commands must be a JSON array")
        for cmd in commands:
            name = str(cmd.get("command", ""))
            if not re.fullmatch(r"[a-z0-9_]{1,32}", name):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(cmd.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = commands
        return True

    def _delete_my_commands(self, params: JSONDict) -> bool:
        """Answer deleteMyCommands."""
        self.commands.pop(self._commands_key(params), None)
        return True

    def _get_my_commands(self, params: JSONDict) -> list[JSONDict]:
        """Answer getMyCommands."""
        return self.commands.get(self._commands_key(params), [])

    def _set_description(self, kind: str) -> Callable[[JSONDict], bool]:
        """Build a setMy{Description,ShortDescription,Name} handler."""

        def handler(params: JSONDict) -> bool:
            key = (kind, str(params.get("language_code") or ""))
            self.descriptions[key] = str(params.get(kind) or "")
            return True

        return handler

    def _get_description(self, kind: str) -> Callable[[JSONDict], JSONDict]:
        """Build a getMy{Description,ShortDescription,Name} handler."""

        def handler(params: JSONDict) -> JSONDict:
            lang = str(params.get("language_code") or "")
            value = self.descriptions.get((kind, lang), self.descriptions.get((kind, ""), ""))
            return {kind: value}

        return handler

    @staticmethod
    def _chat_id(params: JSONDict) -> int:
        """Return the integer chat_id of a request or raise the real 400."""
        chat_id = params.get("chat_id")
        if isinstance(chat_id, bool) or not isinstance(chat_id, int):
            if chat_id is None or chat_id == "":
                raise ApiError(400, "Bad Request: chat_id is empty")
            raise ApiError(400, "Bad Request: chat not found")
        return chat_id

    @staticmethod
    def _message_id(params: JSONDict) -> int:
        """Return the integer message_id of a request or raise the real 400."""
        message_id = params.get("message_id")
        if isinstance(message_id, bool) or not isinstance(message_id, int):
            raise ApiError(400, "Bad Request: message identifier is not specified")
        return message_id

    @staticmethod
    def _render(text: Any, parse_mode: Any, *, caption: bool = False) -> str:
        """Validate a text/caption and return what Telegram would display."""
        what = "caption" if caption else "message text"
        if not isinstance(text, str) or not text.strip():
            if caption:
                return ""
            raise ApiError(400, f"Bad Request: {what} is empty")
        shown = strip_html(text) if str(parse_mode or "").lower() == "html" else text
        limit = _CAPTION_MAX_LEN if caption else _MESSAGE_MAX_LEN
        if _utf16_len(shown) > limit:
            raise ApiError(400, f"Bad Request: {what} is too long")
        if not caption and not shown.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        return shown

    @staticmethod
    def _inline_markup(params: JSONDict) -> JSONDict | None:
        """Validate reply_markup and return it if it is an inline keyboard (the echoed kind)."""
        markup = params.get("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
        rows = markup.get("inline_keyboard")
        if rows is None:
            return None
        for row in rows:
            for btn in row:
                if not btn.get("text"):
                    raise ApiError(400, "Bad Request: BUTTON_TEXT_EMPTY")
                data = btn.get("callback_data")
                if data is not None and not (
                    0 < len(str(data).encode()) <= _CALLBACK_DATA_MAX_BYTES
                ):
                    raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
        return markup

    def _next_message_id(self, chat_id: int) -> int:
        """Allocate the next message_id in a chat."""
        mid = self._message_counter.get(chat_id, 0) + 1
        self._message_counter[chat_id] = mid
        return mid

    def _store(self, chat_id: int, message: JSONDict) -> JSONDict:
        """Remember the current state of a bot message and mark it as last touched."""
        mid = int(message["message_id"])
        self._messages.setdefault(chat_id, {})[mid] = message
        self._last_touched[chat_id] = mid
        return message

    def _new_message(self, chat_id: int) -> JSONDict:
        """Build the common fields of a new bot message."""
        return {
            "message_id": self._next_message_id(chat_id),
            "from": self.bot_user,
            "chat": self._chat(chat_id),
            "date": int(time.time()),
        }

    def _send_message(self, params: JSONDict) -> JSONDict:
        """Answer sendMessage."""
        chat_id = self._chat_id(params)
        text = self._render(params.get("text"), params.get("parse_mode"))
        markup = self._inline_markup(params)
        if self.per_chat_rate_check:
            self._check_per_chat(chat_id)
        msg = self._new_message(chat_id)
        msg["text"] = text
        if params.get("entities"):
            msg["entities"] = params["entities"]
        if markup is not None:
            msg["reply_markup"] = markup
        return self._store(chat_id, msg)

    def _find_for_edit(self, params: JSONDict) -> tuple[int, JSONDict]:
        """Return (chat_id, current message) addressed by an edit request."""
        chat_id = self._chat_id(params)
        message_id = self._message_id(params)
        current = self._messages.get(chat_id, {}).get(message_id)
        if current is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return chat_id, current

    def _not_modified(self) -> ApiError:
        """Build Telegram's 'message is not modified' error."""
        return ApiError(
            400,
            "Bad Request: message is not modified: specified new message content and reply "
            "markup are exactly the same as a current content and reply markup of the message",
        )

    def _edit_message_text(self, params: JSONDict) -> JSONDict | bool:
        """Answer editMessageText."""
        text = self._render(params.get("text"), params.get("parse_mode"))
        markup = self._inline_markup(params)
        if params.get("inline_message_id"):
            return True
        chat_id, current = self._find_for_edit(params)
        if "text" not in current:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        if (
            self.check_not_modified
            and current["text"] == text
            and current.get("reply_markup") == markup
        ):
            raise self._not_modified()
        edited = {**current, "text": text, "edit_date": int(time.time())}
        edited.pop("entities", None)
        if params.get("entities"):
            edited["entities"] = params["entities"]
        edited.pop("reply_markup", None)
        if markup is not None:
            edited["reply_markup"] = markup
        return self._store(chat_id, edited)

    def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict | bool:
        """Answer editMessageReplyMarkup."""
        markup = self._inline_markup(params)
        if params.get("inline_message_id"):
            return True
        chat_id, current = self._find_for_edit(params)
        if self.check_not_modified and current.get("reply_markup") == markup:
            raise self._not_modified()
        edited = {**current, "edit_date": int(time.time())}
        edited.pop("reply_markup", None)
        if markup is not None:
            edited["reply_markup"] = markup
        return self._store(chat_id, edited)

    def _delete_message(self, params: JSONDict) -> bool:
        """Answer deleteMessage."""
        chat_id = self._chat_id(params)
        message_id = self._message_id(params)
        if self._messages.get(chat_id, {}).pop(message_id, None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        return True

    def _answer_callback_query(self, params: JSONDict) -> bool:
        """Answer answerCallbackQuery and remember the answer."""
        query_id = params.get("callback_query_id")
        if not query_id:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired")
        self.callback_answers[str(query_id)] = params
        return True

    def _send_document(self, params: JSONDict) -> JSONDict:
        """Answer sendDocument (multipart upload or file_id)."""
        chat_id = self._chat_id(params)
        doc = params.get("document")
        if isinstance(doc, UploadedFile):
            n = len(self._sent_all) + 1
            document: JSONDict = {
                "file_id": f"FAKEDOC{chat_id}_{n}",
                "file_unique_id": f"fakeuniq{n}",
                "file_name": doc.filename,
                "mime_type": doc.content_type,
                "file_size": doc.size,
            }
        elif isinstance(doc, str) and doc:
            document = {"file_id": doc, "file_unique_id": f"fakeuniq_{doc[-16:]}"}
        else:
            raise ApiError(400, "Bad Request: there is no document in the request")
        caption = self._render(params.get("caption"), params.get("parse_mode"), caption=True)
        markup = self._inline_markup(params)
        if self.per_chat_rate_check:
            self._check_per_chat(chat_id)
        msg = self._new_message(chat_id)
        msg["document"] = document
        if caption:
            msg["caption"] = caption
        if markup is not None:
            msg["reply_markup"] = markup
        return self._store(chat_id, msg)

    def _get_chat(self, params: JSONDict) -> JSONDict:
        """Answer getChat with a ChatFullInfo."""
        chat = self._chat(self._chat_id(params))
        return {
            **chat,
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": {
                "unlimited_gifts": False,
                "limited_gifts": False,
                "unique_gifts": False,
                "premium_subscription": False,
                "gifts_from_channels": False,
            },
        }

    def _get_chat_member(self, params: JSONDict) -> JSONDict:
        """Answer getChatMember from the configured statuses."""
        chat_id = self._chat_id(params)
        user_id = params.get("user_id")
        if not isinstance(user_id, int):
            raise ApiError(400, "Bad Request: user not found")
        return self._member_json(chat_id, user_id)

    def _get_chat_administrators(self, params: JSONDict) -> list[JSONDict]:
        """Answer getChatAdministrators from the configured statuses."""
        chat_id = self._chat_id(params)
        return [
            self._member_json(chat_id, user_id)
            for (c, user_id), status in self.members.items()
            if c == chat_id and status in ("creator", "administrator")
        ]


def _as_predicate(predicate: CallPredicate | str) -> CallPredicate:
    """Turn a method name into a predicate matching calls of that method."""
    if isinstance(predicate, str):
        name = predicate
        return lambda call: call.method == name
    return predicate


_ERROR_KINDS = ("forbidden", "retry_after", "migrated", "timeout", "disconnect", "bad_request",
                "server_error", "bad_gateway")
_MEMBER_STATUSES = ("creator", "administrator", "member", "restricted", "left", "kicked")
_ADMIN_RIGHTS: JSONDict = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_pin_messages": True,
}
_RESTRICTED_RIGHTS: JSONDict = {
    "is_member": True,
    "until_date": 0,
    **{
        name: False
        for name in (
            "can_change_info",
            "can_invite_users",
            "can_pin_messages",
            "can_send_messages",
            "can_send_polls",
            "can_send_other_messages",
            "can_add_web_page_previews",
            "can_manage_topics",
            "can_send_audios",
            "can_send_documents",
            "can_send_photos",
            "can_send_videos",
            "can_send_video_notes",
            "can_send_voice_notes",
            "can_edit_tag",
        )
    },
}
_CANONICAL: dict[str, str] = {
    name.lower(): name
    for name in (
        "getMe",
        "logOut",
        "close",
        "deleteWebhook",
        "setWebhook",
        "getWebhookInfo",
        "getUpdates",
        "setMyCommands",
        "deleteMyCommands",
        "getMyCommands",
        "setMyDescription",
        "getMyDescription",
        "setMyShortDescription",
        "getMyShortDescription",
        "setMyName",
        "getMyName",
        "setChatMenuButton",
        "getChatMenuButton",
        "setMyDefaultAdministratorRights",
        "sendMessage",
        "editMessageText",
        "editMessageReplyMarkup",
        "deleteMessage",
        "answerCallbackQuery",
        "sendDocument",
        "sendChatAction",
        "getChat",
        "getChatMember",
        "getChatAdministrators",
        "leaveChat",
        "pinChatMessage",
        "unpinChatMessage",
        "setMessageReaction",
    )
}

__all__ = [
    "BOT_ID",
    "BOT_USERNAME",
    "SENT_METHODS",
    "ApiError",
    "Call",
    "FailSpec",
    "FakeBotApi",
    "UploadedFile",
    "decode_param",
    "strip_html",
]


def _update_chat(update: JSONDict) -> Any:
    """Return the chat (or user) an update belongs to, for in-order webhook delivery."""
    for kind in ("message", "edited_message", "callback_query", "my_chat_member"):
        body = update.get(kind)
        if isinstance(body, dict):
            message = body.get("message") if kind == "callback_query" else body
            if isinstance(message, dict) and isinstance(message.get("chat"), dict):
                return message["chat"].get("id")
            sender = body.get("from")
            if isinstance(sender, dict):
                return sender.get("id")
    return None
