"""English counts agree with their number: "1 case", "2 cases" (Fluent plural selects)."""

from __future__ import annotations

import re

from bot.i18n import LOCALES_DIR, Translator, parse_catalogue
from tests.conftest import Harness, _plain

T = Translator()
NOUNS = ("cases", "days", "files", "transactions", "entries", "alerts", "subscribers", "groups",
         "hours", "minutes", "reminders", "items", "steps", "messages", "weeks", "months")
ONE_PLURAL = re.compile(r"\b1 (?:[a-z-]+ )?(?:" + "|".join(NOUNS) + r")\b")


def test_no_english_message_says_one_with_a_plural() -> None:
    entries, errors = parse_catalogue(LOCALES_DIR / "en")
    assert not errors
    bad = []
    for key, entry in entries.items():
        text = _plain(T("en", key, **{name: 1 for name in entry.variables}))
        if ONE_PLURAL.search(text):
            bad.append(f"{key}: {text}")
    assert not bad, "\n".join(bad)


def test_counts_above_one_stay_plural() -> None:
    assert "(2 cases)" in T("en", "delete-done", cases=2)
    assert "(0 cases)" in T("en", "delete-done", cases=0)
    assert "3 subscribers and 1 group" in T("en", "alert-confirm", users=3, groups=1)
    assert "after 180 days" in T("en", "privacy-full", days=180)
    assert "after 1 day;" in T("en", "privacy-full", days=1)


async def test_deleting_one_case_says_one_case(harness: Harness) -> None:
    h = harness
    await h.send("/start", lang="en")
    await h.press(h.t("btn-consent-yes", "en"))
    await h.send("/delete")
    await h.press(h.t("btn-delete-yes", "en"))
    text = h.last_text(1)
    assert "(1 case)" in text and "1 cases" not in text
