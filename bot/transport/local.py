"""An in-process Bot API: answers PTB's requests locally and builds real updates.

Console mode and the offline tests run the real ``Application`` on top of it: nothing leaves
the process, and every call the bot makes is recorded.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from telegram import Bot, Update
from telegram._utils.defaultvalue import DEFAULT_NONE
from telegram._utils.types import ODVInput
from telegram.request import BaseRequest, RequestData

BOT_ID = 777
BOT_USERNAME = "jd_recovery_local_bot"
LOCAL_TOKEN = "777:local-console-no-network"

JSON = dict[str, Any]


@dataclass
class ApiCall:
    """One request the bot made."""

    method: str
    params: JSON
    result: Any


@dataclass
class LocalBotApi(BaseRequest):
    """A BaseRequest that plays the Bot API server in memory."""

    on_call: Callable[[ApiCall], None] | None = None
    chat_members: dict[tuple[int, int], str] = field(default_factory=dict)
    calls: list[ApiCall] = field(default_factory=list)
    messages: dict[int, dict[int, JSON]] = field(default_factory=dict)
    record: bool = True
    # Files users "uploaded" (file_id -> (file_path, bytes)), served by getFile and downloads.
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    _ids: dict[int, itertools.count[int]] = field(default_factory=dict)
    # Per chat, the id of the latest message that asked for a reply (ForceReply).
    _prompts: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        super().__init__()

    @property
    def read_timeout(self) -> float | None:
        """Return no read timeout: nothing here blocks."""
        return None

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to tear down."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = DEFAULT_NONE,
        write_timeout: ODVInput[float] = DEFAULT_NONE,
        connect_timeout: ODVInput[float] = DEFAULT_NONE,
        pool_timeout: ODVInput[float] = DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one Bot API method (or a file download)."""
        if "/file/bot" in url:
            path = url.split("/file/bot", 1)[1].split("/", 1)[1]
            found = next((data for p, data in self.files.values() if p == path), None)
            return (200, found) if found is not None else (404, b"")
        name = url.rsplit("/", 1)[-1]
        params: JSON = dict(request_data.parameters) if request_data else {}
        if request_data is not None and request_data.contains_files:
            # Keep uploaded bytes so a test or the console can read what was sent.
            params["_uploads"] = {
                name: part[1] for name, part in request_data.multipart_data.items()
                if isinstance(part, tuple) and isinstance(part[1], bytes)
            }
        ok, result = self.answer(name, params)
        call = ApiCall(name, params, result)
        if self.record:
            self.calls.append(call)
        if self.on_call is not None:
            self.on_call(call)
        if not ok:
            body: JSON = {"ok": False, "error_code": 400, "description": str(result)}
            return 400, json.dumps(body).encode()
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _message(self, chat_id: int, params: JSON, **extra: Any) -> JSON:
        counter = self._ids.setdefault(chat_id, itertools.count(1))
        message: JSON = {
            "message_id": next(counter),
            "date": int(time.time()),
            "chat": _chat(chat_id),
            "from": bot_user(),
            **extra,
        }
        if "text" in params:
            message["text"] = params["text"]
        markup = _markup(params["reply_markup"]) if params.get("reply_markup") else None
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            # Telegram echoes inline keyboards only; other markups act on the client.
            message["reply_markup"] = markup
        elif isinstance(markup, dict) and markup.get("force_reply"):
            self._prompts[chat_id] = message["message_id"]
        self.messages.setdefault(chat_id, {})[message["message_id"]] = message
        return message

    def answer(self, method: str, params: JSON) -> tuple[bool, Any]:
        """Return (ok, result) for a method, as the real server would shape it."""
        if method == "getMe":
            return True, {**bot_user(), "can_join_groups": True,
                          "can_read_all_group_messages": False, "supports_inline_queries": False}
        if method == "sendMessage":
            return True, self._message(int(params["chat_id"]), params)
        if method == "sendDocument":
            doc = {"file_id": "local-doc", "file_unique_id": "local-doc",
                   "file_name": "export.json"}
            extra = {"document": doc}
            if "caption" in params:
                extra["caption"] = params["caption"]
            return True, self._message(int(params["chat_id"]), params, **extra)
        if method in ("editMessageText", "editMessageReplyMarkup"):
            chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
            stored = self.messages.get(chat_id, {}).get(message_id)
            if stored is None:
                return False, "Bad Request: message to edit not found"
            if method == "editMessageText":
                stored["text"] = params["text"]
            if params.get("reply_markup"):
                stored["reply_markup"] = _markup(params["reply_markup"])
            else:
                stored.pop("reply_markup", None)
            stored["edit_date"] = int(time.time())
            return True, stored
        if method == "getChatMember":
            key = (int(params["chat_id"]), int(params["user_id"]))
            status = self.chat_members.get(key, "member")
            member: JSON = {"status": status, "user": user_json(int(params["user_id"]))}
            if status == "administrator":
                member.update(_admin_rights())
            if status == "creator":
                member["is_anonymous"] = False
            return True, member
        if method == "getChat":
            return True, _chat(int(params["chat_id"]))
        if method == "getUpdates":
            return True, []
        if method == "getFile":
            kept = self.files.get(str(params["file_id"]))
            if kept is None:
                return False, "Bad Request: invalid file_id"
            path, data = kept
            unique = path.rsplit("/", 1)[-1].split(".")[0]
            return True, {"file_id": params["file_id"], "file_unique_id": unique,
                          "file_size": len(data), "file_path": path}
        if method in ("getMyCommands",):
            return True, []
        # setMyCommands, answerCallbackQuery, deleteMessage, sendChatAction, deleteWebhook...
        return True, True

    def reply_prompt(self, chat_id: int) -> JSON | None:
        """Return the chat's latest bot message when it asked for a reply (ForceReply)."""
        sent = self.messages.get(chat_id)
        if not sent or self._prompts.get(chat_id) != max(sent):
            return None
        return sent[max(sent)]

    def add_file(self, data: bytes, suffix: str = "jpg") -> tuple[str, str]:
        """Keep bytes as if a user had uploaded them; return (file_id, file_unique_id)."""
        unique = hashlib.sha256(data).hexdigest()[:16]
        file_id = f"local-file-{unique}-{len(self.files)}"
        self.files[file_id] = (f"documents/{unique}.{suffix}", data)
        return file_id, unique

    def sent(self, chat_id: int | None = None) -> list[ApiCall]:
        """Return the messages sent or edited, optionally for one chat."""
        kinds = ("sendMessage", "editMessageText", "editMessageReplyMarkup", "sendDocument")
        return [
            c for c in self.calls
            if c.method in kinds and (chat_id is None or int(c.params["chat_id"]) == chat_id)
        ]


