"""/check with nothing after it asks for the message; what the user then pastes is checked.

Telegram clients answer a ForceReply prompt with a reply to it; the in-memory transport plays the
client (a text typed after such a prompt is a reply to it), as the console does.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import Harness, both_dialects
from tests.test_triage import consent, pick, stored_values

# Harness tests run on SQLite and on PostgreSQL.
dialect = both_dialects

SCAM = "恭喜您获得京东百万保障，现在需要关闭否则每月扣费，请加QQ 12345678 办理注销"
CHAT = "明天一起吃饭吗？我六点下班"


async def dump(h: Harness) -> str:
    return await stored_values(h)


@pytest.mark.parametrize("lang", ["zh-CN", "en"])
async def test_check_alone_asks_and_the_pasted_message_is_checked_before_consent(
        harness: Harness, lang: str) -> None:
    h = harness
    calls = await h.send("/check", lang=lang)
    prompt = [c for c in calls if c.method == "sendMessage"][-1]
    assert prompt.params["text"] == h.t("checker-prompt", lang)
    markup = prompt.params["reply_markup"]
    markup = json.loads(markup) if isinstance(markup, str) else markup
    assert markup["force_reply"] is True
    assert markup["input_field_placeholder"] == h.t("checker-prompt-placeholder", lang)
    await h.send(SCAM)
    assert h.last_text(1).startswith(h.t("checker-verdict-scam", lang))
    # A harmless message pasted after a new prompt gets the honest "no known pattern", never
    # the welcome or "I am not waiting for an answer".
    await h.send("/check")
    await h.send(CHAT)
    assert h.last_text(1).startswith(h.t("checker-verdict-unknown", lang))
    # Without a prompt, a harmless first message still gets the welcome.
    await h.send(CHAT)
    assert h.buttons(1)[-2:] == [h.t("btn-consent-yes", lang), h.t("btn-consent-no", lang)]
    stored = await dump(h)
    assert "12345678" not in stored and "百万保障" not in stored and "吃饭" not in stored


async def test_a_pasted_scam_before_consent_gets_the_verdict_not_the_welcome(
        harness: Harness) -> None:
    await harness.send(SCAM)
    assert harness.last_text(1).startswith(harness.t("checker-verdict-scam"))
    assert "百万保障" not in await dump(harness)


async def test_the_answer_to_the_prompt_is_checked_while_a_question_is_open(
        harness: Harness) -> None:
    h = harness
    await consent(h)
    await pick(h, ["unknown_orders"])
    user = await h.svc.store.get_user(1)
    assert user is not None
    before = await h.svc.store.current_case(user)
    assert before is not None and before.step is not None
    await h.send("/check")
    await h.send(CHAT)
    assert h.last_text(1).startswith(h.t("checker-verdict-unknown"))
    case = await h.svc.store.current_case(user)
    assert case is not None and case.step == before.step, "the open question is untouched"
    assert "吃饭" not in await dump(h)


async def test_text_after_another_screen_is_not_taken_for_a_message_to_check(
        harness: Harness) -> None:
    h = harness
    await h.send("/check")
    await h.send("/help")
    await h.send(CHAT)
    # The prompt is no longer the latest message: this is ordinary text (the welcome).
    assert not h.last_text(1).startswith(h.t("checker-verdict-unknown"))
    assert h.buttons(1)[-2:] == [h.t("btn-consent-yes"), h.t("btn-consent-no")]
