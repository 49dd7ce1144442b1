"""The claim pack end to end: the bot process, a fake Bot API on 127.0.0.1 that also serves
files, a screenshot uploaded as a file and read, and the PDF dossier downloaded back."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from pypdf import PdfReader

from tests.fakes.botapi import Call, FakeBotApi, JSONDict, UploadedFile
from tests.proc import TEST_TOKEN, run_bot
from tests.screenshots import Truth, order_page
from tests.test_e2e_triage import User, edited, says, says_ending, says_starting
from tests.test_evidence import fonts_embedded

pytestmark = pytest.mark.slow

TRUTH = Truth(order="298765432101", at="2026-11-21 09:15", amount="4,280.50", channel="baitiao")


class FileBotApi(FakeBotApi):
    """The fake Bot API plus getFile and a file server (uploads by users and by the bot)."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, bytes]] = {}
        super().__init__()
        self._file_runner: web.AppRunner | None = None
        self.file_port = 0

    def _build_handlers(self) -> dict[str, Any]:
        handlers = super()._build_handlers()
        send_document = handlers["sendDocument"]

        def keep_document(params: JSONDict) -> Any:
            result = send_document(params)
            doc = params.get("document")
            if isinstance(doc, UploadedFile):
                file_id = result["document"]["file_id"]
                self.files[file_id] = (f"documents/{file_id}.pdf", doc.data)
            return result

        handlers["sendDocument"] = keep_document
        handlers["getFile"] = self._get_file
        return handlers

    def _get_file(self, params: JSONDict) -> JSONDict:
        file_id = str(params["file_id"])
        path, data = self.files[file_id]
        return {"file_id": file_id, "file_unique_id": file_id[-16:], "file_size": len(data),
                "file_path": path}

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.file_port}/file/bot"

    async def start(self) -> None:
        await super().start()

        async def serve(request: web.Request) -> web.Response:
            path = request.match_info["path"]
            found = next((data for p, data in self.files.values() if p == path), None)
            return web.Response(body=found) if found is not None else web.Response(status=404)

        app = web.Application()
        app.router.add_get("/file/bot{token}/{path:.+}", serve)
        self._file_runner = web.AppRunner(app, access_log=None)
        await self._file_runner.setup()
        site = web.TCPSite(self._file_runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.file_port = server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._file_runner is not None:
            await self._file_runner.cleanup()
        await super().stop()

    def user_sends_file(self, user_id: int, data: bytes, *, mime: str, file_name: str,
                        language_code: str = "zh-CN") -> int:
        """Queue a document message from a user; its bytes are served by getFile."""
        n = len(self.files) + 1
        file_id = f"USERFILE{user_id}_{n}"
        self.files[file_id] = (f"documents/{file_id}.png", data)
        message: JSONDict = {
            "message_id": self._next_message_id(user_id),
            "from": self._remember_user(user_id, "Test", language_code, None),
            "chat": self._chat(user_id),
            "date": int(time.time()),
            "document": {"file_id": file_id, "file_unique_id": f"uniq{user_id}_{n}",
                         "file_name": file_name, "mime_type": mime, "file_size": len(data)},
        }
        return self.push_update({"message": message})


def sent_document(chat: int) -> Any:
    return lambda c: c.method == "sendDocument" and c.ok and c.chat_id == chat


async def test_claim_pack_over_http(tmp_path: Path) -> None:
    async with FileBotApi() as api:
        bot = run_bot(tmp_path / "bot.sqlite3", api.base_url,
                      extra={"BOT_API_FILE_URL": api.base_file_url})
        await bot.start()
        try:
            u = User(api, 42, "zh-CN")
            c = u.id
            await u.send("/start", says_starting(c, u.t("welcome")[:10]))
            await u.press("btn-consent-yes", says(c, u.t("triage-symptoms-prompt")))
            await u.press("symptom-baitiao", edited(c))
            await u.press("btn-done", lambda call: call.method == "sendMessage")
            await u.press("btn-proceed", says(c, u.t("q-noticed")))
            await u.press("q-noticed-today", says(c, u.t("q-amount")))
            await u.send("4280.5", says(c, u.t("q-cause")))
            await u.press("q-cause-none", says(c, u.t("q-police")))
            await u.press("q-police-not-yet", says_ending(c, u.t("plan-footer", case=1)))

            await u.send("/evidence", says_starting(c, u.t("ev-menu-title", case=1)[:6]))
            await u.press("evidence-tx-screenshots-short", edited(c))
            since = len(api.calls)
            api.user_sends_file(c, order_page(TRUTH), mime="image/png", file_name="order.png")
            proposal = await api.wait_for(says_starting(c, u.t("ev-proposal")), 30.0,
                                          since=since)
            assert "********2101" in proposal.params["text"]
            await u.press("ev-btn-confirm", says_starting(c, u.t("ev-tx-title", case=1)[:4]))

            since = len(api.calls)
            api.user_sends_text(c, "/report")
            call: Call = await api.wait_for(sent_document(c), 30.0, since=since)
            file_id = call.result["document"]["file_id"]
            # Download it back as a user's client would: getFile, then the file URL.
            async with aiohttp.ClientSession() as http:
                async with http.get(f"{api.base_url}{TEST_TOKEN}/getFile",
                                    params={"file_id": file_id}) as resp:
                    path = (await resp.json())["result"]["file_path"]
                async with http.get(f"{api.base_file_url}{TEST_TOKEN}/{path}") as resp:
                    pdf = await resp.read()
            reader = PdfReader(io.BytesIO(pdf))
            text = "\n".join(page.extract_text() for page in reader.pages)
            assert TRUTH.order in text and "4,280.5" in text
            assert u.t("pdf-title", case=1) in text
            assert fonts_embedded(reader)
            assert not api.server_errors
        finally:
            assert await bot.terminate() == 0
        logs = "\n".join(bot.log + bot.stdout)
        assert "Traceback" not in logs
        assert TRUTH.order not in logs, "order numbers stay out of the logs"
