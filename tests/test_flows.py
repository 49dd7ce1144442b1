"""flows/triage.yaml is validated: the real file passes, broken copies fail naming the problem."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.engine.diagram import mermaid
from bot.engine.loader import TRIAGE_FILE, FlowError, check_flow, load_flow
from bot.i18n import Translator
from tests.proc import ROOT

RAW: dict[str, Any] = yaml.safe_load(TRIAGE_FILE.read_text(encoding="utf-8"))
TRANSLATOR = Translator()

Mutation = Callable[[dict[str, Any]], None]


def step(raw: dict[str, Any], step_id: str) -> dict[str, Any]:
    return next(s for s in raw["steps"] if s["id"] == step_id)


def _dangling(raw: dict[str, Any]) -> None:
    step(raw, "noticed")["next"] = "nowhere"


def _dup_step(raw: dict[str, Any]) -> None:
    raw["steps"].insert(3, copy.deepcopy(step(raw, "noticed")))


def _dup_symptom(raw: dict[str, Any]) -> None:
    raw["symptoms"].append(dict(raw["symptoms"][0]))


def _dup_option(raw: dict[str, Any]) -> None:
    options = step(raw, "cause")["options"]
    options.append(dict(options[0]))


def _dup_rule(raw: dict[str, Any]) -> None:
    raw["verdict"]["rules"].append(copy.deepcopy(raw["verdict"]["rules"][0]))


def _unknown_key(raw: dict[str, Any]) -> None:
    raw["symptoms"][0]["label"] = "symptom-nobody-wrote-this"


def _unknown_prompt(raw: dict[str, Any]) -> None:
    step(raw, "police")["prompt"] = "q-police-typo"


def _unknown_symptom(raw: dict[str, Any]) -> None:
    raw["emergency"][0]["when"] = {"symptoms_any": ["ghost_symptom"]}


def _unknown_symptom_in_rule(raw: dict[str, Any]) -> None:
    raw["verdict"]["rules"][0]["when"] = {"symptoms_only": ["phantom"]}


def _unknown_option(raw: dict[str, Any]) -> None:
    raw["verdict"]["rules"][0]["when"] = {"answers": {"cause": ["aliens"]}}


def _unknown_question(raw: dict[str, Any]) -> None:
    raw["evidence"][0]["when"] = {"answers": {"weather": ["rain"]}}


def _extra_field(raw: dict[str, Any]) -> None:
    raw["symptoms"][0]["colour"] = "red"


def _extra_step_field(raw: dict[str, Any]) -> None:
    step(raw, "amount")["currency"] = "CNY"


def _emergency_unknown_option(raw: dict[str, Any]) -> None:
    raw["emergency"][0]["when"] = {"any_of": [{"answers": {"cause": ["aliens"]}}]}


def _nested_unknown_symptom(raw: dict[str, Any]) -> None:
    raw["escalation"][0]["when"] = {"any_of": [{"symptoms_all": ["ghost"]}]}


def _skip_on_later_answer(raw: dict[str, Any]) -> None:
    step(raw, "amount")["skip_when"] = {"answers": {"police": ["reported"]}}


def _missing_plan(raw: dict[str, Any]) -> None:
    del raw["verdict"]["plans"]["hard"]


def _unknown_guide(raw: dict[str, Any]) -> None:
    raw["verdict"]["plans"]["covered"]["claim"] = "nowhere"


def _unknown_outcome(raw: dict[str, Any]) -> None:
    raw["verdict"]["rules"][0]["outcome"] = "surely_paid"


def _unknown_kind(raw: dict[str, Any]) -> None:
    step(raw, "police")["kind"] = "slider"


def _loop(raw: dict[str, Any]) -> None:
    step(raw, "police")["next"] = "noticed"


def _unreachable(raw: dict[str, Any]) -> None:
    step(raw, "noticed")["next"] = "cause"


def _emergency_later(raw: dict[str, Any]) -> None:
    step(raw, "symptoms")["next"] = "noticed"
    step(raw, "police")["next"] = "emergency"
    step(raw, "emergency")["next"] = "verdict"


def _missing_label(raw: dict[str, Any]) -> None:
    del raw["verdict"]["labels"]["excluded"]


def _bad_start(raw: dict[str, Any]) -> None:
    raw["start"] = "welcome"


def _bad_id(raw: dict[str, Any]) -> None:
    raw["symptoms"][0]["id"] = "Bad-Id"


def _orphan_symptom(raw: dict[str, Any]) -> None:
    raw["symptoms"].append({"id": "lonely", "label": "symptom-other"})
    for item in raw["emergency"]:
        item.setdefault("when", {"symptoms_any": [s["id"] for s in raw["symptoms"][:-1]]})


BROKEN: list[tuple[str, Mutation, str]] = [
    ("dangling next", _dangling, r"next 'nowhere' is not a step"),
    ("duplicate step id", _dup_step, r"duplicate step id 'noticed'"),
    ("duplicate symptom id", _dup_symptom, r"duplicate symptom id 'unknown_orders'"),
    ("duplicate option", _dup_option, r"step cause: duplicate option 'code_shared'"),
    ("duplicate rule", _dup_rule, r"duplicate verdict rule id 'orders_lost'"),
    ("unknown message key", _unknown_key,
     r"message key 'symptom-nobody-wrote-this' is missing in zh-CN"),
    ("unknown prompt key", _unknown_prompt, r"'q-police-typo' is missing in en"),
    ("unknown symptom in a condition", _unknown_symptom,
     r"emergency stop_scammer: unknown symptom 'ghost_symptom'"),
    ("unknown symptom in a rule", _unknown_symptom_in_rule,
     r"rule orders_lost: unknown symptom 'phantom'"),
    ("unknown option", _unknown_option, r"'cause' has no option 'aliens'"),
    ("unknown question", _unknown_question, r"'weather' is not a choice step"),
    ("unknown field", _extra_field, r"symptoms\.0\.colour: Extra inputs are not permitted"),
    ("unknown step field", _extra_step_field, r"currency: Extra inputs are not permitted"),
    ("emergency with an unknown answer", _emergency_unknown_option,
     r"emergency stop_scammer: 'cause' has no option 'aliens'"),
    ("unknown symptom inside any_of", _nested_unknown_symptom,
     r"escalation police_110: unknown symptom 'ghost'"),
    ("question skipped on a later answer", _skip_on_later_answer,
     r"step amount: skip_when uses answers not given before it"),
    ("plan missing for an outcome", _missing_plan, r"verdict plan missing for hard"),
    ("unknown claim guide", _unknown_guide, r"plan covered: unknown claim guide 'nowhere'"),
    ("unknown outcome", _unknown_outcome, r"rules\.0\.outcome"),
    ("unknown step kind", _unknown_kind, r"steps\.5"),
    ("loop", _loop, r"loop back to 'noticed'"),
    ("unreachable step", _unreachable, r"not reachable from start: amount"),
    ("emergency not right after symptoms", _emergency_later,
     r"emergency step must come right after the symptoms step"),
    ("verdict label missing", _missing_label, r"verdict labels missing for excluded"),
    ("start is not a step", _bad_start, r"start 'welcome' is not a step"),
    ("badly formed id", _bad_id, r"symptoms\.0\.id"),
    ("symptom without emergency steps", _orphan_symptom,
     r"symptom 'lonely' gets no emergency step"),
]


def test_the_real_flow_is_sound() -> None:
    flow = load_flow(translator=TRANSLATOR)
    assert check_flow(flow, TRANSLATOR) == []
    assert len(flow.symptoms) >= 9


@pytest.mark.parametrize(("name", "mutate", "problem"), BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_flow_fails_naming_the_problem(tmp_path: Path, name: str, mutate: Mutation,
                                               problem: str) -> None:
    raw = copy.deepcopy(RAW)
    mutate(raw)
    path = tmp_path / "triage.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FlowError) as caught:
        load_flow(path, translator=TRANSLATOR)
    message = str(caught.value)
    assert message.startswith("triage.yaml: ")
    assert re.search(problem, message), message


def test_unreadable_yaml(tmp_path: Path) -> None:
    path = tmp_path / "triage.yaml"
    path.write_text("steps: [unclosed\n", encoding="utf-8")
    with pytest.raises(FlowError, match="cannot read"):
        load_flow(path)


def test_diagram_contains_every_step_and_symptom() -> None:
    flow = load_flow()
    text = mermaid(flow)
    assert text.startswith("flowchart TD\n")
    for s in flow.steps:
        assert re.search(rf"^\s+{s.id}\W", text, re.M), s.id
    for symptom in flow.symptoms:
        assert f"sym_{symptom.id}" in text
    for rule in flow.verdict.rules:
        assert rule.id in text
    # Every edge joins declared nodes and no line is left half-written.
    for line in text.splitlines()[1:]:
        assert line.startswith("    "), line
        assert line.count("[") == line.count("]") and line.count("(") == line.count(")")


@pytest.mark.slow
def test_diagram_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "flows", "diagram"], cwd=ROOT, capture_output=True,
        text=True, timeout=60, env=_env(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == mermaid(load_flow())
    check = subprocess.run(
        [sys.executable, "-m", "bot", "flows", "check"], cwd=ROOT, capture_output=True,
        text=True, timeout=60, env=_env(),
    )
    assert check.returncode == 0 and check.stdout.strip() == "flows OK"


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("BOT_")}
