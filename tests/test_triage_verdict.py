"""The verdict, table-driven over the rules of flows/triage.yaml."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.engine.loader import load_flow
from bot.engine.schema import Outcome
from bot.engine.walker import Answers, items_for, verdict

FLOW = load_flow()
MONEY = ("unknown_orders",)


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
    ("money + none + reported", facts(), Outcome.COVERED, {"money_covered"}, set()),
    ("noticed within the hour and reported", facts(noticed="hour"), Outcome.COVERED,
     {"money_covered", "reported_early"}, set()),
    ("card charged", facts(("balance_card",)), Outcome.COVERED, {"money_covered"}, set()),
    ("credit misused", facts(("baitiao", "jintiao")), Outcome.COVERED, {"credit_covered"},
     {"money_covered"}),
    ("e-card used", facts(("ecard_coupons",)), Outcome.COVERED, {"assets_covered"}, set()),
    ("shared password", facts(cause="shared"), Outcome.EXCLUDED, {"shared_password"},
     {"money_covered"}),
    ("phishing", facts(cause="phishing"), Outcome.EXCLUDED, {"phishing"}, set()),
    ("remote control", facts(cause="remote"), Outcome.EXCLUDED, {"remote_control"}, set()),
    ("cause unsure", facts(cause="unsure"), Outcome.AT_RISK, {"cause_unsure"}, set()),
    ("noticed earlier", facts(noticed="earlier"), Outcome.AT_RISK, {"noticed_late"}, set()),
    ("1000 not reported", facts(amount="1000", police="not_yet"), Outcome.AT_RISK,
     {"large_no_police"}, set()),
    ("999.99 not reported", facts(amount="999.99", police="not_yet"), Outcome.COVERED,
     set(), {"large_no_police"}),
    ("large but reported", facts(amount="50000"), Outcome.COVERED, set(),
     {"large_no_police"}),
    ("amount unknown, not reported", facts(amount=None, police="not_yet"), Outcome.COVERED,
     set(), {"large_no_police"}),
    ("access-only symptoms", facts(("binding_changed", "unknown_login", "suspicious_code")),
     Outcome.AT_RISK, {"no_loss_yet"}, set()),
    ("one access-only symptom", facts(("unknown_login",)), Outcome.AT_RISK, {"no_loss_yet"},
     set()),
    ("access plus money is not access-only", facts(("unknown_login", "unknown_orders")),
     Outcome.COVERED, {"money_covered"}, {"no_loss_yet"}),
    ("something else only", facts(("other",)), Outcome.AT_RISK, {"unclear_loss"}, set()),
    ("something else beside access symptoms", facts(("binding_changed", "other")),
     Outcome.AT_RISK, {"unclear_loss"}, {"no_loss_yet"}),
    ("something else beside a money loss", facts(("other", "unknown_orders")),
     Outcome.COVERED, {"money_covered"}, {"unclear_loss"}),
    ("excluded beats at risk", facts(cause="shared", noticed="earlier"), Outcome.EXCLUDED,
     {"shared_password", "noticed_late"}, set()),
    ("at risk beats covered", facts(noticed="earlier", police="reported"), Outcome.AT_RISK,
     {"noticed_late"}, set()),
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
    # The reasons behind the final outcome are shown first.
    if result.rule_ids:
        first = next(r for r in FLOW.verdict.rules if r.id == result.rule_ids[0])
        assert first.outcome is outcome or outcome is FLOW.verdict.default


def test_table_covers_every_rule_of_the_flow() -> None:
    matched = {rid for _, answers, *_ in TABLE for rid in verdict(FLOW, answers).rule_ids}
    assert matched == {rule.id for rule in FLOW.verdict.rules}
    outcomes = {row[2] for row in TABLE}
    assert outcomes == set(Outcome)


def test_no_rule_matches_gives_the_default_reason() -> None:
    # Before the cause is answered no rule can match (every cause option has a rule).
    answers = Answers(symptoms=frozenset({"unknown_orders"}),
                      choices={"noticed": "week", "police": "not_yet"},
                      amount=Decimal("10"), amount_known=True)
    result = verdict(FLOW, answers)
    assert result.outcome is FLOW.verdict.default
    assert result.reasons == (FLOW.verdict.default_reason,)


def test_worded_honestly() -> None:
    from bot.i18n import Translator

    t = Translator()
    for locale in ("zh-CN", "en"):
        covered = t(locale, FLOW.verdict.labels[Outcome.COVERED])
        # "likely", never a promise.
        assert ("大概率" in covered) if locale == "zh-CN" else ("likely" in covered.lower())
        assert t(locale, "verdict-disclaimer")


@pytest.mark.parametrize("symptom", [s.id for s in FLOW.symptoms])
def test_every_symptom_gets_emergency_steps_and_evidence(symptom: str) -> None:
    answers = Answers(symptoms=frozenset({symptom}))
    assert items_for(FLOW.emergency, answers)
    assert items_for(FLOW.evidence, facts((symptom,)))


def test_tailored_emergency_steps() -> None:
    def ids(*symptoms: str) -> list[str]:
        return [i.id for i in items_for(FLOW.emergency, Answers(symptoms=frozenset(symptoms)))]

    assert {"freeze_jintiao", "call_110"} <= set(ids("jintiao"))
    assert "call_bank" in ids("balance_card")
    assert "call_bank" not in ids("jintiao")
    assert "freeze_baitiao" in ids("baitiao") and "call_110" not in ids("baitiao")
    assert "recover_phone" in ids("binding_changed")
    assert "never_share_code" in ids("suspicious_code")
