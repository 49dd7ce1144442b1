"""Generate a Mermaid diagram of the triage flow from its data."""

from __future__ import annotations

from bot.engine.schema import AmountStep, ChoiceStep, Flow, SymptomsStep, VerdictStep


def mermaid(flow: Flow) -> str:
    """Return the flow as a Mermaid flowchart (message keys as labels)."""
    out = ["flowchart TD", "    start((/start)) --> consent{consent?}"]
    out.append(f"    consent -- yes --> {flow.start}")
    out.append("    consent -- no --> anon[symptoms + emergency steps, nothing stored]")
    for step in flow.steps:
        label = f"{step.kind}: {step.id}"
        if isinstance(step, SymptomsStep):
            out.append(f"    {step.id}[/\"{label}\"/]")
            for s in flow.symptoms:
                out.append(f"    {step.id} -.- sym_{s.id}([{s.id}])")
        elif isinstance(step, ChoiceStep):
            options = " | ".join(o.id for o in step.options)
            out.append(f"    {step.id}{{\"{label}<br/>{options}\"}}")
        elif isinstance(step, AmountStep):
            out.append(f"    {step.id}[\"{label}<br/>text -> decimal\"]")
            out.append(f"    {step.id} -- invalid --> {step.id}")
        elif isinstance(step, VerdictStep):
            outcomes = " / ".join(o.value for o in flow.verdict.labels)
            out.append(f"    {step.id}[[\"{label}<br/>{outcomes}\"]]")
            out.append(f"    {step.id} --> plan[evidence + claim guide + escalation]")
        else:
            out.append(f"    {step.id}[\"{label}\"]")
        nxt = getattr(step, "next", None)
        if nxt:
            out.append(f"    {step.id} --> {nxt}")
    for rule in flow.verdict.rules:
        out.append(f"    %% rule {rule.id}: {rule.outcome.value}")
    return "\n".join(out) + "\n"
