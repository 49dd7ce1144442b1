"""The verdict: a hand table of cases, then every complete triage walked through the engine.

The exhaustive part checks properties the advice must keep for every combination of symptoms x
timing x amount x cause x police answer (the issue "advice a victim can act on safely").
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest

from bot.engine.loader import load_flow
from bot.engine.schema import Outcome
from bot.engine.verdicts import Path, results
from bot.engine.walker import Answers, items_for, verdict
from bot.handlers.views import Views
from bot.i18n import Translator
from bot.services import Services
from bot.store.cases import AMOUNT_KEY, CaseRow, CaseStatus

FLOW = load_flow()
T = Translator()
MONEY = ("unknown_orders",)
LOSS = {"unknown_orders", "balance_card", "baitiao", "jintiao", "ecard_coupons", "other"}
ACCESS = {"binding_changed", "unknown_login", "suspicious_code"}
# Causes where the victim acted on a fraudster's instructions (or dealt outside JD).
FRAUD_CAUSES = {"code_shared", "remote", "talked_into", "phishing", "off_platform"}
CLAIM_OUTCOMES = {Outcome.COVERED, Outcome.CLAIMABLE, Outcome.CONSIDERED, Outcome.AT_RISK}
# Reasons that speak of a particular symptom (read from the catalogue text): shown only when
# the user chose it.
REASON_NAMES: dict[str, set[str]] = {
    "verdict-reason-orders": {"unknown_orders"},
    "verdict-reason-balance": {"balance_card"},
    "verdict-reason-baitiao": {"baitiao"},
    "verdict-reason-jintiao": {"jintiao"},
    "verdict-reason-assets": {"ecard_coupons"},
    "verdict-reason-caller-contact": {"suspicious_code"},
}
# Reasons that encourage a claim: never beside a verdict that says there is none to make.
CLAIM_HELPERS = {"verdict-reason-prompt", "verdict-reason-police", "verdict-reason-late"}


def facts(symptoms: tuple[str, ...] = MONEY, *, noticed: str = "today",
          amount: str | None = "500", cause: str = "none",
          police: str = "reported") -> Answers:
    """Answers of a complete triage; defaults describe a plainly covered case."""
    return Answers(
        symptoms=frozenset(symptoms),
        choices={"noticed": noticed, "cause": cause, "police": police},
        amount=None if amount is None else Decimal(amount),
        amount_known=amount is not None,
    )


# (name, facts, outcome, rule ids that must have matched, rule ids that must not)
TABLE: list[tuple[str, Answers, Outcome, set[str], set[str]]] = [
    ("orders + none + reported", facts(), Outcome.COVERED, {"orders_lost"}, set()),
    ("noticed within the hour and reported", facts(noticed="hour"), Outcome.COVERED,
     {"orders_lost", "reported_early"}, set()),
    ("card charged", facts(("balance_card",)), Outcome.COVERED, {"balance_lost"}, set()),
    ("credit misused", facts(("baitiao", "jintiao")), Outcome.CLAIMABLE,
     {"baitiao_used", "jintiao_used"}, {"orders_lost"}),
    ("money and credit: the weaker wording wins", facts(("balance_card", "baitiao")),
     Outcome.CLAIMABLE, {"balance_lost", "baitiao_used"}, set()),
    ("e-card used", facts(("ecard_coupons",)), Outcome.CONSIDERED, {"assets_used"}, set()),
    ("shared password", facts(cause="shared"), Outcome.EXCLUDED, {"shared_password"},
     {"orders_lost"}),
    ("someone I know", facts(cause="known_person"), Outcome.EXCLUDED, {"known_person"}, set()),
    ("deal outside JD", facts(cause="off_platform"), Outcome.EXCLUDED, {"off_platform"}, set()),
    ("read out a code", facts(cause="code_shared"), Outcome.HARD, {"code_shared"}, set()),
    ("screen sharing is hard, not excluded", facts(cause="remote"), Outcome.HARD,
     {"remote_control"}, set()),
    ("talked into borrowing", facts(("jintiao",), cause="talked_into"), Outcome.HARD,
     {"talked_into"}, {"jintiao_used"}),
    ("phishing", facts(cause="phishing"), Outcome.HARD, {"phishing"}, set()),
    ("cause unsure", facts(cause="unsure"), Outcome.AT_RISK, {"cause_unsure", "orders_lost"},
     set()),
    ("noticed earlier", facts(noticed="earlier"), Outcome.AT_RISK, {"noticed_late"}, set()),
    ("not reported: advice, no threshold", facts(amount="1", police="not_yet"),
     Outcome.COVERED, {"police_helps"}, set()),
    ("large and not reported", facts(amount="50000", police="not_yet"), Outcome.COVERED,
     {"police_helps"}, set()),
    ("a suspicious call beside a loss", facts(("suspicious_code", "balance_card")),
     Outcome.AT_RISK, {"caller_contact", "balance_lost"}, set()),
    ("access-only symptoms", facts(("binding_changed", "unknown_login", "suspicious_code"),
                                   amount=None),
     Outcome.NO_LOSS, {"no_loss_yet"}, set()),
    ("no loss, but a code was read out", facts(("suspicious_code",), cause="code_shared",
                                               amount=None),
     Outcome.NO_LOSS, {"no_loss_yet", "no_loss_fraud"}, {"code_shared"}),
    ("access plus money is not access-only", facts(("unknown_login", "unknown_orders")),
     Outcome.COVERED, {"orders_lost"}, {"no_loss_yet"}),
    ("something else only", facts(("other",)), Outcome.AT_RISK, {"unclear_loss"}, set()),
    ("something else beside access symptoms", facts(("binding_changed", "other")),
     Outcome.AT_RISK, {"unclear_loss"}, {"no_loss_yet"}),
    ("something else beside a money loss", facts(("other", "unknown_orders")),
     Outcome.COVERED, {"orders_lost"}, {"unclear_loss"}),
    ("excluded beats at risk", facts(cause="shared", noticed="earlier"), Outcome.EXCLUDED,
     {"shared_password", "noticed_late"}, set()),
]


@pytest.mark.parametrize(("name", "answers", "outcome", "must", "must_not"), TABLE,
                         ids=[row[0] for row in TABLE])
def test_verdict(name: str, answers: Answers, outcome: Outcome, must: set[str],
                 must_not: set[str]) -> None:
    result = verdict(FLOW, answers)
    assert result.outcome is outcome
    assert must <= set(result.rule_ids)
    assert not must_not & set(result.rule_ids)
    assert result.reasons, "a verdict always comes with a reason"
    first = next(r for r in FLOW.verdict.rules if r.reason == result.reasons[0])
    assert first.outcome is outcome, "the reasons behind the verdict come first"


def test_table_covers_every_rule_and_outcome() -> None:
    matched = {rid for _, answers, *_ in TABLE for rid in verdict(FLOW, answers).rule_ids}
    assert matched == {rule.id for rule in FLOW.verdict.rules}
    assert {row[2] for row in TABLE} == set(Outcome)


def test_no_rule_matches_gives_the_default_reason() -> None:
    # Before the cause is answered, a money loss matches no rule: JD decides.
    answers = Answers(symptoms=frozenset({"unknown_orders"}),
                      choices={"noticed": "week", "police": "reported"},
                      amount=Decimal("10"), amount_known=True)
    result = verdict(FLOW, answers)
    assert result.outcome is FLOW.verdict.default is Outcome.AT_RISK
    assert result.reasons == (FLOW.verdict.default_reason,)


def test_no_amount_threshold_without_a_source() -> None:
    # The 1,000-yuan police threshold was in no source (shared/domain.md): no rule uses one.
    for rule in FLOW.verdict.rules:
        assert all(c.amount_at_least is None for c in rule.when.walk()), rule.id


# ---- every complete triage --------------------------------------------------------------------

ALL: list[tuple[Path, Outcome, tuple[str, ...], tuple[str, ...]]] = [
    (path, result.outcome, result.reasons, result.routes) for path, result in results(FLOW)
]


def test_every_combination_is_walked() -> None:
    symptom_sets = {path.answers.symptoms for path, *_ in ALL}
    assert len(symptom_sets) == 2 ** len(FLOW.symptoms) - 1
    counts = Counter(outcome for _, outcome, *_ in ALL)
    assert set(counts) == set(Outcome), counts


def test_a_victim_who_acted_for_a_fraudster_is_never_told_covered() -> None:
    for path, outcome, reasons, routes in ALL:
        if path.answers.choices.get("cause") not in FRAUD_CAUSES:
            continue
        if path.answers.symptoms & LOSS:
            assert outcome in (Outcome.HARD, Outcome.EXCLUDED), path
            assert "route-police-first" in routes, path
        else:
            assert outcome is Outcome.NO_LOSS, path
            assert "verdict-reason-no-loss-fraud" in reasons, path


def test_shared_password_or_known_person_says_what_it_means() -> None:
    for path, outcome, _, routes in ALL:
        if path.answers.choices.get("cause") in ("shared", "known_person") and (
            path.answers.symptoms & LOSS
        ):
            assert outcome is Outcome.EXCLUDED and "route-known-person" in routes, path


def test_no_loss_is_its_own_outcome_and_asks_no_amount() -> None:
    for path, outcome, _, _ in ALL:
        access_only = path.answers.symptoms <= ACCESS
        assert (outcome is Outcome.NO_LOSS) == access_only, path
        assert ("amount" in path.skipped) == access_only, path
    assert FLOW.verdict.plans[Outcome.NO_LOSS].claim is None


def test_reasons_name_only_what_was_chosen_and_never_contradict() -> None:
    for path, outcome, reasons, _ in ALL:
        assert reasons, path
        for reason in reasons:
            assert REASON_NAMES.get(reason, set()) <= path.answers.symptoms, (reason, path)
        if outcome not in CLAIM_OUTCOMES:
            assert not CLAIM_HELPERS & set(reasons), (outcome, reasons, path)
        rules = {r.reason: r for r in FLOW.verdict.rules}
        for reason in reasons:
            rule = rules.get(reason)
            if rule is not None:
                assert rule.outcome is outcome or outcome in rule.also_with, (reason, outcome)


def test_the_first_emergency_step_stops_the_fraudster() -> None:
    for path, *_ in ALL:
        answers = path.answers
        ids = [it.id for it in items_for(FLOW.emergency, answers)]
        contact = "suspicious_code" in answers.symptoms or (
            answers.choices.get("cause") in FRAUD_CAUSES
        )
        assert (ids[0] == "stop_scammer") == contact, (ids, path)
        if "suspicious_code" in answers.symptoms:
            assert ids[1] == "never_share_code", ids
        if "binding_changed" in answers.symptoms:
            # Without the bound phone a password change may be impossible: freeze first.
            assert ids.index("freeze_pay") < ids.index("change_passwords"), ids
            assert ids.index("recover_phone") < ids.index("change_passwords"), ids
        if "jintiao" in answers.symptoms:
            assert "call_bank" in ids, "金条's urgent header promises the bank"
        if answers.symptoms & {"unknown_orders", "baitiao", "ecard_coupons"} and (
            answers.choices.get("noticed") == "hour"
        ):
            assert "call_110" in ids, path


def test_escalation_is_split_by_time() -> None:
    now = {"police_110", "antifraud_app", "c96110", "c12321"}
    later = {"c12315", "c12363", "c12378", "court"}
    assert {c.id for c in FLOW.escalation if c.phase == "now"} == now
    assert {c.id for c in FLOW.escalation if c.phase == "later"} == later
    # 12378 is for any refused insurance claim, not credit only.
    ecard = [c.id for c in items_for(FLOW.escalation, facts(("ecard_coupons",)))]
    assert "c12378" in ecard


# ---- rendered, in both languages ---------------------------------------------------------------


def case_for(path: Path) -> CaseRow:
    """A stored-case row for a complete triage."""
    answers = dict(path.answers.choices)
    if path.answers.amount_known is not None:
        answers[AMOUNT_KEY] = "known" if path.answers.amount_known else "unknown"
    return CaseRow(id=7, user_id=1, status=CaseStatus.PLANNED, step=None,
                   symptoms=sorted(path.answers.symptoms), answers=answers,
                   amount=path.answers.amount, verdict="x", created_at=0, updated_at=0)


def representatives() -> list[Path]:
    """One triage per distinct plan (outcome, reasons, routes, escalation channels)."""
    seen: dict[tuple[object, ...], Path] = {}
    for path, outcome, reasons, routes in ALL:
        channels = tuple(c.id for c in items_for(FLOW.escalation, path.answers))
        seen.setdefault((outcome, reasons, routes, channels), path)
    return list(seen.values())


@pytest.mark.parametrize("locale", ["zh-CN", "en"])
def test_every_plan_carries_the_disclaimer_and_the_shield(settings: object,
                                                          locale: str) -> None:
    svc = Services(settings=settings, db=None, store=None, t=T, flow=FLOW)  # type: ignore[arg-type]
    views = Views(svc, locale)
    checked = Counter[Outcome]()
    for path in representatives():
        case = case_for(path)
        outcome = verdict(FLOW, path.answers).outcome
        shown = views.verdict(case).text
        assert T(locale, "verdict-disclaimer") in shown
        assert T(locale, "shield-recovery") in shown, "the verdict is where victims are exposed"
        lead = views.plan_now(case).text
        guide = views.claim(case).text + "\n\n" + views.escalation(case).text
        if views.claim_guide_id(case) is None:
            guide = views.escalation(case).text
        summary = views.case_summary(case, []).text
        assert T(locale, "verdict-disclaimer") in summary, "wherever a verdict is shown"
        if outcome in (Outcome.HARD, Outcome.EXCLUDED):
            assert T(locale, FLOW.verdict.plans[outcome].lead) in lead
            if path.answers.choices.get("cause") in FRAUD_CAUSES and (
                "suspicious_code" not in path.answers.symptoms
            ):
                # Not on the first screen: the stop-the-fraudster step heads the plan.
                assert lead.startswith(T(locale, "emergency-added"))
                assert T(locale, "emergency-stop-scammer") in lead
            assert T(locale, "claim-intro") not in guide, "no covered-case claim guide"
            assert T(locale, "claim-intro-tell-jd") in guide
        if outcome is Outcome.HARD:
            assert T(locale, "route-police-first") in lead
        if outcome is Outcome.NO_LOSS:
            assert T(locale, "verdict-amount-unknown") not in shown
            assert T(locale, "claim-intro") not in guide
            assert T(locale, "escalate-intro-later") not in guide
        if outcome in CLAIM_OUTCOMES:
            assert T(locale, "claim-intro") in guide
            assert T(locale, "shield-caller") in guide, "how to check a caller claiming JD"
        if T(locale, "escalate-intro-later") in guide:
            assert guide.count(T(locale, "shield-recovery")) == 1
        checked[outcome] += 1
    assert set(checked) == set(Outcome)


@pytest.mark.parametrize("symptom", [s.id for s in FLOW.symptoms])
def test_every_symptom_gets_emergency_steps_and_evidence(symptom: str) -> None:
    answers = Answers(symptoms=frozenset({symptom}))
    assert items_for(FLOW.emergency, answers)
    assert items_for(FLOW.evidence, facts((symptom,)))