def _markup(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _admin_rights() -> JSON:
    rights = ("can_be_edited", "is_anonymous", "can_manage_chat", "can_delete_messages",
              "can_manage_video_chats", "can_restrict_members", "can_promote_members",
              "can_change_info", "can_invite_users", "can_post_stories",
              "can_edit_stories", "can_delete_stories")
    return {r: r in ("can_manage_chat", "can_delete_messages") for r in rights}


def bot_user() -> JSON:
    """Return the bot's own user object."""
    return {"id": BOT_ID, "is_bot": True, "first_name": "JD Recovery", "username": BOT_USERNAME}


def user_json(user_id: int, language_code: str | None = "zh-CN", first_name: str = "User") -> JSON:
    """Return a user object."""
    data: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code:
        data["language_code"] = language_code
    return data


def _chat(chat_id: int, chat_type: str | None = None) -> JSON:
    kind = chat_type or ("private" if chat_id > 0 else "supergroup")
    chat: JSON = {"id": chat_id, "type": kind}
    if kind == "private":
        chat["first_name"] = "User"
    else:
        chat["title"] = "Group"
    return chat


class UpdateFactory:
    """Build real Update objects as Telegram would send them."""

    def __init__(self, bot: Bot, api: LocalBotApi) -> None:
        self.bot = bot
        self.api = api
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100000)

    def text(self, user_id: int, text: str, *, chat_id: int | None = None,
             language_code: str | None = "zh-CN", chat_type: str | None = None) -> Update:
        """A user typing text (a /command gets its entity)."""
        chat = chat_id if chat_id is not None else user_id
        message: JSON = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": _chat(chat, chat_type),
            "from": user_json(user_id, language_code),
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        else:
            prompt = self.api.reply_prompt(chat)
            if prompt is not None:
                # A client answers a ForceReply prompt with a reply to it, as Telegram's do.
                message["reply_to_message"] = prompt
        return self._update({"message": message})

    def file(self, user_id: int, data: bytes, *, photo: bool = False,
             mime: str = "image/png", file_name: str | None = "screenshot.png",
             caption: str | None = None, language_code: str | None = "zh-CN",
             size: int | None = None) -> Update:
        """A user sending a photo, or a document (any type), whose bytes the API then serves."""
        suffix = "jpg" if photo else (file_name or "file").rsplit(".", 1)[-1]
        file_id, unique = self.api.add_file(data, suffix)
        message: JSON = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": _chat(user_id),
            "from": user_json(user_id, language_code),
        }
        size = len(data) if size is None else size
        if photo:
            message["photo"] = [
                {"file_id": file_id + "-small", "file_unique_id": unique + "s", "width": 90,
                 "height": 160, "file_size": 1000},
                {"file_id": file_id, "file_unique_id": unique, "width": 720, "height": 1280,
                 "file_size": size},
            ]
        else:
            document: JSON = {"file_id": file_id, "file_unique_id": unique, "mime_type": mime,
                              "file_size": size}
            if file_name:
                document["file_name"] = file_name
            message["document"] = document
        if caption:
            message["caption"] = caption
        return self._update({"message": message})

    def press(self, user_id: int, message: JSON, data: str, *,
              language_code: str | None = "zh-CN") -> Update:
        """A user pressing an inline button that sits on ``message``."""
        query = {
            "id": str(next(self._update_ids) + 5_000_000),
            "from": user_json(user_id, language_code),
            "chat_instance": "local",
            "message": message,
            "data": data,
        }
        return self._update({"callback_query": query})

    def raw(self, data: JSON) -> Update:
        """Any other update (e.g. my_chat_member)."""
        return self._update(data)

    def _update(self, body: JSON) -> Update:
        update = Update.de_json({"update_id": next(self._update_ids), **body}, self.bot)
        assert update is not None
        return update
