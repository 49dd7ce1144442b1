"""Telegram faults in the message checker, with the bot as its own process against the fake Bot
API, in both languages.

Eight users (each fault kind: 500, 502 HTML page, timeout after delivery, connection reset; in
Chinese and in English) check messages before any consent, all at once in one bot process. One
fault is injected on each verdict screen and on the answer to "this verdict is wrong"; the user
must still get every verdict (at most twice after a timeout, when Telegram may have carried out
the first try) with its scam, truth and advice, the report's thanks must reach them (as a
message when the toast fails), the report must be stored once although the button is pressed
twice, and nobody is told that something failed.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fakes.botapi import Call
from tests.faults_kit import FAULTS, LATE, AnswerFaults, assert_no_traceback
from tests.proc import run_bot
from tests.test_e2e_triage import User, says_starting

pytestmark = pytest.mark.slow

RECOVERY = {
    "zh-CN": "我是网警，可以帮你追回被骗的钱，需要先交保证金",
    "en": "I am a certified fund recovery agent. I can get your lost money back from the "
          "scammers, just pay a 10% processing fee first.",
}
RELATIVE = {
    "zh-CN": "爸，我出事了，被公安抓了，急用钱，打到这张卡上，先别告诉妈",
    "en": "Hi Mum, I dropped my phone, this is my new number. Can you send me some money for "
          "a bill?",
}


def shown(api: AnswerFaults, chat: int, match: Callable[[Call], bool], since: int) -> int:
    """How many confirmed calls after ``since`` match."""
    return sum(1 for c in api.calls[since:] if c.chat_id == chat and match(c))


async def check_flow(api: AnswerFaults, u: User, kind: str) -> None:
    """Two checks and a report, each with one fault; then the report button pressed again."""
    c = u.id
    most = 2 if kind == "timeout" else 1

    async def faulted(method: str, act: Callable[[], object],
                      expect: Callable[[Call], bool]) -> Call:
        api.set_error(c, kind, times=1, method=method, delay=LATE)  # type: ignore[arg-type]
        since = len(api.calls)
        act()
        got = await api.wait_for(expect, 30, since=since)
        hit = await api.wait_for(lambda x: x.chat_id == c and x.fault is not None, 30,
                                 since=since)
        if kind == "timeout" and method != "answerCallbackQuery":
            # The bot cannot know the timed-out request was carried out: it tries again. (A
            # button's answer is not tried again: its news goes as a message instead.)
            after = next(i for i, x in enumerate(api.calls) if x is hit) + 1
            await api.wait_for(lambda x: x.chat_id == c and x.method == method, 30, since=after)
        assert 1 <= shown(api, c, expect, since) <= most, (kind, u.lang, method)
        return got

    def say(text: str) -> Callable[[], object]:
        return lambda: api.user_sends_text(c, text, language_code=u.lang)

    verdict = await faulted("sendMessage", say("/check " + RECOVERY[u.lang]),
                            says_starting(c, u.t("checker-verdict-scam")))
    text = str(verdict.params["text"])
    assert u.t("checker-truth-recovery") in text and u.t("checker-advice-scam") in text
    verdict = await faulted("sendMessage", say("/check " + RELATIVE[u.lang]),
                            lambda x: x.method == "sendMessage" and x.ok and x.chat_id == c
                            and u.t("checker-truth-fake-relative") in str(x.params["text"]))
    text = str(verdict.params["text"])
    assert u.t("checker-advice-fake-relative") in text or u.t("checker-advice-scam") in text

    def thanked(x: Call) -> bool:
        # As the button's toast, or, when that failed, as a message: the user hears it.
        return (x.method in ("answerCallbackQuery", "sendMessage") and x.ok and x.chat_id == c
                and x.params.get("text") == u.t("checker-report-thanks"))

    await faulted("answerCallbackQuery",
                  lambda: api.user_presses_button(c, u.t("btn-checker-wrong"),
                                                  message_id=verdict.result["message_id"],
                                                  language_code=u.lang),
                  thanked)
    # The keyboard goes once the report is stored; a second press of the old button (a
    # double tap, or a client that had not redrawn yet) must not store it again.
    await api.wait_for(lambda x: x.method == "editMessageReplyMarkup" and x.ok
                       and x.chat_id == c, 30)
    markup = verdict.params["reply_markup"]
    if isinstance(markup, str):
        markup = json.loads(markup)
    wrong = str(markup["inline_keyboard"][0][0]["callback_data"])
    await asyncio.sleep(2.5)  # past the double-press window: the press is handled, not dropped
    since = len(api.calls)
    api.user_presses(c, verdict.result["message_id"], wrong, language_code=u.lang, check=False)
    answer = await api.wait_for(lambda x: x.method == "answerCallbackQuery" and x.ok
                                and x.chat_id == c, 30, since=since)
    assert answer.params.get("text") != u.t("checker-report-thanks"), (kind, u.lang)


async def test_faults_on_checker_screens_and_reports_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "bot.sqlite3"
    async with AnswerFaults() as api:
        bot = run_bot(db, api.base_url)
        await bot.start()
        try:
            users = [(kind, User(api, 8300 + i, lang))
                     for i, (kind, lang) in enumerate((k, lang) for lang in ("zh-CN", "en")
                                                      for k in FAULTS)]
            await asyncio.gather(*(check_flow(api, u, kind) for kind, u in users))
        finally:
            assert await bot.terminate() == 0

    conn = sqlite3.connect(db)
    try:
        reports = dict(conn.execute("SELECT text, COUNT(*) FROM checker_reports GROUP BY text"))
    finally:
        conn.close()
    # Nobody consented: the reports are anonymous, one per pressed verdict, digits masked.
    assert reports == {RELATIVE["zh-CN"]: 4, RELATIVE["en"]: 4}, reports
    for _, u in users:
        texts = [str(x.params.get("text")) for x in api.sent(u.id)]
        assert u.t("delivery-failed") not in texts and u.t("error-generic") not in texts
    tried = {k: api.stats[f"fault:{k}"] for k in FAULTS}
    assert tried == dict.fromkeys(FAULTS, 6), tried
    assert not api.server_errors
    assert_no_traceback(bot.log)
    print(f"\nchecker faults survived: {sum(tried.values())} of {sum(tried.values())} "
          f"({', '.join(f'{k}={n}' for k, n in tried.items())})")
