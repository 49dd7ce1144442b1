"""Characters per screen a victim reads, driven through the real Application in both languages.

    .venv/bin/python -m bench.screen_sizes
    # the same scenarios on another checkout (e.g. before a change), same interpreter:
    git worktree add /tmp/before <commit>
    PYTHONPATH=/tmp/before .venv/bin/python bench/screen_sizes.py

Counts visible characters (HTML tags removed) of every message the bot sends or edits. For each
scenario it prints the emergency screen, the messages sent when the last question is answered
(the plan: how many, the longest, the total), and each part of the plan opened from its button.
It only uses labels that exist in every version since the plan had buttons, so the same script
measures before and after.
"""

from __future__ import annotations

import asyncio
import re
import tempfile
from pathlib import Path
from typing import Any

from tests.conftest import FakeClock, Harness, make_settings, start_harness, stop_harness

SCENARIOS: list[tuple[str, list[str], str, str, str]] = [
    # (name, symptoms, when noticed, cause, police)
    ("card + 金条, reported", ["balance-card", "jintiao"], "hour", "none", "reported"),
    ("orders, cause unsure", ["unknown-orders"], "today", "unsure", "not-yet"),
    ("every symptom", ["unknown-orders", "balance-card", "baitiao", "jintiao", "ecard-coupons",
                       "binding-changed", "unknown-login", "suspicious-code", "other"],
     "today", "none", "not-yet"),
]
PARTS = ["btn-show-evidence", "btn-show-claim", "btn-show-escalation"]


def visible(text: str) -> int:
    """Characters a reader sees."""
    return len(re.sub(r"<[^>]+>", "", text))


def texts(calls: list[Any]) -> list[str]:
    return [str(c.params["text"]) for c in calls
            if c.method in ("sendMessage", "editMessageText") and "text" in c.params]


async def scenario(h: Harness, user: int, lang: str, symptoms: list[str], noticed: str,
                   cause: str, police: str) -> dict[str, Any]:
    t = h.t
    await h.send("/start", user, lang=lang)
    await h.press(t("btn-consent-yes", lang), user)
    for symptom in symptoms:
        await h.press(t(f"symptom-{symptom}", lang), user)
    emergency = texts(await h.press(t("btn-done", lang), user))
    await h.press(t("btn-proceed", lang), user)
    await h.press(t(f"q-noticed-{noticed}", lang), user)
    if h.last_text(user).startswith(t("q-amount", lang)[:8]):
        await h.send("1299", user, lang=lang)
    await h.press(t(f"q-cause-{cause}", lang), user)
    plan = texts(await h.press(t(f"q-police-{police}", lang), user))
    parts: dict[str, int] = {}
    for key in PARTS:
        label = t(key, lang)
        if any(label in b for b in h.buttons(user)):
            shown = texts(await h.press(label, user))
            parts[key.removeprefix("btn-show-")] = max((visible(x) for x in shown), default=0)
    return {
        "emergency": max((visible(x) for x in emergency), default=0),
        "plan_messages": len([x for x in plan if x]),
        "plan_longest": max((visible(x) for x in plan), default=0),
        "plan_total": sum(visible(x) for x in plan),
        "parts": parts,
    }


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        h = await start_harness(make_settings(Path(tmp)), FakeClock())
        try:
            user = 0
            print(f"{'scenario':<26} {'lang':<6} {'emergency':>9} {'plan msgs':>9} "
                  f"{'longest':>8} {'total':>6}  parts (chars each)")
            for lang in ("zh-CN", "en"):
                for name, symptoms, noticed, cause, police in SCENARIOS:
                    user += 1
                    r = await scenario(h, user, lang, symptoms, noticed, cause, police)
                    parts = ", ".join(f"{k} {v}" for k, v in r["parts"].items())
                    print(f"{name:<26} {lang:<6} {r['emergency']:>9} {r['plan_messages']:>9} "
                          f"{r['plan_longest']:>8} {r['plan_total']:>6}  {parts}")
        finally:
            await stop_harness(h)


if __name__ == "__main__":
    asyncio.run(main())
