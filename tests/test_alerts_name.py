"""The scam alerts have one name everywhere: 诈骗预警 in Chinese, "scam alert(s)" in English.

"提醒" is the follow-up reminders' word, so no alert message uses it.
"""

from __future__ import annotations

from bot.i18n import LOCALES_DIR, Translator, parse_catalogue
from tests.conftest import Harness, _plain

T = Translator()
FILES = ("general.ftl", "alerts.ftl", "triage.ftl")


def alert_messages(locale: str) -> dict[str, str]:
    """Every message of general/alerts/triage in ``locale``, formatted with its variables."""
    entries, errors = parse_catalogue(LOCALES_DIR / locale)
    assert not errors
    return {key: T(locale, key, **{v: 1 for v in e.variables}) for key, e in entries.items()
            if e.source.split("/")[-1].split(":")[0] in FILES}


def test_one_chinese_name() -> None:
    texts = alert_messages("zh-CN")
    assert texts, "no messages found"
    assert not [k for k, v in texts.items() if "防骗提醒" in v or "警报" in v]
    alerts = {k: v for k, v in texts.items()
              if k.startswith(("alert", "cmd-subscribe", "cmd-unsubscribe", "cmd-alerts",
                               "btn-alerts", "group-"))}
    assert not [k for k, v in alerts.items() if "提醒" in v], "提醒 names the reminders"
    for key in ("cmd-subscribe", "alert-header", "alerts-subscribed", "group-alerts-on"):
        assert "诈骗预警" in texts[key], key
    assert "诈骗预警" in texts["privacy-full"]


def test_one_english_name() -> None:
    texts = alert_messages("en")
    for key in ("cmd-subscribe", "alerts-subscribed", "group-alerts-on", "alerts-private-only",
                "alert-refused-group", "group-admin-only"):
        assert "scam alert" in texts[key].lower() or "scam-alert" in texts[key].lower(), key
    assert "scam-alert subscription" in texts["privacy-full"]


async def test_privacy_and_subscribe_use_the_same_name(harness: Harness) -> None:
    h = harness
    await h.send("/privacy")
    privacy = _plain(h.last_text(1))
    await h.send("/subscribe")
    subscribed = _plain(h.last_text(1))
    assert "诈骗预警" in privacy and "诈骗预警" in subscribed
    assert "防骗提醒" not in privacy + subscribed
