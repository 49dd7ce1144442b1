"""Every triage screen fits in one Telegram message and every button's data in 64 bytes; the
screens a victim reads during triage stay within a reading budget (a test fails past it)."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal
from pathlib import Path

import pytest

from bot.callbacks import MAX_BYTES
from bot.engine.loader import load_flow
from bot.engine.schema import AmountStep, ChoiceStep
from bot.handlers import general
from bot.handlers.views import Screen, Views
from bot.i18n import Translator
from bot.services import Services
from bot.settings import SUPPORTED_LOCALES
from bot.store.cases import CaseRow, CaseStatus, EventRow
from tests.conftest import T0, Harness, make_settings

MAX_TEXT = 4096
BIG_ID = 2**63 - 1  # the largest case id SQLite can hand out
# Visible characters per screen (tags stripped), for someone reading at 2 a.m.: Chinese packs
# about 2.5 times the content per character of English. Measured worst cases are printed by
# bench/screen_sizes.py.
BUDGET = {"zh-CN": 600, "en": 1500}


def visible(text: str) -> int:
    """Characters a reader sees (HTML tags removed)."""
    return len(re.sub(r"<[^>]+>", "", text))


def within_budget(screen: Screen, locale: str, what: str) -> None:
    check(screen, what)
    assert visible(screen.text) <= BUDGET[locale], f"{what}: {visible(screen.text)} characters"


def units(text: str) -> int:
    """Telegram counts UTF-16 code units; the HTML source is an upper bound of what it shows."""
    return len(text.encode("utf-16-le")) // 2


def check(screen: Screen, what: str) -> None:
    assert units(screen.text) <= MAX_TEXT, f"{what}: {units(screen.text)} characters"
    assert screen.text.strip(), f"{what}: empty"
    if screen.keyboard is not None:
        for row in screen.keyboard.inline_keyboard:
            for button in row:
                data = button.callback_data
                assert isinstance(data, str)
                assert len(data.encode()) <= MAX_BYTES, f"{what}: {data!r}"


@pytest.fixture(scope="module")
def svc(tmp_path_factory: pytest.TempPathFactory) -> Services:
    translator = Translator()
    flow = load_flow(translator=translator)
    path: Path = tmp_path_factory.mktemp("limits")
    # No database is touched: views only format.
    return Services(settings=make_settings(path), db=None, store=None,  # type: ignore[arg-type]
                    t=translator, flow=flow)


def symptom_sets(svc: Services) -> list[tuple[str, ...]]:
    ids = svc.flow.symptom_ids()
    return [(s,) for s in ids] + [tuple(ids)]


def answer_sets(svc: Services) -> list[tuple[dict[str, str], Decimal | None]]:
    """Every combination of choice answers, with a large, a small and an unknown amount."""
    choices = [s for s in svc.flow.steps if isinstance(s, ChoiceStep)]
    out: list[tuple[dict[str, str], Decimal | None]] = []
    for combo in itertools.product(*[[o.id for o in s.options] for s in choices]):
        answers = dict(zip([s.id for s in choices], combo, strict=True))
        for amount in (Decimal("99999999.99"), Decimal("12.5"), None):
            extra = {"_amount": "known" if amount is not None else "unknown"}
            out.append(({**answers, **extra}, amount))
    return out


def make_case(symptoms: tuple[str, ...], answers: dict[str, str], amount: Decimal | None,
              *, step: str | None = None, verdict: str | None = None) -> CaseRow:
    return CaseRow(
        id=BIG_ID, user_id=BIG_ID, status=CaseStatus.PLANNED if verdict else CaseStatus.TRIAGE,
        step=step, symptoms=list(symptoms), answers=answers, amount=amount, verdict=verdict,
        emergency_done=[], evidence_done=[], created_at=T0, updated_at=T0,
    )


def many_events() -> list[EventRow]:
    kinds = ["opened", "symptoms", "emergency_done", "verdict", "closed"]
    data = {"outcome": "excluded", "step": "noticed", "answer": "earlier"}
    return [EventRow(id=i, case_id=BIG_ID, at=T0 + i, kind=kinds[i % len(kinds)], data=data)
            for i in range(40)]


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_triage_screens_fit(svc: Services, locale: str) -> None:
    views = Views(svc, locale)
    fit = within_budget
    fit(views.welcome(), locale, "welcome")
    fit(views.anon_symptoms((1 << len(svc.flow.symptoms)) - 1), locale, "anon symptoms")
    fit(views.anon_after(), locale, "anon after")
    for symptoms in symptom_sets(svc):
        what = f"{locale} {'+'.join(symptoms)}"
        open_case = make_case(symptoms, {}, None, step=svc.flow.start)
        fit(views.symptoms(open_case), locale, f"{what} symptoms")
        fit(views.symptoms_chosen(symptoms), locale, f"{what} chosen")
        fit(views.resume_offer(open_case), locale, f"{what} resume")
        fit(views.emergency(open_case, with_proceed=True), locale, f"{what} emergency")
        ids = svc.flow.symptom_ids()
        mask = sum(1 << ids.index(s) for s in symptoms)
        fit(views.anon_emergency(mask, (1 << len(svc.flow.emergency)) - 1), locale,
            f"{what} anon emergency")
        for step in svc.flow.steps:
            if isinstance(step, ChoiceStep | AmountStep):
                fit(views.question(open_case, step.id), locale, f"{what} {step.id}")
                check(views.answered(step.id, "x" * 200), f"{what} answered {step.id}")
        for answers, amount in answer_sets(svc):
            case = make_case(symptoms, answers, amount)
            case.verdict = "at_risk"
            case.evidence_done = [i.id for i in svc.flow.evidence]
            case.emergency_done = [i.id for i in svc.flow.emergency]
            screens = [("verdict", views.verdict(case)), ("now", views.plan_now(case)),
                       ("edit menu", views.edit_menu(case)),
                       ("emergency", views.emergency(case, with_proceed=False))]
            screens += [(f"part {p}", views.part(case, p)) for p in "vcx"]
            for name, screen in screens:
                fit(screen, locale, f"{what} {name} {answers}")
            if case.amount is not None:
                fit(views.amount_echo(case), locale, f"{what} echo")
        check(views.case_summary(case, many_events()), f"{what} case summary")


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_general_screens_fit(svc: Services, locale: str) -> None:
    t = svc.t
    help_text = t(locale, "help-intro") + "\n\n" + "\n".join(
        f"/{cmd} — {t(locale, key)}" for cmd, key in general.MENU
    )
    assert units(help_text) <= MAX_TEXT
    for key, variables in (("privacy-full", {"days": 3650}), ("secret-warning", {}),
                           ("delete-confirm", {}), ("fallback-idle", {})):
        assert units(t(locale, key, **variables)) <= MAX_TEXT, key
    for _, key in general.MENU:
        assert 1 <= len(t(locale, key)) <= 256, f"menu description {key}"


async def test_case_list_fits(harness: Harness) -> None:
    h = harness
    await h.send("/start")
    await h.press(h.t("btn-consent-yes"))
    for _ in range(25):
        await h.send("/new")
        await h.press(h.t("btn-new-case"))
    for lang in ("zh-CN", "en"):
        await h.send("/lang")
        await h.press(h.t("lang-name-zh" if lang == "zh-CN" else "lang-name-en"))
        await h.send("/cases")
        assert units(h.last_text(1)) <= MAX_TEXT
